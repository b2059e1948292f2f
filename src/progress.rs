//! Progress bars on stderr for long runs: hidden at first and drawn only once a run has
//! lasted about a second, and only when stderr is a terminal (never with -q or --json:
//! callers decide with [`wanted`]).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its bar appears.
pub const DELAY: Duration = Duration::from_secs(1);

/// True when a bar may be drawn: stderr is a terminal and the caller's output allows it.
pub fn wanted(quiet: bool, json: bool) -> bool {
    !quiet && !json && std::io::stderr().is_terminal()
}

/// A bar counting bytes (and files in its message), drawn after [`DELAY`].
pub struct Progress {
    bar: Option<ProgressBar>,
    shown: AtomicBool,
    start: Instant,
}

impl Progress {
    /// `total_bytes` is the work's size when known (a bar with rate and ETA), else a
    /// counter with a rate. `enabled` false makes every call a no-op.
    pub fn new(enabled: bool, total_bytes: Option<u64>, verb: &str) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::hidden());
            let template = if total_bytes.is_some() {
                format!("{verb} {{msg}} [{{bar:30}}] {{bytes}}/{{total_bytes}} {{bytes_per_sec}} ETA {{eta}}")
            } else {
                format!("{verb} {{msg}} {{bytes}} {{bytes_per_sec}} {{elapsed}}")
            };
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress {
            bar,
            shown: AtomicBool::new(false),
            start: Instant::now(),
        }
    }

    /// Records `files` more files and `bytes` more bytes done.
    pub fn add(&self, files: u64, bytes: u64, files_done: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(bytes);
        if files > 0 {
            bar.set_message(format!("{files_done} files"));
        }
        if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= DELAY {
            self.shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
