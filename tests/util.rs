//! The harness: a throw-away directory per test, and a way to run mmgrep in it.
// Not every test module uses every helper.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A temporary directory, removed when dropped.
pub struct Dir {
    root: PathBuf,
}

impl Dir {
    /// A fresh, empty directory named after the test.
    pub fn new(name: &str) -> Dir {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let root = std::env::temp_dir()
            .join(format!("mmgrep-tests-{}", std::process::id()))
            .join(format!("{name}-{n}"));
        if root.exists() {
            std::fs::remove_dir_all(&root).unwrap();
        }
        std::fs::create_dir_all(&root).unwrap();
        Dir { root }
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Writes a file (creating parent directories).
    pub fn create<P: AsRef<Path>, C: AsRef<[u8]>>(&self, path: P, contents: C) -> PathBuf {
        let p = self.root.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn create_dir<P: AsRef<Path>>(&self, path: P) -> PathBuf {
        let p = self.root.join(path);
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    /// Reads a file back.
    pub fn read<P: AsRef<Path>>(&self, path: P) -> Vec<u8> {
        std::fs::read(self.root.join(path)).unwrap()
    }

    /// mmgrep with this directory as its working directory, stdin closed, no config file.
    pub fn command(&self) -> TestCommand {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mmgrep"));
        cmd.current_dir(&self.root)
            .env_remove("MMGREP_CONFIG_PATH")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        TestCommand { cmd, stdin: None }
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

/// A command to run, with an optional stdin.
pub struct TestCommand {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

impl TestCommand {
    pub fn arg<A: AsRef<OsStr>>(&mut self, a: A) -> &mut TestCommand {
        self.cmd.arg(a);
        self
    }

    pub fn args<I: IntoIterator<Item = A>, A: AsRef<OsStr>>(
        &mut self,
        args: I,
    ) -> &mut TestCommand {
        self.cmd.args(args);
        self
    }

    pub fn env<K: AsRef<OsStr>, V: AsRef<OsStr>>(&mut self, k: K, v: V) -> &mut TestCommand {
        self.cmd.env(k, v);
        self
    }

    /// Feeds `data` on stdin (a pipe).
    pub fn stdin<D: AsRef<[u8]>>(&mut self, data: D) -> &mut TestCommand {
        self.stdin = Some(data.as_ref().to_vec());
        self
    }

    /// Runs to completion.
    pub fn output(&mut self) -> Output {
        if let Some(data) = self.stdin.take() {
            self.cmd.stdin(Stdio::piped());
            self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            let mut child = self.cmd.spawn().expect("run mmgrep");
            let mut w = child.stdin.take().unwrap();
            let t = std::thread::spawn(move || {
                let _ = w.write_all(&data);
            });
            let out = child.wait_with_output().unwrap();
            t.join().unwrap();
            out
        } else {
            self.cmd.output().expect("run mmgrep")
        }
    }

    /// Runs, asserts exit status 0, returns stdout.
    pub fn stdout(&mut self) -> String {
        self.expect_status(0)
    }

    /// Runs, asserts the exit status, returns stdout (lossy UTF-8).
    pub fn expect_status(&mut self, code: i32) -> String {
        let out = self.output();
        let got = out.status.code();
        if got != Some(code) {
            panic!(
                "\n\nexpected exit status {code}, got {got:?}\n\nstdout:\n{}\n\nstderr:\n{}\n",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs, asserts the exit status, returns (stdout bytes, stderr text).
    pub fn expect_raw(&mut self, code: i32) -> (Vec<u8>, String) {
        let out = self.output();
        assert_eq!(
            out.status.code(),
            Some(code),
            "stdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}
