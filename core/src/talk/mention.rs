//! Mentions: `@name` and `@{member id}` tokens in a post's markdown source.
//!
//! Kept simple on purpose, and conservative: a token inside a fenced code block (```` ``` ````
//! or `~~~`), an indented code block or an inline code span is not a mention, nor is an `@`
//! escaped with `\`, nor one glued to a word, an address or a path (`ann@brand.example`,
//! `/u/@ann`). A name is 1–32 letters, digits (any script), `_`, `-` or `.`, a trailing `.`
//! being the sentence's. `@{…}` must hold a valid [`MemberId`]. Chinese text may run into
//! a name (`你好@小明`); a name runs until a space or punctuation, as on Weibo.

use serde::{Deserialize, Serialize};

use crate::ids::{MemberId, ParseError, string_newtype};

string_newtype! {
    /// A display name as written after `@`; the application layer resolves it to a member.
    #[derive(PartialOrd, Ord)]
    pub struct MentionName;
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

impl MentionName {
    pub const MAX_LEN: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a mentioned name";
        ParseError::check_length(WHAT, raw.chars().count(), 1..=Self::MAX_LEN)?;
        if !raw.chars().all(is_name_char) {
            return Err(ParseError::Charset {
                what: WHAT,
                allowed: "letters, digits, _ - and .",
            });
        }
        Ok(Self(raw.to_owned()))
    }
}

/// One token found in the source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mention {
    /// `@{u_42}`: a member named by id.
    Member(MemberId),
    /// `@小明`: a member named by display name, to resolve.
    Name(MentionName),
}

/// The distinct mention tokens of `markdown`, in order of first appearance.
pub fn scan(markdown: &str) -> Vec<Mention> {
    let mut found: Vec<Mention> = Vec::new();
    for paragraph in prose(markdown) {
        scan_inline(&paragraph, &mut found);
    }
    found
}

/// The members a post mentions: distinct, in order of first mention, at most
/// [`Mentions::MAX`] (mentions past that are ignored, so a post cannot page a crowd).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<MemberId>", into = "Vec<MemberId>")]
pub struct Mentions(Vec<MemberId>);

impl Mentions {
    pub const MAX: usize = 20;

    /// Distinct members from `members`, in order, capped.
    pub fn from_members(members: impl IntoIterator<Item = MemberId>) -> Self {
        let mut out: Vec<MemberId> = Vec::new();
        for m in members {
            if out.len() == Self::MAX {
                break;
            }
            if !out.contains(&m) {
                out.push(m);
            }
        }
        Self(out)
    }

    /// Scans `markdown` and resolves names with `lookup` (names it does not know are
    /// skipped). The application layer builds `lookup` from its member directory after
    /// reading the names [`scan`] found.
    pub fn resolve(
        markdown: &str,
        mut lookup: impl FnMut(&MentionName) -> Option<MemberId>,
    ) -> Self {
        Self::from_members(scan(markdown).into_iter().filter_map(|m| match m {
            Mention::Member(id) => Some(id),
            Mention::Name(name) => lookup(&name),
        }))
    }

    pub fn members(&self) -> &[MemberId] {
        &self.0
    }

    pub fn contains(&self, member: &MemberId) -> bool {
        self.0.contains(member)
    }
}

impl From<Vec<MemberId>> for Mentions {
    fn from(members: Vec<MemberId>) -> Self {
        Self::from_members(members)
    }
}

impl From<Mentions> for Vec<MemberId> {
    fn from(m: Mentions) -> Self {
        m.0
    }
}

/// A fence opening: its character and length, if `line` (indentation removed) opens one.
fn fence_open(line: &str) -> Option<(char, usize)> {
    let ch = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = line.chars().take_while(|c| *c == ch).count();
    let info = line.get(n..).unwrap_or("");
    (n >= 3 && !(ch == '`' && info.contains('`'))).then_some((ch, n))
}

fn fence_closes(line: &str, (ch, n): (char, usize)) -> bool {
    let run = line.chars().take_while(|c| *c == ch).count();
    run >= n && line.get(run..).is_some_and(|rest| rest.trim().is_empty())
}

/// The paragraphs of prose: the source without its code blocks, split at blank lines.
fn prose(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut paragraph: Option<String> = None;
    let mut fence: Option<(char, usize)> = None;
    for line in markdown.lines() {
        let unindented = line.trim_start_matches(' ');
        let indent = line.len() - unindented.len();
        if let Some(open) = fence {
            if indent <= 3 && fence_closes(unindented, open) {
                fence = None;
            }
            continue;
        }
        if indent <= 3
            && let Some(open) = fence_open(unindented)
        {
            out.extend(paragraph.take());
            fence = Some(open);
            continue;
        }
        if line.trim().is_empty() {
            out.extend(paragraph.take());
            continue;
        }
        match paragraph.as_mut() {
            Some(p) => {
                p.push('\n');
                p.push_str(line);
            }
            // Indented code cannot interrupt a paragraph, so it only starts outside one.
            None if indent >= 4 || unindented.starts_with('\t') => {}
            None => paragraph = Some(line.to_owned()),
        }
    }
    out.extend(paragraph);
    out
}

fn push_distinct(found: &mut Vec<Mention>, m: Mention) {
    if !found.contains(&m) {
        found.push(m);
    }
}

/// Whether the character before an `@` lets it start a mention.
fn may_precede(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => {
            !(c.is_ascii_alphanumeric()
                || matches!(c, '_' | '.' | '-' | '/' | '@' | '+' | '=' | ':' | '\\'))
        }
    }
}

fn scan_inline(text: &str, found: &mut Vec<Mention>) {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let run_of_backticks = |i: usize| chars.iter().skip(i).take_while(|c| **c == '`').count();
    let mut i = 0;
    while let Some(c) = at(i) {
        match c {
            '\\' => i += 2,
            '`' => {
                let run = run_of_backticks(i);
                // A code span closes at the next run of exactly the same length.
                let mut j = i + run;
                let mut close = None;
                while let Some(cj) = at(j) {
                    if cj == '`' {
                        let other = run_of_backticks(j);
                        if other == run {
                            close = Some(j + other);
                            break;
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                }
                i = close.unwrap_or(i + run);
            }
            '@' if may_precede(i.checked_sub(1).and_then(at)) => {
                i = scan_at(&chars, i, found);
            }
            _ => i += 1,
        }
    }
}

/// Reads the token after the `@` at `i`; returns where scanning resumes.
fn scan_at(chars: &[char], i: usize, found: &mut Vec<Mention>) -> usize {
    let start = i + 1;
    if chars.get(start) == Some(&'{') {
        let inner_start = start + 1;
        let close = chars
            .iter()
            .skip(inner_start)
            .take(MemberId::MAX_LEN + 1)
            .position(|c| *c == '}')
            .map(|p| inner_start + p);
        if let Some(close) = close {
            let inner: String = chars
                .get(inner_start..close)
                .unwrap_or(&[])
                .iter()
                .collect();
            if let Ok(id) = MemberId::parse(&inner) {
                push_distinct(found, Mention::Member(id));
                return close + 1;
            }
        }
        return start;
    }
    let len = chars
        .iter()
        .skip(start)
        .take_while(|c| is_name_char(**c))
        .count();
    let mut end = start + len;
    while end > start && chars.get(end - 1) == Some(&'.') {
        end -= 1;
    }
    let name: String = chars.get(start..end).unwrap_or(&[]).iter().collect();
    if let Ok(name) = MentionName::parse(&name) {
        push_distinct(found, Mention::Name(name));
    }
    end.max(start)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn name(n: &str) -> Mention {
        Mention::Name(MentionName::parse(n).unwrap())
    }

    fn id(m: &str) -> Mention {
        Mention::Member(MemberId::parse(m).unwrap())
    }

    #[test]
    fn mention_scanning_table() {
        let cases: Vec<(&str, Vec<Mention>)> = vec![
            ("hi @ann", vec![name("ann")]),
            ("@ann and @bob.", vec![name("ann"), name("bob")]),
            ("@ann @ann @Ann", vec![name("ann"), name("Ann")]),
            ("thanks @{u_42}!", vec![id("u_42")]),
            (
                "@{wx:oA1b2C3} @{u_42} @{wx:oA1b2C3}",
                vec![id("wx:oA1b2C3"), id("u_42")],
            ),
            ("@{not valid} @{}", vec![]),
            ("@{unclosed", vec![]),
            ("你好@小明 ，谢谢", vec![name("小明")]),
            ("(@ann) [@bob]", vec![name("ann"), name("bob")]),
            ("@j.doe-1_x", vec![name("j.doe-1_x")]),
            ("mail ann@brand.example", vec![]),
            ("see https://x.example/@ann", vec![]),
            ("\\@ann is escaped", vec![]),
            ("@@ann", vec![]),
            ("@ alone", vec![]),
            ("`@ann` in a span, @bob outside", vec![name("bob")]),
            ("``a ` @ann`` @bob", vec![name("bob")]),
            ("an `unclosed @ann span", vec![name("ann")]),
            ("```\n@ann\n```\n@bob", vec![name("bob")]),
            ("~~~rust\n@ann\n~~~\n@bob", vec![name("bob")]),
            ("````\n```\n@ann\n````\n@bob", vec![name("bob")]),
            ("```\n@ann never closed", vec![]),
            ("   ```\n@ann\n   ```\n@bob", vec![name("bob")]),
            ("    @ann in indented code\n\n@bob", vec![name("bob")]),
            ("\t@ann in indented code", vec![]),
            ("para\n    @ann continues the paragraph", vec![name("ann")]),
            ("a `span\nacross lines @ann` @bob", vec![name("bob")]),
            ("a `span\n\n@ann` stops at a blank line", vec![name("ann")]),
            ("@abcdefghijklmnopqrstuvwxyz0123456789", vec![]),
        ];
        for (source, want) in cases {
            assert_eq!(scan(source), want, "{source:?}");
        }
    }

    #[test]
    fn resolving_keeps_known_members_once_in_order() {
        let bob = MemberId::parse("u_bob").unwrap();
        let ann = MemberId::parse("u_ann").unwrap();
        let lookup = |n: &MentionName| match n.as_str() {
            "bob" => Some(bob.clone()),
            _ => None,
        };
        let m = Mentions::resolve("@bob @stranger @{u_ann} @{u_bob} @bob", lookup);
        assert_eq!(m.members(), [bob.clone(), ann]);
        assert!(m.contains(&bob));
    }

    #[test]
    fn mentions_are_capped_so_a_post_cannot_page_a_crowd() {
        let source: String = (0..30).map(|i| format!("@{{u{i}}} ")).collect();
        let m = Mentions::resolve(&source, |_| None);
        assert_eq!(m.members().len(), Mentions::MAX);
        assert_eq!(m.members()[0].as_str(), "u0");
    }

    #[test]
    fn stored_mentions_are_deduplicated_on_load() {
        let m: Mentions = serde_json::from_str(r#"["a","b","a"]"#).unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"["a","b"]"#);
    }

    proptest! {
        #[test]
        fn scanning_never_panics_and_finds_distinct_tokens(source in "[ @{}`~\\\\a-c_.\n\t小]{0,80}") {
            let found = scan(&source);
            for (i, m) in found.iter().enumerate() {
                prop_assert!(!found[..i].contains(m));
            }
        }

        #[test]
        fn a_fenced_block_hides_every_mention(inner in "[ @a-z\n]{0,40}") {
            let inner = inner.replace("```", "");
            let source = format!("```\n{inner}\n```\n");
            prop_assert_eq!(scan(&source), vec![]);
        }
    }
}
