"""Writes: trusted domains and incident reports, each recorded in the audit log."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sonae.engines.messages import Report
from sonae.orgs.choices import Role
from sonae.orgs.models import AuditEntry, Membership
from sonae.orgs.services import audit

from .models import IncidentReport, TrustedDomain
from .tasks import notify_reporter_closed

log = logging.getLogger(__name__)

MAX_STORED_TEXT_CHARS = 200_000
MAX_STORED_LINKS = 100


def trusted_domain_add(*, org, by, domain: str, kind: str, note: str = "") -> TrustedDomain:
    with transaction.atomic():
        obj = TrustedDomain.objects.create(org=org, domain=domain, kind=kind, note=note, created_by=by)
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=obj, changes={"domain": domain, "kind": kind, "note": note})
    return obj


def trusted_domain_remove(*, trusted_domain: TrustedDomain, by) -> None:
    with transaction.atomic():
        audit(org=trusted_domain.org, actor=by, action=AuditEntry.Action.DELETE, obj=trusted_domain,
              changes={"domain": trusted_domain.domain, "kind": trusted_domain.kind})
        trusted_domain.delete()


def _clean(value):
    """PostgreSQL refuses NUL in text and JSON; mail can carry it."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    return value


def incident_report_file(*, org, by, report: Report, submitted: str | bytes, note: str = "") -> IncidentReport:
    """File a checked message in the organisation's incident inbox (周りに相談・報告する)."""
    data = report.to_dict()
    text = report.text if report.kind == "mail" else (submitted if isinstance(submitted, str) else report.text)
    details = {
        key: data.get(key) for key in ("subject", "from_name", "from_address", "reply_to", "attachments", "brands")
    }
    details["links"] = data.get("links", [])[:MAX_STORED_LINKS]
    incident = IncidentReport(
        org=org,
        reported_by=by,
        kind=report.kind,
        verdict=report.verdict,
        score=report.score,
        findings=_clean(data["findings"]),
        details=_clean(details),
        text=_clean(text[:MAX_STORED_TEXT_CHARS]),
        text_truncated=len(text) > MAX_STORED_TEXT_CHARS or report.truncated,
        note=_clean(note[:2000]),
    )
    with transaction.atomic():
        if report.kind == "mail" and isinstance(submitted, bytes):
            incident.mail_size = len(submitted)
            incident.mail_file.save("mail.eml", ContentFile(submitted), save=False)
        incident.save()
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=incident,
              changes={"kind": incident.kind, "verdict": incident.verdict, "score": incident.score})
    transaction.on_commit(lambda: _notify_admins(incident))
    return incident


def _notify_admins(incident: IncidentReport) -> None:
    """Tell the owners and editors that a member reported a message (console backend by default)."""
    if not getattr(settings, "SONAE_CHECKS_NOTIFY", True):
        return
    recipients = sorted(
        set(Membership.objects.filter(org=incident.org, role__in=[Role.OWNER, Role.EDITOR])
            .exclude(user__email="").values_list("user__email", flat=True))
        - {getattr(incident.reported_by, "email", None)}
    )
    if not recipients:
        return
    link = settings.SITE_URL + reverse("checks_incident", args=[incident.org_id, incident.id])
    subject = _("[sonae] 不審なメッセージの報告がありました（%(verdict)s）") % {"verdict": incident.get_verdict_display()}
    body = _(
        "%(org)s のメンバー（%(who)s）から、不審なメッセージの報告がありました。\n\n"
        "種類：%(kind)s\n判定：%(verdict)s\n\n内容と対応はこちらから確認してください：\n%(link)s\n"
    ) % {
        "org": incident.org.name,
        "who": getattr(incident.reported_by, "email", "") or "-",
        "kind": incident.get_kind_display(),
        "verdict": incident.get_verdict_display(),
        "link": link,
    }
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # a mail server problem must not lose the report that is already saved
        log.exception("could not send the incident report notification")


def incident_report_close(*, incident: IncidentReport, by, owner_note: str = "", reply: str = "") -> IncidentReport:
    """Close a report. `owner_note` stays with owners and editors; `reply` is for the reporter, who sees
    it on their own reports page and is told by mail (after the commit, through the task queue)."""
    with transaction.atomic():
        incident.status = IncidentReport.Status.CLOSED
        incident.closed_by = by
        incident.closed_at = timezone.now()
        incident.owner_note = _clean(owner_note[:4000])
        incident.reply = _clean(reply[:1000])
        incident.save(update_fields=["status", "closed_by", "closed_at", "owner_note", "reply"])
        audit(org=incident.org, actor=by, action=AuditEntry.Action.UPDATE, obj=incident,
              changes={"status": ["open", "closed"], "owner_note": incident.owner_note, "reply": incident.reply})
        incident_id = incident.pk
        transaction.on_commit(lambda: notify_reporter_closed(incident_id))
    return incident


def incident_report_reopen(*, incident: IncidentReport, by) -> IncidentReport:
    with transaction.atomic():
        incident.status = IncidentReport.Status.OPEN
        incident.closed_by = None
        incident.closed_at = None
        incident.save(update_fields=["status", "closed_by", "closed_at"])
        audit(org=incident.org, actor=by, action=AuditEntry.Action.UPDATE, obj=incident, changes={"status": ["closed", "open"]})
    return incident
