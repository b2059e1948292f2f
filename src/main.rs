//! The `mmgrep` binary: parse, run, exit. Everything else lives in the library.

fn main() {
    let code = mmgrep::run(std::env::args_os().collect());
    std::process::exit(code);
}
