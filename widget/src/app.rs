//! The root component: loads the community and shows it, with loading and error states.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::api::CommunityView;
use quanzi_core::community::Locale;
use quanzi_shell::{scheme_attr, theme_rule};

use crate::bell::Bell;
use crate::checkin::CheckinCard;
use crate::nav::{Nav, Pinned, PinnedView, Sections};
use crate::session::Session;
use crate::sheet::{STYLE, Styles};
use crate::talk::TalkHome;
use quanzi_shell::Text;

/// Which part of the community the host page asked for (`data-view`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Home,
    Checkin,
    /// The comments under one page (`data-page`).
    Page,
    /// One part of the member's side alone: `profile`, `leaderboard`, `rewards`, `events`,
    /// or `event` (with `data-event`).
    Profile,
    Leaderboard,
    Rewards,
    Events,
    Event,
}

impl View {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "checkin" => Self::Checkin,
            "profile" => Self::Profile,
            "leaderboard" => Self::Leaderboard,
            "rewards" => Self::Rewards,
            "events" => Self::Events,
            "event" => Self::Event,
            _ => Self::Home,
        }
    }
}

/// What `embed.js` passed in.
#[derive(Clone, Debug)]
pub struct Mount {
    pub community: String,
    pub base: String,
    pub lang: String,
    pub view: View,
    pub login_url: Option<String>,
    /// The page whose comments to show (`data-page`, resolved to a URL); empty otherwise.
    pub page: String,
    /// The event `data-view="event"` shows (`data-event`); empty otherwise.
    pub event: String,
    /// The embedding `<script>` tag: its `data-locale` is watched for language changes.
    pub script: Option<web_sys::Element>,
    /// Where the widget's styles live (adopted by the shadow root, or inline).
    pub styles: Styles,
}

#[component]
pub fn App(mount: Mount) -> impl IntoView {
    // Follows the page when it switches language (`data-locale`, or `<html lang>`).
    let page_locale = crate::lang::watch_page_language(&mount.lang, mount.script.clone());
    let client = Client::new(mount.base.clone());
    let slug = mount.community.clone();
    let community = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let slug = slug.clone();
            async move { client.community(&slug).await }
        })
    };
    // The page's language wins; without one, the community's own language.
    let locale = Memo::new(move |_| {
        page_locale
            .get()
            .or_else(|| community.get().and_then(|r| r.ok()).map(|c| c.locale))
            .unwrap_or_default()
    });
    let t = Signal::derive(move || Text(locale.get()));
    // A theme previewed by the dashboard (`window.Quanzi.theme`) wins over the saved one.
    let preview = crate::preview::use_preview_theme();
    let theme = move || {
        preview
            .get()
            .or_else(|| community.get().and_then(|r| r.ok()).map(|c| c.theme))
            .unwrap_or_default()
    };
    provide_context(client);
    provide_context(t);
    // The member's views (profile, ranks, rewards, events, bell) share these.
    let time_zone = Signal::derive(move || {
        community
            .get()
            .and_then(|r| r.ok())
            .map(|c| c.time_zone)
            .unwrap_or_default()
    });
    Session::provide(mount.community.clone(), mount.login_url.clone(), time_zone);
    Nav::provide();
    let pinned = match mount.view {
        View::Profile => Some(Pinned::Profile),
        View::Leaderboard => Some(Pinned::Leaderboard),
        View::Rewards => Some(Pinned::Rewards),
        View::Events => Some(Pinned::Events),
        View::Event => Some(Pinned::Event(mount.event.clone())),
        _ => None,
    };
    let Mount {
        community: slug,
        view,
        login_url,
        page,
        styles,
        ..
    } = mount;
    let inline_styles = matches!(styles, Styles::Inline);
    Effect::new(move |_| styles.set_theme(&theme_rule(&theme())));

    view! {
        {inline_styles.then(|| view! { <style>{STYLE}{move || theme_rule(&theme())}</style> })}
        <section
            class="qz-root"
            data-testid="quanzi-widget"
            lang=move || if locale.get() == Locale::ZhCn { "zh-CN" } else { "en" }
            data-scheme=move || scheme_attr(theme().scheme)
            aria-busy=move || community.get().is_none().to_string()
        >
            {move || match community.get() {
                None => view! {
                    <div class="qz-skeleton" role="status">
                        <span class="qz-visually-hidden">{t.get().loading()}</span>
                        <div class="qz-bar qz-bar-title"></div>
                        <div class="qz-bar"></div>
                    </div>
                }
                .into_any(),
                Some(Ok(c)) if view == View::Page => {
                    let comments = c.features.talk.then(|| {
                        {
                        let (slug, login_url, page) = (slug.clone(), login_url.clone(), page.clone());
                        crate::lazy::lazily(crate::lazy::__preload_page_comments(), move || crate::lazy::page_comments(slug, login_url, page))
                    }
                    });
                    view! { {comments} }.into_any()
                }
                Some(Ok(_)) if pinned.is_some() => {
                    pinned.clone().map(|pinned| view! { <PinnedView pinned=pinned/> }).into_any()
                }
                Some(Ok(c)) if view == View::Checkin => c
                    .features
                    .checkin
                    .then(|| view! { <CheckinCard slug=slug.clone() login_url=login_url.clone()/> })
                    .into_any(),
                Some(Ok(c)) => {
                    let features = c.features;
                    let (slug, login_url) = (slug.clone(), login_url.clone());
                    // The first tab: the community's home.
                    let home = ViewFn::from(move || {
                        let talk = features.talk.then(|| {
                            view! { <TalkHome slug=slug.clone() login_url=login_url.clone()/> }
                        });
                        let checkin = features.checkin.then(|| {
                            view! { <CheckinCard slug=slug.clone() login_url=login_url.clone()/> }
                        });
                        view! {
                            {checkin}
                            {talk}
                        }
                    });
                    view! {
                        <CommunityHeader community=c/>
                        <Sections features=features home=home/>
                    }
                    .into_any()
                }
                Some(Err(err)) => view! {
                    <div class="qz-error" role="alert" data-testid="widget-error" data-code=format!("{:?}", err.code)>
                        <p>{t.get().error(err.code)}</p>
                        <button type="button" class="qz-button" on:click=move |_| community.refetch()>
                            {t.get().retry()}
                        </button>
                    </div>
                }
                .into_any(),
            }}
            <footer class="qz-footer">{move || t.get().powered_by()}</footer>
        </section>
    }
}

/// The community's name and slogan.
#[component]
fn CommunityHeader(community: CommunityView) -> impl IntoView {
    let slogan = (!community.slogan.is_empty())
        .then(|| view! { <p class="qz-slogan">{community.slogan.clone()}</p> });
    view! {
        <header class="qz-header">
            <div class="qz-header-text">
                <h2 class="qz-title" data-testid="community-name">{community.name.clone()}</h2>
                {slogan}
            </div>
            <Bell/>
        </header>
    }
}
