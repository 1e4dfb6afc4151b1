"""Writes to the risk register, each recorded in the audit log."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sonae.actions.models import ActionItem
from sonae.catalog.risk_templates import RiskTemplate
from sonae.orgs.models import AuditEntry
from sonae.orgs.services import audit

from .models import Risk

# A new risk from a template is first reviewed after three months (seminar: 定期チェック).
FIRST_REVIEW_DAYS = 90


def risk_adopt_template(*, org, template: RiskTemplate, by, language: str = "ja") -> Risk | None:
    """Add a template's risk to the register once; None when it is already there."""
    with transaction.atomic():
        if Risk.objects.filter(org=org, template_id=template.id).exists():
            return None
        risk = Risk.objects.create(
            org=org,
            title=template.title.get(language),
            category=template.category,
            description=template.description.get(language),
            likelihood=template.likelihood,
            impact=template.impact,
            countermeasures=template.countermeasures.get(language),
            review_date=timezone.localdate() + dt.timedelta(days=FIRST_REVIEW_DAYS),
            template_id=template.id,
            created_by=by,
        )
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=risk, changes={"template": template.id})
    return risk


def risk_close(*, risk: Risk, by) -> None:
    if risk.is_closed:
        return
    old = risk.status
    risk.status = Risk.Status.CLOSED
    risk.closed_at = timezone.now()
    risk.save(update_fields=["status", "closed_at", "updated_at"])
    audit(org=risk.org, actor=by, action=AuditEntry.Action.UPDATE, obj=risk, changes={"status": [old, risk.status]})


def risk_action_create(*, risk: Risk, by) -> ActionItem:
    """An action item for this risk, owned by the risk's owner, linked both ways."""
    with transaction.atomic():
        item = ActionItem.objects.create(
            org=risk.org,
            # In the language of the person adding it, like a risk adopted from a template.
            title=_("%(risk)sへの対策") % {"risk": risk.title[:180]},
            description=risk.countermeasures,
            owner=risk.owner,
            due_date=risk.review_date,
            source_type="risks.risk",
            source_id=risk.id,
            source_label=risk.title[:200],
            created_by=by,
        )
        risk.actions.add(item)
        audit(org=risk.org, actor=by, action=AuditEntry.Action.CREATE, obj=item, changes={"risk": risk.id})
    return item
