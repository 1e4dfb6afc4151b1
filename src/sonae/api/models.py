from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonae.orgs.models import Organisation
from sonae.orgs.validators import validate_plain_text


class ApiToken(models.Model):
    """A member's key for the REST API, scoped to one organisation.

    The role is not stored here: it is read from the membership at every request, so
    demoting or removing a member limits or stops their tokens at once.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名前（用途）"), max_length=100, validators=[validate_plain_text])
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("APIトークン")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
