//! Streaming search through a bounded buffer, replaying ripgrep's line buffer exactly.
//!
//! Used for what cannot be mapped (stdin, FIFOs, /proc files) and for files whose binary
//! handling follows ripgrep's reader rules (a file found by walking, or given explicitly
//! where ripgrep would not map it, that holds a NUL byte): there the outcome depends on where
//! ripgrep's buffer fills begin and end, so they are reproduced step by step:
//!
//! * the buffer starts at 64 KiB and triples when a line does not fit;
//! * the first read returns at most 3 bytes (ripgrep peeks for a byte-order mark), later
//!   reads ask for all free space; a fill keeps reading until a read brings a `\n`;
//! * each read's new bytes are checked for NUL: under `Quit` the fill that holds it is not
//!   searched at all; under `Convert` NULs become `\n` and the sink is told before the fill
//!   is searched (ripgrep's standard printer then stops at the next line);
//! * after a fill is searched, its lines are dropped except the before-context that the
//!   next fill may need (ripgrep's `Core::roll`).

use std::io::{self, Read};

use crate::matcher::Matcher;
use crate::output::BinaryKind;
use crate::search::{Carry, SearchOptions, Sink, search_sequential};

const INITIAL_CAPACITY: usize = 64 * 1024;

static TEST_CAPACITY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Test hook: makes the stream buffer start at `n` bytes instead of ripgrep's 64 KiB, so
/// that small test data goes through many refills and rolls. (A process can ask the same
/// with the environment variable `MMGREP_TEST_STREAM_CAPACITY`.) 0 restores the default.
pub fn set_test_capacity(n: usize) {
    TEST_CAPACITY.store(n, std::sync::atomic::Ordering::Relaxed);
}

/// The buffer's first size: ripgrep's 64 KiB unless a test hook asked otherwise.
fn initial_capacity() -> usize {
    static ENV: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let n = TEST_CAPACITY.load(std::sync::atomic::Ordering::Relaxed);
    if n >= 4 {
        return n;
    }
    *ENV.get_or_init(|| {
        std::env::var("MMGREP_TEST_STREAM_CAPACITY")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n| n >= 4)
            .unwrap_or(INITIAL_CAPACITY)
    })
}

/// A byte source that reads the way ripgrep's decoding reader does.
pub trait Source {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize>;
}

/// Reads from an in-memory haystack, with ripgrep's read sizes.
pub struct SliceSource<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> SliceSource<'a> {
    pub fn new(data: &'a [u8]) -> SliceSource<'a> {
        SliceSource { data, pos: 0 }
    }
}

impl Source for SliceSource<'_> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        let limit = if self.pos == 0 { 3 } else { usize::MAX };
        let n = dst.len().min(self.data.len() - self.pos).min(limit);
        dst[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Reads from an `io::Read`, the first read limited to 3 bytes (gathered in full).
pub struct ReadSource<R> {
    rdr: R,
    first: bool,
}

impl<R: Read> ReadSource<R> {
    pub fn new(rdr: R) -> ReadSource<R> {
        ReadSource { rdr, first: true }
    }
}

impl<R: Read> Source for ReadSource<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if self.first {
            self.first = false;
            let want = dst.len().min(3);
            let mut got = 0;
            while got < want {
                match self.rdr.read(&mut dst[got..want]) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            return Ok(got);
        }
        loop {
            match self.rdr.read(dst) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => return r,
            }
        }
    }
}

/// What a streaming search found out besides the lines it handed over.
#[derive(Debug, Default)]
pub struct StreamOutcome {
    /// Absolute offset of the first NUL byte seen.
    pub binary: Option<u64>,
    /// Bytes consumed (ripgrep's "bytes searched").
    pub bytes_searched: u64,
    pub carry: Carry,
}

/// ripgrep's `lines::preceding`: the start of the line `count` lines before the last line
/// of `bytes` (which ends with a complete line).
fn preceding(bytes: &[u8], count: usize) -> usize {
    let mut pos = bytes.len();
    if pos == 0 {
        return 0;
    }
    if bytes[pos - 1] == b'\n' {
        pos -= 1;
    }
    let mut count = count;
    loop {
        match memchr::memrchr(b'\n', &bytes[..pos]) {
            None => return 0,
            Some(i) => {
                if count == 0 {
                    return i + 1;
                } else if i == 0 {
                    return 0;
                }
                count -= 1;
                pos = i;
            }
        }
    }
}

struct LineBuffer {
    /// Start of the unconsumed bytes (0 after every fill).
    pos: usize,
    end: usize,
    /// End of the last complete line (or of everything, at end of input).
    last_lt: usize,
    /// Absolute offset of `buf[pos]`.
    abs: u64,
    binary: Option<u64>,
    eof: bool,
}

impl LineBuffer {
    fn consume(&mut self, n: usize) {
        self.pos += n;
        self.abs += n as u64;
    }

    /// ripgrep's `LineBuffer::fill`: returns whether there is something to search.
    fn fill(
        &mut self,
        buf: &mut Vec<u8>,
        src: &mut dyn Source,
        kind: BinaryKind,
    ) -> io::Result<bool> {
        if kind == BinaryKind::Quit && self.binary.is_some() {
            return Ok(self.pos < self.last_lt);
        }
        // roll: move the unconsumed bytes to the front.
        let len = self.end - self.pos;
        buf.copy_within(self.pos..self.end, 0);
        self.pos = 0;
        self.end = len;
        self.last_lt = len;
        loop {
            if self.end == buf.len() {
                let len = buf.len().max(1);
                buf.resize(len * 3, 0);
            }
            let n = src.read(&mut buf[self.end..])?;
            if n == 0 {
                self.eof = true;
                self.last_lt = self.end;
                return Ok(self.pos < self.last_lt);
            }
            let old = self.end;
            self.end += n;
            let new = &mut buf[old..self.end];
            match kind {
                BinaryKind::Text => {}
                BinaryKind::Quit => {
                    if let Some(i) = memchr::memchr(0, new) {
                        self.end = old + i;
                        self.last_lt = self.end;
                        self.binary = Some(self.abs + self.end as u64);
                        return Ok(self.pos < self.end);
                    }
                }
                BinaryKind::Convert => {
                    if let Some(i) = memchr::memchr(0, new) {
                        if self.binary.is_none() {
                            self.binary = Some(self.abs + (old + i) as u64);
                        }
                        for b in new[i..].iter_mut() {
                            if *b == 0 {
                                *b = b'\n';
                            }
                        }
                    }
                }
            }
            if let Some(i) = memchr::memrchr(b'\n', &buf[old..self.end]) {
                self.last_lt = old + i + 1;
                return Ok(true);
            }
        }
    }
}

/// Searches a stream as ripgrep's reader does, handing lines to `sink`. `buf` is a reused
/// buffer. An I/O error ends the search and is returned with what was found so far.
pub fn search_stream<S: Sink>(
    src: &mut dyn Source,
    kind: BinaryKind,
    matcher: &Matcher,
    opts: &SearchOptions,
    sink: &mut S,
    buf: &mut Vec<u8>,
) -> (StreamOutcome, Option<io::Error>) {
    buf.clear();
    buf.resize(initial_capacity(), 0);
    let context = opts.before.max(opts.after) > 0;
    let mut lb = LineBuffer {
        pos: 0,
        end: 0,
        last_lt: 0,
        abs: 0,
        binary: None,
        eof: false,
    };
    let mut carry = Carry::default();
    let mut err = None;
    loop {
        // Core::roll: drop the searched lines but the context the next fill may need.
        let region_len = lb.last_lt;
        let consumed = if !context {
            region_len
        } else {
            let visited = carry.printed_end().unwrap_or(0).min(region_len);
            preceding(&buf[..region_len], opts.before).max(visited)
        };
        carry.count_through(&buf[..region_len], consumed);
        carry.shift(consumed);
        lb.consume(consumed);
        let already_binary = lb.binary.is_some();
        let didread = match lb.fill(buf, src, kind) {
            Ok(d) => d,
            Err(e) => {
                err = Some(e);
                break;
            }
        };
        if !already_binary && let Some(off) = lb.binary {
            sink.binary_data(off);
        }
        if !didread || (kind == BinaryKind::Quit && lb.binary.is_some()) {
            break;
        }
        if consumed == 0 && region_len == lb.last_lt {
            // Only leftover context remains and nothing new came: done.
            lb.consume(region_len);
            break;
        }
        let hay = &buf[..lb.last_lt];
        sink.set_base(lb.abs);
        search_sequential(
            hay,
            region_len - consumed,
            hay.len(),
            0,
            lb.eof,
            matcher,
            opts,
            &mut carry,
            sink,
        );
        if carry.done {
            lb.consume(carry.reached);
            break;
        }
    }
    (
        StreamOutcome {
            binary: lb.binary,
            bytes_searched: lb.abs,
            carry,
        },
        err,
    )
}
