"""Retrieval over an organisation's rule documents, for the 社内ルールQ&A. Pure Python, offline.

Public API (used by the `sonae rules ask` command, the aiuse app and bench/rules_qa_eval.py):
- `read_document(filename, data) -> DocumentText` (Markdown / .docx / PDF bytes; raises
  `UnreadableDocument` with .ja/.en) and `passages_of(filename, data, document=..., ...)`;
- `passages_from_markdown(text, document=..., ...)` for sonae's own rendered documents;
- `RulesIndex.build(passages, tokenizer=...)`, `.ask(question) -> Answer`, `.to_dict()` / `from_dict`;
- `Answer.to_dict()` — {"answer", "citations": [{"document", "section", "quote"}], "found"};
- `contacts_in(passages)` — contact points named in the documents (for "ask this person").
"""

from __future__ import annotations

from .passages import MAX_PASSAGE_CHARS, Block, Passage, passages_from_blocks
from .qa import (
    MAX_QUESTION_CHARS,
    NO_ANSWER_THRESHOLD,
    Answer,
    Hit,
    QuestionError,
    RulesIndex,
    answer_text_ja,
    citation_label,
    clean_question,
    contacts_in,
    not_found_text_ja,
)
from .readers import FORMATS, MAX_FILE_BYTES, MAX_PDF_PAGES, DocumentText, UnreadableDocument, format_of, read_document, read_markdown
from .tokenize import DEFAULT_TOKENIZER, NgramTokenizer, tokenizer_named

__all__ = [
    "DEFAULT_TOKENIZER", "FORMATS", "MAX_FILE_BYTES", "MAX_PASSAGE_CHARS", "MAX_PDF_PAGES", "MAX_QUESTION_CHARS",
    "NO_ANSWER_THRESHOLD", "Answer", "Block", "DocumentText", "Hit", "NgramTokenizer", "Passage", "QuestionError",
    "RulesIndex", "UnreadableDocument", "answer_text_ja", "citation_label", "clean_question", "contacts_in",
    "format_of", "not_found_text_ja", "passages_from_blocks", "passages_from_markdown", "passages_of",
    "read_document", "read_markdown", "tokenizer_named",
]


def passages_of(filename: str, data: bytes, *, document: str | None = None, source: str = "",
                version: str = "") -> list[Passage]:
    """Passages of a rule file; the document is cited by `document`, else its own title, else the file name."""
    text = read_document(filename, data)
    return passages_from_blocks(text.blocks, document=document or text.title or filename, title=text.title,
                                source=source or filename, version=version)


def passages_from_markdown(markdown: str, *, document: str, source: str = "", version: str = "") -> list[Passage]:
    text = read_markdown(markdown)
    return passages_from_blocks(text.blocks, document=document, title=text.title, source=source, version=version)
