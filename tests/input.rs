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
        err.contains(
            "u16.txt: UTF-16 text (it starts with a byte-order mark), searched transcoded to \
             UTF-8: --in-place writes only a file's own bytes: not replaced"
        ),
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

// ---- -z/--search-zip --------------------------------------------------------------------

/// Whether `tool` is on PATH. Off CI a missing one skips the test (with a note); CI
/// installs gzip, xz and bzip2 (`.ci/run`), so there a missing one fails.
fn have(tool: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is missing: .ci/run installs it"
        );
        eprintln!("NOT RUN: {tool} is not installed");
    }
    found
}

/// Compresses `text` with `tool` (gzip, xz, bzip2).
fn compress(tool: &str, text: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = std::process::Command::new(tool)
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let text = text.to_vec();
    let t = std::thread::spawn(move || stdin.write_all(&text).unwrap());
    let out = child.wait_with_output().unwrap();
    t.join().unwrap();
    assert!(out.status.success());
    out.stdout
}

const ZTEXT: &[u8] = b"foo one\nbar\nfoo two\n";

fn zip_dir(name: &str) -> Option<Dir> {
    if !(have("gzip") && have("xz") && have("bzip2")) {
        return None;
    }
    let dir = Dir::new(name);
    dir.create("z.txt", ZTEXT);
    dir.create("z.txt.gz", compress("gzip", ZTEXT));
    dir.create("z.txt.xz", compress("xz", ZTEXT));
    dir.create("z.txt.bz2", compress("bzip2", ZTEXT));
    let gz = compress("gzip", ZTEXT);
    dir.create("trunc.gz", &gz[..30]);
    dir.create("fake.gz", "not gzip foo\n");
    Some(dir)
}

#[test]
fn search_zip_searches_the_decompressed_text() {
    let Some(dir) = zip_dir("search_zip_searches_the_decompressed_text") else {
        return;
    };
    eqnice!(
        "z.txt.gz:foo one\nz.txt.gz:foo two\nz.txt.xz:foo one\nz.txt.xz:foo two\n\
         z.txt.bz2:foo one\nz.txt.bz2:foo two\nz.txt:foo one\nz.txt:foo two\n",
        dir.command()
            .args(["-z", "foo", "z.txt.gz", "z.txt.xz", "z.txt.bz2", "z.txt"])
            .stdout()
    );
    eqnice!(
        "3:5:12:foo two\n",
        dir.command()
            .args(["--search-zip", "-n", "-b", "--column", "two", "z.txt.xz"])
            .stdout()
    );
    eqnice!(
        "2\n",
        dir.command().args(["-z", "-c", "foo", "z.txt.gz"]).stdout()
    );
    eqnice!(
        "1\n",
        dir.command()
            .args(["-z", "-v", "-c", "foo", "z.txt.gz"])
            .stdout()
    );
    eqnice!(
        "bar\nfoo two\n",
        dir.command()
            .args(["-z", "-B1", "two", "z.txt.gz"])
            .stdout()
    );
    // Without -z the compressed bytes are searched; --no-search-zip undoes -z.
    dir.command().args(["foo", "z.txt.gz"]).expect_status(1);
    dir.command()
        .args(["-z", "--no-search-zip", "foo", "z.txt.gz"])
        .expect_status(1);
    // The path is the file's; bytes searched are the decompressed text's.
    let out = dir
        .command()
        .args(["-z", "--json", "two", "z.txt.gz"])
        .stdout();
    let lines: Vec<&str> = out.lines().collect();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"z.txt.gz"},"lines":{"text":"foo two\n"},"line_number":3,"absolute_offset":12,"submatches":[{"match":{"text":"two"},"start":4,"end":7}]}}"#,
        lines[1]
    );
    assert!(lines[2].contains(r#""bytes_searched":20,"#), "{}", lines[2]);
    let out = dir
        .command()
        .args(["-z", "--stats", "-c", "foo", "z.txt.gz"])
        .stdout();
    assert!(out.contains("\n20 bytes searched\n"), "{out}");
    // stdin is never decompressed.
    dir.command()
        .args(["-z", "-c", "foo"])
        .stdin(compress("gzip", ZTEXT))
        .expect_status(1);
}

#[test]
fn search_zip_in_a_walk_follows_the_readers_binary_rules() {
    let Some(dir) = zip_dir("search_zip_in_a_walk") else {
        return;
    };
    let mut text = b"foo one\n".to_vec();
    text.extend(std::iter::repeat_n(b'x', 100_000));
    // The NUL before the line end: the read that ends the long line's fill holds it, however
    // the pipe splits the output.
    text.extend_from_slice(b"\0\nfoo 2\n\nfoo 3\n");
    dir.create("d/nul.gz", compress("gzip", &text));
    dir.create("d/a.gz", compress("gzip", ZTEXT));
    dir.create("d/b.txt", "foo plain\n");
    // Walked: a count forgets the file with a NUL; lines before its fill still print.
    eqnice!(
        "d/a.gz:2\nd/b.txt:1\n",
        dir.command().args(["-z", "-c", "foo", "d"]).stdout()
    );
    eqnice!(
        "d/a.gz:1:foo one\nd/a.gz:3:foo two\nd/b.txt:1:foo plain\nd/nul.gz:1:foo one\n\
         d/nul.gz: WARNING: stopped searching binary file after match (found \"\\0\" byte \
         around offset 100008)\n",
        dir.command().args(["-z", "-n", "foo", "d"]).stdout()
    );
    // Named: the reader's rules for a named file (not a mapped file's).
    eqnice!(
        "foo one\nbinary file matches (found \"\\0\" byte around offset 100008)\n",
        dir.command().args(["-z", "foo", "d/nul.gz"]).stdout()
    );
    eqnice!(
        "3\n",
        dir.command().args(["-z", "-c", "foo", "d/nul.gz"]).stdout()
    );
}

#[test]
fn search_zip_reports_a_failing_decompressor_after_its_lines() {
    let Some(dir) = zip_dir("search_zip_reports_a_failing_decompressor") else {
        return;
    };
    let div = "-".repeat(79);
    let (out, err) = dir.command().args(["-z", "foo", "trunc.gz"]).expect_err(2);
    eqnice!("foo one\nfoo two\n", out);
    eqnice!(
        format!("mmgrep: trunc.gz: \n{div}\ngzip: trunc.gz: unexpected end of file\n{div}\n"),
        err
    );
    // A count is never printed; --json has the matches, no end, and counts nothing.
    let (out, _) = dir
        .command()
        .args(["-z", "-c", "foo", "trunc.gz"])
        .expect_err(2);
    eqnice!("", out);
    let (out, _) = dir
        .command()
        .args(["-z", "--json", "foo", "trunc.gz"])
        .expect_err(2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with(r#"{"type":"begin""#), "{out}");
    assert!(lines[2].starts_with(r#"{"type":"match""#), "{out}");
    assert!(lines[3].contains(r#""searches":0,"#), "{out}");
    let (out, err) = dir
        .command()
        .args(["-z", "foo", "fake.gz", "z.txt.gz"])
        .expect_err(2);
    eqnice!("z.txt.gz:foo one\nz.txt.gz:foo two\n", out);
    eqnice!(
        format!("mmgrep: fake.gz: \n{div}\ngzip: fake.gz: not in gzip format\n{div}\n"),
        err
    );
    // A decompressor that cannot be started: the file's own bytes, without a word (checked
    // by hand against ripgrep: the shim cannot run without PATH).
    let (out, err) = dir
        .command()
        .env("PATH", "/nonexistent")
        .args(["-z", "-c", "foo", "fake.gz", "z.txt.gz"])
        .expect_err(0);
    eqnice!("fake.gz:1\n", out);
    eqnice!("", err);
}

#[test]
fn search_zip_in_place_never_writes_a_compressed_file() {
    let Some(dir) = zip_dir("search_zip_in_place_never_writes_a_compressed_file") else {
        return;
    };
    let gz = dir.read("z.txt.gz");
    dir.create("quiet.gz", compress("gzip", b"bar\n"));
    let (_, err) = dir
        .command()
        .args([
            "-z",
            "-r",
            "XYZ",
            "--in-place",
            "two",
            "z.txt",
            "z.txt.gz",
            "quiet.gz",
        ])
        .expect_err(2);
    assert!(
        err.contains(
            "z.txt.gz: searched as the output of gzip -d -c (-z): --in-place writes only a \
             file's own bytes: not replaced"
        ),
        "{err}"
    );
    assert!(!err.contains("quiet.gz"), "{err}");
    eqbytes!(gz, dir.read("z.txt.gz"));
    eqbytes!(b"foo one\nbar\nfoo XYZ\n", dir.read("z.txt"));
    // The decompressor's failure is the file's error, as in the search.
    let (_, err) = dir
        .command()
        .args(["-z", "-r", "XYZ", "--in-place", "foo", "fake.gz"])
        .expect_err(2);
    assert!(err.contains("gzip: fake.gz: not in gzip format"), "{err}");
    eqbytes!(b"not gzip foo\n", dir.read("fake.gz"));
    // No decompressor to start: the file's own bytes are searched, and replaced.
    dir.command()
        .env("PATH", "/nonexistent")
        .args(["-z", "-r", "bar", "--in-place", "foo", "fake.gz"])
        .expect_status(0);
    eqbytes!(b"not gzip bar\n", dir.read("fake.gz"));
}

// ---- --pre and --pre-glob -----------------------------------------------------------------

/// A directory with a preprocessor script: it upper-cases its stdin, except for paths with
/// "fail" (a message, exit 3) or "quiet" (exit 4 without a word).
fn pre_dir(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create(
        "pre.sh",
        "#!/bin/sh\ncase \"$1\" in\n  *fail*) echo \"cannot convert $1\" >&2; exit 3;;\n  \
         *quiet*) exit 4;;\n  *) tr a-z A-Z;;\nesac\n",
    );
    dir.chmod("pre.sh", 0o755);
    dir.create("show.sh", "#!/bin/sh\necho \"arg=$1\"\n");
    dir.chmod("show.sh", 0o755);
    dir.create("a.txt", "foo one\nbar\n");
    dir.create("fail.txt", "foo\n");
    dir.create("quiet.txt", "foo\n");
    dir.create("sub/b.md", "foo md\n");
    dir
}

#[test]
fn pre_searches_the_commands_output() {
    let dir = pre_dir("pre_searches_the_commands_output");
    eqnice!(
        "1:FOO ONE\n",
        dir.command()
            .args(["--pre", "./pre.sh", "-n", "FOO", "a.txt"])
            .stdout()
    );
    // The file is the command's stdin and its path the one argument, as the walk names it.
    eqnice!(
        "a.txt:arg=a.txt\nsub/b.md:arg=sub/b.md\n",
        dir.command()
            .args([
                "--pre",
                "./show.sh",
                "-g",
                "!*.sh",
                "-g",
                "!*il.txt",
                "-g",
                "!q*"
            ])
            .args(["arg"])
            .stdout()
    );
    eqnice!(
        "arg=./sub/b.md\n",
        dir.command()
            .args(["--pre", "./show.sh", "arg", "./sub/b.md"])
            .stdout()
    );
    // --pre-glob: only the files it selects (gitignore globs; ! excludes).
    eqnice!(
        "a.txt:foo one\nsub/b.md:FOO MD\n",
        dir.command()
            .args(["--pre", "./pre.sh", "--pre-glob", "*.md", "-i", "foo"])
            .args(["a.txt", "sub/b.md"])
            .stdout()
    );
    eqnice!(
        "a.txt:FOO ONE\nsub/b.md:foo md\n",
        dir.command()
            .args(["--pre", "./pre.sh", "--pre-glob", "!*.md", "-i", "foo"])
            .args(["a.txt", "sub/b.md"])
            .stdout()
    );
    // stdin is never preprocessed; an empty COMMAND and --no-pre turn it off.
    eqnice!(
        "foo\n",
        dir.command()
            .args(["--pre", "./pre.sh", "foo"])
            .stdin("foo\n")
            .stdout()
    );
    for off in [&["--pre", ""][..], &["--no-pre"]] {
        eqnice!(
            "foo one\n",
            dir.command()
                .args(["--pre", "./pre.sh"])
                .args(off)
                .args(["foo", "a.txt"])
                .stdout()
        );
    }
    // The last of --pre and -z wins.
    eqnice!(
        "foo one\n",
        dir.command()
            .args(["--pre", "./pre.sh", "-z", "foo", "a.txt"])
            .stdout()
    );
    // --json names the file; bytes searched are the output's.
    let out = dir
        .command()
        .args(["--pre", "./show.sh", "--stats", "-c", "arg", "a.txt"])
        .stdout();
    assert!(out.contains("\n10 bytes searched\n"), "{out}");
    // A bad --pre-glob is an error, as a bad -g is.
    let (_, err) = dir
        .command()
        .args(["--pre", "./pre.sh", "--pre-glob", "[", "foo", "a.txt"])
        .expect_err(2);
    assert!(err.contains("error parsing glob '['"), "{err}");
}

#[test]
fn pre_reports_a_command_that_fails_or_cannot_start() {
    let dir = pre_dir("pre_reports_a_command_that_fails_or_cannot_start");
    let div = "-".repeat(79);
    let (out, err) = dir
        .command()
        .args(["--pre", "./pre.sh", "FOO", "fail.txt", "a.txt"])
        .expect_err(2);
    eqnice!("a.txt:FOO ONE\n", out);
    eqnice!(
        format!(
            "mmgrep: fail.txt: preprocessor command failed: '\"./pre.sh\" \"fail.txt\"': \
             \n{div}\ncannot convert fail.txt\n{div}\n"
        ),
        err
    );
    let (_, err) = dir
        .command()
        .args(["--pre", "./pre.sh", "FOO", "quiet.txt"])
        .expect_err(2);
    eqnice!(
        "mmgrep: quiet.txt: preprocessor command failed: '\"./pre.sh\" \"quiet.txt\"': \
         <stderr is empty>\n",
        err
    );
    let (_, err) = dir
        .command()
        .args(["--pre", "./nope", "FOO", "a.txt"])
        .expect_err(2);
    eqnice!(
        "mmgrep: a.txt: preprocessor command could not start: '\"./nope\" \"a.txt\"': No such \
         file or directory (os error 2)\n",
        err
    );
}

#[test]
fn pre_in_place_never_writes_a_preprocessed_file() {
    let dir = pre_dir("pre_in_place_never_writes_a_preprocessed_file");
    let (_, err) = dir
        .command()
        .args(["--pre", "./pre.sh", "--pre-glob", "*.md", "-i", "-r", "BAZ"])
        .args(["--in-place", "foo", "a.txt", "sub/b.md"])
        .expect_err(2);
    assert!(
        err.contains(
            "sub/b.md: searched as the output of --pre ./pre.sh: --in-place writes only a \
             file's own bytes: not replaced"
        ),
        "{err}"
    );
    eqbytes!(b"BAZ one\nbar\n", dir.read("a.txt"));
    eqbytes!(b"foo md\n", dir.read("sub/b.md"));
}

/// A walked file with a UTF-8 byte-order mark and a NUL in its first buffer: ripgrep's
/// peek takes the mark, its first read fills the buffer with the rest, NUL included, and the
/// file prints nothing. mmgrep replayed a 3-byte first read over the rest and printed the
/// lines before the NUL.
#[test]
fn utf8_bom_file_with_an_early_nul_stops_where_ripgrep_stops() {
    let dir = Dir::new("utf8_bom_file_with_an_early_nul_stops_where_ripgrep_stops");
    dir.create("d/f.txt", b"\xef\xbb\xbf\n\nfoo\x00bar\n");
    dir.command().args(["-n", "^", "d"]).expect_status(1);
    eqnice!(
        "binary file matches (found \"\\0\" byte around offset 5)\n",
        dir.command().args(["-n", "", "d/f.txt"]).stdout()
    );
}
