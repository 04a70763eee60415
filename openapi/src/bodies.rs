//! Bodies the worker reads or writes with structs of its own (private to a handler in
//! `edge/src/routes.rs` or `edge/src/api/*.rs`), restated here over core's field types so the
//! document can describe them. Each names the handler it mirrors: keep the two in step.
//! Every other body in the document is core's own type.
#![allow(
    dead_code,
    reason = "schema-only types: the document reads their shape, never their values"
)]

use quanzi_core::api::CommunitySettings;
use quanzi_core::ids::{BrandTag, CommunitySlug, MemberId};
use quanzi_core::moderation::{BanDays, ContentRef, ModReason, ModerationSettings};
use quanzi_core::points::{AdjustmentDelta, AdjustmentNote};
use quanzi_core::recognition::BadgeId;
use quanzi_core::talk::{TopicDescription, TopicId, TopicName};
use utoipa::ToSchema;

/// `POST /api/v1/communities` (`routes::create_community`): a marketer creates a community
/// and becomes its owner.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommunity {
    pub slug: CommunitySlug,
    pub settings: CommunitySettings,
}

/// `POST …/topics` (`api::talk::NewTopic`): `id` is optional (a readable one such as
/// `running-club`, or one drawn by the worker).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTopic {
    #[serde(default)]
    pub id: Option<TopicId>,
    pub name: TopicName,
    #[serde(default)]
    pub description: TopicDescription,
    /// Members whose brand tags include one of these join the topic automatically.
    #[serde(default)]
    pub auto_join_tags: Vec<BrandTag>,
}

/// `PUT …/me/title` (`api::points::choose_title`): the badge to show as a title, or `null`
/// for none.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChooseTitle {
    pub badge: Option<BadgeId>,
}

/// `POST …/points/adjustments` (`api::points::adjust`): staff add or take points.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAdjustment {
    pub member: MemberId,
    pub delta: AdjustmentDelta,
    pub reason: AdjustmentNote,
}

/// An optional reason (`api::membership::ReasonBody`): reviews of applications, unbans.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionalReason {
    #[serde(default)]
    pub reason: ModReason,
}

/// `POST …/moderation/hide|restore|approve|reject` (`api::membership::set_visibility`,
/// `review_post`): the post or reply, and why.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentAction {
    pub target: ContentRef,
    #[serde(default)]
    pub reason: ModReason,
}

/// `PUT …/members/{member}/ban` (`api::membership::ban`): for `days` (1–3650), or for good
/// without it.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BanRequest {
    #[serde(default)]
    pub days: Option<BanDays>,
    #[serde(default)]
    pub reason: ModReason,
}

/// `PUT …/moderation/settings` (`api::membership::put_settings`): the settings, and why
/// they changed (for the audit log).
#[derive(ToSchema)]
pub struct ModerationSettingsChange {
    #[serde(flatten)]
    pub settings: ModerationSettings,
    #[serde(default)]
    pub reason: ModReason,
}
