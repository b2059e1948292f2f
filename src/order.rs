//! The ordered writer: units of work (whole files, or chunks of a large file) finish in any
//! order on any worker; their rendered output is written to stdout strictly in unit order
//! (path order, then chunk order) through a bounded reorder window. Per-file endings that
//! depend on all of a file's units (counts, `-l` paths, binary notices) and separators that
//! depend on what came before (between files, at chunk boundaries) are decided here.
//!
//! Units are keyed (file sequence number, chunk index); a file's first unit tells how many
//! units the file has (its worker splits a large file when it opens it). Bounds: the queue
//! in `engine.rs` lets workers claim a unit only while fewer than a window of units are
//! claimed and unwritten, except the head (the next unit to write), which is always
//! claimable; and a unit whose rendered output grows large spills it as soon as it becomes
//! the head. So memory stays bounded whatever the output size, and since the head never
//! waits for anything, the scheme cannot deadlock.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::output::json::{self, Stats};
use crate::output::{
    BinaryKind, Fixups, Mode, OutputConfig, apply_fixups, push_binary_message, push_path,
    push_summary,
};

/// What the writer needs to know about a file, cloned into each of its units (the path is
/// shared).
#[derive(Clone, Debug)]
pub struct FileHead {
    pub display: Arc<[u8]>,
    pub binary: BinaryKind,
}

/// A unit's place in the output order: (file sequence number, chunk index).
pub type Place = (u64, usize);

/// The result of one unit.
#[derive(Debug, Default)]
pub struct UnitOut {
    /// Rendered output not yet written.
    pub buf: Vec<u8>,
    /// The unit printed a line (in `buf` or in parts already spilled).
    pub printed: bool,
    /// Its first printed line had a gap before it.
    pub lead_gap: bool,
    /// Part of its output was already written by a spill.
    pub spilled: bool,
    pub lines: u64,
    pub matches: u64,
    /// Binary data seen at this absolute offset: the file ends with this unit.
    pub binary: Option<u64>,
    /// The rest of the file must not be written (binary stop, -l answered).
    pub stop_file: bool,
    /// The file could not be searched to its end (already reported): it prints what it
    /// found before (in `buf`, as a stream stopped by a read error), then nothing more, and
    /// counts for nothing.
    pub failed: bool,
    /// The search failed in this unit (a PCRE2 match error, already reported): what it
    /// printed before stays, and the file ends here without its summary (ripgrep's search
    /// of the file stops with the error).
    pub cut: bool,
    /// The file was searched and prints in full, but failed afterwards (a decompressor or
    /// preprocessor closed early reported an error, already reported): ripgrep then counts
    /// neither its statistics nor its match.
    pub uncounted: bool,
    /// Bytes of the file searched (for statistics).
    pub bytes_searched: u64,
    /// Time spent on the unit (for statistics).
    pub elapsed: Duration,
    /// For a file's first unit: how many units the file has (0 is read as 1).
    pub units: usize,
    /// Line numbers in `buf` relative to the unit's start (see `Fixups`).
    pub fixups: Fixups,
    /// Newlines in the unit's range (a chunk's), when line numbers are on: later chunks'
    /// numbers start after them.
    pub newlines: u64,
}

/// A unit's place: the file it belongs to and its index there.
#[derive(Clone, Debug)]
pub struct UnitKey {
    pub seq: u64,
    pub file: FileHead,
    pub index: usize,
}

impl UnitKey {
    pub fn place(&self) -> Place {
        (self.seq, self.index)
    }
}

#[derive(Default)]
struct FileAcc {
    printed: bool,
    lines: u64,
    matches: u64,
    binary: Option<u64>,
    dropping: bool,
    failed: bool,
    uncounted: bool,
    bytes_searched: u64,
    bytes_printed: u64,
    elapsed: Duration,
    json_begun: bool,
    /// Newlines in the file's units written so far: the base of the next unit's numbers.
    newlines: u64,
}

/// Totals over the whole run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    /// Some file "had a match" in the sense of the exit status (see `finish_file`).
    pub matched: bool,
    pub stats: Stats,
}

struct State {
    next: Place,
    /// Units of the file being written (known once its first unit is written).
    file_units: usize,
    /// Threads waiting on `turn` to spill: notify only if some are.
    waiters: usize,
    /// Finished units waiting for the ones before them (at most a window of them: a short
    /// vector searched linearly, which allocates nothing once grown).
    pending: Vec<(UnitKey, UnitOut)>,
    out: Box<dyn Write + Send>,
    any_output: bool,
    acc: FileAcc,
    /// The file `acc` belongs to: it starts afresh when a new file's first bytes (a spill
    /// or a finished unit, whichever comes first) reach the writer.
    acc_seq: Option<u64>,
    totals: Totals,
    scratch: Vec<u8>,
    write_error: Option<io::Error>,
}

/// The ordered writer shared by all workers.
pub struct Ordered {
    cfg: Arc<OutputConfig>,
    state: Mutex<State>,
    turn: Condvar,
    /// Set when the run must stop: broken pipe, a write error, or -q satisfied.
    pub stop: AtomicBool,
}

impl Ordered {
    pub fn new(cfg: Arc<OutputConfig>, out: Box<dyn Write + Send>) -> Ordered {
        Ordered {
            cfg,
            state: Mutex::new(State {
                next: (0, 0),
                file_units: 1,
                waiters: 0,
                pending: Vec::new(),
                out,
                any_output: false,
                acc: FileAcc::default(),
                acc_seq: None,
                totals: Totals::default(),
                scratch: Vec::new(),
                write_error: None,
            }),
            turn: Condvar::new(),
            stop: AtomicBool::new(false),
        }
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Blocks until `place` is the head. Returns None if the run stopped meanwhile.
    fn wait_head(&self, place: Place) -> Option<std::sync::MutexGuard<'_, State>> {
        let mut st = self.state.lock().unwrap();
        while st.next != place {
            if self.stopped() {
                return None;
            }
            st.waiters += 1;
            st = self.turn.wait(st).unwrap();
            st.waiters -= 1;
        }
        Some(st)
    }

    /// Writes part of a unit's output before the unit is finished (the unit must wait its
    /// turn). `first` is `Some(lead_gap)` for the unit's first part. Returns false when the
    /// run stopped.
    pub fn spill(&self, key: &UnitKey, bytes: &[u8], fixups: &Fixups, first: Option<bool>) -> bool {
        let Some(mut st) = self.wait_head(key.place()) else {
            return false;
        };
        let st = &mut *st;
        Self::enter_file(st, key.seq);
        if st.acc.dropping {
            return false;
        }
        self.begin_output(st, key, first);
        self.write_fixed(st, bytes, fixups);
        !self.stopped()
    }

    /// Hands over a finished unit; writes it and every following finished unit in order.
    /// Returns how many units were written and the new head.
    pub fn finish(&self, key: UnitKey, unit: UnitOut) -> (usize, Place) {
        let mut st = self.state.lock().unwrap();
        // The unit next in line is written straight away; others wait in `pending`.
        let mut ready = None;
        if key.place() == st.next {
            ready = Some((key, unit));
        } else {
            st.pending.push((key, unit));
        }
        let mut written = 0;
        loop {
            let next = st.next;
            let Some((key, unit)) = ready.take().or_else(|| {
                let i = st.pending.iter().position(|(k, _)| k.place() == next)?;
                Some(st.pending.swap_remove(i))
            }) else {
                break;
            };
            if key.index == 0 {
                st.file_units = unit.units.max(1);
            }
            let last = key.index + 1 == st.file_units;
            self.write_unit(&mut st, &key, unit, last);
            st.next = if last {
                (next.0 + 1, 0)
            } else {
                (next.0, next.1 + 1)
            };
            written += 1;
        }
        let head = st.next;
        if written > 0 && st.waiters > 0 {
            drop(st);
            self.turn.notify_all();
        }
        (written, head)
    }

    /// Wakes every waiter (after `stop` was set).
    pub fn wake_all(&self) {
        let _g = self.state.lock().unwrap();
        self.turn.notify_all();
    }

    /// The totals so far.
    pub fn totals(&self) -> Totals {
        self.state.lock().unwrap().totals
    }

    /// Flushes stdout and returns the totals and the first write error, if any.
    pub fn close(&self) -> (Totals, Option<io::Error>) {
        let mut st = self.state.lock().unwrap();
        if st.write_error.is_none()
            && let Err(e) = st.out.flush()
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            st.write_error = Some(e);
        }
        (st.totals, st.write_error.take())
    }

    /// Writes bytes that do not belong to any file (the --json summary, --stats).
    pub fn write_raw(&self, bytes: &[u8]) {
        let mut st = self.state.lock().unwrap();
        self.write(&mut st, bytes, false);
    }

    /// Writes a unit's rendered bytes, inserting its relative line numbers.
    fn write_fixed(&self, st: &mut State, bytes: &[u8], fixups: &Fixups) {
        if fixups.is_empty() {
            self.write(st, bytes, true);
            return;
        }
        let mut b = std::mem::take(&mut st.scratch);
        b.clear();
        apply_fixups(&mut b, bytes, fixups, st.acc.newlines);
        self.write(st, &b, true);
        st.scratch = b;
    }

    /// Writes `bytes`; `count` adds them to the current file's printed bytes (ripgrep
    /// counts lines, separators and notices, but not count lines, paths or `end`).
    fn write(&self, st: &mut State, bytes: &[u8], count: bool) {
        if bytes.is_empty() || st.write_error.is_some() {
            return;
        }
        // ripgrep writes a file separator when bytes were written before, not when a
        // file had lines to print (an -o search can print nothing for its matches).
        st.any_output = true;
        if count {
            // Only --stats shows the count (JSON has no escapes): skip the scan otherwise.
            st.acc.bytes_printed += if self.cfg.color && self.cfg.count_matches_always {
                visible_len(bytes)
            } else {
                bytes.len()
            } as u64;
        }
        if let Err(e) = st.out.write_all(bytes) {
            if e.kind() != io::ErrorKind::BrokenPipe {
                st.write_error = Some(e);
            } else {
                st.write_error = Some(io::Error::new(io::ErrorKind::BrokenPipe, "broken pipe"));
            }
            self.stop.store(true, Ordering::Relaxed);
        }
    }

    /// Writes what precedes a file's first printed line (file separator, heading) or a
    /// later unit's first line (a context separator when it starts after a gap).
    fn begin_output(&self, st: &mut State, key: &UnitKey, first: Option<bool>) {
        let cfg = &*self.cfg;
        let Some(lead_gap) = first else { return };
        if cfg.mode == Mode::Json {
            if !st.acc.json_begun {
                st.acc.json_begun = true;
                let mut b = std::mem::take(&mut st.scratch);
                b.clear();
                json::push_begin(&mut b, &key.file.display);
                self.write(st, &b, true);
                st.scratch = b;
            }
            return;
        }
        if !st.acc.printed {
            let mut b = std::mem::take(&mut st.scratch);
            b.clear();
            if st.any_output
                && let Some(sep) = cfg.file_separator()
            {
                b.extend_from_slice(sep);
                b.extend_from_slice(cfg.eol());
            }
            if cfg.heading && cfg.with_filename {
                push_path(&mut b, cfg, &key.file.display);
                if cfg.null {
                    b.push(0);
                } else {
                    b.extend_from_slice(cfg.eol());
                }
            }
            self.write(st, &b, true);
            st.scratch = b;
            st.acc.printed = true;
        } else if lead_gap
            && cfg.context
            && let Some(sep) = cfg.context_separator.as_deref()
        {
            let mut b = std::mem::take(&mut st.scratch);
            b.clear();
            b.extend_from_slice(sep);
            b.extend_from_slice(cfg.eol());
            self.write(st, &b, true);
            st.scratch = b;
        }
    }

    /// Makes `acc` the accumulator of file `seq`.
    fn enter_file(st: &mut State, seq: u64) {
        if st.acc_seq != Some(seq) {
            st.acc = FileAcc::default();
            st.acc_seq = Some(seq);
        }
    }

    fn write_unit(&self, st: &mut State, key: &UnitKey, unit: UnitOut, last: bool) {
        Self::enter_file(st, key.seq);
        if !st.acc.dropping {
            if unit.failed {
                if unit.printed && !unit.buf.is_empty() {
                    let first = (!unit.spilled).then_some(unit.lead_gap);
                    self.begin_output(st, key, first);
                    self.write_fixed(st, &unit.buf, &unit.fixups);
                }
                st.acc.failed = true;
                st.acc.dropping = true;
            } else {
                if unit.printed && !unit.buf.is_empty() {
                    let first = if unit.spilled {
                        None
                    } else {
                        Some(unit.lead_gap)
                    };
                    self.begin_output(st, key, first);
                    self.write_fixed(st, &unit.buf, &unit.fixups);
                } else if unit.printed && !unit.spilled {
                    self.begin_output(st, key, Some(unit.lead_gap));
                }
                st.acc.uncounted |= unit.uncounted;
                st.acc.lines += unit.lines;
                st.acc.matches += unit.matches;
                st.acc.bytes_searched += unit.bytes_searched;
                st.acc.newlines += unit.newlines;
                st.acc.elapsed += unit.elapsed;
                if unit.binary.is_some() && st.acc.binary.is_none() {
                    st.acc.binary = unit.binary;
                }
                if unit.stop_file {
                    st.acc.dropping = true;
                }
                if unit.cut {
                    st.acc.failed = true;
                    st.acc.dropping = true;
                }
            }
        }
        if last {
            self.finish_file(st, key);
        }
    }

    fn finish_file(&self, st: &mut State, key: &UnitKey) {
        if st.acc.failed {
            st.acc = FileAcc::default();
            return;
        }
        let cfg = &*self.cfg;
        let kind = key.file.binary;
        // ripgrep's summary printer forgets the matches of a file it quit as binary.
        let squashed = cfg.mode.is_summary() && kind == BinaryKind::Quit && st.acc.binary.is_some();
        let lines = if squashed { 0 } else { st.acc.lines };
        let matches = if squashed { 0 } else { st.acc.matches };
        let has_match = if matches!(cfg.mode, Mode::FilesWithoutMatch | Mode::QuietWithoutMatch) {
            lines == 0
        } else {
            lines > 0
        };
        if has_match && !st.acc.uncounted {
            st.totals.matched = true;
        }
        let mut b = std::mem::take(&mut st.scratch);
        b.clear();
        match cfg.mode {
            Mode::Standard => {
                if let Some(off) = st.acc.binary
                    && st.acc.lines > 0
                {
                    push_binary_message(&mut b, cfg, &key.file.display, kind, off);
                    self.write(st, &b, true);
                }
            }
            Mode::Json => {}
            _ if squashed => {}
            _ => {
                push_summary(&mut b, cfg, &key.file.display, lines, matches);
                self.write(st, &b, false);
            }
        }
        let acc = std::mem::take(&mut st.acc);
        let file_stats = Stats {
            elapsed: acc.elapsed,
            searches: 1,
            searches_with_match: (acc.lines > 0) as u64,
            bytes_searched: acc.bytes_searched,
            bytes_printed: acc.bytes_printed,
            matched_lines: acc.lines,
            matches: acc.matches,
        };
        if cfg.mode == Mode::Json && acc.json_begun {
            b.clear();
            json::push_end(&mut b, &key.file.display, acc.binary, &file_stats);
            self.write(st, &b, false);
        }
        st.scratch = b;
        if acc.uncounted {
            return;
        }
        let t = &mut st.totals.stats;
        t.elapsed += file_stats.elapsed;
        t.searches += 1;
        t.searches_with_match += file_stats.searches_with_match;
        t.bytes_searched += file_stats.bytes_searched;
        t.bytes_printed += file_stats.bytes_printed;
        t.matched_lines += file_stats.matched_lines;
        t.matches += file_stats.matches;
    }
}

/// The length of `bytes` without its colour escapes (`ESC [ params m`, the parameters digits
/// and `;` as in `38;5;10` or `48;2;16;32;48` from --colors) and hyperlink escapes
/// (`ESC ] 8 ; ; URL ESC \`): ripgrep's count of bytes printed leaves them out.
fn visible_len(bytes: &[u8]) -> usize {
    let mut n = bytes.len();
    let mut skip_to = 0;
    for i in memchr::memchr_iter(0x1b, bytes) {
        if i < skip_to {
            continue;
        }
        let rest = &bytes[i + 1..];
        if rest.first() == Some(&b'[') {
            let digits = rest[1..]
                .iter()
                .take_while(|&&b| b.is_ascii_digit() || b == b';')
                .count();
            if rest.get(1 + digits) == Some(&b'm') {
                n -= digits + 3;
            }
        } else if rest.starts_with(b"]8;;")
            && let Some(end) = memchr::memmem::find(rest, b"\x1b\\")
        {
            n -= end + 3;
            skip_to = i + end + 3;
        }
    }
    n
}
