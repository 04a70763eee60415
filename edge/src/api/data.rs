//! HTTP routes of data portability and erasure (`quanzi_core::app::data`).
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | `GET` | `export?cursor=&limit=` | the owner: one page of every stored entry; `x-next-cursor` when more |
//! | `POST` | `import` | the owner, into a fresh community: every page's entries in one document (at most [`IMPORT_MAX_BYTES`]) |
//! | `GET` | `members/{member}/export` | owner, admin: every entry naming the member |
//! | `DELETE` | `members/{member}` | owner, admin: erases the member (anonymised under a pseudonym) |
//! | `GET` | `me/export` | a member: their own entries and the posts they wrote |
//!
//! Core decides who may; this file parses the path, query and body.

use quanzi_core::app::data::{DataCommand, DataReply, ExportDocument};
use quanzi_core::app::{Command, Reply};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::{CommunitySlug, MemberId};
use worker::{Env, Method, Request, Response};

use super::{Answer, not_allowed, query, render, staff_or_bearer};
use crate::community_object;
use crate::http::internal;

/// The largest import body: a community of some hundred thousand entries.
pub const IMPORT_MAX_BYTES: usize = 32 * 1024 * 1024;

/// Whether `rest` with `method` is one of this file's routes under `members/`.
pub fn handles(rest: &[&str], method: &Method) -> bool {
    match rest {
        ["members", _, "export"] => true,
        ["members", member] => *member != "me" && *method == Method::Delete,
        _ => false,
    }
}

/// Routes `rest`, or `None` if unknown here.
pub async fn route(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Option<Answer> {
    let method = req.method();
    let answer = match (rest, method) {
        (["export"], Method::Get) => export(&req, env, slug).await,
        (["export"], _) => not_allowed("GET"),
        (["import"], Method::Post) => import(&mut req, env, slug).await,
        (["import"], _) => not_allowed("POST"),
        (["members", member, "export"], Method::Get) => match member_id(member) {
            Ok(member) => send(&req, env, slug, false, DataCommand::ExportMember { member }).await,
            Err(err) => Err(err),
        },
        (["members", _, "export"], _) => not_allowed("GET"),
        (["me", "export"], Method::Get) => {
            send(&req, env, slug, false, DataCommand::ExportMine).await
        }
        (["me", "export"], _) => not_allowed("GET"),
        (["members", member], Method::Delete) => match member_id(member) {
            Ok(member) => send(&req, env, slug, true, DataCommand::EraseMember { member }).await,
            Err(err) => Err(err),
        },
        _ => return None,
    };
    Some(answer)
}

async fn send(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    write: bool,
    command: DataCommand,
) -> Answer {
    let actor = staff_or_bearer(req, env, write).await?;
    let reply = community_object::call(env, slug, actor, Command::Data(command)).await?;
    render(200, reply)
}

/// `GET …/export`: one page, as JSON, with `x-next-cursor` when another follows.
async fn export(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let cursor = query(req, "cursor")?;
    let limit = match query(req, "limit")? {
        Some(raw) => Some(
            raw.parse::<u32>()
                .map_err(|_| ApiError::invalid("`limit` must be a whole number"))?,
        ),
        None => None,
    };
    let actor = staff_or_bearer(req, env, false).await?;
    let command = Command::Data(DataCommand::Export { cursor, limit });
    let reply = community_object::call(env, slug, actor, command).await?;
    let Reply::Data(DataReply::Export(document)) = reply else {
        return Err(internal("export", "unexpected reply"));
    };
    let next = document.next.clone();
    let res = Response::from_json(&*document).map_err(|e| internal("response", e))?;
    super::insight::download(
        res,
        "application/json",
        &format!("{slug}-export.json"),
        next,
    )
}

/// `POST …/import`: the document, read up to [`IMPORT_MAX_BYTES`].
async fn import(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let bytes = req
        .bytes()
        .await
        .map_err(|_| ApiError::invalid("the request body could not be read"))?;
    if bytes.len() > IMPORT_MAX_BYTES {
        return Err(ApiError::invalid(format!(
            "an import is at most {IMPORT_MAX_BYTES} bytes"
        )));
    }
    let document: ExportDocument = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::invalid(format!("the export document is not valid: {e}")))?;
    let command = Command::Data(DataCommand::Import {
        document: Box::new(document),
    });
    let reply = community_object::call(env, slug, actor, command).await?;
    // The settings came with the document: this isolate's copy of them is stale.
    crate::cache::forget(slug);
    render(200, reply)
}

/// A path member id that does not parse names no member: a 404, not a 400.
fn member_id(raw: &str) -> Result<MemberId, ApiError> {
    let raw =
        worker::url::form_urlencoded::parse(format!("v={}", raw.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
    MemberId::parse(&raw).map_err(|_| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("there is no member `{raw}` in this community"),
        )
    })
}
