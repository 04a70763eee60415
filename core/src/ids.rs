//! Identifiers that are parsed once at the boundary and trusted afterwards.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a string was refused as an identifier or bounded text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{what} must be between {min} and {max} characters")]
    Length {
        what: &'static str,
        min: usize,
        max: usize,
    },
    #[error("{what} may only contain {allowed}")]
    Charset {
        what: &'static str,
        allowed: &'static str,
    },
    #[error("{what} is not valid: {why}")]
    Invalid {
        what: &'static str,
        why: &'static str,
    },
}

/// The short name of a community, used in URLs, the embed tag and storage names:
/// 3–32 characters of `a-z`, `0-9` and single inner hyphens (`acme`, `pop-mart-cn`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CommunitySlug(String);

impl CommunitySlug {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a community slug";
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&raw.len()) {
            return Err(ParseError::Length {
                what: WHAT,
                min: Self::MIN_LEN,
                max: Self::MAX_LEN,
            });
        }
        if !raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(ParseError::Charset {
                what: WHAT,
                allowed: "lowercase letters, digits and hyphens",
            });
        }
        if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "hyphens go between letters or digits, one at a time",
            });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CommunitySlug {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<CommunitySlug> for String {
    fn from(slug: CommunitySlug) -> Self {
        slug.0
    }
}

impl fmt::Display for CommunitySlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A member, as the brand's SSO token names them (`sub`): 1–64 characters of
/// `A-Z a-z 0-9 _ . : @ -`. Never contains `/`, so it is safe inside storage keys.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MemberId(String);

impl MemberId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a member id";
        if !(1..=Self::MAX_LEN).contains(&raw.len()) {
            return Err(ParseError::Length {
                what: WHAT,
                min: 1,
                max: Self::MAX_LEN,
            });
        }
        let allowed =
            |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'@' | b'-');
        if !raw.bytes().all(allowed) {
            return Err(ParseError::Charset {
                what: WHAT,
                allowed: "letters, digits and _ . : @ -",
            });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MemberId {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<MemberId> for String {
    fn from(id: MemberId) -> Self {
        id.0
    }
}

impl fmt::Display for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Trimmed text of a bounded length in characters (not bytes: 圈子 is two).
/// `MIN` of 0 allows empty text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BoundedText<const MIN: usize, const MAX: usize>(String);

impl<const MIN: usize, const MAX: usize> BoundedText<MIN, MAX> {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let text = raw.trim();
        let chars = text.chars().count();
        if !(MIN..=MAX).contains(&chars) {
            return Err(ParseError::Length {
                what: "the text",
                min: MIN,
                max: MAX,
            });
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(ParseError::Invalid {
                what: "the text",
                why: "it contains control characters",
            });
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Text that may be empty defaults to empty.
impl<const MAX: usize> Default for BoundedText<0, MAX> {
    fn default() -> Self {
        Self(String::new())
    }
}

impl<const MIN: usize, const MAX: usize> TryFrom<String> for BoundedText<MIN, MAX> {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl<const MIN: usize, const MAX: usize> From<BoundedText<MIN, MAX>> for String {
    fn from(text: BoundedText<MIN, MAX>) -> Self {
        text.0
    }
}

impl<const MIN: usize, const MAX: usize> fmt::Display for BoundedText<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn community_slug_table() {
        let cases: &[(&str, bool)] = &[
            ("demo", true),
            ("pop-mart-cn", true),
            ("a1b", true),
            ("abcdefghijklmnopqrstuvwxyz012345", true),
            ("ab", false),
            ("abcdefghijklmnopqrstuvwxyz0123456", false),
            ("Demo", false),
            ("-demo", false),
            ("demo-", false),
            ("de--mo", false),
            ("de mo", false),
            ("圈子圈子", false),
            ("demo/../x", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(CommunitySlug::parse(raw).is_ok(), ok, "{raw:?}");
        }
    }

    #[test]
    fn member_id_table() {
        let cases: &[(&str, bool)] = &[
            ("u_42", true),
            ("wx:oA1b2C3", true),
            ("a@b.example", true),
            ("", false),
            ("a/b", false),
            ("with space", false),
            ("会员", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(MemberId::parse(raw).is_ok(), ok, "{raw:?}");
        }
        assert!(MemberId::parse(&"x".repeat(64)).is_ok());
        assert!(MemberId::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn community_slug_deserialises_only_when_valid() {
        assert!(serde_json::from_str::<CommunitySlug>("\"demo\"").is_ok());
        assert!(serde_json::from_str::<CommunitySlug>("\"NO\"").is_err());
    }

    #[test]
    fn bounded_text_counts_characters_and_trims() {
        type Name = BoundedText<1, 4>;
        assert_eq!(
            Name::parse("  圈子圈子 ").map(String::from),
            Ok("圈子圈子".to_owned())
        );
        assert!(Name::parse("圈子圈子圈").is_err());
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse("a\u{0}b").is_err());
    }

    proptest! {
        #[test]
        fn parsed_slugs_round_trip(raw in "[a-z0-9-]{0,40}") {
            if let Ok(slug) = CommunitySlug::parse(&raw) {
                prop_assert_eq!(slug.as_str(), raw.as_str());
                let json = serde_json::to_string(&slug).unwrap();
                prop_assert_eq!(serde_json::from_str::<CommunitySlug>(&json).unwrap(), slug);
            }
        }
    }
}
