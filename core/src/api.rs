//! Wire types: what crosses HTTP between the worker and its clients (widget, dashboard,
//! the brand's server). Bounded fields are the parsing newtypes, so a request that
//! deserialises is already valid.

use serde::{Deserialize, Serialize};

use crate::community::{
    Community, CommunityName, Features, Locale, Origin, Slogan, Theme, TimeZone,
};
use crate::ids::CommunitySlug;

/// `PUT /api/v1/admin/communities/{slug}`: create a community or replace its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// What anyone may read about a community: `GET /api/v1/communities/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityView {
    pub slug: CommunitySlug,
    pub name: String,
    pub slogan: String,
    pub locale: Locale,
    pub time_zone: String,
    pub theme: Theme,
    #[serde(default)]
    pub features: Features,
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
        }
    }
}
