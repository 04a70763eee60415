//! The rewards catalogue (`data-view="rewards"`, or the 兑换 tab): what points buy, what
//! each costs and how many are left; redeeming asks first, then takes the points at once
//! (optimistically) and gives them back if the worker refuses.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use quanzi_client::Client;
use quanzi_core::app::points::RewardList;
use quanzi_core::points::RewardView;

use crate::feedback::{Announcer, Empty, Glyph, Icon, Problem, Skeleton};
use crate::session::{Load, use_session, use_text};

/// The catalogue after spending `cost` on `id` (optimistic): less balance, one fewer left.
fn after_redeeming(before: &RewardList, id: &str, cost: u32) -> RewardList {
    let mut after = before.clone();
    let balance = after.balance.map(|b| b.saturating_sub(u64::from(cost)));
    after.balance = balance;
    for r in &mut after.rewards {
        if r.id.as_str() == id {
            r.stock = r.stock.map(|s| s.saturating_sub(1));
            r.available = r.available && r.stock != Some(0);
        }
        r.affordable = balance.is_some_and(|b| b >= u64::from(r.cost));
    }
    after
}

#[component]
pub fn Rewards() -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let list = RwSignal::new(Load::<RewardList>::Loading);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<String>);

    let load = {
        move || {
            let client = client.get_value();
            let token = session.token.get_untracked();
            spawn_local(async move {
                let result = client.rewards(&session.slug(), token.as_deref()).await;
                list.set(match result {
                    Ok(l) => Load::Ready(l),
                    Err(e) => Load::Failed(e.code),
                });
            });
        }
    };
    Effect::new(move |_| {
        session.token.track();
        session.changed.track();
        if busy.get_untracked().is_none() {
            load();
        }
    });
    let retry = Callback::new(move |()| {
        list.set(Load::Loading);
        load();
    });

    let redeem = Callback::new(move |id: String| {
        let (Some(token), Load::Ready(before)) =
            (session.token.get_untracked(), list.get_untracked())
        else {
            return;
        };
        let Some(reward) = before.rewards.iter().find(|r| r.id.as_str() == id).cloned() else {
            return;
        };
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(id.clone()));
        message.set(None);
        list.set(Load::Ready(after_redeeming(&before, &id, reward.cost)));
        let client = client.get_value();
        spawn_local(async move {
            match client.redeem(&session.slug(), &token, &id).await {
                Ok(done) => {
                    list.update(|l| {
                        if let Load::Ready(l) = l {
                            l.balance = Some(done.balance.balance);
                            for r in &mut l.rewards {
                                if r.id == done.receipt.reward {
                                    r.stock = done.receipt.stock_left;
                                    r.available = r.stock != Some(0);
                                }
                                r.affordable = done.balance.balance >= u64::from(r.cost);
                            }
                        }
                    });
                    message.set(Some(t.redeemed(
                        &reward.name,
                        reward.cost,
                        done.balance.balance,
                    )));
                    busy.set(None);
                    session.touch();
                }
                Err(e) => {
                    list.set(Load::Ready(before));
                    message.set(Some(t.me_explain(e.code).to_owned()));
                    busy.set(None);
                }
            }
        });
    });

    let ids = move || {
        list.with(|l| {
            l.ready()
                .map(|l| {
                    l.rewards
                        .iter()
                        .map(|r| r.id.to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let balance = move || list.with(|l| l.ready().and_then(|l| l.balance));

    view! {
        <section class="qz-card qz-rewards" aria-labelledby="qz-rewards-title" data-testid="rewards">
            <div class="qz-card-head">
                <h3 class="qz-card-title" id="qz-rewards-title">{t.rewards_heading()}</h3>
                {move || balance().map(|b| view! {
                    <p class="qz-balance-pill" data-testid="rewards-balance">
                        <Glyph icon=Icon::Coin/>
                        <span>{t.points_count(b)}</span>
                    </p>
                })}
            </div>
            {move || match list.get() {
                Load::Loading => view! { <Skeleton rows=3/> }.into_any(),
                Load::Failed(code) => view! { <Problem code=code retry=retry/> }.into_any(),
                Load::Ready(l) if l.rewards.is_empty() => {
                    view! { <Empty icon=Icon::Gift text=t.no_rewards_yet()/> }.into_any()
                }
                Load::Ready(_) => view! {
                    <ul class="qz-rewards-grid" data-testid="reward-list">
                        <For each=ids key=|id| id.clone() let:id>
                            <RewardCard id=id list=list busy=busy redeem=redeem/>
                        </For>
                    </ul>
                }
                .into_any(),
            }}
            <Announcer message=message testid="rewards-result"/>
        </section>
    }
}

/// One reward, kept in place while the catalogue changes so focus stays where it was.
#[component]
fn RewardCard(
    id: String,
    list: RwSignal<Load<RewardList>>,
    busy: RwSignal<Option<String>>,
    redeem: Callback<String>,
) -> impl IntoView {
    let session = use_session();
    let t = use_text().get_untracked();
    let confirming = RwSignal::new(false);
    let key = StoredValue::new(id);
    let reward = Memo::new(move |_| {
        list.with(|l| {
            l.ready().and_then(|l| {
                l.rewards
                    .iter()
                    .find(|r| r.id.as_str() == key.get_value())
                    .cloned()
            })
        })
    });
    let balance = Memo::new(move |_| list.with(|l| l.ready().and_then(|l| l.balance)));
    let field = move |f: fn(&RewardView) -> String| {
        move || reward.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let open_button = NodeRef::<html::Button>::new();
    let confirm_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if confirming.get()
            && let Some(b) = confirm_button.get()
        {
            let _ = b.focus();
        }
    });
    let close = move || {
        confirming.set(false);
        if let Some(b) = open_button.get_untracked() {
            let _ = b.focus();
        }
    };
    let state = move || {
        reward.with(|r| match r {
            Some(r) if !r.available => "gone",
            Some(r) if !r.affordable => "short",
            _ => "ok",
        })
    };
    let signed_in = move || session.token.get().is_some();
    let mine_busy = move || busy.get().is_some_and(|b| b == key.get_value());

    view! {
        <li class="qz-reward" data-testid="reward" data-reward=key.get_value() data-state=state>
            <div class="qz-reward-art"><Glyph icon=Icon::Gift/></div>
            <div class="qz-reward-body">
                <p class="qz-reward-name" id=format!("qz-reward-{}", key.get_value())>{field(|r| r.name.clone())}</p>
                <p class="qz-reward-cost">
                    <Glyph icon=Icon::Coin/>
                    <span data-testid="reward-cost">{move || reward.with(|r| r.as_ref().map(|r| t.points_count(u64::from(r.cost))).unwrap_or_default())}</span>
                </p>
                <p class="qz-muted" data-testid="reward-stock">
                    {move || reward.with(|r| r.as_ref().map(|r| t.stock_left(r.stock)).unwrap_or_default())}
                </p>
            </div>
            {move || {
                if !signed_in() {
                    let text = t.sign_in_to_redeem();
                    return match session.login_url() {
                        Some(href) => view! { <a class="qz-button qz-button-quiet" href=href target="_top">{text}</a> }.into_any(),
                        None => view! { <p class="qz-muted">{text}</p> }.into_any(),
                    };
                }
                view! {
                    <button
                        type="button"
                        class="qz-button"
                        node_ref=open_button
                        data-testid="redeem"
                        aria-expanded=move || confirming.get().to_string()
                        aria-describedby=format!("qz-reward-{}", key.get_value())
                        // aria-disabled, not disabled: the button keeps focus while a
                        // redemption is under way and stays discoverable when out of reach.
                        aria-disabled=move || (state() != "ok" || busy.get().is_some()).to_string()
                        on:click=move |_| {
                            if state() == "ok" && busy.get_untracked().is_none() {
                                confirming.set(true);
                            }
                        }
                    >
                        {move || match (state(), mine_busy()) {
                            (_, true) => t.redeeming(),
                            ("gone", _) => t.sold_out(),
                            ("short", _) => t.not_enough_points(),
                            _ => t.redeem(),
                        }}
                    </button>
                }
                .into_any()
            }}
            <Show when=move || confirming.get()>
                <div
                    class="qz-confirm"
                    role="group"
                    aria-label=t.confirm_redeem_label()
                    data-testid="redeem-confirm"
                    on:keydown=move |ev| if ev.key() == "Escape" { close() }
                >
                    <p>
                        {move || reward.with(|r| r.as_ref().map(|r| {
                            let left = balance.get().map(|b| b.saturating_sub(u64::from(r.cost)));
                            t.confirm_redeem(&r.name, r.cost, left)
                        }).unwrap_or_default())}
                    </p>
                    <div class="qz-actions">
                        <button
                            type="button"
                            class="qz-button"
                            node_ref=confirm_button
                            data-testid="redeem-confirm-button"
                            on:click=move |_| {
                                confirming.set(false);
                                redeem.run(key.get_value());
                                if let Some(b) = open_button.get_untracked() {
                                    let _ = b.focus();
                                }
                            }
                        >
                            {t.confirm_redeem_button()}
                        </button>
                        <button type="button" class="qz-button qz-button-quiet" on:click=move |_| close()>
                            {t.think_again()}
                        </button>
                    </div>
                </div>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quanzi_core::points::RewardId;

    fn reward(id: &str, cost: u32, stock: Option<u32>) -> RewardView {
        RewardView {
            id: RewardId::parse(id).unwrap(),
            name: id.to_owned(),
            cost,
            stock,
            available: stock != Some(0),
            affordable: true,
        }
    }

    #[test]
    fn redeeming_takes_the_cost_and_one_from_the_stock_and_rechecks_what_is_affordable() {
        let before = RewardList {
            rewards: vec![reward("mug", 40, Some(1)), reward("pin", 30, None)],
            balance: Some(60),
            next_cursor: None,
        };
        let after = after_redeeming(&before, "mug", 40);
        assert_eq!(after.balance, Some(20));
        let mug = &after.rewards[0];
        assert_eq!(
            (mug.stock, mug.available, mug.affordable),
            (Some(0), false, false)
        );
        let pin = &after.rewards[1];
        assert_eq!(
            (pin.stock, pin.available, pin.affordable),
            (None, true, false)
        );
    }
}
