//! Each reader's cadence and topics, simulated: `digest --send` run hourly
//! from cron over five weeks against a real SMTP server, readers changing
//! their minds in the middle, one run killed and finished by the next.
//! Every reader must receive exactly the posts they chose, each once, at the
//! times their cadence gives.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use mail_parser::MessageParser;

use crate::smtp::SmtpServer;
use crate::support::*;

const DIGEST: &str = r#"[digest]
from = "Test Site <digest@example.org>"
subject = "{{ posts | map(attribute='title') | join(sep='|') }}"
unsubscribe_url = "https://example.org/unsubscribe?token={token}"
retry_delay_ms = 10
connections = 1
cadence = "weekly"
hour = 8
weekday = "monday"
day_of_month = 1
topics = ["rust", "podcasts", "go"]
"#;

const TAGS: [&str; 3] = ["rust", "podcasts", "go"];

/// A reader's cadence (`None`: the site's weekly) and topics from an instant on.
#[derive(Clone)]
struct Phase {
    from: DateTime<Utc>,
    cadence: &'static str,
    topics: &'static str,
}

struct Reader {
    email: &'static str,
    phases: Vec<Phase>,
}

impl Reader {
    fn at(&self, t: DateTime<Utc>) -> &Phase {
        self.phases.iter().rev().find(|p| p.from <= t).unwrap()
    }

    /// Whether a run at `t` (on the hour) is one their cadence makes due.
    /// The site's time zone is Europe/Berlin: 08:00 there is 06:00 UTC in summer.
    fn due(&self, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&chrono_tz::Europe::Berlin);
        let at_hour = local.hour() == 8;
        match self.at(t).cadence {
            "post" => true,
            "daily" => at_hour,
            "" | "weekly" => at_hour && local.weekday() == Weekday::Mon,
            "monthly" => at_hour && local.day() == 1,
            other => panic!("{other}"),
        }
    }

    fn wants(&self, t: DateTime<Utc>, tag: &str) -> bool {
        let topics = self.at(t).topics;
        topics.is_empty() || topics.split(',').any(|topic| topic == tag)
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn list(readers: &[Reader], t: DateTime<Utc>) -> String {
    let mut csv = String::from("email,name,cadence,topics\n");
    for reader in readers {
        let phase = reader.at(t);
        csv.push_str(&format!(
            "{},{},{},\"{}\"\n",
            reader.email, reader.email, phase.cadence, phase.topics
        ));
    }
    csv
}

/// (recipient, titles) of each message, in arrival order.
fn messages(server: &SmtpServer, from: usize) -> Vec<(String, BTreeSet<String>)> {
    server.received()[from..]
        .iter()
        .map(|m| {
            let parsed = MessageParser::default().parse(&m.data).unwrap();
            let subject = parsed.subject().unwrap_or_default().to_string();
            (
                m.to[0].clone(),
                subject.split('|').map(str::to_string).collect(),
            )
        })
        .collect()
}

on_both_stores! {
    #[cfg(unix)]
    fn each_reader_gets_what_they_chose_once_at_their_times() {
        let server = SmtpServer::start();
        let site = TestSite::new(&format!("{DIGEST}{}", server.config()));
        let start = at("2025-06-02T00:00:00Z"); // a Monday
        let end = at("2025-07-07T00:00:00Z");
        // Twelve posts, one every three days at 14:00, tagged in turn.
        let posts: Vec<(String, DateTime<Utc>, &str)> = (0..12)
            .map(|k| {
                let date = start + Duration::days(3 * k) + Duration::hours(14);
                let tag = TAGS[k as usize % 3];
                (format!("Post {k:02} {tag}"), date, tag)
            })
            .collect();
        for (title, date, tag) in &posts {
            site.write(
                &format!("content/{}.md", title.replace(' ', "-")),
                &post(title, &date.to_rfc3339(), &format!("tags: [{tag}]\n")),
            );
        }
        let phase = |from: DateTime<Utc>, cadence, topics| Phase {
            from,
            cadence,
            topics,
        };
        let readers = vec![
            Reader {
                email: "each@example.net",
                phases: vec![phase(start, "post", "")],
            },
            Reader {
                email: "daily-rust@example.net",
                phases: vec![phase(start, "daily", "rust")],
            },
            Reader {
                email: "default@example.net",
                phases: vec![phase(start, "", "")],
            },
            Reader {
                email: "monthly@example.net",
                phases: vec![phase(start, "monthly", "")],
            },
            Reader {
                email: "switches@example.net",
                phases: vec![
                    phase(start, "daily", ""),
                    phase(at("2025-06-16T12:00:00Z"), "weekly", ""),
                ],
            },
            Reader {
                email: "widens@example.net",
                phases: vec![
                    phase(start, "weekly", "podcasts"),
                    phase(at("2025-06-18T12:00:00Z"), "weekly", "rust,podcasts"),
                ],
            },
        ];
        let kill_at = at("2025-06-23T06:00:00Z");

        // What each run should send: (recipient, titles), by the readers' rules.
        let mut sent: HashMap<&str, BTreeSet<String>> = HashMap::new();
        let mut expected_at = |t: DateTime<Utc>| -> Vec<(String, BTreeSet<String>)> {
            let mut out = Vec::new();
            for reader in &readers {
                if !reader.due(t) {
                    continue;
                }
                let had = sent.entry(reader.email).or_default();
                let owed: Vec<String> = posts
                    .iter()
                    .filter(|(title, date, tag)| {
                        *date <= t && reader.wants(t, tag) && !had.contains(title)
                    })
                    .map(|(title, _, _)| title.clone())
                    .collect();
                had.extend(owed.iter().cloned());
                if reader.at(t).cadence == "post" {
                    out.extend(
                        owed.into_iter()
                            .map(|title| (reader.email.to_string(), BTreeSet::from([title]))),
                    );
                } else if !owed.is_empty() {
                    out.push((reader.email.to_string(), owed.into_iter().collect()));
                }
            }
            out.sort();
            out
        };

        let mut t = start;
        let mut written_list = String::new();
        while t <= end {
            let wanted_list = list(&readers, t);
            if wanted_list != written_list {
                site.write("subscribers.csv", &wanted_list);
                written_list = wanted_list;
            }
            let before = server.received().len();
            let now = t.to_rfc3339();
            let mut expected = expected_at(t);
            let mut got = if t == kill_at {
                // Slow the server, kill the run after its first message, and
                // let the next hour's run finish it.
                server.faults(|f| f.delay = std::time::Duration::from_millis(700));
                let mut child = site
                    .command(&["digest", "--send", "--now", &now])
                    .spawn()
                    .unwrap();
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
                while server.received().len() == before {
                    assert!(
                        std::time::Instant::now() < deadline,
                        "the run never got going"
                    );
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                child.kill().unwrap();
                child.wait().unwrap();
                server.faults(|f| f.delay = std::time::Duration::ZERO);
                t += Duration::hours(1);
                let next = t.to_rfc3339();
                let run = site.run(&["digest", "--send", "--now", &next]);
                assert_eq!(run.code, 0, "{next}: {}\n{}", run.stdout, run.stderr);
                expected.extend(expected_at(t));
                let mut got = messages(&server, before);
                // A message in flight at the kill may go again (its outcome was
                // never recorded); nothing else may.
                got.sort();
                let mut deduped = got.clone();
                deduped.dedup();
                assert!(got.len() - deduped.len() <= 1, "{got:?}");
                deduped
            } else {
                let run = site.run(&["digest", "--send", "--now", &now]);
                assert_eq!(run.code, 0, "{now}: {}\n{}", run.stdout, run.stderr);
                messages(&server, before)
            };
            got.sort();
            expected.sort();
            assert_eq!(got, expected, "at {now}");
            t += Duration::hours(1);
        }
        // Everyone got mail, and the monthly reader June in one message.
        let total = server.received().len();
        assert!(total > 30, "{total}");
        let monthly: Vec<_> = messages(&server, 0)
            .into_iter()
            .filter(|(to, _)| to == "monthly@example.net")
            .collect();
        assert_eq!(monthly.len(), 1, "{monthly:?}");
        assert_eq!(monthly[0].1.len(), 10, "{monthly:?}");
    }
}

on_both_stores! {
    fn subscribers_add_records_a_choice_and_list_shows_it() {
        let site = TestSite::new(DIGEST);
        let added = site.run(&[
            "subscribers",
            "add",
            "a@example.net",
            "--confirmed",
            "--cadence",
            "daily",
            "--topics",
            "Rust,go",
        ]);
        assert_eq!(added.code, 0, "{}", added.stderr);
        let listed = site.run(&["subscribers", "list"]);
        assert!(
            listed.stdout.contains("daily") && listed.stdout.contains("rust,go"),
            "{}",
            listed.stdout
        );
        let refused = site.run(&[
            "subscribers",
            "add",
            "b@example.net",
            "--confirmed",
            "--topics",
            "cooking",
        ]);
        assert_ne!(refused.code, 0);
        assert!(refused.stderr.contains("not offered"), "{}", refused.stderr);
        let bad = site.run(&["subscribers", "add", "c@example.net", "--cadence", "hourly"]);
        assert_ne!(bad.code, 0);
        let exported = site.run(&["subscribers", "export"]);
        assert!(
            exported.stdout.contains(",daily,\"rust,go\""),
            "{}",
            exported.stdout
        );
    }
}

/// The preferences link of a received digest, as a path for `request`.
fn preferences_path(message: &crate::smtp::Received) -> String {
    let parsed = MessageParser::default().parse(&message.data).unwrap();
    let text = parsed.body_text(0).unwrap_or_default().to_string();
    let start = text
        .find("https://example.org/blog/preferences?token=")
        .unwrap_or_else(|| panic!("no preferences link in {text}"));
    let url: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/:.?=_-".contains(*c))
        .collect();
    url.trim_start_matches("https://example.org").to_string()
}

on_both_stores! {
    fn the_preferences_page_changes_what_the_next_mail_carries() {
        use crate::serve::{request, serve, SECRET};
        let server = SmtpServer::start();
        let site = TestSite::new(
            &crate::serve::config(&server.config(), "")
                .replace("[digest]\n", "[digest]\ntopics = [\"rust\", \"go\"]\n"),
        );
        site.write(
            "content/one.md",
            &post("First news", "2025-05-28", "tags: [rust]\n"),
        )
        .write("subscribers.csv", "email,name\nlisted@example.net,Listed\n");
        let digest = |now: &str| {
            site.command(&["digest", "--send", "--now", now])
                .env("GAZETTE_DIGEST_SECRET", SECRET)
                .output()
                .unwrap()
        };
        assert!(digest("2025-06-01T00:00:00Z").status.success());
        let first = server.received();
        assert_eq!(first.len(), 1);
        let path = preferences_path(&first[0]);
        let served = serve(&site);

        // Opening the link shows the choice and changes nothing.
        let page = request(served.port, "GET", &path, "");
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains(r#"name="cadence" value="" checked"#)
                && page.body.contains(r#"name="topic" value="rust""#)
                && page.body.contains(r#"value="One-Click""#),
            "{}",
            page.body
        );
        assert_eq!(page.header("cache-control"), "no-store");
        let history = site.run(&["subscribers", "history", "listed@example.net"]);
        assert!(
            !history.stdout.contains("preferences"),
            "{}",
            history.stdout
        );

        // Refused: a topic the site does not offer, a forged token.
        let bad = request(served.port, "POST", &path, "cadence=post&topic=cooking");
        assert_eq!(bad.status, 400);
        let forged = request(
            served.port,
            "POST",
            "/blog/preferences?token=00000000000000000000000000000000",
            "cadence=post",
        );
        assert_eq!(forged.status, 404);

        let saved = request(served.port, "POST", &path, "cadence=post&topic=rust");
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert!(saved.body.contains("Saved"), "{}", saved.body);
        assert!(
            saved
                .body
                .contains(r#"name="cadence" value="post" checked"#),
            "{}",
            saved.body
        );
        let history = site.run(&["subscribers", "history", "listed@example.net"]);
        assert!(
            history.stdout.contains("preferences")
                && history.stdout.contains("cadence post, topics rust"),
            "{}",
            history.stdout
        );

        // A list naming another choice does not undo the reader's.
        site.write(
            "subscribers.csv",
            "email,name,cadence,topics\nlisted@example.net,Listed,monthly,go\n",
        );
        // The next mail follows the choice: one message per post, rust only.
        site.write(
            "content/two.md",
            &post("Rust news", "2025-06-02", "tags: [rust]\n"),
        )
        .write(
            "content/three.md",
            &post("Go news", "2025-06-02", "tags: [go]\n"),
        )
        .write(
            "content/four.md",
            &post("More rust", "2025-06-02 12:00", "tags: [rust]\n"),
        );
        let run = digest("2025-06-03T00:00:00Z");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let later = &server.received()[1..];
        let bodies: Vec<String> = later
            .iter()
            .map(|m| {
                let parsed = MessageParser::default().parse(&m.data).unwrap();
                parsed.body_text(0).unwrap_or_default().to_string()
            })
            .collect();
        assert_eq!(later.len(), 2, "{bodies:?}");
        let carried = |title: &str| bodies.iter().filter(|b| b.contains(title)).count();
        assert_eq!(
            (
                carried("Rust news"),
                carried("More rust"),
                carried("Go news")
            ),
            (1, 1, 0),
            "{bodies:?}"
        );
        let listed = site.run(&["subscribers", "list", "--json"]);
        assert!(
            listed.stdout.contains(r#""cadence": "post""#)
                && listed.stdout.contains(r#""chosen_by_reader": true"#),
            "{}",
            listed.stdout
        );
    }
}

#[test]
fn each_digest_sent_is_published_in_the_archive_without_anything_personal() {
    let server = SmtpServer::start();
    let site = TestSite::new(&format!(
        "[digest]\nfrom = \"Test Site <digest@example.org>\"\nunsubscribe_url = \"https://example.org/unsubscribe?token={{token}}\"\nretry_delay_ms = 10\n{}",
        server.config()
    ));
    site.write(
        "content/one.md",
        &post(
            "First <script>alert(1)</script> news",
            "2025-05-30",
            "summary: \"<img src=x onerror=alert(1)> summary\"\n",
        ),
    )
    .write("content/two.md", &post("Second news", "2025-05-31", ""))
    .write(
        "subscribers.csv",
        "email,name\nreader@example.net,Secret Name\n",
    );
    let run = site.run(&["digest", "--send", "--now", "2025-06-01T00:00:00Z"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let received = server.received();
    assert_eq!(received.len(), 1);
    let parsed = MessageParser::default().parse(&received[0].data).unwrap();
    let text = parsed.body_text(0).unwrap_or_default().to_string();
    let url = "https://example.org/blog/newsletter/2025-06-01t00-00-00z.html";
    assert!(
        text.contains(&format!("View in the browser: {url}")),
        "{text}"
    );
    let html = parsed.body_html(0).unwrap_or_default().to_string();
    assert!(html.contains(url), "{html}");

    let page = site.read("feeds/newsletter/2025-06-01t00-00-00z.html");
    assert!(page.contains("Second news"), "{page}");
    assert!(
        !page.contains("<script>alert") && !page.contains("<img src=x"),
        "{page}"
    );
    assert!(page.contains("&lt;script&gt;"), "{page}");
    for personal in ["reader@example.net", "Secret Name", "token", "unsubscribe"] {
        assert!(!page.contains(personal), "{personal} in {page}");
    }
    let index = site.read("feeds/newsletter/index.html");
    assert!(index.contains("2025-06-01t00-00-00z.html"), "{index}");
    let feed = site.feed("feeds/newsletter/feed.xml");
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(feed.entries[0].links[0].href, url);

    // A later digest adds its page and heads the index and the feed.
    site.write("content/three.md", &post("Third news", "2025-06-02", ""));
    let run = site.run(&["digest", "--send", "--now", "2025-06-03T00:00:00Z"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let feed = site.feed("feeds/newsletter/feed.xml");
    assert_eq!(feed.entries.len(), 2);
    assert!(feed.entries[0].links[0]
        .href
        .ends_with("2025-06-03t00-00-00z.html"));
    // A build leaves the archive alone (its files are not the build's).
    assert_eq!(
        site.run(&["build", "--now", "2025-06-03T01:00:00Z"]).code,
        0
    );
    assert!(site
        .path("feeds/newsletter/2025-06-01t00-00-00z.html")
        .exists());
}

/// The first digest looks back `first_days`, later ones `max_age_days`: the
/// run after the first one must look again, not stop at what the first saw.
#[test]
fn the_longer_look_back_after_the_first_digest_is_not_skipped() {
    let server = SmtpServer::start();
    let site = TestSite::new(&format!(
        "[digest]\nfrom = \"Test Site <digest@example.org>\"\nunsubscribe_url = \"https://example.org/unsubscribe?token={{token}}\"\nfirst_days = 7\nmax_age_days = 30\n{}",
        server.config()
    ));
    site.write("content/old.md", &post("Older news", "2025-05-12", ""))
        .write("content/new.md", &post("Newer news", "2025-05-30", ""))
        .write("subscribers.csv", "email\nreader@example.net\n");
    let titles = |from: usize| -> Vec<String> {
        server.received()[from..]
            .iter()
            .map(|m| {
                let parsed = MessageParser::default().parse(&m.data).unwrap();
                parsed.body_text(0).unwrap_or_default().to_string()
            })
            .collect()
    };
    assert_eq!(
        site.run(&["digest", "--send", "--now", "2025-06-01T00:00:00Z"])
            .code,
        0
    );
    let first = titles(0);
    assert!(
        first.len() == 1 && first[0].contains("Newer news") && !first[0].contains("Older news"),
        "{first:?}"
    );
    assert_eq!(
        site.run(&["digest", "--send", "--now", "2025-06-01T01:00:00Z"])
            .code,
        0
    );
    let second = titles(1);
    assert!(
        second.len() == 1 && second[0].contains("Older news"),
        "{second:?}"
    );
    assert_eq!(
        site.run(&["digest", "--send", "--now", "2025-06-01T02:00:00Z"])
            .code,
        0
    );
    assert_eq!(server.received().len(), 2);
}
