//! A theme to preview before it is saved. The dashboard's live preview sets
//! `window.Quanzi.theme = {accent, radius, scheme}` in the page that embeds the widget and
//! announces it with a `quanzi:theme` event; while one is set it wins over the community's
//! saved theme. A brand's own page may use it too: it only changes how its widget looks.

use leptos::prelude::*;
use quanzi_core::community::{ColorScheme, HexColor, Theme};
use wasm_bindgen::JsValue;

fn get(object: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// `window.Quanzi.theme`, if it is a well-formed theme; anything else is ignored.
fn read() -> Option<Theme> {
    let quanzi = get(&js_sys::global(), "Quanzi")?;
    let theme = get(&quanzi, "theme")?;
    let accent = HexColor::parse(&get(&theme, "accent")?.as_string()?).ok()?;
    let radius = get(&theme, "radius")?.as_f64()?;
    let scheme = match get(&theme, "scheme")?.as_string()?.as_str() {
        "light" => ColorScheme::Light,
        "dark" => ColorScheme::Dark,
        "auto" => ColorScheme::Auto,
        _ => return None,
    };
    Some(Theme {
        accent,
        radius: radius.clamp(0.0, 24.0) as u8,
        scheme,
    })
}

/// The previewed theme, kept up to date as the page announces `quanzi:theme`.
pub fn use_preview_theme() -> ReadSignal<Option<Theme>> {
    let (theme, set_theme) = signal(read());
    let handle = window_event_listener_untyped("quanzi:theme", move |_| set_theme.set(read()));
    on_cleanup(move || handle.remove());
    theme
}
