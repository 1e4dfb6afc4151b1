"""Is there a recent good backup? (dashboard warning, `sonae backup --status`)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import BackupRecord

STALE_AFTER = dt.timedelta(days=2)


@dataclass(frozen=True)
class BackupHealth:
    scheduled: bool  # SONAE_BACKUP_KEEP > 0
    last_good: BackupRecord | None
    last_failed: BackupRecord | None  # only when it came after the last good one
    stale: bool


def backup_health(now: dt.datetime | None = None) -> BackupHealth:
    now = now or timezone.now()
    scheduled = settings.SONAE_BACKUP_KEEP > 0
    last_good = BackupRecord.objects.filter(status=BackupRecord.Status.OK).order_by("-finished_at").first()
    failed = BackupRecord.objects.filter(status=BackupRecord.Status.FAILED)
    if last_good:
        failed = failed.filter(finished_at__gt=last_good.finished_at)
    last_failed = failed.order_by("-finished_at").first()
    if last_good:
        stale = now - last_good.finished_at > STALE_AFTER
    else:
        # A new installation has had no night yet: warn once it is older than the allowed gap.
        first_user = get_user_model().objects.order_by("date_joined").values_list("date_joined", flat=True).first()
        stale = first_user is not None and now - first_user > STALE_AFTER
    return BackupHealth(scheduled=scheduled, last_good=last_good, last_failed=last_failed, stale=scheduled and stale)


def is_installation_admin(user) -> bool:
    """The people who look after the installation (docs/operations.md): Django's staff or superusers."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))
