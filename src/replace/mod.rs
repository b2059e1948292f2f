//! In-place replacement (`-r REPL --in-place`) and recovery (`--recover`).
//! Being built: see issue 4. Until then both commands refuse with a clear message.

use std::ffi::OsString;

use crate::config::Config;
use crate::messages;

/// `-r REPL --in-place [--dry-run]`.
pub fn run(_cfg: &Config) -> i32 {
    messages::error_line("--in-place is not built yet");
    crate::EXIT_ERROR
}

/// `--recover [PATH...]`.
pub fn recover(_paths: &[OsString]) -> i32 {
    messages::error_line("--recover is not built yet");
    crate::EXIT_ERROR
}
