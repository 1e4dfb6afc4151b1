from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sonae.engines.textscan import DEFAULT_ACTIONS, LABELS, MAX_TEXT_BYTES, TYPES
from sonae.engines.textscan.policy import MAX_CUSTOM_TERM_LENGTH, MAX_CUSTOM_TERMS
from sonae.i18n import pick
from sonae.orgs.validators import validate_plain_text

# The page takes up to 1 MB: enough for any prompt, and it keeps the page (which shows the text
# back with highlights) quick. The API and the engine accept up to MAX_TEXT_BYTES.
PAGE_MAX_CHARS = 200_000

ACTION_CHOICES = [
    ("block", _("止める（送信しない）")),
    ("mask", _("伏せ字にする")),
    ("warn", _("注意だけ表示する")),
]


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("生成AIに入力しようとしている文章"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        strip=False,
        error_messages={"required": _("チェックする文章を入力してください。")},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("チェックする文章を入力してください。"))
        if len(text) > PAGE_MAX_CHARS or len(text.encode("utf-8", "surrogatepass")) >= MAX_TEXT_BYTES:
            raise forms.ValidationError(_("文章が長すぎます（20万文字まで）。分けてチェックしてください。"))
        if any("\ud800" <= ch <= "\udfff" for ch in text):
            raise forms.ValidationError(_("読み取れない文字が含まれています。元の文書からもう一度コピーしてください。"))
        return text


class PolicyForm(forms.Form):
    custom_terms = forms.CharField(
        label=_("入力禁止の語句（1行に1つ）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("顧客名、案件のコード名、発表前の製品名など、社外のAIに入力してはいけない語句。全角・半角・カナの違いもまとめて見つけます。"),
    )
    log_page_checks = forms.BooleanField(
        label=_("チェッカー画面とAPIの利用を記録する（日時・利用者・見つかった種類のみ）"), required=False
    )
    log_prompt_text = forms.BooleanField(
        label=_("入力された文章も記録する（伏せ字にした後の文章。通常はオフのままにしてください）"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for type_ in TYPES:
            self.fields[f"action_{type_}"] = forms.ChoiceField(
                label=capfirst(pick(LABELS[type_])), choices=ACTION_CHOICES, initial=DEFAULT_ACTIONS[type_]
            )
        # Show the per-type choices first, in the engine's order.
        order = [f"action_{t}" for t in TYPES] + ["custom_terms", "log_page_checks", "log_prompt_text"]
        self.order_fields(order)

    def clean_custom_terms(self) -> str:
        raw = self.cleaned_data["custom_terms"]
        terms: list[str] = []
        for line in raw.splitlines():
            term = line.strip()
            if not term:
                continue
            validate_plain_text(term)
            if len(term) > MAX_CUSTOM_TERM_LENGTH:
                raise forms.ValidationError(_("1つの語句は200文字までにしてください。"))
            if term not in terms:
                terms.append(term)
        if len(terms) > MAX_CUSTOM_TERMS:
            raise forms.ValidationError(_("語句は2000件までにしてください。"))
        return "\n".join(terms)

    def actions(self) -> dict[str, str]:
        return {t: self.cleaned_data[f"action_{t}"] for t in TYPES}


class GatewayTokenForm(forms.Form):
    name = forms.CharField(label=_("名前（用途）"), max_length=100, validators=[validate_plain_text],
                           help_text=_("例：自分のPCのChatGPT互換アプリ"))


class UpstreamForm(forms.Form):
    base_url = forms.URLField(
        label=_("接続先のURL（OpenAI互換API）"), required=False, max_length=500, assume_scheme="https",
        help_text=_("例：https://api.openai.com/v1 。空にすると、サーバー全体の設定（SONAE_GATEWAY_UPSTREAM_URL）を使います。"),
    )
    api_key = forms.CharField(
        label=_("APIキー"), required=False, max_length=500, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("暗号化して保存し、二度と表示しません。変更しないときは空のままにしてください。"),
    )
    remove_key = forms.BooleanField(label=_("保存されているAPIキーを削除する"), required=False)
    allowed_models = forms.CharField(
        label=_("使ってよいモデル（1行に1つ。空なら制限なし）"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_api_key(self) -> str:
        key = self.cleaned_data["api_key"]
        if key and (any(ch.isspace() for ch in key) or not key.isprintable() or not key.isascii()):
            raise forms.ValidationError(_("APIキーに使えない文字が含まれています。"))
        return key

    def clean_allowed_models(self) -> str:
        names = [n.strip() for n in self.cleaned_data["allowed_models"].replace(",", "\n").splitlines() if n.strip()]
        for name in names:
            validate_plain_text(name)
            if len(name) > 200:
                raise forms.ValidationError(_("モデル名が長すぎます。"))
        return "\n".join(dict.fromkeys(names))
