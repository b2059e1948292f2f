//! Messages on stderr: `mmgrep: PATH: reason` for a file that failed, and the process-wide
//! memory that an error happened (it decides exit status 2). Each message is written whole
//! under stderr's lock so that parallel workers never interleave.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static ERRORED: AtomicBool = AtomicBool::new(false);
static QUIET_MESSAGES: AtomicBool = AtomicBool::new(false);
static QUIET_IGNORE_MESSAGES: AtomicBool = AtomicBool::new(false);

/// True once any error was reported.
pub fn errored() -> bool {
    ERRORED.load(Ordering::Relaxed)
}

/// Suppress error messages (they still count for the exit status).
pub fn set_quiet(yes: bool) {
    QUIET_MESSAGES.store(yes, Ordering::Relaxed);
}

/// Suppress the messages about ignore files that cannot be parsed (`--no-ignore-messages`).
pub fn set_quiet_ignore(yes: bool) {
    QUIET_IGNORE_MESSAGES.store(yes, Ordering::Relaxed);
}

/// An ignore file (`.gitignore`, `.ignore`, an exclude file) with a rule that cannot be
/// parsed: reported as ripgrep reports it (the rest of the file applies), not an error.
pub fn ignore_file(err: &ignore::Error) {
    if !QUIET_IGNORE_MESSAGES.load(Ordering::Relaxed) {
        note(&err.to_string());
    }
}

/// Reports an error about `path` (raw bytes, printed as is) and remembers it.
pub fn error(path: &[u8], reason: &str) {
    ERRORED.store(true, Ordering::Relaxed);
    if QUIET_MESSAGES.load(Ordering::Relaxed) {
        return;
    }
    let mut line = Vec::with_capacity(path.len() + reason.len() + 12);
    line.extend_from_slice(b"mmgrep: ");
    line.extend_from_slice(path);
    line.extend_from_slice(b": ");
    line.extend_from_slice(reason.as_bytes());
    line.push(b'\n');
    crate::progress::suspend(|| std::io::stderr().lock().write_all(&line).ok());
}

/// Reports an error line that already names its subject.
pub fn error_line(text: &str) {
    ERRORED.store(true, Ordering::Relaxed);
    if QUIET_MESSAGES.load(Ordering::Relaxed) {
        return;
    }
    crate::progress::suspend(|| writeln!(std::io::stderr().lock(), "mmgrep: {text}").ok());
}

/// A warning or note: printed, but not an error.
pub fn note(text: &str) {
    if QUIET_MESSAGES.load(Ordering::Relaxed) {
        return;
    }
    crate::progress::suspend(|| writeln!(std::io::stderr().lock(), "mmgrep: {text}").ok());
}

/// --debug and --trace: the `log` crate's records on stderr, one line each, as ripgrep
/// prints them (`mmgrep: LEVEL|target|file:line: message`). The `ignore` crate logs through it too.
struct Logger;

impl log::Log for Logger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        // The level is the crate-wide maximum set in `init_log`.
        true
    }

    fn log(&self, r: &log::Record<'_>) {
        let mut line = format!("mmgrep: {}|{}|", r.level(), r.target());
        if let Some(file) = r.file() {
            line.push_str(file);
            if let Some(n) = r.line() {
                line.push_str(&format!(":{n}"));
            }
        }
        line.push_str(&format!(": {}\n", r.args()));
        crate::progress::suspend(|| std::io::stderr().lock().write_all(line.as_bytes()).ok());
    }

    fn flush(&self) {}
}

/// Sends the `log` records up to `level` to stderr (nothing is logged while it is `Off`).
pub fn init_log(level: log::LevelFilter) {
    static LOGGER: Logger = Logger;
    if level != log::LevelFilter::Off && log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(level);
    }
}

/// An `io::Error` as a short reason ("No such file or directory (os error 2)").
pub fn io_reason(e: &std::io::Error) -> String {
    e.to_string()
}
