"""GET /api/support: the token's organisation only, the CLI's shape, filters checked; city in the org API."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def token_for(client, org) -> dict:
    response = client.post(f"/o/{org.id}/api-tokens/", {"name": "support"})
    token = re.search(r'value="(sonae_[^"]+)"', response.content.decode()).group(1)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_support_api(alice_client, client, org):
    org.city = "横浜市"
    org.save()
    headers = token_for(alice_client, org)
    rows = client.get("/api/support", **headers).json()
    loan = next(r for r in rows if r["id"] == "yokohama-keiei-shien-shikin")
    assert loan["fit"] == "after_step" and loan["as_of"] == "2025-12-11" and loan["source_url"].startswith("https://")
    only_yes = client.get("/api/support?fit=yes&lang=en", **headers).json()
    assert only_yes and {r["fit"] for r in only_yes} == {"yes"} and "Yokohama" in " ".join(r["name"] for r in only_yes)
    for bad in ("?fit=maybe", "?lang=fr", "?fit=<script>"):
        assert client.get("/api/support" + bad, **headers).status_code == 422
    assert client.get("/api/support").status_code == 401


def test_org_api_reads_and_validates_city(alice_client, client, org):
    headers = token_for(alice_client, org)
    assert client.get("/api/org", **headers).json()["city"] == ""
    ok = client.patch("/api/org", {"city": "横浜市中区"}, content_type="application/json", **headers)
    assert ok.status_code == 200 and ok.json()["city"] == "横浜市中区"
    bad = client.patch("/api/org", {"city": "<b>x</b>"}, content_type="application/json", **headers)
    assert bad.status_code == 422 and "city" in bad.json()["errors"]
