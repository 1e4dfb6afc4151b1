"""自分の報告: a member sees what became of the messages they reported, and only theirs."""

from __future__ import annotations

import base64

import pytest
from django.core import mail
from django.urls import reverse

from messages import MAIL_HOSTILE, SMS_DANGER, SMS_NONE
from sonae.checks.models import IncidentReport
from sonae.checks.tasks import send_reporter_closed
from sonae.orgs.choices import Role
from sonae.orgs.models import AdvisorGrant, AuditEntry, Membership

from support import make_user


def url(name, org, *args):
    return reverse(name, args=[org.id, *args])


def report(client, org, text=SMS_DANGER, note="リンクは開いていません"):
    client.post(url("checks_report", org), {"kind": "sms", "content": text, "note": note})
    return IncidentReport.objects.order_by("-id").first()


def close(client, org, incident, capture, **data):
    with capture(execute=True):
        response = client.post(url("checks_incident", org, incident.id), data)
    incident.refresh_from_db()
    return response


def test_reporter_sees_own_reports_only(bob_client, alice_client, bob, org):
    mine_danger = report(bob_client, org)
    mine_none = report(bob_client, org, text=SMS_NONE, note="")
    owners = report(alice_client, org, text="オーナーの報告です https://example.jp/owner-only", note="オーナーのメモ")
    page = bob_client.get(url("checks_my_reports", org)).content.decode()
    for incident in (mine_danger, mine_none):
        assert url("checks_my_report", org, incident.id) in page
    assert url("checks_my_report", org, owners.id) not in page and "オーナーの報告" not in page
    assert "危険" in page and "問題は見つかりませんでした" in page and "SMS・文章" in page and "未対応" in page
    assert "対応待ち 2件" in page
    # The owner's own list holds only the owner's report, not the inbox.
    owner_page = alice_client.get(url("checks_my_reports", org)).content.decode()
    assert url("checks_my_report", org, owners.id) in owner_page
    assert url("checks_my_report", org, mine_danger.id) not in owner_page


def test_another_members_report_by_id_is_404_even_for_the_owner(bob_client, alice_client, charlie_client, org, other_org):
    bobs = report(bob_client, org)
    alices = report(alice_client, org, note="")
    assert bob_client.get(url("checks_my_report", org, bobs.id)).status_code == 200
    assert bob_client.get(url("checks_my_report", org, alices.id)).status_code == 404
    assert alice_client.get(url("checks_my_report", org, bobs.id)).status_code == 404  # the inbox is the owner's view
    assert charlie_client.get(url("checks_my_report", org, bobs.id)).status_code == 404
    assert charlie_client.get(url("checks_my_report", other_org, bobs.id)).status_code == 404
    assert charlie_client.get(url("checks_my_reports", org)).status_code == 404
    assert bob_client.get(url("checks_my_report", org, 10**9)).status_code == 404
    assert bob_client.post(url("checks_my_report", org, bobs.id)).status_code == 405
    assert bob_client.post(url("checks_my_reports", org)).status_code == 405


def test_closing_shows_who_and_the_reply_but_not_the_internal_note(bob_client, alice_client, alice, bob, org, settings,
                                                                  django_capture_on_commit_callbacks):
    incident = report(bob_client, org)
    mail.outbox.clear()
    close(alice_client, org, incident, django_capture_on_commit_callbacks,
          reply="報告ありがとうございます。偽物でした。\nSMSは削除してください。", owner_note="本人は昨年も同じ手口で入力しかけた。研修対象。")
    assert incident.status == "closed" and incident.reply.startswith("報告ありがとう")
    entry = AuditEntry.objects.filter(object_type="incidentreport", action="update").latest("at")
    assert entry.changes["reply"] == incident.reply and entry.changes["status"] == ["open", "closed"]
    for page_url in (url("checks_my_reports", org), url("checks_my_report", org, incident.id)):
        page = bob_client.get(page_url).content.decode()
        assert "対応済み" in page and "alice@example.jp" in page and "偽物でした" in page
        assert "研修対象" not in page  # 対応メモ stays with owners and editors
    detail = bob_client.get(url("checks_my_report", org, incident.id)).content.decode()
    assert "リンクは開いていません" in detail and '<mark class="ev ev-high">' in detail
    assert url("checks_incident", org, incident.id) not in detail  # a viewer gets no inbox link
    # The reporter is told by mail, with the reply and an absolute link to their page, not the note.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.jp"] and message.subject == f"【sonae】{org.name}：あなたの報告が対応済みになりました"
    assert f"{settings.SITE_URL}/o/{org.id}/checks/mine/{incident.id}/" in message.body
    assert "偽物でした" in message.body and "alice@example.jp さんが対応済みにしました" in message.body
    assert "研修対象" not in message.body and SMS_DANGER not in message.body
    # Owners see both on the report page.
    owner_page = alice_client.get(url("checks_incident", org, incident.id)).content.decode()
    assert "偽物でした" in owner_page and "研修対象" in owner_page


def test_reply_is_hidden_again_while_reopened_and_a_second_close_mails_again(bob_client, alice_client, org,
                                                                             django_capture_on_commit_callbacks):
    incident = report(bob_client, org)
    mail.outbox.clear()
    close(alice_client, org, incident, django_capture_on_commit_callbacks, reply="偽物でした")
    close(alice_client, org, incident, django_capture_on_commit_callbacks, action="reopen")
    assert incident.status == "open"
    page = bob_client.get(url("checks_my_report", org, incident.id)).content.decode()
    assert "偽物でした" not in page and "未対応" in page
    form = alice_client.get(url("checks_incident", org, incident.id)).content.decode()
    assert "偽物でした" in form  # the reply is kept for the next close
    close(alice_client, org, incident, django_capture_on_commit_callbacks, reply="やはり偽物でした")
    assert len(mail.outbox) == 2 and "やはり偽物でした" in mail.outbox[1].body


def test_no_mail_to_whom_it_does_not_concern(bob_client, alice_client, alice, bob, org, settings,
                                              django_capture_on_commit_callbacks):
    own = report(alice_client, org, note="")
    mail.outbox.clear()
    close(alice_client, org, own, django_capture_on_commit_callbacks, reply="自分で対応")
    assert not mail.outbox  # who closes their own report is not told

    gone = report(bob_client, org)
    Membership.objects.filter(user=bob, org=org).delete()
    close(alice_client, org, gone, django_capture_on_commit_callbacks, reply="x")
    assert not mail.outbox  # no longer in the organisation

    Membership.objects.create(user=bob, org=org, role=Role.VIEWER)
    quiet = report(bob_client, org)
    mail.outbox.clear()
    settings.SONAE_CHECKS_NOTIFY = False
    close(alice_client, org, quiet, django_capture_on_commit_callbacks, reply="x")
    assert not mail.outbox
    settings.SONAE_CHECKS_NOTIFY = True
    assert send_reporter_closed(quiet.id) is True and mail.outbox[0].to == ["bob@example.jp"]
    open_one = report(bob_client, org)
    assert send_reporter_closed(open_one.id) is False  # still open: nothing to tell
    assert send_reporter_closed(10**9) is False


def test_advisor_reporter_sees_own_reports_and_is_told(client, org, alice, alice_client, django_capture_on_commit_callbacks):
    advisor = make_user("dave@advisor.example.jp")
    AdvisorGrant.objects.create(org=org, advisor=advisor, role=Role.VIEWER, granted_by=alice)
    client.force_login(advisor)
    incident = report(client, org)
    assert incident.reported_by == advisor
    assert url("checks_my_report", org, incident.id) in client.get(url("checks_my_reports", org)).content.decode()
    mail.outbox.clear()
    close(alice_client, org, incident, django_capture_on_commit_callbacks, reply="確認しました")
    assert [m.to for m in mail.outbox] == [["dave@advisor.example.jp"]]


@pytest.mark.parametrize("reply", ["危険\x00です", "ベル\x07", "x" * 1001])
def test_hostile_reply_is_refused(bob_client, alice_client, org, reply, django_capture_on_commit_callbacks):
    incident = report(bob_client, org)
    mail.outbox.clear()
    response = close(alice_client, org, incident, django_capture_on_commit_callbacks, reply=reply)
    assert response.status_code == 200 and 'class="field has-error"' in response.content.decode()
    assert incident.status == "open" and not mail.outbox


def test_html_and_header_lookalikes_in_the_reply_are_plain_text(bob_client, alice_client, org,
                                                                django_capture_on_commit_callbacks):
    incident = report(bob_client, org)
    mail.outbox.clear()
    reply = "<script>alert('x')</script>\r\nBcc: everyone@evil.example\r\n<b>太字</b>"
    close(alice_client, org, incident, django_capture_on_commit_callbacks, reply=reply)
    page = bob_client.get(url("checks_my_report", org, incident.id)).content.decode()
    assert "<script>alert('x')</script>" not in page and "&lt;script&gt;" in page and "<b>太字</b>" not in page
    message = mail.outbox[0]
    parsed = message.message()
    assert parsed["Bcc"] is None and message.recipients() == ["bob@example.jp"]
    assert parsed.get_content_type() == "text/plain" and "<script>alert('x')</script>" in message.body


def test_reported_hostile_mail_never_renders_on_the_reporters_page(bob_client, org):
    bob_client.post(url("checks_report", org), {"kind": "mail", "content": base64.b64encode(MAIL_HOSTILE).decode()})
    incident = IncidentReport.objects.get()
    for page in (url("checks_my_reports", org), url("checks_my_report", org, incident.id)):
        html = bob_client.get(page).content.decode()
        for fragment in ("<script>alert('mail-script", "onerror=", "<iframe", 'href="javascript:'):
            assert fragment not in html


def test_links_to_my_reports(bob_client, org):
    home = bob_client.get(url("checks_home", org)).content.decode()
    assert url("checks_my_reports", org) in home
    checker = bob_client.get(url("checks_message", org)).content.decode()
    assert url("checks_my_reports", org) not in checker  # nothing reported yet
    report(bob_client, org)
    checker = bob_client.get(url("checks_message", org)).content.decode()
    assert url("checks_my_reports", org) in checker and "自分の報告（1件）" in checker
    dashboard = bob_client.get(reverse("dashboard", args=[org.id])).content.decode()
    assert url("checks_my_reports", org) in dashboard
    after = bob_client.post(url("checks_report", org), {"kind": "sms", "content": SMS_DANGER, "note": ""}, follow=True)
    assert "「自分の報告」で確認できます" in after.content.decode()


def test_empty_list_explains_how_to_report(bob_client, org):
    page = bob_client.get(url("checks_my_reports", org)).content.decode()
    assert "まだ報告はありません" in page and url("checks_message", org) in page


def test_english_pages(bob_client, org):
    bob_client.cookies["django_language"] = "en"
    report(bob_client, org)
    page = bob_client.get(url("checks_my_reports", org)).content.decode()
    assert "My reports" in page and "自分の報告" not in page and "1 waiting" in page
    detail = bob_client.get(url("checks_my_report", org, IncidentReport.objects.get().id)).content.decode()
    assert "What became of the report" in detail


def test_report_description_uses_tokyo_time(alice, org):
    import datetime as dt

    from sonae.checks.models import IncidentReport

    report = IncidentReport(org=org, kind=IncidentReport.Kind.SMS, reported_at=dt.datetime(2026, 11, 27, 2, 47, tzinfo=dt.UTC))
    assert str(report).endswith("2026-11-27 11:47")
