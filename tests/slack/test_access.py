"""Who may do what, where: roles, channel bindings, ``via=``, and the audit trail."""

from __future__ import annotations

import json

from bot.store import AuditEntry
from tests.slack.conftest import ADMIN, AICC_CHANNEL, OPERATOR, STRANGER, UNBOUND, Harness


def _queue_id(harness: Harness) -> int:
    state = harness.sandbox.alohub
    return next(q.callinId for q in state.queues.values() if q.tenant_id == state.tenant_id)


async def test_a_stranger_is_refused_operator_commands_and_told_who_can_help(harness: Harness):
    before = len(harness.sandbox.requests("alohub"))
    reply = await harness.reply("/queue", "list", user=STRANGER)
    assert "not on the operators list" in reply["text"] and ADMIN in reply["text"]
    assert len(harness.sandbox.requests("alohub")) == before


async def test_a_stranger_may_still_read_help(harness: Harness):
    reply = await harness.reply("/callops", "", user=STRANGER)
    assert "You are not on the operators list" in json.dumps(reply["blocks"])


async def test_an_operator_runs_operator_commands_but_not_admin_ones(harness: Harness):
    queue_id = _queue_id(harness)
    ok = await harness.reply("/queue", f"show {queue_id}", user=OPERATOR)
    assert "Queue type" in json.dumps(ok["blocks"])
    refused = await harness.reply("/queue", f"edit {queue_id}", user=OPERATOR)
    assert "Only admins" in refused["text"]


async def test_an_admin_runs_admin_commands(harness: Harness):
    reply = await harness.reply("/callops", "connections", user=ADMIN)
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    for name in ("alohub-main", "vbee", "aicc", "crm"):
        assert name in text


async def test_an_unbound_channel_is_refused_with_how_to_bind_it(harness: Harness):
    reply = await harness.reply("/queue", "list", channel=UNBOUND)
    assert "not connected to any provider" in reply["text"] and "channels:" in reply["text"]


async def test_via_a_connection_the_channel_may_not_use_is_refused(harness: Harness):
    reply = await harness.reply("/queue", "list via=alohub-main", channel=AICC_CHANNEL)
    assert "may not use `alohub-main`" in reply["text"] and "aicc" in reply["text"]


async def test_via_an_unknown_connection_names_the_allowed_ones(harness: Harness):
    reply = await harness.reply("/queue", "list via=nope")
    assert "no connection named `nope`" in reply["text"]


async def test_a_command_the_channels_provider_cannot_do_names_the_providers_that_can(
    harness: Harness,
):
    reply = await harness.reply("/queue", "list", channel=AICC_CHANNEL)
    assert "`aicc` (aicallcenter) cannot manage inbound queues" in reply["text"]
    assert "alohub" in reply["text"]


async def test_via_picks_a_connection_and_an_incapable_one_is_explained(harness: Harness):
    reply = await harness.reply("/queue", "list via=crm")
    assert "`crm` (omicall) cannot manage inbound queues" in reply["text"]


async def test_every_command_is_audited_with_outcome_and_admin_actions_are_copied(
    harness: Harness,
):
    queue_id = _queue_id(harness)
    await harness.reply("/queue", f"show {queue_id}")
    await harness.reply("/queue", "list", user=STRANGER)
    await harness.reply("/queue", f"set {queue_id} wait=30", user=ADMIN)
    await harness.bot.drain()
    entries = await harness.bot.services.store.audit_entries()
    # One row per command, newest first.
    assert [(e.user_id, e.outcome) for e in entries] == [
        (ADMIN, "ok"),
        (STRANGER, "refused"),
        (OPERATOR, "ok"),
    ]
    admin_entry = entries[0]
    assert admin_entry.command == f"/queue set {queue_id} wait=30"
    assert admin_entry.connection == "alohub-main" and admin_entry.duration_ms >= 0
    copy = await harness.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args.get("channel") == "C0AUDIT"
    )
    assert f"/queue set {queue_id} wait=30" in copy.args["text"]
    copies = [
        c for c in harness.fake.calls_to("chat.postMessage") if c.args.get("channel") == "C0AUDIT"
    ]
    assert len(copies) == 1, "the admin action was copied more than once"
    assert isinstance(admin_entry, AuditEntry)


async def test_audit_masks_secrets_typed_into_a_command(harness: Harness):
    key = harness.sandbox.connections()["alohub-main"]["api_key"]
    await harness.reply("/queue", f"list token=abc123 {key}")
    entry = (await harness.bot.services.store.audit_entries())[0]
    assert key not in entry.command and "abc123" not in entry.command
