//! The subscribers the ledger keeps: who signed up, who confirmed, who left,
//! whose mail bounces. The CSV list of earlier versions is imported into it,
//! and what the ledger knows of an address (an unsubscribe above all) wins
//! over what a list says.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{db_error, Ledger};
use crate::error::Error;
use crate::subscribers::list::Subscriber;
use crate::subscribers::tokens;

/// Where an address stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Signed up, not yet confirmed: receives nothing but the confirmation.
    Pending,
    /// Receives digests.
    Active,
    /// Left; never mailed again unless they sign up and confirm.
    Unsubscribed,
    /// Mail to it failed for good.
    Bounced,
    /// Marked a digest as spam.
    Complained,
}

impl State {
    /// The state as the ledger and `--state` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Active => "active",
            State::Unsubscribed => "unsubscribed",
            State::Bounced => "bounced",
            State::Complained => "complained",
        }
    }

    fn parse(text: &str) -> Option<State> {
        Some(match text {
            "pending" => State::Pending,
            "active" => State::Active,
            "unsubscribed" => State::Unsubscribed,
            "bounced" => State::Bounced,
            "complained" => State::Complained,
            _ => return None,
        })
    }

    /// States that a list import or a new sign-up must never undo on its own.
    pub fn is_suppressed(self) -> bool {
        matches!(
            self,
            State::Unsubscribed | State::Bounced | State::Complained
        )
    }

    /// The state a `status` column of a subscriber list asks for.
    fn from_list(status: Option<&String>) -> State {
        match status.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("unsubscribed" | "inactive") => State::Unsubscribed,
            Some("bounced") => State::Bounced,
            Some("complained") => State::Complained,
            Some("pending") => State::Pending,
            _ => State::Active,
        }
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    #[serde(skip)]
    /// The unsubscribe token.
    pub token: String,
}

impl Member {
    /// The member as digest templates see a subscriber.
    pub fn as_subscriber(&self) -> Subscriber {
        Subscriber {
            email: self.email.clone(),
            name: self.name.clone(),
            fields: self.fields.clone(),
            line: None,
        }
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
    /// Addresses made active again (--resubscribe).
    pub resubscribed: usize,
    /// Addresses the list marked unsubscribed, bounced or complained.
    pub suppressed_by_list: usize,
}

/// What a sign-up led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUp {
    /// New, pending again, or coming back after unsubscribing: send a confirmation.
    Confirm,
    /// Already receiving the digest: nothing to send.
    AlreadyActive,
    /// Bounced or complained: nothing is sent until the owner re-adds it.
    Suppressed,
}

const COLUMNS: &str = "address, name, fields, state, source, created_at, updated_at, confirmed_at, unsubscribed_at, bounced_at, complained_at, soft_bounces, token";

fn member(row: &rusqlite::Row<'_>) -> rusqlite::Result<Member> {
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

impl Ledger {
    /// Whether the ledger has the subscribers table: a read-only ledger
    /// written by an older gazette does not.
    fn has_roster(&self) -> Result<bool, Error> {
        self.conn
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'subscribers'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Whether the ledger keeps any subscriber.
    pub(crate) fn has_members(&self) -> Result<bool, Error> {
        if !self.has_roster()? {
            return Ok(false);
        }
        self.conn
            .query_row("SELECT EXISTS (SELECT 1 FROM subscribers)", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }

    /// Every subscriber, or those in `state`, oldest first.
    pub fn members(&self, state: Option<State>) -> Result<Vec<Member>, Error> {
        if !self.has_roster()? {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM subscribers WHERE ?1 IS NULL OR state = ?1 ORDER BY created_at, email"
        );
        self.rows(&sql, [state.map(State::as_str)], member)
    }

    pub fn member(&self, email: &str) -> Result<Option<Member>, Error> {
        if !self.has_roster()? {
            return Ok(None);
        }
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM subscribers WHERE email = ?1"),
                [email.to_ascii_lowercase()],
                member,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn member_by_token(&self, token: &str) -> Result<Option<Member>, Error> {
        if !self.has_roster()? {
            return Ok(None);
        }
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM subscribers WHERE token = ?1"),
                [token.trim().to_ascii_lowercase()],
                member,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Recomputes every stored unsubscribe token when the secret changed
    /// (a `digest.secret_env` set or changed since), so links in new
    /// messages and lookups agree.
    pub fn refresh_tokens(&mut self, secret: &str) -> Result<(), Error> {
        let fingerprint = tokens::unsubscribe(secret, "\0fingerprint");
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'token_fingerprint'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if stored.as_deref() == Some(fingerprint.as_str()) {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| db_error(&path, e))?;
        let emails: Vec<String> = {
            let mut statement = tx
                .prepare("SELECT email FROM subscribers")
                .map_err(|e| db_error(&path, e))?;
            let rows = statement
                .query_map([], |r| r.get(0))
                .map_err(|e| db_error(&path, e))?;
            rows.collect::<Result<_, _>>()
                .map_err(|e| db_error(&path, e))?
        };
        for email in emails {
            tx.execute(
                "UPDATE subscribers SET token = ?2 WHERE email = ?1",
                params![email, tokens::unsubscribe(secret, &email)],
            )
            .map_err(|e| db_error(&path, e))?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('token_fingerprint', ?1)",
            [fingerprint],
        )
        .map_err(|e| db_error(&path, e))?;
        tx.commit().map_err(|e| db_error(&path, e))
    }

    /// Imports a subscriber list: new addresses come in as the list says
    /// (active unless a `status` column says otherwise), known ones get the
    /// list's name and columns; an address the ledger has as unsubscribed,
    /// bounced or complained stays so unless `resubscribe`. Idempotent.
    pub fn import(
        &mut self,
        rows: &[Subscriber],
        source: &str,
        resubscribe: bool,
        secret: &str,
        now: &str,
    ) -> Result<ImportCounts, Error> {
        let path = self.path.clone();
        let known: HashMap<String, Member> = self
            .members(None)?
            .into_iter()
            .map(|m| (m.email.to_ascii_lowercase(), m))
            .collect();
        let mut counts = ImportCounts::default();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| db_error(&path, e))?;
        {
            // One statement, prepared once: a first import of a large list
            // is one insert per row and nothing else.
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO subscribers (email, address, name, fields, state, source, token, created_at, updated_at,
                         confirmed_at, unsubscribed_at, bounced_at, complained_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT (email) DO UPDATE SET address = ?2, name = ?3, fields = ?4, state = ?5,
                         updated_at = CASE WHEN state = ?5 THEN updated_at ELSE ?8 END,
                         confirmed_at = coalesce(confirmed_at, ?9),
                         unsubscribed_at = CASE WHEN state = ?5 THEN unsubscribed_at ELSE coalesce(?10, unsubscribed_at) END,
                         bounced_at = CASE WHEN state = ?5 THEN bounced_at ELSE coalesce(?11, bounced_at) END,
                         complained_at = CASE WHEN state = ?5 THEN complained_at ELSE coalesce(?12, complained_at) END",
                )
                .map_err(|e| db_error(&path, e))?;
            for row in rows {
                let key = row.email.to_ascii_lowercase();
                let listed = State::from_list(row.fields.get("status"));
                let mut fields = row.fields.clone();
                fields.remove("status");
                let current = known.get(&key);
                let state = match current.map(|m| m.state) {
                    None => {
                        counts.added += 1;
                        if listed.is_suppressed() {
                            counts.suppressed_by_list += 1;
                        }
                        listed
                    }
                    Some(current) if current.is_suppressed() && !listed.is_suppressed() => {
                        if resubscribe {
                            counts.resubscribed += 1;
                            State::Active
                        } else {
                            counts.kept_suppressed += 1;
                            current
                        }
                    }
                    Some(current) => {
                        counts.updated += 1;
                        if listed.is_suppressed() {
                            counts.suppressed_by_list += usize::from(current != listed);
                            listed
                        } else if listed == State::Pending {
                            current
                        } else {
                            State::Active
                        }
                    }
                };
                // Rows the ledger already has as they are cost nothing: a
                // digest imports its list on every run.
                let unchanged = current.is_some_and(|m| {
                    m.state == state
                        && m.email == row.email
                        && m.name == row.name
                        && m.fields == fields
                });
                if unchanged {
                    continue;
                }
                let at = |wanted: State| (state == wanted).then_some(now);
                let fields = serde_json::to_string(&fields).unwrap_or_else(|_| "{}".into());
                upsert
                    .execute(params![
                        key,
                        row.email,
                        row.name,
                        fields,
                        state.as_str(),
                        source,
                        tokens::unsubscribe(secret, &key),
                        now,
                        at(State::Active),
                        at(State::Unsubscribed),
                        at(State::Bounced),
                        at(State::Complained),
                    ])
                    .map_err(|e| db_error(&path, e))?;
            }
        }
        tx.commit().map_err(|e| db_error(&path, e))?;
        Ok(counts)
    }

    /// Addresses among a digest's pending recipients that unsubscribed,
    /// bounced or complained since it was planned.
    pub fn suppressed_pending(&self, digest: &str) -> Result<HashSet<String>, Error> {
        if !self.has_roster()? {
            return Ok(HashSet::new());
        }
        let rows: Vec<String> = self.rows(
            "SELECT s.email FROM subscribers s
             WHERE s.state IN ('unsubscribed', 'bounced', 'complained')
               AND EXISTS (SELECT 1 FROM recipients r WHERE r.digest_id = ?1 AND r.status = 'pending'
                           AND (r.email = s.address OR r.email = s.email))",
            [digest],
            |r| r.get(0),
        )?;
        Ok(rows.into_iter().collect())
    }

    /// A sign-up (from `serve` or `subscribers add`): a new address is
    /// recorded as pending; what to do next depends on what the ledger knew.
    pub fn sign_up(
        &mut self,
        email: &str,
        name: Option<&str>,
        source: &str,
        secret: &str,
        now: &str,
    ) -> Result<SignUp, Error> {
        let key = email.to_ascii_lowercase();
        match self.member(&key)?.map(|m| m.state) {
            Some(State::Active) => Ok(SignUp::AlreadyActive),
            Some(State::Bounced | State::Complained) => Ok(SignUp::Suppressed),
            // Unsubscribed or pending: the person asks again, and only the
            // confirmation link changes anything.
            Some(_) => Ok(SignUp::Confirm),
            None => {
                self.conn
                    .execute(
                        "INSERT INTO subscribers (email, address, name, state, source, token, created_at, updated_at)
                         VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?6) ON CONFLICT (email) DO NOTHING",
                        params![key, email, name, source, tokens::unsubscribe(secret, &key), now],
                    )
                    .map_err(|e| self.err(e))?;
                Ok(SignUp::Confirm)
            }
        }
    }

    /// Moves an address to `state`, recording when (and for a confirmation,
    /// the hash of where from). Returns the state it had, `None` when the
    /// address is unknown. Setting the state it has changes nothing.
    pub fn set_state(
        &mut self,
        email: &str,
        state: State,
        detail: Option<&str>,
        now: &str,
    ) -> Result<Option<State>, Error> {
        let key = email.to_ascii_lowercase();
        let Some(previous) = self.member(&key)?.map(|m| m.state) else {
            return Ok(None);
        };
        if previous == state {
            return Ok(Some(previous));
        }
        self.conn
            .execute(
                "UPDATE subscribers SET state = ?2, updated_at = ?3, soft_bounces = 0 WHERE email = ?1",
                params![key, state.as_str(), now],
            )
            .map_err(|e| self.err(e))?;
        if let Some(column) = stamp_column(state) {
            self.conn
                .execute(
                    &format!("UPDATE subscribers SET {column} = ?2 WHERE email = ?1"),
                    params![key, now],
                )
                .map_err(|e| self.err(e))?;
        }
        if let (State::Active, Some(ip)) = (state, detail) {
            self.conn
                .execute(
                    "UPDATE subscribers SET confirmed_ip = ?2 WHERE email = ?1",
                    params![key, ip],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(Some(previous))
    }

    /// Counts a soft bounce; the `limit`-th in a row marks the address
    /// bounced. Returns the state after.
    pub fn soft_bounce(
        &mut self,
        email: &str,
        limit: u32,
        now: &str,
    ) -> Result<Option<State>, Error> {
        let key = email.to_ascii_lowercase();
        let Some(member) = self.member(&key)? else {
            return Ok(None);
        };
        if member.state != State::Active {
            return Ok(Some(member.state));
        }
        let count = member.soft_bounces + 1;
        if count >= i64::from(limit.max(1)) {
            self.set_state(&key, State::Bounced, None, now)?;
            return Ok(Some(State::Bounced));
        }
        self.conn
            .execute(
                "UPDATE subscribers SET soft_bounces = ?2, updated_at = ?3 WHERE email = ?1",
                params![key, count, now],
            )
            .map_err(|e| self.err(e))?;
        Ok(Some(State::Active))
    }

    /// A message that was delivered resets the soft-bounce count: bounces
    /// count "in a row".
    pub fn reset_soft_bounces(&mut self, email: &str) -> Result<(), Error> {
        self.conn
            .execute(
                "UPDATE subscribers SET soft_bounces = 0 WHERE email = ?1 AND soft_bounces > 0",
                [email.to_ascii_lowercase()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
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
            .conn
            .execute(
                "INSERT OR IGNORE INTO bounce_reports (id, processed_at, email, kind) VALUES (?1, ?2, ?3, ?4)",
                params![id, now, email, kind],
            )
            .map_err(|e| self.err(e))?;
        Ok(inserted == 1)
    }

    /// The recipient a digest message went to, by its Message-ID.
    pub fn recipient_of(&self, message_id: &str) -> Result<Option<String>, Error> {
        let bare = message_id
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        self.conn
            .query_row(
                "SELECT email FROM recipients WHERE message_id = ?1 OR message_id = ?2 LIMIT 1",
                params![bare, format!("<{bare}>")],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
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
    let states: HashMap<String, State> = members
        .iter()
        .map(|m| (m.email.to_ascii_lowercase(), m.state))
        .collect();
    let mut listed = HashSet::new();
    let mut out = Vec::new();
    for row in rows {
        let key = row.email.to_ascii_lowercase();
        listed.insert(key.clone());
        let suppressed_in_ledger = states.get(&key).is_some_and(|s| s.is_suppressed());
        if !suppressed_in_ledger && State::from_list(row.fields.get("status")) == State::Active {
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
