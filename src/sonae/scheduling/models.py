"""One row per run of a periodic task and scheduled time: the claim that lets exactly one run happen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    task = models.CharField(_("処理"), max_length=100)
    # The scheduled minute this run is for (not when it started): every scheduler enqueues the same slot.
    slot = models.DateTimeField(_("予定日時"))
    started_at = models.DateTimeField(_("開始日時"))
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    runner = models.CharField(_("実行したプロセス"), max_length=200, blank=True)
    error = models.TextField(_("エラー"), blank=True)

    class Meta:
        verbose_name = _("定期処理の実行")
        ordering = ["-slot", "task"]
        constraints = [models.UniqueConstraint(fields=["task", "slot"], name="one_periodic_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.task} @ {self.slot:%Y-%m-%d %H:%M}"
