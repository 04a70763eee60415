//! The team through the application layer: invites by link (digest only stored, single
//! use, expiry, revocation, the invited email), who may invite which role, role changes
//! and removals that never leave the community without an owner, the audit log, and
//! refusals that write nothing.

use serde_json::json;

use super::{
    CreatedInvite, Invite, InviteId, InviteToken, JoinedTeam, NewInvite, Team, TeamCommand,
    TeamReply, Teammate, tkeys,
};
use crate::accounts::{Email, Role};
use crate::app::Actor;
use crate::app::testing::{NOON, run};
use crate::app::{Command, Reply};
use crate::error::{ApiError, ErrorCode};
use crate::ids::CommunitySlug;
use crate::moderation::AuditEntry;
use crate::moderation::{self, AuditAction, AuditTarget};
use crate::store::{Batch, Store};
use crate::store::{MemoryStore, block_on};
use crate::team::INVITE_MILLIS;
use crate::time::Timestamp;

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

fn marketer(s: &str) -> Actor {
    Actor::Marketer { email: email(s) }
}

fn token(c: char) -> InviteToken {
    InviteToken::parse(&c.to_string().repeat(64)).unwrap()
}

/// `demo`, created by the owner `own@brand.example`.
fn community() -> MemoryStore {
    let store = MemoryStore::new();
    let settings = serde_json::from_value(json!({"name": "Demo"})).unwrap();
    run(
        &store,
        &marketer("own@brand.example"),
        Command::CreateCommunity { settings },
        NOON,
    )
    .unwrap();
    store
}

fn ask(
    store: &MemoryStore,
    actor: &Actor,
    command: TeamCommand,
    now: Timestamp,
) -> Result<TeamReply, ApiError> {
    match run(store, actor, Command::Team(command), now)? {
        Reply::Team(reply) => Ok(reply),
        other => panic!("not a team reply: {other:?}"),
    }
}

fn invite(
    store: &MemoryStore,
    by: &Actor,
    who: &str,
    role: Role,
    t: char,
) -> Result<CreatedInvite, ApiError> {
    let request = NewInvite {
        email: email(who),
        role,
    };
    let command = TeamCommand::Invite {
        token: token(t),
        request,
        lifetime_millis: None,
    };
    match ask(store, by, command, NOON)? {
        TeamReply::Created(created) => Ok(created),
        other => panic!("{other:?}"),
    }
}

fn accept(store: &MemoryStore, who: &str, t: char, now: Timestamp) -> Result<JoinedTeam, ApiError> {
    match ask(
        store,
        &marketer(who),
        TeamCommand::Accept { token: token(t) },
        now,
    )? {
        TeamReply::JoinedTeam(joined) => Ok(joined),
        other => panic!("{other:?}"),
    }
}

fn team(store: &MemoryStore, actor: &Actor) -> Result<Team, ApiError> {
    match ask(store, actor, TeamCommand::Get, NOON)? {
        TeamReply::Team(team) => Ok(team),
        other => panic!("{other:?}"),
    }
}

fn set_role(
    store: &MemoryStore,
    by: &Actor,
    who: &str,
    role: Option<Role>,
) -> Result<Teammate, ApiError> {
    let command = match role {
        Some(role) => TeamCommand::SetRole {
            email: email(who),
            role,
        },
        None => TeamCommand::Remove { email: email(who) },
    };
    match ask(store, by, command, NOON)? {
        TeamReply::Teammate(t) => Ok(t),
        other => panic!("{other:?}"),
    }
}

fn audit_log(store: &MemoryStore) -> Vec<AuditEntry> {
    block_on(store.list("mod/audit/", None, 100))
        .unwrap()
        .entries
        .into_iter()
        .map(|(_, v)| serde_json::from_str(&v).unwrap())
        .collect()
}

/// Adds `who` to the team with `role` through an invite from the owner.
fn join(store: &MemoryStore, who: &str, role: Role, t: char) -> Actor {
    invite(store, &marketer("own@brand.example"), who, role, t).unwrap();
    accept(store, who, t, NOON).unwrap();
    marketer(who)
}

#[test]
fn an_invite_link_brings_a_marketer_in_once() {
    let store = community();
    let owner = marketer("own@brand.example");
    let created = invite(&store, &owner, " Mia@Brand.Example ", Role::Moderator, 'a').unwrap();
    assert_eq!(created.invite.email.as_str(), "mia@brand.example");
    assert_eq!(created.invite.expires_at, NOON.plus_millis(INVITE_MILLIS));
    assert_eq!(
        created.path,
        format!("/dashboard/#/invite/demo/{}", "a".repeat(64))
    );
    // Only the digest is stored.
    let stored = block_on(store.list(tkeys::INVITES, None, 10))
        .unwrap()
        .entries;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0, tkeys::invite(&token('a').digest()));
    assert!(!stored[0].1.contains(&"a".repeat(64)));
    assert!(!stored[0].0.contains(&"a".repeat(64)));

    let listed = team(&store, &owner).unwrap();
    assert_eq!(listed.you, Role::Owner);
    assert!(listed.can_manage);
    assert_eq!(listed.invites, vec![created.invite.clone()]);
    assert_eq!(
        listed.teammates,
        vec![Teammate {
            email: email("own@brand.example"),
            role: Role::Owner
        }]
    );

    // Another account cannot use it; the invite stays pending.
    let other = accept(&store, "leo@brand.example", 'a', NOON).unwrap_err();
    assert_eq!(other.code, ErrorCode::Forbidden);
    assert!(
        other.message.contains("m***@brand.example"),
        "{}",
        other.message
    );
    let joined = accept(&store, "mia@brand.example", 'a', NOON).unwrap();
    assert_eq!(
        joined,
        JoinedTeam {
            slug: CommunitySlug::parse("demo").unwrap(),
            role: Role::Moderator
        }
    );
    let again = accept(&store, "mia@brand.example", 'a', NOON).unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
    assert!(again.message.contains("already used"), "{}", again.message);
    let wrong = accept(&store, "mia@brand.example", 'f', NOON).unwrap_err();
    assert_eq!(wrong.code, ErrorCode::NotFound);

    let after = team(&store, &owner).unwrap();
    assert!(after.invites.is_empty());
    assert_eq!(after.teammates.len(), 2);
    assert_eq!(after.teammates[1].role, Role::Moderator);
    // The moderator reads the team but no invites, and manages nothing.
    let mia = marketer("mia@brand.example");
    let theirs = team(&store, &mia).unwrap();
    assert_eq!((theirs.you, theirs.can_manage), (Role::Moderator, false));
    assert_eq!(theirs.teammates, after.teammates);
    let refused = invite(&store, &mia, "bo@brand.example", Role::Moderator, 'b').unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);

    let log = audit_log(&store);
    let actions: Vec<_> = log.iter().map(|e| e.action.clone()).collect();
    assert_eq!(
        actions,
        vec![
            AuditAction::InviteStaff {
                role: Role::Moderator
            },
            AuditAction::AcceptInvite {
                role: Role::Moderator
            },
        ]
    );
    assert_eq!(
        log[1].target,
        AuditTarget::Staff {
            email: email("mia@brand.example")
        }
    );
}

#[test]
fn expired_and_revoked_invites_are_refused_and_strangers_see_no_team() {
    let store = community();
    let owner = marketer("own@brand.example");
    invite(&store, &owner, "late@brand.example", Role::Admin, 'a').unwrap();
    let expired = accept(
        &store,
        "late@brand.example",
        'a',
        NOON.plus_millis(INVITE_MILLIS),
    )
    .unwrap_err();
    assert_eq!(expired.code, ErrorCode::Conflict);
    assert!(expired.message.contains("expired"), "{}", expired.message);

    let created = invite(&store, &owner, "gone@brand.example", Role::Admin, 'b').unwrap();
    let dup = invite(&store, &owner, "gone@brand.example", Role::Moderator, 'c').unwrap_err();
    assert_eq!(dup.code, ErrorCode::Conflict);
    let revoked = ask(
        &store,
        &owner,
        TeamCommand::Revoke {
            invite: created.invite.id.clone(),
        },
        NOON,
    )
    .unwrap();
    assert_eq!(revoked, TeamReply::Revoked(created.invite.clone()));
    let refused = accept(&store, "gone@brand.example", 'b', NOON).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert!(refused.message.contains("revoked"), "{}", refused.message);
    let unknown = ask(
        &store,
        &owner,
        TeamCommand::Revoke {
            invite: InviteId::parse("0123456789abcdef").unwrap(),
        },
        NOON,
    )
    .unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);

    let writes = store.ops().commits;
    for stranger in [marketer("nobody@brand.example"), Actor::Anonymous] {
        assert!(team(&store, &stranger).is_err());
        assert!(invite(&store, &stranger, "x@brand.example", Role::Moderator, 'd').is_err());
    }
    let anonymous = ask(
        &store,
        &Actor::Anonymous,
        TeamCommand::Accept { token: token('b') },
        NOON,
    )
    .unwrap_err();
    assert_eq!(anonymous.code, ErrorCode::Unauthenticated);
    assert_eq!(store.ops().commits, writes, "refusals write nothing");
}

#[test]
fn admins_manage_admins_and_moderators_but_never_owners() {
    let store = community();
    let admin = join(&store, "ada@brand.example", Role::Admin, 'a');
    let refused = invite(&store, &admin, "boss2@brand.example", Role::Owner, 'b').unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    invite(&store, &admin, "adm2@brand.example", Role::Admin, 'c').unwrap();
    accept(&store, "adm2@brand.example", 'c', NOON).unwrap();
    let owner_invite = invite(
        &store,
        &marketer("own@brand.example"),
        "co@brand.example",
        Role::Owner,
        'd',
    )
    .unwrap();
    // An admin cannot withdraw an owner's invite, nor touch the owner.
    let revoke = TeamCommand::Revoke {
        invite: owner_invite.invite.id,
    };
    assert_eq!(
        ask(&store, &admin, revoke, NOON).unwrap_err().code,
        ErrorCode::Forbidden
    );
    for to in [Some(Role::Admin), None] {
        let err = set_role(&store, &admin, "own@brand.example", to).unwrap_err();
        assert_eq!(err.code, ErrorCode::Forbidden);
    }
    // An admin demotes another admin, then removes them.
    let demoted = set_role(&store, &admin, "adm2@brand.example", Some(Role::Moderator)).unwrap();
    assert_eq!(demoted.role, Role::Moderator);
    let same = set_role(&store, &admin, "adm2@brand.example", Some(Role::Moderator)).unwrap_err();
    assert_eq!(same.code, ErrorCode::Conflict);
    set_role(&store, &admin, "adm2@brand.example", None).unwrap();
    let gone = set_role(&store, &admin, "adm2@brand.example", None).unwrap_err();
    assert_eq!(gone.code, ErrorCode::NotFound);
    // A removed teammate is no longer staff.
    assert_eq!(
        team(&store, &marketer("adm2@brand.example"))
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
    // Inviting someone already on the team is refused.
    let dup = invite(&store, &admin, "ada@brand.example", Role::Moderator, 'e').unwrap_err();
    assert_eq!(dup.code, ErrorCode::Conflict);
    let log = audit_log(&store);
    assert!(log.iter().any(|e| e.action
        == AuditAction::ChangeStaffRole {
            from: Some(Role::Admin),
            to: Some(Role::Moderator)
        }));
    assert!(log.iter().any(|e| e.action
        == AuditAction::ChangeStaffRole {
            from: Some(Role::Moderator),
            to: None
        }));
}

#[test]
fn the_last_owner_stays() {
    let store = community();
    let owner = marketer("own@brand.example");
    for to in [Some(Role::Admin), None] {
        let err = set_role(&store, &owner, "own@brand.example", to).unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);
        assert!(err.message.contains("last owner"), "{}", err.message);
    }
    // The operator acts as an owner, and is bound by the same rule.
    let err = set_role(&store, &Actor::Operator, "own@brand.example", None).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    // With a second owner, the first may step down.
    let co = join(&store, "co@brand.example", Role::Moderator, 'a');
    set_role(&store, &owner, "co@brand.example", Some(Role::Owner)).unwrap();
    set_role(&store, &owner, "own@brand.example", Some(Role::Admin)).unwrap();
    let err = set_role(&store, &co, "co@brand.example", None).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    let listed = team(&store, &co).unwrap();
    assert_eq!(
        listed
            .teammates
            .iter()
            .map(|t| (t.email.as_str(), t.role))
            .collect::<Vec<_>>(),
        vec![
            ("co@brand.example", Role::Owner),
            ("own@brand.example", Role::Admin)
        ]
    );
}

#[test]
fn accepting_while_already_on_the_team_changes_nothing() {
    let store = community();
    join(&store, "mia@brand.example", Role::Moderator, 'a');
    // An owner of this community cannot be re-invited; an invite made before they joined
    // some other way is refused on use and stays pending.
    let mut batch = Batch::new();
    let invite_for_owner = Invite::new(
        &moderation::Actor::staff(email("own@brand.example"), Role::Owner),
        &email("own@brand.example"),
        &token('b'),
        (email("mia@brand.example"), Role::Admin),
        INVITE_MILLIS,
        NOON,
    )
    .unwrap();
    batch
        .put_json(tkeys::invite(&token('b').digest()), &invite_for_owner)
        .unwrap();
    block_on(store.commit(batch)).unwrap();
    let writes = store.ops().commits;
    let err = accept(&store, "mia@brand.example", 'b', NOON).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(store.ops().commits, writes);
}

#[test]
fn a_deployment_may_shorten_the_lifetime_but_never_lengthen_it() {
    let store = community();
    let owner = marketer("own@brand.example");
    for (t, lifetime, want) in [
        ('a', Some(1), NOON.plus_millis(1)),
        ('b', Some(0), NOON.plus_millis(1)),
        (
            'c',
            Some(30 * INVITE_MILLIS),
            NOON.plus_millis(INVITE_MILLIS),
        ),
    ] {
        let command = TeamCommand::Invite {
            token: token(t),
            request: NewInvite {
                email: email(&format!("{t}@brand.example")),
                role: Role::Moderator,
            },
            lifetime_millis: lifetime,
        };
        let TeamReply::Created(created) = ask(&store, &owner, command, NOON).unwrap() else {
            panic!()
        };
        assert_eq!(created.invite.expires_at, want, "{lifetime:?}");
    }
    let late = accept(&store, "a@brand.example", 'a', NOON.plus_millis(1)).unwrap_err();
    assert_eq!(late.code, ErrorCode::Conflict);
}
