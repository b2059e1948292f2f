//! A naive multi-file grep to check the engine against (path prefixes, separators between
//! files), and generated corpora for it. The single-file property test uses the richer model
//! in `oracle_model.rs` (-o, -m, -c, -w, -x, -i); this one covers what spans several files.
//!
//! The oracle prints what `rg --sort path --no-heading` prints for a literal pattern in the
//! standard mode (no -m, no -o): each file split at `\n`, every line tested on its own,
//! context windows marked, `--` between non-adjacent groups in a file and between files. It
//! was checked against ripgrep 15.2 (see `tests/rg-as-mmgrep.sh`).

/// What the oracle prints.
#[derive(Clone, Copy, Debug, Default)]
pub struct Opts {
    pub before: usize,
    pub after: usize,
    pub line_numbers: bool,
    pub byte_offset: bool,
    pub with_filename: bool,
    pub invert: bool,
}

/// The lines of `data` with their start offsets; the last one may lack a `\n`.
pub fn lines(data: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let end = match data[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start + i + 1,
            None => data.len(),
        };
        out.push((start, &data[start..end]));
        start = end;
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// ripgrep's standard output for `needle` (a literal) over `files`, in the order given.
pub fn standard(files: &[(String, Vec<u8>)], needle: &[u8], o: &Opts) -> Vec<u8> {
    let context = o.before > 0 || o.after > 0;
    let mut out = Vec::new();
    let mut printed_any = false;
    for (path, data) in files {
        let ls = lines(data);
        let selected: Vec<bool> = ls
            .iter()
            .map(|(_, l)| {
                let body = l.strip_suffix(b"\n").unwrap_or(l);
                contains(body, needle) != o.invert
            })
            .collect();
        let mut show = vec![false; ls.len()];
        for (i, &sel) in selected.iter().enumerate() {
            if sel {
                let lo = i.saturating_sub(o.before);
                let hi = (i + o.after).min(ls.len() - 1);
                show[lo..=hi].iter_mut().for_each(|s| *s = true);
            }
        }
        let mut last: Option<usize> = None;
        for i in (0..ls.len()).filter(|&i| show[i]) {
            if context {
                match last {
                    Some(p) if p + 1 != i => out.extend_from_slice(b"--\n"),
                    None if printed_any => out.extend_from_slice(b"--\n"),
                    _ => {}
                }
            }
            let sep = if selected[i] { b':' } else { b'-' };
            if o.with_filename {
                out.extend_from_slice(path.as_bytes());
                out.push(sep);
            }
            if o.line_numbers {
                out.extend_from_slice((i + 1).to_string().as_bytes());
                out.push(sep);
            }
            if o.byte_offset {
                out.extend_from_slice(ls[i].0.to_string().as_bytes());
                out.push(sep);
            }
            let l = ls[i].1;
            out.extend_from_slice(l.strip_suffix(b"\n").unwrap_or(l));
            out.push(b'\n');
            last = Some(i);
            printed_any = true;
        }
    }
    out
}

/// A small deterministic pseudo-random generator (64-bit LCG, high bits).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// About `size` bytes of lines of 0 to ~`max_line` characters; roughly one line in
/// `every` holds `needle` (at the start, the end or inside), some lines are empty, and
/// some are long enough to cross pages. Ends with a `\n` unless `final_newline` is false.
pub fn text(
    seed: u64,
    size: usize,
    max_line: u64,
    every: u64,
    needle: &str,
    final_newline: bool,
) -> Vec<u8> {
    let mut r = Lcg::new(seed);
    let mut out = Vec::with_capacity(size + 256);
    let words = [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "needl",
        "eedle",
        "x",
        "lorem",
        "ipsum",
        "0123456789",
    ];
    while out.len() < size {
        let len = if r.below(50) == 0 {
            r.below(max_line * 20)
        } else {
            r.below(max_line)
        } as usize;
        let mut line = Vec::with_capacity(len + 16);
        while line.len() < len {
            line.extend_from_slice(words[r.below(words.len() as u64) as usize].as_bytes());
            line.push(b' ');
        }
        if r.below(every) == 0 {
            match r.below(3) {
                0 => line.splice(0..0, needle.bytes()).for_each(drop),
                1 => line.extend_from_slice(needle.as_bytes()),
                _ => {
                    let at = line.len() / 2;
                    line.splice(at..at, needle.bytes()).for_each(drop);
                }
            }
        }
        out.extend_from_slice(&line);
        out.push(b'\n');
    }
    if !final_newline {
        out.pop();
        out.extend_from_slice(b"tail without newline");
    }
    out
}

/// The system page size.
pub fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 { n as usize } else { 4096 }
}
