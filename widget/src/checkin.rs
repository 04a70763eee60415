//! The daily check-in card: streak, today's button, the points it earned, the month, and
//! the member's daily reminder switch.

use chrono::Datelike;
use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::app::MyCheckin;
use quanzi_core::checkin::CheckinCalendar;
use quanzi_core::error::{ApiError, ErrorCode};

use crate::feedback::{Glyph, Icon};
use crate::session::Session;
use crate::token::use_token;
use quanzi_shell::Text;

/// The state of the card once a token is present.
#[derive(Clone, Debug, PartialEq)]
enum Loaded {
    Loading,
    Ready(MyCheckin),
    Failed(ApiError),
}

#[component]
pub fn CheckinCard(slug: String, login_url: Option<String>) -> impl IntoView {
    let client = expect_context::<Client>();
    let t = expect_context::<Signal<Text>>();
    let token = use_token();
    let loaded = RwSignal::new(Loaded::Loading);
    let busy = RwSignal::new(false);
    // The points the last check-in earned, announced once.
    let earned = RwSignal::new(None::<i64>);
    let refused = RwSignal::new(None::<ErrorCode>);
    // Badges the last check-in earned, by name.
    let new_badges = RwSignal::new(Vec::<String>::new());
    let session = use_context::<Session>();
    let slug = StoredValue::new(slug);
    // The daily reminder switch: its own state, so that saving never redraws the card.
    let reminder = RwSignal::new(false);
    let reminder_saving = RwSignal::new(false);
    let reminder_refused = RwSignal::new(None::<ErrorCode>);
    let ready = Memo::new(move |_| matches!(loaded.get(), Loaded::Ready(_)));

    let load = {
        let client = client.clone();
        move |token: String| {
            let client = client.clone();
            leptos::task::spawn_local(async move {
                let result = client.my_checkin(&slug.get_value(), &token).await;
                loaded.set(match result {
                    Ok(mine) => {
                        reminder.set(mine.reminder);
                        Loaded::Ready(mine)
                    }
                    Err(err) => Loaded::Failed(err),
                });
            });
        }
    };
    let load_on_token = load.clone();
    Effect::new(move |_| {
        if let Some(token) = token.get() {
            loaded.set(Loaded::Loading);
            load_on_token(token);
        }
    });

    let reminder_client = client.clone();
    // Optimistic: the switch flips at once; flipped back if the worker says no.
    let toggle_reminder = move |_| {
        let Some(token) = token.get_untracked() else {
            return;
        };
        if reminder_saving.get_untracked() {
            return;
        }
        let before = reminder.get_untracked();
        let wanted = !before;
        reminder.set(wanted);
        reminder_saving.set(true);
        reminder_refused.set(None);
        let client = reminder_client.clone();
        leptos::task::spawn_local(async move {
            match client
                .set_checkin_reminder(&slug.get_value(), &token, wanted)
                .await
            {
                Ok(saved) => reminder.set(saved.enabled),
                Err(err) => {
                    reminder.set(before);
                    reminder_refused.set(Some(err.code));
                }
            }
            reminder_saving.set(false);
        });
    };

    let check_in = move |_| {
        let (Some(token), Loaded::Ready(before)) = (token.get_untracked(), loaded.get_untracked())
        else {
            return;
        };
        if busy.get_untracked() || before.status.checked_in_today {
            return;
        }
        busy.set(true);
        refused.set(None);
        // Optimistic: the button shows done at once; rolled back if the worker says no.
        let mut optimistic = before.clone();
        optimistic.status.checked_in_today = true;
        loaded.set(Loaded::Ready(optimistic));
        let client = client.clone();
        let reload = load.clone();
        leptos::task::spawn_local(async move {
            match client.check_in(&slug.get_value(), &token).await {
                Ok(result) => {
                    earned.set(Some(result.awarded.iter().map(|e| e.delta).sum()));
                    // The badges this check-in earned come with its answer.
                    let locale = t.get_untracked().0;
                    new_badges.set(
                        result
                            .badges_earned
                            .iter()
                            .map(|b| b.names.get(locale))
                            .collect(),
                    );
                    if let Some(session) = session {
                        session.touch();
                    }
                    let mut after = before;
                    let today = result.status.today.day();
                    if !after.calendar.checked_in.contains(&today)
                        && after.calendar.today.month() == result.status.today.month()
                    {
                        after.calendar.checked_in.push(today);
                    }
                    after.status = result.status;
                    after.balance = result.balance;
                    loaded.set(Loaded::Ready(after));
                }
                Err(err) if err.code == ErrorCode::AlreadyCheckedIn => {
                    // Done elsewhere (another tab): show the truth.
                    reload(token);
                }
                Err(err) => {
                    refused.set(Some(err.code));
                    loaded.set(Loaded::Ready(before));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <section class="qz-card qz-checkin" data-testid="checkin-card" aria-labelledby="qz-checkin-title">
            <h3 class="qz-card-title" id="qz-checkin-title">{move || t.get().daily_check_in()}</h3>
            {move || {
                if token.get().is_none() {
                    let link = login_url.clone().map(|href| view! {
                        <a class="qz-button" href=href target="_top">{t.get().sign_in()}</a>
                    });
                    return view! {
                        <p class="qz-muted" data-testid="checkin-signed-out">{t.get().sign_in_to_check_in()}</p>
                        {link}
                    }
                    .into_any();
                }
                match loaded.get() {
                    Loaded::Loading => view! {
                        <div class="qz-skeleton" role="status"><div class="qz-bar qz-bar-title"></div><div class="qz-bar"></div></div>
                    }
                    .into_any(),
                    Loaded::Failed(err) => view! {
                        <p role="alert" class="qz-error" data-testid="checkin-error">{t.get().error(err.code)}</p>
                    }
                    .into_any(),
                    Loaded::Ready(mine) => {
                        let done = mine.status.checked_in_today;
                        let next = mine.status.next_bonus.clone();
                        view! {
                            <div class="qz-checkin-row">
                                <div>
                                    <p class="qz-streak" data-testid="streak">{t.get().streak(mine.status.current_streak)}</p>
                                    <p class="qz-muted" data-testid="balance">{t.get().balance(mine.balance.balance)}</p>
                                </div>
                                <button
                                    type="button"
                                    class="qz-button qz-checkin-button"
                                    data-testid="checkin-button"
                                    disabled=move || done || busy.get()
                                    aria-pressed=done.to_string()
                                    on:click=check_in.clone()
                                >
                                    {move || match (done, busy.get()) {
                                        (true, _) => t.get().checked_in_today(),
                                        (false, true) => t.get().checking_in(),
                                        (false, false) => t.get().check_in(),
                                    }}
                                </button>
                            </div>
                            {next.map(|n| view! { <p class="qz-muted qz-next">{t.get().next_bonus(n.days_to_go, n.points)}</p> })}
                            <MonthGrid calendar=mine.calendar.clone() weekdays=t.get().weekdays() label=t.get().calendar_label()/>
                        }
                        .into_any()
                    }
                }
            }}
            <Show when=move || ready.get() && token.get().is_some()>
                <button
                    type="button"
                    role="switch"
                    class="qz-switch"
                    data-testid="checkin-reminder"
                    aria-checked=move || reminder.get().to_string()
                    aria-busy=move || reminder_saving.get().to_string()
                    on:click=toggle_reminder.clone()
                >
                    <span class="qz-switch-track" aria-hidden="true"><span class="qz-switch-thumb"></span></span>
                    <span>{move || t.get().remind_me_daily()}</span>
                </button>
            </Show>
            {move || earned.get().filter(|p| *p > 0).map(|p| view! {
                <div class="qz-reward-burst" aria-hidden="true" data-testid="checkin-reward">
                    <span class="qz-reward-points"><Glyph icon=Icon::Sparkle/>{t.get().points_awarded(p)}</span>
                    {move || new_badges.get().into_iter().map(|b| view! {
                        <span class="qz-reward-badge" data-testid="checkin-badge"><Glyph icon=Icon::Medal/>{t.get().new_badge(&b)}</span>
                    }).collect_view()}
                </div>
            })}
            // The reward above shows what this line says; it stays for screen readers.
            <p
                class=move || if earned.get().is_some_and(|p| p > 0) && refused.get().is_none() { "qz-live qz-visually-hidden" } else { "qz-live" }
                role="status"
                aria-live="polite"
                data-testid="checkin-result"
            >
                {move || earned.get().map(|p| t.get().points_awarded(p))}
                {move || new_badges.get().into_iter().map(|b| format!(" · {}", t.get().new_badge(&b))).collect::<String>()}
                {move || refused.get().map(|code| t.get().error(code))}
                {move || reminder_refused.get().map(|code| t.get().error(code))}
            </p>
        </section>
    }
}

/// The month as a grid, Monday first; checked-in days filled, today outlined.
#[component]
fn MonthGrid(
    calendar: CheckinCalendar,
    weekdays: [&'static str; 7],
    label: &'static str,
) -> impl IntoView {
    let lead = calendar
        .month
        .first_day()
        .map(|d| d.weekday().num_days_from_monday())
        .unwrap_or(0);
    let today = (calendar.today.month() == calendar.month.month()).then(|| calendar.today.day());
    // Blank cells before the 1st and after the last day fill the first and last weeks.
    let days: Vec<Option<u32>> = (0..lead)
        .map(|_| None)
        .chain((1..=calendar.days_in_month).map(Some))
        .collect();
    let cell = move |day: Option<u32>| match day {
        None => view! { <span class="qz-day qz-day-blank" role="gridcell"></span> }.into_any(),
        Some(d) => {
            let checked = calendar.checked_in.contains(&d);
            let class = match (checked, Some(d) == today) {
                (true, true) => "qz-day qz-day-on qz-day-today",
                (true, false) => "qz-day qz-day-on",
                (false, true) => "qz-day qz-day-today",
                (false, false) => "qz-day",
            };
            view! { <span class=class data-checked=checked.to_string() role="gridcell">{d}</span> }
                .into_any()
        }
    };
    let weeks = days
        .chunks(7)
        .map(|week| {
            let pad = 7 - week.len();
            let cells = week
                .iter()
                .copied()
                .chain((0..pad).map(|_| None))
                .map(&cell)
                .collect_view();
            view! { <div class="qz-week" role="row">{cells}</div> }
        })
        .collect_view();
    view! {
        <div class="qz-month" role="grid" aria-label=label data-testid="checkin-calendar">
            <div class="qz-week" role="row">
                {weekdays.map(|w| view! { <span class="qz-weekday" role="columnheader">{w}</span> }).collect_view()}
            </div>
            {weeks}
        </div>
    }
}
