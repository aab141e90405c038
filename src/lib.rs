//! gazette turns a folder of Markdown posts into subscriptions: RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 feeds.
//!
//! The library does the work and returns what happened; the binary decides
//! how to print it and which exit status it means.

pub mod commands;
pub mod compare;
pub mod config;
pub mod content;
pub mod digest;
pub mod error;
pub mod feeds;
pub mod generators;
pub mod output;
pub mod page;
pub mod render;
pub mod serve;

pub use error::{Diagnostic, Error, Report, Severity};
