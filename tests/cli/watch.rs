//! `gazette watch`: a build at once, and another after a post changes.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn a_changed_post_is_rebuilt_while_watching() {
    let site = TestSite::new("");
    site.write("content/one.md", &post("First", "2025-05-01", ""));
    // Built before: watch's first build finds nothing changed and takes
    // the site from the cache file, for the next builds to start from.
    site.build();
    let (mut child, received) = watching(&site);
    let seen = lines_until(&received, "watching");
    assert!(seen.iter().any(|l| l.starts_with("built")), "{seen:?}");
    assert_eq!(titles(&site.feed("feeds/rss.xml")), ["First"]);
    site.write("content/two.md", &post("Second", "2025-05-02", ""));
    let more = lines_until(&received, "built");
    assert!(
        more.iter()
            .any(|l| l.starts_with("changed:") && l.contains("two.md")),
        "{more:?}"
    );
    assert_eq!(titles(&site.feed("feeds/rss.xml")), ["Second", "First"]);

    // Each rebuild starts from what the last one read and rendered: after
    // every kind of change it writes what a build reading everything
    // anew writes.
    let next_build = |what: &str| {
        lines_until(&received, "built");
        let reference = site.run(&["build", "--now", NOW, "--no-cache", "--output", "reference"]);
        assert!(reference.code <= 1, "{what}: {}", reference.stderr);
        let (ours, theirs) = (
            crate::cache::files_of(&site.path("feeds")),
            crate::cache::files_of(&site.path("reference")),
        );
        assert!(ours == theirs, "{what}: the watched build differs");
    };
    site.write(
        "content/one.md",
        &post("First, edited", "2025-05-01", "tags: [rust]\n"),
    );
    next_build("a post edited");
    site.write(
        "content/one.md",
        &post("First, edited again", "2025-05-01", "tags: [rust]\n"),
    );
    next_build("the same post edited again");
    site.write(
        "content/three.md",
        &post("Third", "2025-05-03", "slug: two\n"),
    );
    next_build("a post sharing another's address");
    std::fs::remove_file(site.path("content/two.md")).unwrap();
    next_build("a post deleted");
    site.write("templates/feed_entry.html", "<p>{{ content | safe }}</p>");
    next_build("a template added");
    let _ = child.kill();
    let _ = child.wait();
}

/// An Eleventy site's `.eleventyignore` says which files are pages: an
/// edit to it while watching is followed at the next build.
#[test]
fn an_edited_eleventyignore_is_followed_while_watching() {
    let site = TestSite::new("generator = \"eleventy\"\ncontent_dir = \"content\"\n");
    site.write("content/one.md", &post("First", "2025-05-01", ""));
    site.write("content/drafts/two.md", &post("Second", "2025-05-02", ""));
    let (mut child, received) = watching(&site);
    let until = |prefix: &str| lines_until(&received, prefix);
    until("watching");
    let feed = "_site/feeds/rss.xml";
    assert_eq!(titles(&site.feed(feed)), ["Second", "First"]);
    site.write(".eleventyignore", "content/drafts\n");
    let rebuilt = until("built");
    assert!(
        rebuilt.iter().any(|l| l.contains(".eleventyignore")),
        "{rebuilt:?}"
    );
    assert_eq!(titles(&site.feed(feed)), ["First"]);
    let _ = child.kill();
    let _ = child.wait();
}

/// `gazette watch` on the site, and the lines it prints, from a thread: a
/// build that never comes must not hang the test.
fn watching(site: &TestSite) -> (std::process::Child, Receiver<String>) {
    let mut child = site
        .command(&["watch", "--now", NOW])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (sender, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    (child, received)
}

/// The lines up to the first starting with `prefix`, within 20 seconds.
fn lines_until(received: &Receiver<String>, prefix: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = received.recv_timeout(Duration::from_millis(200)) {
            let done = line.starts_with(prefix);
            seen.push(line);
            if done {
                return seen;
            }
        }
    }
    panic!("no line starting {prefix:?} after {seen:?}");
}
