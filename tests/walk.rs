//! Which files are searched and how their paths are printed: ignore files, hidden files,
//! globs, types, symlinks, depth and size limits, `--files`, implicit paths. Expected bytes
//! are ripgrep 15.2's (`rg --sort path`).

use crate::util::Dir;

/// A tree with a hidden file and directory, a `.gitignore` (ignoring *.log), an `.ignore`
/// (ignoring b.rs) and files at three depths, each holding `foo`.
fn tree(name: &str) -> Dir {
    let dir = Dir::new(name);
    for f in [
        "a.txt",
        "b.rs",
        ".h.txt",
        ".hid/x.txt",
        "sub/c.txt",
        "sub/deep/d.txt",
        "sub/E.TXT",
        "ign.log",
    ] {
        dir.create(f, "foo\n");
    }
    dir.create(".gitignore", "*.log\n");
    dir.create(".ignore", "b.rs\n");
    dir
}

// ---- Ignore files ---------------------------------------------------------------------

#[test]
fn gitignore_ignored_outside_a_git_work_tree_dot_ignore_honoured() {
    let dir = tree("gitignore_ignored_outside_a_git_work_tree_dot_ignore_honoured");
    eqnice!(
        "a.txt:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().arg("foo").stdout()
    );
}

#[test]
fn gitignore_honoured_in_a_git_work_tree() {
    let dir = tree("gitignore_honoured_in_a_git_work_tree");
    dir.create_dir(".git");
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().arg("foo").stdout()
    );
}

#[test]
fn gitignore_in_a_subdirectory_applies_below_it() {
    let dir = tree("gitignore_in_a_subdirectory_applies_below_it");
    dir.create_dir(".git");
    dir.create("sub/.gitignore", "deep/\n");
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\n",
        dir.command().arg("foo").stdout()
    );
}

#[test]
fn git_info_exclude_honoured() {
    let dir = tree("git_info_exclude_honoured");
    dir.create(".git/info/exclude", "sub/c.txt\n");
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\nsub/deep/d.txt:foo\n",
        dir.command().arg("foo").stdout()
    );
}

#[test]
fn no_ignore_vcs_keeps_dot_ignore() {
    let dir = tree("no_ignore_vcs_keeps_dot_ignore");
    dir.create(".git/info/exclude", "sub/c.txt\n");
    eqnice!(
        "a.txt:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["--no-ignore-vcs", "foo"]).stdout()
    );
}

#[test]
fn rgignore_outranks_dot_ignore_and_no_ignore_dot_drops_both() {
    let dir = tree("rgignore_outranks_dot_ignore_and_no_ignore_dot_drops_both");
    dir.create_dir(".git");
    // .ignore ignores b.rs; the top .rgignore takes it back and ignores sub/c.txt; the one
    // in sub ignores E.TXT, also for a walk rooted at sub (a parent's rules apply).
    dir.create(".rgignore", "!b.rs\nsub/c.txt\n");
    dir.create("sub/.rgignore", "E.TXT\n");
    eqnice!(
        "a.txt:foo\nb.rs:foo\nsub/deep/d.txt:foo\n",
        dir.command().arg("foo").stdout()
    );
    eqnice!(
        "sub/deep/d.txt:foo\n",
        dir.command().args(["foo", "sub"]).stdout()
    );
    // Without .ignore and .rgignore, only .gitignore's *.log is left.
    eqnice!(
        "a.txt:foo\nb.rs:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["--no-ignore-dot", "foo"]).stdout()
    );
    // The in-place replace plan walks with the same rules.
    let plan = dir
        .command()
        .args(["-r", "bar", "--in-place", "--dry-run", "foo"])
        .stdout();
    let files: Vec<&str> = plan
        .lines()
        .filter_map(|l| l.strip_prefix("+++ b/"))
        .collect();
    assert_eq!(files, ["a.txt", "b.rs", "sub/deep/d.txt"], "{plan}");
}

#[test]
fn no_ignore_searches_ignored_files() {
    let dir = tree("no_ignore_searches_ignored_files");
    dir.create_dir(".git");
    eqnice!(
        "a.txt:foo\nb.rs:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["--no-ignore", "foo"]).stdout()
    );
}

#[test]
fn hidden_searches_hidden_files_and_directories() {
    let dir = tree("hidden_searches_hidden_files_and_directories");
    dir.create_dir(".git");
    eqnice!(
        ".h.txt:foo\n.hid/x.txt:foo\na.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["--hidden", "foo"]).stdout()
    );
    // ripgrep's short form.
    eqnice!(
        ".h.txt:foo\n.hid/x.txt:foo\na.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["-.", "foo"]).stdout()
    );
}

#[test]
fn unrestricted_levels() {
    let dir = tree("unrestricted_levels");
    dir.create(".git/info/exclude", "sub/c.txt\n");
    dir.create("bin.dat", "foo\0\n");
    // -u: no ignore files.
    eqnice!(
        "a.txt:foo\nb.rs:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["-u", "foo"]).stdout()
    );
    // -uu: and hidden files (.git/info/exclude holds no foo).
    eqnice!(
        ".h.txt:foo\n.hid/x.txt:foo\na.txt:foo\nb.rs:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["-uu", "foo"]).stdout()
    );
    // -uuu: and binary files, searched as named ones are (--binary, as in ripgrep 13 on).
    eqnice!(
        ".h.txt:1\n.hid/x.txt:1\na.txt:1\nb.rs:1\nbin.dat:1\nign.log:1\nsub/E.TXT:1\nsub/c.txt:1\nsub/deep/d.txt:1\n",
        dir.command().args(["-uuu", "-c", "foo"]).stdout()
    );
    let all = ".h.txt:foo\n.hid/x.txt:foo\na.txt:foo\nb.rs:foo\n";
    let rest = "ign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n";
    let notice = "bin.dat: binary file matches (found \"\\0\" byte around offset 3)\n";
    eqnice!(
        format!("{all}{notice}{rest}"),
        dir.command().args(["-uuu", "foo"]).stdout()
    );
    // -a and --binary (or a third -u): the last one given counts.
    for args in [&["-a", "-uuu"][..], &["-a", "--binary", "-uu"]] {
        eqnice!(
            format!("{all}{notice}{rest}"),
            dir.command().args(args).arg("foo").stdout()
        );
    }
    eqnice!(
        format!("a.txt:foo\nb.rs:foo\n{notice}{rest}"),
        dir.command().args(["--binary", "-u", "foo"]).stdout()
    );
    // --hidden, --no-hidden and the second -u: the last one counts.
    let shown = ".h.txt:1\n.hid/x.txt:1\na.txt:1\nb.rs:1\nign.log:1\nsub/E.TXT:1\nsub/c.txt:1\nsub/deep/d.txt:1\n";
    let unshown = "a.txt:1\nb.rs:1\nign.log:1\nsub/E.TXT:1\nsub/c.txt:1\nsub/deep/d.txt:1\n";
    for (args, want) in [
        (&["-uu", "--no-hidden"][..], unshown),
        (&["-u", "--no-hidden", "-u"], shown),
        // (The third -u searches bin.dat too.)
        (
            &["-u", "-u", "--no-hidden", "-u"],
            "a.txt:1\nb.rs:1\nbin.dat:1\nign.log:1\nsub/E.TXT:1\nsub/c.txt:1\nsub/deep/d.txt:1\n",
        ),
        (&["--no-hidden", "-uu"], shown),
    ] {
        let got = dir.command().args(args).args(["-c", "foo"]).stdout();
        assert_eq!(got, want, "{args:?}");
    }
    for args in [&["-uuu", "-a"][..], &["--binary", "-uu", "-a"]] {
        let (out, _) = dir.command().args(args).arg("foo").expect_raw(0);
        assert_eq!(
            String::from_utf8_lossy(&out),
            format!("{all}bin.dat:foo\0\n{rest}"),
            "{args:?}"
        );
    }
    eqnice!(
        ".h.txt:1\n.hid/x.txt:1\na.txt:1\nb.rs:1\nign.log:1\nsub/E.TXT:1\nsub/c.txt:1\nsub/deep/d.txt:1\n",
        dir.command().args(["-uu", "-c", "foo"]).stdout()
    );
}

// ---- Choosing ignore sources ----------------------------------------------------------

/// mmgrep in `dir` with git's global excludes file under `dir/.cfg` (hidden, so never
/// walked): `XDG_CONFIG_HOME` and `HOME` point there, whatever the machine's own are.
fn isolated(dir: &Dir) -> crate::util::TestCommand {
    let cfg = dir.path().join(".cfg");
    let mut cmd = dir.command();
    cmd.env("XDG_CONFIG_HOME", &cfg).env("HOME", &cfg);
    cmd
}

/// Runs `args` (exit status 0) through each walker: mmgrep's own sorted one (the default),
/// `ignore`'s sequential one (`-L`, which it takes over) and `ignore`'s parallel one
/// (`--sort none`, its lines sorted here); asserts they agree and returns the output.
fn every_walker(dir: &Dir, args: &[&str]) -> String {
    let sorted = isolated(dir).args(args).stdout();
    let follow = isolated(dir).arg("-L").args(args).stdout();
    let mut lines: Vec<String> = isolated(dir)
        .args(["--sort", "none"])
        .args(args)
        .stdout()
        .lines()
        .map(|l| format!("{l}\n"))
        .collect();
    lines.sort();
    assert_eq!(follow, sorted, "-L {args:?}");
    assert_eq!(lines.concat(), sorted, "--sort none {args:?}");
    sorted
}

/// The ignore files above a PATH apply to it (the top's .ignore, .gitignore and the
/// repository's exclude file, for a search of `sub`); --no-ignore-parent drops them, while
/// the repository above still makes sub/.gitignore count (as in `ignore`, which still
/// looks for `.git` up there). --ignore-parent after it takes it back.
#[test]
fn no_ignore_parent_drops_the_rules_above_each_path() {
    let dir = Dir::new("no_ignore_parent_drops_the_rules_above_each_path");
    dir.create_dir(".git/info");
    dir.create(".git/info/exclude", "*.ex\n");
    dir.create(".ignore", "*.log\n");
    dir.create(".gitignore", "*.tmp\n");
    dir.create("sub/.gitignore", "d.txt\n");
    for f in ["a.txt", "b.log", "c.tmp", "d.txt", "e.ex"] {
        dir.create(format!("sub/{f}"), "foo\n");
    }
    eqnice!("sub/a.txt:foo\n", every_walker(&dir, &["foo", "sub"]));
    let all_but_d = "sub/a.txt:foo\nsub/b.log:foo\nsub/c.tmp:foo\nsub/e.ex:foo\n";
    eqnice!(
        all_but_d,
        every_walker(&dir, &["--no-ignore-parent", "foo", "sub"])
    );
    eqnice!(
        "sub/a.txt:foo\n",
        every_walker(
            &dir,
            &["--no-ignore-parent", "--ignore-parent", "foo", "sub"]
        )
    );
    // Walking from the top, the same files are in the walk, not above it.
    eqnice!(
        "sub/a.txt:foo\n",
        every_walker(&dir, &["--no-ignore-parent", "foo"])
    );
    // The rules above an absolute PATH, and above the current directory, count too.
    let abs = dir.path().join("sub");
    let abs = abs.to_str().unwrap();
    eqnice!(
        format!("{abs}/a.txt:foo\n"),
        every_walker(&dir, &["foo", abs])
    );
    eqnice!(
        all_but_d.replace("sub/", &format!("{abs}/")),
        every_walker(&dir, &["--no-ignore-parent", "foo", abs])
    );
}

/// git's global excludes file (here its default place, $XDG_CONFIG_HOME/git/ignore) counts
/// inside a repository; --no-ignore-global drops it, --ignore-global takes it back, and
/// --no-ignore-vcs drops it too. Its rules are rooted at the current directory, also for
/// an absolute PATH.
#[test]
fn no_ignore_global_drops_git_global_excludes() {
    let dir = tree("no_ignore_global_drops_git_global_excludes");
    dir.create_dir(".git");
    dir.create(".cfg/git/ignore", "*.rs\n/sub/c.txt\n");
    let kept = "a.txt:foo\nsub/E.TXT:foo\nsub/deep/d.txt:foo\n";
    eqnice!(kept, every_walker(&dir, &["foo"]));
    // b.rs is in .ignore too.
    let unglobal = "a.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n";
    eqnice!(unglobal, every_walker(&dir, &["--no-ignore-global", "foo"]));
    eqnice!(
        kept,
        every_walker(&dir, &["--no-ignore-global", "--ignore-global", "foo"])
    );
    eqnice!(
        "a.txt:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        every_walker(&dir, &["--no-ignore-vcs", "foo"])
    );
    let top = dir.path().to_str().unwrap();
    eqnice!(
        kept.lines()
            .map(|l| format!("{top}/{l}\n"))
            .collect::<String>(),
        every_walker(&dir, &["foo", top])
    );
    // Outside a repository it does not apply.
    std::fs::remove_dir(dir.path().join(".git")).unwrap();
    eqnice!(
        "a.txt:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        every_walker(&dir, &["foo"])
    );
}

/// .git/info/exclude is dropped by --no-ignore-exclude (the .gitignore still counts) and
/// taken back by --ignore-exclude.
#[test]
fn no_ignore_exclude_drops_git_info_exclude() {
    let dir = tree("no_ignore_exclude_drops_git_info_exclude");
    dir.create(".git/info/exclude", "sub/c.txt\n");
    let excluded = "a.txt:foo\nsub/E.TXT:foo\nsub/deep/d.txt:foo\n";
    eqnice!(excluded, every_walker(&dir, &["foo"]));
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        every_walker(&dir, &["--no-ignore-exclude", "foo"])
    );
    eqnice!(
        excluded,
        every_walker(&dir, &["--no-ignore-exclude", "--ignore-exclude", "foo"])
    );
    // From below the repository's root, the exclude file is a parent's.
    eqnice!(
        "sub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        every_walker(&dir, &["--no-ignore-exclude", "foo", "sub"])
    );
}

/// --ignore-file rules are matched against paths relative to the current directory (an
/// anchored `/c.txt` is not `sub/c.txt`, even in a search of `sub`), rank below every other
/// ignore file (`!b.rs` loses to .ignore's `b.rs`), and apply outside a repository.
#[test]
fn ignore_file_rules_are_rooted_at_the_current_directory_and_rank_last() {
    let dir = tree("ignore_file_rules_are_rooted_at_the_current_directory_and_rank_last");
    dir.create(".extra", "/c.txt\n/sub/deep/\n!b.rs\n");
    let want = "a.txt:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\n";
    eqnice!(
        want,
        every_walker(&dir, &["--ignore-file", ".extra", "foo"])
    );
    eqnice!(
        "sub/E.TXT:foo\nsub/c.txt:foo\n",
        every_walker(&dir, &["--ignore-file", ".extra", "foo", "sub"])
    );
    // An absolute PATH under the current directory: the same rules.
    let top = dir.path().to_str().unwrap();
    eqnice!(
        want.lines()
            .map(|l| format!("{top}/{l}\n"))
            .collect::<String>(),
        every_walker(&dir, &["--ignore-file", ".extra", "foo", top])
    );
    // In the current directory itself, `/c.txt` is c.txt and not d/c.txt.
    let flat = Dir::new("ignore_file_anchored_in_the_current_directory");
    flat.create(".extra", "/c.txt\n");
    flat.create("c.txt", "foo\n");
    flat.create("d/c.txt", "foo\n");
    eqnice!(
        "d/c.txt:foo\n",
        every_walker(&flat, &["--ignore-file", ".extra", "foo"])
    );
}

/// A later --ignore-file outranks an earlier one; --no-ignore keeps them (ripgrep: they are
/// given explicitly); --no-ignore-files drops them wherever it stands, --ignore-files takes
/// them back.
#[test]
fn ignore_files_rank_by_order_and_only_no_ignore_files_drops_them() {
    let dir = tree("ignore_files_rank_by_order_and_only_no_ignore_files_drops_them");
    dir.create_dir(".git");
    dir.create(".one", "*.txt\n");
    dir.create(".two", "!a.txt\n");
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\n",
        every_walker(
            &dir,
            &["--ignore-file", ".one", "--ignore-file", ".two", "foo"]
        )
    );
    eqnice!(
        "sub/E.TXT:foo\n",
        every_walker(
            &dir,
            &["--ignore-file", ".two", "--ignore-file", ".one", "foo"]
        )
    );
    eqnice!(
        "b.rs:foo\nign.log:foo\nsub/E.TXT:foo\n",
        every_walker(&dir, &["--no-ignore", "--ignore-file", ".one", "foo"])
    );
    let unfiltered = "a.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n";
    for args in [
        &["--ignore-file", ".one", "--no-ignore-files", "foo"][..],
        &["--no-ignore-files", "--ignore-file", ".one", "foo"],
    ] {
        eqnice!(unfiltered, every_walker(&dir, args));
    }
    eqnice!(
        "sub/E.TXT:foo\n",
        every_walker(
            &dir,
            &[
                "--no-ignore-files",
                "--ignore-files",
                "--ignore-file",
                ".one",
                "foo"
            ]
        )
    );
}

/// An --ignore-file that cannot be read is reported as ripgrep reports it, once, and the
/// search goes on: the exit status is the search's (0 or 1), also for stdin.
/// --no-ignore-messages and --no-messages silence it; a search that cannot match (-m0)
/// never reads it, and --no-ignore-files neither.
#[test]
fn a_missing_ignore_file_is_reported_and_the_search_goes_on() {
    let dir = tree("a_missing_ignore_file_is_reported_and_the_search_goes_on");
    let msg = "mmgrep: nope: No such file or directory (os error 2)\n";
    let (out, err) = isolated(&dir)
        .args(["--ignore-file", "nope", "foo", "sub"])
        .expect_err(0);
    eqnice!("sub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n", out);
    eqnice!(msg, err);
    let (_, err) = isolated(&dir)
        .args(["--ignore-file", "nope", "nomatch"])
        .expect_err(1);
    eqnice!(msg, err);
    let (out, err) = isolated(&dir)
        .args(["--ignore-file", "nope", "foo"])
        .stdin("foo\n")
        .expect_err(0);
    eqnice!("foo\n", out);
    eqnice!(msg, err);
    let (out, err) = isolated(&dir)
        .args(["--ignore-file", "nope", "--files", "sub/deep"])
        .expect_err(0);
    eqnice!("sub/deep/d.txt\n", out);
    eqnice!(msg, err);
    for quiet in [
        &["--no-ignore-messages", "foo"][..],
        &["--no-messages", "foo"],
        &["--no-ignore-files", "foo"],
        &["-m0", "foo"],
    ] {
        let code = if quiet[0] == "-m0" { 1 } else { 0 };
        let (_, err) = isolated(&dir)
            .args(["--ignore-file", "nope"])
            .args(quiet)
            .expect_err(code);
        eqnice!("", err);
    }
}

/// --no-ignore (and -u) is --no-ignore-dot, -vcs, -exclude, -global and -parent at once, in
/// its place on the command line: a later --X turns one source back on, --ignore all five;
/// only the first -u counts as --no-ignore.
#[test]
fn no_ignore_sets_each_source_in_its_place_on_the_command_line() {
    let dir = tree("no_ignore_sets_each_source_in_its_place_on_the_command_line");
    dir.create(".git/info/exclude", "sub/c.txt\n");
    dir.create(".cfg/git/ignore", "E.TXT\n");
    let everything =
        "a.txt:foo\nb.rs:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n";
    let filtered = "a.txt:foo\nsub/deep/d.txt:foo\n";
    eqnice!(filtered, every_walker(&dir, &["foo"]));
    for args in [&["--no-ignore", "foo"][..], &["-u", "foo"]] {
        eqnice!(everything, every_walker(&dir, args));
    }
    for (back, want) in [
        (
            "--ignore-dot",
            "a.txt:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        ),
        (
            "--ignore-vcs",
            // .gitignore's *.log, not the exclude file or the global one (still off).
            "a.txt:foo\nb.rs:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        ),
        ("--ignore-exclude", everything),
        ("--ignore", filtered),
    ] {
        for first in ["--no-ignore", "-u"] {
            eqnice!(want, every_walker(&dir, &[first, back, "foo"]));
        }
    }
    // --ignore-exclude and --ignore-global count with --ignore-vcs back.
    eqnice!(
        "a.txt:foo\nb.rs:foo\nsub/deep/d.txt:foo\n",
        every_walker(
            &dir,
            &[
                "-u",
                "--ignore-vcs",
                "--ignore-exclude",
                "--ignore-global",
                "foo"
            ]
        )
    );
    // A later --no-ignore wins over an earlier --X.
    eqnice!(
        everything,
        every_walker(&dir, &["--ignore-dot", "--no-ignore", "foo"])
    );
    // -u --ignore -u: the second -u is --hidden, not --no-ignore.
    eqnice!(
        ".h.txt:foo\n.hid/x.txt:foo\na.txt:foo\nsub/deep/d.txt:foo\n",
        every_walker(&dir, &["-u", "--ignore", "-u", "foo"])
    );
    eqnice!(
        ".h.txt:foo\n.hid/x.txt:foo\na.txt:foo\nb.rs:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        every_walker(&dir, &["--ignore", "-u", "-u", "foo"])
    );
}

/// A rule that cannot be parsed in an ignore file above the PATH is an error, as `ignore`'s
/// walker raises it (exit status 2, not silenced by --no-ignore-messages), through every
/// walker; with --no-ignore-parent it is still read, as long as git's rules count.
#[test]
fn an_unparsable_rule_above_the_path_is_an_error() {
    let dir = Dir::new("an_unparsable_rule_above_the_path_is_an_error");
    dir.create(".ignore", "a{b\n*.md\n");
    dir.create("sub/a.txt", "foo\n");
    dir.create("sub/b.md", "foo\n");
    let abs = dir.path().join(".ignore");
    let msg = format!(
        "mmgrep: {}: line 1: error parsing glob 'a{{b': unclosed alternate group; \
         missing '}}' (maybe escape '{{' with '[{{]'?)\n",
        abs.display()
    );
    for walker in [&[][..], &["-L"], &["--sort", "none"]] {
        for (flags, out) in [
            (&[][..], "sub/a.txt:foo\n"),
            (&["--no-ignore-messages"], "sub/a.txt:foo\n"),
            (&["--no-ignore-parent"], "sub/a.txt:foo\nsub/b.md:foo\n"),
        ] {
            let (got, err) = isolated(&dir)
                .args(walker)
                .args(flags)
                .args(["foo", "sub"])
                .expect_err(2);
            eqnice!(out, got);
            eqnice!(msg, err);
        }
        let (got, err) = isolated(&dir)
            .args(walker)
            .args(["--no-ignore-parent", "--no-ignore-vcs", "foo", "sub"])
            .expect_err(0);
        eqnice!("sub/a.txt:foo\nsub/b.md:foo\n", got);
        eqnice!("", err);
    }
}

// ---- Globs and types ------------------------------------------------------------------

#[test]
fn glob_selects_and_overrides_ignore_rules() {
    let dir = tree("glob_selects_and_overrides_ignore_rules");
    dir.create(".git/info/exclude", "sub/c.txt\n");
    // A matching glob whitelists even hidden and ignored files.
    eqnice!(
        ".h.txt:foo\na.txt:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["-g", "*.txt", "foo"]).stdout()
    );
}

#[test]
fn glob_with_bang_excludes() {
    let dir = tree("glob_with_bang_excludes");
    eqnice!(
        "sub/E.TXT:foo\n",
        dir.command()
            .args(["-g", "!*.txt", "-g", "!*.log", "foo"])
            .stdout()
    );
    eqnice!(
        "a.txt:foo\nign.log:foo\n",
        dir.command().args(["-g", "!sub", "foo"]).stdout()
    );
    eqnice!(
        ".h.txt:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command()
            .args(["-g", "*.txt", "-g", "!a.txt", "foo"])
            .stdout()
    );
}

#[test]
fn iglob_is_case_insensitive() {
    let dir = tree("iglob_is_case_insensitive");
    eqnice!(
        ".h.txt:foo\na.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command().args(["--iglob", "*.txt", "foo"]).stdout()
    );
}

#[test]
fn type_selects_and_type_not_excludes() {
    let dir = tree("type_selects_and_type_not_excludes");
    eqnice!(
        "b.rs:foo\n",
        dir.command()
            .args(["--no-ignore", "-t", "rust", "foo"])
            .stdout()
    );
    eqnice!(
        "b.rs:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command()
            .args([
                "--no-ignore",
                "-t",
                "txt",
                "-t",
                "rust",
                "foo",
                "b.rs",
                "sub"
            ])
            .stdout()
    );
    eqnice!(
        "ign.log:foo\nsub/E.TXT:foo\n",
        dir.command().args(["-T", "txt", "foo"]).stdout()
    );
}

#[test]
fn type_filters_only_walked_files() {
    let dir = tree("type_filters_only_walked_files");
    // A file named on the command line is searched whatever its type.
    eqnice!(
        "foo\n",
        dir.command().args(["-t", "rust", "foo", "a.txt"]).stdout()
    );
}

#[test]
fn unknown_type_is_an_error() {
    let dir = tree("unknown_type_is_an_error");
    let (out, err) = dir
        .command()
        .args(["-t", "nosuchtype", "foo"])
        .expect_err(2);
    eqnice!("", out);
    eqnice!("mmgrep: unrecognized file type: nosuchtype\n", err);
}

#[test]
fn type_filter_leaving_nothing_reports_no_files_searched() {
    let dir = tree("type_filter_leaving_nothing_reports_no_files_searched");
    dir.create_dir(".git");
    let (out, err) = dir.command().args(["-t", "rust", "foo"]).expect_err(2);
    eqnice!("", out);
    assert!(
        err.starts_with("mmgrep: No files were searched"),
        "stderr: {err}"
    );
}

#[test]
fn type_list_prints_name_colon_globs() {
    let dir = Dir::new("type_list_prints_name_colon_globs");
    let got = dir.command().arg("--type-list").stdout();
    let first: Vec<&str> = got.lines().take(3).collect();
    eqnice!(
        "ada: *.adb, *.ads\nagda: *.agda, *.lagda\naidl: *.aidl",
        first.join("\n")
    );
    assert!(
        got.lines().any(|l| l == "rust: *.rs"),
        "no rust line in:\n{got}"
    );
    assert!(
        got.lines().any(|l| l == "txt: *.txt"),
        "no txt line in:\n{got}"
    );
}

#[test]
fn type_list_has_ripgrep_15_2_definitions() {
    let dir = Dir::new("type_list_has_ripgrep_15_2_definitions");
    let got = dir.command().arg("--type-list").stdout();
    let pick: Vec<&str> = got
        .lines()
        .filter(|l| l.starts_with("lisp:") || l.starts_with("lock:") || l.starts_with("c3:"))
        .collect();
    eqnice!(
        "lisp: *.el, *.jl, *.lisp, *.lsp, *.sc, *.scm\nlock: *.lock, package-lock.json",
        pick.join("\n")
    );
    eqnice!("224", got.lines().count().to_string());
}

// ---- Depth and size -------------------------------------------------------------------

#[test]
fn max_depth_limits_descent() {
    let dir = tree("max_depth_limits_descent");
    dir.create_dir(".git");
    eqnice!(
        "a.txt:foo\n",
        dir.command().args(["-d", "1", "foo"]).stdout()
    );
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\n",
        dir.command().args(["--max-depth", "2", "foo"]).stdout()
    );
}

#[test]
fn max_depth_zero_searches_only_named_files() {
    let dir = tree("max_depth_zero_searches_only_named_files");
    eqnice!(
        "foo\n",
        dir.command().args(["-d", "0", "foo", "sub/c.txt"]).stdout()
    );
    eqnice!(
        "",
        dir.command()
            .args(["-d", "0", "foo", "sub"])
            .expect_status(1)
    );
}

#[test]
fn max_depth_zero_still_reads_the_roots_ignore_files_and_their_parents() {
    let dir = tree("max_depth_zero_still_reads_the_roots_ignore_files");
    dir.create("sub/.ignore", "\\\n");
    dir.create("sub/deep/.ignore", "\\\n");
    // The root's own rule that cannot be parsed is a message (exit 1: nothing found); a
    // parent's is an error (exit 2), as ripgrep's walker raises them.
    let (out, err) = dir.command().args(["-d", "0", "foo", "sub"]).expect_err(1);
    eqnice!("", out);
    eqnice!(
        "mmgrep: sub/.ignore: line 1: error parsing glob '\\': dangling '\\'\n",
        err
    );
    let (_, err) = dir
        .command()
        .args(["-d", "0", "foo", "sub/deep"])
        .expect_err(2);
    assert!(
        err.contains("sub/.ignore: line 1: error parsing glob"),
        "{err}"
    );
}

#[test]
fn max_filesize_skips_larger_files() {
    let dir = tree("max_filesize_skips_larger_files");
    dir.create_dir(".git");
    dir.create("sub/big.txt", format!("foo\n{}\n", "0".repeat(1000)));
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command()
            .args(["--max-filesize", "100", "foo"])
            .stdout()
    );
    eqnice!(
        "a.txt:1\nsub/E.TXT:1\nsub/big.txt:1\nsub/c.txt:1\nsub/deep/d.txt:1\n",
        dir.command()
            .args(["--max-filesize", "1K", "-c", "foo"])
            .stdout()
    );
}

// ---- --files --------------------------------------------------------------------------

#[test]
fn files_with_quiet_prints_nothing_and_exits_on_whether_a_file_was_found() {
    let dir = tree("files_with_quiet_prints_nothing_and_exits_on_whether_a_file_was_found");
    dir.create_dir("empty");
    eqnice!("", dir.command().args(["-q", "--files"]).stdout());
    dir.command()
        .args(["-q", "--files", "empty"])
        .expect_status(1);
}

#[test]
fn files_loses_to_a_later_output_mode_as_in_ripgrep() {
    let dir = tree("files_loses_to_a_later_output_mode_as_in_ripgrep");
    dir.create_dir(".git");
    // `-c --files PAT`: --files came last, PAT is a path.
    eqnice!(
        "a.txt\n",
        dir.command().args(["-c", "--files", "a.txt"]).stdout()
    );
    // `--files -c PAT`: -c came last, PAT is the pattern.
    eqnice!(
        "a.txt:1\nsub/E.TXT:1\nsub/c.txt:1\nsub/deep/d.txt:1\n",
        dir.command().args(["--files", "-c", "foo"]).stdout()
    );
    eqnice!(
        "a.txt\n",
        dir.command()
            .args(["--files", "-l", "foo", "a.txt"])
            .stdout()
    );
}

#[test]
fn files_with_quiet_exits_0_once_a_file_is_found_despite_a_bad_path() {
    let dir = tree("files_with_quiet_exits_0_once_a_file_is_found_despite_a_bad_path");
    let (out, err) = dir
        .command()
        .args(["-q", "--files", "missing", "a.txt"])
        .expect_raw(0);
    assert!(out.is_empty());
    assert!(err.contains("missing"), "{err}");
    let (_, err) = dir.command().args(["-uuuu", "foo"]).expect_raw(2);
    assert!(err.contains("at most three times"), "{err}");
}

#[test]
fn files_lists_what_would_be_searched() {
    let dir = tree("files_lists_what_would_be_searched");
    dir.create_dir(".git");
    eqnice!(
        "a.txt\nsub/E.TXT\nsub/c.txt\nsub/deep/d.txt\n",
        dir.command().arg("--files").stdout()
    );
    eqnice!(
        "sub/E.TXT\nsub/c.txt\nsub/deep/d.txt\n",
        dir.command().args(["--files", "sub"]).stdout()
    );
    eqnice!(
        "./a.txt\n./sub/E.TXT\n./sub/c.txt\n./sub/deep/d.txt\n",
        dir.command().args(["--files", "."]).stdout()
    );
    eqnice!(
        "b.rs\n",
        dir.command().args(["--files", "-u", "-g", "*.rs"]).stdout()
    );
}

// ---- Symlinks -------------------------------------------------------------------------

fn links(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("d/f.txt", "foo\n");
    dir.create("real/r.txt", "foo\n");
    dir.symlink("../real", "d/link");
    dir.symlink("f.txt", "d/good");
    dir
}

#[test]
fn symlinks_not_followed_while_walking_without_follow() {
    let dir = links("symlinks_not_followed_while_walking_without_follow");
    dir.symlink("nowhere", "d/dangle");
    // The dangling link is skipped silently too.
    let (out, err) = dir.command().args(["foo", "d"]).expect_err(0);
    eqnice!("d/f.txt:foo\n", out);
    eqnice!("", err);
}

#[test]
fn follow_walks_through_symlinks() {
    let dir = links("follow_walks_through_symlinks");
    eqnice!(
        "d/f.txt:foo\nd/good:foo\nd/link/r.txt:foo\n",
        dir.command().args(["-L", "foo", "d"]).stdout()
    );
}

#[test]
fn symlink_named_explicitly_is_searched() {
    let dir = links("symlink_named_explicitly_is_searched");
    eqnice!("foo\n", dir.command().args(["foo", "d/good"]).stdout());
    eqnice!(
        "d/link/r.txt:foo\n",
        dir.command().args(["foo", "d/link"]).stdout()
    );
}

// ---- Printed paths (SPEC section 7) ---------------------------------------------------

fn two(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("cs/a.txt", "m1\nx\n");
    dir.create("cs/b.txt", "m4\n");
    dir
}

#[test]
fn implicit_path_strips_leading_dot_slash() {
    let dir = two("implicit_path_strips_leading_dot_slash");
    eqnice!("cs/a.txt:m1\n", dir.command().arg("m1").stdout());
}

#[test]
fn explicit_dot_keeps_dot_slash() {
    let dir = two("explicit_dot_keeps_dot_slash");
    eqnice!("./cs/a.txt:m1\n", dir.command().args(["m1", "."]).stdout());
    eqnice!("./cs/a.txt:m1\n", dir.command().args(["m1", "./"]).stdout());
    eqnice!(
        ".//cs/a.txt:m1\n",
        dir.command().args(["m1", ".//"]).stdout()
    );
    eqnice!("m1\n", dir.command().args(["m1", "./cs/a.txt"]).stdout());
}

#[test]
fn explicit_relative_and_absolute_roots_printed_verbatim() {
    let dir = two("explicit_relative_and_absolute_roots_printed_verbatim");
    let got = dir.command().args(["m1", "cs/../cs/"]).stdout();
    eqnice!("cs/../cs/a.txt:m1\n", got);
    let abs = dir.path().join("cs");
    let got = dir.command().arg("m1").arg(&abs).stdout();
    eqnice!(format!("{}/a.txt:m1\n", abs.display()), got);
}

#[test]
fn implicit_path_with_piped_stdin_searches_stdin() {
    let dir = two("implicit_path_with_piped_stdin_searches_stdin");
    eqnice!(
        "m1 from stdin\n",
        dir.command().arg("m1").stdin("m1 from stdin\n").stdout()
    );
}

#[test]
fn explicit_path_with_piped_stdin_ignores_stdin() {
    let dir = two("explicit_path_with_piped_stdin_ignores_stdin");
    eqnice!(
        "./cs/a.txt:m1\n",
        dir.command()
            .args(["m1", "."])
            .stdin("m1 from stdin\n")
            .stdout()
    );
}

#[test]
fn patterns_from_stdin_then_the_directory_is_searched() {
    let dir = two("patterns_from_stdin_then_the_directory_is_searched");
    eqnice!(
        "cs/a.txt:m1\n",
        dir.command().args(["-f", "-"]).stdin("m1\n").stdout()
    );
}

#[test]
fn nothing_searched_under_implicit_path_is_an_error() {
    let dir = Dir::new("nothing_searched_under_implicit_path_is_an_error");
    dir.create(".h", "foo\n");
    let (out, err) = dir.command().arg("foo").expect_err(2);
    eqnice!("", out);
    assert!(
        err.starts_with("mmgrep: No files were searched"),
        "stderr: {err}"
    );
    // With an explicit path there is no message.
    let (out, err) = dir.command().args(["foo", "."]).expect_err(1);
    eqnice!("", out);
    eqnice!("", err);
}

#[test]
fn explicit_files_bypass_globs_and_size_limits() {
    let dir = tree("explicit_files_bypass_globs_and_size_limits");
    dir.create("sub/big.txt", format!("foo\n{}\n", "0".repeat(1000)));
    eqnice!(
        "foo\n",
        dir.command()
            .args(["--max-filesize", "100", "foo", "sub/big.txt"])
            .stdout()
    );
    eqnice!(
        "foo\n",
        dir.command().args(["-g", "*.rs", "foo", "a.txt"]).stdout()
    );
}

#[test]
fn glob_with_a_slash_is_anchored() {
    let dir = tree("glob_with_a_slash_is_anchored");
    dir.create_dir(".git");
    eqnice!(
        "a.txt:foo\n",
        dir.command().args(["-g", "/a.txt", "foo"]).stdout()
    );
    eqnice!(
        "sub/c.txt:foo\n",
        dir.command().args(["-g", "sub/*.txt", "foo"]).stdout()
    );
}

#[test]
fn a_path_given_twice_is_searched_twice() {
    let dir = tree("a_path_given_twice_is_searched_twice");
    eqnice!(
        "a.txt:foo\na.txt:foo\n",
        dir.command().args(["foo", "a.txt", "a.txt"]).stdout()
    );
}

/// An ignore file with a rule that cannot be parsed: ripgrep's message on stderr, the other
/// rules still apply, exit status 0; `--no-ignore-messages` and `--no-messages` silence it.
/// The same through the sorted walk and the parallel one (`--sort none`).
#[test]
fn an_unparsable_ignore_rule_is_reported_and_the_others_apply() {
    let dir = Dir::new("an_unparsable_ignore_rule_is_reported_and_the_others_apply");
    dir.create("sub/.ignore", "a{b\n*.md\n");
    dir.create("sub/a.txt", "foo\n");
    dir.create("sub/b.md", "foo\n");
    let msg = "mmgrep: sub/.ignore: line 1: error parsing glob 'a{b': unclosed alternate group; \
               missing '}' (maybe escape '{' with '[{]'?)\n";
    for sort in ["path", "none"] {
        let (out, err) = dir
            .command()
            .args(["--sort", sort, "foo", "sub"])
            .expect_err(0);
        eqnice!("sub/a.txt:foo\n", out);
        eqnice!(msg, err);
        for quiet in ["--no-ignore-messages", "--no-messages"] {
            let (out, err) = dir
                .command()
                .args(["--sort", sort, quiet, "foo", "sub"])
                .expect_err(0);
            eqnice!("sub/a.txt:foo\n", out);
            eqnice!("", err);
        }
    }
}

/// Files are opened relative to their directory, kept open by the walker: a tree of 600
/// directories at two depths is searched whole and in order, on one thread and on two.
/// (How often the bound on kept directories is reached depends on how far the walker
/// runs ahead; `a_low_descriptor_limit_leaves_room_to_open_files` reaches it for sure.)
#[test]
fn a_tree_of_many_directories_is_searched_whole_in_order() {
    let dir = Dir::in_memory("a_tree_of_many_directories_is_searched_whole_in_order");
    let mut want = String::new();
    for i in 0..300 {
        for sub in ["/deeper", ""] {
            let name = format!("d{i:03}{sub}/f.txt");
            dir.create(&name, "foo\nbar\nfoo\n");
            want.push_str(&format!("{name}:2\n"));
        }
    }
    eqnice!(want, dir.command().args(["-c", "foo"]).stdout());
    eqnice!(want, dir.command().args(["-j1", "-c", "foo"]).stdout());
}

/// A file named on the command line is searched whatever the ignore files, hidden-file
/// rule and type filters say (as ripgrep, whose walker never skips a root), in the order
/// given, beside a directory that is walked with those rules.
#[test]
fn explicit_files_bypass_ignore_rules_hidden_files_and_types() {
    let dir = tree("explicit_files_bypass_ignore_rules_hidden_files_and_types");
    dir.create_dir(".git");
    eqnice!(
        "ign.log:foo\n.h.txt:foo\nb.rs:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n",
        dir.command()
            .args(["-T", "rust", "foo", "ign.log", ".h.txt", "b.rs", "sub"])
            .stdout()
    );
}

/// Directories kept open for their files take at most a quarter of the descriptor limit:
/// under a low limit every file still opens.
#[test]
fn a_low_descriptor_limit_leaves_room_to_open_files() {
    let dir = Dir::in_memory("a_low_descriptor_limit_leaves_room_to_open_files");
    let body = format!("foo\n{}", "filler line\n".repeat(20_000));
    let mut want = String::new();
    for i in 0..150 {
        for sub in ["/deeper", ""] {
            let name = format!("d{i:03}{sub}/f.txt");
            dir.create(&name, &body);
            want.push_str(&format!("{name}:1\n"));
        }
    }
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 24 && exec \"$0\" -c foo")
        .arg(env!("CARGO_BIN_EXE_mmgrep"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
    assert_eq!(out.status.code(), Some(0));
}

// ---- --no-require-git, case of ignore files and globs, --sortr, --type-add ---------------

/// Outside a repository git's rules do not count, and inside one the rules above its root
/// do not reach in (sub/deep is a repository); --no-require-git makes them all count, git's
/// global excludes too, and --require-git after it takes that back.
#[test]
fn no_require_git_honours_git_rules_outside_repositories() {
    let dir = tree("no_require_git_honours_git_rules_outside_repositories");
    dir.create("sub/.gitignore", "c.txt\n");
    dir.create_dir("sub/deep/.git");
    dir.create("sub/deep/x.log", "foo\n");
    let all = "a.txt:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n\
               sub/deep/x.log:foo\n";
    eqnice!(all, every_walker(&dir, &["foo"]));
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\nsub/deep/d.txt:foo\n",
        every_walker(&dir, &["--no-require-git", "foo"])
    );
    eqnice!(
        all,
        every_walker(&dir, &["--no-require-git", "--require-git", "foo"])
    );
    // From inside the repository, the rules above it count too.
    eqnice!(
        "sub/deep/d.txt:foo\n",
        every_walker(&dir, &["--no-require-git", "foo", "sub/deep"])
    );
    dir.create(".cfg/git/ignore", "*.rs\n");
    dir.create("sub/g.rs", "foo\n");
    eqnice!(
        "a.txt:foo\nsub/E.TXT:foo\nsub/deep/d.txt:foo\n",
        every_walker(&dir, &["--no-require-git", "--no-ignore-dot", "foo"])
    );
}

/// --ignore-file-case-insensitive: the rules of .ignore, .gitignore and .git/info/exclude
/// match in any case; --ignore-file's rules do not (as in ripgrep).
#[test]
fn ignore_file_case_insensitive_matches_ignore_rules_in_any_case() {
    let dir = tree("ignore_file_case_insensitive_matches_ignore_rules_in_any_case");
    dir.create_dir(".git/info");
    dir.create(".ignore", "B.RS\n");
    dir.create(".gitignore", "*.LOG\n");
    dir.create(".git/info/exclude", "SUB/C.TXT\n");
    dir.create("ig", "A.TXT\n");
    let all =
        "a.txt:foo\nb.rs:foo\nign.log:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n";
    eqnice!(all, every_walker(&dir, &["foo"]));
    let folded = "a.txt:foo\nsub/E.TXT:foo\nsub/deep/d.txt:foo\n";
    eqnice!(
        folded,
        every_walker(&dir, &["--ignore-file-case-insensitive", "foo"])
    );
    eqnice!(
        folded,
        every_walker(
            &dir,
            &[
                "--ignore-file-case-insensitive",
                "--ignore-file",
                "ig",
                "foo"
            ]
        )
    );
    eqnice!(
        all,
        every_walker(
            &dir,
            &[
                "--ignore-file-case-insensitive",
                "--no-ignore-file-case-insensitive",
                "foo"
            ]
        )
    );
}

/// --glob-case-insensitive makes every -g an --iglob, wherever it is given;
/// --no-glob-case-insensitive after it takes that back.
#[test]
fn glob_case_insensitive_makes_globs_iglobs() {
    let dir = tree("glob_case_insensitive_makes_globs_iglobs");
    eqnice!(
        "sub/E.TXT:foo\n",
        every_walker(&dir, &["-g", "*.TXT", "foo"])
    );
    let any_case = ".h.txt:foo\na.txt:foo\nsub/E.TXT:foo\nsub/c.txt:foo\nsub/deep/d.txt:foo\n";
    eqnice!(
        any_case,
        every_walker(&dir, &["--glob-case-insensitive", "-g", "*.TXT", "foo"])
    );
    eqnice!(
        any_case,
        every_walker(&dir, &["-g", "*.TXT", "--glob-case-insensitive", "foo"])
    );
    eqnice!(
        "sub/E.TXT:foo\n",
        every_walker(
            &dir,
            &[
                "--glob-case-insensitive",
                "--no-glob-case-insensitive",
                "-g",
                "*.TXT",
                "foo"
            ]
        )
    );
    eqnice!(
        "ign.log:foo\n",
        every_walker(&dir, &["--glob-case-insensitive", "-g", "!*.TXT", "foo"])
    );
}

/// --sortr path: every file of the run sorted by path, last first (so `a+` comes before
/// `a/y`, and the roots' order does not count); the last of --sort and --sortr wins.
#[test]
fn sortr_path_orders_files_last_first() {
    let dir = Dir::new("sortr_path_orders_files_last_first");
    for f in ["a+", "a/b/x", "a/y", "c/z", "top"] {
        dir.create(f, "foo\n");
    }
    let last_first = "top:foo\nc/z:foo\na+:foo\na/y:foo\na/b/x:foo\n";
    for pre in [&[][..], &["-L"], &["--sort", "none"], &["-j1"]] {
        let run = |args: &[&str]| dir.command().args(pre).args(args).stdout();
        eqnice!(last_first, run(&["--sortr", "path", "foo"]));
        eqnice!(
            "c/z:foo\na+:foo\na/y:foo\na/b/x:foo\n",
            run(&["--sortr", "path", "foo", "a", "a+", "c"])
        );
        eqnice!(
            "c/z:foo\na/b/x:foo\na/y:foo\n",
            run(&["--sortr", "path", "--sort", "path", "foo", "c", "a"])
        );
        eqnice!(
            "top:1\nc/z:1\na+:1\na/y:1\na/b/x:1\n",
            run(&["--sortr", "path", "-c", "foo"])
        );
        eqnice!(
            "top\nc/z\na+\na/y\na/b/x\n",
            run(&["--sortr", "path", "--files"])
        );
    }
    eqnice!(
        last_first,
        dir.command()
            .args(["--sort", "none", "--sortr", "path", "foo"])
            .stdout()
    );
    // --sortr none (or a --sort none after it) leaves the order to the workers.
    for args in [
        &["--sortr", "none"][..],
        &["--sortr", "path", "--sort", "none"],
    ] {
        let got = dir.command().args(args).args(["--files"]).stdout();
        let mut lines: Vec<&str> = got.lines().collect();
        lines.sort();
        eqnice!("a+\na/b/x\na/y\nc/z\ntop", lines.join("\n"));
    }
}

/// Sets a file's modification and access times, in seconds after the epoch.
fn set_times(path: &std::path::Path, modified: u64, accessed: u64) {
    use std::time::{Duration, UNIX_EPOCH};
    let f = std::fs::File::options().write(true).open(path).unwrap();
    let times = std::fs::FileTimes::new()
        .set_modified(UNIX_EPOCH + Duration::from_secs(modified))
        .set_accessed(UNIX_EPOCH + Duration::from_secs(accessed));
    f.set_times(times).unwrap();
}

/// --sort modified / accessed (and --sortr): every file of the run, named or found, by its
/// time, oldest first (newest first); equal times keep path order in both directions, and
/// stdin, which has no time, comes last (first). The bytes are ripgrep's (whose ties follow
/// its unsorted walk instead).
#[test]
fn sort_by_modified_and_accessed_times() {
    let dir = Dir::new("sort_by_modified_and_accessed_times");
    // (path, modified, accessed): a+ and c/z share their times.
    let files = [
        ("a+", 3000, 1000),
        ("a/b/x", 1000, 4000),
        ("a/y", 5000, 3000),
        ("c/z", 3000, 1000),
        ("top", 2000, 5000),
    ];
    for (f, ..) in files {
        dir.create(f, "foo\n");
    }
    // A search reads the files, which may move their access times: set before every run.
    let run = |args: &[&str], stdin: Option<&str>| {
        for (f, modified, accessed) in files {
            set_times(&dir.path().join(f), modified, accessed);
        }
        let mut cmd = dir.command();
        cmd.args(args);
        if let Some(s) = stdin {
            cmd.stdin(s);
        }
        cmd.stdout()
    };
    let by_mtime = "a/b/x:foo\ntop:foo\na+:foo\nc/z:foo\na/y:foo\n";
    let by_mtime_desc = "a/y:foo\na+:foo\nc/z:foo\ntop:foo\na/b/x:foo\n";
    for pre in [
        &[][..],
        &["-L"],
        &["-j1"],
        &["--sort", "none"],
        &["--sortr", "path"],
    ] {
        let with = |args: &[&'static str]| [pre, args].concat();
        eqnice!(by_mtime, run(&with(&["--sort", "modified", "foo"]), None));
        eqnice!(
            by_mtime_desc,
            run(&with(&["--sortr", "modified", "foo"]), None)
        );
        eqnice!(
            "a+:foo\nc/z:foo\na/y:foo\na/b/x:foo\ntop:foo\n",
            run(&with(&["--sort", "accessed", "foo"]), None)
        );
        eqnice!(
            "top:foo\na/b/x:foo\na/y:foo\na+:foo\nc/z:foo\n",
            run(&with(&["--sortr", "accessed", "foo"]), None)
        );
    }
    // Named files and directories are sorted together, whatever order they are given in.
    eqnice!(
        "a/b/x:foo\ntop:foo\nc/z:foo\na/y:foo\n",
        run(&["--sort", "modified", "foo", "c", "top", "a"], None)
    );
    // Stdin has no time.
    eqnice!(
        "top:foo\nc/z:foo\n<stdin>:foo\n",
        run(
            &["--sort", "modified", "foo", "-", "c", "top"],
            Some("foo\n")
        )
    );
    eqnice!(
        "<stdin>:foo\nc/z:foo\ntop:foo\n",
        run(
            &["--sortr", "modified", "foo", "c", "-", "top"],
            Some("foo\n")
        )
    );
    // Every output mode, and --files.
    eqnice!(
        "a/b/x:1\ntop:1\na+:1\nc/z:1\na/y:1\n",
        run(&["--sort", "modified", "-c", "foo"], None)
    );
    eqnice!(
        "a/y\na+\nc/z\ntop\na/b/x\n",
        run(&["--sortr", "modified", "-l", "foo"], None)
    );
    eqnice!(
        "a/b/x\ntop\na+\nc/z\na/y\n",
        run(&["--sort", "modified", "--files"], None)
    );
    // The last of --sort and --sortr wins.
    eqnice!(
        by_mtime,
        run(&["--sortr", "accessed", "--sort", "modified", "foo"], None)
    );
    eqnice!(
        "a/b/x:foo\na/y:foo\na+:foo\nc/z:foo\ntop:foo\n",
        run(&["--sort", "modified", "--sort", "path", "foo"], None)
    );
    // A --files-from list is sorted as a whole, as the paths of a command line are.
    dir.create("list", "top\nc\na/y\n");
    eqnice!(
        "a/y:foo\nc/z:foo\ntop:foo\n",
        run(
            &["--sortr", "modified", "--files-from", "list", "foo"],
            None
        )
    );
}

/// --sort created: every file by its creation time, where the platform records it; the
/// expected order is worked out here from the same times (ties in path order).
#[test]
fn sort_by_creation_time() {
    let dir = Dir::new("sort_by_creation_time");
    // Created last path first, a little apart, so that the order is seldom path order.
    let names = ["a", "b/c", "b/d", "e"];
    for f in names.iter().rev() {
        dir.create(f, "foo\n");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let exe_created = std::fs::metadata(env!("CARGO_BIN_EXE_mmgrep")).and_then(|m| m.created());
    let Ok(_) = exe_created else {
        // As ripgrep: refused when the executable's file system does not record it.
        let (out, err) = dir
            .command()
            .args(["--sort", "created", "foo"])
            .expect_err(2);
        eqnice!("", out);
        assert!(
            err.contains("sorting by creation time isn't supported"),
            "stderr: {err}"
        );
        return;
    };
    let created = |f: &str| {
        std::fs::metadata(dir.path().join(f))
            .and_then(|m| m.created())
            .ok()
    };
    // A file whose time this file system does not record comes last (first with --sortr).
    let key = |f: &&str| (created(f).is_none(), created(f));
    let mut want: Vec<&str> = names.to_vec();
    want.sort_by_key(key);
    let lines = |v: &[&str]| v.iter().map(|f| format!("{f}:foo\n")).collect::<String>();
    eqnice!(
        lines(&want),
        dir.command().args(["--sort", "created", "foo"]).stdout()
    );
    let mut desc = names.to_vec();
    desc.sort_by_key(|f| std::cmp::Reverse(key(f)));
    eqnice!(
        lines(&desc),
        dir.command().args(["--sortr", "created", "foo"]).stdout()
    );
}

/// ripgrep's deprecated --sort-files is --sort path, and its negation --no-sort-files is
/// --sort none; the last of them, --sort and --sortr wins.
#[test]
fn sort_files_is_sort_path() {
    let dir = Dir::new("sort_files_is_sort_path");
    let files = [("a", 3000), ("b/c", 1000), ("d", 2000)];
    for (f, t) in files {
        dir.create(f, "foo\n");
        set_times(&dir.path().join(f), t, t);
    }
    let run = |args: &[&str]| dir.command().args(args).arg("foo").stdout();
    let by_path = "a:foo\nb/c:foo\nd:foo\n";
    eqnice!(by_path, run(&["--sort-files"]));
    eqnice!(by_path, run(&["--sortr", "modified", "--sort-files"]));
    eqnice!(by_path, run(&["--sort", "none", "--sort-files"]));
    eqnice!(
        "a:foo\nd:foo\nb/c:foo\n",
        run(&["--sort-files", "--sortr", "modified"])
    );
    eqnice!(
        "b/c:foo\nd:foo\na:foo\n",
        run(&["--sort-files", "--no-sort-files", "--sort", "modified"])
    );
    // --no-sort-files: completion order (the same lines, in any order).
    for args in [
        &["--no-sort-files"][..],
        &["--sortr", "modified", "--no-sort-files"],
    ] {
        let got = run(args);
        let mut lines: Vec<&str> = got.lines().collect();
        lines.sort();
        eqnice!("a:foo\nb/c:foo\nd:foo", lines.join("\n"));
    }
}

/// --type-add adds globs (or other types' with include:) to a type, new or not;
/// --type-clear forgets a type's globs, the changes applying in command-line order.
#[test]
fn type_add_and_type_clear_change_the_types() {
    let dir = tree("type_add_and_type_clear_change_the_types");
    for f in ["x.foo", "y.py", "z.c"] {
        dir.create(f, "foo\n");
    }
    let run = |args: &[&str]| every_walker(&dir, args);
    eqnice!(
        "x.foo:foo\n",
        run(&["--type-add", "foo:*.foo", "-t", "foo", "foo"])
    );
    eqnice!(
        "y.py:foo\nz.c:foo\n",
        run(&["--type-add", "src:include:c,py", "-t", "src", "foo"])
    );
    eqnice!(
        "x.foo:foo\ny.py:foo\nz.c:foo\n",
        run(&[
            "--type-add",
            "src:include:c,py",
            "--type-add",
            "src:*.foo",
            "-t",
            "src",
            "foo"
        ])
    );
    eqnice!(
        "ign.log:foo\n",
        run(&[
            "--type-clear",
            "txt",
            "--type-add",
            "txt:*.log",
            "-t",
            "txt",
            "foo"
        ])
    );
    eqnice!(
        "b.rs:foo\n",
        run(&[
            "--no-ignore",
            "--type-add",
            "txt:*.log",
            "--type-clear",
            "txt",
            "--type-add",
            "txt:*.rs",
            "-t",
            "txt",
            "foo"
        ])
    );
    eqnice!(
        "ign.log:foo\nsub/E.TXT:foo\ny.py:foo\nz.c:foo\n",
        run(&["--type-add", "foo:*.foo", "-T", "foo", "-T", "txt", "foo"])
    );
    // Of two selections matching a file, the later one decides.
    eqnice!(
        "b.rs:foo\nz.c:foo\n",
        run(&[
            "--no-ignore",
            "-T",
            "rust",
            "--type-add",
            "src:include:c,rust",
            "-t",
            "src",
            "foo"
        ])
    );
    eqnice!(
        "z.c:foo\n",
        run(&[
            "--no-ignore",
            "--type-add",
            "src:include:c,rust",
            "-t",
            "src",
            "-T",
            "rust",
            "foo"
        ])
    );
    let (_, err) = dir
        .command()
        .args(["-T", "nope1", "-t", "nope2", "foo"])
        .expect_err(2);
    eqnice!("mmgrep: unrecognized file type: nope1\n", err);
    // A cleared type is gone; a bad definition is a usage error, with ripgrep's words.
    let (_, err) = dir
        .command()
        .args(["--type-clear", "rust", "-t", "rust", "foo"])
        .expect_err(2);
    eqnice!("mmgrep: unrecognized file type: rust\n", err);
    for bad in ["foo", "foo:", ":*.x", "f-o:*.x", "foo:include:nope"] {
        let (out, err) = dir.command().args(["--type-add", bad, "foo"]).expect_err(2);
        eqnice!("", out);
        eqnice!(
            "mmgrep: invalid definition (format is type:glob, e.g., html:*.html)\n",
            err
        );
    }
    let list = dir
        .command()
        .args([
            "--type-add",
            "foo:*.foo",
            "--type-add",
            "src:include:c,foo",
            "--type-add",
            "src:*.x",
            "--type-clear",
            "rust",
            "--type-list",
        ])
        .stdout();
    let pick: Vec<&str> = list
        .lines()
        .filter(|l| ["foo:", "src:", "rust:"].iter().any(|p| l.starts_with(p)))
        .collect();
    eqnice!(
        "foo: *.foo\nsrc: *.[chH], *.[chH].in, *.cats, *.foo, *.x",
        pick.join("\n")
    );
}

/// --one-file-system: no directory on another file system than its PATH's is entered;
/// each PATH is searched wherever it is. Here /proc (when it is a file system of its own)
/// and a link into /dev/shm (followed with -L) stand for a mount inside the tree, which a
/// test cannot make.
#[test]
fn one_file_system_stays_on_each_paths_file_system() {
    use std::os::unix::fs::MetadataExt;
    let dev = |p: &str| std::fs::metadata(p).map(|m| m.dev()).ok();
    let dir = Dir::new("one_file_system_stays_on_each_paths_file_system");
    if dev("/") != dev("/proc") && dev("/proc/version").is_some() {
        for pre in [&[][..], &["-L"], &["--sort", "none"]] {
            let files = |args: &[&str]| {
                let out = dir
                    .command()
                    .args(pre)
                    .args(["--files", "-d", "2", "--no-messages"])
                    .args(args)
                    .output();
                String::from_utf8(out.stdout).unwrap()
            };
            let has_proc = |s: &str| s.lines().any(|l| l == "/proc/version");
            assert!(has_proc(&files(&["/"])), "{pre:?}");
            assert!(!has_proc(&files(&["--one-file-system", "/"])), "{pre:?}");
            assert!(
                has_proc(&files(&["--one-file-system", "--no-one-file-system", "/"])),
                "{pre:?}"
            );
            assert!(
                has_proc(&files(&["--one-file-system", "/", "/proc"])),
                "{pre:?}"
            );
        }
    } else {
        eprintln!("/proc is not a file system of its own here: not checked");
    }
    let shm = crate::util::Dir::in_memory("one_file_system_stays_on_each_paths_file_system");
    if dev(shm.path().to_str().unwrap()) != dev(dir.path().to_str().unwrap()) {
        shm.create("d/s.txt", "foo\n");
        dir.create("a.txt", "foo\n");
        dir.symlink(shm.path().join("d"), "link");
        eqnice!(
            "a.txt\nlink/s.txt\n",
            dir.command().args(["-L", "--files"]).stdout()
        );
        eqnice!(
            "a.txt\n",
            dir.command()
                .args(["-L", "--one-file-system", "--files"])
                .stdout()
        );
    } else {
        eprintln!("/dev/shm is not a file system of its own here: not checked");
    }
}

// ---- --debug ---------------------------------------------------------------------------

#[test]
fn debug_says_why_each_skipped_path_is_skipped() {
    let dir = tree("debug_says_why_each_skipped_path_is_skipped");
    dir.create_dir(".git");
    dir.create("big.txt", "foo\n".repeat(100));
    let (out, err) = dir
        .command()
        .args([
            "--debug",
            "--max-filesize",
            "100",
            "-g",
            "!sub/c.txt",
            "foo",
        ])
        .expect_err(0);
    eqnice!("a.txt:foo\nsub/E.TXT:foo\nsub/deep/d.txt:foo\n", out);
    for (path, why) in [
        ("./.h.txt", "hidden (--hidden searches it)"),
        ("./b.rs", "ignored by the rule 'b.rs' in ./.ignore"),
        ("./ign.log", "ignored by the rule '*.log' in ./.gitignore"),
        ("./big.txt", "400 bytes, more than --max-filesize"),
        ("./sub/c.txt", "excluded by the -g/--glob rules"),
    ] {
        let want = format!("ignoring {path}: {why}\n");
        assert!(err.contains(&want), "no {want:?} in:\n{err}");
    }
    assert!(err.contains("patterns searched by one literal"), "{err}");
    // Without it, nothing of the kind.
    let (_, err) = dir.command().arg("foo").expect_err(0);
    eqnice!("", err);
}

#[test]
fn trace_names_every_file_searched_and_the_last_of_debug_and_trace_counts() {
    let dir = tree("trace_names_every_file_searched");
    let (_, err) = dir
        .command()
        .args(["--debug", "--trace", "foo"])
        .expect_err(0);
    assert!(
        err.contains("TRACE|") && err.contains("searching a.txt"),
        "{err}"
    );
    let (_, err) = dir
        .command()
        .args(["--trace", "--debug", "foo"])
        .expect_err(0);
    assert!(!err.contains("TRACE|") && err.contains("DEBUG|"), "{err}");
}

#[test]
fn follow_a_link_to_a_directory_above_the_root_is_walked_as_ripgrep_walks_it() {
    let dir = Dir::new("follow_a_link_to_a_directory_above_the_root");
    dir.create("top/a/x.txt", "foo\n");
    dir.create("top/y.txt", "foo\n");
    dir.symlink("..", "top/a/up");
    // walkdir 2.5.0 (ripgrep 15.2's) calls it a loop only where the walk meets a directory
    // it is inside: one level down it is followed into top/, whose y.txt is listed.
    let got = dir
        .command()
        .args(["-L", "--max-depth", "2", "--files", "top/a"])
        .stdout();
    eqnice!("top/a/up/y.txt\ntop/a/x.txt\n", got);
    let (out, err) = dir.command().args(["-L", "--files", "top/a"]).expect_err(2);
    eqnice!("top/a/up/a/x.txt\ntop/a/up/y.txt\ntop/a/x.txt\n", out);
    eqnice!(
        "mmgrep: File system loop found: top/a/up/a/up points to an ancestor top/a/up\n",
        err
    );
}
