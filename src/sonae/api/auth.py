"""Bearer-token authentication for the REST API, ending in the same access rules as the pages."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer

from sonae.orgs.access import OrgAccess, get_org_access
from sonae.orgs.models import hash_token

from .models import ApiToken

TOKEN_PREFIX = "sonae_"


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
            return None
        api_token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token), revoked_at=None).first()
        if api_token is None or not api_token.user.is_active:
            return None
        try:
            access = get_org_access(api_token.user, api_token.org_id)
        except Exception:  # membership removed since the token was made
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        request.org_access = access
        return access


def access_of(request) -> OrgAccess:
    return request.auth
