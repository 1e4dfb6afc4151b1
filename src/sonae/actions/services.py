"""Writes for action items, each recorded in the audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sonae.orgs.models import AuditEntry
from sonae.orgs.services import audit, audited_save

from .models import ActionItem


def action_item_save(*, form, org, by, source: dict | None = None) -> ActionItem:
    """Create or update an item from a valid ActionItemForm; `source` (type/id/label) on create only."""
    extra = {"org_id": org.id}
    if form.instance.pk is None:
        extra["created_by"] = by
        for key in ("source_type", "source_id", "source_label"):
            if source and source.get(key) is not None:
                extra[key] = source[key]
    status = form.cleaned_data.get("status")
    if status == ActionItem.Status.DONE and not form.instance.closed_at:
        extra["closed_at"] = timezone.now()
    elif status and status != ActionItem.Status.DONE:
        extra["closed_at"] = None
    return audited_save(form=form, org=org, actor=by, **extra)


def action_item_close(*, item: ActionItem, by) -> ActionItem:
    with transaction.atomic():
        old = item.status
        item.status = ActionItem.Status.DONE
        item.closed_at = timezone.now()
        item.save(update_fields=["status", "closed_at", "updated_at"])
        audit(org=item.org, actor=by, action=AuditEntry.Action.UPDATE, obj=item, changes={"status": [old, item.status]})
    return item
