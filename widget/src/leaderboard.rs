//! The leaderboards (`data-view="leaderboard"`, or the 排行 tab): this week, this month and
//! all time, with the member's own rank under them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quanzi_client::Client;
use quanzi_core::app::points::{BoardRow, LeaderboardView};

use crate::feedback::{Empty, Icon, Problem, SignInPrompt, Skeleton};
use crate::intl;
use crate::session::{Load, use_session, use_text};
use crate::tabs::TabList;

/// Which board: its path segment on the wire.
const PERIODS: [&str; 3] = ["week", "month", "all"];

#[component]
pub fn Leaderboard() -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let period = RwSignal::new(0_usize);
    let board = RwSignal::new(Load::<LeaderboardView>::Loading);

    let load = move || {
        let client = client.get_value();
        let which = PERIODS[period.get_untracked() % PERIODS.len()];
        let token = session.token.get_untracked();
        spawn_local(async move {
            let result = client
                .leaderboard(&session.slug(), which, token.as_deref())
                .await;
            // A slow answer for a tab the member already left is dropped.
            if PERIODS[period.get_untracked() % PERIODS.len()] == which {
                board.set(match result {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(e.code),
                });
            }
        });
    };
    Effect::new(move |_| {
        period.track();
        session.token.track();
        session.changed.track();
        board.set(Load::Loading);
        load();
    });
    let retry = Callback::new(move |()| {
        board.set(Load::Loading);
        load();
    });
    let labels = Signal::derive(move || vec![t.this_week(), t.this_month(), t.all_time()]);

    view! {
        <section class="qz-card qz-leaderboard" aria-labelledby="qz-board-title" data-testid="leaderboard">
            <h3 class="qz-card-title" id="qz-board-title">{t.leaderboard_heading()}</h3>
            <TabList
                labels=labels
                selected=period
                select=Callback::new(move |i| period.set(i))
                panel="qz-board-panel"
                id_prefix="qz-period"
                label=t.leaderboard_periods()
                class="qz-segmented"
            />
            <div id="qz-board-panel" role="tabpanel" aria-labelledby=move || format!("qz-period-{}", period.get()) tabindex="0" class="qz-panel">
                {move || match board.get() {
                    Load::Loading => view! { <Skeleton rows=5/> }.into_any(),
                    Load::Failed(code) => view! { <Problem code=code retry=retry/> }.into_any(),
                    Load::Ready(b) => view! { <Board board=b/> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// The rows, then the member's own standing.
#[component]
fn Board(board: LeaderboardView) -> impl IntoView {
    let t = use_text().get_untracked();
    let session = use_session();
    let mine = board.me.clone();
    let me_id = mine.as_ref().map(|r| r.member_id.clone());
    let rows = if board.rows.is_empty() {
        view! { <Empty icon=Icon::Trophy text=t.board_empty()/> }.into_any()
    } else {
        view! {
            <ol class="qz-board" data-testid="board">
                {board.rows.into_iter().map(|row| {
                    let is_me = me_id.as_ref() == Some(&row.member_id);
                    view! { <Row row=row is_me=is_me/> }
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    let standing = move || {
        if session.token.get().is_none() {
            return view! { <SignInPrompt text=t.sign_in_for_rank()/> }.into_any();
        }
        match &mine {
            Some(row) => view! {
                <p class="qz-my-rank" data-testid="my-rank">
                    <span class="qz-rank-number">{row.rank}</span>
                    <span>{t.my_rank(row.rank, row.points)}</span>
                </p>
            }
            .into_any(),
            None => view! { <p class="qz-my-rank qz-muted" data-testid="my-rank">{t.not_ranked_yet()}</p> }.into_any(),
        }
    };
    view! {
        {rows}
        <div class="qz-standing">{standing}</div>
    }
}

#[component]
fn Row(row: BoardRow, is_me: bool) -> impl IntoView {
    let t = use_text().get_untracked();
    let name = row
        .name
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| t.me_a_member().to_owned());
    let medal = match row.rank {
        1 => "gold",
        2 => "silver",
        3 => "bronze",
        _ => "",
    };
    view! {
        <li class="qz-board-row" data-me=is_me.to_string() data-testid="board-row">
            <span class="qz-rank" data-medal=medal>{row.rank}</span>
            <span class="qz-board-name">
                {name}
                {is_me.then(|| view! { <span class="qz-me-you">{t.me_you()}</span> })}
            </span>
            <span class="qz-board-points">
                {intl::number(row.points)}
                <span class="qz-visually-hidden">{t.points_unit()}</span>
            </span>
        </li>
    }
}
