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
    let bytes = std::fs::read(path)
        .map_err(|e| Error::config(path, format!("cannot read the subscriber list: {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes.as_slice());
    // The line a record starts on, counted from its byte offset: the csv
    // crate's own count is one short in CRLF files. Offsets only grow, so
    // each byte is looked at once.
    let mut counted = (0usize, 1usize);
    let mut line_at = |position: Option<&csv::Position>| {
        let mut byte = (position?.byte() as usize).min(bytes.len());
        // After a CRLF the csv crate's offset is the LF's, not the line's start.
        if bytes.get(byte) == Some(&b'\n') {
            byte += 1;
        }
        let (from, line) = counted;
        let line = line + memchr::memchr_iter(b'\n', &bytes[from.min(byte)..byte]).count();
        counted = (byte.max(from), line);
        Some(line)
    };
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
    let mut seen = HashSet::new();
    let mut subscribers = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = line_at(e.position());
                report.push(Diagnostic::warning(
                    path,
                    line,
                    format!("unreadable row skipped: {e}"),
                ));
                continue;
            }
        };
        let line = line_at(record.position());
        let raw = record.get(email_column).unwrap_or("");
        let email = match super::address::canonical(raw) {
            Ok(address) => address,
            Err(why) => {
                report.push(Diagnostic::warning(
                    path,
                    line,
                    format!("invalid e-mail address {raw:?} ({why}): row skipped"),
                ));
                continue;
            }
        };
        let fields: BTreeMap<String, String> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.clone(), unescape_cell(v).to_string()))
            .collect();
        if !seen.insert(email.clone()) {
            report.push(Diagnostic::warning(
                path,
                line,
                format!("{email} is listed twice: it gets one message"),
            ));
            continue;
        }
        let name = fields.get("name").filter(|n| !n.is_empty()).cloned();
        let cadence = match fields.get("cadence").map(|c| c.trim()) {
            None | Some("") => None,
            Some(text) => match crate::config::Cadence::parse(text) {
                Some(cadence) => Some(cadence),
                None => {
                    report.push(Diagnostic::warning(
                        path,
                        line,
                        format!("cadence {text:?} is none of post, daily, weekly, monthly: the site's default applies"),
                    ));
                    None
                }
            },
        };
        let topics = super::Choice::parse_topics(fields.get("topics").map_or("", String::as_str));
        subscribers.push(Subscriber {
            email,
            name,
            fields,
            line,
            choice: super::Choice { cadence, topics },
            joined: None,
            handled_slot: None,
        });
    }
    Ok(subscribers)
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
