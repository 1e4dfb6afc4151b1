"""Writes: the owner's answers to support questions, each recorded in the audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sonae.catalog.support import load_support
from sonae.orgs.models import AuditEntry
from sonae.orgs.services import audit

from .models import SupportAnswer


class UnknownQuestion(ValueError):
    pass


def support_answer_set(*, org, by, question_id: str, value: bool | None) -> SupportAnswer | None:
    """Remember (or, with None, forget) the answer to one question; returns the stored answer."""
    if question_id not in load_support().questions:
        raise UnknownQuestion(question_id)
    with transaction.atomic():
        current = SupportAnswer.objects.select_for_update().filter(org=org, question_id=question_id).first()
        old = current.value if current else None
        if old == value:
            return current
        if value is None:
            audit(org=org, actor=by, action=AuditEntry.Action.DELETE, obj=current, changes={"value": [old, None]})
            current.delete()
            return None
        if current is None:
            current = SupportAnswer.objects.create(org=org, question_id=question_id, value=value, answered_by=by)
            action = AuditEntry.Action.CREATE
        else:
            current.value, current.answered_by, current.answered_at = value, by, timezone.now()
            current.save(update_fields=["value", "answered_by", "answered_at"])
            action = AuditEntry.Action.UPDATE
        audit(org=org, actor=by, action=action, obj=current, changes={"question_id": question_id, "value": [old, value]})
    return current
