"""A support centre's installation: fill a database, then measure the busy pages through the real server.

    uv run python bench/scale.py                          # PostgreSQL, 10,000 organisations
    uv run python bench/scale.py --db sqlite --orgs 1000  # SQLite, 1,000 organisations
    uv run python bench/scale.py --reuse                  # measure again without refilling

PostgreSQL: the database `--pg-db` (default scale_bench) on 127.0.0.1:5432 is dropped and created again
(kept afterwards, so `--reuse` can measure it again). SQLite: a data folder under /tmp (kept likewise).
Steps, each printed:
1. Fill (bench/scalefill.py) with COPY or executemany, and report the time.
2. Start `sonae up --no-worker` (waitress, 8 threads) on `--port`, log `--clients` clients in through the
   allauth form (CSRF token, session cookie) for each person measured.
3. Per page, `--requests` GETs spread over the clients' threads after 3 warm-up requests: median and
   p95 (and errors, which must be 0).
4. The peer benchmark query in process (`selectors.peer_benchmark`) for `--peer-samples` organisations
   of different groups, for each instrument.
5. The SQL queries of each page in process (Django's CaptureQueriesContext around the test client), for
   a large and a small variant (e.g. 300 and 30 advisor clients): the two must be equal.
Exit status 1 when a request failed or a query count grows with the rows shown. Not part of the tests.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402

import scalefill  # noqa: E402

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def prepare_database(args) -> dict:
    """Environment for this process and the server; a fresh database unless --reuse."""
    env = {"SONAE_LOG_LEVEL": "WARNING", "SONAE_SITE_URL": f"http://127.0.0.1:{args.port}"}
    if args.db == "postgres":
        import psycopg

        url = f"postgres://postgres@127.0.0.1:5432/{args.pg_db}"
        if not args.reuse:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{args.pg_db}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{args.pg_db}"')
        env["DATABASE_URL"] = url
        env["SONAE_DATA_DIR"] = str(Path(tempfile.gettempdir()) / f"{args.pg_db}-data")
    else:
        data_dir = Path(args.sqlite_dir)
        if not args.reuse and data_dir.exists():
            for name in ("sonae.sqlite3", "sonae.sqlite3-wal", "sonae.sqlite3-shm"):
                (data_dir / name).unlink(missing_ok=True)
        env["SONAE_DATA_DIR"] = str(data_dir)
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    return env


def setup_django():
    from sonae.cli import django_setup

    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def describe(filled_path: Path) -> scalefill.Filled:
    return scalefill.Filled(**json.loads(filled_path.read_text()))


# -- the server and its clients ------------------------------------------------------------------


def start_server(env: dict, port: int, threads: int, worker: bool = False) -> subprocess.Popen:
    """`sonae up` on `port`; without its in-process worker unless `worker` (pages only are measured)."""
    server = subprocess.Popen(
        [sys.executable, "-c", "from sonae.cli import main; main()", "up", *([] if worker else ["--no-worker"]),
         "--port", str(port), "--threads", str(threads)],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"sonae up exited early:\n{server.stdout.read()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("sonae up did not answer /healthz in time")


def logged_in_client(base: str, email: str) -> httpx.Client:
    """A client signed in through the real allauth form (CSRF token from the page, session cookie)."""
    client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post("/accounts/login/", data={"csrfmiddlewaretoken": token, "login": email,
                                                      "password": scalefill.BENCH_PASSWORD},
                           headers={"Referer": f"{base}/accounts/login/"})
    if response.status_code != 302 or "sessionid" not in client.cookies:
        raise SystemExit(f"login of {email} failed: {response.status_code} {response.headers.get('location')}")
    return client


def api_client(base: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"})


def measure(clients: list[httpx.Client], path: str, marker: str, requests: int) -> dict:
    for client in clients[:1] * 3:  # warm-up: templates, catalog, connection of each thread
        client.get(path)

    def one(i: int) -> tuple[float, bool]:
        client = clients[i % len(clients)]
        start = time.perf_counter()
        try:
            response = client.get(path)
            ok = response.status_code == 200 and marker in response.text
        except httpx.HTTPError:
            ok = False
        return (time.perf_counter() - start) * 1000, ok

    with concurrent.futures.ThreadPoolExecutor(len(clients)) as pool:
        results = list(pool.map(one, range(requests)))
    times = [t for t, _ok in results]
    return {"median_ms": statistics.median(times), "p95_ms": percentile(times, 95), "errors": sum(not ok for _t, ok in results),
            "requests": requests}


# -- in process: the peer benchmark query and the query counts ---------------------------------------


def peer_query_times(samples: int) -> dict[str, dict]:
    """Time selectors.peer_benchmark for organisations of `samples` different groups, per instrument."""
    from sonae.assessments import selectors
    from sonae.catalog.instruments import load_instruments
    from sonae.orgs.models import Organisation

    firsts = {}
    for org in Organisation.objects.order_by("id").only("id", "industry", "employee_band"):
        firsts.setdefault((org.industry, org.employee_band), org)
        if len(firsts) >= samples:
            break
    out = {}
    for instrument in load_instruments():
        times, sizes = [], []
        for org in firsts.values():
            for _repeat in range(3):
                start = time.perf_counter()
                peer = selectors.peer_benchmark(org=org, instrument_id=instrument.id)
                times.append((time.perf_counter() - start) * 1000)
            sizes.append(peer.group_size if peer else 0)
        out[instrument.id] = {"median_ms": statistics.median(times), "p95_ms": percentile(times, 95),
                              "groups": len(firsts), "median_group": statistics.median(sizes)}
    return out


def query_count(user_email: str | None, path: str, token: str | None = None) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_HOST": "127.0.0.1", **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {})}
    client = Client(**headers)
    if user_email:
        client.force_login(get_user_model().objects.get(email=user_email))
    client.get(path)  # the first request of a session may write it; count the steady state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in process")
    return len(queries)


def pages(filled: scalefill.Filled) -> list[dict]:
    """Each measured page: who opens it, its large and small variant, and a text it must contain."""
    from sonae.assessments.models import Diagnosis

    def latest_ipa(org_id: int) -> int:
        return Diagnosis.objects.filter(org_id=org_id, instrument_id="ipa-5min", status="submitted").latest("id").id

    big, small = filled.showcase_org, filled.small_org
    owner, small_owner = filled.showcase_owner, filled.small_owner
    tokens = scalefill.API_TOKENS
    return [
        {"name": "advisor portfolio", "who": filled.advisor_300, "path": "/advisor/",
         "small_who": filled.advisor_30, "small_path": "/advisor/", "marker": "株式会社スケール", "rows": "300 / 30 clients"},
        {"name": "dashboard", "who": owner, "path": f"/o/{big}/", "small_who": small_owner, "small_path": f"/o/{small}/",
         "marker": "株式会社スケール", "rows": "showcase / small organisation"},
        {"name": "results page", "who": owner, "path": f"/o/{big}/diagnoses/{latest_ipa(big)}/results/",
         "small_who": small_owner, "small_path": f"/o/{small}/diagnoses/{latest_ipa(small)}/results/",
         "marker": "<svg", "rows": "8 / 1 submitted IPA runs"},
        {"name": "diagnosis list", "who": owner, "path": f"/o/{big}/diagnoses/", "small_who": small_owner,
         "small_path": f"/o/{small}/diagnoses/", "marker": "診断", "rows": "36 / 8 runs"},
        {"name": "diagnosis history (IPA)", "who": owner, "path": f"/o/{big}/diagnoses/history/ipa-5min/",
         "small_who": small_owner, "small_path": f"/o/{small}/diagnoses/history/ipa-5min/", "marker": "診断",
         "rows": "8 / 1 runs"},
        {"name": "action list", "who": owner, "path": f"/o/{big}/actions/", "small_who": small_owner,
         "small_path": f"/o/{small}/actions/", "marker": "対策", "rows": "200 / 2 actions, 50 a page"},
        {"name": "API GET /api/diagnoses", "token": tokens["showcase"], "path": "/api/diagnoses",
         "small_token": tokens["small"], "small_path": "/api/diagnoses", "marker": "instrument_id", "rows": "36 / 8 runs"},
        {"name": "API GET /api/actions", "token": tokens["showcase"], "path": "/api/actions?status=all",
         "small_token": tokens["small"], "small_path": "/api/actions?status=all", "marker": "title", "rows": "200 / 2 actions"},
        {"name": "API GET /api/documents", "token": tokens["showcase"], "path": "/api/documents",
         "small_token": tokens["small"], "small_path": "/api/documents", "marker": "kind", "rows": "12 / 1 documents"},
        {"name": "document list", "who": owner, "path": f"/o/{big}/documents/", "small_who": small_owner,
         "small_path": f"/o/{small}/documents/", "marker": "下書き", "rows": "12 / 1 documents"},
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--orgs", type=int, default=None, help="organisations (default 10,000 on PostgreSQL, 1,000 on SQLite)")
    parser.add_argument("--pg-db", default="scale_bench", help="PostgreSQL database to (re)create")
    parser.add_argument("--sqlite-dir", default=str(Path(tempfile.gettempdir()) / "scale-bench-sqlite"))
    parser.add_argument("--reuse", action="store_true", help="measure the database filled by an earlier run")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument("--clients", type=int, default=4, help="client threads (each its own session)")
    parser.add_argument("--requests", type=int, default=60, help="requests per page")
    parser.add_argument("--peer-samples", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    args.orgs = args.orgs or (10_000 if args.db == "postgres" else 1_000)
    if args.orgs < 40:
        parser.error("--orgs must be 40 or more (the advisors need clients)")

    env = prepare_database(args)
    print(f"database: {args.db}, load average {load_average()}")
    setup_django()
    filled_path = Path(env["SONAE_DATA_DIR"]) / "scale-filled.json"
    if args.reuse:
        filled = describe(filled_path)
        print(f"reusing {filled.orgs} organisations filled earlier ({filled.seconds:.1f} s then)")
    else:
        print(f"filling {args.orgs} organisations …")
        filled = scalefill.fill(orgs=args.orgs)
        filled_path.parent.mkdir(parents=True, exist_ok=True)
        filled_path.write_text(json.dumps(filled.__dict__))
        print(f"filled in {filled.seconds:.1f} s: {filled.orgs} organisations, {filled.users} users, "
              f"{filled.memberships} members, {filled.diagnoses} diagnoses, {filled.answers} answers, "
              f"{filled.actions} actions, {filled.advisors} advisors with {filled.grants} grants")

    results: dict = {"db": args.db, "orgs": filled.orgs, "fill_seconds": filled.seconds, "fill": filled.__dict__,
                     "load_before": load_average(), "pages": {}}
    measured = pages(filled)
    server = start_server(env, args.port, args.threads)
    base = f"http://127.0.0.1:{args.port}"
    failed = False
    try:
        sessions: dict[str, list[httpx.Client]] = {}
        for page in measured:
            if page.get("who") and page["who"] not in sessions:
                sessions[page["who"]] = [logged_in_client(base, page["who"]) for _ in range(args.clients)]
        for page in measured:
            clients = sessions[page["who"]] if page.get("who") else [api_client(base, page["token"]) for _ in range(args.clients)]
            figures = measure(clients, page["path"], page["marker"], args.requests)
            results["pages"][page["name"]] = figures
            failed |= figures["errors"] > 0
            print(f"  {page['name']:<28} median {figures['median_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms"
                  f"  errors {figures['errors']}")
    finally:
        server.terminate()
        server.wait(10)
    results["load_after"] = load_average()

    print("peer benchmark query (in process):")
    results["peer"] = peer_query_times(args.peer_samples)
    for instrument_id, figures in results["peer"].items():
        print(f"  {instrument_id:<20} median {figures['median_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms"
              f"  ({figures['groups']} groups, median group {figures['median_group']:.0f})")

    print("SQL queries per page (in process, large / small variant):")
    for page in measured:
        large = query_count(page.get("who"), page["path"], page.get("token"))
        small = query_count(page.get("small_who"), page["small_path"], page.get("small_token"))
        results["pages"][page["name"]].update({"queries": large, "queries_small": small, "rows": page["rows"]})
        grows = large != small
        failed |= grows
        print(f"  {page['name']:<28} {large:3d} / {small:3d}  ({page['rows']}){'  GROWS' if grows else ''}")

    print(f"load average after: {load_average()}")
    print()
    print(f"| page | median | p95 | queries (large / small) |  — {args.db}, {filled.orgs} organisations")
    print("|---|---|---|---|")
    for name, figures in results["pages"].items():
        print(f"| {name} | {figures['median_ms']:.1f} ms | {figures['p95_ms']:.1f} ms | "
              f"{figures['queries']} / {figures['queries_small']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
