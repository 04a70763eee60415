//! The widget's first view as HTML: the community's home as the app draws it for a visitor
//! (the header, the section tabs, the check-in card, the discussions with their topic tabs
//! and the first page of threads), with the same elements, classes, roles and test ids.
//! The worker sends it with the stylesheet (`GET …/first-view`), `embed.js` shows it in the
//! shadow root, and the app, loaded when the member reaches for the widget, takes its
//! place once its own first view is ready; a click made meanwhile is replayed on the same
//! element of the app. A browser test (tests/browser/first-view.test.mjs) holds this markup
//! equal to the app's.

use quanzi_core::api::CommunityView;
use quanzi_core::community::Locale;
use quanzi_core::talk::ThreadKind;
use quanzi_core::talk::wire::{ThreadCardView, ThreadListView, TopicView};

use crate::html::{escape, safe_href};
use crate::{Avatar, BUBBLE, HEART, Section, Text, scheme_attr};

/// What the home's first view shows.
#[derive(Clone, Debug)]
pub struct Home<'a> {
    pub community: &'a CommunityView,
    /// The topics, or `None` when they could not be read (only All and Featured show).
    pub topics: Option<&'a [TopicView]>,
    /// The first page of the feed, or `None` when it could not be read (placeholders show,
    /// as while the app loads it).
    pub feed: Option<&'a ThreadListView>,
    /// The page's language (`data-locale`, `<html lang>`, the browser's), if it names one
    /// the widget speaks; else the community's.
    pub page_locale: Option<Locale>,
    /// Milliseconds since the epoch ("5 min ago").
    pub now_ms: i64,
    /// Where the brand signs members in (`data-login-url`).
    pub login_url: Option<&'a str>,
    /// The page has handed over a member's token: the member's own parts (the check-in
    /// card) show as loading, not as an invitation to sign in.
    pub signed_in: bool,
}

/// The stylesheet the first view needs: the widget's styles and the community's theme.
pub fn css(community: &CommunityView) -> String {
    let mut css = crate::STYLE.to_owned();
    css.push_str(&crate::theme_rule(&community.theme));
    css
}

/// The home's first view: one `<section class="qz-root">`, as the app draws it.
pub fn home(home: &Home<'_>) -> String {
    let c = home.community;
    let locale = home.page_locale.unwrap_or(c.locale);
    let t = Text(locale);
    let mut out = String::with_capacity(8 * 1024);
    out.push_str(&format!(
        r#"<section class="qz-root" data-testid="quanzi-widget" lang="{}" data-scheme="{}" aria-busy="false">"#,
        if locale == Locale::ZhCn { "zh-CN" } else { "en" },
        scheme_attr(c.theme.scheme),
    ));
    out.push_str(r#"<header class="qz-header"><div class="qz-header-text">"#);
    out.push_str(&format!(
        r#"<h2 class="qz-title" data-testid="community-name">{}</h2>"#,
        escape(&c.name)
    ));
    if !c.slogan.is_empty() {
        out.push_str(&format!(
            r#"<p class="qz-slogan">{}</p>"#,
            escape(&c.slogan)
        ));
    }
    out.push_str("</div></header>");
    sections(&mut out, t, c);
    out.push_str(r#"<div class="qz-section" id="qz-section" role="tabpanel" aria-labelledby="qz-section-tab-0" data-section="home">"#);
    if c.features.checkin {
        checkin(&mut out, t, home);
    }
    if c.features.talk {
        talk(&mut out, t, home);
    }
    out.push_str("</div>");
    out.push_str(&format!(
        r#"<footer class="qz-footer">{}</footer></section>"#,
        t.powered_by()
    ));
    out
}

fn sections(out: &mut String, t: Text, c: &CommunityView) {
    out.push_str(&format!(
        r#"<nav class="qz-nav"><div class="qz-tablist qz-sections" role="tablist" aria-label="{}">"#,
        escape(t.sections_label())
    ));
    for (i, s) in Section::all(c.features).into_iter().enumerate() {
        let on = i == 0;
        out.push_str(&format!(
            r#"<button type="button" role="tab" class="qz-mtab" id="qz-section-tab-{i}" data-tab="{}" aria-selected="{on}" aria-controls="qz-section" tabindex="{}">"#,
            s.key(),
            if on { "0" } else { "-1" },
        ));
        out.push_str(&format!(
            r#"<svg class="qz-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="{}"></path></svg>"#,
            s.icon().path()
        ));
        out.push_str(&format!(
            r#"<span class="qz-mtab-label">{}</span></button>"#,
            escape(s.label(t))
        ));
    }
    out.push_str("</div></nav>");
}

fn checkin(out: &mut String, t: Text, home: &Home<'_>) {
    out.push_str(r#"<section class="qz-card qz-checkin" data-testid="checkin-card" aria-labelledby="qz-checkin-title">"#);
    out.push_str(&format!(
        r#"<h3 class="qz-card-title" id="qz-checkin-title">{}</h3>"#,
        escape(t.daily_check_in())
    ));
    if home.signed_in {
        out.push_str(SKELETON);
    } else {
        out.push_str(&format!(
            r#"<p class="qz-muted" data-testid="checkin-signed-out">{}</p>"#,
            escape(t.sign_in_to_check_in())
        ));
        if let Some(href) = home.login_url.and_then(safe_href) {
            out.push_str(&format!(
                r#"<a class="qz-button" href="{}" target="_top">{}</a>"#,
                escape(href),
                escape(t.sign_in())
            ));
        }
    }
    out.push_str(r#"<p class="qz-live" role="status" aria-live="polite" data-testid="checkin-result"></p></section>"#);
}

/// Grey bars where the member's own part is about to appear.
const SKELETON: &str = r#"<div class="qz-skeleton" role="status"><div class="qz-bar qz-bar-title"></div><div class="qz-bar"></div></div>"#;

fn talk(out: &mut String, t: Text, home: &Home<'_>) {
    out.push_str(r#"<section class="qz-card qz-talk" data-testid="talk" aria-labelledby="qz-talk-title"><div class="qz-talk-home"><div class="qz-talk-head">"#);
    out.push_str(&format!(
        r#"<h3 class="qz-card-title" id="qz-talk-title" tabindex="-1">{}</h3>"#,
        escape(t.discussions())
    ));
    out.push_str(&format!(
        r#"<button type="button" class="qz-button" data-testid="new-thread" aria-expanded="false">{}</button></div>"#,
        escape(t.new_thread())
    ));
    out.push_str(&format!(
        r#"<div class="qz-tabs" role="tablist" aria-label="{}" aria-busy="false">"#,
        escape(t.talk_topics())
    ));
    let topics = home.topics.unwrap_or_default();
    let tabs = [
        ("all".to_owned(), t.all_threads().to_owned()),
        ("featured".to_owned(), t.feed_featured().to_owned()),
    ]
    .into_iter()
    .chain(topics.iter().map(|tv| (tv.id.to_string(), tv.name.clone())));
    for (i, (id, name)) in tabs.enumerate() {
        let on = i == 0;
        out.push_str(&format!(
            r#"<button type="button" role="tab" class="qz-tab" data-testid="tab-{}" aria-selected="{on}" tabindex="{}">{}</button>"#,
            escape(&id),
            if on { "0" } else { "-1" },
            escape(&name),
        ));
    }
    out.push_str(r#"</div><div role="tabpanel" aria-labelledby="qz-talk-title">"#);
    match home.feed {
        None => {
            out.push_str(&format!(
                r#"<div class="qz-skeleton qz-card-skeletons" role="status" data-testid="feed-loading"><span class="qz-visually-hidden">{}</span>"#,
                escape(t.talk_loading())
            ));
            for _ in 0..3 {
                out.push_str(r#"<div class="qz-skeleton-card"><div class="qz-bar qz-bar-title"></div><div class="qz-bar"></div></div>"#);
            }
            out.push_str("</div>");
        }
        Some(feed) if feed.threads.is_empty() => {
            out.push_str(&format!(
                r#"<div class="qz-empty" data-testid="feed-empty"><p class="qz-empty-title">{}</p><p class="qz-muted">{}</p></div>"#,
                escape(t.no_threads()),
                escape(t.no_threads_hint())
            ));
        }
        Some(feed) => {
            out.push_str(&format!(
                r#"<ul class="qz-thread-list" role="list" aria-label="{}">"#,
                escape(t.threads_label())
            ));
            for card in &feed.threads {
                thread_card(out, t, card, topics, home.now_ms);
            }
            out.push_str("</ul>");
            if feed.next.is_some() {
                out.push_str(&format!(
                    r#"<button type="button" class="qz-button qz-button-quiet qz-more" data-testid="feed-more">{}</button>"#,
                    escape(t.feed_more())
                ));
            }
            out.push_str(r#"<p class="qz-inline-error" role="alert"></p>"#);
        }
    }
    out.push_str(r#"</div></div><p class="qz-visually-hidden" role="status" aria-live="polite" data-testid="talk-status"></p></section>"#);
}

fn thread_card(out: &mut String, t: Text, card: &ThreadCardView, topics: &[TopicView], now: i64) {
    out.push_str(&format!(
        r#"<li class="qz-thread-card{}" data-testid="thread-card" data-thread="{}" aria-busy="false"><div class="qz-card-badges">"#,
        if card.pinned { " qz-pinned" } else { "" },
        escape(card.id.as_str()),
    ));
    let question = card.kind == ThreadKind::Question;
    for (on, class, label) in [
        (card.pinned, "qz-badge-pin", t.badge_pinned()),
        (card.featured, "qz-badge-feature", t.feed_featured()),
        (
            question && card.answered,
            "qz-badge-answered",
            t.badge_answered(),
        ),
        (
            question && !card.answered,
            "qz-badge-question",
            t.badge_question(),
        ),
        (card.locked, "qz-badge-locked", t.badge_locked()),
    ] {
        if on {
            out.push_str(&format!(
                r#"<span class="qz-badge {class}">{}</span>"#,
                escape(label)
            ));
        }
    }
    out.push_str(&format!(
        r#"</div><h4 class="qz-thread-title"><button type="button" class="qz-thread-open">{}</button></h4>"#,
        escape(card.title.as_deref().unwrap_or_default())
    ));
    let author = card
        .author
        .as_ref()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let avatar = Avatar::of(&author);
    out.push_str(&format!(
        r#"<div class="qz-thread-meta"><span class="{}" aria-hidden="true">{}</span><span class="qz-author">{}</span>"#,
        avatar.class(),
        escape(&avatar.initial),
        escape(&author)
    ));
    let topic = card
        .topic
        .as_ref()
        .and_then(|id| topics.iter().find(|tv| &tv.id == id));
    if let Some(topic) = topic {
        out.push_str(&format!(
            r#"<span class="qz-chip">{}</span>"#,
            escape(&topic.name)
        ));
    }
    out.push_str(&format!(
        r#"<span class="qz-muted">{}</span><span class="qz-stats">"#,
        escape(&t.ago(now, card.last_activity_at.0))
    ));
    stat(
        out,
        BUBBLE,
        card.reply_count,
        &t.replies_count(card.reply_count),
    );
    let reactions = card.reactions.total();
    if reactions > 0 {
        stat(out, HEART, reactions, &t.reactions_count(reactions));
    }
    out.push_str("</span></div></li>");
}

fn stat(out: &mut String, icon: &str, n: u32, said: &str) {
    out.push_str(&format!(
        r#"<span class="qz-stat" aria-hidden="true"><svg class="qz-icon" viewBox="0 0 24 24" width="15" height="15" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"><path d="{icon}"></path></svg>{n}</span><span class="qz-visually-hidden">{}</span>"#,
        escape(said)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use quanzi_core::talk::ThreadId;

    fn community(json: serde_json::Value) -> CommunityView {
        let mut base = serde_json::json!({
            "slug": "tea", "name": "Tea <club>", "slogan": "Every cup", "locale": "zh-CN",
            "time_zone": "Asia/Shanghai", "theme": {"accent": "#2f6f4f", "radius": 8, "scheme": "auto"},
        });
        if let (Some(base), Some(more)) = (base.as_object_mut(), json.as_object()) {
            base.extend(more.clone());
        }
        serde_json::from_value(base).unwrap()
    }

    fn card(id: &str, title: &str) -> ThreadCardView {
        serde_json::from_value(serde_json::json!({
            "id": id, "kind": "question", "topic": "oolong", "page": null, "author": "li",
            "title": title, "pinned": true, "featured": false, "locked": false,
            "answered": false, "reply_count": 2, "reactions": {},
            "created_at": 0, "last_activity_at": 0,
        }))
        .unwrap()
    }

    fn render(c: &CommunityView, feed: Option<&ThreadListView>, signed_in: bool) -> String {
        let topics: Vec<TopicView> = serde_json::from_value(serde_json::json!([
            {"id": "oolong", "name": "乌龙 & co", "description": "", "member_count": 1, "joined": false}
        ]))
        .unwrap();
        home(&Home {
            community: c,
            topics: Some(&topics),
            feed,
            page_locale: None,
            now_ms: 3 * 60_000,
            login_url: Some("javascript:alert(1)"),
            signed_in,
        })
    }

    #[test]
    fn members_text_is_escaped_and_bad_links_dropped() {
        let c = community(serde_json::json!({}));
        let feed = ThreadListView {
            threads: vec![card(
                ThreadId::parse("t1").unwrap().as_str(),
                "<script>x</script>",
            )],
            next: None,
        };
        let html = render(&c, Some(&feed), false);
        assert!(html.contains("Tea &lt;club&gt;"));
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(html.contains("乌龙 &amp; co"));
        assert!(!html.contains("<script"));
        assert!(
            !html.contains("javascript:"),
            "the sign-in link is not drawn"
        );
        assert!(html.contains(r#"lang="zh-CN""#));
        assert!(html.contains(">3 分钟前<"), "{html}");
        assert!(html.contains(r#"<span class="qz-badge qz-badge-pin">置顶</span>"#));
        assert!(html.contains(r#"<span class="qz-badge qz-badge-question">问答</span>"#));
        assert!(html.contains(r#"<span class="qz-visually-hidden">2 条回复</span>"#));
    }

    #[test]
    fn the_features_decide_the_parts() {
        let c = community(serde_json::json!({
            "features": {"talk": false, "checkin": true, "events": false, "rewards": false}
        }));
        let html = render(&c, None, false);
        assert!(!html.contains(r#"data-testid="talk""#));
        assert!(html.contains(r#"data-testid="checkin-signed-out""#));
        assert!(!html.contains(r#"data-tab="events""#));
        assert_eq!(html.matches(r#"role="tab""#).count(), 3);
    }

    #[test]
    fn a_signed_in_member_sees_their_card_loading_not_a_sign_in_prompt() {
        let c = community(serde_json::json!({}));
        let html = render(&c, None, true);
        assert!(!html.contains("checkin-signed-out"));
        assert!(html.contains(r#"class="qz-skeleton""#));
    }

    #[test]
    fn the_page_language_wins_over_the_community_s() {
        let c = community(serde_json::json!({}));
        let html = home(&Home {
            community: &c,
            topics: None,
            feed: Some(&ThreadListView {
                threads: vec![],
                next: None,
            }),
            page_locale: Some(Locale::En),
            now_ms: 0,
            login_url: Some("https://brand.example/login?a=1&b=2"),
            signed_in: false,
        });
        assert!(html.contains(r#"lang="en""#));
        assert!(html.contains("No threads here yet"));
        assert!(html.contains(r#"href="https://brand.example/login?a=1&amp;b=2""#));
        assert!(css(&c).ends_with("px}"));
    }
}
