"""Check-digit validators for Japanese identifiers and payment cards.

Every function takes a string, ignores nothing silently: callers pass digits only
(or the helpers below strip separators explicitly), and get a bool back.
"""

from __future__ import annotations

import re

_DIGITS_ONLY = re.compile(r"[0-9]+", re.ASCII)

# Full-width digits, hyphens and spaces people type in Japanese forms.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{ch: "" for ch in "-‐‑‒–—―−ー－ｰ 　"},
    }
)


def digits_of(value: str) -> str:
    """Strip hyphens of every kind and spaces, fold full-width digits to ASCII."""
    return value.translate(_FOLD)


def my_number_check_digit(base11: str) -> int:
    """Check digit of a マイナンバー (個人番号) from its first 11 digits.

    総務省令第八十五号 第五条: Pn = n-th digit from the right, Qn = n+1 (n≤6) or n−5 (n≥7);
    r = ΣPn·Qn mod 11; check digit = 0 when r ≤ 1, else 11 − r.
    Left-to-right this is weights 6,5,4,3,2,7,6,5,4,3,2.
    """
    total = sum(int(d) * w for d, w in zip(base11, (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def validate_my_number(s: str) -> bool:
    """True when `s` is 12 digits (separators and full-width allowed) with a valid check digit."""
    digits = digits_of(s)
    if len(digits) != 12 or not _DIGITS_ONLY.fullmatch(digits):
        return False
    return my_number_check_digit(digits[:11]) == int(digits[11])


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号 from its 12-digit 基礎番号.

    財務省令第七十号 第二条: Pn = n-th digit from the right, Qn = 1 (n odd) or 2 (n even);
    check digit = 9 − (ΣPn·Qn mod 9). It is the FIRST digit of the 13.
    """
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def validate_corporate_number(digits: str) -> bool:
    """True when `digits` is a 13-digit 法人番号 whose leading check digit is right.

    Accepts full-width digits and hyphens; an optional leading 'T' (インボイス登録番号) is allowed.
    """
    if not isinstance(digits, str):
        return False
    value = digits_of(digits.strip())
    if value[:1] in ("T", "Ｔ"):
        value = value[1:]
    if len(value) != 13 or not _DIGITS_ONLY.fullmatch(value):
        return False
    return corporate_number_check_digit(value[1:]) == int(value[0])


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812-1 Luhn (mod 10) check over an ASCII digit string."""
    if not digits or not _DIGITS_ONLY.fullmatch(digits):
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """Issuer of a card number by IIN prefix and length, or None when no issuer uses that shape.

    Ranges from iinbase.com / card network docs (see fact sheet §2.10).
    """
    n = len(digits)
    if not 12 < n < 20 or not _DIGITS_ONLY.fullmatch(digits):
        return None
    p2, p3, p4, p6 = int(digits[:2]), int(digits[:3]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39) or p3 == 309) and 14 <= n <= 19:
        return "diners"
    if (p4 == 6011 or 644 <= p3 <= 649 or p2 == 65) and 16 <= n <= 19:
        return "discover"
    if (622126 <= p6 <= 622925 or 624 <= p3 <= 626 or 6282 <= p4 <= 6288 or p2 == 62) and 16 <= n <= 19:
        return "unionpay"
    return None


def validate_credit_card(s: str) -> bool:
    """True when `s` is a card number of a known issuer shape that passes Luhn."""
    digits = digits_of(s)
    return card_brand(digits) is not None and luhn_valid(digits)


def drivers_license_check_digit(first10: str) -> int:
    """Check digit (11th) of a 運転免許証番号 — unofficial formula, a soft signal only.

    Weights 5,4,3,2,7,6,5,4,3,2; CD = (11 − S mod 11) mod 10 (jiko0.com; no NPA publication).
    """
    total = sum(int(d) * w for d, w in zip(first10, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)))
    return (11 - total % 11) % 10


def validate_drivers_license(s: str) -> bool:
    digits = digits_of(s)
    if len(digits) != 12 or not _DIGITS_ONLY.fullmatch(digits):
        return False
    return drivers_license_check_digit(digits[:10]) == int(digits[10])
