//! Markdown to safe HTML, once, on write: `pulldown-cmark` renders (CommonMark with tables
//! and strikethrough), `ammonia` sanitises. What survives is ammonia's allowlist: no
//! `<script>`, `<style>` or `<iframe>`, no `on*` event handler attributes, and link and
//! image URLs only absolute and with safe schemes (never `javascript:`, never relative).
//! Links get `rel="noopener noreferrer nofollow ugc"`: members' links are user content.

use pulldown_cmark::{Options, Parser, html};
use quanzi_core::talk::{Body, BodyText};

/// The post body core stores: the source and its sanitised HTML.
pub fn render(markdown: BodyText) -> Body {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.as_str().len() * 3 / 2);
    html::push_html(
        &mut unsafe_html,
        Parser::new_ext(markdown.as_str(), options),
    );
    let rendered_html = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow ugc"))
        // A post is drawn on the brand's pages: a relative `src` or `href` would make every
        // reader's browser request a URL of the brand's own site (`![](/account/logout)`).
        .url_relative(ammonia::UrlRelative::Deny)
        .clean(&unsafe_html)
        .to_string();
    Body {
        markdown,
        rendered_html,
    }
}
