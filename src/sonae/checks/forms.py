from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from sonae.engines.messages.hosts import normalise_host

from .models import TrustedDomain

MAIL_EXTENSIONS = (".eml", ".msg", ".txt")


class PastedTextField(forms.CharField):
    """Pasted text as it is: NUL and other control characters reach the engine, which names the problem."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class SmsForm(forms.Form):
    text = PastedTextField(
        label=_("SMS・メッセージの本文"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 7, "placeholder": _("届いたSMSやメッセージの本文をそのまま貼り付けてください。")}),
        help_text=_("リンクは開かずに、文章ごとコピーして貼り付けてください。"),
        error_messages={"required": _("本文を入力してください。")},
    )


class UrlForm(forms.Form):
    url = PastedTextField(
        label=_("確認したいURL"),
        widget=forms.TextInput(attrs={"placeholder": "https://", "autocomplete": "off", "spellcheck": "false", "inputmode": "url"}),
        help_text=_("リンクを開かずに、URLだけをコピーして貼り付けてください。"),
        error_messages={"required": _("URLを入力してください。")},
    )


class MailForm(forms.Form):
    file = forms.FileField(
        label=_("メールのファイル（.eml / .msg）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".eml,.msg,message/rfc822,application/vnd.ms-outlook"}),
        help_text=_("メールソフトで「名前を付けて保存」したファイルを選んでください。メールの中身はこの画面に表示されるだけで、報告しない限り保存されません。"),
        error_messages={"required": _("ファイルを選んでください。"), "empty": _("ファイルが空です。")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(MAIL_EXTENSIONS):
            raise forms.ValidationError(_("メールのファイル（.eml または .msg）を選んでください。"))
        return upload


class ReportForm(forms.Form):
    """The 周りに相談・報告する button: the checked content comes back and is checked again."""

    kind = forms.ChoiceField(choices=[("sms", "sms"), ("url", "url"), ("mail", "mail")], widget=forms.HiddenInput)
    content = PastedTextField(required=False, strip=False, widget=forms.HiddenInput)
    note = PastedTextField(
        label=_("管理者へのメモ（任意）"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("例：リンクを開いてしまいました／取引先を名乗っていますが心当たりがありません")}),
        help_text=_("リンクを開いてしまった、入力してしまった、などがあれば必ず書いてください。"),
    )


def refuse_control_characters(value: str) -> None:
    """Free text shown to someone else (and mailed): line breaks and tabs only, no other control characters."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value):
        raise forms.ValidationError(_("制御文字など表示できない文字が含まれています。取り除いてから保存してください。"))


class CloseForm(forms.Form):
    reply = forms.CharField(
        label=_("報告した人へのひとこと（任意）"), required=False, max_length=1000, validators=[refuse_control_characters],
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("例：報告ありがとうございました。偽物でした。削除してください。")}),
        help_text=_("報告した人の「自分の報告」ページに表示され、メールでも届きます。"),
    )
    owner_note = forms.CharField(
        label=_("対応メモ（管理者だけが見ます）"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("例：本人に確認。リンクは開いていない。迷惑メールとして削除するよう伝えた。")}),
    )


def normalise_domain(raw: str) -> str:
    """A domain as typed (maybe a URL, an address or full-width) → lower-case ASCII, or ValidationError."""
    value = (raw or "").strip()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.rpartition("@")[2].strip().lstrip("*.").split("/")[0]
    if not value or len(value) > 253 or any(ch.isspace() for ch in value):
        raise forms.ValidationError(_("ドメイン名を入力してください（例：example.co.jp）。"))
    host = normalise_host(value)
    if host.is_ip:
        raise forms.ValidationError(_("IPアドレスではなく、ドメイン名を入力してください。"))
    if not host.valid or not host.registrable or ":" in host.ascii:
        raise forms.ValidationError(_("ドメイン名として正しくありません（例：example.co.jp）。"))
    return host.ascii


class TrustedDomainForm(forms.Form):
    domain = forms.CharField(
        label=_("ドメイン"), max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "example.co.jp", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("メールアドレスの @ より後ろ、またはホームページのアドレスのドメイン部分です。日本語ドメインも入力できます。"),
        error_messages={"required": _("ドメイン名を入力してください（例：example.co.jp）。"), "max_length": _("ドメイン名が長すぎます。")},
    )
    kind = forms.ChoiceField(label=_("種類"), choices=TrustedDomain.Kind.choices, initial=TrustedDomain.Kind.PARTNER)
    note = forms.CharField(label=_("メモ（取引先名など）"), max_length=200, required=False)

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org

    def clean_domain(self):
        domain = normalise_domain(self.cleaned_data["domain"])
        if self.org is not None and TrustedDomain.objects.filter(org=self.org, domain=domain).exists():
            raise forms.ValidationError(_("このドメインはすでに登録されています。"))
        return domain
