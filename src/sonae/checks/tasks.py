"""Tell a reporter by mail that their report was closed, with the reply written for them.

Only the reporter, only while the report is still closed, only if they still belong to the
organisation (as member or advisor) and did not close it themselves. Mail goes through Django's
configured backend (the console unless SONAE_EMAIL_HOST is set); SONAE_CHECKS_NOTIFY=False stops it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from sonae.orgs.mailing import absolute_url, one_line
from sonae.orgs.models import AdvisorGrant, Membership

from .models import IncidentReport

log = logging.getLogger(__name__)


@db_task()
def notify_reporter_closed(incident_id: int) -> bool:
    return send_reporter_closed(incident_id)


def send_reporter_closed(incident_id: int) -> bool:
    """Mail the reporter of a closed report; True when a mail was sent."""
    if not getattr(settings, "SONAE_CHECKS_NOTIFY", True):
        return False
    incident = (IncidentReport.objects.select_related("org", "reported_by", "closed_by")
                .filter(pk=incident_id, status=IncidentReport.Status.CLOSED).first())
    reporter = incident.reported_by if incident else None
    if reporter is None or not reporter.is_active or not reporter.email or reporter.pk == incident.closed_by_id:
        return False
    belongs = (Membership.objects.filter(org=incident.org, user=reporter).exists()
               or AdvisorGrant.objects.filter(org=incident.org, advisor=reporter, revoked_at=None).exists())
    if not belongs:
        return False
    closer = incident.closed_by
    with translation.override("ja"):  # no member language preference is stored: Japanese, the default
        context = {
            "name": one_line(reporter.get_full_name() or reporter.email, 80),
            "org_name": one_line(incident.org.name, 60),
            "incident": incident,
            "closer": one_line((closer.get_full_name() or closer.email) if closer else "-", 80),
            "reply": incident.reply,
            "url": absolute_url("checks_my_report", incident.org_id, incident.id),
        }
        subject = _("【sonae】%(org)s：あなたの報告が対応済みになりました") % {"org": context["org_name"]}
        body = render_to_string("checks/mail_report_closed.txt", context)
    try:
        send_mail(one_line(subject, 200), body, None, [reporter.email])
    except Exception:  # a mail server problem must not undo the closing, which is already saved
        log.exception("could not tell the reporter that incident %s was closed", incident_id)
        return False
    return True
