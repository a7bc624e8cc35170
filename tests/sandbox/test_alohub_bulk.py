"""Alohub bulk imports: asynchronous jobs, duplicates, progress with time, restart loses jobs."""

from __future__ import annotations

import httpx
import pytest

from bot.sandbox import Sandbox

BASE = "/alohub/v1/campaigns"


@pytest.fixture(autouse=True)
def frozen(sandbox: Sandbox) -> None:
    """Jobs move only when a test advances the clock (100 rows per second)."""
    sandbox.clock.freeze()


async def start(
    client: httpx.AsyncClient, headers: dict[str, str], rows: list[dict[str, str]], **extra: str
) -> int:
    r = await client.post(
        f"{BASE}/101/contacts/bulk", json={"contacts": rows, **extra}, headers=headers
    )
    body = r.json()
    assert r.status_code == 200
    assert (body["success"], body["error_message"], body["total_rows"]) == (
        "1",
        "Bulk import started",
        len(rows),
    )
    return int(body["job_id"])


async def poll(client: httpx.AsyncClient, headers: dict[str, str], job_id: int) -> httpx.Response:
    return await client.get(f"{BASE}/101/contacts/import/{job_id}", headers=headers)


def numbered(count: int, start: int = 0) -> list[dict[str, str]]:
    return [
        {"phoneNumber": f"09120{n:05d}", "name": f"KH {n}"} for n in range(start, start + count)
    ]


async def test_job_goes_pending_processing_done_as_time_passes(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    job_id = await start(client, alohub_headers, numbered(50), listName="DS tháng 5")
    first = (await poll(client, alohub_headers, job_id)).json()
    assert first == {
        "jobId": job_id,
        "status": "pending",
        "totalRows": 50,
        "processedRows": 0,
        "failedRows": 0,
        "duplicateRows": 0,
        "errorMessage": None,
    }
    sandbox.clock.advance(0.2)
    middle = (await poll(client, alohub_headers, job_id)).json()
    assert (middle["status"], middle["processedRows"]) == ("processing", 20)
    lists = (await client.get(f"{BASE}/101/contact-lists", headers=alohub_headers)).json()["data"]
    assert lists[-1]["listName"] == "DS tháng 5" and lists[-1]["contactCount"] == 20
    sandbox.clock.advance(1.0)
    done = (await poll(client, alohub_headers, job_id)).json()
    assert (done["status"], done["processedRows"]) == ("done", 50)
    contacts = await client.get(
        f"{BASE}/101/contact-lists/{lists[-1]['listId']}/contacts",
        params={"size": 100},
        headers=alohub_headers,
    )
    assert contacts.json()["totalRecord"] == 50
    assert contacts.json()["data"][0]["phoneNumber"] == "0912000000"


async def test_duplicates_are_skipped_and_invalid_rows_fail(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    existing = sandbox.alohub.contacts(101)[0].phoneNumber
    rows = [
        {"phoneNumber": existing},  # already in the campaign
        {"phoneNumber": "0912999001"},
        {"phoneNumber": "+84912999001"},  # same number again in this file
        {"phoneNumber": "not a phone"},
        {"name": "no phone"},
    ]
    job_id = await start(client, alohub_headers, rows)
    sandbox.clock.advance(1.0)
    done = (await poll(client, alohub_headers, job_id)).json()
    assert (done["status"], done["processedRows"], done["failedRows"], done["duplicateRows"]) == (
        "done",
        5,
        2,
        2,
    )
    phones = [c.phoneNumber for c in sandbox.alohub.contacts(101)]
    assert phones.count("0912999001") == 1 and phones.count(existing) == 1


async def test_each_bulk_call_creates_a_new_list_named_by_the_provider(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    first = await start(client, alohub_headers, numbered(1))
    second = await start(client, alohub_headers, numbered(1, start=10))
    lists = (await client.get(f"{BASE}/101/contact-lists", headers=alohub_headers)).json()["data"]
    names = [lst["listName"] for lst in lists]
    assert names[-2:] == [f"Bulk import #{first}", f"Bulk import #{second}"]


async def test_restart_loses_jobs_and_resubmitting_skips_what_was_imported(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    rows = numbered(100)
    job_id = await start(client, alohub_headers, rows)
    sandbox.clock.advance(0.3)
    sandbox.alohub.restart()
    lost = await poll(client, alohub_headers, job_id)
    assert lost.status_code == 404
    assert lost.json()["success"] == "0" and lost.json()["error_code"] == "NOT_FOUND"

    again = await start(client, alohub_headers, rows)
    sandbox.clock.advance(2.0)
    done = (await poll(client, alohub_headers, again)).json()
    assert (done["status"], done["duplicateRows"], done["failedRows"]) == ("done", 30, 0)
    phones = [c.phoneNumber for c in sandbox.alohub.contacts(101)]
    assert all(phones.count(row["phoneNumber"]) == 1 for row in rows)


async def test_failed_job_reports_its_error(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    job_id = await start(client, alohub_headers, numbered(10))
    sandbox.alohub.fail_job(job_id, "Import worker crashed")
    sandbox.clock.advance(5.0)
    body = (await poll(client, alohub_headers, job_id)).json()
    assert (body["status"], body["processedRows"], body["errorMessage"]) == (
        "failed",
        0,
        "Import worker crashed",
    )


async def test_job_is_only_visible_under_its_campaign(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    job_id = await start(client, alohub_headers, numbered(1))
    r = await client.get(f"{BASE}/102/contacts/import/{job_id}", headers=alohub_headers)
    assert r.status_code == 404
    other = {"Authorization": sandbox.alohub.other_tenant_key}
    r = await client.get(f"{BASE}/101/contacts/import/{job_id}", headers=other)
    assert r.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"contacts": []},
        {"contacts": [{"name": "no phone"}]},
        {"contacts": "0912000000"},
        {"contacts": [{"phoneNumber": "0912000000"}], "listName": 5},
    ],
)
async def test_bulk_without_any_phone_is_invalid_input(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], body: dict[str, object]
) -> None:
    r = await client.post(f"{BASE}/101/contacts/bulk", json=body, headers=alohub_headers)
    assert r.status_code == 400 and r.json()["error_code"] == "INVALID_INPUT"


async def test_bulk_body_that_is_not_json_is_invalid_input(
    client: httpx.AsyncClient, alohub_headers: dict[str, str]
) -> None:
    r = await client.post(
        f"{BASE}/101/contacts/bulk",
        content=b"phoneNumber=0912000000",
        headers={**alohub_headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 400 and r.json()["error_code"] == "INVALID_INPUT"


async def test_a_large_bulk_body_is_accepted(
    client: httpx.AsyncClient, alohub_headers: dict[str, str], sandbox: Sandbox
) -> None:
    rows = [{"phoneNumber": f"0977{n:06d}", "name": f"Khách hàng số {n}"} for n in range(40_000)]
    job_id = await start(client, alohub_headers, rows)  # about 2.5 MB of JSON
    sandbox.alohub.rows_per_second = 1_000_000.0
    sandbox.clock.advance(1.0)
    done = (await poll(client, alohub_headers, job_id)).json()
    assert (done["status"], done["processedRows"], done["failedRows"]) == ("done", 40_000, 0)
