"""Shortcuts taken for speed must give what the plain way gives.

Each test compares a shortcut with the straightforward code it replaced, on generated input built
from the characters that matter to it (blanks, dots, scheme pieces, tags, entities).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sonae.engines.messages import htmltext, urls

# --- whitespace runs in the text taken from HTML -----------------------------------------------------

# The pattern as first written: runs of 2+ blanks, any single blank but a space, a space first or last.
_PLAIN_SPACE_RUN_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000\n]{2,}|[\t\r\f\v\u00a0\u3000\n]|^ | $")
BLANKY = st.text(alphabet=st.sampled_from(list(" \t\r\f\v\u00a0\u3000\nab\u3042")), max_size=30)


@settings(max_examples=1000, deadline=None)
@given(BLANKY)
def test_space_runs_are_the_plain_patterns_matches(text):
    assert [m.span() for m in htmltext._SPACE_RUN_RE.finditer(text)] == [
        m.span() for m in _PLAIN_SPACE_RUN_RE.finditer(text)
    ]


def test_space_runs_known_cases():
    # The runs that change: leading space, double space, a tab, trailing space; "b c" is left alone.
    assert [m.group(0) for m in htmltext._SPACE_RUN_RE.finditer(" a  b\tc d ")] == [" ", "  ", "\t", " "]


# --- URL search in runs of URL characters ---------------------------------------------------------------

URLISH = st.lists(
    st.sampled_from(
        ["http", "https", "hxxp", "ttps", "://", ":", "/", "www", "WWW", "wWw", ".", ".", "com", "COM", "co", "jp",
         "xn--p1ai", "e", "g", "a1", "9", "-", "@", "(", ")", "?", "#", "=", "&", "%", "_", "~", "。", "．", "①",
         "\u0131", " ", "\n", "あ"]
    ),
    max_size=16,
).map("".join)


def _find_urls_without_shortcut(text: str) -> list[tuple[str, tuple[int, int]]]:
    """find_urls as it was before runs were pre-screened: every run goes through _IN_RUN_RE."""
    import unicodedata

    found = []
    for run_start, run_end in urls._dotted_runs(text):
        chunk = text[run_start:run_end]
        normal = chunk if chunk.isascii() else unicodedata.normalize("NFKC", chunk).translate(urls._DOTS)
        same_length = len(normal) == len(chunk)
        for match in urls._IN_RUN_RE.finditer(normal):
            candidate = urls._strip_trailing(match.group(0))
            if not urls._keep(candidate):
                continue
            if same_length:
                start = run_start + match.start()
                span = (start, start + len(candidate))
            else:
                span = (run_start, run_end)
            found.append((candidate, span))
    return found


@settings(max_examples=1000, deadline=None)
@given(URLISH)
def test_url_search_is_unchanged_by_the_run_screen(text):
    assert [(f.url, f.span) for f in urls.find_urls(text)] == _find_urls_without_shortcut(text)


@settings(max_examples=1000, deadline=None)
@given(URLISH.filter(str.isascii))
def test_run_screen_only_drops_runs_without_a_match(text):
    if not urls._may_hold_url(text):
        assert urls._IN_RUN_RE.search(text) is None


def test_run_screen_keeps_what_can_be_a_url():
    assert all(urls._may_hold_url(s) for s in ["example.com", "HTTP://x", "WWW.1", "a.B", "hxxp://1"])
    assert not any(urls._may_hold_url(s) for s in ["end.", "3.5", "...", "1.2.3", "a-b.9"])
