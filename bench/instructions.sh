#!/usr/bin/env bash
# Counts the instructions one `jianbao build` executes (valgrind's callgrind), on a site
# made by `jianbao-gen` with seed 1: the figure a change is judged by on a machine whose
# clock moves by a fifth from one run to the next (see the README's Benchmark section).
#
# Usage: bench/instructions.sh [RECORDS] [warm]   (default 10000; about a minute at 10,000)
#
# Counts a cold build (every Markdown body rendered, as in a fresh clone), or with `warm`
# a build that finds the bodies of a first, uncounted build in the content's cache
# (.jianbao-cache/bodies), as a user's second build does.
#
# Prints the count with the commit it was taken at, and keeps callgrind's output, a file
# per thread, for `callgrind_annotate` (where the instructions go). Needs valgrind
# (Debian: valgrind).
set -euo pipefail

records=${1:-10000}
warm=${2:-}
[[ -z $warm || $warm == warm ]] || { echo "usage: bench/instructions.sh [RECORDS] [warm]" >&2; exit 2; }
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
if [[ -n $warm ]]; then
    target/release/jianbao build -c "$work/site" -o "$work/out" >/dev/null
    rm -rf "$work/out"
fi
# One worker thread: with two, which thread frees a block another allocated (mimalloc's
# cross-thread frees) follows valgrind's scheduling, and the same binary's count moved by
# up to 2% from run to run. A profile per thread: the last thread is the one `build`
# hands the site to for freeing while the command exits, which the exit cuts short at a
# point that depends on the machine's load (0 to 120 million instructions); it is not
# counted. So counted, two runs agree within 0.01%.
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --separate-threads=yes \
    --callgrind-out-file="$work/callgrind.out" \
    target/release/jianbao build -c "$work/site" -o "$work/out" >/dev/null 2>"$work/valgrind.log"
threads=("$work"/callgrind.out-*)
last=${threads[${#threads[@]}-1]}
if grep -q 'drop_in_place<jianbao::render::Site>' "$last"; then
    unset 'threads[${#threads[@]}-1]'
else
    echo "note: the last thread is not the one that frees the site; counting every thread" >&2
fi
count=$(cat "${threads[@]}" | sed -n 's/^summary: \([0-9]*\)$/\1/p' |
    awk '{n += $1} END {printf "%.0f\n", n}')
# The site and its output are big; the profile is what is worth keeping.
rm -rf "$work/site" "$work/out"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
[[ -z $(git status --porcelain 2>/dev/null) ]] || commit+=" with uncommitted changes"
printf 'jianbao build%s, %s records, one thread: %s instructions (%s)\n' \
    "${warm:+ (warm)}" "$records" "$count" "$commit"
echo "where they go: callgrind_annotate $work/callgrind.out-02 (-01: the main thread)"
