"""A bot in HTTP mode on 127.0.0.1, wired to the sandbox and a fake Slack Web API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.config import Environment, parse_config
from bot.slack.bot import Bot
from tests.harness.database import bot_database_url, leading
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient

SIGNING_SECRET = "test-signing-secret"
ADMIN = "U0ADMIN1"
OPERATOR = "U0OPS1"
STRANGER = "U0STRANGER"
OPS_CHANNEL = "C0OPS"
AICC_CHANNEL = "C0AICC"
UNBOUND = "C0NOWHERE"


@dataclass
class Harness:
    """What an end-to-end test drives: the signed client, the fake Slack, the sandbox, the bot."""

    slack: SlackClient
    fake: FakeSlack
    sandbox: Any
    bot: Bot

    async def command(
        self, command: str, text: str = "", *, user: str = OPERATOR, channel: str = OPS_CHANNEL
    ) -> Any:
        """Send a signed slash command; returns the ack response."""
        return await self.slack.command(command, text, user_id=user, channel_id=channel)

    async def reply(
        self, command: str, text: str = "", *, within: float = 5.0, **kwargs: Any
    ) -> dict[str, Any]:
        """Send a command and wait (``within`` seconds) for its answer at its response_url.

        A slow fetch (``/calls 7d`` on a busy machine) posts "⏳ …" progress first: that is
        not the answer, so it is skipped.
        """
        ack = await self.command(command, text, **kwargs)
        assert ack.status == 200, ack.text
        tag = ack.response_url.rsplit("/", 1)[-1]
        call = await self.fake.wait_for(
            "response_url",
            predicate=lambda c: c.tag == tag and not is_progress(c.args),
            timeout=within,
        )
        return call.args

    def sealed(self, callback_id: str, meta: dict[str, Any] | str) -> str:
        """``meta`` as the bot seals a modal's private_metadata (a genuine form's)."""
        raw = meta if isinstance(meta, str) else json.dumps(meta, separators=(",", ":"))
        view = {"callback_id": callback_id, "private_metadata": raw}
        return str(self.bot.chat.seal.view(view)["private_metadata"])


def mrkdwn_shown(message: dict[str, Any]) -> str:
    """The message's text and every mrkdwn text in it (plain_text is never parsed by Slack)."""
    found = [message.get("text") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node.get("text") or "")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks") or [])
    return "\n".join(found)


def is_progress(args: dict[str, Any]) -> bool:
    """A "⏳ Fetched 500 of 4,550 calls…" post: text only, no blocks."""
    return not args.get("blocks") and str(args.get("text", "")).startswith("⏳")


def bot_config(sandbox: Any, tmp_path: Any, **overrides: Any) -> Any:
    """A config on the sandbox: C0OPS bound to every connection, C0AICC to aicc only."""
    connections = sandbox.connections()
    raw = {
        "language": "en",
        "database_url": bot_database_url(tmp_path),
        "admins": [ADMIN],
        "operators": [OPERATOR],
        "audit_channel": "C0AUDIT",
        "connections": connections,
        "channels": {OPS_CHANNEL: list(connections), AICC_CHANNEL: ["aicc"]},
        **overrides,
    }
    return parse_config(raw, "callops.yml", {})


@pytest.fixture
async def harness(sandbox: Any, tmp_path: Any) -> AsyncIterator[Harness]:
    """Everything started; stopped after the test."""
    async with FakeSlack() as fake:
        env = Environment(
            slack_bot_token=fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
        )
        bot = Bot(bot_config(sandbox, tmp_path), env)
        assert bot.runtime.outbox is not None
        bot.runtime.outbox.pace_seconds = 0.02  # Slack's 1 s: tests/faults/test_slack_limits.py
        port = await bot.start_http("127.0.0.1", 0)
        await leading(bot)
        async with SlackClient(
            f"http://127.0.0.1:{port}", SIGNING_SECRET, response_url_factory=fake.response_url
        ) as client:
            yield Harness(client, fake, sandbox, bot)
        await bot.services.drain()
        await bot.stop()
        # Every message and view any test of the suite made the bot send fits Slack's limits.
        fake.assert_within_limits()
