"""Short constructors so that the kind modules read like the forms they describe."""

from __future__ import annotations

from typing import Any

from ..fields import TEXT, Choice, Field, L


def fld(
    id: str,
    ja: str,
    en: str,
    type: str = TEXT,
    *,
    help: tuple[str, str] = ("", ""),
    example: str = "",
    required: bool = False,
    **kwargs: Any,
) -> Field:
    return Field(
        id=id,
        label=L(ja, en),
        type=type,
        required=required,
        help=L(*help),
        example=example,
        **kwargs,
    )


def choices(*items: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value, L(ja, en)) for value, ja, en in items)


YES_NO = choices(("yes", "はい", "Yes"), ("no", "いいえ", "No"))

# Phone numbers as people write them: digits, +, #, hyphens, brackets, spaces (#9110, 0120-..., +81 ...).
PHONE_PATTERN = r"^[0-9+#()\- ]{2,30}$"
PHONE_REASON = L(
    "電話番号は数字・ハイフン・+・# で入力してください。",
    "Write the phone number with digits, hyphens, + or #.",
)
