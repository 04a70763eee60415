//! HTTP routes of the events area.

use quanzi_core::ids::CommunitySlug;
use worker::{Env, Request};

use super::Answer;

/// Routes `rest` (starting with this area's first segment), or `None` if unknown here.
pub async fn route(
    _req: Request,
    _env: &Env,
    _slug: &CommunitySlug,
    _rest: &[&str],
) -> Option<Answer> {
    None
}
