//! --stats' bytes searched where -m stops a search: ripgrep reports its searcher's position,
//! which the after-context printed past the limit does not move. Expected numbers are
//! ripgrep 15.2's.

use crate::util::Dir;

/// `x` on lines 1 and 3; lines 2 and 4 hold no `x`.
const ST: &str = "x1\nabc\nx2\nabc\ny\ny\ny\n";

fn searched(dir: &Dir, args: &[&str]) -> String {
    let out = dir.command().args(args).arg("st.txt").stdout();
    out.lines()
        .find(|l| l.ends_with(" bytes searched") || l.contains("\"type\":\"summary\""))
        .map(|l| {
            if let Some(i) = l.find("\"bytes_searched\":") {
                let rest = &l[i + 17..];
                rest[..rest.find(',').unwrap()].to_string()
            } else {
                l.trim_end_matches(" bytes searched").to_string()
            }
        })
        .unwrap_or_else(|| panic!("no bytes searched in {out}"))
}

#[test]
fn bytes_searched_stop_where_max_count_stops_a_mapped_file() {
    let dir = Dir::new("bytes_searched_stop_where_max_count_stops_a_mapped_file");
    dir.create("st.txt", ST);
    let cases: &[(&[&str], &str)] = &[
        // The after-context line printed past the limit is not counted...
        (&["--stats", "-m1", "-A1", "x"], "3"),
        (&["--stats", "-m1", "-A1", "-c", "x"], "3"),
        (&["--json", "-m1", "-A1", "x"], "3"),
        // ...unless the window holds a selected line (it moves the position to its end)...
        (&["--stats", "-m1", "-A2", "x"], "10"),
        // ...or the file ends before the window does.
        (&["--stats", "-m1", "-A9", "x"], "20"),
        // Under -v: to the end of the selected line in the window past the limit.
        (&["--stats", "-v", "-m2", "-A1", "x"], "16"),
        (&["--stats", "-v", "-m1", "-A1", "x"], "10"),
        (&["--stats", "-m1", "x"], "3"),
        // --passthru reads every line.
        (&["--stats", "-m1", "--passthru", "x"], "20"),
    ];
    for (args, want) in cases {
        assert_eq!(&searched(&dir, args), want, "{args:?}");
    }
    // ripgrep's reader (stdin) stops at the same place.
    let out = dir
        .command()
        .args(["--stats", "-m1", "-A1", "x"])
        .stdin(ST)
        .stdout();
    assert!(out.contains("\n3 bytes searched\n"), "{out}");
}
