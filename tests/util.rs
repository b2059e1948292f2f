//! The harness: a throw-away directory per test, and a way to run mmgrep in it.
// Not every test module uses every helper.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The binary under test: mmgrep, or whatever `MMGREP_TEST_SHIM` names (only to check the
/// expected bytes against ripgrep through `tests/rg-as-mmgrep.sh`; never set in CI).
fn bin() -> std::ffi::OsString {
    std::env::var_os("MMGREP_TEST_SHIM").unwrap_or_else(|| env!("CARGO_BIN_EXE_mmgrep").into())
}

/// A temporary directory, removed when dropped.
pub struct Dir {
    root: PathBuf,
}

impl Dir {
    /// A fresh, empty directory named after the test.
    pub fn new(name: &str) -> Dir {
        Dir::new_under(std::env::temp_dir(), name)
    }

    /// Like `new`, on tmpfs (/dev/shm) when the machine has it: for tests that create
    /// tens of thousands of files, which costs many seconds on a disk.
    pub fn in_memory(name: &str) -> Dir {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        Dir::new_under(base, name)
    }

    fn new_under(base: PathBuf, name: &str) -> Dir {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        // Straight under the temporary directory: nothing is left behind once it is removed.
        let root = base.join(format!("mmgrep-tests-{}-{name}-{n}", std::process::id()));
        if root.exists() {
            std::fs::remove_dir_all(&root).unwrap();
        }
        std::fs::create_dir_all(&root).unwrap();
        {
            // Permission tests run mmgrep as another user: let it reach the directory.
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755));
        }
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

    /// Makes a symbolic link at `link` (relative to the directory) pointing at `target`
    /// (stored verbatim).
    pub fn symlink<T: AsRef<Path>, L: AsRef<Path>>(&self, target: T, link: L) -> PathBuf {
        let l = self.root.join(link);
        if let Some(parent) = l.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::os::unix::fs::symlink(target, &l).unwrap();
        l
    }

    /// Sets a path's permission bits (e.g. 0o000 to make it unreadable).
    pub fn chmod<P: AsRef<Path>>(&self, path: P, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.root.join(path), std::fs::Permissions::from_mode(mode))
            .unwrap();
    }

    /// Reads a file back.
    pub fn read<P: AsRef<Path>>(&self, path: P) -> Vec<u8> {
        std::fs::read(self.root.join(path)).unwrap()
    }

    /// mmgrep with this directory as its working directory, stdin closed, no config file.
    pub fn command(&self) -> TestCommand {
        let mut cmd = Command::new(bin());
        cmd.current_dir(&self.root)
            .env_remove("MMGREP_CONFIG_PATH")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        TestCommand { cmd, stdin: None }
    }

    /// mmgrep run as a user without privileges, so that permission bits apply: as root, through
    /// `setpriv --reuid=65534 --regid=65534 --clear-groups`; as anyone else, directly. None
    /// (with the reason on stderr) when that is impossible (root without setpriv).
    pub fn command_unprivileged(&self) -> Option<TestCommand> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Some(self.command());
        }
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists());
        let Some(setpriv) = setpriv else {
            eprintln!(
                "NOT RUN: running as root and setpriv (util-linux) is missing: cannot drop privileges"
            );
            return None;
        };
        // The directory must be reachable by uid 65534 all the way down.
        let mut cmd = Command::new(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin())
            .current_dir(&self.root)
            .env_remove("MMGREP_CONFIG_PATH")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        Some(TestCommand { cmd, stdin: None })
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            // Give back permissions taken away by a test so that the removal works.
            fn restore(p: &Path) {
                use std::os::unix::fs::PermissionsExt;
                if let Ok(m) = std::fs::symlink_metadata(p)
                    && m.is_dir()
                {
                    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755));
                    if let Ok(rd) = std::fs::read_dir(p) {
                        for e in rd.flatten() {
                            restore(&e.path());
                        }
                    }
                }
            }
            restore(&self.root);
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

    /// Starts mmgrep with stdin and stdout as pipes the caller holds (stderr piped too).
    pub fn spawn_piped(&mut self) -> std::process::Child {
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run mmgrep")
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

    /// Runs with a time limit: None (after killing the child) when it did not finish in time.
    pub fn output_within(&mut self, limit: std::time::Duration) -> Option<Output> {
        assert!(self.stdin.is_none(), "output_within does not feed stdin");
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("run mmgrep");
        let t0 = std::time::Instant::now();
        loop {
            if child.try_wait().expect("wait for mmgrep").is_some() {
                return Some(child.wait_with_output().unwrap());
            }
            if t0.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
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

    /// Runs, asserts the exit status, returns (stdout text, stderr text).
    pub fn expect_err(&mut self, code: i32) -> (String, String) {
        let (out, err) = self.expect_raw(code);
        (String::from_utf8_lossy(&out).into_owned(), err)
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
