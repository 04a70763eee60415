//! Who acts in talk and what their acting costs: the talk actor and permission role behind
//! an [`Actor`], automatic topic membership by brand tag, mention resolution, points, and
//! the conversion of the domain's notices into notifications.

use std::collections::{BTreeMap, BTreeSet};

use crate::accounts::Role;
use crate::community::TimeZone;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::moderation::{self, ActorRole, MemberRole};
use crate::notify::{NotificationKind, NotificationTarget, Notify};
use crate::points::{Action as PointsAction, Award, CauseKey, PointRules};
use crate::recognition::Activity;
use crate::sso::MemberProfile;
use crate::store::{Batch, Store, get_json};
use crate::talk::{
    self as domain, IndexChange, Membership, MembershipWrite, MentionName, Mentions, Notice,
    NoticeKind, ReplyId, Thread, ThreadId, Topic, TopicId, keys as talk_keys, mention,
};
use crate::time::Timestamp;

use super::super::points::earn::earn;
use super::super::{Actor, Change, identity, keys, load_community};

/// A member's role in moderation: `mod/role/{member}` (see [`crate::moderation`]).
pub(super) fn member_role_key(member: &MemberId) -> String {
    format!("mod/role/{member}")
}

/// The `@name` index: `talk/name/{lower-case name}` → the member who last went by it.
pub(super) fn name_key(name: &str) -> String {
    format!("talk/name/{}", name.to_lowercase())
}

pub(super) fn not_found(what: &str, id: &impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("there is no {what} `{id}`"))
}

/// Someone writing in talk.
pub(super) struct Acting {
    /// As the domain sees them.
    pub talk: domain::Actor,
    /// Their row in the moderation permission table.
    pub role: ActorRole,
    /// The member's verified profile (members only).
    pub profile: Option<MemberProfile>,
    pub tz: TimeZone,
    /// The community lets members post only with a verified phone.
    pub posting_requires_phone_verified: bool,
}

impl Acting {
    /// A member allowed to write (not banned) or staff: operator, or a marketer with a role
    /// in this community. Anonymous callers are `unauthenticated`.
    pub async fn writer(
        store: &impl Store,
        slug: &CommunitySlug,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Self, ApiError> {
        let community = load_community(store, slug).await?;
        let (tz, posting_requires_phone_verified) = (
            community.time_zone,
            community.posting_requires_phone_verified,
        );
        match actor {
            Actor::Member { .. } => {
                let profile = identity::writing_member(store, slug, actor, now).await?;
                let role = get_json::<MemberRole>(store, &member_role_key(&profile.id))
                    .await?
                    .unwrap_or_default();
                let talk = match role {
                    MemberRole::MemberModerator => domain::Actor::Moderator(profile.id.clone()),
                    MemberRole::Member => domain::Actor::Member(profile.id.clone()),
                };
                Ok(Self {
                    talk,
                    role: role.into(),
                    profile: Some(profile),
                    tz,
                    posting_requires_phone_verified,
                })
            }
            Actor::Marketer { email } => {
                match get_json::<Role>(store, &keys::staff(email)).await? {
                    Some(role) => Ok(Self {
                        talk: domain::Actor::Staff,
                        role: role.into(),
                        profile: None,
                        tz,
                        posting_requires_phone_verified,
                    }),
                    None => Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "you have no role in this community",
                    )),
                }
            }
            Actor::Operator => Ok(Self {
                talk: domain::Actor::Staff,
                role: ActorRole::Owner,
                profile: None,
                tz,
                posting_requires_phone_verified,
            }),
            Actor::Anonymous => Err(ApiError::new(
                ErrorCode::Unauthenticated,
                "sign in through the brand's site to do this",
            )),
        }
    }

    /// The moderation table must allow `action` for this actor's role.
    pub fn require(&self, action: moderation::Action) -> Result<(), ApiError> {
        if moderation::can(self.role, action) {
            Ok(())
        } else {
            Err(moderation::Forbidden { action }.into())
        }
    }

    /// Posting (a thread, a reply, a page comment): where the community asks for it, a
    /// member's token must say `phone_verified: true`. Staff post as staff.
    pub fn require_phone_to_post(&self) -> Result<(), ApiError> {
        match &self.profile {
            Some(profile) if self.posting_requires_phone_verified && !profile.phone_verified => {
                Err(ApiError::new(
                    ErrorCode::PhoneVerificationRequired,
                    "this community asks members to verify their phone number with the brand before posting",
                ))
            }
            _ => Ok(()),
        }
    }

    /// The member acting, or `forbidden` for staff without a member identity.
    pub fn member(&self) -> Result<&MemberProfile, ApiError> {
        self.profile.as_ref().ok_or_else(|| {
            ApiError::new(
                ErrorCode::Forbidden,
                "this needs a member identity; staff act here as a member",
            )
        })
    }

    pub fn member_id(&self) -> Option<&MemberId> {
        self.profile.as_ref().map(|p| &p.id)
    }

    /// The member's profile (for mentions by id and for others' views) and name index.
    pub fn touch_profile(&self, batch: &mut Batch) -> Result<(), ApiError> {
        if let Some(profile) = &self.profile {
            batch.put_json(keys::profile(&profile.id), profile)?;
            if MentionName::parse(profile.name.as_str()).is_ok() {
                batch.put_json(name_key(profile.name.as_str()), &profile.id)?;
            }
        }
        Ok(())
    }

    /// What every member write also records: the profile (for mentions by id and for
    /// others' views), the name index, and the member's automatic topic memberships.
    pub async fn touch(
        &self,
        store: &impl Store,
        batch: &mut Batch,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let Some(profile) = &self.profile else {
            return Ok(());
        };
        self.touch_profile(batch)?;
        let mut book = TopicBook::load(store, &profile.id).await?;
        book.sync(profile, now);
        book.write(batch)?;
        Ok(())
    }
}

/// Every topic and one member's memberships, with the changes a command makes to them.
pub(super) struct TopicBook {
    pub topics: Vec<Topic>,
    pub mine: Vec<Membership>,
    changed: BTreeSet<TopicId>,
    writes: Vec<MembershipWrite>,
}

/// Reads every entry under `prefix`, page by page.
async fn list_all<T: serde::de::DeserializeOwned>(
    store: &impl Store,
    prefix: &str,
) -> Result<Vec<T>, ApiError> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.list(prefix, after.as_deref(), 200).await?;
        for (key, value) in &page.entries {
            out.push(serde_json::from_str(value).map_err(|e| {
                ApiError::from(crate::store::StoreError(format!(
                    "corrupt value at {key}: {e}"
                )))
            })?);
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(out),
        }
    }
}

impl TopicBook {
    pub async fn load(store: &impl Store, member: &MemberId) -> Result<Self, ApiError> {
        Ok(Self {
            topics: list_all(store, talk_keys::TOPICS).await?,
            mine: list_all(store, &talk_keys::member_topics(member)).await?,
            changed: BTreeSet::new(),
            writes: Vec::new(),
        })
    }

    /// Joins the topics the member's brand tags match; drops the automatic memberships
    /// no tag matches any more.
    pub fn sync(&mut self, profile: &MemberProfile, now: Timestamp) {
        let before: Vec<u32> = self.topics.iter().map(|t| t.member_count).collect();
        let writes = domain::sync_auto_membership(
            &mut self.topics,
            &profile.id,
            &profile.tags,
            &self.mine,
            now,
        );
        for (topic, count) in self.topics.iter().zip(before) {
            if topic.member_count != count {
                self.changed.insert(topic.id.clone());
            }
        }
        for write in writes {
            self.record(write);
        }
    }

    fn record(&mut self, write: MembershipWrite) {
        match &write {
            MembershipWrite::Put(m) => {
                self.mine.retain(|old| old.topic != m.topic);
                self.mine.push(m.clone());
            }
            MembershipWrite::Remove { topic, .. } => self.mine.retain(|old| &old.topic != topic),
        }
        self.writes.push(write);
    }

    /// The member joins (`join`) or leaves `topic` by choice.
    pub fn choose(
        &mut self,
        topic: &TopicId,
        member: &MemberId,
        join: bool,
        now: Timestamp,
    ) -> Result<(Topic, Membership), ApiError> {
        let current = self.mine.iter().find(|m| &m.topic == topic).cloned();
        let t = self
            .topics
            .iter_mut()
            .find(|t| &t.id == topic)
            .ok_or_else(|| not_found("topic", topic))?;
        let count = t.member_count;
        let record = if join {
            domain::join_topic(t, current.as_ref(), member, now)
        } else {
            domain::leave_topic(t, current.as_ref(), member, now)
        };
        if t.member_count != count {
            self.changed.insert(topic.clone());
        }
        let topic_now = t.clone();
        if current.as_ref() != Some(&record) {
            self.record(MembershipWrite::Put(record.clone()));
        }
        Ok((topic_now, record))
    }

    /// Queues the membership records and the topics whose counts changed.
    pub fn write(self, batch: &mut Batch) -> Result<(), ApiError> {
        for write in &self.writes {
            match write {
                MembershipWrite::Put(m) => {
                    batch.put_json(talk_keys::topic_member(&m.topic, &m.member), m)?;
                    batch.put_json(talk_keys::member_topic(&m.member, &m.topic), m)?;
                }
                MembershipWrite::Remove { topic, member } => {
                    batch.delete(talk_keys::topic_member(topic, member));
                    batch.delete(talk_keys::member_topic(member, topic));
                }
            }
        }
        for topic in self.topics.iter().filter(|t| self.changed.contains(&t.id)) {
            batch.put_json(talk_keys::topic(&topic.id), topic)?;
        }
        Ok(())
    }
}

/// The members `markdown` mentions: `@{id}` of members known here (who have a profile),
/// `@name` through the name index; unknown ones are skipped.
pub(super) async fn mentions(store: &impl Store, markdown: &str) -> Result<Mentions, ApiError> {
    let mut found = Vec::new();
    for token in mention::scan(markdown).into_iter().take(Mentions::MAX) {
        match token {
            mention::Mention::Member(id) => {
                if store.get(&keys::profile(&id)).await?.is_some() {
                    found.push(id);
                }
            }
            mention::Mention::Name(name) => {
                if let Some(id) = get_json::<MemberId>(store, &name_key(name.as_str())).await? {
                    found.push(id);
                }
            }
        }
    }
    Ok(Mentions::from_members(found))
}

/// The domain's notices as notifications.
pub(super) fn notify(notices: Vec<Notice>) -> Vec<Notify> {
    notices
        .into_iter()
        .map(|n| Notify {
            recipient: n.recipient,
            kind: match n.kind {
                NoticeKind::ReplyToYourReply => NotificationKind::ReplyToYourReply,
                NoticeKind::ReplyToYourThread => NotificationKind::ReplyToYourThread,
                NoticeKind::Mention => NotificationKind::Mention,
                NoticeKind::AnswerAccepted => NotificationKind::AnswerAccepted,
                NoticeKind::ThreadFeatured => NotificationKind::ThreadFeatured,
            },
            actor: n.actor,
            target: NotificationTarget {
                thread: Some(n.target.thread.to_string()),
                reply: n.target.reply.map(|r| r.to_string()),
                ..NotificationTarget::default()
            },
        })
        .collect()
}

/// Queues a thread and its feed entries.
pub(super) fn put_thread(
    batch: &mut Batch,
    before: Option<&Thread>,
    after: &Thread,
) -> Result<(), ApiError> {
    batch.put_json(talk_keys::thread(&after.id), after)?;
    let index = IndexChange::between(before, after);
    for key in index.delete {
        batch.delete(key);
    }
    for (key, card) in &index.put {
        batch.put_json(key.clone(), card)?;
    }
    Ok(())
}

pub(super) async fn load_thread(store: &impl Store, id: &ThreadId) -> Result<Thread, ApiError> {
    get_json::<Thread>(store, &talk_keys::thread(id))
        .await?
        .ok_or_else(|| not_found("thread", id))
}

/// A reply and the key it is stored at.
pub(super) async fn load_reply(
    store: &impl Store,
    thread: &ThreadId,
    id: &ReplyId,
) -> Result<(String, domain::Reply), ApiError> {
    let missing = || not_found("reply", id);
    let key = get_json::<String>(store, &talk_keys::reply_locator(thread, id))
        .await?
        .ok_or_else(missing)?;
    let reply = get_json::<domain::Reply>(store, &key)
        .await?
        .ok_or_else(missing)?;
    Ok((key, reply))
}

/// Points earned while a command runs, for any number of members. Queued here, then
/// written by [`commit`] through `points::earn` (each cause once, with leaderboards, stats
/// and recognition), once per member.
pub(super) struct Points {
    rules: PointRules,
    queued: BTreeMap<MemberId, (Vec<Award>, Vec<Activity>)>,
}

impl Points {
    pub async fn load(store: &impl Store) -> Result<Self, ApiError> {
        Ok(Self {
            rules: get_json::<PointRules>(store, keys::RULES_POINTS)
                .await?
                .unwrap_or_default(),
            queued: BTreeMap::new(),
        })
    }

    /// Queues an award to `member` for `action`, once per `cause` (`kind:id`).
    pub fn award(
        &mut self,
        member: &MemberId,
        action: PointsAction,
        cause: (&str, String),
    ) -> Result<(), ApiError> {
        let cause = CauseKey::new(cause.0, &cause.1)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("a cause key: {e}")))?;
        let activity = match action {
            PointsAction::Post => Activity::Posted,
            PointsAction::Reply => Activity::Replied,
            PointsAction::ReactionReceived => Activity::ReactionReceived,
            PointsAction::AcceptedAnswer => Activity::AnswerAccepted,
            PointsAction::CheckIn | PointsAction::EventAttended => {
                return Err(ApiError::new(
                    ErrorCode::Internal,
                    "talk awards only talk actions",
                ));
            }
        };
        let queued = self.queued.entry(member.clone()).or_default();
        queued.0.push(self.rules.award(action, cause));
        queued.1.push(activity);
        Ok(())
    }
}

/// A change with its points, committed together.
pub(super) async fn commit(
    store: &impl Store,
    mut change: Change,
    points: Option<Points>,
    tz: TimeZone,
    now: Timestamp,
) -> Result<(), ApiError> {
    if let Some(points) = points {
        for (member, (awards, activities)) in points.queued {
            earn(store, &mut change, &member, awards, &activities, tz, now).await?;
        }
    }
    change.commit(store, tz, now).await
}
