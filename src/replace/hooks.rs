//! Test hooks, read from the environment once (they cost nothing when unset):
//!
//! * `MMGREP_TEST_ABORT_AFTER_WRITES=N`: after N edits have been written, write the first
//!   half of the next one and `abort()` (a crash in the middle of a token).
//! * `MMGREP_TEST_PAUSE_AFTER_PLAN=X`, `MMGREP_TEST_PAUSE_BEFORE_WRITE=X`: pause after
//!   planning (before any file is locked), or after the journal is durable and before the
//!   first byte is written. X is a number of milliseconds, or a path: mmgrep creates that
//!   file and waits (up to a minute) until the test removes it.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

static WRITES: AtomicU64 = AtomicU64::new(0);

/// The abort limit, if the hook is set.
pub fn abort_limit() -> Option<u64> {
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    *LIMIT.get_or_init(|| std::env::var("MMGREP_TEST_ABORT_AFTER_WRITES").ok().and_then(|v| v.trim().parse().ok()))
}

/// Writes one edit under the abort hook: the write that reaches the limit is torn in half
/// and the process aborts.
#[cold]
pub fn write_counted(limit: u64, dst: &mut [u8], new: &[u8]) {
    let k = WRITES.fetch_add(1, Ordering::SeqCst);
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
    let Some(v) = std::env::var_os(var) else { return };
    let s = v.to_string_lossy();
    if let Ok(ms) = s.trim().parse::<u64>() {
        std::thread::sleep(Duration::from_millis(ms));
        return;
    }
    let path = std::path::PathBuf::from(&v);
    if std::fs::write(&path, b"paused\n").is_err() {
        return;
    }
    let start = Instant::now();
    while path.exists() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
}
