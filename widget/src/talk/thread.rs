//! One thread, opened from the feed: its opening post (the worker's sanitised HTML),
//! reactions, a report button, and the replies with their composer.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::app::talk::ThreadDetailView;
use quanzi_core::error::ApiError;
use quanzi_core::moderation::{Target, Visibility};
use quanzi_core::talk::ThreadKind;
use quanzi_core::talk::wire::ThreadCardView;

use super::card::Badges;
use super::discussion::{Discussion, PostTo};
use super::reactions::Reactions;
use super::report::ReportButton;
use super::{Avatar, Talk, now_ms};

#[component]
pub fn ThreadPage(
    card: ThreadCardView,
    on_back: Callback<()>,
    /// Told the thread's new reply count and answer, for its card in the feed.
    on_update: Callback<ThreadCardView>,
) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let client = expect_context::<Client>();
    let id = StoredValue::new(card.id.clone());
    let detail = LocalResource::new(move || {
        let client = client.clone();
        let token = talk.token.get();
        async move {
            client
                .thread(&talk.slug(), token.as_deref(), &id.get_value())
                .await
        }
    });
    let title = card.title.clone().unwrap_or_default();
    let card = StoredValue::new(card);

    view! {
        <article class="qz-thread" data-testid="thread-view" aria-labelledby="qz-thread-title">
            <button type="button" class="qz-link-button qz-back" data-testid="thread-back" on:click=move |_| on_back.run(())>
                <span aria-hidden="true">"← "</span>{t.get_untracked().back_to_threads()}
            </button>
            {move || match detail.get() {
                None => view! {
                    <h3 class="qz-thread-heading" id="qz-thread-title">{title.clone()}</h3>
                    <div class="qz-skeleton" role="status" data-testid="thread-loading">
                        <span class="qz-visually-hidden">{t.get().talk_loading()}</span>
                        <div class="qz-bar"></div>
                        <div class="qz-bar"></div>
                        <div class="qz-bar qz-bar-short"></div>
                    </div>
                }
                .into_any(),
                Some(Err(err)) => failed(err, detail).into_any(),
                Some(Ok(detail)) => view! { <Opened detail=detail card=card.get_value() on_update=on_update/> }.into_any(),
            }}
        </article>
    }
}

fn failed(
    err: ApiError,
    detail: LocalResource<Result<ThreadDetailView, ApiError>>,
) -> impl IntoView {
    let t = Talk::get().t;
    view! {
        <div class="qz-error qz-empty" role="alert" data-testid="thread-error">
            <p>{t.get().talk_error(err.code)}</p>
            <button type="button" class="qz-button" on:click=move |_| detail.refetch()>{t.get().retry()}</button>
        </div>
    }
}

#[component]
fn Opened(
    detail: ThreadDetailView,
    card: ThreadCardView,
    on_update: Callback<ThreadCardView>,
) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let ThreadDetailView {
        thread,
        replies,
        next,
    } = detail;
    let heading = NodeRef::<leptos::html::H3>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let count = RwSignal::new(thread.reply_count);
    let accepted = RwSignal::new(thread.accepted_answer.clone());
    // Keep the feed's card in step with what happens here.
    Effect::new(move |first: Option<()>| {
        let (replies, answered) = (count.get(), accepted.with(Option::is_some));
        if first.is_some() || card.reply_count != replies || card.answered != answered {
            on_update.run(ThreadCardView {
                reply_count: replies,
                answered,
                ..card.clone()
            });
        }
    });
    let question = thread.kind == ThreadKind::Question;
    let author = talk.author_name(thread.author.as_ref());
    let mine = talk.is_me(thread.author.as_ref());
    let in_review = !matches!(thread.visibility, Visibility::Published);
    let body = match thread.body_html.clone() {
        // Sanitised by the worker when it was written; the only HTML the widget inserts.
        Some(html) => view! { <div class="qz-prose qz-thread-body" data-testid="thread-body" inner_html=html></div> }.into_any(),
        None => view! { <p class="qz-muted qz-deleted">{t.get_untracked().post_deleted()}</p> }.into_any(),
    };
    let edited = thread
        .edited_at
        .map(|_| view! { <span class="qz-muted">{t.get_untracked().post_edited()}</span> });
    let report = (!mine && !thread.deleted).then(|| {
        let target = Target::Post { thread: thread.id.clone() };
        view! { <Show when=move || talk.token.with(Option::is_some)><ReportButton target=target.clone()/></Show> }
    });
    let to = if thread.page.is_some() {
        PostTo::Page(thread.page.clone().unwrap_or_default())
    } else {
        PostTo::Thread
    };

    view! {
        <div class="qz-card-badges">
            <Badges
                pinned=thread.pinned
                featured=thread.featured
                locked=thread.locked
                question=question
                answered=thread.accepted_answer.is_some()
                pending=in_review
            />
        </div>
        <h3 class="qz-thread-heading" id="qz-thread-title" tabindex="-1" node_ref=heading data-testid="thread-title">
            {thread.title.clone().unwrap_or_else(|| t.get_untracked().post_deleted().to_owned())}
        </h3>
        <div class="qz-thread-meta">
            <Avatar name=author.clone()/>
            <span class="qz-author">{author}</span>
            {mine.then(|| view! { <span class="qz-you">{t.get_untracked().talk_you()}</span> })}
            <span class="qz-muted">{t.get_untracked().ago(now_ms(), thread.created_at.0)}</span>
            {edited}
        </div>
        {body}
        {(!thread.deleted).then(|| view! {
            <div class="qz-post-actions qz-thread-actions">
                <Reactions thread=thread.id.clone() counts=thread.reactions mine=thread.my_reactions.clone()/>
                {report}
            </div>
        })}
        <Discussion
            thread=thread.id.clone()
            to=to
            replies=replies
            next=next
            count=count
            asker=question.then(|| thread.author.clone()).flatten()
            accepted=accepted
            locked=thread.locked
            heading=Signal::stored(t.get_untracked().replies_heading().to_owned())
            empty=|t| t.no_replies()
        />
    }
}
