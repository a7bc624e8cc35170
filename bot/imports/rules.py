"""What a file itself shows wrong for its provider, found in the preview before anything is sent.

Only a rule a seed line (or PROVIDERS.md) states is checked here, with that line beside it;
anything else is the provider's to judge. A row a rule refuses is counted invalid in the
preview, stored as rejected with its reason, and never sent.

Looked for and deliberately not checked:

- Vbee: the seed lists ``ho_ten`` as not required (vbee-aicall-campaign.txt: "ho_ten / String /
  Không") and personalization tags as present "(nếu có)" — depending on the campaign's script,
  which the API does not show. No personalization field is required, so none is checked.
- AICallCenter: ``otp_code`` is required only "nếu chiến dịch thuộc loại voice OTP"; whether the
  campaign is one cannot be read from the file, so an empty ``otp_code`` cell is sent.
- Alohub: only ``phoneNumber`` is required ("Số điện thoại — bắt buộc"), which the parser checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

# Reason codes of a field a rule refuses (catalog key ``import.reason.<code>``).
INVALID_OTP = "invalid_otp"
# Not a seed's rule but callops' own limit on a name (``bot.hygiene.NAME_MAX``).
NAME_TOO_LONG = "name_too_long"
FIELD_REASONS = frozenset({INVALID_OTP, NAME_TOO_LONG})

OTP_FIELD = "otp_code"

# A row's fields → (reason code, the value at fault), or None when the row may be sent.
FieldCheck = Callable[[Mapping[str, str]], tuple[str, str] | None]


def aicallcenter_fields(fields: Mapping[str, str]) -> tuple[str, str] | None:
    """An ``otp_code`` that is given must be six digits from 000001 to 999999."""
    # aicallcenter-api.txt: "Trường otp_code bắt buộc nếu chiến dịch thuộc loại voice OTP.
    # Giới hạn từ ‘000001’ đến ‘999999’" — PROVIDERS.md §3: "000001".."999999".
    otp = fields.get(OTP_FIELD, "")
    if otp and not (len(otp) == 6 and otp.isascii() and otp.isdigit() and otp != "000000"):
        return INVALID_OTP, otp
    return None


CHECKS: dict[str, FieldCheck] = {"aicallcenter": aicallcenter_fields}


def field_check(provider: str) -> FieldCheck | None:
    """The checks a file bound for ``provider`` gets before it is sent (None: none)."""
    return CHECKS.get(provider)


def problem_key(reason: str) -> str:
    """The catalog key of a row problem: a field rule's reason or a ``bot.phones`` one."""
    return f"import.reason.{reason}" if reason in FIELD_REASONS else f"phone.{reason}"
