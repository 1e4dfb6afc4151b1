"""Template helpers of the learning area: a dict lookup, and the trainings a weak diagnosis item points to.

    {% load learning_tags %}
    {{ row.done|dictkey:user.id }}
    {% trainings_for_item org instrument f.fix.item_id as suggested %}
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def dictkey(mapping, key):
    """mapping[key] for a dict or a sequence, None when it is not there."""
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def tens(percent) -> int:
    """0–10: a percentage rounded to tens, for bar heights (the CSP allows no inline styles)."""
    try:
        return max(0, min(10, round(float(percent) / 10)))
    except (TypeError, ValueError):
        return 0


@register.simple_tag
def trainings_for_item(org, instrument, item_id: str, limit: int = 2):
    """Trainings whose topics match the tags of diagnosis item `item_id` (catalogue and the organisation's own)."""
    from sonae.learning.selectors import suggested_trainings, topics_for_diagnosis_item

    item = instrument.items_by_id.get(item_id) if instrument is not None else None
    if item is None:
        return []
    return suggested_trainings(org=org, topics=topics_for_diagnosis_item(item.tags), limit=limit)


@register.simple_tag
def trainings_for_risk(org, template_id: str, limit: int = 2):
    from sonae.catalog.learning import load_trainings
    from sonae.learning.selectors import suggested_trainings

    if not template_id:
        return []
    return suggested_trainings(org=org, topics=load_trainings().topics_for_risk(template_id), limit=limit)
