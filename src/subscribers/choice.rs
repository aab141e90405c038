//! What each reader chose: how often they get mail and which topics.

use crate::config::Cadence;

/// A reader's own choice; `None` and no topics mean the site's default
/// cadence and every post.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Choice {
    /// How often; `None` follows `[digest] cadence`.
    pub cadence: Option<Cadence>,
    /// The tags they want, as offered in `[digest] topics`; empty means all.
    pub topics: Vec<String>,
}

impl Choice {
    /// Topics from a comma-separated cell or option: trimmed, each once.
    pub fn parse_topics(text: &str) -> Vec<String> {
        let mut topics: Vec<String> = Vec::new();
        for topic in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if !topics.iter().any(|t| t.eq_ignore_ascii_case(topic)) {
                topics.push(topic.to_string());
            }
        }
        topics
    }

    /// The topics as one comma-separated cell.
    pub fn topics_text(&self) -> String {
        self.topics.join(",")
    }

    /// Whether a post with these tags is one the reader wants.
    pub fn wants<T: AsRef<str>>(&self, tags: &[T]) -> bool {
        self.topics.is_empty()
            || self.topics.iter().any(|topic| {
                tags.iter()
                    .any(|tag| tag.as_ref().eq_ignore_ascii_case(topic))
            })
    }

    /// The choice with its topics spelled as the site offers them; an error
    /// naming the first topic the site does not offer.
    pub fn checked(mut self, offered: &[String]) -> Result<Choice, String> {
        for topic in &mut self.topics {
            match offered.iter().find(|o| o.eq_ignore_ascii_case(topic)) {
                Some(spelled) => *topic = spelled.clone(),
                None if offered.is_empty() => {
                    return Err(format!(
                        "topic {topic:?}: the site offers no topics (`[digest] topics`)"
                    ))
                }
                None => {
                    return Err(format!(
                        "topic {topic:?} is not offered; [digest] topics lists {}",
                        offered.join(", ")
                    ))
                }
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_read_once_and_matched_without_case() {
        let choice = Choice {
            cadence: None,
            topics: Choice::parse_topics(" Rust, podcasts ,rust,,"),
        };
        assert_eq!(choice.topics, ["Rust", "podcasts"]);
        assert!(choice.wants(&["rust"]));
        assert!(!choice.wants(&["go"]));
        assert!(Choice::default().wants::<&str>(&[]));
        let offered = vec!["rust".to_string(), "Podcasts".to_string()];
        assert_eq!(
            choice.clone().checked(&offered).unwrap().topics,
            ["rust", "Podcasts"]
        );
        let err = Choice::parse_topics("go");
        assert!(Choice {
            cadence: None,
            topics: err
        }
        .checked(&offered)
        .unwrap_err()
        .contains("not offered"));
    }
}
