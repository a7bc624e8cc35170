"""Vietnamese phone numbers as the simulated providers see them (independent of bot.phones)."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

# Mobile prefixes of the Vietnamese carriers (Viettel, Vinaphone, Mobifone, Vietnamobile,
# Gmobile, iTel/Reddi). Numbers built from them are valid for ``phonenumbers``; a test
# checks that, and the fast path below saves the slow parse for the common case.
MOBILE_PREFIXES = [
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "056",
    "058",
    "059",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "088",
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
]

_FAST = re.compile(r"0(?:" + "|".join(p[1:] for p in MOBILE_PREFIXES) + r")\d{7}")
_SEPARATORS = re.compile(r"[\s.\-()]")


def national(raw: object) -> str | None:
    """``raw`` as ``0xxxxxxxxx`` when it is a valid Vietnamese number, else ``None``."""
    if not isinstance(raw, str):
        return None
    return _national(raw)


def e164(raw: object) -> str | None:
    """``raw`` as ``+84xxxxxxxxx`` when it is a valid Vietnamese number, else ``None``."""
    number = national(raw)
    return None if number is None else "+84" + number[1:]


@lru_cache(maxsize=65536)
def _national(raw: str) -> str | None:
    compact = _SEPARATORS.sub("", raw)
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("84") and len(compact) == 11:
        compact = "0" + compact[2:]
    if _FAST.fullmatch(compact):
        return compact
    try:
        parsed = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 84 or not phonenumbers.is_valid_number(parsed):
        return None
    return "0" + str(parsed.national_number)
