"""The fast mail reader must build the same Message tree as the stdlib parser whenever it answers.

`_fast_message` returns None for anything it does not handle (then the stdlib parses); when it
returns a message, headers, structure, payloads and defects must equal `email.message_from_bytes`
with the compat32 policy, which is what the checker used before the speed work.
"""

from __future__ import annotations

import email
from email.policy import compat32

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sonae.engines.messages.mailparse import _fast_message


def _shape(message):
    parts = []
    for part in message.walk():
        payload = None if part.is_multipart() else part.get_payload()
        parts.append(
            (
                part.get_unixfrom(),
                list(part.items()),
                part.get_content_type(),
                payload,
                [type(defect).__name__ for defect in part.defects],
                part.preamble if part.is_multipart() else None,
                part.epilogue if part.is_multipart() else None,
            )
        )
    return parts


def _same_as_stdlib(raw: bytes) -> None:
    fast = _fast_message(raw)
    if fast is None:
        return
    assert _shape(fast) == _shape(email.message_from_bytes(raw, policy=compat32))


HEADER_NAMES = st.sampled_from(["From", "To", "Subject", "Reply-To", "Date", "X-Mailer", "Content-Transfer-Encoding"])
HEADER_VALUES = st.text(alphabet=st.characters(codec="ascii", exclude_characters="\r\n"), max_size=40)
BODY = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@st.composite
def mails(draw):
    headers = draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=6))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [f"{name}: {value}" for name, value in headers]
    if draw(st.booleans()):
        lines.insert(0, "From sender@example.jp Thu Nov 26 10:00:00 2026")
    if draw(st.booleans()):
        boundary = draw(st.sampled_from(["b1", "==sonae==", "----=_Part_1"]))
        lines.append(f'Content-Type: multipart/{draw(st.sampled_from(["mixed", "alternative"]))}; boundary="{boundary}"')
        body_parts = []
        for _ in range(draw(st.integers(0, 3))):
            sub_type = draw(st.sampled_from(["text/plain; charset=utf-8", "text/html; charset=utf-8", "application/pdf; name=\"a.pdf\""]))
            body_parts.append(f"--{boundary}{newline}Content-Type: {sub_type}{newline}{newline}{draw(BODY)}{newline}")
        end = f"--{boundary}--{newline}" if draw(st.booleans()) else ""
        body = draw(BODY) + newline + "".join(body_parts) + end + draw(BODY)
    else:
        lines.append(f"Content-Type: {draw(st.sampled_from(['text/plain', 'text/html']))}; charset=utf-8")
        body = draw(BODY)
    return (newline.join(lines) + newline + newline + body).encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mails())
def test_fast_reader_matches_stdlib_on_generated_mail(raw):
    _same_as_stdlib(raw)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_fast_reader_matches_stdlib_on_junk(raw):
    _same_as_stdlib(raw)


def test_fast_reader_matches_stdlib_on_fixtures():
    from pathlib import Path

    fixtures = sorted((Path(__file__).parent / "fixtures").rglob("*.eml"))
    assert fixtures
    for path in fixtures:
        _same_as_stdlib(path.read_bytes())


# Header blocks built from the pieces that matter to the reader: names, colons, blanks, continuation
# lines, both line ends, lone CRs, envelope "From " lines, lines that are no header.
HEADER_PIECES = st.sampled_from(
    ["Subject", "From", "X-A", "Received", ":", ": ", ":\t", "value", "=?utf-8?b?44GC?=", " ", "\t", "a b", "\r",
     "\n", "\r\n", "\n ", "\r\n\t", "From a@b Thu", "no header", "\xe9"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(HEADER_PIECES, max_size=14).map("".join), st.sampled_from(["\n\n", "\r\n\r\n", "\r\n\n"]))
def test_header_block_reads_headers_as_the_parser_does(head, ending):
    import email.parser

    from sonae.engines.messages.mailparse import _blank_line_end, _header_block

    text = head + ending
    block = text[: _blank_line_end(text)]  # as _split_part cuts it: up to the first blank line
    fast = _header_block(block)
    if fast is None:
        return
    parsed = email.parser.HeaderParser(policy=compat32).parsestr(block)
    assert parsed.get_payload() == ""  # the parser took the whole block as headers
    assert not parsed.defects
    assert (fast.get_unixfrom(), fast.items()) == (parsed.get_unixfrom(), parsed.items())


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["\n", "\r", "\r\n", "a", " ", "\n\n"]), max_size=16).map("".join))
def test_blank_line_end_is_the_first_blank_line(text):
    import re

    from sonae.engines.messages.mailparse import _blank_line_end

    found = re.search(r"\n\n|\r\n\r\n", text)
    assert _blank_line_end(text) == (found.end() if found else -1)


def test_indexed_message_answers_as_message_after_every_kind_of_change():
    from email.message import Message

    from sonae.engines.messages.mailparse import _IndexedMessage

    indexed, plain = _IndexedMessage(policy=compat32), Message(policy=compat32)
    steps = [
        lambda m: m.set_raw("Content-Type", 'text/plain; charset="iso-2022-jp"'),
        lambda m: m.set_raw("X-Odd\nName", "line break in a name"),
        lambda m: m.set_raw("X-\u03a3\u03a3", "sigma"),
        lambda m: m.set_raw("X-A", "1"),
        lambda m: m.__setitem__("content-type", "text/html"),  # a second one: the first still counts
        lambda m: m.replace_header("Content-Type", "text/plain; charset=utf-8"),
        lambda m: m.set_param("charset", "shift_jis"),
        lambda m: m.add_header("Content-Disposition", "attachment", filename="a.txt"),
        lambda m: m.__delitem__("content-type"),
        lambda m: m.set_type("multipart/mixed"),
        lambda m: m.set_boundary("b1"),
    ]
    for step in steps:
        step(indexed)
        step(plain)
        for name in ("Content-Type", "content-type", "X-A", "Content-Disposition", "Missing", "x-odd\nname", "X-\u03a3\u03a3"):
            assert indexed.get(name) == plain.get(name)
            assert (name in indexed) == (name in plain)
        assert indexed.get_content_type() == plain.get_content_type()
        assert indexed.get_content_charset() == plain.get_content_charset()
        assert indexed.get_filename() == plain.get_filename()
        assert indexed.get_boundary() == plain.get_boundary()


def test_top_level_header_index_answers_as_message():
    from sonae.engines.messages.mailparse import _HeaderIndex

    raw = (b"Subject: one\r\nAuthentication-Results: a; spf=pass\r\nsubject: two\r\n"
           b"Authentication-Results: b; dkim=fail\r\nFrom: x@example.jp\r\n\r\nbody")
    fast = _fast_message(raw)
    plain = email.message_from_bytes(raw, policy=compat32)
    assert type(fast).__name__ == "_IndexedMessage"
    for message in (fast, plain):
        index = _HeaderIndex(message)
        for name in ("Subject", "SUBJECT", "From", "Authentication-Results", "Missing"):
            assert index.get(name) == plain.get(name)
            assert index.get_all(name) == plain.get_all(name, [])
