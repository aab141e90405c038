//! What a PostgreSQL ledger URL asks for: the server and tokio-postgres's
//! own settings, plus TLS chosen by `sslmode` and `sslrootcert` with the
//! meanings libpq gives them
//! (<https://www.postgresql.org/docs/current/libpq-ssl.html>), since that
//! is what people who run PostgreSQL already know and write.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore};
use rustls::{Error as TlsError, SignatureScheme};
use tokio_postgres::config::{Host, SslMode as WireMode};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::tls;

/// How to reach a ledger's database.
pub(crate) struct Target {
    pub(crate) config: tokio_postgres::Config,
    /// `None` when TLS is off (`sslmode=disable`).
    pub(crate) tls: Option<MakeRustlsConnect>,
}

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<SslMode, String> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => {
                return Err(format!(
                "sslmode={value:?}: expected disable, allow, prefer, require, verify-ca or verify-full"
            ))
            }
        })
    }

    fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// What the server's certificate is checked against.
enum RootCert {
    File(PathBuf),
    /// The public authorities compiled into gazette (`sslrootcert=system`).
    System,
}

/// How much of the server's certificate is checked.
enum Trust {
    /// Encrypted against eavesdroppers, but any certificate is taken.
    Any,
    /// The chain must lead to one of these roots; the name is not compared.
    Chain(RootCertStore),
    /// The chain must lead to one of these roots and name the host.
    Full(RootCertStore),
}

/// Reads a ledger URL, with the password from the environment variable
/// `password_env`. The message says what is wrong.
pub(crate) fn target(url: &str, password_env: &str, timeout: Duration) -> Result<Target, String> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let mut mode = None;
    let mut root = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode_str(value)
            .decode_utf8()
            .map_err(|e| format!("{key}: {e}"))?;
        match key {
            "sslmode" => mode = Some(SslMode::parse(&value)?),
            "sslrootcert" if value == "system" => root = Some(RootCert::System),
            "sslrootcert" => root = Some(RootCert::File(PathBuf::from(value.as_ref()))),
            "sslcert" | "sslkey" | "sslpassword" | "sslcrl" | "sslcrldir" => {
                return Err(format!(
                    "{key}: gazette does not present a client certificate or read revocation lists; authenticate with a password (from the environment) over sslmode=verify-full"
                ))
            }
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut config: tokio_postgres::Config = rest
        .parse()
        .map_err(|e| format!("not a PostgreSQL URL: {e}"))?;
    if let Ok(password) = std::env::var(password_env) {
        if !password.is_empty() {
            config.password(password);
        }
    }
    if config.get_application_name().is_none() {
        config.application_name("gazette");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(timeout);
    }
    // A Unix socket has no TLS, whatever the mode (as in libpq); the
    // connector would need a host name to check for it.
    let sockets = config
        .get_hosts()
        .iter()
        .filter(|host| !matches!(host, Host::Tcp(_)))
        .count();
    if sockets > 0 && sockets == config.get_hosts().len() {
        config.ssl_mode(WireMode::Disable);
        return Ok(Target { config, tls: None });
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let (mode, trust) = trust(mode, root, home.as_deref())?;
    let Some(trust) = trust else {
        config.ssl_mode(WireMode::Disable);
        return Ok(Target { config, tls: None });
    };
    if sockets > 0 {
        return Err("the URL names both Unix sockets and TCP hosts: TLS goes to the TCP hosts only, so name one kind (or set sslmode=disable)".into());
    }
    config.ssl_mode(match mode {
        SslMode::Allow | SslMode::Prefer => WireMode::Prefer,
        _ => WireMode::Require,
    });
    let client = client(trust).map_err(|e| format!("TLS setup: {e}"))?;
    Ok(Target {
        config,
        tls: Some(MakeRustlsConnect::new(client)),
    })
}

/// The mode in effect and how it checks the server, as libpq does: `None`
/// for no TLS. Without `sslrootcert`, libpq's default file
/// `~/.postgresql/root.crt` is used where it exists.
fn trust(
    mode: Option<SslMode>,
    root: Option<RootCert>,
    home: Option<&Path>,
) -> Result<(SslMode, Option<Trust>), String> {
    let explicit = root.is_some();
    let root = root.or_else(|| {
        let default = home?.join(".postgresql/root.crt");
        default.exists().then_some(RootCert::File(default))
    });
    // The public authorities vouch for names, not for a particular
    // database, so libpq takes them only with the name checked.
    let system = matches!(root, Some(RootCert::System));
    let mode = mode.unwrap_or(if system {
        SslMode::VerifyFull
    } else {
        SslMode::Prefer
    });
    if system && mode != SslMode::VerifyFull {
        return Err(format!(
            "sslrootcert=system needs sslmode=verify-full, not {}",
            mode.name()
        ));
    }
    let roots = |root: Option<RootCert>| -> Result<RootCertStore, String> {
        match root {
            Some(RootCert::System) => Ok(tls::public_roots()),
            Some(RootCert::File(file)) => {
                let mut roots = RootCertStore::empty();
                tls::add_pem_file(&mut roots, &file)
                    .map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
                Ok(roots)
            }
            None => Err(format!(
                "sslmode={}: no root certificate to check the server against: set sslrootcert=/path/to/ca.pem (the authority that signed the server's certificate), or sslrootcert=system for the public authorities{}",
                mode.name(),
                if explicit { "" } else { " (libpq's default, ~/.postgresql/root.crt, does not exist)" }
            )),
        }
    };
    let trust = match mode {
        SslMode::Disable => None,
        SslMode::Allow | SslMode::Prefer => Some(Trust::Any),
        SslMode::Require if root.is_none() => Some(Trust::Any),
        SslMode::Require | SslMode::VerifyCa => Some(Trust::Chain(roots(root)?)),
        SslMode::VerifyFull => Some(Trust::Full(roots(root)?)),
    };
    Ok((mode, trust))
}

fn client(trust: Trust) -> Result<ClientConfig, TlsError> {
    let provider = tls::provider();
    let chain = match trust {
        Trust::Full(roots) => return tls::verifying(roots),
        Trust::Chain(roots) => Some(
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| TlsError::General(e.to_string()))?,
        ),
        Trust::Any => None,
    };
    let verifier = NameUnchecked {
        chain,
        algorithms: provider.signature_verification_algorithms,
    };
    tls::verified_by(provider, Arc::new(verifier))
}

/// libpq's checks short of `verify-full`: `verify-ca` (and `require` with
/// a root certificate) wants a chain to a trusted root but does not compare
/// the name in the certificate with the host; `prefer`, and `require`
/// without a root, take any certificate. The handshake's signatures are
/// checked either way.
#[derive(Debug)]
struct NameUnchecked {
    chain: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for NameUnchecked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // The name is compared last, once the chain is known to be good.
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(TlsError::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            checked => checked,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Ledger;

    fn trust_of(url_query: &str, home: Option<&Path>) -> Result<Option<&'static str>, String> {
        let mut mode = None;
        let mut root = None;
        for pair in url_query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=').unwrap() {
                ("sslmode", value) => mode = Some(SslMode::parse(value)?),
                ("sslrootcert", "system") => root = Some(RootCert::System),
                ("sslrootcert", file) => root = Some(RootCert::File(file.into())),
                _ => unreachable!(),
            }
        }
        Ok(trust(mode, root, home)?.1.map(|trust| match trust {
            Trust::Any => "any",
            Trust::Chain(_) => "chain",
            Trust::Full(_) => "full",
        }))
    }

    #[test]
    fn modes_check_what_libpq_checks() {
        let ca = rcgen::generate_simple_self_signed(vec!["db.test".into()]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca.cert.pem()).unwrap();
        let with_ca = |query: &str| format!("{query}&sslrootcert={}", ca_file.display());
        let empty_home = tempfile::tempdir().unwrap();
        let home = Some(empty_home.path());

        assert_eq!(trust_of("", home), Ok(Some("any")), "prefer is the default");
        assert_eq!(trust_of("sslmode=disable", home), Ok(None));
        assert_eq!(trust_of("sslmode=allow", home), Ok(Some("any")));
        assert_eq!(trust_of("sslmode=require", home), Ok(Some("any")));
        assert_eq!(trust_of(&with_ca("sslmode=prefer"), home), Ok(Some("any")));
        // A root certificate makes `require` check the chain.
        assert_eq!(
            trust_of(&with_ca("sslmode=require"), home),
            Ok(Some("chain"))
        );
        assert_eq!(
            trust_of(&with_ca("sslmode=verify-ca"), home),
            Ok(Some("chain"))
        );
        assert_eq!(
            trust_of(&with_ca("sslmode=verify-full"), home),
            Ok(Some("full"))
        );
        assert_eq!(trust_of("sslrootcert=system", home), Ok(Some("full")));
        assert_eq!(
            trust_of("sslmode=verify-full&sslrootcert=system", home),
            Ok(Some("full"))
        );
        let weak = trust_of("sslmode=require&sslrootcert=system", home).unwrap_err();
        assert!(
            weak.contains("needs sslmode=verify-full, not require"),
            "{weak}"
        );
        let missing = trust_of("sslmode=verify-full", home).unwrap_err();
        assert!(missing.contains("set sslrootcert="), "{missing}");
        assert!(missing.contains("~/.postgresql/root.crt"), "{missing}");
        let unknown = trust_of("sslmode=verify", home).unwrap_err();
        assert!(unknown.contains("expected disable, allow"), "{unknown}");
        let absent =
            trust_of("sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem", home).unwrap_err();
        assert!(
            absent.contains("sslrootcert /nonexistent/ca.pem: cannot read it"),
            "{absent}"
        );

        // libpq's default root file counts where `sslrootcert` is not set.
        let home_with_root = tempfile::tempdir().unwrap();
        std::fs::create_dir(home_with_root.path().join(".postgresql")).unwrap();
        std::fs::copy(&ca_file, home_with_root.path().join(".postgresql/root.crt")).unwrap();
        let home = Some(home_with_root.path());
        assert_eq!(trust_of("sslmode=require", home), Ok(Some("chain")));
        assert_eq!(trust_of("sslmode=verify-full", home), Ok(Some("full")));
        assert_eq!(trust_of("", home), Ok(Some("any")));
    }

    #[test]
    fn client_certificates_are_refused_and_other_keys_kept() {
        for key in ["sslcert=/c.pem", "sslkey=/k.pem", "sslcrl=/r.pem"] {
            let url = format!("postgres://gazette@127.0.0.1/db?{key}");
            let message = target(&url, "PGPASSWORD", Duration::from_secs(1))
                .err()
                .unwrap();
            assert!(
                message.contains("does not present a client certificate"),
                "{message}"
            );
        }
        // Other keys still reach tokio-postgres, which knows them.
        let url = "postgres://gazette@db.test:5432/db?sslmode=verify-ca&sslrootcert=system&hostaddr=127.0.0.1&connect_timeout=3";
        let message = target(url, "PGPASSWORD", Duration::from_secs(1))
            .err()
            .unwrap();
        assert!(message.contains("needs sslmode=verify-full"), "{message}");
        // `sslrootcert=system` alone means verify-full: TLS or nothing.
        let implied = target(
            "postgres://gazette@db.test/db?sslrootcert=system",
            "PGPASSWORD",
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(implied.config.get_ssl_mode(), WireMode::Require);
        let mixed = target(
            "postgres://gazette@db.test,%2Frun%2Fpostgresql/db",
            "PGPASSWORD",
            Duration::from_secs(1),
        )
        .err()
        .unwrap();
        assert!(mixed.contains("both Unix sockets and TCP hosts"), "{mixed}");
        let url = "postgres://gazette@db.test:5432/db?hostaddr=127.0.0.1&connect_timeout=3&sslmode=verify-full&sslrootcert=system";
        let target = target(url, "PGPASSWORD", Duration::from_secs(1)).unwrap();
        assert_eq!(
            target.config.get_connect_timeout(),
            Some(&Duration::from_secs(3))
        );
        assert_eq!(target.config.get_ssl_mode(), WireMode::Require);
        assert_eq!(target.config.get_hostaddrs().len(), 1);
        assert!(target.tls.is_some());
    }

    /// A certificate authority and a server certificate it signed for
    /// `db.test` (and no address, so that the name check can fail).
    struct Certificates {
        ca: String,
        server: String,
        key: String,
    }

    fn certificates(authority: &str) -> Certificates {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, authority);
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let key = rcgen::KeyPair::generate().unwrap();
        let server = rcgen::CertificateParams::new(vec!["db.test".to_string()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        Certificates {
            ca: ca.pem(),
            server: server.pem(),
            key: key.serialize_pem(),
        }
    }

    fn open(url: &str) -> Result<Ledger, String> {
        match Ledger::open_postgres(url, "PGPASSWORD", false) {
            Ok(ledger) => Ok(ledger.expect("a writable ledger")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn a_ledger_over_tls_checks_the_server_as_the_mode_says() {
        let ours = certificates("the ledger's authority");
        let Some(cluster) =
            crate::ledger::test_postgres::Cluster::start_with_tls(&ours.server, &ours.key)
        else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, &ours.ca).unwrap();
        let other_ca_file = dir.path().join("other-ca.pem");
        std::fs::write(&other_ca_file, certificates("another authority").ca).unwrap();

        // By address, where the certificate names only db.test.
        let by_address = cluster.database();
        // By the name in the certificate, reached at the same address.
        let by_name = format!(
            "{}?hostaddr=127.0.0.1",
            by_address.replace("@127.0.0.1:", "@db.test:")
        );
        let with = |url: &str, query: &str| {
            let separator = if url.contains('?') { '&' } else { '?' };
            format!("{url}{separator}{query}")
        };
        let root = |file: &Path| format!("sslrootcert={}", file.display());

        let ledger = open(&with(
            &by_name,
            &format!("sslmode=verify-full&{}", root(&ca_file)),
        ))
        .expect("verify-full with the server's authority and name");
        ledger.set_meta("tls-test", "written over TLS").unwrap();
        drop(ledger);
        // Every mode that allows TLS reads what was written.
        for query in [
            format!("sslmode=verify-ca&{}", root(&ca_file)),
            format!("sslmode=require&{}", root(&ca_file)),
            "sslmode=require".to_string(),
            "sslmode=prefer".to_string(),
            String::new(),
        ] {
            let ledger =
                open(&with(&by_address, &query)).unwrap_or_else(|e| panic!("{query}: {e}"));
            assert_eq!(
                ledger.meta("tls-test").unwrap().as_deref(),
                Some("written over TLS"),
                "{query}"
            );
        }

        let refused = |url: String, expected: &str| {
            let message = open(&url)
                .err()
                .unwrap_or_else(|| panic!("{url} connected"));
            assert!(message.contains(expected), "{url}: {message}");
        };
        // The name is checked by verify-full only.
        refused(
            with(
                &by_address,
                &format!("sslmode=verify-full&{}", root(&ca_file)),
            ),
            "certificate not valid for name",
        );
        // Another authority's certificate, or the public ones, do not vouch for it.
        for query in [
            format!("sslmode=verify-full&{}", root(&other_ca_file)),
            format!("sslmode=verify-ca&{}", root(&other_ca_file)),
            format!("sslmode=require&{}", root(&other_ca_file)),
            "sslrootcert=system".to_string(),
        ] {
            refused(with(&by_name, &query), "UnknownIssuer");
        }
        // The server takes no connection without TLS.
        refused(with(&by_address, "sslmode=disable"), "no encryption");
    }

    #[test]
    fn require_refuses_a_server_without_tls_but_a_unix_socket_has_none() {
        let Some(cluster) = crate::ledger::test_postgres::Cluster::start() else {
            return;
        };
        let url = cluster.database();
        let message = open(&format!("{url}?sslmode=require")).err().unwrap();
        assert!(message.contains("TLS"), "{message}");
        // prefer, the default, falls back to plain TCP as libpq does.
        open(&url).unwrap();
        // A Unix socket has no TLS, whatever the mode, as in libpq.
        let folder = cluster.socket_dir().to_string_lossy().replace('/', "%2F");
        let database = url.rsplit('/').next().unwrap();
        let port = url.rsplit(':').next().unwrap().split('/').next().unwrap();
        for query in ["", "?sslmode=require"] {
            let socket = format!("postgres://gazette@{folder}:{port}/{database}{query}");
            open(&socket).unwrap_or_else(|e| panic!("{socket}: {e}"));
        }
    }
}
