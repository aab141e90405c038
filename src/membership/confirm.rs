//! The message that confirms a sign-up (double opt-in): rendered from
//! `confirm.html` and `confirm.txt` in the subscriber's language and sent
//! the way digests are.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};
use serde_json::json;

use crate::config::{Config, DigestConfig, ServeConfig};
use crate::error::Error;
use crate::mail::send::Delivery;
use crate::mail::Outcome;
use crate::mail::{html_body, one_line};
use crate::render::templates::Templates;
use crate::render::SiteView;
use crate::subscribers::tokens;

/// Renders and sends confirmation messages for one site.
pub(crate) struct Confirmations<'a> {
    config: &'a Config,
    digest: &'a DigestConfig,
    templates: Templates,
    delivery: Delivery,
    from: Mailbox,
    inliner: css_inline::CSSInliner<'static>,
}

impl<'a> Confirmations<'a> {
    pub(crate) fn new(config: &'a Config) -> Result<Confirmations<'a>, Error> {
        let digest = config.digest.as_ref().ok_or_else(|| {
            Error::config(
                &config.file,
                "no [digest] section: confirmations are sent with its `from` and transport",
            )
        })?;
        let from = digest.from.parse::<Mailbox>().map_err(|e| {
            Error::config(
                &config.file,
                format!("`digest.from` {:?}: {e}", digest.from),
            )
        })?;
        Ok(Confirmations {
            config,
            digest,
            templates: Templates::load(&config.templates_dir)?,
            delivery: Delivery::from_config(config, digest)?,
            from,
            inliner: css_inline::CSSInliner::options()
                .keep_at_rules(true)
                .keep_style_tags(false)
                .build(),
        })
    }

    /// A message from the templates `STEM.html` and `STEM.txt`, with the
    /// subject from the strings table's `STEM_subject`.
    pub(crate) fn compose(
        &self,
        stem: &str,
        mut context: tera::Context,
        email: &str,
        name: Option<&str>,
        message_id: &str,
    ) -> Result<Message, Error> {
        let lang = &self.config.language;
        context.insert("site", &SiteView::new(self.config));
        context.insert("lang", lang);
        context.insert("subscriber", &json!({ "email": email, "name": name }));
        let html = self.templates.render(&format!("{stem}.html"), &context)?;
        let html = self.inliner.inline(&html).map_err(|e| Error::Template {
            name: format!("{stem}.html"),
            message: format!("inlining CSS: {e}"),
        })?;
        let plain = self.templates.render(&format!("{stem}.txt"), &context)?;
        let subject = crate::render::strings::lookup(lang, &format!("{stem}_subject"), |key| {
            (key == "site").then_some(std::borrow::Cow::Borrowed(self.config.title.as_str()))
        })
        .unwrap_or_default();
        let address: Address = email
            .parse()
            .map_err(|e| Error::Mail(format!("{email}: {e}")))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(name.map(one_line), address))
            .subject(one_line(&subject))
            .date(crate::clock::now().into())
            .message_id(Some(message_id.to_string()))
            // Not bulk mail: auto-responders should not answer it.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".into(),
            ));
        if let Some(reply_to) = &self.digest.reply_to {
            if let Ok(reply_to) = reply_to.parse::<Mailbox>() {
                builder = builder.reply_to(reply_to);
            }
        }
        builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(plain))
                    .singlepart(SinglePart::html(html_body(&html))),
            )
            .map_err(|e| Error::Mail(format!("building the {stem} message to {email}: {e}")))
    }

    /// Sends one confirmation; the error says why it could not go.
    pub(crate) fn send(
        &self,
        message: &Message,
        message_id: &str,
        email: &str,
    ) -> Result<(), String> {
        let stamp = crate::clock::now().format("%Y%m%dT%H%M%S%.6f");
        let safe: String = email
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '@') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let name = format!("confirm/{stamp}-{safe}.eml");
        match self.delivery.transport.sender().deliver(
            message,
            message_id,
            &name,
            self.delivery.policy,
        ) {
            Outcome::Sent { .. } => Ok(()),
            Outcome::Failed { error, .. } | Outcome::Deferred { error, .. } => Err(error),
            Outcome::Skipped { reason } => Err(reason),
        }
    }

    /// Composes and sends `stem`'s message; returns its Message-ID (made
    /// from `label`), for the ledger to recognise a bounce of it.
    fn mail(
        &self,
        secret: &str,
        stem: &str,
        context: tera::Context,
        (email, name): (&str, Option<&str>),
        label: &str,
    ) -> Result<String, String> {
        let message_id = format!(
            "<{stem}.{}@{}>",
            tokens::message_id_tag(secret, label, email),
            self.from.email.domain()
        );
        let message = self
            .compose(stem, context, email, name, &message_id)
            .map_err(|e| crate::error::chain(&e))?;
        self.send(&message, &message_id, email)?;
        Ok(message_id)
    }

    /// Welcomes `email` after their confirmation, with their preferences
    /// link; returns the message's Message-ID.
    pub(crate) fn send_welcome(
        &self,
        secret: &str,
        serve: &ServeConfig,
        email: &str,
        name: Option<&str>,
        signup: i64,
    ) -> Result<String, String> {
        let mut context = tera::Context::new();
        let token = tokens::unsubscribe(secret, email);
        context.insert("preferences_url", &serve.preferences_url(&token));
        self.mail(
            secret,
            "welcome",
            context,
            (email, name),
            &format!("welcome-{signup}"),
        )
    }

    /// Makes a confirmation link for the sign-up `signup` of `email`
    /// (valid `serve.confirm_hours`) and mails it; returns the message's
    /// Message-ID.
    pub(crate) fn send_link(
        &self,
        secret: &str,
        serve: &ServeConfig,
        email: &str,
        name: Option<&str>,
        signup: i64,
    ) -> Result<String, String> {
        let expires = crate::clock::unix_now() + i64::from(serve.confirm_hours) * 3600;
        let token = tokens::confirm(secret, email, expires, signup);
        let mut context = tera::Context::new();
        context.insert(
            "confirm_url",
            &format!("{}?token={token}", serve.endpoint(&serve.confirm_path)),
        );
        context.insert("hours", &serve.confirm_hours);
        let label = format!("confirm-{signup}-{expires}");
        self.mail(secret, "confirm", context, (email, name), &label)
    }
}
