//! Bans: who may not post now and until when; banning a member (for some days or for good)
//! and lifting a ban.

use leptos::prelude::*;
use quanzi_core::ids::MemberId;
use quanzi_core::moderation::{Ban, BanDays, ModReason};

use super::who;
use crate::community_page::community;
use crate::time;
use crate::ui::{ErrorNote, Loading, Saved};
use crate::{client, ctx};

#[component]
pub fn Bans() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let list = LocalResource::new(move || {
        let slug = community.slug();
        async move { client().bans(slug.as_str(), None).await }
    });
    let member = RwSignal::new(String::new());
    let days = RwSignal::new("7".to_owned());
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = ctx.t();
        let parsed = (|| {
            let member = MemberId::parse(member.get_untracked().trim())
                .map_err(|_| text.member_id_rule().to_owned())?;
            let days = match days.get_untracked().trim() {
                "" | "forever" => None,
                raw => Some(
                    raw.parse::<u32>()
                        .ok()
                        .and_then(|d| BanDays::new(d).ok())
                        .ok_or_else(|| text.ban_days_rule().to_owned())?,
                ),
            };
            let reason = ModReason::parse(&reason.get_untracked())
                .map_err(|_| text.reason_rule().to_owned())?;
            Ok::<_, String>((member, days, reason))
        })();
        let (who_, days_, why) = match parsed {
            Ok(parsed) => parsed,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        busy.set(true);
        error.set(None);
        done.set(None);
        let csrf = ctx.csrf();
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client().ban(&csrf, slug.as_str(), &who_, days_, &why).await;
            busy.set(false);
            match result {
                Ok(ban) => {
                    member.set(String::new());
                    reason.set(String::new());
                    done.set(Some(ctx.t().member_banned(ban.member.as_str())));
                    list.refetch();
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };
    let lift = move |member: MemberId| {
        let csrf = ctx.csrf();
        let slug = community.slug();
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = client()
                .unban(&csrf, slug.as_str(), &member, &ModReason::default())
                .await;
            match result {
                Ok(_) => {
                    done.set(Some(ctx.t().member_unbanned(member.as_str())));
                    list.refetch();
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };

    view! {
        <section class="qd-card" aria-labelledby="ban-title">
            <h3 id="ban-title">{move || t().ban_a_member()}</h3>
            <form on:submit=submit novalidate class="qd-form-row">
                <div class="qd-field">
                    <label>
                        {move || t().member_id()}
                        <input type="text" name="member" required autocapitalize="off" spellcheck="false"
                            aria-describedby="member-id-hint"
                            prop:value=member on:input=move |ev| member.set(event_target_value(&ev))/>
                    </label>
                    <span class="qd-hint" id="member-id-hint">{move || t().member_id_hint()}</span>
                </div>
                <label>
                    {move || t().ban_for()}
                    <select name="days" on:change=move |ev| days.set(event_target_value(&ev))>
                        <option value="1">{move || t().days(1)}</option>
                        <option value="7" selected>{move || t().days(7)}</option>
                        <option value="30">{move || t().days(30)}</option>
                        <option value="365">{move || t().days(365)}</option>
                        <option value="forever">{move || t().forever()}</option>
                    </select>
                </label>
                <label>
                    {move || t().reason_optional()}
                    <input type="text" name="reason" maxlength="500"
                        prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="qd-button qd-danger" disabled=move || busy.get()>{move || t().ban()}</button>
            </form>
            <ErrorNote message=error testid="ban-error"/>
            <Saved message=done/>
        </section>
        <section class="qd-card" aria-labelledby="bans-title">
            <h3 id="bans-title">{move || t().bans_in_force()}</h3>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => {
                    let message = ctx.fail(&err);
                    view! { <p class="qd-error" role="alert">{message}</p> }.into_any()
                }
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <p class="qd-empty" data-testid="no-bans">{move || t().no_bans()}</p>
                }.into_any(),
                Some(Ok(page)) => view! {
                    <div class="qd-table-wrap">
                        <table class="qd-table" data-testid="bans">
                            <thead><tr>
                                <th scope="col">{move || t().member_id()}</th>
                                <th scope="col">{move || t().until()}</th>
                                <th scope="col">{move || t().by()}</th>
                                <th scope="col">{move || t().reason()}</th>
                                <th scope="col"><span class="qd-visually-hidden">{move || t().actions()}</span></th>
                            </tr></thead>
                            <tbody>
                                {page.items.into_iter().map(|ban: Ban| {
                                    let member = ban.member.clone();
                                    let until = ban.until;
                                    let label = member.to_string();
                                    view! {
                                        <tr>
                                            <td><code>{ban.member.to_string()}</code></td>
                                            <td>{move || match until {
                                                Some(at) => time::show(at, community.time_zone()),
                                                None => ctx.t().forever().to_owned(),
                                            }}</td>
                                            <td>{move || who(ctx.t(), &ban.by)}</td>
                                            <td>{ban.reason.to_string()}</td>
                                            <td>
                                                <button type="button" class="qd-button qd-secondary qd-small"
                                                    aria-label=move || ctx.t().unban_member(&label)
                                                    on:click=move |_| lift(member.clone())>
                                                    {move || ctx.t().unban()}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
