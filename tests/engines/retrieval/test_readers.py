"""Reading rule files into headed passages: sonae's own renderings in three formats, and hostile files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document as Docx
from pypdf import PdfWriter

from support import encrypted_pdf

from sonae.engines import documents as engine
from sonae.engines.retrieval import UnreadableDocument, passages_of, read_document, read_markdown
from sonae.engines.retrieval import readers

FIXTURES = Path(__file__).resolve().parents[1] / "documents" / "fixtures"


def rendered(kind: str, stem: str, fmt: str) -> bytes:
    return engine.render(kind, json.loads((FIXTURES / f"{stem}_minato.json").read_text(encoding="utf-8")), fmt)


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_sonaes_own_guideline_reads_back_with_its_sections_in_every_format(fmt):
    passages = passages_of(f"guideline.{fmt}", rendered("ai-guideline", "ai_guideline", fmt))
    sections = [p.section for p in passages]
    assert passages[0].document == "生成AI利用ガイドライン"  # the document's own title
    assert "1 本ガイドラインの目的" in sections
    assert "5 データ入力に際して注意すべき事項 > 入力禁止情報リスト" in sections
    assert not any(s.startswith("生成AI利用ガイドライン") for s in sections)  # the title is not a section
    forbidden = next(p for p in passages if p.section.endswith("入力禁止情報リスト"))
    assert "プロジェクト青嵐" in forbidden.text and "見積単価表" in forbidden.text
    purpose = next(p for p in passages if p.section == "1 本ガイドラインの目的")
    assert purpose.text.startswith("当社の業務で生成AIを利用する際に")


def test_pdf_page_headers_and_numbers_are_not_text():
    passages = passages_of("plan.pdf", rendered("jigyokei", "jigyokei", "pdf"))
    assert not any("株式会社みなと精工\u3000事業継続力強化計画" in p.text or "株式会社みなと精工 事業継続力強化計画" in p.text
                   for p in passages)
    # the wrapped (5) heading is one heading again, and its bold sub-headings are sections
    assert any(p.section.endswith("確保するための取組 > 計画の見直し") for p in passages)


def test_markdown_headings_tables_lists_and_escapes():
    text = read_markdown(
        "# 就業規則\n\n前置きの文。\n\n## 第1章 総則\n\n### 第1条 目的\n\nこの規則は **従業員** の\n働き方を定める。\n\n"
        "| 項目 | 扱い | 補足 |\n|---|---|---|\n| 個人情報 | 入力禁止 | — |\n\n- 一つ目\n2. 二つ目\n\n"
        "窓口\n---\n\n\\#9110 に電話 [相談窓口](https://example.jp/) <b>太字</b>\n"
    )
    assert text.title == "就業規則"
    blocks = [(b.level, b.text) for b in text.blocks]
    assert (2, "第1章 総則") in blocks and (3, "第1条 目的") in blocks
    assert (0, "この規則は 従業員 の 働き方を定める。") in blocks
    assert (0, "個人情報 / 扱い: 入力禁止") in blocks
    assert (0, "一つ目") in blocks and (0, "2. 二つ目") in blocks
    assert (2, "窓口") in blocks  # an underlined (setext) heading
    assert (0, "#9110 に電話 相談窓口 (https://example.jp/) <b>太字</b>") in blocks  # HTML stays literal text


def test_script_in_a_markdown_rule_stays_text_for_the_page_to_escape():
    passages = passages_of("rule.md", "# 規程\n\n<script>alert(1)</script> は実行しない。\n".encode())
    assert passages[0].text == "<script>alert(1)</script> は実行しない。"


def test_word_headings_by_style_and_tables():
    document = Docx()
    document.add_paragraph("経理規程", style="Title")
    document.add_paragraph("第1条 目的", style="Heading 1")
    document.add_paragraph("経費の精算方法を定める。")
    document.add_paragraph("第2条 精算", style="Heading 2")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "締め日", "毎月25日"
    table.cell(1, 0).text, table.cell(1, 1).text = "提出先", "経理課"
    buffer = io.BytesIO()
    document.save(buffer)
    passages = passages_of("rule.docx", buffer.getvalue())
    assert passages[0].document == "経理規程"
    assert [(p.section, p.text) for p in passages] == [
        ("第1条 目的", "経費の精算方法を定める。"),
        ("第1条 目的 > 第2条 精算", "締め日: 毎月25日\n提出先: 経理課"),
    ]


def test_shift_jis_text_is_read():
    assert read_document("rule.md", "# 規程\n\n有給休暇は年10日。\n".encode("cp932")).title == "規程"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name,data,reason", [
    ("rule.md", b"", "空"),
    ("rule.pdf", b"", "空"),
    ("rule.exe", b"MZ", "Markdown"),
    ("rule.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "読み取れません"),
    ("rule.pdf", b"this is not a pdf at all", "読み取れません"),
    ("rule.pdf", encrypted_pdf(), "暗号化"),
    ("rule.docx", b"PK\x03\x04 broken zip", "壊れて"),
    ("rule.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "パスワード"),
    ("rule.docx", _zip({"hello.txt": b"hi"}), "本文が見つかりません"),
    ("rule.docx", _zip({"word/document.xml": b"<not really xml"}), "壊れて"),
    ("rule.md", b"\x00\x01\x02binary", "テキストファイルではありません"),
    ("rule.md", b"\xff\xfe\xfa\xfb\x80\x81", "文字コード"),
    ("rule.md", b"# only a heading\n", "本文がありません"),
])
def test_unusable_files_are_refused_with_a_reason(name, data, reason):
    with pytest.raises(UnreadableDocument) as caught:
        read_document(name, data)
    assert reason in caught.value.ja
    assert caught.value.en


def test_a_pdf_without_text_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(UnreadableDocument) as caught:
        read_document("scan.pdf", buffer.getvalue())
    assert "画像だけのPDF" in caught.value.ja


def test_size_page_and_unpacked_limits(monkeypatch):
    with pytest.raises(UnreadableDocument, match="larger than"):
        read_document("big.md", b"a" * (readers.MAX_FILE_BYTES + 1))
    monkeypatch.setattr(readers, "MAX_PDF_PAGES", 1)
    with pytest.raises(UnreadableDocument, match="more than 1 pages"):
        read_document("plan.pdf", rendered("jigyokei", "jigyokei", "pdf"))
    monkeypatch.setattr(readers, "MAX_DOCX_UNPACKED_BYTES", 10_000)
    bomb = _zip({"word/document.xml": b"<" + b"a" * 50_000 + b">"})
    with pytest.raises(UnreadableDocument, match="unpacks to too much"):
        read_document("bomb.docx", bomb)
    monkeypatch.setattr(readers, "MAX_TEXT_CHARS", 100)
    with pytest.raises(UnreadableDocument, match="characters of text"):
        read_document("long.md", ("# t\n\n" + "本文。" * 100).encode())
