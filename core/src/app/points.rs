//! Points, rewards, levels, badges and leaderboards: what a member sees of their own
//! recognition, the rewards they redeem points for, and what staff tune and grant.
//!
//! The rules live in [`crate::points`] and [`crate::recognition`]; this module loads their
//! aggregates, authorises, calls them and writes one batch per command. Other use cases award
//! points through [`earn::earn`], which also moves the leaderboards and recognition.
//!
//! Storage (besides the keys of [`crate::points`] and [`super::keys`]):
//! * `rules/recognition` → [`RecognitionRules`] (level ladder and badge catalogue)
//! * `member/{id}/stats` → [`MemberStats`], `member/{id}/badges` → [`MemberBadges`]
//! * `board/{period_key}/{member}` → [`BoardEntry`]
//! * `board-rank/{period_key}/{inverted points}/{reached at}/{member}` → `null`, and the
//!   marker `board-rank/{period_key}` → the period's totals: the points-ordered index of the
//!   board, kept in the same batch as each entry ([`board_index`]); leaderboards and the
//!   contribution tiers read only its top.
//! * `reward/{reward_id}` → [`Reward`]
//!
//! Who may do what: anyone reads the catalogue, rules, levels, badges and leaderboards; a
//! member reads their own points and ledger, redeems and picks a title (not while banned);
//! the owner and admins of the community (and the operator) manage rewards, adjust points,
//! grant and revoke badges and replace the rules.

pub(crate) mod board_index;
pub(crate) mod earn;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::accounts::Role;
use crate::checkin::CheckinRules;
use crate::community::Community;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::moderation::{AuditAction, AuditEntry, AuditTarget, ModReason};
use crate::notify::{ActivityKind, NotificationKind, NotificationTarget, Notify};
use crate::points::{
    Adjustment, AdjustmentDelta, AdjustmentNote, BalanceView, Cost, LedgerEntry, LedgerPage,
    PointRules, PointsAccount, RedemptionReceipt, Reward, RewardId, RewardName, RewardView,
    StaffName, Stock, ledger_sort_key,
};
use crate::recognition::{
    BadgeCatalogue, BadgeDef, BadgeEarned, BadgeId, BadgeView, BoardEntry, LeaderboardRow,
    LevelLadder, LevelProgress, LevelUp, MemberBadges, Period, PeriodKey, RecognitionRules, rank,
};
use crate::sso::MemberName;
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;

use super::membership::{append_audit, moderator};
use super::{Actor, Change, Outcome, Reply, identity, keys, load_community};

/// Storage keys of recognition and rewards (not in [`super::keys`], which another area owns).
pub(crate) mod rkeys {
    use crate::ids::MemberId;
    use crate::points::RewardId;
    use crate::recognition::PeriodKey;

    pub const RULES_RECOGNITION: &str = "rules/recognition";
    pub const REWARD_PREFIX: &str = "reward/";

    pub fn reward(id: &RewardId) -> String {
        format!("{REWARD_PREFIX}{id}")
    }

    pub fn stats(member: &MemberId) -> String {
        format!("member/{member}/stats")
    }

    pub fn badges(member: &MemberId) -> String {
        format!("member/{member}/badges")
    }

    pub fn ledger_prefix(member: &MemberId) -> String {
        format!("member/{member}/ledger/")
    }

    pub fn board_prefix(period: &PeriodKey) -> String {
        format!("board/{period}/")
    }

    pub fn board(period: &PeriodKey, member: &MemberId) -> String {
        format!("board/{period}/{member}")
    }

    // The points-ordered index beside the board: `super::board_index::{key, prefix, marker}`.
}

/// Ledger lines per page, unless the request asks for fewer.
pub const LEDGER_PAGE: u32 = 20;
/// Rewards per page of the catalogue.
pub const REWARD_PAGE: usize = 50;
/// Leaderboard rows, unless the request asks for fewer.
pub const BOARD_ROWS: u32 = 50;
/// The most board entries one leaderboard read goes through: the members counted ahead of
/// the reader for their own row (`me` is absent when this many or more are ahead), or, on a
/// board whose index is not complete yet, the entries listed and ranked.
pub const BOARD_SCAN_MAX: usize = 20_000;
const BOARD_SCAN_PAGE: usize = 1_000;

/// Which leaderboard: the current week, month or all time, or a past period by its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Board {
    Current { period: Period },
    Past { key: PeriodKey },
}

/// `PUT …/rewards/{id}`: everything of a reward but its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RewardEdit {
    pub name: RewardName,
    pub cost: Cost,
    #[serde(default)]
    pub stock: Stock,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// The commands of this area (see [`super::Command::Points`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PointsCommand {
    /// `GET …/me/points`: balance, level and progress, badges, title.
    MyPoints,
    /// `GET …/me/points/ledger?cursor=&limit=`: the ledger, newest first.
    MyLedger {
        cursor: Option<String>,
        limit: Option<u32>,
    },
    /// `PUT …/me/title`: show a held title badge beside the member's name, or none.
    ChooseTitle { badge: Option<BadgeId> },
    /// `GET …/rewards[?cursor=]`: the catalogue as the caller sees it; staff with
    /// `include_withdrawn` get the stored rewards, withdrawn ones too.
    ListRewards {
        cursor: Option<RewardId>,
        include_withdrawn: bool,
    },
    /// `POST …/rewards`.
    CreateReward { reward: Reward },
    /// `PUT …/rewards/{id}`.
    EditReward { id: RewardId, edit: RewardEdit },
    /// `POST …/rewards/{id}/redeem`.
    Redeem { reward: RewardId },
    /// `POST …/points/adjustments`.
    Adjust {
        member: MemberId,
        delta: AdjustmentDelta,
        reason: AdjustmentNote,
    },
    /// `GET …/badges`: the catalogue.
    ListBadges,
    /// `PUT …/badges`: replace the catalogue.
    PutBadges { badges: BadgeCatalogue },
    /// `POST …/badges/{badge}/holders/{member}`.
    GrantBadge { badge: BadgeId, member: MemberId },
    /// `DELETE …/badges/{badge}/holders/{member}`.
    RevokeBadge { badge: BadgeId, member: MemberId },
    /// `GET …/points/rules`.
    GetRules,
    /// `PUT …/points/rules`: both sets replaced.
    PutRules {
        points: PointRules,
        checkin: CheckinRules,
    },
    /// `GET …/levels`.
    GetLevels,
    /// `PUT …/levels`.
    PutLevels { levels: LevelLadder },
    /// `GET …/leaderboards/{week|month|all|period key}?limit=`.
    Leaderboard { board: Board, limit: Option<u32> },
}

/// `GET …/me/points`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyPoints {
    pub member_id: MemberId,
    pub balance: BalanceView,
    pub level: LevelProgress,
    pub badges: Vec<BadgeView>,
    /// The title badge the member shows, if any.
    pub title: Option<BadgeView>,
}

/// `PUT …/me/title`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyBadges {
    pub member_id: MemberId,
    pub badges: Vec<BadgeView>,
    pub title: Option<BadgeView>,
}

/// `GET …/rewards`, as a member (or a visitor) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardList {
    pub rewards: Vec<RewardView>,
    /// The signed-in member's balance (what `affordable` was measured against).
    pub balance: Option<u64>,
    pub next_cursor: Option<RewardId>,
}

/// `GET …/rewards?include=withdrawn`, for staff: the stored rewards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardCatalogue {
    pub rewards: Vec<Reward>,
    pub next_cursor: Option<RewardId>,
}

/// `POST …/rewards/{id}/redeem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Redeemed {
    pub receipt: RedemptionReceipt,
    pub entry: LedgerEntry,
    pub balance: BalanceView,
}

/// `POST …/points/adjustments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjusted {
    pub member_id: MemberId,
    pub entry: LedgerEntry,
    pub balance: BalanceView,
    pub level_up: Option<LevelUp>,
    pub badges_earned: Vec<BadgeEarned>,
}

/// `GET/PUT …/badges`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Badges {
    pub badges: Vec<BadgeDef>,
}

/// `POST/DELETE …/badges/{badge}/holders/{member}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BadgeHolder {
    pub member_id: MemberId,
    /// The badge granted (absent on a revocation).
    pub granted: Option<BadgeEarned>,
    pub badges: Vec<BadgeView>,
}

/// `GET/PUT …/points/rules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rules {
    pub points: PointRules,
    pub checkin: CheckinRules,
}

/// `GET/PUT …/levels`: the ladder, level 1 first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Levels {
    pub levels: LevelLadder,
}

/// One row of a leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardRow {
    /// 1-based; equal points share a rank.
    pub rank: u32,
    pub member_id: MemberId,
    /// The member's name as the brand last vouched for it, if known.
    pub name: Option<MemberName>,
    pub points: u64,
}

/// `GET …/leaderboards/{period}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardView {
    pub period: PeriodKey,
    pub rows: Vec<BoardRow>,
    /// The signed-in member's own row, when they have points in this period and fewer than
    /// [`BOARD_SCAN_MAX`] members are ahead of them (their rank is not counted beyond that).
    pub me: Option<BoardRow>,
}

impl PointsCommand {
    /// Whether this spends points on a reward (switched off with the rewards feature).
    pub fn is_redemption(&self) -> bool {
        matches!(self, Self::Redeem { .. })
    }
}

/// The replies of this area; [`PointsReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum PointsReply {
    MyPoints(MyPoints),
    Ledger(LedgerPage),
    MyBadges(MyBadges),
    Rewards(RewardList),
    RewardCatalogue(RewardCatalogue),
    Reward(Reward),
    Redeemed(Redeemed),
    Adjusted(Adjusted),
    Badges(Badges),
    BadgeHolder(BadgeHolder),
    Rules(Rules),
    Levels(Levels),
    Leaderboard(LeaderboardView),
}

impl PointsReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let encoded = match self {
            Self::MyPoints(v) => serde_json::to_value(v),
            Self::Ledger(v) => serde_json::to_value(v),
            Self::MyBadges(v) => serde_json::to_value(v),
            Self::Rewards(v) => serde_json::to_value(v),
            Self::RewardCatalogue(v) => serde_json::to_value(v),
            Self::Reward(v) => serde_json::to_value(v),
            Self::Redeemed(v) => serde_json::to_value(v),
            Self::Adjusted(v) => serde_json::to_value(v),
            Self::Badges(v) => serde_json::to_value(v),
            Self::BadgeHolder(v) => serde_json::to_value(v),
            Self::Rules(v) => serde_json::to_value(v),
            Self::Levels(v) => serde_json::to_value(v),
            Self::Leaderboard(v) => serde_json::to_value(v),
        };
        encoded.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: PointsCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    let reply = match command {
        PointsCommand::MyPoints => PointsReply::MyPoints(my_points(store, slug, actor, now).await?),
        PointsCommand::MyLedger { cursor, limit } => {
            PointsReply::Ledger(my_ledger(store, slug, actor, cursor, limit, now).await?)
        }
        PointsCommand::ChooseTitle { badge } => {
            PointsReply::MyBadges(choose_title(store, slug, actor, badge, now).await?)
        }
        PointsCommand::ListRewards {
            cursor,
            include_withdrawn: true,
        } => PointsReply::RewardCatalogue(staff_rewards(store, slug, actor, cursor).await?),
        PointsCommand::ListRewards {
            cursor,
            include_withdrawn: false,
        } => PointsReply::Rewards(rewards(store, slug, actor, cursor, now).await?),
        PointsCommand::CreateReward { reward } => {
            PointsReply::Reward(create_reward(store, slug, actor, reward).await?)
        }
        PointsCommand::EditReward { id, edit } => {
            PointsReply::Reward(edit_reward(store, slug, actor, id, edit).await?)
        }
        PointsCommand::Redeem { reward } => {
            PointsReply::Redeemed(redeem(store, slug, actor, reward, now).await?)
        }
        PointsCommand::Adjust {
            member,
            delta,
            reason,
        } => PointsReply::Adjusted(adjust(store, slug, actor, member, delta, reason, now).await?),
        PointsCommand::ListBadges => {
            load_community(store, slug).await?;
            PointsReply::Badges(Badges {
                badges: recognition_rules(store).await?.badges.badges().to_vec(),
            })
        }
        PointsCommand::PutBadges { badges } => {
            require_staff(store, slug, actor).await?;
            let mut rules = recognition_rules(store).await?;
            rules.badges = badges;
            put_one(store, rkeys::RULES_RECOGNITION, &rules).await?;
            PointsReply::Badges(Badges {
                badges: rules.badges.badges().to_vec(),
            })
        }
        PointsCommand::GrantBadge { badge, member } => {
            PointsReply::BadgeHolder(grant_badge(store, slug, actor, badge, member, now).await?)
        }
        PointsCommand::RevokeBadge { badge, member } => {
            PointsReply::BadgeHolder(revoke_badge(store, slug, actor, badge, member, now).await?)
        }
        PointsCommand::GetRules => {
            load_community(store, slug).await?;
            PointsReply::Rules(Rules {
                points: get_json(store, keys::RULES_POINTS)
                    .await?
                    .unwrap_or_default(),
                checkin: get_json(store, keys::RULES_CHECKIN)
                    .await?
                    .unwrap_or_default(),
            })
        }
        PointsCommand::PutRules { points, checkin } => {
            require_staff(store, slug, actor).await?;
            let mut batch = Batch::new();
            batch.put_json(keys::RULES_POINTS, &points)?;
            batch.put_json(keys::RULES_CHECKIN, &checkin)?;
            store.commit(batch).await?;
            PointsReply::Rules(Rules { points, checkin })
        }
        PointsCommand::GetLevels => {
            load_community(store, slug).await?;
            PointsReply::Levels(Levels {
                levels: recognition_rules(store).await?.levels,
            })
        }
        PointsCommand::PutLevels { levels } => {
            require_staff(store, slug, actor).await?;
            let mut rules = recognition_rules(store).await?;
            rules.levels = levels;
            put_one(store, rkeys::RULES_RECOGNITION, &rules).await?;
            PointsReply::Levels(Levels {
                levels: rules.levels,
            })
        }
        PointsCommand::Leaderboard { board, limit } => {
            PointsReply::Leaderboard(leaderboard(store, slug, actor, board, limit, now).await?)
        }
    };
    Ok(Outcome::read(Reply::Points(reply)))
}

// ---- who ----

/// Staff allowed to manage points here, and the community they act in.
struct Staff {
    /// As the ledger shows staff: their email, or `operator`.
    name: StaffName,
    community: Community,
}

/// The owner or an admin of this community, or the operator.
async fn require_staff(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
) -> Result<Staff, ApiError> {
    let refused = |why: &str| ApiError::new(ErrorCode::Forbidden, why.to_owned());
    const OWNERS_AND_ADMINS: &str =
        "only the community's owner and admins manage points, rewards, badges and levels";
    let (name, community) = match actor {
        Actor::Operator => ("operator".to_owned(), load_community(store, slug).await?),
        Actor::Marketer { email } => {
            let community = load_community(store, slug).await?;
            match get_json::<Role>(store, &keys::staff(email)).await? {
                Some(Role::Owner | Role::Admin) => (email.to_string(), community),
                Some(Role::Moderator) => return Err(refused(OWNERS_AND_ADMINS)),
                None => return Err(refused("you are not on this community's staff")),
            }
        }
        Actor::Anonymous | Actor::Member { .. } => return Err(refused(OWNERS_AND_ADMINS)),
    };
    let short: String = name.chars().take(64).collect();
    let name =
        StaffName::parse(&short).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    Ok(Staff { name, community })
}

// ---- loading ----

async fn recognition_rules(store: &impl Store) -> Result<RecognitionRules, ApiError> {
    Ok(
        get_json::<RecognitionRules>(store, rkeys::RULES_RECOGNITION)
            .await?
            .unwrap_or_default(),
    )
}

async fn account_of(store: &impl Store, member: &MemberId) -> Result<PointsAccount, ApiError> {
    Ok(get_json::<PointsAccount>(store, &keys::points(member))
        .await?
        .unwrap_or_default())
}

async fn badges_of(store: &impl Store, member: &MemberId) -> Result<MemberBadges, ApiError> {
    Ok(get_json::<MemberBadges>(store, &rkeys::badges(member))
        .await?
        .unwrap_or_default())
}

async fn put_one<T: Serialize>(store: &impl Store, key: &str, value: &T) -> Result<(), ApiError> {
    let mut batch = Batch::new();
    batch.put_json(key, value)?;
    store.commit(batch).await?;
    Ok(())
}

fn title_of(views: &[BadgeView]) -> Option<BadgeView> {
    views.iter().find(|v| v.shown_as_title).cloned()
}

// ---- a member's own ----

async fn my_points(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<MyPoints, ApiError> {
    let member = identity::member(store, slug, actor, now).await?;
    let rules = recognition_rules(store).await?;
    let account = account_of(store, &member.id).await?;
    let badges = badges_of(store, &member.id).await?.views(&rules.badges);
    Ok(MyPoints {
        level: rules.levels.progress(account.earned()),
        balance: account.view(),
        title: title_of(&badges),
        badges,
        member_id: member.id,
    })
}

async fn my_ledger(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<String>,
    limit: Option<u32>,
    now: Timestamp,
) -> Result<LedgerPage, ApiError> {
    let member = identity::member(store, slug, actor, now).await?;
    let limit = page_limit(limit, LEDGER_PAGE, 100)?;
    let prefix = rkeys::ledger_prefix(&member.id);
    let after = match cursor {
        Some(c) if c.len() == 20 && c.bytes().all(|b| b.is_ascii_digit()) => {
            Some(format!("{prefix}{c}"))
        }
        Some(_) => {
            return Err(ApiError::invalid(
                "the cursor is not one this ledger handed out",
            ));
        }
        None => None,
    };
    let page = store.list(&prefix, after.as_deref(), limit).await?;
    let entries = page
        .entries
        .iter()
        .map(|(_, v)| serde_json::from_str::<LedgerEntry>(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("a ledger line: {e}")))?;
    let next_cursor = page
        .next
        .and_then(|k| k.strip_prefix(&prefix).map(str::to_owned));
    Ok(LedgerPage {
        entries,
        next_cursor,
    })
}

fn page_limit(limit: Option<u32>, default: u32, max: u32) -> Result<usize, ApiError> {
    match limit {
        None => Ok(default as usize),
        Some(n) if (1..=max).contains(&n) => Ok(n as usize),
        Some(_) => Err(ApiError::invalid(format!(
            "the limit must be between 1 and {max}"
        ))),
    }
}

async fn choose_title(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    badge: Option<BadgeId>,
    now: Timestamp,
) -> Result<MyBadges, ApiError> {
    let member = identity::writing_member(store, slug, actor, now).await?;
    let rules = recognition_rules(store).await?;
    let mut held = badges_of(store, &member.id).await?;
    held.choose_title(&rules.badges, badge)?;
    put_one(store, &rkeys::badges(&member.id), &held).await?;
    let badges = held.views(&rules.badges);
    Ok(MyBadges {
        member_id: member.id,
        title: title_of(&badges),
        badges,
    })
}

// ---- rewards ----

async fn list_rewards(
    store: &impl Store,
    cursor: Option<RewardId>,
) -> Result<(Vec<Reward>, Option<RewardId>), ApiError> {
    let after = cursor.as_ref().map(rkeys::reward);
    let page = store
        .list(rkeys::REWARD_PREFIX, after.as_deref(), REWARD_PAGE)
        .await?;
    let rewards = page
        .entries
        .iter()
        .map(|(_, v)| serde_json::from_str::<Reward>(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("a reward: {e}")))?;
    let next = match page.next {
        Some(_) => rewards.last().map(|r| r.id.clone()),
        None => None,
    };
    Ok((rewards, next))
}

async fn rewards(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<RewardId>,
    now: Timestamp,
) -> Result<RewardList, ApiError> {
    let balance = match actor {
        Actor::Member { .. } => {
            let member = identity::member(store, slug, actor, now).await?;
            Some(account_of(store, &member.id).await?.balance())
        }
        _ => {
            load_community(store, slug).await?;
            None
        }
    };
    let (all, next_cursor) = list_rewards(store, cursor).await?;
    Ok(RewardList {
        rewards: all
            .iter()
            .filter(|r| r.active)
            .map(|r| r.view(balance.unwrap_or(0)))
            .collect(),
        balance,
        next_cursor,
    })
}

async fn staff_rewards(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<RewardId>,
) -> Result<RewardCatalogue, ApiError> {
    require_staff(store, slug, actor).await?;
    let (rewards, next_cursor) = list_rewards(store, cursor).await?;
    Ok(RewardCatalogue {
        rewards,
        next_cursor,
    })
}

async fn create_reward(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    reward: Reward,
) -> Result<Reward, ApiError> {
    require_staff(store, slug, actor).await?;
    let key = rkeys::reward(&reward.id);
    if store.get(&key).await?.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("there is already a reward `{}`; edit it instead", reward.id),
        ));
    }
    put_one(store, &key, &reward).await?;
    Ok(reward)
}

async fn edit_reward(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: RewardId,
    edit: RewardEdit,
) -> Result<Reward, ApiError> {
    require_staff(store, slug, actor).await?;
    let key = rkeys::reward(&id);
    if store.get(&key).await?.is_none() {
        return Err(no_reward(&id));
    }
    let reward = Reward {
        id,
        name: edit.name,
        cost: edit.cost,
        stock: edit.stock,
        active: edit.active,
    };
    put_one(store, &key, &reward).await?;
    Ok(reward)
}

fn no_reward(id: &RewardId) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("there is no reward `{id}`"))
}

/// Spends the cost and one of the stock together, in one batch with the ledger line and a
/// `redeemed` activity.
async fn redeem(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: RewardId,
    now: Timestamp,
) -> Result<Redeemed, ApiError> {
    let member = identity::writing_member(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let key = rkeys::reward(&id);
    let mut reward = get_json::<Reward>(store, &key)
        .await?
        .ok_or_else(|| no_reward(&id))?;
    let mut account = account_of(store, &member.id).await?;
    let done = account.redeem(&mut reward, now)?;
    let mut change = Change::new();
    change.batch.put_json(
        keys::ledger(&member.id, &ledger_sort_key(done.entry.seq)),
        &done.entry,
    )?;
    change.batch.put_json(keys::points(&member.id), &account)?;
    change.batch.put_json(key, &reward)?;
    change.activity.push((
        member.id.clone(),
        ActivityKind::Redeemed,
        Some(reward.id.to_string()),
    ));
    change.commit(store, community.time_zone, now).await?;
    Ok(Redeemed {
        receipt: done.receipt,
        entry: done.entry,
        balance: account.view(),
    })
}

// ---- staff ----

/// A staff adjustment with its reason: a ledger line, a `points_adjusted` notification, and
/// recognition (a positive adjustment can raise the level). Leaderboards count what members
/// earned by acting, so adjustments do not move them.
async fn adjust(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    member: MemberId,
    delta: AdjustmentDelta,
    reason: AdjustmentNote,
    now: Timestamp,
) -> Result<Adjusted, ApiError> {
    let Staff {
        name: by,
        community,
    } = require_staff(store, slug, actor).await?;
    let mut account = account_of(store, &member).await?;
    // The ledger's note, as the audit entry's reason (200 characters fit in 500).
    let note = ModReason::parse(reason.as_str()).unwrap_or_default();
    let entry = account.adjust(
        Adjustment {
            delta,
            note: reason,
            by,
        },
        now,
    )?;
    let mut change = Change::new();
    change
        .batch
        .put_json(keys::ledger(&member, &ledger_sort_key(entry.seq)), &entry)?;
    change.batch.put_json(keys::points(&member), &account)?;
    change.notify.push(Notify {
        recipient: member.clone(),
        kind: NotificationKind::PointsAdjusted,
        actor: None,
        target: NotificationTarget::default(),
    });
    let recognition =
        earn::recognise_member(store, &mut change, &member, &[], account.earned(), now).await?;
    let action = AuditAction::AdjustPoints { delta: entry.delta };
    staff_audit(store, slug, actor, &mut change, action, &member, note, now).await?;
    change.commit(store, community.time_zone, now).await?;
    Ok(Adjusted {
        member_id: member,
        entry,
        balance: account.view(),
        level_up: recognition.level_up,
        badges_earned: recognition.badges,
    })
}

async fn grant_badge(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    badge: BadgeId,
    member: MemberId,
    now: Timestamp,
) -> Result<BadgeHolder, ApiError> {
    let Staff {
        name: by,
        community,
    } = require_staff(store, slug, actor).await?;
    let rules = recognition_rules(store).await?;
    let mut held = badges_of(store, &member).await?;
    let earned = held.grant(&rules.badges, &badge, by, now)?;
    let mut change = Change::new();
    change.batch.put_json(rkeys::badges(&member), &held)?;
    change
        .notify
        .push(earn::badge_notification(&member, badge.as_str()));
    change
        .webhooks
        .push(earn::badge_event(&member, &badge, true));
    let action = AuditAction::GrantBadge {
        badge: badge.clone(),
    };
    let note = ModReason::default();
    staff_audit(store, slug, actor, &mut change, action, &member, note, now).await?;
    change.commit(store, community.time_zone, now).await?;
    Ok(BadgeHolder {
        badges: held.views(&rules.badges),
        member_id: member,
        granted: Some(earned),
    })
}

async fn revoke_badge(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    badge: BadgeId,
    member: MemberId,
    now: Timestamp,
) -> Result<BadgeHolder, ApiError> {
    require_staff(store, slug, actor).await?;
    let rules = recognition_rules(store).await?;
    let mut held = badges_of(store, &member).await?;
    held.revoke(&rules.badges, &badge)?;
    let mut change = Change::new();
    change.batch.put_json(rkeys::badges(&member), &held)?;
    let action = AuditAction::RevokeBadge {
        badge: badge.clone(),
    };
    let note = ModReason::default();
    staff_audit(store, slug, actor, &mut change, action, &member, note, now).await?;
    store.commit(change.batch).await?;
    Ok(BadgeHolder {
        badges: held.views(&rules.badges),
        member_id: member,
        granted: None,
    })
}

/// Appends the audit entry of a staff change to a member's points or badges to `change`
/// (the moderation log the dashboard shows), as the staff member and role looked up here.
#[expect(
    clippy::too_many_arguments,
    reason = "the entry's parts, each from the use case"
)]
async fn staff_audit(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    change: &mut Change,
    action: AuditAction,
    member: &MemberId,
    reason: ModReason,
    now: Timestamp,
) -> Result<(), ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    let entry = AuditEntry {
        at: now,
        actor: who.who,
        role: who.role,
        action,
        target: AuditTarget::Member {
            member: member.clone(),
        },
        reason,
    };
    append_audit(store, &mut change.batch, &entry).await
}

// ---- leaderboards ----

async fn leaderboard(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    board: Board,
    limit: Option<u32>,
    now: Timestamp,
) -> Result<LeaderboardView, ApiError> {
    let community = load_community(store, slug).await?;
    let me = match actor {
        Actor::Member { .. } => Some(identity::member(store, slug, actor, now).await?.id),
        _ => None,
    };
    let limit = page_limit(limit, BOARD_ROWS, 100)?;
    let period = match board {
        Board::Current { period } => PeriodKey::of(period, now, community.time_zone)?,
        Board::Past { key } => key,
    };
    let (ranked, my_row) = board_rows(store, &period, limit, me.as_ref(), BOARD_SCAN_MAX).await?;
    let mut rows = Vec::with_capacity(ranked.len());
    for row in ranked {
        rows.push(BoardRow {
            name: name_of(store, &row.member_id).await?,
            rank: row.rank,
            member_id: row.member_id,
            points: row.points,
        });
    }
    let me = match my_row {
        Some(row) => Some(BoardRow {
            name: name_of(store, &row.member_id).await?,
            rank: row.rank,
            member_id: row.member_id,
            points: row.points,
        }),
        None => None,
    };
    Ok(LeaderboardView { period, rows, me })
}

/// The top `limit` rows of `period` and `me`'s own row. With a complete index: one list of
/// its first `limit` keys, and for `me` (when not among them) their entry and a count of the
/// keys ahead of it, up to `cap` (no row at `cap` or more). Without one (a board written before
/// the index, until its next write): the first `cap` entries by member id, ranked.
pub(crate) async fn board_rows(
    store: &impl Store,
    period: &PeriodKey,
    limit: usize,
    me: Option<&MemberId>,
    cap: usize,
) -> Result<(Vec<LeaderboardRow>, Option<LeaderboardRow>), ApiError> {
    if board_index::totals(store, period).await?.is_none() {
        let ranked = scan_board(store, period, cap).await?;
        let my_row = me.and_then(|me| ranked.iter().find(|r| r.member_id == *me).cloned());
        return Ok((ranked.into_iter().take(limit).collect(), my_row));
    }
    // The index is in `rank`'s order already: this only numbers the rows.
    let rows = rank(board_index::top(store, period, limit).await?, limit);
    let Some(me) = me else {
        return Ok((rows, None));
    };
    if let Some(row) = rows.iter().find(|r| r.member_id == *me) {
        let row = row.clone();
        return Ok((rows, Some(row)));
    }
    let Some(entry) = get_json::<BoardEntry>(store, &rkeys::board(period, me))
        .await?
        .filter(|e| e.points > 0)
    else {
        return Ok((rows, None));
    };
    let my_row = board_index::ahead_of(store, period, entry.points, cap)
        .await?
        .map(|ahead| LeaderboardRow {
            // Equal points share a rank: one more than the members strictly ahead.
            rank: u32::try_from(ahead + 1).unwrap_or(u32::MAX),
            member_id: entry.member,
            points: entry.points,
        });
    Ok((rows, my_row))
}

/// Every entry of `period` up to `cap` listed in key (member id) order, ranked.
async fn scan_board(
    store: &impl Store,
    period: &PeriodKey,
    cap: usize,
) -> Result<Vec<LeaderboardRow>, ApiError> {
    let prefix = rkeys::board_prefix(period);
    let mut entries: Vec<BoardEntry> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list(&prefix, after.as_deref(), BOARD_SCAN_PAGE)
            .await?;
        for (_, v) in &page.entries {
            entries.push(board_index::board_entry(v)?);
        }
        match page.next {
            Some(next) if entries.len() < cap => after = Some(next),
            _ => break,
        }
    }
    Ok(rank(entries, usize::MAX))
}

async fn name_of(store: &impl Store, member: &MemberId) -> Result<Option<MemberName>, ApiError> {
    Ok(
        get_json::<crate::sso::MemberProfile>(store, &keys::profile(member))
            .await?
            .map(|p| p.name),
    )
}
