//! The community's discussions: topic tabs, the feed of threads (pinned first) with
//! "load more", the new-thread composer, and the thread a member opened.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::app::talk::FeedChoice;
use quanzi_core::error::ErrorCode;
use quanzi_core::join::MembershipState;
use quanzi_core::talk::Cursor;
use quanzi_core::talk::wire::{ThreadCardView, TopicView};

use super::Talk;
use super::card::{CardSkeletons, ThreadCard};
use super::composer::{Draft, ThreadComposer};
use super::thread::ThreadPage;
use super::topic_join::TopicBar;
use crate::join::{Standing, WriteGate};
use crate::lazy::lazily;

/// A thread in the feed; `sending` until the worker confirms a new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub view: ThreadCardView,
    pub sending: bool,
    /// Posted, and waiting for a moderator (pre-moderation): only its author sees it.
    pub in_review: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Load {
    Loading,
    Ready,
    Failed(ErrorCode),
}

#[component]
pub fn TalkHome(slug: String, login_url: Option<String>) -> impl IntoView {
    let talk = Talk::provide(slug, login_url);
    let t = talk.t;
    let client = expect_context::<Client>();
    let topics = RwSignal::new(Vec::<TopicView>::new());
    // Until the first answer the topic tabs are incomplete (`aria-busy`): the first view
    // drawn by the worker stays until they are in.
    let topics_ready = RwSignal::new(false);
    let feed = RwSignal::new(FeedChoice::All);
    let cards = RwSignal::new(Vec::<Card>::new());
    let next = RwSignal::new(None::<Cursor>);
    let load = RwSignal::new(Load::Loading);
    let more = RwSignal::new(false);
    let more_error = RwSignal::new(None::<ErrorCode>);
    // Answers to an older request (another tab was chosen since) are dropped.
    let generation = StoredValue::new(0u32);
    let open = RwSignal::new(None::<ThreadCardView>);
    let composing = RwSignal::new(false);
    let draft = Draft::new();
    let (announcement, announce) = signal(String::new());
    let heading = NodeRef::<leptos::html::H3>::new();

    // With the member's token the topics say which ones they are in.
    {
        let client = client.clone();
        Effect::new(move |_| {
            let token = talk.token.get();
            let client = client.clone();
            leptos::task::spawn_local(async move {
                if let Ok(list) = client.topics(&talk.slug(), token.as_deref()).await
                    // An answer for a token that has changed since (a slow one) is dropped:
                    // it would show another member's joined topics; so is one for a view
                    // the member has left meanwhile (its signals are gone).
                    && talk.token.try_get_untracked() == Some(token)
                {
                    topics.set(list.topics);
                }
                // Also when refused: the tabs then hold All and Featured only.
                let _ = topics_ready.try_set(true);
            });
        });
    }

    let fetch = {
        let client = client.clone();
        move |reset: bool| {
            let cursor = if reset { None } else { next.get_untracked() };
            if !reset && cursor.is_none() {
                return;
            }
            let mine = generation.get_value().wrapping_add(1);
            generation.set_value(mine);
            if reset {
                load.set(Load::Loading);
            } else {
                more.set(true);
            }
            more_error.set(None);
            let choice = feed.get_untracked();
            let client = client.clone();
            leptos::task::spawn_local(async move {
                let result = client
                    .threads(&talk.slug(), None, &choice, cursor.as_ref())
                    .await;
                // A newer fetch took over, or the member left the view meanwhile.
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                more.set(false);
                match result {
                    Ok(page) => {
                        let fresh = page.threads.into_iter().map(|view| Card {
                            view,
                            sending: false,
                            in_review: false,
                        });
                        cards.update(|cs| {
                            if reset {
                                cs.clear();
                            }
                            for card in fresh {
                                if !cs.iter().any(|c| c.view.id == card.view.id) {
                                    cs.push(card);
                                }
                            }
                        });
                        next.set(page.next);
                        load.set(Load::Ready);
                    }
                    Err(err) if reset => load.set(Load::Failed(err.code)),
                    Err(err) => more_error.set(Some(err.code)),
                }
            });
        }
    };
    let reload = fetch.clone();
    Effect::new(move |_| {
        feed.track();
        reload(true);
    });

    // The topic's name once the topics are in (they may arrive after the feed).
    let topic_name = move |card: &ThreadCardView| {
        let id = card.topic.clone();
        Signal::derive(move || {
            if matches!(feed.get_untracked(), FeedChoice::Topic { .. }) {
                return None;
            }
            let id = id.as_ref()?;
            topics.with(|ts| ts.iter().find(|t| &t.id == id).map(|t| t.name.clone()))
        })
    };
    let on_open = Callback::new(move |card: ThreadCardView| {
        composing.set(false);
        open.set(Some(card));
    });
    let on_back = Callback::new(move |()| {
        open.set(None);
        if let Some(h) = heading.get_untracked() {
            let _ = h.focus();
        }
    });
    // The thread page reports new replies and answers back to its card.
    let on_update = Callback::new(move |updated: ThreadCardView| {
        cards.update(|cs| {
            if let Some(c) = cs.iter_mut().find(|c| c.view.id == updated.id) {
                c.view = updated;
            }
        });
    });

    // A signed-in member who must join first (or waits, or was just welcomed) sees the
    // gate without asking; others open it with "New thread".
    let gate_shown = move || {
        composing.get()
            || talk.standing.with(|s| match s {
                Standing::Known {
                    welcome: Some(_), ..
                } => true,
                Standing::Known {
                    state: MembershipState::Banned { .. },
                    ..
                } => false,
                known @ Standing::Known { .. } => !known.may_write(),
                _ => false,
            })
    };

    // A topic's tab shows the topic's bar (Join/Joined) above its feed.
    let topic_chosen = Memo::new(move |_| matches!(feed.get(), FeedChoice::Topic { .. }));

    let tab = move |choice: FeedChoice, label: Signal<String>, testid: String| {
        let this = choice.clone();
        let selected = Memo::new(move |_| feed.with(|f| *f == this));
        view! {
            <button
                type="button"
                role="tab"
                class="qz-tab"
                data-testid=testid
                aria-selected=move || selected.get().to_string()
                tabindex=move || if selected.get() { "0" } else { "-1" }
                on:click=move |_| {
                    if feed.get_untracked() != choice {
                        feed.set(choice.clone());
                    }
                }
            >
                {label}
            </button>
        }
    };
    // Arrow keys move between tabs (the tab list is one stop for Tab).
    let on_tab_keys = move |ev: leptos::ev::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        ev.prevent_default();
        let mut all = vec![FeedChoice::All, FeedChoice::Featured];
        all.extend(
            topics
                .get_untracked()
                .into_iter()
                .map(|t| FeedChoice::Topic { topic: t.id }),
        );
        let now = all
            .iter()
            .position(|c| *c == feed.get_untracked())
            .unwrap_or(0) as isize;
        let len = all.len() as isize;
        let to = (now + step).rem_euclid(len) as usize;
        if let Some(choice) = all.get(to) {
            feed.set(choice.clone());
        }
        // Focus follows the selection.
        if let Some(list) = ev
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
        {
            let buttons = list.children();
            if let Some(b) = buttons
                .item(to as u32)
                .and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok())
            {
                let _ = b.focus();
            }
        }
    };

    let list = move || match load.get() {
        Load::Loading => view! { <CardSkeletons/> }.into_any(),
        Load::Failed(code) => view! {
            <div class="qz-error qz-empty" role="alert" data-testid="feed-error">
                <p>{t.get().talk_error(code)}</p>
                <button type="button" class="qz-button" on:click={
                    let fetch = fetch.clone();
                    move |_| fetch(true)
                }>{t.get().retry()}</button>
            </div>
        }
        .into_any(),
        Load::Ready if cards.with(Vec::is_empty) => view! {
            <div class="qz-empty" data-testid="feed-empty">
                <p class="qz-empty-title">{t.get().no_threads()}</p>
                <p class="qz-muted">{t.get().no_threads_hint()}</p>
            </div>
        }
        .into_any(),
        Load::Ready => {
            let fetch = fetch.clone();
            view! {
                <ul class="qz-thread-list" role="list" aria-label=t.get_untracked().threads_label()>
                    <For
                        each=move || cards.get()
                        key=|c| (c.view.id.to_string(), c.sending, c.view.reply_count, c.view.answered, c.view.reactions.total())
                        children=move |c| {
                            let name = topic_name(&c.view);
                            view! {
                                <ThreadCard card=c.view topic_name=name sending=c.sending in_review=c.in_review on_open=on_open/>
                            }
                        }
                    />
                </ul>
                <Show when=move || next.with(Option::is_some)>
                    <button
                        type="button"
                        class="qz-button qz-button-quiet qz-more"
                        data-testid="feed-more"
                        disabled=move || more.get()
                        on:click={
                            let fetch = fetch.clone();
                            move |_| fetch(false)
                        }
                    >
                        {move || if more.get() { t.get().talk_loading() } else { t.get().feed_more() }}
                    </button>
                </Show>
                <p class="qz-inline-error" role="alert">{move || more_error.get().map(|c| t.get().talk_error(c))}</p>
            }
            .into_any()
        }
    };

    view! {
        <section class="qz-card qz-talk" data-testid="talk" aria-labelledby="qz-talk-title">
            <div class="qz-talk-home" hidden=move || open.with(Option::is_some)>
                <div class="qz-talk-head">
                    <h3 class="qz-card-title" id="qz-talk-title" tabindex="-1" node_ref=heading>{t.get_untracked().discussions()}</h3>
                    <button
                        type="button"
                        class="qz-button"
                        data-testid="new-thread"
                        aria-expanded=move || composing.get().to_string()
                        on:click=move |_| composing.update(|c| *c = !*c)
                    >
                        {t.get_untracked().new_thread()}
                    </button>
                </div>
                <div class="qz-tabs" role="tablist" aria-label=t.get_untracked().talk_topics() aria-busy=move || (!topics_ready.get()).to_string() on:keydown=on_tab_keys>
                    {tab(FeedChoice::All, Signal::stored(t.get_untracked().all_threads().to_owned()), "tab-all".to_owned())}
                    {tab(FeedChoice::Featured, Signal::stored(t.get_untracked().feed_featured().to_owned()), "tab-featured".to_owned())}
                    {move || topics.get().into_iter().map(|tv| {
                        let name = tv.name.clone();
                        tab(FeedChoice::Topic { topic: tv.id.clone() }, Signal::derive(move || name.clone()), format!("tab-{}", tv.id))
                    }).collect_view()}
                </div>
                <Show when=gate_shown>
                    <WriteGate prompt=|t| t.sign_in_to_post()>
                        {lazily(__preload_composer(), move || composer(draft, topics, feed, cards, composing, announce))}
                    </WriteGate>
                </Show>
                <div role="tabpanel" aria-labelledby="qz-talk-title">
                    {move || topic_chosen.get().then(|| lazily(__preload_topic_bar(), move || topic_bar(topics, feed)))}
                    {list}
                </div>
            </div>
            {move || open.get().map(|card| lazily(__preload_thread_page(), move || thread_page(card, on_back, on_update)))}
            <p class="qz-visually-hidden" role="status" aria-live="polite" data-testid="talk-status">{move || announcement.get()}</p>
        </section>
    }
}

/// The new-thread form, downloaded when a member first opens it.
#[lazy]
fn composer(
    draft: Draft,
    topics: RwSignal<Vec<TopicView>>,
    feed: RwSignal<FeedChoice>,
    cards: RwSignal<Vec<Card>>,
    composing: RwSignal<bool>,
    announce: WriteSignal<String>,
) -> AnyView {
    view! {
        <ThreadComposer draft=draft topics=topics feed=feed cards=cards composing=composing announce=announce/>
    }
    .into_any()
}

/// The selected topic's bar, downloaded when a member first opens a topic's tab.
#[lazy]
fn topic_bar(topics: RwSignal<Vec<TopicView>>, feed: RwSignal<FeedChoice>) -> AnyView {
    view! { <TopicBar topics=topics feed=feed/> }.into_any()
}

/// One thread with its replies, downloaded when a member first opens a thread.
#[lazy]
fn thread_page(
    card: ThreadCardView,
    on_back: Callback<()>,
    on_update: Callback<ThreadCardView>,
) -> AnyView {
    view! { <ThreadPage card=card on_back=on_back on_update=on_update/> }.into_any()
}
