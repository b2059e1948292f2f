//! The line engine: finds the selected lines (matching, or not matching with `-v`) of a byte
//! range and hands them, with their context lines, to a [`Sink`].
//!
//! One scan loop serves two boundary modes:
//!
//! * **sequential** ([`search_sequential`]): ranges of one haystack are searched in order by
//!   one worker (a whole file, the pieces of a stream, a file under `-m`); a [`Carry`] takes
//!   pending after-context, the last printed line and the line count from one range to the
//!   next, and before-context may reach back into the previous range.
//! * **parallel** ([`search_chunk`]): a page-aligned chunk of a map is searched on its own. It
//!   prints exactly the lines it owns (those starting in the chunk): it looks back over the
//!   lines before it to learn which of its first lines are after-context of an earlier match,
//!   and looks ahead past its end to learn which of its last lines are before-context of a
//!   later one. A context break before its first printed line that depends on what earlier
//!   chunks printed is reported to the sink as a gap for the ordered writer to resolve.

use std::ops::Range;

use crate::chunk::{count_lines_ends, line_end, line_start, line_start_at_or_after, window_end};
use crate::matcher::Matcher;

/// Whether a line handed to the sink is selected or context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Match,
    Context,
}

/// Receives the lines to print, in order.
pub trait Sink {
    /// `span` is the line in `hay` including its `\n` when it has one. `line_no` is 1-based
    /// (0 when line numbers are off). `gap` is true when the line before this one has not
    /// been printed (by this search or, for a chunk, by its neighbours). Returns false to
    /// stop the search.
    fn line(
        &mut self,
        hay: &[u8],
        kind: LineKind,
        span: Range<usize>,
        line_no: u64,
        gap: bool,
    ) -> bool;

    /// Binary data (a NUL byte) was found at this absolute offset by a reader before the
    /// lines that follow were handed over.
    fn binary_data(&mut self, _offset: u64) {}

    /// The haystack handed over next starts at this absolute offset of the file (a stream
    /// buffer moves along the file; a map or whole read starts at 0).
    fn set_base(&mut self, _base: u64) {}
}

/// How lines are selected and which neighbours are printed.
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchOptions {
    pub invert: bool,
    pub before: usize,
    pub after: usize,
    /// Stop after this many selected lines (trailing after-context is still printed; a
    /// selected line inside it is printed as a match, as ripgrep does).
    pub max_count: Option<u64>,
    pub line_numbers: bool,
    /// --passthru: every line is handed over, the unselected ones as context (and, past
    /// `-m`, the selected ones too). Before and after are 0 then.
    pub passthru: bool,
    /// --stop-on-nonmatch: after a selected line, the first line not selected ends the
    /// search (sequential only, like `-m`).
    pub stop_on_nonmatch: bool,
}

impl SearchOptions {
    fn context(&self) -> bool {
        self.before > 0 || self.after > 0
    }
}

/// State carried between the ranges of a sequential search. Offsets are positions in the
/// haystack slice; [`Carry::shift`] moves them when a stream buffer drops its front.
#[derive(Clone, Debug, Default)]
pub struct Carry {
    /// End of the last printed line.
    printed_upto: Option<usize>,
    /// After-context lines still owed to the last selected line.
    after_left: usize,
    /// Newlines before `count_pos` (the haystack's first line is line 1).
    count_pos: usize,
    newlines: u64,
    /// Selected lines so far.
    pub selected: u64,
    /// Where the search got to: the end of the window when it ran through, or the end of
    /// the last line handed over when it stopped early (ripgrep's "bytes searched").
    pub reached: usize,
    /// True when the search is over: the sink said stop, or `-m` was reached and its
    /// trailing context printed.
    pub done: bool,
    /// Where ripgrep's slice searcher has got to (its `pos`), which is a mapped file's bytes
    /// searched when -m stops it: set to the end of each selected line handed over, under
    /// -v to the end of the matching line that bounds a run of selected lines (before the
    /// run is handed over), and past -m's limit to the end of each selected line its
    /// after-context window holds. Context lines do not move it.
    pub slice_pos: usize,
    /// --stop-on-nonmatch under -v: the first run of selected lines is over and the search
    /// goes line by line (ripgrep's slow path; without -v it does after the first match).
    armed: bool,
}

impl Carry {
    /// A carry for a haystack whose byte 0 is preceded by `newlines` newlines.
    pub fn starting_at(newlines: u64) -> Carry {
        Carry {
            newlines,
            ..Carry::default()
        }
    }

    /// The buffer dropped its first `k` bytes: rebase every offset.
    pub fn shift(&mut self, k: usize) {
        // A printed line that ended before the new front is no longer adjacent to anything.
        self.printed_upto = self.printed_upto.and_then(|p| p.checked_sub(k));
        self.reached = self.reached.saturating_sub(k);
        self.slice_pos = self.slice_pos.saturating_sub(k);
        debug_assert!(self.count_pos >= k || self.count_pos == 0);
        self.count_pos = self.count_pos.saturating_sub(k);
    }

    /// End of the last printed line, if one was printed and is still in the buffer.
    pub fn printed_end(&self) -> Option<usize> {
        self.printed_upto
    }

    /// Counts the line ends in `hay[count_pos..upto]` so that the line count stays exact
    /// when the front of a stream buffer is dropped.
    /// `t` is the line terminator.
    pub fn count_through(&mut self, hay: &[u8], upto: usize, t: u8) {
        if upto > self.count_pos {
            self.newlines += count_lines_ends(&hay[self.count_pos..upto], t);
            self.count_pos = upto;
        }
    }

    fn limit_reached(&self, opts: &SearchOptions) -> bool {
        opts.max_count.is_some_and(|m| self.selected >= m)
    }
}

/// A stretch `[from, to)` of the haystack known to hold no line terminator: the scan for a
/// window's end found the line holding the chunk's last byte to end at `to` (its
/// terminator, or the end). Line ends and line counts skip it, so that a line much longer
/// than a chunk (a minified file, a log without line ends) is read once, not once per
/// question about it.
#[derive(Clone, Copy, Default)]
struct Clear {
    from: usize,
    to: usize,
}

impl Clear {
    /// What `window_end(hay, hi, t)` (= `win_end`) learnt.
    fn of_window(hay: &[u8], hi: usize, win_end: usize, t: u8) -> Clear {
        if hi == 0 || hi >= hay.len() || win_end <= hi {
            return Clear::default();
        }
        let to = if hay[win_end - 1] == t {
            win_end - 1
        } else {
            win_end
        };
        Clear { from: hi - 1, to }
    }

    /// `line_end(hay, pos, limit, t)`, without reading the stretch.
    #[inline]
    fn line_end(self, hay: &[u8], pos: usize, limit: usize, t: u8) -> usize {
        if self.to <= self.from || pos >= self.to || limit <= self.from {
            return line_end(hay, pos, limit, t);
        }
        if pos < self.from
            && let Some(i) = memchr::memchr(t, &hay[pos..self.from])
        {
            return pos + i + 1;
        }
        if self.to >= limit {
            return limit;
        }
        line_end(hay, self.to, limit, t)
    }

    /// `count_lines_ends(&hay[a..b], t)`, without reading the stretch.
    #[inline]
    fn count(self, hay: &[u8], a: usize, b: usize, t: u8) -> u64 {
        if self.to <= self.from || b <= self.from || a >= self.to {
            return count_lines_ends(&hay[a..b], t);
        }
        let mut n = 0;
        if a < self.from {
            n += count_lines_ends(&hay[a..self.from], t);
        }
        if b > self.to {
            n += count_lines_ends(&hay[self.to.max(a)..b], t);
        }
        n
    }
}

struct Run<'a, S: Sink> {
    hay: &'a [u8],
    matcher: &'a Matcher,
    /// The line terminator (`matcher.term()`).
    t: u8,
    opts: &'a SearchOptions,
    sink: &'a mut S,
    st: Carry,
    /// Newlines before the counting origin (`count_pos` at the start): line numbers are
    /// `base + newlines + 1`. A chunk numbers its lines from 0 when its base is not known;
    /// the ordered writer adds the base (see `search_chunk`).
    base: u64,
    /// Lowest offset before-context may start at.
    floor: usize,
    /// End of the last line this search may print.
    win_end: usize,
    /// What the scan for `win_end` learnt (see [`Clear`]).
    clear: Clear,
    /// Scan in line-aligned blocks of about this many bytes, counting each block's newlines
    /// right after searching it, while it is in cache (0: one scan, lazy counting).
    block: usize,
    /// For a file that ends at its first NUL (ripgrep's Quit rule): asked before each block.
    gate: Option<&'a NulGate<'a>>,
    /// The first line this search owns (where --passthru starts printing).
    first: usize,
    /// The last line numbered behind the block counter, and the newlines before it.
    back: Option<(usize, u64)>,
}

/// Where a file that stops at its first NUL (a file met while walking) stops, found block
/// by block as the search goes, so that the bytes looked at for a NUL are still in cache
/// when the matcher reads them (one pass over memory instead of two).
///
/// ripgrep's reader stops at the end of the complete lines it searched before the read
/// that brought the NUL: `horizon(e)` is how far past `e` a NUL can still stop the file
/// before `e`, and `cut(z)` where a NUL at `z` stops it (both from the file's replay of
/// ripgrep's reads).
pub struct NulGate<'g> {
    bytes: &'g [u8],
    horizon: &'g dyn Fn(usize) -> usize,
    cut: &'g dyn Fn(usize) -> usize,
    /// Bytes before this offset are known to hold no NUL.
    checked: std::cell::Cell<usize>,
    /// The first NUL found and where it stops the file.
    found: std::cell::Cell<Option<(usize, usize)>>,
}

impl<'g> NulGate<'g> {
    /// A gate for `bytes` searched from `from` on.
    pub fn new(
        bytes: &'g [u8],
        from: usize,
        horizon: &'g dyn Fn(usize) -> usize,
        cut: &'g dyn Fn(usize) -> usize,
    ) -> NulGate<'g> {
        NulGate {
            bytes,
            horizon,
            cut,
            checked: std::cell::Cell::new(from),
            found: std::cell::Cell::new(None),
        }
    }

    /// Before the lines in `[pos, end)` are searched: where the file stops, if before `end`.
    fn stop_before(&self, pos: usize, end: usize) -> Option<usize> {
        if self.found.get().is_none() {
            let h = (self.horizon)(end).clamp(end, self.bytes.len());
            let from = self.checked.get().max(pos);
            if from < h {
                if let Some(i) = memchr::memchr(0, &self.bytes[from..h]) {
                    let z = from + i;
                    self.found.set(Some((z, (self.cut)(z))));
                }
                self.checked.set(h);
            }
        }
        self.found
            .get()
            .map(|(_, cut)| cut)
            .filter(|&cut| cut < end)
    }

    /// The first NUL found and where it stops the file.
    pub fn found(&self) -> Option<(usize, usize)> {
        self.found.get()
    }
}

impl<S: Sink> Run<'_, S> {
    #[inline]
    fn is_selected(&self, ls: usize, le: usize) -> bool {
        let end = if le > ls && self.hay[le - 1] == self.t {
            le - 1
        } else {
            le
        };
        self.matcher.is_match_in(self.hay, ls, end) != self.opts.invert
    }

    #[inline]
    fn line_no(&mut self, x: usize) -> u64 {
        if !self.opts.line_numbers {
            return 0;
        }
        if x < self.st.count_pos {
            // A line printed behind the block counter (context, --passthru): from the last
            // such line when this one follows it (lines are printed in order, so a long run
            // of them costs one pass), else by counting back from the counter.
            let n = match self.back {
                Some((p, n)) if p <= x => n + self.clear.count(self.hay, p, x, self.t),
                _ => self.st.newlines - self.clear.count(self.hay, x, self.st.count_pos, self.t),
            };
            self.back = Some((x, n));
            return self.base + n + 1;
        }
        self.count_to(x);
        self.base + self.st.newlines + 1
    }

    #[inline]
    fn emit(&mut self, kind: LineKind, ls: usize, le: usize) -> bool {
        let gap = self.st.printed_upto != Some(ls);
        let n = self.line_no(ls);
        self.st.printed_upto = Some(le);
        if !self.sink.line(self.hay, kind, ls..le, n, gap) {
            self.st.done = true;
            return false;
        }
        true
    }

    /// Prints owed after-context lines that start before `limit`.
    fn flush_after(&mut self, limit: usize) -> bool {
        let past_limit = self.st.limit_reached(self.opts);
        while self.st.after_left > 0 {
            let Some(p) = self.st.printed_upto else { break };
            if p >= limit {
                break;
            }
            let le = self.clear.line_end(self.hay, p, self.hay.len(), self.t);
            // ripgrep's slow line path (PCRE2's, which it always takes) matches nothing past
            // the limit: the window's lines are all context there.
            let kind = if past_limit && !self.matcher.is_pcre2() && self.is_selected(p, le) {
                self.st.slice_pos = le;
                LineKind::Match
            } else {
                LineKind::Context
            };
            if !self.emit(kind, p, le) {
                return false;
            }
            self.st.after_left -= 1;
        }
        true
    }

    /// Prints the before-context lines of the selected line at `ls` that lie in
    /// [lower, upto): at most `before` lines back from `ls`, none already printed.
    fn before_context(&mut self, ls: usize, lower: usize, upto: usize) -> bool {
        let lower = match self.st.printed_upto {
            Some(p) if p > lower => p,
            _ => lower,
        };
        if ls <= lower {
            return true;
        }
        let mut b = ls;
        for _ in 0..self.opts.before {
            if b <= lower {
                break;
            }
            b = line_start(self.hay, b - 1, lower, self.t);
        }
        while b < upto {
            let e = self.clear.line_end(self.hay, b, upto, self.t);
            if !self.emit(LineKind::Context, b, e) {
                return false;
            }
            b = e;
        }
        true
    }

    /// --passthru: hands over the lines not printed yet that start before `to` as context.
    fn pass_through(&mut self, to: usize) -> bool {
        let mut b = self
            .st
            .printed_upto
            .map_or(self.first, |p| p.max(self.first));
        while b < to {
            let e = self.clear.line_end(self.hay, b, self.hay.len(), self.t);
            if !self.emit(LineKind::Context, b, e) {
                return false;
            }
            b = e;
        }
        true
    }

    /// --stop-on-nonmatch met the line [ls, le), not selected: it is printed as context when
    /// after-context is owed or with --passthru (ripgrep writes no break before it), and the
    /// search ends past it. Returns false.
    fn stop_at_nonmatch(&mut self, ls: usize, le: usize) -> bool {
        self.st.done = true;
        self.st.reached = le;
        self.st.slice_pos = le;
        if self.st.after_left > 0 || self.opts.passthru {
            let n = self.line_no(ls);
            self.st.printed_upto = Some(le);
            self.sink
                .line(self.hay, LineKind::Context, ls..le, n, false);
        }
        false
    }

    /// Handles one selected line [ls, le): owed after-context, before-context, the line.
    fn selected(&mut self, ls: usize, le: usize) -> bool {
        if self.opts.passthru && !self.pass_through(ls) {
            return false;
        }
        if self.opts.context() {
            if !self.flush_after(ls) {
                return false;
            }
            if self.opts.before > 0 && !self.before_context(ls, self.floor, ls) {
                return false;
            }
        }
        if !self.emit(LineKind::Match, ls, le) {
            return false;
        }
        if !self.opts.invert {
            self.st.slice_pos = le;
        }
        self.st.after_left = self.opts.after;
        self.st.selected += 1;
        true
    }

    /// Scans the lines starting in [first, win_end) and handles every selected one, in
    /// blocks when `block` is set. Returns false when the sink stopped the search or `-m`
    /// was reached.
    fn scan(&mut self, first: usize) -> bool {
        if self.block == 0 && self.gate.is_none() {
            return self.scan_to(first, self.win_end);
        }
        let block = if self.block == 0 {
            COUNT_BLOCK
        } else {
            self.block
        };
        let mut pos = first;
        while pos < self.win_end {
            let target = (pos + block).min(self.win_end);
            let mut block_end = if target == self.win_end {
                target
            } else {
                self.clear
                    .line_end(self.hay, target - 1, self.win_end, self.t)
            };
            if let Some(cut) = self.gate.and_then(|g| g.stop_before(pos, block_end)) {
                // The file ends at `cut`, a line start: nothing from there on is seen, not
                // even as context. A cut before `pos` can only come before the first line
                // (the blocks before looked far enough ahead).
                debug_assert!(cut >= pos || pos == first, "cut {cut} before {pos}");
                let stop = cut.max(pos);
                self.hay = &self.hay[..stop];
                self.clear = Clear::default();
                self.win_end = stop;
                block_end = stop;
            }
            if !self.scan_to(pos, block_end) {
                return false;
            }
            // --passthru hands over the block's last lines now, while the line count is at
            // them: once the counter has moved on, each would be numbered by counting back.
            if self.opts.passthru && !self.pass_through(block_end) {
                return false;
            }
            self.count_to(block_end);
            pos = block_end;
        }
        true
    }

    /// Counts newlines up to `x` (when line numbers are on).
    #[inline]
    fn count_to(&mut self, x: usize) {
        if self.opts.line_numbers && x > self.st.count_pos {
            self.st.newlines += self.clear.count(self.hay, self.st.count_pos, x, self.t);
            self.st.count_pos = x;
        }
    }

    /// Scans the lines starting in [first, end), `end` a line end.
    fn scan_to(&mut self, first: usize, end: usize) -> bool {
        let hay = self.hay;
        let matcher = self.matcher;
        let t = self.t;
        let clear = self.clear;
        // A matcher that finds a range's matching lines at once does so a block at a time
        // (a block's worth of scanning is all that -m, -l or -q can waste).
        let at_once = matcher.finds_lines_at_once();
        let mut hits = Vec::new();
        let (mut next_hit, mut scanned) = (0, first);
        let mut hit_from = |pos: usize| -> Option<usize> {
            if !at_once {
                return matcher.line_hit(hay, pos, end);
            }
            loop {
                while next_hit < hits.len() && hits[next_hit] < pos {
                    next_hit += 1;
                }
                if let Some(&h) = hits.get(next_hit) {
                    return Some(h);
                }
                if scanned >= end {
                    return None;
                }
                let from = scanned.max(pos);
                scanned = if end - from <= HIT_BLOCK {
                    end
                } else {
                    clear.line_end(hay, from + HIT_BLOCK, end, t)
                };
                hits.clear();
                next_hit = 0;
                matcher.line_hits(hay, from, scanned, &mut hits);
            }
        };
        let mut pos = first;
        while pos < end {
            if self.st.limit_reached(self.opts) {
                return false;
            }
            if self.opts.stop_on_nonmatch && self.st.selected > 0 {
                self.st.armed = true;
                // Once a line was selected, line by line up to the first one that is not (as
                // ripgrep's slow path goes; under -v it resumes past the matching line that
                // ended the first run, without looking at that line).
                let le = clear.line_end(hay, pos, end, t);
                if !self.is_selected(pos, le) {
                    return self.stop_at_nonmatch(pos, le);
                }
                // Owed after-context covers no skipped line (there is none without -v).
                self.st.after_left = 0;
                if !self.selected(pos, le) {
                    return false;
                }
                // The slow path's position moves line by line, under -v too.
                self.st.slice_pos = le;
                pos = le;
                continue;
            }
            // An offset in the first matching line. A hit at `end` right after a `\n` is an
            // empty match where no owned line starts.
            let found = hit_from(pos).filter(|&h| h < end || (end > 0 && hay[end - 1] != t));
            if self.opts.invert {
                let (ms, me) = match found {
                    Some(h) => (line_start(hay, h, pos, t), clear.line_end(hay, h, end, t)),
                    None => (end, end),
                };
                // ripgrep's fast path moves past the matching line that bounds a run of
                // selected lines before handing the run over: a stop inside the run has
                // reached `me`. (Its slow path, PCRE2's, has reached the line it stops on.)
                if !self.matcher.is_pcre2() {
                    self.st.reached = me;
                    self.st.slice_pos = me;
                }
                let run_start = pos;
                while pos < ms {
                    if self.st.limit_reached(self.opts) {
                        return false;
                    }
                    let le = clear.line_end(hay, pos, ms, t);
                    if !self.selected(pos, le) {
                        return false;
                    }
                    pos = le;
                }
                // ripgrep's fast path goes on past the matching line; with --stop-on-nonmatch
                // on its slow path (--passthru, PCRE2) that line is the one that stops it.
                let slow = self.opts.passthru || self.matcher.is_pcre2();
                pos = if self.opts.stop_on_nonmatch && slow && ms > run_start {
                    ms
                } else {
                    me
                };
            } else {
                let Some(h) = found else { break };
                let ls = line_start(hay, h, pos, t);
                // An empty match at the very end of a line that ends the file's last `\n`
                // would be a phantom line: the scan never starts at `end`, so `ls < end`.
                let le = clear.line_end(hay, h, end, t);
                if !self.selected(ls, le) {
                    return false;
                }
                pos = le;
            }
        }
        true
    }
}

/// How much a matcher that finds lines at once scans at a time.
const HIT_BLOCK: usize = 64 << 10;

/// Searches the lines starting in `hay[lo..hi)` in sequence with the state in `carry`;
/// `floor` is the lowest offset before-context may use (the start of what the buffer still
/// holds). `lo` and `hi` need not be line starts: the lines owned are those starting in
/// the range. Pending after-context that runs past `hi` is left in the carry for the next
/// range; `eof` says the haystack ends at `hay.len()`.
#[allow(clippy::too_many_arguments)]
pub fn search_sequential<S: Sink>(
    hay: &[u8],
    lo: usize,
    hi: usize,
    floor: usize,
    eof: bool,
    matcher: &Matcher,
    opts: &SearchOptions,
    carry: &mut Carry,
    sink: &mut S,
) {
    if carry.done {
        return;
    }
    let t = matcher.term();
    let first = line_start_at_or_after(hay, lo, t);
    let win_end = window_end(hay, hi, t);
    let mut run = Run {
        hay,
        matcher,
        t,
        opts,
        sink,
        st: std::mem::take(carry),
        base: 0,
        floor,
        win_end,
        clear: Clear::of_window(hay, hi, win_end, t),
        block: 0,
        gate: None,
        first,
        back: None,
    };
    if !run.st.limit_reached(opts) {
        run.scan(first);
    }
    let limit = run.st.limit_reached(opts);
    // --stop-on-nonmatch goes line by line once a line was selected (ripgrep's slow path;
    // under -v once the first run of selected lines is over).
    let slow = opts.stop_on_nonmatch && (run.st.armed || !opts.invert && run.st.selected > 0);
    // Past -m's limit no line matches any more, so the next one stops the search, printed
    // first as after-context (or with --passthru) when one is due. (Under -v ripgrep's slow
    // path prints every line past the limit as a match instead: a quirk not copied.)
    if slow && !opts.invert && !run.st.done && limit {
        let from = run.st.printed_upto.map_or(first, |p| p.max(first));
        if run.st.after_left == 0 && !opts.passthru {
            run.st.done = true;
        } else if from < win_end {
            let le = run.clear.line_end(hay, from, win_end, t);
            run.stop_at_nonmatch(from, le);
        }
    }
    if !run.st.done && opts.context() {
        run.flush_after(win_end);
    }
    if !run.st.done && opts.passthru {
        // The lines after the last selected one (all of them past -m's limit).
        run.pass_through(win_end);
    }
    let owed = if opts.passthru {
        true
    } else {
        run.st.after_left > 0
    };
    // ripgrep's slow path (PCRE2's) notices the limit only at the next line: when the
    // limit's line ends the buffer, it reads another fill first (which may find binary data).
    let next_fill = matcher.is_pcre2() && !eof && run.st.printed_upto == Some(win_end);
    if limit && (!owed || (eof && win_end == hay.len())) && !next_fill {
        run.st.done = true;
    }
    // PCRE2 always takes ripgrep's slow path, whose position moves line by line.
    let slow = slow || matcher.is_pcre2();
    run.st.reached = if limit && !opts.passthru && !slow && run.st.after_left == 0 {
        // Stopped by -m: ripgrep's searcher is where its position is (see `slice_pos`); the
        // after-context printed past the last selected line does not move it.
        run.st.slice_pos
    } else if run.st.done || (limit && !opts.passthru) {
        run.st.printed_upto.unwrap_or(0).max(run.st.reached)
    } else {
        win_end
    };
    *carry = run.st;
}

/// What one parallel chunk found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChunkResult {
    pub selected: u64,
    /// True when the sink asked to stop.
    pub stopped: bool,
    /// With line numbers on: the newlines in [lo, hi), counted block by block as the scan
    /// went (the ordered writer sums them to give later chunks their base).
    pub newlines: u64,
    /// Where the search got to: `hi`, or the end of the last line handed over when it
    /// stopped early (as `Carry::reached`).
    pub reached: usize,
    /// No line starts in [lo, hi): the range lies inside a line owned by a chunk before,
    /// whose search reads these bytes too.
    pub inside_a_line: bool,
}

/// Lines are scanned in blocks of this size when they are numbered, so that each block's
/// newlines are counted while it is still in cache.
const COUNT_BLOCK: usize = 256 * 1024;

/// Searches the lines owned by the chunk `hay[lo..hi)` independently of the other chunks.
/// Line numbers (when on) are `base + 1 + newlines in hay[lo..line)`: with `base` None the
/// chunk numbers its lines from its start and the caller adds the newlines before `lo`
/// later (the ordered writer does, once earlier chunks are done). Either way the result
/// tells the newlines in [lo, hi). `-m` is not supported here (it is sequential by nature).
#[allow(clippy::too_many_arguments)]
pub fn search_chunk<'a, S: Sink>(
    hay: &'a [u8],
    lo: usize,
    hi: usize,
    base: Option<u64>,
    matcher: &'a Matcher,
    opts: &'a SearchOptions,
    sink: &'a mut S,
    gate: Option<&'a NulGate<'a>>,
) -> ChunkResult {
    debug_assert!(opts.max_count.is_none());
    let t = matcher.term();
    let count_range = || {
        if opts.line_numbers {
            count_lines_ends(&hay[lo..hi], t)
        } else {
            0
        }
    };
    // The first line starting in [lo, hi): look no further than hi, so that a chunk inside a
    // long line costs nothing (only the chunk owning the line's start reads to its end).
    let first = if lo == 0 || hay[lo - 1] == t {
        lo
    } else {
        match memchr::memchr(t, &hay[lo..hi]) {
            Some(i) => lo + i + 1,
            None => hi,
        }
    };
    if first >= hi {
        // Inside one long line: nothing to do (and no scan for the line's end).
        return ChunkResult {
            newlines: count_range(),
            reached: hi,
            inside_a_line: true,
            ..ChunkResult::default()
        };
    }
    let win_end = window_end(hay, hi, t);
    let mut st = Carry {
        count_pos: lo,
        ..Carry::default()
    };
    let mut run = Run {
        hay,
        matcher,
        t,
        opts,
        sink,
        st: Carry::default(),
        base: base.unwrap_or(0),
        floor: first,
        win_end,
        clear: Clear::of_window(hay, hi, win_end, t),
        block: if opts.line_numbers { COUNT_BLOCK } else { 0 },
        gate,
        first,
        back: None,
    };
    if opts.context() && first > 0 {
        let (after_left, prev_printed) = lookback(&run, first);
        st.after_left = after_left;
        st.printed_upto = prev_printed.then_some(first);
    }
    if opts.passthru && first > 0 {
        // The chunk before printed its every line.
        st.printed_upto = Some(first);
    }
    run.st = st;
    let mut go = run.scan(first);
    // A NUL gate may have ended the file early: the window ends there.
    let win_end = run.win_end;
    if go && opts.passthru {
        go = run.pass_through(win_end);
    }
    if go && opts.context() {
        go = run.flush_after(win_end);
        if go
            && opts.before > 0
            && win_end < run.hay.len()
            && let Some(x) = lookahead(&run, win_end)
        {
            go = run.before_context(x, first, win_end);
        }
    }
    let newlines = if !opts.line_numbers {
        0
    } else if !go {
        // Stopped early: the rest was not counted; the file stops here anyway.
        count_range()
    } else {
        // Counted [lo, count_pos); the chunk's range ends at hi.
        let (n, at) = (run.st.newlines, run.st.count_pos);
        if at <= hi {
            n + run.clear.count(hay, at, hi, t)
        } else {
            n - run.clear.count(hay, hi, at, t)
        }
    };
    let stopped = !go && run.st.done;
    ChunkResult {
        selected: run.st.selected,
        stopped,
        newlines,
        reached: if stopped {
            run.st.printed_upto.unwrap_or(0).max(run.st.reached)
        } else {
            hi
        },
        inside_a_line: false,
    }
}

/// For a chunk whose first owned line starts at `first`: how many of its first lines are
/// after-context of a selected line before it, and whether the line just before `first`
/// is printed (selected, after-context, or before-context of a line at or after `first`).
fn lookback<S: Sink>(run: &Run<'_, S>, first: usize) -> (usize, bool) {
    let (a, b) = (run.opts.after, run.opts.before);
    let mut after_left = 0;
    let mut prev_printed = false;
    // Walk back over up to a+1 lines: the nearest selected one decides.
    let mut ls = first;
    for dist in 1..=a + 1 {
        if ls == 0 {
            break;
        }
        let le = ls;
        ls = line_start(run.hay, le - 1, 0, run.t);
        if run.is_selected(ls, le) {
            after_left = (a + 1).saturating_sub(dist);
            prev_printed = true;
            break;
        }
    }
    if !prev_printed && b > 0 {
        // Is one of the b lines from `first` on selected? Then the line before is its context.
        let mut x = first;
        for _ in 0..b {
            if x >= run.hay.len() {
                break;
            }
            let e = run.clear.line_end(run.hay, x, run.hay.len(), run.t);
            if run.is_selected(x, e) {
                prev_printed = true;
                break;
            }
            x = e;
        }
    }
    (after_left, prev_printed)
}

/// For a chunk whose window ends at `end`: the start of the first selected line within the
/// `before` lines after it, whose before-context may include the chunk's last lines.
fn lookahead<S: Sink>(run: &Run<'_, S>, end: usize) -> Option<usize> {
    let mut x = end;
    for _ in 0..run.opts.before {
        if x >= run.hay.len() {
            return None;
        }
        let e = run.clear.line_end(run.hay, x, run.hay.len(), run.t);
        if run.is_selected(x, e) {
            return Some(x);
        }
        x = e;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`Clear`] answers is what a full scan answers, wherever the question starts
    /// and ends, for every window a chunk boundary can give.
    #[test]
    fn clear_skips_only_what_holds_no_line_end() {
        for t in [b'\n', 0] {
            // Short lines around one long line (bytes 3..40, its end at 40).
            let mut hay = vec![b'a', b'b', t];
            hay.extend(std::iter::repeat_n(b'x', 37));
            hay.extend_from_slice(&[t, b'c', b'd', t, b'e', b'f']);
            for hi in 0..=hay.len() {
                let win_end = window_end(&hay, hi, t);
                let clear = Clear::of_window(&hay, hi, win_end, t);
                for a in 0..=hay.len() {
                    for b in a..=hay.len() {
                        let (want_n, want_e) =
                            (count_lines_ends(&hay[a..b], t), line_end(&hay, a, b, t));
                        assert_eq!(
                            clear.count(&hay, a, b, t),
                            want_n,
                            "hi {hi}: count {a}..{b}"
                        );
                        assert_eq!(
                            clear.line_end(&hay, a, b, t),
                            want_e,
                            "hi {hi}: end {a}, {b}"
                        );
                    }
                }
            }
        }
    }
}
