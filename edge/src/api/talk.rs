//! HTTP routes of the talk area: topics, threads, replies, reactions, accepted answers,
//! staff flags and per-page comments. The worker draws the ids of new threads and replies
//! and renders markdown to sanitised HTML ([`markdown`]); core decides everything else.
//!
//! | route | who |
//! | --- | --- |
//! | `GET …/topics`, `POST …/topics`, `PUT …/topics/{topic}` | anyone; staff; staff |
//! | `POST`/`DELETE …/topics/{topic}/membership` | a member |
//! | `GET …/topics/{topic}/threads`, `GET …/threads[?feed=featured]` | anyone |
//! | `POST …/threads`; `GET`/`PATCH`/`DELETE …/threads/{thread}` | a member; anyone / the author |
//! | `GET`/`POST …/threads/{thread}/replies`; `PATCH`/`DELETE …/replies/{reply}` | anyone / a member; the author |
//! | `POST …/threads/{thread}[/replies/{reply}]/reactions` | a member |
//! | `PUT …/threads/{thread}/answer` | the asker, staff or a member moderator |
//! | `PUT …/threads/{thread}/flags` | staff or a member moderator |
//! | `GET`/`POST …/pages/comments?url=…` | anyone / a member |
//!
//! Lists take `?cursor=…&limit=…` (1–50, default 20) and answer `next`.

use quanzi_core::app::talk::{FeedChoice, TalkCommand};
use quanzi_core::app::{Actor, Command};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use quanzi_core::talk::wire::{
    AcceptAnswerRequest, CreateThreadRequest, EditReplyRequest, EditThreadRequest, ListRequest,
    PostReplyRequest, ReactRequest,
};
use quanzi_core::talk::{
    BodyText, BrandTag, Cursor, FlagChange, PageSize, PageUrl, ReplyId, ThreadId, TopicDescription,
    TopicDraft, TopicId, TopicName,
};
use serde::Deserialize;
use worker::{Env, Method, Request};

use super::{Answer, body, member_actor, query, run, run_with_body, staff_actor};
use crate::http::internal;
use crate::{operator, random};

/// `POST …/topics`: `id` is optional (a readable one such as `running-club`, or one drawn).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTopic {
    #[serde(default)]
    id: Option<TopicId>,
    name: TopicName,
    #[serde(default)]
    description: TopicDescription,
    #[serde(default)]
    auto_join_tags: Vec<BrandTag>,
}

/// Routes `rest` (starting with this area's first segment), or `None` if unknown here.
pub async fn route(req: Request, env: &Env, slug: &CommunitySlug, rest: &[&str]) -> Option<Answer> {
    let method = req.method();
    let answer = match rest {
        ["topics"] => match method {
            Method::Get => list_topics(&req, env, slug).await,
            Method::Post => create_topic(req, env, slug).await,
            _ => not_allowed("GET, POST"),
        },
        ["topics", topic] => match method {
            Method::Put => edit_topic(req, env, slug, topic).await,
            _ => not_allowed("PUT"),
        },
        ["topics", topic, "membership"] => match method {
            Method::Post | Method::Delete => {
                membership(&req, env, slug, topic, method == Method::Post).await
            }
            _ => not_allowed("POST, DELETE"),
        },
        ["topics", topic, "threads"] => match method {
            Method::Get => match parse_id(TopicId::parse, "topic", topic) {
                Ok(topic) => feed(&req, env, slug, FeedChoice::Topic { topic }).await,
                Err(err) => Err(err),
            },
            _ => not_allowed("GET"),
        },
        ["threads"] => match method {
            Method::Get => threads_feed(&req, env, slug).await,
            Method::Post => create_thread(req, env, slug).await,
            _ => not_allowed("GET, POST"),
        },
        ["threads", thread] => match method {
            Method::Get => get_thread(&req, env, slug, thread).await,
            Method::Patch => edit_thread(req, env, slug, thread).await,
            Method::Delete => delete_thread(&req, env, slug, thread).await,
            _ => not_allowed("GET, PATCH, DELETE"),
        },
        ["threads", thread, "replies"] => match method {
            Method::Get => list_replies(&req, env, slug, thread).await,
            Method::Post => post_reply(req, env, slug, thread).await,
            _ => not_allowed("GET, POST"),
        },
        ["threads", thread, "replies", reply] => match method {
            Method::Patch => edit_reply(req, env, slug, thread, reply).await,
            Method::Delete => delete_reply(&req, env, slug, thread, reply).await,
            _ => not_allowed("PATCH, DELETE"),
        },
        ["threads", thread, "reactions"] => match method {
            Method::Post => react(req, env, slug, thread, None).await,
            _ => not_allowed("POST"),
        },
        ["threads", thread, "replies", reply, "reactions"] => match method {
            Method::Post => react(req, env, slug, thread, Some(reply)).await,
            _ => not_allowed("POST"),
        },
        ["threads", thread, "answer"] => match method {
            Method::Put => accept_answer(req, env, slug, thread).await,
            _ => not_allowed("PUT"),
        },
        ["threads", thread, "flags"] => match method {
            Method::Put => set_flags(req, env, slug, thread).await,
            _ => not_allowed("PUT"),
        },
        ["pages", "comments"] => match method {
            Method::Get => page_comments(&req, env, slug).await,
            Method::Post => post_page_comment(req, env, slug).await,
            _ => not_allowed("GET, POST"),
        },
        _ => return None,
    };
    Some(answer)
}

fn not_allowed(allow: &str) -> Answer {
    Err(ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("this route accepts {allow}"),
    ))
}

/// An id in the path; one that does not parse names nothing here.
fn parse_id<T, E>(
    parse: impl Fn(&str) -> Result<T, E>,
    what: &str,
    raw: &str,
) -> Result<T, ApiError> {
    parse(raw)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("there is no {what} `{raw}`")))
}

fn thread_id(raw: &str) -> Result<ThreadId, ApiError> {
    parse_id(ThreadId::parse, "thread", raw)
}

fn reply_id(raw: &str) -> Result<ReplyId, ApiError> {
    parse_id(ReplyId::parse, "reply", raw)
}

/// A fresh id for a new thread, reply or topic: 80 random bits in hex.
fn fresh<T, E: std::fmt::Display>(parse: impl Fn(&str) -> Result<T, E>) -> Result<T, ApiError> {
    parse(&random::hex::<10>()?).map_err(|e| internal("id", e))
}

/// `?cursor=…&limit=…`
fn list_query(req: &Request) -> Result<ListRequest, ApiError> {
    let cursor = match query(req, "cursor")? {
        Some(raw) => Some(Cursor::parse(&raw).map_err(|e| ApiError::invalid(e.to_string()))?),
        None => None,
    };
    let limit = match query(req, "limit")? {
        Some(raw) => raw
            .parse::<u32>()
            .map_err(|_| ApiError::invalid("the page size must be a number between 1 and 50"))
            .and_then(|n| PageSize::parse(n).map_err(|e| ApiError::invalid(e.to_string())))?,
        None => PageSize::default(),
    };
    Ok(ListRequest { cursor, limit })
}

/// The operator (bearer secret), a member (bearer token) or a marketer (cookie and CSRF
/// token): for the routes that staff and member moderators share. Core decides which may.
async fn member_or_staff(req: &Request, env: &Env) -> Result<Actor, ApiError> {
    if operator::is_operator(req, env) {
        return Ok(Actor::Operator);
    }
    match member_actor(req) {
        Actor::Anonymous => staff_actor(req, env).await,
        member => Ok(member),
    }
}

async fn talk(
    env: &Env,
    slug: &CommunitySlug,
    actor: Actor,
    command: TalkCommand,
    status: u16,
) -> Answer {
    run(env, slug, actor, Command::Talk(command), status).await
}

fn render(markdown: BodyText) -> quanzi_core::talk::Body {
    quanzi_markdown::render(markdown)
}

async fn list_topics(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let list = list_query(req)?;
    talk(
        env,
        slug,
        member_actor(req),
        TalkCommand::ListTopics { list },
        200,
    )
    .await
}

async fn create_topic(mut req: Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_actor(&req, env).await?;
    let new: NewTopic = body(&mut req).await?;
    let id = match new.id {
        Some(id) => id,
        None => fresh(TopicId::parse)?,
    };
    let draft = TopicDraft {
        name: new.name,
        description: new.description,
        auto_join_tags: new.auto_join_tags,
    };
    talk(
        env,
        slug,
        actor,
        TalkCommand::CreateTopic { id, draft },
        201,
    )
    .await
}

async fn edit_topic(mut req: Request, env: &Env, slug: &CommunitySlug, topic: &str) -> Answer {
    let topic = parse_id(TopicId::parse, "topic", topic)?;
    let actor = staff_actor(&req, env).await?;
    let draft: TopicDraft = body(&mut req).await?;
    talk(
        env,
        slug,
        actor,
        TalkCommand::EditTopic { topic, draft },
        200,
    )
    .await
}

async fn membership(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    topic: &str,
    join: bool,
) -> Answer {
    let topic = parse_id(TopicId::parse, "topic", topic)?;
    let command = if join {
        TalkCommand::JoinTopic { topic }
    } else {
        TalkCommand::LeaveTopic { topic }
    };
    talk(env, slug, member_actor(req), command, 200).await
}

async fn feed(req: &Request, env: &Env, slug: &CommunitySlug, feed: FeedChoice) -> Answer {
    let list = list_query(req)?;
    talk(
        env,
        slug,
        member_actor(req),
        TalkCommand::ListThreads { feed, list },
        200,
    )
    .await
}

/// `GET …/threads[?feed=all|featured][&topic=…]`
async fn threads_feed(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let choice = match (query(req, "feed")?.as_deref(), query(req, "topic")?) {
        (_, Some(topic)) => FeedChoice::Topic {
            topic: TopicId::parse(&topic).map_err(|e| ApiError::invalid(e.to_string()))?,
        },
        (None | Some("all"), None) => FeedChoice::All,
        (Some("featured"), None) => FeedChoice::Featured,
        (Some(other), None) => {
            return Err(ApiError::invalid(format!(
                "there is no feed `{other}`; use `all` or `featured`"
            )));
        }
    };
    feed(req, env, slug, choice).await
}

async fn create_thread(mut req: Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = member_actor(&req);
    let new: CreateThreadRequest = body(&mut req).await?;
    let command = TalkCommand::CreateThread {
        id: fresh(ThreadId::parse)?,
        topic: new.topic,
        kind: new.kind,
        title: new.title,
        body: render(new.body),
    };
    talk(env, slug, actor, command, 201).await
}

/// A read of one page of a thread's replies (`?cursor=…&limit=…`), as whoever asks.
async fn read_thread_page(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    thread: &str,
    command: impl FnOnce(ThreadId, ListRequest) -> TalkCommand,
) -> Answer {
    let thread = thread_id(thread)?;
    let list = list_query(req)?;
    let actor = thread_reader(req, env).await;
    talk(env, slug, actor, command(thread, list), 200).await
}

/// Who reads a thread: the member of a bearer token; else a marketer signed in to the
/// dashboard (core shows staff pending and hidden posts, for the moderation queue); else
/// anyone. A stale dashboard cookie reads as anyone, never as an error.
async fn thread_reader(req: &Request, env: &Env) -> Actor {
    match member_actor(req) {
        Actor::Anonymous => super::staff_reader(req, env)
            .await
            .unwrap_or(Actor::Anonymous),
        member => member,
    }
}

async fn get_thread(req: &Request, env: &Env, slug: &CommunitySlug, thread: &str) -> Answer {
    read_thread_page(req, env, slug, thread, |thread, replies| {
        TalkCommand::GetThread { thread, replies }
    })
    .await
}

async fn edit_thread(mut req: Request, env: &Env, slug: &CommunitySlug, thread: &str) -> Answer {
    let thread = thread_id(thread)?;
    let actor = member_actor(&req);
    let edit: EditThreadRequest = body(&mut req).await?;
    if edit.title.is_none() && edit.body.is_none() {
        return Err(ApiError::invalid(
            "send a new `title`, a new `body`, or both",
        ));
    }
    let command = TalkCommand::EditThread {
        thread,
        title: edit.title,
        body: edit.body.map(render),
    };
    talk(env, slug, actor, command, 200).await
}

async fn delete_thread(req: &Request, env: &Env, slug: &CommunitySlug, thread: &str) -> Answer {
    let thread = thread_id(thread)?;
    talk(
        env,
        slug,
        member_actor(req),
        TalkCommand::DeleteThread { thread },
        200,
    )
    .await
}

async fn list_replies(req: &Request, env: &Env, slug: &CommunitySlug, thread: &str) -> Answer {
    read_thread_page(req, env, slug, thread, |thread, list| {
        TalkCommand::ListReplies { thread, list }
    })
    .await
}

async fn post_reply(mut req: Request, env: &Env, slug: &CommunitySlug, thread: &str) -> Answer {
    let thread = thread_id(thread)?;
    let actor = member_actor(&req);
    let new: PostReplyRequest = body(&mut req).await?;
    let command = TalkCommand::PostReply {
        thread,
        id: fresh(ReplyId::parse)?,
        in_reply_to: new.in_reply_to,
        body: render(new.body),
    };
    talk(env, slug, actor, command, 201).await
}

async fn edit_reply(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    thread: &str,
    reply: &str,
) -> Answer {
    let (thread, reply) = (thread_id(thread)?, reply_id(reply)?);
    let actor = member_actor(&req);
    let edit: EditReplyRequest = body(&mut req).await?;
    let command = TalkCommand::EditReply {
        thread,
        reply,
        body: render(edit.body),
    };
    talk(env, slug, actor, command, 200).await
}

async fn delete_reply(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    thread: &str,
    reply: &str,
) -> Answer {
    let (thread, reply) = (thread_id(thread)?, reply_id(reply)?);
    talk(
        env,
        slug,
        member_actor(req),
        TalkCommand::DeleteReply { thread, reply },
        200,
    )
    .await
}

async fn react(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    thread: &str,
    reply: Option<&str>,
) -> Answer {
    let thread = thread_id(thread)?;
    let reply = reply.map(reply_id).transpose()?;
    let actor = member_actor(&req);
    let ReactRequest { kind } = body(&mut req).await?;
    let command = match reply {
        Some(reply) => TalkCommand::ReactToReply {
            thread,
            reply,
            kind,
        },
        None => TalkCommand::ReactToThread { thread, kind },
    };
    talk(env, slug, actor, command, 200).await
}

async fn accept_answer(mut req: Request, env: &Env, slug: &CommunitySlug, thread: &str) -> Answer {
    let thread = thread_id(thread)?;
    let actor = member_or_staff(&req, env).await?;
    run_with_body(
        &mut req,
        env,
        slug,
        actor,
        200,
        |AcceptAnswerRequest { reply }| Command::Talk(TalkCommand::AcceptAnswer { thread, reply }),
    )
    .await
}

async fn set_flags(mut req: Request, env: &Env, slug: &CommunitySlug, thread: &str) -> Answer {
    let thread = thread_id(thread)?;
    let actor = member_or_staff(&req, env).await?;
    run_with_body(&mut req, env, slug, actor, 200, |change: FlagChange| {
        Command::Talk(TalkCommand::SetFlags { thread, change })
    })
    .await
}

/// The page named by `?url=…`, normalised.
fn page_url(req: &Request) -> Result<PageUrl, ApiError> {
    let raw = query(req, "url")?.ok_or_else(|| ApiError::invalid("name the page with `?url=…`"))?;
    PageUrl::parse(&raw).map_err(|e| ApiError::invalid(e.to_string()))
}

async fn page_comments(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let page = page_url(req)?;
    let list = list_query(req)?;
    talk(
        env,
        slug,
        member_actor(req),
        TalkCommand::PageComments { page, list },
        200,
    )
    .await
}

async fn post_page_comment(mut req: Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let page = page_url(&req)?;
    let actor = member_actor(&req);
    let new: PostReplyRequest = body(&mut req).await?;
    let command = TalkCommand::PostPageComment {
        page,
        id: fresh(ReplyId::parse)?,
        in_reply_to: new.in_reply_to,
        body: render(new.body),
    };
    talk(env, slug, actor, command, 201).await
}
