//! `gazette digest` against a real SMTP server on 127.0.0.1: what arrives,
//! and what happens when the server or the process misbehaves.

use std::collections::HashMap;

use mail_parser::MessageParser;

use crate::smtp::{Received, SmtpServer};
use crate::support::*;

const DIGEST: &str = r#"[digest]
from = "Test Site <digest@example.org>"
subject = "{{ site.title }} digest for {{ subscriber.name | default(value='you') }}: {{ posts.0.title }}"
unsubscribe_url = "https://example.org/unsubscribe?token={token}"
unsubscribe_mailto = "leave@example.org"
retry_delay_ms = 10
attempts = 4
"#;

fn subscribers(count: usize) -> String {
    let mut csv = String::from("email,name,plan\n");
    for i in 0..count {
        csv.push_str(&format!("reader{i}@example.net,Reader {i},plan-{i}\n"));
    }
    csv
}

/// A site with two posts in the last week, `count` subscribers, and `smtp`.
fn site(smtp: &str, count: usize) -> TestSite {
    let site = TestSite::new(&format!("{DIGEST}{smtp}"));
    site.write(
        "content/one.md",
        &post("First news", "2025-05-28", "summary: The first summary.\n"),
    )
    .write(
        "content/two.md",
        &post("Second news", "2025-05-30 12:00", ""),
    )
    .write("content/old.md", &post("Old news", "2025-01-01", ""))
    .write("subscribers.csv", &subscribers(count));
    site
}

fn send(site: &TestSite) -> Run {
    site.run(&["digest", "--send", "--now", NOW])
}

fn per_recipient(received: &[Received]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for message in received {
        assert_eq!(message.to.len(), 1, "one recipient per message");
        *counts.entry(message.to[0].clone()).or_insert(0) += 1;
    }
    counts
}

on_both_stores! {
    fn each_subscriber_gets_one_complete_message_over_starttls_and_auth() {
        let server = SmtpServer::start();
        let site = site(&server.config(), 3);
        site.write(
            "subscribers.csv",
            "email,name,plan\nreader0@example.net,Reader 0,gold\nreader1@example.net,,free\nbroken-address,X,free\nreader2@example.net,\"Evil\r\nBcc: victim@example.com\",free\n",
        );
        let run = send(&site);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        assert!(
            run.stderr
                .contains("subscribers.csv:4: warning: invalid e-mail address \"broken-address\""),
            "{}",
            run.stderr
        );
        assert!(
            run.stdout
                .contains("3 sent, 0 skipped, 0 failed, 0 pending; complete"),
            "{}",
            run.stdout
        );

        let received = server.received();
        assert_eq!(received.len(), 3);
        let mut tokens = Vec::new();
        for message in &received {
            assert!(message.authenticated, "AUTH was not used");
            let parsed = MessageParser::default()
                .parse(&message.data)
                .expect("a parsable message");
            let to = message.to[0].as_str();
            let text = parsed.body_text(0).expect("a text part").into_owned();
            let html = parsed.body_html(0).expect("an HTML part").into_owned();
            assert!(
                text.contains("First news")
                    && text.contains("Second news")
                    && !text.contains("Old news"),
                "{text}"
            );
            assert!(
                text.contains("The first summary.")
                    && text.contains("https://example.org/blog/posts/one/")
            );
            assert!(
                html.contains("First news") && html.contains("style=\""),
                "CSS is inlined: {html}"
            );
            assert!(parsed.date().is_some());
            let message_id = parsed.message_id().expect("a Message-ID");
            assert!(message_id.ends_with("@example.org"), "{message_id}");
            let unsubscribe = parsed
                .header_raw("List-Unsubscribe")
                .expect("List-Unsubscribe");
            let token = unsubscribe.split("token=").nth(1).unwrap()[..32].to_string();
            assert!(
                unsubscribe.contains("<mailto:leave@example.org?subject=unsubscribe%20"),
                "{unsubscribe}"
            );
            tokens.push(token);
            assert_eq!(
                parsed.header_raw("List-Unsubscribe-Post").map(str::trim),
                Some("List-Unsubscribe=One-Click")
            );
            assert!(parsed.to().unwrap().first().unwrap().address().unwrap() == to);
            let subject = parsed.subject().unwrap();
            match to {
                "reader0@example.net" => {
                    assert_eq!(subject, "Test Site digest for Reader 0: First news");
                    assert!(text.contains("Hello Reader 0"));
                }
                "reader1@example.net" => assert_eq!(subject, "Test Site digest for you: First news"),
                _ => assert_eq!(
                    subject,
                    "Test Site digest for Evil Bcc: victim@example.com: First news"
                ),
            }
            // No line of the raw header section may be an injected header.
            let raw = String::from_utf8_lossy(&message.data);
            let headers = &raw[..raw.find("\r\n\r\n").unwrap()];
            assert!(
                !headers
                    .lines()
                    .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
                "{headers}"
            );
        }
        tokens.sort();
        tokens.dedup();
        assert_eq!(tokens.len(), 3, "each subscriber has a token of their own");
    }
}

on_both_stores! {
    fn a_second_run_sends_nothing_and_a_new_post_makes_a_new_digest() {
        let server = SmtpServer::start();
        let site = site(&server.config(), 2);
        assert_eq!(send(&site).code, 0);
        let again = send(&site);
        assert_eq!(again.code, 0, "{}", again.stderr);
        assert!(again.stdout.contains("nothing to send"), "{}", again.stdout);
        assert_eq!(server.received().len(), 2);

        site.write("content/three.md", &post("Third news", "2025-06-02", ""));
        let later = site.run(&["digest", "--send", "--now", "2025-06-03T00:00:00Z"]);
        assert_eq!(later.code, 0, "{}", later.stderr);
        let received = server.received();
        assert_eq!(received.len(), 4);
        for message in &received[2..] {
            let parsed = MessageParser::default().parse(&message.data).unwrap();
            let text = parsed.body_text(0).unwrap();
            assert!(
                text.contains("Third news") && !text.contains("First news"),
                "{text}"
            );
        }
        let status = site.run(&["digest", "status"]);
        assert_eq!(status.stdout.lines().count(), 2, "{}", status.stdout);
        assert!(
            status
                .stdout
                .lines()
                .all(|l| l.contains("sent 2") && l.contains("complete")),
            "{}",
            status.stdout
        );
    }
}

on_both_stores! {
    fn temporary_failures_are_retried_and_delivered_once() {
        let server = SmtpServer::start();
        server.faults(|f| f.defer_first = 3);
        let site = site(&server.config(), 3);
        let run = send(&site);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        assert_eq!(server.deferred(), 3, "the server deferred three attempts");
        let counts = per_recipient(&server.received());
        assert_eq!(counts.len(), 3);
        assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    }
}

on_both_stores! {
    fn a_permanent_failure_is_recorded_and_the_rest_delivered() {
        let server = SmtpServer::start();
        server.faults(|f| f.reject = vec!["reader1@example.net".into()]);
        let site = site(&server.config(), 3);
        let run = send(&site);
        assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
        assert!(
            run.stdout
                .contains("2 sent, 0 skipped, 1 failed, 0 pending"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("failed: reader1@example.net: 550"),
            "{}",
            run.stdout
        );
        let counts = per_recipient(&server.received());
        assert_eq!(counts.keys().len(), 2);
        assert!(!counts.contains_key("reader1@example.net"));
        // Refused for good: the digest is complete and nobody is retried.
        let again = send(&site);
        assert_eq!(again.code, 0, "{}", again.stdout);
        assert_eq!(server.received().len(), 2);

        // The refusal at RCPT is the bounce (no DSN ever comes): the address is
        // bounced, with the server's answer as evidence, and the next digest
        // does not try it again.
        let bounced = site.run(&["subscribers", "list", "--state", "bounced"]);
        assert!(
            bounced.stdout.contains("reader1@example.net"),
            "{}",
            bounced.stdout
        );
        let history = site.run(&["subscribers", "history", "reader1@example.net"]);
        assert!(
            history.stdout.contains("bounced") && history.stdout.contains("rcpt (550"),
            "{}",
            history.stdout
        );
        site.write("content/three.md", &post("Third news", "2025-06-03", ""));
        let next = site.run(&["digest", "--send", "--now", "2025-06-08T00:00:00Z"]);
        assert_eq!(next.code, 0, "{}\n{}", next.stdout, next.stderr);
        assert!(
            next.stdout.contains("2 sent, 0 skipped, 0 failed"),
            "{}",
            next.stdout
        );
        assert_eq!(server.received().len(), 4);
    }
}

#[test]
fn a_lost_server_is_finished_by_running_again() {
    let server = SmtpServer::start();
    server.faults(|f| f.go_down_after = Some(4));
    let site = site(&server.config(), 10);
    let run = send(&site);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("incomplete: run the same command again"),
        "{}",
        run.stdout
    );
    assert_eq!(server.received().len(), 4);

    server.faults(|f| f.go_down_after = None);
    let rerun = send(&site);
    assert_eq!(rerun.code, 0, "{}\n{}", rerun.stdout, rerun.stderr);
    assert!(rerun.stdout.contains("resuming"), "{}", rerun.stdout);
    let counts = per_recipient(&server.received());
    assert_eq!(counts.len(), 10, "{counts:?}");
    assert!(
        counts.values().all(|&n| n == 1),
        "somebody got it twice: {counts:?}"
    );
}

on_both_stores! {
    #[cfg(unix)]
    fn a_killed_run_is_finished_by_running_again() {
        let server = SmtpServer::start();
        server.faults(|f| f.delay = std::time::Duration::from_millis(40));
        let site = site(&server.config(), 30);
        let config = site
            .read("config.toml")
            .replace("[digest]\n", "[digest]\nconnections = 2\nin_flight = 3\n");
        site.write("config.toml", &config);
        let mut child = site
            .command(&["digest", "--send", "--now", NOW])
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while server.received().len() < 8 {
            assert!(
                std::time::Instant::now() < deadline,
                "the run never got going"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL: no chance to clean up
        child.wait().unwrap();
        let before = server.received().len();
        assert!(before < 30, "the run finished before the kill");

        server.faults(|f| f.delay = std::time::Duration::ZERO);
        let rerun = send(&site);
        assert_eq!(rerun.code, 0, "{}\n{}", rerun.stdout, rerun.stderr);
        let counts = per_recipient(&server.received());
        assert_eq!(counts.len(), 30, "everybody gets the digest: {counts:?}");
        let twice: Vec<_> = counts.iter().filter(|(_, &n)| n > 1).collect();
        // At most the three messages in flight on each of the two connections are sent again.
        assert!(
            twice.len() <= 2 * 3 && counts.values().all(|&n| n <= 2),
            "{twice:?}"
        );
    }
}

#[test]
fn without_smtp_the_digest_goes_to_the_outbox() {
    let site = site("", 2);
    let run = send(&site);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outbox = site.path("outbox/2025-06-01T00-00-00Z");
    let mut files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "00000-reader0@example.net.eml",
            "00001-reader1@example.net.eml"
        ]
    );
    let parsed_bytes = std::fs::read(outbox.join(&files[0])).unwrap();
    let parsed = MessageParser::default().parse(&parsed_bytes).unwrap();
    assert!(parsed.body_text(0).unwrap().contains("First news"));
    let again = send(&site);
    assert!(again.stdout.contains("nothing to send"));
}

#[test]
fn preview_dry_run_and_test_sends_record_nothing() {
    let server = SmtpServer::start();
    let site = site(&server.config(), 2);
    let preview = site.run(&["digest", "--preview", "look", "--now", NOW]);
    assert_eq!(preview.code, 0, "{}", preview.stderr);
    assert!(site.path("look/digest.html").exists());
    assert!(site
        .path("look/2025-06-01T00-00-00Z/00001-reader1@example.net.eml")
        .exists());

    let dry = site.run(&["digest", "--dry-run", "--now", NOW]);
    assert_eq!(dry.code, 0);
    assert!(
        dry.stdout.contains("would send") && dry.stdout.contains("reader1@example.net"),
        "{}",
        dry.stdout
    );

    let test = site.run(&["digest", "--to", "me@example.org", "--now", NOW]);
    assert_eq!(test.code, 0, "{}", test.stderr);
    assert_eq!(server.received().len(), 1);
    assert_eq!(server.received()[0].to, ["me@example.org"]);

    // None of that counts as the real digest.
    let real = send(&site);
    assert_eq!(real.code, 0, "{}", real.stderr);
    assert_eq!(server.received().len(), 3);
}

#[test]
fn no_new_posts_means_no_mail() {
    let server = SmtpServer::start();
    let site = site(&server.config(), 2);
    let run = site.run(&[
        "digest",
        "--send",
        "--now",
        "2025-12-01T00:00:00Z",
        "--days",
        "3",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("nothing to send"));
    assert!(server.received().is_empty());
}

#[test]
fn a_wrong_password_stops_the_run_without_failing_recipients() {
    let server = SmtpServer::start();
    let site = site(&server.config(), 2);
    let missing = site
        .command(&["digest", "--send", "--now", NOW])
        .env_remove("TEST_SMTP_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("$TEST_SMTP_PASSWORD"));

    let wrong = site
        .command(&["digest", "--send", "--now", NOW])
        .env("TEST_SMTP_PASSWORD", "wrong")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&wrong.stdout);
    assert_eq!(wrong.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("refused the session"), "{stdout}");
    assert!(server.received().is_empty());
    assert_eq!(
        server.logins(),
        1,
        "one login attempt, never a retry per connection"
    );
    let status = site.run(&["digest", "status"]);
    assert!(
        status.stdout.contains("failed 0 pending 2"),
        "{}",
        status.stdout
    );

    // With the right password the same digest is finished.
    let fixed = send(&site);
    assert_eq!(fixed.code, 0, "{}", fixed.stdout);
    assert_eq!(per_recipient(&server.received()).len(), 2);
}

#[test]
fn messages_are_dkim_signed_when_a_key_is_configured() {
    let site = site("", 1);
    let config = site.read("config.toml").replace(
        "[digest]\n",
        "[digest]\ndkim = { selector = \"sel\", private_key_file = \"dkim.key\", algorithm = \"ed25519\" }\n",
    );
    site.write("config.toml", &config)
        .write("dkim.key", "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n");
    let run = send(&site);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site.path("outbox/2025-06-01T00-00-00Z/00000-reader0@example.net.eml");
    let bytes = std::fs::read(path).unwrap();
    let parsed = MessageParser::default().parse(&bytes).unwrap();
    let signature = parsed
        .header_raw("DKIM-Signature")
        .expect("a DKIM-Signature header");
    let compact: String = signature.split_whitespace().collect();
    for part in [
        "a=ed25519-sha256",
        "d=example.org",
        "s=sel",
        "list-unsubscribe:list-unsubscribe-post",
        "bh=",
        "b=",
    ] {
        assert!(compact.contains(part), "{part} missing in {compact}");
    }

    // The PKCS#8 files `openssl genpkey` and Debian 12's `opendkim-genkey` write.
    site.write(
        "dkim.key",
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDzHnvV4rCB1YJCfg9wZOLetntaOj894joEeZbPoT8ql\n-----END PRIVATE KEY-----\n",
    );
    let pkcs8 = site.run(&["digest", "--dry-run", "--days", "30", "--now", NOW]);
    assert_eq!(pkcs8.code, 0, "{}", pkcs8.stderr);
    site.write(
        "config.toml",
        &config.replace("algorithm = \"ed25519\"", "algorithm = \"rsa\""),
    )
    .write("dkim.key", RSA_PKCS8);
    let rsa = site.run(&["digest", "--dry-run", "--days", "30", "--now", NOW]);
    assert_eq!(rsa.code, 0, "{}", rsa.stderr);

    site.write("dkim.key", "not a key");
    let bad = site.run(&["digest", "--dry-run", "--days", "30", "--now", NOW]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("private_key_file"), "{}", bad.stderr);
    assert!(
        bad.stderr
            .contains("dkim.key: not an RSA private key in PEM"),
        "{}",
        bad.stderr
    );
    assert!(
        !bad.stderr.contains("DkimSigningKeyError"),
        "no debug text: {}",
        bad.stderr
    );
}

/// A 1024-bit RSA key in PKCS#8, made for this test with `openssl genpkey`.
const RSA_PKCS8: &str = "-----BEGIN PRIVATE KEY-----\nMIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAMsj/HZxeCcOZi41\neDRtkmgnEuRgoCmcHAy/ah/Tk0uW3XlD4clFAltqvjYa+pp+Spj/Jytaa3sK7l5H\n8K0CLAm/w51DlLEporDLZ+P6BAWSM4/XS0p0iC+07WQH63QTSYCqWCr8RZm8ARaJ\ny9vYGfnaMlYliPDetCpZ3Eso4rzLAgMBAAECgYAv9FPR5iF2HtkSSX8R6VfpjGfS\nT9kfWYHppHo5/ylDa97mlJbFe6v9xqoWfbHxLKURjxJBErxStJbm3Na9EMkyLD4U\nECkLfHa8iwAd5vJ8rrOSYaxvfhxO0k+7k9qqJiQG5+fBeWpwiTa91HauIjHf2Cic\nG3kzWnBaOI9ARM9pmQJBAOwg3EYTgtTIGiYRJUC/lTL3hMW/bQfwmRkNyPcxW8Sj\n7tswDrja4Dyox/ye5u0rQICU1DfCQWs5Q+EhHKMyCL0CQQDcPHArml8aln9ArAfC\n8OHdiMVNTQhryN3d79Lec+9sLi56aHjoXBTLIELZaoj7rZPWVvaAbYhSvP627ILt\ni4gnAkBVV/8lWNH1pClHTvUe9N+xHyMe8fQvZXeARao4Jd/cL8AZ+sGncHyRkBNQ\nLAKc///9OU2GpbBNV9I/4V7fYSslAkEAyehy4da2CBcfdPgCaZsTR1mjoPnVlZNi\nrJy40w6w2poALGLpLgV1XsAl6VN9YFdDKQczGIzSpR/12Vg9tG/ukwJAFZDrKPZ4\nH7/py/JQPiP8gyLKucvhMI9ZcIWiRnTKpS5YhewHwmJDTbQRRjAAsDQNUMg1vJ3J\nwNF0qdWr7SErRA==\n-----END PRIVATE KEY-----\n";

/// Two runs on one ledger, the second started `gap` after the first: each
/// recipient gets the digest exactly once, and a run that found the ledger
/// busy says who holds it.
fn overlapping_runs(gap: std::time::Duration) {
    let server = SmtpServer::start();
    // 40 messages at 150 ms over 4 connections take at least 1.5 s: the first
    // run is still sending when the second starts, however fast the machine.
    server.faults(|f| f.delay = std::time::Duration::from_millis(150));
    let site = site(&server.config(), 40);
    let first = site
        .command(&["digest", "--send", "--now", NOW])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(gap);
    let second = site
        .command(&["digest", "--send", "--now", NOW])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let outputs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let counts = per_recipient(&server.received());
    assert_eq!(counts.len(), 40, "everybody gets the digest: {counts:?}");
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    let codes: Vec<i32> = outputs
        .iter()
        .map(|o| o.status.code().unwrap_or(-1))
        .collect();
    let locked_out = outputs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).contains("another run is"))
        .count();
    assert_eq!(locked_out, 1, "{outputs:?}");
    let mut codes = codes;
    codes.sort();
    assert_eq!(codes, [0, 3], "the turned-away run exits 3: {outputs:?}");
    let status = site.run(&["digest", "status"]);
    assert!(status.stdout.contains("sent 40"), "{}", status.stdout);
}

on_both_stores! {
    fn runs_started_together_send_each_message_once() {
        overlapping_runs(std::time::Duration::ZERO);
    }
}

#[test]
fn runs_started_a_second_apart_send_each_message_once() {
    overlapping_runs(std::time::Duration::from_secs(1));
}

#[cfg(unix)]
#[test]
fn status_and_previews_read_a_read_only_ledger() {
    use std::os::unix::fs::PermissionsExt;
    let site = site("", 2);
    assert_eq!(send(&site).code, 0);
    let ledger = site.path(".gazette/digest.sqlite");
    let before = std::fs::read(&ledger).unwrap();
    std::fs::set_permissions(&ledger, std::fs::Permissions::from_mode(0o444)).unwrap();
    let status = site.run(&["digest", "status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains("sent 2"), "{}", status.stdout);
    let plain = site.run(&["digest", "--now", NOW, "--days", "30"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let dry = site.run(&["digest", "--dry-run", "--now", NOW, "--days", "30"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(
        std::fs::read(&ledger).unwrap(),
        before,
        "nothing was written"
    );
}

#[test]
fn an_empty_or_foreign_ledger_is_an_error_never_a_fresh_start() {
    let site = site("", 2);
    site.write(".gazette/digest.sqlite", "");
    for args in [
        &["digest", "--send", "--now", NOW][..],
        &["digest", "status"],
    ] {
        let run = site.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("empty (0 bytes)"), "{}", run.stderr);
    }
    assert!(!site.path("outbox").exists(), "nothing was sent");

    let foreign = foreign_sqlite_file();
    site.write_bytes(".gazette/digest.sqlite", &foreign);
    let run = site.run(&["digest", "--send", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a gazette ledger"),
        "{}",
        run.stderr
    );
    assert!(!site.path("outbox").exists(), "nothing was sent");
}

/// A valid SQLite file of some other program.
fn foreign_sqlite_file() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    drop(conn);
    std::fs::read(&path).unwrap()
}

#[test]
fn numbers_out_of_range_are_errors_not_panics() {
    let site = site("", 1);
    let run = site.run(&["digest", "--days", "4294967295", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--days 4294967295"), "{}", run.stderr);
    let config = site.read("config.toml");
    for (setting, key) in [
        ("rate_limit = 1e-300", "digest.rate_limit"),
        ("connections = 100000", "digest.connections"),
        ("in_flight = 0", "digest.in_flight"),
        ("in_flight = 5000", "digest.in_flight"),
        ("first_days = 4294967295", "first_days"),
    ] {
        site.write(
            "config.toml",
            &config.replace("[digest]\n", &format!("[digest]\n{setting}\n")),
        );
        let run = site.run(&["digest", "--send", "--now", NOW]);
        assert_eq!(run.code, 2, "{setting}: {}", run.stderr);
        assert!(run.stderr.contains(key), "{setting}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn control_characters_never_reach_an_email() {
    let site = site("", 1);
    site.write(
        "content/one.md",
        "---\ntitle: \"First\\vnews\"\ndate: '2025-05-28'\n---\nText with an escape \u{1b}[31m and a vertical\u{b}tab, <script>alert(1)</script>.\n",
    );
    let run = send(&site);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outbox = site.path("outbox/2025-06-01T00-00-00Z");
    let file = std::fs::read_dir(&outbox)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let bytes = std::fs::read(file).unwrap();
    let parsed = MessageParser::default().parse(&bytes).unwrap();
    let text = parsed.body_text(0).unwrap().into_owned();
    let html = parsed.body_html(0).unwrap().into_owned();
    for part in [&text, &html] {
        assert!(
            !part.contains('\u{b}') && !part.contains('\u{1b}'),
            "{part:?}"
        );
    }
    assert!(
        text.contains("First") && html.contains("vertical"),
        "{text}"
    );
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
}

#[test]
fn a_bad_subscriber_row_fails_only_that_recipient() {
    let server = SmtpServer::start();
    let site = site(&server.config(), 0);
    let config = site
        .read("config.toml")
        .replace("subject = \"", "subject = \"{{ subscriber.first }} ");
    site.write("config.toml", &config);
    site.write(
        "subscribers.csv",
        "email,name,first\nann@example.net,Ann,Ann\nbob@example.net,Bob\ncid@example.net,Cid,Cid\n",
    );
    let run = send(&site);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("failed: bob@example.net: subscribers.csv:3:"),
        "{}",
        run.stdout
    );
    let counts = per_recipient(&server.received());
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert!(!counts.contains_key("bob@example.net"));
    // The digest is complete (one failure recorded), so the next one can start.
    let status = site.run(&["digest", "status"]);
    assert!(status.stdout.contains("complete"), "{}", status.stdout);
}

on_both_stores! {
    fn a_retracted_post_leaves_the_rest_of_an_interrupted_digest() {
        let server = SmtpServer::start();
        server.faults(|f| f.go_down_after = Some(3));
        let site = site(&server.config(), 8);
        assert_eq!(send(&site).code, 3);
        assert_eq!(server.received().len(), 3);
        // While the digest is unfinished, one post becomes a draft and the other
        // is edited: the rest get the digest as planned, without the draft.
        site.write(
            "content/two.md",
            &post("Second news", "2025-05-30 12:00", "draft: true\n"),
        )
        .write(
            "content/one.md",
            &post("First news", "2025-05-28", "summary: An EDITED summary.\n"),
        );
        server.faults(|f| f.go_down_after = None);
        let rerun = send(&site);
        assert_eq!(rerun.code, 0, "{}\n{}", rerun.stdout, rerun.stderr);
        assert!(
            rerun.stdout.contains("\"Second news\" no longer published"),
            "{}",
            rerun.stdout
        );
        let received = server.received();
        let counts = per_recipient(&received);
        assert_eq!(counts.len(), 8, "{counts:?}");
        assert!(counts.values().all(|&n| n == 1), "{counts:?}");
        for message in &received[3..] {
            let parsed = MessageParser::default().parse(&message.data).unwrap();
            let text = parsed.body_text(0).unwrap();
            assert!(!text.contains("Second news"), "the draft went out: {text}");
            let html = parsed.body_html(0).unwrap();
            assert!(
                html.contains("The first summary.") && !html.contains("EDITED"),
                "every recipient gets the text as planned: {html}"
            );
        }
    }
}

on_both_stores! {
    fn a_post_published_late_is_mailed_once() {
        let server = SmtpServer::start();
        let site = site(&server.config(), 2);
        // A draft dated before the first digest's cut-off.
        site.write(
            "content/late.md",
            &post("Late news", "2025-05-29", "draft: true\n"),
        );
        assert_eq!(send(&site).code, 0);
        assert_eq!(server.received().len(), 2);
        // Published after that digest, still carrying its old date.
        site.write("content/late.md", &post("Late news", "2025-05-29", ""));
        let later = site.run(&["digest", "--send", "--now", "2025-06-03T00:00:00Z"]);
        assert_eq!(later.code, 0, "{}", later.stderr);
        let received = server.received();
        assert_eq!(received.len(), 4, "the late post makes a digest");
        for message in &received[2..] {
            let parsed = MessageParser::default().parse(&message.data).unwrap();
            let text = parsed.body_text(0).unwrap();
            assert!(
                text.contains("Late news") && !text.contains("First news"),
                "{text}"
            );
        }
        let again = site.run(&["digest", "--send", "--now", "2025-06-04T00:00:00Z"]);
        assert!(again.stdout.contains("nothing to send"), "{}", again.stdout);
        assert_eq!(server.received().len(), 4, "once only");
    }
}

/// A `sendmail` stand-in: records its arguments and the message, and exits
/// with the status the test gives a recipient (default 0).
#[cfg(unix)]
fn fake_sendmail(site: &TestSite, statuses: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = site.path("fake-sendmail.sh");
    let spool = site.path("spool");
    std::fs::create_dir_all(&spool).unwrap();
    site.write(
        "fake-sendmail.sh",
        &format!(
            "#!/bin/sh\nrcpt=\"$5\"\ncase \"$rcpt\" in\n{statuses}\nesac\nprintf '%s\\n' \"$@\" > {spool}/$rcpt.args\ncat > {spool}/$rcpt.eml\nexit 0\n",
            spool = spool.display()
        ),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[cfg(unix)]
#[test]
fn the_sendmail_transport_hands_each_message_to_the_mta() {
    let site = site("", 3);
    let script = fake_sendmail(
        &site,
        "reader1@example.net) echo 'unknown user' >&2; exit 67;;\nreader2@example.net) exit 75;;",
    );
    let config = site.read("config.toml").replace(
        "[digest]\n",
        &format!(
            // One connection: the messages go in order, so the deferral
            // (which stops the run) comes after the other two.
            "[digest]\ntransport = \"sendmail\"\nsendmail_path = \"{}\"\nconnections = 1\n",
            script.display()
        ),
    );
    site.write("config.toml", &config);
    let run = send(&site);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("exited with exit status: 67: unknown user"),
        "{}",
        run.stdout
    );
    let args = std::fs::read_to_string(site.path("spool/reader0@example.net.args")).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "-i",
            "-f",
            "digest@example.org",
            "--",
            "reader0@example.net"
        ]
    );
    let bytes = std::fs::read(site.path("spool/reader0@example.net.eml")).unwrap();
    let parsed = MessageParser::default().parse(&bytes).unwrap();
    assert!(parsed.body_text(0).unwrap().contains("First news"));
    // The temporary failure stays pending; the next run delivers it.
    let status = site.run(&["digest", "status"]);
    assert!(
        status
            .stdout
            .contains("sent 1 skipped 0 failed 1 pending 1"),
        "{}",
        status.stdout
    );
    fake_sendmail(&site, "reader1@example.net) exit 67;;");
    let rerun = send(&site);
    assert!(rerun.stdout.contains("2 sent"), "{}", rerun.stdout);
    assert!(site.path("spool/reader2@example.net.eml").exists());
}

on_both_stores! {
    fn shards_split_one_list_between_processes() {
        let server = SmtpServer::start();
        server.faults(|f| f.delay = std::time::Duration::from_millis(20));
        let site = site(&server.config(), 30);
        let spawn = |shard: &str| {
            site.command(&["digest", "--send", "--now", NOW, "--shard", shard])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (one, two) = (spawn("1/2"), spawn("2/2"));
        let outputs = [
            one.wait_with_output().unwrap(),
            two.wait_with_output().unwrap(),
        ];
        for output in &outputs {
            assert_eq!(output.status.code(), Some(0), "{output:?}");
        }
        let counts = per_recipient(&server.received());
        assert_eq!(counts.len(), 30, "{counts:?}");
        assert!(counts.values().all(|&n| n == 1), "{counts:?}");
        let status = site.run(&["digest", "status"]);
        assert_eq!(
            status.stdout.lines().count(),
            1,
            "one digest: {}",
            status.stdout
        );
        assert!(
            status.stdout.contains("sent 30") && status.stdout.contains("complete"),
            "{}",
            status.stdout
        );
        let bad = site.run(&["digest", "--send", "--shard", "3/2"]);
        assert_eq!(bad.code, 2, "{}", bad.stderr);
    }
}

#[test]
fn every_message_is_inlined_and_personal_whichever_way_it_was_composed() {
    // The first row makes the shared, pre-inlined form; the others reuse it
    // (same columns) or are inlined one by one (no name, other columns).
    let site = site("", 0);
    site.write(
        "subscribers.csv",
        "email,name,plan\nann@example.net,Ann,free\nobrien@example.net,O'Brien & <Co>,paid\nnoname@example.net,,free\nshort@example.net\n",
    );
    assert_eq!(send(&site).code, 0);
    let outbox = site.path("outbox/2025-06-01T00-00-00Z");
    let mut files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    let expected_names = ["Ann", "O'Brien &amp; &lt;Co&gt;", "", ""];
    for (file, name) in files.iter().zip(expected_names) {
        let bytes = std::fs::read(file).unwrap();
        let parsed = MessageParser::default().parse(&bytes).unwrap();
        // Escaping of `'` differs between the shared and the per-message form.
        let html = parsed
            .body_html(0)
            .unwrap()
            .replace("&#39;", "'")
            .replace("&#x27;", "'");
        assert!(
            !html.contains('\u{E000}') && !html.contains("gazette-probe"),
            "{html}"
        );
        assert!(html.contains("style=\""), "CSS inlined: {html}");
        if name.is_empty() {
            assert!(html.contains("Here are the"), "{html}");
        } else {
            let alternative = name.replace("&#x27;", "'");
            assert!(
                html.contains(&format!("Hello {name},"))
                    || html.contains(&format!("Hello {alternative},")),
                "{name} in {html}"
            );
        }
        let recipient = parsed
            .to()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_string();
        assert!(
            html.contains(&format!("because {recipient} subscribed")),
            "{html}"
        );
    }
}

#[test]
fn digest_words_follow_the_language() {
    let site = site("", 0);
    let config = site
        .read("config.toml")
        .replace("language = \"en\"", "language = \"zh-CN\"");
    site.write("config.toml", &config);
    site.write(
        "subscribers.csv",
        "email,name,language\nli@example.net,李雷,\nann@example.net,Ann,en\n",
    );
    assert_eq!(send(&site).code, 0);
    let outbox = site.path("outbox/2025-06-01T00-00-00Z");
    let mut files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let text = |file: &std::path::Path| {
        let bytes = std::fs::read(file).unwrap();
        let parsed = MessageParser::default().parse(&bytes).unwrap();
        (
            parsed.body_text(0).unwrap().into_owned(),
            parsed.body_html(0).unwrap().into_owned(),
        )
    };
    let (plain, html) = text(&files[0]);
    assert!(
        plain.contains("李雷，你好！") && html.contains("退订"),
        "{plain}"
    );
    assert!(!html.contains("Hello"), "{html}");
    let (plain, _) = text(&files[1]);
    assert!(
        plain.contains("Hello Ann,"),
        "a language column wins: {plain}"
    );
    site.build();
    assert!(site.read("feeds/index.html").contains("最新文章"));
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

#[test]
fn dark_mode_text_keeps_its_contrast() {
    let template = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/digest.html"
    ))
    .unwrap();
    let dark = &template[template.find("prefers-color-scheme: dark").unwrap()..];
    let dark = &dark[..dark.find("</style>").unwrap()];
    // Text colours only: `color:` right after `{` or `;`, not border colours.
    let pattern = regex::Regex::new(r"[{;]\s*color:\s*(#[0-9a-fA-F]{6})").unwrap();
    let colors: Vec<&str> = pattern
        .captures_iter(dark)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert!(colors.len() >= 5, "{colors:?}");
    for background in ["#111111", "#1f1f1f"] {
        for color in &colors {
            let (a, b) = (luminance(color), luminance(background));
            let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
            assert!(ratio >= 4.5, "{color} on {background}: {ratio:.2}");
        }
    }
    assert!(
        template.contains("@media (max-width: 480px) { .wrapper { padding: 12px 8px !important; }")
    );
}

on_both_stores! {
    fn an_announced_update_is_mailed_once_and_a_quiet_edit_never() {
        let server = SmtpServer::start();
        let site = site(&server.config(), 1);
        assert_eq!(send(&site).code, 0);
        assert_eq!(server.received().len(), 1);
        let body = |i: usize| {
            let received = server.received();
            let parsed = MessageParser::default().parse(&received[i].data).unwrap();
            parsed.body_text(0).unwrap().into_owned()
        };

        // An edit with a new `updated` date but no notice: nothing to send.
        site.write(
            "content/one.md",
            &post("First news", "2025-05-28", "updated: 2025-06-02\n"),
        );
        let quiet = site.run(&["digest", "--send", "--now", "2025-06-03T00:00:00Z"]);
        assert!(quiet.stdout.contains("nothing to send"), "{}", quiet.stdout);

        // Announced: the next digest carries it again, with the note, beside a
        // new post (news first).
        site.write(
            "content/one.md",
            &post(
                "First news",
                "2025-05-28",
                "updated: 2025-06-02\nupdate_notice: Corrected the figures\n",
            ),
        )
        .write(
            "content/three.md",
            &post("Third news", "2025-06-02 08:00", ""),
        );
        let announced = site.run(&["digest", "--send", "--now", "2025-06-03T00:00:00Z"]);
        assert_eq!(announced.code, 0, "{}", announced.stderr);
        assert_eq!(server.received().len(), 2);
        let text = body(1);
        let (third, first) = (text.find("Third news"), text.find("First news"));
        assert!(
            third.is_some() && first.is_some() && third < first,
            "{text}"
        );
        assert!(
            text.contains("Updated 2025-06-02: Corrected the figures"),
            "{text}"
        );
        assert!(!text.contains("Second news"), "{text}");

        // The same update is never sent twice, whatever runs next.
        let again = site.run(&["digest", "--send", "--now", "2025-06-04T00:00:00Z"]);
        assert!(again.stdout.contains("nothing to send"), "{}", again.stdout);

        // A later announced update is news again; a flag with no `updated`
        // date announces nothing and says so.
        site.write(
            "content/one.md",
            &post(
                "First news",
                "2025-05-28",
                "updated: 2025-06-05\nupdate_notice: true\n",
            ),
        )
        .write(
            "content/two.md",
            &post("Second news", "2025-05-30 12:00", "update_notice: true\n"),
        );
        let second = site.run(&["digest", "--send", "--now", "2025-06-06T00:00:00Z"]);
        assert_eq!(second.code, 0, "{}", second.stderr);
        assert!(
            second.stderr.contains("two.md") && second.stderr.contains("without an `updated` date"),
            "{}",
            second.stderr
        );
        assert_eq!(server.received().len(), 3);
        let text = body(2);
        assert!(
            text.contains("First news") && text.contains("Updated 2025-06-05"),
            "{text}"
        );
        assert!(!text.contains("Second news"), "{text}");
    }
}

on_both_stores! {
    fn a_run_with_nothing_to_mail_does_not_read_the_list() {
        let site = site("", 2);
        // A list with a bad row: reported when the list is read.
        site.write(
            "subscribers.csv",
            &format!("{}not an address,Nobody,x\n", subscribers(2)),
        );
        let first = send(&site);
        assert_eq!(first.code, 0, "{}", first.stderr);
        assert!(first.stderr.contains("subscribers.csv"), "{}", first.stderr);
        // From cron, most runs find nothing new: the list is not even read.
        let quiet = send(&site);
        assert_eq!(quiet.code, 0, "{}", quiet.stderr);
        assert!(quiet.stdout.contains("nothing to send"), "{}", quiet.stdout);
        assert!(
            !quiet.stderr.contains("subscribers.csv"),
            "{}",
            quiet.stderr
        );
        // Something to mail, the list as the ledger imported it: not read again.
        site.write("content/three.md", &post("Third news", "2025-06-02", ""));
        let later = site.run(&["digest", "--send", "--now", "2025-06-03T00:00:00Z"]);
        assert_eq!(later.code, 0, "{}", later.stderr);
        assert!(later.stdout.contains("Third news"), "{}", later.stdout);
        assert!(
            !later.stderr.contains("subscribers.csv"),
            "{}",
            later.stderr
        );
        // A changed list is read (someone new may be owed mail), and its problem reported.
        site.write(
            "subscribers.csv",
            &format!("{}not an address,Nobody,y\n", subscribers(3)),
        );
        let changed = site.run(&["digest", "--send", "--now", "2025-06-03T01:00:00Z"]);
        assert!(
            changed.stderr.contains("subscribers.csv"),
            "{}",
            changed.stderr
        );
    }
}

#[test]
fn each_connection_logs_in_once_however_long_the_list() {
    // More recipients than a send reads from the ledger at a time (1,024):
    // the connections go on with the next chunk in the session they have.
    let server = SmtpServer::start();
    let site = site(&server.config(), 1100);
    let run = send(&site);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let counts = per_recipient(&server.received());
    assert_eq!(counts.len(), 1100);
    assert!(counts.values().all(|&n| n == 1));
    // One login to check the password, then one per connection (4).
    assert!(server.logins() <= 5, "{} logins", server.logins());
}
