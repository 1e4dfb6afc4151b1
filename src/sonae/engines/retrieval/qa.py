"""The rules Q&A: rank an organisation's rule passages for a question and decide whether they answer it.

`RulesIndex.build(passages)` indexes passages (heading path + text) with BM25 over the chosen
tokenizer; `index.ask(question)` returns an `Answer`: the best passages as citations when the best
one covers enough of the question's terms, or `found=False`. It never writes an answer of its own:
without a language model the answer *is* the quoted passage (see `answer_text_ja`).

The no-answer decision uses `coverage`: the idf-weighted share of the question's terms found in the
best passage. BM25 scores grow with the question's length and are not comparable across questions;
coverage is. NO_ANSWER_THRESHOLD was tuned on bench/data/rules_qa_labelled.jsonl and checked on the
held-out set (bench/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .bm25 import Bm25
from .passages import Passage
from .synonyms import VOCABULARY_VERSION
from .tokenize import DEFAULT_TOKENIZER, strip_question_noise, tokenizer_named

INDEX_FORMAT = 1  # bump when passages, terms or scoring change shape (stored indexes are then rebuilt)
NO_ANSWER_THRESHOLD = 0.34
MAX_CITATIONS = 3
# A further passage is cited when it scores at least this share of the best one.
CITE_RELATIVE_SCORE = 0.6
# A question longer than this is cut before ranking (a pasted 100 kB "question" still gets an answer).
MAX_QUESTION_CHARS = 2000


class QuestionError(ValueError):
    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja = ja
        self.en = en


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    coverage: float


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    citations: list[Hit] = field(default_factory=list)
    best: Hit | None = None  # the best passage even when it does not answer (for the bench and logs)

    def to_dict(self) -> dict:
        """The CLI contract: {"answer", "citations": [{"document", "section", "quote"}], "found"}."""
        return {
            "answer": answer_text_ja(self),
            "citations": [{"document": h.passage.document, "section": h.passage.section, "quote": h.passage.text}
                          for h in self.citations],
            "found": self.found,
        }


def clean_question(question: object) -> str:
    if not isinstance(question, str):
        raise QuestionError("質問を文字で入力してください。", "the question must be text")
    text = " ".join(question.split())
    if not text:
        raise QuestionError("質問を入力してください。", "the question is empty")
    return text[:MAX_QUESTION_CHARS]


def _index_text(passage: Passage) -> str:
    # The document's title and the heading path are part of what a passage is about ("ガイドラインの…",
    # "禁止される用途"), so they are indexed with it.
    return f"{passage.title}\n{passage.section}\n{passage.text}"


@dataclass
class RulesIndex:
    passages: list[Passage]
    bm25: Bm25
    tokenizer: str = DEFAULT_TOKENIZER
    threshold: float = NO_ANSWER_THRESHOLD

    @classmethod
    def build(cls, passages: list[Passage], *, tokenizer: str = DEFAULT_TOKENIZER,
              threshold: float = NO_ANSWER_THRESHOLD) -> RulesIndex:
        tok = tokenizer_named(tokenizer)
        return cls(list(passages), Bm25.build([tok.tokens(_index_text(p)) for p in passages]), tokenizer, threshold)

    def question_terms(self, question: str) -> list[str]:
        tok = tokenizer_named(self.tokenizer)
        terms = tok.tokens(strip_question_noise(question))
        return terms or tok.tokens(question)

    def _key_terms(self, question: str) -> list[str]:
        tok = tokenizer_named(self.tokenizer)
        terms = tok.key_terms(strip_question_noise(question))
        return terms or tok.key_terms(question)

    def search(self, question: str, k: int = 10) -> list[Hit]:
        question = clean_question(question)
        terms, keys = self.question_terms(question), self._key_terms(question)
        scores = self.bm25.scores(terms)
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
        return [Hit(self.passages[i], scores[i], self.bm25.coverage(keys, i)) for i in order if scores[i] > 0]

    def ask(self, question: str) -> Answer:
        question = clean_question(question)
        hits = self.search(question, k=20)
        if not hits:
            return Answer(question, False)
        best = hits[0]
        if best.coverage < self.threshold:
            return Answer(question, False, best=best)
        citations: list[Hit] = []
        seen: set[tuple[str, str]] = set()
        for hit in hits:
            key = (hit.passage.source or hit.passage.document, hit.passage.section)
            if key in seen:
                continue
            if citations and (hit.score < best.score * CITE_RELATIVE_SCORE or hit.coverage < self.threshold):
                break
            seen.add(key)
            citations.append(hit)
            if len(citations) == MAX_CITATIONS:
                break
        return Answer(question, True, citations, best)

    def to_dict(self) -> dict:
        return {"format": INDEX_FORMAT, "vocabulary": VOCABULARY_VERSION, "tokenizer": self.tokenizer, "threshold": self.threshold,
                "passages": [p.to_dict() for p in self.passages], "bm25": self.bm25.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> RulesIndex:
        if data.get("format") != INDEX_FORMAT or data.get("vocabulary") != VOCABULARY_VERSION:
            raise ValueError("index format changed; rebuild the index")
        return cls([Passage.from_dict(p) for p in data["passages"]], Bm25.from_dict(data["bm25"]),
                   str(data["tokenizer"]), float(data["threshold"]))


def citation_label(passage: Passage) -> str:
    version = f"（{passage.version}）" if passage.version else ""
    return f"「{passage.document}」{version}の「{passage.section}」"


def answer_text_ja(answer: Answer, contacts: list[str] | None = None) -> str:
    """The answer as text, made only of the documents' own words (no model involved)."""
    if not answer.found:
        return not_found_text_ja(contacts or [])
    first = answer.citations[0].passage
    text = f"{citation_label(first)}に、次のように定められています。\n{first.text}"
    others = [citation_label(h.passage) for h in answer.citations[1:]]
    if others:
        text += "\nあわせて " + "、".join(others) + " も確認してください。"
    return text


def not_found_text_ja(contacts: list[str]) -> str:
    text = "承認済みの社内ルールには、この質問に答える箇所が見つかりませんでした（推測では答えません）。"
    if contacts:
        text += "次の窓口に確認してください: " + " / ".join(contacts)
    else:
        text += "ルールの担当者に確認してください。"
    return text


_CONTACT_LABEL = r"(?:問い?合わ?せ(?:先|窓口)|お問い?合わ?せ|相談(?:先|窓口)|担当窓口)"
# "問い合わせ先: 総務部 内線201" on one line, or the label alone with the value on the next line (a PDF table).
_CONTACT_LINE = re.compile(rf"^{_CONTACT_LABEL}[^:：\n/]{{0,20}}(?:[:：]| / |\n)\s*([^\n/]+)", re.MULTILINE)


def contacts_in(passages: list[Passage]) -> list[str]:
    """Contact points the documents themselves name ("問い合わせ先: 総務部 内線201"), for a question
    they do not answer; each with the document it comes from."""
    found: list[str] = []
    for passage in passages:
        for match in _CONTACT_LINE.finditer(passage.text):
            entry = f"{match.group(1).strip()}（{passage.document}）"
            if entry not in found:
                found.append(entry)
    return found[:5]
