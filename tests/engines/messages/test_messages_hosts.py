"""Host and URL normalisation: what a browser would really open, whatever the message shows."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sonae.engines.messages.hosts import match_suffix, normalise_host
from sonae.engines.messages.urls import find_urls, parse_url, translate_proxy_host


@pytest.mark.parametrize(
    ("raw", "ascii_host", "registrable"),
    [
        ("abc.zyssfj.🄲🄾🄼", "abc.zyssfj.com", "zyssfj.com"),  # enclosed letters (antiphishing.jp 2025/04)
        ("ｅｘａｍｐｌｅ．ｃｏｍ", "example.com", "example.com"),  # full-width
        ("WWW.Example.CO.JP.", "www.example.co.jp", "example.co.jp"),
        ("www.example.or.jp", "www.example.or.jp", "example.or.jp"),
        ("city.shibuya.lg.jp", "city.shibuya.lg.jp", "shibuya.lg.jp"),
        ("例え.テスト.jp", "xn--r8jz45g.xn--zckzah.jp", "xn--zckzah.jp"),
        ("foo.xn--tckwe", "foo.xn--tckwe", "foo.xn--tckwe"),  # .コム
        ("ex\u200bample.com", "example.com", "example.com"),  # zero-width space dropped
    ],
)
def test_normalise_host(raw, ascii_host, registrable):
    host = normalise_host(raw)
    assert host.ascii == ascii_host
    assert host.registrable == registrable


def test_punycode_both_ways():
    host = normalise_host("xn--id-zb4axila5esc1e1f9bvhzd4a6fe.example.com")
    assert host.unicode.startswith("アップルジャパンのログインid")
    assert host.is_idn
    assert normalise_host(host.unicode).ascii == host.ascii


@pytest.mark.parametrize("raw", ["2130706433", "0x7f.1", "127.0.0.1", "0177.0.0.1", "[::1]"])
def test_ip_literals_in_every_form(raw):
    host = normalise_host(raw)
    assert host.is_ip
    assert host.ascii in ("127.0.0.1", "::1")


def test_cyrillic_lookalike_stays_distinct():
    assert normalise_host("аmazon.co.jp").registrable != "amazon.co.jp"


def test_suffix_matching_is_by_label():
    table = {"example.co.jp": 1}
    assert match_suffix("www.example.co.jp", table) == "example.co.jp"
    assert match_suffix("badexample.co.jp", table) is None


def test_public_suffix_list_is_never_fetched(monkeypatch):
    """The bundled PSL snapshot is used: a fresh extractor works with the network cut off."""
    import tldextract

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    assert extract("a.example.lg.jp").suffix == "lg.jp"
    normalise_host.cache_clear()
    assert normalise_host("www.city.example.tokyo.jp").suffix


@pytest.mark.parametrize(
    ("raw", "host", "userinfo"),
    [
        ("https://www.amazon.co.jp@evil.example.com/", "evil.example.com", "www.amazon.co.jp"),
        ("hhttps://abc.example.cn/x", "abc.example.cn", ""),
        ("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ／ａ", "example.com", ""),
        ("example.com/path", "example.com", ""),
        ("http://[::1]:8080/x", "::1", ""),
        ("https:\\\\example.com\\login", "example.com", ""),
    ],
)
def test_parse_url(raw, host, userinfo):
    parsed = parse_url(raw)
    assert parsed.host.ascii == host
    assert parsed.userinfo == userinfo


def test_parse_url_non_web_schemes():
    assert parse_url("javascript:alert(1)").scheme == "javascript"
    assert not parse_url("javascript:alert(1)").valid
    assert parse_url("mailto:a@example.com").scheme == "mailto"


def test_find_urls_in_japanese_text_with_spans():
    text = "不在のため持ち帰りました。こちら→https://abc.example.top/xyzをご確認 www.sagawa-exp.co.jp。"
    found = find_urls(text)
    assert [f.url for f in found] == ["https://abc.example.top/xyz", "www.sagawa-exp.co.jp"]
    for item in found:
        assert text[item.span[0]: item.span[1]] == item.url


def test_find_urls_full_width_and_enclosed():
    text = "詳細 ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ／ａ と abc.zyssfj.🄲🄾🄼 を見て"
    urls = [f.url for f in find_urls(text)]
    assert "https://example.com/a" in urls
    assert "abc.zyssfj.COM" in urls


def test_find_urls_ignores_file_names_and_addresses():
    assert find_urls("setup.py と notes.md を送ります。連絡先 taro@example.co.jp") == []


def test_find_urls_limit():
    text = " ".join(f"https://h{i}.example.com/" for i in range(5000))
    assert len(find_urls(text, limit=100)) == 100


def test_translate_proxy_host():
    assert translate_proxy_host("www-amazon--shop-co-jp.translate.goog") == "www.amazon-shop.co.jp"
    assert translate_proxy_host("example.com") is None


# --- properties ---------------------------------------------------------------------------------------

@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_normalise_host_never_raises(raw):
    host = normalise_host(raw)
    assert isinstance(host.ascii, str)
    if host.valid:
        assert host.ascii.isascii()
        assert host.ascii == host.ascii.lower()


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,3}\.(com|jp|co\.jp|or\.jp|cn|top)", fullmatch=True))
def test_normalisation_is_idempotent(raw):
    first = normalise_host(raw)
    again = normalise_host(first.ascii)
    assert again.ascii == first.ascii
    assert again.registrable == first.registrable


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-z]{1,10}\.(com|co\.jp|jp)", fullmatch=True))
def test_full_width_form_normalises_to_the_same_host(raw):
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in raw)
    assert normalise_host(full_width).ascii == normalise_host(raw).ascii


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400))
def test_parse_url_never_raises(raw):
    parsed = parse_url(raw)
    assert isinstance(parsed.url, str)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("abc.:/@?#ｈｔｐｓ：／．🄲 あい\n-_%()") + ["http://", "www.", ".com", ".jp"]), max_size=80))
def test_find_urls_spans_are_inside_the_text(pieces):
    text = "".join(pieces)
    for found in find_urls(text):
        start, end = found.span
        assert 0 <= start < end <= len(text)
