#!/usr/bin/env python3
"""Differential check against ripgrep for files met while walking that hold a NUL byte
(ripgrep's Quit rule: the file stops where ripgrep's reader would stop), not run by
`cargo test` (it needs rg).

Makes 40 random files (up to 3 MB, lines up to 250 KB, a NUL in most), each in its own
directory, and compares mmgrep's stdout and exit status with rg's for several chunk sizes
and output modes. Prints the first mismatches and a count; exits 1 on any mismatch.

Usage: tests/nul-vs-rg.py [SEED]      MM=path/to/mmgrep (default target/release/mmgrep),
                                      BASE=scratch directory (default /tmp/mmgrep-nul-vs-rg)
"""
import os
import random
import shutil
import subprocess
import sys

random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
mm = os.environ.get("MM", "target/release/mmgrep")
base = os.environ.get("BASE", "/tmp/mmgrep-nul-vs-rg")
shutil.rmtree(base, ignore_errors=True)
words = ["foo", "bar", "baz", "quux"]
modes = [[], ["-c"], ["-n"], ["-l"], ["-q"], ["-v", "-c"], ["-n", "-C1"], ["-b", "-o"]]
bad = runs = 0
for f in range(40):
    d = f"{base}/d{f}"
    os.makedirs(d)
    size = random.choice([60_000, 300_000, 1_500_000, 3_000_000])
    lines, total = [], 0
    while total < size:
        n = random.randint(0, 120) if random.random() < 0.9 else random.randint(1000, 250_000)
        line, length = [], 0
        while length < n:
            w = random.choice(words + ["x" * random.randint(1, 9)])
            line.append(w)
            length += len(w) + 1
        lines.append(" ".join(line))
        total += length
    data = bytearray(("\n".join(lines) + "\n").encode())
    if random.random() < 0.85:
        data[random.randrange(len(data))] = 0
    with open(f"{d}/f.txt", "wb") as out:
        out.write(data)
    for chunk in ["4K", "8K", "64K", "1M"]:
        for mode in modes:
            a = subprocess.run([mm, "--chunk-size", chunk] + mode + ["foo", d], capture_output=True)
            b = subprocess.run(["rg"] + mode + ["foo", d], capture_output=True)
            runs += 1
            if a.stdout != b.stdout or a.returncode != b.returncode:
                bad += 1
                if bad <= 5:
                    print(f"mismatch: {d} --chunk-size {chunk} {' '.join(mode)}: "
                          f"NUL at {data.find(0)} of {len(data)}, "
                          f"exit {a.returncode} vs rg {b.returncode}")
shutil.rmtree(base, ignore_errors=True)
print(f"{runs} runs, {bad} mismatches")
sys.exit(1 if bad else 0)
