//! Where haystack bytes come from: read-only and writable memory maps, whole reads into a
//! reused buffer, and the SIGBUS guard that keeps a map of a file truncated by another
//! process from killing mmgrep.
//!
//! # The SIGBUS guard
//!
//! Touching a mapped page that lies past the end of its (since truncated) file raises
//! SIGBUS, whose default action kills the process. Every live map is registered in a fixed
//! table of atomic slots. A process-wide SIGBUS handler looks the faulting address up in
//! that table; when it lies inside a registered map, the handler maps an anonymous zero page
//! over the faulting page with `MAP_FIXED` (same protection as the map) and raises the map's
//! `faulted` flag, so the faulting instruction is restarted and reads zeros. Every user of a
//! map checks [`Map::faulted`] after reading it and before trusting or printing what it
//! read; a faulted map's results are dropped and the file is reported. A fault outside every
//! registered map is passed on to the handler that was installed before ours (or to the
//! default action, which ends the process as it would have without us).
//!
//! Why this is sound: the handler only reads atomics and calls `mmap`, a system call that
//! does not take user-space locks (it is not on POSIX's async-signal-safe list, but on Linux
//! it is a plain system call; systemd and sapling use the same technique). A map is
//! unregistered before it is unmapped, and it cannot be unmapped while a thread is reading
//! it (the reader holds it), so the address range the handler replaces is always a live
//! mapping of ours. The zero page is freed when the map is unmapped, since `munmap` of the
//! whole range covers it.

use std::fs::File;
use std::io::{self, Read};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use memmap2::{Mmap, MmapMut, MmapOptions};

use crate::chunk::page_size;

const SLOTS: usize = 1024;

struct Slot {
    start: AtomicUsize,
    len: AtomicUsize,
    writable: AtomicBool,
    faulted: AtomicBool,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_SLOT: Slot = Slot {
    start: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    writable: AtomicBool::new(false),
    faulted: AtomicBool::new(false),
};

static TABLE: [Slot; SLOTS] = [EMPTY_SLOT; SLOTS];
static INSTALL: Once = Once::new();
static mut PREVIOUS: Option<libc::sigaction> = None;

/// Finds a free slot and claims it for [start, start+len).
fn register(start: usize, len: usize, writable: bool) -> Option<usize> {
    install_handler();
    for (i, s) in TABLE.iter().enumerate() {
        // `len` 0 marks a free slot; claim it by setting len first to a sentinel.
        if s.len
            .compare_exchange(0, usize::MAX, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            s.faulted.store(false, Ordering::Relaxed);
            s.writable.store(writable, Ordering::Relaxed);
            s.start.store(start, Ordering::Relaxed);
            s.len.store(len, Ordering::Release);
            return Some(i);
        }
    }
    None
}

fn unregister(slot: usize) {
    let s = &TABLE[slot];
    s.start.store(0, Ordering::Relaxed);
    s.len.store(0, Ordering::Release);
}

fn install_handler() {
    INSTALL.call_once(|| {
        // SAFETY: we build a zeroed sigaction, fill in our handler and install it; the
        // previous action is saved before any SIGBUS can reach our handler (Once).
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_sigbus as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
            libc::sigemptyset(&mut sa.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, &sa, &mut old) == 0 {
                PREVIOUS = Some(old);
            }
        }
    });
}

extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    for s in TABLE.iter() {
        let len = s.len.load(Ordering::Acquire);
        if len == 0 || len == usize::MAX {
            continue;
        }
        let start = s.start.load(Ordering::Relaxed);
        if addr >= start && addr < start + len {
            let page = page_size();
            let at = addr & !(page - 1);
            let prot = if s.writable.load(Ordering::Relaxed) {
                libc::PROT_READ | libc::PROT_WRITE
            } else {
                libc::PROT_READ
            };
            // Flag first: any thread that can see the zero page must also see the flag.
            s.faulted.store(true, Ordering::SeqCst);
            // SAFETY: [at, at+page) lies inside a live map of ours (see the module docs);
            // replacing it with an anonymous page keeps the address range valid.
            let r = unsafe {
                libc::mmap(
                    at as *mut libc::c_void,
                    page,
                    prot,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if r != libc::MAP_FAILED {
                return;
            }
            break;
        }
    }
    // Not ours (or the zero page could not be mapped): hand over to the previous handler.
    // SAFETY: PREVIOUS was written once before the handler was installed.
    unsafe {
        let prev = *std::ptr::addr_of!(PREVIOUS);
        match prev {
            Some(old) if old.sa_sigaction != libc::SIG_DFL && old.sa_sigaction != libc::SIG_IGN => {
                if old.sa_flags & libc::SA_SIGINFO != 0 {
                    let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                        std::mem::transmute(old.sa_sigaction);
                    f(sig, info, ctx);
                } else {
                    let f: extern "C" fn(libc::c_int) = std::mem::transmute(old.sa_sigaction);
                    f(sig);
                }
            }
            _ => {
                libc::signal(libc::SIGBUS, libc::SIG_DFL);
                libc::raise(libc::SIGBUS);
            }
        }
    }
}

/// A read-only map of a whole file, registered with the SIGBUS guard.
pub struct Map {
    mmap: Mmap,
    slot: Option<usize>,
}

impl Map {
    /// Maps `file` read-only. Returns `Ok(None)` for an empty file.
    ///
    /// # Safety
    ///
    /// Another process may change or truncate the file while it is mapped. Changed bytes
    /// are seen as they change (the search may report a line that no longer exists, which
    /// every grep that maps files accepts); truncation is caught by the SIGBUS guard, and
    /// the caller must check [`Map::faulted`] before trusting what it read.
    pub unsafe fn open(file: &File) -> io::Result<Option<Map>> {
        let len = file.metadata()?.len();
        if len == 0 {
            return Ok(None);
        }
        let len = usize::try_from(len).map_err(|_| io::Error::other("file too large to map"))?;
        // SAFETY: the caller accepts concurrent modification (see above).
        let mmap = unsafe { MmapOptions::new().len(len).map(file)? };
        let slot = register(mmap.as_ptr() as usize, mmap.len(), false);
        Ok(Some(Map { mmap, slot }))
    }

    #[inline]
    pub fn bytes(&self) -> &[u8] {
        &self.mmap
    }

    /// True when a page of this map faulted (the file shrank under it): what was read
    /// from it must not be trusted.
    pub fn faulted(&self) -> bool {
        self.slot
            .is_some_and(|i| TABLE[i].faulted.load(Ordering::Acquire))
    }

    /// Advises the kernel about the access pattern of a range (best effort).
    pub fn advise_sequential(&self, start: usize, len: usize) {
        let _ = self
            .mmap
            .advise_range(memmap2::Advice::Sequential, start, len);
    }

    /// Advises the kernel that a range will be needed soon (best effort).
    pub fn advise_willneed(&self, start: usize, len: usize) {
        let _ = self
            .mmap
            .advise_range(memmap2::Advice::WillNeed, start, len);
    }

    /// Maps a range's pages into the page table in one call (MADV_POPULATE_READ, Linux
    /// 5.14+), instead of one fault per few pages as the scan touches them. Best effort:
    /// older kernels refuse it and the scan faults as usual. Returns whether it worked.
    pub fn populate(&self, start: usize, len: usize) -> bool {
        const MADV_POPULATE_READ: libc::c_int = 22;
        self.advise_pages(start, len, MADV_POPULATE_READ)
    }

    /// Takes a searched range's pages out of the page table (MADV_DONTNEED, best effort).
    /// The file's pages stay in the page cache and a later read of the range maps them
    /// again, so nothing is lost; what this buys is that the page-table teardown of a large
    /// map happens in the workers, range by range, as they finish, instead of in one
    /// thread when the map is dropped.
    pub fn release(&self, start: usize, len: usize) {
        self.advise_pages(start, len, libc::MADV_DONTNEED);
    }

    /// `madvise` over every page that `[start, start+len)` touches; whether it worked.
    fn advise_pages(&self, start: usize, len: usize, advice: libc::c_int) -> bool {
        let page = page_size();
        let at = start & !(page - 1);
        let len = (start + len - at).min(self.mmap.len() - at);
        // SAFETY: [at, at+len) lies inside our live, shared, read-only map. Neither advice
        // used here changes a byte that a read of the map sees: POPULATE_READ fills page-table
        // entries, DONTNEED drops them (the page cache keeps the file's pages).
        unsafe { libc::madvise(self.mmap.as_ptr().add(at) as *mut libc::c_void, len, advice) == 0 }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            unregister(i);
        }
    }
}

/// A writable shared map of a whole file, registered with the SIGBUS guard.
pub struct MapMut {
    mmap: MmapMut,
    slot: Option<usize>,
}

impl MapMut {
    /// Maps `file` (opened read-write) shared and writable.
    ///
    /// # Safety
    ///
    /// As [`Map::open`]; in addition the caller must hold the file's exclusive lock so that
    /// no cooperating writer changes it, and must check [`MapMut::faulted`] after writing.
    pub unsafe fn open(file: &File, len: u64) -> io::Result<MapMut> {
        let len = usize::try_from(len).map_err(|_| io::Error::other("file too large to map"))?;
        // SAFETY: see the contract above.
        let mmap = unsafe { MmapOptions::new().len(len).map_mut(file)? };
        let slot = register(mmap.as_ptr() as usize, mmap.len(), true);
        Ok(MapMut { mmap, slot })
    }

    #[inline]
    pub fn bytes(&self) -> &[u8] {
        &self.mmap
    }

    #[inline]
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.mmap
    }

    pub fn faulted(&self) -> bool {
        self.slot
            .is_some_and(|i| TABLE[i].faulted.load(Ordering::Acquire))
    }

    /// msync(MS_SYNC) of the whole map.
    pub fn flush(&self) -> io::Result<()> {
        self.mmap.flush()
    }
}

impl Drop for MapMut {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            unregister(i);
        }
    }
}

/// Reads the rest of `file` into `buf`, which holds its first `buf.len()` bytes already
/// (read from `file`, whose offset is there; none for a fresh read): up to the `size` bytes
/// its metadata announced, or less if it ends sooner. A file that grows meanwhile is read
/// as it was (one `read` call for a small file, where reading to end of file would take a
/// second).
pub fn read_rest(file: &File, size: u64, buf: &mut Vec<u8>) -> io::Result<()> {
    let want = usize::try_from(size).map_err(|_| io::Error::other("file too large to read"))?;
    buf.reserve(want.saturating_sub(buf.len()));
    while buf.len() < want {
        if read_once(file, want - buf.len(), buf)? == 0 {
            break;
        }
    }
    Ok(())
}

/// One `read(2)` of up to `max` bytes, appended to `buf`; the number read (0 at the end of
/// the file).
pub fn read_once(file: &File, max: usize, buf: &mut Vec<u8>) -> io::Result<usize> {
    use std::os::fd::AsRawFd;
    buf.reserve(max);
    // read(2) straight into the spare capacity: zeroing it first (as `resize` would) costs a
    // pass over every byte of every file of a tree.
    let spare = buf.spare_capacity_mut();
    loop {
        // SAFETY: `spare` has room for `max` bytes; read(2) initialises the first `got` of
        // them, and only those are added to the length.
        let got = unsafe { libc::read(file.as_raw_fd(), spare.as_mut_ptr().cast(), max) };
        if got >= 0 {
            let got = got as usize;
            unsafe { buf.set_len(buf.len() + got) };
            return Ok(got);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Reads into the free tail of `buf` (growing it to at least `min_free` spare bytes), once.
/// Returns the number of bytes read; 0 means end of stream.
pub fn fill<R: Read + ?Sized>(
    rdr: &mut R,
    buf: &mut Vec<u8>,
    min_free: usize,
) -> io::Result<usize> {
    let len = buf.len();
    if buf.capacity() - len < min_free {
        buf.reserve(min_free);
    }
    let cap = buf.capacity();
    buf.resize(cap, 0);
    loop {
        match rdr.read(&mut buf[len..]) {
            Ok(n) => {
                buf.truncate(len + n);
                return Ok(n);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Resident kilobytes of the mapping that starts at `addr`, from /proc/self/smaps.
    fn rss_kib(addr: usize) -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut lines = smaps.lines();
        while let Some(l) = lines.next() {
            let start = l.split('-').next().unwrap_or("");
            if usize::from_str_radix(start, 16) == Ok(addr) {
                for l in lines.by_ref() {
                    if let Some(v) = l.strip_prefix("Rss:") {
                        return v.trim().trim_end_matches("kB").trim().parse().unwrap();
                    }
                }
            }
        }
        panic!("no mapping at {addr:#x} in /proc/self/smaps");
    }

    #[test]
    fn a_released_range_leaves_the_page_table_and_reads_the_same() {
        let dir = std::env::temp_dir().join(format!("mmgrep-release-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        let page = page_size();
        let data: Vec<u8> = (0..page * 64).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let f = File::open(&path).unwrap();
        // SAFETY: nobody changes the file while the test runs.
        let map = unsafe { Map::open(&f) }.unwrap().unwrap();
        let addr = map.bytes().as_ptr() as usize;
        assert!(map.populate(0, data.len()));
        let kib = (page * 64 / 1024) as u64;
        assert_eq!(rss_kib(addr), kib, "populated: every page is mapped");
        // From the middle of page 16 to the middle of page 48: every page the range
        // touches leaves the page table, 33 of them.
        map.release(page * 16 + 7, page * 32);
        let left = kib - (page * 33 / 1024) as u64;
        assert_eq!(rss_kib(addr), left, "33 pages left the page table");
        assert_eq!(map.bytes(), &data[..], "and read back the same");
        drop(map);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn map_of_truncated_file_faults_into_zeros_not_death() {
        let dir = std::env::temp_dir().join(format!("mmgrep-sigbus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        let page = page_size();
        let mut f = File::create(&path).unwrap();
        f.write_all(&vec![b'a'; page * 4]).unwrap();
        drop(f);
        let f = File::open(&path).unwrap();
        // SAFETY: the test truncates the file on purpose and checks `faulted`.
        let map = unsafe { Map::open(&f) }.unwrap().unwrap();
        assert!(!map.faulted());
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(page as u64)
            .unwrap();
        let last = map.bytes()[page * 3 + 5];
        assert_eq!(last, 0, "the faulting page reads as zeros");
        assert!(map.faulted());
        assert_eq!(map.bytes()[0], b'a');
        drop(map);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
