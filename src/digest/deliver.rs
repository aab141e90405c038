//! What a run does with a composed digest: one test message, a preview
//! folder, or the send itself with each outcome recorded as it is known.

use std::collections::{HashMap, HashSet};
use std::sync::{OnceLock, RwLock};
use std::time::Instant;

use super::{outbox_name, rfc3339, Event, Progress, Run, Summary};
use crate::error::Error;
use crate::ledger::Ledger;
use crate::mail::send::{self, Delivery, Driver};
use crate::mail::Outcome;
use crate::subscribers::list::{self as subscribers, Subscriber};

use super::compose::{Composed, Composer};
use super::plan::Plan;

/// How many recipients a send reads from the ledger at a time.
const SEND_CHUNK: usize = 1024;

/// How stale the list of addresses that left during a send may be.
const SUPPRESSED_REFRESH: std::time::Duration = std::time::Duration::from_millis(200);

impl Run<'_> {
    /// `--to ADDRESS`: one message, recorded apart from the digest's recipients.
    pub(super) fn test_send(
        &self,
        composer: &Composer<'_>,
        subscribers: &[Subscriber],
        plan: &Plan,
        ledger: Option<&Ledger>,
        address: &str,
        summary: &mut Summary,
    ) -> Result<(), Error> {
        let delivery = Delivery::from_config(self.config, self.digest)?;
        let subscriber = subscribers
            .iter()
            .find(|s| s.email.eq_ignore_ascii_case(address))
            .cloned()
            .unwrap_or_else(|| Subscriber::bare(address));
        let composed = composer.compose(&subscriber)?;
        let name = format!(
            "test/{}",
            outbox_name(&plan.record.id, 0, &subscriber.email)
        );
        let outcome = delivery.transport.sender().deliver(
            &composed.message,
            &composed.message_id,
            &name,
            delivery.policy,
        );
        if let Some(ledger) = ledger {
            ledger.record_test_send(
                &plan.record.id,
                &subscriber.email,
                &outcome,
                &rfc3339(self.now),
            )?;
        }
        match outcome {
            Outcome::Sent { .. } => summary.events.push(Event::TestSent {
                email: subscriber.email.clone(),
                via: delivery.transport.describe(self.config),
            }),
            Outcome::Failed { error, .. }
            | Outcome::Deferred { error, .. }
            | Outcome::Skipped { reason: error } => {
                summary.failed = 1;
                summary.events.push(Event::TestFailed {
                    email: subscriber.email.clone(),
                    error,
                });
            }
        }
        Ok(())
    }

    /// `--send`: every pending recipient of this run's part, each outcome
    /// committed as it is known. At most once per recipient: the send lock
    /// keeps other runs out, and a connection hands a message over only
    /// while fewer than `digest.in_flight` of its outcomes wait to be
    /// recorded (what a killed run may send twice).
    pub(super) fn send_all(
        &self,
        composer: &Composer<'_>,
        plan: &Plan,
        ledger: &mut Ledger,
        summary: &mut Summary,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<(), Error> {
        let delivery = Delivery::from_config(self.config, self.digest)?;
        let digest_id = plan.record.id.as_str();
        ledger.lock_digest(digest_id)?;
        let pending = self.pending_in_shard(ledger, digest_id)?;
        progress(Progress::Start {
            total: pending.len(),
        });
        // Unsubscribes recorded by `serve` meanwhile, looked up a few times a
        // second by the recording thread rather than once per message.
        let suppressed = RwLock::new(ledger.suppressed_pending(digest_id)?);
        let recorder = Recorder {
            digest_id,
            soft_bounce_limit: self.digest.soft_bounce_limit,
            suppressed: &suppressed,
            looked_up: Instant::now(),
            fatal: None,
        };
        let list_lines = OnceLock::new();
        let mut recipients = Recipients {
            ledger,
            recorder,
            progress,
            pending,
            next: 0,
            stamp: rfc3339(self.now),
        };
        let first = std::iter::from_fn(|| recipients.more())
            .find(|jobs| !jobs.is_empty())
            .unwrap_or_default();
        if !first.is_empty() {
            // One login before the workers start: a refused password stops the
            // run after a single attempt instead of one per connection and
            // retry, which locks accounts on real relays.
            if let Err(error) = delivery.transport.check() {
                summary.events.push(Event::TransportRefused {
                    digest: digest_id.to_owned(),
                    error,
                });
                summary.pending += self.pending_in_shard(recipients.ledger, digest_id)?.len();
                return Ok(());
            }
            send::run_parallel(
                first,
                send::Lanes {
                    connections: self.digest.connections,
                    rate_limit: self.digest.rate_limit,
                    unrecorded: self.digest.in_flight,
                },
                || delivery.transport.sender(),
                // Composed while the worker's previous outcome is being recorded.
                |(_, subscriber)| composer.compose(subscriber),
                |sender, (position, subscriber), composed, gate| -> Result<Outcome, Error> {
                    // Someone who unsubscribed while this digest goes out gets no more of it.
                    if has_left(&suppressed, &subscriber.email) {
                        return Ok(Outcome::Skipped {
                            reason:
                                "unsubscribed, bounced or complained while the digest was being sent"
                                    .into(),
                        });
                    }
                    // A template that fails for one row (a column it lacks) fails
                    // that recipient only; everyone else still gets the digest.
                    let composed = match composed {
                        Ok(composed) => composed,
                        Err(e) => return Ok(self.not_composed(&list_lines, subscriber, &e)),
                    };
                    let name = outbox_name(digest_id, *position, &subscriber.email);
                    Ok(sender.deliver_gated(
                        &composed.message,
                        &composed.message_id,
                        &name,
                        delivery.policy,
                        gate,
                    ))
                },
                &mut recipients,
            );
        }
        let Recipients {
            ledger,
            recorder,
            progress,
            ..
        } = recipients;
        progress(Progress::Finish);
        if let Some(e) = recorder.fatal {
            return Err(e);
        }
        self.sum_up(&delivery, plan, ledger, summary)
    }

    /// The digest's pending recipients that this run's shard holds.
    fn pending_in_shard(&self, ledger: &Ledger, digest_id: &str) -> Result<Vec<String>, Error> {
        let mut pending = ledger.pending(digest_id)?;
        pending.retain(|email| self.options.shard.is_none_or(|shard| shard.holds(email)));
        Ok(pending)
    }

    /// The outcome for a recipient the templates failed for, naming the
    /// list's row so the publisher can fix it.
    fn not_composed(
        &self,
        list_lines: &OnceLock<HashMap<String, usize>>,
        subscriber: &Subscriber,
        error: &Error,
    ) -> Outcome {
        let list = &self.digest.subscribers;
        // Read once, at the first failure: a template that fails for
        // everyone must not scan the list per row.
        let lines = list_lines.get_or_init(|| subscribers::lines(list));
        let place = match lines.get(&subscriber.email) {
            Some(line) => format!("{}:{line}", list.display()),
            None => list.display().to_string(),
        };
        Outcome::Failed {
            error: format!("{place}: {}", crate::error::chain(error)),
            attempts: 0,
        }
    }

    /// Closes the digest when every recipient is done and reports the counts.
    fn sum_up(
        &self,
        delivery: &Delivery,
        plan: &Plan,
        ledger: &mut Ledger,
        summary: &mut Summary,
    ) -> Result<(), Error> {
        let digest_id = plan.record.id.as_str();
        let complete = ledger.complete_if_done(digest_id, &rfc3339(self.now))?;
        let counts = ledger.counts(digest_id)?;
        summary.failed += counts.failed;
        // A shard is done when its own part is; the others finish theirs.
        summary.pending += self.pending_in_shard(ledger, digest_id)?.len();
        summary.events.push(Event::Sent {
            digest: digest_id.to_owned(),
            via: delivery.transport.describe(self.config),
            counts,
            complete,
        });
        for (email, error) in ledger.failures(digest_id)? {
            summary.events.push(Event::RecipientFailed { email, error });
        }
        Ok(())
    }
}

/// A send's recipients, read from the ledger a chunk at a time as the
/// connections need them (what a run holds does not grow with the list),
/// and its outcomes, recorded as they come.
struct Recipients<'r> {
    ledger: &'r mut Ledger,
    recorder: Recorder<'r>,
    progress: &'r mut dyn FnMut(Progress<'_>),
    /// Every pending address of this run's part, in send order.
    pending: Vec<String>,
    /// Where the next chunk starts in `pending`.
    next: usize,
    stamp: String,
}

impl Recipients<'_> {
    /// The chunk's recipients still on the list; who left it is recorded
    /// as skipped here.
    fn read(&mut self, start: usize, chunk: &[String]) -> Result<Vec<(usize, Subscriber)>, Error> {
        let digest_id = self.recorder.digest_id;
        let mut jobs = Vec::with_capacity(chunk.len());
        for (offset, (email, subscriber)) in chunk
            .iter()
            .zip(self.ledger.subscribers(chunk)?)
            .enumerate()
        {
            match subscriber {
                Some(subscriber) => jobs.push((start + offset, subscriber)),
                None => {
                    let outcome = Outcome::Skipped {
                        reason: "no longer on the subscriber list".into(),
                    };
                    self.ledger.mark(digest_id, email, &outcome, &self.stamp)?;
                    (self.progress)(Progress::Step { email });
                }
            }
        }
        Ok(jobs)
    }
}

impl send::Driver<(usize, Subscriber), Result<Outcome, Error>> for Recipients<'_> {
    fn more(&mut self) -> Option<Vec<(usize, Subscriber)>> {
        if self.recorder.fatal.is_some() || self.next >= self.pending.len() {
            return None;
        }
        let start = self.next;
        let end = (start + SEND_CHUNK).min(self.pending.len());
        self.next = end;
        let pending = std::mem::take(&mut self.pending);
        let read = self.read(start, &pending[start..end]);
        self.pending = pending;
        match read {
            Ok(jobs) => Some(jobs),
            Err(e) => {
                self.recorder.fatal = Some(e);
                None
            }
        }
    }

    fn record(&mut self, results: Vec<((usize, Subscriber), Result<Outcome, Error>)>) -> bool {
        self.recorder.record(self.ledger, results, self.progress)
    }
}

/// The recording side of a send: commits each batch of outcomes, counts
/// refusals towards bounces, and keeps the list of who left meanwhile fresh.
struct Recorder<'a> {
    digest_id: &'a str,
    soft_bounce_limit: u32,
    suppressed: &'a RwLock<HashSet<String>>,
    looked_up: Instant,
    /// The first error that must stop the run; what was delivered before it
    /// is still recorded.
    fatal: Option<Error>,
}

fn has_left(suppressed: &RwLock<HashSet<String>>, email: &str) -> bool {
    suppressed
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .contains(&email.to_ascii_lowercase())
}

impl Recorder<'_> {
    /// Records one batch; `false` stops the send (an error, or a server
    /// that defers: the next run finishes).
    fn record(
        &mut self,
        ledger: &mut Ledger,
        results: Vec<((usize, Subscriber), Result<Outcome, Error>)>,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> bool {
        if self.looked_up.elapsed() >= SUPPRESSED_REFRESH {
            if let Ok(current) = ledger.suppressed_pending(self.digest_id) {
                *self.suppressed.write().unwrap_or_else(|p| p.into_inner()) = current;
            }
            self.looked_up = Instant::now();
        }
        let stamp = rfc3339(crate::clock::now());
        let mut outcomes = Vec::with_capacity(results.len());
        for ((_, subscriber), result) in results {
            match result {
                Ok(outcome) => outcomes.push((subscriber, outcome)),
                Err(e) => self.fatal = Some(e),
            }
        }
        let rows: Vec<(&str, &Outcome)> = outcomes
            .iter()
            .map(|(subscriber, outcome)| (subscriber.email.as_str(), outcome))
            .collect();
        let refused = rows.iter().filter_map(|(email, outcome)| match outcome {
            Outcome::Failed { error, .. } | Outcome::Deferred { error, .. } => {
                Some((*email, error.as_str()))
            }
            _ => None,
        });
        let recorded = ledger
            .mark_all(self.digest_id, &rows, &stamp)
            .and_then(|()| {
                crate::membership::bounces::record_refusals(
                    ledger,
                    refused,
                    self.soft_bounce_limit,
                    &stamp,
                )
            });
        if let Err(e) = recorded {
            self.fatal = Some(e);
            return false;
        }
        let mut go_on = self.fatal.is_none();
        for (subscriber, outcome) in &outcomes {
            progress(Progress::Step {
                email: &subscriber.email,
            });
            match outcome {
                Outcome::Failed { error, .. } => {
                    progress(Progress::Note(&format!(
                        "digest: {} refused: {error}",
                        subscriber.email
                    )));
                }
                Outcome::Deferred { error, .. } => {
                    // The server is unreachable or keeps deferring: stop and let the next run finish.
                    progress(Progress::Note(&format!(
                        "digest: {} deferred: {error}; stopping, run again to finish",
                        subscriber.email
                    )));
                    go_on = false;
                }
                _ => {}
            }
        }
        go_on
    }
}

/// `--preview DIR`: every message as `.eml`, and the first one's HTML.
pub(super) fn preview(
    dir: &std::path::Path,
    composer: &Composer<'_>,
    subscribers: &[&Subscriber],
    plan: &Plan,
    first: bool,
    summary: &mut Summary,
) -> Result<(), Error> {
    for (position, subscriber) in subscribers.iter().enumerate() {
        let Composed { message, html, .. } = composer.compose(subscriber)?;
        crate::output::write(
            dir,
            &outbox_name(&plan.record.id, position, &subscriber.email),
            &message.formatted(),
        )?;
        if position == 0 && first {
            crate::output::write(dir, "digest.html", html.as_bytes())?;
        }
    }
    summary.events.push(Event::PreviewWritten {
        messages: subscribers.len(),
        dir: dir.to_path_buf(),
    });
    Ok(())
}
