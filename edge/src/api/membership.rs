//! HTTP routes of the membership area: joining (`join`, `members/me`, `applications`) and
//! moderation (`moderation/…`, `members/{member}/ban|role`).
//!
//! Staff routes take the operator's bearer token, a marketer's session (writes with the
//! CSRF token) or a member's token (member moderators); core decides who may do what.

use quanzi_core::app::{Actor, Command};
use quanzi_core::error::ApiError;
use quanzi_core::ids::{CommunitySlug, MemberId};
use quanzi_core::join::{JoinPolicy, JoinRequest};
use quanzi_core::moderation::{
    BanDays, ContentRef, MemberRoleRequest, ModReason, ModerationSettings, ReportRequest,
    ResolveRequest,
};
use quanzi_core::talk::Cursor;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use worker::{Env, Method, Request};

use super::{
    Answer, body, member_actor, member_with_body, not_allowed, query, run, staff_actor,
    staff_reader, staff_with_body,
};
use crate::http;
use crate::operator;

use quanzi_core::app::membership::MembershipCommand as C;

/// Routes `rest` (starting with this area's first segment), or `None` if unknown here.
pub async fn route(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Option<Answer> {
    let method = req.method();
    let answer = match (rest, method) {
        (["join"], Method::Get) => {
            let actor = member_actor(&req);
            send(env, slug, actor, C::GetJoinPolicy, 200).await
        }
        (["join"], Method::Put) => put_join_policy(&mut req, env, slug).await,
        (["join"], Method::Post) => join(&mut req, env, slug).await,
        (["join"], _) => not_allowed("GET, PUT, POST"),

        (["members", "me"], Method::Get) => {
            let actor = member_actor(&req);
            send(env, slug, actor, C::MyMembership, 200).await
        }
        (["members", "me"], _) => not_allowed("GET"),
        (["members", member, "ban"], Method::Put) => ban(&mut req, env, slug, member).await,
        (["members", member, "ban"], Method::Delete) => unban(&mut req, env, slug, member).await,
        (["members", _, "ban"], _) => not_allowed("PUT, DELETE"),
        (["members", member, "role"], Method::Put) => set_role(&mut req, env, slug, member).await,
        (["members", _, "role"], _) => not_allowed("PUT"),

        (["applications"], Method::Get) => match cursor(&req) {
            Ok(cursor) => read(&req, env, slug, C::ListApplications { cursor }).await,
            Err(e) => Err(e),
        },
        (["applications"], _) => not_allowed("GET"),
        (["applications", member, decision @ ("approve" | "reject")], Method::Post) => {
            review(&mut req, env, slug, member, *decision == "approve").await
        }
        (["applications", _, "approve" | "reject"], _) => not_allowed("POST"),

        (["moderation", "reports"], Method::Post) => report(&mut req, env, slug).await,
        (["moderation", "reports"], _) => not_allowed("POST"),
        (["moderation", "reports", "resolve"], Method::Post) => resolve(&mut req, env, slug).await,
        (["moderation", "reports", "resolve"], _) => not_allowed("POST"),
        (["moderation", "queue"], Method::Get) => match cursor(&req) {
            Ok(cursor) => read(&req, env, slug, C::Queue { cursor }).await,
            Err(e) => Err(e),
        },
        (["moderation", "queue"], _) => not_allowed("GET"),
        (["moderation", action @ ("hide" | "restore")], Method::Post) => {
            set_visibility(&mut req, env, slug, *action == "hide").await
        }
        (["moderation", "hide" | "restore"], _) => not_allowed("POST"),
        (["moderation", decision @ ("approve" | "reject")], Method::Post) => {
            review_post(&mut req, env, slug, *decision == "approve").await
        }
        (["moderation", "approve" | "reject"], _) => not_allowed("POST"),
        (["moderation", "audit"], Method::Get) => match cursor(&req) {
            Ok(cursor) => read(&req, env, slug, C::Audit { cursor }).await,
            Err(e) => Err(e),
        },
        (["moderation", "audit"], _) => not_allowed("GET"),
        (["moderation", "bans"], Method::Get) => match cursor(&req) {
            Ok(cursor) => read(&req, env, slug, C::ListBans { cursor }).await,
            Err(e) => Err(e),
        },
        (["moderation", "bans"], _) => not_allowed("GET"),
        (["moderation", "settings"], Method::Get) => {
            read(&req, env, slug, C::GetModerationSettings).await
        }
        (["moderation", "settings"], Method::Put) => put_settings(&mut req, env, slug).await,
        (["moderation", "settings"], _) => not_allowed("GET, PUT"),
        _ => return None,
    };
    Some(answer)
}

fn membership(command: C) -> Command {
    Command::Membership(command)
}

async fn send(env: &Env, slug: &CommunitySlug, actor: Actor, command: C, status: u16) -> Answer {
    run(env, slug, actor, membership(command), status).await
}

/// Who acts on a moderation route: the operator, a member (bearer token), or a marketer
/// (session; writes need the CSRF token).
async fn moderator(req: &Request, env: &Env, write: bool) -> Result<Actor, ApiError> {
    if operator::is_operator(req, env) {
        return Ok(Actor::Operator);
    }
    match member_actor(req) {
        Actor::Anonymous if write => staff_actor(req, env).await,
        Actor::Anonymous => staff_reader(req, env).await,
        member => Ok(member),
    }
}

async fn read(req: &Request, env: &Env, slug: &CommunitySlug, command: C) -> Answer {
    let actor = moderator(req, env, false).await?;
    send(env, slug, actor, command, 200).await
}

async fn write(req: &Request, env: &Env, slug: &CommunitySlug, command: C) -> Answer {
    let actor = moderator(req, env, true).await?;
    send(env, slug, actor, command, 200).await
}

fn cursor(req: &Request) -> Result<Option<Cursor>, ApiError> {
    match query(req, "cursor")? {
        Some(raw) if !raw.is_empty() => Cursor::parse(&raw)
            .map(Some)
            .map_err(|e| ApiError::invalid(e.to_string())),
        _ => Ok(None),
    }
}

fn member_id(raw: &str) -> Result<MemberId, ApiError> {
    MemberId::parse(raw).map_err(|e| ApiError::invalid(e.to_string()))
}

/// A JSON body that may be absent (then `T::default()`).
async fn optional_body<T: DeserializeOwned + Default>(req: &mut Request) -> Result<T, ApiError> {
    let text = http::read_text(req).await?;
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    http::parse_json(&text)
}

/// `{"reason": "…"}`, optional.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonBody {
    #[serde(default)]
    reason: ModReason,
}

/// `PUT …/join`: owner or admin.
async fn put_join_policy(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    staff_with_body(req, env, slug, 200, |policy: JoinPolicy| {
        membership(C::PutJoinPolicy { policy })
    })
    .await
}

/// `POST …/join` `{"accept_rules": true, "answers": [...]}`: 201.
async fn join(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    member_with_body(req, env, slug, 201, |request: JoinRequest| {
        membership(C::Join { request })
    })
    .await
}

/// `POST …/applications/{member}/approve|reject` `{"reason"?}`.
async fn review(
    req: &mut Request,
    env: &Env,
    slug: &CommunitySlug,
    member: &str,
    approve: bool,
) -> Answer {
    let member = member_id(member)?;
    let actor = moderator(req, env, true).await?;
    let ReasonBody { reason } = optional_body(req).await?;
    let command = C::ReviewApplication {
        member,
        approve,
        reason,
    };
    send(env, slug, actor, command, 200).await
}

/// `POST …/moderation/reports` `{"target", "reason", "note"?}`: a member, 201.
async fn report(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    member_with_body(req, env, slug, 201, |request: ReportRequest| {
        membership(C::Report { request })
    })
    .await
}

/// `POST …/moderation/reports/resolve` `{"target", "decision", "note"?}`.
async fn resolve(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let request: ResolveRequest = body(req).await?;
    write(req, env, slug, C::Resolve { request }).await
}

/// `POST …/moderation/hide|restore` `{"target": {"kind": "post", "thread"}, "reason"?}`.
async fn set_visibility(req: &mut Request, env: &Env, slug: &CommunitySlug, hide: bool) -> Answer {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        target: ContentRef,
        #[serde(default)]
        reason: ModReason,
    }
    let Body { target, reason } = body(req).await?;
    let command = C::SetVisibility {
        content: target,
        hide,
        reason,
    };
    write(req, env, slug, command).await
}

/// `POST …/moderation/approve|reject` `{"target": {"kind": "post", "thread"}, "reason"?}`:
/// a post or reply waiting for review (pre-moderation).
async fn review_post(req: &mut Request, env: &Env, slug: &CommunitySlug, approve: bool) -> Answer {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        target: ContentRef,
        #[serde(default)]
        reason: ModReason,
    }
    let Body { target, reason } = body(req).await?;
    let command = C::ReviewPost {
        content: target,
        approve,
        reason,
    };
    write(req, env, slug, command).await
}

/// `PUT …/members/{member}/ban` `{"days"?: 1–3650, "reason"?}` (no `days`: for good).
async fn ban(req: &mut Request, env: &Env, slug: &CommunitySlug, member: &str) -> Answer {
    #[derive(Default, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[serde(default)]
        days: Option<BanDays>,
        #[serde(default)]
        reason: ModReason,
    }
    let member = member_id(member)?;
    let Body { days, reason } = optional_body(req).await?;
    let command = C::Ban {
        member,
        days,
        reason,
    };
    write(req, env, slug, command).await
}

/// `DELETE …/members/{member}/ban` `{"reason"?}`.
async fn unban(req: &mut Request, env: &Env, slug: &CommunitySlug, member: &str) -> Answer {
    let member = member_id(member)?;
    let ReasonBody { reason } = optional_body(req).await?;
    write(req, env, slug, C::Unban { member, reason }).await
}

/// `PUT …/members/{member}/role` `{"role": "member_moderator" | "member", "reason"?}`.
async fn set_role(req: &mut Request, env: &Env, slug: &CommunitySlug, member: &str) -> Answer {
    let member = member_id(member)?;
    let request: MemberRoleRequest = body(req).await?;
    write(req, env, slug, C::SetMemberRole { member, request }).await
}

/// `PUT …/moderation/settings` `{"pre_moderation": {...}, "reason"?}`.
async fn put_settings(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let mut value: serde_json::Value = body(req).await?;
    let reason = match value.as_object_mut().and_then(|o| o.remove("reason")) {
        Some(raw) => serde_json::from_value::<ModReason>(raw)
            .map_err(|e| ApiError::invalid(format!("the reason is not valid: {e}")))?,
        None => ModReason::default(),
    };
    let settings: ModerationSettings = serde_json::from_value(value)
        .map_err(|e| ApiError::invalid(format!("the request body is not valid: {e}")))?;
    write(
        req,
        env,
        slug,
        C::PutModerationSettings { settings, reason },
    )
    .await
}
