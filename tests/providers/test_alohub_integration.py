"""The Alohub client against the sandbox over real HTTP: every endpoint, every refusal."""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import AlohubConnection, Config
from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    JobLostError,
    NotFoundError,
    ProviderConnectionError,
    ProviderFault,
    ProviderTimeout,
    ScopeError,
    UnexpectedResponse,
)
from bot.providers.alohub import (
    AlohubClient,
    BulkContact,
    CampaignContact,
    ImportJob,
    QueueUpdate,
)
from bot.providers.registry import build_client
from bot.providers.retry import RetryPolicy
from tests.conftest import make_config

CAMPAIGN = 101  # two lists: 501 (150 contacts) and 502 (30)
LIST = 501
QUEUE = 1001201  # the first of our tenant's 25 queues
OTHER_TENANT_QUEUE = 1009001
OTHER_TENANT_CAMPAIGN = 999
FAST_RETRY = RetryPolicy(base_delay=0.01, max_delay=0.05, rng=random.Random(7))


def connection(sandbox: Any, **fields: Any) -> AlohubConnection:
    conn = {
        "provider": "alohub",
        "base_url": sandbox.base_url("alohub"),
        "api_key": sandbox.alohub.api_key,
        "tenant_id": sandbox.alohub.tenant_id,
        **fields,
    }
    built = make_config(**{"alohub-main": conn}).connections["alohub-main"]
    assert isinstance(built, AlohubConnection)
    return built


@pytest.fixture
async def alohub(sandbox_config: Config) -> AsyncIterator[AlohubClient]:
    """The client of the sandbox's ``alohub-main`` connection, built as the bot builds it."""
    client = build_client(sandbox_config.connections["alohub-main"], retry=FAST_RETRY)
    assert isinstance(client, AlohubClient)
    async with client:
        yield client


async def poll_until_finished(
    alohub: AlohubClient, sandbox: Any, campaign: int, job_id: int
) -> tuple[ImportJob, list[str]]:
    """Poll as the job engine does; between polls the provider gets 2.5 s of its own time."""
    deadline = time.monotonic() + 10.0
    statuses: list[str] = []
    while time.monotonic() < deadline:
        job = await alohub.import_job(campaign, job_id)
        statuses.append(job.status)
        if job.finished:
            return job, statuses
        sandbox.clock.advance(2.5)
    pytest.fail(f"import job {job_id} did not finish; statuses seen: {statuses}")


async def first_contact(alohub: AlohubClient, process_status: int) -> CampaignContact:
    async for contact in alohub.contacts(CAMPAIGN, LIST):
        if contact.process_status == process_status:
            return contact
    pytest.fail(f"the demo list has no contact with processStatus {process_status}")


def new_phones(count: int, start: int = 0) -> list[str]:
    # 0339… numbers: valid Viettel mobiles that the seeded data does not use.
    return [f"03399{n:05d}" for n in range(start, start + count)]


# Campaign contacts


async def test_contact_lists_of_a_campaign(alohub: AlohubClient) -> None:
    lists = await alohub.contact_lists(CAMPAIGN)
    assert [(cl.list_id, cl.list_name, cl.contact_count) for cl in lists] == [
        (501, "Danh sách tháng 4", 150),
        (502, "Default List", 30),
    ]


async def test_a_contacts_page_counts_from_zero(alohub: AlohubClient) -> None:
    first = await alohub.contacts_page(CAMPAIGN, LIST, page=0, size=20)
    second = await alohub.contacts_page(CAMPAIGN, LIST, page=1, size=20)
    assert (first.total, first.pages, len(first.items)) == (150, 8, 20)
    assert first.has_next and not first.has_previous
    assert {c.contact_id for c in first.items}.isdisjoint(c.contact_id for c in second.items)
    assert all(c.process_status in (0, 1, 2) for c in first.items)


async def test_iterating_a_list_yields_every_contact_once(alohub: AlohubClient) -> None:
    seen = [c async for c in alohub.contacts(CAMPAIGN, LIST, size=40)]
    assert len(seen) == 150
    assert len({c.contact_id for c in seen}) == 150


async def test_an_added_contact_lands_in_the_first_list(alohub: AlohubClient) -> None:
    (phone,) = new_phones(1)
    message = await alohub.add_contact(CAMPAIGN, phone, name="Nguyễn Thị Lan")
    assert message == "Contact added to list 501"
    added = [c async for c in alohub.contacts(CAMPAIGN, LIST) if c.phone_number == phone]
    assert [(c.name, c.process_status) for c in added] == [("Nguyễn Thị Lan", 0)]


async def test_an_added_contact_goes_to_the_list_asked_for(alohub: AlohubClient) -> None:
    (phone,) = new_phones(1, start=1)
    assert await alohub.add_contact(CAMPAIGN, phone, list_id=502) == "Contact added to list 502"


async def test_a_campaign_without_lists_gets_a_default_list(alohub: AlohubClient) -> None:
    (phone,) = new_phones(1, start=2)
    await alohub.add_contact(103, phone)
    assert [cl.list_name for cl in await alohub.contact_lists(103)] == ["Default List"]


async def test_an_invalid_phone_is_refused_with_the_providers_reason(alohub: AlohubClient) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await alohub.add_contact(CAMPAIGN, "12")
    assert (caught.value.status, caught.value.code) == (400, "INVALID_INPUT")
    assert "phoneNumber" in caught.value.message


async def test_a_bulk_import_runs_to_done_and_counts_duplicates(
    alohub: AlohubClient, sandbox: Any
) -> None:
    sandbox.alohub.rows_per_second = 2.0  # slow enough to be seen working
    existing = (await alohub.contacts_page(CAMPAIGN, LIST, size=1)).items[0].phone_number
    rows = [BulkContact(phone_number=p, name=f"KH {i}") for i, p in enumerate(new_phones(5, 10))]
    rows.append(BulkContact(phone_number=existing))

    started = await alohub.bulk_import(CAMPAIGN, rows, list_name="DS tháng 5")
    job, statuses = await poll_until_finished(alohub, sandbox, CAMPAIGN, started.job_id)

    assert started.total_rows == 6
    assert statuses[0] == "pending" and "processing" in statuses and statuses[-1] == "done"
    assert (job.total_rows, job.processed_rows) == (6, 6)
    assert (job.duplicate_rows, job.failed_rows) == (1, 0)  # a duplicate is not an error
    new_list = (await alohub.contact_lists(CAMPAIGN))[-1]
    assert (new_list.list_name, new_list.contact_count) == ("DS tháng 5", 5)


async def test_resubmitting_a_bulk_import_adds_nothing_twice(
    alohub: AlohubClient, sandbox: Any
) -> None:
    rows = [BulkContact(phone_number=p) for p in new_phones(4, 20)]
    first = await alohub.bulk_import(CAMPAIGN, rows)
    await poll_until_finished(alohub, sandbox, CAMPAIGN, first.job_id)
    again = await alohub.bulk_import(CAMPAIGN, rows)
    job, _ = await poll_until_finished(alohub, sandbox, CAMPAIGN, again.job_id)
    assert job.duplicate_rows == 4


async def test_a_restarted_provider_has_lost_the_job(alohub: AlohubClient, sandbox: Any) -> None:
    sandbox.alohub.rows_per_second = 0.001
    started = await alohub.bulk_import(CAMPAIGN, [BulkContact(phone_number=new_phones(1, 30)[0])])
    assert (await alohub.import_job(CAMPAIGN, started.job_id)).status == "pending"

    sandbox.alohub.restart()

    with pytest.raises(JobLostError) as caught:
        await alohub.import_job(CAMPAIGN, started.job_id)
    assert (caught.value.connection, caught.value.status) == ("alohub-main", 404)
    assert str(started.job_id) in caught.value.message


async def test_a_pending_contact_can_be_deleted(alohub: AlohubClient) -> None:
    pending = await first_contact(alohub, process_status=0)
    assert await alohub.delete_contact(CAMPAIGN, pending.contact_id) == (
        "Contact deleted successfully"
    )
    remaining = {c.contact_id async for c in alohub.contacts(CAMPAIGN, LIST)}
    assert pending.contact_id not in remaining


async def test_a_processed_contact_cannot_be_deleted_and_says_why(alohub: AlohubClient) -> None:
    processed = await first_contact(alohub, process_status=2)
    with pytest.raises(InvalidStateError) as caught:
        await alohub.delete_contact(CAMPAIGN, processed.contact_id)
    error = caught.value
    assert (error.connection, error.status, error.code) == ("alohub-main", 400, "INVALID_STATE")
    assert "pending" in error.message
    assert error.retryable is False


async def test_deleting_an_unknown_contact_is_not_found(alohub: AlohubClient) -> None:
    with pytest.raises(NotFoundError):
        await alohub.delete_contact(CAMPAIGN, 1)


async def test_another_tenants_campaign_is_not_found(alohub: AlohubClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await alohub.contact_lists(OTHER_TENANT_CAMPAIGN)
    assert (caught.value.status, caught.value.code) == (404, "NOT_FOUND")


# Inbound queues


async def test_queues_are_listed_page_by_page_and_iterated(alohub: AlohubClient) -> None:
    page = await alohub.queues_page(0, size=20)
    assert (page.total, len(page.items), page.has_next) == (25, 20, True)
    every = [q.callin_id async for q in alohub.queues(size=10)]
    assert every == list(range(QUEUE, QUEUE + 25))
    assert OTHER_TENANT_QUEUE not in every


async def test_a_queue_is_shown(alohub: AlohubClient) -> None:
    queue = await alohub.queue(QUEUE)
    assert queue.callin_id == QUEUE
    assert queue.callin_name.startswith("Tổng đài CSKH")
    assert queue.strategy in (1, 2, 3, 4, 99, None)


async def test_a_queue_update_is_applied(alohub: AlohubClient) -> None:
    update = QueueUpdate(
        strategy=2, max_wait_sec="45", moh_file_id="nhac-cho.wav", announce_position="1"
    )
    assert await alohub.update_queue(QUEUE, update) == "Inbound queue updated successfully"
    queue = await alohub.queue(QUEUE)
    assert (
        queue.strategy,
        queue.time_wait,
        queue.music_in_queue,
        str(queue.announce_position),
    ) == (
        2,
        "45",
        "nhac-cho.wav",
        "1",
    )


async def test_an_invalid_queue_update_never_reaches_the_provider(
    alohub: AlohubClient, sandbox: Any
) -> None:
    before = len(sandbox.requests("alohub"))
    with pytest.raises(InvalidInputError):
        await alohub.update_queue(QUEUE, QueueUpdate(strategy=7))
    assert len(sandbox.requests("alohub")) == before


async def test_another_tenants_queue_is_not_found(alohub: AlohubClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await alohub.queue(OTHER_TENANT_QUEUE)
    assert (caught.value.connection, caught.value.status) == ("alohub-main", 404)


# Credentials


async def test_every_request_carries_the_key_and_the_tenant(
    alohub: AlohubClient, sandbox: Any
) -> None:
    await alohub.check()
    (request,) = sandbox.requests("alohub")
    key = sandbox.alohub.api_key
    assert (request.headers["Authorization"], request.headers["X-Api-Key"]) == (key, key)
    assert request.headers["X-Tenant-ID"] == sandbox.alohub.tenant_id


async def test_a_campaign_only_key_reads_contacts_but_not_queues(sandbox: Any) -> None:
    conn = connection(sandbox, api_key=sandbox.alohub.campaign_only_key)
    async with AlohubClient(conn, retry=FAST_RETRY) as alohub:
        assert await alohub.contact_lists(CAMPAIGN)
        with pytest.raises(ScopeError) as caught:
            await alohub.queues_page()
    error = caught.value
    assert (error.connection, error.status, error.code) == (
        "alohub-main",
        403,
        "INSUFFICIENT_SCOPE",
    )
    assert "queue" in error.message
    assert error.retryable is False


async def test_a_wrong_key_is_rejected_once_and_not_retried(sandbox: Any) -> None:
    async with AlohubClient(
        connection(sandbox, api_key="sk_live_wrong"), retry=FAST_RETRY
    ) as alohub:
        with pytest.raises(AuthError) as caught:
            await alohub.check()
    error = caught.value
    assert (error.connection, error.status, error.code) == ("alohub-main", 401, "UNAUTHORIZED")
    assert error.retryable is False
    assert len(sandbox.requests("alohub")) == 1


async def test_a_key_without_a_tenant_header_still_works(sandbox: Any) -> None:
    async with AlohubClient(connection(sandbox, tenant_id=None), retry=FAST_RETRY) as alohub:
        await alohub.check()
    assert "X-Tenant-ID" not in sandbox.requests("alohub")[0].headers


async def test_a_wrong_tenant_is_rejected(sandbox: Any) -> None:
    async with AlohubClient(connection(sandbox, tenant_id="19990101"), retry=FAST_RETRY) as alohub:
        with pytest.raises(AuthError):
            await alohub.check()


# Faults


async def test_a_flaky_provider_is_retried_until_it_answers(
    alohub: AlohubClient, sandbox: Any
) -> None:
    sandbox.faults("alohub").error_ratio = 0.5
    for _ in range(5):
        assert (await alohub.queue(QUEUE)).callin_id == QUEUE
    statuses = [r.status for r in sandbox.requests("alohub")]
    assert 500 in statuses, "the seeded faults should have hit at least once"
    assert statuses.count(200) == 5


async def test_a_provider_that_keeps_failing_is_reported_as_a_fault(
    alohub: AlohubClient, sandbox: Any
) -> None:
    sandbox.faults("alohub").error_ratio = 1.0
    with pytest.raises(ProviderFault) as caught:
        await alohub.contact_lists(CAMPAIGN)
    assert (caught.value.status, caught.value.code, caught.value.retryable) == (500, "FAIL", True)
    assert len(sandbox.requests("alohub")) == FAST_RETRY.max_attempts


async def test_a_failing_provider_does_not_get_a_creating_post_twice(
    alohub: AlohubClient, sandbox: Any
) -> None:
    sandbox.faults("alohub").error_ratio = 1.0
    with pytest.raises(ProviderFault):
        await alohub.add_contact(CAMPAIGN, new_phones(1, 40)[0])
    assert len(sandbox.requests("alohub")) == 1


async def test_a_malformed_answer_is_unexpected(alohub: AlohubClient, sandbox: Any) -> None:
    sandbox.faults("alohub").malformed = True
    with pytest.raises(UnexpectedResponse) as caught:
        await alohub.contact_lists(CAMPAIGN)
    assert caught.value.message == "the answer is not JSON"


async def test_a_provider_slower_than_the_read_timeout_times_out(sandbox: Any) -> None:
    sandbox.faults("alohub").latency = 1.0
    policy = RetryPolicy(max_attempts=2, base_delay=0.01, rng=random.Random(7))
    async with AlohubClient(connection(sandbox, read_timeout=0.2), retry=policy) as alohub:
        with pytest.raises(ProviderTimeout) as caught:
            await alohub.contact_lists(CAMPAIGN)
    assert (caught.value.connection, caught.value.retryable) == ("alohub-main", True)


async def test_a_provider_that_is_down_is_a_connection_error(sandbox: Any) -> None:
    conn = connection(sandbox)
    await sandbox.stop()
    policy = RetryPolicy(max_attempts=2, base_delay=0.01, rng=random.Random(7))
    async with AlohubClient(conn, retry=policy) as alohub:
        with pytest.raises(ProviderConnectionError) as caught:
            await alohub.check()
    assert (caught.value.connection, caught.value.status) == ("alohub-main", None)
