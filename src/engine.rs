//! The search run: a walker thread turns paths into units of work in path order (a whole
//! file, or the page-aligned chunks of a large one), a pool of workers searches the units,
//! and the ordered writer prints their output in unit order.
//!
//! For every haystack two independent choices are made:
//!
//! * **how bytes are read**: a memory map (`--mmap always`, or at or above the read threshold
//!   under `auto`), one read into a reused per-thread buffer (small files), or a bounded
//!   stream (stdin, FIFOs, /proc files, and large files under `--mmap never`);
//! * **which binary rules apply**, chosen as ripgrep would (see [`Rules`]), whatever the
//!   reading method, so that output matches ripgrep's byte for byte.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::cli::MmapChoice;
use crate::config::Config;
use crate::input::{Encoding, Filter, Opened, has_bom};
use crate::matcher::Matcher;
use crate::messages;
use crate::order::{FileHead, Ordered, Totals, UnitKey, UnitOut};
use crate::output::json::JsonSink;
use crate::output::{
    BinaryKind, BinaryWatch, CountSink, Fixups, LineSink, Mode, OutputConfig, Spill, Spiller,
};
use crate::progress::{self, Progress};
use crate::queue::{Queue, Queued};
use crate::search::{Carry, NulGate, SearchOptions, Sink, search_chunk, search_sequential};
use crate::source::{Map, read_once, read_rest};
use crate::stream::{DecodeSource, SliceSource, Source, decoded, search_stream};
use crate::walk::{self, Haystack};

/// ripgrep looks for a NUL in this many leading bytes of a mapped file before searching it.
const BINARY_PREFIX: usize = 64 * 1024;
/// A unit's rendered output is spilled to stdout (once it is the head) past this size.
const SPILL_AT: usize = 256 * 1024;
/// The walker hands units over in batches of this many (or sooner when a worker is idle).
const BATCH: usize = 32;
/// The walker searches a unit itself while more than this many files wait for the workers.
const HELP_BACKLOG: usize = 2 * BATCH;

/// How NUL bytes are treated in a haystack: ripgrep's choice, reproduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    /// `-a`: no binary detection.
    Text,
    /// An explicit file ripgrep would map: a NUL in the first 64 KiB, or in a line about to be
    /// printed, stops the printing ("binary file matches").
    Slice,
    /// ripgrep's reader: every byte read is checked; `Quit` for files found by walking,
    /// `Convert` for explicit ones it would not map (and stdin).
    Reader(BinaryKind),
}

impl Rules {
    fn kind(self) -> BinaryKind {
        match self {
            Rules::Text => BinaryKind::Text,
            Rules::Slice => BinaryKind::Convert,
            Rules::Reader(k) => k,
        }
    }
}

/// The result of a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct RunOutcome {
    pub totals: Totals,
    /// -q: a unit found what the run was looking for (the writer may not have reached it).
    pub quit_matched: bool,
    /// Some haystack was found (ripgrep's "searched").
    pub searched_any: bool,
    /// Stdout was closed by its reader (`| head`): the run stopped quietly.
    pub broken_pipe: bool,
    pub elapsed: Duration,
}

/// A large file split into chunks, shared by its chunk units.
struct Chunked {
    display: Arc<[u8]>,
    rules: Rules,
    chunk_size: usize,
    units: usize,
    map: Map,
    /// Chunks starting at or after this offset have nothing to add: a unit answered for the
    /// whole file there (-l, -q) or the file stops there (binary). The chunks before still
    /// run: under the Quit rule one of them may end the file before that answer.
    skip_from: AtomicUsize,
    /// A chunk's PCRE2 search failed (reported once for the file).
    match_failed: AtomicBool,
    /// ripgrep reads the file through its buffer rather than mapping it.
    rg_reads: bool,
    /// ripgrep's reads over the file so far, as (start, complete lines searched before
    /// it), and the replay that extends them (Quit rule only). Each chunk extends it just
    /// past its own end, over pages it has populated already.
    reads: Mutex<(crate::stream::Replay, Vec<(usize, usize)>)>,
}

enum Job {
    /// A haystack as the walker found it; its worker may split it into chunks.
    Whole(Haystack),
    /// Chunk `idx` of a split file.
    Chunk(Arc<Chunked>, usize),
}

struct Ctx<'a> {
    cfg: &'a Config,
    order: &'a Ordered,
    queue: &'a Queue<Job>,
    quit_matched: AtomicBool,
    progress: &'a Progress,
}

/// Runs a search, writing to `out`.
pub fn run(cfg: &Config, out: Box<dyn Write + Send>) -> RunOutcome {
    let started = Instant::now();
    let order = Ordered::new(cfg.output.clone(), out);
    let queue = Queue::new((cfg.threads * 8).max(64));
    let mode = cfg.output.mode;
    let quiet = matches!(mode, Mode::Quiet | Mode::QuietWithoutMatch);
    // A stream on stdin (`tail -f log | mmgrep ...`) has no size to show progress against,
    // and the pipeline's other programs may own the terminal.
    let show = progress::wanted_for_search(quiet, mode == Mode::Json) && !cfg.reads_stdin();
    let progress = Progress::new(show, None, "searching");
    let ctx = Ctx {
        cfg,
        order: &order,
        queue: &queue,
        quit_matched: AtomicBool::new(false),
        progress: &progress,
    };
    let searched_any = AtomicBool::new(false);
    if few_small_files(cfg) {
        // Nothing to share out: search on this thread, in order, without starting any.
        produce(&ctx, &searched_any, false);
        queue.close();
        worker(&ctx);
    } else {
        run_threads(&ctx, &searched_any);
    }
    progress.finish();
    let totals = order.totals();
    let mut tail = Vec::new();
    if cfg.output.mode == Mode::Json || cfg.json_summary {
        crate::output::json::push_summary(&mut tail, &totals.stats, started.elapsed());
    } else if cfg.stats {
        push_stats(&mut tail, &totals.stats, started.elapsed());
    }
    order.write_raw(&tail);
    let (totals, err) = order.close();
    let broken_pipe = err
        .as_ref()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe);
    if let Some(e) = err
        && !broken_pipe
    {
        messages::error_line(&format!("error writing output: {e}"));
    }
    RunOutcome {
        totals,
        quit_matched: ctx.quit_matched.load(Ordering::Relaxed),
        searched_any: searched_any.load(Ordering::Relaxed),
        broken_pipe,
        elapsed: started.elapsed(),
    }
}

/// True when the run names only regular files, one no larger than a chunk (it would not be
/// split) or up to 16 holding 1 MiB in all: starting threads would take longer than the
/// search. (`-l` on a one-line file: 1.57 ms against 1.69 ms with threads, `perf stat`.)
fn few_small_files(cfg: &Config) -> bool {
    const FEW: usize = 16;
    const SMALL_TOTAL: u64 = 1 << 20;
    if cfg.file_list.is_some() || cfg.search_stdin || cfg.paths.is_empty() || cfg.paths.len() > FEW
    {
        return false;
    }
    let mut total = 0u64;
    for p in &cfg.paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_file() => total += m.len(),
            _ => return false,
        }
    }
    if cfg.paths.len() == 1 {
        total <= cfg.chunk_size as u64
    } else {
        total <= SMALL_TOTAL
    }
}

/// The threaded run: the walker thread and a pool of workers share the queue.
fn run_threads(ctx: &Ctx<'_>, searched_any: &AtomicBool) {
    let cfg = ctx.cfg;
    let queue = ctx.queue;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(if cfg.threads >= 2 { cfg.threads - 1 } else { 1 })
        .thread_name(|i| format!("mmgrep-worker-{i}"))
        .build()
        .expect("thread pool");
    // -j N: N threads search. With two or more, N-1 are workers and the walker thread is
    // the Nth: it searches whenever a backlog is queued, and joins the workers at the end.
    let walker_helps = cfg.threads >= 2;
    let workers = if walker_helps { cfg.threads - 1 } else { 1 };
    std::thread::scope(|s| {
        s.spawn(|| {
            produce(ctx, searched_any, walker_helps);
            queue.close();
            if walker_helps {
                worker(ctx);
            }
        });
        pool.scope(|ps| {
            for _ in 0..workers {
                ps.spawn(|_| worker(ctx));
            }
        });
        // A stop (-q answered, broken pipe) must not leave the walker waiting for room.
        queue.wake();
    });
}

/// ripgrep's `--stats` text.
fn push_stats(out: &mut Vec<u8>, s: &crate::output::json::Stats, total: Duration) {
    let text = format!(
        "\n{} matches\n{} matched lines\n{} files contained matches\n{} files searched\n{} bytes printed\n\
         {} bytes searched\n{:0.6} seconds spent searching\n{:0.6} seconds total\n",
        s.matches,
        s.matched_lines,
        s.searches_with_match,
        s.searches,
        s.bytes_printed,
        s.bytes_searched,
        s.elapsed.as_secs_f64(),
        total.as_secs_f64()
    );
    out.extend_from_slice(text.as_bytes());
}

/// The walker side: haystacks in order, planned into units.
fn produce(ctx: &Ctx<'_>, searched_any: &AtomicBool, helps: bool) {
    let cfg = ctx.cfg;
    let mut seq = 0u64;
    let mut buf = Vec::new();
    let mut batch: Vec<Queued<Job>> = Vec::with_capacity(BATCH);
    let stop = &ctx.order.stop;
    let mut push_hay = |hay: Haystack, batch: &mut Vec<Queued<Job>>| -> bool {
        searched_any.store(true, Ordering::Relaxed);
        let file = FileHead {
            display: hay.display.clone(),
            binary: rules_for(cfg, &hay).kind(),
        };
        batch.push(Queued {
            key: UnitKey {
                seq,
                file,
                index: 0,
            },
            job: Job::Whole(hay),
        });
        seq += 1;
        if batch.len() >= BATCH || ctx.queue.hungry() {
            if !ctx.queue.push_batch(batch, stop) {
                return false;
            }
            // Search while the workers have a backlog: two cores, two busy threads.
            while helps && let Some(q) = ctx.queue.take_if_backlog(HELP_BACKLOG) {
                if !process(ctx, q, &mut buf) {
                    return false;
                }
            }
        }
        true
    };
    if let Some(list) = &cfg.file_list {
        let r = walk::walk_list(list, &cfg.walk, |h| push_hay(h, &mut batch));
        if let Err(e) = r {
            messages::error_line(&e);
        }
        ctx.queue.push_batch(&mut batch, stop);
        return;
    }
    if cfg.search_stdin && !push_hay(Haystack::stdin(), &mut batch) {
        return;
    }
    if !cfg.paths.is_empty() {
        let r = walk::walk(&cfg.paths, &cfg.walk, cfg.implicit_path, |h| {
            push_hay(h, &mut batch)
        });
        if let Err(e) = r {
            messages::error_line(&e);
        }
    }
    ctx.queue.push_batch(&mut batch, stop);
}

/// ripgrep's binary rules for a haystack (see [`Rules`]).
fn rules_for(cfg: &Config, hay: &Haystack) -> Rules {
    if cfg.text {
        Rules::Text
    } else if hay.stdin || !hay.explicit {
        Rules::Reader(if hay.stdin || cfg.search_binary {
            BinaryKind::Convert
        } else {
            BinaryKind::Quit
        })
    } else if cfg.rg_maps_explicit && !cfg.encoding.transcodes() {
        Rules::Slice
    } else {
        // Not mapped, or transcoded (ripgrep's searcher reads a map through its decoding
        // reader then).
        Rules::Reader(BinaryKind::Convert)
    }
}

/// The rules of a haystack that ripgrep's searcher reads through its decoding reader
/// although it maps it (it starts with a byte-order mark): a mapped file's rules become
/// the reader's.
fn through_reader(rules: Rules) -> Rules {
    match rules {
        Rules::Slice => Rules::Reader(BinaryKind::Convert),
        r => r,
    }
}

fn worker(ctx: &Ctx<'_>) {
    let mut buf = Vec::new();
    while let Some(q) = ctx.queue.pop(&ctx.order.stop) {
        if !process(ctx, q, &mut buf) {
            break;
        }
    }
}

/// Searches one unit and hands its output to the writer. False when the run is over (-q
/// found its answer).
fn process(ctx: &Ctx<'_>, q: Queued<Job>, buf: &mut Vec<u8>) -> bool {
    // Time spent searching is reported only by --stats and --json: not timed otherwise.
    let timed = ctx.cfg.stats || ctx.cfg.output.mode == Mode::Json || ctx.cfg.json_summary;
    let t0 = timed.then(Instant::now);
    log::trace!(
        "searching {} (unit {})",
        String::from_utf8_lossy(&q.key.file.display),
        q.key.index
    );
    let search = std::panic::AssertUnwindSafe(|| match &q.job {
        Job::Whole(hay) => search_whole(ctx, &q.key, hay, buf),
        Job::Chunk(file, idx) => search_chunk_unit(ctx, &q.key, file, *idx, buf),
    });
    // A bug that panics costs its file, not the run: the writer waits for every unit, so
    // a unit lost to a panic would hang the run.
    let mut out = std::panic::catch_unwind(search).unwrap_or_else(|_| {
        failed(
            &q.key.file.display,
            "internal error while searching this file (a bug in mmgrep, please report it): skipped",
        )
    });
    if let Some(e) = crate::pcre::take_match_error() {
        // PCRE2 could not finish a match (its match limit...): the file fails there, as
        // in ripgrep, reported once; the lines printed before stay (the sinks stopped at
        // the error), and the file gets no summary.
        let first = match &q.job {
            Job::Whole(_) => true,
            Job::Chunk(file, idx) => {
                let (s, _) = file.range(*idx, strip_bom(ctx.cfg, file.map.bytes()).len());
                file.skip_from.fetch_min(s, Ordering::Relaxed);
                !file.match_failed.swap(true, Ordering::Relaxed)
            }
        };
        if first && !out.failed {
            messages::error(&q.key.file.display, &e);
        }
        out.cut = true;
    }
    out.elapsed = t0.map_or(Duration::ZERO, |t| t.elapsed());
    // A file counts once, with its first unit (its other chunks add bytes).
    ctx.progress
        .add_counted((q.key.index == 0).into(), out.bytes_searched);
    if ctx.cfg.quit_after_match && unit_answers_quiet(ctx.cfg, &q.key, &out) {
        ctx.quit_matched.store(true, Ordering::Relaxed);
        ctx.order.finish(q.key, out);
        ctx.order.stop.store(true, Ordering::Relaxed);
        ctx.order.wake_all();
        ctx.queue.wake();
        return false;
    }
    let (written, head) = ctx.order.finish(q.key, out);
    ctx.queue.done(written, head);
    true
}

/// With -q, does this unit settle the exit status? A selected line does (unless ripgrep
/// would forget it as binary); under --files-without-match, a whole file without one does.
/// A later chunk of a file that stops at its first NUL settles nothing alone: a chunk
/// before it may cut the file before its match (the writer, in order, decides then).
fn unit_answers_quiet(cfg: &Config, key: &UnitKey, out: &UnitOut) -> bool {
    if out.failed || out.uncounted {
        return false;
    }
    let quit_rule = key.file.binary == BinaryKind::Quit;
    let lines = if quit_rule && out.binary.is_some() {
        0
    } else {
        out.lines
    };
    match cfg.output.mode {
        Mode::QuietWithoutMatch => key.index == 0 && out.units <= 1 && lines == 0,
        _ => lines > 0 && (key.index == 0 || !quit_rule),
    }
}

/// The sink a unit renders into, by output mode.
enum AnySink<'a> {
    Lines(LineSink<'a>),
    Count(CountSink<'a>),
    Json(JsonSink<'a>),
}

impl Sink for AnySink<'_> {
    #[inline]
    fn line(
        &mut self,
        hay: &[u8],
        kind: crate::search::LineKind,
        span: std::ops::Range<usize>,
        n: u64,
        gap: bool,
    ) -> bool {
        match self {
            AnySink::Lines(s) => s.line(hay, kind, span, n, gap),
            AnySink::Count(s) => s.line(hay, kind, span, n, gap),
            AnySink::Json(s) => s.line(hay, kind, span, n, gap),
        }
    }

    fn binary_data(&mut self, offset: u64) {
        match self {
            AnySink::Lines(s) => s.binary_data(offset),
            AnySink::Count(s) => s.binary_data(offset),
            AnySink::Json(s) => s.binary_data(offset),
        }
    }

    fn set_base(&mut self, base: u64) {
        match self {
            AnySink::Lines(s) => s.set_base(base),
            AnySink::Count(s) => s.set_base(base),
            AnySink::Json(s) => s.set_base(base),
        }
    }
}

impl<'a> AnySink<'a> {
    /// `quit_may_cut`: the file follows ripgrep's Quit rule and may hold a NUL not yet seen.
    /// Then the without-match modes must read on, as ripgrep does, because binary data
    /// found later makes ripgrep forget the file's matches.
    fn new(cfg: &'a Config, path: &'a [u8], spill: Spill<'a>, quit_may_cut: bool) -> AnySink<'a> {
        let out: &OutputConfig = &cfg.output;
        let matcher: &Matcher = &cfg.matcher;
        let spiller = Spiller {
            at: SPILL_AT,
            spill: Some(spill),
            ..Spiller::new()
        };
        match out.mode {
            Mode::Standard => {
                let mut s = LineSink::new(out, matcher, path, 0);
                s.spiller = spiller;
                AnySink::Lines(s)
            }
            Mode::Json => {
                let mut s = JsonSink::new(matcher, path, 0);
                s.invert = cfg.search.invert;
                s.line_numbers = cfg.search.line_numbers;
                s.replacement = out.replacement.as_ref();
                s.spiller = spiller;
                AnySink::Json(s)
            }
            mode => AnySink::Count(CountSink::new(
                matcher,
                cfg.search.invert,
                mode == Mode::CountMatches || cfg.stats,
                !cfg.stats
                    && match mode {
                        Mode::FilesWithMatches | Mode::Quiet => true,
                        Mode::FilesWithoutMatch | Mode::QuietWithoutMatch => !quit_may_cut,
                        _ => false,
                    },
            )),
        }
    }

    /// Turns on ripgrep's mapped-file binary checks: every printed line is checked, and a
    /// NUL already known stops the next line.
    fn slice_rules(&mut self, known: Option<u64>) {
        let watch = BinaryWatch {
            check_lines: true,
            seen: known,
        };
        match self {
            AnySink::Lines(s) => s.binary = watch,
            AnySink::Json(s) => s.binary = watch,
            AnySink::Count(s) => s.watch_nul = true,
        }
    }

    /// PCRE2 over a whole file that ripgrep would read rather than map: its printer's
    /// searches see the file from the start of ripgrep's buffer (see `pcre.rs`).
    fn reader_floors(&mut self, t: u8) {
        let f = Some(crate::stream::BufferStarts::new(t));
        match self {
            AnySink::Lines(s) => s.floors = f,
            AnySink::Json(s) => s.floors = f,
            AnySink::Count(s) => s.floors = f,
        }
    }

    /// A count's first NUL in a selected line (mapped-file rules only).
    fn count_nul(&self) -> Option<u64> {
        match self {
            AnySink::Count(s) => s.nul,
            _ => None,
        }
    }

    /// Makes line numbers relative to the unit (recorded as fix-ups for the writer).
    /// Hands every printed line to the writer at once (a live stream, line-buffered).
    fn spill_every_line(&mut self) {
        match self {
            AnySink::Lines(s) => s.spiller.at = 1,
            AnySink::Json(s) => s.spiller.at = 1,
            AnySink::Count(_) => {}
        }
    }

    fn relative_numbers(&mut self, yes: bool) {
        match self {
            AnySink::Lines(s) => s.spiller.relative = yes,
            AnySink::Json(s) => s.spiller.relative = yes,
            AnySink::Count(_) => {}
        }
    }

    /// Packs the sink's results into a unit result.
    fn into_unit(self, binary_from_reader: Option<u64>) -> UnitOut {
        match self {
            AnySink::Lines(s) => {
                let binary = s.binary.seen.or(binary_from_reader);
                UnitOut {
                    stop_file: s.binary_stop,
                    buf: s.out,
                    fixups: s.spiller.fixups,
                    printed: s.printed,
                    lead_gap: s.lead_gap,
                    spilled: s.spiller.spilled,
                    lines: s.matched_lines,
                    matches: s.matches,
                    binary,
                    ..UnitOut::default()
                }
            }
            AnySink::Json(s) => UnitOut {
                buf: s.out,
                fixups: s.spiller.fixups,
                printed: s.printed,
                spilled: s.spiller.spilled,
                lines: s.matched_lines,
                matches: s.matches,
                binary: s.binary.seen.or(binary_from_reader),
                ..UnitOut::default()
            },
            AnySink::Count(s) => {
                // With -l or -q the search stops at its first match: a NUL where the file
                // is cut, after that match, is never read (ripgrep's reader stops first).
                let answered = s.stop_at_first && s.lines > 0;
                UnitOut {
                    lines: s.lines,
                    matches: s.matches,
                    stop_file: answered,
                    binary: binary_from_reader.filter(|_| !answered),
                    ..UnitOut::default()
                }
            }
        }
    }
}

fn failed(hay_display: &[u8], reason: &str) -> UnitOut {
    messages::error(hay_display, reason);
    UnitOut {
        failed: true,
        ..UnitOut::default()
    }
}

/// Whether ripgrep reads this haystack through its line buffer rather than mapping it.
/// Whether the printer's searches depend on where ripgrep's buffer starts: PCRE2's (see
/// `pcre.rs`), and the default engine's under --null-data, whose `^` holds at the buffer's
/// start but not after a NUL (see `Matcher::for_each_line_match_from`).
fn floors_matter(cfg: &Config) -> bool {
    cfg.matcher.is_pcre2() || (cfg.matcher.term() == 0 && !cfg.matcher.is_multiline())
}

fn rg_reads(cfg: &Config, hay: &Haystack) -> bool {
    hay.stdin || !(hay.explicit && cfg.rg_maps_explicit)
}

/// The first read of a walked file, whose shortness tells that the file ended (see
/// [`walk::DirFd::whole_reads`]).
const FIRST_READ: usize = 256 << 10;

/// A whole haystack searched by one worker.
fn search_whole(ctx: &Ctx<'_>, key: &UnitKey, hay: &Haystack, buf: &mut Vec<u8>) -> UnitOut {
    let cfg = ctx.cfg;
    let rules = rules_for(cfg, hay);
    // The map, once made, is checked before each spill: nothing read from a page that
    // faulted (the file shrank under the map) may reach stdout.
    let mapped: OnceLock<Map> = OnceLock::new();
    let spill_fn = |bytes: &[u8], fixups: &Fixups, first: Option<bool>| {
        !mapped.get().is_some_and(Map::faulted) && ctx.order.spill(key, bytes, fixups, first)
    };
    let spill: Spill<'_> = &spill_fn;
    if cfg.matcher.is_multiline() {
        return search_whole_multiline(cfg, hay, rules, &mapped, spill);
    }
    if hay.stdin {
        let stdin = io::stdin();
        let mut src = decoded(cfg.encoding, stdin.lock());
        return stream_unit(cfg, &hay.display, rules, &mut *src, spill, buf, true);
    }
    if let Some(filter) = cfg.filters.for_path(display_path(hay)) {
        return search_filtered(cfg, hay, rules, filter, spill, buf);
    }
    let file = match hay.open() {
        Ok(f) => f,
        Err(e) => return failed(&hay.display, &e.to_string()),
    };
    // A walked file on a file system that reads regular files whole: a first read that
    // does not fill its buffer holds the whole file, and no fstat is needed (most files of
    // a source tree). A larger file keeps that read as its head.
    let mut head = None;
    if hay.at.as_ref().is_some_and(|d| d.whole_reads()) && cfg.mmap != MmapChoice::Always {
        let mut data = std::mem::take(buf);
        data.clear();
        match read_once(&file, FIRST_READ, &mut data) {
            Ok(n) if n < FIRST_READ => {
                let out = search_bytes(cfg, hay, rules, &data, spill, &mut Vec::new());
                *buf = data;
                return out;
            }
            Ok(_) => head = Some(data),
            Err(e) => {
                *buf = data;
                return failed(&hay.display, &e.to_string());
            }
        }
    }
    // Streams read from the file's offset: back to its start after a head was read.
    let rewind = |head: &mut Option<Vec<u8>>| {
        use std::io::Seek;
        head.take().map_or(Ok(()), |_| (&file).rewind())
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return failed(&hay.display, &e.to_string()),
    };
    if meta.is_dir() {
        return failed(&hay.display, "is a directory");
    }
    let len = meta.len();
    if meta.is_file()
        && len > cfg.chunk_size as u64
        && chunkable(cfg)
        && let Some(out) = split_and_search(ctx, key, hay, rules, &file, buf)
    {
        return out;
    }
    if !meta.is_file() || len == 0 {
        // FIFOs, devices, and files whose size reads 0 (empty, or /proc and sysfs).
        if let Err(e) = rewind(&mut head) {
            return failed(&hay.display, &e.to_string());
        }
        let mut src = decoded(cfg.encoding, &file);
        return stream_unit(cfg, &hay.display, rules, &mut *src, spill, buf, true);
    }
    let use_map = match cfg.mmap {
        MmapChoice::Always => true,
        MmapChoice::Auto => len >= cfg.mmap_threshold,
        MmapChoice::Never => false,
    };
    if use_map {
        // SAFETY: a file changed under the map is caught by the SIGBUS guard; we check
        // `faulted` before the unit's output is used.
        match unsafe { Map::open(&file) } {
            Ok(Some(map)) => {
                let map = mapped.get_or_init(|| map);
                let mut out = search_bytes(cfg, hay, rules, map.bytes(), spill, buf);
                if map.faulted() {
                    out = failed(
                        &hay.display,
                        "file changed while it was being read (it shrank): skipped",
                    );
                }
                return out;
            }
            Ok(None) => return UnitOut::default(),
            Err(_) => {
                // Not mappable (ENODEV, ENOMEM...): read it instead.
            }
        }
    }
    if cfg.mmap == MmapChoice::Never && len > cfg.chunk_size as u64 {
        // Large file, no maps: stream it through a bounded buffer.
        if let Err(e) = rewind(&mut head) {
            return failed(&hay.display, &e.to_string());
        }
        return stream_file(cfg, hay, rules, &file, spill, buf);
    }
    let mut data = head.unwrap_or_else(|| {
        let mut data = std::mem::take(buf);
        data.clear();
        data
    });
    let out = match read_rest(&file, len, &mut data) {
        Ok(()) => search_bytes(cfg, hay, rules, &data, spill, &mut Vec::new()),
        Err(e) => failed(&hay.display, &e.to_string()),
    };
    *buf = data;
    out
}

/// -U with a pattern that can match a line break: the haystack is searched whole by one
/// worker (no chunks), from its map, or read into memory as ripgrep reads it (stdin, FIFOs,
/// `--mmap never`; a UTF-16 file is transcoded whole).
fn search_whole_multiline(
    cfg: &Config,
    hay: &Haystack,
    rules: Rules,
    mapped: &OnceLock<Map>,
    spill: Spill<'_>,
) -> UnitOut {
    let kind = rules.kind();
    let whole = |src: &mut dyn Source, kind: BinaryKind| match read_all(src) {
        Ok(data) => multiline_unit(cfg, &hay.display, kind, &data, spill),
        Err(e) => failed(&hay.display, &e.to_string()),
    };
    if hay.stdin {
        let stdin = io::stdin();
        return whole(&mut *decoded(cfg.encoding, stdin.lock()), kind);
    }
    if let Some(filter) = cfg.filters.for_path(display_path(hay)) {
        // -z/--pre: the program's output (or the file, when it cannot start), read whole.
        let kind = through_reader(rules).kind();
        let mut rdr = match crate::input::start(filter, display_path(hay), || hay.open()) {
            Ok(Opened::Program(rdr)) => rdr,
            Ok(Opened::Itself) => {
                return match hay.open() {
                    Ok(file) => whole(&mut *decoded(cfg.encoding, &file), kind),
                    Err(e) => failed(&hay.display, &e.to_string()),
                };
            }
            Err(msg) => return failed(&hay.display, &msg),
        };
        let mut out = whole(&mut *decoded(cfg.encoding, &mut rdr), kind);
        if !out.failed
            && let Err(e) = rdr.close()
        {
            messages::error(&hay.display, &e.to_string());
            out.uncounted = true;
        }
        return out;
    }
    let file = match hay.open() {
        Ok(f) => f,
        Err(e) => return failed(&hay.display, &e.to_string()),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return failed(&hay.display, &e.to_string()),
    };
    if meta.is_dir() {
        return failed(&hay.display, "is a directory");
    }
    if meta.is_file() && meta.len() > 0 && cfg.mmap != MmapChoice::Never {
        // SAFETY: a file changed under the map is caught by the SIGBUS guard; `faulted` is
        // checked before the unit's output is used.
        if let Ok(Some(map)) = unsafe { Map::open(&file) } {
            let map = mapped.get_or_init(|| map);
            let bytes = map.bytes();
            let utf16 = crate::stream::Utf16Source::new(bytes)
                .filter(|_| cfg.encoding == crate::input::Encoding::Auto);
            let out = match (cfg.encoding, utf16) {
                // A byte-order mark, or -E: ripgrep's decoding reader, read whole.
                (crate::input::Encoding::Label(_), _) => whole(
                    &mut *decoded(cfg.encoding, bytes),
                    through_reader(rules).kind(),
                ),
                (_, Some(mut src)) => whole(&mut src, through_reader(rules).kind()),
                _ => multiline_unit(cfg, &hay.display, kind, strip_bom(cfg, bytes), spill),
            };
            if map.faulted() {
                return failed(
                    &hay.display,
                    "file changed while it was being read (it shrank): skipped",
                );
            }
            return out;
        }
    }
    whole(&mut *decoded(cfg.encoding, &file), kind)
}

/// Reads a source to its end.
fn read_all(src: &mut dyn Source) -> io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut part = vec![0u8; 64 * 1024];
    loop {
        match src.read(&mut part)? {
            0 => return Ok(data),
            n => data.extend_from_slice(&part[..n]),
        }
    }
}

/// Searches a whole haystack with the multi-line searcher.
fn multiline_unit(
    cfg: &Config,
    path: &[u8],
    kind: BinaryKind,
    bytes: &[u8],
    spill: Spill<'_>,
) -> UnitOut {
    let mut sink = AnySink::new(cfg, path, spill, kind == BinaryKind::Quit);
    let found = crate::multiline::search(bytes, &cfg.matcher, &cfg.search, kind, &mut sink);
    let mut out = sink.into_unit(found.binary);
    out.bytes_searched = found.bytes_searched;
    out
}

/// True when a file without any match prints nothing and counts for nothing, whatever its
/// binary data: not so under --files-without-match (a binary file is dropped, not listed),
/// --include-zero, --passthru (every line prints), or with statistics (bytes searched stop
/// at a NUL).
fn nothing_to_print_without_a_match(cfg: &Config) -> bool {
    !cfg.stats
        && !cfg.search.passthru
        && !cfg.output.include_zero
        && !matches!(
            cfg.output.mode,
            Mode::FilesWithoutMatch | Mode::QuietWithoutMatch
        )
}

/// ripgrep's inverted line search does not stop at the first selected line when -l or -q
/// asks it to (its fast path leaves the line loop and reads on), so it reads the whole
/// file; under the Quit rule a NUL anywhere then drops the file, whatever came before it.
/// Returns that dropped unit when `bytes` hold a NUL. (With --stats nothing stops early
/// anyway, and the search itself finds the NUL.)
fn dropped_after_reading_on(cfg: &Config, rules: Rules, bytes: &[u8]) -> Option<UnitOut> {
    if !reads_on_after_answer(cfg, rules) {
        return None;
    }
    let z = memchr::memchr(0, bytes)? as u64;
    Some(UnitOut {
        binary: Some(z),
        bytes_searched: z,
        ..UnitOut::default()
    })
}

/// ripgrep's inverted search reads on past where its printer stopped (binary data, -l, -q):
/// its fast line path does. PCRE2 always takes its slow path, which stops there.
fn inverted_reads_on(cfg: &Config) -> bool {
    cfg.search.invert && !cfg.matcher.is_pcre2()
}

/// Whether ripgrep's search of a file under the Quit rule reads on to its end after -l or
/// -q has its answer (see [`dropped_after_reading_on`]): its inverted fast line search does,
/// not its line-by-line one (--passthru), and with statistics nothing stops early anyway.
fn reads_on_after_answer(cfg: &Config, rules: Rules) -> bool {
    rules == Rules::Reader(BinaryKind::Quit)
        && inverted_reads_on(cfg)
        && !cfg.stats
        && !cfg.passthru
        && matches!(cfg.output.mode, Mode::FilesWithMatches | Mode::Quiet)
}

/// Whether large files may be split into chunks searched in parallel: not under -m (the
/// count is sequential), --reverse (searched from the end) or --mmap never.
/// True when nothing but the sink stops a search early (no -m, no --stop-on-nonmatch).
fn reads_to_the_end(cfg: &Config) -> bool {
    cfg.search.max_count.is_none() && !cfg.search.stop_on_nonmatch
}

fn chunkable(cfg: &Config) -> bool {
    !cfg.reverse
        && reads_to_the_end(cfg)
        && cfg.mmap != MmapChoice::Never
        && !cfg.encoding.transcodes()
}

/// Maps a large file, queues its chunks 1.. for other workers and searches chunk 0. None
/// when the file cannot be mapped (the caller reads it instead) or turns out to be small.
fn split_and_search(
    ctx: &Ctx<'_>,
    key: &UnitKey,
    hay: &Haystack,
    rules: Rules,
    file: &File,
    buf: &mut Vec<u8>,
) -> Option<UnitOut> {
    let cfg = ctx.cfg;
    // SAFETY: truncation is caught by the SIGBUS guard and checked by each chunk.
    let map = unsafe { Map::open(file) }.ok()??;
    let len = strip_bom(cfg, map.bytes()).len();
    let map_len = map.bytes().len();
    if cfg.encoding == Encoding::Auto && crate::stream::Utf16::for_bom(map.bytes()).is_some() {
        return None;
    }
    if rules == Rules::Reader(BinaryKind::Convert) && memchr::memchr(0, map.bytes()).is_some() {
        // ripgrep's reader turns its NULs into line ends: replay it over the whole file.
        return None;
    }
    if let Some(out) = dropped_after_reading_on(cfg, rules, map.bytes()) {
        return Some(out);
    }
    let units = len.div_ceil(cfg.chunk_size);
    if units < 2 {
        return None;
    }
    log::debug!(
        "{}: {len} bytes, mapped and searched in {units} chunks",
        String::from_utf8_lossy(&hay.display)
    );
    let chunked = Arc::new(Chunked {
        display: hay.display.clone(),
        rules,
        chunk_size: cfg.chunk_size,
        units,
        map,
        skip_from: AtomicUsize::new(usize::MAX),
        match_failed: AtomicBool::new(false),
        rg_reads: rg_reads(cfg, hay),
        reads: Mutex::new((
            if len == map_len {
                crate::stream::Replay::new()
            } else {
                crate::stream::Replay::after_bom()
            },
            Vec::new(),
        )),
    });
    ctx.queue.push_chunks((1..units).map(|i| Queued {
        key: UnitKey {
            seq: key.seq,
            file: key.file.clone(),
            index: i,
        },
        job: Job::Chunk(chunked.clone(), i),
    }));
    let mut out = search_chunk_unit(ctx, key, &chunked, 0, buf);
    out.units = units;
    Some(out)
}

/// Runs the stream search; under --reverse, reads forward, keeps the selected lines (the last
/// NUM with -m) and hands them over last first.
fn run_stream(
    cfg: &Config,
    src: &mut dyn Source,
    kind: BinaryKind,
    sink: &mut AnySink<'_>,
    buf: &mut Vec<u8>,
) -> (crate::stream::StreamOutcome, Option<io::Error>) {
    if cfg.reverse && matches!(cfg.output.mode, Mode::Standard | Mode::Json) {
        let opts = SearchOptions {
            max_count: None,
            before: 0,
            after: 0,
            ..cfg.search
        };
        let mut keep = crate::reverse::Keep::new(cfg.search.max_count);
        let r = search_stream(src, kind, &cfg.matcher, &opts, &mut keep, buf);
        keep.replay(sink);
        r
    } else {
        search_stream(src, kind, &cfg.matcher, &cfg.search, sink, buf)
    }
}

/// Streams a stream-only haystack. `live`: stdin, a FIFO or a device, whose lines may come
/// slowly; under line buffering each printed line goes out as soon as it is found.
fn stream_unit(
    cfg: &Config,
    path: &[u8],
    rules: Rules,
    src: &mut dyn Source,
    spill: Spill<'_>,
    buf: &mut Vec<u8>,
    live: bool,
) -> UnitOut {
    let quit = rules == Rules::Reader(BinaryKind::Quit);
    let mut sink = AnySink::new(cfg, path, spill, quit);
    if live && cfg.output.line_buffered {
        sink.spill_every_line();
    }
    let (outcome, err) = run_stream(cfg, src, rules.kind(), &mut sink, buf);
    if let Some(e) = err {
        // The lines found before the error are printed, as ripgrep prints them; the file
        // counts for nothing.
        messages::error(path, &e.to_string());
        return UnitOut {
            failed: true,
            ..sink.into_unit(None)
        };
    }
    if outcome.carry.done && outcome.binary.is_none() && reads_on_after_answer(cfg, rules) {
        // Answered (-l, -q) under -v: ripgrep reads on, and a NUL anywhere drops the file.
        match nul_in_rest(src, buf) {
            Ok(Some(at)) => {
                let z = outcome.bytes_searched + at;
                return UnitOut {
                    binary: Some(z),
                    bytes_searched: z,
                    ..UnitOut::default()
                };
            }
            Ok(None) => {}
            Err(e) => return failed(path, &e.to_string()),
        }
    }
    let reader_binary = if rules == Rules::Text {
        None
    } else {
        outcome.binary
    };
    let mut out = sink.into_unit(reader_binary);
    out.bytes_searched = outcome.bytes_searched;
    out
}

/// The path of a haystack as the walk names it (`./` stripped when no path was given), which
/// is how ripgrep names it to a decompressor or a preprocessor and matches --pre-glob.
fn display_path(hay: &Haystack) -> &std::path::Path {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(&hay.display))
}

/// Searches a haystack through a program's output (-z, --pre), as ripgrep does: a stream
/// under its reader's binary rules, decoded as any stream. A program that fails is reported
/// after the lines found before it failed.
fn search_filtered(
    cfg: &Config,
    hay: &Haystack,
    rules: Rules,
    filter: Filter<'_>,
    spill: Spill<'_>,
    buf: &mut Vec<u8>,
) -> UnitOut {
    let rules = through_reader(rules);
    let mut rdr = match crate::input::start(filter, display_path(hay), || hay.open()) {
        Ok(Opened::Program(rdr)) => rdr,
        Ok(Opened::Itself) => {
            // The decompressor cannot be started: ripgrep reads the file itself.
            let file = match hay.open() {
                Ok(f) => f,
                Err(e) => return failed(&hay.display, &e.to_string()),
            };
            let mut src = decoded(cfg.encoding, &file);
            return stream_unit(cfg, &hay.display, rules, &mut *src, spill, buf, false);
        }
        Err(msg) => return failed(&hay.display, &msg),
    };
    let mut out = {
        let mut src = decoded(cfg.encoding, &mut rdr);
        stream_unit(cfg, &hay.display, rules, &mut *src, spill, buf, false)
    };
    // Closed early (-l, -q, -m...): a failure seen only now is reported as ripgrep does;
    // the file prints in full but counts for nothing.
    if !out.failed
        && let Err(e) = rdr.close()
    {
        messages::error(&hay.display, &e.to_string());
        out.uncounted = true;
    }
    out
}

/// Reads `src` to its end; returns the offset of its first NUL byte counted from where the
/// reading goes on (the file's offset is approximate: only --stats and --json print it,
/// and neither reads on).
fn nul_in_rest(src: &mut dyn Source, buf: &mut Vec<u8>) -> io::Result<Option<u64>> {
    let mut seen = 0u64;
    buf.resize(buf.len().max(64 * 1024), 0);
    loop {
        let n = src.read(buf)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some(i) = memchr::memchr(0, &buf[..n]) {
            return Ok(Some(seen + i as u64));
        }
        seen += n as u64;
    }
}

/// Streams a regular file that is not mapped (`--mmap never`), keeping the file's rules.
fn stream_file(
    cfg: &Config,
    hay: &Haystack,
    rules: Rules,
    file: &File,
    spill: Spill<'_>,
    buf: &mut Vec<u8>,
) -> UnitOut {
    let mut head = vec![0u8; BINARY_PREFIX];
    let n = if rules == Rules::Slice {
        read_prefix(file, &mut head)
    } else {
        0
    };
    let head = &head[..n];
    let rules = if cfg.encoding == Encoding::Auto && has_bom(head) {
        through_reader(rules)
    } else {
        rules
    };
    if rules != Rules::Slice {
        let mut src = decoded(cfg.encoding, file);
        return stream_unit(cfg, &hay.display, rules, &mut *src, spill, buf, false);
    }
    // Mapped-file rules over a stream: check the first 64 KiB up front, then every printed line.
    let known = memchr::memchr(0, head).map(|i| i as u64);
    let mut sink = AnySink::new(cfg, &hay.display, spill, false);
    sink.slice_rules(known);
    let mut src = decoded(cfg.encoding, file);
    let (outcome, err) = run_stream(cfg, &mut *src, BinaryKind::Text, &mut sink, buf);
    if let Some(e) = err {
        return failed(&hay.display, &e.to_string());
    }
    let mut out = sink.into_unit(None);
    out.bytes_searched = outcome.bytes_searched;
    out
}

fn read_prefix(file: &File, dst: &mut [u8]) -> usize {
    let mut got = 0;
    while got < dst.len() {
        match file.read_at(&mut dst[got..], got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    got
}

/// Splits a UTF-8 byte-order mark off the front when the run's encoding drops it (ripgrep's
/// decoder does under `auto`; offsets start after it).
fn strip_bom<'a>(cfg: &Config, bytes: &'a [u8]) -> &'a [u8] {
    &bytes[cfg.encoding.skipped_bom(bytes)..]
}

/// Searches a haystack held in memory (a map or a buffer) by one worker.
fn search_bytes(
    cfg: &Config,
    hay: &Haystack,
    rules: Rules,
    bytes: &[u8],
    spill: Spill<'_>,
    buf: &mut Vec<u8>,
) -> UnitOut {
    if let Encoding::Label(enc) = cfg.encoding {
        // -E LABEL: every file goes through ripgrep's decoding reader.
        let mut src = DecodeSource::new(enc, bytes);
        return stream_unit(cfg, &hay.display, rules, &mut src, spill, buf, false);
    }
    if cfg.encoding == Encoding::Auto
        && let Some(mut src) = crate::stream::Utf16Source::new(bytes)
    {
        // UTF-16 with a byte-order mark: ripgrep's reader transcodes it to UTF-8.
        let rules = through_reader(rules);
        return stream_unit(cfg, &hay.display, rules, &mut src, spill, buf, false);
    }
    let stripped = strip_bom(cfg, bytes);
    let bom = stripped.len() != bytes.len();
    // A file with a byte-order mark goes through ripgrep's reader even when explicit.
    let rules = if bom { through_reader(rules) } else { rules };
    let bytes = stripped;
    // Under the Quit rule a NUL only cuts the file short, so a file without a match stays
    // without one; the Convert rule makes each NUL a line end, which can give `^`, `$` and
    // -x a match the raw bytes do not have, so there the shortcut needs a file without NULs.
    let raw_answers = match rules {
        Rules::Reader(BinaryKind::Quit | BinaryKind::Text) => true,
        Rules::Reader(BinaryKind::Convert) => memchr::memchr(0, bytes).is_none(),
        _ => false,
    };
    if raw_answers
        && nothing_to_print_without_a_match(cfg)
        && !cfg.search.invert
        && !cfg.matcher.any_line_matches(bytes)
    {
        // No match at all: binary data could not change what is printed, so the file's
        // bytes need no look for a NUL (most files of a tree search end here).
        return UnitOut {
            bytes_searched: bytes.len() as u64,
            ..UnitOut::default()
        };
    }
    if let Some(out) = dropped_after_reading_on(cfg, rules, bytes) {
        return out;
    }
    if cfg.search.stop_on_nonmatch && cfg.search.invert && !(hay.explicit && cfg.rg_maps_explicit) {
        // Under --stop-on-nonmatch -v ripgrep's reader stops at the matching line that ends
        // the first run of selected lines, where its search of a mapped file goes past it
        // (see search.rs): a file ripgrep would read goes through the reader's replay.
        let mut src = SliceSource::new(bytes);
        return stream_unit(cfg, &hay.display, rules, &mut src, spill, buf, false);
    }
    if let Rules::Reader(kind) = rules
        && memchr::memchr(0, bytes).is_some()
    {
        // The outcome depends on ripgrep's buffer fills: replay them.
        let mut src = if bom {
            SliceSource::after_bom(bytes)
        } else {
            SliceSource::new(bytes)
        };
        let mut out = stream_unit(
            cfg,
            &hay.display,
            Rules::Reader(kind),
            &mut src,
            spill,
            buf,
            false,
        );
        if kind == BinaryKind::Convert && inverted_reads_on(cfg) && reads_to_the_end(cfg) {
            // ripgrep's inverted search reads on where its printer stopped (see
            // `dropped_after_reading_on`): a NUL does not stop this reader, so to the end.
            out.bytes_searched = bytes.len() as u64;
        }
        return out;
    }
    // No NUL anywhere: the binary rules cannot change the outcome.
    let mut sink = AnySink::new(cfg, &hay.display, spill, false);
    if floors_matter(cfg) && (rules != Rules::Slice && rg_reads(cfg, hay) || bom) {
        sink.reader_floors(cfg.matcher.term());
    }
    let mut head_nul = None;
    if rules == Rules::Slice {
        let head = &bytes[..bytes.len().min(BINARY_PREFIX)];
        head_nul = memchr::memchr(0, head).map(|i| i as u64);
        sink.slice_rules(head_nul);
    }
    if cfg.reverse && matches!(cfg.output.mode, Mode::Standard | Mode::Json) {
        return crate::reverse::search_reverse(cfg, bytes, sink);
    }
    let mut carry = Carry::default();
    search_sequential(
        bytes,
        0,
        bytes.len(),
        0,
        true,
        &cfg.matcher,
        &cfg.search,
        &mut carry,
        &mut sink,
    );
    let count_nul = sink.count_nul();
    let mut out = sink.into_unit(None);
    // ripgrep's count for a mapped file stops at the first NUL it saw, in any mode (a count
    // sees the one in the file's head too). Its inverted line search reads on where its
    // printer stopped (see `dropped_after_reading_on`): without -m it reaches that NUL.
    let nul = out
        .binary
        .or(head_nul)
        .or(count_nul)
        .filter(|_| rules == Rules::Slice);
    let reached = if inverted_reads_on(cfg) && reads_to_the_end(cfg) {
        bytes.len()
    } else {
        carry.reached
    };
    out.bytes_searched = nul.map_or(carry.reached as u64, |b| b.min(reached as u64));
    out
}

/// One chunk of a large mapped file.
fn search_chunk_unit(
    ctx: &Ctx<'_>,
    key: &UnitKey,
    file: &Chunked,
    idx: usize,
    buf: &mut Vec<u8>,
) -> UnitOut {
    let cfg = ctx.cfg;
    let map = &file.map;
    let bytes = strip_bom(cfg, map.bytes());
    let rules = if bytes.len() != map.bytes().len() {
        through_reader(file.rules)
    } else {
        file.rules
    };
    let (s, e) = file.range(idx, bytes.len());
    if s >= file.skip_from.load(Ordering::Relaxed) || ctx.order.stopped() {
        // Answered already (-l, -q) or stopped: touch none of this chunk's pages.
        return UnitOut::default();
    }
    // Offsets in `bytes` sit past a byte-order mark, if any; the map's own start below it.
    let bom = map.bytes().len() - bytes.len();
    if e > s {
        map.populate(bom + s, e - s);
    }
    let spill_fn = |b: &[u8], fixups: &Fixups, first: Option<bool>| {
        !map.faulted() && ctx.order.spill(key, b, fixups, first)
    };
    let spill: Spill<'_> = &spill_fn;
    // ripgrep's reader under the Quit rule stops where its fill holding the first NUL
    // begins: a NUL ahead of this chunk ends the file inside it when the complete lines
    // searched before the read that brings the NUL end before this chunk does. The first
    // chunk looks for a NUL before it searches (a NUL in it means replaying ripgrep's
    // reader); the others look block by block as they search (the gate below).
    let mut hay = bytes;
    let mut e = e;
    let mut quit_at = None;
    if rules == Rules::Reader(BinaryKind::Quit) && idx == 0 {
        let ahead = file.nul_horizon(bytes, e);
        if let Some(z) = memchr::memchr(0, &bytes[s..ahead]).map(|i| s + i) {
            if z < e {
                // In the first chunk: replay ripgrep's reader over the file, exactly.
                file.skip_from.store(0, Ordering::Relaxed);
                let mut src = if bom > 0 {
                    SliceSource::after_bom(bytes)
                } else {
                    SliceSource::new(bytes)
                };
                let quit = Rules::Reader(BinaryKind::Quit);
                let mut out = stream_unit(cfg, &file.display, quit, &mut src, spill, buf, false);
                out.stop_file = true;
                return out;
            }
            let cut = file.quit_cut(bytes, z);
            if cut < e {
                hay = &bytes[..cut];
                e = e.min(cut);
                quit_at = Some(z as u64);
            }
        }
    }
    let quit = rules == Rules::Reader(BinaryKind::Quit);
    let mut sink = AnySink::new(cfg, &file.display, spill, quit);
    if floors_matter(cfg) && (file.rg_reads || rules != file.rules) {
        sink.reader_floors(cfg.matcher.term());
    }
    let mut head_nul = None;
    if rules == Rules::Slice {
        let head = &bytes[..bytes.len().min(BINARY_PREFIX)];
        head_nul = memchr::memchr(0, head).map(|i| i as u64);
        sink.slice_rules(head_nul);
    }
    // Numbered from the chunk's start: the writer adds the lines of the chunks before it.
    sink.relative_numbers(idx > 0);
    let horizon = |at: usize| file.nul_horizon(bytes, at);
    let cut = |z: usize| file.quit_cut(bytes, z);
    let gate = (quit && idx > 0).then(|| NulGate::new(bytes, s, &horizon, &cut));
    let r = search_chunk(
        hay,
        s,
        e,
        (idx == 0).then_some(0),
        &cfg.matcher,
        &cfg.search,
        &mut sink,
        gate.as_ref(),
    );
    if let Some((z, cut)) = gate.as_ref().and_then(NulGate::found) {
        if cut < s {
            // An earlier chunk ends the file; this unit is dropped by the writer.
            file.skip_from.fetch_min(cut, Ordering::Relaxed);
            return UnitOut {
                binary: Some(z as u64),
                stop_file: true,
                ..UnitOut::default()
            };
        }
        if cut < e {
            e = cut;
            quit_at = Some(z as u64);
        }
    }
    // A chunk inside a line that began in an earlier chunk keeps its pages: that chunk's
    // search reads them (a released page would be faulted in again).
    if e > s && !r.inside_a_line {
        map.release(bom + s, e - s);
    }
    let mut out = sink.into_unit(quit_at);
    out.bytes_searched = (e - s) as u64;
    // ripgrep's count for a mapped file stops at the first NUL it saw, in any mode, or
    // where the search stopped before it (as for a whole file; an inverted search reads on).
    if rules == Rules::Slice
        && let Some(b) = out.binary.or(head_nul)
    {
        let reached = if inverted_reads_on(cfg) { e } else { r.reached };
        out.bytes_searched = (b as usize).min(reached).clamp(s, e) as u64 - s as u64;
    }
    out.newlines = r.newlines;
    if r.stopped || out.stop_file || quit_at.is_some() {
        // Answered (-l, -q), stopped, or the file ends in this chunk: the chunks after this
        // one have nothing to add.
        file.skip_from.fetch_min(s + 1, Ordering::Relaxed);
        out.stop_file = true;
    }
    if map.faulted() {
        messages::error(
            &file.display,
            "file changed while it was being read (it shrank): skipped",
        );
        return UnitOut {
            failed: true,
            ..UnitOut::default()
        };
    }
    out
}

impl Chunked {
    /// Under the Quit rule, how far past a chunk ending at `e` a NUL can still cut it: the
    /// start of the first of ripgrep's reads with complete lines up to `e` searched before
    /// it (a NUL from there on stops the file at or after `e`). `bytes`: the map without
    /// its BOM.
    fn nul_horizon(&self, bytes: &[u8], e: usize) -> usize {
        let mut guard = self.reads.lock().unwrap_or_else(|p| p.into_inner());
        let (replay, reads) = &mut *guard;
        while reads.last().is_none_or(|&(_, searched)| searched < e) {
            match replay.next(bytes) {
                Some(r) => reads.push((r.start, r.searched_before)),
                None => return bytes.len(),
            }
        }
        let j = reads.partition_point(|&(_, searched)| searched < e);
        reads.get(j).map_or(bytes.len(), |&(start, _)| start.max(e))
    }

    /// Where ripgrep's reader stops for a NUL at `z` below a horizon computed before (so
    /// the replay has passed it): the complete lines searched before the read holding `z`.
    /// The same as `stream::quit_cut`, without replaying the file again from its start
    /// (debug builds check that). `bytes`: the map without its BOM.
    fn quit_cut(&self, bytes: &[u8], z: usize) -> usize {
        let cut = {
            let guard = self.reads.lock().unwrap_or_else(|p| p.into_inner());
            let reads = &guard.1;
            let j = reads.partition_point(|&(start, _)| start <= z);
            j.checked_sub(1).map_or(0, |i| reads[i].1)
        };
        debug_assert_eq!(
            cut,
            crate::stream::quit_cut(bytes, z, self.map.bytes().len() != bytes.len())
        );
        cut
    }

    /// The byte range of chunk `idx` in a haystack of `len` bytes (the last one runs to the end).
    fn range(&self, idx: usize, len: usize) -> (usize, usize) {
        let s = (idx * self.chunk_size).min(len);
        let e = if idx + 1 == self.units {
            len
        } else {
            ((idx + 1) * self.chunk_size).min(len)
        };
        (s, e)
    }
}

impl crate::reverse::IntoUnit for AnySink<'_> {
    fn into_unit_out(self) -> UnitOut {
        self.into_unit(None)
    }
}
