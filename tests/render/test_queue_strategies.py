"""Queue types are defined once (the provider's enum); words, usage and rendering follow it."""

from __future__ import annotations

import pytest

from bot.errors import UserInputError
from bot.messages import Messages
from bot.providers.alohub import Queue
from bot.providers.alohub_enums import QueueStrategy
from bot.render.queues import queue_edit_modal, strategy_words
from bot.sandbox.alohub import STRATEGIES as SANDBOX_STRATEGIES
from commands.queue import STRATEGY_NAMES, update_from_options


def test_the_sandbox_reads_the_same_queue_types_from_the_seed():
    assert {int(s) for s in QueueStrategy} == set(SANDBOX_STRATEGIES)


def test_every_queue_type_is_a_command_word_and_a_number():
    for strategy in QueueStrategy:
        word = strategy.name.lower()
        assert STRATEGY_NAMES[word] is strategy
        assert update_from_options({"strategy": word}).strategy == int(strategy)
        assert update_from_options({"strategy": str(int(strategy))}).strategy == int(strategy)


def test_the_usage_line_and_the_refusal_list_every_queue_type():
    for language in ("en", "vi"):
        msg = Messages(language)
        words = "|".join(
            [s.name.lower() for s in QueueStrategy] + [str(int(s)) for s in QueueStrategy]
        )
        assert f"[strategy={words}]" in msg("usage.queue.set")
    msg = Messages("en")
    with pytest.raises(UserInputError) as refused:
        update_from_options({"strategy": "fast"})
    sentence = msg(refused.value.key, **refused.value.params)
    assert "normal, vip, blacklist, divert, suspended" in sentence
    assert "1, 2, 3, 4, 99" in sentence


def test_the_edit_modal_offers_every_queue_type_in_words():
    msg = Messages("en")
    queue = Queue.model_validate({"callinId": 1001226, "callinName": "Sales", "strategy": 2})
    modal = queue_edit_modal(msg, "alohub-main", "C0OPS", queue)
    select = next(b for b in modal["blocks"] if b.get("block_id") == "strategy")
    options = select["element"]["options"]
    assert [o["value"] for o in options] == [str(int(s)) for s in QueueStrategy]
    assert [o["text"]["text"] for o in options] == [strategy_words(msg, s) for s in QueueStrategy]
    assert strategy_words(msg, QueueStrategy.SUSPENDED) == "suspended"
