#!/usr/bin/env python3
"""Validate every feed in an output folder with parsers independent of gazette.

RSS and Atom go through feedparser. Released feedparser has no JSON Feed
support, so JSON feeds are checked here against the JSON Feed 1.1 rules.

Fails when a feed is malformed (feedparser's `bozo` flag), when an entry lacks a
title, link or date, when entry counts differ from `--expect FILE=N`, or when a
title given with `--absent` appears anywhere.

    python3 scripts/validate_feeds.py feeds --expect rss.xml=7 --absent "Draft:"
"""

import argparse
import datetime
import json
import pathlib
import sys

import feedparser


def check_absent(rel, path, absent, failures):
    text = path.read_text(encoding="utf-8")
    for needle in absent:
        if needle in text:
            failures.append(f"{rel}: contains {needle!r}, which must not be published")


def rfc3339(value):
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return False
    return parsed.tzinfo is not None


def check_json_feed(path):
    """Problems with a JSON Feed 1.1 document, and its item count."""
    try:
        feed = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"not valid JSON: {error}"], 0
    problems = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is {feed.get('version')!r}")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append("no title")
    for key in ("home_page_url", "feed_url"):
        if not str(feed.get(key, "")).startswith(("https://", "http://")):
            problems.append(f"{key} is not an absolute URL")
    if not isinstance(feed.get("authors", []), list):
        problems.append("authors is not a list")
    items = feed.get("items")
    if not isinstance(items, list):
        return problems + ["items is not a list"], 0
    ids = set()
    for item in items:
        label = repr(item.get("title") or item.get("id"))
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"item {label}: id must be a non-empty string")
        elif item["id"] in ids:
            problems.append(f"item {label}: duplicate id")
        ids.add(item.get("id"))
        if not (isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)):
            problems.append(f"item {label}: needs content_html or content_text")
        if not str(item.get("url", "")).startswith(("https://", "http://")):
            problems.append(f"item {label}: url is not absolute")
        for key in ("date_published", "date_modified"):
            if key in item and not rfc3339(item[key]):
                problems.append(f"item {label}: {key} is not RFC 3339")
        if not isinstance(item.get("tags", []), list) or not isinstance(item.get("authors", []), list):
            problems.append(f"item {label}: tags and authors must be lists")
    return problems, len(items)


PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# The Podcast Namespace's tags (https://github.com/Podcastindex-org/podcast-namespace).
PODCAST_TAGS = {
    "transcript", "locked", "funding", "chapters", "soundbite", "person", "location", "season",
    "episode", "trailer", "license", "alternateEnclosure", "source", "integrity", "guid", "value",
    "valueRecipient", "medium", "images", "liveItem", "contentLink", "socialInteract", "block",
    "txt", "remoteItem", "podroll", "updateFrequency", "podping", "valueTimeSplit", "publisher",
    "chat",
}


def check_podcast(path, failures):
    """Every `podcast:` element is one the namespace defines; every episode
    names its people and the show its medium."""
    import xml.etree.ElementTree as ET
    root = ET.parse(path).getroot()
    used = {el.tag.split("}")[1] for el in root.iter() if el.tag.startswith("{" + PODCAST_NS + "}")}
    for tag in sorted(used - PODCAST_TAGS):
        failures.append(f"{path.name}: podcast:{tag} is not in the Podcast Namespace")
    for tag in ("guid", "locked", "medium"):
        if tag not in used:
            failures.append(f"{path.name}: no podcast:{tag}")
    for item in root.iter("item"):
        people = item.findall(f"{{{PODCAST_NS}}}person")
        title = item.findtext("title")
        if not people:
            failures.append(f"{path.name}: episode {title!r} has no podcast:person")
        for person in people:
            if person.get("role") not in ("host", "guest") or not (person.text or "").strip():
                failures.append(f"{path.name}: episode {title!r}: podcast:person without role or name")
    print(f"ok {path.name}: podcast tags {', '.join(sorted(used))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--expect", action="append", default=[], metavar="FILE=N")
    parser.add_argument("--absent", action="append", default=[], metavar="TEXT")
    args = parser.parse_args()

    expected = {}
    for item in args.expect:
        name, _, count = item.partition("=")
        expected[name] = int(count)

    files = sorted(
        p for p in args.folder.rglob("*") if p.suffix in (".xml", ".json") and p.is_file()
    )
    if not files:
        print(f"no feeds found in {args.folder}", file=sys.stderr)
        return 1

    failures = []
    for path in files:
        rel = path.relative_to(args.folder).as_posix()
        if path.suffix == ".json":
            problems, count = check_json_feed(path)
            failures.extend(f"{rel}: {p}" for p in problems)
            if rel in expected and count != expected[rel]:
                failures.append(f"{rel}: {count} entries, expected {expected[rel]}")
            check_absent(rel, path, args.absent, failures)
            print(f"ok {rel}: json feed, {count} entries" if not problems else f"bad {rel}")
            continue
        feed = feedparser.parse(path.read_bytes())
        if feed.bozo:
            failures.append(f"{rel}: not well-formed: {feed.bozo_exception}")
            continue
        if not feed.feed.get("title"):
            failures.append(f"{rel}: feed has no title")
        for entry in feed.entries:
            for key in ("title", "link", "id"):
                if not entry.get(key):
                    failures.append(f"{rel}: an entry has no {key}")
            if not (entry.get("published_parsed") or entry.get("updated_parsed")):
                failures.append(f"{rel}: entry {entry.get('title')!r} has no readable date")
        check_absent(rel, path, args.absent, failures)
        if rel in expected and len(feed.entries) != expected[rel]:
            failures.append(f"{rel}: {len(feed.entries)} entries, expected {expected[rel]}")
        print(f"ok {rel}: {feed.version or 'unknown'}, {len(feed.entries)} entries")
        if rel == "podcast.xml":
            check_podcast(path, failures)

    missing = [name for name in expected if not (args.folder / name).is_file()]
    failures.extend(f"{name}: missing" for name in missing)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    failed_files = len({f.split(":")[0] for f in failures})
    print(f"feeds: {len(files) - failed_files} passed, {failed_files} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
