//! The subscriber list: a CSV file with an `email` column and any others.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::error::{Diagnostic, Error, Report};

/// One subscriber; every column of the row reaches templates by its header.
#[derive(Debug, Clone, Serialize)]
pub struct Subscriber {
    pub email: String,
    pub name: Option<String>,
    pub fields: BTreeMap<String, String>,
    /// The row's line in the subscriber list, for messages about it.
    pub line: Option<usize>,
    /// Cadence and topics: the `cadence` and `topics` columns, or what the
    /// ledger keeps.
    #[serde(skip)]
    pub choice: super::Choice,
    /// When the ledger first had the address (RFC 3339).
    #[serde(skip)]
    pub joined: Option<String>,
    /// The last slot of the reader's cadence a digest run handled (RFC 3339).
    #[serde(skip)]
    pub handled_slot: Option<String>,
}

impl Subscriber {
    /// Someone known only by address: a test recipient.
    pub fn bare(email: &str) -> Subscriber {
        Subscriber {
            email: email.to_string(),
            name: None,
            fields: Default::default(),
            line: None,
            choice: Default::default(),
            joined: None,
            handled_slot: None,
        }
    }
}

/// The columns `subscribers export` writes from the ledger itself, in this
/// order; on import they are read for what they say, never kept as a
/// subscriber's own columns (which would double them on the next export).
pub(crate) const RESERVED_COLUMNS: [&str; 9] = [
    "email",
    "name",
    "status",
    "source",
    "created_at",
    "confirmed_at",
    "unsubscribed_at",
    "cadence",
    "topics",
];

/// A cell as a spreadsheet may open it: one that starts like a formula gets
/// a leading `'`, so `=HYPERLINK(…)` in a name stays text.
pub(crate) fn escape_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The cell `escape_cell` was given.
fn unescape_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) => rest,
        _ => cell,
    }
}

/// Reads the list; bad rows are reported with their line and skipped, a
/// repeated address is kept once. Rows whose `status` column says
/// unsubscribed, bounced, complained or inactive are kept (an import records
/// them); `ledger::roster::recipients` leaves them out of a digest.
pub(crate) fn load(path: &Path, report: &mut Report) -> Result<Vec<Subscriber>, Error> {
    let mut subscribers = Vec::new();
    for row in rows(path)? {
        match row {
            Ok(subscriber) => subscribers.push(subscriber),
            Err(diagnostic) => report.push(diagnostic),
        }
    }
    Ok(subscribers)
}

/// The list's rows one at a time, as `load` reads them, without holding the
/// list: an import of 100,000 rows keeps one row and a few bytes per
/// address seen in memory.
pub(crate) fn rows(path: &Path) -> Result<Rows, Error> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::config(path, format!("cannot read the subscriber list: {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(Lines::new(file));
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::config(path, e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let Some(email_column) = headers.iter().position(|h| h == "email") else {
        return Err(Error::config(
            path,
            "the first row must name the columns, one of them `email`",
        ));
    };
    Ok(Rows {
        path: path.to_path_buf(),
        reader,
        headers,
        email_column,
        seen: HashSet::new(),
        seen_keys: std::collections::hash_map::RandomState::new(),
        record: csv::StringRecord::new(),
        held: None,
    })
}

/// The line of the subscriber list each address is on, for messages about
/// rows that are no longer at hand.
pub(crate) fn lines(path: &Path) -> std::collections::HashMap<String, usize> {
    let Ok(rows) = rows(path) else {
        return Default::default();
    };
    rows.filter_map(Result::ok)
        .filter_map(|row| Some((row.email, row.line?)))
        .collect()
}

/// A reader that notes where each line ends as the bytes pass, so a record's
/// line is known from its byte offset (the csv crate's own count is one
/// short in CRLF files). Offsets only grow, so only the line ends between
/// the last record asked about and what the csv crate read ahead are kept.
struct Lines<R> {
    inner: R,
    read: u64,
    line_ends: std::collections::VecDeque<u64>,
    line: usize,
}

impl<R> Lines<R> {
    fn new(inner: R) -> Self {
        Lines {
            inner,
            read: 0,
            line_ends: Default::default(),
            line: 1,
        }
    }

    /// The line the byte at `offset` is on; offsets asked about never go back.
    fn line_at(&mut self, offset: u64) -> usize {
        while self.line_ends.front().is_some_and(|&end| end < offset) {
            self.line_ends.pop_front();
            self.line += 1;
        }
        self.line
    }
}

impl<R: std::io::Read> std::io::Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let start = self.read;
        self.line_ends
            .extend(memchr::memchr_iter(b'\n', &buf[..n]).map(|i| start + i as u64));
        self.read += n as u64;
        Ok(n)
    }
}

/// The rows of a subscriber list: a subscriber, or a diagnostic (a row
/// skipped, or a value of a row that is read anyway).
pub(crate) struct Rows {
    path: std::path::PathBuf,
    reader: csv::Reader<Lines<std::fs::File>>,
    headers: Vec<String>,
    email_column: usize,
    /// A keyed hash of each address read: a repeat is told by its hash
    /// (a false "listed twice" needs a 64-bit collision).
    seen: HashSet<u64>,
    seen_keys: std::collections::hash_map::RandomState,
    record: csv::StringRecord,
    /// A row to give after the warning about it.
    held: Option<Subscriber>,
}

impl Rows {
    fn line_at(&mut self, position: Option<&csv::Position>) -> Option<usize> {
        let byte = position?.byte();
        let lines = self.reader.get_mut();
        let line = lines.line_at(byte);
        // After a CRLF the csv crate's offset is the LF's, not the line's start.
        if lines.line_ends.front() == Some(&byte) {
            return Some(lines.line_at(byte + 1));
        }
        Some(line)
    }

    fn next_row(&mut self) -> Option<Result<Subscriber, Diagnostic>> {
        match self.reader.read_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                let position = e.position().cloned();
                // A row the csv crate cannot read: the next may be fine.
                let line = self.line_at(position.as_ref());
                let path = self.path.as_path();
                return Some(Err(Diagnostic::warning(
                    path,
                    line,
                    format!("unreadable row skipped: {e}"),
                )));
            }
        }
        let position = self.record.position().cloned();
        let line = self.line_at(position.as_ref());
        let path = self.path.as_path();
        let raw = self.record.get(self.email_column).unwrap_or("");
        let email = match super::address::canonical(raw) {
            Ok(address) => address,
            Err(why) => {
                return Some(Err(Diagnostic::warning(
                    path,
                    line,
                    format!("invalid e-mail address {raw:?} ({why}): row skipped"),
                )))
            }
        };
        if !self
            .seen
            .insert(std::hash::BuildHasher::hash_one(&self.seen_keys, &email))
        {
            return Some(Err(Diagnostic::warning(
                path,
                line,
                format!("{email} is listed twice: it gets one message"),
            )));
        }
        let fields: BTreeMap<String, String> = self
            .headers
            .iter()
            .zip(self.record.iter())
            .map(|(h, v)| (h.clone(), unescape_cell(v).to_string()))
            .collect();
        let name = fields.get("name").filter(|n| !n.is_empty()).cloned();
        let mut warning = None;
        let cadence = match fields.get("cadence").map(|c| c.trim()) {
            None | Some("") => None,
            Some(text) => match crate::config::Cadence::parse(text) {
                Some(cadence) => Some(cadence),
                None => {
                    // Not a reason to skip the row: the reader still gets mail.
                    warning = Some(Diagnostic::warning(
                        path,
                        line,
                        format!("cadence {text:?} is none of post, daily, weekly, monthly: the site's default applies"),
                    ));
                    None
                }
            },
        };
        let topics = super::Choice::parse_topics(fields.get("topics").map_or("", String::as_str));
        let subscriber = Subscriber {
            email,
            name,
            fields,
            line,
            choice: super::Choice { cadence, topics },
            joined: None,
            handled_slot: None,
        };
        match warning {
            Some(warning) => {
                self.held = Some(subscriber);
                Some(Err(warning))
            }
            None => Some(Ok(subscriber)),
        }
    }
}

impl Iterator for Rows {
    type Item = Result<Subscriber, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.held.take() {
            Some(subscriber) => Some(Ok(subscriber)),
            None => self.next_row(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_reports_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(
            &path,
            "email,name,plan\nada@example.org,Ada,pro\nnot-an-address,Bob,free\nADA@example.org,Ada again,pro\n\
             grace@example.org,,free\ngone@example.org,Gone,free\n",
        )
        .unwrap();
        let mut with_status = std::fs::read_to_string(&path)
            .unwrap()
            .replace("email,name,plan", "email,name,plan,status");
        with_status = with_status.replace(
            "gone@example.org,Gone,free",
            "gone@example.org,Gone,free,unsubscribed",
        );
        std::fs::write(&path, with_status).unwrap();
        let mut report = Report::default();
        let rows = load(&path, &mut report).unwrap();
        assert_eq!(rows.len(), 3);
        let subscribers = crate::ledger::roster::recipients(rows, None).unwrap();
        let emails: Vec<&str> = subscribers.iter().map(|s| s.email.as_str()).collect();
        assert_eq!(emails, ["ada@example.org", "grace@example.org"]);
        assert_eq!(subscribers[0].fields["plan"], "pro");
        assert_eq!(subscribers[1].name, None);
        let messages: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            messages[0].contains("s.csv:3: warning: invalid e-mail address \"not-an-address\""),
            "{messages:?}"
        );
        assert!(
            messages[1].contains(":4: warning: ada@example.org is listed twice"),
            "{messages:?}"
        );
    }

    #[test]
    fn lines_stay_right_far_past_the_readers_buffer() {
        let dir = tempfile::tempdir().unwrap();
        for newline in ["\n", "\r\n"] {
            let path = dir.path().join("long.csv");
            let mut text = format!("email,name,note{newline}");
            for i in 2..=5000 {
                match i {
                    4321 => text.push_str(&format!("broken,X,x{newline}")),
                    // A quoted cell over two lines: the next row starts a line later.
                    100 => text.push_str(&format!(
                        "r{i}@example.org,R,\"two{newline}lines\"{newline}"
                    )),
                    _ => text.push_str(&format!("r{i}@example.org,R{i},note {i}{newline}")),
                }
            }
            std::fs::write(&path, &text).unwrap();
            let mut report = Report::default();
            let rows = load(&path, &mut report).unwrap();
            assert_eq!(rows.len(), 4998);
            assert_eq!(rows[97].line, Some(99));
            assert_eq!(rows[98].line, Some(100));
            assert_eq!(rows[99].line, Some(102), "{newline:?}");
            assert_eq!(report.diagnostics.len(), 1);
            assert!(
                report.diagnostics[0]
                    .to_string()
                    .contains("long.csv:4322: warning: invalid"),
                "{newline:?}: {}",
                report.diagnostics[0]
            );
            let lines = lines(&path);
            assert_eq!(lines.get("r4999@example.org"), Some(&5000));
            assert_eq!(lines.get("nobody@example.org"), None);
        }
    }

    #[test]
    fn crlf_lists_report_the_lines_an_editor_shows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(&path, "email,name\r\nada@example.org,Ada\r\nbad,Bob\r\nx@example.org,X\r\nx@example.org,X\r\n").unwrap();
        let mut report = Report::default();
        let rows = load(&path, &mut report).unwrap();
        assert_eq!(rows.len(), 2);
        let messages: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            messages[0].contains("s.csv:3: warning: invalid"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("s.csv:5: warning: x@example.org is listed twice"),
            "{messages:?}"
        );
        assert_eq!(rows[1].line, Some(4));
    }
}
