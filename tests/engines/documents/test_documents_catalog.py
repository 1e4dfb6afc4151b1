"""Catalog data for documents: public contacts and the merits of a certified Jigyokei."""

from __future__ import annotations

import datetime as dt

import pytest

from sonae.catalog.base import CatalogError, parse_file
from sonae.catalog.documents import ContactsFile, load_contacts, load_merits, merits_status, public_contacts


def test_contacts_carry_source_and_date():
    contacts = load_contacts().contacts
    ids = {c.id for c in contacts}
    assert {"police-cyber-desks", "police-9110", "kanagawa-police-cyber-hotline", "ipa-anshin",
            "consumer-hotline-188", "ppc-leak-report"} <= ids
    for contact in contacts:
        assert str(contact.source.url).startswith("https://")
        assert contact.source.as_of <= dt.date(2026, 12, 31)


def test_known_numbers():
    contacts = {c.id: c for c in load_contacts().contacts}
    assert contacts["police-9110"].phone == "#9110"
    assert contacts["consumer-hotline-188"].phone == "188"
    assert contacts["ipa-anshin"].phone == "03-5978-7509"


def test_prefecture_desks_only_for_their_prefecture():
    kanagawa = {c.id for c in public_contacts("kanagawa")}
    elsewhere = {c.id for c in public_contacts("other")}
    assert "kanagawa-police-cyber-hotline" in kanagawa
    assert "kanagawa-police-cyber-hotline" not in elsewhere
    assert "police-cyber-desks" in elsewhere
    assert {c.id for c in public_contacts("kanagawa", "support_scam")} >= {"consumer-hotline-188", "ipa-anshin"}


def test_merits_deadline_flags():
    before = {s.merit.id: s for s in merits_status(dt.date(2027, 3, 31))}
    after = {s.merit.id: s for s in merits_status(dt.date(2027, 4, 1))}
    assert before["jigyokei-tax-special-depreciation"].deadline_passed is False
    assert before["jigyokei-tax-special-depreciation"].days_left == 0
    assert after["jigyokei-tax-special-depreciation"].deadline_passed is True
    assert "過ぎています" in after["jigyokei-tax-special-depreciation"].warning_ja
    assert after["jfc-bcp-loan"].deadline_passed is False and after["jfc-bcp-loan"].days_left is None
    assert {"jigyokei-tax-special-depreciation", "jfc-bcp-loan", "jigyokei-subsidy-points", "jigyokei-logo"} <= set(before)
    for merit in load_merits().merits:
        assert merit.source.as_of and str(merit.source.url).startswith("https://")


def test_broken_contacts_file_names_file_and_field(tmp_path):
    path = tmp_path / "contacts.yaml"
    path.write_text(
        "version: 1\ncontacts:\n  - id: x\n    name: {ja: a, en: b}\n    when: {ja: a, en: b}\n"
        "    scenarios: [earthquake]\n    source: {url: 'https://example.jp', as_of: 2026-11-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        parse_file(path, ContactsFile)
    message = str(caught.value)
    assert "contacts.yaml" in message and "scenarios" in message


def test_contact_without_any_way_to_reach_it_is_refused(tmp_path):
    path = tmp_path / "contacts.yaml"
    path.write_text(
        "version: 1\ncontacts:\n  - id: x\n    name: {ja: a, en: b}\n    when: {ja: a, en: b}\n"
        "    scenarios: [ransomware]\n    source: {url: 'https://example.jp', as_of: 2026-11-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="phone"):
        parse_file(path, ContactsFile)
