//! The identifiers and bounded texts of talk, parsed once at the boundary.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{BoundedText, ParseError};

/// A thread's title: 1–120 characters.
pub type ThreadTitle = BoundedText<1, 120>;
/// The markdown source of a thread or a reply: 1–20 000 characters.
pub type BodyText = BoundedText<1, 20_000>;
/// A topic's name: 1–60 characters.
pub type TopicName = BoundedText<1, 60>;
/// A topic's description: up to 500 characters.
pub type TopicDescription = BoundedText<0, 500>;

/// The longest talk id, in characters.
pub const ID_MAX_LEN: usize = 40;

fn parse_id(raw: &str, what: &'static str) -> Result<String, ParseError> {
    if !(1..=ID_MAX_LEN).contains(&raw.len()) {
        return Err(ParseError::Length {
            what,
            min: 1,
            max: ID_MAX_LEN,
        });
    }
    if !raw
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(ParseError::Charset {
            what,
            allowed: "lowercase letters, digits and hyphens",
        });
    }
    Ok(raw.to_owned())
}

macro_rules! talk_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, ParseError> {
                parse_id(raw, $what).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

talk_id!(
    /// A thread: 1–40 characters of `a-z`, `0-9` and `-`, made by the caller (or derived
    /// from a page URL by [`ThreadId::for_page`]).
    ThreadId,
    "a thread id"
);
talk_id!(
    /// A reply: 1–40 characters of `a-z`, `0-9` and `-`, made by the caller.
    ReplyId,
    "a reply id"
);
talk_id!(
    /// A topic (interest group), chosen by staff: 1–40 characters of `a-z`, `0-9` and `-`
    /// (`running-club`).
    TopicId,
    "a topic id"
);

impl ThreadId {
    /// The id of the comment thread of a page: `page-` and the page's key, so that the
    /// thread is found with one `get` and never needs an index.
    pub fn for_page(url: &super::PageUrl) -> Self {
        Self(format!("page-{}", url.key()))
    }
}

/// One of the brand's own member segments, as its SSO token's `tags` carry them (`vip`,
/// `高级会员`): 1–40 characters, trimmed and lower-cased, no `/` or control characters.
/// Lower-casing at the boundary makes matching case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BrandTag(String);

impl BrandTag {
    pub const MAX_LEN: usize = 40;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a brand tag";
        let tag = raw.trim().to_lowercase();
        if !(1..=Self::MAX_LEN).contains(&tag.chars().count()) {
            return Err(ParseError::Length {
                what: WHAT,
                min: 1,
                max: Self::MAX_LEN,
            });
        }
        if tag.chars().any(|c| c.is_control() || c == '/') {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "it contains `/` or control characters",
            });
        }
        Ok(Self(tag))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BrandTag {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<BrandTag> for String {
    fn from(tag: BrandTag) -> Self {
        tag.0
    }
}

impl fmt::Display for BrandTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A post's text: the markdown the member wrote and the HTML the worker rendered and
/// sanitised from it on write (core never renders; the HTML is opaque here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub markdown: BodyText,
    pub rendered_html: String,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn talk_ids_accept_lowercase_digits_and_hyphens_only() {
        let cases: &[(&str, bool)] = &[
            ("t1", true),
            ("running-club", true),
            ("0", true),
            ("-", true),
            (&"a".repeat(40), true),
            (&"a".repeat(41), false),
            ("", false),
            ("Run", false),
            ("a/b", false),
            ("a b", false),
            ("a_b", false),
            ("圈子", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(ThreadId::parse(raw).is_ok(), ok, "{raw:?}");
            assert_eq!(ReplyId::parse(raw).is_ok(), ok, "{raw:?}");
            assert_eq!(TopicId::parse(raw).is_ok(), ok, "{raw:?}");
        }
    }

    #[test]
    fn ids_deserialise_only_when_valid() {
        assert!(serde_json::from_str::<TopicId>("\"run\"").is_ok());
        assert!(serde_json::from_str::<TopicId>("\"RUN\"").is_err());
        assert!(serde_json::from_str::<ReplyId>("\"\"").is_err());
    }

    #[test]
    fn brand_tags_are_trimmed_and_lower_cased() {
        let cases: &[(&str, Option<&str>)] = &[
            (" VIP ", Some("vip")),
            ("高级会员", Some("高级会员")),
            ("Gold Member", Some("gold member")),
            ("", None),
            ("   ", None),
            ("a/b", None),
            ("a\u{7}", None),
            (&"x".repeat(41), None),
        ];
        for &(raw, want) in cases {
            assert_eq!(
                BrandTag::parse(raw).ok().as_ref().map(BrandTag::as_str),
                want,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn titles_and_bodies_have_their_bounds() {
        assert!(ThreadTitle::parse(&"题".repeat(120)).is_ok());
        assert!(ThreadTitle::parse(&"题".repeat(121)).is_err());
        assert!(BodyText::parse(&"x".repeat(20_000)).is_ok());
        assert!(BodyText::parse(&"x".repeat(20_001)).is_err());
        assert!(BodyText::parse(" \n ").is_err());
    }

    proptest! {
        #[test]
        fn parsed_ids_round_trip_through_json(raw in "[a-z0-9-]{1,40}") {
            let id = ThreadId::parse(&raw).unwrap();
            let json = serde_json::to_string(&id).unwrap();
            prop_assert_eq!(serde_json::from_str::<ThreadId>(&json).unwrap(), id);
        }
    }
}
