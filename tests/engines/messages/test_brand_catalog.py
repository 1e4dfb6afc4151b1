"""The brand catalog and host lists: enough brands, sources, and strict validation."""

from __future__ import annotations

import unicodedata

import pytest

from sonae.catalog.base import CatalogError
from sonae.catalog.brands import load_brands, load_risky_hosts, load_shorteners
from sonae.engines.messages.knowledge import knowledge


def test_at_least_sixty_brands_with_sources():
    catalog = load_brands()
    assert len(catalog.brands) >= 60
    for brand in catalog.brands:
        assert brand.domains and brand.aliases
        assert brand.source.url.scheme == "https"


def test_aliases_are_nfkc_and_found_in_text():
    k = knowledge()
    for brand in load_brands().brands:
        for alias in brand.aliases:
            assert unicodedata.normalize("NFKC", alias) == alias
            hits = k.find_brands(f"【{alias}】お知らせ")
            assert any(hit.brand_id == brand.id for hit in hits), alias


@pytest.mark.parametrize(
    ("text", "brand"),
    [("SAISON CARD", "saison"), ("softbank", "softbank"), ("Apple ID", "apple"), ("ETC利用照会サービス", "etc-meisai"),
     ("楽天カード", "rakuten-card"), ("NTT docomo", "docomo"), ("TEPCO", "tepco"), ("国税庁", "nta")],
)
def test_jpcert_style_labels_map_to_brands(text, brand):
    assert brand in {hit.brand_id for hit in knowledge().find_brands(text)}


def test_short_names_do_not_match_inside_words():
    assert knowledge().find_brands("because an analysis of banana") == []


def test_official_domains_are_not_user_content_hosts():
    risky = load_risky_hosts()
    user_content = {"sharepoint.com", "amazonaws.com", "googleusercontent.com", "github.io", "web.app"}
    for brand in load_brands().brands:
        assert not user_content & set(brand.domains), brand.id
    assert "gmail.com" in risky.free_mail.hosts
    assert any(s.host == "bit.ly" for s in load_shorteners().shorteners)


def test_broken_catalog_names_file_and_field(tmp_path):
    path = tmp_path / "brands.yaml"
    path.write_text(
        "version: 1\nas_of: 2026-01-01\nbrands:\n  - id: x\n    names: {ja: エックス, en: X}\n    aliases: [X]\n"
        "    domains: [Not A Domain]\n    category: card\n    source: {url: 'https://example.com/', as_of: 2026-01-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        load_brands.__wrapped__(path)
    assert "brands.yaml" in str(caught.value) and "domains" in str(caught.value)
