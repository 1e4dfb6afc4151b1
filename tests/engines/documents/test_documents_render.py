"""Rendering each kind in each format: headings in the official order, tables, dates, the card."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from sonae.engines import documents
from sonae.engines.documents import KINDS, InvalidDocument

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = {
    "jigyokei": "jigyokei_minato.json",
    "security-policy": "security_policy_minato.json",
    "ai-guideline": "ai_guideline_minato.json",
    "incident-response": "incident_response_minato.json",
}

# The official order of the e-application (fact sheet jigyokei-and-cyber-bcp.md §1.3).
JIGYOKEI_HEADINGS = [
    "1 名称等",
    "2 事業継続力強化の目標",
    "事業活動に影響を与える自然災害等の想定と影響",
    "3 事業継続力強化の内容",
    "(1) 自然災害等が発生した場合における対応手順",
    "(2) 事業継続力強化に資する対策及び取組",
    "(3) 事業継続力強化設備等の種類",
    "(4) 事業継続力強化の実施に協力する者の名称等",
    "(5) 平時の推進体制の整備、訓練及び教育の実施その他の事業継続力強化の実効性を確保するための取組",
    "計画の実施期間",
    "事業継続力強化を実施するために必要な資金の額及びその調達方法",
]
# IPA's sample policy (ipa-self-diagnosis-and-security-action.md §3.3).
POLICY_HEADINGS = [
    "1. 経営者の責任",
    "2. 社内体制の整備",
    "3. 従業員の取組み",
    "4. 法令および契約上の要求事項の遵守",
    "5. 違反および事故への対応",
]
# JDLA template (genai-governance-and-japanese-pii.md §1.1), plus our section 7.
AI_HEADINGS = [
    "1 本ガイドラインの目的",
    "2 本ガイドラインが対象とする生成AI",
    "3 生成AIの利用が禁止される用途",
    "4 本ガイドラインの構成",
    "5 データ入力に際して注意すべき事項",
    "入力禁止情報リスト",
    "6 生成物を利用するに際して注意すべき事項",
    "7 責任者・問い合わせ先・見直し",
]
INCIDENT_HEADINGS = [
    "1 目的と適用範囲",
    "3 体制と連絡先",
    "公的な相談・届出先",
    "5 初動対応手順",
    "5-1 ランサムウェア (身代金要求型ウイルス)",
    "5-2 フィッシング・ビジネスメール詐欺",
    "5-3 ボイスフィッシング (法人口座を狙う電話)",
    "5-4 サポート詐欺 (偽の警告画面)",
    "6 報告・公表",
    "10 教育・訓練と見直し",
]
EXPECTED = {
    "jigyokei": JIGYOKEI_HEADINGS,
    "security-policy": POLICY_HEADINGS,
    "ai-guideline": AI_HEADINGS,
    "incident-response": INCIDENT_HEADINGS,
}


def squash(text: str) -> str:
    """PDF text extraction breaks long headings over lines; compare without whitespace."""
    return re.sub(r"\s+", "", text)


def assert_in_order(haystack: str, needles: list[str]) -> None:
    haystack = squash(haystack)
    position = -1
    for needle in needles:
        found = haystack.find(squash(needle), position + 1)
        assert found > position, f"{needle!r} missing or out of order"
        position = found


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def docx_headings(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


@pytest.fixture(scope="module")
def rendered():
    """Each sample rendered once in each format (rendering is the slow part)."""
    out = {}
    for kind in KINDS:
        data = json.loads((FIXTURES / SAMPLES[kind]).read_text(encoding="utf-8"))
        for fmt in documents.FORMATS:
            out[kind, fmt] = documents.render(kind, data, fmt, version_label="第2版", approved_by="港　太郎",
                                              approved_at="2026-12-01")
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_docx_headings_in_official_order(kind, rendered):
    headings = docx_headings(rendered[kind, "docx"])
    assert_in_order("\n".join(headings), EXPECTED[kind])
    for expected in EXPECTED[kind]:
        assert expected in headings  # real Word headings, not bold text


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_headings_in_official_order(kind, rendered):
    pages, text = pdf_text(rendered[kind, "pdf"])
    assert pages >= 1
    assert_in_order(text, EXPECTED[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_markdown_headings_in_official_order(kind, rendered):
    text = rendered[kind, "md"].decode("utf-8")
    headings = [line.lstrip("#").strip().replace("\\", "") for line in text.splitlines() if line.startswith("#")]
    assert_in_order("\n".join(headings), EXPECTED[kind])


def test_jigyokei_docx_has_tables_for_first_response_and_measures(rendered):
    document = Document(io.BytesIO(rendered["jigyokei", "docx"]))
    tables = ["\n".join(cell.text for row in t.rows for cell in row.cells) for t in document.tables]
    first_response = next(t for t in tables if "人命の安全確保" in t)
    for row in ("非常時の緊急時体制の構築", "被害状況の把握・被害情報の共有", "発災直後", "1時間以内"):
        assert row in first_response
    assert "その他の取組" not in first_response  # optional row left empty is not printed
    measures = next(t for t in tables if "現在の取組" in t)
    for label in ("A 自然災害等", "B 事業継続力強化に資する設備", "C 事業活動を継続するための資金",
                  "D 事業活動を継続するための重要情報の保護"):
        assert label in measures
    equipment = next(t for t in tables if "設備等の名称・型式" in t)
    assert "1,800,000" in equipment and "令和9年6月" in equipment


def test_jigyokei_uses_wareki_and_others_western_dates(rendered):
    _, jigyokei = pdf_text(rendered["jigyokei", "pdf"])
    assert "令和9年2月" in jigyokei and "令和11年12月" in jigyokei  # 実施期間
    assert "昭和60年4月1日" in jigyokei  # 設立年月日
    assert "令和8年12月1日" in squash(jigyokei)  # approval date
    _, policy = pdf_text(rendered["security-policy", "pdf"])
    assert "2026年12月1日" in squash(policy)


def test_funding_total_is_computed(rendered):
    text = rendered["jigyokei", "md"].decode("utf-8")
    assert "| 合計 |" in text and "2,200" in text


def test_version_and_approval_are_printed(rendered):
    for fmt in ("md", "pdf"):
        content = rendered["security-policy", fmt]
        text = pdf_text(content)[1] if fmt == "pdf" else content.decode("utf-8")
        assert "第2版" in text and "港" in text


def test_policy_signature_and_publication(rendered):
    text = rendered["security-policy", "md"].decode("utf-8")
    assert "制定日: 2026年12月1日" in text
    assert text.index("5. 違反および事故への対応") < text.index("制定日: 2026年12月1日")
    assert "https://www.minato-seiko.example.jp/security-policy" in text


def test_ai_guideline_lists_forbidden_terms(rendered):
    _, text = pdf_text(rendered["ai-guideline", "pdf"])
    for term in ("プロジェクト青嵐", "港北自動車工業"):
        assert term in text


def test_incident_response_has_public_contacts_and_the_card(rendered):
    _, text = pdf_text(rendered["incident-response", "pdf"])
    flat = squash(text)
    for needle in ("#9110", "188", "03-5978-7509", "045-681-3180", "個人情報保護委員会", "いざという時カード",
                   "045-000-0000"):
        assert needle in flat


@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_card_renders_alone(fmt, sample):
    content = documents.render_card(sample("incident-response"), fmt)
    assert content


def test_card_is_one_page(sample):
    pages, text = pdf_text(documents.render_card(sample("incident-response"), "pdf"))
    assert pages == 1
    flat = squash(text)
    for needle in ("いざという時カード", "ランサムウェア", "ボイスフィッシング", "サポート詐欺", "#9110", "188",
                   "03-5978-7509", "090-0000-0001"):
        assert needle in flat


def test_card_stays_on_one_page_with_many_contacts(sample):
    data = sample("incident-response")
    data["roles"]["contacts"] = [
        {"kind": "other", "name": f"協力会社{i:02d} 緊急連絡窓口 担当 {'長い名称' * 5}", "phone": f"045-000-{i:04d}",
         "note": ""}
        for i in range(30)
    ]
    pages, _ = pdf_text(documents.render_card(data, "pdf"))
    assert pages == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_empty_documents_render(kind, fmt):
    assert documents.render(kind, documents.empty_document(kind), fmt)


def test_long_text_wraps_and_splits_across_pages(sample):
    data = sample("jigyokei")
    data["measures"]["table"]["D"]["future"] = "バックアップを取り、復元テストを行う。" * 200  # 3,800 characters
    pages, text = pdf_text(documents.render("jigyokei", data, "pdf"))
    assert pages > 4
    assert "復元テストを行う" in text


def test_invalid_document_is_refused(sample):
    data = sample("jigyokei")
    data["period"]["end"] = "2031-01"
    with pytest.raises(InvalidDocument) as caught:
        documents.render("jigyokei", data, "pdf")
    assert caught.value.issues[0].path == "period.end"


def test_unknown_format_is_refused(sample):
    with pytest.raises(ValueError):
        documents.render("jigyokei", sample("jigyokei"), "odt")


def test_markup_in_user_text_stays_text(sample):
    data = sample("security-policy")
    data["policy"]["preamble"] = "<script>alert(1)</script> **太字** | # 見出し & <b>"
    md = documents.render("security-policy", data, "md").decode("utf-8")
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\n# 見出し" not in md
    _, text = pdf_text(documents.render("security-policy", data, "pdf"))
    assert "<script>alert(1)</script>" in text  # printed literally, not interpreted as markup
    document = Document(io.BytesIO(documents.render("security-policy", data, "docx")))
    assert any("<script>" in p.text for p in document.paragraphs)


def test_org_name_override_goes_into_the_header(sample):
    content = documents.render("ai-guideline", sample("ai-guideline"), "docx", org_name="みなと精工グループ")
    document = Document(io.BytesIO(content))
    assert "みなと精工グループ" in document.sections[0].header.paragraphs[0].text


@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_characters_outside_the_japanese_fonts_do_not_crash(sample, fmt):
    data = sample("security-policy")
    data["policy"]["preamble"] = "絵文字🔥と𠮷野家と\u200bゼロ幅と한국어と العربية と Ω≈ç√ と\tタブ"
    assert documents.render("security-policy", data, fmt)


def test_incident_response_docx_ends_with_the_card(rendered):
    document = Document(io.BytesIO(rendered["incident-response", "docx"]))
    texts = [p.text for p in document.paragraphs]
    assert any("いざという時カード" in t for t in texts)
    assert len(document.sections) == 2  # the card starts on a new page


def test_guideline_allowed_uses_appear_only_when_filled():
    """A field added later (業務で認める用途) leaves earlier guidelines reading exactly as approved."""
    data = json.loads((FIXTURES / "ai_guideline_minato.json").read_text(encoding="utf-8"))
    before = documents.render("ai-guideline", data, "md").decode()
    assert "業務で認める用途" not in before and "### 利用を認める生成AI" not in before
    data["tools"]["allowed_uses"] = [{"use": "", "department": "", "conditions": ""}]  # an added, untouched row
    assert documents.render("ai-guideline", data, "md").decode() == before
    data["tools"]["allowed_uses"] = [{"use": "議事録の作成と共有", "department": "全部門（汎用業務）",
                                      "conditions": "入力禁止情報を消してから入力する。"}]
    assert documents.validate("ai-guideline", data) == []
    after = documents.render("ai-guideline", data, "md").decode()
    assert "### 利用を認める生成AI" in after and "### 業務で認める用途" in after
    assert "| 議事録の作成と共有 | 全部門（汎用業務） | 入力禁止情報を消してから入力する。 |" in after
    for fmt in ("docx", "pdf"):
        assert documents.render("ai-guideline", data, fmt)
