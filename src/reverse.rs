//! `--reverse`: a file's selected lines last first, found by searching its page-aligned
//! chunks from the end (the seed's `rfind`). With `-m NUM` the search stops after the last
//! NUM lines, so "where is the last ERROR in this 20 GB log" reads only the file's tail
//! (plus one newline count over the file when line numbers are asked for).
//!
//! A stream cannot be read backwards: it is read forward and its selected lines are kept
//! ([`Keep`]; only the last NUM with `-m`), then handed over last first.

use std::ops::Range;

use crate::chunk::{count_lines_ends, page_size, plan};
use crate::config::Config;
use crate::order::UnitOut;
use crate::search::{LineKind, SearchOptions, Sink, search_chunk};

/// Collects the selected lines of one chunk, in order.
struct Collect {
    lines: Vec<(Range<usize>, u64)>,
}

impl Sink for Collect {
    fn line(
        &mut self,
        _hay: &[u8],
        kind: LineKind,
        span: Range<usize>,
        n: u64,
        _gap: bool,
    ) -> bool {
        if kind == LineKind::Match {
            self.lines.push((span, n));
        }
        true
    }
}

/// Searches `bytes` from the end and hands the selected lines to `sink` last first.
pub fn search_reverse<S: Sink + IntoUnit>(cfg: &Config, bytes: &[u8], mut sink: S) -> UnitOut {
    let opts = SearchOptions {
        before: 0,
        after: 0,
        max_count: None,
        ..cfg.search
    };
    let chunk = cfg.chunk_size.max(page_size());
    let ranges = plan(bytes.len(), chunk);
    let mut newlines_before_end = if opts.line_numbers {
        count_lines_ends(bytes, cfg.matcher.term())
    } else {
        0
    };
    let limit = cfg.search.max_count.unwrap_or(u64::MAX);
    let mut emitted = 0u64;
    let mut lowest = bytes.len();
    'chunks: for r in ranges.iter().rev() {
        let here = if opts.line_numbers {
            count_lines_ends(&bytes[r.start..r.end], cfg.matcher.term())
        } else {
            0
        };
        let before = newlines_before_end - here;
        let mut c = Collect { lines: Vec::new() };
        search_chunk(
            bytes,
            r.start,
            r.end,
            Some(before),
            &cfg.matcher,
            &opts,
            &mut c,
            None,
        );
        newlines_before_end = before;
        for (span, n) in c.lines.into_iter().rev() {
            lowest = span.start;
            if !sink.line(bytes, LineKind::Match, span, n, true) {
                break 'chunks;
            }
            emitted += 1;
            if emitted >= limit {
                break 'chunks;
            }
        }
    }
    let mut out = sink.into_unit_out();
    out.bytes_searched = (bytes.len() - lowest.min(bytes.len())) as u64;
    out
}

/// Keeps the selected lines of a forward search (the last `limit` of them), with their line
/// numbers and offsets, to hand them over last first.
pub struct Keep {
    limit: usize,
    base: u64,
    lines: std::collections::VecDeque<(Vec<u8>, u64, u64)>,
}

impl Keep {
    pub fn new(limit: Option<u64>) -> Keep {
        let limit = limit.map_or(usize::MAX, |m| usize::try_from(m).unwrap_or(usize::MAX));
        Keep {
            limit,
            base: 0,
            lines: std::collections::VecDeque::new(),
        }
    }

    /// Hands the kept lines to `sink`, last first.
    pub fn replay<S: Sink>(self, sink: &mut S) {
        for (line, n, offset) in self.lines.into_iter().rev() {
            sink.set_base(offset);
            if !sink.line(&line, LineKind::Match, 0..line.len(), n, true) {
                break;
            }
        }
    }
}

impl Sink for Keep {
    fn line(&mut self, hay: &[u8], kind: LineKind, span: Range<usize>, n: u64, _gap: bool) -> bool {
        if kind == LineKind::Match && self.limit > 0 {
            if self.lines.len() == self.limit {
                self.lines.pop_front();
            }
            self.lines
                .push_back((hay[span.clone()].to_vec(), n, self.base + span.start as u64));
        }
        true
    }

    fn set_base(&mut self, base: u64) {
        self.base = base;
    }
}

/// A sink that can hand its results over as a unit result.
pub trait IntoUnit {
    fn into_unit_out(self) -> UnitOut;
}
