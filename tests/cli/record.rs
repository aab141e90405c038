//! The publication record (issue 21): what readers have seen stays, ids
//! above all, when permalinks, the base URL or file names change.

use crate::support::*;

fn ids(site: &TestSite, file: &str) -> Vec<(String, String)> {
    site.feed(file)
        .entries
        .iter()
        .map(|e| {
            let link = e.links.first().map(|l| l.href.clone()).unwrap_or_default();
            (e.id.clone(), link)
        })
        .collect()
}

fn site() -> TestSite {
    let site = TestSite::new("permalink = \"/posts/{slug}/\"\n");
    site.write("content/one.md", &post("One", "2025-05-01", ""))
        .write("content/two.md", &post("Two", "2025-05-02", ""));
    site
}

#[test]
fn ids_survive_a_permalink_change_while_links_follow_it() {
    let site = site();
    site.build();
    let record = site.read("config.record.toml");
    assert!(record.contains("[entries.\"content/one.md\"]"), "{record}");
    let before: Vec<Vec<(String, String)>> = ["feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"]
        .iter()
        .map(|f| ids(&site, f))
        .collect();

    site.write(
        "config.toml",
        &site
            .read("config.toml")
            .replace("/posts/{slug}/", "/notes/{year}/{slug}/"),
    );
    let check = site.run(&["check", "--now", NOW]);
    assert!(
        check
            .stdout
            .contains("record: content/one.md keeps the id readers know"),
        "{}",
        check.stdout
    );
    site.build();
    for (file, before) in ["feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"]
        .iter()
        .zip(&before)
    {
        let after = ids(&site, file);
        for ((old_id, old_link), (new_id, new_link)) in before.iter().zip(&after) {
            assert_eq!(old_id, new_id, "{file}: the id readers know");
            assert_ne!(old_link, new_link, "{file}: links follow the new pattern");
            assert!(new_link.contains("/notes/2025/"), "{file}: {new_link}");
        }
    }
    // From the build cache too: posts are cached as their files give them.
    let warm = site.run(&["check", "--now", NOW]);
    assert!(
        warm.stdout
            .contains("record: content/one.md keeps the id readers know"),
        "{}",
        warm.stdout
    );
    // A renamed file keeps its entry too.
    std::fs::rename(site.path("content/two.md"), site.path("content/second.md")).unwrap();
    site.build();
    let renamed = ids(&site, "feeds/atom.xml");
    assert_eq!(
        renamed[0].0, before[1][0].0,
        "the renamed post keeps its id"
    );
    assert!(site
        .read("config.record.toml")
        .contains("content/second.md"));
}

#[test]
fn locked_builds_fail_instead_of_changing_the_record() {
    let site = site();
    site.build();
    let record = site.read("config.record.toml");
    let again = site.run(&["build", "--now", NOW, "--locked"]);
    assert_eq!(again.code, 0, "nothing new: {}", again.stderr);
    site.write("content/three.md", &post("Three", "2025-05-03", ""));
    let locked = site.run(&["build", "--now", NOW, "--locked"]);
    assert_eq!(locked.code, 2, "{}", locked.stderr);
    assert!(
        locked.stderr.contains("content/three.md"),
        "{}",
        locked.stderr
    );
    assert_eq!(
        site.read("config.record.toml"),
        record,
        "the record is unchanged"
    );
    // A preview elsewhere records nothing.
    let preview = site.run(&["build", "--now", NOW, "--output", "preview"]);
    assert_eq!(preview.code, 0, "{}", preview.stderr);
    assert_eq!(site.read("config.record.toml"), record);
}

#[test]
fn a_fresh_checkout_with_the_record_keeps_what_readers_have() {
    let site = site();
    site.build();
    // The site moves and changes its pattern; a clean checkout (no cache,
    // no output) with the committed record gives what readers already have.
    let fresh = TestSite::new("");
    let config = site
        .read("config.toml")
        .replace("/posts/{slug}/", "/articles/{slug}/");
    fresh
        .write("config.toml", &config)
        .write("config.record.toml", &site.read("config.record.toml"))
        .write("content/one.md", &site.read("content/one.md"))
        .write("content/two.md", &site.read("content/two.md"));
    fresh.build();
    assert_eq!(
        ids(&fresh, "feeds/atom.xml")
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>(),
        ids(&site, "feeds/atom.xml")
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>()
    );
    let locked = fresh.run(&["build", "--now", NOW, "--locked"]);
    assert_eq!(locked.code, 0, "{}", locked.stderr);
    // The same config, record and posts in a clean checkout: the same bytes.
    let clone = TestSite::new("");
    clone
        .write("config.toml", &site.read("config.toml"))
        .write("config.record.toml", &site.read("config.record.toml"))
        .write("content/one.md", &site.read("content/one.md"))
        .write("content/two.md", &site.read("content/two.md"));
    clone.build();
    for file in ["feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"] {
        assert_eq!(clone.read(file), site.read(file), "{file}");
    }
}

#[test]
fn a_podcasts_guid_is_recorded_once_and_kept_when_the_feed_moves() {
    let site = TestSite::new(
        "[podcast]\nauthor = \"Host\"\nimage = \"/cover.jpg\"\ncategories = [\"Technology\"]\nowner = { name = \"Owner\", email = \"o@example.org\" }\n",
    );
    site.write(
        "content/ep.md",
        &post(
            "Episode",
            "2025-05-01",
            "audio:\n  url: /e.mp3\n  length: 10\n  type: audio/mpeg\n",
        ),
    );
    site.build();
    let guid = |site: &TestSite| {
        let text = site.read("feeds/podcast.xml");
        let doc = roxmltree::Document::parse(&text).unwrap();
        doc.descendants()
            .find(|n| n.has_tag_name(("https://podcastindex.org/namespace/1.0", "guid")))
            .and_then(|n| n.text())
            .unwrap()
            .to_string()
    };
    let first = guid(&site);
    assert!(site
        .read("config.record.toml")
        .contains(&format!("podcast_guid = \"{first}\"")));
    site.write(
        "config.toml",
        &site
            .read("config.toml")
            .replace("https://example.org/blog/", "https://moved.example.net/"),
    );
    site.build();
    assert_eq!(
        guid(&site),
        first,
        "the show keeps its identity after a move"
    );
}

/// Issue 21: `gazette record --from OLD_FEED` takes the ids readers already
/// have from the feed the site published before (matched by link), so the
/// first gazette build shows them nothing new.
#[test]
fn the_record_is_seeded_from_the_old_feed() {
    let site = site();
    site.write(
        "old.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Old</title><id>tag:old</id><updated>2025-05-02T00:00:00Z</updated>
<entry><title>One</title><id>tag:example.org,2025:one</id><link href="https://example.org/blog/posts/one/"/><updated>2025-05-01T00:00:00+02:00</updated></entry>
<entry><title>Two</title><id>tag:example.org,2025:two</id><link href="https://example.org/blog/posts/two/"/><updated>2025-05-02T00:00:00+02:00</updated></entry>
</feed>"#,
    );
    let run = site.run(&["record", "--from", "old.xml", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("2 ids and dates taken from old.xml"),
        "{}",
        run.stdout
    );
    site.build();
    let ids: Vec<String> = ids(&site, "feeds/atom.xml")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        ids,
        ["tag:example.org,2025:two", "tag:example.org,2025:one"]
    );
    let check = site.run(&["check", "--now", NOW, "--against", "old.xml"]);
    assert!(check.stdout.contains("0 differences"), "{}", check.stdout);
}

/// `init --from` on a site the generator has built starts the publication
/// record from the generator's own feed: the ids readers have.
#[test]
fn init_seeds_the_record_from_the_generators_built_feed() {
    let site = TestSite::empty();
    let source =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/hugo");
    copy_dir(&source, site.dir.path(), &[]);
    // Hugo's RSS as the site published it, with an id of an older scheme.
    site.write(
        "public/index.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Old</title><link>https://harbor.example.net/log/</link><description>x</description>
<item><title>A plain note</title><link>https://harbor.example.net/log/notes/plain-note/</link><guid isPermaLink="false">legacy-plain-note</guid><pubDate>Sat, 01 Jun 2024 00:00:00 +0100</pubDate></item>
</channel></rss>"#,
    );
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stdout
            .contains("1 ids and dates taken from ./public/index.xml"),
        "{}",
        init.stdout
    );
    site.build();
    let feed = site.feed("static/feeds/rss.xml");
    let plain = feed
        .entries
        .iter()
        .find(|e| {
            e.links
                .iter()
                .any(|l| l.href.ends_with("/notes/plain-note/"))
        })
        .unwrap();
    assert_eq!(plain.id, "legacy-plain-note");
}

#[test]
fn a_new_post_changes_the_record_but_not_what_the_cache_holds() {
    let site = site();
    site.build();
    site.write("content/three.md", &post("Three", "2025-05-03", ""));
    site.build();
    assert!(site.read("config.record.toml").contains("content/three.md"));
    // The record changed, and the next build still reads the cache: damaged
    // on purpose, it says so (a cache thrown away says nothing).
    let mut cache = std::fs::read(site.path(".gazette/build-cache.bin")).unwrap();
    let header = u64::from_le_bytes(cache[12..20].try_into().unwrap()) as usize;
    let first = 20 + header;
    cache[first..first + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(site.path(".gazette/build-cache.bin"), &cache).unwrap();
    site.write("content/four.md", &post("Four", "2025-05-04", ""));
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("build cache damaged"), "{}", run.stderr);
    assert_eq!(
        titles(&site.feed("feeds/rss.xml")),
        ["Four", "Three", "Two", "One"]
    );
}

#[test]
fn a_record_edited_by_hand_is_read_again() {
    let site = site();
    site.build();
    assert!(site.path(".gazette/record.bin").exists());
    let record = site.read("config.record.toml");
    let edited = record.replacen(
        "id = \"https://example.org/blog/posts/one/\"",
        "id = \"tag:example.org,2025:one\"",
        1,
    );
    assert_ne!(edited, record, "{record}");
    site.write("config.record.toml", &edited);
    site.build();
    let ids = ids(&site, "feeds/atom.xml");
    assert!(
        ids.iter().any(|(id, _)| id == "tag:example.org,2025:one"),
        "{ids:?}"
    );
    // Without the cache, no copy is kept and the file is what counts.
    let clean = site.run(&["build", "--no-cache", "--now", NOW, "--output", "ref"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert_eq!(site.read("feeds/atom.xml"), site.read("ref/atom.xml"));
}

#[test]
fn a_rename_that_could_be_either_of_two_gone_files_moves_neither() {
    let site = TestSite::new("permalink = \"/posts/{slug}/\"\n");
    site.write("content/a.md", &post("Same", "2025-05-01", ""))
        .write("content/b.md", &post("Same", "2025-05-01", ""))
        .write("content/c.md", &post("Other", "2025-05-02", ""));
    site.build();
    let record = site.read("config.record.toml");
    let (a, c) = (
        recorded_id(&record, "content/a.md"),
        recorded_id(&record, "content/c.md"),
    );
    std::fs::rename(site.path("content/a.md"), site.path("content/a2.md")).unwrap();
    std::fs::rename(site.path("content/b.md"), site.path("content/b2.md")).unwrap();
    std::fs::rename(site.path("content/c.md"), site.path("content/c2.md")).unwrap();
    site.build();
    let after = site.read("config.record.toml");
    let entry = |path: &str| recorded_id(&after, path);
    // c2 is c renamed; a2 and b2 could each be a or b, so both are new.
    assert_eq!(entry("content/c2.md"), c, "{after}");
    assert!(!after.contains("[entries.\"content/c.md\"]"), "{after}");
    assert_ne!(entry("content/a2.md"), a, "{after}");
    assert!(after.contains("[entries.\"content/a.md\"]"), "{after}");
    assert!(after.contains("[entries.\"content/b.md\"]"), "{after}");
}

/// The `id = ` line of a file's entry in the record's text.
fn recorded_id(record: &str, path: &str) -> String {
    let at = record.find(&format!("[entries.\"{path}\"]")).unwrap();
    record[at..]
        .lines()
        .find(|l| l.starts_with("id = "))
        .unwrap()
        .to_string()
}

/// Ids recorded while the site's address was a placeholder (`init` writes
/// one when it finds none, and a first try builds with it) were never read:
/// they follow the real address once it is set, where ids on a real
/// address stay what readers know.
#[test]
fn ids_recorded_on_a_placeholder_address_follow_the_real_one() {
    let site = site();
    site.build();
    let placeholder = ids(&site, "feeds/atom.xml");
    assert!(
        placeholder[0].0.starts_with("https://example.org/"),
        "{placeholder:?}"
    );
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &config.replace("https://example.org/", "https://blog.quarry.net/"),
    );
    site.build();
    let real = ids(&site, "feeds/atom.xml");
    for (id, link) in &real {
        assert!(id.starts_with("https://blog.quarry.net/"), "{id}");
        assert!(link.starts_with("https://blog.quarry.net/"), "{link}");
    }
    let record = site.read("config.record.toml");
    assert!(!record.contains("example.org"), "{record}");
    // From a real address to another, the ids readers know stay.
    site.write(
        "config.toml",
        &config.replace("https://example.org/", "https://moved.quarry.net/"),
    );
    site.build();
    let moved = ids(&site, "feeds/atom.xml");
    assert_eq!(
        moved.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        real.iter().map(|(id, _)| id).collect::<Vec<_>>()
    );
}
