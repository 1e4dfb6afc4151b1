"""First start: the setup link, the owner account and the first organisation."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from sonae.orgs.models import AuditEntry, Membership, Organisation
from sonae.orgs.services import setup_token_issue

VALID_CORPORATE_NUMBER = "9700150018135"  # check digit 9 over 700150018135


def signup(client, email="owner@example.jp", password="A-long-enough-passw0rd"):
    return client.post("/accounts/signup/", {"email": email, "password1": password, "password2": password})


@pytest.mark.django_db
def test_setup_link_creates_owner_then_org(client):
    token = setup_token_issue()
    assert token
    response = client.get(f"/setup/{token}/")
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/"
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == "/orgs/new/"
    response = client.post(
        "/orgs/new/",
        {"name": "株式会社横浜精工", "corporate_number": "９７００１５００１８１３５", "industry": "E", "employee_band": "6-20", "prefecture": "神奈川県"},
    )
    org = Organisation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/o/{org.id}/"
    assert org.corporate_number == VALID_CORPORATE_NUMBER  # full-width input normalised
    assert Membership.objects.get(org=org).role == "owner"
    assert AuditEntry.objects.filter(org=org, action="create", object_type="organisation").exists()
    # The link worked once; nobody else can use it now.
    other = client.__class__()
    assert other.get(f"/setup/{token}/").status_code == 404
    assert setup_token_issue() is None


@pytest.mark.django_db
def test_signup_is_closed_without_link(client):
    response = client.get("/accounts/signup/")
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    signup(client)
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_bad_setup_token(client):
    setup_token_issue()
    assert client.get("/setup/not-the-token/").status_code == 404
    assert client.get("/setup/" + "x" * 5000 + "/").status_code == 404


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("corporate_number", "1700150018135", "チェックデジット"),
        ("corporate_number", "12345", "13桁"),
        ("corporate_number", "<script>alert(1)</script>", "13桁"),
        ("name", "x" * 101, "100"),
        ("name", "悪い\x07名前", "制御文字"),
        ("name", "悪い\u202e名前", "制御文字"),
        ("name", "", "必須"),
        ("industry", "Z", "正しく"),
        ("prefecture", "ニューヨーク", "正しく"),
        ("employee_band", "-1", "正しく"),
    ],
)
def test_org_form_refuses_hostile_values(alice_client, field, value, message):
    data = {"name": "テスト株式会社", "corporate_number": "", "industry": "E", "employee_band": "6-20", "prefecture": "神奈川県", field: value}
    before = Organisation.objects.count()
    response = alice_client.post("/orgs/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page or "選択してください" in page or "Null文字" in page
    assert Organisation.objects.count() == before
    assert b"<script>alert" not in response.content


def test_settings_change_is_audited(alice_client, org):
    response = alice_client.post(
        f"/o/{org.id}/settings/",
        {"name": "株式会社横浜精工（新）", "corporate_number": VALID_CORPORATE_NUMBER, "industry": "E", "employee_band": "21-50", "prefecture": "神奈川県", "require_mfa": ""},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(org=org, action="update").first()
    assert entry.changes["employee_band"] == ["6-20", "21-50"]
    assert entry.actor_label == "alice@example.jp"
    page = alice_client.get(f"/o/{org.id}/audit/").content.decode()
    assert "21〜50人" in page and "従業員数" in page and "alice@example.jp" in page


def test_csrf_is_enforced(alice, org):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    response = strict.post(f"/o/{org.id}/settings/", {"name": "乗っ取り"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name == "株式会社横浜精工"
    assert "フォームの有効期限" in response.content.decode()


def test_healthz_touches_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_japanese_is_default_and_english_switch(alice_client, org):
    page = alice_client.get(f"/o/{org.id}/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'lang="ja"' in page and "診断" in page
    alice_client.post("/i18n/setlang/", {"language": "en", "next": f"/o/{org.id}/"})
    page = alice_client.get(f"/o/{org.id}/").content.decode()
    assert 'lang="en"' in page and "Diagnoses" in page


def test_no_inline_scripts_and_csp_header(alice_client, org):
    response = alice_client.get(f"/o/{org.id}/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    import re

    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag
    assert "onclick=" not in body and "onchange=" not in body


def test_areas_say_coming_plainly(alice_client, org):
    for area in ("diagnoses", "actions", "documents", "checks", "learning"):
        response = alice_client.get(f"/o/{org.id}/{area}/")
        assert response.status_code == 200


@pytest.mark.parametrize("value", ["Kanagawa", "神奈川", "神奈川県 ", "<script>alert(1)</script>", "神奈川県\x00"])
def test_prefecture_is_stored_in_japanese_and_shown_in_the_chosen_language(alice_client, org, value):
    alice_client.cookies["django_language"] = "en"
    page = alice_client.get(f"/o/{org.id}/settings/").content.decode()
    assert '<option value="神奈川県" selected>Kanagawa</option>' in page
    assert "Kanagawa" in alice_client.get(f"/o/{org.id}/").content.decode()
    data = {"name": org.name, "corporate_number": "", "industry": "E", "employee_band": "6-20", "require_mfa": ""}
    # The English label is not a value: only the Japanese names (JIS X 0401) are stored.
    response = alice_client.post(f"/o/{org.id}/settings/", {**data, "prefecture": value})
    assert response.status_code == 200 and b"<script>alert" not in response.content
    assert alice_client.post(f"/o/{org.id}/settings/", {**data, "prefecture": "東京都"}).status_code == 302
    org.refresh_from_db()
    assert org.prefecture == "東京都"
    audit = alice_client.get(f"/o/{org.id}/audit/").content.decode()
    assert "Kanagawa → Tokyo" in audit
    alice_client.cookies["django_language"] = "ja"
    assert "神奈川県 → 東京都" in alice_client.get(f"/o/{org.id}/audit/").content.decode()
