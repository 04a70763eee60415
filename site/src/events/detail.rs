//! One event for its organiser: when and where, seats, the attendance code, the attendees
//! (confirmed in seat order, then the waitlist) with their answers and check-in, the
//! export, and editing or cancelling it.

use leptos::prelude::*;
use quanzi_core::app::events::{AttendeeList, attendees_csv};
use quanzi_core::events::{Answer, CancelEventRequest, CancelReason, Phase, Schedule, TicketView};
use quanzi_core::ids::MemberId;
use quanzi_core::time::Timestamp;

use super::{phase_name, seats_text, venue_text};
use crate::community_page::community;
use crate::route::{EventsView, Section};
use crate::time;
use crate::ui::{CodeBlock, ErrorNote, Loading, Saved};
use crate::{client, ctx, edge_origin};

/// The attendee list as a spreadsheet, as a link the browser downloads.
fn csv_href(list: &AttendeeList) -> String {
    // A byte-order mark, so spreadsheets read the UTF-8 (names in Chinese) correctly.
    let text = format!("\u{feff}{}", attendees_csv(list));
    format!(
        "data:text/csv;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&text))
    )
}

fn answer_text(answer: &Answer) -> String {
    match answer {
        Answer::Text(text) => text.to_string(),
        Answer::Choice(choice) => choice.to_string(),
        Answer::Choices(choices) => choices
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[component]
pub fn EventDetail(id: String) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let id = StoredValue::new(id);
    let list = LocalResource::new(move || {
        let slug = community.slug();
        let id = id.get_value();
        async move { client().attendees(slug.as_str(), &id).await }
    });
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let cancelling = RwSignal::new(false);
    let cancel_reason = RwSignal::new(String::new());

    let rotate = move |_| {
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client()
                .rotate_attendance_code(&csrf, slug.as_str(), &id.get_value())
                .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    done.set(Some(ctx.t().new_code_made().to_owned()));
                    list.refetch();
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };
    let cancel = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(reason) = CancelReason::parse(&cancel_reason.get_untracked()) else {
            error.set(Some(ctx.t().reason_rule().to_owned()));
            return;
        };
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let request = CancelEventRequest { reason };
            let result = client()
                .cancel_event(&csrf, slug.as_str(), &id.get_value(), &request)
                .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    cancelling.set(false);
                    done.set(Some(ctx.t().event_cancelled().to_owned()));
                    list.refetch();
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };
    let mark = move |member: MemberId| {
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client()
                .mark_attended(&csrf, slug.as_str(), &id.get_value(), &member)
                .await;
            match result {
                Ok(_) => {
                    done.set(Some(ctx.t().marked_present(member.as_str())));
                    list.refetch();
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <nav class="qd-crumbs" aria-label=move || t().breadcrumbs()>
            <a href=community.href(Section::Events(EventsView::List))>{move || t().events()}</a>
        </nav>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(err)) => {
                let message = ctx.fail(&err);
                view! { <p class="qd-error" role="alert" data-testid="event-error">{message}</p> }.into_any()
            }
            Some(Ok(list)) => {
                let event = list.event.clone();
                let phase = event.phase;
                let open = !matches!(phase, Phase::Cancelled | Phase::Ended);
                let starts = event.starts_at;
                let ends = event.ends_at;
                let venue = event.venue.clone();
                let seats_event = event.clone();
                let csv = csv_href(&list);
                let file = format!("event-{}-attendees.csv", event.id);
                let code = list.attendance_code.clone();
                let questions = event.questions.clone();
                let embed = format!(
                    r#"<script src="{}/embed.js" data-community="{}" data-view="event" data-event="{}" async></script>"#,
                    edge_origin(),
                    community.slug(),
                    event.id
                );
                let attended = list.attended;
                // Staff mark people present while check-in is open, as members check in.
                let now = Timestamp(js_sys::Date::now() as i64);
                let check_in_open = phase != Phase::Cancelled
                    && event.starts_at.plus_millis(-Schedule::CHECK_IN_BEFORE_START) <= now
                    && now < event.ends_at.plus_millis(Schedule::CHECK_IN_AFTER_END);
                let rows = list.attendees.clone();
                let cancel_reason_text = event.cancel_reason.clone();
                view! {
                    <div class="qd-section-head">
                        <div>
                            <h2 class="qd-section-title" data-testid="event-title">{event.title.clone()}</h2>
                            <p class="qd-muted">
                                <span class="qd-badge" data-phase=format!("{phase:?}")>{move || phase_name(ctx.t(), phase)}</span> " "
                                {move || format!("{} – {}", time::show(starts, community.time_zone()), time::show(ends, community.time_zone()))}
                                " · " {move || venue_text(ctx.t(), &venue)}
                            </p>
                            {cancel_reason_text.filter(|r| !r.is_empty()).map(|r| view! { <p class="qd-muted">{r}</p> })}
                        </div>
                        <Show when=move || open>
                            <div class="qd-actions">
                                <a class="qd-button qd-secondary" href=community.href(Section::Events(EventsView::Edit(id.get_value())))>
                                    {move || t().edit()}
                                </a>
                                <button type="button" class="qd-button qd-danger" on:click=move |_| cancelling.set(true)>
                                    {move || t().cancel_event()}
                                </button>
                            </div>
                        </Show>
                    </div>
                    <Show when=move || cancelling.get()>
                        <form class="qd-card qd-confirm" on:submit=cancel data-testid="cancel-form">
                            <p><strong>{move || t().cancel_event_confirm()}</strong></p>
                            <label>
                                {move || t().reason_optional()}
                                <input type="text" maxlength="500" prop:value=cancel_reason
                                    on:input=move |ev| cancel_reason.set(event_target_value(&ev))/>
                            </label>
                            <div class="qd-actions">
                                <button type="button" class="qd-button qd-ghost" on:click=move |_| cancelling.set(false)>{move || t().keep_event()}</button>
                                <button type="submit" class="qd-button qd-danger" disabled=move || busy.get()>{move || t().cancel_event()}</button>
                            </div>
                        </form>
                    </Show>
                    <ErrorNote message=error/>
                    <Saved message=done/>
                    <div class="qd-stats">
                        <div class="qd-stat"><span class="qd-stat-label">{move || t().seats_label()}</span>
                            <span class="qd-stat-value" data-testid="event-seats">{move || seats_text(ctx.t(), &seats_event)}</span></div>
                        <div class="qd-stat"><span class="qd-stat-label">{move || t().attended()}</span>
                            <span class="qd-stat-value">{attended}</span></div>
                        <div class="qd-stat"><span class="qd-stat-label">{move || t().attendance_code()}</span>
                            <span class="qd-stat-value qd-code-big" data-testid="attendance-code">{code}</span>
                            <button type="button" class="qd-link" on:click=rotate disabled=move || busy.get()>{move || t().new_code()}</button></div>
                    </div>
                    <section class="qd-card" aria-labelledby="attendees-title">
                        <div class="qd-section-head">
                            <div>
                                <h3 id="attendees-title">{move || t().attendees()}</h3>
                                {(!check_in_open && open).then(|| view! {
                                    <p class="qd-hint">{move || t().check_in_opens_later()}</p>
                                })}
                            </div>
                            <a class="qd-button qd-secondary qd-small" href=csv download=file data-testid="export-csv">{move || t().export_csv()}</a>
                        </div>
                        {if rows.is_empty() {
                            view! { <p class="qd-empty" data-testid="no-attendees">{move || t().no_attendees()}</p> }.into_any()
                        } else {
                            view! {
                                <div class="qd-table-wrap">
                                    <table class="qd-table" data-testid="attendees">
                                        <thead><tr>
                                            <th scope="col">{move || t().member()}</th>
                                            <th scope="col">{move || t().status()}</th>
                                            <th scope="col">{move || t().signed_up()}</th>
                                            {questions.iter().map(|q| view! { <th scope="col">{q.prompt.to_string()}</th> }).collect_view()}
                                            <th scope="col"><span class="qd-visually-hidden">{move || t().actions()}</span></th>
                                        </tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|line| {
                                                let member = line.row.member.clone();
                                                let label = line.name.clone().unwrap_or_else(|| member.to_string());
                                                let ticket = line.row.ticket;
                                                let signed = line.row.signed_up_at;
                                                let answers: Vec<String> = questions.iter()
                                                    .map(|q| line.answers.get(&q.id).map(answer_text).unwrap_or_default())
                                                    .collect();
                                                let can_mark = check_in_open
                                                    && matches!(ticket, TicketView::Confirmed { attended: false });
                                                let who = member.clone();
                                                let aria = label.clone();
                                                view! {
                                                    <tr data-testid="attendee-row">
                                                        <td><strong>{label.clone()}</strong><br/><code class="qd-small-print">{member.to_string()}</code></td>
                                                        <td>{move || ctx.t().ticket(&ticket)}</td>
                                                        <td class="qd-nowrap">{move || time::show(signed, community.time_zone())}</td>
                                                        {answers.into_iter().map(|a| view! { <td>{a}</td> }).collect_view()}
                                                        <td>{can_mark.then(|| view! {
                                                            <button type="button" class="qd-button qd-secondary qd-small"
                                                                aria-label=move || ctx.t().mark_present_of(&aria)
                                                                on:click=move |_| mark(who.clone())>{move || ctx.t().mark_present()}</button>
                                                        })}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    </section>
                    <section class="qd-card">
                        <h3>{move || t().event_embed()}</h3>
                        <p class="qd-muted">{move || t().event_embed_hint()}</p>
                        <CodeBlock code=Signal::derive(move || embed.clone()) label=Signal::derive(move || ctx.t().copy_embed().to_owned())/>
                    </section>
                }.into_any()
            }
        }}
    }
}
