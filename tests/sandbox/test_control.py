"""``/_sandbox/...``: the same controls over HTTP, for a separately running sandbox."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
import yaml

from bot.sandbox import Sandbox


async def test_faults_can_be_set_and_read_back(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    r = await client.post("/_sandbox/vbee/faults", json={"error_ratio": 0.25, "malformed": True})
    assert r.json() == {
        "latency": 0.0,
        "error_ratio": 0.25,
        "malformed": True,
        "error_body": False,
        "storm": 0,
        "storm_retry_after": 1,
    }
    assert sandbox.faults("vbee").error_ratio == 0.25 and sandbox.faults("vbee").malformed


async def test_rate_limit_can_be_set_and_removed(
    client: httpx.AsyncClient, sandbox: Sandbox, alohub_headers: dict[str, str]
) -> None:
    sandbox.clock.freeze()
    r = await client.post("/_sandbox/alohub/rate-limit", json={"count": 1, "seconds": 10})
    assert r.json() == {"count": 1, "seconds": 10.0}
    lists = "/alohub/v1/campaigns/101/contact-lists"
    statuses = [(await client.get(lists, headers=alohub_headers)).status_code for _ in range(2)]
    assert statuses == [200, 429]
    await client.post("/_sandbox/alohub/rate-limit", json={"count": None})
    assert (await client.get(lists, headers=alohub_headers)).status_code == 200


async def test_restart_rotate_and_clock(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    old = sandbox.aicallcenter.secret_key
    rotated = (await client.post("/_sandbox/aicallcenter/rotate-secret")).json()["secret_key"]
    assert rotated == sandbox.aicallcenter.secret_key != old
    key = sandbox.alohub.keys[sandbox.alohub.api_key]
    sandbox.alohub.start_bulk(key, "101", {"contacts": [{"phoneNumber": "0912000123"}]})
    assert (await client.post("/_sandbox/alohub/restart")).json() == {"restarted": True}
    assert sandbox.alohub.jobs == {}
    before = sandbox.clock.time()
    await client.post("/_sandbox/clock/advance", json={"seconds": 3600})
    assert sandbox.clock.time() - before >= 3600


async def test_requests_connections_and_config(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    await client.get("/omicall/api/source_contact_layout/get")
    recorded = (await client.get("/_sandbox/omicall/requests")).json()
    assert [(r["method"], r["path"], r["status"]) for r in recorded] == [
        ("GET", "/api/source_contact_layout/get", 401)
    ]
    assert (await client.get("/_sandbox/connections")).json() == sandbox.connections()
    config = yaml.safe_load((await client.get("/_sandbox/config")).text)
    assert config["connections"] == sandbox.connections()


async def test_vbee_contacts_are_counted(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    assert (await client.get("/_sandbox/vbee/contacts/vbee-cmp-1")).json() == {
        "count": 0,
        "distinct": 0,
    }
    phones = [{"phone_number": p} for p in ("0912000123", "+84912000123", "0912000124")]
    sandbox.vbee.add_contacts({"campaign_id": "vbee-cmp-1", "contacts": phones})
    r = await client.get("/_sandbox/vbee/contacts/vbee-cmp-1")
    assert r.json() == {"count": 3, "distinct": 2}
    assert (await client.get("/_sandbox/vbee/contacts/nope")).status_code == 404


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/_sandbox/nobody/faults", {}, 404),
        ("/_sandbox/vbee/faults", {"latency": "slow"}, 400),
        ("/_sandbox/vbee/faults", [1], 400),
        ("/_sandbox/vbee/rate-limit", {"count": 0}, 400),
        ("/_sandbox/clock/advance", {"seconds": -1}, 400),
    ],
)
async def test_bad_control_requests_are_refused(
    client: httpx.AsyncClient, path: str, body: object, status: int
) -> None:
    r = await client.post(path, json=body)
    assert r.status_code == status and r.json()["error"]


async def test_aicallcenter_calls_can_be_placed_now(
    client: httpx.AsyncClient, sandbox: Sandbox, aicc_token: str
) -> None:
    sandbox.clock.freeze()
    campaign = "Tri ân T4/2026 #1?"  # no past calls: only those placed
    r = await client.post(
        "/_sandbox/aicallcenter/calls", json={"campaign": campaign, "answered": 2, "failed": 3}
    )
    assert len(r.json()["call_ids"]) == 5
    sandbox.clock.advance(1)
    export = await client.get(
        f"/aicallcenter/api/campaigns/{quote(campaign, safe='')}/export",
        params={"access_token": aicc_token},
    )
    calls = export.json()["results"]["calls"]
    assert sorted(call["state"] for call in calls) == [40, 40, 50, 50, 50]
    for body, status in (
        ({"campaign": "nope", "answered": 1}, 404),
        ({"campaign": campaign, "failed": -1}, 400),
        ({"campaign": campaign, "answered": True}, 400),
    ):
        refused = await client.post("/_sandbox/aicallcenter/calls", json=body)
        assert refused.status_code == status and refused.json()["error"]


async def test_an_alohub_campaigns_waiting_contacts_can_be_called(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    waiting = [c for c in sandbox.alohub.contacts(101) if c.processStatus in (0, 1)]
    assert waiting, "the seed leaves contacts pending or in call"
    r = await client.post("/_sandbox/alohub/campaigns/101/process", json={"count": 2})
    assert r.json() == {"processed": 2}
    assert [c.processStatus for c in waiting[:2]] == [2, 2]
    assert [c.callStatus for c in waiting[:2]] == ["ANSWERED", "ANSWERED"]
    r = await client.post("/_sandbox/alohub/campaigns/101/process", json={"call_status": "BUSY"})
    assert r.json() == {"processed": len(waiting) - 2}
    assert {c.processStatus for c in sandbox.alohub.contacts(101)} == {2}
    assert (await client.post("/_sandbox/alohub/campaigns/7/process")).status_code == 404
    bad = await client.post("/_sandbox/alohub/campaigns/101/process", json={"count": "x"})
    assert bad.status_code == 400
