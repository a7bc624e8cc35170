"""Vbee AICall: JWT auth, contacts added without dedupe, error codes in the body."""

from __future__ import annotations

import time
import uuid

import httpx
import jwt
import pytest

from bot.sandbox import Sandbox

URL = "/vbee/api/v1/public-api/campaign"


def bearer(claims: dict[str, object], secret: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + jwt.encode(claims, secret, "HS256")}


async def test_valid_contacts_come_back_with_ids_and_e164_phones(
    client: httpx.AsyncClient, vbee_headers: dict[str, str], sandbox: Sandbox
) -> None:
    contacts = [
        {"phone_number": "0987654321", "ho_ten": "Nguyễn Văn An", "danh_xung": "Anh"},
        {"phone_number": "12345", "ho_ten": "Sai số"},
        {"phone_number": "+84 912 345 678", "ho_ten": "Trần Thị Bình", "danh_xung": "Chị"},
    ]
    r = await client.post(
        URL, json={"campaign_id": "vbee-cmp-1", "contacts": contacts}, headers=vbee_headers
    )
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == 1
    assert [row["so_dien_thoai"] for row in body["result"]] == ["+84987654321", "+84912345678"]
    first = body["result"][0]
    assert uuid.UUID(first["contact_id"]).version == 4
    assert (first["ho_ten"], first["danh_xung"]) == ("Nguyễn Văn An", "Anh")
    assert "phone_number" not in first
    assert sandbox.vbee.contacts["vbee-cmp-1"] == body["result"]


async def test_the_same_phone_is_added_every_time_it_is_sent(
    client: httpx.AsyncClient, vbee_headers: dict[str, str], sandbox: Sandbox
) -> None:
    batch = {"campaign_id": "vbee-cmp-2", "contacts": [{"phone_number": "0987000111"}] * 2}
    await client.post(URL, json=batch, headers=vbee_headers)
    await client.post(URL, json=batch, headers=vbee_headers)
    added = sandbox.vbee.contacts["vbee-cmp-2"]
    assert [c["so_dien_thoai"] for c in added] == ["+84987000111"] * 4
    assert len({c["contact_id"] for c in added}) == 4


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "abc"}, {"ho_ten": "x"}]},
            1403,
        ),
        ({"campaign_id": "no-such-campaign", "contacts": [{"phone_number": "0987000111"}]}, 1402),
        ({"campaign_id": 1, "contacts": [{"phone_number": "0987000111"}]}, 1402),
        ({"campaign_id": "vbee-cmp-1", "contacts": []}, 1402),
        ({"campaign_id": "vbee-cmp-1"}, 1402),
        ({"campaign_id": "vbee-cmp-nobalance", "contacts": [{"phone_number": "0987000111"}]}, 1402),
        (
            {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "0987000111"}] * 1001},
            1402,
        ),
    ],
)
async def test_refusals_are_http_200_with_the_code_in_the_body(
    client: httpx.AsyncClient,
    vbee_headers: dict[str, str],
    sandbox: Sandbox,
    body: dict[str, object],
    code: int,
) -> None:
    r = await client.post(URL, json=body, headers=vbee_headers)
    assert r.status_code == 200
    assert r.json()["status"] == 0 and r.json()["code"] == code and r.json()["message"]
    assert all(not added for added in sandbox.vbee.contacts.values())


async def test_exactly_1000_contacts_are_accepted(
    client: httpx.AsyncClient, vbee_headers: dict[str, str]
) -> None:
    contacts = [{"phone_number": f"0987{n:06d}"} for n in range(1000)]
    r = await client.post(
        URL, json={"campaign_id": "vbee-cmp-1", "contacts": contacts}, headers=vbee_headers
    )
    assert len(r.json()["result"]) == 1000


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer not.a.jwt", "Token abc", "BAD_SIGNATURE", "EXPIRED", "NONE_ALG"],
)
async def test_bad_tokens_are_http_401(
    client: httpx.AsyncClient, sandbox: Sandbox, authorization: str | None
) -> None:
    key = sandbox.vbee.api_key
    forged = {
        "BAD_SIGNATURE": bearer({"apiKey": key}, "x" * 64),
        "EXPIRED": bearer({"apiKey": key, "exp": int(time.time()) - 10}, sandbox.vbee.api_secret),
        "NONE_ALG": {"Authorization": "Bearer " + jwt.encode({"apiKey": key}, None, "none")},
    }
    headers = forged.get(authorization or "") or (
        {} if authorization is None else {"Authorization": authorization}
    )
    body = {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "0987000111"}]}
    r = await client.post(URL, json=body, headers=headers)
    assert r.status_code == 401
    assert r.json()["status"] == 0 and r.json()["code"] == 401


async def test_unknown_api_key_is_1201_with_http_200(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    headers = bearer({"apiKey": "someone-else", "iat": int(time.time())}, sandbox.vbee.api_secret)
    body = {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "0987000111"}]}
    r = await client.post(URL, json=body, headers=headers)
    assert r.status_code == 200 and r.json() == {
        "status": 0,
        "code": 1201,
        "message": "Application is not found",
    }


async def test_token_without_iat_is_accepted(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    headers = bearer({"apiKey": sandbox.vbee.api_key}, sandbox.vbee.api_secret)
    body = {"campaign_id": "vbee-cmp-1", "contacts": [{"phone_number": "0987000111"}]}
    assert (await client.post(URL, json=body, headers=headers)).json()["status"] == 1
