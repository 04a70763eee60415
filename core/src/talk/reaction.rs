//! Reactions: a small fixed set, at most one of each kind per member per target (a thread's
//! opening post or a reply), toggled; the counts live on the target so a read needs no sum.
//!
//! A member's reactions on one target are one [`ReactionSet`] record
//! (`talk/reaction/thread/{thread}/{member}` or `talk/reaction/reply/{thread}/{reply}/{member}`);
//! when a toggle leaves it empty the caller deletes the record.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};

use super::reply::{Reply, ReplyContent};
use super::thread::{Opening, Place, Thread};

/// The reactions a member can leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReactionKind {
    Like,
    Heart,
    Laugh,
    Wow,
    Thanks,
}

impl ReactionKind {
    pub const ALL: [Self; 5] = [
        Self::Like,
        Self::Heart,
        Self::Laugh,
        Self::Wow,
        Self::Thanks,
    ];
}

/// How many members left each kind of reaction on one target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReactionCounts {
    pub like: u32,
    pub heart: u32,
    pub laugh: u32,
    pub wow: u32,
    pub thanks: u32,
}

impl ReactionCounts {
    pub fn get(&self, kind: ReactionKind) -> u32 {
        match kind {
            ReactionKind::Like => self.like,
            ReactionKind::Heart => self.heart,
            ReactionKind::Laugh => self.laugh,
            ReactionKind::Wow => self.wow,
            ReactionKind::Thanks => self.thanks,
        }
    }

    fn slot(&mut self, kind: ReactionKind) -> &mut u32 {
        match kind {
            ReactionKind::Like => &mut self.like,
            ReactionKind::Heart => &mut self.heart,
            ReactionKind::Laugh => &mut self.laugh,
            ReactionKind::Wow => &mut self.wow,
            ReactionKind::Thanks => &mut self.thanks,
        }
    }

    /// Every reaction of every kind.
    pub fn total(&self) -> u32 {
        ReactionKind::ALL
            .iter()
            .fold(0u32, |sum, k| sum.saturating_add(self.get(*k)))
    }
}

/// One member's reactions on one target: distinct kinds, in a fixed order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<ReactionKind>", into = "Vec<ReactionKind>")]
pub struct ReactionSet(Vec<ReactionKind>);

impl ReactionSet {
    pub fn contains(&self, kind: ReactionKind) -> bool {
        self.0.contains(&kind)
    }

    pub fn kinds(&self) -> &[ReactionKind] {
        &self.0
    }

    /// Nothing left: the caller deletes the record rather than store an empty set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<ReactionKind>> for ReactionSet {
    fn from(mut kinds: Vec<ReactionKind>) -> Self {
        kinds.sort();
        kinds.dedup();
        Self(kinds)
    }
}

impl From<ReactionSet> for Vec<ReactionKind> {
    fn from(set: ReactionSet) -> Self {
        set.0
    }
}

/// The result of a toggle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Toggled {
    pub kind: ReactionKind,
    /// Whether the member now has this reaction on the target.
    pub on: bool,
    /// The target's counts after the toggle.
    pub counts: ReactionCounts,
}

/// Turns `kind` on in `mine` if it was off and off if it was on, keeping `counts` equal to
/// the number of members holding each kind.
pub fn toggle(counts: &mut ReactionCounts, mine: &mut ReactionSet, kind: ReactionKind) -> Toggled {
    let on = !mine.contains(kind);
    let slot = counts.slot(kind);
    if on {
        mine.0.push(kind);
        mine.0.sort();
        *slot = slot.saturating_add(1);
    } else {
        mine.0.retain(|k| *k != kind);
        *slot = slot.saturating_sub(1);
    }
    Toggled {
        kind,
        on,
        counts: *counts,
    }
}

/// Why a reaction was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReactError {
    #[error("that post was deleted")]
    Deleted,
    #[error("a page's thread has no post of its own to react to; react to a comment")]
    NoOpeningPost,
}

impl From<ReactError> for ApiError {
    fn from(e: ReactError) -> Self {
        let code = match e {
            ReactError::Deleted => ErrorCode::NotFound,
            ReactError::NoOpeningPost => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// Toggles `kind` on a thread's opening post. `mine` is the member's [`ReactionSet`] on the
/// thread (empty if they had none).
pub fn react_to_thread(
    thread: &mut Thread,
    mine: &mut ReactionSet,
    kind: ReactionKind,
) -> Result<Toggled, ReactError> {
    match &thread.place {
        Place::Page { .. } => Err(ReactError::NoOpeningPost),
        Place::Topic {
            opening: Opening::Deleted { .. },
            ..
        } => Err(ReactError::Deleted),
        Place::Topic { .. } => Ok(toggle(&mut thread.reactions, mine, kind)),
    }
}

/// Toggles `kind` on a reply. `mine` is the member's [`ReactionSet`] on the reply.
pub fn react_to_reply(
    reply: &mut Reply,
    mine: &mut ReactionSet,
    kind: ReactionKind,
) -> Result<Toggled, ReactError> {
    match reply.content {
        ReplyContent::Deleted { .. } => Err(ReactError::Deleted),
        ReplyContent::Live(_) => Ok(toggle(&mut reply.reactions, mine, kind)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn toggling_twice_restores_the_counts() {
        let mut counts = ReactionCounts::default();
        let mut mine = ReactionSet::default();
        let on = toggle(&mut counts, &mut mine, ReactionKind::Heart);
        assert!(on.on);
        assert_eq!(on.counts.heart, 1);
        assert_eq!(mine.kinds(), [ReactionKind::Heart]);
        let off = toggle(&mut counts, &mut mine, ReactionKind::Heart);
        assert!(!off.on);
        assert_eq!(counts, ReactionCounts::default());
        assert!(mine.is_empty());
    }

    #[test]
    fn a_member_may_hold_several_kinds_but_one_of_each() {
        let mut counts = ReactionCounts::default();
        let mut mine = ReactionSet::default();
        toggle(&mut counts, &mut mine, ReactionKind::Thanks);
        toggle(&mut counts, &mut mine, ReactionKind::Like);
        assert_eq!(mine.kinds(), [ReactionKind::Like, ReactionKind::Thanks]);
        assert_eq!(counts.total(), 2);
    }

    #[test]
    fn reaction_wire_shapes() {
        assert_eq!(
            serde_json::to_value(ReactionKind::Thanks).unwrap(),
            serde_json::json!("thanks")
        );
        let counts: ReactionCounts = serde_json::from_str(r#"{"like":2}"#).unwrap();
        assert_eq!(counts.like, 2);
        assert_eq!(counts.total(), 2);
        let set: ReactionSet = serde_json::from_str(r#"["wow","like","wow"]"#).unwrap();
        assert_eq!(set.kinds(), [ReactionKind::Like, ReactionKind::Wow]);
    }

    fn kind() -> impl Strategy<Value = ReactionKind> {
        proptest::sample::select(ReactionKind::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn counts_equal_the_distinct_member_kind_pairs_after_any_toggles(
            toggles in proptest::collection::vec((0u8..6, kind()), 0..200)
        ) {
            let mut counts = ReactionCounts::default();
            let mut sets: BTreeMap<u8, ReactionSet> = BTreeMap::new();
            let mut model: BTreeSet<(u8, ReactionKind)> = BTreeSet::new();
            for (member, kind) in toggles {
                let mine = sets.entry(member).or_default();
                let t = toggle(&mut counts, mine, kind);
                prop_assert_eq!(t.on, model.insert((member, kind)));
                if !t.on {
                    model.remove(&(member, kind));
                }
            }
            for kind in ReactionKind::ALL {
                let pairs = model.iter().filter(|(_, k)| *k == kind).count();
                prop_assert_eq!(counts.get(kind) as usize, pairs);
            }
            prop_assert_eq!(counts.total() as usize, model.len());
            for (member, set) in &sets {
                let held: Vec<_> = model.iter().filter(|(m, _)| m == member).map(|(_, k)| *k).collect();
                prop_assert_eq!(set.kinds(), held.as_slice());
            }
        }
    }
}
