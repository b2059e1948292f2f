#!/usr/bin/env bash
# Whole-command comparison: mmgrep against ripgrep, GNU grep and ugrep on the corpora of
# ../shared/bench/corpus.sh (the kernel tree and the 1.18 GB file), ripgrep's benchmark
# queries, each with -n; plus -c, -l and path-order variants. Prints each tool's median and
# its ratio to rg (in one run, warm page cache).
#
# Usage: benches/compare.sh [--quick] [MMGREP]    (MMGREP defaults to target/release/mmgrep)
#        CORPUS=/tmp/mmgrep-corpus RUNS=7 benches/compare.sh
#        WHERE=tree PEERS= benches/compare.sh   (the tree only; mmgrep and rg only)
# Needs: hyperfine, rg, ugrep, GNU grep (apt-get install hyperfine ugrep; cargo install ripgrep).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
MM=$(realpath "${1:-$here/../target/release/mmgrep}")
C=${CORPUS:-$(MMGREP_CORPUS=${MMGREP_CORPUS:-/tmp/mmgrep-corpus} "$here/../../shared/bench/corpus.sh" 2>/dev/null | tail -1 || echo /tmp/mmgrep-corpus)}
RUNS=${RUNS:-7}
WHERE=${WHERE:-big tree}      # which corpora: big, tree or both
PEERS=${PEERS-grep ugrep}     # the tools besides mmgrep and rg (empty: none)
for t in hyperfine rg $PEERS; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 2; }; done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# NAME|ARGS (shell words; the pattern is quoted for the shell)
queries=(
  "literal|-n PM_RESUME"
  "literal_casei|-n -i PM_RESUME"
  "regex_suffix|-n '[A-Z]+_RESUME'"
  "word|-n -w PM_RESUME"
  "unicode_greek|-n '\\p{Greek}'"
  "alternates|-n 'ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT'"
  "five_words|-n '\\w{5}\\s+\\w{5}\\s+\\w{5}\\s+\\w{5}\\s+\\w{5}'"
  "count|-c PM_RESUME"
  "files|-l PM_RESUME"
)
if [ $quick = 1 ]; then queries=("${queries[0]}" "${queries[7]}"); fi

# run NAME DIR TARGET; tools get the same args; grep/ugrep get -r for the tree.
run() {
  local name=$1 dir=$2 target=$3 args=$4 tree=$5
  local grep_args=$args ug_args=$args
  if [ "$tree" = 1 ]; then grep_args="-r $args"; ug_args="-r $args"; fi
  case $name in unicode_greek|five_words) grep_args="-P $grep_args";; esac
  local peers=()
  case " $PEERS " in *" grep "*) peers+=(-n grep "grep $grep_args $target");; esac
  case " $PEERS " in *" ugrep "*) peers+=(-n ugrep "ugrep $ug_args $target");; esac
  (cd "$dir" && hyperfine -N -i --output=pipe -w 2 -r "$RUNS" --export-json "$out/$name.json" \
      -n rg "rg $args $target" \
      -n rg_sorted "rg --sort path $args $target" \
      -n mmgrep "$MM $args $target" \
      "${peers[@]}" >/dev/null 2>&1) || true
  python3 - "$out/$name.json" "$name" <<'PY'
import json, sys, statistics
d = json.load(open(sys.argv[1]))
med = {r["command"]: statistics.median(r["times"]) for r in d["results"]}
rg = med.get("rg")
row = [sys.argv[2]]
for tool in ["mmgrep", "rg", "rg_sorted", "grep", "ugrep"]:
    m = med.get(tool)
    row.append("-" if m is None else f"{m:.3f}s ({m/rg:.2f}x)")
print("| " + " | ".join(row) + " |")
PY
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(uname -r)"
echo "medians of $RUNS runs after 2 warm-ups; ratio to rg (unsorted, parallel)"
for where in $WHERE; do
  if [ $where = big ]; then dir=$C; target=linux-all.txt; tree=0; else dir=$C/linux; target=.; tree=1; fi
  echo
  echo "### $where ($target)"
  echo "| query | mmgrep | rg | rg --sort path | grep | ugrep |"
  echo "|---|---|---|---|---|---|"
  for q in "${queries[@]}"; do
    run "$where-${q%%|*}" "$dir" "$target" "${q#*|}" $tree
  done
done

# One file, one and two threads, and the command-line scan floor (a byte that never occurs:
# map + memchr over every byte, with mmgrep's start-up). benches/floor.rs measures the
# floor without mmgrep (cargo bench --bench floor -- FILE).
case " $WHERE " in *" big "*) ;; *) exit 0;; esac
echo
echo "### big file: threads and the scan floor"
echo "| command | median |"
echo "|---|---|"
(cd "$C" && hyperfine -N -i --output=pipe -w 2 -r "$RUNS" --export-json "$out/threads.json" \
    -n "mmgrep -j1 -n PM_RESUME" "$MM -j1 -n PM_RESUME linux-all.txt" \
    -n "mmgrep -j2 -n PM_RESUME" "$MM -j2 -n PM_RESUME linux-all.txt" \
    -n "mmgrep -j1 -c PM_RESUME" "$MM -j1 -c PM_RESUME linux-all.txt" \
    -n "mmgrep -j2 -c PM_RESUME" "$MM -j2 -c PM_RESUME linux-all.txt" \
    -n "floor -j1" "$MM -j1 -c '\\x01' linux-all.txt" \
    -n "floor -j2" "$MM -j2 -c '\\x01' linux-all.txt" >/dev/null 2>&1) || true
python3 - "$out/threads.json" <<'PY'
import json, sys, statistics
d = json.load(open(sys.argv[1]))
med = {r["command"]: statistics.median(r["times"]) for r in d["results"]}
for c, m in med.items():
    print(f"| {c} | {m:.3f}s |")
def ratio(a, b):
    return med[a] / med[b] if a in med and b in med else float("nan")
print()
print(f"1 -> 2 threads: -n {ratio('mmgrep -j1 -n PM_RESUME', 'mmgrep -j2 -n PM_RESUME'):.2f}x faster, "
      f"-c {ratio('mmgrep -j1 -c PM_RESUME', 'mmgrep -j2 -c PM_RESUME'):.2f}x faster")
print(f"-c PM_RESUME on 2 threads: {ratio('mmgrep -j2 -c PM_RESUME', 'floor -j2'):.2f}x the floor (mmgrep -c '\\x01')")
PY

