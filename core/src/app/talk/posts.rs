//! Writing talk: threads, replies, reactions, accepted answers and staff flags. Each use
//! case writes one batch: the records, their feed entries, notifications, activity, points.

use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::moderation::{Action as Permission, ContentRef};
use crate::notify::ActivityKind;
use crate::points::Action as PointsAction;
use crate::store::{Store, get_json};
use crate::talk::wire::{ReplyView, ThreadView};
use crate::talk::{
    self as domain, Body, FlagChange, PageUrl, Place, PostText, ReactionKind, ReactionSet,
    ReplyDraft, ReplyId, ReplyTo, Thread, ThreadDraft, ThreadEdit, ThreadId, ThreadKind,
    ThreadTitle, Toggled, Topic, TopicId, keys as talk_keys,
};
use crate::time::Timestamp;
use crate::webhook::{self, WebhookEvent};

use super::super::{Actor, Change};
use super::PostedReplyView;
use super::acting::{
    Acting, Points, commit, load_reply, load_thread, mentions, not_found, notify, put_thread,
};
use super::moderated;

/// A new thread as the worker sends it.
pub struct NewThread {
    pub id: ThreadId,
    pub topic: TopicId,
    pub kind: ThreadKind,
    pub title: ThreadTitle,
    pub body: Body,
}

async fn post_text(store: &impl Store, body: Body) -> Result<PostText, ApiError> {
    let mentions = mentions(store, body.markdown.as_str()).await?;
    Ok(PostText { body, mentions })
}

fn conflict(message: String) -> ApiError {
    ApiError::new(ErrorCode::Conflict, message)
}

pub async fn create_thread(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    new: NewThread,
    now: Timestamp,
) -> Result<ThreadView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    acting.require(Permission::Post)?;
    acting.require_phone_to_post()?;
    let member = acting.member()?.id.clone();
    if get_json::<Topic>(store, &talk_keys::topic(&new.topic))
        .await?
        .is_none()
    {
        return Err(not_found("topic", &new.topic));
    }
    if store.get(&talk_keys::thread(&new.id)).await?.is_some() {
        return Err(conflict(format!("thread `{}` exists already", new.id)));
    }
    let text = format!("{}\n{}", new.title.as_str(), new.body.markdown.as_str());
    let draft = ThreadDraft {
        id: new.id,
        topic: new.topic,
        kind: new.kind,
        title: new.title,
        text: post_text(store, new.body).await?,
    };
    let created = domain::create_thread(&acting.talk, draft, now)?;
    let mut thread = created.thread;
    let mut change = Change::new();
    let screened =
        moderated::screen(store, &acting, &member, &text, &mut change.batch, now).await?;
    thread.visibility = screened.visibility;
    put_thread(&mut change.batch, None, &thread)?;
    acting.touch(store, &mut change.batch, now).await?;
    let content = ContentRef::Post {
        thread: thread.id.clone(),
    };
    moderated::queue_if_pending(
        &mut change.batch,
        content,
        &thread.visibility,
        screened.held_for,
    )?;
    let mut points = None;
    // A pending thread notifies no one and earns nothing until a moderator approves it.
    if thread.visibility.is_public() {
        change.notify = notify(created.notices);
        change.activity.push((
            member.clone(),
            ActivityKind::Posted,
            Some(thread.id.to_string()),
        ));
        let mut earned = Points::load(store).await?;
        earned.award(&member, PointsAction::Post, ("post", thread.id.to_string()))?;
        points = Some(earned);
        if let (Some((title, _)), Some(topic)) = (thread.opening(), thread.topic()) {
            change
                .webhooks
                .push(WebhookEvent::ThreadCreated(webhook::ThreadCreated {
                    thread: thread.id.clone(),
                    topic: topic.clone(),
                    kind: thread.kind,
                    title: title.as_str().to_owned(),
                    author: member.clone(),
                }));
        }
    }
    commit(store, change, points, acting.tz, now).await?;
    Ok(ThreadView::new(&thread, &ReactionSet::default()))
}

pub async fn edit_thread(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: ThreadId,
    title: Option<ThreadTitle>,
    body: Option<Body>,
    now: Timestamp,
) -> Result<ThreadView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    let before = load_thread(store, &id).await?;
    let mut thread = before.clone();
    let text = match body {
        Some(body) => Some(post_text(store, body).await?),
        None => None,
    };
    let notices = domain::edit_thread(&acting.talk, &mut thread, ThreadEdit { title, text }, now)?;
    let mut change = Change::new();
    put_thread(&mut change.batch, Some(&before), &thread)?;
    acting.touch(store, &mut change.batch, now).await?;
    change.notify = notify(notices);
    commit(store, change, None, acting.tz, now).await?;
    let mine = mine(store, &acting, &thread.id, None).await?;
    Ok(ThreadView::new(&thread, &mine))
}

pub async fn delete_thread(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: ThreadId,
    now: Timestamp,
) -> Result<ThreadView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    let before = load_thread(store, &id).await?;
    let mut thread = before.clone();
    domain::delete_thread(&acting.talk, &mut thread, now)?;
    let mut change = Change::new();
    put_thread(&mut change.batch, Some(&before), &thread)?;
    commit(store, change, None, acting.tz, now).await?;
    Ok(ThreadView::new(&thread, &ReactionSet::default()))
}

/// Where a new reply goes.
pub enum ReplyTarget {
    Thread(ThreadId),
    /// A page's comment thread, opened on its first comment.
    Page(PageUrl),
}

#[allow(
    clippy::too_many_arguments,
    reason = "one use case; its inputs are the command's fields"
)]
pub async fn post_reply(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    target: ReplyTarget,
    id: ReplyId,
    in_reply_to: Option<ReplyId>,
    body: Body,
    now: Timestamp,
) -> Result<PostedReplyView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    acting.require(Permission::Post)?;
    acting.require_phone_to_post()?;
    let member = acting.member()?.id.clone();
    let (before, mut thread) = match target {
        ReplyTarget::Thread(thread) => {
            let thread = load_thread(store, &thread).await?;
            (Some(thread.clone()), thread)
        }
        ReplyTarget::Page(url) => {
            let key = talk_keys::thread(&ThreadId::for_page(&url));
            let existing = get_json::<Thread>(store, &key).await?;
            let before = existing.clone();
            (before, domain::open_page_thread(existing, url, now)?)
        }
    };
    // Ordinary members cannot reply to a thread or reply they may not see.
    if !thread.visibility.is_public() && !acting.talk.is_staff() {
        return Err(not_found("thread", &thread.id));
    }
    if store
        .get(&talk_keys::reply_locator(&thread.id, &id))
        .await?
        .is_some()
    {
        return Err(conflict(format!("reply `{id}` exists already")));
    }
    let text = body.markdown.as_str().to_owned();
    let draft = ReplyDraft {
        id,
        text: post_text(store, body).await?,
    };

    let mut change = Change::new();
    // The reply answered and, when that one is nested, the top-level reply above it.
    let answered = match &in_reply_to {
        Some(r) => Some(load_reply(store, &thread.id, r).await?),
        None => None,
    };
    let top = match &answered {
        Some((_, a)) if !a.is_top_level() => {
            Some(load_reply(store, &thread.id, a.top_level_id()).await?)
        }
        _ => None,
    };
    let hidden_answered = match (&answered, &top) {
        (Some((_, a)), _) if !a.visibility.is_public() => Some(&a.id),
        (_, Some((_, t))) if !t.visibility.is_public() => Some(&t.id),
        _ => None,
    };
    if let Some(reply) = hidden_answered.filter(|_| !acting.talk.is_staff()) {
        return Err(not_found("reply", reply));
    }
    let moderated::Screened {
        visibility: screened,
        held_for,
    } = moderated::screen(store, &acting, &member, &text, &mut change.batch, now).await?;
    let mut posted = match (answered, top) {
        (None, _) => {
            let mut posted =
                domain::post_reply(&acting.talk, &mut thread, ReplyTo::Thread, draft, now)?;
            domain::set_reply_visibility(&mut thread, None, &mut posted.reply, screened);
            posted
        }
        (Some((key, mut answered)), None) => {
            let mut posted = domain::post_reply(
                &acting.talk,
                &mut thread,
                ReplyTo::TopLevel(&mut answered),
                draft,
                now,
            )?;
            let top = Some(&mut answered);
            domain::set_reply_visibility(&mut thread, top, &mut posted.reply, screened);
            change.batch.put_json(key, &answered)?;
            posted
        }
        (Some((_, answered)), Some((top_key, mut top_level))) => {
            let to = ReplyTo::Nested {
                answered: &answered,
                top_level: &mut top_level,
            };
            let mut posted = domain::post_reply(&acting.talk, &mut thread, to, draft, now)?;
            let top = Some(&mut top_level);
            domain::set_reply_visibility(&mut thread, top, &mut posted.reply, screened);
            change.batch.put_json(top_key, &top_level)?;
            posted
        }
    };
    let pending = !posted.reply.visibility.is_public();
    if pending {
        // A pending reply notifies no one and earns nothing until a moderator approves it.
        posted.notices.clear();
    }
    let reply = posted.reply;
    let reply_key = talk_keys::reply(&reply);
    change.batch.put_json(&reply_key, &reply)?;
    change
        .batch
        .put_json(talk_keys::reply_locator(&thread.id, &reply.id), &reply_key)?;
    put_thread(&mut change.batch, before.as_ref(), &thread)?;
    acting.touch(store, &mut change.batch, now).await?;
    change.notify = notify(posted.notices);
    let content = ContentRef::Reply {
        thread: thread.id.clone(),
        reply: reply.id.clone(),
    };
    moderated::queue_if_pending(&mut change.batch, content, &reply.visibility, held_for)?;
    let mut points = None;
    if !pending {
        change.activity.push((
            member.clone(),
            ActivityKind::Replied,
            Some(thread.id.to_string()),
        ));
        let mut earned = Points::load(store).await?;
        earned.award(
            &member,
            PointsAction::Reply,
            ("reply", format!("{}:{}", thread.id, reply.id)),
        )?;
        points = Some(earned);
        let page = match &thread.place {
            Place::Page { url } => Some(url.as_str().to_owned()),
            Place::Topic { .. } => None,
        };
        change
            .webhooks
            .push(WebhookEvent::ReplyCreated(webhook::ReplyCreated {
                thread: thread.id.clone(),
                reply: reply.id.clone(),
                in_reply_to: reply.in_reply_to.clone(),
                author: member.clone(),
                page,
            }));
    }
    commit(store, change, points, acting.tz, now).await?;
    Ok(PostedReplyView {
        thread: thread.id.clone(),
        reply: ReplyView::new(
            &reply,
            thread.accepted_answer.as_ref(),
            &ReactionSet::default(),
        ),
    })
}

fn reaction_key(member: &MemberId, thread: &ThreadId, reply: Option<&ReplyId>) -> String {
    match reply {
        Some(r) => talk_keys::reply_reaction(thread, r, member),
        None => talk_keys::thread_reaction(thread, member),
    }
}

/// The acting member's reactions on the thread or a reply (none for staff).
async fn mine(
    store: &impl Store,
    acting: &Acting,
    thread: &ThreadId,
    reply: Option<&ReplyId>,
) -> Result<ReactionSet, ApiError> {
    Ok(match acting.member_id() {
        Some(m) => get_json::<ReactionSet>(store, &reaction_key(m, thread, reply))
            .await?
            .unwrap_or_default(),
        None => ReactionSet::default(),
    })
}

pub async fn edit_reply(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    thread: ThreadId,
    id: ReplyId,
    body: Body,
    now: Timestamp,
) -> Result<ReplyView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    let thread = load_thread(store, &thread).await?;
    let (key, mut reply) = load_reply(store, &thread.id, &id).await?;
    let text = post_text(store, body).await?;
    let notices = domain::edit_reply(&acting.talk, &mut reply, text, now)?;
    let mut change = Change::new();
    change.batch.put_json(key, &reply)?;
    acting.touch(store, &mut change.batch, now).await?;
    change.notify = notify(notices);
    commit(store, change, None, acting.tz, now).await?;
    let mine = mine(store, &acting, &thread.id, Some(&id)).await?;
    Ok(ReplyView::new(
        &reply,
        thread.accepted_answer.as_ref(),
        &mine,
    ))
}

pub async fn delete_reply(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    thread: ThreadId,
    id: ReplyId,
    now: Timestamp,
) -> Result<ReplyView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    let before = load_thread(store, &thread).await?;
    let mut thread = before.clone();
    let (key, mut reply) = load_reply(store, &thread.id, &id).await?;
    let mut top = match &reply.parent {
        Some(parent) => Some(load_reply(store, &thread.id, &parent.id).await?),
        None => None,
    };
    domain::delete_reply(
        &acting.talk,
        &mut thread,
        &mut reply,
        top.as_mut().map(|(_, t)| t),
        now,
    )?;
    let mut change = Change::new();
    change.batch.put_json(key, &reply)?;
    if let Some((top_key, top_level)) = &top {
        change.batch.put_json(top_key.clone(), top_level)?;
    }
    put_thread(&mut change.batch, Some(&before), &thread)?;
    commit(store, change, None, acting.tz, now).await?;
    Ok(ReplyView::new(
        &reply,
        thread.accepted_answer.as_ref(),
        &ReactionSet::default(),
    ))
}

/// Toggles `kind` on the thread's opening post or on one reply. Turning a reaction on
/// earns the post's author points once per reacting member and post.
pub async fn react(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    thread: ThreadId,
    reply: Option<ReplyId>,
    kind: ReactionKind,
    now: Timestamp,
) -> Result<Toggled, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    let member = acting.member()?.id.clone();
    let before = load_thread(store, &thread).await?;
    let mut thread = before.clone();
    let mine_key = reaction_key(&member, &thread.id, reply.as_ref());
    let mut mine = get_json::<ReactionSet>(store, &mine_key)
        .await?
        .unwrap_or_default();
    let mut change = Change::new();
    let (toggled, author, cause) = match &reply {
        None => {
            let toggled = domain::react_to_thread(&mut thread, &mut mine, kind)?;
            put_thread(&mut change.batch, Some(&before), &thread)?;
            let cause = format!("{}:{member}", thread.id);
            (toggled, thread.author().cloned(), ("react-t", cause))
        }
        Some(id) => {
            let (key, mut target) = load_reply(store, &thread.id, id).await?;
            let toggled = domain::react_to_reply(&mut target, &mut mine, kind)?;
            change.batch.put_json(key, &target)?;
            let cause = format!("{id}:{member}");
            (toggled, Some(target.author), ("react-r", cause))
        }
    };
    if mine.is_empty() {
        change.batch.delete(mine_key);
    } else {
        change.batch.put_json(mine_key, &mine)?;
    }
    acting.touch(store, &mut change.batch, now).await?;
    let mut points = None;
    if toggled.on {
        let subject = Some(thread.id.to_string());
        change
            .activity
            .push((member.clone(), ActivityKind::Reacted, subject));
        if let Some(author) = author.filter(|a| a != &member) {
            let mut earned = Points::load(store).await?;
            earned.award(&author, PointsAction::ReactionReceived, cause)?;
            points = Some(earned);
        }
    }
    commit(store, change, points, acting.tz, now).await?;
    Ok(toggled)
}

/// The question's author or staff accept an answer (or withdraw it with `None`). The
/// answer's author earns points once per question and answer, unless they asked.
pub async fn accept(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    thread: ThreadId,
    reply: Option<ReplyId>,
    now: Timestamp,
) -> Result<ThreadView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    let before = load_thread(store, &thread).await?;
    let mut thread = before.clone();
    let mut change = Change::new();
    let mut points = None;
    match reply {
        Some(id) => {
            let (_, answer) = load_reply(store, &thread.id, &id).await?;
            let accepted = domain::accept_answer(&acting.talk, &mut thread, &answer)?;
            change.notify = notify(accepted.notices);
            if accepted.changed {
                if let Some(member) = acting.member_id() {
                    change.activity.push((
                        member.clone(),
                        ActivityKind::AnswerAccepted,
                        Some(thread.id.to_string()),
                    ));
                }
                if accepted.answer_author != accepted.question_author {
                    let mut earned = Points::load(store).await?;
                    earned.award(
                        &accepted.answer_author,
                        PointsAction::AcceptedAnswer,
                        ("answer", format!("{}:{}", thread.id, accepted.reply)),
                    )?;
                    points = Some(earned);
                }
            }
        }
        None => {
            domain::clear_accepted_answer(&acting.talk, &mut thread)?;
        }
    }
    put_thread(&mut change.batch, Some(&before), &thread)?;
    acting.touch(store, &mut change.batch, now).await?;
    commit(store, change, points, acting.tz, now).await?;
    let mine = mine(store, &acting, &thread.id, None).await?;
    Ok(ThreadView::new(&thread, &mine))
}

/// Staff (and member moderators) pin, feature or lock a thread.
pub async fn set_flags(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    thread: ThreadId,
    flags: FlagChange,
    now: Timestamp,
) -> Result<ThreadView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    acting.require(Permission::HideContent)?;
    let before = load_thread(store, &thread).await?;
    let mut thread = before.clone();
    let notices = domain::moderate_thread(&acting.talk, &mut thread, flags)?;
    let mut change = Change::new();
    put_thread(&mut change.batch, Some(&before), &thread)?;
    change.notify = notify(notices);
    commit(store, change, None, acting.tz, now).await?;
    let mine = mine(store, &acting, &thread.id, None).await?;
    Ok(ThreadView::new(&thread, &mine))
}
