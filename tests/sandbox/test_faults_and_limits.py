"""Rate limits (sliding window, Retry-After) and injected faults, for every provider."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from bot.sandbox import Sandbox, SandboxOptions

ALOHUB_LISTS = "/alohub/v1/campaigns/101/contact-lists"


@pytest.fixture(autouse=True)
def frozen(sandbox: Sandbox) -> None:
    """Windows move only when a test advances the clock."""
    sandbox.clock.freeze()


async def test_alohub_over_the_limit_is_429_with_retry_after_and_headers(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    sandbox.set_rate_limit("alohub", 3, 10.0)
    answers = [await client.get(ALOHUB_LISTS, headers=alohub_headers) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert [r.headers["X-RateLimit-Remaining-Tenant"] for r in answers] == ["2", "1", "0"]
    assert {r.headers["X-RateLimit-Limit-Route"] for r in answers} == {"3"}
    assert all("Retry-After" not in r.headers for r in answers)

    refused = await client.get(ALOHUB_LISTS, headers=alohub_headers)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "10"
    assert refused.json()["error_code"] == "RATE_LIMIT_EXCEEDED"
    assert refused.headers["X-RateLimit-Remaining-Route"] == "0"

    sandbox.clock.advance(7.5)
    assert (await client.get(ALOHUB_LISTS, headers=alohub_headers)).headers["Retry-After"] == "3"
    sandbox.clock.advance(2.5)
    assert (await client.get(ALOHUB_LISTS, headers=alohub_headers)).status_code == 200


async def test_refused_requests_are_neither_counted_nor_executed(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    sandbox.set_rate_limit("alohub", 1, 5.0)
    await client.get(ALOHUB_LISTS, headers=alohub_headers)
    before = len(sandbox.alohub.contacts(101))
    for _ in range(5):
        r = await client.post(
            "/alohub/v1/campaigns/101/contacts",
            json={"phoneNumber": "0912000999"},
            headers=alohub_headers,
        )
        assert r.status_code == 429
    assert len(sandbox.alohub.contacts(101)) == before
    sandbox.clock.advance(5.0)
    assert (await client.get(ALOHUB_LISTS, headers=alohub_headers)).status_code == 200
    assert len(sandbox.requests("alohub")) == 7
    assert [r.status for r in sandbox.requests("alohub")] == [200] + [429] * 5 + [200]


async def test_removing_the_limit_lets_everything_through(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    sandbox.set_rate_limit("alohub", 1, 60.0)
    await client.get(ALOHUB_LISTS, headers=alohub_headers)
    sandbox.set_rate_limit("alohub", None)
    r = await client.get(ALOHUB_LISTS, headers=alohub_headers)
    assert r.status_code == 200 and "X-RateLimit-Limit-Tenant" not in r.headers


async def test_other_providers_answer_429_in_their_own_envelope(
    client: httpx.AsyncClient,
    sandbox: Sandbox,
    vbee_headers: dict[str, str],
    aicc_token: str,
    omicall_headers: dict[str, str],
) -> None:
    calls: dict[str, tuple[str, str, dict[str, Any]]] = {
        "vbee": ("POST", "/vbee/api/v1/public-api/campaign", {"headers": vbee_headers, "json": {}}),
        "aicallcenter": (
            "GET",
            "/aicallcenter/api/users/call-log",
            {"params": {"access_token": aicc_token}},
        ),
        "omicall": ("GET", "/omicall/api/source_contact_layout/get", {"headers": omicall_headers}),
    }
    for provider, (method, path, kwargs) in calls.items():
        sandbox.set_rate_limit(provider, 1, 2.5)
        await client.request(method, path, **kwargs)
        refused = await client.request(method, path, **kwargs)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "3", provider
        assert "X-RateLimit-Limit-Tenant" not in refused.headers
    assert (await client.request(*calls["vbee"][:2], **calls["vbee"][2])).json()["code"] == 429
    aicc = await client.request(*calls["aicallcenter"][:2], **calls["aicallcenter"][2])
    assert aicc.json() == {"status": 0, "code": "429", "message": aicc.json()["message"]}
    omi = await client.request(*calls["omicall"][:2], **calls["omicall"][2])
    assert omi.json()["status_code"] == 429


async def test_rate_limits_from_options_apply_from_the_start() -> None:
    options = SandboxOptions(call_records=10, rate_limits={"omicall": (1, 30.0)})
    async with (
        Sandbox(options=options) as sb,
        httpx.AsyncClient(base_url=sb.url, verify=False) as http,
    ):
        headers = {"Authorization": f"Bearer {sb.omicall.access_token}"}
        statuses = [
            (await http.get("/omicall/api/source_contact_layout/get", headers=headers)).status_code
            for _ in range(2)
        ]
    assert statuses == [200, 429]


async def test_system_errors_use_each_providers_shape_and_do_nothing(
    client: httpx.AsyncClient,
    sandbox: Sandbox,
    alohub_headers: dict[str, str],
    vbee_headers: dict[str, str],
    omicall_headers: dict[str, str],
) -> None:
    for provider in sandbox.providers:
        sandbox.faults(provider).error_ratio = 1.0
    before = len(sandbox.alohub.contacts(101))
    alohub = await client.post(
        "/alohub/v1/campaigns/101/contacts",
        json={"phoneNumber": "0912000888"},
        headers=alohub_headers,
    )
    assert (alohub.status_code, alohub.json()["error_code"], alohub.json()["success"]) == (
        500,
        "FAIL",
        "0",
    )
    assert len(sandbox.alohub.contacts(101)) == before
    body = {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "0912000888"}]}
    vbee = await client.post("/vbee/api/v1/public-api/campaign", json=body, headers=vbee_headers)
    assert (vbee.status_code, vbee.json()["status"], vbee.json()["code"]) == (500, 0, 500)
    assert sandbox.vbee.contacts["vbee-cmp-1"] == []
    aicc = await client.get(
        "/aicallcenter/api/users/generate-access-token", params={"secret_key": "x"}
    )
    assert (aicc.status_code, aicc.json()["code"]) == (500, "500")
    omi = await client.get("/omicall/api/source_contact_layout/get", headers=omicall_headers)
    assert (omi.status_code, omi.json()["status_code"]) == (500, 500)


async def test_error_ratio_is_deterministic_for_a_seed() -> None:
    async def statuses() -> list[int]:
        async with Sandbox(options=SandboxOptions(call_records=10)) as sb:
            sb.faults("alohub").error_ratio = 0.5
            headers = {"Authorization": sb.alohub.api_key}
            async with httpx.AsyncClient(base_url=sb.url, verify=False) as http:
                return [
                    (await http.get(ALOHUB_LISTS, headers=headers)).status_code for _ in range(30)
                ]

    first, second = await statuses(), await statuses()
    assert first == second and {200, 500} == set(first)


async def test_malformed_answers_are_200_and_not_json(
    client: httpx.AsyncClient, sandbox: Sandbox, alohub_headers: dict[str, str]
) -> None:
    sandbox.faults("alohub").malformed = True
    r = await client.get(ALOHUB_LISTS, headers=alohub_headers)
    assert r.status_code == 200 and not r.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        r.json()
    sandbox.faults("alohub").reset()
    assert (await client.get(ALOHUB_LISTS, headers=alohub_headers)).json()["success"] == "1"


async def test_latency_delays_the_answer(
    client: httpx.AsyncClient, sandbox: Sandbox, alohub_headers: dict[str, str]
) -> None:
    sandbox.faults("alohub").latency = 0.2
    with pytest.raises(httpx.ReadTimeout):
        await client.get(ALOHUB_LISTS, headers=alohub_headers, timeout=0.05)
    started = time.monotonic()
    assert (await client.get(ALOHUB_LISTS, headers=alohub_headers)).status_code == 200
    assert time.monotonic() - started >= 0.2


async def test_every_request_is_recorded(
    client: httpx.AsyncClient, sandbox: Sandbox, vbee_headers: dict[str, str]
) -> None:
    body = {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "0912000777"}]}
    await client.post("/vbee/api/v1/public-api/campaign?trace=1", json=body, headers=vbee_headers)
    (record,) = sandbox.requests("vbee")
    assert (record.method, record.path, record.query, record.json, record.status) == (
        "POST",
        "/api/v1/public-api/campaign",
        {"trace": "1"},
        body,
        200,
    )
    assert record.headers["Authorization"] == vbee_headers["Authorization"]
    assert record.time == sandbox.clock.time()


async def test_error_bodies_are_200_in_each_providers_shape_and_do_nothing(
    client: httpx.AsyncClient,
    sandbox: Sandbox,
    alohub_headers: dict[str, str],
    vbee_headers: dict[str, str],
    omicall_headers: dict[str, str],
) -> None:
    for provider in sandbox.providers:
        sandbox.faults(provider).error_body = True
    alohub = await client.post(
        "/alohub/v1/campaigns/101/contacts",
        json={"phoneNumber": "0912000888"},
        headers=alohub_headers,
    )
    assert alohub.status_code == 200 and alohub.json()["success"] == "0"
    body = {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "0912000888"}]}
    vbee = await client.post("/vbee/api/v1/public-api/campaign", json=body, headers=vbee_headers)
    assert vbee.status_code == 200 and vbee.json() == {
        "status": 0,
        "code": 500,
        "message": "Lỗi hệ thống",
    }
    assert sandbox.vbee.contacts["vbee-cmp-1"] == []
    aicc = await client.get(
        "/aicallcenter/api/users/generate-access-token", params={"secret_key": "x"}
    )
    assert aicc.status_code == 200 and (aicc.json()["status"], aicc.json()["code"]) == (0, "500")
    before = len(sandbox.omicall.contacts)
    contact = {"fullName": "Khách", "phones": [{"data": "0912000888", "type": "personal"}]}
    omi = await client.post("/omicall/api/contacts/add", json=contact, headers=omicall_headers)
    assert omi.status_code == 200 and omi.json()["status_code"] == 500
    assert len(sandbox.omicall.contacts) == before


async def test_a_storm_answers_429_with_its_retry_after_then_stops(
    client: httpx.AsyncClient, sandbox: Sandbox, vbee_headers: dict[str, str]
) -> None:
    sandbox.faults("vbee").storm = 3
    sandbox.faults("vbee").storm_retry_after = 2
    body = {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "0912000888"}]}
    answers = [
        await client.post("/vbee/api/v1/public-api/campaign", json=body, headers=vbee_headers)
        for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [429, 429, 429, 200]
    assert {a.headers.get("Retry-After") for a in answers[:3]} == {"2"}
    assert len(sandbox.vbee.contacts["vbee-cmp-1"]) == 1, "the refused requests did nothing"


async def test_the_control_endpoint_sets_error_bodies_and_storms(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    answer = await client.post(
        "/_sandbox/omicall/faults", json={"error_body": True, "storm": 5, "storm_retry_after": 3}
    )
    assert answer.json()["error_body"] is True and answer.json()["storm"] == 5
    faults = sandbox.faults("omicall")
    assert (faults.error_body, faults.storm, faults.storm_retry_after) == (True, 5, 3)
    faults.reset()
    assert (faults.error_body, faults.storm) == (False, 0)
