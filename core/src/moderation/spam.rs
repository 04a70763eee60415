//! The community's own rules that hold content for review without a moderator: spam
//! signals on new posts (a link from a new member, the same text again) and the report
//! threshold that takes a published post or reply out of sight until a moderator decides.
//!
//! | key | value |
//! | --- | --- |
//! | `mod/recent-text/{member}` | [`RecentTexts`]: fingerprints of a member's posts of the last day |

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::MemberId;
use crate::time::Timestamp;

/// Which signals send a new post to review, set by owners and admins with the rest of
/// [`super::ModerationSettings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SpamSignals {
    /// A post with a link waits for review while its author has published fewer posts
    /// than this (0: links never hold a post).
    #[serde(default = "SpamSignals::default_links")]
    pub links_until_posts: u8,
    /// A member's post that repeats, word for word, one of theirs from the last day waits.
    #[serde(default = "SpamSignals::default_repeated")]
    pub repeated_text: bool,
}

impl SpamSignals {
    fn default_links() -> u8 {
        3
    }

    fn default_repeated() -> bool {
        true
    }
}

impl Default for SpamSignals {
    fn default() -> Self {
        Self {
            links_until_posts: Self::default_links(),
            repeated_text: Self::default_repeated(),
        }
    }
}

/// Open reports from different members that hold a published post or reply for review,
/// when the settings say nothing (0 turns it off).
pub const DEFAULT_HIDE_AFTER_REPORTS: u8 = 3;

/// Why content waits for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HeldFor {
    /// The community reviews posts first (all, or new members').
    PreModeration,
    /// A link from a member with few published posts.
    LinkFromNewMember,
    /// The same text the member posted in the last day.
    RepeatedText,
    /// Reports from enough members.
    Reports,
}

/// What the spam signals look at in a new post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PostSignals {
    pub has_link: bool,
    pub repeats_recent: bool,
}

/// Whether `text` (a post's title and markdown body) holds a link: a URL with a scheme, a
/// `www.` host, or a markdown link or image target.
pub fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["http://", "https://", "www.", "](", "<a "]
        .iter()
        .any(|needle| lower.contains(needle))
}

/// Texts shorter than this (in characters, whitespace folded) are never repeats: "thanks",
/// "+1" and "同意" are said again and again by honest members.
pub const MIN_REPEAT_CHARS: usize = 20;

/// The fingerprint of a post's text: SHA-256 of its words, lower-cased, whitespace folded,
/// so a repost with other spacing or capitals is still the same text; 16 hex digits.
/// `None` for a text too short to count ([`MIN_REPEAT_CHARS`]).
pub fn fingerprint(text: &str) -> Option<String> {
    let folded = text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    if folded.chars().count() < MIN_REPEAT_CHARS {
        return None;
    }
    let digest = Sha256::digest(folded.as_bytes());
    Some(digest.iter().take(8).map(|b| format!("{b:02x}")).collect())
}

/// A member's recent post fingerprints, newest last, at most [`RecentTexts::MAX`], none
/// older than a day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RecentTexts {
    seen: Vec<(String, Timestamp)>,
}

impl RecentTexts {
    pub const MAX: usize = 20;

    pub fn key(member: &MemberId) -> String {
        format!("mod/recent-text/{member}")
    }

    /// Records `fingerprint` at `now` and says whether the member posted it in the last day.
    pub fn repeat(&mut self, fingerprint: String, now: Timestamp) -> bool {
        let since = now.millis().saturating_sub(Timestamp::DAY);
        self.seen.retain(|(_, at)| at.millis() > since);
        let repeated = self.seen.iter().any(|(f, _)| *f == fingerprint);
        self.seen.push((fingerprint, now));
        if self.seen.len() > Self::MAX {
            let extra = self.seen.len() - Self::MAX;
            self.seen.drain(..extra);
        }
        repeated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_in_their_usual_forms() {
        for text in [
            "see https://x.example",
            "HTTP://X.EXAMPLE",
            "go to www.shop.example now",
            "[deal](/cheap)",
            "![img](x.png)",
            "<a href=x>",
        ] {
            assert!(has_link(text), "{text}");
        }
        assert!(!has_link("Rinse the leaves first? Always."));
    }

    #[test]
    fn the_same_words_are_the_same_text() {
        let a = fingerprint("Buy  NOW\ncheap tea from us");
        assert!(a.is_some());
        assert_eq!(a, fingerprint("buy now cheap tea from us"));
        assert_ne!(a, fingerprint("buy later cheap tea from us"));
        assert_eq!(a.map(|f| f.len()), Some(16));
        assert_eq!(fingerprint("thanks!"), None, "short replies never repeat");
    }

    #[test]
    fn a_repeat_counts_within_a_day_only() {
        let mut recent = RecentTexts::default();
        let t0 = Timestamp(1_000_000_000_000);
        assert!(!recent.repeat("a".into(), t0));
        assert!(recent.repeat("a".into(), Timestamp(t0.millis() + 1000)));
        let later = Timestamp(t0.millis() + Timestamp::DAY + 2000);
        assert!(
            !recent.repeat("a".into(), later),
            "a day later it is new again"
        );
        for i in 0..50 {
            recent.repeat(format!("f{i}"), later);
        }
        assert_eq!(recent.seen.len(), RecentTexts::MAX);
    }
}
