//! The send ledger: an SQLite file or a PostgreSQL database recording the
//! subscribers, every digest and what happened to each of its recipients.
//!
//! Outcomes are committed as soon as they are known (those that arrive
//! together, together), so a run killed at any point loses at most the
//! messages in flight at that moment (`digest.in_flight` per connection).

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Error;
use crate::mail::Outcome;

pub(crate) mod copy;
mod postgres_url;
pub(crate) mod roster;
mod schema;

pub(crate) mod store;

pub(crate) use roster::{Confirmed, ImportCounts, Member, SignUp};
use store::{args, Db, DbError, Engine, Row, Rows};

use schema::{APPLICATION_ID, SCHEMA_VERSION};
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs `step` again while SQLite says the database is busy, for the steps
/// that SQLite's own busy handler does not cover.
fn retry_busy<T>(mut step: impl FnMut() -> Result<T, DbError>) -> Result<T, DbError> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match step() {
            Err(e) if e.is_busy() && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Creates a new ledger under a temporary name and links it into place, so
/// that another run never sees the empty file SQLite starts with (which
/// would be taken for a damaged ledger); a run that loses the race to create
/// it uses the winner's file.
fn create_new(path: &Path) -> Result<(), Error> {
    let temporary = path.with_extension(format!("new-{}", std::process::id()));
    let cleanup = |file: &Path| {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = file.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    };
    cleanup(&temporary);
    {
        let conn = Connection::open(&temporary).map_err(|e| db_error(&temporary, e.into()))?;
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; BEGIN; {} PRAGMA user_version = {SCHEMA_VERSION}; PRAGMA application_id = {APPLICATION_ID}; COMMIT;",
            schema::for_engine(Engine::Sqlite)
        ))
        .map_err(|e| db_error(&temporary, e.into()))?;
    }
    let linked = std::fs::hard_link(&temporary, path);
    cleanup(&temporary);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Whether the ledger file exists; an existing empty file is an error.
fn check_not_empty(path: &Path) -> Result<bool, Error> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == 0 => Err(Error::Ledger {
            path: path.to_path_buf(),
            message: "the file is empty (0 bytes), so what was sent is unknown. Restore it from a backup, or delete it to start a new ledger (the next digest then goes to everyone again)".into(),
        }),
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// A digest as the ledger knows it.
#[derive(Debug, Clone, Serialize)]
pub struct DigestRecord {
    /// The entry id.
    pub id: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// Start of the period (RFC 3339).
    pub since: String,
    /// End of the period (RFC 3339).
    pub until: String,
    /// Ids of the posts it carries.
    pub posts: Vec<String>,
    /// When every recipient was handled.
    pub completed_at: Option<String>,
}

/// A post as a digest planned it. The ledger keeps it whole (so every
/// recipient of a digest gets the same text, even when a run is resumed
/// after the post was edited) and needs to know only what keys it.
pub trait PlannedPost: Serialize + serde::de::DeserializeOwned {
    /// The post's id.
    fn id(&self) -> &str;
    /// For an announced update, the instant it was updated (RFC 3339): with
    /// the id, what the ledger records as sent.
    fn update_key(&self) -> Option<&str>;
}

/// A digest as a run plans it, for `Ledger::create_batch`.
pub struct NewDigest<'a, P> {
    /// The digest.
    pub record: &'a DigestRecord,
    /// Its posts as planned.
    pub posts: &'a [P],
    /// Its recipients, in order.
    pub recipients: &'a [String],
}

/// Counts of recipients by state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Recipients still to do.
    pub pending: usize,
    /// Recipients the server accepted.
    pub sent: usize,
    /// How many failed.
    pub failed: usize,
    /// Recipients left out (unsubscribed, withdrawn).
    pub skipped: usize,
}

pub struct Ledger {
    db: Db,
    path: PathBuf,
    /// The send lock this process holds, if any: released on drop.
    lock: Option<HeldLock>,
}

/// How long a send lock stays valid without being renewed. Renewals come
/// with the per-recipient commits, and one message (with its retries and
/// timeouts) takes far less; a run killed without releasing its lock is
/// taken over once this has passed, or at once when its process is gone.
const LEASE: std::time::Duration = std::time::Duration::from_secs(600);
const RENEW_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

struct HeldLock {
    owner: String,
    renewed: std::time::Instant,
}

/// One of N parts of a digest's recipients, for runs that split a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    /// How many parts.
    pub count: u32,
}

impl Shard {
    /// Reads `I/N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?}: expected I/N, e.g. 1/4"))?;
        let index: u32 = index
            .trim()
            .parse()
            .map_err(|_| format!("{text:?}: I is not a number"))?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| format!("{text:?}: N is not a number"))?;
        if count == 0 || count > 1000 || index == 0 || index > count {
            return Err(format!("{text:?}: expected 1 <= I <= N <= 1000"));
        }
        Ok(Shard { index, count })
    }

    /// Whether `email` belongs to this shard: a stable hash of the address,
    /// so every run of the split agrees without talking to the others.
    pub fn holds(&self, email: &str) -> bool {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(email.to_ascii_lowercase().as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// Who holds the send lock of a ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// The process holding the lock.
    pub pid: u32,
    /// The host of that process.
    pub host: String,
    /// Since when it holds the lock.
    pub since: String,
    /// The digest it is sending, once planned.
    pub digest_id: Option<String>,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.digest_id {
            Some(id) => write!(f, "another run is sending digest {id}")?,
            None => write!(f, "another run is preparing a digest")?,
        }
        write!(
            f,
            " (pid {}, host {}, since {})",
            self.pid, self.host, self.since
        )
    }
}

fn this_host() -> String {
    hostname::get()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "unknown".into())
}

/// Whether process `pid` of this host still runs. Where that cannot be told,
/// it is taken to run, and only the lease frees its lock.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

impl Ledger {
    /// Opens the ledger for a run that records sends, creating it if needed.
    pub fn open(path: &Path) -> Result<Ledger, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        if !check_not_empty(path)? {
            create_new(path)?;
        }
        let conn = Connection::open(path).map_err(|e| db_error(path, e.into()))?;
        let ledger = Ledger::checked(conn, path)?;
        let db = &ledger.db;
        // WAL keeps readers (`digest status`) from blocking a send; FULL sync
        // makes each per-recipient commit survive a power cut, not just a crash.
        // Switching to WAL takes an exclusive lock and SQLite does not wait
        // for it, so two runs opening a new ledger at once retry here.
        retry_busy(|| db.value::<String>("PRAGMA journal_mode = WAL", args![]))
            .map_err(|e| ledger.err(e))?;
        db.execute_batch("PRAGMA synchronous = NORMAL;")
            .map_err(|e| ledger.err(e))?;
        retry_busy(|| {
            db.write(|db| {
                db.execute_batch(&schema::for_engine(Engine::Sqlite))?;
                schema::migrate_sqlite(db)?;
                db.execute_batch(&format!(
                    "PRAGMA user_version = {SCHEMA_VERSION}; PRAGMA application_id = {APPLICATION_ID};"
                ))
            })
        })
        .map_err(|e| ledger.err(e))?;
        Ok(ledger)
    }

    /// Opens an existing ledger for reading only (`digest status`, previews):
    /// such commands never write, so they work on a read-only copy. `None`
    /// when there is no ledger yet.
    pub fn open_read_only(path: &Path) -> Result<Option<Ledger>, Error> {
        if !path.exists() {
            return Ok(None);
        }
        check_not_empty(path)?;
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| db_error(path, e.into()))?;
        Ledger::checked(conn, path).map(Some)
    }

    /// Opens the ledger the site's config names (an SQLite file or a
    /// PostgreSQL database) for a run that records sends, creating it if
    /// needed.
    pub fn open_for(digest: &crate::config::DigestConfig) -> Result<Ledger, Error> {
        Ledger::open_at(&digest.ledger, &digest.ledger_password_env)
    }

    /// Opens the ledger at `location` (an SQLite file, or a PostgreSQL URL
    /// whose password is in the environment variable `password_env`),
    /// creating it if needed.
    pub fn open_at(location: &Path, password_env: &str) -> Result<Ledger, Error> {
        match crate::config::postgres_url(location) {
            Some(url) => {
                Ledger::open_postgres(url, password_env, false)?.ok_or_else(|| Error::Ledger {
                    path: location.to_path_buf(),
                    message: "the ledger's tables could not be created".into(),
                })
            }
            None => Ledger::open(location),
        }
    }

    /// Opens the ledger the site's config names for reading only; `None`
    /// when there is none yet.
    pub fn open_read_only_for(
        digest: &crate::config::DigestConfig,
    ) -> Result<Option<Ledger>, Error> {
        match crate::config::postgres_url(&digest.ledger) {
            Some(url) => Ledger::open_postgres(url, &digest.ledger_password_env, true),
            None => Ledger::open_read_only(&digest.ledger),
        }
    }

    /// Which store keeps the ledger and the schema version it has.
    pub fn describe(&self) -> Result<(String, i64), Error> {
        let version = match self.db.engine() {
            Engine::Sqlite => self.db.value("PRAGMA user_version", args![]),
            Engine::Postgres => self.db.value(
                "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'schema_version'",
                args![],
            ),
        }
        .map_err(|e| self.err(e))?;
        let store = match self.db.engine() {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        };
        Ok((store.to_string(), version))
    }

    /// Connects to a ledger kept in PostgreSQL, with the password from the
    /// environment variable `password_env`. A writable ledger gets its
    /// tables on first use; a read-only one that has none is `None`.
    fn open_postgres(
        url: &str,
        password_env: &str,
        read_only: bool,
    ) -> Result<Option<Ledger>, Error> {
        let path = PathBuf::from(url);
        let failed = |message: String| Error::Ledger {
            path: path.clone(),
            message,
        };
        let target = postgres_url::target(url, password_env, BUSY_TIMEOUT).map_err(failed)?;
        let db =
            Db::postgres(target, read_only).map_err(|e| failed(format!("cannot connect: {e}")))?;
        let ledger = Ledger {
            db,
            path: path.clone(),
            lock: None,
        };
        let version = ledger.postgres_version()?;
        match version {
            None if read_only => return Ok(None),
            Some(version) if version > SCHEMA_VERSION => {
                return Err(failed(format!(
                    "schema version {version} is newer than this gazette understands ({SCHEMA_VERSION})"
                )))
            }
            Some(version) if version == SCHEMA_VERSION || read_only => {}
            _ => ledger
                .db
                .write(|db| {
                    // Another host may have created the tables meanwhile:
                    // what the lock holder finds decides.
                    db.execute_batch(&schema::for_engine(Engine::Postgres))?;
                    db.execute(
                        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        args![SCHEMA_VERSION.to_string()],
                    )?;
                    Ok(())
                })
                .map_err(|e| ledger.err(e))?,
        }
        Ok(Some(ledger))
    }

    /// The schema version a PostgreSQL ledger records, `None` for a
    /// database without gazette's tables. Tables that look like a ledger
    /// but carry no version are not taken for one.
    fn postgres_version(&self) -> Result<Option<i64>, Error> {
        if !self.db.has_table("meta").map_err(|e| self.err(e))? {
            return Ok(None);
        }
        let version = self.meta("schema_version")?;
        match version.as_deref().map(str::parse::<i64>) {
            Some(Ok(version)) => Ok(Some(version)),
            _ => Err(Error::Ledger {
                path: self.path.clone(),
                message: "the database has a `meta` table without gazette's schema version: not a gazette ledger. Point `digest.ledger` at another database or schema".into(),
            }),
        }
    }

    /// A ledger on `conn` that waits for other processes' locks and is
    /// known to be gazette's.
    fn checked(conn: Connection, path: &Path) -> Result<Ledger, Error> {
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| db_error(path, e.into()))?;
        let ledger = Ledger {
            db: Db::sqlite(conn),
            path: path.to_path_buf(),
            lock: None,
        };
        ledger.check_ours()?;
        Ok(ledger)
    }

    /// A file that is not a gazette ledger is never taken as an empty one:
    /// starting afresh would send every subscriber the last digests again.
    fn check_ours(&self) -> Result<(), Error> {
        let foreign = |why: String| {
            Error::Ledger {
            path: self.path.clone(),
            message: format!(
                "{why}: not a gazette ledger. Point `digest.ledger` at the right file, or move this one away to start a new ledger"
            ),
        }
        };
        let header = |e: DbError| foreign(e.to_string());
        let application_id: i64 = self
            .db
            .value("PRAGMA application_id", args![])
            .map_err(header)?;
        let version: i64 = self
            .db
            .value("PRAGMA user_version", args![])
            .map_err(header)?;
        let has_digests = self.db.has_table("digests").map_err(header)?;
        // Ledgers written before the application id was set are ours when
        // they have our tables and version.
        let ours = application_id == APPLICATION_ID || (application_id == 0 && has_digests);
        if !ours {
            return Err(foreign(format!(
                "SQLite file with application id {application_id:#x} and no digests table"
            )));
        }
        if version > SCHEMA_VERSION {
            return Err(Error::Ledger {
                path: self.path.clone(),
                message: format!("schema version {version} is newer than this gazette understands ({SCHEMA_VERSION})"),
            });
        }
        Ok(())
    }

    fn err(&self, e: DbError) -> Error {
        db_error(&self.path, e)
    }

    /// Takes the ledger's send lock, so that two runs (cron meeting cron, or
    /// a manual send meeting cron) never mail one recipient twice: the lock
    /// is taken in one write transaction before a digest is planned, and a
    /// second run is told who holds it. A lock whose process is gone (same
    /// host) or whose lease ran out is taken over.
    ///
    /// With `shard` (I of N), several runs split one digest: each takes the
    /// lock of its own shard, and only a whole run, the same shard, or a
    /// shard of another split stands in its way.
    pub fn lock_for_sending(
        &mut self,
        since: &str,
        shard: Option<Shard>,
    ) -> Result<Result<(), LockHolder>, Error> {
        let host = this_host();
        let pid = std::process::id();
        let owner = format!("{host}:{pid}:{}", crate::clock::unix_now());
        let name = shard.map_or_else(
            || "send".to_string(),
            |s| format!("shard:{}/{}", s.index, s.count),
        );
        let taken = self
            .db
            .write(|tx| {
                let current: Vec<(String, LockHolder, i64)> = tx.all(
                    "SELECT name, pid, host, since, digest_id, lease_until FROM send_lock",
                    args![],
                    |r| {
                        Ok((
                            r.get(0)?,
                            LockHolder {
                                pid: r.get(1)?,
                                host: r.get(2)?,
                                since: r.get(3)?,
                                digest_id: r.get(4)?,
                            },
                            r.get(5)?,
                        ))
                    },
                )?;
                for (held, holder, lease_until) in current {
                    let gone =
                        holder.host == host && holder.pid != pid && !process_alive(holder.pid);
                    if lease_until <= crate::clock::unix_now() || gone {
                        continue;
                    }
                    let conflicts = match (&shard, held.strip_prefix("shard:")) {
                        (None, _) | (_, None) => true,
                        (Some(mine), Some(theirs)) => {
                            let count = theirs.rsplit('/').next().unwrap_or("");
                            count != mine.count.to_string() || held == name
                        }
                    };
                    if conflicts {
                        return Ok(Err(holder));
                    }
                }
                tx.execute("DELETE FROM send_lock WHERE name = ?1", args![name])?;
                tx.execute(
                    "INSERT INTO send_lock (name, owner, pid, host, since, digest_id, lease_until)
                     VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)",
                    args![
                        name,
                        owner,
                        pid,
                        host,
                        since,
                        crate::clock::unix_now() + LEASE.as_secs() as i64
                    ],
                )?;
                Ok(Ok(()))
            })
            .map_err(|e| self.err(e))?;
        if let Err(holder) = taken {
            return Ok(Err(holder));
        }
        self.lock = Some(HeldLock {
            owner,
            renewed: std::time::Instant::now(),
        });
        Ok(Ok(()))
    }

    /// Names the digest the held lock is sending, for the message another run prints.
    pub fn lock_digest(&self, digest: &str) -> Result<(), Error> {
        if let Some(lock) = &self.lock {
            self.db
                .execute(
                    "UPDATE send_lock SET digest_id = ?2 WHERE owner = ?1",
                    args![lock.owner, digest],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Extends the lease of the held lock; cheap to call per message.
    fn renew_lock(&mut self) -> Result<(), Error> {
        let Some(lock) = &mut self.lock else {
            return Ok(());
        };
        if lock.renewed.elapsed() < RENEW_AFTER {
            return Ok(());
        }
        let updated = self
            .db
            .execute(
                "UPDATE send_lock SET lease_until = ?2 WHERE owner = ?1",
                args![
                    lock.owner,
                    crate::clock::unix_now() + LEASE.as_secs() as i64
                ],
            )
            .map_err(|e| db_error(&self.path, e))?;
        if updated == 0 {
            // Another run decided this one was dead and took over: stop now
            // rather than race it.
            return Err(Error::Ledger {
                path: self.path.clone(),
                message: "the send lock was taken over by another run; this run stops".into(),
            });
        }
        lock.renewed = std::time::Instant::now();
        Ok(())
    }

    /// The secret that signs unsubscribe tokens, created on first use; a
    /// ledger opened read-only has one only if a send made it.
    pub fn secret(&self) -> Result<Option<String>, Error> {
        if !self.db.read_only() {
            let fresh = random_secret().map_err(|e| self.err(e))?;
            self.db
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('token_secret', ?1)
                     ON CONFLICT (key) DO NOTHING",
                    args![fresh],
                )
                .map_err(|e| self.err(e))?;
        }
        self.db
            .first(
                "SELECT value FROM meta WHERE key = 'token_secret'",
                args![],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    fn record(row: &Row) -> Result<DigestRecord, DbError> {
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
        self.db
            .first(
                "SELECT id, created_at, since, until, posts, completed_at FROM digests
                 WHERE completed_at IS NULL ORDER BY until DESC LIMIT 1",
                args![],
                Self::record,
            )
            .map_err(|e| self.err(e))
    }

    /// The cut-off of the last complete digest: the next one starts there.
    pub fn last_cutoff(&self) -> Result<Option<String>, Error> {
        self.db
            .value(
                "SELECT max(until) FROM digests WHERE completed_at IS NOT NULL",
                args![],
            )
            .map_err(|e| self.err(e))
    }

    /// Ids of every post some earlier digest carried.
    pub fn posts_already_sent(&self) -> Result<std::collections::HashSet<String>, Error> {
        let lists: Vec<String> = self.rows("SELECT posts FROM digests", args![], |r| r.get(0))?;
        Ok(lists
            .iter()
            .flat_map(|list| serde_json::from_str::<Vec<String>>(list).unwrap_or_default())
            .collect())
    }

    /// Every announced update a digest carried: (post id, its `updated`).
    pub fn updates_already_sent(
        &self,
    ) -> Result<std::collections::HashSet<(String, String)>, Error> {
        // A ledger of schema 2 opened read-only (a preview) has carried none.
        let has_column = self
            .db
            .has_column("digest_posts", "updated")
            .map_err(|e| self.err(e))?;
        if !has_column {
            return Ok(Default::default());
        }
        let rows: Vec<(String, String)> = self.rows(
            "SELECT post_id, updated FROM digest_posts WHERE updated IS NOT NULL",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(rows.into_iter().collect())
    }

    /// Records a new digest, the posts as planned and its recipients, all
    /// pending, in one transaction; false (and nothing written) when an
    /// unfinished digest exists, which is to be finished instead.
    pub fn create<P: PlannedPost>(
        &mut self,
        record: &DigestRecord,
        posts: &[P],
        recipients: &[String],
        now: &str,
    ) -> Result<bool, Error> {
        self.create_batch(
            &[NewDigest {
                record,
                posts,
                recipients,
            }],
            &[],
            now,
        )
    }

    /// Records the digests of one run and the slots it handled for each
    /// reader (address, slot), in one transaction: a run killed half way
    /// has planned all of them or none. False, and nothing written, when an
    /// unfinished digest exists (another shard of this split planned a
    /// moment ago): that one is to be finished instead.
    pub fn create_batch<P: PlannedPost>(
        &mut self,
        digests: &[NewDigest<'_, P>],
        handled: &[(String, String)],
        now: &str,
    ) -> Result<bool, Error> {
        let mut planned: Vec<Vec<String>> = Vec::with_capacity(digests.len());
        for digest in digests {
            let data = digest
                .posts
                .iter()
                .map(|post| {
                    serde_json::to_string(post).map_err(|e| Error::Ledger {
                        path: self.path.clone(),
                        message: format!("cannot store the planned post {}: {e}", post.id()),
                    })
                })
                .collect::<Result<_, _>>()?;
            planned.push(data);
        }
        self.db
            .write(|tx| {
                // Shards of one split start together: the first plans the
                // digest, the others find it here and finish it with their part.
                let unfinished = tx.first(
                    "SELECT id FROM digests WHERE completed_at IS NULL LIMIT 1",
                    args![],
                    |r| r.get::<String>(0),
                )?;
                if unfinished.is_some() {
                    return Ok(false);
                }
                let mut batch = tx.batch();
                for (digest, data) in digests.iter().zip(&planned) {
                    let record = digest.record;
                    batch.push(
                        "INSERT INTO digests (id, created_at, since, until, posts) VALUES (?1, ?2, ?3, ?4, ?5)",
                        args![
                            record.id,
                            record.created_at,
                            record.since,
                            record.until,
                            serde_json::to_string(&record.posts).unwrap_or_default()
                        ],
                    )?;
                    for (position, (post, data)) in digest.posts.iter().zip(data).enumerate() {
                        batch.push(
                            "INSERT INTO digest_posts (digest_id, position, post_id, data, updated) VALUES (?1, ?2, ?3, ?4, ?5)",
                            args![record.id, position as i64, post.id(), data, post.update_key()],
                        )?;
                    }
                    let mut recipients = Rows::new(
                        "INSERT INTO recipients (digest_id, position, email, status, updated_at) VALUES (?1, ?2, ?3, 'pending', ?4)",
                    );
                    for (position, email) in digest.recipients.iter().enumerate() {
                        recipients.push(args![record.id, position as i64, email, now]);
                        if recipients.is_full() {
                            batch.push_rows(&mut recipients)?;
                        }
                    }
                    batch.push_rows(&mut recipients)?;
                }
                for (email, at) in handled {
                    batch.push(
                        "UPDATE subscribers SET handled_slot = ?2 WHERE email = ?1",
                        args![email, at],
                    )?;
                }
                batch.finish()?;
                Ok(true)
            })
            .map_err(|e| self.err(e))
    }

    /// A value kept in the ledger's `meta` table.
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>, Error> {
        self.db
            .first("SELECT value FROM meta WHERE key = ?1", args![key], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<(), Error> {
        self.db
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                args![key, value],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Every digest not yet finished, oldest first.
    pub fn unfinished_all(&self) -> Result<Vec<DigestRecord>, Error> {
        self.rows(
            "SELECT id, created_at, since, until, posts, completed_at FROM digests
             WHERE completed_at IS NULL ORDER BY created_at, id",
            args![],
            Self::record,
        )
    }

    /// When each digest was planned, oldest first.
    pub fn digest_times(&self) -> Result<Vec<String>, Error> {
        self.rows(
            "SELECT created_at FROM digests ORDER BY created_at",
            args![],
            |r| r.get(0),
        )
    }

    /// Who has been sent (or is about to be sent) which of the posts `ids`:
    /// (address, post id, `None` for the post or the `updated` instant of an
    /// announced update), one row at a time. A recipient left out of a
    /// digest (skipped) has not been sent its posts.
    pub fn for_each_claim(
        &self,
        ids: &[&str],
        mut each: impl FnMut(String, String, Option<String>),
    ) -> Result<(), Error> {
        let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        // The posts of a digest are a JSON array, which each engine unpacks
        // in its own words.
        let (posts, wanted) = match self.db.engine() {
            Engine::Sqlite => ("json_each(d.posts) j", "SELECT value FROM json_each(?1)"),
            Engine::Postgres => (
                "jsonb_array_elements_text(CAST(d.posts AS jsonb)) j(value)",
                "SELECT jsonb_array_elements_text(CAST(CAST(?1 AS TEXT) AS jsonb))",
            ),
        };
        let sql = format!(
            "SELECT r.email, j.value, NULL FROM digests d CROSS JOIN {posts}
                 JOIN recipients r ON r.digest_id = d.id
             WHERE j.value IN ({wanted}) AND r.status != 'skipped'
             UNION ALL
             SELECT r.email, p.post_id, p.updated FROM digest_posts p
                 JOIN recipients r ON r.digest_id = p.digest_id
             WHERE p.updated IS NOT NULL AND p.post_id IN ({wanted})
                 AND r.status != 'skipped'"
        );
        self.each_row(&sql, args![ids], |r| {
            each(r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(())
        })
    }

    /// The posts of a digest as they were planned, in order; empty for
    /// digests planned before gazette kept them.
    pub fn planned_posts<P: PlannedPost>(&self, digest: &str) -> Result<Vec<P>, Error> {
        let rows: Vec<String> = self.rows(
            "SELECT data FROM digest_posts WHERE digest_id = ?1 ORDER BY position",
            args![digest],
            |r| r.get(0),
        )?;
        rows.iter()
            .map(|data| {
                serde_json::from_str(data).map_err(|e| Error::Ledger {
                    path: self.path.clone(),
                    message: format!("a planned post of digest {digest} cannot be read: {e}"),
                })
            })
            .collect()
    }

    /// Takes posts out of the rest of a digest (they are no longer published).
    pub fn drop_planned(&self, digest: &str, post_ids: &[String]) -> Result<(), Error> {
        for id in post_ids {
            self.db
                .execute(
                    "DELETE FROM digest_posts WHERE digest_id = ?1 AND post_id = ?2",
                    args![digest, id],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Marks every pending recipient skipped, with `reason`.
    pub fn skip_pending(&mut self, digest: &str, reason: &str, now: &str) -> Result<(), Error> {
        self.renew_lock()?;
        self.db
            .execute(
                "UPDATE recipients SET status = 'skipped', error = ?2, updated_at = ?3 WHERE digest_id = ?1 AND status = 'pending'",
                args![digest, reason, now],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Whether some digest was completed: later digests look back
    /// `max_age_days`, the first one `first_days`.
    pub fn has_completed(&self) -> Result<bool, Error> {
        Ok(self.last_cutoff()?.is_some())
    }

    /// Addresses still to be sent, in their original order.
    pub fn pending(&self, digest: &str) -> Result<Vec<String>, Error> {
        self.rows(
            "SELECT email FROM recipients WHERE digest_id = ?1 AND status = 'pending' ORDER BY position",
            args![digest],
            |r| r.get(0),
        )
    }

    pub fn mark(
        &mut self,
        digest: &str,
        email: &str,
        outcome: &Outcome,
        now: &str,
    ) -> Result<(), Error> {
        self.mark_all(digest, &[(email, outcome)], now)
    }

    /// Records several outcomes in one transaction of two statements: one
    /// commit (one WAL write, one round trip to PostgreSQL) for all of
    /// them. A power cut, or a PostgreSQL server crash, may lose the last
    /// outcomes (sent again on the rerun, with the same Message-ID), never
    /// the ledger's consistency.
    pub fn mark_all(
        &mut self,
        digest: &str,
        outcomes: &[(&str, &Outcome)],
        now: &str,
    ) -> Result<(), Error> {
        self.renew_lock()?;
        let mut recorded = Rows::new(RECORD_OUTCOMES);
        // A delivery ends a run of temporary failures: they count "in a row".
        let mut delivered = Rows::new(
            "UPDATE subscribers SET soft_bounces = 0 WHERE soft_bounces > 0 AND email IN (VALUES (?1))",
        );
        for (email, outcome) in outcomes {
            let (status, message_id, error, attempts) = columns(outcome);
            recorded.push(args![
                digest, email, status, message_id, error, attempts, now
            ]);
            if status == "sent" {
                delivered.push(args![email]);
            }
        }
        self.db
            .write(|tx| {
                let mut batch = tx.batch();
                if tx.engine() == Engine::Postgres {
                    // As SQLite's `synchronous = NORMAL`: the commit does not
                    // wait for the disk, and a crash loses it whole or not at all.
                    batch.push(
                        "SELECT set_config('synchronous_commit', 'off', true)",
                        args![],
                    )?;
                }
                batch.push_rows(&mut recorded)?;
                batch.push_rows(&mut delivered)?;
                batch.finish()
            })
            .map_err(|e| self.err(e))
    }

    /// Marks the digest complete once no recipient is pending; returns whether it is.
    pub fn complete_if_done(&self, digest: &str, now: &str) -> Result<bool, Error> {
        let pending = self.counts(digest)?.pending;
        if pending == 0 {
            self.db
                .execute(
                    "UPDATE digests SET completed_at = ?2 WHERE id = ?1 AND completed_at IS NULL",
                    args![digest, now],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(pending == 0)
    }

    pub fn counts(&self, digest: &str) -> Result<Counts, Error> {
        let rows: Vec<(String, i64)> = self.rows(
            "SELECT status, count(*) FROM recipients WHERE digest_id = ?1 GROUP BY status",
            args![digest],
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
            args![digest],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    pub fn recent(&self, limit: usize) -> Result<Vec<DigestRecord>, Error> {
        self.rows(
            "SELECT id, created_at, since, until, posts, completed_at FROM digests ORDER BY until DESC LIMIT ?1",
            args![limit as i64],
            Self::record,
        )
    }

    /// Runs `sql` and hands each row to `each` as it comes, for results
    /// too big to hold (one row per subscriber).
    fn each_row(
        &self,
        sql: &str,
        args: &[&dyn store::ToArg],
        each: impl FnMut(&Row) -> Result<(), DbError>,
    ) -> Result<(), Error> {
        self.db.each(sql, args, each).map_err(|e| self.err(e))
    }

    /// Every row of a query, mapped.
    fn rows<T>(
        &self,
        sql: &str,
        args: &[&dyn store::ToArg],
        map: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, Error> {
        self.db.all(sql, args, map).map_err(|e| self.err(e))
    }

    /// Every digest message recorded for `key`, oldest first.
    pub fn sent_to(&self, key: &str) -> Result<Vec<SentTo>, Error> {
        self.rows(
            "SELECT digest_id, status, message_id, error, updated_at FROM recipients
             WHERE email = ?1 ORDER BY updated_at, digest_id",
            args![key],
            |r| {
                Ok(SentTo {
                    digest: r.get(0)?,
                    status: r.get(1)?,
                    message_id: r.get(2)?,
                    error: r.get(3)?,
                    at: r.get(4)?,
                })
            },
        )
    }

    /// Records a test send (`digest --to`), apart from the digest's recipients.
    pub fn record_test_send(
        &self,
        digest: &str,
        email: &str,
        outcome: &Outcome,
        now: &str,
    ) -> Result<(), Error> {
        let (_, message_id, error, _) = columns(outcome);
        self.db
            .execute(
                "INSERT INTO test_sends (digest_id, email, sent_at, message_id, error) VALUES (?1, ?2, ?3, ?4, ?5)",
                args![digest, email, now, message_id, error],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        if let Some(lock) = &self.lock {
            // A lock left behind is freed by its lease or the dead-process
            // check, so a failure here is not worth more than that.
            let _ = self
                .db
                .execute("DELETE FROM send_lock WHERE owner = ?1", args![lock.owner]);
        }
    }
}

/// One digest message to one address, as the ledger recorded it.
#[derive(Debug, Clone, Serialize)]
pub struct SentTo {
    /// The digest.
    pub digest: String,
    /// `pending`, `sent`, `failed` or `skipped`.
    pub status: String,
    /// Its Message-ID, once sent.
    pub message_id: Option<String>,
    /// The server's answer or why it was skipped.
    pub error: Option<String>,
    /// When this was recorded.
    pub at: Option<String>,
}

/// Unsubscribe tokens are signed with the secret from the environment if set,
/// else with one generated once and kept in the ledger.
pub(crate) fn signing_secret(
    digest: &crate::config::DigestConfig,
    ledger: Option<&Ledger>,
) -> Result<String, Error> {
    if let Ok(secret) = std::env::var(&digest.secret_env) {
        if !secret.is_empty() {
            return Ok(secret);
        }
    }
    match ledger.map(Ledger::secret).transpose()?.flatten() {
        Some(secret) => Ok(secret),
        // Previews before any send made a secret: tokens are only examples then.
        None => Ok("preview-only-secret".into()),
    }
}

/// A send's outcome, one row per recipient: `(digest, email, status,
/// message_id, error, attempts, at)`, the attempts added to earlier runs'.
const RECORD_OUTCOMES: &str =
    "UPDATE recipients SET status = v.column3, message_id = v.column4, error = v.column5,
        attempts = recipients.attempts + v.column6, updated_at = v.column7
    FROM (VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS BIGINT), ?7)) AS v
    WHERE recipients.digest_id = v.column1 AND recipients.email = v.column2";

/// The ledger's view of an outcome: status, Message-ID, error text,
/// attempts made.
fn columns(outcome: &Outcome) -> (&'static str, Option<&str>, Option<&str>, u32) {
    match outcome {
        Outcome::Sent {
            message_id,
            attempts,
        } => ("sent", Some(message_id), None, *attempts),
        Outcome::Failed { error, attempts } => ("failed", None, Some(error), *attempts),
        Outcome::Deferred { error, attempts } => ("pending", None, Some(error), *attempts),
        Outcome::Skipped { reason } => ("skipped", None, Some(reason), 0),
    }
}

/// 32 random bytes in hex, from the operating system's generator.
fn random_secret() -> Result<String, DbError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| DbError::Type(format!("no random bytes for the token secret: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn db_error(path: &Path, e: DbError) -> Error {
    Error::Ledger {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
#[path = "../../tests/support/postgres.rs"]
mod test_postgres;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Where a test keeps its ledger: an SQLite file, or a database of a
    /// throw-away PostgreSQL cluster. Each `open` is a new connection (a
    /// process of its own, as far as the ledger can tell) to the same ledger.
    pub(crate) struct TestStore {
        dir: tempfile::TempDir,
        postgres: Option<(super::test_postgres::Cluster, String)>,
    }

    impl TestStore {
        pub(crate) fn open(&self) -> Ledger {
            match &self.postgres {
                Some((_, url)) => Ledger::open_postgres(url, "PGPASSWORD", false)
                    .unwrap()
                    .unwrap(),
                None => Ledger::open(&self.dir.path().join("l.sqlite")).unwrap(),
            }
        }

        pub(crate) fn name(&self) -> &'static str {
            if self.postgres.is_some() {
                "PostgreSQL"
            } else {
                "SQLite"
            }
        }
    }

    /// A ledger in an SQLite file of its own.
    pub(crate) fn sqlite_store() -> TestStore {
        TestStore {
            dir: tempfile::tempdir().unwrap(),
            postgres: None,
        }
    }

    /// Both stores a ledger test runs on: SQLite, and PostgreSQL where it
    /// is installed (see `tests/support/postgres.rs`).
    pub(crate) fn stores() -> Vec<TestStore> {
        let sqlite = sqlite_store();
        let postgres = super::test_postgres::Cluster::start().map(|cluster| {
            let url = cluster.database();
            TestStore {
                dir: tempfile::tempdir().unwrap(),
                postgres: Some((cluster, url)),
            }
        });
        std::iter::once(sqlite).chain(postgres).collect()
    }

    /// A planned post as the ledger's own tests plan them.
    #[derive(Serialize, serde::Deserialize)]
    pub(crate) struct TestPost {
        id: String,
    }

    impl PlannedPost for TestPost {
        fn id(&self) -> &str {
            &self.id
        }

        fn update_key(&self) -> Option<&str> {
            None
        }
    }

    #[test]
    fn one_send_lock_at_a_time_and_released_on_drop() {
        for store in stores() {
            one_send_lock_at_a_time_on(&store);
        }
    }

    fn one_send_lock_at_a_time_on(store: &TestStore) {
        let mut first = store.open();
        first.lock_for_sending("t0", None).unwrap().unwrap();
        first.lock_digest("d1").unwrap();
        let mut second = store.open();
        let holder = second.lock_for_sending("t1", None).unwrap().unwrap_err();
        assert_eq!(holder.pid, std::process::id());
        assert_eq!(holder.digest_id.as_deref(), Some("d1"));
        assert!(holder
            .to_string()
            .contains("another run is sending digest d1"));
        drop(first);
        second.lock_for_sending("t2", None).unwrap().unwrap();
        // Shards of one split run side by side; a whole run or another split waits.
        let mut third = store.open();
        drop(second);
        let one = Shard::parse("1/2").unwrap();
        let two = Shard::parse("2/2").unwrap();
        third.lock_for_sending("t3", Some(one)).unwrap().unwrap();
        let mut fourth = store.open();
        fourth.lock_for_sending("t4", Some(two)).unwrap().unwrap();
        let mut fifth = store.open();
        assert!(fifth.lock_for_sending("t5", Some(one)).unwrap().is_err());
        assert!(fifth.lock_for_sending("t5", None).unwrap().is_err());
        assert!(fifth
            .lock_for_sending("t5", Some(Shard::parse("1/3").unwrap()))
            .unwrap()
            .is_err());
    }

    #[test]
    fn an_older_ledger_is_brought_up_to_date_with_its_subscribers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            // The subscribers table as gazette wrote it before the consent log.
            conn.execute_batch(&format!(
                "CREATE TABLE digests (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, since TEXT NOT NULL,
                     until TEXT NOT NULL, posts TEXT NOT NULL, completed_at TEXT);
                 CREATE TABLE subscribers (email TEXT PRIMARY KEY, address TEXT NOT NULL, name TEXT,
                     fields TEXT NOT NULL DEFAULT '{{}}', state TEXT NOT NULL, source TEXT NOT NULL,
                     token TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                     confirmed_at TEXT, confirmed_ip TEXT, unsubscribed_at TEXT, bounced_at TEXT,
                     complained_at TEXT, soft_bounces INTEGER NOT NULL DEFAULT 0);
                 CREATE TABLE digest_posts (digest_id TEXT NOT NULL REFERENCES digests(id),
                     position INTEGER NOT NULL, post_id TEXT NOT NULL, data TEXT NOT NULL,
                     PRIMARY KEY (digest_id, post_id));
                 INSERT INTO subscribers (email, address, state, source, token, created_at, updated_at)
                     VALUES ('gone@example.org', 'gone@example.org', 'unsubscribed', 'serve', 't', 'a', 'b');
                 PRAGMA user_version = 1; PRAGMA application_id = {APPLICATION_ID};"
            ))
            .unwrap();
        }
        let ledger = Ledger::open(&path).unwrap();
        let history = ledger.history("gone@example.org").unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].change, "recorded");
        assert_eq!(history[0].state.as_deref(), Some("unsubscribed"));
        // Schema 3: announced updates are recorded per planned post.
        assert!(ledger.updates_already_sent().unwrap().is_empty());
        let version: i64 = ledger.db.value("PRAGMA user_version", args![]).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        drop(ledger);
        // Opening again adds nothing twice.
        let again = Ledger::open(&path).unwrap();
        assert_eq!(again.history("gone@example.org").unwrap().len(), 1);
    }

    #[test]
    fn shards_split_addresses_evenly_and_completely() {
        let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, count: 3 }).collect();
        let mut sizes = [0usize; 3];
        for n in 0..3000 {
            let email = format!("reader{n}@example.net");
            let owners: Vec<usize> = (0..3).filter(|&i| shards[i].holds(&email)).collect();
            assert_eq!(owners.len(), 1, "{email}");
            sizes[owners[0]] += 1;
        }
        assert!(
            sizes.iter().all(|&s| (850..=1150).contains(&s)),
            "{sizes:?}"
        );
        assert!(
            Shard::parse("0/2").is_err()
                && Shard::parse("3/2").is_err()
                && Shard::parse("x").is_err()
        );
    }

    #[test]
    fn a_lock_of_a_dead_process_is_taken_over() {
        for store in stores() {
            let ledger = store.open();
            // A pid far above any the kernel hands out.
            ledger
                .db
                .execute(
                    "INSERT INTO send_lock VALUES ('send', 'x', 4000000000, ?1, 't', NULL, ?2)",
                    args![this_host(), crate::clock::unix_now() + 600],
                )
                .unwrap();
            let mut ledger = ledger;
            assert!(
                ledger.lock_for_sending("t", None).unwrap().is_ok(),
                "{}",
                store.name()
            );
        }
    }

    #[test]
    fn a_digest_completes_when_nobody_is_pending() {
        for store in stores() {
            a_digest_completes_on(&store);
        }
    }

    fn a_digest_completes_on(store: &TestStore) {
        let mut ledger = store.open();
        let record = DigestRecord {
            id: "d1".into(),
            created_at: "t0".into(),
            since: "s".into(),
            until: "u".into(),
            posts: vec!["p1".into()],
            completed_at: None,
        };
        ledger
            .create(
                &record,
                &[] as &[TestPost],
                &["a@x.org".into(), "b@x.org".into()],
                "t0",
            )
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
        let secret = ledger.secret().unwrap().unwrap();
        assert_eq!(secret.len(), 64);
        assert_eq!(
            ledger.secret().unwrap().unwrap(),
            secret,
            "the secret is created once"
        );
    }
}
