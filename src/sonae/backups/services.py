"""Backups into the backup folder: write, prove by restoring, record, and keep the newest few."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from sonae.backup import BackupError, backup_to

from .models import BackupRecord

FILE_PREFIX = "sonae-backup-"
VERIFY_TIMEOUT = 60 * 60  # a big installation restores slowly; a hung check must not block the worker forever


def backup_folder() -> Path:
    return Path(settings.SONAE_BACKUP_DIR)


def verify_in_new_process(path: Path) -> dict:
    """Run `sonae backup --verify FILE --json` (a temporary installation of its own); its report or BackupError."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "sonae", "backup", "--verify", str(path), "--json"],
            capture_output=True, text=True, timeout=VERIFY_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(f"確認用の復元を実行できません / cannot run the restore check: {exc}") from exc
    try:
        report = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        report = {"ok": False, "error": (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]}
    if result.returncode != 0 or not report.get("ok"):
        raise BackupError(f"確認用の復元に失敗しました / the restore check failed: {str(report.get('error'))[:300]}")
    return report


def _free_name(folder: Path, stem: str) -> str:
    """A file name not taken yet (two backups within one second must not replace each other)."""
    name, number = f"{stem}.zip", 1
    while (folder / name).exists() or (folder / f"{name}.partial").exists():
        number += 1
        name = f"{stem}-{number}.zip"
    return name


def backup_run(*, trigger: str, verify: bool = True) -> BackupRecord:
    """Write a backup into the backup folder, prove it restores, record it and apply the retention count.

    The file is written under a `.partial` name and renamed only once it is proven, so a file with the
    final name is always a complete, restorable backup.
    """
    started = timezone.now()
    folder = backup_folder()
    name = _free_name(folder, f"{FILE_PREFIX}{timezone.localtime(started):%Y%m%d-%H%M%S}")
    final, partial = folder / name, folder / f"{name}.partial"
    record = BackupRecord(started_at=started, trigger=trigger, file_name=name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)  # a backup holds every organisation's data and the password hashes
        info = backup_to(partial)
        partial.chmod(0o600)
        if verify:
            verify_in_new_process(partial)
        partial.rename(final)
        record.status = BackupRecord.Status.OK
        record.engine, record.rows, record.files = info.engine, info.rows, info.files
        record.size_bytes = final.stat().st_size
    except (BackupError, OSError) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        record.status = BackupRecord.Status.FAILED
        record.error = str(exc)[:2000]
    record.finished_at = timezone.now()
    record.save()
    backups_prune(keep=settings.SONAE_BACKUP_KEEP)
    return record


def backups_prune(*, keep: int) -> list[str]:
    """Delete the files of good backups beyond the newest `keep`; the records stay as history.

    Only files this installation recorded are ever deleted; anything else in the folder is left alone.
    """
    if keep < 1:
        return []
    removed = []
    old = BackupRecord.objects.filter(status=BackupRecord.Status.OK, removed_at=None).order_by("-finished_at")[keep:]
    for record in list(old):
        (backup_folder() / record.file_name).unlink(missing_ok=True)
        record.removed_at = timezone.now()
        record.save(update_fields=["removed_at"])
        removed.append(record.file_name)
    return removed
