"""Several app servers on one PostgreSQL database and one Redis, with real processes.

Two `sonae up --no-worker`, one `sonae worker` and one plain `sonae up` (whose in-process worker also
schedules periodic tasks, the easy mistake with several servers) run against the test database and a
Redis database, each with its own data folder as on separate machines, all with the clock at 08:05
Tokyo time, when the daily reminder digest (with a diagnosis due again) is sent. The test checks that:
- a session made by logging in on server A is valid on server B, and logging out on B ends it on A;
- the digest runs once (one run recorded, one mail), though two schedulers enqueued it, and the tasks
  not due at 08:05 do not run at all.
Skipped unless the tests run on PostgreSQL and Redis answers (CI's PostgreSQL pass has both).
Redis: $SONAE_TEST_REDIS_URL, else $REDIS_URL, else redis://127.0.0.1:6379/0; every key is named by
a fresh SONAE_INSTANCE and deleted at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from sonae.assessments.models import Diagnosis, DueReminder
from sonae.catalog.instruments import get_instrument
from sonae.orgs.services import organisation_create
from sonae.scheduling.models import PeriodicRun
from support import PASSWORD

TOKYO = ZoneInfo("Asia/Tokyo")
CLOCK_RUN = Path(__file__).with_name("clock_run.py")
REDIS_URL = os.environ.get("SONAE_TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable ({exc}); CI's PostgreSQL pass has one")
    return client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    def __init__(self, env: dict, clock: str, tmp_path: Path):
        self.env, self.clock, self.tmp_path = env, clock, tmp_path
        self.running: dict[str, tuple[subprocess.Popen, Path]] = {}

    def start(self, name: str, *args: str) -> None:
        log = self.tmp_path / f"{name}.log"
        env = {**self.env, "SONAE_DATA_DIR": str(self.tmp_path / name)}
        process = subprocess.Popen([sys.executable, str(CLOCK_RUN), self.clock, *args], env=env,
                                   stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.running[name] = (process, log)

    def output(self, name: str) -> str:
        return self.running[name][1].read_text(errors="replace")

    def outputs(self) -> str:
        return "\n".join(f"--- {name}\n{self.output(name)}" for name in self.running)

    def wait_for(self, check, what: str, timeout: float = 120):
        deadline = time.monotonic() + timeout  # generous for a loaded CI machine; normally seconds
        while time.monotonic() < deadline:
            for name, (process, _log) in self.running.items():
                if process.poll() is not None:
                    raise AssertionError(f"{name} exited early while waiting for {what}:\n{self.outputs()}")
            result = check()
            if result:
                return result
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}:\n{self.outputs()}")

    def stop(self) -> None:
        for process, _log in self.running.values():
            if process.poll() is None:
                process.terminate()
        for process, _log in self.running.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def log_in(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post("/accounts/login/", data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
                           headers={"Referer": f"{base}/accounts/login/"})
    assert response.status_code == 302, response.text[:500]
    return client


@pytest.mark.django_db(transaction=True)
def test_two_servers_share_sessions_and_each_periodic_task_runs_once(tmp_path, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (one database for several servers); runs in the PostgreSQL pass of .ci/run")
    redis_client = redis_or_skip()
    instance = f"sonae-test-{uuid.uuid4().hex[:12]}"
    today = dt.datetime.now(TOKYO).date()
    clock = dt.datetime.combine(today, dt.time(8, 5), tzinfo=TOKYO)

    # Committed data the servers see: an owner with a real (PBKDF2) password and a diagnosis 7 months old.
    owner = django_user_model.objects.create(username="alice", email="alice@example.jp",
                                             password=PBKDF2PasswordHasher().encode(PASSWORD, "saltsalt1234"))
    org = organisation_create(owner=owner, name="株式会社横浜精工", corporate_number="", industry="E",
                              employee_band="6-20", prefecture="神奈川県")
    ipa = get_instrument("ipa-5min")  # due again after recheck_months (6)
    Diagnosis.objects.create(org=org, instrument_id=ipa.id, instrument_version=ipa.version, status="submitted",
                             started_by=owner, submitted_by=owner, submitted_at=clock - dt.timedelta(days=210),
                             started_at=clock - dt.timedelta(days=210), total=60, max_total=100, band=ipa.bands[0].id)

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL, "SONAE_INSTANCE": instance, "SONAE_SECRET_KEY": secrets.token_urlsafe(50),
        "PYTHONUNBUFFERED": "1", "SONAE_LOG_LEVEL": "INFO",
    })
    ports = {"a": free_port(), "b": free_port(), "c": free_port()}
    processes = Processes(env, clock.isoformat(), tmp_path)
    try:
        processes.start("a", "up", "--no-worker", "--port", str(ports["a"]), "--threads", "2")
        processes.start("b", "up", "--no-worker", "--port", str(ports["b"]), "--threads", "2")
        processes.start("worker", "worker", "--workers", "1")
        processes.start("c", "up", "--port", str(ports["c"]), "--threads", "1")
        base_a, base_b = (f"http://127.0.0.1:{ports[n]}" for n in "ab")
        processes.wait_for(lambda: healthy(base_a) and healthy(base_b), "servers A and B")

        # A session made on A is valid on B; logging out on B ends it on A.
        client = log_in(base_a, "alice@example.jp")
        on_b = httpx.get(f"{base_b}/o/{org.id}/", cookies=client.cookies, timeout=30)
        assert on_b.status_code == 200 and "株式会社横浜精工" in on_b.text
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', on_b.text).group(1)
        out = httpx.post(f"{base_b}/accounts/logout/", cookies=client.cookies, data={"csrfmiddlewaretoken": csrf},
                         headers={"Referer": f"{base_b}/o/{org.id}/"}, timeout=30)
        assert out.status_code == 302
        after = httpx.get(f"{base_a}/o/{org.id}/", cookies=client.cookies, timeout=30)
        assert after.status_code == 302 and "/accounts/login/" in after.headers["location"]

        # Both schedulers (the worker and C's in-process worker) enqueue the 08:05 digest; one runs it.
        processes.wait_for(lambda: PeriodicRun.objects.filter(finished_at__isnull=False).exists(), "the digest run")
        processes.wait_for(lambda: "already ran for this time in another process" in processes.outputs(),
                           "the second scheduler's copy to be skipped")
        runs = list(PeriodicRun.objects.values_list("task", "slot", "error"))
        assert len(runs) == 1 and runs[0][0].endswith("daily_digest") and runs[0][2] == ""
        assert runs[0][1] == clock
        assert DueReminder.objects.count() == 1
        mails = len(re.findall(r"^Subject: ", processes.outputs(), flags=re.MULTILINE))
        assert mails == 1, processes.outputs()
        # The app servers without a worker never scheduled or ran a task.
        for name in ("a", "b"):
            assert "periodic" not in processes.output(name).lower()
    finally:
        processes.stop()
        keys = list(redis_client.scan_iter(f"*{instance}*"))
        if keys:
            redis_client.delete(*keys)


@pytest.mark.parametrize("value", ["", "a b", "<script>alert(1)</script>", "x" * 65, "sonae\n*", "ソナエ"])
def test_bad_instance_name_stops_start_up(value, tmp_path):
    env = {**os.environ, "SONAE_INSTANCE": value, "SONAE_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-c", "import sonae.settings"], env=env, capture_output=True, text=True)
    if value == "":
        assert result.returncode == 0  # empty = unset: the default name
    else:
        assert result.returncode != 0 and "SONAE_INSTANCE must be" in result.stderr
