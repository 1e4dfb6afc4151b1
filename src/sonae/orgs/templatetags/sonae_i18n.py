"""The template filter for two-language catalog texts (dates need none: |date:_("Y年n月j日") is translated).

    {% load sonae_i18n %}
    {{ merit.title|pick }}          the English or Japanese text, as the user chose
"""

from __future__ import annotations

from django import template

from sonae.i18n import pick as _pick

register = template.Library()


@register.filter
def pick(text) -> str:
    return _pick(text)
