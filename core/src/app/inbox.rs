//! Notifications (the member's inbox) and the activity log.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::ids::CommunitySlug;
use crate::store::Store;
use crate::time::Timestamp;

use super::{Actor, Outcome};

/// The commands of this area (see [`super::Command::Inbox`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboxCommand {}

/// The replies of this area; [`InboxReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum InboxReply {}

impl InboxReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        match self {}
    }
}

pub async fn handle(
    _store: &impl Store,
    _slug: &CommunitySlug,
    _actor: &Actor,
    command: InboxCommand,
    _now: Timestamp,
) -> Result<Outcome, ApiError> {
    match command {}
}
