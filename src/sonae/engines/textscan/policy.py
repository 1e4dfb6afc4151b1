"""What the checker looks for, how serious each kind is, and what to do about it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sonae.engines.textscan.errors import TextScanError

# Every finding type, in the order the page lists them.
TYPES: tuple[str, ...] = (
    "my_number",
    "corporate_number",
    "credit_card",
    "phone",
    "email",
    "postal_code",
    "address",
    "person_name",
    "bank_account",
    "passport",
    "drivers_license",
    "pension_number",
    "secret",
    "custom_term",
)

ACTIONS: tuple[str, ...] = ("block", "mask", "warn")

# Japanese label (also the placeholder stem: <電話番号_1>) and English label.
LABELS: dict[str, tuple[str, str]] = {
    "my_number": ("マイナンバー", "My Number (individual number)"),
    "corporate_number": ("法人番号", "corporate number"),
    "credit_card": ("カード番号", "payment card number"),
    "phone": ("電話番号", "phone number"),
    "email": ("メールアドレス", "email address"),
    "postal_code": ("郵便番号", "postal code"),
    "address": ("住所", "address"),
    "person_name": ("氏名", "person name"),
    "bank_account": ("口座番号", "bank account number"),
    "passport": ("旅券番号", "passport number"),
    "drivers_license": ("運転免許証番号", "driver's licence number"),
    "pension_number": ("基礎年金番号", "basic pension number"),
    "secret": ("秘密情報", "secret (key, token or password)"),
    "custom_term": ("禁止語", "forbidden term"),
}

# 法人番号 is public information (国税庁 publishes it), so it is only "low".
SEVERITIES: dict[str, str] = {
    "my_number": "high",
    "corporate_number": "low",
    "credit_card": "high",
    "phone": "medium",
    "email": "medium",
    "postal_code": "low",
    "address": "medium",
    "person_name": "medium",
    "bank_account": "high",
    "passport": "high",
    "drivers_license": "high",
    "pension_number": "high",
    "secret": "high",
    "custom_term": "high",
}

# Defaults: never send 特定個人情報 (My Number), card numbers, 基礎年金番号 or credentials;
# mask ordinary personal data so the question can still be asked; only warn for public ids.
DEFAULT_ACTIONS: dict[str, str] = {
    "my_number": "block",
    "corporate_number": "warn",
    "credit_card": "block",
    "phone": "mask",
    "email": "mask",
    "postal_code": "mask",
    "address": "mask",
    "person_name": "mask",
    "bank_account": "mask",
    "passport": "mask",
    "drivers_license": "mask",
    "pension_number": "block",
    "secret": "block",
    "custom_term": "block",
}

MAX_CUSTOM_TERMS = 2000
MAX_CUSTOM_TERM_LENGTH = 200


@dataclass(frozen=True)
class Policy:
    """An organisation's rules for the checker.

    `actions` overrides DEFAULT_ACTIONS per type; `custom_terms` are the organisation's
    forbidden words (customer names, code names...); `enabled_types` limits what is searched.
    """

    actions: Mapping[str, str] = field(default_factory=dict)
    custom_terms: tuple[str, ...] = ()
    enabled_types: frozenset[str] = frozenset(TYPES)

    def __post_init__(self) -> None:
        actions = dict(self.actions or {})
        for type_, action in actions.items():
            if type_ not in TYPES:
                raise TextScanError(
                    f"不明な種類です: {type_!r}", f"unknown finding type {type_!r}; expected one of {', '.join(TYPES)}"
                )
            if action not in ACTIONS:
                raise TextScanError(
                    f"不明な対応です: {action!r}（block / mask / warn のいずれか）",
                    f"unknown action {action!r} for {type_}; expected block, mask or warn",
                )
        enabled = frozenset(self.enabled_types)
        unknown = enabled - set(TYPES)
        if unknown:
            raise TextScanError(
                f"不明な種類です: {', '.join(sorted(unknown))}", f"unknown finding types: {', '.join(sorted(unknown))}"
            )
        terms = _clean_terms(self.custom_terms)
        object.__setattr__(self, "actions", actions)
        object.__setattr__(self, "enabled_types", enabled)
        object.__setattr__(self, "custom_terms", terms)

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Policy:
        """Build a policy from plain data (a JSON field, a form): the keys of to_dict(), all optional."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise TextScanError("ポリシーの形式が正しくありません。", "policy must be a mapping")
        unknown = set(data) - {"actions", "custom_terms", "enabled_types"}
        if unknown:
            raise TextScanError(
                f"ポリシーに不明な項目があります: {', '.join(sorted(map(str, unknown)))}",
                f"unknown policy keys: {', '.join(sorted(map(str, unknown)))}",
            )
        actions = data.get("actions") or {}
        if not isinstance(actions, Mapping):
            raise TextScanError("actions は「種類: 対応」の対応表にしてください。", "actions must map type to action")
        enabled = data.get("enabled_types")
        if enabled is not None and (isinstance(enabled, str) or not isinstance(enabled, Iterable)):
            raise TextScanError("enabled_types は種類の一覧にしてください。", "enabled_types must be a list of types")
        return cls(
            actions=dict(actions),
            custom_terms=tuple(data.get("custom_terms") or ()),
            enabled_types=frozenset(enabled) if enabled is not None else frozenset(TYPES),
        )

    def action_for(self, type_: str) -> str:
        return self.actions.get(type_, DEFAULT_ACTIONS[type_])

    def to_dict(self) -> dict:
        return {
            "actions": {t: self.action_for(t) for t in TYPES},
            "custom_terms": list(self.custom_terms),
            "enabled_types": [t for t in TYPES if t in self.enabled_types],
        }


def _clean_terms(terms: Iterable[str] | str | None) -> tuple[str, ...]:
    if terms is None:
        return ()
    if isinstance(terms, str):
        terms = [terms]
    cleaned: list[str] = []
    seen: set[str] = set()  # a list lookup made this quadratic: ~50 ms for 2,000 terms on every policy build
    for term in terms:
        if not isinstance(term, str):
            raise TextScanError("禁止語は文字列で指定してください。", "custom terms must be strings")
        term = term.strip()
        if not term:
            continue
        if len(term) > MAX_CUSTOM_TERM_LENGTH:
            raise TextScanError(
                f"禁止語が長すぎます（{MAX_CUSTOM_TERM_LENGTH}文字まで）。",
                f"a custom term is longer than {MAX_CUSTOM_TERM_LENGTH} characters",
            )
        if term not in seen:
            seen.add(term)
            cleaned.append(term)
    if len(cleaned) > MAX_CUSTOM_TERMS:
        raise TextScanError(
            f"禁止語が多すぎます（{MAX_CUSTOM_TERMS}件まで）。", f"more than {MAX_CUSTOM_TERMS} custom terms"
        )
    return tuple(cleaned)
