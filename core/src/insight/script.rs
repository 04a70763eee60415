//! A scripted community, for tests and the benchmark: members join over a number of weeks,
//! check in, post, reply, react, sign up for events and attend them, and some go quiet.
//! Everything follows from a seed (a 64-bit linear congruential generator), so a script is
//! the same on every run and its numbers can be worked out from the steps alone.
//!
//! [`Community::day`] yields one day's steps in time order; call it for day 0, 1, 2, … in
//! turn. `app::insight::scripted` plays steps through the application layer.

use std::collections::BTreeSet;

/// How big and how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptConfig {
    pub members: u32,
    pub weeks: u32,
    pub seed: u64,
}

impl Default for ScriptConfig {
    fn default() -> Self {
        Self {
            members: 100,
            weeks: 8,
            seed: 7,
        }
    }
}

/// Knuth's MMIX constants; the high bits are the random ones.
#[derive(Debug, Clone)]
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    /// `0..n` (n > 0).
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n.max(1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

/// One member of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Persona {
    /// The member id (`sub`): `m000042`.
    pub id: String,
    /// Brand tags their token carries.
    pub tags: Vec<String>,
    pub email_verified: bool,
    /// The day they join (and first act).
    pub join_day: u32,
    /// From this day on they do nothing.
    pub quiet_from: Option<u32>,
    /// The chance (percent) that they come on a day after joining.
    pub activity: u32,
    /// The topics (indices into [`TOPICS`]) they join and post in.
    pub topics: Vec<usize>,
}

/// The topics of every script.
pub const TOPICS: [&str; 3] = ["tea", "teaware", "travel"];

/// An event of the script, on `day` from 19:00 to 21:00.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptEvent {
    pub id: String,
    pub day: u32,
}

/// What a member does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Join,
    JoinTopic {
        topic: usize,
    },
    CheckIn,
    /// Opens the thread `thread` in the topic.
    Post {
        thread: String,
        topic: usize,
    },
    /// Replies to a thread opened the day before (in `topic`).
    Reply {
        thread: String,
        topic: usize,
    },
    /// Reacts to a thread opened the day before (in `topic`).
    React {
        thread: String,
        topic: usize,
    },
    SignUp {
        event: usize,
    },
    /// Checks in at the event with its code.
    Attend {
        event: usize,
    },
}

/// One step: on `day` (0-based), `minute` minutes after local midnight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub day: u32,
    pub minute: u32,
    /// Index into [`Community::members`].
    pub member: usize,
    pub action: Action,
}

/// The script's state between days.
#[derive(Debug, Clone)]
pub struct Community {
    pub config: ScriptConfig,
    pub members: Vec<Persona>,
    pub events: Vec<ScriptEvent>,
    rng: Lcg,
    next_day: u32,
    /// Threads opened the day before, with their topics (the ones replied and reacted to).
    yesterday: Vec<(String, usize)>,
    today: Vec<(String, usize)>,
    threads: u32,
    signed_up: Vec<BTreeSet<usize>>,
}

impl Community {
    pub fn new(config: ScriptConfig) -> Self {
        let mut rng = Lcg(config.seed);
        let days = config.weeks.saturating_mul(7).max(1);
        let members = (0..config.members)
            .map(|i| {
                // Joins spread over every week; power members (5 %), regulars (25 %) and
                // casual members (70 %); three in ten go quiet within three weeks.
                let join_day = rng.below(days);
                let kind = rng.below(100);
                let activity = match kind {
                    0..5 => 90,
                    5..30 => 30,
                    _ => 6,
                };
                let quiet_from = rng.chance(30).then(|| join_day + 1 + rng.below(21));
                let mut tags = Vec::new();
                if rng.chance(20) {
                    tags.push("vip".to_owned());
                }
                if rng.chance(10) {
                    tags.push("gold".to_owned());
                }
                let email_verified = rng.chance(50);
                let topics: Vec<usize> = (0..TOPICS.len()).filter(|_| rng.chance(35)).collect();
                Persona {
                    id: format!("m{i:06}"),
                    tags,
                    email_verified,
                    join_day,
                    quiet_from,
                    activity,
                    topics,
                }
            })
            .collect::<Vec<_>>();
        let events = (0..)
            .map(|n| 10 + 14 * n)
            .take_while(|day| *day < days)
            .enumerate()
            .map(|(n, day)| ScriptEvent {
                id: format!("e{}", n + 1),
                day,
            })
            .collect::<Vec<_>>();
        let signed_up = vec![BTreeSet::new(); events.len()];
        Self {
            config,
            members,
            events,
            rng,
            next_day: 0,
            yesterday: Vec::new(),
            today: Vec::new(),
            threads: 0,
            signed_up,
        }
    }

    /// How many days the script runs.
    pub fn days(&self) -> u32 {
        self.config.weeks.saturating_mul(7)
    }

    /// Whether `member` does anything on `day`.
    pub fn present(&self, member: usize, day: u32) -> bool {
        self.members
            .get(member)
            .is_some_and(|p| p.join_day <= day && p.quiet_from.is_none_or(|quiet| day < quiet))
    }

    /// The steps of the next day (day 0 first), in time order.
    pub fn day(&mut self) -> (u32, Vec<Step>) {
        let day = self.next_day;
        self.next_day += 1;
        self.yesterday = std::mem::take(&mut self.today);
        let mut steps = Vec::new();
        for member in 0..self.members.len() {
            if !self.present(member, day) {
                continue;
            }
            let persona = &self.members[member];
            let joining = persona.join_day == day;
            if !joining && !self.rng.chance(persona.activity) {
                continue;
            }
            let topics = persona.topics.clone();
            let mut push = |minute: u32, action: Action| {
                steps.push(Step {
                    day,
                    minute,
                    member,
                    action,
                });
            };
            if joining {
                push(9 * 60, Action::Join);
                for topic in &topics {
                    push(9 * 60 + 1, Action::JoinTopic { topic: *topic });
                }
            }
            if self.rng.chance(90) {
                push(10 * 60 + self.rng.below(60), Action::CheckIn);
            }
            if self.rng.chance(12) {
                self.threads += 1;
                let thread = format!("t{:07}", self.threads);
                let topic = if topics.is_empty() {
                    self.rng.below(TOPICS.len() as u32) as usize
                } else {
                    topics[self.rng.below(topics.len() as u32) as usize]
                };
                self.today.push((thread.clone(), topic));
                push(12 * 60 + self.rng.below(60), Action::Post { thread, topic });
            }
            if !self.yesterday.is_empty() && self.rng.chance(30) {
                let pick = self.rng.below(self.yesterday.len() as u32) as usize;
                let (thread, topic) = self.yesterday[pick].clone();
                push(
                    14 * 60 + self.rng.below(60),
                    Action::Reply { thread, topic },
                );
            }
            if !self.yesterday.is_empty() && self.rng.chance(25) {
                let pick = self.rng.below(self.yesterday.len() as u32) as usize;
                let (thread, topic) = self.yesterday[pick].clone();
                push(
                    15 * 60 + self.rng.below(60),
                    Action::React { thread, topic },
                );
            }
            for (event, e) in self.events.iter().enumerate() {
                let soon = e.day > day && e.day <= day + 7;
                if soon && !self.signed_up[event].contains(&member) && self.rng.chance(30) {
                    self.signed_up[event].insert(member);
                    push(16 * 60 + self.rng.below(60), Action::SignUp { event });
                }
            }
        }
        for (event, e) in self.events.iter().enumerate() {
            if e.day != day {
                continue;
            }
            for member in self.signed_up[event].clone() {
                if self.present(member, day) && self.rng.chance(75) {
                    steps.push(Step {
                        day,
                        minute: 19 * 60 + 30 + self.rng.below(60),
                        member,
                        action: Action::Attend { event },
                    });
                }
            }
        }
        // Stable: a member's own steps keep their order within a minute.
        steps.sort_by_key(|s| s.minute);
        (day, steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_is_the_same_on_every_run_and_differs_by_seed() {
        let run = |seed| {
            let mut c = Community::new(ScriptConfig {
                members: 50,
                weeks: 2,
                seed,
            });
            (0..c.days()).map(|_| c.day().1).collect::<Vec<_>>()
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
    }

    #[test]
    fn members_act_only_between_joining_and_going_quiet_in_time_order() {
        let mut c = Community::new(ScriptConfig::default());
        let mut joined = BTreeSet::new();
        let mut checked_in = BTreeSet::new();
        let mut posts = 0;
        let mut quiet = 0;
        for _ in 0..c.days() {
            let (day, steps) = c.day();
            assert!(steps.windows(2).all(|w| w[0].minute <= w[1].minute));
            for step in steps {
                assert!(c.present(step.member, day), "{step:?}");
                match step.action {
                    Action::Join => assert!(joined.insert(step.member), "joins once"),
                    Action::CheckIn => assert!(checked_in.insert((day, step.member)), "once a day"),
                    Action::Post { .. } => posts += 1,
                    _ => assert!(joined.contains(&step.member), "after joining"),
                }
            }
        }
        for p in &c.members {
            quiet += usize::from(p.quiet_from.is_some());
        }
        assert_eq!(joined.len(), 100);
        assert!(posts > 10 && quiet > 10, "posts {posts}, quiet {quiet}");
    }
}
