//! Consent as a log: every change to a subscriber is an event (what, when,
//! from where, on what evidence), and where the subscriber stands follows
//! from the events by one rule, `State::after`. The ledger appends the event
//! and stores the state it leads to in the same transaction.
//!
//! The rule that matters most: once a person unsubscribed or complained,
//! only a new sign-up that the same person confirms brings them back. No
//! list import, no command, no report can.

use serde::Serialize;

/// Where an address stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Signed up, not yet confirmed: receives nothing but the confirmation.
    Pending,
    /// Receives digests.
    Active,
    /// Left; never mailed again unless they sign up and confirm.
    Unsubscribed,
    /// Mail to it failed for good.
    Bounced,
    /// Marked a digest as spam.
    Complained,
}

impl State {
    /// Every state, in the order `subscribers list` explains them.
    pub const ALL: [State; 5] = [
        State::Pending,
        State::Active,
        State::Unsubscribed,
        State::Bounced,
        State::Complained,
    ];

    /// The state as the ledger and `--state` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Active => "active",
            State::Unsubscribed => "unsubscribed",
            State::Bounced => "bounced",
            State::Complained => "complained",
        }
    }

    /// The state spelled as `as_str` does.
    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// States in which an address gets no mail and that a list cannot undo.
    pub fn is_suppressed(self) -> bool {
        matches!(
            self,
            State::Unsubscribed | State::Bounced | State::Complained
        )
    }

    /// The state a `status` column of a subscriber list asks for.
    pub fn from_list(status: Option<&String>) -> State {
        match status.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("unsubscribed" | "inactive") => State::Unsubscribed,
            Some("bounced") => State::Bounced,
            Some("complained") => State::Complained,
            Some("pending") => State::Pending,
            _ => State::Active,
        }
    }

    /// Where a subscriber in `current` (`None`: unknown) stands after
    /// `change`; `None` when the change leaves no subscriber.
    pub fn after(current: Option<State>, change: Change) -> Option<State> {
        use State::*;
        match (current, change) {
            // The person's own confirmed sign-up: the one way back from anything.
            (_, Change::Confirmed) => Some(Active),
            (_, Change::Erased) => None,
            (None, Change::SignedUp) => Some(Pending),
            (None, Change::AddedByOwner) => Some(Active),
            (None, Change::Listed(listed)) => Some(listed),
            (None, _) => None,
            // Asking again changes nothing until the link is confirmed.
            (Some(state), Change::SignedUp) => Some(state),
            // What the person said (or their mailbox provider said for them)
            // outranks what the site's owner says.
            (
                Some(state @ (Unsubscribed | Complained)),
                Change::AddedByOwner | Change::Listed(_),
            ) => Some(state),
            (Some(_), Change::AddedByOwner) => Some(Active),
            (Some(Bounced), Change::Listed(listed)) if !listed.is_suppressed() => Some(Bounced),
            (Some(state @ (Active | Pending)), Change::Listed(Pending)) => Some(state),
            (Some(_), Change::Listed(listed)) => Some(listed),
            (Some(Complained), _) => Some(Complained),
            (Some(Unsubscribed), Change::Bounced | Change::SoftBounced) => Some(Unsubscribed),
            (Some(_), Change::Unsubscribed) => Some(Unsubscribed),
            (Some(_), Change::Bounced) => Some(Bounced),
            (Some(_), Change::Complained) => Some(Complained),
            (Some(state), Change::SoftBounced) => Some(state),
        }
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to a subscriber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Asked to subscribe (the form, `subscribers add` without `--confirmed`).
    SignedUp,
    /// Confirmed their own pending sign-up.
    Confirmed,
    /// The site's owner says the person agreed (`subscribers add --confirmed`).
    AddedByOwner,
    /// A row of an imported list, with the state its `status` column gives.
    Listed(State),
    /// Asked to leave (one-click, the page's button, mailto, the command line).
    Unsubscribed,
    /// Mail to the address failed for good.
    Bounced,
    /// Mail to the address failed for now (counted; enough in a row bounce).
    SoftBounced,
    /// The person reported a message as spam.
    Complained,
    /// The person's data was erased on request.
    Erased,
}

impl Change {
    /// The change as the consent log spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::SignedUp => "signed-up",
            Change::Confirmed => "confirmed",
            Change::AddedByOwner => "added",
            Change::Listed(_) => "imported",
            Change::Unsubscribed => "unsubscribed",
            Change::Bounced => "bounced",
            Change::SoftBounced => "soft-bounced",
            Change::Complained => "complained",
            Change::Erased => "erased",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Change, State};

    #[test]
    fn only_a_confirmed_sign_up_undoes_an_unsubscribe_or_a_complaint() {
        for left in [State::Unsubscribed, State::Complained] {
            for change in [
                Change::SignedUp,
                Change::AddedByOwner,
                Change::Listed(State::Active),
                Change::Listed(State::Pending),
                Change::Bounced,
                Change::SoftBounced,
            ] {
                let after = State::after(Some(left), change);
                assert!(
                    after.is_some_and(State::is_suppressed),
                    "{left} + {change:?} gave {after:?}"
                );
            }
            assert_eq!(
                State::after(Some(left), Change::Confirmed),
                Some(State::Active)
            );
        }
    }

    #[test]
    fn lists_and_owners_add_but_reports_only_take_away() {
        assert_eq!(
            State::after(None, Change::Listed(State::Active)),
            Some(State::Active)
        );
        assert_eq!(State::after(None, Change::SignedUp), Some(State::Pending));
        assert_eq!(State::after(None, Change::Bounced), None);
        assert_eq!(State::after(None, Change::Unsubscribed), None);
        assert_eq!(
            State::after(Some(State::Active), Change::Listed(State::Pending)),
            Some(State::Active)
        );
        assert_eq!(
            State::after(Some(State::Active), Change::Listed(State::Unsubscribed)),
            Some(State::Unsubscribed)
        );
        assert_eq!(
            State::after(Some(State::Bounced), Change::Listed(State::Active)),
            Some(State::Bounced)
        );
        assert_eq!(
            State::after(Some(State::Bounced), Change::AddedByOwner),
            Some(State::Active)
        );
        assert_eq!(
            State::after(Some(State::Complained), Change::Unsubscribed),
            Some(State::Complained)
        );
        assert_eq!(State::after(Some(State::Active), Change::Erased), None);
        for state in State::ALL {
            assert_eq!(State::parse(state.as_str()), Some(state));
        }
    }
}
