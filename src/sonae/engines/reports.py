"""Diagnosis reports: PDF, Excel, CSV, and SVG charts for the web page.

Pure rendering: a DiagnosisResult (sonae.engines.scoring) in, bytes or text out. No
Django, no files read, no network.

- PDF uses reportlab's built-in Japanese CID fonts (HeiseiKakuGo-W5, HeiseiMin-W3), so no
  font file has to be installed; the radar chart is drawn with reportlab graphics.
- Excel follows the layout of IPA's check sheet: part, No., question, answer, points, with
  part subtotals and the total.
- CSV is UTF-8 with a BOM so Excel opens Japanese text correctly.
- SVG charts need no JavaScript; every text is escaped.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import math
import unicodedata
from collections.abc import Mapping, Sequence

from sonae.engines.scoring import DiagnosisResult, GroupScore

FONT_GOTHIC = "HeiseiKakuGo-W5"
FONT_MINCHO = "HeiseiMin-W3"

# Report labels. Whole phrases per language (never built from fragments).
LABELS = {
    "ja": {
        "report": "診断結果レポート",
        "date": "実施日",
        "organisation": "組織",
        "total": "合計",
        "total_line": "合計 {total} / {max} 点",
        "points": "点",
        "band": "判定",
        "parts": "パート別の結果",
        "tags": "分野別の結果",
        "group": "区分",
        "score": "得点",
        "max": "満点",
        "rate": "達成率",
        "fix_first": "優先して取り組む項目",
        "fix_first_note": "「実施していない」「わからない」の項目から順に並べています。「要確認」は、まず現状を確かめてください。",
        "no_fix": "改善が必要な項目はありません。",
        "check": "要確認",
        "answers": "回答一覧",
        "no": "No.",
        "question": "診断内容",
        "answer": "回答",
        "advice": "対策のヒント",
        "source": "出典",
        "as_of": "確認日",
        "subtotal": "小計",
        "unanswered": "未回答",
        "unanswered_note": "未回答の項目が {n} 件あります。合計は回答済みの項目だけで計算しています。",
        "next_due": "次回の診断の目安",
        "next_due_short": "次回",
        "page": "ページ",
        "generated_by": "sonae（備え）で作成",
        "peer": "比較",
        "no_history": "まだ結果がありません",
        "radar_title": "レーダーチャート",
        "trend_title": "合計点の推移",
        "sheet_result": "診断結果",
        "sheet_fix": "優先対策",
        "instrument": "診断",
        "version": "版",
        "item_id": "項目ID",
        "answer_id": "回答ID",
        "max_points": "配点",
        "part": "パート",
    },
    "en": {
        "report": "Diagnosis report",
        "date": "Date",
        "organisation": "Organisation",
        "total": "Total",
        "total_line": "Total {total} / {max}",
        "points": "points",
        "band": "Result",
        "parts": "Results by part",
        "tags": "Results by area",
        "group": "Area",
        "score": "Score",
        "max": "Max",
        "rate": "Rate",
        "fix_first": "Fix first",
        "fix_first_note": "Items answered \"not done\" or \"don't know\" come first. \"Check\" means: find out the current state first.",
        "no_fix": "No item needs improvement.",
        "check": "Check",
        "answers": "All answers",
        "no": "No.",
        "question": "Question",
        "answer": "Answer",
        "advice": "What to do",
        "source": "Source",
        "as_of": "as of",
        "subtotal": "Subtotal",
        "unanswered": "Unanswered",
        "unanswered_note": "{n} item(s) are unanswered. The total counts answered items only.",
        "next_due": "Next diagnosis due",
        "next_due_short": "Next",
        "page": "Page",
        "generated_by": "Made with sonae",
        "peer": "Comparison",
        "no_history": "No results yet",
        "radar_title": "Radar chart",
        "trend_title": "Total over time",
        "sheet_result": "Result",
        "sheet_fix": "Fix first",
        "instrument": "Instrument",
        "version": "Version",
        "item_id": "Item id",
        "answer_id": "Answer id",
        "max_points": "Max points",
        "part": "Part",
    },
}


def _labels(lang: str) -> dict[str, str]:
    return LABELS["en" if (lang or "ja").startswith("en") else "ja"]


def format_date(day: dt.date, lang: str = "ja") -> str:
    """2026年11月26日 (ja) or 26 November 2026 (en)."""
    if (lang or "ja").startswith("en"):
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


# -- radar geometry, shared by the PDF and the SVG ---------------------------------------


def radar_points(ratios: Sequence[float], cx: float, cy: float, radius: float, *, y_up: bool):
    """Vertices for ratios 0..1, first axis at the top, going clockwise."""
    points = []
    n = len(ratios)
    for index, ratio in enumerate(ratios):
        angle = -math.pi / 2 + 2 * math.pi * index / n
        r = radius * min(1.0, max(0.0, ratio))
        x = cx + r * math.cos(angle)
        dy = r * math.sin(angle)
        points.append((x, cy - dy if y_up else cy + dy))
    return points


def _axis_anchor(x: float, cx: float) -> str:
    if abs(x - cx) < 1:
        return "middle"
    return "start" if x > cx else "end"


def _ratio(score: float, maximum: int) -> float:
    return min(1.0, max(0.0, score / maximum)) if maximum else 0.0


# -- SVG ---------------------------------------------------------------------------------


def svg_radar_chart(
    result: DiagnosisResult,
    *,
    lang: str = "ja",
    compare_to: Mapping[str, float] | None = None,
    compare_label: str | None = None,
    size: int = 360,
) -> str:
    """Radar chart of the part (or tag) subtotals as a standalone SVG string.

    `compare_to` maps group ids to scores (a peer average or an earlier run), drawn dashed.
    Fewer than three groups cannot make a radar, so those get horizontal bars instead.
    """
    L = _labels(lang)
    groups = result.chart_groups
    title = html.escape(f"{result.title.get(lang)} — {L['radar_title']}")
    if len(groups) < 3:
        return _svg_bars(groups, lang=lang, title=title, width=size)
    width, height = size + 160, size
    cx, cy, radius = width / 2, height / 2, size * 0.34
    if len(groups) == 3:
        cy += radius * 0.15  # a triangle is top-heavy; centre it visually
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" aria-label="{title}" class="sonae-radar" font-family="sans-serif">',
        f"<title>{title}</title>",
    ]
    for level in (0.25, 0.5, 0.75, 1.0):
        ring = radar_points([level] * len(groups), cx, cy, radius, y_up=False)
        out.append(
            f'<polygon points="{_svg_pts(ring)}" fill="none" stroke="#c8ccd2" stroke-width="1"/>'
        )
    tips = radar_points([1.0] * len(groups), cx, cy, radius, y_up=False)
    for (tx, ty), group in zip(tips, groups, strict=True):
        out.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke="#c8ccd2"/>')
        title = html.escape(group.title.get(lang))
        figures = f"{group.score}/{group.max}"
        lines = _svg_label_lines(tx, ty, cx, cy, radius, width, group.title.get(lang), figures)
        for (lx, ly, anchor), text, color in zip(lines, (title, figures), ("#333", "#666"), strict=True):
            out.append(
                f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="12" '
                f'fill="{color}">{text}</text>'
            )
    if compare_to:
        peer = radar_points(
            [_ratio(compare_to.get(g.id, 0), g.max) for g in groups], cx, cy, radius, y_up=False
        )
        label = html.escape(compare_label or L["peer"])
        out.append(
            f'<polygon points="{_svg_pts(peer)}" fill="none" stroke="#888" stroke-width="2" '
            f'stroke-dasharray="5 4"><title>{label}</title></polygon>'
        )
        out.append(
            f'<line x1="4" y1="{height - 8}" x2="28" y2="{height - 8}" stroke="#888" '
            f'stroke-width="2" stroke-dasharray="5 4"/>'
            f'<text x="34" y="{height - 4}" font-size="12" fill="#555">{label}</text>'
        )
    own = radar_points([g.ratio for g in groups], cx, cy, radius, y_up=False)
    out.append(
        f'<polygon points="{_svg_pts(own)}" fill="#1f6feb" fill-opacity="0.25" '
        f'stroke="#1f6feb" stroke-width="2"/>'
    )
    for (x, y), group in zip(own, groups, strict=True):
        tip = html.escape(f"{group.title.get(lang)}: {group.score} / {group.max}")
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1f6feb"><title>{tip}</title></circle>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _text_px(text: str, size: float = 12) -> float:
    """Rough rendered width: CJK glyphs are full-width, others about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.58 for ch in text)


def _svg_label_lines(tx, ty, cx, cy, radius, width, title, figures):
    """Two label lines (title, figures) for the vertex at (tx, ty), kept inside the chart."""
    text_width = max(_text_px(title), _text_px(figures))
    if ty < cy - radius * 0.9:  # top vertex: above
        anchor, x, y = "middle", tx, ty - 22
    elif ty > cy + radius * 0.3:  # lower vertices: below, so long part names fit
        anchor, x, y = "middle", tx, ty + 16
    else:  # sides
        anchor = "start" if tx > cx else "end"
        x, y = tx + (6 if tx > cx else -6), ty - 4
    if anchor == "middle":
        x = min(max(x, text_width / 2 + 2), width - text_width / 2 - 2)
    elif anchor == "start":
        x = min(x, width - text_width - 2)
    else:
        x = max(x, text_width + 2)
    return [(x, y, anchor), (x, y + 14, anchor)]


def _svg_pts(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _svg_bars(groups: Sequence[GroupScore], *, lang: str, title: str, width: int) -> str:
    row = 28
    height = max(1, len(groups)) * row + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{title}" class="sonae-bars" font-family="sans-serif">',
        f"<title>{title}</title>",
    ]
    bar_x, bar_w = width * 0.45, width * 0.5
    for index, group in enumerate(groups):
        y = 10 + index * row
        text = html.escape(f"{group.title.get(lang)} {group.score}/{group.max}")
        out.append(f'<text x="0" y="{y + 15}" font-size="12" fill="#333">{text}</text>')
        out.append(f'<rect x="{bar_x:.1f}" y="{y}" width="{bar_w:.1f}" height="18" fill="#e6e8eb"/>')
        out.append(
            f'<rect x="{bar_x:.1f}" y="{y}" width="{bar_w * group.ratio:.1f}" height="18" fill="#1f6feb"/>'
        )
    out.append("</svg>")
    return "\n".join(out)


def svg_trend_chart(
    history: Sequence[tuple[dt.date, int]],
    *,
    maximum: int,
    minimum: int = 0,
    lang: str = "ja",
    due: dt.date | None = None,
    width: int = 560,
    height: int = 240,
    title: str | None = None,
) -> str:
    """Line chart of totals over time (oldest first is not required; points are sorted).

    `due` adds a marker for the next diagnosis (定期的に診断する). Negative totals are drawn
    where they are: the axis runs from min(minimum, lowest total) to `maximum`. `title` replaces
    the diagnosis trend's title (other charts of values over time use it too, e.g. the loop score).
    """
    L = _labels(lang)
    title = html.escape(title or L["trend_title"])
    points = sorted(history)
    left, right, top, bottom = 44, 16, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    low = min([minimum, *(total for _, total in points)])
    high = max([maximum, *(total for _, total in points)])
    span = (high - low) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{title}" class="sonae-trend" font-family="sans-serif">',
        f"<title>{title}</title>",
    ]

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / span)

    for value in _nice_ticks(low, high):
        y = y_of(value)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e1e4e8"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#555">{value:g}</text>'
        )
    if not points:
        out.append(
            f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" font-size="13" '
            f'fill="#555">{html.escape(L["no_history"])}</text>'
        )
        out.append("</svg>")
        return "\n".join(out)

    first = points[0][0]
    last = max(points[-1][0], due) if due else points[-1][0]
    days = max(1, (last - first).days)

    def x_of(day: dt.date) -> float:
        if len(points) == 1 and not due:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / days

    coords = [(x_of(day), y_of(total)) for day, total in points]
    if len(coords) > 1:
        out.append(
            f'<polyline points="{_svg_pts(coords)}" fill="none" stroke="#1f6feb" stroke-width="2"/>'
        )
    for (x, y), (day, total) in zip(coords, points, strict=True):
        tip = html.escape(f"{format_date(day, lang)}: {total}")
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1f6feb"><title>{tip}</title></circle>')
    # Date labels: first and last always, others only when there is room.
    step = max(1, math.ceil(len(points) / 6))
    for index, ((x, _), (day, _)) in enumerate(zip(coords, points, strict=True)):
        if index % step and index != len(points) - 1:
            continue
        out.append(
            f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle" font-size="11" '
            f'fill="#555">{day.year}/{day.month:02d}</text>'
        )
    if due:
        x = x_of(due)
        tip = html.escape(f"{L['next_due']}: {format_date(due, lang)}")
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#d29922" '
            f'stroke-dasharray="4 3"><title>{tip}</title></line>'
        )
        out.append(
            f'<text x="{x - 4:.1f}" y="{top + 10}" text-anchor="end" font-size="11" '
            f'fill="#9a6700">{html.escape(L["next_due_short"])} {due.year}/{due.month:02d}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _nice_ticks(low: float, high: float) -> list[float]:
    """Round axis values (…, 0, 25, 50, …) covering low..high, about six of them."""
    span = (high - low) or 1
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


# -- CSV ---------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Keep spreadsheet apps from running text as a formula (CSV/formula injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(result: DiagnosisResult, *, lang: str = "ja") -> str:
    """One row per answered item; UTF-8 BOM first so Excel reads Japanese correctly."""
    L = _labels(lang)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [L["instrument"], L["version"], L["no"], L["item_id"], L["part"], L["question"],
         L["answer"], L["answer_id"], L["score"], L["max_points"]]
    )
    for item in result.items:
        writer.writerow(
            [result.instrument_id, result.version, item.number, item.item_id, item.part or "",
             _cell(item.text.get(lang)), _cell(item.label.get(lang)), item.option_id,
             item.points, item.max_points]
        )
    return buffer.getvalue()


# -- Excel -------------------------------------------------------------------------------


def render_xlsx(
    result: DiagnosisResult,
    *,
    generated_on: dt.date | None = None,
    lang: str = "ja",
    organisation: str | None = None,
) -> bytes:
    """Workbook laid out like IPA's check sheet, plus a sheet of the items to fix first."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    L = _labels(lang)
    day = generated_on or dt.date.today()
    book = Workbook()
    sheet = book.active
    sheet.title = L["sheet_result"]
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    sub_fill = PatternFill("solid", fgColor="F2F4F7")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    sheet["A1"] = result.title.get(lang)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:E1")
    sheet["A2"] = L["date"]
    sheet["B2"] = format_date(day, lang)
    sheet.merge_cells("B2:E2")
    if organisation:
        sheet["A5"] = L["organisation"]
        sheet["B5"] = _cell(organisation)
        sheet.merge_cells("B5:E5")
        sheet["A5"].font = bold
    sheet["A3"] = L["total"]
    sheet["B3"] = result.total
    sheet["C3"] = f"/ {result.max}"
    sheet["A4"] = L["band"]
    sheet["B4"] = result.band.title.get(lang)
    sheet.merge_cells("B4:E4")
    for ref in ("A2", "A3", "A4", "B3"):
        sheet[ref].font = bold

    row = 6
    headers = [L["group"], L["no"], L["question"], L["answer"], L["score"]]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = bold
        cell.fill = header_fill
        cell.border = box
    row += 1

    sections: list[tuple[GroupScore | None, list]] = []
    if result.parts:
        for part in result.parts:
            members = [i for i in result.items if i.part == part.id]
            sections.append((part, members))
    else:
        sections.append((None, list(result.items)))
    for part, members in sections:
        first_row = row
        for item in members:
            values = [
                part.title.get(lang) if part else "",
                item.number,
                item.text.get(lang),
                item.label.get(lang),
                item.points,
            ]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.border = box
                cell.alignment = wrap
            row += 1
        if part is not None:
            if row - 1 > first_row:
                sheet.merge_cells(start_row=first_row, start_column=1, end_row=row - 1, end_column=1)
            sheet.cell(row=row, column=3, value=f"{L['subtotal']}（{part.title.get(lang)}）" if lang == "ja"
                       else f"{L['subtotal']} ({part.title.get(lang)})")
            sheet.cell(row=row, column=4, value=f"/ {part.max}")
            sheet.cell(row=row, column=5, value=part.score)
            for column in range(1, 6):
                sheet.cell(row=row, column=column).fill = sub_fill
                sheet.cell(row=row, column=column).font = bold
                sheet.cell(row=row, column=column).border = box
            row += 1
    sheet.cell(row=row, column=3, value=L["total"]).font = bold
    sheet.cell(row=row, column=4, value=f"/ {result.max}").font = bold
    sheet.cell(row=row, column=5, value=result.total).font = bold
    if result.unanswered:
        row += 2
        sheet.cell(row=row, column=1, value=L["unanswered"]).font = bold
        sheet.cell(row=row, column=3, value=", ".join(result.unanswered))
    widths = (16, 6, 60, 16, 8)
    for column, width in zip("ABCDE", widths, strict=True):
        sheet.column_dimensions[column].width = width
    _fit_row_heights(sheet, widths, first_row=7)
    sheet.freeze_panes = "A7"
    _print_setup(sheet, title_rows="6:6")

    fix = book.create_sheet(L["sheet_fix"])
    fix_headers = [L["no"], L["question"], L["answer"], L["score"], L["check"], L["advice"],
                   L["source"], L["as_of"]]
    for column, text in enumerate(fix_headers, start=1):
        cell = fix.cell(row=1, column=column, value=text)
        cell.font = bold
        cell.fill = header_fill
    for index, item in enumerate(result.fix_first, start=2):
        values = [item.number, item.text.get(lang), item.label.get(lang), item.points,
                  "✔" if item.check else "", item.advice.get(lang), item.source_url,
                  item.source_as_of.isoformat()]
        for column, value in enumerate(values, start=1):
            fix.cell(row=index, column=column, value=value).alignment = wrap
    fix_widths = (6, 40, 14, 6, 6, 60, 30, 11)
    for column, width in zip("ABCDEFGH", fix_widths, strict=True):
        fix.column_dimensions[column].width = width
    _fit_row_heights(fix, fix_widths, first_row=2)
    fix.freeze_panes = "A2"
    _print_setup(fix, title_rows="1:1", landscape=True)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _display_width(text: str) -> int:
    """Width in spreadsheet character units: full-width (Japanese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_row_heights(sheet, widths: Sequence[int], *, first_row: int, line_points: float = 15.0) -> None:
    """Set row heights for wrapped text. Neither openpyxl nor LibreOffice sizes them on opening, so
    long questions would show as one clipped line."""
    for row in sheet.iter_rows(min_row=first_row):
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            if isinstance(cell.value, str) and cell.value:
                per_line = max(1, int(width * 0.85))  # leave slack: fonts differ between Excel and LibreOffice
                lines = max(lines, sum(-(-_display_width(part) // per_line) or 1 for part in cell.value.split("\n")))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * line_points


def _print_setup(sheet, *, title_rows: str, landscape: bool = False) -> None:
    """A4, all columns on one page width, header row repeated on every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True


# -- PDF ---------------------------------------------------------------------------------

_fonts_ready = False


def _register_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT_GOTHIC))
    pdfmetrics.registerFont(UnicodeCIDFont(FONT_MINCHO))
    _fonts_ready = True


def radar_drawing(
    result: DiagnosisResult,
    *,
    lang: str = "ja",
    width: float = 260,
    height: float = 210,
    compare_to: Mapping[str, float] | None = None,
    compare_label: str | None = None,
):
    """The radar chart as a reportlab Drawing (bars for fewer than three groups)."""
    from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_fonts()
    groups = result.chart_groups
    drawing = Drawing(width, height)
    blue = colors.HexColor("#1f6feb")
    grey = colors.HexColor("#c8ccd2")
    if len(groups) < 3:
        row = min(26, (height - 10) / max(1, len(groups)))
        for index, group in enumerate(groups):
            y = height - (index + 1) * row
            drawing.add(String(0, y + 5, f"{group.title.get(lang)} {group.score}/{group.max}",
                               fontName=FONT_GOTHIC, fontSize=8))
            drawing.add(Rect(width * 0.5, y, width * 0.48, 14, fillColor=colors.HexColor("#e6e8eb"),
                             strokeColor=None))
            drawing.add(Rect(width * 0.5, y, width * 0.48 * group.ratio, 14, fillColor=blue,
                             strokeColor=None))
        return drawing
    cx, cy = width / 2, height / 2
    # Leave room for labels: long part names sit left and right of the lower vertices.
    radius = min(width * 0.28, height * 0.36)
    if len(groups) == 3:
        cy -= radius * 0.1  # a triangle is top-heavy; centre it visually
    for level in (0.25, 0.5, 0.75, 1.0):
        ring = radar_points([level] * len(groups), cx, cy, radius, y_up=True)
        drawing.add(Polygon(_flat(ring), fillColor=None, strokeColor=grey, strokeWidth=0.6))
    tips = radar_points([1.0] * len(groups), cx, cy, radius, y_up=True)
    label_points = radar_points([1.12] * len(groups), cx, cy, radius, y_up=True)
    font_size = 8 if len(groups) <= 8 else 6.5
    for (tx, ty), (lx, ly), group in zip(tips, label_points, groups, strict=True):
        drawing.add(Line(cx, cy, tx, ty, strokeColor=grey, strokeWidth=0.6))
        title, figures = group.title.get(lang), f"{group.score}/{group.max}"
        text_width = max(stringWidth(title, FONT_GOTHIC, font_size),
                         stringWidth(figures, FONT_GOTHIC, font_size))
        if ly > cy + radius * 0.9:  # top vertex: label above, clear of the vertex
            anchor, ly = "middle", ty + font_size * 1.3
        elif ly < cy - radius * 0.3:  # lower vertices: label below, so long names fit
            anchor, ly = "middle", ty - font_size * 1.9
        else:
            anchor, ly = _axis_anchor(lx, cx), ly - font_size / 3
        # Keep every label inside the drawing (long part names would spill out of the box).
        if anchor == "middle":
            lx = min(max(lx, text_width / 2 + 2), width - text_width / 2 - 2)
        elif anchor == "start":
            lx = min(lx, width - text_width - 2)
        else:
            lx = max(lx, text_width + 2)
        drawing.add(String(lx, ly + font_size * 0.6, title, fontName=FONT_GOTHIC,
                           fontSize=font_size, textAnchor=anchor))
        drawing.add(String(lx, ly - font_size * 0.6, figures, fontName=FONT_GOTHIC,
                           fontSize=font_size, textAnchor=anchor, fillColor=colors.HexColor("#555555")))
    if compare_to:
        peer = radar_points([_ratio(compare_to.get(g.id, 0), g.max) for g in groups], cx, cy, radius,
                            y_up=True)
        drawing.add(Polygon(_flat(peer), fillColor=None, strokeColor=colors.HexColor("#888888"),
                            strokeWidth=1.2, strokeDashArray=[3, 2]))
        # Legend, bottom left: dashed = the comparison (peer average or an earlier run).
        drawing.add(Line(2, 4, 18, 4, strokeColor=colors.HexColor("#888888"), strokeWidth=1.2,
                         strokeDashArray=[3, 2]))
        drawing.add(String(22, 1.5, compare_label or _labels(lang)["peer"], fontName=FONT_GOTHIC,
                           fontSize=7, fillColor=colors.HexColor("#555555")))
    own = radar_points([g.ratio for g in groups], cx, cy, radius, y_up=True)
    drawing.add(Polygon(_flat(own), fillColor=colors.Color(0.12, 0.44, 0.92, alpha=0.25),
                        strokeColor=blue, strokeWidth=1.5))
    return drawing


def _flat(points) -> list[float]:
    return [value for point in points for value in point]


def render_pdf(
    result: DiagnosisResult,
    *,
    generated_on: dt.date | None = None,
    lang: str = "ja",
    organisation: str | None = None,
    next_due: dt.date | None = None,
    compare_to: Mapping[str, float] | None = None,
    compare_label: str | None = None,
) -> bytes:
    """A4 report: total and band, radar chart and subtotals, items to fix first, all answers.

    `compare_to` (group id → score) draws a dashed comparison on the radar, e.g. the peer
    average from scoring.peer_average() or an earlier run, labelled `compare_label`.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    L = _labels(lang)
    day = generated_on or dt.date.today()
    esc = html.escape

    def style(name: str, size: float, *, font: str = FONT_GOTHIC, leading: float | None = None,
              color: str = "#222222", space_after: float = 0) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading or size * 1.45,
            textColor=colors.HexColor(color), wordWrap="CJK", alignment=TA_LEFT,
            spaceAfter=space_after,
        )

    title_style = style("title", 17, space_after=2)
    sub_style = style("sub", 9.5, color="#555555")
    h2 = style("h2", 12.5, space_after=4)
    body = style("body", 9.5, font=FONT_MINCHO)
    small = style("small", 8, color="#555555")
    cell = style("cell", 8.5, font=FONT_MINCHO, leading=12)
    cell_bold = style("cellb", 8.5, leading=12)
    big = style("big", 26, leading=30, color="#1f3b70")
    band_style = style("band", 12, leading=16, color="#1f3b70")

    story: list = []
    story.append(Paragraph(esc(result.title.get(lang)), title_style))
    meta = f"{L['report']}　{L['date']}: {format_date(day, lang)}"
    if organisation:
        meta += f"　{L['organisation']}: {organisation}"
    story.append(Paragraph(esc(meta), sub_style))
    story.append(Spacer(1, 5 * mm))

    # Summary: total + band on the left, radar on the right.
    total_text = L["total_line"].format(total=result.total, max=result.max)
    summary_left = [
        Paragraph(esc(total_text), big),
        Spacer(1, 2 * mm),
        Paragraph(esc(f"{L['band']}: {result.band.title.get(lang)}"), band_style),
        Spacer(1, 2 * mm),
        Paragraph(esc(result.band.message.get(lang)), body),
    ]
    if result.unanswered:
        summary_left += [Spacer(1, 2 * mm),
                         Paragraph(esc(L["unanswered_note"].format(n=len(result.unanswered))), small)]
    if next_due:
        summary_left += [Spacer(1, 2 * mm),
                         Paragraph(esc(f"{L['next_due']}: {format_date(next_due, lang)}"), small)]
    chart = radar_drawing(result, lang=lang, width=232, height=160, compare_to=compare_to,
                          compare_label=compare_label)
    summary = Table([[summary_left, chart]], colWidths=[94 * mm, 84 * mm])
    summary.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#c8ccd2")),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    story += [summary, Spacer(1, 6 * mm)]

    # Subtotals.
    groups = result.chart_groups
    if groups:
        rows = [[Paragraph(esc(L["group"]), cell_bold), Paragraph(esc(L["score"]), cell_bold),
                 Paragraph(esc(L["max"]), cell_bold), Paragraph(esc(L["rate"]), cell_bold)]]
        for group in groups:
            # わからない can make a subtotal negative; the rate shows 0% rather than −12%.
            rate = f"{round(100 * group.ratio)}%" if group.max else "–"
            rows.append([Paragraph(esc(group.title.get(lang)), cell), str(group.score),
                         str(group.max), rate])
        table = Table(rows, colWidths=[105 * mm, 24 * mm, 24 * mm, 24 * mm], repeatRows=1)
        table.setStyle(_grid_style(colors))
        table.setStyle(TableStyle([("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                                   ("FONTNAME", (1, 1), (-1, -1), FONT_GOTHIC),
                                   ("FONTSIZE", (1, 1), (-1, -1), 9)]))
        heading = L["parts"] if result.parts else L["tags"]
        story += [KeepTogether([Paragraph(esc(heading), h2), table]), Spacer(1, 6 * mm)]

    # Fix first.
    story.append(Paragraph(esc(L["fix_first"]), h2))
    if result.fix_first:
        story.append(Paragraph(esc(L["fix_first_note"]), small))
        story.append(Spacer(1, 2 * mm))
        rows = [[Paragraph(esc(L["no"]), cell_bold), Paragraph(esc(L["question"]), cell_bold),
                 Paragraph(esc(L["answer"]), cell_bold)]]
        for fix in result.fix_first:
            answer = esc(fix.label.get(lang))
            if fix.check:
                answer += f'<br/><font color="#b35900">{esc(L["check"])}</font>'
            source = esc(fix.source_title or fix.source_url)
            detail = (
                f"{esc(fix.text.get(lang))}<br/>"
                f'<font name="{FONT_GOTHIC}" color="#1f3b70">{esc(L["advice"])}:</font> '
                f"{esc(fix.advice.get(lang))}<br/>"
                f'<font size="7" color="#555555">{esc(L["source"])}: {source} '
                f"({esc(fix.source_url)}, {esc(L['as_of'])} {fix.source_as_of.isoformat()})</font>"
            )
            points = f"{fix.points} {esc(L['points'])}"
            rows.append([Paragraph(str(fix.number), cell), Paragraph(detail, cell),
                         Paragraph(f"{answer}<br/>{points}", cell)])
        table = Table(rows, colWidths=[11 * mm, 136 * mm, 31 * mm], repeatRows=1)
        table.setStyle(_grid_style(colors))
        story.append(table)
    else:
        story.append(Paragraph(esc(L["no_fix"]), body))
    story.append(Spacer(1, 6 * mm))

    # All answers, by part with subtotals (like IPA's sheet).
    story.append(Paragraph(esc(L["answers"]), h2))
    rows = [[Paragraph(esc(L["no"]), cell_bold), Paragraph(esc(L["question"]), cell_bold),
             Paragraph(esc(L["answer"]), cell_bold), Paragraph(esc(L["score"]), cell_bold)]]
    subtotal_rows = []
    order = sorted(result.items, key=lambda item: item.number)
    sections = (
        [(part, [i for i in order if i.part == part.id]) for part in result.parts]
        if result.parts else [(None, order)]
    )
    for part, members in sections:
        for item in members:
            rows.append([str(item.number), Paragraph(esc(item.text.get(lang)), cell),
                         Paragraph(esc(item.label.get(lang)), cell), str(item.points)])
        if part is not None:
            rows.append(["", Paragraph(esc(f"{L['subtotal']} {part.title.get(lang)}"), cell_bold),
                         f"/ {part.max}", str(part.score)])
            subtotal_rows.append(len(rows) - 1)
    rows.append(["", Paragraph(esc(L["total"]), cell_bold), f"/ {result.max}", str(result.total)])
    subtotal_rows.append(len(rows) - 1)
    table = Table(rows, colWidths=[12 * mm, 120 * mm, 30 * mm, 15 * mm], repeatRows=1)
    table.setStyle(_grid_style(colors))
    extra = [("ALIGN", (3, 1), (3, -1), "RIGHT"), ("FONTNAME", (0, 1), (-1, -1), FONT_GOTHIC),
             ("FONTSIZE", (0, 1), (-1, -1), 8.5)]
    for index in subtotal_rows:
        extra.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f2f4f7")))
    table.setStyle(TableStyle(extra))
    story.append(table)
    if result.unanswered:
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph(esc(f"{L['unanswered']}: {', '.join(result.unanswered)}"), small))

    footer_left = f"{L['generated_by']} — {result.instrument_id} v{result.version}"

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT_GOTHIC, 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(18 * mm, 10 * mm, footer_left)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{L['page']} {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
        bottomMargin=18 * mm, title=result.title.get(lang), author="sonae",
        subject=L["report"], creator="sonae",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _grid_style(colors):
    from reportlab.platypus import TableStyle

    return TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8bdc4")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT_GOTHIC),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        # reportlab's CJK wrapping keeps a line-start-forbidden mark (ー、。) on the line it
        # follows, so a line can run one glyph past its width: leave room in the text column.
        ("RIGHTPADDING", (1, 0), (1, -1), 13),
    ])
