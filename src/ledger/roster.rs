//! The subscribers the ledger keeps: who signed up, who confirmed, who left,
//! whose mail bounces. The CSV list of earlier versions is imported into it,
//! and what the ledger knows of an address (an unsubscribe above all) wins
//! over what a list says.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::store::{args, placeholders, Batch, Db, DbError, Row, Rows, ToArg};
use super::Ledger;
use crate::error::Error;
use crate::subscribers::consent::{Change, State};
use crate::subscribers::list::Subscriber;
use crate::subscribers::tokens;
use crate::subscribers::Choice;

/// A subscriber as the ledger keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// The e-mail address.
    pub email: String,
    /// The name.
    pub name: Option<String>,
    /// Every column of the subscriber list.
    pub fields: BTreeMap<String, String>,
    /// Where the address stands.
    pub state: State,
    /// `import`, `add`, `serve`, or the list file's name.
    pub source: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When the state last changed.
    pub updated_at: String,
    /// When the address was confirmed.
    pub confirmed_at: Option<String>,
    /// When it unsubscribed.
    pub unsubscribed_at: Option<String>,
    /// When it was marked bounced.
    pub bounced_at: Option<String>,
    /// When it was marked complained.
    pub complained_at: Option<String>,
    /// Temporary bounces in a row.
    pub soft_bounces: i64,
    /// Cadence and topics.
    pub choice: Choice,
    /// The reader set them (preferences page): a list import leaves them.
    pub chosen_by_reader: bool,
    /// The last slot of the reader's cadence a digest run handled.
    #[serde(skip)]
    pub handled_slot: Option<String>,
    #[serde(skip)]
    /// The unsubscribe token.
    pub token: String,
}

impl Member {
    /// The member as digest templates see a subscriber.
    pub fn as_subscriber(&self) -> Subscriber {
        self.clone().into_subscriber()
    }

    /// The member as digest templates see a subscriber, without a copy.
    pub fn into_subscriber(self) -> Subscriber {
        let joined = Some(self.joined().to_string());
        Subscriber {
            email: self.email,
            name: self.name,
            fields: self.fields,
            line: None,
            choice: self.choice,
            joined,
            handled_slot: self.handled_slot,
        }
    }

    /// When the address last became a reader: confirmed, or else created.
    pub fn joined(&self) -> &str {
        self.confirmed_at.as_deref().unwrap_or(&self.created_at)
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportCounts {
    /// Addresses new to the ledger.
    pub added: usize,
    /// Known addresses updated.
    pub updated: usize,
    /// Listed, but unsubscribed, bounced or complained in the ledger: left so.
    pub kept_suppressed: usize,
    /// Listed, but erased on request: not added again.
    pub kept_erased: usize,
    /// Addresses the list marked unsubscribed, bounced or complained.
    pub suppressed_by_list: usize,
}

/// A sign-up as it comes in.
#[derive(Debug, Clone, Copy)]
pub struct SignUpRequest<'a> {
    /// The canonical address.
    pub email: &'a str,
    /// The name given, if any.
    pub name: Option<&'a str>,
    /// Where from: `form`, `cli`.
    pub source: &'a str,
    /// What the consent log keeps of it (a keyed hash of the client address).
    pub evidence: Option<&'a str>,
    /// Queue the confirmation message in the ledger's outbox (`serve`), or
    /// leave sending it to the caller (`subscribers add`).
    pub queue_confirmation: bool,
}

/// What a sign-up led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUp {
    /// Send a confirmation for this pending sign-up (the event that opened
    /// it): new, pending again, or coming back after leaving.
    Confirm(i64),
    /// Already receiving the digest: nothing to send.
    AlreadyActive,
}

/// A confirmation message waiting in the ledger's outbox.
#[derive(Debug, Clone)]
pub struct QueuedConfirmation {
    /// Its row.
    pub id: i64,
    /// The canonical address.
    pub email: String,
    /// The name given with the sign-up.
    pub name: Option<String>,
    /// The sign-up it confirms.
    pub signup: i64,
    /// When it was queued (Unix seconds).
    pub created_at: i64,
    /// Attempts so far.
    pub attempts: i64,
    /// The welcome after a confirmation, not a confirmation.
    pub welcome: bool,
}

/// What confirming a sign-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    /// The address is active now (or was already, by this same sign-up).
    Active,
    /// The link belongs to no sign-up that is still open: confirmed and
    /// left since, replaced, or erased. Nothing changed.
    NotOpen,
}

/// One entry of a subscriber's consent log.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentEvent {
    /// When (RFC 3339).
    pub at: String,
    /// What happened (`signed-up`, `confirmed`, `unsubscribed`, …).
    pub change: String,
    /// Where from: `form`, `one-click`, `mailto`, `bounce report`, `rcpt`,
    /// `import FILE:LINE`, `cli`.
    pub source: String,
    /// What proves it: a Message-ID, a server's answer, a hashed client address.
    pub evidence: Option<String>,
    /// The state it left the subscriber in.
    pub state: Option<String>,
}

/// The columns `member` reads; a ledger of schema 3 opened read-only
/// (a preview) has no choices yet.
fn columns(with_choice: bool) -> &'static str {
    if with_choice {
        "address, name, fields, state, source, created_at, updated_at, confirmed_at, unsubscribed_at, bounced_at, complained_at, soft_bounces, token, cadence, topics, chosen_by_reader, handled_slot"
    } else {
        "address, name, fields, state, source, created_at, updated_at, confirmed_at, unsubscribed_at, bounced_at, complained_at, soft_bounces, token, NULL, NULL, 0, NULL"
    }
}

fn member(row: &Row) -> Result<Member, DbError> {
    let fields: String = row.get(2)?;
    let state: String = row.get(3)?;
    Ok(Member {
        email: row.get(0)?,
        name: row.get(1)?,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        state: State::parse(&state).unwrap_or(State::Unsubscribed),
        source: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
        confirmed_at: row.get(7)?,
        unsubscribed_at: row.get(8)?,
        bounced_at: row.get(9)?,
        complained_at: row.get(10)?,
        soft_bounces: row.get(11)?,
        token: row.get(12)?,
        choice: Choice {
            cadence: row
                .get::<Option<String>>(13)?
                .and_then(|c| crate::config::Cadence::parse(&c)),
            topics: Choice::parse_topics(&row.get::<Option<String>>(14)?.unwrap_or_default()),
        },
        chosen_by_reader: row.get(15)?,
        handled_slot: row.get(16)?,
    })
}

/// The column that records when an address entered `state`.
fn stamp_column(state: State) -> Option<&'static str> {
    match state {
        State::Active => Some("confirmed_at"),
        State::Unsubscribed => Some("unsubscribed_at"),
        State::Bounced => Some("bounced_at"),
        State::Complained => Some("complained_at"),
        State::Pending => None,
    }
}

fn state_of(tx: &Db, key: &str) -> Result<Option<State>, DbError> {
    let state: Option<String> = tx.first(
        "SELECT state FROM subscribers WHERE email = ?1",
        args![key],
        |r| r.get(0),
    )?;
    Ok(state.map(|s| State::parse(&s).unwrap_or(State::Unsubscribed)))
}

/// Appends one event to the consent log: address, time, change, source,
/// evidence, the state after.
const LOG: &str = "INSERT INTO consent_events (email, at, change, source, evidence, state)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// A subscriber an import adds, with the dates and origin its list gives.
const ADD: &str = "INSERT INTO subscribers (email, address, name, fields, state, source, token, created_at, updated_at,
         confirmed_at, unsubscribed_at, bounced_at, complained_at, cadence, topics)
     VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

/// The subscribers a chunk of an import adds and the first event of each
/// one's consent log. A chunk holds each address once, so they go in
/// together at its end, a few statements for the lot.
struct Added {
    subscribers: Rows,
    events: Rows,
}

impl Added {
    fn new() -> Added {
        Added {
            subscribers: Rows::new(ADD),
            events: Rows::new(LOG),
        }
    }

    fn push(
        &mut self,
        row: &Subscriber,
        fields: &BTreeMap<String, String>,
        place: &str,
        (source, secret, now): (&str, &str, &str),
    ) {
        let key = row.email.as_str();
        let listed = State::from_list(row.fields.get("status"));
        // A list written by `subscribers export` keeps its dates and
        // origin, so that exporting again gives it back.
        let listed_time = |column: &str| {
            row.fields
                .get(column)
                .filter(|v| chrono::DateTime::parse_from_rfc3339(v).is_ok())
                .map(String::as_str)
        };
        let at =
            |wanted: State, column: &str| listed_time(column).or((listed == wanted).then_some(now));
        let origin = row
            .fields
            .get("source")
            .filter(|s| !s.is_empty())
            .map_or(source, String::as_str);
        let (cadence, topics) = choice_columns(&row.choice);
        self.subscribers.push(args![
            key,
            row.name,
            serde_json::to_string(fields).unwrap_or_else(|_| "{}".into()),
            listed.as_str(),
            origin,
            tokens::unsubscribe(secret, key),
            listed_time("created_at").unwrap_or(now),
            at(State::Active, "confirmed_at"),
            at(State::Unsubscribed, "unsubscribed_at"),
            at(State::Bounced, "updated_at"),
            at(State::Complained, "updated_at"),
            cadence,
            topics,
        ]);
        self.events.push(args![
            key,
            now,
            Change::Listed(listed).as_str(),
            place,
            None::<&str>,
            listed.as_str()
        ]);
    }

    fn insert(&mut self, batch: &mut Batch<'_>) -> Result<(), DbError> {
        batch.push_rows(&mut self.subscribers)?;
        batch.push_rows(&mut self.events)
    }
}

/// How many addresses one query looks up (an import's rows, a send's recipients).
const LOOKUP_CHUNK: usize = 500;

/// The next rows of a list to import, none of them twice (a repeated
/// address starts the next chunk, so that it sees what the first wrote).
fn next_chunk(
    rows: &mut impl Iterator<Item = Subscriber>,
    carried: &mut Option<Subscriber>,
) -> Vec<Subscriber> {
    let mut chunk: Vec<Subscriber> = carried.take().into_iter().collect();
    let mut keys: HashSet<String> = chunk.iter().map(|r| r.email.clone()).collect();
    while chunk.len() < LOOKUP_CHUNK {
        let Some(row) = rows.next() else { break };
        if !keys.insert(row.email.clone()) {
            *carried = Some(row);
            break;
        }
        chunk.push(row);
    }
    chunk
}

/// What the ledger keeps of the chunk's known addresses, by address.
fn known_among(tx: &Db, chunk: &[Subscriber]) -> Result<HashMap<String, Listed>, DbError> {
    let keys: Vec<&dyn ToArg> = chunk.iter().map(|r| &r.email as &dyn ToArg).collect();
    let sql = format!(
        "SELECT name, fields, state, cadence, topics, chosen_by_reader, email FROM subscribers WHERE email IN ({})",
        placeholders(keys.len())
    );
    let rows = tx.all(&sql, &keys, |row| {
        Ok((row.get::<String>(6)?, Listed::from_row(row)?))
    })?;
    Ok(rows.into_iter().collect())
}

/// The chunk's addresses that were erased on request.
fn erased_among(tx: &Db, chunk: &[Subscriber], secret: &str) -> Result<HashSet<String>, DbError> {
    let hashes: HashMap<String, &str> = chunk
        .iter()
        .map(|r| (erased_hash(secret, &r.email), r.email.as_str()))
        .collect();
    let args: Vec<&dyn ToArg> = hashes.keys().map(|h| h as &dyn ToArg).collect();
    let sql = format!(
        "SELECT hash FROM erased WHERE hash IN ({})",
        placeholders(args.len())
    );
    let found: Vec<String> = tx.all(&sql, &args, |row| row.get(0))?;
    Ok(found
        .iter()
        .filter_map(|hash| hashes.get(hash).map(|key| key.to_string()))
        .collect())
}

/// Appends one event to the consent log; returns its id.
fn log(
    tx: &Db,
    key: &str,
    change: Change,
    source: &str,
    evidence: Option<&str>,
    after: Option<State>,
    now: &str,
) -> Result<i64, DbError> {
    tx.value(
        &format!("{LOG} RETURNING id"),
        args![
            key,
            now,
            change.as_str(),
            source,
            evidence,
            after.map(State::as_str)
        ],
    )
}

/// Applies `change` to the existing subscriber `key` inside `tx`: the
/// event is logged, the state it leads to stored (with the time it was
/// entered), an open sign-up closed by anything but a new sign-up. Returns
/// the state before and after; `None` before means no such subscriber and
/// nothing was logged.
fn apply(
    tx: &Db,
    key: &str,
    change: Change,
    source: &str,
    evidence: Option<&str>,
    now: &str,
) -> Result<(Option<State>, Option<State>), DbError> {
    let Some(before) = state_of(tx, key)? else {
        return Ok((None, None));
    };
    let after = State::after(Some(before), change);
    log(tx, key, change, source, evidence, after, now)?;
    let Some(after) = after else {
        return Ok((Some(before), None));
    };
    if after != before {
        tx.execute(
            "UPDATE subscribers SET state = ?2, updated_at = ?3, soft_bounces = 0 WHERE email = ?1",
            args![key, after.as_str(), now],
        )?;
        if let Some(column) = stamp_column(after) {
            tx.execute(
                &format!("UPDATE subscribers SET {column} = ?2 WHERE email = ?1"),
                args![key, now],
            )?;
        }
    }
    if !matches!(change, Change::SignedUp | Change::SoftBounced) {
        tx.execute(
            "UPDATE subscribers SET pending_signup = NULL WHERE email = ?1 AND pending_signup IS NOT NULL",
            args![key],
        )?;
    }
    Ok((Some(before), Some(after)))
}

/// A known subscriber as an import sees it.
struct Listed {
    name: Option<String>,
    fields: BTreeMap<String, String>,
    state: State,
    choice: Choice,
    chosen_by_reader: bool,
}

impl Listed {
    /// Reads `name, fields, state, cadence, topics, chosen_by_reader`.
    fn from_row(row: &Row) -> Result<Listed, DbError> {
        let fields: String = row.get(1)?;
        let state: String = row.get(2)?;
        let cadence: Option<String> = row.get(3)?;
        let topics: Option<String> = row.get(4)?;
        Ok(Listed {
            name: row.get(0)?,
            fields: serde_json::from_str(&fields).unwrap_or_default(),
            state: State::parse(&state).unwrap_or(State::Unsubscribed),
            choice: Choice {
                cadence: cadence.and_then(|c| crate::config::Cadence::parse(&c)),
                topics: Choice::parse_topics(&topics.unwrap_or_default()),
            },
            chosen_by_reader: row.get(5)?,
        })
    }
}

/// The cadence and topics columns of a choice, as stored.
fn choice_columns(choice: &Choice) -> (Option<&'static str>, Option<String>) {
    (
        choice.cadence.map(crate::config::Cadence::as_str),
        (!choice.topics.is_empty()).then(|| choice.topics_text()),
    )
}

/// Records that message `message_id` went to `key`, so that a bounce of it
/// can be told genuine.
fn sent_message(
    batch: &mut Batch<'_>,
    message_id: &str,
    key: &str,
    now: &str,
) -> Result<(), DbError> {
    batch.push(
        "INSERT INTO sent_messages (message_id, email, sent_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (message_id) DO NOTHING",
        args![message_id, key, now],
    )
}

/// The keyed hash under which an erased address is remembered, so that no
/// list brings it back while nothing else of it is kept.
pub(crate) fn erased_hash(secret: &str, key: &str) -> String {
    tokens::keyed(secret, "erased", key)
}

impl Ledger {
    /// Runs `step` in one write transaction (see `Db::write`).
    fn write<T>(&mut self, step: impl FnOnce(&Db) -> Result<T, DbError>) -> Result<T, Error> {
        self.db.write(step).map_err(|e| self.err(e))
    }

    /// Whether the ledger has `table`: a read-only ledger written by an
    /// older gazette may not.
    fn has_table(&self, table: &str) -> Result<bool, Error> {
        self.db.has_table(table).map_err(|e| self.err(e))
    }

    fn member_columns(&self) -> Result<&'static str, Error> {
        let with_choice = self
            .db
            .has_column("subscribers", "cadence")
            .map_err(|e| self.err(e))?;
        Ok(columns(with_choice))
    }

    /// A count of the changes to the subscribers: whatever changes it, a
    /// digest run plans anew.
    pub(crate) fn roster_version(&self) -> Result<Option<String>, Error> {
        self.db
            .first(
                super::schema::roster_version(self.db.engine()),
                args![],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Whether the ledger keeps any subscriber.
    pub(crate) fn has_members(&self) -> Result<bool, Error> {
        if !self.has_table("subscribers")? {
            return Ok(false);
        }
        self.db
            .value("SELECT EXISTS (SELECT 1 FROM subscribers)", args![])
            .map_err(|e| self.err(e))
    }

    /// Every subscriber, or those in `state`, oldest first.
    pub fn members(&self, state: Option<State>) -> Result<Vec<Member>, Error> {
        if !self.has_table("subscribers")? {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM subscribers WHERE CAST(?1 AS TEXT) IS NULL OR state = ?1 ORDER BY created_at, email",
            self.member_columns()?
        );
        self.rows(&sql, args![state.map(State::as_str)], member)
    }

    /// Each active subscriber as a digest plans for them (address, choice,
    /// when they joined, the slot last handled; no columns), in the order
    /// they came: one at a time, so a run holds no list.
    pub(crate) fn for_each_reader(&self, mut each: impl FnMut(Subscriber)) -> Result<(), Error> {
        if !self.has_table("subscribers")? {
            return Ok(());
        }
        let sql = format!(
            "SELECT email, cadence, topics, coalesce(confirmed_at, created_at), handled_slot
             FROM subscribers WHERE state = 'active' ORDER BY {}",
            super::schema::arrival_order(self.db.engine())
        );
        self.each_row(&sql, args![], |row| {
            let mut reader = Subscriber::bare(&row.get::<String>(0)?);
            reader.choice = Choice {
                cadence: row
                    .get::<Option<String>>(1)?
                    .and_then(|c| crate::config::Cadence::parse(&c)),
                topics: Choice::parse_topics(&row.get::<Option<String>>(2)?.unwrap_or_default()),
            };
            reader.joined = row.get(3)?;
            reader.handled_slot = row.get(4)?;
            each(reader);
            Ok(())
        })
    }

    /// The subscribers `keys` as digest templates see them, in that order;
    /// `None` for an address the ledger no longer has.
    pub(crate) fn subscribers(&self, keys: &[String]) -> Result<Vec<Option<Subscriber>>, Error> {
        let columns = self.member_columns()?;
        let mut found: HashMap<String, Subscriber> = HashMap::with_capacity(keys.len());
        // A chunk at a time: one query, not one per reader.
        for part in keys.chunks(LOOKUP_CHUNK) {
            let args: Vec<&dyn ToArg> = part.iter().map(|k| k as &dyn ToArg).collect();
            let sql = format!(
                "SELECT {columns}, email FROM subscribers WHERE email IN ({})",
                placeholders(args.len())
            );
            self.db
                .each(&sql, &args, |row| {
                    let key: String = row.get(17)?;
                    found.insert(key, member(row)?.into_subscriber());
                    Ok(())
                })
                .map_err(|e| self.err(e))?;
        }
        Ok(keys.iter().map(|key| found.remove(key)).collect())
    }

    /// The subscriber with the canonical address `key`.
    pub fn member(&self, key: &str) -> Result<Option<Member>, Error> {
        if !self.has_table("subscribers")? {
            return Ok(None);
        }
        self.db
            .first(
                &format!(
                    "SELECT {} FROM subscribers WHERE email = ?1",
                    self.member_columns()?
                ),
                args![key],
                member,
            )
            .map_err(|e| self.err(e))
    }

    /// The subscriber an unsubscribe token belongs to.
    pub fn member_by_token(&self, token: &str) -> Result<Option<Member>, Error> {
        let token = token.trim().to_ascii_lowercase();
        if token.is_empty() || !self.has_table("subscribers")? {
            return Ok(None);
        }
        self.db
            .first(
                &format!(
                    "SELECT {} FROM subscribers WHERE token = ?1",
                    self.member_columns()?
                ),
                args![token],
                member,
            )
            .map_err(|e| self.err(e))
    }

    /// The consent log of `key`, oldest first.
    pub fn history(&self, key: &str) -> Result<Vec<ConsentEvent>, Error> {
        if !self.has_table("consent_events")? {
            return Ok(Vec::new());
        }
        self.rows(
            "SELECT at, change, source, evidence, state FROM consent_events WHERE email = ?1 ORDER BY id",
            args![key],
            |r| {
                Ok(ConsentEvent {
                    at: r.get(0)?,
                    change: r.get(1)?,
                    source: r.get(2)?,
                    evidence: r.get(3)?,
                    state: r.get(4)?,
                })
            },
        )
    }

    /// Recomputes every stored unsubscribe token when the secret changed
    /// (a `digest.secret_env` set or changed since), so links in new
    /// messages and lookups agree.
    pub fn refresh_tokens(&mut self, secret: &str) -> Result<(), Error> {
        let fingerprint = tokens::unsubscribe(secret, "\0fingerprint");
        let stored = self.meta("token_fingerprint")?;
        if stored.as_deref() == Some(fingerprint.as_str()) {
            return Ok(());
        }
        self.write(|tx| {
            let emails: Vec<String> =
                tx.all("SELECT email FROM subscribers", args![], |r| r.get(0))?;
            for email in emails {
                tx.execute(
                    "UPDATE subscribers SET token = ?2 WHERE email = ?1",
                    args![email, tokens::unsubscribe(secret, &email)],
                )?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('token_fingerprint', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                args![fingerprint],
            )?;
            Ok(())
        })
    }

    /// Imports a subscriber list (rows keyed by canonical address): new
    /// addresses come in as the list says (active unless a `status` column
    /// says otherwise), known ones get the list's name and columns, and
    /// their state follows `State::after` (so an unsubscribe or a complaint
    /// stays). Erased addresses are not added again. Read, merge and write
    /// happen in one write transaction, so a change another process commits
    /// meanwhile (an unsubscribe through `serve`) is never overwritten.
    /// Idempotent: rows the ledger already has as they are cost nothing.
    pub fn import(
        &mut self,
        rows: impl IntoIterator<Item = Subscriber>,
        source: &str,
        secret: &str,
        now: &str,
    ) -> Result<ImportCounts, Error> {
        self.write(|tx| {
            let mut counts = ImportCounts::default();
            let mut batch = tx.batch();
            let mut rows = rows.into_iter();
            let mut carried = None;
            // A chunk of the list at a time: looked up in two queries and
            // written in a batch, and a list of 100,000 is never held.
            loop {
                let chunk = next_chunk(&mut rows, &mut carried);
                if chunk.is_empty() {
                    break;
                }
                // The lookups see what earlier chunks wrote.
                batch.flush()?;
                let mut known = known_among(tx, &chunk)?;
                let erased = erased_among(tx, &chunk, secret)?;
                let mut added = Added::new();
                for row in chunk {
                    let key = row.email.as_str();
                    let current = known.remove(key);
                    let listed = State::from_list(row.fields.get("status"));
                    let mut fields = row.fields.clone();
                    for column in &crate::subscribers::list::RESERVED_COLUMNS[2..] {
                        fields.remove(*column);
                    }
                    let place = match row.line {
                        Some(line) => format!("import {source}:{line}"),
                        None => format!("import {source}"),
                    };
                    let Some(current) = current else {
                        if erased.contains(key) {
                            counts.kept_erased += 1;
                            continue;
                        }
                        counts.added += 1;
                        counts.suppressed_by_list += usize::from(listed.is_suppressed());
                        added.push(&row, &fields, &place, (source, secret, now));
                        continue;
                    };
                    let after = State::after(Some(current.state), Change::Listed(listed));
                    if current.state.is_suppressed()
                        && after == Some(current.state)
                        && !listed.is_suppressed()
                    {
                        counts.kept_suppressed += 1;
                    } else {
                        counts.updated += 1;
                    }
                    // A list that has the columns sets the choice, unless the
                    // reader made their own on the preferences page.
                    let lists_choice =
                        row.fields.contains_key("cadence") || row.fields.contains_key("topics");
                    if lists_choice && !current.chosen_by_reader && current.choice != row.choice {
                        let (cadence, topics) = choice_columns(&row.choice);
                        batch.push(
                            "UPDATE subscribers SET cadence = ?2, topics = ?3 WHERE email = ?1",
                            args![key, cadence, topics],
                        )?;
                    }
                    if current.name != row.name || current.fields != fields {
                        batch.push(
                            "UPDATE subscribers SET name = ?2, fields = ?3 WHERE email = ?1",
                            args![
                                key,
                                row.name,
                                serde_json::to_string(&fields).unwrap_or_else(|_| "{}".into())
                            ],
                        )?;
                    }
                    if after != Some(current.state) {
                        counts.suppressed_by_list += usize::from(listed.is_suppressed());
                        // `apply` reads the row: what waits goes first.
                        batch.flush()?;
                        apply(tx, key, Change::Listed(listed), &place, None, now)?;
                    }
                }
                added.insert(&mut batch)?;
            }
            batch.finish()?;
            Ok(counts)
        })
    }

    /// Addresses among a digest's pending recipients that unsubscribed,
    /// bounced or complained since it was planned.
    pub fn suppressed_pending(&self, digest: &str) -> Result<HashSet<String>, Error> {
        if !self.has_table("subscribers")? {
            return Ok(HashSet::new());
        }
        let rows: Vec<String> = self.rows(
            "SELECT s.email FROM subscribers s
             WHERE s.state IN ('unsubscribed', 'bounced', 'complained')
               AND EXISTS (SELECT 1 FROM recipients r WHERE r.digest_id = ?1 AND r.status = 'pending'
                           AND (r.email = s.address OR r.email = s.email))",
            args![digest],
            |r| r.get(0),
        )?;
        Ok(rows.into_iter().collect())
    }

    /// A sign-up (from `serve` or `subscribers add`) for the canonical
    /// address `key`: logged, and opened as a pending sign-up unless one is
    /// open already (its links stay good) or the address is active. With
    /// `queue`, a confirmation message is queued in the ledger's outbox in
    /// the same transaction (see `claim_confirmations`), so that no sign-up
    /// is lost to a crash or to a relay that does not answer.
    pub fn sign_up(
        &mut self,
        request: &SignUpRequest<'_>,
        secret: &str,
        now: &str,
    ) -> Result<SignUp, Error> {
        let SignUpRequest {
            email: key,
            name,
            source,
            evidence,
            queue_confirmation: queue,
        } = *request;
        let now_unix = chrono::DateTime::parse_from_rfc3339(now).map_or(0, |t| t.timestamp());
        self.write(|tx| {
            let created = tx.execute(
                "INSERT INTO subscribers (email, address, name, state, source, token, created_at, updated_at)
                 VALUES (?1, ?1, ?2, 'pending', ?3, ?4, ?5, ?5) ON CONFLICT (email) DO NOTHING",
                args![key, name, source, tokens::unsubscribe(secret, key), now],
            )? == 1;
            // A new subscriber has no state before and no open sign-up.
            let (before, open) = if created {
                (None, None)
            } else {
                tx.first(
                    "SELECT state, pending_signup FROM subscribers WHERE email = ?1",
                    args![key],
                    |r| Ok((State::parse(&r.get::<String>(0)?), r.get::<Option<i64>>(1)?)),
                )?
                .map_or((None, None), |(state, open)| {
                    (Some(state.unwrap_or(State::Unsubscribed)), open)
                })
            };
            let after = State::after(before, Change::SignedUp);
            let id = log(tx, key, Change::SignedUp, source, evidence, after, now)?;
            if before == Some(State::Active) {
                return Ok(SignUp::AlreadyActive);
            }
            // Nothing reads these back: on PostgreSQL they go with the COMMIT.
            let mut then = tx.batch();
            let signup = match open {
                Some(open) => open,
                None => {
                    then.push(
                        "UPDATE subscribers SET pending_signup = ?2 WHERE email = ?1",
                        args![key, id],
                    )?;
                    id
                }
            };
            if queue {
                then.push(
                    "INSERT INTO confirm_outbox (email, name, signup, created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                    args![key, name, signup, now_unix],
                )?;
            }
            then.finish()?;
            Ok(SignUp::Confirm(signup))
        })
    }

    /// Takes up to `limit` queued confirmations that are due at `now` (Unix
    /// seconds) for `lease` seconds: another `serve` sharing the ledger
    /// skips them meanwhile, and a worker that dies frees them by the lease.
    pub fn claim_confirmations(
        &mut self,
        now: i64,
        lease: i64,
        limit: usize,
    ) -> Result<Vec<QueuedConfirmation>, Error> {
        self.write(|tx| {
            let claimed: Vec<QueuedConfirmation> = tx.all(
                "SELECT id, email, name, signup, created_at, attempts, kind FROM confirm_outbox
                 WHERE done IS NULL AND next_at <= ?1 AND claimed_until <= ?1 ORDER BY next_at, id LIMIT ?2",
                args![now, limit as i64],
                |r| {
                    Ok(QueuedConfirmation {
                        id: r.get(0)?,
                        email: r.get(1)?,
                        name: r.get(2)?,
                        signup: r.get(3)?,
                        created_at: r.get(4)?,
                        attempts: r.get(5)?,
                        welcome: r.get::<String>(6)? == "welcome",
                    })
                },
            )?;
            let mut claims = tx.batch();
            for queued in &claimed {
                claims.push(
                    "UPDATE confirm_outbox SET claimed_until = ?2 WHERE id = ?1",
                    args![queued.id, now + lease],
                )?;
            }
            claims.finish()?;
            Ok(claimed)
        })
    }

    /// Records what became of a claimed confirmation: sent (with its
    /// Message-ID, kept so a bounce of it can be told genuine), to be tried
    /// again at a later time (Unix seconds), or given up (`None`).
    pub fn confirmation_done(
        &mut self,
        queued: &QueuedConfirmation,
        outcome: Result<&str, (&str, Option<i64>)>,
        now: &str,
    ) -> Result<(), Error> {
        // Nothing is read: on PostgreSQL the transaction is one round trip.
        self.write(|tx| {
            let mut batch = tx.batch();
            match outcome {
                Ok(message_id) => {
                    batch.push(
                        "UPDATE confirm_outbox SET done = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
                        args![queued.id, format!("sent {now}")],
                    )?;
                    sent_message(&mut batch, message_id, &queued.email, now)?;
                }
                Err((error, Some(retry_at))) => {
                    batch.push(
                        "UPDATE confirm_outbox SET next_at = ?2, claimed_until = 0, attempts = attempts + 1, last_error = ?3 WHERE id = ?1",
                        args![queued.id, retry_at, error],
                    )?;
                }
                Err((error, None)) => {
                    batch.push(
                        "UPDATE confirm_outbox SET done = ?2, attempts = attempts + 1, last_error = ?3 WHERE id = ?1",
                        args![queued.id, format!("given up {now}"), error],
                    )?;
                }
            }
            batch.finish()
        })
    }

    /// Sets `key`'s cadence and topics; `by_reader` when the reader chose
    /// them (the preferences page), which a list import then leaves alone.
    /// An empty choice from the owner changes nothing.
    pub fn set_choice(&mut self, key: &str, choice: &Choice, by_reader: bool) -> Result<(), Error> {
        if !by_reader && *choice == Choice::default() {
            return Ok(());
        }
        let (cadence, topics) = choice_columns(choice);
        self.write(|tx| {
            tx.execute(
                "UPDATE subscribers SET cadence = ?2, topics = ?3, chosen_by_reader = CASE WHEN ?4 = 1 THEN 1 ELSE chosen_by_reader END WHERE email = ?1",
                args![key, cadence, topics, by_reader],
            )?;
            Ok(())
        })
    }

    /// The reader's own choice from the preferences page, logged in the
    /// consent log with what proves it came from them (the signed link).
    /// False when the address is unknown or no longer subscribed.
    pub fn choose(
        &mut self,
        key: &str,
        choice: &Choice,
        evidence: &str,
        now: &str,
    ) -> Result<bool, Error> {
        let (cadence, topics) = choice_columns(choice);
        self.write(|tx| {
            let Some(state) = state_of(tx, key)? else {
                return Ok(false);
            };
            if state.is_suppressed() {
                return Ok(false);
            }
            tx.execute(
                "UPDATE subscribers SET cadence = ?2, topics = ?3, chosen_by_reader = 1 WHERE email = ?1",
                args![key, cadence, topics],
            )?;
            let said = format!(
                "cadence {}, topics {}",
                cadence.unwrap_or("default"),
                topics.as_deref().unwrap_or("all")
            );
            tx.execute(
                "INSERT INTO consent_events (email, at, change, source, evidence, state) VALUES (?1, ?2, 'preferences', 'preferences page', ?3, ?4)",
                args![key, now, format!("{said}; {evidence}"), state.as_str()],
            )?;
            Ok(true)
        })
    }

    /// `subscribers add --confirmed`: the owner says the person agreed. A
    /// new address is active at once; a known one follows `State::after`
    /// (so one who unsubscribed or complained stays so). Returns the state
    /// before (`None`: new) and after.
    pub fn add_by_owner(
        &mut self,
        key: &str,
        name: Option<&str>,
        secret: &str,
        now: &str,
    ) -> Result<(Option<State>, Option<State>), Error> {
        self.write(|tx| {
            let created = tx.execute(
                "INSERT INTO subscribers (email, address, name, state, source, token, created_at, updated_at, confirmed_at)
                 VALUES (?1, ?1, ?2, 'active', 'add', ?3, ?4, ?4, ?4) ON CONFLICT (email) DO NOTHING",
                args![key, name, tokens::unsubscribe(secret, key), now],
            )? == 1;
            if created {
                log(tx, key, Change::AddedByOwner, "cli", None, Some(State::Active), now)?;
                return Ok((None, Some(State::Active)));
            }
            apply(tx, key, Change::AddedByOwner, "cli", None, now)
        })
    }

    /// Confirms the sign-up `signup` of `key`: only while that sign-up is
    /// the open one, so an old link cannot subscribe again someone who left.
    pub fn confirm(
        &mut self,
        key: &str,
        signup: i64,
        evidence: Option<&str>,
        now: &str,
    ) -> Result<Confirmed, Error> {
        self.write(|tx| {
            let open: Option<Option<i64>> = tx.first(
                "SELECT pending_signup FROM subscribers WHERE email = ?1",
                args![key],
                |r| r.get(0),
            )?;
            if open.flatten() != Some(signup) {
                return Ok(Confirmed::NotOpen);
            }
            let evidence = format!(
                "sign-up #{signup}{}",
                evidence.map(|e| format!(", {e}")).unwrap_or_default()
            );
            let (before, after) = apply(
                tx,
                key,
                Change::Confirmed,
                "confirmation link",
                Some(&evidence),
                now,
            )?;
            // A welcome with the preferences link, through the outbox like
            // the confirmation (`serve` sends it).
            if before != Some(State::Active) && after == Some(State::Active) {
                let unix = chrono::DateTime::parse_from_rfc3339(now).map_or(0, |t| t.timestamp());
                tx.execute(
                    "INSERT INTO confirm_outbox (email, name, signup, created_at, next_at, kind)
                     SELECT email, name, CAST(?2 AS BIGINT), CAST(?3 AS BIGINT), CAST(?3 AS BIGINT), 'welcome' FROM subscribers WHERE email = ?1",
                    args![key, signup, unix],
                )?;
            }
            tx.execute(
                "UPDATE subscribers SET confirmed_ip = ?2 WHERE email = ?1",
                args![key, evidence],
            )?;
            Ok(Confirmed::Active)
        })
    }

    /// Applies `change` to `key` (see `State::after`), logging it with its
    /// source and evidence. Returns the state before and after; `None`
    /// before when the address is unknown (nothing is logged then).
    pub fn change(
        &mut self,
        key: &str,
        change: Change,
        source: &str,
        evidence: Option<&str>,
        now: &str,
    ) -> Result<(Option<State>, Option<State>), Error> {
        self.write(|tx| apply(tx, key, change, source, evidence, now))
    }

    /// Counts a soft bounce of an active address; the `limit`-th in a row
    /// marks it bounced. Returns the state after and the count.
    pub fn soft_bounce(
        &mut self,
        key: &str,
        limit: u32,
        source: &str,
        evidence: Option<&str>,
        now: &str,
    ) -> Result<Option<(State, i64)>, Error> {
        self.write(|tx| {
            let row: Option<(String, i64)> = tx.first(
                "SELECT state, soft_bounces FROM subscribers WHERE email = ?1",
                args![key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let Some((state, count)) = row else {
                return Ok(None);
            };
            let state = State::parse(&state).unwrap_or(State::Unsubscribed);
            // Only an active address counts; for the others the report is
            // logged and changes nothing.
            let counts = state == State::Active;
            let count = count + i64::from(counts);
            if counts && count >= i64::from(limit.max(1)) {
                let evidence = format!(
                    "{count} temporary failures in a row{}",
                    evidence
                        .map(|e| format!(", the last: {e}"))
                        .unwrap_or_default()
                );
                let (_, after) = apply(tx, key, Change::Bounced, source, Some(&evidence), now)?;
                return Ok(after.map(|s| (s, count)));
            }
            log(
                tx,
                key,
                Change::SoftBounced,
                source,
                evidence,
                Some(state),
                now,
            )?;
            if counts {
                tx.execute(
                    "UPDATE subscribers SET soft_bounces = ?2, updated_at = ?3 WHERE email = ?1",
                    args![key, count, now],
                )?;
            }
            Ok(Some((state, count)))
        })
    }

    /// Erases what the ledger holds of `key` (its row, its consent log, the
    /// addresses in send records) and keeps a keyed hash of it, so that no
    /// list import adds it again. Returns whether anything was held.
    pub fn forget(&mut self, key: &str, secret: &str, now: &str) -> Result<bool, Error> {
        // Deleted rows are overwritten, not only unlinked, so the address
        // is not left in free pages of the file.
        self.db.erase_deleted().map_err(|e| self.err(e))?;
        let held = self.write(|tx| {
            let mut held = tx.execute("DELETE FROM subscribers WHERE email = ?1", args![key])? > 0;
            held |= tx.execute("DELETE FROM consent_events WHERE email = ?1", args![key])? > 0;
            // Send records keep that a message went out, not to whom.
            let hash = erased_hash(secret, key);
            held |= tx.execute(
                "UPDATE recipients SET email = ?2 WHERE email = ?1",
                args![key, format!("erased:{hash}")],
            )? > 0;
            tx.execute("DELETE FROM test_sends WHERE email = ?1", args![key])?;
            tx.execute(
                "UPDATE bounce_reports SET email = NULL WHERE email = ?1",
                args![key],
            )?;
            tx.execute("DELETE FROM sent_messages WHERE email = ?1", args![key])?;
            tx.execute("DELETE FROM confirm_outbox WHERE email = ?1", args![key])?;
            tx.execute(
                "INSERT INTO erased (hash, at) VALUES (?1, ?2) ON CONFLICT (hash) DO NOTHING",
                args![hash, now],
            )?;
            Ok(held)
        })?;
        // The old pages may still be in the write-ahead log until it is
        // copied back; a reader holding it open only delays this.
        self.db.drop_old_pages();
        Ok(held)
    }

    /// Whether a report (by its own Message-ID) was processed before; records it if not.
    pub fn first_time_report(
        &mut self,
        id: &str,
        email: Option<&str>,
        kind: &str,
        now: &str,
    ) -> Result<bool, Error> {
        let inserted = self
            .db
            .execute(
                "INSERT INTO bounce_reports (id, processed_at, email, kind) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO NOTHING",
                args![id, now, email, kind],
            )
            .map_err(|e| self.err(e))?;
        Ok(inserted == 1)
    }

    /// The recipient a digest or confirmation message went to, by its
    /// Message-ID, as the ledger recorded it when the message was sent.
    pub fn recipient_of(&self, message_id: &str) -> Result<Option<String>, Error> {
        let bare = message_id
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        if bare.is_empty() {
            return Ok(None);
        }
        self.db
            .first(
                "SELECT email FROM recipients WHERE message_id = ?1 OR message_id = ?2
                 UNION ALL SELECT email FROM sent_messages WHERE message_id = ?2
                 LIMIT 1",
                args![bare, format!("<{bare}>")],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Records a message sent outside a digest (a confirmation) by its
    /// Message-ID, so that a bounce of it can be told genuine.
    pub fn record_sent_message(
        &mut self,
        message_id: &str,
        key: &str,
        now: &str,
    ) -> Result<(), Error> {
        self.write(|tx| {
            let mut batch = tx.batch();
            sent_message(&mut batch, message_id, key, now)?;
            batch.finish()
        })
    }
}

/// The people a digest goes to: the rows of the subscriber list that the
/// ledger does not know as unsubscribed, bounced or complained (a list row
/// keeps its line for messages), then the ledger's other active members
/// (signed up through `serve` or `subscribers add`).
pub(crate) fn recipients(
    rows: Vec<Subscriber>,
    ledger: Option<&Ledger>,
) -> Result<Vec<Subscriber>, Error> {
    let members = match ledger {
        Some(ledger) => ledger.members(None)?,
        None => Vec::new(),
    };
    let known: HashMap<String, &Member> = members
        .iter()
        .map(|m| (m.email.to_ascii_lowercase(), m))
        .collect();
    let mut listed = HashSet::new();
    let mut out = Vec::new();
    for mut row in rows {
        let key = row.email.to_ascii_lowercase();
        listed.insert(key.clone());
        let member = known.get(&key);
        let suppressed_in_ledger = member.is_some_and(|m| m.state.is_suppressed());
        if !suppressed_in_ledger && State::from_list(row.fields.get("status")) == State::Active {
            // The ledger's choice is the reader's own or the list's as imported.
            if let Some(member) = member {
                row.choice = member.choice.clone();
                row.joined = Some(member.joined().to_string());
                row.handled_slot = member.handled_slot.clone();
            }
            out.push(row);
        }
    }
    out.extend(
        members
            .iter()
            .filter(|m| m.state == State::Active && !listed.contains(&m.email.to_ascii_lowercase()))
            .map(Member::as_subscriber),
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::tests::{stores, TestPost};
    use crate::ledger::DigestRecord;
    use crate::mail::Outcome;

    const NOW: &str = "2026-01-01T00:00:00Z";

    fn request(email: &str) -> SignUpRequest<'_> {
        SignUpRequest {
            email,
            name: None,
            source: "form",
            evidence: None,
            queue_confirmation: true,
        }
    }

    #[test]
    fn a_delivery_ends_a_run_of_soft_bounces() {
        for store in stores() {
            a_delivery_ends_a_run_of_soft_bounces_on(store.open());
        }
    }

    fn a_delivery_ends_a_run_of_soft_bounces_on(mut ledger: Ledger) {
        ledger
            .add_by_owner("a@example.org", None, "s", NOW)
            .unwrap();
        for expected in 1..=2 {
            let (state, count) = ledger
                .soft_bounce("a@example.org", 3, "bounce report", None, NOW)
                .unwrap()
                .unwrap();
            assert_eq!((state, count), (State::Active, expected));
        }
        let record = DigestRecord {
            id: "d1".into(),
            created_at: NOW.into(),
            since: NOW.into(),
            until: NOW.into(),
            posts: Vec::new(),
            completed_at: None,
        };
        ledger
            .create(&record, &[] as &[TestPost], &["a@example.org".into()], NOW)
            .unwrap();
        let sent = Outcome::Sent {
            message_id: "<m@x>".into(),
            attempts: 1,
        };
        ledger.mark("d1", "a@example.org", &sent, NOW).unwrap();
        let (state, count) = ledger
            .soft_bounce("a@example.org", 3, "bounce report", None, NOW)
            .unwrap()
            .unwrap();
        assert_eq!(
            (state, count),
            (State::Active, 1),
            "counted from zero again"
        );
    }

    #[test]
    fn a_confirmation_counts_once_and_only_for_the_open_sign_up() {
        for store in stores() {
            a_confirmation_counts_once_on(store.open());
        }
    }

    fn a_confirmation_counts_once_on(mut ledger: Ledger) {
        let SignUp::Confirm(first) = ledger.sign_up(&request("b@example.org"), "s", NOW).unwrap()
        else {
            panic!("a new address is asked to confirm");
        };
        // Asking again keeps the open sign-up, so the first link still works.
        assert_eq!(
            ledger.sign_up(&request("b@example.org"), "s", NOW).unwrap(),
            SignUp::Confirm(first)
        );
        assert_eq!(
            ledger
                .confirm("b@example.org", first + 100, None, NOW)
                .unwrap(),
            Confirmed::NotOpen
        );
        assert_eq!(
            ledger.confirm("b@example.org", first, None, NOW).unwrap(),
            Confirmed::Active
        );
        ledger
            .change(
                "b@example.org",
                Change::Unsubscribed,
                "one-click",
                None,
                NOW,
            )
            .unwrap();
        assert_eq!(
            ledger.confirm("b@example.org", first, None, NOW).unwrap(),
            Confirmed::NotOpen
        );
        assert_eq!(
            ledger.member("b@example.org").unwrap().unwrap().state,
            State::Unsubscribed
        );
        // A new sign-up of the same person opens a new one; confirming it brings them back.
        let SignUp::Confirm(second) = ledger.sign_up(&request("b@example.org"), "s", NOW).unwrap()
        else {
            panic!("an unsubscribed address may sign up again");
        };
        assert_ne!(second, first);
        assert_eq!(
            ledger.member("b@example.org").unwrap().unwrap().state,
            State::Unsubscribed
        );
        assert_eq!(
            ledger.confirm("b@example.org", second, None, NOW).unwrap(),
            Confirmed::Active
        );
        let changes: Vec<String> = ledger
            .history("b@example.org")
            .unwrap()
            .into_iter()
            .map(|e| e.change)
            .collect();
        assert_eq!(
            changes,
            [
                "signed-up",
                "signed-up",
                "confirmed",
                "unsubscribed",
                "signed-up",
                "confirmed"
            ]
        );
        // Two sign-ups queued one message each, the third one more; each
        // of the two confirmations a welcome.
        let queued = ledger.claim_confirmations(i64::MAX / 2, 60, 10).unwrap();
        assert_eq!(queued.len(), 5);
        assert_eq!(queued.iter().filter(|q| q.welcome).count(), 2);
        assert!(
            ledger
                .claim_confirmations(i64::MAX / 2, 60, 10)
                .unwrap()
                .is_empty(),
            "claimed"
        );
    }
}
