"""What every fault test uses: a bot on the sandbox over signed HTTP, and the three checks.

Each test turns on one of the sandbox's fault switches (``bot/sandbox/faults.py``, or a
restart, a rotated secret, a dead port) and asserts three things:

1. the operator is told in a sentence naming the connection and the next step;
2. the bot keeps serving other commands meanwhile: ``/queue list`` (Alohub) is answered
   while the fault is on (``queue_list_answers``);
3. every valid row ends at the provider exactly once or is shown ``unconfirmed``
   (``each_row_once``); for a command, the provider got no duplicate call.

Nothing sleeps to wait: conditions are polled with deadlines (``eventually``).
"""

from __future__ import annotations

import logging
import socket
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tests.jobs.e2e import FINAL, eventually, view_text
from tests.jobs.providers import at_provider
from tests.slack.conftest import Harness, mrkdwn_shown

__all__ = [
    "FINAL",
    "dead_port",
    "each_row_once",
    "final_words",
    "queue_list_answers",
    "reply_words",
    "row_phones",
]


class _Errors(logging.Handler):
    """Keeps the bot's records at ERROR and above (a traceback, an "internal error")."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in ("bot", "commands"):
            self.records.append(record)


@pytest.fixture(autouse=True)
def no_error_logged(request: pytest.FixtureRequest) -> Iterator[None]:
    """A provider fault is an expected event: the bot says so and logs a warning at most.
    An ERROR record (a traceback, ``error.internal``) means it met something it did not
    expect, and the operator got "something went wrong" instead of a sentence. A test
    marked ``logs_error`` expects one (Slack refusing a message for good is logged at ERROR
    for operations) and asserts it itself."""
    if request.node.get_closest_marker("logs_error") is not None:
        yield
        return
    errors = _Errors()
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        yield
    finally:
        root.removeHandler(errors)
    found = [f"{r.name}: {r.getMessage()}" for r in errors.records]
    assert not found, f"the bot logged {len(found)} error(s): {found[:3]}"


async def queue_list_answers(h: Harness) -> None:
    """``/queue list`` is answered with the tenant's queues (the bot is not stuck)."""
    state = h.sandbox.alohub
    first = next(q for q in state.queues.values() if q.tenant_id == state.tenant_id)
    reply = await h.reply("/queue", "list")
    assert f"#{first.callinId}" in view_text(reply), reply


def reply_words(reply: dict[str, Any]) -> str:
    """What the operator reads of a reply (text and every mrkdwn block)."""
    return mrkdwn_shown(reply)


def final_words(h: Harness, job: Any) -> str:
    """What the operator reads in a job's message in its channel (its last version)."""
    return mrkdwn_shown(h.fake.messages[job.message_ts])


async def row_phones(h: Harness, job_id: int) -> dict[str, set[str]]:
    """The job's phones by row state, read from the database."""
    rows = await h.bot.services.jobs.store.rows(job_id)
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row.state, set()).add(row.phone)
    return out


async def each_row_once(
    h: Harness, job_id: int, connection: str, valid: list[str], *, campaign: str | None = None
) -> Counter[str]:
    """Every valid row is at the provider exactly once, or ``unconfirmed`` and there at most
    once; a row still ``pending`` (waiting for ``/job retry``) is not there at all."""
    held = at_provider(h.sandbox, connection, campaign)
    by_state = await row_phones(h, job_id)
    unconfirmed = by_state.get("unconfirmed", set())
    pending = by_state.get("pending", set())
    assert set().union(*by_state.values()) == set(valid), "every valid row is a row of the job"
    for phone in valid:
        if phone in unconfirmed:
            assert held[phone] <= 1, f"{phone}: unconfirmed, yet sent twice"
        elif phone in pending:
            assert held[phone] == 0, f"{phone}: pending, yet at the provider"
        else:
            assert held[phone] == 1, f"{phone}: {held[phone]} times at the provider"
    return held


def dead_port() -> int:
    """A loopback port nothing listens on (bound, then released): connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_for_reply(h: Harness, ack: Any, within: float = 30.0) -> dict[str, Any]:
    """The answer posted at the response_url of an acked command (progress skipped)."""
    tag = ack.response_url.rsplit("/", 1)[-1]
    call = await h.fake.wait_for(
        "response_url",
        predicate=lambda c: c.tag == tag and not str(c.args.get("text", "")).startswith("⏳"),
        timeout=within,
    )
    return call.args


__all__ += ["eventually", "wait_for_reply"]
