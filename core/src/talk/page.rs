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

use crate::ids::ParseError;

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

/// A page's URL, normalised (see the module docs). Parsing is the only way to make one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PageUrl(String);

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
        if raw.is_empty() || raw.len() > Self::MAX_LEN {
            return Err(ParseError::Length {
                what: WHAT,
                min: 1,
                max: Self::MAX_LEN,
            });
        }
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

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The page's stable key.
    pub fn key(&self) -> PageKey {
        let digest = sha256(self.0.as_bytes());
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

impl TryFrom<String> for PageUrl {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<PageUrl> for String {
    fn from(url: PageUrl) -> Self {
        url.0
    }
}

impl fmt::Display for PageUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// SHA-256 (FIPS 180-4). Small and only used for page keys, so no dependency for it.
fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());

    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (slot, word) in w.iter_mut().zip(block.chunks_exact(4)) {
            *slot = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for (k, wi) in K.iter().zip(w.iter()) {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(*k)
                .wrapping_add(*wi);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(v);
        }
    }

    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha256_matches_the_standard_vectors() {
        let cases: &[(&[u8], &str)] = &[
            (
                b"",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(hex(&sha256(input)), *want);
        }
        let million_a = vec![b'a'; 1_000_000];
        assert_eq!(
            hex(&sha256(&million_a)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

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
        assert_eq!(
            url.key().as_str(),
            &hex(&sha256(b"https://brand.example/"))[..32]
        );
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
