//! TLS client settings shared by the SMTP client and the PostgreSQL ledger:
//! rustls on the ring provider, trusting the Mozilla roots compiled into
//! the binary or the certificates of a PEM file.

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, RootCertStore};

/// The one crypto provider gazette uses, so that no second one is linked.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The public certificate authorities (webpki-roots, Mozilla's list).
pub(crate) fn public_roots() -> RootCertStore {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    roots
}

/// Adds every certificate of the PEM file `file` to `roots`. The message
/// says what is wrong with the file; the caller names the setting.
pub(crate) fn add_pem_file(roots: &mut RootCertStore, file: &Path) -> Result<(), String> {
    let pem = std::fs::read(file).map_err(|e| format!("cannot read it: {e}"))?;
    let mut added = 0;
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        roots
            .add(cert.map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        added += 1;
    }
    if added == 0 {
        return Err("no PEM certificate in it".into());
    }
    Ok(())
}

/// A client that verifies the server's chain and name against `roots`.
pub(crate) fn verifying(roots: RootCertStore) -> Result<ClientConfig, rustls::Error> {
    Ok(ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// A client whose trust in the server's certificate is `verifier`'s,
/// built on the `provider` the verifier checks signatures with.
pub(crate) fn verified_by(
    provider: Arc<CryptoProvider>,
    verifier: Arc<dyn ServerCertVerifier>,
) -> Result<ClientConfig, rustls::Error> {
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}
