"""The loop's daily work: one reminder digest per person, and the loop score snapshot for the history chart.

The digest replaces the separate daily reminder mails of the diagnoses (定期的に診断する) and of the rules
(reminders to acknowledge), so a person gets at most one reminder mail a day, however many organisations and
kinds of due items they have. A notice about something that happens now (a rule just published or revised,
sonae.documents.tasks.notify_rule_members) is still sent at once: it is news, not a reminder.

Each digest is recorded first (DigestMail, unique per person and day; a DigestEntry per item and window; the
documents area's RuleNotice and the diagnoses' DueReminder as before), then sent; a failed send removes the
records, so the next daily run tries again and nobody is told the same thing twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sonae.orgs.mailing import absolute_url, one_line
from sonae.orgs.models import AuditEntry, Membership, Organisation
from sonae.orgs.services import audit

from .models import DigestEntry, DigestMail, LoopSnapshot, ReminderOptOut
from .reminders import DueItem, member_due_items
from .selectors import loop_summaries

log = logging.getLogger(__name__)
SNAPSHOT_CHUNK = 500


@db_periodic_task(crontab(hour="8", minute="5"))
def daily_digest() -> int:
    return send_digests()


@db_periodic_task(crontab(hour="2", minute="40"))
def daily_loop_snapshots() -> int:
    return record_snapshots()


def record_snapshots(*, today: dt.date | None = None) -> int:
    """Store today's loop score of every organisation (again on a re-run: the day's row is updated)."""
    today = today or timezone.localdate()
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    stored = 0
    with translation.override("ja"):
        for start in range(0, len(ids), SNAPSHOT_CHUNK):
            for org_id, summary in loop_summaries(ids[start:start + SNAPSHOT_CHUNK], today=today).items():
                LoopSnapshot.objects.update_or_create(org_id=org_id, day=today,
                                                      defaults={"score": summary.score, "areas": summary.area_scores})
                stored += 1
    return stored


def _fresh(items: list[DueItem], user, org_id: int) -> list[DueItem]:
    """Items due a mention today that this person was not told about in this window yet."""
    wanted = [i for i in items if i.window and i.rule_version_id is None]
    told = set(DigestEntry.objects.filter(user=user, org_id=org_id, key__in=[i.key for i in wanted]).values_list("key", "window"))
    return [i for i in items if i.window and (i.rule_version_id is not None or (i.key, i.window) not in told)]


def digest_items_for(user, *, now: dt.datetime) -> list[tuple[Organisation, list[DueItem]]]:
    """Per organisation of `user`: the items today's digest would mention, after their opt-outs."""
    result = []
    memberships = Membership.objects.filter(user=user).select_related("org", "user").order_by("org__name", "org_id")
    optouts = set(ReminderOptOut.objects.filter(user=user).values_list("org_id", "kind"))
    for membership in memberships:
        items = [i for i in member_due_items(membership, now=now) if (membership.org_id, i.kind) not in optouts]
        fresh = _fresh(items, user, membership.org_id)
        if fresh:
            result.append((membership.org, fresh))
    return result


def send_digests(*, now: dt.datetime | None = None) -> int:
    """Mail each person with something due their one digest of the day; returns the number of mails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    users = (get_user_model().objects.filter(is_active=True, memberships__isnull=False).exclude(email="").distinct()
             .order_by("id"))
    connection = get_connection()
    sent = 0
    with translation.override("ja"):  # no member language preference is stored: Japanese, the default
        for user in users:
            if DigestMail.objects.filter(user=user, day=today).exists():
                continue
            groups = digest_items_for(user, now=now)
            if groups and _send_one(user, groups, today, connection):
                sent += 1
    return sent


def _record(user, groups, today) -> tuple[DigestMail, list]:
    from sonae.assessments.models import DueReminder
    from sonae.documents.models import RuleNotice

    created = []
    digest = DigestMail.objects.create(user=user, day=today, items=sum(len(items) for _org, items in groups))
    for org, items in groups:
        for item in items:
            if item.rule_version_id is not None:
                notice = RuleNotice.objects.create(org=org, version_id=item.rule_version_id, user=user, window=item.rule_window)
                created.append(notice)
            else:
                DigestEntry.objects.create(digest=digest, org=org, user=user, kind=item.kind, key=item.key, window=item.window)
            if item.diagnosis_id is not None:
                reminder, made = DueReminder.objects.get_or_create(diagnosis_id=item.diagnosis_id, defaults={"org": org})
                reminder.recipients += 1
                reminder.save(update_fields=["recipients"])
                if made:
                    created.append(reminder)
    return digest, created


def _send_one(user, groups, today, connection) -> bool:
    try:
        with transaction.atomic():
            digest, created = _record(user, groups, today)
    except IntegrityError:  # another run sent this person's digest (or this rule notice) first
        return False
    count = digest.items
    if len(groups) == 1:
        subject = _("【sonae】%(org)s：備えの点検のお知らせ（%(n)d件）") % {"org": one_line(groups[0][0].name, 60), "n": count}
    else:
        subject = _("【sonae】備えの点検のお知らせ（%(n)d件）") % {"n": count}
    context = {
        "name": one_line(user.get_full_name() or user.email, 80),
        "groups": [{"org_name": one_line(org.name, 60), "items": items,
                    "settings_url": absolute_url("loop_reminders", org.id), "loop_url": absolute_url("loop_home", org.id)}
                   for org, items in groups],
        "today": today,
        "rules_every": settings.SONAE_RULE_REMINDER_DAYS if any(i.rule_version_id for _o, items in groups for i in items) else 0,
    }
    message = EmailMessage(one_line(subject, 200), render_to_string("loop/mail_digest.txt", context), None, [user.email],
                           connection=connection,
                           headers={"List-Unsubscribe": f"<{context['groups'][0]['settings_url']}>"})
    try:
        message.send()
    except Exception:  # a mail server problem: forget the records so the next run tries again
        log.exception("could not send the reminder digest to user %s", user.id)
        for obj in created:
            obj.delete()
        digest.delete()
        return False
    from sonae.documents.models import RuleNotice

    for obj in created:
        if isinstance(obj, RuleNotice):
            audit(org=obj.org, actor=None, action=AuditEntry.Action.CREATE, obj=obj, changes={"user": user.email, "window": obj.window})
    return True
