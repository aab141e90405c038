//! Mail on its way out: gazette's own SMTP client, the transports
//! (SMTP, the local MTA's `sendmail`, an outbox folder) with retries, a
//! rate limit and parallel connections, and the parts every message shares.
//! Digests and confirmations both send through here.

pub(crate) mod send;
pub(crate) mod smtp_client;

use lettre::message::{header::ContentTransferEncoding, Body};

use crate::text;

/// What happened to one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server accepted it.
    Sent { message_id: String, attempts: u32 },
    /// The server refused it for good (5xx): recorded, never retried.
    Failed { error: String, attempts: u32 },
    /// Temporary failures used up the attempts: still pending for the next run.
    Deferred { error: String, attempts: u32 },
    /// Not sent, and not to be: the address left the list.
    Skipped { reason: String },
}

/// The HTML part in base64: as safe for mail as quoted-printable and several
/// times cheaper to encode, which counts at thousands of messages a second.
pub(crate) fn html_body(html: &str) -> Body {
    Body::new_with_encoding(html.to_string(), ContentTransferEncoding::Base64)
        .unwrap_or_else(Body::new)
}

/// Header text on one line: a title or name holding CR/LF must not be able
/// to start a header of its own.
pub(crate) fn one_line(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    text::collapse(&cleaned)
}
