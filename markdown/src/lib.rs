//! Markdown to safe HTML, once, on write: `pulldown-cmark` renders (CommonMark with tables
//! and strikethrough), `ammonia` sanitises. What survives is ammonia's allowlist: no
//! `<script>`, `<style>` or `<iframe>`, no `on*` event handler attributes, and link and
//! image URLs only absolute and with safe schemes (never `javascript:`, never relative).
//! Links get `rel="noopener noreferrer nofollow ugc"`: members' links are user content.

use pulldown_cmark::{Options, Parser, html};
use quanzi_core::talk::{Body, BodyText};

/// The post body core stores: the source and its sanitised HTML.
pub fn render(markdown: BodyText) -> Body {
    let rendered_html = to_safe_html(markdown.as_str());
    Body {
        markdown,
        rendered_html,
    }
}

/// Renders `markdown` and sanitises the result.
fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    sanitiser().clean(&unsafe_html).to_string()
}

fn sanitiser() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer nofollow ugc"))
        // A post is drawn on the brand's pages: a relative `src` or `href` would make every
        // reader's browser request a URL of the brand's own site (`![](/account/logout)`).
        .url_relative(ammonia::UrlRelative::Deny);
    builder
}

#[cfg(test)]
mod tests;
