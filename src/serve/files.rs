//! The output folder over HTTP: feeds and the subscription page with their
//! content types, and conditional GET (ETag from the bytes, `304 Not
//! Modified`) so feed readers that poll often cost little.

use std::path::{Component, Path, PathBuf};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("xml") => {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with("atom") {
                "application/atom+xml; charset=utf-8"
            } else if name.starts_with("rss") || name.starts_with("podcast") {
                "application/rss+xml; charset=utf-8"
            } else {
                "application/xml; charset=utf-8"
            }
        }
        Some("json") => {
            if path.file_name().and_then(|n| n.to_str()) == Some("feed.json") {
                "application/feed+json; charset=utf-8"
            } else {
                "application/json; charset=utf-8"
            }
        }
        Some("xsl") => "text/xsl; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("opml") => "text/x-opml; charset=utf-8",
        Some("txt" | "vtt" | "srt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        Some("mp3") => "audio/mpeg",
        Some("m4a") => "audio/mp4",
        Some("ogg" | "oga") => "audio/ogg",
        _ => "application/octet-stream",
    }
}

/// The file under `root` that `relative` names, refusing anything that
/// would leave it; a folder means its `index`. Dot-files and dot-folders
/// (`.gazette/` with the ledger, editor and VCS files) are never served, and
/// the path is checked again after links are followed, so a link inside
/// the folder cannot lead out of it.
fn resolve(root: &Path, relative: &str, index: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(relative)
        .decode_utf8()
        .ok()?;
    let mut path = root.to_path_buf();
    for component in Path::new(decoded.as_ref()).components() {
        match component {
            Component::Normal(part) if !part.to_string_lossy().starts_with('.') => path.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if path.is_dir() {
        path.push(index);
    }
    let real = path.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    let inside = real.strip_prefix(&real_root).ok()?;
    if inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return None;
    }
    std::fs::metadata(&real).ok()?.is_file().then_some(real)
}

/// Whether an `If-None-Match` list holds `etag`: the weak comparison RFC
/// 9110 13.1.2 asks for, so `W/"x"` matches `"x"`.
fn etag_matches(list: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    list.split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

/// What a `Range` header asks of a file of `len` bytes (RFC 9110 14.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// The whole file: no range, one gazette does not serve (several), or
    /// one that is not well-formed (which the RFC says to ignore).
    Whole,
    /// Bytes `start..=end`.
    Part(u64, u64),
    /// A range wholly past the end: 416.
    Unsatisfiable,
}

fn wanted(range: Option<&str>, len: u64) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Wanted::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let (start, end) = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(start), Ok(end)) if start <= end => (start, end.min(len.saturating_sub(1))),
        (Ok(start), Err(_)) if last.is_empty() => (start, len.saturating_sub(1)),
        (Err(_), Ok(suffix)) if first.is_empty() && suffix > 0 => {
            (len.saturating_sub(suffix), len.saturating_sub(1))
        }
        _ => return Wanted::Whole,
    };
    if start >= len {
        return Wanted::Unsatisfiable;
    }
    Wanted::Part(start, end)
}

/// `count` bytes of `file` from where it stands, read as the client takes
/// them: a large file is never held in memory whole.
fn stream(file: tokio::fs::File, count: u64) -> axum::body::Body {
    use tokio::io::AsyncReadExt;
    const CHUNK: u64 = 64 * 1024;
    let chunks = futures_util::stream::unfold((file, count), |(mut file, left)| async move {
        if left == 0 {
            return None;
        }
        let mut buffer = vec![0u8; CHUNK.min(left) as usize];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(axum::body::Bytes::from(buffer)), (file, left - n as u64)))
            }
            Err(e) => Some((Err(e), (file, 0))),
        }
    });
    axum::body::Body::from_stream(chunks)
}

/// Answers a GET or HEAD for `relative` below `root`: streamed, with one
/// byte range when asked (podcast apps seek in episodes), validators from
/// the file's size and time.
pub(super) async fn serve(
    root: &Path,
    relative: &str,
    index: &str,
    headers: &HeaderMap,
    head: bool,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "not found\n").into_response();
    let Some(path) = resolve(root, relative, index) else {
        return not_found();
    };
    let Ok(mut file) = tokio::fs::File::open(&path).await else {
        return not_found();
    };
    let Ok(meta) = file.metadata().await else {
        return not_found();
    };
    let len = meta.len();
    let modified = meta.modified().ok();
    let stamp = modified
        .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    // gazette writes each output by rename, so a changed file has a new
    // time or size: no need to read it to know.
    let etag = format!("\"{len:x}-{stamp:x}\"");
    // Whole seconds: HTTP dates have no finer unit.
    let modified: Option<chrono::DateTime<chrono::Utc>> = modified
        .map(chrono::DateTime::<chrono::Utc>::from)
        .and_then(|t| chrono::DateTime::from_timestamp(t.timestamp(), 0));
    let last_modified = modified.map(|t| t.format("%a, %d %b %Y %H:%M:%S GMT").to_string());
    // RFC 9110 13.1.3: If-Modified-Since counts only without If-None-Match.
    let matches = match headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        Some(tags) => etag_matches(tags, &etag),
        None => headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v.trim()).ok())
            .zip(modified)
            .is_some_and(|(since, modified)| modified <= since),
    };
    // A range of another version of the file is not what the client wants.
    let same_version = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| same_version);
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (status, start, count) = match wanted(range, len) {
            Wanted::Whole => (StatusCode::OK, 0, len),
            Wanted::Part(start, end) => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
            Wanted::Unsatisfiable => {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(value) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    response.headers_mut().insert(header::CONTENT_RANGE, value);
                }
                return response;
            }
        };
        let body = if head {
            axum::body::Body::empty()
        } else {
            use tokio::io::AsyncSeekExt;
            if start > 0 && file.seek(std::io::SeekFrom::Start(start)).await.is_err() {
                return not_found();
            }
            stream(file, count)
        };
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
        if status == StatusCode::PARTIAL_CONTENT {
            let range = format!("bytes {start}-{}/{len}", start + count - 1);
            if let Ok(value) = HeaderValue::from_str(&range) {
                headers.insert(header::CONTENT_RANGE, value);
            }
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&path)),
    );
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if let Some(value) = last_modified.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_rfc_9110_reads_them() {
        assert_eq!(wanted(None, 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-9"), 100), Wanted::Part(0, 9));
        assert_eq!(wanted(Some("bytes=90-"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=-10"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=50-500"), 100), Wanted::Part(50, 99));
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-1,5-6"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=9-0"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("items=0-1"), 100), Wanted::Whole);
    }

    #[test]
    fn weak_and_strong_tags_compare_weakly() {
        assert!(etag_matches("W/\"a-1\"", "\"a-1\""));
        assert!(etag_matches("\"x\", \"a-1\"", "\"a-1\""));
        assert!(etag_matches("*", "\"a-1\""));
        assert!(!etag_matches("\"a-2\"", "\"a-1\""));
    }

    #[test]
    fn links_and_dot_files_do_not_lead_out() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("passwd"), "secret").unwrap();
        std::fs::create_dir(dir.path().join(".gazette")).unwrap();
        std::fs::write(dir.path().join(".gazette/digest.sqlite"), "x").unwrap();
        std::fs::write(dir.path().join(".env"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path(), dir.path().join("etcdir")).unwrap();
        assert!(resolve(dir.path(), "etcdir/passwd", "index.html").is_none());
        assert!(resolve(dir.path(), ".gazette/digest.sqlite", "index.html").is_none());
        assert!(resolve(dir.path(), "%2egazette/digest.sqlite", "index.html").is_none());
        assert!(resolve(dir.path(), ".env", "index.html").is_none());
    }

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rss.xml"), "x").unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        assert!(resolve(dir.path(), "rss.xml", "index.html").is_some());
        assert!(resolve(dir.path(), "", "index.html").is_some());
        assert!(resolve(dir.path(), "../etc/passwd", "index.html").is_none());
        assert!(resolve(dir.path(), "%2e%2e/etc/passwd", "index.html").is_none());
        assert!(resolve(dir.path(), "/etc/passwd", "index.html").is_none());
        assert_eq!(
            content_type(Path::new("atom.xml")),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("feed.json")),
            "application/feed+json; charset=utf-8"
        );
    }
}
