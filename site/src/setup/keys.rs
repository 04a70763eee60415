//! Step 4: member sign-in. The brand's server signs its members in with a secret key; a new
//! secret is shown once. Rotating adds a second key, so both work while the server moves
//! to the new one (at most two are active: a third retires the oldest).

use leptos::prelude::*;
use quanzi_core::sso::NewSsoKey;

use super::{StepFooter, StepHead, setup};
use crate::community_page::community;
use crate::route::Step;
use crate::snippets::{node_signing, page_sign_in, python_signing};
use crate::time;
use crate::ui::{CodeBlock, CopyButton, ErrorNote};
use crate::{client, ctx};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Language {
    Node,
    Python,
}

#[component]
pub fn Keys() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let data = setup();
    let community = community();
    let fresh = RwSignal::new(None::<NewSsoKey>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let language = RwSignal::new(Language::Node);

    let create = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = data.community.slug();
        leptos::task::spawn_local(async move {
            let result = client().add_sso_key(&csrf, slug.as_str()).await;
            busy.set(false);
            match result {
                Ok(key) => {
                    data.keys.set(key.active.clone());
                    data.mark(Step::Keys);
                    fresh.set(Some(key));
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };
    // The newest key names itself in the snippets.
    let kid = Memo::new(move |_| {
        data.keys
            .with(|k| k.last().map(|k| k.kid.as_str().to_owned()))
            .unwrap_or_else(|| "YOUR_KEY_ID".to_owned())
    });
    let slug = community.slug().to_string();
    let code = {
        let slug = slug.clone();
        Signal::derive(move || match language.get() {
            Language::Node => node_signing(&slug, &kid.get()),
            Language::Python => python_signing(&slug, &kid.get()),
        })
    };
    let tab = move |value: Language, label: &'static str| {
        view! {
            <button type="button" role="tab" class="qd-tab"
                aria-selected=move || (language.get() == value).to_string()
                on:click=move |_| language.set(value)>
                {label}
            </button>
        }
    };

    view! {
        <StepHead step=Step::Keys/>
        <div class="qd-form-grid">
            <div>
                <h3>{move || t().active_keys()}</h3>
                <Show
                    when=move || !data.keys.with(Vec::is_empty)
                    fallback=move || view! { <p class="qd-empty" data-testid="no-keys">{move || t().no_keys()}</p> }
                >
                    <ul class="qd-key-list" data-testid="key-list">
                        <For each=move || data.keys.get() key=|k| k.kid.clone() let:key>
                            <li>
                                <code data-testid="key-id">{key.kid.to_string()}</code>
                                <span class="qd-muted">
                                    {move || t().created_at(&time::show(key.created_at, community.time_zone()))}
                                </span>
                            </li>
                        </For>
                    </ul>
                </Show>
            </div>
            {move || fresh.get().map(|key| {
                let secret = key.secret.clone();
                view! {
                    <div class="qd-secret" role="region" aria-labelledby="secret-title" data-testid="new-secret">
                        <h3 id="secret-title">{move || t().new_secret_title(key.kid.as_str())}</h3>
                        <p>{move || t().secret_once()}</p>
                        <div class="qd-snippet">
                            <code data-testid="secret-value">{secret.clone()}</code>
                            <CopyButton text=Signal::derive(move || secret.clone())
                                label=Signal::derive(move || ctx.t().copy_secret().to_owned()) testid="copy-secret"/>
                        </div>
                    </div>
                }
            })}
            <div class="qd-actions">
                <button type="button" class="qd-button" on:click=create disabled=move || busy.get() data-testid="create-key">
                    {move || match (busy.get(), data.keys.with(Vec::len)) {
                        (true, _) => t().please_wait(),
                        (false, 0) => t().create_key(),
                        (false, _) => t().rotate_key(),
                    }}
                </button>
                <span class="qd-hint">{move || t().rotate_hint()}</span>
            </div>
            <ErrorNote message=error testid="keys-error"/>
            <div>
                <h3>{move || t().signing_code()}</h3>
                <p class="qd-muted">{move || t().signing_code_intro()}</p>
                <div class="qd-tabs" role="tablist" aria-label=move || t().server_language()>
                    {tab(Language::Node, "Node.js")}
                    {tab(Language::Python, "Python")}
                </div>
                <div role="tabpanel">
                    <CodeBlock code=code label=Signal::derive(move || ctx.t().copy_signing_code().to_owned()) testid="signing-code"/>
                </div>
                <p class="qd-muted">{move || t().page_sign_in_intro()}</p>
                <CodeBlock code=Signal::derive(|| page_sign_in().to_owned())
                    label=Signal::derive(move || ctx.t().copy_page_code().to_owned())/>
            </div>
            <StepFooter step=Step::Keys busy=busy primary=|t| t.continue_() on_next=Callback::new(move |_| data.go_on(Step::Keys))/>
        </div>
    }
}
