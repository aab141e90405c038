//! WebSub publishing (W3C WebSub, section 7 of the PubSubHubbub 0.4 it
//! follows): after a build changed feeds, tell each hub `hub.mode=publish`
//! with `hub.url` of each changed feed, so readers subscribed through the
//! hub get the new posts at once.

use std::path::Path;
use std::time::Duration;

use crate::config::Config;

/// What one hub answered for one feed.
#[derive(Debug, Clone)]
pub struct Ping {
    /// The hub.
    pub hub: String,
    /// The feed's public URL.
    pub feed: String,
    /// The hub's HTTP status, or why it could not be reached; hubs answer
    /// 2xx (usually 204) when they take the ping.
    pub answer: Result<u16, String>,
}

impl Ping {
    /// Whether the hub took the ping.
    pub fn accepted(&self) -> bool {
        matches!(self.answer, Ok(status) if (200..300).contains(&status))
    }
}

/// Whether pings are due after every build (`websub.ping = true`).
pub fn ping_on_build(config: &Config) -> bool {
    config.websub.as_ref().is_some_and(|w| w.ping)
}

/// Whether a written file is a feed (not the page, a stylesheet or the OPML).
fn is_feed(relative: &str) -> bool {
    relative.ends_with(".xml") || relative.ends_with(".json")
}

/// Pings every configured hub for each changed file that is a feed
/// (`changed` as paths in the output folder); nothing without `[websub]`.
pub fn ping(config: &Config, changed: &[impl AsRef<Path>]) -> Vec<Ping> {
    let Some(websub) = &config.websub else {
        return Vec::new();
    };
    let feeds: Vec<String> = changed
        .iter()
        .filter_map(|path| path.as_ref().strip_prefix(&config.output_dir).ok())
        .map(|relative| relative.to_string_lossy().replace('\\', "/"))
        .filter(|relative| is_feed(relative))
        .map(|relative| config.output_url(&relative).to_string())
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut pings = Vec::new();
    for hub in &websub.hub {
        for feed in &feeds {
            let answer = agent
                .post(hub)
                .send_form([("hub.mode", "publish"), ("hub.url", feed.as_str())])
                .map_err(|e| e.to_string())
                .and_then(|mut response| {
                    let status = response.status().as_u16();
                    if (200..300).contains(&status) {
                        return Ok(status);
                    }
                    // The hub's own words, for the warning.
                    let said = response
                        .body_mut()
                        .read_to_string()
                        .unwrap_or_default()
                        .chars()
                        .take(200)
                        .collect::<String>();
                    Err(format!("HTTP {status}: {}", said.trim()))
                });
            pings.push(Ping {
                hub: hub.clone(),
                feed: feed.clone(),
                answer,
            });
        }
    }
    pings
}
