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
