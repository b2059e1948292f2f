//! Finding the matching lines of a pattern that has no literal to look for (ripgrep's
//! five-words query, `\w{5}\s+\w{5}…`), two scans at once on one core.
//!
//! Without a literal there is no prefilter: the regex engine's lazy DFA reads every byte,
//! and each step waits for the table load of the step before. Two scans over two halves of
//! the text, interleaved in one loop, overlap those waits: on this machine 0.32 s against
//! 0.60 s for 300 MB of kernel source, one thread (see the README).
//!
//! Interleaving needs a DFA with a plain transition table, built ahead of time; a Unicode
//! pattern's full DFA is far too large, so the DFA here is the pattern cut down to ASCII
//! (every class intersected with ASCII, every non-ASCII literal removed: 2 KB for five
//! words), and it stops (a quit byte) at any byte ≥ 0x80. On a line of ASCII bytes, the
//! cut-down pattern matches exactly where the whole one does, since every character a
//! match holds is ASCII; a line with another byte is asked of the whole pattern instead.
//! Lines are independent: no match holds a line end, so a scan may restart at any line.

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::{Input, meta};
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{self, Class, Hir, HirKind};

use crate::chunk::{line_end, line_start};

/// The ASCII DFA of a pattern without literals.
#[derive(Clone, Debug)]
pub struct LineDfa {
    dfa: dense::DFA<Vec<u32>>,
}

/// A table this large no longer sits in the first-level cache.
const DFA_LIMIT: usize = 64 << 10;

impl LineDfa {
    /// The DFA for `hir`, when `hir` has no literal a prefilter could look for (the regex
    /// engine's own way is faster then) and its ASCII DFA is small.
    pub fn new(hir: &Hir) -> Option<LineDfa> {
        if has_literal(hir) {
            return None;
        }
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(false)
                    .shrink(true)
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_from_hir(&ascii_only(hir))
            .ok()?;
        let mut config = dense::Config::new()
            .start_kind(StartKind::Unanchored)
            .accelerate(false)
            .minimize(false)
            .unicode_word_boundary(true)
            .dfa_size_limit(Some(DFA_LIMIT))
            .determinize_size_limit(Some(4 << 20));
        for b in 0x80..=0xFF {
            config = config.quit(b, true);
        }
        let dfa = dense::Builder::new()
            .configure(config)
            .build_from_nfa(&nfa)
            .ok()?;
        Some(LineDfa { dfa })
    }

    /// Appends to `hits` an offset inside each line of `hay[start..end]` that holds a match
    /// of `regex` (the whole pattern), in order: the offset where the earliest match found
    /// in the line ends. `start` is a line start, and `end` a line end or the end of `hay`.
    /// With `first`, the scans stop at the first line either finds.
    pub fn hits(
        &self,
        regex: &meta::Regex,
        hay: &[u8],
        start: usize,
        end: usize,
        hits: &mut Vec<usize>,
        first: bool,
    ) {
        let mid = line_end(hay, start + (end - start) / 2, end, b'\n');
        let mut later = Vec::new();
        let mut a = Scan::new(self, regex, hay, start, mid, hits);
        let mut b = Scan::new(self, regex, hay, mid, end, &mut later);
        let dfa = &self.dfa;
        let done =
            |hits: &[usize], later: &[usize]| first && !(hits.is_empty() && later.is_empty());
        loop {
            // Both scans step until one meets a special state (a match, a quit byte, or
            // the dead state) or runs out.
            let steps = (a.end - a.at).min(b.end - b.at);
            let (sa, sb, n) = step2(
                dfa,
                &hay[a.at..a.at + steps],
                &hay[b.at..b.at + steps],
                a.s,
                b.s,
            );
            (a.s, b.s) = (sa, sb);
            a.at += n;
            b.at += n;
            if a.at >= a.end || b.at >= b.end {
                break;
            }
            a.settle(hits);
            b.settle(&mut later);
            if done(hits, &later) {
                break;
            }
        }
        if !done(hits, &later) {
            a.finish(hits);
        }
        if !done(hits, &later) {
            b.finish(&mut later);
        }
        hits.append(&mut later);
    }
}

/// Steps two scans in turn over `x` and `y` (of one length) from states `sa` and `sb`,
/// until either meets a special state or both run out; returns the states and the number
/// of bytes both stepped over (the special state, if any, read the byte at that index).
/// The states live in registers here: kept in the scans' structs, each step's chain would
/// hold a store and a load (that version was no faster than one scan).
#[inline(never)]
fn step2(
    dfa: &dense::DFA<Vec<u32>>,
    x: &[u8],
    y: &[u8],
    mut sa: StateID,
    mut sb: StateID,
) -> (StateID, StateID, usize) {
    for (i, (&p, &q)) in x.iter().zip(y).enumerate() {
        sa = dfa.next_state(sa, p);
        sb = dfa.next_state(sb, q);
        if dfa.is_special_state(sa) || dfa.is_special_state(sb) {
            return (sa, sb, i);
        }
    }
    (sa, sb, x.len())
}

/// One scan over the lines of `hay[at..end]`.
struct Scan<'a> {
    line: &'a LineDfa,
    regex: &'a meta::Regex,
    hay: &'a [u8],
    /// The next byte to read; `s` has read the bytes before it.
    at: usize,
    end: usize,
    s: StateID,
    /// The start of the line the scan is in (or of an earlier one).
    floor: usize,
}

impl<'a> Scan<'a> {
    fn new(
        line: &'a LineDfa,
        regex: &'a meta::Regex,
        hay: &'a [u8],
        at: usize,
        end: usize,
        hits: &mut Vec<usize>,
    ) -> Scan<'a> {
        let mut scan = Scan {
            line,
            regex,
            hay,
            at,
            end,
            s: StateID::ZERO,
            floor: at,
        };
        if !scan.restart(at) {
            // The byte before `at` is not ASCII (a range that starts inside a line): that
            // line goes to the whole pattern.
            scan.by_regex(at, hits);
        }
        scan
    }

    /// Starts afresh at `at`, a line start (after a `\n`, or the first of the range);
    /// false when the DFA refuses to start there (the byte before is a quit byte).
    fn restart(&mut self, at: usize) -> bool {
        self.at = at;
        self.floor = at;
        if at >= self.end {
            return true;
        }
        let input = Input::new(self.hay).span(at..self.end);
        match self.line.dfa.start_state_forward(&input) {
            Ok(s) => {
                self.s = s;
                true
            }
            Err(_) => false,
        }
    }

    /// Deals with the special state `s` reached at `at` (or steps on when it is not).
    fn settle(&mut self, hits: &mut Vec<usize>) {
        let dfa = &self.line.dfa;
        if !dfa.is_special_state(self.s) {
            self.at += 1;
        } else if dfa.is_match_state(self.s) {
            // A match ended at `at` (a DFA sees a match one byte late).
            hits.push(self.at);
            let next = line_end(self.hay, self.at, self.end, b'\n');
            self.restart_after_line(next);
        } else if dfa.is_quit_state(self.s) {
            self.by_regex(self.at, hits);
        } else {
            // Dead: nothing can match from here on.
            self.at = self.end;
        }
    }

    /// Asks the whole pattern about the line holding `at`, then goes on after it.
    fn by_regex(&mut self, at: usize, hits: &mut Vec<usize>) {
        let ls = line_start(self.hay, at, self.floor, b'\n');
        let le = line_end(self.hay, at, self.end, b'\n');
        let body = if le > ls && self.hay[le - 1] == b'\n' {
            le - 1
        } else {
            le
        };
        let input = Input::new(self.hay).span(ls..body).earliest(true);
        if let Some(m) = self.regex.search_half(&input) {
            hits.push(m.offset());
        }
        self.restart_after_line(le);
    }

    /// [`restart`](Self::restart) at `at`, the end of a line: the byte before is `\n` or
    /// the range ends there, so the DFA never refuses.
    fn restart_after_line(&mut self, at: usize) {
        let started = self.restart(at);
        debug_assert!(started, "a DFA start after a line end");
    }

    /// Runs to the end alone, then settles the last line.
    fn finish(&mut self, hits: &mut Vec<usize>) {
        let dfa = &self.line.dfa;
        while self.at < self.end {
            self.s = dfa.next_state(self.s, self.hay[self.at]);
            self.settle(hits);
        }
        // Each line that ends with `\n` had its matches seen when the `\n` was read, and a
        // scan that restarted at the end has settled its last line. A last line without its
        // `\n` (the text, or the range, ends inside it) needs one more step: the DFA sees a
        // match that ends there with the byte after it, or the end of the text.
        let (hay, end) = (self.hay, self.end);
        if end == 0 || hay[end - 1] == b'\n' || self.floor == end {
            return;
        }
        let s = match hay.get(end) {
            Some(&b) => dfa.next_state(self.s, b),
            None => dfa.next_eoi_state(self.s),
        };
        if dfa.is_match_state(s) {
            hits.push(end);
        } else if dfa.is_quit_state(s) {
            self.by_regex(end, hits);
        }
    }
}

/// Whether a prefilter could look for a literal of `hir`: a prefix, a suffix, or a literal
/// that some part of a top-level concatenation must hold.
fn has_literal(hir: &Hir) -> bool {
    let usable = |seq: Seq| seq.is_finite() && seq.min_literal_len().is_some_and(|n| n > 0);
    let of = |kind, h: &Hir| usable(Extractor::new().kind(kind).extract(h));
    if of(ExtractKind::Prefix, hir) || of(ExtractKind::Suffix, hir) {
        return true;
    }
    match hir.kind() {
        HirKind::Concat(subs) => subs.iter().any(|h| of(ExtractKind::Prefix, h)),
        HirKind::Capture(c) => has_literal(&c.sub),
        _ => false,
    }
}

/// `hir` cut down to ASCII: classes intersected with it, non-ASCII literals gone (they
/// cannot match), captures dropped.
fn ascii_only(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => hir.clone(),
        HirKind::Literal(hir::Literal(bytes)) => {
            if bytes.is_ascii() {
                hir.clone()
            } else {
                Hir::fail()
            }
        }
        HirKind::Class(Class::Unicode(c)) => {
            let mut c = c.clone();
            c.intersect(&hir::ClassUnicode::new([hir::ClassUnicodeRange::new(
                '\0', '\x7F',
            )]));
            Hir::class(Class::Unicode(c))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut c = c.clone();
            c.intersect(&hir::ClassBytes::new([hir::ClassBytesRange::new(0, 0x7F)]));
            Hir::class(Class::Bytes(c))
        }
        HirKind::Repetition(r) => Hir::repetition(hir::Repetition {
            sub: Box::new(ascii_only(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => ascii_only(&c.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(ascii_only).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(ascii_only).collect()),
    }
}

#[cfg(test)]
mod tests {
    use crate::chunk::line_start;
    use crate::matcher::{Matcher, MatcherOptions};
    use proptest::prelude::*;

    /// Patterns without literals (the DFA takes them), with anchors, word boundaries,
    /// Unicode classes, negated classes and empty matches.
    const PATTERNS: &[&str] = &[
        r"\w{3}\s+\w{2}",
        r"^\s*$",
        r"\b\w{2}\b",
        r"[^a\s]+$",
        r"(?i)\w\W\w",
        r"\W$",
        r"^.{3}",
        r"\s\S",
        r"\d+|\s{2}",
        r"\w*",
        r"\s\p{Greek}+",
        r"(?-u:\w)(?-u:\W)",
    ];
    /// Bytes the haystacks are made of: ASCII words and spaces, line ends, é (2 bytes),
    /// a Greek letter, a no-break space, and bytes that are not UTF-8.
    const PIECES: &[&[u8]] = &[
        b"a",
        b"b",
        b"K",
        b"_",
        b"1",
        b" ",
        b"\t",
        b"-",
        b"\n",
        b"\n",
        "é".as_bytes(),
        "λ".as_bytes(),
        "\u{a0}".as_bytes(),
        b"\xff",
        b"\x80",
    ];

    fn hay() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0..PIECES.len(), 0..300)
            .prop_map(|ix| ix.iter().flat_map(|&i| PIECES[i].iter().copied()).collect())
    }

    /// The lines (by their starts) that hold the hits.
    fn lines(hay: &[u8], start: usize, hits: &[usize]) -> Vec<usize> {
        hits.iter()
            .map(|&h| line_start(hay, h, start, b'\n'))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Two scans of the ASCII DFA find the lines the whole pattern finds one by one,
        /// in ranges that start at a line start or inside a line and end at a line end or
        /// at the end of the text.
        #[test]
        fn the_two_scans_find_the_lines_the_regex_finds(
            pat in 0..PATTERNS.len(),
            hay in hay(),
            cut in (0usize..300, 0usize..300),
        ) {
            let m = Matcher::new(&[PATTERNS[pat]], &MatcherOptions::default()).unwrap();
            prop_assert!(m.finds_lines_at_once(), "{} has no literal", PATTERNS[pat]);
            let start = cut.0.min(hay.len());
            // The end: a line end at or after the cut, or the end of the text.
            let end = match memchr::memchr(b'\n', &hay[start.max(cut.1.min(hay.len()))..]) {
                Some(i) if cut.1 % 3 != 0 => start.max(cut.1.min(hay.len())) + i + 1,
                _ => hay.len(),
            };
            let (mut got, mut want) = (Vec::new(), Vec::new());
            m.line_hits(&hay, start, end, &mut got);
            m.line_hits_one_by_one(&hay, start, end, &mut want);
            prop_assert_eq!(lines(&hay, start, &got), lines(&hay, start, &want));
            prop_assert!(got.iter().all(|&h| h >= start && h <= end));
            if start == 0 && end == hay.len() {
                prop_assert_eq!(m.any_line_matches(&hay), !want.is_empty());
            }
        }
    }

    #[test]
    fn patterns_with_a_literal_are_left_to_the_regex_engine() {
        for pat in [r"[A-Z]+_RESUME", r"\w+foo", r"\d{3}-\d{4}", r"(?i)abc\w"] {
            let m = Matcher::new(&[pat], &MatcherOptions::default()).unwrap();
            assert!(!m.finds_lines_at_once(), "{pat}");
        }
        let m = Matcher::new(&[r"\w{5}\s+\w{5}\s+\w{5}"], &MatcherOptions::default());
        assert!(m.unwrap().finds_lines_at_once());
    }
}
