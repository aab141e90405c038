//! A real SMTP server (the `mailin` protocol implementation) on 127.0.0.1
//! for the digest tests, with STARTTLS (rustls and a test CA made with
//! rcgen), AUTH PLAIN and switchable faults. The connection loop is ours so
//! that TLS goes through the ring provider gazette uses, not a second one.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin::response::{self, Response};
use mailin::{Action, AuthMechanism, Handler, SessionBuilder};

pub(crate) const USER: &str = "digest";
pub(crate) const PASSWORD: &str = "s3cret password";

/// A message the server accepted.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    /// The envelope sender (MAIL FROM).
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
    pub authenticated: bool,
}

/// Faults the server plays, changeable while it runs.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// Answer 451 (at RCPT) to this many messages before accepting any.
    pub defer_first: usize,
    /// Answer 550 to these recipients.
    pub reject: Vec<String>,
    /// Accept this many messages in all, then answer 421 and close every
    /// connection, as a server going away would.
    pub go_down_after: Option<usize>,
    /// Wait this long before answering each message.
    pub delay: Duration,
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    faults: Faults,
    deferred: usize,
    /// AUTH attempts, accepted or not.
    logins: usize,
}

#[derive(Clone)]
struct Session {
    state: Arc<Mutex<State>>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
    authenticated: bool,
}

impl State {
    fn down(&self) -> bool {
        self.faults
            .go_down_after
            .is_some_and(|n| self.received.len() >= n)
    }
}

impl Session {
    fn down(&self) -> bool {
        self.state.lock().unwrap().down()
    }
}

impl Handler for Session {
    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        if self.down() {
            response::NO_SERVICE
        } else {
            response::OK
        }
    }

    fn rcpt(&mut self, to: &str) -> Response {
        if self.down() {
            return response::NO_SERVICE;
        }
        let mut state = self.state.lock().unwrap();
        if state.faults.reject.iter().any(|r| r == to) {
            return response::NO_MAILBOX;
        }
        // Deferred at RCPT: mailin keeps its DATA state after an error at the
        // end of DATA, so a 451 there would leave the session unusable.
        if state.deferred < state.faults.defer_first {
            state.deferred += 1;
            return response::INTERNAL_ERROR;
        }
        response::OK
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let delay = self.state.lock().unwrap().faults.delay;
        std::thread::sleep(delay);
        // Checked and counted under one lock: two connections ending their
        // messages at once must not both slip in under `go_down_after`.
        let mut state = self.state.lock().unwrap();
        if state.down() {
            return response::NO_SERVICE;
        }
        state.received.push(Received {
            from: self.from.clone(),
            to: self.to.clone(),
            data: std::mem::take(&mut self.data),
            authenticated: self.authenticated,
        });
        response::OK
    }

    fn auth_plain(
        &mut self,
        _authorization_id: &str,
        authentication_id: &str,
        password: &str,
    ) -> Response {
        self.state.lock().unwrap().logins += 1;
        if authentication_id == USER && password == PASSWORD {
            self.authenticated = true;
            response::AUTH_OK
        } else {
            response::INVALID_CREDENTIALS
        }
    }
}

pub(crate) struct SmtpServer {
    pub port: u16,
    /// PEM of the CA that signed the server's certificate.
    pub ca_file: PathBuf,
    state: Arc<Mutex<State>>,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    pub(crate) fn start() -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf =
            rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
                .unwrap()
                .signed_by(&leaf_key, &issuer)
                .unwrap();
        let path = |name: &str| dir.path().join(name);
        std::fs::write(path("ca.pem"), ca_cert.pem()).unwrap();

        let state = Arc::new(Mutex::new(State::default()));
        let session = Session {
            state: state.clone(),
            from: String::new(),
            to: vec![],
            data: vec![],
            authenticated: false,
        };
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let tls = Arc::new(
            rustls::ServerConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone(), ca_cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .unwrap(),
        );
        let mut builder = SessionBuilder::new("localhost");
        builder.enable_start_tls().enable_auth(AuthMechanism::Plain);
        // The server runs until the test process ends, a thread per client.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (builder, tls, session) = (builder.clone(), tls.clone(), session.clone());
                std::thread::spawn(move || {
                    let _ = converse(stream, &builder, tls, session);
                });
            }
        });
        SmtpServer {
            port,
            ca_file: path("ca.pem"),
            state,
            _dir: dir,
        }
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// How many times a client tried to log in.
    pub(crate) fn logins(&self) -> usize {
        self.state.lock().unwrap().logins
    }

    /// How many messages were answered 451.
    pub(crate) fn deferred(&self) -> usize {
        self.state.lock().unwrap().deferred
    }

    pub(crate) fn faults(&self, change: impl FnOnce(&mut Faults)) {
        change(&mut self.state.lock().unwrap().faults);
    }

    /// The `[smtp]` table that points gazette at this server.
    pub(crate) fn config(&self) -> String {
        format!(
            "[smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"starttls\"\nusername = \"{USER}\"\npassword_env = \"TEST_SMTP_PASSWORD\"\nca_file = \"{}\"\ntimeout_secs = 10\n",
            self.port,
            self.ca_file.display()
        )
    }
}

/// One client's session: plain text until STARTTLS, then the same session
/// over TLS, as mailin's state machine says.
fn converse(
    stream: TcpStream,
    builder: &SessionBuilder,
    tls: Arc<rustls::ServerConfig>,
    handler: Session,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(300)))?;
    let mut session = builder.build(stream.peer_addr()?.ip(), handler);
    let mut plain = BufReader::new(stream);
    session.greeting().write_to(plain.get_mut())?;
    if !exchange(&mut session, &mut plain)? {
        return Ok(());
    }
    // A client sends nothing after STARTTLS before the handshake, so
    // nothing buffered is lost here.
    let connection = rustls::ServerConnection::new(tls).map_err(std::io::Error::other)?;
    let mut secure = BufReader::new(rustls::StreamOwned::new(connection, plain.into_inner()));
    session.tls_active();
    exchange(&mut session, &mut secure)?;
    Ok(())
}

/// Answers commands until the client quits or the server closes (false),
/// or the session is to continue over TLS (true).
fn exchange<S: Read + Write>(
    session: &mut mailin::Session<Session>,
    stream: &mut BufReader<S>,
) -> std::io::Result<bool> {
    let mut line = Vec::with_capacity(80);
    loop {
        line.clear();
        if stream.read_until(b'\n', &mut line)? == 0 {
            return Ok(false);
        }
        let response = session.process(&line);
        if matches!(response.action, Action::NoReply) {
            continue;
        }
        response.write_to(stream.get_mut())?;
        stream.get_mut().flush()?;
        match response.action {
            Action::Close => return Ok(false),
            Action::UpgradeTls => return Ok(true),
            _ => {}
        }
    }
}
