//! The engine against a naive oracle: random haystacks (short and multi-page lines, CRLF,
//! no final newline, NULs with -a, bytes that are not UTF-8) searched with random patterns
//! and flags (-v -w -x -i -o -c -n -m, context) by the chunked parallel search (chunk sizes
//! down to one page, 1–4 threads), the stream reader (tiny buffers, many refills) and the
//! whole-file search must print exactly what a line-by-line reading of ripgrep's rules
//! prints.

use std::io::Write;
use std::sync::{Arc, Mutex};

use proptest::prelude::*;

use mmgrep::config::Command;

/// A `Write` whose bytes the test can read back.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Clone, Debug)]
struct Flags {
    invert: bool,
    word: bool,
    line: bool,
    icase: bool,
    only: bool,
    count: bool,
    numbers: bool,
    max: Option<u64>,
    before: usize,
    after: usize,
    text: bool,
}

#[derive(Clone, Copy, Debug)]
enum Io {
    /// Mapped and split into chunks searched in parallel.
    Chunks,
    /// Streamed through a small buffer.
    Stream,
    /// Read whole and searched by one worker.
    Whole,
}

fn oracle_regex(pattern: &str, f: &Flags) -> regex::bytes::Regex {
    let inner = if f.line {
        format!("^(?:{pattern})$")
    } else if f.word {
        format!(r"\b{{start-half}}(?:{pattern})\b{{end-half}}")
    } else {
        format!("(?:{pattern})")
    };
    regex::bytes::RegexBuilder::new(&inner)
        .multi_line(true)
        .case_insensitive(f.icase)
        .build()
        .unwrap()
}

/// Lines with their terminators.
fn lines(hay: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = hay;
    while !rest.is_empty() {
        let n = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

fn body(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}

/// What ripgrep prints for one file given explicitly, read line by line.
fn oracle(hay: &[u8], pattern: &str, f: &Flags) -> Vec<u8> {
    let re = oracle_regex(pattern, f);
    let ls = lines(hay);
    let sel: Vec<bool> = ls
        .iter()
        .map(|l| re.is_match(body(l)) != f.invert)
        .collect();
    // The last selected line -m allows.
    let mut limit = usize::MAX;
    if let Some(m) = f.max {
        let mut n = 0;
        for (i, &s) in sel.iter().enumerate() {
            if s {
                n += 1;
                if n == m {
                    limit = i;
                    break;
                }
            }
        }
    }
    let mut out = Vec::new();
    if f.count {
        let n = sel
            .iter()
            .enumerate()
            .filter(|&(i, &s)| s && i <= limit)
            .count();
        if n > 0 {
            out.extend_from_slice(format!("{n}\n").as_bytes());
        }
        return out;
    }
    #[derive(Clone, Copy, PartialEq)]
    enum K {
        Match,
        Context,
    }
    let mut printed: Vec<Option<K>> = vec![None; ls.len()];
    for i in 0..ls.len() {
        if !sel[i] || i > limit {
            continue;
        }
        printed[i] = Some(K::Match);
        for p in &mut printed[i.saturating_sub(f.before)..i] {
            p.get_or_insert(K::Context);
        }
        for j in i + 1..=(i + f.after).min(ls.len().saturating_sub(1)) {
            // A selected line in after-context prints as a match (past the -m limit too).
            printed[j] = Some(if sel[j] { K::Match } else { K::Context });
        }
    }
    let context = f.before > 0 || f.after > 0;
    let mut last: Option<usize> = None;
    for (i, p) in printed.iter().enumerate() {
        let Some(kind) = *p else { continue };
        if context && last.is_some_and(|l| l + 1 != i) {
            out.extend_from_slice(b"--\n");
        }
        last = Some(i);
        let sep = if kind == K::Match { b':' } else { b'-' };
        let b = body(ls[i]);
        let prefix = |out: &mut Vec<u8>| {
            if f.numbers {
                out.extend_from_slice(format!("{}", i + 1).as_bytes());
                out.push(sep);
            }
        };
        if kind == K::Match && f.only && !f.invert {
            for m in re.find_iter(b) {
                prefix(&mut out);
                out.extend_from_slice(m.as_bytes());
                out.push(b'\n');
            }
        } else {
            prefix(&mut out);
            out.extend_from_slice(b);
            out.push(b'\n');
        }
    }
    out
}

fn run_engine(
    hay: &[u8],
    pattern: &str,
    f: &Flags,
    io: Io,
    threads: usize,
    pages: usize,
) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("mmgrep-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("h-{:?}", std::thread::current().id()).replace(['(', ')'], ""));
    std::fs::write(&path, hay).unwrap();
    let page = mmgrep::chunk::page_size();
    let mut argv: Vec<String> = vec![
        "mmgrep".into(),
        "--no-heading".into(),
        "--color".into(),
        "never".into(),
    ];
    argv.push(format!("-j{threads}"));
    argv.push(format!("--chunk-size={}", page * pages));
    argv.push(format!(
        "--mmap={}",
        match io {
            Io::Chunks => "always",
            Io::Stream => "never",
            Io::Whole => "auto",
        }
    ));
    for (on, flag) in [
        (f.invert, "-v"),
        (f.word, "-w"),
        (f.line, "-x"),
        (f.icase, "-i"),
        (f.only, "-o"),
        (f.count, "-c"),
        (f.text, "-a"),
    ] {
        if on {
            argv.push(flag.into());
        }
    }
    argv.push(if f.numbers { "-n".into() } else { "-N".into() });
    if let Some(m) = f.max {
        argv.push(format!("-m{m}"));
    }
    argv.push(format!("-B{}", f.before));
    argv.push(format!("-A{}", f.after));
    argv.push("-e".into());
    argv.push(pattern.into());
    argv.push(path.to_string_lossy().into_owned());
    let cmd = Command::from_argv(argv.into_iter().map(Into::into).collect()).unwrap();
    let Command::Search(cfg) = cmd else {
        panic!("not a search")
    };
    let out = Shared::default();
    mmgrep::engine::run(&cfg, Box::new(out.clone()));

    out.0.lock().unwrap().clone()
}

fn line_strategy(text: bool) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        6 => prop::sample::select(vec![&b"a"[..], b"b", b"c", b"ab", b"abc", b" ", b"ca", b"bb", b"\xc3\xa9", b"A", b"_"])
            .prop_map(|s| s.to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"\xff".to_vec()),
        1 => Just(if text { b"\x00".to_vec() } else { b"a".to_vec() }),
    ];
    prop_oneof![
        20 => prop::collection::vec(piece, 0..12).prop_map(|v| v.concat()),
        // A line longer than several pages.
        1 => (5000usize..20000, prop::sample::select(vec![b'x', b'a', b' '])).prop_map(|(n, c)| {
            let mut v = vec![c; n];
            v[n / 2] = b'b';
            v
        }),
    ]
}

fn haystack(text: bool) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(line_strategy(text), 0..600),
        any::<bool>(),
    )
        .prop_map(|(ls, final_nl)| {
            let mut out = Vec::new();
            for (i, l) in ls.iter().enumerate() {
                out.extend_from_slice(l);
                if i + 1 < ls.len() || final_nl {
                    out.push(b'\n');
                }
            }
            out
        })
}

fn flags() -> impl Strategy<Value = Flags> {
    (
        (
            any::<bool>(),
            prop::sample::select(vec![0u8, 0, 0, 1, 2]),
            any::<bool>(),
            any::<bool>(),
        ),
        (prop::sample::select(vec![0u8, 0, 0, 1, 2]), any::<bool>()),
        (
            prop::option::weighted(0.25, 1u64..5),
            0usize..4,
            0usize..4,
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((invert, wl, icase, only), (mode, numbers), (max, before, after, ctx, text))| Flags {
                invert,
                word: wl == 1,
                line: wl == 2,
                icase,
                only: only && mode != 1,
                count: mode == 1,
                numbers,
                max,
                before: if ctx { before } else { 0 },
                after: if ctx { after } else { 0 },
                text,
            },
        )
}

fn pattern() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a", "ab", "b+c", "^a", "c$", "a|bc", "", "[ab]c", r"\w+", "x", "é", "A", r"\s", "b", "^$",
        "ca?", r"a\b", "(?i)ab",
    ])
    .prop_map(String::from)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, max_shrink_iters: 2000, .. ProptestConfig::default() })]

    #[test]
    fn chunked_parallel_search_matches_the_oracle(
        f in flags(),
        hay in prop::bool::ANY.prop_flat_map(haystack),
        pat in pattern(),
        threads in 1usize..=4,
        pages in 1usize..=8,
        io in prop::sample::select(vec![Io::Chunks, Io::Chunks, Io::Stream, Io::Whole]),
    ) {
        let mut f = f;
        if hay.contains(&0) {
            f.text = true;
        }
        mmgrep::stream::set_test_capacity(37);
        // The whole-file path: one chunk larger than any haystack here.
        let pages = if matches!(io, Io::Whole) { 4096 } else { pages };
        let want = oracle(&hay, &pat, &f);
        let got = run_engine(&hay, &pat, &f, io, threads, pages);
        prop_assert_eq!(
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(&got),
            "flags {:?} io {:?} threads {} pages {} pattern {:?}", f, io, threads, pages, pat
        );
    }
}
