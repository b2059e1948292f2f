//! Chunk planning and line arithmetic: page-aligned ranges over a haystack, the line each
//! range owns, and fast line-end counting.
//!
//! A line ends with the line terminator `t`: `\n`, or NUL under --null-data (its lines are
//! records). Every helper takes it.
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
    debug_assert!(chunk_size > 0 && chunk_size.is_multiple_of(page_size()));
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
pub fn line_start_at_or_after(hay: &[u8], pos: usize, t: u8) -> usize {
    if pos == 0 || pos >= hay.len() {
        return pos.min(hay.len());
    }
    if hay[pos - 1] == t {
        return pos;
    }
    match memchr::memchr(t, &hay[pos..]) {
        Some(i) => pos + i + 1,
        None => hay.len(),
    }
}

/// The end (one past the terminator `t`, or `limit`) of the line that holds byte `pos`.
#[inline]
pub fn line_end(hay: &[u8], pos: usize, limit: usize, t: u8) -> usize {
    match memchr::memchr(t, &hay[pos..limit]) {
        Some(i) => pos + i + 1,
        None => limit,
    }
}

/// The start of the line that holds byte `pos`, looking no further back than `floor`.
#[inline]
pub fn line_start(hay: &[u8], pos: usize, floor: usize, t: u8) -> usize {
    match memchr::memrchr(t, &hay[floor..pos]) {
        Some(i) => floor + i + 1,
        None => floor,
    }
}

/// The end of the window a range [lo, hi) reads: the end of the line holding byte hi-1.
#[inline]
pub fn window_end(hay: &[u8], hi: usize, t: u8) -> usize {
    if hi == 0 {
        0
    } else if hi >= hay.len() {
        hay.len()
    } else {
        line_end(hay, hi - 1, hay.len(), t)
    }
}

/// Counts the line terminators `t` in `hay` (SIMD: AVX2 when the CPU has it, else SSE2 on
/// x86_64).
pub fn count_lines_ends(hay: &[u8], t: u8) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            return unsafe { simd::count_avx2(hay, t) };
        }
        // SAFETY: SSE2 is part of the x86_64 baseline.
        return unsafe { simd::count_sse2(hay, t) };
    }
    #[allow(unreachable_code)]
    count_scalar(hay, t)
}

fn count_scalar(hay: &[u8], t: u8) -> u64 {
    hay.iter().filter(|&&b| b == t).count() as u64
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    /// Byte lanes count matches (compare gives -1, subtracting it adds 1) for up to 255
    /// steps, then `sad_epu8` folds them into 64-bit sums.
    #[target_feature(enable = "avx2")]
    pub unsafe fn count_avx2(hay: &[u8], t: u8) -> u64 {
        let nl = _mm256_set1_epi8(t as i8);
        let zero = _mm256_setzero_si256();
        let mut total = _mm256_setzero_si256();
        // Four independent byte-lane accumulators, 128 bytes a step.
        let mut blocks = hay.chunks_exact(128);
        let mut steps = 0;
        let (mut a0, mut a1, mut a2, mut a3) = (zero, zero, zero, zero);
        for c in blocks.by_ref() {
            let p = c.as_ptr() as *const __m256i;
            // SAFETY: `c` is 128 readable bytes; loadu has no alignment requirement.
            unsafe {
                a0 = _mm256_sub_epi8(a0, _mm256_cmpeq_epi8(_mm256_loadu_si256(p), nl));
                a1 = _mm256_sub_epi8(a1, _mm256_cmpeq_epi8(_mm256_loadu_si256(p.add(1)), nl));
                a2 = _mm256_sub_epi8(a2, _mm256_cmpeq_epi8(_mm256_loadu_si256(p.add(2)), nl));
                a3 = _mm256_sub_epi8(a3, _mm256_cmpeq_epi8(_mm256_loadu_si256(p.add(3)), nl));
            }
            steps += 1;
            if steps == 255 {
                total = _mm256_add_epi64(total, fold(a0, a1, a2, a3, zero));
                (a0, a1, a2, a3) = (zero, zero, zero, zero);
                steps = 0;
            }
        }
        total = _mm256_add_epi64(total, fold(a0, a1, a2, a3, zero));
        let mut lanes = [0u64; 4];
        // SAFETY: `lanes` is 32 writable bytes.
        unsafe { _mm256_storeu_si256(lanes.as_mut_ptr() as *mut __m256i, total) };
        lanes.iter().sum::<u64>() + super::count_scalar(blocks.remainder(), t)
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn fold(a0: __m256i, a1: __m256i, a2: __m256i, a3: __m256i, zero: __m256i) -> __m256i {
        let s01 = _mm256_add_epi64(_mm256_sad_epu8(a0, zero), _mm256_sad_epu8(a1, zero));
        let s23 = _mm256_add_epi64(_mm256_sad_epu8(a2, zero), _mm256_sad_epu8(a3, zero));
        _mm256_add_epi64(s01, s23)
    }

    #[target_feature(enable = "sse2")]
    pub unsafe fn count_sse2(hay: &[u8], t: u8) -> u64 {
        let nl = _mm_set1_epi8(t as i8);
        let zero = _mm_setzero_si128();
        let mut total = _mm_setzero_si128();
        let mut chunks = hay.chunks_exact(16);
        let mut acc = _mm_setzero_si128();
        let mut steps = 0;
        for c in chunks.by_ref() {
            // SAFETY: `c` is 16 readable bytes; loadu has no alignment requirement.
            let v = unsafe { _mm_loadu_si128(c.as_ptr() as *const __m128i) };
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
            steps += 1;
            if steps == 255 {
                total = _mm_add_epi64(total, _mm_sad_epu8(acc, zero));
                acc = _mm_setzero_si128();
                steps = 0;
            }
        }
        total = _mm_add_epi64(total, _mm_sad_epu8(acc, zero));
        let mut lanes = [0u64; 2];
        // SAFETY: `lanes` is 16 writable bytes.
        unsafe { _mm_storeu_si128(lanes.as_mut_ptr() as *mut __m128i, total) };
        lanes.iter().sum::<u64>() + super::count_scalar(chunks.remainder(), t)
    }
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
        let t = b'\n';
        assert_eq!(line_start_at_or_after(h, 0, t), 0);
        assert_eq!(line_start_at_or_after(h, 1, t), 3);
        assert_eq!(line_start_at_or_after(h, 3, t), 3);
        assert_eq!(line_start_at_or_after(h, 7, t), 8);
        assert_eq!(line_end(h, 3, h.len(), t), 6);
        assert_eq!(line_end(h, 6, h.len(), t), 8);
        assert_eq!(line_start(h, 5, 0, t), 3);
        assert_eq!(window_end(h, 4, t), 6);
        assert_eq!(window_end(h, 3, t), 3);
        // NUL-terminated records (--null-data): a `\n` is inside a record.
        let r = b"a\nb\0cd\0e";
        assert_eq!(line_start_at_or_after(r, 1, 0), 4);
        assert_eq!(line_end(r, 0, r.len(), 0), 4);
        assert_eq!(line_start(r, 6, 0, 0), 4);
        assert_eq!(window_end(r, 5, 0), 7);
        assert_eq!(count_lines_ends(r, 0), 2);
    }

    #[test]
    fn newline_count_matches_naive() {
        let mut v = Vec::new();
        for i in 0..100_000u32 {
            v.push(if i % 7 == 0 || i % 13 == 0 {
                b'\n'
            } else {
                b'x'
            });
        }
        for len in [0, 1, 31, 32, 8159, 8160, 8161, 100_000] {
            let naive = v[..len].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(count_lines_ends(&v[..len], b'\n'), naive, "len {len}");
            #[cfg(target_arch = "x86_64")]
            // SAFETY: SSE2 is baseline on x86_64.
            assert_eq!(
                unsafe { simd::count_sse2(&v[..len], b'\n') },
                naive,
                "sse2 len {len}"
            );
        }
        // All newlines: the byte lanes must not overflow across 255-step blocks.
        let all = vec![b'\n'; 70_001];
        assert_eq!(count_lines_ends(&all, b'\n'), 70_001);
        let nuls = vec![0u8; 70_001];
        assert_eq!(count_lines_ends(&nuls, 0), 70_001);
        assert_eq!(count_lines_ends(&nuls, b'\n'), 0);
    }
}
