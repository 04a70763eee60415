//! Folding activity into the stored rollups: in each action's batch ([`record`]), in bulk
//! ([`fold`]), and from scratch ([`recompute`], which must agree with the stored ones).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use crate::checkin::CheckinState;
use crate::error::ApiError;
use crate::ids::MemberId;
use crate::insight::keys;
use crate::insight::rollup::{Cohort, DayRollup, Engagement, ItemKind, PeriodRollup, Trail};
use crate::insight::{Fact, Month, Rollups, Week};
use crate::notify::{ActivityEvent, ActivityKind};
use crate::store::{Batch, Store, StoreError, Write, get_json};
use crate::talk::{Thread, ThreadId};

use super::super::keys as app_keys;

/// Keys read per storage list while scanning.
const SCAN: usize = 1000;

/// Folds one commit's activity (member, kind, subject) on `day` into the rollups, queuing
/// the writes in `batch`. The batch already holds the use case's own writes: a talk
/// action's thread and a check-in's streak are read from there (the store has the state
/// before the action).
pub(crate) async fn record(
    store: &impl Store,
    batch: &mut Batch,
    day: NaiveDate,
    activity: &[(MemberId, ActivityKind, Option<String>)],
) -> Result<(), ApiError> {
    if activity.is_empty() {
        return Ok(());
    }
    let mut facts = Vec::with_capacity(activity.len());
    for (member, kind, subject) in activity {
        let topic = match (kind, subject) {
            (
                ActivityKind::Posted
                | ActivityKind::Replied
                | ActivityKind::Reacted
                | ActivityKind::AnswerAccepted,
                Some(thread),
            ) => thread_topic(store, batch, thread).await?,
            _ => None,
        };
        let streak = match kind {
            ActivityKind::CheckedIn => {
                let key = app_keys::checkin(member);
                latest::<CheckinState>(store, batch, &key)
                    .await?
                    .map(|state| state.current_streak(day))
            }
            _ => None,
        };
        facts.push(Fact {
            member: member.clone(),
            kind: *kind,
            day,
            subject: subject.clone(),
            topic,
            streak,
        });
    }
    fold(store, batch, &facts).await
}

/// The value at `key` as this batch leaves it: its last write, else the store's.
async fn latest<T: DeserializeOwned>(
    store: &impl Store,
    batch: &Batch,
    key: &str,
) -> Result<Option<T>, ApiError> {
    let pending = batch.writes().iter().rev().find_map(|w| match w {
        Write::Put { key: k, value } if k == key => Some(Some(value)),
        Write::Delete { key: k } if k == key => Some(None),
        _ => None,
    });
    match pending {
        Some(Some(text)) => Ok(Some(parse(key, text)?)),
        Some(None) => Ok(None),
        None => Ok(get_json(store, key).await?),
    }
}

async fn thread_topic(
    store: &impl Store,
    batch: &Batch,
    thread: &str,
) -> Result<Option<String>, ApiError> {
    let Ok(id) = ThreadId::parse(thread) else {
        return Ok(None);
    };
    let key = crate::talk::keys::thread(&id);
    Ok(latest::<Thread>(store, batch, &key)
        .await?
        .and_then(|t| t.topic().map(|topic| topic.to_string())))
}

fn parse<T: DeserializeOwned>(key: &str, text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError(format!("corrupt value at {key}: {e}")).into())
}

/// Folds `facts` into the stored rollups, queuing in `batch` a put for every entry that
/// changed (and the quiet index's move for every member whose last day moved).
///
/// The members' trails are read first; applying the facts to them alone names the cells
/// the facts touch (see [`Rollups::apply`]); those are read, the facts applied, and what
/// changed written.
pub async fn fold(store: &impl Store, batch: &mut Batch, facts: &[Fact]) -> Result<(), ApiError> {
    let mut trails = BTreeMap::new();
    let members: BTreeSet<&MemberId> = facts.iter().map(|f| &f.member).collect();
    for member in members {
        if let Some(trail) = get_json::<Trail>(store, &keys::trail(member)).await? {
            trails.insert(member.clone(), trail);
        }
    }
    let mut touched = Rollups {
        trails: trails.clone(),
        ..Rollups::default()
    };
    for fact in facts {
        touched.apply(fact);
    }

    let mut base = Rollups {
        trails,
        ..Rollups::default()
    };
    if touched.members > 0 {
        base.members = get_json::<u32>(store, keys::TOTALS).await?.unwrap_or(0);
    }
    load(store, &mut base.days, touched.days.keys(), |d| {
        keys::day(*d)
    })
    .await?;
    load(store, &mut base.weeks, touched.weeks.keys(), keys::week).await?;
    load(store, &mut base.months, touched.months.keys(), keys::month).await?;
    load(
        store,
        &mut base.cohorts,
        touched.cohorts.keys(),
        keys::cohort,
    )
    .await?;
    load(
        store,
        &mut base.engagement,
        touched.engagement.keys(),
        |(week, kind, id)| keys::engagement(week, *kind, id),
    )
    .await?;

    let before = base.clone();
    for fact in facts {
        base.apply(fact);
    }
    write_changes(batch, &before, &base)
}

async fn load<'k, K: Ord + Clone + 'k, V: DeserializeOwned>(
    store: &impl Store,
    into: &mut BTreeMap<K, V>,
    wanted: impl Iterator<Item = &'k K>,
    key: impl Fn(&K) -> String,
) -> Result<(), ApiError> {
    for k in wanted {
        if let Some(value) = get_json::<V>(store, &key(k)).await? {
            into.insert(k.clone(), value);
        }
    }
    Ok(())
}

fn put_changed<K: Ord, V: PartialEq + serde::Serialize>(
    batch: &mut Batch,
    before: &BTreeMap<K, V>,
    after: &BTreeMap<K, V>,
    key: impl Fn(&K) -> String,
) -> Result<(), ApiError> {
    for (k, v) in after {
        if before.get(k) != Some(v) {
            batch.put_json(key(k), v)?;
        }
    }
    Ok(())
}

fn write_changes(batch: &mut Batch, before: &Rollups, after: &Rollups) -> Result<(), ApiError> {
    if after.members != before.members {
        batch.put_json(keys::TOTALS, &after.members)?;
    }
    for (member, trail) in &after.trails {
        let old = before.trails.get(member);
        if old == Some(trail) {
            continue;
        }
        batch.put_json(keys::trail(member), trail)?;
        match old {
            Some(old) if old.last == trail.last => {}
            Some(old) => {
                batch.delete(keys::quiet(old.last, member));
                batch.put_json(keys::quiet(trail.last, member), &trail.last)?;
            }
            None => {
                batch.put_json(keys::quiet(trail.last, member), &trail.last)?;
            }
        }
    }
    put_changed(batch, &before.days, &after.days, |d| keys::day(*d))?;
    put_changed(batch, &before.weeks, &after.weeks, keys::week)?;
    put_changed(batch, &before.months, &after.months, keys::month)?;
    put_changed(batch, &before.cohorts, &after.cohorts, keys::cohort)?;
    put_changed(
        batch,
        &before.engagement,
        &after.engagement,
        |(w, k, id)| keys::engagement(w, *k, id),
    )?;
    Ok(())
}

/// Every entry under `prefix` in key order, with the key's rest after the prefix.
pub(super) async fn scan<T: DeserializeOwned>(
    store: &impl Store,
    prefix: &str,
    mut each: impl FnMut(&str, T) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let mut start: Option<String> = None;
    loop {
        let page = store.list(prefix, start.as_deref(), SCAN).await?;
        for (key, text) in &page.entries {
            let rest = key.strip_prefix(prefix).unwrap_or(key);
            each(rest, parse(key, text)?)?;
        }
        match page.next {
            Some(next) => start = Some(next),
            None => return Ok(()),
        }
    }
}

pub(super) fn corrupt(key: &str) -> ApiError {
    StoreError(format!("unexpected insight key {key}")).into()
}

/// Every stored rollup (the quiet index aside: see [`quiet_index`]), for comparing with
/// [`recompute`] and for the benchmark.
pub async fn load_all(store: &impl Store) -> Result<Rollups, ApiError> {
    let mut all = Rollups {
        members: get_json::<u32>(store, keys::TOTALS).await?.unwrap_or(0),
        ..Rollups::default()
    };
    scan::<Trail>(store, keys::TRAILS, |rest, trail| {
        let member = MemberId::parse(rest).map_err(|_| corrupt(rest))?;
        all.trails.insert(member, trail);
        Ok(())
    })
    .await?;
    scan::<DayRollup>(store, keys::DAYS, |rest, day| {
        let date = rest.parse::<NaiveDate>().map_err(|_| corrupt(rest))?;
        all.days.insert(date, day);
        Ok(())
    })
    .await?;
    scan::<PeriodRollup>(store, keys::WEEKS, |rest, v| {
        all.weeks
            .insert(Week::parse(rest).map_err(|_| corrupt(rest))?, v);
        Ok(())
    })
    .await?;
    scan::<PeriodRollup>(store, keys::MONTHS, |rest, v| {
        all.months
            .insert(Month::parse(rest).map_err(|_| corrupt(rest))?, v);
        Ok(())
    })
    .await?;
    scan::<Cohort>(store, keys::COHORTS, |rest, v| {
        all.cohorts
            .insert(Week::parse(rest).map_err(|_| corrupt(rest))?, v);
        Ok(())
    })
    .await?;
    scan::<Engagement>(store, keys::ENGAGEMENT, |rest, v| {
        let mut parts = rest.splitn(3, '/');
        let (Some(week), Some(kind), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(corrupt(rest));
        };
        let kind = match kind {
            "thread" => ItemKind::Thread,
            "topic" => ItemKind::Topic,
            "event" => ItemKind::Event,
            _ => return Err(corrupt(rest)),
        };
        let week = Week::parse(week).map_err(|_| corrupt(rest))?;
        all.engagement.insert((week, kind, id.to_owned()), v);
        Ok(())
    })
    .await?;
    Ok(all)
}

/// The quiet index as stored: each member's last active day.
pub async fn quiet_index(store: &impl Store) -> Result<BTreeMap<MemberId, NaiveDate>, ApiError> {
    let mut index = BTreeMap::new();
    scan::<NaiveDate>(store, keys::QUIET, |rest, day| {
        let (_, member) = rest.split_once('/').ok_or_else(|| corrupt(rest))?;
        let member = MemberId::parse(member).map_err(|_| corrupt(rest))?;
        if index.insert(member, day).is_some() {
            return Err(corrupt(rest));
        }
        Ok(())
    })
    .await?;
    Ok(index)
}

/// The rollups recomputed from the raw activity log (`activity/…`), in log order. The
/// thread's topic comes from the thread as stored now; a check-in's streak is the run of
/// consecutive check-in days in the log (equal to the stored streak unless make-up cards
/// filled a gap).
pub async fn recompute(store: &impl Store) -> Result<Rollups, ApiError> {
    let mut events: Vec<ActivityEvent> = Vec::new();
    scan::<ActivityEvent>(store, "activity/", |_, event| {
        events.push(event);
        Ok(())
    })
    .await?;
    let mut rollups = Rollups::default();
    let mut runs: BTreeMap<MemberId, (NaiveDate, u32)> = BTreeMap::new();
    let mut topics: BTreeMap<String, Option<String>> = BTreeMap::new();
    for event in events {
        let streak = if event.kind == ActivityKind::CheckedIn {
            let run = match runs.get(&event.member) {
                Some((last, n)) if last.succ_opt() == Some(event.day) => n + 1,
                Some((last, n)) if *last == event.day => *n,
                _ => 1,
            };
            runs.insert(event.member.clone(), (event.day, run));
            Some(run)
        } else {
            None
        };
        let topic = match (event.kind, &event.subject) {
            (
                ActivityKind::Posted
                | ActivityKind::Replied
                | ActivityKind::Reacted
                | ActivityKind::AnswerAccepted,
                Some(thread),
            ) => match topics.get(thread) {
                Some(topic) => topic.clone(),
                None => {
                    let topic = thread_topic(store, &Batch::new(), thread).await?;
                    topics.insert(thread.clone(), topic.clone());
                    topic
                }
            },
            _ => None,
        };
        rollups.apply(&Fact {
            member: event.member,
            kind: event.kind,
            day: event.day,
            subject: event.subject,
            topic,
            streak,
        });
    }
    Ok(rollups)
}
