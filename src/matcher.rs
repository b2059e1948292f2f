//! The matcher: turns the user's patterns into one line-oriented searcher (a memmem finder,
//! an Aho-Corasick automaton or a regex) that never matches a line terminator.
//!
//! The rules follow ripgrep's: patterns are joined as an alternation `(?:p1)|(?:p2)`, `-F`
//! escapes them, smart case looks at the literal characters of the pattern's syntax tree,
//! `-w` wraps the pattern in half word boundaries and `-x` in line anchors, `^`/`$` match at
//! line boundaries, and `\n` is removed from every class (`\s`, `[^a]`) while a literal `\n`
//! is an error. A set of plain literals is searched without the regex engine when nothing
//! (case folding, word or line boundaries) needs it.
//!
//! `-P/--pcre2` (and `--engine auto` for a pattern the regex crate cannot compile) puts
//! PCRE2 behind the same interface instead: see `pcre.rs`.

use std::fmt;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use memchr::memmem;

use crate::lines::LineDfa;
use crate::pcre::{Pcre2, PcreCaps};
use regex_automata::{
    Input,
    meta::{self, Regex},
    util::captures::Captures,
};
use regex_syntax::{
    ast,
    hir::{self, Hir, HirKind},
};

/// Default limit on the compiled size of a regex (ripgrep's default: 100 MiB).
pub const DEFAULT_SIZE_LIMIT: usize = 100 << 20;
/// Default capacity of the lazy DFA's cache (ripgrep's default: 1000 MiB).
pub const DEFAULT_DFA_SIZE_LIMIT: usize = 1000 << 20;

/// How letter case is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseMode {
    Sensitive,
    Insensitive,
    /// Insensitive when the patterns have a literal character and none is uppercase.
    Smart,
}

/// Which regex engine compiles the patterns (`--engine`, `-P`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// The regex crate's engine (with literal fast paths).
    #[default]
    Default,
    /// PCRE2: look-around, backreferences; every line searched on its own.
    Pcre2,
    /// The default engine, or PCRE2 when the patterns do not compile with it.
    Auto,
}

/// Everything that decides how patterns are compiled.
#[derive(Clone, Debug)]
pub struct MatcherOptions {
    pub engine: Engine,
    pub fixed_strings: bool,
    pub case: CaseMode,
    pub word: bool,
    pub whole_line: bool,
    pub size_limit: usize,
    pub dfa_size_limit: usize,
    /// Refuse patterns that need a NUL byte (binary detection makes them unmatchable).
    pub ban_nul: bool,
    /// -U: matches may span lines (`\n` allowed, classes keep it).
    pub multiline: bool,
    /// --multiline-dotall: under -U, `.` matches `\n` too.
    pub dotall: bool,
    /// --crlf: `^`/`$` treat `\r\n` as a line end, and `\r` is stripped like `\n`.
    pub crlf: bool,
    /// --null-data: lines (records) end at NUL, which is stripped from classes instead of
    /// `\n`; each record is matched on its own (see [`Matcher::line_hit`]).
    pub null_data: bool,
    /// Unicode mode (the default; --no-unicode turns it off: `\w`, `.`, `-i` and `-w` work
    /// on ASCII bytes).
    pub unicode: bool,
}

impl Default for MatcherOptions {
    fn default() -> MatcherOptions {
        MatcherOptions {
            engine: Engine::Default,
            fixed_strings: false,
            case: CaseMode::Sensitive,
            word: false,
            whole_line: false,
            size_limit: DEFAULT_SIZE_LIMIT,
            dfa_size_limit: DEFAULT_DFA_SIZE_LIMIT,
            ban_nul: false,
            multiline: false,
            dotall: false,
            crlf: false,
            null_data: false,
            unicode: true,
        }
    }
}

/// A pattern that cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatternError {}

/// The search strategy chosen for the patterns.
#[derive(Clone, Debug)]
enum Imp {
    /// No pattern at all (`-f` of an empty file): nothing matches.
    Nothing,
    /// One literal, searched with memchr's memmem.
    Literal(Box<memmem::Finder<'static>>),
    /// One literal with `-w`: memmem finds candidates; ASCII neighbours are checked here,
    /// and a candidate next to a non-ASCII byte is confirmed by an anchored regex search
    /// (so Unicode word characters and invalid UTF-8 follow the engine's rules exactly).
    WordLiteral(Box<memmem::Finder<'static>>),
    /// Several literals, leftmost-first like the regex alternation they stand for.
    Literals(AhoCorasick),
    /// The regex engine, which runs its own prefilters.
    Regex,
    /// The regex engine, tried only at bytes that can begin a match: all of them non-ASCII
    /// (a Unicode class such as `\p{Greek}`, whose matches start with a few UTF-8 lead
    /// bytes). The engine has no prefilter for such a class; this one skips ASCII at SIMD
    /// speed and runs an anchored search at each candidate.
    HighLead(Box<[bool; 256]>),
    /// PCRE2, line by line (`regex` is then a regex that matches nothing).
    Pcre2(Box<Pcre2>),
}

/// The line a match was found in (`span`, with or without its `\n`), and how far back
/// the search that found it could look: PCRE2 is handed the haystack from `floor` (the
/// start of ripgrep's buffer), see `pcre.rs`.
#[derive(Clone, Debug, Default)]
pub struct MatchLine {
    pub floor: usize,
    pub span: std::ops::Range<usize>,
}

/// The capture groups of one match, whichever engine found it.
#[derive(Clone, Debug)]
pub enum Caps {
    Regex(Captures),
    Pcre2(PcreCaps),
}

impl Caps {
    /// The span of group `i`, if it took part in the match.
    pub fn get_group(&self, i: usize) -> Option<(usize, usize)> {
        match self {
            Caps::Regex(c) => c.get_group(i).map(|s| (s.start, s.end)),
            Caps::Pcre2(c) => c.get_group(i),
        }
    }
}

/// A compiled set of patterns, ready to find matches in a haystack.
#[derive(Clone, Debug)]
pub struct Matcher {
    imp: Imp,
    regex: Regex,
    /// True when the matcher can match the empty string (then every line may match).
    can_match_empty: bool,
    /// For a regex without literals: its ASCII DFA, two scans at once (see `lines`).
    lines: Option<Box<LineDfa>>,
    /// -U with patterns that can match a line break: files are searched whole by the
    /// multi-line searcher (`multiline.rs`). Under -U, patterns that cannot match one are
    /// searched line by line as without it (ripgrep's rule).
    multiline: bool,
    /// --crlf: a line's end is `\r\n` when a line is matched on its own.
    crlf: bool,
    /// The line terminator: `\n`, or NUL under --null-data.
    term: u8,
    /// --null-data (without -U) and a pattern with a line or text anchor: a line is
    /// selected by matching each record on its own, as ripgrep's slow line path does, so
    /// that `^` and `$` hold at a record's ends as well as around a `\n` inside it.
    per_record: bool,
}

impl Matcher {
    /// Compiles `patterns` (already split: one entry per `-e`, per `-f` line, or the
    /// positional pattern) with `opts`.
    pub fn new<P: AsRef<str>>(
        patterns: &[P],
        opts: &MatcherOptions,
    ) -> Result<Matcher, PatternError> {
        match opts.engine {
            Engine::Default => {
                Matcher::new_default(patterns, opts).map_err(|e| PatternError(suggest_pcre2(e.0)))
            }
            Engine::Pcre2 => Matcher::new_pcre2(patterns, opts),
            // ripgrep's rule: any error of the default engine hands the patterns to PCRE2.
            Engine::Auto => {
                let default_err = match Matcher::new_default(patterns, opts) {
                    Ok(m) => return Ok(m),
                    Err(e) => e,
                };
                Matcher::new_pcre2(patterns, opts).map_err(|pcre_err| {
                    let divider = "~".repeat(79);
                    PatternError(format!(
                        "regex could not be compiled with either the default regex engine or \
                         with PCRE2.\n\n\
                         default regex engine error:\n\
                         {divider}\n\
                         {}\n\
                         {divider}\n\n\
                         PCRE2 regex engine error:\n{}",
                        default_err.0, pcre_err.0
                    ))
                })
            }
        }
    }

    /// The PCRE2 matcher (no pattern at all still matches nothing, as with the default).
    fn new_pcre2<P: AsRef<str>>(
        patterns: &[P],
        opts: &MatcherOptions,
    ) -> Result<Matcher, PatternError> {
        let pcre = Pcre2::new(patterns, opts)?;
        let imp = if patterns.is_empty() {
            Imp::Nothing
        } else {
            Imp::Pcre2(Box::new(pcre))
        };
        Ok(Matcher {
            imp,
            regex: compile(&Hir::fail(), opts)?,
            // Only used to decide whether every line may match: PCRE2 cannot tell, so
            // assume it may (that only turns a shortcut off).
            can_match_empty: true,
            lines: None,
            // Under -U ripgrep searches PCRE2 patterns whole (it cannot tell whether one
            // can match a line break).
            multiline: opts.multiline,
            crlf: opts.crlf,
            term: if opts.null_data { 0 } else { b'\n' },
            per_record: false,
        })
    }

    /// The default engine's matcher.
    fn new_default<P: AsRef<str>>(
        patterns: &[P],
        opts: &MatcherOptions,
    ) -> Result<Matcher, PatternError> {
        let (hir, multiline) = build_hir(patterns, opts)?;
        let regex = compile(&hir, opts)?;
        let can_match_empty = hir.properties().minimum_len() == Some(0);
        let imp = if patterns.is_empty() {
            Imp::Nothing
        } else if let Some(lits) = plain_literals(patterns, opts) {
            literal_imp(lits)
        } else if let Some(lit) = word_literal(patterns, opts) {
            Imp::WordLiteral(Box::new(memmem::Finder::new(&lit).into_owned()))
        } else if let Some(set) = high_lead_bytes(&hir) {
            Imp::HighLead(Box::new(set))
        } else {
            Imp::Regex
        };
        let lines = match imp {
            // (Not under --crlf or --null-data, whose line ends the line DFA was not built
            // for.)
            Imp::Regex if !opts.crlf && !opts.null_data => LineDfa::new(&hir).map(Box::new),
            _ => None,
        };
        log::debug!(
            "patterns searched by {}{}{}",
            match imp {
                Imp::Nothing => "nothing (no pattern: nothing matches)",
                Imp::Literal(_) => "one literal (memchr's memmem)",
                Imp::WordLiteral(_) => "one literal with word boundaries checked around it",
                Imp::Literals(_) => "Aho-Corasick over the literals",
                Imp::Regex => "the regex engine",
                Imp::HighLead(_) =>
                    "the regex engine, tried at the UTF-8 lead bytes a match starts with",
                Imp::Pcre2(_) => "PCRE2",
            },
            if lines.is_some() {
                ", with the ASCII line DFA for lines without a byte >= 0x80"
            } else {
                ""
            },
            if multiline {
                ", whole files (multi-line)"
            } else {
                ""
            },
        );
        let anchors = hir::LookSet::empty()
            .insert(hir::Look::Start)
            .insert(hir::Look::End)
            .insert(hir::Look::StartLF)
            .insert(hir::Look::EndLF);
        let per_record = opts.null_data
            && !opts.multiline
            && hir
                .properties()
                .look_set()
                .intersect(anchors)
                .iter()
                .next()
                .is_some();
        Ok(Matcher {
            imp,
            regex,
            can_match_empty,
            lines,
            multiline,
            crlf: opts.crlf,
            term: if opts.null_data { 0 } else { b'\n' },
            per_record,
        })
    }

    /// True when matches may span lines (-U, and a pattern that can match `\n`).
    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    /// The length of the line end that ripgrep drops before it matches the line `line` on
    /// its own: `\n` (NUL under --null-data), or under --crlf `\r\n` only (a bare `\n`
    /// then stays).
    pub fn line_end_len(&self, line: &[u8]) -> usize {
        if self.crlf {
            if line.ends_with(b"\r\n") { 2 } else { 0 }
        } else {
            usize::from(line.last() == Some(&self.term))
        }
    }

    /// The line terminator: `\n`, or NUL under --null-data.
    #[inline]
    pub fn term(&self) -> u8 {
        self.term
    }

    /// [`line_hit`](Self::line_hit) record by record (see `per_record`): each record of
    /// `hay[start..end]` is searched as a haystack of its own, without its terminator.
    fn record_hit(&self, hay: &[u8], start: usize, end: usize) -> Option<usize> {
        // The first record is searched even when the range is empty (an empty record, its
        // terminator left out by the caller); past a final terminator there is none.
        let mut rs = start;
        loop {
            let body = memchr::memchr(self.term, &hay[rs..end]).map_or(end, |i| rs + i);
            let input = Input::new(&hay[rs..body]).earliest(true);
            if let Some(m) = self.regex.search_half(&input) {
                return Some(rs + m.offset());
            }
            rs = body + 1;
            if rs >= end {
                return None;
            }
        }
    }

    /// True when the patterns are searched by PCRE2.
    pub fn is_pcre2(&self) -> bool {
        matches!(self.imp, Imp::Pcre2(_))
    }

    /// True when no pattern was given, so nothing can match.
    pub fn is_nothing(&self) -> bool {
        matches!(self.imp, Imp::Nothing)
    }

    /// True when a match may be empty (then a line may match without any byte of it).
    pub fn can_match_empty(&self) -> bool {
        self.can_match_empty
    }

    /// Finds the leftmost match that starts in `hay[start..end]` and ends by `end`.
    /// Bytes outside the span still count as context for `^`, `$` and word boundaries.
    #[inline]
    pub fn find_at(&self, hay: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        match &self.imp {
            Imp::Nothing => None,
            Imp::Pcre2(p) if self.multiline => p.find_whole(hay, start, end),
            Imp::Pcre2(p) => p.find_at(hay, start, end),
            Imp::Literal(f) => f
                .find(&hay[start..end])
                .map(|i| (start + i, start + i + f.needle().len())),
            Imp::Literals(ac) => {
                let input = aho_corasick::Input::new(hay).span(start..end);
                ac.find(input).map(|m| (m.start(), m.end()))
            }
            Imp::Regex => {
                let input = Input::new(hay).span(start..end);
                self.regex.search(&input).map(|m| (m.start(), m.end()))
            }
            Imp::WordLiteral(f) => {
                let n = f.needle().len();
                let mut at = start;
                while at + n <= end {
                    let i = f.find(&hay[at..end])?;
                    let (s, e) = (at + i, at + i + n);
                    let before = s.checked_sub(1).map(|i| hay[i]);
                    let after = hay.get(e).copied();
                    if before.is_some_and(|b| !b.is_ascii()) || after.is_some_and(|b| !b.is_ascii())
                    {
                        // A neighbour outside ASCII: the engine's own rules for characters
                        // and invalid UTF-8 decide, with an anchored search at `s`.
                        if let Some(m) = self.anchored_at(hay, s, end) {
                            return Some(m);
                        }
                    } else if !before.is_some_and(is_ascii_word)
                        && !after.is_some_and(is_ascii_word)
                    {
                        return Some((s, e));
                    }
                    at = s + 1;
                }
                None
            }
            Imp::HighLead(set) => {
                let mut at = start;
                while let Some(i) = next_high_byte(&hay[at..end]) {
                    let p = at + i;
                    if set[hay[p] as usize]
                        && let Some(m) = self.anchored_at(hay, p, end)
                    {
                        return Some(m);
                    }
                    at = p + 1;
                }
                None
            }
        }
    }

    /// An offset inside the first line of `hay[start..end]` that holds a match (no match
    /// spans a line end). The regex engine gives the end of the earliest match its forward
    /// scan meets, without the reverse scan that would find the match's start (ripgrep's
    /// `shortest_match`); the other strategies give the match's start. An empty match at an
    /// offset is in the line that starts or goes on there; a longer one ends after a byte
    /// of its line, which is not a line end.
    #[inline]
    pub fn line_hit(&self, hay: &[u8], start: usize, end: usize) -> Option<usize> {
        if self.per_record {
            return self.record_hit(hay, start, end);
        }
        match &self.imp {
            Imp::Regex => {
                let input = Input::new(hay).span(start..end).earliest(true);
                self.regex.search_half(&input).map(|m| m.offset())
            }
            _ => self.find_at(hay, start, end).map(|(s, _)| s),
        }
    }

    /// Whether [`line_hits`](Self::line_hits) finds the matching lines of a range at once.
    pub fn finds_lines_at_once(&self) -> bool {
        self.lines.is_some()
    }

    /// Whether some line of `hay` holds a match: a whole file's first look (the regex
    /// engine answers with a forward scan that stops at the first match it sees).
    pub fn any_line_matches(&self, hay: &[u8]) -> bool {
        match &self.lines {
            Some(lines) => {
                let mut hits = Vec::new();
                lines.hits(&self.regex, hay, 0, hay.len(), &mut hits, true);
                !hits.is_empty()
            }
            None => self.is_match_in(hay, 0, hay.len()),
        }
    }

    /// Appends to `hits` an offset inside each line of `hay[start..end]` that holds a match
    /// (as [`line_hit`](Self::line_hit) finds them one by one), when the matcher finds lines
    /// at once; `start` is a line start and `end` a line end or the end of `hay`.
    pub fn line_hits(&self, hay: &[u8], start: usize, end: usize, hits: &mut Vec<usize>) {
        match &self.lines {
            Some(lines) => lines.hits(&self.regex, hay, start, end, hits, false),
            None => self.line_hits_one_by_one(hay, start, end, hits),
        }
    }

    /// [`line_hits`](Self::line_hits) with [`line_hit`](Self::line_hit), line after line.
    pub fn line_hits_one_by_one(
        &self,
        hay: &[u8],
        start: usize,
        end: usize,
        hits: &mut Vec<usize>,
    ) {
        let mut at = start;
        while at < end
            && let Some(h) = self.line_hit(hay, at, end)
        {
            // An empty match right after the range's last `\n` is in no line of it.
            if h >= end && end > 0 && hay[end - 1] == self.term {
                break;
            }
            hits.push(h);
            at = crate::chunk::line_end(hay, h, end, self.term);
        }
    }

    /// True when some match lies in `hay[start..end]`.
    #[inline]
    pub fn is_match_in(&self, hay: &[u8], start: usize, end: usize) -> bool {
        if self.per_record {
            return self.record_hit(hay, start, end).is_some();
        }
        match &self.imp {
            Imp::Regex => self.regex.is_match(Input::new(hay).span(start..end)),
            _ => self.find_at(hay, start, end).is_some(),
        }
    }

    /// Calls `f` with every non-overlapping match in `hay[start..end]`, in order, the way
    /// the regex crate iterates (an empty match right after a match is skipped).
    pub fn for_each_match(
        &self,
        hay: &[u8],
        start: usize,
        end: usize,
        mut f: impl FnMut(usize, usize) -> bool,
    ) {
        if let Imp::Pcre2(p) = &self.imp
            && !self.multiline
        {
            return p.for_each_match(hay, start, end, f);
        }
        let mut at = start;
        let mut last_end: Option<usize> = None;
        while at <= end {
            let Some((s, e)) = self.find_at(hay, at, end) else {
                break;
            };
            if s == e && last_end == Some(e) {
                // An empty match where the previous match ended: step over one byte
                // (a whole UTF-8 sequence is not needed: positions are bytes here).
                at = e + 1;
                continue;
            }
            if !f(s, e) {
                return;
            }
            last_end = Some(e);
            at = if s == e { e + 1 } else { e };
        }
    }

    /// The regex engine's match starting exactly at `at` (searching no further than `end`).
    fn anchored_at(&self, hay: &[u8], at: usize, end: usize) -> Option<(usize, usize)> {
        let input = Input::new(hay)
            .span(at..end)
            .anchored(regex_automata::Anchored::Yes);
        self.regex.search(&input).map(|m| (m.start(), m.end()))
    }

    /// Calls `f` with every match of the line `hay[ls..le]` (`le` past its `\n`, if it has
    /// one) as ripgrep reports them: matches in the line without its terminator, except an
    /// empty match at the very end of a last line that has no terminator.
    pub fn for_each_line_match(
        &self,
        hay: &[u8],
        ls: usize,
        le: usize,
        f: impl FnMut(usize, usize) -> bool,
    ) {
        self.for_each_line_match_from(hay, 0, ls, le, f)
    }

    /// [`for_each_line_match`](Self::for_each_line_match) where PCRE2 sees the haystack
    /// from `floor` (ripgrep's buffer start) to the line's end (see `pcre.rs`).
    pub fn for_each_line_match_from(
        &self,
        hay: &[u8],
        floor: usize,
        ls: usize,
        le: usize,
        mut f: impl FnMut(usize, usize) -> bool,
    ) {
        if self.multiline {
            // ripgrep's printer finds a multi-line block's matches from its start, in the
            // block and at most 128 bytes past it (for look-ahead), keeping those that
            // start in the block.
            let end = if hay.len() - le >= 128 {
                le + 128
            } else {
                hay.len()
            };
            self.for_each_match(&hay[..end], ls, end, |s, e| s < le && f(s, e));
            return;
        }
        let terminated = le > ls && hay[le - 1] == self.term;
        let body_end = if terminated { le - 1 } else { le };
        let each = |s, e| {
            if !terminated && s == e && s == body_end {
                false
            } else {
                f(s, e)
            }
        };
        if let Imp::Pcre2(p) = &self.imp {
            let body_end = p.text_end(hay, ls, body_end);
            p.for_each_in_context(hay, floor, ls, body_end, each);
        } else if self.term == 0 {
            // --null-data: ripgrep's printer searches its buffer up to the record's body, so
            // `$` holds at the body's end and `^` at the buffer's start (`floor`), never
            // after a NUL.
            let mut each = each;
            self.for_each_match(
                &hay[floor..body_end],
                ls - floor,
                body_end - floor,
                |s, e| each(floor + s, floor + e),
            );
        } else {
            self.for_each_match(hay, ls, body_end, each);
        }
    }

    /// [`for_each_line_match`](Self::for_each_line_match) for a context line. Under -U
    /// ripgrep's printer searches a context line (with its line end) as a haystack of its
    /// own, so a match cannot reach into the next line.
    pub fn for_each_context_line_match(
        &self,
        hay: &[u8],
        floor: usize,
        ls: usize,
        le: usize,
        mut f: impl FnMut(usize, usize) -> bool,
    ) {
        if !self.multiline {
            return self.for_each_line_match_from(hay, floor, ls, le, f);
        }
        let line = &hay[ls..le];
        self.for_each_match(line, 0, line.len(), |s, e| {
            s < line.len() && f(ls + s, ls + e)
        });
    }

    /// A place for the capture groups of a match (see [`captures_at`](Self::captures_at)).
    pub fn create_captures(&self) -> Caps {
        match &self.imp {
            Imp::Pcre2(p) => Caps::Pcre2(p.create_captures()),
            _ => Caps::Regex(self.regex.create_captures()),
        }
    }

    /// Fills `caps` with the capture groups of the match at exactly `hay[s..e]`, found in
    /// `line`.
    pub fn captures_at(&self, hay: &[u8], line: &MatchLine, s: usize, e: usize, caps: &mut Caps) {
        match (&self.imp, caps) {
            (Imp::Pcre2(p), Caps::Pcre2(c)) => p.captures_at(hay, line, s, e, c),
            (_, Caps::Regex(c)) => {
                let input = Input::new(hay)
                    .span(s..e)
                    .anchored(regex_automata::Anchored::Yes);
                self.regex.search_captures(&input, c);
            }
            (_, caps) => *caps = self.create_captures(),
        }
    }

    /// The names of the capture groups, index by index (for `$name` in replacements).
    pub fn group_names(&self) -> Vec<Option<String>> {
        if let Imp::Pcre2(p) = &self.imp {
            return p.group_names();
        }
        self.regex
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .map(|n| n.map(str::to_string))
            .collect()
    }
}

/// ripgrep's advice when the default engine lacks a feature that PCRE2 has.
fn suggest_pcre2(msg: String) -> String {
    if msg.contains("backreferences") || msg.contains("look-around") {
        format!(
            "{msg}\n\nConsider enabling PCRE2 with the --pcre2 flag, which can handle backreferences\n\
             and look-around."
        )
    } else {
        msg
    }
}

/// One plain literal under `-w` (and nothing else that needs the regex engine).
fn word_literal<P: AsRef<str>>(patterns: &[P], opts: &MatcherOptions) -> Option<Vec<u8>> {
    if !opts.word || opts.whole_line || patterns.len() != 1 {
        return None;
    }
    let plain = MatcherOptions {
        word: false,
        ..opts.clone()
    };
    plain_literals(patterns, &plain).and_then(|mut v| v.pop())
}

fn is_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The first index of a byte >= 0x80 (SIMD: the high bit of 16 or 32 bytes at a time).
#[inline]
fn next_high_byte(hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_movemask_epi8};
        let mut i = 0;
        while i + 16 <= hay.len() {
            // SAFETY: 16 readable bytes at `i`; SSE2 is part of x86_64; loadu is unaligned.
            let mask = unsafe {
                _mm_movemask_epi8(_mm_loadu_si128(hay.as_ptr().add(i) as *const __m128i))
            };
            if mask != 0 {
                return Some(i + mask.trailing_zeros() as usize);
            }
            i += 16;
        }
        hay[i..].iter().position(|&b| b >= 0x80).map(|j| i + j)
    }
    #[cfg(not(target_arch = "x86_64"))]
    hay.iter().position(|&b| b >= 0x80)
}

/// The bytes a match can begin with, when every one of them is non-ASCII and the pattern
/// cannot match the empty string; None otherwise (then the regex engine decides alone).
fn high_lead_bytes(hir: &Hir) -> Option<[bool; 256]> {
    if hir.properties().minimum_len().is_none_or(|n| n == 0) {
        return None;
    }
    let mut set = [false; 256];
    let nullable = first_bytes(hir, &mut set)?;
    if nullable || set[..0x80].iter().any(|&b| b) {
        return None;
    }
    Some(set)
}

/// Adds the bytes that can begin a match of `hir` to `set`; returns whether `hir` can match
/// the empty string (so what follows it can begin the match too). None: too hard to tell.
fn first_bytes(hir: &Hir, set: &mut [bool; 256]) -> Option<bool> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(true),
        HirKind::Literal(hir::Literal(lit)) => {
            set[lit[0] as usize] = true;
            Some(false)
        }
        HirKind::Class(hir::Class::Bytes(c)) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    set[b as usize] = true;
                }
            }
            Some(c.ranges().is_empty())
        }
        HirKind::Class(hir::Class::Unicode(c)) => {
            for r in c.ranges() {
                for seq in regex_syntax::utf8::Utf8Sequences::new(r.start(), r.end()) {
                    let lead = seq.as_slice()[0];
                    for b in lead.start..=lead.end {
                        set[b as usize] = true;
                    }
                }
            }
            Some(c.ranges().is_empty())
        }
        HirKind::Repetition(r) => {
            let nullable = first_bytes(&r.sub, set)?;
            Some(nullable || r.min == 0)
        }
        HirKind::Capture(c) => first_bytes(&c.sub, set),
        HirKind::Concat(xs) => {
            for x in xs {
                if !first_bytes(x, set)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        HirKind::Alternation(xs) => {
            let mut nullable = false;
            for x in xs {
                nullable |= first_bytes(x, set)?;
            }
            Some(nullable)
        }
    }
}

/// When the patterns are plain literals that need no case folding or boundaries, returns
/// them as bytes.
fn plain_literals<P: AsRef<str>>(patterns: &[P], opts: &MatcherOptions) -> Option<Vec<Vec<u8>>> {
    if opts.word || opts.whole_line || opts.case != CaseMode::Sensitive {
        return None;
    }
    let mut out = Vec::with_capacity(patterns.len());
    for p in patterns {
        let p = p.as_ref();
        if p.is_empty() || p.contains('\n') {
            return None;
        }
        if !opts.fixed_strings && p.chars().any(regex_syntax::is_meta_character) {
            return None;
        }
        out.push(p.as_bytes().to_vec());
    }
    Some(out)
}

fn literal_imp(lits: Vec<Vec<u8>>) -> Imp {
    if lits.len() == 1 {
        return Imp::Literal(Box::new(memmem::Finder::new(&lits[0]).into_owned()));
    }
    match AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .kind(if lits.len() > 500 {
            Some(AhoCorasickKind::DFA)
        } else {
            None
        })
        .build(&lits)
    {
        Ok(ac) => Imp::Literals(ac),
        // A set too large for the automaton is still a valid regex: let the engine have it.
        Err(_) => Imp::Regex,
    }
}

/// Parses and translates the patterns into one HIR with ripgrep's rules.
/// The patterns' syntax tree, and whether matches may span lines (-U and a pattern that
/// can match `\n`).
fn build_hir<P: AsRef<str>>(
    patterns: &[P],
    opts: &MatcherOptions,
) -> Result<(Hir, bool), PatternError> {
    if patterns.is_empty() {
        return Ok((Hir::fail(), false));
    }
    let joined = if opts.fixed_strings {
        for p in patterns {
            if p.as_ref().contains('\0') && opts.null_data && !opts.multiline {
                return Err(PatternError(nul_error()));
            }
            if p.as_ref().contains('\n') && !opts.multiline && !opts.null_data {
                return Err(PatternError(newline_error()));
            }
        }
        patterns
            .iter()
            .map(|p| format!("(?:{})", regex_syntax::escape(p.as_ref())))
            .collect::<Vec<_>>()
            .join("|")
    } else {
        patterns
            .iter()
            .map(|p| format!("(?:{})", p.as_ref()))
            .collect::<Vec<_>>()
            .join("|")
    };
    let ast = ast::parse::ParserBuilder::new()
        .nest_limit(250)
        .build()
        .parse(&joined)
        .map_err(|e| PatternError(regex_error_text(&e.to_string())))?;
    let insensitive = match opts.case {
        CaseMode::Sensitive => false,
        CaseMode::Insensitive => true,
        CaseMode::Smart => {
            let (any_literal, any_upper) = analyse_case(&ast);
            any_literal && !any_upper
        }
    };
    let hir = hir::translate::TranslatorBuilder::new()
        .utf8(false)
        .case_insensitive(insensitive)
        .multi_line(true)
        .dot_matches_new_line(opts.multiline && opts.dotall)
        .crlf(opts.crlf)
        .unicode(opts.unicode)
        .build()
        .translate(&joined, &ast)
        .map_err(|e| PatternError(regex_error_text(&e.to_string())))?;
    if opts.ban_nul && needs_nul(&hir) {
        return Err(PatternError(
            "pattern contains \"\\0\" but it is impossible to match\n\n\
             Binary detection is on, and it stops at NUL bytes; search with -a/--text to match them."
                .into(),
        ));
    }
    let term = if opts.null_data { 0 } else { b'\n' };
    let multiline = opts.multiline && can_match_byte(&hir, term);
    let hir = if multiline {
        hir
    } else if opts.null_data {
        strip_byte(hir, 0)?
    } else if opts.crlf {
        strip_byte(strip_newline(hir)?, b'\r')?
    } else {
        strip_newline(hir)?
    };
    let hir = if opts.whole_line {
        Hir::concat(vec![
            Hir::look(if opts.crlf {
                hir::Look::StartCRLF
            } else {
                hir::Look::StartLF
            }),
            hir,
            Hir::look(if opts.crlf {
                hir::Look::EndCRLF
            } else {
                hir::Look::EndLF
            }),
        ])
    } else if opts.word {
        let (start, end) = if opts.unicode {
            (
                hir::Look::WordStartHalfUnicode,
                hir::Look::WordEndHalfUnicode,
            )
        } else {
            (hir::Look::WordStartHalfAscii, hir::Look::WordEndHalfAscii)
        };
        Hir::concat(vec![Hir::look(start), hir, Hir::look(end)])
    } else {
        hir
    };
    Ok((hir, multiline))
}

/// Whether some match of `hir` can hold the byte `b`, the line terminator (grep-regex's
/// "non-matching bytes" test, which decides whether ripgrep searches line by line under -U).
fn can_match_byte(hir: &Hir, b: u8) -> bool {
    let c = char::from(b);
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(hir::Literal(lit)) => lit.contains(&b),
        HirKind::Class(hir::Class::Unicode(cls)) => {
            cls.ranges().iter().any(|r| r.start() <= c && c <= r.end())
        }
        HirKind::Class(hir::Class::Bytes(cls)) => {
            cls.ranges().iter().any(|r| r.start() <= b && b <= r.end())
        }
        HirKind::Repetition(r) => r.max != Some(0) && can_match_byte(&r.sub, b),
        HirKind::Capture(c) => can_match_byte(&c.sub, b),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().any(|h| can_match_byte(h, b)),
    }
}

/// ripgrep's message for a pattern that needs a line break (without -U), with mmgrep's own
/// advice.
fn newline_error() -> String {
    "the literal \"\\n\" is not allowed in a regex\n\n\
     Without -U/--multiline mmgrep searches line by line, so no match can contain a line\n\
     break (\\s and [^x] never match one either): add -U to let matches span lines."
        .to_string()
}

/// ripgrep's message for a pattern that needs a NUL under --null-data, with mmgrep's advice.
fn nul_error() -> String {
    "the literal \"\\0\" is not allowed in a regex\n\n\
     Under --null-data records end at NUL bytes, so no match can contain one ([^x] never\n\
     matches one either): add -U to let matches span records."
        .to_string()
}

/// The regex crate's errors already carry the pattern with a caret under the fault.
fn regex_error_text(s: &str) -> String {
    format!(
        "regex parse error:\n{}",
        s.strip_prefix("regex parse error:\n").unwrap_or(s)
    )
}

fn compile(hir: &Hir, opts: &MatcherOptions) -> Result<Regex, PatternError> {
    let config = meta::Config::new()
        .utf8_empty(false)
        .nfa_size_limit(Some(opts.size_limit))
        .onepass_size_limit(Some(10 << 20))
        .dfa_size_limit(Some(1 << 20))
        .dfa_state_limit(Some(1000))
        .hybrid_cache_capacity(opts.dfa_size_limit);
    Regex::builder()
        .configure(config)
        .build_from_hir(hir)
        .map_err(|e| {
            if let Some(limit) = e.size_limit() {
                PatternError(format!(
                    "compiled regex exceeds size limit of {limit} bytes \
                 (raise it with --regex-size-limit, or simplify the pattern)"
                ))
            } else {
                PatternError(e.to_string())
            }
        })
}

/// Smart case looks at literal characters only (not `\w`, `\p{Lu}` or other classes).
/// Returns (any literal, any uppercase literal).
fn analyse_case(ast: &ast::Ast) -> (bool, bool) {
    fn lit(c: char, acc: &mut (bool, bool)) {
        acc.0 = true;
        acc.1 |= c.is_uppercase();
    }
    fn item(it: &ast::ClassSetItem, acc: &mut (bool, bool)) {
        use ast::ClassSetItem as I;
        match it {
            I::Literal(l) => lit(l.c, acc),
            I::Range(r) => {
                lit(r.start.c, acc);
                lit(r.end.c, acc);
            }
            I::Bracketed(b) => set(&b.kind, acc),
            I::Union(u) => u.items.iter().for_each(|i| item(i, acc)),
            I::Empty(_) | I::Ascii(_) | I::Unicode(_) | I::Perl(_) => {}
        }
    }
    fn set(s: &ast::ClassSet, acc: &mut (bool, bool)) {
        match s {
            ast::ClassSet::Item(i) => item(i, acc),
            ast::ClassSet::BinaryOp(op) => {
                set(&op.lhs, acc);
                set(&op.rhs, acc);
            }
        }
    }
    fn walk(a: &ast::Ast, acc: &mut (bool, bool)) {
        use ast::Ast as A;
        match a {
            A::Literal(l) => lit(l.c, acc),
            A::ClassBracketed(b) => set(&b.kind, acc),
            A::Repetition(r) => walk(&r.ast, acc),
            A::Group(g) => walk(&g.ast, acc),
            A::Alternation(x) => x.asts.iter().for_each(|a| walk(a, acc)),
            A::Concat(x) => x.asts.iter().for_each(|a| walk(a, acc)),
            A::Empty(_)
            | A::Flags(_)
            | A::Dot(_)
            | A::Assertion(_)
            | A::ClassUnicode(_)
            | A::ClassPerl(_) => {}
        }
    }
    let mut acc = (false, false);
    walk(ast, &mut acc);
    acc
}

/// True when some part of the pattern can only match a NUL byte (a literal NUL, or a class
/// holding NUL alone), as ripgrep's ban check decides.
fn needs_nul(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Literal(hir::Literal(lit)) => lit.contains(&0),
        HirKind::Class(hir::Class::Unicode(c)) => {
            c.ranges().len() == 1 && c.ranges()[0].start() == '\0' && c.ranges()[0].end() == '\0'
        }
        HirKind::Class(hir::Class::Bytes(c)) => {
            c.ranges().len() == 1 && c.ranges()[0].start() == 0 && c.ranges()[0].end() == 0
        }
        HirKind::Repetition(r) => needs_nul(&r.sub),
        HirKind::Capture(c) => needs_nul(&c.sub),
        HirKind::Concat(xs) | HirKind::Alternation(xs) => xs.iter().any(needs_nul),
        HirKind::Empty | HirKind::Look(_) => false,
    }
}

/// Removes `\n` from every class and refuses a literal `\n`, so that no match can span
/// lines. A class that held nothing but `\n` is refused too.
fn strip_newline(hir: Hir) -> Result<Hir, PatternError> {
    strip_byte(hir, b'\n')
}

/// Takes the ASCII byte `byte` out of every class of `hir`, refusing literals that hold it
/// (and classes of nothing else) as ripgrep does for its line terminator's bytes.
fn strip_byte(hir: Hir, byte: u8) -> Result<Hir, PatternError> {
    let refuse = || {
        Err(PatternError(if byte == b'\n' {
            newline_error()
        } else if byte == 0 {
            nul_error()
        } else {
            "the literal \"\\r\" is not allowed in a regex".to_string()
        }))
    };
    let ch = char::from(byte);
    Ok(match hir.into_kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(hir::Literal(lit)) => {
            if lit.contains(&byte) {
                return refuse();
            }
            Hir::literal(lit)
        }
        HirKind::Class(hir::Class::Unicode(mut cls)) => {
            if cls.ranges().is_empty() {
                return Ok(Hir::class(hir::Class::Unicode(cls)));
            }
            cls.difference(&hir::ClassUnicode::new([hir::ClassUnicodeRange::new(
                ch, ch,
            )]));
            if cls.ranges().is_empty() {
                return refuse();
            }
            Hir::class(hir::Class::Unicode(cls))
        }
        HirKind::Class(hir::Class::Bytes(mut cls)) => {
            if cls.ranges().is_empty() {
                return Ok(Hir::class(hir::Class::Bytes(cls)));
            }
            cls.difference(&hir::ClassBytes::new([hir::ClassBytesRange::new(
                byte, byte,
            )]));
            if cls.ranges().is_empty() {
                return refuse();
            }
            Hir::class(hir::Class::Bytes(cls))
        }
        HirKind::Look(l) => Hir::look(l),
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(strip_byte(*r.sub, byte)?);
            Hir::repetition(r)
        }
        HirKind::Capture(mut c) => {
            c.sub = Box::new(strip_byte(*c.sub, byte)?);
            Hir::capture(c)
        }
        HirKind::Concat(xs) => Hir::concat(
            xs.into_iter()
                .map(|h| strip_byte(h, byte))
                .collect::<Result<_, _>>()?,
        ),
        HirKind::Alternation(xs) => Hir::alternation(
            xs.into_iter()
                .map(|h| strip_byte(h, byte))
                .collect::<Result<_, _>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pats: &[&str], opts: MatcherOptions) -> Matcher {
        Matcher::new(pats, &opts).unwrap()
    }

    #[test]
    fn literal_newline_is_refused_and_classes_lose_it() {
        let err = Matcher::new(&["a\\nb"], &MatcherOptions::default()).unwrap_err();
        assert!(
            err.0
                .starts_with(r#"the literal "\n" is not allowed in a regex"#),
            "{}",
            err.0
        );
        let mt = m(&[r"a\sb"], MatcherOptions::default());
        assert_eq!(mt.find_at(b"a\nb a b", 0, 7), Some((4, 7)));
    }

    #[test]
    fn null_data_strips_nul_and_matches_records_alone() {
        let nd = MatcherOptions {
            null_data: true,
            ban_nul: false,
            ..MatcherOptions::default()
        };
        let err = Matcher::new(&["a\\x00"], &nd).unwrap_err();
        assert!(
            err.0.starts_with(r#"the literal "\0" is not allowed"#),
            "{}",
            err.0
        );
        // `[^a]` loses NUL but keeps `\n`; a `\n` may be matched.
        let mt = m(&["[^a]"], nd.clone());
        assert_eq!(mt.term(), 0);
        assert_eq!(mt.find_at(b"a\0a\na", 0, 5), Some((3, 4)));
        assert!(m(&["o\\nq"], nd.clone()).is_match_in(b"zo\nq", 0, 4));
        // With an anchor, each record is matched on its own: `^` holds after a NUL and
        // after a `\n`, `$` before either; without --null-data a NUL is no line end.
        let hay = b"x\nfoo\0bar\0zfoo\nq\0";
        let caret = m(&["^bar"], nd.clone());
        assert_eq!(caret.line_hit(hay, 0, hay.len()), Some(9));
        assert_eq!(
            m(&["^foo"], nd.clone()).line_hit(hay, 0, hay.len()),
            Some(5)
        );
        assert_eq!(m(&["q$"], nd.clone()).line_hit(hay, 6, hay.len()), Some(16));
        let plain = MatcherOptions {
            ban_nul: false,
            ..MatcherOptions::default()
        };
        assert_eq!(m(&["^bar"], plain).line_hit(hay, 0, hay.len()), None);
    }

    #[test]
    fn smart_case_looks_at_literals_only() {
        let smart = MatcherOptions {
            case: CaseMode::Smart,
            ..Default::default()
        };
        assert!(m(&["pm_resume"], smart.clone()).is_match_in(b"PM_RESUME", 0, 9));
        assert!(!m(&["Pm_resume"], smart.clone()).is_match_in(b"PM_RESUME", 0, 9));
        // [a-z] holds literal (lowercase) characters: insensitive.
        assert!(m(&["[a-z]_resume"], smart.clone()).is_match_in(b"PM_RESUME", 0, 9));
        // \p{Lu} is a class, not a literal: no literal at all means case sensitive.
        assert!(!m(&[r"\p{Lu}"], smart).is_match_in(b"abc", 0, 3));
    }

    #[test]
    fn word_uses_half_boundaries() {
        let w = MatcherOptions {
            word: true,
            ..Default::default()
        };
        let mt = m(&["foo"], w);
        assert_eq!(mt.find_at(b"xfoo foo", 0, 8), Some((5, 8)));
        assert_eq!(mt.find_at(b"foo-", 0, 4), Some((0, 3)));
    }

    #[test]
    fn word_literal_agrees_with_the_regex() {
        let w = MatcherOptions {
            word: true,
            ..Default::default()
        };
        for (pat, fixed_strings) in [
            ("foo", false),
            ("-foo", true),
            ("foo-", true),
            ("é", false),
            ("a", false),
        ] {
            let fast = m(
                &[pat],
                MatcherOptions {
                    fixed_strings,
                    ..w.clone()
                },
            );
            assert!(matches!(fast.imp, Imp::WordLiteral(_)), "{pat}");
            let slow = Matcher {
                imp: Imp::Regex,
                ..fast.clone()
            };
            let hays: [&[u8]; 12] = [
                b"foo",
                b"xfoo foo",
                b"foo_ foo",
                b"-foo-",
                "éfoo foo".as_bytes(),
                b"a\xffa a",
                b"\xfffoo\xff foo",
                b"\xc3\xa9\x80foo foo\xc3",
                b"-\x80foo -\x80a",
                "aéa é".as_bytes(),
                "ééé é".as_bytes(),
                "fooé foo".as_bytes(),
            ];
            for hay in hays {
                let mut at = 0;
                while at <= hay.len() {
                    let (a, b) = (
                        fast.find_at(hay, at, hay.len()),
                        slow.find_at(hay, at, hay.len()),
                    );
                    assert_eq!(a, b, "pattern {pat:?} hay {hay:?} at {at}");
                    at += 1;
                }
            }
        }
    }

    #[test]
    fn literal_set_is_leftmost_first() {
        let mt = m(
            &["ab", "abc"],
            MatcherOptions {
                fixed_strings: true,
                ..Default::default()
            },
        );
        assert!(matches!(mt.imp, Imp::Literals(_)));
        assert_eq!(mt.find_at(b"xabc", 0, 4), Some((1, 3)));
    }

    #[test]
    fn high_lead_prefilter_finds_what_the_regex_finds() {
        let mt = m(&[r"\p{Greek}+"], MatcherOptions::default());
        assert!(matches!(mt.imp, Imp::HighLead(_)));
        let hay = "ascii only \u{e9}t\u{e9} then \u{3bc}s and \u{3a9}\u{3a9} end".as_bytes();
        assert_eq!(mt.find_at(hay, 0, hay.len()), Some((22, 24)));
        assert_eq!(mt.find_at(hay, 24, hay.len()), Some((30, 34)));
        assert_eq!(mt.find_at(hay, 34, hay.len()), None);
        // Word boundaries and classes with ASCII members keep the plain engine.
        assert!(matches!(
            m(&[r"\w+"], MatcherOptions::default()).imp,
            Imp::Regex
        ));
        assert!(matches!(
            m(&[r"é|e"], MatcherOptions::default()).imp,
            Imp::Regex
        ));
        let w = MatcherOptions {
            word: true,
            ..Default::default()
        };
        assert!(matches!(m(&[r"\p{Greek}"], w).imp, Imp::HighLead(_)));
    }

    #[test]
    fn anchors_match_at_line_boundaries() {
        let mt = m(&["^b$"], MatcherOptions::default());
        assert_eq!(mt.find_at(b"a\nb\nc", 0, 5), Some((2, 3)));
        assert_eq!(mt.find_at(b"a\nb\nc", 2, 3), Some((2, 3)));
    }
}
