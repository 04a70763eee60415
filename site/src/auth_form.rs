//! Sign in, or create an account.

use leptos::prelude::*;
use quanzi_core::accounts::{Email, Password};
use quanzi_core::community::Locale;

use crate::ui::ErrorNote;
use crate::{SessionState, client, ctx};

/// Email and password sign-in, with a switch to sign-up (which also asks for a name).
#[component]
pub fn AuthForm() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let signing_up = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (email, name, password, up) = (
            email.get_untracked(),
            name.get_untracked(),
            password.get_untracked(),
            signing_up.get_untracked(),
        );
        let text = ctx.t();
        // The same rules the API applies, told before the round trip.
        let problem = if Email::parse(&email).is_err() {
            Some(text.bad_email())
        } else if up && name.trim().is_empty() {
            Some(text.name_needed())
        } else if up && Password::parse(&password).is_err() {
            Some(text.password_rule())
        } else {
            None
        };
        if let Some(problem) = problem {
            error.set(Some(problem.to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = if up {
                client().sign_up(&email, &name, &password).await
            } else {
                client().login(&email, &password).await
            };
            busy.set(false);
            match result {
                Ok(me) => ctx.session.set(SessionState::SignedIn(me)),
                Err(err) => error.set(Some(ctx.t().auth_error(&err))),
            }
        });
    };

    view! {
        <section class="qd-card qd-auth" aria-labelledby="auth-title">
            <p class="qd-eyebrow">{move || t().tagline()}</p>
            <h1 id="auth-title">{move || if signing_up.get() { t().create_account_title() } else { t().sign_in_title() }}</h1>
            <form on:submit=submit novalidate>
                <label>
                    {move || t().email()}
                    <input type="email" name="email" autocomplete="username" required
                        prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <Show when=move || signing_up.get()>
                    <label>
                        {move || t().your_name()}
                        <input type="text" name="name" autocomplete="name" required maxlength="60"
                            prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                    </label>
                </Show>
                <div class="qd-field">
                    <label>
                        {move || t().password()}
                        <input type="password" name="password" required minlength="10"
                            aria-describedby=move || signing_up.get().then_some("password-hint")
                            autocomplete=move || if signing_up.get() { "new-password" } else { "current-password" }
                            prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                    </label>
                    <Show when=move || signing_up.get()>
                        <span class="qd-hint" id="password-hint">{move || t().password_rule()}</span>
                    </Show>
                </div>
                <ErrorNote message=error testid="auth-error"/>
                <button type="submit" class="qd-button" disabled=move || busy.get()>
                    {move || match (busy.get(), signing_up.get()) {
                        (true, _) => t().please_wait(),
                        (false, true) => t().create_account(),
                        (false, false) => t().sign_in(),
                    }}
                </button>
            </form>
            <p class="qd-muted">
                {move || if signing_up.get() { t().have_account() } else { t().new_here() }}
                " "
                <button type="button" class="qd-link" on:click=move |_| { signing_up.update(|s| *s = !*s); error.set(None); }>
                    {move || if signing_up.get() { t().sign_in() } else { t().create_an_account() }}
                </button>
            </p>
            <p class="qd-muted qd-small-print" lang=move || if ctx.locale.get() == Locale::ZhCn { "en" } else { "zh-CN" }>
                {move || t().other_language_hint()}
            </p>
        </section>
    }
}
