"""Nightly backups into the backup folder: written, proven by restoring, recorded, pruned; the staleness rule."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
import time_machine
from django.utils import timezone

from sonae.backup import BackupError
from sonae.backups.models import BackupRecord
from sonae.backups.selectors import backup_health
from sonae.backups.services import backup_run, backups_prune, verify_in_new_process
from sonae.backups.tasks import nightly_backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def folder(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.SONAE_BACKUP_DIR = tmp_path / "backups"
    media = settings.DATA_DIR / "media" / "reports"
    media.mkdir(parents=True)
    (media / "届いたメール.eml").write_bytes(b"Subject: test\r\n\r\nbody")
    return settings.SONAE_BACKUP_DIR


def test_nightly_task_writes_a_verified_backup_and_records_it(folder, org):
    result = nightly_backup.call_local()
    record = BackupRecord.objects.get()
    assert result == {"status": "ok", "file": record.file_name, "rows": record.rows, "error": ""}
    assert record.status == BackupRecord.Status.OK and record.trigger == BackupRecord.Trigger.SCHEDULE
    path = folder / record.file_name
    assert path.is_file() and record.size_bytes == path.stat().st_size
    assert record.file_name.startswith("sonae-backup-") and record.files == 1
    assert oct(path.stat().st_mode & 0o777) == "0o600" and oct(folder.stat().st_mode & 0o777) == "0o700"
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert record.rows == sum(manifest["row_counts"].values()) and manifest["row_counts"]["orgs.Organisation"] == 1
    assert manifest["files"][0]["path"] == "reports/届いたメール.eml" and len(manifest["files"][0]["sha256"]) == 64
    assert not list(folder.glob("*.partial"))


def test_the_task_is_due_at_half_past_two_tokyo_time():
    from huey.contrib.djhuey import HUEY

    due = lambda hour, minute: [t.name for t in HUEY.read_periodic(dt.datetime(2026, 12, 2, hour, minute))]  # noqa: E731
    assert any(name.endswith("nightly_backup") for name in due(2, 30))
    assert not any(name.endswith("nightly_backup") for name in due(3, 30))


def test_nightly_task_does_nothing_when_switched_off(folder, settings, org):
    settings.SONAE_BACKUP_KEEP = 0
    assert nightly_backup.call_local() is None
    assert not BackupRecord.objects.exists() and not folder.exists()


def test_a_failed_backup_is_recorded_and_leaves_no_file(tmp_path, settings, org):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.SONAE_BACKUP_DIR = blocker / "backups"
    record = backup_run(trigger=BackupRecord.Trigger.COMMAND, verify=False)
    assert record.status == BackupRecord.Status.FAILED and "Not a directory" in record.error
    assert record.rows == 0 and record.finished_at >= record.started_at


def test_verification_refuses_a_damaged_file(tmp_path):
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(BackupError, match="restore check failed"):
        verify_in_new_process(damaged)


def test_two_backups_in_one_second_keep_both(folder, org):
    with time_machine.travel(dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC), tick=False):
        first = backup_run(trigger=BackupRecord.Trigger.COMMAND, verify=False)
        second = backup_run(trigger=BackupRecord.Trigger.COMMAND, verify=False)
    assert first.file_name == "sonae-backup-20261202-023000.zip"  # Tokyo time in the name
    assert second.file_name == "sonae-backup-20261202-023000-2.zip"
    assert (folder / first.file_name).is_file() and (folder / second.file_name).is_file()


def test_retention_keeps_the_newest_good_backups_only(folder, settings, org):
    settings.SONAE_BACKUP_KEEP = 2
    start = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)
    names = []
    for night in range(4):
        with time_machine.travel(start + dt.timedelta(days=night), tick=False):
            names.append(backup_run(trigger=BackupRecord.Trigger.SCHEDULE, verify=False).file_name)
    BackupRecord.objects.create(started_at=start, finished_at=start + dt.timedelta(days=9), status="failed",
                                trigger="schedule", error="disk full")
    (folder / "copied-by-hand.zip").write_bytes(b"not ours")
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names[2:], "copied-by-hand.zip"])
    removed = BackupRecord.objects.filter(removed_at__isnull=False).values_list("file_name", flat=True)
    assert sorted(removed) == sorted(names[:2])
    assert backups_prune(keep=2) == []  # a failed backup never pushes a good one out
    assert BackupRecord.objects.count() == 5  # records stay as history


def _record(finished: dt.datetime, status="ok") -> BackupRecord:
    return BackupRecord.objects.create(started_at=finished, finished_at=finished, status=status, trigger="schedule",
                                       file_name="f.zip", error="" if status == "ok" else "disk full")


def test_backups_become_stale_after_two_days(alice, settings):
    now = timezone.now()
    type(alice).objects.filter(pk=alice.pk).update(date_joined=now - dt.timedelta(days=1))
    assert not backup_health(now).stale  # a new installation has not had its nights yet
    assert backup_health(now + dt.timedelta(days=2, minutes=1)).stale
    good = _record(now)
    assert not backup_health(now + dt.timedelta(days=2)).stale
    health = backup_health(now + dt.timedelta(days=2, minutes=1))
    assert health.stale and health.last_good == good and health.last_failed is None
    failed = _record(now + dt.timedelta(days=1), status="failed")
    assert backup_health(now + dt.timedelta(days=3)).last_failed == failed
    settings.SONAE_BACKUP_KEEP = 0
    assert not backup_health(now + dt.timedelta(days=30)).stale


def test_an_empty_installation_is_never_stale(db):
    assert not backup_health(timezone.now() + dt.timedelta(days=400)).stale
