//! The sanitiser's output is parsed again by an independent HTML tokenizer (html5ever's,
//! the parser browsers' algorithm is specified by) and every tag and attribute is checked
//! against what a post may hold: the corpus of attack payloads the browser tests post, and
//! random mixes of their pieces with markdown syntax and arbitrary text.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use proptest::prelude::*;

use super::to_safe_html;

/// The elements a rendered post may contain: text-level and layout elements that run
/// nothing and load nothing by themselves (no script, style, frame, form, embed, svg, math,
/// base or meta).
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// The attributes that hold a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "action", "formaction", "xlink:href"];

/// A start tag: its name and its attributes' names and values.
type StartTag = (String, Vec<(String, String)>);

#[derive(Default)]
struct Tags(RefCell<Vec<StartTag>>);

impl TokenSink for Tags {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let attrs = tag
                .attrs
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            self.0.borrow_mut().push((tag.name.to_string(), attrs));
        }
        TokenSinkResult::Continue
    }
}

/// Every start tag of `html` with its attributes, as a browser's tokenizer reads them.
fn start_tags(html: &str) -> Vec<StartTag> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Tags::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// Why `html` is not safe to put in a brand's page, if it is not.
fn danger(html: &str) -> Option<String> {
    for (name, attrs) in start_tags(html) {
        if !ELEMENTS.contains(&name.as_str()) {
            return Some(format!("element <{name}>"));
        }
        for (attr, value) in &attrs {
            let lower = attr.to_ascii_lowercase();
            if lower.starts_with("on") || ["style", "srcdoc", "srcset"].contains(&lower.as_str()) {
                return Some(format!("attribute {attr} on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&lower.as_str()) {
                // Browsers drop ASCII whitespace and controls inside a scheme.
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let safe = ["https://", "http://", "mailto:"]
                    .iter()
                    .any(|scheme| squeezed.starts_with(scheme));
                if !safe {
                    return Some(format!("{attr}={value:?} on <{name}>"));
                }
            }
        }
        let has_href = attrs.iter().any(|(k, _)| k == "href");
        let rel = attrs
            .iter()
            .find(|(k, _)| k == "rel")
            .map(|(_, v)| v.as_str());
        if name == "a" && has_href && !rel.is_some_and(|r| r.contains("noopener")) {
            return Some("a link without rel=noopener".to_owned());
        }
    }
    None
}

fn corpus() -> Vec<String> {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/fixtures/xss.json")).unwrap();
    fixture["payloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["payload"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_checker_catches_what_it_is_for() {
    // The check itself must be able to fail: raw attacks, as a browser would read them.
    for raw in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\"/relative\">x</a>",
        "<p style=\"background:url(x)\">x</p>",
        "<svg><a xlink:href=\"javascript:x\">y</a></svg>",
        "<iframe srcdoc=\"x\"></iframe>",
        "<a href=\"https://x.example\">no rel</a>",
    ] {
        assert!(danger(raw).is_some(), "{raw} passed the check");
    }
    assert_eq!(
        danger("<p><a href=\"https://x.example\" rel=\"noopener\">x</a> &lt;script&gt;</p>"),
        None
    );
}

#[test]
fn every_corpus_payload_renders_safe() {
    let corpus = corpus();
    assert!(corpus.len() >= 60, "{} payloads", corpus.len());
    for payload in corpus {
        let html = to_safe_html(&payload);
        assert_eq!(danger(&html), None, "payload {payload:?} rendered {html:?}");
    }
}

#[test]
fn markdown_still_renders() {
    let html = to_safe_html(
        "**bold** [site](https://tea.example) ![cup](https://img.example/c.png)\n\n| a |\n|---|\n| b |",
    );
    assert!(html.contains("<strong>bold</strong>"), "{html}");
    assert!(
        html.contains(
            "<a href=\"https://tea.example\" rel=\"noopener noreferrer nofollow ugc\">site</a>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"https://img.example/c.png\""),
        "{html}"
    );
    assert!(html.contains("<table>"), "{html}");
}

/// Pieces of attacks, of markdown and of HTML syntax, glued in random order.
fn piece() -> impl Strategy<Value = String> {
    let corpus = corpus();
    prop_oneof![
        proptest::sample::select(corpus),
        proptest::sample::select(vec![
            "<",
            ">",
            "\"",
            "'",
            "`",
            "&",
            "&#",
            "&#x",
            ";",
            "=",
            "/",
            "\\",
            ":",
            "(",
            ")",
            "[",
            "]",
            "!",
            "*",
            "_",
            "~~",
            "|",
            "\n",
            "\n\n",
            "    ",
            "\t",
            "\0",
            "\u{202e}",
            "javascript",
            "java\tscript",
            "JaVaScRiPt",
            "data",
            "vbscript",
            "http",
            "//",
            "script",
            "svg",
            "math",
            "iframe",
            "img",
            "a",
            "href",
            "src",
            "onerror",
            "onload",
            "style",
            "xlink:href",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<a href=",
            "](",
            "![x](",
            "[x]: ",
            "<https://",
            "mailto:",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_mix_of_attack_pieces_renders_safe(pieces in proptest::collection::vec(piece(), 0..24)) {
        let markdown = pieces.concat();
        let html = to_safe_html(&markdown);
        prop_assert_eq!(danger(&html), None, "{:?} rendered {:?}", markdown, html);
    }

    #[test]
    fn sanitising_twice_changes_nothing(pieces in proptest::collection::vec(piece(), 0..16)) {
        let html = to_safe_html(&pieces.concat());
        prop_assert_eq!(super::sanitiser().clean(&html).to_string(), html);
    }
}
