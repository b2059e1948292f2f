//! The config file: default arguments read from the file named by `MMGREP_CONFIG_PATH`,
//! inserted before the command line's own (ripgrep's `RIPGREP_CONFIG_PATH` rules).
//!
//! The file holds one argument per line. Leading and trailing whitespace is trimmed, blank
//! lines and lines starting with `#` are skipped, and nothing else is interpreted: no quotes,
//! no escapes, so `--glob=!*.min.js` and `-g` / `!*.min.js` on two lines are both fine.
//! `--no-config` on the command line ignores the file. A file that cannot be read is
//! reported on stderr and the run goes on without it (as ripgrep does; the exit status is
//! not affected).

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;

use clap::Parser;

use crate::cli::Args;
use crate::messages;

/// The environment variable that names the config file.
pub const CONFIG_ENV: &str = "MMGREP_CONFIG_PATH";

/// What `with_config` did, for --debug to say once the command line is parsed.
static CONFIG_NOTE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Logs (at debug level) which config file arguments were read, if any.
pub fn log_config() {
    if let Some(note) = CONFIG_NOTE.get() {
        log::debug!("{note}");
    }
}

/// `argv` (program name first) with the config file's arguments inserted after the program
/// name, unless the command line says `--no-config` or no config file is named.
pub fn with_config(argv: Vec<OsString>) -> Vec<OsString> {
    let Some(path) = config_path() else {
        let _ = CONFIG_NOTE.set(format!("{CONFIG_ENV} is not set: no config file read"));
        return argv;
    };
    if no_config(&argv) {
        let _ = CONFIG_NOTE.set(format!("--no-config: {} not read", path.display()));
        return argv;
    }
    let extra = match std::fs::read(&path) {
        Ok(data) => parse(&data),
        Err(e) => {
            messages::note(&format!(
                "failed to read the file specified in {CONFIG_ENV}: {}: {e}",
                path.display()
            ));
            return argv;
        }
    };
    let _ = CONFIG_NOTE.set(format!(
        "{}: {} argument(s) read: {extra:?}",
        path.display(),
        extra.len()
    ));
    if extra.is_empty() {
        return argv;
    }
    let mut out = Vec::with_capacity(argv.len() + extra.len());
    let mut it = argv.into_iter();
    out.extend(it.next());
    out.extend(extra);
    out.extend(it);
    out
}

/// The config file's path: `MMGREP_CONFIG_PATH` when set and not empty.
fn config_path() -> Option<PathBuf> {
    let v = std::env::var_os(CONFIG_ENV)?;
    if v.is_empty() {
        return None;
    }
    Some(PathBuf::from(v))
}

/// True when the command line itself turns the config file off.
fn no_config(argv: &[OsString]) -> bool {
    // Parsing tells `--no-config` from a pattern that happens to read "--no-config"
    // (`-e --no-config`); when the command line does not parse, its error comes later and
    // a plain scan decides.
    match Args::try_parse_from(argv) {
        Ok(a) => a.no_config,
        Err(_) => argv
            .iter()
            .skip(1)
            .take_while(|a| *a != "--")
            .any(|a| a == "--no-config"),
    }
}

/// The arguments in a config file's bytes: one per line, trimmed; blank lines and `#`
/// comments skipped.
pub fn parse(data: &[u8]) -> Vec<OsString> {
    data.split(|&b| b == b'\n')
        .map(|line| line.trim_ascii())
        .filter(|line| !line.is_empty() && !line.starts_with(b"#"))
        .map(|line| OsString::from_vec(line.to_vec()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(v: Vec<OsString>) -> Vec<String> {
        v.into_iter().map(|s| s.into_string().unwrap()).collect()
    }

    #[test]
    fn comments_blanks_and_whitespace() {
        let got = parse(
            b"# defaults\n\n  --smart-case  \n-g\n!*.min.js\r\n\t# indented comment\n--max-depth=3",
        );
        assert_eq!(
            strs(got),
            ["--smart-case", "-g", "!*.min.js", "--max-depth=3"]
        );
    }

    #[test]
    fn no_config_is_seen_only_as_a_flag() {
        let v = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(no_config(&v(&["mmgrep", "--no-config", "x"])));
        assert!(!no_config(&v(&["mmgrep", "-e", "--no-config"])));
        assert!(!no_config(&v(&["mmgrep", "x", "--", "--no-config"])));
        assert!(no_config(&v(&["mmgrep", "--no-such-flag", "--no-config"])));
    }
}
