//! Gamification: what earns points (per action, with daily caps) and the check-in rewards,
//! the level ladder with its perks, the badges, and the rewards catalogue. Each tab loads
//! what is saved, checks the form before sending, and says when it is saved.

mod badges;
mod levels;
mod rewards;
mod rules;

use leptos::prelude::*;
use quanzi_core::accounts::Role;

use crate::community_page::community;
use crate::ctx;
use crate::route::{GameTab, Section};
use crate::ui::{ErrorNote, Saved};

#[component]
pub fn Gamification(tab: Memo<GameTab>) -> impl IntoView {
    let ctx = ctx();
    let community = community();
    let link = move |value: GameTab| {
        view! {
            <a class="qd-tab" href=community.href(Section::Gamification(value))
                aria-current=move || (tab.get() == value).then_some("page")>
                {move || ctx.t().game_tab(value)}
            </a>
        }
    };
    view! {
        <h2 class="qd-section-title">{move || ctx.t().game_section()}</h2>
        <nav class="qd-tabs" aria-label=move || ctx.t().game_section()>
            {GameTab::ALL.into_iter().map(link).collect_view()}
        </nav>
        <Show when=move || !can_edit().get()>
            <p class="qd-card qd-muted" role="note" data-testid="game-read-only">{move || ctx.t().game_read_only()}</p>
        </Show>
        {move || match tab.get() {
            GameTab::Points => view! { <rules::Rules/> }.into_any(),
            GameTab::Levels => view! { <levels::Levels/> }.into_any(),
            GameTab::Badges => view! { <badges::Badges/> }.into_any(),
            GameTab::Rewards => view! { <rewards::Rewards/> }.into_any(),
        }}
    }
}

/// Whether the marketer may change gamification (owner, admin): the API refuses a
/// moderator's saves, so for them every tab is read-only (tracked; from the `me` already loaded).
fn can_edit() -> Signal<bool> {
    let ctx = ctx();
    let community = community();
    Signal::derive(move || matches!(ctx.role(&community.slug()), Some(Role::Owner | Role::Admin)))
}

/// What a save says when it is done, in the marketer's language.
type Said = fn(crate::i18n::Text) -> &'static str;

/// The end of a tab's form: what went wrong, what was saved, and the save button for those
/// who may change gamification.
#[component]
fn SaveFooter(
    error: RwSignal<Option<String>>,
    done: RwSignal<Option<Said>>,
    busy: RwSignal<bool>,
    /// The `data-testid` of the error note.
    error_testid: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    let can_edit = can_edit();
    view! {
        <ErrorNote message=error testid=error_testid/>
        <Saved message=Signal::derive(move || done.get().map(|said| said(ctx.t()).to_owned()))/>
        <Show when=move || can_edit.get()>
            <div>
                <button type="submit" class="qd-button" disabled=move || busy.get()>
                    {move || if busy.get() { ctx.t().saving() } else { ctx.t().save_changes() }}
                </button>
            </div>
        </Show>
    }
}

/// A whole number typed in a field (spaces and thousands separators allowed), if it is one.
fn number(raw: &str) -> Option<u64> {
    let digits: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

/// A whole number that fits a `u32`.
fn number_u32(raw: &str) -> Option<u32> {
    number(raw).and_then(|n| u32::try_from(n).ok())
}

/// The failure of a load, with a retry button.
#[component]
fn LoadFailed(message: String, retry: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    view! {
        <div class="qd-card">
            <crate::ui::ErrorNote message=Signal::derive(move || Some(message.clone())) testid="game-load-error"/>
            <button type="button" class="qd-button qd-secondary" on:click=move |_| retry.run(())>
                {move || ctx.t().retry()}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(number(" 1,000 "), Some(1000));
        assert_eq!(number("0"), Some(0));
        assert_eq!(number(""), None);
        assert_eq!(number("-3"), None);
        assert_eq!(number("2.5"), None);
        assert_eq!(number_u32("99999999999"), None);
    }
}
