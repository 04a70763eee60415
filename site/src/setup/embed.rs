//! Step 6: the script tags to paste, one per view of the widget, and what comes next.

use leptos::prelude::*;

use super::{StepHead, setup};
use crate::route::{EventsView, ModTab, Section, Step};
use crate::snippets::{EmbedView, embed};
use crate::ui::CodeBlock;
use crate::{ctx, edge_origin};

#[component]
pub fn Embed() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let data = setup();
    let community = data.community;
    let slug = community.slug().to_string();
    let first_origin = data
        .settings
        .get_untracked()
        .allowed_origins
        .first()
        .map(|o| o.as_str().to_owned())
        .unwrap_or_else(|| "https://www.brand.example".to_owned());
    let page = RwSignal::new(format!("{first_origin}/articles/hello"));
    let finished = RwSignal::new(false);
    let no_origins = move || data.settings.with(|s| s.allowed_origins.is_empty());

    let block = move |view: EmbedView| {
        let slug = slug.clone();
        let code = Signal::derive(move || embed(&edge_origin(), &slug, view, &page.get()));
        view! {
            <li class="qd-embed" data-testid=format!("embed-{}", view.id())>
                <h3>{move || t().embed_view_name(view)}</h3>
                <p class="qd-muted">{move || t().embed_view_hint(view)}</p>
                {(view == EmbedView::Comments).then(|| view! {
                    <label class="qd-compact">
                        {move || t().comments_page_url()}
                        <input type="url" prop:value=page on:input=move |ev| page.set(event_target_value(&ev))/>
                    </label>
                })}
                <CodeBlock code=code label=Signal::derive(move || ctx.t().copy_embed_of(view))
                    testid="embed-code"/>
            </li>
        }
    };

    view! {
        <StepHead step=Step::Embed/>
        <Show when=no_origins>
            <p class="qd-warning" role="note">
                {move || t().embed_needs_origins()} " "
                <a href=community.href(Section::Setup(Step::Origins))>{move || t().step_name(Step::Origins)}</a>
            </p>
        </Show>
        <ul class="qd-embeds">
            {EmbedView::ALL.into_iter().map(block).collect_view()}
        </ul>
        <div class="qd-step-footer">
            <a class="qd-button qd-ghost" href=community.href(Section::Setup(Step::Theme))>{move || t().back()}</a>
            <span class="qd-spacer"></span>
            <button type="button" class="qd-button" data-testid="finish-setup" on:click=move |_| {
                data.mark(Step::Embed);
                finished.set(true);
            }>{move || t().finish_setup()}</button>
        </div>
        <Show when=move || finished.get()>
            <div class="qd-done" role="status" data-testid="setup-finished">
                <h3>{move || t().setup_finished()}</h3>
                <p>{move || t().next_steps()}</p>
                <div class="qd-actions">
                    <a class="qd-button qd-secondary" href=community.href(Section::Events(EventsView::New))>{move || t().create_first_event()}</a>
                    <a class="qd-button qd-secondary" href=community.href(Section::Moderation(ModTab::Queue))>{move || t().open_moderation()}</a>
                </div>
            </div>
        </Show>
    }
}
