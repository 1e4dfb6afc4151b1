"""Reads of the risk register: lists, the heat map grid, overdue reviews."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import Risk


def risks_of(*, org, include_closed: bool = False) -> QuerySet[Risk]:
    risks = Risk.objects.filter(org=org).select_related("owner")
    if not include_closed:
        risks = risks.exclude(status=Risk.Status.CLOSED)
    return risks


def overdue_reviews(*, org, today=None) -> QuerySet[Risk]:
    today = today or timezone.localdate()
    return risks_of(org=org).filter(review_date__lt=today).order_by("review_date")


def heat_map(risks) -> list[dict]:
    """Rows from impact 5 down to 1, each with five cells (likelihood 1..5) listing the risks there."""
    cells: dict[tuple[int, int], list[Risk]] = {}
    for risk in risks:
        cells.setdefault((risk.likelihood, risk.impact), []).append(risk)
    rows = []
    for impact in range(5, 0, -1):
        row = []
        for likelihood in range(1, 6):
            score = likelihood * impact
            level = "high" if score >= 15 else "medium" if score >= 8 else "low"
            row.append({"likelihood": likelihood, "impact": impact, "level": level, "risks": cells.get((likelihood, impact), [])})
        rows.append({"impact": impact, "cells": row})
    return rows


def adopted_template_ids(*, org) -> set[str]:
    return set(Risk.objects.filter(org=org).exclude(template_id="").values_list("template_id", flat=True))


def risk_source_url(item) -> str | None:
    risk = Risk.objects.filter(org_id=item.org_id, id=item.source_id).first()
    return reverse("risk_detail", args=[risk.org_id, risk.id]) if risk else None
