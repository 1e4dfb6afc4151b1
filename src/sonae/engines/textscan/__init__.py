"""Find and mask personal data, secrets and forbidden terms in Japanese text.

Public API: `scan(text, policy=None) -> ScanResult`, `Policy`, `unmask(text, mapping)`,
`validate_my_number(s)`, `validate_corporate_number(digits)`, `TextScanError`.
"""

from sonae.engines.textscan.checkdigits import (
    luhn_valid,
    validate_corporate_number,
    validate_credit_card,
    validate_my_number,
)

__all__ = [
    "luhn_valid",
    "validate_corporate_number",
    "validate_credit_card",
    "validate_my_number",
]
