//! Topics: creating and editing the community's interest groups (name, description, the
//! brand tags that join members automatically), and pinning or featuring threads from the
//! feed.

use leptos::prelude::*;
use quanzi_core::app::talk::FeedChoice;
use quanzi_core::talk::wire::{ThreadCardView, TopicView};
use quanzi_core::talk::{
    BrandTag, Cursor, FlagChange, Topic, TopicDescription, TopicDraft, TopicId, TopicName,
};

use crate::community_page::community;
use crate::i18n::Text;
use crate::ui::{ErrorNote, Loading, Saved};
use crate::{client, ctx};

#[component]
pub fn Topics() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    view! {
        <h2 class="qd-section-title">{move || t().topics_section()}</h2>
        <p class="qd-muted">{move || t().topics_intro()}</p>
        <TopicEditor/>
        <Threads/>
    }
}

/// The topic form's fields, as typed.
#[derive(Clone, Copy)]
struct TopicForm {
    /// The topic being edited; `None` while creating one.
    editing: RwSignal<Option<TopicId>>,
    id: RwSignal<String>,
    name: RwSignal<String>,
    description: RwSignal<String>,
    tags: RwSignal<String>,
}

impl TopicForm {
    fn new() -> Self {
        Self {
            editing: RwSignal::new(None),
            id: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            tags: RwSignal::new(String::new()),
        }
    }

    fn load(self, topic: &TopicView) {
        self.editing.set(Some(topic.id.clone()));
        self.id.set(topic.id.to_string());
        self.name.set(topic.name.clone());
        self.description.set(topic.description.clone());
        let tags: Vec<&str> = topic.auto_join_tags.iter().map(BrandTag::as_str).collect();
        self.tags.set(tags.join(", "));
    }

    fn clear(self) {
        self.editing.set(None);
        self.id.set(String::new());
        self.name.set(String::new());
        self.description.set(String::new());
        self.tags.set(String::new());
    }

    /// The id to create with (`None`: the worker draws one) and the draft, or what is wrong.
    fn parse(self, text: Text) -> Result<(Option<TopicId>, TopicDraft), &'static str> {
        let raw_id = self.id.get_untracked().trim().to_owned();
        let id = if raw_id.is_empty() {
            None
        } else {
            Some(TopicId::parse(&raw_id).map_err(|_| text.topic_id_rule())?)
        };
        let name = TopicName::parse(self.name.get_untracked().trim())
            .map_err(|_| text.topic_name_rule())?;
        let description = TopicDescription::parse(self.description.get_untracked().trim())
            .map_err(|_| text.topic_description_rule())?;
        let auto_join_tags = self
            .tags
            .get_untracked()
            .split([',', '，'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| BrandTag::parse(t).map_err(|_| text.topic_tags_rule()))
            .collect::<Result<Vec<_>, _>>()?;
        if auto_join_tags.len() > Topic::MAX_TAGS {
            return Err(text.topic_tags_rule());
        }
        Ok((
            id,
            TopicDraft {
                name,
                description,
                auto_join_tags,
            },
        ))
    }
}

/// The list of topics and the form that creates or edits one.
#[component]
fn TopicEditor() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let list = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().topics(slug.as_str(), None).await }
    });
    let form = TopicForm::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // What was just done, said in the current language.
    let done = RwSignal::new(None::<fn(Text) -> &'static str>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, draft) = match form.parse(ctx.t()) {
            Ok(parsed) => parsed,
            Err(message) => {
                error.set(Some(message.to_owned()));
                return;
            }
        };
        let editing = form.editing.get_untracked();
        error.set(None);
        done.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let api = client();
            let result = match &editing {
                Some(topic) => api.edit_topic(&csrf, slug.as_str(), topic, &draft).await,
                None => {
                    api.create_topic(&csrf, slug.as_str(), id.as_ref(), &draft)
                        .await
                }
            };
            busy.set(false);
            match result {
                Ok(_) => {
                    form.clear();
                    done.set(Some(if editing.is_some() {
                        Text::topic_saved
                    } else {
                        Text::topic_created
                    }));
                    list.refetch();
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <section class="qd-card" aria-labelledby="topic-form-title">
            <h3 id="topic-form-title">
                {move || if form.editing.with(Option::is_some) { t().topic_edit() } else { t().topic_new() }}
            </h3>
            <form on:submit=submit novalidate class="qd-form-grid" data-testid="topic-form">
                <div class="qd-two">
                    <div class="qd-field">
                        <label>
                            {move || t().topic_id()}
                            <input type="text" name="topic-id" maxlength="40" autocapitalize="off" spellcheck="false"
                                placeholder="running-club" aria-describedby="topic-id-hint"
                                disabled=move || form.editing.with(Option::is_some)
                                prop:value=form.id on:input=move |ev| form.id.set(event_target_value(&ev))/>
                        </label>
                        <span class="qd-hint" id="topic-id-hint">{move || t().topic_id_hint()}</span>
                    </div>
                    <div class="qd-field">
                        <label>
                            {move || t().topic_name()}
                            <input type="text" name="topic-name" maxlength="60" required
                                prop:value=form.name on:input=move |ev| form.name.set(event_target_value(&ev))/>
                        </label>
                    </div>
                </div>
                <label>
                    {move || t().topic_description()}
                    <textarea name="topic-description" rows="2" maxlength="500"
                        prop:value=form.description on:input=move |ev| form.description.set(event_target_value(&ev))></textarea>
                </label>
                <div class="qd-field">
                    <label>
                        {move || t().topic_tags()}
                        <input type="text" name="topic-tags" autocapitalize="off" aria-describedby="topic-tags-hint"
                            prop:value=form.tags on:input=move |ev| form.tags.set(event_target_value(&ev))/>
                    </label>
                    <span class="qd-hint" id="topic-tags-hint">{move || t().topic_tags_hint()}</span>
                </div>
                <ErrorNote message=error testid="topic-error"/>
                <Saved message=Signal::derive(move || done.get().map(|said| said(ctx.t()).to_owned()))/>
                <div class="qd-actions">
                    <button type="submit" class="qd-button" disabled=move || busy.get()>
                        {move || if busy.get() {
                            t().saving()
                        } else if form.editing.with(Option::is_some) {
                            t().save_changes()
                        } else {
                            t().topic_create()
                        }}
                    </button>
                    <Show when=move || form.editing.with(Option::is_some)>
                        <button type="button" class="qd-button qd-ghost" on:click=move |_| form.clear()>
                            {move || ctx.t().game_cancel_edit()}
                        </button>
                    </Show>
                </div>
            </form>
        </section>
        <section class="qd-card" aria-labelledby="topic-list-title">
            <h3 id="topic-list-title">{move || t().topics_section()}</h3>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => {
                    let message = ctx.fail(&err);
                    view! {
                        <ErrorNote message=Signal::derive(move || Some(message.clone()))/>
                        <button type="button" class="qd-button qd-secondary" on:click=move |_| list.refetch()>
                            {move || ctx.t().retry()}
                        </button>
                    }.into_any()
                }
                Some(Ok(found)) if found.topics.is_empty() => view! {
                    <p class="qd-empty" data-testid="no-topics">{move || ctx.t().topic_no_topics()}</p>
                }.into_any(),
                Some(Ok(found)) => view! {
                    <div class="qd-table-wrap">
                        <table class="qd-table" data-testid="topics">
                            <thead><tr>
                                <th scope="col">{move || ctx.t().topic_name()}</th>
                                <th scope="col">{move || ctx.t().topic_members()}</th>
                                <th scope="col"><span class="qd-visually-hidden">{move || ctx.t().actions()}</span></th>
                            </tr></thead>
                            <tbody>
                                {found.topics.into_iter().map(|topic| {
                                    let name = topic.name.clone();
                                    let tags: Vec<&str> = topic.auto_join_tags.iter().map(BrandTag::as_str).collect();
                                    let tags = tags.join(", ");
                                    let stored = StoredValue::new(topic.clone());
                                    view! {
                                        <tr data-testid="topic-row">
                                            <td>
                                                <strong>{topic.name.clone()}</strong>" "<code>{topic.id.to_string()}</code>
                                                {(!topic.description.is_empty()).then(|| view! { <div class="qd-muted">{topic.description.clone()}</div> })}
                                                {(!tags.is_empty()).then(|| view! { <div class="qd-hint">{tags}</div> })}
                                            </td>
                                            <td>{topic.member_count}</td>
                                            <td>
                                                <button type="button" class="qd-button qd-secondary qd-small"
                                                    aria-label=move || ctx.t().edit_named(&name)
                                                    on:click=move |_| {
                                                        done.set(None);
                                                        error.set(None);
                                                        stored.with_value(|t| form.load(t));
                                                    }>
                                                    {move || ctx.t().edit()}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// What the thread list holds: nothing yet, the threads so far, or why they did not load.
#[derive(Clone)]
enum Loaded {
    Loading,
    Threads(Vec<ThreadCardView>),
    Failed(String),
}

/// The feed, pinned first, with pin and feature buttons on each thread.
#[component]
fn Threads() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let loaded = RwSignal::new(Loaded::Loading);
    let next = RwSignal::new(None::<Cursor>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    // The first page (`cursor: None`, replacing the list) or the page after `cursor`.
    let load = move |cursor: Option<Cursor>| {
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client()
                .threads(slug.as_str(), None, &FeedChoice::All, cursor.as_ref())
                .await;
            match result {
                Ok(page) => {
                    next.set(page.next);
                    if cursor.is_some() {
                        loaded.update(|l| {
                            if let Loaded::Threads(list) = l {
                                list.extend(page.threads);
                            }
                        });
                    } else {
                        loaded.set(Loaded::Threads(page.threads));
                    }
                }
                Err(err) => loaded.set(Loaded::Failed(ctx.fail(&err))),
            }
        });
    };
    load(None);

    let flag = move |thread: ThreadCardView, change: FlagChange| {
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client()
                .set_thread_flags(&csrf, slug.as_str(), &thread.id, &change)
                .await;
            busy.set(false);
            match result {
                Ok(view) => loaded.update(|l| {
                    if let Loaded::Threads(list) = l {
                        for card in list.iter_mut().filter(|c| c.id == view.id) {
                            card.pinned = view.pinned;
                            card.featured = view.featured;
                            card.locked = view.locked;
                        }
                    }
                }),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    let row = move |thread: ThreadCardView| {
        let title = thread
            .title
            .clone()
            .unwrap_or_else(|| ctx.t().untitled().to_owned());
        let title = StoredValue::new(title);
        let (pinned, featured) = (thread.pinned, thread.featured);
        let stored = StoredValue::new(thread.clone());
        let toggle = move |change: FlagChange| flag(stored.get_value(), change);
        view! {
            <tr data-testid="thread-row" data-pinned=pinned.to_string() data-featured=featured.to_string()>
                <td>{move || title.get_value()}</td>
                <td>{thread.topic.as_ref().map(|t| view! { <code>{t.to_string()}</code> })}</td>
                <td>
                    <span class="qd-chips">
                        {pinned.then(|| view! { <span class="qd-chip qd-chip-ok">{move || ctx.t().pinned()}</span> })}
                        {featured.then(|| view! { <span class="qd-chip qd-chip-ok">{move || ctx.t().featured()}</span> })}
                        {thread.locked.then(|| view! { <span class="qd-chip">{move || ctx.t().locked()}</span> })}
                    </span>
                </td>
                <td class="qd-nowrap">
                    <button type="button" class="qd-button qd-secondary qd-small" disabled=move || busy.get()
                        aria-label=move || {
                            let action = if pinned { ctx.t().unpin() } else { ctx.t().pin() };
                            ctx.t().flag_thread(action, &title.get_value())
                        }
                        on:click=move |_| toggle(FlagChange { pinned: Some(!pinned), ..FlagChange::default() })>
                        {move || if pinned { ctx.t().unpin() } else { ctx.t().pin() }}
                    </button>
                    " "
                    <button type="button" class="qd-button qd-secondary qd-small" disabled=move || busy.get()
                        aria-label=move || {
                            let action = if featured { ctx.t().unfeature() } else { ctx.t().feature() };
                            ctx.t().flag_thread(action, &title.get_value())
                        }
                        on:click=move |_| toggle(FlagChange { featured: Some(!featured), ..FlagChange::default() })>
                        {move || if featured { ctx.t().unfeature() } else { ctx.t().feature() }}
                    </button>
                </td>
            </tr>
        }
    };

    view! {
        <section class="qd-card" aria-labelledby="threads-title">
            <div class="qd-toolbar">
                <h3 id="threads-title">{move || t().threads_title()}</h3>
                <button type="button" class="qd-button qd-ghost qd-small" on:click=move |_| load(None)>
                    {move || t().refresh()}
                </button>
            </div>
            <p class="qd-muted">{move || t().threads_intro()}</p>
            <ErrorNote message=error testid="thread-flag-error"/>
            {move || match loaded.get() {
                Loaded::Loading => view! { <Loading/> }.into_any(),
                Loaded::Failed(message) => view! {
                    <ErrorNote message=Signal::derive(move || Some(message.clone()))/>
                    <button type="button" class="qd-button qd-secondary" on:click=move |_| load(None)>
                        {move || ctx.t().retry()}
                    </button>
                }.into_any(),
                Loaded::Threads(list) if list.is_empty() => view! {
                    <p class="qd-empty" data-testid="no-threads">{move || ctx.t().threads_empty()}</p>
                }.into_any(),
                Loaded::Threads(list) => view! {
                    <div class="qd-table-wrap">
                        <table class="qd-table" data-testid="threads">
                            <thead><tr>
                                <th scope="col">{move || ctx.t().thread_title()}</th>
                                <th scope="col">{move || ctx.t().topics_section()}</th>
                                <th scope="col">{move || ctx.t().thread_flags()}</th>
                                <th scope="col"><span class="qd-visually-hidden">{move || ctx.t().actions()}</span></th>
                            </tr></thead>
                            <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
            {move || next.get().map(|cursor| view! {
                <button type="button" class="qd-button qd-secondary" on:click=move |_| load(Some(cursor.clone()))>
                    {move || ctx.t().load_more()}
                </button>
            })}
        </section>
    }
}
