//! An invite link (`#/invite/{slug}/{token}`): signed out, a note above the sign-in form
//! says what the link is for; signed in, one button accepts it, the dashboard learns the new
//! role and opens the community.

use leptos::prelude::*;
use quanzi_core::accounts::Role;
use quanzi_core::ids::CommunitySlug;

use crate::route::{self, ModTab, Route, Section, Step};
use crate::ui::ErrorNote;
use crate::{SessionState, client, ctx};

/// The community's name once it has loaded (its slug until then, or if it cannot be read).
fn community_name(slug: CommunitySlug) -> impl Fn() -> String + Copy + 'static {
    let shown = StoredValue::new(slug.to_string());
    let view = LocalResource::new(move || {
        let slug = shown.get_value();
        async move { client().community(&slug).await }
    });
    move || {
        view.get()
            .and_then(Result::ok)
            .map(|v| v.name)
            .unwrap_or_else(|| shown.get_value())
    }
}

/// Above the sign-in form: which team the link invites to, and to sign in (or sign up)
/// with the invited email first.
#[component]
pub fn InviteNote(slug: CommunitySlug) -> impl IntoView {
    let ctx = ctx();
    let name = community_name(slug);
    view! {
        <section class="qd-card" data-testid="invite-note">
            <h2>{move || ctx.t().invite_title(&name())}</h2>
            <p>{move || ctx.t().invite_sign_in_first()}</p>
        </section>
    }
}

/// Signed in: accept the invite.
#[component]
pub fn InvitePage(slug: CommunitySlug, token: String) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let name = community_name(slug.clone());
    let slug = StoredValue::new(slug);
    let token = StoredValue::new(token);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let email = move || match ctx.session.get() {
        SessionState::SignedIn(me) => me.email.to_string(),
        _ => String::new(),
    };

    let accept = move |_| {
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = slug.get_value();
        let token = token.get_value();
        leptos::task::spawn_local(async move {
            let api = client();
            let result = api.accept_invite(&csrf, slug.as_str(), &token).await;
            match result {
                Ok(joined) => {
                    // The dashboard's list of communities and roles comes from `me`.
                    if let Ok(me) = api.me().await {
                        ctx.session.set(SessionState::SignedIn(me));
                    }
                    let section = match joined.role {
                        Role::Owner | Role::Admin => Section::Setup(Step::Basics),
                        Role::Moderator => Section::Moderation(ModTab::Queue),
                    };
                    route::navigate(&Route::community(&joined.slug, section));
                }
                Err(err) => {
                    busy.set(false);
                    error.set(Some(ctx.fail(&err)));
                }
            }
        });
    };

    view! {
        <section class="qd-card qd-auth" aria-labelledby="invite-title" data-testid="invite-page">
            <h1 id="invite-title">{move || t().invite_title(&name())}</h1>
            <p>{move || t().invite_signed_in_as(&email())}</p>
            <ErrorNote message=error testid="invite-error"/>
            <div class="qd-actions">
                <button type="button" class="qd-button" data-testid="accept-invite"
                    disabled=move || busy.get() on:click=accept>
                    {move || if busy.get() { t().please_wait() } else { t().invite_accept() }}
                </button>
                <a href="#/" class="qd-button qd-ghost">{move || t().back_to_communities()}</a>
            </div>
        </section>
    }
}
