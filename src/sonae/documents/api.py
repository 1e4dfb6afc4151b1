"""REST API for plans and rules: list, read, create and update drafts (validated by the engine), render."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from sonae.api.auth import access_of
from sonae.engines import documents as engine
from sonae.orgs.access import require_role
from sonae.orgs.choices import Role

from .models import Document, DocumentVersion, Kind
from .selectors import current_draft, documents_of, versions_of
from .services import DocumentError, document_create, draft_for_edit, draft_replace

router = Router(tags=["documents"])


class IssueOut(Schema):
    path: str
    reason_ja: str
    reason_en: str
    code: str
    severity: str


class ErrorOut(Schema):
    detail: str
    issues: list[IssueOut] = []


class VersionOut(Schema):
    id: int
    number: int
    status: Literal["draft", "approved", "superseded"]
    created_by: str | None
    created_at: dt.datetime
    approved_by: str | None
    approved_at: dt.datetime | None
    published: bool
    published_url: str
    completeness_percent: int


class VersionDataOut(VersionOut):
    document_id: int
    kind: str
    data: dict[str, Any]


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    shared_with_members: bool
    versions: list[VersionOut]


class DocumentIn(Schema):
    kind: Kind
    title: str = ""
    data: dict[str, Any] | None = None


class DraftIn(Schema):
    data: dict[str, Any]


def _version_out(v: DocumentVersion) -> dict:
    return {
        "id": v.id, "number": v.number, "status": v.status,
        "created_by": v.created_by.email if v.created_by else None, "created_at": v.created_at,
        "approved_by": v.approved_by.email if v.approved_by else None, "approved_at": v.approved_at,
        "published": v.published, "published_url": v.published_url,
        "completeness_percent": engine.completeness(v.document.kind, v.data)[2],
    }


def _document_out(d: Document) -> dict:
    # The list prefetches every document's versions in one query (see document_list).
    versions = d.versions.all() if "versions" in getattr(d, "_prefetched_objects_cache", {}) else versions_of(d)
    return {"id": d.id, "kind": d.kind, "title": d.title, "shared_with_members": d.is_shared,
            "versions": [_version_out(v) for v in versions]}


def _invalid(error: DocumentError) -> Status:
    return Status(422, {"detail": error.message, "issues": [i.to_dict() for i in error.issues[:200]]})


@router.get("", response=list[DocumentOut], summary="Documents of the token's organisation, with their versions")
def document_list(request):
    versions = Prefetch("versions", queryset=DocumentVersion.objects.select_related("created_by", "approved_by").order_by("-number"))
    return [_document_out(d) for d in documents_of(org=access_of(request).org).prefetch_related(versions)]


@router.post("", response={201: DocumentOut, 403: ErrorOut, 422: ErrorOut},
             summary="Create a document with a first draft (editors); data is validated by the engine")
def document_create_api(request, payload: DocumentIn):
    access = access_of(request)
    require_role(access, Role.EDITOR)
    try:
        document = document_create(org=access.org, kind=payload.kind.value, title=payload.title, data=payload.data,
                                   by=request.user)
    except DocumentError as error:
        return _invalid(error)
    return Status(201, _document_out(document))


@router.get("/{document_id}", response={200: DocumentOut, 404: ErrorOut}, summary="One document with its versions")
def document_get(request, document_id: int):
    return _document_out(get_object_or_404(Document, org=access_of(request).org, id=document_id))


@router.put("/{document_id}/draft", response={200: VersionDataOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Create or replace the document's draft (editors); refused with the engine's issues when invalid")
def draft_put(request, document_id: int, payload: DraftIn):
    access = access_of(request)
    require_role(access, Role.EDITOR)
    document = get_object_or_404(Document, org=access.org, id=document_id)
    try:
        engine_errors = [i for i in engine.validate(document.kind, payload.data) if i.severity == "error"]
        if engine_errors:
            raise DocumentError(_("入力内容に誤りがあります。"), engine_errors)
        draft = current_draft(document) or draft_for_edit(document=document, by=request.user)
        draft = draft_replace(version=draft, data=payload.data, by=request.user)
    except DocumentError as error:
        return _invalid(error)
    return Status(200, _version_data(draft))


def _version_data(v: DocumentVersion) -> dict:
    return {**_version_out(v), "document_id": v.document_id, "kind": v.document.kind, "data": v.data}


@router.get("/versions/{version_id}", response={200: VersionDataOut, 404: ErrorOut}, summary="A version with its data")
def version_get(request, version_id: int):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), org=access_of(request).org, id=version_id)
    return Status(200, _version_data(version))


class RenderQuery(Schema):
    format: Literal["docx", "pdf", "md"] = "pdf"


@router.get("/versions/{version_id}/render", response={200: None, 404: ErrorOut, 422: ErrorOut},
            summary="Render a version as Word, PDF or Markdown (format=docx|pdf|md)")
def version_render(request, version_id: int, query: Query[RenderQuery]):
    from .views import CONTENT_TYPES, _filename, _render_meta

    version = get_object_or_404(DocumentVersion.objects.select_related("document", "approved_by"),
                                org=access_of(request).org, id=version_id)
    try:
        content = engine.render(version.kind, version.data, query.format, **_render_meta(version))
    except engine.InvalidDocument as error:
        return Status(422, {"detail": _("この版には誤りがあるため出力できません。"), "issues": [i.to_dict() for i in error.issues]})
    response = HttpResponse(content, content_type=CONTENT_TYPES[query.format])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=_filename(version, f".{query.format}"))
    return response
