//! Output: how selected lines, counts and paths are rendered, byte for byte as ripgrep's
//! standard and summary printers render them. Workers render into per-unit buffers with the
//! sinks here; `order.rs` writes those buffers in order and adds what depends on the units
//! before (separators between files, headings, per-file counts).

pub mod colors;
pub mod json;

use crate::matcher::{MatchLine, Matcher};
use crate::search::{LineKind, Sink};
use crate::template::Template;
use bstr::ByteSlice;

/// Called when a unit's rendered output has grown large: it must write `out` (after
/// waiting for the unit's turn) and return false if the search should stop (broken pipe).
/// The fix-ups say where line numbers go (see [`Fixups`]). The flag is `Some(lead_gap)` for
/// a unit's first part and `None` for later parts.
pub type Spill<'a> = &'a (dyn Fn(&[u8], &Fixups, Option<bool>) -> bool + Sync);

/// Line numbers not rendered yet: a chunk searched before the chunks ahead of it knows its
/// lines' numbers only relative to its own start. Each entry is (a position in the rendered
/// output, a number relative to the chunk); the ordered writer inserts the number plus the
/// newlines of the file before the chunk at that position.
pub type Fixups = Vec<(usize, u64)>;

/// Writes `bytes` with the numbers of `fixups` inserted, each increased by `base`.
pub fn apply_fixups(out: &mut Vec<u8>, bytes: &[u8], fixups: &Fixups, base: u64) {
    let mut at = 0;
    for &(pos, n) in fixups {
        out.extend_from_slice(&bytes[at..pos]);
        push_num(out, base + n);
        at = pos;
    }
    out.extend_from_slice(&bytes[at..]);
}

/// What the run prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Lines (or matches with -o), with context.
    Standard,
    /// Number of selected lines per file.
    Count,
    /// Number of matches per file.
    CountMatches,
    /// Paths of files with a selected line.
    FilesWithMatches,
    /// Paths of files without one.
    FilesWithoutMatch,
    /// Nothing: the exit status tells.
    Quiet,
    /// Nothing (-q with --files-without-match): success means a file without a match.
    QuietWithoutMatch,
    /// ripgrep's JSON Lines.
    Json,
}

impl Mode {
    /// True for the modes that print per-file summaries rather than lines.
    pub fn is_summary(self) -> bool {
        !matches!(self, Mode::Standard | Mode::Json)
    }
}

/// How a file's NUL bytes are treated (ripgrep's binary detection, see `binary.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryKind {
    /// Searched as text (`-a`).
    Text,
    /// Found by walking: the search quits at binary data.
    Quit,
    /// Named on the command line: searched, but its lines are not printed.
    Convert,
}

/// The escape that closes every coloured part (the opening ones are in [`colors::Colors`]).
pub mod color {
    pub const RESET: &[u8] = b"\x1b[0m";
}

/// Everything that decides how output looks (resolved by `config.rs`).
#[derive(Clone, Debug)]
pub struct OutputConfig {
    pub mode: Mode,
    pub with_filename: bool,
    pub heading: bool,
    pub line_number: bool,
    pub column: bool,
    pub byte_offset: bool,
    pub only_matching: bool,
    pub vimgrep: bool,
    pub null: bool,
    /// Lines are flushed as they are printed (--line-buffered, or stdout is a terminal): a
    /// slow stream's lines go out as they come instead of when its buffer fills.
    pub line_buffered: bool,
    pub color: bool,
    /// The escapes of --colors (ripgrep's defaults without it).
    pub colors: colors::Colors,
    pub invert: bool,
    /// Context lines are on (-A/-B/-C).
    pub context: bool,
    /// The line between non-adjacent context groups (None: --no-context-separator).
    pub context_separator: Option<Vec<u8>>,
    pub replacement: Option<Template>,
    pub include_zero: bool,
    /// With --stats or --json, keep counting matches (needs per-line match iteration).
    pub count_matches_always: bool,
    /// -M: lines longer than this many bytes are omitted (or cut, with the preview).
    pub max_columns: Option<u64>,
    /// --max-columns-preview: print the start of a long line instead of a note.
    pub max_columns_preview: bool,
    /// --trim: leading ASCII whitespace of printed lines (and -o matches) is dropped.
    pub trim: bool,
    /// The separators between the fields of matching and of context lines.
    pub field_match_separator: Vec<u8>,
    pub field_context_separator: Vec<u8>,
}

impl OutputConfig {
    /// The separator printed between files' output, if any: a blank line with --heading,
    /// the context separator when context is on, otherwise none.
    pub fn file_separator(&self) -> Option<&[u8]> {
        if self.mode != Mode::Standard {
            return None;
        }
        if self.heading {
            Some(b"")
        } else if self.context {
            self.context_separator.as_deref()
        } else {
            None
        }
    }

    /// True when matches are coloured (colour is on and `match:none` was not given).
    pub fn colors_matches(&self) -> bool {
        self.color && self.colors.matched.is_some()
    }

    /// True when per-line matches must be found (colour, -o, columns, replacement, counts of matches).
    pub fn needs_match_positions(&self) -> bool {
        self.colors_matches()
            || self.only_matching
            || self.column
            || self.vimgrep
            || self.replacement.is_some()
            || self.mode == Mode::CountMatches
            || self.mode == Mode::Json
            || self.count_matches_always
    }
}

/// Appends a decimal number.
#[inline]
pub fn push_num(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn push_colored(out: &mut Vec<u8>, on: bool, spec: &[u8], text: &[u8]) {
    if on {
        out.extend_from_slice(spec);
        out.extend_from_slice(text);
        out.extend_from_slice(color::RESET);
    } else {
        out.extend_from_slice(text);
    }
}

/// Writes a path (coloured as ripgrep colours paths).
pub fn push_path(out: &mut Vec<u8>, cfg: &OutputConfig, path: &[u8]) {
    push_colored(out, cfg.color, &cfg.colors.path, path);
}

/// The per-file summary line for the summary modes, if the file prints one.
pub fn push_summary(out: &mut Vec<u8>, cfg: &OutputConfig, path: &[u8], lines: u64, matches: u64) {
    match cfg.mode {
        Mode::Count | Mode::CountMatches => {
            let n = if cfg.mode == Mode::Count {
                lines
            } else {
                matches
            };
            if n == 0 && !cfg.include_zero {
                return;
            }
            if cfg.with_filename {
                push_path(out, cfg, path);
                out.push(if cfg.null { 0 } else { b':' });
            }
            push_num(out, n);
            out.push(b'\n');
        }
        Mode::FilesWithMatches | Mode::FilesWithoutMatch => {
            let want = (lines > 0) == (cfg.mode == Mode::FilesWithMatches);
            if want {
                push_path(out, cfg, path);
                out.push(if cfg.null { 0 } else { b'\n' });
            }
        }
        Mode::Quiet | Mode::QuietWithoutMatch | Mode::Standard | Mode::Json => {}
    }
}

/// The message that stands for a binary file's remaining lines.
pub fn push_binary_message(
    out: &mut Vec<u8>,
    cfg: &OutputConfig,
    path: &[u8],
    kind: BinaryKind,
    offset: u64,
) {
    if cfg.with_filename {
        push_path(out, cfg, path);
        out.extend_from_slice(b": ");
    }
    match kind {
        BinaryKind::Quit => out.extend_from_slice(b"WARNING: stopped searching binary file after match (found \"\\0\" byte around offset "),
        _ => out.extend_from_slice(b"binary file matches (found \"\\0\" byte around offset "),
    }
    push_num(out, offset);
    out.extend_from_slice(b")\n");
}

/// How a line sink treats NUL bytes in the lines it is handed.
#[derive(Clone, Copy, Debug, Default)]
pub struct BinaryWatch {
    /// Check every printed line for a NUL (ripgrep's rule for mapped explicit files).
    pub check_lines: bool,
    /// Binary data was already seen at this absolute offset: the next line stops the search.
    pub seen: Option<u64>,
}

impl BinaryWatch {
    /// Looks for the first NUL in a line about to be printed (when lines are checked).
    #[inline]
    pub fn check_line(&mut self, hay: &[u8], ls: usize, le: usize, base: u64) {
        if self.check_lines
            && self.seen.is_none()
            && let Some(i) = memchr::memchr(0, &hay[ls..le])
        {
            self.seen = Some(base + (ls + i) as u64);
        }
    }
}

/// A unit's rendered output on its way out: past `at` bytes it is handed to `spill` (written
/// as soon as the unit's turn comes), and line numbers relative to the unit's start are kept
/// as fix-ups for the writer to fill in. Shared by the standard and JSON sinks.
pub struct Spiller<'a> {
    pub at: usize,
    pub spill: Option<Spill<'a>>,
    /// Part of the unit's output was already spilled (later parts are continuations).
    pub spilled: bool,
    /// Line numbers are relative to the unit: record them as fix-ups.
    pub relative: bool,
    pub fixups: Fixups,
}

impl<'a> Spiller<'a> {
    /// Never spills, numbers absolute: set `spill`/`at` and `relative` to change that.
    pub fn new() -> Spiller<'a> {
        Spiller {
            at: usize::MAX,
            spill: None,
            spilled: false,
            relative: false,
            fixups: Vec::new(),
        }
    }

    /// Writes line number `n` into `out`, or records where it goes.
    #[inline]
    pub fn number(&mut self, out: &mut Vec<u8>, n: u64) {
        if self.relative {
            self.fixups.push((out.len(), n));
        } else {
            push_num(out, n);
        }
    }

    /// After a line was rendered: spills `out` when it has grown past `at`. `lead_gap` is
    /// the unit's first printed line's gap (sent with the first part). False: stop.
    #[inline]
    pub fn after_line(&mut self, out: &mut Vec<u8>, lead_gap: bool) -> bool {
        let Some(spill) = self.spill.filter(|_| out.len() >= self.at) else {
            return true;
        };
        let first = if self.spilled { None } else { Some(lead_gap) };
        let go = spill(out, &self.fixups, first);
        out.clear();
        self.fixups.clear();
        self.spilled = true;
        go
    }
}

impl Default for Spiller<'_> {
    fn default() -> Self {
        Spiller::new()
    }
}

/// Renders the lines of one unit (a file, or one chunk of a file) in the standard format.
pub struct LineSink<'a> {
    pub cfg: &'a OutputConfig,
    pub matcher: &'a Matcher,
    pub path: &'a [u8],
    /// Absolute offset of the haystack's byte 0 in its file (for -b).
    pub base: u64,
    pub out: Vec<u8>,
    /// A line was printed by this unit.
    pub printed: bool,
    /// The first printed line had a gap before it (the writer decides on a separator).
    pub lead_gap: bool,
    /// Selected lines handed over (counted even when binary data stopped their printing).
    pub matched_lines: u64,
    pub matches: u64,
    pub binary: BinaryWatch,
    /// Spilling large output, and relative line numbers.
    pub spiller: Spiller<'a>,
    /// The search stopped because a line met binary data.
    pub binary_stop: bool,
    spans: Vec<(usize, usize)>,
    scratch: Vec<u8>,
    caps: Option<crate::matcher::Caps>,
    /// For PCRE2 over a whole file that ripgrep reads rather than maps: its buffer starts.
    pub floors: Option<crate::stream::BufferStarts>,
}

impl<'a> LineSink<'a> {
    pub fn new(
        cfg: &'a OutputConfig,
        matcher: &'a Matcher,
        path: &'a [u8],
        base: u64,
    ) -> LineSink<'a> {
        LineSink {
            cfg,
            matcher,
            path,
            base,
            out: Vec::new(),
            printed: false,
            lead_gap: false,
            matched_lines: 0,
            matches: 0,
            binary: BinaryWatch::default(),
            spiller: Spiller::new(),
            binary_stop: false,
            spans: Vec::new(),
            scratch: Vec::new(),
            caps: None,
            floors: None,
        }
    }

    /// Collects the match spans of the line `hay[ls..le]` into `self.spans`, relative to
    /// the line start, as ripgrep finds them.
    fn collect_matches(&mut self, hay: &[u8], ls: usize, le: usize) {
        self.spans.clear();
        let spans = &mut self.spans;
        let floor = floor_of(&mut self.floors, hay, ls);
        self.matcher
            .for_each_line_match_from(hay, floor, ls, le, |s, e| {
                spans.push((s - ls, e - ls));
                true
            });
    }

    /// Replaces every span of `line` with the expanded template into `self.scratch`, and
    /// turns `self.spans` into the replacements' places in the new line.
    fn replace_line(&mut self, hay: &[u8], ls: usize, line: &[u8], tpl: &Template) {
        self.scratch.clear();
        let at = MatchLine {
            floor: floor_of(&mut self.floors, hay, ls),
            span: ls..ls + line.len(),
        };
        let mut pos = 0;
        for (s, e) in self.spans.iter_mut() {
            self.scratch.extend_from_slice(&line[pos..*s]);
            let start = self.scratch.len();
            tpl.expand(
                self.matcher,
                hay,
                &at,
                ls + *s,
                ls + *e,
                &mut self.caps,
                &mut self.scratch,
            );
            pos = *e;
            (*s, *e) = (start, self.scratch.len());
        }
        self.scratch.extend_from_slice(&line[pos..]);
    }

    fn prelude(&mut self, is_match: bool, line_no: u64, column: Option<u64>, offset: u64) {
        let cfg = self.cfg;
        let sep: &'a [u8] = if is_match {
            &cfg.field_match_separator
        } else {
            &cfg.field_context_separator
        };
        let out = &mut self.out;
        let mut pending: Option<&'a [u8]> = None;
        if cfg.with_filename && !cfg.heading {
            push_path(out, cfg, self.path);
            pending = Some(if cfg.null { b"\0" } else { sep });
        }
        let spiller = &mut self.spiller;
        let mut field =
            |out: &mut Vec<u8>, pending: &mut Option<&'a [u8]>, spec: &[u8], n: u64, line: bool| {
                if let Some(p) = pending.take() {
                    out.extend_from_slice(p);
                }
                if cfg.color {
                    out.extend_from_slice(spec);
                }
                if line {
                    spiller.number(out, n);
                } else {
                    push_num(out, n);
                }
                if cfg.color {
                    out.extend_from_slice(color::RESET);
                }
                *pending = Some(sep);
            };
        if cfg.line_number {
            field(out, &mut pending, &cfg.colors.line, line_no, true);
        }
        if cfg.column
            && let Some(col) = column
        {
            field(out, &mut pending, &cfg.colors.column, col, false);
        }
        if cfg.byte_offset {
            field(out, &mut pending, &cfg.colors.column, offset, false);
        }
        if let Some(p) = pending {
            out.extend_from_slice(p);
        }
    }

    /// Writes `text[start..end]` with the parts inside `spans` (positions in `text`)
    /// coloured when `color` is on; no newline.
    fn paint(
        out: &mut Vec<u8>,
        text: &[u8],
        (start, end): (usize, usize),
        spans: &[(usize, usize)],
        spec: Option<&[u8]>,
    ) {
        let Some(spec) = spec.filter(|_| !spans.is_empty()) else {
            out.extend_from_slice(&text[start..end]);
            return;
        };
        let mut pos = start;
        let mut idx = 0;
        let mut in_match = false;
        while pos < end {
            if spans[idx].1 <= pos {
                if idx + 1 < spans.len() {
                    idx += 1;
                    continue;
                }
                if in_match {
                    out.extend_from_slice(color::RESET);
                    in_match = false;
                }
                out.extend_from_slice(&text[pos..end]);
                break;
            }
            let (s, e) = spans[idx];
            let upto = if pos < s { end.min(s) } else { end.min(e) };
            if (pos < s) == in_match {
                out.extend_from_slice(if in_match { color::RESET } else { spec });
                in_match = !in_match;
            }
            out.extend_from_slice(&text[pos..upto]);
            pos = upto;
        }
        if in_match {
            out.extend_from_slice(color::RESET);
        }
    }

    /// Where `text` starts once --trim drops its leading ASCII whitespace (never the
    /// line's `\n`).
    #[inline]
    fn trimmed_start(&self, text: &[u8]) -> usize {
        if !self.cfg.trim {
            return 0;
        }
        text.iter()
            .take_while(|&&b| matches!(b, b'\t' | b'\x0B' | b'\x0C' | b'\r' | b' '))
            .count()
    }

    #[inline]
    fn too_long(&self, len: usize) -> bool {
        self.cfg.max_columns.is_some_and(|m| len as u64 > m)
    }

    /// Writes `text` (a line with its `\n` if it has one, or a match with -o) uncoloured.
    /// `look` says what the line holds. As in ripgrep, the trimmed text (terminator
    /// included) is checked against -M, and a cut preview counts all the line's matches
    /// by their positions in the line, compared with positions in the trimmed text.
    fn plain_text(&mut self, text: &[u8], look: &Look) {
        let text = &text[self.trimmed_start(text)..];
        if self.too_long(text.len()) {
            self.long_line(text, 0, look.all, false, look);
            return;
        }
        self.out.extend_from_slice(text);
        if text.last() != Some(&b'\n') {
            self.out.push(b'\n');
        }
    }

    /// Writes `text` with `spans` coloured (uncoloured without --color). With colour the
    /// untrimmed text is checked against -M and a preview counts `spans` only (ripgrep).
    fn colored_text(&mut self, text: &[u8], spans: &[(usize, usize)], look: &Look) {
        let Some(spec) = self
            .cfg
            .colors
            .matched
            .as_deref()
            .filter(|_| self.cfg.color)
        else {
            // No colour for matches: ripgrep prints (and measures against -M) as without colour.
            self.plain_text(text, look);
            return;
        };
        let start = self.trimmed_start(text);
        if self.too_long(text.len()) {
            self.long_line(text, start, spans, true, look);
            return;
        }
        let end = text.len() - usize::from(text.last() == Some(&b'\n'));
        Self::paint(
            &mut self.out,
            text,
            (start.min(end), end),
            spans,
            Some(spec),
        );
        self.out.push(b'\n');
    }

    /// A line (or match) longer than -M: its first NUM graphemes from `start` and how many
    /// of `spans` start after them (--max-columns-preview), or a note in its place.
    fn long_line(
        &mut self,
        text: &[u8],
        start: usize,
        spans: &[(usize, usize)],
        color: bool,
        look: &Look,
    ) {
        let out = &mut self.out;
        if self.cfg.max_columns_preview {
            let limit = self.cfg.max_columns.unwrap_or(0) as usize;
            let cut = start
                + text[start..]
                    .grapheme_indices()
                    .take(limit)
                    .last()
                    .map_or(0, |(_, e, _)| e);
            let shown = if cut > start && text[cut - 1] == b'\n' {
                cut - 1
            } else {
                cut
            };
            let spec = self.cfg.colors.matched.as_deref().filter(|_| color);
            Self::paint(out, text, (start, shown), spans, spec);
            if spans.is_empty() {
                out.extend_from_slice(b" [... omitted end of long line]");
            } else {
                let more = spans
                    .iter()
                    .filter(|&&(s, _)| s >= cut && s < text.len())
                    .count();
                out.extend_from_slice(b" [... ");
                push_num(out, more as u64);
                out.extend_from_slice(if more == 1 {
                    b" more match]"
                } else {
                    b" more matches]"
                });
            }
        } else if look.all.is_empty() || self.cfg.only_matching {
            out.extend_from_slice(if look.context {
                b"[Omitted long context line]"
            } else {
                b"[Omitted long matching line]"
            });
        } else {
            out.extend_from_slice(b"[Omitted long line with ");
            push_num(out, look.all.len() as u64);
            out.extend_from_slice(b" matches]");
        }
        out.push(b'\n');
    }

    fn render(&mut self, hay: &[u8], kind: LineKind, ls: usize, le: usize, line_no: u64) {
        let cfg = self.cfg;
        let body_end = if le > ls && hay[le - 1] == b'\n' {
            le - 1
        } else {
            le
        };
        let is_match = kind == LineKind::Match;
        // Lines selected by -v have no matches; context lines under -v do.
        let selected_by_invert = is_match && cfg.invert;
        let has_matches = !selected_by_invert && !self.spans.is_empty();
        // The line as printed, with its terminator (if it has one).
        let mut text = &hay[ls..le];
        let scratch = match cfg.replacement.as_ref() {
            Some(tpl) if has_matches => {
                self.replace_line(hay, ls, &hay[ls..body_end], tpl);
                self.scratch.extend_from_slice(&hay[body_end..le]);
                Some(std::mem::take(&mut self.scratch))
            }
            _ => None,
        };
        if let Some(r) = scratch.as_ref() {
            text = r;
        }
        let spans = std::mem::take(&mut self.spans);
        let look = Look {
            all: if has_matches { &spans } else { &[] },
            context: !is_match,
        };
        let base = self.base + ls as u64;
        // A line with matches: a selected one, or under -v a context line (ripgrep finds the
        // matches of context lines only in an inverted search, where they are the matching
        // lines) is printed match by match with -o or --vimgrep, and gets a column.
        if has_matches && (cfg.only_matching || cfg.vimgrep) {
            for &(s, e) in &spans {
                self.prelude(is_match, line_no, Some(s as u64 + 1), base + s as u64);
                if cfg.only_matching {
                    self.colored_text(&text[s..e], &[(0, e - s)], &look);
                } else {
                    self.colored_text(text, &[(s, e)], &look);
                }
            }
        } else if has_matches {
            let col = spans.first().map(|&(s, _)| s as u64 + 1);
            self.prelude(is_match, line_no, col, base);
            self.colored_text(text, &spans, &look);
        } else {
            self.prelude(is_match, line_no, None, base);
            self.plain_text(text, &look);
        }
        self.spans = spans;
        if let Some(r) = scratch {
            self.scratch = r;
        }
    }
}

/// Where PCRE2's printer search of the line at `ls` may look back to: ripgrep's buffer
/// start when `floors` replays its reads over `hay`, else the haystack's start.
#[inline]
pub fn floor_of(floors: &mut Option<crate::stream::BufferStarts>, hay: &[u8], ls: usize) -> usize {
    floors.as_mut().map_or(0, |f| f.at(hay, ls))
}

/// A PCRE2 search on this thread met an error: the search stops before the line at hand,
/// as ripgrep's does (see `pcre.rs`).
#[inline]
pub fn match_failed(matcher: &Matcher) -> bool {
    matcher.is_pcre2() && crate::pcre::failed()
}

/// What a printed line holds, for the notes that stand for a long one.
struct Look<'s> {
    /// All the line's matches (after replacement), positions in the line.
    all: &'s [(usize, usize)],
    /// A context line.
    context: bool,
}

impl Sink for LineSink<'_> {
    fn set_base(&mut self, base: u64) {
        self.base = base;
    }

    fn binary_data(&mut self, offset: u64) {
        self.binary.seen.get_or_insert(offset);
    }

    fn line(
        &mut self,
        hay: &[u8],
        kind: LineKind,
        span: std::ops::Range<usize>,
        line_no: u64,
        gap: bool,
    ) -> bool {
        let (ls, le) = (span.start, span.end);
        if match_failed(self.matcher) {
            return false;
        }
        self.binary.check_line(hay, ls, le, self.base);
        let is_match = kind == LineKind::Match;
        // ripgrep finds matches in selected lines, and in context lines only under -v (where
        // they are the matching ones); past -m, --passthru prints matching lines as context,
        // without them.
        let has_matches = is_match != self.cfg.invert;
        if has_matches && self.cfg.needs_match_positions() {
            self.collect_matches(hay, ls, le);
            if match_failed(self.matcher) {
                return false;
            }
        } else {
            self.spans.clear();
        }
        if is_match {
            self.matched_lines += 1;
            if has_matches {
                self.matches += self.spans.len() as u64;
            }
        }
        // ripgrep's searcher writes the context break before its printer sees the line, so
        // the separator comes out even when the printer then stops for binary data.
        if self.printed
            && gap
            && self.cfg.context
            && let Some(sep) = &self.cfg.context_separator
        {
            self.out.extend_from_slice(sep);
            self.out.push(b'\n');
        }
        if self.binary.seen.is_some() {
            // ripgrep counts the match, then stops without printing it.
            self.binary_stop = true;
            return false;
        }
        if !self.printed {
            self.printed = true;
            self.lead_gap = gap;
        }
        self.render(hay, kind, ls, le, line_no);
        self.spiller.after_line(&mut self.out, self.lead_gap)
    }
}

/// Counts selected lines (and matches) for the summary modes; stops at the first selected
/// line when that answers the question (-l, -q, --files-without-match).
pub struct CountSink<'a> {
    pub matcher: &'a Matcher,
    pub invert: bool,
    pub count_matches: bool,
    pub stop_at_first: bool,
    pub lines: u64,
    pub matches: u64,
    /// Mapped-file rules: the first NUL in a selected line, which ripgrep's slice searcher
    /// notes (it ends that file's bytes searched; the count goes on). Offsets are the map's.
    pub watch_nul: bool,
    pub nul: Option<u64>,
    /// For PCRE2 over a whole file that ripgrep reads: its buffer starts.
    pub floors: Option<crate::stream::BufferStarts>,
}

impl<'a> CountSink<'a> {
    pub fn new(
        matcher: &'a Matcher,
        invert: bool,
        count_matches: bool,
        stop_at_first: bool,
    ) -> CountSink<'a> {
        CountSink {
            matcher,
            invert,
            count_matches,
            stop_at_first,
            lines: 0,
            matches: 0,
            watch_nul: false,
            nul: None,
            floors: None,
        }
    }
}

impl Sink for CountSink<'_> {
    fn line(
        &mut self,
        hay: &[u8],
        kind: LineKind,
        span: std::ops::Range<usize>,
        _line_no: u64,
        _gap: bool,
    ) -> bool {
        if match_failed(self.matcher) {
            return false;
        }
        if kind != LineKind::Match {
            return true;
        }
        if self.watch_nul && self.nul.is_none() {
            self.nul = memchr::memchr(0, &hay[span.clone()]).map(|i| (span.start + i) as u64);
        }
        self.lines += 1;
        if self.count_matches {
            if self.invert {
                self.matches += 1;
            } else {
                let mut n = 0u64;
                let floor = floor_of(&mut self.floors, hay, span.start);
                self.matcher
                    .for_each_line_match_from(hay, floor, span.start, span.end, |_, _| {
                        n += 1;
                        true
                    });
                self.matches += n.max(1);
            }
        }
        !self.stop_at_first
    }
}
