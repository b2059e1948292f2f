#!/usr/bin/env python3
"""Differential check against ripgrep of what bytes a file yields: -E/--encoding (files in
several encodings, with and without byte-order marks, invalid input, NUL bytes in the
decoded text past ripgrep's first buffer fills), -z/--search-zip (gzip, xz, bzip2 files,
a corrupt one, a truncated one) and --pre/--pre-glob (a shell script preprocessor that
succeeds, fails with a message, fails silently). Not run by `cargo test` (it needs rg).

Runs mmgrep and `rg --sort path` with the same random flags (output modes, context,
binary flags, --stats, --json...), an -E value, -z or --pre, patterns and paths, named or
walked, or one file on stdin. Compares stdout, the exit status and (with STDERR=1) stderr;
prints the first mismatches and a count; exits 1 on any.

Usage: tests/input-vs-rg.py [SEED] [RUNS]   MM=path/to/mmgrep (default target/release/mmgrep),
                                            BASE=scratch directory (default
                                            /tmp/mmgrep-input-vs-rg),
                                            STDERR=1: compare stderr too (mmgrep: read as rg:),
                                            ONLY_E=1: -E alone, no -z or --pre,
                                            ORIG=another mmgrep: a mismatch it shares is
                                            counted apart (a difference found before)
"""
import gzip
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vs_rg import untimed  # noqa: E402

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 500
random.seed(seed)
mm = os.path.abspath(os.environ.get("MM", "target/release/mmgrep"))
base = os.environ.get("BASE", "/tmp/mmgrep-input-vs-rg")
check_stderr = os.environ.get("STDERR") == "1"
shutil.rmtree(base, ignore_errors=True)
os.makedirs(base)
os.chdir(base)

words = ["foo", "bar", "café", "Olé", "λx", "naïve", "x", "FOO", "日本語", "€5", "a.b", "",
         "\t", "ß", "ÿ"]


def text(lines, width=6):
    out = []
    for _ in range(lines):
        out.append(" ".join(random.choice(words) for _ in range(random.randint(0, width))))
    return "\n".join(out) + random.choice(["\n", "\n", ""])


def write(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def with_nul(s, frac):
    """The text with a NUL at a fraction of its length (in the decoded text)."""
    i = int(len(s) * frac)
    return s[:i] + "\0" + s[i:]


boms = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
files = []
for i in range(14):
    enc = random.choice(["utf-8", "latin-1", "utf-16-le", "utf-16-be", "shift_jis", "cp1252",
                         "utf-8"])
    big = random.random() < 0.3
    s = text(random.randint(2000, 9000) if big else random.randint(0, 30))
    if random.random() < 0.3:
        s = with_nul(s, random.random())
    data = s.encode(enc, errors="replace")
    if enc in boms and random.random() < 0.5:
        data = boms[enc] + data
    elif random.random() < 0.15:
        data = random.choice(list(boms.values())) + data
    if random.random() < 0.15:
        data = data[:len(data) // 2] + b"\xff\xfe\x80" + data[len(data) // 2:]
    if random.random() < 0.1 and len(data) > 2:
        data = data[:-1]  # an odd byte at the end of UTF-16 text
    name = f"d{i % 3}/f{i}.txt"
    write(name, data)
    files.append(name)
# Compressed files, a corrupt and a truncated one, a plain file with a compressed name.
for i, ext in enumerate(["gz", "xz", "bz2", "gz", "tgz"]):
    s = text(random.randint(0, 40))
    if i == 3:
        s = with_nul(s, 0.5)
    raw = s.encode()
    name = f"z/c{i}.txt"
    write(name, raw)
    tool = {"gz": "gzip", "tgz": "gzip", "xz": "xz", "bz2": "bzip2"}[ext]
    subprocess.run([tool, "-k", "-f", name], check=True)
    if ext == "tgz":
        os.rename(name + ".gz", f"z/c{i}.tgz")
    else:
        os.rename(f"{name}.{ext}", f"z/c{i}.txt.{ext}")
    os.remove(name)
write("z/bad.gz", b"not gzip at all foo\n")
write("z/trunc.gz", gzip.compress(text(200).encode())[:300])
write("z/plain.br", b"foo in a file brotli would read\n")
with open("pre.sh", "w") as f:
    f.write("#!/bin/sh\ncase \"$1\" in\n"
            "  *f1*) echo \"cannot convert $1\" >&2; exit 3;;\n"
            "  *f2*) exit 4;;\n"
            "  *) tr a-z A-Z;;\nesac\n")
os.chmod("pre.sh", 0o755)

flags = [["-n"], ["-c"], ["-l"], ["-i"], ["-w"], ["-v"], ["-o"], ["-b"], ["--column"],
         ["-C1"], ["-A2"], ["-B1"], ["-m1"], ["--count-matches"], ["-H"], ["--heading"],
         ["-r", "ZZ"], ["-F"], ["--files-without-match"], ["-q"], ["--vimgrep"],
         ["--include-zero", "-c"], ["-a"], ["--binary"], ["-uuu"], ["--json"], ["--stats"],
         ["--passthru"], ["--mmap", "never"], ["-j1"], ["-M", "20"], ["--trim"],
         ["--stop-on-nonmatch"], ["-x"], ["--no-encoding"], ["--no-search-zip"], ["--no-pre"]]
encodings = [[], [], ["-E", "none"], ["-E", "auto"], ["-E", "latin1"], ["-E", "utf-8"],
             ["-E", "utf-16le"], ["-E", "UTF-16BE"], ["-E", "shift_jis"], ["-E", "utf-16"],
             ["--encoding=windows-1252"], ["-E", "x-user-defined"]]
inputs = [[], [], [], ["-z"], ["--search-zip"], ["--pre", "./pre.sh"],
          ["--pre", "./pre.sh", "--pre-glob", "*.gz"], ["--pre", "./pre.sh", "--pre-glob", "!d1/*"],
          ["-z", "--pre", "./pre.sh"], ["--pre", "./pre.sh", "-z"], ["--pre", ""]]
patterns = ["foo", "FOO", "café", "caf.", "é", "λ", "日本", "\\x{FFFD}", "^", "$", "\\w+ \\w+",
            "(?i)olé", "€", "ß", "x$", "^foo"]
if os.environ.get("ONLY_E") == "1":  # before -z and --pre were built
    inputs = [[]]
    flags = [f for f in flags if f not in (["--no-search-zip"], ["--no-pre"])]
paths = files + ["d0", "d1", "d2", "z", ".", "z/c0.txt.gz", "z/c1.txt.xz", "z/bad.gz",
                 "z/trunc.gz", "z/plain.br", "z/c3.txt.gz"]


def messages(err):
    """stderr's messages (one per `rg: `), sorted."""
    return sorted(err.split(b"rg: "))


orig = os.environ.get("ORIG")
bad = old = 0
for n in range(runs):
    chosen = sum(random.sample(flags, random.randint(0, 3)), [])
    chosen = random.choice(encodings) + random.choice(inputs) + chosen
    stdin = random.random() < 0.1
    data = None
    named = []
    if stdin:
        # A file, not a pipe: a pipe's reads depend on timing, and so does where a NUL
        # stops the printing.
        data = random.choice(files + ["z/c0.txt.gz"])
    else:
        named = random.sample(paths, random.randint(0, 3))
    args = chosen + ["--", random.choice(patterns)] + named
    def run(argv):
        if data is None:
            return subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL)
        with open(data, "rb") as f:
            return subprocess.run(argv, capture_output=True, stdin=f)

    a = run([mm] + args)
    rg_args = list(args)
    if "--mmap" in chosen:  # how mmgrep reads, which never changes what it prints
        i = rg_args.index("--mmap")
        del rg_args[i:i + 2]
    b = run(["rg", "--sort", "path"] + rg_args)
    def agree(a, b):
        if (a.returncode, untimed(a.stdout)) != (b.returncode, untimed(b.stdout)):
            return False
        # mmgrep reports a file's error as its worker meets it, not in path order.
        return not check_stderr or messages(a.stderr.replace(b"mmgrep: ", b"rg: ")) == \
            messages(b.stderr)

    same = agree(a, b)
    piped = any(f in chosen for f in ("-z", "--search-zip", "--pre"))
    for _ in range(4 if piped else 0):
        # Through a pipe, where a NUL stops the search depends on how the program's output
        # arrives (for ripgrep too): a retry that agrees will do.
        if same:
            break
        a, b = run([mm] + args), run(["rg", "--sort", "path"] + rg_args)
        same = agree(a, b)
    a_err = a.stderr.replace(b"mmgrep: ", b"rg: ")
    new_flags = ("-E", "--encoding", "-z", "--search-zip", "--no-search-zip", "--pre",
                 "--no-pre", "--no-encoding")
    if not same and orig and not any(a.split("=")[0] in new_flags for a in chosen):
        # The same difference from the build before? Then it is not this work's.
        o = run([orig] + args)
        if (o.returncode, untimed(o.stdout)) == (a.returncode, untimed(a.stdout)):
            old += 1
            continue
    if not same:
        bad += 1
        if bad <= 8:
            x, y = untimed(a.stdout).split(b"\n"), untimed(b.stdout).split(b"\n")
            if x == y:
                x, y = a_err.split(b"\n"), b.stderr.split(b"\n")
            i = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            print("MISMATCH", args, f"stdin {data}" if stdin else "", f"(first at line {i + 1})",
                  "\nmmgrep", a.returncode, b"\n".join(x[i:i + 3])[:300], a.stderr[:300],
                  "\nrg    ", b.returncode, b"\n".join(y[i:i + 3])[:300], b.stderr[:300])
print(f"seed {seed}: {runs} runs, {bad} mismatches" + (f" ({old} more as ORIG)" if orig else ""))
sys.exit(1 if bad else 0)
