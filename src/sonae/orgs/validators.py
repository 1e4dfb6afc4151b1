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
