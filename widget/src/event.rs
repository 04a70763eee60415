//! One event in full (`data-view="event" data-event="…"`, or opened from the list): when
//! and where, how full, the sign-up form with the event's questions, and once signed up the
//! member's ticket: a confirmed seat (with the box for the attendance code the organiser
//! gives out at the event) or their place on the waitlist, and the way to cancel. A member
//! on the waitlist sees the promotion arrive without reloading.

use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use quanzi_client::Client;
use quanzi_core::error::ErrorCode;
use quanzi_core::events::{
    AnswerError, AnswerInput, AnswerInputs, EventView, Phase, Question, QuestionId, QuestionKind,
    Questions, Schedule, SignUpRequest, TicketView, VenueView,
};

use crate::events::{standing, ticket_label};
use crate::feedback::{Announcer, Glyph, Icon, Problem, SignInPrompt, Skeleton};
use crate::intl::{self, Style};
use crate::session::{Load, use_session, use_text};

/// How often a member on the waitlist asks whether a seat came free.
const WAITLIST_POLL: Duration = Duration::from_secs(8);

/// The event as the member sees it right after cancelling (optimistic): no ticket, and the
/// counts the worker will report (a freed seat goes to the first waiting member).
pub fn after_cancelling(before: &EventView) -> EventView {
    let mut after = before.clone();
    match before.my_ticket {
        Some(TicketView::Confirmed { .. }) if before.waiting > 0 => after.waiting -= 1,
        Some(TicketView::Confirmed { .. }) => {
            after.confirmed = after.confirmed.saturating_sub(1);
            after.seats_left = after.seats_left.map(|s| s.saturating_add(1));
        }
        Some(TicketView::Waitlisted { .. }) => after.waiting = after.waiting.saturating_sub(1),
        None => {}
    }
    after.my_ticket = None;
    after
}

/// The question an answer problem is about.
fn question_of(e: &AnswerError) -> &QuestionId {
    match e {
        AnswerError::Missing(q)
        | AnswerError::UnknownQuestion(q)
        | AnswerError::WrongShape(q)
        | AnswerError::NotAnOption(q)
        | AnswerError::RepeatedChoice(q)
        | AnswerError::BadText { question: q, .. } => q,
    }
}

/// Whether the attendance-code window is open: from an hour before the start to an hour
/// after the end (the worker decides; this only chooses what to show).
fn check_in_open(e: &EventView, now: i64) -> bool {
    e.phase != Phase::Cancelled
        && e.starts_at.millis() - Schedule::CHECK_IN_BEFORE_START <= now
        && now < e.ends_at.millis() + Schedule::CHECK_IN_AFTER_END
}

#[component]
pub fn EventDetail(
    /// The event's id.
    id: String,
    /// Back to the list (`None` when the page pins this one event).
    back: Option<Callback<()>>,
) -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let id = StoredValue::new(id);
    let event = RwSignal::new(Load::<EventView>::Loading);
    let message = RwSignal::new(None::<String>);
    let heading = NodeRef::<html::H3>::new();

    let load = {
        move || {
            let client = client.get_value();
            let token = session.token.get_untracked();
            spawn_local(async move {
                let result = client
                    .event(&session.slug(), &id.get_value(), token.as_deref())
                    .await;
                match result {
                    Ok(now) => {
                        // The member may have left the event meanwhile: nothing to update.
                        let Some(was_waiting) = event.try_with_untracked(|e| {
                            matches!(
                                e.ready().and_then(|e| e.my_ticket),
                                Some(TicketView::Waitlisted { .. })
                            )
                        }) else {
                            return;
                        };
                        if was_waiting
                            && matches!(now.my_ticket, Some(TicketView::Confirmed { .. }))
                        {
                            message.set(Some(t.promoted().to_owned()));
                            session.touch();
                        }
                        event.set(Load::Ready(now));
                    }
                    // A failed refresh keeps what is shown.
                    Err(e) if event.with_untracked(|e| e.ready().is_none()) => {
                        event.set(Load::Failed(e.code));
                    }
                    Err(_) => {}
                }
            });
        }
    };
    {
        Effect::new(move |_| {
            session.token.track();
            session.changed.track();
            load();
        });
    }
    // Waiting members see a promotion arrive; everyone sees fresh counts on coming back.
    {
        let poll = set_interval_with_handle(
            move || {
                let waiting = event.with_untracked(|e| {
                    matches!(
                        e.ready().and_then(|e| e.my_ticket),
                        Some(TicketView::Waitlisted { .. })
                    )
                });
                if waiting {
                    load();
                }
            },
            WAITLIST_POLL,
        );
        let focus = window_event_listener(leptos::ev::focus, move |_| load());
        on_cleanup(move || {
            if let Ok(poll) = poll {
                poll.clear();
            }
            focus.remove();
        });
    }
    // Opened from the list: focus the title once, so the member starts reading there.
    Effect::new(move |focused: Option<bool>| {
        if focused == Some(true) || back.is_none() {
            return true;
        }
        match heading.get() {
            Some(h) => {
                let _ = h.focus();
                true
            }
            None => false,
        }
    });
    let retry = Callback::new(move |()| {
        event.set(Load::Loading);
        load();
    });

    view! {
        <article class="qz-event-detail" data-testid="event-detail" data-event=id.get_value()>
            {back.map(|back| view! {
                <button type="button" class="qz-me-back" on:click=move |_| back.run(()) data-testid="event-back">
                    <Glyph icon=Icon::Back/>
                    <span>{t.all_events()}</span>
                </button>
            })}
            {move || match event.get() {
                Load::Loading => view! { <Skeleton rows=5/> }.into_any(),
                Load::Failed(code) => view! { <Problem code=code retry=retry/> }.into_any(),
                Load::Ready(e) => view! { <Facts event=e.clone() heading=heading/> }.into_any(),
            }}
            {move || event.with(|e| e.ready().is_some()).then(|| view! { <Place event=event message=message/> })}
            <Announcer message=message testid="event-result"/>
        </article>
    }
}

/// Title, standing, time, place, seats and the description.
#[component]
fn Facts(event: EventView, heading: NodeRef<html::H3>) -> impl IntoView {
    let t = use_text().get_untracked();
    let tz = use_session().time_zone.get_untracked();
    let tx = t;
    let (state, tone) = standing(tx, &event);
    let when = intl::span(event.starts_at.millis(), event.ends_at.millis(), tx.0, &tz);
    let (place_icon, place) = match &event.venue {
        VenueView::Online { url } => (
            Icon::Video,
            view! {
                {tx.online_event()}
                {url.clone().map(|href| view! {
                    " · "<a href=href target="_blank" rel="noopener noreferrer" data-testid="event-link">{tx.join_online()}</a>
                })}
            }
            .into_any(),
        ),
        VenueView::Offline { place } => (Icon::Pin, view! { {place.clone()} }.into_any()),
    };
    let seats = tx.seats_summary(event.capacity, event.confirmed, event.waiting);
    let opens = (event.phase == Phase::SignupNotOpen)
        .then_some(event.signup_opens_at)
        .flatten()
        .map(|at| tx.signup_opens_on(&intl::instant(at.millis(), tx.0, &tz, Style::DayTime)));
    let closes = (event.phase == Phase::SignupOpen).then(|| {
        tx.signup_closes_on(&intl::instant(
            event.signup_closes_at.millis(),
            tx.0,
            &tz,
            Style::DayTime,
        ))
    });
    let cancelled = event
        .cancel_reason
        .clone()
        .filter(|_| {
            event.phase == Phase::Cancelled
                && !event.cancel_reason.as_deref().unwrap_or("").is_empty()
        })
        .map(|why| view! { <p class="qz-note" role="note">{tx.cancelled_because(&why)}</p> });
    view! {
        <header class="qz-event-head">
            <h3 class="qz-card-title" tabindex="-1" node_ref=heading data-testid="event-title">{event.title.clone()}</h3>
            <span class="qz-pill" data-tone=tone data-testid="event-standing">{state}</span>
        </header>
        {cancelled}
        <ul class="qz-facts">
            <li class="qz-fact"><Glyph icon=Icon::Clock/><span>{when}</span></li>
            <li class="qz-fact"><Glyph icon=place_icon/><span>{place}</span></li>
            <li class="qz-fact"><Glyph icon=Icon::Users/><span data-testid="event-seats">{seats}</span></li>
            {opens.or(closes).map(|line| view! { <li class="qz-fact"><Glyph icon=Icon::Calendar/><span>{line}</span></li> })}
        </ul>
        {(!event.description.trim().is_empty()).then(|| view! { <p class="qz-event-desc">{event.description.clone()}</p> })}
    }
}

/// The member's place: the ticket, the sign-up form, or why there is neither.
#[component]
fn Place(event: RwSignal<Load<EventView>>, message: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let ticket = Memo::new(move |_| event.with(|e| e.ready().and_then(|e| e.my_ticket)));
    let open = Memo::new(move |_| event.with(|e| e.ready().is_some_and(|e| e.signup_open)));
    let phase = Memo::new(move |_| event.with(|e| e.ready().map(|e| e.phase)));
    let has_ticket = Memo::new(move |_| ticket.get().is_some());
    // Set when the member's own action swaps the form for the ticket (or back), so the
    // part that appears takes the focus the vanished button had.
    let arrived = RwSignal::new(false);
    move || {
        let tx = t;
        match (session.token.get(), has_ticket.get()) {
            (None, _) if open.get() => view! {
                <SignInPrompt text=t.sign_in_to_sign_up()/>
            }
            .into_any(),
            (Some(_), true) => {
                view! { <Ticket event=event message=message arrived=arrived/> }.into_any()
            }
            (Some(_), false) if open.get() => {
                view! { <SignUpForm event=event message=message arrived=arrived/> }.into_any()
            }
            _ => {
                let why = match phase.get() {
                    Some(Phase::SignupNotOpen) => Some(tx.signup_not_open_long()),
                    Some(Phase::SignupClosed | Phase::Ongoing) => Some(tx.signup_closed_long()),
                    Some(Phase::Ended) => Some(tx.event_ended_long()),
                    _ => None,
                };
                why.map(
                    |why| view! { <p class="qz-note" data-testid="signup-unavailable">{why}</p> },
                )
                .into_any()
            }
        }
    }
}

/// The sign-up form: the event's questions, then sign up (or join the waitlist when full).
#[component]
fn SignUpForm(
    event: RwSignal<Load<EventView>>,
    message: RwSignal<Option<String>>,
    arrived: RwSignal<bool>,
) -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let answers = RwSignal::new(AnswerInputs::new());
    let invalid = RwSignal::new(None::<QuestionId>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<html::Form>::new();
    let title = NodeRef::<html::H4>::new();
    Effect::new(move |_| {
        if let Some(h) = title.get()
            && arrived.get_untracked()
        {
            arrived.set(false);
            let _ = h.focus();
        }
    });
    let questions =
        event.with_untracked(|e| e.ready().map(|e| e.questions.clone()).unwrap_or_default());
    let full =
        Memo::new(move |_| event.with(|e| e.ready().is_some_and(|e| e.seats_left == Some(0))));

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (Some(token), Some(before)) = (
            session.token.get_untracked(),
            event.with_untracked(|e| e.ready().cloned()),
        ) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        // The same rules the worker applies, so the member hears about a gap at once.
        let given = answers.get_untracked();
        if let Ok(questions) = Questions::new(before.questions.clone())
            && let Err(problem) = questions.check(&given)
        {
            let q = question_of(&problem).clone();
            let prompt = before
                .questions
                .iter()
                .find(|x| x.id == q)
                .map(|x| x.prompt.to_string())
                .unwrap_or_default();
            message.set(Some(t.answer_needed(&prompt)));
            invalid.set(Some(q.clone()));
            if let Some(field) = form
                .get_untracked()
                .and_then(|f| {
                    f.query_selector(&format!("[data-question=\"{q}\"]"))
                        .ok()
                        .flatten()
                })
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = field.focus();
            }
            return;
        }
        invalid.set(None);
        busy.set(true);
        message.set(None);
        let client = client.get_value();
        spawn_local(async move {
            let request = SignUpRequest { answers: given };
            let result = client
                .sign_up_for_event(&session.slug(), &token, before.id.as_str(), &request)
                .await;
            match result {
                Ok(signed) => {
                    message.set(Some(match signed.ticket {
                        TicketView::Waitlisted { position } => t.joined_waitlist(position),
                        TicketView::Confirmed { .. } => t.seat_confirmed().to_owned(),
                    }));
                    arrived.set(true);
                    event.set(Load::Ready(signed.event));
                    session.touch();
                }
                Err(e) => {
                    message.set(Some(t.me_explain(e.code).to_owned()));
                    if e.code == ErrorCode::AlreadySignedUp {
                        session.touch();
                    }
                }
            }
            busy.set(false);
        });
    };

    view! {
        <form class="qz-signup" node_ref=form on:submit=submit novalidate aria-labelledby="qz-signup-title" data-testid="signup-form">
            <h4 class="qz-block-title" id="qz-signup-title" tabindex="-1" node_ref=title>
                {move || if full.get() { t.join_waitlist_heading() } else { t.sign_up_heading() }}
            </h4>
            <Show when=move || full.get()>
                <p class="qz-note">{t.full_explained()}</p>
            </Show>
            {questions.into_iter().map(|q| view! { <Field question=q answers=answers invalid=invalid/> }).collect_view()}
            <button type="submit" class="qz-button qz-button-wide" data-testid="signup-button" aria-disabled=move || busy.get().to_string()>
                {move || match (busy.get(), full.get()) {
                    (true, _) => t.me_sending(),
                    (false, true) => t.join_waitlist(),
                    (false, false) => t.sign_up_now(),
                }}
            </button>
        </form>
    }
}

/// One sign-up question as a form field: a text box, radio buttons or checkboxes.
#[component]
fn Field(
    question: Question,
    answers: RwSignal<AnswerInputs>,
    invalid: RwSignal<Option<QuestionId>>,
) -> impl IntoView {
    let qid = StoredValue::new(question.id.clone());
    let field_id = format!("qz-q-{}", question.id);
    let is_invalid = move || {
        invalid
            .with(|i| i.as_ref() == Some(&qid.get_value()))
            .to_string()
    };
    let required = question.required;
    let required_text = use_text().get_untracked().field_required();
    let star = move || {
        required.then(|| view! { <span class="qz-required" aria-hidden="true">" *"</span> })
    };
    let prompt = question.prompt.to_string();
    let set = move |value: Option<AnswerInput>| {
        let q = qid.get_value();
        answers.update(|a| match value {
            Some(v) => {
                a.insert(q.clone(), v);
            }
            None => {
                a.remove(&q);
            }
        });
        invalid.update(|i| {
            if i.as_ref() == Some(&q) {
                *i = None;
            }
        });
    };
    let (multiple, options) = match question.kind {
        QuestionKind::ShortText => {
            return view! {
                <div class="qz-q">
                    <label for=field_id.clone()>{prompt}{star}</label>
                    <input
                        id=field_id
                        type="text"
                        class="qz-input"
                        data-question=qid.get_value().to_string()
                        maxlength="300"
                        required=required
                        aria-invalid=is_invalid
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            set((!v.trim().is_empty()).then_some(AnswerInput::One(v)));
                        }
                    />
                </div>
            }
            .into_any();
        }
        QuestionKind::SingleChoice { options } => (false, options),
        QuestionKind::MultipleChoice { options } => (true, options),
    };
    let kind = if multiple { "checkbox" } else { "radio" };
    let choices = options
        .as_slice()
        .iter()
        .map(|choice| {
            let choice = choice.to_string();
            let value = choice.clone();
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                if !multiple {
                    set(on.then(|| AnswerInput::One(value.clone())));
                    return;
                }
                let mut picked = answers.with_untracked(|a| match a.get(&qid.get_value()) {
                    Some(AnswerInput::Many(list)) => list.clone(),
                    _ => Vec::new(),
                });
                picked.retain(|p| p != &value);
                if on {
                    picked.push(value.clone());
                }
                set((!picked.is_empty()).then_some(AnswerInput::Many(picked)));
            };
            view! {
                <label class="qz-choice">
                    <input type=kind name=field_id.clone() value=choice.clone() aria-invalid=is_invalid on:change=toggle/>
                    <span>{choice}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        // One choice is a radio group, which can say it is required; several choices are a
        // plain group (the legend's mark says it).
        <fieldset
            class="qz-q qz-q-choices"
            data-question=qid.get_value().to_string()
            tabindex="-1"
            role=(!multiple).then_some("radiogroup")
            aria-required=(!multiple).then(|| required.to_string())
        >
            <legend>
                {prompt}{star}
                // A checkbox group cannot be marked required for assistive technology.
                {(multiple && required).then(|| view! { <span class="qz-visually-hidden">{required_text}</span> })}
            </legend>
            {choices}
        </fieldset>
    }
    .into_any()
}

/// The member's ticket: their seat (and, while the event's check-in is open, the box for
/// the attendance code the organiser gives out) or their place on the waitlist; and the way
/// to give it up before the event starts.
#[component]
fn Ticket(
    event: RwSignal<Load<EventView>>,
    message: RwSignal<Option<String>>,
    arrived: RwSignal<bool>,
) -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let code = RwSignal::new(String::new());
    let code_wrong = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let cancel_button = NodeRef::<html::Button>::new();
    let keep_button = NodeRef::<html::Button>::new();
    let kicker = NodeRef::<html::P>::new();
    Effect::new(move |_| {
        if let Some(k) = kicker.get()
            && arrived.get_untracked()
        {
            arrived.set(false);
            let _ = k.focus();
        }
    });
    let ticket = Memo::new(move |_| event.with(|e| e.ready().and_then(|e| e.my_ticket)));
    let view_of = move || event.with(|e| e.ready().cloned());
    Effect::new(move |_| {
        if confirming.get()
            && let Some(b) = keep_button.get()
        {
            let _ = b.focus();
        }
    });

    let check_in = {
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let (Some(token), Some(e)) = (session.token.get_untracked(), view_of()) else {
                return;
            };
            let typed = code.get_untracked();
            if typed.trim().is_empty() {
                code_wrong.set(true);
                message.set(Some(t.enter_the_code().to_owned()));
                return;
            }
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let client = client.get_value();
            spawn_local(async move {
                match client
                    .event_check_in(&session.slug(), &token, e.id.as_str(), &typed)
                    .await
                {
                    Ok(done) => {
                        code_wrong.set(false);
                        let points: i64 = done.awarded.iter().map(|l| l.delta).sum();
                        message.set(Some(t.attendance_recorded(points)));
                        event.update(|e| {
                            if let Load::Ready(e) = e {
                                e.my_ticket = Some(TicketView::Confirmed { attended: true });
                            }
                        });
                        session.touch();
                    }
                    Err(err) => {
                        code_wrong.set(err.code == ErrorCode::WrongAttendanceCode);
                        message.set(Some(t.me_explain(err.code).to_owned()));
                    }
                }
                busy.set(false);
            });
        }
    };

    // Optimistic: the ticket goes at once and comes back if the worker refuses.
    let cancel = move |_| {
        let (Some(token), Some(before)) = (session.token.get_untracked(), view_of()) else {
            return;
        };
        confirming.set(false);
        let was_waiting = matches!(before.my_ticket, Some(TicketView::Waitlisted { .. }));
        arrived.set(true);
        event.set(Load::Ready(after_cancelling(&before)));
        let client = client.get_value();
        spawn_local(async move {
            match client
                .cancel_event_sign_up(&session.slug(), &token, before.id.as_str())
                .await
            {
                Ok(done) => {
                    message.set(Some(if was_waiting {
                        t.left_waitlist().to_owned()
                    } else {
                        t.sign_up_cancelled().to_owned()
                    }));
                    event.set(Load::Ready(done.event));
                    session.touch();
                }
                Err(err) => {
                    arrived.set(true);
                    event.set(Load::Ready(before));
                    message.set(Some(t.me_explain(err.code).to_owned()));
                }
            }
        });
    };

    let stub = move || {
        let e = view_of()?;
        let tx = t;
        Some(match e.my_ticket? {
            TicketView::Confirmed { attended: true } => view! {
                <p class="qz-ticket-done"><Glyph icon=Icon::Check/><span>{tx.attended_long()}</span></p>
            }
            .into_any(),
            TicketView::Confirmed { attended: false } if check_in_open(&e, intl::now()) => view! {
                <form class="qz-code-form" on:submit=check_in data-testid="attendance-form">
                    <label for="qz-attendance-code">{tx.attendance_code_label()}</label>
                    <div class="qz-code-row">
                        <input
                            id="qz-attendance-code"
                            class="qz-input qz-code-input"
                            type="text"
                            inputmode="text"
                            autocomplete="off"
                            autocapitalize="characters"
                            spellcheck="false"
                            maxlength="12"
                            aria-describedby="qz-attendance-help"
                            aria-invalid=move || code_wrong.get().to_string()
                            prop:value=move || code.get()
                            on:input=move |ev| {
                                code.set(event_target_value(&ev));
                                code_wrong.set(false);
                            }
                        />
                        <button type="submit" class="qz-button" aria-disabled=move || busy.get().to_string() data-testid="attendance-submit">
                            {move || if busy.get() { t.me_sending() } else { t.check_in_at_event() }}
                        </button>
                    </div>
                    <p class="qz-muted" id="qz-attendance-help">{tx.attendance_code_help()}</p>
                </form>
            }
            .into_any(),
            TicketView::Confirmed { attended: false } => view! {
                <p class="qz-muted">{tx.check_in_opens_later()}</p>
            }
            .into_any(),
            TicketView::Waitlisted { .. } => view! {
                <p class="qz-muted">{tx.waitlist_explained()}</p>
            }
            .into_any(),
        })
    };
    let cancellable = move || {
        event.with(|e| {
            e.ready().is_some_and(|e| {
                e.my_ticket.is_some()
                    && e.phase != Phase::Cancelled
                    && intl::now() < e.starts_at.millis()
            })
        })
    };
    let close = move || {
        confirming.set(false);
        if let Some(b) = cancel_button.get_untracked() {
            let _ = b.focus();
        }
    };

    view! {
        <section
            class="qz-ticket"
            aria-labelledby="qz-ticket-title"
            data-testid="ticket"
            data-status=move || match ticket.get() {
                Some(TicketView::Confirmed { attended: true }) => "attended",
                Some(TicketView::Confirmed { .. }) => "confirmed",
                Some(TicketView::Waitlisted { .. }) => "waitlisted",
                None => "",
            }
        >
            <div class="qz-ticket-main">
                <p class="qz-ticket-kicker" id="qz-ticket-title" tabindex="-1" node_ref=kicker><Glyph icon=Icon::Ticket/><span>{t.my_ticket()}</span></p>
                <p class="qz-ticket-status" data-testid="ticket-status">
                    {move || ticket.get().map(|k| match k {
                        TicketView::Confirmed { attended: false } => t.seat_confirmed_short().to_owned(),
                        k => ticket_label(t, k),
                    })}
                </p>
            </div>
            <div class="qz-ticket-stub">{stub}</div>
            <Show when=cancellable>
                <div class="qz-ticket-actions">
                    <button
                        type="button"
                        class="qz-button qz-button-quiet"
                        node_ref=cancel_button
                        aria-expanded=move || confirming.get().to_string()
                        data-testid="cancel-signup"
                        on:click=move |_| confirming.set(true)
                    >
                        {move || match ticket.get() {
                            Some(TicketView::Waitlisted { .. }) => t.leave_waitlist(),
                            _ => t.cancel_sign_up(),
                        }}
                    </button>
                    <Show when=move || confirming.get()>
                        <div class="qz-confirm" role="group" aria-label=t.cancel_sign_up() on:keydown=move |ev| if ev.key() == "Escape" { close() }>
                            <p>{t.cancel_sign_up_question()}</p>
                            <div class="qz-actions">
                                <button type="button" class="qz-button qz-button-danger" data-testid="cancel-signup-confirm" on:click=cancel>
                                    {t.yes_cancel()}
                                </button>
                                <button type="button" class="qz-button qz-button-quiet" node_ref=keep_button on:click=move |_| close()>
                                    {t.keep_my_place()}
                                </button>
                            </div>
                        </div>
                    </Show>
                </div>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use quanzi_core::events::EventId;
    use quanzi_core::time::Timestamp;

    use super::*;

    fn event(ticket: Option<TicketView>, confirmed: u32, waiting: u32) -> EventView {
        EventView {
            id: EventId::parse("tea").unwrap(),
            title: "Tea".to_owned(),
            description: String::new(),
            venue: VenueView::Online { url: None },
            starts_at: Timestamp(10 * 3_600_000),
            ends_at: Timestamp(12 * 3_600_000),
            signup_opens_at: None,
            signup_closes_at: Timestamp(10 * 3_600_000),
            phase: Phase::SignupOpen,
            signup_open: true,
            capacity: Some(confirmed),
            confirmed,
            waiting,
            seats_left: Some(0),
            questions: Vec::new(),
            cancel_reason: None,
            my_ticket: ticket,
        }
    }

    #[test]
    fn cancelling_frees_a_seat_or_hands_it_to_the_first_waiting() {
        let seat = Some(TicketView::Confirmed { attended: false });
        let handed_on = after_cancelling(&event(seat, 1, 2));
        assert_eq!(
            (handed_on.confirmed, handed_on.waiting, handed_on.seats_left),
            (1, 1, Some(0))
        );
        let freed = after_cancelling(&event(seat, 1, 0));
        assert_eq!(
            (freed.confirmed, freed.waiting, freed.seats_left),
            (0, 0, Some(1))
        );
        let left = after_cancelling(&event(Some(TicketView::Waitlisted { position: 1 }), 1, 1));
        assert_eq!((left.confirmed, left.waiting, left.my_ticket), (1, 0, None));
    }

    #[test]
    fn the_code_box_opens_an_hour_before_and_closes_an_hour_after() {
        let e = event(None, 1, 0);
        let hour = 3_600_000;
        assert!(!check_in_open(&e, 9 * hour - 1));
        assert!(check_in_open(&e, 9 * hour));
        assert!(check_in_open(&e, 13 * hour - 1));
        assert!(!check_in_open(&e, 13 * hour));
    }
}
