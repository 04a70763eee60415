//! The typed client for the worker's API. Every call returns a wire type from core or an
//! `ApiError`, so views match on error codes, never on strings. Network failures and
//! unreadable answers become `ErrorCode::Unknown` with a short reason.

mod insight;
mod staff;

pub use insight::InsightRead;
pub use staff::ContentDecision;

use gloo_net::http::{Request, RequestBuilder};
use quanzi_core::accounts::Me;
use quanzi_core::api::{CommunitySettings, CommunityView};
use quanzi_core::app::events::{AttendanceResult, EventPage, SignUpCancelled, SignedUp};
use quanzi_core::app::inbox::{MarkRead, MarkedRead, NotificationPage, UnreadCount};
use quanzi_core::app::membership::Joined;
use quanzi_core::app::points::{
    Badges, LeaderboardView, Levels, MyBadges, MyPoints, Redeemed, RewardList,
};
use quanzi_core::app::talk::{
    FeedChoice, PageCommentsView, PostedReplyView, ThreadDetailView, TopicListView,
};
use quanzi_core::app::{CheckinResult, MyCheckin, ReminderSetting};
use quanzi_core::error::{ApiError, ErrorBody, ErrorCode};
use quanzi_core::events::{EventView, SignUpRequest};
use quanzi_core::ids::CommunitySlug;
use quanzi_core::join::{JoinPolicy, JoinRequest, MembershipState};
use quanzi_core::moderation::{ReportFiled, ReportRequest};
use quanzi_core::points::LedgerPage;
use quanzi_core::talk::wire::{
    AcceptAnswerRequest, CreateThreadRequest, PostReplyRequest, ReactRequest, ReplyListView,
    ThreadListView, ThreadView, TopicView,
};
use quanzi_core::talk::{Cursor, ReactionKind, ReplyId, ThreadId, Toggled, TopicId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::rc::Rc;

/// What runs when the worker refuses a member's token (see [`on_token_refused`]).
type TokenRefusedHook = Rc<dyn Fn(&str)>;

thread_local! {
    static TOKEN_REFUSED: RefCell<Option<TokenRefusedHook>> = const { RefCell::new(None) };
}

/// Sets what runs whenever the worker answers `unauthenticated` to a request that carried a
/// bearer token (the token expired or is invalid); it gets that token. One hook per page;
/// a later call replaces it.
pub fn on_token_refused(hook: impl Fn(&str) + 'static) {
    TOKEN_REFUSED.with(|slot| *slot.borrow_mut() = Some(Rc::new(hook)));
}

fn token_refused(token: &str) {
    // Cloned out of the slot before the call, so the hook may replace itself.
    if let Some(hook) = TOKEN_REFUSED.with(|slot| slot.borrow().clone()) {
        hook(token);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    base: String,
}

impl Client {
    /// `base` is the worker's origin with a trailing slash, or `/` on the worker's own pages.
    pub fn new(base: impl Into<String>) -> Self {
        Self { base: base.into() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn community(&self, slug: &str) -> Result<CommunityView, ApiError> {
        send(
            Request::get(&self.url(&format!("api/v1/communities/{slug}"))),
            None::<&()>,
        )
        .await
    }

    /// Checks the member in for today (`token`: the brand's SSO token).
    pub async fn check_in(&self, slug: &str, token: &str) -> Result<CheckinResult, ApiError> {
        let url = self.url(&format!("api/v1/communities/{slug}/checkins"));
        write(|| bearer(Request::post(&url), token), None::<&()>).await
    }

    /// The member's check-in status, this month's calendar and balance.
    pub async fn my_checkin(&self, slug: &str, token: &str) -> Result<MyCheckin, ApiError> {
        let req = Request::get(&self.url(&format!("api/v1/communities/{slug}/checkins/me")));
        send(bearer(req, token), None::<&()>).await
    }

    /// Opts the member in to (or out of) the daily check-in reminder.
    pub async fn set_checkin_reminder(
        &self,
        slug: &str,
        token: &str,
        enabled: bool,
    ) -> Result<ReminderSetting, ApiError> {
        let body = ReminderSetting { enabled };
        let url = self.community_url(slug, "checkins/reminder");
        write(|| bearer(Request::put(&url), token), Some(&body)).await
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        send(Request::get(&self.url("api/v1/auth/me")), None::<&()>).await
    }

    pub async fn sign_up(&self, email: &str, name: &str, password: &str) -> Result<Me, ApiError> {
        let body = serde_json::json!({ "email": email, "name": name, "password": password });
        send(Request::post(&self.url("api/v1/auth/signup")), Some(&body)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<Me, ApiError> {
        let body = serde_json::json!({ "email": email, "password": password });
        send(Request::post(&self.url("api/v1/auth/login")), Some(&body)).await
    }

    pub async fn logout(&self, csrf: &str) -> Result<(), ApiError> {
        let req = Request::post(&self.url("api/v1/auth/logout")).header("x-csrf-token", csrf);
        send_empty(req).await
    }

    pub async fn create_community(
        &self,
        csrf: &str,
        slug: &CommunitySlug,
        settings: &CommunitySettings,
    ) -> Result<CommunityView, ApiError> {
        let body = serde_json::json!({ "slug": slug, "settings": settings });
        let req = Request::post(&self.url("api/v1/communities")).header("x-csrf-token", csrf);
        send(req, Some(&body)).await
    }
}

/// Talk and joining, as the member widget uses them. `token` is the member's SSO token;
/// reads take `None` for anonymous visitors, who see what everyone sees. Writes carry an
/// `Idempotency-Key` and are retried once, with the same key, when the network drops the
/// answer (see [`write`]).
impl Client {
    fn community_url(&self, slug: &str, path: &str) -> String {
        self.url(&format!("api/v1/communities/{slug}/{path}"))
    }

    /// Every topic (interest group), with whether the member is in it.
    pub async fn topics(&self, slug: &str, token: Option<&str>) -> Result<TopicListView, ApiError> {
        let req = Request::get(&self.community_url(slug, "topics")).query([("limit", "50")]);
        send(maybe_bearer(req, token), None::<&()>).await
    }

    /// Joins (`join: true`) or leaves a topic; the topic as the member now sees it.
    pub async fn topic_membership(
        &self,
        slug: &str,
        token: &str,
        topic: &TopicId,
        join: bool,
    ) -> Result<TopicView, ApiError> {
        let url = self.community_url(slug, &format!("topics/{topic}/membership"));
        let make = || {
            let req = if join {
                Request::post(&url)
            } else {
                Request::delete(&url)
            };
            bearer(req, token)
        };
        write(make, None::<&()>).await
    }

    /// A page of a feed: every thread (pinned first), `featured`, or one topic's.
    pub async fn threads(
        &self,
        slug: &str,
        token: Option<&str>,
        feed: &FeedChoice,
        cursor: Option<&Cursor>,
    ) -> Result<ThreadListView, ApiError> {
        let req = match feed {
            FeedChoice::All => Request::get(&self.community_url(slug, "threads")),
            FeedChoice::Featured => {
                Request::get(&self.community_url(slug, "threads")).query([("feed", "featured")])
            }
            FeedChoice::Topic { topic } => {
                Request::get(&self.community_url(slug, &format!("topics/{topic}/threads")))
            }
        };
        send(maybe_bearer(with_cursor(req, cursor), token), None::<&()>).await
    }

    /// One thread and the first page of its replies.
    pub async fn thread(
        &self,
        slug: &str,
        token: Option<&str>,
        thread: &ThreadId,
    ) -> Result<ThreadDetailView, ApiError> {
        let req = Request::get(&self.community_url(slug, &format!("threads/{thread}")));
        send(maybe_bearer(req, token), None::<&()>).await
    }

    /// The page of a thread's replies after `cursor`.
    pub async fn replies(
        &self,
        slug: &str,
        token: Option<&str>,
        thread: &ThreadId,
        cursor: Option<&Cursor>,
    ) -> Result<ReplyListView, ApiError> {
        let req = Request::get(&self.community_url(slug, &format!("threads/{thread}/replies")));
        send(maybe_bearer(with_cursor(req, cursor), token), None::<&()>).await
    }

    pub async fn create_thread(
        &self,
        slug: &str,
        token: &str,
        new: &CreateThreadRequest,
    ) -> Result<ThreadView, ApiError> {
        let url = self.community_url(slug, "threads");
        write(|| bearer(Request::post(&url), token), Some(new)).await
    }

    pub async fn post_reply(
        &self,
        slug: &str,
        token: &str,
        thread: &ThreadId,
        reply: &PostReplyRequest,
    ) -> Result<PostedReplyView, ApiError> {
        let url = self.community_url(slug, &format!("threads/{thread}/replies"));
        write(|| bearer(Request::post(&url), token), Some(reply)).await
    }

    /// Toggles one reaction on a thread's opening post, or on one of its replies.
    pub async fn react(
        &self,
        slug: &str,
        token: &str,
        thread: &ThreadId,
        reply: Option<&ReplyId>,
        kind: ReactionKind,
    ) -> Result<Toggled, ApiError> {
        let path = match reply {
            Some(reply) => format!("threads/{thread}/replies/{reply}/reactions"),
            None => format!("threads/{thread}/reactions"),
        };
        let url = self.community_url(slug, &path);
        let body = ReactRequest { kind };
        write(|| bearer(Request::post(&url), token), Some(&body)).await
    }

    /// Accepts `reply` as the question's answer (`None` withdraws it).
    pub async fn accept_answer(
        &self,
        slug: &str,
        token: &str,
        thread: &ThreadId,
        reply: Option<&ReplyId>,
    ) -> Result<ThreadView, ApiError> {
        let url = self.community_url(slug, &format!("threads/{thread}/answer"));
        let body = AcceptAnswerRequest {
            reply: reply.cloned(),
        };
        write(|| bearer(Request::put(&url), token), Some(&body)).await
    }

    /// Reports a post, a reply or a member to the moderators.
    pub async fn report(
        &self,
        slug: &str,
        token: &str,
        report: &ReportRequest,
    ) -> Result<ReportFiled, ApiError> {
        let url = self.community_url(slug, "moderation/reports");
        write(|| bearer(Request::post(&url), token), Some(report)).await
    }

    /// The comments under the page at `url` (its thread may not exist yet).
    pub async fn page_comments(
        &self,
        slug: &str,
        token: Option<&str>,
        url: &str,
    ) -> Result<PageCommentsView, ApiError> {
        let req = Request::get(&self.community_url(slug, "pages/comments")).query([("url", url)]);
        send(maybe_bearer(req, token), None::<&()>).await
    }

    /// Comments on the page at `url`; the first comment opens the page's thread.
    pub async fn post_page_comment(
        &self,
        slug: &str,
        token: &str,
        url: &str,
        reply: &PostReplyRequest,
    ) -> Result<PostedReplyView, ApiError> {
        let target = self.community_url(slug, "pages/comments");
        let make = || bearer(Request::post(&target).query([("url", url)]), token);
        write(make, Some(reply)).await
    }

    /// The community's rules, screening questions and welcome.
    pub async fn join_policy(&self, slug: &str) -> Result<JoinPolicy, ApiError> {
        send(Request::get(&self.community_url(slug, "join")), None::<&()>).await
    }

    /// Where the member stands: not joined, pending review, member, or banned.
    pub async fn my_membership(
        &self,
        slug: &str,
        token: &str,
    ) -> Result<MembershipState, ApiError> {
        let req = Request::get(&self.community_url(slug, "members/me"));
        send(bearer(req, token), None::<&()>).await
    }

    /// Accepts the rules and answers the screening questions.
    pub async fn join(
        &self,
        slug: &str,
        token: &str,
        request: &JoinRequest,
    ) -> Result<Joined, ApiError> {
        let url = self.community_url(slug, "join");
        write(|| bearer(Request::post(&url), token), Some(request)).await
    }
}

/// A member's points, level, badges and rank, the rewards, events and notifications, as the
/// member widget uses them. `token` is the member's SSO token; reads that take an `Option`
/// are open to visitors, and a token adds the member's own part (their rank, what they can
/// afford, their ticket). Writes go through [`write`]: an `Idempotency-Key`, one retry.
impl Client {
    /// Everything stored under the member, and the posts they wrote (their right of access).
    pub async fn my_data(
        &self,
        slug: &str,
        token: &str,
    ) -> Result<quanzi_core::app::data::MemberExport, ApiError> {
        let req = Request::get(&self.community_url(slug, "me/export"));
        send(bearer(req, token), None::<&()>).await
    }

    /// Balance, level and progress, badges and title.
    pub async fn my_points(&self, slug: &str, token: &str) -> Result<MyPoints, ApiError> {
        let req = Request::get(&self.community_url(slug, "me/points"));
        send(bearer(req, token), None::<&()>).await
    }

    /// A page of the member's ledger, newest first; `cursor` from the previous page.
    pub async fn my_ledger(
        &self,
        slug: &str,
        token: &str,
        cursor: Option<&str>,
    ) -> Result<LedgerPage, ApiError> {
        let req = Request::get(&self.community_url(slug, "me/points/ledger"))
            .query(cursor.map(|c| ("cursor", c)));
        send(bearer(req, token), None::<&()>).await
    }

    /// Shows a held title badge beside the member's name (`None`: no title).
    pub async fn choose_title(
        &self,
        slug: &str,
        token: &str,
        badge: Option<&str>,
    ) -> Result<MyBadges, ApiError> {
        let body = serde_json::json!({ "badge": badge });
        let url = self.community_url(slug, "me/title");
        write(|| bearer(Request::put(&url), token), Some(&body)).await
    }

    /// The level ladder, level 1 first, with each level's perks.
    pub async fn levels(&self, slug: &str) -> Result<Levels, ApiError> {
        send(
            Request::get(&self.community_url(slug, "levels")),
            None::<&()>,
        )
        .await
    }

    /// The community's badge catalogue (names in both languages).
    pub async fn badges(&self, slug: &str) -> Result<Badges, ApiError> {
        send(
            Request::get(&self.community_url(slug, "badges")),
            None::<&()>,
        )
        .await
    }

    /// `period`: `week`, `month` or `all`.
    pub async fn leaderboard(
        &self,
        slug: &str,
        period: &str,
        token: Option<&str>,
    ) -> Result<LeaderboardView, ApiError> {
        let req = Request::get(&self.community_url(slug, &format!("leaderboards/{period}")));
        send(maybe_bearer(req, token), None::<&()>).await
    }

    /// The rewards catalogue.
    pub async fn rewards(&self, slug: &str, token: Option<&str>) -> Result<RewardList, ApiError> {
        let req = Request::get(&self.community_url(slug, "rewards"));
        send(maybe_bearer(req, token), None::<&()>).await
    }

    pub async fn redeem(
        &self,
        slug: &str,
        token: &str,
        reward: &str,
    ) -> Result<Redeemed, ApiError> {
        let url = self.community_url(slug, &format!("rewards/{reward}/redeem"));
        write(|| bearer(Request::post(&url), token), None::<&()>).await
    }

    /// Events that have not ended, soonest to end first.
    pub async fn events(
        &self,
        slug: &str,
        token: Option<&str>,
        cursor: Option<&Cursor>,
    ) -> Result<EventPage, ApiError> {
        let req = Request::get(&self.community_url(slug, "events"));
        send(maybe_bearer(with_cursor(req, cursor), token), None::<&()>).await
    }

    pub async fn event(
        &self,
        slug: &str,
        id: &str,
        token: Option<&str>,
    ) -> Result<EventView, ApiError> {
        let req = Request::get(&self.community_url(slug, &format!("events/{id}")));
        send(maybe_bearer(req, token), None::<&()>).await
    }

    /// Signs up with answers to the event's questions: a seat, or a place on the waitlist.
    pub async fn sign_up_for_event(
        &self,
        slug: &str,
        token: &str,
        id: &str,
        request: &SignUpRequest,
    ) -> Result<SignedUp, ApiError> {
        let url = self.community_url(slug, &format!("events/{id}/signup"));
        write(|| bearer(Request::post(&url), token), Some(request)).await
    }

    /// Gives up the member's seat or waitlist place.
    pub async fn cancel_event_sign_up(
        &self,
        slug: &str,
        token: &str,
        id: &str,
    ) -> Result<SignUpCancelled, ApiError> {
        let url = self.community_url(slug, &format!("events/{id}/signup"));
        write(|| bearer(Request::delete(&url), token), None::<&()>).await
    }

    /// Checks in at the event with the code shown there.
    pub async fn event_check_in(
        &self,
        slug: &str,
        token: &str,
        id: &str,
        code: &str,
    ) -> Result<AttendanceResult, ApiError> {
        let body = serde_json::json!({ "code": code });
        let url = self.community_url(slug, &format!("events/{id}/check-in"));
        write(|| bearer(Request::post(&url), token), Some(&body)).await
    }

    /// A page of the member's notifications, newest first.
    pub async fn notifications(
        &self,
        slug: &str,
        token: &str,
        cursor: Option<&Cursor>,
    ) -> Result<NotificationPage, ApiError> {
        let req = Request::get(&self.community_url(slug, "notifications"));
        send(bearer(with_cursor(req, cursor), token), None::<&()>).await
    }

    pub async fn unread_count(&self, slug: &str, token: &str) -> Result<UnreadCount, ApiError> {
        let req = Request::get(&self.community_url(slug, "notifications/unread-count"));
        send(bearer(req, token), None::<&()>).await
    }

    /// Marks the given notifications (or all) read.
    pub async fn mark_read(
        &self,
        slug: &str,
        token: &str,
        which: &MarkRead,
    ) -> Result<MarkedRead, ApiError> {
        let url = self.community_url(slug, "notifications/read");
        write(|| bearer(Request::post(&url), token), Some(which)).await
    }
}

fn maybe_bearer(req: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => bearer(req, token),
        None => req,
    }
}

fn with_cursor(req: RequestBuilder, cursor: Option<&Cursor>) -> RequestBuilder {
    match cursor {
        Some(cursor) => req.query([("cursor", cursor.encode())]),
        None => req,
    }
}

/// A fresh `Idempotency-Key`: the time and 53 random bits.
fn idempotency_key() -> String {
    let random = js_sys::Math::random() * 9_007_199_254_740_992.0;
    format!("qz-{:x}-{:x}", js_sys::Date::now() as u64, random as u64)
}

thread_local! {
    /// The `Idempotency-Key` of each write that has no settled answer yet (none came back,
    /// or the server failed), by what the write asks: its method, URL, sign-in and body.
    static UNSETTLED: RefCell<Vec<Unsettled>> = const { RefCell::new(Vec::new()) };
}

/// A write without a settled answer: what it asked, its key, and when it was sent.
struct Unsettled {
    asked: String,
    key: String,
    at: f64,
}

/// How long a member's "try again" counts as the same write (after that, the same request
/// is a new action: checking in again on another day, redeeming the reward once more).
const RETRY_WINDOW_MS: f64 = 60_000.0;

/// Sends a write made by `make` with an `Idempotency-Key`. When the answer is lost on the
/// network the same request goes once more with the same key: the worker answers a repeat
/// with the first answer, so the write takes effect at most once. A write left without a
/// settled answer keeps its key for [`RETRY_WINDOW_MS`], so that when the member tries the
/// same write again (the view rolled back, they tap again) it is still the same write to the
/// worker; a settled answer (success or refusal) forgets it.
async fn write<T: DeserializeOwned>(
    make: impl Fn() -> RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let fingerprint = make().build().ok().and_then(|req| {
        let body = body.map(serde_json::to_string).transpose().ok()?;
        let req = web_sys::Request::from(req);
        let auth = req.headers().get("authorization").ok().flatten();
        Some(
            [
                req.method(),
                req.url(),
                auth.unwrap_or_default(),
                body.unwrap_or_default(),
            ]
            .join(" "),
        )
    });
    let now = js_sys::Date::now();
    let kept = fingerprint.as_ref().and_then(|f| {
        UNSETTLED.with(|u| {
            u.borrow()
                .iter()
                .find(|w| &w.asked == f && now - w.at < RETRY_WINDOW_MS)
                .map(|w| w.key.clone())
        })
    });
    let key = kept.unwrap_or_else(idempotency_key);
    let attempt = || send(make().header("idempotency-key", &key), body);
    let answer = match attempt().await {
        Err(err) if err.code == ErrorCode::Unknown && err.message == NETWORK => attempt().await,
        answer => answer,
    };
    if let Some(fingerprint) = fingerprint {
        let unsettled = matches!(&answer, Err(err) if err.code.http_status() >= 500);
        UNSETTLED.with(|u| {
            let mut u = u.borrow_mut();
            u.retain(|w| w.asked != fingerprint && now - w.at < RETRY_WINDOW_MS);
            if unsettled {
                // A handful at most: the writes a member left failed on this page.
                if u.len() >= 16 {
                    u.remove(0);
                }
                u.push(Unsettled {
                    asked: fingerprint,
                    key,
                    at: now,
                });
            }
        });
    }
    answer
}

/// The reason of an `Unknown` error when no answer came back.
const NETWORK: &str = "network";

fn bearer(req: RequestBuilder, token: &str) -> RequestBuilder {
    req.header("authorization", &format!("Bearer {token}"))
}

fn unknown(reason: &str) -> ApiError {
    ApiError::new(ErrorCode::Unknown, reason)
}

async fn response(
    req: RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<gloo_net::http::Response, ApiError> {
    let req = match body {
        Some(body) => req.json(body),
        None => req.build(),
    }
    .map_err(|_| unknown("request"))?;
    let token = req
        .headers()
        .get("authorization")
        .and_then(|value| value.strip_prefix("Bearer ").map(str::to_owned));
    let res = req.send().await.map_err(|_| unknown(NETWORK))?;
    if res.ok() {
        return Ok(res);
    }
    match res.json::<ErrorBody>().await {
        Ok(body) => {
            if let (ErrorCode::Unauthenticated, Some(token)) = (body.error.code, &token) {
                token_refused(token);
            }
            Err(body.error)
        }
        Err(_) => Err(unknown(&format!("status {}", res.status()))),
    }
}

async fn send<T: DeserializeOwned>(
    req: RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    response(req, body)
        .await?
        .json::<T>()
        .await
        .map_err(|_| unknown("bad response"))
}

async fn send_empty(req: RequestBuilder) -> Result<(), ApiError> {
    response(req, None::<&()>).await.map(drop)
}

/// Hands `text` (JSON) to the browser as the download `file`, as a data export is saved:
/// the widget's "Download my data" and the dashboard's exports. `false` if the browser did
/// not take it.
pub fn save_json_file(text: &str, file: &str) -> bool {
    use wasm_bindgen::JsCast;
    let saved = (|| {
        let parts = js_sys::Array::of1(&text.into());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let window = web_sys::window()?;
        let link: web_sys::HtmlAnchorElement = window
            .document()?
            .create_element("a")
            .ok()?
            .dyn_into()
            .ok()?;
        link.set_href(&url);
        link.set_download(file);
        link.click();
        // Revoked once the browser has surely read it (at once can cancel a large download).
        let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        });
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
        Some(())
    })();
    saved.is_some()
}
