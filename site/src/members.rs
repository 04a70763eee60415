//! Members: the directory (free-text search and filters by level, tag, activity and points,
//! a page at a time) and one member's panel (`panel`).

pub(crate) mod panel;

use leptos::prelude::*;
use quanzi_core::app::members::{MemberQuery, MemberSummary, SearchText};
use quanzi_core::error::ApiError;
use quanzi_core::ids::{BrandTag, MemberId};
use quanzi_core::insight::segment::Days;
use quanzi_core::moderation::MemberRole;
use quanzi_core::talk::Cursor;

use crate::community_page::community;
use crate::i18n::Text;
use crate::ui::{ErrorNote, Loading};
use crate::{client, ctx};

/// The activity filter's choices: `(value, active within?, days)`.
const ACTIVITY: [(&str, bool, u32); 4] = [
    ("active-7", true, 7),
    ("active-30", true, 30),
    ("quiet-14", false, 14),
    ("quiet-30", false, 30),
];

/// What the search form holds, as typed.
#[derive(Clone, Default)]
struct Draft {
    q: String,
    level: String,
    tag: String,
    activity: String,
    min_points: String,
    max_points: String,
}

impl Draft {
    /// The query, or what is wrong with the form, in the marketer's language.
    fn query(&self, t: Text) -> Result<MemberQuery, String> {
        let text = |raw: &str| {
            let raw = raw.trim();
            (!raw.is_empty()).then(|| raw.to_owned())
        };
        let points = |raw: &str| match text(raw) {
            None => Ok(None),
            Some(raw) => raw
                .parse::<u64>()
                .map(Some)
                .map_err(|_| t.members_points_rule().to_owned()),
        };
        let q = match text(&self.q) {
            None => None,
            Some(raw) => {
                Some(SearchText::parse(&raw).map_err(|_| t.members_search_rule().to_owned())?)
            }
        };
        let level = match text(&self.level) {
            None => None,
            Some(raw) => Some(
                raw.parse::<u8>()
                    .ok()
                    .filter(|l| *l >= 1)
                    .ok_or_else(|| t.members_level_rule().to_owned())?,
            ),
        };
        let tag = match text(&self.tag) {
            None => None,
            Some(raw) => Some(BrandTag::parse(&raw).map_err(|_| t.members_tag_rule().to_owned())?),
        };
        let (active_within_days, inactive_days) = match ACTIVITY
            .iter()
            .find(|(value, _, _)| *value == self.activity)
        {
            Some((_, true, days)) => (Days::new(*days).ok(), None),
            Some((_, false, days)) => (None, Days::new(*days).ok()),
            None => (None, None),
        };
        let min_points = points(&self.min_points)?;
        let max_points = points(&self.max_points)?;
        if let (Some(min), Some(max)) = (min_points, max_points)
            && min > max
        {
            return Err(t.members_points_order().to_owned());
        }
        Ok(MemberQuery {
            q,
            level,
            tag,
            badge: None,
            active_within_days,
            inactive_days,
            min_points,
            max_points,
        })
    }
}

/// The members section. `can_manage`: the marketer may adjust points, grant badges and
/// appoint member moderators (owner, admin); every staff role may search and tag.
#[component]
pub fn Members(#[prop(into)] can_manage: Signal<bool>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let draft = RwSignal::new(Draft::default());
    let query = RwSignal::new(MemberQuery::default());
    let form_error = RwSignal::new(None::<String>);
    // Bumped after a change in the panel, so the list shows new points and tags.
    let version = RwSignal::new(0u32);
    let first = LocalResource::new(move || {
        let query = query.get();
        version.track();
        let slug = community.slug();
        async move { client().members(slug.as_str(), &query, None).await }
    });
    // Pages after the first, and where the next one starts.
    let more = RwSignal::new(Vec::<MemberSummary>::new());
    let next = RwSignal::new(None::<Cursor>);
    let more_error = RwSignal::new(None::<String>);
    let loading_more = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.get() {
            more.set(Vec::new());
            next.set(page.next.clone());
        }
    });
    let selected = RwSignal::new(None::<MemberId>);

    let field = move |read: fn(&Draft) -> String, write: fn(&mut Draft, String)| {
        (
            move || read(&draft.get()),
            move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                draft.update(|d| write(d, value));
            },
        )
    };
    let (q_value, q_input) = field(|d| d.q.clone(), |d, v| d.q = v);
    let (level_value, level_input) = field(|d| d.level.clone(), |d, v| d.level = v);
    let (tag_value, tag_input) = field(|d| d.tag.clone(), |d, v| d.tag = v);
    let (min_value, min_input) = field(|d| d.min_points.clone(), |d, v| d.min_points = v);
    let (max_value, max_input) = field(|d| d.max_points.clone(), |d, v| d.max_points = v);
    let (activity_value, activity_input) = field(|d| d.activity.clone(), |d, v| d.activity = v);

    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().query(ctx.t()) {
            Ok(parsed) => {
                form_error.set(None);
                query.set(parsed);
            }
            Err(message) => form_error.set(Some(message)),
        }
    };
    let clear = move |_| {
        draft.set(Draft::default());
        form_error.set(None);
        query.set(MemberQuery::default());
    };
    let load_more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        loading_more.set(true);
        more_error.set(None);
        let slug = community.slug();
        let query = query.get_untracked();
        leptos::task::spawn_local(async move {
            let result = client().members(slug.as_str(), &query, Some(&cursor)).await;
            loading_more.set(false);
            match result {
                Ok(page) => {
                    more.update(|m| m.extend(page.items));
                    next.set(page.next);
                }
                Err(err) => more_error.set(Some(ctx.fail(&err))),
            }
        });
    };
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    let closed = Callback::new(move |()| selected.set(None));

    view! {
        <h2 class="qd-section-title">{move || t().members()}</h2>
        <p class="qd-muted">{move || t().members_intro()}</p>
        <section class="qd-card" aria-labelledby="members-search-title">
            <h3 id="members-search-title" class="qd-visually-hidden">{move || t().members_search()}</h3>
            <form role="search" on:submit=search novalidate data-testid="members-search">
                <div class="qd-form-row qd-members-search">
                    <label>
                        {move || t().members_search_label()}
                        <input type="search" name="q" maxlength="64" autocomplete="off" spellcheck="false"
                            prop:value=q_value on:input=q_input/>
                    </label>
                    <button type="submit" class="qd-button">{move || t().members_search()}</button>
                </div>
                <fieldset class="qd-form-row qd-members-filters">
                    <legend>{move || t().members_filters()}</legend>
                    <label>
                        {move || t().members_level()}
                        <input type="number" name="level" min="1" max="255" inputmode="numeric"
                            prop:value=level_value on:input=level_input/>
                    </label>
                    <label>
                        {move || t().members_tag()}
                        <input type="text" name="tag" maxlength="40" autocapitalize="off" spellcheck="false"
                            prop:value=tag_value on:input=tag_input/>
                    </label>
                    <label>
                        {move || t().members_activity()}
                        <select name="activity" prop:value=activity_value on:change=activity_input>
                            <option value="">{move || t().members_activity_any()}</option>
                            {ACTIVITY.into_iter().map(|(value, active, days)| view! {
                                <option value=value>{move || if active {
                                    ctx.t().members_active_within(days)
                                } else {
                                    ctx.t().members_inactive_for(days)
                                }}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        {move || t().members_min_points()}
                        <input type="number" name="min_points" min="0" inputmode="numeric"
                            prop:value=min_value on:input=min_input/>
                    </label>
                    <label>
                        {move || t().members_max_points()}
                        <input type="number" name="max_points" min="0" inputmode="numeric"
                            prop:value=max_value on:input=max_input/>
                    </label>
                    <button type="button" class="qd-button qd-secondary" on:click=clear>{move || t().members_clear()}</button>
                </fieldset>
            </form>
            <ErrorNote message=form_error testid="members-form-error"/>
        </section>
        <section class="qd-card" aria-labelledby="members-results-title">
            <div class="qd-chart-head">
                <h3 id="members-results-title">{move || t().members_results()}</h3>
                // The directory with the same conditions, as a spreadsheet (the session cookie
                // authorises the link).
                <a class="qd-button qd-secondary qd-small" download="" data-testid="members-export"
                    href=move || client().members_csv_url(community.slug().as_str(), &query.get())>
                    {move || t().members_export()}
                </a>
            </div>
            {move || match first.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(err)) => {
                    let message = ctx.fail(&err);
                    view! {
                        <p class="qd-error" role="alert" data-testid="members-error">{message}</p>
                        <button type="button" class="qd-button qd-secondary" on:click=move |_| first.refetch()>{move || t().retry()}</button>
                    }.into_any()
                }
                Some(Ok(page)) if page.items.is_empty() && page.next.is_none() => view! {
                    <p class="qd-empty" data-testid="no-members">{move || t().members_none()}</p>
                }.into_any(),
                Some(Ok(page)) => {
                    let first_items = page.items;
                    view! {
                        <div class="qd-table-wrap">
                            <table class="qd-table" data-testid="members">
                                <thead><tr>
                                    <th scope="col">{move || t().members_name()}</th>
                                    <th scope="col">{move || t().members_level()}</th>
                                    <th scope="col">{move || t().members_points()}</th>
                                    <th scope="col">{move || t().members_last_active()}</th>
                                    <th scope="col">{move || t().members_tags()}</th>
                                </tr></thead>
                                <tbody>
                                    {first_items.into_iter().map(|m| row(m, selected)).collect_view()}
                                    {move || more.get().into_iter().map(|m| row(m, selected)).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
            <Show when=move || next.get().is_some()>
                <button type="button" class="qd-button qd-secondary" data-testid="members-more"
                    disabled=move || loading_more.get() on:click=load_more>
                    {move || t().load_more()}
                </button>
            </Show>
            <ErrorNote message=more_error/>
        </section>
        {move || selected.get().map(|member| view! {
            <panel::MemberPanel member=member can_manage=can_manage on_change=changed on_close=closed/>
        })}
    }
}

/// One member in the results: their name opens the panel; a chip marks a member moderator.
fn row(member: MemberSummary, selected: RwSignal<Option<MemberId>>) -> impl IntoView {
    let ctx = ctx();
    let id = member.member.clone();
    let label = member.name.clone().unwrap_or_else(|| id.to_string());
    let open_label = label.clone();
    let is_open = {
        let id = id.clone();
        move || selected.get().as_ref() == Some(&id)
    };
    let tags: Vec<String> = member
        .brand_tags
        .iter()
        .chain(member.staff_tags.iter())
        .map(ToString::to_string)
        .collect();
    view! {
        <tr data-testid="member-row" data-member=member.member.to_string()>
            <td>
                <button type="button" class="qd-link-button"
                    aria-label=move || ctx.t().members_open(&open_label)
                    aria-expanded=move || is_open().to_string()
                    on:click=move |_| selected.set(Some(id.clone()))>
                    {label}
                </button>
                {(member.role == MemberRole::MemberModerator).then(|| view! {
                    " "<span class="qd-chip qd-chip-ok" data-testid="member-role-chip">
                        {move || ctx.t().member_role_name(MemberRole::MemberModerator)}
                    </span>
                })}
                <br/><code class="qd-muted">{member.member.to_string()}</code>
            </td>
            <td>{ctx.t().member_level(member.level)}</td>
            <td>{member.points}</td>
            <td>{member.last_active.map(|d| d.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
            <td>
                <ul class="qd-chips">
                    {tags.into_iter().map(|tag| view! { <li class="qd-chip">{tag}</li> }).collect_view()}
                </ul>
            </td>
        </tr>
    }
}

/// A refusal as words, for the panel's notes.
pub(crate) fn refusal(err: &ApiError) -> String {
    ctx().fail(err)
}
