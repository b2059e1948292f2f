//! Walking: turns the given paths into haystacks in path order (each directory's entries
//! sorted by file name, as `rg --sort path`), honouring ignore files, hidden files, globs,
//! types, depth and size limits with the `ignore` crate's rules: a root directory goes to
//! mmgrep's own sorted walker (the `fast` module), anything else (and `--sort none`) to
//! `ignore`'s walkers; or reads them from a `--files-from` / `--files0-from` list
//! ([`walk_list`]). Orders known only at the end (`--sortr path`, sorts by a file time)
//! collect the run's haystacks and sort them ([`RunOrder`]).

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

mod dir;
mod fast;

pub use dir::DirFd;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::{Override, OverrideBuilder};
use ignore::types::{Types, TypesBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::messages;

/// Filters that decide which files are searched.
///
/// The ignore sources are switched one by one, as ripgrep's flags switch them (`--no-ignore`
/// turns off all five `no_ignore_*` switches, not `ignore_files`).
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    pub hidden: bool,
    /// --no-ignore-dot: .ignore and .rgignore are not read.
    pub no_ignore_dot: bool,
    /// --no-ignore-vcs: .gitignore, .git/info/exclude and git's global excludes are not read.
    pub no_ignore_vcs: bool,
    /// --no-ignore-exclude: .git/info/exclude is not read.
    pub no_ignore_exclude: bool,
    /// --no-ignore-global: git's global excludes file (core.excludesFile) is not read.
    pub no_ignore_global: bool,
    /// --no-ignore-parent: the ignore files above each root are not honoured.
    pub no_ignore_parent: bool,
    /// --ignore-file: rules below every other ignore file's.
    pub ignore_files: IgnoreFiles,
    /// --no-require-git: .gitignore, .git/info/exclude and git's global excludes count
    /// outside repositories too, and a repository's root no longer stops the rules above it.
    pub no_require_git: bool,
    /// --ignore-file-case-insensitive: the rules of ignore files (not --ignore-file's) match
    /// case insensitively.
    pub ignore_case_insensitive: bool,
    /// --glob-case-insensitive: -g globs match as --iglob ones.
    pub glob_case_insensitive: bool,
    /// --one-file-system: no directory on another file system than its root's is entered.
    pub one_file_system: bool,
    pub follow: bool,
    pub max_depth: Option<usize>,
    pub max_filesize: Option<u64>,
    pub globs: Vec<String>,
    pub iglobs: Vec<String>,
    /// -t, -T, --type-add and --type-clear, in command-line order.
    pub type_changes: Vec<TypeChange>,
    /// Keep the walker's order (path order); false lets a parallel walker go as it likes.
    pub sorted: bool,
    /// An order the walk cannot give as it goes (`--sortr path`, a sort by a file time):
    /// every haystack of the run is collected first, then handed out in that order.
    pub run_order: Option<RunOrder>,
}

/// An order of the whole run's haystacks, known only once the walk is over (ripgrep's
/// `--sortr path` and `--sort`/`--sortr modified|accessed|created`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOrder {
    /// By path, component by component, last first.
    PathDescending,
    /// By a file time, oldest first (newest first when `descending`); files of equal times
    /// keep the walk's order (path order), and those whose time cannot be read come after
    /// the others (before them when `descending`), as in ripgrep.
    Time { time: FileTime, descending: bool },
}

/// A file time to sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileTime {
    Modified,
    Accessed,
    Created,
}

impl FileTime {
    /// The time of a file, following symbolic links (ripgrep stats the path).
    fn of(self, path: &Path) -> std::io::Result<std::time::SystemTime> {
        let meta = std::fs::metadata(path)?;
        match self {
            FileTime::Modified => meta.modified(),
            FileTime::Accessed => meta.accessed(),
            FileTime::Created => meta.created(),
        }
    }

    /// Whether this platform gives the time, judged as ripgrep judges it: by the running
    /// executable's file (creation time needs statx and a file system that records it).
    /// The error is ripgrep's message.
    pub fn check_supported(self) -> Result<(), String> {
        let what = match self {
            FileTime::Modified => "last modified",
            FileTime::Accessed => "last accessed",
            FileTime::Created => "creation time",
        };
        std::env::current_exe()
            .and_then(|exe| self.of(&exe))
            .map(|_| ())
            .map_err(|e| format!("sorting by {what} isn't supported: {e}"))
    }
}

impl RunOrder {
    /// Sorts a run's haystacks (collected in walk order) into this order.
    fn sort(self, all: &mut Vec<Haystack>) {
        match self {
            RunOrder::PathDescending => {
                fn key(h: &Haystack) -> &Path {
                    if h.stdin {
                        Path::new("<stdin>")
                    } else {
                        &h.path
                    }
                }
                all.sort_by(|a, b| key(b).cmp(key(a)));
            }
            RunOrder::Time { time, descending } => {
                // Stdin has no time; a file that cannot be stat'ed neither.
                let mut timed: Vec<_> = std::mem::take(all)
                    .into_iter()
                    .map(|h| ((!h.stdin).then(|| time.of(&h.path).ok()).flatten(), h))
                    .collect();
                // Stable: equal times keep the walk's order, in both directions.
                timed.sort_by(|(a, _), (b, _)| {
                    let o = match (a, b) {
                        (Some(a), Some(b)) => a.cmp(b),
                        (Some(_), None) => std::cmp::Ordering::Less,
                        (None, Some(_)) => std::cmp::Ordering::Greater,
                        (None, None) => std::cmp::Ordering::Equal,
                    };
                    if descending { o.reverse() } else { o }
                });
                all.extend(timed.into_iter().map(|(_, h)| h));
            }
        }
    }
}

/// A change to the table of file types (`--type-add`, `--type-clear`) or to the selection
/// (`-t`, `-T`). ripgrep applies them in command-line order: a clear forgets the globs added
/// before it, and of two selections matching a file the later one decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeChange {
    /// `-t NAME`.
    Select(String),
    /// `-T NAME`.
    Negate(String),
    /// `NAME:GLOB` or `NAME:include:OTHER,...`.
    Add(String),
    /// Forget every glob of the type.
    Clear(String),
}

impl WalkOptions {
    /// `--no-ignore`: every ignore source off but `--ignore-file`'s (ripgrep's rule).
    pub fn no_ignore(mut self) -> WalkOptions {
        self.no_ignore_dot = true;
        self.no_ignore_vcs = true;
        self.no_ignore_exclude = true;
        self.no_ignore_global = true;
        self.no_ignore_parent = true;
        self
    }

    /// Whether `.ignore` and `.rgignore` files count.
    fn dot(&self) -> bool {
        !self.no_ignore_dot
    }

    /// Whether `.gitignore` files count (and repositories are looked for).
    fn vcs(&self) -> bool {
        !self.no_ignore_vcs
    }

    /// Whether `.git/info/exclude` counts.
    fn exclude(&self) -> bool {
        self.vcs() && !self.no_ignore_exclude
    }

    /// Whether git's global excludes file counts.
    fn global(&self) -> bool {
        self.vcs() && !self.no_ignore_global
    }

    /// Whether git's rules count only inside a repository (and not above its root), so
    /// that `.git` and `.jj` are looked for.
    fn require_git(&self) -> bool {
        self.vcs() && !self.no_require_git
    }

    /// Whether any ignore rule can apply (`ignore`'s `has_any_ignore_rules`): when none
    /// can, no path is matched against rules.
    fn any_ignore_rules(&self) -> bool {
        self.dot() || self.vcs() || !self.ignore_files.is_empty()
    }
}

/// The files of `--ignore-file`, read once: gitignore rules matched against paths relative
/// to the current directory, after every other ignore file's (`ignore`'s explicit
/// ignores).
#[derive(Clone, Debug, Default)]
pub struct IgnoreFiles {
    paths: Vec<PathBuf>,
    rules: Vec<Gitignore>,
}

impl IgnoreFiles {
    /// Reads `paths` in order, as ripgrep's `WalkBuilder::add_ignore` does: a file that
    /// cannot be read, or a rule that cannot be parsed, is reported as a message about an
    /// ignore file (not an error: the exit status stays) and the rest applies.
    pub fn read(paths: &[PathBuf]) -> IgnoreFiles {
        let mut files = IgnoreFiles::default();
        if paths.is_empty() {
            return files;
        }
        let cwd = match std::env::current_dir() {
            Ok(cwd) => cwd,
            Err(_) => {
                for p in paths {
                    let e = std::io::Error::other(format!(
                        "CWD is not known, ignoring global gitignore {}",
                        p.display()
                    ));
                    messages::ignore_file(&e.into());
                }
                return files;
            }
        };
        for p in paths {
            let mut b = GitignoreBuilder::new(&cwd);
            let mut errs = Vec::new();
            errs.extend(b.add(p));
            match b.build() {
                Ok(gi) => {
                    files.paths.push(p.clone());
                    files.rules.push(gi);
                }
                Err(e) => errs.push(e),
            }
            match errs.len() {
                0 => {}
                1 => messages::ignore_file(&errs[0]),
                _ => messages::ignore_file(&ignore::Error::Partial(errs)),
            }
        }
        files
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether the rules ignore or whitelist `path` (as the walk names it, without a
    /// leading `./`): the last file with an opinion decides.
    fn matched(&self, path: &Path, is_dir: bool) -> Match<&ignore::gitignore::Glob> {
        self.rules
            .iter()
            .rev()
            .map(|gi| gi.matched(path, is_dir))
            .find(|m| !m.is_none())
            .unwrap_or(Match::None)
    }
}

/// One thing to search.
#[derive(Clone, Debug)]
pub struct Haystack {
    /// The path to open (empty for stdin).
    pub path: PathBuf,
    /// The path as printed: raw bytes, `./` stripped when no path was given (shared with
    /// the output side, which prints it).
    pub display: std::sync::Arc<[u8]>,
    /// Named on the command line (or stdin) rather than found by walking.
    pub explicit: bool,
    pub stdin: bool,
    /// The open directory holding the file, when the walker kept it: the file is opened
    /// relative to it, by name.
    pub at: Option<std::sync::Arc<DirFd>>,
}

impl Haystack {
    /// Opens the file for reading: by name in its kept directory, or by path.
    pub fn open(&self) -> std::io::Result<std::fs::File> {
        match &self.at {
            Some(dir) => {
                // The walker joined the name to its directory's path with a '/'.
                let p = self.path.as_os_str().as_bytes();
                let name = &p[memchr::memrchr(b'/', p).map_or(0, |i| i + 1)..];
                dir.open_file(std::ffi::OsStr::from_bytes(name))
            }
            None => std::fs::File::open(&self.path),
        }
    }

    pub fn stdin() -> Haystack {
        Haystack {
            path: PathBuf::new(),
            display: std::sync::Arc::from(&b"<stdin>"[..]),
            explicit: true,
            stdin: true,
            at: None,
        }
    }
}

/// Builds the file-type matcher (`-t`, `-T`, with `--type-add` and `--type-clear` applied in
/// order); errors name the unknown type or the bad definition, in `ignore`'s words.
pub fn build_types(opts: &WalkOptions) -> Result<Types, String> {
    if opts.type_changes.is_empty() {
        // Nothing selected: a matcher without definitions answers the same (nothing), and
        // building ripgrep's table of types takes longer than a small search.
        return TypesBuilder::new().build().map_err(|e| e.to_string());
    }
    types_table(&opts.type_changes)?
        .build()
        .map_err(|e| e.to_string())
}

/// ripgrep's table of types with `changes` applied in order (selections take effect when
/// the matcher is built).
fn types_table(changes: &[TypeChange]) -> Result<TypesBuilder, String> {
    let mut b = TypesBuilder::new();
    b.add_defaults();
    for c in changes {
        match c {
            TypeChange::Add(def) => b.add_def(def).map_err(|e| e.to_string())?,
            TypeChange::Clear(name) => {
                b.clear(name);
            }
            TypeChange::Select(name) => {
                b.select(name);
            }
            TypeChange::Negate(name) => {
                b.negate(name);
            }
        }
    }
    Ok(b)
}

/// The `--type-list` listing: `name: glob, glob` per line, sorted by name, after `changes`.
pub fn type_list(changes: &[TypeChange]) -> Result<String, String> {
    let b = types_table(changes)?;
    let mut out = String::new();
    for def in b.definitions() {
        out.push_str(def.name());
        out.push_str(": ");
        out.push_str(&def.globs().join(", "));
        out.push('\n');
    }
    Ok(out)
}

fn build_walker(paths: &[OsString], opts: &WalkOptions) -> Result<WalkBuilder, String> {
    let mut b = WalkBuilder::new(Path::new(&paths[0]));
    for p in &paths[1..] {
        b.add(Path::new(p));
    }
    // The files were read (and their errors reported) once, by `IgnoreFiles::read`.
    for p in &opts.ignore_files.paths {
        let _ = b.add_ignore(p);
    }
    if opts.dot() {
        // ripgrep's own ignore file, above .ignore and .gitignore in precedence.
        b.add_custom_ignore_filename(".rgignore");
    }
    b.hidden(!opts.hidden)
        .parents(!opts.no_ignore_parent)
        .ignore(opts.dot())
        .git_ignore(opts.vcs())
        .git_global(opts.global())
        .git_exclude(opts.exclude())
        .require_git(!opts.no_require_git)
        .ignore_case_insensitive(opts.ignore_case_insensitive)
        .same_file_system(opts.one_file_system)
        .follow_links(opts.follow)
        .max_depth(opts.max_depth)
        .max_filesize(opts.max_filesize)
        .skip_stdout(true);
    if opts.sorted {
        // Siblings share their parent's path, so comparing whole paths as bytes orders them
        // by file name, without the component parsing `file_name()` costs per comparison.
        b.sort_by_file_path(|a, b| {
            a.as_os_str()
                .as_encoded_bytes()
                .cmp(b.as_os_str().as_encoded_bytes())
        });
    }
    b.overrides(build_overrides(opts)?);
    b.types(build_types(opts)?);
    Ok(b)
}

/// Builds the `-g` / `--iglob` matcher, rooted at the current directory as rg roots it.
fn build_overrides(opts: &WalkOptions) -> Result<Override, String> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut ob = OverrideBuilder::new(cwd);
    if opts.glob_case_insensitive {
        ob.case_insensitive(true).map_err(|e| e.to_string())?;
    }
    for g in &opts.globs {
        ob.add(g).map_err(|e| e.to_string())?;
    }
    ob.case_insensitive(true).map_err(|e| e.to_string())?;
    for g in &opts.iglobs {
        ob.add(g).map_err(|e| e.to_string())?;
    }
    ob.build().map_err(|e| e.to_string())
}

/// Decides whether a walk entry is a haystack, and builds it; reports the errors in the
/// ignore files of a directory entry.
fn haystack_of(dent: ignore::DirEntry, strip_dot: bool) -> Option<Haystack> {
    if let Some(err) = dent.error() {
        messages::ignore_file(err);
    }
    if dent.is_stdin() {
        return Some(Haystack::stdin());
    }
    let ft = dent.file_type();
    let is_dir = ft.is_some_and(|t| t.is_dir()) || (dent.path_is_symlink() && dent.path().is_dir());
    let explicit = dent.depth() == 0 && !is_dir;
    let is_file = ft.is_some_and(|t| t.is_file());
    if !explicit && !is_file {
        return None;
    }
    Some(Haystack::found(dent.into_path(), strip_dot, explicit))
}

impl Haystack {
    /// The haystack for a path a walk found (or a root it was given: `explicit`).
    /// `strip_dot`: only the implicit root `./` is stripped, so its children start with
    /// exactly "./".
    fn found(path: PathBuf, strip_dot: bool, explicit: bool) -> Haystack {
        let bytes = path.as_os_str().as_bytes();
        let shown = if strip_dot && bytes.starts_with(b"./") {
            &bytes[2..]
        } else {
            bytes
        };
        Haystack {
            display: std::sync::Arc::from(shown),
            path,
            explicit,
            stdin: false,
            at: None,
        }
    }
}

/// `ignore`'s sequential sorted walk; returns false when `f` asked to stop.
fn walk_sorted(b: WalkBuilder, strip_dot: bool, f: &mut impl FnMut(Haystack) -> bool) -> bool {
    for r in b.build() {
        match r {
            Ok(dent) => {
                if let Some(h) = haystack_of(dent, strip_dot)
                    && !f(h)
                {
                    return false;
                }
            }
            Err(e) => messages::error_line(&e.to_string()),
        }
    }
    true
}

/// Walks `paths` and calls `f` with each haystack in path order (or in the run order of
/// `opts`); `f` returns false to stop. Walk errors are reported as they happen and the walk
/// goes on. `strip_dot` removes the leading `./` from printed paths (when no path was
/// given).
pub fn walk(
    paths: &[OsString],
    opts: &WalkOptions,
    strip_dot: bool,
    f: impl FnMut(Haystack) -> bool,
) -> Result<(), String> {
    in_run_order(opts, f, |g| walk_in_order(paths, opts, strip_dot, g))
}

/// Hands `f` the haystacks that `produce` finds: as they come, or, under a run order, all
/// of them once `produce` is done, sorted (ripgrep's collect-then-sort). An error of
/// `produce` is returned after the haystacks found before it are handed out.
fn in_run_order(
    opts: &WalkOptions,
    mut f: impl FnMut(Haystack) -> bool,
    produce: impl FnOnce(&mut dyn FnMut(Haystack) -> bool) -> Result<(), String>,
) -> Result<(), String> {
    let Some(order) = opts.run_order else {
        return produce(&mut f);
    };
    let mut all = Vec::new();
    let r = produce(&mut |h| {
        all.push(h);
        true
    });
    order.sort(&mut all);
    for h in all {
        if !f(h) {
            break;
        }
    }
    r
}

/// [`walk`] in path order (or, unsorted, as the walkers come).
fn walk_in_order(
    paths: &[OsString],
    opts: &WalkOptions,
    strip_dot: bool,
    mut f: impl FnMut(Haystack) -> bool,
) -> Result<(), String> {
    if opts.sorted {
        // Roots one at a time, in the order given (as `ignore` takes them): the fast sorted
        // walker where it gives `ignore`'s answer, `ignore`'s own walker elsewhere.
        let quick = fast::FastWalk::new(opts, build_overrides(opts)?, build_types(opts)?);
        for p in paths {
            let root = Path::new(p);
            let go = if quick.takes(root) {
                quick.walk(root, strip_dot, &mut f)
            } else if root != Path::new("-") && std::fs::metadata(root).is_ok_and(|m| m.is_file()) {
                // A file named on the command line is searched whatever the rules say
                // (`ignore` never skips a root), so its walker, which would read git's
                // configuration for the global excludes first, is not needed.
                f(Haystack::found(root.to_path_buf(), strip_dot, true))
            } else {
                walk_sorted(
                    build_walker(std::slice::from_ref(p), opts)?,
                    strip_dot,
                    &mut f,
                )
            };
            if !go {
                break;
            }
        }
        return Ok(());
    }
    let b = build_walker(paths, opts)?;
    // Unsorted: a parallel walk feeding the callback through a channel.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Haystack>(4096);
    std::thread::scope(|s| {
        s.spawn(move || {
            b.build_parallel().run(|| {
                let tx = tx.clone();
                Box::new(move |r| match r {
                    Ok(dent) => match haystack_of(dent, strip_dot) {
                        Some(h) => {
                            if tx.send(h).is_err() {
                                WalkState::Quit
                            } else {
                                WalkState::Continue
                            }
                        }
                        None => WalkState::Continue,
                    },
                    Err(e) => {
                        messages::error_line(&e.to_string());
                        WalkState::Continue
                    }
                })
            });
        });
        for h in rx {
            if !f(h) {
                break;
            }
        }
    });
    Ok(())
}

/// Calls `f` with the haystacks of a `--files-from` / `--files0-from` list, in list order
/// (or in the run order of `opts`, the whole list's haystacks together, as the paths of a
/// command line are); `f` returns false to stop.
///
/// Each listed path is treated as if it was named on the command line: a file is searched
/// whatever the filters say (`explicit`), a directory is walked with the filters. Empty
/// entries are skipped; a path that cannot be read is reported and the list goes on. The
/// list is read as it is consumed, so a long one (or a pipe still being written) starts
/// the search at once. `-` as the list's name reads stdin; inside a list, `-` is a file
/// named `-`. An error opening or reading the list itself is returned.
pub fn walk_list(
    list: &crate::config::FileList,
    opts: &WalkOptions,
    f: impl FnMut(Haystack) -> bool,
) -> Result<(), String> {
    in_run_order(opts, f, |g| list_in_order(list, opts, g))
}

/// [`walk_list`] in list order.
fn list_in_order(
    list: &crate::config::FileList,
    opts: &WalkOptions,
    f: &mut dyn FnMut(Haystack) -> bool,
) -> Result<(), String> {
    use std::io::BufRead;

    let shown = list.path.display().to_string();
    let mut reader: Box<dyn BufRead> = if list.path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&list.path).map_err(|e| format!("{shown}: {e}"))?;
        Box::new(std::io::BufReader::with_capacity(64 * 1024, file))
    };
    let mut entry = Vec::new();
    loop {
        entry.clear();
        let n = reader
            .read_until(list.terminator, &mut entry)
            .map_err(|e| format!("{shown}: {e}"))?;
        if n == 0 {
            return Ok(());
        }
        if entry.last() == Some(&list.terminator) {
            entry.pop();
        }
        if entry.is_empty() {
            continue;
        }
        let path = PathBuf::from(OsString::from_vec(entry.clone()));
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                messages::error(&entry, &messages::io_reason(&e));
                continue;
            }
        };
        let go = if meta.is_dir() {
            let mut go = true;
            let r = walk_in_order(&[path.into_os_string()], opts, false, |h| {
                go = f(h);
                go
            });
            if let Err(e) = r {
                messages::error_line(&e);
            }
            go
        } else {
            f(Haystack {
                path,
                display: std::sync::Arc::from(&entry[..]),
                explicit: true,
                stdin: false,
                at: None,
            })
        };
        if !go {
            return Ok(());
        }
    }
}
