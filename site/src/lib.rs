//! The marketer dashboard, served by the worker at `/dashboard/`: sign up or sign in, create
//! a community and set it up step by step (basics, joining, websites, member sign-in, look
//! with a live preview of the real widget, embed code), moderate it and run its events. In
//! Chinese and English; every screen has a link (`route`).

mod account;
mod auth_form;
mod automations;
mod communities;
mod community_page;
mod data;
mod events;
mod gamification;
mod i18n;
mod insight;
mod invite;
mod members;
mod moderation;
mod route;
mod setup;
mod snippets;
mod team;
mod time;
mod topics;
mod ui;
mod webhooks;

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::accounts::{Me, Role};
use quanzi_core::community::Locale;
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use wasm_bindgen::prelude::*;

use crate::account::AccountPage;
use crate::auth_form::AuthForm;
use crate::communities::Communities;
use crate::community_page::CommunityPage;
use crate::i18n::Text;
use crate::invite::{InviteNote, InvitePage};
use crate::route::{Route, use_route};

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(Dashboard);
}

/// The API lives on the same origin as the dashboard.
pub(crate) fn client() -> Client {
    Client::new("/")
}

/// The worker's origin (`http://127.0.0.1:8787`): where `embed.js` is served from.
pub(crate) fn edge_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Who is signed in.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SessionState {
    Loading,
    SignedOut,
    SignedIn(Me),
    /// The API could not be reached.
    Unreachable,
}

/// What every screen shares: the session and the language.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    pub session: RwSignal<SessionState>,
    pub locale: RwSignal<Locale>,
}

impl Ctx {
    /// The words of the current language (tracked).
    pub fn t(self) -> Text {
        Text(self.locale.get())
    }

    /// The CSRF token that writes carry (empty when signed out: the API then refuses).
    pub fn csrf(self) -> String {
        match self.session.get_untracked() {
            SessionState::SignedIn(me) => me.csrf,
            _ => String::new(),
        }
    }

    /// The signed-in marketer's role in `slug`, if any (tracked).
    pub fn role(self, slug: &CommunitySlug) -> Option<Role> {
        match self.session.get() {
            SessionState::SignedIn(me) => me
                .communities
                .iter()
                .find(|c| &c.slug == slug)
                .map(|c| c.role),
            _ => None,
        }
    }

    /// What to tell the marketer about a refused request, in their language. A lost
    /// session signs them out (the sign-in form then shows).
    pub fn fail(self, err: &ApiError) -> String {
        if err.code == ErrorCode::Unauthenticated {
            self.session.set(SessionState::SignedOut);
        }
        Text(self.locale.get_untracked()).error(err)
    }
}

pub(crate) fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

const LANG_KEY: &str = "quanzi.dashboard.lang";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The language chosen before, else the browser's, else Chinese.
fn initial_locale() -> Locale {
    let saved = storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    saved
        .or(browser)
        .and_then(|tag| Locale::negotiate(&tag))
        .unwrap_or_default()
}

fn lang_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "zh-CN",
        Locale::En => "en",
    }
}

/// What the main area shows; changes of section inside one community are not a new page.
#[derive(Clone, Debug, PartialEq)]
enum Page {
    Home,
    Account,
    Community(CommunitySlug),
    /// Accepting an invite to a community's team.
    Invite(CommunitySlug, String),
    NotFound,
}

#[component]
fn Dashboard() -> impl IntoView {
    let session = RwSignal::new(SessionState::Loading);
    let locale = RwSignal::new(initial_locale());
    let ctx = Ctx { session, locale };
    provide_context(ctx);
    leptos::task::spawn_local(async move {
        session.set(match client().me().await {
            Ok(me) => SessionState::SignedIn(me),
            Err(err) if err.code == ErrorCode::Unauthenticated => SessionState::SignedOut,
            Err(_) => SessionState::Unreachable,
        });
    });
    Effect::new(move |_| {
        let tag = lang_tag(locale.get());
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", tag);
        }
        if let Some(s) = storage() {
            let _ = s.set_item(LANG_KEY, tag);
        }
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(Text(locale.get()).page_title());
        }
    });

    let route = use_route();
    let page = Memo::new(move |_| match route.get() {
        Route::Home => Page::Home,
        Route::Account => Page::Account,
        Route::Community { slug, .. } => Page::Community(slug),
        Route::Invite { slug, token } => Page::Invite(slug, token),
        Route::NotFound => Page::NotFound,
    });
    #[derive(Clone, Copy, PartialEq)]
    enum Signed {
        Loading,
        Out,
        In,
        Unreachable,
    }
    let signed = Memo::new(move |_| match session.get() {
        SessionState::Loading => Signed::Loading,
        SessionState::SignedOut => Signed::Out,
        SessionState::SignedIn(_) => Signed::In,
        SessionState::Unreachable => Signed::Unreachable,
    });
    let t = move || ctx.t();

    view! {
        // Not a hash link: the hash is the route.
        <a class="qd-skip" href="#main" on:click=move |ev| {
            ev.prevent_default();
            if let Some(main) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("main"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = main.focus();
            }
        }>{move || t().skip_to_content()}</a>
        <header class="qd-top">
            <a class="qd-brand" href="#/">"Quanzi 圈子"</a>
            <div class="qd-top-right">
                <LanguageSwitch/>
                <SignedInAs/>
            </div>
        </header>
        <main class="qd-main" id="main" data-testid="dashboard" tabindex="-1">
            {move || match signed.get() {
                Signed::Loading => view! { <ui::Loading/> }.into_any(),
                Signed::Out => view! {
                    {move || match page.get() {
                        Page::Invite(slug, _) => Some(view! { <InviteNote slug=slug/> }),
                        _ => None,
                    }}
                    <AuthForm/>
                }.into_any(),
                Signed::Unreachable => view! {
                    <p role="alert" class="qd-error">{move || t().unreachable()}</p>
                }.into_any(),
                Signed::In => view! {
                    {move || match page.get() {
                        Page::Home => view! { <Communities/> }.into_any(),
                        Page::Account => view! { <AccountPage/> }.into_any(),
                        Page::Community(slug) => view! { <CommunityPage slug=slug route=route/> }.into_any(),
                        Page::Invite(slug, token) => view! { <InvitePage slug=slug token=token/> }.into_any(),
                        Page::NotFound => view! {
                            <section class="qd-card">
                                <h1>{move || t().not_found_title()}</h1>
                                <a href="#/">{move || t().back_to_communities()}</a>
                            </section>
                        }.into_any(),
                    }}
                }.into_any(),
            }}
        </main>
    }
}

/// 中文 | EN: the dashboard's language, remembered on this browser.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let ctx = ctx();
    let choice = move |locale: Locale, label: &'static str| {
        view! {
            <button type="button" class="qd-lang" lang=lang_tag(locale)
                aria-pressed=move || (ctx.locale.get() == locale).to_string()
                on:click=move |_| ctx.locale.set(locale)>
                {label}
            </button>
        }
    };
    view! {
        <div class="qd-lang-switch" role="group" aria-label="Language / 语言">
            {choice(Locale::ZhCn, "中文")}
            {choice(Locale::En, "EN")}
        </div>
    }
}

/// The signed-in marketer, their account page and signing out.
#[component]
fn SignedInAs() -> impl IntoView {
    let ctx = ctx();
    let sign_out = move |_| {
        let csrf = ctx.csrf();
        leptos::task::spawn_local(async move {
            // Signed out here even if the request fails: the cookie expires anyway.
            let _ = client().logout(&csrf).await;
            ctx.session.set(SessionState::SignedOut);
            route::navigate(&Route::Home);
        });
    };
    move || {
        match ctx.session.get() {
        SessionState::SignedIn(me) => view! {
            <span class="qd-who">
                <a href="#/account" data-testid="signed-in-as" title=move || ctx.t().account()>{me.email.to_string()}</a>
                <button type="button" class="qd-link" on:click=sign_out>{move || ctx.t().sign_out()}</button>
            </span>
        }
        .into_any(),
        _ => ().into_any(),
    }
    }
}
