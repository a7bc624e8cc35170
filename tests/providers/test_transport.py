"""The shared transport: network failures translated once, and the retry loop (no real sleep)."""

from __future__ import annotations

import logging
import random
from typing import Any

import httpx
import pytest

from bot.config import RateLimit
from bot.errors import (
    InvalidInputError,
    NotFoundError,
    ProviderConnectionError,
    ProviderError,
    ProviderFault,
    ProviderTimeout,
    RateLimitedError,
    UnexpectedResponse,
)
from bot.providers.alohub import AlohubClient, BulkContact, QueueUpdate
from bot.providers.ratelimit import SlidingWindowLimiter
from bot.providers.retry import RetryPolicy
from bot.providers.transport import Transport, error_for_status
from tests.conftest import mock_http
from tests.providers.scripted import Script, Sleeps, alohub_connection, envelope, failure

OK = httpx.Response(200, json=envelope([]))
ADDED = httpx.Response(200, json=envelope(error_message="Contact added to list 501"))
BULK_STARTED = httpx.Response(
    200, json=envelope(error_message="Bulk import started", job_id=77, total_rows=1)
)


def refused() -> httpx.ConnectError:
    return httpx.ConnectError("[Errno 111] Connection refused")


def read_timeout() -> httpx.ReadTimeout:
    return httpx.ReadTimeout("timed out")


def alohub(script: Script, sleeps: Sleeps, **policy: Any) -> AlohubClient:
    return AlohubClient(
        alohub_connection(),
        http=mock_http(script),
        retry=RetryPolicy(rng=random.Random(7), **policy),
        sleep=sleeps,
    )


def bare_transport(
    script: Script,
    sleeps: Sleeps,
    interpret: Any = None,
    retry: RetryPolicy | None = None,
    **options: Any,
) -> Transport:
    return Transport(
        provider="alohub",
        connection="alohub-main",
        base_url="https://xapi.test/api",
        interpret=interpret or (lambda response, body: body),
        http=mock_http(script),
        retry=retry or RetryPolicy(rng=random.Random(7)),
        sleep=sleeps,
        **options,
    )


def assert_error(
    error: ProviderError,
    *,
    status: int | None,
    code: str | None,
    retryable: bool,
    message: str | None = None,
) -> None:
    assert error.provider == "alohub"
    assert error.connection == "alohub-main"
    assert error.status == status
    assert error.code == code
    assert error.retryable is retryable
    if message is not None:
        assert error.message == message


# Network failures


async def test_connection_refused_on_a_read_is_retried_then_succeeds() -> None:
    script, sleeps = Script(refused(), refused(), OK), Sleeps()
    async with alohub(script, sleeps) as client:
        assert await client.contact_lists(1001) == []
    assert len(script.requests) == 3
    assert len(sleeps.delays) == 2


async def test_connection_refused_every_time_gives_up_after_the_attempt_cap() -> None:
    script, sleeps = Script(refused()), Sleeps()
    async with alohub(script, sleeps, max_attempts=4) as client:
        with pytest.raises(ProviderConnectionError) as caught:
            await client.contact_lists(1001)
    assert_error(caught.value, status=None, code=None, retryable=True, message="ConnectError")
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert len(script.requests) == 4


async def test_read_timeout_on_a_read_is_retried_then_succeeds() -> None:
    script, sleeps = Script(read_timeout(), OK), Sleeps()
    async with alohub(script, sleeps) as client:
        assert await client.contact_lists(1001) == []
    assert len(script.requests) == 2


async def test_read_timeout_every_time_raises_provider_timeout() -> None:
    script, sleeps = Script(read_timeout()), Sleeps()
    async with alohub(script, sleeps, max_attempts=2) as client:
        with pytest.raises(ProviderTimeout) as caught:
            await client.contact_lists(1001)
    assert_error(caught.value, status=None, code=None, retryable=True, message="ReadTimeout")
    assert len(script.requests) == 2


@pytest.mark.parametrize(
    ("failure_", "expected"),
    [
        (httpx.ConnectTimeout("connect timed out"), ProviderConnectionError),
        (httpx.PoolTimeout("no free connection"), ProviderConnectionError),
        (httpx.WriteTimeout("write timed out"), ProviderTimeout),
        (httpx.ReadError("connection reset by peer"), ProviderTimeout),
        (httpx.RemoteProtocolError("server disconnected"), ProviderTimeout),
        (httpx.UnsupportedProtocol("ftp"), ProviderConnectionError),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else v.__name__,
)
async def test_every_httpx_failure_becomes_one_of_our_errors(
    failure_: Exception, expected: type[ProviderError]
) -> None:
    script = Script(failure_)
    transport = bare_transport(script, Sleeps(), retry=RetryPolicy(max_attempts=1))
    with pytest.raises(expected) as caught:
        await transport.call("GET", "/v1/queues/inbound")
    assert type(caught.value) is expected
    assert caught.value.__cause__ is failure_


# The retry loop: what a creating POST may and may not repeat


async def test_add_contact_is_not_resent_after_a_timeout() -> None:
    script, sleeps = Script(read_timeout(), ADDED), Sleeps()
    async with alohub(script, sleeps) as client:
        with pytest.raises(ProviderTimeout):
            await client.add_contact(1001, "0912345678")
    assert len(script.requests) == 1, "the provider may have added it: never send it twice"
    assert sleeps.delays == []


async def test_add_contact_is_not_resent_after_a_500() -> None:
    script, sleeps = Script(failure(500, "FAIL", "Internal error"), ADDED), Sleeps()
    async with alohub(script, sleeps) as client:
        with pytest.raises(ProviderFault) as caught:
            await client.add_contact(1001, "0912345678")
    assert_error(caught.value, status=500, code="FAIL", retryable=True)
    assert len(script.requests) == 1


async def test_add_contact_is_resent_after_a_429_once_retry_after_has_passed() -> None:
    script = Script(failure(429, "RATE_LIMIT_EXCEEDED", "Too many", **{"Retry-After": "3"}), ADDED)
    sleeps = Sleeps()
    async with alohub(script, sleeps) as client:
        assert await client.add_contact(1001, "0912345678") == "Contact added to list 501"
    assert len(script.requests) == 2
    assert sleeps.delays == [3.0]


async def test_add_contact_is_resent_after_connection_refused() -> None:
    script, sleeps = Script(refused(), ADDED), Sleeps()
    async with alohub(script, sleeps) as client:
        assert await client.add_contact(1001, "0912345678") == "Contact added to list 501"
    assert len(script.requests) == 2
    assert script.body(0) == script.body(1) == {"phoneNumber": "0912345678"}


async def test_bulk_import_is_resent_after_a_500_because_alohub_skips_duplicates() -> None:
    script, sleeps = Script(failure(500, "FAIL", "Internal error"), BULK_STARTED), Sleeps()
    async with alohub(script, sleeps) as client:
        started = await client.bulk_import(1001, [BulkContact(phone_number="0912345678")])
    assert started.job_id == 77
    assert len(script.requests) == 2
    assert script.body(0) == script.body(1)


async def test_bulk_import_is_resent_after_a_timeout() -> None:
    script, sleeps = Script(read_timeout(), BULK_STARTED), Sleeps()
    async with alohub(script, sleeps) as client:
        assert (await client.bulk_import(1001, [BulkContact(phone_number="0912345678")])).job_id
    assert len(script.requests) == 2


async def test_a_put_is_retried_after_a_500() -> None:
    updated = httpx.Response(200, json=envelope(error_message="Inbound queue updated"))
    script, sleeps = Script(failure(502, "FAIL", "Bad gateway"), updated), Sleeps()
    async with alohub(script, sleeps) as client:
        assert await client.update_queue(7, QueueUpdate(strategy=2)) == "Inbound queue updated"
    assert len(script.requests) == 2


async def test_a_client_error_is_never_retried() -> None:
    script, sleeps = Script(failure(400, "INVALID_INPUT", "phoneNumber is required")), Sleeps()
    async with alohub(script, sleeps) as client:
        with pytest.raises(InvalidInputError):
            await client.contact_lists(1001)
    assert len(script.requests) == 1


async def test_backoff_between_5xx_retries_stays_within_its_bounds() -> None:
    script, sleeps = Script(failure(503, "FAIL", "Unavailable")), Sleeps()
    async with alohub(script, sleeps, max_attempts=4, base_delay=0.5, max_delay=8.0) as client:
        with pytest.raises(ProviderFault):
            await client.contact_lists(1001)
    assert len(sleeps.delays) == 3
    for attempt, delay in enumerate(sleeps.delays, start=1):
        assert 0.0 <= delay <= 0.5 * 2 ** (attempt - 1)


# 429


async def test_429_past_the_budget_raises_rate_limited_with_retry_after() -> None:
    script = Script(failure(429, "RATE_LIMIT_EXCEEDED", "Too many", **{"Retry-After": "4"}))
    sleeps = Sleeps()
    async with alohub(script, sleeps, max_rate_limited_attempts=3) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.contact_lists(1001)
    assert_error(
        caught.value, status=429, code="RATE_LIMIT_EXCEEDED", retryable=True, message="Too many"
    )
    assert caught.value.retry_after == 4.0
    assert len(script.requests) == 3
    assert sleeps.delays == [4.0, 4.0]


async def test_429_without_retry_after_backs_off_instead() -> None:
    script = Script(httpx.Response(429, text="slow down"), OK)
    sleeps = Sleeps()
    async with alohub(script, sleeps, base_delay=0.5) as client:
        assert await client.contact_lists(1001) == []
    assert len(sleeps.delays) == 1
    assert 0.0 <= sleeps.delays[0] <= 0.5


async def test_a_huge_retry_after_is_capped() -> None:
    limited = failure(429, "RATE_LIMIT_EXCEEDED", "Too many", **{"Retry-After": "86400"})
    script, sleeps = Script(limited, OK), Sleeps()
    async with alohub(script, sleeps, max_retry_after=60.0) as client:
        await client.contact_lists(1001)
    assert sleeps.delays == [60.0]


async def test_429s_do_not_use_up_the_tries_a_flaky_network_gets() -> None:
    limited = failure(429, "RATE_LIMIT_EXCEEDED", "Too many", **{"Retry-After": "1"})
    script = Script(limited, limited, limited, refused(), refused(), refused(), OK)
    async with alohub(script, Sleeps(), max_attempts=4) as client:
        assert await client.contact_lists(1001) == []
    assert len(script.requests) == 7


async def test_a_429_pauses_the_connections_limiter_for_retry_after() -> None:
    limited = failure(429, "RATE_LIMIT_EXCEEDED", "Too many", **{"Retry-After": "5"})
    script, sleeps = Script(limited, OK), Sleeps()
    transport = bare_transport(script, sleeps, rate_limit=RateLimit(count=100, seconds=10))
    now = [0.0]
    limiter_sleeps: list[float] = []

    async def limiter_sleep(seconds: float) -> None:
        limiter_sleeps.append(seconds)
        now[0] += seconds

    transport.limiter = SlidingWindowLimiter(100, 10.0, clock=lambda: now[0], sleep=limiter_sleep)
    await transport.call("GET", "/v1/queues/inbound")
    # The retry slept 5 s (on the injected sleep, which does not move this clock), and the
    # limiter then held the retry until 5 s had passed on its own clock too.
    assert sleeps.delays == [5.0]
    assert sum(limiter_sleeps) == pytest.approx(5.0)


# Answers that are not what they should be


async def test_a_5xx_with_an_html_body_is_a_retryable_provider_fault() -> None:
    script = Script(httpx.Response(502, text="<html>Bad Gateway</html>"), OK)
    async with alohub(script, Sleeps()) as client:
        assert await client.contact_lists(1001) == []
    assert len(script.requests) == 2


async def test_a_4xx_with_an_html_body_keeps_the_meaning_of_its_status() -> None:
    script = Script(httpx.Response(404, text="<html>Not Found</html>"))
    async with alohub(script, Sleeps()) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.contact_lists(1001)
    assert_error(
        caught.value, status=404, code=None, retryable=False, message="the answer is not JSON"
    )


async def test_an_error_status_is_an_error_even_when_interpret_finds_none() -> None:
    script = Script(httpx.Response(503, json={"whatever": True}))
    transport = bare_transport(script, Sleeps(), retry=RetryPolicy(max_attempts=1))
    with pytest.raises(ProviderFault) as caught:
        await transport.call("GET", "/v1/queues/inbound")
    assert_error(caught.value, status=503, code=None, retryable=True)


async def test_an_interpret_that_trips_on_the_shape_gives_unexpected_response() -> None:
    def interpret(response: httpx.Response, body: Any) -> Any:
        return body["data"]["missing"]

    script = Script(httpx.Response(200, json={"data": {}}))
    transport = bare_transport(script, Sleeps(), interpret=interpret)
    with pytest.raises(UnexpectedResponse) as caught:
        await transport.call("GET", "/v1/queues/inbound")
    assert_error(caught.value, status=200, code=None, retryable=False)
    assert isinstance(caught.value.__cause__, KeyError)


async def test_errors_from_interpret_are_stamped_with_provider_connection_and_status() -> None:
    def interpret(response: httpx.Response, body: Any) -> Any:
        raise InvalidInputError(provider="?", message="no")

    transport = bare_transport(Script(httpx.Response(200, json={})), Sleeps(), interpret=interpret)
    with pytest.raises(InvalidInputError) as caught:
        await transport.call("POST", "/v1/x", json_body={})
    assert_error(caught.value, status=200, code=None, retryable=False, message="no")


# Requests and the HTTP client


async def test_the_request_goes_to_base_url_plus_path_with_params_and_merged_headers() -> None:
    script = Script(httpx.Response(200, json={}))
    transport = bare_transport(script, Sleeps(), headers={"X-Api-Key": "k", "X-A": "1"})
    await transport.call("GET", "/v1/queues/inbound", params={"page": 0}, headers={"X-A": "2"})
    request = script.requests[0]
    assert str(request.url) == "https://xapi.test/api/v1/queues/inbound?page=0"
    assert request.headers["X-Api-Key"] == "k"
    assert request.headers["X-A"] == "2"


async def test_aclose_closes_only_the_http_client_the_transport_opened() -> None:
    injected = mock_http(Script(OK))
    transport = Transport(
        provider="alohub",
        connection="c",
        base_url="https://x.test",
        interpret=lambda r, b: b,
        http=injected,
    )
    await transport.aclose()
    assert not injected.is_closed
    await injected.aclose()

    own = Transport(
        provider="alohub", connection="c", base_url="https://x.test", interpret=lambda r, b: b
    )
    await own.aclose()
    assert own._http.is_closed


async def test_each_retry_is_logged_with_the_connection_and_the_error_class(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.providers.transport")
    script = Script(refused(), OK)
    async with alohub(script, Sleeps()) as client:
        await client.contact_lists(1001)
    (record,) = caplog.records
    assert "alohub-main" in record.getMessage()
    assert "ProviderConnectionError" in record.getMessage()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, InvalidInputError),
        (404, NotFoundError),
        (418, UnexpectedResponse),
        (429, RateLimitedError),
        (500, ProviderFault),
        (504, ProviderFault),
    ],
)
def test_error_for_status(status: int, expected: type[ProviderError]) -> None:
    assert error_for_status(status) is expected
