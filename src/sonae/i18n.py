"""The language of the page being built, and picking the right half of a two-language catalog text.

Catalog data (instruments, merits, risk templates, document definitions, checker labels) carries its
own Japanese and English texts instead of going through gettext. Views and templates show them with
`pick()` (or the `|pick` template filter from `sonae_i18n`), which follows the language the user chose
with the language switch. Texts that are Japanese on purpose (the plans and rules themselves) do not
go through here.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language


def ui_language() -> str:
    """"en" when the user chose English, else "ja" (the default, also outside a request)."""
    return "en" if (get_language() or "ja").startswith("en") else "ja"


def is_english() -> bool:
    return ui_language() == "en"


def pick(text, language: str | None = None) -> str:
    """The English or Japanese half of `text`, falling back to Japanese when there is no English.

    `text` may be anything with `.ja`/`.en` (catalog `Text`, the documents engine's `L`), a mapping
    with "ja"/"en" keys, or a (ja, en) pair; None gives "".
    """
    if text is None:
        return ""
    if isinstance(text, Mapping):
        ja, en = text.get("ja", ""), text.get("en", "")
    elif isinstance(text, tuple) and len(text) == 2:
        ja, en = text
    else:
        ja, en = getattr(text, "ja", ""), getattr(text, "en", "")
    return (en or ja) if (language or ui_language()) == "en" else ja
