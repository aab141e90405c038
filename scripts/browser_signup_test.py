#!/usr/bin/env python3
"""The subscriber loop in a real browser: a site with [serve] is built and
`gazette serve` runs it on 127.0.0.1 with Python's aiosmtpd as its SMTP
server. Headless Chromium (over the DevTools protocol) fills in the e-mail
sign-up form on the subscription page, once with JavaScript and once
without, by typing and pressing Enter as a person would; the confirmation
link is taken from the message aiosmtpd received and opened in the browser;
a digest is sent, and each address unsubscribes with the button on the page
its `List-Unsubscribe` link opens. Before that, each opens the
preferences link of its digest, picks "one message per new post" and the
topic `rust` with the keyboard and saves: the next digest run must bring
each exactly the new rust post, and the ledger must end with both addresses
unsubscribed after exactly two digests each (and a confirmation and a
welcome with the preferences link).

    python3 scripts/browser_signup_test.py --gazette target/release/gazette
"""

import argparse
import email
import email.policy
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from aiosmtpd.controller import Controller

from browser_hostile_test import DevTools
from checks import Checks


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def to(self, address, count, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [email.message_from_bytes(c, policy=email.policy.default)
                     for rcpt, c in self.messages if address in rcpt]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        return [email.message_from_bytes(c, policy=email.policy.default) for rcpt, c in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Page(DevTools):
    """A browser tab driven by user input only, so it works with scripts off."""

    def html(self):
        root = self.call("DOM.getDocument")["root"]["nodeId"]
        return self.call("DOM.getOuterHTML", nodeId=root).get("outerHTML", "")

    def text(self):
        return re.sub(r"<[^>]+>", " ", self.html())

    def type_into(self, selector, text):
        root = self.call("DOM.getDocument")["root"]["nodeId"]
        node = self.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        self.call("DOM.focus", nodeId=node)
        self.call("Input.insertText", text=text)

    def press_enter(self):
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                      windowsVirtualKeyCode=13, text="\r" if kind == "keyDown" else "")
        self.settle(1.5)


def press_button(browser: "Page") -> None:
    """Focuses the page's form button and presses Enter, as a person would."""
    root = browser.call("DOM.getDocument")["root"]["nodeId"]
    button = browser.call("DOM.querySelector", nodeId=root, selector="form button")["nodeId"]
    browser.call("DOM.focus", nodeId=button)
    browser.press_enter()


def press_space(browser: "Page", selector: str) -> None:
    """Focuses a radio button or checkbox and presses Space, as a person would."""
    root = browser.call("DOM.getDocument")["root"]["nodeId"]
    node = browser.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
    browser.call("DOM.focus", nodeId=node)
    for kind in ("keyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", type=kind, key=" ", code="Space",
                     windowsVirtualKeyCode=32, text=" " if kind == "keyDown" else "")
    browser.settle(0.3)


def page_for(mode: str) -> "Page":
    """A browser page, with scripts off for the mode without JavaScript."""
    browser = Page([])
    if mode == "without JavaScript":
        browser.call("Emulation.setScriptExecutionDisabled", value=True)
    return browser


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazette", required=True)
    args = parser.parse_args()
    gazette = str(pathlib.Path(args.gazette).resolve())
    check = Checks("sign-up in the browser")
    site = pathlib.Path(tempfile.mkdtemp(prefix="gazette-signup-"))
    collector = Collector()
    smtp_port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = free_port()
    local = f"http://127.0.0.1:{port}/"
    (site / "content").mkdir()
    (site / "content" / "first.md").write_text("---\ntitle: First post\ndate: '2026-01-05'\n---\nHello.\n", encoding="utf-8")
    (site / "config.toml").write_text(
        f'title = "Sign-up Test"\nbase_url = "{local}"\n\n'
        '[digest]\nfrom = "Sign-up Test <news@example.org>"\nsubscribers = "none.csv"\ntopics = ["rust", "go"]\n\n'
        f'[serve]\nlisten = "127.0.0.1:{port}"\n\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\ntls = "none"\n',
        encoding="utf-8",
    )
    env = dict(os.environ, GAZETTE_DIGEST_SECRET="browser test secret")
    run = lambda *a: subprocess.run([gazette, *a], cwd=site, env=env, capture_output=True, text=True)
    build = run("build", "--now", "2026-01-06T00:00:00Z")
    check(build.returncode == 0, f"build: {build.stderr}")
    server = subprocess.Popen([gazette, "serve"], cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = server.stdout.readline()
    check(ready.startswith("listening on"), f"serve: {ready!r}")
    addresses = {"with JavaScript": "js@example.net", "without JavaScript": "nojs@example.net"}
    try:
        for mode, address in addresses.items():
            browser = page_for(mode)
            try:
                browser.open(local)
                check('class="signup"' in browser.html(), f"{mode}: the page has the sign-up form")
                browser.type_into("form.signup input[name=email]", address)
                browser.press_enter()
                text = browser.text()
                check("Check your inbox" in text, f"{mode}: the form's answer: {text[:300]!r}")
                confirmations = collector.to(address, 1)
                check(len(confirmations) == 1, f"{mode}: one confirmation for {address}, got {len(confirmations)}")
                if not confirmations:
                    continue
                body = confirmations[0].get_body(preferencelist=("plain",)).get_content()
                link = re.search(r"http://127\.0\.0\.1:\d+/confirm\?token=\S+", body)
                check(link is not None, f"{mode}: a confirmation link in {body!r}")
                if link:
                    # The link asks; only the button confirms (a mail
                    # scanner's fetch of the link changes nothing).
                    browser.open(link.group(0))
                    check("<button" in browser.html(), f"{mode}: the confirmation page has its button")
                    pending = json.loads(run("subscribers", "list", "--json").stdout or "[]")
                    check(any(m["email"] == address and m["state"] == "pending" for m in pending),
                          f"{mode}: still pending after opening the link: {pending}")
                    press_button(browser)
                    check("Subscribed" in browser.text(), f"{mode}: confirmed: {browser.text()[:300]!r}")
                    welcomed = collector.to(address, 2)
                    check(len(welcomed) == 2 and "/preferences?token=" in welcomed[-1].get_body(preferencelist=("plain",)).get_content(),
                          f"{mode}: a welcome with the preferences link")
            finally:
                browser.close()
        digest = run("digest", "--send", "--now", "2026-01-07T00:00:00Z")
        check(digest.returncode == 0, f"digest --send: {digest.stdout}{digest.stderr}")
        for mode, address in addresses.items():
            digests = collector.to(address, 3)
            check(len(digests) == 3, f"{address}: a confirmation, a welcome and one digest, got {len(digests)}")
            if len(digests) < 3:
                continue
            body = digests[2].get_body(preferencelist=("plain",)).get_content()
            link = re.search(r"http://127\.0\.0\.1:\d+/preferences\?token=\S+", body)
            check(link is not None, f"{mode}: a preferences link in {body!r}")
            if not link:
                continue
            browser = page_for(mode)
            try:
                browser.open(link.group(0))
                html = browser.html()
                check('class="preferences"' in html and 'value="rust"' in html,
                      f"{mode}: the preferences form: {browser.text()[:300]!r}")
                press_space(browser, 'input[name=cadence][value=post]')
                press_space(browser, 'input[name=topic][value=rust]')
                root = browser.call("DOM.getDocument")["root"]["nodeId"]
                save = browser.call("DOM.querySelector", nodeId=root, selector="form.preferences button")["nodeId"]
                browser.call("DOM.focus", nodeId=save)
                browser.press_enter()
                check("Saved" in browser.text(), f"{mode}: saved: {browser.text()[:300]!r}")
            finally:
                browser.close()
            members = json.loads(run("subscribers", "list", "--json").stdout or "[]")
            choice = next((m["choice"] for m in members if m["email"] == address), None)
            check(choice == {"cadence": "post", "topics": ["rust"]}, f"{mode}: the choice saved: {choice}")
        # The next run follows the choice: the rust post, not the go one.
        (site / "content" / "rust.md").write_text("---\ntitle: Rust news\ndate: '2026-01-08'\ntags: [rust]\n---\nRust.\n", encoding="utf-8")
        (site / "content" / "go.md").write_text("---\ntitle: Go news\ndate: '2026-01-08'\ntags: [go]\n---\nGo.\n", encoding="utf-8")
        digest = run("digest", "--send", "--now", "2026-01-09T00:00:00Z")
        check(digest.returncode == 0, f"second digest --send: {digest.stdout}{digest.stderr}")
        for mode, address in addresses.items():
            digests = collector.to(address, 4)
            check(len(digests) == 4, f"{address}: one more digest, got {len(digests) - 3}")
            if len(digests) < 4:
                continue
            text = digests[3].get_body(preferencelist=("plain",)).get_content()
            check("Rust news" in text and "Go news" not in text, f"{address}: the rust post only: {text!r}")
            # "View in the browser": the digest's page in the archive.
            view = re.search(r"View in the browser: (http://127\.0\.0\.1:\d+/newsletter/\S+\.html)", text)
            check(view is not None, f"{address}: a view-in-browser link in {text!r}")
            if view:
                browser = page_for(mode)
                try:
                    browser.open(view.group(1))
                    page = browser.text()
                    check("Rust news" in page and address not in browser.html(),
                          f"{mode}: the archive page shows the digest and nothing personal: {page[:300]!r}")
                    browser.open(f"{local}newsletter/")
                    check("Newsletter archive" in browser.text(), f"{mode}: the archive index: {browser.text()[:300]!r}")
                finally:
                    browser.close()
            header = str(digests[3]["List-Unsubscribe"])
            url = next((u for u in re.findall(r"<([^>]+)>", header) if u.startswith("http")), None)
            check(url is not None, f"{address}: List-Unsubscribe {header!r}")
            browser = page_for(mode)
            try:
                browser.open(url)
                check("<button" in browser.html(), f"{mode}: the unsubscribe page has its button")
                press_button(browser)
                check("Unsubscribed" in browser.text(), f"{mode}: unsubscribed: {browser.text()[:300]!r}")
            finally:
                browser.close()
        listing = run("subscribers", "list", "--json")
        states = {m["email"]: m["state"] for m in json.loads(listing.stdout or "[]")}
        check(states == {a: "unsubscribed" for a in addresses.values()}, f"ledger states: {states}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        controller.stop()
        shutil.rmtree(site, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
