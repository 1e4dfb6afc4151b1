"""Walk every URL pattern of the project and prove the access rules for each.

For every page under /o/<org_id>/:
  - the view is wrapped by orgs.access.org_view (it carries `sonae_access`);
  - an outsider gets 404 on GET and POST, with ids that exist in another organisation;
  - a viewer gets 403 where the view needs more than viewer, on GET and on POST;
  - the owner can open every GET page (no 403/404/500), except the pages of one person's own objects
    (REPORTER_ONLY), where the owner, not being that person, gets 404;
  - an anonymous visitor is sent to the login page.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sonae.orgs.choices import ROLE_RANK, Role

from url_kwargs import URL_KWARG_MAKERS

# Org-scoped views that check access themselves (documented reason each).
SELF_CHECKED = {
    "mfa_required",  # must not loop through org_view's own MFA redirect; calls get_org_access directly
}


# Pages of an object that only the person who made it may open, whatever their role. The URL makers
# create these objects as the viewer (tests/url_kwargs.py), so the viewer opens them and the owner gets 404.
REPORTER_ONLY = {
    "checks_my_report",  # a member's own incident report (自分の報告)
    "quiz_play",  # a member's own quiz play and its result
    "quiz_result",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def org_patterns():
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if "<int:org_id>" in route:
            found.append((route, pattern))
    return found


def _fill(route: str, org, owner, viewer) -> str:
    import re

    def replace(match):
        name = match.group(2)
        if name == "org_id":
            return str(org.id)
        if name not in URL_KWARG_MAKERS:
            raise AssertionError(f"no maker for URL parameter {name!r} in {route}: add one to tests/url_kwargs.py")
        return str(URL_KWARG_MAKERS[name](org, owner, viewer))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


def _role_allows(role: str, needed: str) -> bool:
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(needed)]


def test_there_are_org_pages_to_walk():
    assert len(org_patterns()) >= 10


@pytest.mark.parametrize("route,pattern", org_patterns(), ids=[r for r, _ in org_patterns()])
def test_access_rules(route, pattern, client, alice, bob, charlie, org, other_org):
    name = pattern.name
    access = getattr(pattern.callback, "sonae_access", None)
    if name not in SELF_CHECKED:
        assert access is not None, f"{route} ({name}) does not go through orgs.access.org_view"

    url = _fill(route, org, alice, bob)

    # Anonymous: to the login page, never the data.
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"], route

    # Outsider, with the ids of Alice's organisation: 404 for reading and writing.
    client.force_login(charlie)
    assert client.get(url).status_code == 404, route
    assert client.post(url, {"name": "x", "role": "owner"}).status_code == 404, route

    # Viewer: 403 where the view needs more than a viewer.
    client.force_login(bob)
    if access:
        get_status = client.get(url).status_code
        if _role_allows(Role.VIEWER, access["read"]):
            assert get_status in (200, 302, 405), (route, get_status)
        else:
            assert get_status == 403, (route, get_status)
        if not _role_allows(Role.VIEWER, access["write"]):
            assert client.post(url, {"name": "x", "role": "owner"}).status_code == 403, route

    # Owner: every page opens (another person's own object stays hidden, even from the owner).
    client.force_login(alice)
    status = client.get(url).status_code
    if name in REPORTER_ONLY:
        assert status == 404, (route, status)
    else:
        assert status in (200, 302, 405), (route, status)
