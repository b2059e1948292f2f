//! The engine's own knobs must not change what is printed: thread counts, chunk sizes,
//! mapping choices and output order are checked against the naive oracle (`oracle.rs`) over
//! generated files large enough to be split into many page-aligned chunks. Also
//! `--reverse`, which is mmgrep's own.

use crate::naive::{self, Opts, page_size};
use crate::util::Dir;

/// Files in path order (as printed), with their contents.
type Corpus = Vec<(String, Vec<u8>)>;

/// A directory `c` with large files (many chunks at page-sized chunks, one over the 1 MiB
/// mapping threshold), one without a final newline, an empty file, a file without
/// matches and twenty small files in a subdirectory.
fn corpus(dir: &Dir) -> Corpus {
    let mut files: Corpus = vec![
        (
            "c/a_big.txt".into(),
            naive::text(1, 200_000, 120, 40, "needle", true),
        ),
        (
            "c/b_nonl.txt".into(),
            naive::text(2, 70_000, 200, 25, "needle", false),
        ),
        ("c/e_empty.txt".into(), Vec::new()),
        (
            "c/n_none.txt".into(),
            naive::text(4, 30_000, 80, 10, "haystack", true),
        ),
    ];
    for i in 0..20u64 {
        let size = 300 + (i as usize * 157) % 3000;
        files.push((
            format!("c/s/{i:02}.txt"),
            naive::text(100 + i, size, 60, 8, "needle", i % 3 != 0),
        ));
    }
    files.push((
        "c/z_mid.txt".into(),
        naive::text(3, 1_100_000, 100, 500, "needle", true),
    ));
    for (p, d) in &files {
        dir.create(p, d);
    }
    files
}

fn ctx(before: usize, after: usize) -> Opts {
    Opts {
        before,
        after,
        line_numbers: true,
        with_filename: true,
        ..Opts::default()
    }
}

#[test]
fn thread_counts_agree_with_the_oracle() {
    let dir = Dir::new("thread_counts_agree_with_the_oracle");
    let files = corpus(&dir);
    let expected = naive::standard(&files, b"needle", &ctx(1, 1));
    let page = page_size().to_string();
    for j in ["1", "2", "4"] {
        let (got, _) = dir
            .command()
            .args(["-j", j, "--chunk-size", &page, "-n", "-C1", "needle", "c"])
            .expect_raw(0);
        eqbytes!(expected, got);
    }
}

#[test]
fn chunk_sizes_agree_with_the_oracle() {
    let dir = Dir::new("chunk_sizes_agree_with_the_oracle");
    let files = corpus(&dir);
    let opts = Opts {
        byte_offset: true,
        ..ctx(2, 2)
    };
    let expected = naive::standard(&files, b"needle", &opts);
    let page = page_size();
    for size in [page.to_string(), (2 * page).to_string(), "1M".to_string()] {
        let (got, _) = dir
            .command()
            .args([
                "-j",
                "2",
                "--chunk-size",
                &size,
                "-n",
                "-b",
                "-C2",
                "needle",
                "c",
            ])
            .expect_raw(0);
        eqbytes!(expected, got);
    }
}

#[test]
fn chunk_sizes_4k_8k_1m_agree() {
    // The sizes of the brief, where the page size allows them (4 KiB pages).
    if page_size() != 4096 {
        eprintln!(
            "NOT RUN: page size is {} (4K chunks need 4 KiB pages); chunk_sizes_agree_with_the_oracle covers it",
            page_size()
        );
        return;
    }
    let dir = Dir::new("chunk_sizes_4k_8k_1m_agree");
    let files = corpus(&dir);
    let expected = naive::standard(&files, b"needle", &ctx(1, 0));
    for size in ["4K", "8K", "1M"] {
        let (got, _) = dir
            .command()
            .args(["--chunk-size", size, "-n", "-B1", "needle", "c"])
            .expect_raw(0);
        eqbytes!(expected, got);
    }
}

#[test]
fn mmap_choices_agree_with_the_oracle() {
    let dir = Dir::new("mmap_choices_agree_with_the_oracle");
    let files = corpus(&dir);
    let expected = naive::standard(&files, b"needle", &ctx(0, 2));
    let page = page_size().to_string();
    for m in ["auto", "always", "never"] {
        let (got, _) = dir
            .command()
            .args([
                "--mmap",
                m,
                "-j",
                "2",
                "--chunk-size",
                &page,
                "-n",
                "-A2",
                "needle",
                "c",
            ])
            .expect_raw(0);
        eqbytes!(expected, got);
    }
}

#[test]
fn mmap_never_streaming_keeps_absolute_byte_offsets() {
    let dir = Dir::new("mmap_never_streaming_keeps_absolute_byte_offsets");
    let files = corpus(&dir);
    let one = vec![files[0].clone()];
    let opts = Opts {
        byte_offset: true,
        ..Opts::default()
    };
    let expected = naive::standard(&one, b"needle", &opts);
    let page = page_size().to_string();
    // Larger than the chunk size and not mapped: streamed through a bounded buffer.
    for m in ["always", "never"] {
        let (got, _) = dir
            .command()
            .args([
                "--mmap",
                m,
                "--chunk-size",
                &page,
                "-b",
                "needle",
                "c/a_big.txt",
            ])
            .expect_raw(0);
        eqbytes!(expected, got);
    }
}

#[test]
fn inverted_search_agrees_across_chunks() {
    let dir = Dir::new("inverted_search_agrees_across_chunks");
    let files = corpus(&dir);
    let one = vec![files[0].clone()];
    let expected = naive::standard(
        &one,
        b"needle",
        &Opts {
            invert: true,
            line_numbers: true,
            ..Opts::default()
        },
    );
    let page = page_size().to_string();
    let (got, _) = dir
        .command()
        .args([
            "-j",
            "3",
            "--chunk-size",
            &page,
            "-n",
            "-v",
            "needle",
            "c/a_big.txt",
        ])
        .expect_raw(0);
    eqbytes!(expected, got);
}

#[test]
fn counts_agree_across_chunks() {
    let dir = Dir::new("counts_agree_across_chunks");
    let files = corpus(&dir);
    let mut lines_expected = String::new();
    let mut matches_expected = String::new();
    for (p, d) in &files {
        let mut nl = 0;
        let mut nm = 0;
        for (_, l) in naive::lines(d) {
            let n = l.windows(6).filter(|w| w == b"needle").count();
            nl += (n > 0) as usize;
            nm += n;
        }
        if nl > 0 {
            lines_expected.push_str(&format!("{p}:{nl}\n"));
            matches_expected.push_str(&format!("{p}:{nm}\n"));
        }
    }
    let page = page_size().to_string();
    for j in ["1", "3"] {
        let got = dir
            .command()
            .args(["-j", j, "--chunk-size", &page, "-c", "needle", "c"])
            .stdout();
        eqnice!(lines_expected, got);
        let got = dir
            .command()
            .args([
                "-j",
                j,
                "--chunk-size",
                &page,
                "--count-matches",
                "needle",
                "c",
            ])
            .stdout();
        eqnice!(matches_expected, got);
    }
}

#[test]
fn only_matching_byte_offsets_across_chunks() {
    let dir = Dir::new("only_matching_byte_offsets_across_chunks");
    let files = corpus(&dir);
    let data = &files[0].1;
    let mut expected = String::new();
    let mut i = 0;
    while i + 6 <= data.len() {
        if &data[i..i + 6] == b"needle" {
            expected.push_str(&format!("{i}:needle\n"));
            i += 6;
        } else {
            i += 1;
        }
    }
    let page = page_size().to_string();
    let got = dir
        .command()
        .args([
            "-j",
            "2",
            "--chunk-size",
            &page,
            "-o",
            "-b",
            "needle",
            "c/a_big.txt",
        ])
        .stdout();
    eqnice!(expected, got);
}

#[test]
fn files_with_matches_in_path_order_whatever_the_threads() {
    let dir = Dir::new("files_with_matches_in_path_order_whatever_the_threads");
    let files = corpus(&dir);
    let expected: String = files
        .iter()
        .filter(|(_, d)| d.windows(6).any(|w| w == b"needle"))
        .map(|(p, _)| format!("{p}\n"))
        .collect();
    let page = page_size().to_string();
    for j in ["1", "4"] {
        eqnice!(
            expected,
            dir.command()
                .args(["-j", j, "--chunk-size", &page, "-l", "needle", "c"])
                .stdout()
        );
    }
}

#[test]
fn sort_none_prints_the_same_lines() {
    let dir = Dir::new("sort_none_prints_the_same_lines");
    let files = corpus(&dir);
    let expected = naive::standard(
        &files,
        b"needle",
        &Opts {
            line_numbers: true,
            with_filename: true,
            ..Opts::default()
        },
    );
    let mut want: Vec<&[u8]> = expected.split(|&b| b == b'\n').collect();
    want.sort();
    let page = page_size().to_string();
    let (got, _) = dir
        .command()
        .args([
            "--sort",
            "none",
            "-j",
            "4",
            "--chunk-size",
            &page,
            "-n",
            "needle",
            "c",
        ])
        .expect_raw(0);
    let mut have: Vec<&[u8]> = got.split(|&b| b == b'\n').collect();
    have.sort();
    assert!(
        want == have,
        "--sort none printed a different set of lines ({} vs {})",
        have.len(),
        want.len()
    );
    let (got, _) = dir
        .command()
        .args(["--sort", "path", "-j", "4", "-n", "needle", "c"])
        .expect_raw(0);
    eqbytes!(expected, got);
}

/// About 2.2 MB of numbered lines, every third one holding `match`: with `--chunk-size 1M`
/// its first chunk renders well over 256 KiB, which is written out (spilled) before the
/// chunk is finished.
fn big_output_file() -> Vec<u8> {
    (0..120_000u32)
        .flat_map(|i| {
            if i % 3 == 0 {
                format!("line {i:06} match\n")
            } else {
                format!("line {i:06} other\n")
            }
            .into_bytes()
        })
        .collect()
}

#[test]
fn heading_printed_once_for_a_chunked_file_with_large_output() {
    let dir = Dir::new("heading_printed_once_for_a_chunked_file_with_large_output");
    dir.create("a.txt", "match\n");
    let data = big_output_file();
    dir.create("big.txt", &data);
    let body = naive::standard(
        &[("big.txt".to_string(), data)],
        b"match",
        &Opts {
            line_numbers: true,
            ..Opts::default()
        },
    );
    let mut expected = b"a.txt\n1:match\n\nbig.txt\n".to_vec();
    expected.extend_from_slice(&body);
    for size in ["1M", "4M"] {
        let (got, _) = dir
            .command()
            .args([
                "--chunk-size",
                size,
                "--heading",
                "-n",
                "match",
                "a.txt",
                "big.txt",
            ])
            .expect_raw(0);
        eqbytes!(expected, got);
    }
}

#[test]
fn no_separator_between_adjacent_lines_at_a_chunk_boundary_with_large_output() {
    let dir = Dir::new("no_separator_between_adjacent_lines_at_a_chunk_boundary_with_large_output");
    let data = big_output_file();
    dir.create("big.txt", &data);
    let files = vec![("big.txt".to_string(), data)];
    let expected = naive::standard(
        &files,
        b"match",
        &Opts {
            after: 1,
            line_numbers: true,
            ..Opts::default()
        },
    );
    for size in ["1M", "4M"] {
        let (got, _) = dir
            .command()
            .args(["--chunk-size", size, "-n", "-A1", "match", "big.txt"])
            .expect_raw(0);
        eqbytes!(expected, got);
    }
}

// ---- --reverse (mmgrep's own) ---------------------------------------------------------

const MX: &str = "a1\nx\nx\na2\nx\na3\nx\nx\nx\na4\nx\n";

#[test]
fn reverse_prints_each_files_lines_last_first() {
    let dir = Dir::new("reverse_prints_each_files_lines_last_first");
    dir.create("f.txt", MX);
    eqnice!(
        "10:a4\n6:a3\n4:a2\n1:a1\n",
        dir.command()
            .args(["--reverse", "-n", "a", "f.txt"])
            .stdout()
    );
    eqnice!(
        "11:x\n9:x\n8:x\n7:x\n5:x\n3:x\n2:x\n",
        dir.command()
            .args(["--reverse", "-n", "-v", "a", "f.txt"])
            .stdout()
    );
}

#[test]
fn reverse_with_max_count_prints_the_last_lines() {
    let dir = Dir::new("reverse_with_max_count_prints_the_last_lines");
    dir.create("f.txt", MX);
    eqnice!(
        "10:a4\n",
        dir.command()
            .args(["--reverse", "-n", "-m", "1", "a", "f.txt"])
            .stdout()
    );
    eqnice!(
        "10:a4\n6:a3\n",
        dir.command()
            .args(["--reverse", "-n", "-m2", "a", "f.txt"])
            .stdout()
    );
}

#[test]
fn reverse_keeps_files_in_path_order() {
    let dir = Dir::new("reverse_keeps_files_in_path_order");
    dir.create("cs/a.txt", "m1\nx\nx\nx\nm2\nx\nm3\n");
    dir.create("cs/b.txt", "m4\nx\n");
    eqnice!(
        "cs/a.txt:m3\ncs/a.txt:m2\ncs/a.txt:m1\ncs/b.txt:m4\n",
        dir.command().args(["--reverse", "m", "cs"]).stdout()
    );
    eqnice!(
        "cs/a.txt:7:m\ncs/a.txt:5:m\ncs/a.txt:1:m\ncs/b.txt:1:m\n",
        dir.command()
            .args(["--reverse", "-n", "-o", "m", "cs"])
            .stdout()
    );
}

#[test]
fn reverse_same_for_every_mmap_choice_and_chunk_size() {
    let dir = Dir::new("reverse_same_for_every_mmap_choice_and_chunk_size");
    let files = corpus(&dir);
    let one = vec![files[0].clone()];
    let forward = naive::standard(
        &one,
        b"needle",
        &Opts {
            line_numbers: true,
            byte_offset: true,
            ..Opts::default()
        },
    );
    let mut lines: Vec<&[u8]> = forward.split_inclusive(|&b| b == b'\n').collect();
    lines.reverse();
    let all: Vec<u8> = lines.concat();
    let last3: Vec<u8> = lines[..3].concat();
    let page = page_size().to_string();
    for m in ["auto", "always", "never"] {
        for size in [page.as_str(), "1M"] {
            let (got, _) = dir
                .command()
                .args([
                    "--reverse",
                    "--mmap",
                    m,
                    "--chunk-size",
                    size,
                    "-n",
                    "-b",
                    "needle",
                    "c/a_big.txt",
                ])
                .expect_raw(0);
            eqbytes!(all, got);
            let (got, _) = dir
                .command()
                .args([
                    "--reverse",
                    "-m3",
                    "--mmap",
                    m,
                    "--chunk-size",
                    size,
                    "-n",
                    "-b",
                    "needle",
                    "c/a_big.txt",
                ])
                .expect_raw(0);
            eqbytes!(last3, got);
        }
    }
}

#[test]
fn reverse_on_stdin_is_reversed_or_refused() {
    let dir = Dir::new("reverse_on_stdin_is_reversed_or_refused");
    let out = dir
        .command()
        .args(["--reverse", "-n", "a"])
        .stdin(MX)
        .output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let refused = out.status.code() == Some(2) && stdout.is_empty() && stderr.contains("--reverse");
    let reversed = out.status.code() == Some(0) && stdout == "10:a4\n6:a3\n4:a2\n1:a1\n";
    assert!(
        refused || reversed,
        "--reverse on stdin neither reversed nor refused:\nstatus {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status.code()
    );
}

#[test]
fn reverse_refuses_context() {
    let dir = Dir::new("reverse_refuses_context");
    dir.create("f.txt", MX);
    let (out, err) = dir
        .command()
        .args(["--reverse", "-A1", "a", "f.txt"])
        .expect_err(2);
    eqnice!("", out);
    assert!(
        err.starts_with("mmgrep: ") && err.contains("--reverse"),
        "stderr: {err}"
    );
}

/// A file met while walking stops at its first NUL where ripgrep's reader would: the end
/// of the lines it searched before the read that brought the NUL. With chunks much smaller
/// than that read, the NUL lies many chunks ahead of the last chunk that may print.
#[test]
fn a_nul_many_chunks_ahead_stops_the_walked_file_where_the_reader_does() {
    let dir = Dir::new("a_nul_many_chunks_ahead_stops_the_walked_file_where_the_reader_does");
    let mut data = Vec::new();
    let mut i = 0;
    while data.len() < 400_000 {
        data.extend_from_slice(format!("line {i} needle {}\n", "x".repeat(i % 40)).as_bytes());
        i += 1;
    }
    let nul = 150_001;
    data[nul] = 0;
    dir.create("t/f.txt", &data);
    // -c: ripgrep prints no count for a file it stopped as binary, and finds no match.
    for (flag, code) in [("-n", 0), ("-c", 1), ("-H", 0)] {
        let want = chunked_as_the_reader(&dir, flag, code);
        let lines_before_nul = data[..nul].iter().filter(|&&b| b == b'\n').count();
        if flag == "-n" {
            // The reader stopped before the NUL's line: fewer matches than lines before it.
            let printed = want.iter().filter(|&&b| b == b'\n').count() - 1;
            assert!(
                printed < lines_before_nul,
                "{printed} >= {lines_before_nul}"
            );
        }
    }
}

/// `mmgrep FLAG needle t` read as a stream (`--mmap never`: ripgrep's reader, replayed
/// exactly) and chunked (one page, 64K; two threads) give the same bytes and exit `code`;
/// returns them.
fn chunked_as_the_reader(dir: &Dir, flag: &str, code: i32) -> Vec<u8> {
    let (want, _) = dir
        .command()
        .args(["--mmap", "never", flag, "needle", "t"])
        .expect_raw(code);
    for chunk in [page_size().to_string().as_str(), "64K"] {
        let (got, _) = dir
            .command()
            .args(["--chunk-size", chunk, "-j", "2", flag, "needle", "t"])
            .expect_raw(code);
        eqbytes!(want, got);
    }
    want
}

/// With -l or -q ripgrep's search stops at the first match: a NUL in a later read is never
/// read, so the walked file is listed. Chunked, the first chunk may already have seen that
/// NUL (its look-ahead reaches the read that brings it); the file is listed all the same.
#[test]
fn a_nul_after_the_first_match_does_not_unlist_a_walked_file() {
    let dir = Dir::new("a_nul_after_the_first_match_does_not_unlist_a_walked_file");
    let mut data = b"needle\n".to_vec();
    data.extend_from_slice(&[b'x'; 100_000]);
    data.extend_from_slice(b"\ny\ny\n\0\n");
    for _ in 0..1000 {
        data.extend_from_slice(b"needle z\n");
    }
    dir.create("t/f.txt", &data);
    for (flag, code) in [("-l", 0), ("-q", 0), ("-c", 1)] {
        let want = chunked_as_the_reader(&dir, flag, code);
        if flag == "-l" {
            eqbytes!(want, b"t/f.txt\n".to_vec());
        }
    }
}

/// A walked file whose first read holds a NUL is binary before any match: ripgrep quits it
/// and `-q` finds nothing. A later chunk's match must not settle `-q` on its own, since the
/// first chunk cuts the file before it.
#[test]
fn quiet_is_not_settled_by_a_chunk_the_first_nul_cuts_away() {
    let dir = Dir::new("quiet_is_not_settled_by_a_chunk_the_first_nul_cuts_away");
    let mut data = b"a\0\n".to_vec();
    while data.len() < 2_000_000 {
        data.extend_from_slice(b"needle\n");
    }
    dir.create("t/f.txt", &data);
    chunked_as_the_reader(&dir, "-q", 1);
}

/// A walked file is read without asking its size first (a first read that does not fill
/// its 256 KiB buffer is the whole file, on file systems that read whole); a larger one
/// keeps that first read as its head and reads the rest, or starts over when it is
/// streamed. Every way must give the same lines, numbers and offsets.
#[test]
fn walked_files_around_the_first_read_are_searched_whole() {
    const FIRST_READ: usize = 256 << 10;
    for dir in [
        Dir::new("walked_files_around_the_first_read_are_searched_whole"),
        Dir::in_memory("walked_files_around_the_first_read_are_searched_whole"),
    ] {
        // Files of every size around the first read, each with a match at its start, one
        // across the first read's end (when long enough) and one as its last line.
        let mut want = String::new();
        for (name, size) in [
            ("a-empty", 0),
            ("b-short", 100),
            ("c-just-under", FIRST_READ - 1),
            ("d-exact", FIRST_READ),
            ("e-just-over", FIRST_READ + 1),
            ("f-large", 700_000),
        ] {
            let mut data = Vec::new();
            let mut line = 0;
            let mut push = |data: &mut Vec<u8>, text: &[u8], want: &mut String| {
                line += 1;
                if text.starts_with(b"needle") {
                    let shown = String::from_utf8_lossy(&text[..text.len() - 1]);
                    want.push_str(&format!("t/{name}:{line}:{}:{shown}\n", data.len()));
                }
                data.extend_from_slice(text);
            };
            if size > 0 {
                push(&mut data, b"needle first\n", &mut want);
                while data.len() + 80 < size {
                    if data.len() + 40 > FIRST_READ && data.len() < FIRST_READ {
                        push(
                            &mut data,
                            b"needle across the first read's end\n",
                            &mut want,
                        );
                    } else {
                        push(
                            &mut data,
                            b"some filler text on a line of its own\n",
                            &mut want,
                        );
                    }
                }
                let pad = size - data.len() - b"needle last\n".len();
                push(
                    &mut data,
                    format!("{}\n", "x".repeat(pad - 1)).as_bytes(),
                    &mut want,
                );
                push(&mut data, b"needle last\n", &mut want);
                assert_eq!(data.len(), size);
            }
            dir.create(format!("t/{name}"), &data);
        }
        assert!(
            want.contains("across"),
            "a match crosses the first read's end"
        );
        for extra in [
            &[][..],
            &["--mmap", "never"],
            &["--chunk-size", "65536"],
            &["--mmap", "never", "--chunk-size", "65536"],
        ] {
            let got = dir
                .command()
                .args(["-n", "-b", "needle", "t"])
                .args(extra)
                .stdout();
            eqnice!(want, got);
        }
        let counts = dir
            .command()
            .args(["-c", "--include-zero", "needle", "t"])
            .stdout();
        assert!(counts.starts_with("t/a-empty:0\nt/b-short:2\n"), "{counts}");
    }
}

/// A few small files named on the command line are searched on the calling thread; the
/// same files with a 1.1 MiB one that matches nothing go through the worker threads. Both
/// print the same bytes for the small files and exit alike.
#[test]
fn a_few_small_named_files_print_what_the_threaded_search_prints() {
    let dir = Dir::new("a_few_small_named_files_print_what_the_threaded_search_prints");
    dir.create("b.txt", "foo one\nbar\nfoo two\n");
    dir.create("a.txt", "nothing here\n");
    dir.create("c.bin", "foo\0binary\n");
    dir.create("d.txt", "x\nfoo\ny\n".repeat(200));
    dir.create("zbig.txt", "x\n".repeat(550_000));
    let few = ["b.txt", "a.txt", "c.bin", "d.txt"];
    let many = ["b.txt", "a.txt", "c.bin", "d.txt", "zbig.txt"];
    // Times differ from run to run; the summary and -v count the big file too.
    let untimed = |b: &[u8]| -> String {
        String::from_utf8_lossy(b)
            .lines()
            .filter(|l| {
                !l.contains("\"elapsed\"")
                    && !l.contains("\"type\":\"summary\"")
                    && !l.starts_with("zbig.txt")
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    for args in [
        &["-n", "foo"][..],
        &["-c", "foo"],
        &["-l", "foo"],
        &["-q", "foo"],
        &["-n", "-C1", "-m2", "foo"],
        &["--json", "foo"],
        &["-v", "-c", "foo"],
        &["-o", "-b", "fo+"],
        &["zzz"],
    ] {
        for j in ["-j1", "-j2"] {
            let inline = dir.command().arg(j).args(args).args(few).output();
            let threaded = dir.command().arg(j).args(args).args(many).output();
            assert_eq!(inline.status.code(), threaded.status.code(), "{args:?} {j}");
            assert_eq!(
                untimed(&inline.stdout),
                untimed(&threaded.stdout),
                "{args:?} {j}"
            );
            assert_eq!(inline.stderr, threaded.stderr, "{args:?} {j}");
        }
    }
}
