//! Email digests: pick the posts published since the last digest, render one
//! message per subscriber, send, and record each outcome in the ledger.
//!
//! Safe from cron: no new posts means no mail; each digest reaches each
//! subscriber at most once (but for messages in flight when the process is
//! killed); a run that stops half way is finished by running it again; the
//! cut-off moves only when a digest is complete.

mod archive;
pub(crate) mod compose;
mod deliver;
mod plan;
pub(crate) mod schedule;
mod specialize;

pub use crate::ledger::{Counts, DigestRecord, LockHolder, Shard};

use std::path::PathBuf;

use chrono::{DateTime, Datelike, Duration, FixedOffset, SecondsFormat, Utc};

use crate::config::{Config, DigestConfig};
use crate::content;
use crate::error::{Error, Report};
use crate::ledger::{self, Ledger};
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

impl Run<'_> {
    fn audience(
        &self,
        ledger: Option<&mut Ledger>,
        list_fingerprint: Option<&str>,
        report: &mut Report,
    ) -> Result<Audience, Error> {
        let digest = self.digest;
        match ledger {
            Some(ledger) if self.options.send => {
                import_list(digest, ledger, list_fingerprint, self.now, report)?;
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

/// What every step of one run reads: the settings, the templates, the
/// command's options and the time the run takes as now.
struct Run<'a> {
    config: &'a Config,
    digest: &'a DigestConfig,
    templates: &'a Templates,
    options: &'a Options,
    now: DateTime<Utc>,
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
    let run = Run {
        config,
        digest,
        templates: &templates,
        options,
        now,
    };
    let writes_ledger = options.send || options.to.is_some();
    let mut ledger = if writes_ledger {
        Some(Ledger::open_for(digest)?)
    } else {
        Ledger::open_read_only_for(digest)?
    };
    let mut summary = Summary::default();
    if let (Some(ledger), true) = (ledger.as_mut(), options.send) {
        // Before planning: two runs that both planned would both create digests.
        if let Err(holder) =
            ledger.lock_for_sending(&rfc3339(crate::clock::now()), options.shard)?
        {
            summary.events.push(Event::LockedOut(holder));
            summary.locked_out = true;
            return Ok(summary);
        }
    }
    // A run first finishes what an earlier one left, then plans its own.
    for _ in 0..2 {
        let Some((plans, audience)) = run.prepare(&mut ledger, &site, &mut summary, report)? else {
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
            run.handle(&mut ledger, plan, n == 0, &audience, &mut summary, progress)?;
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

/// The digests a run handles, and who they may go to.
type Prepared = (Vec<Plan>, Audience);

impl Run<'_> {
    /// Composes one digest and tests, previews, lists or sends it.
    fn handle(
        &self,
        ledger: &mut Option<Ledger>,
        plan: &Plan,
        first: bool,
        audience: &Audience,
        summary: &mut Summary,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<(), Error> {
        let subscribers = audience.listed();
        let composer = Composer::new(
            self.config,
            self.templates,
            &plan.record,
            plan.posts.clone(),
            ledger::signing_secret(self.digest, ledger.as_ref())?,
            self.now,
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

        if let Some(address) = &self.options.to {
            self.test_send(
                &composer,
                subscribers,
                plan,
                ledger.as_ref(),
                address,
                summary,
            )
        } else if let Some(dir) = &self.options.preview {
            deliver::preview(dir, &composer, &recipients(), plan, first, summary)
        } else if !self.options.send {
            for subscriber in recipients() {
                let composed = composer.compose(subscriber)?;
                if self.options.dry_run {
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
                path: self.digest.ledger.clone(),
                message: "not opened for sending".into(),
            })?;
            self.send_all(&composer, plan, ledger, summary, progress)
        }
    }

    /// Finds the unfinished digests or plans new ones,
    /// reads the subscribers, records the plans, and drops withdrawn posts.
    /// `None` when there is nothing to send; `summary` says why.
    fn prepare(
        &self,
        ledger: &mut Option<Ledger>,
        site: &content::Site,
        summary: &mut Summary,
        report: &mut Report,
    ) -> Result<Option<Prepared>, Error> {
        let (digest, options, now) = (self.digest, self.options, self.now);
        let period = plan::period(self, ledger.as_ref())?;
        let nothing_new = || Event::NothingNew {
            since: rfc3339(period.since.with_timezone(&Utc)),
        };
        let resumable = !period.is_explicit() && options.to.is_none();
        for _ in 0..2 {
            if let (Some(open), true) = (ledger.as_ref(), resumable) {
                let plans = plan::unfinished(self.config, open, site, now, report)?;
                if !plans.is_empty() {
                    let list = list_fingerprint(&digest.subscribers)?;
                    let audience = self.audience(ledger.as_mut(), list.as_deref(), report)?;
                    let plans = self.settle_withdrawn(plans, ledger.as_mut(), summary)?;
                    return Ok(Some((plans, audience)));
                }
            }
            let candidates = plan::candidates(site, &period, now);
            if candidates.is_empty() {
                summary.events.push(nothing_new());
                return Ok(None);
            }
            let list = list_fingerprint(&digest.subscribers)?;
            if let (Some(open), true) = (ledger.as_ref(), resumable) {
                if self.is_quiet(open, &candidates, &period, list.as_deref())? {
                    summary.events.push(nothing_new());
                    return Ok(None);
                }
            }
            // Only now the list: from cron, most runs find nothing to mail, and a
            // list of 100,000 takes seconds to load and merge.
            let audience = self.audience(ledger.as_mut(), list.as_deref(), report)?;
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
            let scope = plan::Scope {
                site,
                candidates: &candidates,
                period: &period,
            };
            let grouped = plan::group(self, ledger.as_ref(), &scope, readers, report)?;
            if let (Some(open), true) = (ledger.as_mut(), options.send) {
                // Everyone due is served by these digests, unless a post could
                // not be read (it waits for the next run, which must look).
                let all_read = report.diagnostics.len() == unreadable_before;
                if !self.record_plans(open, &grouped, &scope, list.as_deref(), all_read)? {
                    // Another shard of this split planned a moment ago: finish that.
                    continue;
                }
            }
            if grouped.plans.is_empty() {
                summary.events.push(nothing_new());
                return Ok(None);
            }
            return Ok(Some((grouped.plans, audience)));
        }
        Ok(None)
    }

    /// True when an earlier run left everyone served and nothing that
    /// decides what anyone is owed has changed since, before the next slot.
    fn is_quiet(
        &self,
        ledger: &Ledger,
        candidates: &plan::Candidates<'_>,
        period: &plan::Period,
        list: Option<&str>,
    ) -> Result<bool, Error> {
        let Some(quiet) = ledger.meta("quiet")? else {
            return Ok(false);
        };
        let key = plan::quiet_key(self.digest, candidates, period, ledger, list)?;
        let (recorded, until) = quiet.split_once(' ').unwrap_or((&quiet, ""));
        let waiting = plan::parse(until).is_none_or(|until| self.now < until);
        Ok(recorded == key && waiting)
    }

    /// Records the new digests; `false` when another shard recorded its own
    /// plans first. With `all_read`, the run notes that it left everyone
    /// served until the next slot, so the runs before it need not plan.
    fn record_plans(
        &self,
        ledger: &mut Ledger,
        grouped: &plan::Grouped,
        scope: &plan::Scope<'_>,
        list: Option<&str>,
        all_read: bool,
    ) -> Result<bool, Error> {
        let batch: Vec<_> = grouped.plans.iter().map(Plan::as_new).collect();
        if !ledger.create_batch(&batch, &grouped.handled, &rfc3339(self.now))? {
            return Ok(false);
        }
        if all_read && self.options.to.is_none() {
            let cadences = grouped.cadences.iter().copied().chain(self.digest.cadence);
            let until = plan::next_due(self.digest, self.config.timezone, cadences, self.now)
                .map(rfc3339)
                .unwrap_or_default();
            let key = plan::quiet_key(self.digest, scope.candidates, scope.period, ledger, list)?;
            ledger.set_meta("quiet", &format!("{key} {until}"))?;
        }
        Ok(true)
    }

    /// Takes the posts no longer published out of resumed digests; a digest
    /// left with none is closed.
    fn settle_withdrawn(
        &self,
        plans: Vec<Plan>,
        mut ledger: Option<&mut Ledger>,
        summary: &mut Summary,
    ) -> Result<Vec<Plan>, Error> {
        let (options, now) = (self.options, self.now);
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
}

/// `gazette digest status`: the ledger's view of the last digests, newest
/// first; `None` when there is no ledger yet.
pub fn status(config: &Config) -> Result<Option<Vec<Status>>, Error> {
    let digest = config.digest_settings()?;
    let Some(ledger) = Ledger::open_read_only_for(digest)? else {
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
    use crate::mail::Outcome;

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
        let options = Options {
            send: true,
            ..Options::default()
        };
        let run = Run {
            config,
            digest: config.digest.as_ref().unwrap(),
            templates: &Templates::load(&config.templates_dir).unwrap(),
            options: &options,
            now: at(when),
        };
        let period = plan::period(&run, ledger).unwrap();
        let candidates = plan::candidates(site, &period, at(when));
        let scope = plan::Scope {
            site,
            candidates: &candidates,
            period: &period,
        };
        plan::group(
            &run,
            ledger,
            &scope,
            plan::Readers::Subscribers(readers),
            report,
        )
        .unwrap()
        .plans
    }

    fn record(ledger: &mut Ledger, plans: &[Plan]) {
        let batch: Vec<_> = plans.iter().map(Plan::as_new).collect();
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
