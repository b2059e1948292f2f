//! In-place replacement (issue 4): same bytes as `sed -i`, all or nothing on a length
//! mismatch, crash recovery (an abort hook at many points, real SIGKILL at random moments),
//! files that change, shrink or are locked while a run works, files it must not write,
//! `--dry-run` diffs and `--json` lines.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::Dir;

/// Every regular file under `root` (journals excluded), by relative path.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn go(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                go(root, &p, out);
            } else if ft.is_file()
                && !e
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".mmgrep-journal")
            {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    go(root, root, &mut out);
    out
}

/// A snapshot with every `spin_lock` turned into `spin_lick`: the tree after a whole run.
fn spin_licked(original: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    original
        .iter()
        .map(|(k, v)| {
            let text = String::from_utf8(v.clone()).unwrap();
            (
                k.clone(),
                text.replace("spin_lock", "spin_lick").into_bytes(),
            )
        })
        .collect()
}

/// Journals left in `dir`.
fn journals(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".mmgrep-journal")
        })
        .collect()
}

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "spin_lock",
    "spin_unlock",
    "mutex_lock",
    "irq",
    "flags",
    "struct",
    "return",
    "static",
    "int",
    "void",
    "spin_lock_irqsave",
    "foo_bar",
    "lock",
    "spin",
    "x",
    "(&dev->lock);",
    "if",
    "{",
    "}",
    "/* spin_lock */",
];

/// C-like text with `lines` lines.
fn text(rng: &mut Lcg, lines: usize) -> String {
    let mut s = String::new();
    for _ in 0..lines {
        let n = rng.below(9);
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
        }
        s.push('\n');
    }
    s
}

/// A tree of `files` C-like files in nested directories, with the odd cases: no final
/// newline, CRLF, empty, no match, a mode other than 0644.
fn make_tree(dir: &Dir, root: &str, files: usize, lines: usize, seed: u64) -> PathBuf {
    let mut rng = Lcg(seed);
    let base = dir.create_dir(root);
    for i in 0..files {
        let sub = format!("{root}/d{}/e{}/f{i}.c", i % 4, i % 3);
        let n = lines + rng.below(lines as u64 + 1) as usize;
        let mut t = text(&mut rng, n);
        match i % 7 {
            1 => {
                t.pop();
            }
            2 => t = t.replace('\n', "\r\n"),
            3 => t = t.replace("spin", "nips"),
            _ => {}
        }
        let p = dir.create(&sub, &t);
        if i % 5 == 4 {
            fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    dir.create(format!("{root}/empty.c"), "");
    base
}

/// Runs `sed -i -E EXPR` on every file of `root`.
fn sed(root: &Path, expr: &str) {
    let files: Vec<PathBuf> = snapshot(root).keys().map(|k| root.join(k)).collect();
    let st = Command::new("sed")
        .arg("-i")
        .arg("-E")
        .arg(expr)
        .args(&files)
        .status()
        .expect("sed");
    assert!(st.success());
}

fn inodes_and_modes(root: &Path) -> BTreeMap<PathBuf, (u64, u32)> {
    snapshot(root)
        .keys()
        .map(|k| {
            let m = fs::metadata(root.join(k)).unwrap();
            (k.clone(), (m.ino(), m.mode()))
        })
        .collect()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A command that keeps its state directory inside the test directory.
fn mmgrep(dir: &Dir) -> crate::util::TestCommand {
    let mut c = dir.command();
    c.env("XDG_STATE_HOME", dir.path().join(".state"));
    c
}

#[test]
fn same_bytes_as_sed_literal_and_capture_groups() {
    let dir = Dir::new("replace_same_as_sed");
    let ours = make_tree(&dir, "ours", 40, 60, 7);
    let theirs = make_tree(&dir, "theirs", 40, 60, 7);
    let before = inodes_and_modes(&ours);

    let (_, err) = mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock", "ours"])
        .expect_raw(0);
    assert!(err.contains("replaced"), "{err}");
    sed(&theirs, "s/spin_lock/spin_lick/g");
    assert!(
        snapshot(&ours) == snapshot(&theirs),
        "literal replacement differs from sed -i"
    );

    mmgrep(&dir)
        .args([
            "-r",
            "${2}_${1}",
            "--in-place",
            "(spin|mutex)_(lick|lock)",
            "ours",
        ])
        .expect_raw(0);
    sed(&theirs, "s/(spin|mutex)_(lick|lock)/\\2_\\1/g");
    let (a, b) = (snapshot(&ours), snapshot(&theirs));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{} differs from sed -i", k.display());
    }
    assert!(
        a.values()
            .any(|v| String::from_utf8_lossy(v).contains("lick_spin"))
    );
    assert_eq!(
        inodes_and_modes(&ours),
        before,
        "inodes and modes must not change"
    );
    assert!(journals(&ours).is_empty() && journals(dir.path()).is_empty());
}

#[test]
fn length_mismatch_writes_nothing_and_names_the_match() {
    let dir = Dir::new("replace_length_mismatch");
    let root = make_tree(&dir, "t", 12, 40, 11);
    dir.create("t/aa/first.c", "int x;\n  spin_lock(&l);\n");
    let before = snapshot(&root);
    let out = mmgrep(&dir)
        .args(["-r", "spin_lock_", "--in-place", "spin_lock", "t"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("t/aa/first.c:2:3: match is 9 bytes, replacement is 10 bytes"),
        "{err}"
    );
    let listed = err
        .lines()
        .filter(|l| l.contains(": match is 9 bytes, replacement is 10 bytes"))
        .count();
    assert_eq!(listed, 10, "{err}");
    assert!(
        err.lines().last().unwrap().starts_with("... and ") && err.trim_end().ends_with(" more"),
        "{err}"
    );
    assert!(snapshot(&root) == before, "the tree must be byte-identical");
    assert!(journals(dir.path()).is_empty() && journals(&root).is_empty());

    // A capture group that expands to another length is caught per match, too.
    let out = mmgrep(&dir)
        .args(["-r", "$1", "--in-place", "(spin)_lock", "t/aa"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("t/aa/first.c:2:3: match is 9 bytes, replacement is 4 bytes"));
    assert!(snapshot(&root) == before);
}

/// Runs with the abort hook, checks the crash left a journal, then recovers.
fn abort_then_recover(dir: &Dir, root: &Path, n: u64, original: &BTreeMap<PathBuf, Vec<u8>>) {
    let out = mmgrep(dir)
        .env("MMGREP_TEST_ABORT_AFTER_WRITES", n.to_string())
        .args(["-j", "2", "-r", "spin_lick", "--in-place", "spin_lock", "t"])
        .output();
    assert_eq!(
        out.status.code(),
        None,
        "N={n}: the hook must abort the run: {}",
        stderr_of(&out)
    );
    assert_eq!(
        journals(root).len(),
        1,
        "N={n}: the crash leaves the journal"
    );
    let crashed = snapshot(root);
    if n > 0 {
        assert!(
            crashed != *original,
            "N={n}: some bytes were written before the crash"
        );
    }
    let out = mmgrep(dir).args(["--recover", "t"]).output();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "N={n}: {err}");
    assert!(
        err.contains("recovered an interrupted run") && err.contains("journal removed"),
        "{err}"
    );
    assert!(
        snapshot(root) == *original,
        "N={n}: every file must be back to its original bytes"
    );
    assert!(journals(root).is_empty());
}

#[test]
fn abort_after_n_writes_then_recover_restores_everything() {
    let dir = Dir::new("replace_abort_hook");
    let root = make_tree(&dir, "t", 16, 30, 3);
    let original = snapshot(&root);
    // The total number of edits, from a dry run's JSON summary.
    let (o, _) = mmgrep(&dir)
        .args([
            "--json",
            "--dry-run",
            "-r",
            "spin_lick",
            "--in-place",
            "spin_lock",
            "t",
        ])
        .expect_raw(0);
    let last = String::from_utf8(o)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&last).unwrap();
    let total = v["data"]["replacements"].as_u64().unwrap();
    assert!(total > 40, "{total}");
    for n in [0, 1, 2, 5, total / 3, total / 2, total - 1] {
        abort_then_recover(&dir, &root, n, &original);
    }
    // A half-written token: the first edit is torn and the rest untouched; recovery is exact.
    let out = mmgrep(&dir)
        .env("MMGREP_TEST_ABORT_AFTER_WRITES", "0")
        .args(["-j", "1", "-r", "ZZZZZZZZZ", "--in-place", "spin_lock", "t"])
        .output();
    assert_eq!(out.status.code(), None);
    let torn = snapshot(&root);
    assert!(
        torn.values()
            .any(|v| String::from_utf8_lossy(v).contains("ZZZZ_lock")),
        "a torn token"
    );
    mmgrep(&dir).args(["--recover", "t"]).expect_raw(0);
    assert!(snapshot(&root) == original);
}

#[test]
fn leftover_journal_is_recovered_before_a_new_run() {
    let dir = Dir::new("replace_leftover");
    let root = make_tree(&dir, "t", 8, 30, 5);
    let original = snapshot(&root);
    let out = mmgrep(&dir)
        .env("MMGREP_TEST_ABORT_AFTER_WRITES", "7")
        .args(["-r", "spin_lick", "--in-place", "spin_lock", "t"])
        .output();
    assert_eq!(out.status.code(), None);
    assert_eq!(journals(&root).len(), 1);
    let (_, err) = mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock", "t"])
        .expect_raw(0);
    assert!(err.contains("recovering it first"), "{err}");
    assert!(journals(&root).is_empty());
    // The result is the clean replacement of the original tree.
    let expected = spin_licked(&original);
    assert!(snapshot(&root) == expected);
}

#[test]
fn sigkill_at_random_moments_then_recover() {
    let dir = Dir::new("replace_sigkill");
    let root = make_tree(&dir, "t", 300, 200, 17);
    let original = snapshot(&root);
    let replaced = spin_licked(&original);
    let run = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mmgrep"));
        c.current_dir(dir.path())
            .env("XDG_STATE_HOME", dir.path().join(".state"))
            .args(["-r", "spin_lick", "--in-place", "spin_lock", "t"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    // How long a whole run takes here (then undo it by recovering nothing: replace back).
    let t = Instant::now();
    assert!(run().status().unwrap().success());
    let full = t.elapsed();
    for (k, v) in &original {
        fs::write(root.join(k), v).unwrap();
    }
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Lcg(seed);
    let mut journaled = 0;
    for round in 0..8 {
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64 + 1));
        let mut child = run().spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        if !journals(&root).is_empty() {
            journaled += 1;
        }
        let out = mmgrep(&dir).args(["--recover", "t"]).output();
        assert_ne!(
            out.status.code(),
            Some(2),
            "round {round} (seed {seed}, {delay:?}): {}",
            stderr_of(&out)
        );
        let now = snapshot(&root);
        let all_original = now == original;
        for (k, v) in &now {
            assert!(
                *v == original[k] || *v == replaced[k],
                "round {round} (seed {seed}, {delay:?}): {} is neither original nor fully replaced",
                k.display()
            );
        }
        assert!(journals(&root).is_empty());
        if !all_original {
            // The run had finished: start the next round from the original tree.
            assert!(
                now == replaced,
                "round {round}: a finished run replaced everything"
            );
            for (k, v) in &original {
                fs::write(root.join(k), v).unwrap();
            }
        }
    }
    eprintln!("sigkill: {journaled} of 8 rounds were killed with a journal (full run {full:?})");
}

/// Starts mmgrep paused at a hook (a handshake file) and waits until it is paused.
fn start_paused(
    dir: &Dir,
    var: &str,
    value_prefix: &str,
    args: &[&str],
) -> (std::process::Child, PathBuf) {
    let hand = dir.path().join(format!("handshake-{}", var.to_lowercase()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_mmgrep"))
        .current_dir(dir.path())
        .env("XDG_STATE_HOME", dir.path().join(".state"))
        .env(var, format!("{value_prefix}{}", hand.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !hand.exists() {
        if let Ok(Some(st)) = child.try_wait() {
            panic!("mmgrep ended before pausing: {st:?}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "mmgrep never paused"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    (child, hand)
}

#[test]
fn concurrent_change_between_search_and_write() {
    let dir = Dir::new("replace_concurrent");
    dir.create("t/a.txt", "one spin_lock here\n");
    dir.create("t/b.txt", "spin_lock\n");
    dir.create("t/c.txt", "and spin_lock there\n");
    dir.create("t/d.txt", "x spin_lock y\n");
    let d_mtime = fs::metadata(dir.path().join("t/d.txt"))
        .unwrap()
        .modified()
        .unwrap();
    let (child, hand) = start_paused(
        &dir,
        "MMGREP_TEST_PAUSE_AFTER_PLAN",
        "",
        &["-r", "spin_lick", "--in-place", "spin_lock", "t"],
    );
    // a: same size, other bytes; b: grows; d: other bytes at the match, mtime put back.
    fs::write(dir.path().join("t/a.txt"), "one SPIN_LOCK here\n").unwrap();
    fs::write(dir.path().join("t/b.txt"), "spin_lock\nmore\n").unwrap();
    fs::write(dir.path().join("t/d.txt"), "x spin_l0ck y\n").unwrap();
    fs::File::options()
        .write(true)
        .open(dir.path().join("t/d.txt"))
        .unwrap()
        .set_modified(d_mtime)
        .unwrap();
    fs::remove_file(&hand).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("t/a.txt: changed since it was searched"),
        "{err}"
    );
    assert!(
        err.contains("t/b.txt: changed since it was searched"),
        "{err}"
    );
    assert!(
        err.contains("t/d.txt: changed since it was searched (the bytes at offset 2 differ)"),
        "{err}"
    );
    assert_eq!(dir.read("t/a.txt"), b"one SPIN_LOCK here\n");
    assert_eq!(dir.read("t/b.txt"), b"spin_lock\nmore\n");
    assert_eq!(dir.read("t/d.txt"), b"x spin_l0ck y\n");
    assert_eq!(dir.read("t/c.txt"), b"and spin_lick there\n");
    assert!(journals(&dir.path().join("t")).is_empty());
}

#[test]
fn truncation_during_the_write_is_restored_and_reported() {
    let dir = Dir::new("replace_truncate");
    // A file of several pages with a match on every line, written first (path order).
    let line = "xxxxxxxxxx spin_lock yyyyyyyyyy\n";
    let big: String = line.repeat(1000);
    dir.create("t/a.txt", &big);
    dir.create("t/b.txt", "spin_lock\n");
    let keep = 4096u64;
    let (child, hand) = start_paused(
        &dir,
        "MMGREP_TEST_PAUSE_AFTER_WRITES",
        "10:",
        &[
            "-j",
            "1",
            "-r",
            "spin_lick",
            "--in-place",
            "spin_lock",
            "t/a.txt",
            "t/b.txt",
        ],
    );
    // Ten edits of a.txt are written (in its first page); now it shrinks to one page.
    fs::File::options()
        .write(true)
        .open(dir.path().join("t/a.txt"))
        .unwrap()
        .set_len(keep)
        .unwrap();
    fs::remove_file(&hand).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "t/a.txt: was truncated by another process while it was being written: its original bytes were restored"
        ),
        "{err}"
    );
    assert_eq!(
        dir.read("t/a.txt"),
        &big.as_bytes()[..keep as usize],
        "what is left of a.txt is original"
    );
    assert_eq!(dir.read("t/b.txt"), b"spin_lick\n");
    assert!(journals(&dir.path().join("t")).is_empty());
}

#[test]
fn a_file_locked_by_another_process_is_left_alone() {
    let dir = Dir::new("replace_locked");
    dir.create("a.txt", "spin_lock\n");
    dir.create("b.txt", "spin_lock\n");
    dir.create("c.txt", "spin_lock\n");
    let held = fs::File::open(dir.path().join("b.txt")).unwrap();
    held.lock().unwrap();
    let out = mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock"])
        .output();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("b.txt: is locked by another process: not changed"),
        "{err}"
    );
    assert!(
        err.contains("replaced 2 matches (18 bytes) in 2 files")
            && err.contains("1 file not changed"),
        "{err}"
    );
    assert_eq!(dir.read("a.txt"), b"spin_lick\n");
    assert_eq!(dir.read("b.txt"), b"spin_lock\n");
    assert_eq!(dir.read("c.txt"), b"spin_lick\n");
    held.unlock().unwrap();
}

#[test]
fn an_unwritable_file_among_writable_ones() {
    let dir = Dir::new("replace_unwritable");
    dir.create("a.txt", "spin_lock\n");
    let b = dir.create("b.txt", "spin_lock\n");
    dir.create("c.txt", "spin_lock\n");
    fs::set_permissions(&b, fs::Permissions::from_mode(0o444)).unwrap();
    let out = mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock"])
        .output();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("b.txt: is read-only (mode 444): not changed"),
        "{err}"
    );
    assert_eq!(dir.read("a.txt"), b"spin_lick\n");
    assert_eq!(dir.read("b.txt"), b"spin_lock\n");
    assert_eq!(dir.read("c.txt"), b"spin_lick\n");
    assert_eq!(fs::metadata(&b).unwrap().mode() & 0o777, 0o444);
}

#[test]
fn dry_run_prints_a_unified_diff_and_writes_nothing() {
    let dir = Dir::new("replace_dry_run");
    let body: String = (1..=12)
        .map(|i| {
            if i == 2 || i == 11 {
                format!("l{i} spin_lock\n")
            } else {
                format!("l{i}\n")
            }
        })
        .collect();
    dir.create("a.c", &body);
    dir.create("b.c", "spin_lock");
    dir.create("c.c", "nothing\n");
    let before = snapshot(dir.path());
    let (out, err) = mmgrep(&dir)
        .args(["--dry-run", "-r", "spin_lick", "--in-place", "spin_lock"])
        .expect_raw(0);
    eqnice!(
        "--- a/a.c\n+++ b/a.c\n@@ -1,5 +1,5 @@\n l1\n-l2 spin_lock\n+l2 spin_lick\n l3\n l4\n l5\n\
         @@ -8,5 +8,5 @@\n l8\n l9\n l10\n-l11 spin_lock\n+l11 spin_lick\n l12\n\
         --- a/b.c\n+++ b/b.c\n@@ -1 +1 @@\n-spin_lock\n\\ No newline at end of file\n+spin_lick\n\\ No newline at end of file\n",
        String::from_utf8_lossy(&out)
    );
    assert!(
        err.contains("would replace 3 matches (27 bytes) in 2 files"),
        "{err}"
    );
    assert!(snapshot(dir.path()) == before);
    assert!(journals(dir.path()).is_empty());
    // It exits as the real run would.
    mmgrep(&dir)
        .args(["--dry-run", "-r", "spin_lock!", "--in-place", "spin_lock"])
        .expect_raw(2);
    mmgrep(&dir)
        .args(["--dry-run", "-r", "x", "--in-place", "absent"])
        .expect_raw(1);
    assert!(snapshot(dir.path()) == before);
}

#[test]
fn json_lines_per_changed_file_and_a_summary() {
    let dir = Dir::new("replace_json");
    dir.create("a.txt", "spin_lock spin_lock\n");
    dir.create("b.txt", "none\n");
    dir.create("c.txt", "spin_lock\n");
    let (out, err) = mmgrep(&dir)
        .args(["--json", "-r", "spin_lick", "--in-place", "spin_lock"])
        .expect_raw(0);
    assert_eq!(err, "", "no text summary with --json");
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["type"], "file");
    assert_eq!(lines[0]["data"]["path"]["text"], "a.txt");
    assert_eq!(lines[0]["data"]["replacements"], 2);
    assert_eq!(lines[0]["data"]["bytes"], 18);
    assert_eq!(lines[1]["data"]["path"]["text"], "c.txt");
    let s = &lines[2]["data"];
    assert_eq!(lines[2]["type"], "summary");
    assert_eq!(s["files_changed"], 2);
    assert_eq!(s["replacements"], 3);
    assert_eq!(s["bytes"], 27);
    assert_eq!(s["files_failed"], 0);
    assert_eq!(s["dry_run"], false);
    assert!(s["elapsed_secs"].as_f64().unwrap() >= 0.0);
    assert_eq!(dir.read("a.txt"), b"spin_lick spin_lick\n");
}

#[test]
fn symlinks_need_follow_and_proc_files_are_refused() {
    let dir = Dir::new("replace_symlinks");
    let target = dir.create("real/target.txt", "spin_lock\n");
    dir.create_dir("tree");
    std::os::unix::fs::symlink(&target, dir.path().join("tree/link.txt")).unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("named.txt")).unwrap();
    // A link met while walking is not followed; one named explicitly is refused.
    let out = mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock", "tree"])
        .output();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let out = mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock", "named.txt"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("named.txt: is a symbolic link: not replaced (pass -L/--follow"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(fs::read(&target).unwrap(), b"spin_lock\n");
    // With -L the file it points to is written, and the link stays a link.
    mmgrep(&dir)
        .args([
            "-L",
            "-r",
            "spin_lick",
            "--in-place",
            "spin_lock",
            "named.txt",
        ])
        .expect_raw(0);
    assert_eq!(fs::read(&target).unwrap(), b"spin_lick\n");
    assert!(
        fs::symlink_metadata(dir.path().join("named.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );

    let out = mmgrep(&dir)
        .args(["-r", "XXXX", "--in-place", "Name", "/proc/self/status"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out)
            .contains("/proc/self/status: is on a pseudo-filesystem (proc): not replaced"),
        "{}",
        stderr_of(&out)
    );
    if Path::new("/sys/kernel/mm/transparent_hugepage/enabled").exists() {
        let out = mmgrep(&dir)
            .args([
                "-r",
                "X",
                "--in-place",
                "a",
                "/sys/kernel/mm/transparent_hugepage/enabled",
            ])
            .output();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr_of(&out).contains("pseudo-filesystem (sysfs)"),
            "{}",
            stderr_of(&out)
        );
    }
}

#[test]
fn hard_links_see_the_change_once() {
    let dir = Dir::new("replace_hard_links");
    let a = dir.create("a.txt", "spin_lock\n");
    fs::hard_link(&a, dir.path().join("b.txt")).unwrap();
    let ino = fs::metadata(&a).unwrap().ino();
    let (_, err) = mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock"])
        .expect_raw(0);
    assert!(
        err.contains("replaced 1 match (9 bytes) in 1 file"),
        "{err}"
    );
    assert_eq!(dir.read("b.txt"), b"spin_lick\n");
    assert_eq!(fs::metadata(dir.path().join("b.txt")).unwrap().ino(), ino);
}

#[test]
fn binary_files_are_skipped_unless_text() {
    let dir = Dir::new("replace_binary");
    dir.create("d/bin.dat", b"spin_lock\0\n");
    dir.create("d/text.txt", "spin_lock\n");
    mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock", "d"])
        .expect_raw(0);
    assert_eq!(dir.read("d/bin.dat"), b"spin_lock\0\n");
    assert_eq!(dir.read("d/text.txt"), b"spin_lick\n");
    mmgrep(&dir)
        .args(["-a", "-r", "spin_lick", "--in-place", "spin_lock", "d"])
        .expect_raw(0);
    assert_eq!(dir.read("d/bin.dat"), b"spin_lick\0\n");
}

#[test]
fn refusals_bad_group_reference_and_invert() {
    let dir = Dir::new("replace_refusals");
    dir.create("a.txt", "spin_lock\n");
    let out = mmgrep(&dir)
        .args(["-r", "x$1bad", "--in-place", "(s)pin_lock"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains(
            "    x$1bad\n     ^^^^^\nhint: to use group 1 followed by \"bad\", write ${1}bad"
        ),
        "{err}"
    );
    let out = mmgrep(&dir)
        .args(["-v", "-r", "x", "--in-place", "spin"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("cannot be combined with -v/--invert-match"));
    assert_eq!(dir.read("a.txt"), b"spin_lock\n");
    mmgrep(&dir)
        .args(["-r", "x", "--in-place", "absent"])
        .expect_raw(1);
    let (_, err) = mmgrep(&dir).args(["--recover"]).expect_raw(1);
    assert!(err.contains("nothing to recover"), "{err}");
}

#[test]
fn recover_reports_a_conflict_and_leaves_that_file_alone() {
    let dir = Dir::new("replace_conflict");
    dir.create("t/a.txt", "spin_lock spin_lock\n");
    dir.create("t/b.txt", "spin_lock spin_lock\n");
    let out = mmgrep(&dir)
        .env("MMGREP_TEST_ABORT_AFTER_WRITES", "3")
        .args(["-j", "1", "-r", "spin_lick", "--in-place", "spin_lock", "t"])
        .output();
    assert_eq!(out.status.code(), None);
    // Someone edits a.txt (already replaced) after the crash.
    fs::write(dir.path().join("t/a.txt"), "spin_LUCK spin_lick\n").unwrap();
    let out = mmgrep(&dir).args(["--recover", "t"]).output();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("a.txt: bytes at offset 5 are neither the original nor the replacement"),
        "{err}"
    );
    assert!(
        err.contains("1 conflict left as they are") && err.contains("journal removed"),
        "{err}"
    );
    assert_eq!(dir.read("t/a.txt"), b"spin_LUCK spin_lick\n");
    assert_eq!(dir.read("t/b.txt"), b"spin_lock spin_lock\n");
    assert!(journals(&dir.path().join("t")).is_empty());
}

#[test]
fn a_large_file_is_written_in_parallel_pieces_and_recovers() {
    let dir = Dir::new("replace_large");
    // 66 MiB: above the size at which a file is verified, written and flushed in pieces.
    let line = "static DEFINE_SPINLOCK(x); spin_lock(&x); do_work(); spin_unlock(&x);\n";
    let n = (66 << 20) / line.len() + 1;
    let body = line.repeat(n);
    let path = dir.create("big.c", &body);
    let expected = body.replace("spin_lock(", "spin_lick(");
    let out = mmgrep(&dir)
        .env("MMGREP_TEST_ABORT_AFTER_WRITES", (n / 2).to_string())
        .args([
            "-r",
            "spin_lick(",
            "--in-place",
            "-F",
            "spin_lock(",
            "big.c",
        ])
        .output();
    assert_eq!(out.status.code(), None, "{}", stderr_of(&out));
    mmgrep(&dir).args(["--recover"]).expect_raw(0);
    assert!(
        fs::read(&path).unwrap() == body.as_bytes(),
        "recovered to the original"
    );
    let (_, err) = mmgrep(&dir)
        .args([
            "-r",
            "spin_lick(",
            "--in-place",
            "-F",
            "spin_lock(",
            "big.c",
        ])
        .expect_raw(0);
    assert!(err.contains(&format!("replaced {n} matches")), "{err}");
    assert!(fs::read(&path).unwrap() == expected.as_bytes());
}

#[test]
fn an_immutable_file_is_refused_where_chattr_works() {
    let dir = Dir::new("replace_immutable");
    let a = dir.create("a.txt", "spin_lock\n");
    dir.create("b.txt", "spin_lock\n");
    let set = Command::new("chattr")
        .arg("+i")
        .arg(&a)
        .stderr(Stdio::null())
        .status();
    if !set.is_ok_and(|s| s.success()) {
        eprintln!("chattr +i is not available here (needs root on ext4/xfs/btrfs): skipped");
        return;
    }
    let out = mmgrep(&dir)
        .args(["-r", "spin_lick", "--in-place", "spin_lock"])
        .output();
    let _ = Command::new("chattr").arg("-i").arg(&a).status();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("a.txt: is immutable (chattr +i): not changed"),
        "{err}"
    );
    assert_eq!(dir.read("a.txt"), b"spin_lock\n");
    assert_eq!(dir.read("b.txt"), b"spin_lick\n");
}

#[test]
fn an_unwritable_run_directory_puts_the_journal_in_the_state_directory() {
    let dir = Dir::new("replace_state_dir");
    let t = dir.create_dir("t");
    dir.create("t/a.txt", "spin_lock spin_lock\n");
    dir.create("t/b.txt", "spin_lock\n");
    // An immutable directory takes no new entry, even from root; its files stay writable.
    let set = Command::new("chattr")
        .arg("+i")
        .arg(&t)
        .stderr(Stdio::null())
        .status();
    if !set.is_ok_and(|s| s.success()) {
        eprintln!("chattr +i is not available here: skipped");
        return;
    }
    let state = dir.path().join(".state/mmgrep");
    let out = mmgrep(&dir)
        .env("MMGREP_TEST_ABORT_AFTER_WRITES", "1")
        .args(["-j", "1", "-r", "spin_lick", "--in-place", "spin_lock", "t"])
        .output();
    let found = if state.exists() {
        journals(&state)
    } else {
        Vec::new()
    };
    let recovered = mmgrep(&dir).args(["--recover", "t"]).output();
    let _ = Command::new("chattr").arg("-i").arg(&t).status();
    assert_eq!(out.status.code(), None, "{}", stderr_of(&out));
    assert_eq!(found.len(), 1, "the journal is in {}", state.display());
    assert_eq!(
        recovered.status.code(),
        Some(0),
        "{}",
        stderr_of(&recovered)
    );
    assert_eq!(dir.read("t/a.txt"), b"spin_lock spin_lock\n");
    assert_eq!(dir.read("t/b.txt"), b"spin_lock\n");
    assert!(journals(&state).is_empty());
}

#[test]
fn the_plan_lists_files_in_the_order_the_search_prints_them() {
    let dir = Dir::new("the_plan_lists_files_in_the_order_the_search_prints_them");
    for f in [
        "b/z.txt",
        "b/a.txt",
        "a/b/c.txt",
        "a/a.txt",
        "a/b.txt",
        "a-b.txt",
        "a.b/x.txt",
        "top.txt",
        "b/sub/deep.txt",
    ] {
        dir.create(f, "spin_lock\n");
    }
    let plan_order = |args: &[&str]| -> Vec<String> {
        let out = dir
            .command()
            .args(["-r", "spin_lick", "--in-place", "--dry-run"])
            .args(args)
            .stdout();
        out.lines()
            .filter_map(|l| l.strip_prefix("+++ b/"))
            .map(str::to_string)
            .collect()
    };
    // The search prints a file reached through two roots twice; the plan edits it once,
    // where the search first printed it.
    let search_order = |args: &[&str]| -> Vec<String> {
        let out = dir.command().arg("-l").args(args).stdout();
        let mut seen = std::collections::HashSet::new();
        out.lines()
            .filter(|l| seen.insert(fs::canonicalize(dir.path().join(l)).unwrap()))
            .map(str::to_string)
            .collect()
    };
    for roots in [&[][..], &["b", "a", "top.txt"][..], &["a", "a/b"][..]] {
        for j in ["-j1", "-j2"] {
            let mut args = vec![j, "spin_lock"];
            args.extend_from_slice(roots);
            let plan = plan_order(&args);
            assert_eq!(plan, search_order(&args), "{args:?}");
            assert!(!plan.is_empty());
        }
    }
    // --sort none: the same files, in whatever order they were found.
    let mut none = plan_order(&["--sort", "none", "spin_lock"]);
    let mut sorted = plan_order(&["spin_lock"]);
    none.sort();
    sorted.sort();
    assert_eq!(none, sorted);
}

#[test]
fn empty_matches_past_the_last_line_end_are_on_no_line() {
    let dir = Dir::new("empty_matches_past_the_last_line_end");
    dir.create("a.txt", "x\ny\n");
    dir.create("b.txt", "x\n\ny");
    // No line of a.txt is empty: the position after its last \n is no line, so there is
    // nothing to replace (before, it counted as a match whose replacement had another
    // length, and the run was refused).
    for pat in ["^$", "^"] {
        let (_, err) = mmgrep(&dir)
            .args(["-r", "z", "--in-place", "-e", pat, "a.txt"])
            .expect_raw(if pat == "^" { 2 } else { 1 });
        if pat == "^" {
            // Lines 1 and 2 only.
            assert!(
                err.contains("a.txt:2:1:") && !err.contains("a.txt:3:1"),
                "{err}"
            );
        }
    }
    assert_eq!(dir.read("a.txt"), b"x\ny\n");
    // An empty line matched and replaced by nothing is a match that changes nothing:
    // exit 0, as ripgrep finds it.
    let (_, err) = mmgrep(&dir)
        .args(["-r", "", "--in-place", "-x", "-e", "", "b.txt"])
        .expect_raw(0);
    assert!(
        err.contains("1 match already equal to its replacement"),
        "{err}"
    );
    assert_eq!(dir.read("b.txt"), b"x\n\ny");
}
