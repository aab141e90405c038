//! Sites of other generators, as their authors keep them: `gazette init
//! --from .` then `gazette build` with no hand edits, and every entry's URL,
//! id and date as the generator's own feed has them. The Hugo and Jekyll
//! expectations are what the real `hugo` 0.111 and `jekyll` 4.3 with
//! jekyll-feed 0.17 write for these fixtures (CI checks that again with
//! `scripts/compare_generators.py`).

use std::path::PathBuf;

use crate::support::*;

const NOW: &str = "2026-06-01T00:00:00Z";

/// A copy of the fixture site `name`, with gazette set up by `init --from`.
fn fixture(name: &str) -> TestSite {
    let site = TestSite::empty();
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(name);
    copy_dir(&source, site.dir.path(), &[]);
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "init --from: {}{}", init.stdout, init.stderr);
    let config = config_name(&site);
    // Only the config: the templates are built in, and nothing is written
    // where the generator would publish or render it.
    let written: Vec<String> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !source.join(name).exists())
        .collect();
    assert_eq!(written, [config], "init wrote more than its config");
    site
}

/// The config `init --from` wrote: `_gazette.toml` beside a Jekyll site
/// (Jekyll publishes every file not named `_…`), else `gazette.toml`.
fn config_name(site: &TestSite) -> &'static str {
    if site.path("_gazette.toml").exists() {
        "_gazette.toml"
    } else {
        "gazette.toml"
    }
}

/// Builds and returns (link, id, date) of every Atom entry, newest first.
fn entries(site: &TestSite, atom: &str) -> Vec<(String, String, String)> {
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "build: {}", build.stderr);
    site.feed(atom)
        .entries
        .iter()
        .map(|e| {
            (
                e.links[0].href.clone(),
                e.id.clone(),
                e.published.map(|d| d.to_rfc3339()).unwrap_or_default(),
            )
        })
        .collect()
}

/// Builds the site at `NOW` and gives the links of a feed's entries.
fn built_links(site: &TestSite, feed: &str) -> Vec<String> {
    entries(site, feed)
        .into_iter()
        .map(|(link, _, _)| link)
        .collect()
}

/// Builds `site`, which succeeds with `warning` among what it says.
fn build_warning(site: &TestSite, warning: &str) {
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains(warning),
        "{warning:?} in:\n{}",
        build.stderr
    );
}

/// `built_links` of the workbench site, each as its path.
fn built_paths(site: &TestSite, feed: &str) -> Vec<String> {
    built_links(site, feed)
        .into_iter()
        .map(|l| {
            l.trim_start_matches("https://workbench.example.com")
                .to_string()
        })
        .collect()
}

/// The link of every entry of the Atom feed `file`, in order.
fn entry_links(site: &TestSite, file: &str) -> Vec<String> {
    site.feed(file)
        .entries
        .iter()
        .map(|e| e.links[0].href.clone())
        .collect()
}

/// `gazette check --against FEED` and more arguments, at `NOW`.
fn check_against(site: &TestSite, feed: &str, more: &[&str]) -> Run {
    let mut args = vec!["check", "--now", NOW, "--against", feed];
    args.extend_from_slice(more);
    site.run(&args)
}

/// `check --against` found the `n` entries of the old feed unchanged.
fn assert_unchanged(run: &Run, n: usize) {
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let line = format!("{n} entries, {n} unchanged, 0 differences");
    assert!(run.stdout.contains(&line), "{}", run.stdout);
}

/// `text` (a config `init` wrote) holds each of `lines`.
fn assert_has_lines(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

/// The run stopped with exit status 2 and said `why`.
fn assert_usage_error(run: &Run, why: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(why), "{}", run.stderr);
}

fn expect(actual: Vec<(String, String, String)>, expected: &[(&str, &str, &str)]) {
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(l, i, d)| (l.to_string(), i.to_string(), d.to_string()))
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn jekyll_site_with_jekyll_feed_ids() {
    let site = fixture("jekyll");
    let base = "https://tidepool.example.org/journal";
    let entries = entries(&site, "feeds/atom.xml");
    let expected: Vec<(String, String, String)> = [
        (
            "blog/birds/2024/10/02/gulls.html",
            "blog/birds/2024/10/02/gulls",
            "2024-10-02T07:00:00+00:00",
        ),
        (
            "birds/2024/09/14/terns.html",
            "birds/2024/09/14/terns",
            "2024-09-14T07:00:00+00:00",
        ),
        // `2024-9-3-kelp-line.md`: a month and a day of one digit.
        (
            "2024/09/03/kelp-line.html",
            "2024/09/03/kelp-line",
            "2024-09-03T07:00:00+00:00",
        ),
        (
            "2024/08/01/caf%C3%A9-notes.html",
            "2024/08/01/caf%C3%A9-notes",
            "2024-08-01T07:00:00+00:00",
        ),
        // No front matter: still a post, titled by its name.
        (
            "2024/07/15/tide-log.html",
            "2024/07/15/tide-log",
            "2024-07-15T07:00:00+00:00",
        ),
        (
            "blog/2024/06/01/nested-category.html",
            "blog/2024/06/01/nested-category",
            "2024-06-01T23:45:00+00:00",
        ),
        (
            "ecology/2024/05/20/space-tags.html",
            "ecology/2024/05/20/space-tags",
            "2024-05-20T07:00:00+00:00",
        ),
        (
            "2024/04/05/Renamed-Post.html",
            "2024/04/05/Renamed%20Post",
            "2024-04-05T07:00:00+00:00",
        ),
        (
            "special/custom-permalink/",
            "special/custom-permalink",
            "2024-03-01T08:00:00+00:00",
        ),
        (
            "field%20notes/birds/2024/02/10/with-categories.html",
            "field%20notes/birds/2024/02/10/with-categories",
            "2024-02-10T08:00:00+00:00",
        ),
        (
            "2023/02/12/repeated-year.html",
            "2023/02/12/repeated-year",
            "2023-02-13T02:30:22+00:00",
        ),
        // 06:30 UTC on the 30th is the 29th in the site's time zone.
        (
            "2023/01/29/late-evening.html",
            "2023/01/29/late-evening",
            "2023-01-30T06:30:00+00:00",
        ),
    ]
    .iter()
    .map(|(l, i, d)| (format!("{base}/{l}"), format!("{base}/{i}"), d.to_string()))
    .collect();
    assert_eq!(entries, expected);
    // Titled as Jekyll titles a post without a `title` (`Utils.titleize_slug`).
    assert!(site
        .feed("feeds/atom.xml")
        .entries
        .iter()
        .any(|e| e.title.as_ref().is_some_and(|t| t.content == "Tide Log")));
    // Drafts, `published: false`, future posts and pages outside `_posts` are left out.
    let atom = site.read("feeds/atom.xml");
    for absent in ["Unfinished", "Held back", "Not yet", "About"] {
        assert!(!atom.contains(absent), "{absent}");
    }
    // jekyll-feed's `feed.categories`, taken over by init: the categories
    // as written (`birds` is not `Birds`), folders above `_posts` included.
    for (file, title, links) in [
        (
            "birds",
            "Tidepool Notes | Birds",
            &[
                "birds/2024/09/14/terns.html",
                "field%20notes/birds/2024/02/10/with-categories.html",
            ][..],
        ),
        (
            "blog",
            "Tidepool Notes | Blog",
            &[
                "blog/birds/2024/10/02/gulls.html",
                "blog/2024/06/01/nested-category.html",
            ][..],
        ),
        (
            "ecology",
            "Tidepool Notes | Ecology",
            &["ecology/2024/05/20/space-tags.html"][..],
        ),
    ] {
        let feed = format!("feeds/categories/{file}.atom.xml");
        assert_eq!(
            site.feed(&feed).title.map(|t| t.content).as_deref(),
            Some(title)
        );
        let expected: Vec<String> = links.iter().map(|l| format!("{base}/{l}")).collect();
        assert_eq!(entry_links(&site, &feed), expected, "{file}");
    }
    // `check --against` a category's own feed compares it with that
    // category's posts, and only a category the config lists.
    let against = |category: &str| {
        check_against(
            &site,
            "feeds/categories/birds.atom.xml",
            &["--category", category],
        )
    };
    assert_unchanged(&against("Birds"), 2);
    // jekyll-feed's `feed.tags`: a feed per tag from the posts' `tag` or
    // else `tags` alone (the categories `Birds`/`birds` are not the tag
    // `birds`), but the one `except` names.
    for (file, links) in [
        (
            "birds",
            &["field%20notes/birds/2024/02/10/with-categories.html"][..],
        ),
        ("kelp", &["ecology/2024/05/20/space-tags.html"][..]),
        ("rock-pools", &["birds/2024/09/14/terns.html"][..]),
    ] {
        let expected: Vec<String> = links.iter().map(|l| format!("{base}/{l}")).collect();
        assert_eq!(
            entry_links(&site, &format!("feeds/tags/{file}.atom.xml")),
            expected,
            "{file}"
        );
    }
    assert!(!site.path("feeds/tags/urchins.xml").exists());
    let by_tag = |tag: &str| check_against(&site, "feeds/tags/kelp.atom.xml", &["--tag", tag]);
    assert_unchanged(&by_tag("Kelp"), 1);
    let excepted = by_tag("urchins");
    assert_usage_error(&excepted, "writes no feed of this tag");
    let other = against("blog");
    assert_ne!(other.code, 0, "{}", other.stdout);
    let unlisted = against("kelp");
    assert_usage_error(&unlisted, "not one of `[feeds] categories`");
}

#[test]
fn hugo_site_with_permalinks_bundles_and_capitalised_keys() {
    let site = fixture("hugo");
    let base = "https://harbor.example.net/log";
    let expected: Vec<(String, String)> = [
        // Dated by `pubdate`; `next-spring` waits for its `publishDate`,
        // `old-notice` is past its `unpublishdate`.
        ("notes/tide-clock/", "2024-06-01T23:00:00+00:00"),
        ("notes/plain-note/", "2024-05-31T23:00:00+00:00"),
        ("guides/knots/bowline/", "2024-05-25T08:00:00+00:00"),
        ("2024/05/the-new-crane/", "2024-05-20T10:00:00+00:00"),
        ("2024/05/json-front-matter/", "2024-05-06T07:00:00+00:00"),
        ("custom/Path-Kept/", "2024-05-04T12:00:00+00:00"),
        ("2024/05/custom-slug/", "2024-05-03T08:30:00+00:00"),
        ("2024/05/c-rust-a-story/", "2024-05-02T12:00:00+00:00"),
        ("2024/05/lower-case-urls/", "2024-05-01T12:00:00+00:00"),
        // Untitled: listed with an empty title, as Hugo lists it.
        ("notes/untitled-note/", "2024-04-20T06:00:00+00:00"),
        ("2024/04/a-page-bundle/", "2024-04-10T08:00:00+00:00"),
        ("2024/04/capital-letters/", "2024-04-01T09:00:00+00:00"),
        ("2024/03/filename-date/", "2024-03-05T00:00:00+00:00"),
        // A folder and a file named with spaces and `+`, sanitized as
        // Hugo makes paths of them.
        (
            "notes/field-trips/c++-and-glue/",
            "2024-03-01T00:00:00+00:00",
        ),
        ("about/", "2023-12-01T00:00:00+00:00"),
        // Undated: after every dated page, at Go's zero time, as Hugo lists
        // it; the page without front matter (no title) first.
        ("tide-tables/", "0001-01-01T00:00:00+00:00"),
        ("contact/", "0001-01-01T00:00:00+00:00"),
    ]
    .iter()
    .map(|(l, d)| (format!("{base}/{l}"), d.to_string()))
    .collect();
    let entries = entries(&site, "static/feeds/atom.xml");
    // Hugo's guid is the permalink.
    for (link, id, _) in &entries {
        assert_eq!(link, id);
    }
    let actual: Vec<(String, String)> = entries.into_iter().map(|(l, _, d)| (l, d)).collect();
    assert_eq!(actual, expected);
    let atom = site.read("static/feeds/atom.xml");
    assert!(
        atom.contains("<title></title>") || atom.contains("<title type=\"text\"></title>"),
        "the untitled note's entry"
    );
    // People see it by its address on the subscription page.
    assert!(site
        .read("static/feeds/index.html")
        .contains(">harbor.example.net/log/notes/untitled-note/</a>"));
    for absent in [
        "A resource, not a page",
        "Draft",
        "Expired",
        "Harbor press kit",
    ] {
        assert!(!atom.contains(&format!(">{absent}<")), "{absent}");
    }
    // A whole HTML document without front matter, which Hugo 0.111 copies
    // as a file: no post, and `list` says why.
    let listed = site.run(&["list", "--now", NOW]).stdout;
    assert!(
        listed
            .lines()
            .any(|line| line.contains("content/notes/press-kit.html")
                && line.contains("a plain HTML document without front matter")),
        "{listed}"
    );
    // Hugo's feed of each term of `tags` (`/tags/<term>/index.xml`): a term
    // in any spelling, a category of the same name not in it.
    for (term, links) in [
        ("field-notes", ["notes/plain-note/", "2024/05/custom-slug/"]),
        (
            "harbor",
            ["2024/05/custom-slug/", "2024/04/capital-letters/"],
        ),
        (
            "rust",
            ["2024/05/json-front-matter/", "2024/05/c-rust-a-story/"],
        ),
    ] {
        let expected: Vec<String> = links.iter().map(|l| format!("{base}/{l}")).collect();
        assert_eq!(
            entry_links(&site, &format!("static/feeds/tags/{term}.atom.xml")),
            expected,
            "{term}"
        );
        // `check --tag` takes the term's folder name, as init's line does.
        let feed = format!("static/feeds/tags/{term}.xml");
        assert_unchanged(&check_against(&site, &feed, &["--tag", term]), 2);
    }
    // And of each term of `categories`, any spelling of it.
    let harbor = entry_links(&site, "static/feeds/categories/harbor.atom.xml");
    let expected = ["notes/plain-note/", "2024/04/capital-letters/"].map(|l| format!("{base}/{l}"));
    assert_eq!(harbor, expected);
    let rss = "static/feeds/categories/harbor.xml";
    assert_unchanged(&check_against(&site, rss, &["--category", "Harbor"]), 2);
    // Hugo's feed of each section (`/<section>/index.xml`): its own pages,
    // a nested section (one with `_index.md`) apart, a folder without one
    // part of the section above it.
    let posts = entry_links(&site, "static/feeds/sections/posts.atom.xml");
    assert_eq!(posts.len(), 8, "{posts:?}");
    assert!(!posts.iter().any(|l| l.contains("crane")), "{posts:?}");
    assert_eq!(
        entry_links(&site, "static/feeds/sections/posts/harbor-works.atom.xml"),
        [format!("{base}/2024/05/the-new-crane/")]
    );
    let rss = "static/feeds/sections/posts/harbor-works.xml";
    let against = check_against(&site, rss, &["--section", "posts/harbor-works"]);
    assert_unchanged(&against, 1);
    let notes = entry_links(&site, "static/feeds/sections/notes.atom.xml");
    assert_eq!(
        notes,
        [
            format!("{base}/notes/tide-clock/"),
            format!("{base}/notes/plain-note/"),
            format!("{base}/notes/untitled-note/"),
            // In a folder without `_index.md`: the section's page still.
            format!("{base}/notes/field-trips/c++-and-glue/")
        ]
    );
    // Published in 2031: scheduled until then, its `date` kept.
    let list = site.run(&["list", "--now", NOW, "--state", "scheduled"]);
    assert!(list.stdout.contains("next-spring.md"), "{}", list.stdout);
    let later = site.run(&["build", "--now", "2031-04-02T00:00:00Z"]);
    assert_eq!(later.code, 0, "{}", later.stderr);
    let home = site.feed("static/feeds/atom.xml");
    let spring = home
        .entries
        .iter()
        .find(|e| e.links[0].href.contains("next-spring"))
        .unwrap();
    assert_eq!(
        spring.published.unwrap().to_rfc3339(),
        "2024-06-02T23:00:00+00:00"
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // `_build.list: local` is in its section's feed, not the site's; `never`
    // in neither (both are in the tag's, below).
    let knots = entry_links(&site, "static/feeds/sections/guides/knots.atom.xml");
    assert_eq!(
        knots,
        [
            format!("{base}/guides/knots/sheet-bend/"),
            format!("{base}/guides/knots/bowline/")
        ]
    );
    let rss = "static/feeds/sections/guides/knots.xml";
    assert_unchanged(
        &check_against(&site, rss, &["--section", "guides/knots"]),
        2,
    );
    let home = entry_links(&site, "static/feeds/atom.xml");
    assert!(
        !home
            .iter()
            .any(|l| l.contains("sheet-bend") || l.contains("granny")),
        "{home:?}"
    );
    assert_eq!(
        entry_links(&site, "static/feeds/tags/rope.atom.xml").len(),
        2
    );
    // A section whose pages are all in a nested one has its feed, empty.
    assert_eq!(
        entry_links(&site, "static/feeds/sections/guides.atom.xml"),
        Vec::<String>::new()
    );
    // And of each term of the site's own taxonomy (`[taxonomies] series`),
    // a single term given as a string, `Series` in any case.
    for (term, links) in [
        (
            "harbor-walks",
            ["2024/05/json-front-matter/", "2024/05/custom-slug/"],
        ),
        (
            "crates",
            ["2024/05/json-front-matter/", "2024/04/capital-letters/"],
        ),
    ] {
        let expected: Vec<String> = links.iter().map(|l| format!("{base}/{l}")).collect();
        let feed = format!("static/feeds/series/{term}.atom.xml");
        assert_eq!(entry_links(&site, &feed), expected, "{term}");
        let rss = format!("static/feeds/series/{term}.xml");
        assert_unchanged(
            &check_against(&site, &rss, &["--term", &format!("series={term}")]),
            2,
        );
    }
    assert_usage_error(
        &check_against(&site, "static/feeds/rss.xml", &["--term", "genres=x"]),
        "writes no feeds of `genres`",
    );
    let config = site.read(config_name(&site));
    assert!(config.contains("\n#   gazette check --against public/tags/TAG/index.xml --tag TAG"));
    assert!(config.contains(
        "\n#   gazette check --against public/series/SERIES/index.xml --term series=SERIES"
    ));
}

#[test]
fn zola_site_with_dated_names_taxonomies_and_paths() {
    let site = fixture("zola");
    // The site's own config.toml is Zola's: gazette reads gazette.toml.
    assert!(site.read("gazette.toml").contains("generator = \"zola\""));
    // As Zola 0.22 lists them (scripts/compare_generators.py builds this
    // site with it): no page that only its `path` dates, no translation.
    expect(
        entries(&site, "static/feeds/atom.xml"),
        &[
            (
                "https://quarry.example.com/blog/cafe-au-lait/",
                "https://quarry.example.com/blog/cafe-au-lait/",
                "2024-07-01T00:00:00+00:00",
            ),
            (
                "https://quarry.example.com/blog/revised/",
                "https://quarry.example.com/blog/revised/",
                "2024-06-20T10:00:00+00:00",
            ),
            (
                "https://quarry.example.com/blog/hello-world/",
                "https://quarry.example.com/blog/hello-world/",
                "2024-06-01T00:00:00+00:00",
            ),
            (
                "https://quarry.example.com/blog/leading-blank/",
                "https://quarry.example.com/blog/leading-blank/",
                "2024-05-10T07:00:00+00:00",
            ),
            (
                "https://quarry.example.com/blog/second/",
                "https://quarry.example.com/blog/second/",
                "2024-04-01T00:00:00+00:00",
            ),
            (
                "https://quarry.example.com/blog/first-post/",
                "https://quarry.example.com/blog/first-post/",
                "2024-03-05T00:00:00+00:00",
            ),
            (
                "https://quarry.example.com/blog/2023/old-face/",
                "https://quarry.example.com/blog/2023/old-face/",
                "2023-09-14T00:00:00+00:00",
            ),
        ],
    );
    let feed = site.feed("static/feeds/atom.xml");
    let first = &feed.entries[5];
    let tags: Vec<&str> = first.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(tags, ["granite", "tools"], "taxonomies.tags");
    let updated = |entry: &feed_rs::model::Entry| entry.updated.map(|d| d.to_rfc3339());
    assert_eq!(
        updated(&feed.entries[1]).as_deref(),
        Some("2024-07-02T08:30:00+00:00"),
        "updated"
    );
    // `@/about.md` names a page Zola writes but leaves out of its feeds.
    let revised = feed.entries[1]
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref());
    assert!(
        revised.is_some_and(|html| html.contains("href=\"https://quarry.example.com/about/\"")),
        "{revised:?}"
    );
    // Zola's feed reads no `extra.updated`, nor a theme's `extra.author`.
    assert_eq!(
        updated(&feed.entries[3]).as_deref(),
        Some("2024-05-10T07:00:00+00:00")
    );
    let authors: Vec<&str> = feed
        .entries
        .iter()
        .flat_map(|e| &e.authors)
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(authors, ["Ana Lopes"], "authors");
    assert!(!site.read("gazette.toml").contains("Inês Vale"));
    assert!(!site.read("static/feeds/atom.xml").contains("About"));
    // Zola's feed of each term of a taxonomy with `feed = true`, terms read
    // from `[taxonomies]`; none for `stages`, which has no feeds.
    let base = "https://quarry.example.com";
    assert_eq!(
        entry_links(&site, "static/feeds/series/cutting.atom.xml"),
        [
            format!("{base}/blog/hello-world/"),
            format!("{base}/blog/first-post/")
        ]
    );
    let rss = "static/feeds/series/cutting.xml";
    assert_unchanged(&check_against(&site, rss, &["--term", "series=Cutting"]), 2);
    assert_eq!(
        entry_links(&site, "static/feeds/categories/field.atom.xml"),
        [format!("{base}/blog/first-post/")]
    );
    assert_eq!(
        entry_links(&site, "static/feeds/tags/granite.atom.xml").len(),
        1
    );
    assert!(!site.path("static/feeds/stages").exists());
    // And of each section whose `_index.md` sets `generate_feeds`, with
    // the pages of the transparent `blog/2023` below it.
    let blog = entry_links(&site, "static/feeds/sections/blog.atom.xml");
    assert_eq!(blog.len(), 7);
    assert_eq!(blog[6], format!("{base}/blog/2023/old-face/"));
    let rss = "static/feeds/sections/blog.xml";
    assert_unchanged(&check_against(&site, rss, &["--section", "blog"]), 7);
    assert_usage_error(
        &check_against(&site, rss, &["--section", "notes"]),
        "not one of `per_section_only`",
    );
    // In French, `blog/2023` has no `_index.fr.md`: its French page is in
    // no section (Zola makes no French section there), so not in the
    // French blog's feed, but in the French feed.
    let old_face = format!("{base}/fr/blog/2023/old-face/");
    assert!(entry_links(&site, "static/feeds/fr/atom.xml").contains(&old_face));
    let french_blog = entry_links(&site, "static/feeds/fr/sections/blog.atom.xml");
    assert_eq!(french_blog.len(), 2, "{french_blog:?}");
    assert!(!french_blog.contains(&old_face));
    let config = site.read("gazette.toml");
    assert!(config.contains(
        "#   gazette check --against public/series/SERIES/atom.xml --term series=SERIES"
    ));
}

#[test]
fn eleventy_site_with_permalinks_and_json_front_matter() {
    let site = fixture("eleventy");
    expect(
        entries(&site, "_site/feeds/atom.xml"),
        &[
            // Dated in the future: Eleventy lists it at once.
            (
                "https://lantern.example.dev/posts/next-season/",
                "https://lantern.example.dev/posts/next-season/",
                "2031-03-01T00:00:00+00:00",
            ),
            (
                "https://lantern.example.dev/posts/notes/",
                "https://lantern.example.dev/posts/notes/",
                "2024-03-08T00:00:00+00:00",
            ),
            (
                "https://lantern.example.dev/posts/json-style/",
                "https://lantern.example.dev/posts/json-style/",
                "2024-03-07T08:00:00+00:00",
            ),
            (
                "https://lantern.example.dev/p/templated/",
                "https://lantern.example.dev/p/templated/",
                "2024-03-04T00:00:00+00:00",
            ),
            (
                "https://lantern.example.dev/writing/custom/",
                "https://lantern.example.dev/writing/custom/",
                "2024-03-03T00:00:00+00:00",
            ),
            (
                "https://lantern.example.dev/posts/2024-02-02-dated-name/",
                "https://lantern.example.dev/posts/2024-02-02-dated-name/",
                "2024-02-02T00:00:00+00:00",
            ),
            (
                "https://lantern.example.dev/posts/first-post/",
                "https://lantern.example.dev/posts/first-post/",
                "2024-01-10T00:00:00+00:00",
            ),
        ],
    );
}

#[test]
fn feeds_live_under_feeds_url_and_the_page_cannot_replace_the_home_page() {
    let site = fixture("hugo");
    site.run(&["build", "--now", NOW]);
    let rss = site.feed("static/feeds/rss.xml");
    let self_link = rss
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .unwrap();
    assert_eq!(
        self_link.href,
        "https://harbor.example.net/log/feeds/rss.xml"
    );
    let page = site.read("static/feeds/index.html");
    assert!(
        page.contains("https://harbor.example.net/log/feeds/atom.xml"),
        "autodiscovery"
    );
    assert!(!site.path("static/index.html").exists());

    let config = site
        .read("gazette.toml")
        .replace("feeds_url = \"feeds/\"", "feeds_url = \"./\"");
    site.write("gazette.toml", &config);
    let run = site.run(&["build", "--now", NOW]);
    assert_usage_error(&run, "home page");
}

#[test]
fn output_flag_writes_elsewhere_and_leaves_the_output_folder_alone() {
    let site = fixture("jekyll");
    let run = site.run(&["build", "--now", NOW, "--output", "preview"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("preview/rss.xml").exists());
    assert!(!site.path("feeds").exists());
}

#[test]
fn a_zola_config_is_named_and_init_is_suggested() {
    let site = TestSite::empty();
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/zola"),
        site.dir.path(),
        &[],
    );
    let run = site.run(&["build"]);
    assert_usage_error(&run, "Zola's configuration");
    assert!(
        run.stderr.contains("gazette init --from ."),
        "{}",
        run.stderr
    );
}

#[test]
fn init_honours_the_config_flag_and_never_overwrites() {
    let site = TestSite::empty();
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/hugo"),
        site.dir.path(),
        &[],
    );
    let run = site.run(&["init", "--from", ".", "-c", "feeds.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("feeds.toml").exists() && !site.path("gazette.toml").exists());
    let build = site.run(&["-c", "feeds.toml", "build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let again = site.run(&["init", "--from", ".", "-c", "feeds.toml"]);
    assert_usage_error(&again, "already exists");
    let plain = site.run(&["init", "-c", "other.toml", "new-site"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(
        site.path("other.toml").exists() && site.path("new-site/content/hello-world.md").exists()
    );
}

/// An Atom feed with these (id, link, published) entries.
fn atom(entries: &[(&str, &str, &str)]) -> String {
    let untitled: Vec<_> = entries.iter().map(|&(i, l, d)| (i, l, d, None)).collect();
    atom_titled(&untitled)
}

/// An Atom feed of entries (id, link, date, title); one without a title
/// has its titles left out of the comparison.
fn atom_titled(entries: &[(&str, &str, &str, Option<&str>)]) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Old</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>",
    );
    for (id, link, date, title) in entries {
        let title = title
            .map(|t| format!("<title type=\"html\">{t}</title>"))
            .unwrap_or_default();
        text.push_str(&format!(
            "<entry>{title}<id>{id}</id><link href=\"{link}\" rel=\"alternate\"/><published>{date}</published><updated>{date}</updated></entry>"
        ));
    }
    text.push_str("</feed>");
    text
}

#[test]
fn check_against_an_old_feed_that_matches() {
    let site = fixture("jekyll");
    let base = "https://tidepool.example.org/journal";
    site.write(
        "old-feed.xml",
        &atom(&[
            (
                &format!("{base}/2024/04/05/Renamed%20Post"),
                &format!("{base}/2024/04/05/Renamed-Post.html"),
                "2024-04-05T00:00:00-07:00",
            ),
            (
                &format!("{base}/special/custom-permalink"),
                &format!("{base}/special/custom-permalink/"),
                "2024-03-01T00:00:00-08:00",
            ),
            (
                &format!("{base}/field%20notes/birds/2024/02/10/with-categories"),
                &format!("{base}/field%20notes/birds/2024/02/10/with-categories.html"),
                "2024-02-10T00:00:00-08:00",
            ),
            (
                &format!("{base}/2023/02/12/repeated-year"),
                &format!("{base}/2023/02/12/repeated-year.html"),
                "2023-02-12T18:30:22-08:00",
            ),
            (
                &format!("{base}/2023/01/29/late-evening"),
                &format!("{base}/2023/01/29/late-evening.html"),
                "2023-01-30T06:30:00+00:00",
            ),
        ]),
    );
    // Built before the site's newer posts, which are no difference.
    let run = check_against(&site, "old-feed.xml", &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("5 entries, 5 unchanged, 0 differences"),
        "{}",
        run.stdout
    );
}

/// Titles are compared as readers show them: a character reference is
/// the character it stands for, and a renamed entry is named.
#[test]
fn check_against_an_old_feed_compares_titles() {
    let site = fixture("jekyll");
    let base = "https://tidepool.example.org/journal";
    site.write(
        "old-feed.xml",
        &atom_titled(&[
            (
                &format!("{base}/blog/birds/2024/10/02/gulls"),
                &format!("{base}/blog/birds/2024/10/02/gulls.html"),
                "2024-10-02T00:00:00-07:00",
                Some("Gulls,  lower&amp;#45;case"),
            ),
            (
                &format!("{base}/birds/2024/09/14/terns"),
                &format!("{base}/birds/2024/09/14/terns.html"),
                "2024-09-14T00:00:00-07:00",
                Some("Terns on the jetty"),
            ),
        ]),
    );
    let config = site.read("_gazette.toml");
    site.write("_gazette.toml", &config.replace("limit = 50", "limit = 2"));
    let run = check_against(&site, "old-feed.xml", &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("2 entries, 1 unchanged, 1 difference")
            && run.stdout.contains(&format!("title changed for {base}/birds/2024/09/14/terns: \"Terns on the jetty\" -> \"Terns at the jetty\"")),
        "{}",
        run.stdout
    );
}

/// An old feed that kept fewer entries than gazette's: each post gazette's
/// feed holds beyond them, older than all of them, is one readers would
/// see as new, until `limit` keeps as many as the generator kept.
#[test]
fn check_against_an_old_feed_that_kept_fewer_entries() {
    let site = fixture("jekyll");
    let base = "https://tidepool.example.org/journal";
    site.write(
        "old-feed.xml",
        &atom(&[
            (
                &format!("{base}/blog/birds/2024/10/02/gulls"),
                &format!("{base}/blog/birds/2024/10/02/gulls.html"),
                "2024-10-02T00:00:00-07:00",
            ),
            (
                &format!("{base}/birds/2024/09/14/terns"),
                &format!("{base}/birds/2024/09/14/terns.html"),
                "2024-09-14T00:00:00-07:00",
            ),
        ]),
    );
    let run = check_against(&site, "old-feed.xml", &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("2 entries, 2 unchanged, 10 differences")
            && run.stdout.contains(&format!("in gazette's feed, older than every entry of the old feed: {base}/2023/01/29/late-evening \"Late evening at the point\"")),
        "{}",
        run.stdout
    );
    let config = site.read("_gazette.toml");
    site.write("_gazette.toml", &config.replace("limit = 50", "limit = 2"));
    assert_unchanged(&check_against(&site, "old-feed.xml", &[]), 2);
}

/// A feed built without the site's address (jekyll-feed with an empty
/// `url`, basically-basic's example) has relative ids and links: the post
/// at that path is found, and its id named as changed, since no absolute
/// id can be the relative one readers have.
#[test]
fn check_against_an_old_feed_with_relative_ids() {
    let site = fixture("jekyll");
    let base = "https://tidepool.example.org/journal";
    site.write(
        "old-feed.xml",
        &atom(&[
            (
                "/journal/birds/2024/09/14/terns",
                "/journal/birds/2024/09/14/terns.html",
                "2024-09-14T00:00:00-07:00",
            ),
            (
                "/journal/gone",
                "/journal/gone.html",
                "2024-09-01T00:00:00Z",
            ),
        ]),
    );
    let run = check_against(&site, "old-feed.xml", &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    for expected in [
        format!("id changed for {base}/birds/2024/09/14/terns.html: /journal/birds/2024/09/14/terns -> {base}/birds/2024/09/14/terns (a relative id)\n"),
        "missing from gazette's feeds: /journal/gone (a relative id)\n".to_string(),
        // Why, said once for both.
        "  2 of these have relative ids: gazette writes absolute ids; either the old feed was built without the site's address".to_string(),
    ] {
        assert!(run.stdout.contains(&expected), "missing {expected:?} in\n{}", run.stdout);
    }
    // The post found by its path is not also new.
    assert!(
        !run.stdout.contains("new within the old feed's time span: https://tidepool.example.org/journal/birds/2024/09/14/terns"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_against_an_old_feed_lists_every_change() {
    let site = fixture("jekyll");
    let base = "https://tidepool.example.org/journal";
    site.write(
        "old-feed.xml",
        &atom(&[
            // Same post, id in another format: readers would see it again.
            (
                &format!("{base}/2024/04/05/Renamed-Post.html"),
                &format!("{base}/2024/04/05/Renamed-Post.html"),
                "2024-04-05T00:00:00-07:00",
            ),
            // Same id, moved and re-dated.
            (
                &format!("{base}/special/custom-permalink"),
                &format!("{base}/old/place/"),
                "2024-03-02T00:00:00-08:00",
            ),
            (
                "urn:gone",
                "https://tidepool.example.org/gone/",
                "2024-01-01T00:00:00Z",
            ),
        ]),
    );
    let run = check_against(&site, "old-feed.xml", &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    for expected in [
        &format!("id changed for {base}/2024/04/05/Renamed-Post.html"),
        &format!("link changed for {base}/special/custom-permalink"),
        &format!("date changed for {base}/special/custom-permalink"),
        &"missing from gazette's feeds: urn:gone".to_string(),
        &"new within the old feed's time span".to_string(),
    ] {
        assert!(
            run.stdout.contains(expected.as_str()),
            "missing {expected:?} in\n{}",
            run.stdout
        );
    }
}

/// The hugo-main-sections fixture without the pages of its `notes`
/// section, for a test to write its own.
fn workbench_without_notes() -> TestSite {
    let site = fixture("hugo-main-sections");
    for file in std::fs::read_dir(site.path("content/notes")).unwrap() {
        let path = file.unwrap().path();
        if path.is_file() {
            std::fs::remove_file(path).unwrap();
        }
    }
    site
}

/// A page of the `notes` section with this front matter.
fn write_note(site: &TestSite, name: &str, front_matter: &str) {
    site.write(
        &format!("content/notes/{name}.md"),
        &format!("---\n{front_matter}---\nText.\n"),
    );
}

/// Two pages at one address (Hugo writes both, the later over the
/// earlier, and lists both in its feed): the build names the one it leaves
/// out, and the comparison counts the old feed's second entry as the same
/// address listed again, not as a renamed or re-dated post.
#[test]
fn check_against_an_old_feed_listing_one_address_twice() {
    let site = workbench_without_notes();
    let base = "https://workbench.example.com";
    write_note(
        &site,
        "forward-proxy",
        "title: Forward proxy\ndate: 2017-10-26\nurl: proxy\n",
    );
    write_note(
        &site,
        "proxy-pattern",
        "title: Proxy pattern\ndate: 2024-04-16\nurl: proxy\n",
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(
        build.stderr.contains(
            "content/notes/proxy-pattern.md: error: same URL as content/notes/forward-proxy.md (https://workbench.example.com/proxy/): give one of them another address"
        ),
        "{}",
        build.stderr
    );
    let proxy = format!("{base}/proxy/");
    site.write(
        "old-feed.xml",
        &atom_titled(&[
            (
                &proxy,
                &proxy,
                "2024-04-16T00:00:00Z",
                Some("Proxy pattern"),
            ),
            (
                &proxy,
                &proxy,
                "2017-10-26T00:00:00Z",
                Some("Forward proxy"),
            ),
        ]),
    );
    let run = check_against(&site, "old-feed.xml", &["--section", "notes"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "the old feed has {proxy} again as \"Proxy pattern\": two pages at one address"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("2 entries, 1 unchanged, 1 difference\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("title changed"), "{}", run.stdout);
}

/// Hugo reads `date` for `lastmod` too: a date it cannot read is one
/// error, not two; a one-digit hour is read as Hugo reads it.
#[test]
fn a_hugo_date_read_twice_is_reported_once() {
    let site = fixture("hugo-main-sections");
    site.write(
        "content/notes/bad-day.md",
        "---\ntitle: Bad day\ndate: 2016-12-012T20:56:48-05:00\n---\nText.\n",
    );
    site.write(
        "content/notes/early.md",
        "---\ntitle: Early\ndate: 2023-05-10T9:43:07-05:00\n---\nText.\n",
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert_eq!(
        build
            .stderr
            .matches("content/notes/bad-day.md:3: error: `date`: cannot read")
            .count(),
        1,
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains("early.md"), "{}", build.stderr);
    assert!(site
        .read("static/feeds/atom.xml")
        .contains("<published>2023-05-10T09:43:07-05:00</published>"));
}

/// `---js` front matter gives its literal values; one gazette cannot read
/// as JavaScript is an error on its line, and the other posts still go out.
#[test]
fn javascript_front_matter_literal_values_or_an_error_with_its_line() {
    let site = fixture("eleventy");
    site.write(
        "src/posts/js-front.md",
        "---js\n{\n  title: \"Literal\",\n  date: '2024-03-01',\n}\n---\nBody\n",
    );
    site.write(
        "src/posts/js-broken.md",
        "---js\n{\n  title: \"Never closed,\n}\n---\nBody\n",
    );
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "src/posts/js-broken.md:2: error: JavaScript front matter gazette cannot read"
        ),
        "{}",
        run.stderr
    );
    let feed = site.feed("_site/feeds/atom.xml");
    assert_eq!(feed.entries.len(), 8, "the others are built");
    assert!(
        feed.entries
            .iter()
            .any(|e| e.title.as_ref().is_some_and(|t| t.content == "Literal")),
        "the literal front matter is read"
    );
}

#[test]
fn blank_lines_before_the_front_matter_are_read() {
    let site = TestSite::new("");
    site.write(
        "content/blank.md",
        "\n\n---\ntitle: After blank lines\ndate: 2025-05-01\n---\nBody\n",
    );
    let run = site.run(&["build", "--now", super::support::NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["After blank lines"], "{name}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_inside_are_followed_and_outside_are_reported() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        post("Outside", "2025-05-02", ""),
    )
    .unwrap();
    let site = TestSite::new("");
    site.write("content/real/post.md", &post("Linked", "2025-05-01", ""));
    std::os::unix::fs::symlink("real/post.md", site.path("content/alias.md")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path("content/escape.md"),
    )
    .unwrap();
    let run = site.run(&["build", "--now", super::support::NOW]);
    assert!(
        run.stderr.contains(
            "content/escape.md: warning: symbolic link to somewhere outside the content folder"
        ),
        "{}",
        run.stderr
    );
    // The link inside and its target are one post twice: reported as a duplicate URL or id.
    let feed = site.feed("feeds/atom.xml");
    assert!(titles(&feed).contains(&"Linked".to_string()));
    assert!(!titles(&feed).contains(&"Outside".to_string()));
}

#[test]
fn excluded_files_are_not_posts() {
    let site = TestSite::new("exclude = [\"drafts/**\", \"*.tmp.md\"]\n");
    site.write("content/kept.md", &post("Kept", "2025-05-01", ""))
        .write("content/drafts/idea.md", &post("Idea", "2025-05-02", ""))
        .write("content/scratch.tmp.md", "not even front matter");
    let run = site.run(&["build", "--now", super::support::NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.is_empty(),
        "excluded files are not read: {}",
        run.stderr
    );
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["Kept"], "{name}");
    }
    let list = site.run(&["list", "--now", super::support::NOW]);
    assert!(
        !list.stdout.contains("idea.md") && !list.stdout.contains("scratch"),
        "{}",
        list.stdout
    );
}

#[test]
fn a_fields_key_no_post_uses_is_a_warning() {
    let site = TestSite::new("[fields]\ntags = \"taxonomies.tag\"\n");
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-05-01\n[taxonomies]\ntags = [\"x\"]\n+++\nBody\n",
    );
    let run = site.run(&["build", "--now", super::support::NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "config.toml: warning: `fields.tags`: no post sets any of its keys (taxonomies.tag)"
        ),
        "{}",
        run.stderr
    );
    let fixed = TestSite::new("[fields]\ntags = \"taxonomies.tags\"\n");
    fixed.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-05-01\n[taxonomies]\ntags = [\"x\"]\n+++\nBody\n",
    );
    let run = fixed.run(&["build", "--now", super::support::NOW]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let feed = fixed.feed("feeds/atom.xml");
    assert_eq!(feed.entries[0].categories[0].term, "x");
}

#[test]
fn a_whole_taxonomies_table_is_read_as_tags() {
    let site = TestSite::new("[fields]\ntags = \"taxonomies\"\n");
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-05-01\n[taxonomies]\ntags = [\"x\"]\ncategories = [\"y\"]\n+++\nBody\n",
    );
    let run = site.run(&["build", "--now", super::support::NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let feed = site.feed("feeds/atom.xml");
    let terms: Vec<&str> = feed.entries[0]
        .categories
        .iter()
        .map(|c| c.term.as_str())
        .collect();
    assert_eq!(terms, ["y", "x"]);
}

/// Issue 20: the feed length is the generator's (Zola and Hugo list every
/// post unless told otherwise), and every value `init` had to invent is a
/// `note:`.
#[test]
fn init_takes_the_generators_feed_length_and_notes_what_it_invented() {
    let zola = TestSite::empty();
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/zola");
    copy_dir(&source, zola.dir.path(), &[]);
    let init = zola.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let config = zola.read("gazette.toml");
    assert!(config.contains("\n[feeds]\nlimit = 0\n"), "{config}");
    // The compare line names the file the generator's build writes.
    assert!(
        config.contains("gazette check --against public/atom.xml"),
        "{config}"
    );
    assert!(
        !init.stdout.contains("note: the site's title"),
        "{}",
        init.stdout
    );

    // A Jekyll site with no title and the starter config's address.
    let bare = TestSite::empty();
    bare.write(
        "_config.yml",
        "url: \"http://example.com\"\nplugins:\n  - jekyll-feed\n",
    )
    .write(
        "_posts/2025-01-02-hello.md",
        "---\ntitle: Hello\n---\nHi.\n",
    );
    let init = bare.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    for note in [
        "note: the site's title was not found",
        "note: the site's address \"http://example.com/\" is an example placeholder, the generator's or a starter's",
        "note: no site author was found",
    ] {
        assert!(init.stdout.contains(note), "{note}\n{}", init.stdout);
    }
    // jekyll-feed's own default: the ten newest posts.
    let config = bare.read("_gazette.toml");
    assert!(config.contains("\nlimit = 10\n"), "{config}");
    assert!(
        config.contains("templates_dir = \"_gazette/templates\""),
        "{config}"
    );
    assert!(
        config.contains("gazette check --against _site/feed.xml"),
        "{config}"
    );
}

/// A draft whose front matter is no YAML (bengsfort's `excerpt: @todos`):
/// Jekyll reads `_drafts` only with `--drafts`, so the build succeeds with
/// a warning naming it, the posts published.
#[test]
fn an_unreadable_jekyll_draft_is_a_warning() {
    let site = TestSite::empty();
    site.write(
        "_config.yml",
        "title: T\nurl: https://t.example.org\nplugins: [jekyll-feed]\n",
    )
    .write(
        "_posts/2025-01-02-hello.md",
        "---\ntitle: Hello\n---\nHi.\n",
    )
    .write(
        "_drafts/todo.md",
        "---\ntitle: Todo\nexcerpt: @todos for later\n---\nSoon.\n",
    );
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("_drafts/todo.md:3:10: warning: invalid YAML front matter"),
        "{}",
        build.stderr
    );
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout
            .contains("(_drafts/todo.md): a draft gazette cannot read"),
        "{}",
        list.stdout
    );
}

/// Issue 20: Jekyll's front-matter `defaults:` set post permalinks (and the
/// author) over a site-wide `:title`, under which two posts would collide;
/// a post's own `permalink` still wins; defaults for a path (`tutorials`)
/// give the posts there their own pattern and a category after the folder's. CI builds the same fixture with the
/// real Jekyll and compares (scripts/compare_generators.py).
#[test]
fn jekyll_defaults_set_post_permalinks() {
    let site = fixture("jekyll-defaults");
    let base = "https://lighthouse.example.org";
    let links: Vec<String> = entries(&site, "feeds/atom.xml")
        .into_iter()
        .map(|(link, _, _)| link.trim_start_matches(base).to_string())
        .collect();
    assert_eq!(
        links,
        [
            "/learn/tutorials/howto/rope-knots/",
            "/blog/2025/02/01/with-category/",
            "/notes/own-address/",
            "/blog/2024/12/21/longest-night/",
            "/blog/2024/11/04/fog-week/",
            "/blog/2023/11/02/fog-week/",
        ]
    );
    assert!(site
        .read("_gazette.toml")
        .contains("name = \"Mara Keeper\""));

    // The same pattern written in Jekyll's own syntax in gazette.toml means
    // what Jekyll means (`:title` is the file's slug): the same links.
    let config = site.read("_gazette.toml");
    let jekyll_syntax: String = config
        .lines()
        .map(|line| {
            if line.starts_with("permalink = ") {
                "permalink = \"/blog/:year/:month/:day/:title/\"".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(jekyll_syntax, config, "init wrote a permalink line");
    site.write("_gazette.toml", &jekyll_syntax);
    let again: Vec<String> = entries(&site, "feeds/atom.xml")
        .into_iter()
        .map(|(link, _, _)| link.trim_start_matches(base).to_string())
        .collect();
    assert_eq!(again, links);
}

/// The defaults are read at every build: editing `_config.yml` changes the
/// links of a warm build (its cache depends on the file).
#[test]
fn an_edit_to_jekyll_defaults_reaches_a_warm_build() {
    let site = fixture("jekyll-defaults");
    let base = "https://lighthouse.example.org";
    let links = |site: &_| -> Vec<String> {
        entries(site, "feeds/atom.xml")
            .into_iter()
            .map(|(link, _, _)| link.trim_start_matches(base).to_string())
            .collect()
    };
    assert_eq!(links(&site)[0], "/learn/tutorials/howto/rope-knots/");
    let config = site.read("_config.yml");
    site.write(
        "_config.yml",
        &config.replace("/learn/:categories/:title/", "/howto/:title/"),
    );
    assert_eq!(links(&site)[0], "/howto/rope-knots/");
}

#[test]
fn an_index_page_added_or_removed_moves_posts_between_sections_on_a_warm_build() {
    let site = fixture("hugo");
    let in_posts = |site: &TestSite| -> usize {
        let build = site.run(&["build", "--now", NOW]);
        assert_eq!(build.code, 0, "build: {}", build.stderr);
        entry_links(site, "static/feeds/sections/posts.atom.xml").len()
    };
    assert_eq!(in_posts(&site), 8);
    // Without its `_index.md`, `harbor-works` is a folder of `posts`.
    let index = site.read("content/posts/harbor-works/_index.md");
    std::fs::remove_file(site.path("content/posts/harbor-works/_index.md")).unwrap();
    assert_eq!(in_posts(&site), 9);
    assert!(!site
        .path("static/feeds/sections/posts/harbor-works.xml")
        .exists());
    site.write("content/posts/harbor-works/_index.md", &index);
    assert_eq!(in_posts(&site), 8);
    assert!(site
        .path("static/feeds/sections/posts/harbor-works.xml")
        .exists());
}

/// Issue 20: a Hugo page without a date is listed at 0001-01-01 after the
/// dated ones, as Hugo's feeds list it (`list` says why), and with
/// `undated = "leave-out"` it is left out, which `list` and `check
/// --against` say.
/// A page file beside the leaf bundle of its name (`x.md` and `x/index.md`,
/// as kuochunchang's site has one): one logical path, which Hugo publishes
/// once, as the bundle (measured with Hugo 0.111; Hugo 0.168 publishes
/// either from run to run). gazette keeps the bundle and says so.
#[test]
fn a_hugo_page_beside_its_own_bundle_gives_way_to_it() {
    let site = fixture("hugo");
    site.write(
        "content/notes/kelp.md",
        "---\ntitle: Kelp (file)\ndate: 2024-06-09\n---\nThe file.\n",
    );
    site.write(
        "content/notes/kelp/index.md",
        "---\ntitle: Kelp (bundle)\ndate: 2024-06-08\n---\nThe bundle.\n",
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains("content/notes/kelp.md: warning: the leaf bundle content/notes/kelp/index.md has the same URL, and Hugo publishes the bundle"),
        "{}",
        build.stderr
    );
    let rss = site.read("static/feeds/rss.xml");
    assert!(
        rss.contains("Kelp (bundle)") && !rss.contains("Kelp (file)"),
        "{rss}"
    );
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout
            .lines()
            .any(|l| l.starts_with("skipped")
                && l.contains("(content/notes/kelp.md): the leaf bundle")),
        "{}",
        list.stdout
    );
    // Any other clash is the site's to settle: an error.
    site.write(
        "content/notes/kelp-again.md",
        "---\ntitle: Kelp again\ndate: 2024-06-10\nurl: /notes/kelp/\n---\nAgain.\n",
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(
        build.stderr.contains("error: same URL as"),
        "{}",
        build.stderr
    );
}

#[test]
fn undated_hugo_pages_are_listed_at_the_zero_date_as_hugo_does() {
    // The fixture's `contact.md` has no date.
    let site = fixture("hugo");
    let contact = "https://harbor.example.net/log/contact/";
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout.lines().any(|l| l.starts_with("published")
            && l.contains("content/contact.md): no date: listed at 0001-01-01, as Hugo lists")),
        "{}",
        list.stdout
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let rss = site.read("static/feeds/rss.xml");
    let feed = feed_rs::parser::parse(rss.as_bytes()).unwrap();
    let last = feed.entries.last().unwrap();
    assert_eq!(last.links[0].href, contact);
    assert_eq!(
        last.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("0001-01-01T00:00:00+00:00")
    );
    // So is the page without front matter, which Hugo builds all the same.
    let tide_tables = "https://harbor.example.net/log/tide-tables/";
    site.write(
        "old-feed.xml",
        &atom(&[
            (tide_tables, tide_tables, "0001-01-01T00:00:00Z"),
            (contact, contact, "0001-01-01T00:00:00Z"),
        ]),
    );
    let run = check_against(&site, "old-feed.xml", &[]);
    assert!(
        run.stdout.contains("2 entries, 2 unchanged, 0 differences"),
        "{}{}",
        run.stdout,
        run.stderr
    );

    let config = site.read("gazette.toml");
    site.write(
        "gazette.toml",
        &format!("undated = \"leave-out\"\n{config}"),
    );
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout.lines().any(|l| l.starts_with("skipped")
            && l.contains("content/contact.md): no date: Hugo lists such a page at 0001-01-01")),
        "{}",
        list.stdout
    );
    let run = check_against(&site, "old-feed.xml", &[]);
    assert!(
        run.stdout
            .contains("undated in the site: the generator listed it at 0001-01-01, where `undated = \"zero-date\"` lists it too"),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

/// Issue 20: Hugo takes its address from `HUGO_BASEURL` where the deploy
/// sets it, and so does gazette from the config `init` wrote.
#[test]
fn hugo_baseurl_from_the_environment_moves_the_links_as_in_hugo() {
    let site = fixture("hugo");
    let config = site.read("gazette.toml");
    assert!(
        config.contains("base_url_env = \"HUGO_BASEURL\"\n"),
        "{config}"
    );
    let deploy = "https://deploy.example.net/harbor/";
    let run = Run::of(
        site.command(&["build", "--now", NOW])
            .env("HUGO_BASEURL", deploy),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let links = entry_links(&site, "static/feeds/atom.xml");
    assert!(links.contains(&format!("{deploy}about/")), "{links:?}");
    assert!(links.iter().all(|l| l.starts_with(deploy)), "{links:?}");
}

/// Issue 20: Eleventy's data cascade decides the URLs (layout and tag from a
/// directory data file, permalink from the layout's front matter), and only
/// the collection the site's feed lists are posts. CI builds the same
/// fixture with the real Eleventy 3 and its feed plugin and compares.
#[test]
fn eleventy_data_cascade_and_the_feed_collection() {
    let site = fixture("eleventy-cascade");
    let config = site.read("gazette.toml");
    assert!(config.contains("collection = \"posts\""), "{config}");
    assert!(
        config.contains("templates_dir = \"src/_includes/gazette\""),
        "{config}"
    );
    let links: Vec<String> = built_links(&site, "_site/feeds/atom.xml");
    assert_eq!(
        links,
        [
            // Dated in the future: Eleventy lists it at once.
            "https://cascade.example.org/blog/next-year/",
            // `kiln/2024-05-06-index.md` with `slug: fired-clay`: its
            // `page.fileSlug` is the folder's, as Eleventy makes it.
            "https://cascade.example.org/blog/kiln/",
            "https://cascade.example.org/notes/own-address/",
            // No front matter: a post all the same, by its folder's data.
            "https://cascade.example.org/blog/bare-note/",
            "https://cascade.example.org/blog/second/",
            // A function in the folder's data file returns its address.
            "https://cascade.example.org/essays/on-glazes/",
            "https://cascade.example.org/blog/hello/",
        ]
    );
    // The deploy's address where it sets one, as the site's config reads
    // its feed's (`base: process.env.URL || "…"`).
    assert!(config.contains("base_url_env = \"URL\"\n"), "{config}");
    let deploy = Run::of(
        site.command(&["build", "--now", NOW])
            .env("URL", "https://deploy.example.net"),
    );
    assert_eq!(deploy.code, 0, "{}", deploy.stderr);
    assert_eq!(
        entry_links(&site, "_site/feeds/atom.xml")[2],
        "https://deploy.example.net/notes/own-address/"
    );
    let not_a_url = Run::of(site.command(&["build", "--now", NOW]).env("URL", "deploy"));
    assert_eq!(not_a_url.code, 2, "{}", not_a_url.stderr);
    assert!(
        not_a_url.stderr.contains("$URL = \"deploy\""),
        "{}",
        not_a_url.stderr
    );
    // A collection no page is tagged with is made by the site's code: said
    // once, with what to set.
    let untagged = fixture("eleventy-cascade");
    let config = untagged.read("gazette.toml");
    untagged.write(
        "gazette.toml",
        &config.replace("collection = \"posts\"", "collection = \"news\""),
    );
    let build = untagged.run(&["build", "--now", NOW]);
    assert!(
        build
            .stderr
            .contains("gazette.toml: warning: no page is tagged `news`, the collection of posts")
            && build.stderr.contains("`collection_files`"),
        "{}",
        build.stderr
    );
    // Data computed in JavaScript is named in a note, not run.
    let other = fixture("eleventy-cascade");
    std::fs::remove_file(other.path("gazette.toml")).unwrap();
    other.write(
        "src/slides/slides.11tydata.js",
        "export default { permalink: (data) => \"/x/\" + data.page.fileSlug + \"/\" };\n",
    );
    let init = other.run(&["init", "--from", "."]);
    assert!(
        init.stdout
            .contains("note: src/slides/slides.11tydata.js computes `permalink` in JavaScript"),
        "{}",
        init.stdout
    );
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout
            .contains("slides/2024-04-05-talk.md): not tagged `posts`"),
        "{}",
        list.stdout
    );
    // A data file changed is a changed input: the next build follows it.
    site.write(
        "src/posts/posts.json",
        "{\"tags\": \"posts\", \"permalink\": \"/moved/{{ page.fileSlug }}/\"}",
    );
    let links: Vec<String> = built_links(&site, "_site/feeds/atom.xml");
    assert!(
        links.contains(&"https://cascade.example.org/moved/hello/".to_string()),
        "{links:?}"
    );
}

/// A config that loads `.env` with dotenv (eleventy-excellent): the
/// address's variable from that file where the environment does not set
/// it, as dotenv leaves a set variable alone.
#[test]
fn eleventy_dotenv_file_gives_the_address_where_the_environment_does_not() {
    let dotenv = fixture("eleventy-cascade");
    std::fs::remove_file(dotenv.path("gazette.toml")).unwrap();
    let script = dotenv.read("eleventy.config.js");
    dotenv.write(
        "eleventy.config.js",
        &format!("import \"dotenv/config\";\n{script}"),
    );
    let init = dotenv.run(&["init", "--from", "."]);
    assert!(init.stdout.contains("(or in .env)"), "{}", init.stdout);
    let config = dotenv.read("gazette.toml");
    assert!(config.contains("env_file = \".env\"\n"), "{config}");
    let all_at = |links: Vec<String>, address: &str| {
        assert!(links.iter().all(|l| l.starts_with(address)), "{links:?}");
    };
    dotenv.write(
        ".env",
        "# the deploy's\nURL=https://from-file.example.net\n",
    );
    all_at(
        built_links(&dotenv, "_site/feeds/atom.xml"),
        "https://from-file.example.net/",
    );
    let set = Run::of(
        dotenv
            .command(&["build", "--now", NOW])
            .env("URL", "https://deploy.example.net"),
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    all_at(
        entry_links(&dotenv, "_site/feeds/atom.xml"),
        "https://deploy.example.net/",
    );
    // dotenv's own reading: `export`, quotes, a comment after the value.
    dotenv.write(
        ".env",
        "export URL=\"https://quoted.example.net\" # the deploy's\nOTHER=x\n",
    );
    all_at(
        built_links(&dotenv, "_site/feeds/atom.xml"),
        "https://quoted.example.net/",
    );
    dotenv.write(".env", "URL=not an address\n");
    let bad = dotenv.run(&["build", "--now", NOW]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("URL in .env = \"not an address\""),
        "{}",
        bad.stderr
    );
}

/// Issue 20: a Jekyll site without jekyll-feed, whose own `feed.xml`
/// template lists `site.posts limit:3` with the URL as each guid (CI
/// compares it with the real Jekyll).
#[test]
fn jekyll_sites_own_feed_template() {
    let site = fixture("jekyll-own-feed");
    let config = site.read("_gazette.toml");
    assert_has_lines(
        &config,
        &[
            "id_format = \"url\"",
            "limit = 3",
            "gazette check --against _site/feed.xml",
            // Its `<![CDATA[{{ post.title }}]]>` is not jekyll-feed's
            // `smartify`: the apostrophe stays straight.
            "smart_titles = false",
            // `site.posts`: same-date posts by path from the greatest.
            "entry_order = \"date-path-descending\"",
        ],
    );
    let entries = entries(&site, "feeds/atom.xml");
    assert!(site.feed("feeds/atom.xml").entries.iter().any(|e| e
        .title
        .as_ref()
        .is_some_and(|t| t.content == "Marble dust: a carver's week")));
    // Two dates with two posts each: limestone before chert, and marble
    // kept where agate, the smaller URL, is one past the limit.
    let expected = [
        "2024/05/20/limestone/",
        "2024/05/20/chert/",
        "2024/04/12/marble/",
    ]
    .map(|l| format!("https://quarry.example.net/{l}"));
    let links: Vec<&str> = entries.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(links, expected);
    for (link, id, _) in &entries {
        assert_eq!(link, id, "the guid is the URL");
    }
    // Its `url` ending in a slash: the template's `prepend`s double it in
    // every guid, and readers know the entries by that; the links lead to
    // the same pages without it.
    let slashed = fixture("jekyll-own-feed");
    std::fs::remove_file(slashed.path("_gazette.toml")).unwrap();
    slashed.write(
        "_config.yml",
        &slashed.read("_config.yml").replace(
            "url: \"https://quarry.example.net\"",
            "url: \"https://quarry.example.net/\"",
        ),
    );
    slashed.run(&["init", "--from", "."]);
    let config = slashed.read("_gazette.toml");
    assert!(
        config.contains("id_prefix = \"https://quarry.example.net/\"\n"),
        "{config}"
    );
    let (link, id, _) = &self::entries(&slashed, "feeds/atom.xml")[0];
    assert_eq!(link, "https://quarry.example.net/2024/05/20/limestone/");
    assert_eq!(id, "https://quarry.example.net//2024/05/20/limestone/");
    // Ids stay the site's: a prefix at another host is refused.
    slashed.write(
        "_gazette.toml",
        &config.replace(
            "id_prefix = \"https://quarry.example.net/\"",
            "id_prefix = \"https://elsewhere.example.com/\"",
        ),
    );
    let build = slashed.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 2, "{}", build.stderr);
    assert!(build.stderr.contains("id_prefix"), "{}", build.stderr);
    // With jekyll-feed among the plugins, a file of the site's own at
    // another path is not the feed readers know.
    let other = fixture("jekyll-own-feed");
    std::fs::remove_file(other.path("_gazette.toml")).unwrap();
    std::fs::rename(other.path("feed.xml"), other.path("atom.xml")).unwrap();
    other.write(
        "_config.yml",
        &format!("{}plugins: [jekyll-feed]\n", other.read("_config.yml")),
    );
    other.run(&["init", "--from", "."]);
    let config = other.read("_gazette.toml");
    assert!(!config.contains("id_format"), "{config}");
    assert!(config.contains("limit = 10"), "{config}");

    // Jekyll builds a folder of `_posts` with no config at all; such a
    // site's feed template names the site in literal text.
    let bare = fixture("jekyll-own-feed");
    for file in ["_gazette.toml", "_config.yml", "feed.xml"] {
        std::fs::remove_file(bare.path(file)).unwrap();
    }
    bare.write(
        "atom.xml",
        "---\n---\n<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n <title>Bare Quarry</title>\n <link href=\"https://bare.example.net/atom.xml\" rel=\"self\"/>\n <link href=\"https://bare.example.net/\"/>\n <updated>{{ site.time | date_to_xmlschema }}</updated>\n <author>\n   <name>Ada Mason</name>\n   <email>ada@bare.example.net</email>\n </author>\n {% for post in site.posts %}\n <entry>\n   <title>{{ post.title }}</title>\n   <link href=\"https://bare.example.net{{ post.url }}\"/>\n   <id>https://bare.example.net{{ post.id }}</id>\n </entry>\n {% endfor %}\n</feed>\n",
    );
    let init = bare.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}{}", init.stdout, init.stderr);
    let config = bare.read("_gazette.toml");
    for line in [
        "generator = \"jekyll\"",
        "title = \"Bare Quarry\"",
        "base_url = \"https://bare.example.net/\"",
        "name = \"Ada Mason\"",
        "email = \"ada@bare.example.net\"",
        "limit = 0",
        "gazette check --against _site/atom.xml",
    ] {
        assert!(config.contains(line), "{line}: {config}");
    }
    // The date style: `/:categories/:year/:month/:day/:title.html`.
    let links: Vec<String> = built_links(&bare, "feeds/atom.xml");
    assert_eq!(links.len(), 6, "{links:?}");
    assert_eq!(
        links[0],
        "https://bare.example.net/2024/05/20/limestone.html"
    );
}

/// Issue 20: a site in eleventy-base-blog's conventions (CI compares it
/// with the real Eleventy): the `posts` tag from a JavaScript data file,
/// JavaScript front matter, the feed plugin's options read from the config,
/// includes and data beside the input folder.
#[test]
fn eleventy_base_blog_javascript_data_and_front_matter() {
    let site = fixture("eleventy-base");
    let config = site.read("gazette.toml");
    for line in [
        "title = \"Shoreline Log\"",
        "description = \"Notes from walks along the shore.\"",
        "content_dir = \"content\"",
        "templates_dir = \"_includes/gazette\"",
        "collection = \"posts\"",
        "limit = 4",
        "from ./eleventy.config.js, ./_data/metadata.js",
        "gazette check --against _site/feed/feed.xml",
        // The data file's own rule: held back until `scheduled` comes.
        "scheduled = [\"scheduled\"]",
    ] {
        assert!(config.contains(line), "{line}: {config}");
    }
    assert!(
        !config.contains("mara@shore"),
        "the feed's author has no address: {config}"
    );
    let links: Vec<String> = built_links(&site, "_site/feeds/atom.xml");
    assert_eq!(
        links,
        [
            "https://shore.example.net/blog/sea-glass/",
            "https://shore.example.net/blog/driftwood/",
            "https://shore.example.net/blog/tidepools/",
            "https://shore.example.net/blog/gulls/",
        ]
    );
    let list = site.run(&["list", "--now", NOW]);
    for line in [
        "\"Driftwood after the storm\" https://shore.example.net/blog/driftwood/",
        "draft      2024-08-09T00:00:00+00:00 \"Fog that never lifted\"",
        "(content/about.md): not tagged `posts`",
        "scheduled  2024-10-01T00:00:00+00:00 \"The harbour light, relit\" https://shore.example.net/blog/harbour-light/ (content/blog/harbour-light.md): held back until 2099-01-01T00:00:00+00:00 (`[fields] scheduled`)",
    ] {
        assert!(list.stdout.contains(line), "{line}: {}", list.stdout);
    }
    // A folder its `.eleventyignore` names holds no page of Eleventy's.
    assert!(!list.stdout.contains("kelp-forest"), "{}", list.stdout);
    // Nor does a file its `.gitignore` names, read from the project's
    // folder (`*` stays in one folder, as picomatch reads it).
    site.write(".gitignore", "_site\ncontent/blog/sea-*.md\n*.md\n");
    let list = site.run(&["list", "--now", NOW]);
    assert!(!list.stdout.contains("sea-glass"), "{}", list.stdout);
    assert!(list.stdout.contains("driftwood"), "{}", list.stdout);
    std::fs::remove_file(site.path(".gitignore")).unwrap();
    // A page dated by its file's time or git's history, as Eleventy reads
    // `date: Last Modified`, is left out, and `list` says why.
    site.write(
        "content/blog/tide-table.md",
        "---\ntitle: Tide table\ndate: Last Modified\n---\nHigh water at noon.\n",
    );
    site.write(
        "content/blog/charts.md",
        "---\ntitle: Charts\ndate: git Created\n---\nThe harbour's charts.\n",
    );
    let list = site.run(&["list", "--now", NOW]);
    for line in [
        "(content/blog/tide-table.md): `date` names the file's time (\"Last Modified\", \"Created\")",
        "(content/blog/charts.md): `date` names git's history",
    ] {
        assert!(list.stdout.contains(line), "{line}: {}", list.stdout);
    }
    std::fs::remove_file(site.path("content/blog/tide-table.md")).unwrap();
    std::fs::remove_file(site.path("content/blog/charts.md")).unwrap();
    // Its day comes: the newest post, though dated before the build.
    let later = site.run(&["list", "--now", "2099-01-02T00:00:00Z"]);
    assert!(
        later
            .stdout
            .contains("published  2024-10-01T00:00:00+00:00 \"The harbour light"),
        "{}",
        later.stdout
    );
    // What JavaScript front matter computes is named where it is.
    site.write(
        "content/blog/computed.md",
        "---js\nconst title = \"Computed\";\nconst date = \"2024-09-01\";\nconst permalink = (data) => `/x/${slugify(data.title)}/`;\n---\nx\n",
    );
    let build = site.run(&["build", "--now", NOW]);
    assert!(
        build
            .stderr
            .contains("content/blog/computed.md:4: warning: `permalink` is computed in JavaScript"),
        "{}",
        build.stderr
    );
    // A data file's literal change is a changed input.
    site.write(
        "content/blog/blog.11tydata.js",
        "export default { tags: [\"posts\"], permalink: \"/walks/{{ page.fileSlug }}/\" };\n",
    );
    let links: Vec<String> = built_links(&site, "_site/feeds/atom.xml");
    assert!(
        links.contains(&"https://shore.example.net/walks/sea-glass/".to_string()),
        "{links:?}"
    );
}

/// A Hugo theme's RSS template that lists only `mainSections` in the home
/// feed (through a partial): with none set, Hugo's default, the section
/// with the most pages; a page of another section whose `type` is that
/// section's is in, and the others stay in their own section's feed.
/// A Jekyll site whose `source` is a folder of its own (`source: src`):
/// posts, pages and data are read there, at every build.
#[test]
fn jekyll_source_folder_holds_the_posts_pages_and_data() {
    let site = TestSite::empty();
    site.write(
        "_config.yml",
        "title: Reeds\nurl: https://reeds.example.net\ntimezone: UTC\nsource: src\nplugins: [jekyll-feed]\n",
    );
    site.write("src/_data/authors.yml", "kim:\n  name: Kim Reed\n");
    site.write("src/about.md", "---\ntitle: About\n---\nAbout the reeds.\n");
    site.write(
        "src/_posts/2024-05-01-reed-beds.md",
        "---\ntitle: Reed beds\nauthor: kim\n---\nSee [about]({% link about.md %}).\n",
    );
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}{}", init.stdout, init.stderr);
    assert!(site
        .read("_gazette.toml")
        .contains("content_dir = \"src\"\n"));
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // Where Jekyll copies it from: the source's `feeds/`.
    let feed = site.feed("src/feeds/atom.xml");
    let entry = &feed.entries[0];
    assert_eq!(
        entry.links[0].href,
        "https://reeds.example.net/2024/05/01/reed-beds.html"
    );
    assert_eq!(entry.authors[0].name.as_deref(), Some("Kim Reed"));
    let content = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    assert!(
        content.contains("https://reeds.example.net/about.html"),
        "{content}"
    );
    // An edit to the data in the source folder reaches a warm build.
    site.write("src/_data/authors.yml", "kim:\n  name: Kim A. Reed\n");
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let feed = site.feed("src/feeds/atom.xml");
    assert_eq!(
        feed.entries[0].authors[0].name.as_deref(),
        Some("Kim A. Reed")
    );
}

/// Front matter never closed is front matter to the end of the file, with
/// no body, as gray-matter reads it for Eleventy (mliebelt's author pages);
/// for the other generators it stays an error.
#[test]
fn eleventy_reads_unclosed_front_matter_to_the_end_as_gray_matter_does() {
    let site = fixture("eleventy-base");
    site.write(
        "content/blog/tide-notes.md",
        "---\ntitle: Tide notes\ndate: 2024-09-09\n",
    );
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout
            .contains("published  2024-09-09T00:00:00+00:00 \"Tide notes\" https://shore.example.net/blog/tide-notes/"),
        "{}{}",
        list.stdout,
        list.stderr
    );
}

/// `date: git Created` and `date: git Last Modified` are the dates git's
/// history gives the file, as Eleventy asks git for them; a commit moves
/// them on a warm build though no post file changed.
#[test]
fn eleventy_dates_from_git_history() {
    let site = fixture("eleventy-base");
    let git = |args: &[&str], when: &str| {
        let status = std::process::Command::new("git")
            .current_dir(site.dir.path())
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_AUTHOR_DATE", when)
            .env("GIT_COMMITTER_DATE", when)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    site.write(
        "content/blog/charts.md",
        "---\ntitle: Charts\ndate: git Created\n---\nThe harbour's charts.\n",
    );
    site.write(
        "content/blog/tide-table.md",
        "---\ntitle: Tide table\ndate: Git Last Modified\n---\nHigh water at noon.\n",
    );
    git(&["init", "-q"], "2025-01-01T00:00:00Z");
    git(&["add", "."], "2025-01-01T00:00:00Z");
    git(&["commit", "-qm", "first"], "2025-03-01T09:00:00Z");
    let dated = |site: &TestSite| -> Vec<(String, String)> {
        entries(site, "_site/feeds/atom.xml")
            .into_iter()
            .filter(|(link, _, _)| link.contains("charts") || link.contains("tide-table"))
            .map(|(link, _, date)| (link, date))
            .collect()
    };
    // Same date: by path from the greatest, as Eleventy's feeds list them.
    assert_eq!(
        dated(&site),
        [
            (
                "https://shore.example.net/blog/tide-table/".to_string(),
                "2025-03-01T09:00:00+00:00".to_string()
            ),
            (
                "https://shore.example.net/blog/charts/".to_string(),
                "2025-03-01T09:00:00+00:00".to_string()
            ),
        ]
    );
    site.write(
        "content/blog/tide-table.md",
        "---\ntitle: Tide table\ndate: Git Last Modified\n---\nHigh water at one.\n",
    );
    // Edited, not committed: still the last commit's date, as git gives it.
    assert_eq!(dated(&site)[0].1, "2025-03-01T09:00:00+00:00");
    git(&["commit", "-qam", "second"], "2025-05-04T12:30:00Z");
    let after = dated(&site);
    assert_eq!(after[0].0, "https://shore.example.net/blog/tide-table/");
    assert_eq!(after[0].1, "2025-05-04T12:30:00+00:00");
    assert_eq!(after[1].1, "2025-03-01T09:00:00+00:00", "created stays");
    // A file not committed yet: Eleventy dates it at each build; gazette
    // leaves it out and says why.
    site.write(
        "content/blog/buoys.md",
        "---\ntitle: Buoys\ndate: git Created\n---\nRed and green.\n",
    );
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout
            .contains("(content/blog/buoys.md): `date` names git's history"),
        "{}",
        list.stdout
    );
}

#[test]
fn hugo_main_sections_of_a_themes_rss_template() {
    let site = fixture("hugo-main-sections");
    assert_has_lines(
        &site.read("gazette.toml"),
        &[
            "per_section = true\n",
            "main_sections = [\"notes\"]\n",
            // What the template leaves out, by a param or by layout.
            "skip_if_key = [\"headless\", \"hiddenInRss\"]\n",
            "skip_if_value = { layout = [\"search\", \"archives\"] }\n",
        ],
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let paths = |feed: &str| built_paths(&site, feed);
    assert_eq!(
        paths("static/feeds/rss.xml"),
        [
            // Hugo's order: a page with a weight first, then by date, the
            // same day's by title in collation order (b, D, G).
            "/notes/shop-rules/",
            "/projects/stool/",
            "/notes/finishes/",
            "/notes/z-bandsaw/",
            "/notes/a-dovetails/",
            "/notes/glue-ups/",
            "/notes/sharpening/"
        ]
    );
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout
            .contains("(content/notes/archive.md): `layout` is \"archives\"\n"),
        "{}",
        list.stdout
    );
    assert_eq!(
        paths("static/feeds/sections/projects.xml"),
        [
            "/projects/stool/",
            "/projects/bench/",
            "/projects/racks/clamp/"
        ]
    );
}

/// Hugo reads a page's `weight` with `cast.ToInt`: text holding a number
/// is that number, a fraction is cut to its whole part, anything else is 0
/// and the page is still listed (measured with Hugo 0.111 and 0.168, which
/// list these four in this order).
#[test]
fn hugo_weights_are_read_as_hugo_reads_them() {
    let site = workbench_without_notes();
    write_note(&site, "newest", "title: newest\ndate: 2024-03-05\n");
    write_note(
        &site,
        "text",
        "title: text\ndate: 2024-01-05\nweight: \"3\"\n",
    );
    write_note(
        &site,
        "fraction",
        "title: fraction\ndate: 2024-01-04\nweight: 1.5\n",
    );
    write_note(
        &site,
        "word",
        "title: word\ndate: 2024-01-03\nweight: abc\n",
    );
    build_warning(
        &site,
        "content/notes/word.md:4: warning: `weight` should be a whole number, found \"abc\": taken as 0",
    );
    let order = built_paths(&site, "static/feeds/sections/notes.xml");
    assert_eq!(
        order,
        [
            "/notes/fraction/",
            "/notes/text/",
            "/notes/newest/",
            "/notes/word/"
        ]
    );
}

/// JunIce/hugo-blog's `draft: falseforwardRef`: Hugo's `cast.ToBool` reads
/// what it cannot parse as false, so the page is on the site and in its
/// feed; gazette lists it too, with a warning where it is.
#[test]
fn hugo_reads_an_unreadable_draft_flag_as_false() {
    let site = workbench_without_notes();
    write_note(
        &site,
        "typo",
        "title: typo\ndate: 2024-01-03\ndraft: falsetypo\n",
    );
    write_note(
        &site,
        "held",
        "title: held\ndate: 2024-01-02\ndraft: \"true\"\n",
    );
    build_warning(
        &site,
        "content/notes/typo.md:4: warning: `draft`: expected true or false, found \"falsetypo\"; Hugo reads it as false, and so does gazette",
    );
    assert_eq!(
        built_paths(&site, "static/feeds/sections/notes.xml"),
        ["/notes/typo/"]
    );
}

/// cuilan/hugo-blog's `published: true` and `published: false`: Hugo reads
/// `published` as a date and takes none from a flag, and as the opposite
/// of `draft`, so the first page is listed by its `date` and the second
/// is a draft (Hugo 0.168).
#[test]
fn hugo_takes_no_date_from_a_published_flag() {
    let site = workbench_without_notes();
    write_note(
        &site,
        "kept",
        "title: kept\ndate: 2024-01-03\npublished: true\n",
    );
    write_note(
        &site,
        "also",
        "title: also\ndate: 2024-01-02\npublished: false\n",
    );
    // As `init` writes it for a site whose pages set one of these.
    let config = site.read("gazette.toml").replace(
        "[fields]\n",
        "[fields]\nfeed_date = [\"publishDate\", \"pubdate\", \"published\"]\n",
    );
    assert!(config.contains("feed_date"), "{config}");
    site.write("gazette.toml", &config);
    build_warning(
        &site,
        "content/notes/also.md:4: warning: `published`: false is no date; Hugo reads no date from it",
    );
    assert_eq!(
        built_paths(&site, "static/feeds/sections/notes.xml"),
        ["/notes/kept/"]
    );
}

/// FixIt's archetype leaves `author:` a table of empty fields
/// (meowrain/hugo-blog): nobody, as an empty `author` is, not an error.
#[test]
fn an_author_table_left_empty_is_nobody() {
    let site = workbench_without_notes();
    write_note(
        &site,
        "archetype",
        "title: archetype\ndate: 2024-01-03\nauthor:\n  name:\n  link:\n  email: \"\"\n",
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("archetype.md"), "{}", build.stderr);
    assert_eq!(
        built_paths(&site, "static/feeds/sections/notes.xml"),
        ["/notes/archetype/"]
    );
}

/// `[frontmatter] date = [":filename", ":fileModTime"]` (chancesmith.io's):
/// Hugo reads no front matter date, so one it could not read is no error,
/// and the page is dated by its file name; `lastmod` is read from the keys
/// its own list names, and only those.
#[test]
fn hugo_frontmatter_dates_from_the_file_name_alone() {
    let site = workbench_without_notes();
    let config = site.read("hugo.toml");
    site.write(
        "hugo.toml",
        &format!("{config}\n[frontmatter]\ndate = [':filename', ':fileModTime']\nlastmod = ['changed', ':git']\n"),
    );
    write_note(
        &site,
        "2024-03-05-named",
        "title: named\ndate: 2023-05-11T22Z\nchanged: 2024-04-01\nlastmod: 2024-05-01\n",
    );
    std::fs::remove_file(site.path("gazette.toml")).unwrap();
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert_has_lines(
        &site.read("gazette.toml"),
        &["date = []", "updated = [\"changed\"]"],
    );
    let said = format!("{}{}", init.stdout, init.stderr);
    assert!(
        said.contains("[frontmatter] lastmod uses :git: gazette does not read"),
        "{said}"
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let feed = site.feed("static/feeds/sections/notes.atom.xml");
    let entry = &feed.entries[0];
    assert_eq!(
        entry.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-03-05T00:00:00+00:00")
    );
    assert_eq!(
        entry.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-04-01T00:00:00+00:00")
    );
}

/// A feed template of the site's own decides the feed: its front matter's
/// title, address and author, the newest two by the site's `limit` filter;
/// post URLs come through a Luxon date filter of the config, in UTC as
/// Luxon's `{ zone: "utc" }` takes them, unless the post sets the key its
/// layout's `{% if %}` tests; an edit to that filter counts at the next build.
/// The feed's collection is made by a function the config imports from a
/// module of the site's (`addCollection("diary", diaryCollection)`), of the
/// posts folder's files: a note with the same layout and tag is left out.
#[test]
fn eleventy_feed_template_metadata_limit_and_date_filters_of_the_sites_own() {
    let site = fixture("eleventy-own-feed");
    let config = site.read("gazette.toml");
    assert_has_lines(
        &config,
        &[
            "title = \"Kiln Diary\"\nbase_url = \"https://kiln.example.net/\"\n",
            "output_dir = \"dist/feeds\"\n",
            "collection_files = [\"posts/*.md\"]\n",
            "[author]\nname = \"Maren Ostby\"\n",
            "[feeds]\nlimit = 2\n",
        ],
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(
        built_links(&site, "dist/feeds/atom.xml"),
        [
            "https://kiln.example.net/kiln/shelves/",
            "https://kiln.example.net/2024/04/late-night-unload/",
        ]
    );
    let script = site.read("eleventy.config.js");
    site.write(
        "eleventy.config.js",
        &script.replace("toFormat(\"y/MM\")", "toFormat(\"y\")"),
    );
    let rebuilt = site.run(&["build", "--now", NOW]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert_eq!(
        built_links(&site, "dist/feeds/atom.xml")[1],
        "https://kiln.example.net/2024/late-night-unload/"
    );
}

/// A feed template listing `collections.all` (hrishikeshpathak.com's):
/// every page not excluded from collections is a post, tagged or not,
/// and `init` names the pages of other template languages that Eleventy
/// lists too and gazette does not render. A date no calendar has is
/// carried over as js-yaml carries it, with a warning; quoted, it is a
/// string Eleventy cannot read, and an error.
#[test]
fn eleventy_feed_of_collections_all_and_a_date_past_its_month() {
    let site = fixture("eleventy-own-feed");
    let feed = site.read("src/site/feed.njk");
    site.write(
        "src/site/feed.njk",
        &feed.replace(
            "collections.diary | reverse | limit(2)",
            "collections.all | reverse",
        ),
    );
    let note = site.read("src/site/notes/kiln-wash.md");
    site.write(
        "src/site/notes/kiln-wash.md",
        &note.replace("date: 2024-06-02", "date: 2024-13-02"),
    );
    std::fs::remove_file(site.path("gazette.toml")).unwrap();
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stdout.contains("the site's feed lists `collections.all`, every page Eleventy builds: 1 of them not Markdown (src/site/index.njk)"),
        "{}",
        init.stdout
    );
    assert_has_lines(
        &site.read("gazette.toml"),
        &["collection = \"all\"\n", "[feeds]\nlimit = 0\n"],
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains("src/site/notes/kiln-wash.md:3: warning: `date`: 2024-13-02 is no calendar date; Eleventy's YAML reader carries it over to 2025-01-02 00:00:00 UTC"),
        "{}",
        build.stderr
    );
    let links = built_links(&site, "dist/feeds/atom.xml");
    assert_eq!(links.len(), 5, "{links:?}");
    assert_eq!(links[0], "https://kiln.example.net/2025/01/kiln-wash/");
    site.write(
        "src/site/notes/kiln-wash.md",
        &note.replace("date: 2024-06-02", "date: \"2024-13-02\""),
    );
    let quoted = site.run(&["build", "--now", NOW]);
    assert_eq!(quoted.code, 1, "{}", quoted.stderr);
    assert!(
        quoted
            .stderr
            .contains("src/site/notes/kiln-wash.md:3: error: `date`: cannot read \"2024-13-02\""),
        "{}",
        quoted.stderr
    );
}

/// A Jekyll show's own `rss.xml` template: `init` reads which keys of the
/// post's own hold each episode's audio (`[podcast.episode_keys]`) and the
/// show's values from the feed the site built, a category Apple no longer
/// lists kept as its top level; gazette's feeds then carry the same
/// enclosures, which `check --against` compares. Before the site is
/// built, `init` says what it needs.
#[test]
fn jekyll_podcast_template_episodes_from_the_posts_own_keys() {
    let site = TestSite::empty();
    let source =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/jekyll-podcast");
    copy_dir(&source, site.dir.path(), &[]);
    let unbuilt = site.run(&["init", "--from", "."]);
    assert_eq!(unbuilt.code, 0, "{}", unbuilt.stderr);
    let said = format!("{}{}", unbuilt.stdout, unbuilt.stderr);
    assert!(
        said.contains("build the site and run `gazette init --from` again"),
        "{said}"
    );
    assert!(!site.read("_gazette.toml").contains("[podcast]"));
    std::fs::remove_file(site.path("_gazette.toml")).unwrap();
    // The feed as Jekyll built it from the template.
    let item = |path: &str, title: &str, date: &str, extra: &str| {
        format!("<item><title>{title}</title><link>https://tidewater.example.net{path}</link><guid isPermaLink=\"true\">https://tidewater.example.net{path}</guid><pubDate>{date}</pubDate>{extra}</item>")
    };
    let enclosure = |file: &str, bytes: u64| {
        format!("<enclosure url=\"https://tidewater.example.net/media/{file}\" length=\"{bytes}\" type=\"audio/mpeg\"/>")
    };
    site.write(
        "_site/rss.xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel><title>Tidewater Hours</title><link>https://tidewater.example.net/</link><description>A slow podcast about estuaries.</description><itunes:author>Marta Lindqvist</itunes:author><itunes:owner><itunes:name>Marta Lindqvist</itunes:name><itunes:email>marta@tidewater.example.net</itunes:email></itunes:owner><itunes:category text=\"Science\"><itunes:category text=\"Nature\"/></itunes:category><itunes:category text=\"Technology\"><itunes:category text=\"Podcasting\"/></itunes:category><itunes:image href=\"https://tidewater.example.net/cover.jpg\"/><itunes:explicit>no</itunes:explicit>{}{}{}{}</channel></rss>",
            item("/episodes/2024/04/eelgrass/", "3. Eelgrass meadows", "Mon, 08 Apr 2024 00:00:00 +0000", &enclosure("tidewater-003.mp3", 35651584)),
            item("/episodes/2024/03/listener-mail/", "Listener mail, and a correction", "Wed, 20 Mar 2024 00:00:00 +0000", ""),
            item("/episodes/2024/03/salt-marsh/", "2. The salt marsh in spring", "Mon, 04 Mar 2024 00:00:00 +0000", &enclosure("tidewater-002.mp3", 28311552)),
            item("/episodes/2024/02/mudflats/", "1. Mudflats at low water", "Mon, 05 Feb 2024 00:00:00 +0000", &enclosure("tidewater-001.mp3", 31457280)),
        ),
    );
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let said = format!("{}{}", init.stdout, init.stderr);
    assert!(
        said.contains("\"Technology > Podcasting\" is kept as \"Technology\""),
        "{said}"
    );
    let config = site.read("_gazette.toml");
    assert_has_lines(
        &config,
        &[
            "categories = [\"Science > Nature\", \"Technology\"]\n",
            "[podcast.episode_keys]\ndefault_type = \"audio/mpeg\"\nduration = \"running_time\"\nlength = \"audio_bytes\"\nseason = \"series\"\nurl = \"audio_file\"\nurl_prefix = \"https://tidewater.example.net/media/\"\n",
            "[podcast.owner]\nemail = \"marta@tidewater.example.net\"\nname = \"Marta Lindqvist\"\n",
        ],
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let podcast = site.read("feeds/podcast.xml");
    assert_eq!(podcast.matches("<enclosure").count(), 3, "{podcast}");
    assert!(
        podcast.contains("<enclosure url=\"https://tidewater.example.net/media/tidewater-002.mp3\" length=\"28311552\" type=\"audio/mpeg\"/>")
            && podcast.contains("<itunes:duration>0:29:31</itunes:duration>"),
        "{podcast}"
    );
    let check = site.run(&["check", "--now", NOW, "--against", "_site/rss.xml"]);
    assert!(
        check
            .stdout
            .contains("4 entries, 4 unchanged, 0 differences"),
        "{}",
        check.stdout
    );
}

/// Hugo's `uglyURLs`: every page a file (`/notes/deep/x.html`, a
/// permalink pattern without its last slash, `/2024/stock-take.html`), a
/// `url` of the page's own as written; every feed named `atom.xml` by the
/// RSS output format's `baseName`, which the compare lines `init` writes
/// name. A section's own `[uglyURLs]` entry makes only its pages files.
#[test]
fn hugo_ugly_urls_and_the_rss_output_formats_file_name() {
    let site = fixture("hugo-ugly");
    let config = site.read("gazette.toml");
    assert_has_lines(
        &config,
        &[
            "permalink = \"/{sections}/{slug}.html\"\n",
            "[permalinks]\njournal = \"/{year}/{slug_or_title}.html\"\nposts = \"/{filename}.html\"\n",
            "#   gazette check --against public/atom.xml\n",
            "#   gazette check --against public/tags/TAG/atom.xml --tag TAG   (for each TAG)\n",
        ],
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let mut links = built_links(&site, "static/feeds/atom.xml");
    links.sort();
    assert_eq!(
        links,
        [
            "https://ledger.example.org/2024/a-bundle-of-receipts.html",
            "https://ledger.example.org/2024/stock-take.html",
            "https://ledger.example.org/about.html",
            "https://ledger.example.org/colophon/",
            "https://ledger.example.org/first-ledger.html",
            "https://ledger.example.org/iron-gall.html",
            "https://ledger.example.org/notes/deep/sediment.html",
        ]
    );
    // By section: only the journal's pages are files.
    let hugo = site.read("hugo.toml");
    site.write(
        "hugo.toml",
        &hugo.replace("uglyURLs = true\n", "[uglyURLs]\njournal = true\n"),
    );
    std::fs::remove_file(site.path("gazette.toml")).unwrap();
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let by_section = site.read("gazette.toml");
    assert!(!by_section.contains("\npermalink = "), "{by_section}");
    assert_has_lines(
        &by_section,
        &["[permalinks]\njournal = \"/{year}/{slug_or_title}.html\"\nposts = \"/{filename}/\"\n"],
    );
}

/// An Eleventy config where the build script names it (`--config`, as a
/// TypeScript config is run), which only registers the site's own plugins
/// from modules beside it: the feed plugin's options, the collection the
/// feed lists and the drafts preprocessor are read from those modules.
#[test]
fn eleventy_config_named_by_the_build_script_with_its_plugins_in_modules() {
    let site = fixture("eleventy-modules");
    let config = site.read("gazette.toml");
    assert_has_lines(
        &config,
        &[
            "title = \"Reed Bed Journal\"\n",
            "base_url = \"https://reeds.example.net/\"\n",
            "content_dir = \"content\"\n",
            "collection_files = [\"journal/*.md\"]\n",
            "[author]\nname = \"Ilse Varga\"\n",
            "[feeds]\nlimit = 3\n",
            "#   gazette check --against _site/feed.xml\n",
        ],
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // Newest first, the draft left out as the preprocessor drops it, the
    // field note outside the journal's folder left out.
    assert_eq!(
        built_links(&site, "_site/feeds/atom.xml"),
        [
            "https://reeds.example.net/journal/marsh-harrier/",
            "https://reeds.example.net/journal/reed-cutting/",
            "https://reeds.example.net/journal/water-rail/",
        ]
    );
    // The site's shortcodes, a module away, written as Eleventy writes
    // them: a template literal of their parameters, a paired one around
    // its content.
    assert!(!build.stderr.contains("unresolved"), "{}", build.stderr);
    let feed = site.feed("_site/feeds/atom.xml");
    let water_rail = feed
        .entries
        .iter()
        .find_map(|e| {
            e.content
                .as_ref()?
                .body
                .clone()
                .filter(|b| b.contains("water rail"))
        })
        .expect("the water rail's content");
    for written in [
        "a water rail, <i>Rallus aquaticus</i>.",
        "<aside class=\"tip\"><p>Listen for the squeal first.</p></aside>",
    ] {
        assert!(water_rail.contains(written), "{written}\n{water_rail}");
    }
    // Without the script naming it, there is no Eleventy config to read.
    std::fs::remove_file(site.path("package.json")).unwrap();
    std::fs::remove_file(site.path("gazette.toml")).unwrap();
    let init = site.run(&["init", "--from", "."]);
    assert_ne!(init.code, 0, "{}", init.stdout);
}

/// Issue 20: an Eleventy site whose input folder is the site's own (as
/// google/eleventy-high-performance-blog): its folder data file is a
/// function returning the posts' tag, and its own feed template says where
/// the feed is written.
#[test]
fn eleventy_input_folder_at_the_root_with_a_data_function_and_a_feed_template() {
    let site = TestSite::empty();
    site.write(
        ".eleventy.js",
        "module.exports = function (eleventyConfig) {\n  eleventyConfig.addFilter('slugify', (s) => strict(s));\n  return { dir: { input: \".\", output: \"_site\" } };\n};\n",
    );
    site.write(
        "_data/metadata.json",
        r#"{"title": "Root Notes", "url": "https://root.example.net/", "author": {"name": "Ro"}}"#,
    );
    site.write(
        "posts/posts.11tydata.js",
        "const now = new Date();\nmodule.exports = () => {\n  return {\n    eleventyComputed: { permalink: (data) => data.permalink },\n    tags: [\"posts\"],\n  };\n};\n",
    );
    site.write(
        "feed/feed.njk",
        "---\npermalink: feed/feed.xml\neleventyExcludeFromCollections: true\n---\n<feed>{% for post in collections.posts %}<entry></entry>{% endfor %}</feed>\n",
    );
    site.write(
        "posts/first.md",
        "---\ntitle: First\ndate: 2024-01-02\n---\nx\n",
    );
    site.write("about.md", "---\ntitle: About\ndate: 2024-01-01\n---\nx\n");
    // Eleventy knows no drafts: with no code of the site's dropping them,
    // `draft: true` is published.
    site.write(
        "posts/unfinished.md",
        "---\ntitle: Unfinished\ndate: 2024-01-03\ndraft: true\n---\nx\n",
    );
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stdout
            .contains("posts/posts.11tydata.js computes `eleventyComputed.permalink`"),
        "{}",
        init.stdout
    );
    assert!(
        init.stdout
            .contains(".eleventy.js: the site's `slugify` filter: it is code gazette does not run, so Eleventy's own is applied"),
        "{}",
        init.stdout
    );
    let config = site.read("gazette.toml");
    assert!(config.contains("collection = \"posts\""), "{config}");
    assert!(
        config.contains("gazette check --against _site/feed/feed.xml"),
        "{config}"
    );
    let links: Vec<String> = built_links(&site, "_site/feeds/atom.xml");
    assert!(config.contains("\ndraft = []\n"), "{config}");
    assert_eq!(
        links,
        [
            "https://root.example.net/posts/unfinished/",
            "https://root.example.net/posts/first/"
        ]
    );
}

/// Issue 20: a multilingual Hugo site with `defaultContentLanguageInSubdir`
/// has its default language under `/en/` (CI compares with the real Hugo),
/// while `static/feeds/` is still served at the site's root.
#[test]
fn hugo_languages_in_subfolders() {
    let site = fixture("hugo-multilingual");
    let links: Vec<String> = built_links(&site, "static/feeds/atom.xml");
    assert_eq!(
        links,
        [
            "https://multi.example.net/en/blog/low-tide/",
            "https://multi.example.net/en/blog/first-light/",
        ]
    );
    let rss = site.feed("static/feeds/rss.xml");
    let own = rss
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .unwrap();
    assert_eq!(own.href, "https://multi.example.net/feeds/rss.xml");
    assert!(site
        .read("gazette.toml")
        .contains("gazette check --against public/en/index.xml"));
    // German from its own content folder, under /de/ where English is
    // under /en/, in the feeds folder's de/, titled as its language.
    assert_eq!(
        built_links(&site, "static/feeds/de/atom.xml"),
        ["https://multi.example.net/de/blog/erstes-licht/"]
    );
    let german = site.feed("static/feeds/de/rss.xml");
    assert_eq!(
        german.title.map(|t| t.content).as_deref(),
        Some("Zwei Ufer")
    );
    let own = german
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .unwrap();
    assert_eq!(own.href, "https://multi.example.net/feeds/de/rss.xml");
}

/// A page's own `url` with a leading slash is the site's, above the default
/// language's `/en/` (Hugo writes `url: /tides/moved/` there; CI compares
/// with both Hugos): no longer the same address as the page at
/// `/en/tides/moved/`.
#[test]
fn hugo_a_url_of_its_own_is_above_the_default_languages_folder() {
    let site = fixture("hugo-multilingual");
    site.write(
        "content/en/blog/moved.md",
        "---\ntitle: Moved\ndate: 2024-03-01\nurl: /tides/moved/\n---\nx\n",
    );
    site.write(
        "content/en/tides/moved.md",
        "---\ntitle: Stays\ndate: 2024-03-02\n---\nx\n",
    );
    let links = built_links(&site, "static/feeds/atom.xml");
    assert!(
        links.contains(&"https://multi.example.net/tides/moved/".to_string())
            && links.contains(&"https://multi.example.net/en/tides/moved/".to_string()),
        "{links:?}"
    );
}

/// Hugo's build option `list` (`build`, or `_build` as Hugo 0.111 reads
/// it; CI compares the fixture's with the real Hugo): `never` keeps a page
/// out of the site's feed and its section's, `local` out of the site's;
/// both stay in their terms' feeds, as Hugo collects their terms.
#[test]
fn hugo_build_list_options_choose_the_feeds() {
    let site = TestSite::empty();
    site.write(
        "hugo.toml",
        "baseURL = 'https://reef.example.net/'\ntitle = 'Reef'\n",
    );
    let page = |name: &str, day: u32, build: &str| {
        let text =
            format!("---\ntitle: {name}\ndate: 2024-02-{day:02}\ntags: [coral]\n{build}---\nx\n");
        site.write(&format!("content/dives/{name}.md"), &text);
    };
    page("plain", 1, "");
    page("local", 2, "build:\n  list: local\n");
    page("never", 3, "build:\n  list: never\n");
    page("old-never", 4, "_build:\n  list: false\n");
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let names = |file: &str| -> Vec<String> {
        entry_links(&site, file)
            .into_iter()
            .map(|link| {
                link.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(names("static/feeds/atom.xml"), ["plain"]);
    assert_eq!(
        names("static/feeds/sections/dives.atom.xml"),
        ["local", "plain"]
    );
    assert_eq!(
        names("static/feeds/tags/coral.atom.xml"),
        ["old-never", "never", "local", "plain"]
    );
}

/// A multilingual Hugo or Zola site naming translations `x.fr.md`: the
/// feeds are the default language's, as the generator's main feed (CI
/// compares the Hugo fixture with the real Hugo); a Hugo page named in the
/// default language (`x.en.md`) is the page `x`.
#[test]
fn translations_by_file_name_have_feeds_of_their_own() {
    let site = fixture("hugo-translations");
    let base = "https://estuary.example.net";
    let links = |feed: &str| -> Vec<String> {
        entries(&site, feed)
            .into_iter()
            .map(|(link, _, _)| link.trim_start_matches(base).to_string())
            .collect()
    };
    assert_eq!(
        links("static/feeds/atom.xml"),
        [
            "/posts/tide-tables/",
            "/posts/mudflats/",
            "/posts/herons/",
            // A number as its own `url`, a folder as Hugo makes it.
            "/1402/"
        ]
    );
    let config = site.read("gazette.toml");
    assert!(
        config.contains("[translations]\ndefault = \"en\"\nlanguages = [\"fr\", \"pt-br\"]\nfeeds = [\"fr\", \"pt-br\"]\ntitles = { fr = \"Estuaire\", pt-br = \"Estuário\" }\n"),
        "{config}"
    );
    // Hugo lowercases the language `pt-BR`: its feed is /pt-br/index.xml.
    assert!(
        config.contains("#   gazette check --against public/pt-br/index.xml --language pt-br\n"),
        "{config}"
    );
    assert_eq!(
        links("static/feeds/pt-br/atom.xml"),
        ["/pt-br/posts/herons/"]
    );
    assert!(
        config.contains("#   gazette check --against public/fr/index.xml --language fr\n"),
        "{config}"
    );
    let list = site.run(&["list", "--now", NOW, "--state", "skipped"]);
    assert_eq!(
        list.stdout
            .matches("a translation (`fr`): in the `fr` feeds")
            .count(),
        4,
        "{}",
        list.stdout
    );
    // The French pages in feeds of their own, as Hugo writes /fr/index.xml:
    // under /fr/, a bundle's `index.fr.md` its page, a French-only page
    // whose own `url` from the root is the site's, and one whose own `url`
    // without a leading slash is under /fr/.
    assert_eq!(
        links("static/feeds/fr/atom.xml"),
        [
            "/fr/posts/tide-tables/",
            "/marees/basses/",
            "/fr/vasieres/hiver/",
            "/fr/posts/herons/"
        ]
    );
    let french = site.feed("static/feeds/fr/rss.xml");
    assert_eq!(french.title.map(|t| t.content).as_deref(), Some("Estuaire"));
    assert!(site.path("gazette.fr.record.toml").exists());
    // And its tags' and sections' feeds, as Hugo writes /fr/tags/x/.
    assert_eq!(
        links("static/feeds/fr/tags/oiseaux.atom.xml"),
        ["/fr/posts/tide-tables/", "/fr/posts/herons/"]
    );
    let tag = site.run(&[
        "check",
        "--now",
        NOW,
        "--language",
        "fr",
        "--tag",
        "oiseaux",
        "--against",
        "static/feeds/fr/tags/oiseaux.xml",
    ]);
    assert_eq!(tag.code, 0, "{}{}", tag.stdout, tag.stderr);
    assert!(
        tag.stdout.contains("2 entries, 2 unchanged, 0 differences"),
        "{}",
        tag.stdout
    );
    // Each language keeps a build cache of its own: an edit to a French
    // page reaches the French feeds at the next build, and only them.
    assert!(site.path(".gazette/build-cache.fr.bin").exists());
    let herons = site.read("content/posts/herons.fr.md");
    site.write(
        "content/posts/herons.fr.md",
        &herons.replace("Hérons à l'aube", "Hérons au matin"),
    );
    let rebuilt = site.run(&["build", "--now", NOW]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert!(
        rebuilt
            .stdout
            .lines()
            .next()
            .is_some_and(|main| main.contains("(0 changed,")),
        "{}",
        rebuilt.stdout
    );
    assert!(site
        .read("static/feeds/fr/rss.xml")
        .contains("Hérons au matin"));
    assert!(
        !site.path("static/feeds/fr/index.html").exists(),
        "no page of its own"
    );
    let check = site.run(&["check", "--now", NOW, "--language", "fr"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stdout.contains("4 published"), "{}", check.stdout);
    assert_usage_error(
        &site.run(&["check", "--language", "de"]),
        "not one of `[translations] feeds`",
    );

    // Zola names them the same way; its `[languages.fr]` say which, and
    // `generate_feeds` whether they have feeds.
    let zola = TestSite::empty();
    zola.write(
        "config.toml",
        "base_url = \"https://delta.example.com\"\ntitle = \"Delta\"\ndefault_language = \"en\"\n[languages.fr]\ntitle = \"Delta fr\"\ngenerate_feeds = true\ntaxonomies = [{ name = \"tags\", feed = true }]\n[languages.de]\n",
    );
    zola.write("templates/index.html", "");
    zola.write("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n");
    // The French blog section has a feed of its own, the English one not.
    zola.write(
        "content/blog/_index.fr.md",
        "+++\ntitle = \"Blogue\"\ngenerate_feeds = true\n+++\n",
    );
    for (name, title) in [
        ("reeds.md", "Reeds"),
        ("reeds.fr.md", "Roseaux"),
        ("reeds.de.md", "Schilf"),
    ] {
        // Only French declares `tags`: Zola refuses them on other pages.
        let terms = match name {
            "reeds.fr.md" => "[taxonomies]\ntags = [\"Rives d'été\"]\n",
            _ => "",
        };
        zola.write(
            &format!("content/blog/{name}"),
            &format!("+++\ntitle = \"{title}\"\ndate = 2024-01-02\n{terms}+++\nx\n"),
        );
    }
    let init = zola.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let said = format!("{}{}", init.stdout, init.stderr);
    assert!(said.contains("public/fr/atom.xml"), "{said}");
    assert_eq!(
        built_links(&zola, "static/feeds/atom.xml"),
        ["https://delta.example.com/blog/reeds/"]
    );
    assert_eq!(
        built_links(&zola, "static/feeds/fr/atom.xml"),
        ["https://delta.example.com/fr/blog/reeds/"]
    );
    assert!(
        !zola.path("static/feeds/de").exists(),
        "German has no feeds at Zola"
    );
    // French has its own taxonomies (`languages.fr.taxonomies`), the site
    // none with feeds: a feed per French tag, found by the command init
    // wrote with Zola's slug of the tag, which drops accents.
    let config = zola.read("gazette.toml");
    assert!(
        config.contains("#   gazette check --against public/fr/tags/TAG/atom.xml --language fr --tag TAG   (for each TAG)\ntaxonomy_feeds = { fr = [\"tags\"] }\n"),
        "{config}"
    );
    assert!(
        config.contains("#   gazette check --against public/fr/blog/atom.xml --language fr --section blog\nsection_feeds = { fr = [\"blog\"] }\n"),
        "{config}"
    );
    assert!(!zola.path("static/feeds/tags").exists());
    assert_eq!(
        built_links(&zola, "static/feeds/fr/tags/rives-d-été.atom.xml"),
        ["https://delta.example.com/fr/blog/reeds/"]
    );
    assert_eq!(
        built_links(&zola, "static/feeds/fr/sections/blog.atom.xml"),
        ["https://delta.example.com/fr/blog/reeds/"]
    );
    let tag = zola.run(&[
        "check",
        "--now",
        NOW,
        "--language",
        "fr",
        "--tag",
        "rives-d-ete",
        "--against",
        "static/feeds/fr/tags/rives-d-été.xml",
    ]);
    assert!(
        tag.stdout.contains("1 entries, 1 unchanged, 0 differences"),
        "{}{}",
        tag.stdout,
        tag.stderr
    );
}

/// jekyll-feed's feed of another collection (`feed.collections`), as the
/// real jekyll-feed writes it for the fixture: the documents under
/// `_recipes` with the collection's permalink and the `defaults:` of its
/// type, titled by their file name and dated at the build when they carry
/// neither, and in that feed alone.
#[test]
fn a_jekyll_collection_gets_its_own_feed() {
    let site = fixture("jekyll-collections");
    let base = "https://orchard.example.org";
    let posts = entries(&site, "feeds/atom.xml");
    assert_eq!(posts.len(), 3, "{posts:?}");
    assert!(posts.iter().all(|(link, _, _)| link.contains("/notes/")));
    let feed = site.feed("feeds/collections/recipes.atom.xml");
    assert_eq!(feed.title.unwrap().content, "Orchard Kitchen | Recipes");
    let documents: Vec<(String, String, String, String, String)> = feed
        .entries
        .iter()
        .map(|e| {
            (
                e.links[0].href.trim_start_matches(base).to_string(),
                e.id.trim_start_matches(base).to_string(),
                e.published.map(|d| d.to_rfc3339()).unwrap_or_default(),
                e.title.clone().unwrap().content,
                e.authors[0].name.clone().unwrap_or_default(),
            )
        })
        .collect();
    let document = |link: &str, date: &str, title: &str| {
        let id = link.trim_end_matches('/').to_string();
        let author = "Jonas Baumann".to_string();
        (
            link.to_string(),
            id,
            date.to_string(),
            title.to_string(),
            author,
        )
    };
    assert_eq!(
        documents,
        [
            // Same-date documents by path from the greatest, as jekyll-feed
            // lists a collection (Jekyll sorts it by date, then path, and
            // the feed reverses it).
            document(
                "/recipes/rowan-jelly/",
                "2026-06-01T00:00:00+00:00",
                "Rowan jelly"
            ),
            document(
                "/recipes/apple-butter/",
                "2026-06-01T00:00:00+00:00",
                "Apple Butter"
            ),
            document(
                "/recipes/crab-apple-verjuice/",
                "2025-02-11T08:30:00+00:00",
                "Crab-apple “verjuice”"
            ),
            document(
                "/recipes/preserves/medlar-jelly/",
                "2024-11-20T00:00:00+00:00",
                "Medlar jelly"
            ),
            document(
                "/recipes/quince-paste/",
                "2024-10-05T00:00:00+00:00",
                "Quince paste"
            ),
            document(
                "/recipes/bramble-vinegar/",
                "2024-10-05T00:00:00+00:00",
                "Bramble vinegar"
            ),
        ]
    );
    // The author named by key, looked up in `_data/authors.yml`.
    let first = &site.feed("feeds/collections/recipes.atom.xml").entries[0];
    let email = first.authors[0].email.as_deref();
    assert_eq!(email, Some("jonas@orchard.example.org"));
    for other in [
        "feeds/collections/recipes.xml",
        "feeds/collections/recipes.json",
    ] {
        assert_eq!(site.feed(other).entries.len(), 6, "{other}");
    }
    let page = site.read("feeds/index.html");
    assert!(page.contains("collections/recipes.atom.xml"), "{page}");
    assert!(site
        .read("feeds/feeds.opml")
        .contains("text=\"Collections\""));
    assert!(site
        .read("_gazette.toml")
        .contains("--collection recipes\n[feeds.collections.recipes]\n"));

    let run = check_against(
        &site,
        "feeds/collections/recipes.atom.xml",
        &["--collection", "recipes"],
    );
    assert_unchanged(&run, 6);
    let run = check_against(
        &site,
        "feeds/collections/recipes.atom.xml",
        &["--collection", "nope"],
    );
    assert_usage_error(&run, "not one of `[feeds.collections]`");

    // A feed of each of its listed categories, as jekyll-feed writes
    // /feed/recipes/<category>.xml: the documents whose categories hold
    // the name as written (not quince paste's "Preserving").
    let links = |feed: &str| -> Vec<String> {
        entries(&site, feed)
            .into_iter()
            .map(|(link, _, _)| link.trim_start_matches(base).to_string())
            .collect()
    };
    assert_eq!(
        links("feeds/collections/recipes/preserving.atom.xml"),
        [
            "/recipes/crab-apple-verjuice/",
            "/recipes/preserves/medlar-jelly/"
        ]
    );
    let drinks = site.feed("feeds/collections/recipes/drinks.atom.xml");
    assert_eq!(
        drinks.title.unwrap().content,
        "Orchard Kitchen | Recipes | Drinks"
    );
    assert!(page.contains("<tr><td>recipes / Drinks</td>"), "{page}");
    let run = check_against(
        &site,
        "feeds/collections/recipes/preserving.atom.xml",
        &["--collection", "recipes", "--category", "preserving"],
    );
    assert_unchanged(&run, 2);
    let run = check_against(
        &site,
        "feeds/collections/recipes/drinks.atom.xml",
        &["--collection", "recipes", "--category", "Preserving"],
    );
    assert_usage_error(&run, "not one of `[feeds.collections.recipes] categories`");

    let list = site.run(&["list", "--now", NOW]);
    let butter = list
        .stdout
        .lines()
        .find(|l| l.contains("apple-butter.md"))
        .unwrap_or_default();
    assert!(
        butter.contains("\"Apple Butter\"") && butter.contains("`recipes` collection"),
        "{}",
        list.stdout
    );

    // A warm build reads a changed document again.
    let paste = site.read("pages/_recipes/quince-paste.md");
    site.write(
        "pages/_recipes/quince-paste.md",
        &paste.replace("Quince paste", "Membrillo"),
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let titles: Vec<String> = site
        .feed("feeds/collections/recipes.atom.xml")
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(titles[4], "Membrillo");
}

/// Post URLs through slug filters: Eleventy's `slugify` and `slug`, each
/// as its npm package writes it, and a filter of the site's own followed
/// into its modules; an edit to that module counts at the next build. The
/// posts are a collection the config makes by path.
#[test]
fn eleventy_slug_filters_of_eleventy_and_of_the_sites_modules() {
    let site = fixture("eleventy-slugs");
    // The feed's collection is made by path (`getFilteredByGlob`): the
    // dated page outside it is no post.
    assert!(
        site.read("gazette.toml")
            .contains("collection_files = [\"posts/**/*.md\"]"),
        "{}",
        site.read("gazette.toml")
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let mut links = built_links(&site, "_site/feeds/atom.xml");
    links.sort();
    assert_eq!(
        links,
        [
            "https://slugs.example.net/essays/foobar-and-html5-a-short-history/",
            "https://slugs.example.net/essays/rock-and-roll-%E2%80%94-100percent-live/",
            "https://slugs.example.net/links/creme-brulee-(v2.1)/",
            "https://slugs.example.net/links/ready-set:-go-4.0!/",
            "https://slugs.example.net/notes/dont-panic-its-4-0/",
            "https://slugs.example.net/notes/ueber-strasse-and-co/",
        ]
    );
    let module = site.read("lib/slug.js");
    site.write(
        "lib/slug.js",
        &module.replace("lower: true,", "lower: true, strict: true,"),
    );
    let rebuilt = site.run(&["build", "--now", NOW]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    let links = built_links(&site, "_site/feeds/atom.xml");
    assert!(
        links.contains(
            &"https://slugs.example.net/essays/rock-and-roll-100percent-live/".to_string()
        ),
        "{links:?}"
    );
}

/// Zola shortcodes render through the site's own templates, as Zola
/// renders them (an HTML one inline and as a block, a Markdown one); one
/// that needs what only Zola's build has is removed with a warning that
/// says why, and an edit to a template counts at the next build.
#[test]
fn zola_shortcodes_render_through_the_sites_templates() {
    let site = fixture("zola");
    site.write(
        "templates/shortcodes/thumb.html",
        "{% set image = resize_image(path=src, width=100, height=100) %}<img src=\"{{ image.url }}\">",
    );
    // A page in a folder of its own, whose image's size the template asks
    // for (tabi's image shortcodes), and a template that does not parse.
    site.write(
        "templates/shortcodes/sized.html",
        "{% set meta = get_image_metadata(path=page.colocated_path ~ src) %}<img src=\"{{ get_url(path=page.colocated_path ~ src) }}\" width=\"{{ meta.width }}\" height=\"{{ meta.height }}\">",
    );
    site.write("templates/shortcodes/broken.html", "{% if %}");
    // Templates no shortcode uses that Tera cannot load (kita's
    // `partials/head.html` was read before the `macros.html` it imports):
    // the shortcodes are rendered all the same.
    site.write("templates/archive.html", "{% extends \"gone.html\" %}");
    site.write(
        "templates/partials/head.html",
        "{% import \"gone.html\" as gone %}",
    );
    site.write("templates/page.html", "{% if %}");
    // tabi's quotes read their words with `load_data`.
    site.write("data/words.toml", "hello = \"Bonjour\"\n");
    site.write(
        "templates/shortcodes/greet.html",
        "{% set words = load_data(path=\"data/words.toml\") %}{% set none = load_data(path=\"data/none.toml\", required=false) %}<q>{{ words.hello }}{% if none %}!{% endif %}</q>",
    );
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x20\0\0\0\x10".to_vec();
    png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    std::fs::write(site.path("content/blog/2024-04-01-second/dot.png"), png).unwrap();
    // Its `assets`, as Zola lists them: not its Markdown, nor an editor's
    // temporary file; those of folders below it too.
    site.write("content/blog/2024-04-01-second/Notes.md", "+++\n+++\n");
    site.write("content/blog/2024-04-01-second/dot.png~", "");
    site.write("content/blog/2024-04-01-second/raw/B.svg", "<svg/>");
    // A file of an extension Zola does not know is loaded as plain text.
    site.write("content/blog/2024-04-01-second/a.list", "listed");
    site.write(
        "templates/shortcodes/files.html",
        "{% for asset in page.assets %}[{{ asset }}]{% endfor %}{{ load_data(path=page.colocated_path ~ \"a.list\") }}",
    );
    let second = site.read("content/blog/2024-04-01-second/index.md");
    site.write(
        "content/blog/2024-04-01-second/index.md",
        &format!(
            "{second}\n{{{{ sized(src=\"dot.png\") }}}} {{{{ broken() }}}} {{{{ greet() }}}} {{{{ files() }}}}\n"
        ),
    );
    let post = site.read("content/blog/2024-03-05_first-post.md");
    site.write(
        "content/blog/2024-03-05_first-post.md",
        &format!("{post}\n{{{{ thumb(src=\"photo.png\") }}}}\n\nShown as written: {{{{/* tool(name=\"x\") */}}}}\n\nNot a call: {{{{ tool(name='it's') }}}}\n"),
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("Zola shortcode thumb() not rendered (")
            && build.stderr.contains("resize_image"),
        "{}",
        build.stderr
    );
    let first_cut = |site: &TestSite| {
        let feed = site.feed("static/feeds/atom.xml");
        let entry = feed
            .entries
            .iter()
            .find(|e| {
                e.title
                    .as_ref()
                    .is_some_and(|t| t.content == "The first cut")
            })
            .cloned()
            .expect("the first cut");
        content_html(&entry)
    };
    let html = first_cut(&site);
    for expected in [
        "<aside class=\"tool\"><strong>Chisel</strong> (<a href=\"https://quarry.example.com/tools/chisel/\">more</a>, call 1)</aside>",
        "<strong>Mallet</strong> Beech, <em>heavy</em>. (<a href=\"https://quarry.example.com/tools/mallet/\">more</a>, call 2)</aside>",
        "<p>The block weighed <strong>12 kg</strong>\nbefore the first cut.</p>",
        "Shown as written: {{ tool(name=\"x\") }}",
        // Zola's grammar ends the string at `it'`: no call, text as written.
        "Not a call: {{ tool(name='it's') }}",
    ] {
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    assert!(
        !html.contains("thumb") && !html.contains('\u{FFFC}'),
        "{html}"
    );
    assert!(
        build.stderr.contains(
            "Zola shortcode broken() not rendered (its template shortcodes/broken.html cannot be read"
        ),
        "{}",
        build.stderr
    );
    let feed = site.feed("static/feeds/atom.xml");
    let second = feed
        .entries
        .iter()
        .map(content_html)
        .find(|html| html.contains("dot.png"))
        .unwrap_or_default();
    assert!(
        second.contains("<img src=\"https://quarry.example.com/blog/2024-04-01-second/dot.png\" width=\"32\" height=\"16\">")
            && second.contains("<q>Bonjour</q>")
            && second.contains("[/blog/2024-04-01-second/a.list][/blog/2024-04-01-second/dot.png][/blog/2024-04-01-second/photo.svg][/blog/2024-04-01-second/raw/B.svg]listed"),
        "{second}"
    );
    site.write("templates/shortcodes/weight.md", "*{{ kg }} kilograms*\n");
    // A macro a shortcode imports counts too.
    let macros = site.read("templates/macros.html");
    site.write(
        "templates/macros.html",
        &macros.replace(">more<", ">more on it<"),
    );
    let rebuilt = site.run(&["build", "--now", NOW]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    let html = first_cut(&site);
    assert!(html.contains("<em>12 kilograms</em>"), "{html}");
    assert!(
        html.contains("/tools/chisel/\">more on it</a>, call 1)"),
        "{html}"
    );
    // `zola.toml`, Zola 0.22's other name for its config, is a shortcode's
    // `config` as `config.toml` is.
    site.write(
        "templates/shortcodes/weight.md",
        "*{{ kg }} {{ config.extra.unit }}*\n",
    );
    let config = site.read("config.toml");
    std::fs::remove_file(site.path("config.toml")).unwrap();
    site.write(
        "zola.toml",
        &config.replace("[extra]\n", "[extra]\nunit = \"tonnes\"\n"),
    );
    let renamed = site.run(&["build", "--now", NOW]);
    assert_eq!(renamed.code, 0, "{}", renamed.stderr);
    assert!(first_cut(&site).contains("<em>12 tonnes</em>"));
}

/// An Eleventy feed collection the config makes from a tag of another
/// name (`addCollection("posts", c => c.getFilteredByTag("post"))`): the
/// posts are the pages with that tag.
#[test]
fn eleventy_collection_made_from_a_tag_of_another_name() {
    let site = TestSite::empty();
    site.write(
        ".eleventy.js",
        "module.exports = function (eleventyConfig) {\n  eleventyConfig.addCollection(\"posts\", (collection) => collection.getFilteredByTag(\"post\"));\n};\n",
    );
    site.write(
        "_data/metadata.json",
        r#"{"title": "Tagged", "url": "https://tagged.example.net/", "author": {"name": "Ta"}}"#,
    );
    site.write(
        "feed.njk",
        "---\npermalink: feed.xml\neleventyExcludeFromCollections: true\n---\n<feed>{% for post in collections.posts %}<entry></entry>{% endfor %}</feed>\n",
    );
    site.write(
        "notes/one.md",
        "---\ntitle: One\ndate: 2024-01-02\ntags: post\n---\nx\n",
    );
    site.write(
        "notes/two.md",
        "---\ntitle: Two\ndate: 2024-01-03\ntags: [other]\n---\nx\n",
    );
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let config = site.read("gazette.toml");
    assert!(config.contains("collection = \"post\"\n"), "{config}");
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(
        built_links(&site, "_site/feeds/atom.xml"),
        ["https://tagged.example.net/notes/one/"]
    );
}

/// A Zola theme's own feed template leaving out a page whose setting, its
/// own or else its section's, is true (tabi's `hide_from_feed`): `init`
/// reads it into `skip_if_key` and `from_section`, the build follows it,
/// `list` says which section hid a page, and an edit to a section's
/// `_index.md` counts at the next build.
#[test]
fn zola_pages_left_out_by_their_sections_setting() {
    let site = fixture("zola-theme");
    let config = site.read("gazette.toml");
    assert!(
        config.contains("skip_if_key = [\"extra.unlisted\"]")
            && config.contains("skip_main_if_key = [\"extra.aside\"]")
            && config.contains("from_section = [\"extra.unlisted\", \"extra.aside\"]"),
        "{config}"
    );
    // `ignored_content` as Zola matches it, against absolute paths.
    assert!(
        config.contains("exclude = [\"*.wip.md\", \"*/posts/rough-*\", \"posts/rough-*\"]\n"),
        "{config}"
    );
    std::fs::remove_file(site.path("gazette.toml")).unwrap();
    let init = site.run(&["init", "--from", "."]);
    let said = format!("{}{}", init.stdout, init.stderr);
    assert!(
        said.contains("ignored_content \"posts/kept-*\" ignores nothing at Zola"),
        "{said}"
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("no post sets"), "{}", build.stderr);
    assert_eq!(
        sorted_titles(&site, "static/feeds/atom.xml"),
        [
            "A bundled page",
            "A note deeper down",
            "An aside for the front page",
            "Kept from scratch",
            "Kept receipts",
            "The first ledger",
            "The old book"
        ]
    );
    // Out of the main feed alone: in its section's and its tag's.
    assert_eq!(
        sorted_titles(&site, "static/feeds/sections/asides.atom.xml"),
        ["A margin note", "An aside for the front page"]
    );
    assert!(sorted_titles(&site, "static/feeds/tags/ink.atom.xml")
        .contains(&"A margin note".to_string()));
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout.contains("(content/scratch/idea.md): `extra.unlisted` is set by its section's content/scratch/_index.md")
            && list.stdout.contains("(content/posts/quiet-entry.md): `extra.unlisted` is set\n")
            // Neither title nor date: left out as undated, not an error.
            && list.stdout.contains("(content/posts/moved.md): no date"),
        "{}",
        list.stdout
    );
    // The section listed again: its page is back in the feed.
    site.write(
        "content/scratch/_index.md",
        "+++\ntitle = \"Scratch\"\nsort_by = \"date\"\n+++\n",
    );
    let rebuilt = site.run(&["build", "--now", NOW]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert!(
        sorted_titles(&site, "static/feeds/atom.xml").contains(&"An idea in scratch".to_string())
    );
    // Only Zola's pages have sections' `_index.md` to take keys from.
    let other = TestSite::empty();
    other.write(
        "gazette.toml",
        "title = \"T\"\nbase_url = \"https://t.example.org/\"\ngenerator = \"hugo\"\n[fields]\nfrom_section = \"extra.x\"\n",
    );
    assert_usage_error(&other.run(&["build"]), "fields.from_section");
}

/// A Zola feed template listing `section.pages` of the root section
/// (blog.rust-lang.org's): the main feed holds the root section's pages and
/// its `transparent` section's, the notes section's only in its own feed;
/// a section made transparent counts at the next build.
#[test]
fn zola_main_feed_of_the_root_sections_pages() {
    let site = fixture("zola-root-section");
    assert!(site
        .read("gazette.toml")
        .contains("main_sections = [\"/\"]\n"));
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(
        sorted_titles(&site, "static/feeds/atom.xml"),
        [
            "A bundled entry",
            "A diary entry",
            "First page of the journal"
        ]
    );
    assert_eq!(
        sorted_titles(&site, "static/feeds/sections/notes.atom.xml"),
        ["A short note"]
    );
    site.write(
        "content/notes/_index.md",
        "+++\ntitle = \"Notes\"\ngenerate_feeds = true\ntransparent = true\n+++\n",
    );
    let rebuilt = site.run(&["build", "--now", NOW]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert!(sorted_titles(&site, "static/feeds/atom.xml").contains(&"A short note".to_string()));
}

/// The titles of a feed's entries, in name order.
fn sorted_titles(site: &TestSite, feed: &str) -> Vec<String> {
    let mut titles = titles(&site.feed(feed));
    titles.sort();
    titles
}

/// Issue 20: a Hugo theme outside `themes/` (`themesDir`, as LoveIt's
/// example site has it) whose home page template lists one type and keeps
/// as many pages as a site param says: the main feed keeps that many, the
/// sections' feeds (Hugo's embedded template) all of theirs. Permalink
/// patterns without a final slash give a folder's address, as Hugo writes
/// them. CI builds the fixture with Hugo 0.111 and 0.168 and compares.
#[test]
fn hugo_theme_templates_decide_each_feeds_length() {
    let site = fixture("hugo-own-theme");
    let config = site.read("gazette.toml");
    for line in [
        "limit = 0\n",
        "main_limit = 3\n",
        "main_sections = [\"posts\"]\n",
    ] {
        assert!(config.contains(line), "{line}: {config}");
    }
    assert!(!config.contains("main_sections_by"), "{config}");
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let base = "https://lantern.example.org";
    let links = |site: &TestSite, feed: &str| -> Vec<String> {
        entry_links(site, &format!("static/feeds/{feed}"))
            .into_iter()
            .map(|link| link.trim_start_matches(base).to_string())
            .collect()
    };
    // By type: the note whose front matter says `type: posts` is one.
    assert_eq!(
        links(&site, "atom.xml"),
        [
            "/2024/wick-trimming/",
            "/2024/brass-polish/",
            "/n/lamp-oil.html/"
        ]
    );
    assert_eq!(
        links(&site, "sections/posts.atom.xml"),
        [
            "/2024/wick-trimming/",
            "/2024/brass-polish/",
            "/2024/storm-glass/",
            "/2024/first-light/"
        ]
    );
    // `/n/:slug.html`; the page without front matter has neither slug nor
    // title, and Hugo writes `/n/.html/` for it.
    assert_eq!(
        links(&site, "sections/notes.atom.xml"),
        ["/n/lantern-knot.html/", "/n/lamp-oil.html/", "/n/.html/"]
    );
    // An old feed holding more than gazette's keeps: said, not counted
    // unchanged.
    let old: Vec<(String, &str)> = [
        ("/2024/wick-trimming/", "2024-06-10T20:00:00Z"),
        ("/2024/brass-polish/", "2024-05-28T19:00:00Z"),
        ("/n/lamp-oil.html/", "2024-05-15T08:00:00Z"),
        ("/2024/storm-glass/", "2024-05-02T18:30:00Z"),
    ]
    .iter()
    .map(|(path, date)| (format!("{base}{path}"), *date))
    .collect();
    let old: Vec<(&str, &str, &str)> = old
        .iter()
        .map(|(url, date)| (url.as_str(), url.as_str(), *date))
        .collect();
    site.write("old-feed.xml", &atom(&old));
    let run = check_against(&site, "old-feed.xml", &[]);
    assert!(
        run.stdout.contains("4 entries, 3 unchanged, 1 difference")
            && run.stdout.contains(
                "left out of gazette's feed, which keeps the newest 3: https://lantern.example.org/2024/storm-glass/"
            ),
        "{}{}",
        run.stdout,
        run.stderr
    );
    // A template comparing `.Section` lists the folder's pages whatever
    // their `type` (measured with Hugo 0.111 and 0.168).
    let template = "design/lantern/layouts/index.rss.xml";
    let by_type = site.read(template);
    site.write(
        template,
        &by_type.replace("\"Type\" \"posts\"", "\"Section\" \"posts\""),
    );
    std::fs::remove_file(site.path("gazette.toml")).unwrap();
    let init = site.run(&["init", "--from", "."]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(site
        .read("gazette.toml")
        .contains("main_sections_by = \"section\"\n"));
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(
        links(&site, "atom.xml"),
        [
            "/2024/wick-trimming/",
            "/2024/brass-polish/",
            "/2024/storm-glass/"
        ]
    );
}
