"""Gateway answers carry the security headers every page has, and never start a session."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from sonae.aicheck import gateway
from sonae.aicheck.services import gateway_token_create, gateway_upstream_save

SECURITY_HEADERS = ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy")


@pytest.fixture
def client_and_token(org, alice, bob, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key="sk-upstream-secret-9876", allowed_models="")
    _token, plain = gateway_token_create(org=org, user=bob, name="laptop")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}"), plain


def _chat(**more):
    return json.dumps({"model": "fake-model", "messages": [{"role": "user", "content": "こんにちは"}], **more}, ensure_ascii=False)


def _security(response) -> dict:
    return {name: response.get(name) for name in SECURITY_HEADERS}


def test_gateway_answers_carry_the_same_security_headers_as_pages(client, client_and_token):
    gw, _plain = client_and_token
    page = client.get("/healthz")  # takes the full middleware chain
    expected = _security(page)
    assert all(expected.values()), expected
    answers = {
        "200": gw.post("/v1/chat/completions", data=_chat(), content_type="application/json"),
        "models": gw.get("/v1/models"),
        "401": Client(HTTP_AUTHORIZATION="Bearer sgw_wrong").get("/v1/models"),
        "400": gw.post("/v1/chat/completions", data="not json", content_type="application/json"),
        "405": gw.put("/v1/chat/completions"),
        "stream": gw.post("/v1/chat/completions", data=_chat(stream=True), content_type="application/json"),
    }
    assert [r.status_code for r in answers.values()] == [200, 200, 401, 400, 405, 200]
    for name, response in answers.items():
        assert _security(response) == expected, name
        if not response.streaming:
            assert response["Content-Length"] == str(len(response.content)), name
    b"".join(answers["stream"].streaming_content)


def test_gateway_never_starts_a_session_or_sets_cookies(client_and_token):
    gw, _plain = client_and_token
    response = gw.post("/v1/chat/completions", data=_chat(), content_type="application/json")  # an API client sends no cookies
    assert response.status_code == 200
    assert "Set-Cookie" not in response and not response.cookies
    assert Session.objects.count() == 0


def test_unknown_v1_paths_get_the_ordinary_404_page(client_and_token):
    gw, _plain = client_and_token
    missing = gw.get("/v1/embeddings")  # not a gateway endpoint
    assert missing.status_code == 404 and missing["Content-Type"].startswith("text/html")


def test_an_exception_in_the_gateway_is_the_ordinary_500_page(client_and_token, monkeypatch):
    """Forced failure (a broken database would look the same): the error page, with the security headers."""

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(gateway, "gateway_caller", broken)
    _gw, plain = client_and_token
    response = Client(HTTP_AUTHORIZATION=f"Bearer {plain}", raise_request_exception=False).get("/v1/models")
    assert response.status_code == 500
    assert "Server error" in response.content.decode() and "database went away" not in response.content.decode()
    assert response["X-Frame-Options"] == "DENY" and response["Content-Security-Policy"]


def test_https_redirect_and_hsts_still_apply(client_and_token, settings):
    gw, _plain = client_and_token
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    redirected = gw.get("/v1/models")
    assert redirected.status_code == 301 and redirected["Location"].startswith("https://")
    secure = gw.get("/v1/models", secure=True)
    assert secure.status_code == 200 and secure["Strict-Transport-Security"].startswith("max-age=3600")
