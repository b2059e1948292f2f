//! The resolved configuration: what the command line means once patterns are read and
//! compiled, defaults that depend on the terminal are settled, and every value is checked.
//! Errors here are the user's to fix, and say how.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::chunk::page_size;
use crate::cli::{Args, ColorChoice, EngineChoice, MmapChoice, SortBy};
use crate::input::{Encoding, Filters};
use crate::matcher::{CaseMode, Engine, Matcher, MatcherOptions, PatternError};
use crate::output::hyperlink::{self, Format, Hyperlinks};
use crate::output::{Mode, OutputConfig};
use crate::search::SearchOptions;
use crate::template::Template;
use crate::walk::{FileTime, RunOrder, TypeChange, WalkOptions};
use std::os::unix::ffi::OsStrExt;

/// Default chunk size for splitting large files among workers (chosen by benchmark, see
/// benches/ and the README).
pub const DEFAULT_CHUNK_SIZE: usize = 4 << 20;
/// Files at or above this size are mapped under `--mmap auto`; smaller ones are read.
pub const DEFAULT_MMAP_THRESHOLD: u64 = 1 << 20;

/// An error in what the user asked for.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Pattern(#[from] PatternError),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {reason}")]
    PatternFile { path: String, reason: String },
}

/// What the run does.
#[derive(Debug)]
pub enum Command {
    Search(Box<Config>),
    /// `--files`: list what would be searched.
    Files(Box<Config>),
    /// `-r REPL --in-place [--dry-run]`.
    Replace(Box<Config>),
    /// `--recover [PATH...]`.
    Recover(Vec<OsString>),
    /// `--generate KIND`.
    Generate(crate::cli::Generate),
    /// `--type-list`: the listing to print (with --type-add and --type-clear applied).
    TypeList(String),
    /// `--pcre2-version`: the line to print.
    Pcre2Version(String),
}

/// Where the haystack list comes from instead of a walk (`--files-from`, `--files0-from`).
#[derive(Clone, Debug)]
pub struct FileList {
    pub path: std::path::PathBuf,
    /// The byte that ends each path: `\n` or NUL.
    pub terminator: u8,
}

/// The resolved configuration of a search.
#[derive(Debug)]
pub struct Config {
    pub matcher: Arc<Matcher>,
    pub search: SearchOptions,
    pub output: Arc<OutputConfig>,
    pub walk: WalkOptions,
    /// The paths to walk (empty when stdin is searched alone).
    pub paths: Vec<OsString>,
    /// No path was given (so `./` is stripped and "no files searched" is reported).
    pub implicit_path: bool,
    /// No path was given and stdin is a file or a pipe: stdin is searched (alone). A `-`
    /// among the paths searches it too: see [`Config::reads_stdin`].
    pub search_stdin: bool,
    pub threads: usize,
    pub mmap: MmapChoice,
    pub chunk_size: usize,
    pub mmap_threshold: u64,
    pub reverse: bool,
    /// `-a`: no binary detection.
    pub text: bool,
    /// `--binary` (or -uuu): walked files follow the rules of named ones, a NUL no longer
    /// ends them.
    pub search_binary: bool,
    /// ripgrep would map explicit files (at most 10 paths, all regular files): explicit files
    /// follow its mapped-file binary rules, else its reader rules.
    pub rg_maps_explicit: bool,
    /// Stop the whole run at the first match (-q without --stats).
    pub quit_after_match: bool,
    pub stats: bool,
    /// Nothing can match (no pattern without -v, or -m 0): search nothing.
    pub nothing_to_match: bool,
    /// `--files-from` / `--files0-from`: search the listed paths instead of walking.
    pub file_list: Option<FileList>,
    /// `--dry-run` (with --in-place).
    pub dry_run: bool,
    /// `--json -q`: print nothing but the JSON summary line.
    pub json_summary: bool,
    /// `-E/--encoding`: how each haystack's bytes are decoded.
    pub encoding: Encoding,
    /// `-z`, `--pre`, `--pre-glob`: which haystacks are searched through a program.
    pub filters: Filters,
    /// `--passthru` won over -A/-B/-C, whatever the output mode (`search.passthru` is set
    /// only where lines are printed): ripgrep's searcher then takes its line-by-line path,
    /// which stops where -l or -q has its answer even under -v.
    pub passthru: bool,
}

impl Config {
    /// True when stdin is among the haystacks: searched for want of a path, or named `-`.
    pub fn reads_stdin(&self) -> bool {
        self.search_stdin || self.paths.iter().any(|p| p == "-")
    }
}

/// Parses a size with an optional K, M or G suffix (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.as_bytes().last() {
        Some(b'K' | b'k') => (&t[..t.len() - 1], 1u64 << 10),
        Some(b'M' | b'm') => (&t[..t.len() - 1], 1u64 << 20),
        Some(b'G' | b'g') => (&t[..t.len() - 1], 1u64 << 30),
        _ => (t, 1),
    };
    let n: u64 = num.parse().map_err(|_| {
        format!("invalid size '{s}': expected a number with an optional K, M or G suffix")
    })?;
    n.checked_mul(mult)
        .ok_or_else(|| format!("size '{s}' is too large"))
}

/// Decodes the escapes ripgrep accepts in separators: \t \n \r \0 \\ and \xHH.
pub fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let simple = match b[i + 1] {
            b'n' => Some(b'\n'),
            b't' => Some(b'\t'),
            b'r' => Some(b'\r'),
            b'0' => Some(0),
            b'\\' => Some(b'\\'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            i += 2;
            continue;
        }
        if b[i + 1] == b'x'
            && i + 4 <= b.len()
            && b[i + 2..i + 4].iter().all(u8::is_ascii_hexdigit)
            && let Some(v) = std::str::from_utf8(&b[i + 2..i + 4])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 4;
            continue;
        }
        out.push(b'\\');
        i += 1;
    }
    out
}

/// True when stdin is something to search: a file, a pipe or a socket (not a terminal, not
/// /dev/null or another character device, not closed).
pub fn stdin_is_readable() -> bool {
    let Ok(meta) = std::fs::metadata("/dev/stdin") else {
        return false;
    };
    let ft = meta.file_type();
    ft.is_file() || ft.is_fifo() || ft.is_socket()
}

/// Positions of a repeated flag's values on the command line.
fn indices(m: &ArgMatches, id: &str) -> Vec<usize> {
    m.indices_of(id).map(|i| i.collect()).unwrap_or_default()
}

/// The flags that choose the output mode, by clap id: the last one given wins (and over
/// --files, which is a mode too).
const MODE_FLAGS: [(&str, Mode); 5] = [
    ("count", Mode::Count),
    ("count_matches", Mode::CountMatches),
    ("files_with_matches", Mode::FilesWithMatches),
    ("files_without_match", Mode::FilesWithoutMatch),
    ("json", Mode::Json),
];

fn last_index(m: &ArgMatches, id: &str) -> Option<usize> {
    if m.value_source(id) != Some(clap::parser::ValueSource::CommandLine) {
        return None;
    }
    m.indices_of(id).and_then(|i| i.max())
}

/// The regex engine: the last of -P, --no-pcre2, --engine and the deprecated
/// --[no-]auto-hybrid-regex counts (ripgrep's rule).
fn engine_choice(args: &Args, m: &ArgMatches) -> Result<Engine, ConfigError> {
    let engine = match args.engine {
        Some(EngineChoice::Default) | None => Engine::Default,
        Some(EngineChoice::Pcre2) => Engine::Pcre2,
        Some(EngineChoice::Auto) => Engine::Auto,
    };
    let mut best = (last_index(m, "engine"), engine);
    for (id, e) in [
        ("pcre2", Engine::Pcre2),
        ("no_pcre2", Engine::Default),
        ("auto_hybrid_regex", Engine::Auto),
        ("no_auto_hybrid_regex", Engine::Default),
    ] {
        if let Some(i) = last_index(m, id)
            && best.0.is_none_or(|b| i > b)
        {
            best = (Some(i), e);
        }
    }
    Ok(best.1)
}

/// The ignore sources `--no-X` and `--X` switch, by clap id: dot, vcs, exclude, global,
/// parent.
const IGNORE_SOURCES: [(&str, &str); 5] = [
    ("no_ignore_dot", "ignore_dot"),
    ("no_ignore_vcs", "ignore_vcs"),
    ("no_ignore_exclude", "ignore_exclude"),
    ("no_ignore_global", "ignore_global"),
    ("no_ignore_parent", "ignore_parent"),
];

/// The matches to read flags' positions from, and the position of each `-u` in them
/// (ripgrep gives the first, second and third a meaning of their own, each at its place
/// among the other flags). clap keeps the position of the last -u only (a count): with
/// two or more, the command line is parsed again keeping every -u, and all positions are
/// then read from that parse (the two number positions differently).
fn u_positions(m: ArgMatches, argv: &[OsString]) -> (ArgMatches, Vec<usize>) {
    if m.get_count("unrestricted") >= 2
        && let Ok(r) = Args::command()
            .mut_arg("unrestricted", |a| {
                a.action(clap::ArgAction::Append)
                    .num_args(0)
                    .default_missing_value("1")
                    .value_parser(clap::value_parser!(u8))
            })
            .try_get_matches_from(argv)
    {
        let at = indices(&r, "unrestricted");
        return (r, at);
    }
    let at = last_index(&m, "unrestricted").into_iter().collect();
    (m, at)
}

/// The value of the last of `(position, value)` given on the command line, if any.
fn last_given<const N: usize>(given: [(Option<usize>, bool); N]) -> Option<bool> {
    given
        .into_iter()
        .filter_map(|(at, value)| Some((at?, value)))
        .max_by_key(|&(at, _)| at)
        .map(|(_, value)| value)
}

/// Which ignore sources are off, in [`IGNORE_SOURCES`]' order. In ripgrep each flag sets
/// sources in turn: `--no-X` and `--X` their own, `--no-ignore` and `--ignore` all five, the
/// first `-u` is `--no-ignore` (a second and third add --hidden and --binary); per source,
/// the last of them on the command line decides.
fn ignore_sources_off(m: &ArgMatches, u_at: &[usize]) -> [bool; 5] {
    let first_u = u_at.first().copied();
    IGNORE_SOURCES.map(|(off, on)| {
        last_given([
            (last_index(m, off), true),
            (last_index(m, on), false),
            (last_index(m, "no_ignore"), true),
            (last_index(m, "ignore"), false),
            (first_u, true),
        ])
        .unwrap_or(false)
    })
}

/// `-t`, `-T`, `--type-add` and `--type-clear` in command-line order (ripgrep applies them
/// in turn: a clear drops the globs added before it, not those after; of two selections
/// matching a file, the later one decides).
fn type_changes(args: &Args, m: &ArgMatches) -> Vec<TypeChange> {
    let mut changes: Vec<(usize, TypeChange)> = Vec::new();
    for (i, at) in indices(m, "type_").into_iter().enumerate() {
        changes.push((at, TypeChange::Select(args.type_[i].clone())));
    }
    for (i, at) in indices(m, "type_not").into_iter().enumerate() {
        changes.push((at, TypeChange::Negate(args.type_not[i].clone())));
    }
    for (i, at) in indices(m, "type_add").into_iter().enumerate() {
        changes.push((at, TypeChange::Add(args.type_add[i].clone())));
    }
    for (i, at) in indices(m, "type_clear").into_iter().enumerate() {
        changes.push((at, TypeChange::Clear(args.type_clear[i].clone())));
    }
    changes.sort_by_key(|&(at, _)| at);
    changes.into_iter().map(|(_, c)| c).collect()
}

/// `-E/--encoding` and `--no-encoding`: every `-E` value must be known (ripgrep checks each
/// one as it parses it, even one a later flag undoes); the last of the flags decides.
fn resolve_encoding(args: &Args, m: &ArgMatches) -> Result<Encoding, ConfigError> {
    let mut last = None;
    for (label, at) in args.encoding.iter().zip(indices(m, "encoding")) {
        let enc = Encoding::from_label(label).ok_or_else(|| {
            ConfigError::Usage(format!(
                "unknown encoding '{label}' (-E/--encoding): give a WHATWG label (such as \
                 utf-8, utf-16le, latin1 or shift_jis), auto or none"
            ))
        })?;
        last = Some((at, enc));
    }
    Ok(match last {
        Some((at, enc)) if last_index(m, "no_encoding").is_none_or(|n| n < at) => enc,
        _ => Encoding::Auto,
    })
}

/// `-z`, `--no-search-zip`, `--pre`, `--no-pre` and `--pre-glob`, as ripgrep sets them in
/// command-line order: `--pre COMMAND` turns `-z` off, `-z` turns `--pre` off, an empty
/// COMMAND or `--no-pre` turns `--pre` off alone, `--no-search-zip` turns `-z` off alone.
fn resolve_filters(args: &Args, m: &ArgMatches) -> Result<Filters, ConfigError> {
    // (position, sets pre to, sets zip to); None leaves a setting alone.
    type Step = (usize, Option<Option<PathBuf>>, Option<bool>);
    let mut steps: Vec<Step> = Vec::new();
    for (pre, at) in args.pre.iter().zip(indices(m, "pre")) {
        if pre.is_empty() {
            steps.push((at, Some(None), None));
        } else {
            steps.push((at, Some(Some(PathBuf::from(pre))), Some(false)));
        }
    }
    // clap keeps a switch's last position only: enough, since a later one repeats it.
    if let Some(at) = last_index(m, "no_pre") {
        steps.push((at, Some(None), None));
    }
    if let Some(at) = last_index(m, "search_zip") {
        steps.push((at, Some(None), Some(true)));
    }
    if let Some(at) = last_index(m, "no_search_zip") {
        steps.push((at, None, Some(false)));
    }
    steps.sort_by_key(|s| s.0);
    let mut f = Filters::default();
    for (_, pre, zip) in steps {
        if let Some(pre) = pre {
            f.pre = pre;
        }
        if let Some(zip) = zip {
            f.zip = zip;
        }
    }
    // Built even without --pre, as ripgrep does: a bad glob is an error all the same.
    f.pre_globs = crate::input::pre_globs(&args.pre_glob).map_err(ConfigError::Usage)?;
    Ok(f)
}

/// Reads the patterns of a `-f` file: one per line, a trailing `\r` dropped.
fn read_pattern_file(path: &Path, stdin_used: &mut bool) -> Result<Vec<String>, ConfigError> {
    let shown = path.display().to_string();
    let mut data = Vec::new();
    if path.as_os_str() == "-" {
        *stdin_used = true;
        std::io::stdin()
            .read_to_end(&mut data)
            .map_err(|e| ConfigError::PatternFile {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
    } else {
        data = std::fs::read(path).map_err(|e| ConfigError::PatternFile {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
    }
    // Lines end at `\n`; a final line without one still counts; a trailing `\r` goes.
    let mut out = Vec::new();
    let mut rest = &data[..];
    let mut n = 0;
    while !rest.is_empty() {
        n += 1;
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let s = std::str::from_utf8(line).map_err(|_| ConfigError::PatternFile {
            path: shown.clone(),
            reason: format!(
                "line {n} is not valid UTF-8 (patterns must be UTF-8; write bytes as \\xHH)"
            ),
        })?;
        out.push(s.to_string());
        rest = next;
    }
    Ok(out)
}

impl Command {
    /// Parses and resolves `argv`.
    pub fn from_argv(argv: Vec<OsString>) -> Result<Command, anyhow::Error> {
        let matches = Args::command().try_get_matches_from(&argv)?;
        let args = Args::from_arg_matches(&matches)?;
        let (positions, u_at) = u_positions(matches, &argv);
        Ok(Command::resolve(args, &positions, &u_at)?)
    }

    /// `m`: the matches that give each flag's position; `u_at`: the position of each -u
    /// in them (`u_positions`).
    fn resolve(args: Args, m: &ArgMatches, u_at: &[usize]) -> Result<Command, ConfigError> {
        let ignores_off = ignore_sources_off(m, u_at);
        let type_changes = type_changes(&args, m);
        if args.type_list {
            let list = crate::walk::type_list(&type_changes).map_err(ConfigError::Usage)?;
            return Ok(Command::TypeList(list));
        }
        if let Some(kind) = args.generate {
            return Ok(Command::Generate(kind));
        }
        if args.pcre2_version {
            return Ok(Command::Pcre2Version(crate::pcre::version_text()));
        }
        if args.recover {
            let mut paths: Vec<OsString> = args.pattern.iter().map(OsString::from).collect();
            paths.extend(args.paths.iter().cloned());
            return Ok(Command::Recover(paths));
        }
        if args.unrestricted > 3 {
            return Err(ConfigError::Usage(
                "-u/--unrestricted can be given at most three times".into(),
            ));
        }
        let encoding = resolve_encoding(&args, m)?;
        let filters = resolve_filters(&args, m)?;
        // --files is an output mode like -c, -l or --json: a later one of those wins over it
        // (`--files -c PAT` searches for PAT), as in ripgrep.
        let files = args.files && {
            let at = last_index(m, "files");
            MODE_FLAGS.iter().all(|&(id, _)| last_index(m, id) < at)
        };
        crate::messages::set_quiet(args.no_messages);
        crate::messages::set_quiet_ignore(args.no_ignore_messages);
        crate::messages::init_log(if args.trace {
            log::LevelFilter::Trace
        } else if args.debug {
            log::LevelFilter::Debug
        } else {
            log::LevelFilter::Off
        });
        crate::argv::log_config();
        let stdout_tty = std::io::stdout().is_terminal();

        // Patterns: -e and -f in command-line order, else the first positional.
        let mut positional: Vec<OsString> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut stdin_used_for_patterns = false;
        let explicit_patterns = !args.regexp.is_empty() || !args.file.is_empty();
        if explicit_patterns {
            let mut ordered: Vec<(usize, Result<Vec<String>, ConfigError>)> = Vec::new();
            for (i, idx) in indices(m, "regexp").into_iter().enumerate() {
                ordered.push((idx, Ok(vec![args.regexp[i].clone()])));
            }
            for (i, idx) in indices(m, "file").into_iter().enumerate() {
                ordered.push((
                    idx,
                    read_pattern_file(&args.file[i], &mut stdin_used_for_patterns),
                ));
            }
            ordered.sort_by_key(|(i, _)| *i);
            for (_, pats) in ordered {
                patterns.extend(pats?);
            }
            if let Some(p) = &args.pattern {
                positional.push(OsString::from(p));
            }
        } else if !files {
            match &args.pattern {
                Some(p) => patterns.push(p.clone()),
                None => {
                    return Err(ConfigError::Usage(
                        "no pattern given: mmgrep PATTERN [PATH...] (see --help)".into(),
                    ));
                }
            }
        } else if let Some(p) = &args.pattern {
            positional.push(OsString::from(p));
        }
        positional.extend(args.paths.iter().cloned());
        let mut seen = std::collections::HashSet::new();
        patterns.retain(|p| seen.insert(p.clone()));

        // Paths, or a list of them.
        let file_list = match (&args.files_from, &args.files0_from) {
            (Some(p), _) => Some(FileList {
                path: p.clone(),
                terminator: b'\n',
            }),
            (_, Some(p)) => Some(FileList {
                path: p.clone(),
                terminator: 0,
            }),
            _ => None,
        };
        if let Some(list) = &file_list {
            let flag = if list.terminator == 0 {
                "--files0-from"
            } else {
                "--files-from"
            };
            if !positional.is_empty() {
                return Err(ConfigError::Usage(format!(
                    "{flag} takes the place of PATH arguments: put every path in the list, or drop {flag}"
                )));
            }
            if stdin_used_for_patterns && list.path.as_os_str() == "-" {
                return Err(ConfigError::Usage(format!(
                    "attempted to read patterns (-f -) and the {flag} list both from stdin"
                )));
            }
        }
        let implicit_path = positional.is_empty();
        let mut search_stdin = false;
        let mut paths = positional;
        if implicit_path {
            let list = file_list.is_some();
            if !list && !files && !stdin_used_for_patterns && stdin_is_readable() {
                search_stdin = true;
            } else {
                paths.push(OsString::from("./"));
            }
        } else if paths.iter().any(|p| p == "-") && stdin_used_for_patterns {
            return Err(ConfigError::Usage(
                "attempted to read patterns from stdin while also searching stdin".into(),
            ));
        }
        let only_stdin = search_stdin && paths.is_empty();
        let is_one_file =
            only_stdin || (paths.len() == 1 && (paths[0] == "-" || !Path::new(&paths[0]).is_dir()));
        let rg_maps_explicit = paths.len() <= 10
            && !search_stdin
            && paths.iter().all(|p| p != "-" && Path::new(p).is_file());

        // Matcher.
        let case = match (args.ignore_case, args.smart_case) {
            (true, _) => CaseMode::Insensitive,
            (_, true) => CaseMode::Smart,
            _ => CaseMode::Sensitive,
        };
        let size = |o: &Option<String>, def: usize, flag: &str| -> Result<usize, ConfigError> {
            match o {
                None => Ok(def),
                Some(s) => parse_size(s)
                    .map(|n| n as usize)
                    .map_err(|e| ConfigError::Usage(format!("{flag}: {e}"))),
            }
        };
        // ripgrep's binary mode: -a/--text, --no-text, --binary, --no-binary and a third
        // -u, the last one on the command line deciding.
        let third_u = u_at.get(2).copied();
        let (mut text, mut search_binary, mut at) = (false, false, None);
        for (i, as_text, binary) in [
            (last_index(m, "text"), true, false),
            (last_index(m, "binary"), false, true),
            (last_index(m, "no_binary"), false, false),
            (last_index(m, "no_text"), false, false),
            (third_u, false, true),
        ] {
            if let Some(i) = i
                && at.is_none_or(|a| i > a)
            {
                (text, search_binary, at) = (as_text, binary, Some(i));
            }
        }
        // --null-data implies -a (ripgrep turns binary detection off for it, whatever the
        // binary flags say).
        if args.null_data {
            (text, search_binary) = (true, false);
        }
        let mopts = MatcherOptions {
            engine: engine_choice(&args, m)?,
            fixed_strings: args.fixed_strings,
            case,
            word: args.word_regexp,
            whole_line: args.line_regexp,
            size_limit: size(
                &args.regex_size_limit,
                crate::matcher::DEFAULT_SIZE_LIMIT,
                "--regex-size-limit",
            )?,
            dfa_size_limit: size(
                &args.dfa_size_limit,
                crate::matcher::DEFAULT_DFA_SIZE_LIMIT,
                "--dfa-size-limit",
            )?,
            ban_nul: !text,
            multiline: args.multiline,
            dotall: args.multiline_dotall,
            crlf: args.crlf,
            null_data: args.null_data,
            // The last of --no-unicode, --unicode and their deprecated PCRE2 names.
            unicode: [
                ("no_unicode", false),
                ("unicode", true),
                ("no_pcre2_unicode", false),
                ("pcre2_unicode", true),
            ]
            .into_iter()
            .filter_map(|(id, on)| last_index(m, id).map(|i| (i, on)))
            .max()
            .is_none_or(|(_, on)| on),
        };
        // With -m 0 nothing can match: ripgrep never compiles the patterns then, so a bad
        // one is no error (--in-place still checks them, and its template's groups).
        let compiled: &[String] = if args.max_count == Some(0) && !args.in_place {
            &[]
        } else {
            &patterns
        };
        let matcher = Arc::new(Matcher::new(compiled, &mopts)?);

        // Mode: the last of -c, --count-matches, -l, --files-without-match wins; -q overrides.
        let mut mode = Mode::Standard;
        let mut best = None;
        for (id, md) in MODE_FLAGS {
            if let Some(i) = last_index(m, id)
                && best.is_none_or(|b| i > b)
            {
                best = Some(i);
                mode = md;
            }
        }
        if mode == Mode::CountMatches && args.invert_match {
            mode = Mode::Count;
        } else if mode == Mode::Count && args.only_matching {
            mode = Mode::CountMatches;
        }
        // --json counts only when it is the output mode that wins (`--json -c` counts, as
        // in ripgrep, and prints no statistics unless --stats asks).
        let json = mode == Mode::Json;
        if args.quiet {
            mode = if mode == Mode::FilesWithoutMatch {
                Mode::QuietWithoutMatch
            } else {
                Mode::Quiet
            };
        }

        // --passthru and -A/-B/-C: the last wins, and one given before --passthru is
        // forgotten (as in ripgrep: `-C1 --passthru -A2` is -A2 alone).
        let pass_at = if args.passthru {
            last_index(m, "passthru")
        } else {
            None
        };
        let after_pass = |id: &str, v: Option<usize>| v.filter(|_| last_index(m, id) > pass_at);
        let after_ctx = after_pass("after_context", args.after_context);
        let before_ctx = after_pass("before_context", args.before_context);
        let both_ctx = after_pass("context", args.context);
        let passthru = pass_at.is_some() && after_ctx.or(before_ctx).or(both_ctx).is_none();
        let after = after_ctx.or(both_ctx).unwrap_or(0);
        let before = before_ctx.or(both_ctx).unwrap_or(0);
        let context = (after > 0 || before > 0) && matches!(mode, Mode::Standard | Mode::Json);
        if args.reverse && passthru && matches!(mode, Mode::Standard | Mode::Json) {
            return Err(ConfigError::Usage(
                "--reverse cannot be combined with --passthru: drop one of them".into(),
            ));
        }
        if args.reverse && (after > 0 || before > 0) && mode == Mode::Standard {
            return Err(ConfigError::Usage(
                "--reverse cannot be combined with context lines (-A/-B/-C): drop one of them"
                    .into(),
            ));
        }

        let vimgrep = args.vimgrep;
        let with_filename = if args.with_filename {
            true
        } else if args.no_filename {
            false
        } else {
            vimgrep || !is_one_file
        };
        // -p/--pretty is --color always --heading --line-number at its place on the command
        // line: a later --no-heading, -N or --color undoes its part (as in ripgrep).
        let pretty_at = last_index(m, "pretty");
        let pretty_over = |id: &str| pretty_at.is_some() && last_index(m, id) < pretty_at;
        let heading = if vimgrep {
            false
        } else if args.heading || pretty_over("no_heading") {
            true
        } else if args.no_heading {
            false
        } else {
            stdout_tty
        };
        let column = if args.column {
            true
        } else if args.no_column {
            false
        } else {
            vimgrep
        };
        let line_number = if args.line_number || pretty_over("no_line_number") {
            true
        } else if args.no_line_number {
            false
        } else {
            match mode {
                Mode::Standard => (stdout_tty && !only_stdin) || column || vimgrep,
                Mode::Json => true,
                _ => false,
            }
        };
        let color_choice = if pretty_over("color") {
            ColorChoice::Always
        } else {
            args.color
        };
        let color = match color_choice {
            ColorChoice::Never => false,
            ColorChoice::Always | ColorChoice::Ansi => true,
            ColorChoice::Auto => {
                stdout_tty
                    && std::env::var_os("NO_COLOR").is_none()
                    && std::env::var_os("TERM").is_some_and(|t| t != "dumb")
            }
        };
        let context_separator = if args.no_context_separator {
            None
        } else {
            Some(
                args.context_separator
                    .as_deref()
                    .map_or_else(|| b"--".to_vec(), unescape),
            )
        };
        let replacement = args
            .replace
            .as_ref()
            .map(|r| Template::new(r.as_bytes(), &matcher));
        let colors =
            crate::output::colors::Colors::from_specs(&args.colors).map_err(ConfigError::Usage)?;
        // Checked whether colours are on or not, as ripgrep checks it.
        let link_format = match &args.hyperlink_format {
            None => Format::default(),
            Some(f) => Format::parse(f).map_err(|e| {
                ConfigError::Usage(format!("invalid --hyperlink-format value '{f}': {e}"))
            })?,
        };
        let hyperlinks = if color && !link_format.is_empty() {
            let host = link_format
                .uses_host()
                .then(|| hyperlink::host_name(args.hostname_bin.as_deref()))
                .flatten();
            Hyperlinks::new(link_format, host)
        } else {
            None
        };
        // ripgrep's --path-separator: one byte (escapes decoded); empty is the default.
        let path_separator = match args.path_separator.as_deref().map(unescape) {
            None => None,
            Some(sep) if sep.is_empty() => None,
            Some(sep) if sep.len() == 1 => Some(sep[0]),
            Some(sep) => {
                return Err(ConfigError::Usage(format!(
                    "error parsing flag --path-separator: a path separator must be exactly one \
                     byte, but the given separator is {} bytes: {}",
                    sep.len(),
                    String::from_utf8_lossy(&sep)
                )));
            }
        };
        let output = OutputConfig {
            colors,
            hyperlinks,
            mode,
            with_filename,
            heading,
            line_number,
            column,
            byte_offset: args.byte_offset,
            only_matching: args.only_matching,
            vimgrep,
            null: args.null,
            line_buffered: args.line_buffered || (stdout_tty && !args.block_buffered),
            color,
            invert: args.invert_match,
            context,
            context_separator,
            replacement,
            include_zero: args.include_zero,
            count_matches_always: args.stats,
            max_columns: args.max_columns.filter(|&n| n > 0),
            max_columns_preview: args.max_columns_preview,
            crlf: args.crlf,
            null_data: args.null_data,
            path_separator,
            multiline: matcher.is_multiline(),
            trim: args.trim,
            field_match_separator: args
                .field_match_separator
                .as_deref()
                .map_or_else(|| b":".to_vec(), unescape),
            field_context_separator: args
                .field_context_separator
                .as_deref()
                .map_or_else(|| b"-".to_vec(), unescape),
        };
        let search = SearchOptions {
            invert: args.invert_match,
            // ripgrep's searcher keeps its context window in every mode: in a count it makes
            // a selected line after -m's last one count when it lies in that window, and it
            // decides how much of a reader's buffer is consumed (--stats' bytes searched).
            // Only the standard and JSON printers print context lines.
            before,
            after,
            max_count: args.max_count,
            line_numbers: line_number && matches!(mode, Mode::Standard | Mode::Json),
            // Counts and file lists are untouched by it (ripgrep's context window is empty).
            passthru: passthru && matches!(mode, Mode::Standard | Mode::Json),
            stop_on_nonmatch: args.stop_on_nonmatch,
        };

        // The last of --sort, --sortr, --sort-files (--sort path) and --no-sort-files
        // (--sort none) decides the order, as in ripgrep; by default, path order.
        let (sort, descending) = [
            (last_index(m, "sort"), args.sort, false),
            (
                last_index(m, "sortr"),
                args.sortr.unwrap_or(SortBy::Path),
                true,
            ),
            (last_index(m, "sort_files"), SortBy::Path, false),
            (last_index(m, "no_sort_files"), SortBy::None, false),
        ]
        .into_iter()
        .filter_map(|(at, by, desc)| Some((at?, by, desc)))
        .max_by_key(|&(at, _, _)| at)
        .map_or((SortBy::Path, false), |(_, by, desc)| (by, desc));
        let time = match sort {
            SortBy::Path | SortBy::None => None,
            SortBy::Modified => Some(FileTime::Modified),
            SortBy::Accessed => Some(FileTime::Accessed),
            SortBy::Created => Some(FileTime::Created),
        };
        if let Some(time) = time {
            time.check_supported().map_err(ConfigError::Usage)?;
        }
        let run_order = match time {
            Some(time) => Some(RunOrder::Time { time, descending }),
            None if descending && sort == SortBy::Path => Some(RunOrder::PathDescending),
            None => None,
        };
        let mut walk = WalkOptions {
            // --hidden, --no-hidden and a second -u: the last one counts.
            hidden: last_given([
                (last_index(m, "hidden"), true),
                (last_index(m, "no_hidden"), false),
                (u_at.get(1).copied(), true),
            ])
            .unwrap_or(false),
            no_ignore_dot: ignores_off[0],
            no_ignore_vcs: ignores_off[1],
            no_ignore_exclude: ignores_off[2],
            no_ignore_global: ignores_off[3],
            no_ignore_parent: ignores_off[4],
            // Read below, once the run is known to walk.
            ignore_files: Default::default(),
            no_require_git: args.no_require_git,
            ignore_case_insensitive: args.ignore_file_case_insensitive,
            glob_case_insensitive: args.glob_case_insensitive,
            one_file_system: args.one_file_system,
            follow: args.follow,
            max_depth: args.max_depth,
            max_filesize: match &args.max_filesize {
                None => None,
                Some(s) => Some(
                    parse_size(s)
                        .map_err(|e| ConfigError::Usage(format!("--max-filesize: {e}")))?,
                ),
            },
            globs: args.glob.clone(),
            iglobs: args.iglob.clone(),
            type_changes,
            // Equal times keep path order.
            sorted: sort != SortBy::None,
            run_order,
        };
        crate::walk::build_types(&walk).map_err(ConfigError::Usage)?;

        let chunk_size = match &args.chunk_size {
            None => DEFAULT_CHUNK_SIZE,
            Some(s) => {
                let n = parse_size(s)
                    .map_err(|e| ConfigError::Usage(format!("--chunk-size: {e}")))?
                    as usize;
                let page = page_size();
                if n == 0 || !n.is_multiple_of(page) {
                    return Err(ConfigError::Usage(format!(
                        "--chunk-size {s} is not a multiple of the page size ({page} bytes): try {}",
                        ((n / page).max(1)) * page
                    )));
                }
                n
            }
        };
        let threads = match args.threads {
            Some(0) | None => std::thread::available_parallelism().map_or(1, |n| n.get()),
            Some(n) => n,
        };
        let nothing_to_match =
            (matcher.is_nothing() && !args.invert_match) || args.max_count == Some(0);
        // ripgrep reads them when it builds its walker, which a search that cannot match
        // never does; it reports a file it cannot read then, searching stdin or not.
        if !args.no_ignore_files && (files || !nothing_to_match) {
            walk.ignore_files = crate::walk::IgnoreFiles::read(&args.ignore_file);
        }

        let mmap = if args.no_mmap {
            MmapChoice::Never
        } else {
            args.mmap
        };
        log::debug!(
            "{threads} worker thread(s); memory maps: {mmap:?}; large files split into chunks \
             of {chunk_size} bytes"
        );
        let cfg = Config {
            matcher,
            search,
            output: Arc::new(output),
            walk,
            paths,
            implicit_path,
            search_stdin,
            threads,
            mmap,
            chunk_size,
            mmap_threshold: DEFAULT_MMAP_THRESHOLD,
            reverse: args.reverse,
            text,
            search_binary,
            rg_maps_explicit,
            // --stats and --json need every file searched.
            quit_after_match: args.quiet && !args.stats && !json,
            stats: args.stats || json,
            nothing_to_match,
            file_list,
            dry_run: args.dry_run,
            json_summary: args.quiet && json,
            encoding,
            filters,
            passthru,
        };
        if cfg.matcher.is_multiline() && (args.in_place || args.reverse) {
            let flag = if args.in_place {
                "--in-place"
            } else {
                "--reverse"
            };
            return Err(ConfigError::Usage(format!(
                "{flag} cannot be combined with a pattern that matches across lines (-U): \
                 drop one of them (a -U pattern that cannot match a line break is searched \
                 line by line and works with {flag})"
            )));
        }
        if args.in_place {
            return Ok(Command::Replace(Box::new(cfg)));
        }
        if files {
            return Ok(Command::Files(Box::new(cfg)));
        }
        Ok(Command::Search(Box::new(cfg)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("2M"), Ok(2 << 20));
        assert_eq!(parse_size("7"), Ok(7));
        assert!(parse_size("x").is_err());
    }

    #[test]
    fn separator_escapes() {
        assert_eq!(unescape(r"\x41\tB"), b"A\tB");
        assert_eq!(unescape("--"), b"--");
        assert_eq!(unescape(r"a\\b"), b"a\\b");
    }
}
