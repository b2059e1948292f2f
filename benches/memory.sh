#!/usr/bin/env bash
# Peak anonymous memory (RssAnon: heap and stacks, not the file pages a map brings in) of
# mmgrep on the cases of issue 6, each against the 64 MiB bound:
#   -v over the 2.35 GB file (every line printed), -o over a 200 MB line without a newline,
#   a search over a directory of 100,000 files.
# The status file of the process is sampled every 2 ms; the peak is printed in MiB.
#
# Usage: benches/memory.sh [MMGREP]    (default target/release/mmgrep)
# Needs: python3, the corpus of ../shared/bench/corpus.sh (for big.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
MM=$(realpath "${1:-$here/../target/release/mmgrep}")
C=${CORPUS:-/tmp/mmgrep-corpus}
W=${WORK:-/tmp/mmgrep-memory}
mkdir -p "$W"

if [ ! -s "$W/line200m.txt" ]; then
  python3 - "$W/line200m.txt" <<'PY'
import sys
chunk = (b"x" * 997 + b"foo") * 1000          # 1 MB, a match every 1000 bytes
with open(sys.argv[1], "wb") as f:
    for _ in range(200):
        f.write(chunk)                        # 200 MB, no newline at all
PY
fi
if [ ! -d "$W/many" ] || [ "$(find "$W/many" -type f | wc -l)" -lt 100000 ]; then
  rm -rf "$W/many"
  python3 - "$W/many" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(100):
    p = os.path.join(root, f"d{d:03}")
    os.makedirs(p)
    for i in range(1000):
        with open(os.path.join(p, f"f{i:04}.txt"), "w") as f:
            f.write(f"file {d}/{i}\nsome text\n" + ("needle\n" if i % 100 == 0 else ""))
PY
fi

peak() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
path = f"/proc/{p.pid}/status"
while p.poll() is None:
    try:
        for line in open(path):
            if line.startswith("RssAnon:"):
                peak = max(peak, int(line.split()[1]))
    except (FileNotFoundError, ProcessLookupError):
        break
    time.sleep(0.002)
print(f"{peak / 1024:.1f} MiB (exit {p.returncode})")
PY
}

echo "peak anonymous memory (bound: 64 MiB)"
printf '%-44s %s\n' "-v over big.txt (2.35 GB)" "$(peak "$MM" -v ZZZZ_NOT_THERE "$C/big.txt")"
printf '%-44s %s\n' "-n -v over big.txt (2.35 GB)" "$(peak "$MM" -n -v ZZZZ_NOT_THERE "$C/big.txt")"
printf '%-44s %s\n' "-o over a 200 MB line" "$(peak "$MM" -o foo "$W/line200m.txt")"
printf '%-44s %s\n' "-c over a 200 MB line" "$(peak "$MM" -c foo "$W/line200m.txt")"
printf '%-44s %s\n' "search over 100,000 files" "$(peak "$MM" -n needle "$W/many")"
printf '%-44s %s\n' "--files over 100,000 files" "$(peak "$MM" --files "$W/many")"
