#!/usr/bin/env bash
# `limitkb check` side by side with checkov on the same Terraform configurations and plans (see
# BENCHMARKS.md).
#
# COUNT (default 100) Terraform configurations, each a directory of .tf files, and PLANS
# (default 10) plans (`terraform show -json`) of Aurora Serverless v2 clusters, half of each
# breaking a limitation of data/aurora-serverless-v2 (`cargo run --release --example synthetic
# -- terraform-dirs` and `terraform-plans`), checked all in one process per tool, RUNS times:
#   limitkb check --kb aurora-serverless-v2 --region us-east-1 DIR... PLAN...   (release build)
#   checkov -d PARENT_DIR -f PLAN... --framework terraform terraform_plan --quiet --compact
#     --skip-download
# checkov is pinned with its dependencies and their hashes in
# tests/tools/checkov-requirements.txt and installed by this script into
# <target>/test-tools/checkov/venv (a stamp records the pins installed; a change of the file
# reinstalls). It runs offline: --skip-download, BC_SKIP_MAPPING (no guidelines from the
# platform), CKV_SKIP_PACKAGE_UPDATE_CHECK (no version check) and DOWNLOAD_EXTERNAL_MODULES=false.
#
# The runs are interleaved (run 1 of each tool, then run 2 of each...), each round one
# hyperfine call spawning each process directly (--shell=none) when hyperfine is installed,
# else timed by bash; the script prints the medians, the ratio checkov/limitkb and the load
# average. Before measuring it checks, untimed, that limitkb exits 1 (half of the inputs break
# limitations) and reports errors in exactly the invalid-* configurations and plans, and that
# checkov exits 0 or 1 (1: a failed check) having parsed every configuration and plan; and it
# waits up to 5 minutes for the 1-minute load average to drop to 1.0 (its own build raises it).
#
# Usage: scripts/bench-checkov.sh [--no-build]     RUNS=5 COUNT=100 PLANS=10
#   --no-build: use the limitkb and examples/synthetic already built in <target>/release.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

usage="usage: scripts/bench-checkov.sh [--no-build]   (environment: RUNS=5 COUNT=100 PLANS=10)"
build=true
for arg in "$@"; do
	case "$arg" in
	--no-build) build=false ;;
	-h | --help)
		echo "$usage"
		exit 0
		;;
	*)
		echo "$usage" >&2
		exit 2
		;;
	esac
done

RUNS="${RUNS:-5}"
COUNT="${COUNT:-100}"
PLANS="${PLANS:-10}"

# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
for n in "$RUNS" "$COUNT" "$PLANS"; do
	[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "RUNS, COUNT and PLANS must be positive whole numbers, not '$n'"
done
command -v cargo >/dev/null || die "cargo is not on PATH; install a Rust toolchain (rustup)"
command -v python3 >/dev/null || die "python3 is not on PATH; install Python 3.9+ (with venv)"
command -v flock >/dev/null || die "flock is not on PATH (Debian/Ubuntu: apt-get install util-linux)"
[[ -n "${EPOCHREALTIME:-}" ]] || die "bash 5 or newer is needed (for EPOCHREALTIME)"

target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" = /* ]] || target_dir="$root/$target_dir"

checkov_dir="$target_dir/test-tools/checkov"
checkov="$checkov_dir/venv/bin/checkov"
install_pinned_venv "$checkov_dir" tests/tools/checkov-requirements.txt "$checkov" --require-hashes
# Nothing from the network: no platform data, no guidelines, no version check, no modules.
export BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE DOWNLOAD_EXTERNAL_MODULES=false
checkov_version=$("$checkov" --version)

if $build; then
	build_release
else
	limitkb="$target_dir/release/limitkb"
	synthetic="$target_dir/release/examples/synthetic"
	for built in "$limitkb" "$synthetic"; do
		[[ -x "$built" ]] || die "--no-build: $built is not built (cargo build --release --bin limitkb --example synthetic)"
	done
fi

make_workdir limitkb-bench-checkov
configurations="$tmp/configurations"
plans_dir="$tmp/plans"
echo "writing $COUNT Terraform configurations and $PLANS plans..." >&2
"$synthetic" terraform-dirs "$COUNT" "$configurations" ||
	die "the synthetic example cannot write Terraform configurations (is it older than terraform-dirs?)"
"$synthetic" terraform-plans "$PLANS" "$plans_dir"
dirs=("$configurations"/*/)
dirs=("${dirs[@]%/}")
plans=("$plans_dir"/*.json)
((${#dirs[@]} == COUNT)) || die "the synthetic example wrote ${#dirs[@]} configurations, not $COUNT"
((${#plans[@]} == PLANS)) || die "the synthetic example wrote ${#plans[@]} plans, not $PLANS"

limitkb_command=("$limitkb" check --kb aurora-serverless-v2 --region us-east-1 "${dirs[@]}" "${plans[@]}")
plan_files=()
for plan in "${plans[@]}"; do plan_files+=(-f "$plan"); done
checkov_inputs=(-d "$configurations" "${plan_files[@]}" --framework terraform terraform_plan --skip-download)
checkov_command=("$checkov" "${checkov_inputs[@]}" --quiet --compact)

# --- What each tool says, untimed -------------------------------------------------------------
# limitkb: exit code 1, and errors in exactly the invalid-* configurations and plans.
code=0
"${limitkb_command[@]}" --format json >"$tmp/verdicts.json" 2>"$tmp/verdicts.err" || code=$?
if ((code != 1)); then
	{
		echo "bench-checkov: limitkb check exited with $code on the $COUNT Terraform configurations and $PLANS plans, not 1 (half of them break limitations)."
		if ((code == 2)); then
			echo "Exit code 2 means it could not read its inputs: this limitkb probably does not read Terraform yet"
			echo "(issue 14: \`limitkb check DIR\` of a configuration, \`limitkb check PLAN.json\` of a plan)."
		fi
		echo "Its first lines on stderr:"
		head -n 20 "$tmp/verdicts.err"
	} >&2
	exit 1
fi
python3 - "$tmp/verdicts.json" "${dirs[@]}" "${plans[@]}" <<'EOF' || exit 1
import json, os, sys
report, inputs = sys.argv[1], sys.argv[2:]
# A diagnostic's file is a plan, or a file of a configuration's directory.
failing = {d["file"] if d["file"] in inputs else os.path.dirname(d["file"])
           for d in json.load(open(report)) if d["severity"] == "error"}
wrong = [i for i in inputs if (i in failing) != os.path.basename(i).startswith("invalid-")]
if wrong:
    sys.exit("bench-checkov: limitkb's verdict is not the one the name says on: " + " ".join(wrong[:20]))
print(f"limitkb reports errors in exactly the {len(failing)} invalid ones of the {len(inputs)} configurations and plans")
EOF
# checkov: exit code 0 or 1 (a failed check), every configuration and plan parsed.
code=0
"$checkov" "${checkov_inputs[@]}" --output json >"$tmp/checkov.json" 2>"$tmp/checkov.err" || code=$?
if ((code > 1)); then
	echo "bench-checkov: checkov exited with $code:" >&2
	tail -c 3000 "$tmp/checkov.err" >&2
	exit 1
fi
checkov_findings=$(python3 - "$tmp/checkov.json" "$COUNT" "$PLANS" <<'EOF'
import json, sys
reports = json.load(open(sys.argv[1]))
reports = reports if isinstance(reports, list) else [reports]
count, plans = int(sys.argv[2]), int(sys.argv[3])
by_type = {r["check_type"]: r for r in reports}
problems = []
for kind, expected, suffix in (("terraform", count, "/main.tf"), ("terraform_plan", plans, ".json")):
    report = by_type.get(kind)
    if report is None:
        problems.append(f"no {kind} report")
        continue
    summary = report["summary"]
    if summary["parsing_errors"]:
        problems.append(f"{summary['parsing_errors']} {kind} parsing errors")
    results = report["results"]
    files = {c["file_path"] for c in results["passed_checks"] + results["failed_checks"]}
    scanned = len({f for f in files if f.endswith(suffix)})
    if scanned != expected:
        problems.append(f"checks of {scanned} {kind} inputs, not {expected}")
if problems:
    sys.exit("bench-checkov: checkov did not check everything: " + "; ".join(problems))
print("; ".join(f"{r['check_type']}: {r['summary']['passed']} passed, {r['summary']['failed']} failed"
                for r in reports))
EOF
) || exit 1

# Warm the caches (the files, the binaries, checkov's modules) with one untimed run of each.
"${limitkb_command[@]}" >/dev/null 2>&1 || true
"${checkov_command[@]}" >/dev/null 2>&1 || true

wait_for_quiet
load_before=$(loadavg)
echo "load average before measuring: $load_before on $(nproc) cores (waited ${waited} s)"

# One round: each tool once, limitkb first. With hyperfine, each process is spawned directly
# (no shell); hyperfine ignores exit codes (-i) and this checks the ones it records.
if command -v hyperfine >/dev/null; then
	timer="hyperfine $(hyperfine --version | cut -d' ' -f2)"
	round() {
		hyperfine --shell=none --runs 1 --style none -i --export-json "$tmp/round.json" \
			-n limitkb "$(printf '%q ' "${limitkb_command[@]}")" \
			-n checkov "$(printf '%q ' "${checkov_command[@]}")" >/dev/null 2>"$tmp/hyperfine.err" ||
			die "a round of hyperfine failed: $(cat "$tmp/hyperfine.err")"
		python3 - "$tmp/round.json" "$tmp" <<'EOF'
import json, sys
allowed = {"limitkb": {1}, "checkov": {0, 1}}
for result in json.load(open(sys.argv[1]))["results"]:
    code = result["exit_codes"][0]
    if code not in allowed[result["command"]]:
        sys.exit(f"bench-checkov: {result['command']} exited with {code} in a timed run")
    with open(sys.argv[2] + "/" + result["command"], "a") as out:
        out.write("%.6f\n" % result["times"][0])
EOF
	}
else
	timer="bash's EPOCHREALTIME (hyperfine is not installed)"
	round() {
		run_timed limitkb 1 "${limitkb_command[@]}"
		run_timed checkov "0 1" "${checkov_command[@]}"
	}
fi
for run in $(seq "$RUNS"); do
	echo "$COUNT configurations and $PLANS plans in one process: run $run/$RUNS..." >&2
	round
done
load_after=$(loadavg)

per_input() { awk -v s="$(median "$1")" -v n="$((COUNT + PLANS))" 'BEGIN { printf "%.2f", s * 1000 / n }'; }
echo
echo "checkov $checkov_version; limitkb $("$limitkb" --version | cut -d' ' -f2); timed by $timer"
echo "load average: $load_before before measuring, $load_after after, on $(nproc) cores"
echo "checkov's checks: $checkov_findings"
echo
echo "$COUNT Terraform configurations and $PLANS plans in one process: medians of $RUNS interleaved runs"
echo
echo "| tool | median ms | ms per configuration or plan | ratio to limitkb |"
echo "| --- | ---: | ---: | ---: |"
for tool in limitkb checkov; do
	printf '| %s | %s | %s | %s |\n' "$tool" "$(ms "$tool")" "$(per_input "$tool")" "$(ratio "$tool" limitkb)"
done
echo
r=$(ratio checkov limitkb)
echo "target: limitkb >= 100x faster than checkov on all of them: x$r, $(verdict "$r >= 100")"
