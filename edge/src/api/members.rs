//! HTTP routes of the members directory, for the community's staff.
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | `GET` | `members?q=&level=&tag=&badge=&active_within_days=&inactive_days=&min_points=&max_points=&cursor=&limit=` | staff (owner, admin, moderator) |
//! | `GET` | `members/{member}` | staff |
//! | `PUT` / `DELETE` | `members/{member}/tags/{tag}` | staff |
//!
//! `members/me` (a member's own standing) and `members/{member}/ban|role` belong to the
//! membership routes. Core parses the query (`list_from_query`) and decides who may; path
//! segments are percent-decoded here (tags may be Chinese).

use quanzi_core::app::Command;
use quanzi_core::app::members::{MembersCommand, list_from_query};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::{BrandTag, CommunitySlug, MemberId};
use worker::{Env, Method, Request};

use super::{Answer, not_allowed, run, staff_or_bearer};
use crate::http::internal;

/// Whether `rest` is one of this file's paths (the others under `members/` are membership's).
pub fn handles(rest: &[&str]) -> bool {
    match rest {
        ["members"] | ["members", _, "tags", _] => true,
        ["members", member] => *member != "me",
        _ => false,
    }
}

/// Routes `rest` (see [`handles`]), or `None` if unknown here.
pub async fn route(req: Request, env: &Env, slug: &CommunitySlug, rest: &[&str]) -> Option<Answer> {
    let method = req.method();
    let answer = match (rest, method) {
        (["members"], Method::Get) => list(&req, env, slug).await,
        (["members"], _) => not_allowed("GET"),
        (["members", member], Method::Get) => match member_id(member) {
            Ok(member) => send(&req, env, slug, false, MembersCommand::Get { member }).await,
            Err(err) => Err(err),
        },
        (["members", _], _) => not_allowed("GET"),
        (["members", member, "tags", tag], method @ (Method::Put | Method::Delete)) => {
            let parsed = member_id(member).and_then(|member| Ok((member, brand_tag(tag)?)));
            match parsed {
                Ok((member, tag)) if method == Method::Put => {
                    send(&req, env, slug, true, MembersCommand::Tag { member, tag }).await
                }
                Ok((member, tag)) => {
                    send(&req, env, slug, true, MembersCommand::Untag { member, tag }).await
                }
                Err(err) => Err(err),
            }
        }
        (["members", _, "tags", _], _) => not_allowed("PUT, DELETE"),
        _ => return None,
    };
    Some(answer)
}

async fn send(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    write: bool,
    command: MembersCommand,
) -> Answer {
    let actor = staff_or_bearer(req, env, write).await?;
    run(env, slug, actor, Command::Members(command), 200).await
}

async fn list(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let url = req.url().map_err(|e| internal("url", e))?;
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let actor = staff_or_bearer(req, env, false).await?;
    let command = list_from_query(&pairs)?;
    run(env, slug, actor, Command::Members(command), 200).await
}

/// A path segment, percent-decoded (a literal `+` stays a `+`).
fn decoded(raw: &str) -> String {
    let escaped = raw.replace('+', "%2B");
    worker::url::form_urlencoded::parse(format!("v={escaped}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A path member id that does not parse names no member: a 404, not a 400.
fn member_id(raw: &str) -> Result<MemberId, ApiError> {
    let raw = decoded(raw);
    MemberId::parse(&raw).map_err(|_| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("there is no member `{raw}` in this community"),
        )
    })
}

/// A tag in the path: `invalid_input` saying what a tag may be.
fn brand_tag(raw: &str) -> Result<BrandTag, ApiError> {
    BrandTag::parse(&decoded(raw)).map_err(|e| ApiError::invalid(e.to_string()))
}
