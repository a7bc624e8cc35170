"""``/queue`` end to end over signed HTTP against the Alohub sandbox."""

from __future__ import annotations

import json

from tests.slack.conftest import ADMIN, Harness


def _tenant_queues(harness: Harness) -> list:
    state = harness.sandbox.alohub
    return [q for q in state.queues.values() if q.tenant_id == state.tenant_id]


async def test_queue_list_shows_the_first_page_of_queues_with_a_next_button(harness: Harness):
    reply = await harness.reply("/queue", "list")
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    queues = _tenant_queues(harness)
    for queue in queues[:10]:
        assert str(queue.callinId) in text
    assert str(queues[10].callinId) not in text
    assert "page_next" in text and f"{len(queues)} in all" in text
    assert reply["response_type"] == "ephemeral"


async def test_queue_next_button_replaces_the_message_with_page_two(harness: Harness):
    reply = await harness.reply("/queue")
    pager = next(b for b in reply["blocks"] if b.get("block_id") == "pager")
    button = pager["elements"][-1]
    ack = await harness.slack.block_action(
        button["action_id"], button["value"], user_id="U0OPS1", channel_id="C0OPS"
    )
    assert ack.status == 200
    tag = ack.response_url.rsplit("/", 1)[-1]
    call = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    text = json.dumps(call.args["blocks"], ensure_ascii=False)
    queues = _tenant_queues(harness)
    assert str(queues[10].callinId) in text and str(queues[0].callinId) not in text
    assert call.args["replace_original"] is True


async def test_queue_show_explains_each_field_in_words(harness: Harness):
    queue = _tenant_queues(harness)[0]
    reply = await harness.reply("/queue", f"show {queue.callinId}")
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "Queue type" in text and "Maximum wait" in text and "Announce position" in text
    assert queue.callinName in text


async def test_queue_show_of_another_tenants_queue_says_not_found(harness: Harness):
    other = next(
        q
        for q in harness.sandbox.alohub.queues.values()
        if q.tenant_id != harness.sandbox.alohub.tenant_id
    )
    reply = await harness.reply("/queue", f"show {other.callinId}")
    assert "could not find" in reply["text"] and "alohub-main" in reply["text"]


async def test_queue_set_by_admin_changes_the_queue_and_shows_before_and_after(harness: Harness):
    queue = _tenant_queues(harness)[0]
    reply = await harness.reply(
        "/queue", f"set {queue.callinId} strategy=vip wait=95 announce=on", user=ADMIN
    )
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert queue.strategy == 2 and queue.timeWait == "95" and str(queue.nguongRanhRoi) == "1"
    assert "→ *VIP*" in text and "95 seconds" in text


async def test_queue_set_with_a_bad_strategy_answers_usage_and_sends_nothing(harness: Harness):
    queue = _tenant_queues(harness)[0]
    before = len(harness.sandbox.requests("alohub"))
    reply = await harness.reply("/queue", f"set {queue.callinId} strategy=fast", user=ADMIN)
    assert "`fast` is not a queue type" in reply["text"]
    assert "Usage: `/queue set" in reply["text"] and "Example:" in reply["text"]
    assert len(harness.sandbox.requests("alohub")) == before


async def test_queue_set_by_an_operator_is_refused_naming_the_admins(harness: Harness):
    queue = _tenant_queues(harness)[0]
    reply = await harness.reply("/queue", f"set {queue.callinId} strategy=vip")
    assert "Only admins" in reply["text"] and ADMIN in reply["text"]


async def test_queue_edit_opens_the_modal_and_its_submission_updates_the_queue(harness: Harness):
    queue = _tenant_queues(harness)[1]
    ack = await harness.command("/queue", f"edit {queue.callinId}", user=ADMIN)
    assert ack.status == 200
    opened = await harness.fake.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "queue_edit"
    assert [b.get("block_id") for b in view["blocks"] if b["type"] == "input"] == [
        "strategy",
        "wait",
        "moh",
        "announce",
    ]
    from tests.harness.signing import select_state, text_state

    ack = await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values={
            "strategy": {"value": select_state("2")},
            "wait": {"value": text_state("45")},
            "moh": {"value": text_state(None)},
            "announce": {"value": select_state("0")},
        },
        private_metadata=view["private_metadata"],
        user_id=ADMIN,
    )
    assert ack.status == 200 and ack.json_body == {"response_action": "clear"}
    posted = await harness.fake.wait_for("chat.postEphemeral")
    assert "updated" in posted.args["text"]
    assert queue.strategy == 2 and queue.timeWait == "45"


async def test_queue_edit_with_a_bad_wait_shows_the_error_on_the_wait_field(harness: Harness):
    queue = _tenant_queues(harness)[1]
    from tests.harness.signing import select_state, text_state

    ack = await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values={
            "strategy": {"value": select_state("1")},
            "wait": {"value": text_state("soon")},
            "moh": {"value": text_state(None)},
            "announce": {"value": select_state("1")},
        },
        private_metadata=harness.sealed(
            "queue_edit",
            {"connection": "alohub-main", "callinId": queue.callinId, "channel": "C0OPS"},
        ),
        user_id=ADMIN,
    )
    assert ack.json_body["response_action"] == "errors"
    assert "wait" in ack.json_body["errors"]


async def test_queue_edit_can_change_the_wait_alone_when_nothing_is_announced_yet(
    harness: Harness,
):
    from tests.harness.signing import select_state, text_state

    queue = next(q for q in _tenant_queues(harness) if q.nguongRanhRoi is None)
    strategy_before = queue.strategy
    await harness.command("/queue", f"edit {queue.callinId}", user=ADMIN)
    view = (await harness.fake.wait_for("views.open")).args["view"]
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert all(b["element"]["action_id"] == "value" for b in inputs.values())
    assert (
        inputs["announce"]["optional"] is True
        and "initial_option" not in inputs["announce"]["element"]
    )
    assert json.loads(view["private_metadata"].rsplit("~", 1)[0]) == {
        "connection": "alohub-main",
        "callinId": queue.callinId,
        "channel": "C0OPS",
    }
    ack = await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values={
            "strategy": {"value": select_state(None)},
            "wait": {"value": text_state("75")},
            "moh": {"value": text_state(None)},
            "announce": {"value": select_state(None)},
        },
        private_metadata=view["private_metadata"],
        user_id=ADMIN,
    )
    assert ack.json_body == {"response_action": "clear"}
    posted = await harness.fake.wait_for("chat.postEphemeral")
    assert "updated" in posted.args["text"]
    assert queue.timeWait == "75"
    assert queue.nguongRanhRoi is None and queue.strategy == strategy_before


async def test_a_page_past_the_end_says_how_many_pages_there_are_and_leads_back(
    harness: Harness,
):
    queues = _tenant_queues(harness)
    reply = await harness.reply("/queue", "list page=9")
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert f"There is no page 9: {len(queues)} in all, on 3 pages." in text
    assert "no inbound queues" not in text.lower()
    pager = next(b for b in reply["blocks"] if b.get("block_id") == "pager")
    (button,) = pager["elements"]
    assert button["action_id"] == "page_prev" and button["text"]["text"] == "Last page"
    ack = await harness.slack.block_action(
        button["action_id"], button["value"], user_id="U0OPS1", channel_id="C0OPS"
    )
    tag = ack.response_url.rsplit("/", 1)[-1]
    last = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    last_text = json.dumps(last.args["blocks"], ensure_ascii=False)
    assert str(queues[-1].callinId) in last_text and "Page 3 of 3" in last_text


async def test_queue_previous_button_goes_back_to_page_one(harness: Harness):
    reply = await harness.reply("/queue", "list page=2")
    pager = next(b for b in reply["blocks"] if b.get("block_id") == "pager")
    previous = next(e for e in pager["elements"] if e["action_id"] == "page_prev")
    ack = await harness.slack.block_action(
        "page_prev", previous["value"], user_id="U0OPS1", channel_id="C0OPS"
    )
    tag = ack.response_url.rsplit("/", 1)[-1]
    call = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    text = json.dumps(call.args["blocks"], ensure_ascii=False)
    queues = _tenant_queues(harness)
    assert str(queues[0].callinId) in text and str(queues[10].callinId) not in text
    assert "Page 1 of 3" in text and call.args["replace_original"] is True
