"""Load run: 20 simulated people doing sonae's journeys for 10 minutes against `sonae up` (locust).

    uv run --group bench python bench/load.py --db sqlite            # 1,000 organisations
    uv run --group bench python bench/load.py --db postgres          # 10,000 organisations
    uv run --group bench python bench/load.py --minutes 1 --users 5  # a short check

Prepares the data like bench/scale.py (fresh PostgreSQL database `--pg-db`, default scale_load, or a
SQLite data folder under /tmp; the owners of organisations 1–N are the simulated people), starts
`sonae up` (waitress, 8 threads, its in-process worker) on `--port`, runs bench/locustfile.py headless
with locust, samples the load average every 30 s, and prints per request type: count, failures,
throughput, median and p95. Exit status 1 when any request failed. Not part of the tests; the machine
is shared, so read the figures with the load average printed next to them.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402
import scalefill  # noqa: E402


def sample_load(samples: list[str], stop: threading.Event) -> None:
    while not stop.wait(30):
        samples.append(scale.load_average())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("--orgs", type=int, default=None, help="organisations (default 10,000 on PostgreSQL, 1,000 on SQLite)")
    parser.add_argument("--pg-db", default="scale_load")
    parser.add_argument("--sqlite-dir", default=str(Path(tempfile.gettempdir()) / "scale-load-sqlite"))
    parser.add_argument("--port", type=int, default=8151)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.orgs = args.orgs or (10_000 if args.db == "postgres" else 1_000)
    args.reuse, args.threads = False, 8

    env = scale.prepare_database(args)
    scale.setup_django()
    print(f"filling {args.orgs} organisations ({args.db}) …")
    filled = scalefill.fill(orgs=args.orgs, log=lambda _line: None)
    print(f"filled in {filled.seconds:.1f} s")
    server = scale.start_server(env, args.port, args.threads, worker=True)
    base = f"http://127.0.0.1:{args.port}"
    prefix = Path(tempfile.mkdtemp(prefix="sonae-load-")) / "stats"
    samples = [scale.load_average()]
    stop = threading.Event()
    sampler = threading.Thread(target=sample_load, args=(samples, stop), daemon=True)
    sampler.start()
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    try:
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(args.minutes * 60)}s", "-H", base,
             "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
            env={**scale.os.environ, **env, "SONAE_LOAD_PEOPLE": str(args.users)}, check=False,
        )
    finally:
        stop.set()
        samples.append(scale.load_average())
        server.terminate()
        server.wait(20)

    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print()
    print(f"{args.db}, {filled.orgs} organisations, {args.users} users, {args.minutes:g} min from {started}; "
          f"load average (1/5/15 min) sampled every 30 s: {samples[0]} … {samples[-1]}, "
          f"highest 1-min {max(float(s.split()[0]) for s in samples):.2f}")
    print("| request | count | failures | req/s | median | p95 |")
    print("|---|---|---|---|---|---|")
    failures = 0
    for row in rows:
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.2f} | "
              f"{row['50%']} ms | {row['95%']} ms |")
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures and failures_csv.exists():
        print(failures_csv.read_text())
    if args.json:
        args.json.write_text(json.dumps({"db": args.db, "orgs": filled.orgs, "users": args.users, "minutes": args.minutes,
                                         "started": started, "load": samples, "rows": rows}, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
