"""Where an action item came from: each area registers how to link back to its own objects.

`source_type` is "<app>.<model>" (e.g. "assessments.answer", later "risks.risk"); the app
that owns the model registers a function returning the URL of the object (or None when it is
gone), and may register one for a whole list (`many`), so a list page costs one query per source
type instead of one per item. This app never imports the others.
"""

from __future__ import annotations

from collections.abc import Callable

from collections.abc import Iterable

_RESOLVERS: dict[str, Callable[[object], str | None]] = {}
_MANY_RESOLVERS: dict[str, Callable[[list], dict[int, str]]] = {}


def register_source(
    source_type: str, resolver: Callable[[object], str | None], *, many: Callable[[list], dict[int, str]] | None = None
) -> None:
    """`resolver(action_item)` returns the URL of the item's source, or None; `many(items)` returns
    {item id: URL} for the items whose source still exists."""
    _RESOLVERS[source_type] = resolver
    if many is not None:
        _MANY_RESOLVERS[source_type] = many


def source_url(item) -> str | None:
    resolver = _RESOLVERS.get(item.source_type)
    if resolver is None or item.source_id is None:
        return None
    return resolver(item)


def source_urls(items: Iterable) -> dict[int, str | None]:
    """{item id: URL of its source or None} for a list of items."""
    urls: dict[int, str | None] = {}
    by_type: dict[str, list] = {}
    for item in items:
        urls[item.id] = None
        if item.source_id is not None and item.source_type in _RESOLVERS:
            by_type.setdefault(item.source_type, []).append(item)
    for source_type, typed in by_type.items():
        many = _MANY_RESOLVERS.get(source_type)
        if many is not None:
            urls.update(many(typed))
        else:
            urls.update({item.id: _RESOLVERS[source_type](item) for item in typed})
    return urls
