//! The undo journal: where it lives, its on-disk format, writing it (append a segment,
//! fdatasync, commit by unlinking) and reading it back for `--recover`.
//!
//! # Order (SQLite's rollback journal)
//!
//! 1. plan every edit of the run and check every length;
//! 2. write the original and new bytes of every edit to the journal, `fdatasync` it, and
//!    `fsync` its directory (so the journal's name survives a crash too);
//! 3. write the files through writable maps and `msync` each one;
//! 4. unlink the journal and `fsync` its directory: this is the commit.
//!
//! A crash (kill -9, power loss) anywhere before step 4 leaves the journal, and
//! `--recover` puts every byte it lists back to the original. A crash during step 2 leaves
//! a journal whose last segment is torn (its checksum fails): no file of that segment had
//! been touched yet, so the torn segment is ignored.
//!
//! # Location
//!
//! A run's journal is `.mmgrep-journal-<pid>` (with `-<n>` appended if that name is taken) in
//! the *run directory*: the first PATH when it is a directory, else the directory holding it
//! (`.` when no path was given). When that directory is not writable, the journal goes to the
//! *state directory*, `$XDG_STATE_HOME/mmgrep` or `~/.local/state/mmgrep` (created 0700). The
//! header records the run directory's absolute path, so `--recover PATH` also finds state
//! directory journals of runs at or under PATH.
//!
//! The running process holds an exclusive `flock` on its journal from creation to unlink, so
//! `--recover` (or another run) never touches the journal of a live run.
//!
//! # Format (all integers little-endian)
//!
//! ```text
//! header:  "MMGREPJ1"  u32 version=1  u32 pid  u64 created (ns since the epoch)
//!          u32 len  run-directory bytes[len]  u64 fnv1a64(all of the above)
//! segment: "SEG1"  u32 files
//!          per file:  u32 len  absolute-path bytes[len]
//!                     u64 dev  u64 ino  u64 size  i64 mtime_sec  i64 mtime_nsec  (before the run)
//!                     u64 edits
//!                     per edit:  u64 offset  u32 len  original bytes[len]  new bytes[len]
//!          "END1"  u64 fnv1a64(from "SEG1" up to "END1")
//! ```
//!
//! A journal holds one segment per batch of files (one batch unless a run changes more files
//! than it may keep open at once): every segment is fsynced before any file it lists is
//! written.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::plan::FilePlan;

/// File names of journals start with this.
pub const PREFIX: &str = ".mmgrep-journal-";
/// A journal being created (header not yet durable) has this prefix; it is renamed to its
/// final name, locked, before any segment is written.
const TMP_PREFIX: &str = ".mmgrep-journal.tmp-";
const MAGIC: &[u8; 8] = b"MMGREPJ1";
const VERSION: u32 = 1;
const SEG: &[u8; 4] = b"SEG1";
const END: &[u8; 4] = b"END1";

/// What identifies a file and its state when it was searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime_sec: i64,
    pub mtime_nsec: i64,
}

impl FileId {
    pub fn of(m: &std::fs::Metadata) -> FileId {
        FileId {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime_sec: m.mtime(),
            mtime_nsec: m.mtime_nsec(),
        }
    }

    /// Same inode on the same device.
    pub fn same_file(&self, o: &FileId) -> bool {
        self.dev == o.dev && self.ino == o.ino
    }
}

/// FNV-1a, 64 bits: a checksum that is stable across versions and platforms.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn update(&mut self, data: &[u8]) {
        let mut h = self.0;
        for &b in data {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

fn fnv(data: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.update(data);
    h.0
}

/// A writer that checksums what goes through it.
struct Hashing<W: Write> {
    inner: W,
    hash: Fnv,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `$XDG_STATE_HOME/mmgrep`, else `~/.local/state/mmgrep`.
pub fn state_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_STATE_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x).join("mmgrep"));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".local/state/mmgrep"))
}

/// The run directory: the first path when it is a directory, else its parent; `.` for none.
pub fn run_dir(paths: &[OsString]) -> PathBuf {
    let Some(first) = paths.first() else {
        return PathBuf::from(".");
    };
    let p = Path::new(first);
    if p.is_dir() {
        return p.to_path_buf();
    }
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// An absolute form of `p` without resolving links (falls back to `p`).
pub fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn fsync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The journal of a running `--in-place`: locked for the life of the run.
pub struct Writer {
    file: File,
    path: PathBuf,
    dir: PathBuf,
    dir_synced: bool,
}

impl Writer {
    /// Creates the journal in `run_dir`, or in the state directory when that fails.
    pub fn create(run_dir: &Path) -> Result<Writer, String> {
        let root = absolute(run_dir);
        let first = Writer::create_in(run_dir, &root);
        let err1 = match first {
            Ok(w) => return Ok(w),
            Err(e) => e,
        };
        let Some(state) = state_dir() else {
            return Err(format!(
                "cannot create an undo journal in {}: {err1}",
                run_dir.display()
            ));
        };
        let made = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&state);
        match made.and_then(|_| Writer::create_in(&state, &root)) {
            Ok(w) => Ok(w),
            Err(err2) => Err(format!(
                "cannot create an undo journal in {} ({err1}) nor in {} ({err2})",
                run_dir.display(),
                state.display()
            )),
        }
    }

    fn create_in(dir: &Path, root: &Path) -> io::Result<Writer> {
        let pid = std::process::id();
        // Created under a temporary name, locked, its header made durable, then renamed:
        // --recover never sees a journal that is not locked by its live run or complete.
        let tmp = dir.join(format!("{TMP_PREFIX}{pid}"));
        let _ = std::fs::remove_file(&tmp);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        let fail = |e: io::Error| {
            let _ = std::fs::remove_file(&tmp);
            e
        };
        // Held until the journal is unlinked (or the process dies).
        file.try_lock()
            .map_err(|e| fail(io::Error::other(format!("cannot lock the journal: {e:?}"))))?;
        let created = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut head = Vec::with_capacity(64 + root.as_os_str().len());
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&VERSION.to_le_bytes());
        head.extend_from_slice(&pid.to_le_bytes());
        head.extend_from_slice(&created.to_le_bytes());
        let rb = root.as_os_str().as_bytes();
        head.extend_from_slice(&(rb.len() as u32).to_le_bytes());
        head.extend_from_slice(rb);
        let sum = fnv(&head);
        head.extend_from_slice(&sum.to_le_bytes());
        (&file).write_all(&head).map_err(fail)?;
        file.sync_data().map_err(fail)?;
        let mut n = 0u32;
        let path = loop {
            let name = if n == 0 {
                format!("{PREFIX}{pid}")
            } else {
                format!("{PREFIX}{pid}-{n}")
            };
            let path = dir.join(name);
            // A name left by an earlier process with our pid is never overwritten.
            if std::fs::symlink_metadata(&path).is_err() {
                std::fs::rename(&tmp, &path).map_err(fail)?;
                break path;
            }
            n += 1;
            if n > 1000 {
                return Err(fail(io::Error::other(
                    "too many journals with this process id",
                )));
            }
        };
        if let Err(e) = fsync_dir(dir) {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok(Writer {
            file,
            path,
            dir: dir.to_path_buf(),
            dir_synced: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one segment listing `files` (with their absolute paths) and makes it
    /// durable. No file it lists may be written before this returns Ok.
    pub fn append(&mut self, files: &[(&FilePlan, Vec<u8>)]) -> io::Result<()> {
        let mut w = Hashing {
            inner: BufWriter::with_capacity(256 * 1024, &self.file),
            hash: Fnv::new(),
        };
        w.write_all(SEG)?;
        w.write_all(&(files.len() as u32).to_le_bytes())?;
        for (plan, abs) in files {
            w.write_all(&(abs.len() as u32).to_le_bytes())?;
            w.write_all(abs)?;
            let id = &plan.id;
            for v in [id.dev, id.ino, id.size] {
                w.write_all(&v.to_le_bytes())?;
            }
            w.write_all(&id.mtime_sec.to_le_bytes())?;
            w.write_all(&id.mtime_nsec.to_le_bytes())?;
            w.write_all(&(plan.edits.len() as u64).to_le_bytes())?;
            for (off, orig, new) in plan.iter_edits() {
                w.write_all(&off.to_le_bytes())?;
                w.write_all(&(orig.len() as u32).to_le_bytes())?;
                w.write_all(orig)?;
                w.write_all(new)?;
            }
        }
        let sum = w.hash.0;
        let mut inner = w.inner;
        inner.write_all(END)?;
        inner.write_all(&sum.to_le_bytes())?;
        inner.flush()?;
        drop(inner);
        self.file.sync_data()?;
        if !self.dir_synced {
            fsync_dir(&self.dir)?;
            self.dir_synced = true;
        }
        Ok(())
    }

    /// Commits the run: unlinks the journal and makes the unlink durable.
    pub fn commit(self) -> io::Result<()> {
        std::fs::remove_file(&self.path)?;
        let r = fsync_dir(&self.dir);
        drop(self.file);
        r
    }

    /// Leaves the journal in place (a file could not be restored): it is unlocked when
    /// the process ends, for `--recover`.
    pub fn keep(self) -> PathBuf {
        self.path
    }
}

/// One edit read back from a journal.
#[derive(Clone, Copy, Debug)]
pub struct EditView<'a> {
    pub offset: u64,
    pub orig: &'a [u8],
    pub new: &'a [u8],
}

/// One file's record read back from a journal.
#[derive(Debug)]
pub struct RecordView<'a> {
    pub path: PathBuf,
    pub id: FileId,
    pub edits: Vec<EditView<'a>>,
}

/// A parsed journal.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub pid: u32,
    pub created_ns: u64,
    pub root: PathBuf,
    pub records: Vec<RecordView<'a>>,
    /// The journal ended in a torn segment (ignored: none of its files was written).
    pub torn: bool,
}

struct Rd<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Rd<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.b.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// Why a journal could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The file ends inside the header: the run died while creating it, before any segment
    /// (so before any file was written).
    Incomplete,
    /// Not a journal of this version: left alone.
    Corrupt(String),
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Incomplete => f.write_str("incomplete journal header"),
            ParseError::Corrupt(s) => f.write_str(s),
        }
    }
}

/// Parses a journal's bytes.
pub fn parse(bytes: &[u8]) -> Result<Parsed<'_>, ParseError> {
    let n = bytes.len().min(8);
    if bytes[..n] != MAGIC[..n] {
        return Err(ParseError::Corrupt(
            "not an mmgrep journal (bad magic)".into(),
        ));
    }
    let mut r = Rd { b: bytes, at: 0 };
    let short = || ParseError::Incomplete;
    r.take(8).ok_or_else(short)?;
    let version = r.u32().ok_or_else(short)?;
    if version != VERSION {
        return Err(ParseError::Corrupt(format!(
            "journal version {version} is not supported by this mmgrep (it reads version {VERSION})"
        )));
    }
    let pid = r.u32().ok_or_else(short)?;
    let created_ns = r.u64().ok_or_else(short)?;
    let rlen = r.u32().ok_or_else(short)? as usize;
    let root = PathBuf::from(OsString::from_vec(r.take(rlen).ok_or_else(short)?.to_vec()));
    let head_end = r.at;
    let sum = r.u64().ok_or_else(short)?;
    if sum != fnv(&bytes[..head_end]) {
        return Err(if r.at == bytes.len() {
            ParseError::Incomplete
        } else {
            ParseError::Corrupt("damaged journal header (checksum)".into())
        });
    }
    let mut out = Parsed {
        pid,
        created_ns,
        root,
        records: Vec::new(),
        torn: false,
    };
    while r.at < bytes.len() {
        let start = r.at;
        match parse_segment(&mut r) {
            Some((recs, end)) => {
                let sum = r.u64();
                if sum != Some(fnv(&bytes[start..end])) {
                    out.torn = true;
                    break;
                }
                out.records.extend(recs);
            }
            None => {
                out.torn = true;
                break;
            }
        }
    }
    Ok(out)
}

/// Parses a segment up to and including its END marker; returns its records and the
/// offset of the END marker.
fn parse_segment<'a>(r: &mut Rd<'a>) -> Option<(Vec<RecordView<'a>>, usize)> {
    if r.take(4)? != SEG {
        return None;
    }
    let n = r.u32()?;
    let mut recs = Vec::new();
    for _ in 0..n {
        let plen = r.u32()? as usize;
        let path = PathBuf::from(OsString::from_vec(r.take(plen)?.to_vec()));
        let id = FileId {
            dev: r.u64()?,
            ino: r.u64()?,
            size: r.u64()?,
            mtime_sec: r.i64()?,
            mtime_nsec: r.i64()?,
        };
        let ne = r.u64()?;
        // Each edit takes at least 12 bytes: a count beyond what is left is a torn record.
        if ne > (r.b.len() - r.at) as u64 / 12 {
            return None;
        }
        let mut edits = Vec::with_capacity(ne as usize);
        for _ in 0..ne {
            let offset = r.u64()?;
            let len = r.u32()? as usize;
            let orig = r.take(len)?;
            let new = r.take(len)?;
            edits.push(EditView { offset, orig, new });
        }
        recs.push(RecordView { path, id, edits });
    }
    let end = r.at;
    if r.take(4)? != END {
        return None;
    }
    Some((recs, end))
}

/// The journals (by file name) directly inside `dir`.
pub fn find_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_name().as_bytes().starts_with(PREFIX.as_bytes()))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// True when `name` is a journal's file name (or a journal being created).
pub fn is_journal_name(name: &std::ffi::OsStr) -> bool {
    name.as_bytes().starts_with(PREFIX.as_bytes())
        || name.as_bytes().starts_with(TMP_PREFIX.as_bytes())
}

/// Removes journals that a process killed while creating them left under their temporary
/// name (nothing was written after them): those nobody holds locked.
pub fn clean_stale_tmp(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        if !e.file_name().as_bytes().starts_with(TMP_PREFIX.as_bytes()) {
            continue;
        }
        let p = e.path();
        if let Ok(f) = OpenOptions::new().read(true).open(&p)
            && f.try_lock().is_ok()
        {
            let _ = std::fs::remove_file(&p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torn_segments_are_detected() {
        let dir = std::env::temp_dir().join(format!("mmgrep-journal-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut w = Writer::create(&dir).unwrap();
        let plan = FilePlan::for_test(b"/x/y", &[(3, b"abc", b"xyz"), (10, b"de", b"DE")]);
        w.append(&[(&plan, b"/x/y".to_vec())]).unwrap();
        let bytes = std::fs::read(w.path()).unwrap();
        let p = parse(&bytes).unwrap();
        assert!(!p.torn);
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].edits[1].offset, 10);
        assert_eq!(p.records[0].edits[1].new, b"DE");
        assert_eq!(p.root, absolute(&dir));
        // Every proper prefix that cuts the segment is torn, never misread.
        let head_len = 36 + absolute(&dir).as_os_str().len();
        assert_eq!(
            parse(&bytes[..head_len - 1]).unwrap_err(),
            ParseError::Incomplete
        );
        assert_eq!(parse(&bytes[..3]).unwrap_err(), ParseError::Incomplete);
        for cut in head_len..bytes.len() {
            let q = parse(&bytes[..cut]).unwrap();
            assert!(q.records.is_empty(), "cut {cut}");
        }
        // A flipped byte inside the segment fails its checksum.
        let mut bad = bytes.clone();
        let n = bad.len();
        bad[n - 20] ^= 1;
        assert!(parse(&bad).unwrap().torn);
        w.commit().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
