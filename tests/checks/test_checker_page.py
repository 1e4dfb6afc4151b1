"""The message checker page: SMS, URL and .eml checks, the evidence underlined, hostile and bad input."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messages import (
    MAIL_CARD_PHISH,
    MAIL_HOSTILE,
    MAIL_PLAIN,
    OWN_DOMAIN,
    SMS_CAUTION,
    SMS_DANGER,
    SMS_NONE,
    URL_LOOKALIKE_OWN,
    URL_OFFICIAL,
)
from sonae.checks.models import IncidentReport, TrustedDomain
from sonae.orgs.models import AuditEntry

VERDICT_RE = re.compile(r'<p class="verdict-label">([^<]+)</p>')


def checker(org):
    return reverse("checks_message", args=[org.id])


def verdict_of(html: str) -> str:
    match = VERDICT_RE.search(html)
    return match.group(1) if match else ""


def post_mail(client, org, data: bytes, name: str = "message.eml"):
    return client.post(checker(org), {"kind": "mail", "file": SimpleUploadedFile(name, data, content_type="message/rfc822")})


def test_landing_offers_both_checkers(bob_client, org):
    html = bob_client.get(reverse("checks_home", args=[org.id])).content.decode()
    assert "偽メール・偽SMS・偽サイトの確認" in html and reverse("checks_message", args=[org.id]) in html
    assert reverse("aicheck_home", args=[org.id]) in html
    assert reverse("checks_inbox", args=[org.id]) not in html  # a viewer has no inbox link


def test_viewer_checks_sms_danger_with_reasons_underlined(bob_client, org):
    response = bob_client.post(checker(org), {"kind": "sms", "text": SMS_DANGER})
    assert response.status_code == 200
    html = response.content.decode()
    assert verdict_of(html) == "危険"
    # The claimed brand and the link are underlined in the shown text, numbered like the reasons.
    assert re.search(r'<mark class="ev ev-high">ヤマト運輸<sup>\d', html)
    assert re.search(r'<mark class="ev ev-high">https://yamato-kuroneko\.top/delivery\?id=8812<sup>', html)
    assert "公式ドメインではありません" in html and "公式アプリやブックマーク" in html
    assert 'href="https://yamato-kuroneko.top' not in html  # links are text, never clickable
    assert "周りに相談・報告する" in html
    assert not IncidentReport.objects.exists()  # a check stores nothing


def test_caution_and_none_verdicts_never_say_safe(bob_client, org):
    html = bob_client.post(checker(org), {"kind": "sms", "text": SMS_CAUTION}).content.decode()
    assert verdict_of(html) == "注意" and "短縮URL" in html
    html = bob_client.post(checker(org), {"kind": "sms", "text": SMS_NONE}).content.decode()
    assert verdict_of(html) == "問題は見つかりませんでした"
    assert "安全です" not in html and "安全を保証するものではありません" in html


def test_url_tab_uses_the_organisations_own_domains(alice_client, alice, org):
    html = alice_client.post(checker(org), {"kind": "url", "url": URL_LOOKALIKE_OWN}).content.decode()
    assert verdict_of(html) != "危険" or "自社" not in html
    TrustedDomain.objects.create(org=org, domain=OWN_DOMAIN, kind="own", created_by=alice)
    html = alice_client.post(checker(org), {"kind": "url", "url": URL_LOOKALIKE_OWN}).content.decode()
    assert verdict_of(html) == "危険" and OWN_DOMAIN in html
    html = alice_client.post(checker(org), {"kind": "url", "url": URL_OFFICIAL}).content.decode()
    assert verdict_of(html) == "問題は見つかりませんでした"


def test_eml_upload_shows_sanitised_text_and_header_findings(bob_client, org):
    html = post_mail(bob_client, org, MAIL_CARD_PHISH).content.decode()
    assert verdict_of(html) == "危険"
    assert "info@smbc-card-support.example.xyz" in html and "【三井住友カード】ご利用確認のお願い" in html
    assert "dmarc=fail" in html  # a header finding shows its evidence beside the reason
    assert 'href="https://smbc-card-support' not in html
    assert not IncidentReport.objects.exists()


def test_hostile_html_mail_is_never_rendered(bob_client, org):
    html = post_mail(bob_client, org, MAIL_HOSTILE).content.decode()
    assert verdict_of(html)
    assert "mail-script" in html  # the text is shown ...
    for fragment in ("<script>alert('mail-script", "<script>alert(&#x27;mail-script", "onerror=", "<iframe", "<svg onload",
                     'href="javascript:'):
        assert fragment not in html  # ... but nothing of the mail's HTML runs or renders
    assert "&lt;script&gt;alert(&#x27;mail-script-4&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize("text,message", [("", "本文を入力してください"), ("   \n ", "本文が空です"),
                                          ("\x00\x01\x02\x03" * 100, "文字として読めない"), ("あ" * 20_001, "長すぎます")])
def test_bad_sms_input_gets_a_clear_message(bob_client, org, text, message):
    response = bob_client.post(checker(org), {"kind": "sms", "text": text})
    assert response.status_code == 200 and message in response.content.decode()
    assert "verdict-label" not in response.content.decode() and not IncidentReport.objects.exists()


@pytest.mark.parametrize("url,message", [("", "URLを入力してください"), ("x" * 9000, "長すぎます")])
def test_bad_url_input_gets_a_clear_message(bob_client, org, url, message):
    html = bob_client.post(checker(org), {"kind": "url", "url": url}).content.decode()
    assert message in html and "verdict-label" not in html


@pytest.mark.parametrize("data,name,message", [
    (b"", "empty.eml", "ファイルが空です"),
    (bytes(range(256)) * 40, "junk.eml", "メール（.eml）として読み取れませんでした"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "broken.msg", ".msg"),
    (b"MZ\x90\x00" + b"\x00" * 100, "invoice.exe", ".eml または .msg"),
])
def test_bad_mail_upload_gets_a_clear_message(bob_client, org, data, name, message):
    response = post_mail(bob_client, org, data, name)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "verdict-label" not in html
    assert not IncidentReport.objects.exists()


def test_upload_over_the_limit_is_refused_while_streaming(bob_client, org, settings):
    # The cap is configurable; a 64 KB cap proves the limit without allocating 100 MB in a test.
    settings.SONAE_CHECKS_MAX_UPLOAD_BYTES = 64 * 1024
    padding = b"x" * 70 * 1024
    big = MAIL_PLAIN + padding
    html = post_mail(bob_client, org, big).content.decode()
    assert "ファイルが大きすぎます" in html and "verdict-label" not in html
    under = MAIL_PLAIN + b"y" * 1024
    assert verdict_of(post_mail(bob_client, org, under).content.decode()) == "問題は見つかりませんでした"
    assert not IncidentReport.objects.exists()


def test_checks_are_not_audited_or_stored(bob_client, org):
    before = AuditEntry.objects.count()
    bob_client.post(checker(org), {"kind": "sms", "text": SMS_DANGER})
    post_mail(bob_client, org, MAIL_CARD_PHISH)
    assert AuditEntry.objects.count() == before and not IncidentReport.objects.exists()


def test_outsider_gets_404(charlie_client, org):
    assert charlie_client.get(checker(org)).status_code == 404
    assert charlie_client.post(checker(org), {"kind": "sms", "text": SMS_DANGER}).status_code == 404


def test_tabs_and_unknown_tab(bob_client, org):
    assert 'name="url"' in bob_client.get(checker(org) + "?tab=url").content.decode()
    assert 'type="file"' in bob_client.get(checker(org) + "?tab=mail").content.decode()
    assert 'name="text"' in bob_client.get(checker(org) + "?tab=<script>").content.decode()


def test_a_sentence_on_the_url_tab_is_not_a_url(bob_client, org):
    html = bob_client.post(checker(org), {"kind": "url", "url": "至急ご確認ください。アカウントが停止されました。"}).content.decode()
    assert "URLとして読み取れませんでした" in html and "verdict-label" not in html
