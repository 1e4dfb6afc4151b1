"""A revised instrument does not change what old runs mean: the catalog keeps superseded versions
under instruments/archive/<id>/<version>.yaml and old runs are shown with them."""

from __future__ import annotations

import pytest
from assessments.conftest import revised_catalog

from sonae.catalog import instruments as catalog
from sonae.catalog.base import CatalogError
from sonae.catalog.instruments import get_instrument, load_instruments_from

pytestmark = pytest.mark.django_db

OLD_TEXT = "パソコンやスマホなど情報機器のOSやソフトウェアは常に最新の状態にしていますか？"
NEW_TEXT = "業務で使う機器とソフトウェアの更新を、担当者を決めて毎月確かめていますか？"


def _revised_copy(directory, *, archive_old=True):
    """A catalog folder where ipa-5min is at version 2027.1 with item 1 reworded."""
    return revised_catalog(directory, lambda raw: raw.replace(OLD_TEXT, NEW_TEXT), archive_old=archive_old)


def test_old_run_is_shown_with_the_version_it_was_answered(alice_client, alice, org, run_maker, tmp_path, use_catalog):
    old = run_maker(org, alice, {1: 0})
    assert old.instrument_version == "2019.1"
    use_catalog(_revised_copy(tmp_path / "instruments"))
    assert get_instrument("ipa-5min").version == "2027.1"
    assert get_instrument("ipa-5min", "2019.1").items[0].text.ja == OLD_TEXT

    page = alice_client.get(f"/o/{org.id}/diagnoses/{old.id}/results/").content.decode()
    assert OLD_TEXT in page and NEW_TEXT not in page
    assert "当時の質問と配点で表示しています" in page

    new = run_maker(org, alice, {1: 0})
    assert new.instrument_version == "2027.1"
    page = alice_client.get(f"/o/{org.id}/diagnoses/{new.id}/results/").content.decode()
    assert NEW_TEXT in page and "旧版" not in page


def test_without_the_archived_file_the_snapshot_is_kept_and_said(alice_client, alice, org, run_maker, tmp_path, use_catalog):
    old = run_maker(org, alice, {1: 0})
    use_catalog(_revised_copy(tmp_path / "instruments", archive_old=False))
    page = alice_client.get(f"/o/{org.id}/diagnoses/{old.id}/results/").content.decode()
    assert "合計点は提出時の値を記録しています" in page and f"{old.total}" in page


def test_comparison_across_versions_names_items_in_their_own_wording(alice_client, alice, org, run_maker, tmp_path, use_catalog):
    old = run_maker(org, alice, {1: 0})
    use_catalog(_revised_copy(tmp_path / "instruments"))
    new = run_maker(org, alice, {1: 4})
    response = alice_client.get(f"/o/{org.id}/diagnoses/history/ipa-5min/compare/?a={old.id}&b={new.id}")
    changed = response.context["changed"]
    assert [(c["number"], c["text"], c["better"]) for c in changed] == [(1, NEW_TEXT, True)]


@pytest.mark.parametrize("where, version, reason", [
    ("archive/ipa-5min/2018.1.yaml", "2019.0", "archive/<id>/<version>.yaml"),  # file name ≠ version
    ("archive/other/2018.1.yaml", "2018.1", "archive/<id>/<version>.yaml"),  # folder ≠ id
    ("archive/ipa-5min/2027.1.yaml", "2027.1", "also the current version"),
])
def test_misplaced_archive_files_stop_start_up(tmp_path, where, version, reason):
    directory = _revised_copy(tmp_path / "instruments")
    target = directory / where
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = (directory / "archive" / "ipa-5min" / "2019.1.yaml").read_text(encoding="utf-8")
    target.write_text(raw.replace('version: "2019.1"', f'version: "{version}"'), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_instruments_from(directory)
    assert reason in str(caught.value) and str(target) in str(caught.value)


def test_archived_version_of_an_unknown_instrument_is_refused(tmp_path):
    directory = _revised_copy(tmp_path / "instruments")
    (directory / "ipa-5min.yaml").rename(tmp_path / "moved.yaml")
    with pytest.raises(CatalogError, match="has no current file"):
        load_instruments_from(directory)


def test_broken_archived_file_names_file_and_reason(tmp_path):
    directory = _revised_copy(tmp_path / "instruments")
    archived = directory / "archive" / "ipa-5min" / "2019.1.yaml"
    archived.write_text(archived.read_text(encoding="utf-8").replace("number: 2\n", "number: 1\n", 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_instruments_from(directory)
    assert str(archived) in str(caught.value) and "number 1 already used" in str(caught.value)


def test_versions_lists_what_can_be_shown(tmp_path, use_catalog):
    use_catalog(_revised_copy(tmp_path / "instruments"))
    assert catalog.load_instruments().versions("ipa-5min") == ["2019.1", "2027.1"]
    # An unknown version falls back to the current one rather than failing a page.
    assert get_instrument("ipa-5min", "1999.9").version == "2027.1"
