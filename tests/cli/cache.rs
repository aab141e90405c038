//! The build cache: a build that takes posts from it writes exactly what a
//! build reading every post writes, after every kind of change, and a
//! damaged cache is ignored with a warning.

use std::path::Path;

use crate::support::*;

pub(crate) fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name() != ".gazette-manifest")
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Builds with the cache into feeds/ and without it into reference/, and
/// compares every file.
fn same_with_and_without_cache(site: &TestSite, what: &str) {
    let cached = site.run(&["build", "--now", NOW]);
    assert!(cached.code <= 1, "{what}: {}", cached.stderr);
    let reference = site.run(&["build", "--now", NOW, "--no-cache", "--output", "reference"]);
    assert!(reference.code <= 1, "{what}: {}", reference.stderr);
    assert_eq!(
        cached.stderr, reference.stderr,
        "{what}: diagnostics differ"
    );
    let (ours, theirs) = (
        files_of(&site.path("feeds")),
        files_of(&site.path("reference")),
    );
    assert_eq!(
        ours.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        theirs.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        "{what}: other files"
    );
    for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
        assert!(a == b, "{what}: {name} differs from the uncached build");
    }
}

#[test]
fn cached_builds_write_what_uncached_builds_write_after_every_change() {
    let site = TestSite::new("[feeds]\nper_tag = true\n");
    for i in 1..=6 {
        site.write(
            &format!("content/post-{i}.md"),
            &post(
                &format!("Post {i}"),
                &format!("2025-05-0{i}"),
                "tags: [news, rust]\n",
            ),
        );
    }
    site.write("content/broken.md", "---\ntitle: [unclosed\n---\nbody\n")
        .write("content/notes.txt", "no front matter");
    let first = site.run(&["build", "--now", NOW]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(site.path(".gazette/build-cache.bin").exists());
    same_with_and_without_cache(&site, "nothing changed");

    site.write(
        "content/post-2.md",
        &post("Post 2, retitled", "2025-05-02", "tags: [news]\n"),
    );
    same_with_and_without_cache(&site, "a post edited");

    let path = site.path("content/post-3.md");
    let text = std::fs::read(&path).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, text).unwrap();
    same_with_and_without_cache(&site, "a post touched without change");

    std::fs::rename(
        site.path("content/post-4.md"),
        site.path("content/renamed.md"),
    )
    .unwrap();
    same_with_and_without_cache(&site, "a post renamed");

    std::fs::remove_file(site.path("content/post-5.md")).unwrap();
    same_with_and_without_cache(&site, "a post deleted");

    site.write("content/broken.md", &post("Fixed", "2025-05-07", ""));
    same_with_and_without_cache(&site, "a broken post fixed");

    let config = site
        .read("config.toml")
        .replace("per_tag = true", "per_tag = true\nlimit = 3");
    site.write("config.toml", &config);
    same_with_and_without_cache(&site, "the config changed");

    site.write(
        "templates/feed_entry.html",
        "<div class=\"entry\">{{ content | safe }}</div>",
    );
    same_with_and_without_cache(&site, "a template changed");

    // Another gazette version's cache is not used (the same bytes but the
    // version, and a title that would show if it were).
    let cache = std::fs::read(site.path(".gazette/build-cache.bin")).unwrap();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let other: Vec<u8> = version
        .iter()
        .map(|b| if b.is_ascii_digit() { b'9' } else { *b })
        .collect();
    assert_ne!(other, version);
    let replaced = |bytes: Vec<u8>, from: &[u8], to: &[u8]| -> Vec<u8> {
        let at = bytes
            .windows(from.len())
            .position(|w| w == from)
            .expect("in the cache");
        [&bytes[..at], to, &bytes[at + from.len()..]].concat()
    };
    let cache = replaced(cache, version, &other);
    let cache = replaced(cache, b"Post 1", b"Stale1");
    std::fs::write(site.path(".gazette/build-cache.bin"), cache).unwrap();
    same_with_and_without_cache(&site, "another version's cache");

    // A post left out for sharing another's address, then the site edited
    // around it: the cache keeps posts and records in step.
    site.write(
        "content/zz-duplicate.md",
        &post("Duplicate", "2025-05-08", "slug: post-1\n"),
    );
    same_with_and_without_cache(&site, "a duplicate added");
    site.write(
        "content/post-6.md",
        &post("Post 6, edited", "2025-05-06", ""),
    );
    same_with_and_without_cache(&site, "an edit after a duplicate");
    assert!(!site.read("feeds/rss.xml").contains("Stale1"));
}

#[test]
fn a_damaged_record_ends_the_cache_there_and_the_files_after_it_are_read() {
    let site = TestSite::new("");
    site.write("content/a.md", &post("Alpha", "2025-05-01", ""))
        .write("content/b.md", &post("Beta", "2025-05-02", ""))
        .write("content/c.md", &post("Gamma", "2025-05-03", ""));
    site.build();
    // The file: magic, format, the header's length and the header, then
    // each record's length and the record. The second record's length is
    // made to run past the end; the file keeps its size.
    let mut cache = std::fs::read(site.path(".gazette/build-cache.bin")).unwrap();
    let header = u64::from_le_bytes(cache[12..20].try_into().unwrap()) as usize;
    let first = 20 + header;
    let first_length = u32::from_le_bytes(cache[first..first + 4].try_into().unwrap()) as usize;
    let second = first + 4 + first_length;
    cache[second..second + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(site.path(".gazette/build-cache.bin"), &cache).unwrap();
    // A change, so that the build reads the records.
    site.write("content/c.md", &post("Gamma, again", "2025-05-03", ""));
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("build cache damaged at record 2"),
        "{}",
        run.stderr
    );
    site.run(&["build", "--now", NOW, "--no-cache", "--output", "reference"]);
    assert_eq!(
        files_of(&site.path("feeds")),
        files_of(&site.path("reference"))
    );
    assert_eq!(
        titles(&site.feed("feeds/rss.xml")),
        ["Gamma, again", "Beta", "Alpha"]
    );
    // Written anew: the next build uses it without a word.
    site.write("content/a.md", &post("Alpha, again", "2025-05-01", ""));
    let again = site.run(&["build", "--now", NOW]);
    assert!(!again.stderr.contains("build cache"), "{}", again.stderr);
    same_with_and_without_cache(&site, "after the damaged cache was written anew");
}

/// A cache is another gazette's when the program is another build, even of
/// the same version (a build from source): it is not read at all, so a
/// record damaged since is never reached, where the same program reports
/// it.
#[test]
fn another_build_of_gazette_does_not_read_the_cache() {
    let site = TestSite::new("");
    site.write("content/a.md", &post("Alpha", "2025-05-01", ""))
        .write("content/b.md", &post("Beta", "2025-05-02", ""));
    site.build();
    let path = site.path(".gazette/build-cache.bin");
    let mut cache = std::fs::read(&path).unwrap();
    let header = u64::from_le_bytes(cache[12..20].try_into().unwrap()) as usize;
    let first = 20 + header;
    cache[first..first + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(&path, &cache).unwrap();
    site.write("content/b.md", &post("Beta, again", "2025-05-02", ""));
    // A copy of the program is another build: another size or time.
    let programs = tempfile::tempdir().unwrap();
    let copy = programs.path().join("gazette");
    std::fs::copy(env!("CARGO_BIN_EXE_gazette"), &copy).unwrap();
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&copy)
        .unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400))
        .unwrap();
    drop(file);
    let other = Run::of(
        std::process::Command::new(&copy)
            .args(["build", "--now", NOW])
            .current_dir(site.path("")),
    );
    assert_eq!(other.code, 0, "{}", other.stderr);
    assert!(!other.stderr.contains("build cache"), "{}", other.stderr);
    // The same program reads the same damaged cache, and says so.
    std::fs::write(&path, &cache).unwrap();
    site.write("content/a.md", &post("Alpha, again", "2025-05-01", ""));
    let same = site.run(&["build", "--now", NOW]);
    assert!(
        same.stderr.contains("build cache damaged"),
        "{}",
        same.stderr
    );
}

#[test]
fn a_damaged_cache_is_ignored_with_a_warning() {
    let site = TestSite::new("");
    site.write("content/a.md", &post("Alpha", "2025-05-01", ""))
        .write("content/b.md", &post("Beta", "2025-05-02", ""));
    site.build();
    let cache = std::fs::read(site.path(".gazette/build-cache.bin")).unwrap();
    std::fs::write(
        site.path(".gazette/build-cache.bin"),
        &cache[..cache.len() - 20],
    )
    .unwrap();
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("build cache ignored"), "{}", run.stderr);
    assert_eq!(titles(&site.feed("feeds/rss.xml")), ["Beta", "Alpha"]);
    // Written anew: the next build uses it without a word.
    let again = site.run(&["build", "--now", NOW]);
    assert!(!again.stderr.contains("build cache"), "{}", again.stderr);
    site.write(".gazette/build-cache.bin", "not a cache at all");
    let run = site.run(&["build", "--now", NOW]);
    assert!(run.stderr.contains("build cache ignored"), "{}", run.stderr);

    let cleared = site.run(&["cache", "clear"]);
    assert!(
        cleared.stdout.contains("build cache deleted"),
        "{}",
        cleared.stdout
    );
    assert!(!site.path(".gazette/build-cache.bin").exists());
    // check and list read the cache but never write it.
    site.run(&["check", "--now", NOW]);
    site.run(&["list", "--now", NOW]);
    assert!(!site.path(".gazette/build-cache.bin").exists());
}

#[test]
fn a_rebuild_with_nothing_changed_writes_nothing_but_notices_time_and_tampering() {
    let site = TestSite::new("");
    site.write("content/now.md", &post("Now", "2025-05-01", ""))
        .write("content/later.md", &post("Later", "2025-07-01", ""))
        .write(
            "content/unsafe.md",
            &post("Unsafe", "2025-04-01", "").replace("Body", "Body <script>x()</script>"),
        );
    let first = site.build();
    let mtime = |rel: &str| {
        std::fs::metadata(site.path(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    let (rss, cache) = (mtime("feeds/rss.xml"), mtime(".gazette/build-cache.bin"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = site.build();
    assert_eq!(mtime("feeds/rss.xml"), rss);
    assert_eq!(
        mtime(".gazette/build-cache.bin"),
        cache,
        "the cache was rewritten"
    );
    // What rendering reported is reported again.
    assert_eq!(first.stderr, second.stderr);
    assert!(second.stderr.contains("unsafe.md"), "{}", second.stderr);

    // The scheduled post is due a month later: the feeds change.
    site.run(&["build", "--now", "2025-07-02T00:00:00Z"]);
    assert_eq!(
        titles(&site.feed("feeds/rss.xml")),
        ["Later", "Now", "Unsafe"]
    );

    // A feed removed or edited by hand is written again.
    std::fs::remove_file(site.path("feeds/atom.xml")).unwrap();
    site.write("feeds/rss.xml", "tampered");
    site.run(&["build", "--now", "2025-07-02T00:00:00Z"]);
    assert!(site.path("feeds/atom.xml").exists());
    assert_eq!(
        titles(&site.feed("feeds/rss.xml")),
        ["Later", "Now", "Unsafe"]
    );
}

#[test]
fn a_changed_post_rewrites_only_the_files_that_hold_it() {
    let site = TestSite::new("[feeds]\nper_tag = true\nlimit = 2\narchive = true\n");
    for (i, tag) in [
        (1, "old"),
        (2, "old"),
        (3, "rust"),
        (4, "rust"),
        (5, "news"),
    ] {
        site.write(
            &format!("content/post-{i}.md"),
            &post(
                &format!("Post {i}"),
                &format!("2025-05-0{i}"),
                &format!("tags: [{tag}]\n"),
            ),
        );
    }
    // A post whose rendering reports something, in feeds that stay kept.
    site.write(
        "content/post-3.md",
        &post("Post 3", "2025-05-03", "tags: [rust]\n")
            .replace("Body", "Body <script>x()</script>"),
    );
    same_with_and_without_cache(&site, "first build");

    site.write(
        "content/post-5.md",
        &post("Post 5, edited", "2025-05-05", "tags: [news]\n"),
    );
    let run = site.run(&["build", "--now", NOW, "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut wrote: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("wrote "))
        .collect();
    wrote.sort();
    // Only the feeds holding post 5 (the site's and its tag's), and the
    // page and OPML list that show it; the rust feeds, the archive pages
    // and the rest are kept.
    let expected = [
        "feeds/atom.xml",
        "feeds/feed.json",
        "feeds/index.html",
        "feeds/rss.xml",
        "feeds/tags/news.atom.xml",
        "feeds/tags/news.json",
        "feeds/tags/news.xml",
    ];
    assert_eq!(wrote, expected, "{}", run.stdout);
    assert!(
        run.stderr.contains("post-3.md") && run.stderr.contains("removed from the HTML"),
        "a kept feed's post reports what rendering it reports: {}",
        run.stderr
    );
    same_with_and_without_cache(&site, "one post edited");

    // A kept file changed by hand is written again.
    site.write("feeds/archive/rss-1.xml", "tampered");
    site.write(
        "content/post-5.md",
        &post("Post 5, edited again", "2025-05-05", "tags: [news]\n"),
    );
    same_with_and_without_cache(&site, "an archive page tampered with");
}
