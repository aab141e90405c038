//! The ledger's tables, written once for both engines, and how a ledger
//! written by an older gazette is brought up to date.

use super::store::{Db, DbError, Engine};

/// 2: the consent log, open sign-ups, erased addresses, confirmation
/// Message-IDs. 3: announced updates. 4: readers' cadence and topics.
/// 5: PostgreSQL no longer checks the references to `digests`, as SQLite
/// never did. 6: drops `gazette_record_outcome`, which schema 5 added on
/// PostgreSQL: one statement records a send's outcomes on both engines.
pub(super) const SCHEMA_VERSION: i64 = 6;
/// "GAZE": marks an SQLite file as a gazette ledger.
pub(super) const APPLICATION_ID: i64 = 0x4741_5A45;

/// The tables in the SQL both engines read; `for_engine` turns SQLite's
/// integer keys into PostgreSQL's.
const TABLES: &str = "
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
CREATE TABLE IF NOT EXISTS digest_posts (
    digest_id TEXT NOT NULL REFERENCES digests(id),
    position INTEGER NOT NULL,
    post_id TEXT NOT NULL,
    data TEXT NOT NULL,
    updated TEXT,
    PRIMARY KEY (digest_id, post_id)
);
CREATE TABLE IF NOT EXISTS send_lock (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    since TEXT NOT NULL,
    digest_id TEXT,
    lease_until INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS subscribers (
    email TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    name TEXT,
    fields TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
    source TEXT NOT NULL,
    token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    confirmed_at TEXT,
    confirmed_ip TEXT,
    unsubscribed_at TEXT,
    bounced_at TEXT,
    complained_at TEXT,
    soft_bounces INTEGER NOT NULL DEFAULT 0,
    pending_signup INTEGER,
    cadence TEXT,
    topics TEXT,
    chosen_by_reader INTEGER NOT NULL DEFAULT 0,
    handled_slot TEXT
);
CREATE INDEX IF NOT EXISTS subscribers_token ON subscribers (token);
-- Who left, looked up several times a second during a send.
CREATE INDEX IF NOT EXISTS subscribers_state ON subscribers (state);
CREATE TABLE IF NOT EXISTS bounce_reports (
    id TEXT PRIMARY KEY,
    processed_at TEXT NOT NULL,
    email TEXT,
    kind TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS consent_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    at TEXT NOT NULL,
    change TEXT NOT NULL,
    source TEXT NOT NULL,
    evidence TEXT,
    state TEXT
);
CREATE INDEX IF NOT EXISTS consent_events_email ON consent_events (email, id);
CREATE TABLE IF NOT EXISTS erased (hash TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sent_messages (
    message_id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS confirm_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    name TEXT,
    signup INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    next_at INTEGER NOT NULL,
    claimed_until INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    done TEXT,
    kind TEXT NOT NULL DEFAULT 'confirm'
);
CREATE INDEX IF NOT EXISTS confirm_outbox_due ON confirm_outbox (done, next_at);
CREATE TABLE IF NOT EXISTS test_sends (
    digest_id TEXT NOT NULL,
    email TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    message_id TEXT,
    error TEXT
);
";

/// Counts changes to the subscribers, so that a digest run can tell that
/// nobody joined, left or changed since the last one.
const SQLITE_TRIGGERS: &str = "
CREATE TRIGGER IF NOT EXISTS roster_inserted AFTER INSERT ON subscribers BEGIN
    INSERT INTO meta (key, value) VALUES ('roster_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
END;
CREATE TRIGGER IF NOT EXISTS roster_updated AFTER UPDATE ON subscribers BEGIN
    INSERT INTO meta (key, value) VALUES ('roster_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
END;
CREATE TRIGGER IF NOT EXISTS roster_deleted AFTER DELETE ON subscribers BEGIN
    INSERT INTO meta (key, value) VALUES ('roster_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
END;
";

/// PostgreSQL's form of the same: a sequence, which counts without
/// writing a row (a row updated for each of 100,000 imported subscribers
/// in one transaction would leave that many versions of itself), and an
/// order of arrival (SQLite's rowid) for `for_each_reader`. The
/// references to `digests` are left out, as SQLite (whose
/// `foreign_keys` gazette leaves off) never checked them: the same rules
/// on both stores, and a digest's 100,000 recipients are not looked up
/// one by one against the digest row the same transaction wrote.
const POSTGRES_EXTRAS: &str = "
ALTER TABLE recipients DROP CONSTRAINT IF EXISTS recipients_digest_id_fkey;
ALTER TABLE digest_posts DROP CONSTRAINT IF EXISTS digest_posts_digest_id_fkey;
ALTER TABLE subscribers ADD COLUMN IF NOT EXISTS seq BIGINT GENERATED BY DEFAULT AS IDENTITY;
CREATE SEQUENCE IF NOT EXISTS roster_version;
CREATE OR REPLACE FUNCTION gazette_roster_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('roster_version');
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS roster_changed ON subscribers;
CREATE TRIGGER roster_changed AFTER INSERT OR UPDATE OR DELETE ON subscribers
    FOR EACH ROW EXECUTE FUNCTION gazette_roster_changed();
DROP FUNCTION IF EXISTS gazette_record_outcome(TEXT, TEXT, TEXT, TEXT, TEXT, BIGINT, TEXT);
";

/// The query that reads the count of changes to the subscribers.
pub(super) fn roster_version(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "SELECT value FROM meta WHERE key = 'roster_version'",
        Engine::Postgres => "SELECT CAST(last_value AS TEXT) FROM roster_version",
    }
}

/// Every table, index and trigger of the ledger, as `engine` writes them.
pub(super) fn for_engine(engine: Engine) -> String {
    match engine {
        Engine::Sqlite => format!("{TABLES}{SQLITE_TRIGGERS}"),
        Engine::Postgres => {
            let tables = TABLES
                .replace(
                    "INTEGER PRIMARY KEY AUTOINCREMENT",
                    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                )
                .replace("INTEGER", "BIGINT")
                .replace(" REFERENCES digests(id)", "");
            format!("{tables}{POSTGRES_EXTRAS}")
        }
    }
}

/// The column that orders subscribers by arrival.
pub(super) fn arrival_order(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "rowid",
        Engine::Postgres => "seq",
    }
}

/// Brings an older ledger up to date, inside the transaction that created
/// any missing tables. Schema 2: the subscribers' open sign-ups, and a
/// first entry in each one's consent log saying where it stood before the
/// log. Schema 3: which planned posts were announced updates. Schema 4:
/// each reader's cadence and topics, the last slot of it handled, and
/// welcome messages in the outbox.
pub(super) fn migrate_sqlite(db: &Db) -> Result<(), DbError> {
    if !db.has_column("confirm_outbox", "kind")? {
        db.execute_batch(
            "ALTER TABLE confirm_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'confirm';",
        )?;
    }
    if !db.has_column("subscribers", "cadence")? {
        db.execute_batch(
            "ALTER TABLE subscribers ADD COLUMN cadence TEXT;
             ALTER TABLE subscribers ADD COLUMN topics TEXT;
             ALTER TABLE subscribers ADD COLUMN chosen_by_reader INTEGER NOT NULL DEFAULT 0;
             ALTER TABLE subscribers ADD COLUMN handled_slot TEXT;",
        )?;
    }
    if !db.has_column("digest_posts", "updated")? {
        db.execute_batch("ALTER TABLE digest_posts ADD COLUMN updated TEXT;")?;
    }
    if !db.has_column("subscribers", "pending_signup")? {
        db.execute_batch(
            "ALTER TABLE subscribers ADD COLUMN pending_signup INTEGER;
             INSERT INTO consent_events (email, at, change, source, evidence, state)
                 SELECT email, updated_at, 'recorded', source, 'state when the consent log began', state
                 FROM subscribers ORDER BY created_at, email;",
        )?;
    }
    Ok(())
}
