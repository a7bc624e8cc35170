"""The HTTP layer every provider client shares.

One ``httpx.AsyncClient`` per connection, explicit timeouts, the connection's rate limit,
the one retry policy, and the translation of every foreign error into ``bot.errors``. A
client supplies only ``interpret``: given a response and its decoded JSON, return the
payload or raise the ``ProviderError`` that the provider's body describes (several answer
HTTP 200 with an error body).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from bot import metrics
from bot.config import RateLimit
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
from bot.providers.ratelimit import SlidingWindowLimiter
from bot.providers.retry import RetryPolicy, parse_retry_after

log = logging.getLogger(__name__)

# A slot that came this fast was not held back by the window.
WAIT_COUNTED = 0.001
_SECRET_PARAM = re.compile(r"key|token|secret|pass|sig", re.IGNORECASE)


class _RedactQuerySecrets(logging.Filter):
    """Mask secret-looking query values in httpx's request lines (AICallCenter's token)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        return True


def _redact(arg: object) -> object:
    if not isinstance(arg, httpx.URL) or not arg.query:
        return arg
    params = [
        (name, "***" if _SECRET_PARAM.search(name) else value)
        for name, value in arg.params.multi_items()
    ]
    return arg.copy_with(params=params)


# httpx logs every request line at INFO with its full URL, and AICallCenter takes its
# secret and token in the query string: keep those lines out of the logs, and mask the
# secrets in case somebody turns them back on to debug.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpx").addFilter(_RedactQuerySecrets())
logging.getLogger("httpcore").setLevel(logging.WARNING)

Interpret = Callable[[httpx.Response, Any], Any]

# The error an HTTP status (or a provider's own code borrowing those numbers) stands for.
STATUS_ERRORS: dict[int, type[ProviderError]] = {
    400: InvalidInputError,
    401: AuthError,
    403: ScopeError,
    404: NotFoundError,
    409: InvalidStateError,
    422: InvalidInputError,
    429: RateLimitedError,
}


def segment(value: object) -> str:
    """``value`` as one URL path segment: every reserved or non-ASCII character percent-encoded.

    Ids the seeds type as String (AICallCenter ``campaign_id``, OMICall contact ``id``) may
    hold ``/``, ``?``, ``#``, spaces or Vietnamese letters; each must reach the provider as
    part of its one segment. ``.`` and ``..`` are encoded too, or httpx would resolve them
    as "this" and "parent" folders.
    """
    text = quote(str(value), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def error_for_status(status: int) -> type[ProviderError]:
    """The error class an HTTP status means when the body says nothing more precise."""
    if status >= 500:
        return ProviderFault
    return STATUS_ERRORS.get(status, UnexpectedResponse)


class Transport:
    """Sends one connection's requests: limiter → request → interpret → retry or raise."""

    def __init__(
        self,
        *,
        provider: str,
        connection: str,
        base_url: str,
        interpret: Interpret,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
        rate_limit: RateLimit | None = None,
        retry: RetryPolicy | None = None,
        http: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.provider = provider
        self.connection = connection
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.read_timeout = read_timeout
        self.limiter = (
            SlidingWindowLimiter(rate_limit.count, rate_limit.seconds) if rate_limit else None
        )
        self._interpret = interpret
        self._headers = dict(headers or {})
        self._sleep = sleep
        self._slowed_until: float | None = None  # end of the last 429 wait, until an answer
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        )

    async def aclose(self) -> None:
        """Close the HTTP client if this transport opened it."""
        if self._owns_http:
            await self._http.aclose()

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send a request with retries and return what ``interpret`` made of the answer.

        ``idempotent`` defaults to True for GET, PUT and DELETE and False for POST; pass
        True for a POST only where the provider deduplicates (write down why at the call).
        """
        safe = method.upper() != "POST" if idempotent is None else idempotent
        failures = 0  # tries that ended in anything but a 429
        limited = 0  # tries the provider refused with 429
        started = time.monotonic()
        failed: ProviderError
        while True:
            try:
                if self.limiter is None:
                    return await self._counted(method, path, params, json_body, headers)
                asked = time.monotonic()
                async with self.limiter.slot():
                    self._waited(time.monotonic() - asked, "window")
                    return await self._counted(method, path, params, json_body, headers)
            except RateLimitedError as error:
                limited += 1
                attempt, retry_after, failed = limited, error.retry_after, error
                if not self.retry.should_retry(error, attempt, idempotent=safe):
                    self._gave_up(error, failures + limited, started, creates=not safe)
                    raise
            except ProviderError as error:
                failures += 1
                attempt, retry_after, failed = failures, None, error
                if not self.retry.should_retry(error, attempt, idempotent=safe):
                    self._gave_up(error, failures + limited, started, creates=not safe)
                    raise
            delay = self.retry.delay(attempt, retry_after)
            if isinstance(failed, RateLimitedError) and self.limiter:
                # Hold every other request of this connection back too: they would only
                # collect 429s of their own until the provider's window has room again.
                self.limiter.pause(delay)
            log.warning(
                "%s: %s %s failed (%s), try again in %.1fs",
                self.connection,
                method,
                path,
                type(failed).__name__,
                delay,
            )
            if isinstance(failed, RateLimitedError):
                self._waited(delay, "429")
                self._slowed_until = max(self._slowed_until or 0.0, time.monotonic() + delay)
            await self._sleep(delay)

    def slowed(self) -> float | None:
        """Seconds still to wait because the provider answered 429, or None when it has
        answered something else since (sending has resumed); what a job's message shows."""
        if self._slowed_until is None:
            return None
        return max(0.0, self._slowed_until - time.monotonic())

    def _waited(self, seconds: float, cause: str) -> None:
        if seconds >= WAIT_COUNTED:
            metrics.RATE_LIMIT_WAITS.labels(connection=self.connection, cause=cause).inc()
            metrics.RATE_LIMIT_WAIT_SECONDS.labels(connection=self.connection).inc(seconds)

    async def _counted(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
    ) -> Any:
        """One try, counted by its result (``callops_provider_requests``)."""
        try:
            answer = await self._once(method, path, params, json_body, headers)
        except RateLimitedError as error:
            self._count(type(error).__name__)
            raise
        except ProviderError as error:
            self._slowed_until = None  # answered: not a rate limit any more
            self._count(type(error).__name__)
            raise
        self._slowed_until = None
        self._count("ok")
        return answer

    def _count(self, result: str) -> None:
        metrics.PROVIDER_REQUESTS.labels(connection=self.connection, result=result).inc()

    async def _once(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
    ) -> Any:
        try:
            response = await self._http.request(
                method,
                self.base_url + path,
                params=params,
                json=json_body,
                headers={**self._headers, **(headers or {})},
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # The request never left: repeating it cannot duplicate anything.
            raise self._error(ProviderConnectionError, None, None, _describe(exc), True) from exc
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            # The request may have reached the provider: only idempotent ones retry.
            raise self._error(ProviderTimeout, None, None, _describe(exc), True) from exc
        except httpx.DecodingError as exc:
            raise self._error(UnexpectedResponse, None, None, _describe(exc), False) from exc
        except httpx.HTTPError as exc:
            raise self._error(ProviderConnectionError, None, None, _describe(exc), False) from exc

        status = response.status_code
        try:
            body = response.json() if response.content else None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            if status == 429:
                raise self._rate_limited(response, None) from exc
            cls: type[ProviderError] = UnexpectedResponse
            if status >= 300:
                cls = error_for_status(status)
            raise self._error(cls, status, None, "the answer is not JSON", status >= 500) from exc
        if status == 429:
            # A 429 is a 429 whatever the body says; the body only adds the code and message.
            raise self._rate_limited(response, body)
        try:
            result = self._interpret(response, body)
        except ProviderError as error:
            self._own(error, status)
            raise
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise self._error(UnexpectedResponse, status, None, str(exc)[:200], False) from exc
        if status >= 400:
            # ``interpret`` found no error in the body, but the status is one.
            raise self._error(error_for_status(status), status, None, "", status >= 500)
        return result

    def _gave_up(
        self, error: ProviderError, attempts: int, started: float, *, creates: bool
    ) -> None:
        """Note on ``error`` how long we tried and what the request was, for the sentence."""
        error.creates = creates
        error.attempts = attempts
        error.elapsed = time.monotonic() - started
        if isinstance(error, ProviderTimeout):
            error.timeout = self.read_timeout

    def _own(self, error: ProviderError, status: int) -> None:
        error.provider = self.provider
        error.connection = self.connection
        if error.status is None:
            error.status = status

    def _rate_limited(self, response: httpx.Response, body: Any) -> RateLimitedError:
        code, message = "429", "rate limit exceeded"
        if body is not None:
            try:
                self._interpret(response, body)
            except ProviderError as described:
                code = described.code or code
                message = described.message or message
            except (AttributeError, KeyError, TypeError, ValueError):
                pass
        error = RateLimitedError(
            provider=self.provider,
            connection=self.connection,
            status=429,
            code=code,
            message=message,
            retryable=True,
        )
        error.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return error

    def _error(
        self,
        cls: type[ProviderError],
        status: int | None,
        code: str | None,
        message: str,
        retryable: bool,
    ) -> ProviderError:
        return cls(
            provider=self.provider,
            connection=self.connection,
            status=status,
            code=code,
            message=message,
            retryable=retryable,
        )


def _describe(exc: httpx.HTTPError) -> str:
    # The exception text can carry the URL, and AICallCenter URLs carry the token.
    return type(exc).__name__
