//! The bell in the widget's header: the member's unread count, and a panel of their
//! notifications to read, mark read one by one or all at once (optimistically), and follow
//! to the event they are about.

use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use quanzi_client::Client;
use quanzi_core::app::inbox::{AllTrue, MarkRead};
use quanzi_core::notify::Notification;
use quanzi_core::recognition::BadgeView;
use quanzi_core::talk::Cursor;

use crate::feedback::{Announcer, Empty, Glyph, Icon, Problem, Skeleton};
use crate::intl::{self, Style};
use crate::nav::Nav;
use crate::session::{Load, use_session, use_text};

/// How often the bell asks for the unread count while the page stays open.
const UNREAD_POLL: Duration = Duration::from_secs(60);

#[component]
pub fn Bell() -> impl IntoView {
    let session = use_session();
    let text = use_text();
    let t = text.get_untracked();
    let client = StoredValue::new(expect_context::<Client>());
    let unread = RwSignal::new(0_u32);
    let open = RwSignal::new(false);
    let items = RwSignal::new(Load::<Vec<Notification>>::Loading);
    let next = RwSignal::new(None::<Cursor>);
    // The member's own badges, to name the ones a notification is about.
    let badges = RwSignal::new(Vec::<BadgeView>::new());
    let message = RwSignal::new(None::<String>);
    // Marks sent and not yet answered (the panel is `aria-busy` meanwhile).
    let saving = RwSignal::new(0_u32);
    let button = NodeRef::<html::Button>::new();
    let panel_heading = NodeRef::<html::H3>::new();

    let count = Callback::new(move |()| {
        let Some(token) = session.token.get_untracked() else {
            return;
        };
        let client = client.get_value();
        spawn_local(async move {
            if let Ok(c) = client.unread_count(&session.slug(), &token).await {
                unread.set(c.unread);
            }
        });
    });
    let list = Callback::new(move |cursor: Option<Cursor>| {
        let Some(token) = session.token.get_untracked() else {
            return;
        };
        let client = client.get_value();
        spawn_local(async move {
            let page = client
                .notifications(&session.slug(), &token, cursor.as_ref())
                .await;
            match page {
                Ok(page) => {
                    unread.set(page.unread);
                    items.update(|i| match (i, cursor.is_some()) {
                        (Load::Ready(list), true) => list.extend(page.items),
                        (i, _) => *i = Load::Ready(page.items),
                    });
                    next.set(page.next);
                }
                Err(e) if cursor.is_none() => items.set(Load::Failed(e.code)),
                Err(_) => {}
            }
        });
    });
    Effect::new(move |_| {
        session.token.track();
        session.changed.track();
        if open.get_untracked() {
            list.run(None);
        } else {
            count.run(());
        }
    });
    {
        let poll = set_interval_with_handle(move || count.run(()), UNREAD_POLL);
        let focus = window_event_listener(leptos::ev::focus, move |_| count.run(()));
        on_cleanup(move || {
            if let Ok(poll) = poll {
                poll.clear();
            }
            focus.remove();
        });
    }

    let toggle = move |_| {
        let now_open = !open.get_untracked();
        open.set(now_open);
        if now_open {
            items.set(Load::Loading);
            list.run(None);
            if badges.with_untracked(Vec::is_empty) {
                let (client, token) = (client.get_value(), session.token.get_untracked());
                spawn_local(async move {
                    let Some(token) = token else { return };
                    if let Ok(mine) = client.my_points(&session.slug(), &token).await {
                        badges.set(mine.badges);
                    }
                });
            }
        }
    };
    Effect::new(move |_| {
        if open.get()
            && let Some(h) = panel_heading.get()
        {
            let _ = h.focus();
        }
    });
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };

    // Optimistic: read at once, unread again if the worker refuses.
    let mark = Callback::new(move |which: MarkRead| {
        let Some(token) = session.token.get_untracked() else {
            return;
        };
        let (before_items, before_unread) = (items.get_untracked(), unread.get_untracked());
        let ids: Option<Vec<String>> = match &which {
            MarkRead::Ids { ids } => Some(ids.clone()),
            MarkRead::All { .. } => None,
        };
        let mut newly = 0;
        items.update(|i| {
            if let Load::Ready(list) = i {
                for n in list.iter_mut() {
                    if !n.read && ids.as_ref().is_none_or(|ids| ids.contains(&n.id)) {
                        n.read = true;
                        newly += 1;
                    }
                }
            }
        });
        unread.set(match ids {
            None => 0,
            Some(_) => before_unread.saturating_sub(newly),
        });
        let client = client.get_value();
        saving.update(|n| *n += 1);
        spawn_local(async move {
            let answer = client.mark_read(&session.slug(), &token, &which).await;
            saving.update(|n| *n = n.saturating_sub(1));
            match answer {
                Ok(done) => {
                    unread.set(done.unread);
                    if matches!(which, MarkRead::All { .. }) {
                        message.set(Some(t.all_read().to_owned()));
                    }
                }
                Err(e) => {
                    items.set(before_items);
                    unread.set(before_unread);
                    message.set(Some(t.me_explain(e.code).to_owned()));
                }
            }
        });
    });
    let mark_one = Callback::new(move |id: String| mark.run(MarkRead::Ids { ids: vec![id] }));
    let mark_all = move |_| {
        if unread.get_untracked() > 0 {
            mark.run(MarkRead::All { all: AllTrue });
        }
    };
    let retry = Callback::new(move |()| {
        items.set(Load::Loading);
        list.run(None);
    });
    let more = move |_| list.run(next.get_untracked());
    let ids = move || {
        items.with(|i| {
            i.ready()
                .map(|l| l.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };

    move || {
        session.token.get()?;
        // The bell sits in the header, which stays: it follows the language itself.
        let t = text.get();
        Some(view! {
            <button
                type="button"
                class="qz-bell"
                node_ref=button
                data-testid="bell"
                aria-expanded=move || open.get().to_string()
                aria-controls="qz-notifications"
                aria-label=move || t.bell_label(unread.get())
                on:click=toggle
            >
                <Glyph icon=Icon::Bell/>
                <Show when=move || { unread.get() > 0 }>
                    <span class="qz-bell-count" data-testid="bell-count" aria-hidden="true">
                        {move || if unread.get() > 99 { "99+".to_owned() } else { unread.get().to_string() }}
                    </span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <section
                    class="qz-notifications"
                    id="qz-notifications"
                    aria-labelledby="qz-notifications-title"
                    data-testid="notifications"
                    aria-busy=move || (saving.get() > 0).to_string()
                    on:keydown=move |ev| if ev.key() == "Escape" { close() }
                >
                    <div class="qz-card-head">
                        <h3 class="qz-card-title" id="qz-notifications-title" tabindex="-1" node_ref=panel_heading>
                            {t.notifications_heading()}
                        </h3>
                        <button
                            type="button"
                            class="qz-chip-button"
                            data-testid="mark-all-read"
                            aria-disabled=move || (unread.get() == 0).to_string()
                            on:click=mark_all
                        >
                            {t.mark_all_read()}
                        </button>
                    </div>
                    {move || match items.get() {
                        Load::Loading => view! { <Skeleton rows=3/> }.into_any(),
                        Load::Failed(code) => view! { <Problem code=code retry=retry/> }.into_any(),
                        Load::Ready(list) if list.is_empty() => {
                            view! { <Empty icon=Icon::Bell text=t.no_notifications()/> }.into_any()
                        }
                        Load::Ready(_) => view! {
                            <ul class="qz-note-list" data-testid="notification-list">
                                <For each=ids key=|id| id.clone() let:id>
                                    <Item id=id items=items badges=badges mark=mark_one close=Callback::new(move |()| open.set(false))/>
                                </For>
                            </ul>
                        }
                        .into_any(),
                    }}
                    <Show when=move || next.get().is_some()>
                        <button type="button" class="qz-button qz-button-quiet qz-more" on:click=more>
                            {t.me_load_more()}
                        </button>
                    </Show>
                    <Announcer message=message testid="notifications-result"/>
                </section>
            </Show>
        })
    }
}

/// One notification, kept in place while others change so focus stays where it was.
#[component]
fn Item(
    id: String,
    items: RwSignal<Load<Vec<Notification>>>,
    badges: RwSignal<Vec<BadgeView>>,
    mark: Callback<String>,
    close: Callback<()>,
) -> impl IntoView {
    let t = use_text().get_untracked();
    let session = use_session();
    let nav = use_context::<Nav>();
    let key = StoredValue::new(id);
    let note = Memo::new(move |_| {
        items.with(|i| {
            i.ready()
                .and_then(|l| l.iter().find(|n| n.id == key.get_value()).cloned())
        })
    });
    let text = move || {
        note.with(|n| {
            n.as_ref()
                .map(|n| {
                    let badge = n.target.badge.as_deref().and_then(|b| {
                        badges.with(|all| {
                            all.iter()
                                .find(|d| d.id.as_str() == b)
                                .map(|d| d.names.get(t.0))
                        })
                    });
                    t.notification(
                        n.kind,
                        n.target.level,
                        badge.as_deref(),
                        n.target.message.as_deref(),
                    )
                })
                .unwrap_or_default()
        })
    };
    let when = move || {
        note.with(|n| {
            n.as_ref()
                .map(|n| {
                    intl::instant(n.at.millis(), t.0, &session.time_zone.get(), Style::DayTime)
                })
                .unwrap_or_default()
        })
    };
    let read = move || note.with(|n| n.as_ref().is_none_or(|n| n.read));
    // The button goes once the notification is read: focus stays on its line.
    let line = NodeRef::<html::Li>::new();
    let mark_this = move || {
        mark.run(key.get_value());
        if let Some(li) = line.get_untracked() {
            let _ = li.focus();
        }
    };
    let event = move || note.with(|n| n.as_ref().and_then(|n| n.target.event.clone()));
    view! {
        <li class="qz-note-item" data-read=move || read().to_string() data-testid="notification" tabindex="-1" node_ref=line>
            <span class="qz-dot" aria-hidden="true"></span>
            <div class="qz-note-body">
                <p>
                    <Show when=move || !read()>
                        <span class="qz-visually-hidden">{t.unread_prefix()}</span>
                    </Show>
                    {text}
                </p>
                <p class="qz-muted">{when}</p>
            </div>
            <div class="qz-note-actions">
                {move || event().zip(nav).map(|(id, nav)| view! {
                    <button
                        type="button"
                        class="qz-chip-button"
                        on:click=move |_| {
                            if !read() {
                                mark.run(key.get_value());
                            }
                            close.run(());
                            nav.open_event(id.clone());
                        }
                    >
                        {t.view_event()}
                    </button>
                })}
                <Show when=move || !read()>
                    <button
                        type="button"
                        class="qz-chip-button"
                        data-testid="mark-read"
                        aria-label=move || format!("{}: {}", t.mark_read(), text())
                        on:click=move |_| mark_this()
                    >
                        {t.mark_read()}
                    </button>
                </Show>
            </div>
        </li>
    }
}
