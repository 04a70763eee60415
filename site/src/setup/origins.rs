//! Step 3: the websites allowed to embed the community. The widget refuses to run on any
//! other site, so this list is what makes the community appear on the brand's pages.

use leptos::prelude::*;
use quanzi_core::community::{Community, Origin};

use super::{StepFooter, StepHead, save_settings, setup};
use crate::ctx;
use crate::route::Step;
use crate::ui::ErrorNote;

/// Each non-empty line (or comma-separated entry) parsed; the bad ones with their text.
pub fn parse_origins(raw: &str) -> (Vec<Origin>, Vec<String>) {
    let mut good: Vec<Origin> = Vec::new();
    let mut bad = Vec::new();
    for entry in raw
        .split(['\n', ',', ' ', '\t'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        match Origin::parse(entry.trim_end_matches('/')) {
            Ok(origin) if !good.contains(&origin) => good.push(origin),
            Ok(_) => {}
            Err(_) => bad.push(entry.to_owned()),
        }
    }
    (good, bad)
}

#[component]
pub fn Origins() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let data = setup();
    let saved = data.settings.get_untracked().allowed_origins;
    let text = RwSignal::new(
        saved
            .iter()
            .map(|o| o.as_str().to_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let parsed = Memo::new(move |_| parse_origins(&text.get()));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (good, bad) = parsed.get_untracked();
        let text = ctx.t();
        if let Some(first) = bad.first() {
            error.set(Some(text.origin_rule(first)));
            return;
        }
        if good.len() > Community::MAX_ORIGINS {
            error.set(Some(text.too_many_origins(Community::MAX_ORIGINS)));
            return;
        }
        save_settings(
            Step::Origins,
            move |s| s.allowed_origins = good,
            busy,
            error,
        );
    };

    view! {
        <StepHead step=Step::Origins/>
        <form on:submit=submit novalidate class="qd-form-grid">
            <div class="qd-field">
                <label>
                    {move || t().allowed_origins()}
                    <textarea name="origins" rows="4" spellcheck="false" autocapitalize="off"
                        placeholder="https://www.brand.example\nhttps://m.brand.example"
                        aria-describedby="origins-hint origins-check"
                        aria-invalid=move || (!parsed.get().1.is_empty()).to_string()
                        prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
                <span class="qd-hint" id="origins-hint">{move || t().origins_hint()}</span>
            </div>
            <div id="origins-check" aria-live="polite">
                {move || {
                    let (good, bad) = parsed.get();
                    view! {
                        <ul class="qd-chips" aria-label=move || t().origins_understood()>
                            {good.into_iter().map(|o| view! { <li class="qd-chip qd-chip-ok">"✓ " {o.to_string()}</li> }).collect_view()}
                            {bad.into_iter().map(|b| view! { <li class="qd-chip qd-chip-bad">"✗ " {b}</li> }).collect_view()}
                        </ul>
                    }
                }}
            </div>
            <ErrorNote message=error testid="origins-error"/>
            <StepFooter step=Step::Origins busy=busy/>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_commas_are_origins_and_the_rest_is_named() {
        let (good, bad) = parse_origins(
            "https://www.brand.example/\nhttp://127.0.0.1:8788, https://www.brand.example\n\nbrand.example https://a.example/path",
        );
        let good: Vec<&str> = good.iter().map(Origin::as_str).collect();
        assert_eq!(good, ["https://www.brand.example", "http://127.0.0.1:8788"]);
        assert_eq!(bad, ["brand.example", "https://a.example/path"]);
        assert_eq!(parse_origins("  \n "), (vec![], vec![]));
    }
}
