//! Write rate limits: a token bucket per caller (a member, or a marketer) and per client
//! address. Each bucket holds up to a minute's allowance and refills continuously, so a
//! caller may burst up to the limit and then write at the limit's pace.
//!
//! The buckets are plain state with no storage: the community's Durable Object keeps one
//! [`RateLimiter`] in memory, where every write of the community passes, so the count is
//! exact while the object lives (an idle object is evicted only after its buckets have
//! refilled). Arithmetic is in integers: a bucket's level counts token-milliseconds.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::accounts::Email;
use crate::error::{ApiError, ErrorCode};
use crate::ids::MemberId;
use crate::time::Timestamp;

/// Writes allowed per minute; `0` switches a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per member (by the `sub` of their verified token) and per marketer.
    pub per_caller: u32,
    /// Per client address (an IPv6 address by its /64 network).
    pub per_address: u32,
}

impl Limits {
    pub const DEFAULT_PER_CALLER: u32 = 30;
    pub const DEFAULT_PER_ADDRESS: u32 = 120;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_caller: Self::DEFAULT_PER_CALLER,
            per_address: Self::DEFAULT_PER_ADDRESS,
        }
    }
}

/// Who a write counts against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    Member(MemberId),
    Marketer(Email),
    /// The client's address; IPv6 addresses are cut to their /64 network, which one
    /// household or server usually holds whole.
    Address(IpAddr),
}

impl Subject {
    pub fn address(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => Self::Address(ip),
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                Self::Address(IpAddr::V6(network.into()))
            }
        }
    }

    fn per_minute(&self, limits: Limits) -> u32 {
        match self {
            Subject::Member(_) | Subject::Marketer(_) => limits.per_caller,
            Subject::Address(_) => limits.per_address,
        }
    }
}

/// One write costs a minute's worth of refill at one token per minute.
const COST: u64 = Timestamp::MINUTE as u64;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// Token-milliseconds: `per_minute` tokens are `per_minute * COST`.
    level: u64,
    at: Timestamp,
}

impl Bucket {
    /// The level at `now`: refilled by `per_minute` per millisecond, up to the capacity.
    fn level_at(self, now: Timestamp, per_minute: u32) -> u64 {
        let elapsed = now.millis().saturating_sub(self.at.millis()).max(0) as u64;
        let capacity = u64::from(per_minute) * COST;
        self.level
            .saturating_add(elapsed.saturating_mul(u64::from(per_minute)))
            .min(capacity)
    }
}

/// The write buckets of one community.
#[derive(Debug)]
pub struct RateLimiter {
    limits: Limits,
    buckets: HashMap<Subject, Bucket>,
}

impl RateLimiter {
    /// Buckets kept before full ones are dropped (a full bucket is the same as none).
    pub const MAX_BUCKETS: usize = 10_000;

    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            buckets: HashMap::new(),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Takes one write from every subject's bucket, or from none: if any bucket is empty
    /// the write is refused with `rate_limited` and the seconds until it would pass.
    pub fn admit(&mut self, subjects: &[Subject], now: Timestamp) -> Result<(), ApiError> {
        let mut wait_ms: u64 = 0;
        let mut levels = Vec::with_capacity(subjects.len());
        for subject in subjects {
            let per_minute = subject.per_minute(self.limits);
            if per_minute == 0 {
                continue;
            }
            let capacity = u64::from(per_minute) * COST;
            let level = self
                .buckets
                .get(subject)
                .map_or(capacity, |b| b.level_at(now, per_minute));
            if level < COST {
                wait_ms = wait_ms.max((COST - level).div_ceil(u64::from(per_minute)));
            }
            levels.push((subject, level));
        }
        if wait_ms > 0 {
            let seconds = u32::try_from(wait_ms.div_ceil(1000))
                .unwrap_or(u32::MAX)
                .max(1);
            return Err(rate_limited(seconds));
        }
        for (subject, level) in levels {
            self.buckets.insert(
                subject.clone(),
                Bucket {
                    level: level - COST,
                    at: now,
                },
            );
        }
        if self.buckets.len() > Self::MAX_BUCKETS {
            self.prune(now);
        }
        Ok(())
    }

    /// Drops full buckets; if that is not enough, the least recently used half.
    fn prune(&mut self, now: Timestamp) {
        let limits = self.limits;
        self.buckets.retain(|subject, bucket| {
            let per_minute = subject.per_minute(limits);
            bucket.level_at(now, per_minute) < u64::from(per_minute) * COST
        });
        if self.buckets.len() > Self::MAX_BUCKETS / 2 {
            let mut times: Vec<Timestamp> = self.buckets.values().map(|b| b.at).collect();
            times.sort_unstable();
            let cutoff = times[times.len() / 2];
            self.buckets.retain(|_, bucket| bucket.at > cutoff);
        }
    }

    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

/// `429 rate_limited`, carrying the `Retry-After` seconds.
pub fn rate_limited(seconds: u32) -> ApiError {
    let mut err = ApiError::new(
        ErrorCode::RateLimited,
        format!("too many writes; try again in {seconds} s"),
    );
    err.retry_after = Some(seconds);
    err
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const T0: Timestamp = Timestamp(1_790_308_800_000);

    fn member(id: &str) -> Subject {
        Subject::Member(MemberId::parse(id).unwrap())
    }

    fn address(raw: &str) -> Subject {
        Subject::address(raw.parse().unwrap())
    }

    #[test]
    fn a_member_bursts_to_the_limit_then_waits_for_the_refill() {
        let mut limiter = RateLimiter::new(Limits {
            per_caller: 3,
            per_address: 0,
        });
        let lin = [member("lin")];
        for _ in 0..3 {
            limiter.admit(&lin, T0).unwrap();
        }
        let refused = limiter.admit(&lin, T0).unwrap_err();
        assert_eq!(refused.code, ErrorCode::RateLimited);
        assert_eq!(refused.http_status(), 429);
        // One token comes back every 20 s at 3 per minute.
        assert_eq!(refused.retry_after, Some(20));
        assert_eq!(
            limiter
                .admit(&lin, T0.plus_millis(5_500))
                .unwrap_err()
                .retry_after,
            Some(15),
            "rounded up"
        );
        limiter.admit(&lin, T0.plus_millis(20_000)).unwrap();
        assert!(limiter.admit(&lin, T0.plus_millis(20_000)).is_err());
        // Others are not affected.
        limiter.admit(&[member("mei")], T0).unwrap();
    }

    #[test]
    fn a_refused_write_takes_from_no_bucket() {
        let mut limiter = RateLimiter::new(Limits {
            per_caller: 2,
            per_address: 3,
        });
        let home = address("203.0.113.7");
        limiter.admit(&[member("lin"), home.clone()], T0).unwrap();
        limiter.admit(&[member("lin"), home.clone()], T0).unwrap();
        // Lin is out; the address still has one left, and keeps it.
        assert!(limiter.admit(&[member("lin"), home.clone()], T0).is_err());
        limiter.admit(&[member("mei"), home.clone()], T0).unwrap();
        let err = limiter.admit(&[member("ann"), home], T0).unwrap_err();
        assert_eq!(err.retry_after, Some(20));
    }

    #[test]
    fn ipv6_addresses_share_their_network() {
        let mut limiter = RateLimiter::new(Limits {
            per_caller: 0,
            per_address: 1,
        });
        limiter.admit(&[address("2001:db8:1:2::1")], T0).unwrap();
        assert!(
            limiter
                .admit(&[address("2001:db8:1:2:ffff::9")], T0)
                .is_err()
        );
        limiter.admit(&[address("2001:db8:1:3::1")], T0).unwrap();
        limiter.admit(&[address("198.51.100.1")], T0).unwrap();
        assert!(limiter.admit(&[address("198.51.100.1")], T0).is_err());
        limiter.admit(&[address("198.51.100.2")], T0).unwrap();
    }

    #[test]
    fn zero_switches_a_limit_off_and_the_defaults_are_documented() {
        let mut limiter = RateLimiter::new(Limits {
            per_caller: 0,
            per_address: 0,
        });
        for _ in 0..1_000 {
            limiter
                .admit(&[member("lin"), address("203.0.113.7")], T0)
                .unwrap();
        }
        assert!(limiter.is_empty());
        assert_eq!(
            Limits::default(),
            Limits {
                per_caller: 30,
                per_address: 120
            }
        );
    }

    #[test]
    fn buckets_stay_bounded() {
        let mut limiter = RateLimiter::new(Limits::default());
        for i in 0..(RateLimiter::MAX_BUCKETS as i64 + 10) {
            let subject = member(&format!("m{i}"));
            limiter.admit(&[subject], T0.plus_millis(i)).unwrap();
        }
        assert!(limiter.len() <= RateLimiter::MAX_BUCKETS);
        // After a minute every bucket is full again and the next prune empties the map.
        let later = T0.plus_millis(2 * Timestamp::MINUTE);
        for i in 0..(RateLimiter::MAX_BUCKETS as i64 + 1) {
            limiter.admit(&[member(&format!("n{i}"))], later).unwrap();
        }
        assert!(limiter.len() <= RateLimiter::MAX_BUCKETS);
    }

    proptest! {
        /// Over any window, a subject is admitted at most the burst plus what the window
        /// refills, and a steady writer at the limit's pace is never refused.
        #[test]
        fn admitted_writes_never_exceed_the_allowance(
            per_minute in 1u32..50,
            gaps in proptest::collection::vec(0i64..5_000, 1..200),
        ) {
            let mut limiter = RateLimiter::new(Limits { per_caller: per_minute, per_address: 0 });
            let lin = [member("lin")];
            let mut now = T0;
            let mut admitted: u64 = 0;
            for gap in &gaps {
                now = now.plus_millis(*gap);
                if limiter.admit(&lin, now).is_ok() {
                    admitted += 1;
                }
            }
            let elapsed = (now.millis() - T0.millis()) as u64;
            let allowance = u64::from(per_minute) + elapsed * u64::from(per_minute) / 60_000;
            prop_assert!(admitted <= allowance, "{admitted} > {allowance}");

            let mut steady = RateLimiter::new(Limits { per_caller: per_minute, per_address: 0 });
            let pace = 60_000 / i64::from(per_minute) + 1;
            for i in 0..(3 * i64::from(per_minute)) {
                prop_assert!(steady.admit(&lin, T0.plus_millis(i * pace)).is_ok());
            }
        }
    }
}
