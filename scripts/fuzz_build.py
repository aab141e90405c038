#!/usr/bin/env python3
"""A bounded mutation fuzz of `gazette build`, `check` and `list` on sites
made of mutated posts: every run must end with exit status 0, 1 or 2, print
no panic, finish in time, and write nothing outside the output folder
(but the build cache, `.gazette/build-cache.bin` and `.gazette/record.bin`, which `build` keeps).

    python3 scripts/fuzz_build.py --gazette target/release/gazette --cases 300 --seed 1

The seed posts are the example site's and the test fixtures'; each case
mutates a few of them (byte flips, truncation, spliced hostile snippets,
generator syntax among letters of several bytes, deep nesting, odd
encodings) and runs gazette on the result, read as a gazette, Zola, Hugo or
Eleventy site (each resolves generator syntax its own way).
"""

import argparse
import os
import pathlib
import random
import shutil
import subprocess
import sys
import tempfile

from checks import Checks

ROOT = pathlib.Path(__file__).resolve().parent.parent

SNIPPETS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "slug: \"javascript:alert(document.domain)<!--\"\n",
    "slug: \"../../etc/passwd\"\n",
    "slug: \"https:evil.example\"\n",
    "date: \"-0001-06-01\"\n",
    "date: \"+10000-01-01\"\n",
    "updated: 99999-99-99\n",
    "tags: [\"" + "人工智能" * 80 + "\", \"..\", \"C#\", \"C++\"]\n",
    "x: " + "[" * 5000 + "\n",
    "x: " + "{a: " * 300 + "\n",
    "title: \"\x0b\x1b\x00\"\n",
    "{{< ref \"nope\" >}}",
    "{% post_url nope %}",
    "@/nope.md",
    "\ufeff",
    "\r\n",
    "---js\n",
    "+++\n",
    "---\n",
    "{\n",
    "audio: {url: \"javascript:x\", length: -1, type: \"\"}\n",
    "permalink: false\n",
    "draft: maybe\n",
    "<!-- more -->",
    "[^1]: \n[ref]: <>\n",
    # Generator syntax after text that changes length, among letters of
    # more than one byte (a warning's line was once counted inside one).
    "[a](@/post0.md) [b](@/notes/post1.md) capítulos, sección {{ note(text=\"á\") }}\n{% quote(a=\"ü\") %}x{% end %}",
    "{% raw %}\n{{ á }}\n{% endraw %} é {% highlight rust %}\nü\n{% endhighlight %}{% include x.html %} {{ site.nada | url }}",
    "{{< figure src=\"ä.png\" >}} ö {{% note %}}ß{{% /note %}}",
]


def seeds() -> list:
    files = []
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures"):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".txt", ".markdown") and path.stat().st_size < 200_000:
                files.append(path.read_bytes())
    return files


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        position = rng.randint(0, len(data)) if data else 0
        if choice < 0.25 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice < 0.55:
            snippet = rng.choice(SNIPPETS).encode("utf-8")
            data[position:position] = snippet
        elif choice < 0.65 and data:
            del data[position:position + rng.randint(1, 200)]
        elif choice < 0.75 and data:
            line_end = data.find(b"\n", position)
            line = bytes(data[position:line_end + 1 if line_end >= 0 else len(data)])
            data[position:position] = line * rng.randint(2, 50)
        elif choice < 0.85:
            data = data[: rng.randint(0, len(data))]
        else:
            data[position:position] = "".join(chr(rng.randint(0x80, 0x10FFFF)) for _ in range(rng.randint(1, 10))).encode("utf-8", "surrogatepass")
    return bytes(data)


CONFIG = """generator = "{generator}"
title = "Fuzz"
base_url = "https://fuzz.example/blog/"
output_dir = "feeds"
content_dir = "content"
timezone = "Asia/Shanghai"
extensions = ["md", "txt", "markdown"]
permalink = "/{section}/{slug}/"
[feeds]
per_tag = true
[podcast]
author = "F"
image = "cover.png"
categories = ["Technology"]
owner = { name = "F", email = "f@fuzz.example" }
"""


def snapshot(folder: pathlib.Path, skip: pathlib.Path) -> set:
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        if pathlib.Path(dirpath) == skip or skip in pathlib.Path(dirpath).parents:
            continue
        for name in filenames:
            found.add(pathlib.Path(dirpath, name))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazette", required=True)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    gazette = str(pathlib.Path(args.gazette).resolve())
    rng = random.Random(args.seed)
    corpus = seeds()
    check = Checks("fuzz")
    for case in range(args.cases):
        site = pathlib.Path(tempfile.mkdtemp(prefix="gazette-fuzz-"))
        # Each generator's syntax in bodies is resolved its own way.
        generator = rng.choice(["gazette", "zola", "hugo", "eleventy"])
        (site / "config.toml").write_text(CONFIG.replace("{generator}", generator), encoding="utf-8")
        for i in range(rng.randint(1, 6)):
            section = rng.choice(["", "notes", "interviews"])
            folder = site / "content" / section
            folder.mkdir(parents=True, exist_ok=True)
            name = rng.choice(["post", "2025-04-29-dated", "index", "_index", ".hidden", "x" * 200])
            (folder / f"{name}{i}.{rng.choice(['md', 'txt', 'markdown'])}").write_bytes(mutate(rng.choice(corpus), rng))
        before = snapshot(site, site / "feeds")
        for command in (["build"], ["check"], ["list", "--json"], ["build"]):
            try:
                run = subprocess.run(
                    [gazette, *command, "--now", "2026-01-01T00:00:00Z"],
                    cwd=site,
                    capture_output=True,
                    timeout=args.timeout,
                )
            except subprocess.TimeoutExpired:
                check(False, f"case {case}: {command} took over {args.timeout} s (site kept at {site})")
                continue
            stderr = run.stderr.decode("utf-8", "replace")
            ok = run.returncode in (0, 1, 2) and "panicked" not in stderr
            check(ok, f"case {case}: {command} exited {run.returncode}: {stderr[-500:]} (site kept at {site})")
            if not ok:
                break
        # Besides feeds/, a build keeps its cache and the publication record
        # beside the config (both its own files); nothing else.
        after = snapshot(site, site / "feeds") - {site / ".gazette" / "build-cache.bin", site / ".gazette" / "record.bin", site / "config.record.toml"}
        check(after == before, f"case {case}: files written outside feeds/: {sorted(map(str, after - before))}")
        if not check.failures:
            shutil.rmtree(site, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
