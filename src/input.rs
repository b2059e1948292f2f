//! What bytes a haystack yields before it is searched: `-z/--search-zip` and `--pre` (a
//! program's output instead of the file's bytes) and `-E/--encoding` (how the bytes are
//! decoded).
//!
//! `-z` runs a decompressor for files whose names end in a compressed format's extension,
//! with ripgrep's table ([`DECOMPRESSORS`]: `gzip -d -c PATH` and so on); when the program
//! cannot be started the file's own bytes are searched, without a word, as ripgrep does.
//! `--pre COMMAND` runs `COMMAND PATH` with the file on its standard input, for every file
//! or, with `--pre-glob`, those the globs select. Either way the program's standard output
//! is searched as a stream, with the binary rules of ripgrep's reader, and its standard
//! error is read alongside; a program that exits with a failure is reported with what it
//! wrote there ([`CommandReader`], a copy of grep-cli's). Standard input is never filtered.
//!
//! ripgrep's default (`auto`) sniffs a byte-order mark: a UTF-8 one is dropped, UTF-16 with
//! one is transcoded to UTF-8 (`stream::Utf16`), and every other file is searched as its
//! raw bytes. `-E none` turns the sniffing off. `-E LABEL` transcodes every file from the
//! WHATWG encoding LABEL to UTF-8 through ripgrep's own decoding reader (`encoding_rs_io`,
//! set up as ripgrep's searcher sets it up): a UTF-16 byte-order mark still overrides the
//! label, a UTF-8 one is dropped, invalid input becomes U+FFFD. Offsets, columns and bytes
//! searched are those of the transcoded text, as in ripgrep.

use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use ignore::overrides::{Override, OverrideBuilder};

/// How a haystack's bytes are decoded (`-E/--encoding`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// `auto` (the default): a byte-order mark decides; without one, the raw bytes.
    #[default]
    Auto,
    /// `none`: the raw bytes, a byte-order mark included.
    Raw,
    /// A WHATWG label: every haystack transcoded to UTF-8 (a UTF-16 byte-order mark wins).
    Label(&'static encoding_rs::Encoding),
}

impl Encoding {
    /// The meaning of an `-E` value, as ripgrep reads it: `auto`, `none` (both exactly so)
    /// or a WHATWG label (any case, surrounding ASCII whitespace ignored; the `replacement`
    /// labels are refused). None for anything else.
    pub fn from_label(label: &str) -> Option<Encoding> {
        match label {
            "auto" => Some(Encoding::Auto),
            "none" => Some(Encoding::Raw),
            _ => encoding_rs::Encoding::for_label_no_replacement(label.as_bytes())
                .map(Encoding::Label),
        }
    }

    /// True when every haystack goes through the decoding reader (an explicit label).
    pub fn transcodes(self) -> bool {
        matches!(self, Encoding::Label(_))
    }

    /// The length of the UTF-8 byte-order mark that the search skips at the start of
    /// `bytes` without transcoding them (only `auto` skips it this way).
    pub fn skipped_bom(self, bytes: &[u8]) -> usize {
        if self == Encoding::Auto && bytes.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            0
        }
    }
}

/// ripgrep's decompressors (grep-cli 0.1.12): a file name's ending, and the program and
/// arguments before the path.
pub const DECOMPRESSORS: &[(&str, &[&str])] = &[
    (".gz", &["gzip", "-d", "-c"]),
    (".tgz", &["gzip", "-d", "-c"]),
    (".bz2", &["bzip2", "-d", "-c"]),
    (".tbz2", &["bzip2", "-d", "-c"]),
    (".xz", &["xz", "-d", "-c"]),
    (".txz", &["xz", "-d", "-c"]),
    (".lz4", &["lz4", "-d", "-c"]),
    (".lzma", &["xz", "--format=lzma", "-d", "-c"]),
    (".br", &["brotli", "-d", "-c"]),
    (".zst", &["zstd", "-q", "-d", "-c"]),
    (".zstd", &["zstd", "-q", "-d", "-c"]),
    (".Z", &["uncompress", "-c"]),
];

/// Which haystacks are searched through a program (`-z`, `--pre`, `--pre-glob`).
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// `-z/--search-zip`.
    pub zip: bool,
    /// `--pre COMMAND`.
    pub pre: Option<PathBuf>,
    /// `--pre-glob`: which files go through `--pre` (all when empty).
    pub pre_globs: Option<Override>,
}

/// The program a haystack goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter<'a> {
    /// A decompressor: the program and its arguments before the path.
    Decompress(&'static [&'static str]),
    /// A `--pre` command.
    Preprocess(&'a Path),
}

impl Filters {
    /// True when no haystack goes through a program.
    pub fn is_empty(&self) -> bool {
        !self.zip && self.pre.is_none()
    }

    /// The program for a file at `path` (as the walk names it), if any. `--pre` and `-z`
    /// never both hold (the later flag wins).
    pub fn for_path(&self, path: &Path) -> Option<Filter<'_>> {
        if let Some(pre) = &self.pre {
            let selected = match &self.pre_globs {
                None => true,
                Some(globs) => globs.is_empty() || !globs.matched(path, false).is_ignore(),
            };
            return selected.then_some(Filter::Preprocess(pre));
        }
        if !self.zip {
            return None;
        }
        // ripgrep's globs are `*.gz` and so on, where `*` also matches `/`: the path's end.
        let bytes = path.as_os_str().as_bytes();
        DECOMPRESSORS
            .iter()
            .find(|(ext, _)| bytes.ends_with(ext.as_bytes()))
            .map(|(_, argv)| Filter::Decompress(argv))
    }
}

/// Builds the `--pre-glob` matcher: gitignore globs rooted at the current directory, a
/// leading `!` excluding (ripgrep's overrides).
pub fn pre_globs(globs: &[String]) -> Result<Option<Override>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut b = OverrideBuilder::new(cwd);
    for g in globs {
        b.add(g).map_err(|e| e.to_string())?;
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

/// What a filtered haystack is read through.
pub enum Opened {
    /// The program's standard output.
    Program(CommandReader),
    /// The file's own bytes: its decompressor could not be started (ripgrep's fallback).
    Itself,
}

/// Starts the program of `filter` for the file at `path`; `open` opens the file (the
/// preprocessor's standard input). Errors are the messages to report for the file.
pub fn start(
    filter: Filter<'_>,
    path: &Path,
    open: impl FnOnce() -> io::Result<std::fs::File>,
) -> Result<Opened, String> {
    match filter {
        Filter::Decompress(argv) => {
            let mut cmd = Command::new(argv[0]);
            cmd.args(&argv[1..]).arg(path).stdin(Stdio::null());
            Ok(CommandReader::spawn(&mut cmd, None).map_or(Opened::Itself, Opened::Program))
        }
        Filter::Preprocess(pre) => {
            let file = open().map_err(|e| e.to_string())?;
            let mut cmd = Command::new(pre);
            cmd.arg(path).stdin(Stdio::from(file));
            // ripgrep names the command as Rust's `Command` prints itself: `"pre" "path"`.
            let shown = format!("{cmd:?}");
            CommandReader::spawn(
                &mut cmd,
                Some(format!("preprocessor command failed: '{shown}'")),
            )
            .map(Opened::Program)
            .map_err(|e| format!("preprocessor command could not start: '{shown}': {e}"))
        }
    }
}

/// A running program whose standard output is read, as grep-cli's `CommandReader` reads
/// it: its standard error is collected by a thread meanwhile; at the end of its output,
/// or when the reader is closed early, the program is waited for, and a failure is an
/// error that shows what it wrote on standard error. A program that fails after being
/// closed early with nothing on standard error (killed by SIGPIPE, as a rule) is no error.
pub struct CommandReader {
    child: Child,
    stdout: Option<ChildStdout>,
    stderr: Option<std::thread::JoinHandle<io::Result<Vec<u8>>>>,
    eof: bool,
    /// Put before a read error's message (`--pre`'s "preprocessor command failed: '...'").
    context: Option<String>,
}

impl CommandReader {
    /// Starts `cmd` with its standard output and error piped.
    pub fn spawn(cmd: &mut Command, context: Option<String>) -> io::Result<CommandReader> {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        let stdout = child.stdout.take();
        let stderr = child.stderr.take().map(|mut e| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                e.read_to_end(&mut bytes).map(|_| bytes)
            })
        });
        Ok(CommandReader {
            child,
            stdout,
            stderr,
            eof: false,
            context,
        })
    }

    /// Closes the program's output and waits for it (once; later calls do nothing). An
    /// error says how it failed.
    pub fn close(&mut self) -> io::Result<()> {
        let Some(stdout) = self.stdout.take() else {
            return Ok(());
        };
        drop(stdout);
        if self.child.wait()?.success() {
            return Ok(());
        }
        let stderr = match self.stderr.take().map(|t| t.join()) {
            Some(Ok(r)) => r?,
            Some(Err(_)) | None => Vec::new(),
        };
        if !self.eof && stderr.is_empty() {
            // Closed early: a broken pipe, most likely. ripgrep assumes success.
            return Ok(());
        }
        Err(io::Error::other(stderr_message(&stderr)))
    }
}

/// ripgrep's words for what a failed program wrote on its standard error.
fn stderr_message(bytes: &[u8]) -> String {
    let msg = String::from_utf8_lossy(bytes);
    if msg.trim().is_empty() {
        "<stderr is empty>".to_string()
    } else {
        let div = "-".repeat(79);
        format!("\n{div}\n{}\n{div}", msg.trim())
    }
}

impl Read for CommandReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let r = match self.stdout.as_mut() {
            None => return Ok(0),
            Some(out) => out.read(buf),
        };
        let r = match r {
            Ok(0) => {
                self.eof = true;
                self.close().map(|_| 0)
            }
            r => r,
        };
        r.map_err(|e| match &self.context {
            Some(c) if e.kind() != io::ErrorKind::Interrupted => {
                io::Error::new(e.kind(), format!("{c}: {e}"))
            }
            _ => e,
        })
    }
}

impl Drop for CommandReader {
    fn drop(&mut self) {
        // As ripgrep's: a failure found only now is not reported.
        let _ = self.close();
    }
}

/// The UTF-8 byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// True when `bytes` start with a byte-order mark that ripgrep's searcher sniffs (UTF-8,
/// UTF-16LE, UTF-16BE): it then searches them through its decoding reader, never as a
/// slice.
pub fn has_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(UTF8_BOM) || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_ripgrep_reads_them() {
        assert_eq!(Encoding::from_label("auto"), Some(Encoding::Auto));
        assert_eq!(Encoding::from_label("none"), Some(Encoding::Raw));
        assert_eq!(Encoding::from_label("AUTO"), None);
        assert_eq!(Encoding::from_label("None"), None);
        assert_eq!(
            Encoding::from_label(" Latin1 "),
            Some(Encoding::Label(encoding_rs::WINDOWS_1252))
        );
        assert_eq!(
            Encoding::from_label("utf-16"),
            Some(Encoding::Label(encoding_rs::UTF_16LE))
        );
        assert_eq!(Encoding::from_label("replacement"), None);
        assert_eq!(Encoding::from_label("foo"), None);
        assert_eq!(Encoding::from_label(""), None);
    }
}
