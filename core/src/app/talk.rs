//! Talk: topics, threads, replies, reactions, Q&A, per-page threads, feeds.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::ids::CommunitySlug;
use crate::store::Store;
use crate::time::Timestamp;

use super::{Actor, Outcome};

/// The commands of this area (see [`super::Command::Talk`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TalkCommand {}

/// The replies of this area; [`TalkReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum TalkReply {}

impl TalkReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        match self {}
    }
}

pub async fn handle(
    _store: &impl Store,
    _slug: &CommunitySlug,
    _actor: &Actor,
    command: TalkCommand,
    _now: Timestamp,
) -> Result<Outcome, ApiError> {
    match command {}
}
