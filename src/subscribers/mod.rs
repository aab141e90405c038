//! Subscribers and their consent: the list a site imports, sign-ups and
//! their confirmation, unsubscribes, and the reports (bounces, complaints)
//! that come back. The ledger (`crate::ledger`) stores them; this module
//! decides what may change and why.

pub mod bounces;
pub(crate) mod confirm;
pub(crate) mod list;
pub mod manage;
pub mod tokens;

pub use crate::ledger::roster::{ImportCounts, Member, State};
