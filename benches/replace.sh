#!/usr/bin/env bash
# In-place replacement benchmark: mmgrep -r REPL --in-place against sd, fastmod and sed -i,
# `spin_lock` -> `spin_lick`, on copies (never the corpus itself) of
#   1. the 1.18 GB single file  (linux-all.txt, 44,398 lines change)
#   2. the kernel tree          (linux/, 6,810 files change)
# Every timed run starts from the same state: hyperfine's --prepare (not timed) turns
# `spin_lick` back into `spin_lock` with mmgrep. mmgrep flushes (msync) every changed file
# before it exits; the peers do not fsync. Prints hyperfine's medians, the ratios
# mmgrep/peer, and mmgrep's peak anonymous memory (RssAnon sampled every 5 ms).
#
# usage: benches/replace.sh [CORPUS_DIR] [WORK_DIR]
#   CORPUS_DIR  default /tmp/mmgrep-corpus (built by ../shared/bench/corpus.sh)
#   WORK_DIR    default /tmp/mmgrep-replace-bench (copies live here; removed with --clean)
# env: RUNS (default 5), SKIP_SLOW=1 skips sd and sed on the single file.
set -euo pipefail

CORPUS=${1:-/tmp/mmgrep-corpus}
WORK=${2:-/tmp/mmgrep-replace-bench}
RUNS=${RUNS:-5}
HERE=$(cd "$(dirname "$0")/.." && pwd)

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need sd; then
    apt-get update -qq && apt-get install -y -qq hyperfine sd
fi
need fastmod || cargo install fastmod --locked
need python3 || { echo "python3 is needed to read hyperfine's JSON" >&2; exit 1; }
# sd before 1.0 spells fixed strings -s (--string-mode), later -F (--fixed-strings).
if sd --help 2>&1 | grep -q -- --fixed-strings; then SDF=-F; else SDF=-s; fi

[ -f "$CORPUS/linux-all.txt" ] && [ -d "$CORPUS/linux" ] || {
    echo "corpus not found in $CORPUS: run ../shared/bench/corpus.sh first" >&2
    exit 1
}

(cd "$HERE" && cargo build --release --quiet)
MMGREP="$HERE/target/release/mmgrep"

mkdir -p "$WORK"
echo "== copies in $WORK"
[ -f "$WORK/big.txt" ] || cp "$CORPUS/linux-all.txt" "$WORK/big.txt"
[ -d "$WORK/linux" ] || cp -a "$CORPUS/linux" "$WORK/linux"
# Start from the original state (a previous run may have stopped half way).
"$MMGREP" -r spin_lock --in-place spin_lick "$WORK/big.txt" >/dev/null 2>&1 || true
(cd "$WORK/linux" && "$MMGREP" -uuu -r spin_lock --in-place spin_lick >/dev/null 2>&1 || true)
sync

rssanon() { # CMD...: runs it, prints its peak RssAnon in KiB
    "$@" >/dev/null 2>&1 &
    local pid=$! max=0 v
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/^RssAnon/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$v" ] && [ "$v" -gt "$max" ] && max=$v
        sleep 0.005
    done
    wait "$pid" || true
    echo "$max"
}

report() { # JSON: medians and ratios against the first command (mmgrep)
    python3 - "$1" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = res[0]["median"]
print(f"{'command':<64} {'median s':>9} {'mmgrep/peer':>12}")
for r in res:
    cmd = r["command"]
    cmd = cmd if len(cmd) <= 62 else cmd[:59] + "..."
    ratio = base / r["median"] if r["median"] else float("nan")
    print(f"{cmd:<64} {r['median']:>9.3f} {ratio:>12.3f}")
EOF
}

echo
echo "== 1. one 1.18 GB file: spin_lock -> spin_lick"
cd "$WORK"
RESET1="$MMGREP -r spin_lock --in-place spin_lick big.txt >/dev/null 2>&1 || true"
CMDS1=("$MMGREP -r spin_lick --in-place spin_lock big.txt" "fastmod --accept-all --fixed-strings spin_lock spin_lick big.txt")
if [ "${SKIP_SLOW:-0}" != 1 ]; then
    CMDS1+=("sd $SDF spin_lock spin_lick big.txt" "sed -i s/spin_lock/spin_lick/g big.txt")
fi
hyperfine --style basic --warmup 1 --runs "$RUNS" --prepare "$RESET1" --export-json "$WORK/single.json" "${CMDS1[@]}"
report "$WORK/single.json"
eval "$RESET1"
echo "mmgrep peak RssAnon (KiB): $(rssanon "$MMGREP" -r spin_lick --in-place spin_lock big.txt)"
eval "$RESET1"

echo
echo "== 2. kernel tree: spin_lock -> spin_lick"
cd "$WORK/linux"
RESET2="$MMGREP -uuu -r spin_lock --in-place spin_lick >/dev/null 2>&1 || true"
hyperfine --style basic --warmup 1 --runs "$RUNS" --prepare "$RESET2" --export-json "$WORK/tree.json" \
    "$MMGREP -r spin_lick --in-place spin_lock" \
    "fastmod --accept-all --fixed-strings spin_lock spin_lick ." \
    "grep -rlZ --exclude-dir=.git spin_lock . | xargs -r0 sd $SDF spin_lock spin_lick" \
    "grep -rlZ --exclude-dir=.git spin_lock . | xargs -r0 sed -i s/spin_lock/spin_lick/g"
report "$WORK/tree.json"
eval "$RESET2"
echo "mmgrep peak RssAnon (KiB): $(rssanon "$MMGREP" -r spin_lick --in-place spin_lock)"
eval "$RESET2"

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "copies left in $WORK (rm -rf it to free $(du -sh "$WORK" | cut -f1))"
