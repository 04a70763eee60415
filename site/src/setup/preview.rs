//! The live preview: the real widget, loaded by the real `embed.js` from this worker, in a
//! frame beside the theme form. The frame's page is written here (`srcdoc`), so it shares
//! the dashboard's origin, which every community's API accepts. The unsaved theme goes to
//! the widget as `window.Quanzi.theme` with a `quanzi:theme` event (see the widget's
//! `preview` module); nothing is saved until the marketer saves.

use leptos::html::Iframe;
use leptos::prelude::*;
use quanzi_core::community::{Locale, Theme};
use wasm_bindgen::JsValue;

use crate::{ctx, edge_origin};

/// The frame's page: a plain brand-like page with the script tag a brand would paste.
/// No inline script: the frame inherits the dashboard's Content Security Policy, and the
/// theme is pushed in once the frame has loaded (`push`).
fn page(slug: &str, lang: &str) -> String {
    format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{margin:0;padding:16px;background:#eef0f4;font:14px system-ui,sans-serif}}</style>
</head>
<body><script src="{edge}/embed.js" data-community="{slug}" data-locale="{lang}" async></script></body></html>"#,
        edge = edge_origin(),
    )
}

/// Hands `theme` to the widget in the frame (if the frame's page has loaded).
fn push(frame: &web_sys::HtmlIFrameElement, theme: &Theme) {
    let Some(window) = frame.content_window() else {
        return;
    };
    let Ok(json) = serde_json::to_string(theme) else {
        return;
    };
    let Ok(value) = js_sys::JSON::parse(&json) else {
        return;
    };
    let global: &JsValue = window.as_ref();
    let quanzi = js_sys::Reflect::get(global, &JsValue::from_str("Quanzi"))
        .ok()
        .filter(|q| q.is_object())
        .unwrap_or_else(|| js_sys::Object::new().into());
    let _ = js_sys::Reflect::set(&quanzi, &JsValue::from_str("theme"), &value);
    let _ = js_sys::Reflect::set(global, &JsValue::from_str("Quanzi"), &quanzi);
    if let Ok(event) = web_sys::Event::new("quanzi:theme") {
        let _ = window.dispatch_event(&event);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Width {
    Laptop,
    Phone,
}

/// The widget of `slug` with `theme`, updated as the theme changes.
#[component]
pub fn WidgetPreview(
    /// The community shown.
    slug: String,
    /// The theme to show, saved or not.
    theme: Signal<Theme>,
) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let frame = NodeRef::<Iframe>::new();
    let width = RwSignal::new(Width::Laptop);
    // The page is written once per language; later themes are pushed in.
    let srcdoc = Memo::new(move |_| {
        let lang = match ctx.locale.get() {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        };
        page(&slug, lang)
    });
    Effect::new(move |_| {
        let theme = theme.get();
        if let Some(frame) = frame.get() {
            push(&frame, &theme);
        }
    });
    let on_load = move |_| {
        if let Some(frame) = frame.get_untracked() {
            push(&frame, &theme.get_untracked());
        }
    };
    let choice = move |value: Width, label: fn(crate::i18n::Text) -> &'static str| {
        view! {
            <button type="button" class="qd-seg"
                aria-pressed=move || (width.get() == value).to_string()
                on:click=move |_| width.set(value)>
                {move || label(ctx.t())}
            </button>
        }
    };
    view! {
        <div class="qd-preview">
            <div class="qd-preview-bar">
                <span class="qd-preview-title">{move || t().live_preview()}</span>
                <div class="qd-segs" role="group" aria-label=move || t().preview_width()>
                    {choice(Width::Laptop, |t| t.laptop())}
                    {choice(Width::Phone, |t| t.phone())}
                </div>
            </div>
            <div class="qd-preview-stage">
                <iframe node_ref=frame class="qd-preview-frame" data-testid="theme-preview"
                    class:qd-preview-phone=move || width.get() == Width::Phone
                    title=move || t().preview_frame_title()
                    srcdoc=move || srcdoc.get() on:load=on_load></iframe>
            </div>
            <p class="qd-hint">{move || t().preview_hint()}</p>
        </div>
    }
}
