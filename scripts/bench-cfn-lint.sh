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
# install the pinned Python tools of the tests (install_pinned_venv in scripts/bench-lib.sh).
cfn_dir="$target_dir/test-tools/cfn-lint"
cfn_lint="$cfn_dir/venv/bin/cfn-lint"
install_pinned_venv "$cfn_dir" tests/tools/cfn-lint-requirements.txt "$cfn_lint"
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

# run_timed, median, ms, ratio, loadavg and wait_for_quiet are in scripts/bench-lib.sh.
per_template() { awk -v s="$(median "$1")" -v n="$COUNT" 'BEGIN { printf "%.2f", s * 1000 / n }'; }

# Warm the caches (the files, the binaries, cfn-lint's modules) with one untimed run of each.
"$limitkb" check --kb aurora-serverless-v2 "${sample[0]}" >/dev/null || true
"$cfn_lint" "${sample[0]}" >/dev/null || true

# Other work on the machine (our own build included) shows in the 1-minute load average.
wait_for_quiet
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
