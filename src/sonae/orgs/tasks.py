"""Housekeeping that runs in the background worker."""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import Invitation, SetupToken


@db_periodic_task(crontab(hour="3", minute="17"))
def nightly_cleanup() -> dict:
    """Delete expired sessions and long-dead links (they are useless and only clutter backups)."""
    return cleanup()


@db_task()
def cleanup() -> dict:
    call_command("clearsessions")
    cutoff = timezone.now() - timezone.timedelta(days=90)
    invitations, _ = Invitation.objects.filter(accepted_at=None, expires_at__lt=cutoff).delete()
    tokens, _ = SetupToken.objects.exclude(used_at=None).filter(used_at__lt=cutoff).delete()
    return {"invitations": invitations, "setup_tokens": tokens}
