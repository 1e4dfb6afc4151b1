"""PDF rendering with reportlab's built-in Japanese CID fonts (no font files to ship or install).

HeiseiKakuGo-W5 (gothic) for headings and labels, HeiseiMin-W3 (mincho) for body text. Paragraph
styles use wordWrap="CJK" so Japanese lines break between any characters, as Japanese typesetting
expects, instead of only at spaces.
"""

from __future__ import annotations

import io
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Frame,
    KeepInFrame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak as RLPageBreak,
    PageTemplate,
    Paragraph,
    BaseDocTemplate,
    Spacer,
    Table as RLTable,
    TableStyle,
)

from .blocks import Built, Bullets, Card, Heading, KeyValues, PageBreak, Para, Table

GOTHIC = "HeiseiKakuGo-W5"
MINCHO = "HeiseiMin-W3"
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
BODY_W = PAGE_W - 2 * MARGIN
RULE = colors.HexColor("#8a8a8a")
SHADE = colors.HexColor("#eef1f5")
ACCENT = colors.HexColor("#1f3a5f")
ALERT = colors.HexColor("#b3261e")


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(GOTHIC))
    pdfmetrics.registerFont(UnicodeCIDFont(MINCHO))
    base = {"wordWrap": "CJK", "allowOrphans": 0}
    return {
        "title": ParagraphStyle("title", fontName=GOTHIC, fontSize=17, leading=24, spaceAfter=4,
                                textColor=ACCENT, **base),
        "org": ParagraphStyle("org", fontName=GOTHIC, fontSize=11, leading=16, spaceAfter=2, **base),
        "meta": ParagraphStyle("meta", fontName=MINCHO, fontSize=8.5, leading=12, textColor=colors.HexColor("#444444"),
                               **base),
        "h1": ParagraphStyle("h1", fontName=GOTHIC, fontSize=13, leading=18, spaceBefore=12, spaceAfter=6,
                             textColor=ACCENT, **base),
        "h2": ParagraphStyle("h2", fontName=GOTHIC, fontSize=11, leading=16, spaceBefore=9, spaceAfter=4, **base),
        "h3": ParagraphStyle("h3", fontName=GOTHIC, fontSize=9.5, leading=14, spaceBefore=6, spaceAfter=3, **base),
        "body": ParagraphStyle("body", fontName=MINCHO, fontSize=9.5, leading=15.5, spaceAfter=4, **base),
        "signature": ParagraphStyle("signature", fontName=MINCHO, fontSize=10, leading=17, alignment=2,
                                    spaceBefore=18, **base),
        "note": ParagraphStyle("note", fontName=MINCHO, fontSize=9, leading=14, textColor=colors.HexColor("#555555"),
                               spaceAfter=4, **base),
        "cell": ParagraphStyle("cell", fontName=MINCHO, fontSize=8.5, leading=12.5, **base),
        "cellhead": ParagraphStyle("cellhead", fontName=GOTHIC, fontSize=8.5, leading=12.5, **base),
        "cell_num": ParagraphStyle("cell_num", fontName=MINCHO, fontSize=8.5, leading=12.5, alignment=2, **base),
        "cellhead_num": ParagraphStyle("cellhead_num", fontName=GOTHIC, fontSize=8.5, leading=12.5, alignment=2,
                                       **base),
        "card_title": ParagraphStyle("card_title", fontName=GOTHIC, fontSize=20, leading=26, textColor=ALERT,
                                     **base),
        "card_head": ParagraphStyle("card_head", fontName=GOTHIC, fontSize=11.5, leading=16, textColor=colors.white,
                                    **base),
        "card_lead": ParagraphStyle("card_lead", fontName=GOTHIC, fontSize=11, leading=16, **base),
        "card_step": ParagraphStyle("card_step", fontName=GOTHIC, fontSize=10, leading=14.5, **base),
        "card_cell": ParagraphStyle("card_cell", fontName=GOTHIC, fontSize=9.5, leading=13, **base),
    }


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), _styles()[style])


def _grid_style(header: bool = True, total: bool = False) -> TableStyle:
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    if total:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), SHADE))
    return TableStyle(commands)


def _table(block: Table) -> RLTable:
    scale = BODY_W / sum(block.widths)
    widths = [w * scale for w in block.widths]
    data = [[_p(h, "cellhead") for h in block.headers]]
    def cell(text: str, index: int, style: str) -> Paragraph:
        return _p(text, style + "_num" if index in block.numeric else style)

    data += [[cell(c, i, "cell") for i, c in enumerate(row)] for row in block.rows]
    if block.total_row:
        data.append([cell(c, i, "cellhead") for i, c in enumerate(block.total_row)])
    table = RLTable(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(_grid_style(total=bool(block.total_row)))
    return table


def _key_values(block: KeyValues) -> RLTable:
    data = [[_p(k, "cellhead"), _p(v, "cell")] for k, v in block.rows]
    table = RLTable(data, colWidths=[BODY_W * 0.3, BODY_W * 0.7], splitInRow=1, hAlign="LEFT")
    style = _grid_style(header=False)
    style.add("BACKGROUND", (0, 0), (0, -1), SHADE)
    table.setStyle(style)
    return table


def _bullets(block: Bullets) -> ListFlowable:
    items = [ListItem(_p(item, "body"), leftIndent=14) for item in block.items]
    return ListFlowable(
        items,
        bulletType="1" if block.ordered else "bullet",
        start="1" if block.ordered else "•",
        bulletFontName=GOTHIC,
        bulletFontSize=8.5,
        leftIndent=14,
    )


def _card(card: Card) -> list:
    """The いざという時カード, shrunk if needed so that it always fits on one page."""
    styles = _styles()
    half = (BODY_W - 6) / 2
    boxes = []
    palette = [ALERT, colors.HexColor("#8a4b00"), colors.HexColor("#1f5f3a"), ACCENT]
    for (title, steps), colour in zip(card.scenarios, palette, strict=False):
        rows = [[_p(title, "card_head")]] + [[_p(f"{i}. {s}", "card_step")] for i, s in enumerate(steps, 1)]
        box = RLTable(rows, colWidths=[half])
        box.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colour),
            ("BOX", (0, 0), (-1, -1), 1.2, colour),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        boxes.append(box)
    while len(boxes) % 2:
        boxes.append("")
    pairs = [[boxes[i], boxes[i + 1]] for i in range(0, len(boxes), 2)]
    grid = RLTable(pairs, colWidths=[half + 3, half + 3])
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))

    def contact_table(title: str, contacts, with_name: bool) -> RLTable:
        rows = [[_p(title, "card_head"), "", ""] if with_name else [_p(title, "card_head"), ""]]
        for c in contacts:
            if with_name:
                rows.append([_p(c.label, "card_cell"), _p(c.name, "card_cell"), _p(c.reach, "card_cell")])
            else:
                rows.append([_p(c.label, "card_cell"), _p(c.reach, "card_cell")])
        widths = [BODY_W * 0.25, BODY_W * 0.45, BODY_W * 0.30] if with_name else [BODY_W * 0.5, BODY_W * 0.5]
        table = RLTable(rows, colWidths=widths)
        table.setStyle(TableStyle([
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("GRID", (0, 1), (-1, -1), 0.5, RULE),
            ("BOX", (0, 0), (-1, -1), 1, ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        return table

    content = [
        Paragraph(escape(card.title) + (f"　<font size=12 color='#222222'>{escape(card.org_name)}</font>"
                                        if card.org_name else ""), styles["card_title"]),
        Spacer(1, 4),
        _p(card.headline, "card_lead"),
        Spacer(1, 8),
        grid,
    ]
    if card.own_contacts:
        content += [Spacer(1, 4), contact_table("まず連絡 (社内・取引先)", card.own_contacts, True)]
    content += [Spacer(1, 8), contact_table("公的な相談窓口", card.public_contacts, False)]
    # KeepInFrame(mode="shrink") scales the whole card down when an organisation lists many contacts,
    # which is what keeps the card on a single printed page.
    return [KeepInFrame(BODY_W, PAGE_H - 2 * MARGIN - 14, content, mode="shrink")]


def _flowables(built: Built, *, with_title: bool) -> list:
    styles = _styles()
    story: list = []
    if with_title:
        story.append(Paragraph(escape(built.meta.title), styles["title"]))
        if built.meta.org_name:
            story.append(_p(built.meta.org_name, "org"))
        for line in built.meta.lines():
            story.append(_p(line, "meta"))
        story.append(Spacer(1, 10))
    pending_heading = None
    for block in built.blocks:
        if isinstance(block, Heading):
            flowable = _p(block.text, f"h{block.level}")
            # Keep a heading with what follows it, never alone at a page bottom.
            pending_heading = (pending_heading or []) + [flowable]
            continue
        if isinstance(block, Para):
            flowable = _p(block.text, block.style if block.style in ("note", "signature") else "body")
        elif isinstance(block, Bullets):
            flowable = _bullets(block)
        elif isinstance(block, KeyValues):
            flowable = _key_values(block)
        elif isinstance(block, Table):
            flowable = _table(block)
        elif isinstance(block, PageBreak):
            if pending_heading:
                story.extend(pending_heading)
                pending_heading = None
            story.append(RLPageBreak())
            continue
        elif isinstance(block, Card):
            story.extend(_card(block))
            continue
        else:  # pragma: no cover
            continue
        if pending_heading and _small(flowable):
            story.append(KeepTogether(pending_heading + [flowable]))
        else:
            story.extend(pending_heading or [])
            story.append(flowable)
        pending_heading = None
    if pending_heading:
        story.extend(pending_heading)
    return story


def _small(flowable) -> bool:
    """Whether a flowable is short enough to keep with its heading (long tables may split)."""
    if not isinstance(flowable, RLTable | Paragraph):
        return True  # lists of a few steps; KeepTogether still splits anything taller than a page
    width, height = flowable.wrap(BODY_W, PAGE_H)
    return height < PAGE_H * 0.4


def render_pdf(built: Built, *, with_title: bool = True) -> bytes:
    buffer = io.BytesIO()
    meta = built.meta
    header = meta.header()
    footer_left = "　".join(meta.lines())

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(GOTHIC, 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        if header:
            canvas.drawString(MARGIN, PAGE_H - MARGIN + 8, header[:90])
        canvas.drawRightString(PAGE_W - MARGIN, MARGIN - 12, f"{doc.page}")
        if footer_left:
            canvas.drawString(MARGIN, MARGIN - 12, footer_left[:90])
        canvas.restoreState()

    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{meta.title} {meta.org_name}".strip(),
        author=meta.org_name,
        creator="sonae",
    )
    frame = Frame(MARGIN, MARGIN, BODY_W, PAGE_H - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    document.build(_flowables(built, with_title=with_title))
    return buffer.getvalue()
