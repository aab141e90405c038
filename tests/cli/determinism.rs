//! Same input, same bytes; unchanged files are not rewritten.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use crate::support::*;

fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    walk(dir)
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            let bytes = std::fs::read(&path).unwrap();
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            (rel, (bytes, modified))
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn tagged_site() -> TestSite {
    let site = TestSite::new("[feeds]\nper_tag = true\n");
    for i in 0..12 {
        site.write(
            &format!("content/p{i}.md"),
            &post(
                &format!("Post {i}"),
                &format!("2025-05-{:02}", 1 + i % 4),
                "tags: [a, b]\n",
            ),
        );
    }
    site
}

#[test]
fn builds_are_byte_identical_and_unchanged_files_untouched() {
    let site = tagged_site();
    site.build();
    let first = snapshot(&site.path("feeds"));
    assert!(first.len() >= 9, "{:?}", first.keys());

    std::thread::sleep(std::time::Duration::from_millis(50));
    let run = site.build();
    assert!(run.stdout.contains("0 changed"), "{}", run.stdout);
    let second = snapshot(&site.path("feeds"));
    assert_eq!(
        first, second,
        "a rebuild changed bytes or modification times"
    );

    // From scratch, and with a different wall clock, the bytes are the same.
    std::fs::remove_dir_all(site.path("feeds")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let third = snapshot(&site.path("feeds"));
    assert_eq!(
        first.iter().map(|(k, (b, _))| (k, b)).collect::<Vec<_>>(),
        third.iter().map(|(k, (b, _))| (k, b)).collect::<Vec<_>>()
    );

    // A post written again unchanged (a new modification time, a re-render)
    // is not an update: no entry's `updated` moves.
    std::thread::sleep(std::time::Duration::from_millis(50));
    let text = site.read("content/p0.md");
    site.write("content/p0.md", &text);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let touched = snapshot(&site.path("feeds"));
    assert_eq!(
        first.iter().map(|(k, (b, _))| (k, b)).collect::<Vec<_>>(),
        touched.iter().map(|(k, (b, _))| (k, b)).collect::<Vec<_>>()
    );

    // A separate copy of the site gives the same bytes too.
    let other = tagged_site();
    other.build();
    let fourth = snapshot(&other.path("feeds"));
    assert_eq!(
        first.iter().map(|(k, (b, _))| (k, b)).collect::<Vec<_>>(),
        fourth.iter().map(|(k, (b, _))| (k, b)).collect::<Vec<_>>()
    );
}

#[test]
fn a_changed_post_rewrites_only_the_feeds_that_hold_it() {
    let site = TestSite::new("[feeds]\nper_tag = true\n");
    site.write("content/a.md", &post("A", "2025-05-01", "tags: [alpha]\n"))
        .write("content/b.md", &post("B", "2025-05-02", "tags: [beta]\n"));
    site.build();
    let before = snapshot(&site.path("feeds"));
    site.write(
        "content/a.md",
        &post("A changed", "2025-05-01", "tags: [alpha]\n"),
    );
    let run = site.run(&["build", "--now", NOW, "-v"]);
    let after = snapshot(&site.path("feeds"));
    let changed: Vec<&String> = after.keys().filter(|k| before[*k] != after[*k]).collect();
    assert!(
        changed.iter().all(|k| !k.contains("beta")),
        "{changed:?}\n{}",
        run.stdout
    );
    assert!(changed.iter().any(|k| k.contains("alpha")), "{changed:?}");
    assert!(changed.contains(&&"rss.xml".to_string()));
}

#[test]
fn feeds_of_tags_that_are_gone_are_removed() {
    let site = TestSite::new("[feeds]\nper_tag = true\n");
    site.write(
        "content/a.md",
        &post("A", "2025-05-01", "tags: [kept, dropped]\n"),
    )
    .write("feeds/tags/notes.txt", "not a feed of ours");
    site.build();
    assert!(site.path("feeds/tags/dropped.xml").exists());
    site.write("content/a.md", &post("A", "2025-05-01", "tags: [kept]\n"));
    let run = site.run(&["build", "--now", NOW, "-v"]);
    assert!(
        run.stdout.contains("removed feeds/tags/dropped.xml"),
        "{}",
        run.stdout
    );
    for gone in ["dropped.xml", "dropped.atom.xml", "dropped.json"] {
        assert!(!site.path(&format!("feeds/tags/{gone}")).exists(), "{gone}");
    }
    assert!(site.path("feeds/tags/kept.xml").exists());
    assert!(
        site.path("feeds/tags/notes.txt").exists(),
        "only feed files are removed"
    );
}
