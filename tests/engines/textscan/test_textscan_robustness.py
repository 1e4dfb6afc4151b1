"""Properties over arbitrary text, and adversarial inputs against every pattern.

Time is never asserted. Linear behaviour is checked by counting the function calls the scan
makes (Python and C level) for an input and for the same input four times longer; catastrophic
regex backtracking would also show up as a test that does not finish on the long inputs below.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sonae.engines.textscan import Policy, TextScanError, scan, unmask
from sonae.engines.textscan.checkdigits import my_number_check_digit

JAPANESE_ALPHABET = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはまやらわをんアイウエオカキクケコサシスセソタチツテトナ"
    "ーッャ山田太郎花子佐藤鈴木様さん氏部長東京都大阪府市区町村丁目番地号〒電話番号口座普通マイナンバー個人"
    "0123456789０１２３４５６７８９-‐−―ー－ 　+()（）@.＠:：=abcdefxyzABCDEFKIAT_/\n、。"
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=JAPANESE_ALPHABET, max_size=300))
def test_findings_are_consistent_on_any_text(text):
    result = scan(text)
    previous_end = 0
    for finding in result.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.start >= previous_end  # sorted, never overlapping
        previous_end = finding.end
        assert text[finding.start : finding.end] == finding.text
        assert result.mapping[finding.placeholder]
    for finding in result.findings:
        assert finding.placeholder in result.masked


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_text_is_accepted(text):
    scan(text, Policy(custom_terms=["プロジェクトX", "ACME"]))


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="あいうえおカキクケコ山川、。 ", max_size=30),
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from(["", "-", " ", "‐", "−", "ー", "－"]),
    st.text(alphabet="あいうえおカキクケコ山川、。 ", max_size=30),
)
def test_valid_my_number_with_context_is_always_found_and_masked(prefix, base, sep, suffix):
    digits = base + str(my_number_check_digit(base))
    value = sep.join([digits[:4], digits[4:8], digits[8:]])
    text = f"{prefix}マイナンバー：{value}{suffix}"
    result = scan(text)
    assert ("my_number", value) in [(f.type, f.text) for f in result.findings]
    assert value not in result.masked
    assert unmask(result.masked, result.mapping) == text


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["090-1234-5678", "taro@example.jp", "〒100-0001", "山田様", "普通 1234567",
                                 "AKIAIOSFODNN7EXAMPLE", "今日は", "、", "\n"]), max_size=12))
def test_unmask_round_trip(pieces):
    text = "".join(pieces)
    result = scan(text)
    assert unmask(result.masked, result.mapping) == text


# --- adversarial inputs ----------------------------------------------------------------------

ADVERSARIAL = {
    "digits": "1" * 4000,
    "digit-hyphen": "1-" * 2000,
    "digit-space": "1 " * 2000,
    "parens": "(1" * 2000,
    "plus81": "+81 " * 1000,
    "letters": "a" * 4000,
    "upper": "A" * 4000,
    "aws": "AKIA" * 1000,
    "github": "ghp_" * 1000,
    "openai": "sk-" * 1300,
    "jwt": "eyJ." * 1000,
    "jwt-long": "eyJ" + "a" * 4000 + ".eyJ" + "b" * 4000,
    "pem": "-----BEGIN PRIVATE KEY-----\n" * 150,
    "email-at": "a@" * 2000,
    "email-dots": "a." * 2000 + "@",
    "email-domain": "x@" + "a-" * 2000,
    "password": "password:" * 400,
    "password-ja": "パスワードは" * 600,
    "token": "token=" * 600,
    "url": "http://" * 500 + "a:" * 500,
    "honorific": "様" * 4000,
    "names": "山田" * 2000 + "様",
    "name-label": "氏名：" * 1300,
    "kanji": "田" * 4000,
    "prefecture": "東京都" * 1300,
    "city": "市" * 4000,
    "address-block": "東京都港区" + "1-" * 2000,
    "labels": "マイナンバー" * 600,
    "postal": "〒" * 4000,
    "dashes": "ー" * 4000,
    "fullwidth": "１－" * 2000,
}


def _count_calls(text: str) -> int:
    calls = 0

    def profiler(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profiler)
    try:
        scan(text, Policy(custom_terms=["ＡＣＭＥ", "プロジェクト"]))
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_inputs_scale_linearly(name):
    unit = ADVERSARIAL[name]
    small = _count_calls(unit)
    large = _count_calls(unit * 4)
    # Work grows with the input, not with its square (allowing for constant start-up costs).
    assert large <= 6 * small + 2000, (small, large)


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_inputs_finish(name):
    # ~100-400 KB each; a pattern with catastrophic backtracking would not return.
    text = ADVERSARIAL[name] * 25
    result = scan(text)
    for finding in result.findings[:50]:
        assert text[finding.start : finding.end] == finding.text


def test_many_custom_terms():
    terms = [f"顧客{i:04d}" for i in range(2000)]
    result = scan("本日は顧客1234と顧客ー１２３５の件です", Policy(custom_terms=terms))
    assert [f.text for f in result.findings] == ["顧客1234"]


def test_custom_terms_deduplicated_in_order_and_limit_counts_distinct_terms():
    terms = [f" 顧客{i:04d} " for i in range(2000)] * 3 + ["", "  ", "顧客0001"]
    policy = Policy(custom_terms=terms)
    assert policy.custom_terms == tuple(f"顧客{i:04d}" for i in range(2000))
    assert Policy(custom_terms=["b", "a", "b", "c", "a"]).custom_terms == ("b", "a", "c")
    with pytest.raises(TextScanError):
        Policy(custom_terms=terms + ["one more"])


def test_mixed_long_document():
    block = ("山田太郎様（090-1234-5678、taro@example.co.jp）〒100-0001 東京都千代田区千代田1-1。"
             "マイナンバー 1234 5678 9018。注文番号 123456789018。v1.2.3 ")
    result = scan(block * 2000)
    assert result.counts["my_number"] == 2000
    assert result.counts["phone"] == 2000
    assert len(result.mapping) == 6  # the same values share placeholders
