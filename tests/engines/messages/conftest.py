"""Helpers for the message-checker tests: fixture files and a small mail builder."""

from __future__ import annotations

import base64
from email.header import Header
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def build_mail(
    *,
    from_name: str = "差出人",
    from_address: str = "info@example.co.jp",
    subject: str = "お知らせ",
    body: str = "本文です。",
    html: bool = False,
    headers: list[str] | None = None,
    attachments: list[tuple[str, bytes]] | None = None,
) -> bytes:
    """A UTF-8 mail; attachments become a multipart/mixed message."""
    head = [
        f"From: {Header(from_name, 'utf-8').encode()} <{from_address}>",
        "To: user@example.co.jp",
        f"Subject: {Header(subject, 'utf-8').encode()}",
        "MIME-Version: 1.0",
    ] + (headers or [])
    content_type = "text/html" if html else "text/plain"
    text_part = (
        f"Content-Type: {content_type}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode()
        + base64.encodebytes(body.encode("utf-8"))
    )
    if not attachments:
        return ("\r\n".join(head) + "\r\n").encode() + text_part
    boundary = "==test-boundary=="
    out = ("\r\n".join(head) + f'\r\nContent-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n').encode()
    out += f"--{boundary}\r\n".encode() + text_part + b"\r\n"
    for name, data in attachments:
        out += (
            f"--{boundary}\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ).encode() + base64.encodebytes(data) + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


@pytest.fixture
def fixture_bytes():
    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read


@pytest.fixture
def make_mail():
    return build_mail
