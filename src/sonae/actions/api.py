"""REST API for action items: list, create, update. Token's organisation only; writes need editor."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from sonae.api.auth import access_of
from sonae.orgs.access import require_role
from sonae.orgs.choices import Role

from .forms import ActionItemForm
from .models import ActionItem
from .selectors import action_items, get_action_item_for_user
from .services import action_item_save

router = Router(tags=["actions"])


class ActionOut(Schema):
    id: int
    title: str
    description: str
    owner_email: str | None
    due_date: dt.date | None
    status: str
    note: str
    evidence_url: str
    source_type: str
    source_id: int | None
    source_label: str
    overdue: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ActionIn(Schema):
    title: str | None = None
    description: str | None = None
    owner_email: str | None = None
    due_date: dt.date | None = None
    status: ActionItem.Status | None = None
    note: str | None = None
    evidence_url: str | None = None


class ErrorOut(Schema):
    detail: str
    errors: dict | None = None


def _out(item: ActionItem) -> dict:
    return {
        "id": item.id, "title": item.title, "description": item.description,
        "owner_email": item.owner.email if item.owner else None, "due_date": item.due_date, "status": item.status,
        "note": item.note, "evidence_url": item.evidence_url, "source_type": item.source_type, "source_id": item.source_id,
        "source_label": item.source_label, "overdue": item.is_overdue(), "created_at": item.created_at, "updated_at": item.updated_at,
    }


def _save(request, payload: ActionIn, item: ActionItem | None):
    access = access_of(request)
    require_role(access, Role.EDITOR)
    instance = item or ActionItem(org=access.org)
    data = {
        "title": instance.title, "description": instance.description, "owner": instance.owner_id or "",
        "due_date": instance.due_date or "", "status": instance.status, "note": instance.note, "evidence_url": instance.evidence_url,
    }
    given = payload.dict(exclude_unset=True)
    for key, value in given.items():
        if key == "owner_email":
            owner = ActionItemForm(org=access.org).fields["owner"].queryset.filter(email__iexact=value or "").first()
            if value and owner is None:
                return Status(422, {"detail": _("担当者はこの組織のメンバーのメールアドレスで指定してください。")})
            data["owner"] = owner.pk if owner else ""
        else:
            data[key] = "" if value is None else value
    form = ActionItemForm(data, instance=instance, org=access.org)
    if not form.is_valid():
        return Status(422, {"detail": _("入力内容が正しくありません。"), "errors": form.errors.get_json_data()})
    saved = action_item_save(form=form, org=access.org, by=request.user)
    return Status(200 if item else 201, _out(saved))


@router.get("", response=list[ActionOut], summary="Action items (status: open, in_progress, done, all; default: not done)")
def list_actions(request, status: str | None = None):
    return [_out(i) for i in action_items(org=access_of(request).org, status=status)[:500]]


@router.post("", response={201: ActionOut, 403: ErrorOut, 422: ErrorOut}, summary="Create an action item")
def create_action(request, payload: ActionIn):
    if not payload.title:
        require_role(access_of(request), Role.EDITOR)
        return Status(422, {"detail": _("やることを入力してください。")})
    return _save(request, payload, None)


@router.patch("/{action_id}", response={200: ActionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="Change an action item")
def update_action(request, action_id: int, payload: ActionIn):
    item = get_action_item_for_user(access_of(request), action_id)
    return _save(request, payload, item)
