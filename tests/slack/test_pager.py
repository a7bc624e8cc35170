"""Next/Previous buttons pass the same role and capability checks as the command they page."""

from __future__ import annotations

import json

from tests.slack.conftest import AICC_CHANNEL, OPERATOR, STRANGER, Harness


async def _press(harness: Harness, value: dict, *, user: str, channel: str) -> dict:
    ack = await harness.slack.block_action(
        "page_next", json.dumps(value), user_id=user, channel_id=channel
    )
    assert ack.status == 200
    tag = ack.response_url.rsplit("/", 1)[-1]
    call = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    return call.args


async def test_a_forged_page_button_from_a_stranger_is_refused(harness: Harness):
    before = len(harness.sandbox.requests("alohub"))
    value = {"cmd": "/queue", "text": "list", "page": 1, "connection": "alohub-main"}
    reply = await _press(harness, value, user=STRANGER, channel="C0OPS")
    assert "not on the operators list" in reply["text"]
    assert len(harness.sandbox.requests("alohub")) == before


async def test_a_page_button_for_a_capability_the_channel_lacks_is_refused(harness: Harness):
    before = len(harness.sandbox.requests("alohub"))
    # The channel is bound to aicc alone, which has no inbound queues.
    value = {"cmd": "/queue", "text": "list", "page": 1}
    reply = await _press(harness, value, user=OPERATOR, channel=AICC_CHANNEL)
    assert "`aicc` (aicallcenter) cannot manage inbound queues" in reply["text"]
    assert len(harness.sandbox.requests("alohub")) == before


async def test_a_page_button_for_a_command_that_is_not_paged_is_an_unknown_action(
    harness: Harness,
):
    value = {"cmd": "/queue", "text": "show 1", "page": 1}
    reply = await _press(harness, value, user=OPERATOR, channel="C0OPS")
    assert reply["text"] == harness.bot.services.messages("error.unknown_action")
