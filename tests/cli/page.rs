//! The subscription page and the files that make feeds readable in browsers.

use crate::support::*;

fn site() -> TestSite {
    let site = TestSite::new(
        "image = \"cover.png\"\n[feeds]\nper_tag = true\n[podcast]\nauthor = \"Host\"\nimage = \"/art.jpg\"\ncategories = [\"Technology\"]\nowner = { name = \"O\", email = \"o@example.org\" }\n",
    );
    site.write(
        "content/a.md",
        &post(
            "First <post>",
            "2025-05-01",
            "tags: [rust]\nsummary: About & more.\n",
        ),
    )
    .write(
        "content/b.md",
        &post(
            "Second",
            "2025-05-02",
            "audio: { url: /b.mp3, length: 10, type: audio/mpeg }\n",
        ),
    );
    site
}

#[test]
fn page_lists_every_feed_with_discovery_tags_and_latest_posts() {
    let site = site();
    site.build();
    let page = site.read("feeds/index.html");
    let head = page.split_once("</head>").map_or("", |(head, _)| head);
    for (file, mime) in [
        ("podcast.xml", "application/rss+xml"),
        ("rss.xml", "application/rss+xml"),
        ("atom.xml", "application/atom+xml"),
        ("feed.json", "application/feed+json"),
        ("tags/rust.xml", "application/rss+xml"),
        ("tags/rust.atom.xml", "application/atom+xml"),
        ("tags/rust.json", "application/feed+json"),
    ] {
        let url = format!("https://example.org/blog/{file}");
        // Autodiscovery names the site's own feeds, not a tag's.
        let discovered = head.lines().any(|l| {
            l.starts_with(&format!("<link rel=\"alternate\" type=\"{mime}\""))
                && l.contains(&format!("href=\"{url}\""))
        });
        assert_eq!(discovered, !file.contains('/'), "autodiscovery of {url}");
        // Site feeds get a card with the address to copy, tag feeds a link in the table.
        let listed = page.contains(&format!("value=\"{url}\""))
            || page.contains(&format!("href=\"{url}\" data-url"));
        assert!(listed, "{url} not listed");
    }
    assert!(page.contains(
        "overcast://x-callback-url/add?url=https%3A%2F%2Fexample.org%2Fblog%2Fpodcast.xml"
    ));
    assert!(page.contains(
        "https://feedly.com/i/subscription/feed/https%3A%2F%2Fexample.org%2Fblog%2Frss.xml"
    ));
    assert!(
        page.contains("First &lt;post&gt;") && page.contains("About &amp; more."),
        "titles are escaped"
    );
    assert!(page.contains("src=\"https://example.org/blog/cover.png\""));
    assert!(
        page.find("Second").unwrap() < page.find("First &lt;post&gt;").unwrap(),
        "newest first"
    );
    // Self-contained: no external script, stylesheet or font.
    assert!(
        !page.contains("<script src")
            && !page.contains("rel=\"stylesheet\"")
            && !page.contains("@import")
    );
    assert!(page.starts_with("<!DOCTYPE html>"));
}

#[test]
fn the_page_speaks_the_sites_language() {
    let site = TestSite::empty();
    let config = BASE_CONFIG.replace("language = \"en\"", "language = \"zh-CN\"");
    site.write("config.toml", &format!("{config}[feeds]\nper_tag = true\n"));
    site.write("content/a.md", &post("一", "2025-05-01", "tags: [rust]\n"));
    site.build();
    let page = site.read("feeds/index.html");
    for text in [
        "用订阅阅读器或播客应用关注本站",
        "按标签订阅",
        "<h2>订阅源</h2>",
    ] {
        assert!(page.contains(text), "{text}: {page}");
    }
    assert!(!page.contains("Follow this site"), "{page}");
}

#[test]
fn xml_feeds_carry_a_stylesheet_and_a_script_fallback() {
    let site = site();
    site.build();
    for (file, root) in [
        ("rss.xml", ""),
        ("atom.xml", ""),
        ("podcast.xml", ""),
        ("tags/rust.xml", "../"),
    ] {
        let text = site.read(&format!("feeds/{file}"));
        let declaration_end = text.find("?>").unwrap() + 2;
        assert!(
            text[declaration_end..].trim_start().starts_with(&format!(
                "<?xml-stylesheet type=\"text/xsl\" href=\"{root}feed.xsl\"?>"
            )),
            "{file}: {}",
            &text[..200]
        );
        assert!(
            text.contains(&format!(
                "<xhtml:script src=\"{root}feed.js\"></xhtml:script>"
            )),
            "{file}"
        );
        // Readers still parse it (site.feed does a strict XML parse too).
        assert!(!site.feed(&format!("feeds/{file}")).entries.is_empty());
    }
    assert!(site.read("feeds/feed.xsl").contains("xsl:stylesheet"));
    assert!(site.read("feeds/feed.js").contains("replaceChild"));

    let plain = TestSite::new("[feeds]\nstylesheet = false\npage = false\n");
    plain.write("content/a.md", &post("A", "2025-05-01", ""));
    plain.build();
    assert!(!plain.read("feeds/rss.xml").contains("xml-stylesheet"));
    assert!(!plain.path("feeds/feed.xsl").exists() && !plain.path("feeds/index.html").exists());
}

#[test]
fn templates_are_overridable_by_name() {
    let site = site();
    site.write("templates/index.html", "<!DOCTYPE html><title>{{ site.title }}</title>{% for f in feeds %}[{{ f.kind }}]{% endfor %}")
        .write("templates/feed.xsl", "<custom/>");
    site.build();
    assert_eq!(
        site.read("feeds/index.html"),
        "<!DOCTYPE html><title>Test Site</title>[Podcast][RSS][Atom][JSON Feed][RSS][Atom][JSON Feed]"
    );
    assert_eq!(site.read("feeds/feed.xsl"), "<custom/>");
}

#[test]
fn base_url_override_moves_every_url() {
    let site = site();
    let run = site.run(&["build", "--now", NOW, "--base-url", "http://127.0.0.1:8080"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("feeds/index.html");
    assert!(page.contains("value=\"http://127.0.0.1:8080/rss.xml\""));
    assert!(page.contains("src=\"http://127.0.0.1:8080/cover.png\""));
    assert!(!page.contains("example.org"));
}
