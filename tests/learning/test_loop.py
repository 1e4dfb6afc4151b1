"""備えの点検: the loop page and score, the many-organisation summary in a fixed number of queries, snapshots,
the one-a-day reminder digest with its opt-outs, and the .ics feed behind a revocable secret."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sonae.actions.models import ActionItem
from sonae.learning.services import assignment_create
from sonae.loop.models import CalendarFeed, DigestMail, LoopSnapshot, ReminderOptOut
from sonae.loop.selectors import loop_summaries, loop_summary
from sonae.loop.tasks import record_snapshots, send_digests
from sonae.orgs.choices import Role
from sonae.orgs.models import AdvisorGrant, Membership, hash_token
from sonae.orgs.services import organisation_create

from support import make_user

NOON = dt.time(12, 0)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, NOON))


def test_a_new_organisation_starts_low_and_says_why(alice_client, org):
    summary = loop_summary(org)
    assert summary.score == 0
    assert {row.area for row in summary.rows} == {"diagnosis", "learning", "rules", "actions", "advice"}
    assert all(row.status == "never" for row in summary.rows)
    page = alice_client.get(f"/o/{org.id}/loop/").content.decode()
    assert 'id="loop-score">0<' in page and "点検スコア" in page and "がまだです" in page
    assert f"/o/{org.id}/diagnoses/" in page and "診断する" in page


def test_doing_the_steps_raises_the_score(alice_client, org, alice, run_maker):
    run_maker(org, alice)  # an IPA run today
    assignment_create(org=org, by=alice, training_key="ipa-karei-01", everyone=True, members=[],
                      due_date=timezone.localdate() - dt.timedelta(days=1))  # nobody finished: overdue
    ActionItem.objects.create(org=org, title="バックアップ", due_date=timezone.localdate() + dt.timedelta(days=60))
    summary = loop_summary(org)
    ipa = next(row for row in summary.rows if row.key == "diagnosis:ipa-5min")
    assert ipa.status == "ok" and ipa.last_done == timezone.localdate() and ipa.due
    training = next(row for row in summary.rows if row.key == "learning:training")
    assert training.status == "overdue" and "2人分" in training.detail
    assert next(row for row in summary.rows if row.key == "actions:items").status == "ok"
    assert 0 < summary.score < 100
    assert any("期限切れです" in line for line in summary.explanation)


def test_summary_of_many_organisations_takes_a_fixed_number_of_queries(org, other_org, alice, charlie, run_maker):
    more = [organisation_create(owner=alice, name=f"株式会社テスト{i}", corporate_number="", industry="E",
                                employee_band="6-20", prefecture="神奈川県") for i in range(6)]
    for target in (org, *more):
        run_maker(target, alice)
        assignment_create(org=target, by=alice, training_key="ipa-karei-02", everyone=True, members=[],
                          due_date=timezone.localdate())
    with CaptureQueriesContext(connection) as one:
        loop_summaries([org.id])
    with CaptureQueriesContext(connection) as many:
        summaries = loop_summaries([org.id, other_org.id, *(o.id for o in more)])
    assert len(many) == len(one) <= 16
    assert set(summaries) == {org.id, other_org.id, *(o.id for o in more)}
    assert summaries[org.id].rows[0].last_done is not None and summaries[other_org.id].rows[0].last_done is None


def test_advisor_activity_counts_as_consulting(org, alice):
    from sonae.orgs.models import AuditEntry
    from sonae.orgs.services import audit

    advisor = make_user("adviser@support.example.jp")
    AdvisorGrant.objects.create(org=org, advisor=advisor, role=Role.EDITOR, granted_by=alice)
    assert next(r for r in loop_summary(org).rows if r.area == "advice").status == "never"
    audit(org=org, actor=advisor, action=AuditEntry.Action.UPDATE, obj=org, changes={"name": ["a", "b"]})
    row = next(r for r in loop_summary(org).rows if r.area == "advice")
    assert row.status == "ok" and row.last_done == timezone.localdate()


def test_snapshots_make_the_history_chart(alice_client, org):
    for days_ago in (40, 20, 0):
        record_snapshots(today=timezone.localdate() - dt.timedelta(days=days_ago))
    record_snapshots()  # a second run on the same day updates the day's row
    assert LoopSnapshot.objects.filter(org=org).count() == 3
    page = alice_client.get(f"/o/{org.id}/loop/").content.decode()
    assert "<svg" in page and "点検スコアの推移" in page


def test_dashboard_has_the_loop_on_top(alice_client, org):
    page = alice_client.get(f"/o/{org.id}/").content.decode()
    assert "loop-panel" in page and page.index("loop-panel") < page.index("偽メール・偽SMSの確認")


# --- the digest ---------------------------------------------------------------------------------------------


def test_one_digest_a_day_with_every_kind_and_never_twice(org, alice, bob, run_maker):
    today = timezone.localdate()
    with time_machine.travel(_at(today - dt.timedelta(days=200))):
        run_maker(org, alice)
    assignment_create(org=org, by=alice, training_key="ipa-karei-03", everyone=True, members=[], due_date=today + dt.timedelta(days=2))
    ActionItem.objects.create(org=org, title="ルーターの更新", owner=alice, due_date=today - dt.timedelta(days=1))
    assert send_digests(now=_at(today)) == 2  # alice (diagnosis, training, action) and bob (training)
    alice_mail = next(m for m in mail.outbox if m.to == ["alice@example.jp"])
    bob_mail = next(m for m in mail.outbox if m.to == ["bob@example.jp"])
    assert "（3件）" in alice_mail.subject and org.name in alice_mail.subject
    for text in ("5分でできる！情報セキュリティ自社診断", "#3「パスワードの適切な設定と管理」", "ルーターの更新", "期限切れ"):
        assert text in alice_mail.body
    assert "（1件）" in bob_mail.subject and "5分でできる" not in bob_mail.body  # viewers are not asked to diagnose
    assert f"/o/{org.id}/loop/reminders/" in bob_mail.body and alice_mail.extra_headers["List-Unsubscribe"]
    assert send_digests(now=_at(today)) == 0  # at most one a day
    assert send_digests(now=_at(today + dt.timedelta(days=1))) == 0  # nothing new the next day
    # A week later the overdue action comes round again; the training is overdue now too.
    assert send_digests(now=_at(today + dt.timedelta(days=7))) == 2
    assert DigestMail.objects.filter(user=alice).count() == 2


def test_opt_out_per_kind(alice_client, org, alice):
    today = timezone.localdate()
    ActionItem.objects.create(org=org, title="対策A", owner=alice, due_date=today)
    page = alice_client.get(f"/o/{org.id}/loop/reminders/").content.decode()
    assert "対策の期限とリスクの見直し" in page
    response = alice_client.post(f"/o/{org.id}/loop/reminders/", {"action": "settings", "kinds": ["diagnosis", "learning", "rules"]})
    assert response.status_code == 302
    assert list(ReminderOptOut.objects.filter(user=alice).values_list("kind", flat=True)) == ["actions"]
    assert send_digests(now=_at(today)) == 0
    alice_client.post(f"/o/{org.id}/loop/reminders/", {"action": "settings", "kinds": ["actions", "<script>", "x" * 500]})
    assert not ReminderOptOut.objects.filter(user=alice, kind="actions").exists()
    assert send_digests(now=_at(today)) == 1


def test_failed_send_is_retried_next_run(org, alice, settings):
    today = timezone.localdate()
    ActionItem.objects.create(org=org, title="対策B", owner=alice, due_date=today)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert send_digests(now=_at(today)) == 0
    assert not DigestMail.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests(now=_at(today)) == 1 and "対策B" in mail.outbox[0].body


@pytest.mark.parametrize("title", ["対策\r\nBcc: everyone@evil.example", "<script>alert(1)</script>", "\u202e逆さ\u2028二行目"])
def test_hostile_titles_stay_in_the_body_on_one_line(org, alice, title):
    ActionItem.objects.filter(pk=ActionItem.objects.create(org=org, title="x", owner=alice, due_date=timezone.localdate()).pk).update(title=title)
    assert send_digests() == 1
    message = mail.outbox[0]
    parsed = message.message()
    assert parsed["Bcc"] is None and message.recipients() == ["alice@example.jp"]
    assert "\u202e" not in message.body and "\u2028" not in message.body
    line = next(line for line in message.body.splitlines() if "対策の期限" in line)
    assert "Bcc" not in message.body.split(line)[0]


def test_a_person_in_two_organisations_gets_one_mail(org, other_org, alice, charlie):
    Membership.objects.create(user=charlie, org=org, role=Role.EDITOR)
    today = timezone.localdate()
    ActionItem.objects.create(org=org, title="横浜の対策", owner=charlie, due_date=today)
    ActionItem.objects.create(org=other_org, title="川崎の対策", owner=charlie, due_date=today)
    assert send_digests(now=_at(today)) == 1
    message = mail.outbox[0]
    assert "横浜の対策" in message.body and "川崎の対策" in message.body and "（2件）" in message.subject


# --- the calendar feed ----------------------------------------------------------------------------------------


def test_calendar_feed_secret_fetch_and_revoke(client, bob_client, org, alice, bob):
    due = timezone.localdate() + dt.timedelta(days=9)
    assignment_create(org=org, by=alice, training_key="ipa-karei-05", everyone=True, members=[], due_date=due)
    page = bob_client.post(f"/o/{org.id}/loop/reminders/", {"action": "feed"}).content.decode()
    feed = CalendarFeed.objects.get(user=bob)
    url = next(part for part in page.split('"') if "/calendar/" in part and part.endswith(".ics"))
    token = url.rsplit("/", 1)[-1].removesuffix(".ics")
    assert feed.token_hash == hash_token(token) and token not in feed.token_hash  # only the hash is kept
    response = client.get(f"/calendar/{token}.ics")  # no login: calendar apps cannot sign in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and f"DTSTART;VALUE=DATE:{due:%Y%m%d}" in body and "USBメモリ" in body
    from icalendar import Calendar

    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1
    # A new address retires the old one; revoking works; another member cannot revoke it.
    bob_client.post(f"/o/{org.id}/loop/reminders/", {"action": "feed"})
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    newest = CalendarFeed.objects.filter(user=bob, revoked_at=None).get()
    from django.test import Client

    other = Client()
    other.force_login(alice)
    assert other.post(f"/o/{org.id}/loop/calendar/{newest.id}/revoke/").status_code == 404
    assert bob_client.post(f"/o/{org.id}/loop/calendar/{newest.id}/revoke/").status_code == 302
    assert not CalendarFeed.objects.filter(revoked_at=None).exists()


@pytest.mark.parametrize("token", ["nope", "x" * 500, "%00", "../../etc/passwd", "<script>"])
def test_unknown_calendar_tokens_are_404(client, db, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_member_who_left_has_no_feed(client, bob_client, org, bob):
    bob_client.post(f"/o/{org.id}/loop/reminders/", {"action": "feed"})
    token_page = bob_client.post(f"/o/{org.id}/loop/reminders/", {"action": "feed"}).content.decode()
    token = next(p for p in token_page.split('"') if p.endswith(".ics")).rsplit("/", 1)[-1].removesuffix(".ics")
    Membership.objects.filter(user=bob, org=org).delete()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_advisors_get_no_settings(org, alice):
    from django.test import Client

    advisor = make_user("adviser2@support.example.jp")
    AdvisorGrant.objects.create(org=org, advisor=advisor, role=Role.VIEWER, granted_by=alice)
    client = Client()
    client.force_login(advisor)
    page = client.get(f"/o/{org.id}/loop/reminders/").content.decode()
    assert "支援者には送られません" in page
    assert client.post(f"/o/{org.id}/loop/reminders/", {"action": "feed"}).status_code == 200
    assert not CalendarFeed.objects.exists()


def test_every_link_on_the_loop_opens_for_the_person_who_sees_it(alice_client, bob_client, org):
    import re

    for client in (alice_client, bob_client):
        for path in (f"/o/{org.id}/loop/", f"/o/{org.id}/"):
            page = client.get(path).content.decode()
            for url in set(re.findall(r'href="(/o/%d/[^"]*)"' % org.id, page)):
                assert client.get(url).status_code in (200, 302), (path, url)
