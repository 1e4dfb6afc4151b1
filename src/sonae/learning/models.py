"""定期的に学習する: the organisation's own training entries, assignments and their completion, quiz plays.

Catalogue trainings (catalog/data/learning/trainings.yaml) are not stored: an assignment names one by its
catalog id, or points to one of the organisation's own entries. Completions and quiz plays belong to one
member each and are kept when an assignment is withdrawn, so the record of who learned what stays.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text


def _material_path(instance: OwnTraining, filename: str) -> str:
    # Never the uploader's file name on disk: a random name under the organisation's folder.
    return f"learning/{instance.org_id}/{secrets.token_hex(12)}.pdf"


class OwnTraining(models.Model):
    """A training the organisation adds itself: a link (http/https) or an uploaded PDF, with topic tags."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="own_trainings")
    title = models.CharField(_("題名"), max_length=200, validators=[validate_plain_text])
    url = models.URLField(_("教材のURL"), max_length=500, blank=True)
    file = models.FileField(_("PDFファイル"), upload_to=_material_path, blank=True, max_length=200)
    file_name = models.CharField(_("元のファイル名"), max_length=200, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    topics = models.JSONField(_("トピック"), default=list, blank=True)
    description = models.TextField(_("説明"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("独自の教材")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return f"own-{self.pk}"


class Assignment(models.Model):
    """Owners and editors ask members (or everyone) to take one training by a date."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="training_assignments")
    catalog_id = models.CharField(_("教材"), max_length=60, blank=True)
    own_training = models.ForeignKey(OwnTraining, verbose_name=_("独自の教材"), on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="assignments")
    everyone = models.BooleanField(_("メンバー全員"), default=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("対象のメンバー"), blank=True, related_name="+")
    due_date = models.DateField(_("期限"))
    note = models.CharField(_("ひとこと"), max_length=200, blank=True, validators=[validate_plain_text])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("取り下げた日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("学習の割り当て")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["org", "withdrawn_at", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(catalog_id="") & models.Q(own_training__isnull=False))
                | (~models.Q(catalog_id="") & models.Q(own_training__isnull=True)),
                name="learning_assignment_one_training",
            ),
        ]

    def __str__(self) -> str:
        from .selectors import training_title

        return training_title(self)

    @property
    def training_key(self) -> str:
        return self.catalog_id or f"own-{self.own_training_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Completion(models.Model):
    """A member finished an assigned training (on the date they say), with their answer to the check question."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, verbose_name=_("割り当て"), on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("メンバー"), on_delete=models.CASCADE, related_name="+")
    completed_on = models.DateField(_("受講した日"))
    answer = models.PositiveSmallIntegerField(_("確認問題の回答"), null=True, blank=True)
    correct = models.BooleanField(_("確認問題の正誤"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("受講の記録")
        ordering = ["-completed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "user"], name="learning_one_completion_per_member")]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.assignment}"


class QuizPlay(models.Model):
    """One play of the FACT or FAKE quiz by one member: the generated messages, the answers, the score."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="quiz_plays")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("メンバー"), on_delete=models.CASCADE, related_name="+")
    seed = models.BigIntegerField()
    # The messages as generated (sonae.engines.quiz.QuizItem fields): the key never leaves the server
    # before the member has answered.
    items = models.JSONField(default=list)
    answers = models.JSONField(default=list)  # "fake" / "real" per item, in order
    correct = models.PositiveSmallIntegerField(_("正解数"), default=0)
    started_at = models.DateTimeField(_("開始日時"), default=timezone.now)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("クイズの記録")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["org", "user", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.correct}/{len(self.items)}"

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.count) if self.count else 0
