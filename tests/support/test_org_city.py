"""The organisation's 市区町村 (city): editable in the settings, validated, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sonae.orgs.models import AuditEntry

pytestmark = pytest.mark.django_db


def settings_post(client, org, **changes):
    data = {"name": org.name, "corporate_number": "", "industry": org.industry, "employee_band": org.employee_band,
            "prefecture": org.prefecture, "city": "", **changes}
    return client.post(reverse("org_settings", args=[org.id]), data)


@pytest.mark.parametrize(("typed", "stored"), [("横浜市", "横浜市"), ("　横浜市 中区 ", "横浜市中区"), ("箱根町", "箱根町"), ("", "")])
def test_city_is_saved_normalised(alice_client, org, typed, stored):
    assert settings_post(alice_client, org, city=typed).status_code == 302
    org.refresh_from_db()
    assert org.city == stored
    if stored:
        assert AuditEntry.objects.filter(org=org, object_type="organisation", changes__has_key="city").exists()


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "javascript:alert(1)", "横浜", "市" * 41, "横浜市\x00", "Yokohama"])
def test_bad_city_is_refused(alice_client, org, typed):
    response = settings_post(alice_client, org, city=typed)
    assert response.status_code == 200
    assert "市区町村名を入力してください" in response.content.decode() or "文字" in response.content.decode()
    org.refresh_from_db()
    assert org.city == ""


def test_designated_city_in_the_wrong_prefecture_is_refused(alice_client, org):
    response = settings_post(alice_client, org, prefecture="東京都", city="横浜市")
    assert response.status_code == 200 and "神奈川県の市です" in response.content.decode()


def test_viewer_cannot_change_the_city(bob_client, org):
    assert settings_post(bob_client, org, city="横浜市").status_code == 403
