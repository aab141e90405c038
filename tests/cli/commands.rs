//! `check`, `list`, `init` and `--help`.

use crate::support::*;

fn mixed_site() -> TestSite {
    let site = TestSite::new("");
    site.write("content/live.md", &post("Live", "2025-05-01", ""))
        .write(
            "content/draft.md",
            &post("Draft", "2025-05-02", "draft: true\n"),
        )
        .write("content/future.md", &post("Future", "2026-01-01", ""))
        .write(
            "content/old.md",
            &post("Old", "2025-01-01", "expiryDate: '2025-02-01'\n"),
        )
        .write("content/broken.md", "---\ntitle: [\n---\n");
    site
}

#[test]
fn check_reports_and_writes_nothing() {
    let site = mixed_site();
    let run = site.run(&["check", "--now", NOW]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/broken.md:"), "{}", run.stderr);
    assert!(run.stdout.contains("1 with errors"), "{}", run.stdout);
    assert!(!site.path("feeds").exists());

    let clean = TestSite::new("");
    clean.write("content/live.md", &post("Live", "2025-05-01", ""));
    assert_eq!(clean.run(&["check", "--now", NOW]).code, 0);
}

#[test]
fn list_shows_every_state() {
    let site = mixed_site();
    let run = site.run(&["list", "--json", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let states: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), r["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            ("content/future.md", "scheduled"),
            ("content/draft.md", "draft"),
            ("content/live.md", "published"),
            ("content/old.md", "expired"),
            ("content/broken.md", "error"),
        ]
    );
    assert_eq!(rows[2]["url"], "https://example.org/blog/posts/live/");
    assert_eq!(rows[2]["date"], "2025-05-01T00:00:00+02:00");

    let table = site.run(&["list", "--now", NOW]);
    assert!(
        table
            .stdout
            .lines()
            .any(|l| l.starts_with("published") && l.contains("posts/live/")),
        "{}",
        table.stdout
    );
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new-site");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["init", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let config = target.join("config.toml");
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let feed = feed_rs::parser::parse(
        std::fs::read(target.join("feeds/atom.xml"))
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    assert_eq!(feed.entries.len(), 1);
    assert!(target.join("templates/feed_entry.html").exists());

    // A second init refuses to overwrite.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["init", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn help_describes_commands_and_exit_status() {
    let site = TestSite::new("");
    let run = site.run(&["--help"]);
    assert_eq!(run.code, 0);
    for word in [
        "build",
        "check",
        "list",
        "init",
        "--now",
        "--config",
        "Exit status",
    ] {
        assert!(
            run.stdout.contains(word),
            "{word} missing in --help:\n{}",
            run.stdout
        );
    }
}

#[test]
fn completions_and_man_page() {
    let site = TestSite::new("");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = site.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(
            run.stdout.contains("gazette") && run.stdout.contains("check"),
            "{shell}"
        );
    }
    let man = site.run(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH gazette"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("check") && man.stdout.contains("import"));
}

#[test]
fn new_writes_a_draft_in_the_sites_own_syntax() {
    let site = TestSite::new("");
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-05-01\n+++\nBody\n",
    );
    let run = site.run(&[
        "new",
        "Hello, World!",
        "--section",
        "notes",
        "--now",
        "2025-05-02T22:30:00Z",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read("content/notes/hello-world.md");
    // TOML like the site's post; the date in Europe/Berlin.
    assert!(
        text.starts_with(
            "+++\ntitle = \"Hello, World!\"\ndate = 2025-05-03T00:30:00+02:00\ndraft = true\n+++"
        ),
        "{text}"
    );
    let list = site.run(&["list", "--now", NOW]);
    assert!(
        list.stdout.contains("draft") && list.stdout.contains("hello-world"),
        "{}",
        list.stdout
    );
    let again = site.run(&["new", "Hello, World!", "--section", "notes"]);
    assert_eq!(again.code, 2, "never overwrites");
    let escape = site.run(&["new", "X", "--section", "../out"]);
    assert_eq!(escape.code, 2);
}

#[test]
fn templates_eject_keeps_what_is_there_unless_forced() {
    let site = TestSite::new("");
    site.write("templates/digest.txt", "mine");
    let run = site.run(&["templates", "eject"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("kept (exists; --force to overwrite)"),
        "{}",
        run.stdout
    );
    assert_eq!(site.read("templates/digest.txt"), "mine");
    assert!(site.read("templates/feed_entry.html").contains("content"));
    let forced = site.run(&["templates", "eject", "digest.txt", "--force"]);
    assert_eq!(forced.code, 0);
    assert_ne!(site.read("templates/digest.txt"), "mine");
    assert_eq!(site.run(&["templates", "eject", "nope.html"]).code, 2);
}
