//! Password guessing: failed dashboard sign-ins are counted per account (email) and per
//! client address (an IPv6 address by its /64). Once [`MAX_FAILURES_PER_EMAIL`] or
//! [`MAX_FAILURES_PER_ADDRESS`] failures fall in one window of [`WINDOW_MILLIS`] (starting
//! at the first failure), every further sign-in for that email or from that address is
//! refused with `rate_limited` (429, `Retry-After`) until the window ends, even with the
//! right password, and the worker does not spend a password hash on it.
//!
//! Plain state with no storage: the directory's Durable Object, where every sign-in passes,
//! keeps one [`LoginLimiter`] in memory, exact while it runs.

use std::collections::HashMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::accounts::Email;
use crate::error::{ApiError, ErrorCode};
use crate::rate_limit::Subject;
use crate::time::Timestamp;

/// How long failures are remembered, from the first one of a window.
pub const WINDOW_MILLIS: i64 = 15 * 60 * 1000;
/// Failed sign-ins allowed per email in a window.
pub const MAX_FAILURES_PER_EMAIL: u32 = 10;
/// Failed sign-ins allowed per client address in a window (several people may share one).
pub const MAX_FAILURES_PER_ADDRESS: u32 = 30;
/// Windows kept before expired ones are dropped.
const MAX_TRACKED: usize = 10_000;

/// What the worker asks the directory about a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LoginCheck {
    /// May this sign-in be tried? `rate_limited` if not.
    Allow {
        email: Email,
        address: Option<IpAddr>,
    },
    /// The password was wrong: count it.
    Failed {
        email: Email,
        address: Option<IpAddr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    started: Timestamp,
    failures: u32,
}

impl Window {
    fn ends(self) -> i64 {
        self.started.millis().saturating_add(WINDOW_MILLIS)
    }
}

/// Failed sign-ins by email and by address.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    windows: HashMap<Subject, Window>,
}

fn subjects(email: &Email, address: Option<IpAddr>) -> Vec<(Subject, u32)> {
    let mut subjects = vec![(Subject::Marketer(email.clone()), MAX_FAILURES_PER_EMAIL)];
    if let Some(ip) = address {
        subjects.push((Subject::address(ip), MAX_FAILURES_PER_ADDRESS));
    }
    subjects
}

impl LoginLimiter {
    /// Answers `check` at `now`.
    pub fn handle(&mut self, check: &LoginCheck, now: Timestamp) -> Result<(), ApiError> {
        match check {
            LoginCheck::Allow { email, address } => self.allow(email, *address, now),
            LoginCheck::Failed { email, address } => {
                self.failed(email, *address, now);
                Ok(())
            }
        }
    }

    /// `Ok` if neither the email nor the address has used up its failures.
    pub fn allow(
        &self,
        email: &Email,
        address: Option<IpAddr>,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let wait_millis = subjects(email, address)
            .into_iter()
            .filter_map(|(subject, max)| {
                let window = self.windows.get(&subject)?;
                (window.ends() > now.millis() && window.failures >= max)
                    .then(|| window.ends() - now.millis())
            })
            .max();
        match wait_millis {
            None => Ok(()),
            Some(millis) => Err(too_many(millis)),
        }
    }

    /// Counts one failed sign-in against the email and the address.
    pub fn failed(&mut self, email: &Email, address: Option<IpAddr>, now: Timestamp) {
        if self.windows.len() >= MAX_TRACKED {
            self.windows.retain(|_, w| w.ends() > now.millis());
        }
        for (subject, _) in subjects(email, address) {
            let window = self.windows.entry(subject).or_insert(Window {
                started: now,
                failures: 0,
            });
            if window.ends() <= now.millis() {
                *window = Window {
                    started: now,
                    failures: 0,
                };
            }
            window.failures = window.failures.saturating_add(1);
        }
    }

    pub fn len(&self) -> usize {
        self.windows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }
}

/// `429 rate_limited` for `millis` more.
fn too_many(millis: i64) -> ApiError {
    let seconds = u32::try_from((millis + 999).div_euclid(1000)).unwrap_or(u32::MAX);
    let mut err = ApiError::new(
        ErrorCode::RateLimited,
        format!("too many failed sign-ins; try again in {seconds} s"),
    );
    err.retry_after = Some(seconds);
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp(1_790_308_800_000);

    fn email(raw: &str) -> Email {
        Email::parse(raw).unwrap()
    }

    fn ip(raw: &str) -> Option<IpAddr> {
        Some(raw.parse().unwrap())
    }

    fn at(millis: i64) -> Timestamp {
        Timestamp(T0.millis() + millis)
    }

    #[test]
    fn an_email_is_refused_after_its_failures_until_the_window_ends() {
        let mut limiter = LoginLimiter::default();
        let mia = email("mia@example.com");
        for i in 0..MAX_FAILURES_PER_EMAIL {
            assert!(
                limiter
                    .allow(&mia, ip("203.0.113.1"), at(i64::from(i)))
                    .is_ok()
            );
            limiter.failed(&mia, ip("203.0.113.1"), at(i64::from(i)));
        }
        // From another address too: the account is what is guarded.
        let refused = limiter
            .allow(&mia, ip("198.51.100.7"), at(1000))
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::RateLimited);
        assert_eq!(refused.http_status(), 429);
        assert_eq!(refused.retry_after, Some(899));
        assert!(
            limiter
                .allow(&email("leo@example.com"), ip("198.51.100.7"), at(1000))
                .is_ok()
        );
        assert!(limiter.allow(&mia, None, at(WINDOW_MILLIS - 1)).is_err());
        assert!(limiter.allow(&mia, None, at(WINDOW_MILLIS)).is_ok());
        // A new window starts with the next failure.
        limiter.failed(&mia, None, at(WINDOW_MILLIS));
        assert!(limiter.allow(&mia, None, at(WINDOW_MILLIS + 1)).is_ok());
    }

    #[test]
    fn an_address_is_refused_after_its_failures_whatever_the_email() {
        let mut limiter = LoginLimiter::default();
        for i in 0..MAX_FAILURES_PER_ADDRESS {
            let guess = email(&format!("user{i}@example.com"));
            limiter.failed(&guess, ip("2001:db8:1:2::1"), T0);
        }
        // The same /64 network; another network passes.
        let next = email("next@example.com");
        assert!(limiter.allow(&next, ip("2001:db8:1:2::ffff"), T0).is_err());
        assert!(limiter.allow(&next, ip("2001:db8:1:3::1"), T0).is_ok());
        assert!(limiter.allow(&next, None, T0).is_ok());
    }

    #[test]
    fn failures_below_the_limit_never_refuse() {
        let mut limiter = LoginLimiter::default();
        let mia = email("mia@example.com");
        for _ in 0..MAX_FAILURES_PER_EMAIL - 1 {
            limiter.failed(&mia, None, T0);
        }
        let check = LoginCheck::Allow {
            email: mia.clone(),
            address: None,
        };
        assert!(limiter.handle(&check, T0).is_ok());
        let failed = LoginCheck::Failed {
            email: mia,
            address: None,
        };
        assert!(limiter.handle(&failed, T0).is_ok());
        assert!(limiter.handle(&check, T0).is_err());
        assert_eq!(limiter.len(), 1);
    }

    #[test]
    fn the_wire_form_is_tagged() {
        let check: LoginCheck = serde_json::from_str(
            r#"{"kind":"failed","email":"mia@example.com","address":"127.0.0.1"}"#,
        )
        .unwrap();
        assert_eq!(
            check,
            LoginCheck::Failed {
                email: email("mia@example.com"),
                address: ip("127.0.0.1"),
            }
        );
    }
}
