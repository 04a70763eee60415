//! The marketer's own account: their password.

use leptos::prelude::*;
use quanzi_core::accounts::Password;
use quanzi_core::error::ErrorCode;

use crate::ui::{ErrorNote, Saved};
use crate::{SessionState, client, ctx};

#[component]
pub fn AccountPage() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        saved.set(None);
        let text = ctx.t();
        let (old, fresh) = (current.get_untracked(), new.get_untracked());
        let problem = if old.is_empty() {
            Some(text.current_password_needed())
        } else if Password::parse(&fresh).is_err() {
            Some(text.password_rule())
        } else if fresh != again.get_untracked() {
            Some(text.passwords_differ())
        } else {
            None
        };
        if let Some(problem) = problem {
            error.set(Some(problem.to_owned()));
            return;
        }
        error.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        leptos::task::spawn_local(async move {
            let result = client().change_password(&csrf, &old, &fresh).await;
            busy.set(false);
            match result {
                Ok(me) => {
                    ctx.session.set(SessionState::SignedIn(me));
                    current.set(String::new());
                    new.set(String::new());
                    again.set(String::new());
                    saved.set(Some(ctx.t().password_changed().to_owned()));
                }
                Err(err) if err.code == ErrorCode::Forbidden => {
                    error.set(Some(ctx.t().current_password_wrong().to_owned()));
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <nav class="qd-crumbs" aria-label=move || t().breadcrumbs()>
            <a href="#/">{move || t().your_communities()}</a>
        </nav>
        <h1>{move || t().account()}</h1>
        <section class="qd-card qd-narrow" aria-labelledby="password-title">
            <h2 id="password-title">{move || t().change_password()}</h2>
            <p class="qd-muted">{move || t().change_password_intro()}</p>
            <form on:submit=submit novalidate>
                <label>
                    {move || t().current_password()}
                    <input type="password" autocomplete="current-password" required
                        prop:value=current on:input=move |ev| current.set(event_target_value(&ev))/>
                </label>
                <div class="qd-field">
                    <label>
                        {move || t().new_password()}
                        <input type="password" autocomplete="new-password" required minlength="10"
                            aria-describedby="new-password-hint"
                            prop:value=new on:input=move |ev| new.set(event_target_value(&ev))/>
                    </label>
                    <span class="qd-hint" id="new-password-hint">{move || t().password_rule()}</span>
                </div>
                <label>
                    {move || t().repeat_password()}
                    <input type="password" autocomplete="new-password" required
                        prop:value=again on:input=move |ev| again.set(event_target_value(&ev))/>
                </label>
                <ErrorNote message=error testid="password-error"/>
                <Saved message=saved/>
                <div class="qd-actions">
                    <button type="submit" class="qd-button" disabled=move || busy.get()>
                        {move || if busy.get() { t().please_wait() } else { t().change_password() }}
                    </button>
                </div>
            </form>
        </section>
    }
}
