//! One test (or a few) per search and output flag. Expected bytes are ripgrep 15.2's for the
//! same files (`rg --sort path --no-heading --color never ARGS`, stdout a pipe).

use crate::util::Dir;

/// cs/a.txt: matches of `m` on lines 1, 5 and 7; cs/b.txt: on line 1.
const CS_A: &str = "m1\nx\nx\nx\nm2\nx\nm3\n";
const CS_B: &str = "m4\nx\n";
/// mx/f.txt: `a` on lines 1, 4, 6 and 10.
const MX: &str = "a1\nx\nx\na2\nx\na3\nx\nx\nx\na4\nx\n";
/// Two `foo` on line 1 (columns 4 and 11, offsets 3 and 10), one on line 3 (offset 19).
const OM: &str = "ab foo cd foo\nbar\nxfoox\n";
const WX: &str = "foo\nfoobar\nbar foo baz\n-foo-\nfoo_bar\nxfoo\n@foo@\n(foo)\n";
const SC: &str = "foo\nFOO\nFoo\n\n1 2\nA B\n";
const RP: &str = "john smith 42\nfoo\n";

fn cs(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("cs/a.txt", CS_A);
    dir.create("cs/b.txt", CS_B);
    dir
}

fn one(name: &str, file: &str, contents: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create(file, contents);
    dir
}

// ---- Patterns -------------------------------------------------------------------------

#[test]
fn several_e_patterns_select_lines_matching_any() {
    let dir = cs("several_e_patterns_select_lines_matching_any");
    let got = dir
        .command()
        .args(["-n", "-e", "m1", "-e", "m4", "-e", "x", "cs"])
        .stdout();
    eqnice!(
        "cs/a.txt:1:m1\ncs/a.txt:2:x\ncs/a.txt:3:x\ncs/a.txt:4:x\ncs/a.txt:6:x\ncs/b.txt:1:m4\ncs/b.txt:2:x\n",
        got
    );
}

#[test]
fn e_pattern_may_start_with_a_dash() {
    let dir = one("e_pattern_may_start_with_a_dash", "f.txt", WX);
    let got = dir.command().args(["-n", "-e", "-foo", "f.txt"]).stdout();
    eqnice!("4:-foo-\n", got);
}

#[test]
fn pattern_file_one_pattern_per_line_crlf_stripped() {
    let dir = Dir::new("pattern_file_one_pattern_per_line_crlf_stripped");
    dir.create("pats.txt", "foo\r\nbar\n");
    dir.create("pt.txt", "foo\nbar\nfoo\r\n");
    let got = dir.command().args(["-f", "pats.txt", "pt.txt"]).stdout();
    eqnice!("foo\nbar\nfoo\r\n", got);
}

#[test]
fn pattern_file_from_stdin() {
    let dir = cs("pattern_file_from_stdin");
    let got = dir
        .command()
        .args(["-f", "-", "cs/a.txt"])
        .stdin("m1\nm3\n")
        .stdout();
    eqnice!("m1\nm3\n", got);
}

#[test]
fn pattern_file_and_e_combine() {
    let dir = cs("pattern_file_and_e_combine");
    dir.create("pats", "m1\n");
    let got = dir
        .command()
        .args(["-f", "pats", "-e", "m4", "cs"])
        .stdout();
    eqnice!("cs/a.txt:m1\ncs/b.txt:m4\n", got);
}

#[test]
fn pattern_file_empty_line_matches_every_line() {
    let dir = Dir::new("pattern_file_empty_line_matches_every_line");
    dir.create("pats2.txt", "foo\n\n");
    dir.create("e.txt", "abc\n\nfoo bar\n");
    let got = dir
        .command()
        .args(["-n", "-f", "pats2.txt", "e.txt"])
        .stdout();
    eqnice!("1:abc\n2:\n3:foo bar\n", got);
}

#[test]
fn empty_pattern_file_matches_nothing_but_inverted_everything() {
    let dir = Dir::new("empty_pattern_file_matches_nothing_but_inverted_everything");
    dir.create("empty.pat", "");
    dir.create("e.txt", "abc\n\nfoo bar\n");
    let got = dir
        .command()
        .args(["-f", "empty.pat", "e.txt"])
        .expect_status(1);
    eqnice!("", got);
    let got = dir
        .command()
        .args(["-v", "-f", "empty.pat", "e.txt"])
        .stdout();
    eqnice!("abc\n\nfoo bar\n", got);
}

#[test]
fn fixed_strings_treat_meta_characters_literally() {
    let dir = one(
        "fixed_strings_treat_meta_characters_literally",
        "f.txt",
        "a.b\naxb\n(x)\n",
    );
    eqnice!("a.b\n", dir.command().args(["-F", "a.b", "f.txt"]).stdout());
    eqnice!("a.b\naxb\n", dir.command().args(["a.b", "f.txt"]).stdout());
    eqnice!(
        "(x)\n",
        dir.command()
            .args(["-F", "-e", "(x", "-e", "zz)", "f.txt"])
            .stdout()
    );
}

#[test]
fn ignore_case() {
    let dir = one("ignore_case", "f.txt", SC);
    eqnice!(
        "1:foo\n2:FOO\n3:Foo\n",
        dir.command().args(["-n", "-i", "foo", "f.txt"]).stdout()
    );
}

#[test]
fn case_sensitive_after_ignore_case_wins() {
    let dir = one("case_sensitive_after_ignore_case_wins", "f.txt", SC);
    eqnice!(
        "3:Foo\n",
        dir.command()
            .args(["-n", "-i", "-s", "Foo", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:foo\n2:FOO\n3:Foo\n",
        dir.command()
            .args(["-n", "-s", "-i", "Foo", "f.txt"])
            .stdout()
    );
}

#[test]
fn smart_case_lowercase_literal_is_insensitive() {
    let dir = one("smart_case_lowercase_literal_is_insensitive", "f.txt", SC);
    eqnice!(
        "1:foo\n2:FOO\n3:Foo\n",
        dir.command().args(["-n", "-S", "foo", "f.txt"]).stdout()
    );
    eqnice!(
        "3:Foo\n",
        dir.command().args(["-n", "-S", "Foo", "f.txt"]).stdout()
    );
}

#[test]
fn smart_case_unicode_class_is_not_a_literal() {
    let dir = one("smart_case_unicode_class_is_not_a_literal", "f.txt", SC);
    // No literal at all: stays case sensitive.
    eqnice!(
        "2:FOO\n3:Foo\n6:A B\n",
        dir.command()
            .args(["-n", "-S", r"\p{Lu}"])
            .arg("f.txt")
            .stdout()
    );
    // \w is a class too: only the lowercase literals count.
    eqnice!(
        "1:foo\n2:FOO\n3:Foo\n",
        dir.command().args(["-n", "-S", r"f\w\w", "f.txt"]).stdout()
    );
}

#[test]
fn smart_case_uppercase_in_bracket_range_or_escape_counts() {
    let dir = one(
        "smart_case_uppercase_in_bracket_range_or_escape_counts",
        "f.txt",
        SC,
    );
    eqnice!(
        "3:Foo\n",
        dir.command()
            .args(["-n", "-S", "[A-Z]oo", "f.txt"])
            .stdout()
    );
    eqnice!(
        "3:Foo\n",
        dir.command()
            .args(["-n", "-S", r"\x46oo", "f.txt"])
            .stdout()
    );
}

#[test]
fn smart_case_looks_across_all_patterns() {
    let dir = one("smart_case_looks_across_all_patterns", "f.txt", SC);
    eqnice!(
        "1:foo\n",
        dir.command()
            .args(["-n", "-S", "-e", "foo", "-e", "BAR", "f.txt"])
            .stdout()
    );
}

#[test]
fn word_regexp_uses_half_boundaries() {
    let dir = one("word_regexp_uses_half_boundaries", "f.txt", WX);
    eqnice!(
        "1:foo\n3:bar foo baz\n4:-foo-\n7:@foo@\n8:(foo)\n",
        dir.command().args(["-n", "-w", "foo", "f.txt"]).stdout()
    );
}

#[test]
fn word_regexp_dash_foo_matches_dash_foo_dash() {
    let dir = one("word_regexp_dash_foo_matches_dash_foo_dash", "f.txt", WX);
    eqnice!(
        "4:-foo-\n",
        dir.command()
            .args(["-n", "-w", "--", "-foo", "f.txt"])
            .stdout()
    );
    eqnice!(
        "7:@foo@\n",
        dir.command()
            .args(["-n", "-w", "-o", "@foo@", "f.txt"])
            .stdout()
    );
}

#[test]
fn word_regexp_only_matching_offsets() {
    let dir = one(
        "word_regexp_only_matching_offsets",
        "h.txt",
        "foo-foo foo\n",
    );
    eqnice!(
        "0:foo\n4:foo\n8:foo\n",
        dir.command()
            .args(["-w", "-o", "-b", "foo", "h.txt"])
            .stdout()
    );
    // '-' at offset 3 is preceded by the word character 'o'.
    eqnice!(
        "",
        dir.command()
            .args(["-w", "-o", "-b", "--", "-foo", "h.txt"])
            .expect_status(1)
    );
}

#[test]
fn word_regexp_wraps_the_whole_alternation() {
    let dir = one("word_regexp_wraps_the_whole_alternation", "f.txt", WX);
    eqnice!(
        "1:foo\n3:bar foo baz\n4:-foo-\n7:@foo@\n8:(foo)\n",
        dir.command()
            .args(["-n", "-w", "-e", "foo", "-e", "bar", "f.txt"])
            .stdout()
    );
}

#[test]
fn line_regexp() {
    let dir = one("line_regexp", "f.txt", WX);
    eqnice!(
        "1:foo\n",
        dir.command()
            .args(["-n", "-x", "foo|bar", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:foo\n2:foobar\n",
        dir.command()
            .args(["-n", "-x", "-e", "foo", "-e", "foobar", "f.txt"])
            .stdout()
    );
}

#[test]
fn line_regexp_after_word_regexp_wins() {
    let dir = one("line_regexp_after_word_regexp_wins", "f.txt", WX);
    eqnice!(
        "1:foo\n",
        dir.command()
            .args(["-n", "-w", "-x", "foo", "f.txt"])
            .stdout()
    );
}

#[test]
fn invert_match() {
    let dir = one("invert_match", "f.txt", MX);
    eqnice!(
        "2:x\n3:x\n5:x\n7:x\n8:x\n9:x\n11:x\n",
        dir.command().args(["-n", "-v", "a", "f.txt"]).stdout()
    );
}

#[test]
fn invert_match_exit_one_when_every_line_matches() {
    let dir = one(
        "invert_match_exit_one_when_every_line_matches",
        "m.txt",
        "foo\n",
    );
    eqnice!(
        "",
        dir.command().args(["-v", "foo", "m.txt"]).expect_status(1)
    );
    eqnice!("foo\n", dir.command().args(["-v", "zzz", "m.txt"]).stdout());
}

// ---- -m -------------------------------------------------------------------------------

#[test]
fn max_count_trailing_context_prints_matches_as_matches() {
    let dir = one(
        "max_count_trailing_context_prints_matches_as_matches",
        "f.txt",
        MX,
    );
    eqnice!(
        "1:a1\n2-x\n3-x\n4:a2\n",
        dir.command()
            .args(["-n", "-m1", "-A3", "a", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:a1\n2-x\n3-x\n4:a2\n5-x\n6:a3\n7-x\n",
        dir.command()
            .args(["-n", "-m2", "-A3", "a", "f.txt"])
            .stdout()
    );
    // The match in the window does not extend it.
    eqnice!(
        "1:a1\n2-x\n3-x\n4:a2\n5-x\n6:a3\n",
        dir.command()
            .args(["-n", "-m1", "-A5", "a", "f.txt"])
            .stdout()
    );
}

#[test]
fn max_count_without_context() {
    let dir = one("max_count_without_context", "f.txt", MX);
    eqnice!(
        "1:a1\n4:a2\n",
        dir.command().args(["-n", "-m", "2", "a", "f.txt"]).stdout()
    );
    eqnice!(
        "2\n",
        dir.command().args(["-c", "-m2", "a", "f.txt"]).stdout()
    );
}

#[test]
fn max_count_with_before_context_and_separator() {
    let dir = one("max_count_with_before_context_and_separator", "f.txt", MX);
    eqnice!(
        "1:a1\n--\n3-x\n4:a2\n",
        dir.command()
            .args(["-n", "-m2", "-B1", "a", "f.txt"])
            .stdout()
    );
}

#[test]
fn max_count_inverted_with_after_context() {
    let dir = one("max_count_inverted_with_after_context", "f.txt", MX);
    eqnice!(
        "2:x\n3:x\n4-a2\n5:x\n",
        dir.command()
            .args(["-n", "-m2", "-v", "-A2", "a", "f.txt"])
            .stdout()
    );
}

#[test]
fn max_count_is_per_file() {
    let dir = cs("max_count_is_per_file");
    eqnice!(
        "cs/a.txt:m1\ncs/b.txt:m4\n",
        dir.command().args(["-m1", "m", "cs"]).stdout()
    );
}

#[test]
fn count_matches_with_max_count_counts_matches_in_those_lines() {
    let dir = one(
        "count_matches_with_max_count_counts_matches_in_those_lines",
        "f.txt",
        OM,
    );
    eqnice!(
        "2\n",
        dir.command()
            .args(["--count-matches", "-m1", "foo", "f.txt"])
            .stdout()
    );
}

#[test]
fn max_count_zero_searches_nothing() {
    let dir = one("max_count_zero_searches_nothing", "m.txt", "foo\n");
    let (out, err) = dir
        .command()
        .args(["-m0", "foo", "m.txt", "nope"])
        .expect_err(1);
    eqnice!("", out);
    eqnice!("", err);
}

// ---- Line numbers, columns, offsets ---------------------------------------------------

#[test]
fn line_numbers_off_in_a_pipe_on_with_n_off_with_big_n() {
    let dir = one(
        "line_numbers_off_in_a_pipe_on_with_n_off_with_big_n",
        "f.txt",
        OM,
    );
    eqnice!(
        "ab foo cd foo\nxfoox\n",
        dir.command().args(["foo", "f.txt"]).stdout()
    );
    eqnice!(
        "1:ab foo cd foo\n3:xfoox\n",
        dir.command().args(["-n", "foo", "f.txt"]).stdout()
    );
    eqnice!(
        "ab foo cd foo\nxfoox\n",
        dir.command().args(["-n", "-N", "foo", "f.txt"]).stdout()
    );
}

#[test]
fn column_implies_line_numbers_unless_big_n() {
    let dir = one("column_implies_line_numbers_unless_big_n", "f.txt", OM);
    eqnice!(
        "1:4:ab foo cd foo\n3:2:xfoox\n",
        dir.command().args(["--column", "foo", "f.txt"]).stdout()
    );
    eqnice!(
        "4:ab foo cd foo\n2:xfoox\n",
        dir.command()
            .args(["-N", "--column", "foo", "f.txt"])
            .stdout()
    );
}

#[test]
fn column_with_only_matching_is_per_match() {
    let dir = one("column_with_only_matching_is_per_match", "f.txt", OM);
    eqnice!(
        "1:4:foo\n1:11:foo\n3:2:foo\n",
        dir.command()
            .args(["-o", "--column", "foo", "f.txt"])
            .stdout()
    );
}

#[test]
fn column_counts_bytes_not_characters() {
    let dir = one(
        "column_counts_bytes_not_characters",
        "u.txt",
        "\u{e9} foo\n",
    );
    eqnice!(
        "1:4:foo\n",
        dir.command()
            .args(["--column", "-o", "foo", "u.txt"])
            .stdout()
    );
}

#[test]
fn column_absent_on_inverted_lines() {
    let dir = one("column_absent_on_inverted_lines", "f.txt", OM);
    eqnice!(
        "2:bar\n",
        dir.command()
            .args(["--column", "-v", "foo", "f.txt"])
            .stdout()
    );
}

#[test]
fn byte_offset_of_line_start() {
    let dir = one("byte_offset_of_line_start", "f.txt", OM);
    eqnice!(
        "0:ab foo cd foo\n18:xfoox\n",
        dir.command().args(["-b", "foo", "f.txt"]).stdout()
    );
}

#[test]
fn byte_offset_on_stdin_counts_from_the_stream_start() {
    let dir = Dir::new("byte_offset_on_stdin_counts_from_the_stream_start");
    // The first line is consumed by an early buffer fill: offsets must still be absolute.
    eqnice!(
        "2:m1\n5:m1\n",
        dir.command()
            .args(["-b", "m1"])
            .stdin("x\nm1\nm1\n")
            .stdout()
    );
    eqnice!(
        "4:m1\n7:m1\n",
        dir.command()
            .args(["-b", "-o", "m1"])
            .stdin("xyz\nm1\nm1\n")
            .stdout()
    );
}

#[test]
fn byte_offset_with_only_matching_is_the_match_start() {
    let dir = one(
        "byte_offset_with_only_matching_is_the_match_start",
        "f.txt",
        OM,
    );
    eqnice!(
        "3:foo\n10:foo\n19:foo\n",
        dir.command().args(["-o", "-b", "foo", "f.txt"]).stdout()
    );
}

#[test]
fn line_column_offset_and_context_preludes() {
    let dir = cs("line_column_offset_and_context_preludes");
    eqnice!(
        "1:1:0:m1\n2-3-x\n--\n5:1:9:m2\n6-12-x\n7:1:14:m3\n",
        dir.command()
            .args(["-n", "--column", "-b", "-A1", "m", "cs/a.txt"])
            .stdout()
    );
}

// ---- File names and headings ----------------------------------------------------------

#[test]
fn filename_default_off_for_one_file() {
    let dir = cs("filename_default_off_for_one_file");
    eqnice!("m1\n", dir.command().args(["m1", "cs/a.txt"]).stdout());
}

#[test]
fn filename_default_on_for_a_directory_or_several_files() {
    let dir = cs("filename_default_on_for_a_directory_or_several_files");
    eqnice!(
        "cs/a.txt:m1\n",
        dir.command().args(["m1", "cs/a.txt", "cs/b.txt"]).stdout()
    );
    eqnice!("cs/a.txt:m1\n", dir.command().args(["m1", "cs"]).stdout());
}

#[test]
fn filename_default_off_for_stdin() {
    let dir = Dir::new("filename_default_off_for_stdin");
    eqnice!("m1\n", dir.command().arg("m1").stdin("m1\nx\n").stdout());
}

#[test]
fn with_filename_forces_the_path_even_for_stdin() {
    let dir = cs("with_filename_forces_the_path_even_for_stdin");
    eqnice!(
        "<stdin>:m1\n",
        dir.command().args(["-H", "m1"]).stdin("m1\n").stdout()
    );
    eqnice!(
        "cs/b.txt:m4\n",
        dir.command().args(["-H", "m", "cs/b.txt"]).stdout()
    );
}

#[test]
fn no_filename_drops_paths_for_a_directory() {
    let dir = cs("no_filename_drops_paths_for_a_directory");
    eqnice!(
        "m1\nm2\nm3\nm4\n",
        dir.command().args(["-I", "m", "cs"]).stdout()
    );
}

#[test]
fn stdin_dash_and_a_file_both_named() {
    let dir = cs("stdin_dash_and_a_file_both_named");
    eqnice!(
        "<stdin>:m1\ncs/a.txt:m1\n",
        dir.command()
            .args(["m1", "-", "cs/a.txt"])
            .stdin("m1\n")
            .stdout()
    );
}

#[test]
fn heading_groups_lines_under_each_path() {
    let dir = cs("heading_groups_lines_under_each_path");
    eqnice!(
        "cs/a.txt\nm1\nm2\nm3\n\ncs/b.txt\nm4\n",
        dir.command().args(["--heading", "m", "cs"]).stdout()
    );
}

#[test]
fn heading_with_context_separates_files_by_a_blank_line() {
    let dir = cs("heading_with_context_separates_files_by_a_blank_line");
    eqnice!(
        "cs/a.txt\n1:m1\n2-x\n--\n5:m2\n6-x\n7:m3\n\ncs/b.txt\n1:m4\n2-x\n",
        dir.command()
            .args(["--heading", "-n", "-A1", "m", "cs"])
            .stdout()
    );
}

#[test]
fn no_heading_after_heading_wins() {
    let dir = cs("no_heading_after_heading_wins");
    eqnice!(
        "cs/a.txt:m1\ncs/b.txt:m4\n",
        dir.command()
            .args(["--heading", "--no-heading", "m[14]", "cs"])
            .stdout()
    );
}

#[test]
fn heading_ignored_by_count() {
    let dir = cs("heading_ignored_by_count");
    eqnice!(
        "cs/a.txt:3\ncs/b.txt:1\n",
        dir.command().args(["--heading", "-c", "m", "cs"]).stdout()
    );
}

#[test]
fn heading_for_one_file_prints_no_heading_line() {
    let dir = cs("heading_for_one_file_prints_no_heading_line");
    eqnice!(
        "m4\n",
        dir.command().args(["--heading", "m", "cs/b.txt"]).stdout()
    );
}

// ---- -o, counts, file lists, -q -------------------------------------------------------

#[test]
fn only_matching_one_line_per_match() {
    let dir = one("only_matching_one_line_per_match", "f.txt", OM);
    eqnice!(
        "foo\nfoo\nfoo\n",
        dir.command().args(["-o", "foo", "f.txt"]).stdout()
    );
}

#[test]
fn only_matching_inverted_prints_whole_lines() {
    let dir = one("only_matching_inverted_prints_whole_lines", "f.txt", OM);
    eqnice!(
        "bar\n",
        dir.command().args(["-o", "-v", "foo", "f.txt"]).stdout()
    );
}

#[test]
fn only_matching_empty_pattern_prints_an_empty_line_per_position() {
    let dir = one(
        "only_matching_empty_pattern_prints_an_empty_line_per_position",
        "e.txt",
        "abc\n\nfoo bar\n",
    );
    eqnice!(
        "\n".repeat(13),
        dir.command().args(["-o", "", "e.txt"]).stdout()
    );
}

#[test]
fn empty_matches_on_a_last_line_without_newline_stop_before_its_end() {
    // ripgrep drops an empty match at the end of a line's range: with no terminator, that
    // is the end of the text, so `ab` has empty matches at 0 and 1 only.
    let dir = one(
        "empty_matches_on_a_last_line_without_newline_stop_before_its_end",
        "ab",
        "ab",
    );
    eqnice!("\n\n", dir.command().args(["-o", "", "ab"]).stdout());
    eqnice!(
        "2\n",
        dir.command().args(["--count-matches", "", "ab"]).stdout()
    );
    eqnice!(
        "ab:1:1:ab\nab:1:2:ab\n",
        dir.command().args(["--vimgrep", "", "ab"]).stdout()
    );
    eqnice!(
        "2\n",
        dir.command()
            .args(["--count-matches", ""])
            .stdin("ab")
            .stdout()
    );
    // With the newline, three.
    eqnice!(
        "3\n",
        dir.command()
            .args(["--count-matches", ""])
            .stdin("ab\n")
            .stdout()
    );
    let got = dir.command().args(["--json", "", "ab"]).stdout();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"ab"},"lines":{"text":"ab"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":""},"start":0,"end":0},{"match":{"text":""},"start":1,"end":1}]}}"#,
        got.lines().nth(1).unwrap()
    );
}

#[test]
fn only_matching_with_context_prints_context_lines_whole() {
    let dir = cs("only_matching_with_context_prints_context_lines_whole");
    eqnice!(
        "cs/a.txt:m\ncs/a.txt-x\n--\ncs/a.txt:m\ncs/a.txt-x\ncs/a.txt:m\n--\ncs/b.txt:m\ncs/b.txt-x\n",
        dir.command().args(["-o", "-A1", "m", "cs"]).stdout()
    );
}

#[test]
fn count_lines_per_file() {
    let dir = cs("count_lines_per_file");
    eqnice!(
        "cs/a.txt:3\ncs/b.txt:1\n",
        dir.command().args(["-c", "m", "cs"]).stdout()
    );
    eqnice!(
        "cs/a.txt:3\ncs/b.txt:1\n",
        dir.command().args(["-c", "-A1", "m", "cs"]).stdout()
    );
}

#[test]
fn count_counts_lines_count_matches_counts_matches() {
    let dir = one(
        "count_counts_lines_count_matches_counts_matches",
        "f.txt",
        OM,
    );
    eqnice!("2\n", dir.command().args(["-c", "foo", "f.txt"]).stdout());
    eqnice!(
        "3\n",
        dir.command()
            .args(["--count-matches", "foo", "f.txt"])
            .stdout()
    );
    eqnice!(
        "3\n",
        dir.command().args(["-c", "-o", "foo", "f.txt"]).stdout()
    );
}

#[test]
fn count_inverted() {
    let dir = one("count_inverted", "f.txt", OM);
    eqnice!(
        "1\n",
        dir.command().args(["-c", "-v", "foo", "f.txt"]).stdout()
    );
    eqnice!(
        "1\n",
        dir.command()
            .args(["--count-matches", "-v", "foo", "f.txt"])
            .stdout()
    );
}

#[test]
fn count_empty_pattern() {
    let dir = one("count_empty_pattern", "e.txt", "abc\n\nfoo bar\n");
    eqnice!("3\n", dir.command().args(["-c", "", "e.txt"]).stdout());
    eqnice!(
        "13\n",
        dir.command()
            .args(["--count-matches", "", "e.txt"])
            .stdout()
    );
}

#[test]
fn count_no_match_prints_nothing_exit_one() {
    let dir = one("count_no_match_prints_nothing_exit_one", "m.txt", "foo\n");
    eqnice!(
        "",
        dir.command().args(["-c", "zzz", "m.txt"]).expect_status(1)
    );
}

#[test]
fn include_zero_prints_zero_counts() {
    let dir = cs("include_zero_prints_zero_counts");
    dir.create("ex/m.txt", "foo\n");
    dir.create("ex/n.txt", "bar\n");
    eqnice!(
        "cs/a.txt:3\ncs/b.txt:1\nex/m.txt:0\nex/n.txt:0\n",
        dir.command()
            .args(["--include-zero", "-c", "m", "cs", "ex"])
            .stdout()
    );
    // Zero counts printed, but nothing matched: exit 1.
    eqnice!(
        "cs/a.txt:0\ncs/b.txt:0\n",
        dir.command()
            .args(["--include-zero", "--count-matches", "zzz", "cs"])
            .expect_status(1)
    );
    eqnice!(
        "0\n",
        dir.command()
            .args(["--include-zero", "-c", "zzz", "ex/m.txt"])
            .expect_status(1)
    );
}

#[test]
fn files_with_matches() {
    let dir = cs("files_with_matches");
    dir.create("ex/m.txt", "foo\n");
    eqnice!(
        "cs/a.txt\ncs/b.txt\n",
        dir.command().args(["-l", "m", "cs", "ex"]).stdout()
    );
    eqnice!("", dir.command().args(["-l", "zzz", "cs"]).expect_status(1));
}

#[test]
fn files_without_match_and_its_exit_status() {
    let dir = Dir::new("files_without_match_and_its_exit_status");
    dir.create("ex/m.txt", "foo\n");
    dir.create("ex/n.txt", "bar\n");
    eqnice!(
        "ex/n.txt\n",
        dir.command()
            .args(["--files-without-match", "foo", "ex"])
            .stdout()
    );
    // Every file matched: nothing printed, exit 1.
    eqnice!(
        "",
        dir.command()
            .args(["--files-without-match", "foo", "ex/m.txt"])
            .expect_status(1)
    );
    eqnice!(
        "ex/n.txt\n",
        dir.command()
            .args(["--files-without-match", "foo", "ex/n.txt"])
            .stdout()
    );
    // A missing path is an error even though a file was printed.
    let (out, err) = dir
        .command()
        .args(["--files-without-match", "foo", "ex/n.txt", "nope"])
        .expect_err(2);
    eqnice!("ex/n.txt\n", out);
    assert!(err.contains("nope: "), "stderr: {err}");
}

#[test]
fn quiet_exit_status() {
    let dir = Dir::new("quiet_exit_status");
    dir.create("m.txt", "foo\n");
    dir.create("n.txt", "bar\n");
    eqnice!("", dir.command().args(["-q", "foo", "m.txt"]).stdout());
    eqnice!(
        "",
        dir.command().args(["-q", "zzz", "m.txt"]).expect_status(1)
    );
    // A match wins over an error met before it with -q ...
    let (out, err) = dir
        .command()
        .args(["-q", "foo", "nope", "m.txt"])
        .expect_err(0);
    eqnice!("", out);
    assert!(err.contains("nope"), "stderr: {err}");
    // ... but without a match the error decides.
    eqnice!(
        "",
        dir.command()
            .args(["-q", "zzz", "m.txt", "nope"])
            .expect_status(2)
    );
}

#[test]
fn quiet_files_without_match_exit_status() {
    let dir = Dir::new("quiet_files_without_match_exit_status");
    dir.create("m.txt", "foo\n");
    dir.create("n.txt", "bar\n");
    eqnice!(
        "",
        dir.command()
            .args(["-q", "--files-without-match", "foo", "n.txt"])
            .stdout()
    );
    eqnice!(
        "",
        dir.command()
            .args(["-q", "--files-without-match", "foo", "m.txt"])
            .expect_status(1)
    );
}

// ---- Context --------------------------------------------------------------------------

#[test]
fn after_context_separator_inside_a_file() {
    let dir = cs("after_context_separator_inside_a_file");
    eqnice!(
        "1:m1\n2-x\n--\n5:m2\n6-x\n7:m3\n",
        dir.command().args(["-n", "-A1", "m", "cs/a.txt"]).stdout()
    );
}

#[test]
fn before_context_separator_inside_a_file() {
    let dir = cs("before_context_separator_inside_a_file");
    eqnice!(
        "1:m1\n--\n4-x\n5:m2\n6-x\n7:m3\n",
        dir.command().args(["-n", "-B1", "m", "cs/a.txt"]).stdout()
    );
}

#[test]
fn context_windows_merge_without_separator() {
    let dir = cs("context_windows_merge_without_separator");
    eqnice!(
        "1:m1\n2-x\n--\n4-x\n5:m2\n6-x\n7:m3\n",
        dir.command().args(["-n", "-C1", "m", "cs/a.txt"]).stdout()
    );
    eqnice!(
        "1:m1\n2-x\n3-x\n4-x\n5:m2\n6-x\n7:m3\n",
        dir.command().args(["-n", "-C2", "m", "cs/a.txt"]).stdout()
    );
}

#[test]
fn context_separator_between_files() {
    let dir = cs("context_separator_between_files");
    eqnice!(
        "cs/a.txt:1:m1\ncs/a.txt-2-x\n--\ncs/a.txt:5:m2\ncs/a.txt-6-x\ncs/a.txt:7:m3\n--\ncs/b.txt:1:m4\ncs/b.txt-2-x\n",
        dir.command().args(["-n", "-A1", "m", "cs"]).stdout()
    );
}

#[test]
fn after_and_before_override_context() {
    let dir = cs("after_and_before_override_context");
    // -A1 replaces -C3's after part only: three lines before, one after.
    eqnice!(
        "1:m1\n2-x\n3-x\n4-x\n5:m2\n6-x\n7:m3\n",
        dir.command()
            .args(["-n", "-A1", "-C3", "m", "cs/a.txt"])
            .stdout()
    );
    eqnice!(
        "1:m1\n2-x\n--\n5:m2\n6-x\n7:m3\n",
        dir.command()
            .args(["-n", "-C1", "-B0", "m", "cs/a.txt"])
            .stdout()
    );
}

#[test]
fn custom_context_separator() {
    let dir = cs("custom_context_separator");
    eqnice!(
        "cs/a.txt:m1\ncs/a.txt-x\nXX\ncs/a.txt:m2\ncs/a.txt-x\ncs/a.txt:m3\nXX\ncs/b.txt:m4\ncs/b.txt-x\n",
        dir.command()
            .args(["-A1", "--context-separator=XX", "m", "cs"])
            .stdout()
    );
}

#[test]
fn context_separator_escapes_are_decoded() {
    let dir = cs("context_separator_escapes_are_decoded");
    eqnice!(
        "m1\nx\nA\tB\nm2\nx\nm3\n",
        dir.command()
            .args(["-A1", r"--context-separator=\x41\tB", "m", "cs/a.txt"])
            .stdout()
    );
}

#[test]
fn empty_context_separator_prints_an_empty_line() {
    let dir = cs("empty_context_separator_prints_an_empty_line");
    eqnice!(
        "1:m1\n2-x\n\n5:m2\n6-x\n7:m3\n",
        dir.command()
            .args(["-n", "-A1", "--context-separator=", "m", "cs/a.txt"])
            .stdout()
    );
}

#[test]
fn no_context_separator_inside_and_between_files() {
    let dir = cs("no_context_separator_inside_and_between_files");
    eqnice!(
        "cs/a.txt:m1\ncs/a.txt-x\ncs/a.txt:m2\ncs/a.txt-x\ncs/a.txt:m3\ncs/b.txt:m4\ncs/b.txt-x\n",
        dir.command()
            .args(["-A1", "--no-context-separator", "m", "cs"])
            .stdout()
    );
}

#[test]
fn field_separators_with_context_and_inverted() {
    let dir = Dir::new("field_separators_with_context_and_inverted");
    dir.create("b.txt", CS_B);
    eqnice!(
        "1-m4\n2:x\n",
        dir.command().args(["-n", "-B1", "x", "b.txt"]).stdout()
    );
    eqnice!(
        "m4\nx\n",
        dir.command().args(["-v", "-B1", "m", "b.txt"]).stdout()
    );
}

// ---- Colour ---------------------------------------------------------------------------

#[test]
fn color_always_line_and_column() {
    let dir = one(
        "color_always_line_and_column",
        "a.txt",
        "hello foo world foo\nctx line\n",
    );
    eqnice!(
        "\x1b[0m\x1b[32m1\x1b[0m:\x1b[0m7\x1b[0m:hello \x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m world \x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\n",
        dir.command()
            .args(["--color", "always", "-n", "--column", "foo", "a.txt"])
            .stdout()
    );
}

#[test]
fn color_always_path_offset_and_context_line() {
    let dir = one(
        "color_always_path_offset_and_context_line",
        "col/a.txt",
        "hello foo world foo\nctx line\n",
    );
    eqnice!(
        "\x1b[0m\x1b[35mcol/a.txt\x1b[0m:\x1b[0m\x1b[32m1\x1b[0m:\x1b[0m0\x1b[0m:hello \x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m world \x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\n\
         \x1b[0m\x1b[35mcol/a.txt\x1b[0m-\x1b[0m\x1b[32m2\x1b[0m-\x1b[0m20\x1b[0m-ctx line\n",
        dir.command()
            .args([
                "--color",
                "always",
                "-H",
                "-n",
                "-b",
                "-A1",
                "foo",
                "col/a.txt"
            ])
            .stdout()
    );
}

#[test]
fn color_always_heading() {
    let dir = one(
        "color_always_heading",
        "col/a.txt",
        "hello foo world foo\nctx line\n",
    );
    eqnice!(
        "\x1b[0m\x1b[35mcol/a.txt\x1b[0m\n\x1b[0m\x1b[32m1\x1b[0m:hello \x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m world \x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\n",
        dir.command()
            .args(["--color", "always", "--heading", "-n", "foo", "col"])
            .stdout()
    );
}

#[test]
fn color_always_summaries() {
    let dir = cs("color_always_summaries");
    eqnice!(
        "\x1b[0m\x1b[35mcs/a.txt\x1b[0m:3\n\x1b[0m\x1b[35mcs/b.txt\x1b[0m:1\n",
        dir.command()
            .args(["--color", "always", "-c", "m", "cs"])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[35mcs/a.txt\x1b[0m\n",
        dir.command()
            .args(["--color", "always", "-l", "m", "cs/a.txt"])
            .stdout()
    );
}

#[test]
fn color_always_only_matching_vimgrep_and_replace() {
    let dir = cs("color_always_only_matching_vimgrep_and_replace");
    eqnice!(
        "\x1b[0m\x1b[1m\x1b[31mm\x1b[0m\n",
        dir.command()
            .args(["--color", "always", "-o", "m", "cs/b.txt"])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[35mcs/b.txt\x1b[0m:\x1b[0m\x1b[32m1\x1b[0m:\x1b[0m1\x1b[0m:\x1b[0m\x1b[1m\x1b[31mm\x1b[0m4\n",
        dir.command()
            .args(["--color", "always", "--vimgrep", "m", "cs/b.txt"])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[1m\x1b[31mZZ\x1b[0m4\n",
        dir.command()
            .args(["--color", "always", "-r", "ZZ", "m", "cs/b.txt"])
            .stdout()
    );
}

#[test]
fn color_always_inverted_lines_plain_context_coloured() {
    let dir = cs("color_always_inverted_lines_plain_context_coloured");
    eqnice!(
        "x\n",
        dir.command()
            .args(["--color", "always", "-v", "m", "cs/b.txt"])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[1m\x1b[31mm\x1b[0m4\nx\n",
        dir.command()
            .args(["--color", "always", "-v", "-B1", "m", "cs/b.txt"])
            .stdout()
    );
    eqnice!(
        "\x1b[0m\x1b[32m1\x1b[0m-m4\n\x1b[0m\x1b[32m2\x1b[0m:\x1b[0m\x1b[1m\x1b[31mx\x1b[0m\n",
        dir.command()
            .args(["--color", "always", "-n", "-B1", "x", "cs/b.txt"])
            .stdout()
    );
}

#[test]
fn color_always_ignores_no_color() {
    let dir = cs("color_always_ignores_no_color");
    eqnice!(
        "\x1b[0m\x1b[1m\x1b[31mm\x1b[0m4\n",
        dir.command()
            .env("NO_COLOR", "1")
            .args(["--color", "always", "m", "cs/b.txt"])
            .stdout()
    );
}

#[test]
fn color_never_and_auto_in_a_pipe_have_no_escapes() {
    let dir = cs("color_never_and_auto_in_a_pipe_have_no_escapes");
    eqnice!(
        "cs/a.txt:m1\n",
        dir.command()
            .args(["--color", "never", "m1", "cs"])
            .stdout()
    );
    eqnice!(
        "cs/a.txt:m1\n",
        dir.command().args(["--color", "auto", "m1", "cs"]).stdout()
    );
}

// ---- --null ---------------------------------------------------------------------------

#[test]
fn null_after_paths_in_standard_mode() {
    let dir = cs("null_after_paths_in_standard_mode");
    eqnice!(
        "cs/a.txt\0m1\ncs/a.txt\0m2\ncs/a.txt\0m3\ncs/b.txt\0m4\n",
        dir.command()
            .args(["--null", "m", "cs/a.txt", "cs/b.txt"])
            .stdout()
    );
    eqnice!(
        "cs/a.txt\0m\ncs/a.txt\0m\ncs/a.txt\0m\ncs/b.txt\0m\n",
        dir.command().args(["-0", "-o", "m", "cs"]).stdout()
    );
}

#[test]
fn null_with_context_lines() {
    let dir = cs("null_with_context_lines");
    eqnice!(
        "cs/a.txt\x001:m1\ncs/a.txt\x002-x\n--\ncs/a.txt\x005:m2\ncs/a.txt\x006-x\ncs/a.txt\x007:m3\n--\ncs/b.txt\x001:m4\ncs/b.txt\x002-x\n",
        dir.command()
            .args(["--null", "-n", "-A1", "m", "cs/a.txt", "cs/b.txt"])
            .stdout()
    );
}

#[test]
fn null_ends_the_heading_path() {
    let dir = cs("null_ends_the_heading_path");
    eqnice!(
        "cs/a.txt\0m1\nm2\nm3\n\ncs/b.txt\0m4\n",
        dir.command()
            .args(["--null", "--heading", "m", "cs/a.txt", "cs/b.txt"])
            .stdout()
    );
}

#[test]
fn null_in_summary_modes() {
    let dir = cs("null_in_summary_modes");
    eqnice!(
        "cs/a.txt\x003\ncs/b.txt\x001\n",
        dir.command().args(["--null", "-c", "m", "cs"]).stdout()
    );
    eqnice!(
        "cs/a.txt\x003\ncs/b.txt\x001\n",
        dir.command()
            .args(["-0", "--count-matches", "m", "cs"])
            .stdout()
    );
    eqnice!(
        "cs/a.txt\0cs/b.txt\0",
        dir.command().args(["--null", "-l", "m", "cs"]).stdout()
    );
    eqnice!(
        "cs/a.txt\0cs/b.txt\0",
        dir.command()
            .args(["--null", "--files-without-match", "zz", "cs"])
            .stdout()
    );
}

#[test]
fn null_with_vimgrep_and_without_paths() {
    let dir = cs("null_with_vimgrep_and_without_paths");
    eqnice!(
        "cs/b.txt\x001:1:m4\n",
        dir.command()
            .args(["--null", "--vimgrep", "m", "cs/b.txt"])
            .stdout()
    );
    eqnice!(
        "m4\n",
        dir.command().args(["--null", "m", "cs/b.txt"]).stdout()
    );
    eqnice!(
        "1\n",
        dir.command()
            .args(["--null", "-c", "m", "cs/b.txt"])
            .stdout()
    );
}

#[test]
fn null_with_files_listing() {
    let dir = cs("null_with_files_listing");
    eqnice!(
        "cs/a.txt\0cs/b.txt\0",
        dir.command().args(["--files", "--null", "cs"]).stdout()
    );
}

// ---- -a -------------------------------------------------------------------------------

#[test]
fn text_prints_lines_of_a_binary_file() {
    let dir = one(
        "text_prints_lines_of_a_binary_file",
        "early.bin",
        "foo 1\nfoo 2\0\nfoo 3\n",
    );
    let (out, _) = dir
        .command()
        .args(["-a", "-n", "foo", "early.bin"])
        .expect_raw(0);
    eqbytes!(b"1:foo 1\n2:foo 2\0\n3:foo 3\n", out);
    let (out, _) = dir
        .command()
        .args(["--text", "-c", "foo", "early.bin"])
        .expect_raw(0);
    eqbytes!(b"3\n", out);
}

#[test]
fn text_lets_a_pattern_match_nul() {
    let dir = one("text_lets_a_pattern_match_nul", "f.bin", "a\0b\nab\n");
    let (out, _) = dir
        .command()
        .args(["-a", "-n", r"a\x00b", "f.bin"])
        .expect_raw(0);
    eqbytes!(b"1:a\0b\n", out);
}

// ---- -r -------------------------------------------------------------------------------

#[test]
fn replace_numbered_and_named_groups() {
    let dir = one("replace_numbered_and_named_groups", "f.txt", RP);
    eqnice!(
        "1:[john] 42\n",
        dir.command()
            .args(["-n", "-r", "[$1]", r"(\w+)\s(\w+)", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:smith_john 42\n",
        dir.command()
            .args(["-n", "-r", "${2}_$1", r"(\w+)\s(\w+)", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:john smith 42\n2:foo\n",
        dir.command()
            .args(["-n", "-r", "$first", r"(?P<first>\w+)", "f.txt"])
            .stdout()
    );
}

#[test]
fn replace_dollar_name_is_greedy_so_1bad_is_empty() {
    let dir = one(
        "replace_dollar_name_is_greedy_so_1bad_is_empty",
        "f.txt",
        RP,
    );
    eqnice!(
        "1:  \n2:\n",
        dir.command()
            .args(["-n", "-r", "$1bad", r"(\w+)", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:johnbad smithbad 42bad\n2:foobad\n",
        dir.command()
            .args(["-n", "-r", "${1}bad", r"(\w+)", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:  \n2:\n",
        dir.command()
            .args(["-n", "-r", "$9", r"(\w+)", "f.txt"])
            .stdout()
    );
}

#[test]
fn replace_double_dollar_and_literal_dollars() {
    let dir = one("replace_double_dollar_and_literal_dollars", "f.txt", RP);
    eqnice!(
        "1:<$> <$> <$>\n2:<$>\n",
        dir.command()
            .args(["-n", "-r", "<$$>", r"\w+", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:${1 ${1 ${1\n2:${1\n",
        dir.command()
            .args(["-n", "-r", "${1", r"(\w+)", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:a$ a$ a$\n2:a$\n",
        dir.command()
            .args(["-n", "-r", "a$", r"(\w+)", "f.txt"])
            .stdout()
    );
}

#[test]
fn replace_has_no_backslash_escapes() {
    let dir = one("replace_has_no_backslash_escapes", "f.txt", RP);
    eqnice!(
        "\\tjohn\\n \\tsmith\\n \\t42\\n\n\\tfoo\\n\n",
        dir.command()
            .args(["-r", r"\t$1\n", r"(\w+)", "f.txt"])
            .stdout()
    );
}

#[test]
fn replace_with_only_matching_positions_are_in_the_replaced_line() {
    let dir = Dir::new("replace_with_only_matching_positions_are_in_the_replaced_line");
    dir.create("om.txt", OM);
    dir.create("rp.txt", RP);
    eqnice!(
        "X\nX\nX\n",
        dir.command()
            .args(["-o", "-r", "X", "foo", "om.txt"])
            .stdout()
    );
    eqnice!(
        "3:XYZW\n11:XYZW\n19:XYZW\n",
        dir.command()
            .args(["-o", "-b", "-r", "XYZW", "foo", "om.txt"])
            .stdout()
    );
    eqnice!(
        "1:2:XYZW\n2:2:XYZW\n2:6:XYZW\n",
        dir.command()
            .args(["-o", "--column", "-r", "XYZW", "o", "rp.txt"])
            .stdout()
    );
    eqnice!(
        "1:[john]\n1:[smith]\n",
        dir.command()
            .args(["-n", "-o", "-r", "[$1]", r"(\w+) ", "rp.txt"])
            .stdout()
    );
}

#[test]
fn replace_column_and_offset() {
    let dir = one("replace_column_and_offset", "om.txt", OM);
    eqnice!(
        "1:4:0:ab X cd X\n3:2:18:xXx\n",
        dir.command()
            .args(["-r", "X", "--column", "-b", "foo", "om.txt"])
            .stdout()
    );
}

#[test]
fn replace_inverted_replaces_context_lines_only() {
    let dir = one("replace_inverted_replaces_context_lines_only", "f.txt", RP);
    eqnice!(
        "1:john smith 42\n2-X\n",
        dir.command()
            .args(["-n", "-r", "X", "-v", "-A1", "-B1", "foo", "f.txt"])
            .stdout()
    );
    eqnice!(
        "1:john X 42\n2-foo\n",
        dir.command()
            .args(["-n", "-r", "X", "-C1", "smith", "f.txt"])
            .stdout()
    );
}

#[test]
fn replace_keeps_crlf() {
    let dir = one("replace_keeps_crlf", "crlf.txt", "foo\r\nbar foo\r\n");
    eqnice!(
        "X\r\nbar X\r\n",
        dir.command().args(["-r", "X", "foo", "crlf.txt"]).stdout()
    );
}

#[test]
fn replace_without_in_place_leaves_the_file_alone() {
    let dir = one(
        "replace_without_in_place_leaves_the_file_alone",
        "f.txt",
        RP,
    );
    eqnice!(
        "john X 42\n",
        dir.command().args(["-r", "X", "smith", "f.txt"]).stdout()
    );
    eqnice!(RP, String::from_utf8(dir.read("f.txt")).unwrap());
}

#[test]
fn replace_ignored_by_counts() {
    let dir = one("replace_ignored_by_counts", "f.txt", RP);
    eqnice!(
        "2\n",
        dir.command().args(["-c", "-r", "X", "o", "f.txt"]).stdout()
    );
    eqnice!(
        "3\n",
        dir.command()
            .args(["--count-matches", "-r", "X", "o", "f.txt"])
            .stdout()
    );
}

// ---- --vimgrep ------------------------------------------------------------------------

#[test]
fn vimgrep_one_line_per_match() {
    let dir = one("vimgrep_one_line_per_match", "om/f.txt", OM);
    eqnice!(
        "om/f.txt:1:4:ab foo cd foo\nom/f.txt:1:11:ab foo cd foo\nom/f.txt:3:2:xfoox\n",
        dir.command()
            .args(["--vimgrep", "foo", "om/f.txt"])
            .stdout()
    );
    eqnice!(
        "om/f.txt:1:4:foo\nom/f.txt:1:11:foo\nom/f.txt:3:2:foo\n",
        dir.command()
            .args(["--vimgrep", "-o", "foo", "om/f.txt"])
            .stdout()
    );
}

#[test]
fn vimgrep_with_byte_offset_and_inverted() {
    let dir = one("vimgrep_with_byte_offset_and_inverted", "om/f.txt", OM);
    eqnice!(
        "om/f.txt:1:4:3:ab foo cd foo\nom/f.txt:1:11:10:ab foo cd foo\nom/f.txt:3:2:19:xfoox\n",
        dir.command()
            .args(["--vimgrep", "-b", "foo", "om/f.txt"])
            .stdout()
    );
    eqnice!(
        "om/f.txt:2:bar\n",
        dir.command()
            .args(["--vimgrep", "-v", "foo", "om/f.txt"])
            .stdout()
    );
}

#[test]
fn vimgrep_with_context() {
    let dir = cs("vimgrep_with_context");
    eqnice!(
        "cs/a.txt:1:1:m1\ncs/a.txt-2-x\n--\ncs/a.txt:5:1:m2\ncs/a.txt-6-x\ncs/a.txt:7:1:m3\n",
        dir.command()
            .args(["--vimgrep", "-A1", "m", "cs/a.txt"])
            .stdout()
    );
}

#[test]
fn vimgrep_minus_fields() {
    let dir = one("vimgrep_minus_fields", "om/f.txt", OM);
    eqnice!(
        "om/f.txt:4:ab foo cd foo\nom/f.txt:11:ab foo cd foo\nom/f.txt:2:xfoox\n",
        dir.command()
            .args(["--vimgrep", "-N", "foo", "om/f.txt"])
            .stdout()
    );
    eqnice!(
        "1:4:ab foo cd foo\n1:11:ab foo cd foo\n3:2:xfoox\n",
        dir.command()
            .args(["--vimgrep", "-I", "foo", "om/f.txt"])
            .stdout()
    );
}

// ---- --json ---------------------------------------------------------------------------

/// Replaces the timing values of --json and --stats output, which vary run to run.
pub fn mask_timings(s: &str) -> String {
    let a = regex::Regex::new(r#""secs":\d+,"nanos":\d+,"human":"[0-9.]+s""#).unwrap();
    let b = regex::Regex::new(r#""human":"[0-9.]+s","nanos":\d+,"secs":\d+"#).unwrap();
    let c = regex::Regex::new(r"\d+\.\d{6} seconds").unwrap();
    let s = a.replace_all(s, r#""secs":S,"nanos":N,"human":"H""#);
    let s = b.replace_all(&s, r#""human":"H","nanos":N,"secs":S"#);
    c.replace_all(&s, "T seconds").into_owned()
}

#[test]
fn json_match_context_end_and_summary() {
    let dir = one(
        "json_match_context_end_and_summary",
        "js/a.txt",
        "foo bar\nctx\nbaz foo foo\n",
    );
    let got = dir
        .command()
        .args(["--json", "-A1", "foo", "js/a.txt"])
        .stdout();
    eqnice!(
        concat!(
            r#"{"type":"begin","data":{"path":{"text":"js/a.txt"}}}"#,
            "\n",
            r#"{"type":"match","data":{"path":{"text":"js/a.txt"},"lines":{"text":"foo bar\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":0,"end":3}]}}"#,
            "\n",
            r#"{"type":"context","data":{"path":{"text":"js/a.txt"},"lines":{"text":"ctx\n"},"line_number":2,"absolute_offset":8,"submatches":[]}}"#,
            "\n",
            r#"{"type":"match","data":{"path":{"text":"js/a.txt"},"lines":{"text":"baz foo foo\n"},"line_number":3,"absolute_offset":12,"submatches":[{"match":{"text":"foo"},"start":4,"end":7},{"match":{"text":"foo"},"start":8,"end":11}]}}"#,
            "\n",
            r#"{"type":"end","data":{"path":{"text":"js/a.txt"},"binary_offset":null,"stats":{"elapsed":{"secs":S,"nanos":N,"human":"H"},"searches":1,"searches_with_match":1,"bytes_searched":24,"bytes_printed":586,"matched_lines":2,"matches":3}}}"#,
            "\n",
            r#"{"data":{"elapsed_total":{"human":"H","nanos":N,"secs":S},"stats":{"bytes_printed":586,"bytes_searched":24,"elapsed":{"human":"H","nanos":N,"secs":S},"matched_lines":2,"matches":3,"searches":1,"searches_with_match":1}},"type":"summary"}"#,
            "\n"
        ),
        mask_timings(&got)
    );
}

#[test]
fn json_invalid_utf8_line_as_base64_and_escapes() {
    let dir = Dir::new("json_invalid_utf8_line_as_base64_and_escapes");
    dir.create("lat.txt", b"caf\xe9 foo\n");
    dir.create("esc.txt", "a\tb\"\\\x01\n");
    let got = dir.command().args(["--json", "foo", "lat.txt"]).stdout();
    let line = got.lines().nth(1).unwrap();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"lat.txt"},"lines":{"bytes":"Y2Fm6SBmb28K"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"start":5,"end":8}]}}"#,
        line
    );
    let got = dir.command().args(["--json", "a", "esc.txt"]).stdout();
    let line = got.lines().nth(1).unwrap();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"esc.txt"},"lines":{"text":"a\tb\"\\\u0001\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"a"},"start":0,"end":1}]}}"#,
        line
    );
}

#[test]
fn json_replacement_field() {
    let dir = one(
        "json_replacement_field",
        "js/a.txt",
        "foo bar\nctx\nbaz foo foo\n",
    );
    let got = dir
        .command()
        .args(["--json", "-r", "X$0Y", "foo", "js/a.txt"])
        .stdout();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"js/a.txt"},"lines":{"text":"foo bar\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"foo"},"replacement":{"text":"X"},"start":0,"end":3}]}}"#,
        got.lines().nth(1).unwrap()
    );
}

#[test]
fn json_no_match_prints_only_the_summary() {
    let dir = one("json_no_match_prints_only_the_summary", "m.txt", "foo\n");
    let got = dir
        .command()
        .args(["--json", "zzz", "m.txt"])
        .expect_status(1);
    eqnice!(
        "{\"data\":{\"elapsed_total\":{\"human\":\"H\",\"nanos\":N,\"secs\":S},\"stats\":{\"bytes_printed\":0,\"bytes_searched\":4,\"elapsed\":{\"human\":\"H\",\"nanos\":N,\"secs\":S},\"matched_lines\":0,\"matches\":0,\"searches\":1,\"searches_with_match\":0}},\"type\":\"summary\"}\n",
        mask_timings(&got)
    );
}

#[test]
fn json_quiet_prints_only_the_summary() {
    let dir = cs("json_quiet_prints_only_the_summary");
    let got = dir
        .command()
        .args(["--json", "-q", "m", "cs/b.txt"])
        .stdout();
    eqnice!(
        concat!(
            r#"{"data":{"elapsed_total":{"human":"H","nanos":N,"secs":S},"stats":{"bytes_printed":0,"bytes_searched":5,"elapsed":{"human":"H","nanos":N,"secs":S},"matched_lines":1,"matches":1,"searches":1,"searches_with_match":1}},"type":"summary"}"#,
            "\n"
        ),
        mask_timings(&got)
    );
}

#[test]
fn json_max_count_zero_prints_nothing() {
    let dir = cs("json_max_count_zero_prints_nothing");
    eqnice!(
        "",
        dir.command()
            .args(["--json", "-m0", "m", "cs/b.txt"])
            .expect_status(1)
    );
}

#[test]
fn json_inverted_context_has_submatches() {
    let dir = cs("json_inverted_context_has_submatches");
    let got = dir
        .command()
        .args(["--json", "-v", "-B1", "m", "cs/b.txt"])
        .stdout();
    let lines: Vec<&str> = got.lines().collect();
    eqnice!(
        r#"{"type":"context","data":{"path":{"text":"cs/b.txt"},"lines":{"text":"m4\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"m"},"start":0,"end":1}]}}"#,
        lines[1]
    );
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"cs/b.txt"},"lines":{"text":"x\n"},"line_number":2,"absolute_offset":3,"submatches":[]}}"#,
        lines[2]
    );
    assert!(
        lines[3].contains(r#""bytes_printed":352,"matched_lines":1,"matches":0}"#),
        "{}",
        lines[3]
    );
}

#[test]
fn json_stdin_path_and_line_numbers_off() {
    let dir = Dir::new("json_stdin_path_and_line_numbers_off");
    let got = dir.command().args(["--json", "m1"]).stdin("m1\n").stdout();
    eqnice!(
        r#"{"type":"begin","data":{"path":{"text":"<stdin>"}}}"#,
        got.lines().next().unwrap()
    );
    let got = dir
        .command()
        .args(["--json", "-N", "m1"])
        .stdin("x\nm1\n")
        .stdout();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"<stdin>"},"lines":{"text":"m1\n"},"line_number":null,"absolute_offset":2,"submatches":[{"match":{"text":"m1"},"start":0,"end":2}]}}"#,
        got.lines().nth(1).unwrap()
    );
}

#[test]
fn json_end_line_and_bytes_printed_for_a_file_with_large_output() {
    // Over 256 KiB of JSON from one file (ripgrep: `end` counts the bytes of the file's
    // begin and match lines; the summary adds them up).
    let dir = Dir::new("json_end_line_and_bytes_printed_for_a_file_with_large_output");
    let data: String = (0..4000).map(|i| format!("needle line {i:05}\n")).collect();
    dir.create("big.txt", &data);
    let got = dir.command().args(["--json", "needle", "big.txt"]).stdout();
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(lines.len(), 4003, "begin + 4000 matches + end + summary");
    assert!(lines[0].starts_with(r#"{"type":"begin""#), "{}", lines[0]);
    let end = lines[4001];
    assert!(
        end.starts_with(r#"{"type":"end""#),
        "no end line: {}",
        &end[..end.len().min(200)]
    );
    let printed: usize = lines[..4001].iter().map(|l| l.len() + 1).sum();
    assert!(
        end.contains(&format!(
            r#""bytes_printed":{printed},"matched_lines":4000,"matches":4000"#
        )),
        "{end}"
    );
    assert!(
        lines[4002].contains(&format!(r#""stats":{{"bytes_printed":{printed},"#)),
        "{}",
        lines[4002]
    );
}

// ---- --stats --------------------------------------------------------------------------

#[test]
fn stats_bytes_printed_for_a_file_with_large_output() {
    let dir = Dir::new("stats_bytes_printed_for_a_file_with_large_output");
    let data: String = (0..20_000)
        .map(|i| format!("line {i:05} of the haystack\n"))
        .collect();
    dir.create("big.txt", &data);
    let got = dir.command().args(["--stats", "of", "big.txt"]).stdout();
    let stats = mask_timings(&got[data.len()..]);
    eqnice!(
        format!(
            "\n20000 matches\n20000 matched lines\n1 files contained matches\n1 files searched\n{n} bytes printed\n{n} bytes searched\nT seconds spent searching\nT seconds total\n",
            n = data.len()
        ),
        stats
    );
}

/// A file named on the command line is mapped by ripgrep, whose byte count then stops at
/// the first NUL in the file's head, whatever the mode (`rg --stats` by hand), small or
/// split into chunks; --json -c counts and prints no statistics (ripgrep's --json loses
/// to a later -c).
#[test]
fn stats_of_a_named_binary_file_stop_at_its_first_nul_in_every_mode() {
    let dir = Dir::new("stats_of_a_named_binary_file_stop_at_its_first_nul_in_every_mode");
    dir.create("b2.dat", "bar\nfoo\nxx\0yy\nfoo\n");
    let mut big = b"foo\n\0\n".to_vec();
    big.extend_from_slice(&[b'x'; 99]);
    big.extend_from_slice(b"\n");
    for _ in 0..60_000 {
        big.extend_from_slice(&[b'y'; 99]);
        big.push(b'\n');
    }
    big.extend_from_slice(b"foo\n");
    dir.create("bigbin.dat", &big);
    let tail = |got: &str| -> String {
        let t = mask_timings(got);
        let i = t.find("\n\n").map_or(0, |i| i + 1);
        t[i..].to_string()
    };
    let stats = |matches: u64, lines: u64, printed: u64, searched: u64| {
        format!(
            "\n{matches} matches\n{lines} matched lines\n1 files contained matches\n1 files searched\n{printed} bytes printed\n{searched} bytes searched\nT seconds spent searching\nT seconds total\n"
        )
    };
    for chunk in ["4096", "4194304"] {
        for (mode, b2, bigbin) in [
            ("-c", stats(2, 2, 0, 10), stats(2, 2, 0, 4)),
            ("-l", stats(2, 2, 0, 10), stats(2, 2, 0, 4)),
            ("--count-matches", stats(2, 2, 0, 10), stats(2, 2, 0, 4)),
        ] {
            for (file, want) in [("b2.dat", &b2), ("bigbin.dat", &bigbin)] {
                let got = dir
                    .command()
                    .args(["--chunk-size", chunk, "--stats", mode, "foo", file])
                    .stdout();
                assert_eq!(&tail(&got), want, "{mode} {file} --chunk-size {chunk}");
            }
        }
    }
    let got = dir
        .command()
        .args(["--json", "-c", "foo", "b2.dat"])
        .stdout();
    eqnice!("2\n", got);
    // Printing lines, the count stops where the search stopped: after the first match
    // once a NUL is known (it is in the file's head), whole or in chunks.
    let mut b3 = "x\n".repeat(300);
    b3.push_str("foo\n");
    b3.push_str(&"y\n".repeat(8000));
    b3.push_str("\0\nfoo\n");
    dir.create("b3.dat", &b3);
    for chunk in ["4096", "4194304"] {
        let got = dir
            .command()
            .args(["--chunk-size", chunk, "--stats", "foo", "b3.dat"])
            .stdout();
        assert!(
            tail(&got).contains("\n604 bytes searched\n"),
            "{chunk}: {got}"
        );
    }
    // A NUL past the head, in a line a count selects: ripgrep's slice searcher notes it
    // there and its bytes searched stop at it.
    let mut late = "a\n".repeat(40_000);
    late.push_str("x\0y\nfoo\n");
    dir.create("late.dat", &late);
    let got = dir
        .command()
        .args(["-v", "-c", "--stats", "foo", "late.dat"])
        .stdout();
    assert!(tail(&got).contains("\n80001 bytes searched\n"), "{got}");
    // ripgrep's inverted search reads on to the end, so its count runs to the NUL.
    let got = dir
        .command()
        .args(["--stats", "-v", "zzz", "b2.dat"])
        .stdout();
    assert!(tail(&got).contains("\n10 bytes searched\n"), "{got}");
}

#[test]
fn stats_after_lines() {
    let dir = cs("stats_after_lines");
    let got = dir.command().args(["--stats", "m", "cs/a.txt"]).stdout();
    eqnice!(
        "m1\nm2\nm3\n\n3 matches\n3 matched lines\n1 files contained matches\n1 files searched\n9 bytes printed\n17 bytes searched\nT seconds spent searching\nT seconds total\n",
        mask_timings(&got)
    );
}

#[test]
fn stats_with_count_reports_zero_bytes_printed() {
    let dir = cs("stats_with_count_reports_zero_bytes_printed");
    let got = dir.command().args(["--stats", "-c", "m", "cs"]).stdout();
    eqnice!(
        "cs/a.txt:3\ncs/b.txt:1\n\n4 matches\n4 matched lines\n2 files contained matches\n2 files searched\n0 bytes printed\n22 bytes searched\nT seconds spent searching\nT seconds total\n",
        mask_timings(&got)
    );
}

#[test]
fn stats_inverted_counts_zero_matches() {
    let dir = cs("stats_inverted_counts_zero_matches");
    let got = dir
        .command()
        .args(["--stats", "-v", "m", "cs/a.txt"])
        .stdout();
    eqnice!(
        "x\nx\nx\nx\n\n0 matches\n4 matched lines\n1 files contained matches\n1 files searched\n8 bytes printed\n17 bytes searched\nT seconds spent searching\nT seconds total\n",
        mask_timings(&got)
    );
}

#[test]
fn stats_with_quiet_and_files_with_matches() {
    let dir = cs("stats_with_quiet_and_files_with_matches");
    let tail = "\n3 matches\n3 matched lines\n1 files contained matches\n1 files searched\n0 bytes printed\n17 bytes searched\nT seconds spent searching\nT seconds total\n";
    eqnice!(
        tail,
        mask_timings(
            &dir.command()
                .args(["--stats", "-q", "m", "cs/a.txt"])
                .stdout()
        )
    );
    eqnice!(
        format!("cs/a.txt\n{tail}"),
        mask_timings(
            &dir.command()
                .args(["--stats", "-l", "m", "cs/a.txt"])
                .stdout()
        )
    );
}

#[test]
fn stats_no_match_exit_one() {
    let dir = cs("stats_no_match_exit_one");
    let got = dir.command().args(["--stats", "zz", "cs"]).expect_status(1);
    eqnice!(
        "\n0 matches\n0 matched lines\n0 files contained matches\n2 files searched\n0 bytes printed\n22 bytes searched\nT seconds spent searching\nT seconds total\n",
        mask_timings(&got)
    );
}

/// As in ripgrep, a flag given twice is no error and the last one counts, so an alias or a
/// config file can set a flag the command line sets again.
#[test]
fn a_flag_given_twice_is_no_error_and_the_last_counts() {
    let dir = Dir::new("a_flag_given_twice_is_no_error_and_the_last_counts");
    dir.create("a.txt", "foo 1\nfoo 2\nfoo 3\n");
    eqnice!(
        "foo 1\n",
        dir.command().args(["-m2", "-m1", "foo", "a.txt"]).stdout()
    );
    eqnice!(
        "1:foo 1\n2:foo 2\n3:foo 3\n",
        dir.command().args(["-n", "-n", "foo", "a.txt"]).stdout()
    );
    eqnice!(
        "3\n",
        dir.command()
            .args(["-C1", "-c", "-c", "foo", "a.txt"])
            .stdout()
    );
}

/// ripgrep keeps the after-context window in its count modes: after -m's last line a
/// selected line inside the window still counts (expectations from `rg`).
#[test]
fn count_with_max_count_counts_selected_lines_in_the_after_window() {
    let dir = Dir::new("count_with_max_count_counts_selected_lines_in_the_after_window");
    dir.create("a.txt", "x foo\ny foo\nfoo foo foo\nz\nfoo\n");
    eqnice!(
        "2\n",
        dir.command().args(["-m2", "-c", "foo", "a.txt"]).stdout()
    );
    eqnice!(
        "3\n",
        dir.command()
            .args(["-m2", "-A1", "-c", "foo", "a.txt"])
            .stdout()
    );
    eqnice!(
        "6\n",
        dir.command()
            .args(["-m2", "-A3", "--count-matches", "foo", "a.txt"])
            .stdout()
    );
    eqnice!(
        "2\n",
        dir.command()
            .args(["-m2", "-B3", "-c", "foo", "a.txt"])
            .stdout()
    );
}

/// A named binary file read with ripgrep's reader rules (a directory among the paths):
/// ripgrep's inverted search reads on to the end, so --stats counts the whole file.
#[test]
fn stats_of_an_inverted_search_of_a_converted_binary_file_count_it_whole() {
    let dir = Dir::new("stats_of_an_inverted_search_of_a_converted_binary_file");
    dir.create("b.dat", "foo\nbar\nfoo\0x\nbaz\n");
    dir.create_dir("empty");
    let got = dir
        .command()
        .args(["-v", "--stats", "foo", "b.dat", "empty"])
        .stdout();
    assert!(got.contains("\n18 bytes searched\n"), "{got}");
    let got = dir
        .command()
        .args(["--stats", "foo", "b.dat", "empty"])
        .stdout();
    assert!(got.contains("\n4 bytes searched\n"), "{got}");
}

/// ripgrep's reader keeps its context lines when it refills, in every output mode: a walked
/// file cut short by a NUL then counts fewer bytes searched with -A/-B/-C, even under -c
/// or -l (expectations from `rg --stats`).
#[test]
fn stats_bytes_searched_of_a_walked_binary_file_follow_the_context_window_in_every_mode() {
    let dir = Dir::new("stats_bytes_searched_follow_the_context_window_in_every_mode");
    dir.create("d/b.dat", "\r\n\r\nfoo\0bar\n");
    for (args, searched) in [
        (&["--stats", "-c"][..], 2),
        (&["--stats", "-C1", "-c"], 0),
        (&["--stats", "-B1", "-l"], 0),
        (&["--stats", "-A1", "-c"], 0),
    ] {
        let (out, _) = dir.command().args(args).args(["foo", "d"]).expect_raw(1);
        let out = String::from_utf8_lossy(&out);
        assert!(
            out.contains(&format!("\n{searched} bytes searched\n")),
            "{args:?}: {out}"
        );
    }
}

/// Under -v the context lines are the ones that match: ripgrep finds their matches, so they
/// get a column and print match by match with -o and --vimgrep (expectations from `rg`).
#[test]
fn inverted_context_lines_have_columns_and_print_each_match_with_only_matching() {
    let dir = Dir::new("inverted_context_lines_have_columns_and_print_each_match");
    dir.create("ctx.txt", "a foo\nbar\nfoo x foo\nbaz\n");
    let run = |args: &[&str]| {
        dir.command()
            .args(["-C1", "-v"])
            .args(args)
            .args(["foo", "ctx.txt"])
            .stdout()
    };
    eqnice!(
        "1-3-foo\n2:bar\n3-1-foo\n3-7-foo\n4:baz\n",
        run(&["--column", "-o"])
    );
    eqnice!(
        "1-3-a foo\n2:bar\n3-1-foo x foo\n4:baz\n",
        run(&["--column"])
    );
    eqnice!(
        "ctx.txt-1-3-a foo\nctx.txt:2:bar\nctx.txt-3-1-foo x foo\nctx.txt-3-7-foo x foo\nctx.txt:4:baz\n",
        run(&["--vimgrep"])
    );
}

// ---- Negations: ripgrep's --no-X forms, the last of X and --no-X counting ----------------

#[test]
fn negation_flags_undo_their_flag_and_the_last_one_counts() {
    let dir = one("negation_flags_undo_their_flag", "f.txt", OM);
    dir.create("sub/b.bin", "foo\0bar\n");
    // (args, ripgrep's stdout) for "foo" in f.txt.
    let cases: &[(&[&str], &str)] = &[
        (
            &["-F", "--no-fixed-strings", "f.o", "f.txt"],
            "ab foo cd foo\nxfoox\n",
        ),
        (&["--no-fixed-strings", "-F", "f.o", "f.txt"], ""),
        (
            &["-v", "--no-invert-match", "foo", "f.txt"],
            "ab foo cd foo\nxfoox\n",
        ),
        (&["--no-invert-match", "-v", "foo", "f.txt"], "bar\n"),
        (&["-b", "--no-byte-offset", "bar", "f.txt"], "bar\n"),
        (&["--no-byte-offset", "-b", "bar", "f.txt"], "14:bar\n"),
        (&["--json", "--no-json", "bar", "f.txt"], "bar\n"),
        (&["--stats", "--no-stats", "bar", "f.txt"], "bar\n"),
        (
            &["-c", "--include-zero", "--no-include-zero", "zzz", "f.txt"],
            "",
        ),
        (
            &["-c", "--no-include-zero", "--include-zero", "zzz", "f.txt"],
            "0\n",
        ),
        (&["-a", "--no-text", "-c", "bar", "sub"], ""),
        (&["--no-text", "-a", "-c", "bar", "sub"], "sub/b.bin:1\n"),
        (&["--mmap", "always", "--no-mmap", "bar", "f.txt"], "bar\n"),
        (&["--maxdepth", "0", "bar", "f.txt"], "bar\n"),
    ];
    for (args, want) in cases {
        let out = dir.command().args(*args).output();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            *want,
            "mmgrep {}",
            args.join(" ")
        );
        // A count of 0 (--include-zero) is printed, but nothing matched.
        let code = if want.is_empty() || *want == "0\n" {
            1
        } else {
            0
        };
        assert_eq!(out.status.code(), Some(code), "mmgrep {}", args.join(" "));
    }
}

#[test]
fn messages_turns_no_messages_back_off() {
    let dir = one("messages_turns_no_messages_back_off", "f.txt", OM);
    let (_, err) = dir
        .command()
        .args(["--no-messages", "--messages", "bar", "f.txt", "nosuch"])
        .expect_err(2);
    assert!(err.contains("nosuch"), "{err}");
    let (_, err) = dir
        .command()
        .args(["--messages", "--no-messages", "bar", "f.txt", "nosuch"])
        .expect_err(2);
    eqnice!("", err);
}
