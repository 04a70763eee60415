//! Data portability and erasure: a whole community exported as one versioned JSON document
//! and imported into a freshly created one; one member's data exported, or erased on
//! request (PIPL / GDPR).
//!
//! **Export** (owner) is every key and value of the community's storage, a page at a time in
//! key order, except what must not leave it ([`PRIVATE_PREFIXES`]): the member sign-in
//! secrets (`sso/`), the team and its invites (`staff/`, `team/`: roles are granted through
//! the directory, never by a file), webhook endpoints with their signing secrets and
//! deliveries (`webhook/`), and idempotency records (`idem/`, `idem-exp/`). Rate-limit
//! counters live in memory and are never stored.
//!
//! **Import** (owner) takes the entries of every page of an export, checks the document
//! whole (format, version, every key under a known root of the layout, no key twice, the
//! community record valid) and only then writes, into a community that has no content yet
//! (only its record, team, keys and webhooks: otherwise `community_not_empty`). The slug is
//! rewritten where the layout embeds it (the `community` record); the imported settings
//! replace the new community's.
//!
//! **Erasure** (owner, admin) anonymises as Discourse does: the member's id becomes a
//! pseudonym `erased-{n}` in every key and value (posts stay readable, ledger lines keep
//! their amounts, sign-ups keep their seats, audit and activity entries keep what happened),
//! their name is replaced by [`ERASED_NAME`] (as are `@name` mentions of them), and what is personal is removed: the profile,
//! staff tags, notifications, membership and application (join answers), event answers, the
//! `@name` index, leaderboard entries, the directory index (so search cannot find them),
//! role, ban and moderation history of their texts. Totals and rollups are counts and stay.
//!
//! **A member's export** (owner, admin) is every stored entry whose key or value names the
//! member, as it is stored.
//!
//! Storage: `data/erased-seq` → the last pseudonym number used.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::community::Community;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId, is_key_safe};
use crate::sso::MemberProfile;
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;

use super::{Actor, Outcome, PublicConfig, Reply, identity, keys};

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
pub const PRIVATE_PREFIXES: &[&str] =
    &["sso/", "staff/", "team/", "webhook/", "idem/", "idem-exp/"];

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

/// Entries read per storage list, and written per batch.
const SCAN_PAGE: usize = 1000;
const WRITE_CHUNK: usize = 500;

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
            let export = export_member(store, slug, &member, now).await?;
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

/// Every entry of the store, in key order.
async fn everything(store: &impl Store) -> Result<Vec<(String, String)>, ApiError> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.list("", after.as_deref(), SCAN_PAGE).await?;
        all.extend(page.entries);
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(all),
        }
    }
}

/// Commits `writes` in batches of [`WRITE_CHUNK`].
async fn commit_chunked(store: &impl Store, batch: Batch) -> Result<(), ApiError> {
    let mut chunk = Batch::new();
    for write in batch.into_writes() {
        chunk.extend([write]);
        if chunk.writes().len() >= WRITE_CHUNK {
            store.commit(std::mem::take(&mut chunk)).await?;
        }
    }
    if !chunk.is_empty() {
        store.commit(chunk).await?;
    }
    Ok(())
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
            batch.put_json(key.as_str(), value)?;
        }
    }
    let community = community.ok_or_else(|| bad("the document has no `community` entry"))?;
    // Fresh: nothing but the record, the team, the keys and the webhooks.
    let content = everything(store)
        .await?
        .into_iter()
        .any(|(key, _)| key != keys::COMMUNITY && !is_private(&key));
    if content {
        return Err(ApiError::new(
            ErrorCode::CommunityNotEmpty,
            "this community already has content: import into a freshly created community",
        ));
    }
    let written = batch.writes().len() as u64;
    commit_chunked(store, batch).await?;
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
            "`{key}` is never imported (secrets, team, webhooks and idempotency records stay with their community)"
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

/// What names one member in storage, and what it becomes when they are erased.
struct Identity<'a> {
    id: &'a str,
    /// `member:{id}`, the moderation target's key segment.
    target: String,
    name: Option<String>,
    pseudonym: &'a str,
}

impl<'a> Identity<'a> {
    fn new(id: &'a MemberId, name: Option<String>, pseudonym: &'a str) -> Self {
        Self {
            id: id.as_str(),
            target: format!("member:{id}"),
            name,
            pseudonym,
        }
    }

    /// `key` with the member's id replaced, if it names them.
    fn key(&self, key: &str) -> Option<String> {
        let mut changed = false;
        let segments: Vec<String> = key
            .split('/')
            .map(|segment| match self.segment(segment) {
                Some(new) => {
                    changed = true;
                    new
                }
                None => segment.to_owned(),
            })
            .collect();
        changed.then(|| segments.join("/"))
    }

    fn segment(&self, segment: &str) -> Option<String> {
        if segment == self.id {
            return Some(self.pseudonym.to_owned());
        }
        // The activity log's `{millis}-{member}-{n}`.
        let activity = segment.split_once('-').and_then(|(head, tail)| {
            let (middle, n) = tail.rsplit_once('-')?;
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            (digits(head) && digits(n) && middle == self.id)
                .then(|| format!("{head}-{}-{n}", self.pseudonym))
        });
        // Compound segments: `member:{id}`, a cause `react-r:{reply}:{id}`.
        activity.or_else(|| self.bounded(segment))
    }

    /// `value` with the member's id and name replaced; whether anything changed.
    fn value(&self, value: &mut Value) -> bool {
        match value {
            Value::String(text) => match self.text(text) {
                Some(new) => {
                    *text = new;
                    true
                }
                None => false,
            },
            Value::Array(items) => items
                .iter_mut()
                .fold(false, |changed, item| self.value(item) | changed),
            Value::Object(map) => {
                let mut changed = false;
                let renamed: Vec<(String, String)> = map
                    .keys()
                    .filter_map(|k| self.text(k).map(|new| (k.clone(), new)))
                    .collect();
                for (old, new) in renamed {
                    if let Some(v) = map.remove(&old) {
                        map.insert(new, v);
                        changed = true;
                    }
                }
                for item in map.values_mut() {
                    changed |= self.value(item);
                }
                changed
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => false,
        }
    }

    fn text(&self, text: &str) -> Option<String> {
        if text == self.id {
            return Some(self.pseudonym.to_owned());
        }
        if text == self.target {
            return Some(format!("member:{}", self.pseudonym));
        }
        if self.name.as_deref() == Some(text) {
            return Some(ERASED_NAME.to_owned());
        }
        // JSON kept as text (a webhook's body): rewritten inside.
        if (text.starts_with('{') || text.starts_with('['))
            && let Ok(mut inner) = serde_json::from_str::<Value>(text)
        {
            return if self.value(&mut inner) {
                serde_json::to_string(&inner).ok()
            } else {
                None
            };
        }
        // `@name` mentions in posts, others' included (as a renamed account's would be).
        let mentioned = self
            .name
            .as_deref()
            .map(|name| format!("@{name}"))
            .filter(|mention| text.contains(mention.as_str()));
        match (mentioned, self.bounded(text)) {
            (None, bounded) => bounded,
            (Some(mention), bounded) => Some(
                bounded
                    .as_deref()
                    .unwrap_or(text)
                    .replace(&mention, &format!("@{ERASED_NAME}")),
            ),
        }
    }

    /// `text` with each occurrence of the id that stands alone (between characters that
    /// cannot be part of an id, or the `:` that joins the parts of a compound key) replaced.
    fn bounded(&self, text: &str) -> Option<String> {
        let bytes = text.as_bytes();
        let apart = |b: u8| b == b':' || !is_key_safe(b);
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (at, _) in text.match_indices(self.id) {
            let end = at + self.id.len();
            let free_before = at == 0 || apart(bytes[at - 1]);
            let free_after = end == bytes.len() || apart(bytes[end]);
            if free_before && free_after && at >= last {
                out.push_str(&text[last..at]);
                out.push_str(self.pseudonym);
                last = end;
            }
        }
        if last == 0 {
            return None;
        }
        out.push_str(&text[last..]);
        Some(out)
    }

    /// Whether the `@name` index entry `key` is the member's own name.
    fn is_name_index(&self, key: &str) -> bool {
        key.strip_prefix("talk/name/").is_some_and(|name| {
            self.name
                .as_deref()
                .is_some_and(|n| n.to_lowercase() == name)
        })
    }
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
        ["application", m] | ["mod", "role" | "ban" | "recent-text", m] => *m == pseudonym,
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

/// Every entry naming `member`, as stored.
async fn export_member(
    store: &impl Store,
    slug: &CommunitySlug,
    member: &MemberId,
    now: Timestamp,
) -> Result<MemberExport, ApiError> {
    let name = name_of(store, member).await?;
    // A pseudonym no id can be (`/` is never in one), so any change means a mention.
    let who = Identity::new(member, name, "/");
    let mut entries = Vec::new();
    for (key, text) in everything(store).await? {
        if is_private(&key) {
            continue;
        }
        let value: Value = serde_json::from_str(&text).map_err(|e| corrupt(&key, e))?;
        let mut probe = value.clone();
        if who.key(&key).is_some() || who.is_name_index(&key) || who.value(&mut probe) {
            entries.push((key, value));
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

/// A pseudonym no member has: `erased-{n}` with the next free `n`.
async fn pseudonym(store: &impl Store, batch: &mut Batch) -> Result<MemberId, ApiError> {
    let mut seq = get_json::<u64>(store, data_keys::ERASED_SEQ)
        .await?
        .unwrap_or(0);
    loop {
        seq += 1;
        let id = MemberId::parse(&format!("erased-{seq}"))
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

/// Anonymises `member` everywhere (see the module's doc).
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
    let who = Identity::new(member, name, pseudonym.as_str());
    let (mut rewritten, mut removed) = (0u64, 0u64);
    let mut found = false;
    for (key, text) in everything(store).await? {
        let idempotency = key.starts_with("idem/") || key.starts_with("idem-exp/");
        if is_private(&key) && !idempotency {
            // Sign-in keys, the team and webhooks never name a member: left as they are.
            continue;
        }
        if idempotency {
            // Answers kept for retries may quote the member: they go.
            let quoted = serde_json::from_str::<Value>(&text)
                .map(|mut answer| who.value(&mut answer))
                .unwrap_or(false);
            if quoted {
                batch.delete(key);
                removed += 1;
            }
            continue;
        }
        if who.is_name_index(&key) {
            found = true;
            batch.delete(key);
            removed += 1;
            continue;
        }
        let new_key = who.key(&key);
        let mut value: Value = serde_json::from_str(&text).map_err(|e| corrupt(&key, e))?;
        let value_changed = who.value(&mut value);
        if new_key.is_none() && !value_changed {
            continue;
        }
        found = true;
        let target = new_key.clone().unwrap_or_else(|| key.clone());
        if new_key.is_some() {
            batch.delete(key.as_str());
        }
        if personal(&target, pseudonym.as_str()) {
            if new_key.is_none() {
                batch.delete(key.as_str());
            }
            // A board entry gone: its period's index totals lose it.
            super::points::board_index::forget_erased(store, &mut batch, &target, &value).await?;
            removed += 1;
        } else {
            batch.put_json(target, &value)?;
            rewritten += 1;
        }
    }
    if !found {
        return Err(no_member(member));
    }
    commit_chunked(store, batch).await?;
    Ok(Erased {
        pseudonym,
        rewritten,
        removed,
    })
}

#[cfg(test)]
mod tests;
