//! `GET …/first-view`: the widget's first view drawn here, from the same anonymous
//! snapshots the widget reads (the topics and the first page of the feed), so that a page
//! shows the community before the widget's app has loaded (see `quanzi_shell::first_view`).

use quanzi_core::api::FirstView;
use quanzi_core::app::PublicConfig;
use quanzi_core::app::talk::{FeedChoice, TopicListView};
use quanzi_core::community::Locale;
use quanzi_core::ids::CommunitySlug;
use quanzi_core::talk::wire::ThreadListView;
use quanzi_shell::first_view::{Home, css, home};
use worker::{Date, Env, Request};

use crate::api::{Answer, json, query};
use crate::snapshot::{self, View};

/// The home as the widget draws it for the page's language (`lang`), with the brand's
/// sign-in link (`login`) and, with `signed_in=1`, the member's parts as loading.
pub async fn serve(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    config: &PublicConfig,
) -> Answer {
    let param = |name: &str| query(req, name);
    let (topics, feed) = futures_util::future::join(
        snapshot::anonymous::<TopicListView>(env, slug, config, View::Topics),
        snapshot::anonymous::<ThreadListView>(
            env,
            slug,
            config,
            View::Feed {
                feed: FeedChoice::All,
            },
        ),
    )
    .await;
    let login = param("login")?;
    let html = home(&Home {
        community: &config.community,
        topics: topics.as_ref().map(|t| t.topics.as_slice()),
        feed: feed.as_ref(),
        page_locale: param("lang")?.and_then(|l| Locale::negotiate(&l)),
        now_ms: Date::now().as_millis() as i64,
        login_url: login.as_deref(),
        signed_in: param("signed_in")?.as_deref() == Some("1"),
    });
    json(
        200,
        &FirstView {
            css: css(&config.community),
            html,
        },
    )
}
