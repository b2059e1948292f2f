#!/usr/bin/env bash
# ripgrep's benchmark queries, each timed in interleaved rounds (benches/interleave.py):
# every round runs mmgrep, rg and `rg --sort path` once in turn, so that a machine whose
# speed drifts slows all three alike. Prints medians and ratios to rg's default mode.
# The README's search tables come from this script; benches/compare.sh runs the same
# queries through hyperfine, one tool after another, with GNU grep and ugrep too.
#
# Usage: WHERE=big|tree ROUNDS=7 benches/queries.sh [MMGREP]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
MM=$(realpath "${1:-$here/../target/release/mmgrep}")
C=${CORPUS:-/tmp/mmgrep-corpus}
ROUNDS=${ROUNDS:-7}
WHERE=${WHERE:-tree}
if [ "$WHERE" = big ]; then dir=$C; target=linux-all.txt; else dir=$C/linux; target=.; fi
[ -e "$dir/$target" ] || { echo "no corpus at $dir (run ../shared/bench/corpus.sh)" >&2; exit 2; }
queries=(
  "-n PM_RESUME"
  "-n -i PM_RESUME"
  "-n '[A-Z]+_RESUME'"
  "-n -w PM_RESUME"
  "-n '\\p{Greek}'"
  "-n 'ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT'"
  "-n '\\w{5}\\s+\\w{5}\\s+\\w{5}\\s+\\w{5}\\s+\\w{5}'"
  "-c PM_RESUME"
  "-l PM_RESUME"
)
for q in "${queries[@]}"; do
  echo "== $q"
  python3 "$here/interleave.py" "$ROUNDS" "$dir" \
    "$MM $q $target" "rg --sort path $q $target" "rg $q $target"
done
