//! Writing an automation: its name, trigger (with its days, hour, level, badge or event),
//! the segment it reaches and its action (with its message, points, badge, tag or event).
//! A new one is saved off; editing keeps whether it is on.

use leptos::prelude::*;
use quanzi_core::automation::Automation;

use super::fields::{ACTIONS, Fields, TRIGGERS};
use crate::community_page::community;
use crate::i18n::Text;
use crate::ui::ErrorNote;
use crate::{client, ctx};

type Read = fn(&Fields) -> String;
type Write = fn(&mut Fields, String);

/// The create or edit form. `editing`: the saved automation, `None` for a new one.
#[component]
pub fn AutomationForm(
    editing: Option<Automation>,
    /// Called with the saved automation.
    on_saved: Callback<Automation>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let id = StoredValue::new(editing.as_ref().map(|a| a.id.to_string()));
    let is_new = editing.is_none();
    let fields = RwSignal::new(editing.as_ref().map(Fields::of).unwrap_or_default());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    // What the pickers offer: the badge catalogue and the events.
    let badges = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().badges(slug.as_str()).await }
    });
    let events = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().all_events(slug.as_str(), None).await }
    });
    let badge_options = Signal::derive(move || {
        let locale = ctx.locale.get();
        match badges.get() {
            Some(Ok(found)) => found
                .badges
                .iter()
                .map(|b| (b.id.to_string(), b.names.get(locale)))
                .collect(),
            _ => Vec::new(),
        }
    });
    let event_options = Signal::derive(move || match events.get() {
        Some(Ok(found)) => found
            .events
            .iter()
            .map(|e| (e.id.to_string(), e.title.clone()))
            .collect(),
        _ => Vec::new(),
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = match fields.with_untracked(|f| f.draft(ctx.t())) {
            Ok(draft) => draft,
            Err(rule) => {
                error.set(Some(rule.to_owned()));
                return;
            }
        };
        error.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        let slug = community.slug();
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let result = match id {
                Some(id) => {
                    client()
                        .update_automation(&csrf, slug.as_str(), &id, &draft)
                        .await
                }
                None => {
                    client()
                        .create_automation(&csrf, slug.as_str(), &draft)
                        .await
                }
            };
            busy.set(false);
            match result {
                Ok(saved) => on_saved.run(saved),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    let trigger = move || fields.with(|f| f.trigger.clone());
    let action = move || fields.with(|f| f.action.clone());

    view! {
        <section class="qd-card" aria-labelledby="automation-form-title">
            <h3 id="automation-form-title">
                {move || if is_new { t().auto_new() } else { t().auto_edit_title() }}
            </h3>
            <form on:submit=submit novalidate class="qd-form-grid" data-testid="automation-form">
                {text(fields, |t| t.auto_name(), |f| f.name.clone(), |f, v| f.name = v, "automation-name")}
                <fieldset class="qd-fieldset">
                    <legend>{move || t().auto_when()}</legend>
                    {choice(fields, |t| t.auto_trigger(), &TRIGGERS, |t, k| t.auto_trigger_kind(k),
                        |f| f.trigger.clone(), |f, v| f.trigger = v, "automation-trigger")}
                    {move || match trigger().as_str() {
                        "event_attended" => picker(fields, |t| t.auto_which_event(), Some(|t: Text| t.auto_any_event()),
                            event_options, |f| f.trigger_event.clone(), |f, v| f.trigger_event = v, "automation-trigger-event").into_any(),
                        "level_reached" => number(fields, |t| t.auto_level(), "2", "100",
                            |f| f.level.clone(), |f, v| f.level = v, "automation-level").into_any(),
                        "badge_earned" => picker(fields, |t| t.auto_which_badge(), Some(|t: Text| t.auto_any_badge()),
                            badge_options, |f| f.trigger_badge.clone(), |f, v| f.trigger_badge = v, "automation-trigger-badge").into_any(),
                        "inactive" => view! {
                            <div class="qd-form-row">
                                {number(fields, |t| t.auto_quiet_days(), "1", "3650", |f| f.days.clone(), |f, v| f.days = v, "automation-days")}
                                {number(fields, |t| t.auto_hour(), "0", "23", |f| f.hour.clone(), |f, v| f.hour = v, "automation-hour")}
                            </div>
                        }.into_any(),
                        "daily" => number(fields, |t| t.auto_hour(), "0", "23",
                            |f| f.hour.clone(), |f, v| f.hour = v, "automation-hour").into_any(),
                        _ => ().into_any(),
                    }}
                </fieldset>
                <fieldset class="qd-fieldset" data-testid="automation-segment">
                    <legend>{move || t().auto_who()}</legend>
                    <p class="qd-hint">{move || t().auto_who_hint()}</p>
                    <div class="qd-form-row">
                        {text(fields, |t| t.auto_seg_tag(), |f| f.seg_tag.clone(), |f, v| f.seg_tag = v, "automation-seg-tag")}
                        {number(fields, |t| t.auto_seg_level(), "1", "100", |f| f.seg_level.clone(), |f, v| f.seg_level = v, "automation-seg-level")}
                        {number(fields, |t| t.auto_seg_points(), "0", "", |f| f.seg_points.clone(), |f, v| f.seg_points = v, "automation-seg-points")}
                    </div>
                    <div class="qd-form-row">
                        {number(fields, |t| t.auto_seg_quiet(), "1", "3650", |f| f.seg_quiet.clone(), |f, v| f.seg_quiet = v, "automation-seg-quiet")}
                        {number(fields, |t| t.auto_seg_active(), "1", "3650", |f| f.seg_active.clone(), |f, v| f.seg_active = v, "automation-seg-active")}
                        {number(fields, |t| t.auto_seg_joined(), "1", "3650", |f| f.seg_joined.clone(), |f, v| f.seg_joined = v, "automation-seg-joined")}
                    </div>
                    {move || fields.with(|f| f.seg_other.clone()).map(|other| {
                        let json = serde_json::to_string(&other).unwrap_or_default();
                        view! {
                            <div class="qd-inline" data-testid="automation-seg-other">
                                <span>{move || ctx.t().auto_seg_other()}</span>
                                <code style="word-break: break-all">{json}</code>
                                <button type="button" class="qd-button qd-ghost qd-small"
                                    on:click=move |_| fields.update(|f| f.seg_other = None)>
                                    {move || ctx.t().remove()}
                                </button>
                            </div>
                        }
                    })}
                </fieldset>
                <fieldset class="qd-fieldset">
                    <legend>{move || t().auto_then()}</legend>
                    {choice(fields, |t| t.auto_action(), &ACTIONS, |t, k| t.auto_action_kind(k),
                        |f| f.action.clone(), |f, v| f.action = v, "automation-action")}
                    {move || match action().as_str() {
                        "notify" => message(fields, |t| t.auto_message()).into_any(),
                        "grant_points" => number(fields, |t| t.auto_points(), "1", "10000",
                            |f| f.points.clone(), |f, v| f.points = v, "automation-points").into_any(),
                        "grant_badge" => picker(fields, |t| t.auto_which_badge(), None, badge_options,
                            |f| f.badge.clone(), |f, v| f.badge = v, "automation-badge").into_any(),
                        "add_tag" => text(fields, |t| t.auto_tag(), |f| f.tag.clone(), |f, v| f.tag = v,
                            "automation-tag").into_any(),
                        "invite_to_event" => view! {
                            {picker(fields, |t| t.auto_which_event(), None, event_options,
                                |f| f.event.clone(), |f, v| f.event = v, "automation-event")}
                            {message(fields, |t| t.auto_message_optional())}
                        }.into_any(),
                        _ => view! {
                            <p class="qd-hint">
                                {move || ctx.t().auto_webhook_hint()}" "
                                <a href=community.href(crate::route::Section::Webhooks)>{move || ctx.t().webhooks_section()}</a>
                            </p>
                        }.into_any(),
                    }}
                </fieldset>
                {is_new.then(|| view! { <p class="qd-hint">{move || ctx.t().auto_saved_off()}</p> })}
                <ErrorNote message=error testid="automation-error"/>
                <div class="qd-actions">
                    <button type="submit" class="qd-button" disabled=move || busy.get()>
                        {move || if busy.get() { t().saving() } else { t().auto_save() }}
                    </button>
                    <button type="button" class="qd-button qd-ghost" on:click=move |_| on_cancel.run(())>
                        {move || t().auto_cancel()}
                    </button>
                </div>
            </form>
        </section>
    }
}

fn text(
    fields: RwSignal<Fields>,
    label: fn(Text) -> &'static str,
    get: Read,
    set: Write,
    testid: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    view! {
        <label class="qd-field">
            {move || label(ctx.t())}
            <input type="text" data-testid=testid maxlength="60"
                prop:value=move || fields.with(get)
                on:input=move |ev| fields.update(|f| set(f, event_target_value(&ev)))/>
        </label>
    }
}

fn number(
    fields: RwSignal<Fields>,
    label: fn(Text) -> &'static str,
    min: &'static str,
    max: &'static str,
    get: Read,
    set: Write,
    testid: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    view! {
        <label class="qd-field">
            {move || label(ctx.t())}
            <input type="number" inputmode="numeric" data-testid=testid min=min
                max=(!max.is_empty()).then_some(max)
                prop:value=move || fields.with(get)
                on:input=move |ev| fields.update(|f| set(f, event_target_value(&ev)))/>
        </label>
    }
}

fn message(fields: RwSignal<Fields>, label: fn(Text) -> &'static str) -> impl IntoView {
    let ctx = ctx();
    view! {
        <label class="qd-field">
            {move || label(ctx.t())}
            <textarea rows="3" maxlength="280" data-testid="automation-message"
                prop:value=move || fields.with(|f| f.message.clone())
                on:input=move |ev| fields.update(|f| f.message = event_target_value(&ev))></textarea>
        </label>
    }
}

/// A select of fixed kinds (trigger, action).
fn choice(
    fields: RwSignal<Fields>,
    label: fn(Text) -> &'static str,
    kinds: &'static [&'static str],
    name: fn(Text, &str) -> &'static str,
    get: Read,
    set: Write,
    testid: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    view! {
        <label class="qd-field">
            {move || label(ctx.t())}
            <select data-testid=testid
                on:change=move |ev| fields.update(|f| set(f, event_target_value(&ev)))>
                {kinds.iter().map(|kind| view! {
                    <option value=*kind selected=move || fields.with(get) == *kind>
                        {move || name(ctx.t(), kind)}
                    </option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// A select of the community's badges or events; `any`: the label of "no particular one".
fn picker(
    fields: RwSignal<Fields>,
    label: fn(Text) -> &'static str,
    any: Option<fn(Text) -> &'static str>,
    options: Signal<Vec<(String, String)>>,
    get: Read,
    set: Write,
    testid: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    view! {
        <label class="qd-field">
            {move || label(ctx.t())}
            <select data-testid=testid
                on:change=move |ev| fields.update(|f| set(f, event_target_value(&ev)))>
                <option value="" selected=move || fields.with(get).is_empty()>
                    {move || match any {
                        Some(any) => any(ctx.t()),
                        None => ctx.t().auto_choose(),
                    }}
                </option>
                {move || options.get().into_iter().map(|(id, title)| {
                    let selected = id.clone();
                    view! {
                        <option value=id.clone() selected=move || fields.with(get) == selected>
                            {format!("{title} ({id})")}
                        </option>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}
