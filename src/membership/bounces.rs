//! `gazette bounces`: reads the mail that comes back — delivery status
//! notifications (RFC 3464), feedback reports (RFC 5965, ARF) and requests
//! to the `List-Unsubscribe` mailto address — from a Maildir, an mbox file
//! or single message files, and records what they say about subscribers.
//!
//! Anyone can write a bounce, so a report changes a subscriber only when it
//! proves it answers our own message: the VERP token of the return path the
//! message went out with, or a Message-ID the ledger recorded as sent to
//! that address. The address a report names is never enough. A mailto
//! request proves itself with the unsubscribe token only our message
//! carried. Each report is processed once, by its own Message-ID (or a
//! hash of it), so running again over the same mailbox changes nothing.
//! Messages are read one at a time with bounded size and nesting, so one
//! hostile message is reported and skipped and the rest still count.

use std::path::{Path, PathBuf};

use mail_parser::{Message, MessageParser, MimeHeaders};
use serde::Serialize;
use sha2::Digest;

use crate::error::{Diagnostic, Error, Report};
use crate::ledger::Ledger;
use crate::subscribers::consent::{Change, State};

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
    /// A request to the `List-Unsubscribe` mailto address.
    Unsubscribe,
}

impl Kind {
    fn as_str(&self) -> &'static str {
        match self {
            Kind::Hard => "hard",
            Kind::Soft => "soft",
            Kind::Complaint => "complaint",
            Kind::Unsubscribe => "unsubscribe",
        }
    }
}

/// A report read from a message, before it is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of report it is: the worst of what it says of its recipients.
    pub kind: Kind,
    /// Addresses the report names as the failed or complaining recipient,
    /// each with what it says of that one.
    pub recipients: Vec<(String, Kind)>,
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
    crate::subscribers::address::canonical(address).ok()
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
                .filter_map(|a| crate::subscribers::address::canonical(a).ok())
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
                let address = field(group, "final-recipient")
                    .or_else(|| field(group, "original-recipient"))
                    .and_then(address_of);
                recipients.push((address, this.clone()));
                status = status.or(code);
                kind = match (kind, this) {
                    (Some(Kind::Hard), _) | (_, Kind::Hard) => Some(Kind::Hard),
                    (_, this) => Some(this),
                };
            }
            let kind = kind?;
            // A group that names no address stands for the returned
            // message's recipients.
            let mut named: Vec<(String, Kind)> = Vec::new();
            for (address, this) in recipients {
                match address {
                    Some(address) => named.push((address, this)),
                    None => named.extend(
                        original_recipients
                            .iter()
                            .map(|a| (a.clone(), this.clone())),
                    ),
                }
            }
            Some(Finding {
                kind,
                recipients: named,
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
                recipients: recipients
                    .into_iter()
                    .map(|a| (a, Kind::Complaint))
                    .collect(),
                original_ids,
                status: Some(feedback),
            })
        }
        _ => None,
    }
}

/// Messages larger than this are not reports of ours (a DSN returns at
/// most our message, a few tens of KB): skipped unread.
const MAX_MESSAGE: usize = 10 << 20;
/// More MIME parts that nest (`multipart/*`, `message/*`) than any report
/// has: a message built to exhaust the parser's stack is skipped unread.
const MAX_NESTED_PARTS: usize = 64;

/// How many MIME parts of `raw` can hold other parts, counting folded
/// `Content-Type` lines too. Linear, and reads nothing else.
fn nesting_parts(raw: &[u8]) -> usize {
    raw.split(|&b| b == b'\n')
        .filter(|line| {
            let line = line.trim_ascii_start();
            let value = match line.get(..13) {
                Some(name) if name.eq_ignore_ascii_case(b"content-type:") => {
                    line[13..].trim_ascii_start()
                }
                _ => line,
            };
            let starts = |prefix: &[u8]| {
                value
                    .get(..prefix.len())
                    .is_some_and(|v| v.eq_ignore_ascii_case(prefix))
            };
            starts(b"multipart/") || starts(b"message/")
        })
        .count()
}

/// Why a message is not read at all, if it is one to skip.
fn unreadable(raw: &[u8], too_large: bool) -> Option<String> {
    if too_large {
        return Some(format!("larger than {} MiB: skipped", MAX_MESSAGE >> 20));
    }
    let parts = nesting_parts(raw);
    (parts > MAX_NESTED_PARTS).then(|| {
        format!("{parts} nested MIME parts (at most {MAX_NESTED_PARTS} are read): skipped")
    })
}

/// Calls `each` with every message in `path` (a Maildir's `cur` and `new`,
/// an mbox file, a folder of message files, or one message file), one at a
/// time: a large mailbox is never held whole. `each` is told whether the
/// message was cut at `MAX_MESSAGE`.
fn for_each_message(
    path: &Path,
    mut each: impl FnMut(String, &[u8], bool) -> Result<(), Error>,
) -> Result<(), Error> {
    use std::io::{BufRead, Read};
    let read_capped = |file: &Path| -> Result<(Vec<u8>, bool), Error> {
        let mut bytes = Vec::new();
        std::fs::File::open(file)
            .and_then(|f| f.take(MAX_MESSAGE as u64 + 1).read_to_end(&mut bytes))
            .map_err(|e| Error::io(file, e))?;
        let cut = bytes.len() > MAX_MESSAGE;
        bytes.truncate(MAX_MESSAGE);
        Ok((bytes, cut))
    };
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
                let (bytes, cut) = read_capped(&file)?;
                each(file.display().to_string(), &bytes, cut)?;
            }
        }
        return Ok(());
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = std::io::BufReader::new(file);
    let mut first = Vec::new();
    reader.fill_buf().map_err(|e| Error::io(path, e))?;
    if !reader.buffer().starts_with(b"From ") {
        let (bytes, cut) = read_capped(path)?;
        return each(path.display().to_string(), &bytes, cut);
    }
    // mbox (mboxrd): a "From " line starts each message; ">From " in a body
    // is unquoted by one ">".
    let mut message = Vec::new();
    let mut cut = false;
    let mut index = 0;
    let mut line = std::mem::take(&mut first);
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(path, e))?;
        if read == 0 || line.starts_with(b"From ") {
            if index > 0 {
                each(format!("{}#{index}", path.display()), &message, cut)?;
            }
            if read == 0 {
                return Ok(());
            }
            index += 1;
            message.clear();
            cut = false;
            continue;
        }
        let quoted = line
            .iter()
            .position(|&b| b != b'>')
            .is_some_and(|i| i > 0 && line[i..].starts_with(b"From "));
        let text = if quoted { &line[1..] } else { &line[..] };
        if message.len() + text.len() > MAX_MESSAGE {
            cut = true;
        } else {
            message.extend_from_slice(text);
        }
    }
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

/// Addresses a message was delivered to, where a VERP token would be.
fn delivered_to(message: &Message<'_>) -> Vec<String> {
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

/// The addresses of `digest` that mail comes back to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Addresses<'a> {
    /// `digest.return_path`, with its `{token}` (VERP) if it has one.
    pub return_path: Option<&'a str>,
    /// `digest.unsubscribe_mailto`.
    pub unsubscribe_mailto: Option<&'a str>,
}

/// The unsubscribe token of a request to the mailto address, if `message`
/// is one: sent to that address, with the subject our header asked for
/// ("unsubscribe TOKEN").
fn mailto_token(message: &Message<'_>, mailto: &str) -> Option<String> {
    let mailto = crate::subscribers::address::canonical(mailto).ok()?;
    let to_us = delivered_to(message)
        .iter()
        .any(|a| crate::subscribers::address::canonical(a).is_ok_and(|a| a == mailto));
    if !to_us {
        return None;
    }
    let subject = message.subject()?.trim();
    let words: Vec<&str> = subject.split_whitespace().collect();
    match words.as_slice() {
        [.., verb, token] if verb.eq_ignore_ascii_case("unsubscribe") => {
            let token = token.to_ascii_lowercase();
            (token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit())).then_some(token)
        }
        _ => None,
    }
}

/// What a server's refusal of one recipient at RCPT TO (as the send
/// recorded it) says of the address: many refusals never become a DSN, so
/// this is the bounce. "User unknown"-class answers (5.1.x, 5.2.1, 5.7.1,
/// or a bare 550/551/553) are hard; other 5xx and every 4xx count as soft.
pub(crate) fn rcpt_refusal(error: &str) -> Option<Kind> {
    if !error.contains(crate::mail::smtp_client::AT_RCPT) {
        return None;
    }
    let mut words = error.split_whitespace();
    let code: u16 = words.next()?.parse().ok()?;
    let enhanced = words
        .next()
        .filter(|w| w.split('.').count() == 3 && w.chars().all(|c| c.is_ascii_digit() || c == '.'));
    match code / 100 {
        4 => Some(Kind::Soft),
        5 => {
            let unknown = match enhanced {
                Some(e) => e.starts_with("5.1.") || e == "5.2.1" || e == "5.7.1",
                None => matches!(code, 550 | 551 | 553),
            };
            Some(if unknown { Kind::Hard } else { Kind::Soft })
        }
        _ => None,
    }
}

/// Records what refusals at RCPT TO say of their addresses (see
/// `rcpt_refusal`), with the server's answer as evidence.
pub(crate) fn record_refusals<'a>(
    ledger: &mut Ledger,
    refused: impl IntoIterator<Item = (&'a str, &'a str)>,
    soft_limit: u32,
    now: &str,
) -> Result<(), Error> {
    for (email, error) in refused {
        match rcpt_refusal(error) {
            Some(Kind::Hard) => {
                ledger.change(email, Change::Bounced, "rcpt", Some(error), now)?;
            }
            Some(_) => {
                ledger.soft_bounce(email, soft_limit, "rcpt", Some(error), now)?;
            }
            None => {}
        }
    }
    Ok(())
}

/// Processes every message in `path` against the ledger.
pub fn process(
    ledger: &mut Ledger,
    path: &Path,
    addresses: &Addresses<'_>,
    soft_limit: u32,
    now: &str,
    report: &mut Report,
) -> Result<Vec<Handled>, Error> {
    let mut handled = Vec::new();
    for_each_message(path, |source, raw, cut| {
        let outcome = if let Some(why) = unreadable(raw, cut) {
            report.push(Diagnostic::warning(Path::new(&source), None, why.clone()));
            Handled {
                source,
                kind: None,
                email: None,
                result: why,
            }
        } else {
            one(ledger, source, raw, addresses, soft_limit, now)?
        };
        handled.push(outcome);
        Ok(())
    })?;
    Ok(handled)
}

/// A message handled by leaving it alone, and why.
fn left(source: String, kind: Option<Kind>, email: Option<String>, result: &str) -> Handled {
    Handled {
        source,
        kind,
        email,
        result: result.to_string(),
    }
}

/// An unsubscribe request mailed to the `List-Unsubscribe` address with
/// the token of one of our messages.
fn mailto_unsubscribe(
    ledger: &mut Ledger,
    source: String,
    headers: &mail_parser::Message<'_>,
    token: &str,
    shown_id: &str,
    now: &str,
) -> Result<Handled, Error> {
    let Some(member) = ledger.member_by_token(token)? else {
        return Ok(left(
            source,
            Some(Kind::Unsubscribe),
            None,
            "unknown unsubscribe token: left alone",
        ));
    };
    let from = headers
        .from()
        .and_then(|f| f.first())
        .and_then(|a| a.address())
        .unwrap_or("-")
        .to_string();
    let evidence = format!("request {shown_id} from {from}, with the token of our message");
    let (_, after) = ledger.change(
        &member.email,
        Change::Unsubscribed,
        "mailto",
        Some(&evidence),
        now,
    )?;
    let result = after.map_or("no such subscriber".into(), |s| s.to_string());
    Ok(Handled {
        source,
        kind: Some(Kind::Unsubscribe),
        email: Some(member.email),
        result,
    })
}

/// Proof that a report answers our message: the VERP token of the copy
/// that bounced, else its Message-ID as the ledger recorded it. Gives the
/// recipient and how they were matched.
fn proof_of_ours(
    ledger: &Ledger,
    addresses: &Addresses<'_>,
    headers: &mail_parser::Message<'_>,
    finding: &Finding,
) -> Result<Option<(String, String)>, Error> {
    if let Some(template) = addresses.return_path.filter(|t| t.contains("{token}")) {
        for address in delivered_to(headers) {
            if let Some(token) = verp_token(template, &address) {
                if let Some(member) = ledger.member_by_token(&token)? {
                    return Ok(Some((member.email, format!("VERP token of {address}"))));
                }
            }
        }
    }
    for id in &finding.original_ids {
        if let Some(email) = ledger.recipient_of(id)? {
            let how = format!("our Message-ID <{}>", id.trim_matches(['<', '>']));
            return Ok(Some((email, how)));
        }
    }
    Ok(None)
}

/// What `process` does with one message.
fn one(
    ledger: &mut Ledger,
    source: String,
    raw: &[u8],
    addresses: &Addresses<'_>,
    soft_limit: u32,
    now: &str,
) -> Result<Handled, Error> {
    let Some(headers) = MessageParser::default().parse_headers(raw) else {
        return Ok(left(source, None, None, "not a message: left alone"));
    };
    let report_id = headers
        .message_id()
        .map(str::to_string)
        .unwrap_or_else(|| hex::encode(&sha2::Sha256::digest(raw)[..16]));
    let shown_id = headers
        .message_id()
        .map_or_else(|| format!("sha256:{report_id}"), |id| format!("<{id}>"));
    if let Some(token) = addresses
        .unsubscribe_mailto
        .and_then(|m| mailto_token(&headers, m))
    {
        return mailto_unsubscribe(ledger, source, &headers, &token, &shown_id, now);
    }
    let Some(finding) = read(raw) else {
        return Ok(left(
            source,
            None,
            None,
            "not a bounce or complaint: left alone",
        ));
    };
    let proof = proof_of_ours(ledger, addresses, &headers, &finding)?;
    let named = finding.recipients.first().map(|(a, _)| a.clone());
    let Some((email, how)) = proof else {
        return Ok(left(
            source,
            Some(finding.kind),
            named,
            "unverified: left alone",
        ));
    };
    // What the report says of this recipient: a delayed one is soft
    // whatever happened to others named in the same report.
    let kind = match finding.recipients.iter().find(|(a, _)| *a == email) {
        Some((_, kind)) => kind.clone(),
        None if finding.recipients.iter().all(|(_, k)| *k == finding.kind) => finding.kind.clone(),
        None => Kind::Soft,
    };
    if !ledger.first_time_report(&report_id, Some(&email), kind.as_str(), now)? {
        return Ok(left(source, Some(kind), Some(email), "already processed"));
    }
    let status = finding.status.as_deref().unwrap_or("-");
    let evidence = format!("report {shown_id} ({status}), matched by {how}");
    let result = match kind {
        Kind::Hard | Kind::Complaint | Kind::Unsubscribe => {
            let (change, origin) = match kind {
                Kind::Complaint => (Change::Complained, "complaint report"),
                _ => (Change::Bounced, "bounce report"),
            };
            ledger
                .change(&email, change, origin, Some(&evidence), now)?
                .1
                .map_or("no such subscriber".into(), |s| s.to_string())
        }
        Kind::Soft => {
            match ledger.soft_bounce(&email, soft_limit, "bounce report", Some(&evidence), now)? {
                Some((State::Active, count)) => {
                    format!("soft bounce {count} of {soft_limit}: still active")
                }
                Some((state, _)) => state.to_string(),
                None => "no such subscriber".into(),
            }
        }
    };
    Ok(Handled {
        source,
        kind: Some(kind),
        email: Some(email),
        result,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_at_rcpt_are_hard_only_for_unknown_users() {
        let at = crate::mail::smtp_client::AT_RCPT;
        assert_eq!(
            rcpt_refusal(&format!("550 5.1.1 <a@x.org>: user unknown{at}")),
            Some(Kind::Hard)
        );
        assert_eq!(
            rcpt_refusal(&format!("550 5.2.1 mailbox disabled{at}")),
            Some(Kind::Hard)
        );
        assert_eq!(
            rcpt_refusal(&format!("550 no such user{at}")),
            Some(Kind::Hard)
        );
        assert_eq!(
            rcpt_refusal(&format!("552 5.2.2 mailbox full{at}")),
            Some(Kind::Soft)
        );
        assert_eq!(
            rcpt_refusal(&format!("450 4.2.1 try later{at}")),
            Some(Kind::Soft)
        );
        // A refusal of the message (after DATA) says nothing of the address.
        assert_eq!(rcpt_refusal("554 5.7.1 message rejected as spam"), None);
    }

    #[test]
    fn hostile_nesting_is_counted_without_parsing() {
        let mut bomb = String::from("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for _ in 0..1000 {
            bomb.push_str("--b\r\nContent-Type:\r\n message/rfc822\r\n\r\n");
        }
        assert!(unreadable(bomb.as_bytes(), false).is_some());
        assert!(unreadable(b"Content-Type: multipart/report\r\n\r\nbody", false).is_none());
    }

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
