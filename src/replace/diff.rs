//! `--dry-run` output: a unified diff of what the replacements would change (`--- a/PATH`,
//! `+++ b/PATH`, `@@ -l,n +l,n @@` hunks with 3 lines of context, GNU diff's conventions:
//! a one-line hunk shows `-l`, a last line without its newline is followed by
//! `\ No newline at end of file`). Replacements never add or remove lines, so both sides of
//! a hunk have the same numbers.

use crate::chunk::{count_lines_ends, line_end, line_start};

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// A changed line: its number, its bytes' range, and the edits inside it.
struct Changed {
    no: u64,
    start: usize,
    end: usize,
    edits: std::ops::Range<usize>,
}

/// Appends the diff of `hay` under `edits` (sorted, non-overlapping: (offset, new bytes)).
pub fn unified(out: &mut Vec<u8>, path: &[u8], hay: &[u8], edits: &[(usize, &[u8])]) {
    if edits.is_empty() {
        return;
    }
    // The changed lines, with their numbers.
    let mut lines: Vec<Changed> = Vec::new();
    let (mut pos, mut no) = (0usize, 1u64);
    for (i, &(off, _)) in edits.iter().enumerate() {
        if let Some(last) = lines.last_mut()
            && off < last.end
        {
            last.edits.end = i + 1;
            continue;
        }
        no += count_lines_ends(&hay[pos..off], b'\n');
        pos = off;
        let start = line_start(hay, off, 0, b'\n');
        let end = line_end(hay, off, hay.len(), b'\n');
        lines.push(Changed {
            no,
            start,
            end,
            edits: i..i + 1,
        });
    }
    out.extend_from_slice(b"--- a/");
    out.extend_from_slice(path);
    out.extend_from_slice(b"\n+++ b/");
    out.extend_from_slice(path);
    out.push(b'\n');
    let mut i = 0;
    while i < lines.len() {
        // A hunk: changed lines no further apart than twice the context.
        let mut j = i + 1;
        while j < lines.len() && lines[j].no - lines[j - 1].no <= 2 * CONTEXT as u64 + 1 {
            j += 1;
        }
        hunk(out, hay, edits, &lines[i..j]);
        i = j;
    }
}

fn hunk(out: &mut Vec<u8>, hay: &[u8], edits: &[(usize, &[u8])], lines: &[Changed]) {
    let first = &lines[0];
    let last = &lines[lines.len() - 1];
    // Context before: up to CONTEXT lines.
    let mut start = first.start;
    let mut before = 0;
    while before < CONTEXT && start > 0 {
        start = line_start(hay, start - 1, 0, b'\n');
        before += 1;
    }
    let mut end = last.end;
    let mut after = 0;
    while after < CONTEXT && end < hay.len() {
        end = line_end(hay, end, hay.len(), b'\n');
        after += 1;
    }
    let from = first.no - before as u64;
    let count = last.no - first.no + 1 + before as u64 + after as u64;
    let range = if count == 1 {
        format!("{from}")
    } else {
        format!("{from},{count}")
    };
    out.extend_from_slice(format!("@@ -{range} +{range} @@\n").as_bytes());
    let mut at = start;
    let mut k = 0;
    while at < end {
        if k < lines.len() && lines[k].start == at {
            // A block of consecutive changed lines: the old ones, then the new ones.
            let mut m = k;
            while m + 1 < lines.len() && lines[m + 1].start == lines[m].end {
                m += 1;
            }
            for c in &lines[k..=m] {
                emit(out, b'-', &hay[c.start..c.end]);
            }
            for c in &lines[k..=m] {
                let mut new = hay[c.start..c.end].to_vec();
                for &(off, bytes) in &edits[c.edits.clone()] {
                    let s = off - c.start;
                    new[s..s + bytes.len()].copy_from_slice(bytes);
                }
                emit(out, b'+', &new);
            }
            at = lines[m].end;
            k = m + 1;
        } else {
            let le = line_end(hay, at, hay.len(), b'\n');
            emit(out, b' ', &hay[at..le]);
            at = le;
        }
    }
}

fn emit(out: &mut Vec<u8>, mark: u8, line: &[u8]) {
    out.push(mark);
    out.extend_from_slice(line);
    if !line.ends_with(b"\n") {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(hay: &str, edits: &[(usize, &str)]) -> String {
        let e: Vec<(usize, &[u8])> = edits.iter().map(|(o, s)| (*o, s.as_bytes())).collect();
        let mut out = Vec::new();
        unified(&mut out, b"f", hay.as_bytes(), &e);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hunks_merge_and_split_like_gnu_diff() {
        let hay: String = (1..=20).map(|i| format!("l{i:02}\n")).collect();
        let off = |line: usize| (line - 1) * 4;
        // Lines 2 and 9 are 7 apart: one hunk. Line 17 is 8 past 9: a second hunk.
        let got = diff(&hay, &[(off(2), "L"), (off(9), "L"), (off(17), "L")]);
        assert_eq!(
            got,
            "--- a/f\n+++ b/f\n@@ -1,12 +1,12 @@\n l01\n-l02\n+L02\n l03\n l04\n l05\n l06\n l07\n l08\n-l09\n+L09\n l10\n l11\n l12\n\
             @@ -14,7 +14,7 @@\n l14\n l15\n l16\n-l17\n+L17\n l18\n l19\n l20\n"
        );
    }

    #[test]
    fn adjacent_lines_and_missing_newline() {
        let got = diff("a\nb\nc", &[(0, "A"), (2, "B"), (4, "C")]);
        assert_eq!(
            got,
            "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n-a\n-b\n-c\n\\ No newline at end of file\n+A\n+B\n+C\n\\ No newline at end of file\n"
        );
        assert_eq!(
            diff("x\n", &[(0, "y")]),
            "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n"
        );
    }
}
