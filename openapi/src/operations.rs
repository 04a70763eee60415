//! Every operation of the API, in one list: the one place a new route is described.
//!
//! Adding a route: its arm in `edge/src/routes.rs` or `edge/src/api/*.rs`, its line in
//! `edge/src/route_list.rs` (the worker refuses unlisted routes), and its entry here, in its
//! area: method and path, `who`, then `body::<T>()`, `query…`, and `ok::<T>(status, …)` with
//! core's wire types. A path parameter needs its line in [`path_param`]. The tests in
//! `openapi/tests/` fail until the document and the worker's list agree.

use quanzi_core::accounts::{ChangePasswordRequest, LoginRequest, Me};
use quanzi_core::api::{CommunitySettings, CommunityView, FirstView};
use quanzi_core::app::events::{
    AttendanceResult, AttendeeList, EventPage, RemindersSent, SignUpCancelled, SignedUp,
};
use quanzi_core::app::inbox::{DailyActivity, MarkRead, MarkedRead, NotificationPage, UnreadCount};
use quanzi_core::app::membership::{
    AuditRecord, ContentVisibility, Joined, MemberRoleView, Paged, Reviewed,
};
use quanzi_core::app::points::{
    Adjusted, BadgeHolder, Badges, LeaderboardView, Levels, MyBadges, MyPoints, Redeemed,
    RewardCatalogue, RewardEdit, RewardList, Rules,
};
use quanzi_core::app::talk::{PageCommentsView, PostedReplyView, ThreadDetailView, TopicListView};
use quanzi_core::app::webhooks::DeliveriesView;
use quanzi_core::app::{CheckinResult, MyCheckin, ReminderSetting};
use quanzi_core::events::{
    CancelEventRequest, CapacityRequest, CheckInRequest, EventDraft, EventEdit, EventId, EventView,
    OrganiserEventView,
};
use quanzi_core::ids::{CommunitySlug, MemberId};
use quanzi_core::join::{Application, JoinPolicy, JoinRequest, MembershipState};
use quanzi_core::moderation::{
    AuditEntry, Ban, MemberRoleRequest, ModerationSettings, QueueEntry, ReportFiled, ReportRequest,
    ResolveRequest,
};
use quanzi_core::points::{LedgerPage, Reward, RewardId};
use quanzi_core::recognition::BadgeId;
use quanzi_core::sso::{NewSsoKey, SsoKeyView};
use quanzi_core::talk::wire::{
    AcceptAnswerRequest, CreateThreadRequest, EditReplyRequest, EditThreadRequest,
    PostReplyRequest, ReactRequest, ReplyListView, ReplyView, ThreadListView, ThreadView,
    TopicView,
};
use quanzi_core::talk::{FlagChange, ReplyId, ThreadId, Toggled, TopicDraft, TopicId};
use quanzi_core::team::{
    AcceptInvite, CreatedInvite, InviteId, InviteView, JoinedTeam, NewInvite, RoleChange, Team,
    Teammate,
};
use quanzi_core::webhook::{CreatedWebhook, NewWebhook, WebhookId, WebhookList, WebhookView};

use crate::bodies::{
    BanRequest, ChooseTitle, ContentAction, ModerationSettingsChange, NewAdjustment, NewCommunity,
    NewTopic, OptionalReason,
};
use crate::operation::{
    Op, Schemaed, Who, area, array_of, delete, either, generic, get, inline, one_of_strings, patch,
    post, put, reference,
};

/// A path under `/api/v1/communities/{slug}`.
macro_rules! c {
    ($path:literal) => {
        concat!("/api/v1/communities/{slug}", $path)
    };
}

/// A path parameter: what it names, its schema, and a value to show.
#[derive(Clone)]
pub struct PathParam {
    pub description: &'static str,
    pub schema: Schemaed,
    pub example: &'static str,
}

/// The path parameters by name; every `{name}` in a path must be here.
pub fn path_param(name: &str) -> Option<PathParam> {
    let (description, schema, example) = match name {
        "slug" => (
            "The community's slug.",
            reference::<CommunitySlug>(),
            "demo",
        ),
        "topic" => ("A topic's id.", reference::<TopicId>(), "running-club"),
        "thread" => (
            "A thread's id.",
            reference::<ThreadId>(),
            "a1b2c3d4e5f6a7b8c9d0",
        ),
        "reply" => (
            "A reply's id.",
            reference::<ReplyId>(),
            "b1c2d3e4f5a6b7c8d9e0",
        ),
        "event" => ("An event's id.", reference::<EventId>(), "0a1b2c3d4e5f6a7b"),
        "member" => (
            "A member, as the brand's token names them (`sub`).",
            reference::<MemberId>(),
            "u_42",
        ),
        "reward" => ("A reward's id.", reference::<RewardId>(), "tea-mug"),
        "webhook" => (
            "A webhook's id.",
            reference::<WebhookId>(),
            "wh-0a1b2c3d4e5f",
        ),
        "badge" => ("A badge's id.", reference::<BadgeId>(), "first-post"),
        "invite" => (
            "A pending invite's id (not its token).",
            reference::<InviteId>(),
            "0a1b2c3d4e5f6a7b",
        ),
        "email" => (
            "A teammate's email (percent-encoded in the path).",
            reference::<quanzi_core::accounts::Email>(),
            "mia@brand.example",
        ),
        "tag" => (
            "A staff tag (1–40 characters, any case; percent-encoded in the path).",
            reference::<quanzi_core::ids::BrandTag>(),
            "vip",
        ),
        "automation" => (
            "An automation's id.",
            reference::<quanzi_core::automation::AutomationId>(),
            "au-0a1b2c3d4e5f",
        ),
        "segment" => (
            "A saved segment's id.",
            reference::<quanzi_core::insight::segment::SegmentId>(),
            "0a1b2c3d4e5f6a7b",
        ),
        "period" => (
            "`week`, `month` or `all` (the current ones), or a past week `2026-W09` or month `2026-03`.",
            inline::<String>(),
            "week",
        ),
        _ => return None,
    };
    Some(PathParam {
        description,
        schema,
        example,
    })
}

/// Every operation, area by area.
pub fn all() -> Vec<Op> {
    [
        community(),
        checkin(),
        joining(),
        talk(),
        events(),
        points(),
        moderation(),
        inbox(),
        insight(),
        members(),
        webhooks(),
        automations(),
        team(),
        accounts(),
        operator(),
    ]
    .concat()
}

fn community() -> Vec<Op> {
    area(
        "community",
        vec![
            post("/api/v1/communities", "Create a community")
                .who(Who::Marketer)
                .describe("The signed-in marketer becomes its owner.")
                .body::<NewCommunity>()
                .ok::<CommunityView>(201, "The new community, as anyone sees it."),
            get(c!(""), "Read a community")
                .ok::<CommunityView>(200, "What anyone may know about the community."),
            put(c!(""), "Replace a community's settings")
                .who(Who::Staff)
                .describe("The owner or an admin.")
                .body::<CommunitySettings>()
                .ok::<CommunityView>(200, "The community as it now is."),
            get(c!("/first-view"), "Draw the widget's first view")
                .who(Who::Public)
                .describe(
                    "The community's home as the widget draws it for a visitor, as HTML with the \
                     stylesheet: `embed.js` shows it at once and loads the widget's app when the \
                     member reaches for it. Members' text is escaped; a `login` that is not a \
                     relative or http(s) URL is left out.",
                )
                .query::<String>(
                    "lang",
                    "The page's language (`zh-CN`, `en`, …); else the community's.",
                )
                .query::<String>(
                    "login",
                    "Where the brand signs members in (`data-login-url`).",
                )
                .query::<String>(
                    "signed_in",
                    "`1` when the page has a member's token: their check-in card shows as loading.",
                )
                .ok::<FirstView>(200, "The stylesheet and the HTML."),
            get(c!("/settings"), "Read the settings as saved")
                .who(Who::Staff)
                .describe("Allowed origins included: what the dashboard edits (owner, admin).")
                .ok::<CommunitySettings>(200, "The settings."),
            get(c!("/sso-keys"), "List the sign-in keys")
                .who(Who::Staff)
                .describe("Key ids and ages, never their secrets (owner, admin).")
                .ok_with(200, "The active keys.", array_of::<SsoKeyView>()),
            post(c!("/sso-keys"), "Add a member sign-in key")
                .who(Who::Staff)
                .describe(
                    "A new HS256 secret for the brand's server; two keys stay active so keys \
                     can be rotated without downtime (owner, admin).",
                )
                .ok::<NewSsoKey>(201, "The new key; its secret is shown only here."),
            get(c!("/export"), "Export the community")
                .who(Who::Staff)
                .describe(
                    "The owner only: one page of every stored entry in key order, as a versioned \
                     document (`quanzi-export`, version 1). Sign-in secrets, the team, webhooks \
                     and idempotency records never leave. `x-next-cursor` (and `next`) say \
                     where the next page starts.",
                )
                .query::<String>(
                    "cursor",
                    "Where the page starts: the `next` of the previous page.",
                )
                .query::<u32>("limit", "Entries per page, 1–5000 (default 1000).")
                .ok::<quanzi_core::app::data::ExportDocument>(200, "One page of the export."),
            post(c!("/import"), "Import into a fresh community")
                .who(Who::Staff)
                .describe(
                    "The owner only, into a community with no content yet (else \
                     `community_not_empty`, 409): every page's entries in one document without \
                     `next` (at most 32 MiB). The whole document is checked before anything is \
                     written; the slug is rewritten and the settings come with it.",
                )
                .body::<quanzi_core::app::data::ExportDocument>()
                .ok::<quanzi_core::app::data::Imported>(200, "How many entries were written.")
                .error(409),
        ],
    )
}

fn checkin() -> Vec<Op> {
    area(
        "check-in",
        vec![
            post(c!("/checkins"), "Check in for today")
                .who(Who::Member)
                .describe("One check-in per community-local day.")
                .ok::<CheckinResult>(200, "The streak, the points earned and the balance.")
                .error(409),
            get(c!("/checkins/me"), "My check-ins")
                .who(Who::Member)
                .query_with(
                    "month",
                    "The month of the calendar, `YYYY-MM` (default: this month).",
                    inline::<String>(),
                    Some("2026-03".into()),
                )
                .ok::<MyCheckin>(200, "Today's status, the month's calendar and the balance."),
            put(c!("/checkins/reminder"), "Daily check-in reminder")
                .who(Who::Member)
                .describe(
                    "Opt in to (or out of) one reminder a day, at the community's reminder \
                     hour, when the member has not checked in yet: a `checkin_reminder` \
                     notification and a `checkin.reminder` webhook event.",
                )
                .body::<ReminderSetting>()
                .ok::<ReminderSetting>(200, "The setting as saved."),
        ],
    )
}

fn joining() -> Vec<Op> {
    area(
        "joining",
        vec![
            get(c!("/join"), "Read the join policy")
                .ok::<JoinPolicy>(200, "The rules, and open joining or screening questions."),
            put(c!("/join"), "Replace the join policy")
                .who(Who::Staff)
                .describe("The owner or an admin.")
                .body::<JoinPolicy>()
                .ok::<JoinPolicy>(200, "The policy as saved."),
            post(c!("/join"), "Join the community")
                .who(Who::Member)
                .describe("Accept the rules, and answer the screening questions if there are any.")
                .body::<JoinRequest>()
                .ok::<Joined>(201, "Where the member now stands."),
            get(c!("/members/me"), "My membership")
                .who(Who::Member)
                .ok::<MembershipState>(200, "Member, applicant or neither."),
            get(c!("/applications"), "List applications")
                .who(Who::Mods)
                .query::<String>(
                    "cursor",
                    "Where the page starts: the `next` of the previous page.",
                )
                .ok_with(
                    200,
                    "One page of applications waiting for review.",
                    generic::<Paged<Application>, Application>("Paged_Application"),
                ),
            post(
                c!("/applications/{member}/approve"),
                "Approve an application",
            )
            .who(Who::Mods)
            .optional_body::<OptionalReason>()
            .ok::<Reviewed>(200, "The decision."),
            post(c!("/applications/{member}/reject"), "Reject an application")
                .who(Who::Mods)
                .optional_body::<OptionalReason>()
                .ok::<Reviewed>(200, "The decision."),
        ],
    )
}

fn talk() -> Vec<Op> {
    area(
        "talk",
        vec![
            get(c!("/topics"), "List topics")
                .list()
                .ok::<TopicListView>(200, "One page of topics."),
            post(c!("/topics"), "Create a topic")
                .who(Who::Staff)
                .body::<NewTopic>()
                .ok::<TopicView>(201, "The new topic."),
            put(c!("/topics/{topic}"), "Edit a topic")
                .who(Who::Staff)
                .body::<TopicDraft>()
                .ok::<TopicView>(200, "The topic as it now is."),
            post(c!("/topics/{topic}/membership"), "Join a topic")
                .who(Who::Member)
                .ok::<TopicView>(200, "The topic, joined."),
            delete(c!("/topics/{topic}/membership"), "Leave a topic")
                .who(Who::Member)
                .ok::<TopicView>(200, "The topic, left."),
            get(c!("/topics/{topic}/threads"), "A topic's threads")
                .list()
                .ok::<ThreadListView>(200, "One page of the topic's threads, newest first."),
            get(c!("/threads"), "List threads")
                .list()
                .query_with(
                    "feed",
                    "`all` (default) or `featured`.",
                    one_of_strings(&["all", "featured"]),
                    None,
                )
                .query::<TopicId>("topic", "Only this topic's threads (instead of `feed`).")
                .ok::<ThreadListView>(200, "One page of threads."),
            post(c!("/threads"), "Start a thread")
                .who(Who::Member)
                .describe("The body is Markdown, rendered and sanitised once, on write.")
                .body::<CreateThreadRequest>()
                .ok::<ThreadView>(201, "The new thread."),
            get(c!("/threads/{thread}"), "Read a thread")
                .describe("With the first page of its replies (`?cursor=&limit=` pages them).")
                .list()
                .ok::<ThreadDetailView>(200, "The thread and a page of replies."),
            patch(c!("/threads/{thread}"), "Edit a thread")
                .who(Who::Member)
                .describe("The author: a new title, a new body, or both.")
                .body::<EditThreadRequest>()
                .ok::<ThreadView>(200, "The thread as it now is."),
            delete(c!("/threads/{thread}"), "Delete a thread")
                .who(Who::Member)
                .describe("The author.")
                .ok::<ThreadView>(200, "The deleted thread."),
            get(c!("/threads/{thread}/replies"), "List replies")
                .list()
                .ok::<ReplyListView>(200, "One page of replies, oldest first."),
            post(c!("/threads/{thread}/replies"), "Reply to a thread")
                .who(Who::Member)
                .body::<PostReplyRequest>()
                .ok::<PostedReplyView>(201, "The new reply."),
            patch(c!("/threads/{thread}/replies/{reply}"), "Edit a reply")
                .who(Who::Member)
                .describe("The author.")
                .body::<EditReplyRequest>()
                .ok::<ReplyView>(200, "The reply as it now is."),
            delete(c!("/threads/{thread}/replies/{reply}"), "Delete a reply")
                .who(Who::Member)
                .describe("The author.")
                .ok::<ReplyView>(200, "The deleted reply."),
            post(c!("/threads/{thread}/reactions"), "React to a thread")
                .who(Who::Member)
                .describe("Toggles the reaction.")
                .body::<ReactRequest>()
                .ok::<Toggled>(200, "Whether the reaction is now on, and the counts."),
            post(
                c!("/threads/{thread}/replies/{reply}/reactions"),
                "React to a reply",
            )
            .who(Who::Member)
            .describe("Toggles the reaction.")
            .body::<ReactRequest>()
            .ok::<Toggled>(200, "Whether the reaction is now on, and the counts."),
            put(c!("/threads/{thread}/answer"), "Accept an answer")
                .who(Who::Mods)
                .describe("The asker of a question, staff or a member moderator.")
                .body::<AcceptAnswerRequest>()
                .ok::<ThreadView>(200, "The question with its accepted answer."),
            put(
                c!("/threads/{thread}/flags"),
                "Pin, feature or lock a thread",
            )
            .who(Who::Mods)
            .body::<FlagChange>()
            .ok::<ThreadView>(200, "The thread as it now is."),
            get(c!("/pages/comments"), "Comments under a page")
                .required_query::<String>(
                    "url",
                    "The page's URL (normalised).",
                    "https://www.acme.example/tea/oolong",
                )
                .list()
                .ok::<PageCommentsView>(200, "One page of the page's comments."),
            post(c!("/pages/comments"), "Comment under a page")
                .who(Who::Member)
                .required_query::<String>(
                    "url",
                    "The page's URL (normalised).",
                    "https://www.acme.example/tea/oolong",
                )
                .body::<PostReplyRequest>()
                .ok::<PostedReplyView>(201, "The new comment."),
        ],
    )
}

fn events() -> Vec<Op> {
    area(
        "events",
        vec![
            get(c!("/events"), "List events")
                .describe("The events that have not ended, soonest to end first.")
                .list()
                .query::<bool>(
                    "include_ended",
                    "Also the events that have ended (the dashboard's history).",
                )
                .ok::<EventPage>(
                    200,
                    "One page of events; a member's token adds their ticket.",
                ),
            post(c!("/events"), "Publish an event")
                .who(Who::Staff)
                .body::<EventDraft>()
                .ok::<OrganiserEventView>(201, "The event, with its attendance code."),
            post(c!("/events/reminders"), "Send due reminders")
                .who(Who::Operator)
                .describe("Tells confirmed members a day and an hour before (the reminder job).")
                .ok::<RemindersSent>(200, "How many were sent, and when to run again."),
            get(c!("/events/{event}"), "Read an event")
                .ok::<EventView>(200, "The event; a member's token adds their ticket."),
            patch(c!("/events/{event}"), "Edit an event")
                .who(Who::Staff)
                .body::<EventEdit>()
                .ok::<OrganiserEventView>(200, "The event as it now is."),
            post(c!("/events/{event}/cancel"), "Cancel an event")
                .who(Who::Staff)
                .describe("Everyone on the roster is told.")
                .body::<CancelEventRequest>()
                .ok::<OrganiserEventView>(200, "The cancelled event."),
            put(c!("/events/{event}/capacity"), "Change the capacity")
                .who(Who::Staff)
                .describe("Raising it promotes members from the waitlist, first come first served.")
                .body::<CapacityRequest>()
                .ok::<OrganiserEventView>(200, "The event as it now is."),
            post(
                c!("/events/{event}/attendance-code"),
                "Replace the attendance code",
            )
            .who(Who::Staff)
            .ok::<OrganiserEventView>(200, "The event with its new code."),
            get(c!("/events/{event}/attendees"), "List attendees")
                .who(Who::Staff)
                .describe("Confirmed members in seat order, then the waitlist, with their answers.")
                .ok::<AttendeeList>(200, "The attendee list."),
            get(c!("/events/{event}/attendees.csv"), "Download attendees")
                .who(Who::Staff)
                .csv("The attendee list as a spreadsheet (UTF-8 with a byte-order mark)."),
            post(
                c!("/events/{event}/attendees/{member}/attendance"),
                "Mark a member present",
            )
            .who(Who::Staff)
            .describe("Without the code, for a confirmed member.")
            .ok::<AttendanceResult>(200, "The outcome and the points it earned."),
            post(c!("/events/{event}/signup"), "Sign up")
                .who(Who::Member)
                .describe("A seat, or a place on the waitlist.")
                .body::<quanzi_core::events::SignUpRequest>()
                .ok::<SignedUp>(201, "The member's ticket and the event."),
            delete(c!("/events/{event}/signup"), "Cancel my sign-up")
                .who(Who::Member)
                .describe("The first member waiting takes a freed seat.")
                .ok::<SignUpCancelled>(200, "What the member gave up, and the event."),
            post(c!("/events/{event}/check-in"), "Check in at the event")
                .who(Who::Member)
                .describe("A confirmed member, with the code shown at the venue.")
                .body::<CheckInRequest>()
                .ok::<AttendanceResult>(200, "The outcome and the points it earned."),
        ],
    )
}

fn points() -> Vec<Op> {
    area(
        "points",
        vec![
            get(c!("/me/points"), "My points")
                .who(Who::Member)
                .ok::<MyPoints>(200, "Balance, level, badges and title."),
            get(c!("/me/points/ledger"), "My ledger")
                .who(Who::Member)
                .query::<String>(
                    "cursor",
                    "Where the page starts: the `next` of the previous page.",
                )
                .query::<u32>("limit", "Page size.")
                .ok::<LedgerPage>(200, "One page of the ledger, newest first."),
            put(c!("/me/title"), "Choose my title")
                .who(Who::Member)
                .body::<ChooseTitle>()
                .ok::<MyBadges>(200, "The member's badges and title."),
            get(c!("/rewards"), "List rewards")
                .describe(
                    "Members and visitors see the active rewards (a member sees what they can \
                     afford); with `include=withdrawn`, staff see the whole catalogue.",
                )
                .query::<RewardId>(
                    "cursor",
                    "Where the page starts: the `next` of the previous page.",
                )
                .query_with(
                    "include",
                    "`withdrawn`: the whole catalogue (staff).",
                    one_of_strings(&["withdrawn"]),
                    None,
                )
                .ok_with(
                    200,
                    "The rewards; the catalogue with `include=withdrawn`.",
                    either::<RewardList, RewardCatalogue>(),
                ),
            post(c!("/rewards"), "Create a reward")
                .who(Who::Staff)
                .body::<Reward>()
                .ok::<Reward>(201, "The new reward."),
            put(c!("/rewards/{reward}"), "Edit a reward")
                .who(Who::Staff)
                .body::<RewardEdit>()
                .ok::<Reward>(200, "The reward as it now is."),
            post(c!("/rewards/{reward}/redeem"), "Redeem a reward")
                .who(Who::Member)
                .ok::<Redeemed>(201, "The redemption and the new balance."),
            post(c!("/points/adjustments"), "Adjust a member's points")
                .who(Who::Staff)
                .body::<NewAdjustment>()
                .ok::<Adjusted>(201, "The ledger line and the new balance."),
            get(c!("/points/rules"), "Read the points rules")
                .ok::<Rules>(200, "Points per action, daily caps, and check-in rules."),
            put(c!("/points/rules"), "Replace the points rules")
                .who(Who::Staff)
                .body::<Rules>()
                .ok::<Rules>(200, "The rules as saved."),
            get(c!("/levels"), "Read the levels").ok::<Levels>(200, "The ladder, level 1 first."),
            put(c!("/levels"), "Replace the levels")
                .who(Who::Staff)
                .body::<Levels>()
                .ok::<Levels>(200, "The ladder as saved."),
            get(c!("/badges"), "Read the badges").ok::<Badges>(200, "The badge catalogue."),
            put(c!("/badges"), "Replace the badges")
                .who(Who::Staff)
                .body::<Badges>()
                .ok::<Badges>(200, "The catalogue as saved."),
            post(c!("/badges/{badge}/holders/{member}"), "Grant a badge")
                .who(Who::Staff)
                .ok::<BadgeHolder>(201, "The member and the badge."),
            delete(c!("/badges/{badge}/holders/{member}"), "Revoke a badge")
                .who(Who::Staff)
                .ok::<BadgeHolder>(200, "The member, without the badge."),
            get(c!("/leaderboards/{period}"), "Read a leaderboard")
                .query::<u32>("limit", "How many rows.")
                .ok::<LeaderboardView>(200, "The rows; a member's token adds their own."),
        ],
    )
}

fn moderation() -> Vec<Op> {
    area(
        "moderation",
        vec![
            post(c!("/moderation/reports"), "Report a post")
                .who(Who::Member)
                .body::<ReportRequest>()
                .ok::<ReportFiled>(201, "The report."),
            post(
                c!("/moderation/reports/resolve"),
                "Resolve the reports of a post",
            )
            .who(Who::Mods)
            .body::<ResolveRequest>()
            .ok::<AuditEntry>(200, "The audit entry of the decision."),
            get(c!("/moderation/queue"), "The moderation queue")
                .who(Who::Mods)
                .describe("Reported posts, and posts waiting for pre-moderation.")
                .query::<String>(
                    "cursor",
                    "Where the page starts: the `next` of the previous page.",
                )
                .ok_with(
                    200,
                    "One page of the queue.",
                    generic::<Paged<QueueEntry>, QueueEntry>("Paged_QueueEntry"),
                ),
            post(c!("/moderation/hide"), "Hide a post")
                .who(Who::Mods)
                .body::<ContentAction>()
                .ok::<ContentVisibility>(200, "The post's visibility now."),
            post(c!("/moderation/restore"), "Restore a hidden post")
                .who(Who::Mods)
                .body::<ContentAction>()
                .ok::<ContentVisibility>(200, "The post's visibility now."),
            post(c!("/moderation/approve"), "Approve a pre-moderated post")
                .who(Who::Mods)
                .body::<ContentAction>()
                .ok::<ContentVisibility>(200, "The post's visibility now."),
            post(c!("/moderation/reject"), "Reject a pre-moderated post")
                .who(Who::Mods)
                .body::<ContentAction>()
                .ok::<ContentVisibility>(200, "The post's visibility now."),
            get(c!("/moderation/audit"), "The audit log")
                .who(Who::Mods)
                .query::<String>(
                    "cursor",
                    "Where the page starts: the `next` of the previous page.",
                )
                .ok_with(
                    200,
                    "One page of the audit log, newest first.",
                    generic::<Paged<AuditRecord>, AuditRecord>("Paged_AuditRecord"),
                ),
            get(c!("/moderation/bans"), "List bans")
                .who(Who::Mods)
                .query::<String>(
                    "cursor",
                    "Where the page starts: the `next` of the previous page.",
                )
                .ok_with(
                    200,
                    "One page of the members banned now.",
                    generic::<Paged<Ban>, Ban>("Paged_Ban"),
                ),
            get(c!("/moderation/settings"), "Read the moderation settings")
                .who(Who::Mods)
                .ok::<ModerationSettings>(200, "Pre-moderation and the other settings."),
            put(
                c!("/moderation/settings"),
                "Replace the moderation settings",
            )
            .who(Who::Mods)
            .body::<ModerationSettingsChange>()
            .ok::<ModerationSettings>(200, "The settings as saved."),
            put(c!("/members/{member}/ban"), "Ban a member")
                .who(Who::Mods)
                .optional_body::<BanRequest>()
                .ok::<Ban>(200, "The ban."),
            delete(c!("/members/{member}/ban"), "Lift a ban")
                .who(Who::Mods)
                .optional_body::<OptionalReason>()
                .ok::<AuditEntry>(200, "The audit entry."),
            put(c!("/members/{member}/role"), "Set a member's role")
                .who(Who::Mods)
                .describe("Make a member a member moderator, or a member again (owner, admin).")
                .body::<MemberRoleRequest>()
                .ok::<MemberRoleView>(200, "The member's role now."),
        ],
    )
}

fn inbox() -> Vec<Op> {
    area(
        "inbox",
        vec![
            get(c!("/notifications"), "My notifications")
                .who(Who::Member)
                .query::<String>(
                    "cursor",
                    "Where the page starts: the `next` of the previous page.",
                )
                .ok::<NotificationPage>(200, "One page, newest first."),
            get(c!("/notifications/unread-count"), "How many are unread")
                .who(Who::Member)
                .ok::<UnreadCount>(200, "The count."),
            post(c!("/notifications/read"), "Mark notifications read")
                .who(Who::Member)
                .describe("`{\"ids\": [...]}`, or `{\"all\": true}`.")
                .body::<MarkRead>()
                .ok::<MarkedRead>(200, "How many were marked, and the unread count."),
            get(c!("/activity/daily"), "Daily activity")
                .who(Who::Staff)
                .describe(
                    "Active members and what they did, per community-local day (owner, admin).",
                )
                .required_query::<String>("from", "The first day, `YYYY-MM-DD`.", "2026-03-01")
                .required_query::<String>("to", "The last day, `YYYY-MM-DD`.", "2026-03-07")
                .ok::<DailyActivity>(200, "One row per day."),
        ],
    )
}

fn webhooks() -> Vec<Op> {
    area(
        "webhooks",
        vec![
            get(c!("/webhooks"), "List webhooks")
                .who(Who::Staff)
                .describe("Every endpoint, without its secret (owner, admin).")
                .ok::<WebhookList>(200, "The endpoints."),
            post(c!("/webhooks"), "Register a webhook")
                .who(Who::Staff)
                .describe(
                    "Quanzi POSTs the chosen events to the URL, signed with the endpoint's \
                     secret (owner, admin).",
                )
                .body::<NewWebhook>()
                .ok::<CreatedWebhook>(
                    201,
                    "The endpoint, with its signing secret (shown only here).",
                ),
            delete(c!("/webhooks/{webhook}"), "Delete a webhook")
                .who(Who::Staff)
                .describe("Its delivery log and queued deliveries go with it.")
                .ok::<WebhookView>(200, "The endpoint as it was."),
            get(
                c!("/webhooks/{webhook}/deliveries"),
                "A webhook's deliveries",
            )
            .who(Who::Staff)
            .ok::<DeliveriesView>(200, "The last attempts, newest first."),
        ],
    )
}

fn automations() -> Vec<Op> {
    use quanzi_core::app::automation::{AutomationDeleted, AutomationList, DryRun};
    use quanzi_core::automation::{Automation, AutomationDraft, RunLog};
    const WHO: &str = "The owner or an admin.";
    area(
        "automations",
        vec![
            get(c!("/automations"), "List automations")
                .who(Who::Staff)
                .describe(WHO)
                .ok::<AutomationList>(200, "Every automation (at most 50)."),
            post(c!("/automations"), "Save an automation")
                .who(Who::Staff)
                .describe(
                    "A trigger, an optional segment filter and an action; off unless `enabled` \
                     (owner, admin).",
                )
                .body::<AutomationDraft>()
                .ok::<Automation>(201, "The automation."),
            get(c!("/automations/{automation}"), "Read an automation")
                .who(Who::Staff)
                .describe(WHO)
                .ok::<Automation>(200, "The automation."),
            put(c!("/automations/{automation}"), "Change an automation")
                .who(Who::Staff)
                .describe("Everything but its id and author; also how it is switched on and off.")
                .body::<AutomationDraft>()
                .ok::<Automation>(200, "The automation."),
            delete(c!("/automations/{automation}"), "Delete an automation")
                .who(Who::Staff)
                .describe("Its run log goes with it.")
                .ok::<AutomationDeleted>(200, "Its id."),
            post(
                c!("/automations/{automation}/dry-run"),
                "Dry-run an automation",
            )
            .who(Who::Staff)
            .describe(
                "How many and which members it would reach now, doing nothing (owner, admin).",
            )
            .query::<u32>("limit", "Members named, 1–200 (default 20).")
            .ok::<DryRun>(200, "The count and the first members, in id order."),
            get(
                c!("/automations/{automation}/runs"),
                "An automation's run log",
            )
            .who(Who::Staff)
            .describe(WHO)
            .ok::<RunLog>(200, "The last 50 firings, newest first."),
        ],
    )
}

fn team() -> Vec<Op> {
    area(
        "team",
        vec![
            get(c!("/team"), "The team")
                .who(Who::Staff)
                .describe(
                    "The teammates with their roles (any staff) and the pending invites \
                     (owner, admin; empty for moderators).",
                )
                .ok::<Team>(200, "Owners first, then admins and moderators."),
            post(c!("/team/invites"), "Invite a teammate")
                .who(Who::Staff)
                .describe(
                    "An invite link for this email and role, valid 7 days, used once. Owners \
                     invite any role; admins invite admins and moderators. No email is sent: \
                     pass the link on.",
                )
                .body::<NewInvite>()
                .ok::<CreatedInvite>(201, "The invite and its link (shown only here)."),
            delete(c!("/team/invites/{invite}"), "Revoke an invite")
                .who(Who::Staff)
                .ok::<InviteView>(200, "The invite as it was."),
            post(c!("/team/accept"), "Accept an invite")
                .who(Who::Marketer)
                .describe(
                    "The signed-in marketer joins with the invite's role; the account's email \
                     must be the invited one. A wrong token is `not_found`; a used, revoked \
                     or expired one `conflict`.",
                )
                .body::<AcceptInvite>()
                .ok::<JoinedTeam>(200, "The community and the role in it."),
            put(c!("/team/members/{email}"), "Change a teammate's role")
                .who(Who::Staff)
                .describe(
                    "Up to one's own role (admins never touch owners); the last owner is never \
                     demoted.",
                )
                .body::<RoleChange>()
                .ok::<Teammate>(200, "The teammate with the new role."),
            delete(c!("/team/members/{email}"), "Remove a teammate")
                .who(Who::Staff)
                .describe("Up to one's own role; the last owner is never removed.")
                .ok::<Teammate>(200, "The teammate as they were."),
        ],
    )
}

fn accounts() -> Vec<Op> {
    const COOKIE: &str = "The session cookie `qz_session` (HttpOnly, Secure, SameSite=Lax).";
    area(
        "accounts",
        vec![
            post("/api/v1/auth/signup", "Create a marketer account")
                .who(Who::Public)
                .body::<quanzi_core::accounts::SignUpRequest>()
                .ok::<Me>(201, "Signed in: who, the CSRF token, and the communities.")
                .answer_header("set-cookie", COOKIE)
                .error(409),
            post("/api/v1/auth/login", "Sign in")
                .who(Who::Public)
                .body::<LoginRequest>()
                .ok::<Me>(200, "Signed in: who, the CSRF token, and the communities.")
                .answer_header("set-cookie", COOKIE)
                .error(401),
            post("/api/v1/auth/logout", "Sign out")
                .who(Who::Marketer)
                .no_content(204, "Signed out; the cookie is cleared.")
                .answer_header("set-cookie", "Clears the session cookie."),
            post("/api/v1/auth/password", "Change my password")
                .who(Who::Marketer)
                .describe("Every other session of the account ends; this one goes on under a new cookie and CSRF token.")
                .body::<ChangePasswordRequest>()
                .ok::<Me>(200, "Who, with the new CSRF token.")
                .answer_header("set-cookie", COOKIE),
            get("/api/v1/auth/me", "Who is signed in")
                .who(Who::Marketer)
                .ok::<Me>(200, "Who, the CSRF token, and the communities."),
        ],
    )
}

fn operator() -> Vec<Op> {
    area(
        "operator",
        vec![
            put(
                "/api/v1/admin/communities/{slug}",
                "Create or replace a community",
            )
            .who(Who::Operator)
            .body::<CommunitySettings>()
            .ok::<CommunityView>(200, "The community as it now is."),
        ],
    )
}

/// A CSV download (UTF-8 with a byte-order mark) named like `file`.
fn csv_named(mut op: Op, description: &'static str, file: &'static str) -> Op {
    op.success.push(crate::operation::Success {
        status: 200,
        description,
        content: crate::operation::Content::Csv,
        headers: vec![("content-disposition", file)],
    });
    op
}

/// `?format=csv` on a read that also has a `.csv` path.
fn format(op: Op) -> Op {
    op.query_with(
        "format",
        "`csv` answers the CSV file of the `.csv` path instead of JSON.",
        one_of_strings(&["json", "csv"]),
        None,
    )
}

fn members() -> Vec<Op> {
    use quanzi_core::app::members::{MemberDetail, MemberSummary, MemberTags};
    area(
        "members",
        vec![
            get(c!("/members"), "Find members")
                .who(Who::Staff)
                .describe(
                    "The members directory (owner, admin, moderator): every condition given must \
                     hold; in member id order. A page examines at most 5000 members, so it may \
                     be short and still have a `next`.",
                )
                .query::<String>("q", "Part of the member's id or name, any case (1–64 characters).")
                .query::<u32>("level", "At exactly this level.")
                .query::<String>("tag", "Carries this tag, the brand's or a staff tag.")
                .query::<String>("badge", "Holds this badge.")
                .query::<u32>("active_within_days", "Did something within the last N days (1–3650).")
                .query::<u32>("inactive_days", "Did nothing in the last N days (1–3650).")
                .query::<u64>("min_points", "Earned (lifetime) at least this many points.")
                .query::<u64>("max_points", "Earned (lifetime) at most this many points.")
                .query::<String>("cursor", "Where the page starts: the `next` of the previous page.")
                .query::<u32>("limit", "Members per page, 1–200 (default 50).")
                .ok_with(
                    200,
                    "One page of members.",
                    generic::<Paged<MemberSummary>, MemberSummary>("Paged_MemberSummary"),
                ),
            get(c!("/members.csv"), "Download members")
                .who(Who::Staff)
                .query::<String>("q", "Part of the member's id or name, any case (1–64 characters).")
                .query::<u32>("level", "At exactly this level.")
                .query::<String>("tag", "Carries this tag, the brand's or a staff tag.")
                .query::<String>("badge", "Holds this badge.")
                .query::<u32>("active_within_days", "Did something within the last N days (1–3650).")
                .query::<u32>("inactive_days", "Did nothing in the last N days (1–3650).")
                .query::<u64>("min_points", "Earned (lifetime) at least this many points.")
                .query::<u64>("max_points", "Earned (lifetime) at most this many points.")
                .query::<String>("cursor", "Where the file starts: the `x-next-cursor` of the previous one.")
                .query::<u32>("limit", "Members in the file, 1–2000 (default 2000).")
                .csv_file(
                    "The directory with the same conditions, one row per member (at most 2000, \
                     10 directory pages); `x-next-cursor` says where the next file starts.",
                    "`attachment; filename=\"{slug}-members.csv\"`",
                ),
            get(c!("/members/{member}"), "A member's page")
                .who(Who::Staff)
                .describe("Profile, level, balance, badges, tags and a timeline of recent points, badges and activity, newest first.")
                .ok::<MemberDetail>(200, "The member."),
            put(c!("/members/{member}/tags/{tag}"), "Tag a member")
                .who(Who::Staff)
                .describe("Puts one of the community's own tags on the member (at most 20), audited; again is no change.")
                .ok::<MemberTags>(200, "The member's tags now."),
            delete(c!("/members/{member}/tags/{tag}"), "Untag a member")
                .who(Who::Staff)
                .describe("Takes a staff tag off the member, audited; a tag they lack is `not_found`.")
                .ok::<MemberTags>(200, "The member's tags now."),
            get(c!("/members/{member}/export"), "Export a member's data")
                .who(Who::Staff)
                .describe("Owner or admin: every stored entry that names the member (profile, points ledger, check-ins, badges, posts and replies, sign-ups, notifications, moderation).")
                .ok::<quanzi_core::app::data::MemberExport>(200, "The member's data (`quanzi-member-export`, version 1)."),
            get(c!("/me/export"), "Export my data")
                .who(Who::Member)
                .describe("The signed-in member's own data (their right of access): every entry stored under them — profile, points ledger, check-ins, badges, reactions, sign-up answers, notifications, moderation of them — and the threads and replies they wrote. Never an entry that is somebody else's.")
                .ok::<quanzi_core::app::data::MemberExport>(200, "The member's own data (`quanzi-member-export`, version 1)."),
            delete(c!("/members/{member}"), "Erase a member")
                .who(Who::Staff)
                .describe(
                    "Owner or admin, on the member's request: the profile and personal data are \
                     removed; posts stay readable under a pseudonym (`erased-{n}`, named \
                     \"Deleted member\"), ledger lines keep their amounts, audit and activity \
                     entries carry the pseudonym; search and leaderboards no longer find them.",
                )
                .ok::<quanzi_core::app::data::Erased>(200, "The pseudonym and how many entries changed."),
        ],
    )
}

fn insight() -> Vec<Op> {
    use quanzi_core::app::insight::{
        Churn, Overview, QuietMembers, Retention, SegmentDeleted, SegmentList, SegmentMembers,
        SegmentPreview, SegmentView, Streaks, TopItems,
    };
    use quanzi_core::insight::segment::{PreviewRequest, SegmentDraft};
    use quanzi_core::insight::tiers::Tiers;

    const STAFF: &str = "Staff with any role (owner, admin, moderator).";
    let days = |op: Op| {
        op.query_with(
            "from",
            "The first day, `YYYY-MM-DD` (default: 29 days before `to`; at most 92 days).",
            inline::<String>(),
            Some("2026-09-01".into()),
        )
        .query_with(
            "to",
            "The last day, `YYYY-MM-DD` (default: today, community-local).",
            inline::<String>(),
            Some("2026-09-30".into()),
        )
    };
    let weeks = |op: Op| {
        op.query_with(
            "from",
            "The first join week, `2026-W30` (default: 11 weeks before `to`).",
            inline::<String>(),
            Some("2026-W30".into()),
        )
        .query_with(
            "to",
            "The last join week (default: this week; at most 52 weeks).",
            inline::<String>(),
            Some("2026-W39".into()),
        )
    };
    let quiet = |op: Op| {
        op.query::<u32>(
            "quiet_days",
            "Members who did nothing in this many days (today included) are at risk (default 14).",
        )
    };
    let top = |op: Op| {
        op.query_with(
            "kind",
            "What to rank (required).",
            one_of_strings(&["thread", "topic", "event"]),
            Some("thread".into()),
        )
        .query::<String>("week", "The ISO week, `2026-W39` (default: this week).")
        .query::<u32>("limit", "How many, 1–100 (default 10).")
    };
    let paged = |op: Op| {
        op.query::<String>(
            "cursor",
            "Where the page starts: the `next` of the previous page.",
        )
        .query::<u32>("limit", "Page size, 1–1000 (default 50).")
    };
    area(
        "insight",
        vec![
            format(days(get(c!("/insight/overview"), "Activity overview")))
                .who(Who::Staff)
                .describe(
                    "Per community-local day: distinct active members, new members, check-ins, \
                     posts, replies, reactions, sign-ups, attendance; and the distinct active \
                     members of the ISO weeks and months the range touches.",
                )
                .ok::<Overview>(200, "One row per day."),
            days(get(c!("/insight/overview.csv"), "Download the activity overview"))
                .who(Who::Staff)
                .csv_file("The overview, one row per day.", "`attachment; filename=\"{slug}-overview.csv\"`"),
            format(weeks(get(c!("/insight/retention"), "Retention by join cohort")))
                .who(Who::Staff)
                .describe(
                    "Members who joined in each ISO week, how many were active two weeks later, \
                     and how many at least once in the four weeks after.",
                )
                .ok::<Retention>(200, "One row per join week."),
            weeks(get(c!("/insight/retention.csv"), "Download retention"))
                .who(Who::Staff)
                .csv_file("One row per join week, with percentages.", "`attachment; filename=\"{slug}-retention.csv\"`"),
            format(get(c!("/insight/tiers"), "Contribution tiers"))
                .who(Who::Staff)
                .describe("The top 1 % and top 10 % of members by all-time points, and the rest.")
                .ok::<Tiers>(200, "The tiers and the leaders."),
            get(c!("/insight/tiers.csv"), "Download contribution tiers")
                .who(Who::Staff)
                // An unknown query parameter is refused (`invalid_input`), as on every view.
                .error(400)
                .csv_file("One row per tier.", "`attachment; filename=\"{slug}-tiers.csv\"`"),
            format(top(get(c!("/insight/top"), "Most engaged threads, topics or events")))
                .who(Who::Staff)
                .describe("Ranked by the actions of one ISO week (posts, replies, reactions, sign-ups, attendance).")
                .ok::<TopItems>(200, "The items, most engaged first."),
            top(get(c!("/insight/top.csv"), "Download the most engaged items"))
                .who(Who::Staff)
                .csv_file("One row per item.", "`attachment; filename=\"{slug}-top.csv\"`"),
            format(days(get(c!("/insight/streaks"), "Check-in streaks")))
                .who(Who::Staff)
                .describe("Check-ins per day by the streak they reached: 1, 2–6, 7–13, 14–29, 30+ days.")
                .ok::<Streaks>(200, "One row per day."),
            days(get(c!("/insight/streaks.csv"), "Download check-in streaks"))
                .who(Who::Staff)
                .csv_file("One row per day.", "`attachment; filename=\"{slug}-streaks.csv\"`"),
            format(quiet(days(get(c!("/insight/churn"), "Churn risk"))))
                .who(Who::Staff)
                .describe("Members active before who did nothing in `quiet_days` days: today, and per day.")
                .ok::<Churn>(200, "The count today and one row per day."),
            quiet(days(get(c!("/insight/churn.csv"), "Download churn risk")))
                .who(Who::Staff)
                .csv_file("One row per day.", "`attachment; filename=\"{slug}-churn.csv\"`"),
            format(paged(quiet(get(c!("/insight/churn/members"), "Members at risk"))))
                .who(Who::Staff)
                .describe("Members who went quiet, most recently active first.")
                .ok::<QuietMembers>(200, "One page of members."),
            paged(quiet(get(c!("/insight/churn/members.csv"), "Download members at risk")))
                .who(Who::Staff)
                .csv_file(
                    "One page of members (`limit` up to 1000); `x-next-cursor` says where the next starts.",
                    "`attachment; filename=\"{slug}-churn-members.csv\"`",
                ),
            get(c!("/segments"), "List segments")
                .who(Who::Staff)
                .describe(STAFF)
                .ok::<SegmentList>(200, "The saved segments."),
            post(c!("/segments"), "Save a segment")
                .who(Who::Staff)
                .describe("A name and a filter (owner, admin); the answer has the live count.")
                .body::<SegmentDraft>()
                .ok::<SegmentView>(201, "The segment and how many members it holds."),
            post(c!("/segments/preview"), "Count an unsaved filter")
                .who(Who::Staff)
                .describe(STAFF)
                .body::<PreviewRequest>()
                .ok::<SegmentPreview>(200, "The count and the first few members."),
            get(c!("/segments/{segment}"), "Read a segment")
                .who(Who::Staff)
                .describe(STAFF)
                .ok::<SegmentView>(200, "The segment and its live count."),
            put(c!("/segments/{segment}"), "Change a segment")
                .who(Who::Staff)
                .describe("Owner, admin.")
                .body::<SegmentDraft>()
                .ok::<SegmentView>(200, "The segment as it now is, with its live count."),
            delete(c!("/segments/{segment}"), "Delete a segment")
                .who(Who::Staff)
                .describe("Owner, admin.")
                .ok::<SegmentDeleted>(200, "Which segment was deleted."),
            format(paged(get(c!("/segments/{segment}/members"), "A segment's members")))
                .who(Who::Staff)
                .describe("In member id order; a page examines at most 5000 members, so it may be short and still have a `next`.")
                .ok::<SegmentMembers>(200, "One page of members."),
            paged(get(c!("/segments/{segment}/members.csv"), "Download a segment's members"))
                .who(Who::Staff)
                .csv_file(
                    "One page of members (`limit` up to 1000); `x-next-cursor` says where the next starts.",
                    "`attachment; filename=\"{slug}-segment-{id}-members.csv\"`",
                ),
        ],
    )
}

/// CSV answers of the insight area.
trait CsvFile {
    fn csv_file(self, description: &'static str, file: &'static str) -> Self;
}

impl CsvFile for Op {
    fn csv_file(self, description: &'static str, file: &'static str) -> Self {
        csv_named(self, description, file)
    }
}
