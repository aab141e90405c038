//! `[digest]` and `[smtp]`: who gets digests, what they look like, and the
//! relay they are sent through.

// A feeds-only build (without the `subscribers` feature) still parses
// these sections, so that one config serves both builds, but reads none.
#![cfg_attr(not(feature = "subscribers"), allow(dead_code))]

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Validate;
use crate::Error;

/// Email digests: who gets them, what they look like, how they are sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    /// A Tera template for the Subject line.
    #[serde(default = "default_subject")]
    pub subject: String,
    /// `"Name <address>"` of the sender.
    pub from: String,
    #[serde(default)]
    pub(crate) reply_to: Option<String>,
    /// CSV file with an `email` column; other columns reach templates.
    #[serde(default = "default_subscribers")]
    pub subscribers: PathBuf,
    /// Where every digest, recipient and subscriber is recorded: an SQLite
    /// file, or a PostgreSQL database (`postgres://user@host:port/db`)
    /// that several hosts share.
    #[serde(default = "default_ledger")]
    pub ledger: PathBuf,
    /// Environment variable holding the PostgreSQL ledger's password; a
    /// password is never written in the config.
    #[serde(default = "default_ledger_password_env")]
    pub ledger_password_env: String,
    /// Where messages go as `.eml` files when there is no `[smtp]`.
    #[serde(default = "default_outbox")]
    pub outbox: PathBuf,
    /// One-click unsubscribe page (must accept POST, RFC 8058); `{token}` and
    /// `{email}` are replaced per subscriber. With `[serve]` it defaults to
    /// serve's own unsubscribe endpoint.
    #[serde(default)]
    pub unsubscribe_url: String,
    /// VERP envelope sender, e.g. "bounce+{token}@example.org": bounces come
    /// back to an address naming the recipient, which `gazette bounces`
    /// reads. Without it the envelope sender is `from`.
    #[serde(default)]
    pub return_path: Option<String>,
    /// Address for `mailto:` unsubscribe requests, optional.
    #[serde(default)]
    pub unsubscribe_mailto: Option<String>,
    /// Environment variable holding the secret that signs unsubscribe tokens;
    /// without it a secret is generated once and kept in the ledger.
    #[serde(default = "default_secret_env")]
    pub secret_env: String,
    /// How far back the very first digest looks.
    #[serde(default = "default_first_days")]
    pub first_days: u32,
    /// Later digests carry every published post no digest carried yet,
    /// if it is dated within this many days (a back-dated post published
    /// late is mailed; an old one republished does not surprise readers).
    #[serde(default = "default_max_age_days")]
    pub max_age_days: u32,
    /// Messages per second; 0 means no limit.
    #[serde(default)]
    pub rate_limit: f64,
    /// SMTP connections used in parallel.
    #[serde(default = "default_connections")]
    pub connections: usize,
    /// Messages per connection the server may have accepted before their
    /// outcome is recorded: what a run killed mid-send can mail twice.
    /// More than one lets the ledger commit outcomes in groups.
    #[serde(default = "default_in_flight")]
    pub in_flight: usize,
    /// Attempts per message on temporary failures before the run gives up.
    #[serde(default = "default_attempts")]
    pub attempts: u32,
    /// First wait between attempts; it doubles each time.
    #[serde(default = "default_retry_delay_ms")]
    pub retry_delay_ms: u64,
    /// `gazette bounces`: this many temporary failures in a row mark an
    /// address bounced (a permanent failure does at once).
    #[serde(default = "default_soft_bounce_limit")]
    pub soft_bounce_limit: u32,
    /// How messages leave: `smtp` (the default with an `[smtp]` section),
    /// `sendmail` (hand each to the local MTA, which queues and retries), or
    /// `outbox` (`.eml` files; the default without `[smtp]`).
    #[serde(default)]
    pub transport: Option<TransportKind>,
    /// The MTA's sendmail-compatible program, for `transport = "sendmail"`.
    #[serde(default = "default_sendmail")]
    pub sendmail_path: PathBuf,
    /// Sign messages with DKIM.
    #[serde(default)]
    pub dkim: Option<DkimSettings>,
    /// How often a reader who chose nothing gets mail; unset, every
    /// `digest --send` run mails what is new (cron decides the rhythm).
    #[serde(default)]
    pub cadence: Option<Cadence>,
    /// The hour (0-23, in the site's time zone) daily, weekly and monthly
    /// digests become due.
    #[serde(default = "default_hour")]
    pub hour: u32,
    /// The day weekly digests become due.
    #[serde(default = "default_weekday")]
    pub weekday: WeekdayName,
    /// The day of the month monthly digests become due (the month's last
    /// day when it is shorter).
    #[serde(default = "default_day_of_month")]
    pub day_of_month: u32,
    /// The tags readers may choose as topics; a reader with none gets every post.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Folder below the output folder where each digest sent is published
    /// (one page per digest, an index and a feed); empty for none.
    #[serde(default = "default_archive")]
    pub archive: String,
}

fn default_archive() -> String {
    "newsletter".into()
}

/// How often a reader gets mail.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    /// One message per new post, at the first run after it is published.
    Post,
    /// Once a day at `hour`.
    Daily,
    /// Once a week, on `weekday` at `hour`.
    Weekly,
    /// Once a month, on `day_of_month` at `hour`.
    Monthly,
}

impl Cadence {
    /// Every cadence, in the order forms offer them.
    pub const ALL: [Cadence; 4] = [
        Cadence::Post,
        Cadence::Daily,
        Cadence::Weekly,
        Cadence::Monthly,
    ];

    /// The name in config files, CSV columns and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Post => "post",
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
        }
    }

    /// The cadence `text` names (any case, surrounding blanks ignored).
    pub fn parse(text: &str) -> Option<Cadence> {
        let text = text.trim();
        Cadence::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(text))
    }
}

impl std::fmt::Display for Cadence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A day of the week, as `[digest] weekday` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum WeekdayName {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl WeekdayName {
    /// The day as chrono counts it.
    pub fn weekday(self) -> chrono::Weekday {
        match self {
            WeekdayName::Monday => chrono::Weekday::Mon,
            WeekdayName::Tuesday => chrono::Weekday::Tue,
            WeekdayName::Wednesday => chrono::Weekday::Wed,
            WeekdayName::Thursday => chrono::Weekday::Thu,
            WeekdayName::Friday => chrono::Weekday::Fri,
            WeekdayName::Saturday => chrono::Weekday::Sat,
            WeekdayName::Sunday => chrono::Weekday::Sun,
        }
    }
}

fn default_hour() -> u32 {
    8
}
fn default_weekday() -> WeekdayName {
    WeekdayName::Monday
}
fn default_day_of_month() -> u32 {
    1
}

/// DKIM signing: the selector and key whose public half is published in DNS
/// at `<selector>._domainkey.<domain>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DkimSettings {
    pub(crate) selector: String,
    /// Defaults to the domain of `from`.
    #[serde(default)]
    pub domain: Option<String>,
    /// RSA: a PKCS#1 PEM file; Ed25519: the base64 of the 32-byte key.
    pub private_key_file: PathBuf,
    #[serde(default)]
    pub(crate) algorithm: DkimAlgorithm,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
/// The DKIM key type.
pub enum DkimAlgorithm {
    #[default]
    /// RSA (PEM key, PKCS#1 or PKCS#8).
    Rsa,
    /// Ed25519 (PKCS#8 PEM key, or the base64 seed).
    Ed25519,
}

fn default_subject() -> String {
    "{{ site.title }}: {{ posts | length }} new post{{ posts | length | pluralize }}".into()
}
fn default_subscribers() -> PathBuf {
    "subscribers.csv".into()
}
fn default_ledger() -> PathBuf {
    ".gazette/digest.sqlite".into()
}
fn default_ledger_password_env() -> String {
    "PGPASSWORD".into()
}
fn default_outbox() -> PathBuf {
    "outbox".into()
}
fn default_secret_env() -> String {
    "GAZETTE_DIGEST_SECRET".into()
}
fn default_first_days() -> u32 {
    7
}
/// How digests leave gazette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    /// Over SMTP, with gazette's own client.
    Smtp,
    /// Handed to the local MTA's `sendmail`.
    Sendmail,
    /// Written as `.eml` files.
    Outbox,
}

fn default_sendmail() -> PathBuf {
    "/usr/sbin/sendmail".into()
}
fn default_max_age_days() -> u32 {
    30
}
fn default_connections() -> usize {
    4
}
fn default_in_flight() -> usize {
    8
}
fn default_attempts() -> u32 {
    5
}
fn default_retry_delay_ms() -> u64 {
    1000
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tls {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on localhost.
    None,
}

/// The SMTP relay digests are sent through.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub(crate) host: String,
    #[serde(default)]
    pub(crate) port: Option<u16>,
    #[serde(default = "default_tls")]
    pub(crate) tls: Tls,
    #[serde(default)]
    pub(crate) username: Option<String>,
    /// Name of the environment variable holding the password; the password
    /// itself never belongs in a config file.
    #[serde(default)]
    pub password_env: Option<String>,
    /// Extra CA certificate (PEM) to trust, for a private relay.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    #[serde(default = "default_timeout")]
    pub(crate) timeout_secs: u64,
}

fn default_soft_bounce_limit() -> u32 {
    3
}

fn default_tls() -> Tls {
    Tls::Starttls
}
fn default_timeout() -> u64 {
    30
}

/// The PostgreSQL URL a ledger setting names, if it names one rather than
/// an SQLite file.
pub(crate) fn postgres_url(ledger: &Path) -> Option<&str> {
    let text = ledger.to_str()?;
    (text.starts_with("postgres://") || text.starts_with("postgresql://")).then_some(text)
}

/// A ledger URL is kept in the config and printed in messages, so it
/// carries no password (that comes from `ledger_password_env`).
fn check_postgres_url(url: &str) -> Result<(), String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if let Some((user, _)) = authority.rsplit_once('@') {
        if user.contains(':') {
            return Err(format!(
                "{:?} holds a password: remove it and set it in the environment (digest.ledger_password_env, PGPASSWORD by default)",
                url.replace(user, "USER:…")
            ));
        }
    }
    if url.contains("password=") {
        return Err("the URL holds a password= parameter: set the password in the environment (digest.ledger_password_env, PGPASSWORD by default)".into());
    }
    Ok(())
}

/// Whether `text` is a mail address lettre can send from; a build without
/// the subscriber side, which sends nothing, only looks for the `@`.
fn is_address(text: &str) -> bool {
    #[cfg(feature = "subscribers")]
    return text.parse::<lettre::Address>().is_ok();
    #[cfg(not(feature = "subscribers"))]
    return text.contains('@');
}

impl DigestConfig {
    /// Resolves paths against the site and checks every number.
    pub(crate) fn validate(&mut self, v: &Validate<'_>) -> Result<(), Error> {
        self.subscribers = v.root.join(&self.subscribers);
        match postgres_url(&self.ledger) {
            Some(url) => check_postgres_url(url).map_err(|why| v.invalid("digest.ledger", why))?,
            None => self.ledger = v.root.join(&self.ledger),
        }
        self.outbox = v.root.join(&self.outbox);
        if let Some(dkim) = &mut self.dkim {
            dkim.private_key_file = v.root.join(&dkim.private_key_file);
        }
        self.check_unsubscribe_url(v)?;
        if let Some(return_path) = &self.return_path {
            let sample = return_path.replace("{token}", "0123abcd");
            if return_path.matches("{token}").count() != 1 || !is_address(&sample) {
                return Err(v.invalid(
                    "digest.return_path",
                    format!("{return_path:?} must be an address with {{token}} once, such as \"bounce+{{token}}@example.org\""),
                ));
            }
        }
        if self.connections == 0 || self.attempts == 0 {
            return Err(v.invalid("digest", "`connections` and `attempts` must be at least 1"));
        }
        if !(1..=1000).contains(&self.in_flight) {
            return Err(v.invalid(
                "digest.in_flight",
                format!(
                    "{} is not from 1 to 1000 (messages per connection a crash may send twice)",
                    self.in_flight
                ),
            ));
        }
        // Below one message a day a run would never end; above a million
        // a second the interval rounds to nothing.
        let per_day = 1.0 / 86_400.0;
        if !(self.rate_limit == 0.0 || (per_day..=1_000_000.0).contains(&self.rate_limit)) {
            return Err(v.invalid(
                "digest.rate_limit",
                "must be messages per second between 0.0000116 (one a day) and 1000000, or 0 for no limit",
            ));
        }
        self.archive = self.archive.trim_matches('/').to_string();
        if self.archive.contains(['?', '#', '\\'])
            || self
                .archive
                .split('/')
                .any(|part| part == ".." || part.starts_with('.'))
        {
            return Err(v.invalid(
                "digest.archive",
                format!(
                    "{:?} must be a plain folder name such as \"newsletter\"",
                    self.archive
                ),
            ));
        }
        if self.hour > 23 {
            return Err(v.invalid(
                "digest.hour",
                format!("{} is not an hour from 0 to 23", self.hour),
            ));
        }
        if !(1..=31).contains(&self.day_of_month) {
            return Err(v.invalid(
                "digest.day_of_month",
                format!("{} is not a day from 1 to 31", self.day_of_month),
            ));
        }
        let mut offered = std::collections::HashSet::new();
        for topic in &mut self.topics {
            *topic = topic.trim().to_string();
            if topic.is_empty() || topic.contains(',') {
                return Err(v.invalid(
                    "digest.topics",
                    format!("{topic:?}: a topic is a tag, non-empty and without commas"),
                ));
            }
            if !offered.insert(topic.to_lowercase()) {
                return Err(v.invalid("digest.topics", format!("{topic:?} is listed twice")));
            }
        }
        if self.connections > 100 {
            return Err(v.invalid(
                "digest.connections",
                format!(
                    "{} is more than the 100 parallel connections gazette opens",
                    self.connections
                ),
            ));
        }
        Ok(())
    }

    /// The unsubscribe page: RFC 8058 wants https and a per-subscriber token.
    fn check_unsubscribe_url(&self, v: &Validate<'_>) -> Result<(), Error> {
        if self.unsubscribe_url.is_empty() {
            return Err(v.invalid(
                "digest.unsubscribe_url",
                "missing: set it to your unsubscribe page, or add a [serve] section to use `gazette serve`'s",
            ));
        }
        if !self.unsubscribe_url.contains("{token}") {
            return Err(v.invalid(
                "digest.unsubscribe_url",
                "must contain {token}, the per-subscriber token the unsubscribe page checks",
            ));
        }
        // A local test of `serve` runs on plain HTTP; anything readers get is HTTPS.
        let loopback = [
            "http://127.0.0.1:",
            "http://127.0.0.1/",
            "http://localhost:",
            "http://localhost/",
        ]
        .iter()
        .any(|prefix| self.unsubscribe_url.starts_with(prefix));
        if !self.unsubscribe_url.starts_with("https://") && !loopback {
            return Err(v.invalid(
                "digest.unsubscribe_url",
                "must be an https:// URL that accepts a POST (RFC 8058 one-click unsubscribe)",
            ));
        }
        Ok(())
    }
}

impl SmtpConfig {
    pub(crate) fn validate(&mut self, v: &Validate<'_>) -> Result<(), Error> {
        if let Some(ca) = &mut self.ca_file {
            *ca = v.root.join(&*ca);
        }
        if self.tls == Tls::None && !matches!(self.host.as_str(), "localhost" | "127.0.0.1" | "::1")
        {
            return Err(v.invalid(
                "smtp.tls",
                "\"none\" sends passwords and mail in clear text: only allowed for localhost",
            ));
        }
        Ok(())
    }
}
