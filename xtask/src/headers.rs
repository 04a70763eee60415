//! The dashboard's Content Security Policy, written into `dist/public/_headers`.
//!
//! The policy allows scripts only from the worker's own origin, WebAssembly compilation
//! (`'wasm-unsafe-eval'`), and the one inline boot script of `dashboard/index.html`, by its
//! SHA-256 (computed from the built file, so a changed file name never breaks the page).
//! Styles may be inline: the page's own `<style>` block, Leptos `style` attributes, and the
//! widget in the theme preview frame (a `srcdoc` frame inherits this policy), whose styles
//! live in its shadow root. Nothing may frame the dashboard.

use std::fs;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::Result;

/// Where `_headers` (see `build::HEADERS`) takes the dashboard's policy.
const PLACEHOLDER: &str = "__DASHBOARD_CSP__";

/// `headers` with the dashboard's policy for `public/dashboard/index.html` filled in.
pub fn with_dashboard_csp(headers: &str, public: &Path) -> Result<String> {
    let index = fs::read_to_string(public.join("dashboard/index.html"))?;
    Ok(headers.replace(PLACEHOLDER, &dashboard_csp(&index)?))
}

/// The dashboard's policy for the page `index`.
fn dashboard_csp(index: &str) -> Result<String> {
    let hashes: Vec<String> = inline_scripts(index)
        .map(|script| {
            format!(
                "'sha256-{}'",
                STANDARD.encode(Sha256::digest(script.as_bytes()))
            )
        })
        .collect();
    if hashes.is_empty() {
        return Err("dashboard/index.html has no inline boot script to allow".into());
    }
    Ok(format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' https:; connect-src 'self'; \
         frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
        hashes.join(" ")
    ))
}

/// The text of each `<script>` without a `src` in `html`, exactly as the browser hashes it.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|tail| {
        let (attributes, rest) = tail.split_once('>')?;
        let (body, _) = rest.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_each_inline_script_and_skips_external_ones() {
        let html = r#"<script src="a.js"></script><script type="module">boot()</script>"#;
        let csp = dashboard_csp(html).unwrap();
        let want = STANDARD.encode(Sha256::digest(b"boot()"));
        assert!(csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{want}';"
        )));
        assert!(csp.ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn a_page_without_an_inline_script_is_an_error() {
        assert!(dashboard_csp(r#"<script src="a.js"></script>"#).is_err());
    }
}
