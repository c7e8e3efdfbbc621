# Shared by the benchmark scripts (sourced, not run): the error exit, the release build of
# limitkb and the synthetic-data example, a work directory, the install of a pinned Python
# tool, timed runs and their medians, and the wait for a quiet machine.

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

# install_pinned_venv DIR PINS EXECUTABLE [PIP_OPTION...]: installs the requirements file PINS
# (every package pinned) into a fresh venv DIR/venv, unless DIR/installed-pins.stamp holds the
# same pins and EXECUTABLE (a path in that venv) exists; the way tests/support/tools.rs installs
# the pinned Python tools of the tests: a lock, a fresh venv, and the stamp written last, so
# that an install that fails halfway is redone.
install_pinned_venv() {
	local dir=$1 pins=$2 executable=$3
	shift 3
	mkdir -p "$dir"
	(
		flock 9
		if [[ -e "$executable" ]] && cmp -s "$pins" "$dir/installed-pins.stamp"; then
			exit 0
		fi
		echo "installing the pinned ${executable##*/} from $pins into $dir..." >&2
		rm -f "$dir/installed-pins.stamp"
		cp "$pins" "$dir/requirements.txt"
		(cd "$dir" && python3 -m venv --clear venv && venv/bin/pip install --quiet \
			--disable-pip-version-check "$@" -r requirements.txt >&2) ||
			die "installing $pins into $dir/venv failed (python3-venv missing, or no access to the Python package index?)"
		cp "$pins" "$dir/installed-pins.stamp"
	) 9>"$dir/install.lock"
	[[ -x "$executable" ]] || die "$executable is missing; is ${executable##*/} in $pins?"
}

# run_timed LABEL ALLOWED_EXIT_CODES COMMAND...: one timed run (wall clock, from bash's
# EPOCHREALTIME, so no extra process is timed, but bash's fork and exec are); output goes to
# $tmp/LABEL.out and .err, the seconds are appended to $tmp/LABEL.
run_timed() {
	local label=$1 allowed=$2
	shift 2
	local start end code=0
	start=$EPOCHREALTIME
	"$@" >"$tmp/$label.out" 2>"$tmp/$label.err" || code=$?
	end=$EPOCHREALTIME
	if [[ " $allowed " != *" $code "* ]]; then
		echo "${0##*/}: '${*:1:3} ...' exited with $code (expected one of: $allowed):" >&2
		tail -c 3000 "$tmp/$label.out" "$tmp/$label.err" >&2
		exit 1
	fi
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/$label"
}

# median LABEL: the median of the seconds in $tmp/LABEL; ms LABEL: the same in milliseconds;
# ratio LABEL_A LABEL_B: the median of A over that of B, to one decimal.
median() {
	sort -g "$tmp/$1" | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ms() { awk -v s="$(median "$1")" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { printf "%.1f", a / b }'; }

# verdict CONDITION: "met" if the awk condition holds, else "NOT met".
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT met"; fi; }

loadavg() { if [[ -r /proc/loadavg ]]; then cut -d' ' -f1-3 /proc/loadavg; else echo unknown; fi; }

# wait_for_quiet: waits up to 5 minutes for the 1-minute load average to drop to 1.0 (other
# work on the machine, our own build included, shows in it), and sets $waited to the seconds
# waited.
wait_for_quiet() {
	waited=0
	if [[ -r /proc/loadavg ]]; then
		while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN { exit !(l > 1.0) }' && ((waited < 300)); do
			((waited % 60)) || echo "the 1-minute load average is $(loadavg), above 1.0: waiting (up to 5 minutes)..." >&2
			sleep 10
			waited=$((waited + 10))
		done
	fi
}
