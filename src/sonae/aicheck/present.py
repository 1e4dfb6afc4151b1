"""How a text check is shown: the findings highlighted in the text, one row per finding with advice,
and the masked text to copy. Shared by the AI input checker page and every page that checks a text
before it goes to an AI (the use-case templates, the rules Q&A), so they all look and read the same.
The HTML is templates/aicheck/_result.html.
"""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, pgettext

from sonae.engines.textscan import LABELS, ScanResult
from sonae.i18n import pick

# What to do about each kind of finding, in our own words (seminar 2025-12-11: 入力禁止情報リスト).
ADVICE = {
    "my_number": gettext_lazy("マイナンバーは法律で利用目的が限られています。生成AIには絶対に入力しないでください。"),
    "corporate_number": gettext_lazy("法人番号は公開情報ですが、取引先の特定につながるため必要なときだけ入力してください。"),
    "credit_card": gettext_lazy("カード番号は入力しないでください。不正利用の原因になります。"),
    "phone": gettext_lazy("電話番号は伏せ字にしてから入力してください。"),
    "email": gettext_lazy("メールアドレスは伏せ字にしてから入力してください。"),
    "postal_code": gettext_lazy("郵便番号と住所の組み合わせで個人を特定できます。伏せ字にしてください。"),
    "address": gettext_lazy("住所は伏せ字にしてから入力してください。"),
    "person_name": gettext_lazy("氏名は「Aさん」などに置き換えるか伏せ字にしてください。"),
    "bank_account": gettext_lazy("口座番号は入力しないか、伏せ字にしてください。"),
    "passport": gettext_lazy("旅券番号は入力しないでください。"),
    "drivers_license": gettext_lazy("運転免許証番号は入力しないでください。"),
    "pension_number": gettext_lazy("基礎年金番号は入力しないでください。"),
    "secret": gettext_lazy("APIキー・パスワード・秘密鍵は絶対に入力しないでください。入力してしまった場合はすぐに無効化して作り直してください。"),
    "custom_term": gettext_lazy("組織の入力禁止リストにある語句です。別の言葉に置き換えてください。"),
}
ACTION_LABELS = {"block": gettext_lazy("入力禁止"), "mask": gettext_lazy("伏せ字にする"), "warn": gettext_lazy("注意")}


def finding_label(type_: str) -> str:
    """A finding type as a heading or table cell (the engine's English labels are written for use mid-sentence)."""
    return capfirst(pick(LABELS[type_]))


def _segments(text: str, findings) -> list[dict]:
    """The text cut into plain and found pieces, for <mark> highlighting (escaped by the template)."""
    pieces: list[dict] = []
    position = 0
    for number, finding in enumerate(findings, start=1):
        if finding.start > position:
            pieces.append({"text": text[position : finding.start]})
        pieces.append({"text": text[finding.start : finding.end], "finding": finding, "number": number, "label": finding_label(finding.type)})
        position = finding.end
    if position < len(text):
        pieces.append({"text": text[position:]})
    return pieces


def check_result_context(text: str, result: ScanResult) -> dict:
    """Template context for aicheck/_result.html: `result`, `rows`, `segments`, `blocked_labels`."""
    rows = [
        {"finding": f, "number": i, "label": finding_label(f.type), "advice": ADVICE[f.type], "action_label": ACTION_LABELS[f.action]}
        for i, f in enumerate(result.findings, start=1)
    ]
    blocked = sorted({pick(LABELS[f.type]) for f in result.findings if f.action == "block"})
    return {
        "result": result,
        "rows": rows,
        "segments": _segments(text, result.findings),
        "blocked_labels": pgettext("list separator", "、").join(blocked),
    }
