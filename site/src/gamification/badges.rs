//! The badge catalogue: badges earned automatically by a rule, and badges only staff give;
//! each with names in both languages and whether it may be shown as a title.

use leptos::prelude::*;
use quanzi_core::recognition::{
    BadgeAward, BadgeCatalogue, BadgeDef, BadgeId, BadgeName, BadgeRule, Count, Names,
};

use super::{LoadFailed, SaveFooter, number_u32};
use crate::community_page::community;
use crate::i18n::Text;
use crate::ui::Loading;
use crate::{client, ctx};

#[component]
pub fn Badges() -> impl IntoView {
    let community = community();
    let saved = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().badges(slug.as_str()).await }
    });
    let ctx = ctx();
    move || match saved.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(err)) => view! {
            <LoadFailed message=ctx.fail(&err) retry=Callback::new(move |()| saved.refetch())/>
        }
        .into_any(),
        Some(Ok(badges)) => view! { <BadgesForm saved=badges.badges/> }.into_any(),
    }
}

/// How a badge is given, as the form's select names it.
const KINDS: [&str; 10] = [
    "staff",
    "first_post",
    "posts",
    "replies",
    "reactions_received",
    "accepted_answers",
    "events_attended",
    "streak",
    "checkin_days",
    "points_earned",
];

fn kind_name(text: Text, kind: &str) -> &'static str {
    match kind {
        "first_post" => text.game_badge_first_post(),
        "posts" => text.game_badge_posts(),
        "replies" => text.game_badge_replies(),
        "reactions_received" => text.game_badge_reactions(),
        "accepted_answers" => text.game_badge_answers(),
        "events_attended" => text.game_badge_events(),
        "streak" => text.game_badge_streak(),
        "checkin_days" => text.game_badge_checkin_days(),
        "points_earned" => text.game_badge_points(),
        _ => text.game_badge_manual(),
    }
}

/// The select's value and the count of a saved award.
fn kind_of(award: BadgeAward) -> (&'static str, Option<u32>) {
    match award {
        BadgeAward::Staff => ("staff", None),
        BadgeAward::Automatic { rule } => match rule {
            BadgeRule::FirstPost => ("first_post", None),
            BadgeRule::Posts { count } => ("posts", Some(count.get())),
            BadgeRule::Replies { count } => ("replies", Some(count.get())),
            BadgeRule::ReactionsReceived { count } => ("reactions_received", Some(count.get())),
            BadgeRule::AcceptedAnswers { count } => ("accepted_answers", Some(count.get())),
            BadgeRule::EventsAttended { count } => ("events_attended", Some(count.get())),
            BadgeRule::Streak { days } => ("streak", Some(days.get())),
            BadgeRule::CheckinDays { days } => ("checkin_days", Some(days.get())),
            BadgeRule::PointsEarned { points } => ("points_earned", Some(points.get())),
        },
    }
}

/// The award a select value and a count make; `Err` when the count is needed and wrong.
fn award_of(kind: &str, count: Option<Count>) -> Result<BadgeAward, ()> {
    let automatic = |rule| Ok(BadgeAward::Automatic { rule });
    match (kind, count) {
        ("staff", _) => Ok(BadgeAward::Staff),
        ("first_post", _) => automatic(BadgeRule::FirstPost),
        ("posts", Some(count)) => automatic(BadgeRule::Posts { count }),
        ("replies", Some(count)) => automatic(BadgeRule::Replies { count }),
        ("reactions_received", Some(count)) => automatic(BadgeRule::ReactionsReceived { count }),
        ("accepted_answers", Some(count)) => automatic(BadgeRule::AcceptedAnswers { count }),
        ("events_attended", Some(count)) => automatic(BadgeRule::EventsAttended { count }),
        ("streak", Some(days)) => automatic(BadgeRule::Streak { days }),
        ("checkin_days", Some(days)) => automatic(BadgeRule::CheckinDays { days }),
        ("points_earned", Some(points)) => automatic(BadgeRule::PointsEarned { points }),
        _ => Err(()),
    }
}

fn needs_count(kind: &str) -> bool {
    !matches!(kind, "staff" | "first_post")
}

/// One badge as typed, with a stable key for the list.
#[derive(Clone, Copy)]
struct BadgeRow {
    key: usize,
    id: RwSignal<String>,
    zh: RwSignal<String>,
    en: RwSignal<String>,
    kind: RwSignal<&'static str>,
    count: RwSignal<String>,
    title: RwSignal<bool>,
}

impl BadgeRow {
    fn new(key: usize, badge: Option<&BadgeDef>) -> Self {
        let (kind, count) = badge.map_or(("staff", None), |b| kind_of(b.award));
        Self {
            key,
            id: RwSignal::new(badge.map(|b| b.id.to_string()).unwrap_or_default()),
            zh: RwSignal::new(badge.map(|b| b.names.zh_cn.to_string()).unwrap_or_default()),
            en: RwSignal::new(badge.map(|b| b.names.en.to_string()).unwrap_or_default()),
            kind: RwSignal::new(kind),
            count: RwSignal::new(count.map(|c| c.to_string()).unwrap_or_default()),
            title: RwSignal::new(badge.is_some_and(|b| b.title)),
        }
    }
}

fn parse_badges(text: Text, rows: &[BadgeRow]) -> Result<BadgeCatalogue, String> {
    if rows.len() > BadgeCatalogue::MAX {
        return Err(text.game_badge_limit().to_owned());
    }
    let mut badges: Vec<BadgeDef> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let name = text.badge_n(i + 1);
        let id = BadgeId::parse(row.id.get_untracked().trim())
            .ok()
            .filter(|id| badges.iter().all(|b| &b.id != id))
            .ok_or_else(|| text.about(&name, text.game_badge_id_rule()))?;
        let zh_cn = BadgeName::parse(row.zh.get_untracked().trim());
        let en = BadgeName::parse(row.en.get_untracked().trim());
        let (Ok(zh_cn), Ok(en)) = (zh_cn, en) else {
            return Err(text.about(&name, text.game_badge_name_rule()));
        };
        let kind = row.kind.get_untracked();
        let count = if needs_count(kind) {
            Some(
                number_u32(&row.count.get_untracked())
                    .and_then(|n| Count::new(n).ok())
                    .ok_or_else(|| text.about(&name, text.game_badge_count_rule()))?,
            )
        } else {
            None
        };
        let award =
            award_of(kind, count).map_err(|()| text.about(&name, text.game_badge_count_rule()))?;
        badges.push(BadgeDef {
            id,
            names: Names { zh_cn, en },
            award,
            title: row.title.get_untracked(),
        });
    }
    BadgeCatalogue::new(badges).map_err(|e| e.to_string())
}

#[component]
fn BadgesForm(saved: Vec<BadgeDef>) -> impl IntoView {
    let can_edit = super::can_edit();
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let next_key = StoredValue::new(saved.len());
    let rows = RwSignal::new(
        saved
            .iter()
            .enumerate()
            .map(|(key, badge)| BadgeRow::new(key, Some(badge)))
            .collect::<Vec<_>>(),
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // What was just done, said in the current language.
    let done = RwSignal::new(None::<fn(Text) -> &'static str>);

    let add = move |_| {
        if rows.with(Vec::len) >= BadgeCatalogue::MAX {
            return;
        }
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|r| r.push(BadgeRow::new(key, None)));
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !can_edit.get_untracked() {
            return;
        }
        done.set(None);
        let catalogue = match parse_badges(ctx.t(), &rows.get_untracked()) {
            Ok(catalogue) => catalogue,
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
            let result = client().put_badges(&csrf, slug.as_str(), &catalogue).await;
            busy.set(false);
            match result {
                Ok(_) => done.set(Some(Text::game_badges_saved)),
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <form on:submit=submit novalidate class="qd-form-grid" data-testid="badges-form">
            <fieldset class="qd-form-grid qd-bare" disabled=move || !can_edit.get()>
                <section class="qd-card">
                    <p class="qd-muted">{move || t().game_badges_intro()}</p>
                    <Show when=move || rows.with(Vec::is_empty)>
                        <p class="qd-empty" data-testid="no-badges">{move || t().game_no_badges()}</p>
                    </Show>
                    <ol class="qd-list">
                        <For each=move || rows.get() key=|row| row.key let:row>
                            {
                                let position = move || rows.with(|r| r.iter().position(|x| x.key == row.key).unwrap_or(0) + 1);
                                let label = move || ctx.t().badge_n(position());
                                view! {
                                    <li class="qd-row" data-testid="badge-row">
                                        <div class="qd-row-head">
                                            <strong>{label}</strong>
                                            <span class="qd-spacer"></span>
                                            <button type="button" class="qd-button qd-ghost qd-small"
                                                aria-label=move || ctx.t().remove_named(&label())
                                                on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>
                                                {move || t().remove()}
                                            </button>
                                        </div>
                                        <div class="qd-form-row">
                                            <label>
                                                {move || t().game_badge_id()}
                                                <input type="text" maxlength="40" autocapitalize="off" spellcheck="false"
                                                    aria-label=move || ctx.t().about(&label(), ctx.t().game_badge_id())
                                                    prop:value=row.id on:input=move |ev| row.id.set(event_target_value(&ev))/>
                                            </label>
                                            <label>
                                                {move || t().game_name_zh()}
                                                <input type="text" maxlength="40" lang="zh-CN"
                                                    aria-label=move || ctx.t().about(&label(), ctx.t().game_name_zh())
                                                    prop:value=row.zh on:input=move |ev| row.zh.set(event_target_value(&ev))/>
                                            </label>
                                            <label>
                                                {move || t().game_name_en()}
                                                <input type="text" maxlength="40" lang="en"
                                                    aria-label=move || ctx.t().about(&label(), ctx.t().game_name_en())
                                                    prop:value=row.en on:input=move |ev| row.en.set(event_target_value(&ev))/>
                                            </label>
                                        </div>
                                        <div class="qd-form-row">
                                            <label>
                                                {move || t().game_badge_how()}
                                                <select aria-label=move || ctx.t().about(&label(), ctx.t().game_badge_how())
                                                    on:change=move |ev| {
                                                        let value = event_target_value(&ev);
                                                        if let Some(kind) = KINDS.into_iter().find(|k| *k == value) {
                                                            row.kind.set(kind);
                                                        }
                                                    }>
                                                    {KINDS.into_iter().map(|kind| view! {
                                                        <option value=kind selected=move || row.kind.get() == kind>
                                                            {move || kind_name(ctx.t(), kind)}
                                                        </option>
                                                    }).collect_view()}
                                                </select>
                                            </label>
                                            <Show when=move || needs_count(row.kind.get())>
                                                <label>
                                                    {move || t().game_badge_count()}
                                                    <input type="number" min="1" max="1000000" step="1" inputmode="numeric"
                                                        aria-label=move || ctx.t().about(&label(), ctx.t().game_badge_count())
                                                        prop:value=row.count on:input=move |ev| row.count.set(event_target_value(&ev))/>
                                                </label>
                                            </Show>
                                            <label class="qd-choice qd-choice-inline">
                                                <input type="checkbox" prop:checked=row.title
                                                    on:change=move |ev| row.title.set(event_target_checked(&ev))/>
                                                <span>{move || t().game_badge_title()}</span>
                                            </label>
                                        </div>
                                    </li>
                                }
                            }
                        </For>
                    </ol>
                    <div>
                        <button type="button" class="qd-button qd-secondary qd-small" on:click=add
                            disabled=move || { rows.with(Vec::len) >= BadgeCatalogue::MAX }>
                            {move || t().game_add_badge()}
                        </button>
                    </div>
                </section>
            </fieldset>
            <SaveFooter error=error done=done busy=busy error_testid="badges-error"/>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_award() {
        let count = Count::new(3).ok();
        for kind in KINDS {
            let award = award_of(kind, count).unwrap();
            assert_eq!(kind_of(award).0, kind);
        }
        assert!(award_of("posts", None).is_err());
        assert!(award_of("nonsense", count).is_err());
    }
}
