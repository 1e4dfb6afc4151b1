"""scan(): text in, findings and masked text out; unmask(): placeholders back to values."""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field

from sonae.engines.textscan.checkdigits import digits_of
from sonae.engines.textscan.errors import TextScanError
from sonae.engines.textscan.japanese import find_addresses, find_names
from sonae.engines.textscan.normalize import ascii_lower, fold
from sonae.engines.textscan.numbers import Candidate, Labels, find_numbers
from sonae.engines.textscan.policy import LABELS, SEVERITIES, TYPES, Policy
from sonae.engines.textscan.secrets import find_secrets
from sonae.engines.textscan.terms import find_terms

# Texts of 10 MB or more are refused: nobody pastes that into a prompt, and it bounds work.
MAX_TEXT_BYTES = 10_000_000

_DIGIT_TYPES = {
    "my_number", "corporate_number", "credit_card", "phone", "postal_code", "bank_account",
    "drivers_license", "pension_number",
}


@dataclass(frozen=True, slots=True)
class Finding:
    type: str
    start: int  # character offset into the original text
    end: int
    text: str
    severity: str
    action: str
    label_ja: str
    label_en: str
    placeholder: str
    detail: str = ""

    @property
    def label(self) -> dict[str, str]:
        return {"ja": self.label_ja, "en": self.label_en}

    def to_dict(self, include_text: bool = True) -> dict:
        data = asdict(self)
        data["label"] = self.label
        if not include_text:
            del data["text"]
        return data


@dataclass(frozen=True)
class ScanResult:
    findings: list[Finding]
    masked: str  # every finding replaced by its placeholder
    mapping: dict[str, str] = field(default_factory=dict)  # placeholder → original text
    policy_masked: str = ""  # only findings whose action is mask or block replaced

    @property
    def blocked(self) -> bool:
        return any(f.action == "block" for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.type] = counts.get(finding.type, 0) + 1
        return counts

    def to_dict(self, include_text: bool = True) -> dict:
        """JSON-ready dict. With include_text=False nothing of the original text is included
        (for logs): no finding values, no masked text, no mapping."""
        data = {
            "blocked": self.blocked,
            "counts": self.counts,
            "findings": [f.to_dict(include_text) for f in self.findings],
        }
        if include_text:
            data["masked"] = self.masked
            data["policy_masked"] = self.policy_masked
            data["mapping"] = dict(self.mapping)
        return data


def _check_input(text: object) -> str:
    if not isinstance(text, str):
        raise TextScanError("文字列を渡してください。", f"text must be a str, not {type(text).__name__}")
    if len(text) >= MAX_TEXT_BYTES or (len(text) * 4 >= MAX_TEXT_BYTES and len(text.encode("utf-8", "surrogatepass")) >= MAX_TEXT_BYTES):
        raise TextScanError(
            "テキストが大きすぎます（10 MB 未満にしてください）。",
            "text is too large: the limit is 10 MB (10,000,000 bytes of UTF-8)",
        )
    return text


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the most important finding where several overlap (a key beats a phone inside it)."""
    ordered = sorted(candidates, key=lambda c: (-c.priority, c.start, -(c.end - c.start)))
    starts: list[int] = []  # kept intervals, sorted and non-overlapping
    kept: list[Candidate] = []
    for cand in ordered:
        if cand.end <= cand.start:
            continue
        index = bisect.bisect_right(starts, cand.start)
        if index > 0 and kept[index - 1].end > cand.start:
            continue
        if index < len(kept) and kept[index].start < cand.end:
            continue
        starts.insert(index, cand.start)
        kept.insert(index, cand)
    return kept


def _canonical(type_: str, value: str) -> str:
    if type_ in _DIGIT_TYPES:
        return digits_of(fold(value)).lstrip("T+")
    return fold(value).replace(" ", "").lower()


def scan(text: str, policy: Policy | None = None) -> ScanResult:
    """Find personal data, secrets and forbidden terms in `text` and mask them."""
    text = _check_input(text)
    policy = policy or Policy()
    if not isinstance(policy, Policy):
        raise TextScanError("ポリシーの形式が正しくありません。", "policy must be a textscan.Policy")
    if not text:
        return ScanResult([], "", {}, "")

    norm = fold(text)
    lower = ascii_lower(norm)
    enabled = policy.enabled_types
    candidates: list[Candidate] = []
    if "secret" in enabled:
        candidates.extend(find_secrets(norm, lower))
    labels = Labels(norm, lower)
    candidates.extend(c for c in find_numbers(norm, labels) if c.type in enabled)
    if "email" in enabled:
        candidates.extend(find_emails(norm))
    if "person_name" in enabled:
        candidates.extend(find_names(norm))
    if "address" in enabled:
        candidates.extend(find_addresses(norm))
    if "custom_term" in enabled and policy.custom_terms:
        candidates.extend(find_terms(text, policy.custom_terms))

    kept = _resolve(candidates)

    # Placeholders already written in the text are never reused (unmask would be ambiguous).
    existing = {f"<{m.group(1)}_{fold(m.group(2))}>" for m in _PLACEHOLDER_RE.finditer(text)} if "_" in text else set()
    placeholders: dict[tuple[str, str], str] = {}
    counters: dict[str, int] = {}
    mapping: dict[str, str] = {}
    findings: list[Finding] = []
    for cand in kept:
        value = text[cand.start : cand.end]
        key = (cand.type, _canonical(cand.type, value))
        placeholder = placeholders.get(key)
        if placeholder is None:
            label_ja = LABELS[cand.type][0]
            while True:
                counters[cand.type] = counters.get(cand.type, 0) + 1
                placeholder = f"<{label_ja}_{counters[cand.type]}>"
                if placeholder not in existing:
                    break
            placeholders[key] = placeholder
            mapping[placeholder] = value
        findings.append(
            Finding(
                type=cand.type,
                start=cand.start,
                end=cand.end,
                text=value,
                severity=SEVERITIES[cand.type],
                action=policy.action_for(cand.type),
                label_ja=LABELS[cand.type][0],
                label_en=LABELS[cand.type][1],
                placeholder=placeholder,
                detail=cand.detail,
            )
        )

    return ScanResult(
        findings=findings,
        masked=_replace(text, findings, lambda f: True),
        mapping=mapping,
        policy_masked=_replace(text, findings, lambda f: f.action in ("mask", "block")),
    )


def _replace(text: str, findings: list[Finding], wanted) -> str:
    parts: list[str] = []
    position = 0
    for finding in findings:
        if not wanted(finding):
            continue
        parts.append(text[position : finding.start])
        parts.append(finding.placeholder)
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


_PLACEHOLDER_RE = re.compile(r"[<＜]([^<>＜＞\s]{1,20})_([0-9０-９]{1,6})[>＞]")


def unmask(text: str, mapping: dict[str, str]) -> str:
    """Put original values back where an AI answer repeats our placeholders.

    Tolerates full-width brackets and digits (＜電話番号_１＞); unknown placeholders stay as they are.
    """
    if not mapping or not text:
        return text

    def _back(match: re.Match[str]) -> str:
        key = f"<{match.group(1)}_{fold(match.group(2))}>"
        return mapping.get(key, match.group())

    return _PLACEHOLDER_RE.sub(_back, text)


class StreamUnmasker:
    """unmask() for an answer that arrives in pieces (server-sent events from an AI provider).

    A placeholder can be split across chunks ("<電話" + "番号_1>"), so a possible placeholder start
    at the end of a chunk is held back until the next chunk shows whether it completes.
    Usage: u = StreamUnmasker(mapping); out = u.feed(chunk) ...; out += u.flush().
    """

    _MAX_HELD = 32  # longer than any placeholder: "<" + 20 characters + "_" + 6 digits + ">"

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = dict(mapping)
        self._held = ""

    def feed(self, chunk: str) -> str:
        text = self._held + chunk
        cut = max(text.rfind("<"), text.rfind("＜"))
        if cut != -1 and len(text) - cut <= self._MAX_HELD and not any(c in text[cut:] for c in ">＞"):
            self._held, text = text[cut:], text[:cut]
        else:
            self._held = ""
        return unmask(text, self.mapping)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return unmask(text, self.mapping)


_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])",
    re.ASCII,
)


def find_emails(norm: str):
    for match in _EMAIL_RE.finditer(norm):
        start = match.start()
        local = norm[start : norm.index("@", start)]
        if local.startswith(".") or local.endswith(".") or ".." in local:
            continue
        yield Candidate("email", start, match.end(), 55, "")


__all__ = ["Finding", "ScanResult", "StreamUnmasker", "TYPES", "scan", "unmask", "MAX_TEXT_BYTES"]
