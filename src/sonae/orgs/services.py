"""Writes to organisation data, each recorded in the audit log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.forms import ModelForm
from django.utils import timezone

from .choices import Role
from .models import AdvisorGrant, AuditEntry, Invitation, Membership, Organisation, SetupToken, hash_token, new_token


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return str(value)


def audit(*, org: Organisation, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """Record who did what to which object of `org`. Every service that writes calls this."""
    return AuditEntry.objects.create(
        org=org,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=getattr(actor, "email", "") or "",
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:200],
        changes={key: _plain(value) for key, value in (changes or {}).items()},
    )


def diff_form(form: ModelForm) -> dict:
    """{field: [old, new]} for the fields a bound, valid ModelForm changed."""
    return {name: [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))] for name in form.changed_data}


def audited_save(*, form: ModelForm, org: Organisation, actor, **extra) -> models.Model:
    """Save a ModelForm for an object of `org` and record the change (create or update)."""
    creating = form.instance.pk is None
    changes = {name: _plain(form.cleaned_data.get(name)) for name in form.changed_data} if creating else diff_form(form)
    with transaction.atomic():
        obj = form.save(commit=False)
        for key, value in extra.items():
            setattr(obj, key, value)
        obj.save()
        form.save_m2m()
        audit(org=org, actor=actor, action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE, obj=obj, changes=changes)
    return obj


def audited_delete(*, obj: models.Model, org: Organisation, actor) -> None:
    with transaction.atomic():
        audit(org=org, actor=actor, action=AuditEntry.Action.DELETE, obj=obj)
        obj.delete()


def organisation_create(*, owner, **fields) -> Organisation:
    with transaction.atomic():
        org = Organisation(**fields)
        org.full_clean()
        org.save()
        membership = Membership.objects.create(user=owner, org=org, role=Role.OWNER)
        audit(org=org, actor=owner, action=AuditEntry.Action.CREATE, obj=org, changes={k: _plain(v) for k, v in fields.items()})
        audit(org=org, actor=owner, action=AuditEntry.Action.CREATE, obj=membership, changes={"role": Role.OWNER})
    return org


def invitation_create(*, org: Organisation, by, role: str, as_advisor: bool = False, note: str = "") -> tuple[Invitation, str]:
    """Create an invitation; returns it with the plain token, which is shown once."""
    token = new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            org=org,
            role=Role.VIEWER if as_advisor and role == Role.OWNER else role,
            as_advisor=as_advisor,
            note=note,
            token_hash=hash_token(token),
            created_by=by,
            expires_at=timezone.now() + dt.timedelta(days=settings.SONAE_INVITATION_DAYS),
        )
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=invitation, changes={"role": invitation.role, "as_advisor": as_advisor, "note": note})
    return invitation, token


def invitation_find(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("org").filter(token_hash=hash_token(token)).first()


def invitation_revoke(*, invitation: Invitation, by) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(org=invitation.org, actor=by, action=AuditEntry.Action.UPDATE, obj=invitation, changes={"revoked": True})


class InvitationUnusable(Exception):
    pass


def invitation_accept(*, invitation: Invitation, user, advisor_org_name: str = "") -> None:
    """Turn an open invitation into a membership or an advisor grant. Each link works once."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != "open":
            raise InvitationUnusable(invitation.status)
        org = invitation.org
        if invitation.as_advisor:
            if Membership.objects.filter(user=user, org=org).exists():
                raise InvitationUnusable("already_member")
            grant, _created = AdvisorGrant.objects.update_or_create(
                org=org, advisor=user, revoked_at=None,
                defaults={"role": invitation.role, "granted_by": invitation.created_by, "advisor_org_name": advisor_org_name},
            )
            audit(org=org, actor=user, action=AuditEntry.Action.CREATE, obj=grant, changes={"role": grant.role, "advisor": user.email})
        else:
            if Membership.objects.filter(user=user, org=org).exists():
                raise InvitationUnusable("already_member")
            membership = Membership.objects.create(user=user, org=org, role=invitation.role)
            audit(org=org, actor=user, action=AuditEntry.Action.CREATE, obj=membership, changes={"role": invitation.role, "user": user.email})
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at"])


def advisor_grant_revoke(*, grant: AdvisorGrant, by) -> None:
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit(org=grant.org, actor=by, action=AuditEntry.Action.UPDATE, obj=grant, changes={"revoked": True})


def membership_change_role(*, membership: Membership, role: str, by) -> None:
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit(org=membership.org, actor=by, action=AuditEntry.Action.UPDATE, obj=membership, changes={"role": [old, role]})


def owners_left_after(membership: Membership, new_role: str | None) -> int:
    owners = Membership.objects.filter(org=membership.org, role=Role.OWNER).exclude(pk=membership.pk).count()
    return owners + (1 if new_role == Role.OWNER else 0)


def setup_token_issue() -> str | None:
    """A fresh one-time setup link token while nobody has an account yet; None afterwards."""
    from django.contrib.auth import get_user_model

    if get_user_model().objects.exists():
        return None
    token = new_token()
    SetupToken.objects.filter(used_at=None).delete()
    SetupToken.objects.create(token_hash=hash_token(token))
    return token


def setup_token_valid(token: str) -> bool:
    from django.contrib.auth import get_user_model

    if not token or len(token) > 100 or get_user_model().objects.exists():
        return False
    return SetupToken.objects.filter(token_hash=hash_token(token), used_at=None).exists()
