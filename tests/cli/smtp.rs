//! A real SMTP server (mailin-embedded) on 127.0.0.1 for the digest tests,
//! with STARTTLS (a test CA made with rcgen), AUTH PLAIN and switchable faults.

use std::net::{IpAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin_embedded::response::{self, Response};
use mailin_embedded::{AuthMechanism, Handler, Server, SslConfig};

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

impl Session {
    fn down(&self) -> bool {
        let state = self.state.lock().unwrap();
        state
            .faults
            .go_down_after
            .is_some_and(|n| state.received.len() >= n)
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
        if self.down() {
            return response::NO_SERVICE;
        }
        let mut state = self.state.lock().unwrap();
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
        let _ = rustls::crypto::ring::default_provider().install_default();
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
        std::fs::write(path("cert.pem"), leaf.pem()).unwrap();
        std::fs::write(path("key.pem"), leaf_key.serialize_pem()).unwrap();

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
        let mut server = Server::new(session);
        server
            .with_name("localhost")
            .with_ssl(SslConfig::Trusted {
                cert_path: path("cert.pem").display().to_string(),
                key_path: path("key.pem").display().to_string(),
                chain_path: path("ca.pem").display().to_string(),
            })
            .unwrap()
            .with_auth(AuthMechanism::Plain)
            .with_num_threads(4)
            .with_tcp_listener(listener);
        // The server runs until the test process ends.
        std::thread::spawn(move || {
            let _ = server.serve();
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
