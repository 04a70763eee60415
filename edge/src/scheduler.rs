//! The one alarm of a community's object, and everything that runs on it: webhook
//! deliveries with their retries, event reminders, and automations' time triggers. A
//! Durable Object has a single alarm, so this module is its only owner: each wake does all
//! the work that is due, then sets the alarm for the earliest of the next reminder, the next
//! queued delivery and the next automation run.
//!
//! A command that queues a delivery, publishes an event, saves an automation or opts a
//! member in to the daily check-in reminder (seen through [`Watched`]) sets the alarm to fire
//! at once, so deliveries go out right after the change that caused them, reminders go out
//! without anyone calling `POST …/events/reminders`, and a new time trigger (or the check-in
//! reminder, which runs with them) is scheduled.

use std::cell::Cell;

use quanzi_core::app::automation::{AutomationCommand, AutomationReply};
use quanzi_core::app::events::{EventCommand, EventReply, event_keys};
use quanzi_core::app::{self, Actor, Command, Reply, webhooks};
use quanzi_core::automation::keys as automation_keys;
use quanzi_core::ids::CommunitySlug;
use quanzi_core::store::{Batch, Page, Store, StoreError};
use quanzi_core::time::Timestamp;
use quanzi_core::webhook::keys as webhook_keys;
use worker::{Date, Env, Response, Result, State, console_error};

use crate::store::DurableStore;
use crate::webhooks as delivery;

/// Deliveries sent per wake; more that are due wait for the next wake, right after.
const BATCH: usize = 20;

/// The soonest a reminder check is rescheduled after one ran (guards against a busy loop).
const MIN_REMINDER_GAP_MS: i64 = 1_000;

fn now() -> Timestamp {
    Timestamp(Date::now().as_millis() as i64)
}

/// A store that remembers whether a command wrote what the alarm works on: the webhook
/// outbox, or a new event (the index of events by end time is written on creation only).
pub struct Watched<'a, S> {
    inner: &'a S,
    touched: Cell<bool>,
}

impl<'a, S: Store> Watched<'a, S> {
    pub fn new(inner: &'a S) -> Self {
        Self {
            inner,
            touched: Cell::new(false),
        }
    }

    /// Sets the alarm to fire now if the command queued work for it.
    pub async fn arm_if_touched(&self, state: &State) {
        if self.touched.get()
            && let Err(e) = state.storage().set_alarm(0).await
        {
            console_error!("setting the alarm: {e}");
        }
    }
}

impl<S: Store> Store for Watched<'_, S> {
    async fn get(&self, key: &str) -> std::result::Result<Option<String>, StoreError> {
        self.inner.get(key).await
    }

    async fn list(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        limit: usize,
    ) -> std::result::Result<Page, StoreError> {
        self.inner.list(prefix, start_after, limit).await
    }

    async fn commit(&self, batch: Batch) -> std::result::Result<(), StoreError> {
        let schedules = batch.writes().iter().any(|write| {
            let key = match write {
                quanzi_core::store::Write::Put { key, .. } => key,
                quanzi_core::store::Write::Delete { key } => key,
            };
            key.starts_with(webhook_keys::OUTBOX)
                || key.starts_with(event_keys::BY_END)
                || key.starts_with(automation_keys::DEFS)
                || key.starts_with(app::reminder_keys::OPTED_IN)
        });
        self.inner.commit(batch).await?;
        if schedules {
            self.touched.set(true);
        }
        Ok(())
    }
}

/// The alarm: sends the reminders and deliveries now due, then sets the next alarm. Never
/// fails (a failed alarm would be retried by the runtime and send twice); problems are
/// logged and the work stays queued.
pub async fn wake(state: &State, env: &Env) -> Result<Response> {
    let store = DurableStore::new(state.storage());
    let slug = match webhooks::community_slug(&store).await {
        Ok(Some(slug)) => slug,
        Ok(None) => return Response::empty(),
        Err(e) => {
            console_error!("alarm: reading the community: {}", e.message);
            return Response::empty();
        }
    };
    let next_reminder = send_reminders(&store, &slug).await;
    // Before the deliveries: an automation's webhook events go out in this same wake.
    let next_automation = run_automations(&store, &slug).await;
    deliver_due(&store, env, &slug).await;
    let next_delivery = match webhooks::next_due(&store).await {
        Ok(next) => next,
        Err(e) => {
            console_error!("alarm: reading the outbox: {}", e.message);
            None
        }
    };
    let next = [next_reminder, next_delivery, next_automation]
        .into_iter()
        .flatten()
        .min();
    if let Some(at) = next {
        arm_at(state, at).await;
    }
    Response::empty()
}

/// Sends the event reminders now due; when the next may fall due.
async fn send_reminders(store: &DurableStore, slug: &CommunitySlug) -> Option<Timestamp> {
    let now = now();
    let command = Command::Events(EventCommand::DueReminders);
    match app::handle(store, slug, &Actor::Operator, command, now).await {
        Ok(outcome) => match outcome.reply {
            Reply::Events(EventReply::Reminders(sent)) => sent
                .next_at
                .map(|at| at.max(now.plus_millis(MIN_REMINDER_GAP_MS))),
            _ => None,
        },
        // Events switched off, or no community: nothing to remind of.
        Err(_) => None,
    }
}

/// Runs the automations' time triggers now due (`RunDue` as the operator); when the next
/// falls due.
async fn run_automations(store: &DurableStore, slug: &CommunitySlug) -> Option<Timestamp> {
    let now = now();
    let command = Command::Automation(AutomationCommand::RunDue);
    match app::handle(store, slug, &Actor::Operator, command, now).await {
        Ok(outcome) => match outcome.reply {
            Reply::Automation(AutomationReply::Ran(ran)) => ran
                .next_at
                .map(|at| at.max(now.plus_millis(MIN_REMINDER_GAP_MS))),
            _ => None,
        },
        Err(e) => {
            console_error!("alarm: running automations: {}", e.message);
            None
        }
    }
}

/// Sends up to [`BATCH`] due deliveries, one after another, recording each answer.
async fn deliver_due(store: &DurableStore, env: &Env, slug: &CommunitySlug) {
    let due = match webhooks::due(store, now(), BATCH).await {
        Ok(due) => due,
        Err(e) => {
            console_error!("alarm: reading the outbox: {}", e.message);
            return;
        }
    };
    let policy = delivery::url_policy(env);
    let base = delivery::retry_base_ms(env);
    for one in due {
        let result = delivery::attempt(&one, slug, policy, now()).await;
        if let Err(e) = webhooks::record_attempt(store, one, result, now(), base).await {
            console_error!("alarm: recording a delivery: {}", e.message);
        }
    }
}

/// Sets the alarm for `at`, unless one is already set sooner (a command may have asked for
/// an immediate wake while this one was sending).
async fn arm_at(state: &State, at: Timestamp) {
    let storage = state.storage();
    let current = storage.get_alarm().await.ok().flatten();
    if current.is_some_and(|t| t <= at.millis()) {
        return;
    }
    let offset = at.millis().saturating_sub(now().millis()).max(0);
    if let Err(e) = storage.set_alarm(offset).await {
        console_error!("setting the alarm: {e}");
    }
}
