"""A document as a list of neutral blocks (headings, paragraphs, tables, the card).

The three renderers (DOCX, PDF, Markdown) only draw blocks; what goes into a document and in which
order is decided here once, from the field definitions, so the formats cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...catalog.documents import public_contacts
from .dates import format_any_date, format_date, format_month
from .fields import (
    CHOICE,
    DATE,
    GRID,
    LIST,
    MONTH,
    MONTHS_OF_YEAR,
    NUMBER,
    TABLE,
    TEXTAREA,
    DocumentDefinition,
    Field,
    Section,
    get_path,
    is_empty,
)
from .kinds import incident_response

EMPTY = "—"

# Relative column widths by field type, so numbers and months do not take the room of free text.
_COLUMN_WEIGHT = {TEXTAREA: 2.0, NUMBER: 0.8, MONTH: 0.75, DATE: 0.8, CHOICE: 0.9}


@dataclass
class Heading:
    level: int  # 1 = section, 2 = sub-section, 3 = item
    text: str


@dataclass
class Para:
    text: str
    style: str = "body"  # body | note | signature (right-aligned 制定日・会社名・代表者)


@dataclass
class Bullets:
    items: list[str]
    ordered: bool = False


@dataclass
class KeyValues:
    rows: list[tuple[str, str]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    total_row: list[str] | None = None
    numeric: tuple[int, ...] = ()  # columns to right-align


@dataclass
class PageBreak:
    pass


@dataclass
class CardContact:
    label: str
    name: str
    reach: str  # phone, e-mail or URL


@dataclass
class Card:
    title: str
    org_name: str
    headline: str
    scenarios: list[tuple[str, list[str]]]
    own_contacts: list[CardContact]
    public_contacts: list[CardContact]


@dataclass
class Meta:
    title: str
    org_name: str
    version_label: str | None
    approved_by: str | None
    approved_at: str | None

    def lines(self) -> list[str]:
        parts = []
        if self.version_label:
            parts.append(f"版: {self.version_label}")
        if self.approved_by or self.approved_at:
            who = self.approved_by or ""
            when = f" ({self.approved_at})" if self.approved_at else ""
            parts.append(f"承認: {who}{when}".replace("承認:  (", "承認: ("))
        return parts

    def header(self) -> str:
        return "　".join(p for p in (self.org_name, self.title, self.version_label or "") if p)


@dataclass
class Built:
    meta: Meta
    blocks: list[Any] = field(default_factory=list)


def _scalar(value: Any, f: Field, date_style: str) -> str:
    if is_empty(value):
        return EMPTY
    if f.type == DATE:
        return format_date(value, date_style)
    if f.type == MONTH:
        return format_month(value, date_style)
    if f.type == CHOICE:
        return f.choice_label(value)
    if f.type == NUMBER:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"{value:,}" if isinstance(value, int) else str(value)
    if f.type == MONTHS_OF_YEAR:
        months = sorted(m for m in value if isinstance(m, int))
        return "毎年" + "・".join(f"{m}月" for m in months)
    if f.type == LIST:
        return "、".join(str(v) for v in value)
    return str(value).replace("\r\n", "\n").strip()


def _table_block(f: Field, rows: list[dict[str, Any]], date_style: str, kind: str) -> Table | None:
    rows = [r for r in rows if isinstance(r, dict) and any(not is_empty(v) for v in r.values())]
    if not rows:
        return None
    headers = [c.label.ja for c in f.columns]
    widths = [_COLUMN_WEIGHT.get(c.type, 1.2) for c in f.columns]
    body = [[_scalar(r.get(c.id), c, date_style) for c in f.columns] for r in rows]
    total_row = None
    column_ids = [c.id for c in f.columns]
    numeric = [i for i, c in enumerate(f.columns) if c.type == NUMBER]
    if {"unit_price", "quantity"} <= set(column_ids):
        # 事業継続力強化設備等: the amount is derived, never typed, so it cannot disagree.
        headers.append("金額 (円)")
        widths.append(0.9)
        numeric.append(len(headers) - 1)
        total = 0
        for r, line in zip(rows, body, strict=True):
            price, qty = r.get("unit_price"), r.get("quantity")
            amount = price * qty if isinstance(price, int | float) and isinstance(qty, int | float) else None
            total += amount or 0
            line.append(f"{int(amount):,}" if amount is not None else EMPTY)
        total_row = ["合計"] + [""] * (len(headers) - 2) + [f"{int(total):,}"]
    elif "amount" in column_ids:
        index = column_ids.index("amount")
        total = sum(r.get("amount") for r in rows if isinstance(r.get("amount"), int | float))
        total_row = ["合計"] + [""] * (len(headers) - 1)
        total_row[index] = f"{int(total):,}"
    return Table(headers, body, widths, total_row, tuple(numeric))


def _grid_block(f: Field, value: Any, date_style: str) -> Table:
    grid = value if isinstance(value, dict) else {}
    headers = ["項目"] + [c.label.ja for c in f.columns]
    widths = [1.2] + [2.0 if c.type == TEXTAREA else 0.9 for c in f.columns]
    body = []
    for row in f.rows:
        cells = grid.get(row.id) if isinstance(grid.get(row.id), dict) else {}
        if not row.required and not any(not is_empty(v) for v in cells.values()):
            continue  # optional rows (その他の取組) appear only when used
        body.append([row.label.ja] + [_scalar(cells.get(c.id), c, date_style) for c in f.columns])
    return Table(headers, body, widths)


def _records(f: Field, rows: Any, date_style: str) -> list[Any]:
    out: list[Any] = []
    usable = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
    if not usable:
        return [Para(EMPTY)]
    first, rest = f.columns[0], f.columns[1:]
    for index, row in enumerate(usable, start=1):
        out.append(Heading(3, f"想定{index}: {_scalar(row.get(first.id), first, date_style)}"))
        out.append(KeyValues([(c.label.ja, _scalar(row.get(c.id), c, date_style)) for c in rest]))
    return out


def _rows_with_content(value: Any) -> Any:
    """A table's rows that have something in them (an added, untouched row is still empty)."""
    if isinstance(value, list):
        return [r for r in value if not isinstance(r, dict) or any(not is_empty(v) for v in r.values())]
    return value


def _section_blocks(section: Section, doc: dict[str, Any], definition: DocumentDefinition) -> list[Any]:
    style = definition.date_style
    values = doc.get(section.id) if isinstance(doc.get(section.id), dict) else {}
    out: list[Any] = []
    if section.static_items:
        out.append(Bullets([s.ja for s in section.static_items], ordered=section.parent is not None))
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        if pending:
            out.append(KeyValues(list(pending)))
            pending.clear()

    shown = [f for f in section.fields if not (f.omit_when_empty and is_empty(_rows_with_content(values.get(f.id))))]
    only_one = len(shown) == 1
    for f in shown:
        value = values.get(f.id)
        if f.only_when is not None and get_path(doc, f.only_when.field) != f.only_when.equals:
            continue
        if f.type in (TEXTAREA,):
            flush()
            text = _scalar(value, f, style)
            if section.static_items and is_empty(value):
                continue  # nothing to add to the baseline steps
            if f.show_label and (not only_one or section.static_items):
                out.append(Heading(3 if section.parent else 2, f.label.ja))
            out.append(Para(text))
        elif f.type == LIST:
            flush()
            if not only_one:
                out.append(Heading(3 if section.parent else 2, f.label.ja))
            items = [str(v) for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []
            out.append(Bullets(items) if items else Para(EMPTY))
        elif f.type == TABLE:
            flush()
            if f.layout == "records":
                out.append(Heading(2, f.label.ja))
                out.extend(_records(f, value, style))
            else:
                if not only_one:
                    out.append(Heading(3 if section.parent else 2, f.label.ja))
                block = _table_block(f, value if isinstance(value, list) else [], style, definition.kind)
                out.append(block if block else Para(EMPTY))
        elif f.type == GRID:
            flush()
            if not only_one:
                out.append(Heading(3 if section.parent else 2, f.label.ja))
            out.append(_grid_block(f, value, style))
        else:
            pending.append((f.label.ja, _scalar(value, f, style)))
    flush()
    return out


def _card(doc: dict[str, Any], org_name: str) -> Card:
    roles = get_path(doc, "roles.people")
    roles = roles if isinstance(roles, dict) else {}
    own: list[CardContact] = []
    people_field = incident_response.DEFINITION.section("roles").field("people")
    for row in people_field.rows:
        cells = roles.get(row.id) if isinstance(roles.get(row.id), dict) else {}
        if not is_empty(cells.get("name")) or not is_empty(cells.get("phone")):
            own.append(CardContact(row.label.ja, str(cells.get("name") or ""), str(cells.get("phone") or "")))
    contacts_field = incident_response.DEFINITION.section("roles").field("contacts")
    kind_field = contacts_field.columns[0]
    for row in get_path(doc, "roles.contacts") or []:
        if isinstance(row, dict) and not is_empty(row.get("name")):
            own.append(CardContact(kind_field.choice_label(row.get("kind")), str(row.get("name")),
                                   str(row.get("phone") or "")))
    prefecture = get_path(doc, "organisation.prefecture")
    public = [
        CardContact(c.name.ja, "", c.phone or c.email or (c.url or "").removeprefix("https://"))
        for c in public_contacts(prefecture if isinstance(prefecture, str) else None)
    ]
    scenarios = [
        (title.ja, list(incident_response.CARD_STEPS[sid])) for sid, title, _ in incident_response.SCENARIOS
    ]
    return Card(
        title=incident_response.CARD_TITLE.ja,
        org_name=org_name,
        headline=incident_response.CARD_HEADLINE.ja,
        scenarios=scenarios,
        own_contacts=own,
        public_contacts=public,
    )


def _signature(section: Section, doc: dict[str, Any], definition: DocumentDefinition) -> str:
    """制定日・会社名・代表者 lines printed at the end, as in IPA's sample policy."""
    values = doc.get(section.id) if isinstance(doc.get(section.id), dict) else {}
    lines = []
    # Dates first, then name and representative: the footer order of IPA's sample policy.
    for f in sorted(section.fields, key=lambda f: f.type != DATE):
        value = values.get(f.id)
        if is_empty(value):
            continue
        text = _scalar(value, f, definition.date_style)
        lines.append(f"{f.label.ja}: {text}" if f.type == DATE else text)
    return "\n".join(lines) or EMPTY


def _meta_note(section: Section, doc: dict[str, Any], definition: DocumentDefinition) -> str:
    values = doc.get(section.id) if isinstance(doc.get(section.id), dict) else {}
    parts = [
        f"{f.label.ja}: {_scalar(values.get(f.id), f, definition.date_style)}"
        for f in section.fields
        if not is_empty(values.get(f.id)) and f.type != CHOICE  # "published: yes" says nothing to a reader
    ]
    return "　".join(parts)


def _public_contacts_table(doc: dict[str, Any]) -> Table:
    prefecture = get_path(doc, "organisation.prefecture")
    rows = []
    for c in public_contacts(prefecture if isinstance(prefecture, str) else None):
        reach = " / ".join(x for x in (c.phone, c.email, c.url) if x)
        rows.append([c.name.ja, reach, c.when.ja, c.source.as_of.isoformat()])
    return Table(["窓口", "連絡先", "使う場面", "確認日"], rows, [1.3, 1.6, 1.8, 0.75])


def build(
    definition: DocumentDefinition,
    doc: dict[str, Any],
    *,
    org_name: str | None,
    version_label: str | None,
    approved_by: str | None,
    approved_at: Any,
    card_only: bool = False,
) -> Built:
    name = org_name or get_path(doc, definition.org_name_path) or ""
    meta = Meta(
        title=definition.title.ja,
        org_name=str(name),
        version_label=version_label,
        approved_by=approved_by,
        approved_at=format_any_date(approved_at, definition.date_style) if approved_at else None,
    )
    built = Built(meta)
    if card_only:
        built.blocks.append(_card(doc, meta.org_name))
        return built
    current_parent = None
    for section in definition.sections:
        if section.placement != "body":
            continue
        if section.omit_when_empty and all(is_empty(get_path(doc, f"{section.id}.{f.id}")) for f in section.fields):
            continue
        if section.parent is not None and section.parent != current_parent:
            built.blocks.append(Heading(1, section.parent.ja))
        current_parent = section.parent
        level = 2 if section.parent is not None else 1
        if section.show_title:
            built.blocks.append(Heading(level, section.heading))
        built.blocks.extend(_section_blocks(section, doc, definition))
        if definition.kind == incident_response.KIND and section.id == "roles":
            built.blocks.append(Heading(3, "公的な相談・届出先"))
            built.blocks.append(_public_contacts_table(doc))
        if definition.kind == "jigyokei" and section.id == "equipment" and get_path(
            doc, "equipment.tax_measure_used"
        ) != "yes":
            built.blocks.append(Para("税制措置は利用しない。", style="note"))
    for section in definition.sections:
        if section.placement == "signature":
            built.blocks.append(Para(_signature(section, doc, definition), style="signature"))
    for section in definition.sections:
        if section.placement == "meta":
            note = _meta_note(section, doc, definition)
            if note:
                built.blocks.append(Para(note, style="note"))
    if definition.kind == incident_response.KIND:
        built.blocks.append(PageBreak())
        built.blocks.append(_card(doc, meta.org_name))
    return built
