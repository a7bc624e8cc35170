"""The one retry policy for every provider call.

What retries: a request the provider did not act on (429, connection refused) always; a
request that is safe to repeat (GET, PUT, DELETE, or a POST the provider deduplicates)
also on timeouts and 5xx. A POST that creates things is never repeated after the provider
may have acted on it: that would add a contact twice. An error whose ``retryable`` is
False (4xx, malformed answers) never retries. How long to wait: ``Retry-After`` when the
provider sends one (capped), else exponential backoff with full jitter.

429s and other failures have separate budgets: a 429 means the provider did nothing, so
waiting it out should not use up the tries a flaky network deserves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.errors import (
    ProviderConnectionError,
    ProviderError,
    RateLimitedError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """Which failures retry, how often, and how long to wait between tries."""

    max_attempts: int = 4
    max_rate_limited_attempts: int = 12
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def should_retry(self, error: ProviderError, attempt: int, *, idempotent: bool) -> bool:
        """True when another try may succeed and cannot duplicate work.

        ``attempt`` counts the tries so far that ended like ``error`` (429s, or anything
        else), from 1.
        """
        if isinstance(error, RateLimitedError):
            return attempt < self.max_rate_limited_attempts
        if attempt >= self.max_attempts or not error.retryable:
            return False
        if isinstance(error, ProviderConnectionError):
            return True  # the request never reached the provider
        return idempotent

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try ``attempt + 1``."""
        if retry_after is not None and retry_after >= 0:
            return min(retry_after, self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return self.rng.uniform(0, ceiling)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds form), or None."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None  # HTTP-date form: none of our providers send it; fall back to backoff
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None  # "nan" / "inf" parse as floats but mean nothing
    return max(seconds, 0.0)
