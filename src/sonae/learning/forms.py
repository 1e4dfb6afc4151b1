"""Forms for learning: own trainings (a link or a PDF), assignments, marking a training done, quiz answers."""

from __future__ import annotations

import io
import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text

from .selectors import catalog_entries, own_entries, topic_choices

PDF_MAGIC = b"%PDF-"


def max_pdf_bytes() -> int:
    return int(getattr(settings, "SONAE_LEARNING_MAX_PDF_BYTES", 10 * 1024 * 1024))


def max_pdf_label() -> str:
    return f"{max_pdf_bytes() / (1024 * 1024):.0f}"


def clean_training_url(raw: str) -> str:
    """An http(s) address, or a ValidationError in the user's language. No scheme given means https://."""
    value = (raw or "").strip()
    if not value:
        return ""
    if len(value) > 500:
        raise ValidationError(_("URLが長すぎます（500文字まで）。"))
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or ch.isspace() for ch in value):
        raise ValidationError(_("URLに空白や制御文字は使えません。"))
    scheme = urlsplit(value).scheme.lower() if ":" in value.split("/", 1)[0] else ""
    if scheme and scheme not in ("http", "https"):
        raise ValidationError(_("登録できるのは http:// または https:// で始まるURLだけです（javascript: などは使えません）。"))
    if not scheme:
        value = "https://" + value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(_("URLとして読み取れません。https://から始まるアドレスを入力してください。")) from None
    return value


def check_pdf(upload) -> None:
    """Refuse a file over the size limit or one that is not really a PDF (whatever its name says)."""
    if upload.size > max_pdf_bytes():
        raise ValidationError(_("ファイルが大きすぎます（%(mb)s MBまで）。") % {"mb": max_pdf_label()})
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(0, upload.size - 2048))
    tail = upload.read(2048)
    upload.seek(0)
    if PDF_MAGIC not in head or b"%%EOF" not in tail:
        raise ValidationError(_("PDFファイルではありません。PDF形式（.pdf）のファイルを選んでください。"))
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("パスワード付きのPDFは登録できません。パスワードを外して保存し直してください。"))
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of errors on broken files; all mean the same to the user
        raise ValidationError(_("PDFファイルが壊れているか、読み取れません。")) from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError(_("PDFファイルにページがありません。"))


class OwnTrainingForm(forms.Form):
    title = forms.CharField(label=_("題名"), max_length=200, validators=[validate_plain_text])
    url = forms.CharField(label=_("URL"), required=False, max_length=2000,
                          help_text=_("動画や資料のページのアドレス（http:// または https://）。PDFを登録する場合は空欄で構いません。"))
    file = forms.FileField(label=_("PDFファイル"), required=False,
                           help_text=_("社内の研修資料などのPDF。URLとどちらか一方、または両方を登録します。"))
    remove_file = forms.BooleanField(label=_("登録済みのPDFを削除する"), required=False)
    topics = forms.MultipleChoiceField(label=_("トピック"), required=False, widget=forms.CheckboxSelectMultiple,
                                       help_text=_("診断の弱い項目やクイズの間違いに合わせて、この教材をおすすめします。"))
    description = forms.CharField(label=_("説明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["topics"].choices = topic_choices()
        self.fields["file"].help_text = _("社内の研修資料などのPDF（%(mb)s MBまで）。URLとどちらか一方、または両方を登録します。") % {"mb": max_pdf_label()}
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"
        if instance is None or not instance.file:
            del self.fields["remove_file"]

    def clean_url(self) -> str:
        return clean_training_url(self.cleaned_data.get("url", ""))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_pdf(upload)
        return upload

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("file")) or bool(self.instance and self.instance.file and not data.get("remove_file"))
        if not self.errors and not data.get("url") and not has_file:
            raise ValidationError(_("URLかPDFファイルのどちらかを登録してください。"))
        return data


class AssignmentForm(forms.Form):
    training = forms.ChoiceField(label=_("教材"))
    everyone = forms.BooleanField(label=_("メンバー全員に割り当てる（後から参加した人も含む）"), required=False, initial=True)
    members = forms.ModelMultipleChoiceField(label=_("対象のメンバー"), queryset=get_user_model().objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("「メンバー全員」を外したときに選びます。"))
    due_date = forms.DateField(label=_("期限"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("ひとこと（任意）"), required=False, max_length=200, validators=[validate_plain_text])

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        catalogue = [(e.key, e.title) for e in catalog_entries()]
        own = [(e.key, e.title) for e in own_entries(org=org)]
        choices = [(_("sonaeの教材"), catalogue)]
        if own:
            choices.append((_("独自の教材"), own))
        self.fields["training"].choices = choices
        self.fields["members"].queryset = get_user_model().objects.filter(memberships__org=org, is_active=True).order_by("email")
        self.fields["members"].label_from_instance = lambda user: user.email

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        today = timezone.localdate()
        if due < today:
            raise ValidationError(_("期限には今日以降の日付を入れてください。"))
        if due.year > today.year + 5:
            raise ValidationError(_("期限が先すぎます（5年以内にしてください）。"))
        return due

    def clean(self):
        data = super().clean()
        if not data.get("everyone") and not data.get("members") and not self.errors:
            raise ValidationError(_("対象のメンバーを選ぶか、「メンバー全員」を選んでください。"))
        return data


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label=_("受講した日"), widget=forms.DateInput(attrs={"type": "date"}))
    answer = forms.TypedChoiceField(label=_("確認問題"), coerce=int, required=False, widget=forms.RadioSelect, empty_value=None)

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()
        if check is None:
            del self.fields["answer"]
        else:
            from sonae.i18n import pick

            self.fields["answer"].label = _("確認問題：%(question)s") % {"question": pick(check.question)}
            self.fields["answer"].choices = [(index, pick(choice)) for index, choice in enumerate(check.choices)]
            self.fields["answer"].help_text = _("答えると、正解かどうかが表示されます（任意）。")

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        today = timezone.localdate()
        if day > today:
            raise ValidationError(_("受講した日に未来の日付は入れられません。"))
        if day.year < today.year - 10:
            raise ValidationError(_("受講した日が古すぎます。"))
        return day


class QuizAnswerForm(forms.Form):
    index = forms.IntegerField(min_value=0, max_value=999, widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=[("real", _("本物（FACT）")), ("fake", _("偽物（FAKE）"))])
