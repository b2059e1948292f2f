//! Recovery: puts back the original bytes of every file an unfinished run's journal lists
//! (`--recover`, and a later `--in-place` that meets a leftover journal), and the restore
//! step the writing run itself uses when a file faults while it is written.
//!
//! A file is restored only when every byte at every edit is either the original or the new
//! byte (a run killed in the middle of an edit leaves a token half written: that still
//! counts). Any other byte means someone else changed the file since: that is a conflict,
//! reported, and the file is left as it is. Restoring uses pread/pwrite (no map, so no
//! SIGBUS) and fdatasync.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::journal::{self, FileId};
use crate::messages;
use crate::source::Map;

/// The result of restoring one file.
#[derive(Debug, Default, Clone, Copy)]
pub struct Restored {
    /// Edits whose bytes were put back.
    pub edits: u64,
    /// Edits that already held their original bytes.
    pub already: u64,
    /// Edits past the end of a file that shrank (only when that is allowed).
    pub gone: u64,
}

/// Why a file was not restored.
#[derive(Debug)]
pub enum RestoreError {
    /// The file is not the one the journal describes, or holds bytes that are neither the
    /// original nor the replacement: left alone for good.
    Conflict(String),
    /// Could not be done now (lock held, I/O error): try again later.
    Failed(String),
}

/// Puts the original bytes back at every edit of `file`. `expect` is the identity and size
/// the file must have (None: any size, edits past the end are skipped: the file shrank).
pub fn restore<'a>(
    file: &File,
    expect: FileId,
    exact_size: bool,
    edits: impl Iterator<Item = (u64, &'a [u8], &'a [u8])> + Clone,
) -> Result<Restored, RestoreError> {
    let meta = file
        .metadata()
        .map_err(|e| RestoreError::Failed(e.to_string()))?;
    if !meta.is_file() || !FileId::of(&meta).same_file(&expect) {
        return Err(RestoreError::Conflict(
            "is no longer the file that was changed (it was replaced or moved)".into(),
        ));
    }
    let size = meta.len();
    if exact_size && size != expect.size {
        return Err(RestoreError::Conflict(format!(
            "its size changed since the interrupted run ({} bytes, was {})",
            size, expect.size
        )));
    }
    let mut out = Restored::default();
    let mut to_write: Vec<usize> = Vec::new();
    // First pass: every byte must be original or new. The file is read in blocks that
    // cover runs of nearby edits (one pread for many edits).
    const BLOCK: u64 = 1 << 20;
    let mut block = Vec::new();
    let mut block_at = 0u64;
    for (i, (off, orig, new)) in edits.clone().enumerate() {
        if off >= size {
            out.gone += 1;
            continue;
        }
        let n = ((size - off) as usize).min(orig.len());
        let end = off + n as u64;
        if off < block_at || end > block_at + block.len() as u64 {
            block_at = off;
            let len = (size - off).min(BLOCK.max(n as u64)) as usize;
            block.resize(len, 0);
            file.read_exact_at(&mut block, off)
                .map_err(|e| RestoreError::Failed(format!("cannot read: {e}")))?;
        }
        let cur = &block[(off - block_at) as usize..(end - block_at) as usize];
        let mut differs = false;
        for j in 0..n {
            if cur[j] != orig[j] {
                if cur[j] != new[j] {
                    return Err(RestoreError::Conflict(format!(
                        "bytes at offset {} are neither the original nor the replacement (changed by someone else)",
                        off + j as u64
                    )));
                }
                differs = true;
            }
        }
        if differs {
            to_write.push(i);
        } else {
            out.already += 1;
        }
    }
    if to_write.is_empty() {
        return Ok(out);
    }
    let mut next = to_write.iter().copied().peekable();
    for (i, (off, orig, _)) in edits.enumerate() {
        if next.peek() != Some(&i) {
            continue;
        }
        next.next();
        let n = ((size - off) as usize).min(orig.len());
        file.write_all_at(&orig[..n], off)
            .map_err(|e| RestoreError::Failed(format!("cannot write: {e}")))?;
        out.edits += 1;
    }
    file.sync_data()
        .map_err(|e| RestoreError::Failed(format!("cannot flush: {e}")))?;
    Ok(out)
}

/// Takes a file's exclusive lock, waiting a little for a holder to finish.
pub fn lock_patiently(file: &File, wait: Duration) -> Result<(), String> {
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {
                if start.elapsed() >= wait {
                    return Err("is locked by another process".into());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(format!("cannot lock: {e}")),
        }
    }
}

/// What recovering one journal did.
#[derive(Debug, Default)]
pub struct JournalOutcome {
    pub files_restored: u64,
    pub edits_restored: u64,
    pub files_already: u64,
    pub conflicts: u64,
    /// Files that could not be handled now: the journal is kept.
    pub failed: u64,
    /// The journal belongs to a live run and was not touched.
    pub busy: bool,
    pub removed: bool,
}

/// Recovers one journal, reporting on stderr what it does.
pub fn recover_journal(path: &Path) -> JournalOutcome {
    let mut out = JournalOutcome::default();
    let shown = path.display().to_string();
    let jf = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) => {
            messages::error(shown.as_bytes(), &format!("cannot open the journal: {e}"));
            out.failed += 1;
            return out;
        }
    };
    match jf.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            messages::note(&format!("{shown}: in use by a running mmgrep: left alone"));
            out.busy = true;
            return out;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            messages::error(shown.as_bytes(), &format!("cannot lock the journal: {e}"));
            out.failed += 1;
            return out;
        }
    }
    // The run may have committed (unlinked it) between our open and our lock.
    let same = match (jf.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.nlink() > 0 && a.ino() == b.ino() && a.dev() == b.dev(),
        _ => false,
    };
    if !same {
        return out;
    }
    // SAFETY: the journal is locked by us; a shrinking journal is caught by the guard and
    // checked below.
    let map = match unsafe { Map::open(&jf) } {
        Ok(m) => m,
        Err(e) => {
            messages::error(shown.as_bytes(), &format!("cannot read the journal: {e}"));
            out.failed += 1;
            return out;
        }
    };
    let empty: &[u8] = &[];
    let bytes = map.as_ref().map_or(empty, |m| m.bytes());
    let parsed = match journal::parse(bytes) {
        Ok(p) => p,
        Err(journal::ParseError::Incomplete) if !map.as_ref().is_some_and(Map::faulted) => {
            drop(map);
            remove(path, &jf, &mut out);
            messages::note(&format!(
                "{shown}: the interrupted run had not written any file yet: journal removed"
            ));
            return out;
        }
        Err(e) => {
            messages::error(shown.as_bytes(), &format!("{e}: left alone"));
            out.failed += 1;
            return out;
        }
    };
    if map.as_ref().is_some_and(Map::faulted) {
        messages::error(
            shown.as_bytes(),
            "the journal shrank while it was read: left alone",
        );
        out.failed += 1;
        return out;
    }
    for rec in &parsed.records {
        let display = rec.path.as_os_str().as_encoded_bytes();
        let r = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&rec.path)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::NotFound {
                    RestoreError::Conflict("no longer exists".into())
                } else {
                    RestoreError::Failed(e.to_string())
                }
            })
            .and_then(|f| {
                lock_patiently(&f, Duration::from_secs(2)).map_err(RestoreError::Failed)?;
                let edits = rec.edits.iter().map(|e| (e.offset, e.orig, e.new));
                restore(&f, rec.id, true, edits)
            });
        match r {
            Ok(res) if res.edits > 0 => {
                out.files_restored += 1;
                out.edits_restored += res.edits;
            }
            Ok(_) => out.files_already += 1,
            Err(RestoreError::Conflict(why)) => {
                out.conflicts += 1;
                messages::error(display, &format!("{why}: not restored, left as it is"));
            }
            Err(RestoreError::Failed(why)) => {
                out.failed += 1;
                messages::error(
                    display,
                    &format!("{why}: not restored yet (run mmgrep --recover again)"),
                );
            }
        }
    }
    let mut what = format!(
        "{shown}: recovered an interrupted run (pid {}): restored {} file{} ({} edit{}), {} already original",
        parsed.pid,
        out.files_restored,
        plural(out.files_restored),
        out.edits_restored,
        plural(out.edits_restored),
        out.files_already
    );
    if out.conflicts > 0 {
        what.push_str(&format!(
            ", {} conflict{} left as they are",
            out.conflicts,
            plural(out.conflicts)
        ));
    }
    if parsed.torn {
        what.push_str("; its last segment was incomplete (those files had not been written)");
    }
    if out.failed == 0 {
        remove(path, &jf, &mut out);
        what.push_str("; journal removed");
    } else {
        what.push_str(&format!(
            "; {} file{} could not be handled now: journal kept",
            out.failed,
            plural(out.failed)
        ));
    }
    messages::note(&what);
    out
}

fn remove(path: &Path, _lock: &File, out: &mut JournalOutcome) {
    match std::fs::remove_file(path) {
        Ok(()) => {
            out.removed = true;
            if let Some(dir) = path.parent() {
                let dir = if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                };
                let _ = File::open(dir).and_then(|d| d.sync_all());
            }
        }
        Err(e) => {
            messages::error(
                path.as_os_str().as_encoded_bytes(),
                &format!("cannot remove the journal: {e}"),
            );
            out.failed += 1;
        }
    }
}

pub fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The journals `--recover PATH...` handles: journals named directly, journals inside the
/// given directories, and journals in the state directory of runs at or under a PATH.
pub fn find_journals(paths: &[OsString]) -> (Vec<PathBuf>, Vec<String>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut roots = Vec::new();
    for p in paths {
        let p = Path::new(p);
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                journal::clean_stale_tmp(p);
                found.extend(journal::find_in(p));
                roots.push(std::fs::canonicalize(p).unwrap_or_else(|_| journal::absolute(p)));
            }
            Ok(_) => {
                if p.file_name().is_some_and(journal::is_journal_name) {
                    found.push(p.to_path_buf());
                } else {
                    errors.push(format!(
                        "{}: not a journal nor a directory (journals are named {}*)",
                        p.display(),
                        journal::PREFIX
                    ));
                }
            }
            Err(e) => errors.push(format!("{}: {e}", p.display())),
        }
    }
    if let Some(state) = journal::state_dir() {
        for j in journal::find_in(&state) {
            if found.contains(&j) {
                continue;
            }
            let Ok(bytes) = std::fs::read(&j) else {
                continue;
            };
            let root = match journal::parse(&bytes) {
                Ok(p) => p.root,
                Err(_) => continue,
            };
            let root = std::fs::canonicalize(&root).unwrap_or(root);
            if roots.iter().any(|r| root.starts_with(r)) {
                found.push(j);
            }
        }
    }
    (found, errors)
}

/// Leftover journals an `--in-place` run in `run_dir` must deal with first: those in the
/// run directory, and those in the state directory of runs in the same directory.
pub fn leftovers(run_dir: &Path) -> Vec<PathBuf> {
    journal::clean_stale_tmp(run_dir);
    let mut found = journal::find_in(run_dir);
    let root = std::fs::canonicalize(run_dir).unwrap_or_else(|_| journal::absolute(run_dir));
    if let Some(state) = journal::state_dir() {
        for j in journal::find_in(&state) {
            let Ok(bytes) = std::fs::read(&j) else {
                continue;
            };
            if let Ok(p) = journal::parse(&bytes) {
                let r = std::fs::canonicalize(&p.root).unwrap_or(p.root);
                if r == root && !found.contains(&j) {
                    found.push(j);
                }
            }
        }
    }
    found
}

/// `--recover [PATH...]`: exit 0 when every journal found was recovered, 1 when none was
/// found, 2 on a conflict or an error.
pub fn run(paths: &[OsString]) -> i32 {
    let paths: Vec<OsString> = if paths.is_empty() {
        vec![OsString::from(".")]
    } else {
        paths.to_vec()
    };
    let (found, errors) = find_journals(&paths);
    for e in &errors {
        messages::error_line(e);
    }
    if found.is_empty() {
        if errors.is_empty() {
            messages::note(&format!(
                "nothing to recover: no unfinished journal in {}",
                paths
                    .iter()
                    .map(|p| p.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return crate::EXIT_NONE;
        }
        return crate::EXIT_ERROR;
    }
    let mut bad = !errors.is_empty();
    for j in &found {
        let o = recover_journal(j);
        bad |= o.conflicts > 0 || o.failed > 0 || o.busy;
    }
    if bad {
        crate::EXIT_ERROR
    } else {
        crate::EXIT_MATCH
    }
}
