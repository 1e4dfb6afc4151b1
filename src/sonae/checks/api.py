"""REST API: POST /api/checks/mail, /api/checks/sms and /api/checks/url check a message with the token's
organisation domains; `report: true` also files it in the organisation's incident inbox.

The mail endpoint reads its body itself so it can take a multipart upload (field `file`), JSON with
base64 (`raw_base64`) or the raw message (Content-Type: message/rfc822), and refuse an oversized
body while reading it (413) instead of after.
"""

from __future__ import annotations

import base64
import binascii
import json

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from sonae.api.auth import access_of
from sonae.engines.messages import MAX_SMS_CHARS, MAX_URL_CHARS, MessageCheckError, Report

from .checking import mail_bytes_of, max_upload_bytes, run_check, too_large_error
from .services import incident_report_file
from .uploads import CappedUploadHandler

router = Router(tags=["checks"])


class FindingOut(Schema):
    code: str = Field(..., description="Stable finding code, e.g. brand_link_mismatch, lookalike_own_domain, urgency.")
    severity: str = Field(..., description="high, medium, low or info")
    message_ja: str
    message_en: str
    advice_ja: str
    advice_en: str
    evidence: str | None = None
    location: str = Field(..., description="subject, from, reply_to, header, text, link, attachment or url")
    span: list[int] | None = Field(None, description="[start, end) character offsets into `text` (or `subject` when location is subject).")


class LinkOut(Schema):
    url: str
    host: str
    host_unicode: str
    registrable_domain: str
    text: str | None = None
    span: list[int] | None = None
    official_for: str | None = Field(None, description="Brand id when the host is one of that brand's official domains.")
    trust: str | None = Field(None, description="own or trusted when on the organisation's registered domains.")
    flags: list[str]


class AttachmentOut(Schema):
    filename: str
    content_type: str
    size: int
    flags: list[str]
    inner_names: list[str]


class ReportOut(Schema):
    kind: str = Field(..., description="mail, sms or url")
    verdict: str = Field(..., description="danger (危険), caution (注意) or none (問題は見つかりませんでした). Never 'safe'.")
    verdict_ja: str
    verdict_en: str
    score: int = Field(..., description="0–100")
    findings: list[FindingOut]
    advice_ja: list[str]
    advice_en: list[str]
    text: str = Field(..., description="The checked text; for a mail the sanitised plain text (HTML reduced to text).")
    links: list[LinkOut]
    subject: str | None = None
    from_name: str | None = None
    from_address: str | None = None
    reply_to: str | None = None
    attachments: list[AttachmentOut]
    brands: list[str]
    truncated: bool
    incident_id: int | None = Field(None, description="The incident report's id when `report` was true.")


class CheckErrorOut(Schema):
    detail: str = Field(..., description="Japanese message")
    code: str = Field(..., description="empty, too_large, binary, not_mail, not_url, bad_request …")
    message_en: str = ""


class SmsIn(Schema):
    text: str = Field(..., description=f"The SMS or message text (at most {MAX_SMS_CHARS} characters).")
    report: bool = Field(False, description="Also file it in the organisation's incident inbox.")
    note: str = Field("", max_length=2000, description="The reporter's note for the administrators.")


class UrlIn(Schema):
    url: str = Field(..., description=f"The URL as pasted (at most {MAX_URL_CHARS} characters).")
    report: bool = False
    note: str = Field("", max_length=2000)


def _error(exc: MessageCheckError):
    status = 413 if exc.code == "too_large" else 422
    return Status(status, {"detail": exc.message_ja, "code": exc.code, "message_en": exc.message_en})


def _bad_request(message_ja: str, message_en: str):
    return Status(422, {"detail": message_ja, "code": "bad_request", "message_en": message_en})


def _respond(request, report: Report, submitted: str | bytes, *, file_it: bool, note: str):
    data = report.to_dict()
    data["incident_id"] = None
    if file_it:
        incident = incident_report_file(org=access_of(request).org, by=request.user, report=report, submitted=submitted, note=note)
        data["incident_id"] = incident.id
    return Status(200, data)


ERRORS = {200: ReportOut, 413: CheckErrorOut, 422: CheckErrorOut}


@router.post("/sms", response=ERRORS, summary="Check an SMS or pasted message text")
def check_sms_api(request, payload: SmsIn):
    try:
        report = run_check("sms", payload.text, access_of(request).org)
    except MessageCheckError as exc:
        return _error(exc)
    return _respond(request, report, payload.text, file_it=payload.report, note=payload.note)


@router.post("/url", response=ERRORS, summary="Check a URL")
def check_url_api(request, payload: UrlIn):
    try:
        report = run_check("url", payload.url, access_of(request).org)
    except MessageCheckError as exc:
        return _error(exc)
    return _respond(request, report, payload.url, file_it=payload.report, note=payload.note)


MAIL_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": "The mail as .eml (or Outlook .msg)."},
            "report": {"type": "boolean", "description": "Also file it in the incident inbox."},
            "note": {"type": "string", "maxLength": 2000},
        }}},
        "application/json": {"schema": {"type": "object", "required": ["raw_base64"], "properties": {
            "raw_base64": {"type": "string", "format": "byte", "description": "The raw mail bytes (.eml), base64."},
            "report": {"type": "boolean", "default": False},
            "note": {"type": "string", "maxLength": 2000},
        }}},
        "message/rfc822": {"schema": {"type": "string", "format": "binary", "description": "The raw mail as the body."}},
    },
}


def _truthy(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


@router.post("/mail", response=ERRORS, summary="Check a mail (.eml or .msg)", openapi_extra={"requestBody": MAIL_BODY},
             description="Send the raw mail as a multipart upload (field `file`), as JSON `{\"raw_base64\": …}` or as the "
             "body with Content-Type message/rfc822. Bodies over the installation's upload limit get 413.")
def check_mail_api(request):
    limit = max_upload_bytes()
    content_type = (request.content_type or "").lower()
    file_it, note, filename = False, "", ""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    try:
        if content_type == "multipart/form-data":
            request.upload_handlers.insert(0, CappedUploadHandler(request))
            upload = request.FILES.get("file")
            if getattr(request, "sonae_upload_too_large", False):
                raise too_large_error()
            if upload is None:
                return _bad_request(_("メールのファイルを file として送ってください。"), "Send the mail file as `file`.")
            raw, filename = upload.read(limit + 1), upload.name or ""
            file_it, note = _truthy(request.POST.get("report")), request.POST.get("note", "")
        elif content_type == "application/json":
            if declared > limit * 4 // 3 + 65536:
                raise too_large_error()
            try:
                payload = json.loads(request.read(limit * 4 // 3 + 65537) or b"null")
            except (ValueError, UnicodeDecodeError):
                return _bad_request(_("JSONとして読み取れませんでした。"), "The body is not valid JSON.")
            if not isinstance(payload, dict) or not isinstance(payload.get("raw_base64"), str):
                return _bad_request(_("raw_base64 にメールをbase64で入れてください。"), "Put the mail in `raw_base64` (base64).")
            try:
                raw = base64.b64decode(payload["raw_base64"], validate=True)
            except (binascii.Error, ValueError):
                return _bad_request(_("raw_base64 がbase64として正しくありません。"), "`raw_base64` is not valid base64.")
            file_it, note = _truthy(payload.get("report", False)), str(payload.get("note") or "")
        else:
            if declared > limit:
                raise too_large_error()
            raw = request.read(limit + 1)
        if len(note) > 2000:
            return _bad_request(_("メモは2000文字までにしてください。"), "The note is at most 2000 characters.")
        eml = mail_bytes_of(raw, filename)
        report = run_check("mail", eml, access_of(request).org)
    except MessageCheckError as exc:
        return _error(exc)
    return _respond(request, report, eml, file_it=file_it, note=note)
