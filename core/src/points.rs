//! Points: the append-only ledger, per-action rules with daily caps, rewards and redemption.
//!
//! Everything here is pure state and transitions; the application layer loads the
//! aggregates, calls one function and writes what changed back in one atomic batch.
//!
//! # Aggregates and the storage keys they are meant for
//!
//! | aggregate | key | size |
//! | --- | --- | --- |
//! | [`PointRules`] | `rules/points` | one per community |
//! | [`PointsAccount`] (balance, next sequence number, today's cap tally) | `member/{member_id}/points` | constant |
//! | [`LedgerEntry`] | `member/{member_id}/ledger/{ledger_sort_key(seq)}` | one per entry, listed newest first |
//! | [`CauseRecord`] (what a cause key did) | `member/{member_id}/cause/{cause_key}` | one per award cause |
//! | [`Reward`] | `reward/{reward_id}` | one per reward |
//!
//! An award touches three keys (account, entry, cause record), a redemption three (account,
//! entry, reward), all in one batch. The cause record is what makes an award happen exactly
//! once: the application layer reads it before calling [`PointsAccount::award`] and passes it
//! in; a second award for the same cause is a no-op that returns the first record.
//!
//! # Decisions
//! - The balance never goes below zero: not by redemption, not by a staff adjustment (a
//!   negative adjustment larger than the balance is refused; staff may take the balance to
//!   exactly zero). There is deliberately no switch to allow debt.
//! - A daily cap limits the *points* an action earns per member per community-local day.
//!   An award that would pass the cap is trimmed to what is left; once nothing is left it is
//!   skipped. Either way its cause is spent: the same cause on a later day earns nothing.
//! - `earned` (what levels are measured in) counts awards and staff adjustments, never
//!   redemptions: spending points does not lower a member's level.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::checkin::StreakBonusEarned;
use crate::community::TimeZone;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{
    BoundedText, KEY_SAFE_CHARS, ParseError, bounded_u32, is_key_safe, short_id, string_newtype,
};
use crate::time::Timestamp;

bounded_u32!(
    /// An amount of points a rule gives or a reward costs: 0–1,000,000.
    Points,
    0,
    1_000_000,
    "points",
    "must be between 0 and 1000000"
);

impl Points {
    pub const ZERO: Self = Self(0);
}

bounded_u32!(
    /// The most points one action may earn a member in one community-local day: 1–1,000,000.
    DailyCap,
    1,
    1_000_000,
    "the daily cap",
    "must be between 1 and 1000000 points"
);

bounded_u32!(
    /// What a reward costs: 1–1,000,000 points.
    Cost,
    1,
    1_000_000,
    "the cost",
    "must be between 1 and 1000000 points"
);

short_id!(
    /// A reward in the community's catalogue (`tote-bag`, `vip_month`).
    RewardId,
    "a reward id",
    HyphensAndUnderscores
);

pub type RewardName = BoundedText<1, 60>;
/// Why staff changed a balance; shown to the member in their ledger.
pub type AdjustmentNote = BoundedText<1, 200>;
/// Who on the staff did something, as the dashboard names them.
pub type StaffName = BoundedText<1, 64>;

string_newtype! {
    /// What a ledger entry is for, unique per member: `checkin:2026-03-02`, `reply:r_81`,
    /// `streak:2026-02-24:7`. 3–120 characters of `A-Z a-z 0-9 _ . : @ -` with a non-empty
    /// kind before the first `:` and something after it. Never contains `/`, so it is safe in
    /// keys.
    #[derive(PartialOrd, Ord)]
    pub struct CauseKey;
}

impl CauseKey {
    pub const MAX_LEN: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a cause key";
        ParseError::check_length(WHAT, raw.len(), 3..=Self::MAX_LEN)?;
        if !raw.bytes().all(is_key_safe) {
            return Err(ParseError::Charset {
                what: WHAT,
                allowed: KEY_SAFE_CHARS,
            });
        }
        match raw.split_once(':') {
            Some((kind, rest)) if !kind.is_empty() && !rest.is_empty() => Ok(Self(raw.to_owned())),
            _ => Err(ParseError::Invalid {
                what: WHAT,
                why: "it must look like kind:id",
            }),
        }
    }

    /// `{kind}:{id}`, e.g. `CauseKey::new("reply", reply_id)`.
    pub fn new(kind: &str, id: &str) -> Result<Self, ParseError> {
        Self::parse(&format!("{kind}:{id}"))
    }

    /// The daily check-in on `day`: `checkin:2026-03-02`.
    pub fn check_in(day: NaiveDate) -> Self {
        Self(format!("checkin:{}", day.format("%Y-%m-%d")))
    }

    /// The streak bonus for `days` days of the run that started on `run_start`:
    /// `streak:2026-02-24:7`. A new run earns its milestones again; one run never twice.
    pub fn streak_bonus(run_start: NaiveDate, days: u32) -> Self {
        Self(format!("streak:{}:{days}", run_start.format("%Y-%m-%d")))
    }

    fn adjustment(seq: u64) -> Self {
        Self(format!("adjust:{seq}"))
    }

    fn redemption(reward: &RewardId, seq: u64) -> Self {
        Self(format!("redeem:{reward}:{seq}"))
    }
}

/// The part of a ledger entry's storage key that sorts newest first (storage lists keys in
/// ascending order): `u64::MAX - seq`, zero-padded to 20 digits.
pub fn ledger_sort_key(seq: u64) -> String {
    format!("{:020}", u64::MAX - seq)
}

/// Things members do that earn a fixed number of points (set in [`PointRules`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Post,
    Reply,
    ReactionReceived,
    CheckIn,
    EventAttended,
    AcceptedAnswer,
}

impl Action {
    pub const ALL: [Self; 6] = [
        Self::Post,
        Self::Reply,
        Self::ReactionReceived,
        Self::CheckIn,
        Self::EventAttended,
        Self::AcceptedAnswer,
    ];
}

/// Points for one action and an optional cap on what it earns per local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionRule {
    pub points: Points,
    #[serde(default)]
    pub daily_cap: Option<DailyCap>,
}

impl ActionRule {
    fn of(points: u32, cap: Option<u32>) -> Self {
        Self {
            points: Points(points),
            daily_cap: cap.map(DailyCap),
        }
    }
}

/// A community's point rules. Streak bonus *amounts* are set per milestone in
/// [`crate::checkin::CheckinRules`]; here only their daily cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct PointRules {
    pub post: ActionRule,
    pub reply: ActionRule,
    pub reaction_received: ActionRule,
    pub check_in: ActionRule,
    pub event_attended: ActionRule,
    pub accepted_answer: ActionRule,
    pub streak_bonus_daily_cap: Option<DailyCap>,
}

impl Default for PointRules {
    fn default() -> Self {
        Self {
            post: ActionRule::of(10, Some(50)),
            reply: ActionRule::of(5, Some(50)),
            reaction_received: ActionRule::of(1, Some(20)),
            check_in: ActionRule::of(5, None),
            event_attended: ActionRule::of(20, None),
            accepted_answer: ActionRule::of(15, Some(60)),
            streak_bonus_daily_cap: None,
        }
    }
}

impl PointRules {
    pub fn rule(&self, action: Action) -> ActionRule {
        match action {
            Action::Post => self.post,
            Action::Reply => self.reply,
            Action::ReactionReceived => self.reaction_received,
            Action::CheckIn => self.check_in,
            Action::EventAttended => self.event_attended,
            Action::AcceptedAnswer => self.accepted_answer,
        }
    }

    /// The award for `action`, worth what the rule says, for `cause`.
    pub fn award(&self, action: Action, cause: CauseKey) -> Award {
        Award {
            source: Source::Action(action),
            cause,
            points: self.rule(action).points,
        }
    }

    fn daily_cap(&self, source: &Source) -> Option<DailyCap> {
        match source {
            Source::Action(action) => self.rule(*action).daily_cap,
            Source::StreakBonus { .. } => self.streak_bonus_daily_cap,
            Source::Automation { .. } => None,
        }
    }
}

/// What earns an award.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Action(Action),
    StreakBonus {
        days: u32,
    },
    /// A community's automation (`app::automation`): its own amount, no daily cap; the
    /// ledger line reads as an adjustment with `note` by `by`.
    Automation {
        note: AdjustmentNote,
        by: StaffName,
    },
}

/// Points to be awarded once for a cause. Built only by [`PointRules::award`],
/// [`Award::streak_bonus`] or [`Award::automation`], so its amount always comes from the
/// community's rules or an automation its staff saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    source: Source,
    cause: CauseKey,
    points: Points,
}

impl Award {
    /// A streak bonus reported by a check-in or a make-up.
    pub fn streak_bonus(bonus: &StreakBonusEarned) -> Self {
        Self {
            source: Source::StreakBonus {
                days: bonus.days.get(),
            },
            cause: bonus.cause.clone(),
            points: bonus.points,
        }
    }

    /// Points an automation gives: the ledger line reads as an adjustment with `note` by
    /// `by` (the automation's name and the word for it); no daily cap applies.
    pub fn automation(
        cause: CauseKey,
        points: Points,
        note: AdjustmentNote,
        by: StaffName,
    ) -> Self {
        Self {
            source: Source::Automation { note, by },
            cause,
            points,
        }
    }

    pub fn cause(&self) -> &CauseKey {
        &self.cause
    }

    pub fn points(&self) -> Points {
        self.points
    }

    fn reason(&self) -> Reason {
        match &self.source {
            Source::Action(action) => Reason::Action { action: *action },
            Source::StreakBonus { days } => Reason::StreakBonus { days: *days },
            Source::Automation { note, by } => Reason::Adjustment {
                note: note.clone(),
                by: by.clone(),
            },
        }
    }
}

/// Why a ledger entry exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Action {
        action: Action,
    },
    StreakBonus {
        days: u32,
    },
    Adjustment {
        note: AdjustmentNote,
        by: StaffName,
    },
    Redemption {
        reward: RewardId,
        reward_name: RewardName,
    },
}

/// One line of a member's ledger; never changed once written. Also the wire shape of a
/// ledger line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    /// 0, 1, 2, … per member, without gaps.
    pub seq: u64,
    pub at: Timestamp,
    pub delta: i64,
    pub cause: CauseKey,
    pub reason: Reason,
    pub balance_after: u64,
}

/// What happened to one cause, stored at `member/{member_id}/cause/{cause_key}` so that the
/// cause is applied exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CauseRecord {
    pub cause: CauseKey,
    pub at: Timestamp,
    /// The entry written, or `None` when the award was skipped (cap reached, rule worth 0).
    pub entry: Option<LedgerEntry>,
}

/// Why an award wrote no entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    DailyCapReached,
    RuleGivesNoPoints,
}

/// The result of an award. `Applied` and `Skipped` ask the caller to write the account, the
/// record (and the entry, if any); `AlreadyApplied` writes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwardOutcome {
    Applied {
        entry: LedgerEntry,
        record: CauseRecord,
        /// The award was cut down to what was left under the daily cap.
        trimmed: bool,
    },
    Skipped {
        record: CauseRecord,
        why: SkipReason,
    },
    /// The cause was seen before; here is what it did then.
    AlreadyApplied { record: CauseRecord },
}

impl AwardOutcome {
    /// The entry this award wrote or had written the first time, if any.
    pub fn entry(&self) -> Option<&LedgerEntry> {
        match self {
            Self::Applied { entry, .. } => Some(entry),
            Self::Skipped { .. } => None,
            Self::AlreadyApplied { record } => record.entry.as_ref(),
        }
    }

    /// Whether the caller must write anything.
    pub fn changed(&self) -> bool {
        !matches!(self, Self::AlreadyApplied { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwardError {
    #[error("the record passed in is for cause `{found}`, not `{expected}`")]
    CauseMismatch { expected: CauseKey, found: CauseKey },
    #[error("the instant is outside the supported range")]
    DateOutOfRange,
    #[error("the balance would overflow")]
    Overflow,
}

impl From<AwardError> for ApiError {
    fn from(e: AwardError) -> Self {
        match e {
            AwardError::CauseMismatch { .. } => ApiError::new(
                ErrorCode::Internal,
                "something went wrong on our side; please retry",
            ),
            AwardError::DateOutOfRange | AwardError::Overflow => ApiError::invalid(e.to_string()),
        }
    }
}

/// Points earned today per action, for the daily caps. Only the member's latest local day is
/// kept; a new day starts from zero.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyTally {
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    actions: BTreeMap<Action, u32>,
    #[serde(default, skip_serializing_if = "is_zero")]
    streak_bonus: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl DailyTally {
    pub fn date(&self) -> Option<NaiveDate> {
        self.date
    }

    /// Points earned from `action` on the tally's day.
    pub fn earned_by(&self, action: Action) -> u32 {
        self.actions.get(&action).copied().unwrap_or(0)
    }

    pub fn earned_by_streak_bonus(&self) -> u32 {
        self.streak_bonus
    }

    /// Moves the tally to `day` if it is newer. An older day (a clock that went back) counts
    /// against the newer tally: the conservative choice.
    fn roll_to(&mut self, day: NaiveDate) {
        if self.date.is_none_or(|d| d < day) {
            *self = Self {
                date: Some(day),
                ..Self::default()
            };
        }
    }

    fn used(&self, source: &Source) -> u32 {
        match source {
            Source::Action(action) => self.earned_by(*action),
            Source::StreakBonus { .. } => self.streak_bonus,
            Source::Automation { .. } => 0,
        }
    }

    fn add(&mut self, source: &Source, points: u32) {
        match source {
            Source::Action(action) => {
                let slot = self.actions.entry(*action).or_insert(0);
                *slot = slot.saturating_add(points);
            }
            Source::StreakBonus { .. } => {
                self.streak_bonus = self.streak_bonus.saturating_add(points);
            }
            Source::Automation { .. } => {}
        }
    }
}

/// A staff change to a balance: ±1–1,000,000 points, never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "i32", into = "i32")]
pub struct AdjustmentDelta(i32);

impl AdjustmentDelta {
    pub const LIMIT: i32 = 1_000_000;

    pub fn new(n: i32) -> Result<Self, ParseError> {
        if n != 0 && (-Self::LIMIT..=Self::LIMIT).contains(&n) {
            Ok(Self(n))
        } else {
            Err(ParseError::Invalid {
                what: "the adjustment",
                why: "must be between -1000000 and 1000000 points and not zero",
            })
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl TryFrom<i32> for AdjustmentDelta {
    type Error = ParseError;
    fn try_from(n: i32) -> Result<Self, Self::Error> {
        Self::new(n)
    }
}

impl From<AdjustmentDelta> for i32 {
    fn from(d: AdjustmentDelta) -> Self {
        d.0
    }
}

/// `POST …/members/{id}/points/adjustments`: a staff adjustment with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    pub delta: AdjustmentDelta,
    pub note: AdjustmentNote,
    pub by: StaffName,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdjustError {
    #[error("the balance is {balance}; taking {take} points would make it negative")]
    WouldGoNegative { balance: u64, take: u64 },
    #[error("the balance would overflow")]
    Overflow,
}

impl From<AdjustError> for ApiError {
    fn from(e: AdjustError) -> Self {
        let code = match e {
            AdjustError::WouldGoNegative { .. } => ErrorCode::InsufficientPoints,
            AdjustError::Overflow => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// Stock of a reward: `None` is unlimited.
pub type Stock = Option<u32>;

/// A reward in the community's catalogue, stored at `reward/{reward_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Reward {
    pub id: RewardId,
    pub name: RewardName,
    pub cost: Cost,
    /// How many are left; `None` (or absent) means unlimited.
    #[serde(default)]
    pub stock: Stock,
    /// Withdrawn rewards stay stored for old ledger lines but cannot be redeemed.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl Reward {
    /// How a member sees it, given their balance.
    pub fn view(&self, balance: u64) -> RewardView {
        RewardView {
            id: self.id.clone(),
            name: self.name.to_string(),
            cost: self.cost.get(),
            stock: self.stock,
            available: self.active && self.stock != Some(0),
            affordable: balance >= u64::from(self.cost.get()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedeemError {
    #[error("the reward `{0}` is no longer offered")]
    Withdrawn(RewardId),
    #[error("the reward `{0}` is out of stock")]
    OutOfStock(RewardId),
    #[error("this costs {cost} points and the balance is {balance}")]
    InsufficientPoints { balance: u64, cost: u32 },
}

impl From<RedeemError> for ApiError {
    fn from(e: RedeemError) -> Self {
        let code = match e {
            RedeemError::Withdrawn(_) => ErrorCode::NotFound,
            RedeemError::OutOfStock(_) => ErrorCode::OutOfStock,
            RedeemError::InsufficientPoints { .. } => ErrorCode::InsufficientPoints,
        };
        ApiError::new(code, e.to_string())
    }
}

/// A redemption done: the caller writes the account, the entry and the reward together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    pub entry: LedgerEntry,
    pub receipt: RedemptionReceipt,
}

/// One member's points, stored at `member/{member_id}/points`. Constant size: the entries
/// live under their own keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsAccount {
    balance: u64,
    earned: u64,
    next_seq: u64,
    #[serde(default)]
    today: DailyTally,
}

impl PointsAccount {
    pub fn new() -> Self {
        Self::default()
    }

    /// What the member can spend: the sum of their ledger.
    pub fn balance(&self) -> u64 {
        self.balance
    }

    /// Awards and adjustments, never reduced by redemptions: what levels are measured in.
    pub fn earned(&self) -> u64 {
        self.earned
    }

    /// The sequence number the next entry gets (= the number of entries).
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    pub fn tally(&self) -> &DailyTally {
        &self.today
    }

    pub fn view(&self) -> BalanceView {
        BalanceView {
            balance: self.balance,
            earned: self.earned,
            entries: self.next_seq,
        }
    }

    fn append(
        &mut self,
        at: Timestamp,
        delta: i64,
        cause: CauseKey,
        reason: Reason,
    ) -> LedgerEntry {
        let entry = LedgerEntry {
            seq: self.next_seq,
            at,
            delta,
            cause,
            reason,
            balance_after: self.balance,
        };
        self.next_seq += 1;
        entry
    }

    /// Applies `award` once. `prior` is the [`CauseRecord`] stored for the award's cause, if
    /// any: then nothing changes and the original record comes back.
    pub fn award(
        &mut self,
        rules: &PointRules,
        award: Award,
        prior: Option<&CauseRecord>,
        now: Timestamp,
        tz: TimeZone,
    ) -> Result<AwardOutcome, AwardError> {
        if let Some(record) = prior {
            if record.cause != award.cause {
                return Err(AwardError::CauseMismatch {
                    expected: award.cause,
                    found: record.cause.clone(),
                });
            }
            return Ok(AwardOutcome::AlreadyApplied {
                record: record.clone(),
            });
        }
        let day = now.local_day(tz).map_err(|_| AwardError::DateOutOfRange)?;
        let wanted = award.points.get();
        let skipped = |why| AwardOutcome::Skipped {
            record: CauseRecord {
                cause: award.cause.clone(),
                at: now,
                entry: None,
            },
            why,
        };
        if wanted == 0 {
            return Ok(skipped(SkipReason::RuleGivesNoPoints));
        }
        let mut tally = self.today.clone();
        tally.roll_to(day);
        let points = match rules.daily_cap(&award.source) {
            Some(cap) => wanted.min(cap.get().saturating_sub(tally.used(&award.source))),
            None => wanted,
        };
        if points == 0 {
            self.today = tally;
            return Ok(skipped(SkipReason::DailyCapReached));
        }
        let gained = u64::from(points);
        let balance = self
            .balance
            .checked_add(gained)
            .ok_or(AwardError::Overflow)?;
        let earned = self
            .earned
            .checked_add(gained)
            .ok_or(AwardError::Overflow)?;
        tally.add(&award.source, points);
        self.today = tally;
        self.balance = balance;
        self.earned = earned;
        let reason = award.reason();
        let entry = self.append(now, i64::from(points), award.cause.clone(), reason);
        Ok(AwardOutcome::Applied {
            record: CauseRecord {
                cause: award.cause,
                at: now,
                entry: Some(entry.clone()),
            },
            entry,
            trimmed: points < wanted,
        })
    }

    /// A staff adjustment. A negative one may take the balance to zero, never below.
    pub fn adjust(
        &mut self,
        adjustment: Adjustment,
        now: Timestamp,
    ) -> Result<LedgerEntry, AdjustError> {
        let delta = adjustment.delta.get();
        let amount = u64::from(delta.unsigned_abs());
        let (balance, earned) = if delta < 0 {
            let balance = self
                .balance
                .checked_sub(amount)
                .ok_or(AdjustError::WouldGoNegative {
                    balance: self.balance,
                    take: amount,
                })?;
            (balance, self.earned.saturating_sub(amount))
        } else {
            let balance = self
                .balance
                .checked_add(amount)
                .ok_or(AdjustError::Overflow)?;
            let earned = self
                .earned
                .checked_add(amount)
                .ok_or(AdjustError::Overflow)?;
            (balance, earned)
        };
        self.balance = balance;
        self.earned = earned;
        let cause = CauseKey::adjustment(self.next_seq);
        Ok(self.append(
            now,
            i64::from(delta),
            cause,
            Reason::Adjustment {
                note: adjustment.note,
                by: adjustment.by,
            },
        ))
    }

    /// Spends `reward.cost` and takes one from its stock, both or neither.
    pub fn redeem(
        &mut self,
        reward: &mut Reward,
        now: Timestamp,
    ) -> Result<Redemption, RedeemError> {
        if !reward.active {
            return Err(RedeemError::Withdrawn(reward.id.clone()));
        }
        let stock_left = match reward.stock {
            Some(0) => return Err(RedeemError::OutOfStock(reward.id.clone())),
            Some(n) => Some(n - 1),
            None => None,
        };
        let cost = reward.cost.get();
        let balance =
            self.balance
                .checked_sub(u64::from(cost))
                .ok_or(RedeemError::InsufficientPoints {
                    balance: self.balance,
                    cost,
                })?;
        self.balance = balance;
        reward.stock = stock_left;
        let cause = CauseKey::redemption(&reward.id, self.next_seq);
        let entry = self.append(
            now,
            -i64::from(cost),
            cause,
            Reason::Redemption {
                reward: reward.id.clone(),
                reward_name: reward.name.clone(),
            },
        );
        Ok(Redemption {
            receipt: RedemptionReceipt {
                seq: entry.seq,
                reward: reward.id.clone(),
                cost,
                balance_after: entry.balance_after,
                stock_left,
            },
            entry,
        })
    }
}

// ---- wire types ----

/// `GET …/me/points`: a member's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceView {
    pub balance: u64,
    pub earned: u64,
    /// How many ledger entries there are.
    pub entries: u64,
}

/// `GET …/me/points/ledger?cursor=…`: a page of the ledger, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerPage {
    pub entries: Vec<LedgerEntry>,
    /// Pass back as `cursor` for older entries; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A reward as a member sees it in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardView {
    pub id: RewardId,
    pub name: String,
    pub cost: u32,
    /// `None`: unlimited.
    pub stock: Option<u32>,
    pub available: bool,
    pub affordable: bool,
}

/// The answer to a redemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionReceipt {
    pub seq: u64,
    pub reward: RewardId,
    pub cost: u32,
    pub balance_after: u64,
    pub stock_left: Option<u32>,
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    const SHANGHAI_MIDNIGHT: Timestamp = Timestamp(1_772_380_800_000); // 2026-03-02 00:00 +08

    fn tz() -> TimeZone {
        TimeZone::parse("Asia/Shanghai").unwrap()
    }

    fn cause(raw: &str) -> CauseKey {
        CauseKey::parse(raw).unwrap()
    }

    fn adjustment(delta: i32) -> Adjustment {
        Adjustment {
            delta: AdjustmentDelta::new(delta).unwrap(),
            note: AdjustmentNote::parse("thanks for the meetup photos").unwrap(),
            by: StaffName::parse("ops@brand").unwrap(),
        }
    }

    fn reward(cost: u32, stock: Option<u32>) -> Reward {
        Reward {
            id: RewardId::parse("tote-bag").unwrap(),
            name: RewardName::parse("帆布袋 Tote bag").unwrap(),
            cost: Cost::new(cost).unwrap(),
            stock,
            active: true,
        }
    }

    /// Awards through the record store the way the application layer will.
    fn award_via(
        account: &mut PointsAccount,
        records: &mut HashMap<CauseKey, CauseRecord>,
        rules: &PointRules,
        award: Award,
        now: Timestamp,
    ) -> AwardOutcome {
        let prior = records.get(award.cause()).cloned();
        let out = account
            .award(rules, award, prior.as_ref(), now, tz())
            .unwrap();
        match &out {
            AwardOutcome::Applied { record, .. } | AwardOutcome::Skipped { record, .. } => {
                records.insert(record.cause.clone(), record.clone());
            }
            AwardOutcome::AlreadyApplied { .. } => {}
        }
        out
    }

    #[test]
    fn cause_key_table() {
        let cases: &[(&str, bool)] = &[
            ("checkin:2026-03-02", true),
            ("reply:r_81", true),
            ("streak:2026-02-24:7", true),
            ("event:launch-2026:u@brand", true),
            ("reply", false),
            (":r1", false),
            ("reply:", false),
            ("a:", false),
            ("reply:../../x", false),
            ("reply:a/b", false),
            ("回复:1", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(CauseKey::parse(raw).is_ok(), ok, "{raw:?}");
        }
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(CauseKey::check_in(day).as_str(), "checkin:2026-03-02");
        assert_eq!(
            CauseKey::streak_bonus(day, 30).as_str(),
            "streak:2026-03-02:30"
        );
        assert!(CauseKey::parse(CauseKey::streak_bonus(day, 30).as_str()).is_ok());
    }

    #[test]
    fn bounded_numbers_refuse_out_of_range_values_also_through_serde() {
        assert!(Points::new(1_000_000).is_ok());
        assert!(Points::new(1_000_001).is_err());
        assert!(DailyCap::new(0).is_err());
        assert!(Cost::new(0).is_err());
        assert!(AdjustmentDelta::new(0).is_err());
        assert!(AdjustmentDelta::new(-1_000_000).is_ok());
        assert!(AdjustmentDelta::new(1_000_001).is_err());
        assert!(serde_json::from_str::<ActionRule>(r#"{"points": 5, "daily_cap": 0}"#).is_err());
        assert!(serde_json::from_str::<ActionRule>(r#"{"points": -5}"#).is_err());
        assert!(RewardId::parse("Tote").is_err());
        assert!(RewardId::parse("tote/bag").is_err());
    }

    #[test]
    fn point_rules_default_and_partial_json_fill_in_defaults() {
        let rules: PointRules =
            serde_json::from_value(serde_json::json!({"post": {"points": 3}})).unwrap();
        assert_eq!(rules.post.points.get(), 3);
        assert_eq!(rules.post.daily_cap, None);
        assert_eq!(rules.reply, PointRules::default().reply);
        assert!(
            serde_json::from_value::<PointRules>(serde_json::json!({"posts": {"points": 3}}))
                .is_err()
        );
    }

    #[test]
    fn an_award_is_applied_once_and_the_same_cause_again_returns_the_original_entry() {
        let rules = PointRules::default();
        let mut account = PointsAccount::new();
        let mut records = HashMap::new();
        let first = award_via(
            &mut account,
            &mut records,
            &rules,
            rules.award(Action::Reply, cause("reply:r1")),
            SHANGHAI_MIDNIGHT,
        );
        let entry = first.entry().cloned().unwrap();
        assert_eq!((entry.seq, entry.delta, entry.balance_after), (0, 5, 5));
        let again = award_via(
            &mut account,
            &mut records,
            &rules,
            rules.award(Action::Reply, cause("reply:r1")),
            SHANGHAI_MIDNIGHT.plus_millis(Timestamp::DAY),
        );
        assert!(!again.changed());
        assert_eq!(again.entry(), Some(&entry));
        assert_eq!(account.balance(), 5);
        assert_eq!(account.next_seq(), 1);
    }

    #[test]
    fn a_prior_record_for_another_cause_is_refused() {
        let rules = PointRules::default();
        let mut account = PointsAccount::new();
        let record = CauseRecord {
            cause: cause("reply:r2"),
            at: SHANGHAI_MIDNIGHT,
            entry: None,
        };
        let err = account
            .award(
                &rules,
                rules.award(Action::Reply, cause("reply:r1")),
                Some(&record),
                SHANGHAI_MIDNIGHT,
                tz(),
            )
            .unwrap_err();
        assert!(matches!(err, AwardError::CauseMismatch { .. }));
        assert_eq!(ApiError::from(err).code, ErrorCode::Internal);
        assert_eq!(account, PointsAccount::new());
    }

    #[test]
    fn daily_caps_trim_then_skip_and_reset_on_the_next_local_day() {
        // Replies: 5 points, cap 12 → 5, 5, 2, then nothing; the next Shanghai day starts over.
        let rules = PointRules {
            reply: ActionRule::of(5, Some(12)),
            ..PointRules::default()
        };
        let mut account = PointsAccount::new();
        let mut records = HashMap::new();
        let t = SHANGHAI_MIDNIGHT.plus_millis(15 * Timestamp::HOUR);
        let cases: &[(&str, Timestamp, Option<i64>, bool)] = &[
            ("reply:a", t, Some(5), false),
            ("reply:b", t, Some(5), false),
            ("reply:c", t, Some(2), true),
            ("reply:d", t, None, false),
            // 23:59:59 local: same day, still capped.
            (
                "reply:e",
                SHANGHAI_MIDNIGHT.plus_millis(Timestamp::DAY - 1_000),
                None,
                false,
            ),
            // 00:00 next local day (16:00 UTC): a fresh tally.
            (
                "reply:f",
                SHANGHAI_MIDNIGHT.plus_millis(Timestamp::DAY),
                Some(5),
                false,
            ),
        ];
        for &(c, at, want, want_trimmed) in cases {
            let out = award_via(
                &mut account,
                &mut records,
                &rules,
                rules.award(Action::Reply, cause(c)),
                at,
            );
            assert_eq!(out.entry().map(|e| e.delta), want, "{c}");
            match out {
                AwardOutcome::Applied { trimmed, .. } => assert_eq!(trimmed, want_trimmed, "{c}"),
                AwardOutcome::Skipped { why, .. } => assert_eq!(why, SkipReason::DailyCapReached),
                AwardOutcome::AlreadyApplied { .. } => panic!("{c} was new"),
            }
        }
        assert_eq!(account.balance(), 17);
        // A capped cause is spent: offering it again on the new day earns nothing.
        let again = award_via(
            &mut account,
            &mut records,
            &rules,
            rules.award(Action::Reply, cause("reply:d")),
            SHANGHAI_MIDNIGHT.plus_millis(Timestamp::DAY + 1),
        );
        assert!(matches!(again, AwardOutcome::AlreadyApplied { record } if record.entry.is_none()));
    }

    #[test]
    fn caps_are_counted_per_action() {
        let rules = PointRules {
            post: ActionRule::of(10, Some(10)),
            ..PointRules::default()
        };
        let mut account = PointsAccount::new();
        let mut records = HashMap::new();
        for (action, c, want) in [
            (Action::Post, "post:1", Some(10)),
            (Action::Post, "post:2", None),
            (Action::Reply, "reply:1", Some(5)),
            (Action::CheckIn, "checkin:2026-03-02", Some(5)),
        ] {
            let out = award_via(
                &mut account,
                &mut records,
                &rules,
                rules.award(action, cause(c)),
                SHANGHAI_MIDNIGHT,
            );
            assert_eq!(out.entry().map(|e| e.delta), want, "{c}");
        }
        assert_eq!(account.tally().earned_by(Action::Post), 10);
        assert_eq!(account.tally().earned_by(Action::Reply), 5);
    }

    #[test]
    fn a_rule_worth_zero_points_writes_no_entry() {
        let rules = PointRules {
            reaction_received: ActionRule::of(0, None),
            ..PointRules::default()
        };
        let mut account = PointsAccount::new();
        let out = account
            .award(
                &rules,
                rules.award(Action::ReactionReceived, cause("reaction:x")),
                None,
                SHANGHAI_MIDNIGHT,
                tz(),
            )
            .unwrap();
        assert!(matches!(
            out,
            AwardOutcome::Skipped {
                why: SkipReason::RuleGivesNoPoints,
                ..
            }
        ));
        assert_eq!(account.next_seq(), 0);
    }

    #[test]
    fn streak_bonuses_use_their_own_amount_and_cap() {
        let rules = PointRules {
            streak_bonus_daily_cap: Some(DailyCap::new(50).unwrap()),
            ..PointRules::default()
        };
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let bonus = StreakBonusEarned {
            days: crate::checkin::StreakDays::new(30).unwrap(),
            points: Points::new(100).unwrap(),
            cause: CauseKey::streak_bonus(day, 30),
        };
        let mut account = PointsAccount::new();
        let out = account
            .award(
                &rules,
                Award::streak_bonus(&bonus),
                None,
                SHANGHAI_MIDNIGHT,
                tz(),
            )
            .unwrap();
        let entry = out.entry().unwrap();
        assert_eq!(entry.delta, 50);
        assert_eq!(entry.reason, Reason::StreakBonus { days: 30 });
        assert_eq!(entry.cause.as_str(), "streak:2026-03-02:30");
    }

    #[test]
    fn staff_adjustments_may_reach_zero_but_never_go_below() {
        let mut account = PointsAccount::new();
        account.adjust(adjustment(30), SHANGHAI_MIDNIGHT).unwrap();
        let err = account
            .adjust(adjustment(-31), SHANGHAI_MIDNIGHT)
            .unwrap_err();
        assert_eq!(
            err,
            AdjustError::WouldGoNegative {
                balance: 30,
                take: 31
            }
        );
        assert_eq!(ApiError::from(err).code, ErrorCode::InsufficientPoints);
        assert_eq!(account.balance(), 30);
        let entry = account.adjust(adjustment(-30), SHANGHAI_MIDNIGHT).unwrap();
        assert_eq!((entry.seq, entry.delta, entry.balance_after), (1, -30, 0));
        assert_eq!(entry.cause.as_str(), "adjust:1");
        assert_eq!(account.earned(), 0);
    }

    #[test]
    fn redemption_spends_points_and_stock_together_or_not_at_all() {
        let mut account = PointsAccount::new();
        account.adjust(adjustment(250), SHANGHAI_MIDNIGHT).unwrap();
        let mut bag = reward(100, Some(1));
        let done = account.redeem(&mut bag, SHANGHAI_MIDNIGHT).unwrap();
        assert_eq!(done.entry.delta, -100);
        assert_eq!(done.receipt.balance_after, 150);
        assert_eq!(done.receipt.stock_left, Some(0));
        assert_eq!(bag.stock, Some(0));
        assert_eq!(
            account.earned(),
            250,
            "spending does not lower what was earned"
        );

        let before = (account.clone(), bag.clone());
        let err = account.redeem(&mut bag, SHANGHAI_MIDNIGHT).unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::OutOfStock);
        assert_eq!((account.clone(), bag.clone()), before);

        let mut pricey = reward(1_000, None);
        let err = account.redeem(&mut pricey, SHANGHAI_MIDNIGHT).unwrap_err();
        assert_eq!(
            err,
            RedeemError::InsufficientPoints {
                balance: 150,
                cost: 1_000
            }
        );
        assert_eq!(ApiError::from(err).code, ErrorCode::InsufficientPoints);
        assert_eq!(pricey.stock, None);

        let mut withdrawn = reward(1, Some(5));
        withdrawn.active = false;
        let err = account
            .redeem(&mut withdrawn, SHANGHAI_MIDNIGHT)
            .unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::NotFound);
        assert_eq!(withdrawn.stock, Some(5));
        assert_eq!(account.balance(), 150);
    }

    #[test]
    fn reward_views_say_whether_the_member_can_afford_it() {
        let bag = reward(100, Some(0));
        let view = bag.view(120);
        assert!(view.affordable);
        assert!(!view.available);
        assert!(!reward(100, None).view(99).affordable);
    }

    #[test]
    fn ledger_sort_keys_list_newest_first() {
        let keys: Vec<String> = [0, 1, 9, 10, 1_000].map(ledger_sort_key).to_vec();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.reverse();
        assert_eq!(keys, sorted);
        assert!(keys.iter().all(|k| k.len() == 20));
    }

    #[test]
    fn ledger_entry_wire_shape() {
        let entry = LedgerEntry {
            seq: 3,
            at: SHANGHAI_MIDNIGHT,
            delta: 5,
            cause: cause("checkin:2026-03-02"),
            reason: Reason::Action {
                action: Action::CheckIn,
            },
            balance_after: 42,
        };
        assert_eq!(
            serde_json::to_value(&entry).unwrap(),
            serde_json::json!({
                "seq": 3, "at": 1_772_380_800_000_i64, "delta": 5,
                "cause": "checkin:2026-03-02",
                "reason": {"kind": "action", "action": "check_in"},
                "balance_after": 42
            })
        );
    }

    #[test]
    fn the_account_round_trips_through_json() {
        let rules = PointRules::default();
        let mut account = PointsAccount::new();
        account
            .award(
                &rules,
                rules.award(Action::Post, cause("post:p1")),
                None,
                SHANGHAI_MIDNIGHT,
                tz(),
            )
            .unwrap();
        let json = serde_json::to_string(&account).unwrap();
        assert_eq!(
            serde_json::from_str::<PointsAccount>(&json).unwrap(),
            account
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        Award {
            action: usize,
            cause: u8,
            minutes: u32,
        },
        Adjust(i32),
        Redeem(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..Action::ALL.len(), 0u8..30, 0u32..600)
                .prop_map(|(action, cause, minutes)| Op::Award { action, cause, minutes }),
            1 => (-300i32..300).prop_filter("not zero", |d| *d != 0).prop_map(Op::Adjust),
            2 => (0usize..2).prop_map(Op::Redeem),
        ]
    }

    proptest! {
        #[test]
        fn balance_always_equals_the_ledger_sum_and_nothing_goes_negative(
            ops in proptest::collection::vec(op(), 0..120)
        ) {
            let rules = PointRules {
                post: ActionRule::of(10, Some(25)),
                ..PointRules::default()
            };
            let mut account = PointsAccount::new();
            let mut records: HashMap<CauseKey, CauseRecord> = HashMap::new();
            let mut ledger: Vec<LedgerEntry> = Vec::new();
            let stocks = [Some(3u32), None];
            let mut rewards = [reward(40, stocks[0]), reward(15, stocks[1])];
            let mut redeemed = [0u32; 2];
            let mut earned_per_day: HashMap<(NaiveDate, Action), i64> = HashMap::new();
            let mut now = SHANGHAI_MIDNIGHT;
            for op in ops {
                let before = account.clone();
                match op {
                    Op::Award { action, cause: c, minutes } => {
                        now = now.plus_millis(i64::from(minutes) * Timestamp::MINUTE);
                        let action = Action::ALL[action];
                        let key = CauseKey::new("x", &c.to_string()).unwrap();
                        let seen = records.contains_key(&key);
                        let out = award_via(&mut account, &mut records, &rules, rules.award(action, key), now);
                        prop_assert_eq!(seen, !out.changed());
                        if let AwardOutcome::Applied { entry, .. } = out {
                            let day = now.local_day(tz()).unwrap();
                            *earned_per_day.entry((day, action)).or_default() += entry.delta;
                            ledger.push(entry);
                        }
                    }
                    Op::Adjust(delta) => match account.adjust(adjustment(delta), now) {
                        Ok(entry) => ledger.push(entry),
                        Err(_) => {
                            prop_assert!(i64::from(delta) + i64::try_from(before.balance()).unwrap() < 0);
                            prop_assert_eq!(&account, &before);
                        }
                    },
                    Op::Redeem(i) => {
                        let reward_before = rewards[i].clone();
                        match account.redeem(&mut rewards[i], now) {
                            Ok(done) => {
                                redeemed[i] += 1;
                                ledger.push(done.entry);
                            }
                            Err(_) => {
                                prop_assert_eq!(&account, &before);
                                prop_assert_eq!(&rewards[i], &reward_before);
                            }
                        }
                    }
                }
                let sum: i64 = ledger.iter().map(|e| e.delta).sum();
                prop_assert!(sum >= 0);
                prop_assert_eq!(i64::try_from(account.balance()).unwrap(), sum);
                prop_assert_eq!(account.next_seq(), ledger.len() as u64);
            }
            // Sequence numbers have no gaps and each entry's balance_after is the running sum.
            let mut running = 0i64;
            for (i, entry) in ledger.iter().enumerate() {
                running += entry.delta;
                prop_assert_eq!(entry.seq, i as u64);
                prop_assert_eq!(i64::try_from(entry.balance_after).unwrap(), running);
            }
            // Stock only ever went down by what was redeemed.
            for i in 0..2 {
                if let Some(initial) = stocks[i] {
                    prop_assert_eq!(rewards[i].stock, Some(initial - redeemed[i]));
                }
            }
            // No action earned more than its cap on any local day.
            for ((_, action), earned) in earned_per_day {
                if let Some(cap) = rules.rule(action).daily_cap {
                    prop_assert!(earned <= i64::from(cap.get()));
                }
            }
        }
    }
}
