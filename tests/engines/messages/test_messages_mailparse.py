"""Parsing real-world mail defensively: Japanese charsets, broken headers, hostile structure."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sonae.engines.messages.htmltext import html_to_text
from sonae.engines.messages.mailparse import MAX_PARTS, decode_bytes, parse_mail


def test_iso_2022_jp_plain_text(fixture_bytes):
    mail = parse_mail(fixture_bytes("legit_smbc_card_statement.eml"))
    assert mail.subject == "【三井住友カード】ご利用代金明細確定のお知らせ"
    assert mail.from_name == "三井住友カード"
    assert mail.from_address == "statement@contact.vpass.ne.jp"
    assert "Vpassにログイン" in mail.text


def test_shift_jis_quoted_printable_multipart(fixture_bytes):
    mail = parse_mail(fixture_bytes("legit_amazon_order.eml"))
    assert "コピー用紙" in mail.text and "￥3,480" in mail.text


def test_euc_jp_with_pdf_attachment(fixture_bytes):
    mail = parse_mail(fixture_bytes("legit_partner_invoice.eml"))
    assert "請求書をお送りします" in mail.text
    assert [a.filename for a in mail.attachments] == ["invoice-2025-11.pdf"]


def test_html_body_gives_text_and_links_never_markup(fixture_bytes):
    mail = parse_mail(fixture_bytes("phish_smbc_card.eml"))
    assert "<" not in mail.text and "document.location" not in mail.text
    assert mail.scripts == 1
    anchor = mail.anchors[0]
    assert anchor.href == "https://smbc-card.secure-check.cn/vpass/login"
    assert anchor.text == "https://www.smbc-card.com/mem/index.jsp"
    assert mail.text[anchor.start: anchor.end] == anchor.text


def test_reply_to_that_breaks_policy_default(fixture_bytes):
    mail = parse_mail(fixture_bytes("broken_reply_to.eml"))
    assert mail.reply_to_address == "noreply@event.eventbrite.com"
    assert mail.subject == "お知らせ"


def test_raw_8bit_utf8_header_is_decoded():
    raw = "Subject: カード利用のお知らせ\r\nFrom: a@example.com\r\n\r\nbody\r\n".encode()
    assert parse_mail(raw).subject == "カード利用のお知らせ"


def test_nec_extension_characters_in_iso_2022_jp():
    # ① and ㈱ are NEC row-13 characters that plain iso-2022-jp cannot decode.
    # As Japanese mailers write it (CP50220): ESC $ B, NEC row 13, ESC ( B.
    data = b"\x1b$B-!-j%F%9%H\x1b(B"
    assert decode_bytes(data, "iso-2022-jp") == "①㈱テスト"


def test_unknown_charset_falls_back():
    assert decode_bytes("テスト".encode("cp932"), "x-no-such-charset") == "テスト"


def test_ten_thousand_parts_are_bounded():
    boundary = "b"
    parts = "".join(f"--{boundary}\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n" for i in range(10_000))
    raw = f"From: a@example.com\r\nContent-Type: multipart/mixed; boundary={boundary}\r\n\r\n{parts}--{boundary}--\r\n"
    mail = parse_mail(raw.encode())
    assert mail.truncated
    assert mail.parts <= MAX_PARTS + 1


def test_deeply_nested_multipart_does_not_recurse():
    depth = 3000
    head = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n" for i in range(depth))
    raw = "From: a@example.com\r\n" + head + "Content-Type: text/plain\r\n\r\nhi\r\n"
    mail = parse_mail(raw.encode())
    assert mail.parts >= 1


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("invoice.pdf", "w", force_zip64=True) as handle:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):  # 200 MB of zeros, a few hundred KB compressed
                handle.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_is_listed_never_decompressed(monkeypatch, make_mail):
    bomb = _zip_bomb()
    assert len(bomb) < 2_000_000

    def refuse(*args, **kwargs):
        raise AssertionError("an attachment was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", refuse)
    mail = parse_mail(make_mail(attachments=[("bomb.zip", bomb)]))
    assert mail.attachments[0].zip_names == ["invoice.pdf"]


def test_hostile_html():
    html = (
        "<script>alert(1)</script><style>*{}</style><iframe src=x></iframe><!-- comment -->"
        "<a href='javascript:alert(1)'>click</a><img src=x onerror=alert(1)><p>本文</p>"
        "<a href=\"https://x.example.com\">" + "<b>" * 5000 + "deep" + "</b>" * 5000 + "</a>"
        "<div>&lt;script&gt;</div><a href=unclosed"
    )
    content = html_to_text(html)
    assert "alert" not in content.text and "*{}" not in content.text
    assert "本文" in content.text and "deep" in content.text
    assert any(a.href.startswith("javascript:") for a in content.anchors)


def test_html_size_is_bounded():
    content = html_to_text("<p>" + "あ" * 3_000_000)
    assert content.truncated


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_parse_mail_never_raises_on_bytes(raw):
    parse_mail(raw)


_header_names = st.sampled_from(["From", "Reply-To", "Subject", "Content-Type", "Content-Transfer-Encoding",
                                 "Authentication-Results", "To", "Content-Disposition", "X-Junk"])
_header_values = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_header_names, _header_values), max_size=12), st.text(max_size=500))
def test_parse_mail_never_raises_on_odd_headers(headers, body):
    head = "".join(f"{name}: {value.replace(chr(13), ' ').replace(chr(10), ' ')}\r\n" for name, value in headers)
    parse_mail((head + "\r\n" + body).encode("utf-8", errors="surrogatepass"))
