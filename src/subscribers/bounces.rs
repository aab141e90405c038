//! `gazette bounces`: reads delivery status notifications (RFC 3464) and
//! feedback reports (RFC 5965, ARF) from a Maildir, an mbox file or single
//! message files, and records what they say about subscribers.
//!
//! A report is matched to a subscriber by the original message's
//! Message-ID (recorded by the ledger for each digest recipient), else by
//! the recipient the report names (`Final-Recipient`, `Original-Rcpt-To`,
//! the returned message's `To`). Each report is processed once, by its own
//! Message-ID (or a hash of it), so running again over the same mailbox
//! changes nothing.

use std::path::{Path, PathBuf};

use mail_parser::{Message, MessageParser, MimeHeaders};
use serde::Serialize;
use sha2::Digest;

use crate::error::{Diagnostic, Error, Report};
use crate::ledger::{Ledger, State};

/// What one report says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A permanent failure (status 5.x.x, action `failed`).
    Hard,
    /// A temporary failure (4.x.x, or action `delayed`).
    Soft,
    /// The recipient marked the message as spam.
    Complaint,
}

/// A report read from a message, before it is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of report it is.
    pub kind: Kind,
    /// Addresses the report names as the failed or complaining recipient.
    pub recipients: Vec<String>,
    /// Message-IDs of the original message it refers to.
    pub original_ids: Vec<String>,
    /// The status code or feedback type reported.
    pub status: Option<String>,
}

/// What `gazette bounces` did with one report.
#[derive(Debug, Clone, Serialize)]
pub struct Handled {
    /// Where the message was read from.
    pub source: String,
    /// What kind of report it is.
    pub kind: Option<Kind>,
    /// The e-mail address.
    pub email: Option<String>,
    /// The subscriber's state afterwards, or why nothing changed.
    pub result: String,
}

/// The `Name: value` fields of a delivery-status or feedback-report body,
/// with folded lines joined; blank lines separate the groups.
fn fields(text: &str) -> Vec<Vec<(String, String)>> {
    let mut groups = vec![Vec::new()];
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if groups
                .last()
                .is_some_and(|g: &Vec<(String, String)>| !g.is_empty())
            {
                groups.push(Vec::new());
            }
            continue;
        }
        let group = groups.last_mut().expect("one group at least");
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = group.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            group.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    groups.retain(|g| !g.is_empty());
    groups
}

fn field<'a>(group: &'a [(String, String)], name: &str) -> Option<&'a str> {
    group
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `rfc822; someone@example.org` → `someone@example.org`.
fn address_of(value: &str) -> Option<String> {
    let address = value.rsplit(';').next()?.trim();
    let address = address.trim_start_matches('<').trim_end_matches('>');
    address.contains('@').then(|| address.to_ascii_lowercase())
}

fn header_ids(message: &Message<'_>) -> Vec<String> {
    message
        .message_id()
        .map(|id| vec![id.to_string()])
        .unwrap_or_default()
}

fn header_recipients(message: &Message<'_>) -> Vec<String> {
    message
        .to()
        .map(|to| {
            to.iter()
                .filter_map(|a| a.address())
                .map(|a| a.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// What the returned original (a `message/rfc822` part or
/// `text/rfc822-headers`) says: its Message-ID and recipients.
fn original(message: &Message<'_>) -> (Vec<String>, Vec<String>) {
    let mut ids = Vec::new();
    let mut recipients = Vec::new();
    for part in &message.parts {
        let Some(content_type) = part.content_type() else {
            continue;
        };
        let subtype = content_type.subtype().unwrap_or("").to_ascii_lowercase();
        let kind = content_type.ctype().to_ascii_lowercase();
        let nested = match (&part.body, kind.as_str(), subtype.as_str()) {
            (mail_parser::PartType::Message(inner), _, _) => Some(inner.clone()),
            (_, "text", "rfc822-headers") | (_, "message", "rfc822-headers") => {
                MessageParser::default()
                    .parse(part.contents())
                    .map(|m| m.into_owned())
            }
            _ => None,
        };
        if let Some(inner) = nested {
            ids.extend(header_ids(&inner));
            recipients.extend(header_recipients(&inner));
        }
    }
    (ids, recipients)
}

/// Reads one message: a DSN, an ARF report, or `None` for other mail.
pub fn read(raw: &[u8]) -> Option<Finding> {
    let message = MessageParser::default().parse(raw)?;
    let content_type = message.content_type()?;
    if !content_type.ctype().eq_ignore_ascii_case("multipart")
        || !content_type
            .subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    {
        return None;
    }
    let report_type = content_type.attribute("report-type")?.to_ascii_lowercase();
    let part_named = |wanted: &str| {
        message.parts.iter().find(|part| {
            part.content_type().is_some_and(|c| {
                c.ctype().eq_ignore_ascii_case("message")
                    && c.subtype().is_some_and(|s| s.eq_ignore_ascii_case(wanted))
            })
        })
    };
    let (original_ids, original_recipients) = original(&message);
    match report_type.as_str() {
        "delivery-status" => {
            let part =
                part_named("delivery-status").or_else(|| part_named("global-delivery-status"))?;
            let text = String::from_utf8_lossy(part.contents()).into_owned();
            let groups = fields(&text);
            // The first group is about the message; the others, one per recipient.
            let mut kind = None;
            let mut recipients = Vec::new();
            let mut status = None;
            for group in groups.iter().skip(1) {
                let action = field(group, "action").unwrap_or("").to_ascii_lowercase();
                let code = field(group, "status")
                    .map(|s| s.split_whitespace().next().unwrap_or("").to_string());
                let this = match (action.as_str(), code.as_deref()) {
                    ("failed", Some(code)) if code.starts_with('4') => Kind::Soft,
                    ("failed", _) => Kind::Hard,
                    ("delayed", _) => Kind::Soft,
                    (_, Some(code)) if code.starts_with('5') => Kind::Hard,
                    (_, Some(code)) if code.starts_with('4') => Kind::Soft,
                    // delivered, relayed, expanded: not a failure.
                    _ => continue,
                };
                if let Some(address) = field(group, "final-recipient")
                    .or_else(|| field(group, "original-recipient"))
                    .and_then(address_of)
                {
                    recipients.push(address);
                }
                status = status.or(code);
                kind = match (kind, this) {
                    (Some(Kind::Hard), _) | (_, Kind::Hard) => Some(Kind::Hard),
                    (_, this) => Some(this),
                };
            }
            Some(Finding {
                kind: kind?,
                recipients: if recipients.is_empty() {
                    original_recipients
                } else {
                    recipients
                },
                original_ids,
                status,
            })
        }
        "feedback-report" => {
            let part = part_named("feedback-report")?;
            let text = String::from_utf8_lossy(part.contents()).into_owned();
            let groups = fields(&text);
            let group = groups.first()?;
            let feedback = field(group, "feedback-type")
                .unwrap_or("abuse")
                .to_ascii_lowercase();
            // Only abuse and fraud reports are complaints; "not-spam" and
            // others are not.
            if !matches!(feedback.as_str(), "abuse" | "fraud" | "virus") {
                return None;
            }
            let mut recipients: Vec<String> = group
                .iter()
                .filter(|(n, _)| n == "original-rcpt-to" || n == "removal-recipient")
                .filter_map(|(_, v)| address_of(v))
                .collect();
            if recipients.is_empty() {
                recipients = original_recipients;
            }
            Some(Finding {
                kind: Kind::Complaint,
                recipients,
                original_ids,
                status: Some(feedback),
            })
        }
        _ => None,
    }
}

/// The messages in `path`: a Maildir (its `cur` and `new`), an mbox file,
/// a folder of message files, or one message file.
fn messages(path: &Path) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut out = Vec::new();
    if path.is_dir() {
        let maildir = path.join("cur").is_dir() || path.join("new").is_dir();
        let folders: Vec<PathBuf> = if maildir {
            vec![path.join("cur"), path.join("new")]
        } else {
            vec![path.to_path_buf()]
        };
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            for file in files {
                let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
                out.push((file.display().to_string(), bytes));
            }
        }
        return Ok(out);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if bytes.starts_with(b"From ") {
        for (index, message) in
            mail_parser::mailbox::mbox::MessageIterator::new(bytes.as_slice()).enumerate()
        {
            match message {
                Ok(message) => out.push((
                    format!("{}#{}", path.display(), index + 1),
                    message.unwrap_contents(),
                )),
                Err(_) => break,
            }
        }
    } else {
        out.push((path.display().to_string(), bytes));
    }
    Ok(out)
}

/// The token in a VERP address made from `template` ("bounce+{token}@…").
fn verp_token(template: &str, address: &str) -> Option<String> {
    let (prefix, suffix) = template.split_once("{token}")?;
    let address = address.to_ascii_lowercase();
    let inner = address
        .strip_prefix(&prefix.to_ascii_lowercase())?
        .strip_suffix(&suffix.to_ascii_lowercase())?;
    (!inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit())).then(|| inner.to_string())
}

/// Addresses a bounce was delivered to, where a VERP token would be.
fn delivered_to(raw: &[u8]) -> Vec<String> {
    let Some(message) = MessageParser::default().parse_headers(raw) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in ["Delivered-To", "X-Original-To", "Envelope-To", "To"] {
        for value in message.header_values(name) {
            if let Some(text) = value.as_text() {
                out.push(
                    text.trim()
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string(),
                );
            } else if let Some(addresses) = value.as_address() {
                out.extend(
                    addresses
                        .iter()
                        .filter_map(|a| a.address())
                        .map(str::to_string),
                );
            }
        }
    }
    out
}

/// Processes every report in `path` against the ledger; `return_path` is
/// `digest.return_path`, whose VERP token names the recipient surely.
pub fn process(
    ledger: &mut Ledger,
    path: &Path,
    return_path: Option<&str>,
    soft_limit: u32,
    now: &str,
    report: &mut Report,
) -> Result<Vec<Handled>, Error> {
    let mut handled = Vec::new();
    for (source, raw) in messages(path)? {
        let Some(finding) = read(&raw) else {
            handled.push(Handled {
                source,
                kind: None,
                email: None,
                result: "not a bounce or complaint: left alone".into(),
            });
            continue;
        };
        let report_id = MessageParser::default()
            .parse_headers(&raw)
            .and_then(|m| m.message_id().map(str::to_string))
            .unwrap_or_else(|| hex::encode(&sha2::Sha256::digest(&raw)[..16]));
        // A VERP address or the original's Message-ID are the surest
        // matches: they name the digest copy that bounced, whatever address
        // forwarding made of it.
        let mut email = None;
        if let Some(template) = return_path {
            for address in delivered_to(&raw) {
                if let Some(token) = verp_token(template, &address) {
                    if let Some(member) = ledger.member_by_token(&token)? {
                        email = Some(member.email);
                        break;
                    }
                }
            }
        }
        for id in finding.original_ids.iter().filter(|_| email.is_none()) {
            if let Some(found) = ledger.recipient_of(id)? {
                email = Some(found);
                break;
            }
        }
        if email.is_none() {
            for address in &finding.recipients {
                if ledger.member(address)?.is_some() {
                    email = Some(address.clone());
                    break;
                }
            }
        }
        let kind_name = match finding.kind {
            Kind::Hard => "hard",
            Kind::Soft => "soft",
            Kind::Complaint => "complaint",
        };
        let Some(email) = email else {
            report.push(Diagnostic::warning(
                Path::new(&source),
                None,
                format!(
                    "{kind_name} report for {} matches no subscriber",
                    finding.recipients.join(", ")
                ),
            ));
            handled.push(Handled {
                source,
                kind: Some(finding.kind),
                email: finding.recipients.first().cloned(),
                result: "no such subscriber".into(),
            });
            continue;
        };
        if !ledger.first_time_report(&report_id, Some(&email), kind_name, now)? {
            handled.push(Handled {
                source,
                kind: Some(finding.kind),
                email: Some(email),
                result: "already processed".into(),
            });
            continue;
        }
        let after = match finding.kind {
            Kind::Hard => ledger
                .set_state(&email, State::Bounced, None, now)?
                .map(|_| State::Bounced),
            Kind::Complaint => ledger
                .set_state(&email, State::Complained, None, now)?
                .map(|_| State::Complained),
            Kind::Soft => ledger.soft_bounce(&email, soft_limit, now)?,
        };
        let result = match (&finding.kind, after) {
            (Kind::Soft, Some(State::Active)) => {
                let count = ledger.member(&email)?.map_or(0, |m| m.soft_bounces);
                format!("soft bounce {count} of {soft_limit}: still active")
            }
            (_, Some(state)) => state.to_string(),
            (_, None) => "no such subscriber".into(),
        };
        handled.push(Handled {
            source,
            kind: Some(finding.kind),
            email: Some(email),
            result,
        });
    }
    Ok(handled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verp_tokens_come_back_from_the_address() {
        let template = "bounce+{token}@example.org";
        assert_eq!(
            verp_token(template, "Bounce+00ff@Example.org").as_deref(),
            Some("00ff")
        );
        assert_eq!(verp_token(template, "bounce+@example.org"), None);
        assert_eq!(verp_token(template, "bounce+zz@example.org"), None);
        assert_eq!(verp_token(template, "other@example.org"), None);
    }

    #[test]
    fn delivery_status_groups_unfold() {
        let groups = fields("Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822;\n a@example.org\nAction: failed\nStatus: 5.1.1\n");
        assert_eq!(groups.len(), 2);
        assert_eq!(
            field(&groups[1], "final-recipient")
                .and_then(address_of)
                .as_deref(),
            Some("a@example.org")
        );
    }
}
