//! The communities a marketer runs, and creating a new one (which opens its guided setup).

use leptos::prelude::*;
use quanzi_core::accounts::{Role, StaffOf};
use quanzi_core::api::CommunitySettings;
use quanzi_core::community::{CommunityName, Locale};
use quanzi_core::ids::CommunitySlug;

use crate::route::{EventsView, ModTab, Route, Section, Step, navigate};
use crate::snippets::{EmbedView, embed};
use crate::ui::{CopyButton, ErrorNote};
use crate::{SessionState, client, ctx, edge_origin};

#[component]
pub fn Communities() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let name = move || match ctx.session.get() {
        SessionState::SignedIn(me) => me.name,
        _ => String::new(),
    };
    let list = Memo::new(move |_| match ctx.session.get() {
        SessionState::SignedIn(me) => me.communities,
        _ => Vec::new(),
    });
    view! {
        <h1>{move || t().welcome(&name())}</h1>
        <section class="qd-card" aria-labelledby="your-communities">
            <h2 id="your-communities">{move || t().your_communities()}</h2>
            <Show
                when=move || !list.get().is_empty()
                fallback=move || view! {
                    <p class="qd-empty" data-testid="no-communities">{move || t().no_communities()}</p>
                }
            >
                <ul class="qd-list" data-testid="community-list">
                    <For each=move || list.get() key=|c| c.slug.clone() let:c>
                        <CommunityRow staff=c/>
                    </For>
                </ul>
            </Show>
        </section>
        <CreateCommunity/>
    }
}

/// One community: its name, the marketer's role, where to go, and its embed code.
#[component]
fn CommunityRow(staff: StaffOf) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let slug = staff.slug.clone();
    let name = {
        let slug = slug.clone();
        LocalResource::new(move || {
            let slug = slug.clone();
            async move { client().community(slug.as_str()).await.ok().map(|c| c.name) }
        })
    };
    let code = embed(&edge_origin(), slug.as_str(), EmbedView::Home, "");
    let role = staff.role;
    let link = |section: Section| Route::community(&staff.slug, section).href();
    let (setup, moderation, events) = (
        link(Section::Setup(Step::Basics)),
        link(Section::Moderation(ModTab::Queue)),
        link(Section::Events(EventsView::List)),
    );
    view! {
        <li class="qd-row" data-testid="community-row">
            <div class="qd-row-head">
                <strong class="qd-row-title">
                    {move || name.get().flatten().unwrap_or_else(|| slug.to_string())}
                </strong>
                <span class="qd-badge">{move || t().role(role)}</span>
                <code class="qd-slug">{staff.slug.to_string()}</code>
            </div>
            <nav class="qd-row-links" aria-label=move || t().community_sections()>
                <Show when=move || matches!(role, Role::Owner | Role::Admin)>
                    <a href=setup.clone()>{move || t().setup()}</a>
                </Show>
                <a href=moderation>{move || t().moderation()}</a>
                <a href=events>{move || t().events()}</a>
            </nav>
            <div class="qd-snippet">
                <code data-testid="embed-snippet">{code.clone()}</code>
                <CopyButton text=Signal::derive(move || code.clone()) label=Signal::derive(move || t().copy_embed().to_owned())/>
            </div>
        </li>
    }
}

/// Parses the form into the wire types, with the marketer's language for the messages.
fn parse_form(
    t: crate::i18n::Text,
    name: &str,
    slug: &str,
    locale: Locale,
) -> Result<(CommunitySlug, CommunitySettings), String> {
    let name = CommunityName::parse(name).map_err(|_| t.community_name_rule().to_owned())?;
    let slug = CommunitySlug::parse(slug.trim()).map_err(|_| t.slug_rule().to_owned())?;
    let settings = serde_json::from_value::<CommunitySettings>(serde_json::json!({
        "name": name,
        "locale": locale,
    }))
    .map_err(|e| e.to_string())?;
    Ok((slug, settings))
}

/// Name and address; the rest comes in the guided setup that opens next.
#[component]
fn CreateCommunity() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let slug = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let locale = ctx.locale.get_untracked();
        let (slug_value, settings) = match parse_form(
            ctx.t(),
            &name.get_untracked(),
            &slug.get_untracked(),
            locale,
        ) {
            Ok(parsed) => parsed,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        busy.set(true);
        let csrf = ctx.csrf();
        leptos::task::spawn_local(async move {
            let result = client()
                .create_community(&csrf, &slug_value, &settings)
                .await;
            busy.set(false);
            match result {
                Ok(view) => {
                    let staff = StaffOf {
                        slug: view.slug.clone(),
                        role: Role::Owner,
                    };
                    ctx.session.update(|s| {
                        if let SessionState::SignedIn(me) = s {
                            me.communities.push(staff);
                        }
                    });
                    navigate(&Route::community(&view.slug, Section::Setup(Step::Basics)));
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <section class="qd-card" aria-labelledby="create-title">
            <h2 id="create-title">{move || t().create_community()}</h2>
            <p class="qd-muted">{move || t().create_intro()}</p>
            <form on:submit=submit novalidate class="qd-form-grid">
                <label>
                    {move || t().community_name()}
                    <input type="text" name="community-name" required maxlength="60" placeholder="Acme 茶友会"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <div class="qd-field">
                    <label>
                        {move || t().community_address()}
                        <input type="text" name="slug" required placeholder="acme-tea" autocapitalize="off" spellcheck="false"
                            aria-describedby="slug-hint"
                            prop:value=slug on:input=move |ev| slug.set(event_target_value(&ev))/>
                    </label>
                    <span class="qd-hint" id="slug-hint">{move || t().slug_rule()}</span>
                </div>
                <ErrorNote message=error testid="create-error"/>
                <div class="qd-actions">
                    <button type="submit" class="qd-button" disabled=move || busy.get()>
                        {move || if busy.get() { t().creating() } else { t().create_and_set_up() }}
                    </button>
                </div>
            </form>
        </section>
    }
}
