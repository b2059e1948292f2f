//! Fuzz target: the chunked parallel, streamed and whole-file search against the naive
//! line oracle (the same model as the property test in tests/oracle.rs), on haystacks,
//! patterns and flags taken from the fuzzer's bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracle_model.rs"]
mod model;

use model::{Flags, Io, oracle, run_engine};

const PATTERNS: &[&str] = &[
    "a", "ab", "b+c", "^a", "c$", "a|bc", "", "[ab]c", r"\w+", "x", "é", "A", r"\s", "b", "^$", "ca?", r"a\b",
    "(?i)ab", r"\bb", "a*", "[^a]", ".", "..", r"\S+$", "[é-ë]", "[à-ÿ]+b?", "(?i)É",
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (a, b, c, d) = (data[0], data[1], data[2], data[3]);
    let hay = &data[4..data.len().min(4 + 48 * 1024)];
    let ctx = b & 0x80 != 0;
    let f = Flags {
        invert: a & 1 != 0,
        word: a & 6 == 2,
        line: a & 6 == 4,
        icase: a & 8 != 0,
        only: a & 16 != 0 && a & 32 == 0,
        count: a & 32 != 0,
        numbers: a & 64 != 0,
        byte_offset: d & 32 != 0 && a & 32 == 0,
        max: if a & 128 != 0 { Some(1 + (d & 3) as u64) } else { None },
        before: if ctx { (b & 3) as usize } else { 0 },
        after: if ctx { ((b >> 2) & 3) as usize } else { 0 },
        text: true,
    };
    let pick = (b as usize >> 4 & 7) + 8 * (d as usize >> 6 & 1) + 16 * (d as usize >> 7);
    let pattern = PATTERNS[pick % PATTERNS.len()].to_string();
    let pattern = if pattern.is_empty() && d & 16 != 0 { "^".to_string() } else { pattern };
    let threads = 1 + (c & 3) as usize;
    let pages = 1 + ((c >> 2) & 3) as usize;
    let io = match (c >> 4) & 3 {
        0 | 1 => Io::Chunks,
        2 => Io::Stream,
        _ => Io::Whole,
    };
    let pages = if matches!(io, Io::Whole) { 4096 } else { pages };
    mmgrep::stream::set_test_capacity(5 + (d & 31) as usize);
    let want = oracle(hay, &pattern, &f);
    let got = run_engine(hay, &pattern, &f, io, threads, pages);
    assert!(
        want == got,
        "flags {f:?} io {io:?} threads {threads} pages {pages} pattern {pattern:?}\nwant:\n{}\ngot:\n{}",
        String::from_utf8_lossy(&want),
        String::from_utf8_lossy(&got)
    );
});
