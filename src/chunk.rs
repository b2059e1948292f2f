//! Chunk planning and line arithmetic: page-aligned ranges over a haystack, the line each
//! range owns, and fast newline counting.
//!
//! A chunk covers bytes [s, e) with s and e multiples of the page size (the last chunk ends
//! at the end of the file). It owns exactly the lines whose first byte lies in [s, e): its
//! worker starts at the first line start at or after s and reads on to the end of the line
//! that holds byte e-1. Every line is thus owned by exactly one chunk.

use std::ops::Range;
use std::sync::OnceLock;

/// The system page size, from `sysconf(_SC_PAGESIZE)`.
pub fn page_size() -> usize {
    static PAGE: OnceLock<usize> = OnceLock::new();
    *PAGE.get_or_init(|| {
        // SAFETY: sysconf has no preconditions; it returns -1 on error.
        let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if n > 0 { n as usize } else { 4096 }
    })
}

/// Splits `len` bytes into page-aligned ranges of `chunk_size` bytes (itself a multiple of
/// the page size); the last range ends at `len`. An empty haystack has no range.
pub fn plan(len: usize, chunk_size: usize) -> Vec<Range<usize>> {
    debug_assert!(chunk_size > 0 && chunk_size % page_size() == 0);
    let mut out = Vec::with_capacity(len.div_ceil(chunk_size.max(1)));
    let mut s = 0;
    while s < len {
        let e = (s + chunk_size).min(len);
        out.push(s..e);
        s = e;
    }
    out
}

/// The first line start at or after `pos` (`hay.len()` when there is none).
#[inline]
pub fn line_start_at_or_after(hay: &[u8], pos: usize) -> usize {
    if pos == 0 || pos >= hay.len() {
        return pos.min(hay.len());
    }
    if hay[pos - 1] == b'\n' {
        return pos;
    }
    match memchr::memchr(b'\n', &hay[pos..]) {
        Some(i) => pos + i + 1,
        None => hay.len(),
    }
}

/// The end (one past the `\n`, or `limit`) of the line that holds byte `pos`.
#[inline]
pub fn line_end(hay: &[u8], pos: usize, limit: usize) -> usize {
    match memchr::memchr(b'\n', &hay[pos..limit]) {
        Some(i) => pos + i + 1,
        None => limit,
    }
}

/// The start of the line that holds byte `pos`, looking no further back than `floor`.
#[inline]
pub fn line_start(hay: &[u8], pos: usize, floor: usize) -> usize {
    match memchr::memrchr(b'\n', &hay[floor..pos]) {
        Some(i) => floor + i + 1,
        None => floor,
    }
}

/// The end of the window a range [lo, hi) reads: the end of the line holding byte hi-1.
#[inline]
pub fn window_end(hay: &[u8], hi: usize) -> usize {
    if hi == 0 {
        0
    } else if hi >= hay.len() {
        hay.len()
    } else {
        line_end(hay, hi - 1, hay.len())
    }
}

/// Counts `\n` bytes. Written so the compiler vectorises it: byte lanes are summed in blocks
/// of 255 steps so that no lane overflows.
pub fn count_newlines(hay: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            return unsafe { count_newlines_avx2(hay) };
        }
    }
    count_newlines_portable(hay)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn count_newlines_avx2(hay: &[u8]) -> u64 {
    count_newlines_portable(hay)
}

#[inline(always)]
fn count_newlines_portable(hay: &[u8]) -> u64 {
    const LANES: usize = 32;
    const BLOCK: usize = LANES * 255;
    let mut total = 0u64;
    let mut blocks = hay.chunks_exact(BLOCK);
    for block in blocks.by_ref() {
        let mut acc = [0u8; LANES];
        for step in block.chunks_exact(LANES) {
            for i in 0..LANES {
                acc[i] = acc[i].wrapping_add((step[i] == b'\n') as u8);
            }
        }
        total += acc.iter().map(|&x| x as u64).sum::<u64>();
    }
    total + blocks.remainder().iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_covers_everything_in_page_multiples() {
        let p = page_size();
        let ranges = plan(5 * p + 7, 2 * p);
        assert_eq!(ranges, vec![0..2 * p, 2 * p..4 * p, 4 * p..5 * p + 7]);
        assert!(plan(0, p).is_empty());
    }

    #[test]
    fn line_helpers() {
        let h = b"ab\ncd\nef";
        assert_eq!(line_start_at_or_after(h, 0), 0);
        assert_eq!(line_start_at_or_after(h, 1), 3);
        assert_eq!(line_start_at_or_after(h, 3), 3);
        assert_eq!(line_start_at_or_after(h, 7), 8);
        assert_eq!(line_end(h, 3, h.len()), 6);
        assert_eq!(line_end(h, 6, h.len()), 8);
        assert_eq!(line_start(h, 5, 0), 3);
        assert_eq!(window_end(h, 4), 6);
        assert_eq!(window_end(h, 3), 3);
    }

    #[test]
    fn newline_count_matches_naive() {
        let mut v = Vec::new();
        for i in 0..100_000u32 {
            v.push(if i % 7 == 0 || i % 13 == 0 { b'\n' } else { b'x' });
        }
        for len in [0, 1, 31, 32, 8159, 8160, 8161, 100_000] {
            let naive = v[..len].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(count_newlines(&v[..len]), naive, "len {len}");
        }
    }
}
