"""Find and mask personal data, secrets and forbidden terms in Japanese text.

Public API (used by the CLI, the checker page, the API and the AI gateway):
- `scan(text, policy=None) -> ScanResult` with `.findings` (type, start, end, text, severity,
  action, label_ja, label_en, placeholder), `.masked`, `.mapping` (placeholder → original),
  `.policy_masked`, `.blocked`, `.to_dict()`.
- `Policy(actions={type: "block"|"mask"|"warn"}, custom_terms=(...), enabled_types=...)`.
- `unmask(text, mapping)` puts placeholders in an AI answer back; `StreamUnmasker(mapping)` does
  the same for an answer streamed in chunks (a placeholder may be split between chunks).
- `Policy.from_dict(data)` / `policy.to_dict()` for storing a policy as plain data.
- `validate_my_number(s)`, `validate_corporate_number(digits)` check-digit helpers.
- `TextScanError` (with `.ja` and `.en` messages) for unusable input.
"""

from sonae.engines.textscan.checkdigits import (
    luhn_valid,
    validate_corporate_number,
    validate_credit_card,
    validate_drivers_license,
    validate_my_number,
)
from sonae.engines.textscan.errors import TextScanError
from sonae.engines.textscan.policy import ACTIONS, DEFAULT_ACTIONS, LABELS, SEVERITIES, TYPES, Policy
from sonae.engines.textscan.scanner import MAX_TEXT_BYTES, Finding, ScanResult, StreamUnmasker, scan, unmask

__all__ = [
    "ACTIONS",
    "DEFAULT_ACTIONS",
    "LABELS",
    "MAX_TEXT_BYTES",
    "SEVERITIES",
    "TYPES",
    "Finding",
    "Policy",
    "ScanResult",
    "StreamUnmasker",
    "TextScanError",
    "luhn_valid",
    "scan",
    "unmask",
    "validate_corporate_number",
    "validate_credit_card",
    "validate_drivers_license",
    "validate_my_number",
]
