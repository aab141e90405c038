//! gazette turns a folder of Markdown posts into subscriptions: RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 feeds.
//!
//! The library does the work and returns what happened; the binary decides
//! how to print it and which exit status it means.

// Functions stay short enough to read in one screen; clippy's default
// threshold (100 lines) holds for the library and the binary.
#![warn(clippy::too_many_lines)]

pub mod build;
#[cfg(feature = "subscribers")]
pub(crate) mod clock;
pub mod compare;
pub mod config;
#[cfg(feature = "subscribers")]
pub mod digest;
pub mod error;
#[cfg(feature = "subscribers")]
pub(crate) mod ledger;
#[cfg(feature = "subscribers")]
pub(crate) mod mail;
#[cfg(feature = "subscribers")]
pub mod membership;
pub mod old_feed;
pub mod operations;
pub mod output;
#[cfg(feature = "subscribers")]
pub mod serve;
#[cfg(feature = "subscribers")]
pub mod subscribers;
#[cfg(feature = "subscribers")]
pub(crate) mod tls;
pub mod watch;
pub mod websub;

// Reached by the property tests and the binary's argument parsing; not an
// API of their own.
#[doc(hidden)]
pub mod content;
#[doc(hidden)]
pub mod dates;
#[doc(hidden)]
pub mod generators;
#[doc(hidden)]
pub mod import;
#[doc(hidden)]
pub mod paths;
#[doc(hidden)]
pub mod permalink;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod text;

mod feeds;
#[cfg(test)]
mod layers;
#[cfg(test)]
pub(crate) mod test_files;
// The one place YAML is parsed (front matter, Jekyll's _config.yml).
pub(crate) mod yaml;

pub use error::{Diagnostic, Error, Report, Severity};
