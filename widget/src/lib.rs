//! The member widget. `embed.js` creates a host element with an open shadow root, loads
//! this module when the host nears the viewport, and calls [`mount`] with a container
//! inside that shadow root. Everything the widget draws, styles included, lives there.

mod app;
mod i18n;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::app::{App, Mount};

/// Mounts one widget into `target` (an element inside the shadow root).
///
/// * `community`: the community slug from `data-community`.
/// * `base`: the worker's origin with a trailing slash, from the script's own URL.
/// * `lang`: `data-locale`, else the page's `lang`, else the browser's language.
#[wasm_bindgen]
pub fn mount(target: HtmlElement, community: String, base: String, lang: String) {
    let props = Mount {
        community,
        base,
        lang,
    };
    leptos::mount::mount_to(target, move || view! { <App mount=props/> }).forget();
}
