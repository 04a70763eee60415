//! Comments under one page of the brand's site (`data-page`): the page's thread, opened by
//! its first comment, with its replies and the composer.

use leptos::prelude::*;
use quanzi_client::Client;

use super::Talk;
use super::discussion::{Discussion, PostTo};

#[component]
pub fn PageComments(slug: String, login_url: Option<String>, page: String) -> impl IntoView {
    let talk = Talk::provide(slug, login_url);
    let t = talk.t;
    let client = expect_context::<Client>();
    let page = StoredValue::new(page);
    let comments = LocalResource::new(move || {
        let client = client.clone();
        let token = talk.token.get();
        async move {
            client
                .page_comments(&talk.slug(), token.as_deref(), &page.get_value())
                .await
        }
    });

    view! {
        <section class="qz-card qz-talk qz-page-comments" data-testid="page-comments" aria-label=t.get_untracked().comments_heading()>
            {move || match comments.get() {
                None => view! {
                    <div class="qz-skeleton" role="status" data-testid="comments-loading">
                        <span class="qz-visually-hidden">{t.get().talk_loading()}</span>
                        <div class="qz-bar qz-bar-title"></div>
                        <div class="qz-bar"></div>
                        <div class="qz-bar qz-bar-short"></div>
                    </div>
                }
                .into_any(),
                Some(Err(err)) => view! {
                    <div class="qz-error qz-empty" role="alert" data-testid="comments-error">
                        <p>{t.get().talk_error(err.code)}</p>
                        <button type="button" class="qz-button" on:click=move |_| comments.refetch()>{t.get().retry()}</button>
                    </div>
                }
                .into_any(),
                Some(Ok(view)) => {
                    let count = RwSignal::new(view.thread.as_ref().map_or(0, |th| th.reply_count));
                    let accepted = RwSignal::new(view.thread.as_ref().and_then(|th| th.accepted_answer.clone()));
                    let locked = view.thread.as_ref().is_some_and(|th| th.locked);
                    view! {
                        <Discussion
                            thread=view.thread_id
                            to=PostTo::Page(page.get_value())
                            replies=view.replies
                            next=view.next
                            count=count
                            asker=None
                            accepted=accepted
                            locked=locked
                            heading=Signal::stored(t.get_untracked().comments_heading().to_owned())
                            empty=|t| t.no_comments()
                        />
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
