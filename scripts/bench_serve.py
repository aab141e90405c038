#!/usr/bin/env python3
"""Figures for the subscriber side, printed as a table:

- sign-up answer time for a known and an unknown address (the form must not
  tell them apart), median of N requests each;
- `gazette serve`'s peak resident memory while 20 clients download a 50 MB
  file at once (files are streamed, not read whole);
- `gazette bounces`' peak resident memory and time on an mbox of ~200 MB.

    python3 scripts/bench_serve.py --gazette target/release/gazette
"""

import argparse
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def rss_kib(pid: int) -> int:
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: bytes) -> float:
    start = time.perf_counter()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.urlopen(request, timeout=10).read()
    except urllib.error.HTTPError as e:
        e.read()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gazette", type=pathlib.Path, default=pathlib.Path("target/release/gazette"))
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    gazette = str(args.gazette.resolve())
    site = pathlib.Path(tempfile.mkdtemp(prefix="gazette-bench-serve-"))
    port = free_port()
    (site / "content").mkdir()
    (site / "content" / "a.md").write_text("---\ntitle: A\ndate: '2026-01-05'\n---\nHello.\n")
    # No relay: confirmations stay queued in the ledger, so the figures are
    # the server's own, not a mail server's.
    (site / "config.toml").write_text(
        f'title = "Bench"\nbase_url = "http://127.0.0.1:{port}/"\n\n'
        '[digest]\nfrom = "Bench <news@example.org>"\nsubscribers = "none.csv"\n\n'
        f'[serve]\nlisten = "127.0.0.1:{port}"\nper_ip_per_hour = 100000\nper_address_per_day = 100000\n\n'
        '[smtp]\nhost = "127.0.0.1"\nport = 9\ntls = "none"\ntimeout_secs = 1\n'
    )
    env = dict(os.environ, GAZETTE_DIGEST_SECRET="bench secret")
    subprocess.run([gazette, "build"], cwd=site, env=env, check=True, capture_output=True)
    (site / "feeds" / "big.mp3").write_bytes(os.urandom(1 << 20) * 50)
    subprocess.run([gazette, "subscribers", "add", "known@example.net", "--confirmed"],
                   cwd=site, env=env, check=True, capture_output=True)
    server = subprocess.Popen([gazette, "serve"], cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    server.stdout.readline()
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        known, unknown = [], []
        for i in range(args.requests):
            known.append(post(f"{base}/subscribe", b"email=known%40example.net"))
            unknown.append(post(f"{base}/subscribe", f"email=new{i}%40example.net".encode()))
        rows.append(("sign-up, known address (median ms)", f"{statistics.median(known):.2f}"))
        rows.append(("sign-up, new address (median ms)", f"{statistics.median(unknown):.2f}"))

        peak = [rss_kib(server.pid)]
        done = threading.Event()

        def watch():
            while not done.is_set():
                peak.append(rss_kib(server.pid))
                time.sleep(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()

        def download():
            with urllib.request.urlopen(f"{base}/big.mp3", timeout=60) as response:
                while response.read(1 << 16):
                    pass

        start = time.perf_counter()
        clients = [threading.Thread(target=download) for _ in range(20)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        done.set()
        watcher.join()
        rows.append(("serve peak RSS, 20 × 50 MB downloads (MiB)", f"{max(peak) / 1024:.1f}"))
        rows.append(("20 × 50 MB downloads (s)", f"{time.perf_counter() - start:.2f}"))
    finally:
        server.terminate()
        server.wait(timeout=10)

    dsn = (
        "From MAILER-DAEMON Sat Jun  7 10:00:00 2025\n"
        "From: MAILER-DAEMON@mx.example.net\nTo: bounces@example.org\nSubject: x\n"
        "Message-ID: <{n}@mx.example.net>\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
        "Final-Recipient: rfc822; r{n}@example.net\nAction: failed\nStatus: 5.1.1\n\n"
        "--B\nContent-Type: text/plain\n\n" + ("returned text line\n" * 600) + "--B--\n"
    )
    mbox = site / "big.mbox"
    with mbox.open("w") as out:
        n = 0
        while out.tell() < 200 << 20:
            out.write(dsn.format(n=n))
            n += 1
    start = time.perf_counter()
    timed = subprocess.run(["/usr/bin/time", "-f", "%M", gazette, "bounces", str(mbox)],
                           cwd=site, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak_kib = int(timed.stderr.strip().splitlines()[-1]) if timed.stderr.strip() else 0
    rows.append((f"bounces over a {mbox.stat().st_size >> 20} MB mbox, {n} reports: peak RSS (MiB)", f"{peak_kib / 1024:.1f}"))
    rows.append(("bounces over that mbox (s)", f"{elapsed:.2f}"))
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    subprocess.run(["rm", "-rf", str(site)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
