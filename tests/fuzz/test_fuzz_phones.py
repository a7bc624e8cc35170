"""Phone normalization under arbitrary input: idempotent, never looser than ``phonenumbers``,
and the fast path (bot.phonefast) always gives what ``bot.phones.normalize`` gives."""

from __future__ import annotations

import phonenumbers
from hypothesis import example, given
from hypothesis import strategies as st

from bot.phonefast import fast_normalize
from bot.phones import InvalidPhone, PhoneFormat, normalize

FORMATS = st.sampled_from(["national", "e164"])

# Shapes near real numbers: a prefix, 7–12 digits, separators sprinkled in.
_NEAR_PHONE = st.builds(
    lambda prefix, digits, seps: (
        prefix + "".join(d + s for d, s in zip(digits, seps + [""] * len(digits), strict=False))
    ),
    st.sampled_from(["", "0", "+84", "84", "+", "0084", "+1", "00", "+840"]),
    st.text(alphabet="0123456789", min_size=7, max_size=12),
    st.lists(st.sampled_from(["", "", "", " ", ".", "-", "(", ")", "/"]), max_size=12),
)
PHONES = st.one_of(_NEAR_PHONE, st.text(max_size=30))


def _outcome(fn: object, raw: str, fmt: PhoneFormat) -> str | tuple[str, str]:
    try:
        return fn(raw, fmt)  # type: ignore[operator,no-any-return]
    except InvalidPhone as exc:
        return ("refused", exc.reason)


@given(PHONES, FORMATS)
@example("0912345678", "national")
@example("+84 912 345 678", "e164")
@example("84912345678", "national")
def test_normalizing_is_idempotent(raw: str, fmt: PhoneFormat) -> None:
    try:
        once = normalize(raw, fmt)
    except InvalidPhone:
        return
    assert normalize(once, fmt) == once


@given(PHONES, FORMATS)
def test_nothing_phonenumbers_rejects_is_accepted(raw: str, fmt: PhoneFormat) -> None:
    try:
        phone = normalize(raw, fmt)
    except InvalidPhone:
        return
    number = phonenumbers.parse(raw.strip(), "VN")
    assert phonenumbers.is_valid_number(number)
    assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == (
        normalize(phone, "e164")
    )


@given(PHONES, FORMATS)
@example("0912.345.678", "national")
@example("84 84 123 4567", "e164")
@example("0 84912345678", "national")
def test_the_fast_path_agrees_with_normalize(raw: str, fmt: PhoneFormat) -> None:
    assert _outcome(fast_normalize, raw, fmt) == _outcome(normalize, raw, fmt)
