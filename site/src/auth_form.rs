//! Sign in, or create an account.

use leptos::prelude::*;

use crate::{SessionState, client};

/// Email and password sign-in, with a switch to sign-up (which also asks for a name).
#[component]
pub fn AuthForm() -> impl IntoView {
    let session = expect_context::<RwSignal<SessionState>>();
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
        busy.set(true);
        error.set(None);
        let (email, name, password, up) = (
            email.get_untracked(),
            name.get_untracked(),
            password.get_untracked(),
            signing_up.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let result = if up {
                client().sign_up(&email, &name, &password).await
            } else {
                client().login(&email, &password).await
            };
            busy.set(false);
            match result {
                Ok(me) => session.set(SessionState::SignedIn(me)),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };

    view! {
        <section class="qd-card qd-auth">
            <h1>{move || if signing_up.get() { "Create your Quanzi account" } else { "Sign in to Quanzi" }}</h1>
            <form on:submit=submit>
                <label>
                    "Email"
                    <input type="email" name="email" autocomplete="username" required
                        prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <Show when=move || signing_up.get()>
                    <label>
                        "Your name"
                        <input type="text" name="name" autocomplete="name" required
                            prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                    </label>
                </Show>
                <label>
                    "Password"
                    <input type="password" name="password" required minlength="10"
                        autocomplete=move || if signing_up.get() { "new-password" } else { "current-password" }
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                <Show when=move || error.get().is_some()>
                    <p role="alert" class="qd-error" data-testid="auth-error">{move || error.get()}</p>
                </Show>
                <button type="submit" class="qd-button" disabled=move || busy.get()>
                    {move || match (busy.get(), signing_up.get()) {
                        (true, _) => "Please wait…",
                        (false, true) => "Create account",
                        (false, false) => "Sign in",
                    }}
                </button>
            </form>
            <p class="qd-muted">
                {move || if signing_up.get() { "Already have an account? " } else { "New to Quanzi? " }}
                <button type="button" class="qd-link" on:click=move |_| { signing_up.update(|s| *s = !*s); error.set(None); }>
                    {move || if signing_up.get() { "Sign in" } else { "Create an account" }}
                </button>
            </p>
        </section>
    }
}
