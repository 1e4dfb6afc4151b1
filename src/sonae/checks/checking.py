"""Run the message engine for a page or API request: one entry point, the organisation's context.

The engine does the checking; this module only picks the right function, converts Outlook .msg
files to the RFC 5322 bytes the engine reads, and enforces the upload size the installation allows.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from sonae.engines.messages import MAX_MAIL_BYTES, MessageCheckError, Report, check_mail, check_sms, check_url

from .selectors import message_context_of

KINDS = ("sms", "url", "mail")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Outlook .msg files are OLE2 compound documents


def max_upload_bytes() -> int:
    """The largest mail file accepted (settings.SONAE_CHECKS_MAX_UPLOAD_BYTES, never above the engine's cap)."""
    return min(int(getattr(settings, "SONAE_CHECKS_MAX_UPLOAD_BYTES", MAX_MAIL_BYTES)), MAX_MAIL_BYTES)


def too_large_error() -> MessageCheckError:
    mb = max_upload_bytes() / (1024 * 1024)
    size = f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}"
    return MessageCheckError(
        "too_large",
        _("ファイルが大きすぎます（%(size)s MBまで）。メールソフトで添付ファイルを外して .eml を保存し直してください。") % {"size": size},
        f"The file is too large (at most {size} MB).",
    )


def mail_bytes_of(data: bytes, filename: str = "") -> bytes:
    """The RFC 5322 bytes of an uploaded mail: .eml as it is, Outlook .msg converted."""
    if len(data) > max_upload_bytes():
        raise too_large_error()
    if data.startswith(OLE_MAGIC) or filename.lower().endswith(".msg"):
        from .msgfile import msg_to_eml

        return msg_to_eml(data)
    return data


def _looks_like_a_sentence(value: str) -> bool:
    """A pasted sentence is not a URL, though 。 is a dot to IDNA ("至急ご確認ください。" would be a host)."""
    value = value.strip()
    return bool(value) and (any(ch.isspace() for ch in value) or "、" in value or value.endswith("。"))


def run_check(kind: str, content: str | bytes, org, *, filename: str = "") -> Report:
    """Check `content` as `kind` with the organisation's domains. Raises MessageCheckError for unusable input."""
    context = message_context_of(org)
    if kind == "sms":
        return check_sms(content if isinstance(content, str) else content.decode("utf-8", "replace"), context)
    if kind == "url":
        url = content if isinstance(content, str) else content.decode("utf-8", "replace")
        if _looks_like_a_sentence(url):
            raise MessageCheckError("not_url", _("URLとして読み取れませんでした。文章は「SMS・文章」で確認してください。"),
                                    "This does not look like a URL; check text as an SMS.")
        return check_url(url, context)
    if kind == "mail":
        raw = content.encode("utf-8") if isinstance(content, str) else content
        return check_mail(mail_bytes_of(raw, filename), context)
    raise MessageCheckError("bad_kind", _("確認する種類が正しくありません。"), "Unknown kind of check.")
