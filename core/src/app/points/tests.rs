//! The points area's use cases against a `MemoryStore`.

use super::*;
use crate::accounts::Email;
use crate::app::testing::{NOON, community_with_key, member, slug};
use crate::notify::Notification;
use crate::points::{Action, Award, CauseKey};
use crate::recognition::{Activity, MemberStats};
use crate::sso::SsoKey;
use crate::store::{MemoryStore, block_on};

fn setup() -> (MemoryStore, SsoKey) {
    let (store, key) = community_with_key(NOON);
    let mut batch = Batch::new();
    batch
        .put_json(
            keys::staff(&Email::parse("owner@brand.example").unwrap()),
            &Role::Owner,
        )
        .unwrap()
        .put_json(
            keys::staff(&Email::parse("mod@brand.example").unwrap()),
            &Role::Moderator,
        )
        .unwrap();
    block_on(store.commit(batch)).unwrap();
    (store, key)
}

fn marketer(email: &str) -> Actor {
    Actor::Marketer {
        email: Email::parse(email).unwrap(),
    }
}

fn owner() -> Actor {
    marketer("owner@brand.example")
}

fn id(raw: &str) -> MemberId {
    MemberId::parse(raw).unwrap()
}

fn run(
    store: &MemoryStore,
    actor: &Actor,
    request: PointsCommand,
) -> Result<PointsReply, ApiError> {
    run_at(store, actor, request, NOON)
}

fn run_at(
    store: &MemoryStore,
    actor: &Actor,
    request: PointsCommand,
    now: Timestamp,
) -> Result<PointsReply, ApiError> {
    let outcome = block_on(handle(store, &slug(), actor, request, now))?;
    match outcome.reply {
        Reply::Points(reply) => Ok(reply),
        other => panic!("not a points reply: {other:?}"),
    }
}

fn adjust_req(member: &str, delta: i32) -> PointsCommand {
    PointsCommand::Adjust {
        member: id(member),
        delta: AdjustmentDelta::new(delta).unwrap(),
        reason: AdjustmentNote::parse("meetup photos").unwrap(),
    }
}

fn reward(id: &str, cost: u32, stock: Option<u32>) -> Reward {
    serde_json::from_value(
        serde_json::json!({"id": id, "name": "Tote bag", "cost": cost, "stock": stock}),
    )
    .unwrap()
}

fn inbox(store: &MemoryStore, member: &str) -> Vec<Notification> {
    let page = block_on(store.list(&format!("member/{member}/inbox/"), None, 100)).unwrap();
    page.entries
        .iter()
        .map(|(_, v)| serde_json::from_str(v).unwrap())
        .collect()
}

fn my_points(store: &MemoryStore, actor: &Actor) -> MyPoints {
    let PointsReply::MyPoints(mine) = run(store, actor, PointsCommand::MyPoints).unwrap() else {
        panic!()
    };
    mine
}

fn ledger_sum(store: &MemoryStore, member: &str) -> i64 {
    let page = block_on(store.list(&format!("member/{member}/ledger/"), None, 10_000)).unwrap();
    page.entries
        .iter()
        .map(|(_, v)| serde_json::from_str::<LedgerEntry>(v).unwrap().delta)
        .sum()
}

#[test]
fn a_new_member_starts_at_level_one_with_nothing() {
    let (store, key) = setup();
    let mine = my_points(&store, &member(&key, "u1"));
    assert_eq!(mine.balance.balance, 0);
    assert_eq!(mine.level.level, 1);
    assert_eq!(mine.level.next.as_ref().map(|n| n.points_to_go), Some(100));
    assert!(mine.badges.is_empty());
    assert_eq!(mine.title, None);
    let err = run(&store, &Actor::Anonymous, PointsCommand::MyPoints).unwrap_err();
    assert_eq!(err.code, ErrorCode::Unauthenticated);
}

#[test]
fn staff_adjust_with_a_reason_and_the_member_is_told_and_levels_up() {
    let (store, key) = setup();
    let PointsReply::Adjusted(done) = run(&store, &owner(), adjust_req("u1", 150)).unwrap() else {
        panic!()
    };
    assert_eq!(done.balance.balance, 150);
    assert_eq!(done.entry.delta, 150);
    assert_eq!(done.level_up.as_ref().map(|l| (l.from, l.to)), Some((1, 2)));
    let kinds: Vec<_> = inbox(&store, "u1").iter().map(|n| n.kind).collect();
    assert!(kinds.contains(&NotificationKind::PointsAdjusted));
    assert!(kinds.contains(&NotificationKind::LevelUp));

    let mine = my_points(&store, &member(&key, "u1"));
    assert_eq!(mine.level.level, 2);
    assert_eq!(mine.level.perks, vec!["Custom avatar frame".to_owned()]);

    // Taking more than the balance is refused and writes nothing.
    let before = store.ops().commits;
    let err = run(&store, &owner(), adjust_req("u1", -151)).unwrap_err();
    assert_eq!(err.code, ErrorCode::InsufficientPoints);
    assert_eq!(store.ops().commits, before);
    assert!(run(&store, &owner(), adjust_req("u1", -150)).is_ok());
    assert_eq!(ledger_sum(&store, "u1"), 0);
}

#[test]
fn only_owners_admins_and_the_operator_manage_points() {
    let (store, key) = setup();
    for (who, code) in [
        (member(&key, "u1"), ErrorCode::Forbidden),
        (Actor::Anonymous, ErrorCode::Forbidden),
        (marketer("mod@brand.example"), ErrorCode::Forbidden),
        (marketer("stranger@else.example"), ErrorCode::Forbidden),
    ] {
        let err = run(&store, &who, adjust_req("u1", 5)).unwrap_err();
        assert_eq!(err.code, code, "{who:?}");
        let err = run(
            &store,
            &who,
            PointsCommand::CreateReward {
                reward: reward("bag", 10, None),
            },
        )
        .unwrap_err();
        assert_eq!(err.code, code, "{who:?}");
    }
    assert!(run(&store, &Actor::Operator, adjust_req("u1", 5)).is_ok());
    let PointsReply::Ledger(page) = run(
        &store,
        &member(&key, "u1"),
        PointsCommand::MyLedger {
            cursor: None,
            limit: None,
        },
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(
        page.entries[0].reason,
        crate::points::Reason::Adjustment {
            note: AdjustmentNote::parse("meetup photos").unwrap(),
            by: StaffName::parse("operator").unwrap()
        }
    );
}

#[test]
fn redemption_spends_points_and_stock_together() {
    let (store, key) = setup();
    let lin = member(&key, "u1");
    run(
        &store,
        &owner(),
        PointsCommand::CreateReward {
            reward: reward("bag", 40, Some(2)),
        },
    )
    .unwrap();
    let again = run(
        &store,
        &owner(),
        PointsCommand::CreateReward {
            reward: reward("bag", 1, None),
        },
    );
    assert_eq!(again.unwrap_err().code, ErrorCode::Conflict);

    let redeem = || PointsCommand::Redeem {
        reward: RewardId::parse("bag").unwrap(),
    };
    let before = store.ops().commits;
    assert_eq!(
        run(&store, &lin, redeem()).unwrap_err().code,
        ErrorCode::InsufficientPoints
    );
    assert_eq!(store.ops().commits, before, "a refusal writes nothing");

    run(&store, &owner(), adjust_req("u1", 100)).unwrap();
    let PointsReply::Redeemed(first) = run(&store, &lin, redeem()).unwrap() else {
        panic!()
    };
    assert_eq!(first.balance.balance, 60);
    assert_eq!(first.receipt.stock_left, Some(1));
    run(&store, &owner(), adjust_req("u2", 100)).unwrap();
    // A millisecond later: activity keys are `{ms}-{n}` per batch (see the report's wish).
    run_at(&store, &member(&key, "u2"), redeem(), NOON.plus_millis(1)).unwrap();
    let err = run(&store, &lin, redeem()).unwrap_err();
    assert_eq!(err.code, ErrorCode::OutOfStock);
    assert_eq!(ledger_sum(&store, "u1"), 60);

    let PointsReply::Rewards(list) = run(
        &store,
        &lin,
        PointsCommand::ListRewards {
            cursor: None,
            include_withdrawn: false,
        },
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(list.balance, Some(60));
    assert_eq!(list.rewards[0].stock, Some(0));
    assert!(!list.rewards[0].available);

    // The activity log has the redemptions.
    let day = NOON
        .local_day(crate::community::TimeZone::default())
        .unwrap();
    let log = block_on(store.list(&format!("activity/{day}/"), None, 100)).unwrap();
    let redeemed = log
        .entries
        .iter()
        .filter(|(_, v)| v.contains("\"redeemed\""))
        .count();
    assert_eq!(redeemed, 2);

    assert_eq!(
        run(
            &store,
            &lin,
            PointsCommand::Redeem {
                reward: RewardId::parse("nope").unwrap()
            }
        )
        .unwrap_err()
        .code,
        ErrorCode::NotFound
    );
}

#[test]
fn withdrawn_rewards_are_hidden_from_members_and_shown_to_staff() {
    let (store, key) = setup();
    run(
        &store,
        &owner(),
        PointsCommand::CreateReward {
            reward: reward("bag", 40, None),
        },
    )
    .unwrap();
    let edit: RewardEdit =
        serde_json::from_value(serde_json::json!({"name": "Bag", "cost": 50, "active": false}))
            .unwrap();
    let PointsReply::Reward(edited) = run(
        &store,
        &owner(),
        PointsCommand::EditReward {
            id: RewardId::parse("bag").unwrap(),
            edit: edit.clone(),
        },
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(edited.cost.get(), 50);
    let missing = run(
        &store,
        &owner(),
        PointsCommand::EditReward {
            id: RewardId::parse("cup").unwrap(),
            edit,
        },
    );
    assert_eq!(missing.unwrap_err().code, ErrorCode::NotFound);

    let PointsReply::Rewards(list) = run(
        &store,
        &Actor::Anonymous,
        PointsCommand::ListRewards {
            cursor: None,
            include_withdrawn: false,
        },
    )
    .unwrap() else {
        panic!()
    };
    assert!(list.rewards.is_empty());
    assert_eq!(list.balance, None);
    let PointsReply::RewardCatalogue(all) = run(
        &store,
        &owner(),
        PointsCommand::ListRewards {
            cursor: None,
            include_withdrawn: true,
        },
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(all.rewards.len(), 1);
    let err = run(
        &store,
        &member(&key, "u1"),
        PointsCommand::ListRewards {
            cursor: None,
            include_withdrawn: true,
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    let err = run(
        &store,
        &member(&key, "u1"),
        PointsCommand::Redeem {
            reward: RewardId::parse("bag").unwrap(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[test]
fn the_ledger_pages_newest_first() {
    let (store, key) = setup();
    for delta in 1..=5 {
        run(&store, &owner(), adjust_req("u1", delta)).unwrap();
    }
    let lin = member(&key, "u1");
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let PointsReply::Ledger(page) = run(
            &store,
            &lin,
            PointsCommand::MyLedger {
                cursor: cursor.clone(),
                limit: Some(2),
            },
        )
        .unwrap() else {
            panic!()
        };
        assert!(page.entries.len() <= 2);
        seen.extend(page.entries.iter().map(|e| e.delta));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, vec![5, 4, 3, 2, 1]);
    for bad in [Some("x".to_owned()), None] {
        let limit = if bad.is_none() { Some(0) } else { None };
        let err = run(&store, &lin, PointsCommand::MyLedger { cursor: bad, limit }).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }
}

#[test]
fn staff_grant_and_revoke_badges_and_members_pick_titles() {
    let (store, key) = setup();
    let vip = || BadgeId::parse("vip").unwrap();
    let PointsReply::BadgeHolder(granted) = run(
        &store,
        &owner(),
        PointsCommand::GrantBadge {
            badge: vip(),
            member: id("u1"),
        },
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(granted.granted.map(|b| b.granted), Some(true));
    assert_eq!(inbox(&store, "u1")[0].kind, NotificationKind::BadgeEarned);
    let twice = run(
        &store,
        &owner(),
        PointsCommand::GrantBadge {
            badge: vip(),
            member: id("u1"),
        },
    );
    assert_eq!(twice.unwrap_err().code, ErrorCode::Conflict);
    let unknown = run(
        &store,
        &owner(),
        PointsCommand::GrantBadge {
            badge: BadgeId::parse("nope").unwrap(),
            member: id("u1"),
        },
    );
    assert_eq!(unknown.unwrap_err().code, ErrorCode::NotFound);

    let lin = member(&key, "u1");
    let PointsReply::MyBadges(mine) = run(
        &store,
        &lin,
        PointsCommand::ChooseTitle { badge: Some(vip()) },
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(mine.title.map(|t| t.id), Some(vip()));
    assert_eq!(my_points(&store, &lin).title.map(|t| t.id), Some(vip()));

    run(
        &store,
        &owner(),
        PointsCommand::RevokeBadge {
            badge: vip(),
            member: id("u1"),
        },
    )
    .unwrap();
    let mine = my_points(&store, &lin);
    assert!(mine.badges.is_empty());
    assert_eq!(mine.title, None);
    let again = run(
        &store,
        &owner(),
        PointsCommand::RevokeBadge {
            badge: vip(),
            member: id("u1"),
        },
    );
    assert_eq!(again.unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn rules_and_levels_are_public_and_replaced_by_the_owner() {
    let (store, key) = setup();
    let PointsReply::Rules(rules) =
        run(&store, &Actor::Anonymous, PointsCommand::GetRules).unwrap()
    else {
        panic!()
    };
    assert_eq!(rules.points, PointRules::default());
    let mut points = PointRules::default();
    points.check_in.points = crate::points::Points::new(7).unwrap();
    let put = || PointsCommand::PutRules {
        points: points.clone(),
        checkin: CheckinRules::default(),
    };
    assert_eq!(
        run(&store, &member(&key, "u1"), put()).unwrap_err().code,
        ErrorCode::Forbidden
    );
    run(&store, &owner(), put()).unwrap();
    let PointsReply::Rules(rules) =
        run(&store, &Actor::Anonymous, PointsCommand::GetRules).unwrap()
    else {
        panic!()
    };
    assert_eq!(rules.points.check_in.points.get(), 7);

    let ladder: LevelLadder = serde_json::from_value(serde_json::json!([
        {"threshold": 0, "names": {"zh_cn": "一", "en": "One"}},
        {"threshold": 10, "names": {"zh_cn": "二", "en": "Two"}, "perks": ["Stickers"]}
    ]))
    .unwrap();
    run(
        &store,
        &owner(),
        PointsCommand::PutLevels { levels: ladder },
    )
    .unwrap();
    let PointsReply::Levels(levels) =
        run(&store, &Actor::Anonymous, PointsCommand::GetLevels).unwrap()
    else {
        panic!()
    };
    assert_eq!(levels.levels.levels().len(), 2);
    run(&store, &owner(), adjust_req("u1", 12)).unwrap();
    assert_eq!(my_points(&store, &member(&key, "u1")).level.level, 2);
    assert!(
        serde_json::from_value::<LevelLadder>(serde_json::json!([
            {"threshold": 5, "names": {"zh_cn": "一", "en": "One"}}
        ]))
        .is_err(),
        "a ladder must start at 0"
    );
}

#[test]
fn earn_moves_the_boards_stats_and_badges_once_per_cause() {
    let (store, key) = setup();
    let tz = crate::community::TimeZone::default();
    let u1 = id("u1");
    let rules = PointRules::default();
    let award = |c: &str| rules.award(Action::Post, CauseKey::parse(c).unwrap());
    let mut change = Change::new();
    let earned = block_on(earn::earn(
        &store,
        &mut change,
        &u1,
        vec![award("post:p1")],
        &[
            Activity::Posted,
            Activity::CheckedIn {
                total_days: 7,
                longest_streak: 7,
            },
        ],
        tz,
        NOW_PLUS,
    ))
    .unwrap();
    assert_eq!(earned.awarded.len(), 1);
    let badges: Vec<_> = earned
        .recognition
        .badges
        .iter()
        .map(|b| b.id.to_string())
        .collect();
    assert_eq!(badges, ["first_post", "streak_7"]);
    block_on(change.commit(&store, tz, NOW_PLUS)).unwrap();
    let kinds: Vec<_> = inbox(&store, "u1").iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NotificationKind::BadgeEarned; 2]);

    // The same cause again: nothing more; a new one adds to the boards.
    let mut change = Change::new();
    let earned = block_on(earn::earn(
        &store,
        &mut change,
        &u1,
        vec![
            award("post:p1"),
            award("post:p2"),
            Award::streak_bonus(&bonus()),
        ],
        &[Activity::Posted],
        tz,
        NOW_PLUS,
    ))
    .unwrap();
    assert_eq!(earned.awarded.len(), 2);
    assert!(earned.recognition.badges.is_empty(), "each badge once");
    block_on(change.commit(&store, tz, NOW_PLUS)).unwrap();
    let stats: MemberStats = block_on(get_json(&store, &rkeys::stats(&u1)))
        .unwrap()
        .unwrap();
    assert_eq!((stats.posts, stats.points_earned), (2, 45));

    let mut change = Change::new();
    block_on(earn::earn(
        &store,
        &mut change,
        &id("u2"),
        vec![award("post:q1")],
        &[],
        tz,
        NOW_PLUS,
    ))
    .unwrap();
    block_on(change.commit(&store, tz, NOW_PLUS)).unwrap();

    for (board, u1_points) in [
        (
            Board::Current {
                period: Period::Week,
            },
            45,
        ),
        (
            Board::Current {
                period: Period::Month,
            },
            45,
        ),
        (
            Board::Current {
                period: Period::AllTime,
            },
            45,
        ),
        (
            Board::Past {
                key: PeriodKey::parse("2026-W39").unwrap(),
            },
            45,
        ),
    ] {
        let PointsReply::Leaderboard(view) = run_at(
            &store,
            &member(&key, "u2"),
            PointsCommand::Leaderboard { board, limit: None },
            NOW_PLUS,
        )
        .unwrap() else {
            panic!()
        };
        let rows: Vec<_> = view
            .rows
            .iter()
            .map(|r| (r.rank, r.member_id.to_string(), r.points))
            .collect();
        assert_eq!(
            rows,
            [(1, "u1".to_owned(), u1_points), (2, "u2".to_owned(), 10)]
        );
        assert_eq!(view.me.map(|r| r.rank), Some(2));
    }
    // Next month's board is empty.
    let PointsReply::Leaderboard(view) = run_at(
        &store,
        &Actor::Anonymous,
        PointsCommand::Leaderboard {
            board: Board::Current {
                period: Period::Month,
            },
            limit: None,
        },
        NOW_PLUS.plus_millis(10 * Timestamp::DAY),
    )
    .unwrap() else {
        panic!()
    };
    assert!(view.rows.is_empty());
    assert_eq!(view.period.as_str(), "2026-10");
}

const NOW_PLUS: Timestamp = NOON;

fn bonus() -> crate::checkin::StreakBonusEarned {
    crate::checkin::StreakBonusEarned {
        days: crate::checkin::StreakDays::new(7).unwrap(),
        points: crate::points::Points::new(25).unwrap(),
        cause: CauseKey::parse("streak:2026-09-19:7").unwrap(),
    }
}

#[test]
fn a_banned_member_cannot_redeem() {
    let (store, key) = setup();
    run(&store, &owner(), adjust_req("u1", 100)).unwrap();
    run(
        &store,
        &owner(),
        PointsCommand::CreateReward {
            reward: reward("bag", 10, None),
        },
    )
    .unwrap();
    let ban = crate::moderation::Ban {
        member: id("u1"),
        until: None,
        reason: Default::default(),
        by: crate::moderation::ActorRef::Member { id: id("boss") },
        at: NOON,
    };
    let mut batch = Batch::new();
    batch.put_json(keys::ban(&id("u1")), &ban).unwrap();
    block_on(store.commit(batch)).unwrap();
    let err = run(
        &store,
        &member(&key, "u1"),
        PointsCommand::Redeem {
            reward: RewardId::parse("bag").unwrap(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Banned);
}

#[test]
fn reading_points_and_redeeming_cost_a_fixed_number_of_storage_operations() {
    let (store, key) = setup();
    let lin = member(&key, "u1");
    run(&store, &owner(), adjust_req("u1", 100)).unwrap();
    run(
        &store,
        &owner(),
        PointsCommand::CreateReward {
            reward: reward("bag", 10, Some(5)),
        },
    )
    .unwrap();
    let cost = |command: PointsCommand| {
        let before = store.ops();
        run(&store, &lin, command).unwrap();
        let after = store.ops();
        (
            after.gets - before.gets,
            after.lists - before.lists,
            after.commits - before.commits,
        )
    };
    // Keys, recognition rules, account, badges.
    assert_eq!(cost(PointsCommand::MyPoints), (4, 0, 0));
    // Keys, ban, community, reward, account; one batch. Plus insight's rollups for a
    // member's first action ever: their trail, the member count, the day, week and month.
    let redeem = PointsCommand::Redeem {
        reward: RewardId::parse("bag").unwrap(),
    };
    assert_eq!(cost(redeem), (5 + 5, 0, 1));
    let ledger = PointsCommand::MyLedger {
        cursor: None,
        limit: None,
    };
    assert_eq!(cost(ledger), (1, 1, 0));
}

#[test]
fn staff_adjustments_and_badge_changes_are_audited() {
    use crate::moderation::{ActorRef, ActorRole};
    let (store, _key) = setup();
    let audit = |store: &MemoryStore| -> Vec<AuditEntry> {
        block_on(store.list("mod/audit/", None, 100))
            .unwrap()
            .entries
            .into_iter()
            .map(|(_, v)| serde_json::from_str(&v).unwrap())
            .collect()
    };
    run(&store, &owner(), adjust_req("u1", 5)).unwrap();
    let vip = || BadgeId::parse("vip").unwrap();
    let grant = PointsCommand::GrantBadge {
        badge: vip(),
        member: id("u1"),
    };
    run(&store, &Actor::Operator, grant).unwrap();
    let revoke = PointsCommand::RevokeBadge {
        badge: vip(),
        member: id("u1"),
    };
    run(&store, &owner(), revoke.clone()).unwrap();
    // Refusals add nothing to the log.
    assert!(run(&store, &marketer("mod@brand.example"), adjust_req("u1", 5)).is_err());
    assert!(run(&store, &owner(), revoke).is_err());

    let log = audit(&store);
    let lines: Vec<_> = log
        .iter()
        .map(|e| (e.action.clone(), e.role, e.reason.as_str().to_owned()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                AuditAction::AdjustPoints { delta: 5 },
                ActorRole::Owner,
                "meetup photos".to_owned()
            ),
            (
                AuditAction::GrantBadge { badge: vip() },
                ActorRole::Owner,
                String::new()
            ),
            (
                AuditAction::RevokeBadge { badge: vip() },
                ActorRole::Owner,
                String::new()
            ),
        ]
    );
    assert_eq!(
        log[0].actor,
        ActorRef::Staff {
            email: Email::parse("owner@brand.example").unwrap()
        }
    );
    for entry in &log {
        assert_eq!(entry.target, AuditTarget::Member { member: id("u1") });
    }
}
