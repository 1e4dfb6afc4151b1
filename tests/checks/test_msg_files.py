"""Outlook .msg files: converted to RFC 5322 with extract-msg and checked like an .eml."""

from __future__ import annotations

import base64
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from msgwriter import build_msg
from sonae.checks.models import IncidentReport
from sonae.checks.msgfile import msg_to_eml
from sonae.engines.messages import MessageCheckError, check_mail

HEADERS = (
    "Received: from mail.amazon-jp.example.top (203.0.113.7) by mx.yokohama-seiko.co.jp\r\n"
    "Authentication-Results: mx.yokohama-seiko.co.jp; spf=fail smtp.mailfrom=amazon-jp.example.top; dmarc=fail\r\n"
    "From: Amazon.co.jp <account-update@amazon-jp.example.top>\r\nTo: keiri@yokohama-seiko.co.jp\r\n"
    "Subject: =?UTF-8?B?44CQ6YeN6KaB44CR44GK5pSv5omV44GE5pa55rOV44Gu56K66KqN?=\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n boundary=\"orig\"\r\n\r\n"
)
PHISH_MSG = build_msg(
    subject="【重要】お支払い方法の確認",
    headers=HEADERS,
    body="Amazonをご利用いただきありがとうございます。お支払い方法に問題があり、アカウントを一時停止しました。\r\n"
         "24時間以内にログインして情報を更新してください。\r\nhttps://amazon-jp.example.top/ap/signin\r\n",
    html="<html><body><script>alert('msg-script')</script><p>アカウントを一時停止しました。</p>"
         "<a href=\"https://amazon-jp.example.top/ap/signin\">Amazonにログイン</a><img src=x onerror=\"alert('msg-img')\"></body></html>",
    attachments=[("ご請求書.pdf.exe", b"MZ\x90\x00" + b"\x00" * 60)],
)


def test_msg_becomes_a_mail_the_engine_reads():
    report = check_mail(msg_to_eml(PHISH_MSG))
    assert report.verdict == "danger"
    assert report.from_address == "account-update@amazon-jp.example.top" and report.subject == "【重要】お支払い方法の確認"
    codes = {f.code for f in report.findings}
    assert {"brand_sender_mismatch", "double_extension", "auth_dmarc_fail"} <= codes
    assert [a.filename for a in report.attachments] == ["ご請求書.pdf.exe"]


def test_msg_without_transport_headers_uses_its_properties():
    draft = build_msg(subject="来週の打ち合わせ", headers="", body="来週火曜日14時からでお願いします。")
    report = check_mail(msg_to_eml(draft))
    assert report.subject == "来週の打ち合わせ" and report.verdict == "none"


@pytest.mark.parametrize("data", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 3000, PHISH_MSG[:1500], b"not an ole file"])
def test_broken_msg_is_a_clear_error(data):
    with pytest.raises(MessageCheckError) as error:
        msg_to_eml(data)
    assert ".msg" in error.value.message_ja


def test_msg_upload_on_the_page_and_report(bob_client, org):
    html = bob_client.post(reverse("checks_message", args=[org.id]),
                           {"kind": "mail", "file": SimpleUploadedFile("お支払い.msg", PHISH_MSG, content_type="application/vnd.ms-outlook")}).content.decode()
    assert '<p class="verdict-label">危険</p>' in html and "ご請求書.pdf.exe" in html
    assert "<script>alert('msg-script')" not in html and "onerror=" not in html
    content = re.search(r'name="content" value="([^"]*)"', html).group(1)
    assert base64.b64decode(content).startswith(b"Received:")  # the report carries the converted .eml
    bob_client.post(reverse("checks_report", args=[org.id]), {"kind": "mail", "content": content})
    assert IncidentReport.objects.get().kind == "mail"


def test_msg_through_the_api(bob_client, client, org):
    token = re.search(r'value="(sonae_[^"]+)"', bob_client.post(f"/o/{org.id}/api-tokens/", {"name": "t"}).content.decode()).group(1)
    response = client.post("/api/checks/mail", {"file": SimpleUploadedFile("x.msg", PHISH_MSG)}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["verdict"] == "danger"
