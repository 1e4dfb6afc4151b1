"""備えの点検: the loop's daily score snapshots, the reminder digest's records and settings, calendar feeds.

- LoopSnapshot: one row per organisation and day, so the loop score has a history to chart.
- ReminderOptOut: a member turned one kind of reminder off for one organisation (default: all on).
- DigestMail: at most one reminder digest per person and day (the unique constraint is the guard).
- DigestEntry: what a digest told a person about, per item and window, so nothing is sent twice.
- CalendarFeed: a member's secret .ics address; only the SHA-256 of the secret is stored, like API tokens.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("診断の時期")
    LEARNING = "learning", _("学習の期限")
    RULES = "rules", _("ルールの確認と見直し")
    ACTIONS = "actions", _("対策の期限とリスクの見直し")


class LoopSnapshot(models.Model):
    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="loop_snapshots")
    day = models.DateField(_("日付"))
    score = models.PositiveSmallIntegerField(_("点検スコア"))
    areas = models.JSONField(default=dict)  # area -> score 0-100, for the explanation of a past day

    class Meta:
        verbose_name = _("点検スコアの記録")
        ordering = ["org", "day"]
        constraints = [models.UniqueConstraint(fields=["org", "day"], name="loop_one_snapshot_per_day")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.day} {self.score}"


class ReminderOptOut(models.Model):
    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("お知らせの種類"), max_length=20, choices=ReminderKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("お知らせメールの停止")
        constraints = [models.UniqueConstraint(fields=["org", "user", "kind"], name="loop_one_optout_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} ✗ {self.kind}"


class DigestMail(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("お知らせメール")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="loop_one_digest_per_day")]


class DigestEntry(models.Model):
    """One item a digest mentioned: `key` names the object ("assignment:12"), `window` when ("soon", "over-2")."""

    digest = models.ForeignKey(DigestMail, on_delete=models.CASCADE, related_name="entries")
    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=80)
    window = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "user", "key", "window"], name="loop_one_entry_per_window")]


class CalendarFeed(models.Model):
    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("カレンダー配信")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.org_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
