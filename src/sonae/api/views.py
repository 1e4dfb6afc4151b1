"""Pages where a member creates and revokes their API tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sonae.orgs.access import get_api_token_for_user, org_view
from sonae.orgs.choices import Role
from sonae.orgs.models import AuditEntry, hash_token
from sonae.orgs.services import audit

from .auth import TOKEN_PREFIX
from .forms import ApiTokenForm
from .models import ApiToken


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def api_tokens(request, org):
    access = request.org_access
    form = ApiTokenForm(request.POST or None)
    new_token = None
    mine = ApiToken.objects.filter(org=org, user=request.user, revoked_at=None)
    if request.method == "POST" and form.is_valid():
        if mine.count() >= settings.SONAE_MAX_API_TOKENS:
            messages.error(request, _("APIトークンは一人%(n)d個までです。使っていないものを取り消してください。") % {"n": settings.SONAE_MAX_API_TOKENS})
        else:
            new_token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            token = ApiToken.objects.create(
                user=request.user, org=org, name=form.cleaned_data["name"], prefix=new_token[:10], token_hash=hash_token(new_token)
            )
            audit(org=org, actor=request.user, action=AuditEntry.Action.CREATE, obj=token, changes={"name": token.name})
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(org=org).select_related("user")
    if not access.is_owner:
        tokens = tokens.filter(user=request.user)
    return render(request, "api/tokens.html", {"org": org, "form": form, "tokens": tokens, "new_token": new_token})


@org_view(read=Role.VIEWER, write=Role.VIEWER)
@require_POST
def api_token_revoke(request, org, token_id: int):
    token = get_api_token_for_user(request, request.org_access, token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(org=org, actor=request.user, action=AuditEntry.Action.UPDATE, obj=token, changes={"revoked": True})
        messages.success(request, _("APIトークンを取り消しました。"))
    return redirect("api_tokens", org_id=org.id)
