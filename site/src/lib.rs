//! The marketer dashboard, served by the worker at `/dashboard/`: sign up or sign in, see
//! the communities you run with their embed snippets, and create a new one.

mod auth_form;
mod communities;

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::accounts::Me;
use quanzi_core::error::ErrorCode;
use wasm_bindgen::prelude::*;

use crate::auth_form::AuthForm;
use crate::communities::Communities;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(Dashboard);
}

/// The API lives on the same origin as the dashboard.
pub(crate) fn client() -> Client {
    Client::new("/")
}

/// Who is signed in: `None` while loading, then signed out or a session.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SessionState {
    Loading,
    SignedOut,
    SignedIn(Me),
    /// The API could not be reached; the message says so.
    Unreachable,
}

#[component]
fn Dashboard() -> impl IntoView {
    let session = RwSignal::new(SessionState::Loading);
    leptos::task::spawn_local(async move {
        session.set(match client().me().await {
            Ok(me) => SessionState::SignedIn(me),
            Err(err) if err.code == ErrorCode::Unauthenticated => SessionState::SignedOut,
            Err(_) => SessionState::Unreachable,
        });
    });
    provide_context(session);

    let sign_out = move |_| {
        let SessionState::SignedIn(me) = session.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            // Signed out locally even if the request fails: the cookie expires anyway.
            let _ = client().logout(&me.csrf).await;
            session.set(SessionState::SignedOut);
        });
    };

    view! {
        <header class="qd-top">
            <span class="qd-brand">"Quanzi 圈子"</span>
            {move || match session.get() {
                SessionState::SignedIn(me) => view! {
                    <span class="qd-who">
                        <span data-testid="signed-in-as">{me.email.to_string()}</span>
                        <button type="button" class="qd-link" on:click=sign_out>"Sign out"</button>
                    </span>
                }.into_any(),
                _ => ().into_any(),
            }}
        </header>
        <main class="qd-main" data-testid="dashboard">
            {move || match session.get() {
                SessionState::Loading => view! { <p role="status" class="qd-muted">"Loading…"</p> }.into_any(),
                SessionState::SignedOut => view! { <AuthForm/> }.into_any(),
                SessionState::SignedIn(me) => view! { <Communities me=me/> }.into_any(),
                SessionState::Unreachable => view! {
                    <p role="alert" class="qd-error">"The Quanzi API cannot be reached. Check that the worker is running, then reload."</p>
                }.into_any(),
            }}
        </main>
    }
}
