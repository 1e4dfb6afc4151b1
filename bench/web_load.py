"""Web load benchmark: the login page and the dashboard under `sonae up`, on SQLite and PostgreSQL.

    uv run python bench/web_load.py [--duration 10] [--connections 8] [--requests 400] [--only sqlite|postgres]

For each database the script starts `sonae up` on a free port with a fresh temporary
SONAE_DATA_DIR (PostgreSQL: a fresh database sonae_bench_<pid> on 127.0.0.1:5432, dropped at
the end), creates a user and an organisation with `sonae manage shell -c` and `sonae createorg`,
signs in through the real login form (CSRF token and session cookie), then loads
127.0.0.1 only: wrk (`apt-get install wrk`) for a fixed duration when it is installed,
otherwise a Python thread pool with a fixed number of requests. It prints the median and p95
response time and the requests per second for each page, then stops the server.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "bench@example.jp"
PASSWORD = "bench-Passw0rd-for-load"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), errors))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sonae(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["uv", "run", "--quiet", "sonae", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check)


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"sonae up exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("sonae up did not answer /healthz in time")


def sign_in(base: str) -> tuple[str, int]:
    """Log in through the form; returns the session cookie and the organisation id."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "login": EMAIL, "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"})
    response = opener.open(request)
    match = re.search(r"/o/(\d+)/", response.geturl())
    if not match:
        raise SystemExit(f"login did not reach a dashboard (ended at {response.geturl()})")
    session = next(c.value for c in jar if c.name == "sessionid")
    return f"sessionid={session}", int(match.group(1))


def run_wrk(url: str, cookie: str, duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", script.name]
        if cookie:
            args += ["-H", f"Cookie: {cookie}"]
        out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    requests, micros, p50, p95, errors = map(int, re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+)", out).groups())
    return {"requests": requests, "rps": requests / (micros / 1e6), "p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "errors": errors, "tool": "wrk"}


def run_pool(url: str, cookie: str, total: int, connections: int) -> dict:
    def one(_i: int) -> tuple[float, bool]:
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                ok = response.status == 200
        except OSError:
            ok = False
        return time.perf_counter() - start, ok

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        results = list(pool.map(one, range(total)))
    elapsed = time.perf_counter() - start
    times = sorted(t for t, _ok in results)
    return {
        "requests": total, "rps": total / elapsed, "p50_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95) - 1] * 1000, "errors": sum(not ok for _t, ok in results), "tool": "threads",
    }


def check_page(url: str, cookie: str, must_contain: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
    if response.status != 200 or must_contain not in body:
        raise SystemExit(f"{url} did not show {must_contain!r} (status {response.status})")


def bench_database(label: str, database_url: str | None, args) -> list[dict]:
    data_dir = Path(tempfile.mkdtemp(prefix="sonae-bench-"))
    env = {**os.environ, "SONAE_DATA_DIR": str(data_dir), "SONAE_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env["SONAE_SITE_URL"] = base
    server = subprocess.Popen(
        ["uv", "run", "--quiet", "sonae", "up", "--port", str(port)], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        wait_healthy(base, server)
        sonae("manage", "shell", "-c",
              f"from django.contrib.auth import get_user_model; get_user_model().objects.create_user(username='bench', email='{EMAIL}', password='{PASSWORD}')",
              env=env)
        sonae("createorg", "--name", "株式会社ベンチ工業", "--owner-email", EMAIL, "--industry", "E", "--prefecture", "神奈川県", env=env)
        cookie, org_id = sign_in(base)
        pages = [("login page", f"{base}/accounts/login/", "", "csrfmiddlewaretoken"),
                 ("dashboard", f"{base}/o/{org_id}/", cookie, "株式会社ベンチ工業")]
        results = []
        for name, url, page_cookie, marker in pages:
            check_page(url, page_cookie, marker)
            for _ in range(20):  # warm-up: imports, template cache, connections
                check_page(url, page_cookie, marker)
            if shutil.which("wrk") and not args.threads:
                result = run_wrk(url, page_cookie, args.duration, args.connections)
            else:
                result = run_pool(url, page_cookie, args.requests, args.connections)
            check_page(url, page_cookie, marker)  # still signed in and serving after the load
            results.append({"database": label, "page": name, **result})
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


def postgres_database():
    import psycopg

    name = f"sonae_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgres://postgres@127.0.0.1:5432/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page with wrk")
    parser.add_argument("--requests", type=int, default=400, help="requests per page with the thread pool")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--threads", action="store_true", help="use the Python thread pool even if wrk is installed")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()

    results = []
    if args.only in (None, "sqlite"):
        results += bench_database("SQLite", None, args)
    if args.only in (None, "postgres"):
        url, drop = postgres_database()
        try:
            results += bench_database("PostgreSQL", url, args)
        finally:
            drop()

    print(f"\nsonae up (waitress, 8 threads) on 127.0.0.1, {args.connections} connections, {os.cpu_count()} CPUs shared with the load tool")
    print(f"{'database':<11} {'page':<11} {'tool':<7} {'requests':>8} {'req/s':>7} {'median ms':>9} {'p95 ms':>7} {'errors':>6}")
    for r in results:
        print(f"{r['database']:<11} {r['page']:<11} {r['tool']:<7} {r['requests']:>8} {r['rps']:>7.1f} {r['p50_ms']:>9.1f} {r['p95_ms']:>7.1f} {r['errors']:>6}")
    if any(r["errors"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
