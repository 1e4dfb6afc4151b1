"""Each periodic task runs once per scheduled time, however many schedulers enqueue it.

Every Huey consumer started with periodic tasks enqueues them when their time comes: `sonae up`
without --no-worker, each `sonae worker`, and a consumer restarted within the minute checks that minute
again. Several app servers sharing one Redis would so send the daily mails several times. Before a
periodic task executes, the hook claims its slot (task name + the scheduled minute) with an INSERT
into PeriodicRun under a unique constraint; whoever inserts second cancels its copy. After the run,
the row gets its end time (and the error, if any), which also tells an operator when each task last ran.

Only for a real consumer: in tests Huey runs tasks immediately (`immediate`), where a test may call the
same periodic function twice on purpose.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY
from huey.exceptions import CancelExecution

log = logging.getLogger(__name__)

KEEP_DAYS = 90
# How far back to look for the minute a late-running task was scheduled for (a busy queue).
LOOK_BACK_MINUTES = 24 * 60


def scheduled_slot(task: PeriodicTask, now: dt.datetime) -> dt.datetime:
    """The latest minute at or before `now` (Huey's clock: naive local time) at which `task` was due;
    `now`'s own minute when none is found within a day."""
    minute = now.replace(second=0, microsecond=0)
    for back in range(LOOK_BACK_MINUTES + 1):
        candidate = minute - dt.timedelta(minutes=back)
        if task.validate_datetime(candidate):
            return candidate
    return minute


def _aware(naive: dt.datetime) -> dt.datetime:
    return naive.replace(tzinfo=dt.timezone.utc) if HUEY.utc else timezone.make_aware(naive)


def _fresh_connection() -> None:
    """Drop a connection past its age or broken (as Huey's db_task does around a task), but never one in
    the middle of a transaction (a test's)."""
    if not connection.in_atomic_block:
        close_old_connections()


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def claim(task: PeriodicTask, now: dt.datetime | None = None) -> bool:
    """Record the run of `task` for its slot; False when another process already has it."""
    from .models import PeriodicRun

    slot = _aware(scheduled_slot(task, now or HUEY._get_timestamp()))
    _fresh_connection()
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(task=task.name, slot=slot, started_at=timezone.now(), runner=runner_name())
    except IntegrityError:
        return False
    task.sonae_slot = slot
    return True


@HUEY.pre_execute()
def claim_periodic_slot(task) -> None:
    if HUEY.immediate or not isinstance(task, PeriodicTask):
        return
    if not claim(task):
        log.info("periodic task %s already ran for this time in another process; skipped", task.name)
        raise CancelExecution()


@HUEY.post_execute()
def record_periodic_end(task, task_value, exc) -> None:
    slot = getattr(task, "sonae_slot", None)
    if slot is None:
        return
    from .models import PeriodicRun

    PeriodicRun.objects.filter(task=task.name, slot=slot).update(
        finished_at=timezone.now(), error="" if exc is None else f"{type(exc).__name__}: {exc}"[:2000]
    )
    PeriodicRun.objects.filter(task=task.name, slot__lt=timezone.now() - dt.timedelta(days=KEEP_DAYS)).delete()
    _fresh_connection()
