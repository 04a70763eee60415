//! Reporting a post or a reply to the moderators, with a reason (and a note for "other").

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::error::ErrorCode;
use quanzi_core::moderation::{ReportNote, ReportReason, ReportRequest, Target};

use super::Talk;

const REASONS: [ReportReason; 4] = [
    ReportReason::Spam,
    ReportReason::Abuse,
    ReportReason::OffTopic,
    ReportReason::Other,
];

/// Where the report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sent {
    Not,
    Sending,
    Done,
}

/// A "Report" button that opens a small form in place.
#[component]
pub fn ReportButton(target: Target) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let client = expect_context::<Client>();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(ReportReason::Spam);
    let note = RwSignal::new(String::new());
    let sent = RwSignal::new(Sent::Not);
    let error = RwSignal::new(None::<&'static str>);
    let target = StoredValue::new(target);
    // One form per button: its ids must be unique in the shadow root.
    let form_id = StoredValue::new(match target.get_value() {
        Target::Post { thread } => format!("qz-report-{thread}"),
        Target::Reply { reply, .. } => format!("qz-report-{reply}"),
        Target::Member { member } => format!("qz-report-m-{member}"),
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(token) = talk.token.get_untracked() else {
            return;
        };
        let tt = t.get_untracked();
        let Ok(note) = ReportNote::parse(note.get_untracked().trim()) else {
            error.set(Some(tt.report_note_too_long()));
            return;
        };
        let reason = reason.get_untracked();
        if reason == ReportReason::Other && note.as_str().is_empty() {
            error.set(Some(tt.report_needs_note()));
            return;
        }
        let request = ReportRequest {
            target: target.get_value(),
            reason,
            note,
        };
        sent.set(Sent::Sending);
        error.set(None);
        let client = client.clone();
        leptos::task::spawn_local(async move {
            match client.report(&talk.slug(), &token, &request).await {
                Ok(_) => {
                    sent.set(Sent::Done);
                    open.set(false);
                }
                Err(err) if err.code == ErrorCode::Conflict => {
                    error.set(Some(t.get_untracked().report_already()));
                    sent.set(Sent::Not);
                }
                Err(err) => {
                    error.set(Some(t.get_untracked().talk_error(err.code)));
                    sent.set(Sent::Not);
                }
            }
        });
    };

    let options = move || {
        let name = form_id.get_value();
        REASONS
            .into_iter()
            .map(|r| {
                let name = name.clone();
                view! {
                    <label class="qz-radio">
                        <input
                            type="radio"
                            name=name
                            prop:checked=move || reason.get() == r
                            on:change=move |_| reason.set(r)
                        />
                        <span>{t.get_untracked().report_reason(r)}</span>
                    </label>
                }
            })
            .collect_view()
    };

    view! {
        <span class="qz-report">
            <button
                type="button"
                class="qz-link-button"
                data-testid="report-button"
                aria-expanded=move || open.get().to_string()
                aria-controls=form_id.get_value()
                disabled=move || sent.get() == Sent::Done
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if sent.get() == Sent::Done { t.get().report_done() } else { t.get().report_open() }}
            </button>
            <span class="qz-visually-hidden" role="status">
                {move || (sent.get() == Sent::Done).then(|| t.get().report_thanks())}
            </span>
            <form
                id=form_id.get_value()
                class="qz-report-form"
                hidden=move || !open.get()
                on:submit=submit
                data-testid="report-form"
            >
                <fieldset>
                    <legend>{t.get_untracked().report_why()}</legend>
                    {options}
                </fieldset>
                <label class="qz-field">
                    <span>{t.get_untracked().report_note()}</span>
                    <textarea rows="2" maxlength="500" bind:value=note></textarea>
                </label>
                <p class="qz-form-error" role="alert">{move || error.get()}</p>
                <div class="qz-form-actions">
                    <button type="button" class="qz-button qz-button-quiet" on:click=move |_| open.set(false)>
                        {t.get_untracked().talk_cancel()}
                    </button>
                    <button type="submit" class="qz-button" data-testid="report-submit" disabled=move || sent.get() == Sent::Sending>
                        {t.get_untracked().report_send()}
                    </button>
                </div>
            </form>
        </span>
    }
}
