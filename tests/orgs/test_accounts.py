"""Sign-in rules: argon2 hashes, login throttling, password reset by mail, logout."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from support import PASSWORD


def test_passwords_are_argon2(settings, db):
    from support import make_user

    assert settings.SONAE_REAL_PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = settings.SONAE_REAL_PASSWORD_HASHERS
    assert make_user("hash@example.jp").password.startswith("argon2")


def test_login_and_logout(alice, org):
    client = Client()
    response = client.post("/accounts/login/", {"login": "alice@example.jp", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert client.get(f"/o/{org.id}/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get(f"/o/{org.id}/").status_code == 302


def test_failed_logins_are_throttled(alice, settings):
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "alice@example.jp", "password": "wrong-password"})
        assert response.status_code == 200
    # Even the right password is refused while the account is throttled.
    response = client.post("/accounts/login/", {"login": "alice@example.jp", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_by_mail(alice):
    client = Client()
    client.post("/accounts/password/reset/", {"email": "alice@example.jp"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new_password = "Another-long-passw0rd!"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new_password)


def test_password_reset_for_unknown_address_sends_nothing_revealing(db):
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.jp"})
    assert response.status_code == 302
    assert all("nobody@example.jp" not in m.body or "アカウント" in m.body for m in mail.outbox)


def test_login_form_hostile_input(db):
    client = Client()
    for login in ("<script>alert(1)</script>", "a" * 10000, "\x00"):
        response = client.post("/accounts/login/", {"login": login, "password": "x"})
        assert response.status_code in (200, 429)
        assert b"<script>alert(1)</script>" not in response.content
