//! `gazette serve`: the small HTTP server that closes the subscriber loop
//! behind the site's reverse proxy. It signs readers up with double opt-in,
//! confirms them, honours one-click unsubscribes (RFC 8058) and serves the
//! output folder for a local preview.
//!
//! Every state change goes through the ledger, the same SQLite file the
//! digest sender reads, so an unsubscribe takes effect even in a digest
//! being sent at that moment.

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

use crate::config::{Config, ServeConfig};
use crate::error::Error;
use crate::ledger::{Ledger, SignUp, State as Standing};
use crate::render::templates::Templates;
use crate::render::SiteView;
use crate::subscribers::confirm::Confirmations;
use crate::subscribers::tokens;

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
}

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
    let mut ledger = Ledger::open(&digest.ledger)?;
    let secret = crate::digest::signing_secret(digest, Some(&ledger))?;
    ledger.refresh_tokens(&secret)?;
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
    });
    let ready = Arc::clone(&app);
    let base = serve.public_url.path().to_string();
    let router = Router::new()
        .route(&format!("{base}{}", serve.subscribe_path), post(subscribe))
        .route(&format!("{base}{}", serve.confirm_path), get(confirm))
        .route(
            &format!("{base}{}", serve.unsubscribe_path),
            get(unsubscribe_page).post(unsubscribe),
        )
        .fallback(static_file)
        .with_state(app);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Env(format!("starting the server runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Error::Env(format!("cannot listen on {address}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::Env(format!("cannot listen on {address}: {e}")))?;
        (ready.events)(Event::Listening(bound));
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| Error::Env(format!("serving on {bound}: {e}")))
    })
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
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl App {
    /// A page in the site's language from `serve.html`.
    fn page(
        &self,
        status: StatusCode,
        heading: &str,
        message: &str,
        form_action: Option<&str>,
    ) -> Response {
        let lang = &self.config.language;
        let mut context = tera::Context::new();
        context.insert("site", &SiteView::new(self.config));
        context.insert("lang", lang);
        context.insert("heading", heading);
        context.insert("message", message);
        context.insert("form_action", &form_action);
        context.insert("button", &self.say("unsubscribe", None));
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

    fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> String {
        if self.serve.behind_proxy {
            // The proxy appends the address it saw: the last entry is the
            // only one a client cannot forge.
            if let Some(forwarded) = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                return forwarded.to_string();
            }
        }
        peer.ip().to_string()
    }

    fn with_ledger<T>(
        &self,
        step: impl FnOnce(&mut Ledger) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
        step(&mut ledger)
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

/// A plain address, as the digest's subscriber list accepts it.
fn valid_address(text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() > 254 || text.contains(['\r', '\n', ',', '<', '>', ' ']) {
        return None;
    }
    text.parse::<lettre::Address>().ok().map(|a| a.to_string())
}

async fn subscribe(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let client = app.client(peer, &headers);
    if !app.per_ip.allow(&client, Instant::now()) {
        return app.words(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_title",
            "too_many",
            None,
        );
    }
    let form = form_fields(&body);
    let checked = app.words(StatusCode::OK, "check_mail_title", "check_mail", None);
    // Only robots fill in the field people do not see: they get the same
    // answer and nothing happens.
    if form.get("website").is_some_and(|v| !v.trim().is_empty()) {
        return checked;
    }
    let Some(email) = form.get("email").and_then(|e| valid_address(e)) else {
        return app.words(
            StatusCode::BAD_REQUEST,
            "bad_address_title",
            "bad_address",
            None,
        );
    };
    if !app
        .per_address
        .allow(&email.to_ascii_lowercase(), Instant::now())
    {
        return app.words(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_title",
            "too_many",
            None,
        );
    }
    let name = form
        .get("name")
        .map(|n| crate::digest::compose::one_line(n))
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(100).collect::<String>());
    let signed_up = app.with_ledger(|ledger| {
        ledger.sign_up(&email, name.as_deref(), "serve", &app.secret, &now())
    });
    match signed_up {
        Ok(SignUp::Confirm) => {
            // Sent in the background: the answer is the same, and as quick,
            // whether the address was known or not.
            let app = Arc::clone(&app);
            tokio::task::spawn_blocking(move || send_confirmation(&app, &email, name.as_deref()));
        }
        Ok(SignUp::AlreadyActive | SignUp::Suppressed) => {}
        Err(e) => return app.failure(&e),
    }
    checked
}

fn send_confirmation(app: &App, email: &str, name: Option<&str>) {
    if let Err(error) = app
        .confirmations
        .send_link(&app.secret, app.serve, email, name)
    {
        (app.events)(Event::Problem(&format!(
            "the confirmation to {email} was not sent: {error}"
        )));
    }
}

async fn confirm(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map(String::as_str).unwrap_or("");
    let email = match tokens::check_confirm(&app.secret, token, chrono::Utc::now().timestamp()) {
        Ok(email) => email,
        Err(tokens::Refused::Expired) => {
            return app.words(StatusCode::GONE, "invalid_link_title", "expired_link", None)
        }
        Err(tokens::Refused::Forged) => {
            return app.words(
                StatusCode::BAD_REQUEST,
                "invalid_link_title",
                "invalid_link",
                None,
            )
        }
    };
    let ip = tokens::ip_hash(&app.secret, &app.client(peer, &headers));
    let stamp = now();
    let confirmed = app.with_ledger(|ledger| {
        if ledger.member(&email)?.is_none() {
            ledger.sign_up(&email, None, "serve", &app.secret, &stamp)?;
        }
        ledger.set_state(&email, Standing::Active, Some(&ip), &stamp)
    });
    match confirmed {
        Ok(_) => app.words(StatusCode::OK, "confirmed_title", "confirmed", Some(&email)),
        Err(e) => app.failure(&e),
    }
}

/// The address behind an unsubscribe token, if the ledger knows it.
fn member_of(app: &App, query: &HashMap<String, String>) -> Result<Option<String>, Error> {
    let token = query.get("token").map(String::as_str).unwrap_or("");
    if token.is_empty() {
        return Ok(None);
    }
    app.with_ledger(|ledger| Ok(ledger.member_by_token(token)?.map(|m| m.email)))
}

async fn unsubscribe_page(
    State(app): State<Arc<App>>,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match member_of(&app, &query) {
        Ok(Some(email)) => app.page(
            StatusCode::OK,
            &app.say("unsubscribe", None),
            &app.say("unsubscribe_question", Some(&email)),
            Some(&uri.to_string()),
        ),
        Ok(None) => app.words(
            StatusCode::NOT_FOUND,
            "invalid_link_title",
            "invalid_link",
            None,
        ),
        Err(e) => app.failure(&e),
    }
}

/// RFC 8058 one-click unsubscribe, and the page's button: a POST with
/// `List-Unsubscribe=One-Click` unsubscribes at once, with no questions.
async fn unsubscribe(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    RawForm(body): RawForm,
) -> Response {
    let one_click = form_fields(&body)
        .get("List-Unsubscribe")
        .is_some_and(|v| v == "One-Click");
    if !one_click {
        return app.words(
            StatusCode::BAD_REQUEST,
            "invalid_link_title",
            "invalid_link",
            None,
        );
    }
    let email = match member_of(&app, &query) {
        Ok(Some(email)) => email,
        Ok(None) => {
            return app.words(
                StatusCode::NOT_FOUND,
                "invalid_link_title",
                "invalid_link",
                None,
            )
        }
        Err(e) => return app.failure(&e),
    };
    let stamp = now();
    match app.with_ledger(|ledger| ledger.set_state(&email, Standing::Unsubscribed, None, &stamp)) {
        Ok(_) => app.words(
            StatusCode::OK,
            "unsubscribed_title",
            "unsubscribed",
            Some(&email),
        ),
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
