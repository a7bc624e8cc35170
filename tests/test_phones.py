"""Phone normalization: every way an operator writes a Vietnamese number, and every refusal."""

from __future__ import annotations

import pytest

from bot.phonefast import match_key
from bot.phones import (
    EMPTY,
    FOREIGN,
    INVALID,
    NOT_A_NUMBER,
    TOO_LONG,
    TOO_SHORT,
    InvalidPhone,
    normalize,
    same_number,
)


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "0084912345678",
        "(+84) 912-345-678",
        "0912.345.678",
        "091-234-5678",
        "0912 345 678",
        "  0912345678  ",
        "912345678",
        "０９１２３４５６７８",  # full-width digits, as typed on some phones
    ],
)
def test_every_written_form_of_a_mobile_becomes_the_national_form(raw: str) -> None:
    assert normalize(raw) == "0912345678"


@pytest.mark.parametrize("raw", ["0912345678", "+84 912 345 678", "84912345678", "091-234-5678"])
def test_a_connection_asking_for_e164_gets_plus_84(raw: str) -> None:
    assert normalize(raw, "e164") == "+84912345678"


@pytest.mark.parametrize(
    ("raw", "national", "e164"),
    [
        ("0987654321", "0987654321", "+84987654321"),  # Viettel
        ("0367 123 456", "0367123456", "+84367123456"),  # Viettel, 2018 prefix
        ("0703 123 456", "0703123456", "+84703123456"),  # MobiFone
        ("0823 456 789", "0823456789", "+84823456789"),  # VinaPhone
        ("0563 456 789", "0563456789", "+84563456789"),  # Vietnamobile
        ("024 3826 4326", "02438264326", "+842438264326"),  # Hà Nội landline
        ("+84 28 3822 1234", "02838221234", "+842838221234"),  # TP.HCM landline
    ],
)
def test_mobiles_of_every_carrier_and_landlines_are_accepted(
    raw: str, national: str, e164: str
) -> None:
    assert normalize(raw) == national
    assert normalize(raw, "e164") == e164


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", EMPTY),
        ("   ", EMPTY),
        ("abc", NOT_A_NUMBER),
        ("không có", NOT_A_NUMBER),
        ("0912", TOO_SHORT),
        ("+8491234", TOO_SHORT),
        ("09123456789012345", TOO_LONG),
        ("0123456789", INVALID),  # 012x mobile prefixes were retired in 2018
        ("0012345678", INVALID),
    ],
)
def test_a_number_that_cannot_be_used_is_refused_with_its_reason(raw: str, reason: str) -> None:
    for fmt in ("national", "e164"):
        with pytest.raises(InvalidPhone) as caught:
            normalize(raw, fmt)  # type: ignore[arg-type]
        assert caught.value.reason == reason
        assert caught.value.raw == raw


def test_a_foreign_number_has_no_vietnamese_national_form() -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize("+1 650 253 0000")
    assert caught.value.reason == FOREIGN


def test_the_refusal_reads_with_the_value_and_the_reason() -> None:
    with pytest.raises(InvalidPhone, match="'0912': too_short"):
        normalize("0912")


def test_a_refusal_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        normalize("abc")


def test_a_providers_echo_in_plus_84_matches_the_row_we_sent() -> None:
    assert match_key("+84912345678") == match_key("0912345678") == "+84912345678"
    assert same_number("0912.345.678", "+84 912 345 678")


def test_different_or_unusable_numbers_do_not_match() -> None:
    assert not same_number("0912345678", "0912345679")
    assert not same_number("abc", "abc")
    assert match_key("abc") is None
