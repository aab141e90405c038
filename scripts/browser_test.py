#!/usr/bin/env python3
"""End-to-end check of the subscription page and browser-readable feeds in
headless Chromium.

Copies a site to a temporary folder, builds it with `--base-url` pointing at
a server on 127.0.0.1 (which serves the output folder, and the content folder
for the site's own images), then checks that:
- index.html is valid HTML5 (html5lib, strict), loads no external script,
  stylesheet or font, has an autodiscovery tag for every feed, and lists every
  feed with its absolute URL;
- rss.xml, atom.xml and podcast.xml open as readable pages showing their entry
  titles, both where the browser runs XSLT and where it does not (the feed's
  XHTML script renders it then);
and saves screenshots of the page and of rss.xml.

    python3 scripts/browser_test.py --site . --screenshots docs/screenshots
"""

import argparse
import functools
import html
import http.server
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse

import feedparser
import html5lib

from checks import Checks, copy_site

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--hide-scrollbars", "--virtual-time-budget=5000",
]
NO_XSLT = "--disable-blink-features=XSLT"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder, falling back to the content folder the way a
    static site serves its images next to its pages."""

    fallback = None

    def translate_path(self, path):
        primary = super().translate_path(path)
        if not pathlib.Path(primary).exists() and self.fallback:
            relative = pathlib.Path(primary).relative_to(self.directory)
            candidate = pathlib.Path(self.fallback) / relative
            if candidate.exists():
                return str(candidate)
        return primary

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".xsl": "application/xml",
        ".json": "application/feed+json",
    }

    def log_message(self, *args):
        pass


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium not found: install Debian's `chromium` package")


def browse(url: str, *extra: str) -> str:
    with tempfile.TemporaryDirectory(prefix="gazette-chromium-") as profile:
        result = subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url],
            capture_output=True, text=True, timeout=120,
        )
    if result.returncode != 0:
        sys.exit(f"chromium failed on {url}: {result.stderr[-2000:]}")
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=pathlib.Path, default=pathlib.Path("."))
    parser.add_argument("--gazette", type=pathlib.Path, default=pathlib.Path("target/release/gazette"))
    parser.add_argument("--now", default="2026-01-01T00:00:00Z")
    parser.add_argument("--screenshots", type=pathlib.Path)
    args = parser.parse_args()

    workdir, config = copy_site(args.site, "gazette-browser-")
    output = workdir / config.get("output_dir", "feeds")

    handler = functools.partial(SiteHandler, directory=str(output))
    SiteHandler.fallback = str(workdir / config.get("content_dir", "content"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    base_url = local
    build = subprocess.run(
        [str(args.gazette.resolve()), "build", "--quiet", "--base-url", local, "--now", args.now],
        cwd=workdir, capture_output=True, text=True,
    )
    if build.returncode != 0:
        sys.exit(f"gazette build failed: {build.stderr}")
    args.folder = output
    check = Checks("browser")

    try:
        feeds = sorted(
            p.relative_to(args.folder).as_posix()
            for p in args.folder.rglob("*")
            if p.suffix in (".xml", ".json") and p.is_file()
        )
        page_source = (args.folder / "index.html").read_text(encoding="utf-8")
        try:
            html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page_source)
            check(True, "")
        except html5lib.html5parser.ParseError as error:
            check(False, f"index.html is not valid HTML5: {error}")
        document = html5lib.parse(page_source, namespaceHTMLElements=False)
        check(not [s for s in document.iter("script") if s.get("src")], "index.html loads an external script")
        check(not [l for l in document.iter("link") if l.get("rel") == "stylesheet"], "index.html loads a stylesheet")
        check("@import" not in page_source and "@font-face" not in page_source, "index.html loads fonts or CSS")
        alternates = {l.get("href") for l in document.iter("link") if l.get("rel") == "alternate"}

        dom = browse(local + "index.html", "--dump-dom")
        for feed in feeds:
            url = base_url + urllib.parse.quote(feed)
            # Autodiscovery names the site's own feeds (in the output
            # folder's top); a tag's or section's are in the page's tables.
            if "/" in feed:
                check(url not in alternates, f"index.html names {url} for autodiscovery, not the site's own feed")
            else:
                check(url in alternates, f"index.html has no autodiscovery link for {url}")
            listed = any(f'{attr}="{u}"' in dom for attr in ("value", "href") for u in (url, html.escape(url)))
            check(listed, f"index.html does not list {url}")
        site_feeds = [f for f in feeds if "/" not in f]
        print(f"index.html lists {len(feeds)} feeds, {len(site_feeds)} with autodiscovery tags")

        for feed in ("rss.xml", "atom.xml", "podcast.xml"):
            if not (args.folder / feed).exists():
                continue
            titles = [e.title for e in feedparser.parse((args.folder / feed).read_bytes()).entries]
            for mode, flags in (("XSLT", []), ("script fallback", [NO_XSLT])):
                rendered = browse(local + feed, "--dump-dom", *flags)
                readable = "This is a feed" in rendered and "<rss" not in rendered and "<feed" not in rendered
                check(readable, f"{feed} ({mode}) is not shown as a page")
                missing = [t for t in titles if html.escape(t, quote=False) not in rendered]
                check(not missing, f"{feed} ({mode}) does not show {missing}")
                print(f"{feed} ({mode}): shows {len(titles) - len(missing)} of {len(titles)} entry titles")

        preview = workdir / "digest-preview"
        digest = subprocess.run(
            [str(args.gazette.resolve()), "digest", "--quiet", "--preview", str(preview), "--now", args.now],
            cwd=workdir, capture_output=True, text=True,
        )
        check(digest.returncode == 0 and (preview / "digest.html").is_file(), f"digest --preview failed: {digest.stderr}")
        digest_url = (preview / "digest.html").as_uri()
        digest_dom = browse(digest_url, "--dump-dom")
        check('style="' in digest_dom and "Read the post" in digest_dom, "the digest e-mail does not render")

        if args.screenshots:
            args.screenshots.mkdir(parents=True, exist_ok=True)
            for name, url, extra in (
                ("digest.png", digest_url, []),
                ("index.png", local + "index.html", []),
                ("rss.png", local + "rss.xml", []),
                ("rss-without-xslt.png", local + "rss.xml", [NO_XSLT]),
            ):
                target = (args.screenshots / name).resolve()
                browse(url, f"--screenshot={target}", "--window-size=1100,1300", *extra)
                check(target.is_file() and target.stat().st_size > 1000, f"no screenshot {name}")
                print(f"screenshot {args.screenshots / name}")
    finally:
        server.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)

    return check.report()


if __name__ == "__main__":
    sys.exit(main())
