//! One digest message per subscriber: Tera templates, CSS inlined for mail
//! clients, a plain-text alternative, and the headers bulk mail needs.

use std::time::SystemTime;

use chrono::{DateTime, FixedOffset, Utc};
use hmac::{KeyInit, Mac};
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, Message};
use serde::Serialize;
use serde_json::{Map, Value};

use super::subscribers::Subscriber;
use crate::config::{Config, DigestConfig, DkimAlgorithm, DkimSettings, Person};
use crate::content::Post;
use crate::error::Error;
use crate::feeds::SiteView;
use crate::render::templates::Templates;
use crate::render::{markdown, text};

/// A post as digest templates see it, and as the ledger keeps it: every
/// recipient of one digest gets the same text, even when a run is resumed
/// after the post was edited.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct DigestPost {
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
}

impl DigestPost {
    pub fn new(
        post: &Post,
        config: &Config,
        resolver: &crate::render::generator_syntax::Resolver,
    ) -> Result<DigestPost, Error> {
        let (body, body_line) = post.body_with_line()?;
        // Warnings about generator syntax were given by `build`.
        let (body, _) = crate::render::generator_syntax::resolve(post, &body, body_line, resolver);
        let date = post.date.unwrap_or_default();
        // Mail clients run what they are given: e-mails are always sanitised.
        let (html, _) = crate::render::finish_html(
            &markdown::to_html(&body),
            &post.url,
            Some(&config.feeds.iframe_hosts),
        );
        Ok(DigestPost {
            id: post.id.clone(),
            title: text::xml_safe(&post.title).into_owned(),
            url: post.url.to_string(),
            date: date.format("%Y-%m-%d").to_string(),
            date_iso: date.to_rfc3339(),
            summary: post
                .summary
                .clone()
                .or_else(|| markdown::excerpt(&body, config.feeds.summary_length))
                .map(|s| text::xml_safe(&s).into_owned()),
            html,
            tags: post.tags.clone(),
            authors: post.authors.clone(),
            extra: post.extra.clone(),
        })
    }
}

#[derive(Serialize)]
struct Period {
    since: String,
    until: String,
}

/// A rendered message and what the ledger and previews need of it.
pub struct Composed {
    pub message: Message,
    pub message_id: String,
    pub html: String,
}

/// Everything shared by the messages of one digest.
pub struct Composer<'a> {
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

fn dkim_config(
    config: &Config,
    settings: &DkimSettings,
    from_domain: &str,
) -> Result<DkimConfig, Error> {
    let key_file = &settings.private_key_file;
    let text = std::fs::read_to_string(key_file).map_err(|e| Error::io(key_file, e))?;
    let algorithm = match settings.algorithm {
        DkimAlgorithm::Rsa => DkimSigningAlgorithm::Rsa,
        DkimAlgorithm::Ed25519 => DkimSigningAlgorithm::Ed25519,
    };
    let key = DkimSigningKey::new(text.trim(), algorithm).map_err(|e| {
        Error::config(
            config.file.clone(),
            format!("`digest.dkim.private_key_file` {}: {e:?}: expected an RSA key in PKCS#1 PEM or a base64 Ed25519 key", key_file.display()),
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
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        config: &'a Config,
        templates: &'a Templates,
        digest_id: &str,
        posts: Vec<DigestPost>,
        since: DateTime<FixedOffset>,
        until: DateTime<FixedOffset>,
        secret: String,
        now: DateTime<Utc>,
    ) -> Result<Composer<'a>, Error> {
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
            digest_id: digest_id.to_string(),
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
        })
    }

    pub fn posts(&self) -> &[DigestPost] {
        &self.posts
    }

    /// A per-subscriber token for the unsubscribe link: an HMAC of the
    /// address, so the unsubscribe page can check it without a database.
    pub fn token(&self, email: &str) -> String {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(email.to_ascii_lowercase().as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
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
    pub fn message_id(&self, email: &str) -> String {
        let compact: String = self
            .digest_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(b"message-id\0");
        mac.update(self.digest_id.as_bytes());
        mac.update(b"\0");
        mac.update(email.to_ascii_lowercase().as_bytes());
        let tag = hex::encode(&mac.finalize().into_bytes()[..12]);
        format!("<digest.{compact}.{tag}@{}>", self.domain)
    }

    pub fn compose(&self, subscriber: &Subscriber) -> Result<Composed, Error> {
        let token = self.token(&subscriber.email);
        let unsubscribe = self.unsubscribe_url(&subscriber.email, &token);
        let mut fields: Map<String, Value> = subscriber
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        fields.insert("email".into(), subscriber.email.clone().into());
        fields.insert(
            "name".into(),
            subscriber.name.clone().map_or(Value::Null, Value::String),
        );
        fields.insert("token".into(), token.clone().into());

        let mut context = tera::Context::new();
        context.insert("site", &SiteView::new(self.config));
        context.insert("posts", &self.posts);
        context.insert("period", &self.period);
        context.insert("subscriber", &fields);
        context.insert("unsubscribe_url", &unsubscribe);
        let subject = one_line(&self.templates.render(super::SUBJECT_TEMPLATE, &context)?);
        context.insert("subject", &subject);
        let html = self.templates.render("digest.html", &context)?;
        let html = self.inliner.inline(&html).map_err(|e| Error::Template {
            name: "digest.html".into(),
            message: format!("inlining CSS: {e}"),
        })?;
        let plain = self.templates.render("digest.txt", &context)?;

        let address: Address = subscriber
            .email
            .parse()
            .map_err(|e| Error::Usage(format!("{}: {e}", subscriber.email)))?;
        let to = Mailbox::new(subscriber.name.as_deref().map(one_line), address);
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
        let mut message = builder
            .multipart(MultiPart::alternative_plain_html(plain, html.clone()))
            .map_err(|e| {
                Error::Usage(format!("building the message to {}: {e}", subscriber.email))
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

/// Header text on one line: a title or name holding CR/LF must not be able
/// to start a header of its own.
fn one_line(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    text::collapse(&cleaned)
}
