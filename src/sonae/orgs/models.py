"""Organisations, the people in them, and the record of what they changed."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import PREFECTURE_CHOICES, ROLE_RANK, EmployeeBand, Industry, Role
from .validators import validate_corporate_number_field, validate_plain_text


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests; the plain value is shown once and never kept."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Organisation(models.Model):
    name = models.CharField(_("組織名"), max_length=100, validators=[validate_plain_text])
    corporate_number = models.CharField(
        _("法人番号"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^\d{13}$", _("法人番号は13桁の数字で入力してください。")), validate_corporate_number_field],
        help_text=_("13桁。個人事業主の場合は空欄のままで構いません。"),
    )
    industry = models.CharField(_("業種（日本標準産業分類 大分類）"), max_length=1, choices=Industry.choices)
    employee_band = models.CharField(_("従業員数"), max_length=8, choices=EmployeeBand.choices)
    prefecture = models.CharField(_("所在地（都道府県）"), max_length=4, choices=PREFECTURE_CHOICES)
    # Where the head office (主たる事業所) is: city programmes such as Yokohama's loans depend on it.
    city = models.CharField(
        _("所在地（市区町村）"), max_length=40, blank=True, validators=[validate_plain_text],
        help_text=_("本社（主たる事業所）の市区町村。市や区の支援策を調べるのに使います（例：横浜市、横浜市中区）。"),
    )
    require_mfa = models.BooleanField(
        _("メンバーに多要素認証を必須にする"),
        default=False,
        help_text=_("オンにすると、多要素認証を設定していないメンバーは設定を済ませるまでこの組織のページを開けません。"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("組織")
        ordering = ["name", "id"]
        # The peer benchmark looks organisations up by industry and size on every results page.
        indexes = [models.Index(fields=["industry", "employee_band"], name="org_peer_group")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ユーザー"), on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "org"], name="one_membership_per_user_and_org")]
        ordering = ["org__name", "id"]
        verbose_name = _("メンバー")

    def __str__(self) -> str:
        return f"{self.user} @ {self.org} ({self.role})"


class AdvisorGrant(models.Model):
    """An owner lets a person from a support organisation (支援者) into the organisation."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="advisor_grants")
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("支援者"), on_delete=models.CASCADE, related_name="advisor_grants")
    role = models.CharField(
        _("権限"), max_length=10, choices=[(Role.VIEWER, _("閲覧のみ")), (Role.EDITOR, _("編集可"))]
    )
    advisor_org_name = models.CharField(_("支援機関名"), max_length=100, blank=True, validators=[validate_plain_text])
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("支援者のアクセス")

    def __str__(self) -> str:
        return f"{self.advisor} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Invitation(models.Model):
    """A link that lets one person join an organisation with a role, or as an advisor."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices)
    as_advisor = models.BooleanField(_("支援者として招待する"), default=False)
    note = models.CharField(_("メモ（宛先など）"), max_length=200, blank=True, validators=[validate_plain_text])
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("招待")

    def __str__(self) -> str:
        return f"{self.get_role_display()}{_('（支援者）') if self.as_advisor else ''} {self.note}".strip()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    def get_status_display(self) -> str:
        return {
            "accepted": _("受諾済み"),
            "revoked": _("取り消し済み"),
            "expired": _("期限切れ"),
            "open": _("有効"),
        }[self.status]


class SetupToken(models.Model):
    """The one-time link printed by `sonae up` while no user exists yet."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("作成")
        UPDATE = "update", _("変更")
        DELETE = "delete", _("削除")

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    # Keys in `changes` that are not model fields.
    EXTRA_LABELS = {
        "revoked": _("取り消し"), "user": _("ユーザー"), "advisor": _("支援者"), "approved": _("承認"),
        "instrument": _("診断票"), "version": _("版"), "answers": _("回答"), "template": _("ひな形"), "risk": _("リスク"),
        "shared": _("メンバーに公開"), "fields": _("入力した項目"), "replaced": _("内容の置き換え"),
        "copied_from": _("コピー元の版"), "api_key": _("APIキー"), "document": _("文書"),
        "file": _("ファイル"),
        "training": _("教材"), "withdrawn": _("取り下げ"), "count": _("問題数"), "reminders_off": _("停止したお知らせ"),
    }

    def model_class(self):
        """The model this entry is about (entries store "app_label.model_name")."""
        from django.apps import apps

        try:
            return apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return next((m for m in apps.get_models() if m._meta.model_name == self.object_type), None)

    @property
    def object_type_label(self) -> str:
        model = self.model_class()
        return str(model._meta.verbose_name) if model else self.object_type

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field label, old value or None, new value) with choice labels instead of codes."""
        from django.core.exceptions import FieldDoesNotExist

        model = self.model_class()
        rows = []
        for key, value in (self.changes or {}).items():
            field = None
            if model is not None:
                try:
                    field = model._meta.get_field(key)
                except FieldDoesNotExist:
                    field = None
            label = str(getattr(field, "verbose_name", None) or self.EXTRA_LABELS.get(key, key))

            def show(v, field=field):
                if field is not None and getattr(field, "choices", None):
                    return dict(field.flatchoices).get(v, v)
                if v is True:
                    return _("はい")
                if v is False:
                    return _("いいえ")
                if v in (None, ""):
                    return "—"
                return v

            if isinstance(value, list) and len(value) == 2:
                rows.append((label, show(value[0]), show(value[1])))
            else:
                rows.append((label, None, show(value)))
        return rows


def role_at_least(role: str | None, needed: str) -> bool:
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(needed)]
