#!/usr/bin/env python3
"""Benchmark `gazette build` on generated sites.

Generates N synthetic posts (~6 KB each, shaped like real interview posts:
YAML front matter with list fields, quoted dates, a long mixed Chinese and
English body), then times the release binary and reports the median wall
time and the peak resident memory of each kind of run: a build into an
empty output folder, a rebuild with nothing changed, a rebuild after one
post changed, and `check`; then `gazette watch` on the same site, and the
rebuild times it reports after edits (of an old post no feed holds, and of
the newest post, which the site's and its tags' feeds hold; the time from
the edit is that plus 150 ms of quiet the watcher waits for). With --compare-hugo, Hugo (Debian's package,
installed if missing) builds the same posts, alternating with gazette's
cold builds in one loop, and the ratio is printed.

    python3 scripts/bench.py                          # 1,000 and 10,000 posts, 5 runs each
    python3 scripts/bench.py --posts 1000 10000 100000 --runs 3
    python3 scripts/bench.py --posts 10000 --compare-hugo
    python3 scripts/bench.py --posts 10000 --compare-hugo --corpus ../shared/bench/gen_corpus.py

--corpus GEN.py takes the posts from a corpus generator called as
`GEN.py OUT N` (which writes OUT/posts/*.md), such as the shared one that
writes posts shaped like real ones (rich front matter, drafts, future posts).
"""

import argparse
import json
import os
import pathlib
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "gazette"
NOW = "2026-01-01T00:00:00Z"

ZH = ("马克，感谢你再次来到播客。我们今天讨论开源模型、推理成本与产品化的取舍。"
      "模型方面也持续取得令人印象深刻的进展，多模态能力让许多新的应用成为可能。")
EN = ("The interesting part of this conversation is not the benchmark numbers but "
      "how teams decide what to build when intelligence gets cheaper every quarter. ")
TAGS = [f"topic-{i}" for i in range(30)] + ["ai-agent", "open-source-ai", "人工智能"]


def post(i: int, rng: random.Random) -> str:
    year, month, day = 2020 + i % 6, 1 + i % 12, 1 + i % 28
    tags = rng.sample(TAGS, 4)
    draft = "true" if i % 10 == 0 else "false"
    lists = "\n".join(f"- Company {rng.randrange(500)}" for _ in range(8))
    front = (
        f"---\narea: tech-work\ncategory: ai-ml\ncompanies_orgs:\n{lists}\n"
        f"date: '{year}-{month:02d}-{day:02d}'\ndraft: {draft}\nguest: ''\nlayout: post.njk\n"
        f"people:\n- Person {i}\n- Person {i + 1}\nsource: https://www.youtube.com/watch?v=v{i}\n"
        f"speaker: Speaker {i % 50}\nstatus: evergreen\n"
        f"summary: 第{i}篇：关于开源AI、推理成本与产品化的访谈摘要。\n"
        "tags:\n" + "".join(f"- {t}\n" for t in tags) + f"title: 访谈 {i}：AI 与开源的未来\n---\n\n"
    )
    body = []
    while sum(len(p.encode()) for p in body) < 5600:
        body.append(f"### 第{len(body)}节\n\n{ZH * 3}\n\n{EN * 3}\n\n**Llama {i}** ![x](img/{i}.png)\n")
    return front + "\n".join(body)


def generate(folder: pathlib.Path, count: int, corpus: str = None) -> None:
    rng = random.Random(count)
    content = folder / "content"
    if corpus:
        subprocess.run([sys.executable, corpus, str(folder / "corpus"), str(count)], check=True, stdout=subprocess.DEVNULL)
        (folder / "corpus" / "posts").rename(content)
    else:
        content.mkdir(parents=True)
    (folder / "config.toml").write_text(
        'title = "Bench"\nbase_url = "https://bench.example.org/"\ntimezone = "Asia/Shanghai"\n'
        '[feeds]\nlimit = 20\nper_tag = true\n'
        '[fields]\nauthor = ["author", "speaker"]\nexternal_url = "source"\n',
        encoding="utf-8",
    )
    if corpus:
        return
    for i in range(count):
        (content / f"post-{i:05d}.md").write_text(post(i, rng), encoding="utf-8")


def run_once(folder: pathlib.Path, args: list) -> tuple:
    """Wall seconds and peak RSS in MiB of one run of the binary."""
    start = time.perf_counter()
    process = subprocess.Popen([str(BINARY), *args, "--quiet", "--now", NOW],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"gazette {' '.join(args)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(folder: pathlib.Path, args: list, runs: int, before=None) -> tuple:
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        elapsed, peak = run_once(folder, args)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def ensure_hugo() -> None:
    if shutil.which("hugo"):
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True, env=env, stdout=subprocess.DEVNULL)


def hugo_site(folder: pathlib.Path, content: pathlib.Path) -> pathlib.Path:
    """The same posts as a Hugo site (its defaults: pages, taxonomies, RSS)."""
    site = folder / "hugo"
    (site / "content").mkdir(parents=True)
    shutil.copytree(content, site / "content" / "posts")
    (site / "hugo.toml").write_text(
        'baseURL = "https://bench.example.org/"\ntitle = "Bench"\ntimeZone = "Asia/Shanghai"\n'
        'disableKinds = []\n[taxonomies]\ntag = "tags"\n', encoding="utf-8")
    return site


def run_hugo(site: pathlib.Path) -> tuple:
    shutil.rmtree(site / "public", ignore_errors=True)
    start = time.perf_counter()
    process = subprocess.Popen(["hugo", "--quiet", "-s", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("hugo failed")
    return elapsed, usage.ru_maxrss / 1024


def oldest_and_newest(folder: pathlib.Path) -> tuple:
    """The files of the oldest and the newest published post, relative to
    the content folder (as `gazette list` dates them)."""
    listed = subprocess.run([str(BINARY), "list", "--json", "--state", "published", "--now", NOW],
                            cwd=folder, capture_output=True, text=True, check=True)
    rows = sorted(json.loads(listed.stdout), key=lambda r: (r["date"], r["path"]))
    rel = lambda row: str(pathlib.Path(row["path"]).relative_to("content"))
    return rel(rows[0]), rel(rows[-1])


def touch_one(folder: pathlib.Path):
    """Changes one post's body, so a rebuild has one changed post."""
    state = {"n": 0}
    old, _ = oldest_and_newest(folder)

    def change():
        path = folder / "content" / old
        state["n"] += 1
        with path.open("a", encoding="utf-8") as f:
            f.write(f"\nEdit {state['n']}.\n")
    return change


def measure_watch(folder: pathlib.Path, runs: int) -> list:
    """Rows for `gazette watch`: the rebuild time it reports after each kind
    of edit (median), and the process's peak memory."""
    process = subprocess.Popen([str(BINARY), "watch", "--now", NOW], cwd=folder,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in process.stdout:
            if line.startswith("watching"):
                break

        def rebuild_after(name: str, n: int) -> float:
            with (folder / "content" / name).open("a", encoding="utf-8") as f:
                f.write(f"\nWatched edit {n}.\n")
            for line in process.stdout:
                if line.startswith("built"):
                    return int(line.rsplit(" in ", 1)[1].split()[0]) / 1000
            sys.exit("gazette watch stopped")

        # The first rebuild reads the cache file; the next ones what the
        # last one kept in memory.
        old_post, newest_post = oldest_and_newest(folder)
        first = rebuild_after(old_post, 0)
        old = statistics.median(rebuild_after(old_post, i + 1) for i in range(runs))
        newest = statistics.median(rebuild_after(newest_post, i + 1) for i in range(runs))
        peak = 0.0
        for line in (pathlib.Path("/proc") / str(process.pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    finally:
        process.terminate()
        process.wait()
    return [("watch: first rebuild", (first, peak)),
            ("watch: old post edited", (old, peak)),
            ("watch: newest post edited", (newest, peak))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare-hugo", action="store_true", help="also build the same posts with Hugo, alternately")
    parser.add_argument("--corpus", metavar="GEN.py", help="a corpus generator (`GEN.py OUT N` writes OUT/posts/*.md) instead of the built-in posts")
    parser.add_argument("--cold-only", action="store_true", help="only the cold build (and Hugo's)")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if args.compare_hugo:
        ensure_hugo()
    print(f"{'posts':>7} {'MB in':>7} {'run':<26} {'median s':>9} {'posts/s':>9} {'peak MiB':>9}")
    for count in args.posts:
        with tempfile.TemporaryDirectory(prefix="gazette-bench-") as tmp:
            folder = pathlib.Path(tmp)
            generate(folder, count, args.corpus and str(pathlib.Path(args.corpus).resolve()))
            size = sum(p.stat().st_size for p in (folder / "content").rglob("*") if p.is_file()) / 1e6
            def clean():
                # A cold build: no output and no build cache.
                shutil.rmtree(folder / "feeds", ignore_errors=True)
                shutil.rmtree(folder / ".gazette", ignore_errors=True)
            rows = [("build (empty output)", measure(folder, ["build"], args.runs, clean))]
            if not args.cold_only:
                rows += [
                    ("build (nothing changed)", measure(folder, ["build"], args.runs)),
                    ("build (one post changed)", measure(folder, ["build"], args.runs, touch_one(folder))),
                    ("check", measure(folder, ["check"], args.runs)),
                    *measure_watch(folder, args.runs),
                ]
            for name, (median, peak) in rows:
                print(f"{count:>7} {size:>7.1f} {name:<26} {median:>9.3f} {count / median:>9.0f} {peak:>9.1f}")
            if args.compare_hugo:
                site = hugo_site(folder, folder / "content")
                ours, theirs, peaks = [], [], []
                for _ in range(args.runs):
                    clean()
                    ours.append(run_once(folder, ["build"])[0])
                    elapsed, peak = run_hugo(site)
                    theirs.append(elapsed)
                    peaks.append(peak)
                g, h = statistics.median(ours), statistics.median(theirs)
                print(f"{count:>7} {size:>7.1f} {'hugo (same posts)':<26} {h:>9.3f} {count / h:>9.0f} {max(peaks):>9.1f}")
                print(f"{count:>7} {'':>7} {'gazette cold vs hugo':<26} {g:>9.3f}  gazette is {h / g:.1f}x faster (alternating runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
