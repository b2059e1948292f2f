"""What the differential scripts beside this file (flags-vs-rg.py, input-vs-rg.py,
multiline-vs-rg.py, walk-vs-rg.py, replace-vs-rg.py) share; not run by `cargo test`."""
import os
import random
import re
import sys


def setup(default_base, default_runs):
    """The command line and environment every script takes: SEED and RUNS (seeding
    `random`), MM, RG and BASE. Returns (seed, runs, mm, rg, base)."""
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else default_runs
    random.seed(seed)
    mm = os.path.abspath(os.environ.get("MM", "target/release/mmgrep"))
    rg = os.environ.get("RG", "rg")
    base = os.path.abspath(os.environ.get("BASE", default_base))
    return seed, runs, mm, rg, base

# --stats' two time lines ("0.000043 seconds spent searching", "0.002893 seconds total"),
# at the start of a line or after a NUL (--null-data ends the output before them with NUL).
STATS_TIME = re.compile(rb"(^|\x00)\d+\.\d+ seconds( spent searching| total)$")


def untimed(out):
    """Drops what differs from run to run: times in --stats and --json."""
    lines = []
    for line in out.split(b"\n"):
        m = STATS_TIME.search(line)
        if m:
            line = line[: m.start()] + m.group(1)
            if not line:
                continue
        while b'"elapsed' in line:
            i = line.index(b'"elapsed')
            j = line.index(b"}", i) + 1
            line = line[:i] + line[j:]
        lines.append(line)
    return b"\n".join(lines)
