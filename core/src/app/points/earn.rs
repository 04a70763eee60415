//! Points earned anywhere, with everything that follows from them, queued into the caller's
//! [`Change`]: the ledger lines and cause records, the account, the member's three current
//! leaderboard entries (`board/{week|month|all}/{member}`, with their [`board_index`] keys),
//! their stats, and recognition (a level-up, automatic badges) with its notifications.
//!
//! Other use cases (talk, events, check-in) call [`earn`] once per member per `Change`.

use crate::community::TimeZone;
use crate::error::ApiError;
use crate::ids::MemberId;
use crate::notify::{NotificationKind, NotificationTarget, Notify};
use crate::points::{
    Award, AwardOutcome, CauseRecord, LedgerEntry, PointRules, PointsAccount, ledger_sort_key,
};
use crate::recognition::{
    Activity, BadgeId, BoardEntry, MemberBadges, MemberStats, PeriodKey, Recognition,
    RecognitionRules, recognise,
};
use crate::store::{Store, get_json};
use crate::time::Timestamp;
use crate::webhook::{self, WebhookEvent};

use super::super::{Change, keys};
use super::{board_index, rkeys};

/// What [`earn`] queued for one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Earning {
    /// The ledger lines written, in order (awards capped to nothing or seen before write none).
    pub awarded: Vec<LedgerEntry>,
    /// The account after the awards (already queued for writing).
    pub account: PointsAccount,
    /// The level-up and badges the member was told about.
    pub recognition: Recognition,
}

/// Applies `awards` to `member` (each cause exactly once), records `activities` in the
/// member's stats, adds the points gained to this week's, this month's and the all-time
/// leaderboard, and evaluates recognition — all queued in `change`, so the caller's one
/// `Change::commit` writes it together with its own writes.
///
/// Call it at most once per member per `Change`: it reads the member's stored account,
/// stats and board entries, so a second call would not see the first call's queued writes.
/// The caller must not write `member/{id}/points` itself.
pub(crate) async fn earn(
    store: &impl Store,
    change: &mut Change,
    member: &MemberId,
    awards: Vec<Award>,
    activities: &[Activity],
    tz: TimeZone,
    now: Timestamp,
) -> Result<Earning, ApiError> {
    let rules = get_json::<PointRules>(store, keys::RULES_POINTS)
        .await?
        .unwrap_or_default();
    let mut account = get_json::<PointsAccount>(store, &keys::points(member))
        .await?
        .unwrap_or_default();
    let mut awarded = Vec::new();
    let mut account_changed = false;
    for award in awards {
        let cause_key = keys::cause(member, award.cause().as_str());
        let prior = get_json::<CauseRecord>(store, &cause_key).await?;
        match account.award(&rules, award, prior.as_ref(), now, tz)? {
            AwardOutcome::Applied { entry, record, .. } => {
                change
                    .batch
                    .put_json(keys::ledger(member, &ledger_sort_key(entry.seq)), &entry)?;
                change.batch.put_json(cause_key, &record)?;
                awarded.push(entry);
                account_changed = true;
            }
            AwardOutcome::Skipped { record, .. } => {
                // The daily tally moved (or the rule gives nothing): the cause is spent.
                change.batch.put_json(cause_key, &record)?;
                account_changed = true;
            }
            AwardOutcome::AlreadyApplied { .. } => {}
        }
    }
    if account_changed {
        change.batch.put_json(keys::points(member), &account)?;
    }

    let gained: u64 = awarded
        .iter()
        .map(|e| u64::try_from(e.delta).unwrap_or(0))
        .sum();
    if gained > 0 {
        for period in PeriodKey::current(now, tz)? {
            let key = rkeys::board(&period, member);
            let stored = get_json::<BoardEntry>(store, &key).await?;
            if let Some(entry) = BoardEntry::add(stored.clone(), member, gained, now) {
                // With its points-ordered index key and the period's totals.
                board_index::put_entry(store, &mut change.batch, &period, stored.as_ref(), &entry)
                    .await?;
            }
        }
    }

    let recognition =
        recognise_member(store, change, member, activities, account.earned(), now).await?;
    Ok(Earning {
        awarded,
        account,
        recognition,
    })
}

/// Records `activities` and the account's `earned` total in the member's stats, gives the
/// automatic badges now due and reports a level-up; queues the stats, badges and the
/// LevelUp/BadgeEarned notifications in `change`.
pub(crate) async fn recognise_member(
    store: &impl Store,
    change: &mut Change,
    member: &MemberId,
    activities: &[Activity],
    earned: u64,
    now: Timestamp,
) -> Result<Recognition, ApiError> {
    let rules = get_json::<RecognitionRules>(store, rkeys::RULES_RECOGNITION)
        .await?
        .unwrap_or_default();
    let stored = get_json::<MemberStats>(store, &rkeys::stats(member)).await?;
    let before = stored.clone().unwrap_or_default();
    let mut after = before.clone();
    for activity in activities {
        after.record(*activity);
    }
    after.record(Activity::PointsEarned { total: earned });
    let mut badges = get_json::<MemberBadges>(store, &rkeys::badges(member))
        .await?
        .unwrap_or_default();
    let recognition = recognise(&rules, &before, &after, &mut badges, now);
    if stored.as_ref() != Some(&after) {
        change.batch.put_json(rkeys::stats(member), &after)?;
    }
    if !recognition.badges.is_empty() {
        change.batch.put_json(rkeys::badges(member), &badges)?;
    }
    notify_recognition(change, member, &recognition);
    Ok(recognition)
}

/// Queues the notifications for a level-up and badges earned.
pub(crate) fn notify_recognition(
    change: &mut Change,
    member: &MemberId,
    recognition: &Recognition,
) {
    if let Some(up) = &recognition.level_up {
        change
            .webhooks
            .push(WebhookEvent::MemberLevelUp(webhook::MemberLevelUp {
                member: member.clone(),
                from: up.from,
                to: up.to,
            }));
        change.notify.push(Notify {
            recipient: member.clone(),
            kind: NotificationKind::LevelUp,
            actor: None,
            target: NotificationTarget {
                level: Some(up.to),
                ..NotificationTarget::default()
            },
        });
    }
    for badge in &recognition.badges {
        change
            .webhooks
            .push(badge_event(member, &badge.id, badge.granted));
        change
            .notify
            .push(badge_notification(member, badge.id.as_str()));
    }
}

/// The `badge.earned` webhook event (`granted`: by staff).
pub(crate) fn badge_event(member: &MemberId, badge: &BadgeId, granted: bool) -> WebhookEvent {
    WebhookEvent::BadgeEarned(webhook::BadgeEarned {
        member: member.clone(),
        badge: badge.clone(),
        granted,
    })
}

pub(crate) fn badge_notification(member: &MemberId, badge: &str) -> Notify {
    Notify {
        recipient: member.clone(),
        kind: NotificationKind::BadgeEarned,
        actor: None,
        target: NotificationTarget {
            badge: Some(badge.to_owned()),
            ..NotificationTarget::default()
        },
    }
}
