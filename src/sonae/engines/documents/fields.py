"""Declarative field definitions: what a document of one kind is made of.

A document is a plain dict ``{section_id: {field_id: value}}``. The definition of a kind lists its
sections in the official order and, for every field, its labels and help (ja/en), an example, its type
and its constraints. The web builder renders its steps from these definitions, and the validator, the
completeness meter and the renderers all walk the same structure, so the order of headings is defined
in exactly one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Field types a builder must know how to show.
TEXT = "text"  # one line
TEXTAREA = "textarea"  # several lines
DATE = "date"  # "YYYY-MM-DD"
MONTH = "month"  # "YYYY-MM"
NUMBER = "number"
CHOICE = "choice"  # one of `choices`
LIST = "list"  # list of one-line strings (e.g. the 入力禁止情報リスト)
MONTHS_OF_YEAR = "months-of-year"  # list of month numbers 1..12 (e.g. training every April)
TABLE = "table"  # list of rows (dicts of `columns`), rows added by the user
GRID = "grid"  # fixed rows (`rows`) × `columns`; value is {row_id: {column_id: value}}

FIELD_TYPES = (TEXT, TEXTAREA, DATE, MONTH, NUMBER, CHOICE, LIST, MONTHS_OF_YEAR, TABLE, GRID)

# Default length limits, generous for real plans and small enough to refuse a pasted megabyte.
TEXT_MAX = 200
TEXTAREA_MAX = 4000
LIST_MAX_ITEMS = 200
TABLE_MAX_ROWS = 100


@dataclass(frozen=True)
class L:
    """A label or help text in Japanese (default) and English."""

    ja: str
    en: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}


@dataclass(frozen=True)
class Choice:
    value: str
    label: L

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label.to_dict()}


@dataclass(frozen=True)
class Row:
    """A fixed row of a grid (e.g. 人命の安全確保 in the 初動対応 table)."""

    id: str
    label: L
    required: bool = True
    help: L = L("")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label.to_dict(),
            "required": self.required,
            "help": self.help.to_dict(),
        }


@dataclass(frozen=True)
class Condition:
    """`field` (a path "section.field") equals `equals`."""

    field: str
    equals: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "equals": self.equals}


@dataclass(frozen=True)
class Field:
    id: str
    label: L
    type: str
    required: bool = False
    help: L = L("")
    example: str = ""
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    integer: bool = False
    pattern: str | None = None
    pattern_reason: L | None = None
    choices: tuple[Choice, ...] = ()
    columns: tuple[Field, ...] = ()
    rows: tuple[Row, ...] = ()
    min_rows: int = 0
    max_rows: int = TABLE_MAX_ROWS
    # Required only when the condition holds (e.g. the publication URL when published = yes).
    required_when: Condition | None = None
    # Must stay empty unless the condition holds (e.g. 事業継続力強化設備等 only with the tax measure).
    only_when: Condition | None = None
    # Renderer hint for tables: "table" (one table) or "records" (one block per row).
    layout: str = "table"
    # False prints the value without its label (e.g. the preamble of a policy).
    show_label: bool = True
    # Leave the field (and its heading) out of the document while it is empty, so a field added later
    # (the guideline's allowed uses) does not change how earlier versions read.
    omit_when_empty: bool = False

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"unknown field type {self.type!r} for {self.id}")

    @property
    def limit(self) -> int:
        if self.max_length is not None:
            return self.max_length
        return TEXTAREA_MAX if self.type == TEXTAREA else TEXT_MAX

    def choice_label(self, value: Any) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label.ja
        return "" if value is None else str(value)

    def empty_value(self) -> Any:
        if self.type in (LIST, MONTHS_OF_YEAR, TABLE):
            return []
        if self.type == GRID:
            return {row.id: {col.id: col.empty_value() for col in self.columns} for row in self.rows}
        if self.type == NUMBER:
            return None
        return ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label.to_dict(),
            "type": self.type,
            "required": self.required,
            "help": self.help.to_dict(),
            "example": self.example,
        }
        if self.type in (TEXT, TEXTAREA, LIST):
            out["max_length"] = self.limit
        if self.type == NUMBER:
            out.update(min=self.min_value, max=self.max_value, integer=self.integer)
        if self.pattern:
            out["pattern"] = self.pattern
        if self.choices:
            out["choices"] = [c.to_dict() for c in self.choices]
        if self.columns:
            out["columns"] = [c.to_dict() for c in self.columns]
        if self.rows:
            out["rows"] = [r.to_dict() for r in self.rows]
        if self.type == TABLE:
            out.update(min_rows=self.min_rows, max_rows=self.max_rows)
        if self.required_when:
            out["required_when"] = self.required_when.to_dict()
        if self.only_when:
            out["only_when"] = self.only_when.to_dict()
        return out


@dataclass(frozen=True)
class Section:
    id: str
    number: str  # as printed: "1", "3(1)", "" for none
    title: L
    fields: tuple[Field, ...]
    intro: L = L("")
    # Fixed guidance printed in the document (our own words), e.g. the baseline first steps.
    static_items: tuple[L, ...] = ()
    # Title of the enclosing heading, e.g. "3 事業継続力強化の内容" above 3(1)…3(5).
    parent: L | None = None
    # "body" (in order), "signature" (printed at the end as 制定日・会社名・代表者 lines),
    # or "meta" (shown to the builder, not printed in the document body).
    placement: str = "body"
    show_title: bool = True
    # Leave the whole section out of the document while all its fields are empty.
    omit_when_empty: bool = False

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title.ja}".strip()

    def field(self, field_id: str) -> Field:
        for item in self.fields:
            if item.id == field_id:
                return item
        raise KeyError(field_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title.to_dict(),
            "intro": self.intro.to_dict(),
            "static_items": [s.to_dict() for s in self.static_items],
            "parent": self.parent.to_dict() if self.parent else None,
            "fields": [f.to_dict() for f in self.fields],
        }


@dataclass(frozen=True)
class Issue:
    """One problem found in a document: where (path), why (ja/en), and how serious.

    `severity` is "error" (the document cannot be rendered as is) or "warning" (rendered, but an
    examiner or reader will likely object). `code` is stable for programs: required, type,
    too_long, control_chars, pattern, range, choice, unknown, rule.
    """

    path: str
    reason_ja: str
    reason_en: str
    code: str = "rule"
    severity: str = "error"

    def to_dict(self) -> dict[str, str]:
        return {
            "path": self.path,
            "reason_ja": self.reason_ja,
            "reason_en": self.reason_en,
            "code": self.code,
            "severity": self.severity,
        }


# A kind-specific rule: takes the (type-checked) document, yields issues.
Rule = Callable[[dict[str, Any]], list[Issue]]


@dataclass(frozen=True)
class DocumentDefinition:
    kind: str
    title: L
    sections: tuple[Section, ...]
    # "wareki" prints dates as 令和8年11月26日 (the jigyokei application); "western" as 2026年11月26日.
    date_style: str = "western"
    # Path of the field holding the organisation's name, used in headers when org_name is not given.
    org_name_path: str = ""
    rules: tuple[Rule, ...] = field(default=())

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title.to_dict(),
            "date_style": self.date_style,
            "sections": [s.to_dict() for s in self.sections],
        }


def get_path(data: dict[str, Any], path: str) -> Any:
    """Value at "section.field" in a document dict, or None."""
    section_id, _, field_id = path.partition(".")
    section = data.get(section_id) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return None
    return section.get(field_id)


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False
