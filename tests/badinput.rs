//! Bad input: each error is reported on stderr (prefixed `mmgrep: `), exits 2 and prints
//! nothing on stdout; inputs that look odd but are valid (an empty pattern, 100000 patterns)
//! work. Messages follow ripgrep 15.2's where ripgrep has one.

use crate::naive::page_size;
use crate::util::Dir;

fn r(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("r.txt", "foo bar\n");
    dir
}

#[test]
fn invalid_regex_shows_the_pattern_and_a_caret() {
    let dir = r("invalid_regex_shows_the_pattern_and_a_caret");
    let (out, err) = dir.command().args(["a(b", "r.txt"]).expect_err(2);
    eqnice!("", out);
    eqnice!(
        "mmgrep: regex parse error:\n    (?:a(b)\n    ^\nerror: unclosed group\n",
        err
    );
}

#[test]
fn invalid_regex_among_several_shows_the_joined_pattern() {
    let dir = r("invalid_regex_among_several_shows_the_joined_pattern");
    let (out, err) = dir
        .command()
        .args(["-e", "foo", "-e", "x)", "r.txt"])
        .expect_err(2);
    eqnice!("", out);
    eqnice!(
        "mmgrep: regex parse error:\n    (?:foo)|(?:x))\n                 ^\nerror: unopened group\n",
        err
    );
}

#[test]
fn unsupported_regex_features() {
    let dir = r("unsupported_regex_features");
    let (out, err) = dir.command().args(["(?=a)", "r.txt"]).expect_err(2);
    eqnice!("", out);
    eqnice!(
        "mmgrep: regex parse error:\n    (?:(?=a))\n       ^^^\nerror: look-around, including look-ahead and look-behind, is not supported\n\n\
         Consider enabling PCRE2 with the --pcre2 flag, which can handle backreferences\n\
         and look-around.\n",
        err
    );
    let (out, err) = dir.command().args([r"\1", "r.txt"]).expect_err(2);
    eqnice!("", out);
    eqnice!(
        "mmgrep: regex parse error:\n    (?:\\1)\n       ^^\nerror: backreferences are not supported\n\n\
         Consider enabling PCRE2 with the --pcre2 flag, which can handle backreferences\n\
         and look-around.\n",
        err
    );
}

#[test]
fn fixed_strings_escape_what_would_be_invalid() {
    let dir = r("fixed_strings_escape_what_would_be_invalid");
    eqnice!(
        "",
        dir.command()
            .args(["-F", "-e", "a(b", "-e", "x)", "r.txt"])
            .expect_status(1)
    );
}

#[test]
fn literal_newline_in_a_pattern_is_refused() {
    let dir = r("literal_newline_in_a_pattern_is_refused");
    for pat in [r"a\nb", r"\n", r"[\n]", r"\x0A"] {
        let (out, err) = dir.command().args([pat, "r.txt"]).expect_err(2);
        eqnice!("", out);
        assert!(
            err.starts_with("mmgrep: the literal \"\\n\" is not allowed in a regex\n"),
            "pattern {pat}: stderr: {err}"
        );
    }
}

#[test]
fn fixed_string_with_a_newline_is_refused() {
    let dir = r("fixed_string_with_a_newline_is_refused");
    let (out, err) = dir.command().args(["-F", "a\nb", "r.txt"]).expect_err(2);
    eqnice!("", out);
    assert!(
        err.contains(r#"the literal "\n" is not allowed in a regex"#),
        "stderr: {err}"
    );
}

#[test]
fn newline_in_a_class_or_alternation_is_dropped_not_refused() {
    let dir = Dir::new("newline_in_a_class_or_alternation_is_dropped_not_refused");
    dir.create("pt.txt", "foo\nbar\nfoo\r\n");
    dir.create("n.txt", "a\nb\na b\n");
    eqnice!(
        "bar\n",
        dir.command()
            .args(["-e", "a", "-e", r"\n", "pt.txt"])
            .stdout()
    );
    eqnice!(
        "3:foo\r\n",
        dir.command().args(["-n", r"[\n\r]", "pt.txt"]).stdout()
    );
    // \s cannot reach the line break: `a` at the end of line 1 does not match.
    eqnice!(
        "3:a b\n",
        dir.command().args(["-n", r"a\s", "n.txt"]).stdout()
    );
}

#[test]
fn regex_over_the_size_limit_is_refused() {
    let dir = r("regex_over_the_size_limit_is_refused");
    let (out, err) = dir
        .command()
        .args(["--regex-size-limit", "100", "a{1000}", "r.txt"])
        .expect_err(2);
    eqnice!("", out);
    assert!(
        err.starts_with("mmgrep: compiled regex exceeds size limit of 100"),
        "stderr: {err}"
    );
    let (out, err) = dir
        .command()
        .args([r"\w{1000}{100}", "r.txt"])
        .expect_err(2);
    eqnice!("", out);
    assert!(
        err.starts_with("mmgrep: compiled regex exceeds size limit of 104857600"),
        "stderr: {err}"
    );
}

#[test]
fn size_limit_does_not_apply_to_plain_literals() {
    let dir = r("size_limit_does_not_apply_to_plain_literals");
    eqnice!(
        "foo bar\n",
        dir.command()
            .args(["--regex-size-limit", "10", "foo", "r.txt"])
            .stdout()
    );
}

#[test]
fn empty_pattern_matches_every_line() {
    let dir = Dir::new("empty_pattern_matches_every_line");
    dir.create("e.txt", "abc\n\nfoo bar\n");
    let (out, err) = dir.command().args(["", "e.txt"]).expect_err(0);
    eqnice!("abc\n\nfoo bar\n", out);
    eqnice!("", err);
    eqnice!(
        "1:1:abc\n2:1:\n3:1:foo bar\n",
        dir.command().args(["--column", "", "e.txt"]).stdout()
    );
    eqnice!("\n", dir.command().args(["-w", "", "e.txt"]).stdout());
    eqnice!("\n", dir.command().args(["-x", "", "e.txt"]).stdout());
}

#[test]
fn hundred_thousand_literal_patterns_from_a_file() {
    let dir = Dir::new("hundred_thousand_literal_patterns_from_a_file");
    let pats: String = (0..100_000).map(|i| format!("word{i:06}z\n")).collect();
    dir.create("pats", pats);
    dir.create(
        "hay.txt",
        "nothing here\nwe have word071234z inside\nword99999 no\n",
    );
    eqnice!(
        "2:we have word071234z inside\n",
        dir.command().args(["-n", "-f", "pats", "hay.txt"]).stdout()
    );
    eqnice!(
        "word071234z\n",
        dir.command()
            .args(["-o", "-F", "-f", "pats", "hay.txt"])
            .stdout()
    );
}

#[test]
fn missing_pattern_file_is_named() {
    let dir = r("missing_pattern_file_is_named");
    let (out, err) = dir
        .command()
        .args(["-f", "nope.pat", "r.txt"])
        .expect_err(2);
    eqnice!("", out);
    eqnice!(
        "mmgrep: nope.pat: No such file or directory (os error 2)\n",
        err
    );
}

#[test]
fn patterns_and_paths_both_from_stdin_refused() {
    let dir = r("patterns_and_paths_both_from_stdin_refused");
    let (out, err) = dir
        .command()
        .args(["-f", "-", "-"])
        .stdin("foo\n")
        .expect_err(2);
    eqnice!("", out);
    assert!(
        err.contains("attempted to read patterns from stdin while also searching stdin"),
        "stderr: {err}"
    );
}

#[test]
fn missing_path_is_reported_and_the_others_searched() {
    let dir = r("missing_path_is_reported_and_the_others_searched");
    dir.create("s.txt", "foo too\n");
    let (out, err) = dir
        .command()
        .args(["foo", "r.txt", "nope", "s.txt"])
        .expect_err(2);
    eqnice!("r.txt:foo bar\ns.txt:foo too\n", out);
    eqnice!(
        "mmgrep: nope: IO error for operation on nope: No such file or directory (os error 2)\n",
        err
    );
}

#[test]
fn missing_path_alone() {
    let dir = r("missing_path_alone");
    let (out, err) = dir.command().args(["foo", "nope"]).expect_err(2);
    eqnice!("", out);
    eqnice!(
        "mmgrep: nope: IO error for operation on nope: No such file or directory (os error 2)\n",
        err
    );
    // -s is --case-sensitive, not "silent"; --no-messages hides the text but not the status.
    let (out, err) = dir
        .command()
        .args(["--no-messages", "foo", "r.txt", "nope"])
        .expect_err(2);
    eqnice!("r.txt:foo bar\n", out);
    eqnice!("", err);
}

#[test]
fn chunk_size_not_a_page_multiple_is_refused_naming_the_page_size() {
    let dir = r("chunk_size_not_a_page_multiple_is_refused_naming_the_page_size");
    let (out, err) = dir
        .command()
        .args(["--chunk-size", "1000", "foo", "r.txt"])
        .expect_err(2);
    eqnice!("", out);
    assert!(err.starts_with("mmgrep: "), "stderr: {err}");
    assert!(
        err.contains("--chunk-size")
            && err.contains("page size")
            && err.contains(&page_size().to_string()),
        "stderr: {err}"
    );
    let (out, _) = dir
        .command()
        .args(["--chunk-size", "0", "foo", "r.txt"])
        .expect_err(2);
    eqnice!("", out);
    let odd = (page_size() + 1).to_string();
    let (out, _) = dir
        .command()
        .args(["--chunk-size", &odd, "foo", "r.txt"])
        .expect_err(2);
    eqnice!("", out);
}

#[test]
fn invalid_sizes_are_refused() {
    let dir = r("invalid_sizes_are_refused");
    for args in [
        ["--max-filesize", "lots"],
        ["--chunk-size", "4Q"],
        ["--regex-size-limit", "x"],
    ] {
        let (out, err) = dir
            .command()
            .args(args)
            .args(["foo", "r.txt"])
            .expect_err(2);
        eqnice!("", out);
        assert!(
            err.contains(args[0]) || err.contains(args[1]),
            "{args:?}: stderr: {err}"
        );
    }
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let dir = r("unknown_flag_is_a_usage_error");
    let (out, err) = dir
        .command()
        .args(["--no-such-flag", "foo", "r.txt"])
        .expect_err(2);
    eqnice!("", out);
    assert!(err.contains("--no-such-flag"), "stderr: {err}");
}

#[test]
fn no_pattern_is_a_usage_error() {
    let dir = r("no_pattern_is_a_usage_error");
    let (out, err) = dir.command().expect_err(2);
    eqnice!("", out);
    assert!(!err.is_empty());
}
