//! What the member widget shows that the worker draws too: the widget's words in zh-CN and
//! en ([`Text`]), its stylesheet and theme, its icons, and the HTML of its first view
//! ([`first_view`]), which the worker sends so that a page paints the widget before the
//! wasm app loads. The app and that HTML share everything here, so they cannot drift apart
//! in words or looks; a browser test holds their markup equal.
//!
//! Pure Rust over `quanzi-core`'s wire types: the widget (wasm in the browser) and the
//! worker (wasm on workerd) both depend on it, and its tests run natively.

pub mod first_view;
mod html;
pub mod text;

use quanzi_core::community::{ColorScheme, Features, Theme};

pub use text::Text;

/// All widget styles.
pub const STYLE: &str = include_str!("style.css");

/// The theme as one rule of custom properties on the widget's root: the accent and the text
/// colours derived from it, so any brand colour reads at AA on the light and the dark card.
pub fn theme_rule(theme: &Theme) -> String {
    let palette = quanzi_core::color::Palette::for_accent(&theme.accent);
    format!(
        ".qz-root{{--qz-accent:{};--qz-on-accent:{};--qz-ink-light:{};--qz-ink-dark:{};--qz-radius:{}px}}",
        palette.accent.hex(),
        palette.on_accent.hex(),
        palette.ink_light.hex(),
        palette.ink_dark.hex(),
        theme.radius
    )
}

/// The root's `data-scheme`: the community's choice (`auto` follows the page).
pub fn scheme_attr(scheme: ColorScheme) -> &'static str {
    match scheme {
        ColorScheme::Auto => "auto",
        ColorScheme::Light => "light",
        ColorScheme::Dark => "dark",
    }
}

/// `1234567` → `1,234,567`.
pub fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The line icons of the widget (24 × 24, drawn with the current colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Home,
    Calendar,
    Trophy,
    Gift,
    User,
    Bell,
    Medal,
    Ticket,
    Pin,
    Video,
    Clock,
    Check,
    Back,
    Users,
    Sparkle,
    Coin,
}

impl Icon {
    pub fn path(self) -> &'static str {
        match self {
            Self::Home => "M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z",
            Self::Calendar => "M4 5h16v16H4zM4 10h16M8 3v4M16 3v4",
            Self::Trophy => {
                "M8 4h8v5a4 4 0 0 1-8 0zM8 6H4.5v1A3.5 3.5 0 0 0 8 10.5M16 6h3.5v1A3.5 3.5 0 0 1 16 10.5M12 13v4M8 21h8M9.5 17h5l.5 4H9z"
            }
            Self::Gift => {
                "M3 8h18v4H3zM5 12v9h14v-9M12 8v13M12 8C11 4 7 3 7 5.5S10 8 12 8zm0 0c1-4 5-5 5-2.5S14 8 12 8z"
            }
            Self::User => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
            Self::Bell => "M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 20.5a2 2 0 0 0 4 0",
            Self::Medal => {
                "M12 22a6 6 0 1 0 0-12 6 6 0 0 0 0 12zM8.5 11 6 3h4l2 5M15.5 11 18 3h-4l-2 5M12 13.5l1 2 2 .3-1.5 1.4.4 2.1-1.9-1-1.9 1 .4-2.1L9 15.8l2-.3z"
            }
            Self::Ticket => "M3 7h18v3a2 2 0 0 0 0 4v3H3v-3a2 2 0 0 0 0-4zM15 7v2M15 11v2M15 15v2",
            Self::Pin => {
                "M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21zM12 12a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z"
            }
            Self::Video => "M3 7h12v10H3zM15 10.5l6-3v9l-6-3",
            Self::Clock => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2",
            Self::Check => "M5 12.5l4.5 4.5L19 7",
            Self::Back => "M15 5l-7 7 7 7",
            Self::Users => {
                "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21a7 7 0 0 1 14 0M16 3.5a4 4 0 0 1 0 7.5M22 21a7 7 0 0 0-4-6.3"
            }
            Self::Sparkle => "M12 3l2 6 6 2-6 2-2 6-2-6-6-2 6-2zM19 3v4M17 5h4",
            Self::Coin => {
                "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 16.5a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9z"
            }
        }
    }
}

/// A speech bubble and a heart: a thread card's replies and reactions (24 × 24).
pub const BUBBLE: &str = "M4 5h16v11H9l-5 4z";
pub const HEART: &str = "M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z";

/// An author's avatar: their initial on one of [`Avatar::TONES`] hues that follows the
/// name, so one member keeps one colour. The hue is a class (`qz-hue-{tone}`), not a
/// `style` attribute: a brand's Content Security Policy may forbid inline styles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Avatar {
    pub tone: u32,
    pub initial: String,
}

impl Avatar {
    /// Hues 15° apart; `style.css` has a `.qz-hue-{n}` rule for each.
    pub const TONES: u32 = 24;

    pub fn of(name: &str) -> Self {
        let tone = name
            .bytes()
            .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
            % Self::TONES;
        let initial = name
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        Self { tone, initial }
    }

    /// The avatar's classes.
    pub fn class(&self) -> String {
        format!("qz-avatar qz-hue-{}", self.tone)
    }
}

/// A part of the community, as a tab of the widget that holds the whole community
/// (社区 · 活动 · 排行 · 兑换 · 我的).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Events,
    Leaderboard,
    Rewards,
    Profile,
}

impl Section {
    /// `data-tab` and `data-section`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Home => "home",
            Self::Events => "events",
            Self::Leaderboard => "leaderboard",
            Self::Rewards => "rewards",
            Self::Profile => "profile",
        }
    }

    pub fn icon(self) -> Icon {
        match self {
            Self::Home => Icon::Home,
            Self::Events => Icon::Calendar,
            Self::Leaderboard => Icon::Trophy,
            Self::Rewards => Icon::Gift,
            Self::Profile => Icon::User,
        }
    }

    pub fn label(self, t: Text) -> &'static str {
        match self {
            Self::Home => t.tab_home(),
            Self::Events => t.tab_events(),
            Self::Leaderboard => t.tab_leaderboard(),
            Self::Rewards => t.tab_rewards(),
            Self::Profile => t.tab_profile(),
        }
    }

    /// The sections a community with `features` shows, in tab order.
    pub fn all(features: Features) -> Vec<Self> {
        [
            Some(Self::Home),
            features.events.then_some(Self::Events),
            Some(Self::Leaderboard),
            features.rewards.then_some(Self::Rewards),
            Some(Self::Profile),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_by_thousands() {
        let cases = [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1_000, "1,000"),
            (12_345, "12,345"),
            (1_234_567, "1,234,567"),
            (u64::MAX, "18,446,744,073,709,551,615"),
        ];
        for (n, written) in cases {
            assert_eq!(number(n), written);
        }
    }

    #[test]
    fn an_avatar_keeps_its_colour_and_shows_the_initial() {
        assert_eq!(Avatar::of("tea-author"), Avatar::of("tea-author"));
        assert_eq!(Avatar::of("tea-author").initial, "T");
        assert_eq!(Avatar::of("小林").initial, "小");
        assert_eq!(Avatar::of("").initial, "");
        assert!(Avatar::of("ß").tone < Avatar::TONES);
        for tone in 0..Avatar::TONES {
            let rule = format!(".qz-hue-{tone}{{--qz-hue:{}}}", tone * 15);
            assert!(STYLE.contains(&rule), "style.css lacks {rule}");
        }
    }

    #[test]
    fn sections_follow_the_features() {
        let features = Features {
            events: false,
            rewards: false,
            ..Features::default()
        };
        assert_eq!(
            Section::all(features),
            [Section::Home, Section::Leaderboard, Section::Profile]
        );
    }
}
