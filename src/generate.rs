//! `--generate`: the man page and shell completions, from the clap definition.
//! Being built: see issue 5. Until then it refuses with a clear message.

use crate::cli::Generate;
use crate::messages;

pub fn generate(_kind: Generate) -> i32 {
    messages::error_line("--generate is not built yet");
    crate::EXIT_ERROR
}
