"""The engine's results as the page shows them: every reason as one translated sentence.

Field conditions are worded here (not in the engine) so prefecture and industry names come out in the
page's language; city names stay Japanese and are marked lang="ja" by the template.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sonae.engines.support import STATE_TEXT, EntryFit, Reason
from sonae.i18n import pick
from sonae.orgs.choices import PREFECTURE_CHOICES, Industry

_PREFECTURE_LABELS = dict(PREFECTURE_CHOICES)
_INDUSTRY_LABELS = dict(Industry.choices)


@dataclass(frozen=True)
class ShownReason:
    fit: str
    text: str
    ja_value: str = ""  # a Japanese name shown as is (cities)
    actual: str = ""
    step: str = ""
    ground: int | None = None


def _names(reason: Reason) -> str:
    if reason.key == "prefecture":
        return _("・").join(str(_PREFECTURE_LABELS.get(v, v)) for v in reason.values)
    if reason.key == "industry":
        return _("・").join(str(_INDUSTRY_LABELS.get(v, v)) for v in reason.values)
    return ""


def _field_text(reason: Reason) -> tuple[str, str, str]:
    """(sentence, Japanese value, what is registered)."""
    if reason.key == "employees":
        limit = reason.value
        sentence = {
            "lte": _("従業員数が%(n)s人以下であること"), "lt": _("従業員数が%(n)s人未満であること"),
            "gte": _("従業員数が%(n)s人以上であること"), "gt": _("従業員数が%(n)s人を超えること"),
        }[reason.op or "lte"] % {"n": limit}
        return sentence, "", (_("%(band)s人") % {"band": reason.actual}) if reason.actual else ""
    if reason.key == "city":
        sentence = _("所在地（市区町村）が次であること：") if reason.op == "in" else _("所在地（市区町村）が次以外であること：")
        return sentence, "・".join(reason.values), reason.actual or ""
    names = _names(reason)
    if reason.key == "prefecture":
        sentence = (_("所在地が%(names)sであること") if reason.op == "in" else _("所在地が%(names)s以外であること")) % {"names": names}
        actual = str(_PREFECTURE_LABELS.get(reason.actual, reason.actual)) if reason.actual else ""
    else:
        sentence = (_("業種が%(names)sであること") if reason.op == "in" else _("業種が%(names)s以外であること")) % {"names": names}
        actual = str(_INDUSTRY_LABELS.get(reason.actual, reason.actual)) if reason.actual else ""
    return sentence, "", actual


def show_reason(reason: Reason) -> ShownReason:
    ja_value = actual = ""
    if reason.label is not None:
        text = pick(reason.label)
    elif reason.kind == "state":
        text = pick(STATE_TEXT[reason.key])
    elif reason.kind == "field":
        text, ja_value, actual = _field_text(reason)
    else:
        text = reason.key
    return ShownReason(reason.fit, text, ja_value, actual, pick(reason.step) if reason.step else "", reason.ground)


@dataclass(frozen=True)
class ShownFit:
    fit: EntryFit
    reasons: list[ShownReason]
    grounds: list[tuple[object, list[ShownReason]]]

    @property
    def entry(self):
        return self.fit.entry


def show_fit(fit: EntryFit) -> ShownFit:
    return ShownFit(
        fit=fit,
        reasons=[show_reason(r) for r in fit.reasons],
        grounds=[(g, [show_reason(r) for r in g.reasons]) for g in fit.grounds],
    )
