//! Webhooks: the servers that receive the community's events as signed `POST`s. Adding one
//! shows its signing secret this once (with a copy button); deleting one asks first; each
//! one has its delivery log.

use leptos::prelude::*;
use quanzi_core::webhook::{
    AttemptLog, CreatedWebhook, EventType, NewWebhook, WebhookDescription, WebhookView,
};

use crate::community_page::community;
use crate::i18n::Text;
use crate::time;
use crate::ui::{ConfirmBox, CopyButton, ErrorNote, Loading, Saved};
use crate::{client, ctx};

#[component]
pub fn Webhooks() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let list = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().webhooks(slug.as_str()).await }
    });
    let url = RwSignal::new(String::new());
    let events = RwSignal::new(EventType::ALL.to_vec());
    let description = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // What was just done, said in the current language.
    let done = RwSignal::new(None::<fn(Text) -> &'static str>);
    // The endpoint just added, with its secret: shown until the marketer hides it.
    let created = RwSignal::new(None::<CreatedWebhook>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = ctx.t();
        let parsed = (|| {
            let raw = url.get_untracked().trim().to_owned();
            if !(raw.starts_with("https://") || raw.starts_with("http://")) || raw.len() < 10 {
                return Err(text.webhook_url_rule());
            }
            let chosen: Vec<EventType> = EventType::ALL
                .into_iter()
                .filter(|e| events.with_untracked(|v| v.contains(e)))
                .collect();
            if chosen.is_empty() {
                return Err(text.webhook_events_rule());
            }
            let description = WebhookDescription::parse(description.get_untracked().trim())
                .map_err(|_| text.webhook_description_rule())?;
            Ok(NewWebhook {
                url: raw,
                events: chosen,
                description,
            })
        })();
        let request = match parsed {
            Ok(request) => request,
            Err(message) => {
                error.set(Some(message.to_owned()));
                return;
            }
        };
        error.set(None);
        done.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client()
                .create_webhook(&csrf, slug.as_str(), &request)
                .await;
            busy.set(false);
            match result {
                Ok(new) => {
                    url.set(String::new());
                    description.set(String::new());
                    created.set(Some(new));
                    done.set(Some(Text::webhook_created));
                    list.refetch();
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    let event_choice = move |event: EventType| {
        view! {
            <label class="qd-choice qd-choice-inline">
                <input type="checkbox" name="events" value=event.as_str()
                    prop:checked=move || events.with(|v| v.contains(&event))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        events.update(|v| {
                            v.retain(|e| *e != event);
                            if on {
                                v.push(event);
                            }
                        });
                    }/>
                <code>{event.as_str()}</code>
            </label>
        }
    };

    view! {
        <h2 class="qd-section-title">{move || t().webhooks_section()}</h2>
        <p class="qd-muted">{move || t().webhooks_intro()}</p>
        {move || created.get().map(|new| {
            let secret = new.secret.clone();
            view! {
                <section class="qd-card qd-secret" role="alert" data-testid="webhook-secret">
                    <h3>{move || ctx.t().webhook_secret_title()}</h3>
                    <p>{move || ctx.t().webhook_secret_once()}</p>
                    <p><code style="word-break: break-all">{new.webhook.url.clone()}</code></p>
                    <div class="qd-code">
                        <pre tabindex="0" data-testid="webhook-secret-value"><code>{secret.clone()}</code></pre>
                        <CopyButton text=Signal::derive(move || secret.clone())
                            label=Signal::derive(move || ctx.t().webhook_copy_secret().to_owned())
                            testid="copy-webhook-secret"/>
                    </div>
                    <button type="button" class="qd-button qd-secondary qd-small" on:click=move |_| created.set(None)>
                        {move || ctx.t().webhook_secret_done()}
                    </button>
                </section>
            }
        })}
        <section class="qd-card" aria-labelledby="webhook-add-title">
            <h3 id="webhook-add-title">{move || t().webhook_add()}</h3>
            <form on:submit=submit novalidate class="qd-form-grid" data-testid="webhook-form">
                <div class="qd-field">
                    <label>
                        {move || t().webhook_url()}
                        <input type="url" name="url" required autocapitalize="off" spellcheck="false"
                            placeholder="https://hooks.brand.example/quanzi" aria-describedby="webhook-url-hint"
                            prop:value=url on:input=move |ev| url.set(event_target_value(&ev))/>
                    </label>
                    <span class="qd-hint" id="webhook-url-hint">{move || t().webhook_url_hint()}</span>
                </div>
                <fieldset class="qd-fieldset">
                    <legend>{move || t().webhook_events()}</legend>
                    <div class="qd-inline">
                        {EventType::ALL.into_iter().map(event_choice).collect_view()}
                    </div>
                </fieldset>
                <label>
                    {move || t().webhook_description()}
                    <input type="text" name="description" maxlength="200"
                        prop:value=description on:input=move |ev| description.set(event_target_value(&ev))/>
                </label>
                <ErrorNote message=error testid="webhook-error"/>
                <Saved message=Signal::derive(move || done.get().map(|said| said(ctx.t()).to_owned()))/>
                <div>
                    <button type="submit" class="qd-button" disabled=move || busy.get()>
                        {move || if busy.get() { t().saving() } else { t().webhook_add() }}
                    </button>
                </div>
            </form>
        </section>
        <section class="qd-card" aria-labelledby="webhook-list-title">
            <h3 id="webhook-list-title">{move || t().webhooks_section()}</h3>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => {
                    let message = ctx.fail(&err);
                    view! {
                        <ErrorNote message=Signal::derive(move || Some(message.clone())) testid="webhooks-load-error"/>
                        <button type="button" class="qd-button qd-secondary" on:click=move |_| list.refetch()>
                            {move || ctx.t().retry()}
                        </button>
                    }.into_any()
                }
                Some(Ok(found)) if found.webhooks.is_empty() => view! {
                    <p class="qd-empty" data-testid="no-webhooks">{move || ctx.t().webhook_none()}</p>
                }.into_any(),
                Some(Ok(found)) => view! {
                    <ul class="qd-list" data-testid="webhooks">
                        {found.webhooks.into_iter().map(|hook| view! {
                            <WebhookRow hook=hook on_deleted=Callback::new(move |()| {
                                done.set(Some(Text::webhook_deleted));
                                list.refetch();
                            })/>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// One endpoint: where it sends, what, and its delete and log buttons.
#[component]
fn WebhookRow(hook: WebhookView, on_deleted: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let confirming = RwSignal::new(false);
    let log_open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(hook.id.to_string());
    let url = StoredValue::new(hook.url.clone());
    let created = hook.created_at;
    let events = hook
        .events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(", ");

    let delete = move |_| {
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let result = client().delete_webhook(&csrf, slug.as_str(), &id).await;
            busy.set(false);
            match result {
                Ok(_) => on_deleted.run(()),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <li class="qd-row" data-testid="webhook-row">
            <div class="qd-row-head">
                <code style="word-break: break-all">{hook.url.clone()}</code>
                <span class="qd-muted">{move || time::show(created, community.time_zone())}</span>
            </div>
            {(!hook.description.is_empty()).then(|| view! { <p>{hook.description.clone()}</p> })}
            <p class="qd-muted"><small>{events}</small></p>
            <div class="qd-actions">
                <button type="button" class="qd-button qd-secondary qd-small"
                    aria-expanded=move || log_open.get().to_string()
                    aria-label=move || url.with_value(|u| ctx.t().deliveries_of(u))
                    on:click=move |_| log_open.update(|o| *o = !*o)>
                    {move || if log_open.get() { t().webhook_hide_log() } else { t().webhook_show_log() }}
                </button>
                <button type="button" class="qd-button qd-danger qd-small"
                    aria-label=move || url.with_value(|u| ctx.t().delete_webhook_of(u))
                    on:click=move |_| confirming.set(true)>
                    {move || t().webhook_delete()}
                </button>
            </div>
            <ConfirmBox open=confirming busy=busy testid="webhook-confirm"
                question=Signal::derive(move || ctx.t().webhook_delete_confirm().to_owned())
                confirm=Signal::derive(move || ctx.t().webhook_delete().to_owned())
                keep=Signal::derive(move || ctx.t().webhook_keep().to_owned())
                on_confirm=Callback::new(delete)/>
            <ErrorNote message=error/>
            <Show when=move || log_open.get()>
                <DeliveryLog id=id.get_value()/>
            </Show>
        </li>
    }
}

/// An endpoint's last attempts, newest first.
#[component]
fn DeliveryLog(id: String) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let log = LocalResource::new(move || {
        let slug = community.slug();
        let id = id.clone();
        async move { client().webhook_deliveries(slug.as_str(), &id).await }
    });
    let row = move |line: AttemptLog| {
        let result = match (line.status, line.error.clone()) {
            (Some(status), _) => format!("HTTP {status}"),
            (None, Some(error)) => error,
            (None, None) => String::new(),
        };
        view! {
            <tr>
                <td>{move || time::show(line.at, community.time_zone())}</td>
                <td><code>{line.event_type.as_str()}</code></td>
                <td>{line.attempt}</td>
                <td>{move || ctx.t().webhook_outcome(line.outcome)}" "<span class="qd-muted">{result.clone()}</span></td>
                <td>{move || line.next_retry_at.map(|at| time::show(at, community.time_zone())).unwrap_or_default()}</td>
            </tr>
        }
    };
    view! {
        <div data-testid="webhook-log">
            <div class="qd-actions">
                <button type="button" class="qd-button qd-ghost qd-small" on:click=move |_| log.refetch()>
                    {move || t().refresh()}
                </button>
            </div>
            {move || match log.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => {
                    let message = ctx.fail(&err);
                    view! { <ErrorNote message=Signal::derive(move || Some(message.clone()))/> }.into_any()
                }
                Some(Ok(found)) if found.deliveries.is_empty() => view! {
                    <p class="qd-empty" data-testid="webhook-log-empty">{move || ctx.t().webhook_log_empty()}</p>
                }.into_any(),
                Some(Ok(found)) => view! {
                    <div class="qd-table-wrap">
                        <table class="qd-table">
                            <thead><tr>
                                <th scope="col">{move || ctx.t().when()}</th>
                                <th scope="col">{move || ctx.t().webhook_event()}</th>
                                <th scope="col">{move || ctx.t().webhook_attempt()}</th>
                                <th scope="col">{move || ctx.t().webhook_outcome_heading()}</th>
                                <th scope="col">{move || ctx.t().webhook_next_retry()}</th>
                            </tr></thead>
                            <tbody>{found.deliveries.into_iter().map(row).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}
