//! Creating and editing an event: the form's text fields, read into the wire types with the
//! community's time zone, and the form itself.

use leptos::prelude::*;
use quanzi_core::community::TimeZone;
use quanzi_core::events::{
    Capacity, CapacityRequest, ChoiceText, Choices, EventDescription, EventDraft, EventEdit,
    EventTitle, EventUrl, EventView, Place, Question, QuestionId, QuestionKind, QuestionPrompt,
    Questions, Venue, VenueView,
};

use crate::community_page::community;
use crate::i18n::Text;
use crate::route::{EventsView, Section, navigate};
use crate::time;
use crate::ui::{ErrorNote, Loading};
use crate::{client, ctx};

/// What kind of answer a sign-up question takes, as the form offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerKind {
    Text,
    One,
    Many,
}

/// One sign-up question as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionInput {
    pub prompt: String,
    pub kind: AnswerKind,
    /// Options, one per line or comma-separated (choice questions).
    pub options: String,
    pub required: bool,
}

/// The form as typed: every field text, as the inputs hold it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub starts: String,
    pub ends: String,
    /// Empty: sign-up closes when the event starts.
    pub signup_closes: String,
    pub online: bool,
    pub place: String,
    pub url: String,
    /// Empty: no limit.
    pub capacity: String,
    pub questions: Vec<QuestionInput>,
}

/// What is wrong with the form, the first problem found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormProblem {
    Title,
    Description,
    Starts,
    Ends,
    EndsBeforeStart,
    SignupCloses,
    Place,
    Url,
    Capacity,
    Question(usize),
    Options(usize),
    TooManyQuestions,
}

impl FormProblem {
    pub fn text(self, t: Text) -> String {
        match self {
            FormProblem::Title => t.event_title_rule().to_owned(),
            FormProblem::Description => t.event_description_rule().to_owned(),
            FormProblem::Starts => t.event_starts_rule().to_owned(),
            FormProblem::Ends => t.event_ends_rule().to_owned(),
            FormProblem::EndsBeforeStart => t.event_order_rule().to_owned(),
            FormProblem::SignupCloses => t.signup_closes_rule().to_owned(),
            FormProblem::Place => t.place_rule().to_owned(),
            FormProblem::Url => t.event_url_rule().to_owned(),
            FormProblem::Capacity => t.capacity_rule().to_owned(),
            FormProblem::Question(n) => t.question_prompt_rule(n + 1),
            FormProblem::Options(n) => t.question_options_rule(n + 1),
            FormProblem::TooManyQuestions => t.too_many_questions().to_owned(),
        }
    }
}

impl EventInput {
    fn words(&self) -> Result<(EventTitle, EventDescription, Venue), FormProblem> {
        let title = EventTitle::parse(&self.title).map_err(|_| FormProblem::Title)?;
        let description =
            EventDescription::parse(&self.description).map_err(|_| FormProblem::Description)?;
        let venue = if self.online {
            Venue::Online {
                url: EventUrl::parse(&self.url).map_err(|_| FormProblem::Url)?,
            }
        } else {
            Venue::Offline {
                place: Place::parse(&self.place).map_err(|_| FormProblem::Place)?,
            }
        };
        Ok((title, description, venue))
    }

    /// The seats: `None` for no limit.
    pub fn capacity(&self) -> Result<Option<Capacity>, FormProblem> {
        match self.capacity.trim() {
            "" => Ok(None),
            raw => raw
                .parse::<u32>()
                .ok()
                .and_then(|n| Capacity::new(n).ok())
                .map(Some)
                .ok_or(FormProblem::Capacity),
        }
    }

    fn questions(&self) -> Result<Questions, FormProblem> {
        let mut out = Vec::new();
        for (n, q) in self
            .questions
            .iter()
            .filter(|q| !q.prompt.trim().is_empty())
            .enumerate()
        {
            let prompt = QuestionPrompt::parse(&q.prompt).map_err(|_| FormProblem::Question(n))?;
            let options = || {
                let list = q
                    .options
                    .split(['\n', ',', '，'])
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(ChoiceText::parse)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| FormProblem::Options(n))?;
                Choices::new(list).map_err(|_| FormProblem::Options(n))
            };
            let kind = match q.kind {
                AnswerKind::Text => QuestionKind::ShortText,
                AnswerKind::One => QuestionKind::SingleChoice {
                    options: options()?,
                },
                AnswerKind::Many => QuestionKind::MultipleChoice {
                    options: options()?,
                },
            };
            out.push(Question {
                id: QuestionId::parse(&format!("q{}", n + 1))
                    .map_err(|_| FormProblem::Question(n))?,
                prompt,
                required: q.required,
                kind,
            });
        }
        Questions::new(out).map_err(|_| FormProblem::TooManyQuestions)
    }

    /// The new event, times read in `tz`.
    pub fn draft(&self, tz: TimeZone) -> Result<EventDraft, FormProblem> {
        let (title, description, venue) = self.words()?;
        let starts_at = time::from_input(&self.starts, tz).ok_or(FormProblem::Starts)?;
        let ends_at = time::from_input(&self.ends, tz).ok_or(FormProblem::Ends)?;
        if ends_at <= starts_at {
            return Err(FormProblem::EndsBeforeStart);
        }
        let signup_closes_at = match self.signup_closes.trim() {
            "" => None,
            raw => Some(time::from_input(raw, tz).ok_or(FormProblem::SignupCloses)?),
        };
        if signup_closes_at.is_some_and(|closes| closes > ends_at) {
            return Err(FormProblem::SignupCloses);
        }
        Ok(EventDraft {
            title,
            description,
            venue,
            starts_at,
            ends_at,
            signup_opens_at: None,
            signup_closes_at,
            capacity: self.capacity()?,
            questions: self.questions()?,
        })
    }

    /// The changed words and place of an existing event.
    pub fn edit(&self) -> Result<EventEdit, FormProblem> {
        let (title, description, venue) = self.words()?;
        Ok(EventEdit {
            title,
            description,
            venue,
        })
    }

    /// The form filled from an event as the organiser reads it. An online event's link is
    /// not shown to anyone without a seat, so it is typed again when editing.
    pub fn of(event: &EventView, tz: TimeZone) -> EventInput {
        let (online, place, url) = match &event.venue {
            VenueView::Online { url } => (true, String::new(), url.clone().unwrap_or_default()),
            VenueView::Offline { place } => (false, place.clone(), String::new()),
        };
        EventInput {
            title: event.title.clone(),
            description: event.description.clone(),
            starts: time::to_input(event.starts_at, tz),
            ends: time::to_input(event.ends_at, tz),
            signup_closes: time::to_input(event.signup_closes_at, tz),
            online,
            place,
            url,
            capacity: event.capacity.map(|c| c.to_string()).unwrap_or_default(),
            questions: Vec::new(),
        }
    }
}

/// A question's fields as signals, with a key for the list.
#[derive(Clone, Copy)]
struct QuestionFields {
    key: usize,
    prompt: RwSignal<String>,
    kind: RwSignal<AnswerKind>,
    options: RwSignal<String>,
    required: RwSignal<bool>,
}

/// New (`editing: None`) or an existing event's words, place and capacity.
#[component]
pub fn EventForm(
    /// The event edited, by id; `None` creates one.
    editing: Option<String>,
) -> impl IntoView {
    let ctx = ctx();
    let community = community();
    let existing = {
        let editing = editing.clone();
        LocalResource::new(move || {
            let editing = editing.clone();
            let slug = community.slug();
            async move {
                match editing {
                    Some(id) => Some(client().event(slug.as_str(), &id, None).await),
                    None => None,
                }
            }
        })
    };
    move || match (editing.clone(), existing.get()) {
        (Some(_), None | Some(None)) => view! { <Loading/> }.into_any(),
        (Some(_), Some(Some(Err(err)))) => {
            let message = ctx.fail(&err);
            view! { <p class="qd-error" role="alert">{message}</p> }.into_any()
        }
        (Some(id), Some(Some(Ok(event)))) => {
            let input = EventInput::of(&event, community.time_zone());
            view! { <Fields input=input editing=Some((id, event.capacity)) /> }.into_any()
        }
        (None, _) => view! { <Fields input=EventInput::default() editing=None/> }.into_any(),
    }
}

#[component]
fn Fields(input: EventInput, editing: Option<(String, Option<u32>)>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let is_new = editing.is_none();
    let title = RwSignal::new(input.title);
    let description = RwSignal::new(input.description);
    let starts = RwSignal::new(input.starts);
    let ends = RwSignal::new(input.ends);
    let signup_closes = RwSignal::new(if is_new {
        String::new()
    } else {
        input.signup_closes
    });
    let online = RwSignal::new(input.online);
    let place = RwSignal::new(input.place);
    let url = RwSignal::new(input.url);
    let capacity = RwSignal::new(input.capacity);
    let questions = RwSignal::new(Vec::<QuestionFields>::new());
    let next_key = StoredValue::new(0usize);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let editing = StoredValue::new(editing);

    let add_question = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        questions.update(|qs| {
            qs.push(QuestionFields {
                key,
                prompt: RwSignal::new(String::new()),
                kind: RwSignal::new(AnswerKind::Text),
                options: RwSignal::new(String::new()),
                required: RwSignal::new(false),
            })
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = EventInput {
            title: title.get_untracked(),
            description: description.get_untracked(),
            starts: starts.get_untracked(),
            ends: ends.get_untracked(),
            signup_closes: signup_closes.get_untracked(),
            online: online.get_untracked(),
            place: place.get_untracked(),
            url: url.get_untracked(),
            capacity: capacity.get_untracked(),
            questions: questions
                .get_untracked()
                .into_iter()
                .map(|q| QuestionInput {
                    prompt: q.prompt.get_untracked(),
                    kind: q.kind.get_untracked(),
                    options: q.options.get_untracked(),
                    required: q.required.get_untracked(),
                })
                .collect(),
        };
        let tz = community.time_zone();
        let text = ctx.t();
        let csrf = ctx.csrf();
        let slug = community.slug();
        match editing.get_value() {
            None => {
                let draft = match input.draft(tz) {
                    Ok(draft) => draft,
                    Err(problem) => {
                        error.set(Some(problem.text(text)));
                        return;
                    }
                };
                busy.set(true);
                error.set(None);
                leptos::task::spawn_local(async move {
                    let result = client().create_event(&csrf, slug.as_str(), &draft).await;
                    busy.set(false);
                    match result {
                        Ok(view) => navigate(
                            &community
                                .route(Section::Events(EventsView::One(view.event.id.to_string()))),
                        ),
                        Err(err) => error.set(Some(ctx.fail(&err))),
                    }
                });
            }
            Some((id, old_capacity)) => {
                let (edit, new_capacity) = match (input.edit(), input.capacity()) {
                    (Ok(edit), Ok(capacity)) => (edit, capacity),
                    (Err(problem), _) | (_, Err(problem)) => {
                        error.set(Some(problem.text(text)));
                        return;
                    }
                };
                busy.set(true);
                error.set(None);
                leptos::task::spawn_local(async move {
                    let api = client();
                    let mut result = api
                        .edit_event(&csrf, slug.as_str(), &id, &edit)
                        .await
                        .map(drop);
                    if result.is_ok() && new_capacity.map(Capacity::get) != old_capacity {
                        let request = CapacityRequest {
                            capacity: new_capacity,
                        };
                        result = api
                            .set_event_capacity(&csrf, slug.as_str(), &id, &request)
                            .await
                            .map(drop);
                    }
                    busy.set(false);
                    match result {
                        Ok(()) => navigate(&community.route(Section::Events(EventsView::One(id)))),
                        Err(err) => error.set(Some(ctx.fail(&err))),
                    }
                });
            }
        }
    };

    let tz_name = move || community.time_zone().tz().name().to_owned();
    view! {
        <nav class="qd-crumbs" aria-label=move || t().breadcrumbs()>
            <a href=community.href(Section::Events(EventsView::List))>{move || t().events()}</a>
        </nav>
        <section class="qd-card" aria-labelledby="event-form-title">
            <h2 id="event-form-title">{move || if is_new { t().new_event() } else { t().edit_event() }}</h2>
            <form on:submit=submit novalidate class="qd-form-grid" data-testid="event-form">
                <label>
                    {move || t().event_title()}
                    <input type="text" name="title" required maxlength="120"
                        prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
                </label>
                <label>
                    {move || t().event_description()}
                    <textarea name="description" rows="4" maxlength="10000"
                        prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </label>
                <Show when=move || is_new fallback=move || view! { <p class="qd-hint">{move || t().times_fixed()}</p> }>
                    <div class="qd-two">
                        <label>
                            {move || t().starts_at()}
                            <input type="datetime-local" name="starts" required
                                prop:value=starts on:input=move |ev| starts.set(event_target_value(&ev))/>
                        </label>
                        <label>
                            {move || t().ends_at()}
                            <input type="datetime-local" name="ends" required
                                prop:value=ends on:input=move |ev| ends.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <p class="qd-hint">{move || t().times_in_zone(&tz_name())}</p>
                    <div class="qd-field">
                        <label>
                            {move || t().signup_closes()}
                            <input type="datetime-local" name="signup-closes" aria-describedby="signup-closes-hint"
                                prop:value=signup_closes on:input=move |ev| signup_closes.set(event_target_value(&ev))/>
                        </label>
                        <span class="qd-hint" id="signup-closes-hint">{move || t().signup_closes_hint()}</span>
                    </div>
                </Show>
                <fieldset class="qd-fieldset">
                    <legend>{move || t().where_()}</legend>
                    <div class="qd-inline">
                        <label class="qd-choice qd-choice-inline">
                            <input type="radio" name="venue" prop:checked=move || !online.get() on:change=move |_| online.set(false)/>
                            <span>{move || t().offline()}</span>
                        </label>
                        <label class="qd-choice qd-choice-inline">
                            <input type="radio" name="venue" prop:checked=move || online.get() on:change=move |_| online.set(true)/>
                            <span>{move || t().online()}</span>
                        </label>
                    </div>
                    <Show when=move || online.get() fallback=move || view! {
                        <label>
                            {move || t().place()}
                            <input type="text" name="place" maxlength="300" placeholder=move || t().place_placeholder()
                                prop:value=place on:input=move |ev| place.set(event_target_value(&ev))/>
                        </label>
                    }>
                        <div class="qd-field">
                            <label>
                                {move || t().event_link()}
                                <input type="url" name="url" placeholder="https://meeting.example/room"
                                    aria-describedby="url-hint"
                                    prop:value=url on:input=move |ev| url.set(event_target_value(&ev))/>
                            </label>
                            <span class="qd-hint" id="url-hint">{move || t().event_link_hint()}</span>
                        </div>
                    </Show>
                </fieldset>
                <div class="qd-field">
                    <label>
                        {move || t().capacity()}
                        <input type="number" name="capacity" min="1" max="5000" inputmode="numeric"
                            aria-describedby="capacity-hint"
                            prop:value=capacity on:input=move |ev| capacity.set(event_target_value(&ev))/>
                    </label>
                    <span class="qd-hint" id="capacity-hint">{move || t().capacity_hint()}</span>
                </div>
                <Show when=move || is_new>
                    <fieldset class="qd-fieldset" data-testid="signup-questions">
                        <legend>{move || t().signup_questions()}</legend>
                        <For each=move || questions.get() key=|q| q.key let:q>
                            <QuestionEditor q=q on_remove=Callback::new(move |_| questions.update(|qs| qs.retain(|x| x.key != q.key)))/>
                        </For>
                        <button type="button" class="qd-button qd-secondary qd-small" on:click=add_question
                            disabled=move || { questions.with(Vec::len) >= Questions::MAX }>
                            {move || t().add_question()}
                        </button>
                    </fieldset>
                </Show>
                <ErrorNote message=error testid="event-error"/>
                <div class="qd-actions">
                    <a class="qd-button qd-ghost" href=community.href(Section::Events(EventsView::List))>{move || t().cancel_editing()}</a>
                    <button type="submit" class="qd-button" disabled=move || busy.get()>
                        {move || match (busy.get(), is_new) {
                            (true, _) => t().saving(),
                            (false, true) => t().publish_event(),
                            (false, false) => t().save_changes(),
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// One sign-up question's prompt, kind, options and whether it must be answered.
#[component]
fn QuestionEditor(q: QuestionFields, on_remove: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    view! {
        <div class="qd-question" data-testid="question-editor">
            <label class="qd-grow">
                {move || t().question_prompt()}
                <input type="text" maxlength="200" prop:value=q.prompt on:input=move |ev| q.prompt.set(event_target_value(&ev))/>
            </label>
            <label>
                {move || t().answer_kind()}
                <select on:change=move |ev| q.kind.set(match event_target_value(&ev).as_str() {
                    "one" => AnswerKind::One,
                    "many" => AnswerKind::Many,
                    _ => AnswerKind::Text,
                })>
                    <option value="text" selected=move || q.kind.get() == AnswerKind::Text>{move || t().answer_text()}</option>
                    <option value="one" selected=move || q.kind.get() == AnswerKind::One>{move || t().answer_one()}</option>
                    <option value="many" selected=move || q.kind.get() == AnswerKind::Many>{move || t().answer_many()}</option>
                </select>
            </label>
            <Show when=move || q.kind.get() != AnswerKind::Text>
                <label class="qd-grow">
                    {move || t().options()}
                    <input type="text" placeholder=move || t().options_placeholder()
                        prop:value=q.options on:input=move |ev| q.options.set(event_target_value(&ev))/>
                </label>
            </Show>
            <label class="qd-choice qd-choice-inline">
                <input type="checkbox" prop:checked=q.required on:change=move |ev| q.required.set(event_target_checked(&ev))/>
                <span>{move || t().required()}</span>
            </label>
            <button type="button" class="qd-button qd-ghost qd-small" on:click=move |_| on_remove.run(())>
                {move || t().remove()}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> EventInput {
        EventInput {
            title: "新手品鉴会".into(),
            description: "Bring a cup".into(),
            starts: "2031-05-01T19:00".into(),
            ends: "2031-05-01T21:00".into(),
            place: "上海静安店".into(),
            capacity: "20".into(),
            questions: vec![
                QuestionInput {
                    prompt: "T-shirt size".into(),
                    kind: AnswerKind::One,
                    options: "S, M，L".into(),
                    required: true,
                },
                QuestionInput {
                    prompt: "   ".into(),
                    kind: AnswerKind::Text,
                    options: String::new(),
                    required: false,
                },
            ],
            ..EventInput::default()
        }
    }

    #[test]
    fn a_filled_form_is_a_draft_in_the_communitys_time() {
        let tz = TimeZone::parse("Asia/Shanghai").unwrap();
        let draft = filled().draft(tz).unwrap();
        assert_eq!(time::to_input(draft.starts_at, tz), "2031-05-01T19:00");
        assert_eq!(draft.capacity.map(Capacity::get), Some(20));
        let questions = draft.questions.as_slice();
        assert_eq!(questions.len(), 1, "blank questions are left out");
        assert_eq!(questions[0].id.as_str(), "q1");
        let QuestionKind::SingleChoice { options } = &questions[0].kind else {
            panic!("a choice")
        };
        assert_eq!(options.as_slice().len(), 3);
        // And the wire accepts what the form built.
        let json = serde_json::to_value(&draft).unwrap();
        assert_eq!(serde_json::from_value::<EventDraft>(json).unwrap(), draft);
    }

    #[test]
    fn each_problem_is_named() {
        let tz = TimeZone::default();
        type Change = fn(&mut EventInput);
        let cases: Vec<(Change, FormProblem)> = vec![
            (
                (|f: &mut EventInput| f.title = " ".into()),
                FormProblem::Title,
            ),
            (
                (|f: &mut EventInput| f.starts = "soon".into()),
                FormProblem::Starts,
            ),
            (
                (|f: &mut EventInput| f.ends = "2031-05-01T18:00".into()),
                FormProblem::EndsBeforeStart,
            ),
            (
                (|f: &mut EventInput| f.place = String::new()),
                FormProblem::Place,
            ),
            (
                (|f: &mut EventInput| {
                    f.online = true;
                    f.url = "http://insecure.example".into();
                }),
                FormProblem::Url,
            ),
            (
                (|f: &mut EventInput| f.capacity = "0".into()),
                FormProblem::Capacity,
            ),
            (
                (|f: &mut EventInput| f.capacity = "many".into()),
                FormProblem::Capacity,
            ),
            (
                (|f: &mut EventInput| f.questions[0].options = "S".into()),
                FormProblem::Options(0),
            ),
            (
                (|f: &mut EventInput| f.signup_closes = "2031-05-02T00:00".into()),
                FormProblem::SignupCloses,
            ),
        ];
        for (change, want) in cases {
            let mut form = filled();
            change(&mut form);
            assert_eq!(form.draft(tz), Err(want));
        }
    }
}
