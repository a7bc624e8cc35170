"""``/job`` end to end: the channel's list, one job's card, Refresh and Cancel buttons."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.jobs.data import contact_list
from tests.jobs.e2e import confirm, eventually, finished_job, import_file, job_in, running_bot
from tests.slack.conftest import ADMIN, AICC_CHANNEL, STRANGER, UNBOUND


async def _button_reply(
    h: Any, action_id: str, value: str, user: str, channel: str = "C0OPS"
) -> dict[str, Any]:
    ack = await h.slack.block_action(action_id, value, user_id=user, channel_id=channel)
    assert ack.status == 200
    tag = ack.response_url.rsplit("/", 1)[-1]
    return (await h.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)).args


async def test_job_list_and_card_show_the_import_and_its_counts(sandbox: Any, tmp_path: Any):
    content, valid = contact_list(40, seed=5)
    async with running_bot(sandbox, tmp_path) as h:
        await confirm(h, await import_file(h, "vbee", content))
        job = await finished_job(h)
        listing = await h.reply("/job")
        text = json.dumps(listing["blocks"], ensure_ascii=False)
        assert "*J1*" in text and "`vbee`" in text and "done" in text
        card = await h.reply("/job", "J1")
        card_text = json.dumps(card["blocks"], ensure_ascii=False)
        assert f"✅ {len(valid)} accepted" in card_text and job.state == "done"
        assert "job_cancel" not in card_text  # a finished job has no Cancel button


async def test_job_refresh_and_cancel_buttons_on_a_running_job(sandbox: Any, tmp_path: Any):
    sandbox.faults("vbee").latency = 0.5  # every batch takes half a second
    content, _ = contact_list(400, seed=6)
    async with running_bot(sandbox, tmp_path, batch_sizes={"vbee": 20}) as h:
        await confirm(h, await import_file(h, "vbee", content))
        store = h.bot.services.store
        await eventually(lambda: job_in(store, 1, "running"), what="the job running")
        card = await h.reply("/job", "J1")
        buttons = next(b for b in card["blocks"] if b.get("block_id") == "job_buttons")
        assert [e["action_id"] for e in buttons["elements"]] == ["job_refresh", "job_cancel"]

        refreshed = await _button_reply(h, "job_refresh", "J1", "U0OPS1")
        assert refreshed["replace_original"] is True and "Import J1" in json.dumps(
            refreshed["blocks"], ensure_ascii=False
        )

        refused = await _button_reply(h, "job_cancel", "J1", STRANGER)
        assert "not on the operators list" in refused["text"]
        assert (await store.job(1)).state == "running"

        cancelled = await _button_reply(h, "job_cancel", "J1", ADMIN)
        said = re.search(r"J1 is cancelled\*: ([\d,]+) rows were held back", cancelled["text"])
        assert said is not None, cancelled["text"]
        assert "`/job retry J1` sends the held-back rows" in cancelled["text"]
        job = await finished_job(h)
        assert job.state == "cancelled"
        counts = await store.job_counts(job.id)
        assert counts.get("accepted", 0) < 400
        # What it said was held back is exactly what was never sent.
        assert counts.get("pending", 0) == int(said.group(1).replace(",", ""))


async def test_job_of_an_unknown_id_says_how_to_find_jobs(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path) as h:
        reply = await h.reply("/job", "J99")
        assert "There is no job J99" in reply["text"]
        reply = await h.reply("/job", "cancel banana")
        assert "`banana` is not a job id" in reply["text"]


async def test_a_job_is_only_shown_or_changed_where_its_connection_may_be_used(
    sandbox: Any, tmp_path: Any
):
    content, _ = contact_list(20, seed=7)
    async with running_bot(sandbox, tmp_path) as h:
        await confirm(h, await import_file(h, "vbee", content))  # from C0OPS, to vbee
        await finished_job(h)
        elsewhere = "J1 sends to `vbee`, which this channel may not use"
        shown = await h.reply("/job", "J1", channel=AICC_CHANNEL)  # C0AICC uses aicc only
        assert elsewhere in shown["text"] and "blocks" not in shown
        retried = await h.reply("/job", "retry J1", user=ADMIN, channel=UNBOUND)
        assert elsewhere in retried["text"]
        refreshed = await _button_reply(h, "job_refresh", "J1", "U0OPS1", channel=AICC_CHANNEL)
        assert elsewhere in refreshed["text"]
        listing = await h.reply("/job", channel=AICC_CHANNEL)
        assert "J1" not in json.dumps(listing, ensure_ascii=False)


async def test_another_operator_may_look_at_a_job_but_not_cancel_or_retry_it(
    sandbox: Any, tmp_path: Any
):
    content, _ = contact_list(20, seed=8)
    other = "U0OPS2"
    async with running_bot(sandbox, tmp_path, operators=["U0OPS1", other]) as h:
        await confirm(h, await import_file(h, "vbee", content))  # started by U0OPS1
        await finished_job(h)
        card = await h.reply("/job", "J1", user=other)
        assert "Import J1" in json.dumps(card["blocks"], ensure_ascii=False)
        for text in ("cancel J1", "retry J1"):
            refused = await h.reply("/job", text, user=other)
            assert (
                "J1 was started by <@U0OPS1>; only they or an admin can change it."
                in (refused["text"])
            )
        entries = await h.bot.services.store.audit_entries()
        assert [e.outcome for e in entries if e.user_id == other][:2] == ["refused", "refused"]
