//! `gazette subscribers …` and `gazette bounces`: the subscribers from the
//! command line. Every address given here goes through
//! `address::canonical` first, as it does on every other way in.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::confirm::Confirmations;
use crate::config::Config;
use crate::error::{Error, Report};
use crate::ledger::roster::ConsentEvent;
use crate::ledger::roster::SignUpRequest;
use crate::ledger::signing_secret;
use crate::ledger::{ImportCounts, Ledger, Member, SignUp};
use crate::subscribers::address;
use crate::subscribers::consent::{Change, State};
use crate::subscribers::list;

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Opens the ledger for writing, with its tokens current.
fn open(config: &Config) -> Result<(Ledger, String), Error> {
    let digest = config.digest_settings()?;
    let mut ledger = Ledger::open_for(digest)?;
    let secret = signing_secret(digest, Some(&ledger))?;
    ledger.refresh_tokens(&secret)?;
    Ok((ledger, secret))
}

/// An address typed on the command line, in canonical form.
fn canonical_arg(email: &str) -> Result<String, Error> {
    address::canonical(email).map_err(|why| {
        Error::Usage(format!(
            "{email:?} is not an e-mail address gazette mails: {why}"
        ))
    })
}

/// `subscribers import FILE`: the list into the ledger (see `Ledger::import`).
pub fn import(
    config: &Config,
    file: &Path,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<ImportCounts, Error> {
    let rows = list::rows(file)?;
    let (mut ledger, secret) = open(config)?;
    let source = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let rows = rows.filter_map(|row| row.map_err(|skipped| report.push(skipped)).ok());
    ledger.import(rows, &source, &secret, &stamp(now))
}

/// Every subscriber (or those in `state`); an absent ledger has none.
pub fn list(config: &Config, state: Option<State>) -> Result<Vec<Member>, Error> {
    let digest = config.digest_settings()?;
    match Ledger::open_read_only_for(digest)? {
        Some(ledger) => ledger.members(state),
        None => Ok(Vec::new()),
    }
}

/// The subscribers as CSV: a file `import` reads back as it was, so that
/// export → import → export gives the same bytes.
pub fn export(config: &Config) -> Result<String, Error> {
    let members = list(config, None)?;
    let mut columns: Vec<String> = Vec::new();
    for member in &members {
        for key in member.fields.keys() {
            if !list::RESERVED_COLUMNS.contains(&key.as_str()) && !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = list::RESERVED_COLUMNS.to_vec();
    header.extend(columns.iter().map(String::as_str));
    let failed = |e: csv::Error| Error::Output {
        path: "CSV".into(),
        message: e.to_string(),
    };
    writer.write_record(&header).map_err(failed)?;
    for member in &members {
        let mut row = vec![
            member.email.clone(),
            member.name.clone().unwrap_or_default(),
            member.state.to_string(),
            member.source.clone(),
            member.created_at.clone(),
            member.confirmed_at.clone().unwrap_or_default(),
            member.unsubscribed_at.clone().unwrap_or_default(),
            member
                .choice
                .cadence
                .map(|c| c.to_string())
                .unwrap_or_default(),
            member.choice.topics_text(),
        ];
        row.extend(
            columns
                .iter()
                .map(|c| member.fields.get(c).cloned().unwrap_or_default()),
        );
        writer
            .write_record(row.iter().map(|cell| list::escape_cell(cell).into_owned()))
            .map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::Output {
        path: "CSV".into(),
        message: e.to_string(),
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What `add` did.
#[derive(Debug)]
pub enum Added {
    /// Receives digests.
    Active,
    /// Pending; a confirmation message was sent.
    ConfirmationSent,
    /// Was active already; nothing sent.
    AlreadyActive,
    /// Unsubscribed or complained: only the person can come back, by
    /// signing up and confirming. Nothing changed.
    Refused(State),
}

/// `subscribers add EMAIL`: active at once with `confirmed`, else pending
/// with a confirmation message (which needs `[serve]` for its link).
pub fn add(
    config: &Config,
    email: &str,
    name: Option<&str>,
    confirmed: bool,
    choice: &crate::subscribers::Choice,
    now: DateTime<Utc>,
) -> Result<Added, Error> {
    let email = canonical_arg(email)?;
    let choice = choice
        .clone()
        .checked(&config.digest_settings()?.topics)
        .map_err(Error::Usage)?;
    let (mut ledger, secret) = open(config)?;
    let now = stamp(now);
    if confirmed {
        let added = match ledger.add_by_owner(&email, name, &secret, &now)? {
            (Some(before @ (State::Unsubscribed | State::Complained)), _) => {
                return Ok(Added::Refused(before))
            }
            _ => Added::Active,
        };
        ledger.set_choice(&email, &choice, false)?;
        return Ok(added);
    }
    let serve = config.serve.as_ref().ok_or_else(|| {
        Error::config(
            &config.file,
            "a confirmation link needs `gazette serve` ([serve] section) to answer it; add --confirmed if the person already agreed",
        )
    })?;
    let request = SignUpRequest {
        email: &email,
        name,
        source: "cli",
        evidence: None,
        queue_confirmation: false,
    };
    let signed_up = ledger.sign_up(&request, &secret, &now)?;
    ledger.set_choice(&email, &choice, false)?;
    match signed_up {
        SignUp::AlreadyActive => Ok(Added::AlreadyActive),
        SignUp::Confirm(signup) => {
            let message_id = Confirmations::new(config)?
                .send_link(&secret, serve, &email, name, signup)
                .map_err(|e| Error::Mail(format!("the confirmation to {email}: {e}")))?;
            ledger.record_sent_message(&message_id, &email, &now)?;
            Ok(Added::ConfirmationSent)
        }
    }
}

/// Unsubscribes `email`; the state it had, `None` when unknown.
pub fn remove(config: &Config, email: &str, now: DateTime<Utc>) -> Result<Option<State>, Error> {
    let email = canonical_arg(email)?;
    let (mut ledger, _) = open(config)?;
    Ok(ledger
        .change(&email, Change::Unsubscribed, "cli", None, &stamp(now))?
        .0)
}

/// `subscribers history EMAIL`: the consent log of one address.
pub fn history(config: &Config, email: &str) -> Result<Vec<ConsentEvent>, Error> {
    let email = canonical_arg(email)?;
    let digest = config.digest_settings()?;
    match Ledger::open_read_only_for(digest)? {
        Some(ledger) => ledger.history(&email),
        None => Ok(Vec::new()),
    }
}

/// Everything the ledger holds on one person (`subscribers export EMAIL --json`).
#[derive(Debug, Serialize)]
pub struct PersonalData {
    /// The address asked about.
    pub email: String,
    /// The subscriber row, if there is one.
    pub subscriber: Option<Member>,
    /// The consent log.
    pub history: Vec<ConsentEvent>,
    /// Every digest message sent (or meant) to the address.
    pub messages: Vec<crate::ledger::SentTo>,
}

/// `subscribers export EMAIL --json`.
pub fn personal_data(config: &Config, email: &str) -> Result<PersonalData, Error> {
    let email = canonical_arg(email)?;
    let digest = config.digest_settings()?;
    let Some(ledger) = Ledger::open_read_only_for(digest)? else {
        return Ok(PersonalData {
            email,
            subscriber: None,
            history: Vec::new(),
            messages: Vec::new(),
        });
    };
    Ok(PersonalData {
        subscriber: ledger.member(&email)?,
        history: ledger.history(&email)?,
        messages: ledger.sent_to(&email)?,
        email,
    })
}

/// `subscribers forget EMAIL`: erases what the ledger holds of the person
/// and keeps a keyed hash so no import adds them again. Whether anything
/// was held.
pub fn forget(config: &Config, email: &str, now: DateTime<Utc>) -> Result<bool, Error> {
    let email = canonical_arg(email)?;
    let (mut ledger, secret) = open(config)?;
    ledger.forget(&email, &secret, &stamp(now))
}

/// `gazette bounces PATH`.
pub fn bounces(
    config: &Config,
    path: &Path,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<Vec<super::bounces::Handled>, Error> {
    let digest = config.digest_settings()?;
    let (mut ledger, _) = open(config)?;
    super::bounces::process(
        &mut ledger,
        path,
        &super::bounces::Addresses {
            return_path: digest.return_path.as_deref(),
            unsubscribe_mailto: digest.unsubscribe_mailto.as_deref(),
        },
        digest.soft_bounce_limit,
        &stamp(now),
        report,
    )
}

/// `gazette ledger migrate`: creates the ledger the config names, or brings
/// it to this gazette's schema; the store and the schema version it has.
pub fn migrate(config: &Config) -> Result<(String, i64), Error> {
    let digest = config.digest_settings()?;
    Ledger::open_for(digest)?.describe()
}

/// `gazette ledger copy FROM TO`: the ledger at `from` (an SQLite file or a
/// PostgreSQL URL) copied into the new, empty ledger at `to`, checked by
/// counts and checksums of every table; PostgreSQL passwords come from the
/// environment variable `password_env`.
pub fn copy_ledger(
    from: &Path,
    to: &Path,
    password_env: &str,
) -> Result<Vec<super::Copied>, Error> {
    if from == to {
        return Err(Error::Usage(format!(
            "{} is both the source and the target of the copy",
            from.display()
        )));
    }
    if crate::config::postgres_url(from).is_none() && !from.exists() {
        return Err(Error::Usage(format!("{}: no such ledger", from.display())));
    }
    let mut source = Ledger::open_at(from, password_env)?;
    let mut target = Ledger::open_at(to, password_env)?;
    source.copy_to(&mut target)
}
