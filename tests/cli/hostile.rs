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
        run.stderr.contains("content/past.md:3: error: `date`")
            && run.stderr.contains("content/future.md:4: error: `updated`"),
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
        run.stderr
            .contains("content/source.md:4: error: `external_url`"),
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

#[test]
fn rss_descriptions_are_text_not_markup() {
    let site = TestSite::new("");
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: '2025-05-01'\n---\nA code span `<img src=x onerror=alert(1)>` and \\<b>escaped\\</b>.\n",
    );
    site.build();
    let rss = site.read("feeds/rss.xml");
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let description = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("description") && n.parent().is_some_and(|p| p.has_tag_name("item"))
        })
        .and_then(|n| n.text())
        .unwrap();
    // What a reader treats as HTML is the escaped text: no element in it.
    assert!(
        description.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{description}"
    );
    assert!(
        description.contains("&lt;b&gt;escaped&lt;/b&gt;"),
        "{description}"
    );
    assert!(
        !description.contains("<img") && !description.contains("<b>"),
        "{description}"
    );
}

#[test]
fn active_html_is_removed_with_a_warning_at_its_line() {
    let site = TestSite::new("");
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: '2025-05-01'\n---\nFine paragraph.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [x](javascript:alert(3))\n\n<iframe srcdoc=\"<script>alert(4)</script>\"></iframe>\n<svg><script>alert(5)</script></svg>\n",
    )
    .write("content/b.md", &post("B", "2025-05-02", ""));
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("content/a.md"))
        .collect();
    assert_eq!(warnings.len(), 1, "once per post: {warnings:?}");
    assert!(
        warnings[0].starts_with("content/a.md:7: warning: removed from the HTML:"),
        "{warnings:?}"
    );
    for kind in [
        "<script> element",
        "onerror attribute",
        "javascript: URL",
        "<iframe srcdoc>",
    ] {
        assert!(warnings[0].contains(kind), "{kind}: {warnings:?}");
    }
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["B", "A"], "{name}");
        let html = content_html(&feed.entries[1]).to_ascii_lowercase();
        for bad in ["<script", "onerror", "javascript:", "srcdoc", "alert("] {
            assert!(!html.contains(bad), "{name}: {bad} in {html}");
        }
        assert!(html.contains("fine paragraph"), "{name}");
    }
}

#[test]
fn sanitising_can_be_turned_off_for_feeds_only() {
    let site = TestSite::new("[feeds]\nsanitize = false\n");
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: '2025-05-01'\n---\n<iframe src=\"https://player.example/1\"></iframe>\n",
    );
    let run = site.run(&["build", "--now", NOW]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(site.read("feeds/feed.json").contains("player.example"));
}

#[test]
fn a_huge_tag_and_an_unreadable_folder_do_not_stop_the_build() {
    let site = TestSite::new("[feeds]\nper_tag = true\n");
    let tag = "人工智能".repeat(25);
    site.write(
        "content/a.md",
        &post(
            "A",
            "2025-05-01",
            &format!("tags: [\"{tag}\", C, \"C#\", \"C++\", \"C--\", \"..\"]\n"),
        ),
    )
    .write("content/locked/b.md", &post("B", "2025-05-02", ""));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            site.path("content/locked"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
    }
    let run = site.run(&["build", "--now", NOW]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            site.path("content/locked"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    let root = unsafe_is_root();
    if !root {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("content/locked: cannot read"),
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("content/a.md:4: warning: tag \"..\" has no letter or digit"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("would share tags/c;"), "{}", run.stderr);
    assert!(titles(&site.feed("feeds/rss.xml")).contains(&"A".to_string()));
    let files: Vec<String> = std::fs::read_dir(site.path("feeds/tags"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for expected in ["c.xml", "c-sharp.xml", "c-plus-plus.xml"] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} in {files:?}"
        );
    }
    assert!(files.iter().all(|f| f.len() < 160), "{files:?}");
    assert_eq!(
        files.iter().filter(|f| f.ends_with(".json")).count(),
        5,
        "{files:?}"
    );
}

/// Root reads folders whatever their permissions.
fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn hostile_front_matter_is_refused_quickly() {
    let site = TestSite::new("");
    site.write("content/good.md", &post("Good", "2025-05-01", ""))
        .write(
            "content/deep.md",
            &format!("---\ntitle: x\nx: {}\n---\n", "[".repeat(2_000_000)),
        );
    let started = std::time::Instant::now();
    let run = site.run(&["build", "--now", NOW]);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/deep.md:2: error: front matter is"),
        "{}",
        run.stderr
    );
    assert_eq!(titles(&site.feed("feeds/atom.xml")), ["Good"]);
}

#[test]
fn atom_puts_the_browser_script_before_the_entries() {
    let site = TestSite::new("");
    site.write("content/a.md", &post("A", "2025-05-01", ""));
    site.build();
    let atom = site.read("feeds/atom.xml");
    let script = atom.find("<xhtml:script").expect("a script element");
    assert!(script < atom.find("<entry").unwrap(), "{atom}");
}

#[cfg(unix)]
#[test]
fn only_files_gazette_wrote_are_removed() {
    let site = TestSite::new("[feeds]\nper_tag = true\n");
    site.write("content/a.md", &post("A", "2025-05-01", "tags: [old]\n"));
    site.build();
    assert!(site.path("feeds/tags/old.xml").exists());
    site.write("feeds/tags/index.xml", "<other tool/>")
        .write("feeds/tags/tag-meta.json", "{}")
        .write("content/a.md", &post("A", "2025-05-01", "tags: [new]\n"));
    site.build();
    assert!(
        !site.path("feeds/tags/old.xml").exists(),
        "gazette's own stale feed goes"
    );
    assert!(
        site.path("feeds/tags/index.xml").exists()
            && site.path("feeds/tags/tag-meta.json").exists()
    );

    // A `tags` link into another folder is neither followed nor written through.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("new.xml"), "keep").unwrap();
    std::fs::remove_dir_all(site.path("feeds/tags")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.path("feeds/tags")).unwrap();
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("a symbolic link"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("new.xml")).unwrap(),
        "keep"
    );
}

#[test]
fn summaries_are_rendered_text() {
    let site = TestSite::new("");
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: '2025-05-01'\n---\nDerived from [Chimera Linux], and [we released Jekyll 1.0.0][jekyll-1] &amp; more[^1].\n\nSecond.\n\n[Chimera Linux]: https://chimera-linux.org/\n[jekyll-1]: https://jekyllrb.com/\n[^1]: Note.\n",
    );
    site.build();
    for (name, feed) in site.all_feeds() {
        let summary = feed.entries[0]
            .summary
            .as_ref()
            .map(|s| s.content.clone())
            .unwrap_or_default();
        // RSS descriptions are HTML: the text arrives escaped.
        let summary = html_escape::decode_html_entities(&summary).into_owned();
        assert_eq!(
            summary, "Derived from Chimera Linux, and we released Jekyll 1.0.0 & more.",
            "{name}"
        );
    }
}

#[test]
fn an_all_failing_build_keeps_the_feeds_readers_have() {
    let site = TestSite::new("");
    site.write("content/a.md", &post("A", "2025-05-01", ""))
        .write("content/b.md", &post("B", "2025-05-02", ""));
    site.build();
    let before = site.read("feeds/rss.xml");
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!("{config}[fields]\ntitle = \"heading\"\n"),
    );
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("kept the feeds as they are"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("feeds/rss.xml"), before);
    let check = site.run(&["check", "--now", NOW]);
    assert!(check.stdout.contains("checked 2 files: 0 published, 0 not published (drafts, scheduled, expired, skipped), 2 with errors"), "{}", check.stdout);
    let forced = site.run(&["build", "--now", NOW, "--allow-empty"]);
    assert_eq!(forced.code, 1);
    assert_eq!(site.feed("feeds/rss.xml").entries.len(), 0);
}

#[test]
fn generator_syntax_never_reaches_a_reader() {
    let site = TestSite::new("generator = \"hugo\"\nfeeds_url = \"./\"\npage_file = \"subscribe.html\"\ncontent_dir = \"content\"\noutput_dir = \"feeds\"\n");
    site.write("content/posts/b.md", &post("B", "2025-05-01", ""))
        .write(
            "content/posts/a.md",
            &post("A", "2025-05-02", "").replace(
                "Body of A.",
                "See [B]({{< ref \"posts/b.md\" >}}).\n\n{{< unknown thing >}}\n",
            ),
        );
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/posts/a.md:8: warning: unresolved Hugo shortcode"),
        "{}",
        run.stderr
    );
    let json = site.read("feeds/feed.json");
    assert!(json.contains("https://example.org/blog/posts/b/"), "{json}");
    assert!(!json.contains("{{<"), "{json}");
}
