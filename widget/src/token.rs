//! The member's sign-in token: handed over by the page with `data-token` or
//! `Quanzi.setToken(jwt)`, which `embed.js` keeps at `window.Quanzi.token` and announces
//! with a `quanzi:token` event. When the worker refuses a token (expired or invalid) the
//! page's `Quanzi.onTokenExpired` callback, kept by `embed.js` at `Quanzi._expired`, runs
//! once for that token, so the brand can hand over a fresh one.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

fn quanzi() -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Quanzi")).ok()
}

fn read() -> Option<String> {
    let token = js_sys::Reflect::get(&quanzi()?, &JsValue::from_str("token"))
        .ok()?
        .as_string()?;
    (!token.is_empty()).then_some(token)
}

/// The current token, kept up to date as the page calls `Quanzi.setToken`.
pub fn use_token() -> ReadSignal<Option<String>> {
    let (token, set_token) = signal(read());
    let handle = window_event_listener_untyped("quanzi:token", move |_| set_token.set(read()));
    on_cleanup(move || handle.remove());
    token
}

thread_local! {
    /// The last token the page was told about, so each refused token is reported once
    /// however many requests (or widgets on the page) it failed.
    static REPORTED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Tells the page, through its `Quanzi.onTokenExpired` callback, when the worker refuses
/// a token it handed over. Every widget on the page shares this one hook.
pub fn report_refused_tokens() {
    quanzi_client::on_token_refused(|token| {
        let first = REPORTED.with(|last| {
            let mut last = last.borrow_mut();
            let first = last.as_deref() != Some(token);
            *last = Some(token.to_owned());
            first
        });
        if first {
            call_expired();
        }
    });
}

fn call_expired() {
    let Some(callback) = quanzi()
        .and_then(|q| js_sys::Reflect::get(&q, &JsValue::from_str("_expired")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    if let Err(err) = callback.call0(&JsValue::UNDEFINED) {
        web_sys::console::error_2(&"Quanzi: the onTokenExpired callback failed".into(), &err);
    }
}
