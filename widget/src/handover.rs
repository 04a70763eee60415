//! Taking over from the first view the worker drew. `embed.js` shows that HTML (the same
//! markup as the app's, see `quanzi_shell::first_view`) and loads the app when the member
//! reaches for the widget; the app renders out of the page, and takes the facade's place
//! once nothing in it is loading any more (no `.qz-skeleton`, no `aria-busy="true"`), so the
//! member never sees placeholders, or after [`DEADLINE_MS`] whatever it shows (a facade
//! whose buttons do nothing must not stay for long).
//!
//! The focus moves to the same element of the app, and the button the member clicked on the
//! facade meanwhile is clicked again (`embed.js` keeps the last click anywhere on the page as
//! the facade's `q`, so a later click elsewhere cancels it; so does focus that left the
//! widget). Each is found from its nearest element with a unique `id`, `data-thread` or
//! `data-testid` (the same in both trees), then by position below it, and used only when
//! the element there is of the same kind with the same text.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, MutationObserver, MutationObserverInit, ShadowRoot};

/// The longest the facade stays once the app is running.
const DEADLINE_MS: i32 = 4_000;

/// The attributes that name an element the same way in the facade and in the app.
const ANCHORS: [&str; 3] = ["id", "data-thread", "data-testid"];

/// Swaps `app` in for `facade` as soon as the app's first view is ready (or the deadline
/// passed), then calls `after`.
pub fn when_ready(app: Element, facade: Element, after: impl FnOnce() + 'static) {
    let done = Rc::new(Cell::new(false));
    let after = Rc::new(Cell::new(Some(Box::new(after) as Box<dyn FnOnce()>)));
    let finish = {
        let (app, facade, done) = (app.clone(), facade.clone(), done.clone());
        move || {
            if done.replace(true) {
                return;
            }
            swap(&app, &facade);
            if let Some(after) = after.take() {
                after();
            }
        }
    };
    if ready(&app) {
        finish();
        return;
    }
    let on_change = {
        let (app, finish) = (app.clone(), finish.clone());
        Closure::<dyn FnMut(JsValue, MutationObserver)>::new(
            move |_: JsValue, observer: MutationObserver| {
                if ready(&app) {
                    observer.disconnect();
                    finish();
                }
            },
        )
    };
    let Ok(observer) = MutationObserver::new(on_change.as_ref().unchecked_ref()) else {
        finish();
        return;
    };
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attributes(true);
    options.set_attribute_filter(&js_sys::Array::of2(
        &JsValue::from_str("aria-busy"),
        &JsValue::from_str("class"),
    ));
    if observer.observe_with_options(&app, &options).is_err() {
        finish();
        return;
    }
    // Both live until the swap: one small closure each per widget.
    on_change.forget();
    let deadline = Closure::once_into_js(move || {
        observer.disconnect();
        finish();
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            deadline.unchecked_ref(),
            DEADLINE_MS,
        );
    }
}

fn ready(app: &Element) -> bool {
    let has = |selector: &str| matches!(app.query_selector(selector), Ok(Some(_)));
    has(".qz-root") && !has(".qz-skeleton, [aria-busy=\"true\"]")
}

fn swap(app: &Element, facade: &Element) {
    let root = |el: &Element| el.query_selector(".qz-root").ok().flatten();
    let (Some(from), Some(to)) = (root(facade), root(app)) else {
        let _ = facade.replace_with_with_node_1(app);
        return;
    };
    let shadow = facade.get_root_node().dyn_into::<ShadowRoot>().ok();
    // Focus inside the facade, or on nothing (the page's body): the member is still here.
    let focused = shadow.as_ref().and_then(ShadowRoot::active_element);
    let still_here = focused.is_some()
        || web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_none_or(|el| el.tag_name() == "BODY");
    let clicked = js_sys::Reflect::get(facade, &JsValue::from_str("q"))
        .ok()
        .and_then(|q| q.dyn_into::<Element>().ok())
        .and_then(|el| el.closest("button").ok().flatten())
        .filter(|_| still_here)
        .and_then(|el| counterpart(&from, &el, &to));
    let focused = focused.and_then(|el| counterpart(&from, &el, &to));
    if facade.replace_with_with_node_1(app).is_err() {
        return;
    }
    // The facade stays referenced by the closures that watched for this moment: let its
    // tree go.
    facade.set_inner_html("");
    let _ = js_sys::Reflect::delete_property(facade, &JsValue::from_str("q"));
    if let Some(el) = focused {
        let _ = el.focus();
    }
    if let Some(el) = clicked {
        el.click();
    }
}

/// The element of the app (under `to`) that is `el` of the facade (under `from`), if it is
/// the same kind of element with the same text.
fn counterpart(from: &Element, el: &Element, to: &Element) -> Option<HtmlElement> {
    if !from.contains(Some(el)) {
        return None;
    }
    let mut path = Vec::new();
    let mut at = el.clone();
    let start = loop {
        if let Some(anchor) = ANCHORS.iter().find_map(|name| {
            let value = at.get_attribute(name)?;
            Some(unique(to, name, &value)?).filter(|_| unique(from, name, &value).is_some())
        }) {
            break anchor;
        }
        if at == *from {
            break to.clone();
        }
        let parent = at.parent_element()?;
        let children = parent.children();
        path.push((0..children.length()).find(|&i| children.item(i).as_ref() == Some(&at))?);
        at = parent;
    };
    let mut there = start;
    for index in path.into_iter().rev() {
        there = there.children().item(index)?;
    }
    (there.tag_name() == el.tag_name() && there.text_content() == el.text_content())
        .then(|| there.dyn_into::<HtmlElement>().ok())
        .flatten()
}

/// The one element under `root` whose attribute `name` is `value`, if exactly one.
fn unique(root: &Element, name: &str, value: &str) -> Option<Element> {
    let all = root.query_selector_all(&format!("[{name}]")).ok()?;
    let mut found = (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<Element>().ok())
        .filter(|e| e.get_attribute(name).as_deref() == Some(value));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}
