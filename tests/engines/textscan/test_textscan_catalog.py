"""The checker's catalog data loads, carries its source, and a broken file names file and field."""

from __future__ import annotations

import pytest

from sonae.catalog.base import CatalogError, parse_file
from sonae.engines.textscan.catalog import PrefectureList, SurnameList, prefectures, surnames


def test_surnames_load_with_source():
    names = surnames()
    assert len(names) > 500
    assert {"佐藤", "鈴木", "高橋", "田中", "渡辺"} <= names
    assert all(1 <= len(n) <= 4 for n in names)


def test_prefectures_load_with_source():
    data = prefectures()
    assert len(data.prefectures) == 47 and "東京都" in data.prefectures and "北海道" in data.prefectures
    assert len(data.designated_cities.names) == 20
    assert str(data.source.url).startswith("https://")


def test_broken_surname_file_is_a_clear_error(tmp_path):
    path = tmp_path / "surnames.yaml"
    path.write_text("version: 1\nsurnames: []\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        parse_file(path, SurnameList)
    assert "surnames.yaml" in str(info.value) and "source" in str(info.value)


def test_prefecture_list_must_have_47(tmp_path):
    path = tmp_path / "prefectures.yaml"
    path.write_text(
        "version: 1\nsource: {url: 'https://example.jp', as_of: 2026-11-26}\nprefectures: [東京都]\n"
        "designated_cities: {source: {url: 'https://example.jp', as_of: 2026-11-26}, names: [横浜市]}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as info:
        parse_file(path, PrefectureList)
    assert "prefectures" in str(info.value)
