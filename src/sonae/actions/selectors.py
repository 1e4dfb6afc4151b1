"""Reads for action items."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sonae.orgs.access import OrgAccess

from .models import ActionItem


def get_action_item_for_user(access: OrgAccess, action_id: int) -> ActionItem:
    return get_object_or_404(ActionItem.objects.select_related("owner"), org=access.org, id=action_id)


def action_items(*, org, status: str | None = None) -> QuerySet[ActionItem]:
    """Items of `org`; status "" / None = not done yet, "all" = every item, else one status."""
    items = ActionItem.objects.filter(org=org).select_related("owner")
    if status == "all":
        return items
    if status in ActionItem.Status.values:
        return items.filter(status=status)
    return items.exclude(status=ActionItem.Status.DONE)


@dataclass(frozen=True)
class ActionCounts:
    open: int  # not done (未着手 + 対応中)
    overdue: int
    done: int


def action_counts(*, org) -> ActionCounts:
    today = timezone.localdate()
    items = ActionItem.objects.filter(org=org)
    not_done = items.exclude(status=ActionItem.Status.DONE)
    return ActionCounts(
        open=not_done.count(),
        overdue=not_done.filter(Q(due_date__lt=today)).count(),
        done=items.filter(status=ActionItem.Status.DONE).count(),
    )
