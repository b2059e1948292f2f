//! Criterion benchmarks of the engine's parts on generated C-like text (no corpus needed):
//! matcher throughput over a chunk, newline counting, chunk planning, a chunk search into a
//! counting sink, and the ordered writer. Each asserts its result inside the loop so that
//! nothing is optimised away. Run: `cargo bench --bench engine`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use mmgrep::chunk::{count_lines_ends, page_size, plan};
use mmgrep::matcher::{Matcher, MatcherOptions};
use mmgrep::order::{FileHead, Ordered, UnitKey, UnitOut};
use mmgrep::output::{BinaryKind, CountSink, Mode, OutputConfig};
use mmgrep::search::{SearchOptions, search_chunk};

/// 4 MiB of C-like lines from a fixed seed, with `PM_RESUME` planted every 997th line.
fn haystack() -> (Vec<u8>, u64) {
    const WORDS: &[&str] = &[
        "static",
        "int",
        "struct",
        "return",
        "if",
        "else",
        "unsigned",
        "long",
        "void",
        "const",
        "spin_lock",
        "dev",
        "pm_suspend",
        "err",
        "ret",
        "=",
        "{",
        "}",
        "(",
        ")",
        ";",
        "->",
        "0x1f",
        "NULL",
        "data",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut out = Vec::with_capacity(4 << 20);
    let mut planted = 0;
    let mut line = 0u64;
    while out.len() < (4 << 20) - 200 {
        line += 1;
        out.push(b'\t');
        for _ in 0..(next() % 9 + 1) {
            out.extend_from_slice(WORDS[(next() % WORDS.len() as u64) as usize].as_bytes());
            out.push(b' ');
        }
        if line.is_multiple_of(997) {
            out.extend_from_slice(b"PM_RESUME");
            planted += 1;
        }
        out.push(b'\n');
    }
    (out, planted)
}

fn matcher(pats: &[&str]) -> Matcher {
    Matcher::new(pats, &MatcherOptions::default()).unwrap()
}

fn count_matches(m: &Matcher, hay: &[u8]) -> u64 {
    let mut n = 0;
    m.for_each_match(hay, 0, hay.len(), |_, _| {
        n += 1;
        true
    });
    n
}

fn bench_matchers(c: &mut Criterion) {
    let (hay, planted) = haystack();
    let mut g = c.benchmark_group("matcher");
    g.throughput(Throughput::Bytes(hay.len() as u64));
    let lit = matcher(&["PM_RESUME"]);
    g.bench_function("literal_memmem", |b| {
        b.iter(|| assert_eq!(count_matches(&lit, black_box(&hay)), planted))
    });
    let set = matcher(&["PM_RESUME", "ERR_SYS", "PME_TURN_OFF", "LINK_REQ_RST"]);
    g.bench_function("literal_set_aho_corasick", |b| {
        b.iter(|| assert_eq!(count_matches(&set, black_box(&hay)), planted))
    });
    let inner = matcher(&["[A-Z]+_RESUME"]);
    g.bench_function("regex_inner_literal", |b| {
        b.iter(|| assert_eq!(count_matches(&inner, black_box(&hay)), planted))
    });
    let greek = matcher(&[r"\p{Greek}"]);
    g.bench_function("regex_unicode_class", |b| {
        b.iter(|| assert_eq!(count_matches(&greek, black_box(&hay)), 0))
    });
    g.finish();

    // Finding matching lines for a pattern without literals (the five-words query): the
    // regex engine line by line, against the ASCII DFA's two scans at once.
    let mut g = c.benchmark_group("lines_without_literal");
    g.throughput(Throughput::Bytes(hay.len() as u64));
    let five = matcher(&[r"\w{5}\s+\w{5}\s+\w{5}\s+\w{5}\s+\w{5}"]);
    assert!(five.finds_lines_at_once());
    let lines = |by_one: bool| {
        let mut hits = Vec::new();
        if by_one {
            five.line_hits_one_by_one(black_box(&hay), 0, hay.len(), &mut hits);
        } else {
            five.line_hits(black_box(&hay), 0, hay.len(), &mut hits);
        }
        hits.len()
    };
    let want = lines(true);
    assert!(want > 0);
    g.bench_function("regex_line_by_line", |b| {
        b.iter(|| assert_eq!(lines(true), want))
    });
    g.bench_function("ascii_dfa_two_scans", |b| {
        b.iter(|| assert_eq!(lines(false), want))
    });
    g.finish();
}

fn bench_newlines(c: &mut Criterion) {
    let (hay, _) = haystack();
    let want = hay.iter().filter(|&&b| b == b'\n').count() as u64;
    let mut g = c.benchmark_group("newlines");
    g.throughput(Throughput::Bytes(hay.len() as u64));
    g.bench_function("count_newlines", |b| {
        b.iter(|| assert_eq!(count_lines_ends(black_box(&hay), b'\n'), want))
    });
    g.finish();
}

fn bench_plan(c: &mut Criterion) {
    let chunk = 1024 * page_size();
    let len = 100usize << 30;
    c.bench_function("chunk_plan_100GiB", |b| {
        b.iter(|| assert_eq!(plan(black_box(len), chunk).len(), len.div_ceil(chunk)))
    });
}

fn bench_chunk_search(c: &mut Criterion) {
    let (hay, planted) = haystack();
    let m = matcher(&["PM_RESUME"]);
    let opts = SearchOptions {
        line_numbers: true,
        ..SearchOptions::default()
    };
    let mut g = c.benchmark_group("chunk_search");
    g.throughput(Throughput::Bytes(hay.len() as u64));
    g.bench_function("count_sink_with_line_numbers", |b| {
        b.iter(|| {
            let mut sink = CountSink::new(&m, false, false, false);
            search_chunk(
                black_box(&hay),
                0,
                hay.len(),
                Some(0),
                &m,
                &opts,
                &mut sink,
                None,
            );
            assert_eq!(sink.lines, planted);
        })
    });
    g.finish();
}

fn bench_ordered_writer(c: &mut Criterion) {
    let cfg = Arc::new(OutputConfig {
        mode: Mode::Standard,
        with_filename: true,
        heading: false,
        line_number: true,
        column: false,
        byte_offset: false,
        only_matching: false,
        vimgrep: false,
        null: false,
        line_buffered: false,
        color: false,
        colors: Default::default(),
        hyperlinks: None,
        invert: false,
        context: false,
        context_separator: Some(b"--".to_vec()),
        replacement: None,
        include_zero: false,
        count_matches_always: false,
        max_columns: None,
        max_columns_preview: false,
        crlf: false,
        null_data: false,
        path_separator: None,
        multiline: false,
        trim: false,
        field_match_separator: b":".to_vec(),
        field_context_separator: b"-".to_vec(),
    });
    let units = 4096u64;
    let line = b"path/to/file.c:42:\tspin_lock(&dev->lock);\n";
    let mut g = c.benchmark_group("ordered_writer");
    g.throughput(Throughput::Bytes(units * line.len() as u64));
    g.bench_function("4096_units_out_of_order", |b| {
        b.iter(|| {
            let order = Ordered::new(cfg.clone(), Box::new(std::io::sink()));
            let head = FileHead {
                display: Arc::from(&b"f"[..]),
                binary: BinaryKind::Text,
            };
            // Finish units in pairs swapped (1, 0, 3, 2, ...) so half wait in the window.
            for pair in 0..units / 2 {
                for seq in [pair * 2 + 1, pair * 2] {
                    let unit = UnitOut {
                        buf: line.to_vec(),
                        printed: true,
                        lines: 1,
                        ..UnitOut::default()
                    };
                    let _ = order.finish(
                        UnitKey {
                            seq,
                            file: head.clone(),
                            index: 0,
                        },
                        unit,
                    );
                }
            }
            let (totals, err) = order.close();
            assert!(err.is_none());
            assert_eq!(totals.stats.bytes_printed, units * line.len() as u64);
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_matchers,
    bench_newlines,
    bench_plan,
    bench_chunk_search,
    bench_ordered_writer
);
criterion_main!(benches);
