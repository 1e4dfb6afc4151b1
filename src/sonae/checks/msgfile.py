"""Outlook .msg → RFC 5322 bytes, so the message engine checks it like any .eml.

An Outlook .msg is an OLE2 compound file. extract-msg reads it; we rebuild a mail from the original
internet headers Outlook keeps (PR_TRANSPORT_MESSAGE_HEADERS: From, Reply-To, Authentication-Results …),
the plain and HTML bodies and the attachments' names and bytes (the engine inspects their names and
archive listings). Nothing is written to disk and nothing is rendered.
"""

from __future__ import annotations

import email.policy
import io
import logging
from email.message import EmailMessage

from django.utils.translation import gettext as _

from sonae.engines.messages import MessageCheckError

log = logging.getLogger(__name__)

# Headers that describe the original MIME body; we write our own body, so these are dropped.
_BODY_HEADERS = {"content-type", "content-transfer-encoding", "mime-version", "content-disposition"}
MAX_ATTACHMENTS = 200


def _unreadable() -> MessageCheckError:
    return MessageCheckError("not_mail", _("Outlook の .msg ファイルとして読み取れませんでした。"), "This could not be read as an Outlook .msg file.")


def msg_to_eml(data: bytes) -> bytes:
    try:
        import extract_msg
    except ImportError:  # pragma: no cover - extract-msg is a dependency; kept for a trimmed install
        raise MessageCheckError("msg_unsupported", _(".msg ファイルはこの環境では確認できません。.eml で保存し直してください。"),
                                ".msg files cannot be checked here; save the mail as .eml.") from None
    try:
        msg = extract_msg.openMsg(io.BytesIO(data), strict=False, delayAttachments=False)
    except Exception:  # extract-msg raises many kinds of errors on broken files
        raise _unreadable() from None
    try:
        return _to_eml(msg)
    except MessageCheckError:
        raise
    except Exception:
        log.info("could not convert a .msg file", exc_info=True)
        raise _unreadable() from None
    finally:
        try:
            msg.close()
        except Exception:
            pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _header_block(header_text: str) -> list[str]:
    """The transport headers as raw lines, without the ones describing the original MIME body."""
    groups: list[list[str]] = []
    for line in header_text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if groups:
                break  # end of the header block
            continue
        if line[0] in " \t" and groups:
            groups[-1].append(line)
        elif ":" in line:
            groups.append([line])
    return ["\r\n".join(g) for g in groups if g[0].split(":", 1)[0].strip().lower() not in _BODY_HEADERS]


def _html_text(value) -> str:
    """Outlook keeps the HTML body as bytes in the sender's charset: UTF-8 first, then Shift_JIS (cp932)."""
    if isinstance(value, str):
        return value
    for codec in ("utf-8", "cp932"):
        try:
            return value.decode(codec)
        except UnicodeDecodeError:
            continue
    return value.decode("utf-8", "replace")


def _one_line(value) -> str:
    return " ".join(_text(value).split())


def _to_eml(msg) -> bytes:
    headers = _header_block(_text(getattr(msg, "headerText", None) or ""))
    names = {h.split(":", 1)[0].strip().lower() for h in headers}
    if "from" not in names:
        # A .msg saved from a draft or a sent item has no transport headers: use its properties.
        for name, value in (("From", msg.sender), ("To", msg.to), ("Reply-To", getattr(msg, "replyTo", None))):
            if value:
                headers.append(f"{name}: {_one_line(value)}")
    if "subject" not in names and msg.subject:
        headers.append(f"Subject: {_one_line(msg.subject)}")
    body = EmailMessage(policy=email.policy.SMTP)
    body.set_content(_text(msg.body) or " ", subtype="plain", charset="utf-8")
    html = msg.htmlBody
    if html:
        body.add_alternative(_html_text(html), subtype="html", charset="utf-8")
    for index, attachment in enumerate(getattr(msg, "attachments", [])[:MAX_ATTACHMENTS]):
        name = _one_line(getattr(attachment, "longFilename", None) or getattr(attachment, "shortFilename", None) or f"attachment-{index}")
        payload = getattr(attachment, "data", None)
        if not isinstance(payload, bytes):
            payload = b""  # embedded messages and OLE objects: the name is what the engine judges
        body.add_attachment(payload, maintype="application", subtype="octet-stream", filename=name)
    head = "\r\n".join(headers).encode("utf-8", "replace")
    return head + (b"\r\n" if head else b"") + body.as_bytes()
