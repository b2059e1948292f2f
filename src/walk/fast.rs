//! The sorted walk of one root directory, written for speed, with the `ignore` crate's rules.
//!
//! `ignore`'s sequential walker (the one that can sort) asks the file system per directory
//! whether `.git`, `.jj`, `.ignore` and `.gitignore` exist (four or five failing `stat`s per
//! directory: 25,199 on the Linux tree of the benchmarks), and both of its walkers parse
//! every `.gitignore` they meet, even outside any git repository, where the rules never
//! apply. This walker reads each directory once, learns from the listing which of those
//! files exist (as `ignore`'s parallel walker does), and builds a `.gitignore` matcher only
//! inside a repository. The matchers themselves are `ignore`'s public ones (`Gitignore`,
//! `Override`, `Types`), combined in the order `ignore`'s `Ignore::matched` combines them.
//!
//! It walks every root directory when links are not followed ([`FastWalk::takes`]); the
//! rules of the root's ancestors are read as `ignore` reads them, and matched against the
//! path made absolute as `ignore` makes it. With `--follow`, and for roots that are not
//! directories, `ignore`'s walker runs. A property test compares the two on random trees,
//! starting at the top or below it, named absolutely or relatively.

use std::ffi::OsStr;
use std::fs::FileType;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder, Glob};
use ignore::overrides::Override;
use ignore::types::Types;

use super::dir::{self, DirFd, Kind, Listing};
use super::{Haystack, WalkOptions};
use crate::messages;

/// The ignore rules a directory adds, as `ignore`'s `IgnoreInner` holds them.
struct Level {
    /// `.rgignore`: ripgrep's own file, consulted before the others (`ignore`'s custom
    /// ignore file).
    rg_ignore: Option<Gitignore>,
    ignore: Option<Gitignore>,
    git_ignore: Option<Gitignore>,
    git_exclude: Option<Gitignore>,
    /// The directory holds `.git` (any type) or `.jj`: a repository's root.
    has_git: bool,
    /// This directory or one above it (within the walk) is a repository's root.
    in_git: bool,
}

impl Level {
    fn has_rules(&self) -> bool {
        self.rg_ignore.is_some()
            || self.ignore.is_some()
            || self.git_ignore.is_some()
            || self.git_exclude.is_some()
    }
}

/// The rules above a walk's root, nearest first.
struct Parents {
    /// The root's canonical path.
    base: PathBuf,
    /// The root as given.
    root: PathBuf,
    levels: Vec<Level>,
    any_rules: bool,
    /// Some ancestor is a repository's root.
    in_git: bool,
}

/// A directory being walked: its sorted listing and a cursor into it.
struct Frame {
    dir: PathBuf,
    /// The directory's descriptor, kept for the files below it (None past the budget).
    fd: Option<Arc<DirFd>>,
    depth: usize,
    listing: Listing,
    /// The next entry of the listing to look at.
    next: usize,
    level: Level,
}

/// The rule-match outcome, as `ignore::Match` without its payload.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    None,
    Ignore,
    Whitelist,
}

impl Verdict {
    fn of<T>(m: Match<T>) -> Verdict {
        match m {
            Match::None => Verdict::None,
            Match::Ignore(_) => Verdict::Ignore,
            Match::Whitelist(_) => Verdict::Whitelist,
        }
    }
}

/// `m`, or when it has no opinion, `other()` (`ignore::Match::or`, evaluated lazily).
fn or_else<T>(m: Match<T>, other: impl FnOnce() -> Match<T>) -> Match<T> {
    if m.is_none() { other() } else { m }
}

/// Why the walk leaves an entry out (said by --debug).
enum Skip<'g> {
    /// An ignore file's rule (or --ignore-file's, or git's exclude files).
    Rule(&'g Glob),
    Override,
    Type,
    Hidden,
    Stdout,
    /// Its metadata could not be read while checking whether it is stdout's file (the
    /// error is reported as it happens).
    Unreadable,
    Size(u64),
}

impl std::fmt::Display for Skip<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Rule(g) => {
                write!(f, "ignored by the rule '{}'", g.original())?;
                match g.from() {
                    Some(file) => write!(f, " in {}", file.display()),
                    None => Ok(()),
                }
            }
            Skip::Override => f.write_str("excluded by the -g/--glob rules"),
            Skip::Type => f.write_str("not of the file types selected by -t/-T"),
            Skip::Hidden => f.write_str("hidden (--hidden searches it)"),
            Skip::Stdout => f.write_str("it is the file standard output writes to"),
            Skip::Unreadable => f.write_str("its metadata cannot be read (reported)"),
            Skip::Size(n) => write!(f, "{n} bytes, more than --max-filesize"),
        }
    }
}

/// The sorted walker's settings, built once per run.
pub(super) struct FastWalk<'a> {
    opts: &'a WalkOptions,
    overrides: Override,
    types: Types,
    /// `core.excludesFile`, built the first time a repository is met.
    global: std::cell::OnceCell<Gitignore>,
    /// Device and inode of stdout when it is a regular file: never searched (rg's rule).
    stdout: Option<(u64, u64)>,
}

impl<'a> FastWalk<'a> {
    pub(super) fn new(opts: &'a WalkOptions, overrides: Override, types: Types) -> Self {
        FastWalk {
            opts,
            overrides,
            types,
            global: std::cell::OnceCell::new(),
            stdout: stdout_file(),
        }
    }

    /// True when this walker gives the same answer as `ignore`'s for `root`: a directory,
    /// with links not followed.
    pub(super) fn takes(&self, root: &Path) -> bool {
        !self.opts.follow && root != Path::new("-") && root.is_dir()
    }

    /// The rules `root`'s ancestors hold (`ignore`'s `add_parents`): their `.ignore`,
    /// repositories, `.gitignore` (parsed only inside a repository) and excludes.
    ///
    /// With `--no-ignore-parent` their rules are not kept, but as in `ignore` the ancestors
    /// are still read when git's rules count: a repository above the root still puts the
    /// walk inside one, and a rule there that cannot be parsed is still reported.
    fn parents(&self, root: &Path) -> Parents {
        let mut parents = Parents {
            base: PathBuf::new(),
            root: root.to_path_buf(),
            levels: Vec::new(),
            any_rules: false,
            // Without --require-git, git's rules count everywhere, as in a repository.
            in_git: self.opts.no_require_git,
        };
        let (dot, vcs) = (self.opts.dot(), self.opts.vcs());
        if !vcs && (self.opts.no_ignore_parent || !dot) {
            return parents;
        }
        let Ok(base) = root.canonicalize() else {
            return parents;
        };
        // The ancestors' errors make one report, an error as `ignore`'s walker raises it.
        let mut errors = Vec::new();
        let ci = self.opts.ignore_case_insensitive;
        let require_git = self.opts.require_git();
        let mut rules = |dir: &Path, file: &Path| {
            let (gi, err) = read_rules(dir, file, ci);
            // `ignore` drops the I/O errors of the ignore files it finds.
            errors.extend(err.filter(|e| !e.is_io()));
            gi
        };
        let dirs: Vec<&Path> = base.ancestors().skip(1).collect();
        // From the top down, so that each level knows whether it sits in a repository.
        for dir in dirs.iter().rev() {
            let git_type = if require_git {
                std::fs::metadata(dir.join(".git"))
                    .ok()
                    .map(|m| m.file_type())
            } else {
                None
            };
            let has_git = require_git && (git_type.is_some() || dir.join(".jj").exists());
            parents.in_git |= has_git;
            let level = Level {
                rg_ignore: dot.then(|| rules(dir, &dir.join(".rgignore"))).flatten(),
                ignore: dot.then(|| rules(dir, &dir.join(".ignore"))).flatten(),
                git_ignore: (vcs && parents.in_git)
                    .then(|| rules(dir, &dir.join(".gitignore")))
                    .flatten(),
                git_exclude: self
                    .opts
                    .exclude()
                    .then(|| git_common_dir(dir, git_type))
                    .flatten()
                    .and_then(|g| rules(dir, &g.join("info/exclude"))),
                has_git,
                in_git: parents.in_git,
            };
            parents.any_rules |= level.has_rules();
            parents.levels.push(level);
        }
        match errors.len() {
            0 => {}
            1 => messages::error_line(&errors[0].to_string()),
            _ => messages::error_line(&ignore::Error::Partial(errors).to_string()),
        }
        if self.opts.no_ignore_parent {
            parents.levels.clear();
            parents.any_rules = false;
            return parents;
        }
        parents.levels.reverse();
        parents.base = base;
        parents
    }

    /// Walks `root` (which [`takes`](Self::takes) accepted) in path order, calling `f` with
    /// each file to search; returns false when `f` asked to stop.
    pub(super) fn walk(
        &self,
        root: &Path,
        strip_dot: bool,
        f: &mut impl FnMut(Haystack) -> bool,
    ) -> bool {
        // --one-file-system: the root's device, as `ignore` learns it (following a link).
        let device = match self.opts.one_file_system {
            false => None,
            true => match std::fs::metadata(root) {
                Ok(m) => Some(m.dev()),
                Err(e) => {
                    messages::error_line(&format!("{}: {e}", root.display()));
                    return true;
                }
            },
        };
        let parents = self.parents(root);
        let mut stack: Vec<Frame> = Vec::new();
        let mut dents = Vec::new();
        let mut open = |parent: Option<RawFd>, dir: PathBuf, depth: usize, in_git: bool| {
            self.open(parent, dir, depth, in_git, device, &mut dents)
        };
        if let Some(frame) = open(None, root.to_path_buf(), 0, parents.in_git) {
            stack.push(frame);
        }
        if self.opts.max_depth == Some(0) {
            // Nothing below the root; its rules and its parents' were still read, and
            // reported when they cannot be parsed, as `ignore`'s walker does.
            return true;
        }
        while let Some(top) = stack.last_mut() {
            let Some(&child) = top.listing.entries.get(top.next) else {
                stack.pop();
                continue;
            };
            top.next += 1;
            let depth = top.depth + 1;
            let name = top.listing.name(&child);
            let path = join(&top.dir, name);
            let name = &path.as_os_str().as_bytes()[path.as_os_str().len() - name.len()..];
            let is_dir = child.kind == Kind::Dir;
            if let Some(why) = self.skip(&stack, &parents, &path, name, child.ino, is_dir) {
                log::debug!("ignoring {}: {why}", path.display());
                continue;
            }
            if is_dir {
                if self.opts.max_depth.is_none_or(|m| depth < m) {
                    let top = stack.last().expect("the entry's frame");
                    let (in_git, parent) = (top.level.in_git, top.fd.as_ref().map(|d| d.raw()));
                    if let Some(frame) = open(parent, path, depth, in_git) {
                        stack.push(frame);
                    }
                }
            } else if child.kind == Kind::File {
                let mut hay = Haystack::found(path, strip_dot, false);
                hay.at = stack.last().and_then(|t| t.fd.clone());
                if !f(hay) {
                    return false;
                }
            }
        }
        true
    }

    /// Reads directory `dir` (opened relative to its `parent`'s descriptor when there is
    /// one), sorts its listing and builds its ignore rules; a directory that cannot be read
    /// is reported (as `ignore` words it) and skipped, and so is one that is not on
    /// `device`, when given (--one-file-system), silently.
    fn open(
        &self,
        parent: Option<RawFd>,
        dir: PathBuf,
        depth: usize,
        parent_in_git: bool,
        device: Option<u64>,
        dents: &mut Vec<u8>,
    ) -> Option<Frame> {
        let opened = match parent {
            Some(p) => dir::open_dir(Some(p), dir.file_name().unwrap_or_default()),
            None => dir::open_dir(None, dir.as_os_str()),
        };
        let fd = match opened {
            Ok(fd) => fd,
            Err(e) => {
                report(Some(&dir), e);
                return None;
            }
        };
        if let Some(device) = device
            && !on_device(fd.as_raw_fd(), device)
        {
            return None;
        }
        let mut listing = dir::read_listing(fd.as_raw_fd(), dents, &mut |name, e| match name {
            Some(name) => report(Some(&dir.join(name)), e),
            None => report(None, e),
        });
        listing.sort();
        let level = self.level(&dir, &listing, parent_in_git);
        // Kept only for something to open below it.
        let wanted = listing.entries.iter().any(|c| c.kind != Kind::Other);
        Some(Frame {
            fd: wanted.then(|| DirFd::keep(fd).map(Arc::new)).flatten(),
            dir,
            depth,
            listing,
            next: 0,
            level,
        })
    }

    /// The rules directory `dir` adds, following `ignore`'s
    /// `add_child_path_with_found_ignore_files`; `.gitignore` is only parsed inside a
    /// repository, the only place its rules are consulted.
    fn level(&self, dir: &Path, listing: &Listing, parent_in_git: bool) -> Level {
        let has = |name: &str| listing.has(name);
        let ci = self.opts.ignore_case_insensitive;
        let mut level = Level {
            rg_ignore: None,
            ignore: None,
            git_ignore: None,
            git_exclude: None,
            has_git: false,
            in_git: parent_in_git,
        };
        if self.opts.dot() && has(".rgignore") {
            level.rg_ignore = rules(dir, &dir.join(".rgignore"), ci);
        }
        if self.opts.dot() && has(".ignore") {
            level.ignore = rules(dir, &dir.join(".ignore"), ci);
        }
        if !self.opts.vcs() {
            return level;
        }
        // Without --require-git, `ignore` does not look for repositories (and reads the
        // excludes of a `.git` as a directory's).
        let require_git = self.opts.require_git();
        let git_type = if require_git && has(".git") {
            std::fs::metadata(dir.join(".git"))
                .ok()
                .map(|m| m.file_type())
        } else {
            None
        };
        let has_jj = require_git && has(".jj") && dir.join(".jj").exists();
        level.has_git = git_type.is_some() || has_jj;
        level.in_git = parent_in_git || level.has_git;
        if level.in_git && has(".gitignore") {
            level.git_ignore = rules(dir, &dir.join(".gitignore"), ci);
        }
        if self.opts.exclude()
            && has(".git")
            && let Some(git_dir) = git_common_dir(dir, git_type)
        {
            level.git_exclude = rules(dir, &git_dir.join("info/exclude"), ci);
        }
        level
    }

    /// `ignore`'s `skip_entry` for an entry below the root: the rules, hidden files,
    /// stdout's own file and `--max-filesize`. Why, when the entry is left out.
    fn skip<'s>(
        &'s self,
        stack: &'s [Frame],
        parents: &'s Parents,
        path: &Path,
        name: &[u8],
        ino: u64,
        is_dir: bool,
    ) -> Option<Skip<'s>> {
        let rel = strip_bytes(path, b"./");
        let mut verdict = Verdict::None;
        // The reason for an Ignore verdict: the overrides', unless a later source gives one.
        let mut why = Skip::Override;
        if !self.overrides.is_empty() {
            verdict = Verdict::of(self.overrides.matched(rel, is_dir));
        }
        if verdict == Verdict::None {
            if self.opts.any_ignore_rules() {
                let m = self.ignored(stack, parents, rel, is_dir);
                if let Match::Ignore(glob) = m {
                    why = Skip::Rule(glob);
                }
                verdict = Verdict::of(m);
            }
            if verdict != Verdict::Ignore && !self.types.is_empty() {
                match Verdict::of(self.types.matched(rel, is_dir)) {
                    Verdict::None => {}
                    v => (verdict, why) = (v, Skip::Type),
                }
            }
        }
        match verdict {
            Verdict::Ignore => return Some(why),
            Verdict::None if !self.opts.hidden && name.first() == Some(&b'.') => {
                return Some(Skip::Hidden);
            }
            _ => {}
        }
        if let Some((dev, stdout_ino)) = self.stdout
            && stdout_ino == ino
        {
            match std::fs::metadata(path) {
                Ok(m) if m.dev() == dev && m.ino() == stdout_ino => return Some(Skip::Stdout),
                Ok(_) => {}
                Err(e) => {
                    // `ignore` words this one without walkdir's prefix.
                    messages::error_line(&format!("{}: {e}", path.display()));
                    return Some(Skip::Unreadable);
                }
            }
        }
        if let Some(max) = self.opts.max_filesize
            && !is_dir
            && let Ok(m) = std::fs::symlink_metadata(path)
            && m.len() > max
        {
            return Some(Skip::Size(m.len()));
        }
        None
    }

    /// `ignore`'s `matched_ignore`: per kind of rule the deepest directory with an opinion
    /// wins; git rules count only inside a repository and not above its root.
    fn ignored<'s>(
        &'s self,
        stack: &'s [Frame],
        parents: &'s Parents,
        path: &Path,
        is_dir: bool,
    ) -> Match<&'s Glob> {
        let any_git = stack.last().is_some_and(|t| t.level.in_git);
        let (mut rg, mut ig) = (Match::None, Match::None);
        let (mut gi, mut ex) = (Match::None, Match::None);
        let mut saw_git = false;
        let mut consult = |level: &'s Level, path: &Path| {
            let check = |m: &'s Option<Gitignore>, v: &mut Match<&'s Glob>| {
                if v.is_none()
                    && let Some(m) = m
                {
                    *v = m.matched(path, is_dir);
                }
            };
            check(&level.rg_ignore, &mut rg);
            check(&level.ignore, &mut ig);
            if any_git && !saw_git {
                check(&level.git_ignore, &mut gi);
                check(&level.git_exclude, &mut ex);
            }
            saw_git |= level.has_git;
        };
        for frame in stack.iter().rev() {
            consult(&frame.level, path);
        }
        if parents.any_rules {
            // The ancestors' rules see the path made absolute: the root's canonical path
            // joined with the path below the root (`ignore`'s own arithmetic).
            let below = if parents.root == Path::new(".") {
                path
            } else {
                let root = parents.root.as_os_str().as_bytes();
                let root = root.strip_prefix(b"./").unwrap_or(root);
                strip_bytes(strip_bytes(path, root), b"/")
            };
            let abs = parents.base.join(below);
            for level in &parents.levels {
                consult(level, &abs);
            }
        }
        let m = or_else(or_else(or_else(rg, || ig), || gi), || ex);
        let m = or_else(m, || {
            if any_git && self.opts.global() {
                self.global().matched(path, is_dir)
            } else {
                Match::None
            }
        });
        or_else(m, || self.opts.ignore_files.matched(path, is_dir))
    }

    /// `core.excludesFile`, rooted at the current directory as `ignore`'s walker roots it.
    fn global(&self) -> &Gitignore {
        self.global.get_or_init(|| match std::env::current_dir() {
            Ok(cwd) => {
                let mut b = GitignoreBuilder::new(cwd);
                b.case_insensitive(self.opts.ignore_case_insensitive)
                    .expect("no globs yet");
                b.build_global().0
            }
            Err(_) => Gitignore::empty(),
        })
    }
}

/// A matcher for the rules in `file`, rooted at `dir` (`ignore`'s `create_gitignore`),
/// matching case insensitively with `ci`; None when the file does not exist. A rule that
/// cannot be parsed is reported and left out, as ripgrep does; the others apply.
fn rules(dir: &Path, file: &Path, ci: bool) -> Option<Gitignore> {
    let (gi, err) = read_rules(dir, file, ci);
    if let Some(err) = err {
        messages::ignore_file(&err);
    }
    gi
}

/// [`rules`], with the error returned instead of reported.
fn read_rules(dir: &Path, file: &Path, ci: bool) -> (Option<Gitignore>, Option<ignore::Error>) {
    if !file.exists() {
        return (None, None);
    }
    let mut b = GitignoreBuilder::new(dir);
    b.case_insensitive(ci).expect("no globs yet");
    let err = b.add(file);
    match b.build() {
        Ok(gi) => (Some(gi), err),
        Err(e) => match err {
            Some(first) => (None, Some(ignore::Error::Partial(vec![first, e]))),
            None => (None, Some(e)),
        },
    }
}

/// The directory holding `info/exclude` for a repository rooted at `dir` (`ignore`'s
/// `resolve_git_commondir`): `.git` itself, or for a linked worktree or submodule (a `.git`
/// file saying `gitdir: ...`) the common directory that file's `commondir` names.
fn git_common_dir(dir: &Path, git_type: Option<FileType>) -> Option<PathBuf> {
    use std::io::BufRead;
    let git = dir.join(".git");
    if !git_type.is_some_and(|t| t.is_file()) {
        return Some(git);
    }
    let first_line = |p: &Path| -> Option<String> {
        let f = std::fs::File::open(p).ok()?;
        std::io::BufReader::new(f).lines().next()?.ok()
    };
    let line = first_line(&git)?;
    let real = PathBuf::from(line.strip_prefix("gitdir: ")?);
    let common = first_line(&real.join("commondir"))?;
    Some(if common.starts_with('.') {
        real.join(common)
    } else {
        PathBuf::from(common)
    })
}

/// `dir/name`, allocated once at its full length.
fn join(dir: &Path, name: &[u8]) -> PathBuf {
    let dir = dir.as_os_str().as_bytes();
    let mut p = Vec::with_capacity(dir.len() + 1 + name.len());
    p.extend_from_slice(dir);
    if !dir.is_empty() && !dir.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    PathBuf::from(std::ffi::OsString::from_vec(p))
}

/// `path` without the leading bytes `prefix`, when it has them (`ignore`'s byte-wise
/// `strip_prefix`).
fn strip_bytes<'p>(path: &'p Path, prefix: &[u8]) -> &'p Path {
    let b = path.as_os_str().as_bytes();
    Path::new(OsStr::from_bytes(b.strip_prefix(prefix).unwrap_or(b)))
}

/// Reports an error reading the tree as `ignore` words one that walkdir raised
/// (`PATH: IO error for operation on PATH: reason`, or the bare reason without a path).
fn report(path: Option<&Path>, e: std::io::Error) {
    match path {
        Some(p) => {
            let p = p.display();
            messages::error_line(&format!("{p}: IO error for operation on {p}: {e}"));
        }
        None => messages::error_line(&e.to_string()),
    }
}

/// Whether the open file `fd` lives on the file system `device` (`st_dev`); when that
/// cannot be learnt, it is taken to (and reading the directory reports the trouble).
fn on_device(fd: RawFd, device: u64) -> bool {
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat writes into `st`, a properly sized and aligned stat buffer.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return true;
    }
    st.st_dev == device
}

/// Device and inode of stdout when it is redirected to a regular file.
fn stdout_file() -> Option<(u64, u64)> {
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat writes into `st`, a properly sized and aligned stat buffer.
    if unsafe { libc::fstat(1, &mut st) } != 0 || st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return None;
    }
    Some((st.st_dev, st.st_ino))
}

#[cfg(test)]
mod tests {
    use super::super::{TypeChange, build_overrides, build_types, build_walker, walk_sorted};
    use super::*;
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const NAMES: &[&str] = &[
        "a", "b", ".h", "src", "keep.c", "x.rs", "y.txt", "Z.md", "sub",
    ];
    const RULES: &[&str] = &[
        "*.c", "!keep.c", "sub/", "/a", "**/x.rs", "b", "*.txt", "!*.txt", ".h", "src/*.rs",
        "Z.md", "!sub", "a/**", "# note", "*.MD", "KEEP.C", "!Y.TXT",
    ];
    const GLOBS: &[&str] = &[
        "*.c",
        "!*.rs",
        "sub/**",
        "!a",
        "*.{md,txt}",
        "!.h",
        "*.MD",
        "!X.RS",
    ];
    const TYPES: &[&str] = &["c", "rust", "txt", "markdown"];

    /// A random tree: paths (the last component is a file unless a longer path goes
    /// through it), and for some directories ignore files, a repository and its excludes;
    /// `extra` are the rules of files for --ignore-file, written at the top as `ig0`, `ig1`.
    #[derive(Debug, Clone)]
    struct Tree {
        paths: Vec<Vec<usize>>,
        sizes: Vec<usize>,
        dot_ignore: Vec<(usize, Vec<usize>)>,
        rg_ignore: Vec<(usize, Vec<usize>)>,
        git_ignore: Vec<(usize, Vec<usize>)>,
        repos: Vec<(usize, Vec<usize>)>,
        extra: Vec<Vec<usize>>,
    }

    fn tree() -> impl Strategy<Value = Tree> {
        let path = proptest::collection::vec(0..NAMES.len(), 1..4);
        let rules = || proptest::collection::vec(0..RULES.len(), 1..4);
        (
            proptest::collection::vec(path, 4..30),
            proptest::collection::vec(0usize..40, 20),
            proptest::collection::vec((0usize..20, rules()), 0..3),
            proptest::collection::vec((0usize..20, rules()), 0..3),
            proptest::collection::vec((0usize..20, rules()), 0..4),
            proptest::collection::vec((0usize..20, rules()), 0..3),
            proptest::collection::vec(rules(), 1..3),
        )
            .prop_map(
                |(paths, sizes, dot_ignore, rg_ignore, git_ignore, repos, extra)| Tree {
                    paths,
                    sizes,
                    dot_ignore,
                    rg_ignore,
                    git_ignore,
                    repos,
                    extra,
                },
            )
    }

    /// Walk options; with `ignore_files` set, the caller reads the tree's `ig*` files into
    /// them (--ignore-file).
    fn options() -> impl Strategy<Value = (WalkOptions, bool)> {
        (
            any::<[bool; 5]>(),
            proptest::array::uniform4(proptest::bool::weighted(0.3)),
            proptest::option::weighted(0.2, 1usize..4),
            prop_oneof![
                3 => Just(vec![]),
                1 => proptest::collection::vec(0..GLOBS.len(), 1..3),
            ],
            proptest::option::weighted(0.25, 0..TYPES.len()),
            proptest::option::weighted(0.25, 0..TYPES.len()),
            proptest::array::uniform3(proptest::bool::weighted(0.3)),
        )
            .prop_map(|(flags, more, max_depth, globs, ty, ty_not, case)| {
                let opts = WalkOptions {
                    hidden: flags[0],
                    no_ignore_vcs: flags[2],
                    no_ignore_dot: flags[4],
                    no_ignore_exclude: more[0],
                    no_ignore_global: more[1],
                    no_ignore_parent: more[2],
                    no_require_git: case[0],
                    ignore_case_insensitive: case[1],
                    glob_case_insensitive: case[2],
                    max_filesize: (flags[3] && flags[0]).then_some(20),
                    max_depth,
                    globs: globs.into_iter().map(|g| GLOBS[g].to_string()).collect(),
                    type_changes: ty
                        .into_iter()
                        .map(|t| TypeChange::Select(TYPES[t].to_string()))
                        .chain(
                            ty_not
                                .into_iter()
                                .map(|t| TypeChange::Negate(TYPES[t].to_string())),
                        )
                        .collect(),
                    sorted: true,
                    ..WalkOptions::default()
                };
                (if flags[1] { opts.no_ignore() } else { opts }, more[3])
            })
    }

    /// Builds `tree` under a fresh directory; returns that directory and every directory
    /// in the tree, sorted.
    fn build(tree: &Tree) -> (PathBuf, Vec<PathBuf>) {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!("mmgrep-walk-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let rels: Vec<PathBuf> = tree
            .paths
            .iter()
            .map(|p| p.iter().map(|&i| NAMES[i]).collect())
            .collect();
        let is_dir = |r: &Path| rels.iter().any(|o| o != r && o.starts_with(r));
        let mut dirs = vec![root.clone()];
        for (i, r) in rels.iter().enumerate() {
            let full = root.join(r);
            // Every directory on the way down can hold rules.
            dirs.extend(r.ancestors().skip(1).map(|a| root.join(a)));
            if is_dir(r) {
                std::fs::create_dir_all(&full).unwrap();
                dirs.push(full);
            } else {
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                if !full.is_dir() {
                    std::fs::write(&full, vec![b'x'; tree.sizes[i % tree.sizes.len()]]).unwrap();
                }
            }
        }
        dirs.sort();
        dirs.dedup();
        let rules = |ids: &[usize]| {
            ids.iter()
                .map(|&i| format!("{}\n", RULES[i]))
                .collect::<String>()
        };
        for (d, ids) in &tree.dot_ignore {
            std::fs::write(dirs[d % dirs.len()].join(".ignore"), rules(ids)).unwrap();
        }
        for (d, ids) in &tree.rg_ignore {
            std::fs::write(dirs[d % dirs.len()].join(".rgignore"), rules(ids)).unwrap();
        }
        for (d, ids) in &tree.git_ignore {
            std::fs::write(dirs[d % dirs.len()].join(".gitignore"), rules(ids)).unwrap();
        }
        for (d, ids) in &tree.repos {
            // Often the top, so that walks starting below it start inside a repository.
            let d = if *d < 8 { 0 } else { d % dirs.len() };
            let info = dirs[d].join(".git/info");
            std::fs::create_dir_all(&info).unwrap();
            std::fs::write(info.join("exclude"), rules(ids)).unwrap();
        }
        for (i, ids) in tree.extra.iter().enumerate() {
            std::fs::write(root.join(format!("ig{i}")), rules(ids)).unwrap();
        }
        std::os::unix::fs::symlink("keep.c", root.join("link.c")).unwrap();
        (root, dirs)
    }

    /// `path` (absolute) written relative to the current directory, `../` by `../`.
    fn relative(path: &Path) -> PathBuf {
        let cwd = std::env::current_dir().unwrap();
        let mut rel = PathBuf::new();
        for _ in cwd.components().skip(1) {
            rel.push("..");
        }
        rel.join(path.strip_prefix("/").unwrap())
    }

    fn listing(root: &Path, opts: &WalkOptions, quick: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut push = |h: Haystack| {
            out.push(String::from_utf8_lossy(&h.display).into_owned());
            true
        };
        if quick {
            let w = FastWalk::new(
                opts,
                build_overrides(opts).unwrap(),
                build_types(opts).unwrap(),
            );
            assert!(w.takes(root), "{}: not taken", root.display());
            w.walk(root, false, &mut push);
        } else {
            let b = build_walker(&[root.as_os_str().to_owned()], opts).unwrap();
            walk_sorted(b, false, &mut push);
        }
        out
    }

    /// Directory descriptors are kept up to a bound; past it, the walk reads each directory
    /// and closes it, and its files are opened by path. (One test: it holds the whole budget.)
    #[test]
    fn past_the_descriptor_budget_files_are_opened_by_path() {
        let t = super::super::dir::tests::tempfile_dir();
        for f in ["a/x.txt", "a/b/y.txt", "z.txt"] {
            std::fs::create_dir_all(t.join(f).parent().unwrap()).unwrap();
            std::fs::write(t.join(f), f).unwrap();
        }
        let opts = WalkOptions::default();
        let w = FastWalk::new(
            &opts,
            build_overrides(&opts).unwrap(),
            build_types(&opts).unwrap(),
        );
        let walk = || {
            let mut found = Vec::new();
            w.walk(&t, false, &mut |h| {
                found.push(h);
                true
            });
            found
        };
        let kept = walk();
        assert!(kept.iter().all(|h| h.at.is_some()), "the budget is free");
        let mut held = Vec::new();
        while let Some(d) = DirFd::keep(dir::open_dir(None, t.as_os_str()).unwrap()) {
            held.push(d);
            assert!(
                held.len() <= dir::KEEP_MAX,
                "the budget bounds what is kept"
            );
        }
        drop(held);
        // Other tests' walks come and go meanwhile: spend the budget on this thread alone.
        dir::tests::REFUSE.set(true);
        let by_path = walk();
        dir::tests::REFUSE.set(false);
        assert!(
            by_path.iter().all(|h| h.at.is_none()),
            "no room left in the budget"
        );
        assert_eq!(by_path.len(), 3);
        for (a, b) in kept.iter().zip(&by_path) {
            assert_eq!(a.path, b.path);
            let read = |h: &Haystack| std::io::read_to_string(h.open().unwrap()).unwrap();
            assert_eq!(read(a), read(b));
            assert!(read(a).ends_with(".txt"));
        }
        std::fs::remove_dir_all(&t).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The fast walker lists exactly the files, in exactly the order, that `ignore`'s
        /// sorted walker does.
        #[test]
        fn the_fast_walk_lists_what_ignore_lists(
            tree in tree(),
            (mut opts, ignore_files) in options(),
            below in proptest::option::of(0usize..20),
            rel in any::<bool>(),
        ) {
            // The walk starts at the tree's top or at a directory below it, whose
            // ancestors' rules then reach in; named absolutely or relatively.
            let (top, dirs) = build(&tree);
            if ignore_files {
                let paths: Vec<PathBuf> =
                    (0..tree.extra.len()).map(|i| top.join(format!("ig{i}"))).collect();
                opts.ignore_files = super::super::IgnoreFiles::read(&paths);
            }
            let start = below.map_or(top.clone(), |d| dirs[d % dirs.len()].clone());
            let start = if rel { relative(&start) } else { start };
            let want = listing(&start, &opts, false);
            let got = listing(&start, &opts, true);
            // --sortr path: the same files, last first.
            let mut reversed = Vec::new();
            let ropts = WalkOptions {
                run_order: Some(super::super::RunOrder::PathDescending),
                ..opts.clone()
            };
            super::super::walk(&[start.clone().into_os_string()], &ropts, false, |h| {
                reversed.push(String::from_utf8_lossy(&h.display).into_owned());
                true
            })
            .unwrap();
            reversed.reverse();
            std::fs::remove_dir_all(&top).unwrap();
            prop_assert_eq!(&got, &want);
            prop_assert_eq!(reversed, want);
        }
    }

    #[test]
    fn rules_above_the_start_apply_inside_their_repository() {
        // top/.git, top/.gitignore "*.c", top/.ignore "!keep.c" (which wins),
        // top/src/.gitignore "*.txt"; the walk starts at top/src/sub, two levels below the
        // repository's root.
        let tree = Tree {
            paths: vec![vec![3, 8, 4], vec![3, 8, 6], vec![3, 8, 7]],
            sizes: vec![1],
            dot_ignore: vec![(0, vec![1])],
            rg_ignore: vec![],
            git_ignore: vec![(0, vec![0]), (1, vec![6])],
            repos: vec![(0, vec![])],
            extra: vec![],
        };
        let (top, dirs) = build(&tree);
        let start = &dirs[2];
        assert!(start.ends_with("src/sub"), "{}", start.display());
        let opts = WalkOptions {
            sorted: true,
            ..WalkOptions::default()
        };
        let want = vec![
            format!("{}/Z.md", start.display()),
            format!("{}/keep.c", start.display()),
        ];
        assert_eq!(listing(start, &opts, true), want);
        assert_eq!(listing(start, &opts, false), want);
        let rel = relative(start);
        assert_eq!(listing(&rel, &opts, true), listing(&rel, &opts, false));
        std::fs::remove_dir_all(&top).unwrap();
    }

    #[test]
    fn an_anchored_rule_above_the_start_matches_the_path_from_its_own_directory() {
        // top/.ignore "a/**"; walks starting at top/a/sub, named absolutely and relatively.
        let tree = Tree {
            paths: vec![vec![0, 8, 4], vec![1]],
            sizes: vec![1],
            dot_ignore: vec![(0, vec![12])],
            rg_ignore: vec![],
            git_ignore: vec![],
            repos: vec![],
            extra: vec![],
        };
        let (top, dirs) = build(&tree);
        let opts = WalkOptions {
            sorted: true,
            ..WalkOptions::default()
        };
        let start = &dirs[2];
        assert!(start.ends_with("a/sub"), "{}", start.display());
        for start in [start.clone(), relative(start)] {
            assert_eq!(listing(&start, &opts, true), Vec::<String>::new());
            assert_eq!(listing(&start, &opts, false), Vec::<String>::new());
        }
        let b = format!("{}/b", top.display());
        assert_eq!(listing(&top, &opts, true), vec![b]);
        std::fs::remove_dir_all(&top).unwrap();
    }

    /// src/keep.c and src/y.txt, with a .gitignore at the top naming keep.c.
    fn src_with_a_gitignore() -> Tree {
        Tree {
            paths: vec![vec![3, 4], vec![3, 6]],
            sizes: vec![1],
            dot_ignore: vec![],
            rg_ignore: vec![],
            git_ignore: vec![(0, vec![0])],
            repos: vec![],
            extra: vec![],
        }
    }

    #[test]
    fn a_gitignore_applies_only_inside_a_repository() {
        let (root, _) = build(&src_with_a_gitignore());
        let opts = WalkOptions {
            sorted: true,
            ..WalkOptions::default()
        };
        let base = root.display().to_string();
        let all = vec![format!("{base}/src/keep.c"), format!("{base}/src/y.txt")];
        assert_eq!(listing(&root, &opts, true), all);
        std::fs::create_dir(root.join(".git")).unwrap();
        assert_eq!(
            listing(&root, &opts, true),
            vec![format!("{base}/src/y.txt")]
        );
        assert_eq!(
            listing(&root, &opts, false),
            vec![format!("{base}/src/y.txt")]
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn without_require_git_a_gitignore_applies_outside_a_repository() {
        let (root, _) = build(&src_with_a_gitignore());
        let opts = WalkOptions {
            sorted: true,
            no_require_git: true,
            ..WalkOptions::default()
        };
        let want = vec![format!("{}/src/y.txt", root.display())];
        assert_eq!(listing(&root, &opts, true), want);
        assert_eq!(listing(&root, &opts, false), want);
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// The device check of --one-file-system: a directory is on its own file system and
    /// not on another one.
    #[test]
    fn the_device_check_tells_file_systems_apart() {
        let t = super::super::dir::tests::tempfile_dir();
        let fd = dir::open_dir(None, t.as_os_str()).unwrap();
        let dev = std::fs::metadata(&t).unwrap().dev();
        assert!(on_device(fd.as_raw_fd(), dev));
        assert!(!on_device(fd.as_raw_fd(), dev.wrapping_add(1)));
        std::fs::remove_dir_all(&t).unwrap();
    }

    /// Where /proc is a file system of its own (no other mount can be made here), a walk
    /// of `/` with --one-file-system leaves it out, and both walkers agree.
    #[test]
    fn one_file_system_stays_out_of_proc() {
        let dev = |p: &str| std::fs::metadata(p).map(|m| m.dev()).ok();
        if dev("/") == dev("/proc") || dev("/proc/version").is_none() {
            eprintln!("skipped: /proc is not a file system of its own here");
            return;
        }
        let opts = WalkOptions {
            sorted: true,
            max_depth: Some(2),
            ..WalkOptions::default()
        };
        let root = Path::new("/");
        assert!(listing(root, &opts, true).contains(&"/proc/version".to_string()));
        let opts = WalkOptions {
            one_file_system: true,
            ..opts
        };
        // Other runs' files come and go in the temporary directory and under /work.
        let tmp = std::env::temp_dir().display().to_string();
        let steady = |l: Vec<String>| -> Vec<String> {
            l.into_iter()
                .filter(|p| !p.starts_with(&tmp) && !p.starts_with("/work/"))
                .collect()
        };
        let got = steady(listing(root, &opts, true));
        assert!(!got.iter().any(|p| p.starts_with("/proc/")), "{got:?}");
        assert_eq!(got, steady(listing(root, &opts, false)));
    }
}
