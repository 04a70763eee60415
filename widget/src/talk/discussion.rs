//! The replies under a thread or a page, in reading order (each reply followed by the
//! replies to it), with "load more", reactions, the accepted answer of a question,
//! reports, and the composer. A reply shows at once, marked as sending, and is taken back
//! (with the draft returned) if the worker refuses it.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::ids::MemberId;
use quanzi_core::moderation::{Target, Visibility};
use quanzi_core::talk::wire::{PostReplyRequest, ReplyView};
use quanzi_core::talk::{BodyText, Cursor, ReactionCounts, ReplyId, ThreadId};
use quanzi_core::time::Timestamp;

use super::card::Badges;
use super::composer::MarkdownField;
use super::reactions::Reactions;
use super::report::ReportButton;
use super::{Avatar, Talk, now_ms, preview};
use crate::join::WriteGate;

/// Where a new reply goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostTo {
    Thread,
    /// A page's comments, by its URL: the first comment opens the page's thread.
    Page(String),
}

/// A reply as listed; `sending` holds the draft until the worker confirms it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    reply: ReplyView,
    sending: Option<String>,
}

/// Where a reply belongs in reading order: after its parent's last reply, or at the end.
fn position_for(rows: &[Row], parent: Option<&ReplyId>) -> usize {
    match parent {
        None => rows.len(),
        Some(parent) => rows
            .iter()
            .rposition(|r| &r.reply.id == parent || r.reply.parent.as_ref() == Some(parent))
            .map_or(rows.len(), |i| i + 1),
    }
}

/// Everything a reply list shares.
#[derive(Clone, Copy)]
struct Shared {
    thread: StoredValue<ThreadId>,
    /// The question's asker, who may accept an answer (`None`: not a question).
    asker: StoredValue<Option<MemberId>>,
    accepted: RwSignal<Option<ReplyId>>,
    locked: bool,
    /// The reply being answered: its id and author's name.
    replying_to: RwSignal<Option<(ReplyId, String)>>,
    textarea: NodeRef<leptos::html::Textarea>,
}

#[component]
pub fn Discussion(
    thread: ThreadId,
    to: PostTo,
    replies: Vec<ReplyView>,
    next: Option<Cursor>,
    /// Every reply so far (the list may hold only the first page).
    count: RwSignal<u32>,
    /// The asker, when the thread is a question: they may accept an answer.
    asker: Option<MemberId>,
    accepted: RwSignal<Option<ReplyId>>,
    #[prop(optional)] locked: bool,
    /// What the reply list is called ("Replies", "Comments").
    heading: Signal<String>,
    empty: fn(quanzi_shell::Text) -> &'static str,
) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let client = expect_context::<Client>();
    let rows = RwSignal::new(
        replies
            .into_iter()
            .map(|reply| Row {
                reply,
                sending: None,
            })
            .collect::<Vec<_>>(),
    );
    let next = RwSignal::new(next);
    let more = RwSignal::new(false);
    let more_error = RwSignal::new(None::<&'static str>);
    let shared = Shared {
        thread: StoredValue::new(thread),
        asker: StoredValue::new(asker),
        accepted,
        locked,
        replying_to: RwSignal::new(None),
        textarea: NodeRef::new(),
    };
    provide_context(shared);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let to = StoredValue::new(to);

    let load_more = {
        let client = client.clone();
        move |_| {
            let Some(cursor) = next.get_untracked() else {
                return;
            };
            more.set(true);
            more_error.set(None);
            let client = client.clone();
            leptos::task::spawn_local(async move {
                let token = talk.token.get_untracked();
                let thread = shared.thread.get_value();
                match client
                    .replies(&talk.slug(), token.as_deref(), &thread, Some(&cursor))
                    .await
                {
                    Ok(page) => {
                        rows.update(|rs| {
                            for reply in page.replies {
                                if !rs.iter().any(|r| r.reply.id == reply.id) {
                                    let at = position_for(rs, reply.parent.as_ref());
                                    rs.insert(
                                        at,
                                        Row {
                                            reply,
                                            sending: None,
                                        },
                                    );
                                }
                            }
                        });
                        next.set(page.next);
                    }
                    Err(err) => more_error.set(Some(t.get_untracked().talk_error(err.code))),
                }
                more.set(false);
            });
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tt = t.get_untracked();
        let source = draft.get_untracked();
        let Ok(body) = BodyText::parse(&source) else {
            error.set(Some(tt.body_rule()));
            return;
        };
        let (Some(token), Some(me)) = (talk.token.get_untracked(), talk.me.get_untracked()) else {
            return;
        };
        let Ok(placeholder) = ReplyId::parse(&format!("sending-{}", now_ms())) else {
            return;
        };
        let in_reply_to = shared.replying_to.get_untracked().map(|(id, _)| id);
        let parent = in_reply_to.as_ref().and_then(|id| {
            rows.with_untracked(|rs| {
                rs.iter()
                    .find(|r| &r.reply.id == id)
                    .map(|r| r.reply.parent.clone().unwrap_or_else(|| r.reply.id.clone()))
            })
        });
        let optimistic = ReplyView {
            id: placeholder.clone(),
            parent: parent.clone(),
            in_reply_to: in_reply_to.clone(),
            author: Some(me.id),
            body_html: None,
            body_markdown: Some(source.clone()),
            deleted: false,
            edited_at: None,
            accepted: false,
            reply_count: 0,
            reactions: ReactionCounts::default(),
            my_reactions: vec![],
            created_at: Timestamp(now_ms()),
            visibility: Visibility::Published,
        };
        rows.update(|rs| {
            let at = position_for(rs, parent.as_ref());
            rs.insert(
                at,
                Row {
                    reply: optimistic,
                    sending: Some(source.clone()),
                },
            );
        });
        count.update(|c| *c += 1);
        draft.set(String::new());
        error.set(None);
        shared.replying_to.set(None);
        let request = PostReplyRequest {
            in_reply_to: in_reply_to.clone(),
            body,
        };
        let client = client.clone();
        leptos::task::spawn_local(async move {
            let thread = shared.thread.get_value();
            let result = match to.get_value() {
                PostTo::Thread => {
                    client
                        .post_reply(&talk.slug(), &token, &thread, &request)
                        .await
                }
                PostTo::Page(url) => {
                    client
                        .post_page_comment(&talk.slug(), &token, &url, &request)
                        .await
                }
            };
            match result {
                Ok(posted) => rows.update(|rs| {
                    if let Some(row) = rs.iter_mut().find(|r| r.reply.id == placeholder) {
                        *row = Row {
                            reply: posted.reply,
                            sending: None,
                        };
                    }
                }),
                Err(err) => {
                    rows.update(|rs| rs.retain(|r| r.reply.id != placeholder));
                    count.update(|c| *c = c.saturating_sub(1));
                    // The draft comes back, unless the member started another one.
                    if draft.get_untracked().trim().is_empty() {
                        draft.set(source);
                    }
                    error.set(Some(t.get_untracked().talk_error(err.code)));
                }
            }
        });
    };

    let composer = move || {
        view! {
            <form class="qz-reply-composer" on:submit=submit.clone() data-testid="reply-composer">
                {move || shared.replying_to.get().map(|(_, name)| view! {
                    <p class="qz-replying-to">
                        <span>{t.get().replying_to(&name)}</span>
                        <button type="button" class="qz-link-button" on:click=move |_| shared.replying_to.set(None)>
                            {t.get().talk_cancel()}
                        </button>
                    </p>
                })}
                <MarkdownField
                    id=format!("qz-reply-{}", shared.thread.get_value())
                    label=Signal::stored(t.get_untracked().your_reply())
                    value=draft
                    rows=3
                    node_ref=shared.textarea
                />
                <p class="qz-form-error" role="alert" data-testid="reply-error">{move || error.get()}</p>
                <div class="qz-form-actions">
                    <button type="submit" class="qz-button" data-testid="reply-submit">{t.get_untracked().send_reply()}</button>
                </div>
            </form>
        }
    };

    view! {
        <section class="qz-discussion" aria-labelledby=format!("qz-replies-{}", shared.thread.get_value())>
            <h4 class="qz-replies-title" id=format!("qz-replies-{}", shared.thread.get_value())>
                {heading}
                <span class="qz-count" data-testid="reply-count">{move || count.get()}</span>
            </h4>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! { <p class="qz-empty qz-muted" data-testid="replies-empty">{empty(t.get())}</p> }
            >
                <ol class="qz-replies" role="list">
                    <For
                        each=move || rows.get()
                        key=|r| (r.reply.id.to_string(), r.sending.is_some())
                        children=move |row| view! { <ReplyItem reply=row.reply sending=row.sending/> }
                    />
                </ol>
            </Show>
            <Show when=move || next.with(Option::is_some)>
                <button
                    type="button"
                    class="qz-button qz-button-quiet qz-more"
                    data-testid="replies-more"
                    disabled=move || more.get()
                    on:click=load_more.clone()
                >
                    {move || if more.get() { t.get().talk_loading() } else { t.get().more_replies() }}
                </button>
            </Show>
            <p class="qz-inline-error" role="alert">{move || more_error.get()}</p>
            {if locked {
                view! { <p class="qz-gate qz-muted" data-testid="thread-locked">{t.get_untracked().locked_note()}</p> }.into_any()
            } else {
                view! { <WriteGate prompt=|t| t.sign_in_to_reply()>{composer()}</WriteGate> }.into_any()
            }}
        </section>
    }
}

/// One reply, or one being sent.
#[component]
fn ReplyItem(reply: ReplyView, sending: Option<String>) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let shared = expect_context::<Shared>();
    let client = expect_context::<Client>();
    let id = reply.id.clone();
    let author = talk.author_name(reply.author.as_ref());
    let mine = talk.is_me(reply.author.as_ref());
    let is_sending = sending.is_some();
    let accept_error = RwSignal::new(None::<&'static str>);
    // Shown at once; `aria-busy` until the worker confirms (or the change is rolled back).
    let accepting = RwSignal::new(false);
    let accepted = {
        let id = id.clone();
        Memo::new(move |_| shared.accepted.with(|a| a.as_ref() == Some(&id)))
    };
    // The asker accepts someone else's reply.
    let may_accept = !is_sending
        && !reply.deleted
        && !mine
        && shared.asker.with_value(|a| talk.is_me(a.as_ref()));
    let in_review = !matches!(reply.visibility, Visibility::Published);

    let body = match (&sending, reply.body_html.clone()) {
        (Some(source), _) => {
            view! { <div class="qz-prose">{preview::render(source)}</div> }.into_any()
        }
        // The worker rendered and sanitised this on write.
        (None, Some(html)) => view! { <div class="qz-prose" inner_html=html></div> }.into_any(),
        (None, None) => {
            view! { <p class="qz-muted qz-deleted">{t.get_untracked().post_deleted()}</p> }
                .into_any()
        }
    };

    let toggle_accept = {
        let id = id.clone();
        move |_| {
            let Some(token) = talk.token.get_untracked() else {
                return;
            };
            let before = shared.accepted.get_untracked();
            let want = (before.as_ref() != Some(&id)).then(|| id.clone());
            shared.accepted.set(want.clone());
            accept_error.set(None);
            accepting.set(true);
            let client = client.clone();
            leptos::task::spawn_local(async move {
                let thread = shared.thread.get_value();
                match client
                    .accept_answer(&talk.slug(), &token, &thread, want.as_ref())
                    .await
                {
                    Ok(view) => shared.accepted.set(view.accepted_answer),
                    Err(err) => {
                        shared.accepted.set(before);
                        accept_error.set(Some(t.get_untracked().talk_error(err.code)));
                    }
                }
                accepting.set(false);
            });
        }
    };
    let reply_here = {
        let id = id.clone();
        let name = author.clone();
        move |_| {
            shared.replying_to.set(Some((id.clone(), name.clone())));
            if let Some(area) = shared.textarea.get_untracked() {
                let _ = area.focus();
            }
        }
    };

    let signed_in = move || talk.token.with(Option::is_some);
    let actions = (!is_sending && !reply.deleted).then(|| {
        let thread = shared.thread.get_value();
        let report = (!mine).then(|| {
            let target = Target::Reply { thread: thread.clone(), reply: id.clone() };
            view! { <Show when=signed_in><ReportButton target=target.clone()/></Show> }
        });
        view! {
            <div class="qz-post-actions">
                <Reactions thread=thread reply=id.clone() counts=reply.reactions mine=reply.my_reactions.clone()/>
                <Show when=move || signed_in() && !shared.locked>
                    <button type="button" class="qz-link-button" data-testid="reply-to" on:click=reply_here.clone()>
                        {t.get_untracked().reply_to_this()}
                    </button>
                </Show>
                {may_accept.then(|| view! {
                    <button
                        type="button"
                        class="qz-link-button qz-accept"
                        data-testid="accept-answer"
                        aria-pressed=move || accepted.get().to_string()
                        aria-busy=move || accepting.get().to_string()
                        on:click=toggle_accept.clone()
                    >
                        {move || if accepted.get() { t.get().unaccept_answer() } else { t.get().accept_answer() }}
                    </button>
                })}
                {report}
                <span class="qz-inline-error" role="alert">{move || accept_error.get()}</span>
            </div>
        }
    });

    view! {
        <li
            class="qz-reply"
            class:qz-nested=reply.parent.is_some()
            class:qz-sending=is_sending
            class:qz-accepted=move || accepted.get()
            data-testid="reply"
            data-reply=id.to_string()
            aria-busy=is_sending.to_string()
        >
            <div class="qz-reply-head">
                <Avatar name=author.clone()/>
                <span class="qz-author">{author}</span>
                {mine.then(|| view! { <span class="qz-you">{t.get_untracked().talk_you()}</span> })}
                <span class="qz-muted">
                    {if is_sending { t.get_untracked().talk_sending().to_owned() } else { t.get_untracked().ago(now_ms(), reply.created_at.0) }}
                </span>
                <Show when=move || accepted.get()>
                    <span class="qz-badge qz-badge-answered" data-testid="accepted-mark">{t.get_untracked().accepted_answer_mark()}</span>
                </Show>
                <Badges pinned=false featured=false locked=false question=false answered=false pending=in_review/>
            </div>
            {body}
            {actions}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, parent: Option<&str>) -> Row {
        Row {
            reply: ReplyView {
                id: ReplyId::parse(id).unwrap(),
                parent: parent.map(|p| ReplyId::parse(p).unwrap()),
                in_reply_to: None,
                author: None,
                body_html: None,
                body_markdown: None,
                deleted: false,
                edited_at: None,
                accepted: false,
                reply_count: 0,
                reactions: ReactionCounts::default(),
                my_reactions: vec![],
                created_at: Timestamp(0),
                visibility: Visibility::Published,
            },
            sending: None,
        }
    }

    #[test]
    fn replies_go_after_their_parents_group() {
        let rows = [row("a", None), row("a1", Some("a")), row("b", None)];
        let a = ReplyId::parse("a").unwrap();
        let b = ReplyId::parse("b").unwrap();
        assert_eq!(position_for(&rows, None), 3);
        assert_eq!(position_for(&rows, Some(&a)), 2);
        assert_eq!(position_for(&rows, Some(&b)), 3);
        assert_eq!(position_for(&rows[..1], Some(&a)), 1);
    }
}
