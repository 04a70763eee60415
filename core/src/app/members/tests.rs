//! The members directory through the application layer: exact answers for every filter,
//! one member's page with their timeline, staff tags (audited, counted by segments), and
//! refusals that write nothing.

use serde_json::json;

use super::*;
use crate::accounts::{Email, Role};
use crate::app::testing::{NOON, claims, community_with_key, run, signed};
use crate::app::{Command, handle as app_handle};
use crate::insight::segment::Filter;
use crate::points::Reason;
use crate::sso::SsoKey;
use crate::store::{MemoryStore, block_on};

/// Five days after the first check-ins.
const LATER: Timestamp = Timestamp(NOON.0 + 5 * Timestamp::DAY);

fn checkin(store: &MemoryStore, key: &SsoKey, sub: &str, name: &str, tags: &[&str], at: Timestamp) {
    let mut claims = claims(sub, name, "demo", at);
    claims["tags"] = json!(tags);
    run(store, &signed(key, &claims), Command::CheckIn, at).unwrap();
}

fn staff(store: &MemoryStore, email: &str, role: Role) -> Actor {
    let email = Email::parse(email).unwrap();
    let mut batch = Batch::new();
    batch.put_json(keys::staff(&email), &role).unwrap();
    block_on(store.commit(batch)).unwrap();
    Actor::Marketer { email }
}

/// `demo` with three members: u1 "Lin Wei" (brand tag vip) checked in on day 0; u2 "Mia"
/// on days 0 and 5 and got 100 points from staff; u3 "Bo" on day 5.
fn directory() -> (MemoryStore, SsoKey) {
    let (store, key) = community_with_key(NOON);
    checkin(&store, &key, "u1", "Lin Wei", &["VIP"], NOON);
    checkin(&store, &key, "u2", "Mia", &[], NOON);
    checkin(&store, &key, "u2", "Mia", &[], LATER);
    checkin(&store, &key, "u3", "Bo", &["runner"], LATER);
    let adjust = json!({"type": "adjust", "member": "u2", "delta": 100, "reason": "meetup photos"});
    run(
        &store,
        &Actor::Operator,
        Command::Points(serde_json::from_value(adjust).unwrap()),
        LATER,
    )
    .unwrap();
    (store, key)
}

fn ask(
    store: &MemoryStore,
    actor: &Actor,
    command: serde_json::Value,
) -> Result<MembersReply, ApiError> {
    let command = Command::Members(serde_json::from_value(command).unwrap());
    match run(store, actor, command, LATER)? {
        Reply::Members(reply) => Ok(reply),
        other => panic!("not a members reply: {other:?}"),
    }
}

fn search(
    store: &MemoryStore,
    actor: &Actor,
    query: &[(&str, &str)],
) -> Result<Paged<MemberSummary>, ApiError> {
    let pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let command = Command::Members(list_from_query(&pairs)?);
    match run(store, actor, command, LATER)? {
        Reply::Members(MembersReply::Directory(page)) => Ok(page),
        other => panic!("not a directory: {other:?}"),
    }
}

/// A directory query as its pairs.
type Query<'a> = &'a [(&'a str, &'a str)];

fn ids(page: &Paged<MemberSummary>) -> Vec<&str> {
    page.items.iter().map(|m| m.member.as_str()).collect()
}

fn detail_of(store: &MemoryStore, actor: &Actor, member: &str) -> MemberDetail {
    match ask(store, actor, json!({"type": "get", "member": member})).unwrap() {
        MembersReply::Member(detail) => *detail,
        other => panic!("not a member: {other:?}"),
    }
}

#[test]
fn every_filter_gives_exact_answers() {
    let (store, _) = directory();
    let moderator = staff(&store, "mo@brand.example", Role::Moderator);
    let all = search(&store, &moderator, &[]).unwrap();
    assert_eq!(ids(&all), ["u1", "u2", "u3"]);
    assert_eq!(all.next, None);
    let u2 = &all.items[1];
    assert_eq!(u2.name.as_deref(), Some("Mia"));
    assert_eq!(
        u2.last_active,
        Some(LATER.local_day(Default::default()).unwrap())
    );
    let checkin_points = all.items[0].points;
    assert!(checkin_points > 0, "a check-in earns points");
    assert_eq!(u2.points, 2 * checkin_points + 100);
    assert_eq!(u2.balance, u2.points);

    let table: &[(Query, &[&str])] = &[
        (&[("q", "mia")], &["u2"]),
        (&[("q", "U1")], &["u1"]),
        (&[("q", "wei")], &["u1"]),
        (&[("q", "nobody")], &[]),
        (&[("tag", "vip")], &["u1"]),
        (&[("tag", "Runner")], &["u3"]),
        (&[("active_within_days", "1")], &["u2", "u3"]),
        (&[("active_within_days", "6")], &["u1", "u2", "u3"]),
        (&[("inactive_days", "5")], &["u1"]),
        (&[("inactive_days", "6")], &[]),
        (&[("min_points", "100")], &["u2"]),
        (&[("max_points", "99")], &["u1", "u3"]),
        (&[("level", "1")], &["u1", "u3"]),
        (
            &[("min_points", "1"), ("active_within_days", "1"), ("q", "b")],
            &["u3"],
        ),
        (&[("tag", ""), ("q", "")], &["u1", "u2", "u3"]),
    ];
    for (query, want) in table {
        let page = search(&store, &moderator, query).unwrap();
        assert_eq!(ids(&page), *want, "{query:?}");
    }
    let level = all.items[1].level;
    assert!(level > 1, "u2's 100 points lift them past level 1");
    let page = search(&store, &moderator, &[("level", &level.to_string())]).unwrap();
    assert_eq!(ids(&page), ["u2"]);
}

#[test]
fn pages_follow_the_cursor() {
    let (store, _) = directory();
    let first = search(&store, &Actor::Operator, &[("limit", "2")]).unwrap();
    assert_eq!(ids(&first), ["u1", "u2"]);
    let cursor = first.next.clone().expect("a next page").encode();
    let second = search(
        &store,
        &Actor::Operator,
        &[("limit", "2"), ("cursor", &cursor)],
    )
    .unwrap();
    assert_eq!(ids(&second), ["u3"]);
    assert_eq!(second.next, None);
    let exact = search(&store, &Actor::Operator, &[("limit", "3")]).unwrap();
    assert_eq!(exact.next, None, "the last member ends the list");
}

#[test]
fn a_members_page_shows_the_adjustment_in_the_timeline() {
    let (store, _) = directory();
    let moderator = staff(&store, "mo@brand.example", Role::Moderator);
    let detail = detail_of(&store, &moderator, "u2");
    assert_eq!(detail.summary.name.as_deref(), Some("Mia"));
    assert_eq!(detail.balance.balance, detail.summary.balance);
    assert_eq!(detail.level.level, detail.summary.level);
    let newest = detail.timeline.first().expect("a timeline");
    let TimelineItem::Points { entry, .. } = newest else {
        panic!("the adjustment is newest: {newest:?}")
    };
    assert_eq!(entry.delta, 100);
    let Reason::Adjustment { note, by } = &entry.reason else {
        panic!("an adjustment: {entry:?}")
    };
    assert_eq!((note.as_str(), by.as_str()), ("meetup photos", "operator"));
    let checkins = detail
        .timeline
        .iter()
        .filter(|i| {
            matches!(
                i,
                TimelineItem::Activity {
                    activity: ActivityKind::CheckedIn,
                    ..
                }
            )
        })
        .count();
    assert_eq!(checkins, 2, "both check-ins, from the two active days");
    let times: Vec<Timestamp> = detail.timeline.iter().map(TimelineItem::at).collect();
    let mut sorted = times.clone();
    sorted.sort_by_key(|t| std::cmp::Reverse(*t));
    assert_eq!(times, sorted, "newest first");
}

#[test]
fn staff_tags_are_audited_and_count_as_tags() {
    let (store, _) = directory();
    let moderator = staff(&store, "mo@brand.example", Role::Moderator);
    let tag = |member: &str, tag: &str, add: bool| {
        let kind = if add { "tag" } else { "untag" };
        ask(
            &store,
            &moderator,
            json!({"type": kind, "member": member, "tag": tag}),
        )
    };
    let MembersReply::Tags(tags) = tag("u3", "VIP", true).unwrap() else {
        panic!("tags")
    };
    assert_eq!(tags.staff_tags, [BrandTag::parse("vip").unwrap()]);
    assert_eq!(tags.brand_tags, [BrandTag::parse("runner").unwrap()]);
    let page = search(&store, &moderator, &[("tag", "vip")]).unwrap();
    assert_eq!(ids(&page), ["u1", "u3"], "brand and staff tags both count");
    assert!(
        block_on(crate::app::insight::matches(
            &store,
            &Filter::Tag(BrandTag::parse("vip").unwrap()),
            &MemberId::parse("u3").unwrap(),
            LATER.local_day(Default::default()).unwrap(),
        ))
        .unwrap(),
        "segments see staff tags"
    );
    assert_eq!(
        detail_of(&store, &moderator, "u3").summary.staff_tags.len(),
        1
    );

    // Tagging again changes nothing and writes nothing.
    let commits = store.ops().commits;
    tag("u3", "vip", true).unwrap();
    assert_eq!(store.ops().commits, commits);

    tag("u3", "vip", false).unwrap();
    let page = search(&store, &moderator, &[("tag", "vip")]).unwrap();
    assert_eq!(ids(&page), ["u1"]);

    let audit = run(
        &store,
        &Actor::Operator,
        Command::Membership(super::super::membership::MembershipCommand::Audit { cursor: None }),
        LATER,
    )
    .unwrap();
    let Reply::Membership(super::super::membership::MembershipReply::Audit(log)) = audit else {
        panic!("the audit log")
    };
    let actions: Vec<&AuditAction> = log.items.iter().map(|r| &r.entry.action).collect();
    let vip = BrandTag::parse("vip").unwrap();
    assert_eq!(
        actions,
        [
            // The fixture's staff adjustment (`directory`) is audited too.
            &AuditAction::AdjustPoints { delta: 100 },
            &AuditAction::TagMember { tag: vip.clone() },
            &AuditAction::UntagMember { tag: vip }
        ]
    );
    assert!(log.items.iter().skip(1).all(|r| r.entry.target
        == AuditTarget::Member {
            member: MemberId::parse("u3").unwrap()
        }));
}

#[test]
fn bad_requests_are_refused_and_write_nothing() {
    let (store, _) = directory();
    let admin = staff(&store, "ad@brand.example", Role::Admin);
    let commits = store.ops().commits;
    let unknown = ask(&store, &admin, json!({"type": "get", "member": "ghost"})).unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);
    for kind in ["tag", "untag"] {
        let err = ask(
            &store,
            &admin,
            json!({"type": kind, "member": "ghost", "tag": "vip"}),
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::NotFound, "{kind}");
    }
    let absent = ask(
        &store,
        &admin,
        json!({"type": "untag", "member": "u1", "tag": "gold"}),
    )
    .unwrap_err();
    assert_eq!(absent.code, ErrorCode::NotFound);
    assert!(absent.message.contains("gold"));

    let bad_queries: &[&[(&str, &str)]] = &[
        &[("min_points", "10"), ("max_points", "5")],
        &[("level", "0")],
        &[("level", "two")],
        &[("limit", "0")],
        &[("limit", "201")],
        &[("tag", "a/b")],
        &[("inactive_days", "0")],
        &[("colour", "red")],
        &[("q", "a"), ("q", "b")],
        &[("cursor", "!!")],
        &[("q", &"x".repeat(65))],
    ];
    for query in bad_queries {
        let err = search(&store, &admin, query).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{query:?}");
    }
    for bad in ["", "a/b", &"t".repeat(41)] {
        assert!(BrandTag::parse(bad).is_err(), "{bad:?} is no tag");
        let command: Result<MembersCommand, _> =
            serde_json::from_value(json!({"type": "tag", "member": "u1", "tag": bad}));
        assert!(command.is_err(), "{bad:?}");
    }
    // Too many staff tags.
    for n in 0..MAX_STAFF_TAGS {
        ask(
            &store,
            &admin,
            json!({"type": "tag", "member": "u1", "tag": format!("t{n}")}),
        )
        .unwrap();
    }
    let after_tags = store.ops().commits;
    let full = ask(
        &store,
        &admin,
        json!({"type": "tag", "member": "u1", "tag": "one-more"}),
    )
    .unwrap_err();
    assert_eq!(full.code, ErrorCode::InvalidInput);
    assert_eq!(store.ops().commits, after_tags, "a refusal writes nothing");
    assert_eq!(after_tags, commits + MAX_STAFF_TAGS);
}

#[test]
fn only_staff_see_members_and_one_community_never_sees_another() {
    let (store, key) = directory();
    let member = signed(&key, &claims("u1", "Lin", "demo", LATER));
    let stranger = Actor::Marketer {
        email: Email::parse("x@elsewhere.example").unwrap(),
    };
    let commits = store.ops().commits;
    for command in [
        json!({"type": "list"}),
        json!({"type": "get", "member": "u1"}),
        json!({"type": "tag", "member": "u1", "tag": "x"}),
        json!({"type": "untag", "member": "u1", "tag": "vip"}),
    ] {
        for who in [&member, &stranger] {
            let err = ask(&store, who, command.clone()).unwrap_err();
            assert_eq!(err.code, ErrorCode::Forbidden, "{command}");
        }
        let err = ask(&store, &Actor::Anonymous, command.clone()).unwrap_err();
        assert_eq!(err.code, ErrorCode::Unauthenticated, "{command}");
    }
    assert_eq!(store.ops().commits, commits, "refusals write nothing");

    // Community B, with its own staff and member: A's staff are strangers there, and each
    // directory holds only its own members.
    let other = MemoryStore::new();
    let other_slug = CommunitySlug::parse("other").unwrap();
    let b_owner = Actor::Marketer {
        email: Email::parse("owner@b.example").unwrap(),
    };
    let create = Command::CreateCommunity {
        settings: serde_json::from_value(json!({"name": "B"})).unwrap(),
    };
    block_on(app_handle(&other, &other_slug, &b_owner, create, NOON)).unwrap();
    let a_admin = staff(&store, "ad@brand.example", Role::Admin);
    let list = || {
        Command::Members(MembersCommand::List {
            query: MemberQuery::default(),
            cursor: None,
            limit: None,
        })
    };
    let refused = block_on(app_handle(&other, &other_slug, &a_admin, list(), LATER)).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    let Reply::Members(MembersReply::Directory(b)) =
        block_on(app_handle(&other, &other_slug, &b_owner, list(), LATER))
            .unwrap()
            .reply
    else {
        panic!("a directory")
    };
    assert!(b.items.is_empty(), "B has no members of A");
    let get_u1 = Command::Members(MembersCommand::Get {
        member: MemberId::parse("u1").unwrap(),
    });
    let err = block_on(app_handle(&other, &other_slug, &b_owner, get_u1, LATER)).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[test]
fn the_directory_and_a_members_page_show_a_member_moderator() {
    let (store, _) = directory();
    let role =
        json!({"type": "set_member_role", "member": "u2", "request": {"role": "member_moderator"}});
    run(
        &store,
        &Actor::Operator,
        Command::Membership(serde_json::from_value(role).unwrap()),
        LATER,
    )
    .unwrap();
    let page = search(&store, &Actor::Operator, &[]).unwrap();
    let roles: Vec<(&str, MemberRole)> = page
        .items
        .iter()
        .map(|m| (m.member.as_str(), m.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("u1", MemberRole::Member),
            ("u2", MemberRole::MemberModerator),
            ("u3", MemberRole::Member)
        ]
    );
    // On the wire a plain member's summary says nothing about the role.
    let wire = serde_json::to_value(&page.items).unwrap();
    assert_eq!(wire[0].get("role"), None);
    assert_eq!(wire[1]["role"], "member_moderator");
    let detail = detail_of(&store, &Actor::Operator, "u2");
    assert_eq!(detail.role, MemberRole::MemberModerator);
    assert_eq!(detail.summary.role, MemberRole::MemberModerator);
}
