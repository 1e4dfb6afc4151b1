"""Markdown rendering of built blocks (GitHub-flavoured tables)."""

from __future__ import annotations

import re

from .blocks import Built, Bullets, Card, Heading, KeyValues, PageBreak, Para, Table

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _inline(text: str) -> str:
    """User text as literal Markdown: escape markup, keep line breaks."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def _cell(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "<br>")


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def render_markdown(built: Built) -> bytes:
    meta = built.meta
    lines = [f"# {_inline(meta.title)}", ""]
    if meta.org_name:
        lines += [f"**{_inline(meta.org_name)}**", ""]
    for part in meta.lines():
        lines += [_inline(part) + "  "]
    if meta.lines():
        lines.append("")
    for block in built.blocks:
        if isinstance(block, Heading):
            lines += ["#" * (block.level + 1) + " " + _inline(block.text), ""]
        elif isinstance(block, Para):
            if block.style == "note":
                lines += [f"*{_inline(block.text)}*", ""]
            elif block.style == "signature":
                lines += ["", _inline(block.text), ""]
            else:
                lines += [_inline(block.text), ""]
        elif isinstance(block, Bullets):
            for index, item in enumerate(block.items, start=1):
                lines.append(f"{index}. {_inline(item)}" if block.ordered else f"- {_inline(item)}")
            lines.append("")
        elif isinstance(block, KeyValues):
            lines += _table(["項目", "内容"], [list(row) for row in block.rows])
        elif isinstance(block, Table):
            rows = block.rows + ([block.total_row] if block.total_row else [])
            lines += _table(block.headers, rows)
        elif isinstance(block, PageBreak):
            lines += ["---", ""]
        elif isinstance(block, Card):
            lines += _card(block)
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _card(card: Card) -> list[str]:
    lines = [f"## {_inline(card.title)}" + (f" — {_inline(card.org_name)}" if card.org_name else ""), "",
             f"**{_inline(card.headline)}**", ""]
    for title, steps in card.scenarios:
        lines += [f"### {_inline(title)}", ""]
        lines += [f"{i}. {_inline(step)}" for i, step in enumerate(steps, start=1)] + [""]
    if card.own_contacts:
        lines += ["### 社内・取引先の連絡先", ""]
        lines += _table(["役割", "氏名・名称", "電話"], [[c.label, c.name, c.reach] for c in card.own_contacts])
    lines += ["### 公的な相談窓口", ""]
    lines += _table(["窓口", "連絡先"], [[c.label, c.reach] for c in card.public_contacts])
    return lines
