//! Step 2: the rules members accept, and how they get in: at once, or by answering
//! screening questions and waiting for approval; and whether posting needs a verified phone.

use leptos::prelude::*;
use quanzi_core::join::{JoinMode, JoinPolicy, Question, RulesText, WelcomeText};

use super::{StepFooter, StepHead, setup};
use crate::route::Step;
use crate::ui::ErrorNote;
use crate::{client, ctx};

#[component]
pub fn Joining() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let data = setup();
    let saved = data.policy.get_untracked();
    let mode = RwSignal::new(saved.mode());
    let rules = RwSignal::new(saved.rules().to_string());
    let welcome = RwSignal::new(saved.welcome().to_string());
    // Each question with a stable key for the list.
    let next_key = StoredValue::new(saved.questions().len());
    let questions = RwSignal::new(
        saved
            .questions()
            .iter()
            .enumerate()
            .map(|(i, q)| (i, RwSignal::new(q.to_string())))
            .collect::<Vec<_>>(),
    );
    let phone_required = RwSignal::new(
        data.settings
            .with_untracked(|s| s.posting_requires_phone_verified),
    );
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let add = move || {
        if questions.with(Vec::len) >= JoinPolicy::MAX_QUESTIONS {
            return;
        }
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        questions.update(|qs| qs.push((key, RwSignal::new(String::new()))));
    };
    let add_question = move |_| add();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = ctx.t();
        let mode_now = mode.get_untracked();
        let parsed = (|| {
            let rules = RulesText::parse(&rules.get_untracked()).map_err(|_| text.rules_rule())?;
            let welcome =
                WelcomeText::parse(&welcome.get_untracked()).map_err(|_| text.welcome_rule())?;
            let asked = match mode_now {
                JoinMode::Open => Vec::new(),
                JoinMode::Screening => questions
                    .get_untracked()
                    .into_iter()
                    .map(|(_, q)| q.get_untracked())
                    .filter(|q| !q.trim().is_empty())
                    .map(|q| Question::parse(&q).map_err(|_| text.question_rule()))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            if mode_now == JoinMode::Screening && asked.is_empty() {
                return Err(text.screening_needs_question());
            }
            JoinPolicy::new(mode_now, rules, asked, welcome).map_err(|_| text.question_rule())
        })();
        let policy = match parsed {
            Ok(policy) => policy,
            Err(message) => {
                error.set(Some(message.to_owned()));
                return;
            }
        };
        error.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        let slug = data.community.slug();
        // The posting rule is a community setting: saved too when it changed.
        let phone = phone_required.get_untracked();
        let settings = data
            .settings
            .with_untracked(|s| s.posting_requires_phone_verified != phone)
            .then(|| {
                let mut settings = data.settings.get_untracked();
                settings.posting_requires_phone_verified = phone;
                settings
            });
        leptos::task::spawn_local(async move {
            let api = client();
            let result = api.put_join_policy(&csrf, slug.as_str(), &policy).await;
            let result = match (result, settings) {
                (Ok(saved), Some(settings)) => {
                    data.policy.set(saved);
                    let put = api.put_settings(&csrf, slug.as_str(), &settings).await;
                    put.map(|_| {
                        data.settings.set(settings);
                        data.community.view.refetch();
                    })
                }
                (Ok(saved), None) => {
                    data.policy.set(saved);
                    Ok(())
                }
                (Err(err), _) => Err(err),
            };
            busy.set(false);
            match result {
                Ok(()) => {
                    data.mark(Step::Joining);
                    data.go_on(Step::Joining);
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    let mode_choice = move |value: JoinMode,
                            label: fn(crate::i18n::Text) -> &'static str,
                            hint: fn(crate::i18n::Text) -> &'static str| {
        view! {
            <label class="qd-choice">
                <input type="radio" name="join-mode" prop:checked=move || mode.get() == value
                    on:change=move |_| {
                        mode.set(value);
                        if value == JoinMode::Screening && questions.with(Vec::is_empty) {
                            add();
                        }
                    }/>
                <span>
                    <strong>{move || label(ctx.t())}</strong>
                    <span class="qd-hint">{move || hint(ctx.t())}</span>
                </span>
            </label>
        }
    };

    view! {
        <StepHead step=Step::Joining/>
        <form on:submit=submit novalidate class="qd-form-grid">
            <label>
                {move || t().rules()}
                <textarea name="rules" rows="6" maxlength="5000" placeholder=move || t().rules_placeholder()
                    prop:value=rules on:input=move |ev| rules.set(event_target_value(&ev))></textarea>
            </label>
            <fieldset class="qd-fieldset">
                <legend>{move || t().join_mode()}</legend>
                {mode_choice(JoinMode::Open, |t| t.join_open(), |t| t.join_open_hint())}
                {mode_choice(JoinMode::Screening, |t| t.join_screening(), |t| t.join_screening_hint())}
            </fieldset>
            <Show when=move || mode.get() == JoinMode::Screening>
                <fieldset class="qd-fieldset" data-testid="screening-questions">
                    <legend>{move || t().screening_questions()}</legend>
                    <For each=move || questions.get() key=|(k, _)| *k let:item>
                        {
                            let (key, text) = item;
                            let position = move || questions.with(|qs| qs.iter().position(|(k, _)| *k == key).unwrap_or(0) + 1);
                            view! {
                                <div class="qd-inline">
                                    <label class="qd-grow">
                                        <span class="qd-visually-hidden">{move || t().question_n(position())}</span>
                                        <input type="text" maxlength="200" placeholder=move || t().question_placeholder()
                                            aria-label=move || t().question_n(position())
                                            prop:value=text on:input=move |ev| text.set(event_target_value(&ev))/>
                                    </label>
                                    <button type="button" class="qd-button qd-ghost qd-small"
                                        aria-label=move || t().remove_question_n(position())
                                        on:click=move |_| questions.update(|qs| qs.retain(|(k, _)| *k != key))>
                                        {move || t().remove()}
                                    </button>
                                </div>
                            }
                        }
                    </For>
                    <button type="button" class="qd-button qd-secondary qd-small" on:click=add_question
                        disabled=move || { questions.with(Vec::len) >= JoinPolicy::MAX_QUESTIONS }>
                        {move || t().add_question()}
                    </button>
                    <span class="qd-hint">{move || t().questions_limit(JoinPolicy::MAX_QUESTIONS)}</span>
                </fieldset>
            </Show>
            <label>
                {move || t().welcome_message()}
                <textarea name="welcome" rows="2" maxlength="500" placeholder=move || t().welcome_placeholder()
                    prop:value=welcome on:input=move |ev| welcome.set(event_target_value(&ev))></textarea>
            </label>
            <label class="qd-choice">
                <input type="checkbox" name="posting-requires-phone" prop:checked=phone_required
                    on:change=move |ev| phone_required.set(event_target_checked(&ev))/>
                <span>
                    <strong>{move || t().phone_rule_label()}</strong>
                    <span class="qd-hint">{move || t().phone_rule_hint()}</span>
                </span>
            </label>
            <ErrorNote message=error testid="joining-error"/>
            <StepFooter step=Step::Joining busy=busy/>
        </form>
    }
}
