//! A row of tabs as WAI-ARIA describes them: one tab in the focus order, arrow keys (and
//! Home, End) move between them and select, the selected tab names the panel it controls.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::feedback::{Glyph, Icon};

/// The tab `selected` among `labels`; tab `i` has the id `{id_prefix}-{i}` and controls
/// the element with the id `panel`.
#[component]
pub fn TabList(
    /// The tabs' names, in order.
    #[prop(into)]
    labels: Signal<Vec<&'static str>>,
    /// The index of the selected tab.
    #[prop(into)]
    selected: Signal<usize>,
    /// Selects tab `i` (on click, arrow keys, Home and End).
    select: Callback<usize>,
    /// The id of the panel the tabs control.
    panel: &'static str,
    /// Tab `i` gets the id `{id_prefix}-{i}`.
    id_prefix: &'static str,
    /// What the row of tabs is, for screen readers.
    #[prop(into)]
    label: Signal<String>,
    /// Extra class of the row.
    #[prop(optional)]
    class: &'static str,
    /// An icon above each label (none when empty).
    #[prop(optional)]
    icons: Vec<Icon>,
    /// `data-tab` of each tab, for tests and styles (none when empty).
    #[prop(optional)]
    keys: Vec<&'static str>,
) -> impl IntoView {
    let icons = StoredValue::new(icons);
    let keys = StoredValue::new(keys);
    let on_key = move |ev: KeyboardEvent| {
        let count = labels.with_untracked(Vec::len);
        if count == 0 {
            return;
        }
        let now = selected.get_untracked().min(count - 1);
        let to = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => (now + 1) % count,
            "ArrowLeft" | "ArrowUp" => (now + count - 1) % count,
            "Home" => 0,
            "End" => count - 1,
            _ => return,
        };
        ev.prevent_default();
        select.run(to);
        // Focus follows the selection: the sibling tab at the new index.
        let tab = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|list| list.children().item(to as u32))
            .and_then(|el| el.dyn_into::<HtmlElement>().ok());
        if let Some(tab) = tab {
            let _ = tab.focus();
        }
    };
    view! {
        <div class=format!("qz-tablist {class}") role="tablist" aria-label=label on:keydown=on_key>
            {move || {
                labels
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, name)| {
                        let on = move || selected.get() == i;
                        let icon = icons.with_value(|icons| icons.get(i).copied());
                        let key = keys.with_value(|keys| keys.get(i).copied());
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="qz-mtab"
                                id=format!("{id_prefix}-{i}")
                                data-tab=key
                                aria-selected=move || on().to_string()
                                aria-controls=panel
                                tabindex=move || if on() { "0" } else { "-1" }
                                on:click=move |_| select.run(i)
                            >
                                {icon.map(|icon| view! { <Glyph icon=icon/> })}
                                <span class="qz-mtab-label">{name}</span>
                            </button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
