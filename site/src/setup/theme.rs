//! Step 5: how the widget looks (accent colour, corner radius, light, dark or automatic),
//! with the real widget beside the form showing every change before it is saved.

use leptos::prelude::*;
use quanzi_core::community::{ColorScheme, HexColor, Theme};

use super::preview::WidgetPreview;
use super::{StepFooter, StepHead, save_settings, setup};
use crate::ctx;
use crate::route::Step;
use crate::ui::ErrorNote;

/// Colours that suit a brand page, to start from.
const SWATCHES: &[&str] = &[
    "#c8432b", "#b4532a", "#2f7d4f", "#1f6feb", "#7a4cc2", "#d6336c", "#1f2328",
];

#[component]
pub fn ThemeStep() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let data = setup();
    let saved = data.settings.get_untracked().theme;
    let accent = RwSignal::new(saved.accent.to_string());
    let radius = RwSignal::new(saved.radius);
    let scheme = RwSignal::new(saved.scheme);
    let last_good = StoredValue::new(saved.accent.clone());
    let accent_ok = Memo::new(move |_| HexColor::parse(accent.get().trim()).ok());
    let theme = Signal::derive(move || {
        let accent = match accent_ok.get() {
            Some(colour) => {
                last_good.set_value(colour.clone());
                colour
            }
            None => last_good.get_value(),
        };
        Theme {
            accent,
            radius: radius.get(),
            scheme: scheme.get(),
        }
    });
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(colour) = accent_ok.get_untracked() else {
            error.set(Some(ctx.t().colour_rule().to_owned()));
            return;
        };
        let chosen = Theme {
            accent: colour,
            radius: radius.get_untracked().min(24),
            scheme: scheme.get_untracked(),
        };
        save_settings(Step::Theme, move |s| s.theme = chosen, busy, error);
    };

    let scheme_choice = move |value: ColorScheme, label: fn(crate::i18n::Text) -> &'static str| {
        view! {
            <label class="qd-choice qd-choice-inline">
                <input type="radio" name="scheme" prop:checked=move || scheme.get() == value
                    on:change=move |_| scheme.set(value)/>
                <span>{move || label(ctx.t())}</span>
            </label>
        }
    };
    let slug = data.community.slug().to_string();

    view! {
        <StepHead step=Step::Theme/>
        <div class="qd-theme">
            <form on:submit=submit novalidate class="qd-form-grid qd-theme-form">
                <fieldset class="qd-fieldset">
                    <legend>{move || t().accent_colour()}</legend>
                    <div class="qd-inline">
                        <input type="color" class="qd-colour" aria-label=move || t().pick_colour()
                            prop:value=move || accent_ok.get().map(|c| c.to_string()).unwrap_or_else(|| last_good.get_value().to_string())
                            on:input=move |ev| accent.set(event_target_value(&ev))/>
                        <label class="qd-grow">
                            <span class="qd-visually-hidden">{move || t().accent_hex()}</span>
                            <input type="text" name="accent" maxlength="7" spellcheck="false" autocapitalize="off"
                                aria-label=move || t().accent_hex()
                                aria-invalid=move || accent_ok.get().is_none().to_string()
                                prop:value=accent on:input=move |ev| accent.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <div class="qd-swatches" role="group" aria-label=move || t().suggested_colours()>
                        {SWATCHES.iter().map(|c| view! {
                            <button type="button" class="qd-swatch" style=format!("background:{c}")
                                aria-label=*c on:click=move |_| accent.set((*c).to_owned())></button>
                        }).collect_view()}
                    </div>
                </fieldset>
                <label>
                    {move || t().corner_radius(radius.get())}
                    <input type="range" name="radius" min="0" max="24" step="1"
                        prop:value=move || radius.get().to_string()
                        on:input=move |ev| {
                            if let Ok(r) = event_target_value(&ev).parse::<u8>() {
                                radius.set(r.min(24));
                            }
                        }/>
                </label>
                <fieldset class="qd-fieldset">
                    <legend>{move || t().colour_scheme()}</legend>
                    <div class="qd-inline">
                        {scheme_choice(ColorScheme::Light, |t| t.scheme_light())}
                        {scheme_choice(ColorScheme::Dark, |t| t.scheme_dark())}
                        {scheme_choice(ColorScheme::Auto, |t| t.scheme_auto())}
                    </div>
                </fieldset>
                <ErrorNote message=error testid="theme-error"/>
                <StepFooter step=Step::Theme busy=busy/>
            </form>
            <WidgetPreview slug=slug theme=theme/>
        </div>
    }
}
