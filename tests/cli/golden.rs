//! The exact bytes of the feeds, the podcast feed, the subscription page
//! and a digest message of a small fixture site, pinned.
//! After an intended change, regenerate with
//! `GAZETTE_UPDATE_GOLDEN=1 cargo test --test cli golden` and review the diff.

use std::path::Path;

use crate::support::*;

/// Compares `actual` with `expected/<file>`, or writes it there when
/// regenerating.
fn compare(fixture: &Path, file: &str, actual: &str) {
    let expected_path = fixture.join("expected").join(file);
    if std::env::var_os("GAZETTE_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
        std::fs::write(&expected_path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with GAZETTE_UPDATE_GOLDEN=1",
            expected_path.display()
        )
    });
    if actual != expected {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .context_radius(3)
            .header(&expected_path.display().to_string(), "actual")
            .to_string();
        panic!("{file} differs from the golden file (GAZETTE_UPDATE_GOLDEN=1 to accept):\n{diff}");
    }
}

#[cfg(feature = "subscribers")]
#[test]
fn a_digest_message_matches_the_golden_file() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let site = TestSite::new("");
    copy_dir(&fixture, site.dir.path(), &["expected"]);
    let run = site.run(&[
        "digest",
        "--preview",
        "preview",
        "--now",
        "2025-06-01T00:00:00Z",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let eml = walkdir::WalkDir::new(site.path("preview"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.extension().is_some_and(|e| e == "eml"))
        .expect("one .eml in the preview");
    let text = std::fs::read_to_string(&eml).unwrap();
    // The MIME boundary is random (lettre); everything else is a function
    // of the site, the subscriber and the instant.
    let boundary = text
        .split("boundary=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a multipart boundary")
        .to_string();
    compare(&fixture, "digest.eml", &text.replace(&boundary, "BOUNDARY"));
}

#[test]
fn feeds_match_the_golden_files() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let site = TestSite::new("");
    copy_dir(&fixture, site.dir.path(), &["expected"]);
    let run = site.run(&["build", "--now", "2025-06-01T00:00:00Z"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in [
        "rss.xml",
        "atom.xml",
        "feed.json",
        "podcast.xml",
        "index.html",
        "feeds.opml",
    ] {
        compare(&fixture, file, &site.read(&format!("feeds/{file}")));
    }
}
