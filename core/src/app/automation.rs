//! Automations ([`crate::automation`] holds the model): saving them, a dry run, the run
//! log, and firing.
//!
//! Firing is exactly once per automation, member and occurrence: the key
//! `automation/fired/{id}/{occurrence}/{member}` is written in the batch of the action, and a
//! firing whose key exists (stored, or queued earlier in the same batch) does nothing.
//!
//! * Triggers members set off (joined, attended an event, reached a level, earned a badge)
//!   fire from [`Change::commit`] through [`on_commit`]: it reads the commit's activity and
//!   webhook events, and queues the actions in the same batch, so the action lands with the
//!   change that caused it or not at all. An action's own level-ups and badges may fire
//!   other automations, up to [`ROUNDS`] deep.
//! * Time triggers (inactive for N days, daily) run from [`AutomationCommand::RunDue`] (the
//!   object's alarm, as the operator): each enabled automation once per community-local day,
//!   from its hour on.
//!
//! Actions reuse the paths of the areas they touch: points through `points::earn` (cause
//! `auto:{id}:{occurrence}`), badges through `MemberBadges::grant` with the same
//! notification and webhook event as a staff grant, staff tags with their audit entry,
//! notifications through the commit's inbox writes, webhook events through the outbox.
//!
//! Everything here is for the community's owners and admins (and the operator).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, TimeZone as _, Timelike};
use serde::{Deserialize, Serialize};

use crate::accounts::Role;
use crate::automation::{
    Automation, AutomationAction, AutomationDraft, AutomationId, Happening, RunEntry, RunLog,
    Trigger, day_occurrence, keys as akeys, quiet_occurrence,
};
use crate::community::TimeZone;
use crate::error::{ApiError, ErrorCode};
use crate::events::EventId;
use crate::ids::{CommunitySlug, MemberId};
use crate::insight::keys as ikeys;
use crate::insight::rollup::Trail;
use crate::insight::segment::{Facts, Filter};
use crate::moderation::{self, ActorRef, AuditAction, AuditEntry, AuditTarget, ModReason};
use crate::notify::{ActivityKind, NotificationKind, NotificationTarget, Notify};
use crate::points::{AdjustmentNote, Award, CauseKey, Points, StaffName};
use crate::recognition::{GrantBadgeError, MemberBadges, RecognitionRules};
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;
use crate::webhook::{self, WebhookEvent};

use super::events::event_keys;
use super::insight::{Judge, trail_entry};
use super::members::{MAX_STAFF_TAGS, StaffTags, mkeys};
use super::points::{earn, rkeys};
use super::protection::Staged;
use super::{Actor, Change, Outcome, Reply, identity, keys, load_community, membership};

/// How deep automations may set each other off within one commit.
pub const ROUNDS: usize = 4;
/// Members a dry run names unless asked otherwise, and at most.
pub const SAMPLE: u32 = 20;
pub const MAX_SAMPLE: u32 = 200;
/// Storage entries read per list while scanning members.
const PAGE: usize = 1000;
/// Past days' fired keys a daily run deletes beyond the number it writes.
const PRUNE: usize = 1000;
/// Firings one run of the time triggers does at most, so that one alarm's work stays
/// bounded. A run that stops there answers `next_at` now and the next wake carries on; the
/// fired keys see to it that nobody is reached twice.
pub const RUN_CAP: u32 = 500;

/// The commands of this area (see [`super::Command::Automation`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AutomationCommand {
    /// `GET …/automations`.
    List,
    /// `GET …/automations/{id}`.
    Get { id: AutomationId },
    /// `POST …/automations` (the worker drew the id).
    Create {
        id: AutomationId,
        draft: AutomationDraft,
    },
    /// `PUT …/automations/{id}`: everything but the id, author and creation time.
    Update {
        id: AutomationId,
        draft: AutomationDraft,
    },
    /// Switch on or off.
    SetEnabled { id: AutomationId, enabled: bool },
    /// `DELETE …/automations/{id}`.
    Delete { id: AutomationId },
    /// `POST …/automations/{id}/dry-run?limit=`: who it would reach, without doing anything.
    DryRun {
        id: AutomationId,
        #[serde(default)]
        limit: Option<u32>,
    },
    /// `GET …/automations/{id}/runs`: the run log.
    Runs { id: AutomationId },
    /// The alarm (operator): runs the time triggers now due; answers when the next is.
    RunDue,
}

/// `GET …/automations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomationList {
    pub items: Vec<Automation>,
}

/// `POST …/automations/{id}/dry-run`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DryRun {
    pub id: AutomationId,
    /// For a time trigger: the members a run now would reach (in the segment, meeting the
    /// trigger, not reached for this occurrence yet). For a trigger members set off: the
    /// members in the segment, whom it reaches when the trigger happens to them.
    pub count: u32,
    /// The first of them, in id order.
    pub members: Vec<MemberId>,
    /// Whether members' actions set it off (else: time).
    pub on_event: bool,
}

/// `DELETE …/automations/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomationDeleted {
    pub id: AutomationId,
}

/// What a run of the due time triggers did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RanDue {
    /// Firings (members reached) in this run.
    pub fired: u32,
    /// When the next time trigger falls due, if any is on; now when the run stopped at
    /// [`RUN_CAP`] with members left to reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_at: Option<Timestamp>,
}

/// The replies of this area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum AutomationReply {
    List(AutomationList),
    Automation(Automation),
    Deleted(AutomationDeleted),
    DryRun(DryRun),
    Runs(RunLog),
    Ran(RanDue),
}

impl AutomationReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::List(v) => serde_json::to_value(v),
            Self::Automation(v) => serde_json::to_value(v),
            Self::Deleted(v) => serde_json::to_value(v),
            Self::DryRun(v) => serde_json::to_value(v),
            Self::Runs(v) => serde_json::to_value(v),
            Self::Ran(v) => serde_json::to_value(v),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

fn not_found(id: &AutomationId) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("there is no automation `{id}`"),
    )
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: AutomationCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    if matches!(command, AutomationCommand::RunDue) {
        if *actor != Actor::Operator {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "only the scheduler runs automations",
            ));
        }
    } else if *actor == Actor::Anonymous {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "sign in to the dashboard to manage automations",
        ));
    } else {
        identity::require_settings_access(store, slug, actor)
            .await
            .map_err(|e| match e.code {
                ErrorCode::Forbidden => ApiError::new(
                    ErrorCode::Forbidden,
                    "only the community's owner and admins manage automations",
                ),
                _ => e,
            })?;
    }
    let community = load_community(store, slug).await?;
    let tz = community.time_zone;
    let today = now.local_day(tz)?;
    let reply = match command {
        AutomationCommand::List => AutomationReply::List(AutomationList {
            items: load_all(store).await?,
        }),
        AutomationCommand::Get { id } => AutomationReply::Automation(load(store, &id).await?),
        AutomationCommand::Create { id, draft } => {
            draft.validate()?;
            if store.get(&akeys::def(&id)).await?.is_some() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!("automation `{id}` exists already"),
                ));
            }
            if load_all(store).await?.len() >= Automation::MAX {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!(
                        "a community keeps at most {} automations; delete one first",
                        Automation::MAX
                    ),
                ));
            }
            let ActorRef::Staff { email } =
                membership::moderator(store, slug, actor, now).await?.who
            else {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "only staff create automations",
                ));
            };
            let automation = Automation {
                id,
                name: draft.name,
                trigger: draft.trigger,
                segment: draft.segment,
                action: draft.action,
                enabled: draft.enabled,
                created_by: email,
                created_at: now,
                updated_at: now,
            };
            save(store, &automation).await?;
            AutomationReply::Automation(automation)
        }
        AutomationCommand::Update { id, draft } => {
            draft.validate()?;
            let before = load(store, &id).await?;
            let automation = Automation {
                name: draft.name,
                trigger: draft.trigger,
                segment: draft.segment,
                action: draft.action,
                enabled: draft.enabled,
                updated_at: now,
                ..before
            };
            save(store, &automation).await?;
            AutomationReply::Automation(automation)
        }
        AutomationCommand::SetEnabled { id, enabled } => {
            let before = load(store, &id).await?;
            let automation = Automation {
                enabled,
                updated_at: now,
                ..before
            };
            save(store, &automation).await?;
            AutomationReply::Automation(automation)
        }
        AutomationCommand::Delete { id } => {
            load(store, &id).await?;
            let mut batch = Batch::new();
            batch.delete(akeys::def(&id));
            batch.delete(akeys::log(&id));
            batch.delete(akeys::ran(&id));
            batch.delete(akeys::cursor(&id));
            store.commit(batch).await?;
            AutomationReply::Deleted(AutomationDeleted { id })
        }
        AutomationCommand::DryRun { id, limit } => {
            let limit = match limit.unwrap_or(SAMPLE) {
                n @ 1..=MAX_SAMPLE => n as usize,
                _ => {
                    return Err(ApiError::invalid(format!(
                        "`limit` must be between 1 and {MAX_SAMPLE}"
                    )));
                }
            };
            let automation = load(store, &id).await?;
            AutomationReply::DryRun(dry_run(store, &automation, today, limit).await?)
        }
        AutomationCommand::Runs { id } => {
            load(store, &id).await?;
            AutomationReply::Runs(
                get_json::<RunLog>(store, &akeys::log(&id))
                    .await?
                    .unwrap_or_default(),
            )
        }
        AutomationCommand::RunDue => {
            // The daily check-in reminders ride on this run (`habit::reminder`); each runs
            // even when the other fails, and a failure is still reported.
            let ran = run_due(store, tz, now, RUN_CAP).await;
            let reminded = super::habit::reminder::run_due(store, &community, now, RUN_CAP).await;
            let (ran, reminded) = (ran?, reminded?);
            AutomationReply::Ran(RanDue {
                next_at: [ran.next_at, reminded.next_at].into_iter().flatten().min(),
                ..ran
            })
        }
    };
    Ok(Outcome::read(Reply::Automation(reply)))
}

async fn load(store: &impl Store, id: &AutomationId) -> Result<Automation, ApiError> {
    get_json::<Automation>(store, &akeys::def(id))
        .await?
        .ok_or_else(|| not_found(id))
}

/// Every automation, in id order (one list: a community keeps at most [`Automation::MAX`]).
pub async fn load_all(store: &impl Store) -> Result<Vec<Automation>, ApiError> {
    let page = store.list(akeys::DEFS, None, Automation::MAX + 1).await?;
    page.entries
        .iter()
        .map(|(key, text)| {
            serde_json::from_str::<Automation>(text).map_err(|e| {
                ApiError::from(crate::store::StoreError(format!(
                    "corrupt value at {key}: {e}"
                )))
            })
        })
        .collect()
}

async fn save(store: &impl Store, automation: &Automation) -> Result<(), ApiError> {
    let mut batch = Batch::new();
    batch.put_json(akeys::def(&automation.id), automation)?;
    // A changed trigger or segment reaches others: a run cut short today starts over (the
    // fired keys keep anyone from being reached twice).
    batch.delete(akeys::cursor(&automation.id));
    store.commit(batch).await?;
    Ok(())
}

// ---- who it reaches ----

/// Whether `member` is in the automation's segment today (everyone is without one; a
/// member insight has never seen is in none).
async fn in_segment(
    store: &impl Store,
    automation: &Automation,
    member: &MemberId,
    today: NaiveDate,
) -> Result<bool, ApiError> {
    let Some(filter) = &automation.segment else {
        return Ok(true);
    };
    let Some(trail) = get_json::<Trail>(store, &ikeys::trail(member)).await? else {
        return Ok(false);
    };
    Judge::new(store, filter, today)
        .await?
        .matches(store, member, &trail)
        .await
}

/// The occurrence a time trigger is at for a member with `trail` today, if it holds.
fn time_occurrence(trigger: &Trigger, trail: &Trail, today: NaiveDate) -> Option<String> {
    match trigger {
        Trigger::Daily { .. } => Some(day_occurrence(today)),
        Trigger::Inactive { days, .. } => Filter::QuietDays(*days)
            .eval(&Facts::trail(today, trail))
            .unwrap_or(false)
            .then(|| quiet_occurrence(trail.last)),
        _ => None,
    }
}

/// Visits every member the automation would reach now, in id order: `(member,
/// occurrence)`; the occurrence is `None` for a trigger members set off (then: everyone in
/// the segment).
/// Where a scan of the members stopped because `visit` said so: after this trail key (none:
/// where it started), so that the next run carries on there instead of reading everyone again.
struct Stopped(Option<String>);

/// Where a run cut short by its cap stopped: the last storage key it was done with, on
/// `day` (a later day starts afresh).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCursor {
    pub day: NaiveDate,
    pub after: String,
}

/// Visits the members `automation` reaches today, in id order after `start` (a trail key),
/// until `visit` answers `false`; then says where it stopped.
async fn reach(
    store: &impl Store,
    automation: &Automation,
    today: NaiveDate,
    start: Option<String>,
    mut visit: impl FnMut(MemberId, Option<String>) -> bool,
) -> Result<Option<Stopped>, ApiError> {
    let judge = match &automation.segment {
        Some(filter) => Some(Judge::new(store, filter, today).await?),
        None => None,
    };
    let timed = automation.trigger.hour().is_some();
    let mut after = start;
    let mut done: Option<String> = None;
    loop {
        let page = store.list(ikeys::TRAILS, after.as_deref(), PAGE).await?;
        for (key, text) in &page.entries {
            let (member, trail) = trail_entry(key, text)?;
            let occurrence = if timed {
                time_occurrence(&automation.trigger, &trail, today)
            } else {
                None
            };
            let wanted = (!timed || occurrence.is_some())
                && match &judge {
                    Some(judge) => judge.matches(store, &member, &trail).await?,
                    None => true,
                };
            let fired = match (&occurrence, wanted) {
                (Some(occurrence), true) => {
                    let fired = akeys::fired(&automation.id, &member, occurrence);
                    store.get(&fired).await?.is_some()
                }
                _ => false,
            };
            if wanted && !fired && !visit(member, occurrence) {
                return Ok(Some(Stopped(done.or(after))));
            }
            done = Some(key.clone());
        }
        match page.next {
            Some(next) => {
                done = Some(next.clone());
                after = Some(next);
            }
            None => return Ok(None),
        }
    }
}

async fn dry_run(
    store: &impl Store,
    automation: &Automation,
    today: NaiveDate,
    limit: usize,
) -> Result<DryRun, ApiError> {
    let mut count: u32 = 0;
    let mut members = Vec::new();
    reach(store, automation, today, None, |member, _| {
        count = count.saturating_add(1);
        if members.len() < limit {
            members.push(member);
        }
        true
    })
    .await?;
    Ok(DryRun {
        id: automation.id.clone(),
        count,
        members,
        on_event: automation.trigger.hour().is_none(),
    })
}

// ---- firing ----

/// What firings add besides writes, and the run logs they touched.
#[derive(Default)]
struct Effects {
    notify: Vec<Notify>,
    webhooks: Vec<WebhookEvent>,
    logs: BTreeMap<AutomationId, RunLog>,
    fired: u32,
}

impl Effects {
    async fn log(
        &mut self,
        store: &impl Store,
        id: &AutomationId,
        entry: RunEntry,
    ) -> Result<(), ApiError> {
        if !self.logs.contains_key(id) {
            let log = get_json::<RunLog>(store, &akeys::log(id))
                .await?
                .unwrap_or_default();
            self.logs.insert(id.clone(), log);
        }
        if let Some(log) = self.logs.get_mut(id) {
            log.push(entry);
        }
        Ok(())
    }

    /// Queues the run logs and hands the notifications and events to `change`, whose batch
    /// becomes `batch`.
    fn finish(self, change: &mut Change, mut batch: Batch) -> Result<(), ApiError> {
        for (id, log) in &self.logs {
            batch.put_json(akeys::log(id), log)?;
        }
        change.batch = batch;
        change.notify.extend(self.notify);
        change.webhooks.extend(self.webhooks);
        Ok(())
    }
}

/// Fires `automation` for `member` on `occurrence` unless it fired for it before: the
/// action's writes, its fired key and a run log entry, all staged in `staged`.
async fn fire<S: Store>(
    staged: &Staged<'_, S>,
    effects: &mut Effects,
    automation: &Automation,
    member: &MemberId,
    occurrence: String,
    tz: TimeZone,
    now: Timestamp,
) -> Result<(), ApiError> {
    let key = akeys::fired(&automation.id, member, &occurrence);
    if staged.get(&key).await?.is_some() {
        return Ok(());
    }
    let mut sub = Change::new();
    let skipped = act(staged, &mut sub, automation, member, &occurrence, tz, now).await?;
    sub.batch.put_json(key, &now)?;
    staged.commit(sub.batch).await?;
    effects.notify.extend(sub.notify);
    effects.webhooks.extend(sub.webhooks);
    effects.fired = effects.fired.saturating_add(1);
    let entry = RunEntry {
        at: now,
        member: member.clone(),
        occurrence,
        done: skipped.is_none(),
        note: skipped,
    };
    effects.log(staged, &automation.id, entry).await
}

fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{what}: {e}"))
}

/// Does the automation's action for `member` into `sub`; `Some(why)` when there was nothing
/// to do.
async fn act(
    store: &impl Store,
    sub: &mut Change,
    automation: &Automation,
    member: &MemberId,
    occurrence: &str,
    tz: TimeZone,
    now: Timestamp,
) -> Result<Option<String>, ApiError> {
    let by = || StaffName::parse("Automation").map_err(|e| internal("a staff name", e));
    match &automation.action {
        AutomationAction::Notify { message } => {
            sub.notify.push(Notify {
                recipient: member.clone(),
                kind: NotificationKind::Message,
                actor: None,
                target: NotificationTarget {
                    message: Some(message.as_str().to_owned()),
                    ..NotificationTarget::default()
                },
            });
            Ok(None)
        }
        AutomationAction::GrantPoints { points } => {
            let cause = CauseKey::new("auto", &format!("{}:{occurrence}", automation.id))
                .map_err(|e| internal("a cause key", e))?;
            let points = Points::new(points.get()).map_err(|e| internal("points", e))?;
            let note = AdjustmentNote::parse(automation.name.as_str())
                .map_err(|e| internal("a note", e))?;
            let award = Award::automation(cause, points, note, by()?);
            let earning = earn::earn(store, sub, member, vec![award], &[], tz, now).await?;
            Ok(earning
                .awarded
                .is_empty()
                .then(|| "these points were given before".to_owned()))
        }
        AutomationAction::GrantBadge { badge } => {
            let rules = get_json::<RecognitionRules>(store, rkeys::RULES_RECOGNITION)
                .await?
                .unwrap_or_default();
            let mut held = get_json::<MemberBadges>(store, &rkeys::badges(member))
                .await?
                .unwrap_or_default();
            match held.grant(&rules.badges, badge, by()?, now) {
                Ok(_) => {
                    sub.batch.put_json(rkeys::badges(member), &held)?;
                    sub.notify
                        .push(earn::badge_notification(member, badge.as_str()));
                    sub.webhooks.push(earn::badge_event(member, badge, true));
                    Ok(None)
                }
                Err(GrantBadgeError::AlreadyHeld(_)) => {
                    Ok(Some(format!("already holds the badge `{badge}`")))
                }
                Err(GrantBadgeError::UnknownBadge(_)) => {
                    Ok(Some(format!("the catalogue has no badge `{badge}`")))
                }
            }
        }
        AutomationAction::AddTag { tag } => {
            let mut tags = get_json::<StaffTags>(store, &mkeys::staff_tags(member))
                .await?
                .unwrap_or_default();
            if tags.tags.contains(tag) {
                return Ok(Some(format!("already tagged `{tag}`")));
            }
            if tags.tags.len() >= MAX_STAFF_TAGS {
                return Ok(Some(format!("already carries {MAX_STAFF_TAGS} staff tags")));
            }
            tags.tags.push(tag.clone());
            tags.tags.sort();
            sub.batch.put_json(mkeys::staff_tags(member), &tags)?;
            let role = get_json::<Role>(store, &keys::staff(&automation.created_by))
                .await?
                .unwrap_or(Role::Admin);
            let who = moderation::Actor::staff(automation.created_by.clone(), role);
            let entry = AuditEntry {
                at: now,
                actor: who.who,
                role: who.role,
                action: AuditAction::TagMember { tag: tag.clone() },
                target: AuditTarget::Member {
                    member: member.clone(),
                },
                reason: ModReason::default(),
            };
            membership::append_audit(store, &mut sub.batch, &entry).await?;
            Ok(None)
        }
        AutomationAction::InviteToEvent { event, message } => {
            if store.get(&event_keys::event(event)).await?.is_none() {
                return Ok(Some(format!("there is no event `{event}` any more")));
            }
            sub.notify.push(Notify {
                recipient: member.clone(),
                kind: NotificationKind::EventInvite,
                actor: None,
                target: NotificationTarget {
                    event: Some(event.to_string()),
                    message: message.as_ref().map(|m| m.as_str().to_owned()),
                    ..NotificationTarget::default()
                },
            });
            Ok(None)
        }
        AutomationAction::Webhook {} => {
            sub.webhooks
                .push(WebhookEvent::AutomationFired(webhook::AutomationFired {
                    automation: automation.id.clone(),
                    name: automation.name.as_str().to_owned(),
                    member: member.clone(),
                    occurrence: occurrence.to_owned(),
                }));
            Ok(None)
        }
    }
}

/// What members set off in a commit: joins and attendance from its activity, level-ups
/// and badges from its webhook events.
fn happenings(
    activity: &[(MemberId, ActivityKind, Option<String>)],
    events: &[WebhookEvent],
) -> Vec<(MemberId, Happening)> {
    let mut found = Vec::new();
    for (member, kind, subject) in activity {
        match (kind, subject) {
            (ActivityKind::Joined, _) => found.push((member.clone(), Happening::Joined)),
            (ActivityKind::Attended, Some(event)) if EventId::parse(event).is_ok() => {
                found.push((member.clone(), Happening::Attended(event.clone())));
            }
            _ => {}
        }
    }
    for event in events {
        match event {
            WebhookEvent::MemberLevelUp(up) => found.push((
                up.member.clone(),
                Happening::LevelUp {
                    from: up.from,
                    to: up.to,
                },
            )),
            WebhookEvent::BadgeEarned(earned) => {
                found.push((
                    earned.member.clone(),
                    Happening::Badge(earned.badge.clone()),
                ));
            }
            _ => {}
        }
    }
    found
}

/// Fires the enabled automations that what `change` reports sets off, queuing their
/// actions into `change` (called by [`Change::commit`] after insight's rollups are queued,
/// so the segments see this change's own activity). Reads nothing when the change reports
/// nothing a trigger waits for.
pub(crate) async fn on_commit(
    store: &impl Store,
    change: &mut Change,
    tz: TimeZone,
    today: NaiveDate,
    now: Timestamp,
) -> Result<(), ApiError> {
    let mut found = happenings(&change.activity, &change.webhooks);
    if found.is_empty() {
        return Ok(());
    }
    let automations: Vec<Automation> = load_all(store)
        .await?
        .into_iter()
        .filter(|a| a.enabled && a.trigger.hour().is_none())
        .collect();
    if automations.is_empty() {
        return Ok(());
    }
    let staged = Staged::new(store);
    staged.commit(std::mem::take(&mut change.batch)).await?;
    let mut effects = Effects::default();
    for _ in 0..ROUNDS {
        let from = effects.webhooks.len();
        for (member, happening) in &found {
            for automation in &automations {
                let Some(occurrence) = automation.trigger.occurrence(happening) else {
                    continue;
                };
                if in_segment(&staged, automation, member, today).await? {
                    fire(
                        &staged,
                        &mut effects,
                        automation,
                        member,
                        occurrence,
                        tz,
                        now,
                    )
                    .await?;
                }
            }
        }
        found = happenings(&[], &effects.webhooks[from..]);
        if found.is_empty() {
            break;
        }
    }
    effects.finish(change, staged.into_batch())
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

/// When the enabled time triggers next fall due, after a run at `now`.
async fn next_due(
    store: &impl Store,
    automations: &[Automation],
    tz: TimeZone,
    now: Timestamp,
) -> Result<Option<Timestamp>, ApiError> {
    let today = now.local_day(tz)?;
    let mut next: Option<Timestamp> = None;
    for automation in automations.iter().filter(|a| a.enabled) {
        let Some(hour) = automation.trigger.hour() else {
            continue;
        };
        let ran = get_json::<NaiveDate>(store, &akeys::ran(&automation.id)).await?;
        let day = if ran.is_some_and(|d| d >= today) {
            today.succ_opt().unwrap_or(today)
        } else {
            today
        };
        let at = local_instant(tz, day, hour.get()).map(|at| at.max(now));
        next = match (next, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(next)
}

/// Deletes up to `limit` fired keys of a daily trigger's days before `today`: a past day
/// never runs again, so its keys guard nothing.
async fn prune_past_days(
    store: &impl Store,
    batch: &mut Batch,
    id: &AutomationId,
    today: NaiveDate,
    limit: usize,
) -> Result<(), ApiError> {
    let days = akeys::fired_occurrences(id, "day-");
    let current = akeys::fired_occurrences(id, &day_occurrence(today));
    let page = store.list(&days, None, limit).await?;
    for (key, _) in page.entries {
        if key >= current {
            break;
        }
        batch.delete(key);
    }
    Ok(())
}

/// Runs every enabled time trigger due at `now` (not run today, its hour reached), each
/// member reached once per occurrence, `cap` firings at most; one commit. An automation
/// cut short by the cap is not marked as run today: the next run carries on with it.
async fn run_due(
    store: &impl Store,
    tz: TimeZone,
    now: Timestamp,
    cap: u32,
) -> Result<RanDue, ApiError> {
    let today = now.local_day(tz)?;
    let hour_now = now
        .utc()
        .map(|t| t.with_timezone(&tz.tz()).hour())
        .unwrap_or(0);
    let automations = load_all(store).await?;
    let staged = Staged::new(store);
    let mut effects = Effects::default();
    let mut ran_any = false;
    let mut room = cap as usize;
    let mut more = false;
    for automation in automations.iter().filter(|a| a.enabled) {
        let Some(hour) = automation.trigger.hour() else {
            continue;
        };
        let ran = get_json::<NaiveDate>(store, &akeys::ran(&automation.id)).await?;
        if ran.is_some_and(|d| d >= today) || hour_now < hour.get() {
            continue;
        }
        if room == 0 {
            more = true;
            break;
        }
        let mut due = Vec::new();
        // A run of this trigger cut short earlier today carries on where it stopped.
        let cursor_key = akeys::cursor(&automation.id);
        let start = get_json::<RunCursor>(store, &cursor_key)
            .await?
            .filter(|cursor| cursor.day == today)
            .map(|cursor| cursor.after);
        let stopped = reach(&staged, automation, today, start, |member, occurrence| {
            if let Some(occurrence) = occurrence {
                if due.len() == room {
                    return false;
                }
                due.push((member, occurrence));
            }
            true
        })
        .await?;
        let capped = stopped.is_some();
        room -= due.len();
        ran_any = ran_any || !due.is_empty();
        // Every run of a daily trigger, cut short or not, deletes more past days' keys than
        // it writes, so they never pile up however large the segment.
        let prune = PRUNE + due.len();
        for (member, occurrence) in due {
            fire(
                &staged,
                &mut effects,
                automation,
                &member,
                occurrence,
                tz,
                now,
            )
            .await?;
        }
        let mut batch = Batch::new();
        if matches!(automation.trigger, Trigger::Daily { .. }) {
            prune_past_days(store, &mut batch, &automation.id, today, prune).await?;
        }
        if let Some(Stopped(Some(after))) = stopped {
            batch.put_json(&cursor_key, &RunCursor { day: today, after })?;
        }
        if capped {
            staged.commit(batch).await?;
            more = true;
            break;
        }
        batch.delete(cursor_key);
        batch.put_json(akeys::ran(&automation.id), &today)?;
        staged.commit(batch).await?;
        ran_any = true;
    }
    let fired = effects.fired;
    if ran_any {
        let mut change = Change::new();
        effects.finish(&mut change, staged.into_batch())?;
        change.commit(store, tz, now).await?;
    }
    let next_at = if more {
        Some(now)
    } else {
        next_due(store, &automations, tz, now).await?
    };
    Ok(RanDue { fired, next_at })
}

#[cfg(test)]
mod tests;
