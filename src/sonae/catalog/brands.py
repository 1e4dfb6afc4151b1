"""Brand catalog and host lists used by the message checker.

`brands.yaml` lists the brands most impersonated in Japan with the domains they really use;
`url_shorteners.yaml` and `risky_hosts.yaml` list hosts that hide or cheapen a link's destination.
Each loader validates its file once (pydantic) and caches the result, so a broken file fails
start-up with the file, the field and the reason.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator

from sonae.catalog.base import DATA_DIR, Source, StrictModel, Text, parse_file

BrandCategory = Literal[
    "card", "bank", "securities", "ec", "retail", "carrier", "isp", "delivery", "government",
    "utility", "transport", "payment", "tech", "media", "crypto", "other",
]

# A host suffix: lower-case ASCII (punycode for IDN) labels separated by dots.
_HOST_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def _check_hosts(values: list[str]) -> list[str]:
    for value in values:
        if not _HOST_RE.match(value):
            raise ValueError(f"{value!r} is not a lower-case host name")
    return values


class Brand(StrictModel):
    id: str
    names: Text
    aliases: list[str]
    exact_case: list[str] = []
    domains: list[str]
    tokens: list[str] = []
    category: BrandCategory
    source: Source

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            raise ValueError("id must be lower-case letters, digits and hyphens")
        return value

    @field_validator("domains")
    @classmethod
    def _domains_are_hosts(cls, values: list[str]) -> list[str]:
        if not values:
            raise ValueError("a brand needs at least one official domain")
        return _check_hosts(values)

    @field_validator("aliases")
    @classmethod
    def _aliases_not_empty(cls, values: list[str]) -> list[str]:
        if not values or any(not alias.strip() for alias in values):
            raise ValueError("aliases must be non-empty strings")
        # Messages are matched after NFKC, so a full-width alias would never match as written.
        for alias in values:
            if unicodedata.normalize("NFKC", alias) != alias:
                raise ValueError(f"alias {alias!r} is not NFKC-normalised; write {unicodedata.normalize('NFKC', alias)!r}")
        return values

    @model_validator(mode="after")
    def _exact_case_are_aliases(self) -> Brand:
        unknown = set(self.exact_case) - set(self.aliases)
        if unknown:
            raise ValueError(f"exact_case entries not in aliases: {sorted(unknown)}")
        return self


class BrandCatalog(StrictModel):
    version: int
    as_of: dt.date
    brands: list[Brand]

    @model_validator(mode="after")
    def _ids_unique(self) -> BrandCatalog:
        seen: set[str] = set()
        for brand in self.brands:
            if brand.id in seen:
                raise ValueError(f"duplicate brand id {brand.id!r}")
            seen.add(brand.id)
        return self

    def by_id(self, brand_id: str) -> Brand | None:
        return next((brand for brand in self.brands if brand.id == brand_id), None)


class Shortener(StrictModel):
    host: str
    brand: str | None = None

    @field_validator("host")
    @classmethod
    def _host_ok(cls, value: str) -> str:
        return _check_hosts([value])[0]


class ShortenerCatalog(StrictModel):
    version: int
    as_of: dt.date
    source: Source
    shorteners: list[Shortener]


class HostList(StrictModel):
    source: Source
    hosts: list[str]

    @field_validator("hosts")
    @classmethod
    def _hosts_ok(cls, values: list[str]) -> list[str]:
        return _check_hosts(values)


class TldList(StrictModel):
    source: Source
    high: list[str]
    elevated: list[str]

    @field_validator("high", "elevated")
    @classmethod
    def _tlds_ok(cls, values: list[str]) -> list[str]:
        return _check_hosts(values)


class RiskyHosts(StrictModel):
    version: int
    as_of: dt.date
    suspicious_tlds: TldList
    dynamic_dns: HostList
    free_hosting: HostList
    free_mail: HostList


@lru_cache(maxsize=None)
def load_brands(path: Path | None = None) -> BrandCatalog:
    return parse_file(path or DATA_DIR / "brands.yaml", BrandCatalog)


@lru_cache(maxsize=None)
def load_shorteners(path: Path | None = None) -> ShortenerCatalog:
    return parse_file(path or DATA_DIR / "url_shorteners.yaml", ShortenerCatalog)


@lru_cache(maxsize=None)
def load_risky_hosts(path: Path | None = None) -> RiskyHosts:
    return parse_file(path or DATA_DIR / "risky_hosts.yaml", RiskyHosts)
