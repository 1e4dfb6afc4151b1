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


def _own_entries(context, org) -> list:
    """The organisation's own trainings, read once per rendered template (the tags run once per row)."""
    from sonae.learning.selectors import own_entries

    key = ("learning_own_entries", org.id)
    if key not in context.render_context:
        context.render_context[key] = own_entries(org=org)
    return context.render_context[key]


@register.simple_tag(takes_context=True)
def trainings_for_item(context, org, instrument, item_id: str, limit: int = 2):
    """Trainings whose topics match the tags of diagnosis item `item_id` (catalogue and the organisation's own)."""
    from sonae.learning.selectors import suggested_trainings, topics_for_diagnosis_item

    item = instrument.items_by_id.get(item_id) if instrument is not None else None
    if item is None:
        return []
    topics = topics_for_diagnosis_item(item.tags)
    return suggested_trainings(org=org, topics=topics, limit=limit, own=_own_entries(context, org) if topics else None)


@register.simple_tag(takes_context=True)
def trainings_for_risk(context, org, template_id: str, limit: int = 2):
    from sonae.catalog.learning import load_trainings
    from sonae.learning.selectors import suggested_trainings

    if not template_id:
        return []
    topics = load_trainings().topics_for_risk(template_id)
    return suggested_trainings(org=org, topics=topics, limit=limit, own=_own_entries(context, org) if topics else None)
