//! RFC 5005 archives: walking back from the subscription feed finds every
//! published post, and a full archive page never changes.

use crate::support::*;

/// The `href` of the link with `rel` in a feed file (RSS's atom:link or Atom's link).
fn link(text: &str, rel: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .find(|n| n.tag_name().name() == "link" && n.attribute("rel") == Some(rel))
        .and_then(|n| n.attribute("href"))
        .map(str::to_string)
}

fn ids(site: &TestSite, rel: &str) -> Vec<String> {
    site.feed(rel)
        .entries
        .iter()
        .map(|e| e.id.clone())
        .collect()
}

#[test]
fn walking_the_archive_finds_every_post_and_full_pages_stay_put() {
    let site = TestSite::new("[feeds]\nlimit = 3\narchive = true\n");
    for day in 1..=10 {
        site.write(
            &format!("content/p{day:02}.md"),
            &post(&format!("Post {day}"), &format!("2025-05-{day:02}"), ""),
        );
    }
    site.build();
    for (current, prefix) in [("rss.xml", "archive/rss-"), ("atom.xml", "archive/atom-")] {
        let mut seen: Vec<String> = ids(&site, &format!("feeds/{current}"));
        let mut archived: Vec<String> = Vec::new();
        let mut next = link(&site.read(&format!("feeds/{current}")), "prev-archive");
        let mut pages = 0;
        while let Some(url) = next {
            let rel = url.trim_start_matches("https://example.org/blog/");
            assert!(rel.starts_with(prefix), "{url}");
            let text = site.read(&format!("feeds/{rel}"));
            assert!(
                text.contains("fh:archive") || text.contains("<archive"),
                "{rel}: no fh:archive"
            );
            assert_eq!(
                link(&text, "current").as_deref(),
                Some(format!("https://example.org/blog/{current}").as_str())
            );
            let page = ids(&site, &format!("feeds/{rel}"));
            assert_eq!(page.len(), 3, "{rel}: a page holds `limit` entries");
            archived.extend(page.iter().cloned());
            seen.extend(page);
            next = link(&text, "prev-archive");
            pages += 1;
        }
        assert_eq!(
            pages, 3,
            "{current}: 10 posts in pages of 3 make 3 full pages"
        );
        let mut unique = archived.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            archived.len(),
            "a post is in two archive pages"
        );
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 10, "{current}: every post is found");
    }
    // Two more posts fill the fourth page; the first three do not change.
    let before: Vec<String> = (1..=3)
        .map(|n| site.read(&format!("feeds/archive/rss-{n}.xml")))
        .collect();
    site.write("content/p11.md", &post("Post 11", "2025-05-11", ""))
        .write("content/p12.md", &post("Post 12", "2025-05-12", ""));
    site.build();
    for (n, old) in before.iter().enumerate() {
        assert_eq!(&site.read(&format!("feeds/archive/rss-{}.xml", n + 1)), old);
    }
    assert!(site.path("feeds/archive/rss-4.xml").exists());
    assert_eq!(
        link(&site.read("feeds/rss.xml"), "prev-archive").as_deref(),
        Some("https://example.org/blog/archive/rss-4.xml")
    );
}

#[test]
fn archives_need_a_page_size() {
    let site = TestSite::new("[feeds]\nlimit = 0\narchive = true\n");
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("feeds.archive"), "{}", run.stderr);
}

/// Issue 21: pages fill in publication order (as the publication record
/// numbers posts), so a back-dated post goes to the subscription feed and
/// then to the newest page, and no full page ever changes.
#[test]
fn a_back_dated_post_never_rewrites_a_full_page() {
    let site = TestSite::new("[feeds]\nlimit = 3\narchive = true\n");
    for day in 1..=6 {
        site.write(
            &format!("content/p{day:02}.md"),
            &post(&format!("Post {day}"), &format!("2025-05-{day:02}"), ""),
        );
    }
    site.build();
    let pages: Vec<String> = (1..=2)
        .map(|n| site.read(&format!("feeds/archive/atom-{n}.xml")))
        .collect();
    // Written today, dated before everything else.
    site.write(
        "content/old.md",
        &post("Found in a drawer", "2025-04-01", ""),
    );
    site.build();
    for (n, page) in pages.iter().enumerate() {
        assert_eq!(
            &site.read(&format!("feeds/archive/atom-{}.xml", n + 1)),
            page
        );
    }
    let current = titles(&site.feed("feeds/atom.xml"));
    assert!(
        current.contains(&"Found in a drawer".to_string()),
        "{current:?}"
    );
    // Two more fill the third page, which holds the back-dated post.
    site.write("content/p07.md", &post("Post 7", "2025-05-07", ""))
        .write("content/p08.md", &post("Post 8", "2025-05-08", ""));
    site.build();
    let third = titles(&site.feed("feeds/archive/atom-3.xml"));
    assert_eq!(third, ["Post 8", "Post 7", "Found in a drawer"]);
    for (n, page) in pages.iter().enumerate() {
        assert_eq!(
            &site.read(&format!("feeds/archive/atom-{}.xml", n + 1)),
            page
        );
    }
}
