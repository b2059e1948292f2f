//! What was typed: the command line as clap parses it. Nothing here is validated beyond
//! syntax; `config.rs` turns it into a resolved configuration.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{ArgAction, Parser, ValueEnum};

/// When to use colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// No colours.
    Never,
    /// Colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb".
    Auto,
    /// Colours always.
    Always,
    /// Colours always, as ANSI escape sequences (on Unix, the same as always).
    Ansi,
}

/// Output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    /// Path order: in each directory, entries sorted by file name (ripgrep's --sort path).
    Path,
    /// Whatever order the workers finish in (still never interleaved).
    None,
    /// By last modification time (files of equal times in path order).
    Modified,
    /// By last access time (files of equal times in path order).
    Accessed,
    /// By creation time (files of equal times in path order).
    Created,
}

/// When to memory-map files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MmapChoice {
    /// Map regular files at or above the read threshold; read smaller ones.
    Auto,
    /// Map every non-empty regular file.
    Always,
    /// Never map when searching: read, or stream large files through a bounded buffer.
    /// (--in-place reads files up to 64 MiB, maps larger ones, and always writes through a
    /// map.)
    Never,
}

/// The regex engine (`--engine`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// The regex crate's engine (finite automata: no look-around, no backreferences).
    Default,
    /// PCRE2: look-around and backreferences (-P).
    Pcre2,
    /// The default engine, or PCRE2 when the patterns do not compile with it.
    Auto,
}

/// What `--generate` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Generate {
    /// The man page (roff), as committed in man/mmgrep.1.
    Man,
    /// Bash completion (completions/mmgrep.bash).
    CompleteBash,
    /// Zsh completion (completions/_mmgrep).
    CompleteZsh,
    /// Fish completion (completions/mmgrep.fish).
    CompleteFish,
    /// PowerShell completion (completions/_mmgrep.ps1).
    CompletePowershell,
    /// Elvish completion (completions/mmgrep.elv).
    CompleteElvish,
}

/// A value parser that accepts any string (`config.rs` checks it) and offers a list of
/// names, which is what shell completions list: the type names for `-t`, `-T` and
/// `--type-clear` (an unknown one is reported with the type list's hint), the aliases for
/// `--hyperlink-format`.
#[derive(Clone, Copy, Debug)]
pub struct OfferingParser(pub fn() -> &'static [&'static str]);

/// The names of the built-in file types (`--type-list`), sorted.
pub fn type_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut b = ignore::types::TypesBuilder::new();
        b.add_defaults();
        // Leaked once: clap's possible values want `'static` names.
        b.definitions()
            .iter()
            .map(|d| &*Box::leak(d.name().to_string().into_boxed_str()))
            .collect()
    })
}

impl TypedValueParser for OfferingParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().iter().map(|n| PossibleValue::new(*n))))
    }
}

/// Search files and directory trees through memory maps with every core, in path order,
/// with ripgrep's flags and output; replace equal-length matches in place, all or nothing.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "mmgrep",
    version,
    about = "Search (and replace in place) through memory maps with every core",
    long_about = None,
    max_term_width = 100,
    after_help = "Exit status: 0 if a line was selected (or a replacement made), 1 if none, 2 on any error \
                  (unless -q found a match).",
    override_usage = "mmgrep [OPTIONS] PATTERN [PATH...]\n       mmgrep [OPTIONS] -e PATTERN... [PATH...]\n       \
                      mmgrep [OPTIONS] -f PATTERNFILE... [PATH...]\n       \
                      mmgrep [OPTIONS] PATTERN --files-from LIST | --files0-from LIST\n       \
                      mmgrep [OPTIONS] -r REPLACEMENT --in-place [--dry-run] PATTERN [PATH...]\n       \
                      mmgrep [OPTIONS] --files [PATH...]\n       mmgrep --recover [PATH...]\n       \
                      mmgrep --generate KIND",
    // As in ripgrep, a flag given twice is no error: the last one counts (`-m2 -m1` is -m1),
    // so aliases and wrapper scripts can add flags the user also types.
    args_override_self = true
)]
pub struct Args {
    /// A regular expression (Rust regex syntax). When -e or -f is given, every positional
    /// argument is a PATH instead.
    #[arg(value_name = "PATTERN")]
    pub pattern: Option<String>,

    /// Files or directories to search. With none, the current directory is searched, or
    /// stdin when it is a file or a pipe.
    #[arg(value_name = "PATH")]
    pub paths: Vec<OsString>,

    // ---- Patterns -------------------------------------------------------------------
    /// A pattern to search for; may be repeated (lines matching any are selected).
    #[arg(short = 'e', long = "regexp", value_name = "PATTERN", action = ArgAction::Append,
          allow_hyphen_values = true, help_heading = "Patterns")]
    pub regexp: Vec<String>,

    /// Read patterns from PATTERNFILE, one per line ('-' reads stdin); may be repeated.
    #[arg(short = 'f', long = "file", value_name = "PATTERNFILE", action = ArgAction::Append,
          help_heading = "Patterns")]
    pub file: Vec<PathBuf>,

    /// Treat every pattern as a literal string, not a regex.
    #[arg(
        short = 'F',
        long,
        overrides_with = "no_fixed_strings",
        help_heading = "Patterns"
    )]
    pub fixed_strings: bool,

    /// Treat patterns as regexes again (the default).
    #[arg(long, overrides_with = "fixed_strings", hide = true)]
    pub no_fixed_strings: bool,

    /// Search case insensitively (Unicode simple case folding).
    #[arg(short = 'i', long, overrides_with_all = ["case_sensitive", "smart_case"], help_heading = "Patterns")]
    pub ignore_case: bool,

    /// Search case sensitively (the default; overrides -i and -S).
    #[arg(short = 's', long, overrides_with_all = ["ignore_case", "smart_case"], help_heading = "Patterns")]
    pub case_sensitive: bool,

    /// Search case insensitively when every literal character of the patterns is lowercase.
    #[arg(short = 'S', long, overrides_with_all = ["ignore_case", "case_sensitive"], help_heading = "Patterns")]
    pub smart_case: bool,

    /// Select only matches surrounded by word boundaries.
    #[arg(
        short = 'w',
        long,
        overrides_with = "line_regexp",
        help_heading = "Patterns"
    )]
    pub word_regexp: bool,

    /// Select only matches that span a whole line.
    #[arg(
        short = 'x',
        long,
        overrides_with = "word_regexp",
        help_heading = "Patterns"
    )]
    pub line_regexp: bool,

    /// Let matches span lines: `\n`, `\s` and `[^x]` can match a line break (`.` too, with
    /// --multiline-dotall). A file is searched whole, and every line a match touches is
    /// printed. It and --stop-on-nonmatch override each other: the last one given counts.
    #[arg(
        short = 'U',
        long,
        overrides_with_all = ["no_multiline", "stop_on_nonmatch"],
        help_heading = "Patterns"
    )]
    pub multiline: bool,

    /// Matches stay within a line (the default).
    #[arg(long, overrides_with = "multiline", hide = true)]
    pub no_multiline: bool,

    /// With -U, `.` matches a line break too.
    #[arg(
        long,
        overrides_with = "no_multiline_dotall",
        help_heading = "Patterns"
    )]
    pub multiline_dotall: bool,

    /// `.` does not match a line break (the default).
    #[arg(long, overrides_with = "multiline_dotall", hide = true)]
    pub no_multiline_dotall: bool,

    /// Treat CRLF as the line end: `$` matches before `\r\n`, `\r` is taken out of classes as
    /// `\n` is, and the lines mmgrep ends itself (counts, paths, -o, separators, coloured
    /// lines) end with `\r\n`.
    #[arg(
        long,
        overrides_with_all = ["no_crlf", "null_data"],
        help_heading = "Patterns"
    )]
    pub crlf: bool,

    /// Lines end with `\n` alone (the default).
    #[arg(long, overrides_with = "crlf", hide = true)]
    pub no_crlf: bool,

    /// Use NUL as the line terminator: records end at `\0` (`find -print0`, `mmgrep -0 -l`,
    /// binary files with very long lines). -n counts records; context, -m, -v, -c, -o and
    /// --json work per record; the lines mmgrep ends itself (counts, paths, -o matches,
    /// headings, separators) end with `\0`. Implies -a; NUL is taken out of classes (a
    /// literal NUL is refused), while `\n` may be matched inside a record. --crlf and
    /// --null-data override each other.
    #[arg(long, overrides_with = "crlf", help_heading = "Patterns")]
    pub null_data: bool,

    /// Turn off Unicode in patterns: `\w`, `\s`, `\b`, `.`, -i and -w work on ASCII bytes
    /// (`(?u)` turns it back on in a pattern); `\p{..}` classes are refused.
    #[arg(long, overrides_with = "unicode", help_heading = "Patterns")]
    pub no_unicode: bool,

    /// Unicode in patterns (the default).
    #[arg(long, overrides_with = "no_unicode", hide = true)]
    pub unicode: bool,

    /// Select the lines that do not match.
    #[arg(
        short = 'v',
        long,
        overrides_with = "no_invert_match",
        help_heading = "Patterns"
    )]
    pub invert_match: bool,

    /// Select matching lines again (the default).
    #[arg(long, overrides_with = "invert_match", hide = true)]
    pub no_invert_match: bool,

    /// Stop each file after NUM selected lines. With --reverse, the last NUM.
    #[arg(short = 'm', long, value_name = "NUM", help_heading = "Patterns")]
    pub max_count: Option<u64>,

    /// Search with PCRE2, which has look-around and backreferences (the same as --engine
    /// pcre2). Whether a line matches is decided on the line alone, as ripgrep decides it:
    /// look-around cannot reach the lines around it, and a pattern that needs a line break
    /// matches nothing.
    #[arg(short = 'P', long = "pcre2", help_heading = "Patterns")]
    pub pcre2: bool,

    /// Search with the default engine (undoes -P and --engine).
    #[arg(long, hide = true)]
    pub no_pcre2: bool,

    /// The regex engine: default, pcre2 (-P), or auto (the default engine, or PCRE2 for
    /// patterns it cannot compile). The last of -P, --no-pcre2 and --engine counts.
    #[arg(long, value_enum, value_name = "ENGINE", help_heading = "Patterns")]
    pub engine: Option<EngineChoice>,

    /// Deprecated: --engine auto.
    #[arg(long, hide = true)]
    pub auto_hybrid_regex: bool,

    /// Deprecated: --engine default.
    #[arg(long, hide = true)]
    pub no_auto_hybrid_regex: bool,

    /// Deprecated: --unicode.
    #[arg(long, hide = true, overrides_with = "no_pcre2_unicode")]
    pub pcre2_unicode: bool,

    /// Deprecated: --no-unicode.
    #[arg(long, hide = true, overrides_with = "pcre2_unicode")]
    pub no_pcre2_unicode: bool,

    /// Size limit of a compiled regex (K, M, G suffixes).
    #[arg(long, value_name = "SIZE", help_heading = "Patterns")]
    pub regex_size_limit: Option<String>,

    /// Size limit of the regex engine's lazy DFA cache (K, M, G suffixes).
    #[arg(long, value_name = "SIZE", help_heading = "Patterns")]
    pub dfa_size_limit: Option<String>,

    // ---- Output -----------------------------------------------------------------------
    /// Show line numbers (the default when stdout is a terminal).
    #[arg(
        short = 'n',
        long,
        overrides_with = "no_line_number",
        help_heading = "Output"
    )]
    pub line_number: bool,

    /// Do not show line numbers.
    #[arg(
        short = 'N',
        long,
        overrides_with = "line_number",
        help_heading = "Output"
    )]
    pub no_line_number: bool,

    /// Show the column (1-based byte offset in the line) of the first match.
    #[arg(long, overrides_with = "no_column", help_heading = "Output")]
    pub column: bool,

    /// Do not show columns.
    #[arg(long, overrides_with = "column", hide = true)]
    pub no_column: bool,

    /// Show the 0-based byte offset of each line (of each match with -o) in its file.
    #[arg(
        short = 'b',
        long,
        overrides_with = "no_byte_offset",
        help_heading = "Output"
    )]
    pub byte_offset: bool,

    /// Do not show byte offsets (the default).
    #[arg(long, overrides_with = "byte_offset", hide = true)]
    pub no_byte_offset: bool,

    /// Print the file path with every line (the default when more than one file may be
    /// searched).
    #[arg(
        short = 'H',
        long,
        overrides_with = "no_filename",
        help_heading = "Output"
    )]
    pub with_filename: bool,

    /// Never print file paths with lines.
    #[arg(
        short = 'I',
        long,
        overrides_with = "with_filename",
        help_heading = "Output"
    )]
    pub no_filename: bool,

    /// Print each file's path once above its lines (the default on a terminal).
    #[arg(long, overrides_with = "no_heading", help_heading = "Output")]
    pub heading: bool,

    /// Print the path on every line instead of above the lines.
    #[arg(long, overrides_with = "heading", help_heading = "Output")]
    pub no_heading: bool,

    /// Print only the matched parts of lines, each on its own line.
    #[arg(short = 'o', long, help_heading = "Output")]
    pub only_matching: bool,

    /// Print REPLACEMENT instead of each match ($1, ${1}, $name, ${name}, $$). Alone it
    /// only changes what is printed; with --in-place it rewrites the files.
    #[arg(
        short = 'r',
        long,
        value_name = "REPLACEMENT",
        allow_hyphen_values = true,
        help_heading = "Output"
    )]
    pub replace: Option<OsString>,

    /// Print the number of selected lines per file.
    #[arg(short = 'c', long, help_heading = "Output")]
    pub count: bool,

    /// Print the number of matches per file.
    #[arg(long, help_heading = "Output")]
    pub count_matches: bool,

    /// Print only the paths of files with a selected line.
    #[arg(short = 'l', long, help_heading = "Output")]
    pub files_with_matches: bool,

    /// Print only the paths of files without a selected line.
    #[arg(long, help_heading = "Output")]
    pub files_without_match: bool,

    /// Print nothing; exit 0 at the first selected line.
    #[arg(short = 'q', long, help_heading = "Output")]
    pub quiet: bool,

    /// Print results as JSON Lines in ripgrep's schema (begin, match, context, end, summary).
    #[arg(long, overrides_with = "no_json", help_heading = "Output")]
    pub json: bool,

    /// Print results as text (the default).
    #[arg(long, overrides_with = "json", hide = true)]
    pub no_json: bool,

    /// Print every match as PATH:LINE:COLUMN:LINE (one line per match), as vim's grepformat reads.
    #[arg(long, help_heading = "Output")]
    pub vimgrep: bool,

    /// Print statistics (matches, files, bytes, time) after the results.
    #[arg(long, overrides_with = "no_stats", help_heading = "Output")]
    pub stats: bool,

    /// Do not print statistics (the default).
    #[arg(long, overrides_with = "stats", hide = true)]
    pub no_stats: bool,

    /// With -c or --count-matches, also print files with a count of 0.
    #[arg(long, overrides_with = "no_include_zero", help_heading = "Output")]
    pub include_zero: bool,

    /// Leave files with a count of 0 out (the default).
    #[arg(long, overrides_with = "include_zero", hide = true)]
    pub no_include_zero: bool,

    /// Do not print error messages about files (they still set exit status 2).
    #[arg(long, overrides_with = "messages", help_heading = "Output")]
    pub no_messages: bool,

    /// Print error messages about files (the default).
    #[arg(long, overrides_with = "no_messages", hide = true)]
    pub messages: bool,

    /// Do not print messages about ignore files whose rules cannot be parsed.
    #[arg(long, overrides_with = "ignore_messages", help_heading = "Output")]
    pub no_ignore_messages: bool,

    /// Print messages about ignore files that cannot be parsed (the default).
    #[arg(long, overrides_with = "no_ignore_messages", hide = true)]
    pub ignore_messages: bool,

    /// Show NUM lines after each selected line.
    #[arg(short = 'A', long, value_name = "NUM", help_heading = "Output")]
    pub after_context: Option<usize>,

    /// Show NUM lines before each selected line.
    #[arg(short = 'B', long, value_name = "NUM", help_heading = "Output")]
    pub before_context: Option<usize>,

    /// Show NUM lines before and after each selected line.
    #[arg(short = 'C', long, value_name = "NUM", help_heading = "Output")]
    pub context: Option<usize>,

    /// Print every line: the unselected ones as context lines (`rg --passthru`; also
    /// --passthrough). The last of --passthru, -A, -B and -C wins. With -r, a sed-like
    /// substitution that prints the whole file.
    #[arg(long, visible_alias = "passthrough", help_heading = "Output")]
    pub passthru: bool,

    /// Stop reading a file at the first line not selected after a selected one (for files
    /// whose matches are known to sit together, such as sorted ones). Not with --in-place.
    /// It and -U override each other: the last one given counts.
    #[arg(
        long,
        conflicts_with = "in_place",
        overrides_with = "multiline",
        help_heading = "Output"
    )]
    pub stop_on_nonmatch: bool,

    /// The line printed between non-adjacent groups of context (default "--").
    #[arg(
        long,
        value_name = "SEPARATOR",
        help_heading = "Output",
        allow_hyphen_values = true
    )]
    pub context_separator: Option<String>,

    /// Print nothing between non-adjacent groups of context.
    #[arg(long, help_heading = "Output")]
    pub no_context_separator: bool,

    /// Print this byte in place of each `/` of a printed path (escapes such as \x5C are
    /// decoded; empty keeps `/`).
    #[arg(
        long,
        value_name = "SEPARATOR",
        help_heading = "Output",
        allow_hyphen_values = true
    )]
    pub path_separator: Option<String>,

    /// The bytes between a matching line's fields (path, line number, column, byte offset,
    /// line), default ":"; escapes such as \t or \x7F are decoded.
    #[arg(
        long,
        value_name = "SEPARATOR",
        help_heading = "Output",
        allow_hyphen_values = true
    )]
    pub field_match_separator: Option<String>,

    /// The bytes between a context line's fields, default "-"; escapes are decoded.
    #[arg(
        long,
        value_name = "SEPARATOR",
        help_heading = "Output",
        allow_hyphen_values = true
    )]
    pub field_context_separator: Option<String>,

    /// Omit lines longer than NUM bytes (their terminator counts), printing a note in their
    /// place (with the line's number of matches when they are found: colours, --column, -r,
    /// --vimgrep, --stats), or with --max-columns-preview their first NUM characters. 0 (the
    /// default) means no limit.
    #[arg(short = 'M', long, value_name = "NUM", help_heading = "Output")]
    pub max_columns: Option<u64>,

    /// With -M, print the first NUM characters (graphemes) of a long line and how many
    /// matches were left out.
    #[arg(
        long,
        overrides_with = "no_max_columns_preview",
        help_heading = "Output"
    )]
    pub max_columns_preview: bool,

    /// Omit long lines entirely under -M (the default).
    #[arg(long, overrides_with = "max_columns_preview", hide = true)]
    pub no_max_columns_preview: bool,

    /// Strip the ASCII whitespace at the start of every printed line (or match, with -o).
    #[arg(long, overrides_with = "no_trim", help_heading = "Output")]
    pub trim: bool,

    /// Do not strip leading whitespace (the default).
    #[arg(long, overrides_with = "trim", hide = true)]
    pub no_trim: bool,

    /// Alias for --color always --heading --line-number (a later flag can undo one of them).
    #[arg(short = 'p', long, help_heading = "Output")]
    pub pretty: bool,

    /// When to colour output: never, auto (when stdout is a terminal and NO_COLOR is
    /// unset), always, ansi.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value = "auto",
        help_heading = "Output"
    )]
    pub color: ColorChoice,

    /// Change a colour: `{type}:{attribute}:{value}` with type path, line, column, match or
    /// highlight (the rest of a line with matches; off by default), attribute fg, bg or style; a colour is black, blue, green, red, cyan, magenta,
    /// yellow, white, a number 0-255 or r,g,b; a style is bold, intense, underline, italic
    /// or one of them with "no" before it. `{type}:none` clears a type. May be repeated, e.g.
    /// `--colors match:fg:blue --colors match:style:nobold`.
    #[arg(long, value_name = "SPEC", action = ArgAction::Append, help_heading = "Output")]
    pub colors: Vec<String>,

    /// Make printed paths hyperlinks (OSC 8) of FORMAT, when colours are on: an alias
    /// (default, none, cursor, file, grep+, kitty, macvim, textmate, vscode,
    /// vscode-insiders, vscodium) or a format such as `file://{host}{path}#{line}`.
    ///
    /// A format starts with a URL scheme and holds {path} (the file's absolute path,
    /// percent-encoded); {line} and {column} (1 when there is none; {column} needs
    /// {line}), {host} (the host name, see --hostname-bin) and {wslprefix} (`wsl$/` and
    /// $WSL_DISTRO_NAME, or nothing) are optional; `{{` and `}}` are literal braces. `default`
    /// is `file://{host}{path}`; `none` or "" turns hyperlinks off (the default). As in
    /// ripgrep, paths are linked wherever they are printed (not in --json), and under
    /// --heading a format with {line} also links each line's number.
    #[arg(
        long,
        value_name = "FORMAT",
        help_heading = "Output",
        value_parser = OfferingParser(crate::output::hyperlink::alias_names),
        hide_possible_values = true
    )]
    pub hyperlink_format: Option<String>,

    /// Run COMMAND (no arguments) for the host name of --hyperlink-format's {host}: its
    /// output with surrounding whitespace stripped. When it fails or prints nothing, the
    /// system's host name is used (as without this flag).
    #[arg(long, value_name = "COMMAND", help_heading = "Output", value_hint = clap::ValueHint::CommandName)]
    pub hostname_bin: Option<PathBuf>,

    /// Follow every printed path with a NUL byte instead of ':' or a newline.
    #[arg(short = '0', long, help_heading = "Output")]
    pub null: bool,

    /// Flush output after every line, also when stdout is not a terminal (the default on a
    /// terminal): `tail -f log | mmgrep ERROR | other` sees each line as it comes.
    #[arg(long, overrides_with_all = ["block_buffered", "no_line_buffered"], help_heading = "Output")]
    pub line_buffered: bool,

    /// Undo --line-buffered: buffering follows the terminal again (the default).
    #[arg(long, overrides_with = "line_buffered", hide = true)]
    pub no_line_buffered: bool,

    /// Buffer output in blocks, also on a terminal (the default when stdout is not one).
    #[arg(long, overrides_with_all = ["line_buffered", "no_block_buffered"], help_heading = "Output")]
    pub block_buffered: bool,

    /// Undo --block-buffered: buffering follows the terminal again (the default).
    #[arg(long, overrides_with = "block_buffered", hide = true)]
    pub no_block_buffered: bool,

    /// Print the files that would be searched, without searching them.
    #[arg(long, help_heading = "Output")]
    pub files: bool,

    /// Print the known file types and their globs.
    #[arg(long, help_heading = "Output")]
    pub type_list: bool,

    /// Output order: path (the default: as `rg --sort path`), none, or by a file's time:
    /// modified, accessed, created (oldest first). The last of --sort, --sortr and
    /// --sort-files wins.
    ///
    /// A sort by time waits for the whole walk and stats every file first; files whose
    /// time cannot be read come last, and files of equal times keep path order.
    #[arg(
        long,
        value_enum,
        value_name = "SORTBY",
        default_value = "path",
        help_heading = "Output"
    )]
    pub sort: SortBy,

    /// Output order, descending: path (every file of the run sorted by path, last first,
    /// once the walk is over), none, or modified, accessed, created (newest first; files
    /// whose time cannot be read come first). The last of --sort, --sortr and --sort-files
    /// wins.
    #[arg(long, value_enum, value_name = "SORTBY", help_heading = "Output")]
    pub sortr: Option<SortBy>,

    /// (Deprecated) --sort path, as in ripgrep.
    #[arg(long, help_heading = "Output")]
    pub sort_files: bool,

    /// --sort none, as ripgrep's negation of --sort-files.
    #[arg(long, hide = true)]
    pub no_sort_files: bool,

    /// Print each file's selected lines last first (with -m NUM: the last NUM), searching
    /// from the end of the file.
    #[arg(long, help_heading = "Output")]
    pub reverse: bool,

    // ---- Replace ----------------------------------------------------------------------
    /// With -r: write the replacements into the files (equal length only; checked for the
    /// whole run before the first write; journaled; see --recover).
    #[arg(long, requires = "replace", help_heading = "Replace")]
    pub in_place: bool,

    /// With -r --in-place: print what would change as a unified diff and write nothing.
    #[arg(long, requires = "in_place", help_heading = "Replace")]
    pub dry_run: bool,

    /// Roll back (or complete) what an interrupted --in-place run left behind, under PATHs
    /// (default: the current directory), and say what was done.
    #[arg(long, help_heading = "Replace")]
    pub recover: bool,

    // ---- Files ------------------------------------------------------------------------
    /// Search the paths listed in LIST, one per line ('-' reads stdin), in list order
    /// (unless --sortr or a sort by time asks for another).
    ///
    /// Each line is a path, byte for byte (use --files0-from for names with newlines); blank
    /// lines are skipped. A listed path is treated as if it was named on the command line: a
    /// file is searched whatever -g, -t or ignore files say, a directory is walked with
    /// them. A listed path that cannot be read is reported (exit status 2) and the rest is
    /// searched. No PATH argument may be given with a list. With --files, the listed paths
    /// are printed.
    #[arg(
        long,
        value_name = "LIST",
        help_heading = "Files",
        conflicts_with = "files0_from"
    )]
    pub files_from: Option<PathBuf>,

    /// Like --files-from, with the paths separated by NUL bytes, as `find -print0`, `git
    /// ls-files -z` and `mmgrep --files -0` write them (GNU coreutils' option of that name).
    #[arg(long, value_name = "LIST", help_heading = "Files")]
    pub files0_from: Option<PathBuf>,

    /// Search hidden files and directories.
    #[arg(
        short = '.',
        long,
        overrides_with = "no_hidden",
        help_heading = "Files"
    )]
    pub hidden: bool,

    /// Skip hidden files and directories (the default).
    #[arg(long, overrides_with = "hidden", hide = true)]
    pub no_hidden: bool,

    /// Do not honour ignore files: implies --no-ignore-dot, --no-ignore-vcs,
    /// --no-ignore-exclude, --no-ignore-global and --no-ignore-parent.
    ///
    /// Each of those can be turned back on after it (`--no-ignore --ignore-vcs`); --ignore
    /// turns them all back on. --ignore-file files still apply (see --no-ignore-files).
    #[arg(long, overrides_with = "ignore", help_heading = "Files")]
    pub no_ignore: bool,

    /// Honour ignore files (the default): undoes an earlier --no-ignore or -u.
    #[arg(long, overrides_with = "no_ignore", hide = true)]
    pub ignore: bool,

    /// Do not honour .ignore and .rgignore files.
    #[arg(long, overrides_with = "ignore_dot", help_heading = "Files")]
    pub no_ignore_dot: bool,

    /// Honour .ignore and .rgignore files (the default).
    #[arg(long, overrides_with = "no_ignore_dot", hide = true)]
    pub ignore_dot: bool,

    /// Do not honour version-control ignore files: .gitignore, .git/info/exclude and git's
    /// global excludes file.
    #[arg(long, overrides_with = "ignore_vcs", help_heading = "Files")]
    pub no_ignore_vcs: bool,

    /// Honour version-control ignore files (the default).
    #[arg(long, overrides_with = "no_ignore_vcs", hide = true)]
    pub ignore_vcs: bool,

    /// Do not honour .git/info/exclude.
    #[arg(long, overrides_with = "ignore_exclude", help_heading = "Files")]
    pub no_ignore_exclude: bool,

    /// Honour .git/info/exclude (the default).
    #[arg(long, overrides_with = "no_ignore_exclude", hide = true)]
    pub ignore_exclude: bool,

    /// Do not honour git's global excludes file (core.excludesFile, by default
    /// $XDG_CONFIG_HOME/git/ignore or $HOME/.config/git/ignore).
    #[arg(long, overrides_with = "ignore_global", help_heading = "Files")]
    pub no_ignore_global: bool,

    /// Honour git's global excludes file (the default).
    #[arg(long, overrides_with = "no_ignore_global", hide = true)]
    pub ignore_global: bool,

    /// Do not honour the ignore files in the directories above each PATH.
    #[arg(long, overrides_with = "ignore_parent", help_heading = "Files")]
    pub no_ignore_parent: bool,

    /// Honour the ignore files above each PATH (the default).
    #[arg(long, overrides_with = "no_ignore_parent", hide = true)]
    pub ignore_parent: bool,

    /// Also honour the rules of PATH, a file in gitignore format; may be repeated.
    ///
    /// Its rules are matched against paths relative to the current directory and rank below
    /// every other ignore file (a later --ignore-file outranks an earlier one). They apply
    /// inside and outside git repositories, and with --no-ignore; --no-ignore-files drops
    /// them. A file that cannot be read is reported and the search goes on.
    #[arg(long, value_name = "PATH", action = ArgAction::Append, help_heading = "Files")]
    pub ignore_file: Vec<PathBuf>,

    /// Do not honour --ignore-file files, wherever they are given.
    #[arg(long, overrides_with = "ignore_files", help_heading = "Files")]
    pub no_ignore_files: bool,

    /// Honour --ignore-file files (the default).
    #[arg(long, overrides_with = "no_ignore_files", hide = true)]
    pub ignore_files: bool,

    /// Honour .gitignore, .git/info/exclude and git's global excludes outside git
    /// repositories too.
    ///
    /// By default their rules count only inside a repository (a directory holding .git or
    /// .jj, there or above), and the rules above a repository's root do not reach into it;
    /// with this flag no repository is looked for and every level's rules count.
    #[arg(long, overrides_with = "require_git", help_heading = "Files")]
    pub no_require_git: bool,

    /// Honour git's ignore files only inside git repositories (the default).
    #[arg(long, overrides_with = "no_require_git", hide = true)]
    pub require_git: bool,

    /// Match the rules of ignore files (.gitignore, .ignore, .rgignore, the excludes files)
    /// case insensitively; --ignore-file files stay case sensitive, as in ripgrep.
    #[arg(
        long,
        overrides_with = "no_ignore_file_case_insensitive",
        help_heading = "Files"
    )]
    pub ignore_file_case_insensitive: bool,

    /// Match the rules of ignore files case sensitively (the default).
    #[arg(long, overrides_with = "ignore_file_case_insensitive", hide = true)]
    pub no_ignore_file_case_insensitive: bool,

    /// -u: --no-ignore; -uu: also --hidden; -uuu: also --binary.
    #[arg(short = 'u', long = "unrestricted", action = ArgAction::Count, help_heading = "Files")]
    pub unrestricted: u8,

    /// Include (or with a leading '!', exclude) paths matching GLOB; may be repeated.
    #[arg(short = 'g', long = "glob", value_name = "GLOB", action = ArgAction::Append,
          allow_hyphen_values = true, help_heading = "Files")]
    pub glob: Vec<String>,

    /// Like -g, matched case insensitively.
    #[arg(long = "iglob", value_name = "GLOB", action = ArgAction::Append,
          allow_hyphen_values = true, help_heading = "Files")]
    pub iglob: Vec<String>,

    /// Match every -g glob case insensitively, as --iglob.
    #[arg(
        long,
        overrides_with = "no_glob_case_insensitive",
        help_heading = "Files"
    )]
    pub glob_case_insensitive: bool,

    /// Match -g globs case sensitively (the default).
    #[arg(long, overrides_with = "glob_case_insensitive", hide = true)]
    pub no_glob_case_insensitive: bool,

    /// Search only files of TYPE (see --type-list); may be repeated.
    #[arg(short = 't', long = "type", value_name = "TYPE", action = ArgAction::Append, help_heading = "Files",
          value_parser = OfferingParser(type_names), hide_possible_values = true)]
    pub type_: Vec<String>,

    /// Do not search files of TYPE (see --type-list); may be repeated.
    #[arg(short = 'T', long = "type-not", value_name = "TYPE", action = ArgAction::Append, help_heading = "Files",
          value_parser = OfferingParser(type_names), hide_possible_values = true)]
    pub type_not: Vec<String>,

    /// Add a glob to a file type: TYPESPEC is NAME:GLOB (`foo:*.foo`) or
    /// NAME:include:TYPE,TYPE... (`src:include:cpp,py`); may be repeated.
    ///
    /// Globs add to the type's own unless --type-clear cleared it before; names are Unicode
    /// letters and numbers. The changes apply in order, to -t, -T and --type-list.
    #[arg(long, value_name = "TYPESPEC", action = ArgAction::Append, help_heading = "Files")]
    pub type_add: Vec<String>,

    /// Forget the globs of TYPE (globs added after it still count); may be repeated.
    #[arg(long, value_name = "TYPE", action = ArgAction::Append, help_heading = "Files",
          value_parser = OfferingParser(type_names), hide_possible_values = true)]
    pub type_clear: Vec<String>,

    /// Follow symbolic links.
    #[arg(
        short = 'L',
        long,
        overrides_with = "no_follow",
        help_heading = "Files"
    )]
    pub follow: bool,

    /// Do not follow symbolic links (the default).
    #[arg(long, overrides_with = "follow", hide = true)]
    pub no_follow: bool,

    /// Do not enter directories on another file system than the PATH they were found
    /// under (each PATH is searched, wherever it is), as find's -xdev.
    #[arg(long, overrides_with = "no_one_file_system", help_heading = "Files")]
    pub one_file_system: bool,

    /// Cross file system boundaries (the default).
    #[arg(long, overrides_with = "one_file_system", hide = true)]
    pub no_one_file_system: bool,

    /// Descend at most NUM directories below each PATH.
    #[arg(
        short = 'd',
        long,
        alias = "maxdepth",
        value_name = "NUM",
        help_heading = "Files"
    )]
    pub max_depth: Option<usize>,

    /// Skip files larger than SIZE (K, M, G suffixes).
    #[arg(long, value_name = "SIZE", help_heading = "Files")]
    pub max_filesize: Option<String>,

    /// Search binary files as text.
    #[arg(short = 'a', long, overrides_with = "no_text", help_heading = "Files")]
    pub text: bool,

    /// Detect binary files again (the default).
    #[arg(long, overrides_with = "text", hide = true)]
    pub no_text: bool,

    /// Search binary files found by walking too, as files named on the command line are: a
    /// NUL no longer ends the file; the search stops at its first match with a "binary file
    /// matches" notice. -a/--text and --binary: the last one given counts.
    #[arg(long, help_heading = "Files")]
    pub binary: bool,

    /// Walked binary files stop at their first NUL (the default).
    #[arg(long, hide = true)]
    pub no_binary: bool,

    /// Decode every file from ENCODING to UTF-8 before searching it: a WHATWG label
    /// (utf-8, utf-16le, utf-16be, latin1, windows-1252, shift_jis, euc-jp, gbk, big5...),
    /// auto or none.
    ///
    /// auto (the default) drops a UTF-8 byte-order mark and transcodes UTF-16 that starts
    /// with one; any other file is searched as its raw bytes. none searches the raw bytes
    /// of every file, a byte-order mark included. With a label, a UTF-16 byte-order mark
    /// still wins over it and a UTF-8 one is dropped; input invalid in the encoding becomes
    /// U+FFFD. Byte offsets (-b, --json), columns and bytes searched (--stats) are those of
    /// the UTF-8 text. --no-encoding restores auto.
    #[arg(short = 'E', long, value_name = "ENCODING", action = ArgAction::Append,
          help_heading = "Files")]
    pub encoding: Vec<String>,

    /// Decode files as auto does (the default): undoes -E.
    #[arg(long, hide = true)]
    pub no_encoding: bool,

    /// Search compressed files: a file whose name ends in .gz or .tgz (gzip), .bz2 or .tbz2
    /// (bzip2), .xz or .txz (xz), .lz4, .lzma (xz), .br (brotli), .zst or .zstd (zstd) or .Z
    /// (uncompress) is searched as that program's output, `PROGRAM -d -c PATH`.
    ///
    /// The programs must be on PATH; when one cannot be started, the file's own bytes are
    /// searched without a word (as ripgrep does). A program that fails is reported with what
    /// it wrote on stderr (exit status 2), after the lines found before. stdin is never
    /// decompressed. -z and --pre: the last one given wins; --no-search-zip undoes -z.
    /// With --in-place, a compressed file whose text has a match is refused.
    #[arg(short = 'z', long, help_heading = "Files")]
    pub search_zip: bool,

    /// Do not search compressed files as their contents (the default).
    #[arg(long, hide = true)]
    pub no_search_zip: bool,

    /// Search the output of `COMMAND PATH` (with the file on its stdin) instead of each
    /// file's bytes.
    ///
    /// COMMAND is a path or a program on PATH, started once per file: --pre-glob limits it
    /// to some files. A COMMAND that cannot be started, or that exits with a failure, is
    /// reported for the file with what it wrote on stderr (exit status 2). stdin is never
    /// preprocessed. An empty COMMAND or --no-pre turns it off; --pre and -z: the last one
    /// given wins. With --in-place, a file whose preprocessed text has a match is refused.
    #[arg(long, value_name = "COMMAND", action = ArgAction::Append, help_heading = "Files",
          value_hint = clap::ValueHint::CommandName)]
    pub pre: Vec<OsString>,

    /// Search every file's own bytes (the default): undoes --pre.
    #[arg(long, hide = true)]
    pub no_pre: bool,

    /// Send only the files matching GLOB through --pre (gitignore syntax, relative to the
    /// current directory; a leading ! excludes); may be repeated.
    #[arg(long, value_name = "GLOB", action = ArgAction::Append, allow_hyphen_values = true,
          help_heading = "Files")]
    pub pre_glob: Vec<String>,

    // ---- Engine -----------------------------------------------------------------------
    /// Number of worker threads (default: the number of cores).
    #[arg(short = 'j', long, value_name = "NUM", help_heading = "Engine")]
    pub threads: Option<usize>,

    /// When to memory-map files: auto, always, never.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value = "auto",
        overrides_with = "no_mmap",
        help_heading = "Engine"
    )]
    pub mmap: MmapChoice,

    /// Never memory-map files (ripgrep's spelling of --mmap never).
    #[arg(long, overrides_with = "mmap", help_heading = "Engine")]
    pub no_mmap: bool,

    /// Size of the chunks a large file is split into for the workers (K, M suffixes; a
    /// multiple of the page size).
    #[arg(long, value_name = "SIZE", help_heading = "Engine")]
    pub chunk_size: Option<String>,

    // ---- Logging ----------------------------------------------------------------------
    /// Show debug messages on stderr: why each path the walk skips is skipped (the ignore
    /// rule and its file, hidden, too large...), how the patterns are searched, how a large
    /// file is split. For bug reports and for "why was this file not searched?".
    #[arg(long, overrides_with = "trace", help_heading = "Logging")]
    pub debug: bool,

    /// Show trace messages: --debug and more detail (every file as it is searched).
    #[arg(long, overrides_with = "debug", help_heading = "Logging")]
    pub trace: bool,

    // ---- Other ------------------------------------------------------------------------
    /// Ignore the config file named by MMGREP_CONFIG_PATH.
    ///
    /// That file holds default arguments, one per line, read before the command line's
    /// own; blank lines and lines starting with '#' are skipped.
    #[arg(long, help_heading = "Other")]
    pub no_config: bool,

    /// Print the version of PCRE2 that -P uses, and whether its JIT is available, and exit.
    #[arg(long, help_heading = "Other")]
    pub pcre2_version: bool,

    /// Print the man page or a shell completion script and exit (see the README for where
    /// each goes).
    #[arg(long, value_enum, value_name = "KIND", help_heading = "Other")]
    pub generate: Option<Generate>,
}

impl Args {
    /// Parses `argv` (including the program name).
    pub fn parse_from_os<I, T>(argv: I) -> Result<Args, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        Args::try_parse_from(argv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Args::command().debug_assert();
    }

    #[test]
    fn last_case_flag_wins() {
        let a = Args::parse_from_os(["mmgrep", "-i", "-s", "x"]).unwrap();
        assert!(a.case_sensitive && !a.ignore_case);
        let a = Args::parse_from_os(["mmgrep", "-s", "-S", "x"]).unwrap();
        assert!(a.smart_case && !a.case_sensitive);
    }

    #[test]
    fn engine_flags_parse() {
        let a =
            Args::parse_from_os(["mmgrep", "-P", "--engine", "auto", "--no-pcre2", "x"]).unwrap();
        assert!(a.pcre2 && a.no_pcre2);
        assert_eq!(a.engine, Some(EngineChoice::Auto));
        assert!(Args::parse_from_os(["mmgrep", "--engine", "pcre", "x"]).is_err());
    }
}
