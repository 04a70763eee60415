//! Writing: a Markdown field with a preview, and the new-thread composer (topic, kind,
//! title, body). A new thread shows in the feed at once and leaves it again, with the
//! draft back in the composer, if the worker refuses it.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::app::talk::FeedChoice;
use quanzi_core::moderation::Visibility;
use quanzi_core::talk::wire::{CreateThreadRequest, ThreadCardView, ThreadView, TopicView};
use quanzi_core::talk::{BodyText, ReactionCounts, ThreadId, ThreadKind, ThreadTitle, TopicId};
use quanzi_core::time::Timestamp;

use super::feed::Card;
use super::{Talk, now_ms, preview};
use crate::join::Standing;

/// A textarea for Markdown with a Write / Preview switch.
#[component]
pub fn MarkdownField(
    /// The element id of the textarea (unique in the widget).
    id: String,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    let t = Talk::get().t;
    let previewing = RwSignal::new(false);
    view! {
        <div class="qz-field qz-markdown">
            <div class="qz-field-head">
                <label for=id.clone()>{label}</label>
                <button
                    type="button"
                    class="qz-link-button"
                    aria-pressed=move || previewing.get().to_string()
                    on:click=move |_| previewing.update(|p| *p = !*p)
                >
                    {move || if previewing.get() { t.get().composer_edit() } else { t.get().composer_preview() }}
                </button>
            </div>
            <textarea
                id=id
                rows=rows
                maxlength="20000"
                node_ref=node_ref
                hidden=move || previewing.get()
                bind:value=value
            ></textarea>
            <div class="qz-prose qz-preview" hidden=move || !previewing.get() data-testid="preview" aria-live="polite">
                {move || {
                    let text = value.get();
                    if text.trim().is_empty() {
                        view! { <p class="qz-muted">{t.get().nothing_to_preview()}</p> }.into_any()
                    } else {
                        preview::render(&text).into_any()
                    }
                }}
            </div>
            <p class="qz-hint">{t.get_untracked().markdown_hint()}</p>
        </div>
    }
}

/// The feed card of a thread the worker just accepted.
pub fn card_of(view: &ThreadView) -> ThreadCardView {
    ThreadCardView {
        id: view.id.clone(),
        kind: view.kind,
        topic: view.topic.clone(),
        page: view.page.clone(),
        author: view.author.clone(),
        title: view.title.clone(),
        pinned: view.pinned,
        featured: view.featured,
        locked: view.locked,
        answered: view.accepted_answer.is_some(),
        reply_count: view.reply_count,
        reactions: view.reactions,
        created_at: view.created_at,
        last_activity_at: view.last_activity_at,
    }
}

/// Where a new card goes: after the pinned ones.
fn insert_at(cards: &[Card]) -> usize {
    cards.iter().take_while(|c| c.view.pinned).count()
}

/// A new thread being written. The feed owns it, so that a refused thread comes back
/// into the composer as the member left it.
#[derive(Clone, Copy)]
pub struct Draft {
    topic: RwSignal<String>,
    question: RwSignal<bool>,
    title: RwSignal<String>,
    body: RwSignal<String>,
    error: RwSignal<Option<&'static str>>,
    sending: RwSignal<bool>,
}

impl Draft {
    pub fn new() -> Self {
        Self {
            topic: RwSignal::new(String::new()),
            question: RwSignal::new(false),
            title: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            sending: RwSignal::new(false),
        }
    }
}

/// The new-thread form.
#[component]
pub fn ThreadComposer(
    draft: Draft,
    topics: RwSignal<Vec<TopicView>>,
    /// The feed on show: a new thread joins it when it belongs there.
    feed: RwSignal<FeedChoice>,
    cards: RwSignal<Vec<Card>>,
    /// Whether the composer is open: it closes on sending and opens again on a refusal.
    composing: RwSignal<bool>,
    /// Announces a result to screen readers.
    announce: WriteSignal<String>,
) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let client = expect_context::<Client>();
    let Draft {
        topic,
        question,
        title,
        body,
        error,
        sending,
    } = draft;
    if let FeedChoice::Topic { topic: current } = feed.get_untracked()
        && topic.get_untracked().is_empty()
    {
        topic.set(current.to_string());
    }
    let title_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = title_ref.get() {
            let _ = input.focus();
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let tt = t.get_untracked();
        let Ok(topic_id) = TopicId::parse(&topic.get_untracked()) else {
            error.set(Some(tt.choose_topic()));
            return;
        };
        let Ok(title_text) = ThreadTitle::parse(title.get_untracked().trim()) else {
            error.set(Some(tt.title_rule()));
            return;
        };
        let Ok(body_text) = BodyText::parse(&body.get_untracked()) else {
            error.set(Some(tt.body_rule()));
            return;
        };
        let (Some(token), Some(me)) = (talk.token.get_untracked(), talk.me.get_untracked()) else {
            return;
        };
        let kind = if question.get_untracked() {
            ThreadKind::Question
        } else {
            ThreadKind::Discussion
        };
        let request = CreateThreadRequest {
            topic: topic_id.clone(),
            kind,
            title: title_text.clone(),
            body: body_text,
        };
        let Ok(placeholder) = ThreadId::parse(&format!("sending-{}", now_ms())) else {
            return;
        };
        let shows_here = match feed.get_untracked() {
            FeedChoice::All => true,
            FeedChoice::Topic { topic } => topic == topic_id,
            FeedChoice::Featured => false,
        };
        if shows_here {
            let now = Timestamp(now_ms());
            let card = ThreadCardView {
                id: placeholder.clone(),
                kind,
                topic: Some(topic_id),
                page: None,
                author: Some(me.id),
                title: Some(title_text.to_string()),
                pinned: false,
                featured: false,
                locked: false,
                answered: false,
                reply_count: 0,
                reactions: ReactionCounts::default(),
                created_at: now,
                last_activity_at: now,
            };
            cards.update(|cs| {
                let at = insert_at(cs);
                cs.insert(
                    at,
                    Card {
                        view: card,
                        sending: true,
                        in_review: false,
                    },
                );
            });
        }
        error.set(None);
        sending.set(true);
        composing.set(false);
        let client = client.clone();
        leptos::task::spawn_local(async move {
            let result = client.create_thread(&talk.slug(), &token, &request).await;
            let tt = t.get_untracked();
            match result {
                Ok(view) => {
                    let in_review = !matches!(view.visibility, Visibility::Published);
                    let card = Card {
                        view: card_of(&view),
                        sending: false,
                        in_review,
                    };
                    cards.update(
                        |cs| match cs.iter().position(|c| c.view.id == placeholder) {
                            Some(i) => cs[i] = card,
                            None if shows_here => cs.insert(insert_at(cs), card),
                            None => {}
                        },
                    );
                    title.set(String::new());
                    body.set(String::new());
                    question.set(false);
                    talk.standing.update(|s| {
                        if let Standing::Known { welcome, .. } = s {
                            *welcome = None;
                        }
                    });
                    announce.set(
                        if in_review {
                            tt.posted_for_review()
                        } else {
                            tt.thread_posted()
                        }
                        .to_owned(),
                    );
                }
                Err(err) => {
                    cards.update(|cs| cs.retain(|c| c.view.id != placeholder));
                    error.set(Some(tt.talk_error(err.code)));
                    announce.set(tt.not_posted().to_owned());
                    // Back to the draft, with the reason.
                    composing.set(true);
                }
            }
            sending.set(false);
        });
    };

    let topic_options = move || {
        topics
            .get()
            .into_iter()
            .map(|tv| {
                let id = tv.id.to_string();
                view! { <option value=id.clone() selected=topic.get_untracked() == id>{tv.name}</option> }
            })
            .collect_view()
    };

    view! {
        <form class="qz-composer" on:submit=submit data-testid="thread-composer" aria-labelledby="qz-composer-title" novalidate=true>
            <h4 id="qz-composer-title" class="qz-composer-title">{t.get_untracked().new_thread()}</h4>
            <div class="qz-composer-row">
                <div class="qz-field">
                    <label for="qz-new-topic">{t.get_untracked().composer_topic()}</label>
                    <select id="qz-new-topic" bind:value=topic required=true>
                        <option value="" disabled=true selected=topic.get_untracked().is_empty()>{t.get_untracked().choose_topic()}</option>
                        {topic_options}
                    </select>
                </div>
                <label class="qz-check qz-question-toggle">
                    <input type="checkbox" bind:checked=question/>
                    <span>{t.get_untracked().ask_question()}</span>
                </label>
            </div>
            <div class="qz-field">
                <label for="qz-new-title">{t.get_untracked().composer_title()}</label>
                <input id="qz-new-title" type="text" maxlength="120" required=true autocomplete="off" node_ref=title_ref bind:value=title/>
            </div>
            <MarkdownField id="qz-new-body".to_owned() label=Signal::stored(t.get_untracked().composer_body()) value=body rows=6/>
            <p class="qz-form-error" role="alert" data-testid="composer-error">{move || error.get()}</p>
            <div class="qz-form-actions">
                <button type="button" class="qz-button qz-button-quiet" on:click=move |_| composing.set(false)>
                    {t.get_untracked().talk_cancel()}
                </button>
                <button type="submit" class="qz-button" data-testid="thread-submit" disabled=move || sending.get()>
                    {move || if sending.get() { t.get().talk_sending() } else { t.get().composer_post() }}
                </button>
            </div>
        </form>
    }
}
