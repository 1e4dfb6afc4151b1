"""Turn a mail's HTML into plain text plus its links, with the stdlib HTML parser.

Nothing of the HTML is ever rendered: scripts, styles and comments are dropped, the text is returned
as plain text, and each <a> gives its href and the text a person would have seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

MAX_HTML_CHARS = 2_000_000
MAX_ANCHORS = 2000

_BLOCK_TAGS = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "header", "footer", "hr", "pre", "dd", "dt", "center",
}
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"}


@dataclass
class Anchor:
    href: str
    text: str
    start: int  # span of the anchor's text in the produced plain text
    end: int


@dataclass
class HtmlContent:
    text: str
    anchors: list[Anchor] = field(default_factory=list)
    forms: int = 0
    scripts: int = 0
    truncated: bool = False


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.skip_depth = 0
        self.anchors: list[Anchor] = []
        self.open_anchor: tuple[str, int, int] | None = None
        self.forms = 0
        self.scripts = 0

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
            if tag == "script":
                self.scripts += 1
            return
        if tag == "form":
            self.forms += 1
        if tag in _BLOCK_TAGS:
            self._emit("\n")
        if tag == "a":
            href = next((value for name, value in attrs if name == "href" and value), None)
            if href is not None:
                self._close_anchor()
                self.open_anchor = (href.strip(), self.length, len(self.parts))
        elif tag == "img":
            alt = next((value for name, value in attrs if name == "alt" and value), None)
            if alt:
                self._emit(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "a":
            self._close_anchor()
        if tag in _BLOCK_TAGS:
            self._emit("\n")

    def _close_anchor(self) -> None:
        if self.open_anchor is None:
            return
        href, start, first_part = self.open_anchor
        self.open_anchor = None
        if len(self.anchors) < MAX_ANCHORS:
            text = "".join(self.parts[first_part:]) if self.length - start < 2000 else ""
            self.anchors.append(Anchor(href, " ".join(text.split()), start, self.length))

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self._emit(data)


def html_to_text(html: str) -> HtmlContent:
    truncated = len(html) > MAX_HTML_CHARS
    parser = _Extractor()
    try:
        parser.feed(html[:MAX_HTML_CHARS])
        parser.close()
    except Exception:  # noqa: BLE001 - hostile markup must never stop the check
        truncated = True
    parser._close_anchor()
    raw = "".join(parser.parts)
    # Collapse runs of blank lines and spaces, keeping anchor spans right by rebuilding them.
    text, mapping = _squeeze(raw)
    anchors = [
        Anchor(a.href, a.text, mapping[min(a.start, len(raw))], mapping[min(a.end, len(raw))])
        for a in parser.anchors
    ]
    return HtmlContent(text, anchors, parser.forms, parser.scripts, truncated)


def _squeeze(raw: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs; return the text and a map from raw offsets to new offsets."""
    out: list[str] = []
    mapping = [0] * (len(raw) + 1)
    length = 0
    pending_space = ""
    newlines = 0
    for index, char in enumerate(raw):
        mapping[index] = length + (1 if pending_space and length else 0)
        if char in " \t\r\f\v\u00a0\u3000" or char == "\n":
            if char == "\n":
                newlines += 1
                pending_space = "\n"
            elif not pending_space:
                pending_space = " "
            continue
        if pending_space and length:
            sep = "\n\n" if newlines >= 2 else pending_space
            out.append(sep)
            length += len(sep)
        pending_space = ""
        newlines = 0
        out.append(char)
        length += 1
        mapping[index] = length - 1
    mapping[len(raw)] = length
    return "".join(out), mapping
