//! Bad input: reported as `path:line[:column]: error: message`, skipped,
//! the rest still built.

use crate::support::*;

/// Builds a site holding one good post and `bad`, and returns stderr after
/// checking the exit status and that the good post made it.
fn build_with_bad(rel: &str, bad: &[u8]) -> (TestSite, String) {
    let site = TestSite::new("");
    site.write("content/good.md", &post("Good", "2025-05-01", ""))
        .write_bytes(rel, bad);
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(
        run.code, 1,
        "expected exit 1 for content errors\n{}",
        run.stderr
    );
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["Good"], "{name}");
    }
    (site, run.stderr)
}

#[test]
fn invalid_yaml() {
    let (_, stderr) = build_with_bad(
        "content/bad.md",
        b"---\ntitle: Fine\ndate: '2025-05-02'\ntags: [unclosed, \nsummary: x\n---\nbody\n",
    );
    let line = stderr
        .lines()
        .find(|l| l.starts_with("content/bad.md:"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("invalid YAML front matter"), "{line}");
    let number: usize = line.split(':').nth(1).unwrap().parse().unwrap();
    let column: usize = line.split(':').nth(2).unwrap().parse().unwrap();
    assert!(column >= 1, "{line}");
    assert!(
        (4..=6).contains(&number),
        "line {number} should point into the front matter: {line}"
    );
}

#[test]
fn invalid_toml() {
    let (_, stderr) = build_with_bad(
        "content/bad.md",
        b"+++\ntitle = \"Fine\"\ndate = = 2025\n+++\nbody\n",
    );
    assert!(
        // Line and column of the second `=`, as an editor counts them.
        stderr.contains("content/bad.md:3:8: error: invalid TOML front matter"),
        "{stderr}"
    );
}

#[test]
fn bad_date() {
    let (_, stderr) = build_with_bad(
        "content/bad.md",
        b"---\ntitle: Fine\ndate: next tuesday\n---\nbody\n",
    );
    assert!(
        stderr.contains("content/bad.md:3: error: `date`: cannot read \"next tuesday\" as a date"),
        "{stderr}"
    );
}

#[test]
fn not_utf8() {
    let (_, stderr) = build_with_bad(
        "content/latin1.md",
        b"---\ntitle: Caf\xe9\ndate: '2025-05-02'\n---\nbody\n",
    );
    assert!(
        stderr.contains("content/latin1.md:2: error: not valid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn long_posts_with_a_bad_body_or_long_front_matter() {
    // Collecting reads the first 8 KiB of a file; a body that is not UTF-8
    // further down is found when the post's entry is rendered, with its line.
    let mut bytes = b"---\ntitle: Long\ndate: '2025-05-02'\n---\n".to_vec();
    bytes.extend("A line of text.\n".repeat(1000).as_bytes());
    bytes.extend(b"Caf\xe9\n");
    let (_, stderr) = build_with_bad("content/long.md", &bytes);
    assert!(
        stderr.contains("content/long.md:1005: error: not valid UTF-8"),
        "{stderr}"
    );
    // Front matter longer than the first read is read whole.
    let site = TestSite::new("");
    let long_summary = "word ".repeat(3000);
    site.write(
        "content/long-front.md",
        &post(
            "Long front",
            "2025-05-01",
            &format!("summary: '{long_summary}'\n"),
        ),
    );
    site.build();
    let feed = site.feed("feeds/rss.xml");
    assert_eq!(titles(&feed), ["Long front"]);
}

#[test]
fn binary_file() {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend([0u8; 64]);
    let (_, stderr) = build_with_bad("content/image.md", &bytes);
    assert!(
        stderr.contains("content/image.md:3: error: binary file"),
        "{stderr}"
    );
}

#[test]
fn unsafe_slug() {
    // The folder `../../x` would reach is shared (the system's temp folder):
    // judge by its state before and after, not by whether it exists.
    let outside = std::env::temp_dir().join("x");
    let before = std::fs::metadata(&outside).and_then(|m| m.modified()).ok();
    let (site, stderr) = build_with_bad(
        "content/escape.md",
        b"---\ntitle: Escape\ndate: '2025-05-02'\nslug: ../../x\n---\nbody\n",
    );
    assert!(
        stderr.contains("content/escape.md:4: error: unsafe slug \"../../x\""),
        "{stderr}"
    );
    assert!(!site.path("x").exists());
    let after = std::fs::metadata(&outside).and_then(|m| m.modified()).ok();
    assert_eq!(
        before,
        after,
        "nothing was written to {}",
        outside.display()
    );
}

#[test]
fn missing_title_and_date_and_unclosed_front_matter() {
    let site = TestSite::new("");
    site.write("content/good.md", &post("Good", "2025-05-01", ""))
        .write("content/notitle.md", "---\ndate: '2025-05-02'\n---\nbody\n")
        .write("content/nodate.md", "---\ntitle: No date\n---\nbody\n")
        .write("content/open.md", "---\ntitle: Open\n")
        .write("content/plain.md", "# Just Markdown, no front matter\n");
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/notitle.md:1: error: missing `title`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/nodate.md:1: error: missing `date`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/open.md:1: error: front matter is never closed"),
        "{}",
        run.stderr
    );
    // A file without front matter is not a post: a warning, not an error.
    assert!(
        run.stderr
            .contains("content/plain.md:1: warning: no front matter"),
        "{}",
        run.stderr
    );
    assert_eq!(titles(&site.feed("feeds/atom.xml")), ["Good"]);
}

#[test]
fn hostile_titles_and_bodies_give_valid_feeds() {
    let long_title = "长".repeat(1000) + &"x".repeat(1000);
    let site = TestSite::new("");
    site.write(
        "content/escapes.md",
        "---\ntitle: \"Tom & Jerry <script>alert('x')</script> \\\"quoted\\\" it's ]]> done\"\ndate: '2025-05-04'\n---\n\nA body with ]]> and & and <b>bold</b> 🎉\n",
    )
    .write(
        "content/controls.md",
        "---\ntitle: \"Bell\\a and \\x01 vertical\\v tab\\ttext\"\ndate: '2025-05-03'\nsummary: \"form\\ffeed \\x1b escape\"\n---\n\nBody with \u{1} SOH and \u{8} backspace and \u{FFFE}.\n",
    )
    .write("content/long.md", &format!("---\ntitle: \"{long_title}\"\ndate: '2025-05-02'\n---\nbody\n"))
    .write("content/emoji.md", &post("🦀 Rust & 🐍 Python — “quotes”", "2025-05-01", "tags: ['🏷️ emoji']\n"));
    site.build();
    for (name, feed) in site.all_feeds() {
        let titles = titles(&feed);
        assert_eq!(titles.len(), 4, "{name}");
        assert_eq!(
            titles[0], "Tom & Jerry <script>alert('x')</script> \"quoted\" it's ]]> done",
            "{name}"
        );
        assert_eq!(titles[1], "Bell and  vertical tab text", "{name}");
        assert_eq!(titles[2], long_title, "{name}");
        assert_eq!(titles[3], "🦀 Rust & 🐍 Python — “quotes”", "{name}");
        let body = content_html(&feed.entries[1]);
        assert!(
            body.contains("Body with  SOH and  backspace and ."),
            "{name}: {body}"
        );
    }
    for file in ["rss.xml", "atom.xml"] {
        let text = site.read(&format!("feeds/{file}"));
        assert!(
            !text.contains('\u{1}') && !text.contains("&#1;") && !text.contains("&#x1;"),
            "{file}"
        );
    }
}

#[test]
fn config_errors_exit_2_and_name_the_key() {
    let site = TestSite::new("[feeds]\nlimt = 5\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("config.toml") && run.stderr.contains("limt"),
        "{}",
        run.stderr
    );

    let wrong_type = TestSite::new("[feeds]\nper_tag = \"sometimes\"\n");
    let run = wrong_type.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("per_tag") || run.stderr.contains("line 8"),
        "{}",
        run.stderr
    );

    // Every fatal error about a file has a diagnostic's shape, with the
    // line of the key or of the syntax error.
    let lines = BASE_CONFIG.lines().count();
    for (extra, expected) in [
        (
            "permalink = \"/posts/\"\n",
            format!("config.toml:{}: error: `permalink`: ", lines + 1),
        ),
        (
            "\n[digest]\nfrom = \"a@example.org\"\ntopics = [\"rust\", \"rust\"]\nunsubscribe_url = \"https://example.org/u?t={token}\"\n",
            format!("config.toml:{}: error: `digest.topics`: \"rust\" is listed twice", lines + 4),
        ),
        (
            "feeds = [\n",
            format!("config.toml:{}:1: error: invalid array", lines + 2),
        ),
    ] {
        let run = TestSite::new(extra).run(&["build"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.starts_with(&expected), "{expected}\n{}", run.stderr);
    }

    let missing = TestSite::new("");
    let run = missing.run(&["build", "--config", "nope.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("nope.toml: error: no such file"),
        "{}",
        run.stderr
    );

    let usage = missing.run(&["build", "--now", "tomorrow"]);
    assert_eq!(usage.code, 2);
}

#[test]
fn duplicate_urls_are_reported() {
    let site = TestSite::new("");
    site.write("content/a.md", &post("A", "2025-05-01", "slug: same\n"))
        .write("content/b.md", &post("B", "2025-05-02", "slug: same\n"));
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/b.md: error: same URL as content/a.md"),
        "{}",
        run.stderr
    );
    assert_eq!(titles(&site.feed("feeds/rss.xml")), ["A"]);
}
