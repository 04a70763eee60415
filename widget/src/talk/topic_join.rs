//! The selected topic's bar above its feed: what it is about, how many are in it, and a
//! Join/Joined toggle. The toggle shows at once and rolls back if the worker refuses;
//! the worker's answer (the topic as the member now sees it) wins when it comes.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::app::talk::FeedChoice;
use quanzi_core::talk::TopicId;
use quanzi_core::talk::wire::TopicView;

use super::Talk;

/// Puts `view` in place of the topic with its id.
fn put(topics: RwSignal<Vec<TopicView>>, view: TopicView) {
    topics.update(|ts| {
        if let Some(slot) = ts.iter_mut().find(|t| t.id == view.id) {
            *slot = view;
        }
    });
}

/// `topic` as it looks once the member joined (`join`) or left it.
fn toggled(mut topic: TopicView, join: bool) -> TopicView {
    if topic.joined != join {
        topic.member_count = if join {
            topic.member_count.saturating_add(1)
        } else {
            topic.member_count.saturating_sub(1)
        };
    }
    topic.joined = join;
    topic
}

#[component]
pub fn TopicBar(topics: RwSignal<Vec<TopicView>>, feed: RwSignal<FeedChoice>) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let client = StoredValue::new(expect_context::<Client>());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let chosen = Memo::new(move |_| match feed.get() {
        FeedChoice::Topic { topic } => Some(topic),
        _ => None,
    });
    let topic = Memo::new(move |_| {
        let id: TopicId = chosen.get()?;
        topics.with(|ts| ts.iter().find(|t| t.id == id).cloned())
    });
    // A refusal is about the topic it was shown for.
    Effect::new(move |_| {
        chosen.track();
        error.set(None);
    });

    let toggle = move |_| {
        let (Some(before), Some(token)) = (topic.get_untracked(), talk.token.get_untracked())
        else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let join = !before.joined;
        put(topics, toggled(before.clone(), join));
        let client = client.get_value();
        leptos::task::spawn_local(async move {
            match client
                .topic_membership(&talk.slug(), &token, &before.id, join)
                .await
            {
                Ok(now) => put(topics, now),
                Err(err) => {
                    put(topics, before);
                    error.set(Some(t.get_untracked().talk_error(err.code)));
                }
            }
            busy.set(false);
        });
    };

    let joined = move || topic.with(|t| t.as_ref().is_some_and(|t| t.joined));
    let action = move || {
        if talk.token.with(Option::is_some) {
            return view! {
                <button
                    type="button"
                    class="qz-button qz-topic-join"
                    class:qz-button-quiet=joined
                    data-testid="topic-join"
                    aria-pressed=move || joined().to_string()
                    aria-busy=move || busy.get().to_string()
                    on:click=toggle
                >
                    {move || if joined() { t.get().topic_joined() } else { t.get().topic_join() }}
                </button>
            }
            .into_any();
        }
        let text = t.get().sign_in_to_join_topic();
        match talk.login_url.get_value() {
            Some(href) => view! {
                <a class="qz-button qz-button-quiet" href=href target="_top" data-testid="topic-sign-in">{text}</a>
            }
            .into_any(),
            None => view! { <p class="qz-muted" data-testid="topic-sign-in">{text}</p> }.into_any(),
        }
    };

    view! {
        <Show when=move || topic.with(Option::is_some)>
            <div class="qz-topic-bar" data-testid="topic-bar">
                <div class="qz-topic-about">
                    <p class="qz-muted" data-testid="topic-description" hidden=move || topic.with(|t| t.as_ref().is_none_or(|t| t.description.is_empty()))>
                        {move || topic.with(|t| t.as_ref().map(|t| t.description.clone()).unwrap_or_default())}
                    </p>
                    <p class="qz-muted" data-testid="topic-members">
                        {move || topic.with(|tp| tp.as_ref().map(|tp| t.get().topic_members(tp.member_count)).unwrap_or_default())}
                    </p>
                </div>
                {action}
                <p class="qz-inline-error" role="alert" data-testid="topic-error">{move || error.get()}</p>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_and_leaving_move_the_count_once() {
        let topic = TopicView {
            id: TopicId::parse("oolong").unwrap(),
            name: "Oolong".into(),
            description: String::new(),
            member_count: 0,
            joined: false,
            auto_join_tags: vec![],
        };
        let joined = toggled(topic.clone(), true);
        assert_eq!((joined.joined, joined.member_count), (true, 1));
        assert_eq!(
            toggled(joined.clone(), true).member_count,
            1,
            "joining twice counts once"
        );
        let left = toggled(joined, false);
        assert_eq!((left.joined, left.member_count), (false, 0));
        assert_eq!(toggled(left, false).member_count, 0);
    }
}
