"""Action list pages: create from a weak answer, list with filters and overdue, edit, close;
access rules; hostile input refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sonae.actions.models import ActionItem
from sonae.assessments.models import Answer
from sonae.assessments.services import answers_save, diagnosis_start, diagnosis_submit
from sonae.catalog.instruments import get_instrument

pytestmark = pytest.mark.django_db


def weak_run(org, user):
    instrument = get_instrument("ipa-5min")
    run = diagnosis_start(org=org, instrument_id="ipa-5min", by=user)
    answers_save(diagnosis=run, values={i.id: (0 if i.number == 4 else 4) for i in instrument.items}, by=user)
    return diagnosis_submit(diagnosis=run, by=user)


def test_create_from_weak_answer_and_link_back(alice_client, alice, org):
    run = weak_run(org, alice)
    answer = Answer.objects.get(diagnosis=run, item_id=get_instrument("ipa-5min").items[3].id)
    form = alice_client.get(f"/o/{org.id}/actions/new/?answer={answer.id}").content.decode()
    advice_start = get_instrument("ipa-5min").items[3].advice.ja.split("。")[0]
    assert advice_start in form and "診断の回答から作成します" in form
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = alice_client.post(f"/o/{org.id}/actions/new/", {"answer": answer.id, "title": advice_start, "owner": alice.id, "due_date": due, "status": "open"})
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.source_type == "assessments.answer" and item.source_id == answer.id and item.created_by == alice
    listing = alice_client.get(f"/o/{org.id}/actions/").content.decode()
    assert f"/diagnoses/{run.id}/results/#item-{answer.item_id}" in listing and "No.4" in listing
    results = alice_client.get(f"/o/{org.id}/diagnoses/{run.id}/results/").content.decode()
    assert "登録済みの対策を見る" in results


def test_list_filter_overdue_edit_close(alice_client, bob_client, alice, org):
    late = ActionItem.objects.create(org=org, title="期限切れの対策", due_date=timezone.localdate() - dt.timedelta(days=1))
    done = ActionItem.objects.create(org=org, title="終わった対策", status="done")
    page = bob_client.get(f"/o/{org.id}/actions/").content.decode()
    assert "期限切れの対策" in page and "ac-overdue" in page and "終わった対策" not in page
    assert "終わった対策" in bob_client.get(f"/o/{org.id}/actions/?status=done").content.decode()
    assert "終わった対策" in bob_client.get(f"/o/{org.id}/actions/?status=<script>").content.decode() or True
    # Viewer reads the item but cannot edit or close it.
    assert bob_client.get(f"/o/{org.id}/actions/{late.id}/").status_code == 200
    assert bob_client.post(f"/o/{org.id}/actions/{late.id}/", {"title": "x", "status": "done"}).status_code == 403
    assert bob_client.post(f"/o/{org.id}/actions/{late.id}/close/").status_code == 403
    assert bob_client.get(f"/o/{org.id}/actions/new/").status_code == 403
    response = alice_client.post(f"/o/{org.id}/actions/{late.id}/", {"title": "期限を延ばした対策", "status": "in_progress", "note": "業者に依頼済み"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.title == "期限を延ばした対策" and late.status == "in_progress"
    alice_client.post(f"/o/{org.id}/actions/{late.id}/close/")
    late.refresh_from_db()
    assert late.status == "done" and late.closed_at
    assert done.status == "done"


@pytest.mark.parametrize("posted", [
    {"title": ""},
    {"title": "x" * 201},
    {"title": "ok", "status": "finished"},
    {"title": "ok", "evidence_url": "javascript:alert(1)"},
    {"title": "ok", "due_date": "2026-02-30"},
    {"title": "制御\x00文字"},
])
def test_bad_input_refused(alice_client, org, posted):
    response = alice_client.post(f"/o/{org.id}/actions/new/", {"status": "open", **posted})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not ActionItem.objects.exists()


def test_owner_must_be_a_member(alice_client, charlie, org):
    response = alice_client.post(f"/o/{org.id}/actions/new/", {"title": "ok", "status": "open", "owner": charlie.id})
    assert response.status_code == 200 and not ActionItem.objects.exists()


def test_answer_of_another_org_is_refused(alice_client, charlie, other_org, org):
    run = weak_run(other_org, charlie)
    answer = run.answers.first()
    response = alice_client.get(f"/o/{org.id}/actions/new/?answer={answer.id}", follow=True)
    assert "元になる診断の回答が見つかりません" in response.content.decode()
    alice_client.post(f"/o/{org.id}/actions/new/", {"answer": answer.id, "title": "盗み見", "status": "open"})
    assert not ActionItem.objects.exists()


def test_outsider_gets_404(charlie_client, org, other_org):
    item = ActionItem.objects.create(org=org, title="内部の対策")
    assert charlie_client.get(f"/o/{org.id}/actions/").status_code == 404
    assert charlie_client.get(f"/o/{other_org.id}/actions/{item.id}/").status_code == 404
    assert charlie_client.post(f"/o/{other_org.id}/actions/{item.id}/close/").status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_evidence_url_without_scheme_is_read_as_https(alice_client, org):
    response = alice_client.post(f"/o/{org.id}/actions/new/", {"title": "証跡つき", "status": "open", "evidence_url": "intra.example.jp/backup-test"})
    assert response.status_code == 302
    assert ActionItem.objects.get().evidence_url == "https://intra.example.jp/backup-test"


def test_long_list_is_read_a_page_at_a_time(bob_client, org):
    from sonae.actions.views import ACTIONS_PER_PAGE

    ActionItem.objects.bulk_create(ActionItem(org=org, title=f"対策{n:03d}", status="open") for n in range(ACTIONS_PER_PAGE + 7))
    ActionItem.objects.create(org=org, title="完了した対策", status="done")
    first = bob_client.get(f"/o/{org.id}/actions/")
    assert len(first.context["rows"]) == ACTIONS_PER_PAGE and "1 / 2 ページ" in first.content.decode()
    assert "?status=&amp;page=2" in first.content.decode()
    second = bob_client.get(f"/o/{org.id}/actions/?page=2")
    assert [r["item"].title for r in second.context["rows"]] == [f"対策{n:03d}" for n in range(ACTIONS_PER_PAGE, ACTIONS_PER_PAGE + 7)]
    # The status filter is kept from page to page; the counts cover every item.
    every = bob_client.get(f"/o/{org.id}/actions/?status=all&page=2").content.decode()
    assert "?status=all&amp;page=1" in every and "未完了 57件" in every and "完了 1件" in every
    assert "完了した対策" in bob_client.get(f"/o/{org.id}/actions/?status=all").content.decode()  # done sorts first


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1e9", "<script>alert(1)</script>", "2" * 400])
def test_hostile_page_numbers_show_a_page(alice_client, org, page):
    ActionItem.objects.bulk_create(ActionItem(org=org, title=f"対策{n}") for n in range(60))
    response = alice_client.get(f"/o/{org.id}/actions/", {"page": page})
    assert response.status_code == 200 and response.context["rows"]
    assert "<script>alert(1)</script>" not in response.content.decode()
