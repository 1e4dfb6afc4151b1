"""The REST API: /api/ with its OpenAPI schema (/api/openapi.json) and docs page (/api/docs)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from sonae.orgs.access import require_role
from sonae.orgs.choices import PREFECTURES, EmployeeBand, Industry, Role
from sonae.orgs.forms import OrganisationForm
from sonae.orgs.services import audited_save

from .auth import TokenAuth, access_of

api = NinjaAPI(
    title="sonae API",
    version="1",
    description="sonae (備え) REST API. Authenticate with a member's API token: `Authorization: Bearer sonae_…`. "
    "Each token is scoped to one organisation and to the member's current role.",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _("この操作の権限がありません。")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("見つかりません。")}, status=404)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": _("入力内容が正しくありません。"), "errors": exc.errors}, status=422)


class OrganisationOut(Schema):
    id: int
    name: str
    corporate_number: str
    industry: str
    industry_label: str
    employee_band: str
    prefecture: str
    city: str
    require_mfa: bool
    your_role: str


class OrganisationPatch(Schema):
    name: str | None = None
    corporate_number: str | None = None
    industry: Industry | None = None
    employee_band: EmployeeBand | None = None
    prefecture: str | None = None
    city: str | None = None


class ErrorOut(Schema):
    detail: str
    errors: dict | list | None = None


def _org_out(access) -> dict:
    org = access.org
    return {
        "id": org.id,
        "name": org.name,
        "corporate_number": org.corporate_number,
        "industry": org.industry,
        "industry_label": org.get_industry_display(),
        "employee_band": org.employee_band,
        "prefecture": org.prefecture,
        "city": org.city,
        "require_mfa": org.require_mfa,
        "your_role": access.role,
    }


org_router = Router(tags=["organisation"])


@org_router.get("", response=OrganisationOut, summary="The token's organisation profile")
def org_profile(request):
    return _org_out(access_of(request))


@org_router.patch("", response={200: OrganisationOut, 403: ErrorOut, 422: ErrorOut}, summary="Change the organisation profile (owners)")
def org_profile_update(request, payload: OrganisationPatch):
    access = access_of(request)
    require_role(access, Role.OWNER)
    data = {field: getattr(access.org, field) for field in OrganisationForm.Meta.fields}
    data.update({k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None})
    if data["prefecture"] not in PREFECTURES:
        return Status(422, {"detail": _("入力内容が正しくありません。"), "errors": {"prefecture": [_("都道府県名が正しくありません。")]}})
    form = OrganisationForm(data, instance=access.org)
    if not form.is_valid():
        return Status(422, {"detail": _("入力内容が正しくありません。"), "errors": form.errors.get_json_data()})
    audited_save(form=form, org=access.org, actor=request.user)
    return Status(200, _org_out(access))


api.add_router("/org", org_router)


from sonae.actions.api import router as actions_router  # noqa: E402 - routers register after the api exists
from sonae.assessments.api import router as diagnoses_router  # noqa: E402

api.add_router("/diagnoses", diagnoses_router)
api.add_router("/actions", actions_router)

from sonae.documents.api import router as documents_router  # noqa: E402 - routers register after the api exists

api.add_router("/documents", documents_router)

from sonae.aicheck.api import router as aicheck_router  # noqa: E402

api.add_router("/ai", aicheck_router)

from sonae.checks.api import router as checks_router  # noqa: E402

api.add_router("/checks", checks_router)

from sonae.support.api import router as support_router  # noqa: E402

api.add_router("/support", support_router)
