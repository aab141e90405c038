#!/usr/bin/env python3
"""Benchmark `gazette digest --send` against Postfix's own test tools on the
same machine: `smtp-sink` on 127.0.0.1 receives, `smtp-source` measures the
ceiling (the same number of messages of the same size over the same number
of connections), and gazette sends N digests (10,000 by default) to it.
Prints messages per second, peak memory and gazette's share of the ceiling
(medians of --runs runs, gazette and smtp-source alternating), and the time
and memory of the run after it, which finds nothing new to send, and the
time of the run after that ("then s": the steady state of a cron job; the
first run after a ledger's first digest plans anew, see `gazette_once`).

Installs Debian's `postfix` package for the two tools if they are missing
(the Postfix daemon is never started).

    python3 scripts/bench_digest.py                      # 10,000 messages at 1, 4 and 8 connections
    python3 scripts/bench_digest.py --subscribers 2000 --connections 1 4
    python3 scripts/bench_digest.py --subscribers 2000 100000 --connections 1 4 --message-kb 13 --runs 5
    python3 scripts/bench_digest.py --spread --subscribers 100000 --connections 1 4 --message-kb 13 --runs 5

The last three columns split the send: the seconds before its first
message (reading the list into the ledger, planning) and the rate of the
sending itself, timed by the progress lines gazette prints under cron.

With --ledger, the same runs go to each ledger store named: `sqlite` (the
default) and a PostgreSQL server given by URL, on which every run gets a
database of its own (created, then dropped); the "vs SQLite" columns
compare each store's rates with SQLite's in the same run:

    python3 scripts/bench_digest.py --subscribers 100000 --connections 1 --message-kb 13 \
        --ledger sqlite postgres://gazette@127.0.0.1:5432/postgres

A URL may carry `sslmode` and `sslrootcert` (kept after each run's
database name); rows of a URL that asks for TLS (`require`, `verify-ca`,
`verify-full`) are named `pg+tls`, so one server can be measured with
`?sslmode=disable` and with TLS in the same runs.

With --in-flight, the same runs for each `digest.in_flight` given (how many
of a connection's messages may be taken by the server before their outcomes
are recorded; the window within which outcomes are committed together).

With --spread, readers are spread over the cadences (post, daily, weekly,
monthly and the site's every-run default) and topics (none, rust, go, both),
the posts are tagged rust or go, and the send runs at an instant every
cadence is due (a Monday, the 1st, 08:00): gazette plans one digest per
group of readers owed the same posts. The run after it, an hour later, has
nothing due.
"""

import argparse
import itertools
import os
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "gazette"


def ensure_postfix_tools() -> None:
    if shutil.which("smtp-sink") and shutil.which("smtp-source"):
        return
    # The package's scripts would start the daemon: forbid that while installing.
    policy = pathlib.Path("/usr/sbin/policy-rc.d")
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)
    try:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run("echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections",
                       shell=True, check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postfix"], check=True, env=env, stdout=subprocess.DEVNULL)
    finally:
        policy.unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """smtp-sink on 127.0.0.1, counting what it accepts."""

    def __init__(self):
        self.port = free_port()
        user = ["-u", "postfix"] if os.geteuid() == 0 else []
        self.output = tempfile.TemporaryFile()
        self.process = subprocess.Popen(["smtp-sink", "-c", *user, f"127.0.0.1:{self.port}", "1000"],
                                        stdout=self.output, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        sys.exit("smtp-sink did not start")

    def stop(self) -> int:
        """Stops the sink; returns how many messages it accepted."""
        time.sleep(0.3)
        self.process.terminate()
        self.process.wait()
        self.output.seek(0)
        counts = re.findall(rb"mesg=(\d+)", self.output.read())
        return int(counts[-1]) if counts else 0


SPREAD_CADENCES = ["post", "daily", "weekly", "monthly", ""]
SPREAD_TOPICS = ["", "rust", "go", "rust,go"]
NOW = "2025-06-01T00:00:00Z"
# A Monday, the 1st, 08:00 UTC: every cadence is due.
SPREAD_NOW = "2025-09-01T08:00:00Z"
SPREAD_LATER = "2025-09-01T09:00:00Z"
SPREAD_JOIN = "2025-08-27T00:00:00Z"


def site(folder: pathlib.Path, subscribers: int, smtp: str, connections: int, posts: int = 3,
         spread: bool = False, ledger: str = "", in_flight: int | None = None) -> None:
    """A site with `posts` new posts (a digest lists each with its summary)."""
    (folder / "content").mkdir(parents=True)
    month = "2025-08" if spread else "2025-05"
    for i in range(posts):
        body = ("A paragraph about feeds, digests and the open web. " * 12 + "\n\n") * 2
        tag = ["rust", "go"][i % 2] if spread else "bench"
        (folder / "content" / f"post-{i}.md").write_text(
            f"---\ntitle: 'Post {i}: 通讯与订阅'\ndate: '{month}-{28 + i % 3:02d}T{i % 24:02d}:00:00'\ntags: [{tag}]\n---\n\n{body}", encoding="utf-8")
    if spread:
        rows = ["email,name,cadence,topics"] + [
            f"reader{i}@example.net,Reader {i},{SPREAD_CADENCES[i % 5]},\"{SPREAD_TOPICS[(i // 5) % 4]}\""
            for i in range(subscribers)]
    else:
        rows = ["email,name,plan"] + [f"reader{i}@example.net,Reader {i},free" for i in range(subscribers)]
    (folder / "subscribers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "config.toml").write_text(
        'title = "Bench"\nbase_url = "https://bench.example.org/"\n'
        '[digest]\nfrom = "Bench <digest@bench.example.org>"\n'
        + (f'ledger = "{ledger}"\n' if ledger else "")
        + 'unsubscribe_url = "https://bench.example.org/u?token={token}"\n'
        + ('topics = ["rust", "go"]\nfirst_days = 30\n' if spread else "")
        + (f"in_flight = {in_flight}\n" if in_flight else "")
        + f"connections = {connections}\n{smtp}", encoding="utf-8")


def run_gazette(folder: pathlib.Path, now: str = NOW) -> tuple:
    """Wall seconds and peak MiB of one `gazette digest --send`, and its
    sending phase: messages per second from the first tenth sent to the
    last (from the lines gazette prints under cron, one per tenth), and the
    seconds before the first message (reading the list, planning)."""
    start = time.perf_counter()
    process = subprocess.Popen([str(BINARY), "digest", "--send", "--now", now],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tenths, said = [], []
    for line in process.stderr:
        done = re.match(rb"digest: (\d+)/(\d+) done", line)
        if done:
            tenths.append((time.perf_counter(), int(done.group(1)), int(done.group(2))))
        else:
            said.append(line)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"gazette failed: {b''.join(said).decode()}")
    rate, before = None, None
    if len(tenths) >= 2 and tenths[-1][1] > tenths[0][1]:
        (t0, n0, _), (t1, n1, _) = tenths[0], tenths[-1]
        rate = (n1 - n0) / (t1 - t0)
        before = t0 - start - n0 / rate
    return elapsed, usage.ru_maxrss / 1024, rate, before


def message_size(posts: int) -> int:
    """The mean size of gazette's messages, from an outbox run."""
    with tempfile.TemporaryDirectory(prefix="gazette-digest-bench-") as tmp:
        folder = pathlib.Path(tmp)
        site(folder, 50, "", 1, posts)
        run_gazette(folder)[:2]
        sizes = [p.stat().st_size for p in (folder / "outbox").rglob("*.eml")]
        return sum(sizes) // len(sizes)


def posts_for(kilobytes: float) -> int:
    """The number of posts whose digest messages come nearest to `kilobytes`."""
    best = (float("inf"), 3)
    for posts in range(1, 60):
        size = message_size(posts)
        best = min(best, (abs(size - kilobytes * 1024), posts))
        if size > kilobytes * 1024:
            break
    return best[1]


def ceiling_once(subscribers: int, connections: int, size: int) -> float:
    sink = Sink()
    start = time.perf_counter()
    subprocess.run(["smtp-source", "-d", "-s", str(connections), "-m", str(subscribers), "-l", str(size),
                    "-f", "digest@bench.example.org", "-t", "reader@example.net", f"127.0.0.1:{sink.port}"],
                   check=True)
    elapsed = time.perf_counter() - start
    if sink.stop() != subscribers:
        sys.exit("smtp-sink did not count every smtp-source message")
    return subscribers / elapsed


def store_name(ledger: str) -> str:
    """How a row names its store: `pg+tls` for a URL asking for TLS, so that
    the same server can be measured with and without it in one run."""
    if ledger == "sqlite":
        return "sqlite"
    mode = re.search(r"[?&]sslmode=([\w-]+)", ledger)
    return "pg+tls" if mode and mode.group(1) not in ("disable", "allow", "prefer") else "postgres"


class Database:
    """A database of its own on the PostgreSQL server at `server` (a URL
    naming any database there), or nothing for the SQLite default."""

    counter = 0

    def __init__(self, server: str):
        self.server = server if server != "sqlite" else ""
        self.url = ""
        if self.server:
            Database.counter += 1
            self.name = f"gazette_bench_{os.getpid()}_{Database.counter}"
            self.psql(f"CREATE DATABASE {self.name}")
            # The query (`sslmode`, `sslrootcert=/a/path`) stays after the new name.
            base, mark, query = self.server.partition("?")
            self.url = base.rsplit("/", 1)[0] + "/" + self.name + mark + query

    def psql(self, sql: str) -> None:
        subprocess.run(["psql", "-q", "-d", self.server, "-c", sql], check=True, stdout=subprocess.DEVNULL)

    def drop(self) -> None:
        if self.server:
            self.psql(f"DROP DATABASE {self.name}")


def gazette_once(subscribers: int, connections: int, posts: int, spread: bool, ledger: str = "sqlite",
                 in_flight: int | None = None) -> tuple:
    """Messages sent, messages per second and peak MiB of a send, then the
    seconds and peak MiB of the next run, which has nothing to send, and
    the seconds of the run after that."""
    sink = Sink()
    database = Database(ledger)
    with tempfile.TemporaryDirectory(prefix="gazette-digest-bench-") as tmp:
        folder = pathlib.Path(tmp)
        site(folder, subscribers, f'[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\ntls = "none"\n', connections, posts, spread,
             database.url, in_flight)
        if spread:
            # The readers join before the posts, so every cadence's slot finds them.
            subprocess.run([str(BINARY), "subscribers", "import", "subscribers.csv", "--quiet", "--now", SPREAD_JOIN],
                           cwd=folder, check=True, stdout=subprocess.DEVNULL)
        elapsed, peak, sending, before = run_gazette(folder, SPREAD_NOW if spread else NOW)
        idle, idle_peak, _, _ = run_gazette(folder, SPREAD_LATER if spread else NOW)
        # The ledger's first completed digest widens the look-back (from
        # `first_days` to `max_age_days`), which the run after it must plan
        # anew, once in a ledger's life; the runs after that are the
        # steady state of a cron job.
        later = run_gazette(folder, SPREAD_LATER if spread else NOW)[0]
    database.drop()
    received = sink.stop()
    if not spread and received != subscribers:
        sys.exit(f"sink counted {received} of {subscribers} from gazette")
    return received, received / elapsed, peak, idle, idle_peak, later, sending, before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, nargs="+", default=[10000])
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--message-kb", type=float, help="make the messages about this big (default: 3 short posts)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--spread", action="store_true", help="readers over cadences and topics (see above)")
    parser.add_argument("--ledger", nargs="+", default=["sqlite"],
                        help="ledger stores to measure: sqlite and/or a postgres:// URL of a server (see above)")
    parser.add_argument("--in-flight", type=int, nargs="+", default=[None],
                        help="`digest.in_flight` values to compare (default: the config's default)")
    args = parser.parse_args()
    ensure_postfix_tools()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    posts = posts_for(args.message_kb) if args.message_kb else 3
    size = message_size(posts)
    print(f"messages of {size} bytes ({posts} posts) to smtp-sink on 127.0.0.1, medians of {args.runs} alternating runs")
    print(f"{'ledger':>10} {'subscribers':>11} {'messages':>9} {'connections':>11} {'in flight':>9} {'ceiling msg/s':>14} {'gazette msg/s':>14} {'share':>6} {'peak MiB':>9} {'nothing due s':>14} {'its MiB':>8} {'then s':>7} {'vs SQLite':>9} {'before s':>9} {'sending msg/s':>14} {'vs SQLite':>9}")
    for subscribers, connections, in_flight in itertools.product(args.subscribers, args.connections, args.in_flight):
        stores = {ledger: ([], [], [], [], [], [], [], []) for ledger in args.ledger}
        messages = subscribers
        for _ in range(args.runs):
            # The stores alternate with each other and with smtp-source.
            for ledger, (ceilings, ours, peaks, idles, idle_peaks, laters, sendings, befores) in stores.items():
                messages, rate, peak, idle, idle_peak, later, sending, before = gazette_once(
                    subscribers, connections, posts, args.spread, ledger, in_flight)
                ceilings.append(ceiling_once(messages, connections, size))
                ours.append(rate)
                peaks.append(peak)
                idles.append(idle)
                idle_peaks.append(idle_peak)
                laters.append(later)
                if sending:
                    sendings.append(sending)
                    befores.append(before)
        median = lambda values: statistics.median(values) if values else None
        sqlite = stores.get("sqlite")
        sqlite_rate, sqlite_sending = (median(sqlite[1]), median(sqlite[6])) if sqlite else (None, None)
        for ledger, (ceilings, ours, peaks, idles, idle_peaks, laters, sendings, befores) in stores.items():
            ceiling, rate, sending = statistics.median(ceilings), statistics.median(ours), median(sendings)
            name = store_name(ledger)
            versus = f"{rate / sqlite_rate:>9.0%}" if sqlite_rate else f"{'':>9}"
            phase = (f"{median(befores):>9.1f} {sending:>14.0f} " + (f"{sending / sqlite_sending:>9.0%}" if sqlite_sending else "")
                     if sending else "")
            print(f"{name:>10} {subscribers:>11} {messages:>9} {connections:>11} {in_flight or 'default':>9} {ceiling:>14.0f} {rate:>14.0f} {rate / ceiling:>6.0%} "
                  f"{max(peaks):>9.1f} {statistics.median(idles):>14.3f} {max(idle_peaks):>8.1f} {statistics.median(laters):>7.3f} {versus} {phase}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
