//! Edge cases: odd files (empty, no final newline, CRLF, long lines, non-UTF-8 bytes and
//! names, unreadable files, symlinks, FIFOs, /proc, a sparse 5 GiB file) and binary files
//! (SPEC section 1). Expected bytes are ripgrep 15.2's (`rg --sort path`).

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

use crate::naive::{self, Opts, page_size};
use crate::util::Dir;

// ---- Empty files, final newlines, CRLF ------------------------------------------------

#[test]
fn empty_file_no_error_exit_one() {
    let dir = Dir::new("empty_file_no_error_exit_one");
    dir.create("empty", "");
    dir.create("d/empty", "");
    let (out, err) = dir.command().args(["foo", "empty"]).expect_err(1);
    eqnice!("", out);
    eqnice!("", err);
    let (out, err) = dir.command().args(["foo", "d"]).expect_err(1);
    eqnice!("", out);
    eqnice!("", err);
    eqnice!(
        "",
        dir.command().args(["-v", "foo", "empty"]).expect_status(1)
    );
    // An empty pattern matches no line of an empty file.
    eqnice!("", dir.command().args(["", "empty"]).expect_status(1));
}

#[test]
fn empty_file_in_summaries() {
    let dir = Dir::new("empty_file_in_summaries");
    dir.create("empty", "");
    dir.create("d/empty", "");
    dir.create("d/f.txt", "foo\n");
    eqnice!(
        "0\n",
        dir.command()
            .args(["-c", "--include-zero", "foo", "empty"])
            .expect_status(1)
    );
    eqnice!(
        "empty\nd/empty\n",
        dir.command()
            .args(["--files-without-match", "foo", "empty", "d"])
            .stdout()
    );
}

#[test]
fn missing_final_newline_is_added_on_output() {
    let dir = Dir::new("missing_final_newline_is_added_on_output");
    dir.create("nonl.txt", "a\nfoo\nnofinal foo");
    eqnice!(
        "foo\nnofinal foo\n",
        dir.command().args(["foo", "nonl.txt"]).stdout()
    );
    eqnice!(
        "1:a\n2-foo\n3:nofinal foo\n",
        dir.command().args(["-n", "-A1", "a", "nonl.txt"]).stdout()
    );
    eqnice!(
        "2:foo\n14:foo\n",
        dir.command().args(["-o", "-b", "foo", "nonl.txt"]).stdout()
    );
    eqnice!(
        "2\n",
        dir.command().args(["-c", "foo", "nonl.txt"]).stdout()
    );
    let got = dir.command().args(["--json", "final", "nonl.txt"]).stdout();
    eqnice!(
        r#"{"type":"match","data":{"path":{"text":"nonl.txt"},"lines":{"text":"nofinal foo"},"line_number":3,"absolute_offset":6,"submatches":[{"match":{"text":"final"},"start":2,"end":7}]}}"#,
        got.lines().nth(1).unwrap()
    );
}

#[test]
fn missing_final_newline_on_stdin() {
    let dir = Dir::new("missing_final_newline_on_stdin");
    eqnice!(
        "2:nofinal foo\n",
        dir.command()
            .args(["-n", "foo"])
            .stdin("a\nnofinal foo")
            .stdout()
    );
}

#[test]
fn crlf_lines_printed_back_with_cr() {
    let dir = Dir::new("crlf_lines_printed_back_with_cr");
    dir.create("crlf.txt", "foo\r\nbar foo\r\n");
    eqnice!(
        "foo\r\nbar foo\r\n",
        dir.command().args(["foo", "crlf.txt"]).stdout()
    );
    eqnice!(
        "foo\nfoo\n",
        dir.command().args(["-o", "foo", "crlf.txt"]).stdout()
    );
    // Without --crlf the \r is part of the line: `foo$` never matches.
    eqnice!(
        "",
        dir.command().args(["foo$", "crlf.txt"]).expect_status(1)
    );
    eqnice!(
        "1:foo\r\n",
        dir.command()
            .args(["-n", "-x", "foo\r"])
            .arg("crlf.txt")
            .stdout()
    );
}

#[test]
fn utf8_bom_is_dropped_and_offsets_start_after_it() {
    let dir = Dir::new("utf8_bom_is_dropped_and_offsets_start_after_it");
    dir.create("bom.txt", b"\xef\xbb\xbffoo\n");
    let (out, _) = dir.command().args(["-b", "foo", "bom.txt"]).expect_raw(0);
    eqbytes!(b"0:foo\n", out);
    let (out, _) = dir
        .command()
        .args(["-o", "-b", "foo", "bom.txt"])
        .expect_raw(0);
    eqbytes!(b"0:foo\n", out);
}

#[test]
fn utf16_file_with_a_bom_is_searched_as_utf8() {
    let dir = Dir::new("utf16_file_with_a_bom_is_searched_as_utf8");
    dir.create("bom16.txt", b"\xff\xfef\x00o\x00o\x00\n\x00");
    dir.create("bom.txt", b"\xef\xbb\xbffoo\n");
    eqnice!("foo\n", dir.command().args(["foo", "bom16.txt"]).stdout());
    eqnice!(
        "1:0:foo\n",
        dir.command()
            .args(["-n", "-b", "foo", "bom16.txt"])
            .stdout()
    );
    eqnice!(
        "bom.txt:foo\nbom16.txt:foo\n",
        dir.command().args(["foo", "bom.txt", "bom16.txt"]).stdout()
    );
}

// ---- Long lines -----------------------------------------------------------------------

/// Short lines, a line of ~50 KB starting a little before a page boundary with matches
/// near its start, middle and end, then short lines again, with matches right before and
/// after the long line.
fn long_line_file() -> Vec<u8> {
    let mut data = Vec::new();
    let mut n = 0;
    while data.len() < 3900 {
        n += 1;
        data.extend_from_slice(
            if n % 7 == 0 {
                format!("short {n} needle\n")
            } else {
                format!("short {n}\n")
            }
            .as_bytes(),
        );
    }
    data.extend_from_slice(b"right before the long line: needle\n");
    let mut long = Vec::new();
    long.extend_from_slice(b"needle at the start ");
    while long.len() < 25_000 {
        long.extend_from_slice(b"lorem ipsum dolor ");
    }
    long.extend_from_slice(b" needle in the middle ");
    while long.len() < 50_000 {
        long.extend_from_slice(b"sit amet consectetur ");
    }
    long.extend_from_slice(b"needle at the end");
    data.extend_from_slice(&long);
    data.push(b'\n');
    data.extend_from_slice(b"right after the long line: needle\n");
    for k in 0..400 {
        data.extend_from_slice(
            if k % 9 == 0 {
                format!("tail {k} needle\n")
            } else {
                format!("tail {k}\n")
            }
            .as_bytes(),
        );
    }
    data
}

#[test]
fn line_spanning_several_pages_and_chunks() {
    let dir = Dir::new("line_spanning_several_pages_and_chunks");
    let data = long_line_file();
    dir.create("long.txt", &data);
    let files = vec![("long.txt".to_string(), data.clone())];
    let expected = naive::standard(
        &files,
        b"needle",
        &Opts {
            before: 1,
            after: 1,
            line_numbers: true,
            ..Opts::default()
        },
    );
    let page = page_size().to_string();
    for j in ["1", "3"] {
        let (got, _) = dir
            .command()
            .args([
                "--chunk-size",
                &page,
                "-j",
                j,
                "-n",
                "-C1",
                "needle",
                "long.txt",
            ])
            .expect_raw(0);
        eqbytes!(expected, got);
    }
    // The long line is printed once, whole.
    let (got, _) = dir
        .command()
        .args(["--chunk-size", &page, "-j", "3", "-c", "needle", "long.txt"])
        .expect_raw(0);
    let lines = naive::lines(&data)
        .iter()
        .filter(|(_, l)| l.windows(6).any(|w| w == b"needle"))
        .count();
    let want = format!("{lines}\n");
    eqbytes!(want.as_bytes(), got);
}

#[test]
fn matches_inside_a_line_spanning_chunks_have_exact_offsets() {
    let dir = Dir::new("matches_inside_a_line_spanning_chunks_have_exact_offsets");
    let data = long_line_file();
    dir.create("long.txt", &data);
    let start = data
        .windows(20)
        .position(|w| w == b"needle at the start ")
        .unwrap();
    let line_no = data[..start].iter().filter(|&&b| b == b'\n').count() + 1;
    let mut expected = String::new();
    let mut i = start;
    while data[i] != b'\n' {
        if data[i..].starts_with(b"needle") {
            expected.push_str(&format!("{line_no}:{}:{i}:needle\n", i - start + 1));
            i += 6;
        } else {
            i += 1;
        }
    }
    assert_eq!(expected.lines().count(), 3);
    let page = page_size().to_string();
    let got = dir
        .command()
        .args([
            "--chunk-size",
            &page,
            "-j",
            "3",
            "-n",
            "--column",
            "-b",
            "-o",
            "needle",
            "long.txt",
        ])
        .stdout();
    let got: String = got
        .lines()
        .filter(|l| l.starts_with(&format!("{line_no}:")))
        .map(|l| format!("{l}\n"))
        .collect();
    eqnice!(expected, got);
}

#[test]
fn huge_line_does_not_make_every_chunk_scan_to_its_end() {
    // A 32 MiB line (a sparse file, one match at its end) searched in page-sized chunks. A
    // chunk that owns no line start has nothing to do; if each chunk instead looks for the
    // end of the line it sits in, the run does ~8000 scans of ~16 MiB each (minutes), where
    // one pass over 32 MiB takes milliseconds. The limit below is only a guard against that.
    let dir = Dir::new("huge_line_does_not_make_every_chunk_scan_to_its_end");
    let path = dir.create("line.bin", "start ");
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    use std::os::unix::fs::FileExt;
    let tail = b" needle at the end\n";
    f.write_all_at(tail, (32 << 20) - tail.len() as u64)
        .unwrap();
    drop(f);
    let page = page_size().to_string();
    let mut cmd = dir.command();
    cmd.args([
        "--chunk-size",
        &page,
        "-j",
        "2",
        "-a",
        "-c",
        "needle",
        "line.bin",
    ]);
    let t0 = Instant::now();
    match cmd.output_within(Duration::from_secs(10)) {
        Some(out) => {
            eqnice!("1\n", String::from_utf8_lossy(&out.stdout));
            assert_eq!(out.status.code(), Some(0));
        }
        None => panic!(
            "mmgrep did not finish within {:?} on a 32 MiB line (ripgrep: ~0.05 s)",
            t0.elapsed()
        ),
    }
}

// ---- Non-UTF-8 ------------------------------------------------------------------------

#[test]
fn non_utf8_content_printed_byte_exact() {
    let dir = Dir::new("non_utf8_content_printed_byte_exact");
    dir.create("lat.txt", b"caf\xe9 foo\n");
    let (out, _) = dir.command().args(["foo", "lat.txt"]).expect_raw(0);
    eqbytes!(b"caf\xe9 foo\n", out);
    let (out, _) = dir
        .command()
        .args(["-o", r"(?-u:caf\xe9)", "lat.txt"])
        .expect_raw(0);
    eqbytes!(b"caf\xe9\n", out);
    // In Unicode mode `.` does not match an invalid byte.
    let (out, _) = dir.command().args(["-o", "caf.", "lat.txt"]).expect_raw(1);
    eqbytes!(b"", out);
}

#[test]
fn non_utf8_file_name_printed_byte_exact() {
    let dir = Dir::new("non_utf8_file_name_printed_byte_exact");
    dir.create(OsStr::from_bytes(b"d/n\xffme.txt"), "foo\n");
    dir.create("d/empty", "");
    let (out, _) = dir.command().args(["foo", "d"]).expect_raw(0);
    eqbytes!(b"d/n\xffme.txt:foo\n", out);
    let (out, _) = dir.command().args(["-l", "foo", "d"]).expect_raw(0);
    eqbytes!(b"d/n\xffme.txt\n", out);
    let (out, _) = dir.command().arg("--files").arg("d").expect_raw(0);
    eqbytes!(b"d/empty\nd/n\xffme.txt\n", out);
    let (out, _) = dir.command().args(["--json", "foo", "d"]).expect_raw(0);
    let first = out.split(|&b| b == b'\n').next().unwrap().to_vec();
    eqbytes!(
        br#"{"type":"begin","data":{"path":{"bytes":"ZC9u/21lLnR4dA=="}}}"#,
        first
    );
}

// ---- Permissions ----------------------------------------------------------------------

fn perm_tree(name: &str) -> Dir {
    let dir = Dir::new(name);
    for f in ["ok.txt", "secret.txt", "locked/in.txt", "sub/s.txt"] {
        dir.create(f, "foo\n");
    }
    dir.chmod("secret.txt", 0o000);
    dir.chmod("locked", 0o000);
    dir
}

#[test]
fn unreadable_file_named_explicitly() {
    let dir = perm_tree("unreadable_file_named_explicitly");
    let Some(mut cmd) = dir.command_unprivileged() else {
        return;
    };
    let (out, err) = cmd.args(["foo", "ok.txt", "secret.txt"]).expect_err(2);
    eqnice!("ok.txt:foo\n", out);
    eqnice!("mmgrep: secret.txt: Permission denied (os error 13)\n", err);
}

#[test]
fn unreadable_file_and_directory_met_while_walking() {
    let dir = perm_tree("unreadable_file_and_directory_met_while_walking");
    let Some(mut cmd) = dir.command_unprivileged() else {
        return;
    };
    let (out, err) = cmd.args(["foo", "."]).expect_err(2);
    eqnice!("./ok.txt:foo\n./sub/s.txt:foo\n", out);
    eqnice!(
        "mmgrep: ./locked: IO error for operation on ./locked: Permission denied (os error 13)\n\
         mmgrep: ./secret.txt: Permission denied (os error 13)\n",
        err
    );
}

#[test]
fn unreadable_entries_under_the_implicit_path() {
    let dir = perm_tree("unreadable_entries_under_the_implicit_path");
    let Some(mut cmd) = dir.command_unprivileged() else {
        return;
    };
    // Walk errors keep the ./ that open errors lose.
    let (out, err) = cmd.args(["-c", "foo"]).expect_err(2);
    eqnice!("ok.txt:1\nsub/s.txt:1\n", out);
    eqnice!(
        "mmgrep: ./locked: IO error for operation on ./locked: Permission denied (os error 13)\n\
         mmgrep: secret.txt: Permission denied (os error 13)\n",
        err
    );
}

#[test]
fn unreadable_directory_named_explicitly() {
    let dir = perm_tree("unreadable_directory_named_explicitly");
    let Some(mut cmd) = dir.command_unprivileged() else {
        return;
    };
    let (out, err) = cmd.args(["-l", "foo", "sub", "locked"]).expect_err(2);
    eqnice!("sub/s.txt\n", out);
    eqnice!(
        "mmgrep: locked: IO error for operation on locked: Permission denied (os error 13)\n",
        err
    );
}

#[test]
fn unreadable_entries_do_not_spoil_quiet_success() {
    let dir = perm_tree("unreadable_entries_do_not_spoil_quiet_success");
    let Some(mut cmd) = dir.command_unprivileged() else {
        return;
    };
    let (out, _) = cmd.args(["-q", "foo", "."]).expect_err(0);
    eqnice!("", out);
}

// ---- Symlinks -------------------------------------------------------------------------

#[test]
fn dangling_symlink_named_explicitly_is_an_error() {
    let dir = Dir::new("dangling_symlink_named_explicitly_is_an_error");
    dir.create("d/f.txt", "foo\n");
    dir.symlink("nowhere", "d/dangle");
    let (out, err) = dir.command().args(["foo", "d/dangle"]).expect_err(2);
    eqnice!("", out);
    eqnice!(
        "mmgrep: d/dangle: IO error for operation on d/dangle: No such file or directory (os error 2)\n",
        err
    );
    let (out, err) = dir
        .command()
        .args(["foo", "d/dangle", "d/f.txt"])
        .expect_err(2);
    eqnice!("d/f.txt:foo\n", out);
    eqnice!(
        "mmgrep: d/dangle: IO error for operation on d/dangle: No such file or directory (os error 2)\n",
        err
    );
}

#[test]
fn dangling_symlink_met_while_walking_is_skipped_without_follow() {
    let dir = Dir::new("dangling_symlink_met_while_walking_is_skipped_without_follow");
    dir.create("d/f.txt", "foo\n");
    dir.symlink("nowhere", "d/dangle");
    let (out, err) = dir.command().args(["foo", "d"]).expect_err(0);
    eqnice!("d/f.txt:foo\n", out);
    eqnice!("", err);
    // With -L it is reported.
    let (out, err) = dir.command().args(["-L", "foo", "d"]).expect_err(2);
    eqnice!("d/f.txt:foo\n", out);
    eqnice!(
        "mmgrep: d/dangle: IO error for operation on d/dangle: No such file or directory (os error 2)\n",
        err
    );
}

#[test]
fn symlink_loop_with_follow_names_the_loop() {
    let dir = Dir::new("symlink_loop_with_follow_names_the_loop");
    dir.create("d/f.txt", "foo\n");
    dir.symlink("f.txt", "d/good");
    dir.symlink("../d", "d/loop");
    let (out, err) = dir.command().args(["-L", "foo", "d"]).expect_err(2);
    eqnice!("d/f.txt:foo\nd/good:foo\n", out);
    eqnice!(
        "mmgrep: File system loop found: d/loop points to an ancestor d\n",
        err
    );
}

// ---- FIFOs and /proc ------------------------------------------------------------------

#[test]
fn fifo_named_explicitly_is_read_as_a_stream() {
    let dir = Dir::new("fifo_named_explicitly_is_read_as_a_stream");
    let path = dir.path().join("fifo");
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
        0,
        "mkfifo failed"
    );
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        // Wait (boundedly) for mmgrep to open the read end, then feed it.
        let t0 = Instant::now();
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&path)
            {
                Ok(mut f) => {
                    f.write_all(b"one\nfoo two\nthree\nfoo four\n").unwrap();
                    return true;
                }
                Err(_) if t0.elapsed() < Duration::from_secs(20) => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Err(_) => return false,
            }
        }
    });
    let got = dir.command().args(["-n", "foo", "fifo"]).stdout();
    assert!(writer.join().unwrap(), "mmgrep never opened the FIFO");
    eqnice!("2:foo two\n4:foo four\n", got);
}

#[test]
fn proc_file_with_zero_size_is_read() {
    let dir = Dir::new("proc_file_with_zero_size_is_read");
    // /proc/self is mmgrep itself: its name line.
    eqnice!(
        "Name:\tmmgrep\n",
        dir.command().args(["^Name:", "/proc/self/status"]).stdout()
    );
    eqnice!(
        "1\n",
        dir.command()
            .args(["-c", "^Name:", "/proc/self/status"])
            .stdout()
    );
}

// ---- A sparse file past 4 GiB ---------------------------------------------------------

#[test]
fn sparse_five_gib_file_offsets_and_line_numbers_past_four_gib() {
    // 5 GiB apparent size, ~1300 single bytes written: a newline every 4 MiB (so no line is
    // longer than the default chunk; see huge_line_does_not_make_every_chunk_scan_to_its_end)
    // and a short line just past 4 GiB. The holes read as NUL bytes, hence -a.
    let dir = Dir::new("sparse_five_gib_file_offsets_and_line_numbers_past_four_gib");
    let path = dir.create("sparse.bin", "first line\nsecond\n");
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    use std::os::unix::fs::FileExt;
    let mut newlines = 2u64;
    for k in 1..=1024u64 {
        f.write_all_at(b"\n", k << 22).unwrap();
        newlines += 1;
    }
    let needle_at = (1u64 << 32) + 102;
    f.write_all_at(b"\n\nneedle past four gib\n", needle_at - 2)
        .unwrap();
    newlines += 2;
    for k in 1025..1280u64 {
        f.write_all_at(b"\n", k << 22).unwrap();
    }
    f.set_len(5 << 30).unwrap();
    drop(f);
    let line = newlines + 1;
    assert_eq!((line, needle_at), (1029, 4_294_967_398));
    let got = dir
        .command()
        .args(["-a", "-n", "-b", "-o", "needle", "sparse.bin"])
        .stdout();
    eqnice!(format!("{line}:{needle_at}:needle\n"), got);
    let got = dir
        .command()
        .args(["-a", "-c", "needle", "sparse.bin"])
        .stdout();
    eqnice!("1\n", got);
}

// ---- Binary files (SPEC section 1) ----------------------------------------------------

/// 100047 bytes: `foo first`, 1000 lines of 99 x, `foo before nul`, `bar\0baz foo` (the
/// NUL at offset 100028), `foo after`.
fn late() -> Vec<u8> {
    let mut d = b"foo first\n".to_vec();
    while d.len() < 100_000 {
        d.extend_from_slice(&[b'x'; 99]);
        d.push(b'\n');
    }
    d.extend_from_slice(b"foo before nul\nbar\0baz foo\nfoo after\n");
    assert_eq!(d.len(), 100_047);
    d
}

#[test]
fn binary_explicit_file_nul_early_prints_the_notice() {
    let dir = Dir::new("binary_explicit_file_nul_early_prints_the_notice");
    dir.create("nul.txt", "foo\nbar\0baz foo\nfoo end\n");
    eqnice!(
        "binary file matches (found \"\\0\" byte around offset 7)\n",
        dir.command().args(["foo", "nul.txt"]).stdout()
    );
    eqnice!(
        "binary file matches (found \"\\0\" byte around offset 7)\n",
        dir.command().args(["-o", "foo", "nul.txt"]).stdout()
    );
}

#[test]
fn binary_walked_file_nul_early_skipped_silently() {
    let dir = Dir::new("binary_walked_file_nul_early_skipped_silently");
    dir.create("b1/nul.txt", "foo\nbar\0baz foo\nfoo end\n");
    let (out, err) = dir.command().args(["foo", "b1"]).expect_err(1);
    eqnice!("", out);
    eqnice!("", err);
}

#[test]
fn binary_walked_file_first_fill_searched_before_quitting() {
    let dir = Dir::new("binary_walked_file_first_fill_searched_before_quitting");
    dir.create("b3/b2.txt", "a\nb\0a\n");
    eqnice!(
        "b3/b2.txt:a\nb3/b2.txt: WARNING: stopped searching binary file after match (found \"\\0\" byte around offset 3)\n",
        dir.command().args(["a", "b3"]).stdout()
    );
}

#[test]
fn binary_stdin_converts() {
    let dir = Dir::new("binary_stdin_converts");
    eqnice!(
        "a\nbinary file matches (found \"\\0\" byte around offset 3)\n",
        dir.command().arg("a").stdin("a\nb\0a\n").stdout()
    );
    eqnice!(
        "binary file matches (found \"\\0\" byte around offset 5)\n",
        dir.command().arg("a").stdin("aaaa\n\0a\n").stdout()
    );
    eqnice!(
        "binary file matches (found \"\\0\" byte around offset 10)\n",
        dir.command().arg("foo").stdin("xx\nfoo\nbar\0\n").stdout()
    );
    // ripgrep's context break comes before its printer stops at the binary match.
    let mut gap = "x one\n".to_string();
    gap.push_str(&"fill\n".repeat(20_000));
    gap.push_str("x two\n\0\n");
    eqnice!(
        "x one\n--\nbinary file matches (found \"\\0\" byte around offset 100012)\n",
        dir.command().args(["-B1", "x"]).stdin(gap).stdout()
    );
}

#[test]
fn binary_walked_file_nul_after_64k_prints_the_warning() {
    let dir = Dir::new("binary_walked_file_nul_after_64k_prints_the_warning");
    dir.create("late/late.txt", late());
    eqnice!(
        "late/late.txt:1:foo first\nlate/late.txt: WARNING: stopped searching binary file after match (found \"\\0\" byte around offset 100028)\n",
        dir.command().args(["-n", "foo", "late"]).stdout()
    );
    eqnice!(
        "late/late.txt:foo\nlate/late.txt: WARNING: stopped searching binary file after match (found \"\\0\" byte around offset 100028)\n",
        dir.command().args(["-o", "foo", "late"]).stdout()
    );
}

#[test]
fn binary_explicit_file_nul_after_64k_found_in_a_printed_line() {
    let dir = Dir::new("binary_explicit_file_nul_after_64k_found_in_a_printed_line");
    dir.create("late.txt", late());
    eqnice!(
        "1:foo first\n1002:foo before nul\nbinary file matches (found \"\\0\" byte around offset 100028)\n",
        dir.command().args(["-n", "foo", "late.txt"]).stdout()
    );
    // The NUL's line is never printed: never seen.
    eqnice!(
        "1:foo first\n1004:foo after\n",
        dir.command()
            .args(["-n", "first|after", "late.txt"])
            .stdout()
    );
    // A before-context line holding the NUL stops the search before the match.
    eqnice!(
        "",
        dir.command()
            .args(["-n", "-B1", "after", "late.txt"])
            .expect_status(1)
    );
    eqnice!(
        "1002:foo before nul\nbinary file matches (found \"\\0\" byte around offset 100028)\n",
        dir.command()
            .args(["-n", "-A1", "before nul", "late.txt"])
            .stdout()
    );
}

#[test]
fn binary_summaries_explicit_file() {
    let dir = Dir::new("binary_summaries_explicit_file");
    dir.create("early.bin", "foo 1\nfoo 2\0\nfoo 3\n");
    eqnice!(
        "3\n",
        dir.command().args(["-c", "foo", "early.bin"]).stdout()
    );
    eqnice!(
        "3\n",
        dir.command()
            .args(["--count-matches", "foo", "early.bin"])
            .stdout()
    );
    eqnice!(
        "early.bin\n",
        dir.command().args(["-l", "foo", "early.bin"]).stdout()
    );
    eqnice!(
        "",
        dir.command()
            .args(["--files-without-match", "foo", "early.bin"])
            .expect_status(1)
    );
    eqnice!("", dir.command().args(["-q", "foo", "early.bin"]).stdout());
}

#[test]
fn binary_summaries_walked_files() {
    let dir = Dir::new("binary_summaries_walked_files");
    dir.create("bin/early.bin", "foo 1\nfoo 2\0\nfoo 3\n");
    dir.create("bin/late.txt", late());
    // Counts of files that quit on binary data are dropped.
    eqnice!(
        "",
        dir.command().args(["-c", "foo", "bin"]).expect_status(1)
    );
    eqnice!(
        "",
        dir.command()
            .args(["--count-matches", "foo", "bin"])
            .expect_status(1)
    );
    // -l stops at the first match, before the NUL.
    eqnice!(
        "bin/late.txt\n",
        dir.command().args(["-l", "foo", "bin"]).stdout()
    );
    eqnice!("", dir.command().args(["-q", "foo", "bin"]).stdout());
}

#[test]
fn binary_files_without_match_counts_a_dropped_file_as_without_match() {
    // The files-without-match mode reads on to the NUL (it never stops early), the count is
    // dropped, the file is not printed, and the exit status is 0 (a file "without match").
    let dir = Dir::new("binary_files_without_match_counts_a_dropped_file_as_without_match");
    dir.create("late/late.txt", late());
    eqnice!(
        "",
        dir.command()
            .args(["--files-without-match", "foo", "late"])
            .stdout()
    );
    eqnice!(
        "",
        dir.command()
            .args(["--files-without-match", "-q", "foo", "late"])
            .stdout()
    );
    // Named explicitly, the file is searched whole: it has a match.
    eqnice!(
        "",
        dir.command()
            .args(["--files-without-match", "foo", "late/late.txt"])
            .expect_status(1)
    );
}

#[test]
fn binary_walked_file_nul_late_same_for_every_chunk_size() {
    let dir = Dir::new("binary_walked_file_nul_late_same_for_every_chunk_size");
    let mut data: Vec<u8> = (0..30_000)
        .flat_map(|i| format!("foo {i}\n").into_bytes())
        .collect();
    data.insert(200_000, 0);
    dir.create("d/late.txt", &data);
    // ripgrep searches the buffer fills before the one holding the NUL: lines 1..=20771.
    let mut expected: String = (1..=20_771)
        .map(|i| format!("d/late.txt:{i}:foo {}\n", i - 1))
        .collect();
    expected.push_str("d/late.txt: WARNING: stopped searching binary file after match (found \"\\0\" byte around offset 200000)\n");
    let page = page_size();
    for size in [page.to_string(), (2 * page).to_string(), "1M".to_string()] {
        let got = dir
            .command()
            .args(["--chunk-size", &size, "-n", "foo", "d"])
            .stdout();
        eqnice!(expected, got);
    }
}

#[test]
fn binary_notice_keeps_colon_with_null_and_vimgrep() {
    let dir = Dir::new("binary_notice_keeps_colon_with_null_and_vimgrep");
    dir.create("late/late.txt", late());
    eqnice!(
        "late/late.txt\x001:foo first\nlate/late.txt: WARNING: stopped searching binary file after match (found \"\\0\" byte around offset 100028)\n",
        dir.command().args(["--null", "-n", "foo", "late"]).stdout()
    );
    eqnice!(
        "late/late.txt:1:1:foo first\nlate/late.txt: WARNING: stopped searching binary file after match (found \"\\0\" byte around offset 100028)\n",
        dir.command().args(["--vimgrep", "foo", "late"]).stdout()
    );
}

#[test]
fn binary_notice_with_heading_and_separators() {
    let dir = Dir::new("binary_notice_with_heading_and_separators");
    dir.create("h1/a.txt", "foo\n");
    dir.create("h1/b.txt", "foo\0\n");
    dir.create("h1/c.txt", "foo\n");
    eqnice!(
        "h1/a.txt\nfoo\nh1/b.txt: binary file matches (found \"\\0\" byte around offset 3)\n\nh1/c.txt\nfoo\n",
        dir.command()
            .args(["--heading", "foo", "h1/a.txt", "h1/b.txt", "h1/c.txt"])
            .stdout()
    );
    eqnice!(
        "h1/a.txt:foo\nh1/b.txt: binary file matches (found \"\\0\" byte around offset 3)\n--\nh1/c.txt:foo\n",
        dir.command()
            .args(["-A1", "foo", "h1/a.txt", "h1/b.txt", "h1/c.txt"])
            .stdout()
    );
    // Walked, b.txt quits silently.
    eqnice!(
        "h1/a.txt:foo\n--\nh1/c.txt:foo\n",
        dir.command().args(["-A1", "foo", "h1"]).stdout()
    );
}

#[test]
fn binary_more_than_ten_paths_use_the_reader_rules() {
    let dir = Dir::new("binary_more_than_ten_paths_use_the_reader_rules");
    let data = late();
    let names: Vec<String> = (1..=11).map(|i| format!("{i:02}.txt")).collect();
    for n in &names {
        dir.create(n, &data);
    }
    let notice = "binary file matches (found \"\\0\" byte around offset 100028)";
    // Ten paths: ripgrep maps them; the NUL's line (1003) is neither matched nor printed,
    // so it is never seen.
    let got = dir
        .command()
        .args(["-n", "foo (first|before)"])
        .args(&names[..10])
        .stdout();
    let ten: String = names[..10]
        .iter()
        .map(|n| format!("{n}:1:foo first\n{n}:1002:foo before nul\n"))
        .collect();
    eqnice!(ten, got);
    // Eleven: read, and the fill holding the NUL is not printed.
    let got = dir
        .command()
        .args(["-n", "foo (first|before)"])
        .args(&names)
        .stdout();
    let eleven: String = names
        .iter()
        .map(|n| format!("{n}:1:foo first\n{n}: {notice}\n"))
        .collect();
    eqnice!(eleven, got);
}

/// Named with a directory, a file is read by ripgrep, whose reader turns each NUL into a
/// line end: then `^`, `$` and -x can match where the raw bytes have no match at all
/// (expectations from `rg`).
#[test]
fn binary_named_file_read_as_ripgrep_reads_it_matches_at_its_nul_line_ends() {
    let dir = Dir::new("binary_named_file_read_as_ripgrep_reads_it_matches_at_its_nul_line_ends");
    dir.create("t.dat", "foo\0bar\n");
    dir.create_dir("empty");
    let notice = "t.dat: binary file matches (found \"\\0\" byte around offset 3)\n";
    for args in [&["-x", "foo"][..], &["foo$"], &["^bar"], &["-x", "bar"]] {
        let got = dir.command().args(args).args(["t.dat", "empty"]).stdout();
        assert_eq!(notice, got, "{args:?}");
    }
    let got = dir
        .command()
        .args(["-c", "-x", "foo", "t.dat", "empty"])
        .stdout();
    eqnice!("t.dat:1\n", got);
    // Named alone, ripgrep maps it: NUL is no line end and nothing matches.
    dir.command().args(["-x", "foo", "t.dat"]).expect_status(1);
}

/// ripgrep's inverted search does not stop at its first selected line for -l or -q: it
/// reads on, so a walked file with a NUL anywhere is dropped, even when a selected line
/// comes before the NUL (expectations from `rg`), whole or in chunks.
#[test]
fn binary_walked_file_with_inverted_files_with_matches_is_dropped_for_any_nul() {
    let dir = Dir::new("binary_walked_file_with_inverted_files_with_matches_is_dropped");
    dir.create("d/early.dat", "a\nb\0\n");
    let mut late = "hello\n".repeat(20_000);
    late.push_str("x\0y\nhello\n");
    dir.create("d/late.dat", &late);
    dir.create("d/ok.txt", "hello\nbye\n");
    dir.create("e/early.dat", "a\nb\0\n");
    for chunk in ["4096", "4194304"] {
        let c = ["--chunk-size", chunk];
        eqnice!(
            "d/ok.txt\n",
            dir.command()
                .args(c)
                .args(["-l", "-v", "zzz", "d"])
                .stdout()
        );
        eqnice!(
            "d/ok.txt\n",
            dir.command()
                .args(c)
                .args(["-l", "-v", "hello", "d"])
                .stdout()
        );
    }
    dir.command()
        .args(["-q", "-v", "zzz", "e"])
        .expect_status(1);
    // Without -l the selected line before the NUL still prints, with ripgrep's warning.
    eqnice!(
        "e/early.dat:a\ne/early.dat: WARNING: stopped searching binary file after match (found \"\\0\" byte around offset 3)\n",
        dir.command().args(["-v", "zzz", "e"]).stdout()
    );
}

#[test]
fn binary_text_flag_prints_every_line() {
    let dir = Dir::new("binary_text_flag_prints_every_line");
    dir.create("bin/early.bin", "foo 1\nfoo 2\0\nfoo 3\n");
    dir.create("bin/late.txt", late());
    let (out, _) = dir.command().args(["-a", "-n", "foo", "bin"]).expect_raw(0);
    eqbytes!(
        b"bin/early.bin:1:foo 1\nbin/early.bin:2:foo 2\0\nbin/early.bin:3:foo 3\nbin/late.txt:1:foo first\nbin/late.txt:1002:foo before nul\nbin/late.txt:1003:bar\0baz foo\nbin/late.txt:1004:foo after\n",
        out
    );
    eqnice!(
        "bin/early.bin:3\nbin/late.txt:4\n",
        dir.command().args(["-a", "-c", "foo", "bin"]).stdout()
    );
}

#[test]
fn binary_nul_in_pattern_refused_without_text() {
    let dir = Dir::new("binary_nul_in_pattern_refused_without_text");
    dir.create("r.txt", "foo bar\n");
    let (out, err) = dir.command().args([r"a\x00b", "r.txt"]).expect_err(2);
    eqnice!("", out);
    assert!(
        err.starts_with("mmgrep: pattern contains \"\\0\" but it is impossible to match"),
        "stderr: {err}"
    );
    eqnice!(
        "",
        dir.command()
            .args(["-a", r"a\x00b", "r.txt"])
            .expect_status(1)
    );
}

// ---- Broken pipe ----------------------------------------------------------------------

#[test]
fn broken_pipe_ends_quietly() {
    // The reader goes away after a few bytes: no message, no exit status 2, no death by
    // SIGPIPE (ripgrep ends with the status so far: here 1, as the interrupted file never
    // finished; 0 would do as well).
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = Dir::new("broken_pipe_ends_quietly");
    let data: String = (0..200_000).map(|i| format!("line {i:06}\n")).collect();
    dir.create("big.txt", &data);
    let page = page_size().to_string();
    for extra in [vec![], vec!["--chunk-size", page.as_str(), "-j", "2"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mmgrep"))
            .current_dir(dir.path())
            .args(&extra)
            .args(["-n", "line", "big.txt"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // stdout is dropped here: the pipe's read end closes.
        let out = child.wait_with_output().unwrap();
        eqnice!("1:line 000", String::from_utf8_lossy(&first));
        eqnice!("", String::from_utf8_lossy(&out.stderr));
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{extra:?}: status {:?}",
            out.status
        );
    }
}
