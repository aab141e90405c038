//! Delivering messages: over SMTP (gazette's own client, see
//! `smtp_client`), to the local MTA's `sendmail`, or into an outbox folder,
//! with bounded retries, a rate limit and parallel connections.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use lettre::Message;

use super::smtp_client::{self, Connection, SmtpError};
use super::Outcome;
use crate::config::{Config, DigestConfig, SmtpConfig, Tls, TransportKind};
use crate::error::Error;
use crate::output;

/// Where messages go.
pub(crate) enum Transport {
    Smtp(Box<smtp_client::Settings>),
    /// The local MTA's `sendmail` program: it queues, retries and delivers.
    Sendmail(PathBuf),
    /// `.eml` files in this folder, one per message.
    Outbox(PathBuf),
}

impl Transport {
    pub(crate) fn from_config(config: &Config, digest: &DigestConfig) -> Result<Transport, Error> {
        let kind = digest.transport.unwrap_or(if config.smtp.is_some() {
            TransportKind::Smtp
        } else {
            TransportKind::Outbox
        });
        match (kind, &config.smtp) {
            (TransportKind::Smtp, Some(smtp)) => {
                smtp_settings(config, smtp).map(|t| Transport::Smtp(Box::new(t)))
            }
            (TransportKind::Sendmail, _) => Ok(Transport::Sendmail(digest.sendmail_path.clone())),
            _ => Ok(Transport::Outbox(digest.outbox.clone())),
        }
    }

    /// Connects (and logs in) once, to find a refused login or an
    /// unreachable server before any message is tried.
    pub(crate) fn check(&self) -> Result<(), String> {
        match self {
            Transport::Outbox(_) => Ok(()),
            Transport::Sendmail(program) if program.is_file() => Ok(()),
            Transport::Sendmail(program) => Err(format!(
                "{} not found: install the MTA, or set `digest.sendmail_path`",
                program.display()
            )),
            Transport::Smtp(settings) => match Connection::open(settings) {
                Ok(connection) => {
                    connection.quit();
                    Ok(())
                }
                Err(e) if e.code.is_some() => {
                    Err(format!("the SMTP server refused the session: {e}"))
                }
                Err(e) => Err(format!("the SMTP server cannot be reached: {e}")),
            },
        }
    }

    pub(crate) fn describe(&self, config: &Config) -> String {
        match (self, &config.smtp) {
            (Transport::Smtp(_), Some(smtp)) => format!(
                "SMTP {}:{}",
                smtp.host,
                smtp.port.unwrap_or(default_port(smtp.tls))
            ),
            (Transport::Outbox(dir), _) => format!("the outbox {}", dir.display()),
            (Transport::Sendmail(program), _) => format!("sendmail {}", program.display()),
            _ => "?".into(),
        }
    }
}

fn default_port(tls: Tls) -> u16 {
    match tls {
        Tls::Starttls => 587,
        Tls::Tls => 465,
        Tls::None => 25,
    }
}

fn smtp_settings(config: &Config, smtp: &SmtpConfig) -> Result<smtp_client::Settings, Error> {
    let invalid = |message: String| Error::config(&config.file, message);
    let mut roots = crate::tls::public_roots();
    if let Some(ca) = &smtp.ca_file {
        crate::tls::add_pem_file(&mut roots, ca)
            .map_err(|e| invalid(format!("`smtp.ca_file` {}: {e}", ca.display())))?;
    }
    let tls_config = crate::tls::verifying(roots)
        .map_err(|e| invalid(format!("TLS setup for {}: {e}", smtp.host)))?;
    let credentials = match &smtp.username {
        Some(username) => {
            let variable = smtp
                .password_env
                .as_deref()
                .ok_or_else(|| invalid("`smtp.username` is set: also set `smtp.password_env`, the environment variable holding the password".into()))?;
            let password = std::env::var(variable).map_err(|_| {
                Error::Env(format!(
                    "the SMTP password is read from ${variable}, which is not set"
                ))
            })?;
            Some((username.clone(), password))
        }
        None => None,
    };
    Ok(smtp_client::Settings {
        host: smtp.host.clone(),
        port: smtp.port.unwrap_or(default_port(smtp.tls)),
        tls: smtp.tls,
        credentials,
        tls_config: std::sync::Arc::new(tls_config),
        timeout: Duration::from_secs(smtp.timeout_secs),
        hello_name: hostname::get()
            .ok()
            .and_then(|h| h.into_string().ok())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "localhost".into()),
    })
}

/// The transport and retry policy of a run, built once.
pub(crate) struct Delivery {
    pub transport: Transport,
    pub policy: RetryPolicy,
}

impl Delivery {
    pub(crate) fn from_config(config: &Config, digest: &DigestConfig) -> Result<Delivery, Error> {
        Ok(Delivery {
            transport: Transport::from_config(config, digest)?,
            policy: RetryPolicy {
                attempts: digest.attempts,
                first_delay: Duration::from_millis(digest.retry_delay_ms),
            },
        })
    }
}

/// How hard to try one message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    pub attempts: u32,
    pub first_delay: Duration,
}

/// One worker's way out: its own SMTP connection, kept open between
/// messages and closed politely at the end.
pub(crate) struct Sender<'t> {
    transport: &'t Transport,
    connection: Option<Connection>,
}

impl Transport {
    pub(crate) fn sender(&self) -> Sender<'_> {
        Sender {
            transport: self,
            connection: None,
        }
    }
}

impl Drop for Sender<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            connection.quit();
        }
    }
}

/// The moment before a message is handed over for good (SMTP's final `.`,
/// writing the outbox file, running `sendmail`). A worker of
/// [`run_parallel`] must have fewer than `Lanes::unrecorded` outcomes
/// waiting to be recorded by then; what
/// comes before (the envelope and the body on the wire) runs while the
/// ledger records it.
pub(crate) struct Gate<'a> {
    /// Until the gate is first asked.
    wait: Option<Box<dyn FnMut() -> bool + 'a>>,
    open: bool,
}

impl<'a> Gate<'a> {
    /// A gate that waits with `wait`, once; `wait` says whether the run goes on.
    fn new(wait: impl FnMut() -> bool + 'a) -> Gate<'a> {
        Gate {
            wait: Some(Box::new(wait)),
            open: true,
        }
    }

    /// For a message sent on its own: nothing to wait for.
    pub(crate) fn open() -> Gate<'static> {
        Gate {
            wait: None,
            open: true,
        }
    }

    /// Whether the message may be handed over; asked again, the same answer.
    pub(crate) fn pass(&mut self) -> bool {
        if let Some(mut wait) = self.wait.take() {
            self.open = wait();
        }
        self.open
    }

    /// The run stopped at this gate: the message was not handed over.
    pub(crate) fn refused(&self) -> bool {
        !self.open
    }
}

/// The outcome of a message a stopped run did not hand over; never recorded.
fn held_back() -> Outcome {
    Outcome::Deferred {
        error: "the run stopped before this message was handed over".into(),
        attempts: 0,
    }
}

impl Sender<'_> {
    /// Sends one message on its own, retrying temporary failures with
    /// exponential backoff.
    pub(crate) fn deliver(
        &mut self,
        message: &Message,
        message_id: &str,
        outbox_name: &str,
        policy: RetryPolicy,
    ) -> Outcome {
        self.deliver_gated(message, message_id, outbox_name, policy, &mut Gate::open())
    }

    /// `deliver`, handing the message over only once `gate` passes.
    pub(crate) fn deliver_gated(
        &mut self,
        message: &Message,
        message_id: &str,
        outbox_name: &str,
        policy: RetryPolicy,
        gate: &mut Gate<'_>,
    ) -> Outcome {
        match self.transport {
            Transport::Outbox(_) | Transport::Sendmail(_) if !gate.pass() => held_back(),
            Transport::Outbox(dir) => match output::write(dir, outbox_name, &message.formatted()) {
                Ok(_) => Outcome::Sent {
                    message_id: message_id.to_string(),
                    attempts: 1,
                },
                Err(e) => Outcome::Deferred {
                    error: e.to_string(),
                    attempts: 1,
                },
            },
            Transport::Sendmail(program) => sendmail(program, message, message_id),
            Transport::Smtp(settings) => {
                let envelope = message.envelope();
                let from = envelope.from().map(|a| a.to_string()).unwrap_or_default();
                let to: Vec<String> = envelope.to().iter().map(|a| a.to_string()).collect();
                let data = message.formatted();
                let mut delay = policy.first_delay;
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    match self.try_once(settings, &from, &to, &data, gate) {
                        Ok(()) => {
                            return Outcome::Sent {
                                message_id: message_id.to_string(),
                                attempts: attempt,
                            }
                        }
                        Err(_) if gate.refused() => return held_back(),
                        // A refused login will be refused again: no retry, and the
                        // run stops (Deferred) rather than failing everyone.
                        Err(e) if e.is_session() => {
                            return Outcome::Deferred {
                                error: e.to_string(),
                                attempts: attempt,
                            }
                        }
                        // 5xx: the server will never take this message; trying again only annoys it.
                        Err(e) if e.is_permanent() => {
                            return Outcome::Failed {
                                error: e.to_string(),
                                attempts: attempt,
                            }
                        }
                        // 4xx, timeouts and dropped connections may pass.
                        Err(e) if attempt >= policy.attempts => {
                            return Outcome::Deferred {
                                error: e.to_string(),
                                attempts: attempt,
                            }
                        }
                        Err(_) => {
                            std::thread::sleep(delay);
                            delay = delay.saturating_mul(2);
                        }
                    }
                }
            }
        }
    }

    fn try_once(
        &mut self,
        settings: &smtp_client::Settings,
        from: &str,
        to: &[String],
        data: &[u8],
        gate: &mut Gate<'_>,
    ) -> Result<(), SmtpError> {
        if self.connection.is_none() {
            self.connection = Some(Connection::open(settings)?);
        }
        let connection = self.connection.as_mut().ok_or_else(|| SmtpError {
            code: None,
            message: "no connection".into(),
        })?;
        let result = connection.send(from, to, data, &mut || gate.pass());
        if let Err(error) = &result {
            // A failed transaction leaves the session in a state servers
            // disagree about: the next message gets a new one. A server that
            // answered is told goodbye; a silent one is just dropped.
            if let Some(connection) = self.connection.take() {
                if error.code.is_some() {
                    connection.quit();
                }
            }
        }
        result
    }
}

/// Hands one message to the local MTA as `sendmail -i -f FROM -- RCPT`,
/// the interface Postfix, Exim and OpenSMTPD share. Exit status 0 means
/// queued; 75 (EX_TEMPFAIL) is temporary; any other status is that
/// recipient's failure, reported with what the program said.
fn sendmail(program: &std::path::Path, message: &Message, message_id: &str) -> Outcome {
    use std::io::Write as _;
    let envelope = message.envelope();
    let from = envelope.from().map(|a| a.to_string()).unwrap_or_default();
    let recipients: Vec<String> = envelope.to().iter().map(|a| a.to_string()).collect();
    let child = std::process::Command::new(program)
        .args(["-i", "-f", &from, "--"])
        .args(&recipients)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            return Outcome::Deferred {
                error: format!("cannot run {}: {e}", program.display()),
                attempts: 1,
            }
        }
    };
    let written = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(&message.formatted()));
    let output = child.wait_with_output();
    match (written, output) {
        (Some(Ok(())), Ok(output)) if output.status.success() => Outcome::Sent {
            message_id: message_id.to_string(),
            attempts: 1,
        },
        (_, Ok(output)) => {
            let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
            let error = format!(
                "{} exited with {}{}",
                program.display(),
                output.status,
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {said}")
                }
            );
            match output.status.code() {
                Some(75) | None => Outcome::Deferred { error, attempts: 1 },
                // EX_NOUSER: the MTA knows the recipient does not exist.
                Some(67) => Outcome::Failed {
                    error: format!("550 5.1.1 {error}{}", smtp_client::AT_RCPT),
                    attempts: 1,
                },
                Some(_) => Outcome::Failed { error, attempts: 1 },
            }
        }
        (_, Err(e)) => Outcome::Deferred {
            error: format!("{}: {e}", program.display()),
            attempts: 1,
        },
    }
}

/// Spaces sends evenly, shared by all connections.
struct RateLimit {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl RateLimit {
    fn new(per_second: f64) -> RateLimit {
        RateLimit {
            interval: (per_second > 0.0).then(|| Duration::from_secs_f64(1.0 / per_second)),
            next: Mutex::new(Instant::now()),
        }
    }

    fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + interval;
            slot
        };
        std::thread::sleep(slot.saturating_duration_since(Instant::now()));
    }
}

/// The calling thread's side of [`run_parallel`]: where jobs come from and
/// where their results go.
pub(crate) trait Driver<J, R> {
    /// The next jobs, asked for as the queue runs low (so a long list is
    /// never held whole); `None` when there are no more.
    fn more(&mut self) -> Option<Vec<J>>;
    /// Records a batch of results; `false` stops the run.
    fn record(&mut self, results: Vec<(J, R)>) -> bool;
}

/// Jobs waiting to be prepared, shared by the threads of a run.
struct Jobs<J> {
    queue: Mutex<Queue<J>>,
    queued: Condvar,
    stop: AtomicBool,
}

struct Queue<J> {
    waiting: VecDeque<J>,
    /// The driver has no more.
    exhausted: bool,
}

impl<J> Jobs<J> {
    fn new(first: Vec<J>) -> Jobs<J> {
        Jobs {
            queue: Mutex::new(Queue {
                waiting: first.into(),
                exhausted: false,
            }),
            queued: Condvar::new(),
            stop: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue<J>> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// The next job, waiting while the driver reads more; `None` once the
    /// run is stopped or every job is taken.
    fn take(&self) -> Option<J> {
        let mut queue = self.lock();
        loop {
            if self.stopped() {
                return None;
            }
            if let Some(job) = queue.waiting.pop_front() {
                return Some(job);
            }
            if queue.exhausted {
                return None;
            }
            queue = self.queued.wait(queue).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Asks the driver for more until `low_water` jobs wait or it has none;
    /// the driver reads without holding the queue.
    fn refill<R>(&self, driver: &mut impl Driver<J, R>, low_water: usize) {
        loop {
            {
                let queue = self.lock();
                if queue.exhausted || queue.waiting.len() >= low_water {
                    return;
                }
            }
            let more = driver.more();
            let mut queue = self.lock();
            match more {
                Some(jobs) => queue.waiting.extend(jobs),
                None => queue.exhausted = true,
            }
            self.queued.notify_all();
        }
    }

    fn halt(&self) {
        // Under the lock, so a preparer cannot miss it between its check and its wait.
        let _queue = self.lock();
        self.stop.store(true, Ordering::SeqCst);
        self.queued.notify_all();
    }
}

/// How a run sends: `connections` threads, spaced by `rate_limit`
/// (messages per second, 0 for none), each with at most `unrecorded`
/// messages the server may have accepted but the ledger not yet recorded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lanes {
    pub connections: usize,
    pub rate_limit: f64,
    pub unrecorded: usize,
}

/// Runs `prepare` then `work` for every job the driver gives and hands each
/// result back to it on the calling thread. `work` runs on `connections`
/// threads, which live for the whole run (one SMTP session each, however
/// long the list); `prepare` (composing a message) runs ahead on threads of
/// its own, so a connection never waits for the next message to be
/// composed. A thread hands its next message over (`Gate::pass`, which
/// `work` calls right before) only while fewer than `lanes.unrecorded` of
/// its results wait to be recorded, so at any instant each connection has
/// at most that many messages the server may have accepted but the ledger
/// not yet recorded: that bounds what a killed run can send twice. What
/// comes before the hand-over (the SMTP envelope, the body on the wire)
/// overlaps with the recording. Results that arrive while the last batch
/// was being recorded are handed over together, so the ledger can commit
/// them in one transaction: a window of more than one lets a ledger whose
/// every commit is a round trip (PostgreSQL) record several at once while
/// the connection goes on. When `record` returns false no further job is
/// sent.
pub(crate) fn run_parallel<J, P, R, S>(
    first: Vec<J>,
    lanes: Lanes,
    state: impl Fn() -> S + Sync,
    prepare: impl Fn(&J) -> P + Sync,
    work: impl Fn(&mut S, &J, P, &mut Gate<'_>) -> R + Sync,
    driver: &mut impl Driver<J, R>,
) where
    J: Send,
    P: Send,
    R: Send,
{
    let connections = lanes.connections.max(1);
    let window = lanes.unrecorded.max(1);
    let preparers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(connections);
    // The driver is asked for more while this many jobs still wait, so the
    // preparers never run dry while it reads.
    let low_water = 64.max(8 * connections);
    let jobs = Jobs::new(first);
    let limit = RateLimit::new(lanes.rate_limit);
    let (sender, receiver) = mpsc::channel::<(J, R, mpsc::Sender<()>)>();
    // A few composed messages per connection wait here; when the last
    // connection is done, the queue goes and the preparers stop.
    let (prepared_tx, prepared_rx) = mpsc::sync_channel::<(J, P)>(2 * connections);
    let prepared_rx = std::sync::Arc::new(Mutex::new(prepared_rx));
    std::thread::scope(|scope| {
        for _ in 0..preparers {
            let prepared_tx = prepared_tx.clone();
            let (jobs, prepare) = (&jobs, &prepare);
            scope.spawn(move || {
                while let Some(job) = jobs.take() {
                    let prepared = prepare(&job);
                    if prepared_tx.send((job, prepared)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(prepared_tx);
        for _ in 0..connections {
            let sender = sender.clone();
            let prepared_rx = std::sync::Arc::clone(&prepared_rx);
            let (jobs, limit, work, state) = (&jobs, &limit, &work, &state);
            scope.spawn(move || {
                let mut own = state();
                let (recorded, wait_recorded) = mpsc::channel::<()>();
                // Results sent to the driver and not yet recorded.
                let mut unrecorded = 0usize;
                loop {
                    if jobs.stopped() {
                        break;
                    }
                    let next = prepared_rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    // The stop may have come while this one was awaited.
                    let Some((job, prepared)) = next.ok().filter(|_| !jobs.stopped()) else {
                        break;
                    };
                    limit.wait();
                    // Records already made answer at once; only a full window waits.
                    let mut gate = Gate::new(|| {
                        while unrecorded >= window {
                            if wait_recorded.recv().is_err() {
                                return false;
                            }
                            unrecorded -= 1;
                        }
                        !jobs.stopped()
                    });
                    let result = work(&mut own, &job, prepared, &mut gate);
                    // A result that never reached the gate (refused at RCPT,
                    // skipped) waits for the last record all the same.
                    if !gate.pass() {
                        break;
                    }
                    drop(gate);
                    if sender.send((job, result, recorded.clone())).is_err() {
                        break;
                    }
                    unrecorded += 1;
                }
                for _ in 0..unrecorded {
                    if wait_recorded.recv().is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        drop(prepared_rx);
        // Refilled between batches, while the connections send: a job is
        // always queued or in flight until the driver has no more, so the
        // wait for results below cannot outlast the work.
        jobs.refill(driver, low_water);
        while let Ok(first) = receiver.recv() {
            let mut batch = vec![first];
            batch.extend(receiver.try_iter());
            let (results, waiting): (Vec<(J, R)>, Vec<mpsc::Sender<()>>) = batch
                .into_iter()
                .map(|(job, result, recorded)| ((job, result), recorded))
                .unzip();
            if driver.record(results) {
                jobs.refill(driver, low_water);
            } else {
                jobs.halt();
            }
            for recorded in waiting {
                // The worker may be gone already; nothing to tell it then.
                let _ = recorded.send(());
            }
        }
        // Every connection is gone (done, stopped, or a panic on its way):
        // a preparer still waiting for more must not wait forever.
        jobs.halt();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lanes(connections: usize, rate_limit: f64) -> Lanes {
        Lanes {
            connections,
            rate_limit,
            unrecorded: 1,
        }
    }

    /// Every job at the first ask, each batch of results to `record`.
    struct AllAtOnce<J, F> {
        jobs: Option<Vec<J>>,
        record: F,
    }

    impl<J, R, F: FnMut(Vec<(J, R)>) -> bool> Driver<J, R> for AllAtOnce<J, F> {
        fn more(&mut self) -> Option<Vec<J>> {
            self.jobs.take()
        }

        fn record(&mut self, results: Vec<(J, R)>) -> bool {
            (self.record)(results)
        }
    }

    fn all_at_once<J, F>(jobs: Vec<J>, record: F) -> AllAtOnce<J, F> {
        AllAtOnce {
            jobs: Some(jobs),
            record,
        }
    }

    /// Hands out `chunks` of 100 jobs (every third empty) and counts.
    struct Chunked {
        given: usize,
        chunks: usize,
        recorded: Vec<usize>,
        most_waiting: usize,
        stop_after: usize,
    }

    impl Driver<usize, usize> for Chunked {
        fn more(&mut self) -> Option<Vec<usize>> {
            self.most_waiting = self.most_waiting.max(self.given - self.recorded.len());
            if self.chunks == 0 {
                return None;
            }
            self.chunks -= 1;
            if self.chunks % 3 == 1 {
                return Some(Vec::new());
            }
            let jobs = (self.given..self.given + 100).collect();
            self.given += 100;
            Some(jobs)
        }

        fn record(&mut self, results: Vec<(usize, usize)>) -> bool {
            for (job, result) in results {
                assert_eq!(job + 1, result);
                self.recorded.push(job);
            }
            self.recorded.len() < self.stop_after
        }
    }

    #[test]
    fn parallel_runner_records_every_job_and_stops_when_asked() {
        let mut seen = Vec::new();
        run_parallel(
            Vec::new(),
            lanes(4, 0.0),
            || (),
            |n: &i32| *n,
            |(), _: &i32, n: i32, _: &mut Gate<'_>| n * 2,
            &mut all_at_once((0..50).collect(), |results: Vec<(i32, i32)>| {
                for (job, result) in results {
                    assert_eq!(result, job * 2);
                    seen.push(job);
                }
                true
            }),
        );
        seen.sort();
        assert_eq!(seen, (0..50).collect::<Vec<_>>());

        let mut count = 0;
        run_parallel(
            Vec::new(),
            lanes(2, 0.0),
            || (),
            |_: &i32| (),
            |(), n: &i32, (), _: &mut Gate<'_>| {
                // Slow enough that workers cannot race far past the stop.
                std::thread::sleep(Duration::from_millis(2));
                *n
            },
            &mut all_at_once((0..1000).collect(), |results: Vec<(i32, i32)>| {
                count += results.len();
                count < 5
            }),
        );
        assert!(count < 20, "{count} jobs ran after the stop");
    }

    #[test]
    fn jobs_are_asked_for_as_the_queue_runs_low_and_each_runs_once() {
        let mut driver = Chunked {
            given: 0,
            chunks: 30,
            recorded: Vec::new(),
            most_waiting: 0,
            stop_after: usize::MAX,
        };
        let opened = std::sync::atomic::AtomicUsize::new(0);
        run_parallel(
            Vec::new(),
            lanes(4, 0.0),
            || opened.fetch_add(1, Ordering::SeqCst),
            |n: &usize| *n + 1,
            |_, _: &usize, n: usize, _: &mut Gate<'_>| n,
            &mut driver,
        );
        driver.recorded.sort_unstable();
        assert_eq!(driver.recorded, (0..2000).collect::<Vec<_>>());
        // One session per connection for the whole run, not per chunk.
        assert_eq!(opened.load(Ordering::SeqCst), 4);
        // Asked for more only when fewer than the low water mark (64) plus
        // what is in flight were left, never the whole list ahead.
        assert!(driver.most_waiting < 200, "{}", driver.most_waiting);

        // A stop while preparers wait for more ends the run.
        let mut driver = Chunked {
            given: 0,
            chunks: 30,
            recorded: Vec::new(),
            most_waiting: 0,
            stop_after: 150,
        };
        run_parallel(
            Vec::new(),
            lanes(2, 0.0),
            || (),
            |n: &usize| *n + 1,
            |(), _: &usize, n: usize, _: &mut Gate<'_>| n,
            &mut driver,
        );
        assert!(driver.recorded.len() < 400, "{}", driver.recorded.len());
    }

    /// A connection hands a message over only once its last outcome is
    /// recorded, and works on the message before that meanwhile.
    #[test]
    fn a_message_is_handed_over_after_the_last_record_and_prepared_during_it() {
        use std::sync::atomic::AtomicUsize;
        let recorded = AtomicUsize::new(0);
        let overlapped = AtomicUsize::new(0);
        run_parallel(
            Vec::new(),
            lanes(1, 0.0),
            || (),
            |_: &usize| (),
            |(), n: &usize, (), gate: &mut Gate<'_>| {
                if recorded.load(Ordering::SeqCst) < *n {
                    overlapped.fetch_add(1, Ordering::SeqCst);
                }
                assert!(gate.pass());
                assert_eq!(
                    recorded.load(Ordering::SeqCst),
                    *n,
                    "handed over before the record"
                );
            },
            &mut all_at_once((0..20).collect(), |results: Vec<(usize, ())>| {
                std::thread::sleep(Duration::from_millis(5));
                recorded.fetch_add(results.len(), Ordering::SeqCst);
                true
            }),
        );
        assert_eq!(recorded.load(Ordering::SeqCst), 20);
        assert!(overlapped.load(Ordering::SeqCst) > 10, "{overlapped:?}");
    }

    /// With a window of three, a connection hands over up to three
    /// messages before the first is recorded, and never a fourth.
    #[test]
    fn a_connection_hands_over_no_more_than_its_window_unrecorded() {
        use std::sync::atomic::AtomicUsize;
        let recorded = AtomicUsize::new(0);
        let most_unrecorded = AtomicUsize::new(0);
        run_parallel(
            Vec::new(),
            Lanes {
                connections: 1,
                rate_limit: 0.0,
                unrecorded: 3,
            },
            || (),
            |_: &usize| (),
            |(), n: &usize, (), gate: &mut Gate<'_>| {
                assert!(gate.pass());
                // This message is handed over now, the ones before it may not be recorded.
                let unrecorded = n + 1 - recorded.load(Ordering::SeqCst);
                most_unrecorded.fetch_max(unrecorded, Ordering::SeqCst);
            },
            &mut all_at_once((0..30).collect(), |results: Vec<(usize, ())>| {
                std::thread::sleep(Duration::from_millis(10));
                recorded.fetch_add(results.len(), Ordering::SeqCst);
                true
            }),
        );
        assert_eq!(recorded.load(Ordering::SeqCst), 30);
        assert_eq!(most_unrecorded.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn rate_limit_spaces_sends() {
        let start = Instant::now();
        run_parallel(
            (0..6).collect(),
            lanes(3, 50.0),
            || (),
            |_: &i32| (),
            |(), _: &i32, (), _: &mut Gate<'_>| (),
            &mut all_at_once(Vec::new(), |_: Vec<(i32, ())>| true),
        );
        // Six messages at 50/s: the last starts no earlier than 100 ms in.
        assert!(
            start.elapsed() >= Duration::from_millis(95),
            "{:?}",
            start.elapsed()
        );
    }
}
