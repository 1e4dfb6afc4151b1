"""Reads for 情報収集: assets with their matched advisories, and the state of the imported feeds."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from sonae.orgs.access import OrgAccess

from .models import Advisory, AdvisoryImport, AdvisoryMatch, Asset

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "": 4}


def get_asset_for_user(access: OrgAccess, asset_id: int) -> Asset:
    return get_object_or_404(Asset, org=access.org, id=asset_id)


def assets_with_matches(org) -> list[Asset]:
    matches = AdvisoryMatch.objects.select_related("advisory")
    assets = list(Asset.objects.filter(org=org).prefetch_related(Prefetch("matches", queryset=matches)))
    for asset in assets:
        asset.sorted_matches = sorted(
            asset.matches.all(),
            key=lambda m: (not m.advisory.kev, SEVERITY_ORDER.get(m.advisory.severity, 4), -(m.advisory.published.toordinal() if m.advisory.published else 0)),
        )
    # What needs attention first: exploited (KEV) matches, then any match, then VPN devices.
    assets.sort(key=lambda a: (not any(m.advisory.kev for m in a.sorted_matches), not a.sorted_matches, a.kind != Asset.Kind.VPN))
    return assets


def match_count(org) -> int:
    return AdvisoryMatch.objects.filter(org=org).count()


def latest_imports(limit: int = 5) -> list[AdvisoryImport]:
    return list(AdvisoryImport.objects.all()[:limit])


def recent_advisories(limit: int = 50) -> list[Advisory]:
    return list(Advisory.objects.all()[:limit])
