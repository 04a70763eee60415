//! A community's own settings: who it is, where it may be embedded, how it looks.

use serde::{Deserialize, Serialize};

use crate::ids::{BoundedText, CommunitySlug, ParseError, string_newtype};

pub type CommunityName = BoundedText<1, 60>;
pub type Slogan = BoundedText<0, 140>;

/// The languages the widget and dashboard speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// Picks the closest supported language for a BCP 47 tag such as `zh-Hans-CN` or `en-GB`.
    pub fn negotiate(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Self::ZhCn),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

/// An IANA time zone such as `Asia/Shanghai`; a community's "today" is a local day there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        raw.parse::<chrono_tz::Tz>()
            .map(Self)
            .map_err(|_| ParseError::Invalid {
                what: "the time zone",
                why: "it is not an IANA name like Asia/Shanghai",
            })
    }

    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        Self(chrono_tz::Asia::Shanghai)
    }
}

impl TryFrom<String> for TimeZone {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<TimeZone> for String {
    fn from(tz: TimeZone) -> Self {
        tz.0.name().to_owned()
    }
}

string_newtype! {
    /// A web origin allowed to embed the community: `https://brand.example` or
    /// `http://127.0.0.1:8788`. Scheme and host are lower-cased; no path, query or credentials.
    pub struct Origin;
}

impl Origin {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "an allowed origin";
        let lower = raw.trim().to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or(ParseError::Invalid {
                what: WHAT,
                why: "it must start with https:// or http://",
            })?;
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && !host.starts_with(['.', '-'])
            && !host.ends_with(['.', '-']);
        if !host_ok {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "it needs a host name and nothing after it (no path)",
            });
        }
        let port_ok = port.is_none_or(|p| !p.starts_with('0') && p.parse::<u16>().is_ok());
        if !port_ok {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "the port must be a number from 1 to 65535",
            });
        }
        Ok(Self(lower))
    }
}

string_newtype! {
    /// A `#rrggbb` colour.
    pub struct HexColor;
}

impl HexColor {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let ok = raw.len() == 7
            && raw.starts_with('#')
            && raw.bytes().skip(1).all(|b| b.is_ascii_hexdigit());
        if ok {
            Ok(Self(raw.to_ascii_lowercase()))
        } else {
            Err(ParseError::Invalid {
                what: "the colour",
                why: "use the #rrggbb form",
            })
        }
    }
}

string_newtype! {
    /// The community's logo: an `https://` image URL with a host, no spaces, quotes or
    /// credentials, at most 500 bytes.
    pub struct LogoUrl;
}

impl LogoUrl {
    pub const MAX_LEN: usize = 500;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "the logo URL";
        let url = raw.trim();
        ParseError::check_length(WHAT, url.len(), 1..=Self::MAX_LEN)?;
        let rest = url
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
            .and_then(|_| url.get(8..))
            .ok_or(ParseError::Invalid {
                what: WHAT,
                why: "it must start with https://",
            })?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let clean = |c: char| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
        };
        if host.is_empty() || host.contains('@') || !url.chars().all(clean) {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "it needs a host and may not contain spaces, quotes or credentials",
            });
        }
        Ok(Self(url.to_owned()))
    }
}

/// Light, dark, or whatever the member's system prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ColorScheme {
    #[default]
    Auto,
    Light,
    Dark,
}

/// How the widget looks in the brand's page; becomes CSS custom properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Theme {
    pub accent: HexColor,
    /// Corner radius in CSS pixels, 0–24.
    pub radius: u8,
    pub scheme: ColorScheme,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            // White text on it reads at 4.89:1 (AA); see `color::Palette`.
            accent: HexColor("#c8432b".to_owned()),
            radius: 10,
            scheme: ColorScheme::Auto,
        }
    }
}

/// A community as stored: everything its owner set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub slug: CommunitySlug,
    pub name: CommunityName,
    pub slogan: Slogan,
    pub locale: Locale,
    pub time_zone: TimeZone,
    pub allowed_origins: Vec<Origin>,
    pub theme: Theme,
    /// The logo shown beside the name; settings stored before this existed have none.
    #[serde(default)]
    pub logo: Option<LogoUrl>,
    /// Which parts of the community are on. Settings stored before this existed read as all on.
    #[serde(default)]
    pub features: Features,
    /// Members may post (threads, replies, page comments) only with `phone_verified: true`
    /// in their sign-in token, as real-name rules in some markets require. Off by default.
    #[serde(default)]
    pub posting_requires_phone_verified: bool,
}

/// The parts of a community its owner can switch off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Features {
    /// Topics, threads, replies, Q&A and page comments.
    pub talk: bool,
    /// The daily check-in.
    pub checkin: bool,
    /// Events and sign-up.
    pub events: bool,
    /// Redeeming points for rewards.
    pub rewards: bool,
}

impl Default for Features {
    fn default() -> Self {
        Self {
            talk: true,
            checkin: true,
            events: true,
            rewards: true,
        }
    }
}

/// One switchable part, to ask [`Features::is_on`] about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Talk,
    Checkin,
    Events,
    Rewards,
}

impl Features {
    pub fn is_on(self, feature: Feature) -> bool {
        match feature {
            Feature::Talk => self.talk,
            Feature::Checkin => self.checkin,
            Feature::Events => self.events,
            Feature::Rewards => self.rewards,
        }
    }
}

impl Community {
    pub const MAX_ORIGINS: usize = 20;

    /// Whether a page on `origin` may use this community's API.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins
            .iter()
            .any(|o| o.as_str().eq_ignore_ascii_case(origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("https://brand.example", Some("https://brand.example")),
            ("HTTPS://Brand.Example", Some("https://brand.example")),
            ("http://127.0.0.1:8788", Some("http://127.0.0.1:8788")),
            ("https://brand.example/", None),
            ("https://brand.example/path", None),
            ("brand.example", None),
            ("ftp://brand.example", None),
            ("https://", None),
            ("https://brand.example:0", None),
            ("https://brand.example:99999", None),
            ("https://user@brand.example", None),
            ("javascript:alert(1)", None),
        ];
        for &(raw, want) in cases {
            assert_eq!(
                Origin::parse(raw).ok().map(String::from).as_deref(),
                want,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn time_zone_parses_iana_names_only() {
        assert!(TimeZone::parse("Asia/Shanghai").is_ok());
        assert!(TimeZone::parse("Europe/Berlin").is_ok());
        assert!(TimeZone::parse("Mars/Olympus").is_err());
        assert_eq!(
            String::from(TimeZone::parse("America/New_York").unwrap()),
            "America/New_York"
        );
    }

    #[test]
    fn locale_negotiation_table() {
        let cases = [
            ("zh-CN", Some(Locale::ZhCn)),
            ("zh-Hans-CN", Some(Locale::ZhCn)),
            ("zh_TW", Some(Locale::ZhCn)),
            ("en-GB", Some(Locale::En)),
            ("EN", Some(Locale::En)),
            ("fr-FR", None),
            ("", None),
        ];
        for (tag, want) in cases {
            assert_eq!(Locale::negotiate(tag), want, "{tag:?}");
        }
    }

    #[test]
    fn logo_url_table() {
        let cases: &[(&str, bool)] = &[
            ("https://cdn.brand.example/logo.png", true),
            (" https://cdn.brand.example/l.svg?v=2 ", true),
            ("http://cdn.brand.example/logo.png", false),
            ("https:///logo.png", false),
            ("https://user@cdn.brand.example/x.png", false),
            ("https://cdn.brand.example/a b.png", false),
            ("https://cdn.brand.example/\"onerror=x", false),
            ("javascript:alert(1)", false),
            ("", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(LogoUrl::parse(raw).is_ok(), ok, "{raw:?}");
        }
        assert!(LogoUrl::parse(&format!("https://a.example/{}", "x".repeat(500))).is_err());
    }

    #[test]
    fn colour_table() {
        assert!(HexColor::parse("#E8553D").is_ok());
        assert!(HexColor::parse("e8553d").is_err());
        assert!(HexColor::parse("#e8553").is_err());
        assert!(HexColor::parse("#e8553g").is_err());
    }
}
