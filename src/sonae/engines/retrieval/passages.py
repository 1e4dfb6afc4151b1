"""Rule documents cut into passages: the units the Q&A ranks, quotes and cites.

A document becomes a list of `Block`s (heading, paragraph, list item, table row) by one of the
readers (sonae.engines.retrieval.readers); `passages_from_blocks` groups the blocks under their
headings and packs them into passages of at most ~MAX_PASSAGE_CHARS, each carrying its section's
heading path ("5 データ入力に際して注意すべき事項 > 入力禁止情報リスト"). A passage never spans two
sections, so a citation always names the one section the quoted text stands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A section longer than this is cut into several passages (at block boundaries): long enough for a
# rule with its conditions, short enough to quote on a phone screen.
MAX_PASSAGE_CHARS = 500
# Text before the first heading (a policy's preamble) is cited under this name.
PREAMBLE = "前文"
SECTION_SEPARATOR = " > "


@dataclass(frozen=True)
class Block:
    """One piece of a document in reading order. `level` is 1.. for headings, 0 for text."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class Passage:
    """A quotable piece of one section of one document.

    `document` is the title shown in a citation, `version` its version label ("第2版", may be empty),
    `source` a stable key of the document (a file name, or "version:12" in the web app).
    """

    document: str
    section: str
    text: str
    source: str = ""
    version: str = ""
    position: int = 0
    title: str = ""  # the document's own title line, indexed with every passage (routes "ガイドラインの…")

    def to_dict(self) -> dict:
        return {"document": self.document, "section": self.section, "text": self.text, "source": self.source,
                "version": self.version, "position": self.position, "title": self.title}

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        return cls(document=str(data["document"]), section=str(data["section"]), text=str(data["text"]),
                   source=str(data.get("source", "")), version=str(data.get("version", "")),
                   position=int(data.get("position", 0)), title=str(data.get("title", "")))


@dataclass
class _Section:
    path: list[str]
    lines: list[str] = field(default_factory=list)


_SPACES = re.compile(r"[ \t\u3000]+")


def clean_line(text: str) -> str:
    """One line of text with runs of spaces folded and control characters dropped."""
    text = "".join(ch for ch in text if ch in "\t\n" or ch >= " " and ch != "\x7f")
    return _SPACES.sub(" ", text).strip()


def _sections(blocks: list[Block], title: str) -> list[_Section]:
    """Group blocks under their heading paths; a heading equal to the document title is not a section."""
    sections: list[_Section] = []
    stack: list[tuple[int, str]] = []
    current = _Section([PREAMBLE])
    for block in blocks:
        text = clean_line(block.text)
        if not text:
            continue
        if block.level > 0:
            if not stack and not sections and not current.lines and text == title:
                continue  # the title line itself
            if current.lines:
                sections.append(current)
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, text))
            current = _Section([heading for _level, heading in stack])
        else:
            current.lines.append(text)
    if current.lines:
        sections.append(current)
    return sections


def _pack(lines: list[str], limit: int) -> list[str]:
    """Join lines into pieces of at most `limit` characters; a longer line is cut at sentence ends."""
    pieces: list[str] = []
    buffer = ""
    for line in lines:
        for part in _cut_long(line, limit):
            if buffer and len(buffer) + 1 + len(part) > limit:
                pieces.append(buffer)
                buffer = part
            else:
                buffer = f"{buffer}\n{part}" if buffer else part
    if buffer:
        pieces.append(buffer)
    return pieces


_SENTENCE_END = re.compile(r"(?<=[。．！？!?])")


def _cut_long(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    out: list[str] = []
    buffer = ""
    for sentence in (s for s in _SENTENCE_END.split(line) if s):
        while len(sentence) > limit:  # a "sentence" with no end mark at all: hard cut
            if buffer:
                out.append(buffer)
                buffer = ""
            out.append(sentence[:limit])
            sentence = sentence[limit:]
        if len(buffer) + len(sentence) > limit:
            out.append(buffer)
            buffer = sentence
        else:
            buffer += sentence
    if buffer:
        out.append(buffer)
    return out


def passages_from_blocks(
    blocks: list[Block],
    *,
    document: str,
    title: str | None = None,
    source: str = "",
    version: str = "",
    max_chars: int = MAX_PASSAGE_CHARS,
) -> list[Passage]:
    """`title` is the document's own title line (left out of the heading paths); `document` names it in citations."""
    passages: list[Passage] = []
    own_title = title if title is not None else document
    for section in _sections(blocks, own_title):
        label = SECTION_SEPARATOR.join(section.path)
        for piece in _pack(section.lines, max_chars):
            passages.append(Passage(document=document, section=label, text=piece, source=source, version=version,
                                    position=len(passages), title=own_title or document))
    return passages
