"""/api/checks/{sms,url,mail}: the report JSON, `report: true` files it, 413/422 with Japanese messages."""

from __future__ import annotations

import base64
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messages import MAIL_CARD_PHISH, MAIL_HOSTILE, MAIL_PLAIN, OWN_DOMAIN, SMS_DANGER, SMS_NONE, URL_LOOKALIKE_OWN
from sonae.checks.models import IncidentReport, TrustedDomain


def make_token(client, org) -> str:
    response = client.post(f"/o/{org.id}/api-tokens/", {"name": "メールサーバー連携"})
    return re.search(r'value="(sonae_[^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def viewer_auth(bob_client, org):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(bob_client, org)}"}


def post_json(client, path, body, auth):
    return client.post(path, data=json.dumps(body), content_type="application/json", **auth)


def test_sms_check_returns_the_report(client, viewer_auth):
    response = post_json(client, "/api/checks/sms", {"text": SMS_DANGER}, viewer_auth)
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "danger" and body["verdict_ja"] == "危険" and body["incident_id"] is None
    finding = next(f for f in body["findings"] if f["code"] == "brand_link_mismatch")
    assert finding["message_ja"] and finding["span"] == [1, 6] and body["text"][1:6] == "ヤマト運輸"
    assert not IncidentReport.objects.exists()


def test_viewer_token_can_report(client, viewer_auth, bob):
    body = post_json(client, "/api/checks/sms", {"text": SMS_NONE, "report": True, "note": "念のため"}, viewer_auth).json()
    incident = IncidentReport.objects.get()
    assert body["incident_id"] == incident.id and incident.reported_by == bob and incident.note == "念のため"


def test_url_check_uses_the_organisations_domains(client, viewer_auth, org, alice):
    TrustedDomain.objects.create(org=org, domain=OWN_DOMAIN, kind="own", created_by=alice)
    body = post_json(client, "/api/checks/url", {"url": URL_LOOKALIKE_OWN}, viewer_auth).json()
    assert body["verdict"] == "danger" and any(f["code"] == "lookalike_own_domain" for f in body["findings"])


def test_mail_as_multipart_json_and_raw(client, viewer_auth):
    multipart = client.post("/api/checks/mail", {"file": SimpleUploadedFile("m.eml", MAIL_CARD_PHISH), "report": "true"}, **viewer_auth)
    assert multipart.status_code == 200 and multipart.json()["verdict"] == "danger" and multipart.json()["incident_id"]
    as_json = post_json(client, "/api/checks/mail", {"raw_base64": base64.b64encode(MAIL_PLAIN).decode()}, viewer_auth)
    assert as_json.status_code == 200 and as_json.json()["verdict"] == "none"
    raw = client.post("/api/checks/mail", data=MAIL_HOSTILE, content_type="message/rfc822", **viewer_auth)
    assert raw.status_code == 200 and "<script>" not in json.dumps(raw.json()["subject"])
    incident = IncidentReport.objects.get()
    assert incident.kind == "mail" and incident.mail_size == len(MAIL_CARD_PHISH)


@pytest.mark.parametrize("path,body,status,message", [
    ("/api/checks/sms", {"text": ""}, 422, "本文が空です"),
    ("/api/checks/sms", {"text": "あ" * 20_001}, 413, "長すぎます"),
    ("/api/checks/sms", {"text": "\x01\x02\x03" * 100}, 422, "文字として読めない"),
    ("/api/checks/url", {"url": "x" * 9000}, 413, "長すぎます"),
    ("/api/checks/url", {"url": "   "}, 422, "URLが空です"),
    ("/api/checks/mail", {"raw_base64": "%%%"}, 422, "base64"),
    ("/api/checks/mail", {"raw_base64": base64.b64encode(bytes(range(256)) * 8).decode()}, 422, "読み取れませんでした"),
    ("/api/checks/mail", {"raw_base64": ""}, 422, "メールが空です"),
    ("/api/checks/mail", {"nothing": 1}, 422, "raw_base64"),
])
def test_bad_input_gets_japanese_errors(client, viewer_auth, path, body, status, message):
    response = post_json(client, path, body, viewer_auth)
    assert response.status_code == status and message in response.json()["detail"]
    assert not IncidentReport.objects.exists()


def test_schema_errors_are_422(client, viewer_auth):
    assert post_json(client, "/api/checks/sms", {"txt": "x"}, viewer_auth).status_code == 422
    response = client.post("/api/checks/mail", data=b"{not json", content_type="application/json", **viewer_auth)
    assert response.status_code == 422 and "JSON" in response.json()["detail"]


def test_mail_over_the_limit_is_413(client, viewer_auth, settings):
    settings.SONAE_CHECKS_MAX_UPLOAD_BYTES = 32 * 1024
    big = MAIL_PLAIN + b"x" * 40 * 1024
    for response in (
        client.post("/api/checks/mail", {"file": SimpleUploadedFile("m.eml", big)}, **viewer_auth),
        client.post("/api/checks/mail", data=big, content_type="message/rfc822", **viewer_auth),
        post_json(client, "/api/checks/mail", {"raw_base64": base64.b64encode(big).decode()}, viewer_auth),
    ):
        assert response.status_code == 413 and "大きすぎます" in response.json()["detail"]
    assert not IncidentReport.objects.exists()


def test_no_token_is_401(client, db):
    assert client.post("/api/checks/sms", data=json.dumps({"text": "x"}), content_type="application/json").status_code == 401


def test_documented_in_openapi(client, db):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/checks/sms", "/api/checks/url", "/api/checks/mail"):
        assert path in schema["paths"]
    mail = schema["paths"]["/api/checks/mail"]["post"]
    assert set(mail["requestBody"]["content"]) == {"multipart/form-data", "application/json", "message/rfc822"}
    assert {"200", "413", "422"} <= set(mail["responses"])
