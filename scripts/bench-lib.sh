# Shared by the benchmark scripts (sourced, not run): the error exit, the release build of
# limitkb and the synthetic-data example, and a work directory.

# die MESSAGE...: print the message, prefixed with the script's name, and exit 2.
die() {
	echo "${0##*/}: $*" >&2
	exit 2
}

# build_release: builds limitkb and examples/synthetic.rs in release mode and sets $limitkb and
# $synthetic to their paths.
build_release() {
	echo "building limitkb and the synthetic-data example (release)..." >&2
	local executables
	executables=$(cargo build --release --quiet --bin limitkb --example synthetic \
		--message-format=json-render-diagnostics |
		sed -n 's/.*"executable":"\([^"]*\)".*/\1/p')
	limitkb=$(grep '/limitkb$' <<<"$executables") || die "cargo built no limitkb binary"
	synthetic=$(grep '/synthetic$' <<<"$executables") || die "cargo built no synthetic example"
}

# make_workdir NAME: sets $tmp to a fresh temporary directory removed on exit.
make_workdir() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
}
