//! Joining from the widget: where the signed-in member stands with the community's join
//! policy ([`Standing`]), and [`WriteGate`], which shows a composer only to members who
//! may write and otherwise what comes first: signing in through the brand, accepting the
//! rules and answering the screening questions, waiting for review, or a ban.

use leptos::prelude::*;
use quanzi_client::Client;
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::join::{AnswerText, JoinMode, JoinPolicy, JoinRequest, MembershipState};

use crate::talk::Talk;

/// Where the member stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Nobody is signed in.
    Anonymous,
    Loading,
    Known {
        policy: JoinPolicy,
        state: MembershipState,
        /// What to tell a member who just got in (shown once, until dismissed).
        welcome: Option<String>,
    },
    Failed(ErrorCode),
}

/// Whether the policy asks something of a member before they write.
fn needs_join(policy: &JoinPolicy) -> bool {
    policy.mode() == JoinMode::Screening || !policy.rules().as_str().trim().is_empty()
}

impl Standing {
    /// A member, or a signed-in visitor of a community that asks nothing first.
    pub fn may_write(&self) -> bool {
        match self {
            Self::Known { state, policy, .. } => match state {
                MembershipState::Member { .. } => true,
                MembershipState::None => !needs_join(policy),
                MembershipState::Pending { .. } | MembershipState::Banned { .. } => false,
            },
            Self::Anonymous | Self::Loading | Self::Failed(_) => false,
        }
    }
}

async fn load(client: &Client, slug: &str, token: &str) -> Result<Standing, ApiError> {
    let policy = client.join_policy(slug).await?;
    let state = client.my_membership(slug, token).await?;
    Ok(Standing::Known {
        policy,
        state,
        welcome: None,
    })
}

/// Keeps `talk.standing` in step with the member's token.
pub fn follow_standing(talk: Talk) {
    let client = expect_context::<Client>();
    Effect::new(move |_| match talk.token.get() {
        None => talk.standing.set(Standing::Anonymous),
        Some(token) => {
            talk.standing.set(Standing::Loading);
            refresh(&client, talk, token);
        }
    });
}

/// Reads the member's standing again; a member who was waiting and is now in is welcomed.
fn refresh(client: &Client, talk: Talk, token: String) {
    let client = client.clone();
    leptos::task::spawn_local(async move {
        let was_pending = matches!(
            talk.standing.get_untracked(),
            Standing::Known {
                state: MembershipState::Pending { .. },
                ..
            }
        );
        let next = match load(&client, &talk.slug(), &token).await {
            Ok(Standing::Known { policy, state, .. }) => {
                let welcome = (was_pending && matches!(state, MembershipState::Member { .. }))
                    .then(|| welcome_of(&policy, talk));
                Standing::Known {
                    policy,
                    state,
                    welcome,
                }
            }
            Ok(other) => other,
            Err(err) => Standing::Failed(err.code),
        };
        talk.standing.set(next);
    });
}

fn welcome_of(policy: &JoinPolicy, talk: Talk) -> String {
    let text = policy.welcome().as_str().trim();
    if text.is_empty() {
        talk.t.get_untracked().join_welcome_default().to_owned()
    } else {
        text.to_owned()
    }
}

/// Shows `children` (a composer) to a member who may write; otherwise what comes first.
/// `prompt` invites an anonymous visitor to sign in.
#[component]
pub fn WriteGate(
    children: ChildrenFn,
    prompt: fn(quanzi_shell::Text) -> &'static str,
) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let client = expect_context::<Client>();
    move || match talk.standing.get() {
        Standing::Anonymous => {
            let link = talk.login_url.get_value().map(|href| {
                view! {
                    <a class="qz-button" href=href target="_top" data-testid="talk-sign-in">{t.get().sign_in()}</a>
                }
            });
            view! {
                <div class="qz-gate" data-testid="talk-signed-out">
                    <p class="qz-muted">{prompt(t.get())}</p>
                    {link}
                </div>
            }
            .into_any()
        }
        Standing::Loading => view! {
            <div class="qz-skeleton qz-gate" role="status" aria-label=t.get().talk_loading()>
                <div class="qz-bar"></div>
            </div>
        }
        .into_any(),
        Standing::Failed(code) => view! {
            <p class="qz-gate qz-error" role="alert">{t.get().talk_error(code)}</p>
        }
        .into_any(),
        standing @ Standing::Known { .. } if standing.may_write() => {
            let Standing::Known { welcome, .. } = standing else {
                return ().into_any();
            };
            let banner = welcome.map(|text| {
                view! {
                    <div class="qz-welcome" role="status" data-testid="join-welcome">
                        <p>{text}</p>
                        <button
                            type="button"
                            class="qz-link-button"
                            on:click=move |_| talk.standing.update(|s| {
                                if let Standing::Known { welcome, .. } = s {
                                    *welcome = None;
                                }
                            })
                        >
                            {t.get().welcome_dismiss()}
                        </button>
                    </div>
                }
            });
            view! { {banner} {children()} }.into_any()
        }
        Standing::Known {
            state: MembershipState::Pending { .. },
            ..
        } => {
            let client = client.clone();
            view! {
                <div class="qz-gate qz-pending" role="status" data-testid="join-pending">
                    <p>{t.get().join_pending()}</p>
                    <button
                        type="button"
                        class="qz-button qz-button-quiet"
                        data-testid="join-check-again"
                        on:click=move |_| {
                            if let Some(token) = talk.token.get_untracked() {
                                refresh(&client, talk, token);
                            }
                        }
                    >
                        {t.get().join_check_again()}
                    </button>
                </div>
            }
            .into_any()
        }
        Standing::Known {
            state: MembershipState::Banned { .. },
            ..
        } => view! {
            <p class="qz-gate qz-error" role="alert">{t.get().banned()}</p>
        }
        .into_any(),
        Standing::Known { policy, .. } => view! { <JoinPanel policy=policy/> }.into_any(),
    }
}

/// The community's rules to accept and its screening questions to answer.
#[component]
fn JoinPanel(policy: JoinPolicy) -> impl IntoView {
    let talk = Talk::get();
    let t = talk.t;
    let client = expect_context::<Client>();
    let open = RwSignal::new(false);
    let accepted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let rules = policy.rules().as_str().trim().to_owned();
    let has_rules = !rules.is_empty();
    let screening = policy.mode() == JoinMode::Screening;
    let answers: Vec<RwSignal<String>> = policy
        .questions()
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let answers = StoredValue::new(answers);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let tt = t.get_untracked();
        if has_rules && !accepted.get_untracked() {
            error.set(Some(tt.join_accept_rules_first().to_owned()));
            return;
        }
        let parsed: Result<Vec<AnswerText>, _> = answers.with_value(|a| {
            a.iter()
                .map(|s| AnswerText::parse(s.get_untracked().trim()))
                .collect()
        });
        let Ok(parsed) = parsed else {
            error.set(Some(tt.join_answer_each().to_owned()));
            return;
        };
        let Some(token) = talk.token.get_untracked() else {
            return;
        };
        let request = JoinRequest {
            accept_rules: true,
            answers: parsed,
        };
        busy.set(true);
        error.set(None);
        let client = client.clone();
        leptos::task::spawn_local(async move {
            match client.join(&talk.slug(), &token, &request).await {
                Ok(joined) => talk.standing.update(|s| {
                    if let Standing::Known {
                        state,
                        welcome,
                        policy,
                    } = s
                    {
                        if matches!(joined.membership, MembershipState::Member { .. }) {
                            *welcome = Some(
                                joined
                                    .welcome
                                    .clone()
                                    .unwrap_or_else(|| welcome_of(policy, talk)),
                            );
                        }
                        *state = joined.membership;
                    }
                }),
                Err(err) if err.code == ErrorCode::Conflict => refresh(&client, talk, token),
                Err(err) => error.set(Some(t.get_untracked().talk_error(err.code).to_owned())),
            }
            busy.set(false);
        });
    };

    let questions = policy
        .questions()
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let id = format!("qz-join-q{i}");
            let value = answers.with_value(|a| a[i]);
            view! {
                <div class="qz-field">
                    <label for=id.clone()>{q.as_str().to_owned()}</label>
                    <textarea id=id rows="2" maxlength="1000" required bind:value=value></textarea>
                </div>
            }
        })
        .collect_view();
    let rules_view = has_rules.then(|| {
        view! {
            <div class="qz-rules" tabindex="0" role="document" aria-label=t.get_untracked().join_rules_title()>
                <h4>{t.get_untracked().join_rules_title()}</h4>
                <p>{rules}</p>
            </div>
            <label class="qz-check">
                <input type="checkbox" data-testid="join-accept" bind:checked=accepted/>
                <span>{t.get_untracked().join_accept()}</span>
            </label>
        }
    });

    view! {
        <section class="qz-join" data-testid="join-panel" aria-labelledby="qz-join-title">
            <div class="qz-join-head">
                <div>
                    <h4 id="qz-join-title">{t.get_untracked().join_title()}</h4>
                    <p class="qz-muted">{move || if screening { t.get().join_screening_intro() } else { t.get().join_open_intro() }}</p>
                </div>
                <button
                    type="button"
                    class="qz-button"
                    data-testid="join-open"
                    aria-expanded=move || open.get().to_string()
                    aria-controls="qz-join-form"
                    hidden=move || open.get()
                    on:click=move |_| open.set(true)
                >
                    {t.get_untracked().join_button()}
                </button>
            </div>
            <form id="qz-join-form" class="qz-join-form" hidden=move || !open.get() on:submit=submit novalidate>
                {rules_view}
                {questions}
                <p class="qz-form-error" role="alert">{move || error.get()}</p>
                <div class="qz-form-actions">
                    <button type="button" class="qz-button qz-button-quiet" on:click=move |_| open.set(false)>
                        {t.get_untracked().talk_cancel()}
                    </button>
                    <button type="submit" class="qz-button" data-testid="join-submit" disabled=move || busy.get()>
                        {move || match (busy.get(), screening) {
                            (true, _) => t.get().joining(),
                            (false, true) => t.get().join_apply(),
                            (false, false) => t.get().join_button(),
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quanzi_core::time::Timestamp;

    fn policy(json: serde_json::Value) -> JoinPolicy {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn who_may_write() {
        let open = policy(serde_json::json!({}));
        let rules = policy(serde_json::json!({"rules": "Be kind."}));
        let screening = policy(serde_json::json!({"mode": "screening", "questions": ["Why?"]}));
        let at = Timestamp(1);
        let cases = [
            (&open, MembershipState::None, true),
            (&rules, MembershipState::None, false),
            (&screening, MembershipState::None, false),
            (
                &screening,
                MembershipState::Pending { applied_at: at },
                false,
            ),
            (&screening, MembershipState::Member { joined_at: at }, true),
            (&open, MembershipState::Banned { until: None }, false),
        ];
        for (policy, state, want) in cases {
            let standing = Standing::Known {
                policy: policy.clone(),
                state: state.clone(),
                welcome: None,
            };
            assert_eq!(standing.may_write(), want, "{policy:?} {state:?}");
        }
        assert!(!Standing::Anonymous.may_write());
        assert!(!Standing::Loading.may_write());
    }
}
