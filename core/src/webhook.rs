//! Webhooks: what happened in a community, POSTed to the brand's own server.
//!
//! Staff register endpoints ([`Webhook`]: a URL, the [`EventType`]s it wants, a signing
//! secret the worker drew). A use case that something worth telling happened in puts a
//! [`WebhookEvent`] in its `Change`; `Change::commit` turns it into one [`Delivery`] per
//! subscribed endpoint in the outbox, in the same batch as the change itself, so an event is
//! queued exactly when its change is written. The community's Durable Object sends what is
//! due ([`Payload`], signed by [`signature_header`]), retries failures on the
//! [`retry_delay`] schedule and keeps a bounded [`DeliveryLog`] per endpoint.
//!
//! A receiver checks `Quanzi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`
//! with [`verify`], the reference implementation.
//!
//! Storage ([`keys`]):
//! * `webhook/hooks` → [`Webhooks`] (at most [`Webhooks::MAX`]);
//! * `webhook/seq` → `u64`, the last event number;
//! * `webhook/due/{due at, 13 digits}/{delivery id}` → [`Delivery`]: the outbox, soonest first;
//! * `webhook/log/{webhook}` → [`DeliveryLog`], newest attempt first.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, Ipv6Addr};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{ApiError, ErrorCode};
use crate::events::EventId;
use crate::ids::{BoundedText, CommunitySlug, MemberId, ParseError, short_id};
use crate::moderation::{ReportReason, Target};
use crate::recognition::BadgeId;
use crate::talk::{ReplyId, ThreadId, ThreadKind, TopicId};
use crate::time::Timestamp;

type HmacSha256 = Hmac<Sha256>;

short_id!(
    /// An endpoint, drawn by the worker (`wh-` and hex digits).
    WebhookId,
    "a webhook id"
);

/// What a receiver can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventType {
    /// A member opened a thread (when it is published: at once, or when a moderator approves
    /// it under pre-moderation).
    #[serde(rename = "thread.created")]
    ThreadCreated,
    /// A member replied to a thread or commented on a page (when published, as above).
    #[serde(rename = "reply.created")]
    ReplyCreated,
    /// A member signed up for an event (`confirmed` or `waitlisted`) or was promoted from
    /// the waitlist to a seat (`promoted`).
    #[serde(rename = "event.signup")]
    EventSignup,
    /// A member reported a post, a reply or another member.
    #[serde(rename = "report.created")]
    ReportCreated,
    /// A member joined (at once, or when their application was approved).
    #[serde(rename = "member.joined")]
    MemberJoined,
    /// A member reached a new level.
    #[serde(rename = "member.level_up")]
    MemberLevelUp,
    /// A member earned a badge (automatically, or granted by staff).
    #[serde(rename = "badge.earned")]
    BadgeEarned,
    /// An automation whose action is to call the brand's webhooks fired for a member.
    #[serde(rename = "automation.fired")]
    AutomationFired,
    /// A member who opted in to the daily check-in reminder has not checked in by the
    /// reminder hour (the brand may pass it on through its own channel).
    #[serde(rename = "checkin.reminder")]
    CheckinReminder,
}

impl EventType {
    pub const ALL: [EventType; 9] = [
        Self::ThreadCreated,
        Self::ReplyCreated,
        Self::EventSignup,
        Self::ReportCreated,
        Self::MemberJoined,
        Self::MemberLevelUp,
        Self::BadgeEarned,
        Self::AutomationFired,
        Self::CheckinReminder,
    ];

    /// The name on the wire and in the `Quanzi-Event` header.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ThreadCreated => "thread.created",
            Self::ReplyCreated => "reply.created",
            Self::EventSignup => "event.signup",
            Self::ReportCreated => "report.created",
            Self::MemberJoined => "member.joined",
            Self::MemberLevelUp => "member.level_up",
            Self::BadgeEarned => "badge.earned",
            Self::AutomationFired => "automation.fired",
            Self::CheckinReminder => "checkin.reminder",
        }
    }
}

/// `thread.created`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadCreated {
    pub thread: ThreadId,
    pub topic: TopicId,
    pub kind: ThreadKind,
    pub title: String,
    pub author: MemberId,
}

/// `reply.created`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyCreated {
    pub thread: ThreadId,
    pub reply: ReplyId,
    pub in_reply_to: Option<ReplyId>,
    pub author: MemberId,
    /// The page, when the reply is a comment under a page of the brand's site.
    pub page: Option<String>,
}

/// Where a member stands after an `event.signup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignupStatus {
    Confirmed,
    Waitlisted,
    /// Moved from the waitlist to a seat (someone cancelled, or the capacity grew).
    Promoted,
}

/// `event.signup`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSignup {
    pub event: EventId,
    pub title: String,
    pub member: MemberId,
    pub status: SignupStatus,
    /// The place in line (1 is next), when waitlisted.
    pub position: Option<u32>,
}

/// `report.created`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCreated {
    pub target: Target,
    pub reason: ReportReason,
    pub reporter: MemberId,
}

/// How a member came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinedVia {
    /// The community is open (or screening passed at once).
    Open,
    /// A moderator approved their application.
    Approved,
}

/// `member.joined`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberJoined {
    pub member: MemberId,
    pub via: JoinedVia,
}

/// `member.level_up`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLevelUp {
    pub member: MemberId,
    pub from: u8,
    pub to: u8,
}

/// `badge.earned`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeEarned {
    pub member: MemberId,
    pub badge: BadgeId,
    /// Granted by staff rather than earned automatically.
    pub granted: bool,
}

/// `automation.fired`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomationFired {
    pub automation: crate::automation::AutomationId,
    pub name: String,
    pub member: MemberId,
    /// What it fired on, once per member: `joined`, `attended-{event}`, `level-{n}`,
    /// `badge-{id}`, `quiet-{last active day}` or `day-{local day}`.
    pub occurrence: String,
}

/// `checkin.reminder`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinReminder {
    pub member: MemberId,
    /// The community-local day the member has not checked in yet.
    pub day: chrono::NaiveDate,
}

/// Something a receiver may be told: its type and its `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum WebhookEvent {
    #[serde(rename = "thread.created")]
    ThreadCreated(ThreadCreated),
    #[serde(rename = "reply.created")]
    ReplyCreated(ReplyCreated),
    #[serde(rename = "event.signup")]
    EventSignup(EventSignup),
    #[serde(rename = "report.created")]
    ReportCreated(ReportCreated),
    #[serde(rename = "member.joined")]
    MemberJoined(MemberJoined),
    #[serde(rename = "member.level_up")]
    MemberLevelUp(MemberLevelUp),
    #[serde(rename = "badge.earned")]
    BadgeEarned(BadgeEarned),
    #[serde(rename = "automation.fired")]
    AutomationFired(AutomationFired),
    #[serde(rename = "checkin.reminder")]
    CheckinReminder(CheckinReminder),
}

impl WebhookEvent {
    pub fn event_type(&self) -> EventType {
        match self {
            Self::ThreadCreated(_) => EventType::ThreadCreated,
            Self::ReplyCreated(_) => EventType::ReplyCreated,
            Self::EventSignup(_) => EventType::EventSignup,
            Self::ReportCreated(_) => EventType::ReportCreated,
            Self::MemberJoined(_) => EventType::MemberJoined,
            Self::MemberLevelUp(_) => EventType::MemberLevelUp,
            Self::BadgeEarned(_) => EventType::BadgeEarned,
            Self::AutomationFired(_) => EventType::AutomationFired,
            Self::CheckinReminder(_) => EventType::CheckinReminder,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

/// Which receiver addresses a deployment accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlPolicy {
    /// `https://` to a public host only.
    Public,
    /// Also plain `http://` to `127.0.0.1`, `[::1]` or `localhost` (local development and
    /// tests; the worker's `ALLOW_LOCAL_WEBHOOKS`). Other private hosts stay refused.
    AllowLocal,
}

/// A receiver's address: `https://` to a public host (see [`UrlPolicy`]), no credentials,
/// no fragment, at most [`WebhookUrl::MAX_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub const MAX_LEN: usize = 2048;

    pub fn parse(raw: &str, policy: UrlPolicy) -> Result<Self, ParseError> {
        const WHAT: &str = "the webhook URL";
        let invalid = |why| ParseError::Invalid { what: WHAT, why };
        let raw = raw.trim();
        ParseError::check_length(WHAT, raw.len(), 1..=Self::MAX_LEN)?;
        let url = url::Url::parse(raw).map_err(|_| invalid("it is not an absolute URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("it must not carry a user name or password"));
        }
        if url.fragment().is_some() {
            return Err(invalid("it must not have a #fragment"));
        }
        let local = match url.host() {
            Some(url::Host::Domain(domain)) => {
                let domain = domain.trim_end_matches('.');
                if domain == "localhost" {
                    true
                } else if !domain.contains('.')
                    || [".localhost", ".local", ".internal", ".lan", ".home.arpa"]
                        .iter()
                        .any(|suffix| domain.ends_with(suffix))
                {
                    return Err(invalid("its host is not a public name"));
                } else {
                    false
                }
            }
            Some(url::Host::Ipv4(ip)) => {
                if ip == Ipv4Addr::LOCALHOST {
                    true
                } else if is_public_v4(ip) {
                    false
                } else {
                    return Err(invalid("its host is a private or reserved address"));
                }
            }
            Some(url::Host::Ipv6(ip)) => {
                if ip == Ipv6Addr::LOCALHOST {
                    true
                } else if is_public_v6(ip) {
                    false
                } else {
                    return Err(invalid("its host is a private or reserved address"));
                }
            }
            None => return Err(invalid("it has no host")),
        };
        match (url.scheme(), local, policy) {
            ("http" | "https", true, UrlPolicy::AllowLocal) => {}
            (_, true, UrlPolicy::Public) => {
                return Err(invalid("its host is this machine (localhost)"));
            }
            ("https", false, _) => {}
            _ => return Err(invalid("it must start with https://")),
        }
        Ok(Self(url.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<WebhookUrl> for String {
    fn from(url: WebhookUrl) -> Self {
        url.0
    }
}

/// Stored addresses passed [`WebhookUrl::parse`] under the deployment's policy when they
/// were registered; reading them back checks their shape only (the worker applies its
/// policy again before each delivery).
impl<'de> Deserialize<'de> for WebhookUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw, UrlPolicy::AllowLocal).map_err(serde::de::Error::custom)
    }
}

/// Not loopback, private (RFC 1918), shared (100.64/10), link-local, unspecified,
/// broadcast, documentation, benchmarking, multicast or reserved.
fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || (a == 192 && b == 0))
}

/// Not loopback, unspecified, unique local (fc00::/7), link-local (fe80::/10), multicast,
/// documentation, or an IPv4-mapped address that is not public.
fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8)
}

/// An endpoint's signing secret: 32–128 printable ASCII characters (a generated one is 64
/// hex digits). Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebhookSecret(String);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(…)")
    }
}

impl WebhookSecret {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        ParseError::check_secret("the webhook secret", raw, 32..=128)?;
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WebhookSecret {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<WebhookSecret> for String {
    fn from(secret: WebhookSecret) -> Self {
        secret.0
    }
}

pub type WebhookDescription = BoundedText<0, 200>;

/// `POST …/webhooks`: what staff send. The URL is parsed by the use case, under the
/// deployment's [`UrlPolicy`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<EventType>,
    #[serde(default)]
    pub description: WebhookDescription,
}

/// A registered endpoint, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: WebhookId,
    pub url: WebhookUrl,
    pub events: BTreeSet<EventType>,
    #[serde(default)]
    pub description: WebhookDescription,
    pub secret: WebhookSecret,
    pub created_at: Timestamp,
}

impl Webhook {
    pub fn wants(&self, event: EventType) -> bool {
        self.events.contains(&event)
    }

    pub fn view(&self) -> WebhookView {
        WebhookView {
            id: self.id.clone(),
            url: self.url.as_str().to_owned(),
            events: self.events.iter().copied().collect(),
            description: self.description.as_str().to_owned(),
            created_at: self.created_at,
        }
    }
}

/// An endpoint as staff list it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookView {
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<EventType>,
    pub description: String,
    pub created_at: Timestamp,
}

/// `POST …/webhooks` (201): the new endpoint with its signing secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// 64 hex characters: the key of the `Quanzi-Signature` HMAC.
    pub secret: String,
}

/// `GET …/webhooks`: every endpoint, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookList {
    pub webhooks: Vec<WebhookView>,
}

/// Why an endpoint was not registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    #[error("{0}")]
    Url(ParseError),
    #[error("choose at least one event type")]
    NoEvents,
    #[error("a community has at most {} webhooks; delete one first", Webhooks::MAX)]
    TooMany,
    #[error("webhook `{0}` exists already")]
    Exists(WebhookId),
}

impl From<RegisterError> for ApiError {
    fn from(e: RegisterError) -> Self {
        let code = match e {
            RegisterError::Url(_) | RegisterError::NoEvents | RegisterError::TooMany => {
                ErrorCode::InvalidInput
            }
            RegisterError::Exists(_) => ErrorCode::Conflict,
        };
        ApiError::new(code, e.to_string())
    }
}

/// Every endpoint of a community, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhooks(Vec<Webhook>);

impl Webhooks {
    pub const MAX: usize = 10;

    /// Registers `request` as `id` with `secret`, its URL checked under `policy`.
    pub fn register(
        &mut self,
        id: WebhookId,
        secret: WebhookSecret,
        request: NewWebhook,
        policy: UrlPolicy,
        now: Timestamp,
    ) -> Result<&Webhook, RegisterError> {
        let url = WebhookUrl::parse(&request.url, policy).map_err(RegisterError::Url)?;
        let events: BTreeSet<EventType> = request.events.into_iter().collect();
        if events.is_empty() {
            return Err(RegisterError::NoEvents);
        }
        if self.0.len() >= Self::MAX {
            return Err(RegisterError::TooMany);
        }
        if self.get(&id).is_some() {
            return Err(RegisterError::Exists(id));
        }
        self.0.push(Webhook {
            id,
            url,
            events,
            description: request.description,
            secret,
            created_at: now,
        });
        Ok(&self.0[self.0.len() - 1])
    }

    /// Removes `id`; `None` if there was none.
    pub fn remove(&mut self, id: &WebhookId) -> Option<Webhook> {
        let at = self.0.iter().position(|h| &h.id == id)?;
        Some(self.0.remove(at))
    }

    pub fn get(&self, id: &WebhookId) -> Option<&Webhook> {
        self.0.iter().find(|h| &h.id == id)
    }

    /// The endpoints subscribed to `event`.
    pub fn subscribed(&self, event: EventType) -> impl Iterator<Item = &Webhook> {
        self.0.iter().filter(move |h| h.wants(event))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn views(&self) -> Vec<WebhookView> {
        self.0.iter().map(Webhook::view).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Deliveries
// ---------------------------------------------------------------------------------------------

/// The default first retry interval; the later ones are multiples of it ([`RETRY_FACTORS`]).
pub const DEFAULT_RETRY_BASE_MS: i64 = 10_000;

/// The waits before each retry, as multiples of the base: 10 s, 1 min, 5 min, 30 min, 2 h
/// with the default base.
pub const RETRY_FACTORS: [i64; 5] = [1, 6, 30, 180, 720];

/// The first attempt and one per retry.
pub const MAX_ATTEMPTS: u32 = 1 + RETRY_FACTORS.len() as u32;

/// How long to wait after the `attempts`-th failed attempt (1 = the first), or `None` when
/// that was the last one.
pub fn retry_delay(attempts: u32, base_ms: i64) -> Option<i64> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    RETRY_FACTORS
        .get(index)
        .map(|factor| factor.saturating_mul(base_ms.max(1)))
}

/// One event on its way to one endpoint, as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// `dlv-{event number}-{webhook}`: the `Quanzi-Delivery` header.
    pub id: String,
    pub webhook: WebhookId,
    /// `evt-{event number}`: the payload's `id`, the same for every endpoint.
    pub event_id: String,
    pub event: WebhookEvent,
    pub created_at: Timestamp,
    /// Attempts made so far.
    #[serde(default)]
    pub attempts: u32,
}

impl Delivery {
    /// The delivery of event number `seq` to `webhook`.
    pub fn new(seq: u64, webhook: &Webhook, event: WebhookEvent, now: Timestamp) -> Self {
        Self {
            id: format!("dlv-{seq}-{}", webhook.id),
            webhook: webhook.id.clone(),
            event_id: format!("evt-{seq}"),
            event,
            created_at: now,
            attempts: 0,
        }
    }

    /// The JSON body sent for this delivery (the same on every attempt).
    pub fn body(&self, community: &CommunitySlug) -> Result<String, ApiError> {
        serde_json::to_string(&Payload {
            id: &self.event_id,
            event: &self.event,
            community,
            created_at: self.created_at,
        })
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("a webhook body: {e}")))
    }

    /// Records the outcome of the attempt made at `now`: the log line, and when to try
    /// again (`None`: delivered, or the last attempt failed).
    pub fn record(
        &mut self,
        result: AttemptResult,
        now: Timestamp,
        retry_base_ms: i64,
    ) -> (AttemptLog, Option<Timestamp>) {
        self.attempts = self.attempts.saturating_add(1);
        let (outcome, status, error, next) = match result {
            AttemptResult::Delivered { status } => {
                (AttemptOutcome::Delivered, Some(status), None, None)
            }
            AttemptResult::Failed { status, error } => {
                let next = retry_delay(self.attempts, retry_base_ms).map(|ms| now.plus_millis(ms));
                let outcome = match next {
                    Some(_) => AttemptOutcome::Retrying,
                    None => AttemptOutcome::GaveUp,
                };
                let error = error.map(|e| e.chars().take(AttemptLog::ERROR_MAX).collect());
                (outcome, status, error, next)
            }
        };
        let line = AttemptLog {
            delivery: self.id.clone(),
            event_id: self.event_id.clone(),
            event_type: self.event.event_type(),
            attempt: self.attempts,
            at: now,
            outcome,
            status,
            error,
            next_retry_at: next,
        };
        (line, next)
    }
}

/// What the receiver did with one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptResult {
    /// A 2xx answer.
    Delivered { status: u16 },
    /// Any other answer (`status`), or none at all (`error`: refused, timed out, …).
    Failed {
        status: Option<u16>,
        error: Option<String>,
    },
}

impl AttemptResult {
    /// The result of an HTTP answer with `status`.
    pub fn from_status(status: u16) -> Self {
        if (200..300).contains(&status) {
            Self::Delivered { status }
        } else {
            Self::Failed {
                status: Some(status),
                error: None,
            }
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    Delivered,
    /// Failed; another attempt is scheduled at `next_retry_at`.
    Retrying,
    /// Failed, and it was the last attempt.
    GaveUp,
}

/// One attempt, as staff read it in the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptLog {
    pub delivery: String,
    pub event_id: String,
    pub event_type: EventType,
    /// 1 for the first attempt.
    pub attempt: u32,
    pub at: Timestamp,
    pub outcome: AttemptOutcome,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why there was no answer (connection refused, timeout, …).
    pub error: Option<String>,
    pub next_retry_at: Option<Timestamp>,
}

impl AttemptLog {
    /// The longest error text kept, in characters.
    pub const ERROR_MAX: usize = 200;
}

/// An endpoint's last [`DeliveryLog::MAX`] attempts, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLog(Vec<AttemptLog>);

impl DeliveryLog {
    pub const MAX: usize = 50;

    /// Adds `line` as the newest, dropping the oldest beyond [`DeliveryLog::MAX`].
    pub fn push(&mut self, line: AttemptLog) {
        self.0.insert(0, line);
        self.0.truncate(Self::MAX);
    }

    pub fn lines(&self) -> &[AttemptLog] {
        &self.0
    }
}

/// The JSON body of a delivery: `{id, type, community, created_at, data}`.
#[derive(Debug, Serialize)]
pub struct Payload<'a> {
    pub id: &'a str,
    #[serde(flatten)]
    pub event: &'a WebhookEvent,
    pub community: &'a CommunitySlug,
    pub created_at: Timestamp,
}

// ---------------------------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------------------------

/// How old a signature [`verify`] accepts by default, in seconds (and how far in the future).
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

fn hmac_of(secret: &str, t: i64, body: &str) -> Result<HmacSha256, SignatureError> {
    // HMAC takes keys of any length; the error exists for other MACs.
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).map_err(|_| SignatureError::BadSecret)?;
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Ok(mac)
}

/// The `Quanzi-Signature` header for `body` sent at `t` (Unix seconds):
/// `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature_header(secret: &str, t: i64, body: &str) -> Result<String, SignatureError> {
    let digest = hmac_of(secret, t, body)?.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("t={t},v1={hex}"))
}

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is not `t=…,v1=…`")]
    Malformed,
    #[error("the signature's time is more than the tolerance away from now")]
    OutsideTolerance,
    #[error("the signature does not match the body")]
    Mismatch,
    #[error("the secret cannot key an HMAC")]
    BadSecret,
}

/// Checks a `Quanzi-Signature` header against `body` and `secret` (in constant time), and
/// that its `t` is within `tolerance_secs` of `now_secs`. Any of several `v1` values may
/// match (for a rotation).
pub fn verify(
    secret: &str,
    header: &str,
    body: &str,
    now_secs: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let mut t = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => {
                t = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed)?,
                );
            }
            Some(("v1", value)) => signatures.push(decode_hex(value)?),
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now_secs - t).abs() > tolerance_secs {
        return Err(SignatureError::OutsideTolerance);
    }
    let mut matches = false;
    for sig in &signatures {
        matches |= hmac_of(secret, t, body)?.verify_slice(sig).is_ok();
    }
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn decode_hex(hex: &str) -> Result<Vec<u8>, SignatureError> {
    if !hex.len().is_multiple_of(2) {
        return Err(SignatureError::Malformed);
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or(SignatureError::Malformed)
        })
        .collect()
}

/// Storage keys of webhooks.
pub mod keys {
    use crate::time::Timestamp;

    use super::WebhookId;

    pub const HOOKS: &str = "webhook/hooks";
    pub const SEQ: &str = "webhook/seq";
    /// The outbox: deliveries by the time they are due.
    pub const OUTBOX: &str = "webhook/due/";

    pub fn due(at: Timestamp, delivery: &str) -> String {
        format!("{OUTBOX}{:013}/{delivery}", at.millis().max(0))
    }

    /// The due time in an outbox key.
    pub fn due_at(key: &str) -> Option<Timestamp> {
        let rest = key.strip_prefix(OUTBOX)?;
        let (millis, _) = rest.split_once('/')?;
        millis.parse().ok().map(Timestamp)
    }

    pub fn log(webhook: &WebhookId) -> String {
        format!("webhook/log/{webhook}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_policy() {
        use UrlPolicy::{AllowLocal, Public};
        let cases: [(&str, bool, bool); 22] = [
            // (url, public ok, local-allowed ok)
            ("https://hooks.brand.example/quanzi", true, true),
            ("https://hooks.brand.example:8443/q?x=1", true, true),
            ("http://hooks.brand.example/quanzi", false, false),
            ("http://127.0.0.1:9000/hook", false, true),
            ("https://127.0.0.1/hook", false, true),
            ("http://localhost:9000/hook", false, true),
            ("http://[::1]:9000/hook", false, true),
            ("http://127.0.0.2/hook", false, false),
            ("https://10.0.0.8/hook", false, false),
            ("https://192.168.1.1/hook", false, false),
            ("https://172.16.0.1/hook", false, false),
            ("https://169.254.169.254/latest", false, false),
            ("https://100.64.0.1/hook", false, false),
            ("https://0.0.0.0/hook", false, false),
            ("https://[fd00::1]/hook", false, false),
            ("https://[::ffff:10.0.0.1]/hook", false, false),
            ("https://intranet/hook", false, false),
            ("https://printer.local/hook", false, false),
            ("https://a.localhost/hook", false, false),
            ("https://user:pw@hooks.brand.example/", false, false),
            ("ftp://hooks.brand.example/", false, false),
            ("hooks.brand.example/quanzi", false, false),
        ];
        for (url, public, local) in cases {
            assert_eq!(
                WebhookUrl::parse(url, Public).is_ok(),
                public,
                "{url} public"
            );
            assert_eq!(
                WebhookUrl::parse(url, AllowLocal).is_ok(),
                local,
                "{url} local"
            );
        }
        assert!(WebhookUrl::parse("https://8.8.8.8/x", Public).is_ok());
        assert!(WebhookUrl::parse("https://a.example/#frag", Public).is_err());
        let long = format!("https://a.example/{}", "x".repeat(WebhookUrl::MAX_LEN));
        assert!(WebhookUrl::parse(&long, Public).is_err());
    }

    #[test]
    fn a_signature_verifies_and_any_change_breaks_it() {
        let secret = "whsec-0123456789abcdef0123456789abcdef";
        let body = r#"{"id":"evt-1","type":"thread.created"}"#;
        let header = signature_header(secret, 1_790_000_000, body).unwrap();
        assert!(header.starts_with("t=1790000000,v1="));
        assert_eq!(header.len(), "t=1790000000,v1=".len() + 64);
        assert_eq!(verify(secret, &header, body, 1_790_000_010, 300), Ok(()));

        let cases = [
            (secret, header.clone(), format!("{body} "), 1_790_000_010),
            (
                "another-secret-0123456789abcdef01",
                header.clone(),
                body.to_owned(),
                1_790_000_010,
            ),
            (
                secret,
                header.replace("t=1790000000", "t=1790000001"),
                body.to_owned(),
                1_790_000_010,
            ),
        ];
        for (secret, header, body, now) in cases {
            assert_eq!(
                verify(secret, &header, &body, now, 300),
                Err(SignatureError::Mismatch)
            );
        }
        assert_eq!(
            verify(secret, &header, body, 1_790_000_301, 300),
            Err(SignatureError::OutsideTolerance)
        );
        for bad in ["", "t=1", "v1=00", "t=x,v1=00", "t=1,v1=0g", "nonsense"] {
            assert_eq!(
                verify(secret, bad, body, 1, 300),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
        // A second v1 (say, during a rotation) may be the one that matches.
        let two = format!("{},v1={}", header.replace("v1=", "v1=00"), &header[16..]);
        assert_eq!(verify(secret, &two, body, 1_790_000_000, 300), Ok(()));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_t_dot_body() {
        // RFC 4231 test case 2 (key "Jefe"), with the message split as "t.body".
        let header = signature_header("Jefe", 0, "what do ya want for nothing?").unwrap();
        let mut mac = HmacSha256::new_from_slice(b"Jefe").unwrap();
        mac.update(b"0.what do ya want for nothing?");
        let want: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(header, format!("t=0,v1={want}"));
    }

    #[test]
    fn retries_back_off_then_stop() {
        let schedule: Vec<Option<i64>> = (0..=7)
            .map(|n| retry_delay(n, DEFAULT_RETRY_BASE_MS))
            .collect();
        assert_eq!(
            schedule,
            [
                None,
                Some(10_000),
                Some(60_000),
                Some(300_000),
                Some(1_800_000),
                Some(7_200_000),
                None,
                None
            ]
        );
        assert_eq!(MAX_ATTEMPTS, 6);
        assert_eq!(retry_delay(2, 100), Some(600), "the base scales every wait");
    }

    fn delivery() -> Delivery {
        let mut hooks = Webhooks::default();
        let hook = hooks
            .register(
                WebhookId::parse("wh-1").unwrap(),
                WebhookSecret::parse(&"s".repeat(64)).unwrap(),
                NewWebhook {
                    url: "https://hooks.brand.example/q".into(),
                    events: vec![EventType::MemberJoined],
                    description: WebhookDescription::default(),
                },
                UrlPolicy::Public,
                Timestamp(0),
            )
            .unwrap()
            .clone();
        let event = WebhookEvent::MemberJoined(MemberJoined {
            member: MemberId::parse("u1").unwrap(),
            via: JoinedVia::Open,
        });
        Delivery::new(7, &hook, event, Timestamp(1_000))
    }

    #[test]
    fn a_failing_delivery_is_retried_until_the_last_attempt() {
        let mut d = delivery();
        let mut now = Timestamp(1_000);
        let mut log = DeliveryLog::default();
        for attempt in 1..=MAX_ATTEMPTS {
            let failed = AttemptResult::Failed {
                status: None,
                error: Some("connection refused".into()),
            };
            let (line, next) = d.record(failed, now, 1_000);
            assert_eq!(line.attempt, attempt);
            if attempt < MAX_ATTEMPTS {
                assert_eq!(line.outcome, AttemptOutcome::Retrying);
                let wait = RETRY_FACTORS[attempt as usize - 1] * 1_000;
                assert_eq!(next, Some(now.plus_millis(wait)));
                now = now.plus_millis(wait);
            } else {
                assert_eq!((line.outcome, next), (AttemptOutcome::GaveUp, None));
            }
            log.push(line);
        }
        assert_eq!(log.lines()[0].attempt, MAX_ATTEMPTS, "newest first");

        let mut d = delivery();
        let (line, next) = d.record(AttemptResult::from_status(500), now, 1_000);
        assert_eq!(
            (line.status, line.outcome),
            (Some(500), AttemptOutcome::Retrying)
        );
        assert!(next.is_some());
        let (line, next) = d.record(AttemptResult::from_status(204), now, 1_000);
        assert_eq!(
            (line.attempt, line.outcome, next),
            (2, AttemptOutcome::Delivered, None)
        );
    }

    #[test]
    fn the_log_keeps_the_newest_lines_only() {
        let mut d = delivery();
        let mut log = DeliveryLog::default();
        for n in 0..(DeliveryLog::MAX as i64 + 5) {
            d.attempts = 0;
            let (line, _) = d.record(AttemptResult::from_status(200), Timestamp(n), 1);
            log.push(line);
        }
        assert_eq!(log.lines().len(), DeliveryLog::MAX);
        assert_eq!(log.lines()[0].at, Timestamp(DeliveryLog::MAX as i64 + 4));
    }

    #[test]
    fn the_body_has_the_documented_shape() {
        let d = delivery();
        let body = d.body(&CommunitySlug::parse("tea").unwrap()).unwrap();
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "id": "evt-7",
                "type": "member.joined",
                "community": "tea",
                "created_at": 1_000,
                "data": {"member": "u1", "via": "open"}
            })
        );
        assert_eq!(d.id, "dlv-7-wh-1");
    }

    #[test]
    fn registration_checks_events_count_and_ids() {
        let mut hooks = Webhooks::default();
        let request = |events: Vec<EventType>| NewWebhook {
            url: "https://hooks.brand.example/q".into(),
            events,
            description: WebhookDescription::default(),
        };
        let secret = || WebhookSecret::parse(&"s".repeat(64)).unwrap();
        let id = |n: usize| WebhookId::parse(&format!("wh-{n}")).unwrap();
        assert_eq!(
            hooks.register(
                id(0),
                secret(),
                request(vec![]),
                UrlPolicy::Public,
                Timestamp(0)
            ),
            Err(RegisterError::NoEvents)
        );
        for n in 0..Webhooks::MAX {
            hooks
                .register(
                    id(n),
                    secret(),
                    request(EventType::ALL.to_vec()),
                    UrlPolicy::Public,
                    Timestamp(0),
                )
                .unwrap();
        }
        assert_eq!(
            hooks.register(
                id(99),
                secret(),
                request(vec![EventType::BadgeEarned]),
                UrlPolicy::Public,
                Timestamp(0)
            ),
            Err(RegisterError::TooMany)
        );
        assert!(hooks.remove(&id(0)).is_some());
        assert_eq!(
            hooks
                .register(
                    id(1),
                    secret(),
                    request(vec![EventType::BadgeEarned]),
                    UrlPolicy::Public,
                    Timestamp(0)
                )
                .map(|h| h.id.clone()),
            Err(RegisterError::Exists(id(1)))
        );
        assert_eq!(
            hooks.subscribed(EventType::BadgeEarned).count(),
            Webhooks::MAX - 1
        );
        let json = serde_json::to_string(&EventType::ALL).unwrap();
        assert_eq!(
            json,
            r#"["thread.created","reply.created","event.signup","report.created","member.joined","member.level_up","badge.earned","automation.fired","checkin.reminder"]"#
        );
        for t in EventType::ALL {
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.as_str())
            );
        }
    }

    #[test]
    fn outbox_keys_sort_by_due_time_and_parse_back() {
        let a = keys::due(Timestamp(9_000), "dlv-2-wh-1");
        let b = keys::due(Timestamp(10_000), "dlv-1-wh-1");
        assert!(a < b);
        assert_eq!(keys::due_at(&b), Some(Timestamp(10_000)));
        assert_eq!(keys::due_at("webhook/hooks"), None);
    }
}
