//! `--generate`: the man page and the shell completions, rendered from the clap definition
//! in `cli.rs` plus the hand-written man sections below. The outputs are committed as
//! `man/mmgrep.1` and `completions/*`; `tests/generate.rs` fails when one is stale.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::cli::{Args, Generate};
use crate::messages;

/// Prints what `kind` asks for on stdout.
pub fn generate(kind: Generate) -> i32 {
    let bytes = render(kind);
    let mut out = std::io::stdout().lock();
    match out.write_all(&bytes).and_then(|()| out.flush()) {
        Ok(()) => crate::EXIT_MATCH,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => crate::EXIT_MATCH,
        Err(e) => {
            messages::error_line(&format!("error writing output: {e}"));
            crate::EXIT_ERROR
        }
    }
}

/// The bytes of the man page or of a completion script.
pub fn render(kind: Generate) -> Vec<u8> {
    let shell = match kind {
        Generate::Man => return man_page(),
        Generate::CompleteBash => Shell::Bash,
        Generate::CompleteZsh => Shell::Zsh,
        Generate::CompleteFish => Shell::Fish,
        Generate::CompletePowershell => Shell::PowerShell,
        Generate::CompleteElvish => Shell::Elvish,
    };
    let mut cmd = Args::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "mmgrep", &mut out);
    out
}

/// Where each generated file is committed, relative to the repository's root.
pub fn committed_path(kind: Generate) -> &'static str {
    match kind {
        Generate::Man => "man/mmgrep.1",
        Generate::CompleteBash => "completions/mmgrep.bash",
        Generate::CompleteZsh => "completions/_mmgrep",
        Generate::CompleteFish => "completions/mmgrep.fish",
        Generate::CompletePowershell => "completions/_mmgrep.ps1",
        Generate::CompleteElvish => "completions/mmgrep.elv",
    }
}

/// Every kind, in `--generate`'s order.
pub const ALL: [Generate; 6] = [
    Generate::Man,
    Generate::CompleteBash,
    Generate::CompleteZsh,
    Generate::CompleteFish,
    Generate::CompletePowershell,
    Generate::CompleteElvish,
];

fn man_page() -> Vec<u8> {
    let man = clap_mangen::Man::new(Args::command()).title("MMGREP");
    let mut out = Vec::new();
    let ok = man.render_title(&mut out).is_ok()
        && man.render_name_section(&mut out).is_ok()
        && man.render_synopsis_section(&mut out).is_ok();
    debug_assert!(ok, "writing to a Vec cannot fail");
    out.extend_from_slice(description().render().as_bytes());
    out.extend_from_slice(&options_section(&man));
    for section in [
        exit_status(),
        examples(),
        environment(),
        in_place_safety(),
        see_also(),
    ] {
        out.extend_from_slice(section.render().as_bytes());
    }
    let _ = man.render_version_section(&mut out);
    dedupe_preamble(&out)
}

/// Every roff fragment starts with the same two-line apostrophe preamble; the page needs
/// it once.
fn dedupe_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut out = String::with_capacity(text.len());
    let mut seen = (false, false);
    for line in text.lines() {
        let dup = match line {
            ".ie \\n(.g .ds Aq \\(aq" => std::mem::replace(&mut seen.0, true),
            ".el .ds Aq '" => std::mem::replace(&mut seen.1, true),
            _ => false,
        };
        if !dup {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.into_bytes()
}

/// clap_mangen gives every help heading its own `.SH`; the man page has one OPTIONS
/// section with a subsection (`.SS`) per heading.
fn options_section(man: &clap_mangen::Man) -> Vec<u8> {
    let mut raw = Vec::new();
    let _ = man.render_options_section(&mut raw);
    let raw = String::from_utf8_lossy(&raw);
    let mut out = String::new();
    let mut seen_options = false;
    for line in raw.lines() {
        match line.strip_prefix(".SH ") {
            Some("OPTIONS") => {
                seen_options = true;
                out.push_str(".SH OPTIONS\n.SS General\n");
            }
            Some(heading) => {
                if !seen_options {
                    seen_options = true;
                    out.push_str(".SH OPTIONS\n");
                }
                out.push_str(".SS ");
                out.push_str(&title_case(heading));
                out.push('\n');
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.into_bytes()
}

/// "PATTERNS" -> "Patterns".
fn title_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => lower,
    }
}

/// A new `.SH` section.
fn section(title: &str) -> Roff {
    let mut r = Roff::new();
    r.control("SH", [title]);
    r
}

/// A tagged paragraph: `tag` in bold, then the body.
fn item(r: &mut Roff, tag: &str, body: &str) {
    r.control("TP", []);
    r.text([bold(tag)]);
    r.text([roman(body)]);
}

fn para(r: &mut Roff, body: &str) {
    r.control("PP", []);
    r.text([roman(body)]);
}

fn description() -> Roff {
    let mut r = section("DESCRIPTION");
    r.text([
        roman(
            "mmgrep searches files and directory trees for lines matching a regular expression, \
         with ripgrep's flags and output. It reads large files through memory maps, splits \
         every large file into page-aligned chunks, and lets all cores search the chunks of \
         all files at once. Whatever the number of threads, the output is in path order: \
         byte for byte what ",
        ),
        bold("rg --sort path"),
        roman(" prints."),
    ]);
    para(
        &mut r,
        "A directory is walked recursively, honouring .gitignore, .ignore and \
         .git/info/exclude files and skipping hidden files and, among the files it finds, \
         binary ones, as ripgrep does. With \
         no PATH, the current directory is searched, or stdin when it is a file or a pipe. \
         --files-from and --files0-from take the paths from a list instead.",
    );
    r.control("PP", []);
    r.text([
        roman("With "),
        bold("-r"),
        roman(" REPLACEMENT alone, matched lines are printed with the replacement. With "),
        bold("-r"),
        roman(" REPLACEMENT "),
        bold("--in-place"),
        roman(
            ", mmgrep writes the replacements into the files, equal length only, all or \
             nothing, and recoverably after a crash: see ",
        ),
        italic("SAFETY OF --in-place"),
        roman(" below."),
    ]);
    para(
        &mut r,
        "When the results go to a file or a pipe and stderr is a terminal, a search that runs \
         for more than about a second shows a progress bar on stderr (bytes and files \
         searched). It never appears when stderr is not a terminal, nor with -q or --json.",
    );
    r
}

fn exit_status() -> Roff {
    let mut r = section("EXIT STATUS");
    item(
        &mut r,
        "0",
        "A line was selected (or, with --in-place, a replacement was made).",
    );
    item(&mut r, "1", "Nothing was selected, and no error happened.");
    item(
        &mut r,
        "2",
        "An error happened: a file could not be read, a pattern did not compile, a \
         replacement had the wrong length, and so on. One bad file is reported and the run \
         goes on; the status remembers it. With -q, a selected line still exits 0 even \
         after an error.",
    );
    para(
        &mut r,
        "A closed pipe on stdout (as with `mmgrep ... | head`) ends the run quietly.",
    );
    r
}

fn examples() -> Roff {
    let mut r = section("EXAMPLES");
    let ex: &[(&str, &str)] = &[
        (
            "mmgrep -n 'fn main' src",
            "Lines matching a regex under src, with line numbers.",
        ),
        (
            "mmgrep -t rust -w unsafe",
            "Whole-word matches in Rust files under the current directory.",
        ),
        (
            "mmgrep -F -c 'TODO(' -g '!vendor/'",
            "Count literal matches per file, skipping vendor/.",
        ),
        (
            "git ls-files -z | mmgrep --files0-from - -l tokio",
            "Search exactly the files git tracks.",
        ),
        (
            "mmgrep --json spin_lock kernel | jq -c 'select(.type == \"match\")'",
            "Results as ripgrep's JSON Lines, for programs written for rg --json.",
        ),
        (
            "mmgrep -r spin_lick --in-place --dry-run spin_lock kernel",
            "Show, as a unified diff, what an in-place replacement would change; write nothing.",
        ),
        (
            "mmgrep -r '$2-$1' --in-place '([0-9]{4})-([0-9]{2})' notes",
            "Swap two fields in place (the replacement has the match's length).",
        ),
        (
            "mmgrep --recover notes",
            "After a crash or kill -9 during --in-place: finish or roll back.",
        ),
        (
            "mmgrep --generate complete-bash > ~/.local/share/bash-completion/completions/mmgrep",
            "Install the bash completion.",
        ),
    ];
    for (cmd, what) in ex {
        r.control("TP", []);
        r.text([bold(*cmd)]);
        r.text([roman(*what)]);
    }
    r
}

fn environment() -> Roff {
    let mut r = section("ENVIRONMENT");
    item(
        &mut r,
        "MMGREP_CONFIG_PATH",
        "A file of default arguments, one per line, read before the command line's own (so \
         the command line can override them). Leading and trailing whitespace is trimmed; \
         blank lines and lines starting with # are skipped; nothing else is interpreted (no \
         quotes). --no-config ignores the file. A file that cannot be read is reported on \
         stderr and the run goes on without it. Unset or empty: no config file.",
    );
    item(
        &mut r,
        "NO_COLOR",
        "When set (to anything), --color auto uses no colours.",
    );
    item(
        &mut r,
        "TERM",
        "--color auto uses colours only when TERM is set and is not \"dumb\" (and stdout is a \
         terminal).",
    );
    r
}

fn in_place_safety() -> Roff {
    let mut r = section("SAFETY OF --in-place");
    r.text([
        bold("mmgrep -r"),
        roman(" REPLACEMENT "),
        bold("--in-place"),
        roman(
            " rewrites matches where they are, through writable memory maps, and keeps every \
             file whole:",
        ),
    ]);
    let points: &[(&str, &str)] = &[
        (
            "Equal length only.",
            "Every replacement, after $1 and ${name} are expanded, must have exactly the \
             byte length of its match. This is checked for every edit of the whole run before \
             the first byte is written anywhere; if one differs, nothing is written, the \
             offending matches are listed and the exit status is 2. A file's length never \
             changes.",
        ),
        (
            "Undo journal first.",
            "Before the first write, the original bytes of every edit are saved in an undo \
             journal, which is flushed to disk (fsync). Then the edits are written, each \
             changed file is flushed (msync), and only then is the journal removed.",
        ),
        (
            "Recovery.",
            "If the run is killed (kill -9, a crash, a power cut), mmgrep --recover [PATH...] \
             finds what it left behind and puts every file back to exactly its original bytes \
             or its fully replaced bytes, never a mix, and says what it did.",
        ),
        (
            "Nothing stale.",
            "Before a file is written, the bytes at every edit's offset are checked to still \
             be the bytes that matched; a file changed since it was searched is left alone and \
             reported.",
        ),
        (
            "Same file.",
            "The file is changed in place, not replaced by a copy: it keeps its inode, owner, \
             mode, extended attributes and hard links. Every hard link to it therefore sees \
             the change.",
        ),
        (
            "What it will not write.",
            "Symbolic links (unless -L): it never writes outside the given paths through a \
             link. Non-regular files (FIFOs, devices, sockets). Read-only and immutable files. \
             Files on pseudo-filesystems (procfs, sysfs, debugfs, cgroup and the like, \
             recognised by their filesystem type, not their path). Each is refused with a \
             message; the rest of the run proceeds.",
        ),
        (
            "Where the journal lives.",
            "In the run's directory (the first PATH if it is a directory, else its parent, \
             else the current directory), as .mmgrep-journal-PID; when that directory is not \
             writable, in $XDG_STATE_HOME/mmgrep (or ~/.local/state/mmgrep). --recover \
             [PATH...] looks for journals named directly, at the top of each directory PATH \
             (default: the current directory), and in the state directory for runs at or under \
             a PATH. A later --in-place run that meets a leftover journal recovers it first.",
        ),
    ];
    for (tag, body) in points {
        item(&mut r, tag, body);
    }
    para(
        &mut r,
        "--dry-run prints what would change as a unified diff and writes nothing. \
         Replacements are made in the bytes the search sees, and only where those are the \
         file's own: a UTF-8 byte-order mark is skipped as the search skips it; a file the \
         search reads transcoded (UTF-16 with a byte-order mark, or a file whose text under \
         -E is not its own bytes) or as a program's output (-z, --pre) is never written, and \
         is refused with an error when that text has a match. Binary files are skipped unless -a is given. Patterns are compiled with size limits \
         (--regex-size-limit, --dfa-size-limit) so that a pathological pattern fails with a \
         message instead of exhausting memory.",
    );
    r
}

fn see_also() -> Roff {
    let mut r = section("SEE ALSO");
    r.text([
        bold("rg"),
        roman("(1), "),
        bold("grep"),
        roman("(1), "),
        bold("sed"),
        roman("(1)"),
    ]);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_page_has_every_section() {
        let man = String::from_utf8(render(Generate::Man)).unwrap();
        for s in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "\"EXIT STATUS\"",
            "EXAMPLES",
            "ENVIRONMENT",
            "\"SAFETY OF --in-place\"",
        ] {
            assert!(man.contains(&format!(".SH {s}\n")), "no {s} section");
        }
        assert_eq!(man.matches(".el .ds Aq").count(), 1);
        assert_eq!(man.matches(".SH OPTIONS").count(), 1);
        assert!(man.contains(".SS Patterns\n"));
    }

    #[test]
    fn completions_offer_values() {
        let bash = String::from_utf8(render(Generate::CompleteBash)).unwrap();
        for v in [
            "never auto always ansi",
            "path none",
            "complete-powershell",
            "rust",
        ] {
            assert!(bash.contains(v), "bash completion lacks {v}");
        }
    }
}
