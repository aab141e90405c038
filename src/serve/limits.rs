//! Sliding-window rate limits for the sign-up form: per client address and
//! per e-mail address, so the form cannot be used to flood an inbox.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(super) struct Limit {
    window: Duration,
    max: usize,
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Limit {
    pub(super) fn new(max: u32, window: Duration) -> Limit {
        Limit {
            window,
            max: max as usize,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `key`; false when it is over the limit (a
    /// refused request does not count).
    pub(super) fn allow(&self, key: &str, now: Instant) -> bool {
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        // Forget keys whose window has passed, so memory stays bounded by
        // the traffic of one window.
        if hits.len() > 10_000 {
            let window = self.window;
            hits.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let times = hits.entry(key.to_string()).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.len() >= self.max {
            return false;
        }
        times.push_back(now);
        true
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
        assert!(!limit.allow("a", start + Duration::from_secs(1)));
        assert!(limit.allow("b", start + Duration::from_secs(1)));
        assert!(limit.allow("a", start + Duration::from_secs(61)));
    }
}
