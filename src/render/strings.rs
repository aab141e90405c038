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
    ("updated_on", "Updated {date}"),
    (
        "why",
        "You receive this because {email} subscribed to {site}.",
    ),
    ("unsubscribe", "Unsubscribe"),
    ("txt_one", "One new post between {since} and {until}:"),
    ("txt_many", "{count} new posts between {since} and {until}:"),
    ("subscribe_to", "Subscribe to {site}"),
    ("page_intro", "Follow this site in a feed reader or podcast app: copy a feed's address below into the app, or use one of the “open in” links. No account, no tracking, unsubscribe any time."),
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
    ("feeds_by_category", "Feeds by category"),
    (
        "category_help",
        "Only the posts in one category. Copy the address of the format your app prefers.",
    ),
    ("category", "Category"),
    ("feeds_by_section", "Feeds by section"),
    (
        "section_help",
        "Only the posts of one section of the site. Copy the address of the format your app prefers.",
    ),
    ("section", "Section"),
    ("feeds_by_collection", "Other collections"),
    (
        "collection_help",
        "The site's other collections, each with a feed of its own. Copy the address of the format your app prefers.",
    ),
    ("collection", "Collection"),
    ("feeds_by_taxonomy", "Feeds by {taxonomy}"),
    (
        "taxonomy_help",
        "Only the posts of one {taxonomy}. Copy the address of the format your app prefers.",
    ),
    ("email_signup", "Get new posts by e-mail"),
    ("email_label", "E-mail address"),
    ("name_label", "Name (optional)"),
    ("subscribe_button", "Subscribe"),
    ("signup_help", "You will get a message with a link to confirm. Unsubscribe any time."),
    ("confirm_subject", "Confirm your subscription to {site}"),
    ("confirm_intro", "Someone, hopefully you, asked to receive new posts from {site} at {email}."),
    ("confirm_action", "Confirm the subscription"),
    ("confirm_ignore", "If that was not you, ignore this message: nothing is sent without confirmation. The link works for {hours} hours."),
    ("check_mail_title", "Check your inbox"),
    ("check_mail", "If the address can receive mail, a message with a confirmation link is on its way. Nothing is sent until you confirm."),
    ("confirmed_title", "Subscribed"),
    ("confirmed", "{email} will receive new posts from {site}."),
    ("unsubscribe_question", "Stop sending new posts from {site} to {email}?"),
    ("unsubscribed_title", "Unsubscribed"),
    ("unsubscribed", "{email} will receive no more messages from {site}."),
    ("invalid_link_title", "This link does not work"),
    ("invalid_link", "The link is incomplete or was altered. Copy the whole link from the message, or sign up again."),
    ("expired_link", "This confirmation link has expired. Sign up again to get a new one."),
    ("confirm_question", "Send new posts from {site} to {email}?"),
    ("used_link", "This confirmation link was used already, or a newer sign-up replaced it. Sign up again if you want to subscribe."),
    ("too_many_title", "Too many requests"),
    ("too_many", "Please try again later."),
    ("bad_address_title", "Check the address"),
    ("bad_address", "That does not look like an e-mail address."),
    ("preferences", "Preferences"),
    ("preferences_title", "Your subscription"),
    ("preferences_intro", "How often {site} writes to {email}, and about what."),
    ("cadence_legend", "How often"),
    ("cadence_default", "The site's default: {cadence}"),
    ("cadence_every", "whenever there is something new"),
    ("cadence_post", "One message per new post"),
    ("cadence_daily", "Once a day"),
    ("cadence_weekly", "Once a week"),
    ("cadence_monthly", "Once a month"),
    ("topics_legend", "Topics"),
    ("topics_help", "With none checked, every post."),
    ("save", "Save"),
    ("saved_title", "Saved"),
    ("saved", "The next messages to {email} follow this choice."),
    ("not_subscribed", "{email} is not subscribed to {site}."),
    ("view_in_browser", "View in the browser"),
    ("archive_title", "Newsletter archive"),
    ("archive_feed", "The archive as a feed"),
    ("issue_one", "{date}: one post"),
    ("issue_many", "{date}: {count} posts"),
    ("welcome_subject", "Welcome to {site}"),
    ("welcome", "{email} will receive new posts from {site}. Choose how often and which topics on your preferences page:"),
    ("back_to_site", "Back to {site}"),
    ("opml", "All feeds as OPML"),
    ("opml_help", "import this file into a feed reader to follow every feed at once."),
];

const ZH_CN: &[(&str, &str)] = &[
    ("hello", "{name}，你好！"),
    ("intro_one", "这是新的一篇文章"),
    ("intro_many", "这里有 {count} 篇新文章"),
    ("intro_one_start", "这是新的一篇文章"),
    ("intro_many_start", "这里有 {count} 篇新文章"),
    ("published_between", "发布于 {since} 至 {until}。"),
    ("read_post", "阅读全文 →"),
    ("updated_on", "更新于 {date}"),
    ("why", "你收到这封邮件，是因为 {email} 订阅了「{site}」。"),
    ("unsubscribe", "退订"),
    ("txt_one", "{since} 至 {until} 有一篇新文章："),
    ("txt_many", "{since} 至 {until} 有 {count} 篇新文章："),
    ("subscribe_to", "订阅「{site}」"),
    ("page_intro", "用订阅阅读器或播客应用关注本站：把下面订阅源的地址复制到应用里，或使用“用以下应用打开”的链接。无需注册，没有追踪，随时可以退订。"),
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
    ("feeds_by_category", "按分类订阅"),
    (
        "category_help",
        "只包含某个分类的文章。复制你的应用支持的格式的地址。",
    ),
    ("category", "分类"),
    ("feeds_by_section", "按栏目订阅"),
    (
        "section_help",
        "只包含网站某个栏目的文章。复制你的应用支持的格式的地址。",
    ),
    ("section", "栏目"),
    ("feeds_by_collection", "其他合集"),
    (
        "collection_help",
        "网站的其他合集，各有自己的订阅源。复制你的应用支持的格式的地址。",
    ),
    ("collection", "合集"),
    ("feeds_by_taxonomy", "按{taxonomy}订阅"),
    (
        "taxonomy_help",
        "只包含某个{taxonomy}的文章。复制你的应用支持的格式的地址。",
    ),
    ("email_signup", "通过电子邮件接收新文章"),
    ("email_label", "电子邮件地址"),
    ("name_label", "称呼（可选）"),
    ("subscribe_button", "订阅"),
    (
        "signup_help",
        "你会收到一封带确认链接的邮件。随时可以退订。",
    ),
    ("confirm_subject", "请确认订阅「{site}」"),
    (
        "confirm_intro",
        "有人（希望是你）请求用 {email} 接收「{site}」的新文章。",
    ),
    ("confirm_action", "确认订阅"),
    (
        "confirm_ignore",
        "如果不是你本人，请忽略这封邮件：未经确认不会发送任何内容。链接在 {hours} 小时内有效。",
    ),
    ("check_mail_title", "请查收邮件"),
    (
        "check_mail",
        "如果该地址可以收信，一封带确认链接的邮件正在路上。确认之前不会发送任何内容。",
    ),
    ("confirmed_title", "订阅成功"),
    ("confirmed", "{email} 将收到「{site}」的新文章。"),
    (
        "unsubscribe_question",
        "不再向 {email} 发送「{site}」的新文章？",
    ),
    ("unsubscribed_title", "已退订"),
    ("unsubscribed", "{email} 不会再收到「{site}」的邮件。"),
    ("invalid_link_title", "链接无效"),
    (
        "invalid_link",
        "链接不完整或被改动过。请从邮件中复制完整的链接，或重新订阅。",
    ),
    ("expired_link", "确认链接已过期。请重新订阅以获取新的链接。"),
    ("confirm_question", "把「{site}」的新文章发送到 {email}？"),
    (
        "used_link",
        "这个确认链接已经用过，或已被新的订阅请求取代。如需订阅，请重新订阅。",
    ),
    ("too_many_title", "请求过多"),
    ("too_many", "请稍后再试。"),
    ("bad_address_title", "请检查地址"),
    ("bad_address", "这看起来不是一个电子邮件地址。"),
    ("preferences", "订阅设置"),
    ("preferences_title", "你的订阅"),
    (
        "preferences_intro",
        "「{site}」多久给 {email} 发一次邮件，以及发什么。",
    ),
    ("cadence_legend", "发送频率"),
    ("cadence_default", "网站默认：{cadence}"),
    ("cadence_every", "有新内容就发"),
    ("cadence_post", "每篇新文章一封"),
    ("cadence_daily", "每天一封"),
    ("cadence_weekly", "每周一封"),
    ("cadence_monthly", "每月一封"),
    ("topics_legend", "主题"),
    ("topics_help", "都不勾选则接收全部文章。"),
    ("save", "保存"),
    ("saved_title", "已保存"),
    ("saved", "之后发给 {email} 的邮件将按此设置发送。"),
    ("not_subscribed", "{email} 没有订阅「{site}」。"),
    ("view_in_browser", "在浏览器中查看"),
    ("archive_title", "邮件存档"),
    ("archive_feed", "存档的订阅源"),
    ("issue_one", "{date}：1 篇文章"),
    ("issue_many", "{date}：{count} 篇文章"),
    ("welcome_subject", "欢迎订阅「{site}」"),
    (
        "welcome",
        "{email} 将收到「{site}」的新文章。可以在订阅设置页面选择发送频率和主题：",
    ),
    ("back_to_site", "返回「{site}」"),
    ("opml", "全部订阅源（OPML）"),
    (
        "opml_help",
        "把这个文件导入阅读器，即可一次订阅所有订阅源。",
    ),
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
