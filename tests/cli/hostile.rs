//! Hostile and unusual posts: no crash, no script, every other post still built.

use crate::support::*;

/// Every URL-like attribute or element in the site's outputs.
fn written_urls(site: &TestSite) -> Vec<String> {
    let mut urls = Vec::new();
    for (_, feed) in site.all_feeds() {
        for entry in &feed.entries {
            urls.extend(entry.links.iter().map(|l| l.href.clone()));
            urls.push(entry.id.clone());
        }
    }
    let page = site.read("feeds/index.html");
    for attr in ["href=\"", "src=\""] {
        for part in page.split(attr).skip(1) {
            urls.push(part.split('"').next().unwrap_or("").to_string());
        }
    }
    urls
}

#[test]
fn dates_outside_years_1_to_9999_are_post_errors() {
    let site = TestSite::new("");
    site.write("content/good.md", &post("Good", "2025-05-01", ""))
        .write("content/past.md", &post("Past", "-0001-06-01", ""))
        .write(
            "content/future.md",
            &post("Future", "2025-05-02", "updated: '+10000-01-01'\n"),
        );
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/past.md:3: `date`")
            && run.stderr.contains("content/future.md:4: `updated`"),
        "{}",
        run.stderr
    );
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["Good"], "{name}");
    }
}

#[test]
fn a_slug_cannot_move_a_post_off_the_site() {
    let site = TestSite::new("permalink = \"/{slug}/\"\n");
    site.write("content/good.md", &post("Good", "2025-05-01", ""))
        .write(
            "content/script.md",
            &post(
                "Script",
                "2025-05-02",
                "slug: \"javascript:alert(document.domain)<!--\"\n",
            ),
        )
        .write(
            "content/host.md",
            &post("Host", "2025-05-03", "slug: \"https:evil.example\"\n"),
        )
        .write(
            "content/source.md",
            &post(
                "Source",
                "2025-05-04",
                "external_url: \"javascript:alert(1)\"\n",
            ),
        );
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/source.md:4: `external_url`"),
        "{}",
        run.stderr
    );
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["Host", "Script", "Good"], "{name}");
        for entry in &feed.entries {
            for link in &entry.links {
                assert!(
                    link.href.starts_with("https://example.org/blog/"),
                    "{name}: {}",
                    link.href
                );
            }
        }
    }
    for url in written_urls(&site) {
        assert!(
            !url.contains("//evil.example"),
            "a URL left the site: {url}"
        );
        assert!(
            !url.to_ascii_lowercase().starts_with("javascript:"),
            "{url}"
        );
    }
}
