//! One community's page: its sections in a sidebar (tabs on a phone) and the open section.

use leptos::prelude::*;
use quanzi_core::accounts::Role;
use quanzi_core::api::CommunityView;
use quanzi_core::community::TimeZone;
use quanzi_core::error::ApiError;
use quanzi_core::ids::CommunitySlug;

use crate::automations::Automations;
use crate::data::Data;
use crate::events::Events;
use crate::gamification::Gamification;
use crate::insight::Insight;
use crate::members::Members;
use crate::moderation::Moderation;
use crate::route::{EventsView, GameTab, ModTab, Route, Section, Step};
use crate::setup::Setup;
use crate::team::Team;
use crate::topics::Topics;
use crate::webhooks::Webhooks;
use crate::{client, ctx};

/// The community whose page is open, for the sections inside it.
#[derive(Clone, Copy)]
pub struct Community {
    pub slug: StoredValue<CommunitySlug>,
    /// What anyone may read about it (name, time zone, theme); refetched after a change.
    pub view: LocalResource<Result<CommunityView, ApiError>>,
}

impl Community {
    pub fn slug(self) -> CommunitySlug {
        self.slug.get_value()
    }

    /// The community's time zone (tracked); Shanghai until it has loaded.
    pub fn time_zone(self) -> TimeZone {
        self.view
            .get()
            .and_then(Result::ok)
            .and_then(|v| TimeZone::parse(&v.time_zone).ok())
            .unwrap_or_default()
    }

    /// The route of one of its sections.
    pub fn route(self, section: Section) -> Route {
        Route::community(&self.slug(), section)
    }

    /// The link of one of its sections.
    pub fn href(self, section: Section) -> String {
        self.route(section).href()
    }
}

pub fn community() -> Community {
    expect_context::<Community>()
}

/// The sidebar's entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    Setup,
    Moderation,
    Events,
    Members,
    Insight,
    Gamification,
    Topics,
    Webhooks,
    Automations,
    Team,
    Data,
}

impl Entry {
    fn of(section: &Section) -> Entry {
        match section {
            Section::Setup(_) => Entry::Setup,
            Section::Moderation(_) => Entry::Moderation,
            Section::Events(_) => Entry::Events,
            Section::Members => Entry::Members,
            Section::Insight => Entry::Insight,
            Section::Gamification(_) => Entry::Gamification,
            Section::Topics => Entry::Topics,
            Section::Webhooks => Entry::Webhooks,
            Section::Automations => Entry::Automations,
            Section::Team => Entry::Team,
            Section::Data => Entry::Data,
        }
    }
}

#[component]
pub fn CommunityPage(slug: CommunitySlug, route: ReadSignal<Route>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let section = Memo::new(move |_| match route.get() {
        Route::Community { section, .. } => section,
        _ => Section::Setup(Step::Basics),
    });
    let view = {
        let slug = slug.clone();
        LocalResource::new(move || {
            let slug = slug.clone();
            async move { client().community(slug.as_str()).await }
        })
    };
    let community = Community {
        slug: StoredValue::new(slug.clone()),
        view,
    };
    provide_context(community);
    let role = {
        let slug = slug.clone();
        Memo::new(move |_| ctx.role(&slug))
    };
    let entry = Memo::new(move |_| Entry::of(&section.get()));
    let name = move || {
        view.get()
            .and_then(Result::ok)
            .map(|v| v.name)
            .unwrap_or_else(|| community.slug().to_string())
    };

    let link =
        move |target: Entry, section: Section, label: fn(crate::i18n::Text) -> &'static str| {
            view! {
                <li>
                    <a href=community.href(section)
                        aria-current=move || (entry.get() == target).then_some("page")>
                        {move || label(ctx.t())}
                    </a>
                </li>
            }
        };

    view! {
        <nav class="qd-crumbs" aria-label=move || t().breadcrumbs()>
            <a href="#/">{move || t().your_communities()}</a>
        </nav>
        <div class="qd-community-head">
            <h1 data-testid="community-title">{name}</h1>
            <code class="qd-slug">{slug.to_string()}</code>
            {move || role.get().map(|r| view! { <span class="qd-badge">{move || ctx.t().role(r)}</span> })}
        </div>
        <Show
            when=move || role.get().is_some()
            fallback=move || view! {
                <section class="qd-card" role="alert" data-testid="no-access">
                    <h2>{move || t().no_access_title()}</h2>
                    <p>{move || t().no_access_body()}</p>
                    <a href="#/">{move || t().back_to_communities()}</a>
                </section>
            }
        >
            <div class="qd-community">
                <nav class="qd-sections" aria-label=move || t().community_sections()>
                    <ul>
                        {link(Entry::Setup, Section::Setup(Step::Basics), |t| t.setup())}
                        {link(Entry::Moderation, Section::Moderation(ModTab::Queue), |t| t.moderation())}
                        {link(Entry::Events, Section::Events(EventsView::List), |t| t.events())}
                        {link(Entry::Topics, Section::Topics, |t| t.topics_section())}
                        {link(Entry::Gamification, Section::Gamification(GameTab::Points), |t| t.game_section())}
                        {link(Entry::Webhooks, Section::Webhooks, |t| t.webhooks_section())}
                        {link(Entry::Members, Section::Members, |t| t.members())}
                        {link(Entry::Team, Section::Team, |t| t.team_section())}
                        {link(Entry::Insight, Section::Insight, |t| t.insight())}
                        {link(Entry::Automations, Section::Automations, |t| t.automations_section())}
                        {link(Entry::Data, Section::Data, |t| t.data_section())}
                    </ul>
                </nav>
                <div class="qd-section">
                    {move || match entry.get() {
                        Entry::Setup => {
                            let step = Memo::new(move |_| match section.get() {
                                Section::Setup(step) => step,
                                _ => Step::Basics,
                            });
                            let can = Signal::derive(move || matches!(role.get(), Some(Role::Owner | Role::Admin)));
                            view! { <Setup step=step can_edit=can/> }.into_any()
                        }
                        Entry::Moderation => {
                            let tab = Memo::new(move |_| match section.get() {
                                Section::Moderation(tab) => tab,
                                _ => ModTab::Queue,
                            });
                            view! { <Moderation tab=tab/> }.into_any()
                        }
                        Entry::Events => {
                            let shown = Memo::new(move |_| match section.get() {
                                Section::Events(v) => v,
                                _ => EventsView::List,
                            });
                            view! { <Events shown=shown/> }.into_any()
                        }
                        Entry::Members => {
                            let can = Signal::derive(move || matches!(role.get(), Some(Role::Owner | Role::Admin)));
                            view! { <Members can_manage=can/> }.into_any()
                        }
                        Entry::Insight => {
                            let can = Signal::derive(move || matches!(role.get(), Some(Role::Owner | Role::Admin)));
                            view! { <Insight can_manage=can/> }.into_any()
                        }
                        Entry::Gamification => {
                            let tab = Memo::new(move |_| match section.get() {
                                Section::Gamification(tab) => tab,
                                _ => GameTab::Points,
                            });
                            view! { <Gamification tab=tab/> }.into_any()
                        }
                        Entry::Topics => view! { <Topics/> }.into_any(),
                        Entry::Webhooks => view! { <Webhooks/> }.into_any(),
                        Entry::Automations => {
                            let can = Signal::derive(move || matches!(role.get(), Some(Role::Owner | Role::Admin)));
                            view! { <Automations can_manage=can/> }.into_any()
                        }
                        Entry::Team => view! { <Team/> }.into_any(),
                        Entry::Data => {
                            let owner = Signal::derive(move || matches!(role.get(), Some(Role::Owner)));
                            view! { <Data owner=owner/> }.into_any()
                        }
                    }}
                </div>
            </div>
        </Show>
    }
}
