//! ripgrep's JSON Lines output: `begin`, `match`, `context`, `end` and `summary` messages
//! with ripgrep's field order, string escaping, `{"text":…}`/`{"bytes":base64}` data and
//! statistics, so that programs written for `rg --json` read mmgrep's output unchanged.

use std::time::Duration;

use crate::matcher::Matcher;
use crate::output::{BinaryWatch, Spiller, push_num};
use crate::search::{LineKind, Sink};
use crate::template::Template;

/// What a unit tells the writer about its JSON output.
#[derive(Clone, Copy, Debug, Default)]
pub struct UnitJson {
    /// The unit wrote the file's `begin` message.
    pub begun: bool,
}

/// Statistics as ripgrep reports them (per file in `end`, for the run in `summary`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub elapsed: Duration,
    pub searches: u64,
    pub searches_with_match: u64,
    pub bytes_searched: u64,
    pub bytes_printed: u64,
    pub matched_lines: u64,
    pub matches: u64,
}

/// Appends `s` as a JSON string (serde_json's escaping).
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Standard base64 with padding.
pub fn push_base64(out: &mut Vec<u8>, data: &[u8]) {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        out.push(A[(n >> 18) as usize & 63]);
        out.push(A[(n >> 12) as usize & 63]);
        out.push(if c.len() > 1 {
            A[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if c.len() > 2 {
            A[n as usize & 63]
        } else {
            b'='
        });
    }
}

/// `{"text":"…"}` when `data` is UTF-8, else `{"bytes":"base64"}`.
pub fn push_data(out: &mut Vec<u8>, data: &[u8]) {
    match std::str::from_utf8(data) {
        Ok(s) => {
            out.extend_from_slice(b"{\"text\":");
            push_str(out, s);
            out.push(b'}');
        }
        Err(_) => {
            out.extend_from_slice(b"{\"bytes\":\"");
            push_base64(out, data);
            out.extend_from_slice(b"\"}");
        }
    }
}

fn push_duration(out: &mut Vec<u8>, d: Duration, sorted: bool) {
    let human = format!("{:0.6}s", d.as_secs_f64());
    if sorted {
        out.extend_from_slice(b"{\"human\":");
        push_str(out, &human);
        out.extend_from_slice(b",\"nanos\":");
        push_num(out, d.subsec_nanos() as u64);
        out.extend_from_slice(b",\"secs\":");
        push_num(out, d.as_secs());
    } else {
        out.extend_from_slice(b"{\"secs\":");
        push_num(out, d.as_secs());
        out.extend_from_slice(b",\"nanos\":");
        push_num(out, d.subsec_nanos() as u64);
        out.extend_from_slice(b",\"human\":");
        push_str(out, &human);
    }
    out.push(b'}');
}

/// Appends `,"key":value` for each field.
fn push_fields(out: &mut Vec<u8>, fields: &[(&str, u64)]) {
    for &(k, v) in fields {
        out.extend_from_slice(b",\"");
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(b"\":");
        push_num(out, v);
    }
}

pub fn push_begin(out: &mut Vec<u8>, path: &[u8]) {
    out.extend_from_slice(b"{\"type\":\"begin\",\"data\":{\"path\":");
    push_data(out, path);
    out.extend_from_slice(b"}}\n");
}

/// The `end` message of a file.
pub fn push_end(out: &mut Vec<u8>, path: &[u8], binary_offset: Option<u64>, s: &Stats) {
    out.extend_from_slice(b"{\"type\":\"end\",\"data\":{\"path\":");
    push_data(out, path);
    out.extend_from_slice(b",\"binary_offset\":");
    match binary_offset {
        Some(o) => push_num(out, o),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"stats\":{\"elapsed\":");
    push_duration(out, s.elapsed, false);
    push_fields(
        out,
        &[
            ("searches", s.searches),
            ("searches_with_match", s.searches_with_match),
            ("bytes_searched", s.bytes_searched),
            ("bytes_printed", s.bytes_printed),
            ("matched_lines", s.matched_lines),
            ("matches", s.matches),
        ],
    );
    out.extend_from_slice(b"}}}\n");
}

/// The closing `summary` message (keys sorted, as serde_json's `json!` map sorts them).
pub fn push_summary(out: &mut Vec<u8>, s: &Stats, total: Duration) {
    out.extend_from_slice(b"{\"data\":{\"elapsed_total\":");
    push_duration(out, total, true);
    out.extend_from_slice(b",\"stats\":{\"bytes_printed\":");
    push_num(out, s.bytes_printed);
    out.extend_from_slice(b",\"bytes_searched\":");
    push_num(out, s.bytes_searched);
    out.extend_from_slice(b",\"elapsed\":");
    push_duration(out, s.elapsed, true);
    push_fields(
        out,
        &[
            ("matched_lines", s.matched_lines),
            ("matches", s.matches),
            ("searches", s.searches),
            ("searches_with_match", s.searches_with_match),
        ],
    );
    out.extend_from_slice(b"}},\"type\":\"summary\"}\n");
}

/// Renders `match` and `context` messages for one unit.
pub struct JsonSink<'a> {
    pub matcher: &'a Matcher,
    pub path: &'a [u8],
    pub base: u64,
    pub invert: bool,
    pub line_numbers: bool,
    pub replacement: Option<&'a Template>,
    pub out: Vec<u8>,
    pub printed: bool,
    pub matched_lines: u64,
    pub matches: u64,
    /// Binary data seen (reported in `end`; JSON never stops for it).
    pub binary: BinaryWatch,
    /// As for the line sink: large output written early, relative line numbers.
    pub spiller: Spiller<'a>,
    caps: Option<crate::matcher::Caps>,
    spans: Vec<(usize, usize)>,
    scratch: Vec<u8>,
    /// For PCRE2 over a whole file that ripgrep reads: its buffer starts.
    pub floors: Option<crate::stream::BufferStarts>,
}

impl<'a> JsonSink<'a> {
    pub fn new(matcher: &'a Matcher, path: &'a [u8], base: u64) -> JsonSink<'a> {
        JsonSink {
            matcher,
            path,
            base,
            invert: false,
            line_numbers: true,
            replacement: None,
            out: Vec::new(),
            printed: false,
            matched_lines: 0,
            matches: 0,
            binary: BinaryWatch::default(),
            spiller: Spiller::new(),
            caps: None,
            spans: Vec::new(),
            scratch: Vec::new(),
            floors: None,
        }
    }
}

impl Sink for JsonSink<'_> {
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
        _gap: bool,
    ) -> bool {
        let (ls, le) = (span.start, span.end);
        if super::match_failed(self.matcher) {
            return false;
        }
        self.binary.check_line(hay, ls, le, self.base);
        let is_match = kind == LineKind::Match;
        self.spans.clear();
        let at = crate::matcher::MatchLine {
            floor: super::floor_of(&mut self.floors, hay, ls),
            span: ls..le,
        };
        // Selected lines have matches, and context lines only under -v (see LineSink::line).
        let multiline = self.matcher.is_multiline();
        if is_match != self.invert || (multiline && is_match) {
            let spans = &mut self.spans;
            let push = |s, e| {
                spans.push((s, e));
                true
            };
            if is_match {
                self.matcher
                    .for_each_line_match_from(hay, at.floor, ls, le, push);
            } else {
                self.matcher
                    .for_each_context_line_match(hay, at.floor, ls, le, push);
            }
            if super::match_failed(self.matcher) {
                return false;
            }
        }
        if is_match {
            // A block of a multi-line search counts all its lines.
            self.matched_lines += if multiline {
                super::lines_in(&hay[ls..le], self.matcher.term())
            } else {
                1
            };
            self.matches += self.spans.len() as u64;
        }
        self.printed = true;
        let out = &mut self.out;
        out.extend_from_slice(if is_match {
            b"{\"type\":\"match\",\"data\":{\"path\":"
        } else {
            b"{\"type\":\"context\",\"data\":{\"path\":"
        });
        push_data(out, self.path);
        out.extend_from_slice(b",\"lines\":");
        push_data(out, &hay[ls..le]);
        out.extend_from_slice(b",\"line_number\":");
        if self.line_numbers {
            self.spiller.number(out, line_no);
        } else {
            out.extend_from_slice(b"null");
        }
        out.extend_from_slice(b",\"absolute_offset\":");
        push_num(out, self.base + ls as u64);
        out.extend_from_slice(b",\"submatches\":[");
        for (i, &(s, e)) in self.spans.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"match\":");
            push_data(out, &hay[s..e]);
            if let Some(tpl) = self.replacement {
                self.scratch.clear();
                tpl.expand(
                    self.matcher,
                    hay,
                    &at,
                    s,
                    e,
                    &mut self.caps,
                    &mut self.scratch,
                );
                out.extend_from_slice(b",\"replacement\":");
                push_data(out, &self.scratch);
            }
            out.extend_from_slice(b",\"start\":");
            push_num(out, (s - ls) as u64);
            out.extend_from_slice(b",\"end\":");
            push_num(out, (e - ls) as u64);
            out.push(b'}');
        }
        out.extend_from_slice(b"]}}\n");
        self.spiller.after_line(&mut self.out, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_serde_json() {
        let mut v = Vec::new();
        push_str(&mut v, "a\tb\"\\\u{1}\n\u{7f}é");
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "\"a\\tb\\\"\\\\\\u0001\\n\u{7f}é\""
        );
    }

    #[test]
    fn base64_pads() {
        let mut v = Vec::new();
        push_data(&mut v, b"caf\xe9 foo\n");
        assert_eq!(v, br#"{"bytes":"Y2Fm6SBmb28K"}"#);
        let mut v = Vec::new();
        push_base64(&mut v, b"js/n\xffme.txt");
        assert_eq!(v, b"anMvbv9tZS50eHQ=");
    }
}
