//! The config file named by MMGREP_CONFIG_PATH: default arguments before the command
//! line's own, ripgrep's RIPGREP_CONFIG_PATH rules.

use crate::util::Dir;

fn sample(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("a.txt", "Foo one\nfoo two\nbar\n");
    dir.create("b.log", "foo in a log\n");
    dir
}

#[test]
fn arguments_come_from_the_file() {
    let dir = sample("arguments_come_from_the_file");
    dir.create(
        "mmgreprc",
        "# defaults for every search\n\n   --ignore-case   \n--line-number\n\t# an indented comment\n-g\n!*.log\n",
    );
    let got = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "mmgreprc")
        .args(["FOO"])
        .stdout();
    eqnice!("a.txt:1:Foo one\na.txt:2:foo two\n", got);
}

/// The command line comes after the file, so its flags win where they override.
#[test]
fn the_command_line_overrides_the_file() {
    let dir = sample("the_command_line_overrides_the_file");
    dir.create("mmgreprc", "--ignore-case\n--line-number\n");
    let got = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "mmgreprc")
        .args(["-s", "-N", "foo", "a.txt"])
        .stdout();
    eqnice!("foo two\n", got);
}

#[test]
fn no_config_ignores_the_file() {
    let dir = sample("no_config_ignores_the_file");
    dir.create("mmgreprc", "--ignore-case\n");
    let got = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "mmgreprc")
        .args(["--no-config", "-n", "Foo", "a.txt"])
        .stdout();
    eqnice!("1:Foo one\n", got);
    // A pattern that reads "--no-config" is not the flag.
    dir.create("c.txt", "x --no-config y\n");
    let got = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "mmgreprc")
        .args(["-e", "--NO-CONFIG", "c.txt"])
        .stdout();
    eqnice!("x --no-config y\n", got);
}

/// A config file that cannot be read is reported, and the run goes on (exit status as if
/// there was none).
#[test]
fn unreadable_config_is_reported_and_ignored() {
    let dir = sample("unreadable_config_is_reported_and_ignored");
    let (out, err) = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "no-such-file")
        .args(["foo", "a.txt"])
        .expect_raw(0);
    eqnice!("foo two\n", String::from_utf8_lossy(&out));
    eqnice!(
        "mmgrep: failed to read the file specified in MMGREP_CONFIG_PATH: no-such-file: \
         No such file or directory (os error 2)\n",
        err
    );
    dir.create_dir("a-directory");
    let (out, err) = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "a-directory")
        .args(["zzz", "a.txt"])
        .expect_raw(1);
    assert!(out.is_empty());
    assert!(
        err.starts_with(
            "mmgrep: failed to read the file specified in MMGREP_CONFIG_PATH: a-directory: "
        ),
        "{err}"
    );
}

#[test]
fn empty_variable_means_no_config() {
    let dir = sample("empty_variable_means_no_config");
    let (out, err) = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "")
        .args(["foo", "a.txt"])
        .expect_raw(0);
    eqnice!("foo two\n", String::from_utf8_lossy(&out));
    eqnice!("", err);
}

/// A bad argument in the file is a usage error like one on the command line.
#[test]
fn bad_argument_in_the_file_is_an_error() {
    let dir = sample("bad_argument_in_the_file_is_an_error");
    dir.create("mmgreprc", "--no-such-flag\n");
    let (out, err) = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "mmgreprc")
        .args(["foo", "a.txt"])
        .expect_raw(2);
    assert!(out.is_empty());
    assert!(err.contains("--no-such-flag"), "{err}");
}

/// Arguments are taken whole: no quoting, spaces inside a line are kept.
#[test]
fn lines_are_arguments_verbatim() {
    let dir = sample("lines_are_arguments_verbatim");
    dir.create("mmgreprc", "--glob=!*.log\n--context-separator=== cut ==\n");
    let got = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "mmgreprc")
        .args(["-H", "foo|bar"])
        .stdout();
    eqnice!("a.txt:foo two\na.txt:bar\n", got);
    dir.create("g.txt", "one\nx\ny\nz\nbar\n");
    let got = dir
        .command()
        .env("MMGREP_CONFIG_PATH", "mmgreprc")
        .args(["-C1", "one|bar", "g.txt"])
        .stdout();
    eqnice!("one\nx\n== cut ==\nz\nbar\n", got);
}
