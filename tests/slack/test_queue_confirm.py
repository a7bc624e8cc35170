"""``/queue set`` and *Edit queue*: a change that moves real callers is applied only after Apply."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Environment
from bot.slack.bot import Bot
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient, select_state, text_state
from tests.slack.conftest import ADMIN, SIGNING_SECRET, Harness, bot_config


def _queue(harness: Harness, index: int = 0) -> Any:
    state = harness.sandbox.alohub
    return [q for q in state.queues.values() if q.tenant_id == state.tenant_id][index]


def _puts(harness: Harness) -> list[Any]:
    return [r for r in harness.sandbox.requests("alohub") if r.method == "PUT"]


def _text(message: dict[str, Any]) -> str:
    return message.get("text", "") + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )


async def _press(harness: Harness, button: dict[str, Any]) -> dict[str, Any]:
    ack = await harness.slack.block_action(button["action_id"], button["value"], user_id=ADMIN)
    assert ack.status == 200
    tag = ack.response_url.rsplit("/", 1)[-1]
    return (await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)).args


async def test_suspending_a_queue_waits_for_apply_and_says_what_callers_will_meet(
    harness: Harness,
):
    queue = _queue(harness)
    queue.strategy = 1
    reply = await harness.reply("/queue", f"set {queue.callinId} strategy=suspended", user=ADMIN)
    text = _text(reply)
    assert "affects real callers. Nothing is changed until you press *Apply the change*" in text
    assert "*Queue type*: normal → *suspended*" in text
    assert "Suspended: the queue is locked, so customers calling" in text
    assert _puts(harness) == [] and queue.strategy == 1

    done = await _press(harness, _button(reply, "queue_set_confirm"))
    assert [r.json for r in _puts(harness)] == [{"strategy": 99}]
    assert queue.strategy == 99
    assert done["replace_original"] is True and "✅ Queue" in _text(done)
    assert "normal → *suspended*" in _text(done)


@pytest.mark.parametrize(
    ("word", "code", "meaning"),
    [
        ("blacklist", 3, "Blacklist: Alohub applies its blacklist to calls into"),
        ("divert", 4, "Divert: calls into"),
    ],
)
async def test_blacklist_and_divert_are_not_sent_until_confirmed(
    harness: Harness, word: str, code: int, meaning: str
):
    queue = _queue(harness)
    queue.strategy = 2
    reply = await harness.reply("/queue", f"set {queue.callinId} strategy={word}", user=ADMIN)
    assert meaning in _text(reply) and "VIP → *" in _text(reply)
    assert _puts(harness) == [] and queue.strategy == 2
    await _press(harness, _button(reply, "queue_set_confirm"))
    assert queue.strategy == code


async def test_keep_it_as_it_is_changes_nothing_at_the_provider(harness: Harness):
    queue = _queue(harness)
    queue.strategy = 1
    reply = await harness.reply("/queue", f"set {queue.callinId} strategy=99", user=ADMIN)
    done = await _press(harness, _button(reply, "queue_set_cancel"))
    assert "Nothing was changed: queue" in done["text"] and "stays as it was" in done["text"]
    assert _puts(harness) == [] and queue.strategy == 1


async def test_a_wait_of_999999_seconds_is_questioned_not_applied(harness: Harness):
    queue = _queue(harness)
    wait_before = queue.timeWait
    reply = await harness.reply("/queue", f"set {queue.callinId} wait=999999", user=ADMIN)
    text = _text(reply)
    assert "may be kept waiting up to 999999 seconds" in text
    assert "more than 10 minutes" in text and "sets no limit" in text
    assert _puts(harness) == [] and queue.timeWait == wait_before
    await _press(harness, _button(reply, "queue_set_confirm"))
    assert [r.json for r in _puts(harness)] == [{"max_wait_sec": "999999"}]


async def test_a_wait_of_ten_minutes_or_less_and_a_normal_type_apply_at_once(harness: Harness):
    queue = _queue(harness)
    queue.strategy = 99
    reply = await harness.reply(
        "/queue", f"set {queue.callinId} strategy=normal wait=600", user=ADMIN
    )
    assert "queue_set_confirm" not in _text(reply) and "✅ Queue" in _text(reply)
    assert queue.strategy == 1 and queue.timeWait == "600"


async def test_the_edit_modal_asks_before_suspending_and_applies_on_confirm(harness: Harness):
    queue = _queue(harness, 1)
    queue.strategy = 1
    ack = await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values={
            "strategy": {"value": select_state("99")},
            "wait": {"value": text_state(None)},
            "moh": {"value": text_state(None)},
            "announce": {"value": select_state(None)},
        },
        private_metadata=harness.sealed(
            "queue_edit",
            {"connection": "alohub-main", "callinId": queue.callinId, "channel": "C0OPS"},
        ),
        user_id=ADMIN,
    )
    assert ack.json_body == {"response_action": "clear"}
    posted = (await harness.fake.wait_for("chat.postEphemeral")).args
    assert "Suspended: the queue is locked" in _text(posted)
    assert _puts(harness) == [] and queue.strategy == 1
    blocks = posted["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    await _press(harness, _button({"blocks": blocks}, "queue_set_confirm"))
    assert [r.json for r in _puts(harness)] == [{"strategy": 99}] and queue.strategy == 99


@pytest.fixture
async def vi_harness(sandbox: Any, tmp_path: Any) -> AsyncIterator[Harness]:
    """The bot answering in Vietnamese."""
    async with FakeSlack() as fake:
        env = Environment(
            slack_bot_token=fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
        )
        bot = Bot(bot_config(sandbox, tmp_path, language="vi"), env)
        port = await bot.start_http("127.0.0.1", 0)
        async with SlackClient(
            f"http://127.0.0.1:{port}", SIGNING_SECRET, response_url_factory=fake.response_url
        ) as client:
            yield Harness(client, fake, sandbox, bot)
        await bot.services.drain()
        await bot.stop()


async def test_the_vietnamese_confirmation_says_what_callers_will_meet(vi_harness: Harness):
    queue = _queue(vi_harness)
    queue.strategy = 1
    reply = await vi_harness.reply("/queue", f"set {queue.callinId} strategy=suspended", user=ADMIN)
    text = _text(reply)
    assert (
        "ảnh hưởng tới khách đang gọi vào" in text
        and "*Loại hàng chờ*: thường → *tạm khoá*" in text
    )
    assert "Tạm khoá: hàng chờ bị khoá" in text and "Áp dụng thay đổi" in text
    assert _puts(vi_harness) == [] and queue.strategy == 1
