"""Turn a mail's HTML into plain text plus its links, with the stdlib HTML parser.

Nothing of the HTML is ever rendered: scripts, styles and comments are dropped, the text is returned
as plain text, and each <a> gives its href and the text a person would have seen.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from sonae.engines.messages.knowledge import _trie_pattern

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

    def parse_starttag(self, i: int) -> int:
        # Where the parser has found a start tag: an <a> or <img> whose attributes are all quoted
        # name="value" pairs (ASCII blanks between, no < > in values) is read here with the same result
        # as the parser's (names lower-cased, quotes removed, non-empty values unescaped); an <img>
        # without alt needs no attributes at all (handle_starttag reads only alt). Anything else: parser.
        plain = _PLAIN_TAG_RE.match(self.rawdata, i)
        if plain is None:
            return super().parse_starttag(i)
        tag = plain.group(1).lower()
        attributes = plain.group(2)
        if tag == "img" and not _ALT_RE.search(attributes):
            attrs: list[tuple[str, str | None]] = []
        else:
            attrs = [
                (name.lower(), unescape(value[1:-1]) if len(value) > 2 else value[1:-1])
                for name, value in _PLAIN_ATTR_RE.findall(attributes)
            ]
        self.lasttag = tag
        self.handle_starttag(tag, attrs)
        return plain.end()

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


# Comments and the content of script, style ... up to the closing tag or the end. Written as the lazy
# "<!--.*?(?:-->|$)" and "<(script|...)\b[^>]*>.*?(?:</\1\s*>|$)" (IGNORECASE, DOTALL) match, but the
# content is consumed in runs of characters that cannot end it (anything but "-", "<" or a line break;
# a line break that is not the last character, where "$" matches) instead of one character per try.
_DROP_BLOCKS_RE = re.compile(
    r"<!--(?:[^-\n]+|-(?!->)|\n(?!\Z))*(?:-->|$)"
    r"|<(?i:(script|style|head|noscript|template|svg))\b[^>]*>"
    r"(?:[^<\n]+|\n(?!\Z)|<(?!/(?i:\1)\s*>))*(?:</(?i:\1)\s*>|$)",
    re.DOTALL,
)
_KEPT_TAGS = "a|img|form|object|iframe|title"
# Before parsing, block tags become line breaks and styling tags (span, font, td, b ...) disappear, both
# by regex: the parser then spends its time on links, not on layout.
# The names as a trie (b(?:lockquote|r)|d(?:d|iv|t)|...): at most one name can stand before the \b, so the
# order does not matter, and re tries a dozen first letters instead of every name at each "<".
_BLOCK_TAG_RE = re.compile(rf"</?{_trie_pattern(sorted(_BLOCK_TAGS))}\b[^>]*>", re.IGNORECASE)
_UNINTERESTING_TAG_RE = re.compile(rf"</?(?!(?:{_KEPT_TAGS})\b)[a-zA-Z][^>]*>", re.IGNORECASE)
_SCRIPT_RE = re.compile(r"<script\b", re.IGNORECASE)
_BLANK = r"[ \t\n\r\f]"
_PLAIN_ATTR = rf"""([a-z][a-z0-9_-]*){_BLANK}*={_BLANK}*("[^"<>]*"|'[^'<>]*')"""
_PLAIN_TAG_RE = re.compile(rf"<(a|img)((?:{_BLANK}+{_PLAIN_ATTR})*){_BLANK}*/?>", re.IGNORECASE)
_PLAIN_ATTR_RE = re.compile(_PLAIN_ATTR, re.IGNORECASE)
_ALT_RE = re.compile(rf"{_BLANK}alt{_BLANK}*=", re.IGNORECASE)


def _either_case(word: str) -> str:
    """"img" -> "[Ii][Mm][Gg]": ASCII letters of either case only (IGNORECASE would also take "ı" for "i")."""
    return "".join(f"[{char.upper()}{char}]" if char.isalpha() else re.escape(char) for char in word)


# After _slim, most HTML holds only text and tags of a few simple shapes. _fast_feed reads those and
# gives the handlers what the HTML parser gives them; at any "<" it does not recognise it gives up, and
# the parser reads the whole document instead. Recognised, where the parser itself would find a tag:
# - a start tag of a kept name: blanks between attributes, each `name`, `name=value`, `name="value"` or
#   `name='value'` (ASCII names; no < > in values; bare values without quotes, "=", "`" or blanks),
#   closed by ">" or "/>";
# - an end tag of a kept name, "</a>" (blanks allowed before ">");
# - a <!DOCTYPE ...> declaration, which gives nothing.
_FAST_NAMES = "|".join(_either_case(name) for name in ("a", "img", "form", "object", "iframe", "title"))
_FAST_VALUE = r"""(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+)"""
_FAST_ATTR = rf"[A-Za-z][A-Za-z0-9_-]*(?:{_BLANK}*={_BLANK}*{_FAST_VALUE})?"
_FAST_TOKEN_RE = re.compile(
    rf"<(?:({_FAST_NAMES})((?:{_BLANK}+{_FAST_ATTR})*){_BLANK}*(/?)>"
    rf"|/({_FAST_NAMES}){_BLANK}*>|{_either_case('!doctype')}[^>]*>)"
)
_ATTRIBUTES_UNREAD = frozenset({"form", "object", "iframe", "title"})
_FAST_ATTR_RE = re.compile(rf"([A-Za-z][A-Za-z0-9_-]*)(?:{_BLANK}*={_BLANK}*({_FAST_VALUE}))?")


def _fast_attr(source: str, wanted: str) -> list[tuple[str, str | None]]:
    """[(wanted, value)] for the first attribute of that name whose value is not empty once unquoted and
    unescaped - the one handle_starttag reads (an <a>'s href, an <img>'s alt) - or []."""
    for name, value in _FAST_ATTR_RE.findall(source):
        if value and name.lower() == wanted:
            if value[0] in "\"'":
                value = value[1:-1]
            if "&" in value:
                value = unescape(value)
            if value:
                return [(wanted, value)]
    return []


def _fast_feed(parser: "_Extractor", html: str) -> bool:
    """Read `html` into the parser's handlers without the parser; False (handlers partly called) at the
    first "<" that is not one of the simple shapes above. Text between tags goes where handle_data
    would put it (nowhere inside a skipped element), unescaped as the parser does (convert_charrefs)."""
    position = 0
    find = html.find
    match = _FAST_TOKEN_RE.match
    parts = parser.parts
    length = len(html)
    while True:
        opening = find("<", position)
        end = length if opening == -1 else opening
        if end > position and not parser.skip_depth:
            data = html[position:end]
            if "&" in data:
                data = unescape(data)
            parts.append(data)
            parser.length += len(data)
        if opening == -1:
            return True
        if html.startswith(("</a>", "</A>"), opening):  # a third of the tags: what handle_endtag("a") does
            parser._close_anchor()
            position = opening + 4
            continue
        token = match(html, opening)
        if token is None:
            return False
        tag, attributes, closed, end_tag = token.groups()
        if tag is not None:
            tag = tag.lower()
            # handle_starttag reads only an <a>'s href and an <img>'s alt: other attributes are not needed.
            if not attributes or tag in _ATTRIBUTES_UNREAD or (tag == "img" and not _ALT_RE.search(attributes)):
                attrs = []
            else:
                attrs = _fast_attr(attributes, "href" if tag == "a" else "alt")
            if closed:
                parser.handle_startendtag(tag, attrs)
            else:
                parser.handle_starttag(tag, attrs)
        elif end_tag is not None:
            parser.handle_endtag(end_tag.lower())
        position = token.end()


def _slim(html: str) -> tuple[str, int]:
    """Remove what is never shown (comments, scripts, styles) and layout tags; count scripts."""
    scripts = len(_SCRIPT_RE.findall(html))
    html = _DROP_BLOCKS_RE.sub(" ", html)
    html = _BLOCK_TAG_RE.sub("\n", html)
    html = _UNINTERESTING_TAG_RE.sub("", html)
    return html, scripts


def html_to_text(html: str) -> HtmlContent:
    truncated = len(html) > MAX_HTML_CHARS
    slim, scripts = _slim(html[:MAX_HTML_CHARS])
    parser = _Extractor()
    parser.scripts = scripts
    try:
        done = _fast_feed(parser, slim)
    except Exception:  # noqa: BLE001 - the parser below decides
        done = False
    if not done:
        parser = _Extractor()
        parser.scripts = scripts
        try:
            parser.feed(slim)
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
    return HtmlContent(text, anchors, parser.forms, max(parser.scripts, scripts), truncated)


# Only runs that change: a single plain space between words is left alone (and not visited). These are
# the matches of [ws]{2,}|[ws but space]|^ | $, written to open with one character class: re then skips
# ahead to the next blank in C instead of trying four alternatives at every character. After the first
# blank: a non-space takes the whole run; a space needs a second blank, or to stand first or last.
_WS = r"[ \t\r\f\v\u00a0\u3000\n]"
_SPACE_RUN_RE = re.compile(rf"{_WS}(?:(?<! ){_WS}*|{_WS}+|(?<=^ )|$)")


_SPACE_SPLIT_RE = re.compile(f"({_SPACE_RUN_RE.pattern})")


def _squeeze(raw: str) -> tuple[str, "_OffsetMap"]:
    """Collapse whitespace runs (a run with 2+ newlines becomes a blank line, one newline stays,
    other runs become one space; leading and trailing runs go). Returns the text and an offset map.

    Runs never touch (each is as long as the blanks go), so splitting at them gives the kept pieces at
    even places, where only the first and the last can be empty (a run at the start or the end)."""
    chunks = _SPACE_SPLIT_RE.split(raw)
    pieces = chunks[0::2]
    first = 0 if pieces[0] else 1
    last = len(pieces) if pieces[-1] else len(pieces) - 1
    if first >= last:
        return "", _OffsetMap([], [], 0)
    separators = ["\n\n" if run.count("\n") >= 2 else "\n" if "\n" in run else " " for run in chunks[1::2]]
    joined: list[str] = [""] * (2 * (last - first) - 1)
    joined[0::2] = pieces[first:last]
    joined[1::2] = separators[first: last - 1]
    raw_offsets = list(accumulate(map(len, chunks), initial=0))
    new_offsets = list(accumulate(map(len, joined), initial=0))
    return "".join(joined), _OffsetMap(raw_offsets[2 * first: 2 * last: 2], new_offsets[0::2][: last - first],
                                       new_offsets[-1])


class _OffsetMap:
    """Maps an offset in the raw text to the squeezed text (offsets inside a removed run snap forward)."""

    def __init__(self, starts: list[int], new_starts: list[int], length: int) -> None:
        self.starts = starts
        self.new_starts = new_starts
        self.length = length

    def __getitem__(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            return 0
        piece_start = self.starts[index]
        piece_end = self.starts[index + 1] if index + 1 < len(self.starts) else None
        value = self.new_starts[index] + (offset - piece_start)
        next_start = self.new_starts[index + 1] if index + 1 < len(self.new_starts) else self.length
        return min(value, next_start if piece_end is not None else self.length)
