//! The member widget. `embed.js` creates a host element with an open shadow root, loads
//! this module when the host nears the viewport (the home: when the member reaches for the
//! first view the worker drew, see [`handover`]), and calls [`mount`] with a container
//! inside that shadow root. Everything the widget draws, styles included, lives there.

mod app;
mod bell;
mod checkin;
mod event;
mod events;
mod feedback;
mod handover;
mod intl;
mod join;
mod lang;
mod lazy;
mod leaderboard;
mod nav;
mod preview;
mod profile;
mod rewards;
mod session;
mod sheet;
mod tabs;
mod talk;
mod token;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::app::{App, Mount, View};

/// A string field of a JS object, or empty.
fn field(options: &JsValue, name: &str) -> String {
    js_sys::Reflect::get(options, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Mounts one widget into `target` (an element inside the shadow root). `options` holds
/// `community` (the slug), `base` (the worker's URL with a trailing slash), `lang`,
/// `view` (`home` or `checkin`), `loginUrl` (where the brand signs members in) and `page`
/// (the URL whose comments to show, from `data-page`; it chooses the comments view),
/// `event` (the event `view: "event"` shows, from `data-event`), `script` (the
/// embedding script tag, whose `data-locale` the widget follows), `root` (the shadow root,
/// where the styles go) and `facade` (the first view the worker drew, when `embed.js` shows
/// one: `target` is then not in the page yet, and takes the facade's place once the app's
/// own first view is ready; see [`handover`]).
#[wasm_bindgen]
pub fn mount(target: HtmlElement, options: JsValue) {
    // A panic aborts the module; say why in the console first (the brand's developers and
    // ours read it there).
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Quanzi widget: {info}").into());
    }));
    token::report_refused_tokens();
    let login_url = field(&options, "loginUrl");
    let page = field(&options, "page");
    let root = js_sys::Reflect::get(&options, &JsValue::from_str("root"))
        .ok()
        .filter(JsValue::is_object)
        .unwrap_or_else(|| target.get_root_node().into());
    let (styles, facade_sheets) = sheet::Styles::adopt(&root);
    let facade = js_sys::Reflect::get(&options, &JsValue::from_str("facade"))
        .ok()
        .and_then(|f| f.dyn_into::<web_sys::Element>().ok());
    let props = Mount {
        community: field(&options, "community"),
        base: field(&options, "base"),
        lang: field(&options, "lang"),
        view: if page.is_empty() {
            View::parse(&field(&options, "view"))
        } else {
            View::Page
        },
        page,
        login_url: (!login_url.is_empty()).then_some(login_url),
        event: field(&options, "event"),
        script: js_sys::Reflect::get(&options, &JsValue::from_str("script"))
            .ok()
            .and_then(|s| s.dyn_into::<web_sys::Element>().ok()),
        styles,
    };
    leptos::mount::mount_to(target.clone(), move || view! { <App mount=props/> }).forget();
    if let Some(facade) = facade {
        handover::when_ready(target.into(), facade, move || {
            sheet::drop_sheets(&root, &facade_sheets)
        });
    }
}
