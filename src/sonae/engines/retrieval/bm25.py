"""Okapi BM25 over passages, small enough to read in one sitting.

Written here rather than taken from rank-bm25: ours is ~60 lines with no numpy, stores as plain
JSON (term frequencies per passage), and also gives the share of a question's terms a passage
covers, which the no-answer decision needs (a BM25 score alone is not comparable across questions).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

K1 = 1.5
# Length normalisation: rule passages run from one line to a whole table; full normalisation (0.75)
# let one-line sections win too often on the labelled questions (bench/README.md).
B = 0.5


@dataclass
class Bm25:
    """Term frequencies of each passage plus the collection statistics BM25 needs."""

    term_frequencies: list[dict[str, int]]
    lengths: list[int]
    document_frequency: dict[str, int]
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.postings:
            for index, freq in enumerate(self.term_frequencies):
                for term, tf in freq.items():
                    self.postings.setdefault(term, []).append((index, tf))

    @classmethod
    def build(cls, passages_terms: list[list[str]]) -> Bm25:
        frequencies = [dict(Counter(terms)) for terms in passages_terms]
        df: Counter[str] = Counter()
        for freq in frequencies:
            df.update(freq.keys())
        return cls(frequencies, [len(terms) for terms in passages_terms], dict(df))

    @property
    def size(self) -> int:
        return len(self.lengths)

    @property
    def average_length(self) -> float:
        return (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0

    def idf(self, term: str) -> float:
        """Lucene's non-negative BM25 idf; a term no passage has gets the highest value."""
        n = self.size
        df = self.document_frequency.get(term, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query_terms: list[str]) -> list[float]:
        """BM25 score of every passage for the (unique) query terms."""
        terms = list(dict.fromkeys(query_terms))
        average = self.average_length or 1.0
        out = [0.0] * self.size
        for term in terms:
            postings = self.postings.get(term)
            if not postings:
                continue
            weight = self.idf(term)
            for index, tf in postings:
                norm = K1 * (1 - B + B * self.lengths[index] / average)
                out[index] += weight * tf * (K1 + 1) / (tf + norm)
        return out

    def coverage(self, query_terms: list[str], index: int) -> float:
        """Share (weighted by idf) of the question's terms that passage `index` contains, 0..1."""
        terms = list(dict.fromkeys(query_terms))
        total = sum(self.idf(t) for t in terms)
        if total <= 0:
            return 0.0
        freq = self.term_frequencies[index]
        return sum(self.idf(t) for t in terms if t in freq) / total

    def to_dict(self) -> dict:
        return {"tf": self.term_frequencies, "lengths": self.lengths}

    @classmethod
    def from_dict(cls, data: dict) -> Bm25:
        frequencies = [{str(k): int(v) for k, v in freq.items()} for freq in data["tf"]]
        df: Counter[str] = Counter()
        for freq in frequencies:
            df.update(freq.keys())
        return cls(frequencies, [int(n) for n in data["lengths"]], dict(df))
