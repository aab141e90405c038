#!/usr/bin/env python3
"""Hostile posts in a real browser: builds a site whose posts carry every
kind of active HTML and a `javascript:` slug, serves it on 127.0.0.1, opens
index.html and rss.xml / atom.xml (with XSLT and with the script fallback)
in headless Chromium over the DevTools protocol, clicks every link, and
fails if any script of a post ran (every payload calls alert()).

    python3 scripts/browser_hostile_test.py --gazette target/release/gazette
"""

import argparse
import functools
import http.server
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import websocket

from browser_test import CHROMIUM_FLAGS, NO_XSLT, SiteHandler, chromium
from checks import Checks

CONFIG = """title = "Hostile"
base_url = "https://hostile.example/"
permalink = "/{slug}"
[feeds]
per_tag = true
"""

POSTS = {
    "script.md": "---\ntitle: Script\ndate: '2025-05-01'\n---\n<script>alert('script')</script>\n\n<svg><script>alert('svg')</script></svg>\n",
    "handlers.md": "---\ntitle: Handlers\ndate: '2025-05-02'\n---\n<img src=x onerror=\"alert('onerror')\">\n\n<a href=\"#\" onclick=\"alert('onclick')\">click me</a>\n",
    "links.md": "---\ntitle: Links\ndate: '2025-05-03'\n---\n[js](javascript:alert('href')) [vb](vbscript:msgbox) [data](data:text/html,<script>alert('data')</script>)\n",
    "frames.md": "---\ntitle: Frames\ndate: '2025-05-04'\n---\n<iframe srcdoc=\"<script>parent.alert('srcdoc')</script>\"></iframe>\n\n<iframe src=\"javascript:alert('iframe')\"></iframe>\n",
    "slug.md": "---\ntitle: Slug\ndate: '2025-05-05'\nslug: \"javascript:alert(document.domain)<!--\"\ntags: [\"<script>alert('tag')</script>\"]\nsummary: \"<img src=x onerror=alert('summary')>\"\n---\nA hostile slug and summary.\n",
    "title.md": "---\ntitle: \"<img src=x onerror=alert('title')>\"\ndate: '2025-05-06'\n---\nA hostile title.\n",
}


class DevTools:
    """A minimal Chrome DevTools Protocol client for one page."""

    def __init__(self, extra_flags):
        self.profile = tempfile.mkdtemp(prefix="gazette-cdp-")
        self.process = subprocess.Popen(
            # No virtual time budget here: with it Chromium quits once the first page is done.
            [chromium(), *[f for f in CHROMIUM_FLAGS if not f.startswith("--virtual-time-budget")],
             f"--user-data-dir={self.profile}", "--remote-debugging-port=0", *extra_flags, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = pathlib.Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.time() > deadline:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().splitlines()[0]
        # The first page may be replaced while the browser starts: ask again
        # until a page target accepts the connection.
        self.socket = None
        while self.socket is None:
            if time.time() > deadline:
                raise RuntimeError("no page target to attach to")
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                page = next(t for t in targets if t.get("type") == "page")
                self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
            except (StopIteration, OSError, websocket.WebSocketException):
                time.sleep(0.2)
        self.next_id = 0
        self.dialogs = []
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            self.event(message)
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def event(self, message):
        if message.get("method") == "Page.javascriptDialogOpening":
            self.dialogs.append(message["params"].get("message"))
            self.socket.send(json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog", "params": {"accept": True}}))

    def settle(self, seconds=1.0):
        """Reads events for a while: loads, timers and dialogs happen now."""
        self.socket.settimeout(0.2)
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                self.event(json.loads(self.socket.recv()))
            except websocket.WebSocketTimeoutException:
                pass
        self.socket.settimeout(30)

    def open(self, url):
        self.call("Page.navigate", url=url)
        self.settle(1.5)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.kill()
            self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazette", required=True)
    args = parser.parse_args()
    site = pathlib.Path(tempfile.mkdtemp(prefix="gazette-hostile-"))
    (site / "config.toml").write_text(CONFIG, encoding="utf-8")
    (site / "content").mkdir()
    for name, text in POSTS.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    output = site / "feeds"
    handler = functools.partial(SiteHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    build = subprocess.run(
        [str(pathlib.Path(args.gazette).resolve()), "build", "--base-url", local, "--now", "2026-01-01T00:00:00Z"],
        cwd=site, capture_output=True, text=True,
    )
    check = Checks("hostile browser")
    check(build.returncode in (0, 1), f"gazette build: {build.stderr}")
    check("removed from the HTML" in build.stderr, f"the removals are reported: {build.stderr}")
    try:
        for mode, flags in (("XSLT", []), ("script fallback", [NO_XSLT])):
            browser = DevTools(flags)
            try:
                for page in ("index.html", "rss.xml", "atom.xml"):
                    browser.open(local + page)
                    links = browser.evaluate(
                        "Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
                    ) or []
                    shown = browser.evaluate("document.body ? document.body.innerText : ''") or ""
                    check("Handlers" in shown and "Slug" in shown, f"{page} ({mode}) shows the posts: {shown[:200]!r}")
                    for index in range(len(links)):
                        browser.open(local + page)
                        browser.evaluate(
                            f"(() => {{ const a = document.querySelectorAll('a[href]')[{index}]; if (a) a.click(); }})()"
                        )
                        browser.settle(0.3)
                    check(not browser.dialogs, f"{page} ({mode}): a post's script ran: {browser.dialogs}")
                    print(f"{page} ({mode}): {len(links)} links clicked, {len(browser.dialogs)} scripts ran")
                    browser.dialogs.clear()
            finally:
                browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(site, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
