//! `[serve]`: where `gazette serve` listens, the public address the site's
//! proxy gives it, and the limits that keep its sign-up form from being
//! used to mail-bomb someone.

use serde::Deserialize;
use url::Url;

use super::Validate;
use crate::Error;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
/// `[serve]`: the sign-up and unsubscribe endpoints of `gazette serve`.
pub struct ServeConfig {
    /// Address and port to listen on; the site's reverse proxy forwards to it.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Where readers reach `serve` through the proxy (default: the site's
    /// `base_url`); links in confirmation mails and the sign-up form use it.
    #[serde(default, rename = "public_url")]
    raw_public_url: Option<String>,
    #[serde(skip_deserializing, default = "placeholder_url")]
    pub(crate) public_url: Url,
    /// Paths below `public_url`.
    #[serde(default = "default_subscribe_path")]
    pub subscribe_path: String,
    #[serde(default = "default_confirm_path")]
    pub(crate) confirm_path: String,
    #[serde(default = "default_unsubscribe_path")]
    pub(crate) unsubscribe_path: String,
    #[serde(default = "default_preferences_path")]
    pub(crate) preferences_path: String,
    /// How long a confirmation link stays valid.
    #[serde(default = "default_confirm_hours")]
    pub confirm_hours: u32,
    /// Sign-ups one client address may make per hour.
    #[serde(default = "default_per_ip_per_hour")]
    pub per_ip_per_hour: u32,
    /// Confirmation messages one address may receive per day.
    #[serde(default = "default_per_address_per_day")]
    pub per_address_per_day: u32,
    /// Take the client address from the last `X-Forwarded-For` entry (set
    /// it when a proxy on the same host forwards to `serve`).
    #[serde(default)]
    pub behind_proxy: bool,
}

fn default_listen() -> String {
    "127.0.0.1:8080".into()
}
fn placeholder_url() -> Url {
    Url::parse("http://localhost/").expect("a valid URL")
}
fn default_subscribe_path() -> String {
    "subscribe".into()
}
fn default_confirm_path() -> String {
    "confirm".into()
}
fn default_unsubscribe_path() -> String {
    "unsubscribe".into()
}
fn default_preferences_path() -> String {
    "preferences".into()
}
fn default_confirm_hours() -> u32 {
    48
}
fn default_per_ip_per_hour() -> u32 {
    10
}
fn default_per_address_per_day() -> u32 {
    3
}

impl ServeConfig {
    pub(crate) fn validate(&mut self, v: &Validate<'_>) -> Result<(), Error> {
        let public = match &self.raw_public_url {
            Some(text) => v.absolute("serve.public_url", text)?,
            None => v.base_url.to_string(),
        };
        let mut public = Url::parse(&public).map_err(|e| v.invalid("serve.public_url", e))?;
        // Every URL gazette writes stays on the site: the form and the links
        // in mails must not send readers to another host.
        if public.scheme() != v.base_url.scheme()
            || public.host_str() != v.base_url.host_str()
            || public.port() != v.base_url.port()
        {
            return Err(v.invalid(
                "serve.public_url",
                format!(
                    "{public} must be on the site's scheme and host ({})",
                    v.base_url
                ),
            ));
        }
        if !public.path().ends_with('/') {
            let path = format!("{}/", public.path());
            public.set_path(&path);
        }
        self.public_url = public;
        for (key, path) in [
            ("serve.subscribe_path", &mut self.subscribe_path),
            ("serve.confirm_path", &mut self.confirm_path),
            ("serve.unsubscribe_path", &mut self.unsubscribe_path),
            ("serve.preferences_path", &mut self.preferences_path),
        ] {
            let trimmed = path.trim_matches('/').to_string();
            if trimmed.is_empty() || trimmed.contains(['?', '#', ' ']) || trimmed.contains("..") {
                return Err(v.invalid(
                    key,
                    format!("{path:?} must be a plain path such as \"subscribe\""),
                ));
            }
            *path = trimmed;
        }
        if self.confirm_hours == 0 || self.confirm_hours > 24 * 30 {
            return Err(v.invalid("serve.confirm_hours", "must be between 1 and 720"));
        }
        if self.per_ip_per_hour == 0 || self.per_address_per_day == 0 {
            return Err(v.invalid(
                "serve",
                "`per_ip_per_hour` and `per_address_per_day` must be at least 1",
            ));
        }
        self.listen.parse::<std::net::SocketAddr>().map_err(|e| {
            v.invalid(
                "serve.listen",
                format!(
                    "{:?}: {e}: expected an address and port such as \"127.0.0.1:8080\"",
                    self.listen
                ),
            )
        })?;
        Ok(())
    }

    /// A reader's preferences page, for the token of their unsubscribe link.
    pub fn preferences_url(&self, token: &str) -> String {
        format!("{}?token={token}", self.endpoint(&self.preferences_path))
    }

    /// The public URL of one of `serve`'s endpoints.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}
