"""Check digits against the published test vectors (fact sheet §2.12)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sonae.engines.textscan import (
    luhn_valid,
    validate_corporate_number,
    validate_credit_card,
    validate_my_number,
)
from sonae.engines.textscan.checkdigits import (
    corporate_number_check_digit,
    drivers_license_check_digit,
    my_number_check_digit,
)


@pytest.mark.parametrize("value", ["123456789018", "621498320257", "1234-5678-9018", "１２３４ ５６７８ ９０１８"])
def test_my_number_valid(value):
    assert validate_my_number(value)


@pytest.mark.parametrize("value", ["123456789012", "621498320258", "12345678901", "1234567890188", "", "abcdefghijkl"])
def test_my_number_invalid(value):
    assert not validate_my_number(value)


@pytest.mark.parametrize(
    "value",
    ["5835678256246", "7123456789012", "4011001098993", "2120901007402", "5010401067252",
     "1130001011420", "7000012050002", "T5835678256246", "５８３５６７８２５６２４６"],
)
def test_corporate_number_valid(value):
    assert validate_corporate_number(value)


@pytest.mark.parametrize("value", ["2835678256246", "583567825624", "58356782562460", "", "T", "x" * 13])
def test_corporate_number_invalid(value):
    assert not validate_corporate_number(value)


def test_corporate_number_rejects_non_string():
    assert not validate_corporate_number(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", ["4111111111111111", "5555555555554444", "378282246310005", "3530111333300000", "2223000048400011"]
)
def test_cards_valid(value):
    assert validate_credit_card(value)


@pytest.mark.parametrize("value", ["4111111111111112", "1234567812345670", "9999999999999995", "411111111111"])
def test_cards_invalid(value):
    # 1234567812345670 passes Luhn but no issuer uses prefix 1.
    assert not validate_credit_card(value)


def test_luhn_rejects_empty_and_letters():
    assert not luhn_valid("")
    assert not luhn_valid("41111111111a1111")


def test_drivers_license_worked_example():
    assert drivers_license_check_digit("3090123456") == 2


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_my_number_exactly_one_check_digit(base):
    good = my_number_check_digit(base)
    assert sum(validate_my_number(base + str(d)) for d in range(10)) == 1
    assert validate_my_number(base + str(good))


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_corporate_number_exactly_one_check_digit(base):
    good = corporate_number_check_digit(base)
    assert 1 <= good <= 9
    assert validate_corporate_number(str(good) + base)
    assert sum(validate_corporate_number(str(d) + base) for d in range(10)) == 1
