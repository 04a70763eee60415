//! Members sign in through the brand: the brand's server signs a compact JWT (HS256) with a
//! secret it shares with the community, and every member request carries it. This module
//! verifies such a token and turns its claims into a [`MemberProfile`].
//!
//! Claims: `sub` (the member id), `name`, optional `avatar` (https URL), `email`,
//! `email_verified`, `phone_verified`, `tags` (the brand's segments), `locale`, `aud` (the
//! community slug), `iat` and `exp` (seconds; at most 24 h apart). The header's `kid` picks one
//! of the community's keys; two may be active at once, so a brand rotates without downtime.
//!
//! Storage: `sso/keys` → [`SsoKeys`].

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::community::Locale;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BoundedText, CommunitySlug, MemberId, ParseError, string_newtype};
use crate::talk::BrandTag;
use crate::time::Timestamp;

/// Clock skew tolerated between the brand's server and ours.
pub const LEEWAY_SECS: i64 = 60;
/// The longest a token may live.
pub const MAX_LIFETIME_SECS: i64 = 24 * 60 * 60;
/// How many keys a community may have active at once.
pub const MAX_KEYS: usize = 2;
pub const MAX_TAGS: usize = 20;

type HmacSha256 = Hmac<Sha256>;

pub type MemberName = BoundedText<1, 60>;

string_newtype! {
    /// A key id: 1–32 characters of `A-Z a-z 0-9 _ -`.
    pub struct KeyId;
}

impl KeyId {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a key id";
        ParseError::check_length(WHAT, raw.len(), 1..=32)?;
        if !raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(ParseError::Charset {
                what: WHAT,
                allowed: "letters, digits, _ and -",
            });
        }
        Ok(Self(raw.to_owned()))
    }
}

/// A shared signing secret: 32–256 printable ASCII characters (a generated one is 64 hex
/// digits). Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SsoSecret(String);

impl std::fmt::Debug for SsoSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SsoSecret(…)")
    }
}

impl SsoSecret {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        ParseError::check_secret("the SSO secret", raw, 32..=256)?;
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SsoSecret {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<SsoSecret> for String {
    fn from(secret: SsoSecret) -> Self {
        secret.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoKey {
    pub kid: KeyId,
    pub secret: SsoSecret,
    pub created_at: Timestamp,
}

/// The community's active keys, newest last; at most [`MAX_KEYS`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoKeys(Vec<SsoKey>);

/// A key as the dashboard lists it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoKeyView {
    pub kid: KeyId,
    pub created_at: Timestamp,
}

/// `POST …/sso-keys` (201): the new key with its secret, shown this once, and the keys now
/// active (at most two: the oldest was retired if there were two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSsoKey {
    pub kid: KeyId,
    pub secret: String,
    pub active: Vec<SsoKeyView>,
}

impl SsoKeys {
    /// Adds `key`, retiring the oldest when [`MAX_KEYS`] are active. A reused `kid` is refused.
    pub fn add(&mut self, key: SsoKey) -> Result<(), ApiError> {
        if self.0.iter().any(|k| k.kid == key.kid) {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("the key id `{}` is in use", key.kid.as_str()),
            ));
        }
        if self.0.len() >= MAX_KEYS {
            self.0.remove(0);
        }
        self.0.push(key);
        Ok(())
    }

    pub fn views(&self) -> Vec<SsoKeyView> {
        self.0
            .iter()
            .map(|k| SsoKeyView {
                kid: k.kid.clone(),
                created_at: k.created_at,
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, kid: Option<&str>) -> Option<&SsoKey> {
        match kid {
            Some(kid) => self.0.iter().find(|k| k.kid.as_str() == kid),
            // Without a `kid`, only an unambiguous single key will do.
            None if self.0.len() == 1 => self.0.first(),
            None => None,
        }
    }
}

/// A member as the brand vouches for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProfile {
    pub id: MemberId,
    pub name: MemberName,
    pub avatar: Option<String>,
    pub email_verified: bool,
    pub phone_verified: bool,
    pub tags: Vec<BrandTag>,
    pub locale: Option<Locale>,
}

/// Why a token was refused. All map to `unauthenticated`: the widget asks the page for a
/// fresh token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the member token is not a well-formed JWT")]
    Malformed,
    #[error("the member token must be signed with HS256")]
    UnsupportedAlgorithm,
    #[error("the member token's key id is not active for this community")]
    UnknownKey,
    #[error("the member token's signature does not match")]
    BadSignature,
    #[error("the member token has expired")]
    Expired,
    #[error("the member token was issued in the future")]
    IssuedInTheFuture,
    #[error("the member token lives longer than 24 hours")]
    LifetimeTooLong,
    #[error("the member token is for another community")]
    WrongAudience,
    #[error("the member token's claims are not valid: {0}")]
    InvalidClaims(String),
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        ApiError::new(ErrorCode::Unauthenticated, e.to_string())
    }
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    name: String,
    avatar: Option<String>,
    #[serde(default)]
    email_verified: bool,
    #[serde(default)]
    phone_verified: bool,
    #[serde(default)]
    tags: Vec<String>,
    locale: Option<String>,
    aud: Audience,
    iat: i64,
    exp: i64,
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed)
}

/// Verifies `token` for the community `audience` at `now`.
pub fn verify(
    token: &str,
    keys: &SsoKeys,
    audience: &CommunitySlug,
    now: Timestamp,
) -> Result<MemberProfile, TokenError> {
    let mut parts = token.trim().split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let header: Header = decode_json(header_b64)?;
    if header.alg != "HS256" {
        return Err(TokenError::UnsupportedAlgorithm);
    }
    let key = keys
        .find(header.kid.as_deref())
        .ok_or(TokenError::UnknownKey)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature_b64)
        .map_err(|_| TokenError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(key.secret.expose().as_bytes())
        .map_err(|_| TokenError::UnknownKey)?;
    mac.update(header_b64.as_bytes());
    mac.update(b".");
    mac.update(payload_b64.as_bytes());
    // Constant-time comparison.
    mac.verify_slice(&signature)
        .map_err(|_| TokenError::BadSignature)?;

    let claims: Claims = decode_json(payload_b64)?;
    let for_us = match &claims.aud {
        Audience::One(aud) => aud == audience.as_str(),
        Audience::Many(auds) => auds.iter().any(|a| a == audience.as_str()),
    };
    if !for_us {
        return Err(TokenError::WrongAudience);
    }
    let now_secs = now.millis().div_euclid(1000);
    if claims.exp.saturating_add(LEEWAY_SECS) <= now_secs {
        return Err(TokenError::Expired);
    }
    if claims.iat.saturating_sub(LEEWAY_SECS) > now_secs {
        return Err(TokenError::IssuedInTheFuture);
    }
    if claims.exp.saturating_sub(claims.iat) > MAX_LIFETIME_SECS {
        return Err(TokenError::LifetimeTooLong);
    }
    profile(claims)
}

/// The start of the pseudonyms erased members' posts and ledgers carry (`erased-1`): no
/// token may sign in as one, or it would take over what an erased member left.
pub const ERASED_PREFIX: &str = "erased-";

fn profile(claims: Claims) -> Result<MemberProfile, TokenError> {
    let invalid = |field: &str, e: ParseError| TokenError::InvalidClaims(format!("{field}: {e}"));
    let id = MemberId::parse(&claims.sub).map_err(|e| invalid("sub", e))?;
    if claims.sub.starts_with(ERASED_PREFIX) {
        return Err(TokenError::InvalidClaims(format!(
            "sub: ids starting with `{ERASED_PREFIX}` are reserved for erased members"
        )));
    }
    let name = MemberName::parse(&claims.name).map_err(|e| invalid("name", e))?;
    let avatar = match claims.avatar {
        Some(url)
            if url.starts_with("https://")
                && url.len() <= 500
                && !url.contains(['"', '<', '>', ' ']) =>
        {
            Some(url)
        }
        Some(_) => {
            return Err(TokenError::InvalidClaims(
                "avatar: it must be an https URL".into(),
            ));
        }
        None => None,
    };
    if claims.tags.len() > MAX_TAGS {
        return Err(TokenError::InvalidClaims(format!(
            "tags: at most {MAX_TAGS}"
        )));
    }
    let mut tags = Vec::with_capacity(claims.tags.len());
    for tag in &claims.tags {
        let tag = BrandTag::parse(tag).map_err(|e| invalid("tags", e))?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(MemberProfile {
        id,
        name,
        avatar,
        email_verified: claims.email_verified,
        phone_verified: claims.phone_verified,
        tags,
        locale: claims.locale.as_deref().and_then(Locale::negotiate),
    })
}

/// Signs `claims` (a JSON object) with `key`: what a brand's server does. Used by tests, the
/// local demo, and as the reference for the README's snippets.
pub fn sign(claims: &serde_json::Value, key: &SsoKey) -> Result<String, String> {
    let header = serde_json::json!({ "alg": "HS256", "typ": "JWT", "kid": key.kid.as_str() });
    let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).map_err(|e| e.to_string())?);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).map_err(|e| e.to_string())?);
    let mut mac =
        HmacSha256::new_from_slice(key.secret.expose().as_bytes()).map_err(|e| e.to_string())?;
    mac.update(header.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    Ok(format!("{header}.{payload}.{signature}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_790_000_000_000);
    const NOW_SECS: i64 = 1_790_000_000;

    fn key(kid: &str, secret_byte: char) -> SsoKey {
        SsoKey {
            kid: KeyId::parse(kid).unwrap(),
            secret: SsoSecret::parse(&secret_byte.to_string().repeat(64)).unwrap(),
            created_at: NOW,
        }
    }

    fn keys(list: &[SsoKey]) -> SsoKeys {
        let mut keys = SsoKeys::default();
        for k in list {
            keys.add(k.clone()).unwrap();
        }
        keys
    }

    fn claims() -> serde_json::Value {
        serde_json::json!({
            "sub": "u_42", "name": "小林", "aud": "demo", "iat": NOW_SECS - 10, "exp": NOW_SECS + 3600,
            "phone_verified": true, "tags": ["VIP", "tea", "vip"], "locale": "zh-Hans",
            "avatar": "https://cdn.brand.example/a.png"
        })
    }

    fn demo() -> CommunitySlug {
        CommunitySlug::parse("demo").unwrap()
    }

    #[test]
    fn a_signed_token_yields_the_member_profile() {
        let k1 = key("k1", 'a');
        let token = sign(&claims(), &k1).unwrap();
        let profile = verify(&token, &keys(&[k1]), &demo(), NOW).unwrap();
        assert_eq!(profile.id.as_str(), "u_42");
        assert_eq!(profile.name.as_str(), "小林");
        assert!(profile.phone_verified && !profile.email_verified);
        let tags: Vec<_> = profile.tags.iter().map(BrandTag::as_str).collect();
        assert_eq!(tags, ["vip", "tea"]);
        assert_eq!(profile.locale, Some(Locale::ZhCn));
    }

    #[test]
    fn refusals_table() {
        let k1 = key("k1", 'a');
        let active = keys(std::slice::from_ref(&k1));
        let with = |patch: serde_json::Value| {
            let mut c = claims();
            for (k, v) in patch.as_object().unwrap() {
                c[k] = v.clone();
            }
            sign(&c, &k1).unwrap()
        };
        let good = sign(&claims(), &k1).unwrap();
        let (h, p, s) = {
            let mut it = good.split('.');
            (it.next().unwrap(), it.next().unwrap(), it.next().unwrap())
        };
        let tampered_payload = {
            let mut c = claims();
            c["sub"] = "admin".into();
            format!(
                "{h}.{}.{s}",
                URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).unwrap())
            )
        };
        let none_alg = format!(
            "{}.{p}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","kid":"k1"}"#)
        );
        let cases: Vec<(String, TokenError)> = vec![
            ("not a token".into(), TokenError::Malformed),
            (format!("{h}.{p}"), TokenError::Malformed),
            (tampered_payload, TokenError::BadSignature),
            (none_alg, TokenError::UnsupportedAlgorithm),
            (
                sign(&claims(), &key("k9", 'a')).unwrap(),
                TokenError::UnknownKey,
            ),
            (
                sign(&claims(), &key("k1", 'b')).unwrap(),
                TokenError::BadSignature,
            ),
            (
                with(serde_json::json!({"aud": "other"})),
                TokenError::WrongAudience,
            ),
            (
                with(serde_json::json!({"exp": NOW_SECS - LEEWAY_SECS})),
                TokenError::Expired,
            ),
            (
                with(serde_json::json!({"iat": NOW_SECS + LEEWAY_SECS + 1})),
                TokenError::IssuedInTheFuture,
            ),
            (
                with(
                    serde_json::json!({"iat": NOW_SECS - 10, "exp": NOW_SECS - 10 + MAX_LIFETIME_SECS + 1}),
                ),
                TokenError::LifetimeTooLong,
            ),
            (
                with(serde_json::json!({"sub": "a/b"})),
                TokenError::InvalidClaims(
                    "sub: a member id may only contain letters, digits and _ . : @ -".into(),
                ),
            ),
            (
                with(serde_json::json!({"sub": "erased-1"})),
                TokenError::InvalidClaims(
                    "sub: ids starting with `erased-` are reserved for erased members".into(),
                ),
            ),
            (
                with(serde_json::json!({"avatar": "javascript:alert(1)"})),
                TokenError::InvalidClaims("avatar: it must be an https URL".into()),
            ),
        ];
        for (token, want) in cases {
            assert_eq!(
                verify(&token, &active, &demo(), NOW).unwrap_err(),
                want,
                "{token}"
            );
        }
    }

    #[test]
    fn leeway_is_honoured_at_the_edges() {
        let k1 = key("k1", 'a');
        let active = keys(std::slice::from_ref(&k1));
        let mut c = claims();
        c["exp"] = (NOW_SECS - LEEWAY_SECS + 1).into();
        assert!(
            verify(&sign(&c, &k1).unwrap(), &active, &demo(), NOW).is_ok(),
            "just inside the leeway"
        );
        c["iat"] = (NOW_SECS + LEEWAY_SECS).into();
        c["exp"] = (NOW_SECS + 3600).into();
        assert!(verify(&sign(&c, &k1).unwrap(), &active, &demo(), NOW).is_ok());
    }

    #[test]
    fn rotation_keeps_two_keys_and_retires_the_oldest() {
        let (k1, k2, k3) = (key("k1", 'a'), key("k2", 'b'), key("k3", 'c'));
        let mut active = keys(&[k1.clone(), k2.clone()]);
        for k in [&k1, &k2] {
            assert!(
                verify(&sign(&claims(), k).unwrap(), &active, &demo(), NOW).is_ok(),
                "both work during rotation"
            );
        }
        active.add(k3.clone()).unwrap();
        assert_eq!(
            verify(&sign(&claims(), &k1).unwrap(), &active, &demo(), NOW).unwrap_err(),
            TokenError::UnknownKey
        );
        assert!(verify(&sign(&claims(), &k3).unwrap(), &active, &demo(), NOW).is_ok());
        assert_eq!(
            active.add(key("k3", 'd')).unwrap_err().code,
            ErrorCode::Conflict
        );
        assert!(
            format!("{:?}", active).contains("SsoSecret(…)"),
            "secrets never print"
        );
    }

    #[test]
    fn a_token_without_kid_needs_exactly_one_key() {
        let k1 = key("k1", 'a');
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims()).unwrap());
        let mut mac = HmacSha256::new_from_slice(k1.secret.expose().as_bytes()).unwrap();
        mac.update(format!("{header}.{payload}").as_bytes());
        let token = format!(
            "{header}.{payload}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        );
        assert!(verify(&token, &keys(std::slice::from_ref(&k1)), &demo(), NOW).is_ok());
        assert_eq!(
            verify(&token, &keys(&[k1, key("k2", 'b')]), &demo(), NOW).unwrap_err(),
            TokenError::UnknownKey
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            /// Whatever a caller puts after `Bearer `: refused, never a panic.
            #[test]
            fn arbitrary_tokens_are_refused(
                raw in prop_oneof![
                    any::<String>(),
                    "[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,40}",
                    "eyJhbGciOiJIUzI1NiJ9\\.[A-Za-z0-9_=.-]{0,60}",
                ],
            ) {
                prop_assert!(verify(&raw, &keys(&[key("k1", 'a')]), &demo(), NOW).is_err());
            }

            /// A signed token with any one character changed is refused (or, where base64
            /// spells the same bytes two ways, yields the very same member), and another
            /// community's key never verifies it.
            #[test]
            fn a_token_changed_anywhere_is_refused(index in any::<prop::sample::Index>(), with in "[A-Za-z0-9_.=-]") {
                let k1 = key("k1", 'a');
                let good = sign(&claims(), &k1).unwrap();
                let expected = verify(&good, &keys(std::slice::from_ref(&k1)), &demo(), NOW).unwrap();
                let at = index.index(good.len());
                let mut changed = good.clone();
                changed.replace_range(at..=at, &with);
                if let Ok(profile) = verify(&changed, &keys(std::slice::from_ref(&k1)), &demo(), NOW) {
                    prop_assert_eq!(profile, expected.clone(), "{}", changed);
                }
                prop_assert!(verify(&good, &keys(&[key("k1", 'b')]), &demo(), NOW).is_err());
            }
        }
    }
}
