"""Diagnoses and action items through the REST API: same access rules as the pages."""

from __future__ import annotations

import re

import pytest

from sonae.actions.models import ActionItem
from sonae.assessments.models import Answer, Diagnosis

pytestmark = pytest.mark.django_db


def token_for(client, org) -> str:
    response = client.post(f"/o/{org.id}/api-tokens/", {"name": "連携"})
    return re.search(r'value="(sonae_[^"]+)"', response.content.decode()).group(1)


def h(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_full_diagnosis_through_the_api(alice_client, client, org, ipa_ids):
    token = token_for(alice_client, org)
    instruments = client.get("/api/diagnoses/instruments", **h(token)).json()
    assert {i["id"] for i in instruments} >= {"ipa-5min", "security-action-5", "genai-use", "ransomware-ready"}
    created = client.post("/api/diagnoses", {"instrument_id": "ipa-5min"}, content_type="application/json", **h(token))
    assert created.status_code == 201
    run_id = created.json()["id"]
    answers = {item_id: "実施している" for item_id in ipa_ids}
    answers[ipa_ids[0]] = -1
    response = client.put(f"/api/diagnoses/{run_id}/answers", {"answers": answers}, content_type="application/json", **h(token))
    assert response.status_code == 200 and response.json()["answered"] == 25
    response = client.post(f"/api/diagnoses/{run_id}/submit", **h(token))
    body = response.json()
    assert response.status_code == 200 and body["total"] == 95 and body["parts"]["part1"] == {"score": 15, "max": 20}
    assert body["fix_first"][0]["check"] is True and body["next_due"]
    again = client.post(f"/api/diagnoses/{run_id}/submit", **h(token))
    assert again.status_code == 409 and "すでに提出" in again.json()["detail"]
    late = client.put(f"/api/diagnoses/{run_id}/answers", {"answers": {ipa_ids[0]: 4}}, content_type="application/json", **h(token))
    assert late.status_code == 409
    assert Answer.objects.get(item_id=ipa_ids[0]).points == -1
    listed = client.get("/api/diagnoses", **h(token)).json()
    assert [d["id"] for d in listed] == [run_id]


@pytest.mark.parametrize("answers", [{"ipa-01": 5}, {"nope": 4}, {"ipa-01": "maybe"}, {"ipa-01": 4, "ra-01": 4}])
def test_api_refuses_bad_answers(alice_client, client, org, ipa_ids, answers):
    token = token_for(alice_client, org)
    run_id = client.post("/api/diagnoses", {"instrument_id": "ipa-5min"}, content_type="application/json", **h(token)).json()["id"]
    answers = {k.replace("ipa-01", ipa_ids[0]): v for k, v in answers.items()}
    response = client.put(f"/api/diagnoses/{run_id}/answers", {"answers": answers}, content_type="application/json", **h(token))
    assert response.status_code == 422 and response.json()["detail"]
    assert not Answer.objects.exists()


def test_api_unknown_instrument_and_incomplete_submit(alice_client, client, org):
    token = token_for(alice_client, org)
    bad = client.post("/api/diagnoses", {"instrument_id": "../x"}, content_type="application/json", **h(token))
    assert bad.status_code == 422
    run_id = client.post("/api/diagnoses", {"instrument_id": "genai-use"}, content_type="application/json", **h(token)).json()["id"]
    response = client.post(f"/api/diagnoses/{run_id}/submit", **h(token))
    assert response.status_code == 422 and "未回答" in response.json()["detail"]


def test_viewer_token_reads_only(alice_client, bob_client, client, org, run_maker, alice):
    run = run_maker(org, alice)
    token = token_for(bob_client, org)
    assert client.get(f"/api/diagnoses/{run.id}", **h(token)).json()["total"] == 100
    assert client.post("/api/diagnoses", {"instrument_id": "ipa-5min"}, content_type="application/json", **h(token)).status_code == 403
    assert client.post("/api/actions", {"title": "x"}, content_type="application/json", **h(token)).status_code == 403
    assert Diagnosis.objects.count() == 1 and not ActionItem.objects.exists()


def test_other_organisations_objects_are_404(alice_client, charlie_client, client, org, other_org, run_maker, alice):
    run = run_maker(org, alice)
    item = ActionItem.objects.create(org=org, title="秘密の対策")
    token = token_for(charlie_client, other_org)
    assert client.get(f"/api/diagnoses/{run.id}", **h(token)).status_code == 404
    assert client.put(f"/api/diagnoses/{run.id}/answers", {"answers": {}}, content_type="application/json", **h(token)).status_code == 404
    assert client.post(f"/api/diagnoses/{run.id}/submit", **h(token)).status_code == 404
    assert client.patch(f"/api/actions/{item.id}", {"title": "x"}, content_type="application/json", **h(token)).status_code == 404
    assert client.get("/api/diagnoses", **h(token)).json() == []
    assert client.get("/api/actions", **h(token)).json() == []


def test_actions_create_update_and_validate(alice_client, client, org):
    token = token_for(alice_client, org)
    created = client.post("/api/actions", {"title": "OSを更新する", "owner_email": "bob@example.jp", "due_date": "2026-12-31"},
                          content_type="application/json", **h(token))
    assert created.status_code == 201 and created.json()["owner_email"] == "bob@example.jp"
    item_id = created.json()["id"]
    updated = client.patch(f"/api/actions/{item_id}", {"status": "done", "evidence_url": "https://example.jp/done"},
                           content_type="application/json", **h(token))
    assert updated.status_code == 200 and updated.json()["status"] == "done"
    assert ActionItem.objects.get().closed_at is not None
    for bad in ({"owner_email": "charlie@example.jp"}, {"status": "finished"}, {"evidence_url": "javascript:alert(1)"}, {"title": "x" * 300}):
        response = client.patch(f"/api/actions/{item_id}", bad, content_type="application/json", **h(token))
        assert response.status_code == 422, bad
    assert ActionItem.objects.get().title == "OSを更新する"
    assert client.post("/api/actions", {}, content_type="application/json", **h(token)).status_code == 422
    assert "/api/diagnoses/instruments" in client.get("/api/openapi.json").content.decode()
