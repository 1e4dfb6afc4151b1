"""定期的に診断する: a daily mail to owners and editors when a diagnosis is due again."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sonae.orgs.choices import Role
from sonae.orgs.models import Membership, Organisation

from .models import DueReminder
from .selectors import instrument_overview


@db_periodic_task(crontab(hour="8", minute="5"))
def daily_due_reminders() -> int:
    return send_due_reminders()


def send_due_reminders() -> int:
    """Mail each organisation's owners and editors once per overdue run; returns mails sent."""
    sent = 0
    with translation.override("ja"):
        for org in Organisation.objects.all():
            due = [s for s in instrument_overview(org=org) if s.latest is not None and s.overdue]
            fresh = [s for s in due if not DueReminder.objects.filter(diagnosis=s.latest).exists()]
            if not fresh:
                continue
            recipients = list(
                Membership.objects.filter(org=org, role__in=[Role.OWNER, Role.EDITOR], user__is_active=True)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            body = render_to_string(
                "assessments/mail_due.txt",
                {"org": org, "statuses": fresh, "url": settings.SITE_URL + reverse("diagnoses_home", args=[org.id])},
            )
            with transaction.atomic():
                for status in fresh:
                    DueReminder.objects.create(org=org, diagnosis=status.latest, recipients=len(recipients))
                if recipients:
                    send_mail(f"【sonae】{org.name}：次の診断の時期です", body, None, recipients)
                    sent += 1
    return sent
