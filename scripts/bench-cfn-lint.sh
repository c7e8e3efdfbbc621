#!/usr/bin/env bash
# `limitkb check` side by side with cfn-lint on the same CloudFormation templates (see
# BENCHMARKS.md).
#
# COUNT (default 200) YAML templates of Aurora Serverless v2 clusters, half of them breaking a
# limitation of data/aurora-serverless-v2 (`cargo run --release --example synthetic --
# cfn-templates`), checked
#   (a) all in one process per tool, RUNS times:
#         limitkb check --kb aurora-serverless-v2 DIR/*.yaml     (release build)
#         cfn-lint DIR/*.yaml
#   (b) one process per template, for SAMPLE (default 20) of them, each RUNS times: the median
#       time of one template.
# cfn-lint is pinned with its dependencies in tests/tools/cfn-lint-requirements.txt and
# installed by this script into <target>/test-tools/cfn-lint/venv (a stamp records the pins
# installed; a change of the file reinstalls). Every measurement is interleaved (run 1 of each
# tool, then run 2 of each...); the script prints medians, ratios and whether the targets are
# met: limitkb >= 100x faster than cfn-lint on all templates in one process, and one template
# in < 20 ms. It fails if a tool crashes: limitkb must exit 1 on an invalid-*.yaml template (or
# a set of them) and 0 on a valid-*.yaml one, and must report errors in exactly the invalid
# ones; cfn-lint may exit 0 or with its bits for findings (2 error, 4 warning, 8
# informational), but not 1 (a crash), and must not say it could not process a template
# (rules E0000 to E0009).
#
# Before measuring, it waits up to 5 minutes for the 1-minute load average to drop to 1.0
# (its own build raises it), and prints the load average either way.
#
# Usage: scripts/bench-cfn-lint.sh     RUNS=5 COUNT=200 SAMPLE=20
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

usage="usage: scripts/bench-cfn-lint.sh   (environment: RUNS=5 COUNT=200 SAMPLE=20)"
case "${1:-}" in
"") ;;
-h | --help)
	echo "$usage"
	exit 0
	;;
*)
	echo "$usage" >&2
	exit 2
	;;
esac

RUNS="${RUNS:-5}"
COUNT="${COUNT:-200}"
SAMPLE="${SAMPLE:-20}"

# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
for n in "$RUNS" "$COUNT" "$SAMPLE"; do
	[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "RUNS, COUNT and SAMPLE must be positive whole numbers, not '$n'"
done
((SAMPLE <= COUNT)) || SAMPLE=$COUNT
command -v cargo >/dev/null || die "cargo is not on PATH; install a Rust toolchain (rustup)"
command -v python3 >/dev/null || die "python3 is not on PATH; install Python 3.9+ (with venv)"
command -v flock >/dev/null || die "flock is not on PATH (Debian/Ubuntu: apt-get install util-linux)"
[[ -n "${EPOCHREALTIME:-}" ]] || die "bash 5 or newer is needed (for EPOCHREALTIME)"

target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" = /* ]] || target_dir="$root/$target_dir"

# The pinned cfn-lint, installed the way scripts/bench-compare.sh and tests/support/tools.rs
# install the pinned Python tools of the tests: a lock, a fresh venv, and a stamp holding the
# pins installed, written last, so that an install that fails halfway is redone.
pins=tests/tools/cfn-lint-requirements.txt
cfn_dir="$target_dir/test-tools/cfn-lint"
cfn_lint="$cfn_dir/venv/bin/cfn-lint"
mkdir -p "$cfn_dir"
(
	flock 9
	if [[ -e "$cfn_lint" ]] && cmp -s "$pins" "$cfn_dir/installed-pins.stamp"; then
		exit 0
	fi
	echo "installing the pinned cfn-lint from $pins into $cfn_dir..." >&2
	rm -f "$cfn_dir/installed-pins.stamp"
	cp "$pins" "$cfn_dir/requirements.txt"
	(cd "$cfn_dir" && python3 -m venv --clear venv && venv/bin/pip install --quiet \
		--disable-pip-version-check -r requirements.txt >&2) ||
		die "installing $pins into $cfn_dir/venv failed (python3-venv missing, or no access to the Python package index?)"
	cp "$pins" "$cfn_dir/installed-pins.stamp"
) 9>"$cfn_dir/install.lock"
[[ -x "$cfn_lint" ]] || die "$cfn_lint is missing; is cfn-lint in $pins?"
cfn_version=$("$cfn_lint" --version)

build_release

make_workdir limitkb-bench-cfn-lint
mkdir -p "$tmp/all" "$tmp/one"
templates="$tmp/templates"
echo "writing $COUNT CloudFormation templates..." >&2
"$synthetic" cfn-templates "$COUNT" "$templates"
files=("$templates"/*.yaml)
((${#files[@]} == COUNT)) || die "the synthetic example wrote ${#files[@]} templates, not $COUNT"
# The sample for (b): evenly spaced in name order, so invalid-* and valid-* alike.
sample=()
for ((i = 0; i < SAMPLE; i++)); do
	sample+=("${files[i * COUNT / SAMPLE]}")
done

# Every verdict of limitkb (untimed) against the template's name: errors in exactly the
# invalid ones. The timed runs print the default text report instead.
code=0
"$limitkb" check --kb aurora-serverless-v2 --format json "${files[@]}" >"$tmp/verdicts.json" || code=$?
((code == 1)) || die "limitkb check exited with $code on all the templates, not 1 (some break limitations)"
python3 - "$tmp/verdicts.json" "${files[@]}" <<'EOF'
import json, sys
report, files = sys.argv[1], sys.argv[2:]
failing = {d["file"] for d in json.load(open(report)) if d["severity"] == "error"}
wrong = [f for f in files if (f in failing) != ("/invalid-" in f)]
if wrong:
    sys.exit("bench-cfn-lint: limitkb's verdict is not the one the name says on: " + " ".join(wrong[:20]))
print(f"limitkb reports errors in exactly the {len(failing)} invalid templates of {len(files)}")
EOF

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
		echo "bench-cfn-lint: '${*:1:3} ...' exited with $code (expected one of: $allowed):" >&2
		tail -c 3000 "$tmp/$label.out" "$tmp/$label.err" >&2
		exit 1
	fi
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/$label"
}

# cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational findings; 1 is a
# crash. Findings are expected; a template it could not process (E0000 to E0009) is not.
cfn_codes="0 2 4 6 8 10 12 14"
cfn_lint_timed() {
	local label=$1
	shift
	run_timed "$label" "$cfn_codes" "$cfn_lint" "$@"
	if grep -E '^E000[0-9] ' "$tmp/$label.out" "$tmp/$label.err" >&2; then
		echo "bench-cfn-lint: cfn-lint could not process a template (above)" >&2
		exit 1
	fi
}

# limitkb exits 1 when a template breaks a limitation, 0 when it breaks none (notes aside).
limitkb_code() { if [[ $1 == */invalid-* ]]; then echo 1; else echo 0; fi; }

median() {
	sort -g "$tmp/$1" | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ms() { awk -v s="$(median "$1")" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { printf "%.0f", a / b }'; }
per_template() { awk -v s="$(median "$1")" -v n="$COUNT" 'BEGIN { printf "%.2f", s * 1000 / n }'; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }
loadavg() { if [[ -r /proc/loadavg ]]; then cut -d' ' -f1-3 /proc/loadavg; else echo unknown; fi; }

# Warm the caches (the files, the binaries, cfn-lint's modules) with one untimed run of each.
"$limitkb" check --kb aurora-serverless-v2 "${sample[0]}" >/dev/null || true
"$cfn_lint" "${sample[0]}" >/dev/null || true

# Other work on the machine (our own build included) shows in the 1-minute load average.
waited=0
if [[ -r /proc/loadavg ]]; then
	while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN { exit !(l > 1.0) }' && ((waited < 300)); do
		((waited % 60)) || echo "the 1-minute load average is $(loadavg), above 1.0: waiting (up to 5 minutes)..." >&2
		sleep 10
		waited=$((waited + 10))
	done
fi
load_before=$(loadavg)
echo "load average before measuring: $load_before on $(nproc) cores (waited ${waited} s)"

# --- (a) all templates in one process per tool ------------------------------------------------
for run in $(seq "$RUNS"); do
	echo "all $COUNT templates in one process: run $run/$RUNS..." >&2
	run_timed all/limitkb 1 "$limitkb" check --kb aurora-serverless-v2 "${files[@]}"
	cfn_lint_timed all/cfn-lint "${files[@]}"
done
cfn_findings=$({ grep -oE '^[EWI][0-9]{4} ' "$tmp/all/cfn-lint.out" || true; } | sort | uniq -c |
	awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')

# --- (b) one process per template ---------------------------------------------------------------
for run in $(seq "$RUNS"); do
	echo "$SAMPLE templates, one process each: run $run/$RUNS..." >&2
	for file in "${sample[@]}"; do
		run_timed one/limitkb "$(limitkb_code "$file")" "$limitkb" check --kb aurora-serverless-v2 "$file"
		cfn_lint_timed one/cfn-lint "$file"
	done
done
load_after=$(loadavg)

echo
echo "$cfn_version; limitkb $("$limitkb" --version | cut -d' ' -f2)"
echo "load average: $load_before before measuring, $load_after after, on $(nproc) cores"
echo "cfn-lint's findings on all $COUNT templates: ${cfn_findings:-none}"
echo
echo "(a) all $COUNT templates in one process: medians of $RUNS interleaved runs"
echo
echo "| tool | median ms | ms per template | ratio to limitkb |"
echo "| --- | ---: | ---: | ---: |"
for tool in limitkb cfn-lint; do
	printf '| %s | %s | %s | %s |\n' "$tool" "$(ms "all/$tool")" "$(per_template "all/$tool")" \
		"$(ratio "all/$tool" all/limitkb)"
done
echo
echo "(b) one process per template, $SAMPLE templates x $RUNS interleaved runs: medians of" \
	"$((SAMPLE * RUNS)) processes each"
echo
echo "| tool | median ms per template | ratio to limitkb |"
echo "| --- | ---: | ---: |"
for tool in limitkb cfn-lint; do
	printf '| %s | %s | %s |\n' "$tool" "$(ms "one/$tool")" "$(ratio "one/$tool" one/limitkb)"
done
echo
r=$(ratio all/cfn-lint all/limitkb)
echo "target: limitkb >= 100x faster than cfn-lint on all $COUNT templates: x$r, $(verdict "$r >= 100")"
t=$(ms one/limitkb)
echo "target: limitkb < 20 ms for one template: $t ms, $(verdict "$t < 20")"
