//! Colour contrast for a brand's accent (WCAG 2.x relative luminance and contrast ratio).
//!
//! A brand picks any `#rrggbb` accent. The widget fills buttons with it and writes links and
//! highlights in it, on a light and on a dark card. [`Palette::for_accent`] derives, for any
//! accent, the text colour to put on an accent fill and an "ink" version of the accent for
//! text on each card that reaches the AA ratio of 4.5:1, so a brand cannot make its own
//! community unreadable by choosing a pale or a dark colour.

use crate::community::HexColor;

/// The AA contrast ratio for normal text.
pub const AA_TEXT: f64 = 4.5;

/// The widget's light card background (`--qz-bg`).
pub const LIGHT_CARD: Rgb = Rgb(0xff, 0xff, 0xff);
/// The widget's dark card background (`--qz-bg` in dark mode).
pub const DARK_CARD: Rgb = Rgb(0x16, 0x18, 0x1d);
/// How much accent the widget mixes into the card for its soft highlight (`--qz-soft`).
pub const SOFT_SHARE: f64 = 0.11;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn from_hex(color: &HexColor) -> Self {
        let hex = color.as_str().trim_start_matches('#');
        let channel = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .unwrap_or(0)
        };
        Self(channel(0), channel(2), channel(4))
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        fn linear(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// `share` of `self` over `1 - share` of `other`, per channel (CSS `color-mix` in sRGB).
    pub fn mix(self, other: Rgb, share: f64) -> Rgb {
        let m = |a: u8, b: u8| {
            let v = f64::from(a) * share + f64::from(b) * (1.0 - share);
            // Rounded and clamped to a channel, so the cast is exact.
            v.round().clamp(0.0, 255.0) as u8
        };
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// The WCAG contrast ratio of two colours, 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The colours the widget derives from a brand's accent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    /// The accent for fills, borders and focus rings: the brand's own colour unless no text
    /// colour reads on it, then darkened just enough for white text.
    pub accent: Rgb,
    /// Text on an accent fill: white or near-black, whichever reads better.
    pub on_accent: Rgb,
    /// The accent as text on the light card and its soft highlight.
    pub ink_light: Rgb,
    /// The accent as text on the dark card and its soft highlight.
    pub ink_dark: Rgb,
}

impl Palette {
    pub fn for_accent(accent: &HexColor) -> Self {
        let accent = Rgb::from_hex(accent);
        let white = Rgb(0xff, 0xff, 0xff);
        let ink = Rgb(0x1f, 0x23, 0x28);
        // White text if it reads, else near-black; for a mid-tone where neither reaches AA,
        // the fill itself darkens until white does.
        let (accent, on_accent) = if contrast(white, accent) >= AA_TEXT {
            (accent, white)
        } else if contrast(ink, accent) >= AA_TEXT {
            (accent, ink)
        } else {
            (readable_on(accent, white, Rgb(0, 0, 0)), white)
        };
        Self {
            accent,
            on_accent,
            ink_light: readable_on(accent, LIGHT_CARD, Rgb(0, 0, 0)),
            ink_dark: readable_on(accent, DARK_CARD, white),
        }
    }
}

/// The accent moved toward `toward` just far enough to reach AA on `card` and on the card's
/// soft highlight (which itself follows the adjusted accent's hue only through the original).
fn readable_on(accent: Rgb, card: Rgb, toward: Rgb) -> Rgb {
    let soft = accent.mix(card, SOFT_SHARE);
    let reads = |c: Rgb| contrast(c, card) >= AA_TEXT && contrast(c, soft) >= AA_TEXT;
    // 0 % to 100 % toward black (or white) in 2 % steps: at 100 % it is black on a light
    // card or white on a dark one, which always reads, so the loop always returns.
    (0..=50)
        .map(|step| toward.mix(accent, f64::from(step) / 50.0))
        .find(|c| reads(*c))
        .unwrap_or(toward)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(s: &str) -> HexColor {
        HexColor::parse(s).unwrap()
    }

    #[test]
    fn known_ratios() {
        let white = Rgb(255, 255, 255);
        assert!((contrast(white, Rgb(0, 0, 0)) - 21.0).abs() < 1e-9);
        // The old default accent: white on it is 3.62:1 (fails AA).
        let old = Rgb::from_hex(&hex("#e8553d"));
        assert!((contrast(white, old) - 3.62).abs() < 0.01);
    }

    #[test]
    fn the_default_accent_reads_with_white_text() {
        let theme = crate::community::Theme::default();
        let palette = Palette::for_accent(&theme.accent);
        assert_eq!(palette.on_accent, Rgb(255, 255, 255));
        assert_eq!(palette.accent, Rgb::from_hex(&theme.accent));
        assert_eq!(palette.ink_dark.hex(), "#d36955");
    }

    #[test]
    fn a_pale_accent_gets_dark_text_and_a_darker_ink() {
        let palette = Palette::for_accent(&hex("#ffd84d"));
        assert_ne!(palette.on_accent, Rgb(255, 255, 255));
        assert_ne!(palette.ink_light, palette.accent);
        assert_eq!(palette.ink_dark, palette.accent);
    }

    #[test]
    fn a_mid_tone_accent_is_darkened_for_white_text() {
        let palette = Palette::for_accent(&hex("#808080"));
        assert_eq!(palette.on_accent, Rgb(255, 255, 255));
        assert!(palette.accent.luminance() < Rgb(128, 128, 128).luminance());
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(Rgb::from_hex(&hex("#0a1b2c")).hex(), "#0a1b2c");
    }

    proptest! {
        #[test]
        fn every_accent_gets_readable_text(r: u8, g: u8, b: u8) {
            let accent = hex(&Rgb(r, g, b).hex());
            let p = Palette::for_accent(&accent);
            prop_assert!(contrast(p.on_accent, p.accent) >= AA_TEXT);
            for (ink, card) in [(p.ink_light, LIGHT_CARD), (p.ink_dark, DARK_CARD)] {
                prop_assert!(contrast(ink, card) >= AA_TEXT);
                prop_assert!(contrast(ink, p.accent.mix(card, SOFT_SHARE)) >= AA_TEXT);
            }
        }
    }
}
