"""The one retry policy, as a table: what retries, how often, and how long it waits."""

from __future__ import annotations

import random

import pytest

from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    ProviderConnectionError,
    ProviderError,
    ProviderFault,
    ProviderTimeout,
    RateLimitedError,
    ScopeError,
    UnexpectedResponse,
)
from bot.providers.retry import RetryPolicy, parse_retry_after


def err(cls: type[ProviderError], retryable: bool = True) -> ProviderError:
    return cls(provider="alohub", connection="alohub-main", retryable=retryable)


POLICY = RetryPolicy(max_attempts=4, max_rate_limited_attempts=12)


@pytest.mark.parametrize(
    ("error", "idempotent", "retries"),
    [
        # The provider did not act on it: safe to repeat even a creating POST.
        (err(RateLimitedError), False, True),
        (err(RateLimitedError), True, True),
        (err(ProviderConnectionError), False, True),
        (err(ProviderConnectionError), True, True),
        # The provider may have acted on it: only requests safe to repeat.
        (err(ProviderTimeout), True, True),
        (err(ProviderTimeout), False, False),
        (err(ProviderFault), True, True),
        (err(ProviderFault), False, False),
        # A connection error we cannot explain (bad protocol…) is not worth repeating.
        (err(ProviderConnectionError, retryable=False), True, False),
        (err(ProviderFault, retryable=False), True, False),
        # The answer will be the same the next time.
        (err(AuthError, retryable=False), True, False),
        (err(ScopeError, retryable=False), True, False),
        (err(InvalidInputError, retryable=False), True, False),
        (err(InvalidStateError, retryable=False), True, False),
        (err(NotFoundError, retryable=False), True, False),
        (err(UnexpectedResponse, retryable=False), True, False),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, ProviderError) else str(v),
)
def test_first_failure_retries_only_when_safe_and_useful(
    error: ProviderError, idempotent: bool, retries: bool
) -> None:
    assert POLICY.should_retry(error, 1, idempotent=idempotent) is retries


@pytest.mark.parametrize(
    ("error", "attempt", "retries"),
    [
        (err(ProviderFault), 3, True),
        (err(ProviderFault), 4, False),
        (err(ProviderTimeout), 4, False),
        (err(ProviderConnectionError), 3, True),
        (err(ProviderConnectionError), 4, False),
        # 429s have their own, larger budget: waiting them out is expected in a burst.
        (err(RateLimitedError), 4, True),
        (err(RateLimitedError), 11, True),
        (err(RateLimitedError), 12, False),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, ProviderError) else str(v),
)
def test_retries_stop_at_the_attempt_cap(error: ProviderError, attempt: int, retries: bool) -> None:
    assert POLICY.should_retry(error, attempt, idempotent=True) is retries


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [(0.0, 0.0), (3.0, 3.0), (7.5, 7.5), (60.0, 60.0), (3600.0, 60.0)],
)
def test_retry_after_is_honoured_within_the_cap(retry_after: float, expected: float) -> None:
    for attempt in (1, 5):
        assert POLICY.delay(attempt, retry_after) == expected


def test_retry_after_cap_is_configurable() -> None:
    assert RetryPolicy(max_retry_after=5.0).delay(1, 30.0) == 5.0


@pytest.mark.parametrize(
    ("attempt", "ceiling"),
    [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (20, 8.0)],
)
def test_backoff_grows_exponentially_with_full_jitter_up_to_max_delay(
    attempt: int, ceiling: float
) -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0, rng=random.Random(7))
    delays = [policy.delay(attempt) for _ in range(500)]
    assert all(0.0 <= d <= ceiling for d in delays)
    # Full jitter: the draws spread over the whole range, not bunched at the top.
    assert min(delays) < ceiling * 0.1
    assert max(delays) > ceiling * 0.9


def test_backoff_is_reproducible_with_a_seeded_rng() -> None:
    first = RetryPolicy(rng=random.Random(7))
    second = RetryPolicy(rng=random.Random(7))
    assert [first.delay(n) for n in range(1, 6)] == [second.delay(n) for n in range(1, 6)]


def test_negative_retry_after_falls_back_to_backoff() -> None:
    policy = RetryPolicy(base_delay=1.0, rng=random.Random(7))
    assert 0.0 <= policy.delay(1, -5.0) <= 1.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("5", 5.0),
        (" 2 ", 2.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("-3", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_retry_after_header_forms(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds
