//! Data portability and erasure: a whole community exported as one versioned JSON document
//! and imported into a freshly created one; one member's data exported, or erased on
//! request (PIPL / GDPR).
//!
//! **Export** (owner) is every key and value of the community's storage, a page at a time in
//! key order, except what must not leave it ([`PRIVATE_PREFIXES`]): the member sign-in
//! secrets (`sso/`), the team and its invites (`staff/`, `team/`: roles are granted through
//! the directory, never by a file), webhook endpoints with their signing secrets and
//! deliveries (`webhook/`), idempotency records (`idem/`, `idem-exp/`), and the worker's own
//! bookkeeping (`edge/`: the anonymous snapshots it published). Rate-limit counters live in
//! memory and are never stored.
//!
//! **Import** (owner) takes the entries of every page of an export, checks the document
//! whole (format, version, every key under a known root of the layout, no key twice, no
//! value over [`MAX_VALUE_BYTES`], the community record valid) and only then writes, in one
//! transaction, into a community that has no content yet (only its record, team, keys and
//! webhooks: otherwise `community_not_empty`). The slug is rewritten where the layout embeds
//! it (the `community` record); the imported settings replace the new community's.
//!
//! **Erasure** (owner, admin) anonymises as Discourse does: the member's id becomes a
//! pseudonym `erased-{n}` where the layout keeps a member id — the key positions and value
//! fields of the [`layout`] module, nowhere else (posts stay readable, ledger lines keep
//! their amounts, sign-ups keep their seats, audit and activity entries keep what happened,
//! pending webhook deliveries carry the pseudonym); whole `@name` and `@{id}` mentions of them
//! in posts become [`ERASED_NAME`] and the pseudonym; and what is personal is removed: the
//! profile and display name, staff tags, notifications, membership and application (join
//! answers), event answers, the `@name` index, leaderboard entries, the directory index (so
//! search cannot find them), the check-in reminder, role, ban and moderation history of
//! their texts, and idempotency answers that quote them. Totals and rollups are counts and
//! stay. The store is read a page at a time; the writes are one transaction.
//!
//! **A member's export** (owner, admin) is every stored entry that names the member where
//! the layout keeps one (their own keys, and others' entries in which they are the author,
//! actor, reporter, reactor…), as it is stored.
//!
//! Storage: `data/erased-seq` → the last pseudonym number used.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::community::Community;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::sso::MemberProfile;
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;

use super::{Actor, Outcome, PublicConfig, Reply, identity, keys};
use layout::Identity;

/// The `format` of a community export.
pub const FORMAT: &str = "quanzi-export";
/// The `format` of one member's export.
pub const MEMBER_FORMAT: &str = "quanzi-member-export";
/// The version of both formats.
pub const VERSION: u32 = 1;
/// Entries per export page unless asked otherwise, and at most.
pub const PAGE: u32 = 1000;
pub const MAX_PAGE: u32 = 5000;
/// The most entries one import takes.
pub const MAX_IMPORT_ENTRIES: usize = 100_000;
/// The longest key an import takes.
pub const MAX_KEY_LEN: usize = 512;
/// What an erased member is called where their name was.
pub const ERASED_NAME: &str = "Deleted member";

/// Key prefixes that never leave a community through an export, nor enter through an import.
/// `edge/` is the worker's own bookkeeping (which anonymous snapshots it published, with the
/// slug): carried into another community it would describe the wrong one.
pub const PRIVATE_PREFIXES: &[&str] = &[
    "sso/",
    "staff/",
    "team/",
    "webhook/",
    "idem/",
    "idem-exp/",
    "edge/",
];

/// Key prefixes of derived data that an export leaves out and an import refuses: the
/// leaderboards' rank index is rebuilt from the boards on each period's next write (pages of
/// an export are not one snapshot, so an imported index could disagree with its board).
pub const DERIVED_PREFIXES: &[&str] = &["board-rank/"];

/// The first segments of the storage layout an import may write.
pub const KNOWN_ROOTS: &[&str] = &[
    "community",
    "rules",
    "member",
    "talk",
    "mod",
    "board",
    "checkin",
    "active",
    "activity",
    "insight",
    "automation",
    "event",
    "event-roster",
    "event-answers",
    "event-reminders",
    "event-ends",
    "reward",
    "join",
    "application",
    "data",
];

/// Storage keys of this area.
pub mod data_keys {
    pub const ERASED_SEQ: &str = "data/erased-seq";
}

/// Entries read per storage list.
const SCAN_PAGE: usize = 1000;
/// The largest value an import writes, in bytes of JSON: the store's limit for one value.
pub const MAX_VALUE_BYTES: usize = 128 * 1024;

/// A community's storage as a document: one page of it, or (for an import) all pages'
/// entries together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportDocument {
    /// Always `quanzi-export`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The community exported.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub slug: CommunitySlug,
    pub exported_at: Timestamp,
    /// `[key, value]` pairs in key order; values are the stored JSON.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<serde_json::Value>>))]
    pub entries: Vec<(String, Value)>,
    /// The cursor of the next page (`?cursor=`); absent on the last page. An import takes
    /// only a whole document: every page's entries together, without `next`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// One member's stored data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberExport {
    /// Always `quanzi-member-export`.
    pub format: String,
    pub version: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub slug: CommunitySlug,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub member: MemberId,
    pub exported_at: Timestamp,
    /// `[key, value]` pairs naming the member, in key order.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<serde_json::Value>>))]
    pub entries: Vec<(String, Value)>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    /// Entries written.
    pub entries: u64,
}

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erased {
    /// The pseudonym the member's posts, ledger lines and log entries now carry.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub pseudonym: MemberId,
    /// Entries rewritten under the pseudonym, and entries removed.
    pub rewritten: u64,
    pub removed: u64,
}

/// The commands of this area (see [`super::Command::Data`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DataCommand {
    /// `GET …/export?cursor=&limit=`: one page of the community's export (owner).
    Export {
        #[serde(default)]
        cursor: Option<String>,
        #[serde(default)]
        limit: Option<u32>,
    },
    /// `POST …/import`: a whole export into this fresh community (owner).
    Import { document: Box<ExportDocument> },
    /// `GET …/members/{member}/export` (owner, admin).
    ExportMember { member: MemberId },
    /// `GET …/me/export`: the signed-in member's own data (their right of access).
    ExportMine,
    /// `DELETE …/members/{member}` (owner, admin).
    EraseMember { member: MemberId },
}

/// The replies of this area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum DataReply {
    Export(Box<ExportDocument>),
    Imported(Imported),
    MemberExport(Box<MemberExport>),
    Erased(Erased),
}

impl DataReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<Value, ApiError> {
        let value = match self {
            Self::Export(v) => serde_json::to_value(v),
            Self::Imported(v) => serde_json::to_value(v),
            Self::MemberExport(v) => serde_json::to_value(v),
            Self::Erased(v) => serde_json::to_value(v),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: DataCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    match command {
        DataCommand::Export { cursor, limit } => {
            require_owner(store, slug, actor).await?;
            let doc = export_page(store, slug, cursor, limit, now).await?;
            Ok(Outcome::read(Reply::Data(DataReply::Export(Box::new(doc)))))
        }
        DataCommand::Import { document } => {
            require_owner(store, slug, actor).await?;
            let (imported, community) = import(store, slug, *document).await?;
            Ok(Outcome {
                reply: Reply::Data(DataReply::Imported(imported)),
                republish: Some(PublicConfig::from(&community)),
            })
        }
        DataCommand::ExportMember { member } => {
            require_owner_or_admin(store, slug, actor).await?;
            let export = export_member(store, slug, &member, Scope::Staff, now).await?;
            Ok(Outcome::read(Reply::Data(DataReply::MemberExport(
                Box::new(export),
            ))))
        }
        DataCommand::ExportMine => {
            let me = identity::member(store, slug, actor, now).await?;
            let export = export_member(store, slug, &me.id, Scope::Own, now).await?;
            Ok(Outcome::read(Reply::Data(DataReply::MemberExport(
                Box::new(export),
            ))))
        }
        DataCommand::EraseMember { member } => {
            require_owner_or_admin(store, slug, actor).await?;
            let erased = erase_member(store, &member).await?;
            Ok(Outcome::read(Reply::Data(DataReply::Erased(erased))))
        }
    }
}

/// The operator, the community's owner or an admin: a member's data is theirs to hand over
/// or erase. Strangers are `unauthenticated`, members and other staff `forbidden`.
async fn require_owner_or_admin(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
) -> Result<(), ApiError> {
    match actor {
        Actor::Anonymous => Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "sign in to the dashboard as the community's owner or an admin",
        )),
        Actor::Member { .. } => Err(ApiError::new(
            ErrorCode::Forbidden,
            "only the community's owner and admins may export or erase a member's data",
        )),
        Actor::Operator | Actor::Marketer { .. } => {
            identity::require_settings_access(store, slug, actor)
                .await
                .map_err(|e| match e.code {
                    ErrorCode::Forbidden => ApiError::new(
                        ErrorCode::Forbidden,
                        "only the community's owner and admins may export or erase a member's data",
                    ),
                    _ => e,
                })
        }
    }
}

/// The operator or the community's owner; everyone else is refused.
async fn require_owner(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
) -> Result<(), ApiError> {
    let refused = |code, message: &str| Err(ApiError::new(code, message.to_owned()));
    match actor {
        Actor::Operator => super::load_community(store, slug).await.map(|_| ()),
        Actor::Marketer { email } => {
            super::load_community(store, slug).await?;
            match get_json::<crate::accounts::Role>(store, &keys::staff(email)).await? {
                Some(crate::accounts::Role::Owner) => Ok(()),
                _ => refused(
                    ErrorCode::Forbidden,
                    "only the community's owner may export or import all of its data",
                ),
            }
        }
        Actor::Member { .. } => refused(
            ErrorCode::Forbidden,
            "only the community's owner may export or import all of its data",
        ),
        Actor::Anonymous => refused(
            ErrorCode::Unauthenticated,
            "sign in to the dashboard as the community's owner",
        ),
    }
}

fn is_private(key: &str) -> bool {
    PRIVATE_PREFIXES.iter().any(|p| key.starts_with(p))
}

fn is_derived(key: &str) -> bool {
    DERIVED_PREFIXES.iter().any(|p| key.starts_with(p))
}

fn corrupt(key: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::from(crate::store::StoreError(format!(
        "corrupt value at {key}: {e}"
    )))
}

/// One page of the export, after `cursor` (a key).
async fn export_page(
    store: &impl Store,
    slug: &CommunitySlug,
    cursor: Option<String>,
    limit: Option<u32>,
    now: Timestamp,
) -> Result<ExportDocument, ApiError> {
    let limit = match limit.unwrap_or(PAGE) {
        n @ 1..=MAX_PAGE => n as usize,
        _ => {
            return Err(ApiError::invalid(format!(
                "`limit` must be between 1 and {MAX_PAGE}"
            )));
        }
    };
    if cursor
        .as_ref()
        .is_some_and(|c| c.is_empty() || c.len() > MAX_KEY_LEN)
    {
        return Err(ApiError::invalid(
            "`cursor` must be the `next` of a previous page",
        ));
    }
    let page = store.list("", cursor.as_deref(), limit).await?;
    let mut entries = Vec::with_capacity(page.entries.len());
    for (key, text) in page.entries {
        if is_private(&key) || is_derived(&key) {
            continue;
        }
        let value: Value = serde_json::from_str(&text).map_err(|e| corrupt(&key, e))?;
        entries.push((key, value));
    }
    Ok(ExportDocument {
        format: FORMAT.to_owned(),
        version: VERSION,
        slug: slug.clone(),
        exported_at: now,
        entries,
        next: page.next,
    })
}

/// One page of the whole store after `after`, in key order: every reader here walks the
/// store a page at a time, so memory stays bounded however large the community.
async fn scan_page(
    store: &impl Store,
    after: Option<&str>,
) -> Result<crate::store::Page, ApiError> {
    Ok(store.list("", after, SCAN_PAGE).await?)
}

/// Whether the community holds anything beyond its record, team, keys and webhooks.
async fn has_content(store: &impl Store) -> Result<bool, ApiError> {
    let mut after: Option<String> = None;
    loop {
        let page = scan_page(store, after.as_deref()).await?;
        if page
            .entries
            .iter()
            .any(|(key, _)| key != keys::COMMUNITY && !is_private(key))
        {
            return Ok(true);
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(false),
        }
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::invalid(message)
}

/// Checks `document` whole, then writes it into the fresh community `slug`.
async fn import(
    store: &impl Store,
    slug: &CommunitySlug,
    document: ExportDocument,
) -> Result<(Imported, Community), ApiError> {
    if document.format != FORMAT {
        return Err(bad(format!(
            "`format` must be `{FORMAT}`, not `{}`",
            document.format
        )));
    }
    if document.version != VERSION {
        return Err(bad(format!(
            "this server reads export version {VERSION}, not {}",
            document.version
        )));
    }
    if document.next.is_some() {
        return Err(bad(
            "this document is one page of an export: import every page's entries together, without `next`",
        ));
    }
    if document.entries.len() > MAX_IMPORT_ENTRIES {
        return Err(bad(format!(
            "an import takes at most {MAX_IMPORT_ENTRIES} entries"
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut community: Option<Community> = None;
    let mut batch = Batch::new();
    for (key, value) in &document.entries {
        check_key(key)?;
        if !seen.insert(key.as_str()) {
            return Err(bad(format!("the key `{key}` appears twice")));
        }
        if key == keys::COMMUNITY {
            let mut record: Community = serde_json::from_value(value.clone())
                .map_err(|e| bad(format!("the `community` entry is not valid: {e}")))?;
            record.slug = slug.clone();
            batch.put_json(keys::COMMUNITY, &record)?;
            community = Some(record);
        } else {
            let bytes = serde_json::to_string(value)
                .map(|t| t.len())
                .unwrap_or(usize::MAX);
            if bytes > MAX_VALUE_BYTES {
                return Err(bad(format!(
                    "the value of `{key}` is {bytes} bytes; a value is at most {MAX_VALUE_BYTES}"
                )));
            }
            batch.put_json(key.as_str(), value)?;
        }
    }
    let community = community.ok_or_else(|| bad("the document has no `community` entry"))?;
    // Fresh: nothing but the record, the team, the keys and the webhooks.
    if has_content(store).await? {
        return Err(ApiError::new(
            ErrorCode::CommunityNotEmpty,
            "this community already has content: import into a freshly created community",
        ));
    }
    let written = batch.writes().len() as u64;
    // One transaction: the import lands whole or not at all.
    store.commit(batch).await?;
    Ok((Imported { entries: written }, community))
}

fn check_key(key: &str) -> Result<(), ApiError> {
    if key.is_empty() || key.len() > MAX_KEY_LEN || key.chars().any(char::is_control) {
        return Err(bad(format!(
            "`{}` is not a key of the storage layout",
            key.chars().take(80).collect::<String>()
        )));
    }
    if is_private(key) {
        return Err(bad(format!(
            "`{key}` is never imported (secrets, team, webhooks, idempotency records and the worker's bookkeeping stay with their community)"
        )));
    }
    if is_derived(key) {
        return Err(bad(format!(
            "`{key}` is derived data, never imported (rebuilt from the boards)"
        )));
    }
    let root = key.split('/').next().unwrap_or_default();
    if !KNOWN_ROOTS.contains(&root) || (root == key && key != keys::COMMUNITY) {
        return Err(bad(format!("`{key}` is not a key of the storage layout")));
    }
    Ok(())
}

/// Whether `key` (already under the pseudonym) holds personal data that erasure removes.
fn personal(key: &str, pseudonym: &str) -> bool {
    let segments: Vec<&str> = key.split('/').collect();
    let last_is_member = segments.last() == Some(&pseudonym);
    match segments.as_slice() {
        ["member", m, rest @ ..] if *m == pseudonym => matches!(
            rest.first().copied(),
            Some("profile" | "staff-tags" | "inbox" | "inbox-unread" | "inbox-seq" | "membership")
        ),
        ["application", m]
        | ["mod", "role" | "ban" | "recent-text", m]
        | ["checkin", "reminder", m] => *m == pseudonym,
        ["board" | "board-rank", ..]
        | ["event-answers", ..]
        | ["insight", "member" | "quiet", ..] => last_is_member,
        _ => false,
    }
}

/// The member's name as their profile has it, if they have one.
async fn name_of(store: &impl Store, member: &MemberId) -> Result<Option<String>, ApiError> {
    Ok(get_json::<MemberProfile>(store, &keys::profile(member))
        .await?
        .map(|p| p.name.to_string()))
}

fn no_member(member: &MemberId) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("there is no member `{member}` in this community"),
    )
}

/// Who a member's export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The community's owner or an admin: every entry that names the member, others' ones
    /// included (a ledger line their reaction earned somebody, a notification they caused).
    Staff,
    /// The member themself: their own entries and the posts they wrote, never an entry that
    /// is somebody else's.
    Own,
}

/// Every entry naming `member` where the layout keeps a member (a key position, a member
/// field, the `@name` index), as stored, narrowed by `scope`. Others' posts that merely
/// mention them are not their data and are left out.
async fn export_member(
    store: &impl Store,
    slug: &CommunitySlug,
    member: &MemberId,
    scope: Scope,
    now: Timestamp,
) -> Result<MemberExport, ApiError> {
    // A pseudonym no id can be (`/` is never in one): any change means the member is named.
    let who = Identity::new(member, None, "/");
    let mut entries = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = scan_page(store, after.as_deref()).await?;
        for (key, text) in page.entries {
            if is_private(&key) {
                continue;
            }
            let value: Value = serde_json::from_str(&text).map_err(|e| corrupt(&key, e))?;
            let mut probe = value.clone();
            let mut named = || who.value(&mut probe, false);
            let include = match scope {
                Scope::Staff => {
                    who.key(&key).is_some() || who.is_name_index(&key, &value) || named()
                }
                Scope::Own => who.owns(&key) || (is_post(&key) && named()),
            };
            if include {
                entries.push((key, value));
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    if entries.is_empty() {
        return Err(no_member(member));
    }
    Ok(MemberExport {
        format: MEMBER_FORMAT.to_owned(),
        version: VERSION,
        slug: slug.clone(),
        member: member.clone(),
        exported_at: now,
        entries,
    })
}

/// Whether `key` is where a capped run of the reminders or of an automation stopped.
fn is_run_cursor(key: &str) -> bool {
    key == super::reminder_keys::CURSOR || key.starts_with(crate::automation::keys::CURSORS)
}

/// Whether `key` holds a thread or a reply (whose author field says whose it is).
fn is_post(key: &str) -> bool {
    key.starts_with("talk/thread/") || key.starts_with("talk/replies/")
}

/// A pseudonym no member has: `erased-{n}` with the next free `n`.
async fn pseudonym(store: &impl Store, batch: &mut Batch) -> Result<MemberId, ApiError> {
    let mut seq = get_json::<u64>(store, data_keys::ERASED_SEQ)
        .await?
        .unwrap_or(0);
    loop {
        seq += 1;
        let id = MemberId::parse(&format!("{}{seq}", crate::sso::ERASED_PREFIX))
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        if store
            .list(&format!("member/{id}/"), None, 1)
            .await?
            .entries
            .is_empty()
        {
            batch.put_json(data_keys::ERASED_SEQ, &seq)?;
            return Ok(id);
        }
    }
}

/// Whether a stored answer quotes the member anywhere (their id or name as a whole string).
fn quotes(value: &Value, id: &str, name: Option<&str>) -> bool {
    match value {
        Value::String(text) => text == id || name == Some(text.as_str()),
        Value::Array(items) => items.iter().any(|v| quotes(v, id, name)),
        Value::Object(map) => map.iter().any(|(k, v)| k == id || quotes(v, id, name)),
        _ => false,
    }
}

/// Anonymises `member` everywhere (see the module's doc). The store is read a page at a
/// time; the writes, which only concern this member, are committed in one transaction so
/// that an erasure lands whole or not at all.
async fn erase_member(store: &impl Store, member: &MemberId) -> Result<Erased, ApiError> {
    // Only a member the community has (their profile, points or anything else under
    // `member/{id}/`): an unknown id is refused before anything is read or written.
    if store
        .list(&format!("member/{member}/"), None, 1)
        .await?
        .entries
        .is_empty()
    {
        return Err(no_member(member));
    }
    let name = name_of(store, member).await?;
    let mut batch = Batch::new();
    let pseudonym = pseudonym(store, &mut batch).await?;
    let who = Identity::new(member, name.as_deref(), pseudonym.as_str());
    let (mut rewritten, mut removed) = (0u64, 0u64);
    let mut after: Option<String> = None;
    loop {
        let page = scan_page(store, after.as_deref()).await?;
        for (key, text) in page.entries {
            let idempotency = key.starts_with("idem/") || key.starts_with("idem-exp/");
            if idempotency {
                // Answers kept for retries may quote the member: they go (a retry of one
                // of those requests within a day is then treated as new).
                let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if quotes(&value, member.as_str(), name.as_deref()) {
                    batch.delete(key);
                    removed += 1;
                }
                continue;
            }
            if is_private(&key) && !key.starts_with(crate::webhook::keys::OUTBOX) {
                // Sign-in keys, the team, endpoints and their logs name no member. Pending
                // deliveries do, and are renamed like everything else.
                continue;
            }
            if is_run_cursor(&key) {
                // Where a run cut short stopped may be the member's key: the run starts over
                // (its guard keys keep anyone from being reached twice).
                batch.delete(key);
                continue;
            }
            let mut value: Value = serde_json::from_str(&text).map_err(|e| corrupt(&key, e))?;
            if who.is_name_index(&key, &value) {
                batch.delete(key);
                removed += 1;
                continue;
            }
            let new_key = who.key(&key);
            let value_changed = who.value(&mut value, true);
            if new_key.is_none() && !value_changed {
                continue;
            }
            let target = new_key.clone().unwrap_or_else(|| key.clone());
            if new_key.is_some() {
                batch.delete(key.as_str());
            }
            if personal(&target, pseudonym.as_str()) {
                if new_key.is_none() {
                    batch.delete(key.as_str());
                }
                // A board entry gone: its period's index totals lose it.
                super::points::board_index::forget_erased(store, &mut batch, &target, &value)
                    .await?;
                removed += 1;
            } else {
                batch.put_json(target, &value)?;
                rewritten += 1;
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    store.commit(batch).await?;
    Ok(Erased {
        pseudonym,
        rewritten,
        removed,
    })
}

mod layout;
#[cfg(test)]
mod tests;
