"""The documents panel on the dashboard: approved / draft per kind, and rules the viewer must acknowledge."""

from __future__ import annotations

from django.db.models import Q
from django.template.loader import render_to_string

from .models import DocumentVersion, Kind
from .selectors import rules_to_acknowledge


def dashboard_panel(request, org) -> str:
    statuses = set(
        DocumentVersion.objects.filter(org=org)
        .filter(Q(status=DocumentVersion.Status.APPROVED) | Q(status=DocumentVersion.Status.DRAFT))
        .values_list("document__kind", "status")
    )
    kinds = [
        {"label": kind.label, "approved": (kind.value, "approved") in statuses, "draft": (kind.value, "draft") in statuses}
        for kind in Kind
    ]
    return render_to_string("documents/panel.html", {
        "org": org, "kinds": kinds, "to_acknowledge": rules_to_acknowledge(org=org, user=request.user),
    }, request=request)
