//! The engine against a naive oracle: random haystacks (short and multi-page lines, CRLF,
//! no final newline, NULs with -a, bytes that are not UTF-8) searched with random patterns
//! and flags (-v -w -x -i -o -c -n -m, context) by the chunked parallel search (chunk sizes
//! down to one page, 1–4 threads), the stream reader (tiny buffers, many refills) and the
//! whole-file search must print exactly what a line-by-line reading of ripgrep's rules
//! prints.

use proptest::prelude::*;

#[path = "oracle_model.rs"]
mod model;

use model::{Flags, Io, oracle, run_engine};

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
        (
            prop::sample::select(vec![0u8, 0, 0, 1, 2]),
            any::<bool>(),
            any::<bool>(),
        ),
        (
            prop::option::weighted(0.25, 1u64..5),
            0usize..4,
            0usize..4,
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (invert, wl, icase, only),
                (mode, numbers, offsets),
                (max, before, after, ctx, text),
            )| Flags {
                invert,
                word: wl == 1,
                line: wl == 2,
                icase,
                only: only && mode != 1,
                count: mode == 1,
                numbers,
                byte_offset: offsets && mode != 1,
                max,
                before: if ctx { before } else { 0 },
                after: if ctx { after } else { 0 },
                text,
            },
        )
}

fn pattern() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "ab",
        "b+c",
        "^a",
        "c$",
        "a|bc",
        "",
        "[ab]c",
        r"\w+",
        "x",
        "é",
        "A",
        r"\s",
        "b",
        "^$",
        "ca?",
        r"a\b",
        "(?i)ab",
        "[é-ë]",
        "[à-ÿ]+b?",
        "(?i)É",
    ])
    .prop_map(String::from)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2500, max_shrink_iters: 2000, .. ProptestConfig::default() })]

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

/// Found by the fuzzer (fuzz/fuzz_targets/search_oracle.rs): a haystack that starts with a
/// UTF-16 byte-order mark is transcoded before it is searched, as ripgrep does, by every
/// reading path (here the stream path with context, -v and -b).
#[test]
fn fuzz_regression_utf16_bom_is_transcoded() {
    let hay = b"\xfe\xff\xff\xff\xfd\xffl\xabt";
    let f = Flags {
        invert: true,
        word: false,
        line: false,
        icase: false,
        only: false,
        count: false,
        numbers: false,
        byte_offset: true,
        max: None,
        before: 1,
        after: 3,
        text: true,
    };
    let want = oracle(hay, "c$", &f);
    assert_eq!(want, "0:\u{ffff}\u{fdff}\u{6cab}\u{fffd}\n".as_bytes());
    for io in [Io::Stream, Io::Chunks, Io::Whole] {
        assert_eq!(run_engine(hay, "c$", &f, io, 3, 3), want, "{io:?}");
    }
}
