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

/// A file that disappears after the walk found it and before a worker opens it is reported
/// with its path, and the other files are still searched. With one worker blocked reading a
/// FIFO named first, the walker queues `gone.txt` before the test deletes it.
#[test]
fn file_deleted_between_walk_and_open() {
    let dir = Dir::new("file_deleted_between_walk_and_open");
    let fifo = dir.path().join("a.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    dir.create("d/gone.txt", "needle here\n");
    dir.create("d/kept.txt", "needle kept\n");
    let child = Command::new(env!("CARGO_BIN_EXE_mmgrep"))
        .args(["-j1", "needle", "a.fifo", "d"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The walker lists d/ at once; the worker is stuck on the FIFO until we write to it.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::remove_file(dir.path().join("d/gone.txt")).unwrap();
    std::fs::write(&fifo, "needle in the pipe\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eqnice!(
        "a.fifo:needle in the pipe\nd/kept.txt:needle kept\n",
        stdout
    );
    assert!(
        stderr.contains("mmgrep: d/gone.txt: No such file or directory (os error 2)"),
        "stderr: {stderr}"
    );
    assert_eq!(out.status.code(), Some(2));
}

/// A directory of 100,000 files is searched with bounded memory: the walker runs ahead of
/// the workers by a bounded queue, not by the whole tree. The child's own high-water mark
/// (VmHWM, of its address space after exec; rusage would include the test process's memory
/// from before the exec) is sampled until it exits; the bound is the 64 MiB of issue 6.
#[test]
fn hundred_thousand_files_in_bounded_memory() {
    let dir = Dir::in_memory("hundred_thousand_files");
    for d in 0..100 {
        let sub = dir.create_dir(format!("d{d:02}"));
        for i in 0..1000 {
            let body: &[u8] = if d == 42 && i == 424 {
                b"the needle\n"
            } else {
                b"hay\n"
            };
            std::fs::write(sub.join(format!("f{i:04}")), body).unwrap();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_mmgrep"))
        .args(["-l", "needle", "."])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let (mut peak_kib, mut samples) = (0u64, 0);
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(&status_path)
            && let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
            samples += 1;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let out = child.wait_with_output().unwrap();
    eqnice!("./d42/f0424\n", String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        samples > 0,
        "the run ended before its memory could be read once"
    );
    assert!(peak_kib < 64 * 1024, "peak resident memory {peak_kib} KiB");
}
