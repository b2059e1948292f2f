//! Faults from outside: files that shrink under mmgrep's maps while it searches them.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::Dir;

/// A file truncated by another process at random moments of a search never kills mmgrep
/// (no SIGBUS death), and nothing read from the zero pages the guard maps in is printed:
/// with -a, a pattern matching NUL would find those pages' zeros.
#[test]
fn truncated_during_search_is_reported_not_fatal() {
    let dir = Dir::new("truncated_during_search");
    let path = dir.path().join("big.log");
    let mut line = Vec::new();
    for i in 0..64 {
        line.extend_from_slice(
            format!("line {i:03} of the log with nothing special in it\n").as_bytes(),
        );
    }
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let (mut faulted, mut completed) = (0, 0);
    for round in 0..50 {
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            for _ in 0..(48 << 20) / line.len() {
                f.write_all(&line).unwrap();
            }
        }
        // Alternate a count with printed lines (which pass through the spill path).
        let mode = if round % 2 == 0 { "-c" } else { "-n" };
        let child = Command::new(env!("CARGO_BIN_EXE_mmgrep"))
            .args([
                "--mmap",
                "always",
                "--chunk-size",
                "1M",
                "-j2",
                "-a",
                mode,
                r"\x00|QQQZZZ",
            ])
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(next() % 40_000));
        let keep = next() % (16 << 20);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(keep)
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.signal().is_none(),
            "round {round}: mmgrep died from signal {:?}; stderr: {stderr}",
            out.status.signal()
        );
        assert!(
            !out.stdout.contains(&0),
            "round {round}: zero-page bytes were printed"
        );
        match out.status.code() {
            Some(2) => {
                assert!(
                    stderr.contains("file changed while it was being read"),
                    "round {round}: {stderr}"
                );
                faulted += 1;
            }
            // The search ended before (or never reached) the cut: no NUL can match.
            Some(1) => completed += 1,
            other => panic!("round {round}: unexpected status {other:?}: {stderr}"),
        }
    }
    eprintln!("truncation rounds: {faulted} hit the shrunken file, {completed} finished first");
    assert!(
        faulted > 0,
        "no round truncated the file during the search: the test did not test"
    );
}

/// A reader that stops early (`mmgrep ... | head -1`) ends the run quietly with status 0,
/// even in the middle of the first file's output.
#[test]
fn broken_pipe_exits_zero_quietly() {
    let dir = Dir::new("broken_pipe_exits_zero_quietly");
    let mut data = Vec::new();
    for i in 0..200_000 {
        data.extend_from_slice(format!("match line {i}\n").as_bytes());
    }
    dir.create("big.txt", &data);
    let mut child = Command::new(env!("CARGO_BIN_EXE_mmgrep"))
        .args(["-n", "match", "big.txt"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    assert_eq!(&first, b"1:match line 0\n2");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
