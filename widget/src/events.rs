//! Events (`data-view="events"`, or the 活动 tab): the events still to come, each a card
//! with its day, time, place, how full it is and the member's own place; opening one shows
//! it in full ([`crate::event`]).

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use quanzi_client::Client;
use quanzi_core::events::{EventView, Phase, TicketView, VenueView};
use quanzi_core::talk::Cursor;

use crate::event::EventDetail;
use crate::feedback::{Empty, Glyph, Icon, Problem, Skeleton};
use crate::intl::{self, Style};
use crate::session::{Load, use_session, use_text};
use quanzi_shell::Text;

/// How an event stands for sign-up, as a short label and a tone for its pill.
pub fn standing(t: Text, e: &EventView) -> (String, &'static str) {
    match e.phase {
        Phase::Cancelled => (t.event_cancelled().to_owned(), "off"),
        Phase::Ended => (t.event_ended().to_owned(), "off"),
        Phase::Ongoing => (t.event_ongoing().to_owned(), "live"),
        Phase::SignupNotOpen => (t.signup_not_open().to_owned(), "off"),
        Phase::SignupClosed => (t.signup_closed().to_owned(), "off"),
        Phase::SignupOpen => match e.seats_left {
            Some(0) => (t.full_waitlist_open().to_owned(), "warn"),
            Some(n) => (t.signup_open_seats(n), "open"),
            None => (t.signup_open().to_owned(), "open"),
        },
    }
}

/// The member's own place, as a short label.
pub fn ticket_label(t: Text, ticket: TicketView) -> String {
    match ticket {
        TicketView::Confirmed { attended: true } => t.attended().to_owned(),
        TicketView::Confirmed { attended: false } => t.signed_up().to_owned(),
        TicketView::Waitlisted { position } => t.waitlist_position(position),
    }
}

/// Events, and the one open among them.
#[component]
pub fn Events(
    /// The id of the event shown in full (`None`: the list).
    open: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = use_text().get_untracked();
    let list_heading = NodeRef::<html::H3>::new();
    let returning = RwSignal::new(false);
    let back = Callback::new(move |()| {
        returning.set(true);
        open.set(None);
    });
    // Back at the list: focus its heading, where the member left it.
    Effect::new(move |_| {
        if let Some(h) = list_heading.get()
            && returning.get_untracked()
        {
            returning.set(false);
            let _ = h.focus();
        }
    });
    view! {
        <section class="qz-card qz-events" data-testid="events">
            {move || match open.get() {
                Some(id) => view! { <EventDetail id=id back=Some(back)/> }.into_any(),
                None => view! {
                    <h3 class="qz-card-title" id="qz-events-title" tabindex="-1" node_ref=list_heading>
                        {t.events_heading()}
                    </h3>
                    <EventList open=open/>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn EventList(open: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let events = RwSignal::new(Load::<Vec<EventView>>::Loading);
    let next = RwSignal::new(None::<Cursor>);
    let busy = RwSignal::new(false);

    let fetch = move |cursor: Option<Cursor>| {
        let client = client.get_value();
        let token = session.token.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let page = client
                .events(&session.slug(), token.as_deref(), cursor.as_ref())
                .await;
            match page {
                Ok(page) => {
                    events.update(|e| match (e, cursor.is_some()) {
                        (Load::Ready(list), true) => list.extend(page.events),
                        (e, _) => *e = Load::Ready(page.events),
                    });
                    next.set(page.next);
                }
                Err(err) if cursor.is_none() => events.set(Load::Failed(err.code)),
                Err(_) => {}
            }
            busy.set(false);
        });
    };
    Effect::new(move |_| {
        session.token.track();
        session.changed.track();
        fetch(None);
    });
    let retry = {
        Callback::new(move |()| {
            events.set(Load::Loading);
            fetch(None);
        })
    };
    let more = move |_| fetch(next.get_untracked());

    view! {
        {move || match events.get() {
            Load::Loading => view! { <Skeleton rows=4/> }.into_any(),
            Load::Failed(code) => view! { <Problem code=code retry=retry/> }.into_any(),
            Load::Ready(list) if list.is_empty() => {
                view! { <Empty icon=Icon::Calendar text=t.no_events_yet()/> }.into_any()
            }
            Load::Ready(list) => view! {
                <ul class="qz-event-list" aria-labelledby="qz-events-title" data-testid="event-list">
                    {list.into_iter().map(|e| view! { <EventCard event=e open=open/> }).collect_view()}
                </ul>
            }
            .into_any(),
        }}
        <Show when=move || next.get().is_some()>
            <button type="button" class="qz-button qz-button-quiet qz-more" on:click=more disabled=move || busy.get()>
                {move || if busy.get() { t.me_loading_more() } else { t.me_load_more() }}
            </button>
        </Show>
    }
}

/// One event in the list: its calendar leaf, title (the button that opens it), time,
/// place, how full it is and the member's place.
#[component]
fn EventCard(event: EventView, open: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_text().get_untracked();
    let zone = use_session().time_zone;
    let id = StoredValue::new(event.id.to_string());
    let go = move || open.set(Some(id.get_value()));
    let tz = zone.get_untracked();
    let starts = event.starts_at.millis();
    let locale = t.0;
    let month = intl::instant(starts, locale, &tz, Style::Month);
    let day = intl::day_of_month(starts, &tz);
    let when = intl::span(starts, event.ends_at.millis(), locale, &tz);
    let (place_icon, place) = match &event.venue {
        VenueView::Online { .. } => (Icon::Video, t.online_event().to_owned()),
        VenueView::Offline { place } => (Icon::Pin, place.clone()),
    };
    let ticket = event.my_ticket;
    let e = StoredValue::new(event);
    view! {
        <li class="qz-event" data-testid="event-card" data-event=id.get_value() on:click=move |_| go()>
            <div class="qz-leaf" aria-hidden="true">
                <span class="qz-leaf-month">{month}</span>
                <span class="qz-leaf-day">{day}</span>
            </div>
            <div class="qz-event-body">
                <h4 class="qz-event-title">
                    <button type="button" class="qz-linklike" on:click=move |ev| {
                        ev.stop_propagation();
                        go();
                    }>{e.with_value(|e| e.title.clone())}</button>
                </h4>
                <p class="qz-fact"><Glyph icon=Icon::Clock/><span>{when}</span></p>
                <p class="qz-fact"><Glyph icon=place_icon/><span>{place}</span></p>
                <p class="qz-pills">
                    {move || {
                        let (text, tone) = e.with_value(|e| standing(t, e));
                        view! { <span class="qz-pill" data-tone=tone>{text}</span> }
                    }}
                    {ticket.map(|ticket| view! {
                        <span class="qz-pill" data-tone="mine" data-testid="my-ticket-pill">{move || ticket_label(t, ticket)}</span>
                    })}
                </p>
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use quanzi_core::community::Locale;
    use quanzi_core::events::EventId;
    use quanzi_core::time::Timestamp;

    use super::*;

    fn event(phase: Phase, seats_left: Option<u32>) -> EventView {
        EventView {
            id: EventId::parse("tea").unwrap(),
            title: "Tea".to_owned(),
            description: String::new(),
            venue: VenueView::Offline {
                place: "Shanghai".to_owned(),
            },
            starts_at: Timestamp(0),
            ends_at: Timestamp(1),
            signup_opens_at: None,
            signup_closes_at: Timestamp(0),
            phase,
            signup_open: phase == Phase::SignupOpen,
            capacity: seats_left.map(|_| 10),
            confirmed: 0,
            waiting: 0,
            seats_left,
            questions: Vec::new(),
            cancel_reason: None,
            my_ticket: None,
        }
    }

    #[test]
    fn an_event_says_how_it_stands_for_sign_up() {
        let (zh, en) = (Text(Locale::ZhCn), Text(Locale::En));
        let cases = [
            (
                Phase::SignupOpen,
                Some(3),
                "报名中 · 剩 3 席",
                "Open · 3 seats left",
                "open",
            ),
            (
                Phase::SignupOpen,
                Some(1),
                "报名中 · 剩 1 席",
                "Open · 1 seat left",
                "open",
            ),
            (
                Phase::SignupOpen,
                Some(0),
                "已满 · 可候补",
                "Full · join the waitlist",
                "warn",
            ),
            (Phase::SignupOpen, None, "报名中", "Sign-up open", "open"),
            (
                Phase::SignupClosed,
                None,
                "报名已截止",
                "Sign-up closed",
                "off",
            ),
            (Phase::Cancelled, None, "已取消", "Cancelled", "off"),
        ];
        for (phase, seats, zh_text, en_text, tone) in cases {
            let e = event(phase, seats);
            assert_eq!(standing(zh, &e), (zh_text.to_owned(), tone));
            assert_eq!(standing(en, &e).0, en_text);
        }
    }

    #[test]
    fn a_ticket_says_where_the_member_stands() {
        let en = Text(Locale::En);
        let zh = Text(Locale::ZhCn);
        assert_eq!(
            ticket_label(en, TicketView::Waitlisted { position: 1 }),
            "Waitlist #1"
        );
        assert_eq!(
            ticket_label(zh, TicketView::Waitlisted { position: 2 }),
            "候补第 2 位"
        );
        assert_eq!(
            ticket_label(en, TicketView::Confirmed { attended: false }),
            "Signed up"
        );
        assert_eq!(
            ticket_label(zh, TicketView::Confirmed { attended: true }),
            "已签到"
        );
    }
}
