"""Browser: a full 25-item IPA diagnosis on a phone, autosaved answer by answer, to its results
page and PDF; then the action list, history and comparison on desktop. Screenshots of each page."""

from __future__ import annotations

import io
import re

import pytest

from sonae.assessments.models import Diagnosis
from sonae.catalog.instruments import get_instrument

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple-42"


def test_full_ipa_diagnosis_on_phone_to_pdf(phone_page, live_server, login, screenshot, alice, org):
    from pypdf import PdfReader

    page = phone_page
    login(page, live_server, alice.email, PASSWORD)
    page.goto(f"{live_server.url}/o/{org.id}/diagnoses/")
    screenshot(page, "diagnoses-home-phone")
    page.locator("#instrument-ipa-5min button[type=submit]").click()
    page.wait_for_url(re.compile(r"/diagnoses/\d+/$"))
    items = get_instrument("ipa-5min").items
    # Answer every item by tapping its label; htmx saves each and updates the count.
    for n, item in enumerate(items, start=1):
        choice = "-1" if item.number == 2 else ("0" if item.number in (5, 9) else ("2" if item.number % 4 == 0 else "4"))
        page.locator(f"#item-{item.id} input[value='{choice}']").check()
        page.wait_for_function("n => document.querySelector('#dx-progress strong').textContent === String(n)", arg=n)
        if n == 12:
            screenshot(page, "diagnosis-answer-phone")
    assert page.locator("#dx-progress").inner_text().startswith("25/25") or "25" in page.locator("#dx-progress").inner_text()
    # Autosave reached the database before any button was pressed.
    diagnosis = Diagnosis.objects.get()
    assert diagnosis.answers.count() == 25 and diagnosis.status == "draft"
    # Touch targets are big enough on the phone.
    box = page.locator(f"#item-{items[0].id} .dx-choice").first.bounding_box()
    assert box["height"] >= 44
    page.get_by_role("button", name="提出して結果を見る").click()
    page.wait_for_url(re.compile(r"/results/$"))
    diagnosis.refresh_from_db()
    expected = diagnosis.total
    assert diagnosis.status == "submitted"
    assert str(expected) in page.locator(".dx-total-num").inner_text()
    screenshot(page, "diagnosis-results-phone")
    with page.expect_download() as info:
        page.get_by_role("link", name="PDFレポート").click()
    data = open(info.value.path(), "rb").read()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert str(expected) in text


def test_results_actions_history_compare_desktop(page, phone_page, live_server, login, screenshot, alice, org):
    import datetime as dt

    from django.utils import timezone

    from sonae.assessments.services import answers_save, diagnosis_start, diagnosis_submit

    instrument = get_instrument("ipa-5min")
    first = diagnosis_start(org=org, instrument_id="ipa-5min", by=alice)
    answers_save(diagnosis=first, values={i.id: (0 if i.number % 3 == 0 else 2) for i in instrument.items}, by=alice)
    diagnosis_submit(diagnosis=first, by=alice)
    Diagnosis.objects.filter(id=first.id).update(submitted_at=timezone.now() - dt.timedelta(days=190))
    second = diagnosis_start(org=org, instrument_id="ipa-5min", by=alice)
    answers_save(diagnosis=second, values={i.id: (-1 if i.number == 7 else 0 if i.number in (3, 12) else 4) for i in instrument.items}, by=alice)
    diagnosis_submit(diagnosis=second, by=alice)

    login(page, live_server, alice.email, PASSWORD)
    page.goto(f"{live_server.url}/o/{org.id}/diagnoses/")
    screenshot(page, "diagnoses-home-desktop")
    page.goto(f"{live_server.url}/o/{org.id}/diagnoses/{second.id}/results/")
    screenshot(page, "diagnosis-results-desktop")
    # One click from a weak answer to a prefilled action item.
    page.locator(".dx-fix-item").first.get_by_role("link", name="対策リストに追加").click()
    assert page.locator("#id_title").input_value()
    page.fill("#id_due_date", (timezone.localdate() - dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="登録する").click()
    page.goto(f"{live_server.url}/o/{org.id}/actions/")
    assert page.locator(".ac-overdue").count() == 1
    screenshot(page, "actions-list-desktop")
    page.goto(f"{live_server.url}/o/{org.id}/diagnoses/history/ipa-5min/")
    screenshot(page, "diagnosis-history-desktop")
    page.get_by_role("button", name="選んだ2回を比較する").click()
    assert "差：" in page.locator(".dx-delta").inner_text()
    screenshot(page, "diagnosis-compare-desktop")
    page.goto(f"{live_server.url}/o/{org.id}/diagnoses/{second.id}/")  # submitted: goes to results
    assert page.url.endswith("/results/")
    draft = diagnosis_start(org=org, instrument_id="ransomware-ready", by=alice)
    page.goto(f"{live_server.url}/o/{org.id}/diagnoses/{draft.id}/")
    screenshot(page, "diagnosis-answer-desktop")
    page.goto(f"{live_server.url}/o/{org.id}/")
    screenshot(page, "dashboard-panels-desktop")
    assert not [e for e in page.console_errors if "Content Security Policy" in e]

    login(phone_page, live_server, alice.email, PASSWORD)
    for url, name in [
        (f"/o/{org.id}/actions/", "actions-list-phone"),
        (f"/o/{org.id}/diagnoses/history/ipa-5min/", "diagnosis-history-phone"),
        (f"/o/{org.id}/diagnoses/history/ipa-5min/compare/", "diagnosis-compare-phone"),
    ]:
        phone_page.goto(live_server.url + url)
        screenshot(phone_page, name)
