//! The dashboard's calls: a marketer's settings, sign-in keys, join policy, moderation and
//! events, and their own password. The session cookie goes with every same-origin request;
//! writes carry the session's CSRF token (`csrf`).

use gloo_net::http::{Request, RequestBuilder};
use quanzi_core::accounts::Me;
use quanzi_core::api::{CommunitySettings, CommunityView};
use quanzi_core::app::events::{AttendanceResult, AttendeeList, EventPage};
use quanzi_core::app::membership::{AuditRecord, ContentVisibility, Paged};
use quanzi_core::error::ApiError;
use quanzi_core::events::{
    CancelEventRequest, CapacityRequest, EventDraft, EventEdit, OrganiserEventView,
};
use quanzi_core::ids::MemberId;
use quanzi_core::join::JoinPolicy;
use quanzi_core::moderation::{
    AuditEntry, Ban, BanDays, ContentRef, ModReason, QueueEntry, ResolveRequest,
};
use quanzi_core::sso::{NewSsoKey, SsoKeyView};
use quanzi_core::talk::Cursor;
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
}
