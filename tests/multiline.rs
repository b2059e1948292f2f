//! -U/--multiline and --multiline-dotall. Expected bytes are ripgrep 15.2's
//! (`rg --sort path -U ARGS`, stdout a pipe).

use crate::util::Dir;

/// Nine lines, the last without a line end.
const ML: &str = "alpha one\nbeta two\ngamma three\nfoo\nbar\nbaz\nfoo end\nbar again\nlast line";

fn ml_dir(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("ml.txt", ML);
    dir
}

/// Matches widened to their lines; matches on adjacent lines make one block, each line printed with its own number and offset, and the column of the block's first match.
#[test]
fn multiline_blocks() {
    let dir = ml_dir("multiline_blocks");
    eqnice!(
        "4:foo\n5:bar\n",
        dir.command()
            .args(["-U", "-n", "foo\nbar", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "4:3:foo\n5:3:bar\n",
        dir.command()
            .args(["-U", "-n", "--column", "o\nb", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "4:31:foo\n5:35:bar\n",
        dir.command()
            .args(["-U", "-b", "-n", "o\nb", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "4:foo\n5:bar\n",
        dir.command()
            .args(["-U", "-n", "o\nb|a\nb", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "1:alpha one\n2:beta two\n3:gamma three\n4:foo\n5:bar\n6:baz\n7:foo end\n8:bar again\n9:last line\n",
        dir.command().args(["-U", "-n", "\\s+", "ml.txt"]).stdout()
    );
}

/// -c and --count-matches both count matches under -U (ripgrep's summary printer), -v counts lines; -l and --files-without-match.
#[test]
fn multiline_counts() {
    let dir = ml_dir("multiline_counts");
    eqnice!(
        "1\n",
        dir.command().args(["-U", "-c", "o\nb", "ml.txt"]).stdout()
    );
    eqnice!(
        "8\n",
        dir.command()
            .args(["-U", "--count-matches", "\n", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "7\n",
        dir.command()
            .args(["-U", "-c", "-v", "foo\nbar", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "8\n",
        dir.command().args(["-U", "-c", "\\n", "ml.txt"]).stdout()
    );
    eqnice!(
        "ml.txt\n",
        dir.command().args(["-U", "-l", "o\nb", "ml.txt"]).stdout()
    );
    eqnice!(
        "",
        dir.command()
            .args(["-U", "--files-without-match", "o\nb", "ml.txt"])
            .expect_status(1)
    );
}

/// -o prints each match's part of each line, with the match's offset and block column; --vimgrep one line per match.
#[test]
fn multiline_only() {
    let dir = ml_dir("multiline_only");
    eqnice!(
        "1:e\n2:b\n2:o\n3:g\n3:e\n4:f\n4:o\n5:b\n5:r\n6:b\n6:z\n7:f\n7:d\n8:b\n8:n\n9:l\n",
        dir.command()
            .args(["-U", "-o", "-n", "[a-z]\n[a-z]", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "ml.txt:1:9:alpha one\nml.txt:3:11:gamma three\n",
        dir.command()
            .args(["-U", "--vimgrep", "e\n[a-z]+", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "4:a o\n13:a t\n23:a t\n",
        dir.command()
            .args(["-U", "-o", "-b", "a\\s+\\w", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "ml.txt:1:5:alpha one\nml.txt:2:4:beta two\nml.txt:3:5:gamma three\n",
        dir.command()
            .args(["-U", "--vimgrep", "a\\s+\\w", "ml.txt"])
            .stdout()
    );
}

/// Context, -v, --passthru and -m (which counts matches, not blocks).
#[test]
fn multiline_context() {
    let dir = ml_dir("multiline_context");
    eqnice!(
        "2-beta two\n3-gamma three\n4:foo\n5:bar\n6-baz\n",
        dir.command()
            .args(["-U", "-n", "-B2", "-A1", "foo\nbar", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "1:alpha one\n2-beta two\n3:gamma three\n4-foo\n",
        dir.command()
            .args(["-U", "-n", "-C1", "e\n", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "1:alpha one\n2:beta two\n3:gamma three\n6:baz\n7:foo end\n8:bar again\n9:last line\n",
        dir.command()
            .args(["-U", "-n", "-v", "foo\nbar", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "1-alpha one\n2-beta two\n3-gamma three\n4:foo\n5:bar\n6-baz\n7-foo end\n8-bar again\n9-last line\n",
        dir.command()
            .args(["-U", "-n", "--passthru", "foo\nbar", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "1:alpha one\n2:beta two\n3-gamma three\n",
        dir.command()
            .args(["-U", "-n", "-A1", "-m1", "\n[a-z]", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "4:foo\n5:bar\n",
        dir.command()
            .args(["-U", "-n", "-m1", "o\nb", "ml.txt"])
            .stdout()
    );
}

/// -r replaces across line ends: the replaced block is printed line by line.
#[test]
fn multiline_replace() {
    let dir = ml_dir("multiline_replace");
    eqnice!(
        "4:foXar\n",
        dir.command()
            .args(["-U", "-n", "-r", "X", "o\nb", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "foo<ar\n",
        dir.command()
            .args(["-U", "-r", "$1<", "(o)\nb", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "[e\nb]\n[e\nf]\n",
        dir.command()
            .args(["-U", "-o", "-r", "[$0]", "e\n\\w", "ml.txt"])
            .stdout()
    );
}

/// Colour: each line's part of a match is coloured on its own.
#[test]
fn multiline_color() {
    let dir = ml_dir("multiline_color");
    eqnice!(
        "\x1b[0m\x1b[32m4\x1b[0m:fo\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\n\x1b[0m\x1b[32m5\x1b[0m:\x1b[0m\x1b[1m\x1b[31mb\x1b[0mar\n",
        dir.command()
            .args(["-U", "--color", "always", "-n", "o\nb", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\n\x1b[0m\x1b[1m\x1b[31mb\x1b[0m\n",
        dir.command()
            .args(["-U", "--color", "always", "-o", "o\nb", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[32m4\x1b[0m:\x1b[0m1\x1b[0m:\x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\n\x1b[0m\x1b[32m5\x1b[0m:\x1b[0m1\x1b[0m:\x1b[0m\x1b[1m\x1b[31mbar\x1b[0m\n\x1b[0m\x1b[32m6\x1b[0m:\x1b[0m1\x1b[0m:\x1b[0m\x1b[1m\x1b[31mbaz\x1b[0m\n",
        dir.command()
            .args([
                "-U",
                "--color",
                "always",
                "--column",
                "-n",
                "foo\nbar\nbaz",
                "ml.txt"
            ])
            .stdout()
    );
}

/// `.` matches a line break only with --multiline-dotall; the last of each flag and its negation wins.
#[test]
fn multiline_dotall() {
    let dir = ml_dir("multiline_dotall");
    eqnice!(
        "4:foo\n5:bar\n",
        dir.command()
            .args(["-U", "-n", "--multiline-dotall", "foo.bar", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "",
        dir.command()
            .args(["-U", "-n", "foo.bar", "ml.txt"])
            .expect_status(1)
    );
    eqnice!(
        "",
        dir.command()
            .args([
                "-U",
                "-n",
                "--multiline-dotall",
                "--no-multiline-dotall",
                "foo.bar",
                "ml.txt"
            ])
            .expect_status(1)
    );
    eqnice!(
        "4:foo\n5:bar\n",
        dir.command()
            .args(["-U", "-n", "--no-multiline", "-U", "foo\\nbar", "ml.txt"])
            .stdout()
    );
}

/// A NUL stops a named file's printing where a block holds it ("binary file matches"),
/// and a walked file with one in its first 64 KiB is skipped; a NUL on a line of its own
/// past the head is not in any block, so every block prints. -a searches it as text.
#[test]
fn multiline_binary_data() {
    let dir = Dir::new("multiline_binary_data");
    dir.create("bin.dat", "one\nfoo\nbar\n\0tail\nfoo\nbar\n");
    dir.create_dir("w");
    dir.create("w/bin.dat", "one\nfoo\nbar\n\0tail\nfoo\nbar\n");
    let late = format!("{}\nfoo\nbar\n\0\nfoo\nbar\n", "x".repeat(70000));
    dir.create("w/late.dat", &late);
    eqnice!(
        "binary file matches (found \"\\0\" byte around offset 12)\n",
        dir.command()
            .args(["-U", "-n", "foo\nbar", "bin.dat"])
            .stdout()
    );
    eqnice!(
        "2\n",
        dir.command()
            .args(["-U", "-c", "foo\nbar", "bin.dat"])
            .stdout()
    );
    eqnice!(
        "w/late.dat:2:foo\nw/late.dat:3:bar\nw/late.dat:5:foo\nw/late.dat:6:bar\n",
        dir.command().args(["-U", "-n", "foo\nbar", "w"]).stdout()
    );
    eqnice!(
        "3:bar\n4:\0tail\n",
        dir.command()
            .args(["-U", "-n", "-a", "r\\n\\x00t", "bin.dat"])
            .stdout()
    );
}

/// stdin, a UTF-16 file (transcoded whole) and a file larger than a chunk: each is one
/// haystack, so a match across a chunk border is found.
#[test]
fn multiline_stdin_utf16_and_large_files() {
    let dir = Dir::new("multiline_stdin_utf16_and_large_files");
    eqnice!(
        "2:bar\n3:baz\n",
        dir.command()
            .args(["-U", "-n", "bar\nbaz"])
            .stdin("foo\nbar\nbaz\n")
            .stdout()
    );
    let mut u16 = vec![0xFF, 0xFE];
    for u in "foo\nbar\n".encode_utf16() {
        u16.extend_from_slice(&u.to_le_bytes());
    }
    dir.create("u16.txt", &u16);
    eqnice!(
        "1:foo\n2:bar\n",
        dir.command()
            .args(["-U", "-n", "foo\nbar", "u16.txt"])
            .stdout()
    );
    // A line break at offset 8191, across the border of 4 KiB chunks and of 8 KiB ones.
    let big = format!("{}x\nyz\n{}", "a".repeat(8190), "b\n".repeat(20000));
    dir.create("big.txt", &big);
    for chunk in ["4096", "8192"] {
        eqnice!(
            "1:8190:x\n2:8190:y\n",
            dir.command()
                .args([
                    "-U",
                    "-n",
                    "-o",
                    "-b",
                    "--chunk-size",
                    chunk,
                    "x\ny",
                    "big.txt"
                ])
                .stdout()
        );
    }
}

/// A pattern that needs a line break is refused without -U, with advice naming it; under
/// -U a pattern that cannot match one is searched line by line as before. --in-place and
/// --reverse, which work line by line, refuse patterns that can cross lines.
#[test]
fn multiline_errors_and_line_patterns() {
    let dir = ml_dir("multiline_errors_and_line_patterns");
    let (out, err) = dir.command().args(["foo\\nbar", "ml.txt"]).expect_err(2);
    eqnice!("", out);
    assert!(err.contains("-U"), "stderr: {err}");
    eqnice!(
        "4:foo\n7:foo end\n",
        dir.command().args(["-U", "-n", "foo", "ml.txt"]).stdout()
    );
    for flag in ["--in-place", "--reverse"] {
        let mut cmd = dir.command();
        cmd.args(["-U", "o\\nb", flag]);
        if flag == "--in-place" {
            cmd.args(["-r", "xy"]);
        }
        let (out, err) = cmd.arg("ml.txt").expect_err(2);
        eqnice!("", out);
        assert!(err.contains(flag) && err.contains("-U"), "stderr: {err}");
    }
    eqnice!(ML, String::from_utf8(dir.read("ml.txt")).unwrap());
    // -m0 ends the run before the patterns are compiled (ripgrep): no error, exit 1.
    for pat in ["foo\\nbar", "("] {
        eqnice!(
            "",
            dir.command().args(["-m0", pat, "ml.txt"]).expect_status(1)
        );
    }
}

/// Under -v, a context line's matches are found in the line alone, its line end included
/// (ripgrep's printer), so `-r` can replace that line end; an -o search whose matches are
/// all line ends prints nothing, and a file separator follows only bytes written before;
/// --vimgrep with -M goes on to a match's next line after a line too long to print, and
/// measures lines without their line end.
#[test]
fn multiline_printer_corners() {
    let dir = Dir::new("multiline_printer_corners");
    dir.create("v.txt", "x\nfoo   ab\n \n");
    dir.create("v2.txt", "foo   ab\n ");
    dir.create_dir("d");
    dir.create("d/a.txt", "\nab x\n");
    dir.create("d/b.txt", "\n");
    dir.create("m.txt", "b bar foo\r\n \r\nab bar\r\na b\r\na \u{e9}\r\n");
    eqnice!(
        "1-foo   XbX\n2: \n",
        dir.command()
            .args(["-U", "-n", "-C1", "-v", "-r", "X", "(a|\n)+", "v2.txt"])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[32m2\x1b[0m-foo   ab\n\x1b[0m\x1b[32m3\x1b[0m: \n",
        dir.command()
            .args([
                "-U",
                "-n",
                "-C1",
                "-v",
                "--color",
                "always",
                "(\\w)\n(\\w)",
                "v.txt"
            ])
            .stdout()
    );
    eqnice!(
        "",
        dir.command()
            .args(["-U", "-o", "-b", "-H", "\n+", "d/a.txt", "d/b.txt"])
            .stdout()
    );
    // Past -m1 under -v the rest is selected, and its line ends are matches to replace.
    dir.create("e.txt", " \n\n\n b\n");
    eqnice!(
        "X\nX\n bX\n",
        dir.command()
            .args(["-U", "-m1", "-v", "-r", "X", "\n", "e.txt"])
            .stdout()
    );
    eqnice!(
        "d/a.txt:4:x\n--\n",
        dir.command()
            .args([
                "-U",
                "-o",
                "-b",
                "-C1",
                "-H",
                "(?m)^\n|x",
                "d/a.txt",
                "d/b.txt"
            ])
            .stdout()
    );
    eqnice!(
        "m.txt:1:4:[Omitted long line with 7 matches]\nm.txt:1:11:[Omitted long line with 7 matches]\nm.txt:2:3: \r\nm.txt:3:5:[Omitted long line with 7 matches]\nm.txt:3:8:[Omitted long line with 7 matches]\nm.txt:4:1:a b\r\nm.txt:4:5:a b\r\nm.txt:5:6:a \u{e9}\r\n",
        dir.command()
            .args([
                "-U",
                "--multiline-dotall",
                "-M",
                "5",
                "--vimgrep",
                "(a|\n)+",
                "m.txt"
            ])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[35mm.txt\x1b[0m:\x1b[0m\x1b[32m1\x1b[0m:\x1b[0m4\x1b[0m:b b\x1b[0m\x1b[1m\x1b[31ma\x1b[0mr [... 0 more matches]\n\x1b[0m\x1b[35mm.txt\x1b[0m:\x1b[0m\x1b[32m1\x1b[0m:\x1b[0m11\x1b[0m:b bar [... 0 more matches]\n\x1b[0m\x1b[35mm.txt\x1b[0m:\x1b[0m\x1b[32m2\x1b[0m:\x1b[0m3\x1b[0m: \r\n\x1b[0m\x1b[35mm.txt\x1b[0m:\x1b[0m\x1b[32m3\x1b[0m:\x1b[0m5\x1b[0m:ab b\x1b[0m\x1b[1m\x1b[31ma\x1b[0m [... 0 more matches]\n\x1b[0m\x1b[35mm.txt\x1b[0m:\x1b[0m\x1b[32m3\x1b[0m:\x1b[0m8\x1b[0m:ab ba [... 0 more matches]\n\x1b[0m\x1b[35mm.txt\x1b[0m:\x1b[0m\x1b[32m4\x1b[0m:\x1b[0m1\x1b[0m:\x1b[0m\x1b[1m\x1b[31ma\x1b[0m b\r\n\x1b[0m\x1b[35mm.txt\x1b[0m:\x1b[0m\x1b[32m4\x1b[0m:\x1b[0m5\x1b[0m:a b\r\n\x1b[0m\x1b[35mm.txt\x1b[0m:\x1b[0m\x1b[32m5\x1b[0m:\x1b[0m6\x1b[0m:a \u{e9}\r\n",
        dir.command()
            .args([
                "-U",
                "--multiline-dotall",
                "-M",
                "5",
                "--max-columns-preview"
            ])
            .args(["--color", "always", "--vimgrep", "(a|\n)+", "m.txt"])
            .stdout()
    );
}

/// -U with -P: PCRE2 searches the whole file (ripgrep cannot tell whether a PCRE2 pattern
/// can match a line break, so it always does under -U): look-behind across a line end,
/// groups replaced across lines, `.` matching `\n` only with --multiline-dotall.
#[test]
fn multiline_with_pcre2() {
    let dir = ml_dir("multiline_with_pcre2");
    eqnice!(
        "4:foo\n5:bar\n",
        dir.command()
            .args(["-P", "-U", "-n", "(?<=o)\nb", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "1:alpha on<be>eta tw<go>amma thre<fe>o<bo>a<br>a<fz>oo en<bd>ar agai<ln>ast line\n",
        dir.command()
            .args(["-P", "-U", "-r", "<$2$1>", "-n", "(\\w)\n(\\w)", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "",
        dir.command()
            .args(["-P", "-U", "-n", "foo.bar", "ml.txt"])
            .expect_status(1)
    );
    eqnice!(
        "4:foo\n5:bar\n",
        dir.command()
            .args(["-P", "-U", "--multiline-dotall", "-n", "foo.bar", "ml.txt"])
            .stdout()
    );
    eqnice!(
        "8\n",
        dir.command()
            .args(["-P", "-U", "-c", "\\n", "ml.txt"])
            .stdout()
    );
    // A -U search with a line pattern still matches line by line.
    eqnice!(
        "4:foo\n7:foo end\n",
        dir.command()
            .args(["-P", "-U", "-n", "foo", "ml.txt"])
            .stdout()
    );
}

/// Under -U, -c prints the matches while --stats counts the lines the matches touch (its
/// "matched lines"), as ripgrep's summary printer does (ripgrep's bytes, times dropped).
#[test]
fn multiline_count_and_stats_lines() {
    let dir = ml_dir("multiline_count_and_stats_lines");
    let out = dir
        .command()
        .args(["-U", "-c", "--stats", "foo\nbar", "ml.txt"])
        .stdout();
    let untimed: String = out
        .lines()
        .filter(|l| !l.contains("seconds"))
        .map(|l| format!("{l}\n"))
        .collect();
    eqnice!(
        "1\n\n1 matches\n2 matched lines\n1 files contained matches\n1 files searched\n0 bytes printed\n70 bytes searched\n",
        untimed
    );
}
