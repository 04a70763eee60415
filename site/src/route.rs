//! Where the dashboard is: a route kept in the URL's hash (`#/c/acme/events/e1`), so every
//! screen has a link, the back button works, and the worker serves one page.

use leptos::prelude::*;
use quanzi_core::ids::CommunitySlug;

/// A step of the guided setup, in the order a new community takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Basics,
    Joining,
    Origins,
    Keys,
    Theme,
    Embed,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Basics,
        Step::Joining,
        Step::Origins,
        Step::Keys,
        Step::Theme,
        Step::Embed,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Step::Basics => "basics",
            Step::Joining => "joining",
            Step::Origins => "origins",
            Step::Keys => "keys",
            Step::Theme => "theme",
            Step::Embed => "embed",
        }
    }

    fn parse(raw: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.slug() == raw)
    }

    /// Its place in [`Step::ALL`], from 0.
    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    pub fn previous(self) -> Option<Step> {
        self.index()
            .checked_sub(1)
            .and_then(|i| Step::ALL.get(i).copied())
    }
}

/// The tabs of the moderation section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModTab {
    Queue,
    Bans,
    Audit,
}

impl ModTab {
    pub const ALL: [ModTab; 3] = [ModTab::Queue, ModTab::Bans, ModTab::Audit];

    pub fn slug(self) -> &'static str {
        match self {
            ModTab::Queue => "queue",
            ModTab::Bans => "bans",
            ModTab::Audit => "audit",
        }
    }
}

/// The tabs of the gamification section: points and check-in, levels, badges, rewards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GameTab {
    Points,
    Levels,
    Badges,
    Rewards,
}

impl GameTab {
    pub const ALL: [GameTab; 4] = [
        GameTab::Points,
        GameTab::Levels,
        GameTab::Badges,
        GameTab::Rewards,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            GameTab::Points => "points",
            GameTab::Levels => "levels",
            GameTab::Badges => "badges",
            GameTab::Rewards => "rewards",
        }
    }
}

/// What the events section shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventsView {
    List,
    New,
    /// One event: its attendees, code and actions.
    One(String),
    Edit(String),
}

/// A section of a community's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Section {
    Setup(Step),
    Moderation(ModTab),
    Events(EventsView),
    Members,
    Insight,
    Gamification(GameTab),
    Topics,
    Webhooks,
    /// Automations: triggers, segments, actions and their run logs.
    Automations,
    /// The teammates, their roles and the invites.
    Team,
    /// The community's data: the export as one file, an import into a fresh community.
    Data,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The marketer's communities, and creating one.
    Home,
    /// The marketer's own account: password.
    Account,
    Community {
        slug: CommunitySlug,
        section: Section,
    },
    /// An invite link to join `slug`'s team: `#/invite/{slug}/{token}`.
    Invite { slug: CommunitySlug, token: String },
    /// A hash that names nothing.
    NotFound,
}

impl Route {
    /// Reads `#/…` (the leading `#` optional).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => Route::Home,
            ["account"] => Route::Account,
            ["invite", slug, token] => match CommunitySlug::parse(slug) {
                Ok(slug) => Route::Invite {
                    slug,
                    token: (*token).to_owned(),
                },
                Err(_) => Route::NotFound,
            },
            ["c", slug, rest @ ..] => {
                let Ok(slug) = CommunitySlug::parse(slug) else {
                    return Route::NotFound;
                };
                let section = match rest {
                    [] | ["setup"] => Section::Setup(Step::Basics),
                    ["setup", step] => match Step::parse(step) {
                        Some(step) => Section::Setup(step),
                        None => return Route::NotFound,
                    },
                    ["moderation"] => Section::Moderation(ModTab::Queue),
                    ["moderation", tab] => {
                        match ModTab::ALL.into_iter().find(|t| t.slug() == *tab) {
                            Some(tab) => Section::Moderation(tab),
                            None => return Route::NotFound,
                        }
                    }
                    ["events"] => Section::Events(EventsView::List),
                    ["events", "new"] => Section::Events(EventsView::New),
                    ["events", id] => Section::Events(EventsView::One((*id).to_owned())),
                    ["events", id, "edit"] => Section::Events(EventsView::Edit((*id).to_owned())),
                    ["members"] => Section::Members,
                    ["insight"] => Section::Insight,
                    ["gamification"] => Section::Gamification(GameTab::Points),
                    ["gamification", tab] => {
                        match GameTab::ALL.into_iter().find(|t| t.slug() == *tab) {
                            Some(tab) => Section::Gamification(tab),
                            None => return Route::NotFound,
                        }
                    }
                    ["topics"] => Section::Topics,
                    ["webhooks"] => Section::Webhooks,
                    ["automations"] => Section::Automations,
                    ["team"] => Section::Team,
                    ["data"] => Section::Data,
                    _ => return Route::NotFound,
                };
                Route::Community { slug, section }
            }
            _ => Route::NotFound,
        }
    }

    /// The hash of this route, `#/…`.
    pub fn href(&self) -> String {
        match self {
            Route::Home | Route::NotFound => "#/".to_owned(),
            Route::Account => "#/account".to_owned(),
            Route::Invite { slug, token } => format!("#/invite/{slug}/{token}"),
            Route::Community { slug, section } => {
                let tail = match section {
                    Section::Setup(step) => format!("setup/{}", step.slug()),
                    Section::Moderation(tab) => format!("moderation/{}", tab.slug()),
                    Section::Events(EventsView::List) => "events".to_owned(),
                    Section::Events(EventsView::New) => "events/new".to_owned(),
                    Section::Events(EventsView::One(id)) => format!("events/{id}"),
                    Section::Events(EventsView::Edit(id)) => format!("events/{id}/edit"),
                    Section::Members => "members".to_owned(),
                    Section::Insight => "insight".to_owned(),
                    Section::Gamification(tab) => format!("gamification/{}", tab.slug()),
                    Section::Topics => "topics".to_owned(),
                    Section::Webhooks => "webhooks".to_owned(),
                    Section::Automations => "automations".to_owned(),
                    Section::Team => "team".to_owned(),
                    Section::Data => "data".to_owned(),
                };
                format!("#/c/{slug}/{tail}")
            }
        }
    }

    /// The route of a section of `slug`'s page.
    pub fn community(slug: &CommunitySlug, section: Section) -> Route {
        Route::Community {
            slug: slug.clone(),
            section,
        }
    }
}

fn current() -> Route {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Route::parse(&hash)
}

/// The current route, following the URL as links are followed and the back button is used.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(current());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(current());
    });
    on_cleanup(move || handle.remove());
    route
}

/// Goes to `route` (a history entry, as a link would).
pub fn navigate(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&route.href());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_reads_back_from_its_own_link() {
        let slug = CommunitySlug::parse("acme-tea").unwrap();
        let mut routes = vec![
            Route::Home,
            Route::Account,
            Route::Invite {
                slug: slug.clone(),
                token: "0a".repeat(32),
            },
        ];
        let mut sections: Vec<Section> = Step::ALL.into_iter().map(Section::Setup).collect();
        sections.extend(ModTab::ALL.into_iter().map(Section::Moderation));
        sections.extend([
            Section::Events(EventsView::List),
            Section::Events(EventsView::New),
            Section::Events(EventsView::One("e1".into())),
            Section::Events(EventsView::Edit("e1".into())),
            Section::Members,
            Section::Insight,
            Section::Topics,
            Section::Webhooks,
            Section::Automations,
            Section::Team,
            Section::Data,
        ]);
        sections.extend(GameTab::ALL.into_iter().map(Section::Gamification));
        routes.extend(sections.into_iter().map(|s| Route::community(&slug, s)));
        for route in routes {
            assert_eq!(Route::parse(&route.href()), route, "{}", route.href());
        }
    }

    #[test]
    fn short_and_bad_hashes() {
        let acme = CommunitySlug::parse("acme").unwrap();
        let cases = [
            ("", Route::Home),
            ("#", Route::Home),
            ("#/", Route::Home),
            (
                "#/c/acme",
                Route::community(&acme, Section::Setup(Step::Basics)),
            ),
            (
                "#/c/acme/moderation",
                Route::community(&acme, Section::Moderation(ModTab::Queue)),
            ),
            ("#/c/ACME", Route::NotFound),
            ("#/c/acme/setup/nope", Route::NotFound),
            ("#/elsewhere", Route::NotFound),
            ("#/invite/ACME/abc", Route::NotFound),
            ("#/invite/acme", Route::NotFound),
        ];
        for (hash, want) in cases {
            assert_eq!(Route::parse(hash), want, "{hash:?}");
        }
    }

    #[test]
    fn steps_go_forward_and_back() {
        assert_eq!(Step::Basics.previous(), None);
        assert_eq!(Step::Basics.next(), Some(Step::Joining));
        assert_eq!(Step::Embed.next(), None);
        assert_eq!(Step::Embed.previous(), Some(Step::Theme));
    }
}
