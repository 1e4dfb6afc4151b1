"""REST API for documents: list, read, create and update drafts (engine-validated), render."""

from __future__ import annotations

import io
import re

from docx import Document as Docx

from sonae.documents.models import Document


def make_token(client, org) -> str:
    response = client.post(f"/o/{org.id}/api-tokens/", {"name": "計画の連携"})
    return re.search(r'value="(sonae_[^"]+)"', response.content.decode()).group(1)


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_create_update_read_render(alice_client, org, sample, client):
    token = make_token(alice_client, org)
    response = client.post("/api/documents", data={"kind": "jigyokei"}, content_type="application/json", **auth(token))
    assert response.status_code == 201
    document_id = response.json()["id"]
    bad = sample("jigyokei")
    bad["period"] = {"start": "2027-01", "end": "2031-12"}
    response = client.put(f"/api/documents/{document_id}/draft", data={"data": bad}, content_type="application/json", **auth(token))
    assert response.status_code == 422 and response.json()["issues"][0]["path"].startswith("period")
    response = client.put(f"/api/documents/{document_id}/draft", data={"data": sample("jigyokei")},
                          content_type="application/json", **auth(token))
    assert response.status_code == 200 and response.json()["completeness_percent"] == 100
    version_id = response.json()["id"]
    listing = client.get("/api/documents", **auth(token)).json()
    assert listing[0]["versions"][0]["status"] == "draft"
    assert client.get(f"/api/documents/versions/{version_id}", **auth(token)).json()["data"]["name"]["name"] == "株式会社みなと精工"
    rendered = client.get(f"/api/documents/versions/{version_id}/render?format=docx", **auth(token))
    assert rendered.status_code == 200 and "filename*=" in rendered["Content-Disposition"]
    assert Docx(io.BytesIO(rendered.content)).paragraphs
    assert client.get(f"/api/documents/versions/{version_id}/render?format=exe", **auth(token)).status_code == 422
    assert "/api/documents" in client.get("/api/openapi.json").content.decode()


def test_viewer_token_reads_but_cannot_write(alice_client, bob_client, org, client):
    Document.objects.create(org=org, kind="jigyokei", title="計画")
    token = make_token(bob_client, org)
    assert len(client.get("/api/documents", **auth(token)).json()) == 1
    response = client.post("/api/documents", data={"kind": "jigyokei"}, content_type="application/json", **auth(token))
    assert response.status_code == 403


def test_other_orgs_documents_are_404_and_bad_input_is_422(alice_client, charlie_client, org, other_org, client):
    alice_client.post(f"/o/{org.id}/documents/new/", {"kind": "security-policy"})
    document = Document.objects.get(org=org)
    version = document.versions.get()
    token = make_token(charlie_client, other_org)
    assert client.get(f"/api/documents/{document.id}", **auth(token)).status_code == 404
    assert client.get(f"/api/documents/versions/{version.id}", **auth(token)).status_code == 404
    assert client.put(f"/api/documents/{document.id}/draft", data={"data": {}}, content_type="application/json",
                      **auth(token)).status_code == 404
    for payload in ({"kind": "nope"}, {"kind": "jigyokei", "data": {"evil": 1}}, {"kind": "jigyokei", "title": "a\x00b"},
                    {"kind": "jigyokei", "data": {"goals": {"purpose": "x" * 100000}}}):
        response = client.post("/api/documents", data=payload, content_type="application/json", **auth(token))
        assert response.status_code == 422, payload
    assert not Document.objects.filter(org=other_org).exists()
