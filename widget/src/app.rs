//! The root component: loads the community and shows it, with loading and error states.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::api::CommunityView;
use quanzi_core::community::{ColorScheme, Locale, Theme};

use crate::checkin::CheckinCard;
use crate::i18n::Text;

/// All widget styles. They live inside the shadow root, so the page cannot reach them
/// and they cannot reach the page.
const STYLE: &str = include_str!("style.css");

/// Which part of the community the host page asked for (`data-view`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Home,
    Checkin,
}

impl View {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "checkin" => Self::Checkin,
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
}

/// The theme as CSS custom properties on the widget's root.
fn theme_style(theme: &Theme) -> String {
    format!(
        "--qz-accent:{};--qz-radius:{}px",
        theme.accent.as_str(),
        theme.radius
    )
}

fn scheme_attr(scheme: ColorScheme) -> &'static str {
    match scheme {
        ColorScheme::Auto => "auto",
        ColorScheme::Light => "light",
        ColorScheme::Dark => "dark",
    }
}

#[component]
pub fn App(mount: Mount) -> impl IntoView {
    let page_locale = Locale::negotiate(&mount.lang);
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
            .or_else(|| community.get().and_then(|r| r.ok()).map(|c| c.locale))
            .unwrap_or_default()
    });
    let t = Signal::derive(move || Text(locale.get()));
    let theme = move || {
        community
            .get()
            .and_then(|r| r.ok())
            .map(|c| c.theme)
            .unwrap_or_default()
    };
    provide_context(client);
    provide_context(t);
    let Mount {
        community: slug,
        view,
        login_url,
        ..
    } = mount;

    view! {
        <style>{STYLE}</style>
        <section
            class="qz-root"
            data-testid="quanzi-widget"
            lang=move || if locale.get() == Locale::ZhCn { "zh-CN" } else { "en" }
            data-scheme=move || scheme_attr(theme().scheme)
            style=move || theme_style(&theme())
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
                Some(Ok(c)) => {
                    let checkin = c.features.checkin.then(|| {
                        view! { <CheckinCard slug=slug.clone() login_url=login_url.clone()/> }
                    });
                    let header = (view == View::Home).then(|| view! { <CommunityHeader community=c/> });
                    view! {
                        {header}
                        {checkin}
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
            <h2 class="qz-title" data-testid="community-name">{community.name.clone()}</h2>
            {slogan}
        </header>
    }
}
