//! How the member's views say what is going on: loading skeletons, empty states, friendly
//! errors with a retry, the invitation to sign in, and the small line icons they share.

use leptos::prelude::*;
use quanzi_core::error::ErrorCode;

use crate::session::{use_session, use_text};

pub use quanzi_shell::Icon;

/// An icon beside text: hidden from screen readers, which read the text.
#[component]
pub fn Glyph(icon: Icon) -> impl IntoView {
    view! {
        <svg class="qz-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=icon.path()></path>
        </svg>
    }
}

/// Grey bars where content is about to appear, announced as loading.
#[component]
pub fn Skeleton(#[prop(default = 3)] rows: usize) -> impl IntoView {
    let t = use_text().get_untracked();
    view! {
        <div class="qz-skeleton" role="status" data-testid="loading">
            <span class="qz-visually-hidden">{t.me_loading()}</span>
            <div class="qz-bar qz-bar-title"></div>
            {(0..rows).map(|_| view! { <div class="qz-bar"></div> }).collect_view()}
        </div>
    }
}

/// A refusal or failure in words, with a way to try again.
#[component]
pub fn Problem(code: ErrorCode, #[prop(optional)] retry: Option<Callback<()>>) -> impl IntoView {
    let t = use_text().get_untracked();
    view! {
        <div class="qz-problem" role="alert" data-testid="problem" data-code=format!("{code:?}")>
            <p>{move || t.me_explain(code)}</p>
            {retry.map(|retry| view! {
                <button type="button" class="qz-button qz-button-quiet" on:click=move |_| retry.run(())>
                    {t.retry()}
                </button>
            })}
        </div>
    }
}

/// Nothing to show yet, said kindly, with what would change that.
#[component]
pub fn Empty(icon: Icon, text: &'static str) -> impl IntoView {
    view! {
        <div class="qz-me-empty" data-testid="empty">
            <Glyph icon=icon/>
            <p>{text}</p>
        </div>
    }
}

/// For visitors: why signing in is worth it, and the brand's sign-in link when it has one.
#[component]
pub fn SignInPrompt(text: &'static str) -> impl IntoView {
    let t = use_text().get_untracked();
    let session = use_session();
    let link = session.login_url().map(|href| {
        view! { <a class="qz-button" href=href target="_top">{t.sign_in()}</a> }
    });
    view! {
        <div class="qz-signin" data-testid="signed-out">
            <p class="qz-muted">{text}</p>
            {link}
        </div>
    }
}

/// The polite live region of a view, where results of the member's actions are read out.
#[component]
pub fn Announcer(message: RwSignal<Option<String>>, testid: &'static str) -> impl IntoView {
    view! {
        <p class="qz-live" role="status" aria-live="polite" data-testid=testid>
            {move || message.get()}
        </p>
    }
}
