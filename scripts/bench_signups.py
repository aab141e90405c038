#!/usr/bin/env python3
"""Sign-ups per second through `gazette serve`, on each ledger store.

Starts `gazette serve` on 127.0.0.1 (confirmations go to Postfix's
`smtp-sink`, as in bench_digest.py), posts N sign-ups of distinct
addresses from C client threads (each HTTP/1.1 request on a connection of
its own, as browsers behind a proxy would), and prints sign-ups per second
and the median and 99th percentile latency for each store named:

    python3 scripts/bench_signups.py --signups 5000 --clients 8 \\
        --ledger sqlite postgres://gazette@127.0.0.1:5432/postgres

Each PostgreSQL run gets a database of its own on that server (created,
then dropped). Every sign-up is checked afterwards: the ledger must list
exactly N pending subscribers.

`--before PATH` also measures another gazette binary (say, one built from
the previous commit) in the same alternating runs, on rows marked
"before", so that a change is judged against the same machine state.
"""

import argparse
import http.client
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_digest  # noqa: E402  (the sink, the database per run, the binary)


def site(folder: pathlib.Path, sink_port: int, ledger: str) -> None:
    (folder / "content").mkdir(parents=True)
    (folder / "config.toml").write_text(
        'title = "Bench"\nbase_url = "https://bench.example.org/"\n'
        '[digest]\nfrom = "Bench <digest@bench.example.org>"\n'
        + (f'ledger = "{ledger}"\n' if ledger else "")
        + '[serve]\nper_ip_per_hour = 100000000\nper_address_per_day = 100\nbehind_proxy = true\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {sink_port}\ntls = "none"\n', encoding="utf-8")


def one_store(ledger: str, signups: int, clients: int, binary: pathlib.Path) -> tuple:
    sink = bench_digest.Sink()
    database = bench_digest.Database(ledger)
    with tempfile.TemporaryDirectory(prefix="gazette-serve-bench-") as tmp:
        folder = pathlib.Path(tmp)
        site(folder, sink.port, database.url)
        served = subprocess.Popen([str(binary), "serve", "--listen", "127.0.0.1:0"], cwd=folder,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = served.stdout.readline()
        port = int(line.strip().rsplit(":", 1)[1].rstrip("/"))
        latencies = []
        failures = []
        lock = threading.Lock()

        def client(first: int) -> None:
            for n in range(first, signups, clients):
                body = f"email=reader{n}%40example.net"
                start = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("POST", "/subscribe", body, {
                    "Content-Type": "application/x-www-form-urlencoded",
                    # A client address of its own for each, as the proxy says.
                    "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                })
                status = connection.getresponse().status
                connection.close()
                with lock:
                    latencies.append(time.perf_counter() - start)
                    if status != 200:
                        failures.append(status)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        served.terminate()
        served.wait()
        listed = subprocess.run([str(binary), "subscribers", "list", "--state", "pending", "--json"],
                                cwd=folder, check=True, capture_output=True, text=True).stdout
        pending = len(json.loads(listed))
    database.drop()
    sink.stop()
    if failures or pending != signups:
        sys.exit(f"{ledger}: {len(failures)} refused ({sorted(set(failures))}), {pending} of {signups} pending")
    latencies.sort()
    return signups / elapsed, statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signups", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--ledger", nargs="+", default=["sqlite"])
    parser.add_argument("--before", type=pathlib.Path, help="another gazette binary to measure in the same runs")
    args = parser.parse_args()
    bench_digest.ensure_postfix_tools()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=bench_digest.ROOT, check=True)
    binaries = {"": bench_digest.BINARY}
    if args.before:
        binaries["before"] = args.before.resolve()
    print(f"{args.signups} sign-ups from {args.clients} clients, medians of {args.runs} alternating runs")
    print(f"{'binary':>7} {'ledger':>10} {'sign-ups/s':>11} {'median ms':>10} {'p99 ms':>8} {'vs SQLite':>9}")
    results = {(label, ledger): [] for label in binaries for ledger in args.ledger}
    for _ in range(args.runs):
        for (label, ledger), runs in results.items():
            runs.append(one_store(ledger, args.signups, args.clients, binaries[label]))
    for (label, ledger), runs in results.items():
        sqlite = results.get((label, "sqlite"))
        base = statistics.median(r[0] for r in sqlite) if sqlite else None
        rate = statistics.median(r[0] for r in runs)
        median = statistics.median(r[1] for r in runs) * 1000
        p99 = statistics.median(r[2] for r in runs) * 1000
        versus = f"{rate / base:>9.0%}" if base else ""
        name = bench_digest.store_name(ledger)
        print(f"{label or 'this':>7} {name:>10} {rate:>11.0f} {median:>10.1f} {p99:>8.1f} {versus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
