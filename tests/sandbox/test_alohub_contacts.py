"""Alohub campaign contacts: lists, paging, add, delete, auth and ownership."""

from __future__ import annotations

import httpx
import pytest

from bot.sandbox import Sandbox

BASE = "/alohub/v1"


async def test_contact_lists_of_a_campaign(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    r = await client.get(f"{BASE}/campaigns/101/contact-lists", headers=alohub_headers)
    assert r.status_code == 200
    body = r.json()
    assert (body["success"], body["error_code"], body["totalRecord"]) == ("1", "SUCCESS", 2)
    assert body["data"][0] == {"listId": 501, "listName": "Danh sách tháng 4", "contactCount": 150}


async def test_contacts_page_from_zero_with_default_size_20(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    url = f"{BASE}/campaigns/101/contact-lists/501/contacts"
    first = (await client.get(url, headers=alohub_headers)).json()
    second = (await client.get(url, params={"page": 1, "size": 20}, headers=alohub_headers)).json()
    last = (await client.get(url, params={"page": 7, "size": 20}, headers=alohub_headers)).json()
    assert first["totalRecord"] == 150 and len(first["data"]) == 20
    stored = sandbox.alohub.campaigns[101].lists[0].contacts
    assert [c["contactId"] for c in first["data"]] == [c.contactId for c in stored[:20]]
    assert [c["contactId"] for c in second["data"]] == [c.contactId for c in stored[20:40]]
    assert len(last["data"]) == 10
    row = first["data"][0]
    assert set(row) == {
        "contactId",
        "customerId",
        "phoneNumber",
        "name",
        "processStatus",
        "callStatus",
    }


async def test_seeded_contacts_mix_process_and_call_statuses(sandbox: Sandbox) -> None:
    contacts = sandbox.alohub.contacts(101) + sandbox.alohub.contacts(102)
    assert {c.processStatus for c in contacts} == {0, 1, 2}
    assert {"ANSWERED", "NO_ANSWER", "BUSY", None} <= {c.callStatus for c in contacts}
    assert all(c.callStatus is None for c in contacts if c.processStatus == 0)


@pytest.mark.parametrize("query", [{"page": "-1"}, {"size": "0"}, {"page": "x"}])
async def test_bad_paging_is_invalid_input(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], query: dict[str, str]
) -> None:
    url = f"{BASE}/campaigns/101/contact-lists/501/contacts"
    r = await client.get(url, params=query, headers=alohub_headers)
    assert r.status_code == 400 and r.json()["error_code"] == "INVALID_INPUT"


async def test_add_contact_goes_to_the_first_list_or_the_given_one(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    url = f"{BASE}/campaigns/101/contacts"
    r = await client.post(url, json={"phoneNumber": "+84 912 000 111"}, headers=alohub_headers)
    assert r.json() == {
        "success": "1",
        "error_code": "SUCCESS",
        "error_message": "Contact added to list 501",
    }
    r = await client.post(
        url,
        json={"phoneNumber": "0912000222", "name": "Lê Văn Tám", "listId": 502},
        headers=alohub_headers,
    )
    assert r.json()["error_message"] == "Contact added to list 502"
    added = sandbox.alohub.campaigns[101].lists[1].contacts[-1]
    assert (added.phoneNumber, added.name, added.processStatus) == ("0912000222", "Lê Văn Tám", 0)
    assert sandbox.alohub.campaigns[101].lists[0].contacts[-1].phoneNumber == "0912000111"


async def test_a_single_add_of_a_phone_already_in_the_list_is_accepted_as_the_seed_says(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    # The seed documents duplicate skipping for the bulk import only
    # (alohub-campaign-contacts.txt:224); the single add (:144-223) names no duplicate
    # answer, so the simulator takes the phone again and the bot must look first.
    first = sandbox.alohub.campaigns[101].lists[0]
    phone = first.contacts[0].phoneNumber
    r = await client.post(
        f"{BASE}/campaigns/101/contacts", json={"phoneNumber": phone}, headers=alohub_headers
    )
    assert r.json()["error_message"] == "Contact added to list 501"
    assert sum(c.phoneNumber == phone for c in first.contacts) == 2


async def test_add_contact_to_a_campaign_without_lists_creates_default_list(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    r = await client.post(
        f"{BASE}/campaigns/103/contacts", json={"phoneNumber": "0912000333"}, headers=alohub_headers
    )
    list_id = int(r.json()["error_message"].rsplit(" ", 1)[1])
    lists = (await client.get(f"{BASE}/campaigns/103/contact-lists", headers=alohub_headers)).json()
    assert lists["data"] == [{"listId": list_id, "listName": "Default List", "contactCount": 1}]


@pytest.mark.parametrize(
    ("body", "status", "code", "word"),
    [
        ({}, 400, "INVALID_INPUT", "phoneNumber"),
        ({"phoneNumber": "12345"}, 400, "INVALID_INPUT", "phoneNumber"),
        ({"phoneNumber": "0912000444", "listId": "501"}, 400, "INVALID_INPUT", "listId"),
        ({"phoneNumber": "0912000444", "listId": 505}, 404, "NOT_FOUND", "505"),
    ],
)
async def test_add_contact_refusals(
    client: httpx.AsyncClient,
    alohub_headers: dict[str, str],
    body: dict[str, object],
    status: int,
    code: str,
    word: str,
) -> None:
    r = await client.post(f"{BASE}/campaigns/101/contacts", json=body, headers=alohub_headers)
    assert r.status_code == status
    assert r.json()["success"] == "0" and r.json()["error_code"] == code
    assert word in r.json()["error_message"]


async def test_delete_only_pending_contacts(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    contacts = sandbox.alohub.contacts(101)
    pending = next(c for c in contacts if c.processStatus == 0)
    in_call = next(c for c in contacts if c.processStatus == 1)
    url = f"{BASE}/campaigns/101/contacts"
    r = await client.delete(f"{url}/{pending.contactId}", headers=alohub_headers)
    assert r.json()["error_message"] == "Contact deleted successfully"
    assert pending.contactId not in {c.contactId for c in sandbox.alohub.contacts(101)}
    r = await client.delete(f"{url}/{in_call.contactId}", headers=alohub_headers)
    assert r.status_code == 400 and r.json()["error_code"] == "INVALID_STATE"
    assert "in_call" in r.json()["error_message"]
    r = await client.delete(f"{url}/{pending.contactId}", headers=alohub_headers)
    assert r.status_code == 404 and r.json()["error_code"] == "NOT_FOUND"


async def test_other_tenants_campaign_is_not_found(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    for path in ("/campaigns/999/contact-lists", "/campaigns/4242/contact-lists"):
        r = await client.get(BASE + path, headers=alohub_headers)
        assert r.status_code == 404
        assert r.json() == {
            "success": "0",
            "error_code": "NOT_FOUND",
            "error_message": r.json()["error_message"],
        }


async def test_key_in_either_header_and_tenant_is_optional(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    url = f"{BASE}/campaigns/101/contact-lists"
    key = sandbox.alohub.api_key
    assert (await client.get(url, headers={"Authorization": key})).status_code == 200
    assert (await client.get(url, headers={"X-Api-Key": key})).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "sk_live_wrong"},
        {"Authorization": "KEY", "X-Tenant-ID": "20250001"},
        {"Authorization": "Bearer KEY"},
    ],
)
async def test_missing_wrong_or_mismatched_key_is_unauthorized(
    client: httpx.AsyncClient, sandbox: Sandbox, headers: dict[str, str]
) -> None:
    headers = {k: v.replace("KEY", sandbox.alohub.api_key) for k, v in headers.items()}
    r = await client.get(f"{BASE}/campaigns/101/contact-lists", headers=headers)
    assert r.status_code == 401 and r.json()["error_code"] == "UNAUTHORIZED"


async def test_campaign_only_key_lacks_queue_scope(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    headers = {"Authorization": sandbox.alohub.campaign_only_key}
    ok = await client.get(f"{BASE}/campaigns/101/contact-lists", headers=headers)
    refused = await client.get(f"{BASE}/queues/inbound", headers=headers)
    assert ok.status_code == 200
    assert refused.status_code == 403 and refused.json()["error_code"] == "INSUFFICIENT_SCOPE"
    assert "queue" in refused.json()["error_message"]


async def test_unknown_route_answers_in_the_envelope(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    r = await client.get(f"{BASE}/nothing-here", headers=alohub_headers)
    assert r.status_code == 404 and r.json()["error_code"] == "NOT_FOUND"


async def test_a_contact_moved_to_in_call_then_processed_can_no_longer_be_deleted(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    pending = next(c for c in sandbox.alohub.contacts(101) if c.processStatus == 0)
    url = f"{BASE}/campaigns/101/contacts/{pending.contactId}"
    sandbox.alohub.set_process_status(101, pending.phoneNumber, 1)
    listed = (
        await client.get(
            f"{BASE}/campaigns/101/contact-lists/501/contacts",
            params={"page": 0, "size": 200},
            headers=alohub_headers,
        )
    ).json()["data"]
    shown = [c for c in listed if c["contactId"] == pending.contactId]
    assert [c["processStatus"] for c in shown] in ([1], [])  # [] when it is in list 502
    r = await client.delete(url, headers=alohub_headers)
    assert (r.status_code, r.json()["error_code"]) == (400, "INVALID_STATE")
    sandbox.alohub.set_process_status(101, pending.phoneNumber, 2, "ANSWERED")
    assert pending.callStatus == "ANSWERED"
    r = await client.delete(url, headers=alohub_headers)
    assert (r.status_code, r.json()["error_code"]) == (400, "INVALID_STATE")
    with pytest.raises(ValueError):
        sandbox.alohub.set_process_status(101, pending.phoneNumber, 3)
