"""Width and dash folding that keeps every character at its offset.

NFKC would change lengths (㈱ → (株)), so we translate character by character: full-width
ASCII to ASCII, the ideographic space to a space, and every hyphen/dash look-alike
(‐ ‑ ‒ – — ― − ー ｰ －) to '-'. NFKC leaves most of these dashes alone (fact sheet §2.1).
Offsets found in the folded text are therefore offsets into the original.
"""

from __future__ import annotations

DASHES = "‐‑‒–—―−ー－ｰ﹣⁃"

_FOLD_TABLE: dict[int, str] = {0xFF01 + i: chr(0x21 + i) for i in range(0x5E)}
_FOLD_TABLE.update({0x3000: " ", 0x00A0: " ", 0x2007: " ", 0x202F: " "})
_FOLD_TABLE.update({ord(ch): "-" for ch in DASHES})


def fold(text: str) -> str:
    """Same-length view of `text` for pattern matching (digits, letters, dashes folded)."""
    return text.translate(_FOLD_TABLE)


# Custom terms also match across hiragana/katakana and letter case: a separate
# same-length fold keeps offsets exact.
_TERM_TABLE: dict[int, str] = dict(_FOLD_TABLE)
_TERM_TABLE.update({c: chr(c + 0x60) for c in range(0x3041, 0x3097)})  # hiragana → katakana
_TERM_TABLE.update({c: chr(c + 0x20) for c in range(0x41, 0x5B)})  # A-Z → a-z
_TERM_TABLE.update({0xFF21 + i: chr(0x61 + i) for i in range(26)})  # Ａ-Ｚ → a-z
# Half-width katakana, one character each; voiced marks are handled in the term pattern.
_HALF_KANA = (
    "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ"
)
_FULL_KANA = (
    "。「」、・ヲァィゥェォャュョッ-アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜"
)
_TERM_TABLE.update({ord(h): f for h, f in zip(_HALF_KANA, _FULL_KANA, strict=True)})
_TERM_TABLE.update({0x3099: "゛", 0x309A: "゜"})


def fold_for_terms(text: str) -> str:
    """Same-length view for custom-term matching: width, case and kana folded."""
    return text.translate(_TERM_TABLE)
