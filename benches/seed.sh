#!/usr/bin/env bash
# The mmap lecture notes' speed table, reproduced with mmgrep on the same 14.4 MB file:
# read() (--mmap never) against a memory map (--mmap always) for find (a literal), regex,
# seek (-b -o: byte offsets of every match) and search-and-replace (in place, on a copy),
# beside the lecture's Python numbers. Medians of hyperfine runs, warm page cache.
#
# Usage: benches/seed.sh [MMGREP]      (default target/release/mmgrep)
# Needs: hyperfine, python3, the corpus of ../shared/bench/corpus.sh (seed.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
MM=$(realpath "${1:-$here/../target/release/mmgrep}")
C=${CORPUS:-/tmp/mmgrep-corpus}
SEED=$C/seed.txt
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
RUNS=${RUNS:-15}

med() {   # median seconds of one command
  hyperfine -N -i -w 3 -r "$RUNS" --export-json "$W/h.json" "$@" >/dev/null 2>&1
  python3 -c 'import json,statistics,sys; d=json.load(open(sys.argv[1])); print("%.4f" % statistics.median(d["results"][0]["times"]))' "$W/h.json"
}

# Replacement: equal length, on a fresh copy per run (the copy is part of neither side:
# --prepare runs before each timing).
rep() {
  hyperfine -N -i -w 2 -r "$RUNS" --prepare "cp $SEED $W/copy.txt" --export-json "$W/h.json" \
    "$MM --mmap $1 -r spin_lick --in-place spin_lock $W/copy.txt" >/dev/null 2>&1
  python3 -c 'import json,statistics,sys; d=json.load(open(sys.argv[1])); print("%.4f" % statistics.median(d["results"][0]["times"]))' "$W/h.json"
}

printf '| operation | lecture read() | lecture mmap | mmgrep --mmap never | mmgrep --mmap always |\n'
printf '|---|---|---|---|---|\n'
printf '| find (literal `PM_RESUME`, -c) | 0.0102 s | 0.00010 s | %s s | %s s |\n' \
  "$(med "$MM --mmap never -c PM_RESUME $SEED")" "$(med "$MM --mmap always -c PM_RESUME $SEED")"
printf '| regex (`\\w+_RESUME`, -c) | 1.12 s | 1.08 s | %s s | %s s |\n' \
  "$(med "$MM --mmap never -c \\w+_RESUME $SEED")" "$(med "$MM --mmap always -c \\w+_RESUME $SEED")"
printf '| seek (-b -o: offsets of `PM_[A-Z]+`) | 0.0114 s | 0.000082 s | %s s | %s s |\n' \
  "$(med "$MM --mmap never -b -o PM_[A-Z]+ $SEED")" "$(med "$MM --mmap always -b -o PM_[A-Z]+ $SEED")"
printf '| replace (`spin_lock` -> `spin_lick`, in place) | 0.045 s | 0.023 s | %s s | %s s |\n' \
  "$(rep never)" "$(rep always)"
