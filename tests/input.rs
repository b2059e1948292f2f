//! What bytes a file yields: `-E/--encoding` (and, for `--in-place`, which files it may
//! write). Expected bytes are ripgrep 15.2's (`rg --sort path`), checked with
//! tests/rg-as-mmgrep.sh; the `--in-place` tests are mmgrep's own.

use crate::util::Dir;

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn utf16be(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
}

/// A directory with a file in Latin-1, one in UTF-16LE without a byte-order mark, one in
/// UTF-16BE with one, one with a UTF-8 byte-order mark and one with invalid UTF-8.
fn encodings_dir(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("l1.txt", b"caf\xe9 ol\xe9\nplain\nfoo caf\xe9\n");
    dir.create("le.txt", utf16le("h\u{e9}llo w\u{f6}rld\nfoo\n"));
    let mut be = b"\xfe\xff".to_vec();
    be.extend(utf16be("h\u{e9}llo w\u{f6}rld\nfoo\n"));
    dir.create("be.txt", be);
    dir.create("bom8.txt", b"\xef\xbb\xbfcaf\xc3\xa9\n");
    dir.create("bad8.txt", b"a\xffb\n");
    dir
}

#[test]
fn encoding_label_transcodes_and_offsets_are_the_utf8_ones() {
    let dir = encodings_dir("encoding_label_transcodes");
    eqnice!(
        "l1.txt:1:0:café olé\nl1.txt:3:17:foo café\n",
        dir.command()
            .args(["-E", "latin1", "-n", "-b", "-H", "café", "l1.txt"])
            .stdout()
    );
    eqnice!(
        "1:8:0:héllo wörld\n",
        dir.command()
            .args(["-E", "utf-16le", "-n", "-b", "--column", "wörld", "le.txt"])
            .stdout()
    );
    // Labels are WHATWG's, in any case, with surrounding spaces; utf-16 is UTF-16LE.
    eqnice!(
        "héllo wörld\n",
        dir.command()
            .args(["--encoding= UTF-16 ", "wörld", "le.txt"])
            .stdout()
    );
    // -o, -c, -v, -l, -r and context over transcoded text.
    eqnice!(
        "café olé\nX\nfoo café\n",
        dir.command()
            .args(["-E", "latin1", "-r", "X", "-C1", "plain", "l1.txt"])
            .stdout()
    );
    eqnice!(
        "1\n",
        dir.command()
            .args(["-E", "latin1", "-v", "-c", "café", "l1.txt"])
            .stdout()
    );
    eqnice!(
        "l1.txt\n",
        dir.command()
            .args(["-E", "latin1", "-l", "café", "l1.txt", "le.txt"])
            .stdout()
    );
    eqnice!(
        "café\ncafé\n",
        dir.command()
            .args(["-E", "latin1", "-o", "caf.", "l1.txt"])
            .stdout()
    );
}

#[test]
fn encoding_byte_order_marks_with_a_label() {
    let dir = encodings_dir("encoding_byte_order_marks_with_a_label");
    // A UTF-16 byte-order mark wins over the label.
    eqnice!(
        "1:héllo wörld\n",
        dir.command()
            .args(["-E", "latin1", "-n", "wörld", "be.txt"])
            .stdout()
    );
    // A UTF-8 one is dropped, and the rest is decoded with the label (ripgrep's reader).
    eqnice!(
        "0:cafÃ©\n",
        dir.command()
            .args(["-E", "latin1", "-b", "caf", "bom8.txt"])
            .stdout()
    );
    // -E utf-8 decodes too: invalid bytes become U+FFFD.
    eqnice!(
        "a\u{FFFD}b\n",
        dir.command()
            .args(["-E", "utf-8", "a.b", "bad8.txt"])
            .stdout()
    );
    let (out, _) = dir.command().args(["a.b", "bad8.txt"]).expect_raw(1);
    eqbytes!(b"", out);
}

#[test]
fn encoding_none_searches_the_raw_bytes() {
    let dir = encodings_dir("encoding_none_searches_the_raw_bytes");
    // auto drops the UTF-8 byte-order mark; none keeps it in the first line.
    eqnice!(
        "1\n",
        dir.command().args(["-c", "^caf", "bom8.txt"]).stdout()
    );
    dir.command()
        .args(["-E", "none", "-c", "^caf", "bom8.txt"])
        .expect_status(1);
    eqnice!(
        "0:\u{feff}café\n",
        dir.command()
            .args(["-E", "none", "-b", "caf", "bom8.txt"])
            .stdout()
    );
    // A UTF-16 file is not transcoded: its raw bytes are binary.
    eqnice!(
        "1:héllo wörld\n",
        dir.command().args(["-n", "wörld", "be.txt"]).stdout()
    );
    dir.command()
        .args(["-E", "none", "wörld", "be.txt"])
        .expect_status(1);
    let (out, _) = dir
        .command()
        .args(["-E", "none", "-a", "-c", "f", "be.txt"])
        .expect_raw(0);
    eqbytes!(b"1\n", out);
}

#[test]
fn encoding_flags_last_wins_and_every_label_is_checked() {
    let dir = encodings_dir("encoding_flags_last_wins");
    // --no-encoding after -E restores auto; -E after it wins.
    let count = ["-c", "--include-zero", "café", "l1.txt", "bom8.txt"];
    eqnice!(
        "l1.txt:0\nbom8.txt:1\n",
        dir.command()
            .args(["-E", "latin1", "--no-encoding"])
            .args(count)
            .stdout()
    );
    eqnice!(
        "l1.txt:2\nbom8.txt:0\n",
        dir.command()
            .args(["--no-encoding", "-E", "latin1"])
            .args(count)
            .stdout()
    );
    // An unknown label is an error even when a later flag undoes it (as in ripgrep).
    for args in [
        &["-E", "foo", "x", "l1.txt"][..],
        &["-E", "foo", "--no-encoding", "x", "l1.txt"],
        &["-E", "latin1", "--encoding=AUTO", "x", "l1.txt"],
        &["-E", "replacement", "x", "l1.txt"],
        &["-E", "", "x", "l1.txt"],
    ] {
        let (out, err) = dir.command().args(args).expect_err(2);
        eqnice!("", out);
        assert!(err.contains("unknown encoding"), "{args:?}: {err}");
    }
}

#[test]
fn encoding_json_stats_and_stdin() {
    let dir = encodings_dir("encoding_json_stats_and_stdin");
    let out = dir
        .command()
        .args(["--json", "-E", "utf-16le", "wörld", "le.txt"])
        .stdout();
    let lines: Vec<&str> = out.lines().collect();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"le.txt"},"lines":{"text":"héllo wörld\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"wörld"},"start":7,"end":13}]}}"#,
        lines[1]
    );
    // Bytes searched are the UTF-8 text's (18), not the file's (32).
    assert!(lines[2].contains(r#""bytes_searched":18,"#), "{}", lines[2]);
    let out = dir
        .command()
        .args(["--stats", "-E", "utf-16le", "-c", "foo", "le.txt"])
        .stdout();
    assert!(out.contains("\n18 bytes searched\n"), "{out}");
    // stdin is decoded too.
    eqnice!(
        "café olé\nfoo café\n",
        dir.command()
            .args(["-E", "latin1", "café"])
            .stdin(b"caf\xe9 ol\xe9\nplain\nfoo caf\xe9\n")
            .stdout()
    );
}

/// A NUL in the decoded text: binary rules apply to it, past ripgrep's first buffer fills,
/// whether the file is mapped, read, streamed or split into chunks elsewhere.
#[test]
fn encoding_binary_rules_apply_to_the_decoded_text() {
    let dir = Dir::new("encoding_binary_rules_apply_to_the_decoded_text");
    let mut text = "foo line\n".repeat(20000);
    text.push_str("x\0y\nfoo after\n");
    dir.create("d/nul.txt", utf16le(&text));
    // UTF-16 text without a byte-order mark is binary as raw bytes, text when decoded.
    dir.create("le.txt", utf16le("foo\n"));
    dir.command().args(["foo", "le.txt"]).expect_status(1);
    eqnice!(
        "foo\n",
        dir.command()
            .args(["-E", "utf-16le", "foo", "le.txt"])
            .stdout()
    );
    for extra in [
        &[][..],
        &["--mmap", "never", "--chunk-size", "4096"],
        &["--mmap", "always", "--chunk-size", "4096"],
        &["-j1"],
    ] {
        // Named: the NUL becomes a line end and the count goes on.
        eqnice!(
            "20001\n",
            dir.command()
                .args(extra)
                .args(["-E", "utf-16le", "-c", "foo", "d/nul.txt"])
                .stdout()
        );
        // Walked: the file stops where ripgrep's reader stops, and a count forgets it.
        dir.command()
            .args(extra)
            .args(["-E", "utf-16le", "-c", "foo", "d"])
            .expect_status(1);
        let out = dir
            .command()
            .args(extra)
            .args(["-E", "utf-16le", "-n", "foo", "d"])
            .stdout();
        assert_eq!(out.lines().count(), 19570, "{extra:?}");
        assert!(
            out.ends_with(
                "d/nul.txt:19569:foo line\nd/nul.txt: WARNING: stopped searching binary file \
                 after match (found \"\\0\" byte around offset 180001)\n"
            ),
            "{extra:?}"
        );
        let out = dir
            .command()
            .args(extra)
            .args(["-E", "utf-16le", "--stats", "-c", "foo", "d/nul.txt"])
            .stdout();
        assert!(
            out.contains("\n180014 bytes searched\n"),
            "{extra:?}: {out}"
        );
    }
    // -v -l on a walked file: ripgrep reads on past the answer and drops the file at the
    // NUL, except under --passthru (its line-by-line search stops at the answer).
    let mut first = "bar\n".to_string();
    first.push_str(&"foo\n".repeat(20000));
    first.push_str("x\0y\n");
    dir.create("d2/first.txt", utf16le(&first));
    dir.command()
        .args(["-E", "utf-16le", "-v", "-l", "foo", "d2"])
        .expect_status(1);
    eqnice!(
        "d2/first.txt\n",
        dir.command()
            .args(["-E", "utf-16le", "--passthru", "-v", "-l", "foo", "d2"])
            .stdout()
    );
}

/// A walked file holding a NUL after its first selected line, searched with -v -l and
/// --passthru: ripgrep's line-by-line search stops at the answer (no --passthru: it reads
/// on and drops the file), whatever the encoding.
#[test]
fn passthru_inverted_file_list_stops_at_the_answer() {
    let dir = Dir::new("passthru_inverted_file_list_stops_at_the_answer");
    dir.create("d/a.txt", b"\nfoo bar x\x00y\nfoo\n");
    dir.command()
        .args(["-v", "-l", "foo", "d"])
        .expect_status(1);
    eqnice!(
        "d/a.txt\n",
        dir.command()
            .args(["--passthru", "-v", "-l", "foo", "d"])
            .stdout()
    );
}

/// The UTF-16 path's pre-existing slip: a large named UTF-16 file streamed under
/// `--mmap never` kept the mapped-file binary rules of its raw bytes (NULs in its head),
/// so a matching line printed "binary file matches".
#[test]
fn utf16_file_streamed_without_maps_is_transcoded_text() {
    let dir = Dir::new("utf16_file_streamed_without_maps_is_transcoded_text");
    let mut data = b"\xff\xfe".to_vec();
    data.extend(utf16le(
        &(0..2000)
            .map(|i| format!("line {i} foo\n"))
            .collect::<String>(),
    ));
    dir.create("u16.txt", data);
    for extra in [&[][..], &["--mmap", "never", "--chunk-size", "4096"]] {
        eqnice!(
            "line 1999 foo\n",
            dir.command()
                .args(extra)
                .args(["line 1999", "u16.txt"])
                .stdout()
        );
    }
}

// ---- --in-place: only a file's own bytes are written --------------------------------------

#[test]
fn in_place_skips_a_utf8_byte_order_mark_as_the_search_does() {
    let dir = Dir::new("in_place_skips_a_utf8_byte_order_mark");
    dir.create("bom.txt", b"\xef\xbb\xbffoo bar\nfoo\n");
    eqnice!(
        "foo bar\nfoo\n",
        dir.command().args(["^foo", "bom.txt"]).stdout()
    );
    dir.command()
        .args(["-r", "FOO", "--in-place", "^foo", "bom.txt"])
        .expect_status(0);
    eqbytes!(b"\xef\xbb\xbfFOO bar\nFOO\n", dir.read("bom.txt"));
    // -E none: the byte-order mark is part of the first line, for the search and here.
    dir.command()
        .args(["-E", "none", "-r", "foo", "--in-place", "^FOO", "bom.txt"])
        .expect_status(0);
    eqbytes!(b"\xef\xbb\xbfFOO bar\nfoo\n", dir.read("bom.txt"));
    // A length mismatch on the first line is reported after the mark, as the search counts.
    let (_, err) = dir
        .command()
        .args(["-r", "F", "--in-place", "FOO", "bom.txt"])
        .expect_err(2);
    assert!(err.contains("bom.txt:1:1: match is 3 bytes"), "{err}");
}

#[test]
fn in_place_never_writes_a_transcoded_file() {
    let dir = Dir::new("in_place_never_writes_a_transcoded_file");
    let mut u16 = b"\xff\xfe".to_vec();
    u16.extend(utf16le("foo\nbar\n"));
    let mut quiet16 = b"\xff\xfe".to_vec();
    quiet16.extend(utf16le("zzz\n"));
    dir.create("u16.txt", &u16);
    dir.create("quiet16.txt", &quiet16);
    dir.create("a.txt", "plain foo\n");
    // The search finds foo in the UTF-16 file; --in-place refuses it (exit 2) and writes
    // the others. A UTF-16 file without a match is left alone without a word.
    let (_, err) = dir
        .command()
        .args(["-r", "XYZ", "--in-place", "foo", "."])
        .expect_err(2);
    assert!(
        err.contains("u16.txt: UTF-16 text (it starts with a byte-order mark): its matches are in text transcoded to UTF-8"),
        "{err}"
    );
    assert!(!err.contains("quiet16"), "{err}");
    eqbytes!(u16, dir.read("u16.txt"));
    eqbytes!(quiet16, dir.read("quiet16.txt"));
    eqbytes!(b"plain XYZ\n", dir.read("a.txt"));
    // -E none: its raw bytes are binary, as for the search.
    let (_, err) = dir
        .command()
        .args(["-E", "none", "-r", "X", "--in-place", "-a", "f", "u16.txt"])
        .expect_err(0);
    assert!(!err.contains("UTF-16"), "{err}");
    eqbytes!(
        b"\xff\xfeX\x00o\x00o\x00\n\x00b\x00a\x00r\x00\n\x00",
        dir.read("u16.txt")
    );
}

#[test]
fn in_place_with_a_label_writes_only_files_whose_text_is_their_bytes() {
    let dir = Dir::new("in_place_with_a_label_writes_only_files_whose_text_is_their_bytes");
    dir.create("l1.txt", b"caf\xe9 foo\n");
    dir.create("ascii.txt", "foo\n");
    dir.create("bom.txt", b"\xef\xbb\xbffoo\n");
    dir.create("none.txt", b"caf\xe9\n");
    let (_, err) = dir
        .command()
        .args(["-E", "latin1", "-r", "bar", "--in-place", "foo", "."])
        .expect_err(2);
    assert!(
        err.contains("l1.txt: decoded as windows-1252 (-E), its text is not its bytes"),
        "{err}"
    );
    assert!(!err.contains("none.txt"), "{err}");
    eqbytes!(b"caf\xe9 foo\n", dir.read("l1.txt"));
    eqbytes!(b"bar\n", dir.read("ascii.txt"));
    eqbytes!(b"\xef\xbb\xbfbar\n", dir.read("bom.txt"));
    // --dry-run refuses the same file.
    let (out, err) = dir
        .command()
        .args([
            "-E",
            "latin1",
            "-r",
            "FOO",
            "--in-place",
            "--dry-run",
            "foo",
            ".",
        ])
        .expect_err(2);
    assert!(err.contains("l1.txt: decoded as windows-1252"), "{err}");
    assert!(out.is_empty(), "{out}");
    // Valid UTF-8 under -E utf-8 is its own bytes.
    dir.create("u8.txt", "café foo\n");
    dir.command()
        .args(["-E", "utf-8", "-r", "bar", "--in-place", "foo", "u8.txt"])
        .expect_status(0);
    eqbytes!("café bar\n".as_bytes(), dir.read("u8.txt"));
}
