"""Driving an import the way a user does, over signed HTTP: /import, submit, preview, confirm."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import Environment, parse_config
from bot.slack.bot import Bot
from tests.harness.database import bot_database_url, leading
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient, files_state, select_state, text_state
from tests.jobs.providers import CAMPAIGNS
from tests.slack.conftest import (
    ADMIN,
    AICC_CHANNEL,
    OPERATOR,
    OPS_CHANNEL,
    SIGNING_SECRET,
    Harness,
)

# The outbox's pace in the end-to-end tests: a progress update is seen before the final one.
FAST_PACE = 0.02


def config_for(
    sandbox: Any,
    tmp_path: Path,
    *,
    batch_sizes: dict[str, int] | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
    **overrides: Any,
) -> Any:
    """The e2e config (C0OPS bound to all four connections) with batch sizes and settings."""
    connections = sandbox.connections()
    for name, size in (batch_sizes or {}).items():
        connections[name]["batch_size"] = size
    for name, values in (settings or {}).items():
        connections[name].update(values)
    raw = {
        "language": "en",
        "database_url": bot_database_url(tmp_path),
        "admins": [ADMIN],
        "operators": [OPERATOR],
        "connections": connections,
        "channels": {OPS_CHANNEL: list(connections), AICC_CHANNEL: ["aicc"]},
        **overrides,
    }
    return parse_config(raw, "callops.yml", {})


@asynccontextmanager
async def running_bot(
    sandbox: Any,
    tmp_path: Path,
    *,
    fake: FakeSlack | None = None,
    progress_interval: float = 0.0,
    pace: float = FAST_PACE,
    **config: Any,
) -> AsyncIterator[Harness]:
    """A bot on the sandbox and a fake Slack; progress updates are not throttled by default,
    and the outbox sends a channel's messages ``pace`` seconds apart (Slack's second:
    tests/faults/test_slack_limits.py)."""
    async with FakeSlack() as own_fake:
        slack = fake or own_fake
        env = Environment(
            slack_bot_token=slack.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=slack.api_url,
        )
        bot = Bot(config_for(sandbox, tmp_path, **config), env)
        port = await bot.start_http("127.0.0.1", 0)
        await leading(bot)
        bot.services.jobs.progress_interval = progress_interval
        assert bot.runtime.outbox is not None
        bot.runtime.outbox.pace_seconds = pace
        try:
            async with SlackClient(
                f"http://127.0.0.1:{port}", SIGNING_SECRET, response_url_factory=slack.response_url
            ) as client:
                yield Harness(client, slack, sandbox, bot)
        finally:
            await bot.services.drain()
            await bot.stop()
        # Every message and view the bot sent fits Slack's limits (not run when the test failed).
        slack.assert_within_limits()


async def eventually(
    check: Callable[[], Any],
    *,
    within: float = 10.0,
    what: str = "condition",
    explain: Callable[[], Any] | None = None,
) -> Any:
    """Poll ``check`` until it returns something truthy (awaiting it if needed), with a deadline.

    When the deadline passes, the assertion says what ``explain`` returns (awaited if need
    be): the state the test saw last, so that a failure in CI says why on its own."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            said = f"{what} not reached within {within}s"
            if explain is not None:
                seen = explain()
                if isinstance(seen, Awaitable):
                    seen = await seen
                said += f"\n{seen}"
            raise AssertionError(said)
        await asyncio.sleep(0.02)


async def open_import(
    h: Harness, text: str = "", *, user: str = OPERATOR, channel: str = OPS_CHANNEL
) -> dict[str, Any]:
    """Run /import and return the modal the fake Slack opened (with its view id)."""
    before = len(h.fake.calls_to("views.open"))
    ack = await h.command("/import", text, user=user, channel=channel)
    assert ack.status == 200, ack.text
    await eventually(lambda: len(h.fake.calls_to("views.open")) > before, what="views.open")
    return [v for v in h.fake.views.values() if v["callback_id"] == "import_submit"][-1]


def form(
    connection: str | None,
    campaign: str | None,
    *,
    file: dict[str, Any] | None = None,
    paste: str | None = None,
    list_name: str | None = None,
) -> dict[str, Any]:
    """The state of the import modal's inputs."""
    return {
        "connection": {"value": select_state(connection)},
        "campaign": {"value": text_state(campaign)},
        "list_name": {"value": text_state(list_name)},
        "file": {"value": files_state(*([file] if file else []))},
        "paste": {"value": text_state(paste)},
    }


async def submit(
    h: Harness, view: dict[str, Any], state: dict[str, Any], *, user: str = OPERATOR
) -> Any:
    """Submit the import modal; returns the ack."""
    return await h.slack.view_submission(
        "import_submit",
        state,
        private_metadata=view["private_metadata"],
        user_id=user,
        view_id=view["id"],
    )


async def preview(h: Harness, view_id: str, within: float = 10.0) -> dict[str, Any]:
    """Wait until the modal shows the preview or a refusal; returns that view."""

    def done() -> dict[str, Any] | None:
        view = h.fake.views.get(view_id)
        if view and view["callback_id"] in ("import_confirm", "import_refused"):
            return view
        return None

    return await eventually(done, within=within, what="the preview")


async def confirm(h: Harness, view: dict[str, Any], *, user: str = OPERATOR) -> Any:
    """Press Import on the preview."""
    return await h.slack.view_submission(
        "import_confirm",
        {},
        private_metadata=view["private_metadata"],
        user_id=user,
        view_id=view["id"],
    )


async def import_file(
    h: Harness,
    connection: str,
    content: bytes,
    name: str = "list.csv",
    *,
    campaign: str | None = None,
    list_name: str | None = None,
    user: str = OPERATOR,
) -> dict[str, Any]:
    """Upload → /import → submit → preview; returns the preview view."""
    file = h.fake.add_file(f"F{len(h.fake.files) + 1:04d}", content, name, name.rsplit(".")[-1])
    view = await open_import(h, user=user)
    ack = await submit(
        h,
        view,
        form(
            connection,
            campaign if campaign is not None else CAMPAIGNS[connection],
            file=file,
            list_name=list_name,
        ),
        user=user,
    )
    assert ack.status == 200 and ack.json_body["response_action"] == "update", ack.text
    return await preview(h, view["id"])


def view_text(view: dict[str, Any]) -> str:
    """Every text of a view or message, for assertions."""
    return json.dumps(view.get("blocks", view), ensure_ascii=False)


FINAL = ("done", "failed", "cancelled", "lost")


async def job_in(store: Any, job_id: int, *states: str) -> Any:
    """Job ``job_id`` when it is in one of ``states``, else None (for ``eventually``)."""
    job = await store.job(job_id)
    return job if job is not None and job.state in states else None


async def finished_job(h: Harness, job_id: int = 1, *, within: float = 20.0) -> Any:
    """Wait until job ``job_id`` ended and its final message update went out; returns it."""
    store = h.bot.services.store

    async def ended() -> Any:
        # The card goes out through the outbox beside the run: a quick job can end before
        # its card has a ts, which the final update needs.
        job = await store.job(job_id)
        return job if job is not None and job.state in FINAL and job.message_ts else None

    job = await eventually(ended, within=within, what=f"the end of J{job_id}")
    await h.fake.wait_for(
        "chat.update",
        predicate=lambda c: (
            c.args.get("ts") == job.message_ts
            and re.match(rf"\*J{job_id}\b", str(c.args.get("text", ""))) is not None
        ),
        timeout=within,
    )
    return job


def csv_rows(content: bytes) -> list[list[str]]:
    """Rows of an uploaded CSV (BOM removed)."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
