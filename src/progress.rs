//! Progress bars on stderr for long runs: hidden at first and drawn only once a run has
//! lasted about a second, and only when stderr is a terminal (never with -q or --json:
//! callers decide with [`wanted`] or [`wanted_for_search`]). While a bar is on screen,
//! messages on stderr go through [`suspend`] so that they print above it, whole.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its bar appears.
pub const DELAY: Duration = Duration::from_secs(1);
/// How often a visible bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// The bar on screen, if any (for [`suspend`]).
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// True when a bar may be drawn: stderr is a terminal and the caller's output allows it.
pub fn wanted(quiet: bool, json: bool) -> bool {
    !quiet && !json && std::io::stderr().is_terminal()
}

/// A search shows a bar only when its results go to a file or a pipe: when stdout is a
/// terminal the results themselves show the progress.
pub fn wanted_for_search(quiet: bool, json: bool) -> bool {
    wanted(quiet, json) && !std::io::stdout().is_terminal()
}

/// Runs `f` (which writes to stderr) with the bar, if one is on screen, cleared first and
/// redrawn after.
pub fn suspend<R>(f: impl FnOnce() -> R) -> R {
    let bar = ACTIVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    match bar {
        Some(bar) => bar.suspend(f),
        None => f(),
    }
}

/// A bar counting bytes (and files in its message), drawn after [`DELAY`].
pub struct Progress {
    bar: Option<ProgressBar>,
    files: AtomicU64,
    /// Set when the delay passed and the bar went to stderr.
    shown: Arc<AtomicBool>,
    /// Dropped by [`Progress::finish`] to wake the timer before [`DELAY`].
    cancel: Mutex<Option<Sender<()>>>,
    timer: Mutex<Option<JoinHandle<()>>>,
}

impl Progress {
    /// `total_bytes` is the work's size when known (a bar with rate and ETA), else a
    /// counter with a rate. `enabled` false makes every call a no-op.
    pub fn new(enabled: bool, total_bytes: Option<u64>, verb: &str) -> Progress {
        let mut p = Progress {
            bar: None,
            files: AtomicU64::new(0),
            shown: Arc::new(AtomicBool::new(false)),
            cancel: Mutex::new(None),
            timer: Mutex::new(None),
        };
        if !enabled {
            return p;
        }
        let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::hidden());
        let template = if total_bytes.is_some() {
            format!(
                "{verb} {{msg}} [{{bar:30}}] {{bytes}}/{{total_bytes}} {{bytes_per_sec}} ETA {{eta}}"
            )
        } else {
            format!("{{spinner}} {verb} {{msg}} {{bytes}} ({{bytes_per_sec}}) {{elapsed}}")
        };
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("0 files,");
        let (tx, rx) = mpsc::channel::<()>();
        let shown = bar.clone();
        let flag = p.shown.clone();
        let timer = std::thread::Builder::new()
            .name("mmgrep-progress".into())
            .spawn(move || {
                // Woken early (the sender dropped) when the run ends first: draw nothing.
                if rx.recv_timeout(DELAY) == Err(RecvTimeoutError::Timeout) {
                    *ACTIVE.lock().unwrap_or_else(PoisonError::into_inner) = Some(shown.clone());
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(TICK);
                    flag.store(true, Ordering::Relaxed);
                }
            });
        if let Ok(timer) = timer {
            p.bar = Some(bar);
            *p.cancel.get_mut().unwrap() = Some(tx);
            *p.timer.get_mut().unwrap() = Some(timer);
        }
        p
    }

    /// Records `files` more files and `bytes` more bytes done; `files_done` is the total
    /// shown in the message.
    pub fn add(&self, files: u64, bytes: u64, files_done: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(bytes);
        if files > 0 {
            bar.set_message(format!("{files_done} files,"));
        }
    }

    /// Records `files` more files and `bytes` more bytes done, keeping the file count here.
    pub fn add_counted(&self, files: u64, bytes: u64) {
        if self.bar.is_none() {
            return;
        }
        let done = self.files.fetch_add(files, Ordering::Relaxed) + files;
        self.add(files, bytes, done);
    }

    /// True once the bar is drawn (for tests of the delay).
    pub fn is_shown(&self) -> bool {
        self.shown.load(Ordering::Relaxed)
    }

    /// Removes the bar (or keeps it from ever appearing).
    pub fn finish(&self) {
        let Some(bar) = &self.bar else { return };
        drop(
            self.cancel
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        if let Some(t) = self
            .timer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = t.join();
        }
        *ACTIVE.lock().unwrap_or_else(PoisonError::into_inner) = None;
        bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_is_a_no_op() {
        let p = Progress::new(false, None, "searching");
        p.add_counted(1, 100);
        assert!(!p.is_shown());
        p.finish();
    }

    #[test]
    fn a_short_run_never_draws() {
        // Enabled, but finished before the delay: the timer is cancelled.
        let p = Progress::new(true, None, "searching");
        p.add_counted(3, 1000);
        let t = std::time::Instant::now();
        p.finish();
        assert!(
            t.elapsed() < DELAY / 2,
            "finish must not wait for the delay"
        );
        assert!(!p.is_shown());
    }
}
