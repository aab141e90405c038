//! The wall clock, read in this one place.
//!
//! An operation takes `now` from its caller (the binary reads the clock once
//! per command, or takes `--now`), so that one run sees one instant. What
//! runs on past that instant asks here: the server (token expiry, its
//! outbox), a send's lock, leases and outcome stamps, the `Date` of a
//! confirmation. Timeouts and rate limits use `std::time::Instant`, which
//! is not the wall clock.

use chrono::{DateTime, Utc};

/// The current time.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now()
}

/// The current time in whole seconds since 1970.
pub(crate) fn unix_now() -> i64 {
    now().timestamp()
}
