//! --stop-on-nonmatch: a file is read up to the first line not selected after a selected
//! one. Expected bytes are ripgrep 15.2's (`rg --stop-on-nonmatch ARGS`, stdout a pipe),
//! including where its fast and slow line searches differ under -v.

use crate::util::Dir;

/// `foo` on lines 2, 3 and 5.
const SN: &str = "a\nfoo1\nfoo2\nb\nfoo3\nc\n";
/// `foo` on lines 2, 4 and 5.
const SN2: &str = "a\nfoo1\nb2\nfoo3\nfoo4\nc\n";

#[test]
fn stop_on_nonmatch_stops_after_the_first_run() {
    let dir = Dir::new("stop_on_nonmatch_stops_after_the_first_run");
    dir.create("sn.txt", SN);
    dir.create("sn2.txt", SN2);
    let run = |args: &[&str]| dir.command().arg("--stop-on-nonmatch").args(args).stdout();
    eqnice!("2:foo1\n3:foo2\n", run(&["-n", "foo", "sn.txt"]));
    eqnice!("2\n", run(&["-c", "foo", "sn.txt"]));
    // The line that stops it is after-context when some is owed, and nothing more is.
    eqnice!(
        "2:foo1\n3:foo2\n4-b\n",
        run(&["-n", "-A3", "foo", "sn.txt"])
    );
    eqnice!(
        "2:foo1\n3-foo2\n",
        run(&["-n", "-m1", "-A3", "foo", "sn.txt"])
    );
    eqnice!(
        "1-a\n2:foo1\n3:foo2\n4-b\n",
        run(&["-n", "--passthru", "foo", "sn.txt"])
    );
    // Under -v ripgrep's search of a named file goes past the matching line that ends the
    // first run without looking at it; a break separates what comes after.
    eqnice!("1:a\n3-foo2\n", run(&["-n", "-v", "-C1", "foo", "sn.txt"]));
    eqnice!(
        "1:a\n--\n3:b2\n4-foo3\n",
        run(&["-n", "-v", "-A2", "foo", "sn2.txt"])
    );
    // Its reader (stdin) stops at that line instead.
    let out = dir
        .command()
        .args(["--stop-on-nonmatch", "-n", "-v", "-A2", "foo"])
        .stdin(SN)
        .stdout();
    eqnice!("1:a\n2-foo1\n", out);
    // Nothing after the stop was searched.
    let out = run(&["--stats", "foo", "sn.txt"]);
    assert!(out.contains("\n14 bytes searched\n"), "{out}");
}

/// A file larger than a chunk is searched in one piece (the stop is sequential).
#[test]
fn stop_on_nonmatch_on_a_file_larger_than_a_chunk() {
    let dir = Dir::new("stop_on_nonmatch_on_a_file_larger_than_a_chunk");
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!("plain {i}\n"));
    }
    text.push_str("foo a\nfoo b\nplain\n");
    for i in 0..3000 {
        text.push_str(&format!("foo later {i}\n"));
    }
    dir.create("big.txt", &text);
    let out = dir
        .command()
        .args([
            "--chunk-size",
            "4096",
            "--stop-on-nonmatch",
            "-c",
            "foo",
            "big.txt",
        ])
        .stdout();
    eqnice!("2\n", out);
    let (_, err) = dir
        .command()
        .args([
            "--stop-on-nonmatch",
            "-r",
            "x",
            "--in-place",
            "foo",
            "big.txt",
        ])
        .expect_err(2);
    assert!(err.contains("--stop-on-nonmatch"), "{err}");
}

/// Under -v, ripgrep's search of a mapped file goes past the matching line that ends the
/// first run; a file it reads (found by walking, or named beside a directory) stops there.
#[test]
fn stop_on_nonmatch_inverted_reads_stop_at_the_run_end() {
    let dir = Dir::new("stop_on_nonmatch_inverted_reads_stop_at_the_run_end");
    dir.create("q.txt", "\nbaz qux\nx\ny\n");
    dir.create_dir("w");
    dir.create("w/q.txt", "\nbaz qux\nx\ny\n");
    let run = |args: &[&str]| dir.command().arg("--stop-on-nonmatch").args(args).stdout();
    eqnice!("1:\n3:x\n4:y\n", run(&["-v", "-n", "qux", "q.txt"]));
    eqnice!("w/q.txt:1:\n", run(&["-v", "-n", "qux", "w"]));
    eqnice!(
        "q.txt:1:\nw/q.txt:1:\n",
        run(&["-v", "-n", "qux", "q.txt", "w"])
    );
    eqnice!(
        "q.txt:1\nw/q.txt:1\n",
        run(&["-v", "-c", "qux", "q.txt", "w"])
    );
}

#[test]
fn stop_on_nonmatch_and_multiline_override_each_other() {
    let dir = Dir::new("stop_on_nonmatch_and_multiline_override_each_other");
    dir.create("sn.txt", SN);
    let run = |args: &[&str]| {
        dir.command()
            .args(args)
            .args(["-n", "foo.", "sn.txt"])
            .stdout()
    };
    // The last one given counts (ripgrep's rule): -U after --stop-on-nonmatch searches on;
    // --stop-on-nonmatch after -U stops, with -U off (`.` then cannot match a line end).
    eqnice!(
        "2:foo1\n3:foo2\n5:foo3\n",
        run(&["--stop-on-nonmatch", "-U"])
    );
    eqnice!("2:foo1\n3:foo2\n", run(&["-U", "--stop-on-nonmatch"]));
    eqnice!(
        "2:foo1\n3:foo2\n",
        run(&["--stop-on-nonmatch", "--no-multiline"])
    );
}
