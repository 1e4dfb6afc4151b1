"""Background tasks: immediate in tests, SQLite storage by default, Redis with REDIS_URL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from sonae.orgs.models import Invitation
from sonae.orgs.services import invitation_create
from sonae.orgs.tasks import cleanup

SCRIPT = """
from huey.contrib.djhuey import HUEY
from sonae.orgs.tasks import cleanup
print(type(HUEY).__name__, HUEY.immediate)
import datetime, time
import sonae.loop.tasks  # registers the daily reminder digest, as the consumer does at start
due = [task.name for task in HUEY.read_periodic(datetime.datetime(2026, 11, 27, 8, 5))]
print("clock", HUEY.utc, time.strftime("%z"), any(name.endswith("daily_digest") for name in due))
HUEY.flush()
result = cleanup()
task = HUEY.dequeue()
HUEY.execute(task)
print("result", result.get())
HUEY.flush()
"""


def test_cleanup_deletes_only_dead_invitations(alice, org):
    live, _ = invitation_create(org=org, by=alice, role="viewer")
    dead, _ = invitation_create(org=org, by=alice, role="viewer")
    Invitation.objects.filter(pk=dead.pk).update(expires_at=timezone.now() - dt.timedelta(days=200))
    assert cleanup()() == {"invitations": 1, "setup_tokens": 0}
    assert list(Invitation.objects.values_list("pk", flat=True)) == [live.pk]


def _run(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update({"SONAE_DATA_DIR": str(tmp_path), **env})
    subprocess.run([sys.executable, "-c", "from sonae.cli import main; main()", "manage", "migrate", "-v", "0"], env=environment, check=True, timeout=300)
    return subprocess.run(
        [sys.executable, "-c", "from sonae.cli import main; main()", "manage", "shell", "-c", SCRIPT],
        env=environment, capture_output=True, text=True, timeout=300,
    )


def test_sqlite_queue_round_trip(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "SqliteHuey False" in result.stdout and "result {" in result.stdout
    # Periodic tasks fire on Tokyo time: 08:05 local is when the daily reminder digest runs.
    assert "clock False +0900 True" in result.stdout


def test_redis_queue_round_trip(tmp_path):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    result = _run(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    assert result.returncode == 0, result.stderr
    assert "RedisHuey False" in result.stdout and "result {" in result.stdout
