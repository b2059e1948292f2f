//! --passthru: every line printed, the unselected ones as context. Expected bytes are
//! ripgrep 15.2's for the same files (`rg --sort path --passthru ARGS`, stdout a pipe).

use crate::util::Dir;

/// `foo` twice on line 2, once on line 4.
const PT: &str = "a\nfoo x foo\nb\nfoo\nc\n";
const NM: &str = "a\nb\n";

fn dir(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("pt.txt", PT);
    dir.create("nm.txt", NM);
    dir
}

#[test]
fn passthru_prints_every_line_of_every_file() {
    let dir = dir("passthru_prints_every_line_of_every_file");
    let out = dir
        .command()
        .args(["--passthru", "-n", "foo", "pt.txt"])
        .stdout();
    eqnice!("1-a\n2:foo x foo\n3-b\n4:foo\n5-c\n", out);
    // A file without a match is printed whole too, and no "--" comes between files.
    let out = dir
        .command()
        .args(["--passthrough", "-n", "foo", "nm.txt", "pt.txt"])
        .stdout();
    eqnice!(
        "nm.txt-1-a\nnm.txt-2-b\npt.txt-1-a\npt.txt:2:foo x foo\npt.txt-3-b\npt.txt:4:foo\npt.txt-5-c\n",
        out
    );
    // Nothing selected anywhere: every line printed, exit status 1.
    let out = dir
        .command()
        .args(["--passthru", "foo", "nm.txt"])
        .expect_status(1);
    eqnice!("a\nb\n", out);
    let out = dir
        .command()
        .args(["--passthru", "-n", "foo"])
        .stdin(PT)
        .stdout();
    eqnice!("1-a\n2:foo x foo\n3-b\n4:foo\n5-c\n", out);
}

#[test]
fn passthru_with_replace_inversion_and_counts() {
    let dir = dir("passthru_with_replace_inversion_and_counts");
    let run = |args: &[&str]| dir.command().args(args).stdout();
    // The sed idiom: the whole file with its matches replaced.
    eqnice!(
        "a\nX x X\nb\nX\nc\n",
        run(&["--passthru", "-r", "X", "foo", "pt.txt"])
    );
    eqnice!(
        "1:a\n2-foo x foo\n3:b\n4-foo\n5:c\n",
        run(&["--passthru", "-v", "-n", "foo", "pt.txt"])
    );
    eqnice!(
        "1-0-a\n2:1:2:foo x foo\n3-12-b\n4:1:14:foo\n5-18-c\n",
        run(&["--passthru", "-b", "--column", "-n", "foo", "pt.txt"])
    );
    eqnice!(
        "a\nfoo\nfoo\nb\nfoo\nc\n",
        run(&["--passthru", "-o", "foo", "pt.txt"])
    );
    eqnice!(
        "pt.txt-1-a\npt.txt:2:1:foo x foo\npt.txt:2:7:foo x foo\npt.txt-3-b\npt.txt:4:1:foo\npt.txt-5-c\n",
        run(&["--passthru", "--vimgrep", "foo", "pt.txt"])
    );
    // Counts and lists are untouched.
    eqnice!("2\n", run(&["--passthru", "-c", "foo", "pt.txt"]));
    eqnice!(
        "pt.txt\n",
        run(&["--passthru", "-l", "foo", "nm.txt", "pt.txt"])
    );
}

/// Past -m's limit the rest of the file is context, matching lines too (not highlighted,
/// no submatches in JSON).
#[test]
fn passthru_past_max_count() {
    let dir = dir("passthru_past_max_count");
    let out = dir
        .command()
        .args(["--passthru", "-m1", "-n", "foo", "pt.txt"])
        .stdout();
    eqnice!("1-a\n2:foo x foo\n3-b\n4-foo\n5-c\n", out);
    let out = dir
        .command()
        .args([
            "--passthru",
            "-m1",
            "-n",
            "--color",
            "always",
            "foo",
            "pt.txt",
        ])
        .stdout();
    eqnice!(
        "\x1b[0m\x1b[32m1\x1b[0m-a\n\
         \x1b[0m\x1b[32m2\x1b[0m:\x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m x \x1b[0m\x1b[1m\x1b[31mfoo\x1b[0m\n\
         \x1b[0m\x1b[32m3\x1b[0m-b\n\
         \x1b[0m\x1b[32m4\x1b[0m-foo\n\
         \x1b[0m\x1b[32m5\x1b[0m-c\n",
        out
    );
    let out = dir
        .command()
        .args(["--passthru", "-m1", "--json", "foo", "pt.txt"])
        .stdout();
    assert!(
        out.contains(r#"{"type":"context","data":{"path":{"text":"pt.txt"},"lines":{"text":"foo\n"},"line_number":4,"absolute_offset":14,"submatches":[]}}"#),
        "{out}"
    );
}

/// The last of --passthru, -A, -B and -C wins; one given before --passthru is forgotten.
#[test]
fn passthru_and_context_flags_last_wins() {
    let dir = dir("passthru_and_context_flags_last_wins");
    let run = |args: &[&str]| dir.command().args(args).stdout();
    let all = "1-a\n2:foo x foo\n3-b\n4:foo\n5-c\n";
    eqnice!(all, run(&["-C1", "--passthru", "-n", "foo", "pt.txt"]));
    eqnice!(
        "2:foo x foo\n3-b\n4:foo\n5-c\n",
        run(&["--passthru", "-A1", "-n", "foo", "pt.txt"])
    );
    eqnice!(
        "2:foo x foo\n3-b\n4:foo\n5-c\n",
        run(&["-B1", "--passthru", "-A1", "-n", "foo", "pt.txt"])
    );
    let (_, err) = dir
        .command()
        .args(["--passthru", "--reverse", "foo", "pt.txt"])
        .expect_err(2);
    assert!(err.contains("--passthru"), "{err}");
}

/// A file split into chunks, walked, named and on stdin: every line once, in order.
#[test]
fn passthru_over_chunks_prints_each_line_once() {
    let dir = Dir::new("passthru_over_chunks_prints_each_line_once");
    let mut text = String::new();
    let mut want = String::new();
    for i in 1..=4000u32 {
        let line = if i % 7 == 0 {
            format!("foo line {i}")
        } else if i % 3 == 0 {
            String::new()
        } else {
            format!("plain line {i} with some text")
        };
        let sep = if line.contains("foo") { ':' } else { '-' };
        want.push_str(&format!("{i}{sep}{line}\n"));
        text.push_str(&line);
        text.push('\n');
    }
    dir.create("big/f.txt", &text);
    for args in [
        &[
            "--chunk-size",
            "4096",
            "-j2",
            "--passthru",
            "-n",
            "foo",
            "big/f.txt",
        ][..],
        &[
            "--chunk-size",
            "4096",
            "-j2",
            "--passthru",
            "-n",
            "-I",
            "foo",
            "big",
        ][..],
        &[
            "--chunk-size",
            "4096",
            "--mmap",
            "never",
            "--passthru",
            "-n",
            "foo",
            "big/f.txt",
        ][..],
    ] {
        let out = dir.command().args(args).stdout();
        assert!(
            out == want,
            "{args:?}: {} bytes, want {}",
            out.len(),
            want.len()
        );
    }
    let out = dir
        .command()
        .args(["--passthru", "-n", "foo"])
        .stdin(text.as_bytes())
        .stdout();
    assert!(out == want, "stdin");
}
