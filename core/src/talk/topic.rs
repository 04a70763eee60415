//! Topics: the interest groups threads are posted in. Staff create them; members join and
//! leave; a topic may list brand tags, and a member whose SSO tags include one is joined
//! automatically (and dropped again when the tag goes, unless they joined by choice).
//!
//! Storage: `talk/topic/{topic}` holds the [`Topic`]; each [`Membership`] is written twice,
//! at `talk/topic-member/{topic}/{member}` and `talk/member-topic/{member}/{topic}`, so
//! both "members of a topic" and "a member's topics" are one prefix list.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::MemberId;
use crate::time::Timestamp;

use super::Actor;
use super::ids::{BrandTag, TopicDescription, TopicId, TopicName};

/// An interest group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: TopicId,
    pub name: TopicName,
    pub description: TopicDescription,
    /// Members holding any of these brand tags are joined automatically. Distinct.
    pub auto_join_tags: Vec<BrandTag>,
    /// Members currently in the topic (by choice or by tag).
    pub member_count: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Topic {
    /// The most auto-join tags a topic may list.
    pub const MAX_TAGS: usize = 20;

    /// The first of this topic's auto-join tags that `tags` holds.
    pub fn matching_tag<'a>(&self, tags: &'a [BrandTag]) -> Option<&'a BrandTag> {
        tags.iter().find(|t| self.auto_join_tags.contains(t))
    }
}

/// What staff set on a topic: `POST /talk/topics` (with an id) and `PUT /talk/topics/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TopicDraft {
    pub name: TopicName,
    #[serde(default)]
    pub description: TopicDescription,
    #[serde(default)]
    pub auto_join_tags: Vec<BrandTag>,
}

fn distinct_tags(tags: Vec<BrandTag>) -> Option<Vec<BrandTag>> {
    let mut out: Vec<BrandTag> = Vec::new();
    for t in tags {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    (out.len() <= Topic::MAX_TAGS).then_some(out)
}

/// Why a topic was not created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreateTopicError {
    #[error("only staff may create topics")]
    NotStaff,
    #[error("there is already a topic `{0}`")]
    Exists(TopicId),
    #[error("a topic may list at most {} auto-join tags", Topic::MAX_TAGS)]
    TooManyTags,
}

impl From<CreateTopicError> for ApiError {
    fn from(e: CreateTopicError) -> Self {
        let code = match e {
            CreateTopicError::NotStaff => ErrorCode::Forbidden,
            CreateTopicError::Exists(_) => ErrorCode::Conflict,
            CreateTopicError::TooManyTags => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// Creates a topic. `existing` is whatever is stored at the topic's key.
pub fn create_topic(
    actor: &Actor,
    existing: Option<&Topic>,
    id: TopicId,
    draft: TopicDraft,
    now: Timestamp,
) -> Result<Topic, CreateTopicError> {
    if !actor.is_staff() {
        return Err(CreateTopicError::NotStaff);
    }
    if existing.is_some() {
        return Err(CreateTopicError::Exists(id));
    }
    let auto_join_tags =
        distinct_tags(draft.auto_join_tags).ok_or(CreateTopicError::TooManyTags)?;
    Ok(Topic {
        id,
        name: draft.name,
        description: draft.description,
        auto_join_tags,
        member_count: 0,
        created_at: now,
        updated_at: now,
    })
}

/// Why a topic was not changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditTopicError {
    #[error("only staff may change topics")]
    NotStaff,
    #[error("a topic may list at most {} auto-join tags", Topic::MAX_TAGS)]
    TooManyTags,
}

impl From<EditTopicError> for ApiError {
    fn from(e: EditTopicError) -> Self {
        let code = match e {
            EditTopicError::NotStaff => ErrorCode::Forbidden,
            EditTopicError::TooManyTags => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// Replaces a topic's name, description and tags. Memberships made by a tag that is no
/// longer listed are dropped the next time that member's tags are synced.
pub fn edit_topic(
    actor: &Actor,
    topic: &mut Topic,
    draft: TopicDraft,
    now: Timestamp,
) -> Result<(), EditTopicError> {
    if !actor.is_staff() {
        return Err(EditTopicError::NotStaff);
    }
    topic.auto_join_tags =
        distinct_tags(draft.auto_join_tags).ok_or(EditTopicError::TooManyTags)?;
    topic.name = draft.name;
    topic.description = draft.description;
    topic.updated_at = now;
    Ok(())
}

/// How a member stands with a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MembershipStatus {
    /// Joined by choice; stays until they leave.
    Joined,
    /// Joined because they hold `tag`; dropped when no listed tag matches any more.
    AutoJoined { tag: BrandTag },
    /// Left by choice; never auto-joined again (joining by choice still works).
    Left,
}

/// A member's standing with one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub topic: TopicId,
    pub member: MemberId,
    #[serde(flatten)]
    pub status: MembershipStatus,
    /// When the status last changed.
    pub since: Timestamp,
}

impl Membership {
    /// Whether the member is in the topic.
    pub fn is_member(&self) -> bool {
        !matches!(self.status, MembershipStatus::Left)
    }
}

fn own<'a>(
    current: Option<&'a Membership>,
    topic: &TopicId,
    member: &MemberId,
) -> Option<&'a Membership> {
    current.filter(|c| &c.topic == topic && &c.member == member)
}

/// `member` joins `topic` by choice. `current` is their stored membership, if any. Returns
/// the record to store (equal to `current` when they had already joined by choice).
pub fn join_topic(
    topic: &mut Topic,
    current: Option<&Membership>,
    member: &MemberId,
    now: Timestamp,
) -> Membership {
    let current = own(current, &topic.id, member);
    match current {
        Some(c) if c.status == MembershipStatus::Joined => return c.clone(),
        Some(c) if c.is_member() => {}
        _ => topic.member_count = topic.member_count.saturating_add(1),
    }
    Membership {
        topic: topic.id.clone(),
        member: member.clone(),
        status: MembershipStatus::Joined,
        since: now,
    }
}

/// `member` leaves `topic`. The `Left` record is kept so that a brand tag does not pull
/// them back in.
pub fn leave_topic(
    topic: &mut Topic,
    current: Option<&Membership>,
    member: &MemberId,
    now: Timestamp,
) -> Membership {
    match own(current, &topic.id, member) {
        Some(c) if !c.is_member() => return c.clone(),
        Some(_) => topic.member_count = topic.member_count.saturating_sub(1),
        None => {}
    }
    Membership {
        topic: topic.id.clone(),
        member: member.clone(),
        status: MembershipStatus::Left,
        since: now,
    }
}

fn should_belong(topic: &Topic, tags: &[BrandTag], current: Option<&Membership>) -> bool {
    match current.map(|c| &c.status) {
        Some(MembershipStatus::Joined) => true,
        Some(MembershipStatus::Left) => false,
        Some(MembershipStatus::AutoJoined { .. }) | None => topic.matching_tag(tags).is_some(),
    }
}

/// The topics a member should be in, in the order of `topics`: those they joined by
/// choice, and those listing one of their brand `tags` that they have not left.
/// `memberships` are the member's stored memberships.
pub fn desired_topics(
    topics: &[Topic],
    tags: &[BrandTag],
    memberships: &[Membership],
) -> Vec<TopicId> {
    topics
        .iter()
        .filter(|t| should_belong(t, tags, memberships.iter().find(|m| m.topic == t.id)))
        .map(|t| t.id.clone())
        .collect()
}

/// A membership record to write or remove (both of its keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MembershipWrite {
    Put(Membership),
    Remove { topic: TopicId, member: MemberId },
}

/// Brings a member's automatic memberships in line with their brand `tags` (on sign-in,
/// when the SSO token's tags are fresh): joins the topics a tag now matches, drops the
/// automatic memberships no tag matches any more, adjusts `member_count` on `topics`, and
/// returns the membership writes. Memberships by choice and `Left` records are untouched.
pub fn sync_auto_membership(
    topics: &mut [Topic],
    member: &MemberId,
    tags: &[BrandTag],
    memberships: &[Membership],
    now: Timestamp,
) -> Vec<MembershipWrite> {
    let mut writes = Vec::new();
    for topic in topics.iter_mut() {
        let current = memberships
            .iter()
            .find(|m| m.topic == topic.id && &m.member == member);
        let wanted = should_belong(topic, tags, current);
        match (current.map(|c| &c.status), wanted) {
            (None, true) => {
                if let Some(tag) = topic.matching_tag(tags) {
                    topic.member_count = topic.member_count.saturating_add(1);
                    writes.push(MembershipWrite::Put(Membership {
                        topic: topic.id.clone(),
                        member: member.clone(),
                        status: MembershipStatus::AutoJoined { tag: tag.clone() },
                        since: now,
                    }));
                }
            }
            (Some(MembershipStatus::AutoJoined { .. }), false) => {
                topic.member_count = topic.member_count.saturating_sub(1);
                writes.push(MembershipWrite::Remove {
                    topic: topic.id.clone(),
                    member: member.clone(),
                });
            }
            _ => {}
        }
    }
    writes
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_790_000_000_000);

    fn tag(t: &str) -> BrandTag {
        BrandTag::parse(t).unwrap()
    }

    fn member(m: &str) -> MemberId {
        MemberId::parse(m).unwrap()
    }

    fn topic(id: &str, tags: &[&str]) -> Topic {
        let draft = TopicDraft {
            name: TopicName::parse(id).unwrap(),
            description: TopicDescription::default(),
            auto_join_tags: tags.iter().map(|t| tag(t)).collect(),
        };
        create_topic(&Actor::Staff, None, TopicId::parse(id).unwrap(), draft, NOW).unwrap()
    }

    fn status(topic: &str, status: MembershipStatus) -> Membership {
        Membership {
            topic: TopicId::parse(topic).unwrap(),
            member: member("ann"),
            status,
            since: NOW,
        }
    }

    #[test]
    fn only_staff_create_topics_and_ids_are_unique() {
        let draft = TopicDraft {
            name: TopicName::parse("Running").unwrap(),
            description: TopicDescription::default(),
            auto_join_tags: vec![tag("vip"), tag("VIP"), tag("runner")],
        };
        let id = TopicId::parse("running").unwrap();
        let err = create_topic(
            &Actor::Member(member("ann")),
            None,
            id.clone(),
            draft.clone(),
            NOW,
        );
        assert_eq!(err, Err(CreateTopicError::NotStaff));
        let made = create_topic(&Actor::Staff, None, id.clone(), draft.clone(), NOW).unwrap();
        assert_eq!(made.auto_join_tags, [tag("vip"), tag("runner")]);
        let again = create_topic(&Actor::Moderator(member("mo")), Some(&made), id, draft, NOW);
        assert!(matches!(again, Err(CreateTopicError::Exists(_))));
        assert_eq!(
            ApiError::from(CreateTopicError::NotStaff).code,
            ErrorCode::Forbidden
        );
    }

    #[test]
    fn a_topic_lists_a_bounded_number_of_tags() {
        let mut t = topic("run", &[]);
        let draft = TopicDraft {
            name: TopicName::parse("Run").unwrap(),
            description: TopicDescription::default(),
            auto_join_tags: (0..21).map(|i| tag(&format!("t{i}"))).collect(),
        };
        assert_eq!(
            edit_topic(&Actor::Staff, &mut t, draft.clone(), NOW),
            Err(EditTopicError::TooManyTags)
        );
        assert_eq!(
            edit_topic(&Actor::Member(member("ann")), &mut t, draft, NOW),
            Err(EditTopicError::NotStaff)
        );
        assert!(t.auto_join_tags.is_empty());
    }

    #[test]
    fn joining_and_leaving_keep_the_member_count() {
        let mut t = topic("run", &[]);
        let ann = member("ann");
        let joined = join_topic(&mut t, None, &ann, NOW);
        assert_eq!(
            (joined.status.clone(), t.member_count),
            (MembershipStatus::Joined, 1)
        );
        let again = join_topic(&mut t, Some(&joined), &ann, NOW);
        assert_eq!((again, t.member_count), (joined.clone(), 1));
        let left = leave_topic(&mut t, Some(&joined), &ann, NOW);
        assert_eq!(
            (left.status.clone(), t.member_count),
            (MembershipStatus::Left, 0)
        );
        let left_again = leave_topic(&mut t, Some(&left), &ann, NOW);
        assert_eq!(
            (left_again.status, t.member_count),
            (MembershipStatus::Left, 0)
        );
        let auto = status("run", MembershipStatus::AutoJoined { tag: tag("vip") });
        t.member_count = 1;
        let chosen = join_topic(&mut t, Some(&auto), &ann, NOW);
        assert_eq!(
            (chosen.status, t.member_count),
            (MembershipStatus::Joined, 1)
        );
    }

    #[test]
    fn a_membership_of_another_topic_is_not_mistaken_for_this_one() {
        let mut t = topic("run", &[]);
        let elsewhere = status("swim", MembershipStatus::Joined);
        join_topic(&mut t, Some(&elsewhere), &member("ann"), NOW);
        assert_eq!(t.member_count, 1);
    }

    #[test]
    fn which_topics_a_member_should_be_in() {
        let topics = [
            topic("run", &["runner"]),
            topic("vip", &["vip", "gold"]),
            topic("news", &[]),
        ];
        /// Why, the member's tags, their memberships, the topics they should be in.
        type Case = (
            &'static str,
            Vec<&'static str>,
            Vec<Membership>,
            Vec<&'static str>,
        );
        let cases: Vec<Case> = vec![
            ("no tags, no memberships", vec![], vec![], vec![]),
            ("a tag joins", vec!["gold"], vec![], vec!["vip"]),
            (
                "tags join several",
                vec!["runner", "vip"],
                vec![],
                vec!["run", "vip"],
            ),
            (
                "joined by choice stays without tags",
                vec![],
                vec![status("news", MembershipStatus::Joined)],
                vec!["news"],
            ),
            (
                "left stays out despite the tag",
                vec!["runner"],
                vec![status("run", MembershipStatus::Left)],
                vec![],
            ),
            (
                "auto-joined drops when the tag goes",
                vec![],
                vec![status(
                    "vip",
                    MembershipStatus::AutoJoined { tag: tag("vip") },
                )],
                vec![],
            ),
            (
                "auto-joined stays while another listed tag matches",
                vec!["gold"],
                vec![status(
                    "vip",
                    MembershipStatus::AutoJoined { tag: tag("vip") },
                )],
                vec!["vip"],
            ),
        ];
        for (why, tags, memberships, want) in cases {
            let tags: Vec<_> = tags.iter().map(|t| tag(t)).collect();
            let got = desired_topics(&topics, &tags, &memberships);
            let got: Vec<_> = got.iter().map(TopicId::as_str).collect();
            assert_eq!(got, want, "{why}");
        }
    }

    #[test]
    fn syncing_tags_joins_and_drops_automatic_memberships_only() {
        let mut topics = [
            topic("run", &["runner"]),
            topic("vip", &["vip"]),
            topic("news", &["vip"]),
        ];
        topics[1].member_count = 5;
        topics[2].member_count = 3;
        let ann = member("ann");
        let memberships = [
            status("vip", MembershipStatus::AutoJoined { tag: tag("vip") }),
            status("news", MembershipStatus::Joined),
        ];
        let writes = sync_auto_membership(&mut topics, &ann, &[tag("Runner")], &memberships, NOW);
        assert_eq!(
            writes,
            [
                MembershipWrite::Put(status(
                    "run",
                    MembershipStatus::AutoJoined { tag: tag("runner") }
                )),
                MembershipWrite::Remove {
                    topic: TopicId::parse("vip").unwrap(),
                    member: ann.clone()
                },
            ]
        );
        let counts: Vec<_> = topics.iter().map(|t| t.member_count).collect();
        assert_eq!(counts, [1, 4, 3]);
        // Syncing again with the same tags changes nothing.
        let now_held = [
            status("run", MembershipStatus::AutoJoined { tag: tag("runner") }),
            status("news", MembershipStatus::Joined),
        ];
        assert!(
            sync_auto_membership(&mut topics, &ann, &[tag("runner")], &now_held, NOW).is_empty()
        );
    }

    #[test]
    fn membership_wire_shape() {
        let m = status("vip", MembershipStatus::AutoJoined { tag: tag("vip") });
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"topic": "vip", "member": "ann", "status": "auto_joined", "tag": "vip", "since": NOW.0})
        );
        assert_eq!(serde_json::from_value::<Membership>(json).unwrap(), m);
    }
}
