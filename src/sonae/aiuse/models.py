"""Rule files uploaded for the 社内ルールQ&A, the organisation's stored Q&A index, and its settings.

The use cases themselves are catalog data (sonae.catalog.use_cases); an organisation adopts one by
adding it to its 生成AI利用ガイドライン (a documents app draft), and its use is recorded in the AI usage
log (sonae.aicheck.models.AiUsage.use_case / .department), so no model here repeats either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text


def _rule_file_path(instance: RuleFileVersion, filename: str) -> str:
    # The stored name is ours (never the uploaded one): no path tricks, no clashes.
    return f"rules/{instance.org_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.sha256[:16]}.{instance.format}"


class RuleFile(models.Model):
    """A rule the organisation keeps outside sonae's builders (就業規則, 経費規程…), as uploaded files.

    Each upload of a new edition is a RuleFileVersion; the latest one is current. A withdrawn rule is
    no longer used by the Q&A, but its files stay for the record.
    """

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="rule_files")
    title = models.CharField(_("題名"), max_length=100, validators=[validate_plain_text])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("取り下げた日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("規程ファイル")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class RuleFileVersion(models.Model):
    class Format(models.TextChoices):
        MARKDOWN = "md", "Markdown"
        DOCX = "docx", "Word (.docx)"
        PDF = "pdf", "PDF"

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    rule_file = models.ForeignKey(RuleFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版"))
    file = models.FileField(upload_to=_rule_file_path, max_length=200)
    original_name = models.CharField(_("ファイル名"), max_length=200)
    format = models.CharField(_("形式"), max_length=8, choices=Format.choices)
    size = models.PositiveIntegerField(_("大きさ"))
    sha256 = models.CharField(max_length=64)
    # The passages read from the file when it was uploaded (sonae.engines.retrieval.Passage.to_dict()),
    # so rebuilding the index never re-reads (or re-trusts) the file.
    passages = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("規程ファイルの版")
        ordering = ["rule_file", "-number"]
        constraints = [models.UniqueConstraint(fields=["rule_file", "number"], name="one_number_per_rule_file")]

    def __str__(self) -> str:
        return f"{self.rule_file.title} v{self.number}"

    @property
    def label(self) -> str:
        return f"第{self.number}版"


class RulesIndex(models.Model):
    """The organisation's Q&A index as last built (sonae.engines.retrieval.RulesIndex.to_dict()).

    `fingerprint` names exactly what went in (the approved versions, the current rule files, the
    engine's format); the Q&A compares it with what is current now and rebuilds when they differ, so an
    answer never comes from a superseded version even if the background rebuild has not run yet.
    """

    org = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="rules_index")
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    documents = models.PositiveIntegerField(default=0)
    passages = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("社内ルールQ&Aの索引")

    def __str__(self) -> str:
        return str(_("社内ルールQ&Aの索引"))


class AiuseSettings(models.Model):
    """How sonae's own pages use the organisation's AI gateway (the owner decides)."""

    org = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="aiuse_settings")
    model = models.CharField(_("使うモデル"), max_length=200, blank=True, validators=[validate_plain_text])
    answer_with_model = models.BooleanField(_("社内ルールQ&Aの回答文をAIで作る"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("生成AIの活用の設定")

    def __str__(self) -> str:
        return str(_("生成AIの活用の設定"))
