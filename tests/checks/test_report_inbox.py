"""周りに相談・報告する and the incident inbox: any member reports, owners and editors read and close."""

from __future__ import annotations

import base64
import re

from django.core import mail as outbox
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messages import MAIL_CARD_PHISH, MAIL_HOSTILE, SMS_DANGER, SMS_NONE
from sonae.checks.models import IncidentReport
from sonae.checks.uploads import CappedUploadHandler
from sonae.orgs.choices import Role
from sonae.orgs.models import AuditEntry, Membership


def url(name, org, *args):
    return reverse(name, args=[org.id, *args])


def report_sms(client, org, text=SMS_DANGER, note="リンクは開いていません"):
    return client.post(url("checks_report", org), {"kind": "sms", "content": text, "note": note})


def test_viewer_reports_an_sms_and_owners_are_told(bob_client, org, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = report_sms(bob_client, org)
    assert response.status_code == 302 and response["Location"].startswith(url("checks_message", org))
    incident = IncidentReport.objects.get()
    assert (incident.org, incident.reported_by, incident.kind, incident.verdict) == (org, bob, "sms", "danger")
    assert incident.text == SMS_DANGER and incident.note == "リンクは開いていません" and incident.status == "open"
    assert any(f["code"] == "brand_link_mismatch" and f["span"] for f in incident.findings)
    assert AuditEntry.objects.filter(object_type="incidentreport", action="create").exists()
    assert len(outbox.outbox) == 1 and outbox.outbox[0].to == ["alice@example.jp"]
    assert "危険" in outbox.outbox[0].subject and SMS_DANGER not in outbox.outbox[0].body


def test_report_button_carries_the_checked_mail(bob_client, org):
    html = bob_client.post(url("checks_message", org), {"kind": "mail", "file": SimpleUploadedFile("m.eml", MAIL_CARD_PHISH)}).content.decode()
    content = re.search(r'name="content" value="([^"]*)"', html).group(1)
    assert base64.b64decode(content) == MAIL_CARD_PHISH
    bob_client.post(url("checks_report", org), {"kind": "mail", "content": content, "note": ""})
    incident = IncidentReport.objects.get()
    assert incident.kind == "mail" and incident.verdict == "danger" and incident.mail_size == len(MAIL_CARD_PHISH)
    assert incident.mail_file.name.endswith(".eml") and "m.eml" not in incident.mail_file.name
    with incident.mail_file.open("rb") as handle:
        assert handle.read() == MAIL_CARD_PHISH
    assert incident.subject == "【三井住友カード】ご利用確認のお願い"


def test_bad_report_content_is_refused_and_nothing_stored(bob_client, org):
    for data in ({"kind": "mail", "content": "not base64!!"}, {"kind": "mail", "content": ""}, {"kind": "sms", "content": ""},
                 {"kind": "sms", "content": "\x01\x02" * 200}, {"kind": "nope", "content": "x"},
                 {"kind": "mail", "content": base64.b64encode(b"\x00\xff" * 100).decode()}):
        response = bob_client.post(url("checks_report", org), data, follow=True)
        assert response.status_code == 200
        assert "msg-error" in response.content.decode(), data
    assert not IncidentReport.objects.exists()


def test_viewer_cannot_see_the_inbox_or_close(bob_client, alice, org):
    report_sms(bob_client, org)
    incident = IncidentReport.objects.get()
    assert bob_client.get(url("checks_inbox", org)).status_code == 403
    assert bob_client.get(url("checks_incident", org, incident.id)).status_code == 403
    assert bob_client.post(url("checks_incident", org, incident.id), {"owner_note": "x"}).status_code == 403
    assert bob_client.get(url("checks_incident_mail", org, incident.id)).status_code == 403
    incident.refresh_from_db()
    assert incident.status == "open"


def test_owner_reads_and_closes_with_a_note(bob_client, alice_client, alice, org):
    report_sms(bob_client, org)
    incident = IncidentReport.objects.get()
    inbox = alice_client.get(url("checks_inbox", org)).content.decode()
    assert url("checks_incident", org, incident.id) in inbox and "bob@example.jp" in inbox and "危険" in inbox
    page = alice_client.get(url("checks_incident", org, incident.id)).content.decode()
    assert '<mark class="ev ev-high">ヤマト運輸' in page and "リンクは開いていません" in page
    response = alice_client.post(url("checks_incident", org, incident.id), {"owner_note": "本人に確認。入力なし。削除を指示。"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_by == alice and incident.closed_at and "削除を指示" in incident.owner_note
    assert "未対応の報告はありません" in alice_client.get(url("checks_inbox", org)).content.decode()
    alice_client.post(url("checks_incident", org, incident.id), {"action": "reopen"})
    incident.refresh_from_db()
    assert incident.status == "open" and incident.closed_by is None


def test_editor_sees_the_inbox(bob_client, bob, org):
    report_sms(bob_client, org)
    Membership.objects.filter(user=bob, org=org).update(role=Role.EDITOR)
    assert bob_client.get(url("checks_inbox", org)).status_code == 200


def test_reported_hostile_mail_never_renders(bob_client, alice_client, org):
    bob_client.post(url("checks_report", org), {"kind": "mail", "content": base64.b64encode(MAIL_HOSTILE).decode()})
    incident = IncidentReport.objects.get()
    for page in (url("checks_inbox", org), url("checks_incident", org, incident.id)):
        html = alice_client.get(page).content.decode()
        for fragment in ("<script>alert('mail-script", "onerror=", "<iframe", 'href="javascript:'):
            assert fragment not in html
    download = alice_client.get(url("checks_incident_mail", org, incident.id))
    assert download["Content-Type"] == "application/octet-stream" and "attachment" in download["Content-Disposition"]
    assert b"".join(download) == MAIL_HOSTILE


def test_outsider_cannot_report_or_read(charlie_client, bob_client, org):
    assert charlie_client.post(url("checks_report", org), {"kind": "sms", "content": SMS_DANGER}).status_code == 404
    report_sms(bob_client, org)
    incident = IncidentReport.objects.get()
    assert charlie_client.get(url("checks_incident", org, incident.id)).status_code == 404


def test_another_organisations_incident_is_404(charlie_client, charlie, other_org, bob_client, org):
    report_sms(bob_client, org)
    incident = IncidentReport.objects.get()
    assert charlie_client.get(url("checks_incident", other_org, incident.id)).status_code == 404


def test_dashboard_panel(bob_client, alice_client, org):
    report_sms(bob_client, org, text=SMS_NONE)
    assert "未対応の報告 1件" in alice_client.get(reverse("dashboard", args=[org.id])).content.decode()
    viewer_html = bob_client.get(reverse("dashboard", args=[org.id])).content.decode()
    assert url("checks_message", org) in viewer_html and "未対応の報告" not in viewer_html


def test_capped_upload_handler_stops_the_stream(rf, settings):
    settings.SONAE_CHECKS_MAX_UPLOAD_BYTES = 1024
    request = rf.post("/x", {"kind": "mail", "file": SimpleUploadedFile("a.eml", b"a" * 5000)})
    request.upload_handlers.insert(0, CappedUploadHandler(request))
    assert "file" not in request.FILES and request.POST["kind"] == "mail"
    assert request.sonae_upload_too_large is True


def test_report_with_a_nul_character_is_stored(bob_client, alice_client, org):
    # PostgreSQL refuses NUL in text and JSON; a pasted SMS can carry one.
    report_sms(bob_client, org, text="お荷物\x00をお届けできませんでした https://bit.ly/3xYzAbc", note="メモ\x00")
    incident = IncidentReport.objects.get()
    assert "\x00" not in incident.text and "\x00" not in incident.note
    assert alice_client.get(url("checks_incident", org, incident.id)).status_code == 200
