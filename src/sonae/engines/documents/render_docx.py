"""Word (.docx) rendering with python-docx: real headings and tables an advisor can keep editing."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .blocks import Built, Bullets, Card, Heading, KeyValues, PageBreak, Para, Table

# Fonts Word and LibreOffice know on Japanese systems; Word substitutes when missing.
EAST_ASIAN_FONT = "游明朝"
EAST_ASIAN_HEADING_FONT = "游ゴシック"
SHADE = "EEF1F5"
CONTENT_WIDTH_MM = 174


def _set_east_asian(style_or_run, font: str) -> None:
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _shade(cell, colour: str = SHADE) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    props.append(shading)


def _mark_header_row(row) -> None:
    """Repeat the header row on every page when a table breaks across pages."""
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _write(cell_or_paragraph, text: str, *, bold: bool = False, size: float | None = None) -> None:
    paragraph = cell_or_paragraph.paragraphs[0] if hasattr(cell_or_paragraph, "paragraphs") else cell_or_paragraph
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if bold:  # leave unset otherwise: setting False writes an element per run
            run.bold = True
        if size:
            run.font.size = Pt(size)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _new_document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_east_asian(normal, EAST_ASIAN_FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _set_east_asian(styles[name], EAST_ASIAN_HEADING_FONT)
    styles["Title"].font.size = Pt(20)
    styles["Heading 1"].font.size = Pt(14)
    styles["Heading 2"].font.size = Pt(12)
    styles["Heading 3"].font.size = Pt(10.5)
    return document


class _Styles:
    """Style ids resolved once: python-docx looks styles up by name with a linear XML scan on every
    paragraph and table, which made a four-page plan take seconds."""

    def __init__(self, document) -> None:
        self.ids = {name: document.styles[name].style_id
                    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid")}

    def paragraph(self, document, name: str, text: str = ""):
        paragraph = document.add_paragraph()
        paragraph._p.style = self.ids[name]
        if text:
            _write(paragraph, text)
        return paragraph

    def table(self, table) -> None:
        table._tbl.tblPr.style = self.ids["Table Grid"]


def _styles(document) -> _Styles:
    # Kept on the document itself: renders may run in parallel threads of the web server.
    styles = getattr(document, "_sonae_styles", None)
    if styles is None:
        styles = _Styles(document)
        document._sonae_styles = styles
    return styles


def _table(document, headers: list[str], rows: list[list[str]], widths: list[float], total: list[str] | None,
           *, font_size: float = 9, numeric: tuple[int, ...] = ()) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    _styles(document).table(table)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    scale = CONTENT_WIDTH_MM / sum(widths)
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _write(cell, header, bold=True, size=font_size)
        _shade(cell)
    _mark_header_row(table.rows[0])
    for values in rows + ([total] if total else []):
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _write(cell, value, bold=values is total, size=font_size)
            if index in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width * scale)
    document.add_paragraph()


def _key_values(document, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    _styles(document).table(table)
    for key, value in rows:
        cells = table.add_row().cells
        _write(cells[0], key, bold=True, size=9.5)
        _shade(cells[0])
        _write(cells[1], value, size=9.5)
        cells[0].width, cells[1].width = Mm(CONTENT_WIDTH_MM * 0.3), Mm(CONTENT_WIDTH_MM * 0.7)
    document.add_paragraph()


def _card(document, card: Card) -> None:
    title = document.add_paragraph()
    run = title.add_run(card.title)
    run.bold = True
    run.font.size = Pt(18)
    run.font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)
    if card.org_name:
        org = title.add_run(f"　{card.org_name}")
        org.font.size = Pt(11)
    lead = document.add_paragraph()
    lead_run = lead.add_run(card.headline)
    lead_run.bold = True
    lead_run.font.size = Pt(10.5)
    grid = document.add_table(rows=(len(card.scenarios) + 1) // 2, cols=2)
    _styles(document).table(grid)
    for index, (scenario, steps) in enumerate(card.scenarios):
        cell = grid.cell(index // 2, index % 2)
        _write(cell, scenario, bold=True, size=10)
        for number, step in enumerate(steps, start=1):
            paragraph = cell.add_paragraph()
            _write(paragraph, f"{number}. {step}", size=9)
        cell.width = Mm(CONTENT_WIDTH_MM / 2)
    document.add_paragraph()
    if card.own_contacts:
        _table(document, ["役割", "氏名・名称", "電話"], [[c.label, c.name, c.reach] for c in card.own_contacts],
               [1, 1.8, 1.2], None, font_size=8.5)
    _table(document, ["公的な相談窓口", "連絡先"], [[c.label, c.reach] for c in card.public_contacts], [1, 1], None,
           font_size=8.5)


def render_docx(built: Built) -> bytes:
    document = _new_document()
    meta = built.meta
    core = document.core_properties
    core.title = meta.title
    core.author = meta.org_name or "sonae"
    core.comments = "sonae"
    header = document.sections[0].header.paragraphs[0]
    _write(header, meta.header(), size=8)
    styles = _styles(document)
    styles.paragraph(document, "Title", meta.title)
    if meta.org_name:
        paragraph = document.add_paragraph()
        _write(paragraph, meta.org_name, bold=True, size=12)
    for line in meta.lines():
        _write(document.add_paragraph(), line, size=9)
    for block in built.blocks:
        if isinstance(block, Heading):
            styles.paragraph(document, f"Heading {min(block.level, 3)}", block.text)
        elif isinstance(block, Para):
            paragraph = document.add_paragraph()
            _write(paragraph, block.text)
            if block.style == "signature":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.style == "note":
                for run in paragraph.runs:
                    run.italic = True
        elif isinstance(block, Bullets):
            # Numbers are written out: Word's shared list numbering would run on from one list to the next.
            for number, item in enumerate(block.items, start=1):
                if block.ordered:
                    paragraph = document.add_paragraph()
                    paragraph.paragraph_format.left_indent = Mm(6)
                    paragraph.paragraph_format.first_line_indent = Mm(-6)
                    _write(paragraph, f"{number}.\t{item}")
                else:
                    styles.paragraph(document, "List Bullet", item)
        elif isinstance(block, KeyValues):
            _key_values(document, block.rows)
        elif isinstance(block, Table):
            _table(document, block.headers, block.rows, block.widths, block.total_row, numeric=block.numeric)
        elif isinstance(block, PageBreak):
            document.add_section(WD_SECTION.NEW_PAGE)
        elif isinstance(block, Card):
            _card(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
