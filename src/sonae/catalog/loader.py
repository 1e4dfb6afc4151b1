"""Load and validate every catalog file at start-up.

The server calls `load_catalog()` once when it starts: a broken data file stops start-up
with a CatalogError naming the file, the entry and the reason, instead of failing later
on a page. Each catalog area lives in its own module with a loader function that takes no
arguments, caches its result and raises CatalogError on bad data.

To add an area, append `(module, function)` to CATALOG_LOADERS (one line per loader). A module that does not
exist yet is skipped, so areas can land one at a time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from sonae.catalog.base import CatalogError

CATALOG_LOADERS: list[tuple[str, str]] = [
    ("sonae.catalog.instruments", "load_instruments"),  # diagnoses (issue 3)
    ("sonae.catalog.brands", "load_brands"),  # impersonated brands, official domains
    ("sonae.catalog.brands", "load_shorteners"),
    ("sonae.catalog.brands", "load_risky_hosts"),
    ("sonae.catalog.documents", "load_contacts"),  # contacts for the いざという時カード
    ("sonae.catalog.documents", "load_merits"),
    ("sonae.catalog.support", "load_support"),  # 支援策ナビ (issue 10)
    ("sonae.catalog.learning", "load_trainings"),  # training catalogue and topics (issue 9)
    ("sonae.catalog.learning", "load_quiz"),
    ("sonae.catalog.learning", "load_loop"),
]


def _resolve(module_name: str, function_name: str) -> Callable[[], object] | None:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None  # that catalog area has not been written yet
        raise
    loader = getattr(module, function_name, None)
    if loader is None:
        raise CatalogError(f"{module_name}: has no loader function {function_name}()")
    return loader


def load_catalog() -> dict[str, object]:
    """Load every catalog area present; returns {"module.function": what it returned}."""
    loaded: dict[str, object] = {}
    for module_name, function_name in CATALOG_LOADERS:
        loader = _resolve(module_name, function_name)
        if loader is not None:
            loaded[f"{module_name}.{function_name}"] = loader()
    return loaded
