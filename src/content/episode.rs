//! A post's podcast episode: its enclosure and episode metadata.
//!
//! An episode with a missing or malformed enclosure field is an error, never
//! a silently broken item: podcast apps reject or mis-play such episodes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// What an episode's front-matter mapping holds, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// Absolute URL of the audio or video file.
    pub url: String,
    /// File size in bytes.
    pub length: u64,
    pub mime_type: String,
    /// Normalised to `H:MM:SS`.
    pub duration: Option<String>,
    pub season: Option<u32>,
    pub episode: Option<u32>,
    /// `full`, `trailer` or `bonus`.
    pub episode_type: Option<String>,
    pub explicit: Option<bool>,
    pub transcript: Option<Transcript>,
    pub image: Option<String>,
    /// `podcast:chapters`: a JSON chapters file (Podcast Namespace format).
    #[serde(default)]
    pub chapters: Option<String>,
    /// `podcast:soundbite`s: moments for apps to preview.
    #[serde(default)]
    pub soundbites: Vec<Soundbite>,
    /// The local chapters file that was checked: the post depends on a file
    /// of its own, so the build cache never keeps it.
    #[serde(skip)]
    pub checked_file: Option<std::path::PathBuf>,
}

/// A moment of an episode apps may play as a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Soundbite {
    /// Seconds from the start, as written (decimals allowed).
    pub start: String,
    /// Seconds, as written.
    pub duration: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub url: String,
    pub mime_type: String,
}

const FIELDS: &[&str] = &[
    "url",
    "length",
    "type",
    "duration",
    "season",
    "episode",
    "episode_type",
    "explicit",
    "transcript",
    "transcript_type",
    "image",
    "chapters",
    "soundbites",
];

/// Where the files an episode names by path are looked for: a relative
/// path beside the post, a site-absolute one (`/episodes/x.json`, as `url`
/// is written) under the site's folders, first match wins.
#[derive(Debug, Clone, Copy)]
pub struct Places<'a> {
    /// The post's folder.
    pub post_dir: &'a std::path::Path,
    /// The folders a site-absolute path may be under (content, `static/`,
    /// the site's root), in order.
    pub site_dirs: &'a [&'a std::path::Path],
}

impl Places<'_> {
    /// The file `link` names, if it exists; else the first place it was
    /// looked for and all of them.
    fn find(&self, link: &str) -> Result<std::path::PathBuf, (std::path::PathBuf, String)> {
        let candidates: Vec<std::path::PathBuf> = match link.strip_prefix('/') {
            Some(rest) => self.site_dirs.iter().map(|d| d.join(rest)).collect(),
            None => vec![self.post_dir.join(link)],
        };
        candidates
            .iter()
            .find(|c| c.is_file())
            .cloned()
            .ok_or_else(|| {
                let looked: Vec<String> =
                    candidates.iter().map(|c| c.display().to_string()).collect();
                (candidates[0].clone(), looked.join(", "))
            })
    }
}

/// Reads the mapping under the episode key; `base` resolves relative URLs,
/// `places` says where a chapters file named by path is checked. Returns
/// the episode and warnings (a chapters file that is not there leaves the
/// episode without chapters, not without the episode).
pub fn parse(
    value: &Value,
    base: &Url,
    places: &Places<'_>,
) -> Result<(Episode, Vec<String>), String> {
    let Value::Object(map) = value else {
        return Err(
            "should be a mapping with `url`, `length` (bytes) and `type` (e.g. audio/mpeg)".into(),
        );
    };
    if let Some(unknown) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown field `{unknown}`; expected one of {}",
            FIELDS.join(", ")
        ));
    }
    let url = required_text(map, "url", "the URL of the audio file")?;
    let url = absolute(base, &url)?;
    let length = match map.get("length") {
        Some(Value::Number(n)) => n.as_u64().filter(|&n| n > 0),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok().filter(|&n| n > 0),
        _ => return Err("has no `length`: give the file size in bytes".into()),
    }
    .ok_or("`length` must be the file size in bytes, a whole number above 0")?;
    let mime_type = required_text(map, "type", "the MIME type, e.g. audio/mpeg")?;
    if !(mime_type.starts_with("audio/") || mime_type.starts_with("video/")) {
        return Err(format!(
            "`type` {mime_type:?} is not an audio or video MIME type (e.g. audio/mpeg)"
        ));
    }
    let duration = map.get("duration").map(duration).transpose()?;
    let episode_type = optional_text(map, "episode_type")?;
    if let Some(kind) = &episode_type {
        if !matches!(kind.as_str(), "full" | "trailer" | "bonus") {
            return Err(format!(
                "`episode_type` {kind:?} must be full, trailer or bonus"
            ));
        }
    }
    let transcript = match optional_text(map, "transcript")? {
        Some(link) => {
            let url = absolute(base, &link)?;
            let mime_type = optional_text(map, "transcript_type")?
                .unwrap_or_else(|| transcript_type(&url).to_string());
            Some(Transcript { url, mime_type })
        }
        None => None,
    };
    let mut warnings = Vec::new();
    let (chapters, checked_file) = match optional_text(map, "chapters")? {
        Some(link) if link.contains("://") => (Some(absolute(base, &link)?), None),
        Some(link) => match places.find(&link) {
            Ok(file) => {
                check_chapters(&file)?;
                (Some(absolute(base, &link)?), Some(file))
            }
            Err((first, looked)) => {
                warnings.push(format!(
                    "`chapters` {link:?}: no such file (looked for {looked}); the episode goes out without chapters"
                ));
                // Still a file the post depends on: read anew until it exists.
                (None, Some(first))
            }
        },
        None => (None, None),
    };
    let explicit = match map.get("explicit") {
        None | Some(Value::Null) => None,
        Some(v) => Some(super::publish::flag(v).map_err(|e| format!("`explicit`: {e}"))?),
    };
    let episode = Episode {
        url,
        length,
        mime_type,
        duration,
        season: number(map, "season")?,
        episode: number(map, "episode")?,
        episode_type,
        explicit,
        transcript,
        image: optional_text(map, "image")?
            .map(|i| absolute(base, &i))
            .transpose()?,
        checked_file,
        chapters,
        soundbites: soundbites(map.get("soundbites"))?,
    };
    Ok((episode, warnings))
}

/// A number of seconds as the Podcast Namespace writes them: digits with
/// an optional fraction.
fn seconds_text(value: &Value, what: &str) -> Result<String, String> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        other => return Err(format!("{what} should be seconds, found {other}")),
    };
    let valid = text.parse::<f64>().is_ok_and(|n| n.is_finite() && n >= 0.0)
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if valid {
        Ok(text)
    } else {
        Err(format!(
            "{what} {text:?} should be seconds, such as 73 or 73.5"
        ))
    }
}

fn soundbites(value: Option<&Value>) -> Result<Vec<Soundbite>, String> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        Some(other) => {
            return Err(format!(
                "`soundbites` should be a list of {{start, duration, title}}, found {other}"
            ))
        }
    };
    items
        .iter()
        .map(|item| {
            let Value::Object(bite) = item else {
                return Err("each of `soundbites` should have `start` and `duration`".to_string());
            };
            let field = |key: &str| {
                bite.get(key)
                    .ok_or_else(|| format!("a soundbite has no `{key}` (seconds)"))
                    .and_then(|v| seconds_text(v, &format!("soundbite `{key}`")))
            };
            Ok(Soundbite {
                start: field("start")?,
                duration: field("duration")?,
                title: optional_text(bite, "title")?,
            })
        })
        .collect()
}

/// Checks a local chapters file against the Podcast Namespace's JSON
/// chapters format: a `version` and `chapters`, each with a `startTime` in
/// seconds, in order.
fn check_chapters(path: &std::path::Path) -> Result<(), String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("`chapters` {shown}: {e}"))?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("`chapters` {shown}: not JSON: {e}"))?;
    if !doc.get("version").is_some_and(Value::is_string) {
        return Err(format!("`chapters` {shown}: no `version` (e.g. \"1.2.0\")"));
    }
    let Some(chapters) = doc.get("chapters").and_then(Value::as_array) else {
        return Err(format!("`chapters` {shown}: no `chapters` list"));
    };
    let mut last = -1.0;
    for (index, chapter) in chapters.iter().enumerate() {
        let start = chapter
            .get("startTime")
            .and_then(Value::as_f64)
            .filter(|s| s.is_finite() && *s >= 0.0)
            .ok_or_else(|| {
                format!(
                    "`chapters` {shown}: chapter {} has no `startTime` in seconds",
                    index + 1
                )
            })?;
        if start < last {
            return Err(format!(
                "`chapters` {shown}: chapter {} starts before the one above it",
                index + 1
            ));
        }
        last = start;
    }
    Ok(())
}

fn required_text(map: &Map<String, Value>, key: &str, what: &str) -> Result<String, String> {
    optional_text(map, key)?.ok_or_else(|| format!("has no `{key}`: give {what}"))
}

fn optional_text(map: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(format!("`{key}` should be text, found {other}")),
    }
}

fn number(map: &Map<String, Value>, key: &str) -> Result<Option<u32>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n > 0)
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a whole number above 0")),
        Some(other) => Err(format!("`{key}` must be a whole number, found {other}")),
    }
}

/// Enclosures, transcripts and images are fetched by podcast apps: only
/// http(s) URLs are written.
fn absolute(base: &Url, link: &str) -> Result<String, String> {
    let url = base
        .join(link)
        .map_err(|e| format!("{link:?} is not a URL: {e}"))?;
    if matches!(url.scheme(), "http" | "https") {
        Ok(url.into())
    } else {
        Err(format!(
            "{link:?} is a {}: URL; only http and https are written",
            url.scheme()
        ))
    }
}

fn transcript_type(url: &str) -> &'static str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    match path.rsplit('.').next().unwrap_or("") {
        "vtt" => "text/vtt",
        "srt" => "application/x-subrip",
        "json" => "application/json",
        "html" | "htm" => "text/html",
        _ => "text/plain",
    }
}

impl Episode {
    /// The duration in seconds (JSON Feed attachments want a number).
    pub fn seconds(&self) -> Option<u64> {
        self.duration.as_deref().and_then(clock_seconds)
    }
}

/// Seconds of `SS`, `MM:SS` or `HH:MM:SS` (minutes and seconds below 60),
/// a fraction of the last dropped (`00:26:09.78`, as some hosts wrote it).
fn clock_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    let text = match text.rsplit_once('.') {
        Some((whole, fraction))
            if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) =>
        {
            whole
        }
        _ => text,
    };
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if numbers.len() > 1 && numbers[1..].iter().any(|&n| n >= 60) {
        return None;
    }
    numbers
        .iter()
        .try_fold(0u64, |total, &n| total.checked_mul(60)?.checked_add(n))
}

/// Accepts seconds (`3723`) or `MM:SS` / `HH:MM:SS`, gives `H:MM:SS`.
fn duration(value: &Value) -> Result<String, String> {
    let bad = || format!("`duration` {value} should be seconds or HH:MM:SS");
    let seconds = match value {
        Value::Number(n) => n.as_u64().ok_or_else(bad)?,
        Value::String(s) => clock_seconds(s).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    Ok(format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_web_urls() {
        assert!(absolute(&base(), "javascript:alert(1)").is_err());
        assert!(absolute(&base(), "data:audio/mpeg,xx").is_err());
        assert_eq!(
            absolute(&base(), "ep.mp3").unwrap(),
            "https://e.org/posts/ep1/ep.mp3"
        );
    }

    fn base() -> Url {
        Url::parse("https://e.org/posts/ep1/").unwrap()
    }

    /// Parses with `dir` as the post's folder and `site` as the one folder
    /// of the site; panics on an error, returns the warnings.
    fn parse_in(value: &Value, dir: &Path, site: &Path) -> Result<(Episode, Vec<String>), String> {
        let site_dirs = [site];
        parse(
            value,
            &base(),
            &Places {
                post_dir: dir,
                site_dirs: &site_dirs,
            },
        )
    }

    use std::path::Path;

    #[test]
    fn chapters_and_soundbites_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let good = r#"{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Intro"}, {"startTime": 62.5}]}"#;
        std::fs::write(dir.path().join("good.json"), good).unwrap();
        std::fs::write(
            dir.path().join("backwards.json"),
            r#"{"version": "1.2.0", "chapters": [{"startTime": 60}, {"startTime": 5}]}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("noversion.json"), r#"{"chapters": []}"#).unwrap();
        let with = |extra: serde_json::Value| {
            let mut value = json!({"url": "a.mp3", "length": 1, "type": "audio/mpeg"});
            value
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            parse_in(&value, dir.path(), dir.path()).map(|(episode, _)| episode)
        };
        let episode = with(json!({"chapters": "good.json", "soundbites": [{"start": 73.5, "duration": 60, "title": "Best bit"}]})).unwrap();
        assert_eq!(
            episode.chapters.as_deref(),
            Some("https://e.org/posts/ep1/good.json")
        );
        assert_eq!(episode.soundbites[0].start, "73.5");
        assert_eq!(episode.soundbites[0].title.as_deref(), Some("Best bit"));
        assert!(with(json!({"chapters": "backwards.json"}))
            .unwrap_err()
            .contains("starts before"));
        assert!(with(json!({"chapters": "noversion.json"}))
            .unwrap_err()
            .contains("version"));
        // A file that is not there: the episode stays, without chapters, and says why.
        let value =
            json!({"url": "a.mp3", "length": 1, "type": "audio/mpeg", "chapters": "missing.json"});
        let (episode, warnings) = parse_in(&value, dir.path(), dir.path()).unwrap();
        assert!(episode.chapters.is_none());
        assert!(warnings[0].contains("no such file"), "{warnings:?}");
        // Site-absolute, as `url` is written: looked for under the site's folders.
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("episodes")).unwrap();
        std::fs::write(site.path().join("episodes/x.json"), good).unwrap();
        let value = json!({"url": "/a.mp3", "length": 1, "type": "audio/mpeg", "chapters": "/episodes/x.json"});
        let (episode, warnings) = parse_in(&value, dir.path(), site.path()).unwrap();
        assert_eq!(
            episode.chapters.as_deref(),
            Some("https://e.org/episodes/x.json")
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            episode.checked_file,
            Some(site.path().join("episodes/x.json"))
        );
        // A chapters file elsewhere is the host's business.
        assert!(with(json!({"chapters": "https://cdn.example.net/c.json"})).is_ok());
        assert!(with(json!({"soundbites": [{"start": "soon", "duration": 5}]})).is_err());
        assert!(with(json!({"soundbites": [{"start": 5}]}))
            .unwrap_err()
            .contains("duration"));
    }

    #[test]
    fn durations_in_each_form_itunes_allows() {
        assert_eq!(clock_seconds("1:02:03"), Some(3723));
        assert_eq!(clock_seconds("45:07"), Some(2707));
        assert_eq!(clock_seconds("3600"), Some(3600));
        assert_eq!(clock_seconds("00:26:09.78"), Some(1569));
        assert_eq!(clock_seconds("1:75"), None);
        assert_eq!(clock_seconds("1:02."), None);
        assert_eq!(clock_seconds("1.5.5"), None);
        assert_eq!(clock_seconds("soon"), None);
    }

    #[test]
    fn full_episode() {
        let (episode, _) = parse_in(
            &json!({"url": "/media/ep1.mp3", "length": 1234, "type": "audio/mpeg", "duration": "1:02:03",
                    "season": 2, "episode": 5, "episode_type": "full", "transcript": "ep1.vtt", "image": "cover.jpg"}),
            Path::new("."),
            Path::new("."),
        )
        .unwrap();
        assert_eq!(episode.url, "https://e.org/media/ep1.mp3");
        assert_eq!(episode.duration.as_deref(), Some("1:02:03"));
        assert_eq!(episode.transcript.unwrap().mime_type, "text/vtt");
        assert_eq!(
            episode.image.as_deref(),
            Some("https://e.org/posts/ep1/cover.jpg")
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration(&json!(3723)).unwrap(), "1:02:03");
        assert_eq!(duration(&json!("45:07")).unwrap(), "0:45:07");
        assert!(duration(&json!("1:75:00")).is_err());
        assert!(duration(&json!("an hour")).is_err());
    }

    #[test]
    fn missing_enclosure_fields_are_errors() {
        for (value, needle) in [
            (json!({"length": 1, "type": "audio/mpeg"}), "`url`"),
            (json!({"url": "a.mp3", "type": "audio/mpeg"}), "`length`"),
            (
                json!({"url": "a.mp3", "length": 0, "type": "audio/mpeg"}),
                "`length`",
            ),
            (json!({"url": "a.mp3", "length": 10}), "`type`"),
            (
                json!({"url": "a.mp3", "length": 10, "type": "text/html"}),
                "not an audio",
            ),
            (json!("a.mp3"), "mapping"),
            (
                json!({"url": "a.mp3", "length": 10, "type": "audio/mpeg", "lenght": 3}),
                "unknown field `lenght`",
            ),
        ] {
            let err = parse_in(&value, Path::new("."), Path::new(".")).unwrap_err();
            assert!(err.contains(needle), "{value}: {err}");
        }
    }
}
