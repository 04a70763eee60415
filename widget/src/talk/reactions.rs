//! Reactions on a thread's opening post or on a reply: 👍 always, the others once someone
//! used them, and a picker for the rest. A toggle shows at once and is rolled back if the
//! worker refuses; the worker's counts win when it answers.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::talk::{ReactionCounts, ReactionKind, ReplyId, ThreadId};

use super::Talk;

fn emoji(kind: ReactionKind) -> &'static str {
    match kind {
        ReactionKind::Like => "👍",
        ReactionKind::Heart => "❤️",
        ReactionKind::Laugh => "😄",
        ReactionKind::Wow => "😮",
        ReactionKind::Thanks => "🙏",
    }
}

fn kind_name(kind: ReactionKind) -> &'static str {
    match kind {
        ReactionKind::Like => "like",
        ReactionKind::Heart => "heart",
        ReactionKind::Laugh => "laugh",
        ReactionKind::Wow => "wow",
        ReactionKind::Thanks => "thanks",
    }
}

/// `counts` and `mine` after the member toggles `kind`.
fn toggle(counts: &mut ReactionCounts, mine: &mut Vec<ReactionKind>, kind: ReactionKind) {
    let slot = match kind {
        ReactionKind::Like => &mut counts.like,
        ReactionKind::Heart => &mut counts.heart,
        ReactionKind::Laugh => &mut counts.laugh,
        ReactionKind::Wow => &mut counts.wow,
        ReactionKind::Thanks => &mut counts.thanks,
    };
    if let Some(i) = mine.iter().position(|k| *k == kind) {
        mine.remove(i);
        *slot = slot.saturating_sub(1);
    } else {
        mine.push(kind);
        *slot += 1;
    }
}

#[component]
pub fn Reactions(
    thread: ThreadId,
    #[prop(optional)] reply: Option<ReplyId>,
    counts: ReactionCounts,
    mine: Vec<ReactionKind>,
) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let client = expect_context::<Client>();
    let state = RwSignal::new((counts, mine));
    let picking = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let target = StoredValue::new((thread, reply));

    let react = move |kind: ReactionKind| {
        let Some(token) = talk.token.get_untracked() else {
            error.set(Some(t.get_untracked().sign_in_to_react()));
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        picking.set(false);
        error.set(None);
        let before = state.get_untracked();
        state.update(|(counts, mine)| toggle(counts, mine, kind));
        let client = client.clone();
        leptos::task::spawn_local(async move {
            let (thread, reply) = target.get_value();
            match client
                .react(&talk.slug(), &token, &thread, reply.as_ref(), kind)
                .await
            {
                Ok(done) => state.update(|(counts, mine)| {
                    *counts = done.counts;
                    mine.retain(|k| *k != kind);
                    if done.on {
                        mine.push(kind);
                    }
                }),
                Err(err) => {
                    state.set(before);
                    error.set(Some(t.get_untracked().talk_error(err.code)));
                }
            }
            busy.set(false);
        });
    };

    // Every kind is drawn once and hidden while unused, so focus stays put on a toggle.
    let used = move |kind: ReactionKind| {
        kind == ReactionKind::Like
            || state.with(|(counts, mine)| counts.get(kind) > 0 || mine.contains(&kind))
    };
    let pill = move |kind: ReactionKind| {
        let on = move || state.with(|(_, mine)| mine.contains(&kind));
        let count = move || state.with(|(counts, _)| counts.get(kind));
        view! {
            <button
                type="button"
                class="qz-reaction"
                class:qz-reaction-on=on
                data-reaction=kind_name(kind)
                hidden=move || !used(kind) && !picking.get()
                aria-pressed=move || on().to_string()
                aria-busy=move || busy.get().to_string()
                aria-label=move || t.get().reaction_label(kind, count())
                on:click={
                    let react = react.clone();
                    move |_| react(kind)
                }
            >
                <span aria-hidden="true">{emoji(kind)}</span>
                <span class="qz-reaction-count" aria-hidden="true">
                    {move || match count() {
                        0 => String::new(),
                        n => n.to_string(),
                    }}
                </span>
            </button>
        }
    };
    let all_used = move || ReactionKind::ALL.into_iter().all(used);

    view! {
        <div class="qz-reactions" role="group" aria-label=t.get_untracked().reactions_label()>
            {ReactionKind::ALL.map(pill).collect_view()}
            <button
                type="button"
                class="qz-reaction qz-reaction-add"
                hidden=all_used
                aria-expanded=move || picking.get().to_string()
                aria-label=t.get_untracked().more_reactions()
                on:click=move |_| picking.update(|p| *p = !*p)
            >
                <span aria-hidden="true">{move || if picking.get() { "−" } else { "+" }}</span>
            </button>
            <span class="qz-inline-error" role="alert">{move || error.get()}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_twice_restores_the_counts() {
        let mut counts = ReactionCounts {
            like: 2,
            ..Default::default()
        };
        let mut mine = vec![];
        toggle(&mut counts, &mut mine, ReactionKind::Like);
        assert_eq!((counts.like, mine.clone()), (3, vec![ReactionKind::Like]));
        toggle(&mut counts, &mut mine, ReactionKind::Heart);
        toggle(&mut counts, &mut mine, ReactionKind::Like);
        assert_eq!(
            (counts.like, counts.heart, mine),
            (2, 1, vec![ReactionKind::Heart])
        );
    }
}
