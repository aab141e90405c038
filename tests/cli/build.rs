//! What ends up in the feeds.

use crate::support::*;

#[test]
fn only_published_posts_appear() {
    let site = TestSite::new("");
    site.write("content/live.md", &post("Live", "2025-05-01", ""))
        .write(
            "content/draft.md",
            &post("Draft", "2025-05-02", "draft: true\n"),
        )
        .write(
            "content/draft-yes.md",
            &post("Draft yes", "2025-05-02", "draft: 'yes'\n"),
        )
        .write(
            "content/draft-str.md",
            &post("Draft str", "2025-05-02", "draft: \"true\"\n"),
        )
        .write(
            "content/hidden.md",
            &post("Hidden", "2025-05-03", "published: false\n"),
        )
        .write("content/future.md", &post("Future", "2025-07-01 08:00", ""))
        .write(
            "content/expired.md",
            &post("Expired", "2025-04-01", "expiryDate: '2025-05-15'\n"),
        )
        .write(
            "content/lasting.md",
            &post("Lasting", "2025-04-02", "expiryDate: '2026-01-01'\n"),
        );
    site.build();
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["Live", "Lasting"], "{name}");
    }

    // The scheduled post appears once `now` passes its date (08:00 Berlin = 06:00 UTC).
    let before = site.run(&["build", "--now", "2025-07-01T05:59:59Z"]);
    assert_eq!(before.code, 0, "{}", before.stderr);
    assert_eq!(titles(&site.feed("feeds/rss.xml")), ["Live", "Lasting"]);
    let after = site.run(&["build", "--now", "2025-07-01T06:00:00Z"]);
    assert_eq!(after.code, 0, "{}", after.stderr);
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["Future", "Live", "Lasting"], "{name}");
    }
}

#[test]
fn newest_first_with_limit_and_stable_ties() {
    let site = TestSite::new("[feeds]\nlimit = 3\n");
    site.write("content/a.md", &post("A", "2025-01-01", ""))
        .write("content/b.md", &post("B", "2025-03-01", ""))
        .write("content/c.md", &post("C", "2025-02-01", ""))
        .write("content/d.md", &post("D", "2025-03-01", ""))
        .write("content/e.md", &post("E", "2024-12-01", ""));
    site.build();
    for (name, feed) in site.all_feeds() {
        // B and D share a date: the tie is broken by id (their URLs), never by chance.
        assert_eq!(titles(&feed), ["B", "D", "C"], "{name}");
    }
}

#[test]
fn dates_keep_their_instant_and_use_the_site_time_zone() {
    let site = TestSite::new("");
    site.write("content/naive.md", &post("Naive", "2025-04-29", ""))
        .write(
            "content/offset.md",
            &post("Offset", "2025-04-29T10:00:00-04:00", ""),
        )
        .write("content/spaced.md", &post("Spaced", "2025-04-27 18:30", ""))
        .write(
            "content/2025-04-20-jekyll.md",
            "---\ntitle: Jekyll\n---\nbody\n",
        )
        .write(
            "content/toml.md",
            "+++\ntitle = \"Toml\"\ndate = 2025-04-25T12:00:00Z\n+++\nbody\n",
        );
    site.build();
    for (name, feed) in site.all_feeds() {
        let published: Vec<String> = feed
            .entries
            .iter()
            .map(|e| e.published.unwrap().to_rfc3339())
            .collect();
        assert_eq!(
            published,
            [
                "2025-04-29T14:00:00+00:00",
                "2025-04-28T22:00:00+00:00",
                "2025-04-27T16:30:00+00:00",
                "2025-04-25T12:00:00+00:00",
                "2025-04-19T22:00:00+00:00",
            ],
            "{name}"
        );
    }
    let rss = site.read("feeds/rss.xml");
    assert!(
        rss.contains("<pubDate>Tue, 29 Apr 2025 00:00:00 +0200</pubDate>"),
        "{rss}"
    );
    assert!(site
        .read("feeds/atom.xml")
        .contains("<updated>2025-04-29T10:00:00-04:00</updated>"));
    // The Jekyll file name gives the slug as well as the date.
    assert!(rss.contains("https://example.org/blog/posts/jekyll/"));
}

#[test]
fn relative_urls_become_absolute_in_every_format() {
    let site = TestSite::new("");
    site.write(
        "content/pics.md",
        "---\ntitle: Pics\ndate: '2025-05-01'\n---\n\n![cover](cover.jpg) [next](../other/) [top](/about/)\n\n\
         <img src=\"img/a.png\" srcset=\"img/a.png 1x, img/a@2x.png 2x\"><video poster=\"still.png\" src=\"v.mp4\"></video>\n",
    );
    site.build();
    for (name, feed) in site.all_feeds() {
        let html = content_html(&feed.entries[0]);
        for expected in [
            "https://example.org/blog/posts/pics/cover.jpg",
            "https://example.org/blog/posts/other/",
            "https://example.org/about/",
            "https://example.org/blog/posts/pics/img/a.png 1x, https://example.org/blog/posts/pics/img/a@2x.png 2x",
            "poster=\"https://example.org/blog/posts/pics/still.png\"",
            "src=\"https://example.org/blog/posts/pics/v.mp4\"",
        ] {
            assert!(html.contains(expected), "{name}: {expected} missing in {html}");
        }
        assert!(!html.contains("\"cover.jpg\""), "{name}");
    }
}

#[test]
fn per_tag_feeds_with_safe_file_names() {
    let site = TestSite::new("[feeds]\nper_tag = true\n");
    site.write(
        "content/one.md",
        &post("One", "2025-05-01", "tags: [Rust, \"C++ & Go\"]\n"),
    )
    .write(
        "content/two.md",
        &post("Two", "2025-05-02", "tags: [rust, ../../etc]\n"),
    )
    .write(
        "content/three.md",
        &post("Three", "2025-05-03", "tags: [人工智能]\n"),
    );
    site.build();
    assert_eq!(titles(&site.feed("feeds/tags/rust.xml")), ["Two", "One"]);
    assert_eq!(titles(&site.feed("feeds/tags/rust.json")), ["Two", "One"]);
    assert_eq!(
        titles(&site.feed("feeds/tags/c-plus-plus-and-go.xml")),
        ["One"]
    );
    assert_eq!(titles(&site.feed("feeds/tags/etc.json")), ["Two"]);
    assert_eq!(titles(&site.feed("feeds/tags/人工智能.xml")), ["Three"]);
    assert!(!site.path("etc").exists() && !site.path("feeds/etc.xml").exists());
    let tag_feed = site.read("feeds/tags/rust.xml");
    assert!(
        tag_feed.contains("https://example.org/blog/tags/rust.xml\" rel=\"self\""),
        "{tag_feed}"
    );
}

#[test]
fn summary_and_full_content() {
    let site = TestSite::new("");
    site.write(
        "content/s.md",
        &post("S", "2025-05-01", "summary: A hand-written summary.\n"),
    )
    .write(
        "content/auto.md",
        "---\ntitle: Auto\ndate: '2025-04-01'\n---\n\nFirst paragraph here.\n\nSecond.\n",
    );
    site.build();
    for (name, feed) in site.all_feeds() {
        let entry = &feed.entries[0];
        assert_eq!(
            entry.summary.as_ref().unwrap().content,
            "A hand-written summary.",
            "{name}"
        );
        let body = content_html(entry);
        assert!(body.contains("<p>Body of S.</p>"), "{name}: {body}");
        assert_eq!(
            feed.entries[1].summary.as_ref().unwrap().content,
            "First paragraph here.",
            "{name}"
        );
    }

    // A list of texts, as WordPress exporters write a `description`, is
    // its texts in turn: the post goes out.
    let listed = TestSite::new("");
    listed.write(
        "content/listed.md",
        &post(
            "Listed",
            "2025-05-01",
            "summary:\n  - One part.\n  - Another.\n",
        ),
    );
    listed.build();
    for (name, feed) in listed.all_feeds() {
        assert_eq!(
            feed.entries[0].summary.as_ref().unwrap().content,
            "One part. Another.",
            "{name}"
        );
    }

    let summaries_only = TestSite::new("[feeds]\nfull_content = false\n");
    summaries_only.write(
        "content/s.md",
        &post("S", "2025-05-01", "summary: Just this.\n"),
    );
    summaries_only.build();
    assert!(!summaries_only
        .read("feeds/rss.xml")
        .contains("content:encoded"));
    assert!(!summaries_only.read("feeds/atom.xml").contains("<content"));
    let json: serde_json::Value =
        serde_json::from_str(&summaries_only.read("feeds/feed.json")).unwrap();
    assert!(json["items"][0].get("content_html").is_none());
    assert_eq!(json["items"][0]["content_text"], "Just this.");
}

/// `[fields] feed_date`: the date an episode's old host gave it, shown
/// and ordered by in the feeds; the URL keeps the post's own date.
#[test]
fn a_feed_date_is_shown_and_the_url_keeps_the_date() {
    let site = TestSite::new(
        "permalink = \"/{year}/{month}/{day}/{slug}/\"\n[fields]\nfeed_date = [\"rss_date\"]\n",
    );
    site.write(
        "content/moved.md",
        &post(
            "Moved",
            "2017-05-15",
            "rss_date: Mon, 26 Jun 2017 13:01:00 +0000\n",
        ),
    )
    .write("content/plain.md", &post("Plain", "2017-06-01", ""));
    site.build();
    let atom = site.feed("feeds/atom.xml");
    assert_eq!(titles(&atom), ["Moved", "Plain"]);
    let moved = &atom.entries[0];
    assert_eq!(
        moved.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2017-06-26T13:01:00+00:00")
    );
    assert_eq!(
        moved.links[0].href,
        "https://example.org/blog/2017/05/15/moved/"
    );
}

/// `[feeds] link_query`: each entry's link carries it, in every format;
/// its id stays the post's address.
#[test]
fn a_link_query_is_on_every_entry_link_and_never_on_the_id() {
    let site = TestSite::new("[feeds]\nlink_query = \"utm_source=RSS&utm_medium=RSS\"\n");
    site.write("content/tagged.md", &post("Tagged", "2025-05-01", ""));
    site.build();
    let link = "https://example.org/blog/posts/tagged/?utm_source=RSS&utm_medium=RSS";
    for (name, feed) in site.all_feeds() {
        let entry = &feed.entries[0];
        assert_eq!(entry.links[0].href, link, "{name}");
        assert!(!entry.id.contains("utm_"), "{name}: {}", entry.id);
    }
    let refused = TestSite::new("[feeds]\nlink_query = \"?utm_source=RSS\"\n");
    refused.write("content/a.md", &post("A", "2025-05-01", ""));
    let run = refused.run(&["build"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("feeds.link_query"), "{}", run.stderr);
}

#[test]
fn ids_authors_and_opt_out() {
    let site = TestSite::new("");
    site.write(
        "content/moved.md",
        &post("Moved", "2025-05-03", "id: post-42\nslug: new-name\n"),
    )
    .write(
        "content/mailed.md",
        &post(
            "Mailed",
            "2025-05-02",
            "author: Ada Lovelace <ada@example.org>\n",
        ),
    )
    .write(
        "content/named.md",
        &post("Named", "2025-05-01", "author: [Grace Hopper, Alan Kay]\n"),
    )
    .write(
        "content/quiet.md",
        &post("Quiet", "2025-05-04", "feed: false\n"),
    );
    site.build();
    let rss = site.read("feeds/rss.xml");
    assert!(!rss.contains("Quiet"));
    assert!(
        rss.contains("<guid isPermaLink=\"false\">post-42</guid>"),
        "{rss}"
    );
    assert!(rss.contains("<link>https://example.org/blog/posts/new-name/</link>"));
    assert!(rss.contains("<author>ada@example.org (Ada Lovelace)</author>"));
    assert!(
        rss.contains("<dc:creator>Grace Hopper</dc:creator><dc:creator>Alan Kay</dc:creator>"),
        "{rss}"
    );
    // A name alone is never put in <author>, which must hold an address.
    assert!(!rss.contains("<author>Grace Hopper"));

    let atom = site.feed("feeds/atom.xml");
    assert_eq!(atom.entries[0].id, "urn:gazette:example.org:post-42");
    assert_eq!(atom.authors[0].name.as_deref(), Some("Site Author"));
    assert_eq!(
        atom.entries[1].authors[0].email.as_deref(),
        Some("ada@example.org")
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("feeds/feed.json")).unwrap();
    assert_eq!(json["items"][0]["id"], "post-42");
    assert_eq!(json["items"][2]["authors"][1]["name"], "Alan Kay");
}

/// A post shaped like the ones our users keep, read through a field mapping,
/// its extra keys reaching an overridden entry template.
#[test]
fn field_mapping_and_extra_keys_reach_templates() {
    let site =
        TestSite::new("[fields]\nauthor = [\"author\", \"speaker\"]\nexternal_url = \"source\"\n");
    site.write(
        "content/interview.md",
        "---\narea: tech-work\ndate: '2025-04-29'\ndraft: false\nguest: ''\nlayout: post.njk\npeople:\n- Mark Zuckerberg\n- Sam Altman\n\
         source: https://www.youtube.com/watch?v=rYXeQbTuVl0\nspeaker: Dwarkesh Patel\nstatus: evergreen\n\
         summary: 扎克伯格在播客中分享了最新进展。\ntags:\n- open-source-ai\ntitle: 扎克伯格：AI将在18个月内编写Meta大部分代码\n---\n\n马克，感谢你再次来到播客。\n",
    )
    .write(
        "templates/feed_entry.html",
        "{{ content | safe }}<p>People: {{ post.extra.people | join(sep=\", \") }}; status {{ post.extra.status }}</p>",
    );
    site.build();
    for (name, feed) in site.all_feeds() {
        let entry = &feed.entries[0];
        assert_eq!(
            entry.title.as_ref().unwrap().content,
            "扎克伯格：AI将在18个月内编写Meta大部分代码",
            "{name}"
        );
        let body = content_html(entry);
        assert!(
            body.contains("People: Mark Zuckerberg, Sam Altman; status evergreen"),
            "{name}: {body}"
        );
        assert!(body.contains("马克，感谢你再次来到播客。"), "{name}");
    }
    assert!(site
        .read("feeds/rss.xml")
        .contains("<dc:creator>Dwarkesh Patel</dc:creator>"));
    let json: serde_json::Value = serde_json::from_str(&site.read("feeds/feed.json")).unwrap();
    assert_eq!(
        json["items"][0]["external_url"],
        "https://www.youtube.com/watch?v=rYXeQbTuVl0"
    );
    assert_eq!(json["items"][0]["authors"][0]["name"], "Dwarkesh Patel");
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
}

#[test]
fn bom_crlf_and_toml_front_matter() {
    let site = TestSite::new("");
    site.write(
        "content/crlf.md",
        "\u{feff}---\r\ntitle: Windows\r\ndate: '2025-05-01'\r\n---\r\n\r\nLine one.\r\n",
    )
    .write(
        "content/hugo.md",
        "+++\r\ntitle = \"Hugo\"\r\ndate = \"2025-04-01\"\r\ntags = [\"x\"]\r\n+++\r\nText.\r\n",
    );
    site.build();
    for (name, feed) in site.all_feeds() {
        assert_eq!(titles(&feed), ["Windows", "Hugo"], "{name}");
    }
}

#[test]
fn feed_updated_is_the_newest_entry_not_the_clock() {
    let site = TestSite::new("");
    site.write(
        "content/a.md",
        &post("A", "2025-05-01", "updated: '2025-05-20T12:00:00Z'\n"),
    )
    .write("content/b.md", &post("B", "2025-05-10", ""));
    site.build();
    let atom = site.feed("feeds/atom.xml");
    assert_eq!(
        atom.updated.unwrap().to_rfc3339(),
        "2025-05-20T12:00:00+00:00"
    );
    assert!(site
        .read("feeds/rss.xml")
        .contains("<lastBuildDate>Tue, 20 May 2025 12:00:00 +0000</lastBuildDate>"));
}

/// A field a CMS left as a list of blanks (`updated: ['']`) is not set:
/// the post goes out, dated by its `date`.
#[test]
fn a_list_of_blanks_is_no_value() {
    let site = TestSite::new("");
    site.write(
        "content/a.md",
        &post("A", "2025-05-01", "updated:\n  - ''\n"),
    );
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let atom = site.feed("feeds/atom.xml");
    assert_eq!(atom.entries.len(), 1);
    assert_eq!(atom.entries[0].updated, atom.entries[0].published);
}

#[test]
fn a_build_that_fails_late_puts_no_file_in_place() {
    let site = TestSite::new("");
    site.write("content/one.md", &post("First post", "2025-05-01", ""));
    site.build();
    let before = site.read("feeds/rss.xml");
    // The page is rendered after every feed: a template error there comes
    // when the feeds are already written under temporary names.
    site.write("content/two.md", &post("Second post", "2025-05-02", ""))
        .write("templates/index.html", "{{ no_such_variable }}");
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(site.read("feeds/rss.xml"), before, "rss.xml was replaced");
    let leftovers: Vec<String> = std::fs::read_dir(site.path("feeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".gazette-") && name != ".gazette-manifest")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn the_opml_file_lists_each_feed_once_and_every_address_exists() {
    let site = TestSite::new("[feeds]\nper_tag = true\n");
    site.write(
        "content/a.md",
        &post("A", "2025-05-01", "tags: [rust, feeds]\n"),
    )
    .write("content/b.md", &post("B", "2025-05-02", "tags: [rust]\n"));
    site.build();
    let text = site.read("feeds/feeds.opml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let body = doc.descendants().find(|n| n.has_tag_name("body")).unwrap();
    let feeds: Vec<&str> = body
        .descendants()
        .filter_map(|n| n.attribute("xmlUrl"))
        .collect();
    // The site-wide feed and the two tags, once each, in RSS.
    assert_eq!(feeds.len(), 3, "{text}");
    for url in &feeds {
        assert!(url.ends_with(".xml"), "{url}");
        let file = url.trim_start_matches("https://example.org/blog/");
        assert!(
            site.path(&format!("feeds/{file}")).exists(),
            "{url} is not written"
        );
    }
    let tags = body
        .children()
        .find(|n| n.attribute("text") == Some("Tags"))
        .unwrap();
    assert_eq!(tags.children().filter(|n| n.is_element()).count(), 2);
    assert!(site.read("feeds/index.html").contains("feeds.opml"));
}
