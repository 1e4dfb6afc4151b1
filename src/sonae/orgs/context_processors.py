from __future__ import annotations

from .access import orgs_for_user


def navigation(request) -> dict:
    """The organisation switcher and the current organisation for the base template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = getattr(request, "org_access", None)
    if not hasattr(request, "_sonae_nav_orgs"):  # dashboard panels render with the same request
        request._sonae_nav_orgs = orgs_for_user(user)
    return {
        "nav_orgs": request._sonae_nav_orgs,
        "current_access": current,
        "current_org": current.org if current else None,
    }
