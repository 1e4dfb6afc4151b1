from __future__ import annotations

from .access import orgs_for_user


def navigation(request) -> dict:
    """The organisation switcher and the current organisation for the base template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = getattr(request, "org_access", None)
    return {
        "nav_orgs": orgs_for_user(user),
        "current_access": current,
        "current_org": current.org if current else None,
    }
