"""Job rendering: headlines by outcome, local times in both languages."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bot.messages import Messages
from bot.render.imports import final_summary
from bot.render.jobs import job_card, local_time, main_reasons

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def job(state: str, **extra: object) -> SimpleNamespace:
    values = {
        "id": 7,
        "ref": "J7",
        "state": state,
        "connection": "aicc",
        "campaign": "2002",
        "total": 4,
        "creator": "U0OPS1",
        "source": "otp.csv",
        "list_name": None,
        "reason": None,
        "created_at": datetime(2026, 12, 5, 17, 30, tzinfo=UTC),  # 00:30 on the 6th in HCM
        "finished_at": datetime(2026, 12, 5, 17, 42, tzinfo=UTC),
        **extra,
    }
    return SimpleNamespace(**values)


REASONS = [("import.reason.invalid_otp", 3), ("phone.too_short", 1)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "06 Dec 2026, 00:30"), ("vi", "00:30 06/12/2026")],
)
def test_times_are_in_the_configured_timezone_in_each_languages_format(language, expected):
    msg = Messages(language)
    moment = datetime(2026, 12, 5, 17, 30, tzinfo=UTC)
    assert local_time(msg, moment, HCM) == expected
    later = datetime(2026, 12, 5, 18, 5, tzinfo=UTC)
    assert local_time(msg, later, HCM, since=moment) == "01:05"  # same local day: the time


def test_main_reasons_name_the_commonest_first_with_counts():
    assert main_reasons(Messages("en"), REASONS) == (
        "otp_code must be 6 digits, from 000001 to 999999 × 3; "
        "too few digits for a phone number × 1"
    )


@pytest.mark.parametrize(
    ("state", "counts", "start"),
    [
        ("done", {"accepted": 4}, "*J7 finished*"),
        ("done", {"accepted": 3, "rejected": 1}, "*J7: ⚠️ done with rejections*: ✅ 3 added, ❌ 1"),
        ("failed", {"rejected": 4}, "*J7: ❌ failed* — not one row was added"),
        # Stopped by an error with rows left: the usual failure, which offers the retry.
        ("failed", {"rejected": 2, "pending": 2}, "*J7 stopped*"),
    ],
)
def test_the_headline_follows_what_the_provider_accepted(state, counts, start):
    assert final_summary(Messages("en"), job(state), counts, REASONS).startswith(start)


def test_a_job_with_nothing_to_retry_offers_no_retry():
    msg = Messages("en")
    nothing_left = str(job_card(msg, job("failed"), {"rejected": 4}, reasons=REASONS, tz=HCM))
    assert "/job retry" not in nothing_left and "× 3" in nothing_left
    assert "Started 06 Dec 2026, 00:30 by <@U0OPS1> · ended 00:42 · file *otp.csv*" in nothing_left
    rows_left = str(job_card(msg, job("failed"), {"rejected": 2, "pending": 2}, tz=HCM))
    assert "/job retry J7" in rows_left
