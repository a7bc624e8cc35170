"""Alohub restarts in the middle of an import: the job is ``lost``; ``/job retry`` completes it
without putting any phone in the campaign twice."""

from __future__ import annotations

from typing import Any

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


async def test_alohub_restart_mid_import_marks_the_job_lost_and_retry_completes_it(
    sandbox: Any, tmp_path: Any
):
    sandbox.alohub.rows_per_second = 100  # a 100-row chunk takes a second at the provider
    content, valid = contact_list(300, seed=21)
    async with running_bot(sandbox, tmp_path, batch_sizes={"alohub-main": 100}) as h:
        await confirm(h, await import_file(h, "alohub-main", content))
        store = h.bot.services.store

        async def some_rows_added() -> bool:
            batches = await h.bot.services.jobs.store.batches(1, "submitted")
            return len(batches) == 3 and len(sandbox.alohub.contacts(103)) > 0

        await eventually(some_rows_added, what="chunks at Alohub, part of them added")
        sandbox.alohub.restart()  # Alohub forgets its import jobs (they live in its RAM)

        job = await finished_job(h)
        assert job.state == "lost"
        counts = await store.job_counts(1)
        assert counts.get("pending", 0) > 0 and counts.get("sent", 0) == 0
        final = view_text(h.fake.messages[job.message_ts])
        assert "lost track of the import" in final and "/job retry J1" in final

        reply = await h.reply("/job", "retry J1")
        assert "Sending" in reply["text"] and "of J1 again" in reply["text"]
        job = await eventually(
            lambda: job_in(store, 1, "done"),
            within=20,
            what="the retried job done",
        )
        assert await store.job_counts(1) == {"accepted": 300}
        held = at_provider(sandbox, "alohub-main")
        assert all(held[p] == 1 for p in valid) and max(held.values()) == 1
