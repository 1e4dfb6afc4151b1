"""Writes of the loop area, each recorded in the audit log: reminder settings and calendar feeds."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sonae.orgs.models import AuditEntry, hash_token, new_token
from sonae.orgs.services import audit

from .models import CalendarFeed, ReminderKind, ReminderOptOut


def reminder_settings_save(*, org, user, enabled: set[str]) -> None:
    """Keep the kinds in `enabled` on and turn the others off, for this member in this organisation."""
    kinds = set(ReminderKind.values)
    off = kinds - set(enabled)
    with transaction.atomic():
        before = set(ReminderOptOut.objects.filter(org=org, user=user).values_list("kind", flat=True))
        ReminderOptOut.objects.filter(org=org, user=user).exclude(kind__in=off).delete()
        for kind in off - before:
            ReminderOptOut.objects.create(org=org, user=user, kind=kind)
        if before != off:
            from sonae.orgs.models import Membership

            membership = Membership.objects.get(org=org, user=user)
            audit(org=org, actor=user, action=AuditEntry.Action.UPDATE, obj=membership,
                  changes={"reminders_off": [sorted(before), sorted(off)]})


def calendar_feed_create(*, org, user) -> tuple[CalendarFeed, str]:
    """A new secret feed address; any earlier one of this member stops working. The secret is shown once."""
    token = new_token()
    with transaction.atomic():
        for old in CalendarFeed.objects.filter(org=org, user=user, revoked_at=None):
            calendar_feed_revoke(feed=old, by=user)
        feed = CalendarFeed.objects.create(org=org, user=user, token_hash=hash_token(token))
        audit(org=org, actor=user, action=AuditEntry.Action.CREATE, obj=feed, changes={"user": user.email})
    return feed, token


def calendar_feed_revoke(*, feed: CalendarFeed, by) -> None:
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit(org=feed.org, actor=by, action=AuditEntry.Action.UPDATE, obj=feed, changes={"revoked": True})


def calendar_feed_find(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    return CalendarFeed.objects.select_related("org", "user").filter(token_hash=hash_token(token), revoked_at=None).first()
