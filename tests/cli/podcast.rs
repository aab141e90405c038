//! podcast.xml: every tag Apple Podcasts requires, and episodes that lack an
//! enclosure field reported instead of written.

use crate::support::*;

const PODCAST: &str = r#"[podcast]
title = "The Show"
author = "Host Name"
image = "/cover.jpg"
categories = ["Technology", "Society & Culture > Documentary"]
explicit = false
type = "serial"
owner = { name = "Owner", email = "owner@example.org" }
"#;

fn episode(title: &str, date: &str, audio: &str) -> String {
    post(
        title,
        date,
        &format!("speaker: Guest Speaker\naudio:\n{audio}"),
    )
}

fn show() -> TestSite {
    let site = TestSite::new(PODCAST);
    site.write(
        "content/ep1.md",
        &episode(
            "Episode one",
            "2025-05-01",
            "  url: /media/ep1.mp3\n  length: 1234567\n  type: audio/mpeg\n  duration: 3723\n  season: 1\n  episode: 1\n  transcript: ep1.vtt\n",
        ),
    )
    .write(
        "content/ep2.md",
        &episode("Episode two & more", "2025-05-08", "  url: https://cdn.example.net/ep2.m4a\n  length: 99\n  type: audio/x-m4a\n  duration: '45:07'\n  episode_type: bonus\n"),
    )
    .write("content/article.md", &post("Just an article", "2025-05-05", ""));
    site
}

fn element<'a>(doc: &'a roxmltree::Document, ns: &str, name: &str) -> roxmltree::Node<'a, 'a> {
    doc.descendants()
        .find(|n| n.has_tag_name((ns, name)))
        .unwrap_or_else(|| panic!("no {name} in podcast.xml"))
}

const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const PODCAST_NS: &str = "https://podcastindex.org/namespace/1.0";

#[test]
fn podcast_feed_has_every_required_tag() {
    let site = show();
    site.build();
    let feed = site.feed("feeds/podcast.xml");
    assert_eq!(titles(&feed), ["Episode two & more", "Episode one"]);

    let text = site.read("feeds/podcast.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .unwrap();
    let child = |name: &str| {
        channel
            .children()
            .find(|n| n.has_tag_name(name))
            .map(|n| n.text().unwrap_or(""))
    };
    assert_eq!(child("title"), Some("The Show"));
    assert_eq!(child("language"), Some("en"));
    assert!(child("description").is_some());
    assert_eq!(
        element(&doc, ITUNES, "image").attribute("href"),
        Some("https://example.org/cover.jpg")
    );
    let categories: Vec<_> = channel
        .children()
        .filter(|n| n.has_tag_name((ITUNES, "category")))
        .map(|n| {
            let sub = n
                .children()
                .find(|c| c.is_element())
                .and_then(|c| c.attribute("text"));
            (n.attribute("text").unwrap(), sub)
        })
        .collect();
    assert_eq!(
        categories,
        [
            ("Technology", None),
            ("Society & Culture", Some("Documentary"))
        ]
    );
    assert_eq!(element(&doc, ITUNES, "explicit").text(), Some("false"));
    assert_eq!(element(&doc, ITUNES, "author").text(), Some("Host Name"));
    assert_eq!(element(&doc, ITUNES, "type").text(), Some("serial"));
    let owner = element(&doc, ITUNES, "owner");
    assert!(owner
        .descendants()
        .any(|n| n.has_tag_name((ITUNES, "email")) && n.text() == Some("owner@example.org")));
    // UUIDv5 of "example.org/blog/podcast.xml" in the podcast namespace.
    let expected = uuid::Uuid::new_v5(
        &uuid::uuid!("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"),
        b"example.org/blog/podcast.xml",
    );
    assert_eq!(
        element(&doc, PODCAST_NS, "guid").text(),
        Some(expected.to_string().as_str())
    );
    assert_eq!(element(&doc, PODCAST_NS, "locked").text(), Some("yes"));

    let items: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    assert_eq!(items.len(), 2);
    let enclosures: Vec<_> = items
        .iter()
        .map(|item| {
            let e = item
                .children()
                .find(|n| n.has_tag_name("enclosure"))
                .unwrap();
            (
                e.attribute("url").unwrap(),
                e.attribute("length").unwrap(),
                e.attribute("type").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        enclosures,
        [
            ("https://cdn.example.net/ep2.m4a", "99", "audio/x-m4a"),
            ("https://example.org/media/ep1.mp3", "1234567", "audio/mpeg"),
        ]
    );
    for item in &items {
        for (ns, name) in [
            ("", "guid"),
            ("", "pubDate"),
            ("", "title"),
            (ITUNES, "duration"),
            (ITUNES, "title"),
        ] {
            let found = item.children().any(|n| {
                n.tag_name().name() == name && n.tag_name().namespace().unwrap_or("") == ns
            });
            assert!(found, "an item has no {name}");
        }
    }
    let one = items[1];
    let text_of = |ns: &str, name: &str| {
        one.children()
            .find(|n| n.has_tag_name((ns, name)))
            .and_then(|n| n.text())
    };
    assert_eq!(text_of(ITUNES, "duration"), Some("1:02:03"));
    assert_eq!(text_of(ITUNES, "episode"), Some("1"));
    assert_eq!(text_of(ITUNES, "season"), Some("1"));
    let transcript = one
        .children()
        .find(|n| n.has_tag_name((PODCAST_NS, "transcript")))
        .unwrap();
    assert_eq!(
        transcript.attribute("url"),
        Some("https://example.org/blog/posts/ep1/ep1.vtt")
    );
    assert_eq!(transcript.attribute("type"), Some("text/vtt"));
    assert_eq!(text_of(PODCAST_NS, "season"), Some("1"));
    assert_eq!(text_of(PODCAST_NS, "episode"), Some("1"));
    // JSON Feed items of episodes carry the audio as an attachment.
    let json: serde_json::Value = serde_json::from_str(&site.read("feeds/feed.json")).unwrap();
    let with_audio: Vec<&serde_json::Value> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item.get("attachments").is_some())
        .collect();
    assert_eq!(with_audio.len(), 2, "{json}");
    let attachment = &with_audio
        .iter()
        .find(|item| item["attachments"][0]["url"] == "https://example.org/media/ep1.mp3")
        .unwrap()["attachments"][0];
    assert_eq!(attachment["mime_type"], "audio/mpeg");
    assert_eq!(attachment["size_in_bytes"], 1234567);
    assert_eq!(attachment["duration_in_seconds"], 3723);
    assert_eq!(
        items[0]
            .children()
            .find(|n| n.has_tag_name((ITUNES, "episodeType")))
            .and_then(|n| n.text()),
        Some("bonus")
    );
    // Show notes come from the body through podcast_notes.html.
    let entry = &feed.entries[1];
    assert!(content_html(entry).contains("Transcript"));
    // feed-rs sees the enclosure too.
    assert_eq!(
        entry.media[0].content[0].url.as_ref().unwrap().as_str(),
        "https://example.org/media/ep1.mp3"
    );
}

#[test]
fn episode_missing_an_enclosure_field_is_an_error() {
    let site = show();
    site.write(
        "content/broken.md",
        &episode(
            "Broken",
            "2025-05-10",
            "  url: /media/broken.mp3\n  type: audio/mpeg\n",
        ),
    );
    let check = site.run(&["check", "--now", NOW]);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stderr
            .contains("content/broken.md:5: error: podcast episode `audio`: has no `length`"),
        "{}",
        check.stderr
    );
    let build = site.run(&["build", "--now", NOW]);
    assert_eq!(build.code, 1);
    assert_eq!(
        titles(&site.feed("feeds/podcast.xml")),
        ["Episode two & more", "Episode one"]
    );
}

#[test]
fn show_level_problems_are_config_errors() {
    for (config, needle) in [
        (PODCAST.replace("image = \"/cover.jpg\"\n", ""), "image"),
        (
            PODCAST.replace("\"Technology\", ", "\"Tech\", "),
            "not an Apple Podcasts category",
        ),
        (
            PODCAST.replace(
                "categories = [\"Technology\", \"Society & Culture > Documentary\"]",
                "categories = []",
            ),
            "categories",
        ),
        (
            PODCAST.replace(", email = \"owner@example.org\"", ""),
            "email",
        ),
    ] {
        let site = TestSite::new(&config);
        let run = site.run(&["check"]);
        assert_eq!(run.code, 2, "{config}");
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
}

#[test]
fn podcasting_2_tags_from_the_show_and_the_episodes() {
    let config = PODCAST.replace(
        "explicit = false\n",
        "explicit = false\nlicense = \"cc-by-4.0\"\nmedium = \"podcast\"\nfunding = [{ url = \"/support\", text = \"Support the show\" }]\n",
    );
    let site = TestSite::new(&config);
    site.write(
        "content/ep1/index.md",
        &post(
            "With chapters",
            "2025-05-01",
            "author: Host Name\nguests: [Ada Guest, Bo Guest]\naudio:\n  url: ep1.mp3\n  length: 100\n  type: audio/mpeg\n  chapters: chapters.json\n  soundbites:\n  - start: 73.5\n    duration: 30\n    title: The best bit\n",
        ),
    )
    .write(
        "content/ep1/chapters.json",
        r#"{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Intro"}, {"startTime": 95}]}"#,
    )
    .write(
        "content/trailer.md",
        &post("Coming soon", "2025-04-01", "audio:\n  url: /t.mp3\n  length: 10\n  type: audio/mpeg\n  episode_type: trailer\n"),
    );
    site.build();
    let text = site.read("feeds/podcast.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let tag = |name: &str| -> Vec<roxmltree::Node> {
        doc.descendants()
            .filter(|n| n.has_tag_name((PODCAST_NS, name)))
            .collect()
    };
    assert_eq!(tag("medium")[0].text(), Some("podcast"));
    assert_eq!(tag("license")[0].text(), Some("cc-by-4.0"));
    let funding = tag("funding");
    assert_eq!(
        funding[0].attribute("url"),
        Some("https://example.org/support")
    );
    assert_eq!(funding[0].text(), Some("Support the show"));
    let trailer = tag("trailer");
    assert_eq!(trailer.len(), 1);
    assert_eq!(
        trailer[0].attribute("url"),
        Some("https://example.org/t.mp3")
    );
    assert_eq!(trailer[0].text(), Some("Coming soon"));
    let chapters = tag("chapters");
    assert_eq!(
        chapters[0].attribute("url"),
        Some("https://example.org/blog/posts/ep1/chapters.json")
    );
    assert_eq!(
        chapters[0].attribute("type"),
        Some("application/json+chapters")
    );
    let bite = &tag("soundbite")[0];
    assert_eq!(
        (
            bite.attribute("startTime"),
            bite.attribute("duration"),
            bite.text()
        ),
        (Some("73.5"), Some("30"), Some("The best bit"))
    );
    let people: Vec<(Option<&str>, Option<&str>)> = tag("person")
        .iter()
        .map(|p| (p.attribute("role"), p.text()))
        .collect();
    assert!(
        people.contains(&(Some("host"), Some("Host Name"))),
        "{people:?}"
    );
    assert!(
        people.contains(&(Some("guest"), Some("Ada Guest"))),
        "{people:?}"
    );
    assert!(
        people.contains(&(Some("guest"), Some("Bo Guest"))),
        "{people:?}"
    );

    // A chapters file out of order is that episode's error, with its line.
    site.write(
        "content/ep1/chapters.json",
        r#"{"version": "1.2.0", "chapters": [{"startTime": 95}, {"startTime": 0}]}"#,
    );
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("starts before the one above it"),
        "{}",
        run.stderr
    );
}

/// Issue 21: an episode's audio is in every feed that lists it, read back
/// by feed-rs as each format's enclosure.
#[test]
fn episodes_carry_their_audio_in_every_feed() {
    let config = format!("[feeds]\nper_tag = true\n{PODCAST}");
    let site = TestSite::new(&config);
    site.write(
        "content/ep1.md",
        &post(
            "Episode one",
            "2025-05-01",
            "tags: [podcast]\naudio:\n  url: /media/ep1.mp3\n  length: 1234567\n  type: audio/mpeg\n",
        ),
    );
    site.build();
    for file in [
        "feeds/rss.xml",
        "feeds/atom.xml",
        "feeds/feed.json",
        "feeds/tags/podcast.xml",
        "feeds/tags/podcast.atom.xml",
        "feeds/tags/podcast.json",
        "feeds/podcast.xml",
    ] {
        let feed = site.feed(file);
        // feed-rs reads RSS enclosures as media, Atom's as `enclosure`
        // links, JSON Feed attachments as links with a length.
        let entry = &feed.entries[0];
        let media: Vec<(String, Option<String>, Option<u64>)> = entry
            .media
            .iter()
            .flat_map(|m| m.content.iter())
            .map(|c| {
                (
                    c.url.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                    c.content_type.as_ref().map(|t| t.to_string()),
                    c.size,
                )
            })
            .chain(
                entry
                    .links
                    .iter()
                    .filter(|l| {
                        l.rel.as_deref() == Some("enclosure")
                            || (l.rel.is_none() && l.length.is_some())
                    })
                    .map(|l| (l.href.clone(), l.media_type.clone(), l.length)),
            )
            .collect();
        assert_eq!(
            media,
            [(
                "https://example.org/media/ep1.mp3".to_string(),
                Some("audio/mpeg".to_string()),
                Some(1234567)
            )],
            "{file}"
        );
    }
}

/// Issue 21: chapters named site-absolute, as `url` is, are found under the
/// site; a missing chapters file is a warning and the episode stays.
#[test]
fn site_absolute_chapters_resolve_and_a_missing_file_keeps_the_episode() {
    let site = TestSite::new(PODCAST);
    site.write(
        "content/ep1.md",
        &episode(
            "Episode one",
            "2025-05-01",
            "  url: /media/ep1.mp3\n  length: 1234\n  type: audio/mpeg\n  chapters: /episodes/ep1.json\n",
        ),
    )
    .write(
        "static/episodes/ep1.json",
        r#"{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Intro"}]}"#,
    )
    .write(
        "content/ep2.md",
        &episode(
            "Episode two",
            "2025-05-08",
            "  url: /media/ep2.mp3\n  length: 1234\n  type: audio/mpeg\n  chapters: /episodes/missing.json\n",
        ),
    );
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("ep2.md:") && run.stderr.contains("warning: podcast episode `audio`: `chapters` \"/episodes/missing.json\": no such file"),
        "{}",
        run.stderr
    );
    let text = site.read("feeds/podcast.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let chapters: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((PODCAST_NS, "chapters")))
        .filter_map(|n| n.attribute("url"))
        .collect();
    assert_eq!(chapters, ["https://example.org/episodes/ep1.json"]);
    assert_eq!(
        titles(&site.feed("feeds/podcast.xml")),
        ["Episode two", "Episode one"]
    );
}

/// Issue 21: a show keeps the identity it had elsewhere, announces a move,
/// names its regulars, and a season's trailer names the season.
#[test]
fn a_show_keeps_its_guid_announces_a_move_and_names_its_people() {
    let config = PODCAST.replace(
        "explicit = false\n",
        "explicit = false\nguid = \"917393E3-1B1E-5CEF-ACE4-EDAA54E1F810\"\nnew_feed_url = \"https://new.example.net/podcast.xml\"\npeople = [{ name = \"Host Name\", href = \"/about\" }, { name = \"Pat Producer\", role = \"producer\" }]\n",
    );
    let site = TestSite::new(&config);
    site.write(
        "content/trailer.md",
        &post("Season two soon", "2025-04-01", "audio:\n  url: /t.mp3\n  length: 10\n  type: audio/mpeg\n  episode_type: trailer\n  season: 2\n"),
    );
    site.build();
    let text = site.read("feeds/podcast.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .unwrap();
    let child = |ns: &str, name: &str| -> Vec<roxmltree::Node> {
        channel
            .children()
            .filter(|n| n.has_tag_name((ns, name)))
            .collect()
    };
    assert_eq!(
        child(PODCAST_NS, "guid")[0].text(),
        Some("917393e3-1b1e-5cef-ace4-edaa54e1f810")
    );
    assert_eq!(
        child(ITUNES, "new-feed-url")[0].text(),
        Some("https://new.example.net/podcast.xml")
    );
    let people: Vec<(Option<&str>, Option<&str>, Option<&str>)> = child(PODCAST_NS, "person")
        .iter()
        .map(|p| (p.attribute("role"), p.attribute("href"), p.text()))
        .collect();
    assert_eq!(
        people,
        [
            (
                Some("host"),
                Some("https://example.org/about"),
                Some("Host Name")
            ),
            (Some("producer"), None, Some("Pat Producer"))
        ]
    );
    assert_eq!(
        child(PODCAST_NS, "trailer")[0].attribute("season"),
        Some("2")
    );
    // The editor is the owner, name and address together.
    assert_eq!(
        channel
            .children()
            .find(|n| n.has_tag_name("managingEditor"))
            .and_then(|n| n.text()),
        Some("owner@example.org (Owner)")
    );

    // The guid does not follow the feed's URL once set.
    site.write(
        "config.toml",
        &site
            .read("config.toml")
            .replace("https://example.org/", "https://moved.example.com/"),
    );
    site.build();
    assert!(site
        .read("feeds/podcast.xml")
        .contains("917393e3-1b1e-5cef-ace4-edaa54e1f810"));
    let bad = site
        .read("config.toml")
        .replace("917393E3-1B1E-5CEF-ACE4-EDAA54E1F810", "not-a-uuid");
    site.write("config.toml", &bad);
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("podcast.guid"), "{}", run.stderr);
}

/// A show as a hosting service publishes it: its own guid, one episode
/// without a guid (apps know it by its enclosure URL), one item that is
/// not an episode.
const HOST_FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Hosted Show</title>
  <link>https://host.example.net/hosted</link>
  <description>A show that moves house.</description>
  <copyright>© 2024 Hosted</copyright>
  <podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>
  <podcast:locked>yes</podcast:locked>
  <itunes:author>Hosted Host</itunes:author>
  <itunes:image href="https://host.example.net/cover.jpg"/>
  <itunes:category text="Technology"/>
  <itunes:category text="Society &amp; Culture"><itunes:category text="Documentary"/></itunes:category>
  <itunes:owner><itunes:name>Owner</itunes:name><itunes:email>owner@example.org</itunes:email></itunes:owner>
  <itunes:explicit>false</itunes:explicit>
  <item>
    <title>Second: the sequel</title>
    <guid isPermaLink="false">host-ep-2</guid>
    <pubDate>Tue, 09 Jan 2024 08:00:00 +0100</pubDate>
    <enclosure url="https://media.host.example.net/2.mp3" length="2048" type="audio/mpeg"/>
    <itunes:duration>01:02:03</itunes:duration>
    <itunes:season>1</itunes:season>
    <itunes:episode>2</itunes:episode>
    <itunes:episodeType>full</itunes:episodeType>
    <podcast:transcript url="https://media.host.example.net/2.vtt" type="text/vtt"/>
    <category>interviews</category>
    <content:encoded><![CDATA[<p>Show notes with <a href="https://example.com/">a link</a>.</p>]]></content:encoded>
  </item>
  <item>
    <title>First</title>
    <pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
    <enclosure url="https://media.host.example.net/1.mp3" length="1024" type="audio/mpeg"/>
    <description>The pilot.</description>
  </item>
  <item>
    <title>A note, not an episode</title>
    <guid>host-note</guid>
    <pubDate>Mon, 01 Jan 2024 12:00:00 GMT</pubDate>
  </item>
</channel>
</rss>
"#;

#[test]
fn a_show_imported_from_its_host_keeps_its_guids_dates_audio_and_identity() {
    let site = TestSite::new("");
    site.write("host.xml", HOST_FEED);
    let import = site.run(&["import", "podcast", "host.xml"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import.stdout.contains("wrote 2 episode posts")
            && import.stdout.contains("1 left out")
            && import.stdout.contains("A note, not an episode"),
        "{}",
        import.stdout
    );
    // The show's settings came with it: the site builds a podcast at once.
    assert!(site
        .read("config.toml")
        .contains("[podcast]\ntitle = \"Hosted Show\""));
    assert!(site
        .read("config.record.toml")
        .contains("podcast_guid = \"917393e3-1b1e-5cef-ace4-edaa54e1f810\""));

    let built = site.build();
    assert_eq!(built.code, 0, "{}", built.stderr);
    let text = site.read("feeds/podcast.xml");
    assert!(
        text.contains("<podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>"),
        "{text}"
    );
    let feed = site.feed("feeds/podcast.xml");
    let by_title = |title: &str| {
        feed.entries
            .iter()
            .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
            .unwrap_or_else(|| panic!("no {title} in {text}"))
    };
    let second = by_title("Second: the sequel");
    assert_eq!(second.id, "host-ep-2");
    assert_eq!(
        second.published.unwrap().to_rfc3339(),
        "2024-01-09T07:00:00+00:00"
    );
    let media = &second.media[0].content[0];
    assert_eq!(
        media.url.as_ref().unwrap().as_str(),
        "https://media.host.example.net/2.mp3"
    );
    assert_eq!(media.size, Some(2048));
    assert!(content_html(second).contains("a link"));
    assert!(text.contains("https://media.host.example.net/2.vtt"));
    // Without a guid at the host, apps knew the pilot by its audio's URL.
    assert_eq!(by_title("First").id, "https://media.host.example.net/1.mp3");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let season = doc
        .descendants()
        .find(|n| n.has_tag_name((ITUNES, "season")))
        .map(|n| n.text().unwrap_or_default().to_string());
    assert_eq!(season.as_deref(), Some("1"));

    // Again: nothing new, nothing written twice, the config unchanged.
    let config = site.read("config.toml");
    let again = site.run(&["import", "podcast", "host.xml"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stdout
            .contains("wrote 0 episode posts; 2 already here"),
        "{}",
        again.stdout
    );
    assert_eq!(site.read("config.toml"), config);
}

#[test]
fn an_import_never_gives_a_show_a_second_identity() {
    let site = TestSite::new(&format!(
        "{PODCAST}guid = \"00000000-0000-4000-8000-000000000000\"\n"
    ));
    site.write("host.xml", HOST_FEED);
    let import = site.run(&["import", "podcast", "host.xml"]);
    assert_eq!(import.code, 2, "{}", import.stdout);
    assert!(
        import.stderr.contains("already has an identity"),
        "{}",
        import.stderr
    );
    assert!(!site.path("content/episodes").exists());

    // A feed naming neither its guid nor its own address needs --feed-url,
    // whose UUIDv5 is the show's identity.
    let bare = HOST_FEED.replace(
        "<podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>",
        "",
    );
    let site = TestSite::new("");
    site.write("host.xml", &bare);
    let import = site.run(&["import", "podcast", "host.xml"]);
    assert_eq!(import.code, 2, "{}", import.stdout);
    assert!(import.stderr.contains("--feed-url"), "{}", import.stderr);
    let import = site.run(&[
        "import",
        "podcast",
        "host.xml",
        "--feed-url",
        "https://mp3s.nashownotes.com/pc20rss.xml",
    ]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    // The Podcasting 2.0 spec's own example of the UUIDv5.
    assert!(site
        .read("config.record.toml")
        .contains("917393e3-1b1e-5cef-ace4-edaa54e1f810"));
}

/// `check --against` compares each entry's enclosure with the episode
/// gazette writes: a show moved from another feed keeps the files its
/// listeners' apps have, and a post that lost its episode is named, in
/// the RSS, Atom and JSON Feed the site published.
#[test]
fn check_against_names_enclosures_changed_or_dropped() {
    let site = show();
    site.build();
    for feed in ["rss.xml", "atom.xml", "feed.json"] {
        let old = format!("feeds/{feed}");
        let same = site.run(&["check", "--now", NOW, "--against", &old]);
        assert!(
            same.stdout.contains(" 0 differences"),
            "{feed}: {}",
            same.stdout
        );
    }
    std::fs::copy(site.path("feeds/rss.xml"), site.path("old-rss.xml")).unwrap();
    std::fs::copy(site.path("feeds/atom.xml"), site.path("old-atom.xml")).unwrap();
    std::fs::copy(site.path("feeds/feed.json"), site.path("old-feed.json")).unwrap();
    site.write(
        "content/ep1.md",
        &episode(
            "Episode one",
            "2025-05-01",
            "  url: /media/ep1-remastered.mp3\n  length: 1234567\n  type: audio/mpeg\n",
        ),
    )
    .write(
        "content/ep2.md",
        &post("Episode two & more", "2025-05-08", ""),
    );
    for old in ["old-rss.xml", "old-atom.xml", "old-feed.json"] {
        let check = site.run(&["check", "--now", NOW, "--against", old]);
        assert!(
            check.stdout.contains(
                "enclosure changed for https://example.org/blog/posts/ep1/: https://example.org/media/ep1.mp3 -> https://example.org/media/ep1-remastered.mp3"
            ),
            "{old}: {}",
            check.stdout
        );
        assert!(
            check.stdout.contains(
                "enclosure dropped for https://example.org/blog/posts/ep2/: https://cdn.example.net/ep2.m4a (podcast apps would lose the episode's audio"
            ),
            "{old}: {}",
            check.stdout
        );
        assert!(
            check.stdout.contains(" 2 differences"),
            "{old}: {}",
            check.stdout
        );
    }
}

/// A show that reads its episodes from keys of the post's own is not
/// given imported episodes in a mapping its build would never read.
#[test]
fn import_refuses_a_show_that_reads_episodes_from_keys_of_their_own() {
    let site = TestSite::new(&format!(
        "{PODCAST}\n[podcast.episode_keys]\nurl = \"media_url\"\nlength = \"episode_length\"\ndefault_type = \"audio/mpeg\"\n"
    ));
    site.write("host.xml", HOST_FEED);
    let import = site.run(&["import", "podcast", "host.xml"]);
    assert_ne!(import.code, 0, "{}", import.stdout);
    assert!(
        import
            .stderr
            .contains("[podcast.episode_keys] reads each episode"),
        "{}",
        import.stderr
    );
    assert!(!site.path("content/episodes").exists());
    // The same keys carry an episode in the build.
    site.write(
        "content/ep9.md",
        &post(
            "Episode nine",
            "2025-05-09",
            "media_url: /media/ep9.mp3\nepisode_length: 4096\n",
        ),
    );
    site.build();
    let podcast = site.read("feeds/podcast.xml");
    assert!(
        podcast.contains("<enclosure url=\"https://example.org/media/ep9.mp3\" length=\"4096\" type=\"audio/mpeg\"/>"),
        "{podcast}"
    );
}
