"""Field validators shared by the organisation forms."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sonae.engines.textscan import validate_corporate_number


def validate_plain_text(value: str) -> None:
    """Refuse control characters (other than none at all) in one-line names and notes."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in value):
        raise ValidationError(_("制御文字など表示できない文字が含まれています。取り除いてから保存してください。"))


def validate_corporate_number_field(value: str) -> None:
    # 法人番号: the first digit is a check digit over the other twelve (国税庁 法人番号の仕組み).
    if value and not validate_corporate_number(value):
        raise ValidationError(_("法人番号のチェックデジットが一致しません。13桁を確認してください。"))


def normalise_city(value: str, prefecture: str | None = None) -> str:
    """A 市区町村 as people type it (full-width, spaces) → the stored form, or ValidationError.

    The rules live in the support engine (sonae.engines.support.validate_city): ends in 市/区/町/村, no
    symbols or markup, at most 40 characters, and a designated city only in its own prefecture.
    """
    from sonae.catalog.support import load_support
    from sonae.engines.support import validate_city

    catalog = load_support()
    try:
        return validate_city(value, None, catalog)
    except ValueError:
        raise ValidationError(_("市区町村名を入力してください（例：横浜市、横浜市中区、箱根町）。")) from None


def validate_city_in_prefecture(city: str, prefecture: str) -> None:
    from sonae.catalog.support import load_support
    from sonae.engines.support import city_prefecture_conflict

    if city and prefecture and (actual := city_prefecture_conflict(city, prefecture, load_support())):
        raise ValidationError(
            _("%(city)s は%(actual)sの市です。都道府県と市区町村を確かめてください。") % {"city": city, "actual": actual}
        )
