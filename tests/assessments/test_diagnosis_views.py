"""Taking a diagnosis: start, answer (plain form and autosave), resume, submit once; access rules;
hostile input refused with a Japanese message and nothing saved."""

from __future__ import annotations

import pytest

from sonae.assessments.models import Answer, Diagnosis
from sonae.catalog.instruments import get_instrument

pytestmark = pytest.mark.django_db


def start(client, org, instrument_id="ipa-5min"):
    response = client.post(f"/o/{org.id}/diagnoses/start/", {"instrument_id": instrument_id})
    assert response.status_code == 302
    return Diagnosis.objects.get(org=org, instrument_id=instrument_id, status="draft")


def test_home_lists_instruments(alice_client, org):
    page = alice_client.get(f"/o/{org.id}/diagnoses/").content.decode()
    assert "5分でできる！情報セキュリティ自社診断" in page and "診断を始める" in page
    assert "SECURITY ACTION" in page and "宣言" in page and "認定" not in page


def test_answer_save_resume_change_and_submit(alice_client, org, ipa_ids):
    diagnosis = start(alice_client, org)
    ids = ipa_ids
    url = f"/o/{org.id}/diagnoses/{diagnosis.id}/"
    # Plain form, part of the answers: saved, progress shows 12/25.
    response = alice_client.post(url, {**{f"item-{i}": "4" for i in ids[:12]}, "action": "save"})
    assert response.status_code == 302
    page = alice_client.get(url).content.decode()
    assert "<strong>12</strong>/25" in page
    # Starting again resumes the same draft.
    assert start(alice_client, org).id == diagnosis.id
    # Change an answer before submitting.
    alice_client.post(url, {f"item-{ids[0]}": "0", "action": "save"})
    assert Answer.objects.get(diagnosis=diagnosis, item_id=ids[0]).points == 0
    # Submitting incomplete is refused.
    response = alice_client.post(url, {"action": "submit"}, follow=True)
    assert "未回答の項目が13件あります" in response.content.decode()
    diagnosis.refresh_from_db()
    assert diagnosis.status == "draft"
    # Complete and submit.
    response = alice_client.post(url, {**{f"item-{i}": "2" for i in ids[12:]}, "action": "submit"})
    assert response.status_code == 302 and response["Location"].endswith(f"/diagnoses/{diagnosis.id}/results/")
    diagnosis.refresh_from_db()
    assert diagnosis.status == "submitted" and diagnosis.total == 11 * 4 + 0 + 13 * 2 and diagnosis.band
    assert diagnosis.part_scores["part1"] == 16


def test_autosave_one_item_with_htmx(alice_client, org, ipa_ids):
    diagnosis = start(alice_client, org)
    ids = ipa_ids
    response = alice_client.post(
        f"/o/{org.id}/diagnoses/{diagnosis.id}/",
        {f"item-{ids[3]}": "-1", f"item-{ids[4]}": "4", "autosave": ids[3]},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<strong>1</strong>/25" in body and "保存しました" in body
    # Only the item named by autosave is stored (other members' answers are not overwritten).
    assert dict(diagnosis.answers.values_list("item_id", "points")) == {ids[3]: -1}


@pytest.mark.parametrize("posted", [
    {"item-ipa-01": "5"},
    {"item-ipa-01": "3"},
    {"item-ipa-01": "-2"},
    {"item-ipa-01": "四"},
    {"item-ipa-01": "4", "item-ipa-99": "4"},
    {"item-ipa-01": "4", "item-ra-01": "4"},
    {"item-ipa-01": "4" * 5000},
    {"item-ipa-01": "1e309"},
    {"item-ipa-01": "true"},
    {"item-<script>": "4"},
])
def test_hostile_answers_refused_nothing_saved(alice_client, org, posted, ipa_ids):
    diagnosis = start(alice_client, org)
    posted = {k.replace("ipa-01", ipa_ids[0]): v for k, v in posted.items()}
    response = alice_client.post(f"/o/{org.id}/diagnoses/{diagnosis.id}/", {**posted, "action": "save"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "保存できません" in page or "選択肢にありません" in page
    assert not Answer.objects.filter(diagnosis=diagnosis).exists()


def test_other_instrument_item_refused(alice_client, org):
    diagnosis = start(alice_client, org)
    other = get_instrument("ransomware-ready").items[0].id
    response = alice_client.post(f"/o/{org.id}/diagnoses/{diagnosis.id}/", {f"item-{other}": "4"}, follow=True)
    assert "この診断に含まれない項目" in response.content.decode()
    assert not Answer.objects.exists()


def test_submit_twice_is_refused(alice_client, alice, org, ipa_ids, run_maker):
    diagnosis = run_maker(org, alice)
    before = (diagnosis.total, diagnosis.submitted_at, Answer.objects.filter(diagnosis=diagnosis).count())
    url = f"/o/{org.id}/diagnoses/{diagnosis.id}/"
    response = alice_client.post(url, {f"item-{ipa_ids[0]}": "0", "action": "submit"}, follow=True)
    assert "提出済みのため、回答を変更できません" in response.content.decode()
    from sonae.assessments.services import DiagnosisError, diagnosis_submit

    with pytest.raises(DiagnosisError, match="すでに提出されています"):
        diagnosis_submit(diagnosis=diagnosis, by=alice)
    diagnosis.refresh_from_db()
    assert (diagnosis.total, diagnosis.submitted_at, Answer.objects.filter(diagnosis=diagnosis).count()) == before
    assert Answer.objects.get(diagnosis=diagnosis, item_id=ipa_ids[0]).points == 4


def test_unknown_instrument_refused(alice_client, org):
    for bad in ("nope", "", "../../etc/passwd", "x" * 500):
        response = alice_client.post(f"/o/{org.id}/diagnoses/start/", {"instrument_id": bad}, follow=True)
        assert "その診断はありません" in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_viewer_reads_but_cannot_answer(alice_client, bob_client, org, ipa_ids):
    diagnosis = start(alice_client, org)
    url = f"/o/{org.id}/diagnoses/{diagnosis.id}/"
    page = bob_client.get(url).content.decode()
    assert "閲覧者のため回答できません" in page and "disabled" in page
    assert bob_client.post(url, {f"item-{ipa_ids[0]}": "4"}).status_code == 403
    assert bob_client.post(f"/o/{org.id}/diagnoses/start/", {"instrument_id": "ipa-5min"}).status_code == 403
    assert not Answer.objects.exists()


def test_outsider_gets_404_and_cannot_answer_another_orgs_run(alice_client, charlie_client, org, other_org, ipa_ids):
    diagnosis = start(alice_client, org)
    # Charlie posts to Alice's run through his own organisation's URL: 404, nothing saved.
    assert charlie_client.post(f"/o/{other_org.id}/diagnoses/{diagnosis.id}/", {f"item-{ipa_ids[0]}": "4"}).status_code == 404
    assert charlie_client.post(f"/o/{org.id}/diagnoses/{diagnosis.id}/", {f"item-{ipa_ids[0]}": "4"}).status_code == 404
    assert charlie_client.get(f"/o/{org.id}/diagnoses/{diagnosis.id}/results/").status_code == 404
    assert not Answer.objects.exists()


def test_several_members_answer_the_same_run(alice_client, org, make_editor, ipa_ids):
    editor_client, editor = make_editor
    diagnosis = start(alice_client, org)
    ids = ipa_ids
    alice_client.post(f"/o/{org.id}/diagnoses/{diagnosis.id}/", {f"item-{ids[0]}": "4"})
    assert start(editor_client, org).id == diagnosis.id
    editor_client.post(f"/o/{org.id}/diagnoses/{diagnosis.id}/", {f"item-{ids[1]}": "2"})
    answers = {a.item_id: a.answered_by.email for a in diagnosis.answers.select_related("answered_by")}
    assert answers == {ids[0]: "alice@example.jp", ids[1]: editor.email}


def test_discard_draft(alice_client, alice, org, run_maker):
    diagnosis = start(alice_client, org)
    done = run_maker(org, alice, instrument_id="genai-use")
    assert alice_client.post(f"/o/{org.id}/diagnoses/{diagnosis.id}/discard/").status_code == 302
    assert not Diagnosis.objects.filter(id=diagnosis.id).exists()
    alice_client.post(f"/o/{org.id}/diagnoses/{done.id}/discard/")
    assert Diagnosis.objects.filter(id=done.id).exists()
