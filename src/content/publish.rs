//! Publish rules: drafts, `published: false`, scheduled and expired posts.
//!
//! `now` is always a parameter so that `--now` and tests get the same
//! answers as the wall clock would at that instant.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use serde_json::Value;

use super::Post;

/// Where a post stands at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Published,
    Draft,
    /// Dated in the future: it appears once `now` passes its date.
    Scheduled,
    /// Its expiry date has passed.
    Expired,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Published => "published",
            State::Draft => "draft",
            State::Scheduled => "scheduled",
            State::Expired => "expired",
        }
    }
}

/// The state of `post` at `now`.
pub fn state(post: &Post, now: DateTime<Utc>) -> State {
    let now: DateTime<FixedOffset> = now.fixed_offset();
    if post.draft || post.unpublished {
        State::Draft
    } else if post.held_until.is_some_and(|at| at > now)
        || post.waits_for_date && post.publish_at.or(post.date).is_some_and(|at| at > now)
    {
        State::Scheduled
    } else if post.expiry.is_some_and(|expiry| expiry <= now) {
        State::Expired
    } else {
        State::Published
    }
}

/// Reads a yes/no flag the way people write them in front matter.
pub fn flag(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "y" | "1" => Ok(true),
            "false" | "no" | "off" | "n" | "0" | "" => Ok(false),
            _ => Err(format!("expected true or false, found {s:?}")),
        },
        Value::Null => Ok(false),
        other => Err(format!("expected true or false, found {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn post() -> Post {
        Post::sample("p.md", "T", Some("2025-01-01T00:00:00Z"))
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn rules_in_order() {
        let now = at("2025-06-01T00:00:00Z");
        assert_eq!(state(&post(), now), State::Published);
        assert_eq!(
            state(
                &Post {
                    draft: true,
                    ..post()
                },
                now
            ),
            State::Draft
        );
        assert_eq!(
            state(
                &Post {
                    unpublished: true,
                    ..post()
                },
                now
            ),
            State::Draft
        );
        let future = Post {
            date: Some("2025-07-01T00:00:00Z".parse().unwrap()),
            ..post()
        };
        assert_eq!(state(&future, now), State::Scheduled);
        assert_eq!(state(&future, at("2025-07-01T00:00:00Z")), State::Published);
        // Where the generator publishes future posts at once.
        let at_once = Post {
            waits_for_date: false,
            ..future.clone()
        };
        assert_eq!(state(&at_once, now), State::Published);
        // Held back by the site's own rule, whatever the generator does
        // with future dates.
        let held = Post {
            held_until: Some("2025-07-01T00:00:00Z".parse().unwrap()),
            waits_for_date: false,
            ..post()
        };
        assert_eq!(state(&held, now), State::Scheduled);
        assert_eq!(state(&held, at("2025-07-01T00:00:00Z")), State::Published);
        let expiring = Post {
            expiry: Some("2025-05-01T00:00:00Z".parse().unwrap()),
            ..post()
        };
        assert_eq!(state(&expiring, now), State::Expired);
        assert_eq!(
            state(&expiring, at("2025-04-01T00:00:00Z")),
            State::Published
        );
    }

    #[test]
    fn flags_as_people_write_them() {
        for yes in [
            json!(true),
            json!("true"),
            json!("yes"),
            json!("Yes"),
            json!(1),
        ] {
            assert_eq!(flag(&yes), Ok(true), "{yes}");
        }
        for no in [
            json!(false),
            json!("false"),
            json!("no"),
            json!(""),
            json!(null),
            json!(0),
        ] {
            assert_eq!(flag(&no), Ok(false), "{no}");
        }
        assert!(flag(&json!("maybe")).is_err());
        assert!(flag(&json!([true])).is_err());
    }
}
