"""``callops check``: call every connection's cheapest authenticated endpoint, say which work.

Every connection is checked at once, each within its own time limit; a failure is one
sentence of the message catalog (the same one Slack users read), with secrets masked.
Results are remembered in the database for ``/callops connections``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.config import Config, secret_values
from bot.console.text import mrkdwn_to_plain, width
from bot.errors import CallopsError
from bot.masking import mask
from bot.messages import Messages
from bot.providers.base import ProviderClient
from bot.providers.retry import RetryPolicy
from bot.render.errors import describe
from bot.runtime import catalog, provider_clients
from bot.store import Store

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True)
class CheckResult:
    """One connection's outcome: ``reason`` is a plain sentence when it failed."""

    connection: str
    provider: str
    ok: bool
    reason: str | None = None


async def check_connections(
    config: Config,
    *,
    per_connection: float = DEFAULT_TIMEOUT,
    retry: RetryPolicy | None = None,
    msg: Messages | None = None,
) -> list[CheckResult]:
    """Check every connection concurrently, each within ``per_connection`` seconds."""
    msg = msg or catalog(config)
    secrets = secret_values(config)
    clients = provider_clients(config, retry)
    try:
        return list(
            await asyncio.gather(
                *(_check_one(clients[name], msg, per_connection, secrets) for name in clients)
            )
        )
    finally:
        await clients.aclose()


async def _check_one(
    client: ProviderClient, msg: Messages, seconds: float, secrets: list[str]
) -> CheckResult:
    name, provider = client.name, client.provider
    try:
        async with asyncio.timeout(seconds):
            await client.check()
    except TimeoutError:
        reason = msg("check.timeout", connection=name, seconds=f"{seconds:g}")
    except CallopsError as error:
        reason = describe(error, msg)
    except Exception as error:
        # Only the class: an unknown error's text may quote a URL that carries a key.
        log.warning("checking %s failed with %s", name, type(error).__name__)
        reason = msg("check.crashed", connection=name, error=type(error).__name__)
    else:
        return CheckResult(name, provider, True)
    return CheckResult(name, provider, False, mask(mrkdwn_to_plain(reason), secrets))


async def record(config: Config, results: Sequence[CheckResult]) -> None:
    """Remember each result for ``/callops connections``."""
    store = Store(config.database_url)
    try:
        await store.write(store.create_schema)
        for result in results:
            await store.record_check(result.connection, result.ok, result.reason)
    finally:
        await store.aclose()


def table(results: Sequence[CheckResult], msg: Messages) -> str:
    """Aligned columns: connection, provider, ✓ ok or ✗ the reason."""
    rows = [
        (msg("check.column.connection"), msg("check.column.provider"), msg("check.column.result"))
    ]
    for r in results:
        outcome = msg("check.ok") if r.ok else msg("check.failed", reason=r.reason)
        rows.append((r.connection, r.provider, outcome))
    widths = [max(width(row[i]) for row in rows) for i in range(2)]
    lines = [
        "  ".join(
            [*(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row[:2])), row[2]]
        )
        for row in rows
    ]
    return "\n".join(lines)


def summary(results: Sequence[CheckResult], msg: Messages) -> str:
    """One line: all work, or how many failed."""
    failed = sum(not r.ok for r in results)
    if not failed:
        return msg("check.all_ok", count=len(results))
    return msg("check.some_failed", failed=failed, count=len(results))


async def run_check(
    config: Config,
    *,
    per_connection: float = DEFAULT_TIMEOUT,
    retry: RetryPolicy | None = None,
    out: TextIO,
    err: TextIO,
) -> int:
    """Check, record, print the table; exit status 0 when every connection works, else 1."""
    msg = catalog(config)
    results = await check_connections(config, per_connection=per_connection, retry=retry, msg=msg)
    try:
        await record(config, results)
    except (SQLAlchemyError, OSError) as error:
        # The URL may hold a database password: name the error class only.
        print(msg("check.not_recorded", error=type(error).__name__), file=err)
    print(table(results, msg), file=out)
    print(summary(results, msg), file=out)
    return 0 if all(r.ok for r in results) else 1
