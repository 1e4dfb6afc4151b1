"""Diagnoses (one run of an instrument by an organisation), their answers, and policy evidence.

The questions, scale and bands live in the catalog (sonae.catalog.instruments); a run records
the instrument id *and version* it was answered against, and on submission a snapshot of the
total, maximum and band, so history keeps its meaning after an instrument file changes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text


class Diagnosis(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("回答中")
        SUBMITTED = "submitted", _("提出済み")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="diagnoses")
    instrument_id = models.CharField(_("診断票"), max_length=50)
    instrument_version = models.CharField(_("診断票の版"), max_length=20)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("開始した人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(_("開始日時"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出した人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    # Snapshot taken on submission (scores as they were under instrument_version).
    total = models.IntegerField(_("合計点"), null=True, blank=True)
    max_total = models.IntegerField(_("満点"), null=True, blank=True)
    band = models.CharField(_("判定"), max_length=50, blank=True)
    part_scores = models.JSONField(_("パート別の得点"), default=dict, blank=True)

    class Meta:
        verbose_name = _("診断")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["org", "instrument_id", "status"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} {timezone.localtime(self.started_at):%Y-%m-%d} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def run_date(self):
        """The date a run counts for: submission date, or start date for a draft."""
        return timezone.localdate(self.submitted_at or self.started_at)


class Answer(models.Model):
    diagnosis = models.ForeignKey(Diagnosis, verbose_name=_("診断"), on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(_("設問"), max_length=50)
    points = models.IntegerField(_("得点"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回答した人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("回答")
        constraints = [models.UniqueConstraint(fields=["diagnosis", "item_id"], name="one_answer_per_item")]
        ordering = ["diagnosis", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}={self.points}"


def _evidence_path(instance, filename: str) -> str:
    return f"policy-evidence/{instance.org_id}/{filename}"


class PolicyEvidence(models.Model):
    """An existing, published 情報セキュリティ基本方針 recorded by an owner (a file or a URL).

    Counts towards SECURITY ACTION ★★ until the documents area holds the policy itself.
    """

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="policy_evidence")
    title = models.CharField(_("文書名"), max_length=200, validators=[validate_plain_text])
    published_url = models.URLField(_("公開しているURL"), blank=True, max_length=500)
    file = models.FileField(
        _("ファイル"),
        upload_to=_evidence_path,
        blank=True,
        max_length=300,
        validators=[FileExtensionValidator(["pdf", "docx", "doc", "odt", "txt", "png", "jpg", "jpeg"])],
    )
    published_on = models.DateField(_("公開日"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("公開済みの情報セキュリティ基本方針")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class DueReminder(models.Model):
    """A reminder mail sent because the next run after `diagnosis` became due (one per run)."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="due_reminders")
    diagnosis = models.OneToOneField(Diagnosis, on_delete=models.CASCADE, related_name="due_reminder")
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("診断のリマインダー")
