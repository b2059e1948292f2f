#!/usr/bin/env python3
"""Differential check of the walk against ripgrep on random trees, not run by `cargo test`
(it needs rg).

Each run makes a new random tree: directories up to four deep, files with and without
extensions, hidden ones, symbolic links (to files, to directories, loops, dangling),
`.gitignore`, `.ignore` and `.rgignore` files at random levels
holding random rules (globs, negations, anchored and directory-only rules, `**`, classes,
escapes, comments), `.git` directories at the top or lower (repositories inside
repositories), `.git/info/exclude` and a global excludes file. It then runs
`mmgrep --files` (or a search for `foo`) and `rg --files --sort path` with the same random
filter flags, from the top or from a directory inside the tree, over random roots (`.`, a
directory, `..`, a file, several, absolute paths), and compares stdout and exit status.
Prints the first mismatches and a count; exits 1 on any. Runs that differ only because rg
parses (and reports a bad rule in) a `.gitignore` outside any repository, which mmgrep
does not read, are counted apart.

Usage: tests/walk-vs-rg.py [SEED] [RUNS]   MM=path/to/mmgrep (default target/release/mmgrep),
                                           RG=path/to/rg (default rg),
                                           BASE=scratch directory (default /tmp/mmgrep-walk-vs-rg)
"""
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vs_rg import setup  # noqa: E402

seed, runs, mm, rg, base = setup("/tmp/mmgrep-walk-vs-rg", 300)

DIRS = ["a", "b", "src", "lib", "Docs", ".cfg", "build", "x y", "node_modules", "ü", "keep"]
FILES = ["a.txt", "b.rs", "c.c", "c.h", "D.TXT", ".hidden", "x.log", "y.md", "build", "foo",
         "f o.txt", "ü.txt", "a.min.js", "Makefile", "k.py", "!bang", "#hash", "x.LOG"]
RULES = ["*.log", "!x.log", "build/", "/a.txt", "src/*.rs", "**/b.rs", "*.[ch]", "D*", "docs",
         "!/lib", "a/**/c.c", "\\!bang", "\\#hash", "*.TXT", "/*/", "foo/", "**/build",
         "# comment", "", "lib/", "*.min.js", "!*.min.js", "y.*", "[ab].txt", "x\\ y", "?.rs",
         "src/", "/build/", "!build/", "!keep/", "keep/*", "!keep/a.txt", "*", "!*/", "!*.rs",
         "a", "/a", "a/", "**/a/**", "node_modules", "ü*", "*.py", "k.py/", "\\", "[",
         "a/b", "b/**", "**", "*/", ".cfg", "!.cfg", "*.LOG", "Makefile", "!Makefile",
         "  trailing.txt  ", "f\\ o.txt", "*.txt", "!a.txt", "lib/**/*.c", "/src/lib/"]
FLAGS = [["--hidden"], ["--no-ignore"], ["--no-ignore-vcs"], ["--no-ignore-dot"], ["-u"],
         ["-uu"], ["--no-require-git"], ["--no-ignore-parent"], ["--no-ignore-exclude"],
         ["--no-ignore-global"], ["--ignore-file-case-insensitive"],
         ["--glob-case-insensitive"], ["-g", "*.txt"], ["-g", "!*.rs"], ["-g", "src/**"],
         ["-g", "!build"], ["--iglob", "*.TXT"], ["-g", "!**/a/**"], ["-g", "*.{c,h}"],
         ["-t", "rust"], ["-t", "c"], ["-T", "txt"], ["-t", "make"], ["--max-depth", "1"],
         ["--max-depth", "2"], ["--max-depth", "0"], ["--ignore-file", "extra-ignore"],
         ["--no-ignore-files"], ["--one-file-system"], ["-.", "--no-hidden"],
         ["--no-ignore", "--ignore"], ["--max-filesize", "3"], ["-L"], ["-L"],
         ["--follow", "--no-follow"]]

shutil.rmtree(base, ignore_errors=True)
os.makedirs(base)
xdg = base + "/xdg"
env = dict(os.environ, XDG_CONFIG_HOME=xdg, HOME=xdg)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)


def rules():
    return "\n".join(random.choice(RULES) for _ in range(random.randint(1, 4))) + "\n"


def make_tree(top):
    dirs = [top]
    for _ in range(random.randint(1, 8)):
        parent = random.choice(dirs)
        if parent.count("/") - top.count("/") < 4:
            d = os.path.join(parent, random.choice(DIRS))
            os.makedirs(d, exist_ok=True)
            if d not in dirs:
                dirs.append(d)
    for d in dirs:
        for name in random.sample(FILES, random.randint(0, 4)):
            p = os.path.join(d, name)
            if not os.path.isdir(p):
                write(p, "foo\n" if random.random() < 0.8 else "bar foo\n")
        for kind in [".gitignore", ".ignore", ".rgignore"]:
            if random.random() < 0.25:
                write(os.path.join(d, kind), rules())
        if random.random() < (0.6 if d == top else 0.1):
            os.makedirs(os.path.join(d, ".git"), exist_ok=True)
            if random.random() < 0.3:
                write(os.path.join(d, ".git/info/exclude"), rules())
    # Links: to a file, to a directory (sometimes one above it: a loop under -L), dangling.
    for _ in range(random.randint(0, 3)):
        d = random.choice(dirs)
        link = os.path.join(d, random.choice(["ln", "ln.txt", ".ln", "lnd"]))
        if os.path.lexists(link):
            continue
        target = random.choice([random.choice(dirs), os.path.join(random.choice(dirs), "a.txt"),
                                "nowhere"])
        os.symlink(os.path.relpath(target, d) if target != "nowhere" else target, link)
    write(os.path.join(xdg, "git/ignore"), rules() if random.random() < 0.3 else "")
    write(os.path.join(top, "extra-ignore"), rules())
    return dirs


def in_repo(path):
    """Whether a `.git` directory sits beside `path` or in a directory above it, in the tree."""
    d = os.path.dirname(os.path.abspath(path))
    while d.startswith(base + "/t"):
        if os.path.isdir(os.path.join(d, ".git")):
            return True
        d = os.path.dirname(d)
    return False


def outside_repo_only(err_mm, err_rg, cwd, args):
    """True when what differs is ripgrep reporting a `.gitignore` rule it cannot parse in a
    file outside any repository, where its rules do not apply: mmgrep does not read those
    files (a difference the README names)."""
    if "--no-require-git" in args:
        return False
    mm_lines = set(err_mm.decode(errors="replace").splitlines())
    extra = [line for line in err_rg.decode(errors="replace").splitlines()
             if line.replace("rg:", "mmgrep:", 1) not in mm_lines]
    if not extra:
        return False
    for line in extra:
        if ".gitignore: line" not in line:
            return False
        path = line.split(": ")[1] if line.startswith("rg: ") else line.split(": ")[0]
        if in_repo(os.path.join(cwd, path)):
            return False
    return True


mismatches = 0
known = 0
shown = 0
for run in range(runs):
    top = os.path.join(base, "t")
    shutil.rmtree(top, ignore_errors=True)
    shutil.rmtree(xdg, ignore_errors=True)
    os.makedirs(top)
    dirs = make_tree(top)
    cwd = random.choice([top, top, random.choice(dirs)])
    rel = [os.path.relpath(d, cwd) for d in dirs]
    files = [os.path.relpath(os.path.join(d, f), cwd)
             for d in dirs for f in os.listdir(d) if os.path.isfile(os.path.join(d, f))]
    roots = random.choice([
        [], ["."], [random.choice(rel)], ["./" + random.choice(rel)],
        [random.choice(rel) + "/"], [random.choice(rel), random.choice(rel)],
        [os.path.join(cwd, random.choice(rel))], [".."] if cwd != top else ["."],
        [random.choice(files)] if files else ["."], ["nosuch"],
    ])
    args = []
    for _ in range(random.randint(0, 3)):
        args += random.choice(FLAGS)
    mode = random.choice([["--files"], ["--files"], ["-c", "foo"], ["-l", "bar"]])
    cmd_mm = [mm] + args + mode + roots
    cmd_rg = [rg, "--sort", "path"] + args + mode + roots
    a = subprocess.run(cmd_mm, cwd=cwd, env=env, capture_output=True, stdin=subprocess.DEVNULL)
    b = subprocess.run(cmd_rg, cwd=cwd, env=env, capture_output=True, stdin=subprocess.DEVNULL)
    if (a.stdout, a.returncode) != (b.stdout, b.returncode):
        if outside_repo_only(a.stderr, b.stderr, cwd, args):
            known += 1
            continue
        mismatches += 1
        if shown < 5:
            shown += 1
            keep = f"{base}-fail{run}"
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(top, keep, symlinks=True)
            print(f"== run {run}: cwd {os.path.relpath(cwd, top)}, tree kept at {keep}")
            print("   mmgrep", " ".join(args + mode + roots))
            print("   mmgrep rc", a.returncode, "rg rc", b.returncode)
            ma, mb = a.stdout.decode(errors="replace"), b.stdout.decode(errors="replace")
            print("   only mmgrep:", sorted(set(ma.splitlines()) - set(mb.splitlines()))[:8])
            print("   only rg:    ", sorted(set(mb.splitlines()) - set(ma.splitlines()))[:8])
            if a.stderr or b.stderr:
                print("   mmgrep stderr:", a.stderr.decode(errors="replace")[:300])
                print("   rg stderr:    ", b.stderr.decode(errors="replace")[:300])
print(f"{runs} runs, {mismatches} mismatches (seed {seed}); {known} where only rg reports a "
      ".gitignore outside a repository")
sys.exit(1 if mismatches else 0)
