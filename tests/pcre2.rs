//! `-P/--pcre2` and `--engine`: ripgrep 15.2's bytes (built with PCRE2) for look-around,
//! backreferences, case, -w/-x, -o/-r with groups, counts, --json, invalid UTF-8, binary
//! files, errors at compile and at match time; chunks agree with a whole-file search; the
//! last engine flag wins; --in-place works with PCRE2's groups.

use crate::naive::page_size;
use crate::util::Dir;

const P: &str = "foobar foo\nfoofoo barfoo\nabcabc x\nÉté été ÉTÉ\n-2 a-2b\nx\n\nlast foo\n";

fn p(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("p.txt", P);
    dir
}

/// Runs `mmgrep ARGS p.txt` and checks stdout and the exit status.
fn case(dir: &Dir, args: &[&str], want: &str, status: i32) {
    let got = dir.command().args(args).arg("p.txt").expect_status(status);
    assert_eq!(want, got, "args {args:?}");
}

#[test]
fn look_around_and_backreferences() {
    let dir = p("pcre2_look_around_and_backreferences");
    case(&dir, &["-P", "foo(?=bar)"], "foobar foo\n", 0);
    case(&dir, &["-P", "-o", r"(?<=foo)\w+"], "bar\nfoo\n", 0);
    case(
        &dir,
        &["-P", r"(\w+)\1"],
        "foobar foo\nfoofoo barfoo\nabcabc x\nlast foo\n",
        0,
    );
    case(&dir, &["-P", "--count-matches", "(?<=o)o"], "6\n", 0);
    case(&dir, &["--engine", "auto", "-o", "a(?=b)"], "a\na\n", 0);
}

#[test]
fn case_word_and_line() {
    let dir = p("pcre2_case_word_and_line");
    case(&dir, &["-P", "-o", "-i", "été"], "Été\nété\nÉTÉ\n", 0);
    case(&dir, &["-P", "-S", "-o", "été"], "Été\nété\nÉTÉ\n", 0);
    case(&dir, &["-P", "-S", "-o", "Été"], "Été\n", 0);
    case(&dir, &["-P", "-w", "-o", "--", "-2"], "-2\n", 0);
    case(
        &dir,
        &["-P", "-x", "-n", r"x|last\sfoo"],
        "6:x\n8:last foo\n",
        0,
    );
}

#[test]
fn counts_inversion_and_empty_lines() {
    let dir = p("pcre2_counts_inversion_and_empty_lines");
    case(&dir, &["-P", "-c", "foo"], "3\n", 0);
    case(
        &dir,
        &["-P", "-v", "-n", "foo"],
        "3:abcabc x\n4:Été été ÉTÉ\n5:-2 a-2b\n6:x\n7:\n",
        0,
    );
    // The empty line matches, but ripgrep's printer finds no `^` after the `\n` before it
    // (PCRE2's multi-line `^` does not match at the end of its subject): no column.
    case(&dir, &["-P", "-n", "--column", "^$"], "7:\n", 0);
}

#[test]
fn replacements_use_pcre2_groups() {
    let dir = p("pcre2_replacements_use_pcre2_groups");
    case(
        &dir,
        &["-P", "-r", "<${n}>", "(?<n>foo)(?=bar)"],
        "<foo>bar foo\n",
        0,
    );
    case(
        &dir,
        &["-P", "-o", "-r", "$2$1", r"(\w)(\w)"],
        "of\nbo\nra\nof\nof\nfo\noo\nab\nfr\noo\nba\nac\ncb\ntÉ\nté\nTÉ\nb2\nal\nts\nof\n",
        0,
    );
    // `\K` moves the start: the groups still belong to the match printed.
    case(
        &dir,
        &["-P", "-o", "-r", "[$1]", r"foo\K(bar)"],
        "[bar]\n",
        0,
    );
}

#[test]
fn json_submatches() {
    let dir = p("pcre2_json_submatches");
    let out = dir
        .command()
        .args(["-P", "--json", "(?<=foo)foo", "p.txt"])
        .stdout();
    let second = out.lines().nth(1).unwrap();
    assert_eq!(
        second,
        r#"{"type":"match","data":{"path":{"text":"p.txt"},"lines":{"text":"foofoo barfoo\n"},"line_number":2,"absolute_offset":11,"submatches":[{"match":{"text":"foo"},"start":3,"end":6}]}}"#
    );
}

#[test]
fn invalid_utf8_is_searched() {
    let dir = Dir::new("pcre2_invalid_utf8_is_searched");
    dir.create("bad.txt", b"x\xff foo \xe9t\nok foo\n\xc3\n");
    let out = |args: &[&str]| dir.command().args(args).arg("bad.txt").output().stdout;
    assert_eq!(out(&["-P", "-n", "foo"]), b"1:x\xff foo \xe9t\n2:ok foo\n");
    assert_eq!(out(&["-P", "-o", r"\w+"]), b"x\nfoo\nt\nok\nfoo\n");
    assert_eq!(out(&["-P", "-c", "."]), b"2\n");
    assert_eq!(out(&["-P", "-o", "-w", "foo"]), b"foo\nfoo\n");
}

#[test]
fn binary_files_follow_the_usual_rules() {
    let dir = Dir::new("pcre2_binary_files_follow_the_usual_rules");
    dir.create("bin.dat", b"foo bar\nfoo\x00bar\nfoo baz\n");
    let out = dir.command().args(["-P", "foo", "bin.dat"]).stdout();
    eqnice!(
        "binary file matches (found \"\\0\" byte around offset 11)\n",
        out
    );
    let out = dir.command().args(["-P", "-c", "bar", "bin.dat"]).stdout();
    eqnice!("2\n", out);
    // PCRE2 may look for a NUL (the default engine refuses such a pattern).
    let out = dir
        .command()
        .args(["-P", "-a", "-o", r"o\x00b", "bin.dat"])
        .output()
        .stdout;
    assert_eq!(out, b"o\x00b\n");
}

#[test]
fn buffer_start_of_a_walked_file() {
    // ripgrep reads a walked file (its first read takes 3 bytes) and maps a named one: `\A`
    // finds the start of its buffer, which differs. A line without matches prints whole.
    let dir = Dir::new("pcre2_buffer_start_of_a_walked_file");
    dir.create("walk/el.txt", "\nfoo\n\nfoo\nlast");
    let out = dir.command().args(["-P", "-o", r"\A\w+", "walk"]).stdout();
    eqnice!("walk/el.txt:foo\nwalk/el.txt:foo\nwalk/el.txt:last\n", out);
    let out = dir
        .command()
        .args(["-P", "-n", "--column", r"\A\w+", "walk"])
        .stdout();
    eqnice!(
        "walk/el.txt:2:1:foo\nwalk/el.txt:4:foo\nwalk/el.txt:5:1:last\n",
        out
    );
    let out = dir
        .command()
        .args(["-P", "-n", "--column", r"\A\w+", "walk/el.txt"])
        .stdout();
    eqnice!("2:foo\n4:foo\n5:last\n", out);
}

#[test]
fn compile_errors() {
    let dir = p("pcre2_compile_errors");
    let (out, err) = dir.command().args(["-P", "(", "p.txt"]).expect_err(2);
    eqnice!("", out);
    eqnice!(
        "mmgrep: PCRE2: error compiling pattern at offset 5: missing closing parenthesis\n",
        err
    );
    let (_, err) = dir
        .command()
        .args(["--engine", "auto", "a)", "p.txt"])
        .expect_err(2);
    let rule = "~".repeat(79);
    eqnice!(
        format!(
            "mmgrep: regex could not be compiled with either the default regex engine or with PCRE2.\n\n\
             default regex engine error:\n{rule}\nregex parse error:\n    (?:a))\n         ^\n\
             error: unopened group\n{rule}\n\n\
             PCRE2 regex engine error:\n\
             PCRE2: error compiling pattern at offset 5: unmatched closing parenthesis\n"
        ),
        err
    );
    // A `\n` is no error for PCRE2: no line holds one, so nothing matches.
    dir.command()
        .args(["-P", r"foo\nfoo", "p.txt"])
        .expect_status(1);
}

#[test]
fn match_limit_fails_the_file_after_what_it_printed() {
    let dir = Dir::new("pcre2_match_limit_fails_the_file");
    let mut text = b"aa\n".to_vec();
    text.extend(std::iter::repeat_n(b'a', 40000));
    text.extend_from_slice(b"b\naa\n");
    dir.create("cat.txt", &text);
    dir.create("ok.txt", "aa\n");
    let (out, err) = dir
        .command()
        .args(["-P", "^(a|aa)+$", "cat.txt"])
        .expect_err(2);
    eqnice!("aa\n", out);
    eqnice!(
        "mmgrep: cat.txt: PCRE2: error matching: match limit exceeded\n",
        err
    );
    // The other files go on; a count of the failed file is not printed.
    let (out, _) = dir
        .command()
        .args(["-P", "-c", "^(a|aa)+$", "cat.txt", "ok.txt"])
        .expect_err(2);
    eqnice!("ok.txt:1\n", out);
}

#[test]
fn last_engine_flag_wins() {
    let dir = p("pcre2_last_engine_flag_wins");
    let look = "foo(?=bar)";
    for (args, status) in [
        (&["-P"][..], 0),
        (&["-P", "--no-pcre2"][..], 2),
        (&["--engine", "auto", "-P", "--no-pcre2"][..], 2),
        (&["-P", "--engine", "auto"][..], 0),
        (&["--engine", "pcre2", "--engine", "default"][..], 2),
        (&["--auto-hybrid-regex"][..], 0),
        (&["--auto-hybrid-regex", "--no-auto-hybrid-regex"][..], 2),
        (&["--no-pcre2", "--pcre2"][..], 0),
    ] {
        let out = dir.command().args(args).args([look, "p.txt"]).output();
        assert_eq!(out.status.code(), Some(status), "{args:?}");
    }
    dir.command()
        .args(["-P", "--pcre2-unicode", "foo", "p.txt"])
        .expect_status(0);
    // --no-pcre2-unicode is ripgrep's old name of --no-unicode: ASCII \w (ripgrep's bytes).
    dir.create(
        "u.txt",
        b"\xc3\xa9 x\nab\xffcd\n\xc3\x89T\xc3\x89 \xc3\xa9t\xc3\xa9\n",
    );
    eqnice!(
        "x\nab\ncd\nT\nt\n",
        dir.command()
            .args(["-P", "--no-pcre2-unicode", "-o", "\\w+", "u.txt"])
            .stdout()
    );
    eqnice!(
        "x\nab\ncd\nT\nt\n",
        dir.command()
            .args(["--no-pcre2-unicode", "-o", "\\w+", "u.txt"])
            .stdout()
    );
}

#[test]
fn pcre2_version_as_ripgrep_prints_it() {
    let out = Dir::new("pcre2_version")
        .command()
        .arg("--pcre2-version")
        .stdout();
    assert!(
        out.starts_with("PCRE2 10.") && out.ends_with(" is available (JIT is available)\n"),
        "{out}"
    );
}

#[test]
fn chunks_agree_with_the_whole_file() {
    let dir = Dir::new("pcre2_chunks_agree_with_the_whole_file");
    let mut text = String::new();
    for i in 0..20000 {
        let w = ["foo", "bar", "foobar", "", "abab", "é", "barfoo"][i % 7];
        let v = ["x", "foo", "", "aa"][i % 4];
        text.push_str(&format!(
            "{w} {v}{}\n",
            if i % 5 == 0 { "" } else { " tail" }
        ));
    }
    dir.create("big.txt", &text);
    let chunk = page_size().to_string();
    for pat in [
        r"(?<=foo)bar",
        r"(\w)\1",
        "^$",
        r"\Abar",
        r"(?<!\w)foo(?!\w)",
    ] {
        for flags in [&["-n"][..], &["-c"], &["-o", "-b"], &["-v", "-c"]] {
            let whole = dir
                .command()
                .arg("-P")
                .args(flags)
                .args([pat, "big.txt"])
                .arg("--chunk-size=1G")
                .output();
            let parts = dir
                .command()
                .arg("-P")
                .args(flags)
                .args([pat, "big.txt", "--chunk-size", &chunk])
                .output();
            assert_eq!(whole.status.code(), parts.status.code(), "{pat} {flags:?}");
            assert!(whole.stdout == parts.stdout, "{pat} {flags:?}");
        }
    }
}

#[test]
fn in_place_replacement_with_pcre2() {
    let dir = p("pcre2_in_place_replacement");
    dir.command()
        .args(["-P", "-r", "$2$1", "--in-place", r"(?<=foo)(b)(a)", "p.txt"])
        .expect_status(0);
    assert_eq!(
        String::from_utf8(dir.read("p.txt")).unwrap(),
        // "barfoo" keeps its "ba": no "foo" before it.
        P.replace("foobar", "fooabr")
    );
}

/// ripgrep always takes its slow line path with PCRE2, whose rules differ from its fast
/// path's past -m's limit, under -v with -l or --stop-on-nonmatch, and at a fill's end.
#[test]
fn the_slow_line_path() {
    let dir = p("pcre2_the_slow_line_path");
    // Past the limit nothing matches: the after-context window's lines are context.
    case(
        &dir,
        &["-P", "-n", "-m1", "-A2", "foo"],
        "1:foobar foo\n2-foofoo barfoo\n3-abcabc x\n",
        0,
    );
    // The first matching line after the selected run stops the search.
    case(
        &dir,
        &["-P", "-n", "-v", "--stop-on-nonmatch", "-A1", "abc"],
        "1:foobar foo\n2:foofoo barfoo\n3-abcabc x\n",
        0,
    );
    dir.create("w/b.dat", b"\nfoo\nbar\x00\n");
    dir.create("w/c.txt", "x\nfoo\nfoo\n");
    // -v -l stops at the first selected line, before the NUL that drops the file on the
    // fast path.
    let out = dir.command().args(["-P", "-v", "-l", "zzz", "w"]).stdout();
    eqnice!("w/b.dat\nw/c.txt\n", out);
    let out = dir.command().args(["-v", "-l", "zzz", "w"]).stdout();
    eqnice!("w/c.txt\n", out);
    // The limit's line ends ripgrep's first 3-byte read: it reads on and meets the NUL.
    let out = dir.command().args(["-P", "-m1", "x*", "w"]).stdout();
    eqnice!(
        "w/b.dat:\nw/b.dat: WARNING: stopped searching binary file after match (found \"\\0\" byte around offset 8)\nw/c.txt:x\n",
        out
    );
    let out = dir.command().args(["-m1", "x*", "w"]).stdout();
    eqnice!("w/b.dat:\nw/c.txt:x\n", out);
}
