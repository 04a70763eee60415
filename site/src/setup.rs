//! The guided setup of a community: six steps with their progress, each saved on its own,
//! any of them skipped and come back to. It opens right after a community is created.

mod basics;
mod embed;
mod joining;
mod keys;
mod origins;
mod preview;
mod theme;

use std::collections::BTreeSet;

use leptos::prelude::*;
use quanzi_core::api::CommunitySettings;
use quanzi_core::community::Theme;
use quanzi_core::join::{JoinMode, JoinPolicy};
use quanzi_core::sso::SsoKeyView;

use crate::community_page::{Community, community};
use crate::route::{Section, Step, navigate};
use crate::ui::{ErrorNote, Loading};
use crate::{client, ctx};

/// What the steps edit, loaded once when the setup opens.
#[derive(Clone, Copy)]
pub struct SetupData {
    pub settings: RwSignal<CommunitySettings>,
    pub keys: RwSignal<Vec<SsoKeyView>>,
    pub policy: RwSignal<JoinPolicy>,
    /// Steps the marketer saved or finished on this browser.
    marked: RwSignal<BTreeSet<&'static str>>,
    pub community: Community,
}

fn progress_key(community: Community) -> String {
    format!("quanzi.dashboard.setup.{}", community.slug())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

impl SetupData {
    /// Whether `step` is done: saved on this browser, or visibly so in the community's state
    /// (a slogan or logo, rules or screening, origins, a key, a theme of its own).
    pub fn is_done(self, step: Step) -> bool {
        let state = match step {
            Step::Basics => self
                .settings
                .with(|s| !s.slogan.as_str().is_empty() || s.logo.is_some()),
            Step::Joining => self.policy.with(|p| {
                p.mode() == JoinMode::Screening
                    || !p.rules().as_str().is_empty()
                    || !p.welcome().as_str().is_empty()
            }),
            Step::Origins => !self.settings.with(|s| s.allowed_origins.is_empty()),
            Step::Keys => !self.keys.with(Vec::is_empty),
            Step::Theme => self.settings.with(|s| s.theme != Theme::default()),
            Step::Embed => false,
        };
        state || self.marked.with(|m| m.contains(step.slug()))
    }

    /// Opens the step after `step` (the last one stays).
    pub fn go_on(self, step: Step) {
        if let Some(next) = step.next() {
            navigate(&self.community.route(Section::Setup(next)));
        }
    }

    /// Remembers that `step` was done (on this browser).
    pub fn mark(self, step: Step) {
        self.marked.update(|m| {
            m.insert(step.slug());
        });
        let joined: Vec<&str> = self.marked.with_untracked(|m| m.iter().copied().collect());
        if let Some(s) = storage() {
            let _ = s.set_item(&progress_key(self.community), &joined.join(","));
        }
    }
}

pub fn setup() -> SetupData {
    expect_context::<SetupData>()
}

/// Saves the settings with `change` applied; on success remembers them (and refreshes the
/// page's copy of the public view), marks `step` done and goes on to the next one.
pub fn save_settings(
    step: Step,
    change: impl FnOnce(&mut CommunitySettings),
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) {
    let ctx = ctx();
    let data = setup();
    let community = data.community;
    let mut settings = data.settings.get_untracked();
    change(&mut settings);
    busy.set(true);
    error.set(None);
    let csrf = ctx.csrf();
    leptos::task::spawn_local(async move {
        let result = client()
            .put_settings(&csrf, community.slug().as_str(), &settings)
            .await;
        busy.set(false);
        match result {
            Ok(_) => {
                data.settings.set(settings);
                community.view.refetch();
                data.mark(step);
                data.go_on(step);
            }
            Err(err) => error.set(Some(ctx.fail(&err))),
        }
    });
}

#[component]
pub fn Setup(
    /// The open step.
    step: Memo<Step>,
    /// Whether the marketer may change the settings (owner or admin).
    can_edit: Signal<bool>,
) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let loaded = LocalResource::new(move || async move {
        let slug = community.slug();
        let api = client();
        let settings = api.settings(slug.as_str()).await?;
        let keys = api.sso_keys(slug.as_str()).await?;
        let policy = api.join_policy(slug.as_str()).await?;
        Ok::<_, quanzi_core::error::ApiError>((settings, keys, policy))
    });

    view! {
        <Show
            when=move || can_edit.get()
            fallback=move || view! {
                <section class="qd-card" data-testid="setup-not-allowed">
                    <h2>{move || t().setup()}</h2>
                    <p class="qd-muted">{move || t().setup_owners_only()}</p>
                </section>
            }
        >
            {move || match loaded.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => {
                    let message = ctx.fail(&err);
                    view! {
                        <div class="qd-card">
                            <ErrorNote message=Signal::derive(move || Some(message.clone())) testid="setup-error"/>
                            <button type="button" class="qd-button qd-secondary" on:click=move |_| loaded.refetch()>
                                {move || t().retry()}
                            </button>
                        </div>
                    }.into_any()
                }
                Some(Ok((settings, keys, policy))) => {
                    let marked: BTreeSet<&'static str> = storage()
                        .and_then(|s| s.get_item(&progress_key(community)).ok().flatten())
                        .map(|saved| {
                            Step::ALL
                                .into_iter()
                                .map(Step::slug)
                                .filter(|slug| saved.split(',').any(|s| s == *slug))
                                .collect()
                        })
                        .unwrap_or_default();
                    let data = SetupData {
                        settings: RwSignal::new(settings),
                        keys: RwSignal::new(keys),
                        policy: RwSignal::new(policy),
                        marked: RwSignal::new(marked),
                        community,
                    };
                    provide_context(data);
                    view! { <Wizard step=step/> }.into_any()
                }
            }}
        </Show>
    }
}

/// The steps with their progress, and the open step.
#[component]
fn Wizard(step: Memo<Step>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let data = setup();
    let community = community();
    let done_count = Memo::new(move |_| Step::ALL.into_iter().filter(|s| data.is_done(*s)).count());
    let total = Step::ALL.len();

    let step_link = move |s: Step| {
        let number = s.index() + 1;
        view! {
            <li class="qd-step" class:qd-step-done=move || data.is_done(s)>
                <a href=community.href(Section::Setup(s))
                    aria-current=move || (step.get() == s).then_some("step")>
                    <span class="qd-step-mark" aria-hidden="true">
                        {move || if data.is_done(s) { "✓".to_owned() } else { number.to_string() }}
                    </span>
                    <span class="qd-step-label">{move || t().step_name(s)}</span>
                    <span class="qd-visually-hidden">{move || if data.is_done(s) { t().done_suffix() } else { "" }}</span>
                </a>
            </li>
        }
    };

    view! {
        <div class="qd-setup">
            <div class="qd-setup-head">
                <h2>{move || t().setup_title()}</h2>
                <p class="qd-muted" id="setup-progress-label">{move || t().setup_progress(done_count.get(), total)}</p>
                <div class="qd-progress" role="progressbar" aria-labelledby="setup-progress-label"
                    aria-valuemin="0" aria-valuemax=total.to_string()
                    aria-valuenow=move || done_count.get().to_string() data-testid="setup-progress">
                    <span style=move || format!("width:{}%", done_count.get() * 100 / total)></span>
                </div>
            </div>
            <ol class="qd-steps" aria-label=move || t().setup_steps()>
                {Step::ALL.into_iter().map(step_link).collect_view()}
            </ol>
            <section class="qd-card qd-step-panel" aria-labelledby="step-title" data-testid="setup-step">
                {move || match step.get() {
                    Step::Basics => view! { <basics::Basics/> }.into_any(),
                    Step::Joining => view! { <joining::Joining/> }.into_any(),
                    Step::Origins => view! { <origins::Origins/> }.into_any(),
                    Step::Keys => view! { <keys::Keys/> }.into_any(),
                    Step::Theme => view! { <theme::ThemeStep/> }.into_any(),
                    Step::Embed => view! { <embed::Embed/> }.into_any(),
                }}
            </section>
        </div>
    }
}

/// A step's heading and its explanation.
#[component]
pub fn StepHead(step: Step) -> impl IntoView {
    let ctx = ctx();
    view! {
        <p class="qd-eyebrow">{move || ctx.t().step_of(step.index() + 1, Step::ALL.len())}</p>
        <h2 id="step-title" tabindex="-1">{move || ctx.t().step_name(step)}</h2>
        <p class="qd-muted">{move || ctx.t().step_intro(step)}</p>
    }
}

/// Back, skip, and the step's main button (a form's submit button, or `on_next`).
#[component]
pub fn StepFooter(
    step: Step,
    /// While a save is under way.
    #[prop(into)]
    busy: Signal<bool>,
    /// The main button's label; default "Save and continue".
    #[prop(optional)]
    primary: Option<fn(crate::i18n::Text) -> &'static str>,
    /// Without it the main button submits the surrounding form.
    #[prop(optional)]
    on_next: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let label = move || match primary {
        Some(label) => label(ctx.t()),
        None => ctx.t().save_and_continue(),
    };
    let main = match on_next {
        Some(next) => view! {
            <button type="button" class="qd-button" disabled=move || busy.get() on:click=move |_| next.run(())>
                {label}
            </button>
        }
        .into_any(),
        None => view! {
            <button type="submit" class="qd-button" disabled=move || busy.get()>
                {move || if busy.get() { t().saving() } else { label() }}
            </button>
        }
        .into_any(),
    };
    view! {
        <div class="qd-step-footer">
            {step.previous().map(|prev| view! {
                <a class="qd-button qd-ghost" href=community.href(Section::Setup(prev))>{move || t().back()}</a>
            })}
            <span class="qd-spacer"></span>
            {step.next().map(|next| view! {
                <a class="qd-button qd-ghost" href=community.href(Section::Setup(next))>{move || t().skip_for_now()}</a>
            })}
            {main}
        </div>
    }
}
