//! HTTP routes of insight (the dashboard's numbers) and saved segments, for the community's
//! staff.
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | `GET` | `insight/overview[.csv]?from=&to=` | staff (owner, admin, moderator) |
//! | `GET` | `insight/retention[.csv]?from=&to=` (ISO weeks) | staff |
//! | `GET` | `insight/tiers[.csv]` | staff |
//! | `GET` | `insight/top[.csv]?kind=thread\|topic\|event&week=&limit=` | staff |
//! | `GET` | `insight/streaks[.csv]?from=&to=` | staff |
//! | `GET` | `insight/churn[.csv]?quiet_days=&from=&to=` | staff |
//! | `GET` | `insight/churn/members[.csv]?quiet_days=&cursor=&limit=` | staff |
//! | `GET` / `POST` | `segments` | staff / owner, admin: 201 |
//! | `POST` | `segments/preview` | staff |
//! | `GET` / `PUT` / `DELETE` | `segments/{id}` | staff / owner, admin |
//! | `GET` | `segments/{id}/members[.csv]?cursor=&limit=` | staff |
//!
//! Every read also answers CSV with `?format=csv` or the `.csv` path. Core parses the
//! query ([`command_from_query`]) and decides who may; this file establishes the actor,
//! draws new segment ids and renders JSON or CSV.

use quanzi_core::app::insight::{InsightCommand, InsightReply, View, command_from_query, csv};
use quanzi_core::app::{Actor, Command, Reply};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use quanzi_core::insight::segment::{PreviewRequest, SegmentDraft, SegmentId};
use worker::{Env, Method, Request, Response};

use super::{Answer, body, not_allowed, render, staff_or_bearer};
use crate::http::internal;
use crate::{community_object, random};

/// Routes `rest` (starting with `insight` or `segments`), or `None` if unknown here.
pub async fn route(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Option<Answer> {
    let method = req.method();
    let answer = match (rest, method) {
        (["insight", tail @ ..], Method::Get) => {
            let (view, file) = insight_view(tail)?;
            read(&req, env, slug, view, file).await
        }
        (["insight", tail @ ..], _) => {
            insight_view(tail)?;
            not_allowed("GET")
        }
        (["segments"], Method::Get) => {
            simple(&req, env, slug, false, InsightCommand::ListSegments).await
        }
        (["segments"], Method::Post) => create(&mut req, env, slug).await,
        (["segments"], _) => not_allowed("GET, POST"),
        (["segments", "preview"], Method::Post) => preview(&mut req, env, slug).await,
        (["segments", "preview"], _) => not_allowed("POST"),
        (["segments", id, tail @ ..], method) => {
            let id = match segment_id(id) {
                Ok(id) => id,
                Err(err) => return Some(Err(err)),
            };
            one_segment(&mut req, env, slug, id, tail, method).await?
        }
        _ => return None,
    };
    Some(answer)
}

/// The read a path under `insight/` names, and whether it asks for a file (`.csv`).
fn insight_view(tail: &[&str]) -> Option<(View, bool)> {
    let (last, parents) = tail.split_last()?;
    let (name, file) = match last.strip_suffix(".csv") {
        Some(name) => (name, true),
        None => (*last, false),
    };
    let view = match (parents, name) {
        ([], "overview") => View::Overview,
        ([], "retention") => View::Retention,
        ([], "tiers") => View::Tiers,
        ([], "top") => View::Top,
        ([], "streaks") => View::Streaks,
        ([], "churn") => View::Churn,
        (["churn"], "members") => View::ChurnMembers,
        _ => return None,
    };
    Some((view, file))
}

/// The routes under `segments/{id}`; `None` for an unknown tail.
async fn one_segment(
    req: &mut Request,
    env: &Env,
    slug: &CommunitySlug,
    id: SegmentId,
    tail: &[&str],
    method: Method,
) -> Option<Answer> {
    let answer = match (tail, method) {
        ([], Method::Get) => simple(req, env, slug, false, InsightCommand::GetSegment { id }).await,
        ([], Method::Put) => update(req, env, slug, id).await,
        ([], Method::Delete) => {
            simple(req, env, slug, true, InsightCommand::DeleteSegment { id }).await
        }
        ([], _) => not_allowed("GET, PUT, DELETE"),
        (["members"], Method::Get) => read(req, env, slug, View::SegmentMembers(id), false).await,
        (["members.csv"], Method::Get) => {
            read(req, env, slug, View::SegmentMembers(id), true).await
        }
        (["members"] | ["members.csv"], _) => not_allowed("GET"),
        _ => return None,
    };
    Some(answer)
}

/// A path id that does not parse names no segment: a 404, not a 400.
fn segment_id(raw: &str) -> Result<SegmentId, ApiError> {
    SegmentId::parse(raw)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("there is no segment `{raw}`")))
}

async fn ask(
    env: &Env,
    slug: &CommunitySlug,
    actor: Actor,
    command: InsightCommand,
) -> Result<InsightReply, ApiError> {
    match community_object::call(env, slug, actor, Command::Insight(command)).await? {
        Reply::Insight(reply) => Ok(reply),
        _ => Err(internal("insight", "unexpected reply")),
    }
}

async fn simple(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    write: bool,
    command: InsightCommand,
) -> Answer {
    let actor = staff_or_bearer(req, env, write).await?;
    render(200, Reply::Insight(ask(env, slug, actor, command).await?))
}

/// A read with a query string, as JSON or, with `.csv` or `?format=csv`, as a CSV file.
async fn read(req: &Request, env: &Env, slug: &CommunitySlug, view: View, file: bool) -> Answer {
    let url = req.url().map_err(|e| internal("url", e))?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let as_csv = file || pairs.iter().any(|(k, v)| k == "format" && v == "csv");
    let name = match &view {
        View::Overview => "overview".to_owned(),
        View::Retention => "retention".to_owned(),
        View::Tiers => "tiers".to_owned(),
        View::Top => "top".to_owned(),
        View::Streaks => "streaks".to_owned(),
        View::Churn => "churn".to_owned(),
        View::ChurnMembers => "churn-members".to_owned(),
        View::SegmentMembers(id) => format!("segment-{id}-members"),
    };
    let command = command_from_query(view, &pairs)?;
    let actor = staff_or_bearer(req, env, false).await?;
    let reply = ask(env, slug, actor, command).await?;
    if as_csv {
        let next = match &reply {
            InsightReply::QuietMembers(page) => page.next.as_ref().map(|c| c.encode()),
            InsightReply::SegmentMembers(page) => page.next.as_ref().map(|c| c.encode()),
            _ => None,
        };
        let text = csv(&reply).ok_or_else(|| internal("csv", "not a table"))?;
        csv_file(&format!("{slug}-{name}.csv"), &text, next)
    } else {
        render(200, Reply::Insight(reply))
    }
}

/// A CSV download. A byte-order mark, so that spreadsheets read the UTF-8 (names in
/// Chinese) correctly; a paged export says where the next page starts in `x-next-cursor`.
pub(super) fn csv_file(file_name: &str, text: &str, next: Option<String>) -> Answer {
    let res = Response::from_bytes(format!("\u{feff}{text}").into_bytes())
        .map_err(|e| internal("response", e))?;
    download(res, "text/csv; charset=utf-8", file_name, next)
}

/// `res` as a file to save: its type, its name, never cached, and where the next page of a
/// paged export starts (`x-next-cursor`).
pub(super) fn download(
    res: Response,
    content_type: &str,
    file_name: &str,
    next: Option<String>,
) -> Answer {
    let mut res = res.with_status(200);
    let headers = res.headers_mut();
    let set = |name: &str, value: &str| {
        headers
            .set(name, value)
            .map_err(|e| internal("response", e))
    };
    set("content-type", content_type)?;
    set(
        "content-disposition",
        &format!("attachment; filename=\"{file_name}\""),
    )?;
    set("cache-control", "no-store")?;
    if let Some(next) = next {
        set("x-next-cursor", &next)?;
    }
    Ok(res)
}

/// `POST …/segments` with a name and a filter: the worker draws the id.
async fn create(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let draft: SegmentDraft = body(req).await?;
    let id = SegmentId::parse(&random::hex::<8>()?).map_err(|e| internal("segment id", e))?;
    let command = InsightCommand::CreateSegment { id, draft };
    render(201, Reply::Insight(ask(env, slug, actor, command).await?))
}

/// `PUT …/segments/{id}` with a name and a filter.
async fn update(req: &mut Request, env: &Env, slug: &CommunitySlug, id: SegmentId) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let draft: SegmentDraft = body(req).await?;
    let command = InsightCommand::UpdateSegment { id, draft };
    render(200, Reply::Insight(ask(env, slug, actor, command).await?))
}

/// `POST …/segments/preview` `{"filter": …}`.
async fn preview(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let PreviewRequest { filter } = body(req).await?;
    let command = InsightCommand::PreviewSegment { filter };
    render(200, Reply::Insight(ask(env, slug, actor, command).await?))
}
