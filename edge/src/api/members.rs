//! HTTP routes of the members directory, for the community's staff.
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | `GET` | `members?q=&level=&tag=&badge=&active_within_days=&inactive_days=&min_points=&max_points=&cursor=&limit=` | staff (owner, admin, moderator) |
//! | `GET` | `members.csv?` (the same conditions) `&cursor=&limit=` | staff: a file of at most [`EXPORT_MAX`] members |
//! | `GET` | `members/{member}` | staff |
//! | `PUT` / `DELETE` | `members/{member}/tags/{tag}` | staff |
//!
//! `members/me` (a member's own standing) and `members/{member}/ban|role` belong to the
//! membership routes. Core parses the query (`list_from_query`) and decides who may; path
//! segments are percent-decoded here (tags may be Chinese).

use quanzi_core::app::insight::directory_csv;
use quanzi_core::app::members::{MAX_PAGE, MembersCommand, MembersReply, list_from_query};
use quanzi_core::app::{Command, Reply};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::{BrandTag, CommunitySlug, MemberId};
use worker::{Env, Method, Request};

use super::insight::csv_file;
use super::{Answer, not_allowed, run, staff_or_bearer};
use crate::community_object;
use crate::http::internal;

/// Whether `rest` is one of this file's paths (the others under `members/` are membership's).
pub fn handles(rest: &[&str]) -> bool {
    match rest {
        ["members"] | ["members.csv"] | ["members", _, "tags", _] => true,
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
        (["members.csv"], Method::Get) => export(&req, env, slug).await,
        (["members.csv"], _) => not_allowed("GET"),
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

/// The most members one `members.csv` holds; past them `x-next-cursor` says where the next
/// file starts.
pub const EXPORT_MAX: u32 = 2000;
/// Directory pages one export reads at most (each examines a bounded number of members).
const EXPORT_PAGES: usize = 10;

/// `GET …/members.csv`: the directory with the same conditions as a spreadsheet, read a page
/// at a time up to `limit` (default and most [`EXPORT_MAX`]) members or [`EXPORT_PAGES`]
/// pages.
async fn export(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let url = req.url().map_err(|e| internal("url", e))?;
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let MembersCommand::List {
        query,
        mut cursor,
        limit,
    } = list_from_query(&pairs)?
    else {
        return Err(internal("members.csv", "not a list"));
    };
    let wanted = match limit.unwrap_or(EXPORT_MAX) {
        0 => return Err(ApiError::invalid("`limit` must be at least 1")),
        n if n > EXPORT_MAX => {
            return Err(ApiError::invalid(format!(
                "`limit` must be at most {EXPORT_MAX}"
            )));
        }
        n => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let actor = staff_or_bearer(req, env, false).await?;
    let mut rows = Vec::new();
    for _ in 0..EXPORT_PAGES {
        let left = u32::try_from(wanted - rows.len()).unwrap_or(MAX_PAGE);
        let command = MembersCommand::List {
            query: query.clone(),
            cursor: cursor.take(),
            limit: Some(left.min(MAX_PAGE)),
        };
        let page = match community_object::call(env, slug, actor.clone(), Command::Members(command))
            .await?
        {
            Reply::Members(MembersReply::Directory(page)) => page,
            _ => return Err(internal("members.csv", "unexpected reply")),
        };
        rows.extend(page.items);
        cursor = page.next;
        if cursor.is_none() || rows.len() >= wanted {
            break;
        }
    }
    let next = cursor.map(|c| c.encode());
    csv_file(&format!("{slug}-members.csv"), &directory_csv(&rows), next)
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
