//! Moving between the parts of the community inside the widget. Holding the whole
//! community, the widget shows a row of tabs (社区 · 活动 · 排行 · 兑换 · 我的) over the part
//! chosen; a page that pins one part with `data-view` gets that part alone.

use leptos::prelude::*;
use quanzi_core::community::Features;
use quanzi_core::error::ErrorCode;
pub use quanzi_shell::Section;

use crate::feedback::Problem;
use crate::lazy::{self, lazily};
use crate::session::use_text;
use crate::tabs::TabList;

/// Where the member is in the widget: the section, and the event open in it.
#[derive(Clone, Copy)]
pub struct Nav {
    pub section: RwSignal<Section>,
    pub event: RwSignal<Option<String>>,
}

impl Nav {
    /// Creates the navigation state and provides it to everything below.
    pub fn provide() -> Self {
        let nav = Self {
            section: RwSignal::new(Section::Home),
            event: RwSignal::new(None),
        };
        provide_context(nav);
        nav
    }

    /// Shows one event in full (from a notification, say).
    pub fn open_event(&self, id: String) {
        self.section.set(Section::Events);
        self.event.set(Some(id));
    }
}

/// The tabs and the section chosen, when the widget holds the whole community. `home`
/// draws the first tab.
#[component]
pub fn Sections(features: Features, home: ViewFn) -> impl IntoView {
    let text = use_text();
    let nav = expect_context::<Nav>();
    let list = StoredValue::new(Section::all(features));
    let selected = Signal::derive(move || {
        let now = nav.section.get();
        list.with_value(|l| l.iter().position(|s| *s == now).unwrap_or(0))
    });
    let select = Callback::new(move |i: usize| {
        if let Some(s) = list.with_value(|l| l.get(i).copied()) {
            // A tab shows its section from the top: the list of events, not the last one open.
            nav.event.set(None);
            nav.section.set(s);
        }
    });
    let labels = Signal::derive(move || {
        let t = text.get();
        list.with_value(|l| l.iter().map(|s| s.label(t)).collect::<Vec<_>>())
    });
    view! {
        <nav class="qz-nav">
            <TabList
                labels=labels
                selected=selected
                select=select
                panel="qz-section"
                id_prefix="qz-section-tab"
                label=Signal::derive(move || text.get().sections_label().to_owned())
                class="qz-sections"
                icons=list.with_value(|l| l.iter().map(|s| s.icon()).collect())
                keys=list.with_value(|l| l.iter().map(|s| s.key()).collect())
            />
        </nav>
        <div
            class="qz-section"
            id="qz-section"
            role="tabpanel"
            aria-labelledby=move || format!("qz-section-tab-{}", selected.get())
            data-section=move || nav.section.get().key()
        >
            {move || {
                // A language switch draws the section again, in the new words.
                use_text().track();
                match nav.section.get() {
                Section::Home => home.run(),
                Section::Events => lazily(lazy::__preload_events(), move || lazy::events(nav.event)).into_any(),
                Section::Leaderboard => lazily(lazy::__preload_leaderboard(), lazy::leaderboard).into_any(),
                Section::Rewards => lazily(lazy::__preload_rewards(), lazy::rewards).into_any(),
                Section::Profile => lazily(lazy::__preload_profile(), lazy::profile).into_any(),
                }
            }}
        </div>
    }
}

/// A part of the community a page pinned with `data-view`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pinned {
    Profile,
    Leaderboard,
    Rewards,
    Events,
    /// `data-view="event"` with the event's id from `data-event`.
    Event(String),
}

/// That part alone.
#[component]
pub fn PinnedView(pinned: Pinned) -> impl IntoView {
    let text = use_text();
    move || {
        // A language switch draws the view again, in the new words.
        text.track();
        match pinned.clone() {
            Pinned::Profile => lazily(lazy::__preload_profile(), lazy::profile).into_any(),
            Pinned::Leaderboard => {
                lazily(lazy::__preload_leaderboard(), lazy::leaderboard).into_any()
            }
            Pinned::Rewards => lazily(lazy::__preload_rewards(), lazy::rewards).into_any(),
            Pinned::Events => lazily(lazy::__preload_events(), || {
                lazy::events(RwSignal::new(None))
            })
            .into_any(),
            Pinned::Event(id) if !id.is_empty() => {
                lazily(lazy::__preload_event(), move || lazy::event(id)).into_any()
            }
            Pinned::Event(_) => view! { <Problem code=ErrorCode::NotFound/> }.into_any(),
        }
    }
}
