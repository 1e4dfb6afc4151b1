"""Browser flow: from an empty organisation to an approved, exported 事業継続力強化計画."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document as Docx
from playwright.sync_api import expect
from pypdf import PdfReader

from sonae.documents.models import Document, DocumentVersion
from sonae.documents.services import draft_save_fields

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple-42"
FIXTURE = Path(__file__).resolve().parents[1] / "engines" / "documents" / "fixtures" / "jigyokei_minato.json"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def owner_and_org(db):
    from django.contrib.auth import get_user_model

    from sonae.orgs.choices import Role
    from sonae.orgs.models import Membership
    from sonae.orgs.services import organisation_create

    owner = get_user_model().objects.create_user(username="owner", email="owner@example.jp", password=PASSWORD)
    member = get_user_model().objects.create_user(username="member", email="member@example.jp", password=PASSWORD)
    org = organisation_create(owner=owner, name="株式会社みなと精工", corporate_number="", industry="E",
                              employee_band="6-20", prefecture="神奈川県")
    Membership.objects.create(user=member, org=org, role=Role.VIEWER)
    return owner, org


def test_empty_org_to_approved_exported_jigyokei(page, phone_page, live_server, login, screenshot, owner_and_org, browser):
    owner, org = owner_and_org
    login(page, live_server, "owner@example.jp", PASSWORD)
    page.goto(f"{live_server.url}/o/{org.id}/documents/")
    screenshot(page, "documents-home-empty")
    page.locator("form:has(input[value=jigyokei]) button").click()
    page.wait_for_load_state("networkidle")
    assert "/build/" in page.url
    screenshot(page, "documents-builder-step1-cover")

    # 名称等: real typing, saved by htmx autosave on change (no button pressed).
    page.click("text=1 名称等")
    page.wait_for_load_state("networkidle")
    page.fill("#f-name-name_kana-input", "かぶしき")  # hiragana: refused with a reason
    page.locator("#f-name-representative_title-input").click()
    page.wait_for_selector("#msg-f-name-name_kana .error")
    assert "全角カタカナ" in page.inner_text("#msg-f-name-name_kana")
    page.fill("#f-name-name_kana-input", "カブシキガイシャミナトセイコウ")
    page.fill("#f-name-representative_title-input", "代表取締役")
    page.locator("#f-name-representative_name-input").click()
    expect(page.locator("#save-status")).to_contain_text("自動保存しました")
    assert not page.locator("#msg-f-name-name_kana .error").count()
    version = DocumentVersion.objects.get(document__org=org)
    version.refresh_from_db()
    assert version.data["name"]["name_kana"] == "カブシキガイシャミナトセイコウ"
    assert version.data["name"]["name"] == "株式会社みなと精工"  # pre-filled from the profile
    screenshot(page, "documents-builder-step-name")

    # The cyber scenario suggestion: one click copies it into 対策 D.
    page.goto(f"{live_server.url}/o/{org.id}/documents/v/{version.id}/build/?step=measures")
    screenshot(page, "documents-builder-measures-suggestions")
    with page.expect_navigation():
        page.locator("form#sugg-cyber-backup").evaluate("f => f.requestSubmit()")
    page.wait_for_load_state("networkidle")
    assert "バックアップ" in page.input_value("textarea[name='f-measures-table-D-future']")

    # The rest of the fields from the sample plan (keeps the test short), then the builder shows them.
    sample = json.loads(FIXTURE.read_text(encoding="utf-8"))
    version.refresh_from_db()
    values = {(s, f): v for s, fields in sample.items() for f, v in fields.items()
              if (s, f) not in {("name", "name_kana"), ("name", "representative_title")}}
    result = draft_save_fields(version=version, values=values, by=owner)
    assert not result.rejected
    page.goto(f"{live_server.url}/o/{org.id}/documents/v/{version.id}/build/?step=goals")
    screenshot(page, "documents-builder-goals-table")
    page.goto(f"{live_server.url}/o/{org.id}/documents/v/{version.id}/build/?step=initial_response")
    screenshot(page, "documents-builder-initial-response")
    assert "100%" in page.inner_text("#doc-meter")
    phone_page_login(phone_page, live_server, login)
    phone_page.goto(f"{live_server.url}/o/{org.id}/documents/v/{version.id}/build/?step=goals")
    screenshot(phone_page, "documents-builder-goals-phone")
    phone_page.goto(f"{live_server.url}/o/{org.id}/documents/v/{version.id}/build/?step=name")
    screenshot(phone_page, "documents-builder-name-phone")

    # Preview, approve.
    page.click("text=保存してプレビュー") if page.locator("text=保存してプレビュー").count() else None
    page.goto(f"{live_server.url}/o/{org.id}/documents/v/{version.id}/")
    screenshot(page, "documents-preview-draft")
    page.click("text=この版を承認する")
    page.wait_for_load_state("networkidle")
    assert "第1版を承認しました" in page.content()
    version.refresh_from_db()
    assert version.status == "approved" and version.approved_by == owner

    # Download Word and PDF like a user.
    with page.expect_download() as info:
        page.click("text=Word (.docx)")
    download = info.value
    assert download.suggested_filename == "事業継続力強化計画_v1.docx"
    docx = Docx(download.path())
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    order = [next(i for i, h in enumerate(headings) if key in h) for key in ("名称等", "事業継続力強化の目標", "実施期間")]
    assert order == sorted(order)
    with page.expect_download() as info:
        page.click(".doc-actions >> text=PDF")
    pdf_path = Path(info.value.path())
    reader = PdfReader(pdf_path)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "事業継続力強化計画" in text and "名称等" in text
    SCREENSHOTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-l", "3", str(pdf_path), str(SCREENSHOTS / "documents-jigyokei-pdf")],
                   check=False)

    # Versions list, then a second version supersedes the first.
    document = Document.objects.get(org=org)
    page.goto(f"{live_server.url}/o/{org.id}/documents/{document.id}/")
    page.click("text=編集する (新しい下書きを作る)")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/o/{org.id}/documents/{document.id}/")
    screenshot(page, "documents-versions-list")

    # Publish to members; the acknowledgement page for a member.
    page.click("text=メンバーに公開して確認を求める")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/o/{org.id}/documents/{document.id}/acknowledgements/")
    assert "最後のお知らせメール:" in page.inner_text("main")
    screenshot(page, "documents-acknowledgement-status")
    # Each member got a notice mail whose link opens the rule with the 確認しました button.
    from django.conf import settings
    from django.core import mail

    notice = next(m for m in mail.outbox if m.to == ["member@example.jp"])
    assert "確認をお願いします" in notice.subject
    link = re.search(r"^http\S+/documents/v/\d+/$", notice.body, re.M).group(0)
    member_page = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}).new_page()
    login(member_page, live_server, "member@example.jp", PASSWORD)
    member_page.goto(live_server.url + link.removeprefix(settings.SITE_URL))
    assert member_page.locator("button:has-text('確認しました')").count() == 1
    member_page.goto(f"{live_server.url}/o/{org.id}/")
    assert "確認が必要なルール" in member_page.content()
    member_page.goto(f"{live_server.url}/o/{org.id}/documents/rules/")
    screenshot(member_page, "documents-rules-to-acknowledge")
    member_page.click("button:has-text('確認しました')")
    member_page.wait_for_load_state("networkidle")
    screenshot(member_page, "documents-rules-acknowledged")
    assert "確認済み" in member_page.content()
    assert page.console_errors == []


def phone_page_login(phone_page, live_server, login):
    login(phone_page, live_server, "owner@example.jp", PASSWORD)
