//! The output folder over HTTP: feeds and the subscription page with their
//! content types, and conditional GET (ETag from the bytes, `304 Not
//! Modified`) so feed readers that poll often cost little.

use std::path::{Component, Path, PathBuf};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::Digest;

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

/// Answers a GET or HEAD for `relative` below `root`.
pub(super) async fn serve(
    root: &Path,
    relative: &str,
    index: &str,
    headers: &HeaderMap,
    head: bool,
) -> Response {
    let Some(path) = resolve(root, relative, index) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let read = tokio::task::spawn_blocking({
        let path = path.clone();
        move || {
            let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            std::fs::read(&path).map(|bytes| (bytes, modified))
        }
    })
    .await;
    let (bytes, modified) = match read {
        Ok(Ok(read)) => read,
        _ => return (StatusCode::NOT_FOUND, "not found\n").into_response(),
    };
    let etag = format!("\"{}\"", hex::encode(&sha2::Sha256::digest(&bytes)[..12]));
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
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else if head {
        let mut response = StatusCode::OK.into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        response
    } else {
        (StatusCode::OK, bytes).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&path)),
    );
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
