from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from sonae.aicheck.forms import PAGE_MAX_CHARS
from sonae.catalog.use_cases import PromptTemplate, UseCaseFile
from sonae.engines.retrieval import FORMATS, MAX_FILE_BYTES, MAX_QUESTION_CHARS, format_of
from sonae.i18n import pick
from sonae.orgs.validators import validate_plain_text

# Shown in a question box and accepted; anything longer is refused with a message, not cut silently.
QUESTION_MAX_CHARS = MAX_QUESTION_CHARS


UNREADABLE = _("読み取れない文字（制御文字など）が含まれています。元の文書からもう一度コピーしてください。")


def _no_hidden_characters(value: str) -> None:
    """Multi-line text may hold tabs and line breaks, but no other control or unpaired surrogate characters."""
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r" for ch in value):
        raise forms.ValidationError(UNREADABLE)


class TemplateForm(forms.Form):
    """One text field per placeholder of a prompt template, and the department using it."""

    def __init__(self, *args, template: PromptTemplate, catalogue: UseCaseFile, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.fields["department"] = forms.ChoiceField(
            label=_("あなたの部署"), choices=[(d.id, pick(d.name)) for d in catalogue.departments],
            help_text=_("どの部署がどの用途で生成AIを使っているかを、組織の活用状況として集計します。"),
        )
        for placeholder in template.placeholders:
            attrs = {"placeholder": pick(placeholder.hint), "maxlength": placeholder.max_length}
            widget = forms.Textarea(attrs={"rows": 6, "spellcheck": "false", **attrs}) if placeholder.multiline \
                else forms.TextInput(attrs=attrs)
            self.fields[f"p_{placeholder.id}"] = forms.CharField(
                label=pick(placeholder.label), widget=widget, strip=True,
                validators=[_no_hidden_characters] if placeholder.multiline else [validate_plain_text],
                error_messages={"required": _("「%(label)s」を入力してください。") % {"label": pick(placeholder.label)},
                                "null_characters_not_allowed": UNREADABLE},
            )

    def clean(self):
        cleaned = super().clean()
        for placeholder in self.template.placeholders:
            name = f"p_{placeholder.id}"
            value = cleaned.get(name)
            if isinstance(value, str) and len(value) > placeholder.max_length:
                self.add_error(name, _("「%(label)s」は%(limit)s文字以内で入力してください（いまは%(n)s文字）。")
                               % {"label": pick(placeholder.label), "limit": f"{placeholder.max_length:,}", "n": f"{len(value):,}"})
        return cleaned

    def values(self) -> dict[str, str]:
        return {p.id: self.cleaned_data[f"p_{p.id}"] for p in self.template.placeholders}


def fill_template(template: PromptTemplate, values: dict[str, str]) -> str:
    """The template body in the page's language with the placeholders filled (values are never re-parsed)."""
    text = pick(template.body).format_map(values).strip()
    if len(text) > PAGE_MAX_CHARS:
        raise forms.ValidationError(_("文章が長すぎます（20万文字まで）。分けてチェックしてください。"))
    return text


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("質問"), strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("例：生成AIに入力してはいけない情報は？")}),
        error_messages={"required": _("質問を入力してください。"), "null_characters_not_allowed": UNREADABLE},
    )

    def clean_question(self) -> str:
        question = " ".join(self.cleaned_data["question"].split())
        if not question:
            raise forms.ValidationError(_("質問を入力してください。"))
        if len(question) > QUESTION_MAX_CHARS:
            raise forms.ValidationError(_("質問は%(limit)s文字以内で入力してください（いまは%(n)s文字）。")
                                        % {"limit": f"{QUESTION_MAX_CHARS:,}", "n": f"{len(question):,}"})
        _no_hidden_characters(question)
        return question


class RuleFileForm(forms.Form):
    title = forms.CharField(
        label=_("題名"), required=False, max_length=100, validators=[validate_plain_text],
        help_text=_("空欄のときは、文書の中の題名（なければファイル名）を使います。"),
    )
    file = forms.FileField(
        label=_("規程ファイル（Markdown・Word・PDF）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,.docx,.pdf"}),
        error_messages={"required": _("ファイルを選んでください。"), "empty": _("ファイルが空です。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the page's language (a lazy string formatted at import would stay Japanese).
        self.fields["file"].help_text = _("%(mb)d MB まで。パスワード付きのファイルや、画像だけのPDF（スキャンしたもの）は読み込めません。") \
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if format_of(upload.name or "") not in FORMATS:
            raise forms.ValidationError(_("Markdown (.md)、Word (.docx)、PDF (.pdf) のファイルを選んでください。"))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（%(mb)d MBまで）。") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
        return upload


class AiuseSettingsForm(forms.Form):
    answer_with_model = forms.BooleanField(
        label=_("AIゲートウェイが設定されているとき、社内ルールQ&Aの回答文をAIで作る"), required=False,
        help_text=_("質問と、見つかった社内ルールの抜粋だけがゲートウェイを通って送られます（組織の入力ルールが適用されます）。"
                    "オフにすると、抜粋そのものを回答として表示し、どこにも送りません。"),
    )
    model = forms.CharField(
        label=_("使うモデル"), required=False, max_length=200, validators=[validate_plain_text],
        help_text=_("空欄のときは、ゲートウェイで使ってよいモデルの最初のものを使います。"),
    )

    def __init__(self, *args, allowed_models: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_models = allowed_models

    def clean_model(self) -> str:
        model = self.cleaned_data["model"].strip()
        if model and self.allowed_models and model not in self.allowed_models:
            raise forms.ValidationError(_("ゲートウェイで許可されていないモデルです（使えるモデル: %(models)s）。")
                                        % {"models": ", ".join(self.allowed_models)})
        return model
