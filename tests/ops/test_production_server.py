"""`sonae up` under SONAE_ENV=production behind a TLS reverse proxy on the same machine."""

from __future__ import annotations

import os
import secrets
import urllib.request

import pytest

import sonae.cli  # noqa: F401 - the command modules import the group first
from sonae.commands.server import proxy_options
from sonae_process import free_port, start_up, stop

# These tests start their own SQLite installations (DATABASE_URL is not passed on): the SQLite run covers them.
pytestmark = pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="independent of the test database; run in the SQLite run")

PRODUCTION = {
    "SONAE_ENV": "production",
    "SONAE_SECRET_KEY": secrets.token_urlsafe(50),
    "SONAE_ALLOWED_HOSTS": "sonae.example.jp,127.0.0.1",
    "SONAE_SITE_URL": "https://sonae.example.jp",
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(port: int, path: str, **headers):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "sonae.example.jp", **headers})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    port = free_port()
    process, output = start_up(tmp_path_factory.mktemp("prod"), port, **PRODUCTION)
    assert "  https://sonae.example.jp/setup/" in output  # the public address, not the plain one
    yield port
    stop(process)


def test_pages_answer_over_https_from_the_proxy(production_server):
    status, headers = _get(production_server, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "__Secure-" in headers.get("Set-Cookie", "") or "Secure" in headers.get("Set-Cookie", "")


def test_plain_http_is_sent_to_https(production_server):
    status, headers = _get(production_server, "/accounts/login/")
    assert status == 301 and headers["Location"] == "https://sonae.example.jp/accounts/login/"


def test_health_check_answers_plain_http(production_server):
    status, _ = _get(production_server, "/healthz")
    assert status == 200


def test_proxy_headers_believed_only_from_the_configured_proxy():
    assert proxy_options("127.0.0.1") == {
        "clear_untrusted_proxy_headers": True,
        "trusted_proxy": "127.0.0.1",
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
    }
    assert proxy_options("") == {"clear_untrusted_proxy_headers": True}


def test_forwarded_scheme_from_elsewhere_is_dropped(tmp_path):
    """With a proxy configured at another address, a client on 127.0.0.1 cannot claim HTTPS."""
    port = free_port()
    process, _ = start_up(tmp_path / "d", port, SONAE_TRUSTED_PROXY="192.0.2.10", **PRODUCTION)
    try:
        status, headers = _get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 301 and headers["Location"].startswith("https://")
    finally:
        stop(process)
