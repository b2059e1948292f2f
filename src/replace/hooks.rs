//! Test hooks, read from the environment once (they cost nothing when unset):
//!
//! * `MMGREP_TEST_ABORT_AFTER_WRITES=N`: after N edits have been written, write the first
//!   half of the next one and `abort()` (a crash in the middle of a token).
//! * `MMGREP_TEST_PAUSE_AFTER_PLAN=X`, `MMGREP_TEST_PAUSE_BEFORE_WRITE=X`: pause after
//!   planning (before any file is locked), or after the journal is durable and before the
//!   first byte is written. X is a number of milliseconds, or a path: mmgrep creates that
//!   file and waits (up to a minute) until the test removes it.
//! * `MMGREP_TEST_PAUSE_AFTER_WRITES=N:X`: pause as above (once) before writing edit
//!   number N of a file, its first N edits written (to change a file in the middle of its
//!   writing).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

static WRITES: AtomicU64 = AtomicU64::new(0);

/// The write hooks, if any is set.
#[derive(Clone, Debug)]
pub struct WriteHooks {
    abort_after: Option<u64>,
    pause_after: Option<(u64, String)>,
}

/// The write hooks from the environment (None when no hook is set: the fast path).
pub fn write_hooks() -> Option<&'static WriteHooks> {
    static HOOKS: OnceLock<Option<WriteHooks>> = OnceLock::new();
    HOOKS
        .get_or_init(|| {
            let abort_after = std::env::var("MMGREP_TEST_ABORT_AFTER_WRITES")
                .ok()
                .and_then(|v| v.trim().parse().ok());
            let pause_after = std::env::var("MMGREP_TEST_PAUSE_AFTER_WRITES")
                .ok()
                .and_then(|v| {
                    let (n, x) = v.split_once(':')?;
                    Some((n.trim().parse().ok()?, x.to_string()))
                });
            (abort_after.is_some() || pause_after.is_some()).then_some(WriteHooks {
                abort_after,
                pause_after,
            })
        })
        .as_ref()
}

/// Writes edit number `index` of a file under the test hooks: the write that reaches the
/// abort limit (counted over the run) is torn in half and the process aborts; the first
/// file to reach edit number N pauses first.
#[cold]
pub fn write_counted(hooks: &WriteHooks, index: u64, dst: &mut [u8], new: &[u8]) {
    static PAUSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if let Some((n, x)) = &hooks.pause_after
        && index == *n
        && !PAUSED.swap(true, Ordering::SeqCst)
    {
        pause_on(x);
    }
    let k = WRITES.fetch_add(1, Ordering::SeqCst);
    let Some(limit) = hooks.abort_after else {
        dst.copy_from_slice(new);
        return;
    };
    if k < limit {
        dst.copy_from_slice(new);
        return;
    }
    if k == limit {
        let half = new.len() / 2;
        dst[..half].copy_from_slice(&new[..half]);
        std::process::abort();
    }
    // Another thread is aborting the process: never write past the limit.
    loop {
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Pauses at a named stage when its variable is set.
pub fn pause(var: &str) {
    if let Some(v) = std::env::var_os(var) {
        pause_on(&v.to_string_lossy());
    }
}

fn pause_on(s: &str) {
    if let Ok(ms) = s.trim().parse::<u64>() {
        std::thread::sleep(Duration::from_millis(ms));
        return;
    }
    let path = std::path::PathBuf::from(s);
    if std::fs::write(&path, b"paused\n").is_err() {
        return;
    }
    let start = Instant::now();
    while path.exists() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
}
