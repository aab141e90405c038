//! When each reader's digest is due: the site's times for daily, weekly and
//! monthly mail, in the site's time zone, and the instant ("slot") the last
//! one fell on. A run sends a reader mail when a slot passed since the one
//! the ledger recorded for them, so an hourly cron, a missed hour or a run
//! started twice all give one message per slot.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::config::{Cadence, DigestConfig};

/// The site's digest times.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schedule {
    hour: u32,
    weekday: chrono::Weekday,
    day_of_month: u32,
    timezone: Tz,
}

impl Schedule {
    pub(crate) fn new(digest: &DigestConfig, timezone: Tz) -> Schedule {
        Schedule {
            hour: digest.hour,
            weekday: digest.weekday.weekday(),
            day_of_month: digest.day_of_month,
            timezone,
        }
    }

    /// The last instant at or before `now` a `cadence` digest became due;
    /// `None` for `post`, which is due at every run.
    pub(crate) fn slot(&self, cadence: Cadence, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let today = now.with_timezone(&self.timezone).date_naive();
        let candidates: Vec<NaiveDate> = match cadence {
            Cadence::Post => return None,
            Cadence::Daily => vec![today, today.pred_opt()?],
            Cadence::Weekly => {
                let back = (7 + today.weekday().num_days_from_monday()
                    - self.weekday.num_days_from_monday())
                    % 7;
                let day = today - Duration::days(i64::from(back));
                vec![day, day - Duration::days(7)]
            }
            Cadence::Monthly => {
                let this = self.day_in(today.year(), today.month())?;
                let (year, month) = if today.month() == 1 {
                    (today.year() - 1, 12)
                } else {
                    (today.year(), today.month() - 1)
                };
                vec![this, self.day_in(year, month)?]
            }
        };
        candidates
            .into_iter()
            .filter_map(|day| self.at_hour(day))
            .find(|&at| at <= now)
    }

    /// How far back a `cadence` reader's mail may reach: one period and a day.
    pub(crate) fn reach(cadence: Cadence) -> Duration {
        match cadence {
            Cadence::Post => Duration::zero(),
            Cadence::Daily => Duration::days(2),
            Cadence::Weekly => Duration::days(8),
            Cadence::Monthly => Duration::days(32),
        }
    }

    /// `day_of_month` in that month, or the month's last day.
    fn day_in(&self, year: i32, month: u32) -> Option<NaiveDate> {
        (1..=self.day_of_month)
            .rev()
            .find_map(|day| NaiveDate::from_ymd_opt(year, month, day))
    }

    /// The configured hour of `day` in the site's zone; in a daylight-saving
    /// gap, the first instant after it.
    fn at_hour(&self, day: NaiveDate) -> Option<DateTime<Utc>> {
        (0..3).find_map(|extra| {
            let local = day.and_hms_opt(self.hour, 0, 0)? + Duration::hours(extra);
            self.timezone
                .from_local_datetime(&local)
                .earliest()
                .map(|at| at.with_timezone(&Utc))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(zone: &str) -> Schedule {
        Schedule {
            hour: 8,
            weekday: chrono::Weekday::Mon,
            day_of_month: 31,
            timezone: zone.parse().unwrap(),
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn slots_fall_on_the_configured_hour_in_the_site_zone() {
        let s = schedule("Europe/Berlin");
        // 08:00 in Berlin in winter is 07:00 UTC.
        assert_eq!(
            s.slot(Cadence::Daily, at("2026-12-02T06:59:00Z")),
            Some(at("2026-12-01T07:00:00Z"))
        );
        assert_eq!(
            s.slot(Cadence::Daily, at("2026-12-02T07:00:00Z")),
            Some(at("2026-12-02T07:00:00Z"))
        );
        // 2026-12-02 is a Wednesday: the last Monday is 11-30.
        assert_eq!(
            s.slot(Cadence::Weekly, at("2026-12-02T12:00:00Z")),
            Some(at("2026-11-30T07:00:00Z"))
        );
        assert_eq!(
            s.slot(Cadence::Weekly, at("2026-11-30T06:00:00Z")),
            Some(at("2026-11-23T07:00:00Z"))
        );
        // Day 31 in a 30-day month is its last day.
        assert_eq!(
            s.slot(Cadence::Monthly, at("2026-12-02T12:00:00Z")),
            Some(at("2026-11-30T07:00:00Z"))
        );
        assert_eq!(
            s.slot(Cadence::Monthly, at("2026-03-01T12:00:00Z")),
            Some(at("2026-02-28T07:00:00Z"))
        );
        assert_eq!(s.slot(Cadence::Post, at("2026-12-02T12:00:00Z")), None);
    }

    #[test]
    fn a_daylight_saving_gap_moves_the_slot_to_after_it() {
        let mut s = schedule("Europe/Berlin");
        s.hour = 2;
        // 2026-03-29 02:00 does not exist in Berlin; 03:00 CEST is 01:00 UTC.
        assert_eq!(
            s.slot(Cadence::Daily, at("2026-03-29T05:00:00Z")),
            Some(at("2026-03-29T01:00:00Z"))
        );
    }
}
