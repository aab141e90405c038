//! Sliding-window rate limits for the sign-up form: per client network and
//! per e-mail address, so the form cannot be used to flood an inbox.
//!
//! Keys are checked values (an IP network, a canonical address), the table
//! holds at most `MAX_KEYS` of them, and expired keys are swept at most once
//! a minute instead of on every request.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys kept at most; past that, new keys are refused until old ones expire
/// (a flood of distinct keys costs the flood's own sign-ups, not memory).
const MAX_KEYS: usize = 100_000;
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// The key of a client: its IPv4 address, or its IPv6 /64 (one subscriber
/// line is given a whole /64, so single IPv6 addresses cost an attacker nothing).
pub(super) fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

struct Table {
    hits: HashMap<String, VecDeque<Instant>>,
    swept: Option<Instant>,
}

pub(super) struct Limit {
    window: Duration,
    max: usize,
    table: Mutex<Table>,
}

/// What a request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Go on.
    Allowed,
    /// Over the limit: try again after this long.
    RetryAfter(Duration),
}

impl Limit {
    pub(super) fn new(max: u32, window: Duration) -> Limit {
        Limit {
            window,
            max: max as usize,
            table: Mutex::new(Table {
                hits: HashMap::new(),
                swept: None,
            }),
        }
    }

    /// Counts one request for `key` (a refused request does not count).
    pub(super) fn check(&self, key: &str, now: Instant) -> Verdict {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let window = self.window;
        let due = table
            .swept
            .is_none_or(|t| now.duration_since(t) >= SWEEP_EVERY);
        if due || table.hits.len() >= MAX_KEYS {
            table.hits.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
            table.swept = Some(now);
        }
        if !table.hits.contains_key(key) && table.hits.len() >= MAX_KEYS {
            return Verdict::RetryAfter(SWEEP_EVERY);
        }
        let times = table.hits.entry(key.to_string()).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            times.pop_front();
        }
        if times.len() >= self.max {
            let oldest = times.front().copied().unwrap_or(now);
            return Verdict::RetryAfter(window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        Verdict::Allowed
    }

    /// Whether one more request for `key` is allowed.
    #[cfg(test)]
    pub(super) fn allow(&self, key: &str, now: Instant) -> bool {
        self.check(key, now) == Verdict::Allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_over_the_limit_until_the_window_passes() {
        let limit = Limit::new(2, Duration::from_secs(60));
        let start = Instant::now();
        assert!(limit.allow("a", start));
        assert!(limit.allow("a", start));
        assert_eq!(
            limit.check("a", start + Duration::from_secs(1)),
            Verdict::RetryAfter(Duration::from_secs(59))
        );
        assert!(limit.allow("b", start + Duration::from_secs(1)));
        assert!(limit.allow("a", start + Duration::from_secs(61)));
    }

    #[test]
    fn an_ipv6_network_is_one_client() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        assert_eq!(client_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1");
    }

    #[test]
    fn the_table_stays_bounded() {
        let limit = Limit::new(1, Duration::from_secs(3600));
        let now = Instant::now();
        for i in 0..MAX_KEYS {
            assert!(limit.allow(&i.to_string(), now));
        }
        assert!(!limit.allow("one more", now));
        assert!(limit.allow("one more", now + Duration::from_secs(3601)));
    }
}
