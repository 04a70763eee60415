//! The level ladder: each level's threshold in earned points, its name in both languages
//! and its perks.

use leptos::prelude::*;
use quanzi_core::recognition::{Level, LevelLadder, LevelName, Names, PerkText};

use super::{LoadFailed, SaveFooter, number};
use crate::community_page::community;
use crate::i18n::Text;
use crate::ui::Loading;
use crate::{client, ctx};

#[component]
pub fn Levels() -> impl IntoView {
    let community = community();
    let saved = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().levels(slug.as_str()).await }
    });
    let ctx = ctx();
    move || match saved.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(err)) => view! {
            <LoadFailed message=ctx.fail(&err) retry=Callback::new(move |()| saved.refetch())/>
        }
        .into_any(),
        Some(Ok(levels)) => view! { <LevelsForm saved=levels.levels/> }.into_any(),
    }
}

/// One level as typed, with a stable key for the list.
#[derive(Clone, Copy)]
struct LevelRow {
    key: usize,
    threshold: RwSignal<String>,
    zh: RwSignal<String>,
    en: RwSignal<String>,
    perks: RwSignal<String>,
}

impl LevelRow {
    fn new(key: usize, level: Option<&Level>) -> Self {
        Self {
            key,
            threshold: RwSignal::new(level.map(|l| l.threshold.to_string()).unwrap_or_default()),
            zh: RwSignal::new(level.map(|l| l.names.zh_cn.to_string()).unwrap_or_default()),
            en: RwSignal::new(level.map(|l| l.names.en.to_string()).unwrap_or_default()),
            perks: RwSignal::new(
                level
                    .map(|l| {
                        l.perks
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default(),
            ),
        }
    }
}

fn parse_levels(text: Text, rows: &[LevelRow]) -> Result<LevelLadder, String> {
    if rows.is_empty() || rows.len() > LevelLadder::MAX_LEVELS {
        return Err(text.game_level_limit().to_owned());
    }
    let mut levels = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let name = text.level_n(i + 1);
        let threshold = number(&row.threshold.get_untracked())
            .ok_or_else(|| text.about(&name, text.game_threshold_rule()))?;
        let names = Names {
            zh_cn: LevelName::parse(row.zh.get_untracked().trim()),
            en: LevelName::parse(row.en.get_untracked().trim()),
        };
        let (Ok(zh_cn), Ok(en)) = (names.zh_cn, names.en) else {
            return Err(text.about(&name, text.game_level_name_rule()));
        };
        let perks = row
            .perks
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| PerkText::parse(p).map_err(|_| text.about(&name, text.game_perk_rule())))
            .collect::<Result<Vec<_>, _>>()?;
        if perks.len() > LevelLadder::MAX_PERKS {
            return Err(text.about(&name, text.game_perk_rule()));
        }
        levels.push(Level {
            threshold,
            names: Names { zh_cn, en },
            perks,
        });
    }
    if levels.first().is_some_and(|l| l.threshold != 0) {
        return Err(text.game_threshold_first().to_owned());
    }
    if let Some(i) = levels
        .windows(2)
        .position(|w| w[0].threshold >= w[1].threshold)
    {
        return Err(text.about(&text.level_n(i + 2), text.game_threshold_order()));
    }
    LevelLadder::new(levels).map_err(|e| e.to_string())
}

#[component]
fn LevelsForm(saved: LevelLadder) -> impl IntoView {
    let can_edit = super::can_edit();
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let next_key = StoredValue::new(saved.levels().len());
    let rows = RwSignal::new(
        saved
            .levels()
            .iter()
            .enumerate()
            .map(|(key, level)| LevelRow::new(key, Some(level)))
            .collect::<Vec<_>>(),
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // What was just done, said in the current language.
    let done = RwSignal::new(None::<fn(Text) -> &'static str>);

    let add = move |_| {
        if rows.with(Vec::len) >= LevelLadder::MAX_LEVELS {
            return;
        }
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|r| r.push(LevelRow::new(key, None)));
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !can_edit.get_untracked() {
            return;
        }
        done.set(None);
        let ladder = match parse_levels(ctx.t(), &rows.get_untracked()) {
            Ok(ladder) => ladder,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        error.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client().put_levels(&csrf, slug.as_str(), &ladder).await;
            busy.set(false);
            match result {
                Ok(_) => done.set(Some(Text::game_levels_saved)),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <form on:submit=submit novalidate class="qd-form-grid" data-testid="levels-form">
            <fieldset class="qd-form-grid qd-bare" disabled=move || !can_edit.get()>
                <section class="qd-card">
                    <p class="qd-muted">{move || t().game_levels_intro()}</p>
                    <ol class="qd-list">
                        <For each=move || rows.get() key=|row| row.key let:row>
                            {
                                let position = move || rows.with(|r| r.iter().position(|x| x.key == row.key).unwrap_or(0) + 1);
                                let label = move || ctx.t().level_n(position());
                                view! {
                                    <li class="qd-row" data-testid="level-row">
                                        <div class="qd-row-head">
                                            <strong>{label}</strong>
                                            <span class="qd-spacer"></span>
                                            <button type="button" class="qd-button qd-ghost qd-small"
                                                disabled=move || { rows.with(Vec::len) <= 1 }
                                                aria-label=move || ctx.t().remove_named(&label())
                                                on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>
                                                {move || t().remove()}
                                            </button>
                                        </div>
                                        <div class="qd-form-row">
                                            <label>
                                                {move || t().game_threshold()}
                                                <input type="number" min="0" step="1" inputmode="numeric"
                                                    aria-label=move || ctx.t().about(&label(), ctx.t().game_threshold())
                                                    prop:value=row.threshold on:input=move |ev| row.threshold.set(event_target_value(&ev))/>
                                            </label>
                                            <label>
                                                {move || t().game_name_zh()}
                                                <input type="text" maxlength="24" lang="zh-CN"
                                                    aria-label=move || ctx.t().about(&label(), ctx.t().game_name_zh())
                                                    prop:value=row.zh on:input=move |ev| row.zh.set(event_target_value(&ev))/>
                                            </label>
                                            <label>
                                                {move || t().game_name_en()}
                                                <input type="text" maxlength="24" lang="en"
                                                    aria-label=move || ctx.t().about(&label(), ctx.t().game_name_en())
                                                    prop:value=row.en on:input=move |ev| row.en.set(event_target_value(&ev))/>
                                            </label>
                                        </div>
                                        <label>
                                            {move || t().game_perks()}
                                            <textarea rows="2"
                                                aria-label=move || ctx.t().about(&label(), ctx.t().game_perks())
                                                prop:value=row.perks on:input=move |ev| row.perks.set(event_target_value(&ev))></textarea>
                                        </label>
                                    </li>
                                }
                            }
                        </For>
                    </ol>
                    <div>
                        <button type="button" class="qd-button qd-secondary qd-small" on:click=add
                            disabled=move || { rows.with(Vec::len) >= LevelLadder::MAX_LEVELS }>
                            {move || t().game_add_level()}
                        </button>
                    </div>
                </section>
            </fieldset>
            <SaveFooter error=error done=done busy=busy error_testid="levels-error"/>
        </form>
    }
}
