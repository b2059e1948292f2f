//! The search progress bar: drawn on stderr only when stderr is a terminal and stdout is
//! not, after about a second, never with -q or --json.
//!
//! A search is made to last past the delay by naming a FIFO whose writer waits 1.5 s. The
//! terminal cases run under `script` (util-linux, Debian's bsdutils), which gives mmgrep a
//! pseudo-terminal; they are skipped with a note where `script` cannot run.
//!
//! Also here: live streams (stdin, FIFOs) under line buffering, whose lines must come out
//! while the stream is still open.

use std::ffi::CString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::Dir;

/// How long the FIFO's writer waits: past the bar's one-second delay.
const SLOW: Duration = Duration::from_millis(1500);

fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    let r = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(
        r,
        0,
        "mkfifo {}: {}",
        path.display(),
        std::io::Error::last_os_error()
    );
}

fn slow_tree(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.create("a.txt", "foo fast\n");
    mkfifo(&dir.path().join("slow"));
    dir
}

/// Without a terminal anywhere: results on stdout, nothing at all on stderr.
#[test]
fn no_bar_when_stderr_is_not_a_terminal() {
    let dir = slow_tree("no_bar_when_stderr_is_not_a_terminal");
    let fifo = dir.path().join("slow");
    let writer = std::thread::spawn(move || {
        std::thread::sleep(SLOW);
        let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
        f.write_all(b"foo slow\n").unwrap();
    });
    let (out, err) = dir.command().args(["foo", "a.txt", "slow"]).expect_raw(0);
    writer.join().unwrap();
    eqnice!(
        "a.txt:foo fast\nslow:foo slow\n",
        String::from_utf8_lossy(&out)
    );
    eqnice!("", err);
}

/// Runs `sh -c SCRIPT` in `dir` under `script`, so that stdin, stdout and stderr are a
/// terminal unless the script redirects them; returns what reached the terminal, or None
/// when `script` is not usable here.
fn on_a_terminal(dir: &Dir, shell: &str) -> Option<String> {
    let probe = Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .stdin(Stdio::null())
        .output();
    match probe {
        Ok(o) if o.status.success() => {}
        other => {
            eprintln!("`script` is not usable here ({other:?}): terminal progress test skipped");
            return None;
        }
    }
    let out = Command::new("script")
        .args(["-qec", &format!("sh -c '{shell}'"), "/dev/null"])
        .current_dir(dir.path())
        .env("MMGREP", env!("CARGO_BIN_EXE_mmgrep"))
        .env("TERM", "xterm")
        .env_remove("MMGREP_CONFIG_PATH")
        .stdin(Stdio::null())
        .output()
        .expect("run script");
    assert!(
        out.status.success(),
        "script failed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The FIFO gets its line after `secs` seconds, while `$MMGREP ARGS > out` runs.
fn slow_search(secs: &str, args: &str) -> String {
    format!("(sleep {secs}; echo foo slow > slow) & \"$MMGREP\" {args} > out; wait")
}

/// The search lasts 2.5 s, the bar shows after 1 s: a wide margin for a slow start.
#[test]
fn bar_when_stderr_is_a_terminal_and_stdout_is_not() {
    let dir = slow_tree("bar_when_stderr_is_a_terminal_and_stdout_is_not");
    let Some(tty) = on_a_terminal(&dir, &slow_search("2.5", "foo a.txt slow")) else {
        return;
    };
    assert!(
        tty.contains("searching"),
        "no progress bar on the terminal:\n{tty:?}"
    );
    assert!(tty.contains("files"), "{tty:?}");
    // The results are untouched by the bar.
    eqnice!(
        "a.txt:foo fast\nslow:foo slow\n",
        String::from_utf8_lossy(&dir.read("out")).into_owned()
    );
}

#[test]
fn no_bar_with_quiet_or_json_or_when_stdout_is_the_terminal() {
    let dir = slow_tree("no_bar_with_quiet_or_json");
    for args in ["-q zzz a.txt slow", "--json foo a.txt slow"] {
        let Some(tty) = on_a_terminal(&dir, &slow_search("1.5", args)) else {
            return;
        };
        assert!(!tty.contains("searching"), "a bar with {args}:\n{tty:?}");
    }
    assert!(String::from_utf8_lossy(&dir.read("out")).contains(r#""type":"summary""#));
    // Results on the terminal: they are the progress.
    let script =
        "(sleep 1.5; echo foo slow > slow) & \"$MMGREP\" --color never foo a.txt slow; wait";
    let Some(tty) = on_a_terminal(&dir, script) else {
        return;
    };
    assert!(
        !tty.contains("searching"),
        "a bar with stdout on the terminal:\n{tty:?}"
    );
    assert!(tty.contains("foo slow"), "{tty:?}");
}

/// A short search never shows the bar, even on a terminal.
#[test]
fn no_bar_for_a_short_search() {
    let dir = Dir::new("no_bar_for_a_short_search");
    dir.create("a.txt", "foo fast\n");
    let Some(tty) = on_a_terminal(&dir, "\"$MMGREP\" foo a.txt > out") else {
        return;
    };
    eqnice!("", tty);
    eqnice!(
        "foo fast\n",
        String::from_utf8_lossy(&dir.read("out")).into_owned()
    );
}

/// An error reported while the bar is on screen prints on its own line, whole: the bar is
/// cleared first and redrawn after.
#[test]
fn messages_print_above_the_bar() {
    let dir = Dir::new("messages_print_above_the_bar");
    dir.create("a.txt", "foo a\n");
    dir.create("b.txt", "foo b\n");
    let script = "(echo a.txt; sleep 2; echo missing; sleep 0.5; echo b.txt) \
                  | \"$MMGREP\" foo --files-from - > out; test $? -eq 2";
    let Some(tty) = on_a_terminal(&dir, script) else {
        return;
    };
    assert!(
        tty.contains("searching"),
        "no progress bar on the terminal:\n{tty:?}"
    );
    let line = tty
        .split(['\r', '\n'])
        .find(|l| l.contains("mmgrep:"))
        .unwrap_or_else(|| panic!("no message:\n{tty:?}"));
    eqnice!(
        "mmgrep: missing: No such file or directory (os error 2)",
        line.trim_start_matches("\x1b[2K")
    );
    eqnice!(
        "a.txt:foo a\nb.txt:foo b\n",
        String::from_utf8_lossy(&dir.read("out")).into_owned()
    );
}

/// Reads stdout line by line on a thread; each line arrives on the channel as it is printed.
fn lines_of(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    rx
}

/// How long a line may take to come out of a line-buffered mmgrep: generous for a slow CI
/// machine; a block-buffered mmgrep holds it until stdin closes, which never happens first.
const PROMPT: Duration = Duration::from_secs(20);

/// `tail -f log | mmgrep --line-buffered PAT | ...`: each selected line leaves while stdin
/// is still open.
#[test]
fn line_buffered_prints_each_line_of_a_live_stream_as_it_comes() {
    let dir = Dir::new("line_buffered_prints_each_line_of_a_live_stream_as_it_comes");
    for args in [
        &["--line-buffered", "-n", "foo"][..],
        &["--block-buffered", "--line-buffered", "--json", "foo"][..],
    ] {
        let mut child = dir.command().args(args).spawn_piped();
        let mut input = child.stdin.take().unwrap();
        let lines = lines_of(&mut child);
        input.write_all(b"foo one\nbar\n").unwrap();
        input.flush().unwrap();
        let first = lines
            .recv_timeout(PROMPT)
            .expect("no line while stdin was open");
        if args.contains(&"--json") {
            assert!(first.starts_with(r#"{"type":"begin""#), "{first}");
            let m = lines
                .recv_timeout(PROMPT)
                .expect("no match while stdin was open");
            assert!(m.contains(r#""text":"foo one\n""#), "{m}");
        } else {
            eqnice!("1:foo one", first);
        }
        input.write_all(b"foo two\n").unwrap();
        input.flush().unwrap();
        let second = lines.recv_timeout(PROMPT).expect("no second line");
        assert!(second.contains("foo two"), "{second}");
        drop(input);
        assert!(child.wait().unwrap().success());
    }
}

/// The same through a FIFO named on the command line; and `--block-buffered` (last) keeps
/// the line until the stream ends.
#[test]
fn line_buffered_fifo_and_block_buffered_stdin() {
    let dir = Dir::new("line_buffered_fifo_and_block_buffered_stdin");
    let fifo = dir.path().join("live");
    mkfifo(&fifo);
    let mut child = dir
        .command()
        .args(["--line-buffered", "foo", "live"])
        .spawn_piped();
    let lines = lines_of(&mut child);
    let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    w.write_all(b"foo one\n").unwrap();
    eqnice!(
        "foo one",
        lines
            .recv_timeout(PROMPT)
            .expect("no line while the FIFO was open")
    );
    drop(w);
    assert!(child.wait().unwrap().success());

    let mut child = dir
        .command()
        .args(["--line-buffered", "--block-buffered", "foo"])
        .spawn_piped();
    let mut input = child.stdin.take().unwrap();
    let lines = lines_of(&mut child);
    input.write_all(b"foo one\n").unwrap();
    input.flush().unwrap();
    assert!(
        lines.recv_timeout(Duration::from_millis(700)).is_err(),
        "--block-buffered printed before the stream ended"
    );
    drop(input);
    eqnice!(
        "foo one",
        lines.recv_timeout(PROMPT).expect("no line at the end")
    );
    assert!(child.wait().unwrap().success());
}

/// On a terminal, output is line-buffered without asking (as ripgrep's), and a search of
/// stdin shows no bar (a pipeline's stream has no size, and the terminal may belong to
/// another program of the pipeline).
#[test]
fn a_terminal_gets_each_line_of_a_live_stream_and_stdin_gets_no_bar() {
    let dir = Dir::new("a_terminal_gets_each_line_of_a_live_stream");
    let shell = "(echo foo one; sleep 4; echo foo two) | \"$MMGREP\" --color never foo & \
                 sleep 2; echo MARK; wait";
    let Some(tty) = on_a_terminal(&dir, shell) else {
        return;
    };
    let one = tty.find("foo one").expect("first line missing");
    let mark = tty.find("MARK").expect("mark missing");
    let two = tty.find("foo two").expect("second line missing");
    assert!(one < mark && mark < two, "{tty:?}");

    let Some(tty) = on_a_terminal(&dir, "(sleep 2.5; echo foo late) | \"$MMGREP\" foo > out")
    else {
        return;
    };
    assert!(!tty.contains("searching"), "a bar for stdin: {tty:?}");
    eqnice!(
        "foo late\n",
        String::from_utf8_lossy(&dir.read("out")).into_owned()
    );
}
