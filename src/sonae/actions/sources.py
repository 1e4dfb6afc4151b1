"""Where an action item came from: each area registers how to link back to its own objects.

`source_type` is "<app>.<model>" (e.g. "assessments.answer", later "risks.risk"); the app
that owns the model registers a function returning the URL of the object (or None when it is
gone). This app never imports the others.
"""

from __future__ import annotations

from collections.abc import Callable

_RESOLVERS: dict[str, Callable[[object], str | None]] = {}


def register_source(source_type: str, resolver: Callable[[object], str | None]) -> None:
    """`resolver(action_item)` returns the URL of the item's source, or None."""
    _RESOLVERS[source_type] = resolver


def source_url(item) -> str | None:
    resolver = _RESOLVERS.get(item.source_type)
    if resolver is None or item.source_id is None:
        return None
    return resolver(item)
