#!/usr/bin/env python3
"""Differential check of -U/--multiline against ripgrep, not run by `cargo test` (it needs rg).

Makes three small random files (short lines of a few words, some without a final line end,
some with CRLF ends or a NUL byte) and runs `mmgrep -U` and `rg --sort path -U` with up to
three random flag groups (output modes, context, -m, -r, colours, -M, --crlf...) and a
pattern that can match a line break, on a named file, the directory or stdin. Compares
stdout and exit status (times dropped); prints the first mismatches, keeps their trees
under BASE-keep/, and exits 1 on any. Runs where ripgrep panics (exit 101: it does on some
`-U --json -m` searches) have no reference and are skipped.

Usage: tests/multiline-vs-rg.py [SEED] [RUNS]   MM=path/to/mmgrep (default target/release/mmgrep),
                                               BASE=scratch directory (default /tmp/mmgrep-multiline-vs-rg),
                                               RG=path/to/rg (default rg),
                                               P=1: every run with -P (needs an rg built with PCRE2)
The rounds of 2026-11-27 (seeds 1-34, 300 runs each) found the differences fixed in that
day's -U, --crlf and highlight commits ("Fuzzer finds: ..."); the last seeds gave none.
"""
import difflib
import os
import random
import shlex
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vs_rg import untimed  # noqa: E402

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 300
random.seed(seed)
mm = os.path.abspath(os.environ.get("MM", "target/release/mmgrep"))
base = os.environ.get("BASE", "/tmp/mmgrep-multiline-vs-rg")
rg = os.environ.get("RG", "rg")
pcre2 = os.environ.get("P") == "1"

words = ["a", "b", "ab", "foo", "bar", " ", "", "x y", "é", "a b"]
patterns = [r"a\nb", r"\s+", r"[^x]+", r"b\n\n", r"(?s).", r"a[\s\S]*?b", r"\n", r"^\n",
            r"$\n^", r"foo\s*\n\s*bar", r"\n+", r"x*\n?", r"(a|\n)+", r"\bb\n", r"b$\n^a",
            r".\n.", r"\n\n", r"o\nb|ab", r"a\s", r"\s*$", r"[a-z]+\n[a-z]+", r"(?m)^a\n",
            r"(\w)\n(\w)", r"y\n", r"foo.bar"]
flags = [["-n"], ["-c"], ["--count-matches"], ["-o"], ["--vimgrep"], ["--column"], ["-b"],
         ["-v"], ["-A1"], ["-B1"], ["-C2"], ["-m1"], ["-m2"], ["-l"], ["--files-without-match"],
         ["--json"], ["-r", "X"], ["-r", "$0$0"], ["--passthru"], ["--color", "always"], ["-w"],
         ["-x"], ["-i"], ["--multiline-dotall"], ["--trim"], ["-M", "5"],
         ["--max-columns-preview", "-M", "4"], ["-b", "-n"], ["-m1", "-A2"], ["-v", "-C1"],
         ["--passthru", "-n"], ["-r", "<$1>"], ["-q"],
         ["--colors", "highlight:bg:yellow", "--color", "always"], ["--crlf"], ["-H"],
         ["--heading"], ["-a"], ["--no-heading"]]


def make(path):
    lines = [" ".join(random.choice(words) for _ in range(random.randint(0, 3)))
             for _ in range(random.randint(0, 12))]
    text = "\n".join(lines) + ("\n" if random.random() < 0.6 else "")
    data = text.encode()
    if random.random() < 0.1:
        i = random.randint(0, len(data))
        data = data[:i] + b"\0" + data[i:]
    if random.random() < 0.1:
        data = data.replace(b"\n", b"\r\n")
    with open(path, "wb") as f:
        f.write(data)


def run(cmd, args, data, cwd):
    p = subprocess.run(cmd + args, capture_output=True, input=data, cwd=cwd)
    return untimed(p.stdout), p.returncode


bad = 0
for n in range(runs):
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base + "/d")
    for name in ["f1.txt", "d/f2.txt", "d/f3.txt"]:
        make(f"{base}/{name}")
    args = ["-U"] + (["-P"] if pcre2 else []) + sum(random.sample(flags, random.randint(0, 3)), []) + [random.choice(patterns)]
    where = random.random()
    data = b""
    if where < 0.4:
        args.append("f1.txt")
    elif where < 0.8:
        args.append(".")
    else:
        with open(base + "/f1.txt", "rb") as f:
            data = f.read()
    want = run([rg, "--sort", "path"], args, data, base)
    if want[1] == 101:
        continue
    got = run([mm], args, data, base)
    if want != got:
        bad += 1
        if bad <= 8:
            keep = f"{base}-keep/{seed}-{n}"
            shutil.copytree(base, keep, dirs_exist_ok=True)
            print("MISMATCH", shlex.join(args), "(stdin)" if data else "", "exit rg", want[1],
                  "mmgrep", got[1], "kept in", keep)
            diff = difflib.unified_diff(want[0].decode("utf8", "replace").splitlines(),
                                        got[0].decode("utf8", "replace").splitlines(),
                                        lineterm="")
            for line in list(diff)[2:10]:
                print("    ", line)
print(f"seed {seed}: {runs} runs, {bad} mismatches")
sys.exit(1 if bad else 0)
