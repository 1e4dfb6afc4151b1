"""The use-case catalogue pages and adopting a use case into the 生成AI利用ガイドライン."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from sonae.aiuse.selectors import adoption_of, allowed_use_rows
from sonae.catalog.use_cases import load_use_cases
from sonae.documents.models import Document, DocumentVersion
from sonae.orgs.models import AuditEntry

pytestmark = pytest.mark.django_db


def url(name, org, *args):
    return reverse(name, args=[org.id, *args])


def test_catalogue_lists_every_use_case_by_department(bob_client, org):
    response = bob_client.get(url("aiuse_catalogue", org))
    html = response.content.decode()
    assert response.status_code == 200
    for use_case in load_use_cases().use_cases:
        assert escape(use_case.title.ja) in html
    assert "汎用業務（全部門）" in html and "マーケティング・広報" in html


def test_filters_and_hostile_filter_values(bob_client, org):
    sales = bob_client.get(url("aiuse_catalogue", org), {"department": "sales"}).content.decode()
    assert "営業メール・フォローアップの文面" in sales and "議事録の作成と共有" not in sales
    bias = bob_client.get(url("aiuse_catalogue", org), {"risk": "bias"}).content.decode()
    assert "求人票の作成" in bias and "議事録の作成と共有" not in bias
    for hostile in ("<script>alert(1)</script>", "x" * 5000, "' OR 1=1 --"):
        response = bob_client.get(url("aiuse_catalogue", org), {"department": hostile, "risk": hostile})
        assert response.status_code == 200 and "<script>alert(1)" not in response.content.decode()


def test_use_case_page_shows_risks_countermeasures_templates_and_source(bob_client, org):
    html = bob_client.get(url("aiuse_use_case", org, "meeting-minutes")).content.decode()
    assert "議事録の作成と共有" in html and "情報漏洩" in html and "ハルシネーション" in html
    assert "入力禁止情報（顧客の個人情報" in html  # the countermeasure for leakage
    assert reverse("aiuse_template", args=[org.id, "meeting-minutes", "minutes"]) in html
    assert "https://takestones.com" in html and "2025年12月11日" in html
    assert "ガイドラインに追加する" not in html  # a viewer cannot adopt


def test_unknown_use_case_or_template_is_404(bob_client, org):
    assert bob_client.get(url("aiuse_use_case", org, "no-such-use")).status_code == 404
    assert bob_client.get(url("aiuse_template", org, "meeting-minutes", "no-such-template")).status_code == 404
    assert bob_client.get(url("aiuse_template", org, "meeting-minutes", "reply-draft")).status_code == 404  # another use case's


def test_adopting_starts_a_guideline_draft_when_there_is_none(alice_client, org, alice):
    response = alice_client.post(url("aiuse_adopt", org, "meeting-minutes"))
    assert response.status_code == 302
    document = Document.objects.get(org=org, kind="ai-guideline")
    draft = document.versions.get()
    assert draft.is_draft
    rows = allowed_use_rows(draft)
    assert rows == [{"use": "議事録の作成と共有", "department": "全部門（汎用業務）", "conditions": rows[0]["conditions"]}]
    assert "入力禁止情報" in rows[0]["conditions"] and "出席者が元のメモと照らして確認" in rows[0]["conditions"]
    assert adoption_of(org).status_of(load_use_cases().get("meeting-minutes")) == "draft"


def test_adopting_never_changes_an_approved_version(alice_client, org, guideline):
    approved_data = dict(guideline.data)
    alice_client.post(url("aiuse_adopt", org, "research"))
    alice_client.post(url("aiuse_adopt", org, "translation"))
    alice_client.post(url("aiuse_adopt", org, "research"))  # twice: listed once
    guideline.refresh_from_db()
    assert guideline.data == approved_data and guideline.is_approved
    draft = DocumentVersion.objects.get(document=guideline.document, status=DocumentVersion.Status.DRAFT)
    assert draft.number == 2
    assert [r["use"] for r in allowed_use_rows(draft)] == ["調べものと要約", "翻訳（外国人の同僚との情報共有）"]
    # audited: the new draft and each change of its allowed uses
    entries = AuditEntry.objects.filter(org=org, object_type="documentversion", object_id=str(draft.id))
    assert entries.filter(action="create").exists()
    assert sum(1 for e in entries.filter(action="update") if "tools.allowed_uses" in str(e.changes)) == 2
    page = alice_client.get(url("aiuse_use_case", org, "research")).content.decode()
    assert "ガイドラインの下書き（第2版）に追加されています" in page


def test_an_approved_adoption_shows_as_allowed(alice_client, org, alice, guideline):
    from sonae.documents.services import version_approve

    alice_client.post(url("aiuse_adopt", org, "research"))
    draft = DocumentVersion.objects.get(document=guideline.document, status=DocumentVersion.Status.DRAFT)
    version_approve(version=draft, by=alice)
    catalogue = alice_client.get(url("aiuse_catalogue", org)).content.decode()
    assert "ガイドラインで許可" in catalogue
    assert adoption_of(org).status_of(load_use_cases().get("research")) == "approved"
    panel = alice_client.get(url("dashboard", org)).content.decode()
    assert "ガイドラインで認めている活用例：1件（全44件中）" in panel


def test_viewer_cannot_adopt_and_outsider_sees_nothing(bob_client, charlie_client, org):
    assert bob_client.post(url("aiuse_adopt", org, "research")).status_code == 403
    assert not Document.objects.filter(org=org).exists()
    assert charlie_client.get(url("aiuse_catalogue", org)).status_code == 404
    assert charlie_client.post(url("aiuse_adopt", org, "research")).status_code == 404


def test_adopt_unknown_use_case_is_404(alice_client, org):
    assert alice_client.post(url("aiuse_adopt", org, "no-such-use")).status_code == 404


def test_a_full_allowed_uses_table_refuses_with_a_message(alice_client, org, alice, monkeypatch):
    from sonae.engines import documents as engine

    # The table's limit (60 rows) lowered to 1 for the test: every Field reads max_rows through this property.
    spec = engine.definition("ai-guideline").section("tools").field("allowed_uses")
    monkeypatch.setattr(type(spec), "max_rows", property(lambda self: 1), raising=False)
    alice_client.post(url("aiuse_adopt", org, "research"))
    response = alice_client.post(url("aiuse_adopt", org, "translation"), follow=True)
    assert "ガイドラインの「業務で認める用途」は1件までです" in response.content.decode()


def test_risk_register_button_adopts_the_risk_template(alice_client, org):
    page = alice_client.get(url("aiuse_use_case", org, "ad-copy")).content.decode()
    assert 'value="genai-copyright"' in page
    alice_client.post(url("risk_adopt", org), {"template": "genai-copyright"})
    page = alice_client.get(url("aiuse_use_case", org, "ad-copy")).content.decode()
    assert "リスク台帳にあります" in page
