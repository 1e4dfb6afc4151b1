"""Versions list, approval, exports (Word/PDF/Markdown/card/print), publication, acknowledgements, panel."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from docx import Document as Docx
from pypdf import PdfReader

from sonae.documents.models import Acknowledgement
from sonae.documents.services import document_create, document_share, draft_for_edit, version_approve


def _approved(org, alice, sample, kind):
    document = document_create(org=org, kind=kind, by=alice, data=sample(kind))
    return document, version_approve(version=document.versions.get(), by=alice)


def test_owner_approves_through_the_page_viewer_cannot(alice_client, bob_client, org, alice, sample):
    document = document_create(org=org, kind="jigyokei", by=alice, data=sample("jigyokei"))
    version = document.versions.get()
    assert bob_client.post(f"/o/{org.id}/documents/v/{version.id}/approve/").status_code == 403
    response = alice_client.post(f"/o/{org.id}/documents/v/{version.id}/approve/", follow=True)
    assert "第1版を承認しました" in response.content.decode()
    version.refresh_from_db()
    assert version.status == "approved" and version.approved_by == alice
    body = alice_client.get(f"/o/{org.id}/documents/{document.id}/").content.decode()
    assert "承認済み" in body and "alice@example.jp" in body


def test_editor_cannot_approve(client, editor, org, alice, sample):
    document = document_create(org=org, kind="jigyokei", by=alice, data=sample("jigyokei"))
    client.force_login(editor)
    assert client.post(f"/o/{org.id}/documents/v/{document.versions.get().id}/approve/").status_code == 403


def test_incomplete_draft_lists_what_to_fix(alice_client, org, alice):
    version = document_create(org=org, kind="jigyokei", by=alice).versions.get()
    body = alice_client.get(f"/o/{org.id}/documents/v/{version.id}/").content.decode()
    assert "承認の前に直す項目" in body
    response = alice_client.post(f"/o/{org.id}/documents/v/{version.id}/approve/", follow=True)
    assert "必須項目" in response.content.decode()
    version.refresh_from_db()
    assert version.is_draft


def test_downloads_have_proper_names_and_content(bob_client, org, alice, sample):
    document, version = _approved(org, alice, sample, "jigyokei")
    draft = draft_for_edit(document=document, by=alice)
    response = bob_client.get(f"/o/{org.id}/documents/v/{draft.id}/download/docx/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    assert unquote(disposition.split("filename*=utf-8''")[1]) == "事業継続力強化計画_v2.docx"
    headings = [p.text for p in Docx(io.BytesIO(response.content)).paragraphs if p.style.name.startswith("Heading")]
    assert any("名称等" in h for h in headings)
    pdf = bob_client.get(f"/o/{org.id}/documents/v/{version.id}/download/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "事業継続力強化計画" in text
    md = bob_client.get(f"/o/{org.id}/documents/v/{version.id}/download/md/")
    assert md.content.decode().startswith("# 事業継続力強化計画")
    assert bob_client.get(f"/o/{org.id}/documents/v/{version.id}/download/exe/").status_code == 404
    assert bob_client.get(f"/o/{org.id}/documents/v/{version.id}/print/").status_code == 200


def test_card_pdf_is_one_page_for_incident_response_only(alice_client, org, alice, sample):
    _document, version = _approved(org, alice, sample, "incident-response")
    response = alice_client.get(f"/o/{org.id}/documents/v/{version.id}/card.pdf")
    assert response.status_code == 200 and len(PdfReader(io.BytesIO(response.content)).pages) == 1
    _d, plan = _approved(org, alice, sample, "security-policy")
    assert alice_client.get(f"/o/{org.id}/documents/v/{plan.id}/card.pdf").status_code == 404


def test_outsider_cannot_download(charlie_client, org, other_org, alice, sample):
    _document, version = _approved(org, alice, sample, "jigyokei")
    assert charlie_client.get(f"/o/{org.id}/documents/v/{version.id}/download/pdf/").status_code == 404
    assert charlie_client.get(f"/o/{other_org.id}/documents/v/{version.id}/download/pdf/").status_code == 404


def test_policy_publication_form(alice_client, bob_client, org, alice, sample):
    from sonae.documents.selectors import published_security_policy

    _document, version = _approved(org, alice, sample, "security-policy")
    url = f"/o/{org.id}/documents/v/{version.id}/publication/"
    assert bob_client.post(url, {"published": "1", "url": "https://example.jp/p"}).status_code == 403
    for bad in ("javascript:alert(1)", "http://example.jp/p", "https://" + "a" * 600, "https://exa mple.jp"):
        response = alice_client.post(url, {"published": "1", "url": bad}, follow=True)
        assert "https://" in response.content.decode()
    alice_client.post(url, {"published": "1", "url": "https://example.jp/security"})
    assert published_security_policy(org).published_url == "https://example.jp/security"
    alice_client.post(url, {"published": "0"})
    assert published_security_policy(org) is None


def test_share_acknowledge_and_status(alice_client, bob_client, org, alice, bob, sample):
    document, version = _approved(org, alice, sample, "ai-guideline")
    assert bob_client.post(f"/o/{org.id}/documents/{document.id}/share/", {"shared": "1"}).status_code == 403
    alice_client.post(f"/o/{org.id}/documents/{document.id}/share/", {"shared": "1"})
    dashboard = bob_client.get(f"/o/{org.id}/").content.decode()
    assert "確認が必要なルールが 1 件" in dashboard
    page = bob_client.get(f"/o/{org.id}/documents/rules/").content.decode()
    assert "確認しました" in page
    assert bob_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").status_code == 403
    status = alice_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").content.decode()
    assert "未確認: 2人" in status
    bob_client.post(f"/o/{org.id}/documents/v/{version.id}/acknowledge/")
    assert Acknowledgement.objects.filter(user=bob, version=version).exists()
    status = alice_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").content.decode()
    assert "未確認: 1人" in status
    # A new approved version asks again.
    new = draft_for_edit(document=document, by=alice)
    version_approve(version=new, by=alice)
    assert "確認が必要なルールが 1 件" in bob_client.get(f"/o/{org.id}/").content.decode()


def test_acknowledging_a_draft_or_unshared_rule_is_refused(bob_client, org, alice, sample):
    _document, version = _approved(org, alice, sample, "security-policy")
    response = bob_client.post(f"/o/{org.id}/documents/v/{version.id}/acknowledge/", follow=True)
    assert "公開されている現在の版だけ" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_dashboard_panel_counts_kinds(alice_client, org, alice, sample):
    _approved(org, alice, sample, "jigyokei")
    body = alice_client.get(f"/o/{org.id}/").content.decode()
    assert "ルール・計画" in body and "承認済み" in body


def test_plans_stay_japanese_when_made_from_english_pages(alice_client, org):
    """The plans are filed in Japanese: a draft started and exported with English chosen is still Japanese."""
    from sonae.documents.models import Document

    alice_client.cookies["django_language"] = "en"
    for kind in ("jigyokei", "incident-response"):
        assert alice_client.post(f"/o/{org.id}/documents/new/", {"kind": kind}).status_code == 302
    jigyokei = Document.objects.get(org=org, kind="jigyokei").versions.get()
    assert jigyokei.data["name"]["industry"] == "製造業"  # the organisation's 大分類, not "Manufacturing"
    incident = Document.objects.get(org=org, kind="incident-response").versions.get()
    markdown = alice_client.get(f"/o/{org.id}/documents/v/{incident.id}/download/md/").content.decode()
    assert "第1版 (下書き)" in markdown and "Draft" not in markdown
    page = alice_client.get(f"/o/{org.id}/documents/v/{incident.id}/").content.decode()
    assert '<article class="doc-rendered" lang="ja">' in page and "第1版 (下書き)" in page
    assert "Continue editing" in page  # the page around the document is English
