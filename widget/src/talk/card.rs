//! A thread in a feed: its badges, title, topic, author, last activity, replies and
//! reactions. The title is the button that opens it; the whole card is its target.

use leptos::prelude::*;
use quanzi_core::talk::ThreadKind;
use quanzi_core::talk::wire::ThreadCardView;
use quanzi_shell::{BUBBLE, HEART};

use super::{Avatar, Talk, now_ms};

/// The badges a thread wears, in the order they show.
#[component]
pub fn Badges(
    pinned: bool,
    featured: bool,
    locked: bool,
    question: bool,
    answered: bool,
    #[prop(optional)] pending: bool,
) -> impl IntoView {
    let t = Talk::get().t;
    let tt = t.get_untracked();
    let badge = |on: bool, class: &'static str, label: &'static str| {
        on.then(|| view! { <span class=format!("qz-badge {class}")>{label}</span> })
    };
    view! {
        {badge(pinned, "qz-badge-pin", tt.badge_pinned())}
        {badge(featured, "qz-badge-feature", tt.feed_featured())}
        {badge(question && answered, "qz-badge-answered", tt.badge_answered())}
        {badge(question && !answered, "qz-badge-question", tt.badge_question())}
        {badge(locked, "qz-badge-locked", tt.badge_locked())}
        {badge(pending, "qz-badge-pending", tt.awaiting_review())}
    }
}

#[component]
pub fn ThreadCard(
    card: ThreadCardView,
    /// The topic's name, when the feed shows several topics.
    topic_name: Signal<Option<String>>,
    /// Posting: shown at once, before the worker confirms it.
    sending: bool,
    /// Waiting for a moderator: only its author sees it.
    in_review: bool,
    on_open: Callback<ThreadCardView>,
) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t.get_untracked();
    let author = talk.author_name(card.author.as_ref());
    let title = card.title.clone().unwrap_or_default();
    let when = t.ago(now_ms(), card.last_activity_at.0);
    let reactions = card.reactions.total();
    let replies = card.reply_count;
    let stored = StoredValue::new(card.clone());
    view! {
        <li
            class="qz-thread-card"
            class:qz-sending=sending
            class:qz-pinned=card.pinned
            data-testid="thread-card"
            data-thread=card.id.to_string()
            aria-busy=sending.to_string()
        >
            <div class="qz-card-badges">
                <Badges
                    pinned=card.pinned
                    featured=card.featured
                    locked=card.locked
                    question=card.kind == ThreadKind::Question
                    answered=card.answered
                    pending=in_review
                />
            </div>
            <h4 class="qz-thread-title">
                <button
                    type="button"
                    class="qz-thread-open"
                    disabled=sending
                    on:click=move |_| on_open.run(stored.get_value())
                >
                    {title}
                </button>
            </h4>
            <div class="qz-thread-meta">
                <Avatar name=author.clone()/>
                <span class="qz-author">{author}</span>
                {move || topic_name.get().map(|name| view! { <span class="qz-chip">{name}</span> })}
                <span class="qz-muted">{if sending { t.talk_sending().to_owned() } else { when }}</span>
                <span class="qz-stats">
                    <span class="qz-stat" aria-hidden="true"><StatIcon path=BUBBLE/>{replies}</span>
                    <span class="qz-visually-hidden">{t.replies_count(replies)}</span>
                    {(reactions > 0).then(|| view! {
                        <span class="qz-stat" aria-hidden="true"><StatIcon path=HEART/>{reactions}</span>
                        <span class="qz-visually-hidden">{t.reactions_count(reactions)}</span>
                    })}
                </span>
            </div>
        </li>
    }
}

#[component]
fn StatIcon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="qz-icon" viewBox="0 0 24 24" width="15" height="15" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round">
            <path d=path/>
        </svg>
    }
}

/// Grey placeholders in the shape of thread cards, while a feed loads.
#[component]
pub fn CardSkeletons() -> impl IntoView {
    let t = Talk::get().t;
    view! {
        <div class="qz-skeleton qz-card-skeletons" role="status" data-testid="feed-loading">
            <span class="qz-visually-hidden">{t.get_untracked().talk_loading()}</span>
            {(0..3)
                .map(|_| view! {
                    <div class="qz-skeleton-card">
                        <div class="qz-bar qz-bar-title"></div>
                        <div class="qz-bar"></div>
                    </div>
                })
                .collect_view()}
        </div>
    }
}
