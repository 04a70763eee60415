//! The member's sign-in token: handed over by the page with `data-token` or
//! `Quanzi.setToken(jwt)`, which `embed.js` keeps at `window.Quanzi.token` and announces
//! with a `quanzi:token` event.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

fn read() -> Option<String> {
    let quanzi = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Quanzi")).ok()?;
    let token = js_sys::Reflect::get(&quanzi, &JsValue::from_str("token"))
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
