"""Reads: the organisation's domains as a MessageContext, and its incident inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from sonae.engines.messages import MessageContext

from .models import IncidentReport, TrustedDomain


def message_context_of(org) -> MessageContext:
    """What every check of this organisation knows: its own domains and the partners it trusts."""
    own: list[str] = []
    trusted: list[str] = []
    for domain, kind in TrustedDomain.objects.filter(org=org).values_list("domain", "kind"):
        (own if kind == TrustedDomain.Kind.OWN else trusted).append(domain)
    return MessageContext(own_domains=tuple(own), trusted_domains=tuple(trusted))


def trusted_domains_of(org) -> QuerySet[TrustedDomain]:
    return TrustedDomain.objects.filter(org=org)


def incident_reports_of(org, *, status: str | None = None) -> QuerySet[IncidentReport]:
    reports = IncidentReport.objects.filter(org=org).select_related("reported_by", "closed_by")
    if status:
        reports = reports.filter(status=status)
    return reports


def incident_reports_by(org, user) -> QuerySet[IncidentReport]:
    """The reports `user` filed in `org` (the reporter's own list; never anyone else's)."""
    return IncidentReport.objects.filter(org=org, reported_by=user).select_related("closed_by")


def open_incident_count(org) -> int:
    return IncidentReport.objects.filter(org=org, status=IncidentReport.Status.OPEN).count()
