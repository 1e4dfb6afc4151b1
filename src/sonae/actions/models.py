"""Action items: one thing a named person should do by a date, whatever made it necessary.

An item may come from a weak diagnosis answer, a risk in the risk register, or nowhere (typed in by
hand). The origin is kept generically (`source_type` + `source_id` + a readable `source_label`) so
other areas can link their own objects without this app knowing their models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("未着手")
        IN_PROGRESS = "in_progress", _("対応中")
        DONE = "done", _("完了")

    # Known values of source_type; other apps may use their own ("<app>.<model>").
    SOURCE_ANSWER = "assessments.answer"

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("やること"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(_("説明"), blank=True, max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_action_items",
    )
    due_date = models.DateField(_("期限"), null=True, blank=True)
    status = models.CharField(_("状況"), max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("メモ"), blank=True, max_length=5000)
    evidence_url = models.URLField(_("証跡のURL"), blank=True, max_length=500)
    source_type = models.CharField(max_length=50, blank=True, db_index=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("対策")
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["org", "status"]), models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_done and self.due_date is not None and self.due_date < today
