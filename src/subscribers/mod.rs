//! Subscribers and their consent: the list a site imports, sign-ups and
//! their confirmation, unsubscribes, and the reports (bounces, complaints,
//! mailto unsubscribes) that come back. The ledger (`crate::ledger`) stores
//! them; this module decides what may change and on what evidence.

pub mod address;
pub mod bounces;
pub mod choice;
pub(crate) mod confirm;
pub mod consent;
pub(crate) mod list;
pub mod manage;
pub mod tokens;

pub use crate::ledger::roster::{ConsentEvent, ImportCounts, Member};
pub use choice::Choice;
pub use consent::{Change, State};
