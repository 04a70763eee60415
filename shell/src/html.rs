//! Markup written by hand: every piece of text and every attribute value goes through
//! [`escape`], so a member's title or name is always text, never markup.

/// `text` with `&`, `<`, `>`, `"` and `'` escaped: safe as element text and as a quoted
/// attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link target a member may follow: a relative URL or an `http(s)` one, never
/// `javascript:` or another scheme (the URL parser drops tabs and newlines, so
/// `java\tscript:` is a scheme too, and so refused).
pub fn safe_href(url: &str) -> Option<&str> {
    let url = url.trim_matches(|c: char| c <= ' ');
    if url.is_empty() {
        return None;
    }
    match url.find([':', '/', '?', '#']) {
        Some(at) if url[at..].starts_with(':') => {
            let scheme = url[..at].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https").then_some(url)
        }
        _ => Some(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape(r#"<img src=x onerror="alert('1')">&"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
        assert_eq!(escape("茶 & tea"), "茶 &amp; tea");
    }

    #[test]
    fn only_web_links_are_followed() {
        for ok in [
            "https://brand.example/login",
            "HTTP://brand.example",
            "/login?next=/a:b",
            "login",
            "#signin",
        ] {
            assert!(safe_href(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "",
            "  ",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn escaped_text_holds_no_markup(text in any::<String>()) {
            let out = escape(&text);
            prop_assert!(!out.contains(['<', '>', '"', '\'']));
            // Every `&` starts one of the five entities.
            for (i, _) in out.match_indices('&') {
                let rest = &out[i..];
                prop_assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|e| rest.starts_with(e)));
            }
        }
    }
}
