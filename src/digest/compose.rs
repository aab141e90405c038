//! One digest message per subscriber: Tera templates, CSS inlined for mail
//! clients, a plain-text alternative, and the headers bulk mail needs.

use std::time::SystemTime;

use chrono::{DateTime, FixedOffset, Utc};
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};
use serde::Serialize;
use serde_json::{Map, Value};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::specialize::{self, Use};
use crate::config::{Config, DigestConfig, DkimAlgorithm, DkimSettings, Person};
use crate::content::Post;
use crate::error::Error;
use crate::ledger::DigestRecord;
use crate::mail::{html_body, one_line};
use crate::render::templates::Templates;
use crate::render::SiteView;
use crate::subscribers::list::Subscriber;
use crate::text;

/// Replaces every marker in one pass over `text`.
fn replace_markers(text: &str, replacements: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut rest = text;
    while let Some(start) = rest.find('\u{E000}') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match replacements
            .iter()
            .find(|(marker, _)| after.starts_with(marker.as_str()))
        {
            Some((marker, value)) => {
                out.push_str(value);
                rest = &after[marker.len()..];
            }
            None => {
                out.push('\u{E000}');
                rest = &after['\u{E000}'.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether every marker in `html` stands in text or in an `href` value,
/// where CSS selectors cannot see it.
fn markers_only_in_text_or_links(html: &str) -> bool {
    let mut from = 0;
    while let Some(found) = html[from..].find('\u{E000}') {
        let at = from + found;
        let before = &html[..at];
        let open = before.rfind('<');
        let close = before.rfind('>');
        let in_tag = match (open, close) {
            (Some(open), Some(close)) => open > close,
            (Some(_), None) => true,
            _ => false,
        };
        if in_tag {
            let tag = &before[open.unwrap_or(0)..];
            // Inside a quoted value the name is before its opening quote
            // (the value itself may hold `=`, as a URL's query does).
            let quote = ['"', '\'']
                .into_iter()
                .find(|q| tag.matches(*q).count() % 2 == 1);
            let before_value = match quote.and_then(|q| tag.rfind(q)) {
                Some(opening) => &tag[..opening],
                None => tag,
            };
            let attribute = before_value
                .trim_end()
                .strip_suffix('=')
                .and_then(|name| name.trim_end().rsplit(char::is_whitespace).next())
                .unwrap_or("");
            if !attribute.eq_ignore_ascii_case("href") {
                return false;
            }
        }
        from = at + '\u{E000}'.len_utf8();
    }
    true
}

/// A post as digest templates see it, and as the ledger keeps it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub(crate) struct DigestPost {
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: String,
    pub date_iso: String,
    pub summary: Option<String>,
    /// The full post, with absolute links.
    pub html: String,
    pub tags: Vec<String>,
    pub authors: Vec<Person>,
    pub extra: Map<String, Value>,
    /// Set when the post comes again because its author announced an
    /// update (`update_notice`); a first publication has none.
    #[serde(default)]
    pub update: Option<Update>,
}

/// An announced update, as the digest shows it and the ledger keys it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct Update {
    /// The post's `updated` instant (RFC 3339): with the post id, what the
    /// ledger records as sent.
    pub at: String,
    /// The same day as shown (YYYY-MM-DD).
    pub date: String,
    /// What changed, in the author's words; may be empty.
    pub note: String,
}

impl crate::ledger::PlannedPost for DigestPost {
    fn id(&self) -> &str {
        &self.id
    }

    fn update_key(&self) -> Option<&str> {
        self.update.as_ref().map(|u| u.at.as_str())
    }
}

impl DigestPost {
    /// The post as an announced update: its `updated` instant and note.
    pub(crate) fn announcing_update(mut self, post: &Post) -> DigestPost {
        if let (Some(at), Some(note)) = (post.updated, &post.update_notice) {
            self.update = Some(Update {
                at: at.to_rfc3339(),
                date: at.format("%Y-%m-%d").to_string(),
                note: note.clone(),
            });
        }
        self
    }

    pub(crate) fn new(
        post: &Post,
        config: &Config,
        resolver: &crate::render::generator_syntax::Resolver,
    ) -> Result<DigestPost, crate::error::Diagnostic> {
        // Warnings about the body were given by `build`.
        let text = crate::render::post_text(post, config, resolver, true)?;
        let date = post.date.unwrap_or_default();
        // Mail clients run what they are given: e-mails are always sanitised.
        let (html, _) = crate::render::finish_html(
            &text.html(config.smart_punctuation),
            &post.url,
            Some(&config.feeds.iframe_hosts),
        );
        Ok(DigestPost {
            id: post.id.clone(),
            title: text::xml_safe(&post.display_title()).into_owned(),
            url: post.url.to_string(),
            date: date.format("%Y-%m-%d").to_string(),
            date_iso: date.to_rfc3339(),
            summary: text.summary,
            html,
            tags: post.tags.iter().map(|tag| tag.to_string()).collect(),
            authors: post.details().authors.clone(),
            extra: post.details().extra.clone(),
            update: None,
        })
    }
}

#[derive(Serialize)]
struct Period {
    since: String,
    until: String,
}

/// A rendered message and what the ledger and previews need of it.
pub(crate) struct Composed {
    pub message: Message,
    pub message_id: String,
    pub html: String,
}

/// Everything shared by the messages of one digest.
pub(crate) struct Composer<'a> {
    config: &'a Config,
    digest: &'a DigestConfig,
    templates: &'a Templates,
    digest_id: String,
    posts: Vec<DigestPost>,
    period: Period,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    /// The sender's domain, for Message-IDs and List-Id.
    domain: String,
    secret: String,
    date: SystemTime,
    inliner: css_inline::CSSInliner<'static>,
    dkim: Option<DkimConfig>,
    /// What every message's template context shares, built once.
    shared: tera::Context,
    /// Contexts holding the shared part, one for each thread composing at
    /// the moment: a message takes one and sets its own values over the last
    /// message's, instead of copying every post's HTML again.
    contexts: std::sync::Mutex<Vec<tera::Context>>,
    /// The HTML of a probe subscriber whose fields are unique markers, as
    /// rendered and as inlined, for the fast path of `inline`.
    probe: std::sync::OnceLock<Option<Probe>>,
    /// What the digest's templates read of a reader, in marker order;
    /// `None` when they must be rendered for each reader (`specialize`).
    reads: Option<Vec<(String, Use)>>,
    /// The templates rendered once per kind of reader, by `Kind::key`
    /// (`None`: that kind is rendered for each reader).
    variants: Mutex<HashMap<String, Option<Arc<Variant>>>>,
}

/// How many kinds of reader are kept rendered; a template that reads an
/// address exactly makes every reader a kind of their own.
const MOST_VARIANTS: usize = 256;

/// The digest's two parts rendered for one kind of reader, with markers
/// where the reader's printed values go.
struct Variant {
    html: VariantHtml,
    text: String,
}

enum VariantHtml {
    /// With its CSS inlined: the markers are where CSS cannot see them.
    Inlined(String),
    /// As rendered: each message is inlined once its markers are replaced.
    Rendered(String),
}

/// One reader as far as the templates can tell: the values they depend on,
/// and the values they only print, each standing for a marker.
struct Kind<'v> {
    key: String,
    printed: Vec<(&'v str, String)>,
}

/// See `Composer::inline`.
struct Probe {
    /// The subscriber keys the markers stand for, in order.
    keys: Vec<String>,
    rendered: String,
    inlined: String,
}

/// The first character of every marker: a private-use character.
const MARKER_START: char = '\u{E000}';

/// A marker no template or post contains and no escaping changes.
fn marker(index: usize) -> String {
    format!("{MARKER_START}gazette-probe-{index}\u{E001}")
}

/// Where a reader's value named `name` (as templates name it) sits among
/// the subscriber values: the column, or the hidden key of a link.
fn value_key(name: &str) -> Option<&str> {
    match name {
        "unsubscribe_url" => Some("\0unsubscribe_url"),
        "preferences_url" => Some("\0preferences_url"),
        _ => name.strip_prefix("subscriber."),
    }
}

/// One reader as the digest templates see them: the subscriber values (see
/// `Composer::subscriber_values`), the language and the subject line.
struct Reader<'v> {
    values: &'v [(String, Value)],
    lang: &'v str,
    subject: &'v str,
}

impl Reader<'_> {
    /// A value by the name templates use, as the template context has it
    /// (the links are empty when absent).
    fn value(&self, name: &str) -> Option<Value> {
        match name {
            "lang" => return Some(self.lang.into()),
            "subject" => return Some(self.subject.into()),
            _ => {}
        }
        let key = value_key(name)?;
        let found = self
            .values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone());
        match name {
            "unsubscribe_url" | "preferences_url" => Some(found.unwrap_or_else(|| "".into())),
            _ => found,
        }
    }
}

/// Headers covered by the DKIM signature: Gmail and Yahoo want the
/// unsubscribe headers signed, or they may ignore them. Content-Type is left
/// out: lettre signs the multipart header in a form other than the one it
/// writes, which breaks verification (checked with dkimpy).
const SIGNED_HEADERS: &[&str] = &[
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Reply-To",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "List-Id",
    "MIME-Version",
];

/// The DER of an Ed25519 private key in PKCS#8 (RFC 8410) up to its
/// 32-byte seed: the whole key is this and the seed.
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// The body of a PEM block labelled `label`, decoded.
fn pem_body(text: &str, label: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let body = text.split_once(&begin)?.1.split_once(&end)?.0;
    let compact: String = body.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

/// A DKIM key as `opendkim-genkey`, `openssl genpkey` or an older guide
/// writes it: RSA in PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN
/// PRIVATE KEY`), Ed25519 in PKCS#8 or as the bare base64 seed. The error
/// is one line saying what was expected.
fn signing_key(text: &str, algorithm: DkimAlgorithm) -> Result<DkimSigningKey, String> {
    use base64::Engine;
    let text = text.trim();
    match algorithm {
        DkimAlgorithm::Rsa => {
            let pkcs1 = if text.contains("-----BEGIN PRIVATE KEY-----") {
                use rsa::pkcs1::EncodeRsaPrivateKey;
                use rsa::pkcs8::DecodePrivateKey;
                let key = rsa::RsaPrivateKey::from_pkcs8_pem(text)
                    .map_err(|_| "a PKCS#8 key, but not an unencrypted RSA key".to_string())?;
                key.to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
                    .map_err(|_| "an RSA key that cannot be re-encoded".to_string())?
                    .to_string()
            } else {
                text.to_string()
            };
            DkimSigningKey::new(&pkcs1, DkimSigningAlgorithm::Rsa).map_err(|_| {
                "not an RSA private key in PEM (PKCS#1 `BEGIN RSA PRIVATE KEY` or PKCS#8 `BEGIN PRIVATE KEY`)".to_string()
            })
        }
        DkimAlgorithm::Ed25519 => {
            let seed = match pem_body(text, "PRIVATE KEY") {
                Some(der) if der.len() == 48 && der.starts_with(&ED25519_PKCS8_PREFIX) => {
                    base64::engine::general_purpose::STANDARD.encode(&der[16..])
                }
                Some(_) => return Err("a PKCS#8 key, but not an Ed25519 one".into()),
                None => text.to_string(),
            };
            DkimSigningKey::new(&seed, DkimSigningAlgorithm::Ed25519).map_err(|_| {
                "not an Ed25519 private key (PKCS#8 PEM `BEGIN PRIVATE KEY`, or the 32-byte seed in base64)".to_string()
            })
        }
    }
}

fn dkim_config(
    config: &Config,
    settings: &DkimSettings,
    from_domain: &str,
) -> Result<DkimConfig, Error> {
    let key_file = &settings.private_key_file;
    let text = std::fs::read_to_string(key_file).map_err(|e| Error::io(key_file, e))?;
    let key = signing_key(&text, settings.algorithm).map_err(|why| {
        Error::config(
            config.file.clone(),
            format!(
                "`digest.dkim.private_key_file` {}: {why}",
                key_file.display()
            ),
        )
    })?;
    Ok(DkimConfig::new(
        settings.selector.clone(),
        settings
            .domain
            .clone()
            .unwrap_or_else(|| from_domain.to_string()),
        key,
        SIGNED_HEADERS
            .iter()
            .map(|h| HeaderName::new_from_ascii_str(h))
            .collect(),
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ))
}

impl<'a> Composer<'a> {
    /// The composer of the digest `record` plans, carrying `posts`.
    pub(crate) fn new(
        config: &'a Config,
        templates: &'a Templates,
        record: &DigestRecord,
        posts: Vec<DigestPost>,
        secret: String,
        now: DateTime<Utc>,
    ) -> Result<Composer<'a>, Error> {
        let since = super::parse_stored(&record.since)?;
        let until = super::parse_stored(&record.until)?;
        let digest = config
            .digest
            .as_ref()
            .ok_or_else(|| Error::config(config.file.clone(), "no [digest] section"))?;
        let mailbox = |key: &str, text: &str| {
            text.parse::<Mailbox>().map_err(|e| {
                Error::config(config.file.clone(), format!("`digest.{key}` {text:?}: {e}"))
            })
        };
        let from = mailbox("from", &digest.from)?;
        let reply_to = digest
            .reply_to
            .as_deref()
            .map(|r| mailbox("reply_to", r))
            .transpose()?;
        let domain = from.email.domain().to_string();
        let dkim = digest
            .dkim
            .as_ref()
            .map(|settings| dkim_config(config, settings, &domain))
            .transpose()?;
        let local = |d: DateTime<FixedOffset>| {
            d.with_timezone(&config.timezone)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        Ok(Composer {
            config,
            digest,
            templates,
            digest_id: record.id.clone(),
            posts,
            period: Period {
                since: local(since),
                until: local(until),
            },
            from,
            reply_to,
            domain,
            secret,
            date: now.into(),
            inliner: css_inline::CSSInliner::options()
                .keep_at_rules(true)
                .keep_style_tags(false)
                .build(),
            dkim,
            shared: tera::Context::new(),
            contexts: Default::default(),
            probe: std::sync::OnceLock::new(),
            reads: None,
            variants: Mutex::default(),
        }
        .with_shared_context()
        .with_reads())
    }

    fn with_shared_context(mut self) -> Self {
        let mut shared = tera::Context::new();
        shared.insert("site", &SiteView::new(self.config));
        shared.insert("posts", &self.posts);
        shared.insert("period", &self.period);
        shared.insert(
            "archive_url",
            &super::archive::issue_url(self.config, &self.digest_id).unwrap_or_default(),
        );
        self.shared = shared;
        self
    }

    /// What the templates read of a reader, unless something shared already
    /// holds a marker's first character (it would be taken for a marker).
    fn with_reads(mut self) -> Self {
        let trees = ["digest.html", "digest.txt"].map(|name| self.templates.syntax(name));
        let shared_has_marker = self
            .shared
            .clone()
            .into_json()
            .to_string()
            .contains(MARKER_START);
        self.reads = trees
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .filter(|_| !shared_has_marker)
            .and_then(specialize::uses)
            .map(|reads| reads.into_iter().collect());
        self
    }

    /// The values templates see of a subscriber, in a fixed order.
    fn subscriber_values(
        &self,
        subscriber: &Subscriber,
        token: &str,
        unsubscribe: &str,
    ) -> Vec<(String, Value)> {
        let mut values: Vec<(String, Value)> = subscriber
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        values.retain(|(k, _)| !matches!(k.as_str(), "email" | "name" | "token"));
        values.push(("email".into(), subscriber.email.clone().into()));
        values.push((
            "name".into(),
            subscriber.name.clone().map_or(Value::Null, Value::String),
        ));
        values.push(("token".into(), token.into()));
        values.push(("\0unsubscribe_url".into(), unsubscribe.into()));
        // Only with `serve`, which answers it: without, no link at all.
        if let Some(serve) = &self.config.serve {
            values.push((
                "\0preferences_url".into(),
                serve.preferences_url(token).into(),
            ));
        }
        values
    }

    /// The reader's language: a `language` column of the subscriber list
    /// wins over the site's.
    fn lang_of(&self, values: &[(String, Value)]) -> String {
        values
            .iter()
            .find(|(key, _)| key == "language")
            .and_then(|(_, value)| value.as_str())
            .filter(|l| !l.trim().is_empty())
            .unwrap_or(&self.config.language)
            .to_string()
    }

    fn context(&self, values: &[(String, Value)], lang: &str) -> tera::Context {
        let mut fields = Map::new();
        let mut unsubscribe = String::new();
        let mut preferences = String::new();
        for (key, value) in values {
            match key.as_str() {
                "\0unsubscribe_url" => unsubscribe = value.as_str().unwrap_or_default().to_string(),
                "\0preferences_url" => preferences = value.as_str().unwrap_or_default().to_string(),
                _ => {
                    fields.insert(key.clone(), value.clone());
                }
            }
        }
        let mut context = self
            .contexts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_else(|| self.shared.clone());
        // Set by each message after its subject is rendered.
        context.remove("subject");
        context.insert("lang", lang);
        context.insert("subscriber", &fields);
        context.insert("unsubscribe_url", &unsubscribe);
        context.insert("preferences_url", &preferences);
        context
    }

    /// CSS inlining, the costliest step of a message, done once per digest
    /// where that gives the same result: the template is rendered for a
    /// probe subscriber whose every value is a unique marker and inlined
    /// once; a subscriber's HTML that equals the probe's with the markers
    /// replaced by the subscriber's (escaped) values gets the inlined probe
    /// with the same replacement. Markers only in text or links, never where
    /// CSS could see them (a class, a style), make that exact; any other
    /// template or subscriber takes the slow path.
    fn inline(
        &self,
        html: &str,
        values: &[(String, Value)],
        subject: &str,
    ) -> Result<String, Error> {
        let probe = self.probe.get_or_init(|| self.make_probe(values, subject));
        let same_keys = |probe: &Probe| {
            probe.keys.len() == values.len()
                && probe.keys.iter().zip(values).all(|(k, (v, _))| k == v)
        };
        if let Some(probe) = probe.as_ref().filter(|p| same_keys(p)) {
            let replacements = self.replacements(values);
            if replacements.len() == values.len() {
                let expected = replace_markers(&probe.rendered, &replacements);
                if expected == html {
                    return Ok(replace_markers(&probe.inlined, &replacements));
                }
            }
        }
        self.inline_css(html)
    }

    fn inline_css(&self, html: &str) -> Result<String, Error> {
        self.inliner.inline(html).map_err(|e| Error::Template {
            name: "digest.html".into(),
            message: format!("inlining CSS: {e}"),
        })
    }

    /// Each marker with the subscriber's value as Tera's HTML escaping
    /// writes it; values that are not strings are left to the slow path.
    fn replacements(&self, values: &[(String, Value)]) -> Vec<(String, String)> {
        values
            .iter()
            .enumerate()
            .filter_map(|(i, (_, value))| match value {
                Value::String(text) => {
                    Some((marker(i), crate::render::templates::escape_html(text)))
                }
                _ => None,
            })
            .collect()
    }

    fn make_probe(&self, values: &[(String, Value)], subject: &str) -> Option<Probe> {
        let probe_values: Vec<(String, Value)> = values
            .iter()
            .enumerate()
            .map(|(i, (key, _))| (key.clone(), Value::String(marker(i))))
            .collect();
        let mut context = self.context(&probe_values, &self.lang_of(&probe_values));
        context.insert("subject", subject);
        let rendered = self.templates.render("digest.html", &context).ok()?;
        let inlined = self.inliner.inline(&rendered).ok()?;
        markers_only_in_text_or_links(&inlined).then(|| Probe {
            keys: values.iter().map(|(k, _)| k.clone()).collect(),
            rendered,
            inlined,
        })
    }

    /// The reader's kind: the values the templates depend on, exactly, and
    /// the ones they only print (a tested one only when not empty, since
    /// emptiness is what a test sees). `None` when the templates must be
    /// rendered for this reader.
    fn kind<'r>(&'r self, reader: &Reader<'_>) -> Option<Kind<'r>> {
        let reads = self.reads.as_ref()?;
        let mut key = Vec::with_capacity(reads.len());
        let mut printed = Vec::new();
        for (name, how) in reads {
            let value = reader.value(name);
            match (value, how) {
                (Some(Value::String(text)), Use::Printed) => printed.push((name.as_str(), text)),
                (Some(Value::String(text)), Use::Tested) if !text.is_empty() => {
                    printed.push((name.as_str(), text));
                }
                (value, _) => {
                    // An exact value holding a marker's start would be taken for one.
                    if value
                        .as_ref()
                        .and_then(Value::as_str)
                        .is_some_and(|text| text.contains(MARKER_START))
                    {
                        return None;
                    }
                    let (how, value) = match value {
                        Some(value) => ("exact", value),
                        None => ("absent", Value::Null),
                    };
                    key.push((name.as_str(), how, value));
                    continue;
                }
            }
            key.push((name.as_str(), "printed", Value::Null));
        }
        Some(Kind {
            key: serde_json::to_string(&key).ok()?,
            printed,
        })
    }

    /// The templates rendered for `kind`, made at its first reader.
    fn variant(&self, kind: &Kind<'_>, reader: &Reader<'_>) -> Option<Arc<Variant>> {
        let lock = || self.variants.lock().unwrap_or_else(|p| p.into_inner());
        {
            let variants = lock();
            if let Some(known) = variants.get(&kind.key) {
                return known.clone();
            }
            // Every reader a kind of their own: the way of a single reader
            // (with its own shortcut for the CSS) is the cheaper one.
            if variants.len() >= MOST_VARIANTS {
                return None;
            }
        }
        let made = self.make_variant(kind, reader).map(Arc::new);
        lock().insert(kind.key.clone(), made.clone());
        made
    }

    fn make_variant(&self, kind: &Kind<'_>, reader: &Reader<'_>) -> Option<Variant> {
        let mut probe = reader.values.to_vec();
        let mut subject = reader.subject.to_string();
        for (index, (name, _)) in kind.printed.iter().enumerate() {
            if *name == "subject" {
                subject = marker(index);
                continue;
            }
            let key = value_key(name)?;
            match probe.iter_mut().find(|(k, _)| k == key) {
                Some((_, value)) => *value = marker(index).into(),
                None => probe.push((key.to_string(), marker(index).into())),
            }
        }
        let mut context = self.context(&probe, reader.lang);
        context.insert("subject", &subject);
        let rendered = self
            .templates
            .render("digest.html", &context)
            .and_then(|html| Ok((html, self.templates.render("digest.txt", &context)?)));
        self.contexts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(context);
        let (html, text) = rendered.ok()?;
        // A value at the very start would have lost its leading blanks with
        // the text's.
        if html.starts_with(MARKER_START) || text.starts_with(MARKER_START) {
            return None;
        }
        let html = match self.inliner.inline(&html) {
            Ok(inlined) if markers_only_in_text_or_links(&inlined) => VariantHtml::Inlined(inlined),
            _ => VariantHtml::Rendered(html),
        };
        Some(Variant { html, text })
    }

    /// The HTML (inlined) and text parts for a reader whose kind was
    /// rendered before: its markers replaced by the reader's values, escaped
    /// where the template escapes them.
    fn specialized(&self, reader: &Reader<'_>) -> Option<Result<(String, String), Error>> {
        let kind = self.kind(reader)?;
        let variant = self.variant(&kind, reader)?;
        let marked = |escape: fn(&str) -> String| -> Vec<(String, String)> {
            kind.printed
                .iter()
                .enumerate()
                .map(|(index, (_, text))| (marker(index), escape(text)))
                .collect()
        };
        let text = replace_markers(&variant.text, &marked(str::to_string));
        let escaped = marked(crate::render::templates::escape_html);
        let html = match &variant.html {
            VariantHtml::Inlined(inlined) => Ok(replace_markers(inlined, &escaped)),
            VariantHtml::Rendered(html) => self.inline_css(&replace_markers(html, &escaped)),
        };
        Some(html.map(|html| (html, text)))
    }

    pub(crate) fn posts(&self) -> &[DigestPost] {
        &self.posts
    }

    /// A per-subscriber token for the unsubscribe link (see `tokens`).
    pub(crate) fn token(&self, email: &str) -> String {
        crate::subscribers::tokens::unsubscribe(&self.secret, email)
    }

    fn unsubscribe_url(&self, email: &str, token: &str) -> String {
        let encoded =
            percent_encoding::utf8_percent_encode(email, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        self.digest
            .unsubscribe_url
            .replace("{token}", token)
            .replace("{email}", &encoded)
    }

    /// The Message-ID is a function of digest and recipient, so a message
    /// re-sent after a crash carries the same id and receiving servers and
    /// clients can recognise the duplicate. It is a hash of its own, under a
    /// separate label, so it gives nothing of the unsubscribe token away.
    pub(crate) fn message_id(&self, email: &str) -> String {
        let compact: String = self
            .digest_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let tag = crate::subscribers::tokens::message_id_tag(&self.secret, &self.digest_id, email);
        format!("<digest.{compact}.{tag}@{}>", self.domain)
    }

    pub(crate) fn compose(&self, subscriber: &Subscriber) -> Result<Composed, Error> {
        let token = self.token(&subscriber.email);
        let unsubscribe = self.unsubscribe_url(&subscriber.email, &token);
        let values = self.subscriber_values(subscriber, &token, &unsubscribe);
        let lang = self.lang_of(&values);
        let mut context = self.context(&values, &lang);
        let subject = self
            .templates
            .render(super::SUBJECT_TEMPLATE, &context)
            .map(|subject| one_line(&subject));
        let specialized = subject.as_ref().ok().and_then(|subject| {
            self.specialized(&Reader {
                values: &values,
                lang: &lang,
                subject,
            })
        });
        let rendered = match (subject, specialized) {
            (Ok(subject), Some(parts)) => parts.map(|(html, plain)| (subject, html, plain, true)),
            (subject, _) => subject.and_then(|subject| {
                context.insert("subject", &subject);
                let html = self.templates.render("digest.html", &context)?;
                let plain = self.templates.render("digest.txt", &context)?;
                Ok((subject, html, plain, false))
            }),
        };
        self.contexts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(context);
        let (subject, html, plain, inlined) = rendered?;
        let html = if inlined {
            html
        } else {
            self.inline(&html, &values, &subject)?
        };

        let address: Address = subscriber
            .email
            .parse()
            .map_err(|e| Error::Mail(format!("{}: {e}", subscriber.email)))?;
        let to = Mailbox::new(subscriber.name.as_deref().map(one_line), address.clone());
        let message_id = self.message_id(&subscriber.email);
        let mut list_unsubscribe = format!("<{unsubscribe}>");
        if let Some(mailto) = &self.digest.unsubscribe_mailto {
            list_unsubscribe.push_str(&format!(
                ", <mailto:{mailto}?subject=unsubscribe%20{token}>"
            ));
        }
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .date(self.date)
            .message_id(Some(message_id.clone()))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                list_unsubscribe,
            ))
            // RFC 8058: lets mail providers unsubscribe with one POST, no page visit.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Id"),
                format!("<digest.{}>", self.domain),
            ));
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        if let Some(return_path) = &self.digest.return_path {
            let sender: Address = return_path
                .replace("{token}", &token)
                .parse()
                .map_err(|e| {
                    Error::Mail(format!(
                        "`digest.return_path` for {}: {e}",
                        subscriber.email
                    ))
                })?;
            let envelope = lettre::address::Envelope::new(Some(sender), vec![address])
                .map_err(|e| Error::Mail(format!("envelope for {}: {e}", subscriber.email)))?;
            builder = builder.envelope(envelope);
        }
        let mut message = builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(plain))
                    .singlepart(SinglePart::html(html_body(&html))),
            )
            .map_err(|e| {
                Error::Mail(format!("building the message to {}: {e}", subscriber.email))
            })?;
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
        Ok(Composed {
            message,
            message_id,
            html,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_replaced_in_one_pass_and_strays_kept() {
        let (a, b) = (marker(0), marker(1));
        let text = format!("Hi {a}, see {b} and {a}.\u{E000}x");
        let replacements = vec![
            (a.clone(), "Ann".to_string()),
            // A value holding a marker is not replaced again.
            (b.clone(), format!("https://e.org/u?t={a}")),
        ];
        assert_eq!(
            replace_markers(&text, &replacements),
            format!("Hi Ann, see https://e.org/u?t={a} and Ann.\u{E000}x")
        );
    }

    #[test]
    fn markers_may_stand_in_text_and_links_only() {
        let (a, b) = (marker(0), marker(1));
        assert!(markers_only_in_text_or_links(&format!(
            "<p>Dear {a},</p><a href=\"https://e.org/u?t={b}\">unsubscribe</a>"
        )));
        // In any other attribute a CSS selector could match on it.
        assert!(!markers_only_in_text_or_links(&format!(
            "<p class=\"{a}\">x</p>"
        )));
        assert!(!markers_only_in_text_or_links(&format!(
            "<img alt=\"{a}\">"
        )));
        assert!(markers_only_in_text_or_links("<p>no markers</p>"));
        assert!(markers_only_in_text_or_links(&format!("<a href={a}>x</a>")));
        assert!(!markers_only_in_text_or_links(&format!(
            "<a href=\"https://e.org/\" title=\"u?t={a}\">x</a>"
        )));
    }

    /// Every message composed with the templates rendered per kind of
    /// reader, and the same message rendered for the reader alone.
    fn both_ways(templates: &[(&str, &str)], readers: &[Subscriber]) -> (usize, Vec<[String; 4]>) {
        let dir = tempfile::tempdir().unwrap();
        let config_text = "title = \"Café & <Co>\"\nbase_url = \"https://e.org/\"\n[digest]\nfrom = \"T <d@e.org>\"\nunsubscribe_url = \"https://e.org/u?token={token}&e={email}\"\n[serve]\npublic_url = \"https://e.org/s/\"\n";
        let config = Config::parse(
            config_text,
            &dir.path().join("config.toml"),
            dir.path().to_path_buf(),
        )
        .unwrap();
        for (name, text) in templates {
            std::fs::create_dir_all(&config.templates_dir).unwrap();
            std::fs::write(config.templates_dir.join(name), text).unwrap();
        }
        let mut loaded = Templates::load(&config.templates_dir).unwrap();
        let digest = config.digest.as_ref().unwrap();
        loaded
            .add(super::super::SUBJECT_TEMPLATE, &digest.subject)
            .unwrap();
        let record = DigestRecord {
            id: "2025-06-01T00:00:00Z".into(),
            created_at: "2025-06-01T00:00:00Z".into(),
            since: "2025-05-25T00:00:00Z".into(),
            until: "2025-06-01T00:00:00Z".into(),
            posts: vec!["a".into(), "b".into()],
            completed_at: None,
        };
        let post = |id: &str, title: &str, summary: Option<&str>| DigestPost {
            id: id.into(),
            title: title.into(),
            url: format!("https://e.org/{id}/"),
            date: "2025-05-30".into(),
            date_iso: "2025-05-30T00:00:00Z".into(),
            summary: summary.map(str::to_string),
            html: "<p>Body</p>".into(),
            tags: vec!["rust".into()],
            authors: Vec::new(),
            extra: Map::new(),
            update: None,
        };
        let posts = vec![
            post("a", "通讯 \"quoted\" & more", Some("A summary long enough to be wrapped over more than one line of the plain text part, which is seventy-two columns.")),
            post("b", "Second", None),
        ];
        let now = DateTime::parse_from_rfc3339("2025-06-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let make = || {
            Composer::new(
                &config,
                &loaded,
                &record,
                posts.clone(),
                "secret".into(),
                now,
            )
            .unwrap()
        };
        let (fast, mut slow) = (make(), make());
        slow.reads = None;
        let parts = |composer: &Composer<'_>, reader: &Subscriber| -> [String; 2] {
            match composer.compose(reader) {
                Ok(composed) => {
                    let bytes = composed.message.formatted();
                    let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
                    let text = parsed.body_text(0).unwrap().into_owned();
                    [composed.html, text]
                }
                Err(e) => [format!("error: {e}"), String::new()],
            }
        };
        let compared = readers
            .iter()
            .map(|reader| {
                let [fast_html, fast_text] = parts(&fast, reader);
                let [slow_html, slow_text] = parts(&slow, reader);
                [fast_html, slow_html, fast_text, slow_text]
            })
            .collect();
        let kinds = fast
            .variants
            .lock()
            .unwrap()
            .values()
            .filter(|v| v.is_some())
            .count();
        (kinds, compared)
    }

    fn reader(email: &str, name: Option<&str>, columns: &[(&str, &str)]) -> Subscriber {
        let mut reader = Subscriber::bare(email);
        reader.name = name.map(str::to_string);
        reader.fields = columns
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        reader
    }

    /// The serializer that inlines CSS writes `'` and `"` in text as they
    /// are; Tera's escaping as entities. Both are the same text.
    fn same_text(html: &str) -> String {
        html.replace("&#39;", "'").replace("&quot;", "\"")
    }

    #[test]
    fn a_message_rendered_per_kind_of_reader_is_the_one_rendered_alone() {
        let readers = [
            reader("ann@example.net", Some("Ann"), &[("plan", "paid")]),
            reader("bob@example.net", None, &[("plan", "free")]),
            reader(
                "o@example.net",
                Some("O'Brien & <Co> \"x\""),
                &[("plan", "free")],
            ),
            reader(
                "li@example.net",
                Some("李雷"),
                &[("plan", "paid"), ("language", "zh-CN")],
            ),
            reader("empty@example.net", Some(""), &[("plan", "")]),
            reader("lead@example.net", Some("  Lead"), &[("plan", "paid")]),
            reader(
                "odd+tag@example.net",
                Some("\u{E000}gazette-probe-0\u{E001}"),
                &[("plan", "paid")],
            ),
        ];
        let custom_html = "<html><head><style>.paid { color: red }</style></head><body>\
            {% if subscriber.plan == 'paid' %}<p class=\"paid\">Thanks</p>{% endif %}\
            <p>{{ subscriber.name | default(value='friend') }} {{ subscriber.email }}</p>\
            <a href=\"{{ unsubscribe_url }}\">{{ t(key='unsubscribe', lang=lang) }}</a></body></html>";
        let cases: [(&[(&str, &str)], usize); 4] = [
            // The default templates: the language, the name and the
            // preferences link decide the kind.
            (&[], 3),
            (&[("digest.html", custom_html), ("digest.txt", "{{ subscriber.name }} / {{ subscriber.plan }}\n{% for post in posts %}{{ post.title }}\n{% endfor %}")], 1),
            // A value printed first: its leading blanks would be trimmed.
            (&[("digest.txt", "{{ subscriber.name }}: {{ site.title }}")], 0),
            // What the walk cannot follow is rendered per reader.
            (&[("digest.txt", "{% set n = subscriber.name %}{{ n }}")], 0),
        ];
        for (templates, least_kinds) in cases {
            let (kinds, compared) = both_ways(templates, &readers);
            assert!(kinds >= least_kinds, "{templates:?}: {kinds} kinds");
            for [fast_html, slow_html, fast_text, slow_text] in compared {
                assert_eq!(
                    same_text(&fast_html),
                    same_text(&slow_html),
                    "{templates:?}"
                );
                assert_eq!(fast_text, slow_text, "{templates:?}");
            }
        }
    }
}
