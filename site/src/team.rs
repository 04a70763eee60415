//! The team: who runs the community and with which role. Owners and admins invite by email
//! and role (the link is shown once, with a copy button: nothing is emailed), change roles,
//! remove teammates after a confirmation and revoke pending invites; moderators read.

use leptos::prelude::*;
use quanzi_core::accounts::{Email, Role};
use quanzi_core::team::{CreatedInvite, InviteView, NewInvite, Teammate};

use crate::community_page::community;
use crate::i18n::Text;
use crate::time;
use crate::ui::{ConfirmBox, CopyButton, ErrorNote, Loading, Saved};
use crate::{SessionState, client, ctx, edge_origin};

const ROLES: [Role; 3] = [Role::Owner, Role::Admin, Role::Moderator];

fn role_slug(role: Role) -> &'static str {
    match role {
        Role::Owner => "owner",
        Role::Admin => "admin",
        Role::Moderator => "moderator",
    }
}

fn role_of(raw: &str) -> Option<Role> {
    ROLES.into_iter().find(|r| role_slug(*r) == raw)
}

/// The roles someone with `you` may give or take: up to their own (`Role` orders owners first).
fn within_reach(you: Role) -> Vec<Role> {
    ROLES.into_iter().filter(|r| *r >= you).collect()
}

#[component]
pub fn Team() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let team = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().team(slug.as_str()).await }
    });
    // What was just done, said in the current language.
    let done = RwSignal::new(None::<fn(Text) -> &'static str>);
    // The invite just made, with its link: shown until the marketer hides it.
    let created = RwSignal::new(None::<CreatedInvite>);
    let changed = Callback::new(move |said: fn(Text) -> &'static str| {
        done.set(Some(said));
        team.refetch();
    });
    let me = move || match ctx.session.get() {
        SessionState::SignedIn(me) => Some(me.email),
        _ => None,
    };

    view! {
        <h2 class="qd-section-title">{move || t().team_section()}</h2>
        <p class="qd-muted">{move || t().team_intro()}</p>
        {move || created.get().map(|new| {
            let link = format!("{}{}", edge_origin(), new.path);
            let email = new.invite.email.to_string();
            view! {
                <section class="qd-card qd-secret" role="alert" data-testid="invite-link">
                    <h3>{move || ctx.t().invite_link_title()}</h3>
                    <p>{move || ctx.t().invite_send_to(&email)}</p>
                    <div class="qd-code">
                        <pre tabindex="0" data-testid="invite-link-value" style="white-space: pre-wrap; word-break: break-all"><code>{link.clone()}</code></pre>
                        <CopyButton text=Signal::derive(move || link.clone())
                            label=Signal::derive(move || ctx.t().invite_copy_link().to_owned())
                            testid="copy-invite-link"/>
                    </div>
                    <button type="button" class="qd-button qd-secondary qd-small" on:click=move |_| created.set(None)>
                        {move || ctx.t().invite_link_done()}
                    </button>
                </section>
            }
        })}
        <Saved message=Signal::derive(move || done.get().map(|said| said(ctx.t()).to_owned()))/>
        {move || match team.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(err)) => {
                let message = ctx.fail(&err);
                view! {
                    <ErrorNote message=Signal::derive(move || Some(message.clone())) testid="team-load-error"/>
                    <button type="button" class="qd-button qd-secondary" on:click=move |_| team.refetch()>
                        {move || ctx.t().retry()}
                    </button>
                }.into_any()
            }
            Some(Ok(found)) => {
                let you = found.you;
                let manage = found.can_manage;
                let myself = me();
                // The last owner stays: the API refuses, so the page offers nothing to try.
                let owners = found.teammates.iter().filter(|m| m.role == Role::Owner).count();
                view! {
                    {if manage {
                        view! { <InviteForm you=you on_created=Callback::new(move |new: CreatedInvite| {
                            created.set(Some(new));
                            changed.run(Text::invite_created);
                        })/> }.into_any()
                    } else {
                        view! { <p class="qd-muted" data-testid="team-read-only">{move || ctx.t().team_managers_only()}</p> }.into_any()
                    }}
                    <section class="qd-card" aria-labelledby="team-list-title">
                        <h3 id="team-list-title">{move || ctx.t().team_members()}</h3>
                        <ul class="qd-list" data-testid="teammates">
                            {found.teammates.into_iter().map(|mate| {
                                let last_owner = mate.role == Role::Owner && owners <= 1;
                                let editable = manage && mate.role >= you && !last_owner;
                                let is_me = myself.as_ref() == Some(&mate.email);
                                view! { <TeammateRow mate=mate you=you editable=editable is_me=is_me on_changed=changed/> }
                            }).collect_view()}
                        </ul>
                    </section>
                    {manage.then(|| view! {
                        <section class="qd-card" aria-labelledby="invites-title">
                            <h3 id="invites-title">{move || ctx.t().invites_pending()}</h3>
                            {if found.invites.is_empty() {
                                view! { <p class="qd-empty" data-testid="no-invites">{move || ctx.t().invites_none()}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="qd-list" data-testid="invites">
                                        {found.invites.into_iter().map(|invite| {
                                            let editable = invite.role >= you;
                                            view! { <InviteRow invite=invite editable=editable on_revoked=changed/> }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    })}
                }.into_any()
            }
        }}
    }
}

/// Email and role: a new invite link.
#[component]
fn InviteForm(you: Role, on_created: Callback<CreatedInvite>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Moderator);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(parsed) = Email::parse(&email.get_untracked()) else {
            error.set(Some(ctx.t().bad_email().to_owned()));
            return;
        };
        let request = NewInvite {
            email: parsed,
            role: role.get_untracked(),
        };
        error.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client()
                .invite_teammate(&csrf, slug.as_str(), &request)
                .await;
            busy.set(false);
            match result {
                Ok(new) => {
                    email.set(String::new());
                    on_created.run(new);
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <section class="qd-card" aria-labelledby="invite-form-title">
            <h3 id="invite-form-title">{move || t().invite_someone()}</h3>
            <form on:submit=submit novalidate class="qd-form-grid" data-testid="invite-form">
                <label>
                    {move || t().email()}
                    <input type="email" name="email" required autocapitalize="off" spellcheck="false"
                        prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <label>
                    {move || t().team_role()}
                    <select name="role" on:change=move |ev| {
                        if let Some(r) = role_of(&event_target_value(&ev)) {
                            role.set(r);
                        }
                    }>
                        {within_reach(you).into_iter().map(|r| view! {
                            <option value=role_slug(r) selected=move || role.get() == r>
                                {move || ctx.t().role(r)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <p class="qd-hint">{move || t().invite_hint()}</p>
                <ErrorNote message=error testid="invite-form-error"/>
                <div>
                    <button type="submit" class="qd-button" disabled=move || busy.get()>
                        {move || if busy.get() { t().please_wait() } else { t().invite_create() }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// One teammate: email and role; a role picker and a remove button for those within reach.
#[component]
fn TeammateRow(
    mate: Teammate,
    you: Role,
    /// Whether the reader may change this teammate.
    editable: bool,
    /// Whether this is the reader.
    is_me: bool,
    on_changed: Callback<fn(Text) -> &'static str>,
) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let email = StoredValue::new(mate.email.to_string());
    let current = mate.role;

    let set_role = move |to: Role| {
        if to == current {
            return;
        }
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        let email = email.get_value();
        leptos::task::spawn_local(async move {
            let result = client()
                .set_teammate_role(&csrf, slug.as_str(), &email, to)
                .await;
            busy.set(false);
            match result {
                Ok(_) => on_changed.run(Text::team_role_changed),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };
    let remove = move |_| {
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        let email = email.get_value();
        leptos::task::spawn_local(async move {
            let result = client().remove_teammate(&csrf, slug.as_str(), &email).await;
            busy.set(false);
            match result {
                Ok(_) => on_changed.run(Text::team_removed),
                Err(err) => {
                    confirming.set(false);
                    error.set(Some(ctx.fail(&err)));
                }
            }
        });
    };

    view! {
        <li class="qd-row" data-testid="teammate" data-email=email.get_value()>
            <div class="qd-row-head">
                <span>{email.get_value()}{is_me.then(|| view! { " " <span class="qd-muted">{move || ctx.t().team_you()}</span> })}</span>
                {if editable {
                    view! {
                        <label class="qd-inline">
                            <span class="qd-visually-hidden">{move || email.with_value(|e| ctx.t().team_role_of(e))}</span>
                            <select data-testid="teammate-role" disabled=move || busy.get()
                                on:change=move |ev| {
                                    if let Some(r) = role_of(&event_target_value(&ev)) {
                                        set_role(r);
                                    }
                                }>
                                {within_reach(you).into_iter().map(|r| view! {
                                    <option value=role_slug(r) selected=r == current>{move || ctx.t().role(r)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    }.into_any()
                } else {
                    view! { <span class="qd-badge" data-testid="teammate-role-text">{move || ctx.t().role(current)}</span> }.into_any()
                }}
            </div>
            {editable.then(|| view! {
                <div class="qd-actions">
                    <button type="button" class="qd-button qd-danger qd-small"
                        aria-label=move || email.with_value(|e| ctx.t().team_remove_of(e))
                        on:click=move |_| confirming.set(true)>
                        {move || t().team_remove()}
                    </button>
                </div>
                <ConfirmBox open=confirming busy=busy testid="teammate-confirm"
                    question=Signal::derive(move || email.with_value(|e| ctx.t().team_remove_confirm(e)))
                    confirm=Signal::derive(move || ctx.t().team_remove().to_owned())
                    keep=Signal::derive(move || ctx.t().team_keep().to_owned())
                    on_confirm=Callback::new(remove)/>
            })}
            <ErrorNote message=error testid="teammate-error"/>
        </li>
    }
}

/// A pending invite: for whom, which role, until when; revoke.
#[component]
fn InviteRow(
    invite: InviteView,
    /// Whether the reader may revoke it.
    editable: bool,
    on_revoked: Callback<fn(Text) -> &'static str>,
) -> impl IntoView {
    let ctx = ctx();
    let community = community();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(invite.id.to_string());
    let email = StoredValue::new(invite.email.to_string());
    let role = invite.role;
    let expires = invite.expires_at;

    let revoke = move |_| {
        busy.set(true);
        error.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let result = client().revoke_invite(&csrf, slug.as_str(), &id).await;
            busy.set(false);
            match result {
                Ok(_) => on_revoked.run(Text::invite_revoked),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <li class="qd-row" data-testid="invite" data-email=email.get_value()>
            <div class="qd-row-head">
                <span>{email.get_value()}</span>
                <span class="qd-badge">{move || ctx.t().role(role)}</span>
            </div>
            <p class="qd-muted"><small>{move || ctx.t().invite_expires(&time::show(expires, community.time_zone()))}</small></p>
            {editable.then(|| view! {
                <div class="qd-actions">
                    <button type="button" class="qd-button qd-secondary qd-small" disabled=move || busy.get()
                        aria-label=move || email.with_value(|e| ctx.t().invite_revoke_of(e))
                        on:click=revoke>{move || ctx.t().invite_revoke()}</button>
                </div>
            })}
            <ErrorNote message=error/>
        </li>
    }
}
