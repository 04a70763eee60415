//! The rewards catalogue: what members spend points on, with its cost and stock; creating a
//! reward, editing one, and withdrawing it (it stays for old ledger lines).

use leptos::prelude::*;
use quanzi_core::app::points::RewardEdit;
use quanzi_core::points::{Cost, Reward, RewardId, RewardName, Stock};

use super::{LoadFailed, number_u32};
use crate::community_page::community;
use crate::i18n::Text;
use crate::ui::{ErrorNote, Loading, Saved};
use crate::{client, ctx};

/// What the list holds.
#[derive(Clone)]
enum Loaded {
    Loading,
    Rewards(Vec<Reward>),
    Failed(String),
}

/// The reward form's fields, as typed.
#[derive(Clone, Copy)]
struct RewardForm {
    /// The reward being edited; `None` while creating one.
    editing: RwSignal<Option<RewardId>>,
    id: RwSignal<String>,
    name: RwSignal<String>,
    cost: RwSignal<String>,
    stock: RwSignal<String>,
    active: RwSignal<bool>,
}

impl RewardForm {
    fn new() -> Self {
        Self {
            editing: RwSignal::new(None),
            id: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            cost: RwSignal::new(String::new()),
            stock: RwSignal::new(String::new()),
            active: RwSignal::new(true),
        }
    }

    fn load(self, reward: &Reward) {
        self.editing.set(Some(reward.id.clone()));
        self.id.set(reward.id.to_string());
        self.name.set(reward.name.to_string());
        self.cost.set(reward.cost.get().to_string());
        self.stock
            .set(reward.stock.map(|s| s.to_string()).unwrap_or_default());
        self.active.set(reward.active);
    }

    fn clear(self) {
        self.editing.set(None);
        self.id.set(String::new());
        self.name.set(String::new());
        self.cost.set(String::new());
        self.stock.set(String::new());
        self.active.set(true);
    }

    fn parse(self, text: Text) -> Result<Reward, &'static str> {
        let id = match self.editing.get_untracked() {
            Some(id) => id,
            None => RewardId::parse(self.id.get_untracked().trim())
                .map_err(|_| text.game_reward_id_rule())?,
        };
        let name = RewardName::parse(self.name.get_untracked().trim())
            .map_err(|_| text.game_reward_name_rule())?;
        let cost = number_u32(&self.cost.get_untracked())
            .and_then(|n| Cost::new(n).ok())
            .ok_or(text.game_reward_cost_rule())?;
        let raw_stock = self.stock.get_untracked();
        let stock: Stock = if raw_stock.trim().is_empty() {
            None
        } else {
            Some(number_u32(&raw_stock).ok_or(text.game_reward_stock_rule())?)
        };
        Ok(Reward {
            id,
            name,
            cost,
            stock,
            active: self.active.get_untracked(),
        })
    }
}

#[component]
pub fn Rewards() -> impl IntoView {
    let can_edit = super::can_edit();
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let loaded = RwSignal::new(Loaded::Loading);
    let next = RwSignal::new(None::<RewardId>);
    let form = RewardForm::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // What was just done, said in the current language.
    let done = RwSignal::new(None::<fn(Text) -> &'static str>);

    // The first page (`after: None`, replacing the list) or the page after `after`.
    let load = move |after: Option<RewardId>| {
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let cursor = after.as_ref().map(RewardId::as_str);
            match client().reward_catalogue(slug.as_str(), cursor).await {
                Ok(page) => {
                    next.set(page.next_cursor);
                    if after.is_some() {
                        loaded.update(|l| {
                            if let Loaded::Rewards(list) = l {
                                list.extend(page.rewards);
                            }
                        });
                    } else {
                        loaded.set(Loaded::Rewards(page.rewards));
                    }
                }
                Err(err) => loaded.set(Loaded::Failed(ctx.fail(&err))),
            }
        });
    };
    // The stored catalogue is for owners and admins (the API refuses a moderator).
    if can_edit.get_untracked() {
        load(None);
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !can_edit.get_untracked() {
            return;
        }
        done.set(None);
        let reward = match form.parse(ctx.t()) {
            Ok(reward) => reward,
            Err(message) => {
                error.set(Some(message.to_owned()));
                return;
            }
        };
        let editing = form.editing.get_untracked().is_some();
        error.set(None);
        busy.set(true);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let api = client();
            let result = if editing {
                let edit = RewardEdit {
                    name: reward.name.clone(),
                    cost: reward.cost,
                    stock: reward.stock,
                    active: reward.active,
                };
                api.edit_reward(&csrf, slug.as_str(), reward.id.as_str(), &edit)
                    .await
            } else {
                api.create_reward(&csrf, slug.as_str(), &reward).await
            };
            busy.set(false);
            match result {
                Ok(_) => {
                    form.clear();
                    done.set(Some(if editing {
                        Text::game_reward_saved
                    } else {
                        Text::game_reward_created
                    }));
                    load(None);
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    let row = move |reward: Reward| {
        let name = reward.name.to_string();
        let stored = StoredValue::new(reward.clone());
        view! {
            <tr data-testid="reward-row">
                <td><strong>{reward.name.to_string()}</strong>" "<code>{reward.id.to_string()}</code></td>
                <td>{reward.cost.get()}</td>
                <td>{move || match reward.stock {
                    Some(n) => n.to_string(),
                    None => ctx.t().game_unlimited().to_owned(),
                }}</td>
                <td>{move || if reward.active { ctx.t().game_offered() } else { ctx.t().game_withdrawn() }}</td>
                <td>
                    <button type="button" class="qd-button qd-secondary qd-small"
                        aria-label=move || ctx.t().edit_named(&name)
                        on:click=move |_| {
                            done.set(None);
                            error.set(None);
                            stored.with_value(|r| form.load(r));
                        }>
                        {move || ctx.t().edit()}
                    </button>
                </td>
            </tr>
        }
    };

    view! {
        // Only owners and admins see the stored catalogue (withdrawn rewards too) and change it.
        <Show when=move || can_edit.get()
            fallback=move || view! {
                <p class="qd-card qd-muted" data-testid="rewards-owners-only">{move || ctx.t().game_rewards_owners_only()}</p>
            }>
            <section class="qd-card" aria-labelledby="reward-form-title">
                <h3 id="reward-form-title">
                    {move || if form.editing.with(Option::is_some) { t().game_edit_reward() } else { t().game_new_reward() }}
                </h3>
                <p class="qd-muted">{move || t().game_rewards_intro()}</p>
                <form on:submit=submit novalidate class="qd-form-grid" data-testid="reward-form">
                    <div class="qd-form-row">
                        <div class="qd-field">
                            <label>
                                {move || t().game_reward_id()}
                                <input type="text" name="reward-id" maxlength="40" autocapitalize="off" spellcheck="false"
                                    placeholder="tote-bag" aria-describedby="reward-id-hint"
                                    disabled=move || form.editing.with(Option::is_some)
                                    prop:value=form.id on:input=move |ev| form.id.set(event_target_value(&ev))/>
                            </label>
                            <span class="qd-hint" id="reward-id-hint">{move || t().game_reward_id_hint()}</span>
                        </div>
                        <label>
                            {move || t().game_reward_name()}
                            <input type="text" name="reward-name" maxlength="60"
                                prop:value=form.name on:input=move |ev| form.name.set(event_target_value(&ev))/>
                        </label>
                        <label>
                            {move || t().game_reward_cost()}
                            <input type="number" name="reward-cost" min="1" max="1000000" step="1" inputmode="numeric"
                                prop:value=form.cost on:input=move |ev| form.cost.set(event_target_value(&ev))/>
                        </label>
                        <div class="qd-field">
                            <label>
                                {move || t().game_reward_stock()}
                                <input type="number" name="reward-stock" min="0" step="1" inputmode="numeric"
                                    aria-describedby="reward-stock-hint"
                                    prop:value=form.stock on:input=move |ev| form.stock.set(event_target_value(&ev))/>
                            </label>
                            <span class="qd-hint" id="reward-stock-hint">{move || t().game_reward_stock_hint()}</span>
                        </div>
                    </div>
                    <label class="qd-choice">
                        <input type="checkbox" name="reward-active" prop:checked=form.active
                            on:change=move |ev| form.active.set(event_target_checked(&ev))/>
                        <span><strong>{move || t().game_reward_active()}</strong></span>
                    </label>
                    <ErrorNote message=error testid="reward-error"/>
                    <Saved message=Signal::derive(move || done.get().map(|said| said(ctx.t()).to_owned()))/>
                    <div class="qd-actions">
                        <button type="submit" class="qd-button" disabled=move || busy.get()>
                            {move || if busy.get() {
                                t().saving()
                            } else if form.editing.with(Option::is_some) {
                                t().save_changes()
                            } else {
                                t().game_create_reward()
                            }}
                        </button>
                        <Show when=move || form.editing.with(Option::is_some)>
                            <button type="button" class="qd-button qd-ghost" on:click=move |_| form.clear()>
                                {move || ctx.t().game_cancel_edit()}
                            </button>
                        </Show>
                    </div>
                </form>
            </section>
            <section class="qd-card" aria-labelledby="reward-list-title">
                <h3 id="reward-list-title">{move || t().game_tab(crate::route::GameTab::Rewards)}</h3>
                {move || match loaded.get() {
                    Loaded::Loading => view! { <Loading/> }.into_any(),
                    Loaded::Failed(message) => view! {
                        <LoadFailed message=message retry=Callback::new(move |()| load(None))/>
                    }.into_any(),
                    Loaded::Rewards(list) if list.is_empty() => view! {
                        <p class="qd-empty" data-testid="no-rewards">{move || ctx.t().game_no_rewards()}</p>
                    }.into_any(),
                    Loaded::Rewards(list) => view! {
                        <div class="qd-table-wrap">
                            <table class="qd-table" data-testid="rewards">
                                <thead><tr>
                                    <th scope="col">{move || ctx.t().game_reward_name()}</th>
                                    <th scope="col">{move || ctx.t().game_reward_cost()}</th>
                                    <th scope="col">{move || ctx.t().game_reward_stock()}</th>
                                    <th scope="col">{move || ctx.t().status()}</th>
                                    <th scope="col"><span class="qd-visually-hidden">{move || ctx.t().actions()}</span></th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any(),
                }}
                {move || next.get().map(|after| view! {
                    <button type="button" class="qd-button qd-secondary" on:click=move |_| load(Some(after.clone()))>
                        {move || ctx.t().load_more()}
                    </button>
                })}
            </section>
        </Show>
    }
}
