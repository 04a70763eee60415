//! Events: the list (those that ended included), creating and editing one, and one event's
//! attendees with their check-in, the attendance code and the export.

mod detail;
mod form;

use leptos::prelude::*;
use quanzi_core::events::{EventView, Phase, VenueView};

use crate::community_page::community;
use crate::i18n::Text;
use crate::route::{EventsView, Section};
use crate::time;
use crate::ui::Loading;
use crate::{client, ctx};

#[component]
pub fn Events(shown: Memo<EventsView>) -> impl IntoView {
    move || match shown.get() {
        EventsView::List => view! { <EventList/> }.into_any(),
        EventsView::New => view! { <form::EventForm editing=None/> }.into_any(),
        EventsView::One(id) => view! { <detail::EventDetail id=id/> }.into_any(),
        EventsView::Edit(id) => view! { <form::EventForm editing=Some(id)/> }.into_any(),
    }
}

pub fn phase_name(t: Text, phase: Phase) -> &'static str {
    match phase {
        Phase::SignupNotOpen => t.phase_not_open(),
        Phase::SignupOpen => t.phase_open(),
        Phase::SignupClosed => t.phase_closed(),
        Phase::Ongoing => t.phase_ongoing(),
        Phase::Ended => t.phase_ended(),
        Phase::Cancelled => t.phase_cancelled(),
    }
}

/// Where, in a word or a line.
pub fn venue_text(t: Text, venue: &VenueView) -> String {
    match venue {
        VenueView::Online { .. } => t.online().to_owned(),
        VenueView::Offline { place } => place.clone(),
    }
}

/// Seats taken of the capacity, and the waitlist.
pub fn seats_text(t: Text, event: &EventView) -> String {
    t.seats(event.confirmed, event.capacity, event.waiting)
}

#[component]
fn EventList() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let list = LocalResource::new(move || {
        let slug = community.slug();
        async move {
            let api = client();
            let mut events = Vec::new();
            let mut cursor = None;
            // An organiser's history: a few pages at most.
            for _ in 0..10 {
                let page = api.all_events(slug.as_str(), cursor.as_ref()).await?;
                events.extend(page.events);
                cursor = page.next;
                if cursor.is_none() {
                    break;
                }
            }
            events.sort_by_key(|e: &EventView| std::cmp::Reverse(e.starts_at));
            Ok::<_, quanzi_core::error::ApiError>(events)
        }
    });

    view! {
        <div class="qd-section-head">
            <h2 class="qd-section-title">{move || t().events()}</h2>
            <a class="qd-button" href=community.href(Section::Events(EventsView::New))>{move || t().new_event()}</a>
        </div>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(err)) => {
                let message = ctx.fail(&err);
                view! {
                    <div class="qd-card">
                        <p class="qd-error" role="alert" data-testid="events-error">{message}</p>
                        <button type="button" class="qd-button qd-secondary" on:click=move |_| list.refetch()>{move || t().retry()}</button>
                    </div>
                }.into_any()
            }
            Some(Ok(events)) if events.is_empty() => view! {
                <div class="qd-card qd-empty-state" data-testid="no-events">
                    <p>{move || t().no_events()}</p>
                    <a class="qd-button" href=community.href(Section::Events(EventsView::New))>{move || t().create_first_event()}</a>
                </div>
            }.into_any(),
            Some(Ok(events)) => view! {
                <ul class="qd-event-list" data-testid="event-list">
                    {events.into_iter().map(|event| {
                        let href = community.href(Section::Events(EventsView::One(event.id.to_string())));
                        let phase = event.phase;
                        let starts = event.starts_at;
                        let venue = event.venue.clone();
                        let seats_event = event.clone();
                        view! {
                            <li class="qd-card qd-event-card" data-testid="event-row">
                                <div class="qd-row-head">
                                    <a class="qd-row-title" href=href>{event.title.clone()}</a>
                                    <span class="qd-badge" data-phase=format!("{phase:?}")>{move || phase_name(ctx.t(), phase)}</span>
                                </div>
                                <p class="qd-muted">
                                    {move || time::show(starts, community.time_zone())} " · "
                                    {move || venue_text(ctx.t(), &venue)} " · "
                                    {move || seats_text(ctx.t(), &seats_event)}
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
