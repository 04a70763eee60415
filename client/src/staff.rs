//! The dashboard's calls: a marketer's settings, sign-in keys, join policy, moderation and
//! events, and their own password. The session cookie goes with every same-origin request;
//! writes carry the session's CSRF token (`csrf`).

use gloo_net::http::{Request, RequestBuilder};
use quanzi_core::accounts::{Me, Role};
use quanzi_core::api::{CommunitySettings, CommunityView};
use quanzi_core::app::events::{AttendanceResult, AttendeeList, EventPage};
use quanzi_core::app::members::{MemberDetail, MemberQuery, MemberSummary, MemberTags};
use quanzi_core::app::membership::{AuditRecord, ContentVisibility, MemberRoleView, Paged};
use quanzi_core::app::points::{Adjusted, BadgeHolder};
use quanzi_core::app::points::{Levels, RewardCatalogue, RewardEdit, Rules};
use quanzi_core::app::webhooks::DeliveriesView;
use quanzi_core::checkin::CheckinRules;
use quanzi_core::error::ApiError;
use quanzi_core::events::{
    CancelEventRequest, CapacityRequest, EventDraft, EventEdit, OrganiserEventView,
};
use quanzi_core::ids::{BrandTag, MemberId};
use quanzi_core::join::JoinPolicy;
use quanzi_core::moderation::{
    AuditEntry, Ban, BanDays, ContentRef, MemberRole, MemberRoleRequest, ModReason, QueueEntry,
    ResolveRequest,
};
use quanzi_core::points::{AdjustmentDelta, AdjustmentNote};
use quanzi_core::points::{PointRules, Reward};
use quanzi_core::recognition::BadgeId;
use quanzi_core::recognition::{BadgeCatalogue, LevelLadder};
use quanzi_core::sso::{NewSsoKey, SsoKeyView};
use quanzi_core::talk::wire::{ThreadView, TopicView};
use quanzi_core::talk::{Cursor, FlagChange, ThreadId, TopicDraft, TopicId};
use quanzi_core::team::{
    CreatedInvite, InviteView, JoinedTeam, NewInvite, RoleChange, Team, Teammate,
};
use quanzi_core::webhook::{CreatedWebhook, NewWebhook, WebhookList, WebhookView};
use serde::Serialize;

use super::{Client, send};

/// Which way a moderator decides about a post or reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentDecision {
    Hide,
    Restore,
    /// A post waiting for review (pre-moderation) is published.
    Approve,
    /// A post waiting for review is turned down.
    Reject,
}

impl ContentDecision {
    fn path(self) -> &'static str {
        match self {
            ContentDecision::Hide => "moderation/hide",
            ContentDecision::Restore => "moderation/restore",
            ContentDecision::Approve => "moderation/approve",
            ContentDecision::Reject => "moderation/reject",
        }
    }
}

fn csrf_header(req: RequestBuilder, csrf: &str) -> RequestBuilder {
    req.header("x-csrf-token", csrf)
}

fn paged(req: RequestBuilder, cursor: Option<&Cursor>) -> RequestBuilder {
    match cursor {
        Some(cursor) => req.query([("cursor", cursor.encode())]),
        None => req,
    }
}

/// One path segment, percent-encoded (tags may be Chinese).
fn component(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}

impl Client {
    fn staff_url(&self, slug: &str, path: &str) -> String {
        if path.is_empty() {
            self.url(&format!("api/v1/communities/{slug}"))
        } else {
            self.url(&format!("api/v1/communities/{slug}/{path}"))
        }
    }

    async fn staff_get<T: serde::de::DeserializeOwned>(
        &self,
        slug: &str,
        path: &str,
        cursor: Option<&Cursor>,
    ) -> Result<T, ApiError> {
        send(
            paged(Request::get(&self.staff_url(slug, path)), cursor),
            None::<&()>,
        )
        .await
    }

    async fn staff_write<T: serde::de::DeserializeOwned>(
        &self,
        req: RequestBuilder,
        csrf: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, ApiError> {
        send(csrf_header(req, csrf), body).await
    }

    /// Changes the signed-in marketer's password: every other session ends, this one goes
    /// on with a new CSRF token (in the answer).
    pub async fn change_password(
        &self,
        csrf: &str,
        current: &str,
        new: &str,
    ) -> Result<Me, ApiError> {
        let body = serde_json::json!({ "current": current, "new": new });
        let req = Request::post(&self.url("api/v1/auth/password"));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// The settings as saved, allowed origins included (owner, admin).
    pub async fn settings(&self, slug: &str) -> Result<CommunitySettings, ApiError> {
        self.staff_get(slug, "settings", None).await
    }

    /// Replaces the settings (owner, admin).
    pub async fn put_settings(
        &self,
        csrf: &str,
        slug: &str,
        settings: &CommunitySettings,
    ) -> Result<CommunityView, ApiError> {
        let req = Request::put(&self.staff_url(slug, ""));
        self.staff_write(req, csrf, Some(settings)).await
    }

    /// The active member sign-in keys (ids only).
    pub async fn sso_keys(&self, slug: &str) -> Result<Vec<SsoKeyView>, ApiError> {
        self.staff_get(slug, "sso-keys", None).await
    }

    /// A new sign-in key; its secret is in this answer only.
    pub async fn add_sso_key(&self, csrf: &str, slug: &str) -> Result<NewSsoKey, ApiError> {
        let req = Request::post(&self.staff_url(slug, "sso-keys"));
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// Replaces the rules, the join mode and the screening questions.
    pub async fn put_join_policy(
        &self,
        csrf: &str,
        slug: &str,
        policy: &JoinPolicy,
    ) -> Result<JoinPolicy, ApiError> {
        let req = Request::put(&self.staff_url(slug, "join"));
        self.staff_write(req, csrf, Some(policy)).await
    }

    /// Reported content and posts waiting for review, most reported first.
    pub async fn moderation_queue(
        &self,
        slug: &str,
        cursor: Option<&Cursor>,
    ) -> Result<Paged<QueueEntry>, ApiError> {
        self.staff_get(slug, "moderation/queue", cursor).await
    }

    /// Hides, restores, approves or rejects a post or reply.
    pub async fn decide_content(
        &self,
        csrf: &str,
        slug: &str,
        decision: ContentDecision,
        target: &ContentRef,
        reason: &ModReason,
    ) -> Result<ContentVisibility, ApiError> {
        let body = serde_json::json!({ "target": target, "reason": reason });
        let req = Request::post(&self.staff_url(slug, decision.path()));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// Closes the open reports about a target (dismissed, or action taken).
    pub async fn resolve_reports(
        &self,
        csrf: &str,
        slug: &str,
        request: &ResolveRequest,
    ) -> Result<AuditEntry, ApiError> {
        let req = Request::post(&self.staff_url(slug, "moderation/reports/resolve"));
        self.staff_write(req, csrf, Some(request)).await
    }

    /// The bans in force.
    pub async fn bans(&self, slug: &str, cursor: Option<&Cursor>) -> Result<Paged<Ban>, ApiError> {
        self.staff_get(slug, "moderation/bans", cursor).await
    }

    /// Bans `member` for `days` (`None`: for good).
    pub async fn ban(
        &self,
        csrf: &str,
        slug: &str,
        member: &MemberId,
        days: Option<BanDays>,
        reason: &ModReason,
    ) -> Result<Ban, ApiError> {
        let body = serde_json::json!({ "days": days, "reason": reason });
        let req = Request::put(&self.staff_url(slug, &format!("members/{member}/ban")));
        self.staff_write(req, csrf, Some(&body)).await
    }

    pub async fn unban(
        &self,
        csrf: &str,
        slug: &str,
        member: &MemberId,
        reason: &ModReason,
    ) -> Result<AuditEntry, ApiError> {
        let body = serde_json::json!({ "reason": reason });
        let req = Request::delete(&self.staff_url(slug, &format!("members/{member}/ban")));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// Makes `member` a member moderator or a plain member again (owner, admin).
    pub async fn set_member_role(
        &self,
        csrf: &str,
        slug: &str,
        member: &MemberId,
        role: MemberRole,
        reason: &ModReason,
    ) -> Result<MemberRoleView, ApiError> {
        let body = MemberRoleRequest {
            role,
            reason: reason.clone(),
        };
        let path = format!("members/{}/role", component(member.as_str()));
        let req = Request::put(&self.staff_url(slug, &path));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// The audit log, oldest first.
    pub async fn audit_log(
        &self,
        slug: &str,
        cursor: Option<&Cursor>,
    ) -> Result<Paged<AuditRecord>, ApiError> {
        self.staff_get(slug, "moderation/audit", cursor).await
    }

    /// Every event, those that ended included (the organiser's history).
    pub async fn all_events(
        &self,
        slug: &str,
        cursor: Option<&Cursor>,
    ) -> Result<EventPage, ApiError> {
        let req = Request::get(&self.staff_url(slug, "events"))
            .query([("include_ended", "true"), ("limit", "50")]);
        send(paged(req, cursor), None::<&()>).await
    }

    pub async fn create_event(
        &self,
        csrf: &str,
        slug: &str,
        draft: &EventDraft,
    ) -> Result<OrganiserEventView, ApiError> {
        let req = Request::post(&self.staff_url(slug, "events"));
        self.staff_write(req, csrf, Some(draft)).await
    }

    /// Changes the title, description and place.
    pub async fn edit_event(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
        edit: &EventEdit,
    ) -> Result<OrganiserEventView, ApiError> {
        let req = Request::patch(&self.staff_url(slug, &format!("events/{id}")));
        self.staff_write(req, csrf, Some(edit)).await
    }

    pub async fn set_event_capacity(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
        request: &CapacityRequest,
    ) -> Result<OrganiserEventView, ApiError> {
        let req = Request::put(&self.staff_url(slug, &format!("events/{id}/capacity")));
        self.staff_write(req, csrf, Some(request)).await
    }

    pub async fn cancel_event(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
        request: &CancelEventRequest,
    ) -> Result<OrganiserEventView, ApiError> {
        let req = Request::post(&self.staff_url(slug, &format!("events/{id}/cancel")));
        self.staff_write(req, csrf, Some(request)).await
    }

    /// A new attendance code (the old one stops working).
    pub async fn rotate_attendance_code(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
    ) -> Result<OrganiserEventView, ApiError> {
        let req = Request::post(&self.staff_url(slug, &format!("events/{id}/attendance-code")));
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// Confirmed attendees in seat order, then the waitlist, with answers and check-ins.
    pub async fn attendees(&self, slug: &str, id: &str) -> Result<AttendeeList, ApiError> {
        self.staff_get(slug, &format!("events/{id}/attendees"), None)
            .await
    }

    /// Marks a confirmed member present without the code.
    pub async fn mark_attended(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
        member: &MemberId,
    ) -> Result<AttendanceResult, ApiError> {
        let path = format!("events/{id}/attendees/{member}/attendance");
        let req = Request::post(&self.staff_url(slug, &path));
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// The address of the attendee list as a spreadsheet (the session cookie authorises it).
    pub fn attendees_csv_url(&self, slug: &str, id: &str) -> String {
        self.staff_url(slug, &format!("events/{id}/attendees.csv"))
    }

    /// One page of the members directory matching `query` (staff).
    pub async fn members(
        &self,
        slug: &str,
        query: &MemberQuery,
        cursor: Option<&Cursor>,
    ) -> Result<Paged<MemberSummary>, ApiError> {
        let pairs: Vec<(String, String)> = match serde_json::to_value(query) {
            Ok(serde_json::Value::Object(fields)) => fields
                .into_iter()
                .map(|(name, value)| match value {
                    serde_json::Value::String(text) => (name, text),
                    other => (name, other.to_string()),
                })
                .collect(),
            _ => Vec::new(),
        };
        let req = Request::get(&self.staff_url(slug, "members"))
            .query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        send(paged(req, cursor), None::<&()>).await
    }

    /// One member's page: profile, level, balance, badges, tags and timeline (staff).
    pub async fn member(&self, slug: &str, member: &MemberId) -> Result<MemberDetail, ApiError> {
        let path = format!("members/{}", component(member.as_str()));
        self.staff_get(slug, &path, None).await
    }

    /// Puts a staff tag on a member (`add`) or takes it off.
    pub async fn tag_member(
        &self,
        csrf: &str,
        slug: &str,
        member: &MemberId,
        tag: &BrandTag,
        add: bool,
    ) -> Result<MemberTags, ApiError> {
        let path = format!(
            "members/{}/tags/{}",
            component(member.as_str()),
            component(tag.as_str())
        );
        let url = self.staff_url(slug, &path);
        let req = if add {
            Request::put(&url)
        } else {
            Request::delete(&url)
        };
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// Adds (or takes away) points with a reason: a ledger line (owner, admin).
    pub async fn adjust_points(
        &self,
        csrf: &str,
        slug: &str,
        member: &MemberId,
        delta: AdjustmentDelta,
        reason: &AdjustmentNote,
    ) -> Result<Adjusted, ApiError> {
        let body = serde_json::json!({ "member": member, "delta": delta, "reason": reason });
        let req = Request::post(&self.staff_url(slug, "points/adjustments"));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// Grants a badge to a member (`grant`) or revokes it (owner, admin).
    pub async fn set_badge(
        &self,
        csrf: &str,
        slug: &str,
        badge: &BadgeId,
        member: &MemberId,
        grant: bool,
    ) -> Result<BadgeHolder, ApiError> {
        let path = format!(
            "badges/{}/holders/{}",
            component(badge.as_str()),
            component(member.as_str())
        );
        let url = self.staff_url(slug, &path);
        let req = if grant {
            Request::post(&url)
        } else {
            Request::delete(&url)
        };
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// The point rules per action with their daily caps, and the check-in rules (streak
    /// bonuses, make-up cards).
    pub async fn point_rules(&self, slug: &str) -> Result<Rules, ApiError> {
        self.staff_get(slug, "points/rules", None).await
    }

    /// Replaces both the point rules and the check-in rules (owner, admin).
    pub async fn put_point_rules(
        &self,
        csrf: &str,
        slug: &str,
        points: &PointRules,
        checkin: &CheckinRules,
    ) -> Result<Rules, ApiError> {
        let body = serde_json::json!({ "points": points, "checkin": checkin });
        let req = Request::put(&self.staff_url(slug, "points/rules"));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// Replaces the level ladder (owner, admin).
    pub async fn put_levels(
        &self,
        csrf: &str,
        slug: &str,
        levels: &LevelLadder,
    ) -> Result<Levels, ApiError> {
        let body = serde_json::json!({ "levels": levels });
        let req = Request::put(&self.staff_url(slug, "levels"));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// Replaces the badge catalogue (owner, admin).
    pub async fn put_badges(
        &self,
        csrf: &str,
        slug: &str,
        badges: &BadgeCatalogue,
    ) -> Result<quanzi_core::app::points::Badges, ApiError> {
        let body = serde_json::json!({ "badges": badges });
        let req = Request::put(&self.staff_url(slug, "badges"));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// The stored rewards, withdrawn ones included (owner, admin).
    pub async fn reward_catalogue(
        &self,
        slug: &str,
        cursor: Option<&str>,
    ) -> Result<RewardCatalogue, ApiError> {
        let req = Request::get(&self.staff_url(slug, "rewards")).query([("include", "withdrawn")]);
        let req = match cursor {
            Some(cursor) => req.query([("cursor", cursor)]),
            None => req,
        };
        send(req, None::<&()>).await
    }

    pub async fn create_reward(
        &self,
        csrf: &str,
        slug: &str,
        reward: &Reward,
    ) -> Result<Reward, ApiError> {
        let req = Request::post(&self.staff_url(slug, "rewards"));
        self.staff_write(req, csrf, Some(reward)).await
    }

    /// Changes a reward's name, cost, stock or whether it is offered.
    pub async fn edit_reward(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
        edit: &RewardEdit,
    ) -> Result<Reward, ApiError> {
        let req = Request::put(&self.staff_url(slug, &format!("rewards/{id}")));
        self.staff_write(req, csrf, Some(edit)).await
    }

    /// A new topic; `id` is readable (`running-club`) or, when `None`, drawn by the worker.
    pub async fn create_topic(
        &self,
        csrf: &str,
        slug: &str,
        id: Option<&TopicId>,
        draft: &TopicDraft,
    ) -> Result<TopicView, ApiError> {
        let body = serde_json::json!({
            "id": id,
            "name": draft.name,
            "description": draft.description,
            "auto_join_tags": draft.auto_join_tags,
        });
        let req = Request::post(&self.staff_url(slug, "topics"));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// Replaces a topic's name, description and auto-join tags.
    pub async fn edit_topic(
        &self,
        csrf: &str,
        slug: &str,
        topic: &TopicId,
        draft: &TopicDraft,
    ) -> Result<TopicView, ApiError> {
        let req = Request::put(&self.staff_url(slug, &format!("topics/{topic}")));
        self.staff_write(req, csrf, Some(draft)).await
    }

    /// Pins, features or locks a thread (absent flags stay as they are).
    pub async fn set_thread_flags(
        &self,
        csrf: &str,
        slug: &str,
        thread: &ThreadId,
        change: &FlagChange,
    ) -> Result<ThreadView, ApiError> {
        let req = Request::put(&self.staff_url(slug, &format!("threads/{thread}/flags")));
        self.staff_write(req, csrf, Some(change)).await
    }

    /// The registered webhook endpoints (no secrets).
    pub async fn webhooks(&self, slug: &str) -> Result<WebhookList, ApiError> {
        self.staff_get(slug, "webhooks", None).await
    }

    /// A new endpoint; its signing secret is in this answer only.
    pub async fn create_webhook(
        &self,
        csrf: &str,
        slug: &str,
        webhook: &NewWebhook,
    ) -> Result<CreatedWebhook, ApiError> {
        let req = Request::post(&self.staff_url(slug, "webhooks"));
        self.staff_write(req, csrf, Some(webhook)).await
    }

    pub async fn delete_webhook(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
    ) -> Result<WebhookView, ApiError> {
        let req = Request::delete(&self.staff_url(slug, &format!("webhooks/{id}")));
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// An endpoint's last delivery attempts, newest first.
    pub async fn webhook_deliveries(
        &self,
        slug: &str,
        id: &str,
    ) -> Result<DeliveriesView, ApiError> {
        self.staff_get(slug, &format!("webhooks/{id}/deliveries"), None)
            .await
    }

    /// The community's automations (owner, admin).
    pub async fn automations(
        &self,
        slug: &str,
    ) -> Result<quanzi_core::app::automation::AutomationList, ApiError> {
        self.staff_get(slug, "automations", None).await
    }

    /// Saves a new automation (off unless `draft.enabled`).
    pub async fn create_automation(
        &self,
        csrf: &str,
        slug: &str,
        draft: &quanzi_core::automation::AutomationDraft,
    ) -> Result<quanzi_core::automation::Automation, ApiError> {
        let req = Request::post(&self.staff_url(slug, "automations"));
        self.staff_write(req, csrf, Some(draft)).await
    }

    pub async fn automation(
        &self,
        slug: &str,
        id: &str,
    ) -> Result<quanzi_core::automation::Automation, ApiError> {
        self.staff_get(slug, &format!("automations/{id}"), None)
            .await
    }

    /// Replaces an automation's trigger, segment, action and switch.
    pub async fn update_automation(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
        draft: &quanzi_core::automation::AutomationDraft,
    ) -> Result<quanzi_core::automation::Automation, ApiError> {
        let req = Request::put(&self.staff_url(slug, &format!("automations/{id}")));
        self.staff_write(req, csrf, Some(draft)).await
    }

    pub async fn delete_automation(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
    ) -> Result<quanzi_core::app::automation::AutomationDeleted, ApiError> {
        let req = Request::delete(&self.staff_url(slug, &format!("automations/{id}")));
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// How many and which members the automation would reach now, doing nothing.
    pub async fn dry_run_automation(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
    ) -> Result<quanzi_core::app::automation::DryRun, ApiError> {
        let req = Request::post(&self.staff_url(slug, &format!("automations/{id}/dry-run")));
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// The automation's last firings, newest first.
    pub async fn automation_runs(
        &self,
        slug: &str,
        id: &str,
    ) -> Result<quanzi_core::automation::RunLog, ApiError> {
        self.staff_get(slug, &format!("automations/{id}/runs"), None)
            .await
    }
    /// The team: teammates with roles, and pending invites (owner, admin).
    pub async fn team(&self, slug: &str) -> Result<Team, ApiError> {
        self.staff_get(slug, "team", None).await
    }

    /// A new invite for `email` with `role`; its link is in this answer only.
    pub async fn invite_teammate(
        &self,
        csrf: &str,
        slug: &str,
        invite: &NewInvite,
    ) -> Result<CreatedInvite, ApiError> {
        let req = Request::post(&self.staff_url(slug, "team/invites"));
        self.staff_write(req, csrf, Some(invite)).await
    }

    /// Withdraws a pending invite.
    pub async fn revoke_invite(
        &self,
        csrf: &str,
        slug: &str,
        id: &str,
    ) -> Result<InviteView, ApiError> {
        let path = format!("team/invites/{}", component(id));
        let req = Request::delete(&self.staff_url(slug, &path));
        self.staff_write(req, csrf, None::<&()>).await
    }

    /// The signed-in marketer accepts an invite to `slug`.
    pub async fn accept_invite(
        &self,
        csrf: &str,
        slug: &str,
        token: &str,
    ) -> Result<JoinedTeam, ApiError> {
        let body = serde_json::json!({ "token": token });
        let req = Request::post(&self.staff_url(slug, "team/accept"));
        self.staff_write(req, csrf, Some(&body)).await
    }

    /// Changes a teammate's role.
    pub async fn set_teammate_role(
        &self,
        csrf: &str,
        slug: &str,
        email: &str,
        role: Role,
    ) -> Result<Teammate, ApiError> {
        let path = format!("team/members/{}", component(email));
        let req = Request::put(&self.staff_url(slug, &path));
        self.staff_write(req, csrf, Some(&RoleChange { role }))
            .await
    }

    /// Removes a teammate from the team.
    pub async fn remove_teammate(
        &self,
        csrf: &str,
        slug: &str,
        email: &str,
    ) -> Result<Teammate, ApiError> {
        let path = format!("team/members/{}", component(email));
        let req = Request::delete(&self.staff_url(slug, &path));
        self.staff_write(req, csrf, None::<&()>).await
    }
}

/// Data portability and erasure (`quanzi_core::app::data`).
impl Client {
    /// One page of the whole community's export, after `cursor` (the owner).
    pub async fn export_community(
        &self,
        slug: &str,
        cursor: Option<&str>,
    ) -> Result<quanzi_core::app::data::ExportDocument, ApiError> {
        let req = Request::get(&self.staff_url(slug, "export"));
        let req = match cursor {
            Some(cursor) => req.query([("cursor", cursor)]),
            None => req,
        };
        send(req, None::<&()>).await
    }

    /// Imports a whole export (every page's entries) into this fresh community (the owner).
    pub async fn import_community(
        &self,
        csrf: &str,
        slug: &str,
        document: &quanzi_core::app::data::ExportDocument,
    ) -> Result<quanzi_core::app::data::Imported, ApiError> {
        let req = Request::post(&self.staff_url(slug, "import"));
        self.staff_write(req, csrf, Some(document)).await
    }

    /// Everything stored about one member (owner, admin).
    pub async fn export_member(
        &self,
        slug: &str,
        member: &MemberId,
    ) -> Result<quanzi_core::app::data::MemberExport, ApiError> {
        let path = format!("members/{}/export", component(member.as_str()));
        self.staff_get(slug, &path, None).await
    }

    /// Erases a member on their request: anonymised under a pseudonym (owner, admin).
    pub async fn erase_member(
        &self,
        csrf: &str,
        slug: &str,
        member: &MemberId,
    ) -> Result<quanzi_core::app::data::Erased, ApiError> {
        let path = format!("members/{}", component(member.as_str()));
        let req = Request::delete(&self.staff_url(slug, &path));
        self.staff_write(req, csrf, None::<&()>).await
    }
}
