//! Insight: how the community is doing, over the insight API. Cards (active today, this
//! week and this month, new members, members at risk) for a period (the last 7, 30 or 90
//! community-local days), then charts: activity per day, active members, retention by join
//! week, contribution tiers, the week's most engaged threads, topics and events, check-in
//! streaks and churn risk with the members who went quiet (each opens the member's panel).
//! Every chart links to the CSV file of the same read; a community where nobody has done
//! anything yet gets one calm note instead of empty charts.

mod chart;
mod text;

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use quanzi_client::InsightRead;
use quanzi_core::app::insight::{Overview, QuietMember, Retention, TopItems};
use quanzi_core::community::TimeZone;
use quanzi_core::error::ApiError;
use quanzi_core::ids::MemberId;
use quanzi_core::insight::Week;
use quanzi_core::insight::rollup::{ItemKind, StreakBuckets};
use quanzi_core::insight::tiers::{Tier, Tiers};
use quanzi_core::time::Timestamp;

use self::chart::{BarChart, LineChart, Series};
use self::text::{day_long, day_tick, number, percent};
use crate::community_page::community;
use crate::i18n::Text;
use crate::members::panel::MemberPanel;
use crate::{client, ctx};

/// The periods offered, in days.
const PERIODS: [u32; 3] = [7, 30, 90];
/// How long a member may be quiet before churn risk counts them (14, the API's default, first).
const QUIET_PERIODS: [u32; 3] = [7, 14, 30];
/// Join weeks in the retention table.
const COHORT_WEEKS: i64 = 12;
/// Items in each most-engaged list.
const TOP_LIMIT: u32 = 5;
/// Members shown in the churn list.
const QUIET_LIMIT: u32 = 10;

type Loaded<T> = LocalResource<Result<T, ApiError>>;

/// The community-local day now.
fn today(tz: TimeZone) -> NaiveDate {
    Timestamp(js_sys::Date::now() as i64)
        .local_day(tz)
        .unwrap_or_default()
}

/// The insight section. `can_manage`: the member panel may adjust points (owner, admin).
#[component]
pub fn Insight(#[prop(into)] can_manage: Signal<bool>) -> impl IntoView {
    let ctx = ctx();
    let community = community();
    view! {
        <h2 class="qd-section-title">{move || ctx.t().insight()}</h2>
        <p class="qd-muted">{move || ctx.t().insight_intro()}</p>
        // "Today" is the community's: wait for its time zone.
        {move || match community.view.get() {
            None => view! { <Skeleton/> }.into_any(),
            Some(_) => {
                let today = today(community.time_zone());
                view! { <Board today=today can_manage=can_manage/> }.into_any()
            }
        }}
    }
}

/// A grey block while a chart loads, announced once.
#[component]
fn Skeleton() -> impl IntoView {
    let ctx = ctx();
    view! {
        <div class="qd-skeleton" role="status" data-testid="insight-loading">
            <span class="qd-visually-hidden">{move || ctx.t().loading()}</span>
        </div>
    }
}

/// `body` of a loaded read; a skeleton while it loads; the refusal with a retry button.
fn loaded<T: Clone + 'static>(
    res: Loaded<T>,
    body: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = ctx();
    move || match res.get() {
        None => view! { <Skeleton/> }.into_any(),
        Some(Err(err)) => {
            let message = ctx.fail(&err);
            view! {
                <div class="qd-chart-error">
                    <p class="qd-error" role="alert" data-testid="insight-error">{message}</p>
                    <button type="button" class="qd-button qd-secondary qd-small"
                        on:click=move |_| res.refetch()>{move || ctx.t().retry()}</button>
                </div>
            }
            .into_any()
        }
        Some(Ok(value)) => body(value),
    }
}

/// A "Download CSV" link named after its chart.
fn csv_link(
    href: impl Fn() -> String + Send + Sync + 'static,
    what: fn(Text) -> &'static str,
) -> impl IntoView {
    let ctx = ctx();
    view! {
        <a class="qd-button qd-secondary qd-small" href=href download="" data-testid="csv"
            aria-label=move || ctx.t().insight_csv_of(what(ctx.t()))>
            {move || ctx.t().insight_download_csv()}
        </a>
    }
}

/// A card with a title, a CSV link and the chart.
#[component]
fn ChartCard(
    title: fn(Text) -> &'static str,
    #[prop(optional)] hint: Option<fn(Text) -> &'static str>,
    /// The CSV file of the same read.
    csv: Signal<String>,
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    let ctx = ctx();
    view! {
        <section class="qd-card qd-chart-card" data-testid=testid>
            <div class="qd-chart-head">
                <h3>{move || title(ctx.t())}</h3>
                {csv_link(move || csv.get(), title)}
            </div>
            {hint.map(|hint| view! { <p class="qd-muted qd-small-print">{move || hint(ctx.t())}</p> })}
            {children()}
        </section>
    }
}

#[component]
fn Board(today: NaiveDate, can_manage: Signal<bool>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let period = RwSignal::new(30u32);
    let range = Memo::new(move |_| {
        let days = i64::from(period.get());
        (today - Duration::days(days - 1), today)
    });
    let overview_read = Signal::derive(move || {
        let (from, to) = range.get();
        InsightRead::Overview { from, to }
    });
    let quiet_days = RwSignal::new(QUIET_PERIODS[1]);
    let churn_read = Signal::derive(move || {
        let (from, to) = range.get();
        InsightRead::Churn {
            from,
            to,
            quiet_days: quiet_days.get(),
        }
    });
    let streaks_read = Signal::derive(move || {
        let (from, to) = range.get();
        InsightRead::Streaks { from, to }
    });
    let this_week = Week::of(today);
    let retention_read = InsightRead::Retention {
        from: this_week.plus(1 - COHORT_WEEKS),
        to: this_week,
    };
    let top_read = |kind| InsightRead::Top {
        kind,
        week: None,
        limit: TOP_LIMIT,
    };
    let quiet_read = Signal::derive(move || InsightRead::ChurnMembers {
        limit: QUIET_LIMIT,
        quiet_days: quiet_days.get(),
    });
    let csv_of = move |read: Signal<InsightRead>| {
        Signal::derive(move || client().insight_csv_url(community.slug().as_str(), &read.get()))
    };
    let fixed_csv = move |read: InsightRead| {
        Signal::derive(move || client().insight_csv_url(community.slug().as_str(), &read))
    };

    let overview: Loaded<Overview> = LocalResource::new(move || {
        let read = overview_read.get();
        async move {
            client()
                .insight_overview(community.slug().as_str(), &read)
                .await
        }
    });
    let churn = LocalResource::new(move || {
        let read = churn_read.get();
        async move {
            client()
                .insight_churn(community.slug().as_str(), &read)
                .await
        }
    });
    let streaks = LocalResource::new(move || {
        let read = streaks_read.get();
        async move {
            client()
                .insight_streaks(community.slug().as_str(), &read)
                .await
        }
    });
    let tiers: Loaded<Tiers> = LocalResource::new(move || async move {
        client().insight_tiers(community.slug().as_str()).await
    });
    let retention: Loaded<Retention> = {
        let read = retention_read.clone();
        LocalResource::new(move || {
            let read = read.clone();
            async move {
                client()
                    .insight_retention(community.slug().as_str(), &read)
                    .await
            }
        })
    };
    let top = |kind: ItemKind| -> Loaded<TopItems> {
        LocalResource::new(move || async move {
            client()
                .insight_top(community.slug().as_str(), &top_read(kind))
                .await
        })
    };
    let (threads, topics, events) = (
        top(ItemKind::Thread),
        top(ItemKind::Topic),
        top(ItemKind::Event),
    );
    let quiet = LocalResource::new(move || {
        let read = quiet_read.get();
        async move {
            client()
                .insight_churn_members(community.slug().as_str(), &read)
                .await
        }
    });
    let quiet_csv = csv_of(quiet_read);
    let retention_csv = fixed_csv(retention_read);
    // Nothing has happened yet: no member insight knows of.
    let brand_new = Memo::new(move |_| matches!(tiers.get(), Some(Ok(t)) if t.members == 0));
    let selected = RwSignal::new(None::<MemberId>);

    let picker = move || {
        PERIODS
            .into_iter()
            .map(|days| {
                view! {
                    <button type="button" class="qd-period" data-testid=format!("period-{days}")
                        aria-pressed=move || (period.get() == days).to_string()
                        on:click=move |_| period.set(days)>
                        {move || ctx.t().insight_last_days(days)}
                    </button>
                }
            })
            .collect_view()
    };

    view! {
        <div class="qd-insight-bar">
            <div class="qd-periods" role="group" aria-label=move || t().insight_period()>{picker}</div>
            <button type="button" class="qd-button qd-ghost qd-small" data-testid="insight-reload" on:click=move |_| {
                overview.refetch();
                churn.refetch();
                streaks.refetch();
                tiers.refetch();
                retention.refetch();
                threads.refetch();
                topics.refetch();
                events.refetch();
                quiet.refetch();
            }>{move || t().insight_reload()}</button>
        </div>
        <Cards overview=overview churn=churn/>
        <Show
            when=move || !brand_new.get()
            fallback=move || view! {
                <section class="qd-card qd-empty-state" data-testid="insight-empty">
                    <h3>{move || t().insight_empty_title()}</h3>
                    <p>{move || t().insight_empty_body()}</p>
                </section>
            }
        >
            <div class="qd-chart-grid">
                <ChartCard title=|t| t.insight_activity() csv=csv_of(overview_read) testid="chart-activity">
                    {loaded(overview, move |o| activity_chart(ctx.t(), &o))}
                </ChartCard>
                <ChartCard title=|t| t.insight_active_per_day() csv=csv_of(overview_read) testid="chart-active">
                    {loaded(overview, move |o| active_chart(ctx.t(), &o))}
                </ChartCard>
            </div>
            <ChartCard title=|t| t.insight_retention() hint=|t| t.insight_retention_hint()
                csv=retention_csv testid="chart-retention">
                {loaded(retention, move |r| retention_table(ctx.t(), &r))}
            </ChartCard>
            <div class="qd-chart-grid">
                <ChartCard title=|t| t.insight_tiers() hint=|t| t.insight_tiers_hint()
                    csv=fixed_csv(InsightRead::Tiers) testid="chart-tiers">
                    {loaded(tiers, move |tiers| tiers_chart(ctx.t(), &tiers))}
                </ChartCard>
                <ChartCard title=|t| t.insight_streaks() hint=|t| t.insight_streaks_hint()
                    csv=csv_of(streaks_read) testid="chart-streaks">
                    {loaded(streaks, move |s| {
                        let mut sums = [0u32; 5];
                        for day in &s.days {
                            let c = day.streaks;
                            for (sum, n) in sums.iter_mut().zip([c.one, c.two_to_six, c.week, c.two_weeks, c.month]) {
                                *sum = sum.saturating_add(n);
                            }
                        }
                        let bars = StreakBuckets::LABELS
                            .iter()
                            .zip(sums)
                            .map(|(label, n)| (label.replace('-', "–"), n))
                            .collect();
                        let t = ctx.t();
                        view! {
                            <BarChart bars=bars caption=t.insight_streaks().to_owned()
                                label_header=t.insight_streak_days().to_owned() testid="streaks-bars"/>
                        }.into_any()
                    })}
                </ChartCard>
            </div>
            <section class="qd-card qd-chart-card" data-testid="chart-top">
                <h3>{move || t().insight_top()}</h3>
                <div class="qd-top-lists">
                    {top_list(threads, |t| t.insight_top_threads(), fixed_csv(top_read(ItemKind::Thread)), "top-threads")}
                    {top_list(topics, |t| t.insight_top_topics(), fixed_csv(top_read(ItemKind::Topic)), "top-topics")}
                    {top_list(events, |t| t.insight_top_events(), fixed_csv(top_read(ItemKind::Event)), "top-events")}
                </div>
            </section>
            <ChartCard title=|t| t.insight_churn() hint=|t| t.insight_at_risk_hint()
                csv=csv_of(churn_read) testid="chart-churn">
                <div class="qd-periods" role="group" aria-label=move || t().insight_quiet_for()>
                    <span class="qd-muted" aria-hidden="true">{move || t().insight_quiet_for()}</span>
                    {QUIET_PERIODS.into_iter().map(|days| view! {
                        <button type="button" class="qd-period" data-testid=format!("quiet-{days}")
                            aria-pressed=move || (quiet_days.get() == days).to_string()
                            on:click=move |_| quiet_days.set(days)>
                            {move || ctx.t().insight_days(days)}
                        </button>
                    }).collect_view()}
                </div>
                <div class="qd-chart-grid">
                <div>
                {loaded(churn, move |c| {
                    let days = c.days.iter().map(|d| d.day).collect();
                    let t = ctx.t();
                    let series = vec![Series {
                        label: t.insight_at_risk().to_owned(),
                        class: "s1",
                        values: c.days.iter().map(|d| d.at_risk).collect(),
                    }];
                    view! {
                        <LineChart days=days series=series caption=t.insight_churn_per_day().to_owned()/>
                    }.into_any()
                })}
                </div>
                <div>
                <div class="qd-chart-head qd-subhead">
                    <h4>{move || t().insight_churn_list()}</h4>
                    {csv_link(move || quiet_csv.get(), |t| t.insight_churn_list())}
                </div>
                {loaded(quiet, move |q| quiet_list(ctx.t(), q.items, selected))}
                </div>
                </div>
            </ChartCard>
        </Show>
        {move || selected.get().map(|member| view! {
            <MemberPanel member=member can_manage=can_manage
                on_change=Callback::new(move |()| quiet.refetch())
                on_close=Callback::new(move |()| selected.set(None))/>
        })}
    }
}

/// The period's headline numbers.
#[component]
fn Cards(
    overview: Loaded<Overview>,
    churn: Loaded<quanzi_core::app::insight::Churn>,
) -> impl IntoView {
    let ctx = ctx();
    let stat = move |label: fn(Text) -> &'static str,
                     testid: &'static str,
                     value: Box<dyn Fn() -> Option<Option<u64>> + Send + Sync>| {
        view! {
            <div class="qd-stat" data-testid=testid>
                <span class="qd-stat-label">{move || label(ctx.t())}</span>
                {move || match value() {
                    None => view! { <span class="qd-stat-value qd-skeleton-text" aria-hidden="true">"\u{a0}"</span> }.into_any(),
                    Some(None) => view! { <span class="qd-stat-value">"—"</span> }.into_any(),
                    Some(Some(n)) => view! { <span class="qd-stat-value" data-testid="value">{number(n)}</span> }.into_any(),
                }}
            </div>
        }
    };
    // `None` while loading, `Some(None)` after a failure (the chart below says why).
    let from_overview =
        move |pick: fn(&Overview) -> u64| -> Box<dyn Fn() -> Option<Option<u64>> + Send + Sync> {
            Box::new(move || overview.get().map(|r| r.ok().map(|o| pick(&o))))
        };
    view! {
        <div class="qd-stats" data-testid="insight-cards">
            {stat(|t| t.insight_dau(), "card-dau",
                from_overview(|o| o.days.last().map_or(0, |d| u64::from(d.active))))}
            {stat(|t| t.insight_wau(), "card-wau",
                from_overview(|o| o.weeks.last().map_or(0, |w| u64::from(w.active))))}
            {stat(|t| t.insight_mau(), "card-mau",
                from_overview(|o| o.months.last().map_or(0, |m| u64::from(m.active))))}
            {stat(|t| t.insight_new_members(), "card-new",
                from_overview(|o| o.days.iter().map(|d| u64::from(d.new_members)).sum()))}
            {stat(|t| t.insight_at_risk(), "card-at-risk",
                Box::new(move || churn.get().map(|r| r.ok().map(|c| u64::from(c.at_risk)))))}
        </div>
    }
}

fn activity_chart(t: Text, o: &Overview) -> AnyView {
    let days = o.days.iter().map(|d| d.day).collect();
    let line =
        |label: &str, class, pick: fn(&quanzi_core::app::insight::OverviewDay) -> u32| Series {
            label: label.to_owned(),
            class,
            values: o.days.iter().map(pick).collect(),
        };
    let series = vec![
        line(t.insight_posts(), "s1", |d| d.posts),
        line(t.insight_replies(), "s2", |d| d.replies),
        line(t.insight_checkins(), "s3", |d| d.checkins),
        line(t.insight_signups(), "s4", |d| d.signups),
    ];
    view! {
        <LineChart days=days series=series caption=t.insight_activity().to_owned() testid="activity-lines"/>
    }
    .into_any()
}

fn active_chart(t: Text, o: &Overview) -> AnyView {
    let days = o.days.iter().map(|d| d.day).collect();
    let series = vec![
        Series {
            label: t.insight_active_members().to_owned(),
            class: "s2",
            values: o.days.iter().map(|d| d.active).collect(),
        },
        Series {
            label: t.insight_new_members().to_owned(),
            class: "s3",
            values: o.days.iter().map(|d| d.new_members).collect(),
        },
    ];
    view! {
        <LineChart days=days series=series caption=t.insight_active_per_day().to_owned() testid="active-lines"/>
    }
    .into_any()
}

/// One retention cell: the share, shaded by it, with the count; `*` while it may grow.
fn cohort_cell(part: u32, joined: u32, final_: bool) -> impl IntoView {
    match percent(part, joined) {
        None => view! { <td class="qd-heat">"—"</td> }.into_any(),
        Some(p) => {
            let mark = if final_ { "" } else { "*" };
            view! {
                <td class="qd-heat" data-strong=(p >= 55.0).to_string()
                    style=format!("--heat: {:.0}%", p.clamp(0.0, 100.0))>
                    {format!("{p:.1}%{mark}")}
                    <span class="qd-heat-count">{format!(" ({})", number(u64::from(part)))}</span>
                </td>
            }
            .into_any()
        }
    }
}

fn retention_table(t: Text, r: &Retention) -> AnyView {
    if r.cohorts.iter().all(|c| c.joined == 0) {
        return view! { <p class="qd-empty" data-testid="no-cohorts">{t.insight_no_cohorts()}</p> }
            .into_any();
    }
    let locale = t.0;
    let rows = r
        .cohorts
        .iter()
        .rev()
        .map(|c| {
            view! {
                <tr data-testid="cohort">
                    <th scope="row">{c.week.to_string()}<br/>
                        <span class="qd-muted qd-small-print">{day_tick(locale, c.week.monday())}</span></th>
                    <td>{number(u64::from(c.joined))}</td>
                    {cohort_cell(c.week2, c.joined, c.week2_final)}
                    {cohort_cell(c.month1, c.joined, c.month1_final)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="qd-table-wrap">
            <table class="qd-table qd-cohorts" data-testid="cohorts">
                <thead><tr>
                    <th scope="col">{t.insight_join_week()}</th>
                    <th scope="col">{t.insight_joined()}</th>
                    <th scope="col">{t.insight_week2()}</th>
                    <th scope="col">{t.insight_month1()}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn tiers_chart(t: Text, tiers: &Tiers) -> AnyView {
    let bars = tiers
        .tiers
        .iter()
        .map(|row| {
            let label = match row.tier {
                Tier::Top1 => t.insight_tier_top1(),
                Tier::Top10 => t.insight_tier_top10(),
                Tier::Rest => t.insight_tier_rest(),
            };
            (label.to_owned(), row.members)
        })
        .collect();
    view! {
        <BarChart bars=bars caption=t.insight_tiers().to_owned() label_header=t.insight_tier().to_owned()
            testid="tiers-bars"/>
    }
    .into_any()
}

/// One of the most-engaged lists, with its CSV link.
fn top_list(
    res: Loaded<TopItems>,
    title: fn(Text) -> &'static str,
    csv: Signal<String>,
    testid: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    view! {
        <div class="qd-top-list" data-testid=testid>
            <div class="qd-chart-head qd-subhead">
                <h4>{move || title(ctx.t())}</h4>
                {csv_link(move || csv.get(), title)}
            </div>
            {loaded(res, move |top| {
                let t = ctx.t();
                if top.items.is_empty() {
                    return view! { <p class="qd-empty">{t.insight_top_none()}</p> }.into_any();
                }
                let best = top.items.first().map_or(1, |i| i.score.max(1));
                let items = top.items.into_iter().map(|item| {
                    let name = item.title.clone().unwrap_or_else(|| item.id.clone());
                    let width = f64::from(item.score) * 100.0 / f64::from(best);
                    view! {
                        <li data-testid="top-item">
                            <span class="qd-top-name">{name}</span>
                            <span class="qd-top-score" title=t.insight_score()>{number(u64::from(item.score))}</span>
                            <span class="qd-top-bar" aria-hidden="true" style=format!("width: {width:.0}%")></span>
                        </li>
                    }
                }).collect_view();
                view! { <ol class="qd-top-items">{items}</ol> }.into_any()
            })}
        </div>
    }
}

/// The members at risk; each opens their panel.
fn quiet_list(t: Text, items: Vec<QuietMember>, selected: RwSignal<Option<MemberId>>) -> AnyView {
    if items.is_empty() {
        return view! { <p class="qd-empty" data-testid="no-quiet">{t.insight_churn_none()}</p> }
            .into_any();
    }
    let locale = t.0;
    let rows = items
        .into_iter()
        .map(|m| {
            let name = m.name.clone().unwrap_or_else(|| m.member.to_string());
            let id = m.member.clone();
            view! {
                <tr data-testid="quiet-member" data-member=m.member.to_string()>
                    <td>
                        <button type="button" class="qd-link-button"
                            aria-label=t.insight_open_member(&name)
                            on:click=move |_| selected.set(Some(id.clone()))>{name.clone()}</button>
                        <br/><code class="qd-muted">{m.member.to_string()}</code>
                    </td>
                    <td>{day_long(locale, m.last_active)}</td>
                    <td>{number(u64::from(m.quiet_days))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="qd-table-wrap">
            <table class="qd-table" data-testid="quiet-members">
                <thead><tr>
                    <th scope="col">{t.members_name()}</th>
                    <th scope="col">{t.insight_last_active()}</th>
                    <th scope="col">{t.insight_quiet_days()}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
