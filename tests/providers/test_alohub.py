"""The Alohub client over a mock transport: every documented answer, headers, paging."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    JobLostError,
    NotFoundError,
    ProviderError,
    ProviderFault,
    ScopeError,
    UnexpectedResponse,
)
from bot.providers.alohub import AlohubClient, BulkContact, QueueUpdate
from bot.providers.capabilities import Capability
from bot.providers.retry import RetryPolicy
from tests.conftest import mock_http
from tests.providers.scripted import Script, Sleeps, alohub_connection, envelope, failure

KEY = "ak-live-0123456789"

QUEUE = {
    "callinId": 7,
    "callinName": "CSKH",
    "strategy": 1,
    "musicinQueue": "moh.wav",
    "timeWait": "60",
    "agentSelector": "round_robin",
    "nguongRanhRoi": "1",
    "callinNumber": "02873001234",
}


def client(script: Script, sleeps: Sleeps | None = None, **conn: Any) -> AlohubClient:
    return AlohubClient(
        alohub_connection(**conn),
        http=mock_http(script),
        retry=RetryPolicy(rng=random.Random(7), max_attempts=2),
        sleep=sleeps or Sleeps(),
    )


def contact(n: int, status: int = 0) -> dict[str, Any]:
    return {
        "contactId": n,
        "customerId": 9000 + n,
        "phoneNumber": f"09123450{n:02d}",
        "name": None,
        "processStatus": status,
        "callStatus": None,
    }


# Every error Alohub documents, with what the error carries


@pytest.mark.parametrize(
    ("status", "code", "message", "expected", "retryable"),
    [
        (401, "UNAUTHORIZED", "Invalid API key", AuthError, False),
        (403, "INSUFFICIENT_SCOPE", "Missing scope: queue", ScopeError, False),
        (400, "INVALID_INPUT", "phoneNumber is required", InvalidInputError, False),
        (400, "INVALID_STATE", "Contact is not pending", InvalidStateError, False),
        (404, "NOT_FOUND", "Campaign not found", NotFoundError, False),
        (500, "FAIL", "Internal server error", ProviderFault, True),
    ],
)
async def test_each_documented_error_becomes_its_class_with_what_alohub_said(
    status: int, code: str, message: str, expected: type[ProviderError], retryable: bool
) -> None:
    script = Script(failure(status, code, message))
    async with client(script) as alohub:
        with pytest.raises(expected) as caught:
            await alohub.delete_contact(1001, 42)
    error = caught.value
    assert type(error) is expected
    assert (error.provider, error.connection) == ("alohub", "alohub-main")
    assert (error.status, error.code, error.message) == (status, code, message)
    assert error.retryable is retryable


async def test_the_scope_error_names_the_missing_scope() -> None:
    script = Script(failure(403, "INSUFFICIENT_SCOPE", "API key lacks scope: queue"))
    async with client(script) as alohub:
        with pytest.raises(ScopeError, match="queue"):
            await alohub.queues_page()


async def test_a_500_on_a_read_is_retried_then_succeeds() -> None:
    script = Script(failure(500, "FAIL", "Internal server error"), httpx.Response(200, json=QUEUE))
    async with client(script) as alohub:
        queue = await alohub.queue(7)
    assert queue.callin_id == 7
    assert len(script.requests) == 2


async def test_a_lost_import_job_answers_404_and_becomes_job_lost() -> None:
    script = Script(failure(404, "NOT_FOUND", "Import job not found"))
    async with client(script) as alohub:
        with pytest.raises(JobLostError) as caught:
            await alohub.import_job(1001, 77)
    error = caught.value
    assert isinstance(error, NotFoundError)  # callers that only know "not found" still work
    assert (error.provider, error.connection) == ("alohub", "alohub-main")
    assert (error.status, error.code, error.message) == (404, "NOT_FOUND", "Import job not found")
    assert error.retryable is False
    assert len(script.requests) == 1


async def test_a_lost_import_job_without_a_body_still_names_the_job() -> None:
    script = Script(httpx.Response(404))
    async with client(script) as alohub:
        with pytest.raises(JobLostError, match="77") as caught:
            await alohub.import_job(1001, 77)
    assert (caught.value.status, caught.value.code) == (404, None)


async def test_429_with_retry_after_waits_then_succeeds() -> None:
    limited = failure(
        429,
        "RATE_LIMIT_EXCEEDED",
        "Rate limit exceeded",
        **{
            "Retry-After": "2",
            "X-RateLimit-Limit-Tenant": "50",
            "X-RateLimit-Remaining-Tenant": "0",
        },
    )
    script, sleeps = (
        Script(limited, httpx.Response(200, json=envelope([QUEUE], totalRecord=1))),
        Sleeps(),
    )
    async with client(script, sleeps) as alohub:
        page = await alohub.queues_page()
    assert [q.callin_id for q in page.items] == [7]
    assert sleeps.delays == [2.0]
    assert len(script.requests) == 2


async def test_malformed_json_on_200_is_an_unexpected_response_not_retried() -> None:
    script = Script(
        httpx.Response(
            200, text='{"success": "1", "data": [', headers={"Content-Type": "application/json"}
        )
    )
    async with client(script) as alohub:
        with pytest.raises(UnexpectedResponse) as caught:
            await alohub.contact_lists(1001)
    error = caught.value
    assert (error.provider, error.connection) == ("alohub", "alohub-main")
    assert (error.status, error.code, error.message) == (200, None, "the answer is not JSON")
    assert error.retryable is False
    assert len(script.requests) == 1


async def test_http_200_with_success_0_is_an_error() -> None:
    body = {"success": "0", "error_code": "INVALID_INPUT", "error_message": "size too large"}
    script = Script(httpx.Response(200, json=body))
    async with client(script) as alohub:
        with pytest.raises(InvalidInputError) as caught:
            await alohub.contacts_page(1001, 501, size=10_000)
    error = caught.value
    assert (error.provider, error.connection) == ("alohub", "alohub-main")
    assert (error.status, error.code, error.message) == (200, "INVALID_INPUT", "size too large")
    assert error.retryable is False


async def test_http_200_with_success_0_and_fail_is_a_retryable_fault() -> None:
    body = {"success": "0", "error_code": "FAIL", "error_message": "database busy"}
    script = Script(httpx.Response(200, json=body))
    async with client(script) as alohub:
        with pytest.raises(ProviderFault) as caught:
            await alohub.add_contact(1001, "0912345678")
    assert (caught.value.status, caught.value.code, caught.value.retryable) == (200, "FAIL", True)
    assert len(script.requests) == 1  # a creating POST is still not repeated


async def test_http_200_with_success_0_and_an_unknown_code_is_unexpected() -> None:
    body = {"success": "0", "error_code": "QUOTA_GONE", "error_message": "?"}
    async with client(Script(httpx.Response(200, json=body))) as alohub:
        with pytest.raises(UnexpectedResponse) as caught:
            await alohub.contact_lists(1001)
    assert (caught.value.code, caught.value.message) == ("QUOTA_GONE", "?")


@pytest.mark.parametrize(
    "body",
    [
        [1, 2, 3],
        {"success": "1", "data": {"not": "a list"}},
        {"success": "1", "data": [{"listName": "no id"}]},
    ],
    ids=["not-an-object", "data-not-a-list", "record-missing-id"],
)
async def test_an_answer_of_an_unknown_shape_is_unexpected_not_a_crash(body: Any) -> None:
    async with client(Script(httpx.Response(200, json=body))) as alohub:
        with pytest.raises(UnexpectedResponse) as caught:
            await alohub.contact_lists(1001)
    assert caught.value.connection == "alohub-main"


async def test_an_import_job_of_an_unknown_status_is_unexpected() -> None:
    job = {"jobId": 77, "status": "exploded", "totalRows": 1}
    async with client(Script(httpx.Response(200, json=job))) as alohub:
        with pytest.raises(UnexpectedResponse):
            await alohub.import_job(1001, 77)


# Queue updates are checked before anything is sent


@pytest.mark.parametrize(
    ("update", "field"),
    [
        (QueueUpdate(), None),
        (QueueUpdate(strategy=5), "strategy"),
        (QueueUpdate(strategy=0), "strategy"),
        (QueueUpdate(strategy="vip"), "strategy"),
        (QueueUpdate(strategy=True), "strategy"),
        (QueueUpdate(max_wait_sec="30s"), "max_wait_sec"),
        (QueueUpdate(max_wait_sec="-5"), "max_wait_sec"),
        (QueueUpdate(max_wait_sec=""), "max_wait_sec"),
        (QueueUpdate(max_wait_sec="٣٠"), "max_wait_sec"),  # Arabic-Indic digits: isdigit() says yes
        (QueueUpdate(max_wait_sec=-5), "max_wait_sec"),
        (QueueUpdate(announce_position="yes"), "announce_position"),
        (QueueUpdate(announce_position="2"), "announce_position"),
        (QueueUpdate(announce_position=2), "announce_position"),
    ],
)
async def test_an_invalid_queue_update_is_refused_before_sending(
    update: QueueUpdate, field: str | None
) -> None:
    script = Script(httpx.Response(200, json=envelope()))
    async with client(script) as alohub:
        with pytest.raises(InvalidInputError) as caught:
            await alohub.update_queue(7, update)
    assert script.requests == [], "nothing may reach the provider"
    error = caught.value
    assert (error.provider, error.connection, error.code) == (
        "alohub",
        "alohub-main",
        "INVALID_INPUT",
    )
    assert error.field == field
    assert error.status is None
    assert error.retryable is False


@pytest.mark.parametrize(
    ("update", "sent"),
    [
        (QueueUpdate(strategy=99), {"strategy": 99}),
        (QueueUpdate(strategy="2"), {"strategy": 2}),
        (QueueUpdate(max_wait_sec="120"), {"max_wait_sec": "120"}),
        (QueueUpdate(max_wait_sec=0), {"max_wait_sec": "0"}),
        (QueueUpdate(moh_file_id="hold.wav"), {"moh_file_id": "hold.wav"}),
        (QueueUpdate(announce_position="1"), {"announce_position": "1"}),
        (QueueUpdate(announce_position=False), {"announce_position": "0"}),
        (
            QueueUpdate(strategy=1, max_wait_sec="30", moh_file_id="m", announce_position="0"),
            {"strategy": 1, "max_wait_sec": "30", "moh_file_id": "m", "announce_position": "0"},
        ),
    ],
)
async def test_a_valid_queue_update_sends_the_providers_types(
    update: QueueUpdate, sent: dict[str, Any]
) -> None:
    ok = httpx.Response(200, json=envelope(error_message="Inbound queue updated successfully"))
    script = Script(ok)
    async with client(script) as alohub:
        message = await alohub.update_queue(7, update)
    assert message == "Inbound queue updated successfully"
    assert script.paths == ["PUT /api/v1/queues/inbound/7"]
    assert script.body() == sent


async def test_the_provider_refusing_a_queue_update_names_its_reason() -> None:
    script = Script(failure(400, "INVALID_INPUT", "moh_file_id does not exist"))
    async with client(script) as alohub:
        with pytest.raises(InvalidInputError, match="moh_file_id does not exist"):
            await alohub.update_queue(7, QueueUpdate(moh_file_id="nope.wav"))


# Headers


async def test_every_request_carries_the_key_twice_and_the_tenant_when_configured() -> None:
    script = Script(httpx.Response(200, json=envelope([])))
    async with client(script, tenant_id="20260310") as alohub:
        await alohub.contact_lists(1001)
        await alohub.queues_page()
    for request in script.requests:
        assert request.headers["Authorization"] == KEY  # the raw key, no "Bearer"
        assert request.headers["X-Api-Key"] == KEY
        assert request.headers["X-Tenant-ID"] == "20260310"


async def test_no_tenant_header_is_sent_when_none_is_configured() -> None:
    script = Script(httpx.Response(200, json=envelope([])))
    async with client(script) as alohub:
        await alohub.contact_lists(1001)
    assert "X-Tenant-ID" not in script.requests[0].headers
    assert script.requests[0].headers["Authorization"] == KEY


# Endpoints: paths, bodies, models


async def test_contact_lists_are_read_from_the_campaign() -> None:
    lists = [{"listId": 501, "listName": "Tháng 3", "contactCount": 120, "color": "red"}]
    script = Script(httpx.Response(200, json=envelope(lists, totalRecord=1)))
    async with client(script) as alohub:
        (found,) = await alohub.contact_lists(1001)
    assert script.paths == ["GET /api/v1/campaigns/1001/contact-lists"]
    assert (found.list_id, found.list_name, found.contact_count) == (501, "Tháng 3", 120)
    assert found.model_extra == {"color": "red"}  # unknown fields kept, not rejected


async def test_contacts_are_iterated_across_pages_counted_from_zero() -> None:
    everyone = [contact(n, status=n % 3) for n in range(7)]

    def pages(request: httpx.Request) -> httpx.Response:
        page, size = int(request.url.params["page"]), int(request.url.params["size"])
        chunk = everyone[page * size : (page + 1) * size]
        return httpx.Response(200, json=envelope(chunk, totalRecord=len(everyone)))

    script = Script(pages)
    async with client(script) as alohub:
        seen = [c async for c in alohub.contacts(1001, 501, size=3)]
    assert [c.contact_id for c in seen] == list(range(7))
    assert [c.process_status for c in seen] == [0, 1, 2, 0, 1, 2, 0]
    assert script.paths == [
        "GET /api/v1/campaigns/1001/contact-lists/501/contacts?page=0&size=3",
        "GET /api/v1/campaigns/1001/contact-lists/501/contacts?page=1&size=3",
        "GET /api/v1/campaigns/1001/contact-lists/501/contacts?page=2&size=3",
    ]


async def test_iteration_stops_at_a_short_page_when_no_total_is_given() -> None:
    answers = [
        httpx.Response(200, json=envelope([contact(1), contact(2)])),
        httpx.Response(200, json=envelope([contact(3)])),
    ]
    script = Script(*answers)
    async with client(script) as alohub:
        seen = [c.contact_id async for c in alohub.contacts(1001, 501, size=2)]
    assert seen == [1, 2, 3]
    assert len(script.requests) == 2


async def test_a_contacts_page_knows_its_neighbours() -> None:
    script = Script(httpx.Response(200, json=envelope([contact(3), contact(4)], totalRecord=5)))
    async with client(script) as alohub:
        page = await alohub.contacts_page(1001, 501, page=1, size=2)
    assert (page.index, page.size, page.total, page.pages) == (1, 2, 5, 3)
    assert page.has_previous and page.has_next


async def test_queues_are_iterated_across_pages() -> None:
    queues = [{**QUEUE, "callinId": n} for n in range(5)]

    def pages(request: httpx.Request) -> httpx.Response:
        page, size = int(request.url.params["page"]), int(request.url.params["size"])
        return httpx.Response(
            200, json=envelope(queues[page * size : (page + 1) * size], totalRecord=5)
        )

    async with client(Script(pages)) as alohub:
        assert [q.callin_id async for q in alohub.queues(size=2)] == [0, 1, 2, 3, 4]


async def test_add_contact_sends_only_the_fields_given() -> None:
    ok = httpx.Response(200, json=envelope(error_message="Contact added to list 501"))
    script = Script(ok)
    async with client(script) as alohub:
        assert await alohub.add_contact(1001, "0912345678") == "Contact added to list 501"
        await alohub.add_contact(1001, "0912345679", name="Nguyễn Văn A", list_id=502)
    assert script.paths == ["POST /api/v1/campaigns/1001/contacts"] * 2
    assert script.body(0) == {"phoneNumber": "0912345678"}
    assert script.body(1) == {"phoneNumber": "0912345679", "name": "Nguyễn Văn A", "listId": 502}


async def test_bulk_import_starts_a_job() -> None:
    started = envelope(error_message="Bulk import started", job_id=77, total_rows=2)
    script = Script(httpx.Response(200, json=started))
    rows = [
        BulkContact(phone_number="0912345678", name="A"),
        BulkContact(phone_number="0912345679"),
    ]
    async with client(script) as alohub:
        job = await alohub.bulk_import(1001, rows, list_name="Tháng 3")
    assert (job.job_id, job.total_rows, job.message) == (77, 2, "Bulk import started")
    assert script.paths == ["POST /api/v1/campaigns/1001/contacts/bulk"]
    assert script.body() == {
        "contacts": [{"phoneNumber": "0912345678", "name": "A"}, {"phoneNumber": "0912345679"}],
        "listName": "Tháng 3",
    }


async def test_an_import_job_is_read_as_a_bare_object() -> None:
    job = {
        "jobId": 77,
        "status": "done",
        "totalRows": 3,
        "processedRows": 2,
        "failedRows": 0,
        "duplicateRows": 1,
        "errorMessage": None,
    }
    script = Script(httpx.Response(200, json=job))
    async with client(script) as alohub:
        state = await alohub.import_job(1001, 77)
    assert script.paths == ["GET /api/v1/campaigns/1001/contacts/import/77"]
    assert state.finished
    assert (state.total_rows, state.processed_rows, state.duplicate_rows) == (3, 2, 1)


async def test_an_import_job_in_progress_is_not_finished() -> None:
    job = {"jobId": 77, "status": "processing", "totalRows": 3, "processedRows": 1}
    async with client(Script(httpx.Response(200, json=job))) as alohub:
        assert not (await alohub.import_job(1001, 77)).finished


async def test_delete_contact_returns_the_providers_sentence() -> None:
    ok = httpx.Response(200, json=envelope(error_message="Contact deleted successfully"))
    script = Script(ok)
    async with client(script) as alohub:
        assert await alohub.delete_contact(1001, 42) == "Contact deleted successfully"
    assert script.paths == ["DELETE /api/v1/campaigns/1001/contacts/42"]


async def test_a_queue_is_read_bare_or_wrapped() -> None:
    answers = [httpx.Response(200, json=QUEUE), httpx.Response(200, json=envelope(QUEUE))]
    async with client(Script(*answers)) as alohub:
        for _ in answers:
            queue = await alohub.queue(7)
            assert (queue.callin_id, queue.strategy, queue.time_wait) == (7, 1, "60")
            assert (queue.music_in_queue, queue.announce_position) == ("moh.wav", "1")


async def test_a_queue_with_a_numeric_wait_and_nulls_is_accepted() -> None:
    sparse = {"callinId": 8, "callinName": "VIP", "strategy": None, "timeWait": 30}
    async with client(Script(httpx.Response(200, json=sparse))) as alohub:
        queue = await alohub.queue(8)
    assert (queue.strategy, queue.time_wait, queue.callin_number) == (None, "30", None)


async def test_check_reads_one_queue() -> None:
    script = Script(httpx.Response(200, json=envelope([QUEUE], totalRecord=1)))
    async with client(script) as alohub:
        await alohub.check()
    assert script.paths == ["GET /api/v1/queues/inbound?page=0&size=1"]


async def test_check_with_a_rejected_key_raises_auth_error() -> None:
    async with client(Script(failure(401, "UNAUTHORIZED", "Invalid API key"))) as alohub:
        with pytest.raises(AuthError):
            await alohub.check()


def test_alohub_can_do_queues_but_not_crm_contacts() -> None:
    alohub = client(Script(httpx.Response(200)))
    assert Capability.QUEUES in alohub.capabilities
    alohub.require(Capability.BULK_IMPORT)
    with pytest.raises(Exception, match="omicall"):
        alohub.require(Capability.CRM_CONTACTS)
