"""Every request is acked, in HTTP and Socket Mode, whether or not a listener takes it.

A button of an older message tells its user which command shows it again; an event type
the bot does not handle is acked with no side effect; a form of an older version is
replaced with a sentence; an options request for an unknown select gets no options.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Environment
from bot.slack.bot import Bot
from bot.slack.socket_mode import SocketMode
from tests.harness.fake_slack import FakeSlack
from tests.harness.fake_socket_mode import ACK_DEADLINE, FakeSocketMode, SocketModeSlackClient
from tests.harness.signing import SlackClient
from tests.slack.conftest import OPERATOR, OPS_CHANNEL, SIGNING_SECRET, Harness, bot_config

MODES = ["http", "socket"]


@pytest.fixture
def language() -> str:
    """The bot's language; a test overrides it with ``parametrize("language", …)``."""
    return "en"


@pytest.fixture(params=MODES)
async def slack(
    request: pytest.FixtureRequest, sandbox: Any, tmp_path: Any, language: str
) -> AsyncIterator[Harness]:
    """The bot in HTTP mode (signed requests) or Socket Mode (envelopes from a fake server)."""
    config = bot_config(sandbox, tmp_path, language=language)
    async with FakeSlack() as fake:
        if request.param == "http":
            env = Environment(
                slack_bot_token=fake.bot_token,
                slack_signing_secret=SIGNING_SECRET,
                slack_api_url=fake.api_url,
            )
            bot = Bot(config, env)
            port = await bot.start_http("127.0.0.1", 0)
            async with SlackClient(
                f"http://127.0.0.1:{port}", SIGNING_SECRET, response_url_factory=fake.response_url
            ) as client:
                yield Harness(client, fake, sandbox, bot)
        else:
            async with FakeSocketMode() as server:
                fake.serve_socket_mode(server.url)
                env = Environment(
                    slack_bot_token=fake.bot_token,
                    slack_app_token=fake.app_token,
                    slack_api_url=fake.api_url,
                )
                bot = Bot(config, env)
                await bot.start_background()
                socket_mode = SocketMode(bot.app, fake.app_token)
                await socket_mode.start()
                await server.wait_connected()
                try:
                    async with SocketModeSlackClient(
                        server, response_url_factory=fake.response_url
                    ) as client:
                        yield Harness(client, fake, sandbox, bot)
                finally:
                    await socket_mode.close_async()
        await bot.services.drain()
        await bot.stop()


def _acked(ack: Any) -> None:
    assert ack.status == 200, f"not acked ({ack.status}): {ack.text}"
    assert ack.elapsed < ACK_DEADLINE


def _said(call: Any) -> str:
    return str(call.args.get("text", ""))


async def test_an_older_job_button_is_acked_and_tells_its_user_to_run_the_job_again(
    slack: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.unhandled")
    ack = await slack.slack.block_action("job_pause", "J12")
    _acked(ack)
    tag = ack.response_url.rsplit("/", 1)[-1]
    told = await slack.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert _said(told) == "This button belongs to an older message; run `/job J12` again."
    assert told.args["response_type"] == "ephemeral"
    assert told.args["replace_original"] is False  # the older message stays as it was
    lines = [r for r in caplog.records if r.name == "bot.slack.unhandled"]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO
    assert "job_pause" in lines[0].getMessage()


@pytest.mark.parametrize("language", ["vi"])
async def test_an_older_pager_button_names_its_search_in_the_bots_language(
    slack: Harness,
) -> None:
    value = json.dumps({"cmd": "/contact", "text": "find Lan", "page": 3, "connection": None})
    ack = await slack.slack.block_action("page_jump", value)
    _acked(ack)
    tag = ack.response_url.rsplit("/", 1)[-1]
    told = await slack.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert _said(told) == "Nút này thuộc về một tin nhắn cũ; hãy chạy lại `/contact find Lan`."


async def test_an_older_button_of_no_known_command_says_to_run_the_command_again(
    slack: Harness,
) -> None:
    ack = await slack.slack.block_action("legacy_thing", "x")
    _acked(ack)
    tag = ack.response_url.rsplit("/", 1)[-1]
    told = await slack.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert _said(told).startswith("This button belongs to an older message; run the command")


async def test_an_older_button_in_a_modal_tells_the_user_in_the_channel(slack: Harness) -> None:
    meta = slack.sealed("import_submit", {"channel": OPS_CHANNEL})
    view = {"id": "V0OLD", "callback_id": "import_submit", "private_metadata": meta}
    ack = await slack.slack.block_action("import_pick", "x", view=view, channel_id=None)
    _acked(ack)
    told = await slack.fake.wait_for("chat.postEphemeral")
    assert told.args["user"] == OPERATOR and told.args["channel"] == OPS_CHANNEL
    assert _said(told) == "This button belongs to an older message; run `/import` again."


async def test_an_event_type_nobody_handles_is_acked_with_no_side_effect(slack: Harness) -> None:
    await slack.slack.event({"type": "app_home_opened", "user": OPERATOR, "tab": "home"})
    await slack.fake.wait_for("views.publish")  # a handled event, to compare with
    await slack.bot.drain()
    before = len(slack.fake.calls)
    event = {"type": "reaction_added", "user": OPERATOR, "reaction": "eyes", "item": {}}
    _acked(await slack.slack.event(event, event_id="Ev0REACTION"))
    # Slack's retry of it is acked too (and does nothing either).
    _acked(await slack.slack.event(event, event_id="Ev0REACTION", retry_num=1))
    await slack.bot.drain()
    assert [c.method for c in slack.fake.calls[before:]] == []


async def test_a_form_of_an_older_version_is_replaced_by_a_sentence(slack: Harness) -> None:
    ack = await slack.slack.view_submission("contact_add_v0", {})
    _acked(ack)
    answer = ack.json_body
    assert answer["response_action"] == "update"
    shown = answer["view"]["blocks"][0]["text"]["text"]
    assert shown == (
        "This form belongs to an older version of callops; close it and run `/contact` again."
    )
    assert answer["view"]["title"]["text"] == "Form out of date"


async def test_options_for_an_unknown_select_are_none_and_acked(slack: Harness) -> None:
    ack = await slack.slack.block_suggestion("campaign_lookup", "ca")
    _acked(ack)
    assert ack.json_body == {"options": []}


async def test_a_closed_modal_and_an_unknown_shortcut_are_acked(slack: Harness) -> None:
    _acked(await slack.slack.view_closed("contact_add_v0"))
    _acked(await slack.slack.shortcut("legacy_shortcut"))
    await slack.bot.drain()
    assert not slack.fake.calls_to("chat.postEphemeral")


async def test_a_known_button_still_reaches_its_handler(slack: Harness) -> None:
    ack = await slack.slack.block_action("job_refresh", "J999")
    _acked(ack)
    tag = ack.response_url.rsplit("/", 1)[-1]
    told = await slack.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert "older message" not in _said(told)


async def test_the_url_verification_challenge_is_answered_in_http_mode(
    harness: Harness,
) -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    ack = await harness.slack.url_verification(challenge)
    assert ack.status == 200
    assert ack.json_body == {"challenge": challenge}
