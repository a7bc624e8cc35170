"""Phone numbers: one normalization for the whole bot, built on ``phonenumbers`` (region VN).

``+84 912 345 678``, ``84912345678``, ``0912.345.678`` and ``091-234-5678`` all become
``0912345678`` (national form) or ``+84912345678`` (E.164, per connection). Anything that is
not a valid Vietnamese number is refused with a reason code the message catalog explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

PhoneFormat = Literal["national", "e164"]

REGION = "VN"

# Reason codes; the catalog has a sentence for each (key ``phone.<reason>``).
EMPTY = "empty"
NOT_A_NUMBER = "not_a_number"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
INVALID = "invalid"
FOREIGN = "foreign"


@dataclass(frozen=True, slots=True)
class InvalidPhone(ValueError):
    """A value that is not a usable phone number, with the reason code.

    Outside ``bot.errors`` on purpose: a per-value verdict that the import parser counts
    per row and the commands turn into a ``UserInputError``; a ``ValueError`` so pydantic
    validators may raise it too.
    """

    raw: str
    reason: str

    def __str__(self) -> str:
        return f"{self.raw!r}: {self.reason}"


_PARSE_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: INVALID,
    NumberParseException.NOT_A_NUMBER: NOT_A_NUMBER,
    NumberParseException.TOO_SHORT_AFTER_IDD: TOO_SHORT,
    NumberParseException.TOO_SHORT_NSN: TOO_SHORT,
    NumberParseException.TOO_LONG: TOO_LONG,
}


def normalize(raw: str, fmt: PhoneFormat = "national") -> str:
    """Return ``raw`` as ``0xxxxxxxxx`` (or E.164); raise ``InvalidPhone`` with a reason."""
    text = raw.strip()
    if not text:
        raise InvalidPhone(raw, EMPTY)
    try:
        number = phonenumbers.parse(text, REGION)
    except NumberParseException as exc:
        raise InvalidPhone(raw, _PARSE_REASONS.get(exc.error_type, INVALID)) from None
    if not phonenumbers.is_valid_number(number):
        match phonenumbers.is_possible_number_with_reason(number):
            case phonenumbers.ValidationResult.TOO_SHORT:
                raise InvalidPhone(raw, TOO_SHORT)
            case phonenumbers.ValidationResult.TOO_LONG:
                raise InvalidPhone(raw, TOO_LONG)
        raise InvalidPhone(raw, INVALID)
    if fmt == "e164":
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if phonenumbers.region_code_for_number(number) != REGION:
        raise InvalidPhone(raw, FOREIGN)
    return "0" + phonenumbers.national_significant_number(number)


def same_number(a: str, b: str) -> bool:
    """True when two raw phone strings denote the same valid number."""
    try:
        return normalize(a, "e164") == normalize(b, "e164")
    except InvalidPhone:
        return False
