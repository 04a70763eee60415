//! The audit log: every moderation action, who took it, on what and why, newest first.

use leptos::prelude::*;
use quanzi_core::app::membership::AuditRecord;
use quanzi_core::error::ApiError;
use quanzi_core::moderation::{AuditAction, AuditTarget};

use super::{role_name, who};
use crate::community_page::community;
use crate::i18n::Text;
use crate::time;
use crate::ui::Loading;
use crate::{client, ctx};

/// Pages read at most (oldest first), before showing them newest first.
const MAX_PAGES: usize = 20;

fn target_text(target: &AuditTarget) -> String {
    match target {
        AuditTarget::Post { thread } => format!("post {thread}"),
        AuditTarget::Reply { thread, reply } => format!("reply {thread}/{reply}"),
        AuditTarget::Member { member } => format!("member {member}"),
        AuditTarget::Staff { email } => email.to_string(),
        AuditTarget::Settings => "settings".to_owned(),
    }
}

fn action_text(t: Text, action: &AuditAction) -> String {
    match action {
        AuditAction::Hide => t.audit_hide().to_owned(),
        AuditAction::Restore => t.audit_restore().to_owned(),
        AuditAction::Approve => t.audit_approve().to_owned(),
        AuditAction::Reject => t.audit_reject().to_owned(),
        AuditAction::ResolveReports { decision, reports } => t.audit_resolve(*decision, *reports),
        AuditAction::Ban { until: Some(_) } => t.audit_ban().to_owned(),
        AuditAction::Ban { until: None } => t.audit_ban_forever().to_owned(),
        AuditAction::Unban => t.audit_unban().to_owned(),
        AuditAction::ChangeMemberRole { .. } | AuditAction::ChangeStaffRole { .. } => {
            t.audit_role().to_owned()
        }
        AuditAction::ChangeSettings { .. } => t.audit_settings().to_owned(),
        AuditAction::TagMember { tag } => t.audit_tag(tag.as_str(), true),
        AuditAction::UntagMember { tag } => t.audit_tag(tag.as_str(), false),
        AuditAction::AdjustPoints { delta } => t.audit_points(*delta),
        AuditAction::GrantBadge { badge } => t.audit_badge(badge.as_str(), true),
        AuditAction::RevokeBadge { badge } => t.audit_badge(badge.as_str(), false),
        AuditAction::InviteStaff { role } => t.audit_invite(*role),
        AuditAction::RevokeInvite { role } => t.audit_invite_revoked(*role),
        AuditAction::AcceptInvite { role } => t.audit_invite_accepted(*role),
        AuditAction::HoldForReview { reports } => t.audit_hold(*reports),
    }
}

#[component]
pub fn Audit() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let log = LocalResource::new(move || {
        let slug = community.slug();
        async move {
            let api = client();
            let mut all: Vec<AuditRecord> = Vec::new();
            let mut cursor = None;
            for _ in 0..MAX_PAGES {
                let page = api.audit_log(slug.as_str(), cursor.as_ref()).await?;
                all.extend(page.items);
                cursor = page.next;
                if cursor.is_none() {
                    break;
                }
            }
            all.reverse();
            Ok::<_, ApiError>(all)
        }
    });

    view! {
        <section class="qd-card">
            <div class="qd-toolbar">
                <p class="qd-muted">{move || t().audit_intro()}</p>
                <button type="button" class="qd-button qd-secondary qd-small" on:click=move |_| log.refetch()>
                    {move || t().refresh()}
                </button>
            </div>
            {move || match log.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => {
                    let message = ctx.fail(&err);
                    view! { <p class="qd-error" role="alert" data-testid="audit-error">{message}</p> }.into_any()
                }
                Some(Ok(entries)) if entries.is_empty() => view! {
                    <p class="qd-empty" data-testid="audit-empty">{move || t().audit_empty()}</p>
                }.into_any(),
                Some(Ok(entries)) => view! {
                    <div class="qd-table-wrap">
                        <table class="qd-table" data-testid="audit">
                            <thead><tr>
                                <th scope="col">{move || t().when()}</th>
                                <th scope="col">{move || t().by()}</th>
                                <th scope="col">{move || t().action()}</th>
                                <th scope="col">{move || t().target()}</th>
                                <th scope="col">{move || t().reason()}</th>
                            </tr></thead>
                            <tbody>
                                {entries.into_iter().map(|record| {
                                    let entry = record.entry;
                                    let at = entry.at;
                                    let role = entry.role;
                                    let action = entry.action.clone();
                                    view! {
                                        <tr data-testid="audit-row">
                                            <td class="qd-nowrap">{move || time::show(at, community.time_zone())}</td>
                                            <td>{move || who(ctx.t(), &entry.actor)} " "
                                                <span class="qd-muted">{move || role_name(ctx.t(), role)}</span></td>
                                            <td>{move || action_text(ctx.t(), &action)}</td>
                                            <td><code>{target_text(&entry.target)}</code></td>
                                            <td>{entry.reason.to_string()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
