"""The nightly backup (02:30 Tokyo time, after the day's work and before the 03:17 housekeeping)."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from .models import BackupRecord
from .services import backup_run


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_backup() -> dict | None:
    if settings.SONAE_BACKUP_KEEP < 1:
        return None  # scheduled backups switched off: the operator backs up another way
    # Several workers (several app servers) must not write the same night's backup twice at once.
    with HUEY.lock_task("sonae-nightly-backup"):
        record = backup_run(trigger=BackupRecord.Trigger.SCHEDULE)
    return {"status": record.status, "file": record.file_name, "rows": record.rows, "error": record.error}
