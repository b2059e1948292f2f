//! --null-data: NUL as the line terminator. Expected bytes are ripgrep 15.2's
//! (`rg --sort path --null-data ARGS`, stdout a pipe), except for what ripgrep does not have
//! (`--in-place`) and mmgrep's own messages.

use crate::util::Dir;

/// Seven records, the last one without its NUL.
const RECS: &[u8] = b"a1\0b\0a2\0c\0d\0e\0a3";
/// Records holding `\n`: `^` and `$` hold around it and at a record's ends.
const ANCH: &[u8] = b"x\nfoo\0bar\0zfoo\nq\0";

fn dir(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("f1", RECS);
    dir.create("f2", b"zz\0a9\0");
    dir.create("an", ANCH);
    dir
}

fn run(dir: &Dir, args: &[&str], code: i32) -> Vec<u8> {
    dir.command().args(args).expect_raw(code).0
}

/// Records are lines: -n counts them, context and its `--` separator, -m with -A, -v.
#[test]
fn nulldata_records_are_lines() {
    let d = dir("nulldata_records_are_lines");
    eqbytes!(
        b"f1:1:a1\0f1-2-b\0f1:3:a2\0f1-4-c\0--\0f1-6-e\0f1:7:a3\0--\0f2-1-zz\0f2:2:a9\0",
        run(&d, &["--null-data", "-n", "-C1", "a", "f1", "f2"], 0)
    );
    eqbytes!(
        b"a1\0b\0",
        run(&d, &["--null-data", "-m1", "-A1", "a", "f1"], 0)
    );
    eqbytes!(
        b"2:b\x004:c\x005:d\x006:e\0",
        run(&d, &["--null-data", "-v", "-n", "a", "f1"], 0)
    );
    eqbytes!(
        b"a1\0b\0a2\0c\0d\0e\0a3\0",
        run(&d, &["--null-data", "--passthru", "a1", "f1"], 0)
    );
    // A last record without its NUL gets one.
    eqbytes!(b"a3\0", run(&d, &["--null-data", "a3", "f1"], 0));
    eqbytes!(b"", run(&d, &["--null-data", "nothing", "f1"], 1));
}

/// Every line mmgrep ends itself ends with NUL: counts, paths, -o matches, --vimgrep,
/// headings and the blank line between files under --heading.
#[test]
fn nulldata_own_lines_end_with_nul() {
    let d = dir("nulldata_own_lines_end_with_nul");
    eqbytes!(
        b"f1:3\0f2:1\0",
        run(&d, &["--null-data", "-c", "a", "f1", "f2"], 0)
    );
    eqbytes!(b"1\0", run(&d, &["--null-data", "-c", "a3", "f1"], 0));
    eqbytes!(
        b"f1:3\0f2:1\0",
        run(&d, &["--null-data", "--count-matches", "a", "f1", "f2"], 0)
    );
    eqbytes!(
        b"f1\0f2\0",
        run(&d, &["--null-data", "-l", "a", "f1", "f2"], 0)
    );
    eqbytes!(
        b"f1\x003\0f2\x001\0",
        run(&d, &["--null-data", "-0", "-c", "a", "f1", "f2"], 0)
    );
    eqbytes!(
        b"f1:1:1:a1\0f1:3:1:a2\0f1:7:1:a3\0",
        run(&d, &["--null-data", "--vimgrep", "a", "f1"], 0)
    );
    eqbytes!(
        b"a1\0a2\0a3\0",
        run(&d, &["--null-data", "-o", "a.", "f1"], 0)
    );
    eqbytes!(
        b"f1\x001:a1\x003:a2\x007:a3\0\0f2\x002:a9\0",
        run(&d, &["--null-data", "--heading", "-n", "a", "f1", "f2"], 0)
    );
    eqbytes!(
        b"f1:0:a1\0f1:5:a2\0f1:14:a3\0",
        run(&d, &["--null-data", "-b", "-H", "a", "f1"], 0)
    );
    // --stats keeps its own `\n` lines.
    let out = run(&d, &["--null-data", "--stats", "-c", "a2", "f1"], 0);
    assert!(
        out.starts_with(b"1\0\n1 matches\n1 matched lines\n"),
        "{}",
        out.escape_ascii()
    );
}

/// --json: a record's text keeps its NUL (escaped), line numbers count records.
#[test]
fn nulldata_json() {
    let d = dir("nulldata_json");
    let out = String::from_utf8(run(&d, &["--null-data", "--json", "foo$", "an"], 0)).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"an"},"lines":{"text":"x\nfoo\u0000"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":2,"end":5}]}}"#,
        lines[1]
    );
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"an"},"lines":{"text":"zfoo\nq\u0000"},"line_number":3,"absolute_offset":10,"submatches":[{"match":{"text":"foo"},"start":1,"end":4}]}}"#,
        lines[2]
    );
    let out = String::from_utf8(run(&d, &["--null-data", "--json", "a3", "f1"], 0)).unwrap();
    assert!(
        out.contains(r#""lines":{"text":"a3"},"line_number":7,"absolute_offset":14"#),
        "{out}"
    );
}

/// A record is selected by matching it on its own: `^` and `$` hold at its ends and around
/// a `\n` inside it. The matches printed (-o, --column, colours, -r) are found as ripgrep's
/// printer finds them, in the file up to the record's end: `$` holds at the record's end,
/// `^` after a `\n` or at the file's start but not after a NUL.
#[test]
fn nulldata_anchors() {
    let d = dir("nulldata_anchors");
    eqbytes!(
        b"1:x\nfoo\0",
        run(&d, &["--null-data", "-n", "^foo", "an"], 0)
    );
    eqbytes!(b"2:bar\0", run(&d, &["--null-data", "-n", "^bar", "an"], 0));
    eqbytes!(
        b"1:x\nfoo\x003:zfoo\nq\0",
        run(&d, &["--null-data", "-n", "foo$", "an"], 0)
    );
    eqbytes!(
        b"1:1:x\x001:3:f\x002:bar\x003:6:q\0",
        run(&d, &["--null-data", "-o", "-n", "--column", "^.", "an"], 0)
    );
    // Selected, but its printer finds no match: the whole record, as ripgrep prints it.
    eqbytes!(b"bar\0", run(&d, &["--null-data", "-o", "^bar", "an"], 0));
    eqbytes!(
        b"foo\0foo\0",
        run(&d, &["--null-data", "-o", "foo$", "an"], 0)
    );
    eqbytes!(
        b"x\n<foo>\0bar\0z<foo>\n<q>\0",
        run(&d, &["--null-data", "-r", "<$0>", "foo$|^bar|q$", "an"], 0)
    );
    eqbytes!(
        b"4\0",
        run(&d, &["--null-data", "-c", "-x", "a\\d|b", "f1"], 0)
    );
    // An empty record matches `^$`.
    d.create("empty", b"a\0\0b\0");
    eqbytes!(b"1\0", run(&d, &["--null-data", "-c", "^$", "empty"], 0));
    // The same on stdin.
    eqbytes!(
        b"x\0f\0bar\0q\0",
        d.command()
            .args(["--null-data", "-o", "^."])
            .stdin(ANCH)
            .expect_raw(0)
            .0
    );
    eqbytes!(
        b"2:bar\0",
        d.command()
            .args(["--null-data", "-n", "^bar"])
            .stdin(ANCH)
            .expect_raw(0)
            .0
    );
}

/// NUL is taken out of classes and refused as a literal; `\n` can be matched inside a
/// record; `.` matches neither.
#[test]
fn nulldata_pattern_rules() {
    let d = dir("nulldata_pattern_rules");
    eqbytes!(b"3\0", run(&d, &["--null-data", "-c", "[^a]", "an"], 0));
    eqbytes!(
        b"3:zfoo\nq\0",
        run(&d, &["--null-data", "-n", "o\\nq", "an"], 0)
    );
    eqbytes!(
        b"zfoo\nq\0",
        run(&d, &["--null-data", "-F", "o\nq", "an"], 0)
    );
    eqbytes!(b"", run(&d, &["--null-data", "-o", "x.", "an"], 1));
    eqbytes!(
        b"[^a]+\0",
        d.command()
            .args(["--null-data", "-o", "\\S+"])
            .stdin("[^a]+\0")
            .expect_raw(0)
            .0
    );
    let (out, err) = d
        .command()
        .args(["--null-data", "a\\x00", "an"])
        .expect_raw(2);
    eqbytes!(b"", out);
    assert!(
        err.starts_with("mmgrep: the literal \"\\0\" is not allowed in a regex\n"),
        "{err}"
    );
    let (_, err) = d
        .command()
        .args(["--null-data", "[\\x00]", "an"])
        .expect_raw(2);
    assert!(err.contains("the literal \"\\0\" is not allowed"), "{err}");
    // Without --null-data a `\n` is still refused.
    d.command().args(["o\\nq", "an"]).expect_raw(2);
}

/// Under -U a pattern may match a NUL: its match is widened to the records it touches.
#[test]
fn nulldata_multiline() {
    let d = dir("nulldata_multiline");
    eqbytes!(
        b"1:a1\x002:b\0",
        run(&d, &["--null-data", "-U", "-n", "a1\\x00b", "f1"], 0)
    );
    eqbytes!(
        b"6\0",
        run(&d, &["--null-data", "-U", "-c", "\\x00", "f1"], 0)
    );
}

/// --null-data implies -a (a walked file with a NUL is searched whole); it and --crlf
/// override each other, and --crlf after it brings binary detection back.
#[test]
fn nulldata_implies_text_and_overrides_crlf() {
    let d = Dir::new("nulldata_implies_text_and_overrides_crlf");
    d.create("w/b.dat", b"foo\nbar\0foo\n");
    eqbytes!(b"", run(&d, &["foo", "w"], 1));
    eqbytes!(
        b"w/b.dat:foo\nbar\0w/b.dat:foo\n\0",
        run(&d, &["--null-data", "foo", "w"], 0)
    );
    eqbytes!(
        b"w/b.dat:foo\nbar\0w/b.dat:foo\n\0",
        run(&d, &["--crlf", "--null-data", "foo", "w"], 0)
    );
    eqbytes!(b"", run(&d, &["--null-data", "--crlf", "foo", "w"], 1));
    eqbytes!(
        b"w/b.dat:foo\nbar\0w/b.dat:foo\n\0",
        run(&d, &["--null-data", "--no-crlf", "foo", "w"], 0)
    );
}

/// --trim drops a leading `\n` under --null-data (it is not the line terminator).
#[test]
fn nulldata_trim() {
    let d = Dir::new("nulldata_trim");
    eqbytes!(
        b"x\0",
        d.command()
            .args(["--null-data", "--trim", "x"])
            .stdin(" \n x\0")
            .expect_raw(0)
            .0
    );
}

/// Large files are cut into chunks at record boundaries: numbers, counts and context agree
/// with a count made here, whatever the chunk size.
#[test]
fn nulldata_chunks() {
    let d = Dir::new("nulldata_chunks");
    let mut data = Vec::new();
    let mut want_n = Vec::new();
    let mut count = 0;
    for i in 0..40_000u32 {
        let rec = if i % 97 == 0 {
            format!("line {i}\nwith needle\n")
        } else {
            format!("rec {i} {}", "x".repeat((i % 13) as usize))
        };
        if rec.contains("needle") {
            count += 1;
            want_n.extend_from_slice(format!("{}:{rec}\0", i + 1).as_bytes());
        }
        data.extend_from_slice(rec.as_bytes());
        data.push(0);
    }
    d.create("big", &data);
    let want_c = format!("{count}\0").into_bytes();
    for chunk in ["4K", "64K", "1M"] {
        eqbytes!(
            want_c,
            run(
                &d,
                &["--null-data", "--chunk-size", chunk, "-c", "needle", "big"],
                0
            )
        );
        eqbytes!(
            want_n,
            run(
                &d,
                &["--null-data", "--chunk-size", chunk, "-n", "needle", "big"],
                0
            )
        );
        eqbytes!(
            want_n,
            run(
                &d,
                &[
                    "--null-data",
                    "--chunk-size",
                    chunk,
                    "-n",
                    "^with needle$",
                    "big"
                ],
                0
            )
        );
    }
}

/// -r prints the records replaced; --in-place writes exactly what -r prints (records are
/// lines: `$` at a record's end, mismatches reported by record and column).
#[test]
fn nulldata_replace_in_place() {
    let d = Dir::new("nulldata_replace_in_place");
    d.create("r", b"foo\0bar\0zfoo\nq\0");
    eqbytes!(
        b"X\0zX\nX\0",
        run(&d, &["--null-data", "-r", "X", "foo$|q$", "r"], 0)
    );
    let (_, err) = d
        .command()
        .args(["--null-data", "-r", "XXXX", "--in-place", "foo$", "r"])
        .expect_err(2);
    assert!(
        err.contains("r:1:1: match is 3 bytes, replacement is 4 bytes")
            && err.contains("r:3:2: match is 3 bytes, replacement is 4 bytes"),
        "{err}"
    );
    eqbytes!(b"foo\0bar\0zfoo\nq\0", d.read("r"));
    d.command()
        .args(["--null-data", "-r", "XXX", "--in-place", "foo$", "r"])
        .expect_err(0);
    eqbytes!(b"XXX\0bar\0zXXX\nq\0", d.read("r"));
    // `^` after a NUL is not a match -r prints, so nothing is written there.
    d.create("s", b"a\0b\0c\0");
    d.command()
        .args(["--null-data", "-r", "Z", "--in-place", "^."])
        .arg("s")
        .expect_err(0);
    eqbytes!(b"Z\0b\0c\0", d.read("s"));
}

/// PCRE2 has no --null-data in mmgrep: refused with a message naming both.
#[test]
fn nulldata_pcre2() {
    // PCRE2 matches each record on its own too (ripgrep 15.2 built with PCRE2): `^` after
    // the `\n` inside record 1, a lookbehind inside record 3; `o$` before a `\n` and at a
    // record's end.
    let d = dir("nulldata_pcre2");
    eqbytes!(
        b"1:x\nfoo\x003:zfoo\nq\0",
        run(&d, &["--null-data", "-P", "-n", "^foo|(?<=z)foo", "an"], 0)
    );
    eqbytes!(
        b"4:o\x0013:o\0",
        run(&d, &["--null-data", "-P", "-o", "-b", "o$", "an"], 0)
    );
}

/// An empty record matches what matches the empty string (`^$`), also where
/// --stop-on-nonmatch asks of each record whether it matches.
#[test]
fn nulldata_empty_record_matches_empty_patterns() {
    let d = dir("nulldata_empty_record_matches_empty_patterns");
    d.create("e1", b"a1\0\0a2\0b\0");
    eqbytes!(
        b"1:a1\x002:\x003:a2\0",
        run(
            &d,
            &["--null-data", "--stop-on-nonmatch", "-n", "^a|^$", "e1"],
            0
        )
    );
}

/// --reverse (mmgrep's own) hands records over last first, numbered as forward.
#[test]
fn nulldata_reverse() {
    let d = dir("nulldata_reverse");
    eqbytes!(
        b"7:a3\x003:a2\x001:a1\0",
        run(&d, &["--null-data", "--reverse", "-n", "a", "f1"], 0)
    );
}
