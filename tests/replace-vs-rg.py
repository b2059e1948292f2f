#!/usr/bin/env python3
"""Differential check of `--replace --in-place` against ripgrep, not run by `cargo test`
(it needs rg).

ripgrep cannot edit files, but `rg --passthru -r REPL` prints a file with every match
replaced, which is what the file must hold after `mmgrep -r REPL --in-place`. Each run
makes a few small random files (ASCII, UTF-8, CRLF lines, a last line without an end),
draws a pattern and a replacement (groups, names, `$$`, `$0`; some of a length other than
the match's) and flags (-i, -s, -S, -w, -x, -F, several -e, --no-unicode, --crlf,
--null-data), runs
mmgrep, and checks:
- exit 0: rg found a match, and every file holds what rg printed for it (files without a
  match untouched);
- exit 1: rg found nothing either, and no file changed;
- exit 2: some replacement has another length than its match (per rg --json's
  submatches), mmgrep said so, and no file changed.
Prints the first mismatches and a count; exits 1 on any.

Usage: tests/replace-vs-rg.py [SEED] [RUNS]   MM=path/to/mmgrep (default target/release/mmgrep),
                                              RG=path/to/rg (default rg),
                                              BASE=scratch directory (default /tmp/mmgrep-replace-vs-rg),
                                              CHUNK=bytes: larger files, and mmgrep splits them
                                              into chunks of that size (--chunk-size)
"""
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vs_rg import setup  # noqa: E402

seed, runs, mm, rg, base = setup("/tmp/mmgrep-replace-vs-rg", 300)
chunk = os.environ.get("CHUNK")

WORDS = ["foo", "bar", "Foo", "FOO", "baz", "foobar", "fo", "é", "λx", "ab12", "a.b", "x",
         "  ", "\t", "foo_bar", "été", "$1", "10-2026", "2026-10"]
# (pattern, replacements): the first replacements keep the match's length.
CASES = [
    ("foo", ["bar", "FOO", "$0", "f$$o", "x"]),
    ("fo+", ["$0", "xyz"]),
    ("(f)(o)o", ["$2${1}o", "${2}x$1", "$1$1$1", "$3ab", "$2$1o"]),
    ("(?P<w>ba)r", ["${w}z", "$w", "zz${w}"]),
    ("[a-z]{3}", ["abc", "$0", "ab"]),
    ("é", ["é", "e"]),
    ("λ", ["Λ", "l"]),
    (r"\bfoo\b", ["FOO", "fooo"]),
    ("foo|bar", ["xxx", "$0", "y"]),
    ("o", ["0", "oo", ""]),
    ("^foo", ["Foo", "F"]),
    ("foo$", ["FOO", "F"]),
    (r"(\d{4})-(\d{2})", ["$2-$1", "$1/$2", "${1}X"]),
    (r"(\d{2})-(\d{4})", ["$2-$1", "$1-$2"]),
    (r"\s+", [" ", "_"]),
    ("a.b", ["a_b", "ab"]),
    (r"(?i)foo", ["bar", "b"]),
    ("x", ["y", "$0$0"]),
    (r"\w+", ["$0", "w"]),
    ("", ["", "z"]),
]
FLAGS = [["-i"], ["-s"], ["-S"], ["-w"], ["-x"], ["-F"], ["--no-unicode"], ["--crlf"],
         ["-e", "bar"], ["-e", "baz"], ["-j1"], ["--mmap", "never"], ["--null-data"]]


def make(path):
    with open(path, "wb") as f:
        for _ in range(random.randint(0, 3000 if chunk else 12)):
            line = " ".join(random.choice(WORDS) for _ in range(random.randint(0, 5)))
            f.write(line.encode() + random.choice([b"\n", b"\n", b"\r\n"]))
        if random.random() < 0.3:
            f.write(b"foo end")


def rg_lengths_differ(args, pattern, repl, path):
    """Whether rg replaces some match in `path` by text of another length."""
    out = subprocess.run([rg, "--json", "-r", repl] + args + ["-e", pattern, "--", path],
                         capture_output=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg["type"] != "match":
            continue
        for sub in msg["data"]["submatches"]:
            got = sub.get("replacement", {}).get("text")
            if got is not None and len(got.encode()) != sub["end"] - sub["start"]:
                return True
    return False


mismatches = 0
shown = 0


def fail(run, what, cmd):
    global mismatches, shown
    mismatches += 1
    if shown < 6:
        shown += 1
        keep = f"{base}-fail{run}"
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(base + "/orig", keep)
        print(f"== run {run}: {what}\n   {' '.join(cmd)}\n   original files kept at {keep}")


for run in range(runs):
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base + "/orig")
    names = ["a.txt", "b.txt", "c.txt"][: random.randint(1, 3)]
    for n in names:
        make(os.path.join(base, "orig", n))
    shutil.copytree(base + "/orig", base + "/t")
    pattern, repls = random.choice(CASES)
    repl = random.choice(repls)
    args = ["--chunk-size", chunk] if chunk else []
    for _ in range(random.randint(0, 2)):
        args += random.choice(FLAGS)
    cmd = [mm, "-r", repl, "--in-place"] + args + ["-e", pattern, "--"] + names
    a = subprocess.run(cmd, cwd=base + "/t", capture_output=True)
    rg_args = [a for a in args if a not in ("-j1", "--mmap", "never", "--chunk-size", chunk)]
    orig, now, want, rg_found = {}, {}, {}, False
    for n in names:
        orig[n] = open(os.path.join(base, "orig", n), "rb").read()
        now[n] = open(os.path.join(base, "t", n), "rb").read()
        b = subprocess.run([rg, "--passthru", "--no-filename", "--no-line-number",
                            "--color", "never", "-r", repl] + rg_args + ["-e", pattern, "--", n],
                           cwd=base + "/orig", capture_output=True)
        # Whether rg finds a match: from a plain search, as --passthru under --crlf can
        # exit 0 on a file where nothing matches.
        rg_found |= subprocess.run([rg, "-q"] + rg_args + ["-e", pattern, "--", n],
                                   cwd=base + "/orig").returncode == 0
        want[n] = b.stdout if b.returncode == 0 else orig[n]
        end = b"\n"  # the line end in force: the last of --crlf and --null-data counts
        for f in args:
            end = {"--crlf": b"\r\n", "--null-data": b"\0"}.get(f, end)
        if orig[n] and not orig[n].endswith(end[-1:]) and want[n].endswith(end):
            # rg ends the last line it prints; the file keeps its unended last line.
            want[n] = want[n][: -len(end)]
    if a.returncode == 0:
        bad = [n for n in names if now[n] != want[n]]
        if bad:
            fail(run, f"exit 0 but {bad} differ from rg --passthru -r", cmd)
        elif not rg_found:
            fail(run, "exit 0 but rg finds no match", cmd)
    elif a.returncode == 1:
        if any(now[n] != orig[n] for n in names) or rg_found:
            fail(run, "exit 1 but rg finds a match or a file changed", cmd)
    elif a.returncode == 2:
        if any(now[n] != orig[n] for n in names):
            fail(run, "exit 2 and a file changed", cmd)
        elif b"refers to a group the pattern does not have" in a.stderr or \
                b"refers to groups the pattern does not have" in a.stderr:
            pass  # mmgrep's own check (the README's): a missing group is taken for a typo
        elif b"needs every replacement to have its match's length" not in a.stderr:
            fail(run, "exit 2: " + a.stderr.decode(errors="replace")[:200], cmd)
        elif not any(rg_lengths_differ(rg_args, pattern, repl, os.path.join(base, "orig", n))
                     for n in names):
            fail(run, "refused, but every rg replacement keeps its match's length", cmd)
    else:
        fail(run, f"exit {a.returncode}", cmd)
print(f"{runs} runs, {mismatches} mismatches (seed {seed})")
sys.exit(1 if mismatches else 0)
