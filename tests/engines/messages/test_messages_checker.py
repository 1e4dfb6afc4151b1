"""The checker's verdicts and findings on messages written for these tests (no eval data needed)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from sonae.engines.messages import (
    MessageCheckError,
    MessageContext,
    Report,
    check_mail,
    check_sms,
    check_url,
)


def codes(report: Report) -> set[str]:
    return {finding.code for finding in report.findings}


# --- legitimate messages: official domains, no danger --------------------------------------------------

@pytest.mark.parametrize(
    "name",
    ["legit_smbc_card_statement.eml", "legit_yamato_delivery.eml", "legit_amazon_order.eml", "legit_partner_invoice.eml"],
)
def test_legitimate_mail_is_not_danger(fixture_bytes, name):
    report = check_mail(fixture_bytes(name))
    assert report.verdict == "none", [(f.code, f.evidence) for f in report.findings]


@pytest.mark.parametrize(
    "text",
    [
        "【ヤマト運輸】お荷物のお届け予定：11月28日 午前中。日時変更 https://www.kuronekoyamato.co.jp/ytc/customer/",
        "三井住友カード：認証コードは 482913 です。このコードを他人に教えないでください。",
        "【三井住友カード】11月のご利用明細が確定しました。Vpassでご確認ください https://www.smbc-card.com/mem/index.jsp",
        "【楽天カード】ご利用速報：楽天e-NAVIで確認 https://www.rakuten-card.co.jp/e-navi/",
        "明日の打ち合わせは10時からでお願いします。",
    ],
)
def test_legitimate_sms_is_not_danger(text):
    assert check_sms(text).verdict == "none"


def test_official_url_is_not_flagged():
    report = check_url("https://www.amazon.co.jp/gp/css/order-history")
    assert report.verdict == "none"
    assert codes(report) == {"official_domain"}


# --- the decisive rule: brand claimed, links or sender elsewhere ----------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "【三井住友カード】ご利用確認のお願い。 https://vjs-check.example.com/login",
        "Apple IDがロックされました。こちらから確認 https://support-id.example.net/",
        "softbankです。ご利用料金が未納です https://pay-info.example.org/",
        "[えきねっと] 会員情報の更新をお願いします。 https://bit.ly/3abcde",
        "【ヤマト運輸】お荷物をお届けにあがりましたが不在のため持ち帰りました https://b61b5c8e.oqysqhp.sbs/",
    ],
)
def test_brand_claim_with_foreign_link_is_danger(text):
    report = check_sms(text)
    assert report.verdict == "danger"
    assert "brand_link_mismatch" in codes(report)


def test_phishing_mail_fixture(fixture_bytes):
    report = check_mail(fixture_bytes("phish_smbc_card.eml"))
    assert report.verdict == "danger"
    found = codes(report)
    assert {"brand_link_mismatch", "link_text_mismatch_brand", "auth_dmarc_fail", "reply_to_freemail"} <= found
    # Only the top-most Authentication-Results counts: the forged "pass" below it is ignored.
    assert "auth_pass" not in found
    assert report.subject.startswith("【重要】")


def test_enclosed_letters_do_not_hide_the_host(fixture_bytes):
    report = check_mail(fixture_bytes("phish_amazon_enclosed.eml"))
    assert report.verdict == "danger"
    assert any(link.host == "amazon-account.ztrqk.com" for link in report.links)


def test_display_name_brand_with_other_sender(make_mail):
    raw = make_mail(from_name="Amazon.co.jp", from_address="notice@mail-amzn-support.example.com",
                    subject="Amazon ご注文の確認", body="ご注文ありがとうございます。")
    report = check_mail(raw)
    assert report.verdict == "danger"
    assert "brand_sender_mismatch" in codes(report)


def test_freemail_sender_with_brand_name(make_mail):
    report = check_mail(make_mail(from_name="みずほ銀行", from_address="mizuho.support@gmail.com"))
    assert "sender_freemail_brand" in codes(report)


def test_brand_mentioned_in_passing_is_not_a_claim(make_mail):
    body = "山田工務店です。見学会のご案内です。\nhttps://yamada-koumuten.jp/event\n当店は楽天市場やAmazonにも出店しています。"
    report = check_mail(make_mail(from_name="山田工務店", from_address="info@yamada-koumuten.jp",
                                  subject="現場見学会のご案内", body=body))
    assert report.verdict == "none"


# --- URL shapes ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.amazon.co.jp@evil.example.com/", "userinfo_trick"),
        ("http://203.0.113.5/vf.php", "ip_host"),
        ("https://amazon.co.jp.ama2on.mobi/", "brand_domain_in_subdomain"),
        ("https://www.anazom.co.jp.wukruo.shop/a3", "lookalike_brand_domain"),
        ("https://secure.company.co.jp.cdn.example.net/", "domain_in_subdomain"),
        ("https://smbc-card-jp.example.com/", "brand_in_host"),
        ("https://аmazon.co.jp/", "mixed_script_host"),
        ("https://amaz0n.co.jp/", "brand_in_host"),
        ("https://xn--mazon-3ve.co.jp/", "mixed_script_host"),
        ("https://secure-login.duckdns.org/", "dynamic_dns"),
        ("https://bdjnw.cn/jk", "suspicious_tld"),
        ("https://cutt.ly/abc", "shortener"),
        ("https://example-com.translate.goog/login", "proxy_link"),
        ("https://sites.google.com/view/amazon-login", "free_hosting"),
    ],
)
def test_url_signals(url, code):
    report = check_url(url)
    assert code in codes(report)
    assert report.verdict in ("danger", "caution")


def test_own_and_trusted_domain_lookalikes():
    context = MessageContext(own_domains=("company.co.jp",), trusted_domains=("partner-shoji.co.jp",))
    assert "lookalike_own_domain" in codes(check_url("https://cornpany.co.jp/invoice", context))
    assert "lookalike_trusted_domain" in codes(check_url("https://partner-shouji.co.jp/", context))
    assert "lookalike_own_domain" in codes(check_url("https://company.co.jp.example.top/", context))
    assert check_url("https://www.company.co.jp/", context).verdict == "none"
    # A dict works as well as the dataclass.
    assert "lookalike_own_domain" in codes(check_url("https://cornpany.co.jp/", {"own_domains": ["company.co.jp"]}))


def test_own_domain_spoof_with_failed_authentication(make_mail):
    raw = make_mail(from_name="社長", from_address="ceo@company.co.jp", subject="至急の振込依頼",
                    headers=["Authentication-Results: mx.company.co.jp; spf=fail; dkim=none; dmarc=fail header.from=company.co.jp"])
    report = check_mail(raw, {"own_domains": ["company.co.jp"]})
    assert report.verdict == "danger"
    assert "own_domain_spoof" in codes(report)


def test_authentication_pass_never_means_safe(make_mail):
    raw = make_mail(headers=["Authentication-Results: mx.example.co.jp; spf=pass; dkim=pass; dmarc=pass"])
    report = check_mail(raw)
    assert "auth_pass" in codes(report)
    assert report.verdict == "none"
    assert "安全" not in report.verdict_ja


# --- wording -------------------------------------------------------------------------------------------

def test_support_scam_and_remote_tool():
    text = "【警告】お使いのWindowsがウイルスに感染しました。至急マイクロソフトサポート 050-1234-5678 へ電話し、AnyDeskをインストールしてください。"
    report = check_sms(text)
    assert report.verdict == "danger"
    assert {"support_scam", "remote_tool"} <= codes(report)


def test_gift_card_payment_request():
    report = check_sms("未納料金があります。コンビニでApple Gift Cardを5万円分購入し、番号を送ってください。")
    assert "payment_request" in codes(report)
    assert report.verdict in ("caution", "danger")


def test_spans_point_at_the_evidence():
    text = "【三井住友カード】ご利用確認 https://vjs-check.example.com/login"
    report = check_sms(text)
    for finding in report.findings:
        if finding.span and finding.location == "text":
            start, end = finding.span
            assert 0 <= start < end <= len(text)
    link = report.links[0]
    assert text[link.span[0]: link.span[1]] == "https://vjs-check.example.com/login"


# --- attachments ---------------------------------------------------------------------------------------

def _zip(names: list[str], encrypted: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"data")
    data = bytearray(buffer.getvalue())
    if encrypted:  # set the "encrypted" flag bit in every header, as a password-protected zip has
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (start := data.find(signature, start)) != -1:
                data[start + offset] |= 0x01
                start += 4
    return bytes(data)


@pytest.mark.parametrize(
    ("filename", "payload", "code"),
    [
        ("請求書.exe", b"MZ", "dangerous_attachment"),
        ("invoice.pdf.exe", b"MZ", "double_extension"),
        ("shortcut.lnk", b"L", "dangerous_attachment"),
        ("document.iso", b"CD001", "disk_image_attachment"),
        ("login.html", b"<form>", "html_attachment"),
        ("見積書.xlsm", b"PK", "macro_document"),
        ("archive.zip", _zip(["a/b/setup.exe"]), "dangerous_attachment"),
    ],
)
def test_dangerous_attachments(make_mail, filename, payload, code):
    report = check_mail(make_mail(attachments=[(filename, payload)]))
    assert code in codes(report)


def test_encrypted_zip_with_password_in_body(make_mail):
    raw = make_mail(body="請求書を送付します。解凍パスワードは別途お送りします。パスワード: abc123",
                    attachments=[("請求書.zip", _zip(["請求書.doc"], encrypted=True))])
    report = check_mail(raw)
    assert report.verdict == "danger"
    assert "encrypted_archive_password_in_body" in codes(report)
    assert report.attachments[0].inner_names == ["請求書.doc"]


# --- bad input -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"\x00\x01\x02\xff" * 100, bytes(range(256)) * 10])
def test_unusable_mail_input(raw):
    with pytest.raises(MessageCheckError) as caught:
        check_mail(raw)
    assert caught.value.message_ja and caught.value.message_en


def test_hundred_megabytes_is_refused_quickly():
    raw = b"Subject: x\r\n\r\n" + b"a" * (100 * 1024 * 1024)
    with pytest.raises(MessageCheckError) as caught:
        check_mail(raw)
    assert caught.value.code == "too_large"


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02\x03" * 50, "あ" * 30_000])
def test_unusable_sms_input(text):
    with pytest.raises(MessageCheckError):
        check_sms(text)


@pytest.mark.parametrize("url", ["", "  ", "x" * 10_000, "javascript:alert(1)\x00"])
def test_unusable_url_input(url):
    with pytest.raises(MessageCheckError):
        check_url(url)


def test_wrong_types_are_refused():
    with pytest.raises(MessageCheckError):
        check_sms(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(MessageCheckError):
        check_url(123)  # type: ignore[arg-type]
    with pytest.raises(MessageCheckError):
        check_mail(12345)  # type: ignore[arg-type]


def test_ten_thousand_links_are_bounded(make_mail):
    body = "\n".join(f'<a href="https://host{i}.example.com/p">リンク{i}</a>' for i in range(10_000))
    report = check_mail(make_mail(body=body, html=True))
    assert len(report.links) <= 300
    assert "many_links" in codes(report)


def test_hostile_html_is_never_rendered(make_mail):
    body = ("<script>alert('x')</script><p onclick=alert(1)>本文</p><a href=\"javascript:alert(1)\">ここ</a>"
            "<iframe src='https://evil.example.com'></iframe><form action='https://evil.example.com/'><input name=pw></form>")
    report = check_mail(make_mail(body=body, html=True))
    assert "<" not in report.text and "alert" not in report.text
    assert {"script_link", "form_in_mail"} <= codes(report)


def test_report_is_json_ready(fixture_bytes):
    data = check_mail(fixture_bytes("phish_smbc_card.eml")).to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert data["verdict"] == "danger" and data["verdict_ja"] == "危険"
    for finding in data["findings"]:
        assert {"code", "severity", "message_ja", "message_en", "advice_ja", "advice_en", "evidence", "span"} <= set(finding)
    assert "安全です" not in text


def test_no_message_ever_says_safe():
    from sonae.engines.messages.report import VERDICT_ADVICE, VERDICT_LABEL
    from sonae.engines.messages.texts import TEXTS

    for label in VERDICT_LABEL.values():
        assert "安全" not in label["ja"]
    for text in TEXTS.values():
        assert "安全です" not in text.ja
    assert all("安全です" not in line for advice in VERDICT_ADVICE.values() for line in advice["ja"])
