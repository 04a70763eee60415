//! How the member's views say what is going on: loading skeletons, empty states, friendly
//! errors with a retry, the invitation to sign in, and the small line icons they share.

use leptos::prelude::*;
use quanzi_core::error::ErrorCode;

use crate::session::{use_session, use_text};

/// The line icons of the widget (24 × 24, drawn with the current colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Home,
    Calendar,
    Trophy,
    Gift,
    User,
    Bell,
    Medal,
    Ticket,
    Pin,
    Video,
    Clock,
    Check,
    Back,
    Users,
    Sparkle,
    Coin,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            Self::Home => "M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z",
            Self::Calendar => "M4 5h16v16H4zM4 10h16M8 3v4M16 3v4",
            Self::Trophy => {
                "M8 4h8v5a4 4 0 0 1-8 0zM8 6H4.5v1A3.5 3.5 0 0 0 8 10.5M16 6h3.5v1A3.5 3.5 0 0 1 16 10.5M12 13v4M8 21h8M9.5 17h5l.5 4H9z"
            }
            Self::Gift => {
                "M3 8h18v4H3zM5 12v9h14v-9M12 8v13M12 8C11 4 7 3 7 5.5S10 8 12 8zm0 0c1-4 5-5 5-2.5S14 8 12 8z"
            }
            Self::User => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
            Self::Bell => "M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 20.5a2 2 0 0 0 4 0",
            Self::Medal => {
                "M12 22a6 6 0 1 0 0-12 6 6 0 0 0 0 12zM8.5 11 6 3h4l2 5M15.5 11 18 3h-4l-2 5M12 13.5l1 2 2 .3-1.5 1.4.4 2.1-1.9-1-1.9 1 .4-2.1L9 15.8l2-.3z"
            }
            Self::Ticket => "M3 7h18v3a2 2 0 0 0 0 4v3H3v-3a2 2 0 0 0 0-4zM15 7v2M15 11v2M15 15v2",
            Self::Pin => {
                "M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21zM12 12a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z"
            }
            Self::Video => "M3 7h12v10H3zM15 10.5l6-3v9l-6-3",
            Self::Clock => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2",
            Self::Check => "M5 12.5l4.5 4.5L19 7",
            Self::Back => "M15 5l-7 7 7 7",
            Self::Users => {
                "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21a7 7 0 0 1 14 0M16 3.5a4 4 0 0 1 0 7.5M22 21a7 7 0 0 0-4-6.3"
            }
            Self::Sparkle => "M12 3l2 6 6 2-6 2-2 6-2-6-6-2 6-2zM19 3v4M17 5h4",
            Self::Coin => {
                "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 16.5a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9z"
            }
        }
    }
}

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
