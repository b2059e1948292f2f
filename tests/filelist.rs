//! `--files-from` and `--files0-from`: search the listed paths, in list order, as if they
//! were named on the command line.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::util::Dir;

fn tree(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("a.txt", "foo a\n");
    dir.create("b.txt", "foo b\nbar\n");
    dir.create("c.txt", "nothing\n");
    dir.create("d/x.txt", "foo in d\n");
    dir.create("d/sub/y.txt", "foo in sub\n");
    dir.create("d/skip.log", "foo in a log\n");
    dir
}

#[test]
fn files_from_searches_in_list_order() {
    let dir = tree("files_from_searches_in_list_order");
    dir.create("list", "c.txt\nb.txt\na.txt\n");
    let got = dir.command().args(["foo", "--files-from", "list"]).stdout();
    eqnice!("b.txt:foo b\na.txt:foo a\n", got);
}

#[test]
fn files0_from_reads_nul_separated_names() {
    let dir = tree("files0_from_reads_nul_separated_names");
    dir.create(OsStr::from_bytes(b"new\nline \xff.txt"), "foo odd\n");
    dir.create("list0", b"b.txt\0new\nline \xff.txt\0a.txt");
    let (out, _) = dir
        .command()
        .args(["foo", "--files0-from", "list0"])
        .expect_raw(0);
    assert_eq!(
        out,
        b"b.txt:foo b\nnew\nline \xff.txt:foo odd\na.txt:foo a\n"
    );
}

#[test]
fn dash_reads_the_list_from_stdin() {
    let dir = tree("dash_reads_the_list_from_stdin");
    let got = dir
        .command()
        .args(["foo", "--files0-from", "-"])
        .stdin("a.txt\0b.txt\0")
        .stdout();
    eqnice!("a.txt:foo a\nb.txt:foo b\n", got);
    let got = dir
        .command()
        .args(["-n", "foo", "--files-from", "-"])
        .stdin("b.txt\n")
        .stdout();
    eqnice!("b.txt:1:foo b\n", got);
}

#[test]
fn missing_listed_file_is_an_error_and_the_rest_goes_on() {
    let dir = tree("missing_listed_file_is_an_error_and_the_rest_goes_on");
    dir.create("list", "a.txt\nmissing.txt\nb.txt\n");
    let (out, err) = dir
        .command()
        .args(["foo", "--files-from", "list"])
        .expect_raw(2);
    eqnice!("a.txt:foo a\nb.txt:foo b\n", String::from_utf8_lossy(&out));
    eqnice!(
        "mmgrep: missing.txt: No such file or directory (os error 2)\n",
        err
    );
}

#[test]
fn missing_list_is_an_error() {
    let dir = tree("missing_list_is_an_error");
    let (out, err) = dir
        .command()
        .args(["foo", "--files-from", "nolist"])
        .expect_raw(2);
    assert!(out.is_empty());
    eqnice!(
        "mmgrep: nolist: No such file or directory (os error 2)\n",
        err
    );
}

#[test]
fn files_prints_the_list() {
    let dir = tree("files_prints_the_list");
    dir.create("list", "b.txt\nd\nmissing\na.txt\n");
    let (out, err) = dir
        .command()
        .args(["--files", "--files-from", "list"])
        .expect_raw(2);
    eqnice!(
        "b.txt\nd/skip.log\nd/sub/y.txt\nd/x.txt\na.txt\n",
        String::from_utf8_lossy(&out)
    );
    eqnice!(
        "mmgrep: missing: No such file or directory (os error 2)\n",
        err
    );
    let got = dir
        .command()
        .args(["--files", "-0", "--files0-from", "-"])
        .stdin("a.txt\0c.txt\0")
        .stdout();
    eqnice!("a.txt\0c.txt\0", got);
}

/// Listed files are explicit: filters do not apply to them, but they do inside a listed
/// directory (as with paths named on the command line).
#[test]
fn listed_files_are_explicit_and_directories_are_walked() {
    let dir = tree("listed_files_are_explicit_and_directories_are_walked");
    dir.create(".gitignore", "*.log\n");
    dir.create_dir(".git");
    dir.create("list", "d/skip.log\nd\n");
    let got = dir
        .command()
        .args(["foo", "--files-from", "list", "-g", "!y.txt"])
        .stdout();
    eqnice!("d/skip.log:foo in a log\nd/x.txt:foo in d\n", got);
}

#[test]
fn blank_entries_are_skipped_and_an_empty_list_finds_nothing() {
    let dir = tree("blank_entries_are_skipped");
    dir.create("list", "\n\na.txt\n\n");
    eqnice!(
        "a.txt:foo a\n",
        dir.command().args(["foo", "--files-from", "list"]).stdout()
    );
    dir.create("empty", "");
    let (out, err) = dir
        .command()
        .args(["foo", "--files-from", "empty"])
        .expect_raw(1);
    assert!(out.is_empty());
    eqnice!("", err);
}

/// A list may name one file; its path is still printed (the list could have named many).
#[test]
fn paths_are_printed_for_a_one_file_list() {
    let dir = tree("paths_are_printed_for_a_one_file_list");
    dir.create("list", "a.txt\n");
    eqnice!(
        "a.txt:foo a\n",
        dir.command().args(["foo", "--files-from", "list"]).stdout()
    );
    eqnice!(
        "foo a\n",
        dir.command()
            .args(["-I", "foo", "--files-from", "list"])
            .stdout()
    );
}

#[test]
fn list_and_paths_conflict() {
    let dir = tree("list_and_paths_conflict");
    dir.create("list", "a.txt\n");
    let (out, err) = dir
        .command()
        .args(["foo", "--files-from", "list", "b.txt"])
        .expect_raw(2);
    assert!(out.is_empty());
    assert!(
        err.contains("--files-from takes the place of PATH arguments"),
        "{err}"
    );
    let (_, err) = dir
        .command()
        .args(["foo", "--files-from", "list", "--files0-from", "list"])
        .expect_raw(2);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn patterns_and_list_cannot_both_come_from_stdin() {
    let dir = tree("patterns_and_list_cannot_both_come_from_stdin");
    let (out, err) = dir
        .command()
        .args(["-f", "-", "--files-from", "-"])
        .stdin("foo\n")
        .expect_raw(2);
    assert!(out.is_empty());
    assert!(err.contains("both from stdin"), "{err}");
}

/// The list is read as the search goes: the output is in list order whatever -j says.
#[test]
fn list_order_with_many_threads() {
    let dir = Dir::new("list_order_with_many_threads");
    let mut list = Vec::new();
    let mut want = String::new();
    for i in (0..200).rev() {
        let name = format!("f{i:03}.txt");
        dir.create(&name, format!("x\nfoo {i}\n"));
        list.extend_from_slice(name.as_bytes());
        list.push(0);
        want.push_str(&format!("{name}:2:foo {i}\n"));
    }
    dir.create("list0", list);
    let got = dir
        .command()
        .args(["-j", "4", "-n", "foo", "--files0-from", "list0"])
        .stdout();
    eqnice!(want, got);
}

#[test]
fn json_with_a_list() {
    let dir = tree("json_with_a_list");
    dir.create("list", "b.txt\na.txt\n");
    let got = dir
        .command()
        .args(["--json", "foo", "--files-from", "list"])
        .stdout();
    let paths: Vec<&str> = got
        .lines()
        .filter(|l| l.starts_with(r#"{"type":"begin""#))
        .map(|l| l.split('"').nth(11).unwrap())
        .collect();
    assert_eq!(paths, ["b.txt", "a.txt"], "{got}");
}
