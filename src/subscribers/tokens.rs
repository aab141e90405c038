//! Signed tokens: the unsubscribe token every digest carries, the expiring
//! confirmation token of a sign-up, and the hash that records where a
//! confirmation came from without keeping the IP address.
//!
//! All are HMAC-SHA256 under the ledger's secret (or `digest.secret_env`),
//! each under its own label so that one never stands in for another.

use base64::Engine;
use hmac::Mac;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

fn mac(secret: &str) -> HmacSha256 {
    HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length")
}

/// The unsubscribe token of an address: what `{token}` in
/// `digest.unsubscribe_url` becomes. Unchanged since the first digests, so
/// links in messages already sent keep working.
pub fn unsubscribe(secret: &str, email: &str) -> String {
    let mut mac = mac(secret);
    mac.update(email.to_ascii_lowercase().as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

fn confirm_tag(secret: &str, email: &str, expires: i64, signup: i64) -> HmacSha256 {
    let mut mac = mac(secret);
    mac.update(b"confirm\0");
    mac.update(email.to_ascii_lowercase().as_bytes());
    mac.update(b"\0");
    mac.update(expires.to_string().as_bytes());
    mac.update(b"\0");
    mac.update(signup.to_string().as_bytes());
    mac
}

/// A confirmation token for the sign-up `signup` (the consent-log event
/// that opened it) of `email`, valid until `expires` (Unix seconds). The
/// ledger confirms it only while that sign-up is the open one, so a link
/// works once, for the sign-up it was sent for.
pub fn confirm(secret: &str, email: &str, expires: i64, signup: i64) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let tag = confirm_tag(secret, email, expires, signup)
        .finalize()
        .into_bytes();
    format!(
        "{}.{expires}.{signup}.{}",
        b64.encode(email.to_ascii_lowercase()),
        hex::encode(&tag[..16])
    )
}

/// Why a confirmation token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not made by this secret, or altered.
    Forged,
    /// Past its expiry.
    Expired,
}

/// The address and sign-up a confirmation token stands for, if it is
/// genuine and not expired at `now` (Unix seconds).
pub fn check_confirm(secret: &str, token: &str, now: i64) -> Result<(String, i64), Refused> {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts = token.trim().splitn(4, '.');
    let (Some(email), Some(expires), Some(signup), Some(tag)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refused::Forged);
    };
    let email = b64
        .decode(email)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or(Refused::Forged)?;
    let expires: i64 = expires.parse().map_err(|_| Refused::Forged)?;
    let signup: i64 = signup.parse().map_err(|_| Refused::Forged)?;
    let tag = hex::decode(tag).map_err(|_| Refused::Forged)?;
    if tag.len() != 16 {
        return Err(Refused::Forged);
    }
    confirm_tag(secret, &email, expires, signup)
        .verify_truncated_left(&tag)
        .map_err(|_| Refused::Forged)?;
    if now > expires {
        return Err(Refused::Expired);
    }
    Ok((email, signup))
}

/// A keyed hash of `data` under its own `label`: what is kept of an erased
/// address, enough to recognise it and nothing to give it back.
pub fn keyed(secret: &str, label: &str, data: &str) -> String {
    let mut mac = mac(secret);
    mac.update(label.as_bytes());
    mac.update(b"\0");
    mac.update(data.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Where a confirmation came from, as a keyed hash: enough to tell two
/// sign-ups from one network apart from many, nothing to give an address back.
pub fn ip_hash(secret: &str, ip: &str) -> String {
    let mut mac = mac(secret);
    mac.update(b"ip\0");
    mac.update(ip.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..8])
}

/// The Message-ID tag of one recipient's copy of a digest: its own label,
/// so it gives nothing of the unsubscribe token away.
pub fn message_id_tag(secret: &str, digest_id: &str, email: &str) -> String {
    let mut mac = mac(secret);
    mac.update(b"message-id\0");
    mac.update(digest_id.as_bytes());
    mac.update(b"\0");
    mac.update(email.to_ascii_lowercase().as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirmation_tokens_expire_and_cannot_be_altered() {
        let token = confirm("s3cret", "Ada@Example.org", 1_000, 7);
        assert_eq!(
            check_confirm("s3cret", &token, 999),
            Ok(("ada@example.org".into(), 7))
        );
        // Another sign-up with the old tag.
        let other = token.replace(".7.", ".8.");
        assert_eq!(check_confirm("s3cret", &other, 999), Err(Refused::Forged));
        assert_eq!(
            check_confirm("s3cret", &token, 1_001),
            Err(Refused::Expired)
        );
        assert_eq!(check_confirm("other", &token, 999), Err(Refused::Forged));
        // A later expiry with the old tag.
        let stretched = token.replace(".1000.", ".9999.");
        assert_eq!(
            check_confirm("s3cret", &stretched, 999),
            Err(Refused::Forged)
        );
        // Another address with the old tag.
        let (_, rest) = token.split_once('.').unwrap();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let moved = format!("{}.{rest}", b64.encode("eve@example.org"));
        assert_eq!(check_confirm("s3cret", &moved, 999), Err(Refused::Forged));
        // A truncated tag.
        assert_eq!(
            check_confirm("s3cret", &token[..token.len() - 2], 999),
            Err(Refused::Forged)
        );
        assert_eq!(check_confirm("s3cret", "", 0), Err(Refused::Forged));
        assert_eq!(check_confirm("s3cret", "a.b.c.d", 0), Err(Refused::Forged));
    }

    #[test]
    fn labels_keep_tokens_apart() {
        let unsubscribe = unsubscribe("k", "ada@example.org");
        assert_eq!(unsubscribe, super::unsubscribe("k", "ADA@example.org"));
        assert_ne!(
            &unsubscribe[..24],
            &message_id_tag("k", "", "ada@example.org")[..24]
        );
        assert_ne!(ip_hash("k", "127.0.0.1"), ip_hash("k", "127.0.0.2"));
    }
}
