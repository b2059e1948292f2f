#!/usr/bin/env python3
"""Interleaved timing: each round runs every command once, in turn, so that a machine whose
speed drifts (a noisy VM) slows all of them alike; prints each command's median wall time
and its ratio to the last command's.

Usage: benches/interleave.py ROUNDS DIR 'CMD' 'CMD' ...   (one untimed warm-up round first)
e.g.   benches/interleave.py 11 /tmp/mmgrep-corpus/linux \\
           'target/release/mmgrep -n PM_RESUME .' 'rg --sort path -n PM_RESUME .' 'rg -n PM_RESUME .'
Commands run through the shell in DIR with stdout piped and stderr dropped.
"""
import statistics
import subprocess
import sys
import time

if len(sys.argv) < 4:
    sys.exit(__doc__)
rounds, where, cmds = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = {c: [] for c in cmds}
for r in range(rounds + 1):
    for c in cmds:
        t = time.perf_counter()
        subprocess.run(c, shell=True, cwd=where, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if r > 0:
            times[c].append(time.perf_counter() - t)
base = statistics.median(times[cmds[-1]])
for c in cmds:
    m = statistics.median(times[c])
    print(f"{m * 1000:8.1f} ms  {m / base:5.2f}x  {c}")
