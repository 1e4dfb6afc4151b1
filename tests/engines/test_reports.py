"""Reports: PDF text read back with pypdf, XLSX with openpyxl, CSV with csv, SVG parsed as XML."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sonae.catalog.instruments import get_instrument
from sonae.engines.reports import (
    format_date,
    render_csv,
    render_pdf,
    render_xlsx,
    svg_radar_chart,
    svg_trend_chart,
)
from sonae.engines.scoring import score

IPA = get_instrument("ipa-5min")
IDS = [f"q{n:02d}" for n in range(1, 26)]
DAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def ipa_result():
    answers = {i: 4 for i in IDS}
    answers.update({"q03": -1, "q04": 2, "q05": 0, "q08": 2, "q11": 0, "q13": 2,
                    "q20": 2, "q21": 0, "q23": 2, "q24": -1, "q25": 0})
    return score(IPA, answers)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_format_date():
    assert format_date(DAY) == "2026年11月26日"
    assert format_date(dt.date(2027, 1, 5)) == "2027年1月5日"
    assert format_date(DAY, "en") == "26 November 2026"


def test_pdf_contains_total_band_headings_and_fix_first(ipa_result):
    data = render_pdf(ipa_result, generated_on=DAY, organisation="株式会社横浜精工")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "5分でできる！情報セキュリティ自社診断" in text
    assert "2026年11月26日" in text
    assert "合計 64 / 100 点" in text
    assert "対策が不十分です" in text
    for heading in ("パート別の結果", "優先して取り組む項目", "回答一覧", "Part1 基本的対策", "Part3 組織としての対策"):
        assert heading in text, heading
    assert "要確認" in text  # わからない items are flagged
    assert "株式会社横浜精工" in text
    assert "ipa.go.jp" in text  # sources are printed


def test_pdf_uses_builtin_cid_fonts_only(ipa_result):
    reader = PdfReader(io.BytesIO(render_pdf(ipa_result, generated_on=DAY)))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            assert "/FontFile2" not in str(font.get("/DescendantFonts", ""))  # nothing embedded
    assert any("HeiseiKakuGo-W5" in f for f in fonts)


def test_pdf_escapes_hostile_organisation_name(ipa_result):
    data = render_pdf(ipa_result, generated_on=DAY, organisation='<b>悪</b> & "x" <font name=evil>')
    assert "<b>悪</b> & \"x\"" in pdf_text(data)


def test_pdf_in_english_and_for_a_partless_instrument():
    genai = get_instrument("genai-use")
    result = score(genai, {"g01": 4, "g02": 0, "g03": -1})
    text = pdf_text(render_pdf(result, generated_on=DAY, lang="en", next_due=dt.date(2027, 5, 26)))
    assert "Total 3 / 48" in text
    assert "Results by area" in text and "Data leakage" in text
    assert "26 May 2027" in text
    assert "Unanswered" in text


def test_pdf_for_a_perfect_result_and_few_groups():
    five = get_instrument("security-action-5")
    result = score(five, {i.id: 1 for i in five.items})
    text = pdf_text(render_pdf(result, generated_on=DAY))
    assert "改善が必要な項目はありません。" in text
    assert "★一つ星を宣言できます" in text


def test_xlsx_is_laid_out_like_the_ipa_sheet(ipa_result):
    book = load_workbook(io.BytesIO(render_xlsx(ipa_result, generated_on=DAY)))
    sheet = book["診断結果"]
    assert sheet["A1"].value == "5分でできる！情報セキュリティ自社診断"
    assert sheet["B2"].value == "2026年11月26日"
    assert sheet["B3"].value == 64
    assert sheet["B4"].value == "対策が不十分です"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    assert rows[0] == ["区分", "No.", "診断内容", "回答", "得点"]
    item_rows = [r for r in rows if isinstance(r[1], int)]
    assert [r[1] for r in item_rows] == list(range(1, 26))
    assert item_rows[2][3:] == ["わからない", -1]
    subtotals = [(r[2], r[4]) for r in rows if isinstance(r[2], str) and r[2].startswith("小計")]
    assert subtotals == [("小計（Part1 基本的対策）", 9), ("小計（Part2 従業員としての対策）", 44),
                         ("小計（Part3 組織としての対策）", 11)]
    assert rows[-1][2:] == ["合計", "/ 100", 64]
    fix = book["優先対策"]
    assert fix["A2"].value == 3 and fix["E2"].value == "✔"
    assert fix.max_row == 1 + len(ipa_result.fix_first)


def test_xlsx_prints_on_a4_one_page_wide_with_long_questions_wrapped(ipa_result):
    book = load_workbook(io.BytesIO(render_xlsx(ipa_result, generated_on=DAY, organisation="株式会社横浜精工")))
    sheet = book["診断結果"]
    assert sheet["B5"].value == "株式会社横浜精工" and "B2:E2" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$6:$6"
    # Item 2's question needs more than one line in the 診断内容 column; item 4's fits in one.
    rows = {row[1].value: row[1].row for row in sheet.iter_rows(min_row=7) if isinstance(row[1].value, int)}
    assert sheet.row_dimensions[rows[2]].height >= 30
    assert book["優先対策"].page_setup.orientation == "landscape"


def test_xlsx_neutralises_formula_in_organisation_name(ipa_result):
    book = load_workbook(io.BytesIO(render_xlsx(ipa_result, generated_on=DAY, organisation="=HYPERLINK(1)")))
    assert book["診断結果"]["B5"].value == "'=HYPERLINK(1)"


def test_csv_has_bom_and_one_row_per_answer(ipa_result):
    text = render_csv(ipa_result)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 25
    assert rows[2]["項目ID"] == "q03" and rows[2]["回答"] == "わからない" and rows[2]["得点"] == "-1"
    assert sum(int(r["得点"]) for r in rows) == 64
    assert rows[0]["診断内容"].startswith("パソコンやスマホなど")
    english = list(csv.reader(io.StringIO(render_csv(ipa_result, lang="en").removeprefix("\ufeff"))))
    assert english[0][0] == "Instrument" and english[1][6] == "Done"


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # raises if the SVG is not well-formed


def test_svg_radar_is_well_formed_and_labelled(ipa_result):
    root = _svg(svg_radar_chart(ipa_result, compare_to={"part1": 15, "part2": 40, "part3": 20}))
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Part1 基本的対策" in texts and "9/20" in texts
    assert "同業平均" not in texts and "比較" in texts  # default legend for the dashed line
    assert len(list(root.iter(f"{ns}polygon"))) == 4 + 2  # rings, peer, own


def test_svg_radar_by_tag_and_bars_for_few_groups():
    genai = get_instrument("genai-use")
    root = _svg(svg_radar_chart(score(genai, {i.id: 2 for i in genai.items}), lang="en"))
    assert any("Hallucination" in (t.text or "") for t in root.iter("{http://www.w3.org/2000/svg}text"))
    ransom = get_instrument("ransomware-ready")
    assert _svg(svg_radar_chart(score(ransom, {}))) is not None  # empty answers still draw


def test_svg_escapes_text(ipa_result, monkeypatch):
    hostile = '<script>alert(1)</script>"&'
    out = svg_radar_chart(ipa_result, compare_to={"part1": 1}, compare_label=hostile)
    assert "<script>" not in out
    _svg(out)


def test_svg_trend_chart():
    history = [(dt.date(2026, 5, 1), 40), (dt.date(2025, 11, 1), -10), (dt.date(2026, 11, 1), 88)]
    out = svg_trend_chart(history, maximum=100, minimum=0, due=dt.date(2027, 5, 1))
    root = _svg(out)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(list(root.iter(f"{ns}circle"))) == 3
    assert root.find(f"{ns}polyline") is not None
    assert "2027年5月1日" in out  # due marker tooltip
    assert "-10" in out  # negative totals widen the axis
    empty = svg_trend_chart([], maximum=100)
    assert "まだ結果がありません" in empty
    _svg(empty)
    _svg(svg_trend_chart([(dt.date(2026, 1, 1), 50)], maximum=100, lang="en"))


def test_pdf_with_comparison_legend(ipa_result):
    data = render_pdf(ipa_result, generated_on=DAY, compare_to={"part1": 10, "part2": 30, "part3": 14},
                      compare_label="同業・同規模の平均（5社）")
    assert "同業・同規模の平均（5社）" in pdf_text(data)
