//! `gazette serve` on 127.0.0.1 with the real test SMTP server: sign-up,
//! double opt-in, the digest, RFC 8058 one-click unsubscribe, and what
//! forged links, robots and floods get. Also `subscribers` and `bounces`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use mail_parser::MessageParser;

use crate::smtp::{Received, SmtpServer};
use crate::support::*;

pub(crate) const SECRET: &str = "a test secret for serve";

pub(crate) fn config(smtp: &str, serve: &str) -> String {
    format!(
        "[digest]\nfrom = \"Test Site <digest@example.org>\"\nunsubscribe_mailto = \"leave@example.org\"\nretry_delay_ms = 10\n\n[serve]\n{serve}\n{smtp}"
    )
}

pub(crate) fn site(smtp: &str, serve: &str) -> TestSite {
    let site = TestSite::new(&config(smtp, serve));
    site.write(
        "content/one.md",
        &post("First news", "2025-05-28", "summary: The first summary.\n"),
    )
    .write("subscribers.csv", "email,name\nlisted@example.net,Listed\n");
    site
}

/// A running `gazette serve`, stopped when dropped.
pub(crate) struct Served {
    pub(crate) child: Child,
    pub(crate) port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn serve(site: &TestSite) -> Served {
    let mut child = site
        .command(&["serve", "--listen", "127.0.0.1:0"])
        .env("GAZETTE_DIGEST_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .trim_start_matches("listening on http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|_| panic!("serve said {line:?}"));
    Served { child, port }
}

pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: String,
    pub(crate) body: String,
}

/// One HTTP/1.1 request over a fresh connection.
pub(crate) fn request(port: u16, method: &str, target: &str, body: &str) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    Answer {
        status: head[9..12].parse().unwrap(),
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

/// A GET with extra header lines (each ending in CRLF) over a fresh
/// connection: the raw answer.
pub(crate) fn get_with(port: u16, path: &str, headers: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    raw
}

impl Answer {
    /// The value of a header of the answer (names are lower-cased).
    pub(crate) fn header(&self, name: &str) -> String {
        let prefix = format!("{name}: ");
        self.headers
            .lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .unwrap_or_else(|| panic!("no {name} in {}", self.headers))
            .trim()
            .to_string()
    }
}

/// The path and query of a link to example.org, to ask the local server.
fn local(url: &str) -> String {
    url.trim_start_matches("https://example.org").to_string()
}

fn wait_for(smtp: &SmtpServer, to: &str, count: usize) -> Vec<Received> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found: Vec<Received> = smtp
            .received()
            .into_iter()
            .filter(|r| r.to.iter().any(|t| t == to))
            .collect();
        if found.len() >= count || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn text_of(received: &Received) -> String {
    let message = MessageParser::default().parse(&received.data).unwrap();
    message.body_text(0).unwrap().into_owned()
}

fn header_of(received: &Received, name: &str) -> String {
    let message = MessageParser::default().parse(&received.data).unwrap();
    message
        .header_raw(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .trim()
        .to_string()
}

/// The RFC 8058 one-click unsubscribe a mail provider makes for `email`,
/// expected to succeed.
pub(crate) fn one_click(port: u16, email: &str) {
    let token = gazette::subscribers::tokens::unsubscribe(SECRET, email);
    let answer = request(
        port,
        "POST",
        &format!("/blog/unsubscribe?token={token}"),
        "List-Unsubscribe=One-Click",
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// A sign-up for `email` through the form, expected to be taken.
pub(crate) fn sign_up(port: u16, email: &str) {
    let answer = request(
        port,
        "POST",
        "/blog/subscribe",
        &format!("email={}", email.replace('@', "%40")),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
}

pub(crate) fn gazette(site: &TestSite, args: &[&str]) -> Run {
    Run::of(site.command(args).env("GAZETTE_DIGEST_SECRET", SECRET))
}

on_both_stores! {
    fn sign_up_confirm_receive_and_unsubscribe_in_one_click() {
        let smtp = SmtpServer::start();
        let site = site(&smtp.config(), "");
        let served = serve(&site);

        let answer = request(
            served.port,
            "POST",
            "/blog/subscribe",
            "email=new%40example.net&name=New+Reader",
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert!(answer.body.contains("Check your inbox"), "{}", answer.body);
        let confirmations = wait_for(&smtp, "new@example.net", 1);
        assert_eq!(confirmations.len(), 1, "one confirmation message");
        let text = text_of(&confirmations[0]);
        let link = text
            .split_whitespace()
            .find(|w| w.starts_with("https://example.org/blog/confirm?token="))
            .unwrap_or_else(|| panic!("no confirmation link in {text}"));

        // Not confirmed yet: the digest does not reach the address.
        let pending = gazette(&site, &["subscribers", "list", "--state", "pending"]);
        assert!(
            pending.stdout.contains("new@example.net"),
            "{}",
            pending.stdout
        );

        // The link shows a question and a button: a mail scanner fetching it
        // (as many do) confirms nothing.
        for _ in 0..3 {
            let page = request(served.port, "GET", &local(link), "");
            assert_eq!(page.status, 200, "{}", page.body);
            assert!(
                page.body.contains("<button") && page.body.contains("method=\"post\""),
                "{}",
                page.body
            );
            assert!(page.headers.contains("referrer-policy: no-referrer"));
        }
        let pending = gazette(&site, &["subscribers", "list", "--state", "pending"]);
        assert!(
            pending.stdout.contains("new@example.net"),
            "{}",
            pending.stdout
        );
        let confirmed = request(served.port, "POST", &local(link), "");
        assert_eq!(confirmed.status, 200, "{}", confirmed.body);
        assert!(confirmed.body.contains("Subscribed"));
        // A welcome follows, with the preferences link.
        let welcomed = wait_for(&smtp, "new@example.net", 2);
        assert_eq!(welcomed.len(), 2, "confirmation, then the welcome");
        assert_eq!(header_of(&welcomed[1], "Subject"), "Welcome to Test Site");
        let welcome = String::from_utf8_lossy(&welcomed[1].data).replace("=\r\n", "");
        assert!(
            welcome.contains("https://example.org/blog/preferences?token=3D"),
            "{welcome}"
        );

        let run = gazette(&site, &["digest", "--send", "--now", NOW]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        let digests = wait_for(&smtp, "new@example.net", 3);
        assert_eq!(digests.len(), 3, "confirmation, welcome, then the digest");
        let digests = [digests[0].clone(), digests[2].clone()];
        assert_eq!(
            wait_for(&smtp, "listed@example.net", 1).len(),
            1,
            "the CSV list still counts"
        );

        // RFC 8058: the POST a mail provider makes, to the URL in the header.
        let header = header_of(&digests[1], "List-Unsubscribe");
        let url = header
            .split(',')
            .map(|part| part.trim().trim_start_matches('<').trim_end_matches('>'))
            .find(|part| part.starts_with("https://"))
            .unwrap();
        assert!(
            url.starts_with("https://example.org/blog/unsubscribe?token="),
            "{url}"
        );
        assert!(!url.contains("email="), "the token alone is enough: {url}");
        let page = request(served.port, "GET", &local(url), "");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("List-Unsubscribe") && page.body.contains("<button"));
        for _ in 0..2 {
            let answer = request(
                served.port,
                "POST",
                &local(url),
                "List-Unsubscribe=One-Click",
            );
            assert_eq!(answer.status, 200, "{}", answer.body);
            assert!(answer.body.contains("Unsubscribed"));
        }
        let list = gazette(&site, &["subscribers", "list", "--state", "unsubscribed"]);
        assert!(list.stdout.contains("new@example.net"), "{}", list.stdout);

        // The old confirmation link, still within its 48 hours, subscribes
        // nobody again: it belonged to a sign-up that is closed.
        let again = request(served.port, "POST", &local(link), "");
        assert_eq!(again.status, 410, "{}", again.body);
        let list = gazette(&site, &["subscribers", "list", "--state", "unsubscribed"]);
        assert!(list.stdout.contains("new@example.net"), "{}", list.stdout);
        let history = gazette(&site, &["subscribers", "history", "New@Example.NET"]);
        let changes: Vec<&str> = history
            .stdout
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .collect();
        assert_eq!(
            changes,
            ["signed-up", "confirmed", "unsubscribed", "unsubscribed"],
            "{}",
            history.stdout
        );
        assert!(history.stdout.contains("one-click"), "{}", history.stdout);

        // The next digest does not reach the address; the list's reader still gets it.
        site.write("content/two.md", &post("Second news", "2025-06-03", ""));
        let run = gazette(
            &site,
            &["digest", "--send", "--now", "2025-06-08T00:00:00Z"],
        );
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        assert_eq!(wait_for(&smtp, "listed@example.net", 2).len(), 2);
        assert_eq!(
            smtp.received()
                .iter()
                .filter(|r| r.to.contains(&"new@example.net".to_string()))
                .count(),
            3,
            "confirmation, welcome and one digest"
        );
    }
}

on_both_stores! {
    fn forged_or_expired_links_change_nothing() {
        let smtp = SmtpServer::start();
        let site = site(&smtp.config(), "");
        assert_eq!(
            gazette(
                &site,
                &["subscribers", "add", "ada@example.net", "--confirmed"]
            )
            .code,
            0
        );
        let served = serve(&site);

        let forged = request(
            served.port,
            "GET",
            "/blog/confirm?token=YWRhQGV4YW1wbGUubmV0.9999999999.00112233445566778899aabbccddeeff",
            "",
        );
        assert_eq!(forged.status, 400);
        let expired = gazette::subscribers::tokens::confirm(SECRET, "eve@example.net", 1_000, 1);
        let answer = request(
            served.port,
            "GET",
            &format!("/blog/confirm?token={expired}"),
            "",
        );
        assert_eq!(answer.status, 410);
        let unknown = request(
            served.port,
            "POST",
            "/blog/unsubscribe?token=00000000000000000000000000000000",
            "List-Unsubscribe=One-Click",
        );
        assert_eq!(unknown.status, 404);
        let token = gazette::subscribers::tokens::unsubscribe(SECRET, "ada@example.net");
        let no_body = request(
            served.port,
            "POST",
            &format!("/blog/unsubscribe?token={token}"),
            "",
        );
        assert_eq!(no_body.status, 400);

        let list = gazette(&site, &["subscribers", "list", "--json"]);
        let members: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
        let members = members.as_array().unwrap();
        assert_eq!(members.len(), 1, "{members:?}");
        assert_eq!(members[0]["state"], "active");
    }
}

#[test]
fn known_and_unknown_addresses_get_the_same_answer_and_floods_get_429() {
    let smtp = SmtpServer::start();
    let site = site(
        &smtp.config(),
        "per_ip_per_hour = 4\nper_address_per_day = 1",
    );
    assert_eq!(
        gazette(
            &site,
            &["subscribers", "add", "known@example.net", "--confirmed"]
        )
        .code,
        0
    );
    let served = serve(&site);
    let known = request(
        served.port,
        "POST",
        "/blog/subscribe",
        "email=known%40example.net",
    );
    let unknown = request(
        served.port,
        "POST",
        "/blog/subscribe",
        "email=unknown%40example.net",
    );
    assert_eq!((known.status, unknown.status), (200, 200));
    assert_eq!(known.body, unknown.body);
    // A robot filling in the hidden field: same answer, no mail.
    let robot = request(
        served.port,
        "POST",
        "/blog/subscribe",
        "email=victim%40example.net&website=spam",
    );
    assert_eq!((robot.status, &robot.body), (200, &known.body));
    // The same address again within the day: refused, no second message.
    let again = request(
        served.port,
        "POST",
        "/blog/subscribe",
        "email=unknown%40example.net",
    );
    assert_eq!(again.status, 429);
    let flood = request(
        served.port,
        "POST",
        "/blog/subscribe",
        "email=other%40example.net",
    );
    assert_eq!(
        flood.status, 429,
        "the fifth request from one client in an hour"
    );
    std::thread::sleep(Duration::from_millis(500));
    let received = smtp.received();
    let to: Vec<&str> = received
        .iter()
        .flat_map(|r| r.to.iter().map(String::as_str))
        .collect();
    assert_eq!(
        to,
        ["unknown@example.net"],
        "only the new address got a confirmation"
    );
    let bad = request(
        served.port,
        "POST",
        "/blog/subscribe",
        "email=not-an-address",
    );
    assert_eq!(bad.status, 429, "still over the per-client limit");
}

#[test]
fn the_page_has_a_sign_up_form_and_serve_serves_the_feeds() {
    let site = site("", "");
    site.build();
    let page = site.read("feeds/index.html");
    assert!(
        page.contains(
            r#"<form class="signup" method="post" action="https://example.org/blog/subscribe">"#
        ),
        "{page}"
    );
    let served = serve(&site);
    let atom = request(served.port, "GET", "/blog/atom.xml", "");
    assert_eq!(atom.status, 200);
    assert!(atom.headers.contains("content-type: application/atom+xml"));
    let etag = atom.header("etag");
    let raw = get_with(
        served.port,
        "/blog/atom.xml",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert!(raw.starts_with("HTTP/1.1 304"), "{raw}");
    let last_modified = atom.header("last-modified");
    let raw = get_with(
        served.port,
        "/blog/atom.xml",
        &format!("If-Modified-Since: {last_modified}\r\n"),
    );
    assert!(
        raw.starts_with("HTTP/1.1 304"),
        "If-Modified-Since {last_modified}: {raw}"
    );
    let raw = get_with(
        served.port,
        "/blog/atom.xml",
        "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n",
    );
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert_eq!(
        request(served.port, "GET", "/blog/../config.toml", "").status,
        404
    );
    assert_eq!(
        request(served.port, "GET", "/blog/%2e%2e/config.toml", "").status,
        404
    );
}

on_both_stores! {
    fn import_export_round_trip_keeps_unsubscribes() {
        let site = site("", "");
        site.write(
            "list.csv",
            "email,name,plan\na@example.net,A,pro\nb@example.net,B,free\nc@example.net,C,free\n",
        );
        let run = gazette(&site, &["subscribers", "import", "list.csv"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("3 new"), "{}", run.stdout);
        assert_eq!(
            gazette(&site, &["subscribers", "remove", "b@example.net"]).code,
            0
        );
        let export = gazette(&site, &["subscribers", "export", "-o", "out.csv"]);
        assert_eq!(export.code, 0, "{}", export.stderr);
        let exported = site.read("out.csv");
        assert!(exported.starts_with("email,name,status,"), "{exported}");
        assert!(
            exported.contains("b@example.net,B,unsubscribed"),
            "{exported}"
        );
        assert!(exported.contains(",pro"), "columns survive: {exported}");

        // The original list again: b stays unsubscribed.
        let again = gazette(&site, &["subscribers", "import", "list.csv"]);
        assert!(again.stdout.contains("1 kept"), "{}", again.stdout);
        // The export read back changes nothing.
        gazette(&site, &["subscribers", "import", "out.csv"]);
        let state = |email: &str| {
            let list = gazette(&site, &["subscribers", "list", "--json"]);
            let members: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
            members
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["email"] == email)
                .map(|m| m["state"].as_str().unwrap().to_string())
                .unwrap()
        };
        assert_eq!(state("b@example.net"), "unsubscribed");
        assert_eq!(state("a@example.net"), "active");
        let dry = gazette(&site, &["digest", "--dry-run", "--now", NOW]);
        assert!(dry.stdout.contains(" to a@example.net"), "{}", dry.stdout);
        assert!(!dry.stdout.contains(" to b@example.net"), "{}", dry.stdout);
        // Neither the owner's command nor a list brings back someone who left.
        let add = gazette(
            &site,
            &["subscribers", "add", "B@EXAMPLE.net", "--confirmed"],
        );
        assert!(
            add.stdout.contains("unsubscribed, left so"),
            "{}",
            add.stdout
        );
        assert_eq!(state("b@example.net"), "unsubscribed");
        let refused = gazette(
            &site,
            &["subscribers", "import", "list.csv", "--resubscribe"],
        );
        assert_eq!(refused.code, 2, "the flag is gone: {}", refused.stderr);
    }
}

on_both_stores! {
    fn export_import_export_gives_the_same_bytes_and_formulas_stay_text() {
        let site = site("", "");
        site.write(
            "list.csv",
            "email,name,plan\nA@Example.net,\"=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",pro\nb@example.net,+1 555,-5\n",
        );
        assert_eq!(
            gazette(&site, &["subscribers", "import", "list.csv"]).code,
            0
        );
        gazette(&site, &["subscribers", "remove", "b@example.net"]);
        let first = gazette(&site, &["subscribers", "export", "-o", "one.csv"]);
        assert_eq!(first.code, 0, "{}", first.stderr);
        let one = site.read("one.csv");
        assert!(one.contains("a@example.net,\"'=HYPERLINK("), "{one}");
        assert!(one.contains("'+1 555") && one.contains(",'-5"), "{one}");
        assert_eq!(
            one.lines().next(),
            Some(
                "email,name,status,source,created_at,confirmed_at,unsubscribed_at,cadence,topics,plan"
            )
        );

        // Into another ledger, and out again: the same bytes.
        let other = TestSite::new("");
        other
            .write("config.toml", &site.read("config.toml"))
            .write("one.csv", &one);
        let imported = gazette(&other, &["subscribers", "import", "one.csv"]);
        assert_eq!(imported.code, 0, "{}", imported.stderr);
        assert_eq!(
            gazette(&other, &["subscribers", "export", "-o", "two.csv"]).code,
            0
        );
        assert_eq!(other.read("two.csv"), one);
        // And into the same ledger: nothing changes.
        gazette(&site, &["subscribers", "import", "one.csv"]);
        gazette(&site, &["subscribers", "export", "-o", "three.csv"]);
        assert_eq!(site.read("three.csv"), one);
    }
}

on_both_stores! {
    fn forgotten_addresses_leave_nothing_and_no_import_brings_them_back() {
        let site = site("", "");
        site.write(
            "list.csv",
            "email,name\ngone@example.net,Gone\nstay@example.net,Stay\n",
        );
        gazette(&site, &["subscribers", "import", "list.csv"]);
        let held = gazette(
            &site,
            &["subscribers", "export", "gone@example.net", "--json"],
        );
        let data: serde_json::Value = serde_json::from_str(&held.stdout).unwrap();
        assert_eq!(data["subscriber"]["name"], "Gone");
        assert_eq!(data["history"][0]["change"], "imported");
        let forget = gazette(&site, &["subscribers", "forget", "Gone@example.net"]);
        assert!(forget.stdout.contains("erased"), "{}", forget.stdout);
        let held = gazette(
            &site,
            &["subscribers", "export", "gone@example.net", "--json"],
        );
        let data: serde_json::Value = serde_json::from_str(&held.stdout).unwrap();
        assert!(
            data["subscriber"].is_null() && data["history"].as_array().unwrap().is_empty(),
            "{data}"
        );
        let again = gazette(&site, &["subscribers", "import", "list.csv"]);
        assert!(again.stdout.contains("1 kept erased"), "{}", again.stdout);
        let list = gazette(&site, &["subscribers", "list"]);
        assert!(!list.stdout.contains("gone@"), "{}", list.stdout);
        let ledger = site.ledger_bytes();
        assert!(
            !ledger
                .windows(b"gone@example.net".len())
                .any(|w| w == b"gone@example.net"),
            "the address is still in the ledger file"
        );
    }
}

on_both_stores! {
    fn a_forgotten_address_still_in_the_list_is_not_mailed() {
        let smtp = SmtpServer::start();
        let site = site(&smtp.config(), "");
        site.write(
            "subscribers.csv",
            "email,name\ngone@example.net,Gone\nstay@example.net,Stay\n",
        );
        gazette(&site, &["subscribers", "import", "subscribers.csv"]);
        gazette(&site, &["subscribers", "forget", "gone@example.net"]);
        let sent = site
            .command(&["digest", "--send", "--quiet", "--now", NOW])
            .env("GAZETTE_DIGEST_SECRET", SECRET)
            .output()
            .unwrap();
        assert!(
            sent.status.success(),
            "{}",
            String::from_utf8_lossy(&sent.stderr)
        );
        assert_eq!(wait_for(&smtp, "stay@example.net", 1).len(), 1);
        let to: Vec<String> = smtp.received().iter().flat_map(|r| r.to.clone()).collect();
        assert_eq!(
            to,
            ["stay@example.net"],
            "the list still names the erased address"
        );
        let ledger = site.ledger_bytes();
        assert!(
            !ledger
                .windows(b"gone@example.net".len())
                .any(|w| w == b"gone@example.net"),
            "the send put the erased address back into the ledger"
        );
    }
}

on_both_stores! {
    fn unsubscribing_during_a_send_stops_the_rest_of_that_digest() {
        let smtp = SmtpServer::start();
        smtp.faults(|f| f.delay = Duration::from_millis(100));
        let site = site(&smtp.config(), "");
        let mut csv = String::from("email,name\n");
        for i in 0..10 {
            csv.push_str(&format!("r{i}@example.net,R{i}\n"));
        }
        site.write("subscribers.csv", &csv).write(
            "config.toml",
            &format!("{BASE_CONFIG}{}", config(&smtp.config(), "")).replace(
                "retry_delay_ms = 10",
                "retry_delay_ms = 10\nconnections = 1",
            ),
        );
        let mut sending = site
            .command(&["digest", "--send", "--quiet", "--now", NOW])
            .env("GAZETTE_DIGEST_SECRET", SECRET)
            .spawn()
            .unwrap();
        assert_eq!(wait_for(&smtp, "r0@example.net", 1).len(), 1);
        let served = serve(&site);
        one_click(served.port, "r9@example.net");
        let status = sending.wait().unwrap();
        assert!(status.success());
        assert_eq!(wait_for(&smtp, "r8@example.net", 1).len(), 1);
        let to_r9 = smtp
            .received()
            .iter()
            .filter(|r| r.to.contains(&"r9@example.net".to_string()))
            .count();
        assert_eq!(to_r9, 0, "r9 unsubscribed while the digest was going out");
        let status = gazette(&site, &["digest", "status"]);
        assert!(
            status.stdout.contains("sent 9 skipped 1"),
            "{}",
            status.stdout
        );
    }
}

fn dsn(id: &str, to: &str, action: &str, status: &str, original_id: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.example.net\r\nTo: digest@example.org\r\nSubject: Undelivered Mail\r\nMessage-ID: <{id}@mx.example.net>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nThe message could not be delivered.\r\n\
--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; {to}\r\nAction: {action}\r\nStatus: {status}\r\nDiagnostic-Code: smtp; {status} mailbox\r\n\r\n\
--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Test Site <digest@example.org>\r\nTo: {to}\r\nMessage-ID: {original_id}\r\nSubject: digest\r\n\r\n\
--B--\r\n"
    )
}

fn arf(id: &str, to: &str) -> String {
    format!(
        "From: fbl@isp.example.net\r\nTo: abuse@example.org\r\nSubject: complaint\r\nMessage-ID: <{id}@isp.example.net>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\r\n\r\n\
--F\r\nContent-Type: text/plain\r\n\r\nThis is an abuse report.\r\n\
--F\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: test/1.0\r\nVersion: 1\r\nOriginal-Rcpt-To: {to}\r\n\r\n\
--F\r\nContent-Type: message/rfc822\r\n\r\nFrom: Test Site <digest@example.org>\r\nTo: {to}\r\nMessage-ID: <digest.x.y@example.org>\r\nSubject: digest\r\n\r\nbody\r\n\
--F--\r\n"
    )
}

/// The Message-ID of the digest each address received.
fn message_ids(smtp: &SmtpServer, addresses: &[&str]) -> Vec<String> {
    addresses
        .iter()
        .map(|a| header_of(&wait_for(smtp, a, 1)[0], "Message-ID"))
        .collect()
}

on_both_stores! {
    fn only_reports_that_answer_our_own_mail_change_a_subscriber() {
        let smtp = SmtpServer::start();
        let site = site(&smtp.config(), "");
        site.write(
            "subscribers.csv",
            "email,name\nhard@example.net,H\nsoft@example.net,S\nspam@example.net,P\nfine@example.net,F\nvictim@example.net,V\n",
        );
        let run = gazette(&site, &["digest", "--send", "--now", NOW]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        let ids = message_ids(
            &smtp,
            &["hard@example.net", "soft@example.net", "spam@example.net"],
        );
        site.write("bounces/cur/1", &dsn("r1", "hard@example.net", "failed", "5.1.1", &ids[0]))
            .write("bounces/cur/2", &dsn("r2", "soft@example.net", "delayed", "4.2.2", &ids[1]))
            .write("bounces/cur/3", &dsn("r3", "soft@example.net", "failed", "4.4.7", &ids[1]))
            .write("bounces/new/4", &arf("r4", "spam@example.net").replace("<digest.x.y@example.org>", &ids[2]))
            .write("bounces/new/5", "From: friend@example.net\r\nTo: digest@example.org\r\nSubject: thanks\r\nMessage-ID: <r5@x>\r\n\r\nLoved the post.\r\n")
            // Written by a stranger: they name a subscriber, but answer no message of ours.
            .write("bounces/new/6", &dsn("r6", "victim@example.net", "failed", "5.1.1", "<made-up@example.org>"))
            .write("bounces/new/7", &arf("r7", "victim@example.net"))
            .write("bounces/new/8", &dsn("r8", "victim@example.net", "delayed", "4.2.2", "<x@y>"));
        let run = gazette(&site, &["bounces", "bounces"]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        for expected in [
            "hard hard@example.net: bounced",
            "soft soft@example.net: soft bounce 2 of 3: still active",
            "complaint spam@example.net: complained",
            "other -: not a bounce",
            "bounces/new/6: hard victim@example.net: unverified: left alone",
            "bounces/new/7: complaint victim@example.net: unverified: left alone",
            "bounces/new/8: soft victim@example.net: unverified: left alone",
        ] {
            assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
        }
        let again = gazette(&site, &["bounces", "bounces"]);
        assert_eq!(
            again.stdout.matches("already processed").count(),
            4,
            "{}",
            again.stdout
        );

        // A message built to exhaust the parser, then a third soft bounce in a
        // row, from an mbox file: the first is skipped, the second still counts.
        let mut bomb = String::from(
            "From: x@example.com\nMessage-ID: <bomb@x>\nContent-Type: multipart/mixed; boundary=b\n\n",
        );
        for _ in 0..12_000 {
            bomb.push_str("--b\nContent-Type: message/rfc822\n\n");
        }
        site.write(
            "more.mbox",
            &format!(
                "From MAILER-DAEMON Sat Jun  7 10:00:00 2025\n{bomb}\nFrom MAILER-DAEMON Sat Jun  7 10:00:01 2025\n{}\n",
                dsn("r9", "soft@example.net", "delayed", "4.2.2", &ids[1]).replace("\r\n", "\n")
            ),
        );
        let run = gazette(&site, &["bounces", "more.mbox"]);
        assert!(
            run.stdout
                .contains("more.mbox#1: other -: 12001 nested MIME parts"),
            "{}{}",
            run.stdout,
            run.stderr
        );
        assert!(
            run.stdout
                .contains("more.mbox#2: soft soft@example.net: bounced"),
            "{}",
            run.stdout
        );

        let list = gazette(&site, &["subscribers", "list"]);
        for (email, state) in [
            ("hard@example.net", "bounced"),
            ("soft@example.net", "bounced"),
            ("spam@example.net", "complained"),
            ("fine@example.net", "active"),
            ("victim@example.net", "active"),
        ] {
            assert!(
                list.stdout
                    .lines()
                    .any(|l| l.starts_with(state) && l.contains(email)),
                "{email} should be {state}:\n{}",
                list.stdout
            );
        }
        let history = gazette(&site, &["subscribers", "history", "hard@example.net"]);
        assert!(
            history.stdout.contains("bounced")
                && history.stdout.contains("r1@mx.example.net")
                && history.stdout.contains("5.1.1"),
            "{}",
            history.stdout
        );
    }
}

#[test]
fn a_delayed_recipient_stays_soft_when_another_in_the_report_failed() {
    let smtp = SmtpServer::start();
    let site = site(&smtp.config(), "");
    site.write("subscribers.csv", "email\nslow@example.net\n");
    assert_eq!(gazette(&site, &["digest", "--send", "--now", NOW]).code, 0);
    let id = &message_ids(&smtp, &["slow@example.net"])[0];
    let report = dsn("m1", "slow@example.net", "delayed", "4.4.1", id).replace(
        "Action: delayed",
        "Action: delayed\r\nStatus: 4.4.1\r\n\r\nFinal-Recipient: rfc822; other@example.org\r\nAction: failed\r\nStatus: 5.1.1",
    );
    site.write("mixed.eml", &report);
    let run = gazette(&site, &["bounces", "mixed.eml"]);
    assert!(
        run.stdout
            .contains("soft slow@example.net: soft bounce 1 of 3"),
        "{}",
        run.stdout
    );
}

on_both_stores! {
    fn a_mailto_unsubscribe_request_with_our_token_unsubscribes() {
        let site = site("", "");
        site.write("list.csv", "email\nreader@example.net\nother@example.net\n");
        gazette(&site, &["subscribers", "import", "list.csv"]);
        let token = gazette::subscribers::tokens::unsubscribe(SECRET, "reader@example.net");
        let request = |id: &str, token: &str| {
            format!("From: Reader <reader@example.net>\r\nTo: leave@example.org\r\nSubject: unsubscribe {token}\r\nMessage-ID: <{id}@example.net>\r\n\r\n\r\n")
        };
        site.write("mail/new/1", &request("u1", &token))
            .write(
                "mail/new/2",
                &request("u2", "0123456789abcdef0123456789abcdef"),
            )
            // The subject our header asks for, to another address: not a request to us.
            .write(
                "mail/new/3",
                &request("u3", &token).replace("To: leave@", "To: someone@"),
            );
        let run = gazette(&site, &["bounces", "mail"]);
        assert!(
            run.stdout
                .contains("mail/new/1: unsubscribe reader@example.net: unsubscribed"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout
                .contains("mail/new/2: unsubscribe -: unknown unsubscribe token"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("mail/new/3: other -: not a bounce"),
            "{}",
            run.stdout
        );
        let list = gazette(&site, &["subscribers", "list"]);
        assert!(
            list.stdout
                .lines()
                .any(|l| l.starts_with("unsubscribed") && l.contains("reader@")),
            "{}",
            list.stdout
        );
        assert!(
            list.stdout
                .lines()
                .any(|l| l.starts_with("active") && l.contains("other@")),
            "{}",
            list.stdout
        );
        let history = gazette(&site, &["subscribers", "history", "reader@example.net"]);
        assert!(
            history.stdout.contains("mailto (request <u1@example.net>"),
            "{}",
            history.stdout
        );
    }
}

on_both_stores! {
    fn verp_return_paths_name_the_recipient_of_a_bounce() {
        let smtp = SmtpServer::start();
        let site = site(&smtp.config(), "");
        let config = site.read("config.toml").replace(
            "[digest]\n",
            "[digest]\nreturn_path = \"bounce+{token}@example.org\"\n",
        );
        site.write("config.toml", &config);
        let run = gazette(&site, &["digest", "--send", "--now", NOW]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        let received = wait_for(&smtp, "listed@example.net", 1);
        let token = gazette::subscribers::tokens::unsubscribe(SECRET, "listed@example.net");
        assert_eq!(received[0].from, format!("bounce+{token}@example.org"));
        // The mailbox forwarded to another address, which bounced: only the
        // VERP address says whose it was.
        let bounce = dsn(
            "v1",
            "forwarded@elsewhere.example",
            "failed",
            "5.1.1",
            "<unknown@x>",
        )
        .replace(
            "To: digest@example.org",
            &format!("To: bounce+{token}@example.org"),
        );
        site.write(
            "forged.eml",
            &bounce
                .replace(&token, "0123456789abcdef0123456789abcdef")
                .replace("v1@", "v0@"),
        );
        let run = gazette(&site, &["bounces", "forged.eml"]);
        assert!(
            run.stdout.contains("unverified: left alone"),
            "{}{}",
            run.stdout,
            run.stderr
        );
        site.write("bounce.eml", &bounce);
        let run = gazette(&site, &["bounces", "bounce.eml"]);
        assert!(
            run.stdout.contains("hard listed@example.net: bounced"),
            "{}{}",
            run.stdout,
            run.stderr
        );
    }
}
