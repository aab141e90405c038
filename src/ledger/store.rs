//! The one place the ledger talks to its database. Every query the ledger
//! runs goes through `Db` with numbered placeholders (`?1`), values that
//! both SQLite and PostgreSQL hold (text, integers, NULL) and rows read by
//! column position, so that the ledger's queries do not depend on which
//! engine keeps them.

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
    /// A value that is not what the ledger wrote there.
    Type(String),
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Sqlite(e) => e.fmt(f),
            DbError::Type(message) => f.write_str(message),
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        DbError::Sqlite(e)
    }
}

impl DbError {
    /// Another process holds the lock this step needs, for now.
    pub(crate) fn is_busy(&self) -> bool {
        matches!(self, DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy)
    }
}

/// A connection to the ledger's database.
pub(crate) struct Db {
    conn: rusqlite::Connection,
}

impl Db {
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Db {
        // Every query is cached: the ledger runs a few dozen different ones.
        conn.set_prepared_statement_cache_capacity(64);
        Db { conn }
    }

    /// Runs a statement; how many rows it changed.
    pub(crate) fn execute(&self, sql: &str, args: &[&dyn ToArg]) -> Result<usize, DbError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        Ok(statement.execute(rusqlite::params_from_iter(args.iter().map(|a| a.arg())))?)
    }

    /// Runs several statements without arguments.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        Ok(self.conn.execute_batch(sql)?)
    }

    /// Hands each row to `each` as it comes, for results too big to hold.
    pub(crate) fn each(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        mut each: impl FnMut(&Row) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(args.iter().map(|a| a.arg())))?;
        while let Some(row) = rows.next()? {
            each(&sqlite_row(row, columns)?)?;
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
        let mut statement = self.conn.prepare_cached(sql)?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(args.iter().map(|a| a.arg())))?;
        match rows.next()? {
            Some(row) => Ok(Some(map(&sqlite_row(row, columns)?)?)),
            None => Ok(None),
        }
    }

    /// Column 0 of the one row a query always returns (an aggregate).
    pub(crate) fn value<T: FromValue>(&self, sql: &str, args: &[&dyn ToArg]) -> Result<T, DbError> {
        self.first(sql, args, |row| row.get(0))?
            .ok_or_else(|| DbError::Type(format!("no row from {sql}")))
    }

    /// Whether the database has `table`: a ledger written by an older
    /// gazette and opened read-only may not.
    pub(crate) fn has_table(&self, table: &str) -> Result<bool, DbError> {
        self.value(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            args![table],
        )
    }

    /// Whether `table` has `column`.
    pub(crate) fn has_column(&self, table: &str, column: &str) -> Result<bool, DbError> {
        self.value(
            "SELECT count(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
            args![table, column],
        )
    }

    /// Whether the connection may only read.
    pub(crate) fn read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    /// From now on, rows this connection deletes are overwritten, not
    /// only unlinked, so an erased address is not left in free pages.
    pub(crate) fn erase_deleted(&self) -> Result<(), DbError> {
        self.execute_batch("PRAGMA secure_delete = ON")
    }

    /// Copies the write-ahead log back into the file, so that the old pages
    /// of what was erased leave it too; a reader holding it open only
    /// delays this, so a failure is not an error.
    pub(crate) fn drop_old_pages(&self) {
        let _ = self.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /// Runs `step` in one write transaction taken up front, so that what it
    /// reads is still true when it writes: two processes changing the
    /// ledger take turns instead of undoing each other. A step that fails
    /// writes nothing.
    pub(crate) fn write<T>(
        &self,
        step: impl FnOnce(&Db) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match step(self) {
            Ok(value) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
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
