"""``/job cancel`` tells the truth at once: the rows it held back, the chunks Alohub already
has (which go on there), and a retry only when a retry has something to send."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.jobs.data import contact_list
from tests.jobs.e2e import (
    confirm,
    eventually,
    finished_job,
    import_file,
    job_in,
    running_bot,
    view_text,
)
from tests.jobs.providers import at_provider

CANCEL_WORDS = {
    "en": {
        "headline": "⏹ *J1 is cancelled*: 1,000 rows were held back; none of them will be sent.",
        "alohub": "2,000 rows were already handed to Alohub's bulk import and cannot be stopped "
        "there: chunk #1 (500 rows), #2 (500 rows), #3 (500 rows), #4 (500 rows).",
        "retry": "`/job retry J1` sends the held-back rows",
        "final": "*J1 cancelled*: ✅ 2,000 of 3,000 rows were added, counting what the provider "
        "already had at the cancel; 1,000 rows were held back and not sent.",
    },
    "vi": {
        "headline": "⏹ *Đã huỷ J1*: giữ lại 1.000 dòng chưa gửi; "
        "các dòng này sẽ không được gửi đi.",
        "alohub": "2.000 dòng đã được giao cho chức năng nhập hàng loạt của Alohub và không dừng "
        "được: đợt #1 (500 dòng), #2 (500 dòng), #3 (500 dòng), #4 (500 dòng).",
        "retry": "`/job retry J1` sẽ gửi các dòng đã giữ lại",
        "final": "*Đã huỷ J1*: ✅ đã thêm 2.000/3.000 dòng, kể cả phần nhà cung cấp đã nhận "
        "trước khi huỷ; 1.000 dòng được giữ lại, không gửi.",
    },
}


def _text(reply: dict[str, Any]) -> str:
    return reply["text"] + json.dumps(reply.get("blocks", []), ensure_ascii=False)


async def submitted(jobs: Any, count: int) -> bool:
    """True once ``count`` of J1's chunks are at Alohub."""
    return len(await jobs.store.batches(1, "submitted")) == count


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_cancel_on_alohub_names_the_chunks_it_cannot_stop_and_holds_back_the_rest(
    sandbox: Any, tmp_path: Any, language: str
):
    sandbox.alohub.rows_per_second = 10  # a 500-row chunk takes Alohub 50 s
    content, valid = contact_list(3000, seed=41)
    words = CANCEL_WORDS[language]
    async with running_bot(sandbox, tmp_path, language=language) as h:
        await confirm(h, await import_file(h, "alohub-main", content))
        jobs = h.bot.services.jobs
        assert jobs is not None
        await eventually(lambda: submitted(jobs, 4), what="four chunks at Alohub")
        assert len(sandbox.alohub.jobs) == 4  # small chunks: most of the job is still ours

        reply = await h.reply("/job", "cancel J1")
        said = reply["text"]
        assert words["headline"] in said and words["alohub"] in said and words["retry"] in said
        assert (await h.bot.services.store.job(1)).state == "cancelled"  # committed before words

        sandbox.alohub.rows_per_second = 1_000_000  # Alohub finishes what it was given
        update = await h.fake.wait_for(
            "chat.update", predicate=lambda c: words["final"] in c.args["text"], timeout=20
        )
        final = view_text(h.fake.messages[update.args["ts"]])
        assert "/job retry J1" in final
        assert len(sandbox.alohub.jobs) == 4  # nothing was handed over after the cancel
        held = at_provider(sandbox, "alohub-main")
        assert sum(held[p] for p in valid) == 2000 and max(held[p] for p in valid) == 1

        if language == "en":
            retried = await h.reply("/job", "retry J1")
            assert "Sending 1,000 rows of J1 again." in retried["text"]
            await eventually(
                lambda: job_in(h.bot.services.store, 1, "done"), within=20, what="J1 done"
            )
            held = at_provider(sandbox, "alohub-main")
            assert all(held[p] == 1 for p in valid)


async def test_cancel_after_everything_was_handed_over_offers_no_retry(sandbox: Any, tmp_path: Any):
    sandbox.alohub.rows_per_second = 10
    content, valid = contact_list(300, seed=42)
    async with running_bot(sandbox, tmp_path, batch_sizes={"alohub-main": 100}) as h:
        await confirm(h, await import_file(h, "alohub-main", content))
        jobs = h.bot.services.jobs
        assert jobs is not None
        await eventually(lambda: submitted(jobs, 3), what="every chunk at Alohub")
        reply = await h.reply("/job", "cancel J1")
        said = _text(reply)
        assert "⏹ *J1 is cancelled*: 0 rows were held back" in said
        assert "300 rows were already handed to Alohub's bulk import" in said
        assert (
            "Every row had already been handed over, so there is nothing left to send again."
            in (said)
        )
        assert "/job retry" not in said

        sandbox.alohub.rows_per_second = 1_000_000
        # The cancelled run still polls Alohub until its chunks settle, then its totals go
        # out through the outbox: more than the default 20 s once on a loaded CI machine.
        job = await finished_job(h, within=60.0)
        final = view_text(h.fake.messages[job.message_ts])
        assert "✅ 300 of 300 rows were added" in final and "/job retry" not in final
        bulk_calls = len(sandbox.alohub.jobs)

        again = await h.reply("/job", "cancel J1")
        assert again["text"] == (
            "J1 has already ended (⏹ cancelled); there is nothing to cancel. "
            "`/job J1` shows its card."
        )
        assert len(sandbox.alohub.jobs) == bulk_calls
        assert sum(at_provider(sandbox, "alohub-main")[p] for p in valid) == 300


async def test_cancel_of_a_finished_job_says_what_state_it_is_in(sandbox: Any, tmp_path: Any):
    content, valid = contact_list(30, seed=43)
    async with running_bot(sandbox, tmp_path, language="vi") as h:
        await confirm(h, await import_file(h, "vbee", content))
        await finished_job(h)
        before = sum(at_provider(sandbox, "vbee").values())
        reply = await h.reply("/job", "cancel J1")
        assert reply["text"] == (
            "J1 đã kết thúc (✅ xong); không còn gì để huỷ. `/job J1` hiển thị thẻ của lượt nhập."
        )
        assert (await h.bot.services.store.job(1)).state == "done"
        assert sum(at_provider(sandbox, "vbee").values()) == before == len(valid)
