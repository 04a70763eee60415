//! Moderation: the queue of reported and pre-moderated posts, bans, and the audit log.

mod audit;
mod bans;
mod queue;

use leptos::prelude::*;
use quanzi_core::moderation::{ActorRef, ActorRole};

use crate::community_page::community;
use crate::ctx;
use crate::i18n::Text;
use crate::route::{ModTab, Section};

#[component]
pub fn Moderation(tab: Memo<ModTab>) -> impl IntoView {
    let ctx = ctx();
    let community = community();
    let link = move |value: ModTab| {
        view! {
            <a class="qd-tab" href=community.href(Section::Moderation(value))
                aria-current=move || (tab.get() == value).then_some("page")>
                {move || ctx.t().mod_tab(value)}
            </a>
        }
    };
    view! {
        <h2 class="qd-section-title">{move || ctx.t().moderation()}</h2>
        <nav class="qd-tabs" aria-label=move || ctx.t().moderation()>
            {ModTab::ALL.into_iter().map(link).collect_view()}
        </nav>
        {move || match tab.get() {
            ModTab::Queue => view! { <queue::Queue/> }.into_any(),
            ModTab::Bans => view! { <bans::Bans/> }.into_any(),
            ModTab::Audit => view! { <audit::Audit/> }.into_any(),
        }}
    }
}

/// Who acted, as staff read it.
fn who(t: Text, actor: &ActorRef) -> String {
    match actor {
        ActorRef::Staff { email } => email.to_string(),
        ActorRef::Member { id } => id.to_string(),
        ActorRef::Community => t.audit_by_rules().to_owned(),
    }
}

fn role_name(t: Text, role: ActorRole) -> &'static str {
    match role {
        ActorRole::Owner => t.role_owner(),
        ActorRole::Admin => t.role_admin(),
        ActorRole::Moderator => t.role_moderator(),
        ActorRole::MemberModerator => t.role_member_moderator(),
        ActorRole::Member => t.role_member(),
    }
}
