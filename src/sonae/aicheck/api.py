"""REST API: POST /api/ai/scan checks a text with the token's organisation policy."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from sonae.api.auth import access_of
from sonae.engines.textscan import MAX_TEXT_BYTES, TextScanError, scan

from .models import AiUsage
from .selectors import effective_policy_of
from .services import usage_record

router = Router(tags=["ai"])


class ScanIn(Schema):
    text: str = Field(..., description="The text to check (UTF-8, under 10 MB).")


class FindingOut(Schema):
    type: str = Field(..., description="my_number, corporate_number, credit_card, phone, email, postal_code, address, person_name, bank_account, passport, drivers_license, pension_number, secret or custom_term")
    start: int = Field(..., description="Character offset into the text (inclusive).")
    end: int = Field(..., description="Character offset into the text (exclusive).")
    text: str
    severity: str = Field(..., description="high, medium or low")
    action: str = Field(..., description="The organisation's action for this type: block, mask or warn.")
    label_ja: str
    label_en: str
    placeholder: str = Field(..., description="e.g. <電話番号_1>; the same value gets the same placeholder.")


class ScanOut(Schema):
    blocked: bool = Field(..., description="True when a finding's action is block: do not send this text.")
    counts: dict[str, int]
    findings: list[FindingOut]
    masked: str = Field(..., description="The text with block and mask findings replaced by placeholders (warn findings kept).")
    masked_all: str = Field(..., description="The text with every finding replaced.")
    mapping: dict[str, str] = Field(..., description="Placeholder → original value, to put values back into an answer.")


class ScanError(Schema):
    detail: str


@router.post("/scan", response={200: ScanOut, 422: ScanError}, summary="Check a text for personal data, secrets and forbidden terms")
def scan_text(request, payload: ScanIn):
    access = access_of(request)
    effective = effective_policy_of(access.org)
    if len(payload.text) >= MAX_TEXT_BYTES or len(payload.text.encode("utf-8", "surrogatepass")) >= MAX_TEXT_BYTES:
        return Status(422, {"detail": _("テキストが大きすぎます（10 MB 未満にしてください）。")})
    try:
        result = scan(payload.text, effective.policy)
    except TextScanError as exc:
        return Status(422, {"detail": exc.ja})
    if effective.stored.log_page_checks:
        usage_record(org=access.org, user=request.user, channel=AiUsage.Channel.API, outcome=AiUsage.Outcome.CHECKED,
                     found=result.counts, prompt_text=result.policy_masked, store_text=effective.stored.log_prompt_text)
    return Status(200, {
        "blocked": result.blocked,
        "counts": result.counts,
        "findings": [f.to_dict() for f in result.findings],
        "masked": result.policy_masked,
        "masked_all": result.masked,
        "mapping": result.mapping,
    })
