//! One member's panel: who they are (level, points, tags, badges), a timeline of their
//! recent points, badges and activity, and what staff do to them: adjust points with a
//! reason, grant and revoke badges (owner, admin), add and remove staff tags (all staff),
//! make them a member moderator or take the role away (owner, admin).

use leptos::html;
use leptos::prelude::*;
use quanzi_core::app::members::{MemberDetail, TimelineItem};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::{BrandTag, MemberId};
use quanzi_core::moderation::{MemberRole, ModReason};
use quanzi_core::points::{AdjustmentDelta, AdjustmentNote};
use quanzi_core::recognition::{BadgeDef, BadgeId};

use super::refusal;
use crate::community_page::community;
use crate::i18n::Text;
use crate::time;
use crate::ui::{ConfirmBox, ErrorNote, Loading, Saved};
use crate::{Ctx, client, ctx};

#[component]
pub fn MemberPanel(
    /// The member shown.
    member: MemberId,
    /// Whether the marketer may adjust points, grant badges and appoint member moderators
    /// (owner, admin).
    #[prop(into)]
    can_manage: Signal<bool>,
    /// Called after a change, so the list reloads.
    on_change: Callback<()>,
    /// Called when the panel closes.
    on_close: Callback<()>,
) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let member = StoredValue::new(member);
    let version = RwSignal::new(0u32);
    let detail = LocalResource::new(move || {
        version.track();
        let slug = community.slug();
        let member = member.get_value();
        async move { client().member(slug.as_str(), &member).await }
    });
    let catalogue = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().badges(slug.as_str()).await }
    });
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let heading = NodeRef::<html::H3>::new();
    // The panel takes the focus when it opens (once, not after each change), so keyboard
    // and screen reader users land in it.
    let focused = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(h) = heading.get()
            && !focused.get_value()
        {
            focused.set_value(true);
            let _ = h.focus();
        }
    });

    // Runs one write; on success says `message` and reloads the panel and the list.
    let act = move |write: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<String, String>>>,
    >| {
        busy.set(true);
        error.set(None);
        done.set(None);
        leptos::task::spawn_local(async move {
            let result = write.await;
            busy.set(false);
            match result {
                Ok(message) => {
                    done.set(Some(message));
                    version.update(|v| *v += 1);
                    on_change.run(());
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };

    // Tags.
    let new_tag = RwSignal::new(String::new());
    let add_tag = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(tag) = BrandTag::parse(&new_tag.get_untracked()) else {
            error.set(Some(ctx.t().members_tag_rule().to_owned()));
            return;
        };
        let (csrf, slug, who) = (ctx.csrf(), community.slug(), member.get_value());
        act(Box::pin(async move {
            let tags = client()
                .tag_member(&csrf, slug.as_str(), &who, &tag, true)
                .await
                .map_err(|e| refusal(&e))?;
            new_tag.set(String::new());
            let _ = tags;
            Ok(ctx.t().member_tag_added(tag.as_str()))
        }));
    };
    let remove_tag = move |tag: BrandTag| {
        let (csrf, slug, who) = (ctx.csrf(), community.slug(), member.get_value());
        act(Box::pin(async move {
            client()
                .tag_member(&csrf, slug.as_str(), &who, &tag, false)
                .await
                .map_err(|e| refusal(&e))?;
            Ok(ctx.t().member_tag_removed(tag.as_str()))
        }));
    };

    // Points.
    let delta = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let adjust = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = ctx.t();
        let parsed = (|| {
            let d = delta
                .get_untracked()
                .trim()
                .parse::<i32>()
                .ok()
                .and_then(|n| AdjustmentDelta::new(n).ok())
                .ok_or_else(|| text.member_delta_rule().to_owned())?;
            let r = AdjustmentNote::parse(&reason.get_untracked())
                .map_err(|_| text.member_adjust_reason_rule().to_owned())?;
            Ok::<_, String>((d, r))
        })();
        let (d, r) = match parsed {
            Ok(parsed) => parsed,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        let (csrf, slug, who) = (ctx.csrf(), community.slug(), member.get_value());
        act(Box::pin(async move {
            let adjusted = client()
                .adjust_points(&csrf, slug.as_str(), &who, d, &r)
                .await
                .map_err(|e| refusal(&e))?;
            delta.set(String::new());
            reason.set(String::new());
            Ok(ctx
                .t()
                .member_adjusted(adjusted.entry.delta, adjusted.balance.balance))
        }));
    };

    // Role: a member moderator, or a plain member again (after a confirmation).
    let confirming_role = RwSignal::new(false);
    let set_role = move |to: MemberRole| {
        confirming_role.set(false);
        let (csrf, slug, who) = (ctx.csrf(), community.slug(), member.get_value());
        act(Box::pin(async move {
            client()
                .set_member_role(&csrf, slug.as_str(), &who, to, &ModReason::default())
                .await
                .map_err(|e| role_refusal(ctx, &e, version))?;
            Ok(match to {
                MemberRole::MemberModerator => {
                    Text(ctx.locale.get_untracked()).member_made_moderator()
                }
                MemberRole::Member => Text(ctx.locale.get_untracked()).member_moderator_removed(),
            }
            .to_owned())
        }));
    };

    // Personal data, on the member's request: their export as a file, and erasure (after a
    // confirmation). An erased member's panel says what became of them instead.
    let confirming_erase = RwSignal::new(false);
    let erased = RwSignal::new(None::<String>);
    let downloading = RwSignal::new(false);
    let download = move |_| {
        if downloading.get_untracked() {
            return;
        }
        downloading.set(true);
        error.set(None);
        let (slug, who) = (community.slug(), member.get_value());
        leptos::task::spawn_local(async move {
            let saved = match client().export_member(slug.as_str(), &who).await {
                Ok(export) => serde_json::to_string(&export)
                    .is_ok_and(|text| {
                        let file = format!("quanzi-{slug}-member-{who}.json");
                        quanzi_client::save_json_file(&text, &file)
                    })
                    .then_some(())
                    .ok_or_else(|| ctx.t().data_export_failed().to_owned()),
                Err(err) => Err(refusal(&err)),
            };
            downloading.set(false);
            if let Err(message) = saved {
                error.set(Some(message));
            }
        });
    };
    let erase = move |()| {
        confirming_erase.set(false);
        busy.set(true);
        error.set(None);
        done.set(None);
        let (csrf, slug, who) = (ctx.csrf(), community.slug(), member.get_value());
        leptos::task::spawn_local(async move {
            let result = client().erase_member(&csrf, slug.as_str(), &who).await;
            busy.set(false);
            match result {
                Ok(gone) => {
                    erased.set(Some(ctx.t().member_erased(gone.pseudonym.as_str())));
                    on_change.run(());
                }
                Err(err) => error.set(Some(refusal(&err))),
            }
        });
    };

    // Badges.
    let badge_choice = RwSignal::new(String::new());
    let set_badge = move |badge: BadgeId, name: String, grant: bool| {
        let (csrf, slug, who) = (ctx.csrf(), community.slug(), member.get_value());
        act(Box::pin(async move {
            client()
                .set_badge(&csrf, slug.as_str(), &badge, &who, grant)
                .await
                .map_err(|e| refusal(&e))?;
            Ok(if grant {
                ctx.t().member_badge_granted(&name)
            } else {
                ctx.t().member_badge_revoked(&name)
            })
        }));
    };
    let grant = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(badge) = BadgeId::parse(&badge_choice.get_untracked()) else {
            return;
        };
        let name = catalogue
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|c| {
                c.badges
                    .into_iter()
                    .find(|b| b.id == badge)
                    .map(|b| b.names.get(ctx.locale.get_untracked()))
            })
            .unwrap_or_else(|| badge.to_string());
        badge_choice.set(String::new());
        set_badge(badge, name, true);
    };

    let body = move |d: MemberDetail| {
        let locale = ctx.locale.get();
        let name = d
            .summary
            .name
            .clone()
            .unwrap_or_else(|| d.summary.member.to_string());
        let erase_name = StoredValue::new(name.clone());
        let held: Vec<BadgeId> = d.badges.iter().map(|b| b.id.clone()).collect();
        let grantable = move || -> Vec<BadgeDef> {
            catalogue
                .get()
                .and_then(Result::ok)
                .map(|c| {
                    c.badges
                        .into_iter()
                        .filter(|b| !held.contains(&b.id))
                        .collect()
                })
                .unwrap_or_default()
        };
        let brand_tags = d.summary.brand_tags.clone();
        let staff_tags = d.summary.staff_tags.clone();
        let timeline = d.timeline.clone();
        let role = d.role;
        view! {
            <h3 tabindex="-1" node_ref=heading id="member-panel-title" data-testid="member-name">{name}</h3>
            <p class="qd-muted"><code>{d.summary.member.to_string()}</code></p>
            <dl class="qd-facts" data-testid="member-facts">
                <div><dt>{move || t().members_level()}</dt><dd>{ctx.t().member_level(d.level.level)}</dd></div>
                <div><dt>{move || t().members_balance()}</dt><dd data-testid="member-balance">{d.balance.balance}</dd></div>
                <div><dt>{move || t().members_points()}</dt><dd>{d.balance.earned}</dd></div>
                <div><dt>{move || t().members_joined()}</dt><dd>{d.summary.joined.map(|j| j.to_string()).unwrap_or_else(|| "—".to_owned())}</dd></div>
                <div><dt>{move || t().members_last_active()}</dt><dd>{d.summary.last_active.map(|j| j.to_string()).unwrap_or_else(|| "—".to_owned())}</dd></div>
            </dl>

            <h4 id="member-role-title">{move || t().member_role()}</h4>
            <div class="qd-row-head" aria-labelledby="member-role-title" role="group">
                <span class=move || if role == MemberRole::MemberModerator { "qd-chip qd-chip-ok" } else { "qd-chip" }
                    data-testid="member-role" data-role=role_slug(role)>
                    {move || ctx.t().member_role_name(role)}
                </span>
                <Show when=move || can_manage.get()>
                    {match role {
                        MemberRole::Member => view! {
                            <button type="button" class="qd-button qd-secondary qd-small" data-testid="make-moderator"
                                disabled=move || busy.get() aria-busy=move || busy.get().to_string()
                                on:click=move |_| set_role(MemberRole::MemberModerator)>
                                {move || t().member_make_moderator()}
                            </button>
                        }.into_any(),
                        MemberRole::MemberModerator => view! {
                            <button type="button" class="qd-button qd-danger qd-small" data-testid="remove-moderator"
                                disabled=move || busy.get() aria-busy=move || busy.get().to_string()
                                aria-expanded=move || confirming_role.get().to_string()
                                on:click=move |_| confirming_role.set(true)>
                                {move || t().member_remove_moderator()}
                            </button>
                        }.into_any(),
                    }}
                </Show>
            </div>
            <Show when=move || can_manage.get()>
                <ConfirmBox open=confirming_role busy=busy testid="member-role-confirm"
                    question=Signal::derive(move || t().member_remove_moderator_confirm().to_owned())
                    confirm=Signal::derive(move || t().member_remove_moderator().to_owned())
                    keep=Signal::derive(move || t().member_keep_moderator().to_owned())
                    on_confirm=Callback::new(move |()| set_role(MemberRole::Member))/>
            </Show>
            <Show when=move || can_manage.get()>
                <p class="qd-hint">{move || t().member_role_note()}</p>
            </Show>

            <h4>{move || t().member_staff_tags()}</h4>
            <ul class="qd-chips" data-testid="staff-tags">
                {staff_tags.into_iter().map(|tag| {
                    let label = tag.to_string();
                    let aria = label.clone();
                    view! {
                        <li class="qd-chip qd-chip-ok">
                            {label}
                            <button type="button" class="qd-chip-remove"
                                aria-label=move || ctx.t().member_remove_tag(&aria)
                                disabled=move || busy.get()
                                on:click=move |_| remove_tag(tag.clone())>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="qd-form-row" on:submit=add_tag novalidate data-testid="tag-form">
                <label>
                    {move || t().member_new_tag()}
                    <input type="text" name="tag" maxlength="40" autocapitalize="off" spellcheck="false"
                        prop:value=new_tag on:input=move |ev| new_tag.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="qd-button qd-secondary" disabled=move || busy.get()>{move || t().member_add_tag()}</button>
            </form>
            <h4>{move || t().member_brand_tags()}</h4>
            {if brand_tags.is_empty() {
                view! { <p class="qd-muted">{move || t().member_no_tags()}</p> }.into_any()
            } else {
                view! {
                    <ul class="qd-chips" data-testid="brand-tags">
                        {brand_tags.into_iter().map(|tag| view! { <li class="qd-chip">{tag.to_string()}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}

            <h4>{move || t().member_badges()}</h4>
            {if d.badges.is_empty() {
                view! { <p class="qd-muted" data-testid="no-badges">{move || t().member_no_badges()}</p> }.into_any()
            } else {
                view! {
                    <ul class="qd-member-badges" data-testid="member-badges">
                        {d.badges.iter().map(|b| {
                            let badge_name = b.names.get(locale);
                            let aria = badge_name.clone();
                            let revoke_name = badge_name.clone();
                            let id = b.id.clone();
                            view! {
                                <li>
                                    <span class="qd-badge">{badge_name}</span>
                                    <Show when=move || can_manage.get()>
                                        {
                                            let aria = aria.clone();
                                            let id = id.clone();
                                            let revoke_name = revoke_name.clone();
                                            view! {
                                                <button type="button" class="qd-button qd-secondary qd-small"
                                                    aria-label=move || ctx.t().member_revoke_badge(&aria)
                                                    disabled=move || busy.get()
                                                    on:click=move |_| set_badge(id.clone(), revoke_name.clone(), false)>
                                                    {move || ctx.t().member_revoke()}
                                                </button>
                                            }
                                        }
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Show when=move || can_manage.get()
                fallback=move || view! { <p class="qd-muted">{move || t().member_manage_note()}</p> }>
                <form class="qd-form-row" on:submit=grant novalidate data-testid="badge-form">
                    <label>
                        {move || t().member_badge_choice()}
                        <select name="badge" prop:value=badge_choice on:change=move |ev| badge_choice.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {
                                let grantable = grantable.clone();
                                move || grantable().into_iter().map(|b| {
                                    let label = b.names.get(ctx.locale.get());
                                    view! { <option value=b.id.to_string()>{label}</option> }
                                }).collect_view()
                            }
                        </select>
                    </label>
                    <button type="submit" class="qd-button qd-secondary" disabled=move || busy.get()>{move || t().member_grant()}</button>
                </form>
                <h4>{move || t().member_adjust()}</h4>
                <form class="qd-form-row" on:submit=adjust novalidate data-testid="adjust-form">
                    <label>
                        {move || t().member_delta()}
                        <input type="number" name="delta" inputmode="numeric" required
                            prop:value=delta on:input=move |ev| delta.set(event_target_value(&ev))/>
                    </label>
                    <label>
                        {move || t().member_adjust_reason()}
                        <input type="text" name="reason" maxlength="200" required
                            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="qd-button" disabled=move || busy.get()>{move || t().member_adjust_button()}</button>
                </form>
            </Show>

            <Show when=move || can_manage.get()>
                <h4 id="member-data-title">{move || t().member_data()}</h4>
                <p class="qd-hint">{move || t().member_data_note()}</p>
                <div class="qd-actions" role="group" aria-labelledby="member-data-title">
                    <button type="button" class="qd-button qd-secondary qd-small" data-testid="member-export"
                        aria-busy=move || downloading.get().to_string() disabled=move || downloading.get()
                        on:click=download>
                        {move || t().member_export()}
                    </button>
                    <button type="button" class="qd-button qd-danger qd-small" data-testid="member-erase"
                        disabled=move || busy.get() aria-expanded=move || confirming_erase.get().to_string()
                        on:click=move |_| confirming_erase.set(true)>
                        {move || t().member_erase()}
                    </button>
                </div>
                <ConfirmBox open=confirming_erase busy=busy testid="member-erase-confirm"
                    question=Signal::derive(move || erase_name.with_value(|n| ctx.t().member_erase_confirm(n)))
                    confirm=Signal::derive(move || t().member_erase().to_owned())
                    keep=Signal::derive(move || t().member_keep().to_owned())
                    on_confirm=Callback::new(erase)/>
            </Show>

            <h4>{move || t().member_timeline()}</h4>
            {if timeline.is_empty() {
                view! { <p class="qd-muted">{move || t().member_timeline_empty()}</p> }.into_any()
            } else {
                view! {
                    <ol class="qd-timeline" data-testid="timeline">
                        {timeline.into_iter().map(|item| timeline_line(item, locale)).collect_view()}
                    </ol>
                }.into_any()
            }}
        }
    };

    view! {
        <section class="qd-card qd-member-panel" aria-labelledby="member-panel-title" data-testid="member-panel">
            <div class="qd-row-head">
                <span class="qd-muted">{move || t().members_name()}</span>
                <button type="button" class="qd-button qd-secondary qd-small" on:click=move |_| on_close.run(())>
                    {move || t().member_close()}
                </button>
            </div>
            <ErrorNote message=error testid="member-error"/>
            <Saved message=done/>
            {move || match (erased.get(), detail.get()) {
                (Some(said), _) => view! {
                    <p class="qd-saved" role="status" data-testid="member-erased">{said}</p>
                }.into_any(),
                (None, None) => view! { <Loading/> }.into_any(),
                (None, Some(Err(err))) => {
                    let message = ctx.fail(&err);
                    view! {
                        <p class="qd-error" role="alert" data-testid="member-load-error">{message}</p>
                        <button type="button" class="qd-button qd-secondary" on:click=move |_| detail.refetch()>{move || t().retry()}</button>
                    }.into_any()
                }
                (None, Some(Ok(d))) => body(d).into_any(),
            }}
        </section>
    }
}

/// The role as the API spells it, for tests and styles.
fn role_slug(role: MemberRole) -> &'static str {
    match role {
        MemberRole::Member => "member",
        MemberRole::MemberModerator => "member_moderator",
    }
}

/// A refused role change as words. A clash means the role was already changed elsewhere, so
/// the panel reloads to show it.
fn role_refusal(ctx: Ctx, err: &ApiError, version: RwSignal<u32>) -> String {
    let text = Text(ctx.locale.get_untracked());
    match err.code {
        ErrorCode::Forbidden | ErrorCode::NotFound => text.member_role_error(err),
        ErrorCode::Conflict => {
            version.update(|v| *v += 1);
            text.member_role_error(err)
        }
        _ => ctx.fail(err),
    }
}

/// One line of the timeline: when, and what.
fn timeline_line(item: TimelineItem, locale: quanzi_core::community::Locale) -> impl IntoView {
    let ctx = ctx();
    let community = community();
    let at = item.at();
    let (kind, text, delta) = match item {
        TimelineItem::Points { entry, .. } => {
            let delta = format!("{:+}", entry.delta);
            ("points", ctx.t().ledger_reason(&entry.reason), Some(delta))
        }
        TimelineItem::Badge { badge, .. } => (
            "badge",
            ctx.t()
                .member_badge_line(&badge.names.get(locale), badge.granted),
            None,
        ),
        TimelineItem::Activity {
            activity, subject, ..
        } => {
            let what = ctx.t().activity(activity).to_owned();
            let text = match subject {
                Some(subject) => format!("{what} · {subject}"),
                None => what,
            };
            ("activity", text, None)
        }
    };
    view! {
        <li data-kind=kind>
            <time class="qd-muted">{move || time::show(at, community.time_zone())}</time>
            " "
            {delta.map(|d| view! { <strong class="qd-delta">{d}</strong> " " })}
            <span>{text}</span>
        </li>
    }
}
