#!/usr/bin/env python3
"""Real clients against the example site's feeds, served by `gazette serve`
on 127.0.0.1:

- newsboat (Debian) reloads the site's feeds, the permalink pattern changes,
  the site is built again and newsboat reloads: it must find zero new items,
  because the publication record keeps every entry's id. A control run with
  the record deleted must find new items, so the check can fail.
- gPodder's `gpo` (Debian `gpodder`) subscribes to the podcast feed and
  downloads an episode whose audio the site serves.
"""

import argparse
import os
import pathlib
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

from checks import Checks, copy_site

FEEDS = ("rss.xml", "atom.xml", "tags/feeds.xml")
NOW = "2026-01-01T00:00:00Z"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    def __init__(self, gazette: str, source: pathlib.Path, prefix: str):
        self.gazette = gazette
        self.dir, self.config = copy_site(source, prefix)
        shutil.copy(source / "config.record.toml", self.dir / "config.record.toml")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.output = self.dir / self.config.get("output_dir", "public")
        config = self.dir / "config.toml"
        # The served address is the site's: links and enclosures resolve here.
        text = re.sub(r'(?m)^base_url = ".*"$', f'base_url = "{self.base}"', config.read_text(encoding="utf-8"))
        config.write_text(text + f'\n[serve]\nlisten = "127.0.0.1:{self.port}"\npublic_url = "{self.base}"\n', encoding="utf-8")
        self.env = dict(os.environ, GAZETTE_DIGEST_SECRET="readers check secret")
        self.server = None

    def run(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run([self.gazette, *args], cwd=self.dir, env=self.env, capture_output=True, text=True)

    def build(self) -> subprocess.CompletedProcess:
        return self.run("build", "--now", NOW)

    def set_permalink(self, pattern: str) -> None:
        config = self.dir / "config.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(re.sub(r'(?m)^permalink = ".*"$', f'permalink = "{pattern}"', text), encoding="utf-8")

    def serve(self) -> None:
        self.server = subprocess.Popen([self.gazette, "serve"], cwd=self.dir, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready = self.server.stdout.readline()
        if not ready.startswith("listening on"):
            raise SystemExit(f"gazette serve did not start: {ready!r} {self.server.stderr.read()}")

    def stop(self) -> None:
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class Newsboat:
    def __init__(self, urls: list):
        self.home = pathlib.Path(tempfile.mkdtemp(prefix="gazette-newsboat-"))
        (self.home / "urls").write_text("".join(f"{u}\n" for u in urls), encoding="utf-8")
        (self.home / "config").write_text("", encoding="utf-8")

    def reload(self) -> set:
        """Reloads every feed; the (feed, guid) pairs newsboat now holds."""
        run = subprocess.run(
            ["newsboat", "-u", str(self.home / "urls"), "-c", str(self.home / "cache.db"), "-C", str(self.home / "config"), "-x", "reload"],
            capture_output=True, text=True, timeout=120, env=dict(os.environ, HOME=str(self.home)),
        )
        if run.returncode != 0:
            raise SystemExit(f"newsboat reload failed: {run.stderr}")
        with sqlite3.connect(self.home / "cache.db") as db:
            return set(db.execute("SELECT feedurl, guid FROM rss_item"))

    def links(self) -> set:
        with sqlite3.connect(self.home / "cache.db") as db:
            return {row[0] for row in db.execute("SELECT url FROM rss_item")}

    def remove(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)


def permalink_change(gazette: str, source: pathlib.Path, check: Checks, keep_record: bool) -> int:
    """The number of items newsboat finds new after the permalink changes."""
    site = Site(gazette, source, "gazette-readers-")
    reader = None
    try:
        built = site.build()
        check(built.returncode == 0, f"build: {built.stderr}")
        site.serve()
        reader = Newsboat([site.base + f for f in FEEDS])
        before = site_items = reader.reload()
        links_before = reader.links()
        check(len(site_items) >= 7, f"newsboat holds the feeds' items ({len(site_items)})")
        site.set_permalink("/{year}/{month}/{slug}/")
        if not keep_record:
            (site.dir / "config.record.toml").unlink()
        rebuilt = site.build()
        check(rebuilt.returncode == 0, f"build after the permalink change: {rebuilt.stderr}")
        after = reader.reload()
        if keep_record:
            moved = reader.links() - links_before
            check(moved, "the links did change with the permalink (newsboat shows the new ones)")
        return len(after - before)
    finally:
        if reader:
            reader.remove()
        site.stop()


def silence(mp3: pathlib.Path, frames: int = 200) -> int:
    """Writes an MPEG-1 Layer III file of silent frames; its size."""
    header = bytes([0xFF, 0xFB, 0x90, 0x64])  # 128 kbit/s, 44.1 kHz, 417-byte frames
    frame = header + bytes(417 - len(header))
    mp3.parent.mkdir(parents=True, exist_ok=True)
    mp3.write_bytes(frame * frames)
    return mp3.stat().st_size


def podcast(gazette: str, source: pathlib.Path, check: Checks) -> None:
    site = Site(gazette, source, "gazette-gpodder-")
    home = pathlib.Path(tempfile.mkdtemp(prefix="gazette-gpodder-"))
    try:
        # The episode's front matter names the real size of the file served.
        post = site.dir / "content" / "interviews" / "hassabis-science-agents.md"
        built = site.build()
        check(built.returncode == 0, f"build: {built.stderr}")
        size = silence(site.output / "episodes" / "hassabis-science-agents.mp3")
        text = post.read_text(encoding="utf-8")
        post.write_text(re.sub(r"length: \d+", f"length: {size}", text, count=1), encoding="utf-8")
        built = site.build()
        check(built.returncode == 0, f"build: {built.stderr}")
        site.serve()
        env = dict(os.environ, GPODDER_HOME=str(home / "data"), GPODDER_DOWNLOAD_DIR=str(home / "downloads"), HOME=str(home))
        gpo = lambda *a: subprocess.run(["gpo", *a], capture_output=True, text=True, timeout=120, env=env)
        feed = site.base + "podcast.xml"
        subscribed = gpo("subscribe", feed)
        check(subscribed.returncode == 0, f"gpo subscribe: {subscribed.stdout} {subscribed.stderr}")
        episodes = gpo("episodes", "--guid", feed)
        listing = episodes.stdout
        check("Hassabis" in listing or "hassabis" in listing, f"gpo lists the episode: {listing!r} {episodes.stderr}")
        # `gpo episodes --guid` prints "N. GUID  *  TITLE" per episode.
        guid = next((m.group(1) for m in re.finditer(r"(?m)^\s*\d+\.\s+(\S+)\s.*$", listing) if "hassabis" in m.group(1)), None)
        check(guid is not None, f"gpo shows the episode's GUID: {listing!r}")
        if guid:
            downloaded = gpo("download", feed, guid)
            check(downloaded.returncode == 0, f"gpo download: {downloaded.stdout} {downloaded.stderr}")
            files = [p for p in (home / "downloads").rglob("*") if p.is_file()]
            check(any(p.stat().st_size == size for p in files), f"gpo downloaded the {size}-byte episode: {[(str(p), p.stat().st_size) for p in files]} {downloaded.stdout}")
    finally:
        site.stop()
        shutil.rmtree(home, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", default=".")
    parser.add_argument("--gazette", required=True)
    args = parser.parse_args()
    gazette = str(pathlib.Path(args.gazette).resolve())
    source = pathlib.Path(args.site).resolve()
    check = Checks("real readers")
    new_with_record = permalink_change(gazette, source, check, keep_record=True)
    check(new_with_record == 0, f"newsboat found {new_with_record} new items after the permalink change; the record keeps ids")
    new_without = permalink_change(gazette, source, check, keep_record=False)
    check(new_without > 0, f"control: without the record the permalink change shows newsboat new items ({new_without})")
    print(f"newsboat: {new_with_record} new items with the record, {new_without} without it")
    podcast(gazette, source, check)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
