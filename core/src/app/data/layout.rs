//! Where the storage layout names a member, and how erasure renames them.
//!
//! A member id is rewritten only where the layout puts one: at the key positions of
//! [`member_positions`] and in the value fields of [`MEMBER_FIELDS`]. Nothing else changes,
//! so a member whose id is also a layout word (`all`, `1`) or a word of somebody's post
//! cannot touch other data. The member's display name is only kept in their profile and
//! membership (which erasure removes); others' posts may still `@mention` it, and those
//! mentions are renamed where they stand as a whole mention.

use serde_json::Value;

use crate::ids::MemberId;

/// How a key segment holds a member id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The segment is the id.
    Whole,
    /// The activity log's `{millis}-{member}-{n}`.
    Activity,
    /// A moderation target, `member:{member}`.
    Target,
    /// A reaction's ledger cause, `react-t:{thread}:{member}` or `react-r:{reply}:{member}`
    /// (any other cause names no member).
    Cause,
}

/// The segments of a key that hold a member id, by the layout of each area. Keep in step
/// with the key functions of the areas (a test erases a member who did everything and finds
/// no trace of them).
fn member_positions(segments: &[&str]) -> &'static [(usize, Form)] {
    use Form::{Activity, Cause, Target, Whole};
    match segments {
        ["member", _, "cause", _] => &[(1, Whole), (3, Cause)],
        ["member", _, ..] => &[(1, Whole)],
        ["application", _] => &[(1, Whole)],
        ["talk", "feed", "member", _, ..] => &[(3, Whole)],
        ["talk", "topic-member", _, _] => &[(3, Whole)],
        ["talk", "member-topic", _, _] => &[(2, Whole)],
        ["talk", "reaction", "thread", _, _] => &[(4, Whole)],
        ["talk", "reaction", "reply", _, _, _] => &[(5, Whole)],
        ["board", _, _] => &[(2, Whole)],
        ["board-rank", _, _, _, _] => &[(4, Whole)],
        ["checkin", "reminder", _] => &[(2, Whole)],
        ["checkin", "reminded", _, _] => &[(3, Whole)],
        ["active", _, _] => &[(2, Whole)],
        ["activity", _, _] => &[(2, Activity)],
        ["insight", "member", _] => &[(2, Whole)],
        ["insight", "quiet", _, _] => &[(3, Whole)],
        ["automation", "fired", _, _, _] => &[(4, Whole)],
        ["event-answers", _, _] => &[(2, Whole)],
        ["mod", "role" | "ban" | "recent-text", _] => &[(2, Whole)],
        ["mod", "report" | "open", _] => &[(2, Target)],
        _ => &[],
    }
}

/// Value fields that hold a member id, or a list of them (at any depth: `author`,
/// `target.member`, `confirmed[].member`, `mentions[]`, …).
pub const MEMBER_FIELDS: &[&str] = &[
    "member",
    "member_id",
    "author",
    "actor",
    "recipient",
    "reporter",
    "question_author",
    "answer_author",
    "promoted",
    "notify",
    "mentions",
    "members",
];

/// The `@name` index: `talk/name/{lower-case name}` → a member id.
const NAME_INDEX: &str = "talk/name/";

/// One member, and what they become.
pub(super) struct Identity<'a> {
    id: &'a str,
    name: Option<&'a str>,
    pseudonym: &'a str,
}

impl<'a> Identity<'a> {
    pub(super) fn new(id: &'a MemberId, name: Option<&'a str>, pseudonym: &'a str) -> Self {
        Self {
            id: id.as_str(),
            name,
            pseudonym,
        }
    }

    /// `key` with the member renamed where the layout holds them; `None` if it does not.
    pub(super) fn key(&self, key: &str) -> Option<String> {
        let mut segments: Vec<&str> = key.split('/').collect();
        let mut owned: Vec<(usize, String)> = Vec::new();
        for &(at, form) in member_positions(&segments) {
            if let Some(new) = segments.get(at).and_then(|s| self.segment(s, form)) {
                owned.push((at, new));
            }
        }
        if owned.is_empty() {
            return None;
        }
        for (at, new) in &owned {
            segments[*at] = new.as_str();
        }
        Some(segments.join("/"))
    }

    /// Whether `key` is the member's own entry: the layout's first member position in it is
    /// them (`member/{them}/…`, their board entry, their reaction), not a mention inside
    /// somebody else's key (a ledger cause) nor a moderation record about them (whose
    /// reporters are not theirs to see).
    pub(super) fn owns(&self, key: &str) -> bool {
        let segments: Vec<&str> = key.split('/').collect();
        match member_positions(&segments).first() {
            Some(&(at, form @ (Form::Whole | Form::Activity))) => segments
                .get(at)
                .is_some_and(|s| self.segment(s, form).is_some()),
            _ => false,
        }
    }

    fn segment(&self, segment: &str, form: Form) -> Option<String> {
        let (id, to) = (self.id, self.pseudonym);
        match form {
            Form::Whole => (segment == id).then(|| to.to_owned()),
            Form::Target => {
                (segment.strip_prefix("member:") == Some(id)).then(|| format!("member:{to}"))
            }
            Form::Activity => {
                let (millis, rest) = segment.split_once('-')?;
                let (member, n) = rest.rsplit_once('-')?;
                let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                (digits(millis) && digits(n) && member == id).then(|| format!("{millis}-{to}-{n}"))
            }
            Form::Cause => {
                let rest = segment
                    .strip_prefix("react-t:")
                    .or_else(|| segment.strip_prefix("react-r:"))?;
                let (item, member) = rest.split_once(':')?;
                (member == id).then(|| format!("{}{item}:{to}", &segment[..8]))
            }
        }
    }

    /// Whether `key` is an `@name` index entry that resolves to the member.
    pub(super) fn is_name_index(&self, key: &str, value: &Value) -> bool {
        key.starts_with(NAME_INDEX) && value.as_str() == Some(self.id)
    }

    /// `value` with the member's id renamed in the fields that hold member ids, and (with
    /// `mentions`) `@name` and `@{id}` mentions of them renamed in any text; whether
    /// anything changed.
    pub(super) fn value(&self, value: &mut Value, mentions: bool) -> bool {
        self.walk(value, None, mentions)
    }

    fn walk(&self, value: &mut Value, field: Option<&str>, mentions: bool) -> bool {
        let holds_members = field.is_some_and(|f| MEMBER_FIELDS.contains(&f));
        match value {
            Value::String(text) if holds_members && text == self.id => {
                *text = self.pseudonym.to_owned();
                true
            }
            // A ledger cause, and an activity's subject (`member:{id}` when a member was
            // reported): compound strings with the member in a known place.
            Value::String(text) if matches!(field, Some("cause" | "subject")) => {
                let form = if field == Some("cause") {
                    Form::Cause
                } else {
                    Form::Target
                };
                match self.segment(text, form) {
                    Some(new) => {
                        *text = new;
                        true
                    }
                    None => false,
                }
            }
            Value::String(text) if mentions => match self.mentions(text) {
                Some(new) => {
                    *text = new;
                    true
                }
                None => false,
            },
            // A list of ids keeps the field's meaning; a list of objects is walked by field.
            Value::Array(items) => items.iter_mut().fold(false, |changed, item| {
                let inner = if item.is_object() { None } else { field };
                self.walk(item, inner, mentions) | changed
            }),
            Value::Object(map) => {
                // Who acted in moderation: `{"kind": "member", "id": …}` (an `ActorRef`).
                let actor_ref = map.get("kind").and_then(Value::as_str) == Some("member");
                map.iter_mut().fold(false, |changed, (name, item)| {
                    let field = if actor_ref && name == "id" {
                        "member"
                    } else {
                        name.as_str()
                    };
                    self.walk(item, Some(field), mentions) | changed
                })
            }
            _ => false,
        }
    }

    /// `text` with whole mentions of the member renamed: `@{id}`, and `@name` in any case
    /// (mentions resolve case-insensitively) not followed by more of a name, as the mention
    /// scanner reads one (`@Al` inside `@Alice` or `@Al.b` is somebody else).
    fn mentions(&self, text: &str) -> Option<String> {
        let by_id = format!("@{{{}}}", self.id);
        let mut out = text.to_owned();
        let mut changed = false;
        if out.contains(&by_id) {
            out = out.replace(&by_id, &format!("@{{{}}}", self.pseudonym));
            changed = true;
        }
        if let Some(name) = self.name.filter(|n| !n.is_empty())
            && let Some(renamed) = rename_mentions(&out, name)
        {
            out = renamed;
            changed = true;
        }
        changed.then_some(out)
    }
}

/// Whether `c` continues a mentioned name (as `talk::mention` reads names).
fn continues_name(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-')
}

/// `text` with each whole `@name` mention (any case) replaced by `@` and [`ERASED_NAME`].
fn rename_mentions(text: &str, name: &str) -> Option<String> {
    let wanted: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut found = false;
    let mut i = 0;
    while i < chars.len() {
        let at_mention = chars[i] == '@' && !(i > 0 && chars[i - 1].is_ascii_alphanumeric()) && {
            let mut lowered = Vec::with_capacity(wanted.len());
            let mut taken = 0;
            while lowered.len() < wanted.len() && i + 1 + taken < chars.len() {
                lowered.extend(chars[i + 1 + taken].to_lowercase());
                taken += 1;
            }
            let after = chars.get(i + 1 + taken).copied();
            // A `.` ends a sentence unless a name character follows it.
            let more = match after {
                Some('.') => chars.get(i + 2 + taken).is_some_and(|c| continues_name(*c)),
                Some(c) => continues_name(c),
                None => false,
            };
            if lowered == wanted && !more {
                i += 1 + taken;
                true
            } else {
                false
            }
        };
        if at_mention {
            out.push('@');
            out.push_str(super::ERASED_NAME);
            found = true;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn who<'a>(id: &'a MemberId, name: Option<&'a str>) -> Identity<'a> {
        Identity::new(id, name, "erased-1")
    }

    #[test]
    fn keys_change_only_where_the_layout_holds_a_member() {
        let u1 = MemberId::parse("u1").unwrap();
        let w = who(&u1, None);
        for (key, renamed) in [
            ("member/u1/points", Some("member/erased-1/points")),
            ("member/u10/points", None),
            (
                "activity/2026-09-25/1790308800000-u1-0",
                Some("activity/2026-09-25/1790308800000-erased-1-0"),
            ),
            ("activity/2026-09-25/1790308800000-u10-0", None),
            ("mod/open/member:u1", Some("mod/open/member:erased-1")),
            ("mod/open/post:u1", None),
            (
                "member/u2/cause/react-r:r9:u1",
                Some("member/u2/cause/react-r:r9:erased-1"),
            ),
            ("member/u2/cause/reply:u1:r9", None),
            ("member/u2/cause/react-r:r9:u10", None),
            ("talk/topic-member/run/wx:u1@b.example", None),
            ("talk/thread/u1", None),
            ("board/all/u1", Some("board/all/erased-1")),
        ] {
            assert_eq!(w.key(key).as_deref(), renamed, "{key}");
        }
    }

    #[test]
    fn an_id_that_is_a_layout_word_renames_only_member_positions() {
        for id in ["1", "all", "member", "feed"] {
            let m = MemberId::parse(id).unwrap();
            let w = who(&m, None);
            for untouched in [
                "talk/feed/all/1/9223370246545975807/t1",
                "talk/feed/topic/all/1/9223370246545975807/t1",
                "board-rank/all",
                "board/all",
                "member/u2/ledger/1",
                "talk/replies/t1/0000001790308800000-r1!",
                "insight/day/1",
            ] {
                assert_eq!(w.key(untouched), None, "{id}: {untouched}");
            }
            assert_eq!(
                w.key(&format!("board/all/{id}")).as_deref(),
                Some("board/all/erased-1"),
                "{id}"
            );
        }
    }

    #[test]
    fn values_change_only_in_member_fields_and_whole_mentions() {
        let m = MemberId::parse("1").unwrap();
        let w = who(&m, Some("Al"));
        let mut value = json!({
            "author": "1", "id": "1", "count": 1, "title": "1",
            "confirmed": [{"member": "1", "seat": "1"}, {"member": "2"}],
            "mentions": ["2", "1"], "target": {"kind": "member", "member": "1"},
            "cause": "react-t:t1:1",
            "body": {"markdown": "step 1 by @Al and @Alice, cc @{1}", "rendered_html": "<p>@Al.</p>"},
        });
        assert!(w.value(&mut value, true));
        assert_eq!(
            value,
            json!({
                "author": "erased-1", "id": "1", "count": 1, "title": "1",
                "confirmed": [{"member": "erased-1", "seat": "1"}, {"member": "2"}],
                "mentions": ["2", "erased-1"], "target": {"kind": "member", "member": "erased-1"},
                "cause": "react-t:t1:erased-1",
                "body": {"markdown": "step 1 by @Deleted member and @Alice, cc @{erased-1}",
                    "rendered_html": "<p>@Deleted member.</p>"},
            })
        );
        let mut cases = json!({"body": "@al, @AL. and @Al.b and @Alb, mail@Al"});
        assert!(w.value(&mut cases, true));
        assert_eq!(
            cases,
            json!({"body": "@Deleted member, @Deleted member. and @Al.b and @Alb, mail@Al"})
        );
        let mut moderated = json!({"actor": {"kind": "member", "id": "1"}, "post": {"id": "1"},
            "subject": "member:1", "hidden": {"by": {"kind": "staff", "email": "1"}}});
        assert!(w.value(&mut moderated, false));
        assert_eq!(
            moderated,
            json!({"actor": {"kind": "member", "id": "erased-1"}, "post": {"id": "1"},
                "subject": "member:erased-1", "hidden": {"by": {"kind": "staff", "email": "1"}}})
        );
        let mut others = json!({"author": "2", "body": {"markdown": "1 and @Alice"}});
        assert!(!w.value(&mut others, true));
        let mut mention_only = json!({"body": "hi @Al"});
        assert!(!w.value(&mut mention_only, false), "ids only");
    }
}
