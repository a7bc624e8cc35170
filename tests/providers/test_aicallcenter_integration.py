"""AICallCenter client over real HTTP against the sandbox simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import AICallCenterConnection, Config
from bot.errors import AuthError, InvalidStateError, NotFoundError
from bot.providers.aicallcenter import (
    DUPLICATE_IN_REQUEST,
    INVALID_OTP,
    INVALID_PHONE,
    REJECTED,
    AICallCenterClient,
    ContactInput,
)

DAY_MS = 86_400_000


@pytest.fixture
async def client(sandbox_config: Config) -> AsyncIterator[AICallCenterClient]:
    connection = sandbox_config.connections["aicc"]
    assert isinstance(connection, AICallCenterConnection)
    async with AICallCenterClient(connection) as aicc:
        yield aicc


def whole_period(sandbox: Any) -> tuple[int, int]:
    """Bounds (epoch ms) around every seeded call."""
    now = sandbox.clock.now_ms()
    return now - 31 * DAY_MS, now + DAY_MS


def paths(sandbox: Any) -> list[str]:
    return [r.path for r in sandbox.requests("aicallcenter")]


async def test_check_makes_one_token_and_later_calls_reuse_it(
    sandbox: Any, client: AICallCenterClient
) -> None:
    await client.check()
    start, end = whole_period(sandbox)
    await client.call_log_page(start, end)
    await client.export_page("cmp-hn-01", start, end)
    assert paths(sandbox) == [
        "/api/users/generate-access-token",
        "/api/users/call-log",
        "/api/campaigns/cmp-hn-01/export",
    ]


async def test_import_reports_every_row(sandbox: Any, client: AICallCenterClient) -> None:
    outcome = await client.import_contacts(
        "cmp-hn-01",
        [
            ContactInput("+84987654321", {"ho_ten": "Nguyễn Văn A", "danh_xung": "anh"}),
            ContactInput("0987 654 321", {"ho_ten": "again"}),
            ContactInput("+16502530000"),
            ContactInput("not a phone"),
            ContactInput("0912345678", {"ho_ten": "Trần Thị B"}),
        ],
    )
    assert [r.reason for r in outcome.rows] == [
        None,
        DUPLICATE_IN_REQUEST,
        REJECTED,
        INVALID_PHONE,
        None,
    ]
    imported = sandbox.aicallcenter.imports["cmp-hn-01"]
    assert [r.call_id for r in outcome.rows if r.accepted] == [i["call_id"] for i in imported]
    assert [i["phone_number"] for i in imported] == ["0987654321", "0912345678"]
    assert (outcome.accepted_count, outcome.received_count) == (2, 3)
    assert outcome.message == "Ghi nhận thành công 2 trên 3 bản ghi"
    import_request = sandbox.requests("aicallcenter")[-1]
    assert "access_token" in import_request.json and "access_token" not in import_request.query


async def test_otp_campaign_takes_only_rows_with_a_valid_code(
    sandbox: Any, client: AICallCenterClient
) -> None:
    outcome = await client.import_contacts(
        "cmp-otp-02",
        [
            ContactInput("0987654321", {"otp_code": "048213"}),
            ContactInput("0912345678"),  # no code: the provider skips it
            ContactInput("0933333333", {"otp_code": "12ab56"}),  # not sent
        ],
    )
    assert [r.reason for r in outcome.rows] == [None, REJECTED, INVALID_OTP]
    [imported] = sandbox.aicallcenter.imports["cmp-otp-02"]
    assert imported["contact"]["otp_code"] == "048213"
    assert (outcome.accepted_count, outcome.received_count) == (1, 2)


async def test_stopped_campaign_is_invalid_state_03(client: AICallCenterClient) -> None:
    with pytest.raises(InvalidStateError) as caught:
        await client.import_contact("cmp-ks-03", "0987654321")
    error = caught.value
    assert (error.provider, error.connection, error.status, error.code) == (
        "aicallcenter",
        "aicc",
        200,
        "03",
    )
    assert "stopped" in error.message and not error.retryable


@pytest.mark.parametrize("campaign", ["cmp-other-04", "cmp-none"])
async def test_campaign_not_ours_or_missing_is_not_found_01(
    sandbox: Any, client: AICallCenterClient, campaign: int
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.import_contact(campaign, "0987654321")
    assert (caught.value.code, caught.value.message) == ("01", "campaign_id không hợp lệ")
    start, end = whole_period(sandbox)
    with pytest.raises(NotFoundError):
        await client.export_page(campaign, start, end)


async def test_export_pages_through_a_whole_period(
    sandbox: Any, client: AICallCenterClient
) -> None:
    start, end = whole_period(sandbox)
    expected = [c["call_id"] for c in sandbox.aicallcenter.calls if c["campaign_id"] == "cmp-hn-01"]
    pages = [p async for p in client.iter_call_pages("cmp-hn-01", start, end)]

    assert {p.total for p in pages} == {len(expected)}
    assert [p.offset for p in pages] == list(range(0, len(expected), 500))
    calls = [c for p in pages for c in p.calls]
    assert [c.call_id for c in calls] == expected
    assert calls[0].model_extra == {"campaign_id": "cmp-hn-01"}
    assert all(len(c.called_at) == 19 and c.state in (40, 50) for c in calls)
    exports = [r for r in sandbox.requests("aicallcenter") if r.path.endswith("/export")]
    assert {(r.query["limit"], r.query["start_time"], r.query["end_time"]) for r in exports} == {
        ("500", str(start), str(end))
    }


async def test_call_log_yields_every_call_of_the_account(
    sandbox: Any, client: AICallCenterClient
) -> None:
    start, end = whole_period(sandbox)
    calls = [c async for c in client.call_log(start, end)]
    assert [c.call_id for c in calls] == [c["call_id"] for c in sandbox.aicallcenter.calls]
    assert {c.model_extra["campaign_id"] for c in calls if c.model_extra} == {
        "cmp-hn-01",
        "cmp-otp-02",
        "cmp-ks-03",
    }


async def test_token_expired_at_the_provider_is_renewed_once(
    sandbox: Any, client: AICallCenterClient
) -> None:
    start, end = whole_period(sandbox)
    await client.check()
    sandbox.clock.advance(61 * 86400)  # the provider's clock passes the token's exp
    page = await client.call_log_page(start, end, limit=10)
    assert len(page.calls) == 10
    assert paths(sandbox)[1:] == [
        "/api/users/call-log",
        "/api/users/generate-access-token",
        "/api/users/call-log",
    ]


async def test_secret_rotated_mid_export_gives_one_clear_auth_error(
    sandbox: Any, client: AICallCenterClient
) -> None:
    start, end = whole_period(sandbox)
    pages = client.iter_call_pages(None, start, end)
    first = await anext(pages)
    assert first.calls
    old_secret = sandbox.aicallcenter.secret_key
    new_secret = sandbox.aicallcenter.rotate_secret()
    before = len(sandbox.requests("aicallcenter"))

    with pytest.raises(AuthError) as caught:
        await anext(pages)

    assert len(sandbox.requests("aicallcenter")) - before == 2  # refused page, refused token
    error = caught.value
    assert (error.provider, error.connection, error.code) == ("aicallcenter", "aicc", "401")
    assert "secret_key rejected" in error.message
    text = f"{error!s} {error!r}"
    assert old_secret not in text and new_secret not in text and "eyJ" not in text
