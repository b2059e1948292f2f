//! Directories read through their own descriptors, kept open for the files below them.
//!
//! The sorted walker opens each directory relative to its parent's descriptor and reads
//! the listing with `getdents64` into one reused buffer; the workers then open each file
//! relative to its directory's descriptor. The kernel resolves one name instead of the
//! whole path (on the Linux tree of the benchmarks, the path walk was 4% of the run), and
//! no `opendir` buffer or per-entry path is allocated.
//!
//! Descriptors are shared (an `Arc` per directory, held by the walker's frame and by each
//! queued file) and bounded: past [`KEEP_MAX`] open at once (a quarter of the descriptor
//! limit when that is lower), a directory is read and closed and its files are opened by
//! path, as before.
//!
//! A directory also records whether its file system reads a regular file whole: on the
//! local file systems named in [`whole_reads`], `read` returns less than asked only at the
//! end of the file, so a file read into a buffer that was not filled needs no `fstat` to
//! know its size.

use std::ffi::{CStr, CString, OsStr};
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Directory descriptors kept open at once, by the walker and the queue together, at most:
/// fewer when the descriptor limit is low (a quarter of it), so that files still open.
pub(crate) const KEEP_MAX: usize = 256;

fn keep_max() -> usize {
    static MAX: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *MAX.get_or_init(|| {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into `lim`, a properly sized rlimit.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
            return 0;
        }
        usize::try_from(lim.rlim_cur / 4).map_or(KEEP_MAX, |q| q.min(KEEP_MAX))
    })
}

static KEPT: AtomicUsize = AtomicUsize::new(0);

/// An open directory whose files are opened relative to it.
#[derive(Debug)]
pub struct DirFd {
    fd: OwnedFd,
    whole_reads: bool,
}

impl DirFd {
    /// Keeps `fd` for the files below it, unless [`KEEP_MAX`] descriptors are kept already
    /// (then None, and `fd` is closed).
    pub(crate) fn keep(fd: OwnedFd) -> Option<DirFd> {
        #[cfg(test)]
        if tests::REFUSE.get() {
            return None;
        }
        if KEPT.fetch_add(1, Ordering::Relaxed) >= keep_max() {
            KEPT.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        Some(DirFd {
            whole_reads: whole_reads(&fd),
            fd,
        })
    }

    /// Opens the file `name` of this directory for reading.
    pub fn open_file(&self, name: &OsStr) -> io::Result<File> {
        let fd = open_at(
            self.fd.as_raw_fd(),
            name,
            libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NOCTTY,
        )?;
        Ok(File::from(fd))
    }

    /// Whether a regular file of this directory's file system is read whole by `read`
    /// (a short read is its end).
    pub fn whole_reads(&self) -> bool {
        self.whole_reads
    }

    pub(crate) fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl Drop for DirFd {
    fn drop(&mut self) {
        KEPT.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Opens directory `name`: relative to `parent`'s descriptor, or (None) to the current
/// directory, where `name` may be a whole path.
pub(crate) fn open_dir(parent: Option<RawFd>, name: &OsStr) -> io::Result<OwnedFd> {
    open_at(
        parent.unwrap_or(libc::AT_FDCWD),
        name,
        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
    )
}

fn open_at(dir: RawFd, name: &OsStr, flags: libc::c_int) -> io::Result<OwnedFd> {
    with_cstr(name.as_bytes(), |c| {
        loop {
            // SAFETY: `c` is a NUL-terminated string that outlives the call.
            let fd = unsafe { libc::openat(dir, c.as_ptr(), flags) };
            if fd >= 0 {
                // SAFETY: openat returned a new descriptor that nothing else owns.
                return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    })
}

/// Calls `f` with `bytes` as a C string: on the stack when short, as std does for paths.
fn with_cstr<T>(bytes: &[u8], f: impl FnOnce(&CStr) -> io::Result<T>) -> io::Result<T> {
    let nul = || io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte");
    let mut stack = [0u8; 384];
    if bytes.len() < stack.len() {
        stack[..bytes.len()].copy_from_slice(bytes);
        f(CStr::from_bytes_with_nul(&stack[..=bytes.len()]).map_err(|_| nul())?)
    } else {
        f(&CString::new(bytes).map_err(|_| nul())?)
    }
}

/// What a directory entry is, links not followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Dir,
    File,
    Other,
}

impl Kind {
    fn of_mode(mode: libc::mode_t) -> Kind {
        match mode & libc::S_IFMT {
            libc::S_IFDIR => Kind::Dir,
            libc::S_IFREG => Kind::File,
            _ => Kind::Other,
        }
    }
}

/// One entry of a listing; its name is in the listing's name bytes.
#[derive(Clone, Copy)]
pub(crate) struct Entry {
    at: u32,
    len: u32,
    pub kind: Kind,
    pub ino: u64,
}

/// A directory's entries, their names in one buffer (no allocation per entry).
#[derive(Default)]
pub(crate) struct Listing {
    names: Vec<u8>,
    pub entries: Vec<Entry>,
}

impl Listing {
    pub(crate) fn name(&self, e: &Entry) -> &[u8] {
        &self.names[e.at as usize..][..e.len as usize]
    }

    /// Whether an entry is named `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|e| self.name(e) == name.as_bytes())
    }

    /// Sorts the entries by name bytes.
    pub(crate) fn sort(&mut self) {
        let names = &self.names;
        let key = |e: &Entry| &names[e.at as usize..][..e.len as usize];
        self.entries.sort_unstable_by(|a, b| key(a).cmp(key(b)));
    }

    fn push(&mut self, name: &[u8], kind: Kind, ino: u64) {
        // Names are at most 255 bytes, and a listing's names fit in u32 offsets.
        let (Ok(at), Ok(len)) = (u32::try_from(self.names.len()), u32::try_from(name.len())) else {
            return;
        };
        self.names.extend_from_slice(name);
        self.entries.push(Entry { at, len, kind, ino });
    }
}

/// The entries of the open directory `fd` (without `.` and `..`), read with `getdents64`
/// into `buf`. An entry whose type the listing leaves open (`DT_UNKNOWN`, on file systems
/// that do not store it) is asked with `fstatat`; when that fails, `bad` gets its name and
/// the error and the entry is left out. An error reading the listing ends it (`bad` gets
/// no name then).
pub(crate) fn read_listing(
    fd: RawFd,
    buf: &mut Vec<u8>,
    bad: &mut dyn FnMut(Option<&OsStr>, io::Error),
) -> Listing {
    const BUF: usize = 32 * 1024;
    if buf.len() < BUF {
        buf.resize(BUF, 0);
    }
    let mut out = Listing::default();
    loop {
        // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
        let n = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
        if n == 0 {
            return out;
        }
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            bad(None, e);
            return out;
        }
        let recs = &buf[..n as usize];
        // A record takes 24 bytes or more, its name less than that: room for them all.
        out.entries.reserve(recs.len() / 24);
        out.names.reserve(recs.len());
        parse_dirents(recs, |ino, ty, name| {
            if name == b"." || name == b".." {
                return;
            }
            let kind = match ty {
                libc::DT_DIR => Kind::Dir,
                libc::DT_REG => Kind::File,
                libc::DT_UNKNOWN => match kind_at(fd, name) {
                    Ok(k) => k,
                    Err(e) => {
                        bad(Some(OsStr::from_bytes(name)), e);
                        return;
                    }
                },
                _ => Kind::Other,
            };
            out.push(name, kind, ino);
        });
    }
}

/// Calls `f(inode, d_type, name)` for each `linux_dirent64` record in `recs`.
fn parse_dirents(recs: &[u8], mut f: impl FnMut(u64, u8, &[u8])) {
    // struct linux_dirent64 { u64 d_ino; i64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
    const NAME: usize = 19;
    let mut at = 0;
    while at + NAME <= recs.len() {
        let rec = &recs[at..];
        let ino = u64::from_ne_bytes(rec[0..8].try_into().unwrap());
        let len = usize::from(u16::from_ne_bytes(rec[16..18].try_into().unwrap()));
        if len < NAME || len > rec.len() {
            return;
        }
        let name = &rec[NAME..len];
        let name = &name[..memchr::memchr(0, name).unwrap_or(name.len())];
        f(ino, rec[18], name);
        at += len;
    }
}

/// The kind of entry `name` of directory `fd`, links not followed.
pub(crate) fn kind_at(fd: RawFd, name: &[u8]) -> io::Result<Kind> {
    with_cstr(name, |c| {
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: `c` is NUL-terminated and `st` is a properly sized stat buffer.
        if unsafe { libc::fstatat(fd, c.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Kind::of_mode(st.st_mode))
    })
}

/// Whether `fd`'s file system reads a regular file whole: the local disk and memory file
/// systems whose reads go through the page cache until the request or the file ends.
/// Network and FUSE file systems, `/proc` and `/sys` are not among them.
fn whole_reads(fd: &OwnedFd) -> bool {
    const EXT4: i64 = 0xEF53;
    const XFS: i64 = 0x5846_5342;
    const BTRFS: i64 = 0x9123_683E;
    const TMPFS: i64 = 0x0102_1994;
    const OVERLAY: i64 = 0x794C_7630;
    const F2FS: i64 = 0xF2F5_2010;
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a properly sized statfs buffer.
    if unsafe { libc::fstatfs(fd.as_raw_fd(), &mut st) } != 0 {
        return false;
    }
    #[allow(clippy::unnecessary_cast)] // f_type's width differs between targets
    let ty = st.f_type as i64;
    matches!(ty, EXT4 | XFS | BTRFS | TMPFS | OVERLAY | F2FS)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    thread_local! {
        /// Makes [`DirFd::keep`] refuse on this thread, as when the budget is spent.
        pub(crate) static REFUSE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    #[test]
    fn a_listing_has_every_entry_with_its_kind() {
        let t = tempfile_dir();
        std::fs::create_dir(t.join("d")).unwrap();
        std::fs::write(t.join("f"), b"x").unwrap();
        std::os::unix::fs::symlink("f", t.join("l")).unwrap();
        let long = "n".repeat(255);
        std::fs::write(t.join(&long), b"").unwrap();
        let mut want = vec![
            ("d".to_string(), Kind::Dir),
            ("f".to_string(), Kind::File),
            ("l".to_string(), Kind::Other),
            (long, Kind::File),
        ];
        // More than one 32 KiB buffer of records: the listing takes several calls.
        for i in 0..600 {
            let name = format!("file-with-a-longish-name-{i:04}");
            std::fs::write(t.join(&name), b"").unwrap();
            want.push((name, Kind::File));
        }
        want.sort();
        let fd = open_dir(None, t.as_os_str()).unwrap();
        let mut errors = 0;
        let mut listing = read_listing(fd.as_raw_fd(), &mut Vec::new(), &mut |_, _| errors += 1);
        listing.sort();
        let got: Vec<(String, Kind)> = listing
            .entries
            .iter()
            .map(|e| (String::from_utf8(listing.name(e).to_vec()).unwrap(), e.kind))
            .collect();
        assert_eq!(errors, 0);
        assert_eq!(got, want);
        assert!(listing.has("d") && !listing.has("e"));
        std::fs::remove_dir_all(&t).unwrap();
    }

    #[test]
    fn an_entry_of_unknown_type_is_asked_with_fstatat() {
        // File systems without d_type give DT_UNKNOWN; this one stores it, so the fallback
        // is checked directly.
        let t = tempfile_dir();
        std::fs::create_dir(t.join("d")).unwrap();
        std::fs::write(t.join("f"), b"x").unwrap();
        std::os::unix::fs::symlink("d", t.join("l")).unwrap();
        let fd = open_dir(None, t.as_os_str()).unwrap();
        let fd = fd.as_raw_fd();
        assert_eq!(kind_at(fd, b"d").unwrap(), Kind::Dir);
        assert_eq!(kind_at(fd, b"f").unwrap(), Kind::File);
        assert_eq!(kind_at(fd, b"l").unwrap(), Kind::Other);
        assert_eq!(
            kind_at(fd, b"gone").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        std::fs::remove_dir_all(&t).unwrap();
    }

    #[test]
    fn records_are_parsed_by_their_lengths_and_a_torn_one_ends_the_buffer() {
        fn rec(ino: u64, ty: u8, name: &[u8]) -> Vec<u8> {
            let len = (19 + name.len() + 1).next_multiple_of(8);
            let mut r = Vec::new();
            r.extend_from_slice(&ino.to_ne_bytes());
            r.extend_from_slice(&0i64.to_ne_bytes());
            r.extend_from_slice(&(len as u16).to_ne_bytes());
            r.push(ty);
            r.extend_from_slice(name);
            r.resize(len, 0);
            r
        }
        let mut recs = rec(7, libc::DT_REG, b"a.c");
        recs.extend(rec(9, libc::DT_DIR, b"sub"));
        let whole = recs.len();
        recs.extend(rec(11, libc::DT_REG, b"torn"));
        recs.truncate(whole + 10);
        let mut seen = Vec::new();
        parse_dirents(&recs, |ino, ty, name| seen.push((ino, ty, name.to_vec())));
        assert_eq!(
            seen,
            vec![
                (7, libc::DT_REG, b"a.c".to_vec()),
                (9, libc::DT_DIR, b"sub".to_vec())
            ]
        );
    }

    pub(crate) fn tempfile_dir() -> std::path::PathBuf {
        use std::sync::atomic::AtomicU64;
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "mmgrep-dir-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).unwrap();
        p
    }
}
