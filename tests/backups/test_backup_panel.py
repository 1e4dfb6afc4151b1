"""The dashboard warning for installation admins when the last good backup is older than two days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sonae.backups.models import BackupRecord
from sonae.orgs.services import setup_token_issue
from test_translations import _english, japanese_ui_text

WARNING = "2日以上、成功したバックアップがありません"


@pytest.fixture
def stale(alice, org):
    """Alice joined three days ago; the only good backup is three days old and a later one failed."""
    three_days_ago = timezone.now() - dt.timedelta(days=3)
    get_user_model().objects.filter(pk=alice.pk).update(date_joined=three_days_ago)
    BackupRecord.objects.create(started_at=three_days_ago, finished_at=three_days_ago, status="ok",
                                trigger="schedule", file_name="sonae-backup-20261203-023000.zip", rows=120)
    yesterday = timezone.now() - dt.timedelta(days=1)
    BackupRecord.objects.create(started_at=yesterday, finished_at=yesterday, status="failed", trigger="schedule",
                                error="<script>alert(1)</script> バックアップを書き出せません / cannot write backup: No space left on device")


def _make_admin(user):
    user.is_staff = True
    user.save()


def test_installation_admin_sees_the_warning(alice, alice_client, org, stale):
    _make_admin(alice)
    page = alice_client.get(f"/o/{org.id}/").content.decode()
    assert WARNING in page and "sonae-backup-20261203-023000.zip" in page
    assert "No space left on device" in page and "<script>alert(1)" not in page  # the error is escaped
    assert "sonae backup --now" in page


def test_owners_who_are_not_installation_admins_see_nothing(alice_client, bob_client, org, stale):
    assert WARNING not in alice_client.get(f"/o/{org.id}/").content.decode()
    assert WARNING not in bob_client.get(f"/o/{org.id}/").content.decode()


def test_no_warning_with_a_recent_good_backup(alice, alice_client, org, stale):
    _make_admin(alice)
    now = timezone.now()
    BackupRecord.objects.create(started_at=now, finished_at=now, status="ok", trigger="schedule", file_name="new.zip")
    assert WARNING not in alice_client.get(f"/o/{org.id}/").content.decode()


def test_warning_when_there_was_never_a_backup(alice, alice_client, org):
    _make_admin(alice)
    get_user_model().objects.filter(pk=alice.pk).update(date_joined=timezone.now() - dt.timedelta(days=3))
    page = alice_client.get(f"/o/{org.id}/").content.decode()
    assert WARNING in page and "成功したバックアップはまだ一度もありません" in page


def test_the_warning_in_english(alice, alice_client, org, stale):
    _make_admin(alice)
    response = _english(alice_client).get(f"/o/{org.id}/")
    assert "No good backup for more than two days" in response.content.decode()
    assert japanese_ui_text(response, [org.name, "神奈川県"]) == []


@pytest.mark.django_db
def test_the_person_who_opens_the_setup_link_becomes_installation_admin(client):
    token = setup_token_issue()
    client.get(f"/setup/{token}/")
    password = "A-long-enough-passw0rd!"
    client.post("/accounts/signup/", {"email": "owner@example.jp", "password1": password, "password2": password})
    assert get_user_model().objects.get(email="owner@example.jp").is_staff
