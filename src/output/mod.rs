//! Output: how selected lines, counts and paths are rendered, byte for byte as ripgrep's
//! standard and summary printers render them. Workers render into per-unit buffers with the
//! sinks here; `order.rs` writes those buffers in order and adds what depends on the units
//! before (separators between files, headings, per-file counts).

pub mod colors;
pub mod hyperlink;
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
    /// --hyperlink-format, when colours are on (ripgrep links paths only then).
    pub hyperlinks: Option<hyperlink::Hyperlinks>,
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
    /// --crlf: the lines mmgrep ends itself end with `\r\n` (ripgrep's line terminator).
    pub crlf: bool,
    /// --null-data: lines are NUL-terminated records, and the lines mmgrep ends itself end
    /// with NUL.
    pub null_data: bool,
    /// --path-separator: the byte printed for each `/` of a path.
    pub path_separator: Option<u8>,
    /// The search is multi-line (-U with a pattern that may cross lines).
    pub multiline: bool,
    /// --trim: leading ASCII whitespace of printed lines (and -o matches) is dropped.
    pub trim: bool,
    /// The separators between the fields of matching and of context lines.
    pub field_match_separator: Vec<u8>,
    pub field_context_separator: Vec<u8>,
}

impl OutputConfig {
    /// The line end written after a line mmgrep ends itself (a count, a path, an -o match,
    /// a separator, a line printed in colour): `\r\n` under --crlf, NUL under --null-data.
    #[inline]
    pub fn eol(&self) -> &'static [u8] {
        if self.crlf {
            b"\r\n"
        } else if self.null_data {
            b"\0"
        } else {
            b"\n"
        }
    }

    /// The line terminator: NUL under --null-data, else `\n`.
    #[inline]
    pub fn term(&self) -> u8 {
        if self.null_data { 0 } else { b'\n' }
    }

    /// The end of `text`'s body: before its terminator, and under --crlf before a `\r`
    /// ahead of it.
    #[inline]
    pub fn body_end(&self, text: &[u8]) -> usize {
        let mut end = text.len();
        if text.last() == Some(&self.term()) {
            end -= 1;
            if self.crlf && end > 0 && text[end - 1] == b'\r' {
                end -= 1;
            }
        }
        end
    }

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

/// Writes a path (coloured as ripgrep colours paths, and a hyperlink with
/// --hyperlink-format, its `{line}` and `{column}` 1).
pub fn push_path(out: &mut Vec<u8>, cfg: &OutputConfig, path: &[u8]) {
    let path = shown_path(cfg, path);
    let link = cfg
        .hyperlinks
        .as_ref()
        .and_then(|h| Some((h, hyperlink::link_path(&path)?)));
    if let Some((h, to)) = &link {
        h.open(out, to, None, |o| o.push(b'1'));
    }
    push_colored(out, cfg.color, &cfg.colors.path, &path);
    if link.is_some() {
        out.extend_from_slice(hyperlink::CLOSE);
    }
}

/// A path as printed: with --path-separator's byte for each `/`. ripgrep makes its
/// hyperlink from this form too (so a separator that breaks the path drops the link).
fn shown_path<'p>(cfg: &OutputConfig, path: &'p [u8]) -> std::borrow::Cow<'p, [u8]> {
    match cfg.path_separator {
        Some(sep) => path
            .iter()
            .map(|&b| if b == b'/' { sep } else { b })
            .collect::<Vec<u8>>()
            .into(),
        None => path.into(),
    }
}

/// The per-file summary line for the summary modes, if the file prints one.
pub fn push_summary(out: &mut Vec<u8>, cfg: &OutputConfig, path: &[u8], lines: u64, matches: u64) {
    match cfg.mode {
        Mode::Count | Mode::CountMatches => {
            // Under -U ripgrep's -c counts matches too (see CountSink).
            let n = if cfg.mode == Mode::Count && !cfg.multiline {
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
            out.extend_from_slice(cfg.eol());
        }
        Mode::FilesWithMatches | Mode::FilesWithoutMatch => {
            let want = (lines > 0) == (cfg.mode == Mode::FilesWithMatches);
            if want {
                push_path(out, cfg, path);
                if cfg.null {
                    out.push(0);
                } else {
                    out.extend_from_slice(cfg.eol());
                }
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
    /// The text being written is an -o part of a -U block: ripgrep neither trims it (its
    /// line was) nor highlights it.
    part: bool,
    /// The path's `{path}` for hyperlinks, found at the first line that needs it.
    link: std::cell::OnceCell<Option<Vec<u8>>>,
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
            part: false,
            link: std::cell::OnceCell::new(),
        }
    }

    /// Collects the match spans of the line `hay[ls..le]` into `self.spans`, relative to
    /// the line start, as ripgrep finds them (for a context line, under -U, in the line
    /// alone: see [`Matcher::for_each_context_line_match`]).
    fn collect_matches(&mut self, hay: &[u8], ls: usize, le: usize, context: bool) {
        self.spans.clear();
        let spans = &mut self.spans;
        let floor = floor_of(&mut self.floors, hay, ls);
        let push = |s, e| {
            spans.push((s - ls, e - ls));
            true
        };
        if context {
            self.matcher
                .for_each_context_line_match(hay, floor, ls, le, push);
        } else {
            self.matcher
                .for_each_line_match_from(hay, floor, ls, le, push);
        }
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
        let spiller = &mut self.spiller;
        // As ripgrep: a hyperlink spans the path and the numbers after it; under --heading
        // only a format with {line} links the numbers (the heading links the file).
        let link = match &cfg.hyperlinks {
            Some(h) if cfg.with_filename && (h.is_line_dependent() || !cfg.heading) => {
                let path = self.path;
                let to = self
                    .link
                    .get_or_init(|| hyperlink::link_path(&shown_path(cfg, path)));
                to.as_deref().map(|to| (h, to))
            }
            _ => None,
        };
        if let Some((h, to)) = link {
            h.open(out, to, column, |o| {
                if cfg.line_number {
                    spiller.number(o, line_no);
                } else {
                    o.push(b'1');
                }
            });
        }
        let mut pending: Option<&'a [u8]> = None;
        if cfg.with_filename && !cfg.heading {
            push_colored(
                out,
                cfg.color,
                &cfg.colors.path,
                &shown_path(cfg, self.path),
            );
            pending = Some(if cfg.null { b"\0" } else { sep });
        }
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
        if link.is_some() {
            out.extend_from_slice(hyperlink::CLOSE);
        }
        if let Some(p) = pending {
            out.extend_from_slice(p);
        }
    }

    /// Writes `text[start..end]` with the parts inside `spans` (positions in `text`)
    /// coloured when `color` is on; no newline. `hl` (--colors highlight, on a selected
    /// line) colours the rest of a line with matches: it opens the line, follows each match
    /// in place of the reset, and a reset closes the line (termcolor's order in ripgrep).
    fn paint(
        out: &mut Vec<u8>,
        text: &[u8],
        (start, end): (usize, usize),
        spans: &[(usize, usize)],
        spec: Option<&[u8]>,
        hl: Option<&[u8]>,
        lit: bool,
    ) {
        // `lit`: the line has matches, maybe none in `spans` (a line of a -U block).
        let Some(spec) = spec.filter(|_| lit) else {
            out.extend_from_slice(&text[start..end]);
            return;
        };
        let off = hl.unwrap_or(color::RESET);
        if let Some(h) = hl {
            out.extend_from_slice(h);
        }
        let mut pos = start;
        let mut idx = 0;
        let mut in_match = false;
        while pos < end {
            if spans.is_empty() {
                out.extend_from_slice(&text[pos..end]);
                break;
            }
            if spans[idx].1 <= pos {
                if idx + 1 < spans.len() {
                    idx += 1;
                    continue;
                }
                if in_match {
                    out.extend_from_slice(off);
                    in_match = false;
                }
                out.extend_from_slice(&text[pos..end]);
                break;
            }
            let (s, e) = spans[idx];
            let upto = if pos < s { end.min(s) } else { end.min(e) };
            if (pos < s) == in_match {
                out.extend_from_slice(if in_match { off } else { spec });
                in_match = !in_match;
            }
            out.extend_from_slice(&text[pos..upto]);
            pos = upto;
        }
        if in_match {
            out.extend_from_slice(off);
        }
        if hl.is_some() {
            out.extend_from_slice(color::RESET);
        }
    }

    /// The highlight escape for a line with matches (`--colors highlight`), not for context.
    #[inline]
    fn highlight(&self, context: bool) -> Option<&'a [u8]> {
        let cfg: &'a OutputConfig = self.cfg;
        cfg.colors
            .highlight
            .as_deref()
            .filter(|_| !context && !self.part)
    }

    /// Where `text` starts once --trim drops its leading ASCII whitespace (never the
    /// line's terminator: under --null-data a `\n` is trimmed like a space).
    #[inline]
    fn trimmed_start(&self, text: &[u8]) -> usize {
        if !self.cfg.trim || self.part {
            return 0;
        }
        text.iter()
            // (Under --crlf the line end's `\r` is not trimmed either.)
            .take_while(|&&b| {
                matches!(b, b'\t' | b'\x0B' | b'\x0C' | b' ')
                    || (b == b'\r' && !self.cfg.crlf)
                    || (b == b'\n' && self.cfg.null_data)
            })
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
        if text.last() != Some(&self.cfg.term()) {
            self.out.extend_from_slice(self.cfg.eol());
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
        let end = self.cfg.body_end(text);
        let hl = self.highlight(look.context);
        Self::paint(
            &mut self.out,
            text,
            (start.min(end), end),
            spans,
            Some(spec),
            hl,
            !spans.is_empty() || !look.all.is_empty(),
        );
        self.out.extend_from_slice(self.cfg.eol());
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
        let hl = self.highlight(look.context).filter(|_| color);
        let out = &mut self.out;
        if self.cfg.max_columns_preview {
            let limit = self.cfg.max_columns.unwrap_or(0) as usize;
            let cut = start
                + text[start..]
                    .grapheme_indices()
                    .take(limit)
                    .last()
                    .map_or(0, |(_, e, _)| e);
            let shown = self.cfg.body_end(&text[..cut]).max(start);
            let spec = self.cfg.colors.matched.as_deref().filter(|_| color);
            let lit = !spans.is_empty() || !look.all.is_empty();
            Self::paint(out, text, (start, shown), spans, spec, hl, lit);
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
        out.extend_from_slice(self.cfg.eol());
    }

    fn render(&mut self, hay: &[u8], kind: LineKind, ls: usize, le: usize, line_no: u64) {
        let cfg = self.cfg;
        let body_end = if le > ls && hay[le - 1] == cfg.term() {
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
            // Under -U a context line's matches (-v) may take in its line end, or run past
            // it: ripgrep replaces in the whole line, and a match is cut at its end.
            Some(tpl) if has_matches && self.matcher.is_multiline() => {
                self.replace_line(hay, ls, &hay[ls..le], tpl);
                Some(std::mem::take(&mut self.scratch))
            }
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

impl LineSink<'_> {
    /// A block of selected lines from the multi-line searcher (-U): the lines its matches
    /// touch, printed one by one as ripgrep's printer does. Each line gets its own number
    /// and offset; its column is that of the block's first match (counted from the block's
    /// start); -o prints each match's part of each line, --vimgrep a match's first line.
    fn block(&mut self, hay: &[u8], ls: usize, le: usize, line_no: u64, gap: bool) -> bool {
        let cfg = self.cfg;
        if cfg.needs_match_positions() {
            self.collect_matches(hay, ls, le, false);
            if match_failed(self.matcher) {
                return false;
            }
        } else {
            self.spans.clear();
        }
        self.matched_lines += lines_in(&hay[ls..le], self.matcher.term());
        self.matches += self.spans.len() as u64;
        if !self.open_line(gap) {
            return false;
        }
        // The block as printed: its replacement covers the whole block (line ends too).
        let scratch = match cfg.replacement.as_ref() {
            Some(tpl) if !self.spans.is_empty() => {
                self.replace_block(hay, ls, le, tpl);
                Some(std::mem::take(&mut self.scratch))
            }
            _ => None,
        };
        let text = scratch.as_deref().unwrap_or(&hay[ls..le]);
        let spans = std::mem::take(&mut self.spans);
        let base = self.base + ls as u64;
        let mut clipped = Vec::new();
        if spans.is_empty() {
            for (i, (s, e)) in text_lines(text, cfg.term()).enumerate() {
                self.prelude(true, line_no + i as u64, None, base + s as u64);
                let look = Look {
                    all: &[],
                    context: false,
                };
                self.plain_text(&text[s..e], &look);
            }
        } else if cfg.only_matching {
            let mut idx = 0;
            for (i, (s, e)) in text_lines(text, cfg.term()).enumerate() {
                let body = s + cfg.body_end(&text[s..e]);
                let mut at = s + self.trimmed_start(&text[s..body]);
                while at < body {
                    if spans[idx].1 <= at {
                        if idx + 1 < spans.len() {
                            idx += 1;
                            continue;
                        }
                        break;
                    }
                    let (ms, me) = spans[idx];
                    if at < ms {
                        at = body.min(ms);
                        continue;
                    }
                    let upto = body.min(me);
                    self.prelude(
                        true,
                        line_no + i as u64,
                        Some(ms as u64 + 1),
                        base + ms as u64,
                    );
                    let part = &text[at..upto];
                    let look = Look {
                        all: &[(0, part.len())],
                        context: false,
                    };
                    self.colored_part(part, &look);
                    at = upto;
                }
            }
        } else if cfg.vimgrep {
            for &(ms, me) in &spans {
                for (i, (s, e)) in text_lines(text, cfg.term()).enumerate() {
                    if s >= me {
                        break;
                    }
                    if e <= ms {
                        continue;
                    }
                    let col = ms.saturating_sub(s) as u64 + 1;
                    self.prelude(true, line_no + i as u64, Some(col), base + s as u64);
                    clipped.clear();
                    clipped.push((ms.max(s) - s, me.min(e) - s));
                    // One line per match; but ripgrep goes on to the match's next line
                    // after a line too long for -M (measured without its line end).
                    if !self.block_line(&text[s..e], &clipped, &spans, false) {
                        break;
                    }
                }
            }
        } else {
            let col = spans[0].0 as u64 + 1;
            for (i, (s, e)) in text_lines(text, cfg.term()).enumerate() {
                self.prelude(true, line_no + i as u64, Some(col), base + s as u64);
                clipped.clear();
                clipped.extend(
                    spans
                        .iter()
                        .filter(|&&(ms, me)| me > s && ms < e)
                        .map(|&(ms, me)| (ms.max(s) - s, me.min(e) - s)),
                );
                self.block_line(&text[s..e], &clipped, &spans, true);
            }
        }
        self.spans = spans;
        if let Some(r) = scratch {
            self.scratch = r;
        }
        self.spiller.after_line(&mut self.out, self.lead_gap)
    }

    /// What comes before a line (or block) is rendered, once it has been counted: the
    /// context break after a gap, then the stop for binary data already seen. False when
    /// the search stops here.
    fn open_line(&mut self, gap: bool) -> bool {
        // ripgrep's searcher writes the context break before its printer sees the line, so
        // the separator comes out even when the printer then stops for binary data.
        if self.printed
            && gap
            && self.cfg.context
            && let Some(sep) = &self.cfg.context_separator
        {
            self.out.extend_from_slice(sep);
            self.out.extend_from_slice(self.cfg.eol());
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
        true
    }

    /// Replaces the matches of the block `hay[ls..le]` into `self.scratch` and turns
    /// `self.spans` into the replacements' places, as ripgrep's replacer does under -U:
    /// when the last match runs past the block, the rest of its look-ahead room (128 bytes
    /// past the block, or the haystack's end) follows it, so more lines may print.
    fn replace_block(&mut self, hay: &[u8], ls: usize, le: usize, tpl: &Template) {
        let room = if hay.len() - le >= 128 {
            le + 128
        } else {
            hay.len()
        };
        self.scratch.clear();
        let mut last = ls;
        // PCRE2 finds a match's groups in the text the match was found in.
        let line = crate::matcher::MatchLine {
            floor: 0,
            span: ls..room,
        };
        for (s, e) in self.spans.iter_mut() {
            let (ms, me) = (ls + *s, ls + *e);
            self.scratch.extend_from_slice(&hay[last..ms]);
            let start = self.scratch.len();
            tpl.expand(
                self.matcher,
                &hay[..room],
                &line,
                ms,
                me,
                &mut self.caps,
                &mut self.scratch,
            );
            last = me;
            (*s, *e) = (start, self.scratch.len());
        }
        let end = if last > le { room } else { le };
        self.scratch.extend_from_slice(&hay[last..end]);
    }

    /// Writes one line of a block (`line` with its `\n`, if it has one) with `spans` (in the
    /// line) coloured, as ripgrep does: trimmed with --trim, and measured against -M with
    /// its line end (`with_end`) or without. A long line's note counts `all`, the block's
    /// matches. Returns true when the line was too long.
    fn block_line(
        &mut self,
        line: &[u8],
        spans: &[(usize, usize)],
        all: &[(usize, usize)],
        with_end: bool,
    ) -> bool {
        let body = self.cfg.body_end(line);
        let start = self.trimmed_start(&line[..body]);
        let measured = if with_end { line.len() } else { body };
        let color = self.cfg.color && self.cfg.colors.matched.is_some();
        if self.too_long(measured - start) {
            let look = Look {
                all,
                context: false,
            };
            self.long_line(&line[..measured], start, spans, color, &look);
            return true;
        }
        let spec = self
            .cfg
            .colors
            .matched
            .as_deref()
            .filter(|_| self.cfg.color);
        // (ripgrep writes a --vimgrep match's line, measured without its end, unhighlighted.)
        let hl = self.highlight(false).filter(|_| with_end);
        Self::paint(
            &mut self.out,
            line,
            (start, body),
            spans,
            spec,
            hl,
            !all.is_empty(),
        );
        self.out.extend_from_slice(self.cfg.eol());
        false
    }

    /// An -o part of a multi-line match, all coloured. The line was trimmed before it was
    /// cut into parts (ripgrep's order), so the part itself is not.
    fn colored_part(&mut self, part: &[u8], look: &Look) {
        self.part = true;
        self.colored_text(part, &[(0, part.len())], look);
        self.part = false;
    }
}

/// The lines of `text` (each with its terminator `t`, the last one perhaps without).
fn text_lines(text: &[u8], t: u8) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let s = at;
        at = memchr::memchr(t, &text[s..]).map_or(text.len(), |i| s + i + 1);
        Some((s, at))
    })
}

/// How many lines `bytes` hold (a last line without its terminator `t` counts).
pub fn lines_in(bytes: &[u8], t: u8) -> u64 {
    crate::chunk::count_lines_ends(bytes, t) + u64::from(bytes.last().is_some_and(|&b| b != t))
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
        // Under -U ripgrep's printer finds the matches of every selected range, a line
        // selected by -v included (its line end, or a match the search had no room for).
        if is_match && self.matcher.is_multiline() {
            return self.block(hay, ls, le, line_no, gap);
        }
        // ripgrep finds matches in selected lines, and in context lines only under -v (where
        // they are the matching ones); past -m, --passthru prints matching lines as context,
        // without them.
        let has_matches = is_match != self.cfg.invert;
        if has_matches && self.cfg.needs_match_positions() {
            self.collect_matches(hay, ls, le, !is_match);
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
        if !self.open_line(gap) {
            return false;
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
        if self.matcher.is_multiline() {
            // ripgrep counts a multi-line search's matches, even for -c: those its printer
            // finds again in each block (or line, under -v), at least one.
            let mut n = 0u64;
            self.matcher
                .for_each_line_match(hay, span.start, span.end, |_, _| {
                    n += 1;
                    true
                });
            // The lines are the statistics' matched lines; -c prints the matches.
            self.lines += lines_in(&hay[span], self.matcher.term());
            self.matches += n.max(1);
            return !self.stop_at_first;
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
