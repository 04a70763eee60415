//! Saved segments: storing them, and evaluating a filter over the member index.
//!
//! A count scans the whole index (`insight/member/`, one key per member who ever did
//! anything) and reads a member's other keys only when their trail cannot decide; a page
//! of members scans at most [`SCAN_BUDGET`] of them.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::error::{ApiError, ErrorCode};
use crate::ids::MemberId;
use crate::insight::keys;
use crate::insight::rollup::Trail;
use crate::insight::segment::{
    Facts, Filter, Needs, PointsFacts, Segment, SegmentDraft, SegmentId,
};
use crate::points::PointsAccount;
use crate::recognition::{LevelLadder, MemberBadges, RecognitionRules};
use crate::sso::MemberProfile;
use crate::store::{Batch, Store, StoreError, get_json};
use crate::talk::{Cursor, Membership, TopicId};
use crate::time::Timestamp;

use super::super::keys as app_keys;
use super::super::points::rkeys;
use super::record::{corrupt, scan};
use super::{MemberRow, SegmentDeleted, SegmentList, SegmentMembers, SegmentPreview, SegmentView};

/// The most segments a community saves.
pub const MAX_SEGMENTS: usize = 100;
/// The most members one page of a segment's members examines.
pub const SCAN_BUDGET: usize = 5000;
/// Members a preview shows.
pub const SAMPLE: usize = 10;
/// Index entries read per storage list.
const PAGE: usize = 1000;

fn not_found(id: &SegmentId) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("there is no segment `{id}`"))
}

pub async fn list(store: &impl Store) -> Result<SegmentList, ApiError> {
    let mut items = Vec::new();
    scan::<Segment>(store, keys::SEGMENTS, |_, segment| {
        items.push(segment);
        Ok(())
    })
    .await?;
    Ok(SegmentList { items })
}

async fn load(store: &impl Store, id: &SegmentId) -> Result<Segment, ApiError> {
    get_json::<Segment>(store, &keys::segment(id))
        .await?
        .ok_or_else(|| not_found(id))
}

pub async fn get(
    store: &impl Store,
    id: &SegmentId,
    today: NaiveDate,
) -> Result<SegmentView, ApiError> {
    let segment = load(store, id).await?;
    let count = count(store, &segment.filter, today).await?;
    Ok(SegmentView { segment, count })
}

pub async fn create(
    store: &impl Store,
    id: SegmentId,
    draft: SegmentDraft,
    today: NaiveDate,
    now: Timestamp,
) -> Result<SegmentView, ApiError> {
    draft.filter.validate()?;
    if store.get(&keys::segment(&id)).await?.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("segment `{id}` exists already"),
        ));
    }
    let saved = store.list(keys::SEGMENTS, None, MAX_SEGMENTS).await?;
    if saved.next.is_some() || saved.entries.len() >= MAX_SEGMENTS {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("a community saves at most {MAX_SEGMENTS} segments; delete one first"),
        ));
    }
    let segment = Segment {
        id,
        name: draft.name,
        filter: draft.filter,
        created_at: now,
        updated_at: now,
    };
    save(store, &segment).await?;
    let count = count(store, &segment.filter, today).await?;
    Ok(SegmentView { segment, count })
}

pub async fn update(
    store: &impl Store,
    id: SegmentId,
    draft: SegmentDraft,
    today: NaiveDate,
    now: Timestamp,
) -> Result<SegmentView, ApiError> {
    draft.filter.validate()?;
    let before = load(store, &id).await?;
    let segment = Segment {
        name: draft.name,
        filter: draft.filter,
        updated_at: now,
        ..before
    };
    save(store, &segment).await?;
    let count = count(store, &segment.filter, today).await?;
    Ok(SegmentView { segment, count })
}

async fn save(store: &impl Store, segment: &Segment) -> Result<(), ApiError> {
    let mut batch = Batch::new();
    batch.put_json(keys::segment(&segment.id), segment)?;
    store.commit(batch).await?;
    Ok(())
}

pub async fn delete(store: &impl Store, id: SegmentId) -> Result<SegmentDeleted, ApiError> {
    load(store, &id).await?;
    let mut batch = Batch::new();
    batch.delete(keys::segment(&id));
    store.commit(batch).await?;
    Ok(SegmentDeleted { id })
}

pub async fn members(
    store: &impl Store,
    id: &SegmentId,
    cursor: Option<Cursor>,
    limit: usize,
    today: NaiveDate,
) -> Result<SegmentMembers, ApiError> {
    let segment = load(store, id).await?;
    let judge = Judge::new(store, &segment.filter, today).await?;
    let mut after = cursor.map(|c| c.start_after(keys::TRAILS));
    let mut items = Vec::new();
    let mut scanned = 0usize;
    loop {
        let want = PAGE.min(SCAN_BUDGET - scanned);
        let page = store.list(keys::TRAILS, after.as_deref(), want).await?;
        for (key, text) in &page.entries {
            scanned += 1;
            let (member, trail) = entry(key, text)?;
            if judge.matches(store, &member, &trail).await? {
                items.push(judge.row(store, member, &trail).await?);
                if items.len() == limit {
                    let next = Cursor::after(keys::TRAILS, key);
                    // The last match may also be the last member.
                    let more = page.next.is_some()
                        || page.entries.last().is_some_and(|(last, _)| last != key);
                    return Ok(SegmentMembers {
                        items,
                        next: next.filter(|_| more),
                    });
                }
            }
        }
        match page.next {
            Some(next) if scanned < SCAN_BUDGET => after = Some(next),
            Some(next) => {
                return Ok(SegmentMembers {
                    items,
                    next: Cursor::after(keys::TRAILS, &next),
                });
            }
            None => return Ok(SegmentMembers { items, next: None }),
        }
    }
}

pub async fn preview(
    store: &impl Store,
    filter: &Filter,
    today: NaiveDate,
) -> Result<SegmentPreview, ApiError> {
    filter.validate()?;
    let judge = Judge::new(store, filter, today).await?;
    let mut count: u32 = 0;
    let mut sample = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.list(keys::TRAILS, after.as_deref(), PAGE).await?;
        for (key, text) in &page.entries {
            let (member, trail) = entry(key, text)?;
            if judge.matches(store, &member, &trail).await? {
                count = count.saturating_add(1);
                if sample.len() < SAMPLE {
                    sample.push(judge.row(store, member, &trail).await?);
                }
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(SegmentPreview { count, sample }),
        }
    }
}

/// How many members match `filter` today.
pub async fn count(store: &impl Store, filter: &Filter, today: NaiveDate) -> Result<u32, ApiError> {
    let judge = Judge::new(store, filter, today).await?;
    let mut count: u32 = 0;
    let mut after: Option<String> = None;
    loop {
        let page = store.list(keys::TRAILS, after.as_deref(), PAGE).await?;
        for (key, text) in &page.entries {
            let (member, trail) = entry(key, text)?;
            if judge.matches(store, &member, &trail).await? {
                count = count.saturating_add(1);
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(count),
        }
    }
}

/// Whether `member` matches `filter` on `today` (false for a member insight has never seen).
pub async fn matches(
    store: &impl Store,
    filter: &Filter,
    member: &MemberId,
    today: NaiveDate,
) -> Result<bool, ApiError> {
    let Some(trail) = get_json::<Trail>(store, &keys::trail(member)).await? else {
        return Ok(false);
    };
    Judge::new(store, filter, today)
        .await?
        .matches(store, member, &trail)
        .await
}

pub(crate) fn entry(key: &str, text: &str) -> Result<(MemberId, Trail), ApiError> {
    let rest = key.strip_prefix(keys::TRAILS).unwrap_or(key);
    let member = MemberId::parse(rest).map_err(|_| corrupt(rest))?;
    let trail = serde_json::from_str(text)
        .map_err(|e| StoreError(format!("corrupt value at {key}: {e}")))?;
    Ok((member, trail))
}

/// A filter with what it needs loaded once per evaluation (the level ladder). Also the
/// members directory's (`app::members`) filter.
pub(crate) struct Judge<'f> {
    filter: &'f Filter,
    needs: Needs,
    ladder: LevelLadder,
    today: NaiveDate,
}

impl<'f> Judge<'f> {
    pub(crate) async fn new(
        store: &impl Store,
        filter: &'f Filter,
        today: NaiveDate,
    ) -> Result<Self, ApiError> {
        let ladder = get_json::<RecognitionRules>(store, rkeys::RULES_RECOGNITION)
            .await?
            .unwrap_or_default()
            .levels;
        Ok(Self {
            needs: filter.needs(),
            filter,
            ladder,
            today,
        })
    }

    async fn points(&self, store: &impl Store, member: &MemberId) -> Result<PointsFacts, ApiError> {
        let account = get_json::<PointsAccount>(store, &app_keys::points(member))
            .await?
            .unwrap_or_default();
        Ok(PointsFacts {
            earned: account.earned(),
            balance: account.balance(),
            level: self.ladder.level_for(account.earned()),
        })
    }

    /// Decides with the trail alone if it can, else reads what the filter names.
    pub(crate) async fn matches(
        &self,
        store: &impl Store,
        member: &MemberId,
        trail: &Trail,
    ) -> Result<bool, ApiError> {
        let facts = Facts::trail(self.today, trail);
        if let Some(decided) = self.filter.eval(&facts) {
            return Ok(decided);
        }
        let profile = match self.needs.profile {
            // The brand's tags and the community's own staff tags both count for `tag`.
            true => super::super::members::profile_with_staff_tags(store, member).await?,
            false => None,
        };
        let points = match self.needs.points {
            true => Some(self.points(store, member).await?),
            false => None,
        };
        let badges = match self.needs.badges {
            true => get_json::<MemberBadges>(store, &rkeys::badges(member)).await?,
            false => None,
        };
        let mut topics: BTreeSet<TopicId> = BTreeSet::new();
        for topic in &self.needs.topics {
            let key = crate::talk::keys::member_topic(member, topic);
            if get_json::<Membership>(store, &key)
                .await?
                .is_some_and(|m| m.is_member())
            {
                topics.insert(topic.clone());
            }
        }
        let facts = Facts {
            profile: self.needs.profile.then_some(profile.as_ref()),
            points,
            badges: self.needs.badges.then_some(badges.as_ref()),
            topics: Some(&topics),
            ..facts
        };
        Ok(self.filter.eval(&facts).unwrap_or(false))
    }

    async fn row(
        &self,
        store: &impl Store,
        member: MemberId,
        trail: &Trail,
    ) -> Result<MemberRow, ApiError> {
        let profile = get_json::<MemberProfile>(store, &app_keys::profile(&member)).await?;
        let points = self.points(store, &member).await?;
        Ok(MemberRow {
            name: profile.as_ref().map(|p| p.name.to_string()),
            tags: profile
                .map(|p| p.tags.iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            member,
            joined: trail.joined,
            last_active: trail.last,
            points: points.earned,
            level: points.level,
        })
    }
}
