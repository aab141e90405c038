//! The words of gazette's default templates, per language.
//!
//! Templates call `t(key="…", lang=…)` with `{name}`-style arguments; a
//! language missing here falls back to its primary subtag's table
//! (`zh-TW` → `zh`… → none), then to English. A site's own templates may
//! use the function too, or write their own words.

use std::collections::HashMap;

const EN: &[(&str, &str)] = &[
    ("hello", "Hello {name},"),
    ("intro_one", "here is the new post"),
    ("intro_many", "here are the {count} new posts"),
    ("intro_one_start", "Here is the new post"),
    ("intro_many_start", "Here are the {count} new posts"),
    (
        "published_between",
        "Published between {since} and {until}.",
    ),
    ("read_post", "Read the post →"),
    (
        "why",
        "You receive this because {email} subscribed to {site}.",
    ),
    ("unsubscribe", "Unsubscribe"),
    ("txt_one", "One new post between {since} and {until}:"),
    ("txt_many", "{count} new posts between {since} and {until}:"),
    ("subscribe_to", "Subscribe to {site}"),
    ("feeds", "Feeds"),
    ("latest", "Latest"),
    ("open_in", "Open in:"),
    ("other_app", "Other app"),
    ("copy", "Copy"),
    ("copied", "Copied"),
    ("feed_address", "Address of the {kind} feed “{title}”"),
    ("feeds_by_tag", "Feeds by tag"),
    (
        "tag_help",
        "Only the posts with one tag. Copy the address of the format your app prefers.",
    ),
    ("tag", "Tag"),
    ("email_signup", "Get new posts by e-mail"),
];

const ZH_CN: &[(&str, &str)] = &[
    ("hello", "{name}，你好！"),
    ("intro_one", "这是新的一篇文章"),
    ("intro_many", "这里有 {count} 篇新文章"),
    ("intro_one_start", "这是新的一篇文章"),
    ("intro_many_start", "这里有 {count} 篇新文章"),
    ("published_between", "发布于 {since} 至 {until}。"),
    ("read_post", "阅读全文 →"),
    ("why", "你收到这封邮件，是因为 {email} 订阅了「{site}」。"),
    ("unsubscribe", "退订"),
    ("txt_one", "{since} 至 {until} 有一篇新文章："),
    ("txt_many", "{since} 至 {until} 有 {count} 篇新文章："),
    ("subscribe_to", "订阅「{site}」"),
    ("feeds", "订阅源"),
    ("latest", "最新文章"),
    ("open_in", "用以下应用打开："),
    ("other_app", "其他应用"),
    ("copy", "复制"),
    ("copied", "已复制"),
    ("feed_address", "{kind} 订阅源「{title}」的地址"),
    ("feeds_by_tag", "按标签订阅"),
    (
        "tag_help",
        "只包含带某个标签的文章。复制你的应用支持的格式的地址。",
    ),
    ("tag", "标签"),
    ("email_signup", "通过电子邮件接收新文章"),
];

fn table(language: &str) -> &'static [(&'static str, &'static str)] {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    if primary.eq_ignore_ascii_case("zh") {
        ZH_CN
    } else {
        EN
    }
}

fn find(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The string `key` in `language` with its `{name}` places filled by `arg`,
/// in one pass: a value that itself holds `{name}` stays as it is.
pub fn lookup<'a>(
    language: &str,
    key: &str,
    arg: impl Fn(&str) -> Option<std::borrow::Cow<'a, str>>,
) -> Option<String> {
    let text = find(table(language), key).or_else(|| find(EN, key))?;
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match arg(name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The Tera function `t(key, lang, …)`.
pub fn tera_function(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let key = args
        .get("key")
        .and_then(tera::Value::as_str)
        .ok_or_else(|| tera::Error::msg("t() needs key=\"…\""))?;
    let language = args
        .get("lang")
        .and_then(tera::Value::as_str)
        .unwrap_or("en");
    let arg = |name: &str| {
        if matches!(name, "key" | "lang") {
            return None;
        }
        args.get(name).map(|value| match value {
            tera::Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
            tera::Value::Null => std::borrow::Cow::Borrowed(""),
            other => std::borrow::Cow::Owned(other.to_string()),
        })
    };
    lookup(language, key, arg)
        .map(tera::Value::String)
        .ok_or_else(|| tera::Error::msg(format!("t(): no string {key:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_fallbacks() {
        let args = |name: &str| (name == "name").then_some(std::borrow::Cow::Borrowed("李雷"));
        assert_eq!(lookup("zh-CN", "hello", args).unwrap(), "李雷，你好！");
        assert_eq!(lookup("zh-Hans-CN", "hello", args).unwrap(), "李雷，你好！");
        assert_eq!(lookup("en", "hello", args).unwrap(), "Hello 李雷,");
        assert_eq!(lookup("fr", "hello", args).unwrap(), "Hello 李雷,");
        assert!(lookup("en", "nope", args).is_none());
        // A value is put in as it is, even when it looks like a place.
        let tricky = |name: &str| match name {
            "email" => Some(std::borrow::Cow::Borrowed("{site}@example.org")),
            "site" => Some(std::borrow::Cow::Borrowed("Blog")),
            _ => None,
        };
        assert_eq!(
            lookup("en", "why", tricky).unwrap(),
            "You receive this because {site}@example.org subscribed to Blog."
        );
        for (key, _) in EN {
            assert!(ZH_CN.iter().any(|(k, _)| k == key), "zh-CN lacks {key}");
        }
    }
}
