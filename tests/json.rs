//! `--json`: every line mmgrep prints decodes into strict structs of ripgrep's JSON Lines
//! schema (unknown fields are errors), and equals what ripgrep 15.2 printed for the same
//! files and flags, timings aside.
//!
//! The expected values below were produced by running `rg --json --sort path ARGS` on the
//! fixture built by [`fixture`] while this file was written (no test runs rg); only the
//! timing fields (`secs`, `nanos`, `human`) were masked.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use serde::Deserialize;

use crate::util::Dir;

/// One line of output: `{"type": ..., "data": ...}`.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(
    tag = "type",
    content = "data",
    rename_all = "lowercase",
    deny_unknown_fields
)]
enum Message {
    Begin(Begin),
    Match(Lines),
    Context(Lines),
    End(End),
    Summary(Summary),
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Begin {
    path: Data,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Lines {
    path: Data,
    lines: Data,
    line_number: Option<u64>,
    absolute_offset: u64,
    submatches: Vec<SubMatch>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubMatch {
    #[serde(rename = "match")]
    matched: Data,
    #[serde(default)]
    replacement: Option<Data>,
    start: usize,
    end: usize,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct End {
    path: Data,
    binary_offset: Option<u64>,
    stats: Stats,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    elapsed_total: Elapsed,
    stats: Stats,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stats {
    elapsed: Elapsed,
    searches: u64,
    searches_with_match: u64,
    bytes_searched: u64,
    bytes_printed: u64,
    matched_lines: u64,
    matches: u64,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Elapsed {
    secs: u64,
    nanos: u32,
    human: String,
}

/// `{"text": ...}` for valid UTF-8, `{"bytes": base64}` otherwise.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
enum Data {
    Text(Text),
    Bytes(Bytes),
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    text: String,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bytes {
    bytes: String,
}

impl Data {
    /// The raw bytes: the text, or the base64 decoded (which must then not be UTF-8).
    fn raw(&self) -> Vec<u8> {
        match self {
            Data::Text(t) => t.text.as_bytes().to_vec(),
            Data::Bytes(b) => {
                let raw = base64_decode(&b.bytes);
                assert!(
                    std::str::from_utf8(&raw).is_err(),
                    "valid UTF-8 sent as bytes: {raw:?}"
                );
                raw
            }
        }
    }
}

/// Standard base64 with `=` padding, as ripgrep writes it.
fn base64_decode(s: &str) -> Vec<u8> {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    assert!(s.len().is_multiple_of(4), "base64 without padding: {s}");
    let mut out = Vec::new();
    for quad in s.as_bytes().chunks(4) {
        let mut n = 0u32;
        let mut pad = 0;
        for &c in quad {
            n <<= 6;
            if c == b'=' {
                pad += 1;
            } else {
                assert_eq!(pad, 0, "base64 data after padding: {s}");
                n |= ABC
                    .iter()
                    .position(|&a| a == c)
                    .unwrap_or_else(|| panic!("not base64: {s}")) as u32;
            }
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..4 - pad]);
    }
    out
}

/// Zeroes the timings: the only fields allowed to differ from ripgrep's.
fn mask(m: &mut Message) {
    let zero = |e: &mut Elapsed| {
        e.secs = 0;
        e.nanos = 0;
        e.human = "0.000000s".into();
    };
    match m {
        Message::End(e) => zero(&mut e.stats.elapsed),
        Message::Summary(s) => {
            zero(&mut s.elapsed_total);
            zero(&mut s.stats.elapsed);
        }
        _ => {}
    }
}

/// The same masking on the text: rg's field order and spelling are kept.
fn mask_text(text: &str) -> String {
    let re = regex::Regex::new(r#""secs":\d+|"nanos":\d+|"human":"[0-9.]+s""#).unwrap();
    re.replace_all(text, |c: &regex::Captures| {
        let m = &c[0];
        if m.starts_with("\"secs\"") {
            "\"secs\":0".to_string()
        } else if m.starts_with("\"nanos\"") {
            "\"nanos\":0".to_string()
        } else {
            "\"human\":\"0.000000s\"".to_string()
        }
    })
    .into_owned()
}

/// Decodes every line strictly, checks what the schema promises beyond types, and masks
/// the timings.
fn decode(text: &str) -> Vec<Message> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut m: Message =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}\n{line}", i + 1));
        if let Message::Match(l) | Message::Context(l) = &m {
            let lines = l.lines.raw();
            for s in &l.submatches {
                assert!(
                    s.start <= s.end && s.end <= lines.len(),
                    "submatch out of its line: {line}"
                );
                assert_eq!(
                    lines[s.start..s.end],
                    s.matched.raw(),
                    "submatch text: {line}"
                );
                if let Some(r) = &s.replacement {
                    r.raw();
                }
            }
        }
        if let Message::Summary(s) = &m {
            assert!(s.elapsed_total.human.ends_with('s'));
        }
        mask(&mut m);
        out.push(m);
    }
    if let Some(last) = out.last() {
        assert!(
            matches!(last, Message::Summary(_)),
            "the last line is not the summary"
        );
    }
    out
}

/// The files every case searches (byte for byte what rg searched).
fn fixture(dir: &Dir) {
    dir.create("tree/a.txt", "foo bar\nctx\nbaz foo foo\n");
    dir.create("tree/b.txt", "no match here\n");
    dir.create("tree/lat.txt", b"caf\xe9 foo\nplain\n");
    dir.create(
        OsStr::from_bytes(b"tree/n\xffme.txt"),
        "foo in a bad name\n",
    );
    dir.create(
        "tree/sub/esc.txt",
        b"x\ttab \"q\" back\\slash \x01 foo\r\n\xc3\xa9t\xc3\xa9 foo \xf0\x9f\xa6\x80 foo\n",
    );
    dir.create(
        "tree/sub/bin.dat",
        b"foo one\nbinary\0data foo\nfoo after\n",
    );
    let mut big = b"foo first\n".to_vec();
    big.extend_from_slice(&[b'x'; 99]);
    big.push(b'\n');
    for _ in 0..1200 {
        big.extend_from_slice(&[b'y'; 79]);
        big.push(b'\n');
    }
    big.extend_from_slice(b"late foo\n\0 after foo\n");
    dir.create("tree/big.log", big);
    let ctx: String = (1..=12)
        .map(|i| {
            if [3, 5, 11].contains(&i) {
                format!("foo {i}\n")
            } else {
                format!("line {i}\n")
            }
        })
        .collect();
    dir.create("ctx.txt", ctx);
}

/// Runs `mmgrep --json ARGS` on the fixture and compares with rg's output.
fn check(args: &[&str], stdin: Option<&str>, status: i32, rg: &str) {
    let dir = Dir::new("json");
    fixture(&dir);
    let mut cmd = dir.command();
    cmd.arg("--json").args(args);
    if let Some(input) = stdin {
        cmd.stdin(input);
    }
    let (out, err) = cmd.expect_raw(status);
    assert_eq!(err, "", "stderr");
    let got = String::from_utf8(out).expect("JSON Lines are UTF-8");
    let expected = decode(rg);
    let decoded = decode(&got);
    assert_eq!(decoded.len(), expected.len(), "number of lines\n{got}");
    for (i, (g, e)) in decoded.iter().zip(&expected).enumerate() {
        assert_eq!(g, e, "line {} differs", i + 1);
    }
    eqnice!(rg, mask_text(&got));
}

// ---- Cases (expected: rg 15.2) ---------------------------------------------------------

/// A tree: several files in path order, a non-UTF-8 line and a non-UTF-8 path (base64 `bytes`), JSON escapes and multi-byte UTF-8, a file skipped as binary while walking and a large one whose binary data shows after some matches (`binary_offset`).
#[test]
fn several_files() {
    check(
        &["foo", "tree"],
        None,
        0,
        r##"{"type":"begin","data":{"path":{"text":"tree/a.txt"}}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"foo bar\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"baz foo foo\n"},"line_number":3,"absolute_offset":12,"submatches":[{"match":{"text":"foo"},"start":4,"end":7},{"match":{"text":"foo"},"start":8,"end":11}]}}
{"type":"end","data":{"path":{"text":"tree/a.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":24,"bytes_printed":460,"matched_lines":2,"matches":3}}}
{"type":"begin","data":{"path":{"text":"tree/big.log"}}}
{"type":"match","data":{"path":{"text":"tree/big.log"},"lines":{"text":"foo first\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"end","data":{"path":{"text":"tree/big.log"},"binary_offset":96119,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":65470,"bytes_printed":239,"matched_lines":1,"matches":1}}}
{"type":"begin","data":{"path":{"text":"tree/lat.txt"}}}
{"type":"match","data":{"path":{"text":"tree/lat.txt"},"lines":{"bytes":"Y2Fm6SBmb28K"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":5,"end":8}]}}
{"type":"end","data":{"path":{"text":"tree/lat.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":15,"bytes_printed":241,"matched_lines":1,"matches":1}}}
{"type":"begin","data":{"path":{"bytes":"dHJlZS9u/21lLnR4dA=="}}}
{"type":"match","data":{"path":{"bytes":"dHJlZS9u/21lLnR4dA=="},"lines":{"text":"foo in a bad name\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"end","data":{"path":{"bytes":"dHJlZS9u/21lLnR4dA=="},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":18,"bytes_printed":265,"matched_lines":1,"matches":1}}}
{"type":"begin","data":{"path":{"text":"tree/sub/esc.txt"}}}
{"type":"match","data":{"path":{"text":"tree/sub/esc.txt"},"lines":{"text":"x\ttab \"q\" back\\slash \u0001 foo\r\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":23,"end":26}]}}
{"type":"match","data":{"path":{"text":"tree/sub/esc.txt"},"lines":{"text":"été foo 🦀 foo\n"},"line_number":2,"absolute_offset":28,"submatches":[{"match":{"text":"foo"},"start":6,"end":9},{"match":{"text":"foo"},"start":15,"end":18}]}}
{"type":"end","data":{"path":{"text":"tree/sub/esc.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":47,"bytes_printed":518,"matched_lines":2,"matches":3}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":1723,"bytes_searched":65588,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":7,"matches":9,"searches":7,"searches_with_match":5}},"type":"summary"}
"##,
    );
}

/// Context lines around matches (-C1), with a gap.
#[test]
fn context() {
    check(
        &["-C1", "foo", "ctx.txt"],
        None,
        0,
        r##"{"type":"begin","data":{"path":{"text":"ctx.txt"}}}
{"type":"context","data":{"path":{"text":"ctx.txt"},"lines":{"text":"line 2\n"},"line_number":2,"absolute_offset":7,"submatches":[]}}
{"type":"match","data":{"path":{"text":"ctx.txt"},"lines":{"text":"foo 3\n"},"line_number":3,"absolute_offset":14,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"context","data":{"path":{"text":"ctx.txt"},"lines":{"text":"line 4\n"},"line_number":4,"absolute_offset":20,"submatches":[]}}
{"type":"match","data":{"path":{"text":"ctx.txt"},"lines":{"text":"foo 5\n"},"line_number":5,"absolute_offset":27,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"context","data":{"path":{"text":"ctx.txt"},"lines":{"text":"line 6\n"},"line_number":6,"absolute_offset":33,"submatches":[]}}
{"type":"context","data":{"path":{"text":"ctx.txt"},"lines":{"text":"line 10\n"},"line_number":10,"absolute_offset":61,"submatches":[]}}
{"type":"match","data":{"path":{"text":"ctx.txt"},"lines":{"text":"foo 11\n"},"line_number":11,"absolute_offset":69,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"context","data":{"path":{"text":"ctx.txt"},"lines":{"text":"line 12\n"},"line_number":12,"absolute_offset":76,"submatches":[]}}
{"type":"end","data":{"path":{"text":"ctx.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":84,"bytes_printed":1254,"matched_lines":3,"matches":3}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":1254,"bytes_searched":84,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":3,"matches":3,"searches":1,"searches_with_match":1}},"type":"summary"}
"##,
    );
}

/// Inverted matches with context and -m: context lines carry the submatches.
#[test]
fn context_invert() {
    check(
        &["-v", "-B1", "-m3", "line", "ctx.txt"],
        None,
        0,
        r##"{"type":"begin","data":{"path":{"text":"ctx.txt"}}}
{"type":"context","data":{"path":{"text":"ctx.txt"},"lines":{"text":"line 2\n"},"line_number":2,"absolute_offset":7,"submatches":[{"match":{"text":"line"},"start":0,"end":4}]}}
{"type":"match","data":{"path":{"text":"ctx.txt"},"lines":{"text":"foo 3\n"},"line_number":3,"absolute_offset":14,"submatches":[]}}
{"type":"context","data":{"path":{"text":"ctx.txt"},"lines":{"text":"line 4\n"},"line_number":4,"absolute_offset":20,"submatches":[{"match":{"text":"line"},"start":0,"end":4}]}}
{"type":"match","data":{"path":{"text":"ctx.txt"},"lines":{"text":"foo 5\n"},"line_number":5,"absolute_offset":27,"submatches":[]}}
{"type":"context","data":{"path":{"text":"ctx.txt"},"lines":{"text":"line 10\n"},"line_number":10,"absolute_offset":61,"submatches":[{"match":{"text":"line"},"start":0,"end":4}]}}
{"type":"match","data":{"path":{"text":"ctx.txt"},"lines":{"text":"foo 11\n"},"line_number":11,"absolute_offset":69,"submatches":[]}}
{"type":"end","data":{"path":{"text":"ctx.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":84,"bytes_printed":985,"matched_lines":3,"matches":0}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":985,"bytes_searched":84,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":3,"matches":0,"searches":1,"searches_with_match":1}},"type":"summary"}
"##,
    );
}

/// -r: a `replacement` field in every submatch, across UTF-8 and non-UTF-8 lines.
#[test]
fn replacement() {
    check(
        &[
            "-r",
            "<$0>",
            "fo+|caf",
            "tree/a.txt",
            "tree/lat.txt",
            "tree/sub/esc.txt",
        ],
        None,
        0,
        r##"{"type":"begin","data":{"path":{"text":"tree/a.txt"}}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"foo bar\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"replacement":{"text":"<foo>"},"start":0,"end":3}]}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"baz foo foo\n"},"line_number":3,"absolute_offset":12,"submatches":[{"match":{"text":"foo"},"replacement":{"text":"<foo>"},"start":4,"end":7},{"match":{"text":"foo"},"replacement":{"text":"<foo>"},"start":8,"end":11}]}}
{"type":"end","data":{"path":{"text":"tree/a.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":24,"bytes_printed":553,"matched_lines":2,"matches":3}}}
{"type":"begin","data":{"path":{"text":"tree/lat.txt"}}}
{"type":"match","data":{"path":{"text":"tree/lat.txt"},"lines":{"bytes":"Y2Fm6SBmb28K"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"caf"},"replacement":{"text":"<caf>"},"start":0,"end":3},{"match":{"text":"foo"},"replacement":{"text":"<foo>"},"start":5,"end":8}]}}
{"type":"end","data":{"path":{"text":"tree/lat.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":15,"bytes_printed":346,"matched_lines":1,"matches":2}}}
{"type":"begin","data":{"path":{"text":"tree/sub/esc.txt"}}}
{"type":"match","data":{"path":{"text":"tree/sub/esc.txt"},"lines":{"text":"x\ttab \"q\" back\\slash \u0001 foo\r\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"replacement":{"text":"<foo>"},"start":23,"end":26}]}}
{"type":"match","data":{"path":{"text":"tree/sub/esc.txt"},"lines":{"text":"été foo 🦀 foo\n"},"line_number":2,"absolute_offset":28,"submatches":[{"match":{"text":"foo"},"replacement":{"text":"<foo>"},"start":6,"end":9},{"match":{"text":"foo"},"replacement":{"text":"<foo>"},"start":15,"end":18}]}}
{"type":"end","data":{"path":{"text":"tree/sub/esc.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":47,"bytes_printed":611,"matched_lines":2,"matches":3}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":1510,"bytes_searched":86,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":5,"matches":8,"searches":3,"searches_with_match":3}},"type":"summary"}
"##,
    );
}

/// -r whose replacement is not UTF-8: `{"bytes": ...}`.
#[test]
fn replacement_bytes() {
    check(
        &["-r", "$1!", "(?-u:(caf\\xe9))", "tree/lat.txt"],
        None,
        0,
        r##"{"type":"begin","data":{"path":{"text":"tree/lat.txt"}}}
{"type":"match","data":{"path":{"text":"tree/lat.txt"},"lines":{"bytes":"Y2Fm6SBmb28K"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"bytes":"Y2Fm6Q=="},"replacement":{"bytes":"Y2Fm6SE="},"start":0,"end":4}]}}
{"type":"end","data":{"path":{"text":"tree/lat.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":15,"bytes_printed":282,"matched_lines":1,"matches":1}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":282,"bytes_searched":15,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":1,"matches":1,"searches":1,"searches_with_match":1}},"type":"summary"}
"##,
    );
}

/// -r with `$0Y` (a group named "0Y": empty), as rg.
#[test]
fn replacement_empty_group() {
    check(
        &["-r", "X$0Y", "foo", "tree/a.txt"],
        None,
        0,
        r##"{"type":"begin","data":{"path":{"text":"tree/a.txt"}}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"foo bar\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"replacement":{"text":"X"},"start":0,"end":3}]}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"baz foo foo\n"},"line_number":3,"absolute_offset":12,"submatches":[{"match":{"text":"foo"},"replacement":{"text":"X"},"start":4,"end":7},{"match":{"text":"foo"},"replacement":{"text":"X"},"start":8,"end":11}]}}
{"type":"end","data":{"path":{"text":"tree/a.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":24,"bytes_printed":541,"matched_lines":2,"matches":3}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":541,"bytes_searched":24,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":2,"matches":3,"searches":1,"searches_with_match":1}},"type":"summary"}
"##,
    );
}

/// An explicit file with a NUL: matches printed, `binary_offset` set.
#[test]
fn binary_explicit() {
    check(
        &["foo", "tree/sub/bin.dat", "tree/a.txt"],
        None,
        0,
        r##"{"type":"begin","data":{"path":{"text":"tree/sub/bin.dat"}}}
{"type":"match","data":{"path":{"text":"tree/sub/bin.dat"},"lines":{"text":"foo one\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"match","data":{"path":{"text":"tree/sub/bin.dat"},"lines":{"text":"binary\u0000data foo\n"},"line_number":2,"absolute_offset":8,"submatches":[{"match":{"text":"foo"},"start":12,"end":15}]}}
{"type":"match","data":{"path":{"text":"tree/sub/bin.dat"},"lines":{"text":"foo after\n"},"line_number":3,"absolute_offset":24,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"end","data":{"path":{"text":"tree/sub/bin.dat"},"binary_offset":14,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":14,"bytes_printed":631,"matched_lines":3,"matches":3}}}
{"type":"begin","data":{"path":{"text":"tree/a.txt"}}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"foo bar\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"baz foo foo\n"},"line_number":3,"absolute_offset":12,"submatches":[{"match":{"text":"foo"},"start":4,"end":7},{"match":{"text":"foo"},"start":8,"end":11}]}}
{"type":"end","data":{"path":{"text":"tree/a.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":24,"bytes_printed":460,"matched_lines":2,"matches":3}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":1091,"bytes_searched":38,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":5,"matches":6,"searches":2,"searches_with_match":2}},"type":"summary"}
"##,
    );
}

/// -N: `"line_number":null`.
#[test]
fn no_line_numbers() {
    check(
        &["-N", "foo", "tree/a.txt"],
        None,
        0,
        r##"{"type":"begin","data":{"path":{"text":"tree/a.txt"}}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"foo bar\n"},"line_number":null,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"match","data":{"path":{"text":"tree/a.txt"},"lines":{"text":"baz foo foo\n"},"line_number":null,"absolute_offset":12,"submatches":[{"match":{"text":"foo"},"start":4,"end":7},{"match":{"text":"foo"},"start":8,"end":11}]}}
{"type":"end","data":{"path":{"text":"tree/a.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":24,"bytes_printed":466,"matched_lines":2,"matches":3}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":466,"bytes_searched":24,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":2,"matches":3,"searches":1,"searches_with_match":1}},"type":"summary"}
"##,
    );
}

/// stdin: the path is `<stdin>`.
#[test]
fn stdin() {
    check(
        &["foo"],
        Some("one foo\ntwo\nfoo three\n"),
        0,
        r##"{"type":"begin","data":{"path":{"text":"<stdin>"}}}
{"type":"match","data":{"path":{"text":"<stdin>"},"lines":{"text":"one foo\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":4,"end":7}]}}
{"type":"match","data":{"path":{"text":"<stdin>"},"lines":{"text":"foo three\n"},"line_number":3,"absolute_offset":12,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}
{"type":"end","data":{"path":{"text":"<stdin>"},"binary_offset":null,"stats":{"elapsed":{"secs":0,"nanos":0,"human":"0.000000s"},"searches":1,"searches_with_match":1,"bytes_searched":22,"bytes_printed":405,"matched_lines":2,"matches":2}}}
{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":405,"bytes_searched":22,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":2,"matches":2,"searches":1,"searches_with_match":1}},"type":"summary"}
"##,
    );
}

/// No match: only the summary line, exit 1.
#[test]
fn nothing_found() {
    check(
        &["zzz", "tree"],
        None,
        1,
        r##"{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":0,"bytes_searched":65588,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":0,"matches":0,"searches":7,"searches_with_match":0}},"type":"summary"}
"##,
    );
}

/// -q: only the summary line.
#[test]
fn quiet() {
    check(
        &["-q", "foo", "tree/a.txt"],
        None,
        0,
        r##"{"data":{"elapsed_total":{"human":"0.000000s","nanos":0,"secs":0},"stats":{"bytes_printed":0,"bytes_searched":24,"elapsed":{"human":"0.000000s","nanos":0,"secs":0},"matched_lines":2,"matches":3,"searches":1,"searches_with_match":1}},"type":"summary"}
"##,
    );
}

/// -q with --json or --stats searches every file, yet a match still exits 0 after an
/// error, as with -q alone (ripgrep's rule).
#[test]
fn quiet_with_json_or_stats_exits_zero_on_a_match_despite_an_error() {
    let dir = Dir::new("quiet_with_json_or_stats_exits_zero_on_a_match_despite_an_error");
    dir.create("a.txt", "foo\n");
    for mode in ["--json", "--stats"] {
        dir.command()
            .args(["-q", mode, "foo", "a.txt", "missing.txt"])
            .expect_err(0);
        dir.command()
            .args(["-q", mode, "zzz", "a.txt", "missing.txt"])
            .expect_err(2);
    }
}
