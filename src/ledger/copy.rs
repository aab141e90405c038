//! `gazette ledger copy FROM TO`: a ledger moved between stores (SQLite and
//! PostgreSQL, either way), checked at the end by counts and checksums of
//! every table on both sides.

use serde::Serialize;

use super::store::{args, placeholders, Db, DbError, Row, ToArg, Value};
use super::{schema, Ledger};
use crate::error::Error;

/// A table of the ledger and the columns a copy carries.
struct Table {
    name: &'static str,
    columns: &'static str,
}

/// Every table of schema 4 but the send lock (a run's, not the list's).
/// Ids are carried: open sign-ups name consent events, queued
/// confirmations name sign-ups.
const TABLES: &[Table] = &[
    Table {
        name: "meta",
        columns: "key, value",
    },
    Table {
        name: "digests",
        columns: "id, created_at, since, until, posts, completed_at",
    },
    Table {
        name: "recipients",
        columns: "digest_id, position, email, status, attempts, message_id, error, updated_at",
    },
    Table {
        name: "digest_posts",
        columns: "digest_id, position, post_id, data, updated",
    },
    Table {
        name: "subscribers",
        columns: "email, address, name, fields, state, source, token, created_at, updated_at, confirmed_at, confirmed_ip, unsubscribed_at, bounced_at, complained_at, soft_bounces, pending_signup, cadence, topics, chosen_by_reader, handled_slot",
    },
    Table {
        name: "bounce_reports",
        columns: "id, processed_at, email, kind",
    },
    Table {
        name: "consent_events",
        columns: "id, email, at, change, source, evidence, state",
    },
    Table {
        name: "erased",
        columns: "hash, at",
    },
    Table {
        name: "sent_messages",
        columns: "message_id, email, sent_at",
    },
    Table {
        name: "confirm_outbox",
        columns: "id, email, name, signup, created_at, next_at, claimed_until, attempts, last_error, done, kind",
    },
    Table {
        name: "test_sends",
        columns: "digest_id, email, sent_at, message_id, error",
    },
];

/// `meta` keys that belong to one store: its own schema version and its
/// count of roster changes (which the copy's inserts count anew).
const STORE_KEYS: [&str; 2] = ["schema_version", "roster_version"];

/// What a copy moved: rows and checksum per table, the same on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct Copied {
    /// Table name.
    pub table: &'static str,
    /// Rows in it.
    pub rows: u64,
    /// An order-free checksum of its rows (hex).
    pub checksum: String,
}

/// Counts and checksum of `table` as `db` holds it.
fn summary(db: &Db, table: &Table) -> Result<(u64, u64), DbError> {
    let mut rows = 0u64;
    let mut sum = 0u64;
    db.each(
        &format!("SELECT {} FROM {}", table.columns, table.name),
        args![],
        |row| {
            if table.name == "meta" && STORE_KEYS.contains(&row.get::<String>(0)?.as_str()) {
                return Ok(());
            }
            rows += 1;
            sum = sum.wrapping_add(row_hash(row));
            Ok(())
        },
    )?;
    Ok((rows, sum))
}

/// A hash of one row's values that both stores give alike (integers as
/// integers, text as text), summed so that row order does not matter.
fn row_hash(row: &Row) -> u64 {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    for value in row.values() {
        match value {
            Value::Null => hash.update(b"N"),
            Value::Int(n) => {
                hash.update(b"I");
                hash.update(n.to_be_bytes());
            }
            Value::Text(text) => {
                hash.update(b"T");
                hash.update((text.len() as u64).to_be_bytes());
                hash.update(text.as_bytes());
            }
        }
    }
    let digest = hash.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

impl Ledger {
    /// Copies every row of this ledger into `to`, which must hold no
    /// digest, subscriber or consent event yet, then checks that both hold
    /// the same rows. This ledger is held in a write transaction meanwhile,
    /// so nothing changes it half way.
    pub fn copy_to(&mut self, to: &mut Ledger) -> Result<Vec<Copied>, Error> {
        let target = to.path.clone();
        let refuse = |message: String| Error::Ledger {
            path: target.clone(),
            message,
        };
        for table in ["digests", "subscribers", "consent_events"] {
            let held: i64 = to
                .db
                .value(&format!("SELECT count(*) FROM {table}"), args![])
                .map_err(|e| to.err(e))?;
            if held > 0 {
                return Err(refuse(format!(
                    "holds {held} rows in {table}: a copy goes into a new, empty ledger only"
                )));
            }
        }
        let source_engine = self.db.engine();
        let copied = self
            .db
            .write(|source| {
                to.db.write(|target| {
                    // What a new ledger made for itself (its secret) gives
                    // way to the one being moved.
                    target.execute(
                        "DELETE FROM meta WHERE key NOT IN ('schema_version', 'roster_version')",
                        args![],
                    )?;
                    for table in TABLES {
                        copy_table(source, target, table, source_engine)?;
                    }
                    restart_ids(target)?;
                    TABLES
                        .iter()
                        .map(|table| {
                            let ours = summary(source, table)?;
                            let theirs = summary(target, table)?;
                            if ours != theirs {
                                return Err(DbError::Type(format!(
                                    "table {}: {} rows (checksum {:016x}) copied as {} rows ({:016x}); nothing was kept",
                                    table.name, ours.0, ours.1, theirs.0, theirs.1
                                )));
                            }
                            Ok(Copied {
                                table: table.name,
                                rows: ours.0,
                                checksum: format!("{:016x}", ours.1),
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .map_err(|e| refuse(e.to_string()))?;
        Ok(copied)
    }
}

/// Copies the rows of `table`, subscribers in their order of arrival (which
/// the target keeps as its own).
fn copy_table(
    source: &Db,
    target: &Db,
    table: &Table,
    engine: super::Engine,
) -> Result<(), DbError> {
    let order = if table.name == "subscribers" {
        format!(" ORDER BY {}", schema::arrival_order(engine))
    } else {
        String::new()
    };
    let count = table.columns.split(',').count();
    let insert = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        table.columns,
        placeholders(count)
    );
    let mut batch = target.batch();
    let mut failed = None;
    source.each(
        &format!("SELECT {} FROM {}{order}", table.columns, table.name),
        args![],
        |row| {
            if table.name == "meta" && STORE_KEYS.contains(&row.get::<String>(0)?.as_str()) {
                return Ok(());
            }
            let values: Vec<&dyn ToArg> = row.values().iter().map(|v| v as &dyn ToArg).collect();
            if let Err(e) = batch.push(insert.clone(), &values) {
                failed = Some(e);
            }
            Ok(())
        },
    )?;
    if let Some(e) = failed {
        return Err(e);
    }
    batch
        .finish()
        .map_err(|e| DbError::Type(format!("table {}: {e}", table.name)))
}

/// PostgreSQL's id counters start after the ids the copy carried (SQLite's
/// follow the largest id by themselves).
fn restart_ids(target: &Db) -> Result<(), DbError> {
    if target.engine() == super::Engine::Postgres {
        for table in ["consent_events", "confirm_outbox"] {
            target.value::<Option<i64>>(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
                ),
                args![],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::roster::{Confirmed, SignUp, SignUpRequest};
    use crate::ledger::tests::{sqlite_store, stores, TestPost};
    use crate::ledger::DigestRecord;
    use crate::mail::Outcome;
    use crate::subscribers::consent::State;

    const NOW: &str = "2026-01-01T00:00:00Z";

    fn sign_up(email: &str) -> SignUpRequest<'_> {
        SignUpRequest {
            email,
            name: Some("Reader"),
            source: "form",
            evidence: None,
            queue_confirmation: true,
        }
    }

    /// A ledger with something in every table a copy must carry.
    fn fill(ledger: &mut Ledger) -> i64 {
        for n in 0..30 {
            ledger
                .add_by_owner(&format!("r{n}@example.org"), None, "s", NOW)
                .unwrap();
        }
        let SignUp::Confirm(open) = ledger
            .sign_up(&sign_up("pending@example.org"), "s", NOW)
            .unwrap()
        else {
            panic!("a new address confirms");
        };
        let record = DigestRecord {
            id: "d1".into(),
            created_at: NOW.into(),
            since: "s".into(),
            until: "u".into(),
            posts: vec!["p1".into()],
            completed_at: None,
        };
        let recipients: Vec<String> = (0..30).map(|n| format!("r{n}@example.org")).collect();
        ledger
            .create(&record, &[] as &[TestPost], &recipients, NOW)
            .unwrap();
        let sent = Outcome::Sent {
            message_id: "<m1@example.org>".into(),
            attempts: 1,
        };
        ledger.mark("d1", "r0@example.org", &sent, NOW).unwrap();
        ledger.forget("r29@example.org", "s", NOW).unwrap();
        ledger.secret().unwrap();
        open
    }

    #[test]
    fn a_ledger_copied_between_stores_is_the_same_ledger() {
        let mut stores = stores().into_iter();
        let sqlite = stores.next().unwrap();
        let Some(postgres) = stores.next() else {
            return;
        };
        let back = sqlite_store();
        let mut original = sqlite.open();
        let open = fill(&mut original);
        let mut moved = postgres.open();
        let there = original.copy_to(&mut moved).unwrap();
        let mut returned = back.open();
        let again = moved.copy_to(&mut returned).unwrap();
        assert_eq!(there.len(), TABLES.len());
        for (a, b) in there.iter().zip(&again) {
            assert_eq!(
                (a.table, a.rows, &a.checksum),
                (b.table, b.rows, &b.checksum)
            );
        }
        let rows = |name: &str| there.iter().find(|c| c.table == name).unwrap().rows;
        assert_eq!(rows("subscribers"), 30);
        assert_eq!(rows("recipients"), 30);
        assert_eq!(rows("confirm_outbox"), 1);
        assert_eq!(rows("erased"), 1);
        for copy in [&mut moved, &mut returned] {
            assert_eq!(copy.secret().unwrap(), original.secret().unwrap());
            assert_eq!(copy.members(None).unwrap().len(), 30);
            assert_eq!(
                copy.recipient_of("m1@example.org").unwrap().as_deref(),
                Some("r0@example.org")
            );
            // The sign-up left open before the move is the one its link confirms.
            assert_eq!(
                copy.confirm("pending@example.org", open, None, NOW)
                    .unwrap(),
                Confirmed::Active
            );
            // New events number after the carried ones.
            let history = copy.history("pending@example.org").unwrap();
            assert_eq!(history.last().unwrap().state.as_deref(), Some("active"));
            assert_eq!(copy.pending("d1").unwrap().len(), 29);
        }
        assert_eq!(
            moved.member("r1@example.org").unwrap().unwrap().state,
            State::Active
        );
    }

    #[test]
    fn a_copy_goes_only_into_an_empty_ledger_and_a_difference_is_caught() {
        for store in stores() {
            let mut full = store.open();
            fill(&mut full);
            let target = sqlite_store();
            let mut other = target.open();
            other.add_by_owner("x@example.org", None, "s", NOW).unwrap();
            let refused = full.copy_to(&mut other).unwrap_err().to_string();
            assert!(
                refused.contains("empty ledger only"),
                "{}: {refused}",
                store.name()
            );
            // The checksum tells one changed value from the same rows.
            let table = TABLES.iter().find(|t| t.name == "subscribers").unwrap();
            let before = summary(&full.db, table).unwrap();
            full.db
                .execute(
                    "UPDATE subscribers SET name = 'Changed' WHERE email = 'r3@example.org'",
                    args![],
                )
                .unwrap();
            let after = summary(&full.db, table).unwrap();
            assert_eq!(before.0, after.0);
            assert_ne!(before.1, after.1, "{}", store.name());
        }
    }
}
