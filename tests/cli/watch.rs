//! `gazette watch`: a build at once, and another after a post changes.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn a_changed_post_is_rebuilt_while_watching() {
    let site = TestSite::new("");
    site.write("content/one.md", &post("First", "2025-05-01", ""));
    let mut child = site
        .command(&["watch", "--now", NOW])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let ready = line.starts_with("watching");
        seen.push(line);
        if ready {
            break;
        }
    }
    assert!(seen.iter().any(|l| l.starts_with("built")), "{seen:?}");
    assert_eq!(titles(&site.feed("feeds/rss.xml")), ["First"]);
    site.write("content/two.md", &post("Second", "2025-05-02", ""));
    // Lines come from a thread: a rebuild that never happens must not hang the test.
    let (sender, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut more = Vec::new();
    while Instant::now() < deadline {
        match received.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let done = line.starts_with("built");
                more.push(line);
                if done {
                    break;
                }
            }
            Err(_) => continue,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        more.iter()
            .any(|l| l.starts_with("changed:") && l.contains("two.md")),
        "{more:?}"
    );
    assert_eq!(titles(&site.feed("feeds/rss.xml")), ["Second", "First"]);
}
