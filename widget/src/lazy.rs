//! The parts of the widget that are downloaded when first shown, not with the first view.
//!
//! Each `#[lazy]` function below is a cut point: the build splits the wasm there (see
//! `xtask/src/build.rs`), so the code only that function reaches lives in its own file,
//! fetched the first time the function is called. The first view (the community's home
//! or the check-in card) then downloads only what it draws; a page's comments, the
//! member's sections, a thread and the composer come when first shown.
//!
//! A lazy function returns a future of its view, and the macro makes a `__preload_…`
//! twin that only fetches its code. [`lazily`] shows the skeleton, awaits the preload,
//! then, if the place it was asked for is still on screen, calls the function, which
//! now resolves at once: the part's components run synchronously under a live owner, as
//! any other. (Running them after an await instead would race the owner's disposal when
//! the view above changes while the code downloads.)

use std::future::Future;

use leptos::prelude::*;

use crate::event::EventDetail;
use crate::events::Events;
use crate::feedback::Skeleton;
use crate::leaderboard::Leaderboard;
use crate::profile::Profile;
use crate::rewards::Rewards;
use crate::talk::PageComments;

/// Shows what `show` resolves to once `preload` has fetched its code, with a skeleton
/// meanwhile; nothing if this place left the screen during the download.
pub fn lazily<P, S, F>(preload: P, show: S) -> impl IntoView
where
    P: Future<Output = ()> + Send + 'static,
    S: FnOnce() -> F + Send + 'static,
    F: Future<Output = AnyView> + Send + 'static,
{
    let here = StoredValue::new(());
    view! {
        <Suspense fallback=|| view! { <Skeleton/> }>
            {Suspend::new(async move {
                preload.await;
                if here.try_with_value(|_| ()).is_none() {
                    return ().into_any();
                }
                show().await
            })}
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

/// The comments under one page (`data-page`): their own first view, apart from the home's.
#[lazy]
pub fn page_comments(slug: String, login_url: Option<String>, page: String) -> AnyView {
    view! { <PageComments slug=slug login_url=login_url page=page/> }.into_any()
}
