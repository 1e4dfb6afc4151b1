"""The organisation's own and trusted domains, and the incident inbox (周りに相談・報告する).

A check stores nothing. Only when a member presses "report" is the message filed here: the text
that was checked (or the raw mail as a file in the default storage), the verdict and findings as
they were at that moment, and the reporter's note. Owners and editors read and close reports; the
reporter sees their own reports (status, who closed them, the reply written for them), never others'.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrustedDomain(models.Model):
    class Kind(models.TextChoices):
        OWN = "own", _("自社のドメイン")
        PARTNER = "partner", _("取引先・金融機関のドメイン")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="trusted_domains")
    # Lower-case ASCII (punycode for Japanese domains), normalised by the message engine's host rules.
    domain = models.CharField(_("ドメイン"), max_length=253)
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices, default=Kind.PARTNER)
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("信頼するドメイン")
        ordering = ["kind", "domain"]
        constraints = [models.UniqueConstraint(fields=["org", "domain"], name="checks_trusted_domain_unique")]

    def __str__(self) -> str:
        return self.domain

    @property
    def domain_unicode(self) -> str:
        from sonae.engines.messages.hosts import normalise_host

        return normalise_host(self.domain).unicode


def _report_mail_path(instance: IncidentReport, filename: str) -> str:
    # Never the uploader's file name: a random name under the organisation's folder.
    import secrets

    return f"checks/{instance.org_id}/{secrets.token_hex(12)}.eml"


class IncidentReport(models.Model):
    class Kind(models.TextChoices):
        SMS = "sms", _("SMS・文章")
        URL = "url", _("URL")
        MAIL = "mail", _("メール")

    class Verdict(models.TextChoices):
        DANGER = "danger", _("危険")
        CAUTION = "caution", _("注意")
        NONE = "none", _("問題は見つかりませんでした")

    class Status(models.TextChoices):
        OPEN = "open", _("未対応")
        CLOSED = "closed", _("対応済み")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="incident_reports")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    verdict = models.CharField(_("判定"), max_length=10, choices=Verdict.choices)
    score = models.PositiveSmallIntegerField(_("危険度の点数"), default=0)
    findings = models.JSONField(default=list, blank=True)
    # Subject, sender, reply-to, links and attachments of a mail as the checker read them.
    details = models.JSONField(default=dict, blank=True)
    # The SMS text or URL as submitted; for a mail, the sanitised text the checker showed (never HTML).
    text = models.TextField(blank=True)
    text_truncated = models.BooleanField(default=False)
    # The raw mail (.eml bytes), kept as a file so an owner can forward it to the police or IPA.
    mail_file = models.FileField(upload_to=_report_mail_path, blank=True, max_length=200)
    mail_size = models.PositiveIntegerField(default=0)
    note = models.TextField(_("報告者からのメモ"), blank=True, max_length=2000)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    owner_note = models.TextField(_("対応メモ"), blank=True, max_length=4000)  # for owners and editors only
    # Written when closing, for the reporter: shown on their "自分の報告" page and sent to them by mail.
    reply = models.TextField(_("報告した人へのひとこと"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("報告されたメッセージ")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["org", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.reported_at):%Y-%m-%d %H:%M}" if self.reported_at else self.get_kind_display()

    @property
    def subject(self) -> str:
        return (self.details or {}).get("subject") or ""

    @property
    def headline(self) -> str:
        """One line for the inbox list: the subject, else the start of the text."""
        first = self.subject or " ".join(self.text.split())
        return first[:80] + ("…" if len(first) > 80 else "")
