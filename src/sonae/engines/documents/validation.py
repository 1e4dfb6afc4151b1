"""Empty documents, validation and the completeness meter, all driven by the field definitions."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from .dates import parse_date, parse_month
from .fields import (
    CHOICE,
    DATE,
    GRID,
    LIST,
    LIST_MAX_ITEMS,
    MONTH,
    MONTHS_OF_YEAR,
    NUMBER,
    TABLE,
    TEXT,
    TEXTAREA,
    DocumentDefinition,
    Field,
    Issue,
    get_path,
    is_empty,
)

# C0 controls except tab and newline, DEL, C1 controls, and bidi overrides that can disguise text.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def empty_document(definition: DocumentDefinition) -> dict[str, Any]:
    """Every section and field, empty; grids carry their fixed rows."""
    return {
        section.id: {f.id: f.empty_value() for f in section.fields}
        for section in definition.sections
        if section.fields
    }


def _condition_holds(doc: dict[str, Any], field: Field) -> bool:
    if field.required_when is None:
        return field.required
    return get_path(doc, field.required_when.field) == field.required_when.equals


def _issue(path: str, ja: str, en: str, code: str) -> Issue:
    return Issue(path, ja, en, code=code)


def _check_string(path: str, value: Any, field: Field, *, multiline: bool) -> list[Issue]:
    if not isinstance(value, str):
        return [_issue(path, "文字列で入力してください。", "Must be text.", "type")]
    if len(value) > field.limit:
        return [_issue(path, f"{field.limit}文字以内で入力してください (いまは{len(value)}文字)。",
                       f"At most {field.limit} characters (got {len(value)}).", "too_long")]
    text = value.replace("\r\n", "\n")
    if _CONTROL_RE.search(text) or (not multiline and ("\n" in text or "\r" in text)):
        return [_issue(path, "制御文字や改行は使えません。" if not multiline else "制御文字は使えません。",
                       "Control characters are not allowed.", "control_chars")]
    if field.pattern and text.strip() and not _compiled(field.pattern).match(text.strip()):
        reason = field.pattern_reason
        return [_issue(path, reason.ja if reason else "形式が正しくありません。",
                       reason.en if reason else "Wrong format.", "pattern")]
    return []


def _check_value(path: str, value: Any, field: Field) -> list[Issue]:
    """Type and constraint checks for one non-empty value."""
    kind = field.type
    if kind in (TEXT, TEXTAREA):
        return _check_string(path, value, field, multiline=kind == TEXTAREA)
    if kind == DATE:
        if parse_date(value) is None:
            return [_issue(path, "日付は 2026-11-26 の形で、実在する日付を入力してください。",
                           "Use a real date written as 2026-11-26.", "type")]
        return []
    if kind == MONTH:
        if parse_month(value) is None:
            return [_issue(path, "年月は 2027-04 の形で入力してください。", "Write the month as 2027-04.", "type")]
        return []
    if kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float) or (
            isinstance(value, float) and not math.isfinite(value)
        ):
            return [_issue(path, "数値で入力してください。", "Must be a number.", "type")]
        if field.integer and isinstance(value, float) and not value.is_integer():
            return [_issue(path, "整数で入力してください。", "Must be a whole number.", "type")]
        if field.min_value is not None and value < field.min_value:
            return [_issue(path, f"{field.min_value:g} 以上の値にしてください。",
                           f"Must be at least {field.min_value:g}.", "range")]
        if field.max_value is not None and value > field.max_value:
            return [_issue(path, f"{field.max_value:g} 以下の値にしてください。",
                           f"Must be at most {field.max_value:g}.", "range")]
        return []
    if kind == CHOICE:
        if not isinstance(value, str) or value not in {c.value for c in field.choices}:
            allowed = ", ".join(c.value for c in field.choices)
            return [_issue(path, f"選択肢から選んでください ({allowed})。", f"Must be one of: {allowed}.", "choice")]
        return []
    if kind == LIST:
        if not isinstance(value, list):
            return [_issue(path, "文字列のリストで入力してください。", "Must be a list of texts.", "type")]
        if len(value) > LIST_MAX_ITEMS:
            return [_issue(path, f"{LIST_MAX_ITEMS}件以内にしてください。",
                           f"At most {LIST_MAX_ITEMS} items.", "too_long")]
        issues: list[Issue] = []
        for index, item in enumerate(value):
            issues += _check_string(f"{path}[{index}]", item, field, multiline=False)
        return issues
    if kind == MONTHS_OF_YEAR:
        if not isinstance(value, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
        ):
            return [_issue(path, "1〜12の月の番号のリストで入力してください。",
                           "Must be a list of month numbers 1–12.", "type")]
        if len(set(value)) != len(value):
            return [_issue(path, "同じ月が重複しています。", "A month is listed twice.", "type")]
        return []
    if kind == TABLE:
        return _check_table(path, value, field)
    if kind == GRID:
        return _check_grid(path, value, field)
    return []  # pragma: no cover - FIELD_TYPES is closed


def _check_row(path: str, row: Any, field: Field, doc: dict[str, Any], *, row_required: bool) -> list[Issue]:
    if not isinstance(row, dict):
        return [_issue(path, "行は項目名と値の組 (オブジェクト) で入力してください。", "A row must be an object.", "type")]
    issues: list[Issue] = []
    known = {c.id for c in field.columns}
    for key in row:
        if key not in known:
            issues.append(_issue(f"{path}.{key}", "この項目はありません。", "Unknown field.", "unknown"))
    for column in field.columns:
        value = row.get(column.id)
        cell = f"{path}.{column.id}"
        if is_empty(value):
            if row_required and column.required:
                issues.append(_issue(cell, f"「{column.label.ja}」を入力してください。",
                                     f"'{column.label.en}' is required.", "required"))
            continue
        issues += _check_value(cell, value, column)
    return issues


def _row_has_content(row: Any) -> bool:
    return isinstance(row, dict) and any(not is_empty(v) for v in row.values())


def _check_table(path: str, value: Any, field: Field) -> list[Issue]:
    if not isinstance(value, list):
        return [_issue(path, "表は行のリストで入力してください。", "A table must be a list of rows.", "type")]
    if len(value) > field.max_rows:
        return [_issue(path, f"{field.max_rows}行以内にしてください。", f"At most {field.max_rows} rows.", "too_long")]
    issues: list[Issue] = []
    for index, row in enumerate(value):
        # A row the user has started must be complete: a half-filled row renders as nonsense.
        issues += _check_row(f"{path}[{index}]", row, field, {}, row_required=_row_has_content(row))
    return issues


def _check_grid(path: str, value: Any, field: Field) -> list[Issue]:
    if not isinstance(value, dict):
        return [_issue(path, "固定の行 (オブジェクト) で入力してください。", "Must be an object of fixed rows.", "type")]
    issues: list[Issue] = []
    known = {r.id for r in field.rows}
    for key in value:
        if key not in known:
            issues.append(_issue(f"{path}.{key}", "この行はありません。", "Unknown row.", "unknown"))
    for row in field.rows:
        cells = value.get(row.id)
        if cells is None:
            continue
        issues += _check_row(f"{path}.{row.id}", cells, field, {}, row_required=_row_has_content(cells))
    return issues


def _required_issues(doc: dict[str, Any], definition: DocumentDefinition) -> list[Issue]:
    """Missing required content: what the completeness meter counts as not yet filled."""
    issues: list[Issue] = []
    for path, field, filled in _units(doc, definition):
        if not filled:
            issues.append(Issue(path, f"「{field.label.ja}」が未入力です。", f"'{field.label.en}' is not filled in.",
                                code="required"))
    return issues


def validate_document(
    definition: DocumentDefinition, data: Any, *, require_complete: bool = False
) -> list[Issue]:
    """All problems in `data`: structure, types, constraints, the kind's rules; with
    `require_complete`, also every required field still empty."""
    if not isinstance(data, dict):
        return [_issue("", "文書はオブジェクト (JSONの {...}) で入力してください。",
                       "The document must be a JSON object.", "type")]
    issues: list[Issue] = []
    sections = {s.id: s for s in definition.sections}
    for section_id, section_value in data.items():
        section = sections.get(section_id) if isinstance(section_id, str) else None
        if section is None or not section.fields:
            issues.append(_issue(str(section_id), "この節はありません。", "Unknown section.", "unknown"))
            continue
        if not isinstance(section_value, dict):
            issues.append(_issue(section_id, "節はオブジェクトで入力してください。", "A section must be an object.", "type"))
            continue
        known = {f.id for f in section.fields}
        for field_id in section_value:
            if field_id not in known:
                issues.append(_issue(f"{section_id}.{field_id}", "この項目はありません。", "Unknown field.", "unknown"))
        for field in section.fields:
            value = section_value.get(field.id)
            path = f"{section_id}.{field.id}"
            if is_empty(value):
                continue
            issues += _check_value(path, value, field)
            if field.only_when is not None and get_path(data, field.only_when.field) != field.only_when.equals:
                issues.append(_issue(
                    path,
                    "この欄は条件に当てはまるときだけ記入します (例: 税制措置を利用する場合のみ)。空にしてください。",
                    "Fill this in only when its condition holds (e.g. only when the tax measure is used).",
                    "rule",
                ))
    # Empty cells of a started row are "not yet filled", like any required field: reported only when
    # the caller asks for a complete document, so drafts can still be previewed.
    cells_missing = [i for i in issues if i.code == "required"]
    issues = [i for i in issues if i.code != "required"]
    if any(i.severity == "error" for i in issues):
        # Kind rules assume well-typed values; report the structural problems first.
        return issues
    for rule in definition.rules:
        issues += rule(data)
    if require_complete:
        units = [u for u in _required_issues(data, definition)
                 if not any(c.path.startswith(u.path + ".") or c.path.startswith(u.path + "[") for c in cells_missing)]
        issues += units + cells_missing
    return issues


def _units(doc: dict[str, Any], definition: DocumentDefinition):
    """(path, field, filled) for every unit the completeness meter counts.

    A scalar required field is one unit; a grid contributes one unit per required row (filled when all
    its required columns are); a required table is one unit (filled when it has a complete row).
    """
    for section in definition.sections:
        for field in section.fields:
            if not _condition_holds(doc, field):
                continue
            path = f"{section.id}.{field.id}"
            value = get_path(doc, path)
            if field.type == GRID:
                grid = value if isinstance(value, dict) else {}
                for row in field.rows:
                    if not row.required:
                        continue
                    cells = grid.get(row.id)
                    filled = isinstance(cells, dict) and all(
                        not is_empty(cells.get(c.id)) for c in field.columns if c.required
                    )
                    yield f"{path}.{row.id}", field, filled
            elif field.type == TABLE:
                rows = value if isinstance(value, list) else []
                complete = [
                    r for r in rows
                    if isinstance(r, dict) and all(not is_empty(r.get(c.id)) for c in field.columns if c.required)
                ]
                yield path, field, len(complete) >= max(1, field.min_rows)
            else:
                yield path, field, not is_empty(value)


def completeness_of(definition: DocumentDefinition, data: Any) -> tuple[int, int, int]:
    """(filled, total, percent) over the required units; a non-dict counts as empty."""
    doc = data if isinstance(data, dict) else {}
    units = list(_units(doc, definition))
    total = len(units)
    filled = sum(1 for _, _, ok in units if ok)
    percent = 100 if total == 0 else (filled * 100) // total
    return filled, total, percent
