//! The page's language, followed live: a brand page that switches between 中文 and English
//! without reloading (by changing `data-locale` on the embed tag, or `<html lang>`) gets the
//! widget in the new language at once.

use leptos::prelude::*;
use quanzi_core::community::Locale;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, MutationObserver, MutationObserverInit};

/// What the page asks for now: the tag's `data-locale`, else `<html lang>`, else the browser's.
fn requested(script: Option<&Element>) -> String {
    let document = document();
    script
        .and_then(|s| s.get_attribute("data-locale"))
        .filter(|l| !l.is_empty())
        .or_else(|| {
            document
                .document_element()
                .and_then(|html| html.get_attribute("lang"))
                .filter(|l| !l.is_empty())
        })
        .or_else(|| window().navigator().language())
        .unwrap_or_default()
}

/// The page's language (`None` when it names neither zh nor en), starting from `initial`
/// (what `embed.js` read) and following changes to the tag's `data-locale` and `<html lang>`.
pub fn watch_page_language(initial: &str, script: Option<Element>) -> Signal<Option<Locale>> {
    let (lang, set_lang) = signal(Locale::negotiate(initial));
    let watched = script.clone();
    let on_change = Closure::<dyn Fn()>::new(move || {
        let now = Locale::negotiate(&requested(watched.as_ref()));
        if now != lang.get_untracked() {
            set_lang.set(now);
        }
    });
    if let Ok(observer) = MutationObserver::new(on_change.as_ref().unchecked_ref()) {
        let options = |name: &str| {
            let o = MutationObserverInit::new();
            o.set_attributes(true);
            o.set_attribute_filter(&js_sys::Array::of1(&name.into()));
            o
        };
        if let Some(s) = &script {
            let _ = observer.observe_with_options(s, &options("data-locale"));
        }
        if let Some(html) = document().document_element() {
            let _ = observer.observe_with_options(&html, &options("lang"));
        }
    }
    // The widget is mounted for the life of the page (`mount` forgets its handle): the
    // observer and its callback live as long.
    on_change.forget();
    lang.into()
}
