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


@settings(max_examples=3000, deadline=None)
@given(URLISH.filter(str.isascii))
def test_hinted_runs_are_the_dotted_runs_the_screen_keeps(text):
    assert list(urls._hinted_runs(text)) == [
        (a, b) for a, b in urls._dotted_runs(text) if urls._may_hold_url(text[a:b])
    ]


def test_run_screen_keeps_what_can_be_a_url():
    assert all(urls._may_hold_url(s) for s in ["example.com", "HTTP://x", "WWW.1", "a.B", "hxxp://1"])
    assert not any(urls._may_hold_url(s) for s in ["end.", "3.5", "...", "1.2.3", "a-b.9"])


# --- wording patterns: ASCII variants and literal screens ---------------------------------------------------

from sonae.engines.messages import wording  # noqa: E402

_WORDING = {
    name: value for name, value in vars(wording).items()
    if isinstance(value, re.Pattern) and value.flags & re.IGNORECASE
}


def _lowered_source(name: str) -> str:
    return wording.literal_first(wording._lower_pattern(_WORDING[name].pattern))


def _first_char_ascii_alternatives(source: str) -> str:
    """The ASCII variant as first written: alternatives opening with an ASCII character."""
    kept = [a for a in wording._alternatives(source) if not a or a[0].isascii()]
    return "|".join(kept) if kept else "(?!)"


# Texts made of the patterns' own words and pieces, so that matches are frequent.
_PIECES = sorted({
    piece
    for name in _WORDING
    for piece in re.split(r"\\.|[.^$*+?{}\[\]()|]", _lowered_source(name))
    if piece
} | {" ", "0", "1", "24", "-", "x", "\n", "】", "【", "ー"})
WORDY = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)  # long enough to pass MAX_SCREEN_POSITIONS


@settings(max_examples=1500, deadline=None)
@given(WORDY, st.sampled_from(sorted(_WORDING)))
def test_screened_patterns_find_what_the_plain_patterns_find(text, name):
    # Short texts are searched directly; padded, the same text takes the screened way.
    for text in (text.lower(), " " * wording.SCREEN_MIN_CHARS + text.lower()):
        plain = re.compile(_lowered_source(name)).search(text)
        chosen = getattr(wording.lowered_for(text), name).search(text)
        assert (plain and plain.span()) == (chosen and chosen.span())
        if text.isascii():
            # The ASCII variant as first written (alternatives opening with an ASCII character).
            first = re.compile(_first_char_ascii_alternatives(_lowered_source(name))).search(text)
            assert (first and first.span()) == (chosen and chosen.span())


def test_pattern_set_chosen_by_the_texts_characters():
    assert wording.lowered_for("plain english") is wording.LOWER_ASCII
    assert wording.lowered_for("caf\u00e9 \u2019quoted\u2019") is wording.LOWER_BELOW_CJK
    assert wording.lowered_for("ログインしてください") is wording.LOWER
    assert wording.lowered_for("full\uff01") is wording.LOWER  # full-width forms lie above U+3000 too


def test_screen_literals():
    assert wording.screen_literals("log ?in|sign ?in") == ("log", "sign")
    assert wording.screen_literals("verify your|verify") == ("verify",)
    assert wording.screen_literals(r"a\.b+c|xy{2}") == ("x", "a.b")
    assert wording.screen_literals("abc|(?:d|e)f") is None  # an alternative opening with a group
    assert wording.screen_literals(r"\dabc") is None
    assert wording.screen_literals("ab|") is None
    # Only a literal that opens with a shorter one is left out: "design" holds "sign" but not at its start.
    assert wording.screen_literals("design|sign|signal") == ("sign", "design")


def test_alternatives_dropped_only_when_a_character_above_the_ceiling_is_required():
    assert wording._needs_char_from("id.{0,8}(?:確認|更新)", "\x80")
    assert wording._needs_char_from("24時間以内", "\u3000")
    assert not wording._needs_char_from("24時間以内", "\uffff")
    assert not wording._needs_char_from("id.{0,8}(?:確認|update)", "\x80")
    assert not wording._needs_char_from("google ?play ?(?:ギフト)?", "\x80")
    assert not wording._needs_char_from("a[確]b", "\x80")  # classes are not looked into
    assert not wording._needs_char_from("a(?=確)", "\x80")  # nor look-arounds
    assert not wording._needs_char_from("確?x", "\x80")


# --- brand names: the pattern set for text without kana or kanji --------------------------------------------

from sonae.engines.messages.knowledge import knowledge  # noqa: E402

_BRAND_PIECES = ["amazon", "Amazon", " pay", "apple", " id", "au", "AU", "x", "@nifty", "é", "\u2019", "\u00a0",
                 "\u13a0", "Visa", "VISA", "楽天", "カード", " ", ".", "-", "mufg", "MUFG", "jcb", "JCB", "line", "LINE"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_BRAND_PIECES), max_size=10).map("".join))
def test_brand_search_below_cjk_matches_the_full_patterns(text):
    k = knowledge()
    lower = text.lower()
    if text.isascii() or len(lower) != len(text):
        return
    full = k._find_with(text, lower, k._ci_re, k._cs_re)
    assert k.find_brands(text) == full


# --- HTML: the reader of simple tags against the stdlib HTML parser -----------------------------------------

_HTML_PIECES = [
    '<a href="x">', "<a href='x&amp;y'>", "<a href=x>", "<a href=http://e.example/a?b=1&c=2>", '<A HREF="X">',
    "<a\nhref=x>", '<a href = "x" >', "<a href>", '<a href="">', "<a/>", "<a href=x/>", "<a href=x />",
    "<img src=x alt=y>", '<img alt="a&lt;b"/>', "<IMG ALT=z>", "<img alt>", "<img src=x>", "<img alt=>",
    "</a>", "</A >", "</a\t>", "</img>", "<form action=x>", "</form>", "<iframe src=x>", "<iframe/>",
    "</iframe>", "<title>", "</title>", "<object data=x/>", "<!DOCTYPE html>", "<!doctype>", "<!DOCTYPE",
    "<", ">", "&amp;", "&lt;", "&", "&#65;", "&#x", "&copy", "text", " ", "\n", "\v", "\xa0", "'", '"', "=",
    "/", '<a href="x"href=y>', "<a href=x\v>", "<ımg alt=q>", "<a b c d>", "<a href=`x`>", "<a href=x=y>",
    "<br>", "<p class=x>", "<span>", "<!-- c -->", "<?xml x?>", '<a href="<">', "<a x:y=1>", "<script>x</script>",
    "<a href=&quot;q&quot;>", "<a\x0bhref=x>", "<a href='x'/>", "<aside>", "</ a>", "<img alt=q\v>",
    "<img alt=a\xa0b>", "<a href=x\xa0y>", "<img alt=\"p q\" src=z>", '<a href="" href=x>', "<a href HREF='y'>",
    '<img alt="" ALT=w>', "<a id=1 href=&amp;>", "<a title='href=z' href=q>",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=14).map("".join))
def test_simple_tag_reader_gives_the_parsers_text_and_links(html):
    slim, _ = htmltext._slim(html)
    fast = htmltext._Extractor()
    if not htmltext._fast_feed(fast, slim):
        return
    parsed = htmltext._Extractor()
    parsed.feed(slim)
    parsed.close()
    fast._close_anchor()
    parsed._close_anchor()
    assert ("".join(fast.parts), fast.anchors, fast.forms, fast.skip_depth) == (
        "".join(parsed.parts), parsed.anchors, parsed.forms, parsed.skip_depth
    )


def test_simple_tag_reader_takes_ordinary_mail_html_and_leaves_the_rest():
    ordinary = ('<!DOCTYPE html><html><body><p>Hello &amp; welcome</p><a href="https://a.example/x?y=1&amp;z=2">'
                'Sign in</a><img src=logo.png width=1 alt="Shop"><br></body></html>')
    fast = htmltext._Extractor()
    assert htmltext._fast_feed(fast, htmltext._slim(ordinary)[0])
    assert [(a.href, a.text) for a in fast.anchors] == [("https://a.example/x?y=1&z=2", "Sign in")]
    # A "<" it does not know (here an unclosed tag) sends the document to the parser, same result either way.
    odd = '<a href="https://a.example/">x</a> 1 < 2 <img alt="y'
    assert not htmltext._fast_feed(htmltext._Extractor(), htmltext._slim(odd)[0])
    assert htmltext.html_to_text(odd).anchors[0].href == "https://a.example/"


# The pattern that drops comments, scripts and styles, as first written (lazy, IGNORECASE | DOTALL).
_PLAIN_DROP_BLOCKS_RE = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|head|noscript|template|svg)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_DROP_PIECES = ["<!--", "-->", "--", "-", ">", "<", "\n", "a", " ", "<script>", "</script>", "</SCRIPT >", "<Style x>",
                "</style>", "<head>", "</head\n>", "<svg/>", "</svg>", "\u017fcript", "<\u017fcript>", "</\u017fcript>",
                "<scripts>", "\n\n", "x\n", "<!-- a -- b ->", "</scrip>"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_DROP_PIECES), max_size=12).map("".join))
def test_dropped_blocks_are_the_lazy_patterns_matches(html):
    assert [m.span() for m in htmltext._DROP_BLOCKS_RE.finditer(html)] == [
        m.span() for m in _PLAIN_DROP_BLOCKS_RE.finditer(html)
    ]


def test_screened_search_returns_the_leftmost_match():
    credential = wording.LOWER_ASCII.CREDENTIAL_RE
    # Both texts hold two matches opening with different literals: the first in the text wins.
    pad = " " * wording.SCREEN_MIN_CHARS
    for text in (pad + "please verify your account, or log in to your page", pad + "log in to your page or verify your account"):
        plain = re.compile(_lowered_source("CREDENTIAL_RE")).search(text)
        assert credential.search(text).span() == plain.span()
    # More places than MAX_SCREEN_POSITIONS: one search from the first place, same answer.
    text = "blog " * (wording.MAX_SCREEN_POSITIONS + 3) + "sign in to your account"
    assert credential.search(text).span() == re.compile(_lowered_source("CREDENTIAL_RE")).search(text).span()
    assert credential.search("nothing to see here") is None


# --- addresses, charsets, URL clean-up, near-miss host labels ---------------------------------------------

import email.utils  # noqa: E402
from email.message import Message  # noqa: E402
from email.policy import compat32  # noqa: E402

from rapidfuzz import process  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from sonae.engines.messages import hostsignals, mailparse  # noqa: E402

ATOM = st.text(alphabet=st.sampled_from(list("aZ09_%+-")), min_size=1, max_size=4)
BLANKS = st.lists(st.sampled_from([" ", "\t", "\r\n", "\n"]), max_size=2).map("".join)


@settings(max_examples=1000, deadline=None)
@given(st.lists(ATOM, min_size=1, max_size=3), st.lists(st.text(alphabet="ab-9", min_size=1, max_size=4), min_size=1,
       max_size=3), BLANKS, BLANKS, st.sampled_from(["", ".", "..", "(x)", "é", '"', ","]))
def test_bare_addresses_read_as_parseaddr_reads_them(local, domain, before, after, junk):
    value = before + ".".join(local) + "@" + ".".join(domain) + junk + after
    name, address = email.utils.parseaddr(value)
    if mailparse._BARE_ADDRESS_RE.fullmatch(value):
        assert mailparse._address(value) == (name, address.strip().lower()) == ("", value.strip(" \t\r\n").lower())


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["text/plain", "TEXT/HTML", ";", " ", "charset", "CharSet", "=", '"', "utf-8",
                                 "ISO-2022-JP", "*", "''", "%41", "name=x", "\t", "é", "charset*0", "us-ascii"]),
                max_size=10).map("".join))
def test_charset_memo_gives_get_content_charset(value):
    part = Message(policy=compat32)
    part.set_raw("X-Other", "1")
    part.set_raw("Content-Type", value)
    part.set_raw("Content-Type", "text/plain; charset=never-read")  # only the first counts
    try:
        expected = part.get_content_charset()
    except Exception:  # noqa: BLE001 - _part_charset answers None then
        expected = None
    assert mailparse._part_charset(part) == expected


def test_control_characters_removed_from_urls_are_all_unprintable_or_space():
    from sonae.engines.messages.urls import _CONTROL_RE

    removed = [chr(c) for c in range(0x110000) if _CONTROL_RE.match(chr(c))]
    assert removed and all(c == " " or not c.isprintable() for c in removed)


def test_near_miss_searches_on_length_buckets_match_the_full_lists():
    _, labels, _ = hostsignals._official_label_index()
    long_tokens = hostsignals._token_indexes()[1]
    queries = set()
    for word in labels + long_tokens:
        queries |= {word, word[1:], word[:-1], word + "x", "x" + word, word[:2] + "q" + word[3:], word[::-1]}
    for query in sorted(queries):
        full = process.extract(query, labels, scorer=Levenshtein.distance, score_cutoff=2, limit=5)
        near = process.extract(query, hostsignals._labels_near(len(query)), scorer=Levenshtein.distance,
                               score_cutoff=2, limit=5)
        assert [(c, d) for c, d, _ in full] == [(c, d) for c, d, _ in near]
        one = process.extractOne(query, long_tokens, scorer=Levenshtein.distance, score_cutoff=1)
        one_near = process.extractOne(query, hostsignals._tokens_near(len(query)), scorer=Levenshtein.distance,
                                      score_cutoff=1)
        assert (one and one[:2]) == (one_near and one_near[:2])


def _squeeze_one_run_at_a_time(raw):
    """_squeeze as first written: a loop over the runs, each piece and separator appended in turn."""
    pending = object()
    pieces, starts, new_starts = [], [], []
    position = length = 0
    pending_sep = " "
    for match in htmltext._SPACE_RUN_RE.finditer(raw):
        if match.start() > position:
            if pieces and pieces[-1] is pending:
                pieces[-1] = pending_sep
                length += len(pending_sep)
            starts.append(position)
            new_starts.append(length)
            pieces.append(raw[position: match.start()])
            length += match.start() - position
        newlines = match.group(0).count("\n")
        pending_sep = "\n\n" if newlines >= 2 else ("\n" if newlines == 1 else " ")
        if pieces and pieces[-1] is not pending:
            pieces.append(pending)
        position = match.end()
    if position < len(raw):
        if pieces and pieces[-1] is pending:
            pieces[-1] = pending_sep
            length += len(pending_sep)
        starts.append(position)
        new_starts.append(length)
        pieces.append(raw[position:])
        length += len(raw) - position
    if pieces and pieces[-1] is pending:
        pieces.pop()
    return "".join(pieces), htmltext._OffsetMap(starts, new_starts, length)


@settings(max_examples=3000, deadline=None)
@given(BLANKY)
def test_squeeze_gives_the_text_and_offsets_of_the_run_by_run_loop(raw):
    text, mapping = htmltext._squeeze(raw)
    plain_text, plain_mapping = _squeeze_one_run_at_a_time(raw)
    assert text == plain_text
    assert [mapping[offset] for offset in range(len(raw) + 2)] == [
        plain_mapping[offset] for offset in range(len(raw) + 2)
    ]


# --- host labels: ASCII shortcuts in skeleton and looks_random ------------------------------------------

import unicodedata  # noqa: E402

LABELS = st.lists(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzAEIOUY0123456789-_") + [
    "rn", "vv", "cl", "\u00e9", "\u0430", "\u03bf", "\u0301", "|", "\u2113"]), max_size=16).map("".join)


def _skeleton_without_shortcut(label):
    text = unicodedata.normalize("NFKD", label.lower()).translate(hostsignals._SKELETON_CHARS)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for old, new in hostsignals._SKELETON_PAIRS:
        text = text.replace(old, new)
    return text.replace("-", "")


def _looks_random_without_shortcut(label):
    if len(label) < 5 or label.startswith("xn--"):
        return False
    letters = [ch for ch in label if ch.isalpha()]
    if len(letters) >= 6 and sum(ch in hostsignals._VOWELS for ch in letters) / len(letters) < 0.2:
        return True
    if hostsignals._CONSONANT_RUN_RE.search(label.replace("-", "")):
        return True
    return len(hostsignals._LETTER_DIGIT_RE.findall(label)) >= 4 and len(label) <= 12


@settings(max_examples=3000, deadline=None)
@given(LABELS)
def test_label_shortcuts_give_what_the_general_code_gives(label):
    assert hostsignals.skeleton(label) == _skeleton_without_shortcut(label)
    assert hostsignals.looks_random(label) == _looks_random_without_shortcut(label)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(hostsignals._token_indexes()[0])), LABELS), min_size=1, max_size=3))
def test_brand_prefix_search_tries_only_token_lengths(pairs):
    labels = [token + tail for token, tail in pairs]
    prefix_tokens = hostsignals._token_indexes()[0]
    found = hostsignals._brand_token_hit(labels)
    # The prefix part as first written: every length from 4 up.
    for label in labels:
        for part in [p for p in hostsignals._WORD_SPLIT_RE.split(label) if p] + [label.replace("-", "")]:
            if part in hostsignals.knowledge().tokens:
                return  # an exact token decides before any prefix
    firsts = []
    for label in labels:
        if label.startswith("xn--"):
            continue
        parts = [p for p in hostsignals._WORD_SPLIT_RE.split(label) if p] if ("-" in label or "_" in label) else [label]
        for part in dict.fromkeys([*parts, label.replace("-", "")]):
            hit = next((prefix_tokens[part[:end]] for end in range(4, len(part)) if part[:end] in prefix_tokens), None)
            if hit:
                firsts.append(sorted(hit)[0])
    if firsts:
        assert found == (firsts[0], False)
