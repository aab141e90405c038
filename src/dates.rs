//! Reading the many ways posts write dates.
//!
//! A date without an offset is read in the site's time zone, so
//! `date: 2025-04-29` means midnight where the author lives, not in UTC.

use chrono::{DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// What a date field accepts, for error messages.
pub const EXPECTED: &str =
    "expected a date such as 2025-04-29, 2025-04-29 10:30, or 2025-04-29T10:30:00+02:00";

const NAIVE_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

// Jekyll writes `2025-04-29 10:30:00 +0200`.
const OFFSET_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M%:z",
    "%Y-%m-%dT%H:%M%:z",
    // ISO 8601's offset without a colon (`2019-08-24T18:03:07+1000`), which
    // Luxon's `fromISO` (so Eleventy), Go's layouts in Hugo's date parsing
    // and Ruby's Time.parse read.
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M%z",
];

/// Parses one date string; naive forms are placed in `timezone`.
pub fn parse(text: &str, timezone: Tz) -> Result<DateTime<FixedOffset>, String> {
    parse_any(text, timezone).and_then(in_range)
}

/// Whether Ruby's YAML reader (Psych, so Jekyll) reads `text`, unquoted,
/// as a time: in UTC where it has no offset. Any other date Jekyll reads
/// as a string, with Ruby's `Time.parse`, in the site's time zone: so
/// `2011-06-18 19:00` (no seconds) and `2011/06/18 19:00:00` are local.
pub fn is_ruby_yaml_time(text: &str) -> bool {
    static TIME: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    // Psych::ScalarScanner::TIME (Psych 4).
    TIME.get_or_init(|| {
        regex::Regex::new(
            r"^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$",
        )
        .ok()
    })
    .as_ref()
    .is_some_and(|time| time.is_match(text.trim()))
}

/// An unquoted YAML timestamp as js-yaml (so Eleventy) reads it, where it
/// is no calendar date: js-yaml hands its fields to JavaScript's
/// `Date.UTC`, which carries a month or day past its end into the next
/// (`2023-13-04` is 2024-01-04, `2024-02-30` is 2024-03-01). `None` where
/// js-yaml would not read the text as a timestamp at all.
pub fn js_yaml_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    // js-yaml's YAML_DATE_REGEXP and YAML_TIMESTAMP_REGEXP (without the
    // fraction, which a post's date does not carry).
    let pattern = regex::Regex::new(concat!(
        r"^(\d{4})-(\d\d)-(\d\d)$",
        r"|^(\d{4})-(\d\d?)-(\d\d?)(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)",
        r"(?:[ \t]*(Z|([-+])(\d\d?)(?::(\d\d))?))?$",
    ))
    .ok()?;
    let found = pattern.captures(text.trim())?;
    let number = |index: usize| -> i64 {
        found
            .get(index)
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0)
    };
    let (year, month, day, hour, minute, second) = match found.get(1) {
        Some(_) => (number(1), number(2), number(3), 0, 0, 0),
        None => (
            number(4),
            number(5),
            number(6),
            number(7),
            number(8),
            number(9),
        ),
    };
    let months = year * 12 + month - 1;
    let first = NaiveDate::from_ymd_opt(
        i32::try_from(months.div_euclid(12)).ok()?,
        u32::try_from(months.rem_euclid(12) + 1).ok()?,
        1,
    )?;
    let offset_seconds = match found.get(11).map(|m| m.as_str()) {
        Some("-") => -(number(12) * 3600 + number(13) * 60),
        Some(_) => number(12) * 3600 + number(13) * 60,
        None => 0,
    };
    let utc = first.and_hms_opt(0, 0, 0)?
        + chrono::Duration::days(day - 1)
        + chrono::Duration::seconds(hour * 3600 + minute * 60 + second - offset_seconds);
    in_range(utc.and_utc().fixed_offset()).ok()
}

/// RSS dates (RFC 2822) and Atom dates (RFC 3339) have four-digit years; a
/// date outside them could be read but never written.
fn in_range(date: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, String> {
    let utc_year = date.naive_utc().year();
    if (1..=9999).contains(&date.year()) && (1..=9999).contains(&utc_year) {
        Ok(date)
    } else {
        Err(format!(
            "{} is outside the years 1 to 9999 that feeds can carry",
            date.to_rfc3339()
        ))
    }
}

fn parse_any(text: &str, timezone: Tz) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    // An hour of one digit (`2023-05-10T9:43:07-05:00`), which Go's time
    // layouts (so Hugo) and Ruby's Time.parse read as the two-digit one.
    let bytes = text.as_bytes();
    if bytes.len() > 12
        && matches!(bytes[10], b'T' | b't' | b' ')
        && bytes[11].is_ascii_digit()
        && bytes[12] == b':'
    {
        return parse_any(&format!("{}0{}", &text[..11], &text[11..]), timezone);
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Ok(date);
    }
    // RFC 3339 with a space instead of `T`, and `Z` for UTC.
    if let Some(with_t) = replace_space_separator(text) {
        if let Ok(date) = DateTime::parse_from_rfc3339(&with_t) {
            return Ok(date);
        }
    }
    // `Z` for UTC after a time without seconds (`2023-09-04T11:50Z`), which
    // RFC 3339 lacks and Ruby's Time.parse (so Jekyll) and JavaScript read.
    let utc = text
        .strip_suffix(['Z', 'z'])
        .map(|time| format!("{time}+00:00"));
    for format in OFFSET_FORMATS {
        for text in std::iter::once(text).chain(utc.as_deref()) {
            if let Ok(date) = DateTime::parse_from_str(text, format) {
                return Ok(date);
            }
        }
    }
    for format in NAIVE_FORMATS {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return localize(naive, timezone);
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return localize(day.and_time(chrono::NaiveTime::MIN), timezone);
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Ok(date);
    }
    // A day of the week that is not the date's (`Mon, 14 Sep 2017`, a
    // Thursday), as a hand-kept `rss_date` has it: the date is what counts,
    // as for Ruby's Time.parse and feed readers.
    if let Some((day, rest)) = text.split_once(", ") {
        if day.len() == 3 && day.chars().all(|c| c.is_ascii_alphabetic()) {
            if let Ok(date) = DateTime::parse_from_rfc2822(rest) {
                return Ok(date);
            }
        }
    }
    // A day with the month's name: Hugo's `02 Jan 2006` (spf13/cast's
    // layouts), and what Ruby's Time.parse (so Jekyll) reads besides:
    // `23 March 2020`, `March 23, 2020`.
    for format in ["%d %b %Y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y"] {
        if let Ok(day) = NaiveDate::parse_from_str(text, format) {
            return localize(day.and_time(chrono::NaiveTime::MIN), timezone);
        }
    }
    // `Fri Jan 13 13:31:08 -0600 2012` and `Tue Jan  8 09:35:31 2013`:
    // Ruby 1.8's Time#to_s and C's ctime, as old exporters wrote them. Go
    // reads both (time.RubyDate, time.ANSIC, so Hugo) and Ruby's Time.parse
    // (so Jekyll) too, with a weekday written longer (`Thurs`) and without
    // checking it against the date.
    if let Some(date) = without_weekday(text).and_then(|rest| clock_with_year_last(&rest, timezone))
    {
        return Ok(date);
    }
    // `2023-01-29 18:30:22 2023 -0800`: a year repeated before the offset,
    // as some Jekyll sites carry from an old exporter; Ruby's Time.parse
    // (and so Jekyll) reads it without the repeat.
    let tokens: Vec<&str> = text.split_whitespace().collect();
    if tokens.len() == 4 && tokens[2].len() == 4 && tokens[0].starts_with(tokens[2]) {
        let without = format!("{} {} {}", tokens[0], tokens[1], tokens[3]);
        if let Ok(date) = parse_any(&without, timezone) {
            return Ok(date);
        }
    }
    if let Some(date) = ruby_clock(text, timezone) {
        return Ok(date);
    }
    Err(format!("cannot read {text:?} as a date: {EXPECTED}"))
}

/// A day and a clock as Ruby's `Date._parse` (so Jekyll, through
/// `Time.parse`) reads them besides the forms above: a 12-hour clock
/// (`2005-03-04 06:39:00 PM`), an hour with a leading zero too many
/// (`2017-05-02 011:00 -0600`), trailing digits that are no offset
/// (`2004-08-30 07:22:00 0500`, which Ruby passes over and reads in the
/// site's zone), a `-` before the `T` (`2020-09-08-T14:01:27-05:00`,
/// sosunnyproject's, which Jekyll 4.3 builds at 14:01:27 -05:00), and a
/// day written with slashes (`2011/06/18 19:00:00`, 5long's, from
/// Blogofile), with or without a clock.
fn ruby_clock(text: &str, timezone: Tz) -> Option<DateTime<FixedOffset>> {
    static CLOCK: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let clock = CLOCK
        .get_or_init(|| {
            regex::Regex::new(
                r"(?i)^(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2}))(?:-?[ t]+(\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:[.,]\d*)?)?(?:\s*([ap])(?:m|\.m\.))?(?:\s*([-+]\d{2}:?\d{2}))?(?:\s+\d+)?)?$",
            )
            .ok()
        })
        .as_ref()?;
    let found = clock.captures(text)?;
    let number =
        |at: usize| -> Option<u32> { found.get(at).map_or(Some(0), |m| m.as_str().parse().ok()) };
    // Dashes or slashes, in their own groups so that each pair agrees.
    let (month, day) = match found.get(2) {
        Some(_) => (number(2)?, number(3)?),
        None => (number(4)?, number(5)?),
    };
    let day = NaiveDate::from_ymd_opt(found[1].parse().ok()?, month, day)?;
    let mut hour = number(6)?;
    // Ruby's rule, which also takes `13:39 PM` as 13:39.
    if let Some(half) = found.get(9) {
        hour = hour % 12
            + if half.as_str().eq_ignore_ascii_case("p") {
                12
            } else {
                0
            };
    }
    let naive = day.and_hms_opt(hour, number(7)?, number(8)?)?;
    match found.get(10) {
        Some(offset) => offset
            .as_str()
            .parse::<FixedOffset>()
            .ok()?
            .from_local_datetime(&naive)
            .single(),
        None => localize(naive, timezone).ok(),
    }
}

/// The text after a leading day of the week (`Fri`, `Thurs,`), words
/// joined by one space; `None` when it does not start with one.
fn without_weekday(text: &str) -> Option<String> {
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let mut words = text.split_whitespace();
    let day = words.next()?.trim_end_matches(',').to_ascii_lowercase();
    let is_day = day.len() >= 3
        && day.chars().all(|c| c.is_ascii_alphabetic())
        && DAYS.iter().any(|name| day.starts_with(name));
    is_day.then(|| words.collect::<Vec<_>>().join(" "))
}

fn clock_with_year_last(text: &str, timezone: Tz) -> Option<DateTime<FixedOffset>> {
    // A month written between its short and long names (`Sept`), which
    // Ruby's Time.parse takes by its first three letters.
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let (month, rest) = text.split_once(' ')?;
    let lower = month.to_ascii_lowercase();
    let text = match MONTHS
        .iter()
        .find(|name| lower.len() >= 3 && name.starts_with(&lower))
    {
        Some(name) => format!("{} {rest}", &name[..3]),
        None => text.to_string(),
    };
    let text = text.as_str();
    if let Ok(date) = DateTime::parse_from_str(text, "%b %d %H:%M:%S %z %Y") {
        return Some(date);
    }
    let naive = NaiveDateTime::parse_from_str(text, "%b %d %H:%M:%S %Y").ok()?;
    localize(naive, timezone).ok()
}

fn replace_space_separator(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (bytes.len() > 11 && bytes[10] == b' ').then(|| format!("{}T{}", &text[..10], &text[11..]))
}

fn localize(naive: NaiveDateTime, timezone: Tz) -> Result<DateTime<FixedOffset>, String> {
    match timezone.from_local_datetime(&naive) {
        LocalResult::Single(date) => Ok(date.fixed_offset()),
        // The clocks went back: the first of the two instants is the one meant.
        LocalResult::Ambiguous(first, _) => Ok(first.fixed_offset()),
        // The clocks went forward past this time: it is one hour later by the wall clock.
        LocalResult::None => timezone
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|date| date.fixed_offset())
            .ok_or_else(|| format!("{naive} does not exist in time zone {timezone}")),
    }
}

/// Splits a file name such as `2025-04-29-my-post` into its date and the
/// rest: a four-digit year and two-digit month and day.
pub fn from_file_stem(stem: &str) -> Option<(NaiveDate, &str)> {
    dated_stem(stem, 2..=2)
}

/// Splits Jekyll's post name into its date and the rest, as Jekyll's
/// `DATE_FILENAME_MATCHER` (`\d{2,4}-\d{1,2}-\d{1,2}-…`) does: a month or
/// day of one digit (`2022-1-14-bert`) is a post's date too. Only a
/// four-digit year is taken: what Ruby's Time.parse makes of a shorter
/// one was not measured.
pub fn from_jekyll_file_stem(stem: &str) -> Option<(NaiveDate, &str)> {
    dated_stem(stem, 1..=2)
}

/// The rest of a name Jekyll reads as a post's (`DATE_FILENAME_MATCHER`
/// matches digits, not dates): `2019-07-44-concurrency` is the post
/// `concurrency` too, dated by its front matter, as Jekyll takes a date
/// from the name only where the front matter has none.
pub fn jekyll_name_rest(stem: &str) -> Option<&str> {
    split_dated_stem(stem, 1..=2).map(|(_, rest)| rest)
}

/// `YYYY-M-D-rest`, the month and the day each of `digits` digits.
fn dated_stem(stem: &str, digits: std::ops::RangeInclusive<usize>) -> Option<(NaiveDate, &str)> {
    let ([year, month, day], slug) = split_dated_stem(stem, digits)?;
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    Some((date, slug))
}

/// The year, month and day digits of `YYYY-M-D-rest` and the rest.
fn split_dated_stem(
    stem: &str,
    digits: std::ops::RangeInclusive<usize>,
) -> Option<([&str; 3], &str)> {
    let mut parts = stem.splitn(4, '-');
    let (year, month, day, slug) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let number = |text: &str, lengths: &std::ops::RangeInclusive<usize>| {
        lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    if !(number(year, &(4..=4)) && number(month, &digits) && number(day, &digits))
        || slug.is_empty()
    {
        return None;
    }
    Some(([year, month, day], slug))
}

/// The instant Hugo dates a page without a date at (Go's zero time,
/// 0001-01-01T00:00:00Z), after which its feeds list the page.
pub fn zero() -> DateTime<FixedOffset> {
    // 719,162 days lie between 0001-01-01 and 1970-01-01.
    DateTime::UNIX_EPOCH.fixed_offset() - chrono::Duration::days(719_162)
}

/// Whether `date` is `zero()`: a page listed without a date of its own.
pub fn is_zero(date: DateTime<FixedOffset>) -> bool {
    date == zero()
}

/// Midnight of `day` in `timezone`.
pub fn start_of_day(day: NaiveDate, timezone: Tz) -> Result<DateTime<FixedOffset>, String> {
    localize(day.and_time(chrono::NaiveTime::MIN), timezone).and_then(in_range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> String {
        parse(text, chrono_tz::Europe::Berlin)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|e| e)
    }

    /// What `new Date(Date.UTC(…))` gives for js-yaml's fields, checked
    /// with Node: months and days past their end carry over, day 0 is the
    /// month's eve, an offset is taken off; what js-yaml reads as a string
    /// (a one-digit month without a time) is none.
    #[test]
    fn js_yaml_carries_impossible_dates_over_as_javascript_does() {
        let read = |text: &str| js_yaml_timestamp(text).map(|d| d.to_rfc3339());
        assert_eq!(
            read("2023-13-04").as_deref(),
            Some("2024-01-04T00:00:00+00:00")
        );
        assert_eq!(
            read("2024-02-30").as_deref(),
            Some("2024-03-01T00:00:00+00:00")
        );
        assert_eq!(
            read("2024-03-00").as_deref(),
            Some("2024-02-29T00:00:00+00:00")
        );
        assert_eq!(
            read("2024-00-10").as_deref(),
            Some("2023-12-10T00:00:00+00:00")
        );
        assert_eq!(
            read("2024-4-31 25:10:00 +02:00").as_deref(),
            Some("2024-05-01T23:10:00+00:00")
        );
        assert_eq!(read("2024-4-31"), None);
        assert_eq!(read("2024-13-04x"), None);
    }

    #[test]
    fn the_zero_date_is_go_s_zero_time() {
        assert_eq!(zero().to_rfc3339(), "0001-01-01T00:00:00+00:00");
        assert_eq!(zero().to_rfc2822(), "Mon, 1 Jan 0001 00:00:00 +0000");
    }

    #[test]
    fn every_documented_form() {
        let cases = [
            ("2025-04-29", "2025-04-29T00:00:00+02:00"),
            ("2025-01-29", "2025-01-29T00:00:00+01:00"),
            ("2025-04-29T10:30:00Z", "2025-04-29T10:30:00+00:00"),
            ("2025-04-29T10:30:00+05:30", "2025-04-29T10:30:00+05:30"),
            ("2019-08-24T18:03:07+1000", "2019-08-24T18:03:07+10:00"),
            (
                "2019-08-24T18:03:07.5-0330",
                "2019-08-24T18:03:07.500-03:30",
            ),
            ("2019-08-24 18:03:07+1000", "2019-08-24T18:03:07+10:00"),
            ("2019-08-24T18:03+1000", "2019-08-24T18:03:00+10:00"),
            ("2025-04-29T10:30:00", "2025-04-29T10:30:00+02:00"),
            ("2025-04-29 10:30", "2025-04-29T10:30:00+02:00"),
            ("2025-04-29 10:30:15", "2025-04-29T10:30:15+02:00"),
            ("2025-04-29 10:30:15 +0000", "2025-04-29T10:30:15+00:00"),
            ("2025-04-29 10:30:15-04:00", "2025-04-29T10:30:15-04:00"),
            ("2025-04-29T10:30:15.250Z", "2025-04-29T10:30:15.250+00:00"),
            ("2023-09-04T11:50Z", "2023-09-04T11:50:00+00:00"),
            (
                "Mon, 14 Sep 2017 13:00:00 +0000",
                "2017-09-14T13:00:00+00:00",
            ),
            ("2023-05-10T9:43:07-05:00", "2023-05-10T09:43:07-05:00"),
            ("2023-05-10 9:43", "2023-05-10T09:43:00+02:00"),
            ("2023-09-04 11:50Z", "2023-09-04T11:50:00+00:00"),
            ("Tue, 29 Apr 2025 10:30:00 GMT", "2025-04-29T10:30:00+00:00"),
            ("  2025-04-29  ", "2025-04-29T00:00:00+02:00"),
            ("26 Mar 2018", "2018-03-26T00:00:00+02:00"),
            ("23 March 2020", "2020-03-23T00:00:00+01:00"),
            ("5 jan 2020", "2020-01-05T00:00:00+01:00"),
            ("March 23, 2020", "2020-03-23T00:00:00+01:00"),
            (
                "2023-01-29 18:30:22 2023 -0800",
                "2023-01-29T18:30:22-08:00",
            ),
            (
                "Fri Jan 13 13:31:08 -0600 2012",
                "2012-01-13T13:31:08-06:00",
            ),
            (
                "Thurs Oct 13 17:03:39 -0500 2011",
                "2011-10-13T17:03:39-05:00",
            ),
            ("Tue Jan  8 09:35:31 2013", "2013-01-08T09:35:31+01:00"),
            (
                "Mon Sept 01 12:17:36 -0600 2011",
                "2011-09-01T12:17:36-06:00",
            ),
            // Read by Ruby's Time.parse as Debian's Jekyll 4.3 builds them.
            ("2005-03-04 06:39:00 PM", "2005-03-04T18:39:00+01:00"),
            ("2005-03-04 6:39 am", "2005-03-04T06:39:00+01:00"),
            ("2005-03-04 12:05 a.m.", "2005-03-04T00:05:00+01:00"),
            ("2017-05-02 011:00 -0600", "2017-05-02T11:00:00-06:00"),
            ("2005-03-04 06:39 PM +05:30", "2005-03-04T18:39:00+05:30"),
            ("2004-08-30 07:22:00 0500", "2004-08-30T07:22:00+02:00"),
            ("2020-09-08-T14:01:27-05:00", "2020-09-08T14:01:27-05:00"),
            ("2011/06/18 19:00:00", "2011-06-18T19:00:00+02:00"),
            ("2017/08/15 06:15:00 +0800", "2017-08-15T06:15:00+08:00"),
            ("2011/6/8", "2011-06-08T00:00:00+02:00"),
            ("2011-1-5", "2011-01-05T00:00:00+01:00"),
            ("2011/06/18 7:05 pm", "2011-06-18T19:05:00+02:00"),
        ];
        for (input, expected) in cases {
            assert_eq!(utc(input), expected, "{input}");
        }
    }

    /// As Debian's Ruby 3.1 with Psych 4 reads them unquoted.
    #[test]
    fn ruby_yaml_reads_times_with_seconds_only() {
        for time in [
            "2011-06-18 19:00:00",
            "2011-6-8 9:00:00",
            "2011-06-18T19:00:00.5 +8",
        ] {
            assert!(is_ruby_yaml_time(time), "{time}");
        }
        for string in ["2011-06-18 19:00", "2011/06/18 19:00:00", "2011-06-18"] {
            assert!(!is_ruby_yaml_time(string), "{string}");
        }
    }

    #[test]
    fn nonsense_is_rejected() {
        for input in [
            "yesterday",
            "2025-13-01",
            "2025-02-30",
            "29/04/2025",
            "2011/13/01",
            "",
            "30 Feb 2020",
            "23 Marchy 2020",
            "Fri Feb 30 13:31:08 -0600 2012",
            "Someday Jan 13 13:31:08 -0600 2012",
            "2005-03-04 25:00",
            "garbage here",
        ] {
            assert!(parse(input, chrono_tz::UTC).is_err(), "{input}");
        }
    }

    #[test]
    fn years_feeds_cannot_carry_are_rejected() {
        for input in [
            "-0001-06-01",
            "+10000-01-01",
            "0000-01-01",
            "0001-01-01T00:00:00+05:00",
        ] {
            let message = parse(input, chrono_tz::UTC).unwrap_err();
            assert!(
                message.contains("9999") || message.contains("cannot read"),
                "{input}: {message}"
            );
        }
        assert!(parse("9999-12-31T23:59:59Z", chrono_tz::UTC).is_ok());
        assert!(parse("0001-01-01T00:00:00Z", chrono_tz::UTC).is_ok());
    }

    #[test]
    fn daylight_saving_gap_moves_forward() {
        // 02:30 does not exist in Berlin on 2025-03-30.
        assert_eq!(utc("2025-03-30 02:30"), "2025-03-30T03:30:00+02:00");
    }

    #[test]
    fn jekyll_file_names() {
        let (date, slug) = from_file_stem("2025-04-29-hello-world").unwrap();
        assert_eq!(date.to_string(), "2025-04-29");
        assert_eq!(slug, "hello-world");
        assert!(from_file_stem("hello-world").is_none());
        assert!(from_file_stem("2025-04-29").is_none());
        assert!(from_file_stem("2025-99-29-x").is_none());
        assert!(from_file_stem("2022-1-14-bert").is_none());
    }

    #[test]
    fn jekyll_file_names_take_one_digit_months_and_days() {
        let (date, slug) = from_jekyll_file_stem("2022-1-14-train-bert").unwrap();
        assert_eq!(
            (date.to_string().as_str(), slug),
            ("2022-01-14", "train-bert")
        );
        let (date, slug) = from_jekyll_file_stem("2019-12-9-first-post").unwrap();
        assert_eq!(
            (date.to_string().as_str(), slug),
            ("2019-12-09", "first-post")
        );
        let (date, _) = from_jekyll_file_stem("2025-04-29-hello").unwrap();
        assert_eq!(date.to_string(), "2025-04-29");
        for name in [
            "2022-1-14",
            "2022-1-14-",
            "2022-13-1-x",
            "2022-001-1-x",
            "22-1-14-x",
            "hello",
        ] {
            assert!(from_jekyll_file_stem(name).is_none(), "{name}");
        }
    }
}
