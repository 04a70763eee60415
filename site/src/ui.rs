//! Small pieces every screen uses: loading and error states, a copy button, a code block.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::ctx;

/// "Loading…", announced to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    let ctx = ctx();
    view! { <p role="status" class="qd-muted qd-loading">{move || ctx.t().loading()}</p> }
}

/// A refusal or failure, announced; nothing while `message` is `None`.
#[component]
pub fn ErrorNote(
    /// What went wrong, in the marketer's language.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// The `data-testid` of the note.
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! { <p role="alert" class="qd-error" data-testid=testid>{m}</p> }
        })
    }
}

/// A calm confirmation ("Saved"), announced politely.
#[component]
pub fn Saved(
    /// Shown while `Some`.
    #[prop(into)]
    message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p class="qd-saved" role="status" aria-live="polite">{move || message.get()}</p>
    }
}

/// Writes `text` to the clipboard; the label says when it is done (or that it failed, so
/// the marketer selects the text by hand).
#[component]
pub fn CopyButton(
    /// What to copy.
    #[prop(into)]
    text: Signal<String>,
    /// The accessible name, e.g. "Copy the embed code".
    #[prop(into)]
    label: Signal<String>,
    /// The `data-testid` of the button.
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Idle,
        Copied,
        Failed,
    }
    let state = RwSignal::new(State::Idle);
    // A new text has not been copied yet.
    Effect::new(move |_| {
        text.track();
        state.set(State::Idle);
    });
    let copy = move |_| {
        let value = text.get_untracked();
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&value);
        leptos::task::spawn_local(async move {
            let done = JsFuture::from(promise).await.is_ok();
            state.set(if done { State::Copied } else { State::Failed });
        });
    };
    view! {
        <button type="button" class="qd-button qd-secondary qd-small" on:click=copy
            aria-label=move || label.get() data-testid=testid
            data-copied=move || (state.get() == State::Copied).to_string()>
            {move || match state.get() {
                State::Idle => ctx.t().copy(),
                State::Copied => ctx.t().copied(),
                State::Failed => ctx.t().copy_failed(),
            }}
        </button>
    }
}

/// A block of code with its copy button.
#[component]
pub fn CodeBlock(
    /// The code.
    #[prop(into)]
    code: Signal<String>,
    /// The copy button's accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// The `data-testid` of the `<pre>`.
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="qd-code">
            <pre tabindex="0" data-testid=testid aria-label=move || label.get()><code>{move || code.get()}</code></pre>
            <CopyButton text=code label=label/>
        </div>
    }
}

/// A destructive action asked once more, under the control that opened it: the question,
/// the action and the way back. "Keep" takes the focus when the box opens (a held Enter on
/// the opener cannot run into the action); the action is a Shift+Tab away.
#[component]
pub fn ConfirmBox(
    /// Shown while `true`; "keep" sets it back.
    open: RwSignal<bool>,
    /// What is about to happen, in the marketer's language.
    #[prop(into)]
    question: Signal<String>,
    /// The action's label ("Delete").
    #[prop(into)]
    confirm: Signal<String>,
    /// The way back ("Keep it").
    #[prop(into)]
    keep: Signal<String>,
    /// While the action runs: the action is disabled and says it is busy.
    #[prop(into)]
    busy: Signal<bool>,
    on_confirm: Callback<()>,
    /// The `data-testid` of the box.
    testid: &'static str,
) -> impl IntoView {
    let keep_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(button) = keep_button.get()
        {
            let _ = button.focus();
        }
    });
    // Several rows may have their box open at once: each question its own id.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let text_id = format!("{testid}-text-{n}");
    view! {
        <Show when=move || open.get()>
            <div class="qd-card qd-confirm" role="alertdialog" aria-labelledby=text_id.clone() data-testid=testid>
                <p id=text_id.clone()>{move || question.get()}</p>
                <div class="qd-actions">
                    <button type="button" class="qd-button qd-danger qd-small"
                        disabled=move || busy.get() aria-busy=move || busy.get().to_string()
                        on:click=move |_| on_confirm.run(())>
                        {move || confirm.get()}
                    </button>
                    <button type="button" class="qd-button qd-ghost qd-small" node_ref=keep_button
                        on:click=move |_| open.set(false)>
                        {move || keep.get()}
                    </button>
                </div>
            </div>
        </Show>
    }
}
