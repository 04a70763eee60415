//! The parts of the widget that are downloaded when first shown, not with the first view.
//!
//! Each `#[lazy]` function below is a cut point: the build splits the wasm there (see
//! `xtask/src/build.rs`), so the code only that function reaches lives in its own file,
//! fetched the first time the function is called. The first view (the community's home,
//! the check-in card or a page's comments) then downloads only what it draws.
//!
//! A lazy function returns a future of its view; [`Lazily`] shows the skeleton until the
//! part has arrived, then the part. Once a part is loaded, later calls resolve at once.

use std::future::Future;

use leptos::prelude::*;

use crate::event::EventDetail;
use crate::events::Events;
use crate::feedback::Skeleton;
use crate::leaderboard::Leaderboard;
use crate::profile::Profile;
use crate::rewards::Rewards;

/// Shows the view `load` resolves to, with a skeleton while its code downloads.
pub fn lazily<F>(load: F) -> impl IntoView
where
    F: Future<Output = AnyView> + Send + 'static,
{
    view! {
        <Suspense fallback=|| view! { <Skeleton/> }>
            {Suspend::new(load)}
        </Suspense>
    }
}

#[lazy]
pub fn events(open: RwSignal<Option<String>>) -> AnyView {
    view! { <Events open=open/> }.into_any()
}

#[lazy]
pub fn event(id: String) -> AnyView {
    view! {
        <section class="qz-card qz-events" data-testid="events">
            <EventDetail id=id back=None/>
        </section>
    }
    .into_any()
}

#[lazy]
pub fn leaderboard() -> AnyView {
    view! { <Leaderboard/> }.into_any()
}

#[lazy]
pub fn rewards() -> AnyView {
    view! { <Rewards/> }.into_any()
}

#[lazy]
pub fn profile() -> AnyView {
    view! { <Profile/> }.into_any()
}
