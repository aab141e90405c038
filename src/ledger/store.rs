//! The one place the ledger talks to its database: an SQLite file (the
//! embedded default) or a PostgreSQL database that several hosts share.
//! Every query goes through `Db` with numbered placeholders (`?1`, written
//! `$1` for PostgreSQL), values both engines hold (text, integers, NULL)
//! and rows read by column position, so that the ledger's queries are
//! written once; the few that differ ask `Db::engine`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use rusqlite::types::{ToSqlOutput, ValueRef};

/// A value bound to a placeholder.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arg<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

/// What can be bound to a placeholder.
pub(crate) trait ToArg {
    fn arg(&self) -> Arg<'_>;
}

impl ToArg for str {
    fn arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}

impl ToArg for String {
    fn arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}

impl ToArg for i64 {
    fn arg(&self) -> Arg<'_> {
        Arg::Int(*self)
    }
}

impl ToArg for u32 {
    fn arg(&self) -> Arg<'_> {
        Arg::Int(i64::from(*self))
    }
}

impl ToArg for bool {
    fn arg(&self) -> Arg<'_> {
        Arg::Int(i64::from(*self))
    }
}

impl<T: ToArg + ?Sized> ToArg for &T {
    fn arg(&self) -> Arg<'_> {
        (**self).arg()
    }
}

impl<T: ToArg> ToArg for Option<T> {
    fn arg(&self) -> Arg<'_> {
        self.as_ref().map_or(Arg::Null, ToArg::arg)
    }
}

/// The arguments of a query, in placeholder order.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$(&$value as &dyn $crate::ledger::store::ToArg),*] as &[&dyn $crate::ledger::store::ToArg]
    };
}
pub(crate) use args;

/// A statement with arguments of its own, waiting in a `Batch`.
struct Statement {
    sql: std::borrow::Cow<'static, str>,
    args: Vec<Value>,
}

/// Statements run in order as if one by one; PostgreSQL gets up to
/// `BATCH` of them before answering the first (pipelined), so a list
/// import or a send's records cost a round trip per batch instead of one
/// per statement. Inside `Db::write` they go with the transaction's next
/// request (its COMMIT at the latest). SQLite runs each at once: it has no
/// round trips.
pub(crate) struct Batch<'db> {
    db: &'db Db,
    pending: Vec<Statement>,
    /// The arguments of `pending`.
    pending_args: usize,
}

const BATCH: usize = 1024;

/// The most arguments waiting in a batch or queue: statements of many
/// rows (`Batch::push_rows`) are sent before a list's worth is held.
const BATCH_ARGS: usize = 16 * 1024;

impl Batch<'_> {
    pub(crate) fn push(
        &mut self,
        sql: impl Into<std::borrow::Cow<'static, str>>,
        args: &[&dyn ToArg],
    ) -> Result<(), DbError> {
        let sql = sql.into();
        if self.db.engine() == Engine::Sqlite {
            return self.db.execute(&sql, args).map(drop);
        }
        self.pending.push(Statement {
            sql,
            args: args.iter().map(|a| Value::from(a.arg())).collect(),
        });
        self.pending_args += args.len();
        if self.pending.len() >= BATCH || self.pending_args >= BATCH_ARGS {
            self.flush()?;
        }
        Ok(())
    }

    /// Runs what waits, or queues it for the transaction's next request;
    /// either way a later read sees it.
    pub(crate) fn flush(&mut self) -> Result<(), DbError> {
        let statements = std::mem::take(&mut self.pending);
        self.pending_args = 0;
        self.db.execute_all(&statements)
    }

    pub(crate) fn finish(mut self) -> Result<(), DbError> {
        self.flush()
    }

    /// Queues `rows` as a few statements of many rows each (one for every
    /// `MANY_ROWS`, then one per power of two of what is left, so that a
    /// table has at most eight different statements): both engines start a
    /// statement, check its constraints and answer it once per statement,
    /// not once per row.
    pub(crate) fn push_rows(&mut self, rows: &mut Rows) -> Result<(), DbError> {
        let values = std::mem::take(&mut rows.values);
        let mut left = &values[..];
        while !left.is_empty() {
            let count = left.len() / rows.width;
            let take = if count >= MANY_ROWS {
                MANY_ROWS
            } else {
                1 << count.ilog2()
            };
            let (these, rest) = left.split_at(take * rows.width);
            let sql = format!(
                "{} VALUES {}{}",
                rows.head,
                (0..take)
                    .map(|i| renumbered(&rows.row, i * rows.width))
                    .collect::<Vec<_>>()
                    .join(", "),
                rows.tail
            );
            let args: Vec<&dyn ToArg> = these.iter().map(|v| v as &dyn ToArg).collect();
            self.push(sql, &args)?;
            left = rest;
        }
        Ok(())
    }
}

/// The most rows one `Batch::push_rows` statement carries: 128 rows of
/// 15 columns stay far below either engine's limit of placeholders.
const MANY_ROWS: usize = 128;

/// Rows waiting to go into one statement of many rows: an `INSERT`, or
/// any statement that reads a `VALUES` list (`UPDATE … FROM (VALUES …)`).
pub(crate) struct Rows {
    /// What comes before `VALUES`: `INSERT INTO table (columns)`.
    head: String,
    /// One row's values, `(?1, ?2, 'pending')`.
    row: String,
    /// What follows the list of rows.
    tail: String,
    /// Placeholders per row.
    width: usize,
    values: Vec<Value>,
}

impl Rows {
    /// Rows for `push_rows`, from the statement for one row:
    /// `… VALUES (…) …`, the row's placeholders numbered from `?1`.
    pub(crate) fn new(one_row: &str) -> Rows {
        let at = one_row.rfind("VALUES").unwrap_or(one_row.len());
        let (head, rest) = one_row.split_at(at);
        let rest = rest.trim_start_matches("VALUES").trim_start();
        let (row, tail) = rest.split_at(closing_paren(rest).map_or(rest.len(), |end| end + 1));
        let mut width = 0;
        map_placeholders(row, |n| {
            width = width.max(n);
            String::new()
        });
        Rows {
            head: head.trim_end().to_string(),
            row: row.to_string(),
            tail: tail.to_string(),
            width,
            values: Vec::new(),
        }
    }

    /// Enough rows for a statement of `MANY_ROWS`: time to `insert` them,
    /// so that what waits does not grow with the list.
    pub(crate) fn is_full(&self) -> bool {
        self.values.len() >= MANY_ROWS * self.width.max(1)
    }

    /// Adds a row: one argument per placeholder, in order.
    pub(crate) fn push(&mut self, args: &[&dyn ToArg]) {
        debug_assert_eq!(args.len(), self.width, "{}", self.row);
        self.values
            .extend(args.iter().map(|a| Value::from(a.arg())));
    }
}

impl From<Arg<'_>> for Value {
    fn from(arg: Arg<'_>) -> Value {
        match arg {
            Arg::Null => Value::Null,
            Arg::Int(n) => Value::Int(n),
            Arg::Text(text) => Value::Text(text.to_string()),
        }
    }
}

impl ToArg for Value {
    fn arg(&self) -> Arg<'_> {
        match self {
            Value::Null => Arg::Null,
            Value::Int(n) => Arg::Int(*n),
            Value::Text(text) => Arg::Text(text),
        }
    }
}

/// `?1, ?2, …`: `count` placeholders, for an `IN` list or a row of values.
pub(crate) fn placeholders(count: usize) -> String {
    (1..=count)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value as a row holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// One row of a result, read by column position.
pub(crate) struct Row(Vec<Value>);

/// What a column can be read as.
pub(crate) trait FromValue: Sized {
    fn from_value(value: &Value) -> Option<Self>;
    const EXPECTED: &'static str;
}

impl FromValue for String {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(text) => Some(text.clone()),
            _ => None,
        }
    }
    const EXPECTED: &'static str = "text";
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }
    const EXPECTED: &'static str = "an integer";
}

impl FromValue for u32 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(n) => u32::try_from(*n).ok(),
            _ => None,
        }
    }
    const EXPECTED: &'static str = "an integer from 0 to 2^32";
}

impl FromValue for bool {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(n) => Some(*n != 0),
            _ => None,
        }
    }
    const EXPECTED: &'static str = "a truth value";
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
    const EXPECTED: &'static str = T::EXPECTED;
}

impl Row {
    /// Every column, in order.
    pub(crate) fn values(&self) -> &[Value] {
        &self.0
    }

    /// Column `index` as a `T`.
    pub(crate) fn get<T: FromValue>(&self, index: usize) -> Result<T, DbError> {
        let value = self.0.get(index).unwrap_or(&Value::Null);
        T::from_value(value).ok_or_else(|| {
            DbError::Type(format!(
                "column {index} holds {value:?} where {} was expected",
                T::EXPECTED
            ))
        })
    }
}

/// A database error, with what the engine said.
#[derive(Debug)]
pub(crate) enum DbError {
    Sqlite(rusqlite::Error),
    Postgres(tokio_postgres::Error),
    /// A value that is not what the ledger wrote there.
    Type(String),
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Sqlite(e) => e.fmt(f),
            DbError::Postgres(e) => match e.as_db_error() {
                // The server's own words, without the crate's "db error:" prefix.
                Some(db) => write!(f, "{}: {}", db.severity(), db.message()),
                None => e.fmt(f),
            },
            DbError::Type(message) => f.write_str(message),
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        DbError::Sqlite(e)
    }
}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> Self {
        DbError::Postgres(e)
    }
}

impl DbError {
    /// Another process holds the lock this step needs, for now.
    pub(crate) fn is_busy(&self) -> bool {
        matches!(self, DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy)
    }
}

/// Which engine keeps the ledger, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

/// The key of the PostgreSQL advisory lock that write transactions take:
/// "GAZE", like the SQLite file's application id.
const WRITE_LOCK: i64 = 0x4741_5A45;

/// A PostgreSQL connection with its prepared statements. The client is
/// the asynchronous one on a runtime of its own: the ledger waits for each
/// answer, except for a `Batch`, whose statements go out together.
struct Pg {
    runtime: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    statements: RefCell<HashMap<String, tokio_postgres::Statement>>,
    /// Statements whose answer nothing waits for (a transaction's opening,
    /// a batch, the COMMIT), sent ahead of the next request in the same
    /// round trip.
    queued: RefCell<Vec<Queued>>,
    /// The arguments of `queued`.
    queued_args: Cell<usize>,
    /// Inside `Db::write`: statements join its transaction.
    in_write: Cell<bool>,
    /// Inside `Db::each`, whose rows are still arriving.
    streaming: Cell<bool>,
    read_only: bool,
}

enum Queued {
    /// Statements without arguments (the simple query protocol).
    Simple(String),
    Prepared(tokio_postgres::Statement, Vec<Value>),
}

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

/// A connection to the ledger's database.
pub(crate) struct Db {
    conn: Conn,
}

impl Db {
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Db {
        // Every query is cached: the ledger runs a few dozen different ones.
        conn.set_prepared_statement_cache_capacity(64);
        Db {
            conn: Conn::Sqlite(conn),
        }
    }

    /// Connects to a ledger kept in PostgreSQL; `read_only` sessions
    /// refuse to write.
    pub(crate) fn postgres(
        target: super::postgres_url::Target,
        read_only: bool,
    ) -> Result<Db, DbError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| DbError::Type(format!("cannot start the PostgreSQL client: {e}")))?;
        // The connection runs whenever the ledger waits for an answer.
        let client = match target.tls {
            Some(tls) => {
                let (client, connection) = runtime.block_on(target.config.connect(tls))?;
                runtime.spawn(connection);
                client
            }
            None => {
                let (client, connection) =
                    runtime.block_on(target.config.connect(tokio_postgres::NoTls))?;
                runtime.spawn(connection);
                client
            }
        };
        let pg = Pg {
            runtime,
            client,
            statements: RefCell::new(HashMap::new()),
            queued: RefCell::new(Vec::new()),
            queued_args: Cell::new(0),
            in_write: Cell::new(false),
            streaming: Cell::new(false),
            read_only,
        };
        // Times are written by gazette as RFC 3339 text in UTC; the session
        // zone only matters to what the server itself stamps.
        pg.batch("SET TIME ZONE 'UTC'")?;
        if read_only {
            pg.batch("SET default_transaction_read_only = on")?;
        }
        Ok(Db {
            conn: Conn::Postgres(Box::new(pg)),
        })
    }

    pub(crate) fn engine(&self) -> Engine {
        match self.conn {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        }
    }

    /// Runs a statement; how many rows it changed. Outside `write`, a
    /// PostgreSQL statement takes the write lock for itself, so that it
    /// never lands between what a write transaction read and wrote (as
    /// SQLite's single writer guarantees).
    pub(crate) fn execute(&self, sql: &str, args: &[&dyn ToArg]) -> Result<usize, DbError> {
        match &self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                Ok(statement.execute(rusqlite::params_from_iter(args.iter().map(|a| a.arg())))?)
            }
            Conn::Postgres(pg) if !pg.in_write.get() && !pg.read_only => {
                self.write(|db| db.execute(sql, args))
            }
            Conn::Postgres(pg) => {
                let statement = pg.prepare(sql)?;
                let values = pg_args(args);
                let changed = pg.send(pg.client.execute(&statement, &pg_refs(&values)))?;
                Ok(changed as usize)
            }
        }
    }

    /// A batch of statements (see `Batch`).
    pub(crate) fn batch(&self) -> Batch<'_> {
        Batch {
            db: self,
            pending: Vec::new(),
            pending_args: 0,
        }
    }

    /// Runs `statements` pipelined (PostgreSQL; see `Batch`).
    fn execute_all(&self, statements: &[Statement]) -> Result<(), DbError> {
        let Conn::Postgres(pg) = &self.conn else {
            for s in statements {
                let args: Vec<&dyn ToArg> = s.args.iter().map(|a| a as &dyn ToArg).collect();
                self.execute(&s.sql, &args)?;
            }
            return Ok(());
        };
        if statements.is_empty() {
            return Ok(());
        }
        if !pg.in_write.get() && !pg.read_only {
            return self.write(|db| db.execute_all(statements));
        }
        for s in statements {
            let statement = pg.prepare(&s.sql)?;
            pg.queue(Queued::Prepared(statement, s.args.clone()))?;
        }
        // Outside a transaction no COMMIT would carry them.
        if !pg.in_write.get() {
            pg.send_queued()?;
        }
        Ok(())
    }

    /// Runs several statements without arguments.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        match &self.conn {
            Conn::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Conn::Postgres(pg) => pg.batch(sql),
        }
    }

    /// Hands each row to `each` as it comes, for results too big to hold.
    pub(crate) fn each(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        mut each: impl FnMut(&Row) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        match &self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                let columns = statement.column_count();
                let mut rows =
                    statement.query(rusqlite::params_from_iter(args.iter().map(|a| a.arg())))?;
                while let Some(row) = rows.next()? {
                    each(&sqlite_row(row, columns)?)?;
                }
            }
            Conn::Postgres(pg) => {
                // Rows are handed over as they arrive, so a result of a
                // million rows is never held; `each` may not query meanwhile.
                let statement = pg.prepare(sql)?;
                let values = pg_args(args);
                pg.send_queued()?;
                pg.streaming.set(true);
                let streamed = pg.runtime.block_on(async {
                    let rows = pg.client.query_raw(&statement, values.iter()).await?;
                    futures_util::pin_mut!(rows);
                    while let Some(row) = futures_util::StreamExt::next(&mut rows).await {
                        each(&pg_row(&row?)?)?;
                    }
                    Ok::<(), DbError>(())
                });
                pg.streaming.set(false);
                streamed?;
            }
        }
        Ok(())
    }

    /// Every row, mapped.
    pub(crate) fn all<T>(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        mut map: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        let mut out = Vec::new();
        self.each(sql, args, |row| {
            out.push(map(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, mapped, if there is one.
    pub(crate) fn first<T>(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        map: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        let row = match &self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                let columns = statement.column_count();
                let mut rows =
                    statement.query(rusqlite::params_from_iter(args.iter().map(|a| a.arg())))?;
                match rows.next()? {
                    Some(row) => Some(sqlite_row(row, columns)?),
                    None => None,
                }
            }
            Conn::Postgres(pg) => match pg.query(sql, args)?.first() {
                Some(row) => Some(pg_row(row)?),
                None => None,
            },
        };
        row.as_ref().map(map).transpose()
    }

    /// Column 0 of the one row a query always returns (an aggregate).
    pub(crate) fn value<T: FromValue>(&self, sql: &str, args: &[&dyn ToArg]) -> Result<T, DbError> {
        self.first(sql, args, |row| row.get(0))?
            .ok_or_else(|| DbError::Type(format!("no row from {sql}")))
    }

    /// Whether the database has `table`: a ledger written by an older
    /// gazette and opened read-only may not.
    pub(crate) fn has_table(&self, table: &str) -> Result<bool, DbError> {
        match self.engine() {
            Engine::Sqlite => self.value(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                args![table],
            ),
            Engine::Postgres => self.value(
                "SELECT to_regclass(CAST(?1 AS TEXT)) IS NOT NULL",
                args![table],
            ),
        }
    }

    /// Whether `table` has `column`.
    pub(crate) fn has_column(&self, table: &str, column: &str) -> Result<bool, DbError> {
        match self.engine() {
            Engine::Sqlite => self.value(
                "SELECT count(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
                args![table, column],
            ),
            Engine::Postgres => self.value(
                "SELECT count(*) > 0 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = ?1 AND column_name = ?2",
                args![table, column],
            ),
        }
    }

    /// Whether the connection may only read.
    pub(crate) fn read_only(&self) -> bool {
        match &self.conn {
            Conn::Sqlite(conn) => conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true),
            Conn::Postgres(pg) => pg.read_only,
        }
    }

    /// From now on, rows this connection deletes are overwritten, not
    /// only unlinked, so an erased address is not left in free pages.
    /// PostgreSQL has no such switch: `drop_old_pages` vacuums instead.
    pub(crate) fn erase_deleted(&self) -> Result<(), DbError> {
        match self.engine() {
            Engine::Sqlite => self.execute_batch("PRAGMA secure_delete = ON"),
            Engine::Postgres => Ok(()),
        }
    }

    /// Removes the old copies of what was erased from the database files:
    /// SQLite copies its write-ahead log back, PostgreSQL vacuums the
    /// tables that held the address. Another reader only delays this, so
    /// a failure is not an error.
    pub(crate) fn drop_old_pages(&self) {
        let _ = match self.engine() {
            Engine::Sqlite => self.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"),
            Engine::Postgres => self.execute_batch(
                "VACUUM subscribers, consent_events, recipients, test_sends, bounce_reports, sent_messages, confirm_outbox",
            ),
        };
    }

    /// Runs `step` in one write transaction taken up front, so that what it
    /// reads is still true when it writes: two processes changing the
    /// ledger take turns instead of undoing each other (SQLite: BEGIN
    /// IMMEDIATE; PostgreSQL: an advisory lock held to the commit, which
    /// serialises writers on every host sharing the database). A step that
    /// fails writes nothing.
    pub(crate) fn write<T>(
        &self,
        step: impl FnOnce(&Db) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let pg = match &self.conn {
            Conn::Sqlite(_) => {
                self.execute_batch("BEGIN IMMEDIATE")?;
                let outcome =
                    step(self).and_then(|value| self.execute_batch("COMMIT").map(|()| value));
                if outcome.is_err() {
                    let _ = self.execute_batch("ROLLBACK");
                }
                return outcome;
            }
            Conn::Postgres(pg) => pg,
        };
        pg.not_streaming()?;
        // The opening goes with the step's first request and the COMMIT
        // with its last statements: a step that only writes is one round
        // trip.
        pg.queue(Queued::Simple(format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
        )))?;
        pg.in_write.set(true);
        let outcome = step(self).and_then(|value| {
            pg.queue(Queued::Simple("COMMIT".into()))?;
            pg.send_queued().map(|()| value)
        });
        pg.in_write.set(false);
        if outcome.is_err() {
            // Whatever failed, in whichever statement of a pipeline, no
            // transaction stays open on the connection.
            pg.take_queued();
            let _ = pg.batch("ROLLBACK");
        }
        outcome
    }
}

impl Pg {
    fn batch(&self, sql: &str) -> Result<(), DbError> {
        self.not_streaming()?;
        self.send(self.client.batch_execute(sql))
    }

    /// Sends what is queued, then `request`, without waiting in between
    /// (tokio-postgres writes requests in the order they are first polled),
    /// and waits for every answer: the first error is the result.
    fn send<T>(
        &self,
        request: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, DbError> {
        let queued = self.take_queued();
        let values: Vec<Vec<Arg<'_>>> = queued
            .iter()
            .map(|q| match q {
                Queued::Prepared(_, args) => args.iter().map(ToArg::arg).collect(),
                Queued::Simple(_) => Vec::new(),
            })
            .collect();
        let refs: Vec<_> = values.iter().map(|v| pg_refs(v)).collect();
        let ahead = queued.iter().zip(&refs).map(|(q, args)| {
            let client = &self.client;
            async move {
                match q {
                    Queued::Simple(sql) => client.batch_execute(sql).await,
                    Queued::Prepared(statement, _) => {
                        client.execute(statement, args).await.map(drop)
                    }
                }
            }
        });
        let (_, answer) = self.runtime.block_on(futures_util::future::try_join(
            futures_util::future::try_join_all(ahead),
            request,
        ))?;
        Ok(answer)
    }

    fn take_queued(&self) -> Vec<Queued> {
        self.queued_args.set(0);
        std::mem::take(&mut *self.queued.borrow_mut())
    }

    /// Sends what is queued and waits for it.
    fn send_queued(&self) -> Result<(), DbError> {
        if self.queued.borrow().is_empty() {
            return Ok(());
        }
        self.send(async { Ok(()) })
    }

    /// Queues a statement, sending the queue when it is long enough.
    fn queue(&self, statement: Queued) -> Result<(), DbError> {
        if let Queued::Prepared(_, args) = &statement {
            self.queued_args.set(self.queued_args.get() + args.len());
        }
        let full = {
            let mut queued = self.queued.borrow_mut();
            queued.push(statement);
            queued.len() >= BATCH || self.queued_args.get() >= BATCH_ARGS
        };
        if full {
            self.send_queued()?;
        }
        Ok(())
    }

    /// Every query waits for the runtime, which `Db::each` holds while its
    /// rows arrive: a query from inside `each` is a bug of ours.
    fn not_streaming(&self) -> Result<(), DbError> {
        if self.streaming.get() {
            return Err(DbError::Type(
                "a query was made while the rows of another were being read".into(),
            ));
        }
        Ok(())
    }

    /// The statement for `sql`, prepared once per connection.
    fn prepare(&self, sql: &str) -> Result<tokio_postgres::Statement, DbError> {
        self.not_streaming()?;
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        // What is queued may create what the statement names.
        self.send_queued()?;
        let statement = self
            .runtime
            .block_on(self.client.prepare(&dollar_placeholders(sql)))
            .map_err(|e| {
                // A statement the server refuses is a bug of ours: say which.
                let statement = sql.split_whitespace().collect::<Vec<_>>().join(" ");
                DbError::Type(format!("{} in `{statement}`", DbError::from(e)))
            })?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    fn query(&self, sql: &str, args: &[&dyn ToArg]) -> Result<Vec<tokio_postgres::Row>, DbError> {
        let statement = self.prepare(sql)?;
        let values = pg_args(args);
        self.send(self.client.query(&statement, &pg_refs(&values)))
    }
}

/// Where the parenthesis that opens `sql` closes, outside quotes.
fn closing_paren(sql: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (at, c) in sql.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// `?1` placeholders as PostgreSQL writes them (`$1`).
fn dollar_placeholders(sql: &str) -> String {
    map_placeholders(sql, |n| format!("${n}"))
}

/// A row's placeholders moved `by` places on: the row's `?1` becomes `?{1 + by}`.
fn renumbered(row: &str, by: usize) -> String {
    map_placeholders(row, |n| format!("?{}", n + by))
}

/// `sql` with each numbered placeholder (`?1`) replaced by `with` its
/// number; a `?` inside a quoted string or name stays.
fn map_placeholders(sql: &str, mut with: impl FnMut(usize) -> String) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut quote: Option<char> = None;
    let mut chars = sql.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') if chars.peek().is_some_and(|(_, d)| d.is_ascii_digit()) => {
                let digits: String =
                    std::iter::from_fn(|| chars.next_if(|(_, d)| d.is_ascii_digit()))
                        .map(|(_, d)| d)
                        .collect();
                match digits.parse() {
                    Ok(n) => out.push_str(&with(n)),
                    Err(_) => out.push_str(&sql[at..at + 1 + digits.len()]),
                }
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

fn pg_args<'a>(args: &'a [&'a dyn ToArg]) -> Vec<Arg<'a>> {
    args.iter().map(|a| a.arg()).collect()
}

fn pg_refs<'a>(values: &'a [Arg<'a>]) -> Vec<&'a (dyn tokio_postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect()
}

/// An argument is converted to the type the server inferred for its
/// placeholder: the ledger binds text and integers, PostgreSQL is strict
/// about `int4` against `int8` and about truth values.
impl tokio_postgres::types::ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &tokio_postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use tokio_postgres::types::Type;
        match *self {
            Arg::Null => Ok(tokio_postgres::types::IsNull::Yes),
            Arg::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(n)?.to_sql(ty, out),
                Type::BOOL => (n != 0).to_sql(ty, out),
                _ => n.to_string().as_str().to_sql(ty, out),
            },
            Arg::Text(text) => match *ty {
                Type::INT8 => text.parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => text.parse::<i32>()?.to_sql(ty, out),
                _ => text.to_sql(ty, out),
            },
        }
    }

    fn accepts(_: &tokio_postgres::types::Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// A column as the ledger reads it, whatever its PostgreSQL type.
impl<'a> tokio_postgres::types::FromSql<'a> for Value {
    fn from_sql(
        ty: &tokio_postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        use tokio_postgres::types::Type;
        Ok(match *ty {
            Type::BOOL => Value::Int(i64::from(bool::from_sql(ty, raw)?)),
            Type::INT2 => Value::Int(i64::from(i16::from_sql(ty, raw)?)),
            Type::INT4 => Value::Int(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            _ => Value::Text(String::from_utf8(raw.to_vec())?),
        })
    }

    fn from_sql_null(
        _: &tokio_postgres::types::Type,
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Value::Null)
    }

    fn accepts(_: &tokio_postgres::types::Type) -> bool {
        true
    }
}

fn pg_row(row: &tokio_postgres::Row) -> Result<Row, DbError> {
    (0..row.len())
        .map(|i| row.try_get::<_, Value>(i).map_err(DbError::from))
        .collect::<Result<_, _>>()
        .map(Row)
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(match *self {
            Arg::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Arg::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(n)),
            Arg::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        })
    }
}

fn sqlite_row(row: &rusqlite::Row<'_>, columns: usize) -> Result<Row, DbError> {
    (0..columns)
        .map(|i| {
            Ok(match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(x) => Value::Text(x.to_string()),
                ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                    Value::Text(String::from_utf8_lossy(bytes).into_owned())
                }
            })
        })
        .collect::<Result<_, DbError>>()
        .map(Row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_outside_quotes_only() {
        assert_eq!(
            dollar_placeholders("SELECT ?1, '?2', \"?3\", ?12 WHERE a = ?"),
            "SELECT $1, '?2', \"?3\", $12 WHERE a = ?"
        );
        assert_eq!(
            renumbered("(?1, ?1, ?2, 'pending?3')", 10),
            "(?11, ?11, ?12, 'pending?3')"
        );
        let rows = Rows::new("INSERT INTO t (a, b, c) VALUES (?1, ?2, 'x', ?2)");
        assert_eq!(rows.head, "INSERT INTO t (a, b, c)");
        assert_eq!(rows.row, "(?1, ?2, 'x', ?2)");
        assert_eq!(rows.width, 2);
        assert_eq!(rows.tail, "");
        let rows = Rows::new(
            "UPDATE t SET a = v.column2 FROM (VALUES (?1, CAST(?2 AS BIGINT), ')')) AS v WHERE t.b = v.column1",
        );
        assert_eq!(rows.head, "UPDATE t SET a = v.column2 FROM (");
        assert_eq!(rows.row, "(?1, CAST(?2 AS BIGINT), ')')");
        assert_eq!(rows.tail, ") AS v WHERE t.b = v.column1");
        assert_eq!(rows.width, 2);
    }

    /// Every row arrives once and in order, whatever the count (the
    /// statements of 128 rows and the powers of two after them), inside a
    /// write and outside one, on both engines.
    #[test]
    fn many_rows_are_inserted_in_few_statements_on_both_stores() {
        for store in crate::ledger::tests::stores() {
            let ledger = store.open();
            let db = &ledger.db;
            for count in [0usize, 1, 2, 7, 128, 300] {
                db.execute_batch("DELETE FROM erased").unwrap();
                let mut rows = Rows::new("INSERT INTO erased (hash, at) VALUES (?1, ?2)");
                let inserted = |rows: &mut Rows| {
                    let mut batch = db.batch();
                    batch.push_rows(rows)?;
                    batch.finish()
                };
                for i in 0..count {
                    rows.push(args![format!("h{i:04}"), format!("t{i}")]);
                }
                if count == 300 {
                    db.write(|tx| {
                        let mut batch = tx.batch();
                        batch.push_rows(&mut rows)?;
                        batch.finish()
                    })
                    .unwrap();
                } else {
                    inserted(&mut rows).unwrap();
                }
                let found: Vec<(String, String)> = db
                    .all("SELECT hash, at FROM erased ORDER BY hash", args![], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .unwrap();
                let wanted: Vec<(String, String)> = (0..count)
                    .map(|i| (format!("h{i:04}"), format!("t{i}")))
                    .collect();
                assert_eq!(found, wanted, "{count} rows");
            }
        }
    }
}
