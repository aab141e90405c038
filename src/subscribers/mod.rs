//! What a subscriber is and what may change them: an address in one form,
//! the consent states and the changes allowed between them, the signed
//! tokens that prove a link came from us, a reader's choices (cadence,
//! topics) and a row of the list a site imports. The ledger
//! (`crate::ledger`) stores subscribers by these rules; `crate::membership`
//! acts on them (commands, confirmations, bounce reports).

pub mod address;
pub mod choice;
pub mod consent;
pub(crate) mod list;
pub mod tokens;

pub use choice::Choice;
pub use consent::{Change, State};
