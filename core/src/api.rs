//! Wire types: what crosses HTTP between the worker and its clients (widget, dashboard,
//! the brand's server). Bounded fields are the parsing newtypes, so a request that
//! deserialises is already valid.

use serde::{Deserialize, Serialize};

use crate::community::{
    Community, CommunityName, Features, Locale, LogoUrl, Origin, Slogan, Theme, TimeZone,
};
use crate::ids::CommunitySlug;

/// `PUT /api/v1/admin/communities/{slug}`: create a community or replace its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommunitySettings {
    pub name: CommunityName,
    #[serde(default)]
    pub slogan: Slogan,
    #[serde(default)]
    pub locale: Locale,
    #[serde(default)]
    pub time_zone: TimeZone,
    #[serde(default)]
    pub allowed_origins: Vec<Origin>,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default)]
    pub features: Features,
    /// Posting needs `phone_verified: true` in the member's token (default off).
    #[serde(default)]
    pub posting_requires_phone_verified: bool,
    /// An `https://` image shown beside the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<LogoUrl>,
}

impl From<&Community> for CommunitySettings {
    /// The settings as their owner last saved them (what the dashboard edits).
    fn from(c: &Community) -> Self {
        Self {
            name: c.name.clone(),
            slogan: c.slogan.clone(),
            locale: c.locale,
            time_zone: c.time_zone,
            allowed_origins: c.allowed_origins.clone(),
            theme: c.theme.clone(),
            features: c.features,
            posting_requires_phone_verified: c.posting_requires_phone_verified,
            logo: c.logo.clone(),
        }
    }
}

/// What anyone may read about a community: `GET /api/v1/communities/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityView {
    pub slug: CommunitySlug,
    pub name: String,
    pub slogan: String,
    pub locale: Locale,
    pub time_zone: String,
    pub theme: Theme,
    #[serde(default)]
    pub features: Features,
    /// Posting needs a verified phone: the widget can say so before a member writes.
    #[serde(default)]
    pub posting_requires_phone_verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

impl From<&Community> for CommunityView {
    fn from(c: &Community) -> Self {
        Self {
            slug: c.slug.clone(),
            name: c.name.to_string(),
            slogan: c.slogan.to_string(),
            locale: c.locale,
            time_zone: String::from(c.time_zone),
            theme: c.theme.clone(),
            features: c.features,
            posting_requires_phone_verified: c.posting_requires_phone_verified,
            logo: c.logo.as_ref().map(|l| l.as_str().to_owned()),
        }
    }
}

/// The widget's first view as the worker draws it (`GET …/first-view`): the stylesheet for
/// the shadow root and the HTML of the community's home, the markup the app draws, so that
/// a page shows the widget before the app has loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstView {
    /// The widget's styles and the community's theme (CSS).
    pub css: String,
    /// One `<section class="qz-root">`; members' text in it is escaped.
    pub html: String,
}
