//! Planning: walks the haystacks as a search would, finds every match of every file in
//! parallel (large files in page-aligned chunks), expands the template per match and
//! records each edit compactly, checking every length. Nothing is written here.
//!
//! Rules: matches are the non-overlapping matches of each line, as `-o` finds them (a
//! whole-window scan finds the same ones, since no match spans a line). A match whose
//! replacement equals it is no edit. A file with a NUL byte anywhere is binary and is
//! skipped unless `-a` (a note when it was named on the command line). Files on
//! pseudo-filesystems, non-regular files and (without -L) symbolic links named on the
//! command line are refused before they are read.
//!
//! Edits are made in the bytes the search sees, and only where those are the file's own
//! (see [`view`]): a UTF-8 byte-order mark is skipped as the search skips it (not under
//! `-E none`); a file the search reads transcoded (UTF-16 with a byte-order mark, or a file
//! whose text under `-E LABEL` is not its own bytes) or as a program's output (`-z`,
//! `--pre`) is never written: when that text has a match, it is refused with an error.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::journal::{self, FileId};
use crate::chunk::{self, line_start_at_or_after, window_end};
use crate::config::Config;
use crate::input::{Encoding, Filter, Filters};
use crate::matcher::Matcher;
use crate::messages;
use crate::output::BinaryKind;
use crate::progress::Progress;
use crate::source::Map;
use crate::template::Template;
use crate::walk::{self, Haystack};

/// How many length mismatches a file keeps for the report (the run shows the first 10).
pub const KEEP_MISMATCHES: usize = 10;

/// One edit: `len` bytes at `off` in the file; its original (and, unless the replacement is
/// a constant, its new) bytes sit at `at` in the file's arenas.
#[derive(Clone, Copy, Debug)]
pub struct Edit {
    pub off: u64,
    pub at: u32,
    pub len: u32,
}

/// A match whose replacement has another length.
#[derive(Clone, Copy, Debug)]
pub struct Mismatch {
    pub off: u64,
    pub match_len: usize,
    pub repl_len: usize,
}

/// Everything planned for one file.
#[derive(Debug)]
pub struct FilePlan {
    /// Position in path order.
    pub seq: u64,
    pub display: Vec<u8>,
    pub path: PathBuf,
    pub id: FileId,
    pub mode: u32,
    pub edits: Vec<Edit>,
    pub orig: Vec<u8>,
    /// New bytes by `Edit::at` (empty when `constant` is set).
    pub new: Vec<u8>,
    pub constant: Option<Arc<[u8]>>,
    /// Matches found (including those whose replacement changes nothing).
    pub matches: u64,
    pub mismatches: Vec<Mismatch>,
    pub mismatch_total: u64,
    /// Bytes at the file's start that the search does not see (a UTF-8 byte-order mark):
    /// lines and columns are counted after them.
    pub skip: usize,
}

impl FilePlan {
    /// (offset, original bytes, new bytes) of every edit, in file order.
    pub fn iter_edits(&self) -> impl Iterator<Item = (u64, &[u8], &[u8])> + Clone + '_ {
        self.edits.iter().map(move |e| self.edit(e))
    }

    #[inline]
    pub fn edit(&self, e: &Edit) -> (u64, &[u8], &[u8]) {
        let (a, l) = (e.at as usize, e.len as usize);
        let new = match &self.constant {
            Some(c) => &c[..],
            None => &self.new[a..a + l],
        };
        (e.off, &self.orig[a..a + l], new)
    }

    /// Bytes the edits rewrite.
    pub fn bytes(&self) -> u64 {
        self.edits.iter().map(|e| e.len as u64).sum()
    }

    #[cfg(test)]
    pub fn for_test(path: &[u8], edits: &[(u64, &[u8], &[u8])]) -> FilePlan {
        let mut p = FilePlan {
            seq: 0,
            display: path.to_vec(),
            path: PathBuf::from(
                <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(path),
            ),
            id: FileId {
                dev: 1,
                ino: 2,
                size: 100,
                mtime_sec: 3,
                mtime_nsec: 4,
            },
            mode: 0o644,
            edits: Vec::new(),
            orig: Vec::new(),
            new: Vec::new(),
            constant: None,
            matches: 0,
            mismatches: Vec::new(),
            mismatch_total: 0,
            skip: 0,
        };
        for (off, o, n) in edits {
            p.edits.push(Edit {
                off: *off,
                at: p.orig.len() as u32,
                len: o.len() as u32,
            });
            p.orig.extend_from_slice(o);
            p.new.extend_from_slice(n);
        }
        p
    }
}

/// The plan of a whole run.
#[derive(Default)]
pub struct RunPlan {
    /// Files with edits or mismatches, in path order, each file once.
    pub files: Vec<FilePlan>,
    /// Matches in all files (a run with matches but no edits still "replaced").
    pub matches: u64,
    pub mismatch_total: u64,
    /// Files refused before they were read (links, pseudo-filesystems, errors): reported.
    pub files_refused: u64,
    pub files_searched: u64,
    pub bytes_searched: u64,
}

/// ripgrep's binary rules, as the search engine applies them (see `engine::Rules`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Binary {
    /// `-a`: no detection.
    Text,
    /// Files found by walking (and explicit ones ripgrep would not map): a NUL anywhere.
    Anywhere,
    /// Explicit files ripgrep would map: a NUL in the first 64 KiB or in a matched line.
    Slice,
}

/// What `scan_window` checks for NUL bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NulCheck {
    Nothing,
    Window,
    MatchedLines,
}

/// ripgrep looks for a NUL in this many leading bytes of a mapped file.
const BINARY_PREFIX: usize = 64 * 1024;

/// What planning needs from the configuration.
struct Ctx<'a> {
    matcher: &'a Matcher,
    template: &'a Template,
    constant: Option<Arc<[u8]>>,
    text: bool,
    rg_maps_explicit: bool,
    follow: bool,
    max_count: Option<u64>,
    chunk_size: usize,
    map_threshold: u64,
    mmap: crate::cli::MmapChoice,
    encoding: Encoding,
    filters: &'a Filters,
    progress: &'a Progress,
    files_done: AtomicU64,
    bytes_done: AtomicU64,
    refused: AtomicU64,
}

impl Ctx<'_> {
    /// Reports a file that will not be replaced in (an error: exit status 2).
    fn refuse(&self, path: &[u8], why: &str) {
        self.refused.fetch_add(1, Ordering::Relaxed);
        messages::error(path, why);
    }
}

/// Edits found in one window of a file.
#[derive(Default)]
struct Partial {
    edits: Vec<Edit>,
    orig: Vec<u8>,
    new: Vec<u8>,
    matches: u64,
    mismatches: Vec<Mismatch>,
    mismatch_total: u64,
    binary: Option<usize>,
    /// PCRE2 could not finish a match: the file is not replaced in.
    error: Option<String>,
    /// Bytes skipped at the file's start: offsets above count from the file's start.
    skip: usize,
}

impl Partial {
    /// Offsets found in the file's bytes after its first `skip`, made the file's own.
    fn shifted(mut self, skip: usize) -> Partial {
        for e in &mut self.edits {
            e.off += skip as u64;
        }
        for m in &mut self.mismatches {
            m.off += skip as u64;
        }
        self.binary = self.binary.map(|b| b + skip);
        self.skip = skip;
        self
    }
}

/// Pseudo-filesystems whose files are never written (statfs f_type).
const PSEUDO_FS: &[(u64, &str)] = &[
    (0x9fa0, "proc"),
    (0x6265_6572, "sysfs"),
    (0x6462_6720, "debugfs"),
    (0x7472_6163, "tracefs"),
    (0x0027_e0eb, "cgroup"),
    (0x6367_7270, "cgroup2"),
    (0x7363_6673, "securityfs"),
    (0x6165_676c, "pstore"),
    (0xcafe_4a11, "bpf"),
    (0x6265_6570, "configfs"),
    (0x1cd1, "devpts"),
    (0xde5e_81e4, "efivarfs"),
    (0x6573_5543, "fusectl"),
    (0xf97c_ff8c, "selinuxfs"),
    (0x4249_4e4d, "binfmt_misc"),
    (0x6e73_6673, "nsfs"),
    (0x6269_6e66, "binderfs"),
    (0x5a3c_69f0, "apparmorfs"),
];

/// The pseudo-filesystem `file` lives on, if any (cached per device).
pub fn pseudo_fs(file: &File, dev: u64) -> Option<&'static str> {
    thread_local! {
        static CACHE: RefCell<HashMap<u64, Option<&'static str>>> = RefCell::new(HashMap::new());
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&dev).copied()) {
        return hit;
    }
    // SAFETY: fstatfs fills the zeroed struct we pass for an open descriptor.
    let kind = unsafe {
        let mut st: libc::statfs = std::mem::zeroed();
        if libc::fstatfs(file.as_raw_fd(), &mut st) != 0 {
            return None;
        }
        let t = (st.f_type as u64) & 0xffff_ffff;
        PSEUDO_FS.iter().find(|(m, _)| *m == t).map(|(_, n)| *n)
    };
    CACHE.with(|c| c.borrow_mut().insert(dev, kind));
    kind
}

/// Plans the whole run: every file, in parallel, results in path order.
pub fn plan(cfg: &Config, template: &Template, progress: &Progress) -> RunPlan {
    let ctx = Ctx {
        matcher: &cfg.matcher,
        template,
        constant: template.constant().map(Arc::from),
        text: cfg.text,
        rg_maps_explicit: cfg.rg_maps_explicit,
        follow: cfg.walk.follow,
        max_count: cfg.search.max_count,
        chunk_size: cfg.chunk_size,
        map_threshold: cfg.mmap_threshold,
        mmap: cfg.mmap,
        encoding: cfg.encoding,
        filters: &cfg.filters,
        progress,
        files_done: AtomicU64::new(0),
        bytes_done: AtomicU64::new(0),
        refused: AtomicU64::new(0),
    };
    let matches = AtomicU64::new(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads.max(1))
        .thread_name(|i| format!("mmgrep-plan-{i}"))
        .build()
        .expect("thread pool");
    // Haystacks travel in small batches: one wake-up per batch, not per file.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(u64, Haystack)>>(64);
    let mut files: Vec<FilePlan> = std::thread::scope(|s| {
        s.spawn(move || produce(cfg, tx));
        pool.install(|| {
            rx.into_iter()
                .par_bridge()
                .flat_map_iter(|batch| {
                    batch.into_iter().filter_map(|(seq, hay)| {
                        let p = plan_file(&ctx, seq, &hay);
                        if let Some(p) = &p {
                            matches.fetch_add(p.matches, Ordering::Relaxed);
                        }
                        p.filter(|p| !p.edits.is_empty() || p.mismatch_total > 0)
                    })
                })
                .collect()
        })
    });
    // Sequence numbers follow the walk: path order for the sorted walk (the default), the
    // order files were found in under --sort none, list order for --files-from.
    files.sort_by_key(|f| f.seq);
    // The same file reached twice (a path given twice, hard links, links with -L): once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert((f.id.dev, f.id.ino)));
    let mismatch_total = files.iter().map(|f| f.mismatch_total).sum();
    RunPlan {
        files,
        matches: matches.into_inner(),
        mismatch_total,
        files_refused: ctx.refused.into_inner(),
        files_searched: ctx.files_done.into_inner(),
        bytes_searched: ctx.bytes_done.into_inner(),
    }
}

/// Under `--mmap never`, files up to this size are read whole rather than mapped.
const NEVER_MAP_UP_TO: u64 = 64 << 20;

/// The walker side: haystacks numbered as they come, in path order unless --sort none (the
/// sorted walk of the search, which reads each directory once).
fn produce(cfg: &Config, tx: std::sync::mpsc::SyncSender<Vec<(u64, Haystack)>>) {
    const BATCH: usize = 16;
    let mut seq = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    let tx = &tx;
    let send = &mut |h: Haystack| -> bool {
        if h.path.file_name().is_some_and(journal::is_journal_name) {
            return true;
        }
        seq += 1;
        batch.push((seq, h));
        if batch.len() < BATCH {
            return true;
        }
        tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
            .is_ok()
    };
    produce_into(cfg, send);
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
}

fn produce_into(cfg: &Config, send: &mut dyn FnMut(Haystack) -> bool) {
    if let Some(list) = &cfg.file_list {
        if let Err(e) = walk::walk_list(list, &cfg.walk, send) {
            messages::error_line(&e);
        }
        return;
    }
    let (paths, strip_dot) = if cfg.paths.is_empty() {
        (vec![OsString::from("./")], true)
    } else {
        (cfg.paths.clone(), cfg.implicit_path)
    };
    if let Err(e) = walk::walk(&paths, &cfg.walk, strip_dot, send) {
        messages::error_line(&e);
    }
}

thread_local! {
    static BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Plans one file. Problems are reported here; the file then has no plan.
fn plan_file(ctx: &Ctx<'_>, seq: u64, hay: &Haystack) -> Option<FilePlan> {
    let shown = &hay.display[..];
    if hay.stdin || hay.path.as_os_str() == "-" {
        ctx.refuse(
            b"<stdin>",
            "standard input cannot be replaced in place: name files instead",
        );
        return None;
    }
    if hay.explicit
        && !ctx.follow
        && let Ok(m) = std::fs::symlink_metadata(&hay.path)
        && m.file_type().is_symlink()
    {
        ctx.refuse(shown, "is a symbolic link: not replaced (pass -L/--follow to replace in the file it points to)");
        return None;
    }
    let mut flags = libc::O_NONBLOCK;
    if !ctx.follow {
        flags |= libc::O_NOFOLLOW;
    }
    let mut file = match OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(&hay.path)
    {
        Ok(f) => f,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            ctx.refuse(
                shown,
                "is a symbolic link: not replaced (pass -L/--follow to replace in the file it points to)",
            );
            return None;
        }
        Err(e) => {
            ctx.refuse(shown, &e.to_string());
            return None;
        }
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => {
            ctx.refuse(shown, &e.to_string());
            return None;
        }
    };
    if !meta.is_file() {
        if hay.explicit {
            ctx.refuse(shown, "is not a regular file: not replaced");
        }
        return None;
    }
    if let Some(fs) = pseudo_fs(&file, meta.dev()) {
        ctx.refuse(
            shown,
            &format!("is on a pseudo-filesystem ({fs}): not replaced"),
        );
        return None;
    }
    if let Some(filter) = ctx.filters.for_path(std::path::Path::new(
        <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(shown),
    )) {
        filtered(ctx, hay, filter)?;
    }
    let id = FileId::of(&meta);
    let size = id.size;
    let binary = if ctx.text {
        Binary::Text
    } else if hay.explicit && ctx.rg_maps_explicit {
        Binary::Slice
    } else {
        Binary::Anywhere
    };
    let done = |bytes: u64| {
        let n = ctx.files_done.fetch_add(1, Ordering::Relaxed) + 1;
        ctx.bytes_done.fetch_add(bytes, Ordering::Relaxed);
        ctx.progress.add(1, bytes, n);
    };
    if size == 0 {
        done(0);
        return None;
    }
    // --mmap never reads files whole, up to a bound that keeps memory in check; a larger
    // file is mapped all the same (the write side always goes through a map).
    let use_map = match ctx.mmap {
        crate::cli::MmapChoice::Always => true,
        crate::cli::MmapChoice::Auto => size >= ctx.map_threshold,
        crate::cli::MmapChoice::Never => size > NEVER_MAP_UP_TO,
    };
    let part = if use_map {
        // SAFETY: a file shrinking under the map is caught by the SIGBUS guard; `faulted`
        // is checked before the plan is used.
        let map = match unsafe { Map::open(&file) } {
            Ok(Some(m)) => m,
            Ok(None) => {
                done(0);
                return None;
            }
            Err(e) => {
                ctx.refuse(shown, &format!("cannot map: {e}"));
                return None;
            }
        };
        let bytes = map.bytes();
        if bytes.len() as u64 != size {
            ctx.refuse(shown, "changed while it was being read: not replaced");
            return None;
        }
        let part = match view(ctx.encoding, bytes) {
            View::Transcoded(why) => {
                let refuse = transcoded_has_match(ctx, bytes, binary);
                if map.faulted() {
                    ctx.refuse(
                        shown,
                        "changed while it was being read (it shrank): not replaced",
                    );
                    return None;
                }
                return transcoded(ctx, shown, &why, refuse, size, &done);
            }
            View::Own(skip) => {
                if ctx.max_count.is_none() && bytes.len() - skip > ctx.chunk_size {
                    scan_chunked(ctx, &map, skip, binary)
                } else {
                    map.advise_sequential(0, bytes.len());
                    scan_whole(ctx, &bytes[skip..], binary).shifted(skip)
                }
            }
        };
        if map.faulted() {
            ctx.refuse(
                shown,
                "changed while it was being read (it shrank): not replaced",
            );
            return None;
        }
        part
    } else {
        let r = BUF.with(|b| {
            let mut buf = b.borrow_mut();
            read_size(&mut file, size as usize, &mut buf).map(|n| {
                if n as u64 != size {
                    return None;
                }
                let bytes = &buf[..n];
                Some(match view(ctx.encoding, bytes) {
                    View::Own(skip) => Ok(scan_whole(ctx, &bytes[skip..], binary).shifted(skip)),
                    View::Transcoded(why) => Err((why, transcoded_has_match(ctx, bytes, binary))),
                })
            })
        });
        match r {
            Ok(Some(Ok(p))) => p,
            Ok(Some(Err((why, refuse)))) => {
                return transcoded(ctx, shown, &why, refuse, size, &done);
            }
            Ok(None) => {
                ctx.refuse(shown, "changed while it was being read: not replaced");
                return None;
            }
            Err(e) => {
                ctx.refuse(shown, &e.to_string());
                return None;
            }
        }
    };
    done(size);
    if let Some(e) = &part.error {
        ctx.refuse(shown, &format!("{e}: not replaced"));
        return None;
    }
    if let Some(at) = part.binary {
        if hay.explicit && (part.matches > 0 || part.mismatch_total > 0) {
            messages::note(&format!(
                "{}: binary file (NUL byte at offset {at}): not replaced (use -a/--text to replace in it)",
                String::from_utf8_lossy(shown)
            ));
        }
        return None;
    }
    Some(FilePlan {
        seq,
        display: hay.display.to_vec(),
        path: hay.path.clone(),
        id,
        mode: meta.mode(),
        edits: part.edits,
        orig: part.orig,
        new: part.new,
        constant: ctx.constant.clone(),
        matches: part.matches,
        mismatches: part.mismatches,
        mismatch_total: part.mismatch_total,
        skip: part.skip,
    })
}

/// What the search sees of a file, for --in-place.
#[derive(Debug, PartialEq, Eq)]
enum View {
    /// The file's own bytes after the first `skip` (a UTF-8 byte-order mark the search
    /// drops): edits there are written back byte for byte.
    Own(usize),
    /// Other bytes than the file's (transcoded text): never written. Says why.
    Transcoded(String),
}

/// The view of a file's `bytes` under the run's encoding, as the search reads them (see
/// `input.rs`).
fn view(encoding: Encoding, bytes: &[u8]) -> View {
    let utf16 = || {
        View::Transcoded(
            "UTF-16 text (it starts with a byte-order mark), searched transcoded to UTF-8".into(),
        )
    };
    match encoding {
        Encoding::Raw => View::Own(0),
        Encoding::Auto if crate::stream::Utf16::for_bom(bytes).is_some() => utf16(),
        Encoding::Auto => View::Own(encoding.skipped_bom(bytes)),
        Encoding::Label(_) if crate::stream::Utf16::for_bom(bytes).is_some() => utf16(),
        Encoding::Label(enc) => {
            // ripgrep's reader drops a UTF-8 byte-order mark and decodes the rest with
            // the label.
            let skip = if bytes.starts_with(crate::input::UTF8_BOM) {
                3
            } else {
                0
            };
            if decodes_to_itself(enc, &bytes[skip..]) {
                View::Own(skip)
            } else {
                View::Transcoded(format!(
                    "decoded as {} (-E), its text is not its bytes",
                    enc.name().to_ascii_lowercase()
                ))
            }
        }
    }
}

/// True when decoding `bytes` from `enc` to UTF-8 (as ripgrep's decoding reader does, a
/// byte-order mark of the encoding removed) gives back `bytes`.
fn decodes_to_itself(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> bool {
    if enc.is_ascii_compatible() && encoding_rs::Encoding::ascii_valid_up_to(bytes) == bytes.len() {
        return true;
    }
    let mut dec = enc.new_decoder_with_bom_removal();
    let mut out = vec![0u8; 64 * 1024];
    let (mut read_at, mut same_to) = (0, 0);
    loop {
        let (res, read, written, _) = dec.decode_to_utf8(&bytes[read_at..], &mut out, true);
        read_at += read;
        if bytes.get(same_to..same_to + written) != Some(&out[..written]) {
            return false;
        }
        same_to += written;
        if res == encoding_rs::CoderResult::InputEmpty {
            return same_to == bytes.len();
        }
    }
}

/// Whether the transcoded text of a file (which --in-place cannot write) has a match the
/// search would find, under the file's binary rule.
fn transcoded_has_match(ctx: &Ctx<'_>, bytes: &[u8], binary: Binary) -> bool {
    let mut src: Box<dyn crate::stream::Source + '_> = match ctx.encoding {
        Encoding::Label(enc) => Box::new(crate::stream::DecodeSource::new(enc, bytes)),
        _ => match crate::stream::Utf16Source::new(bytes) {
            Some(src) => Box::new(src),
            None => return false,
        },
    };
    let kind = match binary {
        Binary::Text => BinaryKind::Text,
        Binary::Anywhere => BinaryKind::Quit,
        Binary::Slice => BinaryKind::Convert,
    };
    has_match(ctx, &mut *src, kind).unwrap_or(true)
}

/// Whether the search would find a match in `src` under the file's binary rule (stopping
/// at the first); a read error is returned.
fn has_match(
    ctx: &Ctx<'_>,
    src: &mut dyn crate::stream::Source,
    kind: BinaryKind,
) -> std::io::Result<bool> {
    struct First(bool);
    impl crate::search::Sink for First {
        fn line(
            &mut self,
            _hay: &[u8],
            kind: crate::search::LineKind,
            _span: std::ops::Range<usize>,
            _line_no: u64,
            _gap: bool,
        ) -> bool {
            self.0 |= kind == crate::search::LineKind::Match;
            !self.0
        }
    }
    let mut first = First(false);
    let opts = crate::search::SearchOptions::default();
    let (_, err) =
        crate::stream::search_stream(src, kind, ctx.matcher, &opts, &mut first, &mut Vec::new());
    match err {
        Some(e) => Err(e),
        None => Ok(first.0),
    }
}

/// A file the search reads through a program (-z, --pre): never written. It is refused
/// when the program's output has a match (or the program fails, as the search reports it);
/// a decompressor that cannot be started leaves the file's own bytes to plan (`Some`).
fn filtered(ctx: &Ctx<'_>, hay: &Haystack, filter: Filter<'_>) -> Option<()> {
    let shown = &hay.display[..];
    let path =
        std::path::Path::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(shown));
    let mut rdr = match crate::input::start(filter, path, || hay.open()) {
        Ok(crate::input::Opened::Program(rdr)) => rdr,
        Ok(crate::input::Opened::Itself) => return Some(()),
        Err(msg) => {
            ctx.refuse(shown, &msg);
            return None;
        }
    };
    // The search reads a program's output with the reader's binary rules.
    let kind = if ctx.text {
        BinaryKind::Text
    } else if hay.explicit {
        BinaryKind::Convert
    } else {
        BinaryKind::Quit
    };
    let found = {
        let mut src = crate::stream::decoded(ctx.encoding, &mut rdr);
        has_match(ctx, &mut *src, kind)
    };
    let found = found.and_then(|m| rdr.close().map(|()| m));
    match found {
        Err(e) => ctx.refuse(shown, &e.to_string()),
        Ok(true) => {
            let what = match filter {
                Filter::Decompress(argv) => format!("{} (-z)", argv.join(" ")),
                Filter::Preprocess(pre) => format!("--pre {}", pre.display()),
            };
            ctx.refuse(
                shown,
                &format!(
                    "searched as the output of {what}: --in-place writes only a file's own \
                     bytes: not replaced"
                ),
            );
        }
        Ok(false) => {
            ctx.files_done.fetch_add(1, Ordering::Relaxed);
        }
    }
    None
}

/// A file whose searched text is not its own bytes: refused (an error) when that text has
/// a match, else searched and left alone.
fn transcoded(
    ctx: &Ctx<'_>,
    shown: &[u8],
    why: &str,
    has_match: bool,
    size: u64,
    done: &dyn Fn(u64),
) -> Option<FilePlan> {
    if has_match {
        ctx.refuse(
            shown,
            &format!("{why}: --in-place writes only a file's own bytes: not replaced"),
        );
    } else {
        done(size);
    }
    None
}

/// Reads up to `size` bytes into `buf` (grown, never shrunk: no zeroing per file) with one
/// read when the file still has its size; returns the number read. A file that grew is
/// caught later: its size is checked again under its lock.
fn read_size(file: &mut File, size: usize, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    if buf.len() < size {
        buf.resize(size, 0);
    }
    let mut got = 0;
    while got < size {
        match file.read(&mut buf[got..size]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Scans a large mapped file in page-aligned chunks, in parallel, each chunk owning the
/// lines that start in it, and joins the results in order.
fn scan_chunked(ctx: &Ctx<'_>, map: &Map, skip: usize, binary: Binary) -> Partial {
    let bytes = &map.bytes()[skip..];
    if let Some(at) = slice_prefix_nul(bytes, binary) {
        return Partial {
            binary: Some(at),
            ..Partial::default()
        }
        .shifted(skip);
    }
    let ranges = chunk::plan(bytes.len(), ctx.chunk_size);
    let parts: Vec<Partial> = ranges
        .into_par_iter()
        .map(|r| {
            map.populate(skip + r.start, r.end - r.start);
            if binary == Binary::Anywhere
                && let Some(i) = memchr::memchr(0, &bytes[r.clone()])
            {
                return Partial {
                    binary: Some(r.start + i),
                    ..Partial::default()
                };
            }
            let t = ctx.matcher.term();
            let ws = line_start_at_or_after(bytes, r.start, t);
            let we = window_end(bytes, r.end, t);
            let check = if binary == Binary::Slice {
                NulCheck::MatchedLines
            } else {
                NulCheck::Nothing
            };
            if ws >= we {
                Partial::default()
            } else {
                scan_window(ctx, bytes, ws, we, check)
            }
        })
        .collect();
    merge(parts).shifted(skip)
}

/// Joins the results of consecutive windows.
fn merge(parts: Vec<Partial>) -> Partial {
    let mut out = Partial::default();
    for p in parts {
        if p.error.is_some() {
            return Partial {
                error: p.error,
                ..Partial::default()
            };
        }
        if p.binary.is_some() {
            return Partial {
                binary: p.binary,
                ..Partial::default()
            };
        }
        let base = out.orig.len() as u32;
        out.edits.extend(p.edits.iter().map(|e| Edit {
            at: e.at + base,
            ..*e
        }));
        out.orig.extend_from_slice(&p.orig);
        out.new.extend_from_slice(&p.new);
        out.matches += p.matches;
        out.mismatch_total += p.mismatch_total;
        for m in p.mismatches {
            if out.mismatches.len() < KEEP_MISMATCHES {
                out.mismatches.push(m);
            }
        }
    }
    out
}

/// A NUL in the first 64 KiB, under the mapped-file rule.
fn slice_prefix_nul(hay: &[u8], binary: Binary) -> Option<usize> {
    if binary != Binary::Slice {
        return None;
    }
    memchr::memchr(0, &hay[..hay.len().min(BINARY_PREFIX)])
}

/// Scans a whole haystack on one thread.
fn scan_whole(ctx: &Ctx<'_>, hay: &[u8], binary: Binary) -> Partial {
    if let Some(at) = slice_prefix_nul(hay, binary) {
        return Partial {
            binary: Some(at),
            ..Partial::default()
        };
    }
    let check = match binary {
        Binary::Text => NulCheck::Nothing,
        Binary::Anywhere => NulCheck::Window,
        Binary::Slice => NulCheck::MatchedLines,
    };
    scan_window(ctx, hay, 0, hay.len(), check)
}

/// Finds the edits of `hay[ws..we]` (whole lines), checking for NUL bytes as told.
fn scan_window(ctx: &Ctx<'_>, hay: &[u8], ws: usize, we: usize, check: NulCheck) -> Partial {
    let mut p = Partial::default();
    if check == NulCheck::Window
        && let Some(i) = memchr::memchr(0, &hay[ws..we])
    {
        p.binary = Some(ws + i);
        return p;
    }
    let mut checked_to = ws;
    let mut caps: Option<crate::matcher::Caps> = None;
    // The line of the last match: capture groups are found in their line.
    let mut line = crate::matcher::MatchLine::default();
    let mut scratch = Vec::new();
    let mut lines = 0u64;
    let mut line_end = 0usize;
    let mut too_big = false;
    let t = ctx.matcher.term();
    let mut each = |s: usize, e: usize| {
        if s == we && (we == 0 || hay[we - 1] == t) {
            // An empty match past the window's last line end is on the next window's first
            // line, or, at the end of the file, on no line at all (ripgrep's search finds
            // nothing there either).
            return true;
        }
        if let Some(max) = ctx.max_count
            && s >= line_end
        {
            lines += 1;
            if lines > max {
                return false;
            }
            line_end = chunk::line_end(hay, s, hay.len(), t);
        }
        if check == NulCheck::MatchedLines && s >= checked_to {
            let ls = chunk::line_start(hay, s, ws, t);
            checked_to = chunk::line_end(hay, s, we, t);
            if let Some(i) = memchr::memchr(0, &hay[ls..checked_to]) {
                p.binary = Some(ls + i);
                return false;
            }
        }
        let mlen = e - s;
        let repl: &[u8] = match &ctx.constant {
            Some(c) => c,
            None => {
                if s >= line.span.end {
                    line.span = chunk::line_start(hay, s, ws, t)..chunk::line_end(hay, s, we, t);
                }
                scratch.clear();
                ctx.template
                    .expand(ctx.matcher, hay, &line, s, e, &mut caps, &mut scratch);
                &scratch
            }
        };
        if repl.len() != mlen {
            p.matches += 1;
            p.mismatch_total += 1;
            if p.mismatches.len() < KEEP_MISMATCHES {
                p.mismatches.push(Mismatch {
                    off: s as u64,
                    match_len: mlen,
                    repl_len: repl.len(),
                });
            }
            return true;
        }
        // An empty match replaced by nothing is a match (the exit status says so) that
        // changes nothing, like one replaced by its own text.
        p.matches += 1;
        if repl == &hay[s..e] {
            return true;
        }
        let at = p.orig.len();
        if at + mlen > u32::MAX as usize {
            too_big = true;
            return false;
        }
        p.edits.push(Edit {
            off: s as u64,
            at: at as u32,
            len: mlen as u32,
        });
        p.orig.extend_from_slice(&hay[s..e]);
        if ctx.constant.is_none() {
            p.new.extend_from_slice(repl);
        }
        true
    };
    if t == b'\n' {
        ctx.matcher.for_each_match(hay, ws, we, &mut each);
    } else {
        // --null-data: the matches -r prints, record by record (a record's `$` holds at its
        // end, and `^` after a NUL does not; see `Matcher::for_each_line_match`).
        let (mut rs, mut go) = (ws, true);
        while go && rs < we {
            let re = chunk::line_end(hay, rs, we, t);
            ctx.matcher.for_each_line_match(hay, rs, re, |s, e| {
                go = each(s, e);
                go
            });
            rs = re;
        }
    }
    p.error = crate::pcre::take_match_error();
    if too_big {
        // More than 4 GiB of matched text in one window: refuse rather than mis-record.
        p.mismatch_total += 1;
        p.mismatches.clear();
        p.edits.clear();
    }
    p
}

/// Line and column (1-based) of byte offsets of `hay`, given in increasing order, lines
/// ending with `t`.
pub fn line_cols(hay: &[u8], offs: &[u64], t: u8) -> Vec<(u64, u64)> {
    let mut out = Vec::with_capacity(offs.len());
    let (mut pos, mut line) = (0usize, 1u64);
    for &o in offs {
        let o = (o as usize).min(hay.len());
        if o < pos {
            pos = 0;
            line = 1;
        }
        line += chunk::count_lines_ends(&hay[pos..o], t);
        pos = o;
        let ls = chunk::line_start(hay, o, 0, t);
        out.push((line, (o - ls) as u64 + 1));
    }
    out
}
