//! Applying a plan: per file an exclusive lock and a fresh look (identity, size, mtime,
//! permissions), then the journal, then the bytes written through a writable shared map
//! and flushed with msync, in parallel; a file that faults while it is written is restored
//! from the plan (the journal's twin in memory) and reported. `--dry-run` stops after the
//! checks and prints a diff instead.
//!
//! Writing never changes a file's length, inode, owner, mode, xattrs or links: every hard
//! link of a file sees the change (it is the same inode).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rayon::prelude::*;

use super::hooks;
use super::journal::{self, FileId, Writer};
use super::plan::{Edit, FilePlan};
use super::recover::{self, RestoreError};
use crate::chunk::page_size;
use crate::messages;
use crate::output::json;
use crate::progress::Progress;
use crate::source::{Map, MapMut};

/// Threads that write and flush files (mostly waiting on the disk, so more than cores:
/// concurrent flushes let the block layer merge their cache flushes).
const IO_THREADS: usize = 32;
/// Large files are verified, written and flushed in pieces of about this size, in parallel.
const PIECE: usize = 32 << 20;

/// What the caller wants from the apply step.
pub struct Options<'a> {
    pub follow: bool,
    pub dry_run: bool,
    pub json: bool,
    pub run_dir: &'a Path,
    pub progress: &'a Progress,
    pub threads: usize,
}

/// Totals of the apply step.
#[derive(Debug, Default)]
pub struct Totals {
    pub files_changed: u64,
    pub replacements: u64,
    pub bytes: u64,
    pub files_failed: u64,
    /// The journal left behind because a file could not be restored.
    pub journal_kept: Option<std::path::PathBuf>,
    /// The run stopped before every file was tried (the journal could not be written).
    pub stopped: bool,
}

/// Why a file was not changed.
enum Fail {
    /// Untouched.
    Untouched(String),
    /// Written in part, then restored: untouched in the end.
    Restored(String),
    /// Written in part and not restored: the journal must stay.
    Lost(String),
}

/// Raises the soft limit on open files to the hard limit; returns the limit.
fn raise_nofile() -> u64 {
    // SAFETY: getrlimit/setrlimit with a valid struct.
    unsafe {
        let mut rl: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) != 0 {
            return 1024;
        }
        if rl.rlim_cur < rl.rlim_max {
            let want = libc::rlimit {
                rlim_cur: rl.rlim_max,
                rlim_max: rl.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &want) == 0 {
                return rl.rlim_max;
            }
        }
        rl.rlim_cur
    }
}

/// Applies (or with --dry-run, shows) every file's edits. `out` receives JSON lines or the
/// diff.
pub fn apply(files: &[FilePlan], opts: &Options<'_>, out: &mut dyn Write) -> Totals {
    let mut totals = Totals::default();
    if files.is_empty() {
        return totals;
    }
    // Every file of a batch stays open (and locked) from its checks to its flush.
    let limit = raise_nofile();
    let batch = (limit.saturating_sub(256) as usize).clamp(64, 1 << 20);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(IO_THREADS.max(opts.threads))
        .thread_name(|i| format!("mmgrep-write-{i}"))
        .build()
        .expect("thread pool");
    let mut journal: Option<Writer> = None;
    let mut keep_journal = false;
    let mut buf = Vec::new();
    for group in files.chunks(batch) {
        let prepared: Vec<Result<File, String>> =
            pool.install(|| group.par_iter().map(|p| prepare(p, opts.follow)).collect());
        let mut ready: Vec<(&FilePlan, File)> = Vec::with_capacity(group.len());
        for (p, r) in group.iter().zip(prepared) {
            match r {
                Ok(f) => ready.push((p, f)),
                Err(why) => {
                    messages::error(&p.display, &why);
                    totals.files_failed += 1;
                }
            }
        }
        if ready.is_empty() {
            continue;
        }
        if opts.dry_run {
            for (p, f) in &ready {
                buf.clear();
                match show(p, f, &mut buf) {
                    Ok(()) => {
                        count(&mut totals, p);
                        if opts.json {
                            buf.clear();
                            push_file_json(&mut buf, p, true);
                        }
                        if out.write_all(&buf).is_err() {
                            totals.stopped = true;
                            return totals;
                        }
                    }
                    Err(why) => {
                        messages::error(&p.display, &why);
                        totals.files_failed += 1;
                    }
                }
                opts.progress
                    .add(1, p.id.size, totals.files_changed + totals.files_failed);
            }
            continue;
        }
        if journal.is_none() {
            match Writer::create(opts.run_dir) {
                Ok(w) => journal = Some(w),
                Err(e) => {
                    messages::error_line(&format!("{e}: nothing was written"));
                    totals.files_failed += ready.len() as u64;
                    totals.stopped = true;
                    break;
                }
            }
        }
        let j = journal.as_mut().expect("journal");
        let records: Vec<(&FilePlan, Vec<u8>)> = ready
            .iter()
            .map(|(p, _)| {
                (
                    *p,
                    journal::absolute(&p.path).as_os_str().as_bytes().to_vec(),
                )
            })
            .collect();
        if let Err(e) = j.append(&records) {
            messages::error_line(&format!(
                "cannot write the undo journal {}: {e}: the remaining {} file{} were not changed",
                j.path().display(),
                ready.len(),
                recover::plural(ready.len() as u64)
            ));
            totals.files_failed += ready.len() as u64;
            totals.stopped = true;
            break;
        }
        drop(records);
        hooks::pause("MMGREP_TEST_PAUSE_BEFORE_WRITE");
        let jpath = j.path().to_path_buf();
        let done = std::sync::atomic::AtomicU64::new(totals.files_changed + totals.files_failed);
        let results: Vec<Result<(), Fail>> = pool.install(|| {
            ready
                .par_iter()
                .map(|(p, f)| {
                    let r = write_file(p, f, &jpath);
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    opts.progress.add(1, p.id.size, n);
                    r
                })
                .collect()
        });
        for ((p, _), r) in ready.iter().zip(results) {
            match r {
                Ok(()) => {
                    count(&mut totals, p);
                    if opts.json {
                        buf.clear();
                        push_file_json(&mut buf, p, false);
                        let _ = out.write_all(&buf);
                    }
                }
                Err(Fail::Untouched(why)) | Err(Fail::Restored(why)) => {
                    messages::error(&p.display, &why);
                    totals.files_failed += 1;
                }
                Err(Fail::Lost(why)) => {
                    messages::error(&p.display, &why);
                    totals.files_failed += 1;
                    keep_journal = true;
                }
            }
        }
        // Closing the files releases their locks.
        drop(ready);
    }
    if let Some(j) = journal {
        if keep_journal {
            totals.journal_kept = Some(j.keep());
        } else if let Err(e) = j.commit() {
            messages::error_line(&format!(
                "cannot remove the undo journal: {e} (every file was written and flushed; --recover would roll them back)"
            ));
        }
    }
    totals
}

fn count(t: &mut Totals, p: &FilePlan) {
    t.files_changed += 1;
    t.replacements += p.edits.len() as u64;
    t.bytes += p.bytes();
}

/// `{"type":"file","data":{"path":…,"replacements":N,"bytes":N,"dry_run":bool}}`.
fn push_file_json(out: &mut Vec<u8>, p: &FilePlan, dry_run: bool) {
    out.extend_from_slice(b"{\"type\":\"file\",\"data\":{\"path\":");
    json::push_data(out, &p.display);
    out.extend_from_slice(
        format!(
            ",\"replacements\":{},\"bytes\":{},\"dry_run\":{dry_run}}}}}\n",
            p.edits.len(),
            p.bytes()
        )
        .as_bytes(),
    );
}

/// `chattr +i` / `+a` flags, when the filesystem has them.
fn immutable(path: &Path) -> Option<&'static str> {
    const FS_IMMUTABLE_FL: libc::c_long = 0x10;
    const FS_APPEND_FL: libc::c_long = 0x20;
    let f = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    let mut flags: libc::c_long = 0;
    // SAFETY: FS_IOC_GETFLAGS writes one long through the pointer we pass.
    let r = unsafe { libc::ioctl(f.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut flags) };
    if r != 0 {
        return None;
    }
    if flags & FS_IMMUTABLE_FL != 0 {
        Some("immutable (chattr +i)")
    } else if flags & FS_APPEND_FL != 0 {
        Some("append-only (chattr +a)")
    } else {
        None
    }
}

fn changed(id: &FileId, now: &FileId) -> bool {
    !now.same_file(id)
        || now.size != id.size
        || now.mtime_sec != id.mtime_sec
        || now.mtime_nsec != id.mtime_nsec
}

const CHANGED: &str = "changed since it was searched: not changed";

/// Opens a file for writing, takes its exclusive lock and checks that it is still the file
/// the plan saw. The lock is held until the returned file is dropped.
fn prepare(p: &FilePlan, follow: bool) -> Result<File, String> {
    if p.mode & 0o222 == 0 {
        return Err(format!(
            "is read-only (mode {:o}): not changed (make it writable to replace in it)",
            p.mode & 0o7777
        ));
    }
    let mut flags = libc::O_NONBLOCK;
    if !follow {
        flags |= libc::O_NOFOLLOW;
    }
    let file = match OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(flags)
        .open(&p.path)
    {
        Ok(f) => f,
        Err(e) => {
            let why = match e.raw_os_error() {
                Some(libc::EPERM) => match immutable(&p.path) {
                    Some(kind) => format!("is {kind}: not changed"),
                    None => format!("cannot be opened for writing ({e}): not changed"),
                },
                Some(libc::EACCES) => {
                    "is not writable (permission denied): not changed".to_string()
                }
                Some(libc::EROFS) => "is on a read-only filesystem: not changed".to_string(),
                Some(libc::ETXTBSY) => {
                    "is a running program (text file busy): not changed".to_string()
                }
                Some(libc::ELOOP) => {
                    "is a symbolic link: not changed (pass -L/--follow)".to_string()
                }
                Some(libc::ENOENT) => "was removed since it was searched: not changed".to_string(),
                _ => format!("cannot be opened for writing ({e}): not changed"),
            };
            return Err(why);
        }
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err("is locked by another process: not changed".to_string());
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("cannot be locked ({e}): not changed"));
        }
    }
    let meta = file.metadata().map_err(|e| format!("{e}: not changed"))?;
    if !meta.is_file() {
        return Err("is not a regular file: not changed".to_string());
    }
    if changed(&p.id, &FileId::of(&meta)) {
        return Err(CHANGED.to_string());
    }
    Ok(file)
}

/// The first edit whose bytes are no longer the matched ones.
fn verify(bytes: &[u8], base: u64, p: &FilePlan, edits: &[Edit]) -> Option<u64> {
    for e in edits {
        let (off, orig, _) = p.edit(e);
        let s = (off - base) as usize;
        if bytes.get(s..s + orig.len()) != Some(orig) {
            return Some(off);
        }
    }
    None
}

/// Splits a file's edits into pieces of about PIECE bytes with page-aligned boundaries that
/// cut no edit: (start, end, edit range).
fn pieces(p: &FilePlan, len: usize) -> Vec<(usize, usize, std::ops::Range<usize>)> {
    let page = page_size();
    let mut out = Vec::new();
    let (mut start, mut first) = (0usize, 0usize);
    while start < len {
        let mut end = (start + PIECE).min(len);
        // Move the cut past an edit that straddles it, to the next page boundary.
        loop {
            if end >= len {
                end = len;
                break;
            }
            let i = p.edits.partition_point(|e| (e.off as usize) < end);
            match i.checked_sub(1).map(|k| &p.edits[k]) {
                Some(e) if e.off as usize + e.len as usize > end => {
                    end = (e.off as usize + e.len as usize).div_ceil(page) * page;
                }
                _ => break,
            }
        }
        let last = p.edits.partition_point(|e| (e.off as usize) < end);
        out.push((start, end, first..last));
        start = end;
        first = last;
    }
    out
}

/// Writes the edits `range` of a file into a piece of its map that starts at `base`.
fn write_edits(dst: &mut [u8], base: usize, p: &FilePlan, range: std::ops::Range<usize>) {
    let hook = hooks::write_hooks();
    for (i, e) in p.edits[range.clone()].iter().enumerate() {
        let (off, _, new) = p.edit(e);
        let s = off as usize - base;
        let d = &mut dst[s..s + new.len()];
        match hook {
            None => d.copy_from_slice(new),
            Some(h) => hooks::write_counted(h, (range.start + i) as u64, d, new),
        }
    }
}

/// msync(MS_SYNC) of a piece of a map that starts on a page boundary.
fn flush_piece(piece: &[u8]) -> io::Result<()> {
    if piece.is_empty() {
        return Ok(());
    }
    // SAFETY: `piece` is a page-aligned part of a live shared map; msync neither reads nor
    // writes it through this pointer.
    let r = unsafe {
        libc::msync(
            piece.as_ptr() as *mut libc::c_void,
            piece.len(),
            libc::MS_SYNC,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Checks, writes and flushes one prepared (locked) file.
fn write_file(p: &FilePlan, file: &File, journal: &Path) -> Result<(), Fail> {
    let len = p.id.size as usize;
    // SAFETY: we hold the file's exclusive lock (cooperating writers wait), a truncation by
    // anyone else is caught by the SIGBUS guard, and `faulted` is checked after every pass.
    let mut map = unsafe { MapMut::open(file, p.id.size) }
        .map_err(|e| Fail::Untouched(format!("cannot be mapped for writing ({e}): not changed")))?;
    let parts = if len >= 2 * PIECE && p.edits.len() > 1 {
        pieces(p, len)
    } else {
        vec![(0, len, 0..p.edits.len())]
    };
    // Everything is checked before anything is written.
    let bad = parts
        .par_iter()
        .filter_map(|(s, e, er)| verify(&map.bytes()[*s..*e], *s as u64, p, &p.edits[er.clone()]))
        .min();
    let now = file.metadata().map(|m| FileId::of(&m));
    if map.faulted() || now.as_ref().map_or(true, |n| changed(&p.id, n)) {
        return Err(Fail::Untouched(CHANGED.to_string()));
    }
    if let Some(off) = bad {
        return Err(Fail::Untouched(format!(
            "changed since it was searched (the bytes at offset {off} differ): not changed"
        )));
    }
    let flushed: io::Result<()> = if parts.len() == 1 {
        write_edits(map.bytes_mut(), 0, p, 0..p.edits.len());
        if map.faulted() { Ok(()) } else { map.flush() }
    } else {
        let mut slices = Vec::with_capacity(parts.len());
        let mut rest = map.bytes_mut();
        for (s, e, er) in &parts {
            let (head, tail) = std::mem::take(&mut rest).split_at_mut(e - s);
            slices.push((head, *s, er.clone()));
            rest = tail;
        }
        slices.into_par_iter().try_for_each(|(dst, base, er)| {
            write_edits(dst, base, p, er);
            flush_piece(dst)
        })
    };
    let faulted = map.faulted();
    drop(map);
    let reason = match (faulted, flushed) {
        (false, Ok(())) => return Ok(()),
        (true, _) => "was truncated by another process while it was being written".to_string(),
        (false, Err(e)) => format!("could not be written ({e})"),
    };
    match recover::restore(file, p.id, false, p.iter_edits()) {
        Ok(_) => Err(Fail::Restored(format!(
            "{reason}: its original bytes were restored; not changed"
        ))),
        Err(RestoreError::Conflict(why)) => Err(Fail::Restored(format!(
            "{reason}, and {why}: left as it is"
        ))),
        Err(RestoreError::Failed(why)) => Err(Fail::Lost(format!(
            "{reason}, and could not be restored ({why}): the journal {} is kept; run mmgrep --recover {}",
            journal.display(),
            journal.display()
        ))),
    }
}

/// --dry-run: checks the bytes (as the real run would) and renders the file's diff.
fn show(p: &FilePlan, file: &File, out: &mut Vec<u8>) -> Result<(), String> {
    // SAFETY: a shrinking file is caught by the SIGBUS guard; `faulted` is checked below.
    let map = match unsafe { Map::open(file) } {
        Ok(Some(m)) => m,
        Ok(None) => return Err(CHANGED.to_string()),
        Err(e) => return Err(format!("cannot be mapped ({e})")),
    };
    if map.bytes().len() != p.id.size as usize {
        return Err(CHANGED.to_string());
    }
    if let Some(off) = verify(map.bytes(), 0, p, &p.edits) {
        return Err(format!(
            "changed since it was searched (the bytes at offset {off} differ): not changed"
        ));
    }
    let edits: Vec<(usize, &[u8])> = p.iter_edits().map(|(o, _, n)| (o as usize, n)).collect();
    super::diff::unified(out, &p.display, map.bytes(), &edits);
    if map.faulted() {
        out.clear();
        return Err(CHANGED.to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_never_cut_an_edit() {
        let page = page_size();
        let len = 3 * PIECE + 123;
        let offs = [
            5u64,
            (PIECE - 2) as u64,
            (2 * PIECE - 1) as u64,
            (3 * PIECE + 100) as u64,
        ];
        let edits: Vec<(u64, &[u8], &[u8])> = offs
            .iter()
            .map(|&o| (o, &b"abcd"[..], &b"wxyz"[..]))
            .collect();
        let p = FilePlan::for_test(b"f", &edits);
        let ps = pieces(&p, len);
        assert_eq!(ps.first().unwrap().0, 0);
        assert_eq!(ps.last().unwrap().1, len);
        let mut seen = 0;
        for w in ps.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            assert_eq!(w[0].1 % page, 0);
        }
        for (s, e, er) in &ps {
            for ed in &p.edits[er.clone()] {
                assert!(ed.off as usize >= *s && ed.off as usize + ed.len as usize <= *e);
                seen += 1;
            }
        }
        assert_eq!(seen, offs.len());
    }
}
