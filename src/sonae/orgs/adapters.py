"""allauth hooks: sign-up is closed except through a setup link or an invitation."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import timezone

from .models import SetupToken, hash_token
from .services import InvitationUnusable, invitation_accept, invitation_find, setup_token_valid

SESSION_SETUP = "sonae_setup_token"
SESSION_INVITATION = "sonae_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        if setup_token_valid(request.session.get(SESSION_SETUP, "")):
            return True
        invitation = invitation_find(request.session.get(SESSION_INVITATION, ""))
        return invitation is not None and invitation.status == "open"

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        setup = request.session.pop(SESSION_SETUP, "")
        if setup:
            # Only the first person through the link gets it; `update` makes that atomic.
            if SetupToken.objects.filter(token_hash=hash_token(setup), used_at=None).update(used_at=timezone.now()):
                # Who set the installation up looks after it: installation admin (backup warnings).
                user.is_staff = True
                if commit:
                    user.save(update_fields=["is_staff"])
            request.session["sonae_after_signup"] = reverse("org_create")
        invitation = invitation_find(request.session.pop(SESSION_INVITATION, ""))
        if invitation is not None:
            try:
                invitation_accept(invitation=invitation, user=user)
                request.session["sonae_after_signup"] = reverse("dashboard", args=[invitation.org_id])
            except InvitationUnusable:
                pass
        return user

    def get_signup_redirect_url(self, request) -> str:
        return request.session.pop("sonae_after_signup", None) or reverse("home")
