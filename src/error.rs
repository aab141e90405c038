//! Errors and diagnostics.
//!
//! Two kinds of failure exist: a fatal [`Error`] (bad config, unreadable
//! template, output folder not writable) stops the command, while a
//! [`Diagnostic`] is a problem in one post that is reported and skipped so the
//! rest of the site is still built. The binary maps the two to exit statuses.

use std::fmt;
use std::path::{Path, PathBuf};

/// A failure that stops the command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration file is missing, malformed or inconsistent.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        /// The config file.
        path: PathBuf,
        /// 1-based line of the key or syntax error, when known.
        line: Option<usize>,
        /// 1-based column of a syntax error, when the parser said.
        column: Option<usize>,
        /// What went wrong, or what was expected.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        #[source]
        /// The underlying error.
        source: std::io::Error,
    },
    /// The digest ledger could not be opened, read or written.
    #[error("ledger {}: {message}", path.display())]
    Ledger {
        /// The ledger file.
        path: PathBuf,
        /// What went wrong, or what was expected.
        message: String,
    },
    /// A template failed to parse or render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template.
        name: String,
        /// What went wrong.
        message: String,
    },
    /// A file gazette reads is not what it should be (an old feed that is
    /// no feed).
    #[error("{}: {message}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// What it should have been.
        message: String,
    },
    /// A feed writer refused its input.
    #[error("writing {what}: {message}")]
    Feed {
        /// The feed or file concerned.
        what: String,
        /// What went wrong.
        message: String,
    },
    /// A message could not be built (an address or header it cannot carry).
    #[error("{0}")]
    Mail(String),
    /// The output folder refused a write (outside it, through a link).
    #[error("{}: {message}", path.display())]
    Output {
        /// The file or stream.
        path: PathBuf,
        /// What went wrong, or what was expected.
        message: String,
    },
    /// The environment lacks something the configuration names (a password variable).
    #[error("{0}")]
    Env(String),
    /// The command line asked for something impossible.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An I/O error about `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn config(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::config_at(path, None, message)
    }

    /// The error as a diagnostic of the file it is about (line and column
    /// when known); none for an error about no one file.
    pub fn as_diagnostic(&self) -> Option<Diagnostic> {
        match self {
            Error::Config {
                path,
                line,
                column,
                message,
            } => Some(Diagnostic::error(path, *line, message.clone()).at_column(*column)),
            Error::Io { path, source } => Some(Diagnostic::error(path, None, chain(source))),
            Error::Ledger { path, message } | Error::Output { path, message } => {
                Some(Diagnostic::error(path, None, message.clone()))
            }
            _ => None,
        }
    }

    /// A config error at `line` of the file.
    pub(crate) fn config_at(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Error::Config {
            path: path.into(),
            line,
            column: None,
            message: message.into(),
        }
    }

    /// The same error at `column` of its line (a config syntax error).
    pub(crate) fn at_column(mut self, at: Option<usize>) -> Self {
        if let Error::Config { column, .. } = &mut self {
            *column = at;
        }
        self
    }
}

/// How serious a diagnostic is: errors make the exit status non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rest still goes out.
    Warning,
    /// This input was left out.
    Error,
}

/// A problem in one input file, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// The file concerned.
    pub path: PathBuf,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line, when known.
    pub column: Option<usize>,
    /// Error or warning.
    pub severity: Severity,
    /// What went wrong, or what was expected.
    pub message: String,
}

impl Diagnostic {
    /// An error about `path` (at `line` when known): that input was left out.
    pub fn error(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column: None,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// The same diagnostic at `column` of its line.
    pub fn at_column(self, column: Option<usize>) -> Self {
        Diagnostic { column, ..self }
    }

    /// A warning about `path` (at `line` when known).
    pub fn warning(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, message)
        }
    }
}

/// `path:line:column: error: message`, the form compilers and editors read.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        match self.severity {
            Severity::Warning => write!(f, ": warning: {}", self.message),
            Severity::Error => write!(f, ": error: {}", self.message),
        }
    }
}

/// The problems found during one command, passed by value rather than kept in
/// a global so that library callers (and tests) each get their own.
#[derive(Debug, Default)]
pub struct Report {
    /// Every diagnostic, in order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Adds several diagnostics.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(diagnostics);
    }

    /// Whether any diagnostic is an error (exit status 1).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Sorts by file and line so output does not depend on thread scheduling.
    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    }
}

/// A fatal error as one line for people, in the form of a diagnostic:
/// `path:line: error: message` when it is about a file, else
/// `error: message`.
pub fn describe(error: &Error) -> String {
    match error.as_diagnostic() {
        Some(diagnostic) => diagnostic.to_string(),
        None => format!("error: {}", chain(error)),
    }
}

/// Flattens an error and its sources into one line, the way people read it.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}
