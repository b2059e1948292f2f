//! mmgrep: grep and equal-length in-place replace over memory maps, with every core on every
//! file and output in path order. `run` is the whole program; `main.rs` only calls it.

pub mod argv;
pub mod chunk;
pub mod cli;
pub mod config;
pub mod engine;
pub mod generate;
pub mod input;
pub mod lines;
pub mod matcher;
pub mod messages;
pub mod multiline;
pub mod order;
pub mod output;
pub mod pcre;
pub mod progress;
pub mod queue;
pub mod replace;
pub mod reverse;
pub mod search;
pub mod source;
pub mod stream;
pub mod template;
pub mod walk;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Write};
use std::mem::ManuallyDrop;
use std::os::fd::FromRawFd;

use config::{Command, Config};

/// Exit status: a line was selected (or a replacement made).
pub const EXIT_MATCH: i32 = 0;
/// Exit status: nothing selected.
pub const EXIT_NONE: i32 = 1;
/// Exit status: an error happened (unless -q found a match first).
pub const EXIT_ERROR: i32 = 2;

/// A writer on file descriptor 1 that never closes it.
struct RawStdout(ManuallyDrop<File>);

impl Write for RawStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Standard output, line-buffered (on a terminal, or with --line-buffered) or in blocks.
pub fn stdout_writer(line_buffered: bool) -> Box<dyn Write + Send> {
    // SAFETY: fd 1 stays open for the life of the process; ManuallyDrop never closes it.
    let raw = RawStdout(ManuallyDrop::new(unsafe { File::from_raw_fd(1) }));
    if line_buffered {
        Box::new(io::LineWriter::new(raw))
    } else {
        Box::new(io::BufWriter::with_capacity(64 * 1024, raw))
    }
}

/// Runs mmgrep with `argv` (program name first) and returns the exit status.
pub fn run(argv: Vec<OsString>) -> i32 {
    let argv = argv::with_config(argv);
    let cmd = match Command::from_argv(argv) {
        Ok(c) => c,
        Err(e) => {
            if let Some(ce) = e.downcast_ref::<clap::Error>() {
                let _ = ce.print();
                return if ce.use_stderr() {
                    EXIT_ERROR
                } else {
                    EXIT_MATCH
                };
            }
            messages::error_line(&e.to_string());
            return EXIT_ERROR;
        }
    };
    match cmd {
        Command::TypeList(list) => {
            let _ = io::stdout().write_all(list.as_bytes());
            EXIT_MATCH
        }
        Command::Pcre2Version(line) => {
            let _ = writeln!(io::stdout(), "{line}");
            EXIT_MATCH
        }
        Command::Files(cfg) => list_files(&cfg),
        Command::Search(cfg) => search(&cfg),
        Command::Replace(cfg) => replace::run(&cfg),
        Command::Recover(paths) => replace::recover(&paths),
        Command::Generate(kind) => generate::generate(kind),
    }
}

/// The exit status from whether something matched (ripgrep's rule).
pub fn exit_status(matched: bool, quiet: bool) -> i32 {
    if matched && (quiet || !messages::errored()) {
        EXIT_MATCH
    } else if messages::errored() {
        EXIT_ERROR
    } else {
        EXIT_NONE
    }
}

fn search(cfg: &Config) -> i32 {
    if cfg.nothing_to_match {
        return EXIT_NONE;
    }
    let outcome = engine::run(cfg, stdout_writer(cfg.output.line_buffered));
    if cfg.implicit_path && cfg.file_list.is_none() && !outcome.searched_any {
        messages::error_line(
            "No files were searched, which means mmgrep probably applied a filter you didn't expect.\n\
             Try --hidden, --no-ignore (-u), or check your -g/-t filters.",
        );
    }
    if outcome.broken_pipe {
        // The reader of our output went away (`| head`): lines were printed, so exit 0
        // quietly. (ripgrep exits 1 when this happens during its first file.)
        return EXIT_MATCH;
    }
    // -q: a match exits 0 whatever errors were reported, with --stats and --json too
    // (which search every file all the same).
    let quiet = matches!(
        cfg.output.mode,
        output::Mode::Quiet | output::Mode::QuietWithoutMatch
    );
    exit_status(outcome.totals.matched || outcome.quit_matched, quiet)
}

fn list_files(cfg: &Config) -> i32 {
    let mut out = stdout_writer(cfg.output.line_buffered);
    let mut any = false;
    let term = if cfg.output.null { 0u8 } else { b'\n' };
    // -q: nothing printed, and the first file settles the exit status (as ripgrep).
    let quiet = matches!(
        cfg.output.mode,
        output::Mode::Quiet | output::Mode::QuietWithoutMatch
    );
    let mut broken = false;
    let print = |h: walk::Haystack| {
        any = true;
        if quiet {
            return false;
        }
        // Coloured as ripgrep colours paths (--color always, -p).
        let mut line = Vec::with_capacity(h.display.len() + 16);
        output::push_path(&mut line, &cfg.output, &h.display);
        line.push(term);
        if out.write_all(&line).is_err() {
            broken = true;
            return false;
        }
        true
    };
    let r = match &cfg.file_list {
        Some(list) => walk::walk_list(list, &cfg.walk, print),
        None => walk::walk(&cfg.paths, &cfg.walk, cfg.implicit_path, print),
    };
    if let Err(e) = r {
        messages::error_line(&e);
    }
    if !broken {
        let _ = out.flush();
    }
    exit_status(any, quiet)
}
