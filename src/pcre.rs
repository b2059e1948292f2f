//! The PCRE2 strategy of the matcher (`-P/--pcre2`, `--engine pcre2|auto`): the pattern is
//! built as ripgrep's grep-pcre2 builds it, and searched as ripgrep searches with a matcher
//! that cannot promise to stay inside a line.
//!
//! ripgrep's line searcher hands PCRE2 one line at a time without its `\n` to decide
//! whether the line matches: there a lookbehind sees nothing before the line, a lookahead
//! nothing past it, `\A` and `\z` match at its ends, and a pattern that needs a `\n`
//! (`a\nb`) matches nothing, without an error. Its printer then finds the matches of a
//! printed line (for -o, colours, columns, -r, --json, --count-matches) with everything
//! before the line in its buffer as the subject too, cut at the line's end and searched
//! from the line's start ([`Pcre2::for_each_in_context`]): so `^` finds nothing on an
//! empty line (a selected line without matches prints whole, without a column) and `\A`
//! only on the first line. Here the haystack stands for ripgrep's buffer: the whole file
//! for a map or a read, the replayed buffer for a stream.
//!
//! The pattern: `(?:p1)|(?:p2)` (escaped under `-F`), `(?<!\w)(?:...)(?!\w)` under `-w`,
//! `(?m:^)(?:...)(?m:$)` under `-x`; multi-line mode, UTF and Unicode properties
//! (`PCRE2_MATCH_INVALID_UTF` lets invalid UTF-8 be searched: it never matches `.` or a
//! class), the JIT when it is available with a 10 MiB stack, and smart case by
//! grep-pcre2's scan for an uppercase character that no backslash escapes.
//!
//! A match that PCRE2 cannot finish (its match limit, a JIT stack too small) is an error
//! for the file being searched, as in ripgrep: the first one is kept for the thread (see
//! [`take_match_error`]) and every later search on that thread finds nothing until it is
//! taken.

use std::cell::RefCell;

use pcre2::bytes::{CaptureLocations, Regex, RegexBuilder};

use crate::matcher::{CaseMode, MatchLine, MatcherOptions, PatternError};

thread_local! {
    /// The first error PCRE2 reported on this thread since the last `take_match_error`.
    static MATCH_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
    /// This thread's match data for the pattern with this id. (The pcre2 crate's own pool
    /// serves one thread without a lock and every other thread through a mutex, which cost
    /// a fifth of a two-thread search of short lines.)
    static SCRATCH: RefCell<Option<(u64, CaptureLocations)>> = const { RefCell::new(None) };
}

/// Ids for compiled patterns (so a thread's match data is never used with another).
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Takes the error a PCRE2 search met on this thread (then searches work again). The
/// search of a file calls this when it ends: an error fails the file.
pub fn take_match_error() -> Option<String> {
    MATCH_ERROR.with(|e| e.borrow_mut().take())
}

/// True when a PCRE2 search on this thread met an error not yet taken (the sinks stop
/// there, as ripgrep's search stops at the error).
pub fn failed() -> bool {
    MATCH_ERROR.with(|e| e.borrow().is_some())
}

fn record(err: pcre2::Error) {
    MATCH_ERROR.with(|e| {
        let mut e = e.borrow_mut();
        if e.is_none() {
            *e = Some(err.to_string());
        }
    });
}

/// The PCRE2 version and JIT line that `--pcre2-version` prints (ripgrep's words).
pub fn version_text() -> String {
    let (major, minor) = pcre2::version();
    let jit = if cfg!(target_pointer_width = "64") && pcre2::is_jit_available() {
        "available"
    } else {
        "unavailable"
    };
    format!("PCRE2 {major}.{minor} is available (JIT is {jit})")
}

/// A compiled PCRE2 pattern.
#[derive(Clone, Debug)]
pub struct Pcre2 {
    re: Regex,
    id: u64,
    /// --crlf: a line's text ends before `\r\n` (ripgrep's line terminator).
    crlf: bool,
    /// -U: matches may span lines; a match's groups are found in the text as given.
    multiline: bool,
    /// The line terminator: `\n`, or NUL under --null-data.
    term: u8,
}

/// grep-pcre2's smart-case test: an uppercase character not right after a backslash.
fn has_uppercase_literal(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c.is_uppercase() {
            return true;
        }
    }
    false
}

/// The bounds of the line of `hay` holding `at`, cut at `end`: its start, and the end of
/// its text (its terminator `term`, or `end`).
#[inline]
fn line_at(hay: &[u8], at: usize, end: usize, term: u8) -> (usize, usize) {
    let ls = memchr::memrchr(term, &hay[..at]).map_or(0, |i| i + 1);
    let le = memchr::memchr(term, &hay[at..end]).map_or(end, |i| at + i);
    (ls, le)
}

impl Pcre2 {
    /// The end of a line's text that ends at `le` (its `\n`, or the end): under --crlf a
    /// `\r` before the `\n` is cut off too.
    #[inline]
    pub fn text_end(&self, hay: &[u8], ls: usize, le: usize) -> usize {
        if self.crlf && le > ls && hay[le - 1] == b'\r' && hay.get(le) == Some(&b'\n') {
            le - 1
        } else {
            le
        }
    }

    /// The end of the text a line ending at `le` is selected on: as
    /// [`text_end`](Self::text_end), but under --crlf a bare `\n` stays (ripgrep strips its
    /// `\r\n` terminator only).
    #[inline]
    fn select_end(&self, hay: &[u8], ls: usize, le: usize) -> usize {
        if self.crlf && hay.get(le) == Some(&b'\n') && !(le > ls && hay[le - 1] == b'\r') {
            le + 1
        } else {
            self.text_end(hay, ls, le)
        }
    }

    /// Builds the pattern from `patterns` (one per `-e`, `-f` line or the positional one),
    /// as ripgrep's `matcher_pcre2` and grep-pcre2's `build_many` do.
    pub fn new<P: AsRef<str>>(
        patterns: &[P],
        opts: &MatcherOptions,
    ) -> Result<Pcre2, PatternError> {
        let mut builder = RegexBuilder::new();
        builder.multi_line(true);
        match opts.case {
            CaseMode::Sensitive => {}
            CaseMode::Insensitive => {
                builder.caseless(true);
            }
            CaseMode::Smart => {}
        }
        if cfg!(target_pointer_width = "64") {
            builder
                .jit_if_available(true)
                .max_jit_stack_size(Some(10 * (1 << 20)));
        }
        // (--no-unicode: bytes, as ripgrep builds it then.)
        if opts.unicode {
            builder.utf(true).ucp(true);
        }
        if opts.crlf {
            builder.crlf(true);
        }
        if opts.multiline {
            builder.dotall(opts.dotall);
        }
        let pats: Vec<String> = patterns
            .iter()
            .map(|p| {
                if opts.fixed_strings {
                    format!("(?:{})", pcre2::escape(p.as_ref()))
                } else {
                    format!("(?:{})", p.as_ref())
                }
            })
            .collect();
        let mut single = if pats.is_empty() {
            r"[^\S\s]".to_string()
        } else {
            pats.join("|")
        };
        if opts.case == CaseMode::Smart && !has_uppercase_literal(&single) {
            builder.caseless(true);
        }
        if opts.whole_line {
            single = format!(r"(?m:^)(?:{single})(?m:$)");
        } else if opts.word {
            single = format!(r"(?<!\w)(?:{single})(?!\w)");
        }
        let re = builder
            .build(&single)
            .map_err(|e| PatternError(e.to_string()))?;
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Pcre2 {
            re,
            id,
            crlf: opts.crlf,
            multiline: opts.multiline,
            term: if opts.null_data { 0 } else { b'\n' },
        })
    }

    /// Runs `f` with this thread's match data for the pattern (`f` must not search again).
    #[inline]
    fn with_scratch<T>(&self, f: impl FnOnce(&mut CaptureLocations) -> T) -> T {
        SCRATCH.with(|cell| {
            let mut cell = cell.borrow_mut();
            if cell.as_ref().is_none_or(|(id, _)| *id != self.id) {
                *cell = Some((self.id, self.re.capture_locations()));
            }
            let (_, locs) = cell.as_mut().expect("just set");
            f(locs)
        })
    }

    /// Searches `subject` from `at` with `locs`; an error is recorded and reads as no match.
    #[inline]
    fn search(
        &self,
        locs: &mut CaptureLocations,
        subject: &[u8],
        at: usize,
    ) -> Option<(usize, usize)> {
        match self.re.captures_read_at(locs, subject, at) {
            Ok(m) => m.map(|m| (m.start(), m.end())),
            Err(e) => {
                record(e);
                None
            }
        }
    }

    /// Searches `subject` from `at`; an error is recorded and reads as no match.
    #[inline]
    fn find_in(&self, subject: &[u8], at: usize) -> Option<(usize, usize)> {
        self.with_scratch(|locs| self.search(locs, subject, at))
    }

    /// The leftmost match starting in `hay[start..end]`, `hay[..end]` searched as one text
    /// (-U).
    pub fn find_whole(&self, hay: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        if failed() {
            return None;
        }
        self.find_in(&hay[..end], start)
    }

    /// The leftmost match starting in `hay[start..end]`, each line searched on its own
    /// (cut at `end`; the first from its real start, so lookbehind sees the line before
    /// `start`).
    pub fn find_at(&self, hay: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        if failed() {
            return None;
        }
        // `nl`: the line's `\n` (or `end`); its text ends at `text_end`.
        let (mut ls, mut nl) = line_at(hay, start, end, self.term);
        let mut at = start;
        self.with_scratch(|locs| {
            loop {
                let le = self.select_end(hay, ls, nl);
                if let Some((s, e)) = self.search(locs, &hay[ls..le], at - ls) {
                    return Some((ls + s, ls + e));
                }
                if nl + 1 >= end || failed() {
                    return None;
                }
                ls = nl + 1;
                at = ls;
                nl = memchr::memchr(self.term, &hay[ls..end]).map_or(end, |i| ls + i);
            }
        })
    }

    /// Calls `f` with the matches of the line `hay[ls..le]` (`le` its end without `\n`)
    /// as ripgrep's printer finds them: PCRE2 is handed what is before the line too, from
    /// `floor` (the start of ripgrep's buffer), cut at the line's end, and starts at the
    /// line. So `^` fails on an empty line (PCRE2's multi-line `^` does not match after
    /// a final `\n`) and `\A` past the first line, while a lookbehind sees the lines
    /// before. Empty matches as ripgrep iterates them. False when `f` stopped.
    pub fn for_each_in_context(
        &self,
        hay: &[u8],
        floor: usize,
        ls: usize,
        le: usize,
        mut f: impl FnMut(usize, usize) -> bool,
    ) -> bool {
        if failed() {
            return false;
        }
        let subject = &hay[floor..le];
        let mut at = ls - floor;
        let mut last_match = None;
        while at <= subject.len() {
            let Some((s, e)) = self.find_in(subject, at) else {
                break;
            };
            if s == e {
                at = e + 1;
                if last_match == Some(e) {
                    continue;
                }
            } else {
                at = e;
            }
            last_match = Some(e);
            if !f(floor + s, floor + e) {
                return false;
            }
        }
        !failed()
    }

    /// Calls `f` with every match that ripgrep would print in the lines of
    /// `hay[start..end]`: the lines that match on their own (ripgrep's line selection, see
    /// [`find_at`](Self::find_at)), and in each the matches of
    /// [`for_each_in_context`](Self::for_each_in_context).
    pub fn for_each_match(
        &self,
        hay: &[u8],
        start: usize,
        end: usize,
        mut f: impl FnMut(usize, usize) -> bool,
    ) {
        if failed() {
            return;
        }
        let (mut ls, mut nl) = line_at(hay, start, end, self.term);
        let mut at = start;
        loop {
            let (le, te) = (self.select_end(hay, ls, nl), self.text_end(hay, ls, nl));
            if self.find_in(&hay[ls..le], 0).is_some()
                && !self.for_each_in_context(hay, 0, at, te, &mut f)
            {
                return;
            }
            if failed() || nl + 1 >= end {
                return;
            }
            ls = nl + 1;
            at = ls;
            nl = memchr::memchr(self.term, &hay[ls..end]).map_or(end, |i| ls + i);
        }
    }

    /// The names of the groups, index by index (group 0 has none).
    pub fn group_names(&self) -> Vec<Option<String>> {
        self.re.capture_names().to_vec()
    }

    pub fn create_captures(&self) -> PcreCaps {
        PcreCaps {
            locs: self.re.capture_locations(),
            line: None,
            at: 0,
            last_match: None,
            found: None,
        }
    }

    /// Fills `caps` with the groups of the match `hay[s..e]` in the line `line` (with or
    /// without its `\n`). The line's matches are iterated as ripgrep's printer iterates
    /// them with their groups (see [`for_each_in_context`](Self::for_each_in_context); so
    /// `\K` and `\G` give the same match); the place reached is kept, so the matches of a
    /// line asked for in order cost one pass.
    pub fn captures_at(
        &self,
        hay: &[u8],
        line: &MatchLine,
        s: usize,
        e: usize,
        caps: &mut PcreCaps,
    ) {
        caps.found = None;
        if failed() {
            return;
        }
        let (floor, ls) = (line.floor, line.span.start);
        let le = if self.multiline {
            line.span.end
        } else if line.span.end > ls && hay[line.span.end - 1] == self.term {
            self.text_end(hay, ls, line.span.end - 1)
        } else {
            line.span.end
        };
        let key = (hay.as_ptr() as usize, hay.len(), floor, ls, le);
        let (s, e) = (s - floor, e - floor);
        if caps.line != Some(key) || caps.at > s {
            caps.line = Some(key);
            caps.at = ls - floor;
            caps.last_match = None;
        }
        let subject = &hay[floor..le];
        for _ in 0..2 {
            while caps.at <= subject.len() {
                let m = match self.re.captures_read_at(&mut caps.locs, subject, caps.at) {
                    Ok(Some(m)) => (m.start(), m.end()),
                    Ok(None) => break,
                    Err(err) => {
                        record(err);
                        return;
                    }
                };
                if m.0 == m.1 {
                    caps.at = m.1 + 1;
                    if caps.last_match == Some(m.1) {
                        continue;
                    }
                } else {
                    caps.at = m.1;
                }
                caps.last_match = Some(m.1);
                if m == (s, e) {
                    caps.found = Some(floor);
                    return;
                }
                if m.0 > s {
                    break;
                }
            }
            // Passed it (or a different line with the same bounds): once more from the start.
            caps.at = ls - floor;
            caps.last_match = None;
        }
    }
}

/// The groups of a PCRE2 match, and where the iteration over its line got to.
#[derive(Clone, Debug)]
pub struct PcreCaps {
    locs: CaptureLocations,
    /// (haystack address, haystack length, floor, line start, line end) of the iteration.
    line: Option<(usize, usize, usize, usize, usize)>,
    /// Where the next search of the line starts.
    at: usize,
    last_match: Option<usize>,
    /// The groups belong to the match asked for: the subject's start in the haystack.
    found: Option<usize>,
}

impl PcreCaps {
    /// The span of group `i` in the haystack, if it took part in the match.
    pub fn get_group(&self, i: usize) -> Option<(usize, usize)> {
        let floor = self.found?;
        self.locs.get(i).map(|(s, e)| (floor + s, floor + e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pat: &str, opts: MatcherOptions) -> Pcre2 {
        Pcre2::new(&[pat], &opts).unwrap()
    }

    fn all(m: &Pcre2, hay: &[u8]) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        m.for_each_match(hay, 0, hay.len(), |s, e| {
            v.push((s, e));
            true
        });
        v
    }

    #[test]
    fn lines_are_subjects_of_their_own() {
        let m = p(r"(?<=a\s)b", MatcherOptions::default());
        // The line "b" does not match alone: the `a` before its `\n` is not seen.
        assert_eq!(m.find_at(b"a\nb ab", 2, 6), None);
        assert_eq!(m.find_at(b"a\nb a b", 2, 7), Some((6, 7)));
        // The printer's search of a selected line sees it, as ripgrep's does.
        assert_eq!(all(&m, b"a\nb a b"), vec![(2, 3), (6, 7)]);
        // `\A`: every line starting with x matches alone, but only the first prints a match.
        let m = p(r"\Ax", MatcherOptions::default());
        assert_eq!(m.find_at(b"x\nyx\nx", 2, 6), Some((5, 6)));
        assert_eq!(all(&m, b"x\nyx\nx"), vec![(0, 1)]);
        let m = p(r"a\sb", MatcherOptions::default());
        assert_eq!(all(&m, b"a\nb a b"), vec![(4, 7)]);
        assert_eq!(m.find_at(b"a\nb a b", 0, 7), Some((4, 7)));
        assert_eq!(m.find_at(b"a\nb a b", 0, 3), None);
    }

    #[test]
    fn empty_matches_as_ripgrep_iterates() {
        let m = p(r"x*", MatcherOptions::default());
        assert_eq!(all(&m, b"axx\n"), vec![(0, 0), (1, 3)]);
        let m = p(r"^$", MatcherOptions::default());
        // Empty lines match alone, but ripgrep's printer finds `^` only at its buffer's start.
        assert_eq!(m.find_at(b"a\n\nb\n", 2, 5), Some((2, 2)));
        assert_eq!(all(&m, b"a\n\nb\n"), vec![]);
        assert_eq!(all(&m, b"\n\nb\n"), vec![(0, 0)]);
    }

    #[test]
    fn word_line_and_smart_case() {
        let w = MatcherOptions {
            word: true,
            ..Default::default()
        };
        assert_eq!(all(&p("-2", w), b"a -2 b x-2y"), vec![(2, 4)]);
        let x = MatcherOptions {
            whole_line: true,
            ..Default::default()
        };
        assert_eq!(all(&p("a+", x), b"aa\nab\na"), vec![(0, 2), (6, 7)]);
        let smart = MatcherOptions {
            case: CaseMode::Smart,
            ..Default::default()
        };
        assert_eq!(all(&p(r"foo\S", smart.clone()), b"FOOx"), vec![(0, 4)]);
        assert!(all(&p(r"Foo", smart.clone()), b"FOO").is_empty());
        // grep-pcre2's scan: `\p{Lu}` has an unescaped uppercase letter.
        assert!(all(&p(r"\p{Lu}x", smart), b"AX").is_empty());
        assert!(has_uppercase_literal(r"\p{Lu}"));
        assert!(!has_uppercase_literal(r"\S\W"));
    }

    #[test]
    fn captures_follow_the_iteration() {
        let m = p(r"foo\K(bar)", MatcherOptions::default());
        let hay = b"xx\nfoobar foobar\n";
        let ms = all(&m, hay);
        assert_eq!(m.find_at(b"foo\nbar", 0, 7), None);
        assert_eq!(ms, vec![(6, 9), (13, 16)]);
        let mut caps = m.create_captures();
        let line = MatchLine {
            floor: 0,
            span: 3..17,
        };
        for &(s, e) in ms.iter().rev().chain(ms.iter()) {
            m.captures_at(hay, &line, s, e, &mut caps);
            assert_eq!(caps.get_group(0), Some((s, e)));
            assert_eq!(caps.get_group(1), Some((s, e)));
        }
    }

    #[test]
    fn match_errors_are_kept_until_taken() {
        let m = p(r"(a|aa)+$", MatcherOptions::default());
        let mut hay = vec![b'a'; 40000];
        hay.push(b'b');
        assert_eq!(m.find_at(&hay, 0, hay.len()), None);
        let err = take_match_error().expect("match limit");
        assert!(err.contains("match limit"), "{err}");
        assert_eq!(take_match_error(), None);
    }

    #[test]
    fn compile_errors_read_as_ripgrep_prints_them() {
        let e = Pcre2::new(&["("], &MatcherOptions::default()).unwrap_err();
        assert_eq!(
            e.0,
            "PCRE2: error compiling pattern at offset 5: missing closing parenthesis"
        );
    }
}
