// Renders an RSS or Atom feed as a readable page when a browser opens it.
//
// Feeds reference feed.xsl, but browsers are removing XSLT. The feed also
// carries an XHTML <script> pointing here: where XSLT already produced a
// page this does nothing; where the browser shows raw XML it builds the page.
(function () {
  "use strict";
  var XHTML = "http://www.w3.org/1999/xhtml";

  function text(parent, selector) {
    var found = parent.getElementsByTagName(selector)[0];
    return found ? found.textContent.trim() : "";
  }

  function el(name, attrs, children) {
    var node = document.createElementNS(XHTML, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function plain(html) {
    // Summaries may hold markup; show them as text, never as live HTML.
    var holder = document.implementation.createHTMLDocument("").createElement("div");
    holder.innerHTML = html;
    return holder.textContent.trim();
  }

  function readFeed(root) {
    var isAtom = root.localName === "feed";
    var channel = isAtom ? root : root.getElementsByTagName("channel")[0];
    var entries = Array.prototype.slice.call(root.getElementsByTagName(isAtom ? "entry" : "item"));
    var home = "";
    if (isAtom) {
      Array.prototype.forEach.call(root.children, function (child) {
        if (child.localName === "link" && child.getAttribute("rel") === "alternate") home = child.getAttribute("href");
      });
    } else {
      home = text(channel, "link");
    }
    return {
      kind: isAtom ? "Atom" : (root.getElementsByTagNameNS("http://www.itunes.com/dtds/podcast-1.0.dtd", "author").length ? "Podcast" : "RSS"),
      title: isAtom ? text(root, "title") : text(channel, "title"),
      description: isAtom ? text(root, "subtitle") : text(channel, "description"),
      home: home,
      entries: entries.map(function (entry) {
        var link = isAtom
          ? (entry.getElementsByTagName("link")[0] || { getAttribute: function () { return ""; } }).getAttribute("href")
          : text(entry, "link");
        var date = isAtom ? (text(entry, "published") || text(entry, "updated")) : text(entry, "pubDate");
        return {
          title: text(entry, "title"),
          link: link,
          // Shown as written, in the author's time zone, like feed.xsl does.
          date: isAtom ? date.slice(0, 10) : date.slice(0, 16),
          summary: plain(isAtom ? text(entry, "summary") : text(entry, "description")),
        };
      }),
    };
  }

  function render() {
    var root = document.documentElement;
    if (!root || root.namespaceURI === XHTML || root.localName === "html") return;
    var feed = readFeed(root);
    var url = location.href;
    var copy = el("button", { type: "button" }, ["Copy feed URL"]);
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(url).then(function () { copy.textContent = "Copied"; });
    });
    var list = el("ol", { class: "entries" }, feed.entries.map(function (entry) {
      return el("li", {}, [
        el("h2", {}, [el("a", { href: entry.link }, [entry.title])]),
        el("p", { class: "date" }, [entry.date]),
        el("p", {}, [entry.summary]),
      ]);
    }));
    var page = el("html", { lang: root.getAttribute("xml:lang") || "en" }, [
      el("head", {}, [
        el("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
        el("title", {}, [feed.title + " (" + feed.kind + " feed)"]),
        el("style", {}, [
          "body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1.5rem;color:#1d1d1f;background:#fff}" +
          ".about{background:#fff6d6;border:1px solid #e8d48a;border-radius:8px;padding:1rem}" +
          "code{word-break:break-all}.entries{list-style:none;padding:0}.entries li{border-bottom:1px solid #ddd;padding:.5rem 0}" +
          "h2{font-size:1.15rem;margin:.5rem 0 0}.date{color:#666;margin:0}a{color:#0b57d0}" +
          "@media (prefers-color-scheme:dark){body{background:#111;color:#eee}.about{background:#2a2513;border-color:#6b5b1f}a{color:#8ab4f8}}",
        ]),
      ]),
      el("body", {}, [
        el("div", { class: "about" }, [
          el("strong", {}, ["This is a feed (" + feed.kind + "). "]),
          "Copy its URL into your feed reader or podcast app to subscribe: ",
          el("code", {}, [url]), " ", copy,
        ]),
        el("h1", {}, [feed.title]),
        el("p", {}, [feed.description]),
        feed.home ? el("p", {}, [el("a", { href: feed.home }, ["Visit the website \u2192"])]) : el("span"),
        list,
      ]),
    ]);
    document.replaceChild(page, root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
