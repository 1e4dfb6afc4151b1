"""A record of every backup written into the backup folder (nightly or by `sonae backup --now`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupRecord(models.Model):
    class Status(models.TextChoices):
        # ok: written, and proven by restoring it into a temporary installation (`sonae backup --verify`)
        OK = "ok", _("成功")
        FAILED = "failed", _("失敗")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("毎晩の定期実行")
        COMMAND = "command", _("コマンド")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    file_name = models.CharField(max_length=200, blank=True, help_text="name inside SONAE_BACKUP_DIR")
    size_bytes = models.BigIntegerField(default=0)
    rows = models.BigIntegerField(default=0)
    files = models.PositiveIntegerField(default=0)
    engine = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    # When the retention rule (SONAE_BACKUP_KEEP) deleted the file; the record stays as history.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("バックアップの記録")
        indexes = [models.Index(fields=["status", "-finished_at"], name="backups_status_finished")]

    def __str__(self) -> str:
        return f"{self.file_name or '-'} ({self.status})"
