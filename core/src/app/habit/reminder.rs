//! The daily check-in reminder a member may opt in to.
//!
//! At the community's reminder hour ([`CheckinRules::reminder_hour`], community-local), each
//! member who opted in and has not checked in that local day gets one notification
//! ([`NotificationKind::CheckinReminder`]) and the community's webhooks one
//! `checkin.reminder` event. The run rides on the automations' time-trigger run
//! (`AutomationCommand::RunDue`, the object's alarm), so it needs no schedule of its own.
//!
//! Exactly once per member and day: the key `checkin/reminded/{day}/{member}` is written in
//! the batch of the notification, and a member whose key exists is skipped.
//!
//! Storage:
//! * `checkin/reminder/{member}` → `true`: opted in (one key per member who did, so the run
//!   lists only them)
//! * `checkin/reminded/{yyyy-mm-dd}/{member}` → [`Timestamp`]: reminded that local day
//! * `checkin/reminder-ran` → the local day of the last complete run (cleared when a member
//!   opts in, so that a member opting in after the hour is reminded that day too)
//! * `checkin/reminder-cursor` → [`RunCursor`]: where a run cut short by its cap stopped, so
//!   the next run of the same day carries on there instead of reading everyone again
//!   (cleared by a complete run and when a member opts in)
//!
//! Each run also deletes past days' `reminded` keys, more than it writes (its cap plus
//! [`PRUNE`]), so they never pile up however many members opt in.

use chrono::{Duration, NaiveDate, TimeZone as _, Timelike};
use serde::{Deserialize, Serialize};

use crate::checkin::{CheckinRules, CheckinState};
use crate::community::{Community, Feature, TimeZone};
use crate::error::ApiError;
use crate::ids::{CommunitySlug, MemberId};
use crate::notify::{NotificationKind, NotificationTarget, Notify};
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;
use crate::webhook::{self, WebhookEvent};

use super::super::{Actor, Change, identity, keys};

/// Storage entries read per list.
const PAGE: usize = 1000;
/// Past days' reminded keys a run deletes beyond the number it writes.
const PRUNE: usize = 1000;

/// Where a capped run stopped: the last opted-in key it was done with, on `day`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCursor {
    pub day: NaiveDate,
    pub after: String,
}

/// `PUT …/checkins/reminder` `{"enabled": bool}`: the body, and the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReminderSetting {
    /// Remind me daily when I have not checked in by the community's reminder hour.
    pub enabled: bool,
}

/// What one run of the reminders did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reminded {
    /// Members reminded in this run.
    pub sent: u32,
    /// When the next run falls due, if anyone opted in; now when the run stopped at its cap.
    pub next_at: Option<Timestamp>,
}

pub mod rkeys {
    use chrono::NaiveDate;

    use crate::ids::MemberId;

    pub const OPTED_IN: &str = "checkin/reminder/";
    pub const REMINDED: &str = "checkin/reminded/";
    pub const RAN: &str = "checkin/reminder-ran";
    pub const CURSOR: &str = "checkin/reminder-cursor";

    pub fn opted_in(member: &MemberId) -> String {
        format!("{OPTED_IN}{member}")
    }

    pub fn reminded_day(day: NaiveDate) -> String {
        format!("{REMINDED}{day}/")
    }

    pub fn reminded(day: NaiveDate, member: &MemberId) -> String {
        format!("{}{member}", reminded_day(day))
    }
}

/// Whether `member` opted in.
pub async fn is_on(store: &impl Store, member: &MemberId) -> Result<bool, ApiError> {
    Ok(get_json::<bool>(store, &rkeys::opted_in(member))
        .await?
        .unwrap_or(false))
}

/// The member opts in or out. Opting in is a write (a banned member may not); opting out
/// is always allowed.
pub async fn set(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    setting: ReminderSetting,
    now: Timestamp,
) -> Result<ReminderSetting, ApiError> {
    let member = if setting.enabled {
        identity::writing_member(store, slug, actor, now).await?
    } else {
        identity::member(store, slug, actor, now).await?
    };
    let mut batch = Batch::new();
    if setting.enabled {
        batch.put_json(rkeys::opted_in(&member.id), &true)?;
        // The run reminds members with a profile only.
        batch.put_json(keys::profile(&member.id), &member)?;
        // Today's run looks again, from the start (the alarm wakes for this write): a
        // member opting in after the hour is reminded today too; those reminded already
        // are skipped.
        batch.delete(rkeys::RAN);
        batch.delete(rkeys::CURSOR);
    } else {
        batch.delete(rkeys::opted_in(&member.id));
    }
    store.commit(batch).await?;
    Ok(setting)
}

/// The instant `hour` o'clock on `day`, community-local (in a gap at a clock change, an
/// hour later).
fn local_instant(tz: TimeZone, day: NaiveDate, hour: u32) -> Option<Timestamp> {
    let zone = tz.tz();
    [0, 1].into_iter().find_map(|extra| {
        let local = day.and_hms_opt(hour, 0, 0)? + Duration::hours(extra);
        zone.from_local_datetime(&local)
            .earliest()
            .map(|t| Timestamp(t.timestamp_millis()))
    })
}

/// Reminds the members now due (opted in, not checked in today, not reminded today), `cap`
/// at most, in one commit; answers when the next run falls due.
pub async fn run_due(
    store: &impl Store,
    community: &Community,
    now: Timestamp,
    cap: u32,
) -> Result<Reminded, ApiError> {
    let idle = Reminded {
        sent: 0,
        next_at: None,
    };
    if !community.features.is_on(Feature::Checkin)
        || store
            .list(rkeys::OPTED_IN, None, 1)
            .await?
            .entries
            .is_empty()
    {
        return Ok(idle);
    }
    let tz = community.time_zone;
    let hour = get_json::<CheckinRules>(store, keys::RULES_CHECKIN)
        .await?
        .unwrap_or_default()
        .reminder_hour
        .get();
    let today = now.local_day(tz)?;
    let tomorrow = today.succ_opt().unwrap_or(today);
    let at = |day: NaiveDate| local_instant(tz, day, hour).map(|at| at.max(now));
    let ran = get_json::<NaiveDate>(store, rkeys::RAN).await?;
    if ran.is_some_and(|d| d >= today) {
        return Ok(Reminded {
            sent: 0,
            next_at: at(tomorrow),
        });
    }
    let hour_now = now
        .utc()
        .map(|t| t.with_timezone(&tz.tz()).hour())
        .unwrap_or(0);
    if hour_now < hour {
        return Ok(Reminded {
            sent: 0,
            next_at: at(today),
        });
    }
    let mut change = Change::new();
    let mut sent = 0u32;
    let mut capped = false;
    let mut after: Option<String> = get_json::<RunCursor>(store, rkeys::CURSOR)
        .await?
        .filter(|cursor| cursor.day == today)
        .map(|cursor| cursor.after);
    'pages: loop {
        let page = store.list(rkeys::OPTED_IN, after.as_deref(), PAGE).await?;
        for (key, _) in &page.entries {
            let due = match key
                .strip_prefix(rkeys::OPTED_IN)
                .and_then(|raw| MemberId::parse(raw).ok())
            {
                Some(member) => due_today(store, &member, today).await?.then_some(member),
                None => None,
            };
            if let Some(member) = due {
                if sent >= cap {
                    capped = true;
                    break 'pages;
                }
                change
                    .batch
                    .put_json(rkeys::reminded(today, &member), &now)?;
                change.notify.push(Notify {
                    recipient: member.clone(),
                    kind: NotificationKind::CheckinReminder,
                    actor: None,
                    target: NotificationTarget::default(),
                });
                change
                    .webhooks
                    .push(WebhookEvent::CheckinReminder(webhook::CheckinReminder {
                        member,
                        day: today,
                    }));
                sent += 1;
            }
            after = Some(key.clone());
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    if capped {
        if let Some(after) = after {
            change
                .batch
                .put_json(rkeys::CURSOR, &RunCursor { day: today, after })?;
        }
    } else {
        change.batch.put_json(rkeys::RAN, &today)?;
        change.batch.delete(rkeys::CURSOR);
    }
    // A past day never runs again: its keys guard nothing.
    let current = rkeys::reminded_day(today);
    let prune = PRUNE + sent as usize;
    for (key, _) in store.list(rkeys::REMINDED, None, prune).await?.entries {
        if key >= current {
            break;
        }
        change.batch.delete(key);
    }
    change.commit(store, tz, now).await?;
    Ok(Reminded {
        sent,
        next_at: if capped { Some(now) } else { at(tomorrow) },
    })
}

/// Whether `member` (opted in) is due a reminder `today`: they have a profile, were not
/// reminded and have not checked in.
async fn due_today(
    store: &impl Store,
    member: &MemberId,
    today: NaiveDate,
) -> Result<bool, ApiError> {
    if store.get(&rkeys::reminded(today, member)).await?.is_some()
        || store.get(&keys::profile(member)).await?.is_none()
    {
        return Ok(false);
    }
    let state = get_json::<CheckinState>(store, &keys::checkin(member))
        .await?
        .unwrap_or_default();
    Ok(!state.is_checked_in(today))
}

#[cfg(test)]
mod tests;
