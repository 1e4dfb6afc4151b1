"""The support catalogue is checked at start-up: broken entries name the file, the place and the reason."""

from __future__ import annotations

import shutil

import pytest

from sonae.catalog.base import CatalogError
from sonae.catalog.support import SUPPORT_DIR, load_support


def test_every_entry_has_a_source_and_date():
    catalog = load_support()
    assert len(catalog.entries) >= 15
    for entry in catalog.entries:
        assert str(entry.source.url).startswith("http") and entry.source.as_of
    loan = catalog.get("yokohama-keiei-shien-shikin")
    assert [g.number for g in loan.grounds] == list(range(1, 9))
    assert loan.grounds[4].sonae_documents == ("jigyokei",)
    assert {e.id for e in catalog.merits()} >= {"jigyokei-tax-special-depreciation", "jfc-bcp-loan"}


def copy_catalog(tmp_path):
    folder = tmp_path / "support"
    shutil.copytree(SUPPORT_DIR, folder)
    return folder


@pytest.mark.parametrize(("old", "new", "message"), [
    ("op: not_in, values: [B]", "op: lte, values: [B]", "does not apply to industry"),
    ("{ask: safety_net_5}", "{ask: no_such_question}", "no_such_question"),
    ("{ref: sme}", "{ref: large}", "large"),
    ("state: jigyokei_approved", "state: jigyokei_dreamed", "unknown state"),
    ("as_of: 2025-12-11", "as_of: yesterday", "as_of"),
    ("prefecture: 神奈川県, city: 横浜市}", "prefecture: 東京都, city: 横浜市}", "city_prefectures"),
])
def test_broken_entries_are_refused(tmp_path, old, new, message):
    folder = copy_catalog(tmp_path)
    path = folder / "yokohama.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_support(folder)


def test_duplicate_ids_across_files_are_refused(tmp_path):
    folder = copy_catalog(tmp_path)
    (folder / "copy.yaml").write_text((folder / "kanagawa.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CatalogError, match="kipc-bcp-expert-dispatch"):
        load_support(folder)


def test_not_yaml_is_refused(tmp_path):
    folder = copy_catalog(tmp_path)
    (folder / "kanagawa.yaml").write_text("entries: [\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="kanagawa.yaml"):
        load_support(folder)
