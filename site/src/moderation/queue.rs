//! The queue: reported posts, replies and members (most reported first) and posts waiting
//! for review, each with what it says and the decisions that close it.

use leptos::prelude::*;
use quanzi_client::ContentDecision;
use quanzi_core::app::membership::Paged;
use quanzi_core::moderation::{
    BanDays, ContentRef, Decision, ModReason, QueueEntry, ResolveRequest, Target,
};
use quanzi_core::talk::{Cursor, ThreadId};

use crate::community_page::community;
use crate::time;
use crate::ui::{ErrorNote, Loading, Saved};
use crate::{client, ctx};

/// The content a queue line is about, if it is a post or reply.
fn content_of(target: &Target) -> Option<ContentRef> {
    match target {
        Target::Post { thread } => Some(ContentRef::Post {
            thread: thread.clone(),
        }),
        Target::Reply { thread, reply } => Some(ContentRef::Reply {
            thread: thread.clone(),
            reply: reply.clone(),
        }),
        Target::Member { .. } => None,
    }
}

#[component]
pub fn Queue() -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let items = RwSignal::new(Vec::<QueueEntry>::new());
    let next = RwSignal::new(None::<Cursor>);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);

    let load = move |cursor: Option<Cursor>| {
        loading.set(true);
        error.set(None);
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            let result = client()
                .moderation_queue(slug.as_str(), cursor.as_ref())
                .await;
            loading.set(false);
            match result {
                Ok(Paged {
                    items: page,
                    next: after,
                }) => {
                    if cursor.is_some() {
                        items.update(|all| all.extend(page));
                    } else {
                        items.set(page);
                    }
                    next.set(after);
                }
                Err(err) => error.set(Some(ctx.fail(&err))),
            }
        });
    };
    load(None);
    let closed = Callback::new(move |(target, message): (Target, String)| {
        items.update(|all| all.retain(|e| e.target != target));
        done.set(Some(message));
    });

    view! {
        <div class="qd-toolbar">
            <p class="qd-muted">{move || t().queue_intro()}</p>
            <button type="button" class="qd-button qd-secondary qd-small" on:click=move |_| { done.set(None); load(None) }>
                {move || t().refresh()}
            </button>
        </div>
        <Saved message=done/>
        <ErrorNote message=error testid="queue-error"/>
        <Show when=move || loading.get() && items.with(Vec::is_empty)>
            <Loading/>
        </Show>
        <Show when=move || !loading.get() && error.get().is_none() && items.with(Vec::is_empty)>
            <div class="qd-empty-state" data-testid="queue-empty">
                <p class="qd-empty-mark" aria-hidden="true">"✓"</p>
                <p>{move || t().queue_empty()}</p>
            </div>
        </Show>
        <ul class="qd-queue" data-testid="queue">
            <For each=move || items.get() key=|e| (e.target.key_segment(), e.reports, e.pending_since) let:entry>
                <QueueRow entry=entry on_closed=closed/>
            </For>
        </ul>
        <Show when=move || next.get().is_some()>
            <button type="button" class="qd-button qd-secondary" disabled=move || loading.get()
                on:click=move |_| load(next.get_untracked())>
                {move || t().load_more()}
            </button>
        </Show>
    }
}

/// What a post or reply says, read as staff (who see pending and hidden posts too).
#[derive(Clone, Debug, PartialEq)]
struct Excerpt {
    title: Option<String>,
    html: Option<String>,
    author: Option<String>,
}

async fn excerpt(slug: &str, thread: &ThreadId, reply: Option<&str>) -> Option<Excerpt> {
    let detail = client().thread(slug, None, thread).await.ok()?;
    match reply {
        None => Some(Excerpt {
            title: detail.thread.title,
            html: detail.thread.body_html,
            author: detail.thread.author.map(|a| a.to_string()),
        }),
        Some(reply) => {
            let found = detail
                .replies
                .into_iter()
                .find(|r| r.id.as_str() == reply)?;
            Some(Excerpt {
                title: detail.thread.title.map(|t| format!("↳ {t}")),
                html: found.body_html,
                author: found.author.map(|a| a.to_string()),
            })
        }
    }
}

/// One line of the queue and its decisions.
#[component]
fn QueueRow(entry: QueueEntry, on_closed: Callback<(Target, String)>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let target = entry.target.clone();
    let content = content_of(&target);
    let pending = entry.pending_since.is_some();
    let held_for = entry.held_for;
    let reports = entry.reports;
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let ban_days = RwSignal::new("7".to_owned());

    let preview = {
        let target = target.clone();
        LocalResource::new(move || {
            let target = target.clone();
            let slug = community.slug();
            async move {
                match target {
                    Target::Post { thread } => excerpt(slug.as_str(), &thread, None).await,
                    Target::Reply { thread, reply } => {
                        excerpt(slug.as_str(), &thread, Some(reply.as_str())).await
                    }
                    Target::Member { .. } => None,
                }
            }
        })
    };

    // A decision on the content, then (if it was reported) closing its reports.
    let decide = {
        let target = target.clone();
        let content = content.clone();
        move |decision: ContentDecision| {
            let Some(content) = content.clone() else {
                return;
            };
            let Ok(why) = ModReason::parse(&reason.get_untracked()) else {
                error.set(Some(ctx.t().reason_rule().to_owned()));
                return;
            };
            let target = target.clone();
            busy.set(true);
            error.set(None);
            let csrf = ctx.csrf();
            let slug = community.slug();
            leptos::task::spawn_local(async move {
                let api = client();
                let mut result = api
                    .decide_content(&csrf, slug.as_str(), decision, &content, &why)
                    .await
                    .map(drop);
                if result.is_ok() && reports > 0 {
                    let request = ResolveRequest {
                        target: target.clone(),
                        decision: Decision::ActionTaken,
                        note: why.clone(),
                    };
                    result = api
                        .resolve_reports(&csrf, slug.as_str(), &request)
                        .await
                        .map(drop);
                }
                busy.set(false);
                match result {
                    Ok(()) => on_closed.run((target, ctx.t().decided(decision).to_owned())),
                    Err(err) => error.set(Some(ctx.fail(&err))),
                }
            });
        }
    };
    let dismiss = {
        let target = target.clone();
        move |_| {
            let Ok(why) = ModReason::parse(&reason.get_untracked()) else {
                error.set(Some(ctx.t().reason_rule().to_owned()));
                return;
            };
            let target = target.clone();
            busy.set(true);
            error.set(None);
            let csrf = ctx.csrf();
            let slug = community.slug();
            leptos::task::spawn_local(async move {
                let request = ResolveRequest {
                    target: target.clone(),
                    decision: Decision::Dismissed,
                    note: why,
                };
                let result = client()
                    .resolve_reports(&csrf, slug.as_str(), &request)
                    .await;
                busy.set(false);
                match result {
                    Ok(_) => on_closed.run((target, ctx.t().reports_dismissed().to_owned())),
                    Err(err) => error.set(Some(ctx.fail(&err))),
                }
            });
        }
    };
    let ban = {
        let target = target.clone();
        move |_| {
            let Target::Member { member } = target.clone() else {
                return;
            };
            let Ok(why) = ModReason::parse(&reason.get_untracked()) else {
                error.set(Some(ctx.t().reason_rule().to_owned()));
                return;
            };
            let days = match ban_days.get_untracked().as_str() {
                "forever" => None,
                raw => match raw.parse::<u32>().ok().and_then(|d| BanDays::new(d).ok()) {
                    Some(days) => Some(days),
                    None => {
                        error.set(Some(ctx.t().ban_days_rule().to_owned()));
                        return;
                    }
                },
            };
            let target = target.clone();
            busy.set(true);
            error.set(None);
            let csrf = ctx.csrf();
            let slug = community.slug();
            leptos::task::spawn_local(async move {
                let api = client();
                let mut result = api
                    .ban(&csrf, slug.as_str(), &member, days, &why)
                    .await
                    .map(drop);
                if result.is_ok() {
                    let request = ResolveRequest {
                        target: target.clone(),
                        decision: Decision::ActionTaken,
                        note: why,
                    };
                    result = api
                        .resolve_reports(&csrf, slug.as_str(), &request)
                        .await
                        .map(drop);
                }
                busy.set(false);
                match result {
                    Ok(()) => on_closed.run((target, ctx.t().member_banned(member.as_str()))),
                    Err(err) => error.set(Some(ctx.fail(&err))),
                }
            });
        }
    };

    let reasons = entry.reasons;
    let what = target.clone();
    let kind = move || match &what {
        Target::Post { .. } => ctx.t().target_post(),
        Target::Reply { .. } => ctx.t().target_reply(),
        Target::Member { .. } => ctx.t().target_member(),
    };
    let member_name = match &target {
        Target::Member { member } => Some(member.to_string()),
        _ => None,
    };
    let since = entry.first_reported_at;
    let notes = entry.notes.clone();
    let decide_hide = decide.clone();
    let decide_approve = decide.clone();
    let decide_reject = decide;

    view! {
        <li class="qd-card qd-queue-item" data-testid="queue-item" data-target=target.key_segment()>
            <div class="qd-row-head">
                <span class="qd-badge">{kind}</span>
                {pending.then(|| view! { <span class="qd-badge qd-badge-wait">{move || t().awaiting_review()}</span> })}
                {held_for.map(|why| view! { <span class="qd-muted" data-testid="held-for">{move || t().held_for(why)}</span> })}
                {(reports > 0).then(|| view! {
                    <span class="qd-badge qd-badge-alert">{move || t().reports_count(reports)}</span>
                })}
                <span class="qd-muted qd-small-print">{move || time::show(since, community.time_zone())}</span>
            </div>
            {member_name.map(|m| view! { <p><strong>{m}</strong></p> })}
            {move || preview.get().flatten().map(|ex| view! {
                <div class="qd-excerpt">
                    {ex.title.map(|title| view! { <p class="qd-excerpt-title">{title}</p> })}
                    {ex.html.map(|html| view! { <div class="qd-excerpt-body" inner_html=html></div> })}
                    {ex.author.map(|a| view! { <p class="qd-muted qd-small-print">{move || t().by_member(&a)}</p> })}
                </div>
            })}
            {(reports > 0).then(|| view! {
                <p class="qd-muted qd-small-print">{move || t().report_reasons(reasons)}</p>
            })}
            {(!notes.is_empty()).then(|| view! {
                <ul class="qd-notes">
                    {notes.iter().map(|n| view! { <li>"“" {n.clone()} "”"</li> }).collect_view()}
                </ul>
            })}
            <label class="qd-compact">
                {move || t().reason_optional()}
                <input type="text" maxlength="500" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <ErrorNote message=error/>
            <div class="qd-actions">
                {match (&content, pending) {
                    (Some(_), true) => view! {
                        <button type="button" class="qd-button" disabled=move || busy.get()
                            on:click=move |_| decide_approve(ContentDecision::Approve)>{move || t().approve()}</button>
                        <button type="button" class="qd-button qd-danger" disabled=move || busy.get()
                            on:click=move |_| decide_reject(ContentDecision::Reject)>{move || t().reject()}</button>
                    }.into_any(),
                    (Some(_), false) => view! {
                        <button type="button" class="qd-button qd-danger" disabled=move || busy.get()
                            on:click=move |_| decide_hide(ContentDecision::Hide)>{move || t().hide()}</button>
                        <button type="button" class="qd-button qd-secondary" disabled=move || busy.get()
                            on:click=dismiss.clone()>{move || t().keep_dismiss()}</button>
                    }.into_any(),
                    (None, _) => view! {
                        <label class="qd-compact">
                            {move || t().ban_for()}
                            <select on:change=move |ev| ban_days.set(event_target_value(&ev))>
                                <option value="1">{move || t().days(1)}</option>
                                <option value="7" selected>{move || t().days(7)}</option>
                                <option value="30">{move || t().days(30)}</option>
                                <option value="365">{move || t().days(365)}</option>
                                <option value="forever">{move || t().forever()}</option>
                            </select>
                        </label>
                        <button type="button" class="qd-button qd-danger" disabled=move || busy.get()
                            on:click=ban.clone()>{move || t().ban()}</button>
                        <button type="button" class="qd-button qd-secondary" disabled=move || busy.get()
                            on:click=dismiss.clone()>{move || t().keep_dismiss()}</button>
                    }.into_any(),
                }}
            </div>
        </li>
    }
}
