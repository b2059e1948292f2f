//! Search behaviour: flags, output formats and edge cases, against ripgrep 15.2's bytes.

use crate::util::Dir;

const SHERLOCK: &str = "\
For the Doctor Watsons of this world, as opposed to the Sherlock
Holmeses, success in the province of detective work must always
be, to a very large extent, the result of luck. Sherlock Holmes
can extract a clew from a wisp of straw or a flake of cigar ash;
but Doctor Watson has to have it taken out for him and dumped
and exhaustively explained to him.
";

#[test]
fn literal_in_one_file() {
    let dir = Dir::new("literal_in_one_file");
    dir.create("sherlock", SHERLOCK);
    let got = dir.command().args(["-n", "Sherlock", "sherlock"]).stdout();
    eqnice!(
        "1:For the Doctor Watsons of this world, as opposed to the Sherlock\n\
         3:be, to a very large extent, the result of luck. Sherlock Holmes\n",
        got
    );
}

#[test]
fn no_match_exits_one() {
    let dir = Dir::new("no_match_exits_one");
    dir.create("sherlock", SHERLOCK);
    let got = dir
        .command()
        .args(["Moriarty", "sherlock"])
        .expect_status(1);
    eqnice!("", got);
}

/// A pattern without a literal is scanned by an ASCII DFA, two scans at once; a line with
/// a byte outside ASCII goes to the whole (Unicode) pattern. The lines found are the same
/// either way, in a small file (looked at whole first) and in a large one searched in
/// chunks.
#[test]
fn a_pattern_without_literals_finds_unicode_lines_too() {
    let dir = Dir::new("a_pattern_without_literals_finds_unicode_lines_too");
    let lines = [
        "abc def\n",
        "ab cd\n",
        "ébc déf\n",
        "xyz\u{a0}abc\n",
        "λλλ\tμμμ\n",
        "no match here\n",
        "abc  de\n",
    ];
    // Which lines match `\w{3}\s+\w{3}` (Unicode classes): 1, 3, 4, 5 and 6 ("match here").
    let want_small = "1:abc def\n3:ébc déf\n4:xyz\u{a0}abc\n5:λλλ\tμμμ\n6:no match here\n";
    dir.create("small.txt", lines.concat());
    eqnice!(
        want_small,
        dir.command()
            .args(["-n", r"\w{3}\s+\w{3}", "small.txt"])
            .stdout()
    );
    let mut big = String::new();
    let mut want = 0;
    for i in 0..40_000 {
        big.push_str(lines[i % lines.len()]);
        if [0, 2, 3, 4, 5].contains(&(i % lines.len())) {
            want += 1;
        }
    }
    dir.create("big.txt", &big);
    for j in ["1", "2"] {
        let got = dir
            .command()
            .args([
                "-c",
                "-j",
                j,
                "--chunk-size",
                "65536",
                r"\w{3}\s+\w{3}",
                "big.txt",
            ])
            .stdout();
        assert_eq!(got, format!("{want}\n"));
    }
}
