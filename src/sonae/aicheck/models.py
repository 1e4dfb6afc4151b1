"""The organisation's AI input policy, the gateway's tokens and upstream, and the usage log.

Nothing typed into the checker or sent through the gateway is stored unless the organisation
opted in (`AiPolicy.log_prompt_text`): the usage log keeps who, when, which model, token counts
and which *types* were found — never the values (seminar 2025-12-11: 活用状況のモニタリング without
creating a new leak).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text


class AiPolicy(models.Model):
    org = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="ai_policy")
    # {type: "block"|"mask"|"warn"}; types missing here use the engine's DEFAULT_ACTIONS.
    actions = models.JSONField(_("種類ごとの扱い"), default=dict, blank=True)
    # 入力禁止情報リスト: one term per line (customer names, code names, unreleased products).
    custom_terms = models.TextField(_("入力禁止の語句"), blank=True, max_length=100_000)
    log_page_checks = models.BooleanField(_("チェッカーの利用を記録する"), default=False)
    log_prompt_text = models.BooleanField(_("入力されたテキストも記録する"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("生成AIの入力ルール")

    def __str__(self) -> str:
        return str(_("生成AIの入力ルール"))

    def term_list(self) -> list[str]:
        return [line.strip() for line in self.custom_terms.splitlines() if line.strip()]


class GatewayToken(models.Model):
    """A member's key for the AI gateway (/v1/...). Stored as a SHA-256 digest; shown once.

    Separate from the REST API tokens so a tool given a gateway key cannot read or change
    the organisation's data.
    """

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="gateway_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gateway_tokens")
    name = models.CharField(_("名前（用途）"), max_length=100, validators=[validate_plain_text])
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ゲートウェイのトークン")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class GatewayUpstream(models.Model):
    """Where the gateway forwards an organisation's requests (an OpenAI-compatible API)."""

    org = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="gateway_upstream")
    base_url = models.URLField(_("接続先のURL"), max_length=500, blank=True)
    # Fernet token of the key (sonae.aicheck.secretbox); the plain key is never shown again.
    api_key_encrypted = models.TextField(blank=True)
    api_key_last4 = models.CharField(max_length=4, blank=True)
    allowed_models = models.TextField(_("使ってよいモデル"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ゲートウェイの接続先")

    def __str__(self) -> str:
        return str(_("ゲートウェイの接続先"))

    def model_list(self) -> list[str]:
        return [line.strip() for line in self.allowed_models.replace(",", "\n").splitlines() if line.strip()]


class AiUsage(models.Model):
    class Channel(models.TextChoices):
        PAGE = "page", _("チェッカー画面")
        API = "api", _("API")
        GATEWAY = "gateway", _("ゲートウェイ")

    class Outcome(models.TextChoices):
        SENT = "sent", _("そのまま送信")
        WARNED = "warned", _("注意つきで送信")
        MASKED = "masked", _("伏せ字にして送信")
        BLOCKED = "blocked", _("送信を止めた")
        CHECKED = "checked", _("チェックのみ")
        ERROR = "error", _("接続先のエラー")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="ai_usage")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    model = models.CharField(max_length=200, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    tokens_estimated = models.BooleanField(default=False)
    # {type: count} of what the checker found; types only, never values.
    found = models.JSONField(default=dict, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # Only when the organisation opted in (AiPolicy.log_prompt_text); the masked text then.
    prompt_text = models.TextField(blank=True)
    # Which use case of the catalogue (sonae.catalog.use_cases) the call served and the department making
    # it, when tagged (the use-case pages, the rules Q&A, or X-Sonae-Use-Case / X-Sonae-Department headers).
    use_case = models.CharField(_("用途"), max_length=64, blank=True)
    department = models.CharField(_("部署"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("生成AIの利用記録")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["org", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.outcome} {timezone.localtime(self.created_at):%Y-%m-%d}"
