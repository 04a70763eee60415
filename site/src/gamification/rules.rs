//! Points per action with their daily caps, and the check-in rewards: the points of the
//! check-in itself, the streak bonuses and make-up cards.

use leptos::prelude::*;
use quanzi_core::app::points::Rules as SavedRules;
use quanzi_core::checkin::{
    CheckinRules, MakeupRules, MakeupWindow, StreakBonus, StreakBonuses, StreakDays,
};
use quanzi_core::points::{Action, ActionRule, DailyCap, PointRules, Points};

use super::{LoadFailed, SaveFooter, number_u32};
use crate::community_page::community;
use crate::i18n::Text;
use crate::ui::Loading;
use crate::{client, ctx};

#[component]
pub fn Rules() -> impl IntoView {
    let community = community();
    let saved = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().point_rules(slug.as_str()).await }
    });
    let ctx = ctx();
    move || match saved.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(err)) => view! {
            <LoadFailed message=ctx.fail(&err) retry=Callback::new(move |()| saved.refetch())/>
        }
        .into_any(),
        Some(Ok(rules)) => view! { <RulesForm saved=rules/> }.into_any(),
    }
}

fn rule_mut(rules: &mut PointRules, action: Action) -> &mut ActionRule {
    match action {
        Action::Post => &mut rules.post,
        Action::Reply => &mut rules.reply,
        Action::ReactionReceived => &mut rules.reaction_received,
        Action::CheckIn => &mut rules.check_in,
        Action::EventAttended => &mut rules.event_attended,
        Action::AcceptedAnswer => &mut rules.accepted_answer,
    }
}

fn cap_text(cap: Option<DailyCap>) -> String {
    cap.map(|c| c.get().to_string()).unwrap_or_default()
}

/// A daily cap as typed: empty is no cap.
fn parse_cap(raw: &str) -> Option<Result<DailyCap, ()>> {
    if raw.trim().is_empty() {
        return None;
    }
    Some(
        number_u32(raw)
            .and_then(|n| DailyCap::new(n).ok())
            .ok_or(()),
    )
}

/// One action's row as typed.
#[derive(Clone, Copy)]
struct ActionRow {
    action: Action,
    points: RwSignal<String>,
    cap: RwSignal<String>,
}

/// One streak bonus as typed, with a stable key for the list.
#[derive(Clone, Copy)]
struct BonusRow {
    key: usize,
    days: RwSignal<String>,
    points: RwSignal<String>,
}

fn parse_form(
    text: Text,
    rows: &[ActionRow],
    streak_cap: &str,
    bonuses: &[BonusRow],
    makeup_enabled: bool,
    makeup_window: &str,
) -> Result<(PointRules, CheckinRules), String> {
    let mut points = PointRules::default();
    for row in rows {
        let name = text.game_action_name(row.action);
        let amount = number_u32(&row.points.get_untracked())
            .and_then(|n| Points::new(n).ok())
            .ok_or_else(|| text.about(name, text.game_points_rule()))?;
        let cap = parse_cap(&row.cap.get_untracked())
            .transpose()
            .map_err(|()| text.about(name, text.game_cap_rule()))?;
        *rule_mut(&mut points, row.action) = ActionRule {
            points: amount,
            daily_cap: cap,
        };
    }
    points.streak_bonus_daily_cap = parse_cap(streak_cap)
        .transpose()
        .map_err(|()| text.about(text.game_streak_cap(), text.game_cap_rule()))?;
    if bonuses.len() > StreakBonuses::MAX {
        return Err(text.game_streak_limit().to_owned());
    }
    let milestones = bonuses
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let name = text.streak_bonus_n(i + 1);
            let days = number_u32(&row.days.get_untracked())
                .and_then(|n| StreakDays::new(n).ok())
                .ok_or_else(|| text.about(&name, text.game_streak_rule()))?;
            let points = number_u32(&row.points.get_untracked())
                .and_then(|n| Points::new(n).ok())
                .ok_or_else(|| text.about(&name, text.game_points_rule()))?;
            Ok(StreakBonus { days, points })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let streak_bonuses =
        StreakBonuses::new(milestones).map_err(|_| text.game_streak_rule().to_owned())?;
    let window_days = number_u32(makeup_window)
        .and_then(|n| MakeupWindow::new(n).ok())
        .ok_or_else(|| text.game_window_rule().to_owned())?;
    let checkin = CheckinRules {
        streak_bonuses,
        makeup: MakeupRules {
            enabled: makeup_enabled,
            window_days,
        },
        // Not edited here: the caller keeps the saved hour.
        ..CheckinRules::default()
    };
    Ok((points, checkin))
}

#[component]
fn RulesForm(saved: SavedRules) -> impl IntoView {
    let can_edit = super::can_edit();
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let rows: Vec<ActionRow> = Action::ALL
        .into_iter()
        .map(|action| {
            let rule = saved.points.rule(action);
            ActionRow {
                action,
                points: RwSignal::new(rule.points.get().to_string()),
                cap: RwSignal::new(cap_text(rule.daily_cap)),
            }
        })
        .collect();
    let rows = StoredValue::new(rows);
    let streak_cap = RwSignal::new(cap_text(saved.points.streak_bonus_daily_cap));
    let next_key = StoredValue::new(saved.checkin.streak_bonuses.as_slice().len());
    let bonuses = RwSignal::new(
        saved
            .checkin
            .streak_bonuses
            .as_slice()
            .iter()
            .enumerate()
            .map(|(key, b)| BonusRow {
                key,
                days: RwSignal::new(b.days.get().to_string()),
                points: RwSignal::new(b.points.get().to_string()),
            })
            .collect::<Vec<_>>(),
    );
    let makeup_enabled = RwSignal::new(saved.checkin.makeup.enabled);
    let makeup_window = RwSignal::new(saved.checkin.makeup.window_days.get().to_string());
    let reminder_hour = saved.checkin.reminder_hour;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // What was just done, said in the current language.
    let done = RwSignal::new(None::<fn(Text) -> &'static str>);

    let add_bonus = move |_| {
        if bonuses.with(Vec::len) >= StreakBonuses::MAX {
            return;
        }
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        bonuses.update(|b| {
            b.push(BonusRow {
                key,
                days: RwSignal::new(String::new()),
                points: RwSignal::new(String::new()),
            })
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !can_edit.get_untracked() {
            return;
        }
        done.set(None);
        let parsed = rows.with_value(|rows| {
            parse_form(
                ctx.t(),
                rows,
                &streak_cap.get_untracked(),
                &bonuses.get_untracked(),
                makeup_enabled.get_untracked(),
                &makeup_window.get_untracked(),
            )
        });
        let (points, mut checkin) = match parsed {
            Ok(parsed) => parsed,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        checkin.reminder_hour = reminder_hour;
        error.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client()
                .put_point_rules(&csrf, slug.as_str(), &points, &checkin)
                .await;
            busy.set(false);
            match result {
                Ok(_) => done.set(Some(Text::game_rules_saved)),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    let action_row = move |row: ActionRow| {
        let name = move || ctx.t().game_action_name(row.action);
        view! {
            <tr data-testid="points-rule" data-action=format!("{:?}", row.action)>
                <th scope="row" style="text-transform: none; font-size: 14px; color: inherit">{name}</th>
                <td>
                    <input type="number" min="0" max="1000000" step="1" inputmode="numeric" class="qd-compact"
                        aria-label=move || ctx.t().about(name(), ctx.t().game_points())
                        prop:value=row.points on:input=move |ev| row.points.set(event_target_value(&ev))/>
                </td>
                <td>
                    <input type="number" min="1" max="1000000" step="1" inputmode="numeric" class="qd-compact"
                        placeholder=move || ctx.t().game_no_cap()
                        aria-label=move || ctx.t().about(name(), ctx.t().game_daily_cap())
                        prop:value=row.cap on:input=move |ev| row.cap.set(event_target_value(&ev))/>
                </td>
            </tr>
        }
    };

    view! {
        <form on:submit=submit novalidate class="qd-form-grid" data-testid="points-form">
            <fieldset class="qd-form-grid qd-bare" disabled=move || !can_edit.get()>
                <section class="qd-card" aria-labelledby="points-title">
                    <h3 id="points-title">{move || t().game_tab(crate::route::GameTab::Points)}</h3>
                    <p class="qd-muted">{move || t().game_points_intro()}</p>
                    <div class="qd-table-wrap">
                        <table class="qd-table">
                            <thead><tr>
                                <th scope="col">{move || t().game_action()}</th>
                                <th scope="col">{move || t().game_points()}</th>
                                <th scope="col">{move || t().game_daily_cap()}</th>
                            </tr></thead>
                            <tbody>{rows.get_value().into_iter().map(action_row).collect_view()}</tbody>
                        </table>
                    </div>
                    <p class="qd-hint">{move || t().game_cap_hint()}</p>
                </section>
                <section class="qd-card" aria-labelledby="checkin-title">
                    <h3 id="checkin-title">{move || t().game_checkin_title()}</h3>
                    <p class="qd-muted">{move || t().game_checkin_intro()}</p>
                    <fieldset class="qd-fieldset" data-testid="streak-bonuses">
                        <legend>{move || t().game_streak_days()}</legend>
                        <Show when=move || bonuses.with(Vec::is_empty)>
                            <p class="qd-empty">{move || t().game_no_bonuses()}</p>
                        </Show>
                        <For each=move || bonuses.get() key=|row| row.key let:row>
                            {
                                let position = move || bonuses.with(|b| b.iter().position(|r| r.key == row.key).unwrap_or(0) + 1);
                                let label = move || ctx.t().streak_bonus_n(position());
                                view! {
                                    <div class="qd-inline" data-testid="streak-bonus">
                                        <label>
                                            {move || t().game_streak_days()}
                                            <input type="number" min="1" max="3650" step="1" inputmode="numeric" class="qd-compact"
                                                aria-label=move || ctx.t().about(&label(), ctx.t().game_streak_days())
                                                prop:value=row.days on:input=move |ev| row.days.set(event_target_value(&ev))/>
                                        </label>
                                        <label>
                                            {move || t().game_bonus_points()}
                                            <input type="number" min="0" max="1000000" step="1" inputmode="numeric" class="qd-compact"
                                                aria-label=move || ctx.t().about(&label(), ctx.t().game_bonus_points())
                                                prop:value=row.points on:input=move |ev| row.points.set(event_target_value(&ev))/>
                                        </label>
                                        <button type="button" class="qd-button qd-ghost qd-small"
                                            aria-label=move || ctx.t().remove_named(&label())
                                            on:click=move |_| bonuses.update(|b| b.retain(|r| r.key != row.key))>
                                            {move || t().remove()}
                                        </button>
                                    </div>
                                }
                            }
                        </For>
                        <div>
                            <button type="button" class="qd-button qd-secondary qd-small" on:click=add_bonus
                                disabled=move || { bonuses.with(Vec::len) >= StreakBonuses::MAX }>
                                {move || t().game_add_bonus()}
                            </button>
                        </div>
                    </fieldset>
                    <label>
                        {move || t().game_streak_cap()}
                        <input type="number" min="1" max="1000000" step="1" inputmode="numeric" class="qd-compact"
                            placeholder=move || ctx.t().game_no_cap()
                            prop:value=streak_cap on:input=move |ev| streak_cap.set(event_target_value(&ev))/>
                    </label>
                    <label class="qd-choice">
                        <input type="checkbox" name="makeup" prop:checked=makeup_enabled
                            on:change=move |ev| makeup_enabled.set(event_target_checked(&ev))/>
                        <span>
                            <strong>{move || t().game_makeup()}</strong>
                            <span class="qd-hint">{move || t().game_makeup_hint()}</span>
                        </span>
                    </label>
                    <label>
                        {move || t().game_makeup_window()}
                        <input type="number" min="1" max="31" step="1" inputmode="numeric" class="qd-compact"
                            disabled=move || !makeup_enabled.get()
                            prop:value=makeup_window on:input=move |ev| makeup_window.set(event_target_value(&ev))/>
                    </label>
                </section>
            </fieldset>
            <SaveFooter error=error done=done busy=busy error_testid="points-error"/>
        </form>
    }
}
