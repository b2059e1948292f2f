//! The README's examples that can run here, run as written.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::util::Dir;

/// The shell block that follows `<!-- tested by tests/readme.rs: NAME -->` in README.md.
fn readme_block(name: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let marker = format!("<!-- tested by tests/readme.rs: {name} -->");
    let start = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker}"));
    let rest = &readme[start + marker.len()..];
    let open = rest
        .find("```sh\n")
        .expect("a ```sh block after the marker")
        + "```sh\n".len();
    let close = rest[open..].find("```").expect("the block's end");
    rest[open..open + close].to_string()
}

/// "Searching beyond one machine": list, split, search the parts with `xargs -P`, merge the
/// `--json` output. The merge must hold every match, and be exactly one run's output
/// without its summary line.
#[test]
fn parallel_pipeline_finds_every_match() {
    let script = readme_block("parallel");
    let dir = Dir::new("parallel_pipeline_finds_every_match");
    let mut want = BTreeSet::new();
    for d in 0..5 {
        for f in 0..9 {
            let path = format!("corpus/d{d}/f{f}.txt");
            let mut text = String::new();
            for line in 1..=30 {
                if (d * 7 + f * 3 + line) % 11 == 0 {
                    text.push_str(&format!("a needle at {line}\n"));
                    want.insert((path.clone(), line));
                } else {
                    text.push_str(&format!("hay {line}\n"));
                }
            }
            dir.create(&path, text);
        }
    }
    // Skipped by the walk that makes the list, so never searched.
    dir.create("corpus/.hidden/h.txt", "needle\n");
    assert!(want.len() > 50);

    let bin = Path::new(env!("CARGO_BIN_EXE_mmgrep"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-euo", "pipefail", "-c", &script])
        .current_dir(dir.path())
        .env("PATH", path)
        .env_remove("MMGREP_CONFIG_PATH")
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "the README's pipeline failed ({:?}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for part in ["part.aa", "part.ab", "part.ac", "part.ad"] {
        assert!(
            dir.path().join(format!("{part}.jsonl")).exists(),
            "{part} was not searched"
        );
    }

    let merged = String::from_utf8(dir.read("all.jsonl")).unwrap();
    let mut got = BTreeSet::new();
    for line in merged.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_ne!(v["type"], "summary");
        if v["type"] == "match" {
            let path = v["data"]["path"]["text"].as_str().unwrap().to_string();
            let n = v["data"]["line_number"].as_u64().unwrap() as usize;
            assert!(got.insert((path, n)), "a match twice: {line}");
        }
    }
    assert_eq!(got, want);

    let (one_run, _) = dir
        .command()
        .args(["--json", "needle", "corpus"])
        .expect_raw(0);
    let one_run = String::from_utf8(one_run).unwrap();
    let without_summary: String = one_run
        .lines()
        .filter(|l| !l.contains(r#""type":"summary""#))
        .map(|l| format!("{l}\n"))
        .collect();
    // Timings aside, the merge is the single run.
    eqnice!(strip_elapsed(&without_summary), strip_elapsed(&merged));
}

/// Drops the `elapsed` objects (timings) from JSON Lines text.
fn strip_elapsed(text: &str) -> String {
    let re = regex::Regex::new(r#""elapsed":\{[^}]*\},"#).unwrap();
    re.replace_all(text, "").into_owned()
}
