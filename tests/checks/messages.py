"""Realistic test messages written for these tests (our own wording; no real phishing data copied)."""

from __future__ import annotations

import base64

SMS_DANGER = (
    "【ヤマト運輸】お荷物のお届けにあがりましたが不在の為持ち帰りました。"
    "配送物は下記よりご確認ください。 https://yamato-kuroneko.top/delivery?id=8812"
)
SMS_CAUTION = "【重要】お支払いの期限は本日中です。詳細は https://bit.ly/3xYzAbc をご確認ください。"
SMS_NONE = "明日の打ち合わせは10時から第2会議室です。資料は印刷して持っていきます。"
URL_OFFICIAL = "https://www.amazon.co.jp/gp/css/order-history"
URL_LOOKALIKE_OWN = "https://www.yokohama-seik0.co.jp/login"
OWN_DOMAIN = "yokohama-seiko.co.jp"


def mail(*, subject: str, sender: str, body: str, html: str | None = None, extra_headers: str = "") -> bytes:
    """A small RFC 5322 mail in UTF-8 (base64 bodies, as Japanese mail clients send)."""
    headers = (
        f"From: {sender}\r\nTo: keiri@yokohama-seiko.co.jp\r\nSubject: =?UTF-8?B?{base64.b64encode(subject.encode()).decode()}?=\r\n"
        "Date: Tue, 12 May 2026 09:14:03 +0900\r\nMessage-ID: <20260512091403.1@mail.example>\r\nMIME-Version: 1.0\r\n"
        + extra_headers
    )
    text_part = base64.b64encode(body.encode()).decode()
    if html is None:
        return (headers + f"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{text_part}\r\n").encode()
    html_part = base64.b64encode(html.encode()).decode()
    return (
        headers + 'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
        f"--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{text_part}\r\n"
        f"--b1\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{html_part}\r\n--b1--\r\n"
    ).encode()


MAIL_CARD_PHISH = mail(
    subject="【三井住友カード】ご利用確認のお願い",
    sender="三井住友カード <info@smbc-card-support.example.xyz>",
    body="いつも三井住友カードをご利用いただきありがとうございます。\nお客様のカードに不正利用の可能性があるため、ご利用を一時制限しております。\n"
         "24時間以内に下記よりログインし、本人確認を行ってください。\nhttps://smbc-card-support.example.xyz/login\n",
    html="<html><body><p>いつも三井住友カードをご利用いただきありがとうございます。</p>"
         "<p>24時間以内に<a href=\"https://smbc-card-support.example.xyz/login\">https://www.smbc-card.com/mem/</a>からログインし、本人確認を行ってください。</p>"
         "</body></html>",
    extra_headers="Authentication-Results: mx.yokohama-seiko.co.jp; spf=fail smtp.mailfrom=example.xyz; dkim=none; dmarc=fail\r\n",
)

MAIL_HOSTILE = mail(
    subject="請求書の件",
    sender="経理部 <keiri@partner-shoji.example.jp>",
    body="請求書をお送りします。",
    html="<html><head><script>alert('mail-script-1')</script><style>body{}</style></head><body>"
         "<p>請求書をお送りします。</p><img src=x onerror=\"alert('mail-script-2')\">"
         "<iframe src=\"https://evil.example.top/frame\"></iframe>"
         "<a href=\"javascript:alert('mail-script-3')\">請求書を開く</a>"
         "<p>&lt;script&gt;alert('mail-script-4')&lt;/script&gt;</p>"
         "<svg onload=\"alert('mail-script-5')\"></svg></body></html>",
)

MAIL_PLAIN = mail(
    subject="来週の打ち合わせについて",
    sender="佐藤 <sato@partner-shoji.example.jp>",
    body="お世話になっております。来週火曜日の打ち合わせは14時からでお願いいたします。\n",
)
