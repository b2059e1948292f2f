//! The standard printer's line shaping: -M/--max-columns with and without
//! --max-columns-preview, --trim, -p/--pretty, --field-match-separator and
//! --field-context-separator. Expected bytes are ripgrep 15.2's for the same files (stdout a
//! pipe); each test fails if its flag were ignored.

use crate::util::Dir;

/// Lines 2-5 match `foo` (two on line 2, columns 3 and 11; line 5 at column 13, after a tab,
/// three two-byte lambdas, and ending in an `e` with two combining accents). Line 6 is three
/// spaces.
const F: &str = "abc\n  foo bar foo\nxfoox\nfoo\n\tlam λλλ foo e\u{301}\u{301}x\n   \nzz\n";

/// Colour escapes as ripgrep writes them.
const M: &str = "\x1b[0m\x1b[1m\x1b[31m";
const R: &str = "\x1b[0m";
const LN: &str = "\x1b[0m\x1b[32m";
const PATH: &str = "\x1b[0m\x1b[35m";

fn f(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("f.txt", F);
    dir
}

fn run(dir: &Dir, args: &[&str]) -> String {
    dir.command().args(args).stdout()
}

// ---- -M/--max-columns ---------------------------------------------------------------------

#[test]
fn max_columns_omits_long_lines() {
    let dir = f("max_columns_omits_long_lines");
    // Without per-match work, a long line is a "matching line" note.
    eqnice!(
        "[Omitted long matching line]\n[Omitted long matching line]\nfoo\n[Omitted long matching line]\n",
        run(&dir, &["-M5", "foo", "f.txt"])
    );
    // -M0 is no limit; the last -M counts.
    eqnice!(
        "  foo bar foo\nxfoox\nfoo\n\tlam λλλ foo e\u{301}\u{301}x\n",
        run(&dir, &["-M5", "-M0", "foo", "f.txt"])
    );
    eqnice!(
        "  foo bar foo\nxfoox\nfoo\n\tlam λλλ foo e\u{301}\u{301}x\n",
        run(
            &dir,
            &["--max-columns", "5", "--max-columns=0", "foo", "f.txt"]
        )
    );
}

#[test]
fn max_columns_counts_the_line_terminator() {
    let dir = f("max_columns_counts_the_line_terminator");
    eqnice!(
        "[Omitted long matching line]\n",
        run(&dir, &["-M3", "abc", "f.txt"])
    );
    eqnice!("abc\n", run(&dir, &["-M4", "abc", "f.txt"]));
}

#[test]
fn max_columns_counts_matches_when_they_are_found() {
    let dir = f("max_columns_counts_matches_when_they_are_found");
    // --column (like colours, -r, --stats, -o, --vimgrep) makes ripgrep find each match.
    eqnice!(
        "2:3:[Omitted long line with 2 matches]\n3:2:[Omitted long line with 1 matches]\n4:1:foo\n5:13:[Omitted long line with 1 matches]\n",
        run(&dir, &["-M5", "--column", "foo", "f.txt"])
    );
    // --vimgrep: each match's line carries the count of the whole line.
    eqnice!(
        "f.txt:2:3:[Omitted long line with 2 matches]\nf.txt:2:11:[Omitted long line with 2 matches]\nf.txt:3:2:[Omitted long line with 1 matches]\nf.txt:4:1:foo\nf.txt:5:13:[Omitted long line with 1 matches]\n",
        run(&dir, &["-M5", "--vimgrep", "foo", "f.txt"])
    );
    // With -r the replaced line is measured.
    eqnice!(
        "2:3:[Omitted long line with 2 matches]\n3:2:xXYx\n4:1:XY\n5:13:[Omitted long line with 1 matches]\n",
        run(&dir, &["-M5", "-r", "XY", "--column", "foo", "f.txt"])
    );
}

#[test]
fn max_columns_only_matching_measures_each_match() {
    let dir = f("max_columns_only_matching_measures_each_match");
    eqnice!(
        "2:foo\n2:foo\n3:foo\n4:foo\n5:foo\n",
        run(&dir, &["-M3", "-o", "-n", "foo", "f.txt"])
    );
    eqnice!(
        "[Omitted long matching line]\n".repeat(5),
        run(&dir, &["-M2", "-o", "foo", "f.txt"])
    );
}

#[test]
fn max_columns_context_lines() {
    let dir = f("max_columns_context_lines");
    eqnice!(
        "1:abc\n2-[Omitted long context line]\n",
        run(&dir, &["-M4", "-n", "-A1", "abc", "f.txt"])
    );
    // Under -v the context lines are the ones with matches; -o still says "context line".
    eqnice!(
        "1:abc\n2-[Omitted long context line]\n--\n5-[Omitted long context line]\n6:   \n7:zz\n",
        run(&dir, &["-M6", "-n", "-v", "-C1", "foo", "f.txt"])
    );
    eqnice!(
        "1:abc\n2-foo\n2-foo\n--\n5-foo\n6:   \n7:zz\n",
        run(&dir, &["-M6", "-n", "-v", "-C1", "-o", "foo", "f.txt"])
    );
}

// ---- --max-columns-preview ----------------------------------------------------------------

#[test]
fn max_columns_preview_cuts_long_lines() {
    let dir = f("max_columns_preview_cuts_long_lines");
    eqnice!(
        "  foo [... omitted end of long line]\nxfoox [... omitted end of long line]\nfoo\n\tlam  [... omitted end of long line]\n",
        run(&dir, &["-M5", "--max-columns-preview", "foo", "f.txt"])
    );
    eqnice!(
        "2:3:  foo [... 1 more match]\n3:2:xfoox [... 0 more matches]\n4:1:foo\n5:13:\tlam  [... 1 more match]\n",
        run(
            &dir,
            &["-M5", "--max-columns-preview", "--column", "foo", "f.txt"]
        )
    );
    eqnice!(
        format!(
            "  {M}foo{R} [... 1 more match]\nx{M}foo{R}x [... 0 more matches]\n{M}foo{R}\n\tlam  [... 1 more match]\n"
        ),
        run(
            &dir,
            &[
                "-M5",
                "--max-columns-preview",
                "--color",
                "always",
                "foo",
                "f.txt"
            ]
        )
    );
    // The negation, last wins; without -M the preview does nothing.
    eqnice!(
        "[Omitted long matching line]\n[Omitted long matching line]\nfoo\n[Omitted long matching line]\n",
        run(
            &dir,
            &[
                "-M5",
                "--max-columns-preview",
                "--no-max-columns-preview",
                "foo",
                "f.txt"
            ]
        )
    );
    eqnice!(
        "abc\n",
        run(&dir, &["--max-columns-preview", "abc", "f.txt"])
    );
}

#[test]
fn max_columns_preview_counts_graphemes() {
    let dir = f("max_columns_preview_counts_graphemes");
    // Ten characters of a line holding two-byte lambdas.
    eqnice!(
        "xfoox\n\tlam λλλ f [... omitted end of long line]\n",
        run(&dir, &["-M10", "--max-columns-preview", "x", "f.txt"])
    );
    // An e with two combining accents (five bytes) is one character: 14 show it whole,
    // 13 stop before it.
    eqnice!(
        "\tlam λλλ foo e\u{301}\u{301} [... omitted end of long line]\n",
        run(&dir, &["-M14", "--max-columns-preview", "lam", "f.txt"])
    );
    eqnice!(
        "\tlam λλλ foo  [... omitted end of long line]\n",
        run(&dir, &["-M13", "--max-columns-preview", "lam", "f.txt"])
    );
    eqnice!(
        "3:1:xfoox\n5:22:\tlam λλλ foo e\u{301}\u{301} [... 1 more match]\n",
        run(
            &dir,
            &["-M14", "--max-columns-preview", "--column", "x", "f.txt"]
        )
    );
    eqnice!(
        format!("{M}x{R}foo{M}x{R}\n\tlam λλλ foo [... 1 more match]\n"),
        run(
            &dir,
            &[
                "-M12",
                "--max-columns-preview",
                "--color",
                "always",
                "x",
                "f.txt"
            ]
        )
    );
}

#[test]
fn max_columns_preview_crlf_is_one_character() {
    let dir = Dir::new("max_columns_preview_crlf_is_one_character");
    dir.create("crlf.txt", "a\r\n foo x\r\n");
    // "\r\n" is one grapheme: the preview of "a\r\n" is all of it, and the "\r" is printed.
    eqnice!(
        "1:a\r [... omitted end of long line]\n2: f [... omitted end of long line]\n",
        run(
            &dir,
            &["-M2", "--max-columns-preview", "-n", "", "crlf.txt"]
        )
    );
}

#[test]
fn max_columns_preview_with_only_matching() {
    let dir = f("max_columns_preview_with_only_matching");
    // Uncoloured, ripgrep counts the line's matches by their positions in the line against
    // the cut of the match (so a second match on the line shows as "1 more match");
    // coloured, it counts the one match printed.
    eqnice!(
        "fo [... 1 more match]\nfo [... 1 more match]\nfo [... 0 more matches]\nfo [... 0 more matches]\nfo [... 0 more matches]\n",
        run(
            &dir,
            &["-M2", "-o", "--max-columns-preview", "foo", "f.txt"]
        )
    );
    eqnice!(
        format!("{M}fo{R} [... 0 more matches]\n").repeat(5),
        run(
            &dir,
            &[
                "-M2",
                "-o",
                "--max-columns-preview",
                "--color",
                "always",
                "foo",
                "f.txt"
            ]
        )
    );
}

#[test]
fn max_columns_preview_with_replacement() {
    let dir = f("max_columns_preview_with_replacement");
    eqnice!(
        "2:  XY  [... 1 more match]\n3:xXYx\n4:XY\n5:\tlam  [... 1 more match]\n",
        run(
            &dir,
            &[
                "-M5",
                "--max-columns-preview",
                "-r",
                "XY",
                "-n",
                "foo",
                "f.txt"
            ]
        )
    );
}

// ---- --trim -------------------------------------------------------------------------------

#[test]
fn trim_strips_leading_ascii_whitespace() {
    let dir = f("trim_strips_leading_ascii_whitespace");
    eqnice!(
        "foo bar foo\nxfoox\nfoo\nlam λλλ foo e\u{301}\u{301}x\n",
        run(&dir, &["--trim", "foo", "f.txt"])
    );
    eqnice!(
        "  foo bar foo\nxfoox\nfoo\n\tlam λλλ foo e\u{301}\u{301}x\n",
        run(&dir, &["--trim", "--no-trim", "foo", "f.txt"])
    );
    // A line of spaces keeps its newline.
    eqnice!(
        "1:abc\n6:\n7:zz\n",
        run(&dir, &["--trim", "-n", "-v", "foo", "f.txt"])
    );
    let crlf = Dir::new("trim_strips_leading_ascii_whitespace_crlf");
    crlf.create("crlf.txt", "a\r\n foo x\r\n");
    eqnice!(
        "a\r\nfoo x\r\n",
        run(&crlf, &["--trim", "-e", "foo", "-e", "a", "crlf.txt"])
    );
}

#[test]
fn trim_only_matching_and_colors() {
    let dir = f("trim_only_matching_and_colors");
    eqnice!(
        "foo\n".repeat(5),
        run(&dir, &["--trim", "-o", " *foo", "f.txt"])
    );
    eqnice!(
        format!("{M}foo{R}\n").repeat(5),
        run(
            &dir,
            &["--trim", "-o", "--color", "always", " *foo", "f.txt"]
        )
    );
    // Columns are those of the untrimmed line.
    eqnice!(
        format!(
            "{LN}2{R}:{R}3{R}:{M}foo{R} bar {M}foo{R}\n{LN}3{R}:{R}2{R}:x{M}foo{R}x\n{LN}4{R}:{R}1{R}:{M}foo{R}\n{LN}5{R}:{R}13{R}:lam λλλ {M}foo{R} e\u{301}\u{301}x\n"
        ),
        run(
            &dir,
            &["--trim", "--column", "--color", "always", "foo", "f.txt"]
        )
    );
}

#[test]
fn trim_with_max_columns() {
    let dir = f("trim_with_max_columns");
    // Uncoloured, the trimmed line is measured ("foo bar foo\n" is 12 bytes)...
    eqnice!(
        "[Omitted long matching line]\nxfoox\nfoo\n[Omitted long matching line]\n",
        run(&dir, &["-M11", "--trim", "foo", "f.txt"])
    );
    eqnice!(
        "2:3:foo bar foo\n3:2:xfoox\n4:1:foo\n5:13:[Omitted long line with 1 matches]\n",
        run(&dir, &["-M12", "--trim", "--column", "foo", "f.txt"])
    );
    // ... coloured, the untrimmed one (14 bytes).
    eqnice!(
        format!(
            "{LN}2{R}:{R}3{R}:[Omitted long line with 2 matches]\n{LN}3{R}:{R}2{R}:x{M}foo{R}x\n{LN}4{R}:{R}1{R}:{M}foo{R}\n{LN}5{R}:{R}13{R}:[Omitted long line with 1 matches]\n"
        ),
        run(
            &dir,
            &[
                "-M12", "--trim", "--column", "--color", "always", "foo", "f.txt"
            ]
        )
    );
    eqnice!(
        "1:abc\n2-[Omitted long context line]\n",
        run(&dir, &["-M4", "--trim", "-n", "-A1", "abc", "f.txt"])
    );
}

// ---- -p/--pretty --------------------------------------------------------------------------

#[test]
fn pretty_is_color_heading_and_line_numbers() {
    let dir = Dir::new("pretty_is_color_heading_and_line_numbers");
    dir.create("d/a.txt", "foo\n");
    dir.create("d/b.txt", "x\n  foo\n");
    let want =
        format!("{PATH}d/a.txt{R}\n{LN}1{R}:{M}foo{R}\n\n{PATH}d/b.txt{R}\n{LN}2{R}:  {M}foo{R}\n");
    eqnice!(want.clone(), run(&dir, &["-p", "foo", "d"]));
    eqnice!(want, run(&dir, &["--pretty", "foo", "d"]));
}

#[test]
fn pretty_parts_are_undone_by_later_flags() {
    let dir = f("pretty_parts_are_undone_by_later_flags");
    let full = format!(
        "{LN}2{R}:  {M}foo{R} bar {M}foo{R}\n{LN}3{R}:x{M}foo{R}x\n{LN}4{R}:{M}foo{R}\n{LN}5{R}:\tlam λλλ {M}foo{R} e\u{301}\u{301}x\n"
    );
    eqnice!(full.clone(), run(&dir, &["-N", "-p", "foo", "f.txt"]));
    eqnice!(full, run(&dir, &["--color", "never", "-p", "foo", "f.txt"]));
    eqnice!(
        "2:  foo bar foo\n3:xfoox\n4:foo\n5:\tlam λλλ foo e\u{301}\u{301}x\n",
        run(&dir, &["-p", "--color", "never", "foo", "f.txt"])
    );
    eqnice!(
        format!(
            "  {M}foo{R} bar {M}foo{R}\nx{M}foo{R}x\n{M}foo{R}\n\tlam λλλ {M}foo{R} e\u{301}\u{301}x\n"
        ),
        run(&dir, &["-p", "-N", "foo", "f.txt"])
    );
    let two = Dir::new("pretty_parts_are_undone_by_later_flags_two");
    two.create("d/a.txt", "foo\n");
    two.create("d/b.txt", "foo\n");
    eqnice!(
        format!("{PATH}d/a.txt{R}:{LN}1{R}:{M}foo{R}\n{PATH}d/b.txt{R}:{LN}1{R}:{M}foo{R}\n"),
        run(&two, &["-p", "--no-heading", "foo", "d"])
    );
    eqnice!(
        format!("{PATH}d/a.txt{R}\n{LN}1{R}:{M}foo{R}\n\n{PATH}d/b.txt{R}\n{LN}1{R}:{M}foo{R}\n"),
        run(&two, &["--no-heading", "-p", "foo", "d"])
    );
}

// ---- --field-match-separator / --field-context-separator ---------------------------------

#[test]
fn field_separators_on_every_field() {
    let dir = f("field_separators_on_every_field");
    eqnice!(
        "f.txtXX1XX1XX0XXabc\nf.txtYY2YY4YY  foo bar foo\n",
        run(
            &dir,
            &[
                "--field-match-separator",
                "XX",
                "--field-context-separator",
                "YY",
                "-H",
                "-n",
                "--column",
                "-b",
                "-C1",
                "abc",
                "f.txt"
            ]
        )
    );
    // Escapes are decoded; empty is allowed; the last one given counts.
    eqnice!(
        "2A=  foo bar foo\n3:xfoox\n",
        run(
            &dir,
            &[
                "--field-context-separator",
                r"\x41\x3d",
                "-n",
                "-B1",
                "xfoo",
                "f.txt"
            ]
        )
    );
    eqnice!(
        "f.txt3xfoox\n",
        run(
            &dir,
            &["--field-match-separator", "", "-H", "-n", "xfoo", "f.txt"]
        )
    );
    eqnice!(
        "1|abc\n",
        run(
            &dir,
            &[
                "--field-match-separator",
                "XX",
                "--field-match-separator",
                "|",
                "-n",
                "abc",
                "f.txt"
            ]
        )
    );
    eqnice!(
        "1:abc\n2--  foo bar foo\n",
        run(
            &dir,
            &["--field-context-separator=--", "-n", "-A1", "abc", "f.txt"]
        )
    );
}

#[test]
fn field_separators_with_vimgrep_null_heading_and_counts() {
    let dir = f("field_separators_with_vimgrep_null_heading_and_counts");
    eqnice!(
        "f.txt\t2\t3\t  foo bar foo\nf.txt\t2\t11\t  foo bar foo\nf.txt\t3\t2\txfoox\nf.txt\t4\t1\tfoo\nf.txt\t5\t13\t\tlam λλλ foo e\u{301}\u{301}x\n",
        run(
            &dir,
            &[
                "--field-match-separator",
                r"\t",
                "--vimgrep",
                "foo",
                "f.txt"
            ]
        )
    );
    // -0 ends the path with NUL instead of the separator.
    eqnice!(
        "f.txt\x001XXabc\n",
        run(
            &dir,
            &[
                "--field-match-separator",
                "XX",
                "-0",
                "-H",
                "-n",
                "abc",
                "f.txt"
            ]
        )
    );
    eqnice!(
        "1XXabc\n",
        run(
            &dir,
            &[
                "--field-match-separator",
                "XX",
                "--heading",
                "-n",
                "abc",
                "f.txt"
            ]
        )
    );
    eqnice!(
        format!("{LN}1{R}XX{M}abc{R}\n"),
        run(
            &dir,
            &["--field-match-separator", "XX", "-p", "abc", "f.txt"]
        )
    );
    // The count printer keeps ':'.
    eqnice!(
        "f.txt:4\n",
        run(
            &dir,
            &[
                "--field-match-separator",
                "XX",
                "--field-context-separator",
                "YY",
                "-c",
                "-H",
                "foo",
                "f.txt"
            ]
        )
    );
}

// ---- Together -----------------------------------------------------------------------------

/// Line `i` (1-based) of the big file: every seventh holds `foo` after four spaces and some
/// padding that makes every other one longer than -M20 once trimmed.
fn big_line(i: usize) -> String {
    if i.is_multiple_of(7) {
        format!("    foo {i} {}", "y".repeat(i % 23))
    } else {
        format!("x{i}")
    }
}

#[test]
fn chunked_file_with_max_columns_trim_and_separators() {
    let dir = Dir::new("chunked_file_with_max_columns_trim_and_separators");
    let n = 6000;
    let mut text = String::new();
    for i in 1..=n {
        text.push_str(&big_line(i));
        text.push('\n');
    }
    assert!(text.len() > 8 * 4096);
    dir.create("big.txt", &text);
    // ripgrep's output, rule by rule: a trimmed line (newline included) over 20 bytes is a
    // note with its count; context lines use the context separator; a "--" between groups.
    let mut want = String::new();
    for i in (7..=n).step_by(7) {
        if i > 7 {
            want.push_str("--\n");
        }
        want.push_str(&format!("{}=x{}\n", i - 1, i - 1));
        let line = big_line(i);
        let trimmed = line.trim_start();
        if trimmed.len() + 1 > 20 {
            want.push_str(&format!("{i}|5|[Omitted long line with 1 matches]\n"));
        } else {
            want.push_str(&format!("{i}|5|{trimmed}\n"));
        }
        if i < n {
            want.push_str(&format!("{}=x{}\n", i + 1, i + 1));
        }
    }
    let got = run(
        &dir,
        &[
            "--chunk-size",
            "4096",
            "-n",
            "--column",
            "-C1",
            "-M20",
            "--trim",
            "--field-match-separator",
            "|",
            "--field-context-separator",
            "=",
            "foo",
            "big.txt",
        ],
    );
    eqnice!(want, got);
}

#[test]
fn json_ignores_the_standard_printer_flags() {
    let dir = f("json_ignores_the_standard_printer_flags");
    let plain = run(&dir, &["--json", "-C1", "foo", "f.txt"]);
    let shaped = run(
        &dir,
        &[
            "--json",
            "-C1",
            "-M3",
            "--max-columns-preview",
            "--trim",
            "--field-match-separator",
            "XX",
            "--field-context-separator",
            "YY",
            "foo",
            "f.txt",
        ],
    );
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("\"type\":\"end\"") && !l.contains("\"type\":\"summary\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(plain.contains("  foo bar foo"));
    eqnice!(strip(&plain), strip(&shaped));
}

// ---- Colour and counting ------------------------------------------------------------------

#[test]
fn stats_bytes_printed_leave_out_colour_escapes() {
    let dir = f("stats_bytes_printed_leave_out_colour_escapes");
    let got = run(&dir, &["--color", "always", "--stats", "abc", "f.txt"]);
    assert!(got.starts_with(&format!("{M}abc{R}\n")), "{got:?}");
    assert!(got.contains("\n4 bytes printed\n"), "{got:?}");
}

#[test]
fn files_paths_are_coloured() {
    let dir = Dir::new("files_paths_are_coloured");
    dir.create("d/a.txt", "foo\n");
    dir.create("d/b.txt", "foo\n");
    eqnice!(
        format!("{PATH}d/a.txt{R}\n{PATH}d/b.txt{R}\n"),
        run(&dir, &["--color", "always", "--files", "d"])
    );
    eqnice!(
        format!("{PATH}d/a.txt{R}\n{PATH}d/b.txt{R}\n"),
        run(&dir, &["-p", "--files", "d"])
    );
}

/// --colors: each output type's escapes as ripgrep (termcolor) writes them; `match:none`
/// prints matches plain; a bad spec is a usage error naming it.
#[test]
fn colors_change_each_output_type() {
    let dir = Dir::new("colors_change_each_output_type");
    dir.create("c1.txt", "a\nfoo x foo\nb\n");
    let run = |specs: &[&str]| {
        let mut cmd = dir.command();
        cmd.args(["--color", "always", "-n", "--column", "-H"]);
        for s in specs {
            cmd.args(["--colors", s]);
        }
        cmd.args(["foo", "c1.txt"]).stdout()
    };
    eqnice!(
        "\x1b[0m\x1b[35mc1.txt\x1b[0m:\x1b[0m\x1b[32m2\x1b[0m:\x1b[0m1\x1b[0m:\x1b[0m\x1b[1m\x1b[34mfoo\x1b[0m x \x1b[0m\x1b[1m\x1b[34mfoo\x1b[0m\n",
        run(&["match:fg:blue"])
    );
    eqnice!(
        "\x1b[0m\x1b[35mc1.txt\x1b[0m:\x1b[0m\x1b[32m2\x1b[0m:\x1b[0m1\x1b[0m:foo x foo\n",
        run(&["match:none"])
    );
    eqnice!(
        "\x1b[0m\x1b[35m\x1b[41mc1.txt\x1b[0m:\x1b[0m\x1b[38;5;10m2\x1b[0m:\x1b[0m\x1b[36m1\x1b[0m:\x1b[0m\x1b[31m\x1b[48;2;16;32;48mfoo\x1b[0m x \x1b[0m\x1b[31m\x1b[48;2;16;32;48mfoo\x1b[0m\n",
        run(&[
            "path:bg:red",
            "line:style:intense",
            "column:fg:cyan",
            "match:bg:0x10,0x20,0x30",
            "match:style:nobold",
        ])
    );
    // --stats' bytes printed leave out escapes with parameters too (`38;5;10`).
    let out = dir
        .command()
        .args(["--color", "always", "--colors", "line:style:intense"])
        .args([
            "--colors",
            "column:bg:0x10,0x20,0x30",
            "-n",
            "--column",
            "--stats",
        ])
        .args(["foo", "c1.txt"])
        .stdout();
    assert!(out.contains("\n14 bytes printed\n"), "{out}");
    let (_, err) = dir
        .command()
        .args(["--colors", "match:fg:pink", "foo", "c1.txt"])
        .expect_err(2);
    assert!(err.contains("match:fg:pink"), "{err}");
}

// ---- --hyperlink-format ------------------------------------------------------------------

/// The OSC 8 escapes around a hyperlink's label, as termcolor writes them.
fn link(url: &str) -> String {
    format!("\x1b]8;;{url}\x1b\\")
}
const END: &str = "\x1b]8;;\x1b\\";

/// A tree for the hyperlink tests and its absolute path (as ripgrep resolves it).
fn link_tree(name: &str) -> (Dir, String) {
    let dir = Dir::new(name);
    dir.create("d/a b.txt", "x\nfoo\n");
    dir.create("d/c.txt", "foo y\n");
    let abs = dir.path().canonicalize().unwrap();
    (dir, abs.to_str().unwrap().to_string())
}

/// --hyperlink-format with colours: paths become OSC 8 hyperlinks wherever they are printed,
/// absolute and percent-encoded, the numbers after a path inside its link; under --heading
/// only a format with {line} links each line (the heading links the file). `uname` as
/// --hostname-bin prints "Linux" for {host}.
#[test]
fn hyperlink_format_links_printed_paths() {
    let (dir, abs) = link_tree("hyperlink_format_links_printed_paths");
    let a = format!("{abs}/d/a%20b.txt");
    let c = format!("{abs}/d/c.txt");
    let run = |args: &[&str]| {
        dir.command()
            .args(["--color", "always", "--hostname-bin", "uname"])
            .args(args)
            .stdout()
    };
    eqnice!(
        format!(
            "{}{PATH}d/a b.txt{R}:{LN}2{R}{END}:{M}foo{R}\n\
             {}{PATH}d/c.txt{R}:{LN}1{R}{END}:{M}foo{R} y\n",
            link(&format!("file://Linux{a}")),
            link(&format!("file://Linux{c}")),
        ),
        run(&["--hyperlink-format", "default", "-n", "foo", "d"])
    );
    // {line} and {column} of each line; --heading links the heading (line 1) and each line's
    // numbers.
    eqnice!(
        format!(
            "{}{PATH}d/a b.txt{R}{END}\n{}{LN}2{R}:{R}1{R}{END}:{M}foo{R}\n\n\
             {}{PATH}d/c.txt{R}{END}\n{}{LN}1{R}:{R}1{R}{END}:{M}foo{R} y\n",
            link(&format!("vscode://file{a}:1:1")),
            link(&format!("vscode://file{a}:2:1")),
            link(&format!("vscode://file{c}:1:1")),
            link(&format!("vscode://file{c}:1:1")),
        ),
        run(&[
            "--hyperlink-format",
            "vscode",
            "--heading",
            "-n",
            "--column",
            "foo",
            "d"
        ])
    );
    // Without {line}, the heading alone; a context line's column is 1.
    eqnice!(
        format!(
            "{}{PATH}d/a b.txt{R}{END}\n{LN}1{R}-x\n{LN}2{R}:{M}foo{R}\n",
            link(&format!("x:{a}")),
        ),
        run(&[
            "--hyperlink-format",
            "x:{path}",
            "--heading",
            "-n",
            "-B1",
            "foo",
            "d/a b.txt",
            "-H"
        ])
    );
    eqnice!(
        format!(
            "{}{PATH}d/a b.txt{R}-{LN}1{R}{END}-x\n{}{PATH}d/a b.txt{R}:{LN}2{R}{END}:{M}foo{R}\n",
            link(&format!("k:{a}#1,1")),
            link(&format!("k:{a}#2,1")),
        ),
        run(&[
            "--hyperlink-format",
            "k:{path}#{line},{column}",
            "-n",
            "-B1",
            "foo",
            "d/a b.txt",
            "-H"
        ])
    );
    // Summaries and --files: {line} and {column} are 1.
    let files = format!(
        "{}{PATH}d/a b.txt{R}{END}\n{}{PATH}d/c.txt{R}{END}\n",
        link(&format!("grep+://{a}:1")),
        link(&format!("grep+://{c}:1")),
    );
    eqnice!(
        files,
        run(&["--hyperlink-format", "grep+", "-l", "foo", "d"])
    );
    eqnice!(files, run(&["--hyperlink-format", "grep+", "--files", "d"]));
    eqnice!(
        format!(
            "{}{PATH}d/a b.txt{R}{END}:1\n{}{PATH}d/c.txt{R}{END}:1\n",
            link(&format!("grep+://{a}:1")),
            link(&format!("grep+://{c}:1")),
        ),
        run(&["--hyperlink-format", "grep+", "-c", "foo", "d"])
    );
    // --vimgrep: one link per match, with its column.
    eqnice!(
        format!(
            "{}{PATH}d/c.txt{R}:{LN}1{R}:{R}1{R}{END}:{M}foo{R} y\n",
            link(&format!("txmt://open?url=file://{c}&line=1&column=1")),
        ),
        run(&[
            "--hyperlink-format",
            "textmate",
            "--vimgrep",
            "foo",
            "d/c.txt"
        ])
    );
}

/// No hyperlinks without colours, without a printed path (one file, -I, stdin), in --json,
/// or with the `none` alias or an empty format.
#[test]
fn hyperlink_format_needs_colours_and_a_path() {
    let (dir, _) = link_tree("hyperlink_format_needs_colours_and_a_path");
    let run = |args: &[&str]| {
        dir.command()
            .args(["--hyperlink-format", "vscode"])
            .args(args)
            .stdin("foo\n")
            .stdout()
    };
    for args in [
        &["--color", "never", "foo", "d"][..],
        &["foo", "d"],
        &["--color", "always", "foo", "d/c.txt"],
        &["--color", "always", "-I", "foo", "d"],
        &["--color", "always", "-H", "foo", "-"],
        &["--color", "always", "--json", "foo", "d"],
        &[
            "--color",
            "always",
            "--hyperlink-format",
            "none",
            "foo",
            "d",
        ],
        &["--color", "always", "--hyperlink-format=", "foo", "d"],
    ] {
        let out = run(args);
        assert!(out.contains("foo"), "{args:?}: {out}");
        assert!(!out.contains("\x1b]8"), "{args:?}: {out:?}");
    }
    // The escapes are not counted in --stats' bytes printed.
    let stats = |args: &[&str]| {
        let out = run(&[&["--color", "always", "--stats", "-n", "foo", "d"], args].concat());
        let line = out.lines().find(|l| l.ends_with("bytes printed")).unwrap();
        line.to_string()
    };
    eqnice!(stats(&["--hyperlink-format", "none"]), stats(&[]));
}

/// {host} is the output of --hostname-bin, or the system's host name when that program
/// fails.
#[test]
fn hyperlink_host_falls_back_to_the_system_host_name() {
    let (dir, abs) = link_tree("hyperlink_host_falls_back_to_the_system_host_name");
    let uname = std::process::Command::new("uname")
        .arg("-n")
        .output()
        .unwrap();
    let host = String::from_utf8(uname.stdout).unwrap().trim().to_string();
    for bin in [&["--hostname-bin", "/nonexistent/mmgrep-hostname"][..], &[]] {
        eqnice!(
            format!(
                "{}{PATH}d/c.txt{R}{END}\n",
                link(&format!("file://{host}{abs}/d/c.txt#1"))
            ),
            dir.command()
                .args(["--color", "always", "--hyperlink-format", "kitty", "-l"])
                .args(bin)
                .args(["y", "d"])
                .stdout()
        );
    }
}

/// A bad format is a usage error with ripgrep's reason, colours or not.
#[test]
fn hyperlink_format_errors() {
    let (dir, _) = link_tree("hyperlink_format_errors");
    for (format, why) in [
        ("bogus", "at least a {path} variable is required"),
        ("x:{line}", "the {path} variable is required"),
        ("x:{column}{path}", "but no {line} variable is present"),
        ("{path}", "must start with a valid URL scheme"),
        (
            "x:{nope}{path}",
            "invalid hyperlink format variable: 'nope'",
        ),
        ("x:{path", "unclosed variable"),
        ("x:}{path}", "unopened variable"),
    ] {
        let (out, err) = dir
            .command()
            .args(["--hyperlink-format", format, "foo", "d"])
            .expect_err(2);
        eqnice!("", out);
        assert!(
            err.contains(&format!("invalid --hyperlink-format value '{format}'"))
                && err.contains(why),
            "{format}: {err}"
        );
    }
}

/// --crlf: `$` and -x see `\r\n` as a line end, `\r` is out of classes, and the lines
/// mmgrep ends itself (-o, counts, paths, headings, separators, coloured lines, a last line
/// without an end) end with `\r\n`; a line printed as it is keeps its own end.
#[test]
fn crlf_line_ends() {
    let dir = Dir::new("crlf_line_ends");
    dir.create("crlf.txt", "foo bar\r\nbaz foo\r\nfoo\n");
    dir.create("c2.txt", "foo\r\nx\r\ny\r\nz\r\nfoo\r\n");
    dir.create("c3.txt", "foo\nx\ny\nfoo\r\nz");
    let run = |args: &[&str]| dir.command().args(args).stdout();
    eqnice!(
        "crlf.txt:2:baz foo\r\ncrlf.txt:3:foo\nc3.txt:1:foo\nc3.txt:4:foo\r\n",
        run(&["--crlf", "-n", "foo$", "crlf.txt", "c3.txt"])
    );
    eqnice!(
        "crlf.txt:3:foo\nc3.txt:1:foo\nc3.txt:4:foo\r\n",
        run(&["--crlf", "-n", "-x", "foo", "crlf.txt", "c3.txt"])
    );
    eqnice!(
        "1:foo \r\n2:foo\r\n3:foo\r\n",
        run(&["--crlf", "-o", "-n", "foo\\s?", "crlf.txt"])
    );
    eqnice!(
        "1:foo \n2:foo\r\n3:foo\n",
        run(&["-o", "-n", "foo\\s?", "crlf.txt"])
    );
    eqnice!(
        "crlf.txt:3\r\nc2.txt:2\r\n",
        run(&["--crlf", "-c", "foo", "crlf.txt", "c2.txt"])
    );
    eqnice!(
        "crlf.txt\r\nc2.txt\r\n",
        run(&["--crlf", "-l", "foo", "crlf.txt", "c2.txt"])
    );
    eqnice!(
        "crlf.txt\r\n1:foo bar\r\n2:baz foo\r\n3:foo\n\r\nc2.txt\r\n1:foo\r\n5:foo\r\n",
        run(&["--crlf", "--heading", "-n", "foo", "crlf.txt", "c2.txt"])
    );
    eqnice!(
        "1:foo\r\n2-x\r\n--\r\n4-z\r\n5:foo\r\n",
        run(&["--crlf", "-C1", "-n", "foo", "c2.txt"])
    );
    eqnice!(
        "\x1b[0m\x1b[32m1\x1b[0m:\x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\r\n\x1b[0m\x1b[32m4\x1b[0m:\x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\r\n",
        run(&["--crlf", "--color", "always", "-n", "foo", "c3.txt"])
    );
    eqnice!(
        "c3.txt:1:1:foo\nc3.txt:4:1:foo\r\n",
        run(&["--crlf", "--vimgrep", "foo", "c3.txt"])
    );
    eqnice!("5:z\r\n", run(&["--crlf", "-n", "z", "c3.txt"]));
    eqnice!(
        "3:foo\n",
        run(&["--crlf", "--no-crlf", "-n", "foo$", "crlf.txt"])
    );
    // --trim keeps the line end's \r; a -U -o match of a line end prints nothing.
    dir.create("c4.txt", "a\r\n\r\n  b\r\n");
    eqnice!(
        "2:\r\n3:b\r\n",
        run(&["--crlf", "--trim", "-n", "^$|b", "c4.txt"])
    );
    eqnice!("  \r\n", run(&["--crlf", "-U", "-o", "\\s+", "c4.txt"]));
    let (out, err) = dir
        .command()
        .args(["--crlf", "a\\rb", "c2.txt"])
        .expect_err(2);
    eqnice!("", out);
    assert!(
        err.contains(r#"the literal "\r" is not allowed in a regex"#),
        "stderr: {err}"
    );
}

/// `--colors highlight:...` colours the rest of a selected line that has matches, as
/// ripgrep writes it: the line opens with it, it follows each match in place of the reset,
/// and a reset closes the line; context lines, -U -o parts and -U --vimgrep lines are not
/// highlighted, a -M preview is.
#[test]
fn colors_highlight() {
    let dir = Dir::new("colors_highlight");
    dir.create(
        "ml.txt",
        "alpha one\nbeta two\ngamma three\nfoo\nbar\nbaz\nfoo end\nbar again\nlast line",
    );
    let run = |args: &[&str]| {
        dir.command()
            .args(["--colors", "highlight:bg:yellow", "--color", "always"])
            .args(args)
            .stdout()
    };
    eqnice!(
        "\x1b[0m\x1b[32m1\x1b[0m:\x1b[0m\x1b[43malpha \x1b[0m\x1b[1m\x1b[31mo\x1b[0m\x1b[43mne\x1b[0m\n\x1b[0m\x1b[32m2\x1b[0m:\x1b[0m\x1b[43mbeta tw\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\x1b[43m\x1b[0m\n\x1b[0m\x1b[32m4\x1b[0m:\x1b[0m\x1b[43mf\x1b[0m\x1b[1m\x1b[31moo\x1b[0m\x1b[43m\x1b[0m\n\x1b[0m\x1b[32m7\x1b[0m:\x1b[0m\x1b[43mf\x1b[0m\x1b[1m\x1b[31moo\x1b[0m\x1b[43m end\x1b[0m\n",
        run(&["-n", "o", "ml.txt"])
    );
    eqnice!(
        "\x1b[0m\x1b[43m\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\x1b[43m\x1b[0m\n\x1b[0m\x1b[43m\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\x1b[43m\x1b[0m\n\x1b[0m\x1b[43m\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\x1b[43m\x1b[0m\n\x1b[0m\x1b[43m\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\x1b[43m\x1b[0m\n\x1b[0m\x1b[43m\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\x1b[43m\x1b[0m\n\x1b[0m\x1b[43m\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\x1b[43m\x1b[0m\n",
        run(&["-o", "o", "ml.txt"])
    );
    eqnice!(
        "alpha one\nbeta two\ngamma three\n\x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\nbar\nbaz\n\x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m end\nbar again\nlast line\n",
        run(&["-v", "-C1", "foo", "ml.txt"])
    );
    eqnice!(
        "\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\n\x1b[0m\x1b[1m\x1b[31mb\x1b[0m\n",
        run(&["-U", "-o", "o\nb", "ml.txt"])
    );
    eqnice!(
        "\x1b[0m\x1b[35mml.txt\x1b[0m:\x1b[0m\x1b[32m4\x1b[0m:\x1b[0m3\x1b[0m:fo\x1b[0m\x1b[1m\x1b[31mo\x1b[0m\n",
        run(&["-U", "--vimgrep", "o\nb", "ml.txt"])
    );
    eqnice!(
        "\x1b[0m\x1b[43m\x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\x1b[43m\x1b[0m\n\x1b[0m\x1b[43m\x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\x1b[43m e\x1b[0m [... 0 more matches]\n",
        run(&["-M5", "--max-columns-preview", "foo", "ml.txt"])
    );
}

/// --path-separator prints one byte (escapes decoded) for each `/` of every printed path:
/// lines, headings, counts, file lists and --files; empty keeps `/`, more than one byte is
/// an error.
#[test]
fn path_separator() {
    let dir = Dir::new("path_separator");
    dir.create_dir("sub");
    dir.create("sub/a.txt", "foo\nbar\n");
    dir.create("b.txt", "foo\n");
    let run = |args: &[&str]| dir.command().args(args).stdout();
    eqnice!(
        "b.txt:1:foo\nsub\\a.txt:1:foo\n",
        run(&["--path-separator", "\\x5C", "-n", "foo"])
    );
    eqnice!(
        "b.txt\nsub\\a.txt\n",
        run(&["--path-separator", "\\", "-l", "foo"])
    );
    eqnice!(
        "b.txt\nsub:a.txt\n",
        run(&["--path-separator", ":", "--files"])
    );
    eqnice!(
        "b.txt:1\nsub:a.txt:1\n",
        run(&["--path-separator", ":", "-c", "foo"])
    );
    eqnice!(
        "b.txt\nfoo\n\nsub:a.txt\nfoo\n",
        run(&["--path-separator", ":", "--heading", "foo"])
    );
    eqnice!(
        "b.txt\nsub/a.txt\n",
        run(&["--path-separator", "", "-l", "foo"])
    );
    let (out, err) = dir
        .command()
        .args(["--path-separator", "ab", "foo"])
        .expect_err(2);
    eqnice!("", out);
    assert!(
        err.contains("--path-separator") && err.contains("exactly one byte"),
        "stderr: {err}"
    );
}

/// --no-unicode: `\w`, `.`, -i and -w work on ASCII bytes (a UTF-8 letter is two non-word
/// bytes), `(?u)` or a later --unicode turns Unicode back on, and `\p{..}` is refused.
#[test]
fn no_unicode() {
    let dir = Dir::new("no_unicode");
    dir.create(
        "u.txt",
        b"\xc3\xa9 x\nab\xffcd\n\xc3\x89T\xc3\x89 \xc3\xa9t\xc3\xa9\n",
    );
    let run = |args: &[&str]| dir.command().args(args).stdout();
    eqnice!(
        "x\nab\ncd\nT\nt\n",
        run(&["--no-unicode", "-o", "\\w+", "u.txt"])
    );
    eqnice!("ÉTÉ\n", run(&["--no-unicode", "-i", "-o", "ÉTÉ", "u.txt"]));
    eqnice!("T\n", run(&["--no-unicode", "-w", "-o", "T", "u.txt"]));
    eqnice!(
        "é\nx\nab\ncd\nÉTÉ\nété\n",
        run(&["--no-unicode", "--unicode", "-o", "\\w+", "u.txt"])
    );
    eqnice!(
        "é\nx\nab\ncd\nÉTÉ\nété\n",
        run(&["--no-unicode", "-o", "(?u)\\w+", "u.txt"])
    );
    let (out, err) = dir
        .command()
        .args(["--no-unicode", "\\p{Greek}", "u.txt"])
        .expect_err(2);
    eqnice!("", out);
    assert!(err.contains("Unicode not allowed here"), "stderr: {err}");
}
