//! Paths on the site and on disk, kept where they belong: a site-relative
//! path joins the site's base URL as a path, never as a URL of its own.

use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, CONTROLS};
use url::Url;

/// Characters escaped when text (a slug, an id) becomes one URL path
/// segment or the specific part of a URN.
pub const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Whether `url` stays on `base`'s scheme, host and port and under its path:
/// the only place a post's own URL may point to.
pub fn is_under(url: &Url, base: &Url) -> bool {
    url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.username().is_empty()
        && url.password().is_none()
        && url.path().starts_with(base.path())
}

/// Joins a site-relative path to `base` as a path, never as a URL of its
/// own: `javascript:x` or `https:evil.example` stay path segments.
pub fn join_path(base: &Url, path: &str) -> Option<Url> {
    let relative = path.trim_start_matches('/');
    let url = base.join(&format!("./{relative}")).ok()?;
    is_under(&url, base).then_some(url)
}

/// `path` with each run of `/` made one.
pub fn collapse_slashes(path: &str) -> String {
    let mut collapsed = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    collapsed
}

/// A URL path in lower case, its percent-escapes too: the letters they
/// encode are lowered (`%C3%89` for `É` becomes `%C3%A9`) and the escapes
/// keep their upper-case hex, as Hugo lowers a page's path before it
/// escapes it. Lowering the escaped text itself would give `%c3%89`, an
/// address no generator writes.
pub fn lowercase_path(path: &str) -> String {
    let escape_at = |i: usize| {
        let hex = path.get(i + 1..i + 3)?;
        (path.as_bytes()[i] == b'%').then(|| u8::from_str_radix(hex, 16).ok())?
    };
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < path.len() {
        if escape_at(i).is_none() {
            // Up to the next escape, or a lone `%` kept as it is.
            let next = path[i + 1..].find('%').map_or(path.len(), |n| i + 1 + n);
            out.push_str(&path[i..next].to_lowercase());
            i = next;
            continue;
        }
        // A run of escapes, decoded together: a letter takes several.
        let mut decoded = Vec::new();
        while let Some(byte) = escape_at(i) {
            decoded.push(byte);
            i += 3;
        }
        let lowered = match String::from_utf8(decoded) {
            Ok(text) => text.to_lowercase().into_bytes(),
            Err(raw) => raw.into_bytes(),
        };
        for byte in lowered {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Whether `url` is on a host no site is served from: the example domains
/// and the names reserved for tests and documentation (RFC 2606: `.test`,
/// `.example`, `.invalid`, `.localhost`), this machine, and the domains
/// starters write for their users to replace (`update-me.com`,
/// `yourdomain.com`), which generators' starters and `init` use until the
/// site's address is set.
pub fn is_placeholder_address(url: &str) -> bool {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .is_some_and(|host| {
            let reserved = [
                "example.org",
                "example.com",
                "example.net",
                "localhost",
                "test",
                "example",
                "invalid",
            ]
            .iter()
            .any(|p| host == *p || host.ends_with(&format!(".{p}")));
            // Any name but the top-level domain: `yourdomain` of
            // `www.yourdomain.com`, `yourname` of `yourname.github.io`.
            let mut names = host.rsplit('.').skip(1);
            reserved
                || matches!(host.as_str(), "127.0.0.1" | "0.0.0.0" | "[::1]")
                || names.any(|name| STARTER_NAMES.contains(&name.replace('-', "").as_str()))
        })
}

/// Domain names starters write for "put your address here" (hyphens
/// dropped): google/eleventy-high-performance-blog's `update-me.com`, the
/// `yourdomain.com` and `your-site.com` of many themes' example configs.
const STARTER_NAMES: [&str; 16] = [
    "updateme",
    "changeme",
    "replaceme",
    "yourdomain",
    "yoursite",
    "yourwebsite",
    "yourblog",
    "yoururl",
    "yourname",
    "yourusername",
    "mydomain",
    "mysite",
    "mywebsite",
    "myblog",
    "myurl",
    "domainname",
];

/// `path`, or the current folder `.` for the empty path a file in the
/// current folder has as its parent (which has no canonical form and is no
/// place to run or walk in).
pub fn or_current(path: &Path) -> &Path {
    match path.as_os_str().is_empty() {
        true => Path::new("."),
        false => path,
    }
}

/// `./content/x.md` reads better as `content/x.md` in messages, and
/// compares equal to the paths the walk yields; `.` stays `.`. A folder
/// followed by `..` (Eleventy's `includes: "../_includes"` below its input
/// folder) is dropped with it, without asking the file system.
pub fn clean_path(path: &Path) -> PathBuf {
    let mut cleaned = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(
                    cleaned.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                cleaned.pop();
            }
            other => cleaned.push(other),
        }
    }
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_lowered_with_their_escapes_kept_upper_case() {
        assert_eq!(lowercase_path("/p/%C3%89t%C3%A9/"), "/p/%C3%A9t%C3%A9/");
        assert_eq!(lowercase_path("/P/%E3%82%B7/A%2FB/"), "/p/%E3%82%B7/a%2Fb/");
        assert_eq!(lowercase_path("/100%/Z%zz/%"), "/100%/z%zz/%");
        assert_eq!(lowercase_path("/Ünï/"), "/ünï/");
    }

    #[test]
    fn placeholder_addresses_are_the_reserved_names_and_this_machine() {
        for url in [
            "https://example.com/",
            "https://blog.example.org/",
            "http://localhost:8080",
            "http://127.0.0.1:1313/",
            "http://0.0.0.0:8080/",
            "http://[::1]:4000/",
            "https://my-site.test/",
            "https://site.example/",
            "https://x.invalid/",
            "http://blog.localhost/",
            "https://update-me.com",
            "https://www.yourdomain.com/",
            "https://blog.your-site.io/",
            "https://myblog.com/",
            "https://your-name.github.io/",
        ] {
            assert!(is_placeholder_address(url), "{url}");
        }
        for url in [
            "https://notexample.com/",
            "https://testing.dev/",
            "https://example.co/",
            "https://updatemenow.com/",
            "https://yourdomain-news.com/",
            "https://com.yoursite/",
            "https://ada.github.io/",
        ] {
            assert!(!is_placeholder_address(url), "{url}");
        }
    }

    #[test]
    fn clean_paths() {
        for (path, cleaned) in [
            ("./content/x.md", "content/x.md"),
            (".", "."),
            ("./", "."),
            ("content/../_data/metadata.js", "_data/metadata.js"),
            ("../site/x", "../site/x"),
            ("/srv/site/./a/../b", "/srv/site/b"),
            ("a/..", "."),
        ] {
            assert_eq!(
                clean_path(Path::new(path)),
                PathBuf::from(cleaned),
                "{path}"
            );
        }
    }

    #[test]
    fn site_paths_cannot_leave_the_site() {
        let base = Url::parse("https://example.org/blog/").unwrap();
        for path in [
            "javascript:alert(document.domain)<!--/",
            "https:evil.example/",
            "//evil.example/x",
            "/posts/a:b/",
        ] {
            let url = join_path(&base, path).unwrap();
            assert!(
                url.as_str().starts_with("https://example.org/blog/"),
                "{path}: {url}"
            );
        }
        assert!(join_path(&base, "../../etc/").is_none());
        assert!(!is_under(
            &Url::parse("https://example.org/other/").unwrap(),
            &base
        ));
        assert!(!is_under(
            &Url::parse("http://example.org/blog/").unwrap(),
            &base
        ));
    }
}
