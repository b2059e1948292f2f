#!/usr/bin/env python3
"""Differential check against ripgrep over random flag combinations, not run by
`cargo test` (it needs rg).

Makes a small random tree (text with CRLF and non-ASCII lines, a binary file, a hidden
file and directory, .gitignore, .rgignore, a git repository with .git/info/exclude, a
global excludes file through XDG_CONFIG_HOME, a file for --ignore-file) and runs mmgrep and
`rg --sort path` with the same random flags (up to three groups from a list of about 180:
output modes, context, filters, --files, --json, --sort/--sortr, --hyperlink-format...), patterns and paths, named or walked.
Compares stdout and exit status; prints the first mismatches and a count; exits 1 on any.
The rounds of 2026-11-27 found seven differences this way (see the CHANGELOG).

When the rg in use has PCRE2 (`rg --pcre2-version` succeeds; RG= names another build, e.g.
one from `cargo install ripgrep --features pcre2`), -P, --engine auto and -P --no-pcre2 are
drawn too, and a run with PCRE2 takes its pattern from a list with look-around and
backreferences half the time.

Usage: tests/flags-vs-rg.py [SEED] [RUNS]   MM=path/to/mmgrep (default target/release/mmgrep),
                                            RG=path/to/rg (default rg),
                                            BASE=scratch directory (default /tmp/mmgrep-flags-vs-rg),
                                            CHUNK=bytes: larger files, and mmgrep splits them
                                            into chunks of that size (--chunk-size),
                                            STDIN=1: each run searches one file given on stdin,
                                            NULL=1: every run has --null-data (and the tree
                                            NUL-separated records)
"""
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
base = os.environ.get("BASE", "/tmp/mmgrep-flags-vs-rg")
chunk = os.environ.get("CHUNK")
rg = os.environ.get("RG", "rg")
has_pcre2 = subprocess.run([rg, "--pcre2-version"], capture_output=True).returncode == 0
stdin = os.environ.get("STDIN") == "1"
null_data = os.environ.get("NULL") == "1"
max_lines = 3000 if chunk else 30
shutil.rmtree(base, ignore_errors=True)
os.makedirs(base)
os.chdir(base)
# git's global excludes file, outside the tree, for both programs.
xdg = base + "-xdg"
shutil.rmtree(xdg, ignore_errors=True)
os.makedirs(xdg + "/git")
with open(xdg + "/git/ignore", "w") as f:
    f.write("*.log\n")
env = dict(os.environ, XDG_CONFIG_HOME=xdg, HOME=xdg)

words = ["foo", "bar", "Foo", "baz qux", "foo_bar", "é foo", "λ", "x", "  foo  ", "FOO",
         "foobar", "", "\t", "PM_RESUME", "a.b"]


def make(path, binary=False):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        for _ in range(random.randint(0, max_lines)):
            line = " ".join(random.choice(words) for _ in range(random.randint(0, 5)))
            ends = [b"\n", b"\0", b"\0"] if null_data else [b"\n", b"\n", b"\r\n"]
            f.write(line.encode() + random.choice(ends))
        if binary:
            f.write(b"foo\x00bar\n")
        if random.random() < 0.2:
            f.write(b"foo tail no newline")


for p in ["a.txt", "b.rs", "c.c", "sub/d.txt", "sub/e.md", "sub/deep/f.txt", ".hid/g.txt",
          ".h.txt", "z/y/x.py", "bin.dat", "sub/g.log", "sub/ex.txt", "z/y/w.md", "sub/F.MD",
          "Q.TXT", "sub/EX.TXT"]:
    make(p, binary=p.endswith(".dat"))
with open(".gitignore", "w") as f:
    f.write("*.md\n")
os.makedirs("z/.git", exist_ok=True)  # a repository inside: the rules above stop at it
with open("z/.gitignore", "w") as f:
    f.write("*.py\n")
with open(".rgignore", "w") as f:
    f.write("sub/deep/\n")
os.makedirs(".git/info", exist_ok=True)
with open(".git/info/exclude", "w") as f:
    f.write("ex.txt\n")
with open("ign", "w") as f:  # for --ignore-file: relative to the current directory
    f.write("a.txt\n/sub/d.txt\n!*.log\n")
# Distinct modification times, for --sort modified: ripgrep keeps files of equal times in
# its walk's order, which is not path order.
tree_files = sorted(os.path.join(d, f) for d, _, fs in os.walk(".") for f in fs)
for i, p in enumerate(random.sample(tree_files, len(tree_files))):
    os.utime(p, (1_600_000_000, 1_600_000_000 + 1000 * i))

flags = [["-n"], ["-N"], ["-c"], ["-l"], ["-i"], ["-w"], ["-x"], ["-v"], ["-o"], ["-b"],
         ["--column"], ["-C1"], ["-A2"], ["-B1"], ["-m1"], ["-m2"], ["--count-matches"],
         ["-H"], ["-I"], ["--heading"], ["--no-heading"], ["-r", "ZZ"], ["-r", "$0$0"],
         ["-s"], ["-S"], ["-F"], ["--files-without-match"], ["-q"], ["--vimgrep"], ["-0"],
         ["--include-zero"], ["-a"], ["--binary"], ["--hidden"], ["--no-ignore"], ["-u"],
         ["-uu"], ["-uuu"], ["-g", "*.txt"], ["-g", "!sub/**"], ["-t", "c"], ["-T", "rust"],
         ["--max-depth", "1"], ["-L"], ["--no-ignore-dot"], ["--no-ignore-vcs"], ["--files"],
         ["-e", "bar"], ["--context-separator", "XX"], ["--max-filesize", "100"], ["--json"],
         ["--stats"], ["-m0"], ["-e", ""], ["--no-filename"], ["--no-line-number"],
         ["--max-depth", "0"], ["-r", "<$0>"], ["-o", "-b"],
         ["--null"], ["-w", "-o"], ["--count-matches", "-v"], ["-s", "-i"], ["-x", "-v"],
         ["--include-zero", "-c"], ["--sort", "path"], ["-j1"], ["--no-ignore-parent"],
         ["--no-ignore-global"], ["--no-ignore-exclude"], ["--ignore-file", "ign"],
         ["--no-ignore-files"], ["--ignore"], ["--ignore-vcs"], ["--ignore-dot"],
         ["--ignore-parent"], ["--ignore-file", "ign", "--no-ignore"], ["--passthru"],
         ["--passthru", "-n"], ["--line-buffered"], ["--block-buffered"],
         ["--stop-on-nonmatch"], ["--stop-on-nonmatch", "-A1"],
         ["-M", "20"], ["-M9", "--max-columns-preview"], ["--max-columns-preview"], ["-M0"],
         ["--trim"], ["--trim", "--no-trim"], ["-p"], ["--color", "always"],
         ["--field-match-separator", "XX"], ["--field-context-separator", "\\t"],
         ["--field-match-separator="], ["-M12", "--column"],
         ["-M7", "--max-columns-preview", "-o"],
         ["--trim", "--color", "always"], ["--colors", "match:fg:blue", "--color", "always"],
         ["--colors", "match:none", "--color", "always"], ["--colors", "path:none", "-p"],
         ["--colors", "line:style:intense", "--colors", "column:bg:0x10,0x20,0x30", "-p"],
         ["--no-require-git"], ["--require-git"], ["--ignore-file-case-insensitive"],
         ["--no-ignore-file-case-insensitive"], ["--glob-case-insensitive"],
         ["--no-glob-case-insensitive"], ["-g", "*.TXT"],
         ["--glob-case-insensitive", "-g", "!*.MD"],
         ["--sortr", "path"], ["--sortr", "path", "--sort", "path"],
         ["--sort", "modified"], ["--sortr", "modified"], ["--sort-files"],
         ["--sortr", "modified", "--sort-files"], ["--sort-files", "--sortr", "modified"],
         ["--hyperlink-format", "vscode", "--color", "always"],
         ["--hyperlink-format", "x:{path}", "-p"],
         ["--hyperlink-format", "default", "--hostname-bin", "uname", "--color", "always"],
         ["--hyperlink-format", "kitty", "--heading", "--color", "always"],
         ["--type-add", "foo:*.txt", "-t", "foo"],
         ["--type-add", "src:include:c,rust", "-t", "src"],
         ["--type-clear", "txt", "--type-add", "txt:*.md", "-t", "txt"], ["--type-add", "bad"],
         ["--type-clear", "md", "-T", "md"], ["--one-file-system"], ["--no-one-file-system"],
         ["-U"], ["-U"], ["-U", "--multiline-dotall"], ["-U", "--no-multiline"],
         ["--crlf"], ["--crlf"], ["--crlf", "--no-crlf"],
         ["--colors", "highlight:bg:yellow", "--color", "always"],
         ["--colors", "highlight:fg:blue", "--colors", "highlight:style:bold", "-p"],
         ["--path-separator", ":"], ["--path-separator", "\\x5C"], ["--path-separator", ""],
         ["--no-unicode"], ["--no-unicode", "-i"], ["--no-unicode", "-w"], ["--no-unicode", "--unicode"],
         ["--no-fixed-strings"], ["-F", "--no-fixed-strings"], ["--no-invert-match"],
         ["-v", "--no-invert-match"], ["--no-byte-offset"], ["--json", "--no-json"],
         ["--stats", "--no-stats"], ["--no-include-zero"], ["-L", "--no-follow"],
         ["--no-text"], ["-a", "--no-text"], ["--no-text", "-a"], ["-.", "--no-hidden"],
         ["-."], ["--maxdepth", "1"], ["--no-mmap"], ["-uu", "--no-hidden"],
         ["--no-hidden", "-uu"], ["--no-messages", "--messages"],
         ["--no-line-buffered"], ["--no-block-buffered"],
         ["-E", "latin1"], ["-E", "none"], ["-E", "utf-16le"], ["-E", "utf-8"],
         ["-E", "latin1", "--no-encoding"], ["-z"], ["--pre", "cat"], ["--pre", "tac"],
         ["--pre", "tac", "--pre-glob", "*.txt"], ["--null-data"], ["--null-data"],
         ["--null-data", "--crlf"], ["--crlf", "--null-data"], ["--null-data", "--no-crlf"]]
patterns = ["foo", "fo+", "Foo", "bar|baz", "^foo", "foo$", "\\bfoo\\b", "é", "λ", "x",
            "[A-Z]+", "qux", "PM_RESUME", "a\\.b", "\\w+\\s+\\w+", "(?i)FOO", "foo\\nbar",
            "o\\s+b", "\\n\\n", "o.\\n?x"]
# Under --null-data: `\n` inside a record, NUL taken out of classes, anchors at record ends.
# (No `\\A` or `\\z`: with them ripgrep leaves its record-by-record search for one over its
# whole buffer, where they hold at the buffer's ends; mmgrep keeps to records, see README.)
null_patterns = ["^foo", "foo$", "^", "$", "^$", "[^a]+", "\\s+foo", "\\n", "o\\nb", "^.",
                 ".$", "(?s).", "\\x00", "[\\x00a]", "\\bfoo\\b", "x\\s*$", "\\n$", "^\\s"]
pcre2_flags = [["-P"], ["-P"], ["--engine", "auto"], ["-P", "--no-pcre2"], ["--engine=pcre2"]]
pcre2_patterns = ["foo(?=bar)", "(?<=foo)\\s*bar", "(?<!\\w)foo", "(\\w)\\1", "(foo|bar) \\1",
                  "(?i)foo(?! )", "\\bfoo\\b", "^$", "\\Afoo", "(?<=é )foo", "a\\.b(?=\\s|$)",
                  "x*", "foo\\Kbar", "(?<=^|\\s)\\w+(?=\\s|$)", "\\s+$", "(?<=\\t)\\S"]
pcre2_only = [p for p in pcre2_patterns if "(?" in p or "\\1" in p or "\\K" in p]
if has_pcre2:
    flags += pcre2_flags
paths = ["a.txt", "b.rs", "c.c", "sub", "sub/d.txt", "z", "bin.dat", ".hid", ".h.txt", ".",
         "sub/deep"]


bad = 0
for n in range(runs):
    chosen = sum(random.sample(flags, random.randint(0, 3)), [])
    if null_data:
        chosen = ["--null-data"] + chosen
    named = [] if stdin else random.sample(paths, random.randint(0, 3))
    data = None
    if stdin:
        with open(random.choice(["a.txt", "b.rs", "c.c", "sub/d.txt", "bin.dat"]), "rb") as f:
            data = f.read()
        chosen = [a for a in chosen if a != "--files"]
    if "--passthru" in chosen and "-v" in chosen and any(a.startswith("-m") for a in chosen):
        # ripgrep prints (and counts) every line past -m as a match under -v --passthru: a
        # quirk of its searcher that mmgrep does not copy (the README says so).
        continue
    pcre2_drawn = any(a in ("-P", "--engine", "--engine=pcre2") for a in chosen)
    if "-v" in chosen and any(a.startswith("-m") for a in chosen) and (
            stdin or "--stop-on-nonmatch" in chosen or pcre2_drawn) and any(
            a.startswith("-A") or a.startswith("-C") or a == "--passthru" for a in chosen):
        # Past -m under -v, ripgrep's reader (stdin) and its slow line search (with
        # --stop-on-nonmatch, and always with PCRE2) print more lines than its search of a
        # named file: not copied.
        continue
    pattern = random.choice(patterns)
    if null_data and random.random() < 0.5:
        pattern = random.choice(null_patterns)
    if "--null-data" in chosen and ("--pre" in chosen or "-z" in chosen) and "^" in pattern:
        # Under --null-data ripgrep's printed `^` holds at the start of each read, and
        # through a pipe the reads depend on timing: rg's own output changes between runs.
        continue
    if "--null-data" in chosen and "-U" in chosen and pattern.startswith("^"):
        # Under -U ripgrep searches a NUL-separated file from where its last match ended,
        # so `^` holds there too (not copied; the README says so).
        continue
    engine = "default"
    for i, f in enumerate(chosen):
        if f in ("-P", "--engine=pcre2"):
            engine = "pcre2"
        elif f == "--no-pcre2":
            engine = "default"
        elif f == "--engine" and chosen[i + 1] == "auto":
            engine = "auto"
    if engine != "default" and random.random() < 0.5:
        # Under auto, only what the default engine refuses (look-around, backreferences)
        # reaches PCRE2: `\A` or `^$` would stay with the default engine, whose buffer-start
        # rules on stdin are not this list's business.
        pattern = random.choice(pcre2_patterns if engine == "pcre2" else pcre2_only)
    args = chosen + ["--", pattern] + named
    a = subprocess.run([mm] + (["--chunk-size", chunk] if chunk else []) + args,
                       input=data, capture_output=True, env=env)
    b = subprocess.run([rg, "--sort", "path"] + args, input=data, capture_output=True, env=env)
    if b.returncode == 101:
        # ripgrep panicked (it does on some -U searches with -m and --json): no reference.
        continue
    if (a.returncode, untimed(a.stdout)) != (b.returncode, untimed(b.stdout)):
        bad += 1
        if bad <= 8:
            print("MISMATCH", args, "mmgrep", a.returncode, a.stdout[:200], a.stderr[:200],
                  "rg", b.returncode, b.stdout[:200], b.stderr[:200])
print(f"seed {seed}: {runs} runs, {bad} mismatches")
sys.exit(1 if bad else 0)
