//! Talk in the widget: the feed of threads with topic tabs and the new-thread composer
//! ([`TalkHome`]), one thread with its replies, and the comments under one page of the
//! brand's site ([`PageComments`]).
//!
//! Every talk component reads one [`Talk`] from context: the community, the member's
//! token (and who it names), and where the member stands with the join policy
//! ([`crate::join`]). Writes are optimistic and roll back when the worker refuses.
//! Post bodies come from the worker already rendered and sanitised; the widget inserts
//! only those `body_html` fields as HTML, and previews a draft with its own small
//! renderer ([`preview`]) that builds text nodes, never HTML.

mod card;
mod composer;
mod discussion;
mod feed;
mod page;
mod preview;
mod reactions;
mod report;
mod thread;
mod topic_join;

use leptos::prelude::*;
use quanzi_core::ids::MemberId;
use serde::Deserialize;

use crate::join::Standing;
use crate::token::use_token;
use quanzi_shell::Text;

pub use self::feed::TalkHome;
pub use self::page::PageComments;

/// The signed-in member, as their token names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Me {
    pub id: MemberId,
    pub name: String,
}

impl Me {
    /// Reads `sub` and `name` from the token's payload. The worker verifies the token; this
    /// only labels the member's own posts and knows which questions are theirs.
    pub fn from_token(token: &str) -> Option<Self> {
        #[derive(Deserialize)]
        struct Claims {
            sub: String,
            #[serde(default)]
            name: String,
        }
        let payload = token.split('.').nth(1)?;
        let claims: Claims = serde_json::from_slice(&base64url(payload)?).ok()?;
        Some(Self {
            id: MemberId::parse(&claims.sub).ok()?,
            name: claims.name,
        })
    }
}

/// Decodes unpadded base64url (a JWT segment).
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// What the talk components share: which community, who is signed in, and whether they
/// may write yet.
#[derive(Clone, Copy)]
pub struct Talk {
    pub slug: StoredValue<String>,
    pub login_url: StoredValue<Option<String>>,
    pub token: ReadSignal<Option<String>>,
    pub me: Memo<Option<Me>>,
    pub standing: RwSignal<Standing>,
    pub t: Signal<Text>,
}

impl Talk {
    /// Makes the context for one widget (call once, at the top of a talk view).
    pub fn provide(slug: String, login_url: Option<String>) -> Self {
        let token = use_token();
        let talk = Self {
            slug: StoredValue::new(slug),
            login_url: StoredValue::new(login_url),
            token,
            me: Memo::new(move |_| token.get().as_deref().and_then(Me::from_token)),
            standing: RwSignal::new(Standing::Anonymous),
            t: expect_context::<Signal<Text>>(),
        };
        provide_context(talk);
        crate::join::follow_standing(talk);
        talk
    }

    pub fn get() -> Self {
        expect_context::<Self>()
    }

    pub fn slug(&self) -> String {
        self.slug.get_value()
    }

    /// Whether `who` is the signed-in member.
    pub fn is_me(&self, who: Option<&MemberId>) -> bool {
        who.is_some() && self.me.with(|me| me.as_ref().map(|m| &m.id) == who)
    }

    /// How an author shows: the member's own name for their posts, else their id.
    pub fn author_name(&self, who: Option<&MemberId>) -> String {
        match who {
            None => String::new(),
            Some(id) => self
                .me
                .with_untracked(|me| me.as_ref().filter(|m| &m.id == id).map(|m| m.name.clone()))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.to_string()),
        }
    }
}

/// Milliseconds since the epoch, from the browser's clock (only for "5 min ago").
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// An author's initial in a coloured circle; the colour follows the id, so one member
/// keeps one colour.
#[component]
fn Avatar(name: String) -> impl IntoView {
    let avatar = quanzi_shell::Avatar::of(&name);
    let (class, initial) = (avatar.class(), avatar.initial);
    view! {
        <span class=class aria-hidden="true">{initial}</span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_member_from_a_token() {
        // {"alg":"HS256"} . {"sub":"u_1","name":"小林","aud":"tea"} . signature
        let token =
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1XzEiLCJuYW1lIjoi5bCP5p6XIiwiYXVkIjoidGVhIn0.sig";
        let me = Me::from_token(token).unwrap();
        assert_eq!((me.id.as_str(), me.name.as_str()), ("u_1", "小林"));
        for bad in ["", "a.b.c", "x.!!!.y", "eyJhbGciOiJIUzI1NiJ9.e30.sig"] {
            assert_eq!(Me::from_token(bad), None, "{bad}");
        }
    }

    #[test]
    fn decodes_base64url() {
        let cases = [
            ("", ""),
            ("YQ", "a"),
            ("YWI", "ab"),
            ("YWJj", "abc"),
            ("YWJjZA==", "abcd"),
        ];
        for (input, want) in cases {
            assert_eq!(base64url(input).unwrap(), want.as_bytes(), "{input}");
        }
        assert_eq!(base64url("_-8").unwrap(), vec![0xff, 0xef]);
        assert_eq!(base64url("a+b"), None);
    }
}
