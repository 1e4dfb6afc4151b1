"""Shared pieces of every catalog file: the source of a fact, and strict YAML loading.

Every catalog data file is YAML, validated by a pydantic model. A broken file raises
`CatalogError` naming the file, the place inside it and the reason, so start-up stops
with a message a person can act on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, HttpUrl, ValidationError

DATA_DIR = Path(__file__).resolve().parent / "data"

ModelT = TypeVar("ModelT", bound=BaseModel)


class CatalogError(Exception):
    """A catalog file is missing, not YAML, or does not match its schema."""


class StrictModel(BaseModel):
    """Catalog models refuse unknown keys, so a typo in a data file is an error, not silence."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(StrictModel):
    """Where a fact comes from and when it was last checked."""

    url: HttpUrl
    as_of: dt.date
    title: str | None = None


class Text(StrictModel):
    """A user-facing text in Japanese (default) and English."""

    ja: str
    en: str

    def get(self, language: str | None) -> str:
        return self.en if (language or "ja").startswith("en") else self.ja


def load_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML ({exc})") from exc


def parse_file(path: Path, model: type[ModelT]) -> ModelT:
    """Load one YAML file into `model`, or raise CatalogError with file, location and reason."""
    data = load_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(top)'}: {error['msg']}"
            for error in exc.errors()
        )
        raise CatalogError(f"{path}: {problems}") from exc
