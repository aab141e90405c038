//! Joining and leaving a list from outside: the `gazette subscribers`
//! commands, the confirmation and welcome messages of a sign-up, and the
//! reports (bounces, complaints, mailto unsubscribes) that come back. Each
//! acts through the ledger, by the rules in `crate::subscribers`, and only
//! on evidence that it comes from the person or answers our own message.

pub mod bounces;
pub(crate) mod confirm;
pub mod manage;

pub use crate::ledger::copy::Copied;
pub use crate::ledger::roster::{ConsentEvent, ImportCounts, Member};
