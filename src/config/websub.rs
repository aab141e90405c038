//! `[websub]`: the hubs that tell subscribers' readers at once that a feed
//! changed (W3C WebSub), instead of waiting for their next poll.

use serde::{Deserialize, Deserializer};

use super::Validate;
use crate::Error;

/// `[websub]`: hubs announced in every feed, and pinged after a build.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebSubConfig {
    /// One hub or several, e.g. `"https://pubsubhubbub.appspot.com/"`.
    #[serde(deserialize_with = "one_or_many")]
    pub(crate) hub: Vec<String>,
    /// Ping the hubs after every build that changed a feed (as `--ping`).
    #[serde(default)]
    pub(crate) ping: bool,
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a hub URL or a list of hub URLs")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(hub) => vec![hub],
        OneOrMany::Many(hubs) => hubs,
    })
}

impl WebSubConfig {
    pub(crate) fn validate(&self, v: &Validate<'_>) -> Result<(), Error> {
        if self.hub.is_empty() {
            return Err(v.invalid("websub.hub", "name at least one hub"));
        }
        for hub in &self.hub {
            let url = url::Url::parse(hub)
                .map_err(|e| v.invalid("websub.hub", format!("{hub:?}: {e}")))?;
            let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
            if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
                return Err(v.invalid(
                    "websub.hub",
                    format!(
                        "{hub:?} must be an https:// URL (http only on this machine, for tests)"
                    ),
                ));
            }
        }
        Ok(())
    }
}
