//! Several hosts on one ledger: two `gazette serve` and two shard senders
//! sharing one database, as two machines behind a proxy would (on both
//! stores; on PostgreSQL that is the set-up for real hosts).

use std::collections::HashMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::serve::{gazette, one_click, request, serve, sign_up, site, SECRET};
use crate::smtp::{Received, SmtpServer};
use crate::support::*;

const READERS: usize = 120;

/// A site with `READERS` active readers in its ledger and one post to mail.
fn shared_site(smtp: &SmtpServer) -> TestSite {
    let site = site(&smtp.config(), "");
    let mut list = String::from("email,name\n");
    for i in 0..READERS {
        list.push_str(&format!("reader{i}@example.net,Reader {i}\n"));
    }
    site.write("subscribers.csv", &list);
    let imported = gazette(&site, &["subscribers", "import", "subscribers.csv"]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    site
}

fn sender(site: &TestSite, shard: &str) -> Child {
    site.command(&[
        "digest", "--send", "--quiet", "--now", NOW, "--shard", shard,
    ])
    .env("GAZETTE_DIGEST_SECRET", SECRET)
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap()
}

fn finished(child: Child) {
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn is_digest(received: &Received) -> bool {
    let text = String::from_utf8_lossy(&received.data);
    text.lines()
        .any(|l| l.starts_with("Subject:") && l.contains("new post"))
}

/// Digest messages received, by recipient.
fn digests_by_recipient(smtp: &SmtpServer) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for received in smtp.received().iter().filter(|r| is_digest(r)) {
        for to in &received.to {
            *counts.entry(to.clone()).or_insert(0) += 1;
        }
    }
    counts
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The consent log of `email` as `subscribers export` gives it.
fn history(site: &TestSite, email: &str) -> Vec<String> {
    let run = gazette(site, &["subscribers", "export", email]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let data: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    data["history"]
        .as_array()
        .unwrap_or_else(|| panic!("no consent log in {}", run.stdout))
        .iter()
        .map(|event| event["change"].as_str().unwrap_or_default().to_string())
        .collect()
}

on_both_stores! {
    /// Sign-ups on one server, confirmations and unsubscribes on the other,
    /// while two shard senders run: each reader gets the digest once, one
    /// who left before it was planned gets none, and every consent event
    /// is in the log.
    fn two_servers_and_two_senders_share_one_list() {
        let smtp = SmtpServer::start();
        smtp.faults(|f| f.delay = Duration::from_millis(50));
        let site = shared_site(&smtp);
        let a = serve(&site);
        let b = serve(&site);
        for i in 0..5 {
            one_click(b.port, &format!("reader{i}@example.net"));
        }
        let senders = [sender(&site, "1/2"), sender(&site, "2/2")];
        for i in 0..5 {
            sign_up(a.port, &format!("new{i}@example.net"));
        }
        for i in 10..15 {
            one_click(b.port, &format!("reader{i}@example.net"));
        }
        // Each confirmation link, from the mail server A sent, opened on B.
        for i in 0..5 {
            let to = format!("new{i}@example.net");
            wait_until("a confirmation", || {
                smtp.received().iter().any(|r| r.to.contains(&to))
            });
            let message = smtp
                .received()
                .into_iter()
                .find(|r| r.to.contains(&to))
                .unwrap();
            let text = String::from_utf8_lossy(&message.data).replace("=\r\n", "");
            let start = text.find("https://example.org/blog/confirm?token=").unwrap();
            let link: String = text[start..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
                .collect();
            let path = link.trim_start_matches("https://example.org").replace("=3D", "=");
            let confirmed = request(b.port, "POST", &path, "");
            assert_eq!(confirmed.status, 200, "{}", confirmed.body);
        }
        for child in senders {
            finished(child);
        }
        let counts = digests_by_recipient(&smtp);
        for i in 0..READERS {
            let email = format!("reader{i}@example.net");
            let got = counts.get(&email).copied().unwrap_or(0);
            match i {
                0..=4 => assert_eq!(got, 0, "{email} left before the digest"),
                10..=14 => assert!(got <= 1, "{email} got {got}"),
                _ => assert_eq!(got, 1, "{email}"),
            }
        }
        for i in 0..5 {
            let email = format!("new{i}@example.net");
            let log = history(&site, &email);
            assert_eq!(log, ["signed-up", "confirmed"], "{email}");
        }
        for i in (0..5).chain(10..15) {
            let email = format!("reader{i}@example.net");
            assert!(
                history(&site, &email).contains(&"unsubscribed".to_string()),
                "{email}: {:?}",
                history(&site, &email)
            );
        }
    }
}

on_both_stores! {
    /// A sender killed mid-send (SIGKILL): the other shard finishes its
    /// part, the killed shard is finished by running it again, and only
    /// what was in flight at the kill (at most `digest.in_flight` messages
    /// per connection) goes out twice.
    fn a_sender_killed_mid_send_is_finished_by_another_run() {
        let smtp = SmtpServer::start();
        smtp.faults(|f| f.delay = Duration::from_millis(100));
        let site = shared_site(&smtp);
        let mut first = sender(&site, "1/2");
        let second = sender(&site, "2/2");
        wait_until("the first messages", || digests_by_recipient(&smtp).len() >= 10);
        assert!(
            first.try_wait().unwrap().is_none(),
            "the sender finished before it could be killed"
        );
        first.kill().unwrap();
        first.wait().unwrap();
        finished(second);
        finished(sender(&site, "1/2"));
        let counts = digests_by_recipient(&smtp);
        let missing: Vec<String> = (0..READERS)
            .map(|i| format!("reader{i}@example.net"))
            .filter(|email| !counts.contains_key(email))
            .collect();
        assert!(missing.is_empty(), "never sent: {missing:?}");
        let twice: usize = counts.values().map(|n| n - 1).sum();
        // The default 4 connections of 8 in flight: at most 32 at the kill.
        assert!(twice <= 4 * 8, "{twice} messages went out twice: {counts:?}");
    }
}
