//! The application layer: one [`Command`] from one [`Actor`] at one instant, against one
//! community's [`Store`]. It loads, decides (authorisation included), writes one atomic
//! batch and returns the reply. The worker only adapts HTTP to this function.

use serde::{Deserialize, Serialize};

use crate::accounts::{Email, Role};
use crate::api::{CommunitySettings, CommunityView};
use crate::community::{Community, Origin};
use crate::error::{ApiError, ErrorCode};
use crate::ids::CommunitySlug;
use crate::store::{Batch, Store, StoreError, get_json};
use crate::time::Timestamp;

/// Who is asking. The worker establishes this (token, cookie, operator secret) before
/// calling [`handle`]; core decides what each actor may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    /// A visitor without credentials: may read public things.
    Anonymous,
    /// The operator of this deployment (holder of the operator secret).
    Operator,
    /// A signed-in marketer; their role in this community is looked up here, in the
    /// community's own staff list, never taken from the request.
    Marketer { email: Email },
}

/// Everything a community can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Read the community's public configuration.
    GetCommunity,
    /// A marketer creates this community and becomes its owner. Refused if it exists.
    CreateCommunity { settings: CommunitySettings },
    /// Replace the settings (the operator may also create this way).
    PutCommunity { settings: CommunitySettings },
}

/// What a community answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum Reply {
    Community(CommunityView),
}

/// The public configuration that the worker caches in KV: what to show, and which origins
/// may embed it (for CORS without a Durable Object call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicConfig {
    pub community: CommunityView,
    pub allowed_origins: Vec<Origin>,
}

impl PublicConfig {
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins
            .iter()
            .any(|o| o.as_str().eq_ignore_ascii_case(origin))
    }
}

impl From<&Community> for PublicConfig {
    fn from(c: &Community) -> Self {
        Self {
            community: CommunityView::from(c),
            allowed_origins: c.allowed_origins.clone(),
        }
    }
}

/// The reply, plus what the caller must republish to the public cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub reply: Reply,
    /// Set when the public configuration is new or changed.
    pub republish: Option<PublicConfig>,
}

impl Outcome {
    fn read(reply: Reply) -> Self {
        Self {
            reply,
            republish: None,
        }
    }
}

/// Storage keys of a community. One place, so that a key is never spelled twice.
pub mod keys {
    pub const COMMUNITY: &str = "community";

    /// The role of a marketer in this community.
    pub fn staff(email: &crate::accounts::Email) -> String {
        format!("staff/{email}")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        // The detail goes to the log by the caller; clients get no internals.
        let _ = e;
        ApiError::new(
            ErrorCode::Internal,
            "something went wrong on our side; please retry",
        )
    }
}

fn community_not_found(slug: &CommunitySlug) -> ApiError {
    ApiError::new(
        ErrorCode::CommunityNotFound,
        format!("there is no community `{slug}`"),
    )
}

/// Loads the community's settings, or `community_not_found`.
pub async fn load_community(
    store: &impl Store,
    slug: &CommunitySlug,
) -> Result<Community, ApiError> {
    get_json::<Community>(store, keys::COMMUNITY)
        .await?
        .ok_or_else(|| community_not_found(slug))
}

/// Runs one command for `actor` against the community `slug` whose state is in `store`.
pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: Command,
    _now: Timestamp,
) -> Result<Outcome, ApiError> {
    match command {
        Command::GetCommunity => {
            let community = load_community(store, slug).await?;
            Ok(Outcome::read(Reply::Community(CommunityView::from(
                &community,
            ))))
        }
        Command::CreateCommunity { settings } => {
            let Actor::Marketer { email } = actor else {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "sign in to create a community",
                ));
            };
            if store.get(keys::COMMUNITY).await?.is_some() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!("the address `{slug}` is taken; pick another"),
                ));
            }
            let community = community_from(slug, settings)?;
            let mut batch = Batch::new();
            batch.put_json(keys::COMMUNITY, &community)?;
            batch.put_json(keys::staff(email), &Role::Owner)?;
            store.commit(batch).await?;
            Ok(Outcome {
                reply: Reply::Community(CommunityView::from(&community)),
                republish: Some(PublicConfig::from(&community)),
            })
        }
        Command::PutCommunity { settings } => {
            match actor {
                Actor::Operator => {}
                Actor::Marketer { email } => {
                    load_community(store, slug).await?;
                    let role = get_json::<Role>(store, &keys::staff(email)).await?;
                    if !matches!(role, Some(Role::Owner | Role::Admin)) {
                        return Err(ApiError::new(
                            ErrorCode::Forbidden,
                            "only the community's owner and admins may change its settings",
                        ));
                    }
                }
                Actor::Anonymous => {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "only the community's owner and admins may change its settings",
                    ));
                }
            }
            let community = community_from(slug, settings)?;
            let mut batch = Batch::new();
            batch.put_json(keys::COMMUNITY, &community)?;
            store.commit(batch).await?;
            Ok(Outcome {
                reply: Reply::Community(CommunityView::from(&community)),
                republish: Some(PublicConfig::from(&community)),
            })
        }
    }
}

/// Settings checked against the rules that span fields.
fn community_from(
    slug: &CommunitySlug,
    settings: CommunitySettings,
) -> Result<Community, ApiError> {
    if settings.allowed_origins.len() > Community::MAX_ORIGINS {
        return Err(ApiError::invalid(format!(
            "a community allows at most {} origins",
            Community::MAX_ORIGINS
        )));
    }
    if settings.theme.radius > 24 {
        return Err(ApiError::invalid(
            "the corner radius must be between 0 and 24 pixels",
        ));
    }
    Ok(Community {
        slug: slug.clone(),
        name: settings.name,
        slogan: settings.slogan,
        locale: settings.locale,
        time_zone: settings.time_zone,
        allowed_origins: settings.allowed_origins,
        theme: settings.theme,
    })
}

/// The public configuration of the community in `store`, for the cache.
pub async fn public_config(
    store: &impl Store,
    slug: &CommunitySlug,
) -> Result<PublicConfig, ApiError> {
    Ok(PublicConfig::from(&load_community(store, slug).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemoryStore, block_on};

    fn slug() -> CommunitySlug {
        CommunitySlug::parse("demo").unwrap()
    }

    fn settings(json: serde_json::Value) -> CommunitySettings {
        serde_json::from_value(json).unwrap()
    }

    const NOW: Timestamp = Timestamp(1_790_000_000_000);

    #[test]
    fn an_unknown_community_is_not_found() {
        let store = MemoryStore::new();
        let err = block_on(handle(
            &store,
            &slug(),
            &Actor::Anonymous,
            Command::GetCommunity,
            NOW,
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::CommunityNotFound);
    }

    #[test]
    fn the_operator_creates_and_anyone_reads() {
        let store = MemoryStore::new();
        let put = Command::PutCommunity {
            settings: settings(serde_json::json!({
                "name": "  圈子 Demo ",
                "allowed_origins": ["http://127.0.0.1:8788"]
            })),
        };
        let created = block_on(handle(&store, &slug(), &Actor::Operator, put, NOW)).unwrap();
        let published = created.republish.unwrap();
        assert!(published.allows_origin("http://127.0.0.1:8788"));
        assert!(!published.allows_origin("https://evil.example"));

        let read = block_on(handle(
            &store,
            &slug(),
            &Actor::Anonymous,
            Command::GetCommunity,
            NOW,
        ))
        .unwrap();
        let Reply::Community(view) = read.reply;
        assert_eq!(view.name, "圈子 Demo");
        assert_eq!(view.time_zone, "Asia/Shanghai");
        assert_eq!(read.republish, None);
    }

    #[test]
    fn only_the_operator_may_create_and_a_refusal_writes_nothing() {
        let store = MemoryStore::new();
        let put = Command::PutCommunity {
            settings: settings(serde_json::json!({"name": "x"})),
        };
        let err = block_on(handle(&store, &slug(), &Actor::Anonymous, put, NOW)).unwrap_err();
        assert_eq!(err.code, ErrorCode::Forbidden);
        assert!(store.is_empty());
        assert_eq!(store.ops().commits, 0);
    }

    fn marketer(email: &str) -> Actor {
        Actor::Marketer {
            email: Email::parse(email).unwrap(),
        }
    }

    #[test]
    fn a_marketer_creates_a_community_once_and_owns_it() {
        let store = MemoryStore::new();
        let create = || Command::CreateCommunity {
            settings: settings(serde_json::json!({"name": "Tea"})),
        };
        let mia = marketer("mia@brand.example");
        let created = block_on(handle(&store, &slug(), &mia, create(), NOW)).unwrap();
        assert!(created.republish.is_some());
        let again = block_on(handle(
            &store,
            &slug(),
            &marketer("leo@brand.example"),
            create(),
            NOW,
        ));
        assert_eq!(again.unwrap_err().code, ErrorCode::Conflict);
        let anonymous = block_on(handle(&store, &slug(), &Actor::Anonymous, create(), NOW));
        assert_eq!(anonymous.unwrap_err().code, ErrorCode::Forbidden);

        let rename = |who: &Actor| {
            let put = Command::PutCommunity {
                settings: settings(serde_json::json!({"name": "Renamed"})),
            };
            block_on(handle(&store, &slug(), who, put, NOW))
        };
        assert_eq!(
            rename(&marketer("leo@brand.example")).unwrap_err().code,
            ErrorCode::Forbidden
        );
        assert!(rename(&mia).is_ok());
    }

    #[test]
    fn bad_settings_are_refused_before_any_write() {
        let bad = [
            serde_json::json!({"name": ""}),
            serde_json::json!({"name": "x", "time_zone": "Mars/Base"}),
            serde_json::json!({"name": "x", "allowed_origins": ["https://a.example/path"]}),
            serde_json::json!({"name": "x", "surprise": true}),
        ];
        for json in bad {
            assert!(
                serde_json::from_value::<CommunitySettings>(json.clone()).is_err(),
                "{json}"
            );
        }
        let store = MemoryStore::new();
        let mut too_round = settings(serde_json::json!({"name": "x"}));
        too_round.theme.radius = 25;
        let err = block_on(handle(
            &store,
            &slug(),
            &Actor::Operator,
            Command::PutCommunity {
                settings: too_round,
            },
            NOW,
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(store.is_empty());
    }

    #[test]
    fn a_read_costs_one_storage_get() {
        let store = MemoryStore::new();
        let put = Command::PutCommunity {
            settings: settings(serde_json::json!({"name": "x"})),
        };
        block_on(handle(&store, &slug(), &Actor::Operator, put, NOW)).unwrap();
        let before = store.ops();
        block_on(handle(
            &store,
            &slug(),
            &Actor::Anonymous,
            Command::GetCommunity,
            NOW,
        ))
        .unwrap();
        let after = store.ops();
        assert_eq!(
            (
                after.gets - before.gets,
                after.lists - before.lists,
                after.commits - before.commits
            ),
            (1, 0, 0)
        );
    }
}
