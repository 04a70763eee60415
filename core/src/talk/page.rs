//! Per-page threads: a page of the brand's site has one comment thread, found by a stable
//! key derived from its normalised URL.
//!
//! Normalising: scheme and host are lower-cased, user info, the default port and a trailing
//! dot on the host are dropped, the fragment is dropped, tracking query parameters
//! (`utm_*` and [`TRACKING_PARAMS`]) and empty ones are dropped, the rest are ordered by name
//! (a stable sort, so repeated names keep their order), and the path is kept exactly (an
//! empty path is `/`). The key is the first 128 bits of the SHA-256 of the normalised URL,
//! in hex: stable across releases and platforms, and not forgeable into a collision.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::{ParseError, string_newtype};

/// Query parameters that only say how a visitor arrived, never which page it is. Compared
/// case-insensitively; every `utm_*` parameter is dropped too.
pub const TRACKING_PARAMS: &[&str] = &[
    // advertising click ids
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "igshid",
    "li_fat_id",
    // analytics and mail campaigns
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mc_cid",
    "mc_eid",
    "mkt_tok",
    "ref_src",
    // Alibaba, WeChat, Bilibili, Xiaohongshu sharing
    "spm",
    "scm",
    "from",
    "isappinstalled",
    "scene",
    "clicktime",
    "enterid",
    "sharer_shareid",
    "sharer_sharetime",
    "share_token",
    "share_source",
    "vd_source",
    "xhsshare",
];

string_newtype! {
    /// A page's URL, normalised (see the module docs). Parsing is the only way to make one.
    #[derive(PartialOrd, Ord)]
    pub struct PageUrl;
}

/// The stable key of a page: 32 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PageKey(String);

impl PageKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const WHAT: &str = "a page URL";

fn invalid(why: &'static str) -> ParseError {
    ParseError::Invalid { what: WHAT, why }
}

fn is_tracking(param: &str) -> bool {
    let name = param.split('=').next().unwrap_or("").to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING_PARAMS.contains(&name.as_str())
}

fn param_name(param: &str) -> &str {
    param.split('=').next().unwrap_or("")
}

impl PageUrl {
    /// The longest URL accepted, in bytes, before normalising.
    pub const MAX_LEN: usize = 2048;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = raw.trim();
        ParseError::check_length(WHAT, raw.len(), 1..=Self::MAX_LEN)?;
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("it contains spaces or control characters"));
        }
        let (scheme, rest) = raw
            .split_once("://")
            .ok_or(invalid("it must start with https:// or http://"))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => "443",
            "http" => "80",
            _ => return Err(invalid("it must start with https:// or http://")),
        };
        let without_fragment = rest.split('#').next().unwrap_or("");
        let authority_end = without_fragment
            .find(['/', '?'])
            .unwrap_or(without_fragment.len());
        let (authority, path_and_query) = without_fragment.split_at(authority_end);
        let host_port = authority.rsplit('@').next().unwrap_or("").to_lowercase();
        let (host, port) = split_port(&host_port)?;
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.is_empty() || host.starts_with('.') {
            return Err(invalid("it has no host name"));
        }
        let port = port.filter(|p| !p.is_empty() && *p != default_port);

        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, query),
            None => (path_and_query, ""),
        };
        let path = if path.is_empty() { "/" } else { path };
        let mut params: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty() && !is_tracking(p))
            .collect();
        params.sort_by(|a, b| param_name(a).cmp(param_name(b)));

        let mut url = format!("{scheme}://{host}");
        if let Some(port) = port {
            url.push(':');
            url.push_str(port);
        }
        url.push_str(path);
        if !params.is_empty() {
            url.push('?');
            url.push_str(&params.join("&"));
        }
        Ok(Self(url))
    }

    /// The page's stable key.
    pub fn key(&self) -> PageKey {
        let digest = Sha256::digest(self.0.as_bytes());
        PageKey(digest.iter().take(16).map(|b| format!("{b:02x}")).collect())
    }
}

/// Splits `host[:port]` (and `[v6]:port`); the port must be digits.
fn split_port(host_port: &str) -> Result<(&str, Option<&str>), ParseError> {
    let (host, port) = if host_port.starts_with('[') {
        let end = host_port
            .find(']')
            .ok_or(invalid("the IPv6 host is not closed"))?;
        let (host, after) = host_port.split_at(end + 1);
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err(invalid("something follows the IPv6 host")),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if port.is_some_and(|p| !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 5) {
        return Err(invalid("the port must be a number"));
    }
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn urls_normalise_to_one_form() {
        let cases: &[(&str, &str)] = &[
            (
                "https://Brand.Example/Blog/Post",
                "https://brand.example/Blog/Post",
            ),
            ("HTTPS://BRAND.EXAMPLE", "https://brand.example/"),
            (
                "https://brand.example/a#comments",
                "https://brand.example/a",
            ),
            ("https://brand.example:443/a", "https://brand.example/a"),
            ("http://brand.example:80/a", "http://brand.example/a"),
            ("http://brand.example:8080/a", "http://brand.example:8080/a"),
            ("https://brand.example:/a", "https://brand.example/a"),
            ("https://user:pw@brand.example/a", "https://brand.example/a"),
            ("https://brand.example./a", "https://brand.example/a"),
            (
                "https://brand.example/a?utm_source=x&id=7&UTM_Medium=y&fbclid=z",
                "https://brand.example/a?id=7",
            ),
            (
                "https://brand.example/a?b=2&a=1",
                "https://brand.example/a?a=1&b=2",
            ),
            (
                "https://brand.example/a?t=2&a=1&t=1",
                "https://brand.example/a?a=1&t=2&t=1",
            ),
            (
                "https://brand.example/a?&&x=1&",
                "https://brand.example/a?x=1",
            ),
            (
                "https://brand.example/a?utm_campaign=spring",
                "https://brand.example/a",
            ),
            (
                "https://brand.example/p?from=singlemessage&isappinstalled=0&sku=9",
                "https://brand.example/p?sku=9",
            ),
            ("https://brand.example?x=1", "https://brand.example/?x=1"),
            ("https://[::1]:8443/a", "https://[::1]:8443/a"),
            ("https://[::1]:443/a", "https://[::1]/a"),
            ("  https://brand.example/a  ", "https://brand.example/a"),
            ("https://品牌.example/圈子", "https://品牌.example/圈子"),
        ];
        for &(raw, want) in cases {
            assert_eq!(
                PageUrl::parse(raw).map(String::from),
                Ok(want.to_owned()),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn urls_that_are_not_web_pages_are_refused() {
        let bad = [
            "",
            "brand.example/a",
            "ftp://brand.example/a",
            "javascript://alert(1)",
            "https:///a",
            "https://brand.example:http/a",
            "https://brand.example/a b",
            "https://[::1/a",
            "https://[::1]x/a",
        ];
        for raw in bad {
            assert!(PageUrl::parse(raw).is_err(), "{raw:?}");
        }
        assert!(PageUrl::parse(&format!("https://b.example/{}", "a".repeat(2048))).is_err());
    }

    #[test]
    fn equivalent_urls_share_a_key_and_different_pages_do_not() {
        let a = PageUrl::parse("https://Brand.example/a?utm_source=wx#top").unwrap();
        let b = PageUrl::parse("https://brand.example/a").unwrap();
        let c = PageUrl::parse("https://brand.example/A").unwrap();
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), c.key());
        assert_eq!(a.key().as_str().len(), 32);
    }

    #[test]
    fn the_page_key_is_stable_across_releases() {
        // Changing this value orphans every page's comment thread.
        let url = PageUrl::parse("https://brand.example/").unwrap();
        // The first 128 bits of SHA-256("https://brand.example/").
        assert_eq!(url.key().as_str(), "b5e10f520438d3221282884b7c18ecbd");
        assert_eq!(
            crate::talk::ThreadId::for_page(&url).as_str().len(),
            "page-".len() + 32
        );
    }

    proptest! {
        #[test]
        fn normalising_is_idempotent(
            host in "[A-Za-z][A-Za-z0-9]{0,8}(\\.[A-Za-z]{2,4})?",
            path in "(/[A-Za-z0-9._~-]{0,6}){0,3}",
            params in proptest::collection::vec("(utm_[a-z]{1,3}|[a-z]{1,3})=[a-z0-9]{0,3}", 0..5),
            fragment in "(#[a-z]{0,4})?",
        ) {
            let raw = format!("HTTPS://{host}{path}?{}{fragment}", params.join("&"));
            let once = PageUrl::parse(&raw).unwrap();
            let twice = PageUrl::parse(once.as_str()).unwrap();
            prop_assert_eq!(&once, &twice);
            prop_assert!(!once.as_str().contains("utm_"));
            prop_assert!(!once.as_str().contains('#'));
        }
    }
}
