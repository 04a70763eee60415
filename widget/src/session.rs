//! The member's side of the widget as every view of theirs sees it: the community, the
//! sign-in token, the community's time zone, where the brand signs members in, and a
//! counter that moves whenever something of the member's changes here (points, badges,
//! tickets, notifications), so the other views reload what they show.

use leptos::prelude::*;
use quanzi_core::error::ErrorCode;

use crate::token::use_token;
use quanzi_shell::Text;

#[derive(Clone, Copy)]
pub struct Session {
    slug: StoredValue<String>,
    login_url: StoredValue<Option<String>>,
    /// The member's SSO token, if signed in.
    pub token: ReadSignal<Option<String>>,
    /// The community's IANA time zone (empty until the community is loaded).
    pub time_zone: Signal<String>,
    /// Moves when the member's points, badges, tickets or notifications change.
    pub changed: RwSignal<u32>,
}

impl Session {
    /// Creates the session and provides it (and returns it) to everything below.
    pub fn provide(slug: String, login_url: Option<String>, time_zone: Signal<String>) -> Self {
        let session = Self {
            slug: StoredValue::new(slug),
            login_url: StoredValue::new(login_url),
            token: use_token(),
            time_zone,
            changed: RwSignal::new(0),
        };
        provide_context(session);
        session
    }

    pub fn slug(&self) -> String {
        self.slug.get_value()
    }

    pub fn login_url(&self) -> Option<String> {
        self.login_url.get_value()
    }

    /// Tells the other views that the member's state changed.
    pub fn touch(&self) {
        self.changed.update(|n| *n = n.wrapping_add(1));
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The page's words, from the app.
pub fn use_text() -> Signal<Text> {
    expect_context::<Signal<Text>>()
}

/// What a loaded part of a view is: on its way, here, or refused.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ErrorCode),
}

impl<T> Load<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Self::Ready(v) => Some(v),
            _ => None,
        }
    }
}
