//! `--hyperlink-format`: ripgrep's hyperlink formats (aliases, `{path}`, `{line}`, `{column}`,
//! `{host}`, `{wslprefix}`, checked as ripgrep checks them) and the OSC 8 escapes that wrap
//! printed paths, byte for byte as ripgrep's printers and termcolor write them.

use std::path::Path;

/// The escape that ends a hyperlink's label (termcolor's `HyperlinkSpec::close()`).
pub const CLOSE: &[u8] = b"\x1b]8;;\x1b\\";

/// ripgrep's aliases (grep-printer 0.3's table): name, format. Sorted by name.
const ALIASES: [(&str, &str); 11] = [
    ("cursor", "cursor://file{path}:{line}:{column}"),
    ("default", "file://{host}{path}"),
    ("file", "file://{host}{path}"),
    ("grep+", "grep+://{path}:{line}"),
    ("kitty", "file://{host}{path}#{line}"),
    (
        "macvim",
        "mvim://open?url=file://{path}&line={line}&column={column}",
    ),
    ("none", ""),
    (
        "textmate",
        "txmt://open?url=file://{path}&line={line}&column={column}",
    ),
    ("vscode", "vscode://file{path}:{line}:{column}"),
    (
        "vscode-insiders",
        "vscode-insiders://file{path}:{line}:{column}",
    ),
    ("vscodium", "vscodium://file{path}:{line}:{column}"),
];

/// The alias names in the order ripgrep lists them: `default` and `none` first.
pub fn alias_names() -> &'static [&'static str] {
    &[
        "default",
        "none",
        "cursor",
        "file",
        "grep+",
        "kitty",
        "macvim",
        "textmate",
        "vscode",
        "vscode-insiders",
        "vscodium",
    ]
}

/// A piece of a format.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(Vec<u8>),
    Host,
    WslPrefix,
    Path,
    Line,
    Column,
}

/// A parsed format; empty means no hyperlinks (`none`, or "").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Format {
    parts: Vec<Part>,
}

impl Format {
    /// Parses a format or an alias; the error is ripgrep's.
    pub fn parse(s: &str) -> Result<Format, String> {
        let input = ALIASES
            .binary_search_by_key(&s, |&(name, _)| name)
            .map_or(s, |i| ALIASES[i].1);
        let mut parts: Vec<Part> = Vec::new();
        let text = |parts: &mut Vec<Part>, ch: char| {
            let mut buf = [0; 4];
            let bytes = ch.encode_utf8(&mut buf).as_bytes();
            match parts.last_mut() {
                Some(Part::Text(t)) => t.extend_from_slice(bytes),
                _ => parts.push(Part::Text(bytes.to_vec())),
            }
        };
        let unopened = "unopened variable: found '}' without a corresponding '{' preceding it";
        let mut chars = input.chars();
        while let Some(ch) = chars.next() {
            match ch {
                '}' => match chars.next() {
                    Some('}') => text(&mut parts, '}'),
                    _ => return Err(unopened.into()),
                },
                '{' => {
                    let mut name = String::new();
                    let mut closed = false;
                    for c in chars.by_ref() {
                        if c == '{' && name.is_empty() {
                            // `{{` is a literal brace.
                            text(&mut parts, '{');
                            closed = true;
                            break;
                        }
                        if c == '}' {
                            parts.push(match name.as_str() {
                                "host" => Part::Host,
                                "wslprefix" => Part::WslPrefix,
                                "path" => Part::Path,
                                "line" => Part::Line,
                                "column" => Part::Column,
                                _ => {
                                    return Err(format!(
                                        "invalid hyperlink format variable: '{name}', choose \
                                         from: path, line, column, host, wslprefix"
                                    ));
                                }
                            });
                            closed = true;
                            break;
                        }
                        name.push(c);
                    }
                    if !closed {
                        return Err("unclosed variable: found '{' without a corresponding \
                                    '}' following it"
                            .into());
                    }
                }
                _ => text(&mut parts, ch),
            }
        }
        let format = Format { parts };
        format.validate()?;
        Ok(format)
    }

    fn validate(&self) -> Result<(), String> {
        let parts = &self.parts;
        if parts.is_empty() {
            return Ok(());
        }
        if parts.iter().all(|p| matches!(p, Part::Text(_))) {
            return Err(format!(
                "at least a {{path}} variable is required in a hyperlink format, or otherwise \
                 use a valid alias: {}",
                alias_names().join(", ")
            ));
        }
        if !parts.contains(&Part::Path) {
            return Err("the {path} variable is required in a hyperlink format".into());
        }
        if parts.contains(&Part::Column) && !parts.contains(&Part::Line) {
            return Err(
                "the hyperlink format contains a {column} variable, but no {line} \
                        variable is present"
                    .into(),
            );
        }
        let scheme = match parts.first() {
            Some(Part::Text(t)) => memchr::memchr(b':', t).map(|i| &t[..i]),
            _ => None,
        };
        let valid = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.');
        match scheme {
            Some(s) if !s.is_empty() && s.iter().all(valid) => Ok(()),
            _ => Err(
                "the hyperlink format must start with a valid URL scheme, i.e., \
                      [0-9A-Za-z+-.]+:"
                    .into(),
            ),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Whether `{host}` is used (the host name is then looked up).
    pub fn uses_host(&self) -> bool {
        self.parts.contains(&Part::Host)
    }
}

/// A format with the values that hold for the whole run (host name, WSL prefix) filled in:
/// what the printers open hyperlinks with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hyperlinks {
    parts: Vec<Part>,
    /// `{line}` is used: under --heading each line's prelude gets a hyperlink too.
    line_dependent: bool,
}

impl Hyperlinks {
    /// `format` with `{host}` and `{wslprefix}` filled in (empty when unknown); None for
    /// an empty format.
    pub fn new(format: Format, host: Option<String>) -> Option<Hyperlinks> {
        if format.is_empty() {
            return None;
        }
        let wsl = std::env::var("WSL_DISTRO_NAME")
            .ok()
            .map(|d| format!("wsl$/{d}"));
        let mut parts: Vec<Part> = Vec::new();
        for p in format.parts {
            let fixed = match p {
                Part::Host => host.clone().unwrap_or_default().into_bytes(),
                Part::WslPrefix => wsl.clone().unwrap_or_default().into_bytes(),
                Part::Text(t) => t,
                var => {
                    parts.push(var);
                    continue;
                }
            };
            match parts.last_mut() {
                Some(Part::Text(t)) => t.extend_from_slice(&fixed),
                _ => parts.push(Part::Text(fixed)),
            }
        }
        Some(Hyperlinks {
            line_dependent: parts.contains(&Part::Line),
            parts,
        })
    }

    pub fn is_line_dependent(&self) -> bool {
        self.line_dependent
    }

    /// Appends the escape that opens a hyperlink to `path` (from [`link_path`]). `line`
    /// writes the line number (ripgrep writes 1 when there is none, as for `column`).
    pub fn open(
        &self,
        out: &mut Vec<u8>,
        path: &[u8],
        column: Option<u64>,
        mut line: impl FnMut(&mut Vec<u8>),
    ) {
        out.extend_from_slice(b"\x1b]8;;");
        for p in &self.parts {
            match p {
                Part::Text(t) => out.extend_from_slice(t),
                Part::Path => out.extend_from_slice(path),
                Part::Line => line(out),
                Part::Column => super::push_num(out, column.unwrap_or(1)),
                Part::Host | Part::WslPrefix => {}
            }
        }
        out.extend_from_slice(b"\x1b\\");
    }
}

/// The `{path}` of a printed path: made absolute by resolving it from the current directory
/// (symbolic links, `.` and `..` included), then percent-encoded as ripgrep encodes it. None
/// when it cannot be resolved (stdin, a file gone): the path is then printed without a
/// hyperlink.
pub fn link_path(printed: &[u8]) -> Option<Vec<u8>> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let abs = Path::new(std::ffi::OsStr::from_bytes(printed))
        .canonicalize()
        .ok()?
        .into_os_string()
        .into_vec();
    if !abs.starts_with(b"/") {
        return None;
    }
    let mut out = Vec::with_capacity(abs.len());
    for &b in &abs {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'/' | b':' | b'-' | b'.' | b'_' | b'~')
            || b >= 128
        {
            out.push(b);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
    Some(out)
}

/// The host name for `{host}`: the trimmed output of `bin` (`--hostname-bin`) when it runs
/// and prints one, else the system's (`gethostname`); None when neither is known or valid
/// UTF-8.
pub fn host_name(bin: Option<&Path>) -> Option<String> {
    if let Some(bin) = bin {
        let out = std::process::Command::new(bin)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output();
        if let Ok(out) = out
            && out.status.success()
            && let Ok(s) = String::from_utf8(out.stdout)
            && !s.trim().is_empty()
        {
            return Some(s.trim().to_string());
        }
    }
    let mut buf = vec![0u8; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into `buf`, which is that long.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
        return None;
    }
    let end = memchr::memchr(0, &buf).unwrap_or(buf.len());
    buf.truncate(end);
    String::from_utf8(buf).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        Format::parse(s).unwrap_err()
    }

    #[test]
    fn aliases_are_sorted_and_listed() {
        assert!(ALIASES.windows(2).all(|w| w[0].0 < w[1].0));
        let mut names: Vec<&str> = alias_names().to_vec();
        names.sort();
        assert_eq!(names, ALIASES.map(|(n, _)| n));
    }

    #[test]
    fn formats_parse_as_ripgrep_parses_them() {
        let f = Format::parse("vscode").unwrap();
        let h = Hyperlinks::new(f, None).unwrap();
        let mut out = Vec::new();
        h.open(&mut out, b"/a%20b", Some(7), |o| o.extend_from_slice(b"12"));
        assert_eq!(out, b"\x1b]8;;vscode://file/a%20b:12:7\x1b\\");
        assert!(h.is_line_dependent());
        let h = Hyperlinks::new(Format::parse("default").unwrap(), Some("box".into())).unwrap();
        let mut out = Vec::new();
        h.open(&mut out, b"/x", None, |_| unreachable!());
        assert_eq!(out, b"\x1b]8;;file://box/x\x1b\\");
        assert!(!h.is_line_dependent());
        assert!(Format::parse("none").unwrap().is_empty());
        assert!(Format::parse("").unwrap().is_empty());
        let h = Hyperlinks::new(Format::parse("x:{{{path}}}").unwrap(), None).unwrap();
        let mut out = Vec::new();
        h.open(&mut out, b"/p", None, |_| {});
        assert_eq!(out, b"\x1b]8;;x:{/p}\x1b\\");
    }

    #[test]
    fn bad_formats_get_ripgreps_errors() {
        assert!(err("bogus").starts_with("at least a {path} variable is required"));
        assert!(err("bogus").ends_with("use a valid alias: default, none, cursor, file, grep+, kitty, macvim, textmate, vscode, vscode-insiders, vscodium"));
        assert!(err("a:{{path}}").starts_with("at least a {path}"));
        assert_eq!(
            err("x:{line}"),
            "the {path} variable is required in a hyperlink format"
        );
        assert!(err("a:{column}{path}").contains("no {line} variable"));
        assert!(err("{path}").contains("valid URL scheme"));
        assert!(err("a b:{path}").contains("valid URL scheme"));
        assert!(err(":{path}").contains("valid URL scheme"));
        assert_eq!(
            err("a:{foo}"),
            "invalid hyperlink format variable: 'foo', choose from: path, line, column, host, \
             wslprefix"
        );
        assert!(err("a:{}").contains("variable: ''"));
        assert!(err("a:{path").starts_with("unclosed variable"));
        assert!(err("a:}{path}").starts_with("unopened variable"));
    }

    #[test]
    fn paths_are_absolute_and_percent_encoded() {
        let dir = std::env::temp_dir().join(format!("mmgrep-link-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a b%é#.txt");
        std::fs::write(&file, "x").unwrap();
        let got = link_path(file.as_os_str().as_encoded_bytes()).unwrap();
        let want = format!("{}/a%20b%25é%23.txt", dir.canonicalize().unwrap().display());
        assert_eq!(String::from_utf8(got).unwrap(), want);
        assert_eq!(link_path(b"<stdin>"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
