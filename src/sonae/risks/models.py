"""The risk register: gen-AI, cyber and disaster risks with likelihood × impact and a review date.

The seminar of 2025-12-11 asks for 定期チェック of the six gen-AI risks; cyber risks live in the same
register so one heat map shows where the company stands.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text

SCALE = [(n, str(n)) for n in range(1, 6)]


class Risk(models.Model):
    class Category(models.TextChoices):
        GENAI = "genai", _("生成AI")
        CYBER = "cyber", _("サイバー")
        DISASTER = "disaster", _("自然災害")
        OTHER = "other", _("その他")

    class Status(models.TextChoices):
        OPEN = "open", _("未対応")
        TREATING = "treating", _("対策中")
        ACCEPTED = "accepted", _("受容（現状で許容）")
        CLOSED = "closed", _("終了")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("リスク"), max_length=200, validators=[validate_plain_text])
    category = models.CharField(_("分類"), max_length=10, choices=Category.choices, default=Category.CYBER)
    description = models.TextField(_("内容（何が起きると、どうなるか）"), blank=True, max_length=5000)
    likelihood = models.PositiveSmallIntegerField(_("起こりやすさ"), choices=SCALE, default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    impact = models.PositiveSmallIntegerField(_("影響の大きさ"), choices=SCALE, default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("責任者"), on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_risks")
    review_date = models.DateField(_("次の見直し日"), null=True, blank=True)
    status = models.CharField(_("状況"), max_length=10, choices=Status.choices, default=Status.OPEN)
    countermeasures = models.TextField(_("対策"), blank=True, max_length=5000)
    actions = models.ManyToManyField("actions.ActionItem", verbose_name=_("関連する対策項目"), blank=True, related_name="risks")
    template_id = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("リスク")
        ordering = ["-id"]
        indexes = [models.Index(fields=["org", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        # A common 5×5 banding: 15+ high, 8–14 medium, below low.
        return "high" if self.score >= 15 else "medium" if self.score >= 8 else "low"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_closed and self.review_date is not None and self.review_date < today
