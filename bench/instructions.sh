#!/usr/bin/env bash
# Counts the instructions one `jianbao build` executes (valgrind's callgrind), on a site
# made by `jianbao-gen` with seed 1: the figure a change is judged by on a machine whose
# clock moves by a fifth from one run to the next (see the README's Benchmark section).
#
# Usage: bench/instructions.sh [RECORDS]      (default 10000; about a minute at 10,000)
#
# Prints the count with the commit it was taken at, and keeps callgrind's output for
# `callgrind_annotate` (where the instructions go). Needs valgrind (Debian: valgrind).
set -euo pipefail

records=${1:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_SHM:-/dev/shm}/jianbao-instructions
command -v valgrind >/dev/null || {
    echo "valgrind is not installed (Debian: apt-get install valgrind)" >&2
    exit 2
}

cd "$root"
cargo build --release --quiet --bins
rm -rf "$work"
mkdir -p "$work"
target/release/jianbao-gen "$work/site" "$records" --seed 1 >/dev/null 2>"$work/gen.log" || {
    cat "$work/gen.log" >&2
    exit 1
}
# One worker thread: with two, which thread frees a block another allocated (mimalloc's
# cross-thread frees) follows valgrind's scheduling, and the same binary's count moved by
# up to 2% from run to run; with one, two runs agree within 0.01%.
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    target/release/jianbao build -c "$work/site" -o "$work/out" >/dev/null 2>"$work/valgrind.log"
count=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/valgrind.log")
# The site and its output are big; the profile is what is worth keeping.
rm -rf "$work/site" "$work/out"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
[[ -z $(git status --porcelain 2>/dev/null) ]] || commit+=" with uncommitted changes"
printf 'jianbao build, %s records, one thread: %s instructions (%s)\n' "$records" "$count" "$commit"
echo "where they go: callgrind_annotate $work/callgrind.out"
