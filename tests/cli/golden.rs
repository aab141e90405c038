//! The exact bytes of the feeds, the podcast feed and the subscription page
//! of a small fixture site, pinned.
//! After an intended change, regenerate with
//! `GAZETTE_UPDATE_GOLDEN=1 cargo test --test cli golden` and review the diff.

use std::path::Path;

use crate::support::*;

#[test]
fn feeds_match_the_golden_files() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let site = TestSite::new("");
    copy_dir(&fixture, site.dir.path(), &["expected"]);
    let run = site.run(&["build", "--now", "2025-06-01T00:00:00Z"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let update = std::env::var_os("GAZETTE_UPDATE_GOLDEN").is_some();
    for file in [
        "rss.xml",
        "atom.xml",
        "feed.json",
        "podcast.xml",
        "index.html",
    ] {
        let actual = site.read(&format!("feeds/{file}"));
        let expected_path = fixture.join("expected").join(file);
        if update {
            std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with GAZETTE_UPDATE_GOLDEN=1",
                expected_path.display()
            )
        });
        assert!(
            actual == expected,
            "{file} differs from {}:\n{actual}",
            expected_path.display()
        );
    }
}
