//! One automation in the list: what sets it off and what it does, its on/off switch, its
//! last firing, and its preview, run log, edit and delete buttons. Switching on goes
//! through the preview: how many members it would reach now, and the first of them.

use leptos::prelude::*;
use quanzi_core::automation::{Automation, AutomationDraft, RunEntry};

use crate::community_page::community;
use crate::time;
use crate::ui::{ConfirmBox, ErrorNote, Loading};
use crate::{client, ctx};

/// Members named in a preview.
const PREVIEW_NAMES: usize = 5;

/// What a dry run found, with the first members' names.
#[derive(Clone, Debug, PartialEq)]
struct Preview {
    count: u32,
    names: Vec<String>,
    on_event: bool,
}

fn draft_of(saved: &Automation, enabled: bool) -> AutomationDraft {
    AutomationDraft {
        name: saved.name.clone(),
        trigger: saved.trigger.clone(),
        segment: saved.segment.clone(),
        action: saved.action.clone(),
        enabled,
    }
}

#[component]
pub fn AutomationRow(
    item: Automation,
    /// Open its preview at once (it was just saved).
    preview_first: bool,
    on_edit: Callback<Automation>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let current = RwSignal::new(item);
    let id = StoredValue::new(current.with_untracked(|a| a.id.to_string()));
    let name = move || current.with(|a| a.name.to_string());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let log_open = RwSignal::new(false);
    let preview = RwSignal::new(None::<Preview>);
    let previewing = RwSignal::new(false);
    let runs = LocalResource::new(move || {
        let slug = community.slug();
        let id = id.get_value();
        async move { client().automation_runs(slug.as_str(), &id).await }
    });

    let run_preview = move || {
        previewing.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let result = client().dry_run_automation(&csrf, slug.as_str(), &id).await;
            match result {
                Ok(dry) => {
                    let mut names = Vec::new();
                    for member in dry.members.iter().take(PREVIEW_NAMES) {
                        let name = client()
                            .member(slug.as_str(), member)
                            .await
                            .ok()
                            .and_then(|m| m.summary.name)
                            .unwrap_or_else(|| member.to_string());
                        names.push(name);
                    }
                    preview.set(Some(Preview {
                        count: dry.count,
                        names,
                        on_event: dry.on_event,
                    }));
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
            previewing.set(false);
        });
    };
    if preview_first {
        run_preview();
    }

    let set_enabled = move |on: bool| {
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        let id = id.get_value();
        let draft = current.with_untracked(|a| draft_of(a, on));
        leptos::task::spawn_local(async move {
            let result = client()
                .update_automation(&csrf, slug.as_str(), &id, &draft)
                .await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    current.set(saved);
                    if on {
                        preview.set(None);
                    }
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    let delete = move |_| {
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let result = client().delete_automation(&csrf, slug.as_str(), &id).await;
            busy.set(false);
            match result {
                Ok(_) => on_deleted.run(()),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    let enabled = move || current.with(|a| a.enabled);
    let last = move || match runs.get() {
        None => String::new(),
        Some(Err(_)) => String::new(),
        Some(Ok(log)) => match log.entries.first() {
            None => ctx.t().auto_never_fired().to_owned(),
            Some(entry) => ctx.t().auto_last_fired(
                &time::show(entry.at, community.time_zone()),
                log.entries.len(),
            ),
        },
    };

    view! {
        <li class="qd-row" data-testid="automation-row" data-id=id.get_value() style="min-width: 0">
            <div class="qd-row-head">
                <span class="qd-row-title">{name}</span>
                <span class=move || if enabled() { "qd-chip qd-chip-ok" } else { "qd-chip" }
                    data-testid="automation-state">
                    {move || if enabled() { t().auto_on() } else { t().auto_off() }}
                </span>
                <span class="qd-spacer"></span>
                <button type="button" role="switch" class="qd-button qd-secondary qd-small"
                    data-testid="automation-switch"
                    aria-checked=move || enabled().to_string()
                    aria-label=move || ctx.t().auto_switch_of(&name())
                    disabled=move || busy.get()
                    on:click=move |_| {
                        let on = !enabled();
                        if on && preview.get_untracked().is_none() {
                            // Not on before the marketer has seen whom it reaches.
                            run_preview();
                        } else {
                            set_enabled(on);
                        }
                    }>
                    {move || if enabled() { t().auto_switch_off() } else { t().auto_switch() }}
                </button>
            </div>
            <p class="qd-muted">
                {move || current.with(|a| ctx.t().auto_trigger_summary(&a.trigger))}
                {move || current.with(|a| a.segment.is_some()).then(|| ctx.t().auto_in_segment())}
                " → "
                {move || current.with(|a| ctx.t().auto_action_summary(&a.action))}
            </p>
            <p class="qd-muted qd-small-print" data-testid="automation-last">{last}</p>
            <div class="qd-actions">
                <button type="button" class="qd-button qd-secondary qd-small" data-testid="automation-preview"
                    aria-label=move || ctx.t().auto_preview_of(&name())
                    disabled=move || previewing.get()
                    on:click=move |_| run_preview()>
                    {move || if previewing.get() { t().please_wait() } else { t().auto_preview() }}
                </button>
                <button type="button" class="qd-button qd-secondary qd-small"
                    aria-expanded=move || log_open.get().to_string()
                    aria-label=move || ctx.t().auto_log_of(&name())
                    on:click=move |_| {
                        if !log_open.get_untracked() {
                            runs.refetch();
                        }
                        log_open.update(|o| *o = !*o);
                    }>
                    {move || if log_open.get() { t().auto_hide_log() } else { t().auto_log() }}
                </button>
                <button type="button" class="qd-button qd-ghost qd-small"
                    aria-label=move || ctx.t().auto_edit_of(&name())
                    on:click=move |_| on_edit.run(current.get_untracked())>
                    {move || t().edit()}
                </button>
                <button type="button" class="qd-button qd-danger qd-small"
                    aria-label=move || ctx.t().auto_delete_of(&name())
                    on:click=move |_| confirming.set(true)>
                    {move || t().auto_delete()}
                </button>
            </div>
            {move || preview.get().map(|p| view! {
                <div class="qd-card" role="status" data-testid="automation-preview-result">
                    <p data-testid="automation-reach" data-count=p.count.to_string()>
                        {move || if p.on_event { ctx.t().auto_reach_on_event(p.count) } else { ctx.t().auto_reach_now(p.count) }}
                    </p>
                    {(!p.names.is_empty()).then(|| view! {
                        <ul class="qd-chips" aria-label=move || ctx.t().auto_first_members()>
                            {p.names.iter().map(|n| view! { <li class="qd-chip" data-testid="automation-reach-member">{n.clone()}</li> }).collect_view()}
                        </ul>
                    })}
                    <div class="qd-actions">
                        {move || (!enabled()).then(|| view! {
                            <button type="button" class="qd-button qd-small" data-testid="automation-switch-on"
                                disabled=move || busy.get()
                                on:click=move |_| set_enabled(true)>
                                {move || ctx.t().auto_switch_on()}
                            </button>
                        })}
                        <button type="button" class="qd-button qd-ghost qd-small"
                            on:click=move |_| preview.set(None)>{move || ctx.t().auto_close_preview()}</button>
                    </div>
                </div>
            })}
            <ConfirmBox open=confirming busy=busy testid="automation-confirm"
                question=Signal::derive(move || ctx.t().auto_delete_confirm().to_owned())
                confirm=Signal::derive(move || ctx.t().auto_delete().to_owned())
                keep=Signal::derive(move || ctx.t().auto_keep().to_owned())
                on_confirm=Callback::new(delete)/>
            <ErrorNote message=error testid="automation-row-error"/>
            <Show when=move || log_open.get()>
                <RunLog runs=runs/>
            </Show>
        </li>
    }
}

/// The last firings, newest first: when, whom, which occurrence, what came of it.
#[component]
fn RunLog(
    runs: LocalResource<Result<quanzi_core::automation::RunLog, quanzi_core::error::ApiError>>,
) -> impl IntoView {
    let ctx = ctx();
    let community = community();
    let row = move |entry: RunEntry| {
        let outcome = if entry.done {
            ctx.t().auto_done().to_owned()
        } else {
            let note = entry.note.clone().unwrap_or_default();
            format!("{} {note}", ctx.t().auto_skipped())
        };
        view! {
            <tr data-testid="automation-run">
                <td>{time::show(entry.at, community.time_zone())}</td>
                <td><code>{entry.member.to_string()}</code></td>
                <td><code>{entry.occurrence.clone()}</code></td>
                <td>{outcome}</td>
            </tr>
        }
    };
    view! {
        <div data-testid="automation-log" style="min-width: 0">
            <div class="qd-actions">
                <button type="button" class="qd-button qd-ghost qd-small" on:click=move |_| runs.refetch()>
                    {move || ctx.t().refresh()}
                </button>
            </div>
            {move || match runs.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => {
                    let message = ctx.fail(&err);
                    view! { <ErrorNote message=Signal::derive(move || Some(message.clone()))/> }.into_any()
                }
                Some(Ok(log)) if log.entries.is_empty() => view! {
                    <p class="qd-empty" data-testid="automation-log-empty">{move || ctx.t().auto_never_fired()}</p>
                }.into_any(),
                Some(Ok(log)) => {
                    let done = log.entries.iter().filter(|e| e.done).count();
                    let total = log.entries.len();
                    view! {
                        <p data-testid="automation-log-summary">{move || ctx.t().auto_log_summary(total, done)}</p>
                        <div class="qd-table-wrap">
                            <table class="qd-table">
                                <caption class="qd-visually-hidden">{move || ctx.t().auto_log()}</caption>
                                <thead><tr>
                                    <th scope="col">{move || ctx.t().when()}</th>
                                    <th scope="col">{move || ctx.t().auto_member()}</th>
                                    <th scope="col">{move || ctx.t().auto_occurrence()}</th>
                                    <th scope="col">{move || ctx.t().auto_outcome()}</th>
                                </tr></thead>
                                <tbody>{log.entries.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </div>
    }
}
