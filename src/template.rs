//! Replacement templates: `$1`, `${1}`, `$name`, `${name}` and `$$`, parsed once with
//! ripgrep's rules (a `$` not followed by a valid reference is literal; `$1bad` names the
//! group `1bad`; a group that does not exist expands to nothing) and expanded per match.

use crate::matcher::{Caps, MatchLine, Matcher};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(Vec<u8>),
    /// A group by index (resolved from a name where the pattern has that name).
    Group(usize),
    /// A reference to a group the pattern does not have: expands to nothing.
    Missing,
}

/// A reference the pattern cannot satisfy, for `--in-place`'s stricter check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRef {
    /// Byte offset of the `$` in the template.
    pub at: usize,
    /// The reference's length in bytes, `$` included.
    pub len: usize,
    pub name: String,
}

/// A parsed replacement template.
#[derive(Clone, Debug)]
pub struct Template {
    raw: Vec<u8>,
    parts: Vec<Part>,
    bad: Vec<BadRef>,
}

fn is_cap_letter(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Parses a reference at the start of `s` (which begins with `$`): (name, length).
fn cap_ref(s: &[u8]) -> Option<(&str, usize)> {
    if s.len() <= 1 || s[0] != b'$' {
        return None;
    }
    let brace = s[1] == b'{';
    let start = if brace { 2 } else { 1 };
    let mut end = start;
    while end < s.len() && is_cap_letter(s[end]) {
        end += 1;
    }
    if end == start {
        return None;
    }
    let name = std::str::from_utf8(&s[start..end]).ok()?;
    if brace {
        if s.get(end) != Some(&b'}') {
            return None;
        }
        end += 1;
    }
    Some((name, end))
}

impl Template {
    /// Parses `raw` against the matcher's groups.
    pub fn new(raw: &[u8], matcher: &Matcher) -> Template {
        let names = matcher.group_names();
        let mut parts = Vec::new();
        let mut bad = Vec::new();
        let mut lit = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            let Some(off) = memchr::memchr(b'$', &raw[i..]) else {
                lit.extend_from_slice(&raw[i..]);
                break;
            };
            lit.extend_from_slice(&raw[i..i + off]);
            i += off;
            if raw.get(i + 1) == Some(&b'$') {
                lit.push(b'$');
                i += 2;
                continue;
            }
            let Some((name, len)) = cap_ref(&raw[i..]) else {
                lit.push(b'$');
                i += 1;
                continue;
            };
            if !lit.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut lit)));
            }
            let index = match name.parse::<u32>() {
                Ok(n) => Some(n as usize).filter(|&n| n < names.len()),
                // The last group of that name (PCRE2's `(?J)` allows several; ripgrep's
                // name table keeps the last).
                Err(_) => names.iter().rposition(|n| n.as_deref() == Some(name)),
            };
            match index {
                Some(n) => parts.push(Part::Group(n)),
                None => {
                    parts.push(Part::Missing);
                    bad.push(BadRef {
                        at: i,
                        len,
                        name: name.to_string(),
                    });
                }
            }
            i += len;
        }
        if !lit.is_empty() {
            parts.push(Part::Literal(lit));
        }
        Template {
            raw: raw.to_vec(),
            parts,
            bad,
        }
    }

    /// The template as given.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// References to groups the pattern does not have.
    pub fn bad_refs(&self) -> &[BadRef] {
        &self.bad
    }

    /// True when expansion needs capture groups beyond the whole match.
    pub fn needs_captures(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Group(n) if *n > 0))
    }

    /// The expansion when it does not depend on the match (no group reference at all).
    pub fn constant(&self) -> Option<Vec<u8>> {
        if self.parts.iter().any(|p| matches!(p, Part::Group(_))) {
            return None;
        }
        let mut out = Vec::new();
        for p in &self.parts {
            if let Part::Literal(l) = p {
                out.extend_from_slice(l);
            }
        }
        Some(out)
    }

    /// Appends the expansion for the match `hay[s..e]`, found in `line`, to `dst`.
    #[allow(clippy::too_many_arguments)]
    pub fn expand(
        &self,
        matcher: &Matcher,
        hay: &[u8],
        line: &MatchLine,
        s: usize,
        e: usize,
        caps: &mut Option<Caps>,
        dst: &mut Vec<u8>,
    ) {
        if self.needs_captures() {
            let c = caps.get_or_insert_with(|| matcher.create_captures());
            matcher.captures_at(hay, line, s, e, c);
        }
        for p in &self.parts {
            match p {
                Part::Literal(l) => dst.extend_from_slice(l),
                Part::Group(0) => dst.extend_from_slice(&hay[s..e]),
                Part::Group(n) => {
                    if let Some(c) = caps.as_ref()
                        && let Some((gs, ge)) = c.get_group(*n)
                    {
                        dst.extend_from_slice(&hay[gs..ge]);
                    }
                }
                Part::Missing => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{Matcher, MatcherOptions};

    fn expand(pat: &str, tpl: &str, hay: &str) -> String {
        let m = Matcher::new(&[pat], &MatcherOptions::default()).unwrap();
        let t = Template::new(tpl.as_bytes(), &m);
        let (s, e) = m.find_at(hay.as_bytes(), 0, hay.len()).unwrap();
        let mut out = Vec::new();
        let line = MatchLine {
            floor: 0,
            span: 0..hay.len(),
        };
        t.expand(&m, hay.as_bytes(), &line, s, e, &mut None, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn references() {
        assert_eq!(expand(r"(\w+)-(\w+)", "$2-$1", "ab-cd"), "cd-ab");
        assert_eq!(expand(r"(\w+)-(\w+)", "${2}x$$", "ab-cd"), "cdx$");
        assert_eq!(expand(r"(?P<a>\w+)-\w+", "<$a>", "ab-cd"), "<ab>");
        assert_eq!(expand(r"(\w+)-\w+", "$1bad", "ab-cd"), "");
        assert_eq!(expand(r"(\w+)-\w+", "$", "ab-cd"), "$");
        assert_eq!(expand(r"(\w+)-\w+", "${1", "ab-cd"), "${1");
        assert_eq!(expand(r"\w+", "$0!", "ab"), "ab!");
    }

    proptest::proptest! {
        /// ripgrep's interpolation is the regex crate's: expansions must agree on any template.
        #[test]
        fn expansion_matches_the_regex_crate(
            tpl in r"[a-z0-9_${}]{0,14}",
            hay in r"[a-z]{1,6}-[a-z]{1,6}( [a-z]{1,3})?",
        ) {
            // Where they differ by design: the regex crate takes any characters inside
            // `${...}`, ripgrep only one or more name characters (`${$}` and `${}` stay literal in ripgrep).
            let braced_non_name = tpl.match_indices("${").any(|(i, _)| {
                tpl[i + 2..].find('}').is_some_and(|j| j == 0 || !tpl[i + 2..i + 2 + j].bytes().all(is_cap_letter))
            });
            proptest::prop_assume!(!braced_non_name);
            let pattern = r"(?P<first>[a-z]+)-(?P<second>[a-z]+)( (?P<tail>[a-z]+))?";
            let m = Matcher::new(&[pattern], &MatcherOptions::default()).unwrap();
            let (s, e) = m.find_at(hay.as_bytes(), 0, hay.len()).unwrap();
            let mut ours = Vec::new();
            let line = MatchLine { floor: 0, span: 0..hay.len() };
            Template::new(tpl.as_bytes(), &m).expand(&m, hay.as_bytes(), &line, s, e, &mut None, &mut ours);
            let re = regex::bytes::Regex::new(pattern).unwrap();
            let caps = re.captures(hay.as_bytes()).unwrap();
            let mut theirs = Vec::new();
            caps.expand(tpl.as_bytes(), &mut theirs);
            proptest::prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }

    #[test]
    fn bad_refs_are_reported_with_their_place() {
        let m = Matcher::new(&[r"(\w+)"], &MatcherOptions::default()).unwrap();
        let t = Template::new(b"x$1bad", &m);
        assert_eq!(
            t.bad_refs(),
            &[BadRef {
                at: 1,
                len: 5,
                name: "1bad".into()
            }]
        );
        assert!(Template::new(b"${1}bad", &m).bad_refs().is_empty());
        assert_eq!(Template::new(b"lit", &m).constant(), Some(b"lit".to_vec()));
    }
}
