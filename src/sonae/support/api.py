"""REST API: GET /api/support — which public support fits the token's organisation, with the reasons.

The same shape as `sonae support match --json`; `?lang=en` for English texts, `?fit=yes` (or
after_step, unknown, no) to keep one kind.
"""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from sonae.api.auth import access_of
from sonae.engines.support import fit_as_dict

from .selectors import support_fits_for_org

router = Router(tags=["support"])


class ReasonOut(Schema):
    fit: str
    text: str
    ground: int | None = None
    kind: str
    key: str


class GroundReasonOut(Schema):
    fit: str
    text: str


class GroundOut(Schema):
    number: int
    label: str
    fit: str
    reasons: list[GroundReasonOut]


class FitOut(Schema):
    id: str
    name: str
    fit: str = Field(..., description="yes, after_step, unknown or no")
    reasons: list[ReasonOut]
    grounds: list[GroundOut]
    steps: list[str]
    questions: list[str] = Field(..., description="Question ids whose answer matters (answer them on the page).")
    provider: str
    kind: str
    region: str
    source_url: str
    as_of: str
    deadline: str | None
    deadline_passed: bool
    possibly_outdated: bool


class SupportFilter(Schema):
    lang: str = Field("ja", pattern="^(ja|en)$")
    fit: str | None = Field(None, pattern="^(yes|after_step|unknown|no)$")


@router.get("", response=list[FitOut], summary="Public support for the token's organisation, best fits first")
def support_list(request, filters: Query[SupportFilter]):
    fits = support_fits_for_org(org=access_of(request).org)
    return [fit_as_dict(f, filters.lang) for f in fits if filters.fit is None or f.fit == filters.fit]
