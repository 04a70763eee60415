//! The identifiers and bounded texts of talk, parsed once at the boundary.

use serde::{Deserialize, Serialize};

pub use crate::ids::BrandTag;
use crate::ids::{BoundedText, SHORT_ID_MAX_LEN, short_id};

/// A thread's title: 1–120 characters.
pub type ThreadTitle = BoundedText<1, 120>;
/// The markdown source of a thread or a reply: 1–20 000 characters.
pub type BodyText = BoundedText<1, 20_000>;
/// A topic's name: 1–60 characters.
pub type TopicName = BoundedText<1, 60>;
/// A topic's description: up to 500 characters.
pub type TopicDescription = BoundedText<0, 500>;

/// The longest talk id, in characters.
pub const ID_MAX_LEN: usize = SHORT_ID_MAX_LEN;

short_id!(
    /// A thread: 1–40 characters of `a-z`, `0-9` and `-`, made by the caller (or derived
    /// from a page URL by [`ThreadId::for_page`]).
    ThreadId,
    "a thread id"
);
short_id!(
    /// A reply: 1–40 characters of `a-z`, `0-9` and `-`, made by the caller.
    ReplyId,
    "a reply id"
);
short_id!(
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

        /// A post body is 1–20,000 characters of trimmed markdown, however many bytes each
        /// takes (题 three, 😀 four): the limit a member reads is the one enforced.
        #[test]
        fn bodies_are_bounded_in_characters_not_bytes(
            n in prop_oneof![0usize..40, 19_990usize..20_010],
            c in prop::sample::select(vec!['x', '题', '😀', '\n']),
            pad in "[ \\t\\n]{0,3}",
        ) {
            let raw = format!("{pad}{}{pad}", c.to_string().repeat(n));
            let kept = raw.trim().chars().count();
            let parsed = BodyText::parse(&raw);
            prop_assert_eq!(parsed.is_ok(), (1..=20_000).contains(&kept), "{} × {:?}", n, c);
            if let Ok(body) = parsed {
                prop_assert_eq!(body.as_str(), raw.trim());
            }
        }
    }
}
