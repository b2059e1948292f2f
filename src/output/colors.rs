//! `--colors`: ripgrep's colour specs (`{type}:{fg|bg|style}:{value}`, `{type}:none`) and the
//! escapes termcolor writes for them, which ripgrep's output carries byte for byte.

/// A colour of a spec: one of the eight names, an ANSI 256-colour number or an RGB triple.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Color {
    Named(u8),
    Ansi256(u8),
    Rgb(u8, u8, u8),
}

const NAMES: [&str; 8] = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
];

/// One output type's spec.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Spec {
    fg: Option<Color>,
    bg: Option<Color>,
    bold: bool,
    intense: bool,
    underline: bool,
    italic: bool,
}

impl Spec {
    fn is_none(&self) -> bool {
        *self == Spec::default()
    }

    /// The escapes termcolor writes to set this spec: a reset, the styles, then the colours.
    fn escapes(&self) -> Vec<u8> {
        let mut out = b"\x1b[0m".to_vec();
        for (on, code) in [(self.bold, 1), (self.italic, 3), (self.underline, 4)] {
            if on {
                out.extend_from_slice(format!("\x1b[{code}m").as_bytes());
            }
        }
        for (color, base) in [(self.fg, 3u16), (self.bg, 4)] {
            let text = match color {
                None => continue,
                Some(Color::Named(n)) if self.intense => format!("\x1b[{base}8;5;{}m", n + 8),
                Some(Color::Named(n)) => format!("\x1b[{base}{n}m"),
                Some(Color::Ansi256(n)) => format!("\x1b[{base}8;5;{n}m"),
                Some(Color::Rgb(r, g, b)) => format!("\x1b[{base}8;2;{r};{g};{b}m"),
            };
            out.extend_from_slice(text.as_bytes());
        }
        out
    }
}

/// The escapes that open each coloured part of the output (each is closed by a reset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Colors {
    pub path: Vec<u8>,
    pub line: Vec<u8>,
    /// Column and byte offset.
    pub column: Vec<u8>,
    /// None: matches are not coloured at all (`match:none`), and ripgrep then prints and
    /// measures lines as it does without colour.
    pub matched: Option<Vec<u8>>,
    /// `highlight`: the rest of a selected line with matches (None: not coloured, the
    /// default).
    pub highlight: Option<Vec<u8>>,
}

impl Default for Colors {
    fn default() -> Colors {
        Colors::from_specs::<&str>(&[]).expect("the default specs parse")
    }
}

impl Colors {
    /// ripgrep's defaults (paths magenta, line numbers green, matches bold red) with `specs`
    /// applied in order. An error names the spec and what is wrong with it.
    pub fn from_specs<S: AsRef<str>>(specs: &[S]) -> Result<Colors, String> {
        let mut path = Spec {
            fg: Some(Color::Named(5)),
            ..Spec::default()
        };
        let mut line = Spec {
            fg: Some(Color::Named(2)),
            ..Spec::default()
        };
        let mut column = Spec::default();
        let mut highlight = Spec::default();
        let mut matched = Spec {
            fg: Some(Color::Named(1)),
            bold: true,
            ..Spec::default()
        };
        for spec in specs {
            let spec = spec.as_ref();
            let fail = |why: String| format!("invalid --colors value '{spec}': {why}");
            let parts: Vec<&str> = spec.split(':').collect();
            let target = match parts[0] {
                "path" => &mut path,
                "line" => &mut line,
                "column" => &mut column,
                "match" => &mut matched,
                "highlight" => &mut highlight,
                other => {
                    return Err(fail(format!(
                        "unrecognized output type '{other}'; choose from path, line, column, \
                         match, highlight"
                    )));
                }
            };
            match parts[1..] {
                ["none"] => *target = Spec::default(),
                ["fg", v] => target.fg = Some(parse_color(v).map_err(fail)?),
                ["bg", v] => target.bg = Some(parse_color(v).map_err(fail)?),
                ["style", v] => match v {
                    "bold" => target.bold = true,
                    "nobold" => target.bold = false,
                    "intense" => target.intense = true,
                    "nointense" => target.intense = false,
                    "underline" => target.underline = true,
                    "nounderline" => target.underline = false,
                    "italic" => target.italic = true,
                    "noitalic" => target.italic = false,
                    other => {
                        return Err(fail(format!(
                            "unrecognized style attribute '{other}'; choose from nobold, bold, \
                             nointense, intense, nounderline, underline, noitalic, italic"
                        )));
                    }
                },
                _ => {
                    return Err(fail(
                        "the format is '(path|line|column|match|highlight):(fg|bg|style):(value)' \
                         or '(path|line|column|match|highlight):none'"
                            .into(),
                    ));
                }
            }
        }
        Ok(Colors {
            path: path.escapes(),
            line: line.escapes(),
            column: column.escapes(),
            matched: (!matched.is_none()).then(|| matched.escapes()),
            highlight: (!highlight.is_none()).then(|| highlight.escapes()),
        })
    }
}

/// A colour name, a number 0–255 (decimal or 0x hex), or `r,g,b` (each one such number).
fn parse_color(v: &str) -> Result<Color, String> {
    let lower = v.to_ascii_lowercase();
    if let Some(n) = NAMES.iter().position(|&name| name == lower) {
        return Ok(Color::Named(n as u8));
    }
    let number = |s: &str| match s.strip_prefix("0x") {
        Some(hex) => u8::from_str_radix(hex, 16).ok(),
        None => s.parse::<u8>().ok(),
    };
    if let [r, g, b] = v.split(',').collect::<Vec<_>>()[..] {
        if let (Some(r), Some(g), Some(b)) = (number(r), number(g), number(b)) {
            return Ok(Color::Rgb(r, g, b));
        }
        return Err(format!("'{v}' is not an RGB colour (three numbers 0-255)"));
    }
    if v.starts_with(|c: char| c.is_ascii_digit()) {
        return number(v)
            .map(Color::Ansi256)
            .ok_or_else(|| format!("'{v}' is not an ANSI 256 colour number (0-255)"));
    }
    Err(format!(
        "unrecognized colour name '{v}'; choose from {}",
        NAMES.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_ripgreps() {
        let c = Colors::default();
        assert_eq!(c.path, b"\x1b[0m\x1b[35m");
        assert_eq!(c.line, b"\x1b[0m\x1b[32m");
        assert_eq!(c.column, b"\x1b[0m");
        assert_eq!(c.matched.as_deref(), Some(&b"\x1b[0m\x1b[1m\x1b[31m"[..]));
    }

    #[test]
    fn specs_render_as_termcolor_writes_them() {
        let c = Colors::from_specs(&[
            "match:fg:blue",
            "match:bg:0x10,0x20,0x30",
            "match:style:underline",
            "path:none",
            "line:style:intense",
            "column:fg:200",
        ])
        .unwrap();
        assert_eq!(
            c.matched.as_deref(),
            Some(&b"\x1b[0m\x1b[1m\x1b[4m\x1b[34m\x1b[48;2;16;32;48m"[..])
        );
        assert_eq!(c.path, b"\x1b[0m");
        assert_eq!(c.line, b"\x1b[0m\x1b[38;5;10m");
        assert_eq!(c.column, b"\x1b[0m\x1b[38;5;200m");
        assert_eq!(Colors::from_specs(&["match:none"]).unwrap().matched, None);
        let nobold = Colors::from_specs(&["match:style:nobold"]).unwrap();
        assert_eq!(nobold.matched.as_deref(), Some(&b"\x1b[0m\x1b[31m"[..]));
    }

    #[test]
    fn bad_specs_are_errors() {
        for bad in [
            "foo:fg:red",
            "match:fg:pink",
            "match:fg:256",
            "match:style:dimmed",
            "match:fg",
            "match:bg:1,2",
            "highlight:fg:orange",
        ] {
            let e = Colors::from_specs(&[bad]).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
    }
}
