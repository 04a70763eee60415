//! Daily check-in as one command: the check-in, its points and streak bonuses, written in
//! one batch.

pub mod reminder;

use serde::{Deserialize, Serialize};

use crate::checkin::{CheckinCalendar, CheckinRules, CheckinState, CheckinStatus, YearMonth};
use crate::error::ApiError;
use crate::ids::CommunitySlug;
use crate::points::{Action, Award, BalanceView, LedgerEntry, PointRules, PointsAccount};
use crate::recognition::{Activity, BadgeEarned, LevelUp};
use crate::store::{Store, get_json};
use crate::time::Timestamp;

use crate::notify::ActivityKind;

use super::{Actor, Change, identity, keys, load_community};

/// `POST …/checkins`: what the member sees after checking in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinResult {
    pub status: CheckinStatus,
    /// The ledger lines this check-in wrote (the check-in itself, then any streak bonus).
    pub awarded: Vec<LedgerEntry>,
    pub balance: BalanceView,
    /// The level this check-in reached, if it crossed a threshold.
    #[serde(default)]
    pub level_up: Option<LevelUp>,
    /// Badges this check-in earned (first check-in, a streak…), so the member sees them at
    /// once without asking again.
    #[serde(default)]
    pub badges_earned: Vec<BadgeEarned>,
}

/// `GET …/checkins/me`: today's status, one month's calendar and the balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyCheckin {
    pub status: CheckinStatus,
    pub calendar: CheckinCalendar,
    pub balance: BalanceView,
    /// Whether the member opted in to the daily check-in reminder.
    #[serde(default)]
    pub reminder: bool,
}

async fn rules(store: &impl Store) -> Result<(CheckinRules, PointRules), ApiError> {
    let checkin = get_json::<CheckinRules>(store, keys::RULES_CHECKIN)
        .await?
        .unwrap_or_default();
    let points = get_json::<PointRules>(store, keys::RULES_POINTS)
        .await?
        .unwrap_or_default();
    Ok((checkin, points))
}

pub async fn check_in(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<CheckinResult, ApiError> {
    let member = identity::writing_member(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let tz = community.time_zone;
    let (checkin_rules, point_rules) = rules(store).await?;

    let mut state = get_json::<CheckinState>(store, &keys::checkin(&member.id))
        .await?
        .unwrap_or_default();
    let checked = state.check_in(&checkin_rules, now, tz)?;

    let mut awards = vec![point_rules.award(Action::CheckIn, checked.cause.clone())];
    awards.extend(checked.bonuses.iter().map(Award::streak_bonus));
    let mut change = Change::new();
    // Points, leaderboards, stats and recognition (level-up, badges) in this same batch.
    let earning = super::points::earn::earn(
        store,
        &mut change,
        &member.id,
        awards,
        &[Activity::CheckedIn {
            total_days: checked.total_days,
            longest_streak: checked.longest_streak,
        }],
        tz,
        now,
    )
    .await?;
    change.batch.put_json(keys::checkin(&member.id), &state)?;
    change.batch.put_json(keys::profile(&member.id), &member)?;
    change
        .activity
        .push((member.id.clone(), ActivityKind::CheckedIn, None));
    change.commit(store, tz, now).await?;

    let status = state.status(&checkin_rules, now, tz)?;
    Ok(CheckinResult {
        status,
        awarded: earning.awarded,
        balance: earning.account.view(),
        level_up: earning.recognition.level_up,
        badges_earned: earning.recognition.badges,
    })
}

pub async fn my_checkin(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    month: Option<YearMonth>,
    now: Timestamp,
) -> Result<MyCheckin, ApiError> {
    let member = identity::member(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let tz = community.time_zone;
    let (checkin_rules, _) = rules(store).await?;
    let state = get_json::<CheckinState>(store, &keys::checkin(&member.id))
        .await?
        .unwrap_or_default();
    let account = get_json::<PointsAccount>(store, &keys::points(&member.id))
        .await?
        .unwrap_or_default();
    let status = state.status(&checkin_rules, now, tz)?;
    let month = match month {
        Some(month) => month,
        None => YearMonth::of(status.today)?,
    };
    let calendar = state.calendar(&checkin_rules, month, now, tz)?;
    Ok(MyCheckin {
        status,
        calendar,
        balance: account.view(),
        reminder: reminder::is_on(store, &member.id).await?,
    })
}
