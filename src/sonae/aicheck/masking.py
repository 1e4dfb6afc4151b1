"""Apply a textscan policy to chat messages, and put placeholders back into answers.

Plain Python (no Django) so the gateway, the API and the tests share it.
- `mask_messages` scans every text part of every message and numbers placeholders across the
  whole conversation, so <電話番号_1> means the same number in message 1 and message 5.
- `StreamRestorer` un-masks a streamed answer piece by piece, holding back a possible placeholder
  that is cut between two chunks (e.g. "<電話番" + "号_1>") until it is complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sonae.engines.textscan import LABELS, Policy, scan, unmask

# "<" + label (≤20) + "_" + digits (≤6) + ">": anything longer after a "<" is not ours.
MAX_PLACEHOLDER_LENGTH = 32
_OPEN = ("<", "＜")
_CLOSE = (">", "＞")


@dataclass
class MaskOutcome:
    messages: list
    found: dict[str, int] = field(default_factory=dict)  # type -> count
    blocked_types: list[str] = field(default_factory=list)
    masked_types: list[str] = field(default_factory=list)
    warned_types: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # placeholder -> original
    sent_text: str = ""  # the text parts as they go upstream (for opted-in logs)
    prompt_chars: int = 0

    @property
    def blocked(self) -> bool:
        return bool(self.blocked_types)


def _text_slots(messages: list):
    """Yield (container, key) for every text the caller sent: string contents and text parts."""
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            yield message, "content"
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
                    yield part, "text"


def mask_messages(messages: list, policy: Policy) -> MaskOutcome:
    """Scan and mask in place (the caller passes its own parsed copy). Raises TextScanError."""
    slots = list(_text_slots(messages))
    texts = [container[key] for container, key in slots]
    outcome = MaskOutcome(messages=messages, prompt_chars=sum(len(t) for t in texts))
    placeholders: dict[tuple[str, str], str] = {}
    counters: dict[str, int] = {}
    kinds: dict[str, set[str]] = {"block": set(), "mask": set(), "warn": set()}
    sent: list[str] = []
    for (container, key), text in zip(slots, texts):
        result = scan(text, policy)
        if not result.findings:
            sent.append(text)
            continue
        parts: list[str] = []
        position = 0
        for finding in result.findings:
            outcome.found[finding.type] = outcome.found.get(finding.type, 0) + 1
            kinds[finding.action].add(finding.type)
            if finding.action == "warn":
                continue
            token_key = (finding.type, finding.text)
            placeholder = placeholders.get(token_key)
            if placeholder is None:
                while True:
                    counters[finding.type] = counters.get(finding.type, 0) + 1
                    placeholder = f"<{LABELS[finding.type][0]}_{counters[finding.type]}>"
                    if not any(placeholder in t for t in texts):  # never collide with the caller's own text
                        break
                placeholders[token_key] = placeholder
                outcome.mapping[placeholder] = finding.text
            parts.append(text[position : finding.start])
            parts.append(placeholder)
            position = finding.end
        parts.append(text[position:])
        container[key] = "".join(parts)
        sent.append(container[key])
    order = {t: i for i, t in enumerate(LABELS)}
    outcome.blocked_types = sorted(kinds["block"], key=order.get)
    outcome.masked_types = sorted(kinds["mask"], key=order.get)
    outcome.warned_types = sorted(kinds["warn"], key=order.get)
    outcome.sent_text = "\n\n".join(sent)
    return outcome


class StreamRestorer:
    """Un-mask streamed text; hold back the tail from the last unclosed "<" until it closes."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping
        self.buffer = ""

    def feed(self, piece: str) -> str:
        if not self.mapping:
            return piece
        text = self.buffer + piece
        cut = len(text)
        opening = max(text.rfind(_OPEN[0]), text.rfind(_OPEN[1]))
        if opening != -1 and len(text) - opening <= MAX_PLACEHOLDER_LENGTH:
            tail = text[opening:]
            if not any(c in tail for c in _CLOSE):
                cut = opening
        self.buffer = text[cut:]
        return unmask(text[:cut], self.mapping)

    def flush(self) -> str:
        text, self.buffer = self.buffer, ""
        return unmask(text, self.mapping) if text else ""


def estimate_tokens(chars: int, text: str | None = None) -> int:
    """A rough token count when the upstream does not report usage: about one token per
    Japanese character and per four ASCII characters."""
    if text is None:
        return max(0, chars)
    ascii_chars = sum(1 for c in text if c < "\x80")
    return (len(text) - ascii_chars) + (ascii_chars + 3) // 4
