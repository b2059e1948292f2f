//! mmgrep's integration tests: one binary, one harness (`util.rs`), a module per area.
//! Expected outputs are ripgrep 15.2's bytes for the same inputs, written down here (no
//! test runs ripgrep or needs the corpora).

#[macro_use]
mod macros;
mod util;

mod badinput;
mod config;
mod edge;
mod engine;
mod filelist;
mod flags;
mod generate;
mod input;
mod json;
mod multiline;
mod naive;
mod nulldata;
mod oracle;
mod passthru;
mod pcre2;
mod printer;
mod progress;
mod readme;
mod replace;
mod robust;
mod search;
mod stats;
mod stop;
mod walk;
