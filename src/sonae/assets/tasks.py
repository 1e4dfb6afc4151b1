"""Mail the owners when a new advisory concerns a VPN device, or anything known to be exploited (KEV).

One mail per owner and organisation, listing the advisories not mailed to them before. Each
(organisation, advisory, owner) is recorded in AdvisoryNotice *before* sending, so a retried task or
a second import never mails it twice; if the send fails the rows are removed, and the next import
that touches them tries again.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from sonae.orgs.choices import Role
from sonae.orgs.mailing import absolute_url, one_line
from sonae.orgs.models import Membership

from .models import AdvisoryMatch, AdvisoryNotice

log = logging.getLogger(__name__)


@db_task()
def notify_new_matches(match_ids: list[int]) -> int:
    return send_match_notices(match_ids)


def send_match_notices(match_ids: list[int]) -> int:
    """Send the mails for these matches; returns how many mails went out."""
    if not getattr(settings, "SONAE_ADVISORY_NOTIFY", True):
        return 0
    matches = (AdvisoryMatch.objects.filter(id__in=match_ids).select_related("asset", "advisory", "org"))
    urgent = [m for m in matches if m.asset.urgent_kind or m.advisory.kev]
    by_org = defaultdict(list)
    for match in urgent:
        by_org[match.org].append(match)
    sent = 0
    for org, org_matches in by_org.items():
        owners = Membership.objects.filter(org=org, role=Role.OWNER, user__is_active=True).exclude(user__email="").select_related("user")
        for membership in owners:
            user = membership.user
            recorded = []
            for match in org_matches:
                try:
                    with transaction.atomic():
                        AdvisoryNotice.objects.create(org=org, advisory=match.advisory, user=user)
                    recorded.append(match)
                except IntegrityError:
                    continue  # already told about this advisory
            if not recorded:
                continue
            with translation.override("ja"):
                context = {
                    "name": one_line(user.get_full_name() or user.email, 80),
                    "org_name": one_line(org.name, 60),
                    "matches": [(one_line(m.asset.name, 60), one_line(m.advisory.ident, 40), one_line(m.advisory.title, 120),
                                 m.advisory.kev, m.asset.urgent_kind, m.advisory.url) for m in recorded],
                    "url": absolute_url("assets_home", org.id),
                }
                subject = _("【sonae】%(org)s：使っている機器に関係する脆弱性情報があります（%(n)s件）") % {
                    "org": context["org_name"], "n": len(recorded)}
                body = render_to_string("assets/mail_matches.txt", context)
            try:
                send_mail(one_line(subject, 200), body, None, [user.email])
                sent += 1
            except Exception:  # the import is saved; forget the notices so the next run tries again
                log.exception("could not mail advisory matches to %s", user.pk)
                AdvisoryNotice.objects.filter(org=org, user=user, advisory__in=[m.advisory for m in recorded]).delete()
    return sent
