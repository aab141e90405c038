//! A throw-away site in a temporary folder and a runner for the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The instant every test builds at unless it says otherwise.
pub(crate) const NOW: &str = "2025-06-01T00:00:00Z";

pub(crate) const BASE_CONFIG: &str = r#"title = "Test Site"
description = "A site for tests"
base_url = "https://example.org/blog/"
language = "en"
timezone = "Europe/Berlin"
author = { name = "Site Author" }
"#;

pub(crate) struct TestSite {
    pub dir: tempfile::TempDir,
    /// The PostgreSQL database this site's ledger lives in, in a test run
    /// on that store (`on_both_stores!`); otherwise the SQLite default.
    ledger_url: Option<String>,
}

pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `command` to its end.
    pub(crate) fn of(command: &mut Command) -> Run {
        let output = command.output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl TestSite {
    /// A site whose config is the base plus `extra` (top-level keys first,
    /// then any tables).
    pub(crate) fn new(extra: &str) -> TestSite {
        let site = TestSite::empty();
        site.write("config.toml", &format!("{BASE_CONFIG}{extra}"));
        std::fs::create_dir_all(site.path("content")).unwrap();
        site
    }

    /// Every byte the site's ledger keeps: the SQLite file, or a dump of
    /// its PostgreSQL database.
    #[cfg(feature = "subscribers")]
    pub(crate) fn ledger_bytes(&self) -> Vec<u8> {
        match &self.ledger_url {
            Some(url) => CLUSTER.with_borrow(|current| {
                let (cluster, _) = current.as_ref().expect("the cluster of this test");
                cluster.dump(url)
            }),
            None => std::fs::read(self.path(".gazette/digest.sqlite")).unwrap(),
        }
    }

    /// An empty folder, for tests that bring their own site.
    pub(crate) fn empty() -> TestSite {
        TestSite {
            dir: tempfile::tempdir().unwrap(),
            ledger_url: postgres_ledger(),
        }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        if let (Some(url), "config.toml") = (&self.ledger_url, rel) {
            let text = String::from_utf8_lossy(bytes);
            if text.contains("[digest]\n") && !text.contains("\nledger = ") {
                let text =
                    text.replacen("[digest]\n", &format!("[digest]\nledger = \"{url}\"\n"), 1);
                std::fs::write(self.path(rel), text).unwrap();
                return self;
            }
        }
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Runs `gazette` in the site's folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        Run::of(&mut self.command(args))
    }

    /// The command `run` would run, for tests that need to spawn or kill it.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("GAZETTE_DIGEST_SECRET")
            // A deploy's address, which a site may take its own from.
            .env_remove("URL")
            .env_remove("HUGO_BASEURL");
        #[cfg(feature = "subscribers")]
        command.env("TEST_SMTP_PASSWORD", crate::smtp::PASSWORD);
        command
    }

    /// `gazette build --now NOW`, expected to succeed.
    pub(crate) fn build(&self) -> Run {
        let run = self.run(&["build", "--now", NOW]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Parses an output file with feed-rs, after a strict XML 1.0 parse for
    /// XML files (feed-rs forgives what real readers do not).
    pub(crate) fn feed(&self, rel: &str) -> feed_rs::model::Feed {
        let text = self.read(rel);
        if rel.ends_with(".xml") {
            if let Err(e) = roxmltree::Document::parse(&text) {
                panic!("{rel} is not well-formed XML: {e}\n{text}");
            }
        }
        feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The three site feeds, parsed.
    pub(crate) fn all_feeds(&self) -> Vec<(&'static str, feed_rs::model::Feed)> {
        ["rss.xml", "atom.xml", "feed.json"]
            .into_iter()
            .map(|f| (f, self.feed(&format!("feeds/{f}"))))
            .collect()
    }
}

#[cfg(feature = "subscribers")]
#[path = "../support/postgres.rs"]
pub(crate) mod postgres;

#[cfg(feature = "subscribers")]
thread_local! {
    /// The cluster of a test running on PostgreSQL, and the databases its
    /// sites were given.
    static CLUSTER: std::cell::RefCell<Option<(postgres::Cluster, Vec<String>)>> =
        const { std::cell::RefCell::new(None) };
}

/// A new database for a site's ledger when the test runs on PostgreSQL.
fn postgres_ledger() -> Option<String> {
    #[cfg(feature = "subscribers")]
    return CLUSTER.with_borrow_mut(|current| {
        let (cluster, databases) = current.as_mut()?;
        let url = cluster.database();
        databases.push(url.clone());
        Some(url)
    });
    #[cfg(not(feature = "subscribers"))]
    None
}

/// Runs `body` with every site's ledger in a database of its own on a
/// throw-away PostgreSQL cluster, and checks that the body did use one
/// (a test that bypassed it would pass without testing anything).
#[cfg(feature = "subscribers")]
pub(crate) fn on_postgres(body: impl FnOnce()) {
    let Some(cluster) = postgres::Cluster::start() else {
        return;
    };
    CLUSTER.set(Some((cluster, Vec::new())));
    body();
    let (cluster, databases) = CLUSTER.take().expect("the cluster of this test");
    assert!(
        databases.iter().any(|url| cluster.has_ledger(url)),
        "the test never opened a ledger on PostgreSQL"
    );
}

/// A test that touches the ledger, one body run on each store: `NAME::sqlite`
/// and `NAME::postgres`.
#[cfg(feature = "subscribers")]
macro_rules! on_both_stores {
    ($(#[$meta:meta])* fn $name:ident() $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body() $body

            #[test]
            fn sqlite() {
                body()
            }

            #[test]
            fn postgres() {
                $crate::support::on_postgres(body)
            }
        }
    };
}

/// Copies a folder tree, leaving out folders named in `skip`.
pub(crate) fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if !skip.iter().any(|s| entry.file_name() == *s) {
                copy_dir(&entry.path(), &target, skip);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A YAML post with a title, a date and any extra front-matter lines.
pub(crate) fn post(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: '{date}'\n{extra}---\n\nBody of {title}.\n")
}

pub(crate) fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// The HTML content of a parsed feed entry.
pub(crate) fn content_html(entry: &feed_rs::model::Entry) -> String {
    let content = entry.content.as_ref().expect("an entry with content");
    content.body.clone().expect("content with a body")
}
