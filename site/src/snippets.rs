//! The code a brand copies from the dashboard: the script tag for each view of the widget,
//! and the few lines its server needs to sign members in (as in the README).

/// What a script tag shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbedView {
    /// The whole community: talk, check-in, events, the member's page.
    Home,
    /// The daily check-in card only.
    Checkin,
    /// The member's own page: points, level, badges.
    Profile,
    /// The events still to come.
    Events,
    /// Comments under one page of the brand's site.
    Comments,
}

impl EmbedView {
    pub const ALL: [EmbedView; 5] = [
        EmbedView::Home,
        EmbedView::Checkin,
        EmbedView::Profile,
        EmbedView::Events,
        EmbedView::Comments,
    ];

    pub fn id(self) -> &'static str {
        match self {
            EmbedView::Home => "home",
            EmbedView::Checkin => "checkin",
            EmbedView::Profile => "profile",
            EmbedView::Events => "events",
            EmbedView::Comments => "comments",
        }
    }
}

/// Escapes `"`, `&`, `<` and `>` for an HTML attribute value.
fn attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The script tag that shows `view` of the community `slug`, loading from `edge` (the
/// worker's origin). `page` is the address whose comments [`EmbedView::Comments`] shows.
pub fn embed(edge: &str, slug: &str, view: EmbedView, page: &str) -> String {
    let extra = match view {
        EmbedView::Home => String::new(),
        EmbedView::Comments => format!(r#" data-page="{}""#, attr(page)),
        other => format!(r#" data-view="{}""#, other.id()),
    };
    format!(
        r#"<script src="{}/embed.js" data-community="{}"{extra} async></script>"#,
        attr(edge),
        attr(slug)
    )
}

/// Node: a member token signed on the brand's server (the secret never reaches a browser).
pub fn node_signing(slug: &str, kid: &str) -> String {
    format!(
        r#"import {{ createHmac }} from "node:crypto";

const QUANZI = {{ community: "{slug}", kid: "{kid}", secret: process.env.QUANZI_SECRET }};
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");

// Call on your server after your own login; hand the token to the page.
export function quanziToken(user) {{
  const now = Math.floor(Date.now() / 1000);
  const head = b64({{ alg: "HS256", typ: "JWT", kid: QUANZI.kid }});
  const body = b64({{ sub: user.id, name: user.name, aud: QUANZI.community, iat: now, exp: now + 3600 }});
  const sig = createHmac("sha256", QUANZI.secret).update(`${{head}}.${{body}}`).digest("base64url");
  return `${{head}}.${{body}}.${{sig}}`;
}}"#
    )
}

/// Python: the same token.
pub fn python_signing(slug: &str, kid: &str) -> String {
    format!(
        r#"import base64, hashlib, hmac, json, os, time

QUANZI = {{"community": "{slug}", "kid": "{kid}", "secret": os.environ["QUANZI_SECRET"]}}

def b64(v):
    return base64.urlsafe_b64encode(json.dumps(v).encode()).rstrip(b"=").decode()

# Call on your server after your own login; hand the token to the page.
def quanzi_token(user_id, name):
    now = int(time.time())
    head = b64({{"alg": "HS256", "typ": "JWT", "kid": QUANZI["kid"]}})
    body = b64({{"sub": user_id, "name": name, "aud": QUANZI["community"], "iat": now, "exp": now + 3600}})
    sig = hmac.new(QUANZI["secret"].encode(), f"{{head}}.{{body}}".encode(), hashlib.sha256).digest()
    return f"{{head}}.{{body}}." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()"#
    )
}

/// The page side: hand the token from the brand's server to the widget.
pub fn page_sign_in() -> &'static str {
    r#"<script>
  // after your login, with the token from your server:
  Quanzi.setToken(token);
</script>"#
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_view_has_its_attribute() {
        let edge = "https://quanzi.example";
        let cases = [
            (
                EmbedView::Home,
                r#"<script src="https://quanzi.example/embed.js" data-community="acme" async></script>"#,
            ),
            (
                EmbedView::Checkin,
                r#"<script src="https://quanzi.example/embed.js" data-community="acme" data-view="checkin" async></script>"#,
            ),
            (
                EmbedView::Events,
                r#"<script src="https://quanzi.example/embed.js" data-community="acme" data-view="events" async></script>"#,
            ),
            (
                EmbedView::Comments,
                r#"<script src="https://quanzi.example/embed.js" data-community="acme" data-page="https://brand.example/a?x=1&amp;y=&quot;2&quot;" async></script>"#,
            ),
        ];
        for (view, want) in cases {
            assert_eq!(
                embed(edge, "acme", view, r#"https://brand.example/a?x=1&y="2""#),
                want
            );
        }
    }

    #[test]
    fn signing_snippets_name_the_community_and_key_but_no_secret() {
        for code in [
            node_signing("acme", "k1a2b"),
            python_signing("acme", "k1a2b"),
        ] {
            assert!(code.contains("\"acme\""), "{code}");
            assert!(code.contains("\"k1a2b\""), "{code}");
            assert!(code.contains("QUANZI_SECRET"), "{code}");
            assert!(code.contains("HS256"), "{code}");
        }
    }
}
