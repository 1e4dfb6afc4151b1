"""Indexes built once from the catalog: brand names in text, official hosts, brand tokens, risky hosts.

Built lazily on first use and kept for the life of the process, so a check does no set-up work.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sonae.catalog.brands import Brand, load_brands, load_risky_hosts, load_shorteners
from sonae.engines.messages.wording import has_cjk


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation shaped as a trie, so matching hundreds of names stays fast."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        alternatives = []
        optional = False
        for char in sorted(node):
            if char == "":
                optional = True
                continue
            alternatives.append(re.escape(char) + build(node[char]))
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if optional:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


@dataclass(frozen=True)
class BrandHit:
    brand_id: str
    alias: str
    start: int
    end: int


class Knowledge:
    def __init__(self) -> None:
        catalog = load_brands()
        self.brands: dict[str, Brand] = {brand.id: brand for brand in catalog.brands}
        # Alias (NFKC, and case-folded unless exact-case) -> brand ids.
        self._alias_ci: dict[str, set[str]] = {}
        self._alias_cs: dict[str, set[str]] = {}
        for brand in catalog.brands:
            for alias in brand.aliases:
                key = unicodedata.normalize("NFKC", alias)
                if alias in brand.exact_case:
                    self._alias_cs.setdefault(key, set()).add(brand.id)
                else:
                    self._alias_ci.setdefault(key.lower(), set()).add(brand.id)
        # Matched against lower-cased text (faster than IGNORECASE on a large alternation).
        self._ci_re = self._compile(list(self._alias_ci), 0)
        self._ci_re_fallback = self._compile(list(self._alias_ci), re.IGNORECASE)
        self._cs_re = self._compile(list(self._alias_cs), 0)
        # The same searches for ASCII text: only the patterns of names written in ASCII can match there.
        self._ci_re_ascii = self._compile([a for a in self._alias_ci if a.isascii()], 0)
        self._cs_re_ascii = self._compile([a for a in self._alias_cs if a.isascii()], 0)
        # And for text without kana, kanji or CJK punctuation (English with accents or curly quotes):
        # a name holding such a character cannot occur there.
        self._ci_re_below_cjk = self._compile([a for a in self._alias_ci if not has_cjk(a)], 0)
        self._cs_re_below_cjk = self._compile([a for a in self._alias_cs if not has_cjk(a)], 0)

        # Official host suffix -> brand ids.
        self.official: dict[str, set[str]] = {}
        for brand in catalog.brands:
            for domain in brand.domains:
                self.official.setdefault(domain, set()).add(brand.id)
        # Registrable labels of official domains (for look-alike checks): label -> brand ids.
        self.official_labels: dict[str, set[str]] = {}
        from sonae.engines.messages.hosts import normalise_host

        for domain, ids in self.official.items():
            host = normalise_host(domain)
            if host.label and len(host.label) >= 4:
                self.official_labels.setdefault(host.label, set()).update(ids)
        # Brand tokens to look for inside other hosts.
        self.tokens: dict[str, set[str]] = {}
        for brand in catalog.brands:
            for token in brand.tokens:
                self.tokens.setdefault(token.replace("-", ""), set()).add(brand.id)
                if "-" in token:
                    self.tokens.setdefault(token, set()).add(brand.id)

        shorteners = load_shorteners()
        self.shorteners: dict[str, str | None] = {s.host: s.brand for s in shorteners.shorteners}
        risky = load_risky_hosts()
        self.tld_high = frozenset(risky.suspicious_tlds.high)
        self.tld_elevated = frozenset(risky.suspicious_tlds.elevated)
        self.dynamic_dns = frozenset(risky.dynamic_dns.hosts)
        self.free_hosting = frozenset(risky.free_hosting.hosts)
        self.free_mail = frozenset(risky.free_mail.hosts)

    @staticmethod
    def _compile(aliases: list[str], flags: int) -> list[re.Pattern[str]]:
        if not aliases:
            return []
        latin = [a for a in aliases if _is_latin(a)]
        mixed = [a for a in aliases if not _is_latin(a) and _is_latin(a[0])]
        other = [a for a in aliases if not _is_latin(a) and not _is_latin(a[0])]
        parts = []
        # Mixed names first, so "MUFGカード" wins over "MUFG"; Latin names must stand alone
        # (not inside a longer word): "au" is not in "because".
        # No look-behind in the pattern (it would stop the regex engine from skipping ahead to possible
        # first letters); find_brands drops matches that follow a letter or digit instead.
        if mixed:
            parts.append("(?:" + _trie_pattern(mixed) + ")")
        if latin:
            parts.append("(?:" + _trie_pattern(latin) + r")(?![A-Za-z0-9])")
        if other:
            parts.append(_trie_pattern(other))
        # Separate patterns, not one alternation: each can then skip ahead to its possible first letters,
        # which is several times faster on long texts. Overlaps are resolved in find_brands.
        return [re.compile(part, flags) for part in parts]

    def find_brands(self, text: str) -> list[BrandHit]:
        """Brand names in text. `text` should already be NFKC-normalised; spans are into it."""
        lower = text.lower()
        if text.isascii():
            # Names with a character beyond ASCII (MUFGカード, 三井住友) cannot occur in ASCII text.
            folded, ci_pattern, cs_pattern = lower, self._ci_re_ascii, self._cs_re_ascii
        elif len(lower) == len(text):
            if not has_cjk(lower) and not has_cjk(text):
                folded, ci_pattern, cs_pattern = lower, self._ci_re_below_cjk, self._cs_re_below_cjk
            else:
                folded, ci_pattern, cs_pattern = lower, self._ci_re, self._cs_re
        else:  # a few characters change length when lower-cased; keep spans right
            folded, ci_pattern, cs_pattern = text, self._ci_re_fallback, self._cs_re
        return self._find_with(text, folded, ci_pattern, cs_pattern)

    def _find_with(self, text: str, folded: str, ci_pattern: list[re.Pattern[str]],
                   cs_pattern: list[re.Pattern[str]]) -> list[BrandHit]:
        hits: list[BrandHit] = []
        searches = [(pattern, self._alias_ci, True, folded) for pattern in ci_pattern]
        searches += [(pattern, self._alias_cs, False, text) for pattern in cs_pattern]
        for pattern, table, fold, subject in searches:
            for match in pattern.finditer(subject):
                alias = text[match.start(): match.end()]
                if not alias:
                    continue
                start = match.start()
                if start and alias[0].isascii() and text[start - 1].isascii() and text[start - 1].isalnum():
                    continue  # inside a longer word: "au" in "because"
                ids = table.get(alias.lower() if fold else alias)
                if not ids:
                    continue
                for brand_id in sorted(ids):
                    hits.append(BrandHit(brand_id, alias, match.start(), match.end()))
        if len(hits) < 2:
            return hits
        # The longest name wins where names overlap: "MUFGカード" hides the "MUFG" inside it.
        hits.sort(key=lambda h: (h.start, -(h.end - h.start), h.brand_id))
        kept: list[BrandHit] = []
        for hit in hits:
            if kept and hit.start < kept[-1].end and (hit.start, hit.end) != (kept[-1].start, kept[-1].end):
                continue
            kept.append(hit)
        return kept

    def brand_name(self, brand_id: str, language: str = "ja") -> str:
        brand = self.brands.get(brand_id)
        if brand is None:
            return brand_id
        return brand.names.ja if language == "ja" else brand.names.en


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    return Knowledge()
