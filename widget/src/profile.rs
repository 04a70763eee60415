//! The member's own page (`data-view="profile"`, or the 我的 tab): points balance, level and
//! the way to the next one with its perks, badges and the title they show, and the ledger
//! of every point they got or spent.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quanzi_client::Client;
use quanzi_core::app::points::MyPoints;
use quanzi_core::points::LedgerEntry;
use quanzi_core::recognition::{BadgeView, Level, LevelProgress};

use crate::feedback::{Announcer, Empty, Glyph, Icon, Problem, SignInPrompt, Skeleton};
use crate::intl::{self, Style};
use crate::session::{Load, use_session, use_text};
use crate::talk::Me;

/// The first letter of the member's name on the accent colour.
#[component]
fn Avatar(#[prop(into)] name: String) -> impl IntoView {
    let initial = name.chars().next().map(String::from).unwrap_or_default();
    view! { <span class="qz-me-avatar" aria-hidden="true">{initial}</span> }
}

#[component]
pub fn Profile() -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let mine = RwSignal::new(Load::<MyPoints>::Loading);
    let ladder = RwSignal::new(Vec::<Level>::new());
    let message = RwSignal::new(None::<String>);

    let load = {
        move || {
            let Some(token) = session.token.get_untracked() else {
                return;
            };
            let client = client.get_value();
            spawn_local(async move {
                let result = client.my_points(&session.slug(), &token).await;
                mine.set(match result {
                    Ok(p) => Load::Ready(p),
                    Err(e) => Load::Failed(e.code),
                });
            });
        }
    };
    Effect::new(move |_| {
        session.changed.track();
        if session.token.get().is_some() {
            load();
        }
    });
    {
        let client = client.get_value();
        spawn_local(async move {
            if let Ok(levels) = client.levels(&session.slug()).await {
                ladder.set(levels.levels.levels().to_vec());
            }
        });
    }
    let retry = Callback::new(move |()| {
        mine.set(Load::Loading);
        load();
    });

    // Shows the badge as the member's title, or stops showing it. Optimistic.
    let choose_title = Callback::new(move |badge: BadgeView| {
        let (Some(token), Load::Ready(before)) =
            (session.token.get_untracked(), mine.get_untracked())
        else {
            return;
        };
        let showing = !badge.shown_as_title;
        let mut after = before.clone();
        for b in &mut after.badges {
            b.shown_as_title = showing && b.id == badge.id;
        }
        after.title = showing.then(|| badge.clone());
        mine.set(Load::Ready(after));
        let client = client.get_value();
        spawn_local(async move {
            let chosen = showing.then(|| badge.id.as_str().to_owned());
            let result = client
                .choose_title(&session.slug(), &token, chosen.as_deref())
                .await;
            match result {
                Ok(now) => {
                    mine.update(|m| {
                        if let Load::Ready(p) = m {
                            p.badges = now.badges;
                            p.title = now.title;
                        }
                    });
                    let name = badge.names.get(t.0);
                    message.set(Some(if showing {
                        t.title_shown(&name)
                    } else {
                        t.title_hidden().to_owned()
                    }));
                }
                Err(e) => {
                    mine.set(Load::Ready(before));
                    message.set(Some(t.me_explain(e.code).to_owned()));
                }
            }
        });
    });

    view! {
        <section class="qz-card qz-profile" aria-labelledby="qz-profile-title" data-testid="profile">
            <h3 class="qz-card-title" id="qz-profile-title">{t.my_profile()}</h3>
            {move || {
                let Some(token) = session.token.get() else {
                    return view! { <SignInPrompt text=t.sign_in_for_profile()/> }.into_any();
                };
                match mine.get() {
                    Load::Loading => view! { <Skeleton rows=4/> }.into_any(),
                    Load::Failed(code) => view! { <Problem code=code retry=retry/> }.into_any(),
                    Load::Ready(p) => {
                        // The name as the brand's token gives it (the worker verified the token).
                        let name = Me::from_token(&token).map(|me| me.name).unwrap_or_default();
                        view! {
                            <Summary points=p.clone() name=name/>
                            <LevelCard progress=p.level.clone() ladder=ladder/>
                            <Badges badges=p.badges.clone() choose=choose_title/>
                            <Ledger/>
                            <MyData token=token.clone()/>
                        }
                        .into_any()
                    }
                }
            }}
            <Announcer message=message testid="profile-result"/>
        </section>
    }
}

/// Name, title, level, and the three numbers a member checks first.
#[component]
fn Summary(points: MyPoints, name: String) -> impl IntoView {
    let t = use_text().get_untracked();
    let locale = t.0;
    let title = points.title.as_ref().map(|b| {
        view! { <span class="qz-title-chip" data-testid="my-title">{b.names.get(locale)}</span> }
    });
    let level = format!(
        "Lv{} · {}",
        points.level.level,
        points.level.names.get(locale)
    );
    view! {
        <div class="qz-me">
            <Avatar name=name.clone()/>
            <div class="qz-me-who">
                <p class="qz-me-name">{name}{title}</p>
                <p class="qz-muted" data-testid="my-level">{level}</p>
            </div>
        </div>
        <dl class="qz-me-stats">
            <div class="qz-me-stat">
                <dt>{t.points_available()}</dt>
                <dd data-testid="points-balance">{intl::number(points.balance.balance)}</dd>
            </div>
            <div class="qz-me-stat">
                <dt>{t.points_earned_total()}</dt>
                <dd>{intl::number(points.balance.earned)}</dd>
            </div>
            <div class="qz-me-stat">
                <dt>{t.badges_heading()}</dt>
                <dd data-testid="badge-count">{points.badges.len()}</dd>
            </div>
        </dl>
    }
}

/// The level, the bar to the next one, and the perks of both.
#[component]
fn LevelCard(progress: LevelProgress, ladder: RwSignal<Vec<Level>>) -> impl IntoView {
    let t = use_text().get_untracked();
    let locale = t.0;
    let percent = progress.percent.min(100);
    let next = progress.next.clone();
    let caption = {
        let next = next.clone();
        move || match &next {
            Some(n) => t.points_to_next_level(n.points_to_go, n.level, &n.names.get(locale)),
            None => t.top_level().to_owned(),
        }
    };
    let scale = next.as_ref().map(|n| {
        format!(
            "{} / {}",
            intl::number(progress.points),
            intl::number(n.threshold)
        )
    });
    let current_perks = progress.perks.clone();
    let next_level = next.as_ref().map(|n| n.level);
    let next_perks = move || {
        let level = next_level?;
        let rung = ladder
            .get()
            .get(usize::from(level).checked_sub(1)?)?
            .clone();
        let perks: Vec<String> = rung.perks.iter().map(ToString::to_string).collect();
        (!perks.is_empty()).then(|| {
            view! {
                <div class="qz-perks-col">
                    <h5>{t.perks_of_level(level, &rung.names.get(locale))}</h5>
                    <ul>{perks.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    view! {
        <section class="qz-block" aria-labelledby="qz-level-title">
            <h4 class="qz-block-title" id="qz-level-title">{t.level_heading()}</h4>
            <div class="qz-level-head">
                <span class="qz-level-chip">{format!("Lv{}", progress.level)}</span>
                <strong>{progress.names.get(locale)}</strong>
                <span class="qz-muted qz-push">{scale}</span>
            </div>
            <div
                class="qz-progress"
                role="progressbar"
                aria-label=t.level_heading()
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent
                aria-valuetext=caption.clone()
                data-testid="level-progress"
            >
                <span class="qz-progress-fill" style=("width", format!("{percent}%"))></span>
            </div>
            <p class="qz-muted">{caption}</p>
            <div class="qz-perks">
                {(!current_perks.is_empty()).then(|| view! {
                    <div class="qz-perks-col">
                        <h5>{t.perks_now()}</h5>
                        <ul>{current_perks.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
                    </div>
                })}
                {next_perks}
            </div>
        </section>
    }
}

/// Every badge the member holds; a title badge can be shown beside their name.
#[component]
fn Badges(badges: Vec<BadgeView>, choose: Callback<BadgeView>) -> impl IntoView {
    let t = use_text().get_untracked();
    let locale = t.0;
    let zone = use_session().time_zone;
    let list = if badges.is_empty() {
        view! { <Empty icon=Icon::Medal text=t.no_badges_yet()/> }.into_any()
    } else {
        let items = badges
            .into_iter()
            .map(|b| {
                let name = b.names.get(locale);
                let shown = b.shown_as_title;
                let since = intl::instant(b.at.millis(), locale, &zone.get_untracked(), Style::Date);
                let button = b.title.then(|| {
                    let badge = b.clone();
                    view! {
                        <button
                            type="button"
                            class="qz-chip-button"
                            aria-pressed=shown.to_string()
                            data-testid="title-toggle"
                            on:click=move |_| choose.run(badge.clone())
                        >
                            {move || if shown { t.title_showing() } else { t.show_as_title() }}
                        </button>
                    }
                });
                view! {
                    <li class="qz-medal" data-testid="badge" data-badge=b.id.to_string() data-title=shown.to_string()>
                        <span class="qz-medal-icon"><Glyph icon=Icon::Medal/></span>
                        <span class="qz-medal-text">
                            <span class="qz-medal-name">{name}</span>
                            <span class="qz-muted">{move || t.earned_on(&since)}</span>
                        </span>
                        {button}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="qz-medals" data-testid="badges">{items}</ul> }.into_any()
    };
    view! {
        <section class="qz-block" aria-labelledby="qz-badges-title">
            <h4 class="qz-block-title" id="qz-badges-title">{t.badges_and_titles()}</h4>
            {list}
        </section>
    }
}

/// The ledger, newest first, a page at a time.
#[component]
fn Ledger() -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let entries = RwSignal::new(Load::<Vec<LedgerEntry>>::Loading);
    let next = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let fetch = move |cursor: Option<String>| {
        let Some(token) = session.token.get_untracked() else {
            return;
        };
        let client = client.get_value();
        busy.set(true);
        spawn_local(async move {
            let page = client
                .my_ledger(&session.slug(), &token, cursor.as_deref())
                .await;
            match page {
                Ok(page) => {
                    entries.update(|e| match (e, cursor.is_some()) {
                        (Load::Ready(list), true) => list.extend(page.entries),
                        (e, _) => *e = Load::Ready(page.entries),
                    });
                    next.set(page.next_cursor);
                }
                Err(err) if cursor.is_none() => entries.set(Load::Failed(err.code)),
                // A later page failed: keep what is shown; the button stays to try again.
                Err(_) => {}
            }
            busy.set(false);
        });
    };
    Effect::new(move |_| {
        session.changed.track();
        if session.token.get().is_some() {
            fetch(None);
        }
    });
    let retry = {
        Callback::new(move |()| {
            entries.set(Load::Loading);
            fetch(None);
        })
    };
    let more = move |_| fetch(next.get_untracked());

    view! {
        <section class="qz-block" aria-labelledby="qz-ledger-title">
            <h4 class="qz-block-title" id="qz-ledger-title">{t.ledger_heading()}</h4>
            {move || match entries.get() {
                Load::Loading => view! { <Skeleton rows=2/> }.into_any(),
                Load::Failed(code) => view! { <Problem code=code retry=retry/> }.into_any(),
                Load::Ready(list) if list.is_empty() => {
                    view! { <Empty icon=Icon::Coin text=t.no_ledger_yet()/> }.into_any()
                }
                Load::Ready(list) => {
                    let zone = session.time_zone.get();
                    view! {
                        <ol class="qz-ledger" data-testid="ledger">
                            {list.into_iter().map(|e| {
                                let when = intl::instant(e.at.millis(), t.0, &zone, Style::DayTime);
                                let sign = if e.delta < 0 { "minus" } else { "plus" };
                                view! {
                                    <li class="qz-ledger-row" data-testid="ledger-entry">
                                        <div class="qz-ledger-what">
                                            <p>{t.ledger_reason(&e.reason)}</p>
                                            <p class="qz-muted">{when}" · "{t.balance_after(e.balance_after)}</p>
                                        </div>
                                        <span class="qz-delta" data-sign=sign>{intl::signed(e.delta)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }
                    .into_any()
                }
            }}
            <Show when=move || next.get().is_some()>
                <button type="button" class="qz-button qz-button-quiet qz-more" on:click=more disabled=move || busy.get() data-testid="ledger-more">
                    {move || if busy.get() { t.me_loading_more() } else { t.me_load_more() }}
                </button>
            </Show>
        </section>
    }
}

/// The member's own data, on request (their right of access under PIPL / GDPR): everything
/// stored under them and the posts they wrote, saved as a JSON file.
#[component]
fn MyData(token: String) -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let token = StoredValue::new(token);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let download = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        let client = client.get_value();
        let slug = session.slug();
        spawn_local(async move {
            let saved = match client.my_data(&slug, &token.get_value()).await {
                Ok(export) => {
                    let saved = serde_json::to_string(&export).is_ok_and(|text| {
                        quanzi_client::save_json_file(&text, &format!("{slug}-my-data.json"))
                    });
                    if saved {
                        t.my_data_saved()
                    } else {
                        t.my_data_failed()
                    }
                    .to_owned()
                }
                Err(e) => t.me_explain(e.code).to_owned(),
            };
            busy.set(false);
            message.set(Some(saved));
        });
    };
    view! {
        <section class="qz-block" aria-labelledby="qz-my-data-title">
            <h4 class="qz-block-title" id="qz-my-data-title">{t.my_data_heading()}</h4>
            <p class="qz-muted">{t.my_data_note()}</p>
            <button type="button" class="qz-button qz-button-quiet" data-testid="my-data"
                aria-busy=move || busy.get().to_string() on:click=download>
                {t.my_data_download()}
            </button>
            <Announcer message=message testid="my-data-result"/>
        </section>
    }
}
