#!/usr/bin/env bash
# limitkb side by side with what users would use instead (see BENCHMARKS.md).
#
# 1. Checking cluster specs: COUNT (default 1,000) JSON specs for each of the two knowledge bases
#    (the preview one, then data/aurora-serverless-v2), half valid and half breaking limitations
#    in various ways that the cluster schema decides (examples/synthetic.rs), checked in one
#    process per tool by
#      limitkb check FILES...            (release build)
#      ajv validate -s cluster.schema.json -d 'DIR/*.json' --strict=false   (ajv-cli)
#      check-jsonschema --schemafile cluster.schema.json FILES...
#    The tools are the pinned ones of the tests (tests/tools/), installed as the tests install
#    them, under <target>/test-tools/. The script fails unless all three give every file the
#    verdict its name says (valid-*.json or invalid-*.json).
# 2. A whole `limitkb generate --check` of the real knowledge bases (timed by hyperfine, spawning
#    each process directly; it loads, renders and compares everything) against
#    `limitkb --version` (the cost of starting the process) and `limitkb validate`.
# 3. With --build (takes minutes): a cold `cargo build --release` of limitkb in a fresh target
#    directory, the number of crates it depends on, and the time to build the generated crate
#    `limitkb-aurora-serverless-v2-preview` in a fresh target directory.
#
# Every measurement is interleaved (run 1 of each command, then run 2 of each...), and the
# script prints medians and ratios.
#
# Usage: scripts/bench-compare.sh [--build]     RUNS=10 COUNT=1000 VERSION_RUNS=40
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

RUNS="${RUNS:-10}"
COUNT="${COUNT:-1000}"
VERSION_RUNS="${VERSION_RUNS:-40}"
build=false
for arg in "$@"; do
	case "$arg" in
	--build) build=true ;;
	*)
		echo "usage: scripts/bench-compare.sh [--build]" >&2
		exit 2
		;;
	esac
done

# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
for n in "$RUNS" "$COUNT" "$VERSION_RUNS"; do
	[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "RUNS, COUNT and VERSION_RUNS must be positive whole numbers, not '$n'"
done
command -v cargo >/dev/null || die "cargo is not on PATH; install a Rust toolchain (rustup)"
command -v npm >/dev/null || die "npm is not on PATH; install Node.js 20+ with npm"
command -v python3 >/dev/null || die "python3 is not on PATH; install Python 3.9+ (with venv)"
command -v flock >/dev/null || die "flock is not on PATH (Debian/Ubuntu: apt-get install util-linux)"
command -v hyperfine >/dev/null || die "hyperfine is not on PATH (Debian/Ubuntu: apt-get install hyperfine)"
[[ -n "${EPOCHREALTIME:-}" ]] || die "bash 5 or newer is needed (for EPOCHREALTIME)"

# The pinned tools, installed exactly as tests/support/tools.rs installs them (same directory,
# lock and stamp), so the tests and this script share one install.
target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" = /* ]] || target_dir="$root/$target_dir"

# install_tools KIND INSTALLED_PATH PIN_FILES...: (re)installs when the stamp is not the pins.
install_tools() {
	local kind=$1 installed=$2
	shift 2
	local dir="$target_dir/test-tools/$kind"
	mkdir -p "$dir"
	(
		flock 9
		if [[ -e "$dir/$installed" ]] && (cd tests/tools && cat "$@") | cmp -s - "$dir/installed-pins.stamp"; then
			exit 0
		fi
		echo "installing the pinned $kind tools from tests/tools/ into $dir..." >&2
		rm -f "$dir/installed-pins.stamp"
		for pin in "$@"; do cp "tests/tools/$pin" "$dir/$pin"; done
		if [[ $kind == node ]]; then
			(cd "$dir" && npm ci --no-audit --no-fund >&2) ||
				die "npm ci failed in $dir (no access to the npm registry, or Node.js older than 20?)"
		else
			(cd "$dir" && python3 -m venv --clear venv && venv/bin/pip install --quiet \
				--disable-pip-version-check -r requirements.txt >&2) ||
				die "installing requirements.txt into $dir/venv failed (python3-venv missing, or no access to the Python package index?)"
		fi
		(cd tests/tools && cat "$@") >"$dir/installed-pins.stamp"
	) 9>"$dir/install.lock"
}
install_tools node node_modules package.json package-lock.json
install_tools python venv/bin/python requirements.txt
ajv="$target_dir/test-tools/node/node_modules/.bin/ajv"
check_jsonschema="$target_dir/test-tools/python/venv/bin/check-jsonschema"
[[ -x "$ajv" ]] || die "$ajv is missing; is ajv-cli in tests/tools/package.json?"
[[ -x "$check_jsonschema" ]] || die "$check_jsonschema is missing; is check-jsonschema in tests/tools/requirements.txt?"

build_release

make_workdir limitkb-bench-compare

# run_timed, median, ms and ratio are bench-lib.sh's.

# --- 1. limitkb check vs ajv-cli vs check-jsonschema -------------------------------------------
# compare_checkers KB DATA_DIR SYNTHETIC_MODE [SYNTHETIC_ARGS...]: COUNT cluster specs of the
# knowledge base KB (its id) in DATA_DIR, written by `synthetic SYNTHETIC_MODE COUNT DIR
# SYNTHETIC_ARGS...`, checked by the three tools in RUNS interleaved runs; prints the medians
# and ratios, and fails unless every tool gives every file the verdict its name says. Its files,
# and the timings (labels KB/TOOL), go under $tmp/KB.
compare_checkers() {
	local kb=$1 data=$2 mode=$3
	shift 3
	local specs="$tmp/$kb/specs" out="$tmp/$kb/generated"
	mkdir -p "$tmp/$kb"
	echo "$kb: writing $COUNT cluster specs and the cluster schema..." >&2
	"$synthetic" "$mode" "$COUNT" "$specs" "$@"
	"$limitkb" generate --data "$data" --out "$out" >/dev/null
	# `generate --out` writes a tree per knowledge base.
	local schema="$out/$kb/schema/cluster.schema.json"
	[[ -f "$schema" ]] || die "limitkb generate --data $data wrote no $schema"
	local files=("$specs"/*.json)

	for run in $(seq "$RUNS"); do
		echo "$kb check: run $run/$RUNS..." >&2
		run_timed "$kb/limitkb" "0 1" "$limitkb" check --data "$data" --format json "${files[@]}"
		run_timed "$kb/ajv" "0 1" "$ajv" validate -s "$schema" -d "$specs/*.json" --strict=false
		run_timed "$kb/check-jsonschema" "0 1" "$check_jsonschema" --schemafile "$schema" -o json "${files[@]}"
	done

	# Every tool's verdict per file, from its output, against the file's name.
	python3 - "$tmp/$kb" "${files[@]}" <<'EOF'
import json, re, sys
tmp, files = sys.argv[1], sys.argv[2:]
expected = {f: "/valid-" in f for f in files}
failing = {d["file"] for d in json.load(open(f"{tmp}/limitkb.out"))}
verdicts = {"limitkb check": {f: f not in failing for f in files}}
ajv = {}
for line in open(f"{tmp}/ajv.out").read().splitlines() + open(f"{tmp}/ajv.err").read().splitlines():
    m = re.fullmatch(r"(.+) (valid|invalid)", line)
    if m and m.group(1) in expected:
        ajv[m.group(1)] = m.group(2) == "valid"
verdicts["ajv-cli"] = ajv
report = json.load(open(f"{tmp}/check-jsonschema.out"))
if report.get("parse_errors"):
    sys.exit(f"check-jsonschema could not parse: {report['parse_errors']}")
failing = {e["filename"] for e in report["errors"]}
verdicts["check-jsonschema"] = {f: f not in failing for f in files}
problems = []
for tool, got in verdicts.items():
    for f in files:
        if f not in got:
            problems.append(f"{tool} gave no verdict on {f}")
        elif got[f] != expected[f]:
            problems.append(f"{tool} says {f} is {'valid' if got[f] else 'invalid'}")
if problems:
    print("bench-compare: the tools disagree:", *problems[:20], sep="\n  ", file=sys.stderr)
    sys.exit(1)
valid = sum(expected.values())
print(f"all three tools agree on all {len(files)} files ({valid} valid, {len(files) - valid} invalid)")
EOF

	echo
	echo "$kb: checking $COUNT cluster specs (JSON) in one process: medians of $RUNS interleaved runs"
	echo
	echo "| tool | median ms | ratio to limitkb |"
	echo "| --- | ---: | ---: |"
	for tool in limitkb ajv check-jsonschema; do
		printf '| %s | %s | %s |\n' "$tool" "$(ms "$kb/$tool")" "$(ratio "$kb/$tool" "$kb/limitkb")"
	done
	echo
	local r
	r=$(ratio "$kb/check-jsonschema" "$kb/limitkb")
	echo "target: limitkb >= 10x faster than check-jsonschema: x$r, $(verdict "$r >= 10")"
	r=$(ratio "$kb/ajv" "$kb/limitkb")
	echo "target: limitkb >= 3x faster than ajv-cli: x$r, $(verdict "$r >= 3")"
}

preview_data="$root/data/aurora-serverless-v2-preview"
compare_checkers aurora-serverless-v2-preview "$preview_data" specs "$preview_data"
echo
compare_checkers aurora-serverless-v2 "$root/data/aurora-serverless-v2" ga-specs

# --- 2. generate --check as a whole process ------------------------------------------------------
"$limitkb" generate --out "$tmp/up-to-date" >/dev/null
# Each round is one hyperfine call that runs every command once, in order (so the commands are
# interleaved), spawning each directly, without a shell: a process started by bash costs about
# half a millisecond more, which would hide part of the difference between these commands.
# hyperfine fails if a command exits with anything but 0.
for run in $(seq "$VERSION_RUNS"); do
	((run % 10)) || echo "generate --check: run $run/$VERSION_RUNS..." >&2
	hyperfine --shell=none --runs 1 --style none --export-json "$tmp/round.json" \
		-n version "$limitkb --version" \
		-n validate "$limitkb validate" \
		-n generate-check "$limitkb generate --check --out $tmp/up-to-date" \
		>/dev/null || die "a generate --check round failed (run it by hand to see why)"
	python3 -c '
import json, sys
for result in json.load(open(sys.argv[1]))["results"]:
    with open(sys.argv[2] + "/" + result["command"], "a") as out:
        out.write("%.6f\n" % result["times"][0])
' "$tmp/round.json" "$tmp"
done
echo
echo "the real knowledge bases, whole processes: medians of $VERSION_RUNS interleaved runs"
echo
echo "| command | median ms | ratio to --version |"
echo "| --- | ---: | ---: |"
printf '| limitkb --version | %s | 1.0 |\n' "$(ms version)"
printf '| limitkb validate | %s | %s |\n' "$(ms validate)" "$(ratio validate version)"
printf '| limitkb generate --check (loads, renders and compares everything) | %s | %s |\n' \
	"$(ms generate-check)" "$(ratio generate-check version)"
echo
r=$(ratio generate-check version)
echo "target: generate --check within 6x of --version: x$r, $(verdict "$r <= 6")"

# --- 3. build times --------------------------------------------------------------------------------
if $build; then
	echo
	echo "load average before the builds: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
	start=$EPOCHREALTIME
	CARGO_TARGET_DIR="$tmp/cold-target" cargo build --release --quiet --bin limitkb
	end=$EPOCHREALTIME
	awk -v s="$start" -v e="$end" 'BEGIN { printf "cold cargo build --release of limitkb: %.0f s\n", e - s }'
	rm -rf "$tmp/cold-target"
	start=$EPOCHREALTIME
	CARGO_TARGET_DIR="$tmp/generated-target" cargo build --quiet -p limitkb-aurora-serverless-v2-preview
	end=$EPOCHREALTIME
	awk -v s="$start" -v e="$end" 'BEGIN { printf "cold cargo build of the generated crate: %.1f s\n", e - s }'
	rm -rf "$tmp/generated-target"
	echo "load average after the builds: $(cut -d' ' -f1-3 /proc/loadavg)"
	crates=$(cargo tree -p limitkb -e normal --prefix none | sed 's/ (\*)$//' | sort -u | wc -l)
	echo "crates limitkb depends on (normal dependencies, each once): $((crates - 1))"
fi
