"""支援策ナビ pages: what fits and why, the owner's remembered answers, the sheet; roles and hostile input."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.urls import reverse

from sonae.orgs.models import AuditEntry
from sonae.support.models import SupportAnswer
from sonae.support.selectors import fitting_support_for_org, support_fits_for_org

pytestmark = pytest.mark.django_db

IN_FY2025 = "2026-01-15 10:00 +09:00"


@pytest.fixture
def yokohama(org):
    org.city = "横浜市"
    org.save()
    return org


def page(client, org, **params):
    response = client.get(reverse("support_home", args=[org.id]), params)
    assert response.status_code == 200
    return response.content.decode()


def answer(client, org, question, value):
    return client.post(reverse("support_answer", args=[org.id]), {"question": question, "value": value})


def fit_of(org, entry_id):
    return next(f for f in support_fits_for_org(org=org) if f.entry.id == entry_id)


@time_machine.travel(IN_FY2025)
def test_owner_records_certification_and_ground_5_fits(alice_client, yokohama):
    assert fit_of(yokohama, "yokohama-keiei-shien-shikin").fit == "after_step"
    html = page(alice_client, yokohama)
    assert "あと一歩で使える支援策" in html and "経営支援資金" in html
    response = answer(alice_client, yokohama, "jigyokei_certified", "yes")
    assert response.status_code == 302
    loan = fit_of(yokohama, "yokohama-keiei-shien-shikin")
    assert loan.fit == "yes" and [g.number for g in loan.fitting_grounds] == [5]
    entry = AuditEntry.objects.filter(org=yokohama, object_type="supportanswer").first()
    assert entry.changes["value"] == [None, True]
    assert "国の認定を受けている" in page(alice_client, yokohama)


@time_machine.travel(IN_FY2025)
def test_same_company_in_tokyo_does_not_fit(alice_client, yokohama):
    answer(alice_client, yokohama, "jigyokei_certified", "yes")
    yokohama.prefecture, yokohama.city = "東京都", "千代田区"
    yokohama.save()
    assert fit_of(yokohama, "yokohama-keiei-shien-shikin").fit == "no"
    html = page(alice_client, yokohama)
    assert html.index("対象外") < html.index("経営支援資金")


def test_answers_are_remembered_changed_and_cleared(alice_client, yokohama):
    answer(alice_client, yokohama, "safety_net_4", "yes")
    assert SupportAnswer.objects.get(org=yokohama, question_id="safety_net_4").value is True
    answer(alice_client, yokohama, "safety_net_4", "no")
    assert SupportAnswer.objects.get(org=yokohama, question_id="safety_net_4").value is False
    answer(alice_client, yokohama, "safety_net_4", "clear")
    assert not SupportAnswer.objects.filter(org=yokohama).exists()
    actions = list(AuditEntry.objects.filter(org=yokohama, object_type="supportanswer").values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete", "update"]


def test_region_filter(alice_client, yokohama):
    html = page(alice_client, yokohama, region="横浜市")
    assert "IDEC横浜" in html and "日本政策金融公庫" not in html
    assert "日本政策金融公庫" in page(alice_client, yokohama, region="<script>")  # unknown region: everything


@time_machine.travel("2026-12-06 10:00 +09:00")
def test_past_deadline_is_marked(alice_client, yokohama):
    html = page(alice_client, yokohama)
    assert "期限を過ぎています" in html


def test_viewer_sees_but_cannot_answer(bob_client, yokohama):
    html = page(bob_client, yokohama)
    assert "経営支援資金" in html and 'name="value"' not in html
    assert answer(bob_client, yokohama, "safety_net_4", "yes").status_code == 403
    assert not SupportAnswer.objects.exists()


def test_outsider_gets_404(charlie_client, yokohama):
    assert charlie_client.get(reverse("support_home", args=[yokohama.id])).status_code == 404
    assert answer(charlie_client, yokohama, "safety_net_4", "yes").status_code == 404
    assert charlie_client.get(reverse("support_sheet", args=[yokohama.id])).status_code == 404


@pytest.mark.parametrize("data", [
    {"question": "no_such", "value": "yes"},
    {"question": "safety_net_4", "value": "maybe"},
    {"question": "<script>alert(1)</script>", "value": "yes"},
    {"question": "x" * 10_000, "value": "yes"},
    {},
])
def test_bad_answers_are_refused_without_saving(alice_client, yokohama, data):
    response = alice_client.post(reverse("support_answer", args=[yokohama.id]), data, follow=True)
    assert response.status_code == 200 and "回答を保存できませんでした" in response.content.decode()
    assert not SupportAnswer.objects.exists()


@time_machine.travel(IN_FY2025)
def test_sheet_pdf_and_docx(alice_client, yokohama):
    from docx import Document
    from pypdf import PdfReader

    answer(alice_client, yokohama, "jigyokei_certified", "yes")
    response = alice_client.get(reverse("support_sheet", args=[yokohama.id]), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert "支援策の候補" in flat and "経営支援資金" in flat and "該当する融資対象者：5" in flat
    docx = alice_client.get(reverse("support_sheet", args=[yokohama.id]), {"format": "docx"})
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "支援策の候補" in body
    assert alice_client.get(reverse("support_sheet", args=[yokohama.id]), {"format": "exe"}).status_code == 400


def test_advisor_with_a_grant_sees_the_client_and_the_selector(client, yokohama, alice):
    from sonae.orgs.choices import Role
    from sonae.orgs.models import AdvisorGrant
    from support import make_user

    advisor = make_user("advisor@example.jp")
    AdvisorGrant.objects.create(org=yokohama, advisor=advisor, role=Role.VIEWER, granted_by=alice)
    client.force_login(advisor)
    assert "経営支援資金" in page(client, yokohama)
    assert {f.fit for f in fitting_support_for_org(org=yokohama)} <= {"yes", "after_step"}


def test_dashboard_panel_shows_next_steps(alice_client, yokohama):
    html = alice_client.get(reverse("dashboard", args=[yokohama.id])).content.decode()
    assert "次の一歩（支援策）" in html and "支援策ナビを開く" in html


def test_panel_asks_for_the_city(alice_client, org):
    html = alice_client.get(reverse("dashboard", args=[org.id])).content.decode()
    assert "市区町村が未登録" in html
