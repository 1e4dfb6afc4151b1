"""Read a rule file (Markdown, Word .docx or PDF, given as bytes) into blocks with their headings.

Pure functions over bytes: the caller (the CLI, the upload page) reads the file. Limits keep a
hostile file from taking the process down: size, PDF pages, the unpacked size of a .docx, and the
amount of text kept. Anything that cannot be read raises `UnreadableDocument` with a reason in
Japanese and English; an encrypted PDF or Word file is refused, never guessed at.

Headings are what the Q&A cites, so each reader finds them the way its format states them:
Markdown `#` lines (and underlined "setext" headings), Word heading styles (Heading N, 見出し N,
or an outline level), and in a PDF the lines set in a larger font than the body text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from .passages import Block, clean_line

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 300
MAX_DOCX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
FORMATS = ("md", "docx", "pdf")
_EXTENSIONS = {".md": "md", ".markdown": "md", ".txt": "md", ".docx": "docx", ".pdf": "pdf"}


class UnreadableDocument(ValueError):
    """A file that cannot be used as a rule document; `ja` and `en` say why."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja = ja
        self.en = en


@dataclass(frozen=True)
class DocumentText:
    title: str  # from the document itself (Markdown "# …", Word Title style, the PDF's largest line); may be ""
    blocks: list[Block]
    format: str


def format_of(filename: str) -> str | None:
    """"md", "docx" or "pdf" from a file name's extension; None when it is none of them."""
    lowered = filename.lower()
    for extension, fmt in _EXTENSIONS.items():
        if lowered.endswith(extension):
            return fmt
    return None


def read_document(filename: str, data: bytes) -> DocumentText:
    """The blocks of a rule file; raises UnreadableDocument (empty, too big, broken, encrypted, no text)."""
    fmt = format_of(filename)
    if fmt is None:
        raise UnreadableDocument("Markdown (.md)、Word (.docx)、PDF (.pdf) のファイルを指定してください。",
                                 "use a Markdown (.md), Word (.docx) or PDF (.pdf) file")
    if not data:
        raise UnreadableDocument("ファイルが空です。", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDocument(f"ファイルが大きすぎます（{MAX_FILE_BYTES // (1024 * 1024)} MB まで）。",
                                 f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    reader = {"md": read_markdown_bytes, "docx": read_docx, "pdf": read_pdf}[fmt]
    document = reader(data)
    text_chars = sum(len(b.text) for b in document.blocks if b.level == 0)
    if text_chars == 0:
        if fmt == "pdf":
            raise UnreadableDocument(
                "PDFから文字を読み取れませんでした。画像だけのPDF（スキャンしたもの）は読めません。文字のあるPDFかWordで登録してください。",
                "no text could be read from the PDF (a scanned, image-only PDF cannot be used)")
        raise UnreadableDocument("文書に本文がありません。", "the document has no text")
    return document


def _limit(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    total = 0
    for block in blocks:
        total += len(block.text)
        if total > MAX_TEXT_CHARS:
            raise UnreadableDocument(f"文書の文字数が多すぎます（{MAX_TEXT_CHARS:,}文字まで）。分けて登録してください。",
                                     f"the document has more than {MAX_TEXT_CHARS:,} characters of text")
        kept.append(block)
    return kept


# --- Markdown -------------------------------------------------------------------------------------------

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+・•]|(\d{1,3})[.)])\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()<>#+\-.!|~])")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Stand-ins for escaped characters while emphasis is removed (private-use code points).
_HIDE = {ch: chr(0xE000 + i) for i, ch in enumerate("\\`*_{}[]()<>#+-.!|~")}
_SHOW = {v: k for k, v in _HIDE.items()}


def _inline(text: str) -> str:
    """Markdown inline markup removed, escapes resolved; HTML stays literal text (it is shown, never rendered)."""
    text = _ESCAPE.sub(lambda m: _HIDE[m.group(1)], text)
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", text)
    text = _STRONG.sub(lambda m: m.group(2), text)
    text = _EMPHASIS.sub(lambda m: m.group(1), text)
    text = _BR.sub(" ", text)
    return "".join(_SHOW.get(ch, ch) for ch in text).replace("`", "")


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [_inline(cell.strip()) for cell in re.split(r"(?<!\\)\|", line)]


EMPTY_CELLS = ("", "—", "-", "－")


def table_row_text(headers: list[str], cells: list[str]) -> str:
    """A table row as one readable line: "(4) 個人情報 / 扱い: 入力禁止 / 補足: 顧客・従業員の…"."""
    parts: list[str] = []
    for index, cell in enumerate(cells):
        cell = clean_line(cell)
        if cell in EMPTY_CELLS:
            continue
        header = clean_line(headers[index]) if index < len(headers) else ""
        if index == 0 and header in ("", "項目"):
            parts.append(cell)
        elif header in ("", "内容") or header == cell:
            parts.append(cell)
        else:
            parts.append(f"{header}: {cell}")
    if len(parts) == 2 and (headers[:2] == ["項目", "内容"] or not headers):
        return f"{parts[0]}: {parts[1]}"
    return " / ".join(parts)


def read_markdown(text: str) -> DocumentText:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    title = ""
    paragraph: list[str] = []
    in_fence = False
    table_headers: list[str] | None = None

    def flush() -> None:
        if paragraph:
            blocks.append(Block(_inline(" ".join(p.strip() for p in paragraph))))
            paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if line.strip():
                blocks.append(Block(line.strip()))
            continue
        if not line.strip():
            flush()
            table_headers = None
            continue
        heading = _ATX.match(line)
        if heading:
            flush()
            table_headers = None
            level, heading_text = len(heading.group(1)), _inline(heading.group(2) or "")
            if level == 1 and not title and not blocks:
                title = clean_line(heading_text)
            blocks.append(Block(heading_text, level))
            continue
        if paragraph and _SETEXT.match(line) and len(paragraph) == 1 and not _LIST_ITEM.match(paragraph[0]):
            level = 1 if line.strip().startswith("=") else 2
            heading_text = _inline(paragraph.pop().strip())
            if level == 1 and not title and not blocks:
                title = clean_line(heading_text)
            blocks.append(Block(heading_text, level))
            continue
        stripped = line.strip()
        if stripped.startswith("|") or (table_headers is not None and "|" in stripped):
            flush()
            if table_headers is None:
                if index < len(lines) and _TABLE_RULE.match(lines[index]):
                    table_headers = _cells(stripped)
                    index += 1  # the |---| line
                    continue
                table_headers = []
            blocks.append(Block(table_row_text(table_headers, _cells(stripped))))
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            number, body = item.group(1), item.group(2)
            blocks.append(Block(_inline(f"{number}. {body}" if number else body)))
            continue
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ")
        if re.fullmatch(r"(\*\s*){3,}|(-\s*){3,}|(_\s*){3,}", stripped):
            flush()  # a thematic break (sonae's page break before the いざという時カード)
            continue
        paragraph.append(stripped)
    flush()
    return DocumentText(title=title, blocks=_limit(blocks), format="md")


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("文字コードを読み取れません。UTF-8 で保存し直してください。",
                             "the text is neither UTF-8 nor Shift_JIS; save it as UTF-8")


def read_markdown_bytes(data: bytes) -> DocumentText:
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("テキストファイルではありません。", "this is not a text file")
    return read_markdown(_decode_text(data))


# --- Word (.docx) -------------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)


def _check_docx_container(data: bytes) -> None:
    if data.startswith(_OLE_MAGIC):
        raise UnreadableDocument(
            "パスワードで保護されたWord文書か、古い形式 (.doc) のファイルです。保護を外し、.docx 形式で保存し直してください。",
            "the file is a password-protected Word document or an old .doc file; remove the protection and save as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableDocument("Word文書 (.docx) として読み取れません。ファイルが壊れている可能性があります。",
                                 "the file is not a readable .docx (it may be damaged)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > 5000 or sum(i.file_size for i in infos) > MAX_DOCX_UNPACKED_BYTES:
            raise UnreadableDocument("Word文書の中身が大きすぎます。", "the .docx unpacks to too much data")
        if "word/document.xml" not in archive.namelist():
            raise UnreadableDocument("Word文書 (.docx) として読み取れません。本文が見つかりません。",
                                     "the file is not a .docx (no word/document.xml)")


def _paragraph_level(paragraph) -> int:
    """1.. for a heading paragraph, -1 for the title, 0 for body text."""
    style = paragraph.style
    names = []
    while style is not None and len(names) < 5:  # a custom style based on "Heading 2" is a heading too
        names.append(str(style.name or ""))
        style = style.base_style
    for name in names:
        if name.lower() in ("title", "表題"):
            return -1
        match = _HEADING_STYLE.match(name.strip())
        if match:
            return max(1, int(match.group(1)))
    # Direct formatting: a short paragraph all in bold at 14 pt or more reads as a heading (a card's title).
    runs = [r for r in paragraph.runs if r.text.strip()]
    text = paragraph.text.strip()
    if runs and len(text) <= 60 and not text.endswith("。") and all(r.bold for r in runs) and all(
            r.font.size is not None and r.font.size.pt >= 14 for r in runs):
        return 1
    outline = paragraph._p.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl")
    if outline is not None:
        value = outline.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
        if value and value.isdigit() and int(value) < 9:
            return int(value) + 1
    return 0


def read_docx(data: bytes) -> DocumentText:
    _check_docx_container(data)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        blocks: list[Block] = []
        title = ""
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                paragraph = Paragraph(child, document)
                text = paragraph.text
                if not text.strip():
                    continue
                level = _paragraph_level(paragraph)
                if level == -1:
                    title = title or clean_line(text)
                    blocks.append(Block(text, 1))
                else:
                    for line in text.split("\n"):
                        blocks.append(Block(line, level))
            elif tag == "tbl":
                blocks.extend(_docx_table_blocks(Table(child, document)))
    except UnreadableDocument:
        raise
    except Exception:  # python-docx and lxml raise many kinds of errors on damaged files
        raise UnreadableDocument("Word文書 (.docx) として読み取れません。ファイルが壊れている可能性があります。",
                                 "the .docx could not be read (it may be damaged)") from None
    return DocumentText(title=title, blocks=_limit(blocks), format="docx")


def _docx_table_blocks(table) -> list[Block]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell repeats itself across the columns it spans
                continue
            previous = cell._tc
            cells.append(" ".join(p.text for p in cell.paragraphs).strip())
        rows.append(cells)
    if not rows:
        return []
    first = rows[0]
    # sonae's own tables (and most rule tables) have a header row; a two-column key/value table has none.
    has_header = len(rows) > 1 and len(first) > 2 or first[:2] == ["項目", "内容"]
    headers = first if has_header else []
    body = rows[1:] if has_header else rows
    return [Block(table_row_text(headers, cells)) for cells in body if any(c.strip() for c in cells)]


# --- PDF ----------------------------------------------------------------------------------------------


def _pdf_lines(page) -> list[tuple[float, str, str]]:
    """(font size, font name, text) for each line of a page, from the text-showing operators."""
    lines: list[tuple[float, str, str]] = []
    current: list[str] = []
    sizes: list[tuple[float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text:
            return
        scale = abs(tm[3] or tm[0] or 1) * abs(cm[3] or cm[0] or 1)
        size = round(float(font_size or 0) * scale, 1)
        font = str(font_dict.get("/BaseFont", "")) if isinstance(font_dict, dict) else ""
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if part.strip():
                current.append(part)
                sizes.append((size, font))
            if index < len(parts) - 1:
                end_line()

    def end_line():
        if current:
            size, font = max(sizes)
            lines.append((size, font, "".join(current)))
        current.clear()
        sizes.clear()

    page.extract_text(visitor_text=visit)
    end_line()
    return lines


_JOIN_BLOCKERS = re.compile(r"^(?:[•・\-*]|\d{1,3}[.)．]|\(\d{1,3}\)|[（(]?[0-9０-９]+[）)])")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def read_pdf(data: bytes) -> DocumentText:
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocument("PDFファイルとして読み取れません。ファイルが壊れている可能性があります。",
                                 "the file is not a PDF (no %PDF- header)")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnreadableDocument(
                "パスワードで保護された（暗号化された）PDFは読み込めません。保護を外したPDFを登録してください。",
                "the PDF is encrypted; upload a copy without password protection")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableDocument(f"ページ数が多すぎます（{MAX_PDF_PAGES}ページまで）。",
                                     f"the PDF has more than {MAX_PDF_PAGES} pages")
        pages = [_pdf_lines(page) for page in reader.pages]
    except UnreadableDocument:
        raise
    except Exception:  # pypdf raises many kinds of errors on damaged files
        raise UnreadableDocument("PDFファイルとして読み取れません。ファイルが壊れている可能性があります。",
                                 "the PDF could not be read (it may be damaged)") from None
    return _pdf_document(pages)


def _pdf_document(pages: list[list[tuple[float, str, str]]]) -> DocumentText:
    """Headings are lines set larger than the body text, or at body size in another (bold) font;
    the title is the one largest line on the first page; repeated page headers and numbers are dropped."""
    weights: Counter[tuple[float, str]] = Counter()
    for lines in pages:
        for size, font, text in lines:
            weights[(size, font)] += len(text)
    if not weights:
        return DocumentText(title="", blocks=[], format="pdf")
    body_size, body_font = weights.most_common(1)[0][0]
    # The size of running text: the largest size of the body font that carries a real share of it
    # (tables are often set smaller than paragraphs; their bold labels are not headings).
    body_chars: Counter[float] = Counter({size: n for (size, font), n in weights.items() if font == body_font})
    total = sum(body_chars.values())
    text_size = max(size for size, n in body_chars.items() if n >= total * 0.1)
    # Page headers and footers: the same text among the first or last two lines of most pages.
    repeated = Counter(text for lines in pages for text in {clean_line(t) for _s, _f, t in lines[:2] + lines[-2:]})
    furniture = {text for text, count in repeated.items() if len(pages) > 1 and count >= max(2, len(pages) // 2 + 1)}
    heading_sizes = sorted({s for lines in pages for s, _f, t in lines
                            if text_size and s >= text_size * 1.12 and len(t.strip()) <= 80}, reverse=True)

    def page_font(lines) -> str:
        chars: Counter[str] = Counter()
        for _size, font, text in lines:
            chars[font] += len(text)
        return chars.most_common(1)[0][0] if chars else body_font

    def level_of(size: float, font: str, text: str, page_body_font: str) -> int:
        if text.endswith("。"):
            return 0
        if size in heading_sizes:
            return heading_sizes.index(size) + 1
        # A bold line at text size is the lowest heading level, on pages whose text is in another font
        # (not on a page set all in bold, such as the いざという時カード).
        if font != body_font and font != page_body_font and size >= text_size * 0.97 and len(text) <= 40:
            return len(heading_sizes) + 1
        return 0

    rows = []
    for page_number, lines in enumerate(pages):
        page_body_font = page_font(lines)
        for size, font, raw in lines:
            text = clean_line(raw)
            rows.append((page_number, size, level_of(size, font, text, page_body_font), text))
    rows = [r for r in rows if r[3] and r[3] not in furniture and not (r[3].isdigit() and r[1] <= body_size)]
    title = ""
    first_page = [i for i, r in enumerate(rows) if r[0] == 0]
    top = max((rows[i][1] for i in first_page), default=0)
    at = next((i for i in first_page if rows[i][1] == top), None)
    if at is not None and top in heading_sizes:
        title = rows[at][3]
        after = rows[at + 1] if at + 1 < len(rows) else None
        following = rows[at + 2] if at + 2 < len(rows) else None
        # A line right under the title, followed by body text or a bigger heading, is a subtitle (the company name).
        drop = {i for i in first_page[: first_page.index(at)] if rows[i][1] < body_size} | {at}
        if after and after[2] and (following is None or not following[2] or following[1] > after[1]):
            drop.add(at + 1)
        rows = [r for i, r in enumerate(rows) if i not in drop]
    blocks: list[Block] = []
    joinable = False
    for _page, size, level, text in rows:
        previous = blocks[-1] if blocks else None
        if level:
            if previous is not None and previous.level == level and len(previous.text) >= 28 and heading_sizes:
                blocks[-1] = Block(previous.text + text, level)  # a long heading wrapped onto two lines
            else:
                blocks.append(Block(text, min(level, 6)))
            joinable = False
            continue
        if text in ("•", "・", "●", "-"):
            joinable = False  # a bullet: its item starts a new line
            blocks.append(Block(""))
            continue
        if (joinable and previous is not None and previous.level == 0 and previous.text
                and len(previous.text) >= 30 and not previous.text.endswith(("。", ":", "："))
                and not _JOIN_BLOCKERS.match(text)):
            glue = "" if _CJK.match(previous.text[-1]) and _CJK.match(text[0]) else " "
            blocks[-1] = Block(previous.text + glue + text)
        else:
            blocks.append(Block(text))
        joinable = True
    return DocumentText(title=title, blocks=_limit([b for b in blocks if b.text or b.level]), format="pdf")
