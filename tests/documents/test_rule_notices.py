"""Rules reach people by mail: a notice when a rule is published or revised, a reminder every
SONAE_RULE_REMINDER_DAYS days to members who have not acknowledged, never twice for one window.

The notice is sent at once; the reminders (and a first notice for latecomers or after a failed send) are
items of the loop's daily digest (sonae.loop.tasks.send_digests), at most one reminder mail a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from sonae.documents.models import Document, RuleNotice
from sonae.documents.services import acknowledgement_record, document_create, draft_for_edit, version_approve
from sonae.documents.tasks import send_rule_notices
from sonae.loop.tasks import send_digests
from sonae.orgs.choices import Role
from sonae.orgs.models import AdvisorGrant, AuditEntry, Membership

from support import make_user

DAY = dt.timedelta(days=1)


def _approved(org, owner, sample, kind="ai-guideline", title=""):
    document = document_create(org=org, kind=kind, by=owner, data=sample(kind), title=title)
    return document, version_approve(version=document.versions.get(), by=owner)


def _share(client, org, document, capture):
    with capture(execute=True):
        response = client.post(f"/o/{org.id}/documents/{document.id}/share/", {"shared": "1"})
    assert response.status_code == 302
    document.refresh_from_db()
    return document


def _to(messages):
    return sorted(address for m in messages for address in m.to)


@pytest.fixture
def advisor(org, alice):
    user = make_user("dave@advisor.example.jp")
    AdvisorGrant.objects.create(org=org, advisor=user, role=Role.EDITOR, granted_by=alice)
    return user


def test_publishing_mails_each_member_in_japanese_with_a_link(alice_client, org, other_org, alice, bob, charlie, advisor,
                                                               sample, settings, django_capture_on_commit_callbacks):
    document, version = _approved(org, alice, sample, title="生成AI利用ガイドライン")
    gone = make_user("gone@example.jp")
    gone.is_active = False
    gone.save()
    no_address = get_user_model().objects.create_user(username="noaddress", email="", password="x-Very-long-pass-1")
    for user in (gone, no_address):
        Membership.objects.create(user=user, org=org, role=Role.VIEWER)
    _approved(other_org, charlie, sample)  # another organisation's rule, not shared: nothing for anyone there

    _share(alice_client, org, document, django_capture_on_commit_callbacks)

    # Every member who can read mail: the owner too, since owners also acknowledge. Not the advisor,
    # not the other organisation's owner, not a deactivated account, not an account without address.
    assert _to(mail.outbox) == ["alice@example.jp", "bob@example.jp"]
    message = next(m for m in mail.outbox if m.to == ["bob@example.jp"])
    assert message.subject == f"【sonae】{org.name}：社内ルール「生成AI利用ガイドライン」の確認をお願いします"
    link = f"{settings.SITE_URL}/o/{org.id}/documents/v/{version.id}/"
    assert link in message.body
    assert "bob@example.jp さん" in message.body and "第1版" in message.body and "「確認しました」" in message.body
    assert RuleNotice.objects.filter(version=version, window=0).count() == 2
    assert AuditEntry.objects.filter(org=org, object_type="rulenotice", action="create").count() == 2
    # The link opens the version with the acknowledge button for the member.
    assert bob_page_has_button(org, bob, link.removeprefix(settings.SITE_URL))


def bob_page_has_button(org, bob, path):
    from django.test import Client

    client = Client()
    client.force_login(bob)
    body = client.get(path).content.decode()
    return f'action="/o/{org.id}/documents/v/' in body and "確認しました" in body


def test_no_duplicate_and_weekly_reminders_only_to_pending_members(alice_client, org, alice, bob, sample,
                                                                   django_capture_on_commit_callbacks):
    document, version = _approved(org, alice, sample)
    _share(alice_client, org, document, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    start = document.shared_at
    assert send_digests(now=start + DAY) == 0  # same window: nobody twice
    assert send_digests(now=start + 6 * DAY) == 0

    acknowledgement_record(version=version, user=alice)
    assert send_digests(now=start + 7 * DAY) == 1  # bob is still pending after 7 days
    reminder = mail.outbox[-1]
    assert reminder.to == ["bob@example.jp"] and "備えの点検のお知らせ" in reminder.subject
    assert "社内ルールの確認がまだです（第1版）" in reminder.body and "7日ごと" in reminder.body
    assert send_digests(now=start + 8 * DAY) == 0
    assert send_digests(now=start + 13 * DAY) == 0
    assert send_digests(now=start + 14 * DAY) == 1  # the next week's window
    assert list(RuleNotice.objects.filter(user=bob).order_by("window").values_list("window", flat=True)) == [0, 1, 2]
    assert not RuleNotice.objects.filter(user=alice, window__gt=0).exists()

    acknowledgement_record(version=version, user=bob)
    assert send_digests(now=start + 21 * DAY) == 0  # everybody acknowledged
    assert len(mail.outbox) == 4


def test_reminder_days_setting(alice_client, org, alice, bob, sample, settings, django_capture_on_commit_callbacks):
    settings.SONAE_RULE_REMINDER_DAYS = 3
    document, _version = _approved(org, alice, sample)
    _share(alice_client, org, document, django_capture_on_commit_callbacks)
    assert send_digests(now=document.shared_at + 2 * DAY) == 0
    assert send_digests(now=document.shared_at + 3 * DAY) == 2
    assert "3日ごと" in mail.outbox[-1].body


def test_new_version_tells_who_acknowledged_the_old_one_it_was_revised(alice_client, org, alice, bob, sample,
                                                                         django_capture_on_commit_callbacks):
    document, v1 = _approved(org, alice, sample)
    _share(alice_client, org, document, django_capture_on_commit_callbacks)
    acknowledgement_record(version=v1, user=bob)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        v2 = version_approve(version=draft_for_edit(document=document, by=alice), by=alice)
    bob_mail = next(m for m in mail.outbox if m.to == ["bob@example.jp"])
    alice_mail = next(m for m in mail.outbox if m.to == ["alice@example.jp"])
    assert "改訂されました（第2版）" in bob_mail.subject and "もう一度読んで" in bob_mail.body
    assert "確認をお願いします" in alice_mail.subject  # alice never acknowledged v1: a plain notice
    assert f"/documents/v/{v2.id}/" in bob_mail.body and f"/documents/v/{v1.id}/" not in bob_mail.body
    # Reminders for v2 count from its approval.
    acknowledgement_record(version=v2, user=alice)
    v2.refresh_from_db()
    assert send_digests(now=v2.approved_at + 7 * DAY) == 1 and mail.outbox[-1].to == ["bob@example.jp"]


def test_approving_a_version_of_an_unshared_document_mails_nobody(org, alice, bob, sample, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document, _v1 = _approved(org, alice, sample)
        version_approve(version=draft_for_edit(document=document, by=alice), by=alice)
    assert not mail.outbox
    assert send_rule_notices() == 0 and send_digests() == 0


def test_withdrawn_rule_gets_no_reminders(alice_client, org, alice, bob, sample, django_capture_on_commit_callbacks):
    document, _version = _approved(org, alice, sample)
    _share(alice_client, org, document, django_capture_on_commit_callbacks)
    start = document.shared_at
    alice_client.post(f"/o/{org.id}/documents/{document.id}/share/", {"shared": "0"})
    assert send_digests(now=start + 8 * DAY) == 0


def test_other_organisations_members_are_never_mailed(alice_client, org, other_org, alice, bob, charlie, sample,
                                                       django_capture_on_commit_callbacks):
    theirs, _ = _approved(other_org, charlie, sample)
    from django.test import Client

    charlie_client = Client()
    charlie_client.force_login(charlie)
    _share(charlie_client, other_org, theirs, django_capture_on_commit_callbacks)
    assert _to(mail.outbox) == ["charlie@example.jp"]
    ours, _ = _approved(org, alice, sample)
    _share(alice_client, org, ours, django_capture_on_commit_callbacks)
    assert _to(mail.outbox[1:]) == ["alice@example.jp", "bob@example.jp"]
    # Charlie joins nothing by being mailed about his own organisation, and the daily run keeps them apart.
    assert send_digests(now=ours.shared_at + 7 * DAY) == 3
    assert _to(mail.outbox[3:]) == ["alice@example.jp", "bob@example.jp", "charlie@example.jp"]
    assert all(other_org.name in m.subject for m in mail.outbox if m.to == ["charlie@example.jp"])
    assert not any(other_org.name in m.subject for m in mail.outbox if m.to != ["charlie@example.jp"])


def test_a_member_who_joins_later_gets_the_first_notice_from_the_daily_run(alice_client, org, alice, bob, sample,
                                                                             django_capture_on_commit_callbacks):
    document, _version = _approved(org, alice, sample)
    _share(alice_client, org, document, django_capture_on_commit_callbacks)
    newcomer = make_user("newcomer@example.jp")
    Membership.objects.create(user=newcomer, org=org, role=Role.VIEWER)
    assert send_digests(now=document.shared_at + 2 * DAY) == 1
    assert mail.outbox[-1].to == ["newcomer@example.jp"] and "社内ルールの確認のお願い" in mail.outbox[-1].body


@pytest.mark.parametrize("title", [
    "規程\r\nBcc: everyone@evil.example",
    "<script>alert(1)</script>&amp;\nSubject: 至急",
    "\u202eトーセルガ\u2028二行目",
])
def test_hostile_titles_stay_on_one_line_and_add_no_header(alice_client, org, alice, bob, sample, title,
                                                           django_capture_on_commit_callbacks):
    document, version = _approved(org, alice, sample)
    Document.objects.filter(pk=document.pk).update(title=title)  # the forms refuse this; old or imported data may not
    document.refresh_from_db()
    _share(alice_client, org, document, django_capture_on_commit_callbacks)
    assert _to(mail.outbox) == ["alice@example.jp", "bob@example.jp"]
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject and "\u2028" not in message.subject
        assert "\u202e" not in message.subject
        parsed = message.message()
        assert parsed["Bcc"] is None and parsed.get_all("Subject") and len(parsed.get_all("Subject")) == 1
        assert message.recipients() == message.to
        assert parsed.get_content_type() == "text/plain"
        title_line = next(line for line in message.body.splitlines() if "の社内ルール" in line or "で、社内ルール" in line)
        assert "Bcc:" not in message.body.split(title_line)[0]
    if "<script>" in title:
        assert "<script>alert(1)</script>&amp;" in mail.outbox[0].body  # plain text: shown as typed, not escaped twice
        page = alice_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_title_with_newline_is_refused_when_created(org, alice):
    from sonae.documents.services import DocumentError

    with pytest.raises(DocumentError):
        document_create(org=org, kind="ai-guideline", by=alice, title="規程\r\nBcc: x@evil.example")


def test_failed_send_is_not_recorded_and_retried(alice_client, org, alice, bob, sample, settings,
                                                 django_capture_on_commit_callbacks):
    # A real SMTP backend pointed at a port where nothing listens: every send fails.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    document, _version = _approved(org, alice, sample)
    response_document = _share(alice_client, org, document, django_capture_on_commit_callbacks)
    assert response_document.is_shared  # publishing worked although the mail did not
    assert not RuleNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests(now=document.shared_at + DAY) == 2
    assert _to(mail.outbox) == ["alice@example.jp", "bob@example.jp"]


def test_acknowledgement_page_shows_the_last_notice(alice_client, bob_client, org, alice, bob, sample, settings,
                                                    django_capture_on_commit_callbacks):
    document, version = _approved(org, alice, sample)
    page = alice_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").content.decode()
    assert "この版のお知らせメールはまだ送っていません。" in page
    _share(alice_client, org, document, django_capture_on_commit_callbacks)
    send_digests(now=document.shared_at + 7 * DAY)
    last = RuleNotice.objects.order_by("-sent_at").first()
    page = alice_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").content.decode()
    assert "最後のお知らせメール:" in page and "（リマインダー）" in page
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    assert date_format(timezone.localtime(last.sent_at), "Y年n月j日 H:i") in page
    assert "サーバーの画面（ログ）に表示されるだけ" not in page  # tests use the in-memory backend
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    page = alice_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").content.decode()
    assert "サーバーの画面（ログ）に表示されるだけ" in page
    assert bob_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").status_code == 403


def test_english_page_translates_the_notice_section(alice_client, org, alice, sample):
    document, _version = _approved(org, alice, sample)
    alice_client.cookies["django_language"] = "en"
    page = alice_client.get(f"/o/{org.id}/documents/{document.id}/acknowledgements/").content.decode()
    assert "No notice mail has been sent for this version yet." in page
