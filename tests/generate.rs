//! `--generate`: the committed man page and completions are what the binary prints now, and
//! the completions offer what they should.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::Dir;

/// Every `--generate` kind and where its output is committed.
const GENERATED: [(&str, &str); 6] = [
    ("man", "man/mmgrep.1"),
    ("complete-bash", "completions/mmgrep.bash"),
    ("complete-zsh", "completions/_mmgrep"),
    ("complete-fish", "completions/mmgrep.fish"),
    ("complete-powershell", "completions/_mmgrep.ps1"),
    ("complete-elvish", "completions/mmgrep.elv"),
];

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn generated(kind: &str) -> Vec<u8> {
    let dir = Dir::new("generated");
    let (out, err) = dir.command().args(["--generate", kind]).expect_raw(0);
    assert_eq!(err, "", "--generate {kind} wrote to stderr");
    out
}

/// bat's `test_help`: a committed generated file that differs from the binary's output is
/// stale. The failure says how to regenerate it.
#[test]
fn committed_generated_files_are_fresh() {
    let mut stale = Vec::new();
    for (kind, path) in GENERATED {
        let now = generated(kind);
        assert!(!now.is_empty(), "--generate {kind} printed nothing");
        match std::fs::read(repo(path)) {
            Ok(committed) if committed == now => {}
            Ok(_) => stale.push(format!(
                "{path} is stale: run `cargo run -- --generate {kind} > {path}`"
            )),
            Err(e) => stale.push(format!(
                "{path}: {e}: run `cargo run -- --generate {kind} > {path}`"
            )),
        }
    }
    assert!(stale.is_empty(), "\n{}\n", stale.join("\n"));
}

/// The library's own list of committed paths agrees with this test's.
#[test]
fn committed_paths_agree_with_the_library() {
    for (kind, (name, path)) in mmgrep::generate::ALL.into_iter().zip(GENERATED) {
        assert_eq!(mmgrep::generate::committed_path(kind), path, "{name}");
    }
}

/// Runs `script` in a bash without startup files, with the committed bash completion
/// sourced; returns its stdout.
fn bash_with_completion(script: &str) -> Option<String> {
    let full = format!(
        "source '{}' || exit 3\n\
         spec=$(complete -p mmgrep) || exit 4\n\
         fn=${{spec#*-F }}; fn=${{fn%% *}}\n\
         complete_words() {{ COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); \
         COMP_LINE=\"$*\"; COMP_POINT=${{#COMP_LINE}}; COMPREPLY=(); \
         \"$fn\" mmgrep \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\" | LC_ALL=C sort; }}\n\
         {script}\n",
        repo("completions/mmgrep.bash").display()
    );
    let out = match Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &full])
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bash not available ({e}): completion test skipped");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "bash failed ({:?}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// Issue 5: completing `mmgrep --co` offers the long flags starting with --co, no more.
#[test]
fn bash_completes_co_flags() {
    let Some(got) = bash_with_completion("complete_words mmgrep --co") else {
        return;
    };
    eqnice!(
        "--color\n--colors\n--column\n--context\n--context-separator\n--count\n--count-matches\n",
        got
    );
    // The same set as the CLI defines (visible long flags starting with --co).
    use clap::CommandFactory;
    let mut want: Vec<String> = mmgrep::cli::Args::command()
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long())
        .filter(|l| l.starts_with("co"))
        .map(|l| format!("--{l}"))
        .collect();
    want.sort();
    assert_eq!(got.lines().collect::<Vec<_>>(), want);
}

#[test]
fn bash_completes_values() {
    let Some(got) = bash_with_completion(
        "complete_words mmgrep --color ''; echo ==\n\
         complete_words mmgrep --sort ''; echo ==\n\
         complete_words mmgrep --mmap ''; echo ==\n\
         complete_words mmgrep --generate complete-; echo ==\n\
         complete_words mmgrep -t ru; echo ==\n\
         complete_words mmgrep --type-not pyt",
    ) else {
        return;
    };
    eqnice!(
        "always\nansi\nauto\nnever\n==\naccessed\ncreated\nmodified\nnone\npath\n==\nalways\nauto\nnever\n==\n\
         complete-bash\ncomplete-elvish\ncomplete-fish\ncomplete-powershell\ncomplete-zsh\n==\n\
         ruby\nrust\n==\npython\n",
        got
    );
}

/// bash, zsh and fish complete the type names and the enums' values; clap_complete's
/// PowerShell and elvish generators complete flags only.
#[test]
fn completions_offer_type_names_and_values() {
    for (kind, _) in &GENERATED[1..] {
        let text = String::from_utf8(generated(kind)).unwrap();
        for flag in ["files0-from", "context-separator", "type-not", "generate"] {
            assert!(text.contains(flag), "--generate {kind} lacks {flag}");
        }
        if ["complete-bash", "complete-zsh", "complete-fish"].contains(kind) {
            for value in [
                "rust",
                "python",
                "asciidoc",
                "never",
                "always",
                "complete-elvish",
                "path",
            ] {
                assert!(text.contains(value), "--generate {kind} lacks {value}");
            }
        }
    }
}

/// The type names offered are the ones -t accepts, and an unknown one is still refused
/// (by the type matcher, with its own message).
#[test]
fn type_names_are_the_walkers() {
    let names = mmgrep::cli::type_names();
    assert!(names.len() > 100 && names.contains(&"rust") && names.contains(&"c"));
    let dir = Dir::new("type_names_are_the_walkers");
    dir.create("a.rs", "fn main() {}\n");
    eqnice!(
        "a.rs:fn main() {}\n",
        dir.command().args(["-H", "-t", "rust", "main"]).stdout()
    );
    let (out, err) = dir
        .command()
        .args(["-t", "no-such-type", "main"])
        .expect_raw(2);
    assert!(out.is_empty());
    assert!(err.contains("no-such-type"), "{err}");
}

#[test]
fn man_page_sections() {
    let man = String::from_utf8(generated("man")).unwrap();
    for section in [
        ".SH NAME\n",
        ".SH SYNOPSIS\n",
        ".SH DESCRIPTION\n",
        ".SH OPTIONS\n",
        ".SH \"EXIT STATUS\"\n",
        ".SH EXAMPLES\n",
        ".SH ENVIRONMENT\n",
        ".SH \"SAFETY OF --in-place\"\n",
    ] {
        assert!(man.contains(section), "man page lacks {section:?}");
    }
    for word in [
        "MMGREP_CONFIG_PATH",
        "NO_COLOR",
        "TERM",
        "\\-\\-files0\\-from",
        "\\-\\-recover",
        "msync",
        "fsync",
    ] {
        assert!(man.contains(word), "man page lacks {word}");
    }
}
