//! The communities a marketer runs, their embed snippets, and creating a new one.

use leptos::prelude::*;
use quanzi_core::accounts::{Me, Role, StaffOf};
use quanzi_core::api::CommunitySettings;
use quanzi_core::ids::CommunitySlug;

use crate::{SessionState, client};

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The script tag a brand pastes into its page.
fn snippet(slug: &CommunitySlug) -> String {
    format!(
        r#"<script src="{}/embed.js" data-community="{slug}" async></script>"#,
        origin()
    )
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Owner => "Owner",
        Role::Admin => "Admin",
        Role::Moderator => "Moderator",
    }
}

#[component]
pub fn Communities(me: Me) -> impl IntoView {
    let list = RwSignal::new(me.communities.clone());
    let first_name = me.name.clone();
    view! {
        <h1>"Welcome, " {first_name}</h1>
        <section class="qd-card">
            <h2>"Your communities"</h2>
            <Show
                when=move || !list.get().is_empty()
                fallback=|| view! { <p class="qd-muted" data-testid="no-communities">"You don't run a community yet. Create your first one below: it takes a minute."</p> }
            >
                <ul class="qd-list" data-testid="community-list">
                    <For each=move || list.get() key=|c| c.slug.clone() let:c>
                        <CommunityRow staff=c/>
                    </For>
                </ul>
            </Show>
        </section>
        <CreateCommunity csrf=me.csrf.clone() on_created=move |c| list.update(|l| l.push(c))/>
    }
}

#[component]
fn CommunityRow(staff: StaffOf) -> impl IntoView {
    let code = snippet(&staff.slug);
    let copied = RwSignal::new(false);
    let to_copy = code.clone();
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&to_copy);
            copied.set(true);
        }
    };
    view! {
        <li class="qd-row" data-testid="community-row">
            <div class="qd-row-head">
                <strong>{staff.slug.to_string()}</strong>
                <span class="qd-badge">{role_label(staff.role)}</span>
            </div>
            <label class="qd-muted">"Paste this where the community should appear:"</label>
            <div class="qd-snippet">
                <code data-testid="embed-snippet">{code}</code>
                <button type="button" class="qd-button qd-small" on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
        </li>
    }
}

/// Parses the form into the wire types, so the dashboard shows the same messages the API
/// would give.
fn parse_form(
    slug: &str,
    name: &str,
    origins: &str,
) -> Result<(CommunitySlug, CommunitySettings), String> {
    let slug = CommunitySlug::parse(slug.trim()).map_err(|e| format!("Address: {e}"))?;
    let origins: Vec<&str> = origins
        .split([',', '\n', ' '])
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .collect();
    let settings = serde_json::from_value::<CommunitySettings>(serde_json::json!({
        "name": name,
        "allowed_origins": origins,
    }))
    .map_err(|e| e.to_string())?;
    Ok((slug, settings))
}

#[component]
fn CreateCommunity(
    csrf: String,
    on_created: impl Fn(StaffOf) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = expect_context::<RwSignal<SessionState>>();
    let slug = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let origins = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let csrf = StoredValue::new(csrf);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let (slug_value, settings) = match parse_form(
            &slug.get_untracked(),
            &name.get_untracked(),
            &origins.get_untracked(),
        ) {
            Ok(parsed) => parsed,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = client()
                .create_community(&csrf.get_value(), &slug_value, &settings)
                .await;
            busy.set(false);
            match result {
                Ok(view) => {
                    on_created(StaffOf {
                        slug: view.slug,
                        role: Role::Owner,
                    });
                    slug.set(String::new());
                    name.set(String::new());
                    origins.set(String::new());
                }
                Err(err) if err.code == quanzi_core::error::ErrorCode::Unauthenticated => {
                    session.set(SessionState::SignedOut);
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };

    view! {
        <section class="qd-card">
            <h2>"Create a community"</h2>
            <form on:submit=submit>
                <label>
                    "Name"
                    <input type="text" name="community-name" required placeholder="Acme 茶友会"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label>
                    "Address (used in the embed code)"
                    <input type="text" name="slug" required placeholder="acme-tea" pattern="[a-z0-9-]{3,32}"
                        prop:value=slug on:input=move |ev| slug.set(event_target_value(&ev))/>
                </label>
                <label>
                    "Websites that may embed it (origins, comma-separated)"
                    <input type="text" name="origins" placeholder="https://www.acme.example"
                        prop:value=origins on:input=move |ev| origins.set(event_target_value(&ev))/>
                </label>
                <Show when=move || error.get().is_some()>
                    <p role="alert" class="qd-error" data-testid="create-error">{move || error.get()}</p>
                </Show>
                <button type="submit" class="qd-button" disabled=move || busy.get()>
                    {move || if busy.get() { "Creating…" } else { "Create community" }}
                </button>
            </form>
        </section>
    }
}
