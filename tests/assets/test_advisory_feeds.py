"""Reading advisory feeds: the real sample files, and hostile or broken ones (refused whole)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sonae.catalog.base import DATA_DIR
from sonae.engines.advisories import AssetIndex, AssetKey, FeedError, Product, normalise_name, parse_feed, product_matches

SAMPLES = DATA_DIR / "advisories"
KEV = SAMPLES / "cisa-kev-2025.02.25-subset.json"
JVN = SAMPLES / "jvn-myjvn-overview-2018-03-13.xml"


def test_real_kev_sample():
    feed = parse_feed(KEV.read_bytes())
    assert feed.kind == "kev" and feed.version == "2025.02.25" and len(feed.advisories) == 6
    sonicwall = next(a for a in feed.advisories if a.ident == "CVE-2024-53704")
    assert sonicwall.kev and sonicwall.products == (Product("SonicWall", "SonicOS"),)
    assert sonicwall.published == dt.date(2025, 2, 18) and sonicwall.due_date == dt.date(2025, 3, 11)
    assert sonicwall.url == "https://nvd.nist.gov/vuln/detail/CVE-2024-53704"


def test_real_jvn_sample():
    feed = parse_feed(JVN.read_bytes())
    assert feed.kind == "jvn-rss" and len(feed.advisories) == 3
    router = feed.advisories[0]
    assert router.ident == "JVNDB-2018-000024" and router.severity == "high" and router.score == 8.8  # CVSS v3 wins
    assert router.cves == ("CVE-2017-10852", "CVE-2017-10853", "CVE-2017-10854")
    assert router.products[0].cpe == "cpe:/h:corega:cg-wgr1200" and router.published == dt.date(2018, 3, 9)


def test_vuldef_document():
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<VULDEF-Document version="3.2" xmlns="http://jvn.jp/vuldef/">
 <Vulinfo><VulinfoID>JVNDB-2018-000024</VulinfoID><VulinfoData><Title>CG-WGR1200 における複数の脆弱性</Title>
  <Affected><AffectedItem><Name>株式会社コレガ</Name><ProductName>CG-WGR1200</ProductName><Cpe version="2.2">cpe:/h:corega:cg-wgr1200</Cpe></AffectedItem></Affected>
  <Impact><Cvss version="3.0"><Severity type="Base">High</Severity><Base>8.8</Base></Cvss></Impact>
  <Related><RelatedItem type="advisory"><Name>CVE</Name><VulinfoID>CVE-2017-10852</VulinfoID></RelatedItem></Related>
  <History><DateFirstPublished>2018-03-09T12:04:48+09:00</DateFirstPublished></History>
 </VulinfoData></Vulinfo></VULDEF-Document>""".encode()
    feed = parse_feed(xml)
    assert feed.kind == "jvn-vuldef"
    item = feed.advisories[0]
    assert item.ident == "JVNDB-2018-000024" and item.severity == "high" and item.cves == ("CVE-2017-10852",)
    assert item.products[0].product == "CG-WGR1200" and item.published == dt.date(2018, 3, 9)
    assert item.url == "https://jvndb.jvn.jp/ja/contents/2018/JVNDB-2018-000024.html"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item>&lol2;</item></rdf:RDF>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&x;</rdf:RDF>"""


@pytest.mark.parametrize("data", [
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.invalid/x.dtd"><r/>',
    JVN.read_bytes()[:-200],  # cut off in the middle
    b"<rdf:RDF><item>",
    b"<html><body>not a feed</body></html>",
    b"",
    b"   \n",
    b"\x00\x01\x02binary",
    b"{}",
    b'{"vulnerabilities": [{"cveID": "not-a-cve"}]}',
    b'{"vulnerabilities": [{"cveID": "CVE-2024-1", "vendorProject": ["x"]}]}',
    b'{"vulnerabilities": [1]}',
    b"[" * 50_000,
    b'{"vulnerabilities": ' + b"[" * 50_000,
])
def test_hostile_or_broken_feeds_are_refused(data):
    with pytest.raises(FeedError) as excinfo:
        parse_feed(data)
    assert excinfo.value.ja and excinfo.value.en


def test_script_in_a_feed_is_kept_as_text_and_bad_links_dropped():
    doc = {"vulnerabilities": [{"cveID": "CVE-2025-0001", "vendorProject": "<script>x</script>", "product": "p",
                                "vulnerabilityName": "<img src=x onerror=alert(1)>", "dateAdded": "2025-13-45"}]}
    item = parse_feed(json.dumps(doc).encode()).advisories[0]
    assert item.title == "<img src=x onerror=alert(1)>" and item.published is None  # escaped by the templates
    xml = JVN.read_bytes().replace(b"https://jvndb.jvn.jp/ja/contents/2018/JVNDB-2018-000024.html</link>", b"javascript:alert(1)</link>")
    assert parse_feed(xml).advisories[0].url == ""


@pytest.mark.parametrize(("asset", "product", "how"), [
    (AssetKey(1, "コレガ", "CG-WGR1200"), Product("株式会社コレガ", "CG-WGR1200", "cpe:/h:corega:cg-wgr1200"), "name"),
    (AssetKey(1, "corega", "cg-wgr1200"), Product("株式会社コレガ", "CG-WGR1200", "cpe:/h:corega:cg-wgr1200"), "name"),
    (AssetKey(1, "x", "y", "cpe:/h:corega:cg-wgr1200"), Product("株式会社コレガ", "CG-WGR1200", "cpe:/h:corega:cg-wgr1200"), "cpe"),
    (AssetKey(1, "x", "y", "cpe:2.3:h:corega:cg-wgr1200:-:*:*:*:*:*:*:*"), Product("", "", "cpe:/h:corega:cg-wgr1200"), "cpe"),
    (AssetKey(1, "Palo Alto Networks, Inc.", "PAN-OS 11.1"), Product("Palo Alto Networks", "PAN-OS"), "name"),
    (AssetKey(1, "SonicWall", "SonicOS"), Product("SonicWall", "SonicOS"), "name"),
    (AssetKey(1, "SonicWall", "OS"), Product("SonicWall", "SonicOS"), None),  # too short to mean anything
    (AssetKey(1, "Fortinet", "FortiOS"), Product("SonicWall", "SonicOS"), None),
    (AssetKey(1, "", "SonicOS"), Product("SonicWall", "SonicOS"), None),
    (AssetKey(1, "x", "y", "cpe:/h:corega:other"), Product("株式会社コレガ", "CG-WGR1200", "cpe:/h:corega:cg-wgr1200"), None),
])
def test_matching(asset, product, how):
    assert product_matches(asset, product) == how


def test_index_matches_only_the_right_vendor():
    index = AssetIndex([AssetKey(1, "SonicWall", "SonicOS"), AssetKey(2, "Microsoft", "Windows 11"), AssetKey(3, "Canon", "複合機")])
    found = {a.ident: sorted(k.id for k, _how in index.matches(a)) for a in parse_feed(KEV.read_bytes()).advisories}
    assert found["CVE-2024-53704"] == [1] and found["CVE-2025-21418"] == [2] and found["CVE-2025-0108"] == []


def test_normalise_name():
    assert normalise_name("株式会社コレガ") == normalise_name("コレガ") == "コレガ"
    assert normalise_name("Ｐａｌｏ Alto Networks, Inc.") == "paloaltonetworks"
