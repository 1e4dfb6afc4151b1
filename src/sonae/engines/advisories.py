"""Security advisories from published feeds, and which of a company's IT assets they concern.

Pure: takes the bytes of a feed (the caller reads the file and enforces the size limit first) and
returns plain records. Formats:
  - JVN iPedia / MyJVN overview lists: RSS 1.0 (RDF) with the `sec:` mod_sec namespace
    (https://jvndb.jvn.jp/apis/myjvn/, getVulnOverviewList; also the jvndb_*.rdf feeds);
  - MyJVN VULDEF documents (getVulnDetailInfo): <VULDEF-Document><Vulinfo>…;
  - the CISA Known Exploited Vulnerabilities catalog (JSON, https://www.cisa.gov/known-exploited-vulnerabilities-catalog).
XML is read with defusedxml: a DTD, entity declarations (billion laughs) and external entities are
refused outright, never expanded. A file that cannot be read whole is refused whole (FeedError).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

SEVERITIES = ("critical", "high", "medium", "low")
MAX_ADVISORIES = 200_000
MAX_TEXT = 4000

NS = {
    "rss": "http://purl.org/rss/1.0/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
_SEC_NAMESPACES = ("http://jvn.jp/rss/mod_sec/3.0/", "http://jvn.jp/rss/mod_sec/")


class FeedError(ValueError):
    """The file is not a feed we can read, or is hostile; nothing from it may be imported."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja = ja
        self.en = en


@dataclass(frozen=True)
class Product:
    vendor: str
    product: str
    cpe: str = ""


@dataclass(frozen=True)
class Advisory:
    source: str  # "jvn" | "kev"
    ident: str  # JVNDB-2018-000024 / CVE-2024-53704
    title: str
    summary: str = ""
    url: str = ""
    cves: tuple[str, ...] = ()
    products: tuple[Product, ...] = ()
    severity: str | None = None
    score: float | None = None
    published: dt.date | None = None
    kev: bool = False
    ransomware: bool = False
    due_date: dt.date | None = None


@dataclass(frozen=True)
class Feed:
    kind: str  # "jvn-rss" | "jvn-vuldef" | "kev"
    advisories: tuple[Advisory, ...]
    version: str = ""  # KEV catalogVersion, or the feed's date
    skipped: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def _invisible() -> re.Pattern[str]:
    """Control and format characters (bidi overrides, zero-width marks): never shown from a feed."""
    return re.compile("[" + "".join(
        re.escape(chr(c)) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cf")
    ) + "]")


def _clip(text: str | None, limit: int = MAX_TEXT) -> str:
    value = " ".join((text or "").split())
    return _invisible().sub("", value)[:limit]


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _severity(label: str | None, score: float | None) -> str | None:
    if label and label.strip().lower() in SEVERITIES:
        return label.strip().lower()
    if score is None:
        return None
    # CVSS v3 qualitative ratings (FIRST): 9.0– critical, 7.0– high, 4.0– medium, 0.1– low.
    return "critical" if score >= 9 else "high" if score >= 7 else "medium" if score >= 4 else "low" if score > 0 else None


def _safe_url(url: str | None) -> str:
    value = (url or "").strip()
    return value[:500] if value.startswith(("https://", "http://")) else ""


# -- KEV -----------------------------------------------------------------------------------------------


def _parse_kev(data: bytes) -> Feed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FeedError("JSONとして読めません。", f"not valid JSON ({str(exc)[:120]})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("vulnerabilities"), list):
        raise FeedError("CISA KEV の形式ではありません（vulnerabilities がありません）。", "not a CISA KEV catalog (no vulnerabilities list)")
    items = doc["vulnerabilities"]
    if len(items) > MAX_ADVISORIES:
        raise FeedError("件数が多すぎます。", f"more than {MAX_ADVISORIES} records")
    advisories = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise FeedError(f"{index + 1}件目が正しくありません。", f"record {index + 1} is not an object")
        cve = item.get("cveID")
        if not isinstance(cve, str) or not re.fullmatch(r"CVE-\d{4}-\d{4,}", cve.strip()):
            raise FeedError(f"{index + 1}件目の cveID が正しくありません。", f"record {index + 1}: bad cveID {str(cve)[:40]!r}")
        fields = {k: item.get(k) for k in ("vendorProject", "product", "vulnerabilityName", "shortDescription",
                                            "dateAdded", "dueDate", "knownRansomwareCampaignUse")}
        if any(v is not None and not isinstance(v, str) for v in fields.values()):
            raise FeedError(f"{index + 1}件目に文字でない項目があります。", f"record {index + 1}: a field is not a string")
        cve = cve.strip()
        advisories.append(Advisory(
            source="kev",
            ident=cve,
            title=_clip(fields["vulnerabilityName"] or cve, 300),
            summary=_clip(fields["shortDescription"]),
            url=f"https://nvd.nist.gov/vuln/detail/{cve}",
            cves=(cve,),
            products=(Product(_clip(fields["vendorProject"], 200), _clip(fields["product"], 200)),),
            published=_date(fields["dateAdded"]),
            kev=True,
            ransomware=(fields["knownRansomwareCampaignUse"] or "").strip().lower() == "known",
            due_date=_date(fields["dueDate"]),
        ))
    version = doc.get("catalogVersion") if isinstance(doc.get("catalogVersion"), str) else ""
    return Feed("kev", tuple(advisories), _clip(version, 40))


# -- JVN (XML) -----------------------------------------------------------------------------------------


def _xml_root(data: bytes):
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FeedError("XMLに DTD やエンティティ宣言が含まれているため読み込みません（攻撃に使われる形です）。",
                        "the XML declares a DTD or entities; refused (entity expansion / external entities)") from None
    except ParseError as exc:
        raise FeedError("XMLとして壊れています。", f"broken XML ({exc})") from None
    except (ValueError, RecursionError) as exc:
        raise FeedError("XMLとして読めません。", f"unreadable XML ({str(exc)[:120]})") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sec(element, name: str):
    for namespace in _SEC_NAMESPACES:
        yield from element.findall(f"{{{namespace}}}{name}")


def _score(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= 10 else None


def _parse_rss(root) -> Feed:
    advisories = []
    for item in root.findall("rss:item", NS):
        ident = next((_clip(e.text, 60) for e in _sec(item, "identifier")), "")
        if not ident:
            continue
        cves = tuple(dict.fromkeys(
            _clip(e.get("id"), 40) for e in _sec(item, "references") if (e.get("source") or "").upper() == "CVE" and e.get("id")
        ))
        products = tuple(
            Product(_clip(e.get("vendor"), 200), _clip(e.get("product"), 200), _clip(e.text, 300)) for e in _sec(item, "cpe")
        )
        scores = [(e.get("version") or "", _score(e.get("score")), e.get("severity")) for e in _sec(item, "cvss")]
        scores.sort(key=lambda s: s[0], reverse=True)  # CVSS v3 before v2
        score = scores[0][1] if scores else None
        label = scores[0][2] if scores else None
        issued = item.find("dcterms:issued", NS)
        date = item.find("dc:date", NS)
        advisories.append(Advisory(
            source="jvn",
            ident=ident,
            title=_clip(getattr(item.find("rss:title", NS), "text", "") or ident, 300),
            summary=_clip(getattr(item.find("rss:description", NS), "text", "")),
            url=_safe_url(getattr(item.find("rss:link", NS), "text", "")),
            cves=cves,
            products=products,
            severity=_severity(label, score),
            score=score,
            published=_date(getattr(issued, "text", None)) or _date(getattr(date, "text", None)),
        ))
        if len(advisories) > MAX_ADVISORIES:
            raise FeedError("件数が多すぎます。", f"more than {MAX_ADVISORIES} records")
    channel_date = root.find("rss:channel/dc:date", NS)
    return Feed("jvn-rss", tuple(advisories), _clip(getattr(channel_date, "text", ""), 40))


def _child(element, name: str):
    return next((c for c in element if _local(c.tag) == name), None)


def _jvndb_url(ident: str) -> str:
    """JVN iPedia's page for an id, in the form its RSS links use (…/ja/contents/2018/JVNDB-2018-000024.html)."""
    found = re.fullmatch(r"JVNDB-(\d{4})-\d{6}", ident)
    return f"https://jvndb.jvn.jp/ja/contents/{found.group(1)}/{ident}.html" if found else ""


def _parse_vuldef(root) -> Feed:
    advisories = []
    for info in (e for e in root.iter() if _local(e.tag) == "Vulinfo"):
        ident = _clip(getattr(_child(info, "VulinfoID"), "text", ""), 60)
        if not ident:
            continue
        data = _child(info, "VulinfoData")
        scope = data if data is not None else info
        title = _clip(getattr(_child(scope, "Title"), "text", "") or ident, 300)
        summary = ""
        overview = _child(scope, "VulinfoDescription") or _child(scope, "Overview")
        if overview is not None:
            summary = _clip(" ".join(e.text or "" for e in overview.iter() if _local(e.tag) in ("Overview", "Description")))
        products, cves, scores = [], [], []
        for element in scope.iter():
            name = _local(element.tag)
            if name == "AffectedItem":
                vendor = _clip(getattr(_child(element, "Name"), "text", ""), 200)
                product = _clip(getattr(_child(element, "ProductName"), "text", ""), 200)
                cpe = _clip(getattr(_child(element, "Cpe"), "text", ""), 300)
                if vendor or product or cpe:
                    products.append(Product(vendor, product, cpe))
            elif name == "RelatedItem" and (element.get("type") or "").upper() == "CVE" or name == "RelatedItem" and (
                    _clip(getattr(_child(element, "Name"), "text", "")).upper() == "CVE"):
                vuln = _clip(getattr(_child(element, "VulinfoID"), "text", "") or element.get("id") or "", 40)
                if vuln.startswith("CVE-"):
                    cves.append(vuln)
            elif name == "Cvss":
                scores.append((element.get("version") or "", _score(getattr(_child(element, "Base"), "text", None)),
                               getattr(_child(element, "Severity"), "text", None)))
        scores.sort(key=lambda s: s[0], reverse=True)
        score = scores[0][1] if scores else None
        dates = {_local(e.tag): e.text for e in scope.iter() if _local(e.tag) in ("DatePublic", "DateFirstPublished", "DateLastUpdated")}
        advisories.append(Advisory(
            source="jvn", ident=ident, title=title, summary=summary,
            url=_jvndb_url(ident),
            cves=tuple(dict.fromkeys(cves)), products=tuple(products),
            severity=_severity(scores[0][2] if scores else None, score), score=score,
            published=_date(dates.get("DateFirstPublished")) or _date(dates.get("DatePublic")),
        ))
    return Feed("jvn-vuldef", tuple(advisories))


def parse_feed(data: bytes) -> Feed:
    """Read a whole feed file, or raise FeedError (then nothing of it may be imported)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise FeedError("ファイルが空です。", "the file is empty")
    if head.startswith(b"{"):
        return _parse_kev(data)
    if head.startswith(b"<"):
        root = _xml_root(data)
        name = _local(root.tag)
        if name == "RDF":
            feed = _parse_rss(root)
        elif name == "VULDEF-Document":
            feed = _parse_vuldef(root)
        else:
            raise FeedError(f"知らないXMLの形式です（{name[:40]}）。", f"unknown XML document <{name[:40]}>")
        return feed
    raise FeedError("JVN の XML でも CISA KEV の JSON でもありません。", "neither JVN XML nor CISA KEV JSON")


# -- matching advisories to assets ---------------------------------------------------------------------

_SUFFIXES = ("株式会社", "有限会社", "合同会社", "(株)", "inc", "incorporated", "corporation", "corp", "co", "ltd",
             "limited", "llc", "gmbh", "ag", "sa", "kk", "plc")
_CPE_22 = re.compile(r"^cpe:/[aho]:([^:]+):([^:]+)")
_CPE_23 = re.compile(r"^cpe:2\.3:[aho]:([^:]+):([^:]+)")


def normalise_name(text: str) -> str:
    """Vendor or product name for comparison: NFKC, lower case, no company suffixes, no punctuation."""
    value = unicodedata.normalize("NFKC", text or "").lower()
    words = re.split(r"[\s,.()/・]+", value)
    kept = [w for w in words if w and w not in _SUFFIXES]
    joined = "".join(kept)
    for suffix in ("株式会社", "有限会社", "合同会社"):
        joined = joined.replace(suffix, "")
    return re.sub(r"[^\w]", "", joined)


def cpe_parts(cpe: str) -> tuple[str, str] | None:
    """(vendor, product) of a CPE 2.2 or 2.3 name, lower case."""
    value = (cpe or "").strip().lower()
    found = _CPE_22.match(value) or _CPE_23.match(value)
    return (found.group(1), found.group(2)) if found else None


@dataclass(frozen=True)
class AssetKey:
    """The parts of an IT asset that matching looks at."""

    id: int
    vendor: str
    product: str
    cpe: str = ""

    @cached_property
    def vendor_key(self) -> str:
        return normalise_name(self.vendor)

    @cached_property
    def product_key(self) -> str:
        return normalise_name(self.product)

    @cached_property
    def cpe_key(self) -> tuple[str, str] | None:
        return cpe_parts(self.cpe)


def _product_matches(asset_product: str, advisory_product: str) -> bool:
    if not asset_product or not advisory_product:
        return False
    if asset_product == advisory_product:
        return True
    shorter, longer = sorted((asset_product, advisory_product), key=len)
    return len(shorter) >= 3 and shorter in longer


@dataclass(frozen=True)
class _ProductKey:
    vendors: frozenset[str]
    names: frozenset[str]
    cpe: tuple[str, str] | None


def _product_key(product: Product) -> _ProductKey:
    cpe = cpe_parts(product.cpe)
    vendors = {normalise_name(product.vendor)} | ({normalise_name(cpe[0])} if cpe else set())
    names = {normalise_name(product.product)} | ({normalise_name(cpe[1])} if cpe else set())
    return _ProductKey(frozenset(vendors - {""}), frozenset(names - {""}), cpe)


def _matches_key(asset: AssetKey, key: _ProductKey) -> str | None:
    if asset.cpe_key and key.cpe:
        return "cpe" if asset.cpe_key == key.cpe else None
    if asset.vendor_key and asset.vendor_key in key.vendors:
        if any(_product_matches(asset.product_key, name) for name in key.names):
            return "name"
    return None


def product_matches(asset: AssetKey, product: Product) -> str | None:
    """How an advisory's product concerns the asset: "cpe" (same CPE vendor:product), "name" (same
    vendor, and one product name contains the other, at least 3 characters), or None."""
    return _matches_key(asset, _product_key(product))


class AssetIndex:
    """Assets indexed by normalised vendor (and CPE vendor), so a feed of thousands is matched quickly.

    Assets that read the same (many companies run "Microsoft Windows 11") are compared once.
    """

    def __init__(self, assets: list[AssetKey]):
        groups: dict[tuple, list[AssetKey]] = {}
        for asset in assets:
            groups.setdefault((asset.vendor_key, asset.product_key, asset.cpe_key), []).append(asset)
        self.by_vendor: dict[str, list[list[AssetKey]]] = {}
        for group in groups.values():
            first = group[0]
            keys = {first.vendor_key} | ({normalise_name(first.cpe_key[0])} if first.cpe_key else set())
            for key in keys - {""}:
                self.by_vendor.setdefault(key, []).append(group)

    def matches(self, advisory: Advisory) -> list[tuple[AssetKey, str]]:
        found: dict[int, tuple[AssetKey, str]] = {}
        for product in advisory.products:
            key = _product_key(product)
            for vendor in key.vendors:
                for group in self.by_vendor.get(vendor, ()):
                    how = _matches_key(group[0], key)
                    if how:
                        for asset in group:
                            if asset.id not in found or how == "cpe":
                                found[asset.id] = (asset, how)
        return list(found.values())
