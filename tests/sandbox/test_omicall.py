"""OMICall CRM contacts: the envelope, search paging from 1, the nine endpoints, errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bot.sandbox import Sandbox

API = "/omicall/api"
ENVELOPE_KEYS = {"instance_id", "instance_version", "key_enabled", "status_code", "payload"}


def seeded(sandbox: Sandbox) -> list[dict[str, Any]]:
    return list(sandbox.omicall.contacts.values())


async def search(
    client: httpx.AsyncClient, headers: dict[str, str], body: Any = None, **query: int
) -> dict[str, Any]:
    r = await client.post(f"{API}/contacts/list", params=query, json=body, headers=headers)
    assert r.status_code == 200 and set(r.json()) == ENVELOPE_KEYS
    assert r.json()["status_code"] == 9999
    return dict(r.json()["payload"])


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "omi-token-without-bearer"])
async def test_bad_or_missing_token_is_http_401(
    client: httpx.AsyncClient, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    r = await client.get(f"{API}/source_contact_layout/get", headers=headers)
    assert r.status_code == 401
    assert r.json()["status_code"] == 401 and r.json()["payload"]["message"]


async def test_search_pages_from_one(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], sandbox: Sandbox
) -> None:
    everyone = seeded(sandbox)
    assert len(everyone) == 300
    first = await search(client, omicall_headers, {}, size=40)
    assert first["items"] == everyone[:40]
    assert {k: v for k, v in first.items() if k != "items"} == {
        "page_number": 1,
        "page_size": 40,
        "total_items": 300,
        "total_pages": 8,
        "has_next": True,
        "next_page": 2,
        "has_previous": False,
        "previous_page": 1,
    }
    last = await search(client, omicall_headers, None, page=8, size=40)
    assert (last["has_next"], last["next_page"], last["has_previous"], last["previous_page"]) == (
        False,
        8,
        True,
        7,
    )
    assert last["items"] == everyone[280:]
    default = await search(client, omicall_headers)
    assert (default["page_size"], len(default["items"])) == (50, 50)


async def test_keyword_matches_phone_email_or_name_case_insensitively(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], sandbox: Sandbox
) -> None:
    target = next(c for c in seeded(sandbox) if c["emails"])
    phone = target["phones"][0]["data"]
    for keyword in (
        phone,
        "+84" + phone[1:],
        target["emails"][0]["data"].upper(),
        target["fullName"].lower(),
    ):
        found = await search(client, omicall_headers, {"keyword": keyword}, size=300)
        assert target["id"] in [c["id"] for c in found["items"]], keyword
    nothing = await search(client, omicall_headers, {"keyword": "không-ai-cả"})
    assert (nothing["total_items"], nothing["total_pages"], nothing["items"]) == (0, 0, [])


async def test_owner_filter_keeps_that_agent_or_unassigned(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], sandbox: Sandbox
) -> None:
    owner = "an.nguyen@callops.vn"
    body = {"filters": [{"field_code": "contact_owner", "value": [owner, "unassigned"]}]}
    found = await search(client, omicall_headers, body, size=300)
    expected = [c for c in seeded(sandbox) if c["user_owner_email"] in (owner, None)]
    assert found["items"] == expected and found["total_items"] < 300


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({"page": 0}, {}),
        ({"size": 0}, {}),
        ({}, {"keyword": 5}),
        ({}, {"filters": {"field_code": "contact_owner"}}),
        ({}, {"filters": [{"field_code": "city", "value": ["HN"]}]}),
        ({}, ["not", "an", "object"]),
    ],
)
async def test_bad_search_is_status_code_400_with_http_200(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], query: dict[str, int], body: Any
) -> None:
    r = await client.post(f"{API}/contacts/list", params=query, json=body, headers=omicall_headers)
    assert r.status_code == 200
    assert r.json()["status_code"] == 400 and r.json()["payload"]["message"]


async def test_add_then_details_and_get(
    client: httpx.AsyncClient, omicall_headers: dict[str, str]
) -> None:
    contact = {
        "fullName": "Trần Thị Mai",
        "phones": [{"data": "0987654321", "type": "personal", "valueType": "Cá nhân"}],
        "emails": [{"data": "mai.tran@example.vn", "type": "office", "valueType": "Công ty"}],
        "tags": ["VIP"],
        "more_infomation": [{"value_type": "Cao", "display_value": "1.60m"}],
        "refId": "T-1",
        "refCode": "C-1",
        "birthday": "02/01/1990",
        "gender": "female",
        "ignored_key": "dropped",
    }
    r = await client.post(f"{API}/contacts/add", json=contact, headers=omicall_headers)
    created = r.json()["payload"]
    assert r.json()["status_code"] == 9999 and created["id"]
    assert "ignored_key" not in created and created["fullName"] == "Trần Thị Mai"
    details = await client.get(f"{API}/contacts/details/{created['id']}", headers=omicall_headers)
    assert details.json()["payload"] == created
    for query in ({"phone": "+84987654321"}, {"ref_id": "T-1"}, {"ref_code": "C-1"}):
        got = await client.get(f"{API}/contacts/get", params=query, headers=omicall_headers)
        assert got.json()["payload"]["id"] == created["id"], query


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({"fullName": "A", "birthday": "1990-01-02"}, "birthday"),
        ({"fullName": "A", "gender": "m"}, "gender"),
        ({"fullName": "A", "phones": [{"type": "home"}]}, "phones[0]"),
        ({"fullName": "A", "phones": [{"data": "0987654321", "type": "mobile"}]}, "phones[0].type"),
        ({"fullName": "A", "emails": [{"data": "a@b.vn", "valueType": "Nha"}]}, "emails[0]"),
        ({"fullName": "A", "tags": "VIP"}, "tags"),
        ({"fullName": 5}, "fullName"),
        ({"fullName": "A", "more_infomation": [{"value_type": "x"}]}, "more_infomation"),
    ],
)
async def test_invalid_contact_is_400_naming_the_field(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], contact: dict[str, Any], field: str
) -> None:
    r = await client.post(f"{API}/contacts/add", json=contact, headers=omicall_headers)
    assert r.status_code == 200 and r.json()["status_code"] == 400
    assert field in r.json()["payload"]["message"]


async def test_add_more_is_accepted_at_once_and_appears_after_the_delay(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], sandbox: Sandbox
) -> None:
    sandbox.clock.freeze()
    sandbox.omicall.add_more_delay = 2.0
    batch = [
        {"fullName": "Lê Văn Nam", "phones": [{"data": "0977000111"}]},
        {"fullName": "Lê Văn Nam", "phones": [{"data": "0977000111"}]},  # no dedupe
        {"gender": "nope"},  # invalid: dropped silently
    ]
    r = await client.post(f"{API}/contacts/add-more", json=batch, headers=omicall_headers)
    assert (r.json()["status_code"], r.json()["payload"]) == (9999, None)
    assert (await search(client, omicall_headers, {"keyword": "0977000111"}))["total_items"] == 0
    sandbox.clock.advance(2.0)
    assert (await search(client, omicall_headers, {"keyword": "0977000111"}))["total_items"] == 2


async def test_add_more_without_delay_is_immediate(
    client: httpx.AsyncClient, omicall_headers: dict[str, str]
) -> None:
    batch = [{"fullName": "Phạm Thị Lan", "phones": [{"data": "0977000222"}]}]
    await client.post(f"{API}/contacts/add-more", json=batch, headers=omicall_headers)
    assert (await search(client, omicall_headers, {"keyword": "Phạm Thị Lan"}))["total_items"] >= 1
    r = await client.post(
        f"{API}/contacts/add-more", json={"fullName": "x"}, headers=omicall_headers
    )
    assert r.json()["status_code"] == 400


async def test_update_by_ref_id_with_dynamic_attributes(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], sandbox: Sandbox
) -> None:
    target = seeded(sandbox)[0]
    attribute = {
        "field_code": "nB7xR2cVwE",
        "field_type": "single_text",
        "dynamic_attribute_value": [{"display_value": "khách quen"}],
    }
    body = {"refId": target["refId"], "note": "Gọi lại sau 17h", "dynamic_attributes": [attribute]}
    r = await client.post(f"{API}/contacts/update", json=body, headers=omicall_headers)
    assert r.json()["status_code"] == 9999 and r.json()["payload"]["note"] == "Gọi lại sau 17h"
    assert r.json()["payload"]["fullName"] == target["fullName"]
    assert sandbox.omicall.dynamic_values[target["id"]] == [attribute]
    unknown = {**body, "dynamic_attributes": [{**attribute, "field_code": "nope"}]}
    r = await client.post(f"{API}/contacts/update", json=unknown, headers=omicall_headers)
    assert r.json()["status_code"] == 400
    for bad, code in (({"note": "x"}, 400), ({"refId": "NO-SUCH", "note": "x"}, 404)):
        r = await client.post(f"{API}/contacts/update", json=bad, headers=omicall_headers)
        assert r.status_code == 200 and r.json()["status_code"] == code


async def test_delete_then_details_is_404(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], sandbox: Sandbox
) -> None:
    target = seeded(sandbox)[5]["id"]
    r = await client.delete(f"{API}/contacts/delete/{target}", headers=omicall_headers)
    assert (r.json()["status_code"], r.json()["payload"]) == (9999, None)
    for response in (
        await client.delete(f"{API}/contacts/delete/{target}", headers=omicall_headers),
        await client.get(f"{API}/contacts/details/{target}", headers=omicall_headers),
        await client.get(f"{API}/contacts/get", params={"ref_id": "NOPE"}, headers=omicall_headers),
    ):
        assert response.status_code == 200 and response.json()["status_code"] == 404


async def test_add_note_to_contacts_by_phone(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], sandbox: Sandbox
) -> None:
    target = seeded(sandbox)[1]
    notes = [
        {
            "note_by": "an.nguyen@callops.vn",
            "content": "Hẹn gọi lại",
            "phone": target["phones"][0]["data"],
        }
    ]
    r = await client.post(f"{API}/contacts/add-note", json=notes, headers=omicall_headers)
    assert r.json()["status_code"] == 9999
    assert sandbox.omicall.notes[-1]["contact_id"] == target["id"]
    assert r.json()["payload"][0]["content"] == "Hẹn gọi lại"


@pytest.mark.parametrize(
    ("notes", "code"),
    [
        ([{"content": "x", "phone": "0900000000"}], 404),
        ([{"phone": "0900000000"}], 400),
        ([{"content": "x"}], 400),
        ({"content": "x", "phone": "0900000000"}, 400),
        ([], 400),
    ],
)
async def test_add_note_refusals_add_nothing(
    client: httpx.AsyncClient,
    omicall_headers: dict[str, str],
    sandbox: Sandbox,
    notes: Any,
    code: int,
) -> None:
    r = await client.post(f"{API}/contacts/add-note", json=notes, headers=omicall_headers)
    assert r.json()["status_code"] == code and sandbox.omicall.notes == []


async def test_get_needs_one_key(
    client: httpx.AsyncClient, omicall_headers: dict[str, str]
) -> None:
    r = await client.get(f"{API}/contacts/get", headers=omicall_headers)
    assert r.json()["status_code"] == 400


async def test_layout_lists_custom_fields(
    client: httpx.AsyncClient, omicall_headers: dict[str, str], sandbox: Sandbox
) -> None:
    r = await client.get(f"{API}/source_contact_layout/get", headers=omicall_headers)
    assert r.json()["payload"] == sandbox.omicall.layout
    assert {f["field_type"] for f in sandbox.omicall.layout} >= {"single_text"}
