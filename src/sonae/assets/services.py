"""Writes: IT assets (one by one or a whole list), advisory imports, and the matches between them.

An advisory import is all or nothing: the whole file is parsed before anything is written, and the
writes run in one transaction. New matches on a VPN device, or with an advisory known to be exploited
(CISA KEV), are mailed to the organisation's owners after the commit (tasks.notify_new_matches).
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sonae.engines.advisories import Advisory as Record
from sonae.engines.advisories import AssetIndex, AssetKey, Feed, Product, cpe_parts, normalise_name, parse_feed
from sonae.orgs.models import AuditEntry
from sonae.orgs.services import audit

from .models import Advisory, AdvisoryImport, AdvisoryMatch, Asset

ASSET_FIELDS = ("kind", "name", "vendor", "product", "version", "cpe", "caretaker", "note")
MAX_FEED_BYTES = 50 * 1024 * 1024  # the full KEV catalog is ~1.5 MB; a JVN year feed a few MB


def _key(asset: Asset) -> AssetKey:
    return AssetKey(asset.id, asset.vendor, asset.product, asset.cpe)


def _notify_later(match_ids: list[int]) -> None:
    if match_ids:
        from .tasks import notify_new_matches

        transaction.on_commit(lambda: notify_new_matches(match_ids))


def vendor_keys_of(products) -> str:
    keys = set()
    for product in products:
        keys.add(normalise_name(product.vendor))
        if parts := cpe_parts(product.cpe):
            keys.add(normalise_name(parts[0]))
    keys.discard("")
    return (" " + " ".join(sorted(keys)) + " ")[:1000] if keys else ""


def assets_rematch(assets: list[Asset]) -> list[AdvisoryMatch]:
    """Match assets against the stored advisories of their vendors (after they were added or changed)."""
    index = AssetIndex([_key(a) for a in assets])
    wanted: dict[tuple[int, int], str] = {}
    if index.by_vendor:
        query = Q()
        for key in index.by_vendor:
            query |= Q(vendor_keys__contains=f" {key} ")
        for advisory in Advisory.objects.filter(query).only("id", "source", "ident", "title", "products").iterator(chunk_size=2000):
            for asset, how in index.matches(_record_of(advisory)):
                wanted[(asset.id, advisory.id)] = how
    ids = [a.id for a in assets]
    existing = set(AdvisoryMatch.objects.filter(asset_id__in=ids).values_list("asset_id", "advisory_id"))
    for asset_id, advisory_id in existing - set(wanted):
        AdvisoryMatch.objects.filter(asset_id=asset_id, advisory_id=advisory_id).delete()
    org_of = {a.id: a.org_id for a in assets}
    created = [AdvisoryMatch(org_id=org_of[a], asset_id=a, advisory_id=v, how=h) for (a, v), h in wanted.items() if (a, v) not in existing]
    AdvisoryMatch.objects.bulk_create(created, batch_size=1000)
    new = [m for m in AdvisoryMatch.objects.filter(asset_id__in=ids) if (m.asset_id, m.advisory_id) not in existing]
    _notify_later([m.id for m in new])
    return new


def _record_of(advisory: Advisory) -> Record:
    return Record(source=advisory.source, ident=advisory.ident, title=advisory.title,
                  products=tuple(Product(p.get("vendor", ""), p.get("product", ""), p.get("cpe", "")) for p in advisory.products))


def asset_save(*, org, by, asset: Asset | None = None, **fields) -> Asset:
    creating = asset is None
    asset = asset or Asset(org=org, created_by=by)
    before = {name: getattr(asset, name) for name in ASSET_FIELDS}
    for name in ASSET_FIELDS:
        if name in fields:
            setattr(asset, name, fields[name])
    asset.updated_at = timezone.now()
    with transaction.atomic():
        asset.full_clean(exclude=["org", "created_by"])
        asset.save()
        changes = ({n: getattr(asset, n) for n in ASSET_FIELDS if getattr(asset, n)} if creating
                   else {n: [before[n], getattr(asset, n)] for n in ASSET_FIELDS if before[n] != getattr(asset, n)})
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE, obj=asset, changes=changes)
        assets_rematch([asset])
    return asset


def asset_delete(*, asset: Asset, by) -> None:
    with transaction.atomic():
        audit(org=asset.org, actor=by, action=AuditEntry.Action.DELETE, obj=asset, changes={"name": asset.name, "kind": asset.kind})
        asset.delete()


def assets_import(*, org, by, rows: list[dict], file_name: str) -> list[Asset]:
    """Add every row of a checked asset list, in one transaction (the caller has refused lists with errors)."""
    with transaction.atomic():
        created = []
        for row in rows:
            asset = Asset(org=org, created_by=by, **{k: row.get(k, "") for k in ASSET_FIELDS})
            asset.full_clean(exclude=["org", "created_by"])
            created.append(asset)
        Asset.objects.bulk_create(created)
        if any(asset.pk is None for asset in created):  # a database that does not return ids from bulk inserts
            created = list(Asset.objects.filter(org=org).order_by("-id")[: len(created)])
        for asset in created:
            audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=asset,
                  changes={**{n: getattr(asset, n) for n in ASSET_FIELDS if getattr(asset, n)}, "file": file_name[:100]})
        assets_rematch(created)
    return created


class FeedTooLarge(ValueError):
    pass


def advisories_import(*, data: bytes, file_name: str) -> AdvisoryImport:
    """Import a whole feed or nothing. Raises engines.advisories.FeedError for a file that is not one."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedTooLarge(len(data))
    feed: Feed = parse_feed(data)  # everything is read before anything is written
    digest = hashlib.sha256(data).hexdigest()
    source = feed.kind
    with transaction.atomic():
        record = AdvisoryImport.objects.create(source=source, file_name=file_name[:200], sha256=digest,
                                               feed_version=feed.version[:40], total=len(feed.advisories))
        idents = [x.ident for x in feed.advisories]
        existing = {}
        for start in range(0, len(idents), 5000):  # SQLite allows a limited number of query parameters
            for advisory in Advisory.objects.filter(ident__in=idents[start:start + 5000]):
                existing[(advisory.source, advisory.ident)] = advisory
        to_create, to_update, unchanged = [], [], []
        for item in feed.advisories:
            values = dict(
                title=item.title, summary=item.summary, url=item.url, cves=list(item.cves),
                products=[{"vendor": p.vendor, "product": p.product, "cpe": p.cpe} for p in item.products],
                vendor_keys=vendor_keys_of(item.products),
                severity=item.severity or "", score=item.score, published=item.published,
                kev=item.kev, ransomware=item.ransomware, due_date=item.due_date, last_import=record,
            )
            current = existing.get((item.source, item.ident))
            if current is None:
                to_create.append(Advisory(source=item.source, ident=item.ident, **values))
            else:
                if current.kev and not item.kev:  # a JVN record of a CVE never un-lists it from KEV
                    values.update(kev=True, ransomware=current.ransomware, due_date=current.due_date)
                changed = [name for name, value in values.items() if name != "last_import" and getattr(current, name) != value]
                for name, value in values.items():
                    setattr(current, name, value)
                (to_update if changed else unchanged).append(current)
        Advisory.objects.bulk_create(to_create, batch_size=1000)
        # bulk_update writes one CASE per field and row: only the records that changed, in small batches.
        Advisory.objects.bulk_update(to_update, ["title", "summary", "url", "cves", "products", "severity", "score",
                                                 "published", "kev", "ransomware", "due_date", "last_import", "vendor_keys"], batch_size=200)
        Advisory.objects.filter(id__in=[a.id for a in unchanged]).update(last_import=record)
        # A CVE listed in KEV marks the JVN records about it as exploited too.
        kev_cves = {c for item in feed.advisories if item.kev for c in item.cves}
        if kev_cves:
            for advisory in Advisory.objects.filter(source="jvn"):
                if not advisory.kev and kev_cves.intersection(advisory.cves):
                    advisory.kev = True
                    advisory.save(update_fields=["kev"])
        touched = list(Advisory.objects.filter(last_import=record).only("id", "source", "ident", "title", "products"))
        index = AssetIndex([_key(a) for a in Asset.objects.only("id", "vendor", "product", "cpe")])
        org_of = dict(Asset.objects.values_list("id", "org_id"))
        existing_pairs = set(AdvisoryMatch.objects.filter(advisory__last_import=record).values_list("asset_id", "advisory_id"))
        new_matches = []
        for advisory in touched:
            for asset, how in index.matches(_record_of(advisory)):
                if (asset.id, advisory.id) not in existing_pairs:
                    new_matches.append(AdvisoryMatch(org_id=org_of[asset.id], asset_id=asset.id, advisory=advisory, how=how))
        AdvisoryMatch.objects.bulk_create(new_matches, batch_size=1000)
        record.created = len(to_create)
        record.new_matches = len(new_matches)
        record.save(update_fields=["created", "new_matches"])
        ids = [m.id for m in new_matches]
        if None in ids:  # a database that does not return ids from bulk inserts
            pairs = {(m.asset_id, m.advisory_id) for m in new_matches}
            ids = [i for i, a, v in AdvisoryMatch.objects.filter(advisory__last_import=record)
                   .values_list("id", "asset_id", "advisory_id") if (a, v) in pairs]
        _notify_later(ids)
    return record
