"""Who has and has not finished each assigned training, as CSV (UTF-8 with BOM, for Excel) and as Excel."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from sonae.engines.reports import _cell  # the shared guard against spreadsheet formula injection

from .selectors import AssignmentRow


def _header() -> list[str]:
    return [_("教材"), _("期限"), _("メンバー"), _("状況"), _("受講した日"), _("確認問題")]


def _records(rows: list[AssignmentRow]) -> list[list]:
    today = timezone.localdate()
    records = []
    for row in rows:
        for user in row.assignees:
            completion = row.done.get(user.id)
            if completion:
                status = _("完了")
            elif row.assignment.due_date < today:
                status = _("期限切れ")
            else:
                status = _("未完了")
            check = "" if not completion or completion.correct is None else (_("正解") if completion.correct else _("不正解"))
            records.append([row.title, row.assignment.due_date, user.email, status,
                            completion.completed_on if completion else None, check])
    return records


def progress_csv(rows: list[AssignmentRow], members: list) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_header())
    for record in _records(rows):
        writer.writerow([_cell(str(v)) if isinstance(v, str) else (v.isoformat() if v else "") for v in record])
    return buffer.getvalue()


def progress_xlsx(rows: list[AssignmentRow], members: list, *, organisation: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = _("受講状況")[:31]
    sheet.append([_cell(organisation), timezone.localdate()])
    sheet.append(_header())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    for record in _records(rows):
        sheet.append([_cell(v) if isinstance(v, str) else v for v in record])
    for column, width in zip("ABCDEF", (48, 12, 30, 10, 12, 10)):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=1):
        for cell in cells:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    summary = book.create_sheet(_("メンバー別")[:31])
    summary.append([_("メンバー"), _("割り当て"), _("完了"), _("期限切れ")])
    for cell in summary[1]:
        cell.font = Font(bold=True)
    today = timezone.localdate()
    for user in members:
        mine = [r for r in rows if any(u.id == user.id for u in r.assignees)]
        done = sum(1 for r in mine if user.id in r.done)
        late = sum(1 for r in mine if user.id not in r.done and r.assignment.due_date < today)
        summary.append([_cell(user.email), len(mine), done, late])
    summary.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
