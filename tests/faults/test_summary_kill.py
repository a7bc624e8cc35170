"""The bot is SIGKILLed while it builds a daily summary; started again, it posts that summary
once: not lost (the run claimed before the kill is taken over), not twice.

Real processes (``tests.jobs.botproc``) on one SQLite file, the sandbox and the fake Slack in
the test's process. The subscription is written to the database as if an admin had made it
two days ago at 00:00, so the run is due whatever the time of day: each start posts the
missed run of today (``SummaryService.start``).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.sandbox import Sandbox, SandboxOptions
from bot.store import Store
from bot.store.summaries import Schedule, SummaryStore
from tests.faults.conftest import eventually, queue_list_answers
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.jobs.test_kill import bot_process
from tests.slack.conftest import ADMIN, OPERATOR, OPS_CHANNEL, SIGNING_SECRET, Harness

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CALL_LOG = "/api/users/call-log"


def write_config(sandbox: Sandbox, tmp_path: Path) -> Path:
    """A callops.yml on the sandbox, C0OPS bound to every connection, aicc first."""
    connections: dict[str, Any] = sandbox.connections()
    config = {
        "language": "en",
        "database_url": f"sqlite:///{tmp_path}/callops.db",
        "admins": [ADMIN],
        "operators": [OPERATOR],
        "connections": connections,
        "channels": {OPS_CHANNEL: ["aicc", "alohub-main", "vbee", "crm"]},
    }
    path = tmp_path / "callops.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def summary_posts(fake: FakeSlack) -> list[Any]:
    """The daily summaries posted in C0OPS (not their failure notices)."""
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.args.get("channel") == OPS_CHANNEL and "Daily call summary" in str(c.args.get("text"))
    ]


@pytest.mark.slow
async def test_killed_mid_summary_the_restarted_bot_posts_it_once(tmp_path: Path):
    async with (
        Sandbox(port=0, options=SandboxOptions(seed=7, call_records=2000)) as sandbox,
        FakeSlack() as fake,
    ):
        config = write_config(sandbox, tmp_path)
        store = Store(f"sqlite:///{tmp_path}/callops.db")
        runs = SummaryStore(store)
        try:
            await asyncio.to_thread(store.create_schema)
            since = datetime.now(TZ) - timedelta(days=2)
            subscription, _ = await runs.subscribe(
                Schedule(OPS_CHANNEL, "aicc", "00:00"), ADMIN, now=since
            )
            # AICallCenter answers slowly: the summary is being built when the bot is killed.
            sandbox.faults("aicallcenter").latency = 8.0
            log = tmp_path / "bot.log"
            async with (
                bot_process(config, fake, log) as (_, port),
                SlackClient(
                    f"http://127.0.0.1:{port}",
                    SIGNING_SECRET,
                    response_url_factory=fake.response_url,
                ) as client,
            ):
                await eventually(
                    lambda: runs.runs(subscription.id), within=30, what="the run claimed"
                )
                await eventually(
                    lambda: any(r.path == CALL_LOG for r in sandbox.requests("aicallcenter")),
                    within=30,
                    what="the call records asked for",
                )
                h = Harness(client, fake, sandbox, None)  # type: ignore[arg-type]
                await queue_list_answers(h)  # served while the summary is being built
                assert not summary_posts(fake)
                # SIGKILL as the context exits, mid-build.
            (run,) = await runs.runs(subscription.id)
            assert run.state == "posting" and run.message_ts is None, "killed before posting"

            sandbox.faults("aicallcenter").reset()
            async with bot_process(config, fake, log):

                async def posted() -> bool:
                    (run,) = await runs.runs(subscription.id)
                    return run.state == "posted" and run.message_ts is not None

                await eventually(posted, within=60, what="the summary posted after the restart")
                (post,) = summary_posts(fake)
                assert "aicc" in str(post.args.get("blocks")), post.args
                # A trigger or a refresh of the restarted bot does not post it again.
                await eventually(lambda: fake.calls_to("files.completeUploadExternal"))
            assert len(summary_posts(fake)) == 1, "posted once, not twice"
        finally:
            await store.aclose()
