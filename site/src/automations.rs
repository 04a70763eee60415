//! Automations: when something happens to a member (they join, attend, level up, earn a
//! badge, go quiet, or a day comes round) and they are in the segment, do something for
//! them (a message, points, a badge, a tag, an invite, a webhook). Owners and admins write
//! them here; a new one is saved off, previewed (how many members it would reach now, and
//! who) and then switched on; each one keeps a log of its last firings.

mod fields;
mod form;
mod row;

use leptos::prelude::*;
use quanzi_core::automation::Automation;

use self::form::AutomationForm;
use self::row::AutomationRow;
use crate::community_page::community;
use crate::i18n::Text;
use crate::ui::{ErrorNote, Loading, Saved};
use crate::{client, ctx};

/// What the section shows below its title.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    List,
    New,
    Edit(Box<Automation>),
}

/// The automations section. `can_manage`: owners and admins (the API refuses the others).
#[component]
pub fn Automations(#[prop(into)] can_manage: Signal<bool>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    view! {
        <h2 class="qd-section-title">{move || t().automations_section()}</h2>
        <p class="qd-muted">{move || t().auto_intro()}</p>
        <Show
            when=move || can_manage.get()
            fallback=move || view! {
                <section class="qd-card" data-testid="automations-read-only">
                    <p>{move || ctx.t().auto_owners_only()}</p>
                </section>
            }
        >
            <Board/>
        </Show>
    }
}

#[component]
fn Board() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let list = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().automations(slug.as_str()).await }
    });
    let shown = RwSignal::new(Shown::List);
    let done = RwSignal::new(None::<fn(Text) -> &'static str>);
    // The automation just saved: its row opens its preview.
    let fresh = RwSignal::new(None::<String>);

    let on_saved = Callback::new(move |saved: Automation| {
        done.set(Some(Text::auto_saved));
        fresh.set(Some(saved.id.to_string()));
        shown.set(Shown::List);
        list.refetch();
    });
    let on_cancel = Callback::new(move |()| shown.set(Shown::List));
    let create_button = move || {
        view! {
            <button type="button" class="qd-button" data-testid="automation-new"
                on:click=move |_| {
                    done.set(None);
                    shown.set(Shown::New);
                }>
                {move || ctx.t().auto_new()}
            </button>
        }
    };

    view! {
        <Saved message=Signal::derive(move || done.get().map(|said| said(ctx.t()).to_owned()))/>
        {move || match shown.get() {
            Shown::New => view! {
                <AutomationForm editing=None on_saved=on_saved on_cancel=on_cancel/>
            }.into_any(),
            Shown::Edit(saved) => view! {
                <AutomationForm editing=Some(*saved) on_saved=on_saved on_cancel=on_cancel/>
            }.into_any(),
            Shown::List => view! {
                <section class="qd-card" aria-labelledby="automations-list-title">
                    <div class="qd-section-head">
                        <h3 id="automations-list-title">{move || t().automations_section()}</h3>
                        {move || matches!(list.get(), Some(Ok(ref l)) if !l.items.is_empty()).then(create_button)}
                    </div>
                    {move || match list.get() {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(err)) => {
                            let message = ctx.fail(&err);
                            view! {
                                <ErrorNote message=Signal::derive(move || Some(message.clone()))
                                    testid="automations-load-error"/>
                                <button type="button" class="qd-button qd-secondary" on:click=move |_| list.refetch()>
                                    {move || ctx.t().retry()}
                                </button>
                            }.into_any()
                        }
                        Some(Ok(found)) if found.items.is_empty() => view! {
                            <div class="qd-empty-state" data-testid="automations-empty">
                                <h4>{move || ctx.t().auto_empty_title()}</h4>
                                <p>{move || ctx.t().auto_empty_body()}</p>
                                {create_button()}
                            </div>
                        }.into_any(),
                        Some(Ok(found)) => {
                            let mut items = found.items;
                            items.sort_by_key(|a| std::cmp::Reverse(a.created_at));
                            view! {
                                <ul class="qd-list" data-testid="automations">
                                    {items.into_iter().map(|item| {
                                        let open = fresh.get_untracked().as_deref() == Some(item.id.as_str());
                                        view! {
                                            <AutomationRow item=item preview_first=open
                                                on_edit=Callback::new(move |a: Automation| {
                                                    done.set(None);
                                                    shown.set(Shown::Edit(Box::new(a)));
                                                })
                                                on_deleted=Callback::new(move |()| {
                                                    done.set(Some(Text::auto_deleted));
                                                    list.refetch();
                                                })/>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </section>
            }.into_any(),
        }}
    }
}
