//! Fuzz target: the replacement-template parser and expansion. Any bytes are a template;
//! expansion never panics, agrees with the regex crate's `Captures::expand` wherever
//! ripgrep's rules and the regex crate's agree, and a template without group references
//! expands to its constant.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmgrep::matcher::{Matcher, MatcherOptions};
use mmgrep::template::Template;

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

const PATTERN: &str = r"(?P<first>[a-z]+)-(?P<second>[a-z0-9]+)( (?P<tail>\w+))?";

fn compiled() -> &'static (Matcher, regex::bytes::Regex) {
    static C: std::sync::OnceLock<(Matcher, regex::bytes::Regex)> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        (Matcher::new(&[PATTERN], &MatcherOptions::default()).unwrap(), regex::bytes::Regex::new(PATTERN).unwrap())
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(split) = data.iter().position(|&b| b == 0xff) else { return };
    let (tpl, hay) = (&data[..split], &data[split + 1..]);
    let (m, re) = compiled();
    let Some((s, e)) = m.find_at(hay, 0, hay.len()) else { return };
    let t = Template::new(tpl, m);
    let mut ours = Vec::new();
    let line = mmgrep::matcher::MatchLine {
        floor: 0,
        span: 0..hay.len(),
    };
    t.expand(m, hay, &line, s, e, &mut None, &mut ours);
    if let Some(c) = t.constant() {
        assert_eq!(c, ours, "constant template");
    }
    // `${...}` with an empty or non-name inside is literal in ripgrep, a (missing) group in the
    // regex crate; numbers past u32 parse differently too. Compare the rest.
    let differs = tpl.windows(2).enumerate().any(|(i, w)| {
        w == b"${"
            && tpl[i + 2..].iter().position(|&b| b == b'}').is_some_and(|j| j == 0 || !tpl[i + 2..i + 2 + j].iter().all(|&b| is_name(b)))
    }) || tpl.windows(11).any(|w| w.iter().all(u8::is_ascii_digit));
    if !differs {
        let caps = re.captures_at(hay, s).unwrap();
        if caps.get(0).map(|g| (g.start(), g.end())) == Some((s, e)) {
            let mut theirs = Vec::new();
            caps.expand(tpl, &mut theirs);
            assert_eq!(ours, theirs, "template {:?}", String::from_utf8_lossy(tpl));
        }
    }
});
