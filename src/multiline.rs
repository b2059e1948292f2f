//! The multi-line searcher (-U with patterns that can match a line break): a haystack held
//! whole in memory is searched match by match, not line by line, as ripgrep's `MultiLine`
//! searcher does it.
//!
//! Each match is widened to the lines it touches; matches whose lines touch or overlap
//! are handed to the sink as one block (a span of several lines, kind `Match`), so no line
//! is printed twice. Context lines go one by one. ripgrep's rules are kept where they are
//! odd: `-m` counts matches (not blocks), each search for the next match starts on a
//! fresh haystack at the end of the last one (so `^` and `\b` see nothing before it), and
//! a NUL byte is looked for in the first 64 KiB and then in each range about to be handed
//! over.

use crate::chunk::{count_lines_ends, line_end};
use crate::matcher::Matcher;
use crate::output::BinaryKind;
use crate::search::{LineKind, SearchOptions, Sink};
use crate::stream::preceding;

/// ripgrep looks for binary data in this much of the haystack before searching it.
const BINARY_HEAD: usize = 64 * 1024;

/// What the search found besides what it handed over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Offset of the first NUL byte seen (binary data), unless searched as text.
    pub binary: Option<u64>,
    /// Bytes searched, as ripgrep counts them (where it stopped, or the NUL before that).
    pub bytes_searched: u64,
}

/// Searches `hay` whole and hands its selected blocks and lines (with their context) to
/// `sink`. `binary` is the file's rule for NUL bytes.
pub fn search<S: Sink>(
    hay: &[u8],
    matcher: &Matcher,
    opts: &SearchOptions,
    binary: BinaryKind,
    sink: &mut S,
) -> Outcome {
    let mut ml = MultiLine {
        hay,
        matcher,
        opts,
        binary,
        sink,
        pos: 0,
        found: 0,
        printed_upto: None,
        after_left: 0,
        line_number: 1,
        counted: 0,
        nul: None,
        last: None,
        stopped: false,
    };
    ml.run();
    let pos = ml.pos as u64;
    Outcome {
        binary: ml.nul.map(|n| n as u64),
        bytes_searched: match ml.nul {
            Some(n) if (n as u64) < pos => n as u64,
            _ => pos,
        },
    }
}

struct MultiLine<'a, S: Sink> {
    hay: &'a [u8],
    matcher: &'a Matcher,
    opts: &'a SearchOptions,
    binary: BinaryKind,
    sink: &'a mut S,
    /// Where the next search for a match starts.
    pos: usize,
    /// Matches found so far (what -m counts).
    found: u64,
    /// End of the last line handed over (ripgrep's `last_line_visited`), None before the
    /// first: a line that does not start there follows a gap.
    printed_upto: Option<usize>,
    /// After-context lines still owed.
    after_left: usize,
    /// Number of the line that starts at `counted`.
    line_number: u64,
    counted: usize,
    /// The first NUL byte seen.
    nul: Option<usize>,
    /// The block of lines of the matches found so far, not yet handed over (a later match
    /// may extend it).
    last: Option<(usize, usize)>,
    /// The sink asked to stop, or binary data ended the search.
    stopped: bool,
}

impl<S: Sink> MultiLine<'_, S> {
    fn run(&mut self) {
        let head = self.hay.len().min(BINARY_HEAD);
        if self.binary_stops(0, head) {
            return;
        }
        while self.pos < self.hay.len() && !self.stopped {
            if self.opts.invert {
                self.step_inverted();
            } else {
                self.step();
            }
        }
        if self.stopped {
            return;
        }
        if let Some((s, e)) = self.last.take()
            && self.context_before(s)
        {
            self.matched(s, e);
        }
        if self.stopped {
            return;
        }
        if self.opts.passthru {
            self.other_context(self.hay.len());
        } else {
            self.after_context(self.hay.len());
        }
    }

    /// Where ripgrep's context lines start from: the end of the last line handed over.
    fn visited(&self) -> usize {
        self.printed_upto.unwrap_or(0)
    }

    fn limit_reached(&self) -> bool {
        self.opts.max_count.is_some_and(|m| self.found >= m)
    }

    /// The next match at or after `pos`, searched in `hay[pos..]` as a haystack of its own.
    fn find(&mut self) -> Option<(usize, usize)> {
        if self.limit_reached() {
            return None;
        }
        let rest = &self.hay[self.pos..];
        let (s, e) = self.matcher.find_at(rest, 0, rest.len())?;
        self.found += 1;
        Some((self.pos + s, self.pos + e))
    }

    /// Moves the search past a match (one byte past an empty one).
    fn advance(&mut self, (_, e): (usize, usize), empty: bool) {
        self.pos = e;
        if empty && self.pos < self.hay.len() {
            self.pos += 1;
        }
    }

    fn step(&mut self) {
        let Some(m) = self.find() else {
            self.pos = self.hay.len();
            return;
        };
        self.advance(m, m.0 == m.1);
        let line = locate(self.hay, m, self.matcher.term());
        match self.last.take() {
            None => self.last = Some(line),
            // Matches on adjacent or shared lines make one block.
            Some(last) if last.1 >= line.0 => self.last = Some((last.0, line.1)),
            Some(last) => {
                self.last = Some(line);
                if self.context_before(last.0) {
                    self.matched(last.0, last.1);
                }
            }
        }
    }

    fn step_inverted(&mut self) {
        let range = match self.find() {
            None => {
                let r = (self.pos, self.hay.len());
                self.pos = self.hay.len();
                r
            }
            Some(m) => {
                let line = locate(self.hay, m, self.matcher.term());
                let r = (self.pos, line.0);
                self.advance(line, line.0 == line.1);
                r
            }
        };
        if range.0 >= range.1 || !self.context_before(range.0) {
            return;
        }
        let mut ls = range.0;
        while ls < range.1 && !self.stopped {
            let le = line_end(self.hay, ls, range.1, self.matcher.term());
            self.matched(ls, le);
            ls = le;
        }
    }

    /// Looks for a NUL in `hay[s..e]` (unless searched as text); true when the search must
    /// stop there (ripgrep's Quit rule, or one seen before).
    fn binary_stops(&mut self, s: usize, e: usize) -> bool {
        if self.binary == BinaryKind::Text {
            return false;
        }
        if self.nul.is_none()
            && let Some(i) = memchr::memchr(0, &self.hay[s..e])
        {
            self.nul = Some(s + i);
            self.sink.binary_data((s + i) as u64);
        } else if self.nul.is_none() {
            return false;
        }
        if self.binary == BinaryKind::Quit {
            self.stopped = true;
        }
        self.stopped
    }

    fn number(&mut self, upto: usize) -> u64 {
        if !self.opts.line_numbers {
            return 0;
        }
        if upto > self.counted {
            self.line_number +=
                count_lines_ends(&self.hay[self.counted..upto], self.matcher.term());
            self.counted = upto;
        }
        self.line_number
    }

    fn hand_over(&mut self, kind: LineKind, s: usize, e: usize) -> bool {
        if self.binary_stops(s, e) {
            return false;
        }
        let gap = self.printed_upto != Some(s);
        let n = self.number(s);
        if !self.sink.line(self.hay, kind, s..e, n, gap) {
            self.stopped = true;
            return false;
        }
        self.printed_upto = Some(e);
        true
    }

    /// Hands over selected lines (a block, or one line under -v).
    fn matched(&mut self, s: usize, e: usize) -> bool {
        if s == e {
            // Only an empty match after the haystack's final line end gives an empty
            // block: ripgrep stops there.
            self.stopped = true;
            return false;
        }
        if !self.hand_over(LineKind::Match, s, e) {
            return false;
        }
        self.after_left = self.opts.after;
        true
    }

    /// The context owed before selected lines that start at `upto`.
    fn context_before(&mut self, upto: usize) -> bool {
        if self.opts.passthru {
            return self.other_context(upto);
        }
        self.after_context(upto) && self.before_context(upto)
    }

    fn after_context(&mut self, upto: usize) -> bool {
        if self.after_left == 0 {
            return true;
        }
        let past_limit = self.limit_reached();
        let mut ls = self.visited();
        while ls < upto {
            let le = line_end(self.hay, ls, upto, self.matcher.term());
            if past_limit && self.line_is_selected(ls, le) {
                // Past -m, a selected line in the after-context still prints as one.
                let left = self.after_left;
                self.pos = le;
                if !self.matched(ls, le) {
                    return false;
                }
                self.after_left = left - 1;
            } else {
                if !self.hand_over(LineKind::Context, ls, le) {
                    return false;
                }
                self.after_left -= 1;
            }
            if self.after_left == 0 {
                break;
            }
            ls = le;
        }
        true
    }

    fn before_context(&mut self, upto: usize) -> bool {
        let n = self.opts.before;
        if n == 0 || self.visited() >= upto {
            return true;
        }
        let from =
            self.visited() + preceding(&self.hay[self.visited()..upto], n - 1, self.matcher.term());
        self.context_lines(from, upto)
    }

    fn other_context(&mut self, upto: usize) -> bool {
        self.context_lines(self.visited(), upto)
    }

    /// Hands over the lines of `[from, upto)` as context.
    fn context_lines(&mut self, from: usize, upto: usize) -> bool {
        let mut ls = from;
        while ls < upto {
            let le = line_end(self.hay, ls, upto, self.matcher.term());
            if !self.hand_over(LineKind::Context, ls, le) {
                return false;
            }
            ls = le;
        }
        true
    }

    /// Whether the line `hay[ls..le]`, searched as a haystack of its own without its line
    /// end, is selected.
    fn line_is_selected(&self, ls: usize, le: usize) -> bool {
        let line = &self.hay[ls..le];
        let line = &line[..line.len() - self.matcher.line_end_len(line)];
        self.matcher.find_at(line, 0, line.len()).is_some() != self.opts.invert
    }
}

/// The lines a match touches: from the start of its first line to the end of its last
/// (a match that ends with the line terminator `t` ends its last line there).
fn locate(hay: &[u8], (s, e): (usize, usize), t: u8) -> (usize, usize) {
    let start = memchr::memrchr(t, &hay[..s]).map_or(0, |i| i + 1);
    let end = if e > start && hay[e - 1] == t {
        e
    } else {
        memchr::memchr(t, &hay[e..]).map_or(hay.len(), |i| e + i + 1)
    };
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_widens_to_lines() {
        let hay = b"ab\ncd\nef";
        assert_eq!(locate(hay, (1, 4), b'\n'), (0, 6));
        assert_eq!(locate(hay, (1, 3), b'\n'), (0, 3));
        assert_eq!(locate(hay, (7, 8), b'\n'), (6, 8));
        assert_eq!(locate(hay, (8, 8), b'\n'), (6, 8));
    }

    #[test]
    fn preceding_counts_back() {
        let b = b"a\nb\nc\n";
        assert_eq!(preceding(b, 0, b'\n'), 4);
        assert_eq!(preceding(b, 1, b'\n'), 2);
        assert_eq!(preceding(b, 5, b'\n'), 0);
    }
}
