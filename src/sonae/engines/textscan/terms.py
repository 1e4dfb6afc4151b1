"""The organisation's own forbidden terms, matched across width, case and kana variants.

Text and terms are folded the same way (fold_for_terms keeps offsets), and a voiced kana in
a term also matches its half-width spelling with a separate ﾞ/ﾟ mark (ｶﾞ for ガ).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from sonae.engines.textscan.normalize import fold_for_terms
from sonae.engines.textscan.numbers import Candidate


def _term_pattern(term: str) -> str:
    folded = fold_for_terms(term)
    parts: list[str] = []
    for char in folded:
        if char == " ":
            parts.append(r"\s*")
            continue
        base = unicodedata.normalize("NFD", char)
        if len(base) == 2 and base[1] in "\u3099\u309a" and "ァ" <= base[0] <= "ヺ":
            mark = "゛" if base[1] == "\u3099" else "゜"
            parts.append(f"(?:{re.escape(char)}|{re.escape(base[0])}{mark})")
        else:
            parts.append(re.escape(char))
    pattern = "".join(parts)
    # ASCII words get ASCII edges ("acme" not inside "acmeX"); Japanese terms cannot have edges.
    if folded[:1].isascii() and folded[:1].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if folded[-1:].isascii() and folded[-1:].isalnum():
        pattern += r"(?![a-z0-9])"
    return pattern


@lru_cache(maxsize=64)
def compile_terms(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted(terms, key=lambda t: len(fold_for_terms(t)), reverse=True)
    return re.compile("|".join(_term_pattern(t) for t in ordered))


def find_terms(text: str, terms: tuple[str, ...]) -> Iterator[Candidate]:
    pattern = compile_terms(terms)
    if pattern is None:
        return
    for match in pattern.finditer(fold_for_terms(text)):
        if match.end() > match.start():
            yield Candidate("custom_term", match.start(), match.end(), 30, "policy")
