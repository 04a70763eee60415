//! Step 1: the community's name, slogan, logo, time zone and language.

use leptos::prelude::*;
use quanzi_core::community::{CommunityName, Locale, LogoUrl, Slogan, TimeZone};

use super::{StepFooter, StepHead, save_settings, setup};
use crate::ctx;
use crate::route::Step;
use crate::ui::ErrorNote;

/// Time zones offered first; any IANA name is accepted.
const TIME_ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "UTC",
];

#[component]
pub fn Basics() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let data = setup();
    let saved = data.settings.get_untracked();
    let name = RwSignal::new(saved.name.to_string());
    let slogan = RwSignal::new(saved.slogan.to_string());
    let logo = RwSignal::new(saved.logo.map(String::from).unwrap_or_default());
    let time_zone = RwSignal::new(String::from(saved.time_zone));
    let locale = RwSignal::new(saved.locale);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let logo_ok = Memo::new(move |_| LogoUrl::parse(&logo.get()).ok());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = ctx.t();
        let parsed = (|| {
            let name = CommunityName::parse(&name.get_untracked())
                .map_err(|_| text.community_name_rule())?;
            let slogan = Slogan::parse(&slogan.get_untracked()).map_err(|_| text.slogan_rule())?;
            let raw_logo = logo.get_untracked();
            let logo = if raw_logo.trim().is_empty() {
                None
            } else {
                Some(LogoUrl::parse(&raw_logo).map_err(|_| text.logo_rule())?)
            };
            let time_zone = TimeZone::parse(time_zone.get_untracked().trim())
                .map_err(|_| text.time_zone_rule())?;
            Ok::<_, &'static str>((name, slogan, logo, time_zone))
        })();
        match parsed {
            Err(message) => error.set(Some(message.to_owned())),
            Ok((name, slogan, logo, time_zone)) => {
                let locale = locale.get_untracked();
                save_settings(
                    Step::Basics,
                    move |s| {
                        s.name = name;
                        s.slogan = slogan;
                        s.logo = logo;
                        s.time_zone = time_zone;
                        s.locale = locale;
                    },
                    busy,
                    error,
                );
            }
        }
    };

    view! {
        <StepHead step=Step::Basics/>
        <form on:submit=submit novalidate class="qd-form-grid">
            <label>
                {move || t().community_name()}
                <input type="text" name="name" required maxlength="60"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label>
                {move || t().slogan()}
                <input type="text" name="slogan" maxlength="140" placeholder=move || t().slogan_placeholder()
                    prop:value=slogan on:input=move |ev| slogan.set(event_target_value(&ev))/>
            </label>
            <div class="qd-with-preview">
                <div class="qd-field">
                    <label>
                        {move || t().logo_url()}
                        <input type="url" name="logo" inputmode="url" placeholder="https://cdn.brand.example/logo.png"
                            aria-describedby="logo-hint"
                            prop:value=logo on:input=move |ev| logo.set(event_target_value(&ev))/>
                    </label>
                    <span class="qd-hint" id="logo-hint">{move || t().logo_hint()}</span>
                </div>
                {move || logo_ok.get().map(|url| view! {
                    <img class="qd-logo-preview" src=url.to_string() alt=move || t().logo_preview_alt()/>
                })}
            </div>
            <div class="qd-two">
                <div class="qd-field">
                    <label>
                        {move || t().time_zone()}
                        <input type="text" name="time-zone" list="qd-time-zones" required autocapitalize="off" spellcheck="false"
                            aria-describedby="tz-hint"
                            prop:value=time_zone on:input=move |ev| time_zone.set(event_target_value(&ev))/>
                    </label>
                    <span class="qd-hint" id="tz-hint">{move || t().time_zone_hint()}</span>
                </div>
                <datalist id="qd-time-zones">
                    {TIME_ZONES.iter().map(|z| view! { <option value=*z></option> }).collect_view()}
                </datalist>
                <label>
                    {move || t().community_language()}
                    <select name="locale" on:change=move |ev| {
                        locale.set(if event_target_value(&ev) == "en" { Locale::En } else { Locale::ZhCn });
                    }>
                        <option value="zh-CN" selected=move || locale.get() == Locale::ZhCn>"中文（简体）"</option>
                        <option value="en" selected=move || locale.get() == Locale::En>"English"</option>
                    </select>
                </label>
            </div>
            <ErrorNote message=error testid="basics-error"/>
            <StepFooter step=Step::Basics busy=busy/>
        </form>
    }
}
