#!/usr/bin/env bash
# How limitkb scales with the size of a knowledge base (see BENCHMARKS.md).
#
# For each size (default 100, 1,000, 10,000 and 100,000 limitations) it writes a synthetic
# knowledge base (examples/synthetic.rs: every constraint kind, facts, long Unicode texts,
# many categories and parameters; it passes `limitkb validate`), then times, RUNS times each
# (default 5), interleaved, with /usr/bin/time for the peak RSS:
#
#   validate        limitkb validate --data DIR                    (load + validate + lint)
#   check           limitkb generate --check --data DIR --out OUT: load, validate, render
#                   everything and compare it with OUT (up to date, so this also proves the
#                   output is deterministic), writing nothing
#   generate        limitkb generate --data DIR --out EMPTY        (load + render + write)
#   diff            limitkb diff DIR REVISED: the knowledge base against its next release,
#                   one limitation in 50 changed (examples/synthetic.rs kb-revised)
#
# Prints the medians as a table.
#
# Usage: scripts/bench-scale.sh            RUNS=3 SIZES="100 1000" scripts/bench-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
SIZES="${SIZES:-100 1000 10000 100000}"

# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
command -v cargo >/dev/null || die "cargo is not on PATH; install a Rust toolchain (rustup)"
[[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1 ||
	die "GNU time is needed as /usr/bin/time (Debian/Ubuntu: apt-get install time)"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"

build_release

make_workdir limitkb-bench-scale

# measure LABEL EXPECTED_EXIT_CODE COMMAND...: one timed run; appends "seconds rss_mb" to
# $tmp/LABEL.
measure() {
	local label=$1 expected=$2
	shift 2
	local start end code=0
	start=$(date +%s%N)
	/usr/bin/time -f %M -o "$tmp/rss" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || code=$?
	end=$(date +%s%N)
	if [[ $code -ne $expected ]]; then
		echo "bench-scale: '$*' exited with $code, expected $expected:" >&2
		tail -n 20 "$tmp/stdout" "$tmp/stderr" >&2
		exit 1
	fi
	awk -v ns=$((end - start)) -v kb="$(tail -n 1 "$tmp/rss")" \
		'BEGIN { printf "%.4f %.1f\n", ns / 1e9, kb / 1024 }' >>"$tmp/$label"
}

# median LABEL COLUMN: the median of a column (1: seconds, 2: MB) of $tmp/LABEL.
median() {
	sort -g -k "$2" "$tmp/$1" | awk -v c="$2" '{ v[NR] = $c }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

for size in $SIZES; do
	[[ "$size" =~ ^[1-9][0-9]*$ ]] || die "sizes must be positive whole numbers, not '$size'"
	echo "writing a synthetic knowledge base of $size limitations..." >&2
	"$synthetic" kb "$size" "$tmp/data-$size"
	"$synthetic" kb-revised "$size" "$tmp/revised-$size"
	"$limitkb" validate --data "$tmp/data-$size" >/dev/null ||
		die "the synthetic knowledge base of $size limitations does not validate"
	"$limitkb" validate --data "$tmp/revised-$size" >/dev/null ||
		die "the revised synthetic knowledge base of $size limitations does not validate"
	# Up-to-date outputs for `generate --check`.
	"$limitkb" generate --data "$tmp/data-$size" --out "$tmp/out-$size" >/dev/null
done

# Runs outermost, so every size and variant sees the same changes in the machine's load.
for run in $(seq "$RUNS"); do
	for size in $SIZES; do
		echo "run $run/$RUNS, $size limitations..." >&2
		data="$tmp/data-$size" out="$tmp/out-$size"
		measure "validate-$size" 0 "$limitkb" validate --data "$data"
		measure "check-$size" 0 "$limitkb" generate --check --data "$data" --out "$out"
		rm -rf "$tmp/fresh"
		measure "generate-$size" 0 "$limitkb" generate --data "$data" --out "$tmp/fresh"
		rm -rf "$tmp/fresh"
		measure "diff-$size" 0 "$limitkb" diff "$data" "$tmp/revised-$size"
	done
done

echo
echo "limitkb scaling: medians of $RUNS runs; time is wall-clock seconds, memory is peak RSS in MB"
echo
echo "| limitations | data MB | output MB | validate s | validate MB | check s | check MB | generate s | generate MB | diff s | diff MB |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for size in $SIZES; do
	data_mb=$(du -sk "$tmp/data-$size" | awk '{ printf "%.1f", $1 / 1024 }')
	out_mb=$(du -sk "$tmp/out-$size" | awk '{ printf "%.1f", $1 / 1024 }')
	printf '| %s | %s | %s | %.3f | %.0f | %.3f | %.0f | %.3f | %.0f | %.3f | %.0f |\n' \
		"$size" "$data_mb" "$out_mb" \
		"$(median "validate-$size" 1)" "$(median "validate-$size" 2)" \
		"$(median "check-$size" 1)" "$(median "check-$size" 2)" \
		"$(median "generate-$size" 1)" "$(median "generate-$size" 2)" \
		"$(median "diff-$size" 1)" "$(median "diff-$size" 2)"
done

# Growth from each size to the next, and the targets.
echo
sizes=($SIZES)
for ((i = 1; i < ${#sizes[@]}; i++)); do
	a=${sizes[i - 1]} b=${sizes[i]}
	growth() { awk -v a="$(median "$1-$2" 1)" -v b="$(median "$1-$3" 1)" 'BEGIN { printf "%.1f", b / a }'; }
	printf 'growth %s -> %s limitations (x%s): validate x%s, check x%s, generate x%s, diff x%s\n' \
		"$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%g", b / a }')" \
		"$(growth validate "$a" "$b")" "$(growth check "$a" "$b")" "$(growth generate "$a" "$b")" \
		"$(growth diff "$a" "$b")"
done

if [[ " $SIZES " == *" 10000 "* ]]; then
	t=$(median check-10000 1) m=$(median check-10000 2)
	echo
	echo "target: 10,000 limitations load+validate+render (generate --check) < 1 s: ${t} s, $(verdict "$t < 1")"
	echo "target: 10,000 limitations peak RSS < 300 MB: ${m} MB, $(verdict "$m < 300")"
	d=$(median diff-10000 1)
	echo "target: diff of two knowledge bases of 10,000 limitations < 1 s: ${d} s, $(verdict "$d < 1")"
	if [[ " $SIZES " == *" 100000 "* ]]; then
		g=$(awk -v a="$t" -v b="$(median check-100000 1)" 'BEGIN { printf "%.1f", b / a }')
		echo "target: 10,000 -> 100,000 limitations time grows <= 12x: x${g}, $(verdict "$g <= 12")"
	fi
fi
