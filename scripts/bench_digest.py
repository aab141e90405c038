#!/usr/bin/env python3
"""Benchmark `gazette digest --send` against Postfix's own test tools on the
same machine: `smtp-sink` on 127.0.0.1 receives, `smtp-source` measures the
ceiling (the same number of messages of the same size over the same number
of connections), and gazette sends N digests (10,000 by default) to it.
Prints messages per second, peak memory and gazette's share of the ceiling.

Installs Debian's `postfix` package for the two tools if they are missing
(the Postfix daemon is never started).

    python3 scripts/bench_digest.py                      # 10,000 messages at 1, 4 and 8 connections
    python3 scripts/bench_digest.py --subscribers 2000 --connections 1 4
"""

import argparse
import os
import pathlib
import re
import shutil
import socket
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


def site(folder: pathlib.Path, subscribers: int, smtp: str, connections: int) -> None:
    (folder / "content").mkdir(parents=True)
    for i in range(3):
        body = ("A paragraph about feeds, digests and the open web. " * 12 + "\n\n") * 2
        (folder / "content" / f"post-{i}.md").write_text(
            f"---\ntitle: 'Post {i}: 通讯与订阅'\ndate: '2025-05-{28 + i:02d}'\ntags: [bench]\n---\n\n{body}", encoding="utf-8")
    rows = ["email,name,plan"] + [f"reader{i}@example.net,Reader {i},free" for i in range(subscribers)]
    (folder / "subscribers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "config.toml").write_text(
        'title = "Bench"\nbase_url = "https://bench.example.org/"\n'
        '[digest]\nfrom = "Bench <digest@bench.example.org>"\n'
        'unsubscribe_url = "https://bench.example.org/u?token={token}"\n'
        f"connections = {connections}\n{smtp}", encoding="utf-8")


def run_gazette(folder: pathlib.Path) -> tuple:
    start = time.perf_counter()
    process = subprocess.Popen([str(BINARY), "digest", "--send", "--quiet", "--now", "2025-06-01T00:00:00Z"],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"gazette failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def message_size(subscribers: int) -> int:
    """The mean size of gazette's messages, from an outbox run."""
    with tempfile.TemporaryDirectory(prefix="gazette-digest-bench-") as tmp:
        folder = pathlib.Path(tmp)
        site(folder, min(subscribers, 200), "", 1)
        run_gazette(folder)
        sizes = [p.stat().st_size for p in (folder / "outbox").rglob("*.eml")]
        return sum(sizes) // len(sizes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 4, 8])
    args = parser.parse_args()
    ensure_postfix_tools()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    size = message_size(args.subscribers)
    print(f"{args.subscribers} messages of {size} bytes to smtp-sink on 127.0.0.1")
    print(f"{'connections':>11} {'ceiling msg/s':>14} {'gazette msg/s':>14} {'share':>6} {'gazette s':>10} {'peak MiB':>9}")
    for connections in args.connections:
        sink = Sink()
        start = time.perf_counter()
        subprocess.run(["smtp-source", "-d", "-s", str(connections), "-m", str(args.subscribers), "-l", str(size),
                        "-f", "digest@bench.example.org", "-t", "reader@example.net", f"127.0.0.1:{sink.port}"],
                       check=True)
        ceiling_elapsed = time.perf_counter() - start
        ceiling_count = sink.stop()
        sink = Sink()
        with tempfile.TemporaryDirectory(prefix="gazette-digest-bench-") as tmp:
            folder = pathlib.Path(tmp)
            site(folder, args.subscribers, f'[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\ntls = "none"\n', connections)
            elapsed, peak = run_gazette(folder)
        received = sink.stop()
        if received != args.subscribers or ceiling_count != args.subscribers:
            sys.exit(f"sink counted {received} (gazette) and {ceiling_count} (smtp-source) of {args.subscribers}")
        ceiling = args.subscribers / ceiling_elapsed
        ours = args.subscribers / elapsed
        print(f"{connections:>11} {ceiling:>14.0f} {ours:>14.0f} {ours / ceiling:>6.0%} {elapsed:>10.2f} {peak:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
