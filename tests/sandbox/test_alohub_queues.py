"""Alohub inbound queues: paging, the bare show object, ownership, PUT validation."""

from __future__ import annotations

import httpx
import pytest

from bot.sandbox import Sandbox

BASE = "/alohub/v1/queues/inbound"
QUEUE_KEYS = {
    "callinId",
    "callinName",
    "strategy",
    "musicinQueue",
    "timeWait",
    "agentSelector",
    "nguongRanhRoi",
    "callinNumber",
}


async def test_queues_page_from_zero_over_25_queues(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    first = (await client.get(BASE, headers=alohub_headers)).json()
    second = (await client.get(BASE, params={"page": 1}, headers=alohub_headers)).json()
    assert (first["success"], first["error_code"], first["totalRecord"]) == ("1", "SUCCESS", 25)
    assert len(first["data"]) == 20 and len(second["data"]) == 5
    ids = [q["callinId"] for q in first["data"] + second["data"]]
    assert ids == list(range(1001201, 1001226))
    assert set(first["data"][0]) == QUEUE_KEYS


async def test_show_is_a_bare_queue(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    r = await client.get(f"{BASE}/1001203", headers=alohub_headers)
    assert r.status_code == 200
    assert set(r.json()) == QUEUE_KEYS and r.json()["callinId"] == 1001203


@pytest.mark.parametrize("callin_id", ["1009001", "5", "abc"])
async def test_unknown_or_foreign_queue_is_not_found(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], callin_id: str
) -> None:
    r = await client.get(f"{BASE}/{callin_id}", headers=alohub_headers)
    assert r.status_code == 404 and r.json()["error_code"] == "NOT_FOUND"
    r = await client.put(f"{BASE}/{callin_id}", json={"strategy": 1}, headers=alohub_headers)
    assert r.status_code == 404


async def test_update_changes_the_mapped_fields(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    body = {
        "moh_file_id": "waiting.wav",
        "max_wait_sec": "180",
        "strategy": 99,
        "announce_position": "1",
    }
    r = await client.put(f"{BASE}/1001204", json=body, headers=alohub_headers)
    assert r.json() == {
        "success": "1",
        "error_code": "SUCCESS",
        "error_message": "Inbound queue updated successfully",
    }
    queue = (await client.get(f"{BASE}/1001204", headers=alohub_headers)).json()
    assert (
        queue["musicinQueue"],
        queue["timeWait"],
        queue["strategy"],
        queue["nguongRanhRoi"],
    ) == (
        "waiting.wav",
        "180",
        99,
        "1",
    )


async def test_update_of_one_field_leaves_the_others(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    before = sandbox.alohub.queues[1001205].as_json()
    await client.put(f"{BASE}/1001205", json={"strategy": 2}, headers=alohub_headers)
    assert sandbox.alohub.queues[1001205].as_json() == {**before, "strategy": 2}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "At least one"),
        ({"unknown": 1}, "At least one"),
        ({"strategy": "1"}, "strategy"),
        ({"strategy": 5}, "strategy"),
        ({"strategy": True}, "strategy"),
        ({"strategy": 1.0}, "strategy"),
        ({"max_wait_sec": 180}, "max_wait_sec"),
        ({"max_wait_sec": "3 phút"}, "max_wait_sec"),
        ({"max_wait_sec": ""}, "max_wait_sec"),
        ({"announce_position": "2"}, "announce_position"),
        ({"announce_position": 1}, "announce_position"),
        ({"moh_file_id": 5}, "moh_file_id"),
        ({"strategy": 1, "max_wait_sec": "-5"}, "max_wait_sec"),
    ],
)
async def test_update_validation_names_the_field(
    client: httpx.AsyncClient,
    alohub_headers: dict[str, str],
    sandbox: Sandbox,
    body: dict[str, object],
    field: str,
) -> None:
    before = sandbox.alohub.queues[1001206].as_json()
    r = await client.put(f"{BASE}/1001206", json=body, headers=alohub_headers)
    assert r.status_code == 400
    assert r.json()["success"] == "0" and r.json()["error_code"] == "INVALID_INPUT"
    assert field in r.json()["error_message"]
    assert sandbox.alohub.queues[1001206].as_json() == before


async def test_update_with_a_list_body_is_invalid_input(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    r = await client.put(f"{BASE}/1001206", json=[{"strategy": 1}], headers=alohub_headers)
    assert r.status_code == 400 and r.json()["error_code"] == "INVALID_INPUT"
