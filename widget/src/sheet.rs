//! The widget's styles as constructable stylesheets adopted by its shadow root.
//!
//! A brand's Content Security Policy then needs no `style-src 'unsafe-inline'`: CSP governs
//! `<style>` elements and `style` attributes, not stylesheets built through the CSSOM. One
//! sheet holds `style.css` and is shared by every widget on the page; each widget has its
//! own second sheet with its community's theme (one rule of custom properties), rewritten
//! when the theme changes. Where constructable stylesheets are missing (browsers before
//! 2023), the widget falls back to a `<style>` element (see [`Styles::Inline`]).
//!
//! Under the worker's first view, the root already holds that view's own sheet (the styles
//! and the saved theme, adopted by `embed.js`). The app's sheets go before it, so the facade
//! keeps its look while the app renders out of sight; the facade's sheet is removed when the
//! app takes over ([`drop_sheets`]).

use std::cell::OnceCell;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::CssStyleSheet;

pub use quanzi_shell::STYLE;

thread_local! {
    /// `style.css`, parsed once for the page.
    static BASE: OnceCell<Option<CssStyleSheet>> = const { OnceCell::new() };
}

/// Where one widget's styles live.
#[derive(Clone, Debug)]
pub enum Styles {
    /// Adopted by the shadow root; the theme sheet is this widget's own.
    Adopted(CssStyleSheet),
    /// A `<style>` element the widget renders itself (needs `'unsafe-inline'` under a CSP).
    Inline,
}

impl Styles {
    /// Adopts the shared sheet and a new theme sheet into `root`, the widget's shadow root,
    /// before the sheets it already had; those are returned.
    pub fn adopt(root: &JsValue) -> (Self, js_sys::Array) {
        let base = BASE.with(|cell| cell.get_or_init(|| sheet(STYLE)).clone());
        let key = JsValue::from_str("adoptedStyleSheets");
        let adopted = js_sys::Reflect::get(root, &key)
            .ok()
            .and_then(|a| a.dyn_into::<js_sys::Array>().ok());
        match (base, sheet(""), adopted) {
            (Some(base), Some(theme), Some(adopted)) => {
                let before = adopted.filter(&mut |s, _, _| s != JsValue::from(&base));
                // A fresh array: the property takes a new one, not an edit of the old.
                let sheets = js_sys::Array::of2(&base, &theme).concat(&before);
                match js_sys::Reflect::set(root, &key, &sheets) {
                    Ok(true) => (Self::Adopted(theme), before),
                    // Inline styles then; a facade's sheet still goes at the handover.
                    _ => (Self::Inline, before),
                }
            }
            _ => (Self::Inline, js_sys::Array::new()),
        }
    }

    /// Puts `rule` (the theme's custom properties) in force.
    pub fn set_theme(&self, rule: &str) {
        if let Self::Adopted(theme) = self {
            // A rule that fails to parse leaves the previous one: the theme is ours, not input.
            let _ = theme.replace_sync(rule);
        }
    }
}

fn sheet(text: &str) -> Option<CssStyleSheet> {
    let sheet = CssStyleSheet::new().ok()?;
    sheet.replace_sync(text).ok()?;
    Some(sheet)
}

/// Removes `sheets` from those `root` adopts.
pub fn drop_sheets(root: &JsValue, sheets: &js_sys::Array) {
    let key = JsValue::from_str("adoptedStyleSheets");
    if let Some(adopted) = js_sys::Reflect::get(root, &key)
        .ok()
        .and_then(|a| a.dyn_into::<js_sys::Array>().ok())
    {
        let kept = adopted.filter(&mut |s, _, _| !sheets.includes(&s, 0));
        let _ = js_sys::Reflect::set(root, &key, &kept);
    }
}
