"""Access rules in one place: who may read or write an organisation and what belongs to it.

Every view that shows organisation data goes through `org_view` (pages) or the API's token
auth, which both end in `get_org_access`:
  - not a member (and no active advisor grant)  -> 404, the organisation does not exist for them;
  - a member whose role is too low for the request -> 403.
Object helpers below (`get_invitation_for_user`, ...) load an object *through* the organisation,
so another organisation's id in the URL is a 404 as well. `access_roles_sql` is the same rule as
SQL, for the AI gateway, which checks its caller in one statement on every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect

from .choices import Role
from .models import AdvisorGrant, Invitation, Membership, Organisation, role_at_least

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class OrgAccess:
    org: Organisation
    role: str  # owner / editor / viewer
    is_advisor: bool

    @property
    def can_write(self) -> bool:
        return role_at_least(self.role, Role.EDITOR)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


def _one(queryset):
    return next(iter(queryset.order_by()[:1]), None)


def get_org_access(user, org_id) -> OrgAccess:
    """The user's access to organisation `org_id`, or Http404 when they have none."""
    if not user.is_authenticated:
        raise Http404
    try:
        org_id = int(org_id)
    except (TypeError, ValueError):
        raise Http404 from None
    # At most one row each; unordered LIMIT 1 skips the models' default ORDER BY (this runs on every request).
    membership = _one(Membership.objects.select_related("org").filter(user=user, org_id=org_id))
    if membership:
        return OrgAccess(membership.org, membership.role, is_advisor=False)
    grant = _one(AdvisorGrant.objects.select_related("org").filter(advisor=user, org_id=org_id, revoked_at=None))
    if grant:
        return OrgAccess(grant.org, grant.role, is_advisor=True)
    raise Http404


def access_roles_sql(user_ref: str, org_ref: str) -> str:
    """`get_org_access`'s rule as two SQL select expressions, for a hot path that needs one statement.

    `user_ref` and `org_ref` are column references of the enclosing statement (e.g. `t."user_id"`).
    The expressions give the member's role and the role of a grant that is not revoked, each NULL
    when there is none; access exists when either is not NULL, and the membership wins, as above.
    Used by the AI gateway (sonae.aicheck.selectors.gateway_caller); a test there checks that both
    agree for members, outsiders and live, revoked and repeated advisor grants.
    """
    from django.db import connection

    q = connection.ops.quote_name

    def col(model, name: str) -> str:
        return q(model._meta.get_field(name).column)

    M, G = Membership, AdvisorGrant
    member = (
        f"(SELECT m.{col(M, 'role')} FROM {q(M._meta.db_table)} m "
        f"WHERE m.{col(M, 'user')} = {user_ref} AND m.{col(M, 'org')} = {org_ref} LIMIT 1)"
    )
    grant = (
        f"(SELECT g.{col(G, 'role')} FROM {q(G._meta.db_table)} g "
        f"WHERE g.{col(G, 'advisor')} = {user_ref} AND g.{col(G, 'org')} = {org_ref} AND g.{col(G, 'revoked_at')} IS NULL LIMIT 1)"
    )
    return f"{member}, {grant}"


def require_role(access: OrgAccess, needed: str) -> None:
    if not role_at_least(access.role, needed):
        raise PermissionDenied


def user_has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def org_view(*, read: str = Role.VIEWER, write: str = Role.EDITOR) -> Callable:
    """Decorate a page view taking `org_id`: loads `request.org_access` or refuses.

    `read` is the role needed for GET/HEAD, `write` the role needed for any other method.
    The decorated view carries `sonae_access` so the URL-walking test can check every view.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, org_id: int, *args, **kwargs):
            access = get_org_access(request.user, org_id)
            request.org_access = access  # set first, so a 403 page still shows the navigation
            require_role(access, read if request.method in SAFE_METHODS else write)
            if access.org.require_mfa and not user_has_mfa(request.user):
                return redirect("mfa_required", org_id=access.org.id)
            if request.session.get("current_org_id") != access.org.id:  # avoid a session write per page
                request.session["current_org_id"] = access.org.id
            return view(request, access.org, *args, **kwargs)

        wrapper.sonae_access = {"read": read, "write": write}
        return wrapper

    return decorator


# --- object helpers: one per object type, always through the organisation --------------------------


def get_invitation_for_user(access: OrgAccess, invitation_id: int) -> Invitation:
    return get_object_or_404(Invitation, org=access.org, id=invitation_id)


def get_membership_for_user(access: OrgAccess, membership_id: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), org=access.org, id=membership_id)


def get_advisor_grant_for_user(access: OrgAccess, grant_id: int) -> AdvisorGrant:
    return get_object_or_404(AdvisorGrant.objects.select_related("advisor"), org=access.org, id=grant_id)


def get_api_token_for_user(request: HttpRequest, access: OrgAccess, token_id: int) :
    """A member sees and revokes their own tokens; an owner sees every token of the organisation."""
    from sonae.api.models import ApiToken

    tokens = ApiToken.objects.filter(org=access.org)
    if not access.is_owner:
        tokens = tokens.filter(user=request.user)
    return get_object_or_404(tokens, id=token_id)


def orgs_for_user(user) -> list[OrgAccess]:
    """Every organisation the user can open, as member or as advisor."""
    if not user.is_authenticated:
        return []
    result = [OrgAccess(m.org, m.role, False) for m in Membership.objects.filter(user=user).select_related("org")]
    seen = {a.org.id for a in result}
    for grant in AdvisorGrant.objects.filter(advisor=user, revoked_at=None).select_related("org"):
        if grant.org.id not in seen:
            result.append(OrgAccess(grant.org, grant.role, True))
    return result
