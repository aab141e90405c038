//! The send ledger: an SQLite file recording every digest and what happened
//! to each of its recipients.
//!
//! Each outcome is committed on its own as soon as it is known, so a run
//! killed at any point loses at most the messages in flight at that moment.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Error;

const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS digests (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    since TEXT NOT NULL,
    until TEXT NOT NULL,
    posts TEXT NOT NULL,
    completed_at TEXT
);
CREATE TABLE IF NOT EXISTS recipients (
    digest_id TEXT NOT NULL REFERENCES digests(id),
    position INTEGER NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    message_id TEXT,
    error TEXT,
    updated_at TEXT,
    PRIMARY KEY (digest_id, email)
);
CREATE TABLE IF NOT EXISTS test_sends (
    digest_id TEXT NOT NULL,
    email TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    message_id TEXT,
    error TEXT
);
";

/// A digest as the ledger knows it.
#[derive(Debug, Clone, Serialize)]
pub struct DigestRecord {
    pub id: String,
    pub created_at: String,
    pub since: String,
    pub until: String,
    /// Ids of the posts it carries.
    pub posts: Vec<String>,
    pub completed_at: Option<String>,
}

/// Counts of recipients by state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub pending: usize,
    pub sent: usize,
    pub failed: usize,
    pub skipped: usize,
}

pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl Ledger {
    pub fn open(path: &Path) -> Result<Ledger, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let conn = Connection::open(path).map_err(|e| db_error(path, e))?;
        let ledger = Ledger {
            conn,
            path: path.to_path_buf(),
        };
        // WAL keeps readers (`digest status`) from blocking a send; FULL sync
        // makes each per-recipient commit survive a power cut, not just a crash.
        ledger
            .conn
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;",
            )
            .map_err(|e| ledger.err(e))?;
        let version: i64 = ledger
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| ledger.err(e))?;
        if version > SCHEMA_VERSION {
            return Err(Error::config(
                path,
                format!("ledger schema version {version} is newer than this gazette understands ({SCHEMA_VERSION})"),
            ));
        }
        ledger
            .conn
            .execute_batch(SCHEMA)
            .map_err(|e| ledger.err(e))?;
        ledger
            .conn
            .execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))
            .map_err(|e| ledger.err(e))?;
        Ok(ledger)
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        db_error(&self.path, e)
    }

    /// The secret that signs unsubscribe tokens, created on first use.
    pub fn secret(&self) -> Result<String, Error> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('token_secret', lower(hex(randomblob(32))))",
                [],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'token_secret'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    fn record(row: &rusqlite::Row<'_>) -> rusqlite::Result<DigestRecord> {
        let posts: String = row.get(4)?;
        Ok(DigestRecord {
            id: row.get(0)?,
            created_at: row.get(1)?,
            since: row.get(2)?,
            until: row.get(3)?,
            posts: serde_json::from_str(&posts).unwrap_or_default(),
            completed_at: row.get(5)?,
        })
    }

    /// The digest a previous run started and did not finish, if any.
    pub fn unfinished(&self) -> Result<Option<DigestRecord>, Error> {
        self.conn
            .query_row(
                "SELECT id, created_at, since, until, posts, completed_at FROM digests
                 WHERE completed_at IS NULL ORDER BY until DESC LIMIT 1",
                [],
                Self::record,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The cut-off of the last complete digest: the next one starts there.
    pub fn last_cutoff(&self) -> Result<Option<String>, Error> {
        self.conn
            .query_row(
                "SELECT max(until) FROM digests WHERE completed_at IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Ids of every post some earlier digest carried.
    pub fn posts_already_sent(&self) -> Result<std::collections::HashSet<String>, Error> {
        let lists: Vec<String> = self.rows("SELECT posts FROM digests", [], |r| r.get(0))?;
        Ok(lists
            .iter()
            .flat_map(|list| serde_json::from_str::<Vec<String>>(list).unwrap_or_default())
            .collect())
    }

    /// Records a new digest and its recipients, all pending, in one transaction.
    pub fn create(
        &mut self,
        record: &DigestRecord,
        recipients: &[String],
        now: &str,
    ) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| db_error(&path, e))?;
        tx.execute(
            "INSERT INTO digests (id, created_at, since, until, posts) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                record.id,
                record.created_at,
                record.since,
                record.until,
                serde_json::to_string(&record.posts).unwrap_or_default()
            ],
        )
        .map_err(|e| db_error(&path, e))?;
        for (position, email) in recipients.iter().enumerate() {
            tx.execute(
                "INSERT INTO recipients (digest_id, position, email, status, updated_at) VALUES (?1, ?2, ?3, 'pending', ?4)",
                params![record.id, position as i64, email, now],
            )
            .map_err(|e| db_error(&path, e))?;
        }
        tx.commit().map_err(|e| db_error(&path, e))
    }

    /// Addresses still to be sent, in their original order.
    pub fn pending(&self, digest: &str) -> Result<Vec<String>, Error> {
        self.rows(
            "SELECT email FROM recipients WHERE digest_id = ?1 AND status = 'pending' ORDER BY position",
            [digest],
            |r| r.get(0),
        )
    }

    pub fn mark(
        &self,
        digest: &str,
        email: &str,
        outcome: &Outcome,
        now: &str,
    ) -> Result<(), Error> {
        let (status, message_id, error, attempts) = outcome.columns();
        self.conn
            .execute(
                "UPDATE recipients SET status = ?3, message_id = ?4, error = ?5, attempts = attempts + ?6, updated_at = ?7
                 WHERE digest_id = ?1 AND email = ?2",
                params![digest, email, status, message_id, error, attempts, now],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Marks the digest complete once no recipient is pending; returns whether it is.
    pub fn complete_if_done(&self, digest: &str, now: &str) -> Result<bool, Error> {
        let pending = self.counts(digest)?.pending;
        if pending == 0 {
            self.conn
                .execute(
                    "UPDATE digests SET completed_at = ?2 WHERE id = ?1 AND completed_at IS NULL",
                    params![digest, now],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(pending == 0)
    }

    pub fn counts(&self, digest: &str) -> Result<Counts, Error> {
        let rows: Vec<(String, i64)> = self.rows(
            "SELECT status, count(*) FROM recipients WHERE digest_id = ?1 GROUP BY status",
            [digest],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut counts = Counts::default();
        for (status, n) in rows {
            let n = n as usize;
            match status.as_str() {
                "pending" => counts.pending = n,
                "sent" => counts.sent = n,
                "failed" => counts.failed = n,
                _ => counts.skipped = n,
            }
        }
        Ok(counts)
    }

    /// Permanent failures of a digest: address and server answer.
    pub fn failures(&self, digest: &str) -> Result<Vec<(String, String)>, Error> {
        self.rows(
            "SELECT email, coalesce(error, '') FROM recipients
             WHERE digest_id = ?1 AND status = 'failed' ORDER BY position",
            [digest],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    pub fn recent(&self, limit: usize) -> Result<Vec<DigestRecord>, Error> {
        self.rows(
            "SELECT id, created_at, since, until, posts, completed_at FROM digests ORDER BY until DESC LIMIT ?1",
            [limit as i64],
            Self::record,
        )
    }

    /// Every row of a query, mapped.
    fn rows<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, Error> {
        let mut statement = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let rows = statement.query_map(params, map).map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    pub fn record_test_send(
        &self,
        digest: &str,
        email: &str,
        outcome: &Outcome,
        now: &str,
    ) -> Result<(), Error> {
        let (_, message_id, error, _) = outcome.columns();
        self.conn
            .execute(
                "INSERT INTO test_sends (digest_id, email, sent_at, message_id, error) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![digest, email, now, message_id, error],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}

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

impl Outcome {
    /// The ledger's view: status, Message-ID, error text, attempts made.
    fn columns(&self) -> (&'static str, Option<&str>, Option<&str>, u32) {
        match self {
            Outcome::Sent {
                message_id,
                attempts,
            } => ("sent", Some(message_id), None, *attempts),
            Outcome::Failed { error, attempts } => ("failed", None, Some(error), *attempts),
            Outcome::Deferred { error, attempts } => ("pending", None, Some(error), *attempts),
            Outcome::Skipped { reason } => ("skipped", None, Some(reason), 0),
        }
    }
}

fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_completes_when_nobody_is_pending() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let record = DigestRecord {
            id: "d1".into(),
            created_at: "t0".into(),
            since: "s".into(),
            until: "u".into(),
            posts: vec!["p1".into()],
            completed_at: None,
        };
        ledger
            .create(&record, &["a@x.org".into(), "b@x.org".into()], "t0")
            .unwrap();
        assert_eq!(ledger.unfinished().unwrap().unwrap().id, "d1");
        ledger
            .mark(
                "d1",
                "a@x.org",
                &Outcome::Sent {
                    message_id: "<m>".into(),
                    attempts: 1,
                },
                "t1",
            )
            .unwrap();
        assert!(!ledger.complete_if_done("d1", "t1").unwrap());
        assert_eq!(ledger.pending("d1").unwrap(), ["b@x.org"]);
        ledger
            .mark(
                "d1",
                "b@x.org",
                &Outcome::Failed {
                    error: "550".into(),
                    attempts: 1,
                },
                "t2",
            )
            .unwrap();
        assert!(ledger.complete_if_done("d1", "t2").unwrap());
        assert!(ledger.unfinished().unwrap().is_none());
        assert_eq!(ledger.last_cutoff().unwrap().as_deref(), Some("u"));
        assert!(ledger.posts_already_sent().unwrap().contains("p1"));
        let secret = ledger.secret().unwrap();
        assert_eq!(secret.len(), 64);
        assert_eq!(
            ledger.secret().unwrap(),
            secret,
            "the secret is created once"
        );
    }
}
