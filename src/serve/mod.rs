//! `gazette serve`: the small HTTP server that closes the subscriber loop
//! behind the site's reverse proxy. It signs readers up with double opt-in,
//! confirms them, honours one-click unsubscribes (RFC 8058) and serves the
//! output folder for a local preview.
//!
//! Every state change goes through the ledger, the same SQLite file the
//! digest sender reads, so an unsubscribe takes effect even in a digest
//! being sent at that moment.

mod connections;
mod files;
mod limits;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Query, RawForm, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::config::{Cadence, Config, ServeConfig};
use crate::error::Error;
use crate::ledger::roster::{Member, SignUpRequest};
use crate::ledger::{Confirmed, Ledger, SignUp};
use crate::membership::confirm::Confirmations;
use crate::render::templates::Templates;
use crate::render::SiteView;
use crate::subscribers::tokens;
use crate::subscribers::{Change, Choice};

/// What the server has to say, for the binary to show.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// The server listens on this address (useful with port 0).
    Listening(SocketAddr),
    /// Something went wrong with one request; the server goes on.
    Problem(&'a str),
}

/// Where the server's events go.
type Events = Box<dyn Fn(Event<'_>) + Send + Sync>;

struct App {
    config: &'static Config,
    serve: &'static ServeConfig,
    ledger: Mutex<Ledger>,
    secret: String,
    templates: Templates,
    confirmations: Confirmations<'static>,
    per_ip: limits::Limit,
    per_address: limits::Limit,
    events: Events,
    /// Requests that may wait on a thread for the ledger at once.
    ledger_users: tokio::sync::Semaphore,
    /// Wakes the outbox worker when a sign-up queued a confirmation.
    wake_outbox: std::sync::mpsc::SyncSender<()>,
}

/// See `App::with_ledger`.
const LEDGER_USERS: usize = 4;

/// Runs the server until SIGINT or SIGTERM, telling `events` when it
/// listens and what went wrong with a request.
pub fn run(
    config: Config,
    listen: Option<&str>,
    events: impl Fn(Event<'_>) + Send + Sync + 'static,
) -> Result<(), Error> {
    // The server lives as long as the process: its configuration too.
    let config: &'static Config = Box::leak(Box::new(config));
    let serve = config.serve.as_ref().ok_or_else(|| {
        Error::config(
            &config.file,
            "no [serve] section: add one (it may be empty) to use `gazette serve`",
        )
    })?;
    let digest = config.digest.as_ref().ok_or_else(|| {
        Error::config(
            &config.file,
            "no [digest] section: `serve` signs readers up for the digest and mails confirmations with its settings",
        )
    })?;
    let listen = listen.unwrap_or(&serve.listen);
    let address: SocketAddr = listen.parse().map_err(|e| {
        Error::Usage(format!(
            "--listen {listen:?}: {e}: expected an address and port such as 127.0.0.1:8080"
        ))
    })?;
    refuse_private_files_in(config, &digest.ledger)?;
    let mut ledger = Ledger::open_for(digest)?;
    let secret = crate::ledger::signing_secret(digest, Some(&ledger))?;
    ledger.refresh_tokens(&secret)?;
    let (wake_outbox, woken) = std::sync::mpsc::sync_channel(1);
    let app = Arc::new(App {
        config,
        serve,
        ledger: Mutex::new(ledger),
        secret,
        templates: Templates::load(&config.templates_dir)?,
        confirmations: Confirmations::new(config)?,
        per_ip: limits::Limit::new(serve.per_ip_per_hour, Duration::from_secs(3600)),
        per_address: limits::Limit::new(serve.per_address_per_day, Duration::from_secs(86_400)),
        events: Box::new(events),
        ledger_users: tokio::sync::Semaphore::new(LEDGER_USERS),
        wake_outbox,
    });
    {
        let app = Arc::clone(&app);
        std::thread::Builder::new()
            .name("confirmations".into())
            .spawn(move || outbox_worker(app, woken))
            .map_err(|e| Error::Env(format!("starting the confirmation sender: {e}")))?;
    }
    let ready = Arc::clone(&app);
    let base = serve.public_url.path().to_string();
    let router = Router::new()
        .route(&format!("{base}{}", serve.subscribe_path), post(subscribe))
        .route(
            &format!("{base}{}", serve.confirm_path),
            get(confirm_page).post(confirm),
        )
        .route(
            &format!("{base}{}", serve.unsubscribe_path),
            get(unsubscribe_page).post(unsubscribe),
        )
        .route(
            &format!("{base}{}", serve.preferences_path),
            get(preferences_page).post(save_preferences),
        )
        .fallback(static_file)
        .with_state(app);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Env(format!("starting the server runtime: {e}")))?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Error::Env(format!("cannot listen on {address}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::Env(format!("cannot listen on {address}: {e}")))?;
        (ready.events)(Event::Listening(bound));
        connections::serve(listener, router, shutdown(), |message| {
            (ready.events)(Event::Problem(message))
        })
        .await;
        Ok(())
    });
    // A ledger step still waiting on another process's lock is not waited for.
    runtime.shutdown_timeout(Duration::from_secs(2));
    served
}

/// `serve` publishes the output folder: one that holds the ledger (with
/// the secret that signs every token) or the config is refused outright.
fn refuse_private_files_in(config: &Config, ledger: &std::path::Path) -> Result<(), Error> {
    let Ok(output) = config.output_dir.canonicalize() else {
        return Ok(());
    };
    let real = |path: &std::path::Path| {
        path.canonicalize().ok().or_else(|| {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty())?;
            Some(parent.canonicalize().ok()?.join(path.file_name()?))
        })
    };
    for (what, path) in [
        ("the ledger", ledger),
        ("the config file", config.file.as_path()),
    ] {
        if real(path).is_some_and(|p| p.starts_with(&output)) {
            return Err(Error::config(
                &config.file,
                format!(
                    "{what} ({}) is inside the output folder {}, which `serve` publishes: set `output_dir` to a folder of its own",
                    path.display(),
                    config.output_dir.display()
                ),
            ));
        }
    }
    Ok(())
}

async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

fn now() -> String {
    crate::clock::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl App {
    /// A page in the site's language from `serve.html`.
    fn page(
        &self,
        status: StatusCode,
        heading: &str,
        message: &str,
        form: Option<(&str, &str)>,
    ) -> Response {
        self.page_with(status, heading, message, form, None)
    }

    /// A page, with the preferences form when `preferences` is given.
    fn page_with(
        &self,
        status: StatusCode,
        heading: &str,
        message: &str,
        form: Option<(&str, &str)>,
        preferences: Option<serde_json::Value>,
    ) -> Response {
        let lang = &self.config.language;
        let mut context = tera::Context::new();
        context.insert("site", &SiteView::new(self.config));
        context.insert("lang", lang);
        context.insert("heading", heading);
        context.insert("message", message);
        context.insert("form_action", &form.map(|(action, _)| action));
        context.insert("button", &form.map(|(_, button)| button));
        context.insert("preferences", &preferences);
        let body = match self.templates.render("serve.html", &context) {
            Ok(body) => body,
            Err(e) => {
                (self.events)(Event::Problem(&crate::error::chain(&e)));
                format!("{heading}\n\n{message}\n")
            }
        };
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        // Tokens are in these URLs: never pass them on to another site.
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"),
        );
        response
    }

    /// The answer to a link that is incomplete, altered or unknown.
    fn invalid_link(&self, status: StatusCode) -> Response {
        self.words(status, "invalid_link_title", "invalid_link", None)
    }

    /// A page whose words come from the strings table.
    fn words(
        &self,
        status: StatusCode,
        heading: &str,
        message: &str,
        email: Option<&str>,
    ) -> Response {
        self.page(
            status,
            &self.say(heading, email),
            &self.say(message, email),
            None,
        )
    }

    /// The string `key` in the site's language, with the site, `email` and
    /// the confirmation hours filled in.
    fn say(&self, key: &str, email: Option<&str>) -> String {
        crate::render::strings::lookup(&self.config.language, key, |name| match name {
            "site" => Some(std::borrow::Cow::Borrowed(self.config.title.as_str())),
            "email" => email.map(std::borrow::Cow::Borrowed),
            "hours" => Some(std::borrow::Cow::Owned(
                self.serve.confirm_hours.to_string(),
            )),
            _ => None,
        })
        .unwrap_or_default()
    }

    /// The client's address: the peer's, or behind a proxy the last one
    /// it appended (the only one a client cannot forge), when it parses as
    /// an IP address.
    fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> std::net::IpAddr {
        if self.serve.behind_proxy {
            if let Some(forwarded) = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
            {
                return forwarded;
            }
        }
        peer.ip()
    }

    /// Runs `step` on the ledger from a thread that may block.
    fn ledger_blocking<T>(
        &self,
        step: impl FnOnce(&mut Ledger) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
        step(&mut ledger)
    }

    /// Runs `step` on the ledger off the server's own threads: a ledger
    /// waiting for another process's write lock (an import, a send) holds
    /// up the sign-up that asked, never the feeds. At most `LEDGER_USERS`
    /// requests wait on a thread; the others wait without one.
    async fn with_ledger<T: Send + 'static>(
        self: &Arc<App>,
        step: impl FnOnce(&mut Ledger) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let _permit = self
            .ledger_users
            .acquire()
            .await
            .map_err(|e| Error::Env(format!("the ledger's queue closed: {e}")))?;
        let app = Arc::clone(self);
        tokio::task::spawn_blocking(move || app.ledger_blocking(step))
            .await
            .map_err(|e| Error::Env(format!("a ledger step stopped: {e}")))?
    }

    /// 429 with the seconds until the limit lets the client in again.
    fn too_many(&self, wait: Duration) -> Response {
        let mut response = self.words(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_title",
            "too_many",
            None,
        );
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        response
    }

    fn failure(&self, error: &Error) -> Response {
        (self.events)(Event::Problem(&crate::error::chain(error)));
        self.page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "Please try again later.",
            None,
        )
    }
}

fn form_fields(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// Whether a POST body says `List-Unsubscribe=One-Click`, in either of the
/// encodings RFC 8058 senders use: a URL-encoded form or
/// `multipart/form-data`.
fn one_click(headers: &HeaderMap, body: &[u8]) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !content_type.starts_with("multipart/form-data") {
        return form_fields(body)
            .get("List-Unsubscribe")
            .is_some_and(|v| v == "One-Click");
    }
    let Some(boundary) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';')
                .find_map(|p| p.trim().strip_prefix("boundary="))
        })
        .map(|b| b.trim_matches('"').to_string())
    else {
        return false;
    };
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    text.split(delimiter.as_str()).any(|part| {
        let Some((head, value)) = part
            .split_once("\r\n\r\n")
            .or_else(|| part.split_once("\n\n"))
        else {
            return false;
        };
        let named = head.lines().any(|line| {
            let line = line.to_ascii_lowercase();
            line.starts_with("content-disposition:")
                && line.contains("form-data")
                && line.contains("name=\"list-unsubscribe\"")
        });
        named && value.trim_end_matches(['\r', '\n']) == "One-Click"
    })
}

async fn subscribe(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let client = app.client(peer, &headers);
    if let limits::Verdict::RetryAfter(wait) = app
        .per_ip
        .check(&limits::client_key(client), Instant::now())
    {
        return app.too_many(wait);
    }
    let form = form_fields(&body);
    let checked = app.words(StatusCode::OK, "check_mail_title", "check_mail", None);
    // Only robots fill in the field people do not see: they get the same
    // answer and nothing happens.
    if form.get("website").is_some_and(|v| !v.trim().is_empty()) {
        return checked;
    }
    let Some(email) = form
        .get("email")
        .and_then(|e| crate::subscribers::address::canonical(e).ok())
    else {
        return app.words(
            StatusCode::BAD_REQUEST,
            "bad_address_title",
            "bad_address",
            None,
        );
    };
    if let limits::Verdict::RetryAfter(wait) = app.per_address.check(&email, Instant::now()) {
        return app.too_many(wait);
    }
    let name = form
        .get("name")
        .map(|n| crate::mail::one_line(n))
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(100).collect::<String>());
    let evidence = format!(
        "client {}",
        tokens::ip_hash(&app.secret, &client.to_string())
    );
    let secret = app.secret.clone();
    // The confirmation is queued in the ledger with the sign-up and sent by
    // the outbox worker: the answer is the same, and as quick, whether the
    // address was known or not, and whatever the mail relay does.
    let signed_up = app
        .with_ledger(move |ledger| {
            let request = SignUpRequest {
                email: &email,
                name: name.as_deref(),
                source: "form",
                evidence: Some(&evidence),
                queue_confirmation: true,
            };
            ledger.sign_up(&request, &secret, &now())
        })
        .await;
    match signed_up {
        Ok(SignUp::Confirm(_)) => {
            let _ = app.wake_outbox.try_send(());
        }
        Ok(SignUp::AlreadyActive) => {}
        Err(e) => return app.failure(&e),
    }
    checked
}

/// How often the outbox worker looks for confirmations due, when no
/// sign-up wakes it; how long a claim lasts; the retry delays' bounds.
const OUTBOX_POLL: Duration = Duration::from_secs(30);
const OUTBOX_LEASE: i64 = 600;
const FIRST_RETRY: i64 = 60;
const LAST_RETRY: i64 = 3600;

/// Sends the confirmations queued in the ledger, one at a time, on a thread
/// of its own: a relay that hangs (bounded by `smtp.timeout_secs`) or
/// refuses delays the confirmations only. Failures are tried again with
/// growing delays until the link would have expired; whatever is queued
/// when `serve` stops is sent by the next `serve`.
fn outbox_worker(app: Arc<App>, wake: std::sync::mpsc::Receiver<()>) {
    loop {
        let claimed = app.ledger_blocking(|ledger| {
            ledger.claim_confirmations(crate::clock::unix_now(), OUTBOX_LEASE, 8)
        });
        let batch = match claimed {
            Ok(batch) => batch,
            Err(e) => {
                (app.events)(Event::Problem(&crate::error::chain(&e)));
                Vec::new()
            }
        };
        for queued in &batch {
            let send = if queued.welcome {
                Confirmations::send_welcome
            } else {
                Confirmations::send_link
            };
            let sent = send(
                &app.confirmations,
                &app.secret,
                app.serve,
                &queued.email,
                queued.name.as_deref(),
                queued.signup,
            );
            let now_unix = crate::clock::unix_now();
            let outcome = match &sent {
                Ok(message_id) => Ok(message_id.as_str()),
                Err(error) => {
                    let delay = (FIRST_RETRY << queued.attempts.clamp(0, 10)).min(LAST_RETRY);
                    let deadline = queued.created_at + i64::from(app.serve.confirm_hours) * 3600;
                    let retry = (now_unix + delay < deadline).then_some(now_unix + delay);
                    (app.events)(Event::Problem(&format!(
                        "the {} to {} was not sent: {error}; {}",
                        if queued.welcome {
                            "welcome"
                        } else {
                            "confirmation"
                        },
                        queued.email,
                        if retry.is_some() {
                            "it will be tried again"
                        } else {
                            "given up"
                        }
                    )));
                    Err((error.as_str(), retry))
                }
            };
            if let Err(e) =
                app.ledger_blocking(|ledger| ledger.confirmation_done(queued, outcome, &now()))
            {
                (app.events)(Event::Problem(&crate::error::chain(&e)));
            }
        }
        if batch.is_empty() {
            if let Err(std::sync::mpsc::RecvTimeoutError::Disconnected) =
                wake.recv_timeout(OUTBOX_POLL)
            {
                return;
            }
        }
    }
}

/// The address and sign-up of a confirmation link.
fn confirmation_of(
    app: &App,
    query: &HashMap<String, String>,
) -> Result<(String, i64), tokens::Refused> {
    let token = query.get("token").map(String::as_str).unwrap_or("");
    tokens::check_confirm(&app.secret, token, crate::clock::unix_now())
}

/// The page that says why a confirmation link does not work.
fn refused(app: &App, why: tokens::Refused) -> Response {
    match why {
        tokens::Refused::Expired => {
            app.words(StatusCode::GONE, "invalid_link_title", "expired_link", None)
        }
        tokens::Refused::Forged => app.invalid_link(StatusCode::BAD_REQUEST),
    }
}

/// The link in a confirmation message shows a question and a button and
/// changes nothing: mail scanners fetch every link they see, and only a
/// person presses the button.
async fn confirm_page(
    State(app): State<Arc<App>>,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match confirmation_of(&app, &query) {
        Ok((email, _)) => app.page(
            StatusCode::OK,
            &app.say("confirm_action", None),
            &app.say("confirm_question", Some(&email)),
            Some((&uri.to_string(), &app.say("confirm_action", None))),
        ),
        Err(why) => refused(&app, why),
    }
}

/// The button of the confirmation page: confirms the sign-up the link was
/// sent for, if it is still the open one.
async fn confirm(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (email, signup) = match confirmation_of(&app, &query) {
        Ok(found) => found,
        Err(why) => return refused(&app, why),
    };
    let evidence = format!(
        "client {}",
        tokens::ip_hash(&app.secret, &app.client(peer, &headers).to_string())
    );
    let key = email.clone();
    let confirmed = app
        .with_ledger(move |ledger| ledger.confirm(&key, signup, Some(&evidence), &now()))
        .await;
    match confirmed {
        Ok(Confirmed::Active) => {
            // The welcome waits in the outbox.
            let _ = app.wake_outbox.try_send(());
            app.words(StatusCode::OK, "confirmed_title", "confirmed", Some(&email))
        }
        Ok(Confirmed::NotOpen) => {
            app.words(StatusCode::GONE, "invalid_link_title", "used_link", None)
        }
        Err(e) => app.failure(&e),
    }
}

/// The address behind the unsubscribe token of `query`, if the ledger
/// knows it; with `unsubscribe`, unsubscribed in the same step.
async fn member_of(
    app: &Arc<App>,
    query: &HashMap<String, String>,
    unsubscribe: bool,
) -> Result<Option<String>, Error> {
    let token = query.get("token").cloned().unwrap_or_default();
    if token.is_empty() {
        return Ok(None);
    }
    app.with_ledger(move |ledger| {
        let Some(member) = ledger.member_by_token(&token)? else {
            return Ok(None);
        };
        if unsubscribe {
            ledger.change(
                &member.email,
                Change::Unsubscribed,
                "one-click",
                None,
                &now(),
            )?;
        }
        Ok(Some(member.email))
    })
    .await
}

async fn unsubscribe_page(
    State(app): State<Arc<App>>,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match member_of(&app, &query, false).await {
        Ok(Some(email)) => app.page(
            StatusCode::OK,
            &app.say("unsubscribe", None),
            &app.say("unsubscribe_question", Some(&email)),
            Some((&uri.to_string(), &app.say("unsubscribe", None))),
        ),
        Ok(None) => app.invalid_link(StatusCode::NOT_FOUND),
        Err(e) => app.failure(&e),
    }
}

/// RFC 8058 one-click unsubscribe, and the page's button: a POST with
/// `List-Unsubscribe=One-Click` unsubscribes at once, with no questions.
async fn unsubscribe(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !one_click(&headers, &body) {
        return app.invalid_link(StatusCode::BAD_REQUEST);
    }
    match member_of(&app, &query, true).await {
        Ok(Some(email)) => app.words(
            StatusCode::OK,
            "unsubscribed_title",
            "unsubscribed",
            Some(&email),
        ),
        Ok(None) => app.invalid_link(StatusCode::NOT_FOUND),
        Err(e) => app.failure(&e),
    }
}

/// What a reader may choose, and what they chose, for `serve.html`.
fn preferences_form(app: &App, member: &Member, action: &str) -> serde_json::Value {
    let lang = &app.config.language;
    let say = |key: &str| crate::render::strings::lookup(lang, key, |_| None).unwrap_or_default();
    let offered = app
        .config
        .digest
        .as_ref()
        .map_or(&[][..], |d| d.topics.as_slice());
    let site_default = app.config.digest.as_ref().and_then(|d| d.cadence);
    let default_label = crate::render::strings::lookup(lang, "cadence_default", |name| {
        (name == "cadence").then(|| {
            std::borrow::Cow::Owned(match site_default {
                Some(cadence) => say(&format!("cadence_{cadence}")).to_lowercase(),
                None => say("cadence_every"),
            })
        })
    })
    .unwrap_or_default();
    let mut cadences = vec![serde_json::json!({
        "value": "",
        "label": default_label,
        "checked": member.choice.cadence.is_none(),
    })];
    cadences.extend(Cadence::ALL.iter().map(|&cadence| {
        serde_json::json!({
            "value": cadence.as_str(),
            "label": say(&format!("cadence_{cadence}")),
            "checked": member.choice.cadence == Some(cadence),
        })
    }));
    let topics: Vec<serde_json::Value> = offered
        .iter()
        .map(|topic| {
            serde_json::json!({
                "value": topic,
                "checked": member.choice.topics.iter().any(|t| t.eq_ignore_ascii_case(topic)),
            })
        })
        .collect();
    serde_json::json!({
        "action": action,
        "cadence_legend": say("cadence_legend"),
        "cadences": cadences,
        "topics_legend": say("topics_legend"),
        "topics": topics,
        "topics_help": say("topics_help"),
        "save": say("save"),
        "unsubscribe_action": format!(
            "{}?token={}",
            app.serve.endpoint(&app.serve.unsubscribe_path),
            member.token
        ),
        "unsubscribe": say("unsubscribe"),
    })
}

/// The subscriber a preferences link names, if still subscribed.
async fn preference_holder(
    app: &Arc<App>,
    query: &HashMap<String, String>,
) -> Result<Option<Member>, Error> {
    let token = query.get("token").cloned().unwrap_or_default();
    if token.is_empty() {
        return Ok(None);
    }
    app.with_ledger(move |ledger| ledger.member_by_token(&token))
        .await
}

fn preferences_answer(app: &App, member: &Member, uri: &Uri, saved: bool) -> Response {
    if member.state.is_suppressed() {
        return app.words(
            StatusCode::GONE,
            "unsubscribed_title",
            "not_subscribed",
            Some(&member.email),
        );
    }
    let (heading, message) = if saved {
        ("saved_title", "saved")
    } else {
        ("preferences_title", "preferences_intro")
    };
    app.page_with(
        StatusCode::OK,
        &app.say(heading, Some(&member.email)),
        &app.say(message, Some(&member.email)),
        None,
        Some(preferences_form(app, member, &uri.to_string())),
    )
}

/// The preferences link of every digest: the reader's cadence and topics,
/// and an unsubscribe button. Opening it changes nothing.
async fn preferences_page(
    State(app): State<Arc<App>>,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match preference_holder(&app, &query).await {
        Ok(Some(member)) => preferences_answer(&app, &member, &uri, false),
        Ok(None) => app.invalid_link(StatusCode::NOT_FOUND),
        Err(e) => app.failure(&e),
    }
}

/// The preferences form: `cadence` (empty for the site's default) and each
/// checked `topic`, saved with a consent-log entry. The signed token in the
/// link is what proves the change comes from the reader.
async fn save_preferences(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let mut cadence = None;
    let mut topics = Vec::new();
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "cadence" if value.is_empty() => {}
            "cadence" => match Cadence::parse(&value) {
                Some(chosen) => cadence = Some(chosen),
                None => return app.invalid_link(StatusCode::BAD_REQUEST),
            },
            "topic" => topics.push(value.into_owned()),
            _ => {}
        }
    }
    let offered = app
        .config
        .digest
        .as_ref()
        .map_or(&[][..], |d| d.topics.as_slice());
    let Ok(choice) = (Choice { cadence, topics }).checked(offered) else {
        return app.invalid_link(StatusCode::BAD_REQUEST);
    };
    let token = query.get("token").cloned().unwrap_or_default();
    let evidence = format!(
        "signed link, client {}",
        tokens::ip_hash(&app.secret, &app.client(peer, &headers).to_string())
    );
    let saved = app
        .with_ledger(move |ledger| {
            let Some(member) = ledger.member_by_token(&token)? else {
                return Ok(None);
            };
            let chose = ledger.choose(&member.email, &choice, &evidence, &now())?;
            Ok(Some((
                ledger.member(&member.email)?.unwrap_or(member),
                chose,
            )))
        })
        .await;
    match saved {
        Ok(Some((member, chose))) => preferences_answer(&app, &member, &uri, chose),
        Ok(None) => app.invalid_link(StatusCode::NOT_FOUND),
        Err(e) => app.failure(&e),
    }
}

/// Everything else: the output folder, below the feeds' URL path.
async fn static_file(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let prefix = app.config.feeds_url.path();
    let Some(relative) = uri.path().strip_prefix(prefix).or_else(|| {
        // `/feeds` for `/feeds/`.
        (format!("{}/", uri.path()) == prefix).then_some("")
    }) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    files::serve(
        &app.config.output_dir,
        relative,
        &app.config.page_file,
        &headers,
        method == Method::HEAD,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, content_type.parse().unwrap());
        headers
    }

    #[test]
    fn one_click_is_read_from_either_form_encoding() {
        let form = headers("application/x-www-form-urlencoded");
        assert!(one_click(&form, b"List-Unsubscribe=One-Click"));
        assert!(one_click(&form, b"a=b&List-Unsubscribe=One-Click"));
        assert!(!one_click(&form, b"List-Unsubscribe=Other"));
        assert!(!one_click(&form, b""));
        let multipart = headers("multipart/form-data; boundary=\"XyZ\"");
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n";
        assert!(one_click(&multipart, body.as_bytes()));
        let other = body.replace("One-Click", "Two-Clicks");
        assert!(!one_click(&multipart, other.as_bytes()));
        // Without a boundary there are no parts to read.
        assert!(!one_click(&headers("multipart/form-data"), body.as_bytes()));
    }

    #[test]
    fn form_fields_are_decoded() {
        let fields = form_fields(b"email=a%2Bb%40e.org&name=Ann+Lee");
        assert_eq!(fields["email"], "a+b@e.org");
        assert_eq!(fields["name"], "Ann Lee");
    }
}
