"""Plans and rules of an organisation, each a series of versions: draft → approved → superseded.

A version's content is the documents engine's plain dict (`data`); the engine validates and renders
it. Old versions are never changed once approved, so what people acknowledged stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.engines import documents as engine


class Kind(models.TextChoices):
    JIGYOKEI = "jigyokei", _("事業継続力強化計画")
    SECURITY_POLICY = "security-policy", _("情報セキュリティ基本方針")
    AI_GUIDELINE = "ai-guideline", _("生成AI利用ガイドライン")
    INCIDENT_RESPONSE = "incident-response", _("サイバーインシデント初動対応手順")


assert set(Kind.values) == set(engine.KINDS), "document kinds must match the engine's"


class Document(models.Model):
    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("種類"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("題名"), max_length=100)
    # Owners publish an approved rule to members; members then acknowledge its current version.
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("文書")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class DocumentVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        APPROVED = "approved", _("承認済み")
        SUPERSEDED = "superseded", _("旧版")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版"))
    data = models.JSONField(default=dict)
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # 情報セキュリティ基本方針: SECURITY ACTION ★★ asks for a published policy (where, recorded here).
    published = models.BooleanField(_("公開している"), default=False)
    published_url = models.URLField(_("公開しているURL"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("文書の版")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_number_per_document")]

    def __str__(self) -> str:
        return f"{self.document.title} v{self.number}"

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def label(self) -> str:
        return f"v{self.number}"


class Acknowledgement(models.Model):
    """A member confirmed they read one approved version of a shared rule."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(DocumentVersion, verbose_name=_("版"), on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("メンバー"), on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(_("確認した日時"), default=timezone.now)

    class Meta:
        verbose_name = _("ルールの確認")
        ordering = ["-acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="one_acknowledgement_per_version_and_user")]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.version}"


class RuleNotice(models.Model):
    """One mail asking one member to read one version of a shared rule.

    `window` 0 is the first notice (when the rule is published or a new version approved); window n is
    the reminder sent n × SONAE_RULE_REMINDER_DAYS days later while the member still has not acknowledged.
    At most one mail per version, member and window: the unique constraint is the guard.
    """

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    window = models.PositiveIntegerField(_("回"), default=0)
    sent_at = models.DateTimeField(_("送信日時"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("ルールのお知らせメール")
        constraints = [models.UniqueConstraint(fields=["version", "user", "window"], name="one_notice_per_version_user_window")]

    def __str__(self) -> str:
        return f"{self.version} → {self.user}"
