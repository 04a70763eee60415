//! A draft's preview, rendered in the widget while the member writes. The worker renders
//! the real post (full Markdown, sanitised) on write; this covers what members use most —
//! paragraphs, headings, lists, quotes, code, **strong**, *emphasis*, `code` and links —
//! in a few hundred bytes of wasm instead of a Markdown crate. It builds text nodes only,
//! so no draft can inject markup.

use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Em(String),
    Code(String),
    /// A link's text and, when it is `http(s)`, its target.
    Link(String, Option<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(Vec<Inline>),
    Para(Vec<Inline>),
    Item(Vec<Inline>),
    Quote(Vec<Inline>),
    Code(String),
}

/// Splits `src` into blocks, line by line.
pub fn blocks(src: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    let flush = |para: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Para(inlines(&para.join("\n"))));
            para.clear();
        }
    };
    for line in src.lines() {
        let trimmed = line.trim_start();
        if let Some(lines) = code.as_mut() {
            if trimmed.starts_with("```") {
                out.push(Block::Code(lines.join("\n")));
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        if trimmed.starts_with("```") {
            flush(&mut para, &mut out);
            code = Some(Vec::new());
        } else if trimmed.is_empty() {
            flush(&mut para, &mut out);
        } else if let Some(rest) = trimmed.strip_prefix('#') {
            flush(&mut para, &mut out);
            out.push(Block::Heading(inlines(rest.trim_start_matches('#').trim())));
        } else if let Some(rest) = ["- ", "* ", "+ "]
            .iter()
            .find_map(|p| trimmed.strip_prefix(p))
        {
            flush(&mut para, &mut out);
            out.push(Block::Item(inlines(rest)));
        } else if let Some(rest) = trimmed.strip_prefix('>') {
            flush(&mut para, &mut out);
            out.push(Block::Quote(inlines(rest.trim_start())));
        } else {
            para.push(line);
        }
    }
    if let Some(lines) = code {
        out.push(Block::Code(lines.join("\n")));
    }
    flush(&mut para, &mut out);
    out
}

/// `**strong**`, `*em*` / `_em_`, `` `code` `` and `[text](url)`; anything unmatched stays text.
pub fn inlines(src: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = src;
    while let Some(c) = rest.chars().next() {
        let found = match c {
            '*' if rest.starts_with("**") => {
                span(&rest[2..], "**").map(|(s, r)| (Inline::Strong(s), r))
            }
            '*' | '_' => span(&rest[1..], &rest[..1]).map(|(s, r)| (Inline::Em(s), r)),
            '`' => span(&rest[1..], "`").map(|(s, r)| (Inline::Code(s), r)),
            '[' => link(rest),
            _ => None,
        };
        match found {
            Some((inline, after)) => {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(inline);
                rest = after;
            }
            None => {
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

/// The non-empty text up to `close`, and what follows it.
fn span<'a>(src: &'a str, close: &str) -> Option<(String, &'a str)> {
    let end = src.find(close).filter(|&e| e > 0)?;
    Some((src[..end].to_owned(), &src[end + close.len()..]))
}

fn link(src: &str) -> Option<(Inline, &str)> {
    let close = src.find("](")?;
    let end = src[close..].find(')')? + close;
    let text = src[1..close].to_owned();
    let url = src[close + 2..end].trim();
    let safe = (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_owned());
    Some((Inline::Link(text, safe), &src[end + 1..]))
}

fn render_inlines(parts: Vec<Inline>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| match part {
            Inline::Text(s) => s.into_any(),
            Inline::Strong(s) => view! { <strong>{s}</strong> }.into_any(),
            Inline::Em(s) => view! { <em>{s}</em> }.into_any(),
            Inline::Code(s) => view! { <code>{s}</code> }.into_any(),
            Inline::Link(s, href) => {
                view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{s}</a> }
                    .into_any()
            }
        })
        .collect_view()
}

/// The preview of `src`, as elements.
pub fn render(src: &str) -> impl IntoView {
    blocks(src)
        .into_iter()
        .map(|block| match block {
            Block::Heading(i) => view! { <p><strong>{render_inlines(i)}</strong></p> }.into_any(),
            Block::Para(i) => view! { <p>{render_inlines(i)}</p> }.into_any(),
            Block::Item(i) => view! { <ul><li>{render_inlines(i)}</li></ul> }.into_any(),
            Block::Quote(i) => view! { <blockquote>{render_inlines(i)}</blockquote> }.into_any(),
            Block::Code(s) => view! { <pre><code>{s}</code></pre> }.into_any(),
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn t(s: &str) -> Inline {
        Text(s.to_owned())
    }

    #[test]
    fn inline_marks() {
        let cases = [
            ("plain", vec![t("plain")]),
            ("a **b** c", vec![t("a "), Strong("b".into()), t(" c")]),
            (
                "*em* and _em_",
                vec![Em("em".into()), t(" and "), Em("em".into())],
            ),
            ("run `cargo`", vec![t("run "), Code("cargo".into())]),
            ("2 * 3 = 6", vec![t("2 * 3 = 6")]),
            ("**", vec![t("**")]),
            (
                "茶 **好** 喝",
                vec![t("茶 "), Strong("好".into()), t(" 喝")],
            ),
            (
                "[site](https://a.example) [bad](javascript:alert(1))",
                vec![
                    Link("site".into(), Some("https://a.example".into())),
                    t(" "),
                    Link("bad".into(), None),
                    t(")"),
                ],
            ),
        ];
        for (src, want) in cases {
            assert_eq!(inlines(src), want, "{src}");
        }
    }

    #[test]
    fn block_structure() {
        let src =
            "# Title\n\nfirst line\nsecond\n\n- one\n* two\n> quoted\n```\n<b>code</b>\n```\nend";
        assert_eq!(
            blocks(src),
            vec![
                Block::Heading(vec![t("Title")]),
                Block::Para(vec![t("first line\nsecond")]),
                Block::Item(vec![t("one")]),
                Block::Item(vec![t("two")]),
                Block::Quote(vec![t("quoted")]),
                Block::Code("<b>code</b>".into()),
                Block::Para(vec![t("end")]),
            ]
        );
        assert_eq!(
            blocks("```\nunclosed"),
            vec![Block::Code("unclosed".into())]
        );
        assert_eq!(blocks("  \n\n"), vec![]);
    }
}
