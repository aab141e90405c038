#!/usr/bin/env python3
"""Benchmark `gazette digest --send`: N subscribers (10,000 by default) to a
local SMTP server (aiosmtpd on 127.0.0.1, plain SMTP), and into the outbox.

Prints messages per second and the peak resident memory of gazette.

    python3 scripts/bench_digest.py                   # 10,000 messages
    python3 scripts/bench_digest.py --subscribers 2000 --connections 1 4
"""

import argparse
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time

from aiosmtpd.controller import Controller

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "gazette"


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site(folder: pathlib.Path, subscribers: int, smtp: str, connections: int) -> None:
    (folder / "content").mkdir(parents=True)
    for i in range(8):
        body = ("A paragraph about feeds, digests and the open web. " * 30 + "\n\n") * 4
        (folder / "content" / f"post-{i}.md").write_text(
            f"---\ntitle: 'Post {i}: 通讯与订阅'\ndate: '2025-05-{20 + i:02d}'\ntags: [bench]\n---\n\n{body}", encoding="utf-8")
    rows = ["email,name,plan"] + [f"reader{i}@example.net,Reader {i},free" for i in range(subscribers)]
    (folder / "subscribers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "config.toml").write_text(
        'title = "Bench"\nbase_url = "https://bench.example.org/"\n'
        '[digest]\nfrom = "Bench <digest@bench.example.org>"\n'
        'unsubscribe_url = "https://bench.example.org/u?token={token}"\n'
        f"connections = {connections}\n{smtp}", encoding="utf-8")


def run(folder: pathlib.Path) -> tuple:
    start = time.perf_counter()
    process = subprocess.Popen([str(BINARY), "digest", "--send", "--quiet", "--now", "2025-06-01T00:00:00Z"],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"gazette failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)

    print(f"{'transport':<28} {'messages':>9} {'seconds':>8} {'msg/s':>8} {'peak MiB':>9}")
    for connections in args.connections:
        counter = Counter()
        port = free_port()
        controller = Controller(counter, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            with tempfile.TemporaryDirectory(prefix="gazette-digest-bench-") as tmp:
                folder = pathlib.Path(tmp)
                site(folder, args.subscribers, f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = "none"\n', connections)
                elapsed, peak = run(folder)
        finally:
            controller.stop()
        if counter.count != args.subscribers:
            sys.exit(f"server received {counter.count} of {args.subscribers}")
        name = f"SMTP, {connections} connection{'s' if connections > 1 else ''}"
        print(f"{name:<28} {counter.count:>9} {elapsed:>8.2f} {counter.count / elapsed:>8.0f} {peak:>9.1f}")

    with tempfile.TemporaryDirectory(prefix="gazette-digest-bench-") as tmp:
        folder = pathlib.Path(tmp)
        site(folder, args.subscribers, "", 1)
        elapsed, peak = run(folder)
        written = sum(1 for _ in (folder / "outbox").rglob("*.eml"))
        print(f"{'outbox (.eml files)':<28} {written:>9} {elapsed:>8.2f} {written / elapsed:>8.0f} {peak:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
