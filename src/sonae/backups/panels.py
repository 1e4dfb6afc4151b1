"""Dashboard panel: warns the installation admin when the last good backup is older than two days."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string

from .selectors import backup_health, is_installation_admin


def dashboard_panel(request: HttpRequest, org) -> str:
    if not is_installation_admin(request.user):
        return ""
    health = backup_health()
    if not health.stale:
        return ""
    return render_to_string("backups/_panel.html", {"health": health, "folder": settings.SONAE_BACKUP_DIR}, request=request)
