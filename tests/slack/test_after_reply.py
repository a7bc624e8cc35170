"""The work after a reply (a modal closed, then the provider called): told, audited, copied."""

from __future__ import annotations

import time

from tests.harness.signing import select_state, text_state
from tests.slack.conftest import ADMIN, Harness


def _queue(harness: Harness):
    state = harness.sandbox.alohub
    return next(q for q in state.queues.values() if q.tenant_id == state.tenant_id)


async def _submit_edit(harness: Harness, queue, wait: str):
    ack = await harness.command("/queue", f"edit {queue.callinId}", user=ADMIN)
    assert ack.status == 200
    opened = await harness.fake.wait_for("views.open")
    return opened.args["view"]["private_metadata"], {
        "strategy": {"value": select_state(None)},
        "wait": {"value": text_state(wait)},
        "moh": {"value": text_state(None)},
        "announce": {"value": select_state(None)},
    }


async def test_an_edit_queue_modal_the_provider_refuses_is_audited_as_failed_with_its_duration(
    harness: Harness,
):
    queue = _queue(harness)
    metadata, state = await _submit_edit(harness, queue, "45")
    # The queue is deleted at the provider while the modal is open, and the provider is slow.
    del harness.sandbox.alohub.queues[queue.callinId]
    harness.sandbox.faults("alohub").latency = 0.3

    ack = await harness.slack.view_submission(
        callback_id="queue_edit", state_values=state, private_metadata=metadata, user_id=ADMIN
    )
    acked = time.monotonic()
    assert ack.json_body == {"response_action": "clear"}

    told = await harness.fake.wait_for("chat.postEphemeral")
    assert "could not find" in told.args["text"] and "alohub-main" in told.args["text"]
    copy = await harness.fake.wait_for(
        "chat.postMessage",
        predicate=lambda c: (
            c.args.get("channel") == "C0AUDIT" and "view queue_edit" in c.args["text"]
        ),
    )
    assert "view queue_edit" in copy.args["text"] and "provider error" in copy.args["text"]
    await harness.bot.services.drain()

    entry = next(
        e
        for e in await harness.bot.services.store.audit_entries()
        if e.command.startswith("view queue_edit")
    )
    assert entry.user_id == ADMIN and entry.outcome == "provider_error"
    assert entry.detail and "not found" in entry.detail.lower()
    # The duration runs to the end of the work: past the 0.3 s the provider took.
    assert entry.duration_ms >= 300
    assert entry.duration_ms >= int((told.time - acked) * 1000)


async def test_the_audit_channel_copy_of_a_modal_is_posted_after_its_ack(harness: Harness):
    queue = _queue(harness)
    metadata, state = await _submit_edit(harness, queue, "50")
    harness.sandbox.faults("alohub").latency = 0.1

    ack = await harness.slack.view_submission(
        callback_id="queue_edit", state_values=state, private_metadata=metadata, user_id=ADMIN
    )
    acked = time.monotonic()
    assert ack.json_body == {"response_action": "clear"}

    copy = await harness.fake.wait_for(
        "chat.postMessage",
        predicate=lambda c: (
            c.args.get("channel") == "C0AUDIT" and "view queue_edit" in c.args["text"]
        ),
    )
    told = await harness.fake.wait_for("chat.postEphemeral")
    assert "updated" in told.args["text"] and queue.timeWait == "50"
    # Slack saw the copy after the modal's HTTP answer, and after the work it reports.
    assert copy.time > acked
    assert copy.time >= told.time
    assert "view queue_edit" in copy.args["text"] and ": done." in copy.args["text"]
    await harness.bot.services.drain()
    entry = (await harness.bot.services.store.audit_entries())[0]
    assert entry.command.startswith("view queue_edit") and entry.outcome == "ok"
