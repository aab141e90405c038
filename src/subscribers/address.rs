//! The one rule that makes an e-mail address a subscriber's key, used by
//! every way an address comes in (the form, a CSV list, the command line,
//! reports that come back), so that one mailbox is one subscriber.
//!
//! The domain is lower-cased and IDNA-encoded (`bücher.example` and
//! `xn--bcher-kva.example` are one domain); the local part is lower-cased
//! too, as every large mailbox provider treats it. Quoted or escaped local
//! parts, non-ASCII local parts (they need SMTPUTF8, which gazette does not
//! send), address literals and single-label domains are refused with a
//! reason, since each is a way to spell one mailbox as several rows or to
//! reach a host no public mail goes to.

/// Why an address was refused, for a message that says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse(why: impl Into<String>) -> Result<String, Refused> {
    Err(Refused(why.into()))
}

/// RFC 5322 `atext`, without the characters that only quoting allows.
fn local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

/// The canonical form of `text`, or why it is not an address gazette mails.
pub fn canonical(text: &str) -> Result<String, Refused> {
    let text = text.trim();
    if text.is_empty() {
        return refuse("empty address");
    }
    if text.contains('\u{fffd}') {
        return refuse("not valid UTF-8");
    }
    if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return refuse("contains a space or a control character");
    }
    if text.contains(['"', '\\']) {
        return refuse("quoted or escaped local parts are not accepted");
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return refuse("no @");
    };
    if local.is_empty() || local.len() > 64 {
        return refuse("the part before @ must have 1 to 64 characters");
    }
    if !local.is_ascii() {
        return refuse("non-ASCII characters before @ need SMTPUTF8, which gazette does not send");
    }
    if !local.chars().all(local_char) {
        return refuse(format!("{local:?} is not a plain mailbox name"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return refuse("a dot at the start or end of the mailbox name, or two in a row");
    }
    if domain.starts_with('[') {
        return refuse("address literals ([…]) are not accepted");
    }
    let domain = idna::domain_to_ascii(domain.trim_end_matches('.'))
        .map_err(|_| Refused(format!("{domain:?} is not a valid domain")))?;
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return refuse(format!("{domain:?} has no dot: not a public mail domain"));
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !labels.iter().all(label_ok) {
        return refuse(format!("{domain:?} is not a valid domain"));
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return refuse(format!("{domain:?} is an IP address, not a mail domain"));
    }
    if domain == "localhost" || domain.ends_with(".localhost") {
        return refuse("localhost is not a public mail domain");
    }
    let address = format!("{}@{domain}", local.to_ascii_lowercase());
    if address.len() > 254 {
        return refuse("longer than 254 characters");
    }
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn one_mailbox_is_one_address() {
        for spelling in [
            "victim@example.net",
            "Victim@EXAMPLE.net",
            " victim@example.net. ",
            "VICTIM@Example.Net",
        ] {
            assert_eq!(
                canonical(spelling).unwrap(),
                "victim@example.net",
                "{spelling}"
            );
        }
        assert_eq!(
            canonical("leser@bücher.example").unwrap(),
            canonical("leser@xn--bcher-kva.example").unwrap()
        );
        assert_eq!(
            canonical("a+tag@sub.example.org").unwrap(),
            "a+tag@sub.example.org"
        );
    }

    #[test]
    fn spellings_that_hide_a_mailbox_or_reach_no_public_host_are_refused() {
        for bad in [
            "\"victim\"@example.net",
            "v\\ictim@example.net",
            "a@b",
            "a@localhost",
            "a@mail.localhost",
            "a@[127.0.0.1]",
            "a@10.0.0.1",
            "\u{fffd}\u{fffd}@example.net",
            "ü@example.net",
            "a b@example.net",
            "a@example..net",
            ".a@example.net",
            "a..b@example.net",
            "a@-x.example",
            "@example.net",
            "a@",
            "plain",
            "a\r\nBcc: x@example.net",
        ] {
            assert!(canonical(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
