"""AICallCenter: tokens from the secret key, imports, exports and the call log."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from bot.sandbox import Sandbox
from bot.sandbox.clock import VN_TZ

API = "/aicallcenter/api"
CALL_KEYS = {
    "call_id",
    "caller_id",
    "callee_id",
    "called_at",
    "duration",
    "key_press",
    "note",
    "state",
}


def local_ms(stamp: str) -> int:
    return int(
        datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=VN_TZ).timestamp() * 1000
    )


async def import_(client: httpx.AsyncClient, campaign: str, token: str, contacts: Any) -> Any:
    r = await client.post(
        f"{API}/campaigns/{campaign}/import", json={"access_token": token, "contacts": contacts}
    )
    assert r.status_code == 200
    return r.json()


async def test_wrong_secret_key_is_code_401(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{API}/users/generate-access-token", params={"secret_key": "nope"})
    assert r.json() == {"status": 0, "code": "401", "message": "secret_key không chính xác"}


async def test_import_accepts_valid_rows_and_drops_repeats_in_one_request(
    client: httpx.AsyncClient, aicc_token: str, sandbox: Sandbox
) -> None:
    contacts = [
        {"phone_number": "0901234567", "ho_ten": "Nguyễn Văn A", "danh_xung": "anh"},
        {"phone_number": "090 123 4567", "ho_ten": "lặp lại"},
        {"phone_number": "999"},
        {"ho_ten": "không có số"},
        {"phone_number": "0911222333"},
    ]
    body = await import_(client, "cmp-hn-01", aicc_token, contacts)
    assert body["status"] == 1
    assert body["message"] == "Ghi nhận thành công 2 trên 5 bản ghi"
    assert [r["phone_number"] for r in body["results"]] == ["0901234567", "0911222333"]
    ids = [r["call_id"] for r in body["results"]]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 2
    assert [c["call_id"] for c in sandbox.aicallcenter.calls[-2:]] == ids


async def test_the_same_phone_in_two_requests_is_imported_twice(
    client: httpx.AsyncClient, aicc_token: str, sandbox: Sandbox
) -> None:
    first = await import_(client, "cmp-hn-01", aicc_token, [{"phone_number": "0901234567"}])
    second = await import_(client, "cmp-hn-01", aicc_token, [{"phone_number": "0901234567"}])
    assert first["results"][0]["call_id"] != second["results"][0]["call_id"]
    assert len(sandbox.aicallcenter.imports["cmp-hn-01"]) == 2


async def test_otp_campaign_needs_a_six_digit_code(
    client: httpx.AsyncClient, aicc_token: str
) -> None:
    contacts = [
        {"phone_number": "0901000001", "otp_code": "123456"},
        {"phone_number": "0901000002"},
        {"phone_number": "0901000003", "otp_code": "000000"},
        {"phone_number": "0901000004", "otp_code": "12345"},
        {"phone_number": "0901000005", "otp_code": 123456},
        {"phone_number": "0901000006", "otp_code": "999999"},
    ]
    body = await import_(client, "cmp-otp-02", aicc_token, contacts)
    assert body["message"] == "Ghi nhận thành công 2 trên 6 bản ghi"
    assert [r["phone_number"] for r in body["results"]] == ["0901000001", "0901000006"]


@pytest.mark.parametrize(
    ("campaign", "contacts", "code"),
    [
        ("cmp-ks-03", [{"phone_number": "0901234567"}], "03"),
        ("cmp-other-04", [{"phone_number": "0901234567"}], "01"),
        ("7777", [{"phone_number": "0901234567"}], "01"),
        ("abc", [{"phone_number": "0901234567"}], "01"),
        ("cmp-hn-01", "0901234567", "400"),
        ("cmp-hn-01", [], "400"),
        ("cmp-hn-01", [{"phone_number": "0901234567"}] * 1001, "400"),
    ],
)
async def test_import_refusals_carry_string_codes(
    client: httpx.AsyncClient, aicc_token: str, campaign: str, contacts: Any, code: str
) -> None:
    body = await import_(client, campaign, aicc_token, contacts)
    assert body["status"] == 0 and body["code"] == code and body["message"]


async def test_token_is_never_read_from_a_header(
    client: httpx.AsyncClient, aicc_token: str
) -> None:
    headers = {"Authorization": f"Bearer {aicc_token}", "access_token": aicc_token}
    r = await client.post(
        f"{API}/campaigns/cmp-hn-01/import",
        json={"contacts": [{"phone_number": "0901234567"}]},
        headers=headers,
    )
    assert r.json()["code"] == "401"
    r = await client.get(f"{API}/users/call-log", headers=headers)
    assert r.status_code == 200 and r.json()["code"] == "401"


async def test_rotating_the_secret_invalidates_earlier_tokens(
    client: httpx.AsyncClient, aicc_token: str, sandbox: Sandbox
) -> None:
    old_secret = sandbox.aicallcenter.secret_key
    new_secret = sandbox.aicallcenter.rotate_secret()
    assert new_secret != old_secret
    stale = await client.get(f"{API}/users/call-log", params={"access_token": aicc_token})
    assert stale.json()["status"] == 0 and stale.json()["code"] == "401"
    refused = await client.get(
        f"{API}/users/generate-access-token", params={"secret_key": old_secret}
    )
    assert refused.json()["code"] == "401"
    fresh = await client.get(
        f"{API}/users/generate-access-token", params={"secret_key": new_secret}
    )
    token = fresh.json()["results"]["access_token"]
    assert (await client.get(f"{API}/users/call-log", params={"access_token": token})).json()[
        "status"
    ] == 1


async def test_token_expires_after_its_lifetime(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    ttl = 60
    sandbox.aicallcenter.token_ttl_seconds = ttl
    r = await client.get(
        f"{API}/users/generate-access-token", params={"secret_key": sandbox.aicallcenter.secret_key}
    )
    token = r.json()["results"]["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == ttl
    ok = await client.get(f"{API}/users/call-log", params={"access_token": token})
    sandbox.clock.advance(ttl + 1)
    expired = await client.get(f"{API}/users/call-log", params={"access_token": token})
    assert (ok.json()["status"], expired.json()["code"]) == (1, "401")


async def test_garbage_token_is_code_401(client: httpx.AsyncClient) -> None:
    r = await client.get(
        f"{API}/campaigns/cmp-hn-01/export", params={"access_token": "eyJ.garbage.x"}
    )
    assert r.json() == {
        "status": 0,
        "code": "401",
        "message": "access token không chính xác. bạn không có quyền truy cập",
    }


async def test_export_pages_a_campaigns_calls_in_time_order(
    client: httpx.AsyncClient, aicc_token: str, sandbox: Sandbox
) -> None:
    mine = [c for c in sandbox.aicallcenter.calls if c["campaign_id"] == "cmp-hn-01"]
    first = (
        await client.get(f"{API}/campaigns/cmp-hn-01/export", params={"access_token": aicc_token})
    ).json()
    assert first["status"] == 1
    assert (first["results"]["limit"], first["results"]["total"]) == (10, len(mine))
    assert first["results"]["calls"] == mine[:10]
    page = await client.get(
        f"{API}/campaigns/cmp-hn-01/export",
        params={"access_token": aicc_token, "limit": 5, "offset": 10},
    )
    assert page.json()["results"]["calls"] == mine[10:15]
    stamps = [c["called_at"] for c in mine]
    assert stamps == sorted(stamps)
    assert CALL_KEYS | {"campaign_id"} == set(mine[0])


async def test_limit_is_clamped_to_500(client: httpx.AsyncClient, aicc_token: str) -> None:
    r = await client.get(
        f"{API}/users/call-log", params={"access_token": aicc_token, "limit": 10_000}
    )
    results = r.json()["results"]
    assert results["limit"] == 500 and len(results["calls"]) == 500


async def test_time_window_counts_what_the_records_say(
    client: httpx.AsyncClient, aicc_token: str, sandbox: Sandbox
) -> None:
    yesterday = (sandbox.clock.local_now() - timedelta(days=1)).date()
    start = datetime(yesterday.year, yesterday.month, yesterday.day, tzinfo=VN_TZ)
    start_ms = int(start.timestamp() * 1000)
    end_ms = start_ms + 86_400_000 - 1
    expected = [
        c for c in sandbox.aicallcenter.calls if start_ms <= local_ms(c["called_at"]) <= end_ms
    ]
    params = {"access_token": aicc_token, "start_time": start_ms, "end_time": end_ms, "limit": 500}
    got: list[dict[str, Any]] = []
    while True:
        r = await client.get(f"{API}/users/call-log", params={**params, "offset": len(got)})
        results = r.json()["results"]
        got += results["calls"]
        if len(got) >= results["total"]:
            break
    assert results["total"] == len(expected) > 0
    assert got == expected
    assert all(c["called_at"].startswith(yesterday.isoformat()) for c in got)


@pytest.mark.parametrize(
    ("path", "code"), [("campaigns/cmp-other-04/export", "01"), ("campaigns/1/export", "01")]
)
async def test_export_of_a_foreign_campaign_is_code_01(
    client: httpx.AsyncClient, aicc_token: str, path: str, code: str
) -> None:
    r = await client.get(f"{API}/{path}", params={"access_token": aicc_token})
    assert r.json()["status"] == 0 and r.json()["code"] == code


async def test_non_numeric_window_is_code_400(client: httpx.AsyncClient, aicc_token: str) -> None:
    r = await client.get(
        f"{API}/users/call-log", params={"access_token": aicc_token, "start_time": "yesterday"}
    )
    assert r.json()["code"] == "400"


async def test_generated_calls_look_like_a_call_center(sandbox: Sandbox) -> None:
    calls = sandbox.aicallcenter.calls
    assert len(calls) == 2000
    answered = [c for c in calls if c["state"] == 40]
    failed = [c for c in calls if c["state"] == 50]
    assert len(answered) + len(failed) == len(calls)
    assert 0.55 <= len(answered) / len(calls) <= 0.75
    assert all(10 <= c["duration"] <= 300 and c["note"] == "NORMAL CLEARING" for c in answered)
    assert all(c["duration"] == 0 and c["key_press"] == "" for c in failed)
    assert {c["note"] for c in failed} == {"USER BUSY", "NO ANSWER", "CALL REJECTED"}
    presses = [c["key_press"] for c in answered if c["key_press"]]
    assert presses and all(p[0].isdigit() and p[1:3] == " (" and p.endswith(")") for p in presses)
    hours = Counter(int(c["called_at"][11:13]) for c in calls)
    assert sum(hours[h] for h in range(8, 21)) / len(calls) > 0.8
    now_ms = sandbox.clock.now_ms()
    times = [local_ms(c["called_at"]) for c in calls]
    assert times == sorted(times) and now_ms - 14 * 86_400_000 <= times[0] and times[-1] <= now_ms
    assert {c["campaign_id"] for c in calls} == {"cmp-hn-01", "cmp-otp-02", "cmp-ks-03"}
