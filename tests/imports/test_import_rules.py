"""Field rules of the preview: AICallCenter's otp_code range, nothing unbacked by a seed."""

from __future__ import annotations

import pytest

from bot.imports import Contact, Duplicate, RowProblem, parse_text, summarize
from bot.imports.rules import INVALID_OTP, aicallcenter_fields, field_check, problem_key
from bot.jobs.intake import job_rows


@pytest.mark.parametrize(
    ("otp", "refused"),
    [
        ("000001", False),
        ("123456", False),
        ("999999", False),
        ("", False),  # no OTP: required only on voice-OTP campaigns, which the file cannot show
        ("000000", True),
        ("12345", True),  # Excel dropped a leading zero, or a digit is missing
        ("1234567", True),
        ("12a456", True),
        ("١٢٣٤٥٦", True),  # Arabic-Indic digits are digits to Python, not to the provider
    ],
)
def test_aicallcenter_otp_code_must_be_000001_to_999999(otp: str, refused: bool):
    problem = aicallcenter_fields({"otp_code": otp, "ho_ten": ""})
    assert problem == ((INVALID_OTP, otp) if refused else None)


def test_only_providers_with_a_seed_backed_rule_get_a_check():
    assert field_check("aicallcenter") is aicallcenter_fields
    assert field_check("vbee") is None  # ho_ten and the other tags are not required
    assert field_check("alohub") is None
    assert field_check("omicall") is None


def test_a_refused_row_does_not_hide_a_later_good_row_with_the_same_phone():
    text = "phone,name,otp_code\n0912345678,A,12\n0912345678,A,123456\n0912345679,B,12\n"
    rows = list(parse_text(text).contacts("national", aicallcenter_fields))
    assert rows == [
        RowProblem(2, "0912345678", INVALID_OTP, "A", "12"),
        Contact(3, "0912345678", "A", {"otp_code": "123456"}),
        RowProblem(4, "0912345679", INVALID_OTP, "B", "12"),
    ]
    assert not any(isinstance(r, Duplicate) for r in rows)
    summary = summarize(parse_text(text), "national", aicallcenter_fields)
    assert (summary.valid, summary.invalid) == (1, 2)
    assert summarize(parse_text(text)).valid == 2  # without the rule: both phones valid


def test_rows_refused_by_a_rule_are_stored_rejected_with_the_rules_reason():
    text = "phone,otp_code\n0912345678,12\n0912345679,123456\n"
    stored = list(job_rows(parse_text(text), "national", aicallcenter_fields))
    assert [(r["phone"], r["state"], r["reason"]) for r in stored] == [
        ("0912345678", "rejected", "import.reason.invalid_otp"),
        ("0912345679", "pending", None),
    ]
    assert problem_key("too_short") == "phone.too_short"
