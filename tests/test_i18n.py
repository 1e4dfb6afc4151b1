"""sonae.i18n: the page's language and picking the right half of a two-language catalog text."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from sonae.catalog.base import Text
from sonae.engines.documents.fields import L
from sonae.i18n import is_english, pick, ui_language


@pytest.mark.parametrize("text", [Text(ja="診断", en="Diagnosis"), L("診断", "Diagnosis"), {"ja": "診断", "en": "Diagnosis"}, ("診断", "Diagnosis")])
def test_pick_follows_the_chosen_language(text):
    with translation.override("ja"):
        assert (ui_language(), is_english(), pick(text)) == ("ja", False, "診断")
    with translation.override("en"):
        assert (ui_language(), is_english(), pick(text)) == ("en", True, "Diagnosis")
    assert pick(text, "en") == "Diagnosis" and pick(text, "ja") == "診断"


def test_pick_falls_back_to_japanese_and_tolerates_odd_input():
    with translation.override("en"):
        assert pick(L("診断")) == "診断"  # no English written yet: Japanese, never an empty label
        assert pick({"ja": "診断"}) == "診断"
        assert pick(None) == ""
        assert pick({}) == ""
        assert pick(object()) == ""
    with translation.override("en-gb"):
        assert ui_language() == "en"
    with translation.override("fr"):  # not offered; anything but English is Japanese
        assert ui_language() == "ja"


def test_pick_filter_escapes_like_any_variable():
    template = Template("{% load sonae_i18n %}{{ t|pick }}")
    text = Text(ja="<b>太字</b>", en="<script>alert(1)</script>")
    with translation.override("en"):
        assert template.render(Context({"t": text})) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    with translation.override("ja"):
        assert template.render(Context({"t": text})) == "&lt;b&gt;太字&lt;/b&gt;"


@pytest.mark.parametrize("language,expected", [("ja", "2026年11月26日"), ("en", "26 Nov 2026")])
def test_dates_follow_the_language(language, expected):
    import datetime as dt

    template = Template('{{ d|date:_("Y年n月j日") }}')
    with translation.override(language):
        assert template.render(Context({"d": dt.date(2026, 11, 26)})) == expected
