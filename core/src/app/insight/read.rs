//! The dashboard's reads over the stored rollups (their costs: [`crate::insight`]).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::error::ApiError;
use crate::events::{Event, EventId};
use crate::ids::MemberId;
use crate::insight::Week;
use crate::insight::keys;
use crate::insight::rollup::{Cohort, DayRollup, Engagement, ItemKind, PeriodRollup, at_risk};
use crate::insight::tiers::{self, Tiers};
use crate::recognition::{BoardEntry, PeriodKey};
use crate::sso::MemberProfile;
use crate::store::{Store, get_json};
use crate::talk::{Cursor, Thread, ThreadId, Topic, TopicId};

use super::super::events::event_keys;
use super::super::keys as app_keys;
use super::super::points::board_index;
use super::record::{corrupt, scan};
use super::{
    Churn, ChurnDay, CohortRow, Overview, OverviewDay, PeriodActive, QuietMember, QuietMembers,
    Retention, StreakCounts, StreakDay, Streaks, TopItem, TopItems, months,
};

/// The day rollups of `from..=to` (the days nothing happened are absent).
async fn day_rollups(
    store: &impl Store,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, DayRollup>, ApiError> {
    let mut after = from.and_then(|d| d.pred_opt()).map(keys::day);
    let mut days = BTreeMap::new();
    loop {
        let page = store.list(keys::DAYS, after.as_deref(), 200).await?;
        let mut past_end = false;
        for (key, text) in &page.entries {
            let rest = key.strip_prefix(keys::DAYS).unwrap_or(key);
            let day = rest.parse::<NaiveDate>().map_err(|_| corrupt(rest))?;
            if day > to {
                past_end = true;
                break;
            }
            let rollup: DayRollup = serde_json::from_str(text)
                .map_err(|e| crate::store::StoreError(format!("corrupt value at {key}: {e}")))?;
            days.insert(day, rollup);
        }
        match page.next {
            Some(next) if !past_end => after = Some(next),
            _ => return Ok(days),
        }
    }
}

pub async fn overview(
    store: &impl Store,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Overview, ApiError> {
    let rollups = day_rollups(store, Some(from), to).await?;
    let days = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|day| {
            let r = rollups.get(&day).cloned().unwrap_or_default();
            OverviewDay {
                day,
                active: r.active,
                new_members: r.counts.joined,
                checkins: r.counts.checked_in,
                posts: r.counts.posted,
                replies: r.counts.replied,
                reactions: r.counts.reacted,
                signups: r.counts.signed_up,
                attended: r.counts.attended,
            }
        })
        .collect();
    let mut weeks = Vec::new();
    let mut week = Week::of(from);
    while week.monday() <= to {
        let active = get_json::<PeriodRollup>(store, &keys::week(&week))
            .await?
            .unwrap_or_default()
            .active;
        weeks.push(PeriodActive {
            period: week.to_string(),
            active,
        });
        week = week.plus(1);
    }
    let mut month_rows = Vec::new();
    for month in months(from, to) {
        let active = get_json::<PeriodRollup>(store, &keys::month(&month))
            .await?
            .unwrap_or_default()
            .active;
        month_rows.push(PeriodActive {
            period: month.to_string(),
            active,
        });
    }
    Ok(Overview {
        from,
        to,
        days,
        weeks,
        months: month_rows,
    })
}

pub async fn retention(
    store: &impl Store,
    from: &Week,
    to: &Week,
    today: NaiveDate,
) -> Result<Retention, ApiError> {
    let this_week = Week::of(today);
    let mut cohorts = Vec::new();
    let mut week = from.clone();
    while week <= *to {
        let cohort = get_json::<Cohort>(store, &keys::cohort(&week))
            .await?
            .unwrap_or_default();
        let past = week.weeks_until(&this_week);
        cohorts.push(CohortRow {
            week: week.clone(),
            joined: cohort.joined,
            week2: cohort.week2,
            month1: cohort.month1,
            week2_final: past > 2,
            month1_final: past > 4,
        });
        week = week.plus(1);
    }
    Ok(Retention { cohorts })
}

/// The contribution tiers from the top 10 % of the all-time board's points-ordered index and
/// its totals (see [`tiers::tiers_from_top`]); before that index is complete, from every entry.
pub async fn tiers(store: &impl Store) -> Result<Tiers, ApiError> {
    let members = get_json::<u32>(store, keys::TOTALS).await?.unwrap_or(0);
    let all = PeriodKey::all_time();
    let Some(totals) = board_index::totals(store, &all).await? else {
        return scanned_tiers(store, members).await;
    };
    let with_points = u32::try_from(totals.members).unwrap_or(u32::MAX);
    let top: Vec<(MemberId, u64)> =
        board_index::down_to_rank(store, &all, tiers::top_rank(members, with_points))
            .await?
            .into_iter()
            .map(|e| (e.member, e.points))
            .collect();
    let lowest = if tiers::needs_lowest(members, with_points, top.len()) {
        board_index::lowest(store, &all).await?
    } else {
        None
    };
    Ok(tiers::tiers_from_top(
        members,
        with_points,
        totals.points,
        top,
        lowest,
    ))
}

/// The contribution tiers from every all-time board entry (one read per earning member).
pub(super) async fn scanned_tiers(store: &impl Store, members: u32) -> Result<Tiers, ApiError> {
    let mut entries = Vec::new();
    let board = super::super::points::rkeys::board_prefix(&PeriodKey::all_time());
    scan::<BoardEntry>(store, &board, |_, entry| {
        entries.push((entry.member, entry.points));
        Ok(())
    })
    .await?;
    Ok(tiers::tiers(members, entries))
}

pub async fn top(
    store: &impl Store,
    week: Week,
    kind: ItemKind,
    limit: usize,
) -> Result<TopItems, ApiError> {
    let mut items: Vec<(String, Engagement)> = Vec::new();
    scan::<Engagement>(store, &keys::engagement_prefix(&week, kind), |id, e| {
        items.push((id.to_owned(), e));
        Ok(())
    })
    .await?;
    items.sort_by(|a, b| b.1.score().cmp(&a.1.score()).then_with(|| a.0.cmp(&b.0)));
    items.truncate(limit);
    let mut rows = Vec::with_capacity(items.len());
    for (id, engagement) in items {
        rows.push(TopItem {
            title: title(store, kind, &id).await?,
            score: engagement.score(),
            id,
            engagement,
        });
    }
    Ok(TopItems {
        week,
        kind,
        items: rows,
    })
}

/// The thread's title, the topic's or the event's name.
async fn title(store: &impl Store, kind: ItemKind, id: &str) -> Result<Option<String>, ApiError> {
    Ok(match kind {
        ItemKind::Thread => match ThreadId::parse(id) {
            Ok(id) => get_json::<Thread>(store, &crate::talk::keys::thread(&id))
                .await?
                .and_then(|t| t.opening().map(|(title, _)| title.to_string())),
            Err(_) => None,
        },
        ItemKind::Topic => match TopicId::parse(id) {
            Ok(id) => get_json::<Topic>(store, &crate::talk::keys::topic(&id))
                .await?
                .map(|t| t.name.to_string()),
            Err(_) => None,
        },
        ItemKind::Event => match EventId::parse(id) {
            Ok(id) => get_json::<Event>(store, &event_keys::event(&id))
                .await?
                .map(|e| e.title().to_string()),
            Err(_) => None,
        },
    })
}

pub async fn streaks(
    store: &impl Store,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Streaks, ApiError> {
    let rollups = day_rollups(store, Some(from), to).await?;
    let days = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|day| {
            let r = rollups.get(&day).cloned().unwrap_or_default();
            let [one, two_to_six, week, two_weeks, month] = r.streaks.0;
            StreakDay {
                day,
                checkins: r.counts.checked_in,
                streaks: StreakCounts {
                    one,
                    two_to_six,
                    week,
                    two_weeks,
                    month,
                },
            }
        })
        .collect();
    Ok(Streaks { from, to, days })
}

pub async fn churn(
    store: &impl Store,
    quiet: u32,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Churn, ApiError> {
    // Every day from the first, for the members who went quiet long ago.
    let rollups = day_rollups(store, None, to.max(today)).await?;
    let days = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|day| ChurnDay {
            day,
            at_risk: at_risk(&rollups, quiet, day),
        })
        .collect();
    Ok(Churn {
        quiet_days: quiet,
        at_risk: at_risk(&rollups, quiet, today),
        days,
    })
}

pub async fn quiet_members(
    store: &impl Store,
    quiet: u32,
    cursor: Option<Cursor>,
    limit: usize,
    today: NaiveDate,
) -> Result<QuietMembers, ApiError> {
    let Some(cutoff) = today.checked_sub_signed(Duration::days(i64::from(quiet))) else {
        return Ok(QuietMembers {
            quiet_days: quiet,
            items: Vec::new(),
            next: None,
        });
    };
    let from = keys::quiet_from(cutoff);
    let start = match cursor {
        // A cursor from another `quiet_days` may point before the cutoff: never start
        // earlier than it.
        Some(cursor) => cursor.start_after(keys::QUIET).max(from),
        None => from,
    };
    let page = store.list(keys::QUIET, Some(&start), limit).await?;
    let mut items = Vec::with_capacity(page.entries.len());
    for (key, text) in &page.entries {
        let rest = key.strip_prefix(keys::QUIET).unwrap_or(key);
        let (_, member) = rest.split_once('/').ok_or_else(|| corrupt(rest))?;
        let member = MemberId::parse(member).map_err(|_| corrupt(rest))?;
        let last_active: NaiveDate = serde_json::from_str(text)
            .map_err(|e| crate::store::StoreError(format!("corrupt value at {key}: {e}")))?;
        let name = get_json::<MemberProfile>(store, &app_keys::profile(&member))
            .await?
            .map(|p| p.name.to_string());
        items.push(QuietMember {
            member,
            name,
            last_active,
            quiet_days: u32::try_from((today - last_active).num_days()).unwrap_or(0),
        });
    }
    Ok(QuietMembers {
        quiet_days: quiet,
        items,
        next: Cursor::next(keys::QUIET, &page),
    })
}
