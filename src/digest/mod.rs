//! Email digests: pick the posts published since the last digest, render one
//! message per subscriber, send, and record each outcome in the ledger.
//!
//! Safe from cron: no new posts means no mail; each digest reaches each
//! subscriber at most once (but for messages in flight when the process is
//! killed); a run that stops half way is finished by running it again; the
//! cut-off moves only when a digest is complete.

mod archive;
pub(crate) mod compose;
mod plan;
pub(crate) mod schedule;

pub use crate::ledger::{Counts, DigestRecord, LockHolder, Shard};

use std::path::PathBuf;

use chrono::{DateTime, Datelike, Duration, FixedOffset, SecondsFormat, Utc};

use crate::config::{Config, DigestConfig};
use crate::content;
use crate::error::{Error, Report};
use crate::ledger::{self, Ledger};
use crate::mail::send::{self, Delivery};
use crate::mail::Outcome;
use crate::render::templates::Templates;
use crate::subscribers::list as subscribers;
use compose::Composer;
use plan::Plan;
use subscribers::Subscriber;

/// Name under which the configured subject line is compiled.
pub const SUBJECT_TEMPLATE: &str = "__digest_subject";

/// What a digest run is asked to do (the command line's `gazette digest`
/// options, which `cmd::digest` reads into this).
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Send it (through the SMTP relay, or into the outbox folder without one).
    pub send: bool,
    /// Render every message and list the recipients; send and record nothing.
    pub dry_run: bool,
    /// Write each message as .eml, plus one digest.html, into this folder.
    pub preview: Option<PathBuf>,
    /// Send one test message to this address, recorded apart from the real run.
    pub to: Option<String>,
    /// Start the period here instead of at the last digest (a date or time).
    pub since: Option<String>,
    /// Start the period this many days ago instead of at the last digest.
    pub days: Option<u32>,
    /// With `send`: send only this part of the recipients, so several
    /// processes or hosts split one list against one ledger.
    pub shard: Option<ledger::Shard>,
}

/// How a send goes, as it goes: for a progress bar or log lines.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// This many recipients are about to be handled.
    Start {
        /// Recipients to handle.
        total: usize,
    },
    /// One recipient's outcome was recorded.
    Step {
        /// The recipient.
        email: &'a str,
    },
    /// Something to show at once (a refusal, a stop).
    Note(&'a str),
    /// The send is over.
    Finish,
}

/// What a digest run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// What happened, in order, for the binary to word.
    pub events: Vec<Event>,
    /// Recipients refused for good by the server.
    pub failed: usize,
    /// Recipients still to do: the run could not finish.
    pub pending: usize,
    /// Another run holds the ledger's send lock; this one did nothing.
    pub locked_out: bool,
}

/// One thing a digest run did or found.
#[derive(Debug, Clone)]
pub enum Event {
    /// Another run holds the send lock.
    LockedOut(ledger::LockHolder),
    /// No post to mail since the last digest's cut-off.
    NothingNew {
        /// Start of the period (RFC 3339).
        since: String,
    },
    /// The digest this run handles.
    Planned {
        /// The digest id.
        digest: String,
        /// An unfinished digest is being finished.
        resumed: bool,
        /// The posts' titles.
        titles: Vec<String>,
        /// Recipients of this run.
        subscribers: usize,
    },
    /// Posts of an unfinished digest that are no longer published.
    Withdrawn {
        /// The digest id.
        digest: String,
        /// The posts' titles.
        titles: Vec<String>,
    },
    /// Every post of an unfinished digest was withdrawn.
    AllWithdrawn {
        /// The digest id.
        digest: String,
    },
    /// `--dry-run`: a message that would go out.
    WouldSend {
        /// The message's Message-ID.
        message_id: String,
        /// The e-mail address.
        email: String,
    },
    /// Neither --send nor --preview: nothing went out.
    NothingSent,
    /// `--to`: the test message went out, or not.
    TestSent {
        /// The e-mail address.
        email: String,
        /// The transport, described.
        via: String,
    },
    /// `--to`: the test message could not go.
    TestFailed {
        /// The e-mail address.
        email: String,
        /// Why.
        error: String,
    },
    /// `--preview`: files written.
    PreviewWritten {
        /// Messages written.
        messages: usize,
        /// The folder.
        dir: std::path::PathBuf,
    },
    /// The server refused the session before any message.
    TransportRefused {
        /// The digest id.
        digest: String,
        /// Why.
        error: String,
    },
    /// The send is over.
    Sent {
        /// The digest id.
        digest: String,
        /// The transport, described.
        via: String,
        /// Recipients by outcome.
        counts: ledger::Counts,
        /// Whether every recipient is done.
        complete: bool,
    },
    /// A recipient the server refused for good.
    RecipientFailed {
        /// The e-mail address.
        email: String,
        /// Why.
        error: String,
    },
}

/// One digest as `digest status` shows it.
#[derive(Debug, Clone)]
pub struct Status {
    /// The digest as planned.
    pub record: ledger::DigestRecord,
    /// Recipients by outcome.
    pub counts: ledger::Counts,
}

/// `days` before `now`, if the calendar reaches that far.
fn days_before(now: DateTime<Utc>, days: u32) -> Option<DateTime<FixedOffset>> {
    let since = now.checked_sub_signed(Duration::try_days(i64::from(days))?)?;
    (since.year() >= 1).then(|| since.fixed_offset())
}

fn rfc3339(date: DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_stored(text: &str) -> Result<DateTime<FixedOffset>, Error> {
    DateTime::parse_from_rfc3339(text).map_err(|e| Error::Ledger {
        path: "digest ledger".into(),
        message: format!("holds a bad date {text:?}: {e}"),
    })
}

fn outbox_name(digest_id: &str, position: usize, email: &str) -> String {
    let safe_id: String = digest_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let safe_email: String = email
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe_id}/{position:05}-{safe_email}.eml")
}

/// The subscriber list's content hash, `None` when there is no list.
fn list_fingerprint(path: &std::path::Path) -> Result<Option<String>, Error> {
    use sha2::Digest as _;
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(hex::encode(sha2::Sha256::digest(&bytes)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::config(
            path,
            format!("cannot read the subscriber list: {e}"),
        )),
    }
}

/// Who a run's digests go to.
enum Audience {
    /// A send: the list is imported into the ledger (so an unsubscribe
    /// recorded there wins), whose active members are read a few at a time
    /// as the run plans and sends; a list of 100,000 is never held.
    Ledger,
    /// A preview, a dry run or a test send, which change nothing: the list
    /// as read, with the ledger's other members.
    Listed(Vec<Subscriber>),
}

impl Audience {
    /// The subscribers read for a run that changes nothing.
    fn listed(&self) -> &[Subscriber] {
        match self {
            Audience::Ledger => &[],
            Audience::Listed(subscribers) => subscribers,
        }
    }
}

fn audience(
    digest: &DigestConfig,
    ledger: Option<&mut Ledger>,
    send: bool,
    list_fingerprint: Option<&str>,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<Audience, Error> {
    match ledger {
        Some(ledger) if send => {
            import_list(digest, ledger, list_fingerprint, now, report)?;
            Ok(Audience::Ledger)
        }
        ledger => {
            let list = &digest.subscribers;
            let has_members = match ledger.as_deref() {
                Some(ledger) => ledger.has_members()?,
                None => false,
            };
            // A missing list is fine once the ledger has subscribers.
            let rows = if list.exists() || !has_members {
                subscribers::load(list, report)?
            } else {
                Vec::new()
            };
            Ok(Audience::Listed(ledger::roster::recipients(
                rows,
                ledger.as_deref(),
            )?))
        }
    }
}

/// Brings the subscriber list into the ledger before a send, row by row;
/// a list the ledger imported as it is now is not read again, and a
/// missing list is fine once the ledger has subscribers.
fn import_list(
    digest: &DigestConfig,
    ledger: &mut Ledger,
    list_fingerprint: Option<&str>,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<(), Error> {
    let list = &digest.subscribers;
    let secret = ledger::signing_secret(digest, Some(ledger))?;
    ledger.refresh_tokens(&secret)?;
    let has_members = ledger.has_members()?;
    let imported = match list_fingerprint {
        Some(fingerprint) if has_members => {
            ledger.meta("list_imported")?.as_deref() == Some(fingerprint)
        }
        _ => false,
    };
    if imported || (has_members && !list.exists()) {
        return Ok(());
    }
    let source = list
        .file_name()
        .map_or("list".into(), |n| n.to_string_lossy().into_owned());
    let rows =
        subscribers::rows(list)?.filter_map(|row| row.map_err(|skipped| report.push(skipped)).ok());
    ledger.import(rows, &source, &secret, &rfc3339(now))?;
    if let Some(fingerprint) = list_fingerprint {
        ledger.set_meta("list_imported", fingerprint)?;
    }
    Ok(())
}

/// `gazette digest` in all its modes: plan the run's digests (the
/// at-most-once rules live in `prepare`, `plan` and `send_all`), compose
/// them, then test-send, preview, list or send them.
pub fn run(
    config: &Config,
    options: &Options,
    now: DateTime<Utc>,
    report: &mut Report,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Summary, Error> {
    let digest = config.digest_settings()?;
    let site = content::collect(config, now, report)?;
    let mut templates = Templates::load(&config.templates_dir)?;
    templates.add(SUBJECT_TEMPLATE, &digest.subject)?;
    let writes_ledger = options.send || options.to.is_some();
    let mut ledger = if writes_ledger {
        Some(Ledger::open(&digest.ledger)?)
    } else {
        Ledger::open_read_only(&digest.ledger)?
    };
    let mut summary = Summary::default();
    if let (Some(ledger), true) = (ledger.as_mut(), options.send) {
        // Before planning: two runs that both planned would both create digests.
        if let Err(holder) = ledger.lock_for_sending(&rfc3339(Utc::now()), options.shard)? {
            summary.events.push(Event::LockedOut(holder));
            summary.locked_out = true;
            return Ok(summary);
        }
    }
    // A run first finishes what an earlier one left, then plans its own.
    for _ in 0..2 {
        let Some((plans, audience)) = prepare(
            config,
            digest,
            &mut ledger,
            &site,
            options,
            now,
            &mut summary,
            report,
        )?
        else {
            break;
        };
        let resumed = plans.iter().any(|p| p.resumed);
        if let (Some(ledger), true) = (ledger.as_ref(), options.send) {
            let new: Vec<&str> = plans
                .iter()
                .filter(|p| !p.resumed)
                .map(|p| p.record.id.as_str())
                .collect();
            if !new.is_empty() {
                archive::publish(config, &templates, ledger, &new)?;
            }
        }
        for (n, plan) in plans.iter().enumerate() {
            handle(
                config,
                digest,
                &templates,
                &mut ledger,
                plan,
                n == 0,
                &audience,
                options,
                now,
                &mut summary,
                progress,
            )?;
            if summary.pending > 0 || summary.locked_out {
                break;
            }
        }
        if !(options.send && resumed) || summary.pending > 0 {
            break;
        }
    }
    Ok(summary)
}

/// Composes one digest and tests, previews, lists or sends it.
#[allow(clippy::too_many_arguments)]
fn handle(
    config: &Config,
    digest: &DigestConfig,
    templates: &Templates,
    ledger: &mut Option<Ledger>,
    plan: &Plan,
    first: bool,
    audience: &Audience,
    options: &Options,
    now: DateTime<Utc>,
    summary: &mut Summary,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), Error> {
    let subscribers = audience.listed();
    let since = parse_stored(&plan.record.since)?;
    let until = parse_stored(&plan.record.until)?;
    let composer = Composer::new(
        config,
        templates,
        &plan.record.id,
        plan.posts.clone(),
        since,
        until,
        ledger::signing_secret(digest, ledger.as_ref())?,
        now,
    )?;
    // This digest's recipients, for the modes that go through them here
    // (a send goes through the ledger's pending ones).
    let recipients = || -> Vec<&Subscriber> {
        let wanted: std::collections::HashSet<String> = plan
            .recipients
            .iter()
            .map(|e| e.to_ascii_lowercase())
            .collect();
        subscribers
            .iter()
            .filter(|s| wanted.contains(&s.email.to_ascii_lowercase()))
            .collect()
    };
    summary.events.push(Event::Planned {
        digest: plan.record.id.clone(),
        resumed: plan.resumed,
        titles: composer.posts().iter().map(|p| p.title.clone()).collect(),
        subscribers: plan.recipients.len(),
    });

    if let Some(address) = &options.to {
        let delivery = Delivery::from_config(config, digest)?;
        test_send(
            config,
            &delivery,
            &composer,
            subscribers,
            plan,
            ledger.as_ref(),
            address,
            now,
            summary,
        )
    } else if let Some(dir) = &options.preview {
        preview(dir, &composer, &recipients(), plan, first, summary)
    } else if !options.send {
        for subscriber in recipients() {
            let composed = composer.compose(subscriber)?;
            if options.dry_run {
                summary.events.push(Event::WouldSend {
                    message_id: composed.message_id,
                    email: subscriber.email.clone(),
                });
            }
        }
        summary.events.push(Event::NothingSent);
        Ok(())
    } else {
        let ledger = ledger.as_mut().ok_or_else(|| Error::Ledger {
            path: digest.ledger.clone(),
            message: "not opened for sending".into(),
        })?;
        let delivery = Delivery::from_config(config, digest)?;
        send_all(
            config, digest, &delivery, &composer, plan, ledger, options, now, summary, progress,
        )
    }
}

/// The digests a run handles, and who they may go to.
type Prepared = (Vec<Plan>, Audience);

/// Finds the unfinished digests or plans new ones,
/// reads the subscribers, records the plans, and drops withdrawn posts.
/// `None` when there is nothing to send; `summary` says why.
#[allow(clippy::too_many_arguments)]
fn prepare(
    config: &Config,
    digest: &DigestConfig,
    ledger: &mut Option<Ledger>,
    site: &content::Site,
    options: &Options,
    now: DateTime<Utc>,
    summary: &mut Summary,
    report: &mut Report,
) -> Result<Option<Prepared>, Error> {
    let period = plan::period(config, digest, ledger.as_ref(), options, now)?;
    let resumable = !period.is_explicit() && options.to.is_none();
    for _ in 0..2 {
        if let (Some(open), true) = (ledger.as_ref(), resumable) {
            let plans = plan::unfinished(config, open, site, now, report)?;
            if !plans.is_empty() {
                let list = list_fingerprint(&digest.subscribers)?;
                let audience = audience(
                    digest,
                    ledger.as_mut(),
                    options.send,
                    list.as_deref(),
                    now,
                    report,
                )?;
                let plans = settle_withdrawn(plans, ledger.as_mut(), options, now, summary)?;
                return Ok(Some((plans, audience)));
            }
        }
        let candidates = plan::candidates(site, &period, now);
        if candidates.is_empty() {
            summary.events.push(Event::NothingNew {
                since: rfc3339(period.since.with_timezone(&Utc)),
            });
            return Ok(None);
        }
        let list = list_fingerprint(&digest.subscribers)?;
        if let (Some(open), true) = (ledger.as_ref(), resumable) {
            if let Some(quiet) = open.meta("quiet")? {
                let key = plan::quiet_key(digest, &candidates, &period, open, list.as_deref())?;
                let (recorded, until) = quiet.split_once(' ').unwrap_or((&quiet, ""));
                let waiting = plan::parse(until).is_none_or(|until| now < until);
                if recorded == key && waiting {
                    summary.events.push(Event::NothingNew {
                        since: rfc3339(period.since.with_timezone(&Utc)),
                    });
                    return Ok(None);
                }
            }
        }
        // Only now the list: from cron, most runs find nothing to mail, and a
        // list of 100,000 takes seconds to load and merge.
        let audience = audience(
            digest,
            ledger.as_mut(),
            options.send,
            list.as_deref(),
            now,
            report,
        )?;
        let unreadable_before = report.diagnostics.len();
        let test_reader = options.to.as_ref().map(|address| {
            audience
                .listed()
                .iter()
                .find(|s| s.email.eq_ignore_ascii_case(address))
                .cloned()
                .unwrap_or_else(|| Subscriber::bare(address))
        });
        let readers = match (&test_reader, &audience) {
            (Some(reader), _) => plan::Readers::Test(reader),
            (None, Audience::Ledger) => plan::Readers::Ledger,
            (None, Audience::Listed(subscribers)) => plan::Readers::Subscribers(subscribers),
        };
        let grouped = plan::group(
            config,
            digest,
            ledger.as_ref(),
            site,
            &candidates,
            &period,
            readers,
            options.send,
            now,
            report,
        )?;
        if let (Some(open), true) = (ledger.as_mut(), options.send) {
            let batch: Vec<ledger::NewDigest<'_, _>> = grouped
                .plans
                .iter()
                .map(|plan| ledger::NewDigest {
                    record: &plan.record,
                    posts: &plan.posts,
                    recipients: &plan.recipients,
                })
                .collect();
            if !open.create_batch(&batch, &grouped.handled, &rfc3339(now))? {
                // Another shard of this split planned a moment ago: finish that.
                continue;
            }
            // Everyone due is served by these digests, unless a post could
            // not be read (it waits for the next run, which must look).
            if report.diagnostics.len() == unreadable_before && options.to.is_none() {
                let cadences = grouped.cadences.iter().copied().chain(digest.cadence);
                let until = plan::next_due(digest, config.timezone, cadences, now)
                    .map(rfc3339)
                    .unwrap_or_default();
                let key = plan::quiet_key(digest, &candidates, &period, open, list.as_deref())?;
                open.set_meta("quiet", &format!("{key} {until}"))?;
            }
        }
        if grouped.plans.is_empty() {
            summary.events.push(Event::NothingNew {
                since: rfc3339(period.since.with_timezone(&Utc)),
            });
            return Ok(None);
        }
        return Ok(Some((grouped.plans, audience)));
    }
    Ok(None)
}

/// Takes the posts no longer published out of resumed digests; a digest
/// left with none is closed.
fn settle_withdrawn(
    plans: Vec<Plan>,
    mut ledger: Option<&mut Ledger>,
    options: &Options,
    now: DateTime<Utc>,
    summary: &mut Summary,
) -> Result<Vec<Plan>, Error> {
    let mut kept = Vec::new();
    for plan in plans {
        if !plan.withdrawn.is_empty() {
            summary.events.push(Event::Withdrawn {
                digest: plan.record.id.clone(),
                titles: plan
                    .withdrawn
                    .iter()
                    .map(|p| format!("{:?}", p.title))
                    .collect(),
            });
            if let (Some(ledger), true) = (ledger.as_deref(), options.send) {
                let ids: Vec<String> = plan.withdrawn.iter().map(|p| p.id.clone()).collect();
                ledger.drop_planned(&plan.record.id, &ids)?;
            }
        }
        if !plan.posts.is_empty() {
            kept.push(plan);
            continue;
        }
        summary.events.push(Event::AllWithdrawn {
            digest: plan.record.id.clone(),
        });
        if let (Some(ledger), true) = (ledger.as_deref_mut(), options.send) {
            ledger.skip_pending(
                &plan.record.id,
                "every post of the digest was withdrawn",
                &rfc3339(now),
            )?;
            ledger.complete_if_done(&plan.record.id, &rfc3339(now))?;
        }
    }
    Ok(kept)
}

/// `--to ADDRESS`: one message, recorded apart from the digest's recipients.
#[allow(clippy::too_many_arguments)]
fn test_send(
    config: &Config,
    delivery: &Delivery,
    composer: &Composer<'_>,
    subscribers: &[Subscriber],
    plan: &Plan,
    ledger: Option<&Ledger>,
    address: &str,
    now: DateTime<Utc>,
    summary: &mut Summary,
) -> Result<(), Error> {
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
        ledger.record_test_send(&plan.record.id, &subscriber.email, &outcome, &rfc3339(now))?;
    }
    match outcome {
        Outcome::Sent { .. } => summary.events.push(Event::TestSent {
            email: subscriber.email.clone(),
            via: delivery.transport.describe(config),
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

/// `--preview DIR`: every message as `.eml`, and the first one's HTML.
fn preview(
    dir: &std::path::Path,
    composer: &Composer<'_>,
    subscribers: &[&Subscriber],
    plan: &Plan,
    first: bool,
    summary: &mut Summary,
) -> Result<(), Error> {
    for (position, subscriber) in subscribers.iter().enumerate() {
        let composed = composer.compose(subscriber)?;
        crate::output::write(
            dir,
            &outbox_name(&plan.record.id, position, &subscriber.email),
            &composed.message.formatted(),
        )?;
        if position == 0 && first {
            crate::output::write(dir, "digest.html", composed.html.as_bytes())?;
        }
    }
    summary.events.push(Event::PreviewWritten {
        messages: subscribers.len(),
        dir: dir.to_path_buf(),
    });
    Ok(())
}

/// How stale the list of addresses that left during a send may be.
/// How many recipients a send reads from the ledger at a time.
const SEND_CHUNK: usize = 1024;

const SUPPRESSED_REFRESH: std::time::Duration = std::time::Duration::from_millis(200);

/// `--send`: every pending recipient of this run's part, each outcome
/// committed as it is known. At most once per recipient: the send lock
/// keeps other runs out, and a worker takes its next message only after its
/// last outcome is recorded.
#[allow(clippy::too_many_arguments)]
fn send_all(
    config: &Config,
    digest: &DigestConfig,
    delivery: &Delivery,
    composer: &Composer<'_>,
    plan: &Plan,
    ledger: &mut Ledger,
    options: &Options,
    now: DateTime<Utc>,
    summary: &mut Summary,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), Error> {
    ledger.lock_digest(&plan.record.id)?;
    let in_shard = |email: &str| options.shard.is_none_or(|shard| shard.holds(email));
    let pending: Vec<String> = ledger
        .pending(&plan.record.id)?
        .into_iter()
        .filter(|email| in_shard(email))
        .collect();
    let (transport, policy) = (&delivery.transport, delivery.policy);
    progress(Progress::Start {
        total: pending.len(),
    });
    let mut fatal = None;
    let mut stopped = 0;
    let mut go_on = true;
    let mut logged_in = false;
    // Unsubscribes recorded by `serve` meanwhile, looked up a few times a
    // second by the recording thread rather than once per message.
    let suppressed = std::sync::RwLock::new(ledger.suppressed_pending(&plan.record.id)?);
    let mut looked_up = std::time::Instant::now();
    let list_lines = std::sync::OnceLock::new();
    // The recipients are read from the ledger a chunk at a time: what a run
    // holds does not grow with the list.
    for (chunk_number, chunk) in pending.chunks(SEND_CHUNK).enumerate() {
        let mut jobs = Vec::with_capacity(chunk.len());
        for (offset, (email, subscriber)) in
            chunk.iter().zip(ledger.subscribers(chunk)?).enumerate()
        {
            match subscriber {
                Some(subscriber) => jobs.push((chunk_number * SEND_CHUNK + offset, subscriber)),
                None => {
                    let outcome = Outcome::Skipped {
                        reason: "no longer on the subscriber list".into(),
                    };
                    ledger.mark(&plan.record.id, email, &outcome, &rfc3339(now))?;
                    progress(Progress::Step { email });
                }
            }
        }
        if jobs.is_empty() {
            continue;
        }
        // One login before the workers start: a refused password stops the
        // run after a single attempt instead of one per connection and
        // retry, which locks accounts on real relays.
        if !logged_in {
            if let Err(error) = transport.check() {
                summary.events.push(Event::TransportRefused {
                    digest: plan.record.id.clone(),
                    error,
                });
                summary.pending += ledger
                    .pending(&plan.record.id)?
                    .iter()
                    .filter(|email| in_shard(email))
                    .count();
                return Ok(());
            }
            logged_in = true;
        }
        send::run_parallel(
            jobs,
            digest.connections,
            digest.rate_limit,
            || transport.sender(),
            // Composed while the worker's previous outcome is being recorded.
            |(_, subscriber)| composer.compose(subscriber),
            |sender, (position, subscriber), composed| -> Result<Outcome, Error> {
                // Someone who unsubscribed while this digest goes out gets no more of it.
                let gone = suppressed
                    .read()
                    .unwrap_or_else(|p| p.into_inner())
                    .contains(&subscriber.email.to_ascii_lowercase());
                if gone {
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
                    Err(e) => {
                        let list = &digest.subscribers;
                        // Read once, at the first failure: a template that
                        // fails for everyone must not scan the list per row.
                        let lines = list_lines.get_or_init(|| subscribers::lines(list));
                        let place = match lines.get(&subscriber.email) {
                            Some(line) => format!("{}:{line}", list.display()),
                            None => list.display().to_string(),
                        };
                        return Ok(Outcome::Failed {
                            error: format!("{place}: {}", crate::error::chain(&e)),
                            attempts: 0,
                        });
                    }
                };
                let name = outbox_name(&plan.record.id, *position, &subscriber.email);
                Ok(sender.deliver(&composed.message, &composed.message_id, &name, policy))
            },
            |results| {
                if looked_up.elapsed() >= SUPPRESSED_REFRESH {
                    if let Ok(current) = ledger.suppressed_pending(&plan.record.id) {
                        *suppressed.write().unwrap_or_else(|p| p.into_inner()) = current;
                    }
                    looked_up = std::time::Instant::now();
                }
                let stamp = rfc3339(Utc::now());
                let mut outcomes = Vec::with_capacity(results.len());
                for ((_, subscriber), result) in results {
                    match result {
                        Ok(outcome) => outcomes.push((subscriber, outcome)),
                        // What was delivered is still recorded below.
                        Err(e) => fatal = Some(e),
                    }
                }
                let rows: Vec<(&str, &Outcome)> = outcomes
                    .iter()
                    .map(|(subscriber, outcome)| (subscriber.email.as_str(), outcome))
                    .collect();
                if let Err(e) = ledger.mark_all(&plan.record.id, &rows, &stamp) {
                    fatal = Some(e);
                    go_on = false;
                    return false;
                }
                let refused = rows.iter().filter_map(|(email, outcome)| match outcome {
                    Outcome::Failed { error, .. } | Outcome::Deferred { error, .. } => {
                        Some((*email, error.as_str()))
                    }
                    _ => None,
                });
                if let Err(e) = crate::membership::bounces::record_refusals(
                    ledger,
                    refused,
                    digest.soft_bounce_limit,
                    &stamp,
                ) {
                    fatal = Some(e);
                    go_on = false;
                    return false;
                }
                go_on = fatal.is_none();
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
                            stopped += 1;
                            go_on = false;
                        }
                        _ => {}
                    }
                }
                go_on
            },
        );
        if !go_on {
            break;
        }
    }
    progress(Progress::Finish);
    if let Some(e) = fatal {
        return Err(e);
    }
    let complete = ledger.complete_if_done(&plan.record.id, &rfc3339(now))?;
    let counts = ledger.counts(&plan.record.id)?;
    summary.failed += counts.failed;
    // A shard is done when its own part is; the others finish theirs.
    summary.pending += ledger
        .pending(&plan.record.id)?
        .iter()
        .filter(|email| in_shard(email))
        .count();
    summary.events.push(Event::Sent {
        digest: plan.record.id.clone(),
        via: transport.describe(config),
        counts,
        complete,
    });
    for (email, error) in ledger.failures(&plan.record.id)? {
        summary.events.push(Event::RecipientFailed { email, error });
    }
    Ok(())
}

/// `gazette digest status`: the ledger's view of the last digests, newest
/// first; `None` when there is no ledger yet.
pub fn status(config: &Config) -> Result<Option<Vec<Status>>, Error> {
    let digest = config.digest_settings()?;
    let Some(ledger) = Ledger::open_read_only(&digest.ledger)? else {
        return Ok(None);
    };
    ledger
        .recent(10)?
        .into_iter()
        .map(|record| {
            let counts = ledger.counts(&record.id)?;
            Ok(Status { record, counts })
        })
        .collect::<Result<_, Error>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "title = \"T\"\nbase_url = \"https://e.org/\"\n[digest]\nfrom = \"T <d@e.org>\"\nunsubscribe_url = \"https://e.org/u?token={token}\"\nfirst_days = 7\nmax_age_days = 30\n";

    fn site_with(dir: &std::path::Path, posts: &[(&str, &str, bool)]) -> (Config, content::Site) {
        std::fs::create_dir_all(dir.join("content")).unwrap();
        for (name, date, draft) in posts {
            std::fs::write(
                dir.join("content").join(format!("{name}.md")),
                format!("---\ntitle: {name}\ndate: '{date}'\ndraft: {draft}\n---\nBody.\n"),
            )
            .unwrap();
        }
        let config = Config::parse(CONFIG, &dir.join("config.toml"), dir.to_path_buf()).unwrap();
        let site = content::collect(&config, Utc::now(), &mut Report::default()).unwrap();
        (config, site)
    }

    /// The new digests a run at `when` plans for `readers`.
    fn plans_at(
        config: &Config,
        ledger: Option<&Ledger>,
        site: &content::Site,
        readers: &[Subscriber],
        when: &str,
        report: &mut Report,
    ) -> Vec<Plan> {
        let digest = config.digest.as_ref().unwrap();
        let options = Options {
            send: true,
            ..Options::default()
        };
        let period = plan::period(config, digest, ledger, &options, at(when)).unwrap();
        let candidates = plan::candidates(site, &period, at(when));
        plan::group(
            config,
            digest,
            ledger,
            site,
            &candidates,
            &period,
            plan::Readers::Subscribers(readers),
            true,
            at(when),
            report,
        )
        .unwrap()
        .plans
    }

    fn record(ledger: &mut Ledger, plans: &[Plan]) {
        let batch: Vec<ledger::NewDigest<'_, _>> = plans
            .iter()
            .map(|plan| ledger::NewDigest {
                record: &plan.record,
                posts: &plan.posts,
                recipients: &plan.recipients,
            })
            .collect();
        assert!(ledger.create_batch(&batch, &[], "t").unwrap());
    }

    #[test]
    fn a_post_whose_file_changed_meanwhile_waits_for_the_next_digest() {
        let dir = tempfile::tempdir().unwrap();
        let (config, site) = site_with(
            dir.path(),
            &[("kept", "2025-05-30", false), ("gone", "2025-05-31", false)],
        );
        std::fs::remove_file(dir.path().join("content/gone.md")).unwrap();
        let mut report = Report::default();
        let readers = [Subscriber::bare("a@e.org")];
        let plans = plans_at(
            &config,
            None,
            &site,
            &readers,
            "2025-06-01T00:00:00Z",
            &mut report,
        );
        assert_eq!(ids(&plans[0]), ["kept"]);
        assert!(!plans[0].record.posts.iter().any(|id| id.contains("gone")));
        let messages: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("gone.md") && m.contains("changed while gazette ran")),
            "{messages:?}"
        );
    }

    fn ids(plan: &Plan) -> Vec<String> {
        plan.posts.iter().map(|p| p.title.clone()).collect()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn selection_is_by_what_each_reader_was_sent_within_the_look_back() {
        let dir = tempfile::tempdir().unwrap();
        let (config, site) = site_with(
            dir.path(),
            &[
                ("old", "2025-04-01", false),
                ("recent", "2025-05-28", false),
                ("late", "2025-05-20", true),
            ],
        );
        let mut ledger = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let readers = [Subscriber::bare("a@e.org")];
        // The first digest looks back first_days: only `recent`.
        let first = plans_at(
            &config,
            Some(&ledger),
            &site,
            &readers,
            "2025-06-01T00:00:00Z",
            &mut Report::default(),
        );
        assert_eq!(ids(&first[0]), ["recent"]);
        record(&mut ledger, &first);
        ledger
            .mark(
                &first[0].record.id,
                "a@e.org",
                &Outcome::Sent {
                    message_id: "m".into(),
                    attempts: 1,
                },
                "t",
            )
            .unwrap();
        assert!(ledger.complete_if_done(&first[0].record.id, "t").unwrap());

        // `late` is published afterwards, dated before the first digest:
        // carried next time (within max_age_days), `recent` never again.
        std::fs::write(
            dir.path().join("content/late.md"),
            "---\ntitle: late\ndate: '2025-05-20'\n---\nBody.\n",
        )
        .unwrap();
        let site = content::collect(&config, Utc::now(), &mut Report::default()).unwrap();
        let second = plans_at(
            &config,
            Some(&ledger),
            &site,
            &readers,
            "2025-06-05T00:00:00Z",
            &mut Report::default(),
        );
        assert_eq!(second.len(), 1);
        assert_eq!(ids(&second[0]), ["late"]);
        // `old` is outside the 30-day look-back and stays out.
        assert!(!ids(&second[0]).contains(&"old".to_string()));
        // Someone new is owed `recent` and `late` too: none was sent to them.
        let both = [Subscriber::bare("a@e.org"), Subscriber::bare("b@e.org")];
        let third = plans_at(
            &config,
            Some(&ledger),
            &site,
            &both,
            "2025-06-05T00:00:00Z",
            &mut Report::default(),
        );
        let carried: Vec<(Vec<String>, Vec<String>)> = third
            .iter()
            .map(|p| (ids(p), p.recipients.clone()))
            .collect();
        assert_eq!(
            carried,
            [
                (vec!["late".to_string()], vec!["a@e.org".to_string()]),
                (
                    vec!["late".to_string(), "recent".to_string()],
                    vec!["b@e.org".to_string()]
                ),
            ]
        );
    }

    #[test]
    fn an_unfinished_digest_is_resumed_without_withdrawn_posts() {
        let dir = tempfile::tempdir().unwrap();
        let (config, site) = site_with(
            dir.path(),
            &[("a", "2025-05-30", false), ("b", "2025-05-31", false)],
        );
        let mut ledger = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let readers = [Subscriber::bare("x@e.org")];
        let first = plans_at(
            &config,
            Some(&ledger),
            &site,
            &readers,
            "2025-06-01T00:00:00Z",
            &mut Report::default(),
        );
        record(&mut ledger, &first);
        // A second plan while it is unfinished is refused: it is finished instead...
        assert!(!ledger
            .create(&first[0].record, &first[0].posts, &["x@e.org".into()], "t")
            .unwrap());
        // ...minus a post that became a draft.
        std::fs::write(
            dir.path().join("content/a.md"),
            "---\ntitle: a\ndate: '2025-05-30'\ndraft: true\n---\nBody.\n",
        )
        .unwrap();
        let site = content::collect(&config, Utc::now(), &mut Report::default()).unwrap();
        let resumed = plan::unfinished(
            &config,
            &ledger,
            &site,
            at("2025-06-01T01:00:00Z"),
            &mut Report::default(),
        )
        .unwrap();
        assert!(resumed[0].resumed);
        assert_eq!(resumed[0].record.id, first[0].record.id);
        assert_eq!(ids(&resumed[0]), ["b"]);
        assert_eq!(resumed[0].withdrawn.len(), 1);
        assert_eq!(resumed[0].recipients, ["x@e.org"]);
    }
}
