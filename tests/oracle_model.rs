//! The naive oracle and the engine runner, shared by the property test (tests/oracle.rs)
//! and the fuzz target (fuzz/fuzz_targets/search_oracle.rs): what ripgrep prints for one
//! file given explicitly, computed by reading it line by line with the regex crate.

use std::io::Write;
use std::sync::{Arc, Mutex};

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
pub struct Flags {
    pub invert: bool,
    pub word: bool,
    pub line: bool,
    pub icase: bool,
    pub only: bool,
    pub count: bool,
    pub numbers: bool,
    pub byte_offset: bool,
    pub max: Option<u64>,
    pub before: usize,
    pub after: usize,
    pub text: bool,
}

#[derive(Clone, Copy, Debug)]
pub enum Io {
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

/// ripgrep's decoding of a byte-order mark: a UTF-8 one is dropped; UTF-16 (LE `FF FE`,
/// BE `FE FF`) is transcoded to UTF-8, bad units and an odd last byte becoming U+FFFD.
fn decode_bom(hay: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if let Some(rest) = hay.strip_prefix(b"\xEF\xBB\xBF") {
        return rest.into();
    }
    let le = match hay.get(..2) {
        Some([0xFF, 0xFE]) => true,
        Some([0xFE, 0xFF]) => false,
        _ => return hay.into(),
    };
    let units: Vec<u16> = hay[2..]
        .chunks_exact(2)
        .map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        })
        .collect();
    let mut text = String::from_utf16_lossy(&units);
    if (hay.len() - 2) % 2 == 1 {
        text.push('\u{FFFD}');
    }
    text.into_bytes().into()
}

/// What ripgrep prints for one file given explicitly, read line by line.
pub fn oracle(hay: &[u8], pattern: &str, f: &Flags) -> Vec<u8> {
    let decoded = decode_bom(hay);
    let hay: &[u8] = &decoded;
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
        // ripgrep keeps the after-context window in count mode too: past the -m limit, a
        // selected line inside the limit line's window still counts.
        let upto = limit.saturating_add(f.after);
        let n = sel
            .iter()
            .enumerate()
            .filter(|&(i, &s)| s && i <= upto)
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
    let starts: Vec<usize> = ls
        .iter()
        .scan(0, |acc, l| {
            let s = *acc;
            *acc += l.len();
            Some(s)
        })
        .collect();
    let mut last: Option<usize> = None;
    for (i, p) in printed.iter().enumerate() {
        let Some(kind) = *p else { continue };
        if context && last.is_some_and(|l| l + 1 != i) {
            out.extend_from_slice(b"--\n");
        }
        last = Some(i);
        let sep = if kind == K::Match { b':' } else { b'-' };
        let b = body(ls[i]);
        let prefix = |out: &mut Vec<u8>, offset: usize| {
            if f.numbers {
                out.extend_from_slice(format!("{}", i + 1).as_bytes());
                out.push(sep);
            }
            if f.byte_offset {
                out.extend_from_slice(format!("{offset}").as_bytes());
                out.push(sep);
            }
        };
        // With -o a line's matches print one by one: a selected line's, and under -v a
        // context line's (ripgrep finds the matches of context lines in an inverted search).
        if f.only && (kind == K::Match) != f.invert {
            // ripgrep drops an empty match at the very end of a last line without `\n`.
            // If that was the line's only match, it prints the whole line instead.
            let unterminated = !ls[i].ends_with(b"\n");
            let mut any = false;
            for m in re.find_iter(b) {
                if unterminated && m.start() == m.end() && m.start() == b.len() {
                    continue;
                }
                any = true;
                prefix(&mut out, starts[i] + m.start());
                out.extend_from_slice(m.as_bytes());
                out.push(b'\n');
            }
            if !any {
                prefix(&mut out, starts[i]);
                out.extend_from_slice(b);
                out.push(b'\n');
            }
        } else {
            prefix(&mut out, starts[i]);
            out.extend_from_slice(b);
            out.push(b'\n');
        }
    }
    out
}

pub fn run_engine(
    hay: &[u8],
    pattern: &str,
    f: &Flags,
    io: Io,
    threads: usize,
    pages: usize,
) -> Vec<u8> {
    // One haystack file per thread, removed after the run.
    let name = format!(
        "mmgrep-oracle-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    );
    let path = std::env::temp_dir().join(name.replace(['(', ')'], ""));
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
        (f.byte_offset, "-b"),
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
    let _ = std::fs::remove_file(&path);
    out.0.lock().unwrap().clone()
}
