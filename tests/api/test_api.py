"""The REST API: tokens, the organisation profile, and the same access rules as the pages."""

from __future__ import annotations

import re

import pytest

from sonae.api.models import ApiToken
from sonae.orgs.models import AuditEntry, Membership


def make_token(client, org) -> str:
    response = client.post(f"/o/{org.id}/api-tokens/", {"name": "会計システム連携"})
    assert response.status_code == 200
    return re.search(r'value="(sonae_[^"]+)"', response.content.decode()).group(1)


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_is_stored_hashed_and_reads_profile(alice_client, org, client):
    token = make_token(alice_client, org)
    stored = ApiToken.objects.get()
    assert token not in (stored.token_hash, stored.prefix) and stored.token_hash != token
    response = client.get("/api/org", **auth(token))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == org.name and body["your_role"] == "owner" and body["industry_label"] == "製造業"


def test_no_or_bad_token_is_401(client, db):
    assert client.get("/api/org").status_code == 401
    for bad in ("sonae_nope", "x" * 500, "Bearer", "sonae_" + "\x00" * 10):
        assert client.get("/api/org", HTTP_AUTHORIZATION=f"Bearer {bad}").status_code == 401


def test_viewer_token_reads_but_cannot_write(bob_client, org, client):
    token = make_token(bob_client, org)
    assert client.get("/api/org", **auth(token)).json()["your_role"] == "viewer"
    response = client.patch("/api/org", data={"name": "乗っ取り"}, content_type="application/json", **auth(token))
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name == "株式会社横浜精工"


def test_owner_patch_validates_and_audits(alice_client, org, client):
    token = make_token(alice_client, org)
    response = client.patch("/api/org", data={"corporate_number": "1700150018135"}, content_type="application/json", **auth(token))
    assert response.status_code == 422 and "チェックデジット" in str(response.json())
    response = client.patch("/api/org", data={"industry": "Z"}, content_type="application/json", **auth(token))
    assert response.status_code == 422
    response = client.patch("/api/org", data={"name": "a\x07b"}, content_type="application/json", **auth(token))
    assert response.status_code == 422
    response = client.patch("/api/org", data="{not json", content_type="application/json", **auth(token))
    assert response.status_code in (400, 422)
    response = client.patch("/api/org", data={"employee_band": "21-50"}, content_type="application/json", **auth(token))
    assert response.status_code == 200 and response.json()["employee_band"] == "21-50"
    assert AuditEntry.objects.filter(org=org, action="update", object_type="organisation").exists()


def test_token_scoped_to_its_org(charlie_client, other_org, org, client):
    token = make_token(charlie_client, other_org)
    body = client.get("/api/org", **auth(token)).json()
    assert body["id"] == other_org.id and body["name"] != org.name


def test_removed_member_and_revoked_token_stop_working(alice_client, bob_client, org, bob, client):
    token = make_token(bob_client, org)
    other = make_token(alice_client, org)
    api_token = ApiToken.objects.get(user=bob)
    # Bob revokes his own token; he cannot see or revoke Alice's.
    alice_token = ApiToken.objects.exclude(user=bob).get()
    assert bob_client.post(f"/o/{org.id}/api-tokens/{alice_token.id}/revoke/").status_code == 404
    Membership.objects.filter(user=bob, org=org).delete()
    assert client.get("/api/org", **auth(token)).status_code == 401
    alice_client.post(f"/o/{org.id}/api-tokens/{alice_token.id}/revoke/")
    assert client.get("/api/org", **auth(other)).status_code == 401
    assert api_token.revoked_at is None


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/org" in schema.json()["paths"]
    assert client.get("/api/docs").status_code == 200


def test_token_name_hostile(alice_client, org):
    for name in ("", "x" * 101, "a\x1bb"):
        alice_client.post(f"/o/{org.id}/api-tokens/", {"name": name})
    assert not ApiToken.objects.exists()
