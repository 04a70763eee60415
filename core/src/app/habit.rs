//! Daily check-in as one command: the check-in, its points and streak bonuses, written in
//! one batch.

use serde::{Deserialize, Serialize};

use crate::checkin::{CheckinCalendar, CheckinRules, CheckinState, CheckinStatus, YearMonth};
use crate::community::TimeZone;
use crate::error::ApiError;
use crate::ids::{CommunitySlug, MemberId};
use crate::points::{
    Action, Award, AwardOutcome, BalanceView, CauseRecord, LedgerEntry, PointRules, PointsAccount,
    ledger_sort_key,
};
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;

use crate::notify::ActivityKind;

use super::{Actor, Change, identity, keys, load_community};

/// `POST …/checkins`: what the member sees after checking in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinResult {
    pub status: CheckinStatus,
    /// The ledger lines this check-in wrote (the check-in itself, then any streak bonus).
    pub awarded: Vec<LedgerEntry>,
    pub balance: BalanceView,
}

/// `GET …/checkins/me`: today's status, one month's calendar and the balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCheckin {
    pub status: CheckinStatus,
    pub calendar: CheckinCalendar,
    pub balance: BalanceView,
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

/// One member's points while a command runs: awards queue their writes in `batch`.
struct Awarding<'a> {
    member: &'a MemberId,
    account: PointsAccount,
    rules: &'a PointRules,
    batch: Batch,
    awarded: Vec<LedgerEntry>,
    now: Timestamp,
    tz: TimeZone,
}

impl Awarding<'_> {
    /// Applies `award` exactly once per cause: a cause seen before changes nothing.
    async fn apply(&mut self, store: &impl Store, award: Award) -> Result<(), ApiError> {
        let cause_key = keys::cause(self.member, award.cause().as_str());
        let prior = get_json::<CauseRecord>(store, &cause_key).await?;
        let outcome = self
            .account
            .award(self.rules, award, prior.as_ref(), self.now, self.tz)
            .map_err(|e| ApiError::invalid(e.to_string()))?;
        match outcome {
            AwardOutcome::Applied { entry, record, .. } => {
                self.batch.put_json(
                    keys::ledger(self.member, &ledger_sort_key(entry.seq)),
                    &entry,
                )?;
                self.batch.put_json(cause_key, &record)?;
                self.awarded.push(entry);
            }
            AwardOutcome::Skipped { record, .. } => {
                self.batch.put_json(cause_key, &record)?;
            }
            AwardOutcome::AlreadyApplied { .. } => {}
        }
        Ok(())
    }
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

    let account = get_json::<PointsAccount>(store, &keys::points(&member.id))
        .await?
        .unwrap_or_default();
    let mut points = Awarding {
        member: &member.id,
        account,
        rules: &point_rules,
        batch: Batch::new(),
        awarded: Vec::new(),
        now,
        tz,
    };
    points
        .apply(
            store,
            point_rules.award(Action::CheckIn, checked.cause.clone()),
        )
        .await?;
    for bonus in &checked.bonuses {
        points.apply(store, Award::streak_bonus(bonus)).await?;
    }
    let Awarding {
        account,
        batch,
        awarded,
        ..
    } = points;
    let mut change = Change {
        batch,
        ..Change::new()
    };
    change.batch.put_json(keys::checkin(&member.id), &state)?;
    change.batch.put_json(keys::points(&member.id), &account)?;
    change.batch.put_json(keys::profile(&member.id), &member)?;
    change
        .activity
        .push((member.id.clone(), ActivityKind::CheckedIn, None));
    change.commit(store, tz, now).await?;

    let status = state.status(&checkin_rules, now, tz)?;
    Ok(CheckinResult {
        status,
        awarded,
        balance: account.view(),
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
    })
}
