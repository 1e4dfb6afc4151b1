"""The guided builder: one step per section of the engine's definition, form fields named after it.

Field names: f-<section>-<field> for single values, f-<section>-<field>-<row>-<column> for table rows
(row = index) and grid rows (row = the fixed row id). Anything else starting with "f-" is a tampered
name and is reported, never stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, is_dataclass
from typing import Any

from django.utils.translation import gettext as _

from sonae.engines import documents as engine
from sonae.engines.documents import fields as F
from sonae.engines.documents.fields import Issue, Section
from sonae.i18n import pick

PREFIX = "f-"
_ROW_KEY = re.compile(r"^f-([a-z_]+)-([a-z_]+)-(\d{1,4})-([a-z_]+)$")


def steps_of(kind: str) -> list[Section]:
    """The sections a user fills in, in the official order."""
    return [s for s in engine.definition(kind).sections if s.fields]


def field_name(section: Section, field: F.Field) -> str:
    return f"{PREFIX}{section.id}-{field.id}"


def _number(raw: str) -> Any:
    text = unicodedata.normalize("NFKC", raw).replace(",", "").replace("円", "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return raw  # the engine reports "数値で入力してください"
    return value


def _scalar(field: F.Field, raw: str | None) -> Any:
    raw = (raw or "").replace("\r\n", "\n")
    if field.type == F.NUMBER:
        return _number(raw)
    if field.type == F.LIST:
        return [line.strip() for line in raw.split("\n") if line.strip()]
    if field.type in (F.TEXT, F.DATE, F.MONTH, F.CHOICE):
        return raw.strip()
    return raw


def _months(values: list[str]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        out.append(int(value) if value.isdigit() and len(value) <= 2 else value)
    return sorted(out, key=lambda m: (not isinstance(m, int), m if isinstance(m, int) else 0))


def parse_step(kind: str, section: Section, post) -> tuple[dict[tuple[str, str], Any], list[str]]:
    """(values to save, tampered names) for one step's POST."""
    values: dict[tuple[str, str], Any] = {}
    consumed: set[str] = set()
    table_rows: dict[str, dict[int, dict[str, str]]] = {}
    for key in post:
        match = _ROW_KEY.match(key)
        if match and match.group(1) == section.id:
            table_rows.setdefault(match.group(2), {}).setdefault(int(match.group(3)), {})[match.group(4)] = key
    for field in section.fields:
        name = field_name(section, field)
        if field.type == F.MONTHS_OF_YEAR:
            # Checkboxes: a hidden marker says the field was on the page, so "none ticked" clears it.
            if name + "-present" in post or name in post:
                values[(section.id, field.id)] = _months(post.getlist(name))
                consumed |= {name, name + "-present"}
        elif field.type == F.TABLE:
            if name + "-present" not in post:
                continue
            consumed.add(name + "-present")
            rows = []
            columns = {c.id: c for c in field.columns}
            for index in sorted(table_rows.get(field.id, {})):
                cells = table_rows[field.id][index]
                row = {}
                for column in field.columns:
                    row[column.id] = _scalar(column, post.get(cells[column.id])) if column.id in cells else column.empty_value()
                consumed |= {k for c, k in cells.items() if c in columns}
                rows.append(row)
            values[(section.id, field.id)] = rows
        elif field.type == F.GRID:
            if name + "-present" not in post:
                continue
            consumed.add(name + "-present")
            grid = {}
            for row in field.rows:
                cells = {}
                for column in field.columns:
                    key = f"{name}-{row.id}-{column.id}"
                    cells[column.id] = _scalar(column, post.get(key))
                    consumed.add(key)
                grid[row.id] = cells
            values[(section.id, field.id)] = grid
        elif name in post:
            values[(section.id, field.id)] = _scalar(field, post.get(name))
            consumed.add(name)
    tampered = sorted(k for k in post if k.startswith(PREFIX) and k not in consumed)
    return values, tampered


# --- what a template needs ------------------------------------------------------------------------


def _issues_at(issues: list[Issue], path: str) -> list[Issue]:
    return [i for i in issues if i.path == path or i.path.startswith(path + ".") or i.path.startswith(path + "[")]


def _display(field: F.Field, value: Any) -> Any:
    if value is None:
        return ""
    if field.type == F.LIST and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return value


def _cell_label(field: F.Field, issue: Issue, base: str) -> str:
    rest = issue.path[len(base):]
    match = re.match(r"^(?:\[(\d+)\]|\.([A-Za-z_]+))(?:\.([a-z_]+))?", rest)
    if not match:
        return ""
    index, row_id, column_id = match.groups()
    if index is not None:
        where = _("%(n)d行目") % {"n": int(index) + 1}
    else:
        where = next((pick(r.label) for r in field.rows if r.id == row_id), row_id)
    column = next((pick(c.label) for c in field.columns if c.id == column_id), "") if column_id else ""
    return _("%(row)s「%(column)s」") % {"row": where, "column": column} if column else where


def issue_text(issue: Issue) -> str:
    """Why a value is refused or doubtful, in the user's language."""
    return pick((issue.reason_ja, issue.reason_en))


def section_title(section: Section) -> str:
    """The step's heading as the builder shows it: the official number and the title in the user's language."""
    return f"{section.number} {pick(section.title)}".strip()


def step_fields(section: Section, data: dict[str, Any], issues: list[Issue]) -> list[dict[str, Any]]:
    """One dict per field of the step: name, labels, value(s), choices, rows, messages."""
    section_data = data.get(section.id) if isinstance(data.get(section.id), dict) else {}
    out = []
    for field in section.fields:
        name = field_name(section, field)
        path = f"{section.id}.{field.id}"
        value = section_data.get(field.id)
        messages = []
        for issue in _issues_at(issues, path):
            where = _cell_label(field, issue, path) if issue.path != path else ""
            messages.append({"where": where, "text": issue_text(issue), "severity": issue.severity})
        item: dict[str, Any] = {
            "name": name,
            "id": name,
            "path": path,
            "type": field.type,
            "label": pick(field.label),
            "help": pick(field.help),
            "example": field.example,
            "required": field.required or field.required_when is not None,
            "messages": messages,
            "max_length": field.limit if field.type in (F.TEXT, F.TEXTAREA) else None,
            "choices": [{"value": c.value, "label": pick(c.label)} for c in field.choices],
            "value": _display(field, value),
        }
        if field.type == F.MONTHS_OF_YEAR:
            chosen = set(value) if isinstance(value, list) else set()
            item["months"] = [{"value": m, "checked": m in chosen, "id": f"{name}-m{m}"} for m in range(1, 13)]
        if field.type in (F.TABLE, F.GRID):
            item["columns"] = [{"id": c.id, "label": pick(c.label), "help": pick(c.help), "example": c.example} for c in field.columns]
            if field.type == F.TABLE:
                rows = value if isinstance(value, list) else []
                keys = [(str(i), f"{i + 1}") for i in range(len(rows))]
                item["can_add"] = len(rows) < field.max_rows
            else:
                grid = value if isinstance(value, dict) else {}
                rows = [grid.get(r.id) if isinstance(grid.get(r.id), dict) else {} for r in field.rows]
                keys = [(r.id, pick(r.label)) for r in field.rows]
            item["rows"] = []
            for position, ((row_key, row_label), row) in enumerate(zip(keys, rows)):
                row = row if isinstance(row, dict) else {}
                cells = []
                for column in field.columns:
                    cells.append({
                        "name": f"{name}-{row_key}-{column.id}",
                        "type": column.type,
                        "label": pick(column.label),
                        "value": _display(column, row.get(column.id)),
                        "choices": [{"value": c.value, "label": pick(c.label)} for c in column.choices],
                        # The example once, on the first row: repeated under every row it reads as advice for it.
                        "example": column.example if position == 0 else "",
                        "max_length": column.limit if column.type in (F.TEXT, F.TEXTAREA) else None,
                    })
                item["rows"].append({"key": row_key, "label": row_label, "cells": cells, "suggestions": [],
                                     "remove": f"{section.id}.{field.id}.{row_key}"})
        out.append(item)
    return out


def missing_by_section(kind: str, data: dict[str, Any]) -> dict[str, int]:
    """How many required units each section still lacks (for the ✓ in the step list)."""
    counts: dict[str, int] = {}
    for issue in engine.validate(kind, data, require_complete=True):
        if issue.code == "required":
            section = issue.path.split(".")[0]
            counts[section] = counts.get(section, 0) + 1
    return counts


def html_blocks(kind: str, data: dict[str, Any], **meta) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The document as the engine builds it for DOCX/PDF/Markdown, as plain dicts for a template."""
    from sonae.engines.documents.blocks import build

    built = build(engine.definition(kind), data, **meta)
    blocks = []
    for block in built.blocks:
        item = asdict(block) if is_dataclass(block) else {}
        item["type"] = type(block).__name__.lower()
        blocks.append(item)
    return {"title": built.meta.title, "org_name": built.meta.org_name, "lines": built.meta.lines()}, blocks
