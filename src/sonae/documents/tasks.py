"""Rules reaching people by mail: a notice when a rule is published or a new version approved, then a
reminder every SONAE_RULE_REMINDER_DAYS days to members who still have not acknowledged it.

The notice goes out at once (notify_rule_members). The reminders, and a first notice for someone who joined
later or whose notice could not be sent, are items of the loop's daily digest (sonae.loop.tasks), which keeps
to one reminder mail per person a day and records them here as RuleNotice rows with the same windows.
`send_rule_notices()` without a document still mails every pending member separately (kept for an operator
who wants to send all notices now).

Who is mailed: members of the rule's organisation (owners, editors and viewers alike: everyone is asked
to acknowledge) with an active account and an e-mail address, who have not acknowledged the current
version. Advisors (支援者) are not members and are never asked to acknowledge, so never mailed.

Each mail is first recorded as a RuleNotice (unique per version, member and window), then sent; a
failed send removes the record, so the next daily run tries again and nobody gets the same mail twice.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from sonae.orgs.mailing import absolute_url, one_line
from sonae.orgs.models import AuditEntry, Membership
from sonae.orgs.services import audit

from .models import Acknowledgement, Document, DocumentVersion, RuleNotice
from .selectors import current_approved

log = logging.getLogger(__name__)


@db_task()
def notify_rule_members(document_id: int) -> int:
    """Queued when an owner publishes a rule or approves a new version of a published one."""
    return send_rule_notices(document_id=document_id)


def reached_members_at(version: DocumentVersion, document: Document) -> datetime:
    """When members were first asked to acknowledge this version: publication or approval, the later."""
    return max(t for t in (document.shared_at, version.approved_at) if t is not None)


def notice_window(version: DocumentVersion, document: Document, now: datetime) -> int:
    """0 during the first SONAE_RULE_REMINDER_DAYS days after the version reached members, then 1, 2, …"""
    elapsed = now - reached_members_at(version, document)
    return max(0, elapsed.days // settings.SONAE_RULE_REMINDER_DAYS)


def send_rule_notices(*, document_id: int | None = None, now: datetime | None = None) -> int:
    """Mail every member who has not acknowledged a shared rule and was not yet mailed in this window.

    With `document_id`, only that document. Returns the number of mails sent.
    """
    now = now or timezone.now()
    documents = Document.objects.filter(shared_at__isnull=False).select_related("org")
    if document_id is not None:
        documents = documents.filter(pk=document_id)
    sent = 0
    connection = get_connection()
    with translation.override("ja"):  # no member language preference is stored: Japanese, the default
        for document in documents:
            version = current_approved(document)
            if version is None:
                continue
            sent += _notify_pending(document, version, notice_window(version, document, now), connection)
    return sent


def _notify_pending(document: Document, version: DocumentVersion, window: int, connection) -> int:
    org = document.org
    done = set(Acknowledgement.objects.filter(version=version).values_list("user_id", flat=True))
    done |= set(RuleNotice.objects.filter(version=version, window=window).values_list("user_id", flat=True))
    pending = (
        Membership.objects.filter(org=org, user__is_active=True)
        .exclude(user__email="")
        .exclude(user_id__in=done)
        .select_related("user")
        .order_by("user__email")
    )
    if not pending:
        return 0
    read_before = set(
        Acknowledgement.objects.filter(version__document=document).exclude(version=version).values_list("user_id", flat=True)
    )
    link = absolute_url("document_version", org.id, version.id)
    title = one_line(document.title, 60)
    org_name = one_line(org.name, 60)
    sent = 0
    for membership in pending:
        user = membership.user
        revised = window == 0 and user.id in read_before
        context = {
            "org_name": org_name, "title": title, "number": version.number, "url": link, "window": window,
            "revised": revised, "since": reached_members_at(version, document),
            "name": one_line(user.get_full_name() or user.email, 80),
            "every": settings.SONAE_RULE_REMINDER_DAYS,
        }
        names = {"org": org_name, "title": title, "n": version.number}
        if window:
            subject = _("【sonae】%(org)s：「%(title)s」の確認がまだです（リマインダー）") % names
        elif revised:
            subject = _("【sonae】%(org)s：「%(title)s」が改訂されました（第%(n)d版）") % names
        else:
            subject = _("【sonae】%(org)s：社内ルール「%(title)s」の確認をお願いします") % names
        try:
            with transaction.atomic():
                notice = RuleNotice.objects.create(org=org, version=version, user=user, window=window)
        except IntegrityError:  # another run mailed this member for this window first
            continue
        try:
            send_mail(one_line(subject, 200), render_to_string("documents/mail_rule_notice.txt", context), None,
                      [user.email], connection=connection)
        except Exception:  # a mail server problem: forget the record so the next run tries again
            log.exception("could not send the rule notice for version %s to user %s", version.id, user.id)
            notice.delete()
            continue
        audit(org=org, actor=None, action=AuditEntry.Action.CREATE, obj=notice,
              changes={"user": user.email, "window": window})
        sent += 1
    return sent
