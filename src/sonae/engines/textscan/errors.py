"""The one error the text checker raises, with a Japanese and an English message."""

from __future__ import annotations


class TextScanError(ValueError):
    """Unusable input or policy: too large, not text, unknown type or action."""

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(f"{ja} / {en}")
        self.ja = ja
        self.en = en
