//! HTTP routes of the points area: a member's points, ledger and title, the rewards
//! catalogue and redemption, staff adjustments and badges, the rules, levels and
//! leaderboards. Each route parses its path, query and body into one
//! [`PointsCommand`]; core decides who may run it.
//!
//! | route | who | status |
//! | --- | --- | --- |
//! | `GET me/points` | member | 200 |
//! | `GET me/points/ledger?cursor=&limit=` | member | 200 |
//! | `PUT me/title` `{"badge": id or null}` | member | 200 |
//! | `GET rewards?cursor=` | anyone (a member sees what they can afford) | 200 |
//! | `GET rewards?include=withdrawn` | owner, admin | 200 |
//! | `POST rewards` `{id, name, cost, stock?, active?}` | owner, admin | 201 |
//! | `PUT rewards/{id}` `{name, cost, stock?, active?}` | owner, admin | 200 |
//! | `POST rewards/{id}/redeem` | member | 201 |
//! | `POST points/adjustments` `{member, delta, reason}` | owner, admin | 201 |
//! | `GET`, `PUT points/rules` `{points, checkin}` | anyone; owner, admin | 200 |
//! | `GET`, `PUT levels` `{levels: [...]}` | anyone; owner, admin | 200 |
//! | `GET`, `PUT badges` `{badges: [...]}` | anyone; owner, admin | 200 |
//! | `POST`, `DELETE badges/{badge}/holders/{member}` | owner, admin | 201, 200 |
//! | `GET leaderboards/{week, month, all or 2026-W09, 2026-03}?limit=` | anyone | 200 |

use quanzi_core::app::points::{Board, PointsCommand, RewardEdit};
use quanzi_core::app::{Actor, Command};
use quanzi_core::checkin::CheckinRules;
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::{CommunitySlug, MemberId};
use quanzi_core::points::{AdjustmentDelta, AdjustmentNote, PointRules, Reward, RewardId};
use quanzi_core::recognition::{BadgeCatalogue, BadgeId, LevelLadder, Period, PeriodKey};
use serde::Deserialize;
use worker::{Env, Method, Request};

use super::{
    Answer, member_actor, member_with_body, not_allowed, query, run, run_with_body, staff_actor,
    staff_reader, staff_with_body,
};

/// Routes `rest` (starting with this area's first segment), or `None` if unknown here.
pub async fn route(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Option<Answer> {
    let method = req.method();
    let answer = match (method, rest) {
        (Method::Get, ["me", "points"]) => {
            member(&req, env, slug, PointsCommand::MyPoints, 200).await
        }
        (_, ["me", "points"]) => not_allowed("GET"),
        (Method::Get, ["me", "points", "ledger"]) => my_ledger(&req, env, slug).await,
        (_, ["me", "points", "ledger"]) => not_allowed("GET"),
        (Method::Put, ["me", "title"]) => choose_title(&mut req, env, slug).await,
        (_, ["me", "title"]) => not_allowed("PUT"),

        (Method::Get, ["rewards"]) => list_rewards(&req, env, slug).await,
        (Method::Post, ["rewards"]) => create_reward(&mut req, env, slug).await,
        (_, ["rewards"]) => not_allowed("GET, POST"),
        (Method::Put, ["rewards", id]) => edit_reward(&mut req, env, slug, id).await,
        (_, ["rewards", _]) => not_allowed("PUT"),
        (Method::Post, ["rewards", id, "redeem"]) => match reward_id(id) {
            Ok(reward) => member(&req, env, slug, PointsCommand::Redeem { reward }, 201).await,
            Err(e) => Err(e),
        },
        (_, ["rewards", _, "redeem"]) => not_allowed("POST"),

        (Method::Post, ["points", "adjustments"]) => adjust(&mut req, env, slug).await,
        (_, ["points", "adjustments"]) => not_allowed("POST"),
        (Method::Get, ["points", "rules"]) => anyone(env, slug, PointsCommand::GetRules).await,
        (Method::Put, ["points", "rules"]) => put_rules(&mut req, env, slug).await,
        (_, ["points", "rules"]) => not_allowed("GET, PUT"),

        (Method::Get, ["levels"]) => anyone(env, slug, PointsCommand::GetLevels).await,
        (Method::Put, ["levels"]) => put_levels(&mut req, env, slug).await,
        (_, ["levels"]) => not_allowed("GET, PUT"),

        (Method::Get, ["badges"]) => anyone(env, slug, PointsCommand::ListBadges).await,
        (Method::Put, ["badges"]) => put_badges(&mut req, env, slug).await,
        (_, ["badges"]) => not_allowed("GET, PUT"),
        (Method::Post | Method::Delete, ["badges", badge, "holders", holder]) => {
            badge_holder(&req, env, slug, badge, holder).await
        }
        (_, ["badges", _, "holders", _]) => not_allowed("POST, DELETE"),

        (Method::Get, ["leaderboards", period]) => leaderboard(&req, env, slug, period).await,
        (_, ["leaderboards", _]) => not_allowed("GET"),
        _ => return None,
    };
    Some(answer)
}

fn points(command: PointsCommand) -> Command {
    Command::Points(command)
}

/// As the member whose token the request carries (or anonymous: core refuses).
async fn member(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    command: PointsCommand,
    status: u16,
) -> Answer {
    run(env, slug, member_actor(req), points(command), status).await
}

/// A read anyone may make.
async fn anyone(env: &Env, slug: &CommunitySlug, command: PointsCommand) -> Answer {
    run(env, slug, Actor::Anonymous, points(command), 200).await
}

/// As staff (operator bearer, or a marketer's session with its CSRF token).
async fn staff(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    command: PointsCommand,
    status: u16,
) -> Answer {
    let actor = staff_actor(req, env).await?;
    run(env, slug, actor, points(command), status).await
}

/// A path id that does not parse names nothing: 404.
fn reward_id(raw: &str) -> Result<RewardId, ApiError> {
    RewardId::parse(raw)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("there is no reward `{raw}`")))
}

fn limit(req: &Request) -> Result<Option<u32>, ApiError> {
    match query(req, "limit")? {
        Some(raw) => raw
            .parse::<u32>()
            .map(Some)
            .map_err(|_| ApiError::invalid("the limit must be a whole number")),
        None => Ok(None),
    }
}

/// `GET me/points/ledger?cursor=&limit=`
async fn my_ledger(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let command = PointsCommand::MyLedger {
        cursor: query(req, "cursor")?,
        limit: limit(req)?,
    };
    member(req, env, slug, command, 200).await
}

/// `PUT me/title` `{"badge": "vip"}` or `{"badge": null}`
async fn choose_title(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Title {
        badge: Option<BadgeId>,
    }
    member_with_body(req, env, slug, 200, |title: Title| {
        points(PointsCommand::ChooseTitle { badge: title.badge })
    })
    .await
}

/// `GET rewards?cursor=` (members and visitors) or `?include=withdrawn` (staff).
async fn list_rewards(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let cursor = match query(req, "cursor")? {
        Some(raw) => Some(
            RewardId::parse(&raw)
                .map_err(|_| ApiError::invalid("the cursor is not a reward id"))?,
        ),
        None => None,
    };
    match query(req, "include")?.as_deref() {
        Some("withdrawn") => {
            let actor = staff_reader(req, env).await?;
            let command = PointsCommand::ListRewards {
                cursor,
                include_withdrawn: true,
            };
            run(env, slug, actor, points(command), 200).await
        }
        Some(_) => Err(ApiError::invalid("`include` may only be `withdrawn`")),
        None => {
            let command = PointsCommand::ListRewards {
                cursor,
                include_withdrawn: false,
            };
            member(req, env, slug, command, 200).await
        }
    }
}

/// `POST rewards`
async fn create_reward(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    staff_with_body(req, env, slug, 201, |reward: Reward| {
        points(PointsCommand::CreateReward { reward })
    })
    .await
}

/// `PUT rewards/{id}`
async fn edit_reward(req: &mut Request, env: &Env, slug: &CommunitySlug, id: &str) -> Answer {
    let actor = staff_actor(req, env).await?;
    let id = reward_id(id)?;
    run_with_body(req, env, slug, actor, 200, |edit: RewardEdit| {
        points(PointsCommand::EditReward { id, edit })
    })
    .await
}

/// `POST points/adjustments` `{"member": "u_1", "delta": -20, "reason": "…"}`
async fn adjust(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NewAdjustment {
        member: MemberId,
        delta: AdjustmentDelta,
        reason: AdjustmentNote,
    }
    staff_with_body(req, env, slug, 201, |new: NewAdjustment| {
        points(PointsCommand::Adjust {
            member: new.member,
            delta: new.delta,
            reason: new.reason,
        })
    })
    .await
}

/// `PUT points/rules` `{"points": {...}, "checkin": {...}}`: both replaced.
async fn put_rules(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NewRules {
        points: PointRules,
        checkin: CheckinRules,
    }
    staff_with_body(req, env, slug, 200, |rules: NewRules| {
        points(PointsCommand::PutRules {
            points: rules.points,
            checkin: rules.checkin,
        })
    })
    .await
}

/// `PUT levels` `{"levels": [{"threshold": 0, "names": {...}, "perks": [...]}, ...]}`
async fn put_levels(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NewLevels {
        levels: LevelLadder,
    }
    staff_with_body(req, env, slug, 200, |new: NewLevels| {
        points(PointsCommand::PutLevels { levels: new.levels })
    })
    .await
}

/// `PUT badges` `{"badges": [{"id", "names", "award", "title"}, ...]}`
async fn put_badges(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NewBadges {
        badges: BadgeCatalogue,
    }
    staff_with_body(req, env, slug, 200, |new: NewBadges| {
        points(PointsCommand::PutBadges { badges: new.badges })
    })
    .await
}

/// `POST` (grant, 201) or `DELETE` (revoke, 200) `badges/{badge}/holders/{member}`
async fn badge_holder(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    badge: &str,
    holder: &str,
) -> Answer {
    let badge = BadgeId::parse(badge)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("there is no badge `{badge}`")))?;
    let member = MemberId::parse(holder).map_err(|e| ApiError::invalid(e.to_string()))?;
    if req.method() == Method::Delete {
        staff(
            req,
            env,
            slug,
            PointsCommand::RevokeBadge { badge, member },
            200,
        )
        .await
    } else {
        staff(
            req,
            env,
            slug,
            PointsCommand::GrantBadge { badge, member },
            201,
        )
        .await
    }
}

/// `GET leaderboards/{week|month|all|2026-W09|2026-03}?limit=`; a member's token adds their row.
async fn leaderboard(req: &Request, env: &Env, slug: &CommunitySlug, period: &str) -> Answer {
    let board = match period {
        "week" => Board::Current {
            period: Period::Week,
        },
        "month" => Board::Current {
            period: Period::Month,
        },
        "all" => Board::Current {
            period: Period::AllTime,
        },
        other => Board::Past {
            key: PeriodKey::parse(other)
                .map_err(|e| ApiError::invalid(format!("{e}; or use week, month or all")))?,
        },
    };
    let command = PointsCommand::Leaderboard {
        board,
        limit: limit(req)?,
    };
    member(req, env, slug, command, 200).await
}
