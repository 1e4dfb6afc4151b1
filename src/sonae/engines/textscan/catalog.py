"""Catalog data the checker needs: common surnames and prefecture / city names."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from sonae.catalog.base import DATA_DIR, Source, StrictModel, parse_file


class SurnameList(StrictModel):
    version: int
    source: Source
    surnames: list[str] = Field(min_length=1)


class DesignatedCities(StrictModel):
    source: Source
    names: list[str] = Field(min_length=1)


class PrefectureList(StrictModel):
    version: int
    source: Source
    prefectures: list[str] = Field(min_length=47, max_length=47)
    designated_cities: DesignatedCities


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(parse_file(DATA_DIR / "surnames.yaml", SurnameList).surnames)


@lru_cache(maxsize=1)
def prefectures() -> PrefectureList:
    return parse_file(DATA_DIR / "prefectures.yaml", PrefectureList)
