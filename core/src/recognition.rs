//! Levels, badges, titles and leaderboards.
//!
//! # Aggregates and the storage keys they are meant for
//!
//! | aggregate | key | size |
//! | --- | --- | --- |
//! | [`RecognitionRules`] (level ladder, badge catalogue) | `rules/recognition` | one per community |
//! | [`MemberStats`] (the counters badge rules read) | `member/{member_id}/stats` | constant |
//! | [`MemberBadges`] (badges held, chosen title) | `member/{member_id}/badges` | one line per badge held |
//! | [`BoardEntry`] | `board/{period_key}/{member_id}` | one per member per period |
//! | its points-ordered index key (`app::points::board_index`) | `board-rank/{period_key}/{inverted points}/{reached at}/{member_id}` | one per member per period |
//! | the index's marker and totals | `board-rank/{period_key}` | one per period |
//!
//! Period keys are `2026-W09` (ISO week), `2026-03` (month) and `all`, each computed in the
//! community's time zone ([`PeriodKey::current`]). A points award adds its gain to the
//! member's three current entries; reading a board lists the top of its index, in the order
//! [`rank`] gives (or, before the period's index is complete, lists `board/{period_key}/` and
//! ranks the entries with [`rank`]).
//!
//! After every change to a member's stats the application layer calls [`recognise`] with the
//! stats before and after; the [`Recognition`] it returns (a level-up, new badges) is what a
//! notifications layer tells the member.

use std::cmp::Ordering;
use std::fmt;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::community::{Locale, TimeZone};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BoundedText, MemberId, ParseError, bounded_u32, short_id, string_newtype};
use crate::points::StaffName;
use crate::time::{DateOutOfRange, Timestamp};

pub type LevelName = BoundedText<1, 24>;
pub type PerkText = BoundedText<1, 80>;
pub type BadgeName = BoundedText<1, 40>;

/// A name in both languages the widget speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Names<T> {
    pub zh_cn: T,
    pub en: T,
}

impl<T: fmt::Display> Names<T> {
    pub fn get(&self, locale: Locale) -> String {
        match locale {
            Locale::ZhCn => self.zh_cn.to_string(),
            Locale::En => self.en.to_string(),
        }
    }

    fn to_strings(&self) -> Names<String> {
        Names {
            zh_cn: self.zh_cn.to_string(),
            en: self.en.to_string(),
        }
    }
}

// ---- levels ----

/// One rung of the ladder: reached with `threshold` earned points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub threshold: u64,
    pub names: Names<LevelName>,
    #[serde(default)]
    pub perks: Vec<PerkText>,
}

/// The levels, 1 to 20 of them: the first at 0 points, thresholds strictly increasing.
/// Level numbers start at 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "Vec<Level>", into = "Vec<Level>")]
pub struct LevelLadder(Vec<Level>);

impl LevelLadder {
    pub const MAX_LEVELS: usize = 20;
    pub const MAX_PERKS: usize = 10;

    pub fn new(levels: Vec<Level>) -> Result<Self, ParseError> {
        let invalid = |why| ParseError::Invalid {
            what: "the level ladder",
            why,
        };
        if levels.is_empty() || levels.len() > Self::MAX_LEVELS {
            return Err(invalid("it needs 1 to 20 levels"));
        }
        if levels.first().is_some_and(|l| l.threshold != 0) {
            return Err(invalid("the first level starts at 0 points"));
        }
        if levels.windows(2).any(|w| w[0].threshold >= w[1].threshold) {
            return Err(invalid("each level needs more points than the one before"));
        }
        if levels.iter().any(|l| l.perks.len() > Self::MAX_PERKS) {
            return Err(invalid("at most 10 perks per level"));
        }
        Ok(Self(levels))
    }

    pub fn levels(&self) -> &[Level] {
        &self.0
    }

    /// The level (1-based) a member with `points` earned points has reached.
    pub fn level_for(&self, points: u64) -> u8 {
        let reached = self.0.iter().take_while(|l| l.threshold <= points).count();
        u8::try_from(reached.max(1)).unwrap_or(u8::MAX)
    }

    fn level(&self, number: u8) -> Option<&Level> {
        self.0.get(usize::from(number).checked_sub(1)?)
    }

    /// Where `points` stand: the level, and how far to the next.
    pub fn progress(&self, points: u64) -> LevelProgress {
        let number = self.level_for(points);
        let current = self.level(number);
        let floor = current.map_or(0, |l| l.threshold);
        let next = self.level(number.saturating_add(1)).map(|next| NextLevel {
            level: number + 1,
            names: next.names.to_strings(),
            threshold: next.threshold,
            points_to_go: next.threshold - points,
        });
        let percent = match &next {
            Some(n) => {
                let span = n.threshold - floor;
                let done = points - floor;
                u8::try_from(u128::from(done) * 100 / u128::from(span)).unwrap_or(100)
            }
            None => 100,
        };
        LevelProgress {
            level: number,
            names: current.map_or_else(Names::default_strings, |l| l.names.to_strings()),
            perks: current.map_or_else(Vec::new, |l| {
                l.perks.iter().map(ToString::to_string).collect()
            }),
            points,
            threshold: floor,
            next,
            percent,
        }
    }

    /// The level-up, if going from `before` to `after` earned points crosses a threshold.
    pub fn level_up(&self, before: u64, after: u64) -> Option<LevelUp> {
        let from = self.level_for(before);
        let to = self.level_for(after);
        if to <= from {
            return None;
        }
        let level = self.level(to)?;
        Some(LevelUp {
            from,
            to,
            names: level.names.to_strings(),
            perks: level.perks.iter().map(ToString::to_string).collect(),
        })
    }
}

impl Names<String> {
    fn default_strings() -> Self {
        Self {
            zh_cn: String::new(),
            en: String::new(),
        }
    }
}

impl Default for LevelLadder {
    /// Lv1 新手 Newcomer 0, Lv2 活跃 Regular 100, Lv3 达人 Enthusiast 300,
    /// Lv4 骨干 Core member 800, Lv5 元老 Veteran 2000.
    fn default() -> Self {
        let rungs: [(u64, &str, &str, &[&str]); 5] = [
            (0, "新手", "Newcomer", &[]),
            (100, "活跃", "Regular", &["Custom avatar frame"]),
            (
                300,
                "达人",
                "Enthusiast",
                &["Post images", "1 make-up card a month"],
            ),
            (
                800,
                "骨干",
                "Core member",
                &["Early event sign-up", "2 make-up cards a month"],
            ),
            (
                2000,
                "元老",
                "Veteran",
                &["Veteran title", "Invitations to offline events"],
            ),
        ];
        let levels = rungs
            .iter()
            .filter_map(|&(threshold, zh, en, perks)| {
                Some(Level {
                    threshold,
                    names: Names {
                        zh_cn: LevelName::parse(zh).ok()?,
                        en: LevelName::parse(en).ok()?,
                    },
                    perks: perks
                        .iter()
                        .filter_map(|p| PerkText::parse(p).ok())
                        .collect(),
                })
            })
            .collect();
        Self(levels)
    }
}

impl TryFrom<Vec<Level>> for LevelLadder {
    type Error = ParseError;
    fn try_from(v: Vec<Level>) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<LevelLadder> for Vec<Level> {
    fn from(l: LevelLadder) -> Self {
        l.0
    }
}

// ---- member counters ----

/// The counters badge rules read, stored at `member/{member_id}/stats`. The application layer
/// updates them with [`MemberStats::record`] in the same batch as the action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberStats {
    pub posts: u32,
    pub replies: u32,
    pub reactions_received: u32,
    pub accepted_answers: u32,
    pub events_attended: u32,
    pub checkin_days: u32,
    pub longest_streak: u32,
    /// Points earned (awards and adjustments, not reduced by spending): levels use this.
    pub points_earned: u64,
}

/// Something that moves a member's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    Posted,
    Replied,
    ReactionReceived,
    AnswerAccepted,
    EventAttended,
    /// After a check-in or make-up: the check-in state's totals.
    CheckedIn {
        total_days: u32,
        longest_streak: u32,
    },
    /// After a ledger change: the account's `earned`.
    PointsEarned {
        total: u64,
    },
}

impl MemberStats {
    pub fn record(&mut self, activity: Activity) {
        let bump = |n: &mut u32| *n = n.saturating_add(1);
        match activity {
            Activity::Posted => bump(&mut self.posts),
            Activity::Replied => bump(&mut self.replies),
            Activity::ReactionReceived => bump(&mut self.reactions_received),
            Activity::AnswerAccepted => bump(&mut self.accepted_answers),
            Activity::EventAttended => bump(&mut self.events_attended),
            Activity::CheckedIn {
                total_days,
                longest_streak,
            } => {
                self.checkin_days = self.checkin_days.max(total_days);
                self.longest_streak = self.longest_streak.max(longest_streak);
            }
            Activity::PointsEarned { total } => self.points_earned = total,
        }
    }
}

// ---- badges ----

short_id!(
    /// A badge in the community's catalogue (`first_post`, `streak_30`, `vip`).
    BadgeId,
    "a badge id",
    HyphensAndUnderscores
);

bounded_u32!(
    /// How many of something a badge rule asks for: 1–1,000,000.
    Count,
    1,
    1_000_000,
    "the count",
    "must be between 1 and 1000000"
);

/// When a badge is earned automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BadgeRule {
    FirstPost,
    Posts {
        count: Count,
    },
    Replies {
        count: Count,
    },
    ReactionsReceived {
        count: Count,
    },
    AcceptedAnswers {
        count: Count,
    },
    EventsAttended {
        count: Count,
    },
    /// A check-in streak of this many days (the longest ever counts).
    Streak {
        days: Count,
    },
    CheckinDays {
        days: Count,
    },
    PointsEarned {
        points: Count,
    },
}

impl BadgeRule {
    pub fn is_met_by(self, stats: &MemberStats) -> bool {
        match self {
            Self::FirstPost => stats.posts >= 1,
            Self::Posts { count } => stats.posts >= count.get(),
            Self::Replies { count } => stats.replies >= count.get(),
            Self::ReactionsReceived { count } => stats.reactions_received >= count.get(),
            Self::AcceptedAnswers { count } => stats.accepted_answers >= count.get(),
            Self::EventsAttended { count } => stats.events_attended >= count.get(),
            Self::Streak { days } => stats.longest_streak >= days.get(),
            Self::CheckinDays { days } => stats.checkin_days >= days.get(),
            Self::PointsEarned { points } => stats.points_earned >= u64::from(points.get()),
        }
    }
}

/// How a badge is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum BadgeAward {
    /// Earned when the rule is met.
    Automatic { rule: BadgeRule },
    /// Only staff grant it (VIP, contributor, moderator).
    Staff,
}

/// A badge in the catalogue. A badge marked `title` may be shown beside the member's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BadgeDef {
    pub id: BadgeId,
    pub names: Names<BadgeName>,
    pub award: BadgeAward,
    #[serde(default)]
    pub title: bool,
}

/// The community's badges: at most 100, ids unique.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<BadgeDef>", into = "Vec<BadgeDef>")]
pub struct BadgeCatalogue(Vec<BadgeDef>);

impl BadgeCatalogue {
    pub const MAX: usize = 100;

    pub fn new(badges: Vec<BadgeDef>) -> Result<Self, ParseError> {
        if badges.len() > Self::MAX {
            return Err(ParseError::Invalid {
                what: "the badge catalogue",
                why: "at most 100 badges",
            });
        }
        let mut ids: Vec<&BadgeId> = badges.iter().map(|b| &b.id).collect();
        ids.sort();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(ParseError::Invalid {
                what: "the badge catalogue",
                why: "each badge id may appear once",
            });
        }
        Ok(Self(badges))
    }

    pub fn badges(&self) -> &[BadgeDef] {
        &self.0
    }

    pub fn get(&self, id: &BadgeId) -> Option<&BadgeDef> {
        self.0.iter().find(|b| &b.id == id)
    }
}

impl Default for BadgeCatalogue {
    fn default() -> Self {
        let count = |n| Count::new(n).unwrap_or(Count(1));
        let defs: [(&str, &str, &str, Option<BadgeRule>, bool); 9] = [
            (
                "first_post",
                "初次发言",
                "First post",
                Some(BadgeRule::FirstPost),
                false,
            ),
            (
                "streak_7",
                "连续签到7天",
                "7-day streak",
                Some(BadgeRule::Streak { days: count(7) }),
                false,
            ),
            (
                "streak_30",
                "连续签到30天",
                "30-day streak",
                Some(BadgeRule::Streak { days: count(30) }),
                false,
            ),
            (
                "streak_100",
                "连续签到100天",
                "100-day streak",
                Some(BadgeRule::Streak { days: count(100) }),
                true,
            ),
            (
                "helpful_10",
                "热心解答",
                "Helpful",
                Some(BadgeRule::AcceptedAnswers { count: count(10) }),
                true,
            ),
            (
                "event_regular",
                "活动常客",
                "Event regular",
                Some(BadgeRule::EventsAttended { count: count(3) }),
                false,
            ),
            ("vip", "VIP", "VIP", None, true),
            ("contributor", "贡献者", "Contributor", None, true),
            ("moderator", "版主", "Moderator", None, true),
        ];
        Self(
            defs.iter()
                .filter_map(|&(id, zh, en, rule, title)| {
                    Some(BadgeDef {
                        id: BadgeId::parse(id).ok()?,
                        names: Names {
                            zh_cn: BadgeName::parse(zh).ok()?,
                            en: BadgeName::parse(en).ok()?,
                        },
                        award: rule
                            .map_or(BadgeAward::Staff, |rule| BadgeAward::Automatic { rule }),
                        title,
                    })
                })
                .collect(),
        )
    }
}

impl TryFrom<Vec<BadgeDef>> for BadgeCatalogue {
    type Error = ParseError;
    fn try_from(v: Vec<BadgeDef>) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<BadgeCatalogue> for Vec<BadgeDef> {
    fn from(c: BadgeCatalogue) -> Self {
        c.0
    }
}

/// A badge a member holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldBadge {
    pub id: BadgeId,
    pub at: Timestamp,
    /// Who granted it; `None` when earned by a rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_by: Option<StaffName>,
}

/// One member's badges, stored at `member/{member_id}/badges`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberBadges {
    #[serde(default)]
    held: Vec<HeldBadge>,
    /// Automatic badges staff revoked: rules do not give them back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    withheld: Vec<BadgeId>,
    #[serde(default)]
    title: Option<BadgeId>,
}

/// A badge just earned or granted: for the notification and the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BadgeEarned {
    pub id: BadgeId,
    pub names: Names<String>,
    pub title: bool,
    pub at: Timestamp,
    pub granted: bool,
}

impl BadgeEarned {
    fn new(def: &BadgeDef, at: Timestamp, granted: bool) -> Self {
        Self {
            id: def.id.clone(),
            names: def.names.to_strings(),
            title: def.title,
            at,
            granted,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantBadgeError {
    #[error("there is no badge `{0}`")]
    UnknownBadge(BadgeId),
    #[error("the member already holds `{0}`")]
    AlreadyHeld(BadgeId),
}

impl From<GrantBadgeError> for ApiError {
    fn from(e: GrantBadgeError) -> Self {
        let code = match e {
            GrantBadgeError::UnknownBadge(_) => ErrorCode::NotFound,
            GrantBadgeError::AlreadyHeld(_) => ErrorCode::Conflict,
        };
        ApiError::new(code, e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevokeBadgeError {
    #[error("the member does not hold `{0}`")]
    NotHeld(BadgeId),
}

impl From<RevokeBadgeError> for ApiError {
    fn from(e: RevokeBadgeError) -> Self {
        ApiError::new(ErrorCode::NotFound, e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChooseTitleError {
    #[error("the member does not hold `{0}`")]
    NotHeld(BadgeId),
    #[error("`{0}` is not a title")]
    NotATitle(BadgeId),
}

impl From<ChooseTitleError> for ApiError {
    fn from(e: ChooseTitleError) -> Self {
        let code = match e {
            ChooseTitleError::NotHeld(_) => ErrorCode::Forbidden,
            ChooseTitleError::NotATitle(_) => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

impl MemberBadges {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn held(&self) -> &[HeldBadge] {
        &self.held
    }

    pub fn holds(&self, id: &BadgeId) -> bool {
        self.held.iter().any(|h| &h.id == id)
    }

    pub fn title(&self) -> Option<&BadgeId> {
        self.title.as_ref()
    }

    /// Gives every automatic badge whose rule `stats` meet and that the member does not hold
    /// yet; returns those, so each is reported exactly once.
    pub fn evaluate(
        &mut self,
        catalogue: &BadgeCatalogue,
        stats: &MemberStats,
        now: Timestamp,
    ) -> Vec<BadgeEarned> {
        let mut earned = Vec::new();
        for def in catalogue.badges() {
            let BadgeAward::Automatic { rule } = def.award else {
                continue;
            };
            if rule.is_met_by(stats) && !self.holds(&def.id) && !self.withheld.contains(&def.id) {
                self.held.push(HeldBadge {
                    id: def.id.clone(),
                    at: now,
                    granted_by: None,
                });
                earned.push(BadgeEarned::new(def, now, false));
            }
        }
        earned
    }

    /// Staff give a badge (any badge in the catalogue, automatic ones too).
    pub fn grant(
        &mut self,
        catalogue: &BadgeCatalogue,
        id: &BadgeId,
        by: StaffName,
        now: Timestamp,
    ) -> Result<BadgeEarned, GrantBadgeError> {
        let def = catalogue
            .get(id)
            .ok_or_else(|| GrantBadgeError::UnknownBadge(id.clone()))?;
        if self.holds(id) {
            return Err(GrantBadgeError::AlreadyHeld(id.clone()));
        }
        self.withheld.retain(|w| w != id);
        self.held.push(HeldBadge {
            id: id.clone(),
            at: now,
            granted_by: Some(by),
        });
        Ok(BadgeEarned::new(def, now, true))
    }

    /// Staff take a badge away. An automatic one is withheld so rules do not give it back
    /// (until staff grant it again). A revoked title is no longer shown.
    pub fn revoke(
        &mut self,
        catalogue: &BadgeCatalogue,
        id: &BadgeId,
    ) -> Result<(), RevokeBadgeError> {
        if !self.holds(id) {
            return Err(RevokeBadgeError::NotHeld(id.clone()));
        }
        self.held.retain(|h| &h.id != id);
        let automatic = catalogue
            .get(id)
            .is_some_and(|d| matches!(d.award, BadgeAward::Automatic { .. }));
        if automatic && !self.withheld.contains(id) {
            self.withheld.push(id.clone());
        }
        if self.title.as_ref() == Some(id) {
            self.title = None;
        }
        Ok(())
    }

    /// The member picks which held title to show, or none.
    pub fn choose_title(
        &mut self,
        catalogue: &BadgeCatalogue,
        id: Option<BadgeId>,
    ) -> Result<(), ChooseTitleError> {
        if let Some(id) = &id {
            if !self.holds(id) {
                return Err(ChooseTitleError::NotHeld(id.clone()));
            }
            if !catalogue.get(id).is_some_and(|d| d.title) {
                return Err(ChooseTitleError::NotATitle(id.clone()));
            }
        }
        self.title = id;
        Ok(())
    }

    /// The badges as the member sees them, in the order earned. Badges no longer in the
    /// catalogue are left out.
    pub fn views(&self, catalogue: &BadgeCatalogue) -> Vec<BadgeView> {
        self.held
            .iter()
            .filter_map(|h| {
                let def = catalogue.get(&h.id)?;
                Some(BadgeView {
                    id: h.id.clone(),
                    names: def.names.to_strings(),
                    title: def.title,
                    shown_as_title: self.title.as_ref() == Some(&h.id),
                    at: h.at,
                    granted: h.granted_by.is_some(),
                })
            })
            .collect()
    }
}

// ---- recognition after a change ----

/// The community's recognition rules, stored at `rules/recognition`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecognitionRules {
    pub levels: LevelLadder,
    pub badges: BadgeCatalogue,
}

/// What to tell the member after a change: a level-up and badges just earned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognition {
    pub level_up: Option<LevelUp>,
    pub badges: Vec<BadgeEarned>,
}

impl Recognition {
    pub fn is_empty(&self) -> bool {
        self.level_up.is_none() && self.badges.is_empty()
    }
}

/// Compares a member's stats before and after a change: reports a level-up (from
/// `points_earned`) and gives the automatic badges now due, each exactly once.
pub fn recognise(
    rules: &RecognitionRules,
    before: &MemberStats,
    after: &MemberStats,
    badges: &mut MemberBadges,
    now: Timestamp,
) -> Recognition {
    Recognition {
        level_up: rules
            .levels
            .level_up(before.points_earned, after.points_earned),
        badges: badges.evaluate(&rules.badges, after, now),
    }
}

// ---- leaderboards ----

/// Which leaderboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    Month,
    AllTime,
}

string_newtype! {
    /// A leaderboard period: `2026-W09` (ISO week), `2026-03` (month) or `all`.
    #[derive(PartialOrd, Ord)]
    pub struct PeriodKey;
}

impl PeriodKey {
    pub fn all_time() -> Self {
        Self("all".to_owned())
    }

    /// The key of `period` that contains `now`, in the community's time zone.
    pub fn of(period: Period, now: Timestamp, tz: TimeZone) -> Result<Self, DateOutOfRange> {
        let day = now.local_day(tz)?;
        Ok(match period {
            Period::Week => {
                let week = day.iso_week();
                Self(format!("{:04}-W{:02}", week.year(), week.week()))
            }
            Period::Month => Self(format!("{:04}-{:02}", day.year(), day.month())),
            Period::AllTime => Self::all_time(),
        })
    }

    /// This week's, this month's and the all-time key: where an award is counted.
    pub fn current(now: Timestamp, tz: TimeZone) -> Result<[Self; 3], DateOutOfRange> {
        Ok([
            Self::of(Period::Week, now, tz)?,
            Self::of(Period::Month, now, tz)?,
            Self::all_time(),
        ])
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let ok = raw == "all"
            || match raw.split_once('-') {
                Some((y, rest)) if y.len() == 4 && digits(y) => match rest.strip_prefix('W') {
                    Some(w) => {
                        w.len() == 2 && digits(w) && (1..=53).contains(&w.parse().unwrap_or(0))
                    }
                    None => {
                        rest.len() == 2
                            && digits(rest)
                            && (1..=12).contains(&rest.parse().unwrap_or(0))
                    }
                },
                _ => false,
            };
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ParseError::Invalid {
                what: "the period",
                why: "use 2026-W09, 2026-03 or all",
            })
        }
    }
}

/// A member's points in one period, stored at `board/{period_key}/{member_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardEntry {
    pub member: MemberId,
    pub points: u64,
    /// When the member reached `points`: of two equal scores, the earlier ranks first.
    pub reached_at: Timestamp,
}

impl BoardEntry {
    /// Adds `points` gained at `at` to `entry` (a new entry if `None`). Gaining nothing
    /// changes nothing, so the time the score was reached stays put.
    pub fn add(entry: Option<Self>, member: &MemberId, points: u64, at: Timestamp) -> Option<Self> {
        match entry {
            Some(e) if points == 0 => Some(e),
            Some(e) => Some(Self {
                points: e.points.saturating_add(points),
                reached_at: at,
                ..e
            }),
            None if points == 0 => None,
            None => Some(Self {
                member: member.clone(),
                points,
                reached_at: at,
            }),
        }
    }
}

/// One row of a leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardRow {
    /// 1-based; equal points share a rank (1, 1, 3).
    pub rank: u32,
    pub member_id: MemberId,
    pub points: u64,
}

/// `GET …/leaderboards/{period_key}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboard {
    pub period: PeriodKey,
    pub rows: Vec<LeaderboardRow>,
}

fn board_order(a: &BoardEntry, b: &BoardEntry) -> Ordering {
    b.points
        .cmp(&a.points)
        .then(a.reached_at.cmp(&b.reached_at))
        .then_with(|| a.member.cmp(&b.member))
}

/// The top `limit` rows: most points first; equal points share a rank and are listed by
/// who reached the score first (then by member id, so the order is total). Entries with no
/// points are left out.
pub fn rank(mut entries: Vec<BoardEntry>, limit: usize) -> Vec<LeaderboardRow> {
    entries.retain(|e| e.points > 0);
    entries.sort_by(board_order);
    let mut rows: Vec<LeaderboardRow> = Vec::with_capacity(entries.len().min(limit));
    for (i, e) in entries.into_iter().take(limit).enumerate() {
        let rank = match rows.last() {
            Some(prev) if prev.points == e.points => prev.rank,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        rows.push(LeaderboardRow {
            rank,
            member_id: e.member,
            points: e.points,
        });
    }
    rows
}

// ---- wire types ----

/// The next level and what it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextLevel {
    pub level: u8,
    pub names: Names<String>,
    pub threshold: u64,
    pub points_to_go: u64,
}

/// `GET …/me/level`: the member's level and progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelProgress {
    pub level: u8,
    pub names: Names<String>,
    pub perks: Vec<String>,
    /// Points earned so far.
    pub points: u64,
    /// The points this level starts at.
    pub threshold: u64,
    /// `None` at the top level.
    pub next: Option<NextLevel>,
    /// 0–100 of the way from this level to the next (100 at the top).
    pub percent: u8,
}

/// A level reached: for the notification and the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelUp {
    pub from: u8,
    pub to: u8,
    pub names: Names<String>,
    pub perks: Vec<String>,
}

/// A badge as the member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BadgeView {
    pub id: BadgeId,
    pub names: Names<String>,
    /// Can be shown as a title.
    pub title: bool,
    /// Is the title the member chose to show.
    pub shown_as_title: bool,
    pub at: Timestamp,
    pub granted: bool,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NOW: Timestamp = Timestamp(1_772_380_800_000); // 2026-03-02 00:00 Shanghai

    fn id(raw: &str) -> BadgeId {
        BadgeId::parse(raw).unwrap()
    }

    fn member(raw: &str) -> MemberId {
        MemberId::parse(raw).unwrap()
    }

    fn staff() -> StaffName {
        StaffName::parse("ops@brand").unwrap()
    }

    fn tz(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    #[test]
    fn the_default_ladder_table() {
        let ladder = LevelLadder::default();
        let cases: &[(u64, u8, &str, Option<u64>)] = &[
            (0, 1, "新手", Some(100)),
            (99, 1, "新手", Some(1)),
            (100, 2, "活跃", Some(200)),
            (299, 2, "活跃", Some(1)),
            (300, 3, "达人", Some(500)),
            (800, 4, "骨干", Some(1200)),
            (1999, 4, "骨干", Some(1)),
            (2000, 5, "元老", None),
            (u64::MAX, 5, "元老", None),
        ];
        for &(points, level, zh, to_go) in cases {
            let p = ladder.progress(points);
            assert_eq!(ladder.level_for(points), level, "{points}");
            assert_eq!(p.level, level, "{points}");
            assert_eq!(p.names.zh_cn, zh, "{points}");
            assert_eq!(p.next.map(|n| n.points_to_go), to_go, "{points}");
        }
        assert_eq!(ladder.progress(200).percent, 50);
        assert_eq!(ladder.progress(5000).percent, 100);
        assert_eq!(ladder.progress(0).names.en, "Newcomer");
    }

    #[test]
    fn ladders_must_start_at_zero_and_climb() {
        let level =
            |t: u64| serde_json::json!({"threshold": t, "names": {"zh_cn": "级", "en": "Lv"}});
        let good = serde_json::json!([level(0), level(10), level(20)]);
        assert!(serde_json::from_value::<LevelLadder>(good).is_ok());
        let bad = [
            serde_json::json!([]),
            serde_json::json!([level(5), level(10)]),
            serde_json::json!([level(0), level(10), level(10)]),
            serde_json::json!([level(0), level(10), level(5)]),
        ];
        for json in bad {
            assert!(
                serde_json::from_value::<LevelLadder>(json.clone()).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn a_level_up_is_reported_when_a_threshold_is_crossed_even_by_several_levels() {
        let ladder = LevelLadder::default();
        assert_eq!(ladder.level_up(90, 99), None);
        assert_eq!(ladder.level_up(100, 150), None);
        assert_eq!(ladder.level_up(150, 100), None);
        let up = ladder.level_up(95, 105).unwrap();
        assert_eq!((up.from, up.to, up.names.en.as_str()), (1, 2, "Regular"));
        let jump = ladder.level_up(0, 900).unwrap();
        assert_eq!((jump.from, jump.to), (1, 4));
        assert!(!jump.perks.is_empty());
    }

    #[test]
    fn automatic_badges_are_earned_exactly_once() {
        let catalogue = BadgeCatalogue::default();
        let mut badges = MemberBadges::new();
        let mut stats = MemberStats::default();
        assert!(badges.evaluate(&catalogue, &stats, NOW).is_empty());
        stats.record(Activity::Posted);
        let first = badges.evaluate(&catalogue, &stats, NOW);
        assert_eq!(
            first.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
            ["first_post"]
        );
        assert!(!first[0].granted);
        stats.record(Activity::Posted);
        assert!(badges.evaluate(&catalogue, &stats, NOW).is_empty());
    }

    #[test]
    fn badge_rules_table() {
        let base = MemberStats::default();
        let with = |f: fn(&mut MemberStats)| {
            let mut s = base.clone();
            f(&mut s);
            s
        };
        let cases: Vec<(MemberStats, Vec<&str>)> = vec![
            (base.clone(), vec![]),
            (with(|s| s.posts = 1), vec!["first_post"]),
            (with(|s| s.longest_streak = 7), vec!["streak_7"]),
            (
                with(|s| s.longest_streak = 30),
                vec!["streak_7", "streak_30"],
            ),
            (
                with(|s| s.longest_streak = 100),
                vec!["streak_7", "streak_30", "streak_100"],
            ),
            (with(|s| s.accepted_answers = 9), vec![]),
            (with(|s| s.accepted_answers = 10), vec!["helpful_10"]),
            (with(|s| s.events_attended = 3), vec!["event_regular"]),
        ];
        let catalogue = BadgeCatalogue::default();
        for (stats, want) in cases {
            let mut badges = MemberBadges::new();
            let got: Vec<String> = badges
                .evaluate(&catalogue, &stats, NOW)
                .into_iter()
                .map(|b| b.id.to_string())
                .collect();
            assert_eq!(got, want, "{stats:?}");
        }
    }

    #[test]
    fn staff_grant_and_revoke_badges_and_a_revoked_automatic_badge_stays_away() {
        let catalogue = BadgeCatalogue::default();
        let mut badges = MemberBadges::new();
        let vip = badges.grant(&catalogue, &id("vip"), staff(), NOW).unwrap();
        assert!(vip.granted && vip.title);
        let err = badges
            .grant(&catalogue, &id("vip"), staff(), NOW)
            .unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::Conflict);
        let err = badges
            .grant(&catalogue, &id("nope"), staff(), NOW)
            .unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::NotFound);

        let stats = MemberStats {
            posts: 1,
            ..MemberStats::default()
        };
        assert_eq!(badges.evaluate(&catalogue, &stats, NOW).len(), 1);
        badges.revoke(&catalogue, &id("first_post")).unwrap();
        assert!(
            badges.evaluate(&catalogue, &stats, NOW).is_empty(),
            "withheld"
        );
        badges
            .grant(&catalogue, &id("first_post"), staff(), NOW)
            .unwrap();
        assert!(badges.holds(&id("first_post")));
        let err = badges.revoke(&catalogue, &id("moderator")).unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::NotFound);
    }

    #[test]
    fn only_a_held_title_badge_can_be_shown_as_title() {
        let catalogue = BadgeCatalogue::default();
        let mut badges = MemberBadges::new();
        let err = badges
            .choose_title(&catalogue, Some(id("vip")))
            .unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::Forbidden);
        badges.grant(&catalogue, &id("vip"), staff(), NOW).unwrap();
        badges
            .grant(&catalogue, &id("first_post"), staff(), NOW)
            .unwrap();
        let err = badges
            .choose_title(&catalogue, Some(id("first_post")))
            .unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::InvalidInput);
        badges.choose_title(&catalogue, Some(id("vip"))).unwrap();
        let views = badges.views(&catalogue);
        assert!(views.iter().any(|v| v.id == id("vip") && v.shown_as_title));
        badges.revoke(&catalogue, &id("vip")).unwrap();
        assert_eq!(badges.title(), None);
    }

    #[test]
    fn recognise_reports_a_level_up_and_new_badges_together() {
        let rules = RecognitionRules::default();
        let before = MemberStats {
            points_earned: 95,
            ..MemberStats::default()
        };
        let mut after = before.clone();
        after.record(Activity::Posted);
        after.record(Activity::PointsEarned { total: 105 });
        let mut badges = MemberBadges::new();
        let news = recognise(&rules, &before, &after, &mut badges, NOW);
        assert_eq!(news.level_up.map(|l| l.to), Some(2));
        assert_eq!(news.badges.len(), 1);
        let again = recognise(&rules, &after, &after, &mut badges, NOW);
        assert!(again.is_empty());
    }

    #[test]
    fn recognition_rules_round_trip_and_refuse_duplicate_badges() {
        let rules = RecognitionRules::default();
        let json = serde_json::to_value(&rules).unwrap();
        assert_eq!(
            json["badges"][1]["award"],
            serde_json::json!({"by": "automatic", "rule": {"kind": "streak", "days": 7}})
        );
        assert_eq!(
            serde_json::from_value::<RecognitionRules>(json).unwrap(),
            rules
        );
        let badge = serde_json::json!({"id": "x", "names": {"zh_cn": "x", "en": "x"}, "award": {"by": "staff"}});
        assert!(
            serde_json::from_value::<BadgeCatalogue>(serde_json::json!([badge, badge])).is_err()
        );
    }

    #[test]
    fn period_keys_use_the_iso_week_and_month_of_the_community_time_zone() {
        // (instant, zone, week, month)
        let cases: &[(Timestamp, &str, &str, &str)] = &[
            // 2026-03-02 00:00 in Shanghai is still Sunday 2026-03-01 in UTC/New York.
            (NOW, "Asia/Shanghai", "2026-W10", "2026-03"),
            (NOW, "America/New_York", "2026-W09", "2026-03"),
            (NOW.plus_millis(-1), "Asia/Shanghai", "2026-W09", "2026-03"),
            // 2026-01-01 is a Thursday: ISO week 1 of 2026; 2027-01-01 (Fri) is in 2026-W53.
            (
                Timestamp(1_767_225_600_000),
                "Europe/Berlin",
                "2026-W01",
                "2026-01",
            ),
            (
                Timestamp(1_798_761_600_000),
                "Europe/Berlin",
                "2026-W53",
                "2027-01",
            ),
        ];
        for &(t, zone, week, month) in cases {
            let [w, m, all] = PeriodKey::current(t, tz(zone)).unwrap();
            assert_eq!(
                (w.as_str(), m.as_str(), all.as_str()),
                (week, month, "all"),
                "{t:?} {zone}"
            );
            assert!(PeriodKey::parse(week).is_ok());
            assert!(PeriodKey::parse(month).is_ok());
        }
        for bad in [
            "2026-W54", "2026-W00", "2026-13", "2026", "ALL", "2026-W9", "board/x",
        ] {
            assert!(PeriodKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn leaderboard_ties_share_a_rank_and_the_earlier_reach_comes_first() {
        let e = |m: &str, points: u64, at: i64| BoardEntry {
            member: member(m),
            points,
            reached_at: Timestamp(at),
        };
        let rows = rank(
            vec![
                e("dora", 30, 5),
                e("ann", 50, 9),
                e("cat", 30, 1),
                e("bob", 50, 2),
                e("eve", 10, 0),
                e("zed", 0, 0),
            ],
            10,
        );
        let got: Vec<(u32, &str, u64)> = rows
            .iter()
            .map(|r| (r.rank, r.member_id.as_str(), r.points))
            .collect();
        assert_eq!(
            got,
            [
                (1, "bob", 50),
                (1, "ann", 50),
                (3, "cat", 30),
                (3, "dora", 30),
                (5, "eve", 10)
            ]
        );
        assert_eq!(rank(vec![e("a", 1, 0), e("b", 2, 0)], 1).len(), 1);
    }

    #[test]
    fn board_entries_keep_the_time_their_score_was_reached() {
        let m = member("u1");
        let e = BoardEntry::add(None, &m, 5, Timestamp(10)).unwrap();
        let e = BoardEntry::add(Some(e), &m, 0, Timestamp(20)).unwrap();
        assert_eq!((e.points, e.reached_at), (5, Timestamp(10)));
        let e = BoardEntry::add(Some(e), &m, 3, Timestamp(30)).unwrap();
        assert_eq!((e.points, e.reached_at), (8, Timestamp(30)));
        assert_eq!(BoardEntry::add(None, &m, 0, Timestamp(1)), None);
    }

    fn entries() -> impl Strategy<Value = Vec<BoardEntry>> {
        proptest::collection::vec((0u64..20, 0i64..5), 0..40).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (points, at))| BoardEntry {
                    member: MemberId::parse(&format!("m{i}")).unwrap(),
                    points,
                    reached_at: Timestamp(at),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn ranks_count_the_members_strictly_ahead(list in entries(), limit in 0usize..50) {
            let rows = rank(list.clone(), limit);
            let scored = list.iter().filter(|e| e.points > 0).count();
            prop_assert_eq!(rows.len(), scored.min(limit));
            for (i, row) in rows.iter().enumerate() {
                let ahead = list.iter().filter(|e| e.points > row.points).count();
                prop_assert_eq!(row.rank as usize, ahead + 1);
                if i > 0 {
                    let prev = &rows[i - 1];
                    prop_assert!(prev.points >= row.points);
                    prop_assert!(prev.rank <= row.rank);
                }
            }
            // Shuffling the input does not change the result.
            let mut reversed = list.clone();
            reversed.reverse();
            prop_assert_eq!(rank(reversed, limit), rows);
        }

        #[test]
        fn levels_never_go_down_as_points_grow(a in any::<u64>(), b in any::<u64>()) {
            let ladder = LevelLadder::default();
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(ladder.level_for(lo) <= ladder.level_for(hi));
            let p = ladder.progress(lo);
            prop_assert!(p.percent <= 100);
            prop_assert!(p.threshold <= lo);
            if let Some(next) = p.next {
                prop_assert!(next.points_to_go > 0);
                prop_assert_eq!(next.threshold - next.points_to_go, lo);
            }
            prop_assert_eq!(ladder.level_up(lo, hi).is_some(), ladder.level_for(hi) > ladder.level_for(lo));
        }

        #[test]
        fn a_badge_is_never_reported_twice_as_stats_grow(
            steps in proptest::collection::vec(0usize..6, 0..200)
        ) {
            let catalogue = BadgeCatalogue::default();
            let mut badges = MemberBadges::new();
            let mut stats = MemberStats::default();
            let mut reported = std::collections::BTreeSet::new();
            let mut streak = 0;
            for s in steps {
                match s {
                    0 => stats.record(Activity::Posted),
                    1 => stats.record(Activity::AnswerAccepted),
                    2 => stats.record(Activity::EventAttended),
                    3 => { streak += 1; stats.record(Activity::CheckedIn { total_days: streak, longest_streak: streak }) }
                    4 => stats.record(Activity::Replied),
                    _ => stats.record(Activity::ReactionReceived),
                }
                for b in badges.evaluate(&catalogue, &stats, NOW) {
                    prop_assert!(reported.insert(b.id), "reported twice");
                }
            }
            // Everything the stats deserve is held.
            for def in catalogue.badges() {
                if let BadgeAward::Automatic { rule } = def.award {
                    prop_assert_eq!(rule.is_met_by(&stats), badges.holds(&def.id));
                }
            }
        }
    }
}
