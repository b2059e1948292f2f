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

use crate::input::Encoding;
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
    /// The first read is ripgrep's 3-byte peek for a byte-order mark.
    peek: bool,
}

impl<'a> SliceSource<'a> {
    pub fn new(data: &'a [u8]) -> SliceSource<'a> {
        SliceSource {
            data,
            pos: 0,
            peek: true,
        }
    }

    /// The bytes after a UTF-8 byte-order mark that ripgrep's reader dropped: the peek
    /// consumed the mark, and the first read of the rest fills the buffer.
    pub fn after_bom(data: &'a [u8]) -> SliceSource<'a> {
        SliceSource {
            peek: false,
            ..SliceSource::new(data)
        }
    }
}

impl Source for SliceSource<'_> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        let limit = if self.pos == 0 && self.peek {
            3
        } else {
            usize::MAX
        };
        let n = dst.len().min(self.data.len() - self.pos).min(limit);
        dst[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// UTF-16 to UTF-8, as ripgrep's decoding reader does it: a lone surrogate, or an odd byte
/// at the end, becomes U+FFFD.
#[derive(Debug)]
pub struct Utf16 {
    little_endian: bool,
    odd: Option<u8>,
    high: Option<u16>,
}

impl Utf16 {
    /// The decoder for a byte-order mark (`FF FE` little endian, `FE FF` big endian).
    pub fn for_bom(prefix: &[u8]) -> Option<Utf16> {
        let little_endian = match prefix.get(..2)? {
            [0xFF, 0xFE] => true,
            [0xFE, 0xFF] => false,
            _ => return None,
        };
        Some(Utf16 {
            little_endian,
            odd: None,
            high: None,
        })
    }

    fn push_char(out: &mut Vec<u8>, c: char) {
        let mut b = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }

    fn unit(&mut self, u: u16, out: &mut Vec<u8>) {
        if let Some(h) = self.high.take() {
            if (0xDC00..0xE000).contains(&u) {
                let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                Self::push_char(out, char::from_u32(c).unwrap_or('\u{FFFD}'));
                return;
            }
            Self::push_char(out, '\u{FFFD}');
        }
        match u {
            0xD800..0xDC00 => self.high = Some(u),
            0xDC00..0xE000 => Self::push_char(out, '\u{FFFD}'),
            _ => Self::push_char(out, char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}')),
        }
    }

    /// The code unit of two bytes in the input's byte order.
    fn code_unit(&self, a: u8, b: u8) -> u16 {
        if self.little_endian {
            u16::from_le_bytes([a, b])
        } else {
            u16::from_be_bytes([a, b])
        }
    }

    /// Decodes `input` (any length) onto `out`.
    pub fn decode(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        if let Some(first) = self.odd.take() {
            let Some((&second, rest)) = input.split_first() else {
                self.odd = Some(first);
                return;
            };
            self.unit(self.code_unit(first, second), out);
            input = rest;
        }
        let mut pairs = input.chunks_exact(2);
        for p in pairs.by_ref() {
            self.unit(self.code_unit(p[0], p[1]), out);
        }
        if let [b] = pairs.remainder() {
            self.odd = Some(*b);
        }
    }

    /// Flushes what the input left unfinished.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.high.take().is_some() {
            Self::push_char(out, '\u{FFFD}');
        }
        if self.odd.take().is_some() {
            Self::push_char(out, '\u{FFFD}');
        }
    }
}

/// Decoded bytes waiting to be read, and the decoder that made them.
#[derive(Debug)]
struct Transcoder {
    dec: Utf16,
    out: Vec<u8>,
    at: usize,
    done: bool,
}

impl Transcoder {
    fn new(dec: Utf16) -> Transcoder {
        Transcoder {
            dec,
            out: Vec::new(),
            at: 0,
            done: false,
        }
    }

    /// Serves decoded bytes into `dst`, refilling from `next_raw` (0 bytes: end of input).
    fn read(
        &mut self,
        dst: &mut [u8],
        mut next_raw: impl FnMut(&mut [u8]) -> io::Result<usize>,
    ) -> io::Result<usize> {
        while self.at == self.out.len() && !self.done {
            self.out.clear();
            self.at = 0;
            let mut raw = [0u8; 8192];
            let n = next_raw(&mut raw)?;
            if n == 0 {
                self.dec.finish(&mut self.out);
                self.done = true;
            } else {
                self.dec.decode(&raw[..n], &mut self.out);
            }
        }
        let n = dst.len().min(self.out.len() - self.at);
        dst[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Reads an in-memory UTF-16 haystack (after its byte-order mark) as UTF-8.
pub struct Utf16Source<'a> {
    data: &'a [u8],
    pos: usize,
    tr: Transcoder,
}

impl<'a> Utf16Source<'a> {
    /// `data` starts with the byte-order mark; None when it has none.
    pub fn new(data: &'a [u8]) -> Option<Utf16Source<'a>> {
        let dec = Utf16::for_bom(data)?;
        Some(Utf16Source {
            data,
            pos: 2,
            tr: Transcoder::new(dec),
        })
    }
}

impl Source for Utf16Source<'_> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        let (data, pos) = (self.data, &mut self.pos);
        self.tr.read(dst, |raw| {
            let n = raw.len().min(data.len() - *pos);
            raw[..n].copy_from_slice(&data[*pos..*pos + n]);
            *pos += n;
            Ok(n)
        })
    }
}

/// Reads from an `io::Read` as ripgrep's decoding reader does: it peeks at the first 3
/// bytes; a UTF-8 byte-order mark is dropped, a UTF-16 one turns on transcoding, and
/// otherwise the peeked bytes are the first read (which is why that read is 3 bytes).
/// Under `-E none` ([`ReadSource::raw`]) the peeked bytes are always the first read.
pub struct ReadSource<R> {
    rdr: R,
    first: bool,
    sniff: bool,
    utf16: Option<Transcoder>,
}

impl<R: Read> ReadSource<R> {
    pub fn new(rdr: R) -> ReadSource<R> {
        ReadSource {
            rdr,
            first: true,
            sniff: true,
            utf16: None,
        }
    }

    /// The raw bytes, byte-order mark included (`-E none`), read as ripgrep reads them.
    pub fn raw(rdr: R) -> ReadSource<R> {
        ReadSource {
            sniff: false,
            ..ReadSource::new(rdr)
        }
    }

    fn raw_read(rdr: &mut R, dst: &mut [u8]) -> io::Result<usize> {
        loop {
            match rdr.read(dst) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => return r,
            }
        }
    }
}

impl<R: Read> Source for ReadSource<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if let Some(tr) = self.utf16.as_mut() {
            let rdr = &mut self.rdr;
            return tr.read(dst, |raw| Self::raw_read(rdr, raw));
        }
        if !self.first {
            return Self::raw_read(&mut self.rdr, dst);
        }
        self.first = false;
        let mut peek = [0u8; 3];
        let mut got = 0;
        while got < 3 {
            match Self::raw_read(&mut self.rdr, &mut peek[got..])? {
                0 => break,
                n => got += n,
            }
        }
        if self.sniff && peek[..got] == *b"\xEF\xBB\xBF" {
            return self.read(dst);
        }
        if let Some(dec) = Utf16::for_bom(&peek[..got]).filter(|_| self.sniff) {
            let mut tr = Transcoder::new(dec);
            tr.dec.decode(&peek[2..got], &mut tr.out);
            self.utf16 = Some(tr);
            return self.read(dst);
        }
        let n = got.min(dst.len());
        dst[..n].copy_from_slice(&peek[..n]);
        Ok(n)
    }
}

/// An `io::Read` that retries reads interrupted by a signal.
struct Retry<R>(R);

impl<R: Read> Read for Retry<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.0.read(dst) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => return r,
            }
        }
    }
}

/// Transcodes from an explicit encoding (`-E LABEL`) through ripgrep's own decoding reader,
/// built as ripgrep's searcher builds it: a UTF-16 byte-order mark overrides the label; a
/// UTF-8 one is dropped and the rest is still decoded with the label; input invalid in the
/// encoding becomes U+FFFD (so `-E utf-8` is no pass-through). Every read is the one
/// ripgrep's line buffer would get, so its binary rules cut at the same places.
pub struct DecodeSource<R: Read> {
    rdr: encoding_rs_io::DecodeReaderBytes<Retry<R>, Vec<u8>>,
}

impl<R: Read> DecodeSource<R> {
    pub fn new(encoding: &'static encoding_rs::Encoding, rdr: R) -> DecodeSource<R> {
        let rdr = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .utf8_passthru(true)
            .strip_bom(true)
            .bom_override(true)
            .bom_sniffing(true)
            .build(Retry(rdr));
        DecodeSource { rdr }
    }
}

impl<R: Read> Source for DecodeSource<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        self.rdr.read(dst)
    }
}

/// A stream over `rdr` that yields what ripgrep's decoding reader yields under `encoding`.
pub fn decoded<'a, R: Read + 'a>(encoding: Encoding, rdr: R) -> Box<dyn Source + 'a> {
    match encoding {
        Encoding::Auto => Box::new(ReadSource::new(rdr)),
        Encoding::Raw => Box::new(ReadSource::raw(rdr)),
        Encoding::Label(enc) => Box::new(DecodeSource::new(enc, rdr)),
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
/// of `bytes` (which ends with a complete line), lines ending with the terminator `t`.
pub(crate) fn preceding(bytes: &[u8], count: usize, t: u8) -> usize {
    let mut pos = bytes.len();
    if pos == 0 {
        return 0;
    }
    if bytes[pos - 1] == t {
        pos -= 1;
    }
    let mut count = count;
    loop {
        match memchr::memrchr(t, &bytes[..pos]) {
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
    /// The line terminator.
    t: u8,
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
            if let Some(i) = memchr::memrchr(self.t, &buf[old..self.end]) {
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
        t: matcher.term(),
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
            preceding(&buf[..region_len], opts.before, lb.t).max(visited)
        };
        carry.count_through(&buf[..region_len], consumed, lb.t);
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

/// Where ripgrep's reader stops searching a file under the Quit rule when its first NUL is
/// at `nul`: the end of the complete lines of the fills finished before the read that brings
/// the NUL (that fill is not searched at all). Replays only the read arithmetic (see
/// [`reads`]). Exact when no context lines are kept between fills (no -A/-B/-C), which
/// change how much each read asks for. `after_bom`: `bytes` follow a UTF-8 byte-order mark
/// (see [`SliceSource::after_bom`]).
pub fn quit_cut(bytes: &[u8], nul: usize, after_bom: bool) -> usize {
    let mut last = 0;
    for r in reads(bytes, after_bom) {
        if nul < r.end {
            return r.searched_before;
        }
        last = r.searched_after;
    }
    last
}

/// One read of ripgrep's line buffer over a file (absolute offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    /// Where the read's bytes begin.
    pub start: usize,
    /// Where they end.
    pub end: usize,
    /// The end of the complete lines searched before this read.
    pub searched_before: usize,
    /// The same after it.
    pub searched_after: usize,
}

/// ripgrep's reads over `bytes`, in order (see [`Replay`]).
pub fn reads(bytes: &[u8], after_bom: bool) -> impl Iterator<Item = Fill> + '_ {
    let mut replay = if after_bom {
        Replay::after_bom()
    } else {
        Replay::new()
    };
    std::iter::from_fn(move || replay.next(bytes))
}

/// The state of ripgrep's line buffer replayed over a file: the same steps as
/// `LineBuffer::fill` (the first read asks for 3 bytes, the buffer triples when one line
/// fills it), costing a short backward scan per read.
#[derive(Debug)]
pub struct Replay {
    cap: usize,
    /// The buffer holds [front, end); complete lines end at `searched`.
    front: usize,
    end: usize,
    searched: usize,
    first: bool,
    /// The line terminator.
    t: u8,
}

impl Replay {
    pub fn new() -> Replay {
        Replay {
            cap: initial_capacity(),
            front: 0,
            end: 0,
            searched: 0,
            first: true,
            t: b'\n',
        }
    }

    /// The same replay with lines ending at `t` (NUL under --null-data).
    pub fn terminated_by(self, t: u8) -> Replay {
        Replay { t, ..self }
    }

    /// The replay over the bytes after a UTF-8 byte-order mark: no 3-byte first read (see
    /// [`SliceSource::after_bom`]).
    pub fn after_bom() -> Replay {
        Replay {
            first: false,
            ..Replay::new()
        }
    }

    /// The next read over `bytes` (always the same bytes), None at the end.
    pub fn next(&mut self, bytes: &[u8]) -> Option<Fill> {
        if self.end - self.front == self.cap {
            self.cap *= 3;
        }
        let room = self.cap - (self.end - self.front);
        let n = if self.first { room.min(3) } else { room }.min(bytes.len() - self.end);
        self.first = false;
        if n == 0 {
            return None;
        }
        let start = self.end;
        let searched_before = self.searched;
        self.end += n;
        if let Some(i) = memchr::memrchr(self.t, &bytes[start..self.end]) {
            self.searched = start + i + 1;
            // Roll: everything searched is consumed; the incomplete tail moves to the front.
            self.front = self.front.max(self.searched);
        }
        Some(Fill {
            start,
            end: self.end,
            searched_before,
            searched_after: self.searched,
        })
    }
}

impl Default for Replay {
    fn default() -> Replay {
        Replay::new()
    }
}

/// Where ripgrep's reader buffer begins when it searches each line of a file that it reads
/// rather than maps (found by replaying its reads; exact without context lines, which
/// keep lines before a fill in its buffer). PCRE2's printer searches see the buffer from
/// there (see `pcre.rs`); mmgrep holds such a file whole.
#[derive(Debug, Default)]
pub struct BufferStarts {
    replay: Replay,
    /// (buffer start, end of the lines searched with it), fill after fill.
    fills: Vec<(usize, usize)>,
    done: bool,
}

impl BufferStarts {
    /// Buffer starts for lines ending at `t`.
    pub fn new(t: u8) -> BufferStarts {
        BufferStarts {
            replay: Replay::new().terminated_by(t),
            ..BufferStarts::default()
        }
    }

    /// The buffer start for the line starting at `ls` of `bytes` (always the same bytes).
    pub fn at(&mut self, bytes: &[u8], ls: usize) -> usize {
        while !self.done && self.fills.last().is_none_or(|&(_, until)| until <= ls) {
            match self.replay.next(bytes) {
                Some(f) if f.searched_after > f.searched_before => {
                    self.fills.push((f.searched_before, f.searched_after));
                }
                Some(_) => {}
                None => {
                    // The last line, without a line end, is searched at the end.
                    let last = self.fills.last().map_or(0, |f| f.1);
                    self.fills.push((last, usize::MAX));
                    self.done = true;
                }
            }
        }
        let i = self.fills.partition_point(|&(_, until)| until <= ls);
        self.fills.get(i).map_or(0, |f| f.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{Matcher, MatcherOptions};
    use crate::search::LineKind;

    struct Lines(Vec<usize>);
    impl Sink for Lines {
        fn line(
            &mut self,
            _h: &[u8],
            _k: LineKind,
            span: std::ops::Range<usize>,
            _n: u64,
            _g: bool,
        ) -> bool {
            self.0.push(span.end);
            true
        }
    }

    #[test]
    fn buffer_starts_follow_the_reads() {
        // The first read takes 3 bytes: "\nfo" holds a line end, so the second line starts
        // the next buffer.
        let bytes = b"\nfoo\n\nfoo\nlast";
        let mut b = BufferStarts::default();
        assert_eq!(b.at(bytes, 0), 0);
        assert_eq!(b.at(bytes, 1), 1);
        assert_eq!(b.at(bytes, 6), 1);
        // The last line, without a line end, is searched alone at the end of input.
        assert_eq!(b.at(bytes, 10), 10);
        assert_eq!(b.at(bytes, 0), 0);
        let bytes = b"abcdef\n\n";
        let mut b = BufferStarts::default();
        assert_eq!(b.at(bytes, 7), 0);
    }

    #[test]
    fn utf16_decodes_like_a_decoding_reader() {
        let text = "h\u{e9}llo \u{1F600} foo\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        for data in [&le, &be] {
            let mut src = Utf16Source::new(data).unwrap();
            let mut out = Vec::new();
            let mut buf = [0u8; 5];
            loop {
                let n = src.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            assert_eq!(String::from_utf8(out).unwrap(), text);
            let mut rs = ReadSource::new(&data[..]);
            let mut out = vec![0u8; 100];
            let n = rs.read(&mut out).unwrap();
            assert_eq!(&out[..n], text.as_bytes());
        }
        // A lone surrogate and an odd last byte become U+FFFD.
        let mut out = Vec::new();
        let mut d = Utf16::for_bom(&[0xFF, 0xFE]).unwrap();
        d.decode(&[0x00, 0xD8, b'a', 0, b'b'], &mut out);
        d.finish(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "\u{FFFD}a\u{FFFD}");
    }

    /// The arithmetic agrees with the full replay: the last line the reader searches ends
    /// at or before the cut, and the cut is where its searched data ends.
    #[test]
    fn quit_cut_agrees_with_the_reader_replay() {
        let m = Matcher::new(&["x"], &MatcherOptions::default()).unwrap();
        let opts = SearchOptions::default();
        for (lines, width) in [(3000usize, 30usize), (400, 700), (40, 9000), (5, 100_000)] {
            let mut data = Vec::new();
            for i in 0..lines {
                data.extend(std::iter::repeat_n(b'x', width + i % 7));
                data.push(b'\n');
            }
            for nul in [1, 2, 5, 70_000, data.len() / 2, data.len() - 3] {
                let mut bytes = data.clone();
                bytes[nul] = 0;
                let mut sink = Lines(Vec::new());
                let (out, err) = search_stream(
                    &mut SliceSource::new(&bytes),
                    BinaryKind::Quit,
                    &m,
                    &opts,
                    &mut sink,
                    &mut Vec::new(),
                );
                assert!(err.is_none());
                assert_eq!(out.binary, Some(nul as u64));
                let cut = quit_cut(&bytes, nul, false);
                let searched_to = out.bytes_searched as usize;
                assert_eq!(cut, searched_to, "lines {lines} width {width} nul {nul}");
                // Every line up to the cut was searched (all lines match 'x').
                let expect = bytes[..cut].iter().filter(|&&b| b == b'\n').count();
                assert_eq!(
                    sink.0.len(),
                    expect,
                    "lines {lines} width {width} nul {nul}"
                );
            }
        }
    }
}
