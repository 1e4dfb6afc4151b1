"""情報収集: the organisation's IT assets, the advisories imported from published feeds, and their matches.

Advisories are public data shared by the whole installation (imported by an administrator from a file);
assets, matches and the record of who was told by mail belong to one organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text


class Asset(models.Model):
    class Kind(models.TextChoices):
        VPN = "vpn", _("VPN機器")
        FIREWALL = "firewall", _("ファイアウォール・UTM")
        ROUTER = "router", _("ルーター・Wi-Fi")
        SERVER = "server", _("サーバー")
        NAS = "nas", _("NAS・バックアップ装置")
        PC = "pc", _("パソコン")
        MOBILE = "mobile", _("スマートフォン・タブレット")
        CLOUD = "cloud", _("クラウドサービス")
        SOFTWARE = "software", _("ソフトウェア")
        OTHER = "other", _("その他")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名前"), max_length=100, validators=[validate_plain_text],
                            help_text=_("社内での呼び名（例：本社VPN、経理PC）。"))
    vendor = models.CharField(_("メーカー"), max_length=100, blank=True, validators=[validate_plain_text])
    product = models.CharField(_("製品名"), max_length=100, blank=True, validators=[validate_plain_text],
                               help_text=_("脆弱性情報に書かれる名前で（例：FortiOS、PAN-OS、Windows 11）。"))
    version = models.CharField(_("バージョン"), max_length=50, blank=True, validators=[validate_plain_text])
    cpe = models.CharField(_("CPE名（分かる場合）"), max_length=200, blank=True, validators=[validate_plain_text],
                           help_text=_("例：cpe:/h:corega:cg-wgr1200。分かるとより正確に照合できます。"))
    caretaker = models.CharField(_("管理している人・会社"), max_length=100, blank=True, validators=[validate_plain_text])
    note = models.CharField(_("メモ"), max_length=500, blank=True, validators=[validate_plain_text])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("IT資産")
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["org", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def urgent_kind(self) -> bool:
        """VPN devices are the main way in for ransomware (police figures), so their matches are mailed."""
        return self.kind == self.Kind.VPN


class AdvisoryImport(models.Model):
    """One `sonae advisories import FILE`: what was read, when, and how much was new."""

    source = models.CharField(_("形式"), max_length=20)
    file_name = models.CharField(_("ファイル名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    feed_version = models.CharField(_("フィードの版"), max_length=40, blank=True)
    total = models.PositiveIntegerField(_("件数"), default=0)
    created = models.PositiveIntegerField(_("新しい件数"), default=0)
    new_matches = models.PositiveIntegerField(_("新しく該当した数"), default=0)
    imported_at = models.DateTimeField(_("取り込んだ日時"), default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("脆弱性情報の取り込み")

    def __str__(self) -> str:
        return f"{self.source} {self.file_name}"


class Advisory(models.Model):
    class Source(models.TextChoices):
        JVN = "jvn", "JVN iPedia"
        KEV = "kev", "CISA KEV"

    source = models.CharField(_("出典"), max_length=10, choices=Source.choices)
    ident = models.CharField(_("番号"), max_length=60)
    title = models.CharField(_("題名"), max_length=300)
    summary = models.TextField(_("概要"), blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    cves = models.JSONField(default=list, blank=True)
    products = models.JSONField(default=list, blank=True)  # [{"vendor", "product", "cpe"}]
    # " fortinet paloaltonetworks ": the normalised vendor names (and CPE vendors), so the advisories
    # about one asset's vendor are found with one indexed-free LIKE instead of reading every advisory.
    vendor_keys = models.CharField(max_length=1000, blank=True, editable=False)
    severity = models.CharField(_("深刻度"), max_length=10, blank=True)
    score = models.FloatField(_("CVSS"), null=True, blank=True)
    published = models.DateField(_("公表日"), null=True, blank=True)
    kev = models.BooleanField(_("悪用が確認されている（KEV）"), default=False)
    ransomware = models.BooleanField(_("ランサムウェアで使われた"), default=False)
    due_date = models.DateField(_("対応期限（KEV）"), null=True, blank=True)
    last_import = models.ForeignKey(AdvisoryImport, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("脆弱性情報")
        ordering = ["-published", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "ident"], name="assets_advisory_unique")]

    def __str__(self) -> str:
        return f"{self.ident} {self.title}"[:200]

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.severity, _("不明")))


SEVERITY_LABELS = {"critical": _("緊急"), "high": _("重要"), "medium": _("警告"), "low": _("注意")}


class AdvisoryMatch(models.Model):
    class How(models.TextChoices):
        CPE = "cpe", _("CPE名が一致")
        NAME = "name", _("メーカー名と製品名が一致")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="matches")
    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="matches")
    how = models.CharField(_("照合の根拠"), max_length=10, choices=How.choices)
    found_at = models.DateTimeField(_("見つけた日時"), default=timezone.now)

    class Meta:
        verbose_name = _("該当する脆弱性情報")
        ordering = ["-found_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["asset", "advisory"], name="assets_one_match_per_pair")]

    def __str__(self) -> str:
        return f"{self.asset} ← {self.advisory.ident}"


class AdvisoryNotice(models.Model):
    """A mail told this person about this advisory for this organisation: never again (recorded first)."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "advisory", "user"], name="assets_one_notice_per_person")]
